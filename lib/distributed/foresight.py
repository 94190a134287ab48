"""Foresight on the Dask engine: the local engine's model_report.json and forecast.csv, from passes over
DIR/posts/ (after the listening pass), without collecting the posts on the client.

**Forecasts** (forecast.csv): what `trend_forecast` reads of the posts is a table of sums per period and brand
(posts, negative posts, the position of the first post: `forecast.period_table`). Each partition returns its
tables for days, weeks and months, its first and last timestamp and up to two of its brands; the client picks
the period from the run's span (`pick_frequency`) and splits by brand when there are two or more, as the local
engine does, adds the partitions' tables and forecasts the sum with the local engine's code
(`forecast.forecast_table`): the same numbers, whatever the partitioning.

**The performance model** (model_report.json): fitted on the client on a seeded sample of at most
`MODEL_SAMPLE` posts drawn from every partition in proportion to its posts, with only the columns the model
reads. When the run has fewer posts, the sample is every post in the run's order and the model is the local
engine's (same seed, same numbers). What does not scale with workers: this fit, one sample on the client,
whatever the run's size.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from lib.distributed.partitions import Planned
from lib.distributed.tasks import RETRIES, posts_path
from lib.distributed.topics import _quotas
from lib.foresight.features import CATEGORICAL
from lib.kpis.engagement import ENGAGEMENT_PARTS, RATE_BASES

MODEL_SAMPLE = 20_000  # posts the performance model is fitted on, at most
SEED = 0  # of the sample (the model's own seed is `PerformanceSettings.seed`, as the local engine's)
FREQUENCIES = ("D", "W", "MS")
FORECAST_COLUMNS = ("created_at", "brand", "sentiment_label")
MODEL_COLUMNS = ("text", "created_at", "followers", "sentiment", *CATEGORICAL, *ENGAGEMENT_PARTS, *RATE_BASES)
_ROWS = 1 << 40  # a post's position in the run: partition index * _ROWS + its row


def _read(path: str, wanted: tuple[str, ...]) -> pd.DataFrame:
    import pyarrow.parquet as pq

    names = set(pq.read_schema(path).names)
    return pd.read_parquet(path, columns=[c for c in dict.fromkeys(wanted) if c in names])


# ------------------------------------------------------------------------------------- on the workers
def forecast_sums(path: str, index: int) -> dict[str, Any]:
    """The partition's `period_table` per frequency (by brand where it has one), its dated posts' first and
    last timestamp, and up to two of its brands (the local engine splits by brand when the run has two)."""
    from lib.foresight.forecast import period_table

    posts = _read(path, FORECAST_COLUMNS)
    brands = posts["brand"].dropna().unique()[:2].tolist() if "brand" in posts else []
    out: dict[str, Any] = {"index": index, "brands": brands, "bounds": None, "tables": {}}
    dated = posts[posts["created_at"].notna()] if "created_at" in posts else posts.iloc[:0]
    if len(dated):
        by = "brand" if "brand" in dated else None
        out["bounds"] = (dated["created_at"].min(), dated["created_at"].max())
        out["tables"] = {f: period_table(dated, f, by, offset=index * _ROWS) for f in FREQUENCIES}
    return out


def model_sample(path: str, quota: int, seed: int, index: int, columns: tuple[str, ...]) -> dict[str, Any]:
    """`quota` of the partition's posts (all of them when it has no more), drawn with a seed of the run's and
    the partition's and kept in their order, with only `columns`."""
    posts = _read(path, columns)
    if quota < len(posts):
        rng = np.random.default_rng([seed, index])
        posts = posts.iloc[np.sort(rng.choice(len(posts), quota, replace=False))]
    return {"index": index, "sample": posts.reset_index(drop=True)}


# -------------------------------------------------------------------------------------- on the client
def _submit(client: Any, fn: Any, calls: dict[int, tuple], tag: str) -> list[dict]:
    """`fn(*call)` for each partition's call, by partition index; the results in partition order."""
    futures = [client.submit(fn, *call, retries=RETRIES, key=f"{fn.__name__}-{i}-{tag}") for i, call in calls.items()]
    return sorted(client.gather(futures), key=lambda r: r["index"])


def _forecast(client: Any, paths: list[str], out: Path, horizon: int, tag: str) -> dict:
    """forecast.csv from the partitions' sums; model_report.json's `forecast` block."""
    from lib.analyze import forecast_block
    from lib.foresight.forecast import add_tables, forecast_table
    from lib.listening.overview import pick_frequency
    from lib.report.export import write_csv

    got = _submit(client, forecast_sums, {i: (p, i) for i, p in enumerate(paths)}, tag)
    bounds = [r["bounds"] for r in got if r["bounds"] is not None]
    if not bounds:
        (out / "forecast.csv").unlink(missing_ok=True)
        return {"built": False, "why": "The posts have no dates."}
    lo, hi = min(b[0] for b in bounds), max(b[1] for b in bounds)
    freq = pick_frequency(pd.DataFrame({"created_at": pd.Series([lo, hi])}))
    by = "brand" if len({b for r in got for b in r["brands"]}) > 1 else None
    table = add_tables([r["tables"][freq] for r in got if r["tables"]])
    if by is None:
        table = table.assign(group=pd.Series(pd.NA, index=table.index, dtype="string"))
    tf = forecast_table(table, lo, hi, freq, horizon)
    write_csv(tf, out / "forecast.csv")
    return forecast_block(tf, freq, horizon, by)


def _model(client: Any, paths: list[str], extra: tuple[str, ...], tag: str) -> tuple[dict, int, int]:
    """model_report.json's `model` block from the sample, the sample's posts and the run's."""
    import pyarrow.parquet as pq

    from lib.analyze import model_report

    kept = {i: pq.read_metadata(p).num_rows for i, p in enumerate(paths)}
    quotas = _quotas(kept, MODEL_SAMPLE)
    columns = (*MODEL_COLUMNS, *extra)
    got = _submit(client, model_sample, {i: (p, quotas[i], SEED, i, columns) for i, p in enumerate(paths)
                                        if quotas[i]}, tag)
    frames = [r["sample"] for r in got]
    sample = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    return model_report(sample, extra), len(sample), sum(kept.values())


def run_foresight(client: Any, args: argparse.Namespace, plan: Planned, out: Path, progress: Any,
                  tag: str) -> dict:
    """The foresight step of a Dask run: model_report.json and forecast.csv; returns summary.json's block."""
    import pyarrow.parquet as pq

    from lib.analyze import foresight_options

    paths = [str(posts_path(out, p)) for p in plan.partitions]
    horizon, extra = foresight_options(args, {c for p in paths for c in pq.read_schema(p).names})
    progress(f"foresight: the performance model on a sample of at most {MODEL_SAMPLE:,} posts", 0.0)
    model, n, total = _model(client, paths, extra, tag)
    report: dict[str, Any] = {"extra_features": list(extra), "model": {**model, "sample_posts": n}}
    progress("foresight: forecasts from every partition's sums per period", 0.5)
    report["forecast"] = _forecast(client, paths, out, horizon, tag)
    (out / "model_report.json").write_text(json.dumps(report, indent=2, ensure_ascii=False, default=str))
    print(f"foresight: performance model on {n:,} of {total:,} posts (sample_posts); "
          f"{out / 'model_report.json'}", file=sys.stderr)
    progress("foresight: done", 1.0)
    return {"model_skill": model.get("has_skill"), "file": str(out / "model_report.json"),
            "forecast": str(out / "forecast.csv") if "period" in report["forecast"] else None, "sample_posts": n}
