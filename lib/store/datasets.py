"""Datasets: each import kept as three tables (posts, excluded rows, raw cells) and one row of metadata, saved in
a single transaction, so a crash in the middle of an import leaves either the whole dataset or nothing."""
from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

import duckdb
import pandas as pd

from lib.store.connection import Connection, safe_id

PARTS = ("posts", "excluded", "raw")


class Datasets(Connection):
    def save_dataset(self, name: str, posts: pd.DataFrame, excluded: pd.DataFrame, report: dict[str, Any],
                     raw: pd.DataFrame | None = None, extra_meta: dict[str, Any] | None = None) -> str:
        """Store an import in one transaction and return the new dataset's id: the canonical posts, the rows left
        out with their reason, the import report (JSON-able; `extra_meta` joins it) and every source cell as read
        (provenance; None keeps none)."""
        ds_id = uuid.uuid4().hex[:12]
        meta = {**report, **(extra_meta or {})}
        name = name.strip() or "dataset"
        if raw is None:
            raw = pd.DataFrame({"source_file": pd.Series(dtype="string")})  # DuckDB needs a column
        with self._transaction() as cur:
            for part, frame in zip(PARTS, (posts, excluded, raw)):
                cur.register("frame_in", _for_duckdb(frame))
                cur.execute(f'CREATE TABLE "{part}_{ds_id}" AS SELECT * FROM frame_in')
                cur.unregister("frame_in")
            cur.execute("INSERT INTO datasets VALUES (?, ?, ?, ?, ?)",
                        [ds_id, name, datetime.now(UTC), len(posts), json.dumps(meta, default=str)])
        return ds_id

    def list_datasets(self) -> pd.DataFrame:
        with self._cur() as cur:
            df = cur.execute("SELECT id, name, created_at, rows, meta FROM datasets ORDER BY created_at DESC").df()
        metas = [json.loads(m) for m in df["meta"]]
        df["files"] = [", ".join(f["name"] for f in m.get("files", [])) for m in metas]
        df["format"] = [", ".join(m.get("formats", [])) for m in metas]
        return df.drop(columns="meta")

    def exists(self, ds_id: str) -> bool:
        row = self._one("SELECT count(*) FROM datasets WHERE id = ?", [ds_id])
        return row is not None and row[0] == 1

    def meta(self, ds_id: str) -> dict[str, Any]:
        row = self._one("SELECT name, created_at, rows, meta FROM datasets WHERE id = ?", [ds_id])
        if row is None:
            raise KeyError(ds_id)
        return {"id": ds_id, "name": row[0], "created_at": row[1], "rows": row[2], **json.loads(row[3])}

    def load_posts(self, ds_id: str) -> pd.DataFrame:
        """The posts as DuckDB gives them back (strings as objects, counts without gaps as int64):
        `lib.ingest.schema.coerce_types` gives the canonical columns their canonical dtypes."""
        return self._table("posts", ds_id)

    def load_excluded(self, ds_id: str) -> pd.DataFrame:
        return self._table("excluded", ds_id)

    def load_raw(self, ds_id: str) -> pd.DataFrame:
        return self._table("raw", ds_id)

    def _table(self, part: str, ds_id: str) -> pd.DataFrame:
        if not self.exists(ds_id):
            raise KeyError(ds_id)
        with self._cur() as cur:
            return cur.execute(f'SELECT * FROM "{part}_{safe_id(ds_id)}"').df()

    def rename(self, ds_id: str, name: str) -> None:
        if not name.strip():
            raise ValueError("A dataset needs a name")
        with self._lock, self._cur() as cur:
            cur.execute("UPDATE datasets SET name = ? WHERE id = ?", [name.strip(), ds_id])


def drop_dataset_tables(cur: duckdb.DuckDBPyConnection, ds: str) -> None:
    """Remove a dataset's import tables and its row (inside the caller's transaction)."""
    for part in PARTS:
        cur.execute(f'DROP TABLE IF EXISTS "{part}_{ds}"')
    cur.execute("DELETE FROM datasets WHERE id = ?", [ds])


def _for_duckdb(df: pd.DataFrame) -> pd.DataFrame:
    """DuckDB stores nullable pandas dtypes natively; plain object columns become strings."""
    out = df.copy()
    for c in out.columns:
        if out[c].dtype == object:
            out[c] = out[c].astype("string")
    return out
