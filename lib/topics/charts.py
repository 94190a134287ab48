"""Altair charts of the topics page (and, later, the report). Every mark has a tooltip; post text is data,
never markup (Vega renders tooltip values as text)."""
from __future__ import annotations

from typing import Final

import altair as alt
import pandas as pd

from lib.listening.charts import SENTIMENT_COLORS, count_axis, date_axis, gap_runs

TOPIC_SCHEME: Final = "tableau20"


def keyword_bars(kw: pd.DataFrame, topics: list[int], columns: int = 3) -> alt.Chart:
    """The top keywords of the chosen topics, one small panel per topic, bars by c-TF-IDF weight."""
    df = kw[kw["topic"].isin(topics)].copy()
    df["panel"] = df["topic"].astype(str) + ": " + df["topic_label"].astype(str)
    return alt.Chart(df).mark_bar().encode(
        y=alt.Y("keyword:N", sort="-x", title=None),
        x=alt.X("weight:Q", title="Keyword weight (c-TF-IDF)"),
        color=alt.Color("topic_label:N", legend=None, scale=alt.Scale(scheme=TOPIC_SCHEME)),
        tooltip=[alt.Tooltip("topic_label:N", title="Topic"), alt.Tooltip("keyword:N", title="Keyword"),
                 alt.Tooltip("weight:Q", title="Weight", format=".3f")],
    ).properties(width=220, height=alt.Step(14)).facet(
        facet=alt.Facet("panel:N", title=None, header=alt.Header(labelLimit=260, labelFontWeight="bold")),
        columns=columns).resolve_scale(y="independent")


def intertopic_map(table: pd.DataFrame) -> alt.Chart:
    """Topics as circles placed by how alike their posts are (classical MDS of centre distances)."""
    df = table.copy()
    df["keywords_text"] = df["keywords"].map(lambda k: ", ".join(k[:6]) if isinstance(k, list) else str(k))
    base = alt.Chart(df).encode(
        x=alt.X("tx:Q", title=None, axis=alt.Axis(labels=False, ticks=False, grid=False)),
        y=alt.Y("ty:Q", title=None, axis=alt.Axis(labels=False, ticks=False, grid=False)),
        tooltip=[alt.Tooltip("topic:Q", title="Topic"), alt.Tooltip("label:N", title="Label"),
                 alt.Tooltip("size:Q", title="Posts", format=","), alt.Tooltip("share:Q", title="Share", format=".1%"),
                 alt.Tooltip("keywords_text:N", title="Keywords")])
    circles = base.mark_circle(opacity=0.55, stroke="#333", strokeWidth=0.5).encode(
        size=alt.Size("size:Q", scale=alt.Scale(range=[80, 3000]), legend=None),
        color=alt.Color("label:N", legend=None, scale=alt.Scale(scheme=TOPIC_SCHEME)))
    text = base.mark_text(fontSize=10, dy=-2).encode(text="topic:Q")
    return (circles + text).properties(height=420)


def doc_map(points: pd.DataFrame, color_by: str) -> alt.Chart:
    """Posts on the 2-D map; drag a box to select posts (the page lists them)."""
    brush = alt.selection_interval(name="brush", encodings=["x", "y"])
    if color_by == "sentiment_label":
        color = alt.Color("sentiment_label:N", scale=SENTIMENT_COLORS, title="Sentiment")
    else:
        color = alt.Color("topic_label:N", title="Topic", scale=alt.Scale(scheme=TOPIC_SCHEME),
                          legend=alt.Legend(symbolLimit=30, labelLimit=220))
    df = points[["post_id", "x", "y", "topic_label", "text"] +
                [c for c in ("sentiment_label", "author", "platform") if c in points]].copy()
    df["text"] = df["text"].fillna("").str.slice(0, 200)
    tips = [alt.Tooltip("text:N", title="Post"), alt.Tooltip("topic_label:N", title="Topic")] + \
        [alt.Tooltip(f"{c}:N", title=c.replace("_label", "").capitalize()) for c in ("sentiment_label", "author",
                                                                                     "platform") if c in df]
    return alt.Chart(df).mark_circle(size=18).encode(
        x=alt.X("x:Q", title=None, axis=alt.Axis(labels=False, ticks=False, grid=False)),
        y=alt.Y("y:Q", title=None, axis=alt.Axis(labels=False, ticks=False, grid=False)),
        color=alt.condition(brush, color, alt.value("#d6d9e0")),
        opacity=alt.condition(brush, alt.value(0.75), alt.value(0.35)),
        tooltip=tips,
    ).add_params(brush).properties(height=520)


def _zeros_and_runs(df: pd.DataFrame, freq: str | None) -> pd.DataFrame:
    """Every shown topic in every period that has posts (0 where it had none), and `run`, which counts the quiet
    stretches before each period: a line drawn only through the periods where a topic was talked about joined
    100 % in February to 20 % in August across six months without a post (real YouTube comments), and skipped
    the periods where the topic fell to nothing. Lines break where the data is silent (`detail` on `run`)."""
    if df.empty:
        return df.assign(run=0)
    periods = pd.Index(sorted(df["period"].unique()))
    labels = df.drop_duplicates("topic").set_index("topic")["topic_label"]
    grid = pd.MultiIndex.from_product([periods, labels.index], names=["period", "topic"])
    out = df.set_index(["period", "topic"])[["posts", "share"]].reindex(grid, fill_value=0).reset_index()
    out["topic_label"] = out["topic"].map(labels)
    out["run"] = gap_runs(out["period"], freq)
    return out


def topics_over_time(counts: pd.DataFrame, topics: list[int], share: bool, freq: str | None = None) -> alt.Chart:
    """Posts (or the share of a period's posts) per topic and period, `freq` the period ("D", "W", "MS"; read
    from the data's spacing when not given): lines through every period with posts, broken across silence."""
    df = _zeros_and_runs(counts[counts["topic"].isin(topics)], freq)
    y = alt.Y("share:Q", title="Share of all posts", axis=alt.Axis(format="%")) if share else \
        alt.Y("posts:Q", title="Posts", axis=count_axis())
    return alt.Chart(df).mark_line(point=True).encode(
        x=alt.X("period:T", title=None, axis=date_axis(df["period"])), y=y,
        color=alt.Color("topic_label:N", title="Topic", scale=alt.Scale(scheme=TOPIC_SCHEME),
                        legend=alt.Legend(labelLimit=220)),
        detail=alt.Detail("run:N"),
        tooltip=[alt.Tooltip("period:T", title="Period", format="%a %d %b %Y"),
                 alt.Tooltip("topic_label:N", title="Topic"), alt.Tooltip("posts:Q", title="Posts"),
                 alt.Tooltip("share:Q", title="Share of period", format=".1%")],
    ).properties(height=320)


def topic_heatmap(counts: pd.DataFrame, column: str, topics: list[int], title: str | None = None) -> alt.Chart:
    """Share of each brand's (or platform's, or a category's of the user's file) posts that fall in each topic.
    `title`: what the column is called (by default its name, capitalised). The legend says whose share it is: it
    read "Share of topics" for a JSON export's list of topics."""
    df = counts[counts["topic"].isin(topics)].rename(columns={column: "value"})  # any column name is a safe field
    name = title or column.capitalize()
    return alt.Chart(df).mark_rect().encode(
        x=alt.X("value:N", title=name),
        y=alt.Y("topic_label:N", title=None, sort=alt.EncodingSortField("posts", op="sum", order="descending"),
                axis=alt.Axis(labelLimit=260)),
        color=alt.Color("share:Q", title="Share of its posts", scale=alt.Scale(scheme="blues"),
                        legend=alt.Legend(format="%")),
        tooltip=[alt.Tooltip("value:N", title=name), alt.Tooltip("topic_label:N", title="Topic"),
                 alt.Tooltip("posts:Q", title="Posts"),
                 alt.Tooltip("share:Q", title="Share of its posts", format=".1%")],
    ).properties(height=alt.Step(20))


def topic_sentiment(mix: pd.DataFrame, order: list[str]) -> alt.Chart:
    return alt.Chart(mix).mark_bar().encode(
        y=alt.Y("topic_label:N", sort=order, title=None, axis=alt.Axis(labelLimit=260)),
        x=alt.X("share:Q", stack="normalize", axis=alt.Axis(format="%"), title="Share of the topic's posts"),
        color=alt.Color("sentiment_label:N", scale=SENTIMENT_COLORS, title="Sentiment"),
        order=alt.Order("o:Q"),
        tooltip=[alt.Tooltip("topic_label:N", title="Topic"), alt.Tooltip("sentiment_label:N", title="Sentiment"),
                 alt.Tooltip("posts:Q", title="Posts"), alt.Tooltip("share:Q", title="Share", format=".0%")],
    ).transform_calculate(o="indexof(['positive','neutral','negative'], datum.sentiment_label)") \
        .properties(height=alt.Step(20))


def emerging_chart(em: pd.DataFrame) -> alt.Chart:
    df = em.copy()
    df["status"] = df["emerging"].map({True: "emerging (significant)", False: "not significant"})
    return alt.Chart(df).mark_bar().encode(
        y=alt.Y("topic_label:N", sort="-x", title=None, axis=alt.Axis(labelLimit=260)),
        x=alt.X("growth:Q", title="Change in share of posts vs previous period", axis=alt.Axis(format="+%")),
        color=alt.Color("status:N", title=None, scale=alt.Scale(domain=["emerging (significant)", "not significant"],
                                                                range=["#e07b39", "#b0b6c3"])),
        tooltip=[alt.Tooltip("topic_label:N", title="Topic"), alt.Tooltip("previous:Q", title="Posts before"),
                 alt.Tooltip("current:Q", title="Posts now"), alt.Tooltip("prev_share:Q", title="Share before",
                                                                          format=".1%"),
                 alt.Tooltip("cur_share:Q", title="Share now", format=".1%"),
                 alt.Tooltip("p_value:Q", title="p-value", format=".3g")],
    ).properties(height=alt.Step(20))


def hierarchy_chart(segs: pd.DataFrame, leaves: pd.DataFrame) -> alt.Chart:
    """A dendrogram lying on its side: topics that join further left are more alike."""
    lines = alt.Chart(segs).mark_rule(color="#4b5bdc").encode(
        y=alt.Y("x:Q", axis=None), y2="x2:Q", x=alt.X("y:Q", title="Distance (1 - cosine similarity of centres)",
                                                      scale=alt.Scale(reverse=True)), x2="y2:Q",
        tooltip=[alt.Tooltip("y2:Q", title="Joins at distance", format=".2f")])
    text = alt.Chart(leaves).mark_text(align="left", dx=4, fontSize=11).encode(
        y=alt.Y("x:Q", axis=None), x=alt.value(0), text="label:N", tooltip=[alt.Tooltip("label:N", title="Topic")])
    height = max(200, 18 * len(leaves))
    return alt.hconcat(lines.properties(width=360, height=height), text.properties(width=320, height=height)) \
        .resolve_scale(y="shared")
