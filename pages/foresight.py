"""Foresight: how well post performance can be predicted (and the proof), a draft what-if, trend forecasts
with intervals, and segments at risk. Never claims more skill than the cross-validation shows.

The page never waits for its model: the model is fitted in its own thread (lib.ui.cache.foresight_fitting) and,
until it is ready, the first tab shows the data's own ranges and trend with the fit's progress, and reruns the
page by itself when it is done. Only the open tab is computed, so the first view costs the ranges (12,284 real
tweets: about 0.1 s), not a trend forecast as well."""
import datetime as dt

import pandas as pd
import streamlit as st

from lib import pipeline
from lib.audience import views as av
from lib.audience.segments import posts_with_segments
from lib.foresight import charts
from lib.foresight import model as F
from lib.foresight.forecast import (
    ALL_POSTS,
    MIN_PERIODS,
    flag_words,
    raised_flags,
    share_note,
    trend_forecast,
    without_share_trend,
)
from lib.foresight.ranges import DataRanges, data_ranges, fmt
from lib.ingest.schema import CANONICAL, DERIVED
from lib.listening.overview import PERIOD_NAMES, pick_frequency
from lib.ui import cache, jobs, session, widgets

session.ensure_navigation()
# Columns named like results measured after publishing are never offered as features: they would let the
# model "predict" engagement from engagement.
OUTCOME_WORDS = ("lifetime", "interaction", "engag", "consum", "impression", "reach", "view", "click", "like",
                 "comment", "share", "reaction", "save", "total")
WAIT_S = 0.5  # a model that is nearly done is shown at once, without a progress bar that flashes


@st.cache_resource(show_spinner=False, max_entries=4)
def ranges_of(path: str, ds_id: str) -> DataRanges | None:
    """The data's own ranges and trend, once per dataset (datasets never change after saving). Shared, read-only."""
    return data_ranges(session.load_posts(path, ds_id))


def show_ranges(r: DataRanges | None) -> None:
    """What the data itself says: the typical post, the middle 80 %, posts per period and their trends."""
    if r is None:
        st.caption("The posts carry no dates, so there is no trend to show.")
        return
    period = PERIOD_NAMES[r.freq]
    m = st.columns(4)
    m[0].metric(f"Posts a {period} (typical)", f"{r.periods['posts'].median():,.0f}",
                help=f"Median over the {len(r.periods)} {period}s; they ranged from {r.periods['posts'].min():,.0f} "
                     f"to {r.periods['posts'].max():,.0f}.")
    if r.unit:
        short = "engagement rate" if r.unit == "engagement rate" else "engagements"
        m[1].metric(f"Typical post ({short})", fmt(r.unit, r.typical), help="The median post.")
        m[2].metric("Middle 80 % of posts", f"{fmt(r.unit, r.low)} – {fmt(r.unit, r.high)}",
                    help="10th to 90th percentile of the posts.")
        if r.any_share == r.any_share:  # not NaN: counts, not a rate
            m[3].metric("Posts with any engagement", f"{r.any_share:.0%}")
    st.markdown("\n".join(f"- {s}" for s in r.sentences()))
    rate = r.unit == "engagement rate"
    widgets.chart("data ranges", charts.ranges_chart(r.periods, "Engagement rate" if rate else "Engagements per post",
                                                     rate), width="stretch")
    st.caption("Dashed: the trend (Theil-Sen line, robust to a one-day surge); rising or falling only when its 95 % "
               "interval says so.")


def watch_fit(fitting: cache.Fitting) -> None:
    """The model fit's progress, refreshed every 1.5 s; the page reruns by itself when the model is ready."""
    @st.fragment(run_every=1.5)
    def watch() -> None:
        if fitting.finished.is_set():
            st.rerun(scope="app")
        st.progress(min(1.0, fitting.fraction), text=f"Performance model: {fitting.message}")

    watch()


def show_model(report: F.PerformanceResult, ds_id: str) -> None:
    (st.success if report.has_skill else st.warning)(report.verdict)
    c = st.columns(4)
    c[0].metric("Predicts", report.target_label.split(" (")[0].replace("engagement ", "Eng. "),
                help=report.target_label)
    rate = report.target == "engagement_rate"
    unit = ("Percentage points of engagement rate: 1.00 pts means a prediction of 2.5 % for a post that got 1.5 %."
            if rate else "The factor a typical prediction is off by: ×1.50 means half as much again, or a third "
            "less, than the engagements the post got (the model predicts log(1 + engagement)).")
    c[1].metric("Model error (MAE)", F.shown_error(report.target, report.folds["mae_model"].mean()),
                help="Mean absolute error on posts the model did not learn from, averaged over the folds. " + unit)
    c[2].metric("Baseline error (MAE)", F.shown_error(report.target, report.folds["mae_baseline"].mean()),
                help="Always predicting the training posts' average. " + unit)
    c[3].metric("Skill", f"{report.skill:+.0%}", help="1 - model error / baseline error. Below +5 %, or not "
                                                      "winning in most folds, counts as no skill.")
    st.caption(f"{report.n_posts:,} posts, {len(report.folds)} {report.cv} cross-validation folds: the model "
               "is always scored on posts it has not seen" + F.undated(report.cv) + ".")
    widgets.table(F.folds_table(report), hide_index=True, width="stretch")
    st.markdown("**What drives the prediction** (measured on the last fold)")
    scale, words = F.error_scale(report.target)
    importance = report.importance.assign(importance=report.importance["importance"] * scale)
    widgets.chart("what drives engagement", charts.importance_chart(importance, words), width="stretch")
    widgets.table(importance.rename(columns={"importance": f"error added ({words})"}), hide_index=True,
                  width="stretch")
    with st.expander("What the data itself says (no model)"):
        show_ranges(ranges_of(session.ws_path(), ds_id))


def draft_tab(ds_id: str, posts: pd.DataFrame, fitting: cache.Fitting | None, report: F.PerformanceResult | None,
              why: str) -> None:
    """A draft post's expected engagement in the user's units, with its band, what pushes it and similar posts."""
    if fitting is None or fitting.error is not None:
        st.info("Needs the performance model. " + (why or "It could not be fitted (see the first tab)."))
        return
    if report is None:
        st.info("Needs the performance model, which is being fitted; this tab shows the what-if by itself when it "
                "is ready.", icon=":material/hourglass_top:")
        watch_fit(fitting)
        return
    frame = cache.analysis_frame(ds_id)
    with st.form("fs_draft"):
        text = st.text_area("Draft post", key="fs_text", placeholder="Paste the post you plan to publish")
        d1, d2, d3, d4 = st.columns(4)
        platforms = sorted(frame["platform"].dropna().astype(str).unique()) if "platform" in frame else []
        types = sorted(frame["post_type"].dropna().astype(str).unique()) if "post_type" in frame else []
        platform = d1.selectbox("Platform", platforms or ["other"], key="fs_platform")
        ptype = d2.selectbox("Post type", types or ["text"], key="fs_type")
        when = d3.date_input("Day", dt.date.today(), key="fs_day")
        # dates without a time of day teach no hour: no slider that changes nothing
        hour = d4.slider("Hour", 0, 23, 12, key="fs_hour") if "hour" in report.columns else 12
        fol_default = int(pd.to_numeric(frame.get("followers"), errors="coerce").median()) \
            if "followers" in frame and frame["followers"].notna().any() else 0
        followers = st.number_input("Your followers", 0, 10**10, fol_default, key="fs_followers")
        typical = {c: pd.to_numeric(posts[c], errors="coerce").median() for c in report.settings.extra}
        extras = {c: st.number_input(c, value=float(v) if pd.notna(v) else 0.0, key=f"fs_x_{c}")
                  for c, v in typical.items()}
        go = st.form_submit_button("Predict", type="primary", icon=":material/insights:")
    if go:
        draft = {"text": text, "platform": platform, "post_type": ptype, "followers": followers,
                 "created_at": pd.Timestamp(when).replace(hour=hour).tz_localize("UTC"), **extras}
        st.session_state["fs_result"] = (ds_id, F.what_if(report, frame, draft))
    got = st.session_state.get("fs_result")
    res = got[1] if got and got[0] == ds_id else None  # a prediction for another dataset is not shown
    if res:
        shown = res["shown"]
        m = st.columns(3)
        m[0].metric("Expected " + ("engagements" if res["unit"].startswith("engagements") else "engagement rate"),
                    shown["predicted"], help=res["unit"])
        m[1].metric("Likely range (10–90 %)", f"{shown['low']} – {shown['high']}")
        m[2].metric("Typical past post", shown["typical"])
        st.caption(res["plain"])
        if not res["has_skill"]:
            st.warning("The model has no proven skill on this data, so this is the data's own typical range, "
                       "not a prediction for this draft.")
        elif not res["pushes"].empty:
            st.markdown("**What pushes this draft up or down** (against a typical post)")
            widgets.chart("draft pushes", charts.pushes_chart(res["pushes"], report.target_label.split(" (")[0]),
                          width="stretch")
        if "similar" in res:
            st.markdown("**The most similar past posts and how they really did**")
            widgets.table(res["similar"], hide_index=True, width="stretch",
                          column_config={"text": st.column_config.TextColumn("text", width="large"),
                                         "similarity": st.column_config.NumberColumn(format="%.2f")})


def trend_tab(ds_id: str) -> None:
    """Where volume and the negative share are heading, with 80 % intervals and growth flags."""
    frame = cache.analysis_frame(ds_id)
    if "created_at" not in frame or frame["created_at"].notna().sum() < 2:
        st.info("Needs dated posts.")
        return
    c1, c2, c3 = st.columns(3)
    freq_name = c1.radio("Period", ["day", "week", "month"], horizontal=True, key="fs_freq",
                         index=["D", "W", "MS"].index(pick_frequency(frame)))
    freq = {"day": "D", "week": "W", "month": "MS"}[freq_name]
    splits = ["nothing"] + [c for c in ("brand", "platform", "topic_label") if c in frame and
                            frame[c].nunique() > 1]
    by = c2.selectbox("Split by", splits, key="fs_by", format_func=lambda c: {"topic_label": "topic"}.get(c, c))
    horizon = c3.slider("Periods ahead", 1, 12, 4, key="fs_h")
    tf = trend_forecast(frame, freq, horizon, by=None if by == "nothing" else by)
    n_periods = tf[(tf["group"] == ALL_POSTS) & (tf["kind"] == "history") & (tf["measure"] == "posts")].shape[0]
    if n_periods < MIN_PERIODS:
        st.warning(f"Only {n_periods} {freq_name}s of history: forecasts need at least {MIN_PERIODS}; the line "
                   "is held flat. Pick a shorter period or add data.")
    for g, meas, flag in raised_flags(tf):
        (st.error if flag == "negative build-up" else st.info)(  # a group is the file's value: inert Markdown
            f"{widgets.md_escape(g)}: {flag_words(tf, g, meas, freq_name)}.", icon=":material/trending_up:")
    widgets.chart("posts forecast", charts.forecast_chart(tf, "posts", "Posts"), width="stretch")
    if "negative_share" in set(tf["measure"]):
        widgets.chart("negative share forecast", charts.forecast_chart(tf, "negative_share", "Negative share"),
                      width="stretch")
    if "sentiment_label" in frame:
        st.caption(share_note(without_share_trend(tf), freq_name, widgets.md_escape))
    st.caption("Damped-trend exponential smoothing (statsmodels ETS) per series; bands are 80 % prediction "
               "intervals. Post volume is fitted with one-off spikes capped, so a spike does not carry the "
               "forecast up (the chart shows them as they were). A forecast continues the recent trend; it cannot "
               "see launches or crises coming.")


def risk_tab(ds_id: str, has_text: bool) -> None:
    """Segments turning negative or losing engagement (first third of the period against the last)."""
    w = session.ws()
    stamp = w.result_stamp(ds_id, "segments")
    job = jobs.auto_job(ds_id)
    if not stamp and job is not None and not job.done:
        st.info("Audience segments are being found in the background (started when the data was imported); this "
                "tab watches each segment's sentiment and engagement once they are.", icon=":material/hourglass_top:")
        return
    if not stamp:
        st.info("Find audience segments first (Audience page); this tab then watches each segment's sentiment and "
                "engagement.")
        st.page_link("pages/audience.py", label="Go to Audience", icon=":material/groups:")
        return
    if not has_text:
        st.info("Segment risk reads sentiment, and this dataset has no text.")
        return
    frame = cache.analysis_frame(ds_id)
    result = cache.segment_result(session.ws_path(), ds_id, stamp)
    assert result is not None  # the stamp says it is saved
    from lib.audience.personas import persona_names

    turn = av.turning(posts_with_segments(frame, result, persona_names(result, w.persona_edits(ds_id))))
    st.caption("First third of the period against the last third, per segment. Both signals together (falling "
               "engagement and rising negativity) are the churn warning; one alone is worth watching.")
    for _, r in turn.iterrows():
        neg, low = "turning negative" in r["verdict"], "losing engagement" in r["verdict"]
        if not (neg or low):
            continue
        says = f"{r['segment_name']}: {av.change_text(r)}."
        if neg and low:
            st.error(says + " Churn warning: investigate, it is an indicator, not a certainty.",
                     icon=":material/warning:")
        else:
            st.warning(says + (" Turning negative while engagement holds." if neg else
                               " Engagement falling while sentiment holds."), icon=":material/trending_down:")
    if not turn["verdict"].str.contains("turning negative|losing engagement").any():
        st.success("No segment is turning negative or losing engagement.")
    widgets.table(turn.drop(columns=["segment"]), hide_index=True, width="stretch",
                  column_config={"engagement_change": st.column_config.NumberColumn(format="percent")})


st.title("Foresight")
ds_id, posts = widgets.require_dataset()
known = [c for c in posts.columns  # columns of numbers the canonical schema does not know (kept as imported)
         if c not in CANONICAL and c not in DERIVED and not c.startswith("truth_") and posts[c].notna().any()
         and not any(word in c.lower() for word in OUTCOME_WORDS)
         and pd.to_numeric(posts[c], errors="coerce").notna().mean() >= 0.9]
why = F.too_small(posts)
extra = [] if why or not known else st.multiselect(  # above the tabs: the draft what-if reads the same model
    "Other columns known before publishing", known, key="fs_extra",
    help="Add only what you know before a post goes out (paid or not, a campaign number, the planned hour). "
         "Results measured after publishing (reach, engaged users, ...) would let the model cheat.")
if not why:
    widgets.read_posts_first(ds_id, posts)
fitting = None if why else cache.foresight_fitting(session.ws_path(), ds_id, tuple(extra))
if fitting is not None:
    fitting.finished.wait(WAIT_S)
report = fitting.result if fitting is not None and fitting.finished.is_set() and fitting.error is None else None
# only the open tab is computed: the first view costs the data's ranges, not a trend forecast as well
tab_model, tab_draft, tab_trend, tab_risk = st.tabs(["Performance model", "Draft what-if", "Trend forecast",
                                                    "Segment risk"], key="fs_tab", on_change="rerun")
if tab_model.open:
    with tab_model:
        if fitting is None:
            st.info(f"No model: {why}", icon=":material/info:")
        elif fitting.error is not None:
            st.error(f"The model could not be fitted: {type(fitting.error).__name__}: {fitting.error}")
        elif report is None:
            st.info("The performance model is being fitted and cross-validated (seconds; longer while topics are "
                    "found on a busy server). This page shows it by itself when it is ready. Meanwhile, what the "
                    "data itself says:", icon=":material/hourglass_top:")
            watch_fit(fitting)
            show_ranges(ranges_of(session.ws_path(), ds_id))
        else:
            show_model(report, ds_id)
if tab_draft.open:
    with tab_draft:
        draft_tab(ds_id, posts, fitting, report, why)
if tab_trend.open:
    with tab_trend:
        trend_tab(ds_id)
if tab_risk.open:
    with tab_risk:
        risk_tab(ds_id, pipeline.has_text(posts))
