"""The DuckDB workspace: datasets survive restarts, and a crash mid-import leaves nothing half-written."""
import subprocess
import sys
import textwrap

import pandas as pd
import pytest

from lib.ingest.build import ImportOptions, build_posts, open_sources
from lib.store.workspace import Workspace, WorkspaceError
from tests.conftest import ROOT, write

CSV = "id,text,author,date,likes,extra\n1,hello world,ann,2024-01-01T10:00:00Z,5,x\n2,good day,bob,2024-01-02,,y\n"


def _result(tmp_path):
    return build_posts(open_sources([write(tmp_path, "a.csv", CSV)]), ImportOptions())


def test_roundtrip_keeps_types_and_values(tmp_path, workspace):
    res = _result(tmp_path)
    ds = workspace.save_dataset("Test set", res, {"note": "n"})
    back = workspace.load_posts(ds)
    assert back["text"].tolist() == ["hello world", "good day"]
    assert str(back["likes"].dtype) == "Int64" and pd.isna(back["likes"][1]) and back["likes"][0] == 5
    assert back["created_at"][0] == pd.Timestamp("2024-01-01 10:00", tz="UTC")
    assert back["extra"].tolist() == ["x", "y"]
    meta = workspace.meta(ds)
    assert meta["name"] == "Test set" and meta["rows"] == 2 and meta["note"] == "n"
    assert meta["files"][0]["mapping"]["text"] == "text"
    assert len(workspace.load_raw(ds)) == 2


def test_datasets_survive_a_restart(tmp_path):
    path = tmp_path / "ws.duckdb"
    with Workspace(path) as ws:
        ds = ws.save_dataset("keep me", _result(tmp_path))
        salt = ws.salt
    with Workspace(path) as ws:
        assert ws.list_datasets()["name"].tolist() == ["keep me"]
        assert len(ws.load_posts(ds)) == 2
        assert ws.salt == salt  # pseudonyms stay stable across restarts


def test_rename_and_delete(tmp_path, workspace):
    a = workspace.save_dataset("a", _result(tmp_path))
    b = workspace.save_dataset("b", _result(tmp_path))
    workspace.rename(a, "renamed")
    assert set(workspace.list_datasets()["name"]) == {"renamed", "b"}
    workspace.delete(a)
    assert workspace.list_datasets()["id"].tolist() == [b]
    with pytest.raises(KeyError):
        workspace.load_posts(a)
    tables = {r[0] for r in workspace._con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    assert not any(a in t for t in tables)
    with pytest.raises(ValueError):
        workspace.rename(b, "  ")


def test_failure_inside_save_rolls_back(tmp_path, workspace, monkeypatch):
    res = _result(tmp_path)
    keep = workspace.save_dataset("before", res)
    res.raw = object()  # saving the third table fails half-way through the transaction
    with pytest.raises(Exception):
        workspace.save_dataset("broken", res)
    assert workspace.list_datasets()["id"].tolist() == [keep]
    tables = {r[0] for r in workspace._con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    assert tables == {"meta", "datasets", "text_scores", "labels", "text_vectors", "topic_results", "topic_docs",
                      "topic_edits", "audience_results", "audience_edits", "workshop_answers", f"posts_{keep}", f"excluded_{keep}",
                      f"raw_{keep}"}


def test_killed_process_mid_import_leaves_workspace_intact(tmp_path):
    path = tmp_path / "ws.duckdb"
    with Workspace(path) as ws:
        keep = ws.save_dataset("before", _result(tmp_path))
    child = textwrap.dedent(f"""
        import os, sys
        sys.path.insert(0, {str(ROOT)!r})
        from lib.ingest.build import ImportOptions, build_posts, open_sources
        from lib.store.workspace import Workspace
        import lib.store.workspace as store
        res = build_posts(open_sources([{str(tmp_path / 'a.csv')!r}]), ImportOptions())
        ws = Workspace({str(path)!r})
        real = store._for_duckdb
        calls = []
        def dying(frame):
            calls.append(1)
            if len(calls) == 3:   # posts and excluded tables are written: die like SIGKILL would
                os._exit(137)
            return real(frame)
        store._for_duckdb = dying
        ws.save_dataset("half", res)
    """)
    proc = subprocess.run([sys.executable, "-c", child], capture_output=True, timeout=120)
    assert proc.returncode == 137, proc.stderr.decode()[-2000:]
    with Workspace(path) as ws:
        assert ws.list_datasets()["id"].tolist() == [keep]
        assert len(ws.load_posts(keep)) == 2
        tables = {r[0] for r in ws._con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        assert len([t for t in tables if t.startswith("posts_")]) == 1


def test_locked_workspace_gives_a_clear_error(tmp_path):
    path = tmp_path / "ws.duckdb"
    holder = subprocess.Popen([sys.executable, "-c", f"import duckdb,time; c=duckdb.connect({str(path)!r}); "
                               "print('ready', flush=True); time.sleep(60)"], stdout=subprocess.PIPE)
    try:
        assert holder.stdout.readline().strip() == b"ready"
        with pytest.raises(WorkspaceError, match="cannot be opened"):
            Workspace(path)
    finally:
        holder.kill()
        holder.wait()


def test_sigkill_while_saving_an_analysis_keeps_the_previous_one(tmp_path):
    """A real process is SIGKILLed in the middle of replacing a dataset's audience segments: the workspace
    opens, the dataset and the previous segments are intact."""
    path = tmp_path / "ws.duckdb"
    make = textwrap.dedent("""
        import pandas as pd
        from lib.audience.segments import AudienceResult, AudienceSettings
        def result(seed):
            authors = pd.DataFrame({"author": ["a", "b", "c"], "segment": [0, 0, 1], "nearest_segment": [0, 0, 1],
                                    "probability": [1.0, 1.0, 1.0], "x": [0.0, 1, 2], "y": [0.0, 1, 2],
                                    "posts": [1.0, 2, 3]})
            personas = pd.DataFrame({"segment": [0, 1], "name": [f"first {seed}", f"second {seed}"],
                                     "description": ["", ""], "authors": [2, 1], "share": [2 / 3, 1 / 3],
                                     "posts": [3, 3], "posts_per_author": [1.5, 3.0]})
            return AudienceResult(AudienceSettings(seed=seed), authors, {"activity": ["posts"]}, personas,
                                  {"segments": 2})
    """)
    ns: dict = {}
    exec(make, ns)
    with Workspace(path) as ws:
        keep = ws.save_dataset("before", _result(tmp_path))
        ws.save_audience(keep, ns["result"](1))
    child = textwrap.dedent(f"""
        import os, signal, sys
        sys.path.insert(0, {str(ROOT)!r})
        from lib.store.workspace import Workspace
        import lib.store.workspace as store
    """) + make + textwrap.dedent(f"""
        ws = Workspace({str(path)!r})
        def dying(frame):
            os.kill(os.getpid(), signal.SIGKILL)  # the old authors table is already dropped in the transaction
        store._for_duckdb = dying
        ws.save_audience({keep!r}, result(2))
    """)
    proc = subprocess.run([sys.executable, "-c", child], capture_output=True, timeout=120)
    assert proc.returncode == -9, (proc.returncode, proc.stderr.decode()[-2000:])
    with Workspace(path) as ws:
        assert ws.list_datasets()["id"].tolist() == [keep] and len(ws.load_posts(keep)) == 2
        back = ws.load_audience(keep)
        assert back.settings.seed == 1 and back.personas["name"].tolist() == ["first 1", "second 1"]
        assert back.authors["author"].tolist() == ["a", "b", "c"]
