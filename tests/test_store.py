"""The DuckDB workspace: datasets survive restarts, a crash mid-import leaves nothing half-written, results of any
family round-trip through the save/load protocol, and a workspace of the previous layout opens with its results."""
import json
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, ClassVar

import numpy as np
import pandas as pd
import pytest

from lib.ingest.build import ImportOptions, build_posts, open_sources
from lib.store.results import Stored
from lib.store.workspace import Workspace, WorkspaceError
from tests.conftest import ROOT, write

CSV = "id,text,author,date,likes,extra\n1,hello world,ann,2024-01-01T10:00:00Z,5,x\n2,good day,bob,2024-01-02,,y\n"


def _result(tmp_path):
    return build_posts(open_sources([write(tmp_path, "a.csv", CSV)]), ImportOptions())


def _save(ws, name, res, **kw) -> str:
    return ws.save_dataset(name, res.posts, res.excluded, res.report, **{"raw": res.raw, **kw})


def test_roundtrip_keeps_types_and_values(tmp_path, workspace):
    res = _result(tmp_path)
    ds = _save(workspace, "Test set", res, extra_meta={"note": "n"})
    back = workspace.load_posts(ds)
    assert back["text"].tolist() == ["hello world", "good day"]
    assert str(back["likes"].dtype) == "Int64" and pd.isna(back["likes"][1]) and back["likes"][0] == 5
    assert back["created_at"][0] == pd.Timestamp("2024-01-01 10:00", tz="UTC")
    assert back["extra"].tolist() == ["x", "y"]
    meta = workspace.meta(ds)
    assert meta["name"] == "Test set" and meta["rows"] == 2 and meta["note"] == "n"
    assert meta["files"][0]["mapping"]["text"] == "text"
    assert len(workspace.load_raw(ds)) == 2
    bare = workspace.save_dataset("no provenance", res.posts, res.excluded, res.report)
    assert workspace.load_raw(bare).empty and len(workspace.load_posts(bare)) == 2


def test_datasets_survive_a_restart(tmp_path):
    path = tmp_path / "ws.duckdb"
    with Workspace(path) as ws:
        ds = _save(ws, "keep me", _result(tmp_path))
        salt = ws.salt
    with Workspace(path) as ws:
        assert ws.list_datasets()["name"].tolist() == ["keep me"]
        assert len(ws.load_posts(ds)) == 2
        assert ws.salt == salt  # pseudonyms stay stable across restarts


def test_rename_and_delete(tmp_path, workspace):
    a = _save(workspace, "a", _result(tmp_path))
    b = _save(workspace, "b", _result(tmp_path))
    workspace.rename(a, "renamed")
    assert set(workspace.list_datasets()["name"]) == {"renamed", "b"}
    workspace.delete(a)
    assert workspace.list_datasets()["id"].tolist() == [b]
    with pytest.raises(KeyError):
        workspace.load_posts(a)
    assert not any(a in t for t in _tables(workspace))
    with pytest.raises(ValueError):
        workspace.rename(b, "  ")


def test_failure_inside_save_rolls_back(tmp_path, workspace, monkeypatch):
    res = _result(tmp_path)
    keep = _save(workspace, "before", res)
    with pytest.raises(AttributeError):  # saving the third table fails half-way through the transaction
        _save(workspace, "broken", res, raw=object())
    assert workspace.list_datasets()["id"].tolist() == [keep]
    assert _tables(workspace) == {"meta", "datasets", "text_scores", "labels", "label_events", "text_vectors",
                                  "topic_edits",
                                  "persona_edits", "workshop_answers", "results", "result_blobs", f"posts_{keep}",
                                  f"excluded_{keep}", f"raw_{keep}"}


def test_killed_process_mid_import_leaves_workspace_intact(tmp_path):
    path = tmp_path / "ws.duckdb"
    with Workspace(path) as ws:
        keep = _save(ws, "before", _result(tmp_path))
    child = textwrap.dedent(f"""
        import os, sys
        sys.path.insert(0, {str(ROOT)!r})
        from lib.ingest.build import ImportOptions, build_posts, open_sources
        from lib.store.workspace import Workspace
        import lib.store.datasets as store
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
        ws.save_dataset("half", res.posts, res.excluded, res.report, raw=res.raw)
    """)
    proc = subprocess.run([sys.executable, "-c", child], capture_output=True, timeout=120)
    assert proc.returncode == 137, proc.stderr.decode()[-2000:]
    with Workspace(path) as ws:
        assert ws.list_datasets()["id"].tolist() == [keep]
        assert len(ws.load_posts(keep)) == 2
        assert len([t for t in _tables(ws) if t.startswith("posts_")]) == 1


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


def _tables(ws) -> set[str]:
    return {r[0] for r in ws._con.execute("SELECT table_name FROM information_schema.tables").fetchall()}


@dataclass(frozen=True, eq=False)
class Fake:
    """A tiny result of any family: what it stores is what it holds."""
    family: ClassVar[str] = "fake"
    meta: dict[str, Any]
    frames: dict[str, pd.DataFrame]
    blobs: dict[str, bytes]

    def to_stored(self) -> Stored:
        return Stored(self.meta, self.frames, self.blobs)

    @classmethod
    def from_stored(cls, stored: Stored) -> "Fake":
        return cls(stored.meta, stored.frames, stored.blobs)


class FakeTopics(Fake):
    family: ClassVar[str] = "topics"


class FakeSegments(Fake):
    family: ClassVar[str] = "segments"


def _fake(seed: int = 1, cls: type[Fake] = Fake) -> Fake:
    mixed = pd.DataFrame({
        "id": pd.array([1, None, 3], dtype="Int64"), "name": pd.array(["a", None, "c"], dtype="string"),
        "plain": ["x", None, "z"], "words": [["w", "v"], [], ["u"]], "weights": [[0.5, 0.25], [], [1.0]],
        "when": pd.to_datetime(["2024-01-01 10:00", None, "2024-03-01 00:00"], utc=True),
        "f32": np.float32([1.5, 2, 3]), "n": [seed, 2, 3], "share": [0.1, np.nan, 1 / 3], "flag": [True, False, True],
        "kind": pd.Categorical(["p", "q", "p"])})
    return cls({"seed": seed, "nested": {"k": [1, 2]}},
               {"mixed": mixed, "empty": pd.DataFrame(columns=["left", "right"]), "nothing": pd.DataFrame()},
               {"vec": np.arange(4, dtype=np.float32).tobytes()})


def test_a_result_of_any_family_round_trips_with_its_dtypes(workspace):
    res = _fake()
    assert workspace.load_result("abc", Fake) is None and workspace.result_stamp("abc", "fake") is None
    workspace.save_result("abc", res)
    back = workspace.load_result("abc", Fake)
    assert back.meta == res.meta and back.blobs == res.blobs
    pd.testing.assert_frame_equal(back.frames["mixed"], res.frames["mixed"])
    assert back.frames["mixed"]["words"].tolist() == [["w", "v"], [], ["u"]]
    assert list(back.frames["empty"].columns) == ["left", "right"] and back.frames["empty"].empty
    assert back.frames["nothing"].shape == (0, 0)
    stamp = workspace.result_stamp("abc", "fake")
    assert stamp and workspace.result_stamp("abc", "topics") is None
    workspace.save_result("abc", _fake(2))  # replaces, with a new stamp
    assert workspace.load_result("abc", Fake).meta["seed"] == 2 and workspace.result_stamp("abc", "fake") != stamp
    assert len([t for t in _tables(workspace) if t.startswith("result__fake__abc__")]) == 2
    with pytest.raises(ValueError, match="distinct text column names"):
        workspace.save_result("abc", Fake({}, {"bad": pd.DataFrame([[1, 2]], columns=["a", "a"])}, {}))
    assert workspace.load_result("abc", Fake).meta["seed"] == 2  # the failed save changed nothing


def test_a_new_fit_clears_the_edits_of_its_family_only(workspace):
    topic_edits = pd.DataFrame({"topic": [0], "label": ["Battery"], "merge_into": [None], "hidden": [False]})
    persona_edits = pd.DataFrame({"segment": [0], "name": ["Champions"], "description": [None]})
    workspace.set_topic_edits("abc", topic_edits)
    workspace.set_persona_edits("abc", persona_edits)
    workspace.save_result("abc", _fake(cls=FakeSegments))
    assert workspace.persona_edits("abc").empty and workspace.topic_edits("abc")["label"].tolist() == ["Battery"]
    workspace.set_persona_edits("abc", persona_edits)
    workspace.save_result("abc", _fake(cls=FakeTopics))
    assert workspace.topic_edits("abc").empty and workspace.persona_edits("abc")["name"].tolist() == ["Champions"]
    workspace.save_result("abc", _fake())  # a family without edits
    assert workspace.persona_edits("abc")["name"].tolist() == ["Champions"]


def test_labels_after_a_fit_count_changes_and_removals(tmp_path, workspace):
    """The Audience page's notice: labels saved, changed or taken back since the segments were fitted."""
    ds = _save(workspace, "d", _result(tmp_path))
    assert workspace.labels_after(ds, "segments") == 0  # no result yet
    workspace.set_labels(ds, {"1": "positive", "2": "negative", "3": "neutral"})
    workspace.save_result(ds, _fake(cls=FakeTopics))
    assert workspace.labels_after(ds, "topics") == 0 and workspace.labels_after(ds, "segments") == 0
    workspace.set_labels(ds, {"1": "negative", "4": "positive"})  # one changed, one new
    assert workspace.labels_after(ds, "topics") == 2
    workspace.set_labels(ds, {"2": None})  # taken back: the fit saw it
    assert workspace.labels_after(ds, "topics") == 3
    workspace.set_labels(ds, {"4": None, "9": None})  # new since the fit and gone again; never labelled
    assert workspace.labels_after(ds, "topics") == 2
    workspace.set_labels(ds, {"2": "negative"})  # back as the fit saw it: no change
    assert workspace.labels_after(ds, "topics") == 1
    workspace.set_labels(ds, {"2": None, "1": "positive"})  # taken back again; 1 back to what the fit saw
    assert workspace.labels_after(ds, "topics") == 1
    workspace.save_result(ds, _fake(cls=FakeTopics))  # a new fit has seen them all
    assert workspace.labels_after(ds, "topics") == 0
    workspace.delete(ds)
    assert workspace._one("SELECT count(*) FROM label_events", [])[0] == 0


def test_deleting_a_dataset_removes_its_results_and_marks(tmp_path, workspace):
    ds = _save(workspace, "d", _result(tmp_path))
    other = _save(workspace, "o", _result(tmp_path))
    for d in (ds, other):
        workspace.save_result(d, _fake(cls=FakeTopics))
        workspace.mark_sentence_vectors(d)
    workspace.set_labels(ds, {"1": "positive"})
    workspace.delete(ds)
    assert workspace.load_result(ds, FakeTopics) is None and not workspace.sentence_vectors_ready(ds)
    assert workspace.labels(ds).empty and not any(ds in t for t in _tables(workspace))
    assert workspace.load_result(other, FakeTopics).meta["seed"] == 1 and workspace.sentence_vectors_ready(other)


def test_sigkill_while_saving_an_analysis_keeps_the_previous_one(tmp_path):
    """A real process is SIGKILLed in the middle of replacing a dataset's result (the old frame tables are
    already dropped in the transaction): the workspace opens, the dataset and the previous result are intact."""
    path = tmp_path / "ws.duckdb"
    with Workspace(path) as ws:
        keep = _save(ws, "before", _result(tmp_path))
        ws.save_result(keep, _fake(1))
    child = textwrap.dedent(f"""
        import os, signal, sys
        sys.path.insert(0, {str(ROOT)!r})
        import lib.store.result_tables as tables
        from lib.store.workspace import Workspace
        from tests.test_store import _fake
        ws = Workspace({str(path)!r})
        def dying(frame):
            os.kill(os.getpid(), signal.SIGKILL)
        tables._frame_for_duckdb = dying
        ws.save_result({keep!r}, _fake(2))
    """)
    proc = subprocess.run([sys.executable, "-c", child], capture_output=True, timeout=120)
    assert proc.returncode == -9, (proc.returncode, proc.stderr.decode()[-2000:])
    with Workspace(path) as ws:
        assert ws.list_datasets()["id"].tolist() == [keep] and len(ws.load_posts(keep)) == 2
        back = ws.load_result(keep, Fake)
        assert back.meta["seed"] == 1 and back.frames["mixed"]["n"].tolist() == [1, 2, 3]


def test_workspace_variable_naming_a_folder_opens_a_file_inside_it(tmp_path, monkeypatch):
    from lib.store.connection import default_path

    monkeypatch.setenv("LISTENING_LAB_WORKSPACE", str(tmp_path))
    assert default_path() == tmp_path / "workspace.duckdb"
    with Workspace() as ws:
        assert ws.path == tmp_path / "workspace.duckdb" and ws.list_datasets().empty
    with Workspace(tmp_path) as ws:  # --workspace FOLDER too
        assert ws.path == tmp_path / "workspace.duckdb"


def test_a_workspace_from_a_newer_version_is_refused_clearly(tmp_path):
    path = tmp_path / "ws.duckdb"
    with Workspace(path) as ws:
        ws._con.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(WorkspaceError, match="newer Listening Lab"):
        Workspace(path)


# The layout of schema 1 and how its code saved results (git show d367f90:lib/store/workspace.py), verbatim.
V1_TABLES = [
    "CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)",
    """CREATE TABLE IF NOT EXISTS datasets (
        id VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, created_at TIMESTAMPTZ NOT NULL,
        rows BIGINT NOT NULL, meta JSON NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS text_scores (
        text_hash VARCHAR, model_version VARCHAR, compound DOUBLE, pos DOUBLE, neu DOUBLE, neg DOUBLE,
        p_negative DOUBLE, p_neutral DOUBLE, p_positive DOUBLE, PRIMARY KEY (text_hash, model_version))""",
    """CREATE TABLE IF NOT EXISTS labels (
        dataset_id VARCHAR, post_id VARCHAR, label VARCHAR NOT NULL, labelled_at TIMESTAMPTZ NOT NULL,
        PRIMARY KEY (dataset_id, post_id))""",
    """CREATE TABLE IF NOT EXISTS text_vectors (
        text_hash VARCHAR, model VARCHAR, vec BLOB NOT NULL, PRIMARY KEY (text_hash, model))""",
    """CREATE TABLE IF NOT EXISTS topic_results (
        dataset_id VARCHAR PRIMARY KEY, settings JSON NOT NULL, backend VARCHAR NOT NULL, info JSON NOT NULL,
        representative JSON NOT NULL, hierarchy JSON NOT NULL, centres BLOB, metrics JSON NOT NULL,
        created_at TIMESTAMPTZ NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS topic_docs (
        dataset_id VARCHAR, post_id VARCHAR, topic INTEGER, x DOUBLE, y DOUBLE)""",
    """CREATE TABLE IF NOT EXISTS topic_edits (
        dataset_id VARCHAR, topic INTEGER, label VARCHAR, merge_into INTEGER, hidden BOOLEAN NOT NULL,
        PRIMARY KEY (dataset_id, topic))""",
    """CREATE TABLE IF NOT EXISTS audience_results (
        dataset_id VARCHAR PRIMARY KEY, settings JSON NOT NULL, groups JSON NOT NULL, personas JSON NOT NULL,
        metrics JSON NOT NULL, created_at TIMESTAMPTZ NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS audience_edits (
        dataset_id VARCHAR, segment INTEGER, name VARCHAR, description VARCHAR,
        PRIMARY KEY (dataset_id, segment))""",
    """CREATE TABLE IF NOT EXISTS workshop_answers (
        exercise VARCHAR, step VARCHAR, answer VARCHAR NOT NULL, updated_at TIMESTAMPTZ NOT NULL,
        PRIMARY KEY (exercise, step))""",
    "INSERT INTO meta VALUES ('schema_version', '1') ON CONFLICT DO NOTHING",
    "INSERT INTO meta VALUES ('salt', 'old-salt') ON CONFLICT DO NOTHING",
]


def _v1_topics(cur, ds_id, result, now):
    docs = result.doc_frame().assign(dataset_id=ds_id)[["dataset_id", "post_id", "topic", "x", "y"]]
    info = result.info.to_json(orient="records")
    cur.execute("INSERT INTO topic_results VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [ds_id, result.settings.to_json(), result.backend, info,
                 json.dumps({str(k): v for k, v in result.representative.items()}),
                 result.hierarchy.to_json(orient="split"),
                 np.ascontiguousarray(result.centres, dtype=np.float32).tobytes(),
                 json.dumps(result.metrics), now])
    cur.register("docs_in", docs)
    cur.execute("INSERT INTO topic_docs SELECT * FROM docs_in")
    cur.unregister("docs_in")


def _v1_segments(cur, ds, result, now):
    from lib.store.datasets import _for_duckdb

    cur.register("authors_in", _for_duckdb(result.authors))
    cur.execute(f'CREATE TABLE "audience_{ds}" AS SELECT * FROM authors_in')
    cur.unregister("authors_in")
    cur.execute("INSERT INTO audience_results VALUES (?, ?, ?, ?, ?, ?)",
                [ds, result.settings.to_json(), json.dumps(result.groups), result.personas.to_json(orient="records"),
                 json.dumps(result.metrics), now])


def _results():
    from lib.audience.result import SegmentResult, SegmentSettings
    from lib.topics.result import TopicResult, TopicSettings

    info = pd.DataFrame({"topic": [-1, 0, 1], "label": ["Outliers", "battery life", "screen"], "size": [1, 2, 1],
                         "keywords": [[], ["battery", "life"], ["screen"]], "weights": [[], [0.5, 0.25], [0.75]],
                         "tx": [0.0, 1.5, -2.0], "ty": [0.0, 0.5, 3.25]})
    topics = TopicResult(TopicSettings(extra_stopwords=("acme",), seed=3), "wordllama-l2-supercat-256",
                         np.array(["p1", "p2", "p3", "p4"], dtype=object), np.array([0, 0, 1, -1]),
                         np.array([0.1, 0.2, 0.3, 0.4]), np.array([1.0, 2.0, 3.0, 4.0]), info,
                         {0: ["p1", "p2"], 1: ["p3"]},
                         pd.DataFrame([[0.0, 1.0, 0.5, 2.0]], columns=["left", "right", "distance", "size"]),
                         np.random.default_rng(0).random((2, 4), dtype=np.float32), {"n_topics": 2, "outliers": 0.25})
    authors = pd.DataFrame({"author": ["a", "b", "c"], "segment": [0, 0, 1], "nearest_segment": [0, 0, 1],
                            "probability": [1.0, 0.5, 1.0], "x": [0.0, 1, 2], "y": [0.0, 1, 2], "posts": [1.0, 2, 3]})
    personas = pd.DataFrame({"segment": [0, 1], "name": ["Fans", "Critics"], "description": ["love it", ""],
                             "authors": [2, 1], "share": [2 / 3, 1 / 3], "posts": [3, 3]})
    segments = SegmentResult(SegmentSettings(seed=5), authors, {"activity": ["posts"]}, personas, {"segments": 2})
    return topics, segments


def test_a_workspace_of_the_previous_layout_opens_with_its_results_and_edits(tmp_path):
    from lib.audience.result import SegmentResult
    from lib.topics.result import TopicResult

    path, now = tmp_path / "old.duckdb", datetime(2025, 5, 1, 12, 30, tzinfo=UTC)
    topics, segments = _results()
    posts = _result(tmp_path).posts
    with Workspace(path) as ws:  # only to have the DuckDB file; the tables are replaced by the old layout
        ws._con.execute("DROP TABLE results; DROP TABLE result_blobs; DROP TABLE persona_edits; DROP TABLE meta")
    import duckdb

    with duckdb.connect(str(path)) as con:
        for sql in V1_TABLES:
            con.execute(sql)
        con.execute("INSERT INTO datasets VALUES ('d1', 'old', now(), 2, '{}')")
        con.register("posts_in", posts)
        con.execute('CREATE TABLE "posts_d1" AS SELECT * FROM posts_in')
        _v1_topics(con, "d1", topics, now)
        _v1_segments(con, "d1", segments, now)
        con.execute("INSERT INTO topic_edits VALUES ('d1', 0, 'Battery woes', NULL, false)")
        con.execute("INSERT INTO audience_edits VALUES ('d1', 1, 'Detractors', 'loud')")
        con.execute("INSERT INTO labels VALUES ('d1', '1', 'negative', TIMESTAMPTZ '2025-04-01 00:00:00+00'), "
                    "('d1', '2', 'positive', TIMESTAMPTZ '2025-06-01 00:00:00+00')")
        before_authors = con.execute('SELECT * FROM "audience_d1"').df()  # what the old load gave
    with Workspace(path) as ws:
        assert ws._meta_value("schema_version") == "3" and ws.salt == "old-salt"
        assert not {"topic_results", "topic_docs", "audience_results", "audience_edits", "audience_d1"} & _tables(ws)
        assert ws.result_stamp("d1", "topics") == ws.result_stamp("d1", "segments") == str(now)  # caches stay valid
        t = ws.load_result("d1", TopicResult)
        s = ws.load_result("d1", SegmentResult)
        assert ws.topic_edits("d1")["label"].tolist() == ["Battery woes"]
        assert ws.persona_edits("d1")[["segment", "name"]].values.tolist() == [[1, "Detractors"]]
        # the label history starts from the labels as they were: one saved before the fits, one after
        assert ws.labels_after("d1", "topics") == ws.labels_after("d1", "segments") == 1
    assert t.settings == topics.settings and t.backend == topics.backend and t.metrics == topics.metrics
    assert list(t.post_id) == list(topics.post_id) and (t.topic == topics.topic).all()
    assert np.allclose(t.x, topics.x) and np.allclose(t.y, topics.y) and np.allclose(t.centres, topics.centres)
    assert t.info["label"].tolist() == topics.info["label"].tolist()
    assert t.info["keywords"].tolist() == topics.info["keywords"].tolist()
    assert t.info["weights"].tolist() == topics.info["weights"].tolist()
    assert t.representative == topics.representative
    assert np.allclose(t.hierarchy.to_numpy(dtype=float), topics.hierarchy.to_numpy(dtype=float))
    assert s.settings == segments.settings and s.groups == segments.groups and s.metrics == segments.metrics
    pd.testing.assert_frame_equal(s.authors, before_authors)
    pd.testing.assert_frame_equal(s.personas, segments.personas)
    with Workspace(path) as ws:  # a refit replaces the converted result (its renamed authors table too)
        ws.save_result("d1", segments)
        assert ws.persona_edits("d1").empty
        assert {t for t in _tables(ws) if t.startswith("result__segments__")} == {
            "result__segments__d1__authors", "result__segments__d1__personas"}
        pd.testing.assert_frame_equal(ws.load_result("d1", SegmentResult).authors, segments.authors)
        ws.delete("d1")
        assert not any("d1" in t for t in _tables(ws))
