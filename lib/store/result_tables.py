"""Saved results of every analysis family, behind the protocol of lib.store.results.

One row of `results` per (dataset, family) holds the result's JSON metadata, the pandas dtypes of its frames and
when it was saved (its stamp: a cache key); each frame is a DuckDB table `result__<family>__<dataset>__<frame>`;
binary blobs are rows of `result_blobs`. Saving replaces the family's previous result and clears the user's edits
of it (they name the old fit's topic or segment ids) in one transaction: a crash keeps the previous result whole.

Frames come back with the dtypes they were saved with ("string" stays "string", nanosecond UTC timestamps stay
nanosecond) and list cells as Python lists, so a reloaded result equals the fitted one; the index is not kept
(keep what matters in a column) and categories come back unordered.
"""
from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any, TypeVar

import duckdb
import numpy as np
import pandas as pd

from lib.store.connection import Connection, safe_id
from lib.store.results import Storable, Stored
from lib.store.user_inputs import FIT_EDITS

R = TypeVar("R", bound=Storable)
_NAME = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*")  # no "__": it separates the parts of a table name


class ResultTables(Connection):
    def save_result(self, ds_id: str, result: Storable) -> None:
        """Replace the dataset's result of `result.family` (and clear the user's edits of the old one)."""
        stored, family = result.to_stored(), _checked(result.family)
        ds = safe_id(ds_id)
        with self._transaction() as cur:
            drop_result(cur, ds, family)
            for table in FIT_EDITS.get(family, ()):
                cur.execute(f"DELETE FROM {table} WHERE dataset_id = ?", [ds])
            write_result(cur, ds, family, stored, datetime.now(UTC))

    def load_result(self, ds_id: str, cls: type[R]) -> R | None:
        """The dataset's saved result of `cls.family`, or None when there is none."""
        family = _checked(cls.family)
        with self._cur() as cur:
            cur.execute("BEGIN TRANSACTION")  # one snapshot: a save in another thread is seen whole or not at all
            try:
                stored = read_result(cur, ds_id, family)
            finally:
                cur.execute("COMMIT")
        return None if stored is None else cls.from_stored(stored)

    def result_stamp(self, ds_id: str, family: str) -> str | None:
        """When the dataset's result of `family` was saved (a cache key), or None."""
        row = self._one("SELECT created_at FROM results WHERE dataset_id = ? AND family = ?", [ds_id, family])
        return str(row[0]) if row else None


def frame_table(family: str, ds: str, name: str) -> str:
    return f"result__{family}__{safe_id(ds)}__{name}"


def write_result(cur: duckdb.DuckDBPyConnection, ds: str, family: str, stored: Stored,
                 created_at: datetime) -> None:
    """Write a result whose family has nothing saved for `ds` (see drop_result)."""
    records = {name: write_frame(cur, frame_table(family, ds, _checked(name)), frame)
               for name, frame in stored.frames.items()}
    for name, data in stored.blobs.items():
        cur.execute("INSERT INTO result_blobs VALUES (?, ?, ?, ?)", [ds, family, _checked(name), data])
    insert_result_row(cur, ds, family, stored.meta, records, created_at)


def insert_result_row(cur: duckdb.DuckDBPyConnection, ds: str, family: str, meta: dict[str, Any],
                      records: dict[str, dict[str, Any]], created_at: datetime) -> None:
    cur.execute("INSERT INTO results VALUES (?, ?, ?, ?, ?)",
                [ds, family, json.dumps(meta), json.dumps(records), created_at])


def read_result(cur: duckdb.DuckDBPyConnection, ds: str, family: str) -> Stored | None:
    row = cur.execute("SELECT meta, frames FROM results WHERE dataset_id = ? AND family = ?",
                      [ds, family]).fetchone()
    if row is None:
        return None
    records: dict[str, dict[str, Any]] = json.loads(row[1])
    frames = {name: read_frame(cur, frame_table(family, ds, name), rec) for name, rec in records.items()}
    blobs = dict(cur.execute("SELECT name, data FROM result_blobs WHERE dataset_id = ? AND family = ?",
                             [ds, family]).fetchall())
    return Stored(json.loads(row[0]), frames, blobs)


def drop_result(cur: duckdb.DuckDBPyConnection, ds: str, family: str) -> None:
    """Remove one saved result: its frame tables, blobs and row."""
    row = cur.execute("SELECT frames FROM results WHERE dataset_id = ? AND family = ?", [ds, family]).fetchone()
    for name in json.loads(row[0]) if row else ():
        cur.execute(f'DROP TABLE IF EXISTS "{frame_table(family, ds, name)}"')
    cur.execute("DELETE FROM result_blobs WHERE dataset_id = ? AND family = ?", [ds, family])
    cur.execute("DELETE FROM results WHERE dataset_id = ? AND family = ?", [ds, family])


def drop_results(cur: duckdb.DuckDBPyConnection, ds: str) -> None:
    """Remove every saved result of a dataset (it is being deleted)."""
    for (family,) in cur.execute("SELECT family FROM results WHERE dataset_id = ?", [ds]).fetchall():
        drop_result(cur, ds, family)


def write_frame(cur: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> dict[str, Any]:
    """Create `table` from `frame`; returns the record read_frame needs to give the same frame back."""
    names = list(frame.columns)
    if not all(isinstance(c, str) for c in names) or len(set(names)) != len(names):
        raise ValueError(f"{table}: a saved frame needs distinct text column names, got {names}")
    record = {"dtypes": {c: str(t) for c, t in frame.dtypes.items()}, "rows": len(frame)}
    if names:  # DuckDB has no table without columns; read_frame rebuilds it from the record
        cur.register("frame_in", _frame_for_duckdb(frame))
        cur.execute(f'CREATE TABLE "{table}" AS SELECT * FROM frame_in')
        cur.unregister("frame_in")
    return record


def read_frame(cur: duckdb.DuckDBPyConnection, table: str, record: dict[str, Any]) -> pd.DataFrame:
    """A frame written by write_frame. A record without dtypes (a table converted from an older workspace)
    comes back as DuckDB gives it, as it did before."""
    dtypes: dict[str, str] | None = record.get("dtypes")
    if dtypes is not None and not dtypes:
        return pd.DataFrame(index=pd.RangeIndex(record.get("rows", 0)))
    result = cur.execute(f'SELECT * FROM "{table}"')
    nested = {d[0] for d in result.description or () if getattr(d[1], "id", "") in ("list", "array", "struct", "map")}
    frame = result.df()
    for col, dtype in (dtypes or {}).items():
        if dtype == "object":  # text and None come back as they went in; lists need the conversion
            frame[col] = frame[col].map(_python_value) if col in nested else frame[col].astype(object)
        elif dtype == "category":  # DuckDB's ENUM comes back ordered
            frame[col] = frame[col].astype("category").cat.as_unordered()
        elif str(frame[col].dtype) != dtype:
            frame[col] = frame[col].astype(dtype)
    return frame


def _frame_for_duckdb(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame as DuckDB reads it (a seam: tests stop a process here, mid-transaction)."""
    return frame


def _python_value(value: Any) -> Any:
    """DuckDB gives lists as numpy arrays and a missing list as pd.NA; object columns hold lists and None."""
    if isinstance(value, np.ndarray):
        return [_python_value(v) for v in value.tolist()]
    return None if value is pd.NA else value


def _checked(name: str) -> str:
    if not _NAME.fullmatch(name):
        raise ValueError(f"{name!r} cannot name a saved result or one of its parts (lowercase words joined by _)")
    return name
