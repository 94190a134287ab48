"""Altair chart builders shared by the pages and, later, the report. Every chart has tooltips."""
from __future__ import annotations

import altair as alt
import pandas as pd

_PERIOD_LABEL = {"D": "Day", "W": "Week of", "MS": "Month"}


def volume_chart(counts: pd.DataFrame, freq: str, by: str | None = None) -> alt.Chart:
    """Posts per period as bars, one band per period (stacked by `by` when given)."""
    label = _PERIOD_LABEL.get(freq, "Period")
    unit, axis_format, tip_format = (("yearmonth", "%b %Y", "%b %Y") if freq == "MS"
                                     else ("yearmonthdate", "%d %b", "%a %d %b %Y"))
    enc = dict(
        x=alt.X(f"{unit}(period):O", title=None,
                axis=alt.Axis(format=axis_format, labelAngle=0, labelOverlap="greedy")),
        y=alt.Y("posts:Q", title="Posts"),
        tooltip=[alt.Tooltip(f"{unit}(period):T", title=label, format=tip_format)]
        + ([alt.Tooltip(f"{by}:N", title=by.replace("_", " ").capitalize())] if by else [])
        + [alt.Tooltip("posts:Q", title="Posts", format=",")],
    )
    if by:
        enc["color"] = alt.Color(f"{by}:N", title=by.replace("_", " ").capitalize())
    return alt.Chart(counts).mark_bar().encode(**enc).properties(height=300)


def share_bars(counts: pd.Series, title: str) -> alt.Chart:
    """Horizontal bars of a breakdown (platform, brand, ...) with counts and shares in the tooltip."""
    df = pd.DataFrame({"label": counts.index.astype(str), "posts": counts.to_numpy()})
    df["share"] = df["posts"] / df["posts"].sum()
    return alt.Chart(df, title=title).mark_bar().encode(
        y=alt.Y("label:N", sort=alt.EncodingSortField("posts", order="descending"), title=None),
        x=alt.X("posts:Q", title="Posts"),
        tooltip=[alt.Tooltip("label:N", title=title), alt.Tooltip("posts:Q", title="Posts", format=","),
                 alt.Tooltip("share:Q", title="Share", format=".1%")],
    ).properties(height=alt.Step(24))
