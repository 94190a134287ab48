"""What the data itself says about post performance, with no model: the typical post and the middle 80 % of
posts in the user's units (engagements, or an engagement rate where reach, impressions, followers or views
exist), posts and engagement per day (week, month) with the range they moved in, and their trend.

Why: the performance model is fitted in the background and takes seconds to minutes on a busy 2-core server;
this is read from the posts alone (12,284 real tweets: about 0.1 s), so the Foresight page shows something true
at once. The trend is a Theil-Sen line with its 95 % interval (robust to the one-day surge that a least-squares
line would follow), called rising or falling only when the whole interval is on one side of zero."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from lib.kpis.engagement import ENGAGEMENT_PARTS, engagement, engagement_rate
from lib.listening.overview import PERIOD_NAMES

MIN_TREND_PERIODS = 4  # fewer periods: no trend is claimed


@dataclass(frozen=True)
class Trend:
    """A Theil-Sen line through one measure per period: its slope (per period) with a 95 % interval, the
    line's value at the first and last period, and the plain sentence."""
    measure: str
    slope: float
    low: float
    high: float
    start: float
    end: float
    words: str


@dataclass(frozen=True, eq=False)  # a frame inside: identity is equality
class DataRanges:
    unit: str              # "engagements", "engagement rate", or "" when the data has no engagement counts
    n_posts: int
    typical: float         # per post: median, and the middle 80 % (10th-90th percentile)
    low: float
    high: float
    any_share: float       # share of posts with any engagement (NaN for a rate) ...
    engaged_typical: float  # ... and the median of those posts
    freq: str              # D, W or MS
    periods: pd.DataFrame  # period, posts, engagement (per post, in `unit`), posts_trend, engagement_trend
    trends: tuple[Trend, ...]

    def sentences(self) -> list[str]:
        """The ranges and trends in plain words, one finding a sentence."""
        period, p = PERIOD_NAMES[self.freq], self.periods
        busiest = p.loc[p["posts"].idxmax()]
        when = busiest["period"].strftime("%-d %b %Y" if self.freq != "MS" else "%b %Y")
        out = [f"{p['posts'].median():,.0f} posts a {period} typically; {period}s ranged from "
               f"{p['posts'].min():,.0f} to {p['posts'].max():,.0f} (the busiest: "
               f"{'week of ' if self.freq == 'W' else ''}{when})."]
        typ, lo, hi = (fmt(self.unit, v) for v in (self.typical, self.low, self.high))
        if self.unit == "engagement rate":
            out.append(f"A typical post had an engagement rate of {typ}; the middle 80 % of posts had {lo} to {hi}.")
        elif self.unit:
            out.append(f"A typical post got {typ} engagements; the middle 80 % of posts got {lo} to {hi}.")
            if np.isfinite(self.any_share) and self.any_share < 0.5:
                out.append(f"Only {self.any_share:.0%} of posts got any engagement at all; those that did got "
                           f"{fmt(self.unit, self.engaged_typical)} typically.")
        return out + [t.words for t in self.trends]


def fmt(unit: str, v: float) -> str:
    """A value in the unit's words: a rate as a percentage, counts whole (one decimal for a fraction below 10)."""
    if unit == "engagement rate":
        return f"{v:.2%}"
    return f"{v:,.0f}" if abs(v) >= 10 or v == round(v) else f"{v:,.1f}"


def _per_post(posts: pd.DataFrame) -> tuple[pd.Series, str]:
    """Each post's engagement in the unit the performance model uses (lib.foresight.features.target)."""
    if not any(c in posts for c in ENGAGEMENT_PARTS):
        return pd.Series(np.nan, index=posts.index), ""
    rate, basis = engagement_rate(posts)
    return (rate, "engagement rate") if basis else (engagement(posts), "engagements")


def _trend(values: pd.Series, measure: str, name: str, period: str, unit: str) -> Trend | None:
    """The Theil-Sen line through one measure, or None with too few periods (or a flat series) to tell."""
    from scipy.stats import theilslopes

    known = values.astype(float).notna().to_numpy()
    if known.sum() < MIN_TREND_PERIODS or values[known].nunique() < 2:
        return None
    slope, intercept, low, high = theilslopes(values[known].astype(float).to_numpy(),
                                              np.arange(len(values), dtype=float)[known], 0.95)
    start, end, n = intercept, intercept + slope * (len(values) - 1), len(values)
    change = f" ({(end - start) / start:+.0%})" if start > 0 else ""
    if low > 0 or high < 0:
        words = (f"{name} {'rose' if low > 0 else 'fell'} from about {fmt(unit, start)} to {fmt(unit, end)} "
                 f"over the {n} {period}s{change}.")
    else:
        words = f"{name}: no clear trend over the {n} {period}s (up and down around a level)."
    return Trend(measure, float(slope), float(low), float(high), float(start), float(end), words)


def data_ranges(posts: pd.DataFrame) -> DataRanges | None:
    """The ranges and trends of a dataset's posts, or None when fewer than two posts are dated."""
    from lib.foresight.forecast import complete_periods
    from lib.listening.overview import period_start, pick_frequency

    if "created_at" not in posts or posts["created_at"].notna().sum() < 2:
        return None
    value, unit = _per_post(posts)
    dated = posts["created_at"].notna()
    freq = pick_frequency(posts)
    period = period_start(posts.loc[dated, "created_at"], freq)
    full = pd.date_range(period.min(), period.max(), freq={"D": "D", "W": "W-MON", "MS": "MS"}[freq])
    full = complete_periods(full, posts.loc[dated, "created_at"], freq)
    grouped = value[dated].groupby(period)
    periods = pd.DataFrame({"period": full, "posts": grouped.size().reindex(full, fill_value=0).to_numpy(),
                            "engagement": grouped.mean().reindex(full).to_numpy()})
    trends = [_trend(periods["posts"], "posts", f"Posts a {PERIOD_NAMES[freq]}", PERIOD_NAMES[freq], "")]
    if unit:
        trends.append(_trend(periods["engagement"], "engagement",
                             "Engagement rate" if unit == "engagement rate" else "Engagements per post",
                             PERIOD_NAMES[freq], unit))
    found = tuple(t for t in trends if t is not None)
    for t in found:
        periods[f"{t.measure}_trend"] = t.start + t.slope * np.arange(len(periods))
    v = value.dropna()
    typical, low, high = (float(v.quantile(q)) if len(v) else np.nan for q in (0.5, 0.1, 0.9))
    counts = unit == "engagements" and bool((v > 0).any())
    any_share, engaged = (float((v > 0).mean()), float(v[v > 0].median())) if counts else (np.nan, np.nan)
    return DataRanges(unit, int(len(posts)), typical, low, high, any_share, engaged, freq, periods, found)
