"""Upgrades of a workspace written by an older version, so a user's saved results and edits survive.

Each step reads the old tables with SQL and their JSON with pandas, exactly as the old code loaded them, and
writes the new layout; it imports no analysis code. What it writes must be what the family's `to_stored` writes
(lib/topics/result.py, lib/audience/result.py): tests/test_store.py opens a schema-1 workspace and loads both.
"""
from __future__ import annotations

import io
import json
from collections.abc import Callable

import duckdb
import pandas as pd

from lib.store.connection import safe_id
from lib.store.result_tables import frame_table, insert_result_row, write_frame


def _tables(cur: duckdb.DuckDBPyConnection) -> set[str]:
    return {r[0] for r in cur.execute("SELECT table_name FROM information_schema.tables").fetchall()}


def results_into_family_tables(cur: duckdb.DuckDBPyConnection) -> None:
    """Schema 1 -> 2: topic_results/topic_docs and audience_results/audience_<id> become saved results of the
    families "topics" and "segments"; audience_edits becomes persona_edits. Stamps (created_at) are kept, so
    caches keyed by them stay valid."""
    tables = _tables(cur)
    if "topic_results" in tables:
        _topics_v1(cur)
        cur.execute("DROP TABLE topic_results")
    cur.execute("DROP TABLE IF EXISTS topic_docs")
    if "audience_results" in tables:
        _segments_v1(cur, tables)
        cur.execute("DROP TABLE audience_results")
    if "audience_edits" in tables:
        cur.execute("INSERT INTO persona_edits SELECT dataset_id, segment, name, description FROM audience_edits")
        cur.execute("DROP TABLE audience_edits")


def _topics_v1(cur: duckdb.DuckDBPyConnection) -> None:
    rows = cur.execute("""SELECT dataset_id, settings, backend, info, representative, hierarchy, centres, metrics,
                          created_at FROM topic_results""").fetchall()
    for ds, settings, backend, info, rep, hier, centres, metrics, created_at in rows:
        docs = cur.execute("SELECT post_id, topic, x, y FROM topic_docs WHERE dataset_id = ?", [ds]).df()
        frames = {"info": pd.read_json(io.StringIO(info), orient="records"),
                  "hierarchy": pd.read_json(io.StringIO(hier), orient="split"), "docs": docs}
        records = {name: write_frame(cur, frame_table("topics", ds, name), frame) for name, frame in frames.items()}
        if centres:
            cur.execute("INSERT INTO result_blobs VALUES (?, 'topics', 'centres', ?)", [ds, centres])
        meta = {"settings": settings, "backend": backend, "representative": json.loads(rep),
                "metrics": json.loads(metrics)}
        insert_result_row(cur, ds, "topics", meta, records, created_at)


def _segments_v1(cur: duckdb.DuckDBPyConnection, tables: set[str]) -> None:
    """The authors table is renamed, not copied; its record has no dtypes, so it loads as it always did."""
    rows = cur.execute("SELECT dataset_id, settings, groups, personas, metrics, created_at FROM audience_results")
    for ds, settings, groups, personas, metrics, created_at in rows.fetchall():
        if f"audience_{safe_id(ds)}" not in tables:
            continue  # never written whole: there is nothing to keep
        authors = frame_table("segments", ds, "authors")
        cur.execute(f'ALTER TABLE "audience_{ds}" RENAME TO "{authors}"')
        records = {"authors": {"dtypes": None},
                   "personas": write_frame(cur, frame_table("segments", ds, "personas"),
                                           pd.read_json(io.StringIO(personas), orient="records"))}
        meta = {"settings": settings, "groups": json.loads(groups), "metrics": json.loads(metrics)}
        insert_result_row(cur, ds, "segments", meta, records, created_at)
    for table in tables:  # authors tables whose result row is gone
        if table.startswith("audience_") and table not in ("audience_results", "audience_edits"):
            cur.execute(f'DROP TABLE IF EXISTS "{table}"')


def label_events(cur: duckdb.DuckDBPyConnection) -> None:
    """Schema 2 -> 3: the label history starts with each post's label as it is, at its last save (what it was
    before that, and labels taken back before this version, left no trace)."""
    cur.execute("INSERT INTO label_events SELECT dataset_id, post_id, labelled_at, label FROM labels")


MIGRATIONS: dict[int, Callable[[duckdb.DuckDBPyConnection], None]] = {1: results_into_family_tables,
                                                                      2: label_events}
