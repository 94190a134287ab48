"""Keeping things: the DuckDB workspace file (datasets, per-text caches, user edits and settings) and the saved
results of each analysis family behind one small save/load protocol, so the workspace imports no analysis code.

`workspace.Workspace` is what callers hold; its parts: `connection` (file, cursors, transactions), `schema` and
`migrations` (every table, upgrades of older files), `datasets`, `caches` (per-text scores and vectors),
`user_inputs` (settings, labels, edits, workshop answers), `result_tables` (saved results) behind `results`
(the protocol a family implements)."""
