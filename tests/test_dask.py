"""`analyze --engine dask`: the local engine's answers for every post on a 2-process LocalCluster (the same
topic for every post given the same fitted model), the same summary (per-brand shares, their interval within
Monte Carlo noise, alerts with their terms, top posts and amplifiers), topics fitted on a sample, folders of
Parquet/CSV partitions, resuming, and bad input (exit 2, one line, no _COMPLETE marker).

One LocalCluster (2 worker processes of 1 thread) serves every test through --scheduler, so the workers start
and load their models once."""
import json
import os
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from lib.embeddings.registry import BACKENDS
from tests.conftest import ROOT

SAMPLES = ROOT / "sample_data"
LISTENING = ["sentiment_label", "vader_label", "emotion", "intent", "sarcasm_flag", "language"]
SCORES = ["vader_pos", "vader_neu", "vader_neg", "sentiment", "p_negative", "p_neutral", "p_positive"]


def run(*args):
    return subprocess.run([sys.executable, "-m", "lib", *map(str, args)], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)


@pytest.fixture(scope="module")
def scheduler():
    from distributed import LocalCluster

    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    yield cluster.scheduler_address
    cluster.close()


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    """Two sample exports (two brands, a month of dates): every 12th post of each, 667 posts."""
    folder = tmp_path_factory.mktemp("inputs")
    paths = []
    for name in ("connectsphere.csv", "gamerfuel.csv"):
        df = pd.read_csv(SAMPLES / name, dtype=str, keep_default_na=False)
        path = folder / name
        df.iloc[::12].to_csv(path, index=False)
        paths.append(path)
    return paths


@pytest.fixture(scope="module")
def local(inputs, tmp_path_factory):
    out = tmp_path_factory.mktemp("local")
    done = run("analyze", *inputs, "--out", out, "--steps", "sentiment", "--no-cache")
    assert done.returncode == 0, done.stderr
    posts = pd.read_csv(out / "posts.csv", encoding="utf-8-sig", dtype={"post_id": str})
    return posts, json.loads((out / "summary.json").read_text()), read_alerts(out)


def read_alerts(out):
    return pd.read_csv(out / "alerts.csv", encoding="utf-8-sig", keep_default_na=False)


def same_alerts(rows: pd.DataFrame, tmp_path, scheduler) -> pd.DataFrame:
    """`rows` written as spike.csv and analysed by both engines (Dask over partitions of 100 posts): alerts.csv,
    asserted the same from both."""
    path, local, out = tmp_path / "spike.csv", tmp_path / "local", tmp_path / "dask"
    rows.to_csv(path, index=False)
    assert run("analyze", path, "--out", local, "--steps", "sentiment", "--no-cache").returncode == 0
    done = run("analyze", path, "--out", out, "--steps", "sentiment", "--engine", "dask", "--scheduler", scheduler,
               "--partition-rows", "100")
    assert done.returncode == 0, done.stderr
    alerts = read_alerts(out)
    pd.testing.assert_frame_equal(alerts, read_alerts(local))
    return alerts


def dask_posts(out):
    return pd.read_parquet(out / "posts")


def assert_same_posts(local_posts, dask, ids=None):
    m = local_posts.merge(dask, on="post_id", suffixes=("_l", "_d"), validate="one_to_one")
    assert len(m) == (len(local_posts) if ids is None else ids)
    for c in LISTENING:
        differ = m[m[c + "_l"].astype(str) != m[c + "_d"].astype(str)]
        assert differ.empty, f"{c}: {len(differ)} posts differ, e.g. {differ[['post_id', c + '_l', c + '_d']][:3]}"
    for c in SCORES:
        assert (m[c + "_l"] - m[c + "_d"]).abs().max() < 1e-9, c


def test_same_answers_as_the_local_engine(inputs, local, scheduler, tmp_path):
    local_posts, local_summary, local_alerts = local
    out = tmp_path / "dask"
    done = run("analyze", *inputs, "--out", out, "--steps", "sentiment", "--engine", "dask", "--scheduler",
               scheduler, "--partition-rows", "250", "--progress")
    assert done.returncode == 0, done.stderr
    assert sum("] part-0000" in line for line in done.stderr.splitlines()) == 3  # one line per partition
    assert sorted(p.name for p in (out / "posts").iterdir()) == [f"part-0000{i}.parquet" for i in range(3)]
    posts = dask_posts(out)
    assert list(posts.columns) == list(local_posts.columns)
    assert_same_posts(local_posts, posts)
    summary = json.loads((out / "summary.json").read_text())
    for key in ("summary", "import", "steps", "languages", "sentiment"):
        assert summary[key] == local_summary[key], key
    shares, local_shares = summary["sentiment_shares"], local_summary["sentiment_shares"]
    assert list(shares) == list(local_shares)
    for key in ("overall", "by_brand", "method", "labels_used"):  # per brand: the same EM, its sums added up
        assert shares[key] == local_shares[key], key
    assert len(shares["by_brand"]) == 4
    assert_close_intervals(shares["interval"], local_shares["interval"])
    alerts = read_alerts(out)
    pd.testing.assert_frame_equal(alerts, local_alerts)  # terms, top posts and amplifiers included
    assert len(alerts) == summary["sentiment"]["alerts"] == 1 and (alerts["terms"].str.count(",") == 7).all()
    assert summary["engine"]["left_out"] == []
    assert summary["engine"]["partitions"] == 3 and summary["engine"]["computed"] == 3
    marker = json.loads((out / "_COMPLETE").read_text())
    assert marker["engine"] == "dask" and [p["posts"] for p in marker["partitions"]] == [250, 250, 167]
    assert set(loads_per_worker(scheduler)) <= {0, 1} and sum(loads_per_worker(scheduler)) >= 1


def assert_close_intervals(dask, local):
    """The same bootstrap with other random draws: each bound within Monte Carlo noise of the local one (the
    largest difference measured on this input: 0.03 before the zero-shot margin)."""
    assert (dask["level"], set(dask["by_brand"])) == (local["level"], set(local["by_brand"]))
    pairs = [(dask["overall"], local["overall"])] + [(dask["by_brand"][b], local["by_brand"][b])
                                                     for b in local["by_brand"]]
    for ours, theirs in pairs:
        for label, (low, high) in theirs.items():
            assert abs(ours[label][0] - low) < 0.04 and abs(ours[label][1] - high) < 0.04, (label, ours, theirs)


def test_the_interval_widened_for_posts_read_in_other_languages_as_locally(scheduler, tmp_path):
    """Posts the multilingual model read, and posts no model read, widen a brand's interval by their part on the
    cluster as on the local engine (`lib.listening.shares.reader_margin`), and summary.json counts them alike."""
    from distributed import Client

    from lib.distributed.shares import brand_shares
    from lib.listening.shares import estimate_shares
    from tests.test_shares import synthetic, with_readers

    frame = with_readers(synthetic(400))
    paths = []
    for i, rows in enumerate(np.array_split(np.arange(len(frame)), 3)):
        paths.append(str(tmp_path / f"part-{i}.parquet"))
        frame.iloc[rows].to_parquet(paths[-1])
    p_sum = [float(frame["sentiment_label"].eq(c).sum()) for c in ("negative", "neutral", "positive")]
    with Client(scheduler) as client:
        got = brand_shares(client, paths, len(frame), p_sum)["interval"]
    local = estimate_shares(frame).interval
    assert got["read_by"] == local["read_by"] and local["read_by"]["no model"] > 0
    assert_close_intervals(got, local)
    width = {b: got["by_brand"][b]["positive"][1] - got["by_brand"][b]["positive"][0] for b in ("Acme", "Bolt")}
    assert width["Bolt"] - width["Acme"] > 0.1  # 30 % of Bolt's posts unread


def test_alert_details_of_a_negative_spike(inputs, scheduler, tmp_path):
    """A day of 30 complaints among one brand's posts (a volume and negative-share alert whose focus is its
    negative posts), the posts spread over 5 partitions: the local engine's terms, top posts (three tied at
    the same engagement, more than 16 focus posts: pandas' unstable sort decides), amplifiers (authors
    with posts in several partitions) and spam share (a quarter of the complaints promote a channel)."""
    base = pd.read_csv(inputs[1], dtype=str, keep_default_na=False)
    gripes = ["GamerFuel new can tastes like metal, refund please", "GamerFuel recall: my can was leaking, awful",
              "Worst batch ever, GamerFuel can leaking and flat taste",
              "GamerFuel leaking cans again, disgusting. check out my channel"]
    spike = base.iloc[:30].copy().assign(
        id=[f"spike{i:02d}" for i in range(30)], date=[f"15/08/2026 {8 + i % 12:02d}:{i:02d}" for i in range(30)],
        content=[f"{gripes[i % 4]} #{i}" for i in range(30)], user_name=[f"angry{i % 7}" for i in range(30)],
        like_count=[str([5, 9, 9, 2, 40][i % 5]) for i in range(30)],
        followers_count=[str(100 * (i % 7)) for i in range(30)])
    local, out = tmp_path / "local", tmp_path / "dask"
    alerts = same_alerts(pd.concat([base, spike]).sample(frac=1, random_state=0), tmp_path, scheduler)
    first = alerts.iloc[0]
    assert first["kind"] == "volume + negative share" and first["start"] == "2026-08-15"
    assert {"leaking", "disgusting"} <= {w for t in first["terms"].split(", ") for w in t.split()}
    assert first["brands"].endswith("%)")  # both engines name the same brands above their usual share
    assert first["top_posts"].split(" | ")[:1] == ["spike18"] and first["amplifiers"].startswith("angry")
    assert 0.15 < float(first["spam_share"]) < 0.3  # 7 of the 30 complaints, among the day's other negative posts
    summary = json.loads((out / "summary.json").read_text())["sentiment_shares"]
    assert summary["by_brand"] == json.loads((local / "summary.json").read_text())["sentiment_shares"]["by_brand"]


def test_tentative_alert_terms_of_a_spike_that_is_most_of_its_file(scheduler, tmp_path):
    """The terms that lean towards a spike with fewer words around it than in it, marked tentative, the same from
    both engines (`alerts.chosen_terms` over the summed counts)."""
    from tests.test_listening import spike_most_of_its_file

    [alert] = same_alerts(spike_most_of_its_file(), tmp_path, scheduler).to_dict("records")
    assert alert["terms_kind"] == "tentative" and len(alert["terms"].split(", ")) == 8


def test_alert_top_posts_without_engagement_counts(inputs, scheduler, tmp_path):
    """A file with no engagement counts (the real airline tweets as most copies keep them): alerts.csv's top posts
    were the window's first five in the run's order on both engines, where the page and the report lead with the
    posts that use most of the alert's driver terms. Now both engines list those (`alerts.reading_order`), each
    text once (a complaint pasted 10 times is one), the same ids."""
    from lib.listening.alerts import term_hits, term_texts

    base = pd.read_csv(inputs[1], dtype=str, keep_default_na=False).drop(
        columns=["like_count", "reply_count", "share_count"])
    gripes = ["GamerFuel leaking can again, awful taste, refund please, recall now", "ok whatever GamerFuel",
              "GamerFuel can leaking, recall", "GamerFuel leaking can, awful taste, refund"]
    spike = base.iloc[:40].copy().assign(
        id=[f"spike{i:02d}" for i in range(40)], date=[f"15/08/2026 {8 + i % 12:02d}:{i:02d}" for i in range(40)],
        content=[gripes[0] if i % 4 == 0 else f"{gripes[i % 4]} #{i}" for i in range(40)])
    alerts = same_alerts(pd.concat([base, spike]).sample(frac=1, random_state=1), tmp_path, scheduler)
    first = alerts[alerts["start"] == "2026-08-15"].iloc[0]
    top = first["top_posts"].split(" | ")
    texts = pd.read_csv(tmp_path / "spike.csv", dtype=str, keep_default_na=False).set_index("id").loc[top, "content"]
    assert len(top) == 5 and texts.str.lower().is_unique
    hits = term_hits(term_texts(texts), first["terms"].split(", "))
    assert hits[0] == hits.max() >= 3 and "ok whatever" not in " ".join(texts)  # most terms first; no "ok whatever"
    assert gripes[0] in texts.tolist()  # its 10 copies listed once


def test_the_bootstrap_draws_split_over_partitions():
    """Each replicate's draws of a group, split over the partitions in proportion to their posts, add up to the
    local engine's number of draws (min(posts, 2000)) and never fall in a partition without the group's posts."""
    import numpy as np

    from lib.distributed.shares import _split

    sizes = np.array([[300.0, 0.0, 100.0], [5000.0, 2500.0, 2500.0]])
    split = _split(np.random.default_rng(0), np.array([400, 2000]), sizes, 200)
    assert split.shape == (200, 2, 3) and (split.sum(axis=2) == [400, 2000]).all() and (split[:, 0, 1] == 0).all()
    assert abs(split[:, 1, 0].mean() - 1000) < 10 and abs(split[:, 0, 0].mean() - 300) < 5


def loads_per_worker(scheduler):
    """How often each worker process loaded the sentiment model: once at most, however many partitions it ran."""
    from distributed import Client

    with Client(scheduler, set_as_default=False) as client:
        got = client.run(lambda: __import__("lib.listening.sentiment", fromlist=["_"]).public_model.cache_info())
    return [info.misses for info in got.values()]


def test_a_folder_of_parquet_and_csv_partitions(inputs, scheduler, tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    local = tmp_path / "local"
    assert run("analyze", inputs[1], "--out", local, "--steps", "sentiment", "--no-cache").returncode == 0
    local_posts = pd.read_csv(local / "posts.csv", encoding="utf-8-sig", dtype={"post_id": str})
    folder = tmp_path / "parts"
    folder.mkdir()
    rows = pd.read_csv(inputs[1], dtype=str, keep_default_na=False)
    pq.write_table(pa.Table.from_pandas(rows.iloc[:250], preserve_index=False), folder / "a.parquet",
                   row_group_size=150)
    empty = rows.iloc[[250]].assign(id="no-text", content="")  # left out by the import, as locally
    pd.concat([rows.iloc[250:350], empty]).to_csv(folder / "b.csv", index=False)
    typed = pd.read_csv(inputs[1], dtype={"id": str}).iloc[350:]  # numbers, missing cells, and a list column
    typed = typed.assign(tags=[["a", "b"]] * len(typed), flag=True)
    pq.write_table(pa.Table.from_pandas(typed, preserve_index=False), folder / "c.parquet")
    out = tmp_path / "dask"
    done = run("analyze", folder, "--out", out, "--steps", "sentiment", "--engine", "dask", "--scheduler", scheduler)
    assert done.returncode == 0, done.stderr
    summary = json.loads((out / "summary.json").read_text())
    assert summary["engine"]["partitions"] == 4  # a.parquet's two row groups, b.csv, c.parquet
    assert summary["summary"] == json.loads((local / "summary.json").read_text())["summary"]
    assert summary["import"]["rows_kept"] == len(local_posts) == 417
    assert [f["name"] for f in summary["import"]["files"]] == ["a.parquet", "b.csv", "c.parquet"]
    assert summary["import"]["excluded"] == {"empty text": 1}
    assert pd.read_csv(out / "excluded.csv", encoding="utf-8-sig")["source_file"].tolist() == ["b.csv"]
    assert_same_posts(local_posts, dask_posts(out))


def test_a_rerun_computes_only_what_is_missing(inputs, scheduler, tmp_path):
    out = tmp_path / "dask"
    args = ("analyze", inputs[0], "--out", out, "--steps", "sentiment", "--engine", "dask", "--scheduler",
            scheduler, "--partition-rows", "100")
    assert run(*args).returncode == 0
    parts = sorted((out / "posts").iterdir())
    assert len(parts) == 3
    before = {p.name: p.stat().st_mtime_ns for p in parts}
    parts[1].unlink()
    (out / "_COMPLETE").unlink()
    done = run(*args)
    assert done.returncode == 0, done.stderr
    summary = json.loads((out / "summary.json").read_text())
    assert (summary["engine"]["computed"], summary["engine"]["reused"]) == (1, 2)
    after = {p.name: p.stat().st_mtime_ns for p in sorted((out / "posts").iterdir())}
    assert [after[n] == before[n] for n in sorted(before)] == [True, False, True]
    assert (out / "_COMPLETE").is_file()
    again = run(*args, "--thresholds", "0.1,-0.1")  # other settings: every partition again
    assert again.returncode == 0
    assert json.loads((out / "summary.json").read_text())["engine"]["computed"] == 3


def assert_refused(done, out, words):
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and words in lines[0], done.stderr
    assert not (out / "_COMPLETE").exists()


def test_an_unreachable_scheduler_is_one_line(inputs, tmp_path):
    out = tmp_path / "dask"
    out.mkdir()
    (out / "_COMPLETE").write_text("{}")  # a stale marker from an earlier run goes first
    done = run("analyze", inputs[0], "--out", out, "--steps", "sentiment", "--engine", "dask", "--scheduler",
               "tcp://127.0.0.1:9")
    assert_refused(done, out, "cannot reach a Dask scheduler at tcp://127.0.0.1:9")


def test_unreadable_partitions_are_one_line(inputs, scheduler, tmp_path):
    folder = tmp_path / "parts"
    folder.mkdir()
    pd.read_csv(inputs[0], dtype=str).to_csv(folder / "a.csv", index=False)
    (folder / "b.parquet").write_bytes(os.urandom(2000))
    out = tmp_path / "dask"
    done = run("analyze", folder, "--out", out, "--engine", "dask", "--scheduler", scheduler)
    assert_refused(done, out, "b.parquet is not a readable Parquet file")
    (folder / "b.parquet").unlink()
    (folder / "b.csv").write_bytes(b"")  # read on a worker: the error comes back as bad input, not retried
    done = run("analyze", folder, "--out", out, "--engine", "dask", "--scheduler", scheduler)
    assert_refused(done, out, "b.csv is empty")


def test_steps_the_dask_engine_runs_only_with_what_they_read(inputs, tmp_path):
    out = tmp_path / "dask"
    done = run("analyze", inputs[0], "--out", out, "--steps", "kpis,report", "--engine", "dask")
    assert_refused(done, out, "--steps report with sentiment")
    done = run("analyze", inputs[0], "--out", out, "--steps", "sentiment,report", "--sections", "nope",
               "--engine", "dask")
    assert_refused(done, out, "--sections: unknown section(s) nope")
    done = run("analyze", inputs[0], "--out", out, "--steps", "audience", "--engine", "dask")
    assert_refused(done, out, "--steps audience with sentiment")
    done = run("analyze", inputs[0], "--out", out, "--steps", "foresight", "--engine", "dask")
    assert_refused(done, out, "--steps foresight with sentiment")
    done = run("analyze", inputs[0], "--out", out, "--steps", "sentiment,foresight", "--engine", "dask",
               "--horizon", "0")
    assert_refused(done, out, "--horizon is a number of periods from 1 to 52")
    done = run("analyze", inputs[0], "--out", out, "--scheduler", "tcp://127.0.0.1:9")
    assert_refused(done, out, "--scheduler and --workers need --engine dask")


# ---------------------------------------------------------------------------------------------------- topics
TOPIC_FILES = ["topic", "label", "size", "share", "keywords", "mean_sentiment", "cohesion"]


def stored_topics(out):
    from lib.store.run_folder import read_stored
    from lib.topics.result import TopicResult

    return TopicResult.from_stored(read_stored(out, "topics"))


@pytest.fixture(scope="module")
def local_topics(inputs, tmp_path_factory):
    """A local fit (WordLlama: the point is the same assignment, not the embedding model), then the local
    engine applying that stored model to the same posts with --topics-from."""
    fitted, applied = tmp_path_factory.mktemp("fitted"), tmp_path_factory.mktemp("applied")
    done = run("analyze", *inputs, "--out", fitted, "--steps", "topics", "--no-cache", "--embeddings", "wordllama")
    assert done.returncode == 0, done.stderr
    done = run("analyze", *inputs, "--out", applied, "--steps", "sentiment,topics", "--no-cache", "--topics-from",
               fitted)
    assert done.returncode == 0, done.stderr
    return fitted, applied


def test_the_same_topic_for_every_post_given_the_same_model(inputs, local_topics, scheduler, tmp_path):
    fitted, applied = local_topics
    model = stored_topics(fitted)  # the local engine stores its fit for the app: one row per post
    posts_fitted = pd.read_csv(fitted / "posts.csv", encoding="utf-8-sig", dtype={"post_id": str})
    assert list(model.post_id) == list(posts_fitted["post_id"]) and (model.topic == posts_fitted["topic"]).all()
    assert model.metrics["assign_floor"] > 0
    local_posts = pd.read_csv(applied / "posts.csv", encoding="utf-8-sig", dtype={"post_id": str})
    # applying a model to the posts it was fitted on gives most of them their fitted topic (nearest centre)
    assert (local_posts["topic"] == posts_fitted["topic"]).mean() > 0.8
    out = tmp_path / "dask"
    args = ("analyze", *inputs, "--out", out, "--steps", "sentiment,topics", "--engine", "dask", "--scheduler",
            scheduler, "--partition-rows", "250", "--topics-from", fitted, "--progress")
    done = run(*args)
    assert done.returncode == 0, done.stderr
    assert sum("] topics part-0000" in line for line in done.stderr.splitlines()) == 3
    posts = dask_posts(out)
    assert list(posts.columns) == list(local_posts.columns)
    m = local_posts.merge(posts, on="post_id", suffixes=("_l", "_d"), validate="one_to_one")
    assert len(m) == len(local_posts) == 667
    assert (m["topic_l"] == m["topic_d"]).all() and (m["topic_label_l"] == m["topic_label_d"]).all()
    table_l = pd.read_csv(applied / "topics.csv", encoding="utf-8-sig")
    table_d = pd.read_csv(out / "topics.csv", encoding="utf-8-sig")
    assert list(table_d.columns) == TOPIC_FILES
    pd.testing.assert_frame_equal(table_l.drop(columns="mean_sentiment"), table_d.drop(columns="mean_sentiment"))
    assert (table_l["mean_sentiment"] - table_d["mean_sentiment"]).abs().max() < 1e-9
    summary_l = json.loads((applied / "summary.json").read_text())["topics"]
    summary_d = json.loads((out / "summary.json").read_text())["topics"]
    assert {k: summary_d[k] for k in summary_l} == summary_l
    stored = stored_topics(out)
    assert sorted(stored.post_id) == sorted(local_posts["post_id"]) and stored.info["size"].sum() == 667
    assert pd.Series(stored.x).notna().mean() > 0.95  # placed at a post of the model's map with the same topic
    again = run(*args)  # the same model: every partition's topic columns reused
    assert again.returncode == 0 and "topics: 0 of 3 partitions to assign" in again.stderr


def test_the_dask_engine_fits_topics_once_on_a_sample(inputs, scheduler, tmp_path):
    out = tmp_path / "dask"
    done = run("analyze", *inputs, "--out", out, "--steps", "topics", "--engine", "dask", "--scheduler", scheduler,
               "--partition-rows", "250", "--fit-sample", "300", "--progress")  # the default MiniLM
    assert done.returncode == 0, done.stderr
    assert "topics: a sample of 300 posts from 3 partitions" in done.stderr
    summary = json.loads((out / "summary.json").read_text())["topics"]
    assert summary["embeddings"].startswith("all-MiniLM") and summary["sample"] == 300
    assert summary["fitted_on"] <= 300 and summary["assigned_by"] == "words"  # more distinct texts than the sample
    assert summary["topics"] >= 2 and 0 <= summary["outliers_after"] <= 0.3
    assert 0 < summary["assigned_by_words"] < 667 and summary["words_agreement"] > 0.6  # copies take the fit's
    assert summary["words_vectors"] is BACKENDS["wordllama"].available()
    posts = dask_posts(out)
    assert list(posts.columns[-4:]) == ["sentiment", "topic", "topic_label", "language"]
    assert posts["topic"].value_counts(normalize=True).max() < 0.9  # not everything one topic
    table = pd.read_csv(out / "topics.csv", encoding="utf-8-sig")
    assert table["size"].sum() + (posts["topic"] == -1).sum() == 667
    assert dict(zip(table["topic"], table["size"])) == posts[posts["topic"] >= 0]["topic"].value_counts().to_dict()
    stored = stored_topics(out)
    assert len(stored.post_id) == 667 and pd.Series(stored.x).notna().all()
    assert json.loads((out / "_COMPLETE").read_text())["settings"]["topic_model"] == summary["model"]
    # another model (this one) applied to a run assigned by an earlier one: every partition's topics again
    other = tmp_path / "other"
    args = ("analyze", *inputs, "--out", other, "--steps", "topics", "--engine", "dask", "--scheduler", scheduler,
            "--partition-rows", "250")
    assert run(*args, "--topics-from", out).returncode == 0
    done = run(*args, "--topics-from", other, "--progress")  # its own stored model: the same topics, reused
    assert done.returncode == 0 and "topics: 0 of 3 partitions to assign" in done.stderr


def test_topics_from_a_folder_without_a_model_is_one_line(inputs, scheduler, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    for engine in ("local", "dask"):
        out = tmp_path / engine
        done = run("analyze", inputs[0], "--out", out, "--steps", "topics", "--engine", engine,
                   *(("--scheduler", scheduler) if engine == "dask" else ()), "--topics-from", empty)
        assert_refused(done, out, "holds no topic model")
    done = run("analyze", inputs[0], "--out", tmp_path / "x", "--steps", "sentiment", "--topics-from", empty)
    assert_refused(done, tmp_path / "x", "--topics-from needs --steps topics")


# ------------------------------------------------------------------------------------------------------ KPIs
KPI_COLUMNS = ["engagement", "engagement_rate", "value_score", "vanity_score", "value_rank", "vanity_rank",
               "rank_change", "bot_likeness"]


def assert_same_kpis(ours, theirs):
    """kpis.json of both engines: equal, numbers within 1e-9 (relative: the sums are added in another order)."""
    if isinstance(theirs, dict):
        assert list(ours) == list(theirs)
        for k in theirs:
            assert_same_kpis(ours[k], theirs[k])
    elif isinstance(theirs, list):
        assert len(ours) == len(theirs)
        for a, b in zip(ours, theirs):
            assert_same_kpis(a, b)
    elif isinstance(theirs, float) and not isinstance(ours, str):
        assert ours == pytest.approx(theirs, rel=1e-9, abs=1e-12)
    else:
        assert ours == theirs


def test_the_same_kpis_as_the_local_engine(inputs, scheduler, tmp_path):
    """The value model ranks every post against the whole run (percentiles, value and vanity ranks), and
    authenticity counts copies, bursts and authors over every partition: the dask engine's KPI columns equal the
    local engine's for every post, its kpis.json the local one."""
    spam = pd.read_csv(inputs[1], dtype=str, keep_default_na=False).iloc[:6].assign(  # one author, 3 partitions
        id=[f"spam{i}" for i in range(6)], user_name="spammer", followers_count="3",
        content="Check out my channel for free gift cards, subscribe now", date="15/08/2026 10:0" + "0")
    base = pd.read_csv(inputs[1], dtype=str, keep_default_na=False)
    path = tmp_path / "gamerfuel.csv"
    pd.concat([base.iloc[:100], spam.iloc[:2], base.iloc[100:250], spam.iloc[2:4], base.iloc[250:], spam.iloc[4:]]) \
        .to_csv(path, index=False)
    local = tmp_path / "local"
    done = run("analyze", inputs[0], path, "--out", local, "--steps", "sentiment,kpis", "--no-cache")
    assert done.returncode == 0, done.stderr
    out = tmp_path / "dask"
    args = ("analyze", inputs[0], path, "--out", out, "--steps", "sentiment,kpis", "--engine", "dask",
            "--scheduler", scheduler, "--partition-rows", "250")
    done = run(*args)
    assert done.returncode == 0, done.stderr
    local_posts = pd.read_csv(local / "posts.csv", encoding="utf-8-sig", dtype={"post_id": str})
    posts = dask_posts(out)
    assert list(posts.columns) == list(local_posts.columns)
    m = local_posts.merge(posts, on="post_id", suffixes=("_l", "_d"), validate="one_to_one")
    assert len(m) == len(local_posts) == 673
    for c in KPI_COLUMNS:
        assert ((m[c + "_l"] - m[c + "_d"]).abs().fillna(0) < 1e-9).all() and \
            (m[c + "_l"].isna() == m[c + "_d"].isna()).all(), c
    assert m.loc[m["post_id"].str.startswith("spam"), "bot_likeness_d"].min() > 0.9
    theirs = json.loads((local / "kpis.json").read_text())
    assert_same_kpis(json.loads((out / "kpis.json").read_text()), theirs)
    assert json.loads((out / "summary.json").read_text())["kpis"]["kpis"] == len(theirs["kpis"])
    again = run(*args)  # the listening partitions reused, the KPIs of the whole run computed again: the same
    assert again.returncode == 0, again.stderr
    assert json.loads((out / "summary.json").read_text())["engine"]["computed"] == 0
    pd.testing.assert_frame_equal(dask_posts(out), posts)
    assert_same_kpis(json.loads((out / "kpis.json").read_text()), theirs)
    assert (out / "_COMPLETE").is_file()


def test_the_same_care_figures_as_the_local_engine(scheduler, tmp_path):
    """A care dump's answer rate and median time to a first answer from partitions' sums equal the local ones,
    the conversations and their answers falling in different partitions."""
    from tests.conftest import CARE

    path = tmp_path / "twcs.csv"
    path.write_text(CARE)
    local, out = tmp_path / "local", tmp_path / "dask"
    done = run("analyze", path, "--out", local, "--steps", "sentiment,kpis", "--no-cache")
    assert done.returncode == 0, done.stderr
    done = run("analyze", path, "--out", out, "--steps", "sentiment,kpis", "--engine", "dask", "--scheduler",
               scheduler, "--partition-rows", "2", "--no-cache")
    assert done.returncode == 0, done.stderr
    theirs = json.loads((local / "kpis.json").read_text())
    assert_same_kpis(json.loads((out / "kpis.json").read_text()), theirs)
    care = {k["name"]: k["value"] for k in theirs["kpis"]}
    assert care["Answered by brands"] == 0.5 and care["Median first answer"] == pytest.approx(2.4)


# -------------------------------------------------------------------------------------------------- audience
def test_the_same_audience_as_the_local_engine(inputs, scheduler, tmp_path):
    """Segments fitted once on the client over the author table added up from partition sums: the local
    engine's authors.csv, segments.csv, summary block and every post's segment and persona."""
    local, out = tmp_path / "local", tmp_path / "dask"
    done = run("analyze", *inputs, "--out", local, "--steps", "sentiment,audience", "--no-cache")
    assert done.returncode == 0, done.stderr
    done = run("analyze", *inputs, "--out", out, "--steps", "sentiment,audience", "--engine", "dask",
               "--scheduler", scheduler, "--partition-rows", "200")
    assert done.returncode == 0, done.stderr
    authors = pd.read_csv(out / "authors.csv", encoding="utf-8-sig")
    assert len(authors) == 525
    pd.testing.assert_frame_equal(authors, pd.read_csv(local / "authors.csv", encoding="utf-8-sig"), rtol=1e-9)
    segments = pd.read_csv(out / "segments.csv", encoding="utf-8-sig")
    pd.testing.assert_frame_equal(segments, pd.read_csv(local / "segments.csv", encoding="utf-8-sig"))
    mine, theirs = (json.loads((d / "summary.json").read_text())["audience"] for d in (out, local))
    mine.pop("seconds"), theirs.pop("seconds")
    assert mine == theirs and mine["unit"] == "authors" and mine["segments"] >= 2
    local_posts = pd.read_csv(local / "posts.csv", encoding="utf-8-sig", dtype={"post_id": str})
    posts = dask_posts(out)
    assert list(posts.columns) == list(local_posts.columns)
    m = local_posts.merge(posts, on="post_id", suffixes=("_l", "_d"), validate="one_to_one")
    assert len(m) == 667 and (m["segment_l"] == m["segment_d"]).all() and (m["persona_l"] == m["persona_d"]).all()
    assert_same_author_tables(out)


def assert_same_author_tables(out):
    """The feature table from the partitions' parts is the local `author_features` of all posts (per author and,
    for the posts unit, per post): the same rows, columns and groups, the values equal up to the order in which
    floats are added."""
    from lib.audience.features import author_features
    from lib.distributed.audience import author_table
    from lib.distributed.audience_parts import author_parts

    paths = sorted(str(p) for p in (out / "posts").iterdir())
    assert len(paths) == 4
    posts = pd.concat([pd.read_parquet(p) for p in paths], ignore_index=True)
    for unit in ("authors", "posts"):
        table, groups = author_table([author_parts(p, unit) for p in paths], unit)
        local_table, local_groups = author_features(posts, unit)
        assert groups == local_groups and len(groups) == 8
        pd.testing.assert_frame_equal(table, local_table, check_dtype=False, rtol=1e-12, atol=1e-15)


def test_dates_without_a_time_of_day_give_no_hour_in_either_engine(tmp_path):
    """Posts dated by day only (stored at midnight) have no usual hour: the parts of partitions leave the clock out
    just as the local features do, and a partition with times brings it back for both."""
    from lib.audience.features import author_features
    from lib.distributed.audience import author_table
    from lib.distributed.audience_parts import author_parts
    from lib.ingest.build import ImportOptions, build_posts, open_sources
    from lib.listening.enrich import enrich

    posts = build_posts(open_sources([ROOT / "sample_data" / "connectsphere.csv"]), ImportOptions()).posts
    frame = enrich(posts.head(900)).frame
    dated = frame.assign(created_at=frame["created_at"].dt.floor("D"))
    for data, timed in ((dated, False), (pd.concat([dated.iloc[:600], frame.iloc[600:]]), True)):
        paths = []
        for i, start in enumerate(range(0, len(data), 300)):
            paths.append(str(tmp_path / f"{timed}_{i}.parquet"))
            data.iloc[start:start + 300].to_parquet(paths[-1])
        table, groups = author_table([author_parts(p, "authors") for p in paths], "authors")
        local_table, local_groups = author_features(data.reset_index(drop=True), "authors")
        assert groups == local_groups and ("hour_sin" in groups["activity"]) == timed
        pd.testing.assert_frame_equal(table, local_table, check_dtype=False, rtol=1e-12, atol=1e-15)
