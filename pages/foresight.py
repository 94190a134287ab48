"""Foresight: how well post performance can be predicted (and the proof), a draft what-if, trend forecasts
with intervals, and segments at risk. Never claims more skill than the cross-validation shows."""
import datetime as dt

import pandas as pd
import streamlit as st

from lib import pipeline
from lib.audience import views as av
from lib.audience.segments import posts_with_segments
from lib.foresight import charts
from lib.foresight import model as F
from lib.foresight.forecast import MIN_PERIODS, trend_forecast
from lib.ingest.schema import CANONICAL, DERIVED
from lib.listening.overview import pick_frequency
from lib.ui import cache, session, widgets

session.ensure_navigation()
# Columns named like results measured after publishing are never offered as features: they would let the
# model "predict" engagement from engagement.
OUTCOME_WORDS = ("lifetime", "interaction", "engag", "consum", "impression", "reach", "view", "click", "like",
                 "comment", "share", "reaction", "save", "total")

st.title("Foresight")
ds_id, posts = widgets.require_dataset()
w = session.ws()
has_text = pipeline.has_text(posts)
frame = cache.analysis_frame(ds_id)
tab_model, tab_draft, tab_trend, tab_risk = st.tabs(["Performance model", "Draft what-if", "Trend forecast",
                                                    "Segment risk"])

# ------------------------------------------------------------------ the performance model
known = [c for c in posts.columns  # columns of numbers the canonical schema does not know (kept as imported)
         if c not in CANONICAL and c not in DERIVED and not c.startswith("truth_") and posts[c].notna().any()
         and not any(w in c.lower() for w in OUTCOME_WORDS)
         and pd.to_numeric(posts[c], errors="coerce").notna().mean() >= 0.9]
report = None
why = F.too_small(frame)
with tab_model:
    if why:
        st.info(f"No model: {why}", icon=":material/info:")
    else:
        extra = [] if not known else st.multiselect(
            "Other columns known before publishing", known, key="fs_extra",
            help="Add only what you know before a post goes out (paid or not, a campaign number, the planned hour). "
                 "Results measured after publishing (reach, engaged users, ...) would let the model cheat.")
        with st.spinner("Cross-validating the model…"):
            report = cache.foresight_model(session.ws_path(), ds_id, tuple(extra))
        (st.success if report.has_skill else st.warning)(report.verdict)
        c = st.columns(4)
        c[0].metric("Predicts", report.target_label.split(" (")[0].replace("engagement ", "Eng. "),
                    help=report.target_label)
        c[1].metric("Model error (MAE)", f"{report.folds['mae_model'].mean():.4g}",
                    help="Mean absolute error on posts the model did not learn from, averaged over the folds.")
        c[2].metric("Baseline error (MAE)", f"{report.folds['mae_baseline'].mean():.4g}",
                    help="Always predicting the training posts' average.")
        c[3].metric("Skill", f"{report.skill:+.0%}", help="1 - model error / baseline error. Below +5 %, or not "
                                                          "winning in most folds, counts as no skill.")
        st.caption(f"{report.n_posts:,} posts, {len(report.folds)} {report.cv} cross-validation folds: the model "
                   "is always scored on posts it has not seen.")
        st.dataframe(report.folds, hide_index=True, width="stretch")
        st.markdown("**What drives the prediction** (measured on the last fold)")
        widgets.chart("what drives engagement", charts.importance_chart(report.importance), width="stretch")
        st.dataframe(report.importance, hide_index=True, width="stretch")

# ------------------------------------------------------------------ draft what-if
with tab_draft:
    if report is None:
        st.info(f"Needs the performance model. {why}")
    else:
        with st.form("fs_draft"):
            text = st.text_area("Draft post", key="fs_text", placeholder="Paste the post you plan to publish")
            d1, d2, d3, d4 = st.columns(4)
            platforms = sorted(frame["platform"].dropna().astype(str).unique()) if "platform" in frame else []
            types = sorted(frame["post_type"].dropna().astype(str).unique()) if "post_type" in frame else []
            platform = d1.selectbox("Platform", platforms or ["other"], key="fs_platform")
            ptype = d2.selectbox("Post type", types or ["text"], key="fs_type")
            when = d3.date_input("Day", dt.date.today(), key="fs_day")
            hour = d4.slider("Hour", 0, 23, 12, key="fs_hour")
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
                st.dataframe(res["similar"], hide_index=True, width="stretch",
                             column_config={"text": st.column_config.TextColumn("text", width="large"),
                                            "similarity": st.column_config.NumberColumn(format="%.2f")})

# ------------------------------------------------------------------ trend forecast
with tab_trend:
    if "created_at" not in frame or frame["created_at"].notna().sum() < 2:
        st.info("Needs dated posts.")
    else:
        c1, c2, c3 = st.columns(3)
        freq_name = c1.radio("Period", ["day", "week", "month"], horizontal=True, key="fs_freq",
                             index=["D", "W", "MS"].index(pick_frequency(frame)))
        freq = {"day": "D", "week": "W", "month": "MS"}[freq_name]
        splits = ["nothing"] + [c for c in ("brand", "platform", "topic_label") if c in frame and
                                frame[c].nunique() > 1]
        by = c2.selectbox("Split by", splits, key="fs_by", format_func=lambda c: {"topic_label": "topic"}.get(c, c))
        horizon = c3.slider("Periods ahead", 1, 12, 4, key="fs_h")
        tf = trend_forecast(frame, freq, horizon, by=None if by == "nothing" else by)
        n_periods = tf[(tf["group"] == "All posts") & (tf["kind"] == "history") & (tf["measure"] == "posts")].shape[0]
        if n_periods < MIN_PERIODS:
            st.warning(f"Only {n_periods} {freq_name}s of history: forecasts need at least {MIN_PERIODS}; the line "
                       "is held flat. Pick a shorter period or add data.")
        flags = tf[(tf["kind"] == "forecast") & tf["flag"].ne("")].groupby(["group", "measure"])["flag"].first()
        for (g, meas), flag in flags.items():
            (st.error if flag == "negative build-up" else st.info)(
                f"{g}: {flag} ({'negative share' if meas == 'negative_share' else 'posts'}; the 80 % interval at "
                f"{horizon} {freq_name}s ahead clears the current level).", icon=":material/trending_up:")
        widgets.chart("posts forecast", charts.forecast_chart(tf, "posts", "Posts"), width="stretch")
        if "negative_share" in set(tf["measure"]):
            widgets.chart("negative share forecast",
                        charts.forecast_chart(tf, "negative_share", "Negative share"), width="stretch")
        st.caption("Damped-trend exponential smoothing (statsmodels ETS) per series; bands are 80 % prediction "
                   "intervals. A forecast continues the recent trend; it cannot see launches or crises coming.")

# ------------------------------------------------------------------ segment risk
with tab_risk:
    stamp = w.result_stamp(ds_id, "segments")
    if not stamp:
        st.info("Find audience segments first (Audience page); this tab then watches each segment's sentiment and "
                "engagement.")
        st.page_link("pages/audience.py", label="Go to Audience", icon=":material/groups:")
    elif not has_text:
        st.info("Segment risk reads sentiment, and this dataset has no text.")
    else:
        result = cache.segment_result(session.ws_path(), ds_id, stamp)
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
        st.dataframe(turn.drop(columns=["segment"]), hide_index=True, width="stretch",
                     column_config={"engagement_change": st.column_config.NumberColumn(format="percent")})
