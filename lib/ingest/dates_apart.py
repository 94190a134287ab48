"""Posts dated apart from the others: found on import and set aside as excluded rows, each one counted.

A real customer-care dump of October and November 2017 (543 tweets) held a tweet of August 2011 and one of August
2016, old tweets its threads answered; an export whose empty dates were read as 1970-01-01 does the same. Kept, they
stretched every chart over six years with the posts in its last bar, picked months as the period of a file of eight
weeks, and the report's "first third of the period" held one post. The same corpus's 15,096 tweets to one brand,
from 4 October to 3 December 2017 at 100 to 400 a day, were led in by a hundred more scattered over the months
before (on 63 of 321 days, and two in 2013 and 2015): every chart spent five sixths of its width on them, the
report's first third of the period held 9 posts, and the spike alerts took their empty days for the usual level and
flagged nine Tuesdays of 300 posts against "a usual 13". Now 57 are set aside, the posts from 21 September on kept.

A stretch at either end (at most `SHARE` of the dated posts, both ends together) is apart when it is sparse (posts
on fewer than `SPARSE` of its days), thin (posts per day under `THIN` of the others'), and longer than all the
others span and than `MIN_GAP_DAYS`: a lone post years away is such a stretch. Where several cuts qualify, the
one that sets aside the fewest posts while leaving a span within `TOLERANCE` of the shortest (so not a tweet six
days before the others as well). A regular trickle before a crisis (a post every day) is not sparse, a month of a
video's late comments is no longer than its first weeks, and a stretch holding more than 1 % of the posts is part
of the story: each stays. The import sets them aside unless the user keeps them (`keep_dates_apart`); it decides
once, so every page, the report and both engines of the command line read the same posts.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

SHARE = 0.01  # of the dated posts, at most, at the start and the end together
MIN_GAP_DAYS = 30  # a stretch shorter than a month leaves a chart readable, whatever the span
SPARSE = 0.5  # a stretch set aside has posts on fewer than this share of its days
THIN = 0.05  # ... and fewer posts a day than this share of the others' rate
TOLERANCE = (1.1, 7)  # a span up to a tenth and a week longer than the shortest reads as well
REASON = "dated apart from the other posts"


def apart(created: pd.Series) -> pd.Series:
    """Which posts are dated apart from the others (False where undated)."""
    out = pd.Series(False, index=created.index)
    dated = created.dropna()
    days = dated.dt.tz_convert("UTC").dt.tz_localize(None).dt.normalize() if dated.dt.tz is not None \
        else dated.dt.normalize()
    counts = days.value_counts().sort_index()
    total = int(counts.sum())
    kmax = int(total * SHARE)
    if kmax == 0 or len(counts) < 3:
        return out
    at = counts.index
    ordinal = np.array([t.toordinal() for t in at])
    cum, last = np.cumsum(counts.to_numpy()), len(at) - 1
    # i: index of the first day kept (i days with posts set aside before it); j: days set aside after the last kept;
    # only as many as leave at most `kmax` posts out at that end
    heads = min(int(np.searchsorted(cum, kmax, side="right")) + 1, last)
    tails = min(last - int(np.searchsorted(cum, total - kmax, side="left")) + 1, last)
    i, j = np.arange(heads)[:, None], np.arange(tails)[None, :]
    before = np.concatenate([[0], cum[:heads - 1]])[:, None]
    after = np.concatenate([[0], total - cum[last - np.arange(1, tails)]])[None, :]
    first, final = ordinal[i], ordinal[last - j]
    core_n, core_days = total - before - after, final - first + 1
    head_days, tail_days = first - ordinal[0], ordinal[last] - final
    rate = core_n / np.maximum(core_days, 1)

    def qualifies(n: np.ndarray, span: np.ndarray, active: np.ndarray) -> np.ndarray:
        longer = span > np.maximum(core_days - 1, MIN_GAP_DAYS)
        return (n == 0) | (longer & (active < SPARSE * span) & (n < THIN * rate * span))

    ok = (i + j < last) & (before + after <= kmax) & (i + j > 0) \
        & qualifies(before, head_days, i) & qualifies(after, tail_days, j)
    if not ok.any():
        return out
    # the fewest posts set aside (then the shorter span) that leave nearly the shortest span: not a file's partial
    # last day as well
    near = ok & (core_days <= np.where(ok, core_days, np.inf).min() * TOLERANCE[0] + TOLERANCE[1])
    removed = (before + after) * (ordinal[last] - ordinal[0] + 2) + core_days
    best_i, best_j = np.unravel_index(np.argmin(np.where(near, removed, np.inf)), ok.shape)
    out[dated.index] = ((days < at[best_i]) | (days > at[last - best_j])).to_numpy()
    return out
