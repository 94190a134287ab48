"""`python -m lib analyze --engine dask`: the batch analysis as partition tasks on a Dask cluster.

Partitions are read, imported and enriched on the workers (`tasks`), each written as one Parquet file with its
aggregates beside it; the client only plans (`partitions`), fits the topic model on a sample and sends it to
the workers that assign every partition (`topics`), sums the aggregates into the summary (`aggregates`), reads
DIR/posts/ in a few passes of sums for the per-brand shares and their interval (`shares`) and the alerts'
details (`alert_details`), and marks the run complete (`engine`). Dask and distributed are imported only here,
and only when that engine is chosen, so the app and the local engine never pay for them.
"""
