"""Headline figures of a posts table: what the Overview page and `summary.json` show."""
from __future__ import annotations

import pandas as pd

from lib.ingest.schema import COUNT_COLUMNS, clock_hours, dated_by


def summary(posts: pd.DataFrame) -> dict:
    """Counts, date range and breakdowns; every number computed from the table itself."""
    out: dict = {"posts": int(len(posts))}
    if "created_at" in posts and posts["created_at"].notna().any():
        ts = posts["created_at"].dropna()
        out["first_post"] = ts.min().isoformat()
        out["last_post"] = ts.max().isoformat()
        out["days_covered"] = int((ts.max().normalize() - ts.min().normalize()).days) + 1
        out["posts_without_date"] = int(posts["created_at"].isna().sum())
    for col in ("platform", "brand", "post_type"):
        if col in posts and posts[col].notna().any():
            out[f"{col}s"] = {str(k): int(v) for k, v in posts[col].value_counts().items()}
    if "author" in posts and posts["author"].notna().any():
        out["authors"] = int(posts["author"].nunique())
    totals = {c: int(posts[c].sum()) for c in COUNT_COLUMNS if c in posts and posts[c].notna().any()}
    if totals:
        out["totals"] = totals
    return out


def date_range_words(created: pd.Series) -> str:
    """The posts' first and last date as the data knows them: "Fri 01 Jan 2016 14:30 to ... UTC" with times; the
    days alone for a file of dates; "Jan 2016 to Dec 2019 (dated by month)" for a file of months (a review site's
    "2016-1" stores each post on the 1st, and the Overview said "Fri 01 Jan 2016 00:00 to Sun 01 Dec 2019 00:00")."""
    ts = created.dropna()
    if ts.empty:
        return ""
    first, last = ts.min(), ts.max()
    if clock_hours(ts.head(1000)).notna().any() or clock_hours(ts).notna().any():  # timed: seen in the first posts
        return f"From {first:%a %d %b %Y %H:%M} to {last:%a %d %b %Y %H:%M} UTC"
    unit = dated_by(pd.DatetimeIndex(ts.dt.normalize().unique()))
    if unit == "year":
        return f"From {first:%Y} to {last:%Y} (dated by year)"
    if unit == "month":
        return f"From {first:%b %Y} to {last:%b %Y} (dated by month)"
    return f"From {first:%a %d %b %Y} to {last:%a %d %b %Y} (dates without times)"


def human_count(n: int | float) -> str:
    """12,345 -> '12.3K', 1,013,591 -> '1.01M' (a real scrape's engagement read "1M"); small numbers stay exact."""
    n = float(n)
    for size, suffix in ((1e9, "B"), (1e6, "M"), (1e4, "K")):
        if abs(n) >= size:
            size = 1e3 if suffix == "K" else size
            digits = 2 if suffix != "K" and abs(n) < 10 * size else 1
            return f"{n / size:,.{digits}f}".rstrip("0").rstrip(".") + suffix
    return f"{n:,.0f}"


PERIOD_NAMES = {"D": "day", "W": "week", "MS": "month"}
"""The word for each of `pick_frequency`'s periods, as pages and the report say it."""


def pick_frequency(posts: pd.DataFrame) -> str:
    """Day buckets for up to ~4 months, weeks up to ~3 years, months beyond."""
    ts = posts["created_at"].dropna()
    if ts.empty:
        return "D"
    days = (ts.max() - ts.min()).days
    return "D" if days <= 120 else "W" if days <= 1100 else "MS"


def period_start(ts: pd.Series, freq: str) -> pd.Series:
    """The start of each timestamp's day, week (Monday) or month, as naive UTC."""
    return (ts.dt.tz_convert("UTC").dt.tz_localize(None)
            .dt.to_period({"D": "D", "W": "W", "MS": "M"}[freq]).dt.start_time)


def volume_over_time(posts: pd.DataFrame, freq: str | None = None, by: str | None = None) -> pd.DataFrame:
    """Posts per period (and per `by` group): columns period, [by], posts. Empty periods count 0."""
    if "created_at" not in posts or posts["created_at"].isna().all():
        return pd.DataFrame(columns=["period", "posts"])
    freq = freq or pick_frequency(posts)
    df = posts.dropna(subset=["created_at"])
    period = period_start(df["created_at"], freq)
    keys = [period.rename("period")] + ([df[by].fillna("(none)").rename(by)] if by else [])
    counts = df.groupby(keys).size().rename("posts").reset_index()
    full = pd.date_range(counts["period"].min(), counts["period"].max(), freq=freq if freq != "W" else "W-MON")
    if by:
        idx = pd.MultiIndex.from_product([full, counts[by].unique()], names=["period", by])
        counts = counts.set_index(["period", by]).reindex(idx, fill_value=0).reset_index()
    else:
        counts = counts.set_index("period").reindex(full, fill_value=0).rename_axis("period").reset_index()
    return counts


BARS = 15  # a breakdown's bars: the largest values (a support inbox has 77 categories, Sentiment140 81 queries)


def top_counts(values: pd.Series, title: str, bars: int = BARS, empty: str = "") -> tuple[pd.Series, str]:
    """Posts per value, largest first, at most `bars` of them, and the chart's title saying so when there are
    more ("Category: top 15 of 77": short, for a chart a quarter of the page wide cut "the 15 largest of ..."). A
    breakdown of Sentiment140's 81 queries or a support inbox's 77 categories drew a bar for each; their sum as one
    more bar, "others", drew the largest bar of all."""
    counts = values.value_counts()
    if len(counts) <= bars:
        return counts, title
    real = len(counts) - int(bool(empty) and empty in counts.index)  # "(no brand)" is a bar, not one of the brands
    return counts.iloc[:bars], f"{title}: top {bars} of {real:,}"
