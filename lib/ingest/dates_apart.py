"""Posts dated far apart from all the others: found on import and set aside as excluded rows, each one counted.

A real customer-care dump of October and November 2017 (543 tweets) held a tweet of August 2011 and one of August
2016, old tweets its threads answered; an export whose empty dates were read as 1970-01-01 does the same. Kept, they
stretched every chart over six years with the posts in its last bar, picked months as the period of a file of eight
weeks, and the report's "first third of the period" held one post. A handful of posts (at most `SHARE` of the dated
ones) at either end is apart when the gap that separates it from the others is longer than all the others span, and
longer than `MIN_GAP_DAYS`; the import sets them aside unless the user keeps them (`keep_dates_apart`). The import
decides it once, so every page, the report and both engines of the command line read the same posts.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

SHARE = 0.01  # of the dated posts, at most, at the start and the end together
MIN_GAP_DAYS = 30  # a gap shorter than a month leaves a chart readable, whatever the span
CANDIDATES = 100  # distinct days tried as the first or last of the others, at either end
REASON = "dated apart from the other posts"


def apart(created: pd.Series) -> pd.Series:
    """Which posts are dated far apart from the others (False where undated)."""
    out = pd.Series(False, index=created.index)
    dated = created.dropna()
    days = dated.dt.tz_convert("UTC").dt.tz_localize(None).dt.normalize() if dated.dt.tz is not None \
        else dated.dt.normalize()
    counts = days.value_counts().sort_index()
    kmax = int(counts.sum() * SHARE)
    if kmax == 0 or len(counts) < 3:
        return out
    at = counts.index
    total, cum = int(counts.sum()), np.cumsum(counts.to_numpy())
    last = len(at) - 1
    heads = [i for i in range(min(CANDIDATES, last)) if (cum[i - 1] if i else 0) <= kmax]
    tails = [j for j in range(min(CANDIDATES, last)) if (total - cum[last - j] if j else 0) <= kmax]
    best: tuple[int, int, int] | None = None  # (span in days, first kept, last kept)
    for i in heads:
        for j in tails:
            if i + j >= last or (cum[i - 1] if i else 0) + (total - cum[last - j] if j else 0) > kmax:
                continue
            span = (at[last - j] - at[i]).days
            gap = max(span, MIN_GAP_DAYS)
            if (i and (at[i] - at[i - 1]).days <= gap) or (j and (at[last - j + 1] - at[last - j]).days <= gap):
                continue
            if best is None or span < best[0]:
                best = (span, i, last - j)
    if best is None or (best[1] == 0 and best[2] == last):
        return out
    out[dated.index] = ((days < at[best[1]]) | (days > at[best[2]])).to_numpy()
    return out
