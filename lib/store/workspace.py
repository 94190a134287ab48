"""The workspace: one embedded DuckDB file holding every dataset and, later, its computed results.

Each dataset is saved in a single transaction (posts, excluded rows, raw cells, metadata), so a crash
in the middle of an import leaves either the whole dataset or nothing. Datasets survive restarts.
"""
from __future__ import annotations

import json
import os
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

from lib.ingest.build import ImportResult
from lib.ingest.privacy import new_salt
from lib.ingest.schema import coerce_types

SCHEMA_VERSION = 1


def default_path() -> Path:
    """LISTENING_LAB_WORKSPACE, else the per-user data folder (XDG_DATA_HOME or ~/.local/share)."""
    env = os.environ.get("LISTENING_LAB_WORKSPACE")
    if env:
        return Path(env).expanduser()
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "listening-lab" / "workspace.duckdb"


class WorkspaceError(RuntimeError):
    """The workspace file cannot be used (locked by another process, unreadable, ...)."""


class Workspace:
    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path else default_path()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._con = duckdb.connect(str(self.path))
        except duckdb.IOException as exc:
            raise WorkspaceError(f"The workspace {self.path} cannot be opened: {str(exc).splitlines()[0]}") from None
        self._lock = threading.RLock()
        with self._cur() as cur:
            cur.execute("CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
            cur.execute("""CREATE TABLE IF NOT EXISTS datasets (
                id VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, created_at TIMESTAMPTZ NOT NULL,
                rows BIGINT NOT NULL, meta JSON NOT NULL)""")
            cur.execute("""CREATE TABLE IF NOT EXISTS text_scores (
                text_hash VARCHAR, model_version VARCHAR, compound DOUBLE, pos DOUBLE, neu DOUBLE, neg DOUBLE,
                p_negative DOUBLE, p_neutral DOUBLE, p_positive DOUBLE, PRIMARY KEY (text_hash, model_version))""")
            cur.execute("""CREATE TABLE IF NOT EXISTS labels (
                dataset_id VARCHAR, post_id VARCHAR, label VARCHAR NOT NULL, labelled_at TIMESTAMPTZ NOT NULL,
                PRIMARY KEY (dataset_id, post_id))""")
            cur.execute("""CREATE TABLE IF NOT EXISTS text_vectors (
                text_hash VARCHAR, model VARCHAR, vec BLOB NOT NULL, PRIMARY KEY (text_hash, model))""")
            cur.execute("""CREATE TABLE IF NOT EXISTS topic_results (
                dataset_id VARCHAR PRIMARY KEY, settings JSON NOT NULL, backend VARCHAR NOT NULL, info JSON NOT NULL,
                representative JSON NOT NULL, hierarchy JSON NOT NULL, centres BLOB, metrics JSON NOT NULL,
                created_at TIMESTAMPTZ NOT NULL)""")
            cur.execute("""CREATE TABLE IF NOT EXISTS topic_docs (
                dataset_id VARCHAR, post_id VARCHAR, topic INTEGER, x DOUBLE, y DOUBLE)""")
            cur.execute("""CREATE TABLE IF NOT EXISTS topic_edits (
                dataset_id VARCHAR, topic INTEGER, label VARCHAR, merge_into INTEGER, hidden BOOLEAN NOT NULL,
                PRIMARY KEY (dataset_id, topic))""")
            cur.execute("""CREATE TABLE IF NOT EXISTS audience_results (
                dataset_id VARCHAR PRIMARY KEY, settings JSON NOT NULL, groups JSON NOT NULL, personas JSON NOT NULL,
                metrics JSON NOT NULL, created_at TIMESTAMPTZ NOT NULL)""")
            cur.execute("""CREATE TABLE IF NOT EXISTS audience_edits (
                dataset_id VARCHAR, segment INTEGER, name VARCHAR, description VARCHAR,
                PRIMARY KEY (dataset_id, segment))""")
            cur.execute("""CREATE TABLE IF NOT EXISTS workshop_answers (
                exercise VARCHAR, step VARCHAR, answer VARCHAR NOT NULL, updated_at TIMESTAMPTZ NOT NULL,
                PRIMARY KEY (exercise, step))""")
            cur.execute("INSERT INTO meta VALUES ('schema_version', ?) ON CONFLICT DO NOTHING", [str(SCHEMA_VERSION)])
            cur.execute("INSERT INTO meta VALUES ('salt', ?) ON CONFLICT DO NOTHING", [new_salt()])

    # -------------------------------------------------------------- plumbing
    def _cur(self) -> duckdb.DuckDBPyConnection:
        cur = self._con.cursor()
        cur.execute("SET TimeZone = 'UTC'")
        return cur

    @contextmanager
    def _transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor inside one transaction under the write lock: all of it is saved, or none of it."""
        with self._lock, self._cur() as cur:
            cur.execute("BEGIN TRANSACTION")
            try:
                yield cur
                cur.execute("COMMIT")
            except BaseException:
                cur.execute("ROLLBACK")
                raise

    def close(self) -> None:
        self._con.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def get_setting(self, key: str) -> str | None:
        with self._cur() as cur:
            row = cur.execute("SELECT value FROM meta WHERE key = ?", [f"setting:{key}"]).fetchone()
        return row[0] if row else None

    def set_setting(self, key: str, value: str) -> None:
        with self._lock, self._cur() as cur:
            cur.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", [f"setting:{key}", value])

    def sentence_vectors_ready(self, ds_id: str) -> bool:
        """Whether every post of the dataset has its MiniLM vector in the cache (see `mark_sentence_vectors`)."""
        return self.get_setting(f"sentence_vectors:{ds_id}") is not None

    def mark_sentence_vectors(self, ds_id: str) -> None:
        """Record that the dataset's posts are all embedded with MiniLM (its posts never change afterwards)."""
        self.set_setting(f"sentence_vectors:{ds_id}", "1")

    @property
    def salt(self) -> str:
        with self._cur() as cur:
            return cur.execute("SELECT value FROM meta WHERE key = 'salt'").fetchone()[0]

    # -------------------------------------------------------------- datasets
    def save_dataset(self, name: str, result: ImportResult, extra_meta: dict | None = None) -> str:
        """Store an import in one transaction and return the new dataset's id."""
        ds_id = uuid.uuid4().hex[:12]
        meta = {**result.report, **(extra_meta or {})}
        name = name.strip() or "dataset"
        with self._transaction() as cur:
            for prefix, frame in (("posts", result.posts), ("excluded", result.excluded), ("raw", result.raw)):
                cur.register("frame_in", _for_duckdb(frame))
                cur.execute(f'CREATE TABLE "{prefix}_{ds_id}" AS SELECT * FROM frame_in')
                cur.unregister("frame_in")
            cur.execute("INSERT INTO datasets VALUES (?, ?, ?, ?, ?)",
                        [ds_id, name, datetime.now(UTC), len(result.posts),
                         json.dumps(meta, default=str)])
        return ds_id

    def list_datasets(self) -> pd.DataFrame:
        with self._cur() as cur:
            df = cur.execute("SELECT id, name, created_at, rows, meta FROM datasets ORDER BY created_at DESC").df()
        metas = [json.loads(m) for m in df["meta"]]
        df["files"] = [", ".join(f["name"] for f in m.get("files", [])) for m in metas]
        df["format"] = [", ".join(m.get("formats", [])) for m in metas]
        return df.drop(columns="meta")

    def exists(self, ds_id: str) -> bool:
        with self._cur() as cur:
            return cur.execute("SELECT count(*) FROM datasets WHERE id = ?", [ds_id]).fetchone()[0] == 1

    def meta(self, ds_id: str) -> dict:
        with self._cur() as cur:
            row = cur.execute("SELECT name, created_at, rows, meta FROM datasets WHERE id = ?", [ds_id]).fetchone()
        if row is None:
            raise KeyError(ds_id)
        return {"id": ds_id, "name": row[0], "created_at": row[1], "rows": row[2], **json.loads(row[3])}

    def load_posts(self, ds_id: str) -> pd.DataFrame:
        return coerce_types(self._table("posts", ds_id))

    def load_excluded(self, ds_id: str) -> pd.DataFrame:
        return self._table("excluded", ds_id)

    def load_raw(self, ds_id: str) -> pd.DataFrame:
        return self._table("raw", ds_id)

    def _table(self, prefix: str, ds_id: str) -> pd.DataFrame:
        if not self.exists(ds_id):
            raise KeyError(ds_id)
        with self._cur() as cur:
            df = cur.execute(f'SELECT * FROM "{prefix}_{_safe(ds_id)}"').df()
        return df

    def rename(self, ds_id: str, name: str) -> None:
        if not name.strip():
            raise ValueError("A dataset needs a name")
        with self._lock, self._cur() as cur:
            cur.execute("UPDATE datasets SET name = ? WHERE id = ?", [name.strip(), ds_id])

    def delete(self, ds_id: str) -> None:
        ds_id = _safe(ds_id)
        with self._transaction() as cur:
            for prefix in ("posts", "excluded", "raw", "audience"):
                cur.execute(f'DROP TABLE IF EXISTS "{prefix}_{ds_id}"')
            for table in ("labels", "topic_results", "topic_docs", "topic_edits", "audience_results",
                          "audience_edits"):
                cur.execute(f"DELETE FROM {table} WHERE dataset_id = ?", [ds_id])
            cur.execute("DELETE FROM datasets WHERE id = ?", [ds_id])
            cur.execute("DELETE FROM meta WHERE key = ?", [f"setting:sentence_vectors:{ds_id}"])


    # -------------------------------------------------------------- per-text scores (shared by datasets)
    def cached_scores(self, hashes: pd.Series, model_version: str) -> pd.DataFrame:
        """Stored VADER scores and model probabilities for these text hashes (index: text_hash)."""
        wanted = pd.DataFrame({"text_hash": pd.unique(hashes)})
        with self._cur() as cur:
            cur.register("wanted", wanted)
            df = cur.execute("""SELECT s.text_hash, compound, pos, neu, neg, p_negative, p_neutral, p_positive
                                FROM text_scores s JOIN wanted w USING (text_hash)
                                WHERE model_version = ?""", [model_version]).df()
            cur.unregister("wanted")
        return df.set_index("text_hash")

    def put_scores(self, scores: pd.DataFrame, model_version: str) -> None:
        """Store scores indexed by text hash; a hash already stored is left as it is."""
        if scores.empty:
            return
        frame = scores.reset_index().rename(columns={"index": "text_hash"}).assign(model_version=model_version)
        frame = frame[["text_hash", "model_version", "compound", "pos", "neu", "neg", "p_negative", "p_neutral",
                       "p_positive"]]
        with self._lock, self._cur() as cur:
            cur.register("frame_in", frame)
            cur.execute("INSERT INTO text_scores SELECT * FROM frame_in ON CONFLICT DO NOTHING")
            cur.unregister("frame_in")

    # -------------------------------------------------------------- per-text embeddings (shared by datasets)
    def vectors_into(self, hashes, model: str, out, rows=None, batch: int = 50_000):
        """Copy stored float32 vectors for `hashes` into `out`: hash i goes to row rows[i] (default i).
        Returns which hashes were found. Batched, so a million cached vectors never sit in memory twice."""
        import numpy as np

        hashes = np.asarray(hashes, dtype=object)
        found = np.zeros(len(hashes), dtype=bool)
        for start in range(0, len(hashes), batch):
            wanted = pd.DataFrame({"text_hash": hashes[start:start + batch],
                                   "row": np.arange(start, min(start + batch, len(hashes)))})
            with self._cur() as cur:
                cur.register("wanted", wanted)
                got = cur.execute("""SELECT w.row, v.vec FROM text_vectors v JOIN wanted w USING (text_hash)
                                     WHERE model = ? ORDER BY w.row""", [model]).fetchnumpy()
                cur.unregister("wanted")
            idx = np.asarray(got["row"], dtype=np.int64)
            if len(idx):
                vecs = np.frombuffer(b"".join(got["vec"].tolist()), dtype=np.float32).reshape(len(idx), -1)
                out[idx if rows is None else np.asarray(rows)[idx]] = vecs
                found[idx] = True
        return found

    def put_vectors(self, hashes, vectors, model: str) -> None:
        """Store vectors by text hash; a hash already stored is left as it is."""
        import numpy as np

        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        frame = pd.DataFrame({"text_hash": list(hashes), "model": model,
                              "vec": [row.tobytes() for row in vectors]})
        if frame.empty:
            return
        with self._lock, self._cur() as cur:
            cur.register("frame_in", frame)
            cur.execute("INSERT INTO text_vectors SELECT text_hash, model, vec FROM frame_in ON CONFLICT DO NOTHING")
            cur.unregister("frame_in")

    # -------------------------------------------------------------- the user's sentiment labels
    def set_labels(self, ds_id: str, labels: dict[str, str]) -> None:
        """Save or replace the user's label for posts of a dataset (label None removes it)."""
        now = datetime.now(UTC)
        with self._transaction() as cur:
            for post_id, label in labels.items():
                if label is None:
                    cur.execute("DELETE FROM labels WHERE dataset_id = ? AND post_id = ?", [ds_id, post_id])
                else:
                    cur.execute("INSERT OR REPLACE INTO labels VALUES (?, ?, ?, ?)", [ds_id, post_id, label, now])

    def labels(self, ds_id: str) -> pd.Series:
        """The user's labels for a dataset: post_id -> label."""
        with self._cur() as cur:
            df = cur.execute("SELECT post_id, label FROM labels WHERE dataset_id = ? ORDER BY labelled_at",
                             [ds_id]).df()
        return pd.Series(df["label"].to_numpy(), index=df["post_id"].to_numpy(), dtype=object)


    # -------------------------------------------------------------- workshop answers
    def set_answer(self, exercise: str, step: str, answer: str) -> None:
        """Save a student's answer to one exercise step (an empty answer removes it)."""
        with self._transaction() as cur:
            if answer.strip():
                cur.execute("INSERT OR REPLACE INTO workshop_answers VALUES (?, ?, ?, ?)",
                            [exercise, step, answer, datetime.now(UTC)])
            else:
                cur.execute("DELETE FROM workshop_answers WHERE exercise = ? AND step = ?", [exercise, step])

    def answers(self, exercise: str) -> dict[str, str]:
        """step -> answer for one exercise."""
        with self._cur() as cur:
            rows = cur.execute("SELECT step, answer FROM workshop_answers WHERE exercise = ?", [exercise]).fetchall()
        return dict(rows)

    # -------------------------------------------------------------- topics: the fitted result and the user's edits
    def save_topics(self, ds_id: str, result) -> None:
        """Replace the dataset's topic result in one transaction (a crash keeps the previous one).

        Edits belong to the topic ids of one fit, so a new fit clears them."""
        import numpy as np

        docs = result.doc_frame().assign(dataset_id=ds_id)[["dataset_id", "post_id", "topic", "x", "y"]]
        now = datetime.now(UTC)
        info = result.info.to_json(orient="records")
        with self._transaction() as cur:
            cur.execute("DELETE FROM topic_results WHERE dataset_id = ?", [ds_id])
            cur.execute("DELETE FROM topic_docs WHERE dataset_id = ?", [ds_id])
            cur.execute("DELETE FROM topic_edits WHERE dataset_id = ?", [ds_id])  # ids of the old fit
            cur.execute("INSERT INTO topic_results VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        [ds_id, result.settings.to_json(), result.backend, info,
                         json.dumps({str(k): v for k, v in result.representative.items()}),
                         result.hierarchy.to_json(orient="split"),
                         np.ascontiguousarray(result.centres, dtype=np.float32).tobytes(),
                         json.dumps(result.metrics), now])
            cur.register("docs_in", docs)
            cur.execute("INSERT INTO topic_docs SELECT * FROM docs_in")
            cur.unregister("docs_in")
        from lib.embeddings.backends import MODEL_ID

        if result.backend == MODEL_ID and not result.metrics.get("assigned_by_words"):
            self.mark_sentence_vectors(ds_id)  # fitted on MiniLM: every post's vector is in the cache now

    def load_topics(self, ds_id: str):
        """The stored TopicResult of a dataset, or None when topics were never fitted."""
        import io

        import numpy as np

        from lib.topics.fit import TopicResult, TopicSettings

        with self._cur() as cur:
            row = cur.execute("""SELECT settings, backend, info, representative, hierarchy, centres, metrics
                                 FROM topic_results WHERE dataset_id = ?""", [ds_id]).fetchone()
            if row is None:
                return None
            docs = cur.execute("SELECT post_id, topic, x, y FROM topic_docs WHERE dataset_id = ?", [ds_id]).df()
        settings, backend, info, rep, hier, centres, metrics = row
        info_df = pd.read_json(io.StringIO(info), orient="records")
        if info_df.empty:
            info_df = pd.DataFrame(columns=["topic", "label", "size", "keywords", "weights", "tx", "ty"])
        hier_df = pd.read_json(io.StringIO(hier), orient="split")
        n_topics = int((info_df["topic"] != -1).sum())
        c = np.frombuffer(centres, dtype=np.float32).reshape(n_topics, -1) if centres else np.zeros((0, 0))
        return TopicResult(TopicSettings.from_json(settings), backend, docs["post_id"].to_numpy(),
                           docs["topic"].to_numpy(dtype=np.int64), docs["x"].to_numpy(), docs["y"].to_numpy(),
                           info_df, {int(k): v for k, v in json.loads(rep).items()}, hier_df, c, json.loads(metrics))

    def _stamp(self, table: str, ds_id: str) -> str | None:
        with self._cur() as cur:
            row = cur.execute(f"SELECT created_at FROM {table} WHERE dataset_id = ?", [ds_id]).fetchone()
        return str(row[0]) if row else None

    def _replace_rows(self, table: str, ds_id: str, frame: pd.DataFrame) -> None:
        """Replace a dataset's rows of a small per-dataset table (the user's edits) in one transaction."""
        frame = frame.copy()
        frame.insert(0, "dataset_id", ds_id)
        with self._transaction() as cur:
            cur.execute(f"DELETE FROM {table} WHERE dataset_id = ?", [ds_id])
            cur.register("rows_in", frame)
            cur.execute(f"INSERT INTO {table} SELECT * FROM rows_in")
            cur.unregister("rows_in")

    def topics_stamp(self, ds_id: str) -> str | None:
        """When the dataset's topics were fitted (a cache key), or None."""
        return self._stamp("topic_results", ds_id)

    def topic_edits(self, ds_id: str) -> pd.DataFrame:
        with self._cur() as cur:
            return cur.execute("SELECT topic, label, merge_into, hidden FROM topic_edits WHERE dataset_id = ? "
                               "ORDER BY topic", [ds_id]).df()

    def set_topic_edits(self, ds_id: str, edits: pd.DataFrame) -> None:
        """Replace the user's topic edits (columns topic, label, merge_into, hidden) in one transaction."""
        frame = edits[["topic", "label", "merge_into", "hidden"]].copy()
        frame["hidden"] = frame["hidden"].fillna(False).astype(bool)
        frame["merge_into"] = pd.array(frame["merge_into"], dtype="Int64")
        frame["label"] = frame["label"].astype("string")
        self._replace_rows("topic_edits", ds_id, frame)

    # -------------------------------------------------------------- audience segments
    def save_audience(self, ds_id: str, result) -> None:
        """Replace the dataset's segments in one transaction (a crash keeps the previous ones).

        Persona edits name the segments of one fit, so a new fit clears them."""
        ds = _safe(ds_id)
        personas = result.personas.to_json(orient="records")
        with self._transaction() as cur:
            cur.execute(f'DROP TABLE IF EXISTS "audience_{ds}"')
            cur.register("authors_in", _for_duckdb(result.authors))
            cur.execute(f'CREATE TABLE "audience_{ds}" AS SELECT * FROM authors_in')
            cur.unregister("authors_in")
            cur.execute("DELETE FROM audience_results WHERE dataset_id = ?", [ds])
            cur.execute("DELETE FROM audience_edits WHERE dataset_id = ?", [ds])
            cur.execute("INSERT INTO audience_results VALUES (?, ?, ?, ?, ?, ?)",
                        [ds, result.settings.to_json(), json.dumps(result.groups), personas,
                         json.dumps(result.metrics), datetime.now(UTC)])

    def load_audience(self, ds_id: str):
        """The stored AudienceResult of a dataset, or None when segments were never found."""
        import io

        from lib.audience.segments import AudienceResult, AudienceSettings

        ds = _safe(ds_id)
        with self._cur() as cur:
            row = cur.execute("SELECT settings, groups, personas, metrics FROM audience_results WHERE dataset_id = ?",
                              [ds]).fetchone()
            if row is None:
                return None
            authors = cur.execute(f'SELECT * FROM "audience_{ds}"').df()
        settings, groups, personas, metrics = row
        return AudienceResult(AudienceSettings.from_json(settings), authors, json.loads(groups),
                              pd.read_json(io.StringIO(personas), orient="records"), json.loads(metrics))

    def audience_stamp(self, ds_id: str) -> str | None:
        """When the dataset's segments were found (a cache key), or None."""
        return self._stamp("audience_results", ds_id)

    def persona_edits(self, ds_id: str) -> pd.DataFrame:
        with self._cur() as cur:
            return cur.execute("SELECT segment, name, description FROM audience_edits WHERE dataset_id = ? "
                               "ORDER BY segment", [ds_id]).df()

    def set_persona_edits(self, ds_id: str, edits: pd.DataFrame) -> None:
        """Replace the user's persona names and descriptions (columns segment, name, description)."""
        frame = edits[["segment", "name", "description"]].copy()
        frame["segment"] = frame["segment"].astype(int)
        for c in ("name", "description"):
            frame[c] = frame[c].astype("string")
        self._replace_rows("audience_edits", ds_id, frame)


def _safe(ds_id: str) -> str:
    if not ds_id.isalnum():
        raise KeyError(ds_id)
    return ds_id


def _for_duckdb(df: pd.DataFrame) -> pd.DataFrame:
    """DuckDB stores nullable pandas dtypes natively; plain object columns become strings."""
    out = df.copy()
    for c in out.columns:
        if out[c].dtype == object:
            out[c] = out[c].astype("string")
    return out
