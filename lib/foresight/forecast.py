"""Where volume and sentiment are heading: damped-trend exponential smoothing (statsmodels ETS) per group and
measure (volume fitted with its spikes capped), with prediction intervals and flags that fire only when the
interval itself clears the recent level."""
from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

MIN_PERIODS = 8         # fewer periods: no forecast (the line is held flat)
# A period's negative share is shown and fitted only from this many posts: one negative comment of three is
# "33 %", and on real YouTube comments weeks of two or three posts drew the share as swings between 0 % and 30 %
# that said nothing (and that the model then fitted). A group with fewer than MIN_PERIODS such periods gets no
# negative-share line at all; the pages say so and suggest a longer period.
MIN_SHARE_POSTS = 10
ALL_POSTS = "All posts"  # the group of every post, beside the groups of a split


def capped(values: np.ndarray, k: float = 4.0, window: int = 12) -> np.ndarray:
    """Each period from the fifth capped at the median of the (already capped) 12 before it plus `k` robust
    deviations (1.4826 x MAD, at least 1 and half the median). A spike stays in the fitted history only as a high
    ordinary period, so the level a forecast starts from is not carried up by it ("293 and 218 comments, then 17"
    was forecast at 102 a week); a lasting rise becomes the median within a few periods, and steady growth is
    never capped (half the median is the least deviation allowed). On the 12 real dated series of
    `bench/forecast_backtest.py` (2026-12-06): MASE 1.41 -> 1.16 over every origin, 9.88 -> 7.08 right after a
    spike, 80 % band holding 85 % -> 81 % of what came."""
    out = np.asarray(values, dtype=float).copy()
    for t in range(4, len(out)):
        past = out[max(0, t - window):t]
        med = float(np.median(past))
        mad = 1.4826 * float(np.median(np.abs(past - med)))
        out[t] = min(out[t], med + k * max(mad, 1.0, 0.5 * med))
    return out


def forecast_series(series: pd.Series, horizon: int, alpha: float = 0.2, cap_spikes: bool = False) -> pd.DataFrame:
    """Damped-trend exponential smoothing (statsmodels ETS) of one regular series; columns period, kind
    (history / forecast), value, low, high ((1 - alpha) prediction interval). `cap_spikes` (counts of posts): the
    model is fitted on `capped` values, the history shown as it was."""
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    s = series.astype(float).interpolate(limit_direction="both")  # the model needs every period
    if cap_spikes:
        s = pd.Series(capped(s.to_numpy()), index=s.index)
    # the history is what was seen: a period without posts has no negative share (NaN), however the model is fitted
    hist = pd.DataFrame({"period": s.index, "kind": "history", "value": series.astype(float).to_numpy(),
                         "low": np.nan, "high": np.nan})
    if len(s) < MIN_PERIODS or s.std() == 0:
        last = float(s.iloc[-1]) if len(s) else np.nan
        step = s.index[-1] - s.index[-2] if len(s) >= 2 else pd.Timedelta(days=1)
        idx = [s.index[-1] + step * (i + 1) for i in range(horizon)]
        return pd.concat([hist, pd.DataFrame({"period": idx, "kind": "forecast", "value": last, "low": last,
                                              "high": last})], ignore_index=True)
    model = ETSModel(s.reset_index(drop=True), error="add", trend="add", damped_trend=True)
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = model.fit(disp=False, maxiter=200)
        pred = fit.get_prediction(start=len(s), end=len(s) + horizon - 1).summary_frame(alpha=alpha)
    step = s.index[-1] - s.index[-2]
    idx = [s.index[-1] + step * (i + 1) for i in range(horizon)]
    fc = pd.DataFrame({"period": idx, "kind": "forecast", "value": pred["mean"].to_numpy(),
                       "low": pred["pi_lower"].to_numpy(), "high": pred["pi_upper"].to_numpy()})
    return pd.concat([hist, fc], ignore_index=True)


def complete_periods(full: pd.DatetimeIndex, ts: pd.Series, freq: str) -> pd.DatetimeIndex:
    """The periods without the first and last when the data covers under 60 % of them (a week whose posts
    stop on its Tuesday is not a quiet week: left in, it would bend every trend down), the less covered first, each
    only while `MIN_PERIODS` are left to forecast from. Nine days of real airline tweets opened on 24 minutes of a
    day (4 posts): with both ends partial neither was dropped, and the posts forecast began from a day of 4."""
    step = {"D": pd.Timedelta(days=1), "W": pd.Timedelta(days=7)}.get(freq)
    length = (lambda p: step) if step is not None else (lambda p: (p + pd.offsets.MonthBegin(1)) - p)
    first, last = full[0], full[-1]
    lo, hi = (t.tz_convert("UTC").tz_localize(None) if t.tzinfo else t for t in (ts.min(), ts.max()))
    covered = {"first": ((first + length(first)) - lo) / length(first), "last": (hi - last) / length(last)}
    keep = full
    for end in sorted(covered, key=covered.get):  # type: ignore[arg-type]
        if covered[end] < 0.6 and len(keep) > MIN_PERIODS:
            keep = keep[1:] if end == "first" else keep[:-1]
    return keep


def share_note(missing: list[str], period: str, escape: Callable[[str], str] = str) -> str:
    """What a negative-share chart leaves out and why, for the page and the report; `missing`:
    `without_share_trend`'s groups, each passed through `escape` (Markdown on a page)."""
    rule = (f"The negative share is drawn for {period}s of at least {MIN_SHARE_POSTS} posts: a share of a handful "
            "of posts says little.")
    if ALL_POSTS in missing:
        return (f"No negative-share trend: fewer than {MIN_PERIODS} {period}s have {MIN_SHARE_POSTS} posts or "
                f"more. {rule} A longer period gathers more posts in each.")
    if missing:
        return f"{rule} Too few such {period}s for a line: {', '.join(escape(g) for g in missing)}."
    return rule


def _flagged(s: pd.Series, measure: str, name: str, horizon: int, posts: pd.Series) -> pd.DataFrame:
    """One measure of one group: history, forecast and its flag; `posts`: the posts of each history period (a
    column of its own, so a reader sees what each value stands on)."""
    fc = forecast_series(s, horizon, cap_spikes=measure == "posts")
    hi = 1.0 if measure == "negative_share" else None  # a share stays in [0, 1], a count above 0
    fc[["value", "low", "high"]] = fc[["value", "low", "high"]].clip(lower=0.0, upper=hi)
    fc.insert(0, "measure", measure)
    fc.insert(0, "group", name)
    recent = float(s.tail(3).mean())
    end = fc[fc["kind"] == "forecast"].iloc[-1]
    if measure == "posts":
        flag = "likely to grow" if end["low"] > recent * 1.05 and len(s) >= MIN_PERIODS else ""
    else:
        flag = "negative build-up" if end["low"] > float(s.mean()) and s.notna().sum() >= MIN_PERIODS else ""
    fc["flag"] = flag
    fc["posts"] = fc["period"].map(posts).where(fc["kind"] == "history")
    return fc


def raised_flags(tf: pd.DataFrame) -> list[tuple[str, str, str]]:
    """(group, measure, flag) of each group and measure of a `trend_forecast` table whose forecast raised a flag."""
    flags = tf[(tf["kind"] == "forecast") & tf["flag"].ne("")].groupby(["group", "measure"])["flag"].first()
    return [(str(g), str(m), str(f)) for (g, m), f in flags.items()]


def flag_words(tf: pd.DataFrame, group: str, measure: str, period: str) -> str:
    """A group's flag (`_flagged`) with the figures that raised it, as one clause: "negative build-up: the negative
    share forecast for Sat 28 Feb 2015 is at least 59% (the low end of its 80 % interval), above its average of 57%
    a day so far" (the real airline tweets). The report said only "All posts: negative build-up". `period`: the
    period's word ("day", "week", "month")."""
    rows = tf[(tf["group"] == group) & (tf["measure"] == measure)]
    history, end = rows[rows["kind"] == "history"], rows[rows["kind"] == "forecast"].iloc[-1]
    when = f"{end['period']:%a %d %b %Y}" if period == "day" else \
        f"the {period} of {end['period']:%d %b %Y}" if period == "week" else f"{end['period']:%b %Y}"
    if measure == "negative_share":
        return (f"{end['flag']}: the negative share forecast for {when} is at least {end['low']:.0%} (the low end "
                f"of its 80 % interval), above its average of {history['value'].mean():.0%} a {period} so far")
    recent = history["value"].tail(3).mean()
    return (f"{end['flag']}: the forecast for {when} is at least {end['low']:,.0f} posts a {period} (the low end of "
            f"its 80 % interval), above the last 3 {period}s' {recent:,.0f} a {period}")


def period_table(dated: pd.DataFrame, freq: str, by: str | None = None, offset: int = 0) -> pd.DataFrame:
    """What the forecasts read of dated posts, as sums: per period and group (the value of `by` as a string,
    NA without one) the posts, the negative posts (when the posts have `sentiment_label`) and the position of
    the first post (`offset` + its row; the group order breaks ties of size as the posts' order does). Tables
    of parts of the posts add up (sums, and the minimum of `first`): the Dask engine computes one per
    partition and forecasts their sum (`lib.distributed.foresight`)."""
    from lib.listening.overview import period_start

    group = dated[by].astype("string") if by else pd.Series(pd.NA, index=dated.index, dtype="string")
    cols = {"period": period_start(dated["created_at"], freq).to_numpy(), "group": group.to_numpy(),
            "posts": np.ones(len(dated), dtype=np.int64), "first": offset + np.arange(len(dated), dtype=np.int64)}
    if "sentiment_label" in dated:
        cols["negative"] = (dated["sentiment_label"] == "negative").fillna(False).to_numpy(dtype=np.int64)
    return add_tables([pd.DataFrame(cols).astype({"group": "string"})])


def add_tables(tables: list[pd.DataFrame]) -> pd.DataFrame:
    """The sum of `period_table`s (of disjoint parts of the posts)."""
    df = pd.concat([t for t in tables if len(t)] or tables[:1], ignore_index=True)
    sums = {c: (c, "min" if c == "first" else "sum") for c in ("posts", "negative", "first") if c in df}
    return df.groupby(["period", "group"], dropna=False, sort=True).agg(**sums).reset_index()


def forecast_table(table: pd.DataFrame, lo: pd.Timestamp, hi: pd.Timestamp, freq: str, horizon: int = 4,
                   top: int = 8) -> pd.DataFrame:
    """`trend_forecast` of a `period_table` whose posts were dated from `lo` to `hi`."""
    full = pd.date_range(table["period"].min(), table["period"].max(),
                         freq={"D": "D", "W": "W-MON", "MS": "MS"}[freq])
    full = complete_periods(full, pd.Series([lo, hi]), freq)
    table = table[table["period"].isin(full)]
    groups = [(ALL_POSTS, table)]
    named = table[table["group"].notna()]
    if len(named):  # the largest groups, ties in the order of `value_counts` over the posts
        sizes = named.groupby("group").agg(posts=("posts", "sum"), first=("first", "min")).sort_values("first")
        order = pd.Series(sizes["posts"].to_numpy(), index=sizes.index).sort_values(ascending=False)
        groups += [(str(value), named[named["group"] == value]) for value in order.index[:top]]
    out = []
    for name, part in groups:
        sums = part.groupby("period")[[c for c in ("posts", "negative") if c in part]].sum()
        posts = sums["posts"].reindex(full, fill_value=0)
        series = {"posts": posts}
        if "negative" in table:
            neg = sums["negative"].reindex(full, fill_value=0)
            share = (neg / posts.where(posts >= MIN_SHARE_POSTS)).astype(float)
            if share.notna().sum() >= MIN_PERIODS:
                series["negative_share"] = share
        out += [_flagged(s, measure, name, horizon, posts) for measure, s in series.items()]
    return pd.concat(out, ignore_index=True)


def without_share_trend(tf: pd.DataFrame) -> list[str]:
    """The groups of a `trend_forecast` table of posts with sentiment that got no negative-share line (too few
    periods of `MIN_SHARE_POSTS` posts), for the pages to say so."""
    if tf.empty:
        return []
    shown = set(tf.loc[tf["measure"] == "negative_share", "group"])
    return [g for g in dict.fromkeys(tf.loc[tf["measure"] == "posts", "group"]) if g not in shown]


def trend_forecast(frame: pd.DataFrame, freq: str, horizon: int = 4, by: str | None = None,
                   top: int = 8) -> pd.DataFrame:
    """Per group (overall, or each of the `top` largest values of `by`) and measure (posts, negative share):
    history and forecast with intervals, and flags: 'likely to grow' when the forecast's lower bound at the
    horizon is 5 % or more above the recent level (last 3 periods), 'negative build-up' when the negative
    share's lower bound at the horizon is above its level over the whole history."""
    df = frame[frame["created_at"].notna()]
    if df.empty:
        return pd.DataFrame()
    table = period_table(df, freq, by if by and by in df else None)
    return forecast_table(table, df["created_at"].min(), df["created_at"].max(), freq, horizon, top)
