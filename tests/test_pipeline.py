"""The headless pipeline: one file through the command line and through the app's background path gives the same
answers, and the defaults that used to drift between them live in one place."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from lib import pipeline

ROOT = Path(__file__).resolve().parent.parent


def _import_as_the_app_does(ws, path: Path) -> str:
    from lib.ingest.build import ImportOptions, build_posts, open_sources

    result = build_posts(open_sources([path]), ImportOptions())
    return ws.save_dataset(path.stem, result.posts, result.excluded, result.report, raw=result.raw)


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    """connectsphere.csv analysed by `python -m lib analyze` with the defaults, and by the app's background job
    (the same calls lib.ui makes after an upload)."""
    from lib import cli
    from lib.audience.segments import posts_with_segments
    from lib.store.workspace import Workspace

    tmp = tmp_path_factory.mktemp("pipeline")
    src = ROOT / "sample_data" / "connectsphere.csv"
    assert cli.main(["analyze", str(src), "--out", str(tmp / "cli"), "--steps", "sentiment,topics,audience"]) == 0
    by_cli = pd.read_csv(tmp / "cli" / "posts.csv", dtype={"post_id": str}).set_index("post_id")

    ws = Workspace(tmp / "app.duckdb")
    ds_id = _import_as_the_app_does(ws, src)
    posts = pipeline.load_posts(ws, ds_id)
    frame = pipeline.listen(posts, ws).frame
    done = pipeline.run_background(ws, ds_id, listening=lambda: frame)
    assert done["topics"].endswith("topics") and done["segments"].endswith("segments"), done
    app = pipeline.with_user_topics(frame, pipeline.stored_topics(ws, ds_id), ws.topic_edits(ds_id))
    segments = posts_with_segments(app, pipeline.stored_segments(ws, ds_id))
    by_app = app.assign(segment=segments["segment"]).set_index("post_id")
    ws.close()
    return by_cli, by_app.loc[by_cli.index]


def test_same_sentiment_labels(both):
    by_cli, by_app = both
    assert len(by_cli) > 1000
    assert (by_cli["sentiment_label"].to_numpy() == by_app["sentiment_label"].to_numpy()).all()
    assert (by_cli["vader_label"].to_numpy() == by_app["vader_label"].to_numpy()).all()


def test_same_topics_for_every_post(both):
    by_cli, by_app = both
    assert by_app["topic"].nunique() > 3
    assert (by_cli["topic"].astype(int).to_numpy() == by_app["topic"].astype(int).to_numpy()).all()
    assert (by_cli["topic_label"].fillna("").to_numpy() == by_app["topic_label"].fillna("").to_numpy()).all()


def test_same_segments_for_every_post(both):
    by_cli, by_app = both
    assert by_app["segment"].nunique() > 1
    assert (by_cli["segment"].astype(int).to_numpy() == by_app["segment"].astype(int).to_numpy()).all()


def test_brand_names_are_ignored_as_keywords_by_default_everywhere():
    posts = pd.DataFrame({"text": ["a", "b"], "brand": ["GamerFuel", "Rival"]})
    assert pipeline.topic_settings(posts).brand_terms == ("gamerfuel", "rival")
    assert pipeline.topic_settings(posts, extra_stopwords=("x",)).extra_stopwords == ("x",)
    assert pipeline.topic_settings(posts, brand_terms=()).brand_terms == ()


def test_cli_topic_defaults_are_the_pipelines(tmp_path):
    """The command line's topic flags default to the pipeline's settings (brand words ignored), not to numbers of
    its own."""
    from lib import cli

    src = tmp_path / "posts.csv"
    words = ["battery life is short", "screen cracked again", "delivery was late", "support never answered"]
    pd.DataFrame({"text": [f"{w} {i}" for i in range(20) for w in words],
                  "brand": ["Acme", "Bolt"] * 40}).to_csv(src, index=False)
    args = cli.parse(["analyze", str(src), "--out", str(tmp_path / "o"), "--steps", "topics"])
    settings = cli.topic_settings_from(args, pd.read_csv(src))
    assert settings == pipeline.topic_settings(pd.read_csv(src))
    assert settings.brand_terms == ("acme", "bolt")


def test_has_text_is_one_rule():
    assert not pipeline.has_text(pd.DataFrame({"x": [1]}))
    assert not pipeline.has_text(pd.DataFrame({"text": [None, "  ", ""]}))
    assert pipeline.has_text(pd.DataFrame({"text": [None, "hello"]}))


def test_thresholds_are_typed_once():
    """The VADER thresholds' default appears in lib/ only in the pipeline."""
    hits = [p for p in (ROOT / "lib").rglob("*.py") if "0.05, -0.05" in p.read_text() and p.name != "pipeline.py"]
    assert hits == []
