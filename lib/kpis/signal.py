"""Whether a metric can rank anything: a metric on which (nearly) every post ties carries no signal.

Real exports are often sparse: 14,640 airline tweets with only retweet counts put every post at vanity rank 1,
so a "top 10 by vanity" was ten arbitrary ties. A metric where fewer than `MIN_SPREAD` of the posts differ from
its most common value is reported as "no signal" (with what the posts share) instead of being ranked.
"""
from __future__ import annotations

import math

import pandas as pd

MIN_SPREAD = 0.05  # below this share of posts differing from the most common value, a metric cannot rank


def no_signal(values: pd.Series, noun: str = "", fmt: str = "{:,.0f}", min_spread: float = MIN_SPREAD) -> str | None:
    """None where the metric has spread, else what the posts share, e.g. "every post has 0 likes" or
    "97.3% of posts have 0 shares" (missing values count as one value: "every post has no reach").
    `min_spread=0` is for a flag rather than a ranking (authenticity marks the few posts that look like bots or
    spam): any post that differs gives it a signal."""
    n = len(values)
    if n == 0:
        return "there are no posts"
    counts = values.value_counts(dropna=False)
    mode, ties = counts.index[0], int(counts.iloc[0])
    if len(counts) > 1 and 1 - ties / n >= min_spread:
        return None
    who = "every post has" if ties == n else f"{math.floor(1000 * ties / n) / 10:g}% of posts have"
    if pd.isna(mode):
        what = f"no {noun}".strip()
    else:
        shown = fmt.format(mode) if not isinstance(mode, str) else mode
        what = f"{shown} {noun}".strip()
    return f"{who} {what}"


def no_signal_message(metric: str, reason: str) -> str:
    """The sentence the KPI lab shows in place of a ranking of ties."""
    return f"This data has no signal for {metric} ({reason})."
