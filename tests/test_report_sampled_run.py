"""The report of a dataset opened as a sample of an analysis run (lib.report.scope): the executive summary and the
headline give the whole run's post count, sentiment shares and volume from the run's own results, every section
counted on the sample says so, the methods say how the sample was drawn; a dataset of all the run's posts is
reported as before."""
import json
import re

import pytest

from lib import pipeline
from lib.kpis.weights import PRESETS
from lib.report.build import build
from lib.report.render import to_html
from lib.report.scope import ON_SAMPLE, run_scope
from lib.store.workspace import Workspace
from tests.conftest import ROOT
from tests.test_pages import _app, _no_errors, navigation_mode  # noqa: F401  (navigation_mode: autouse fixture)

SAMPLE_NOTE = "From here on, counted in a sample of 500 of the run's 3,000 posts"


@pytest.fixture(scope="module")
def opened(tmp_path_factory):
    """A 3,000-post run (sentiment only), opened twice: as a 500-post sample and with all its posts."""
    from lib.cli import main
    from lib.ingest.runs import open_run

    tmp = tmp_path_factory.mktemp("sampled_run")
    run = tmp / "conference"
    assert main(["analyze", str(ROOT / "sample_data" / "connectsphere.csv"), "--out", str(run),
                 "--steps", "sentiment", "--no-cache"]) == 0
    path = tmp / "ws.duckdb"
    with Workspace(path) as ws:
        sampled = open_run(ws, run, "cs sample", max_posts=500)
        full = open_run(ws, run, "cs full")
    overall = json.loads((run / "summary.json").read_text())["sentiment_shares"]["overall"]
    return path, sampled.ds_id, full.ds_id, overall


def _report(path, ds_id):
    """The report data as the Report page makes it: the analysed posts, the dataset's meta, its run scope."""
    with Workspace(path) as ws:
        meta = ws.meta(ds_id)
        frame = pipeline.listen(pipeline.load_posts(ws, ds_id), ws).frame
    data = pipeline.report_data(meta["name"], frame, meta, PRESETS["Balanced"], scope=run_scope(meta))
    return data, build(data)


def _text(sections) -> str:
    return "\n".join(b.text + "\n" + "\n".join(b.items) + "\n" + "\n".join(" ".join(r) for r in b.rows)
                     for s in sections for b in s.blocks)


def test_sampled_run_report_gives_the_whole_runs_figures_and_says_the_rest_is_a_sample(opened):
    path, sampled, _, overall = opened
    data, report = _report(path, sampled)
    assert data.scope is not None and (data.scope.posts_shown, data.scope.posts_total) == (500, 3000)
    assert len(data.frame) == 500
    by_key = {s.key: s for s in report.sections}
    findings = by_key["summary"].blocks[0].items
    # the first finding: the run's post count and its own sentiment estimate (summary.json), as the report prints
    assert findings[0].startswith(f"{overall['positive']:.0%} of the run's 3,000 posts are positive and "
                                  f"{overall['negative']:.0%} negative (the run's estimate over every post)")
    assert "posts a day on average over 30 days" in findings[0]
    metrics = {k: v for k, v, _ in by_key["headline"].blocks[1].rows}
    assert metrics["Posts"] == "3,000" and metrics["Authors"] == "408"
    assert metrics["Net sentiment"] == f"{overall['positive'] - overall['negative']:+.2f}"
    assert metrics["Posts per day"] == "100"
    assert report.period == "01 Sep 2026 to 30 Sep 2026"
    # every section counted on the sample says so once, under its title; the summary and headline say which
    # of their figures are the sample's
    for key in ON_SAMPLE:
        if key in by_key:
            blocks = by_key[key].blocks
            notes = [i for i, b in enumerate(blocks) if SAMPLE_NOTE in b.text]
            # the sentiment section: the whole run's posts per day (text and chart), then the sample's figures
            assert notes == [2 if key == "sentiment" else 0], key
    assert by_key["sentiment"].blocks[0].text == "Posts per day, every post of the run (3,000 posts)."
    assert {"sentiment", "value", "forecast"} <= set(by_key)
    assert "from a sample of 500 of the run's 3,000 posts" in _text([by_key["summary"]])
    assert "counted in a sample of 500 of the run's 3,000 posts" in by_key["headline"].blocks[0].text
    methods = "\n".join(by_key["methods"].blocks[0].items)
    assert "holds 3,000 posts; this report reads a sample of 500 of the run's 3,000 posts" in methods
    assert "drawn evenly across the run's days" in methods and "(seed 0)" in methods
    assert "never scaled up from the sample" in methods
    html = to_html(report)
    assert html.count("sample of 500 of the run&#x27;s 3,000 posts") >= len(ON_SAMPLE)


def test_a_dataset_of_all_the_runs_posts_is_reported_from_its_own_posts(opened):
    path, _, full, overall = opened
    data, report = _report(path, full)
    assert data.scope is None and len(data.frame) == 3000
    text = _text(report.sections)
    assert "sample of" not in text and "the run's" not in text and "whole run" not in text
    first = report.sections[0].blocks[0].items[0]
    share = data.frame["sentiment_label"].value_counts(normalize=True)
    assert re.search(rf"{share['positive']:.0%} of the 3,000 posts are positive and {share['negative']:.0%} "
                     "negative", "\n".join(report.sections[0].blocks[0].items)), first
    assert "sample" not in to_html(report).replace("sample_data", "")


def test_report_page_says_a_sampled_run_is_a_sample(opened, monkeypatch):
    path, sampled, _, _ = opened
    monkeypatch.setenv("LISTENING_LAB_WORKSPACE", str(path))
    at = _app().run()
    at.switch_page("pages/report.py").run()
    at.selectbox(key="dataset_picker").set_value(sampled).run()
    _no_errors(at)
    assert any("This run has 3,000 posts; this page computes on a sample of 500 of them" in i.value
               and "post count, sentiment shares and volume (which the report uses)" in i.value for i in at.info), \
        [i.value for i in at.info]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Posts (whole run)"] == "3,000"
