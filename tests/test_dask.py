"""`analyze --engine dask`: the local engine's answers for every post on a 2-process LocalCluster, folders of
Parquet/CSV partitions, resuming, and bad input (exit 2, one line, no _COMPLETE marker).

One LocalCluster (2 worker processes of 1 thread) serves every test through --scheduler, so the workers start
and load their models once."""
import json
import os
import subprocess
import sys

import pandas as pd
import pytest

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
    return posts, json.loads((out / "summary.json").read_text())


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
    local_posts, local_summary = local
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
    assert summary["sentiment_shares"]["overall"] == local_summary["sentiment_shares"]["overall"]
    assert summary["sentiment"]["alerts"] == len(pd.read_csv(out / "alerts.csv"))
    assert summary["engine"]["partitions"] == 3 and summary["engine"]["computed"] == 3
    marker = json.loads((out / "_COMPLETE").read_text())
    assert marker["engine"] == "dask" and [p["posts"] for p in marker["partitions"]] == [250, 250, 167]
    assert set(loads_per_worker(scheduler)) <= {0, 1} and sum(loads_per_worker(scheduler)) >= 1


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


def test_steps_the_dask_engine_does_not_run_yet(inputs, tmp_path):
    out = tmp_path / "dask"
    done = run("analyze", inputs[0], "--out", out, "--steps", "sentiment,topics", "--engine", "dask")
    assert_refused(done, out, "topics need --engine local")
    done = run("analyze", inputs[0], "--out", out, "--scheduler", "tcp://127.0.0.1:9")
    assert_refused(done, out, "--scheduler and --workers need --engine dask")
