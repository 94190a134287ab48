"""Altair charts of the Foresight page: forecasts with their intervals, importances and a draft's pushes."""
from __future__ import annotations

import altair as alt
import pandas as pd

from lib.listening.charts import date_axis


def forecast_chart(tf: pd.DataFrame, measure: str, title: str) -> alt.Chart:
    """History as a line, the forecast dashed with its interval as a band, one colour per group."""
    df = tf[tf["measure"] == measure].sort_values(["group", "period"], kind="stable")
    # a period without posts has no value (a share of nothing): the line breaks there (`run`, drawn apart by
    # `detail`) instead of a straight line across it, which drew six silent months as a steady rise
    df = df.assign(run=df["value"].isna().groupby(df["group"]).cumsum())
    df = df[df["value"].notna() | (df["kind"] == "forecast")]
    # the dashed forecast starts at the last observed point, so the two lines join
    last = df[df["kind"] == "history"].groupby("group").tail(1).assign(kind="forecast")
    df = pd.concat([df, last], ignore_index=True).sort_values(["group", "period"], kind="stable")
    fmt = ".0%" if measure == "negative_share" else ",.0f"
    base = alt.Chart(df).encode(x=alt.X("period:T", title=None, axis=date_axis(df["period"])),
                                color=alt.Color("group:N", title=None, legend=alt.Legend(labelLimit=220)),
                                detail=alt.Detail("run:N"))
    tips = [alt.Tooltip("group:N", title="Group"), alt.Tooltip("period:T", format="%d %b %Y"),
            alt.Tooltip("kind:N", title=""), alt.Tooltip("value:Q", title=title, format=fmt),
            alt.Tooltip("low:Q", title="low (80 %)", format=fmt),
            alt.Tooltip("high:Q", title="high (80 %)", format=fmt),
            alt.Tooltip("posts:Q", title="posts in the period", format=",.0f")]
    line = base.mark_line(point=True).encode(
        y=alt.Y("value:Q", title=title, axis=alt.Axis(format=fmt)),
        strokeDash=alt.StrokeDash("kind:N", title=None, sort=["history", "forecast"]), tooltip=tips)
    band = base.transform_filter(alt.datum.kind == "forecast").mark_area(opacity=0.18).encode(
        y="low:Q", y2="high:Q", tooltip=tips)
    return (band + line).properties(height=260)


def importance_chart(importance: pd.DataFrame, unit: str = "") -> alt.Chart:
    """Permutation importance per feature group; `unit` names the error's units ("points of engagement rate")."""
    return alt.Chart(importance.head(12)).mark_bar().encode(
        y=alt.Y("feature:N", sort="-x", title=None, axis=alt.Axis(labelOverlap=False, labelLimit=200)),
        x=alt.X("importance:Q", title="Error added when shuffled" + (f", {unit}" if unit else "")
                + " (permutation importance)"),
        tooltip=[alt.Tooltip("feature:N", title="Feature"), alt.Tooltip("importance:Q", format=".4f"),
                 alt.Tooltip("words:N", title="How")]).properties(height=alt.Step(22))


def pushes_chart(pushes: pd.DataFrame, label: str) -> alt.Chart:
    df = pushes.head(10).assign(direction=lambda d: d["effect"].map(lambda v: "up" if v > 0 else "down"))
    return alt.Chart(df).mark_bar().encode(
        y=alt.Y("feature:N", sort=alt.EncodingSortField("effect", op="sum", order="descending"), title=None,
                axis=alt.Axis(labelOverlap=False, labelLimit=200)),
        x=alt.X("effect:Q", title=f"Change in predicted {label} vs a typical post"),
        color=alt.Color("direction:N", scale=alt.Scale(domain=["up", "down"], range=["#2e9e5b", "#d1495b"]),
                        legend=None),
        tooltip=[alt.Tooltip("feature:N"), alt.Tooltip("effect:Q", format="+.4f")]).properties(height=alt.Step(22))


def ranges_chart(periods: pd.DataFrame, engagement_title: str, rate: bool = False) -> alt.Chart:
    """Posts and engagement per period (`rate`: an engagement rate, drawn in percent) as lines, each with its
    Theil-Sen trend dashed, one panel each."""
    titles = {"posts": "Posts", "engagement": engagement_title + (" (%)" if rate else "")}
    rows = []
    for measure, title in titles.items():
        if measure not in periods or periods[measure].isna().all():
            continue
        trend = periods.get(f"{measure}_trend", pd.Series(float("nan"), index=periods.index))
        scale = 100 if rate and measure == "engagement" else 1  # one axis format for both panels: percent points
        rows.append(pd.DataFrame({"period": periods["period"], "measure": title, "value": periods[measure] * scale,
                                  "trend": trend * scale}))
    df = pd.concat(rows, ignore_index=True)
    base = alt.Chart().encode(x=alt.X("period:T", title=None, axis=date_axis(df["period"])))
    tips = [alt.Tooltip("period:T", format="%d %b %Y"),
            alt.Tooltip("value:Q", format=",.2~f", title="value")]
    line = base.mark_line(point=True).encode(y=alt.Y("value:Q", title=None), tooltip=tips)
    trend = base.mark_line(strokeDash=[5, 4], color="#888").encode(y="trend:Q")
    return alt.layer(line, trend, data=df).properties(height=150).facet(
        row=alt.Row("measure:N", title=None, sort=list(titles.values()))).resolve_scale(y="independent")
