"""The workspace: one embedded DuckDB file holding every dataset, the per-text caches, the user's inputs and the
saved results of each analysis. Datasets survive restarts; every save is one transaction.

`Workspace` is the one object callers hold; each concern lives in its own module: connection (file, cursors,
transactions), schema and migrations (tables, upgrades), datasets, caches (scores, vectors), user_inputs
(settings, labels, edits, answers) and result_tables (results of any family, lib.store.results' protocol).
"""
from __future__ import annotations

from pathlib import Path

from lib.store.caches import TextCaches, forget_vectors_mark
from lib.store.connection import WorkspaceError, default_path, safe_id
from lib.store.datasets import Datasets, drop_dataset_tables
from lib.store.result_tables import ResultTables, drop_results
from lib.store.schema import prepare
from lib.store.user_inputs import UserInputs, forget_user_inputs


class Workspace(Datasets, TextCaches, UserInputs, ResultTables):
    def __init__(self, path: str | Path | None = None) -> None:
        super().__init__(path)
        try:
            with self._transaction() as cur:
                prepare(cur)
        except WorkspaceError as exc:
            self.close()
            raise WorkspaceError(f"{self.path}: {exc}") from None

    def delete(self, ds_id: str) -> None:
        """Remove a dataset with everything that belongs to it (results, labels, edits), in one transaction."""
        ds = safe_id(ds_id)
        with self._transaction() as cur:
            drop_dataset_tables(cur, ds)
            drop_results(cur, ds)
            forget_user_inputs(cur, ds)
            forget_vectors_mark(cur, ds)


__all__ = ["Workspace", "WorkspaceError", "default_path"]
