"""Keeping things: the DuckDB workspace file (datasets, per-text caches, user edits and settings) and the saved
results of each analysis family behind one small save/load protocol, so the workspace imports no analysis code."""
