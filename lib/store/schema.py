"""Every table of the workspace in one place, its version, and bringing an older workspace file up to it.

Per-dataset tables are named by the dataset id: `posts_<id>`, `excluded_<id>`, `raw_<id>` (the import) and
`result__<family>__<id>__<frame>` (one per frame of a saved result, see result_tables). Opening a workspace
written by an older version converts it in one transaction, so a crash half-way leaves the old file as it was.
"""
from __future__ import annotations

import secrets

import duckdb

from lib.store.connection import WorkspaceError
from lib.store.migrations import MIGRATIONS

SCHEMA_VERSION = 3  # 2: results of every family behind one protocol (results, result_blobs, result__* tables);
#                     3: label_events (every label saved or taken back, so a result can say what changed since)

META = "CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)"
TABLES: tuple[str, ...] = (
    """CREATE TABLE IF NOT EXISTS datasets (
        id VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, created_at TIMESTAMPTZ NOT NULL,
        rows BIGINT NOT NULL, meta JSON NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS text_scores (
        text_hash VARCHAR, model_version VARCHAR, compound DOUBLE, pos DOUBLE, neu DOUBLE, neg DOUBLE,
        p_negative DOUBLE, p_neutral DOUBLE, p_positive DOUBLE, PRIMARY KEY (text_hash, model_version))""",
    """CREATE TABLE IF NOT EXISTS text_vectors (
        text_hash VARCHAR, model VARCHAR, vec BLOB NOT NULL, PRIMARY KEY (text_hash, model))""",
    """CREATE TABLE IF NOT EXISTS labels (
        dataset_id VARCHAR, post_id VARCHAR, label VARCHAR NOT NULL, labelled_at TIMESTAMPTZ NOT NULL,
        PRIMARY KEY (dataset_id, post_id))""",
    # every label saved (label) or taken back (NULL), when: a post's label at any time, for `labels_after`
    """CREATE TABLE IF NOT EXISTS label_events (
        dataset_id VARCHAR, post_id VARCHAR, changed_at TIMESTAMPTZ NOT NULL, label VARCHAR)""",
    """CREATE TABLE IF NOT EXISTS topic_edits (
        dataset_id VARCHAR, topic INTEGER, label VARCHAR, merge_into INTEGER, hidden BOOLEAN NOT NULL,
        PRIMARY KEY (dataset_id, topic))""",
    """CREATE TABLE IF NOT EXISTS persona_edits (
        dataset_id VARCHAR, segment INTEGER, name VARCHAR, description VARCHAR,
        PRIMARY KEY (dataset_id, segment))""",
    """CREATE TABLE IF NOT EXISTS workshop_answers (
        exercise VARCHAR, step VARCHAR, answer VARCHAR NOT NULL, updated_at TIMESTAMPTZ NOT NULL,
        PRIMARY KEY (exercise, step))""",
    # one saved result per (dataset, family): its metadata, how its frames were typed, when it was saved
    """CREATE TABLE IF NOT EXISTS results (
        dataset_id VARCHAR, family VARCHAR, meta JSON NOT NULL, frames JSON NOT NULL,
        created_at TIMESTAMPTZ NOT NULL, PRIMARY KEY (dataset_id, family))""",
    """CREATE TABLE IF NOT EXISTS result_blobs (
        dataset_id VARCHAR, family VARCHAR, name VARCHAR, data BLOB NOT NULL,
        PRIMARY KEY (dataset_id, family, name))""",
)


def prepare(cur: duckdb.DuckDBPyConnection) -> None:
    """Create the tables of a new workspace, or upgrade an older one; call inside a transaction."""
    cur.execute(META)
    row = cur.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    version = int(row[0]) if row else None
    if version == SCHEMA_VERSION:
        return
    if version is not None and version > SCHEMA_VERSION:
        raise WorkspaceError(f"The workspace was written by a newer Listening Lab (schema {version}); this version "
                             f"reads up to schema {SCHEMA_VERSION}")
    for ddl in TABLES:
        cur.execute(ddl)
    for old in range(version or SCHEMA_VERSION, SCHEMA_VERSION):
        MIGRATIONS[old](cur)
    cur.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)])
    # the secret behind pseudonyms: one per workspace, so a person's pseudonym is the same in all its datasets
    cur.execute("INSERT INTO meta VALUES ('salt', ?) ON CONFLICT DO NOTHING", [secrets.token_hex(16)])
