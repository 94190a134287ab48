"""Where the workspace file lives and the two ways to touch it: a cursor (reads, single statements) or a cursor
inside one transaction under the write lock (all of it is saved, or none of it)."""
from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Self

import duckdb

WORKSPACE_FILE = "workspace.duckdb"


def default_path() -> Path:
    """LISTENING_LAB_WORKSPACE, else the per-user data folder (XDG_DATA_HOME or ~/.local/share)."""
    env = os.environ.get("LISTENING_LAB_WORKSPACE")
    if env:
        return workspace_file(env)
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "listening-lab" / WORKSPACE_FILE


def workspace_file(path: str | Path | None) -> Path:
    """The file to open: `path` (default: `default_path()`), or the workspace file inside it when it names an
    existing folder (LISTENING_LAB_WORKSPACE=~/projects/client works as well as .../client/ws.duckdb)."""
    if not path:
        return default_path()
    file = Path(path).expanduser()
    return file / WORKSPACE_FILE if file.is_dir() else file


class WorkspaceError(RuntimeError):
    """The workspace file cannot be used (locked by another process, unreadable, made by a newer version, ...)."""


def safe_id(ds_id: str) -> str:
    """A dataset id as it may appear in a table name (ids are hex; anything else is an unknown dataset)."""
    if not ds_id.isalnum():
        raise KeyError(ds_id)
    return ds_id


class Connection:
    """One DuckDB connection per workspace file, shared by the threads of a process (cursors are per call)."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = workspace_file(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._con = duckdb.connect(str(self.path))
        except duckdb.IOException as exc:
            raise WorkspaceError(f"The workspace {self.path} cannot be opened: {str(exc).splitlines()[0]}") from None
        self._lock = threading.RLock()

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

    def _one(self, sql: str, params: list[Any]) -> tuple[Any, ...] | None:
        """The first row of a query, or None."""
        with self._cur() as cur:
            return cur.execute(sql, params).fetchone()

    def _meta_value(self, key: str) -> str | None:
        """A value of the workspace's key-value table (schema version, salt, settings)."""
        row = self._one("SELECT value FROM meta WHERE key = ?", [key])
        return row[0] if row else None

    def _set_meta_value(self, key: str, value: str) -> None:
        with self._lock, self._cur() as cur:
            cur.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", [key, value])

    def close(self) -> None:
        self._con.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
