"""Altair charts of the Audience page. Every mark has a tooltip; names and posts are data, never markup."""
from __future__ import annotations

from typing import Final

import altair as alt
import pandas as pd

from lib.listening.charts import date_axis

SEGMENT_SCHEME: Final = "tableau10"  # Final: Altair accepts only its named schemes
MAP_LIMIT = 20_000  # points drawn on the map; more makes the browser slow, not the picture clearer


def segment_map(authors: pd.DataFrame, names: dict[int, str]) -> alt.Chart:
    """Authors on the 2-D map: colour by segment, size by influence; drag a box to select authors."""
    brush = alt.selection_interval(name="brush", encodings=["x", "y"])
    df = authors.copy()
    df["segment_name"] = df["segment"].map(names).fillna("Unassigned (noise)")
    influence = "followers" if "followers" in df and df["followers"].notna().any() else "engagement_per_post" \
        if "engagement_per_post" in df else "posts"
    df["influence"] = df[influence].fillna(0)
    keep = ["author", "x", "y", "segment_name", "posts", "influence"] + [
        c for c in ("mean_sentiment", "negative_share", "engagement_per_post") if c in df and c != influence]
    df = df[keep]
    tips = [alt.Tooltip("author:N", title="Author"), alt.Tooltip("segment_name:N", title="Segment"),
            alt.Tooltip("posts:Q", title="Posts"), alt.Tooltip("influence:Q", title=influence.replace("_", " "),
                                                                format=",.0f")]
    tips += [alt.Tooltip(f"{c}:Q", title=c.replace("_", " "), format=".2f") for c in keep[6:]]
    return alt.Chart(df).mark_circle().encode(
        x=alt.X("x:Q", title=None, axis=alt.Axis(labels=False, ticks=False, grid=False)),
        y=alt.Y("y:Q", title=None, axis=alt.Axis(labels=False, ticks=False, grid=False)),
        size=alt.Size("influence:Q", scale=alt.Scale(type="sqrt", range=[12, 400]), title=influence.replace("_", " ")),
        color=alt.condition(brush, alt.Color("segment_name:N", title="Segment", scale=alt.Scale(scheme=SEGMENT_SCHEME),
                                             legend=alt.Legend(labelLimit=260)), alt.value("#d6d9e0")),
        opacity=alt.condition(brush, alt.value(0.75), alt.value(0.3)),
        tooltip=tips,
    ).add_params(brush).properties(height=520)


def segment_sizes(personas: pd.DataFrame, unit: str = "authors") -> alt.Chart:
    """Share of authors and share of posts per segment, side by side (one bar, of posts, for segments of posts)."""
    total_posts = max(1, int(personas["posts"].sum()))
    df = personas.assign(share_of_posts=personas["posts"] / total_posts).melt(
        id_vars=["name"], value_vars=["share_of_posts"] if unit == "posts" else ["share", "share_of_posts"],
        var_name="measure", value_name="value")
    df["measure"] = df["measure"].map({"share": "of authors", "share_of_posts": "of posts"})
    return alt.Chart(df).mark_bar().encode(
        y=alt.Y("name:N", title=None, sort=personas["name"].tolist(), axis=alt.Axis(labelLimit=260)),
        x=alt.X("value:Q", title="Share", axis=alt.Axis(format="%")), yOffset="measure:N",
        color=alt.Color("measure:N", title=None),
        tooltip=[alt.Tooltip("name:N", title="Segment"), alt.Tooltip("measure:N", title="Share"),
                 alt.Tooltip("value:Q", format=".1%", title="Value")]).properties(height=alt.Step(16))


def segment_trend(traj: pd.DataFrame, measure: str, title: str) -> alt.Chart:
    """One line per segment over time (posts or net sentiment from lib.listening.trends.trajectory by segment_name)."""
    fmt = "+.2f" if measure.startswith("net") else ",.0f"
    return alt.Chart(traj).mark_line(point=True).encode(
        x=alt.X("period:T", title=None, axis=date_axis(traj["period"])), y=alt.Y(f"{measure}:Q", title=title),
        color=alt.Color("segment_name:N", title="Segment", scale=alt.Scale(scheme=SEGMENT_SCHEME),
                        legend=alt.Legend(labelLimit=260)),
        tooltip=[alt.Tooltip("segment_name:N", title="Segment"), alt.Tooltip("period:T", format="%d %b %Y"),
                 alt.Tooltip(f"{measure}:Q", title=title, format=fmt), alt.Tooltip("posts:Q", title="Posts")],
    ).properties(height=260)
