"""Altair chart builders shared by the pages and, later, the report. Every chart has tooltips."""
from __future__ import annotations

import altair as alt
import pandas as pd

_PERIOD_LABEL = {"D": "Day", "W": "Week of", "MS": "Month"}


def count_axis() -> alt.Axis:
    """An axis of posts: whole numbers only (one post of intent drew ticks 0.0, 0.1, ... 1.0 posts)."""
    return alt.Axis(tickMinStep=1, format=",d")


def date_axis(dates: pd.Series) -> alt.Axis:
    """A time axis whose ticks fall on whole days, months or years, so no date is printed twice: left alone, Vega
    puts ticks every 12 hours on a span of a few days and labels "17 Feb 17 Feb 18 Feb". Over more than three
    years, the years: eleven years of real app reviews were labelled "Dec 2014", "Dec 2015", ... (a tick every
    eleven months)."""
    ts = pd.to_datetime(dates, errors="coerce", utc=True).dropna()
    span = (ts.max() - ts.min()).days if len(ts) else 0
    if span > 3 * 365:
        return alt.Axis(format="%Y", tickCount=alt.TimeIntervalStep(interval="year", step=max(1, span // 3650)))
    if span > 180:
        return alt.Axis(format="%b %Y", tickCount=alt.TimeIntervalStep(interval="month", step=max(1, span // 365)))
    return alt.Axis(format="%d %b", tickCount=alt.TimeIntervalStep(interval="day", step=max(1, -(-span // 10))))


def with_period_end(frame: pd.DataFrame, freq: str) -> pd.DataFrame:
    """`frame` with `period_end`, where a period's bar ends: 85 % of the way to the next period, so bars stand
    apart. Bars drawn from `period` to `period_end` on a time axis put a quiet stretch on the axis as the gap it
    was; one band per period (an ordinal axis) closed it up, so six silent months between two busy weeks looked
    like one week, and labels without a year ("20 Jan", "04 Aug") hid that a chart spanned two years."""
    start = pd.to_datetime(frame["period"])
    width = ((start + pd.offsets.MonthBegin(1)) - start if freq == "MS"
             else pd.Series(pd.Timedelta(days=7 if freq == "W" else 1), index=frame.index))
    return frame.assign(period_end=start + width * 0.85)


def gap_runs(periods: pd.Series, freq: str | None = None) -> pd.Series:
    """For each row's period, how many silent stretches (a missing period or more) come before it, to draw lines
    apart across silence (`detail`): a line through only the periods with posts joined February to August across
    six months without one. `freq` the period ("D", "W", "MS"; read from the data's spacing when not given)."""
    distinct = pd.Series(sorted(pd.unique(periods)))
    gaps = distinct.diff()
    step = {"D": 1, "W": 7, "MS": 31}.get(freq or "")
    limit = pd.Timedelta(days=1.5 * step) if step else 1.5 * gaps.min()
    return periods.map(dict(zip(distinct, (gaps > limit).cumsum()))).astype(int)


def _stacked(frame: pd.DataFrame, value: str, group: str, order: list[str]) -> pd.DataFrame:
    """`frame` with `low` and `high`, each row's segment of its period's stack (groups in `order`, bottom first);
    rows without a value (a period with no posts) are left out. A bar that spans a stretch of time (x to x2) is
    not stacked by Vega-Lite, so the stack is computed here."""
    out = frame[frame[value].notna()].copy()
    out["_rank"] = out[group].astype(str).map({g: i for i, g in enumerate(order)}).fillna(len(order))
    out = out.sort_values(["period", "_rank"], kind="stable")
    out["high"] = out.groupby("period")[value].cumsum()
    out["low"] = out["high"] - out[value]
    return out.drop(columns="_rank")


def _period_tip(freq: str) -> alt.Tooltip:
    """The tooltip line that names a bar's period: its month, or the day it starts."""
    return alt.Tooltip("period:T", title=_PERIOD_LABEL.get(freq, "Period"),
                       format="%b %Y" if freq == "MS" else "%a %d %b %Y")


def _period_bars(frame: pd.DataFrame, y: alt.Y) -> dict:
    """The channels of a chart with one bar per period (`with_period_end`), from `low` to `high`."""
    return dict(x=alt.X("period:T", title=None, axis=date_axis(frame["period"])), x2=alt.X2("period_end:T"),
                y=y, y2=alt.Y2("low:Q"))


def volume_chart(counts: pd.DataFrame, freq: str, by: str | None = None) -> alt.Chart:
    """Posts per period as bars on a time axis (stacked by `by` when given)."""
    counts = with_period_end(counts, freq)
    if by:
        counts = _stacked(counts, "posts", by, others_last(counts[by]))
    else:
        counts = counts.assign(low=0, high=counts["posts"])
    enc = dict(
        **_period_bars(counts, alt.Y("high:Q", title="Posts", axis=count_axis())),
        tooltip=[_period_tip(freq)]
        + ([alt.Tooltip(f"{by}:N", title=by.replace("_", " ").capitalize())] if by else [])
        + [alt.Tooltip("posts:Q", title="Posts", format=",")],
    )
    if by:
        enc["color"] = alt.Color(f"{by}:N", title=by.replace("_", " ").capitalize(), sort=others_last(counts[by]))
    return alt.Chart(counts).mark_bar().encode(**enc).properties(height=300)


def others_last(values: pd.Series) -> list[str]:
    """A legend's order: the values alphabetically, then "others" (`trends.largest_groups`) at the end."""
    return sorted({str(v) for v in values.dropna()}, key=lambda v: (v == "others", v))


def share_bars(counts: pd.Series, title: str, total: int | None = None) -> alt.Chart:
    """Horizontal bars of a breakdown (platform, brand, ...) with counts and shares in the tooltip: shares of
    `total` posts where given (a column of tags counts a post under each of its tags), else of the bars' sum."""
    df = pd.DataFrame({"label": counts.index.astype(str), "posts": counts.to_numpy()})
    df["share"] = df["posts"] / (total or df["posts"].sum())
    return alt.Chart(df, title=title).mark_bar().encode(
        y=alt.Y("label:N", sort=alt.EncodingSortField("posts", order="descending"), title=None),
        x=alt.X("posts:Q", title="Posts", axis=count_axis()),
        tooltip=[alt.Tooltip("label:N", title=title), alt.Tooltip("posts:Q", title="Posts", format=","),
                 alt.Tooltip("share:Q", title="Share", format=".1%")],
    ).properties(height=alt.Step(24))


SENTIMENT_COLORS = alt.Scale(domain=["positive", "neutral", "negative"], range=["#2e9e5b", "#b0b6c3", "#d1495b"])
# each emotion its usual colour (anger red, joy amber, sadness blue, fear purple), not the next one in a palette
# that drew anger blue and fear red
EMOTION_COLORS = alt.Scale(domain=["anger", "disgust", "fear", "joy", "sadness", "surprise"],
                           range=["#d1495b", "#8c6d31", "#7b4ea3", "#f2b134", "#3c6fb4", "#2bb3a3"])


def sentiment_share_chart(traj: pd.DataFrame, freq: str) -> alt.Chart:
    """Stacked shares of positive / neutral / negative per period on a time axis, counts in the tooltip; a
    period without posts is a gap."""
    order = ["positive", "neutral", "negative"]
    long = with_period_end(traj, freq).melt(id_vars=["period", "period_end", "posts"],
                                            value_vars=[f"share_{lab}" for lab in order], var_name="label",
                                            value_name="share")
    long["label"] = long["label"].str.replace("share_", "", regex=False)
    long["count"] = (long["share"].fillna(0) * long["posts"]).round().astype(int)
    long = _stacked(long, "share", "label", order)
    return alt.Chart(long).mark_bar().encode(
        **_period_bars(long, alt.Y("high:Q", title="Share of posts", axis=alt.Axis(format="%"),
                                   scale=alt.Scale(domain=[0, 1]))),
        color=alt.Color("label:N", scale=SENTIMENT_COLORS, title="Sentiment", sort=order),
        tooltip=[_period_tip(freq),
                 alt.Tooltip("label:N", title="Sentiment"), alt.Tooltip("share:Q", format=".1%", title="Share"),
                 alt.Tooltip("count:Q", title="Posts")],
    ).properties(height=260)


def mix_share_chart(table: pd.DataFrame, column: str, freq: str, title: str) -> alt.Chart:
    """Each value's share of a period's posts (`trends.mix_over_time`: period, `column`, posts) as stacked bars on
    a time axis. An area chart drew a value missing from a period as a slope to the next and bridged months
    without a post (two years of real YouTube comments)."""
    order = sorted(table[column].astype(str).unique())
    shares = table.assign(**{column: table[column].astype(str)},
                          share=table["posts"] / table.groupby("period")["posts"].transform("sum"))
    bars = _stacked(with_period_end(shares, freq), "share", column, order)
    label = column.replace("_", " ").capitalize()
    return alt.Chart(bars).mark_bar().encode(
        **_period_bars(bars, alt.Y("high:Q", title=title, axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1]))),
        color=alt.Color(f"{column}:N", title=label, sort=order,
                        scale=EMOTION_COLORS if column == "emotion" else alt.Undefined),
        tooltip=[_period_tip(freq),
                 alt.Tooltip(f"{column}:N", title=label), alt.Tooltip("share:Q", format=".1%", title="Share"),
                 alt.Tooltip("posts:Q", title="Posts")],
    ).properties(height=220)


def net_sentiment_chart(traj: pd.DataFrame, by: str | None = None) -> alt.Chart:
    """Net sentiment (share positive - share negative) per period, and over the rolling window's posts."""
    base = alt.Chart(traj).encode(x=alt.X("period:T", title=None, axis=date_axis(traj["period"])))
    color = alt.Color(f"{by}:N", title=by.capitalize(), sort=others_last(traj[by])) if by else alt.value("#4b5bdc")
    tips = [alt.Tooltip("period:T", title="Period", format="%a %d %b %Y")] + \
        ([alt.Tooltip(f"{by}:N", title=by.capitalize())] if by else []) + \
        [alt.Tooltip("net:Q", format="+.2f", title="Net sentiment"),
         alt.Tooltip("net_rolling:Q", format="+.2f", title="Rolling net"),
         alt.Tooltip("velocity:Q", format="+.3f", title="Velocity (per period)"),
         alt.Tooltip("posts:Q", title="Posts")]
    # a period's dot as large as its posts: a partial first day of 4 posts is no peer of a day of 2,000
    size = alt.Size("posts:Q", legend=None, scale=alt.Scale(range=[6, 90]))
    points = base.mark_circle(opacity=0.45).encode(y=alt.Y("net:Q", title="Net sentiment"), color=color, size=size,
                                                   tooltip=tips)
    line = base.mark_line(strokeWidth=2.5).encode(y="net_rolling:Q", color=color, tooltip=tips)
    zero = alt.Chart(pd.DataFrame({"y": [0]})).mark_rule(color="#888", strokeDash=[4, 4]).encode(y="y:Q")
    return (points + line + zero).properties(height=260)


def count_bars(values: pd.Series, title: str, colors: alt.Scale | None = None) -> alt.Chart:
    """Bars of how many posts carry each value (emotion, intent, ...)."""
    counts = values.value_counts()
    df = pd.DataFrame({"label": counts.index.astype(str), "posts": counts.to_numpy()})
    df["share"] = df["posts"] / max(1, df["posts"].sum())
    enc = dict(y=alt.Y("label:N", sort="-x", title=None), x=alt.X("posts:Q", title="Posts", axis=count_axis()),
               tooltip=[alt.Tooltip("label:N", title=title), alt.Tooltip("posts:Q", title="Posts", format=","),
                        alt.Tooltip("share:Q", title="Share", format=".1%")])
    if colors is not None:
        enc["color"] = alt.Color("label:N", scale=colors, legend=None)
    return alt.Chart(df, title=title).mark_bar().encode(**enc).properties(height=alt.Step(22))


MARKED_FROM = 180  # periods on the alert chart from which a window is also drawn as a rule (a day under ~5 px)


def alert_chart(daily: pd.DataFrame, windows: list[tuple[pd.Timestamp, pd.Timestamp]],
                unit: str = "day") -> alt.LayerChart:
    """Posts per period (a day, or the month or year a file is dated by: `alerts.own_periods`) with negative
    posts overlaid and the alert windows shaded; over more than `MARKED_FROM` periods each window is marked by a
    rule too, as a day is then narrower than a pixel (eleven years of real app reviews: 13 alerts, none seen)."""
    df = daily.reset_index().rename(columns={"index": "day"})
    df["day"] = df["day"].dt.tz_localize(None)
    df["share_negative"] = df["negative"] / df["posts"].where(df["posts"] > 0)
    when = {"day": "%a %d %b %Y", "month": "%b %Y", "year": "%Y"}[unit]
    tips = [alt.Tooltip("day:T", format=when, title=unit.capitalize()), alt.Tooltip("posts:Q", title="Posts"),
            alt.Tooltip("negative:Q", title="Negative posts"),
            alt.Tooltip("share_negative:Q", format=".0%", title="Negative share")]
    base = alt.Chart(df).encode(x=alt.X("day:T", title=None, axis=date_axis(df["day"])))
    layers = []
    if windows:
        w = pd.DataFrame({"start": [s.tz_localize(None) - pd.Timedelta(hours=12) for s, _ in windows],
                          "end": [e.tz_localize(None) + pd.Timedelta(hours=12) for _, e in windows]})
        layers.append(alt.Chart(w).mark_rect(color="#f4c542", opacity=0.3).encode(x="start:T", x2="end:T"))
        if len(df) > MARKED_FROM:
            w["mid"] = w["start"] + (w["end"] - w["start"]) / 2
            layers.append(alt.Chart(w).mark_rule(color="#e0a800", strokeWidth=2, opacity=0.8).encode(
                x="mid:T", tooltip=[alt.Tooltip("mid:T", format=when, title="Alert")]))
    per_day = alt.Y("posts:Q", title=f"Posts per {unit}", axis=count_axis())
    layers.append(base.mark_area(color="#b0b6c3", opacity=0.6).encode(y=per_day, tooltip=tips))
    layers.append(base.mark_area(color="#d1495b", opacity=0.8).encode(y="negative:Q", tooltip=tips))
    return alt.LayerChart(layer=layers).properties(height=220)


def aspect_chart(table: pd.DataFrame) -> alt.Chart:
    """Per aspect, the share of its mentions that are positive / neutral / negative."""
    long = table.melt(id_vars=["aspect", "mentions"], value_vars=["positive", "neutral", "negative"],
                      var_name="label", value_name="share")
    return alt.Chart(long).mark_bar().encode(
        y=alt.Y("aspect:N", sort=table["aspect"].tolist(), title=None),
        x=alt.X("share:Q", stack="normalize", axis=alt.Axis(format="%"), title="Share of mentions"),
        color=alt.Color("label:N", scale=SENTIMENT_COLORS, title="Sentiment", sort=["positive", "neutral", "negative"]),
        order=alt.Order("label_order:Q"),
        tooltip=[alt.Tooltip("aspect:N", title="Aspect"), alt.Tooltip("label:N", title="Sentiment"),
                 alt.Tooltip("share:Q", format=".0%", title="Share"), alt.Tooltip("mentions:Q", title="Mentions")],
    ).transform_calculate(label_order="indexof(['positive','neutral','negative'], datum.label)") \
        .properties(height=alt.Step(28))
