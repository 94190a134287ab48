"""Which posts of an analysis run the app shows when the run is too large for it: a seeded sample stratified by
day, so every day keeps its share of the posts and volume curves drawn from the sample keep their shape."""
from __future__ import annotations

import numpy as np
import pandas as pd

from lib.ingest.schema import utc_timestamps

MAX_APP_POSTS = 100_000
"""The most posts a run opens with in the app; a larger run is sampled down to this many.

100,000 is the largest size the app's budgets are measured at (README, "Benchmarks"): every analysis of a
dataset in about a minute on 2 cores, 2.3 GB peak, a KPI-weight change in 100-230 ms. Beyond it each page
rerun slows in proportion and memory grows with it, while charts and tables read no better from a million
posts than from 100,000 drawn evenly across the days."""

NO_DATE = ""  # the stratum of posts without a date


def day_keys(created_at: pd.Series) -> pd.Series:
    """Each post's UTC day as 'YYYY-MM-DD', or `NO_DATE`."""
    ts = utc_timestamps(created_at)
    return ts.dt.strftime("%Y-%m-%d").fillna(NO_DATE)


def day_quotas(counts: pd.Series, n: int) -> pd.Series:
    """Posts to keep per day, `n` in all, in proportion to each day's posts (largest remainders get the
    rounding), so a day's share of the sample is its share of the run to within one post."""
    total = int(counts.sum())
    if n >= total:
        return counts.astype(np.int64)
    exact = counts.to_numpy(dtype=float) * n / total
    quota = np.floor(exact).astype(np.int64)
    short = n - int(quota.sum())
    if short:
        quota[np.argsort(-(exact - quota), kind="stable")[:short]] += 1
    return pd.Series(quota, index=counts.index)


def sample_rows(days: pd.Series, n: int, seed: int = 0, first: np.ndarray | None = None) -> np.ndarray:
    """The positions (sorted) of `n` posts drawn at random within each day by `day_quotas`; all of them when
    there are no more than `n`. The same days, `n` and `seed` always give the same posts. `first` (a mask):
    posts taken before the others of their day, within its quota (the topics' representative posts, which the
    Topics page shows), so every day keeps its share all the same."""
    total = len(days)
    if n >= total:
        return np.arange(total)
    codes, uniques = pd.factorize(days.to_numpy(), sort=True)
    quota = day_quotas(pd.Series(np.bincount(codes, minlength=len(uniques)), index=uniques), n).to_numpy()
    later = np.ones(total, dtype=bool) if first is None else ~np.asarray(first, dtype=bool)
    order = np.lexsort((np.random.default_rng(seed).random(total), later, codes))  # by day, `first`, at random
    sorted_codes = codes[order]
    first = np.searchsorted(sorted_codes, np.arange(len(uniques)))
    rank = np.arange(total) - first[sorted_codes]
    return np.sort(order[rank < quota[sorted_codes]])


__all__ = ["MAX_APP_POSTS", "NO_DATE", "day_keys", "day_quotas", "sample_rows"]
