"""Sentiment over time: shares, net sentiment, rolling net and velocity per period (and group)."""
from __future__ import annotations

import pandas as pd

from lib.listening.overview import period_start, pick_frequency
from lib.pipeline import ROLLING_WINDOW


def trajectory(posts: pd.DataFrame, label_col: str = "sentiment_label", freq: str | None = None,
               by: str | None = None, window: int | None = None) -> pd.DataFrame:
    """Per period (and `by` group): posts, counts and shares of each label, net sentiment
    (share positive - share negative), the net of the posts of the last `window` periods together (`rolling_net`;
    by default the pipeline's `ROLLING_WINDOW` for the period) and its velocity (its change from one period to the
    next)."""
    df = posts.dropna(subset=["created_at"])
    cols = ["period"] + ([by] if by else []) + ["posts", "positive", "neutral", "negative", "share_positive",
                                                 "share_neutral", "share_negative", "net", "net_rolling", "velocity"]
    if df.empty:
        return pd.DataFrame(columns=cols)
    freq = freq or pick_frequency(df)
    window = window or ROLLING_WINDOW[freq]
    keys = [period_start(df["created_at"], freq).rename("period")] + ([df[by].fillna("(none)")] if by else [])
    counts = pd.crosstab(keys, df[label_col]).reindex(columns=["positive", "neutral", "negative"], fill_value=0)
    full = pd.date_range(counts.index.get_level_values(0).min(), counts.index.get_level_values(0).max(),
                         freq={"D": "D", "W": "W-MON", "MS": "MS"}[freq])
    if by:
        idx = pd.MultiIndex.from_product([full, counts.index.get_level_values(1).unique()], names=["period", by])
    else:
        idx = pd.Index(full, name="period")
    counts = counts.reindex(idx, fill_value=0)
    out = counts.reset_index()
    out["posts"] = out[["positive", "neutral", "negative"]].sum(axis=1)
    n = out["posts"].where(out["posts"] > 0)
    for lab in ("positive", "neutral", "negative"):
        out[f"share_{lab}"] = out[lab] / n
    out["net"] = out["share_positive"] - out["share_negative"]
    if by:
        out["net_rolling"] = out.groupby(by, group_keys=False)[["positive", "negative", "posts"]].apply(
            lambda g: rolling_net(g, window))
        out["velocity"] = out.groupby(by)["net_rolling"].diff()
    else:
        out["net_rolling"] = rolling_net(out, window)
        out["velocity"] = out["net_rolling"].diff()
    return out[cols]


def net_of(counts: pd.DataFrame) -> pd.Series:
    """(positive - negative) / posts per row of counts; NaN where there are no posts."""
    return (counts["positive"] - counts["negative"]) / counts["posts"].where(counts["posts"] > 0)


THIN_WINDOW = 0.1  # a rolling window holding less than this share of the median window's posts has no rolling net
MIN_WINDOW_POSTS = 10  # nor one of fewer posts than this: a net of a handful of posts says little (as Foresight's)


def rolling_net(counts: pd.DataFrame, window: int) -> pd.Series:
    """The net sentiment of the posts of the last `window` periods taken together, per period (`counts`: positive,
    negative and posts per period, in order). Each post counts once: until 2026-12-06 this was the mean of the
    periods' net values, so on real YouTube comments a week of two comments (net -1 or +1) weighed as much as one
    of 300, and the line and the KPI card's "latest" swung with them. A window far thinner than the usual one
    (`THIN_WINDOW`) or of fewer than `MIN_WINDOW_POSTS` posts has none: 14,640 real airline tweets began with 4
    posts of a partial day, and the line started at -0.75 where every full window read -0.2 to -0.4; American
    Airlines' line, 1-4 tweets a day before 988 on the fifth, rose to +0.50 on the day of one positive tweet."""
    sums = counts[["positive", "negative", "posts"]].rolling(window, min_periods=1).sum()
    thin = (sums["posts"] < MIN_WINDOW_POSTS) | (sums["posts"] < THIN_WINDOW * sums["posts"].median())
    return net_of(sums).mask(thin)


def latest_words(traj: pd.DataFrame, window: int, period: str) -> str:
    """The Listening page's line under its net sentiment: the latest rolling net and its velocity, and the window it
    is of where later periods hold too few posts for one (`rolling_net`): on the first 999 tweets of a real
    customer-care dump, whose last weeks hold a handful, the page said "-0.09" with no date while the KPI lab had no
    value. "" where no window has one."""
    last = traj.dropna(subset=["net_rolling"]).tail(1)
    if not len(last):
        return ""
    row = last.iloc[0]
    text = (f"Latest rolling net sentiment {row['net_rolling']:+.2f}; velocity {row['velocity']:+.3f} per {period} "
            "(the change of the rolling net from the period before)")
    if row["period"] < traj["period"].max():
        text += (f", of the {window} {period}{'s' if window > 1 else ''} to {row['period']:%d %b %Y}: the windows "
                 f"after it hold too few posts (fewer than {MIN_WINDOW_POSTS}, or a tenth of a usual window's)")
    return text + "."


def mix_over_time(posts: pd.DataFrame, column: str, freq: str | None = None,
                  exclude: tuple[str, ...] = ()) -> pd.DataFrame:
    """How many posts carry each value of `column` (emotion, intent, ...) per period: period, value, posts."""
    df = posts.dropna(subset=["created_at"])
    df = df[~df[column].isin(exclude)]
    if df.empty:
        return pd.DataFrame(columns=["period", column, "posts"])
    period = period_start(df["created_at"], freq or pick_frequency(df)).rename("period")
    return df.groupby([period, df[column]]).size().rename("posts").reset_index()


MAX_LINES = 8  # lines a chart split by brand or platform can show and still be read


def largest_groups(posts: pd.DataFrame, by: str, n: int = MAX_LINES) -> tuple[pd.DataFrame, int]:
    """The posts with `by` kept for its `n` largest values and every other value as "others", and how many values
    were put together: Sentiment140's 81 queries split net sentiment into 81 lines of one repeating palette."""
    counts = posts[by].value_counts()
    if len(counts) <= n:
        return posts, 0
    keep = set(counts.index[:n])
    col = posts[by]
    return posts.assign(**{by: col.where(col.isin(keep) | col.isna(), "others")}), len(counts) - n
