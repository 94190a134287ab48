"""`python -m lib import DIR`: a run's folder (either engine) opens as a dataset with the run's listening
columns and topics, nothing scored again; bad folders exit 2 with one line and save nothing; a run too large
for the app opens as a sample that keeps every day's share."""
import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from lib import pipeline
from lib.cli import main
from lib.ingest.build import ImportOptions, build_posts, open_sources
from lib.ingest.run_read import open_run_folder, read_rows
from lib.ingest.run_sample import day_keys, day_quotas, sample_rows
from lib.ingest.runs import open_run
from lib.store.workspace import Workspace
from tests.conftest import ROOT

LISTENING = ["sentiment", "vader_pos", "vader_neu", "vader_neg", "p_negative", "p_neutral", "p_positive",
             "vader_label", "sentiment_label", "sentiment_confidence", "sentiment_source", "complaint_cue",
             "emotion", "intent", "intent_confidence", "sarcasm_flag", "language"]


@pytest.fixture(scope="module")
def local_run(tmp_path_factory):
    """A real local run: the ConnectSphere sample (3,000 posts, 30 days), sentiment and TF-IDF topics."""
    out = tmp_path_factory.mktemp("run") / "cs-run"
    assert main(["analyze", str(ROOT / "sample_data" / "connectsphere.csv"), "--out", str(out),
                 "--steps", "sentiment,topics", "--embeddings", "tfidf", "--no-cache"]) == 0
    return out


@pytest.fixture(scope="module")
def engine_dask_run(tmp_path_factory):
    """A real `--engine dask` run of the same posts on a LocalCluster of one worker, in three partitions
    (about 20 s): posts/part-N.parquet, summary.json, topics.csv, results/topics and _COMPLETE."""
    out = tmp_path_factory.mktemp("dask") / "dask-run"
    assert main(["analyze", str(ROOT / "sample_data" / "connectsphere.csv"), "--out", str(out), "--engine", "dask",
                 "--workers", "1", "--partition-rows", "1000", "--steps", "sentiment,topics",
                 "--embeddings", "tfidf"]) == 0
    return out


@pytest.fixture
def dask_run(engine_dask_run, tmp_path):
    """A copy of the Dask run that a test may damage."""
    return Path(shutil.copytree(engine_dask_run, tmp_path / "dask-run"))


def _import(capsys, *args):
    code = main(["import", *map(str, args)])
    err = capsys.readouterr().err.strip()
    return code, err


def _only_dataset(ws_file):
    with Workspace(ws_file) as ws:
        datasets = ws.list_datasets()
        assert len(datasets) == 1
        ds_id = datasets["id"].iloc[0]
        return ds_id, pipeline.load_posts(ws, ds_id), ws.meta(ds_id)


def test_a_local_run_opens_with_its_columns_and_topics_and_nothing_is_scored_again(local_run, tmp_path, capsys,
                                                                                    monkeypatch):
    ws_file = tmp_path / "ws.duckdb"
    code, err = _import(capsys, local_run, "--workspace", ws_file, "--name", "CS run")
    assert code == 0 and len(err.splitlines()) == 1, err
    assert "all 3,000 posts" in err and "sentiment scores reused" in err and "topics yes" in err
    run = read_rows(open_run_folder(local_run))
    ds_id, posts, meta = _only_dataset(ws_file)
    assert meta["name"] == "CS run" and meta["run"]["posts_total"] == 3000
    imported = build_posts(open_sources([ROOT / "sample_data" / "connectsphere.csv"]), ImportOptions()).posts
    for col in ("post_id", "text", "created_at", "author", "platform", "likes"):
        assert posts[col].astype(str).tolist() == imported[col].astype(str).tolist(), col

    _listening_is_the_runs(ds_id, ws_file, run, monkeypatch)


def _listening_is_the_runs(ds_id, ws_file, run, monkeypatch):
    """The dataset's listening frame, built the app's way with the scoring models and language detection made
    to fail, equals the run's columns; its topic per post is the run's."""
    from lib.listening import language
    from lib.listening import sentiment as sent
    from lib.ui import cache

    def never(*args, **kwargs):
        raise AssertionError("the run's scores were computed again")

    for module, name in ((sent, "vader_scores"), (sent, "public_model"), (language, "detect_languages")):
        monkeypatch.setattr(module, name, never)
    frame = cache.listening_frame(ds_id, str(ws_file))  # the app's own path: languages, then the pipeline
    assert frame["post_id"].tolist() == run["post_id"].tolist()
    for col in LISTENING:
        mine, theirs = frame[col], run[col]
        if pd.api.types.is_float_dtype(theirs):
            np.testing.assert_allclose(mine.astype(float), theirs.astype(float), rtol=0, atol=0, err_msg=col)
        else:
            assert mine.astype(str).tolist() == theirs.astype(str).tolist(), col
    with Workspace(ws_file) as ws:
        topics = pipeline.with_user_topics(frame, pipeline.stored_topics(ws, ds_id))
    assert topics["topic"].tolist() == run["topic"].tolist()
    assert topics["topic_label"].tolist() == run["topic_label"].tolist()


MIXED = """id,date,text,user
1,2026-03-01 10:00,"Ich liebe dieses neue Getränk, es schmeckt wirklich fantastisch und frisch",anna
2,2026-03-01 11:00,"Der Kundenservice war eine Katastrophe und niemand hat mir geholfen",ben
3,2026-03-02 12:00,"Questo prodotto è davvero ottimo, lo consiglio a tutti",gia
4,2026-03-02 13:00,"Loving the new flavour so much, thanks team",dora
5,2026-03-03 09:00,"Worst delivery ever, my order is still missing",eve
"""


def test_posts_in_other_languages_keep_the_multilingual_scores_without_embedding_again(tmp_path, capsys,
                                                                                      monkeypatch):
    from lib.listening import multilingual

    if not multilingual.available():
        pytest.skip("the multilingual encoder is not installed")
    (tmp_path / "mixed.csv").write_text(MIXED, encoding="utf-8")
    assert main(["analyze", str(tmp_path / "mixed.csv"), "--out", str(tmp_path / "run"), "--steps", "sentiment",
                 "--no-cache"]) == 0
    ws_file = tmp_path / "ws.duckdb"
    assert _import(capsys, tmp_path / "run", "--workspace", ws_file)[0] == 0
    run = read_rows(open_run_folder(tmp_path / "run"))
    assert (run["sentiment_source"] == "multilingual model").sum() == 3

    def never(*args, **kwargs):
        raise AssertionError("the multilingual encoder ran again")

    monkeypatch.setattr(multilingual.Encoder, "embed", never)
    ds_id, posts, _ = _only_dataset(ws_file)
    with Workspace(ws_file) as ws:
        frame = pipeline.listen(posts, ws).frame
    for col in ("sentiment_label", "sentiment_source", "vader_label", "language"):
        assert frame[col].tolist() == run[col].tolist(), col
    np.testing.assert_allclose(frame[["p_negative", "p_positive", "sentiment"]].to_numpy(dtype=float),
                               run[["p_negative", "p_positive", "sentiment"]].to_numpy(dtype=float), atol=1e-6)


    # the same run, as if an earlier multilingual head had made it: its scores of those posts are not handed
    # to the cache under this head's key (the app reads them again); the public model's are
    from lib.listening import sentiment as sent

    old = Path(shutil.copytree(tmp_path / "run", tmp_path / "old-run"))
    summary = json.loads((old / "summary.json").read_text())
    assert summary["sentiment"]["models"]["multilingual"] == multilingual.MODEL_VERSION
    summary["sentiment"]["models"]["multilingual"] = "e5-head-1"
    (old / "summary.json").write_text(json.dumps(summary))
    with Workspace(tmp_path / "old.duckdb") as ws:
        assert open_run(ws, old).scores_reused
        hashes = sent.text_hash(run["text"].astype(str))
        others = run["sentiment_source"] == "multilingual model"
        for code in ("de", "it"):
            assert ws.cached_scores(hashes[others], f"{multilingual.MODEL_VERSION}/{code}").empty
        assert len(ws.cached_scores(hashes[~others], sent.SCORES_VERSION)) == 2


@pytest.mark.parametrize("models", [None, {"sentiment": "public-2/vader-words"}])
def test_a_run_made_by_another_model_or_that_says_none_is_read_again(local_run, tmp_path, capsys, models):
    """A run folder whose summary names another version of the public model, or none (runs made before they
    said), hands the workspace no scores: the app reads its posts again rather than show an older model's
    reading as this one's."""
    run = Path(shutil.copytree(local_run, tmp_path / "cs-run"))
    summary = json.loads((run / "summary.json").read_text())
    summary["sentiment"].pop("models", None)
    if models is not None:
        summary["sentiment"]["models"] = models
    (run / "summary.json").write_text(json.dumps(summary))
    code, err = _import(capsys, run, "--workspace", tmp_path / "ws.duckdb")
    assert code == 0 and "no sentiment scores to reuse" in err and "topics yes" in err, err


def test_a_dask_run_opens_with_its_columns_and_topics_and_nothing_is_scored_again(dask_run, tmp_path, capsys,
                                                                                   monkeypatch):
    ws_file = tmp_path / "ws.duckdb"
    code, err = _import(capsys, dask_run, "--workspace", ws_file)
    assert code == 0 and "(dask run): all 3,000 posts" in err and "topics yes" in err, err
    ds_id, posts, meta = _only_dataset(ws_file)
    assert meta["name"] == "dask-run" and meta["run"]["engine"] == "dask"
    assert sum(d["posts"] for d in meta["run"]["per_day"]) == 3000
    assert not {"sentiment", "topic", "sentiment_label"} & set(posts.columns)  # the pipeline adds them back
    run = read_rows(open_run_folder(dask_run))
    _listening_is_the_runs(ds_id, ws_file, run, monkeypatch)


@pytest.mark.parametrize("damage, needle", [
    (lambda d: (d / "_COMPLETE").unlink(), "not a complete run (_COMPLETE is missing"),
    (lambda d: (d / "posts" / "part-00001.parquet").write_bytes(b"not parquet"), "part-00001.parquet: cannot be read"),
    (lambda d: (d / "summary.json").write_text("{"), "summary.json: cannot be read"),
    (lambda d: (d / "posts" / "part-00002.parquet").unlink(), "that are not there"),
    (lambda d: (d / "results" / "topics" / "meta.json").write_text("{}"), "its topic model cannot be read"),
])
def test_a_broken_dask_run_exits_2_with_one_line_and_saves_nothing(dask_run, tmp_path, capsys, damage, needle):
    damage(dask_run)
    ws_file = tmp_path / "ws.duckdb"
    code, err = _import(capsys, dask_run, "--workspace", ws_file)
    assert code == 2 and len(err.splitlines()) == 1 and needle in err, err
    with Workspace(ws_file) as ws:
        assert ws.list_datasets().empty


def test_a_folder_that_is_not_a_run_exits_2(tmp_path):
    (tmp_path / "notes.txt").write_text("hello")
    for folder, needle in ((tmp_path, "not an analysis run"), (tmp_path / "nope", "no such folder")):
        out = subprocess.run([sys.executable, "-m", "lib", "import", str(folder), "--workspace",
                              str(tmp_path / "ws.duckdb")], cwd=ROOT, capture_output=True, text=True, timeout=120)
        assert out.returncode == 2 and len(out.stderr.strip().splitlines()) == 1, out.stderr
        assert needle in out.stderr and "Traceback" not in out.stderr


def test_texts_an_export_defused_come_back_as_they_were(tmp_path):
    from lib.report.export import write_csv

    texts = ["@ann thanks", "-20% today", "=SUM(A1)", "+1 agreed", "plain", "'quoted already"]
    write_csv(pd.DataFrame({"post_id": [str(i) for i in range(6)], "text": texts, "author": ["@ann"] * 6}),
              tmp_path / "posts.csv")
    (tmp_path / "summary.json").write_text(json.dumps({"summary": {"posts": 6}}))
    back = read_rows(open_run_folder(tmp_path))
    assert back["text"].tolist() == texts and back["author"].tolist() == ["@ann"] * 6
    assert back["post_id"].tolist() == [str(i) for i in range(6)]


def test_times_with_and_without_milliseconds_all_open(local_run, tmp_path, capsys):
    """pandas writes each time of a tz-aware column at its own precision: real YouTube comments' posts.csv has
    "2013-11-07 06:20:48+00:00" beside "2015-05-28 21:39:52.376000+00:00", and opening it read the first form
    into the whole column, losing 1,254 of 1,956 dates (every later chart, alert and forecast without them)."""
    run = tmp_path / "run"
    shutil.copytree(local_run, run)
    posts = pd.read_csv(run / "posts.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    when = pd.to_datetime(posts["created_at"], utc=True, format="ISO8601")
    odd = np.arange(len(posts)) % 2 == 1
    when = when.where(~odd, when + pd.to_timedelta(np.arange(len(posts)) % 997 + 1, unit="ms"))
    posts["created_at"] = [t.isoformat(sep=" ") for t in when]  # pandas' own text for each time
    assert posts["created_at"].str.contains(r"\.\d{6}\+", regex=True).sum() == odd.sum()
    posts.to_csv(run / "posts.csv", index=False, encoding="utf-8-sig")
    assert day_keys(posts["created_at"]).tolist() == when.dt.strftime("%Y-%m-%d").tolist()

    ws_file = tmp_path / "ws.duckdb"
    code, err = _import(capsys, run, "--workspace", ws_file)
    assert code == 0, err
    _, opened, meta = _only_dataset(ws_file)
    assert opened["created_at"].notna().all()
    back = opened.set_index("post_id")["created_at"].reindex(posts["post_id"])
    assert (back.to_numpy() == when.to_numpy()).all()
    assert sum(d["posts"] for d in meta["run"]["per_day"]) == len(posts)


def test_sample_keeps_each_days_share_and_is_seeded():
    rng = np.random.default_rng(1)
    days = pd.Series(rng.choice(["2026-01-01", "2026-01-02", "2026-01-03", ""], size=10_000, p=[.6, .3, .05, .05]))
    rows = sample_rows(days, 1_000, seed=3)
    assert len(rows) == 1_000 and (np.diff(rows) > 0).all()
    assert np.array_equal(rows, sample_rows(days, 1_000, seed=3))
    assert not np.array_equal(rows, sample_rows(days, 1_000, seed=4))
    whole, kept = days.value_counts(), days.iloc[rows].value_counts()
    assert (kept - whole * 1_000 / 10_000).abs().max() < 1  # every day (and the undated) within one post
    assert day_quotas(pd.Series([1, 1, 1]), 2).sum() == 2
    assert len(sample_rows(days, 20_000)) == 10_000
    first = np.zeros(len(days), dtype=bool)
    first[[5, 50, 500]] = True  # taken first, and each day still keeps its quota
    with_first = sample_rows(days, 1_000, seed=3, first=first)
    assert {5, 50, 500} <= set(with_first)
    assert days.iloc[with_first].value_counts().sort_index().equals(kept.sort_index())


def test_a_large_run_opens_as_a_day_stratified_sample_with_whole_run_totals(local_run, tmp_path, capsys):
    ws_file = tmp_path / "ws.duckdb"
    code, err = _import(capsys, local_run, "--workspace", ws_file, "--max-posts", "600")
    assert code == 0 and "a day-stratified sample of 600 of its 3,000 posts" in err, err
    ds_id, posts, meta = _only_dataset(ws_file)
    run = read_rows(open_run_folder(local_run))
    whole = day_keys(run["created_at"]).value_counts()
    kept = day_keys(posts["created_at"]).value_counts().reindex(whole.index, fill_value=0)
    assert len(posts) == 600 and (kept - whole * 600 / 3000).abs().max() < 1
    r = meta["run"]
    assert (r["posts_total"], r["posts_shown"]) == (3000, 600)
    assert {d["day"]: d["posts"] for d in r["per_day"]} == whole.to_dict()
    assert sum(t["size"] for t in r["topics"]) <= 3000 and r["summary"]["posts"] == 3000
    # topics over time of the whole run, not of the sample: every post of the ten largest topics, per day and week
    from lib.ingest.run_totals import run_topics_over_time

    topic = pd.to_numeric(run["topic"])
    largest = topic[topic >= 0].value_counts().index[:10]
    per_day = run.assign(day=day_keys(run["created_at"]))[topic.isin(largest)].groupby(["day", "topic"]).size()
    assert {(d["day"], d["topic"]): d["posts"] for d in r["topic_days"]} == \
        {(d, int(t)): n for (d, t), n in per_day.items()}
    weekly = run_topics_over_time(r, "W")
    sizes = {t["topic"]: t["size"] for t in r["topics"]}
    assert weekly.groupby("topic")["posts"].sum().to_dict() == {int(t): sizes[int(t)] for t in largest}
    assert set(weekly["topic_label"]) == {t["label"] for t in r["topics"] if t["topic"] in set(largest)}
    assert weekly["share"].between(0, 1).all() and weekly["share"].max() > 0
    # sentiment over time and the spike alerts of the whole run: every post's label, the run's own alerts.csv
    from lib.ingest.run_totals import run_alerts, run_sentiment_over_time

    labels = run.assign(day=day_keys(run["created_at"])).groupby("day")["sentiment_label"].value_counts()
    assert all(d.get(k, 0) == labels.get((d["day"], k), 0) for d in r["per_day"] for k in ("positive", "negative"))
    moods = run_sentiment_over_time(r, "W")
    assert moods[["positive", "neutral", "negative"]].sum().to_dict() == \
        run["sentiment_label"].value_counts().reindex(["positive", "neutral", "negative"]).to_dict()
    assert np.allclose(moods[["share_positive", "share_neutral", "share_negative"]].sum(axis=1), 1)
    written = pd.read_csv(local_run / "alerts.csv", encoding="utf-8-sig")
    alerts = run_alerts(r)
    assert r["alert_sensitivity"] == 3.5 and len(written) >= 1
    assert alerts["start"].tolist() == written["start"].tolist() and \
        alerts["posts"].tolist() == written["posts"].tolist()  # every post counted, not the sample's 600
    with Workspace(ws_file) as ws:
        topics = pipeline.stored_topics(ws, ds_id)
    assert topics is not None and set(topics.post_id) == set(posts["post_id"])
    with Workspace(tmp_path / "whole.duckdb") as ws:  # every representative post of the run is in the sample
        whole = open_run(ws, local_run)
        assert topics.representative == pipeline.stored_topics(ws, whole.ds_id).representative


def test_a_run_opened_twice_is_one_dataset_until_a_rerun_changes_it(local_run, tmp_path):
    """The second open makes the dataset already there active (the user's name and labels kept); once a rerun
    rewrote summary.json it opens as a newer version beside it; another sample of the run is another dataset."""
    run = Path(shutil.copytree(local_run, tmp_path / "cs-run"))
    with Workspace(tmp_path / "ws.duckdb") as ws:
        first = open_run(ws, run)
        ws.rename(first.ds_id, "My conference")
        ws.set_labels(first.ds_id, {"1": "negative"})
        again = open_run(ws, tmp_path / "." / "cs-run", name="ignored")  # the same folder, spelt otherwise
        assert again.already and again.ds_id == first.ds_id and len(ws.list_datasets()) == 1
        assert again.name == "My conference" and (again.posts, again.posts_total) == (3000, 3000)
        assert (again.scores_reused, again.topics) == (first.scores_reused, first.topics) and first.topics
        assert again.line() == (f"already opened as 'My conference' (dataset {first.ds_id}): nothing imported, "
                                "no second copy (its labels and edits are kept)")
        meta = ws.meta(first.ds_id)["run"]
        assert meta["folder"] == str(run.resolve()) and len(meta["fingerprint"]) == 16

        summary = json.loads((run / "summary.json").read_text())
        summary["summary"]["posts"] += 1  # what a rerun on more posts writes
        (run / "summary.json").write_text(json.dumps(summary))
        newer = open_run(ws, run)
        assert not newer.already and newer.ds_id != first.ds_id and newer.newer_than == "My conference"
        assert newer.name.startswith("cs-run (run of ") and len(ws.list_datasets()) == 2
        assert "a newer version of the run already opened as 'My conference'" in newer.line()
        assert ws.labels(first.ds_id).to_dict() == {"1": "negative"} and ws.meta(first.ds_id)["name"] == "My conference"
        assert ws.meta(newer.ds_id)["run"]["fingerprint"] != meta["fingerprint"]
        latest = open_run(ws, run)
        assert latest.already and latest.ds_id == newer.ds_id

        sample = open_run(ws, run, max_posts=500)
        assert not sample.already and sample.newer_than is None and sample.posts == 500
        assert open_run(ws, run, max_posts=500).ds_id == sample.ds_id  # the same seeded sample
        assert open_run(ws, run, max_posts=5000).ds_id == newer.ds_id  # every post, as the newer dataset holds
        assert len(ws.list_datasets()) == 3


def test_importing_a_run_twice_prints_the_dataset_already_there(local_run, tmp_path, capsys):
    """The first import leaves the dataset's background analysis due (the app runs it when it first shows the
    dataset, as after its own import) and says so; the second imports nothing and marks nothing."""
    from lib import pipeline

    ws_file = tmp_path / "ws.duckdb"
    code, err = _import(capsys, local_run, "--workspace", ws_file)
    assert code == 0 and "; the app finds audience segments in the background when it first shows it" in err
    ds_id = _only_dataset(ws_file)[0]
    with Workspace(ws_file) as ws:
        assert pipeline.pending(ws, ds_id) == "due"
        pipeline.mark_pending(ws, ds_id, None)  # the app ran it
    code, err = _import(capsys, local_run, "--workspace", ws_file)
    with Workspace(ws_file) as ws:
        assert pipeline.pending(ws, ds_id) is None
    assert code == 0 and len(err.splitlines()) == 1, err
    assert err.startswith(f"already opened as 'cs-run' (dataset {ds_id}): nothing imported") and str(ws_file) in err
    assert _only_dataset(ws_file)[0] == ds_id


def test_a_dask_run_opened_twice_is_one_dataset_until_its_marker_changes(dask_run, tmp_path):
    with Workspace(tmp_path / "ws.duckdb") as ws:
        first = open_run(ws, dask_run)
        assert open_run(ws, dask_run).ds_id == first.ds_id and len(ws.list_datasets()) == 1
        marker = json.loads((dask_run / "_COMPLETE").read_text())
        marker["finished"] = "2099-01-01T00:00:00+0000"  # the stamp a rerun writes
        (dask_run / "_COMPLETE").write_text(json.dumps(marker))
        newer = open_run(ws, dask_run)
        assert newer.ds_id != first.ds_id and newer.newer_than == "dask-run" and len(ws.list_datasets()) == 2


def test_an_opened_runs_alerts_say_tentative_terms_and_brands(tmp_path):
    """alerts.csv marks the terms of a spike that is most of its file "tentative" (`alerts.chosen_terms`): the
    app's view of an opened run says so beside them, and keeps the brands above their usual share; a run written
    before those columns reads as it did."""
    from lib.ingest.run_read import RunFolder, read_alerts
    from lib.listening.alerts import Alert, alerts_frame
    from lib.report.export import write_csv

    day = pd.Timestamp("2017-10-31", tz="UTC")
    alerts = [Alert(day, day, ["volume"], 424, 0.8, 0.5, 0.6, 37.0, terms=["halloween", "costume"],
                    terms_tentative=True,
                    brands=pd.DataFrame({"brand": ["ChipotleTweets"], "posts": [55], "share": [0.13],
                                         "usual_share": [0.03]})),
              Alert(day - pd.Timedelta(days=9), day - pd.Timedelta(days=9), ["volume"], 40, 3.0, 0.5, 0.6, 5.0,
                    terms=["outage"])]
    write_csv(alerts_frame(alerts), tmp_path / "alerts.csv")
    run = RunFolder(tmp_path, "local", {}, ())
    read = read_alerts(run)
    assert [a["terms"] for a in read] == ["tentatively: halloween, costume", "outage"]
    assert [a["brands"] for a in read] == ["ChipotleTweets 13% (usually 3%)", ""]
    write_csv(alerts_frame(alerts).drop(columns=["terms_kind", "brands"]), tmp_path / "alerts.csv")
    read = read_alerts(run)
    assert [a["terms"] for a in read] == ["halloween, costume", "outage"] and "brands" not in read[0]
