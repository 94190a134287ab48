"""An analysis run in the app: the Data page's "Open an analysis run" (lib.ingest.runs.open_run, the same call
as `python -m lib import`) and, for a run opened as a sample, the whole run's totals on the Overview."""
from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from lib.ingest.reading import InputError
from lib.ingest.run_sample import MAX_APP_POSTS
from lib.ingest.run_totals import (
    is_sampled,
    run_alerts,
    run_sentiment_over_time,
    run_topics_over_time,
    run_volume,
    sentiment_shares,
)
from lib.ingest.runs import Opened, open_run
from lib.listening.charts import share_bars, volume_chart
from lib.listening.language import name_of
from lib.listening.overview import PERIOD_NAMES
from lib.ui import jobs, session, widgets


def open_run_form() -> None:
    """A folder path (a browser cannot pick a folder on the server's disk) and a button; the run becomes the
    active dataset (the one already opened from it, when there is one), or the page says in one line why the
    folder cannot be opened."""
    st.subheader("Or open an analysis run")
    if session.shared_mode():
        st.caption("Opening a run reads a folder on the server's disk, so it is off on a shared server. Use "
                   "`python -m lib import DIR` on your own machine.")
        return
    st.caption("The output folder of `python -m lib analyze ... --out DIR` (either engine): its posts open with "
               "the sentiment and topics the run computed, nothing is computed twice. A run of more than "
               f"{MAX_APP_POSTS:,} posts opens with a sample of {MAX_APP_POSTS:,} drawn evenly across its days, "
               "and the Overview shows the whole run's totals.")
    folder = st.text_input("Run folder", key="run_folder", placeholder="/path/to/DIR",
                           help="Type or paste the folder's path on this computer (the one given to --out).")
    if st.button("Open run", key="open_run", icon=":material/folder_open:", disabled=not folder.strip()):
        try:
            with st.spinner("Reading the run…"):
                opened = open_run(session.ws(), folder.strip())
        except InputError as exc:
            st.error(f"{widgets.md_escape(str(exc).rstrip('.'))}. Nothing was imported.", icon=":material/error:")
            return
        session.set_active(opened.ds_id)
        job = None if opened.already else jobs.start_auto(opened.ds_id)
        st.session_state["data_flash"] = _opened_note(opened) + (
            " Topics and audience segments are being found in the background." if job and opened.topics is None
            else " Audience segments are being found in the background." if job else "")
        st.rerun()


def _opened_note(opened: Opened) -> str:
    name = widgets.md_escape(opened.name)
    if opened.already:
        return (f"This run was already opened as '{name}': it is now the active dataset (no second copy added; "
                "its labels, edits and results are kept).")
    newer = (f" It is a newer version of the run already opened as '{widgets.md_escape(opened.newer_than)}' (the "
             "run folder changed since; that dataset is kept as it was).") if opened.newer_than is not None else ""
    size = (f"a sample of {opened.posts:,} of its {opened.posts_total:,} posts, drawn evenly across its days (the "
            "Overview shows the whole run's totals)" if opened.sampled else f"its {opened.posts:,} posts")
    what = [w for w, ok in (("the run's sentiment", opened.scores_reused),
                            (f"its {opened.topics} topics", opened.topics is not None)) if ok]
    return (f"Opened the run '{name}' with {size}" +
            (f" and {' and '.join(what)}" if what else "") + f". It is now the active dataset.{newer}")


def whole_run(meta: dict[str, Any]) -> None:
    """For a dataset that holds a sample of a run: the note and the whole run's totals, volume and shares
    (the page's own figures below are then the sample's)."""
    run = meta.get("run")
    if run is None or not is_sampled(run):
        return
    shown, total = int(run["posts_shown"]), int(run["posts_total"])
    st.info(f"Showing a sample of {shown:,} of {total:,} posts for tables; totals from the whole run.",
            icon=":material/info:")
    st.subheader("The whole run")
    widgets.summary_metrics({**(run.get("summary") or {}), "posts": total}, "Posts (whole run)")
    counts, freq = run_volume(run)
    if len(counts):
        period = PERIOD_NAMES.get(freq, "period")
        st.caption(f"Posts per {period}, every post of the run.")
        widgets.chart("whole-run posts over time", volume_chart(counts, freq), width="stretch")
    _shares(run)
    st.subheader(f"The sample: {shown:,} posts")


SAMPLED_PAGES = {"listening": "sentiment shares, posts and sentiment over time and spike alerts",
                 "topics": "topic sizes and topics over time",
                 "kpis": "totals, scorecard and best posts by value",
                 "report": "post count, sentiment shares and volume (which the report uses)"}
"""What each page that computes on the sample shows of the whole run above its own figures."""


def sample_note(meta: dict[str, Any], page: str, posts: pd.DataFrame | None = None) -> None:
    """On Listening, Topics, the KPI lab and the Report, for a dataset that holds a sample of a run: these pages
    compute on the sample, so they say so and show first the whole run's figures that the page is about
    (`SAMPLED_PAGES`), from the run's own aggregates, never scaled up from the sample. `posts`: the dataset's
    posts (the KPI lab shows the texts of the run's best posts, which every sample holds)."""
    run = meta.get("run")
    if run is None or not is_sampled(run):
        return
    shown, total = int(run["posts_shown"]), int(run["posts_total"])
    st.info(f"This run has {total:,} posts; this page computes on a sample of {shown:,} of them, drawn evenly across "
            f"its days, so its counts are the sample's. The whole run's {SAMPLED_PAGES[page]} are in \"The whole "
            "run\" below, from the run's own results; the Overview has all its totals.", icon=":material/info:")
    with st.expander("The whole run", expanded=True, icon=":material/dataset:"):
        if page in ("kpis", "report"):
            widgets.summary_metrics({**(run.get("summary") or {}), "posts": total}, "Posts (whole run)")
            if page == "kpis":
                _kpis(run, posts)
                return
        if page in ("listening", "report"):
            _share_metrics(run)
            counts, freq = run_volume(run)
            if len(counts):
                widgets.chart("whole-run posts over time (listening)", volume_chart(counts, freq), width="stretch")
            if page == "listening":
                _sentiment_over_time(run, freq)
                _alerts(run)
            return
        if run.get("topics"):
            top = pd.DataFrame(run["topics"]).sort_values("size", ascending=False).head(15)
            widgets.chart("whole-run topics (topics page)", width="stretch",
                          figure=share_bars(pd.Series(top["size"].to_numpy(), index=top["label"].astype(str)),
                                            "Topics (whole run)"))
            _topics_over_time(run)
        else:
            st.caption("The run found no topics; the topics below are fitted on the sample.")


SCORECARD = ("Likes (vanity)", "Engagement rate", "Authentic posts", "Net sentiment (latest)",
             "Likely bot or spam authors", "Emotional resonance")
"""The run's KPIs shown above the sample's (kpis.json has them all)."""


def _kpis(run: dict[str, Any], posts: pd.DataFrame | None) -> None:
    """The run's own scorecard (kpis.json, every post counted) and its best posts by value at the run's weights
    (posts.csv's value_rank): the sliders below rank the sample, which holds these posts but only a share of the
    others."""
    kpis = run.get("kpis")
    if not kpis:
        st.caption("The run has no KPI step (`--steps kpis`): the scorecard below is the sample's.")
        return
    shown = [k for k in kpis.get("kpis", []) if str(k.get("name")).startswith(SCORECARD)
             and isinstance(k.get("value"), (int, float))]
    cells = [c for _ in range(0, len(shown), 3) for c in st.columns(3)]  # rows of three: the names are long
    for col, k in zip(cells, shown):
        col.metric(f"{k['name']} (whole run)", _shown(k),
                   help=f"{k.get('definition', '')} Formula: {k.get('formula', '')}. From the run's kpis.json.")
    top = pd.DataFrame(kpis.get("top_value") or [])
    if top.empty or posts is None:
        return
    cols = [c for c in ("post_id", "text", "author", "created_at", "likes", "comments", "shares") if c in posts]
    table = top.merge(posts[cols].astype({"post_id": str}), on="post_id", how="left")
    st.markdown(f"**The run's best posts by value**, every post ranked at the run's weights "
                f"({widgets.md_escape(str(kpis.get('weights_name') or 'default'))}): the rankings below are the "
                "sample's, at the weights you set.")
    widgets.table(table.head(10), hide_index=True, width="stretch",
                  column_config={"value_rank": st.column_config.NumberColumn("rank (whole run)", format="%d"),
                                 "value_score": st.column_config.NumberColumn("value", format="%.3f")})


def _shown(kpi: dict[str, Any]) -> str:
    """A kpis.json KPI's value as the scorecard writes it (its `format`; runs before it was written: 4 digits)."""
    try:
        return str(kpi.get("format") or "{:,.4g}").format(kpi["value"])
    except (ValueError, TypeError):
        return f"{kpi['value']:,.4g}"


def _sentiment_over_time(run: dict[str, Any], freq: str) -> None:
    """The whole run's sentiment shares per period (every post's label, counted when the run was opened)."""
    from lib.listening.charts import sentiment_share_chart

    traj = run_sentiment_over_time(run, freq)
    if traj.empty:
        return
    st.caption(f"Sentiment per {PERIOD_NAMES.get(freq, 'period')}: each post's label, every post of the run.")
    widgets.chart("whole-run sentiment shares", sentiment_share_chart(traj, freq), width="stretch")


def _alerts(run: dict[str, Any]) -> None:
    """The run's own spike alerts (DIR/alerts.csv: every post counted, at the run's sensitivity). The Alerts tab
    below finds its alerts in the sample, where a day has only the sample's share of its posts, so a spike the
    run found can fall below the sensitivity there."""
    alerts = run_alerts(run)
    if alerts is None:
        return
    sensitivity = run.get("alert_sensitivity")
    at = f" at sensitivity {float(sensitivity):g}" if sensitivity is not None else ""
    if alerts.empty:
        st.caption(f"Spike alerts of the whole run{at}: none (the run's alerts.csv).")
        return
    st.markdown(f"**Spike alerts of the whole run** ({len(alerts)}, every post counted{at}; the run's "
                "alerts.csv). The Alerts tab below finds alerts in the sample, with its posts and amplifiers.")
    if "brands" in alerts and not alerts["brands"].fillna("").ne("").any():
        alerts = alerts.drop(columns="brands")  # one brand, or none: no alert names any
    shown = alerts.rename(columns={"expected_posts": "usual posts", "negative_share": "negative",
                                   "baseline_negative_share": "usual negative", "terms": "what drives it",
                                   "compared_with": "compared", "spam_share": "spam-like",
                                   "brands": "brands above their usual share"})
    widgets.table(shown, hide_index=True, width="stretch", column_config={
        "usual posts": st.column_config.NumberColumn("usual posts", format="%.0f"),
        **{c: st.column_config.NumberColumn(c, format="percent") for c in ("negative", "usual negative", "spam-like")}})


def _topics_over_time(run: dict[str, Any]) -> None:
    """The whole run's largest topics per period (every post of the run, counted when it was opened)."""
    from lib.topics.charts import topics_over_time

    _, freq = run_volume(run)
    counts = run_topics_over_time(run, freq)
    if counts.empty:
        return
    period = PERIOD_NAMES.get(freq, "period")
    st.caption(f"The run's {counts['topic'].nunique()} largest topics, posts per {period}, every post of the run.")
    widgets.chart("whole-run topics over time", topics_over_time(counts, sorted(counts["topic"].unique()), False, freq),
                  width="stretch")


def _share_metrics(run: dict[str, Any]) -> None:
    """The whole run's sentiment shares, one metric each (none when the run has no sentiment)."""
    shares = sentiment_shares(run)
    for col, (label, share) in zip(st.columns(len(shares)) if shares else [], (shares or {}).items()):
        col.metric(f"{label.capitalize()} (whole run)", f"{share:.0%}",
                   help="The run's estimate of the share of posts with this sentiment (summary.json).")


def _shares(run: dict[str, Any]) -> None:
    _share_metrics(run)
    parts: list[tuple[str, pd.Series]] = []
    if run.get("languages"):
        parts.append(("Languages", pd.Series(run["languages"]).rename(index=name_of).head(8)))
    if run.get("topics"):
        top = pd.DataFrame(run["topics"]).sort_values("size", ascending=False).head(10)
        parts.append(("Topics", pd.Series(top["size"].to_numpy(), index=top["label"].astype(str))))
    for col, (title, counts) in zip(st.columns(len(parts)) if parts else [], parts):
        widgets.chart(f"whole-run {title.lower()}", where=col, figure=share_bars(counts, title), width="stretch")
