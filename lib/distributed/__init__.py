"""`python -m lib analyze --engine dask`: the batch analysis as partition tasks on a Dask cluster.

Partitions are read, imported and enriched on the workers (`tasks`), each written as one Parquet file with its
aggregates beside it; the client only plans (`partitions`), sums the aggregates into the summary
(`aggregates`) and marks the run complete (`engine`). Dask and distributed are imported only here, and only
when that engine is chosen, so the app and the local engine never pay for them.
"""
