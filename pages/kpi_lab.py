"""KPI lab: value over vanity. Tune what 'value' means with sliders or an objective preset and watch every
ranking follow; each KPI shows its definition and formula next to the number."""
import altair as alt
import pandas as pd
import streamlit as st

from lib import pipeline
from lib.kpis import leaderboards as L
from lib.kpis import value as K
from lib.kpis.care import care_by, care_by_note
from lib.kpis.scorecard import RELATIVE_KPIS, in_words, missing_kpis
from lib.kpis.signal import no_signal, no_signal_message
from lib.kpis.weights import COMPONENTS, PRESETS, Weights, dump_presets, fallback_note, load_presets
from lib.listening.charts import date_axis, gap_runs
from lib.listening.overview import pick_frequency
from lib.report.export import to_csv_bytes
from lib.ui import cache, run_view, session, widgets

session.ensure_navigation()

st.title("KPI lab")
ds_id, posts = widgets.require_dataset()
run_view.sample_note(session.ws().meta(ds_id), "kpis", posts)  # a sampled run: the whole run's figures first
w = session.ws()
has_text = pipeline.has_text(posts)
widgets.read_posts_first(ds_id, posts)
bundle = cache.kpi_bundle(session.ws_path(), ds_id)  # shared objects: read, never modify
frame, model = bundle.frame, bundle.model
available = list(model.components.columns)
if not available:
    st.info("This dataset has no engagement counts, reach or text that differ between posts, so there is nothing "
            "to score. KPIs need at least likes, comments or shares (mapped on the Data page). "
            + "; ".join(f"{COMPONENTS[c][0]}: {why}" for c, why in model.unavailable.items()) + ".")
    st.stop()

CURRENT = "kpi_current_weights"  # the weights as tuned here, kept for the Report page (not a widget key)


def weights_equal(a: dict[str, float], b: dict[str, float], available: list[str]) -> bool:
    """Whether two slider settings weigh the available components the same (after normalising), up to the
    rounding of a preset's weights to whole slider steps (Brand awareness's 60 % shows as 60.2 %)."""
    na, nb = Weights("a", a).normalised(available), Weights("b", b).normalised(available)
    return all(abs(na.get(c, 0.0) - nb.get(c, 0.0)) < 0.01 for c in available)


# ------------------------------------------------------------------ weights: presets, sliders, save/load
custom = load_presets(w.get_setting("kpi_presets"))
presets = {**PRESETS, **custom}
with st.container(border=True):
    c1, c2 = st.columns([2, 3])
    if CURRENT in st.session_state and "kpi_preset" not in st.session_state:  # back on the page: as left
        st.session_state["kpi_preset"] = st.session_state.get("kpi_loaded_preset")
    preset = c1.selectbox("Objective", list(presets), key="kpi_preset",
                          help="The course's three objectives, a balanced mix, and presets you saved.")
    if st.session_state.get("kpi_loaded_preset") != preset:  # a new preset sets every slider
        for comp in COMPONENTS:
            st.session_state[f"kpi_w_{comp}"] = int(round(100 * presets[preset].weights.get(comp, 0.0) /
                                                           max(presets[preset].weights.values() or [1])))
        st.session_state["kpi_loaded_preset"] = preset
    elif CURRENT in st.session_state:  # back on the page: the sliders as the user left them
        for comp, value in st.session_state[CURRENT].weights.items():
            st.session_state.setdefault(f"kpi_w_{comp}", int(value))
    c2.caption("What counts as value: move a slider and every ranking below follows. Weights are normalised "
               "to 100 % over the components your data supports.")
    cols = st.columns(3)
    tuned: dict[str, float] = {}
    for i, comp in enumerate(available):
        label, what = COMPONENTS[comp]
        tuned[comp] = cols[i % 3].slider(label, 0, 100, key=f"kpi_w_{comp}", help=what)
    same = weights_equal(tuned, presets[preset].weights, available)
    top_weight = max(presets[preset].weights.values() or [1]) or 1  # as the preset set the sliders (above)
    untouched = all(tuned[c] == int(round(100 * presets[preset].weights.get(c, 0.0) / top_weight)) for c in available)
    # sliders where the preset put them: its own weights (the command line's `--weights PRESET`), not their
    # rounding to whole slider steps (on real tweets the effective weights said 38 % where the note on the preset
    # said 37 %); any slider moved: the sliders' weights, however small the move
    weights = presets[preset] if untouched else Weights(preset if same else f"{preset}, tuned", tuned)
    st.session_state[CURRENT] = weights  # what the Report page uses unless told otherwise
    norm = weights.normalised(available)
    st.caption("Effective weights: " + " · ".join(f"{COMPONENTS[c][0]} {v:.0%}" for c, v in norm.items() if v > 0))
    shown_preset = Weights(widgets.md_escape(preset), presets[preset].weights)  # a saved name is user text
    note = fallback_note(shown_preset, available, model.unavailable, effect=untouched)
    if note:
        st.info(note if untouched else f"{note} Your sliders set the weights now (effective weights above).",
                icon=":material/info:")
    missing = {c: why for c, why in model.unavailable.items() if not why.startswith("no signal")}
    if missing:
        st.caption("Not in this data: " + "; ".join(f"{COMPONENTS[c][0]} ({why})" for c, why in missing.items()))
    for c, why in model.unavailable.items():
        if c not in missing:
            st.caption(no_signal_message(COMPONENTS[c][0].lower(), why.removeprefix("no signal: ")))
    s1, s2, s3 = st.columns(3)
    name = s1.text_input("Save these weights as", placeholder="e.g. Q3 launch", key="kpi_save_name")
    if s1.button("Save preset", icon=":material/save:", disabled=not name.strip()):
        custom[name.strip()] = Weights(name.strip(), {c: float(v) for c, v in tuned.items()})
        w.set_setting("kpi_presets", dump_presets(custom))
        st.session_state["kpi_flash"] = f"Saved the preset '{name.strip()}'."
        st.rerun()
    s2.download_button("Export weights (JSON)", weights.to_json(), "kpi-weights.json",
                       "application/json", icon=":material/download:")
    up = s3.file_uploader("Import weights (JSON)", type=["json"], key="kpi_import")
    if up is not None and st.session_state.get("kpi_imported") != up.file_id:
        try:
            imported = Weights.from_json(up.getvalue().decode("utf-8", errors="replace")).weights
        except ValueError as exc:
            st.error(str(exc))
        else:
            top = max(imported.values() or [1]) or 1
            for comp in COMPONENTS:
                st.session_state[f"kpi_w_{comp}"] = int(round(100 * imported.get(comp, 0.0) / top))
            st.session_state["kpi_imported"] = up.file_id
            st.rerun()
    if st.session_state.get("kpi_flash"):
        st.success(st.session_state.pop("kpi_flash"))

ranks = K.rankings(model, weights)


def rows(index: pd.Index) -> pd.DataFrame:
    """A few posts with their scores (never a join of the whole table: slider moves stay fast)."""
    return frame.loc[index].join(ranks.loc[index])


# ------------------------------------------------------------------ scorecard
st.subheader("Scorecard")
card = [k for k in bundle.scorecard if k.name not in RELATIVE_KPIS]  # ~50 over all posts: per group in the tabs
card_cols = st.columns(4)
for i, kpi in enumerate(k for k in card if k.shown() != "n/a"):  # a row of "n/a" cards says one thing: below
    with card_cols[i % 4].container(border=True):
        exact = "" if kpi.on_card() == kpi.shown() else f" Exactly {kpi.shown()}."
        st.metric(kpi.name, kpi.on_card(), help=kpi.definition + exact)
        st.caption(f"`{kpi.formula}`")
if missing := missing_kpis(card):
    st.caption("Left off the scorecard: " + "; ".join(missing) + ".")

# only the open tab is computed (a slider move reruns one tab's tables and charts, not five)
tabs = st.tabs(list(L.TABS), key="kl_tab", on_change="rerun")
flat_vanity = model.vanity_unavailable
if tabs[0].open:
    with tabs[0]:
        show = ["text"] * ("text" in frame) + [  # a platform or brand that every post shares says nothing either
            c for c in ("platform", "brand") if c in frame and frame[c].nunique() > 1] + [  # nor counts all tie on
            c for c in ("likes", "comments", "shares", "reach") if c in frame and no_signal(frame[c].fillna(0)) is None]
        fmt = {"value_score": st.column_config.ProgressColumn("value", min_value=0.0, max_value=1.0, format="%.2f"),
               "vanity_score": st.column_config.ProgressColumn("vanity", min_value=0.0, max_value=1.0, format="%.2f"),
               "text": st.column_config.TextColumn("text", width="large")}
        left, right = st.columns(2) if flat_vanity is None else (None, st.container())
        if flat_vanity is None and left is not None:
            left.markdown("**Top 10 by vanity** (likes + views + impressions)")
            vanity_top = rows(L.top(ranks, "vanity_rank"))[["vanity_rank", "value_rank"] + show]
            widgets.table(vanity_top, where=left, hide_index=True, width="stretch", column_config=fmt)
            if tie := L.tied_at_cut(ranks, "vanity_rank"):
                left.caption(tie)
        elif flat_vanity is not None:
            st.info(no_signal_message("vanity", flat_vanity) + " Vanity is likes + views + impressions: every post "
                    "ties on it, so there is no vanity ranking and no vanity-versus-value disagreement to show.")
        right.markdown(f"**Top 10 by value** ({preset if sum(tuned.values()) else 'equal weights'})")
        text_only = K.text_only_note(model)
        pool, short = L.read_best_pool(ranks, cache.worded_flags(session.ws_path(), ds_id)) if text_only else \
            (ranks, None)
        value_top = rows(L.top(pool, "value_rank"))[["value_rank"] + ([] if flat_vanity else ["vanity_rank"]) + show]
        widgets.table(value_top, where=right, hide_index=True, width="stretch", column_config=fmt)
        for note in (text_only, short, L.tied_at_cut(pool, "value_rank")):
            if note:
                right.caption(note)
        if not flat_vanity:
            st.markdown("**Biggest disagreements**: posts that vanity and value rank furthest apart")
            gap = rows(L.disagreements(ranks))
            gap["why"] = [K.explain(model, weights, ranks.index.get_loc(i)) for i in gap.index]
            gap["verdict"] = gap["rank_change"].map(lambda d: "underrated by vanity" if d > 0 else
                                                    "overrated by vanity")
            widgets.table(gap[["verdict", "why", "vanity_rank", "value_rank"] + show], hide_index=True, width="stretch",
                          column_config=fmt)
        st.download_button("Download all posts with scores (CSV)", lambda: to_csv_bytes(frame.join(ranks)),
                           f"kpis-{ds_id}.csv", "text/csv", icon=":material/download:")

if tabs[1].open:
    with tabs[1]:
        if not model.groups:
            st.caption("One brand, platform and post type only: nothing to compare.")
        elif flat_vanity:
            st.caption(no_signal_message("vanity", flat_vanity) + " These tables leave it out.")
        for g in model.groups:
            board = L.group_leaderboard(model, ranks, g, min_posts=L.MIN_GROUP_POSTS)
            st.markdown(f"**By {g.replace('_', ' ')}**")
            if board.attrs.get("left_out"):
                n = board.attrs["left_out"]
                what = f"{g.replace('_', ' ')}{'s' if n > 1 else ''}" if g in K.GROUP_COLUMNS else \
                    f"{'group' if n == 1 else 'groups'} of {g}"
                st.caption(f"{n:,} {what} with fewer than {L.MIN_GROUP_POSTS} posts left out: too few to say what "
                           f"works. Ranks are among the {len(board):,} shown.")
            widgets.table(board, hide_index=True, width="stretch",
                          column_config={"mean_value": st.column_config.ProgressColumn("mean value", min_value=0.0,
                                                                                       max_value=1.0, format="%.2f"),
                                         "mean_vanity": st.column_config.ProgressColumn("mean vanity", min_value=0.0,
                                                                                        max_value=1.0, format="%.2f"),
                                         "engagement_quality": st.column_config.NumberColumn(
                                             "quality score", format="%.0f",
                                             help="Engagement Quality Score, 0-100: the mean percentile of its posts' "
                                                  "conversation, amplification, saves, positive sentiment and "
                                                  "authenticity. 50 is the average post of this dataset.")})

        if "brand" in frame and len(answers := care_by(frame, "brand", L.MIN_GROUP_POSTS)) > 1:  # brands' replies
            st.markdown("**Answers by brand**")
            if note := care_by_note(answers, L.MIN_GROUP_POSTS):
                st.caption(note)
            widgets.table(answers.assign(median_minutes=answers["median_minutes"].map(in_words)), hide_index=True,
                          width="stretch", column_config={
                              "answered": st.column_config.NumberColumn(
                                  "answered", format="percent",
                                  help="Share of the conversations started that a brand's own account answered in "
                                       "this file."),
                              "median_minutes": st.column_config.TextColumn("median wait for a first answer")})

if tabs[2].open:
    with tabs[2]:
        sov = bundle.sov
        no_influence = L.influence_note(frame)
        if sov.empty or len(sov) < 2:
            st.caption("Needs a brand column with at least two brands.")
        else:
            if no_influence:
                st.info(no_influence, icon=":material/info:")
                sov = sov.drop(columns=["share_of_influence", "gap"])
            else:
                basis = L.influence_basis(frame)
                st.caption("Share of voice counts mentions; share of influence weights each mention by "
                           + ("its author's audience (log(1 + followers) + 1)" if basis == "followers" else
                              "how many people the post reached (log(1 + reach) + 1)")
                           + ". A brand with more influence than voice is talked about by people who are heard.")
            long = sov.melt(id_vars=["brand"], var_name="measure", value_name="share",
                            value_vars=[c for c in ("share_of_voice", "share_of_influence") if c in sov])
            widgets.chart("share of voice vs influence", alt.Chart(long).mark_bar().encode(
                y=alt.Y("brand:N", title=None), x=alt.X("share:Q", axis=alt.Axis(format="%"), title="Share"),
                yOffset="measure:N", color=alt.Color("measure:N", title=None),
                tooltip=["brand:N", "measure:N", alt.Tooltip("share:Q", format=".1%")]), width="stretch")
            widgets.table(sov, hide_index=True, width="stretch",
                          column_config={c: st.column_config.NumberColumn(c, format="percent")
                                         for c in ("share_of_voice", "share_of_influence", "gap") if c in sov})

if tabs[3].open:
    with tabs[3]:
        if not has_text:
            st.caption("Authenticity reads the post text; this dataset has none.")
        else:
            bots = bundle.authors
            st.caption("Bot/spam-likeness from links, self-promotion, copy-paste, burst posting and follower "
                       "anomalies (no model; measured on real labelled YouTube comments: see README).")
            widgets.table(bots.head(50), hide_index=True, width="stretch",
                          column_config={"bot_likeness": st.column_config.ProgressColumn("bot-likeness", min_value=0.0,
                                                                                         max_value=1.0, format="%.2f"),
                                         "suspicious_share": st.column_config.NumberColumn("flagged posts",
                                                                                           format="percent")})

if tabs[4].open:
    with tabs[4]:
        if "created_at" not in posts or posts["created_at"].isna().all():
            st.caption("Needs dates.")
        else:
            freq = pick_frequency(frame)
            tr = L.trends(frame, ranks, freq, model)
            measures = [c for c in ("mean_value", "mean_vanity", "engagement_rate") if c in tr
                        and not (c == "mean_vanity" and flat_vanity)]
            names = {"mean_value": "Mean value score", "mean_vanity": "Mean vanity score",
                     "engagement_rate": "Engagement rate"}
            for m in measures:
                widgets.chart(f"trend {m}", alt.Chart(tr.assign(run=gap_runs(tr["period"], freq))).mark_line(
                    point=True).encode(
                    x=alt.X("period:T", title=None, axis=date_axis(tr["period"])), y=alt.Y(f"{m}:Q", title=names[m]),
                    detail=alt.Detail("run:N"),
                    tooltip=[alt.Tooltip("period:T", format="%a %d %b %Y"), alt.Tooltip(f"{m}:Q", format=".3f"),
                             alt.Tooltip("posts:Q", title="Posts")]).properties(height=160), width="stretch")
