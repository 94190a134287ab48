"""Audience: authors clustered by behaviour (UMAP + HDBSCAN), on a map, each segment described as a persona."""
import zlib

import pandas as pd
import streamlit as st

from lib import pipeline
from lib.audience import charts
from lib.audience import views as av
from lib.audience.features import FEATURE_GROUPS, author_coverage, unread_note
from lib.audience.personas import named_personas, persona_names
from lib.audience.result import NOISE, SegmentSettings
from lib.audience.segments import posts_with_segments
from lib.audience.wording import trust_note
from lib.kpis import value as K
from lib.kpis.weights import PRESETS
from lib.listening.trends import trajectory
from lib.report.export import to_csv_bytes
from lib.report.formatting import counted
from lib.ui import cache, jobs, session, widgets

session.ensure_navigation()

st.title("Audience")
ds_id, posts = widgets.require_dataset()
w = session.ws()
cover = author_coverage(posts)
stamp = w.result_stamp(ds_id, "segments")
if not stamp:
    jobs.wait_for_auto(ds_id, "segments")
result = cache.segment_result(session.ws_path(), ds_id, stamp) if stamp else None
current = result.settings if result is not None else pipeline.segment_settings(posts)

if not cover["has_authors"]:
    st.info(f"{cover['why']} Segments of authors need one. You can still group the **posts** by the same "
            "behaviour features (engagement, sentiment, emotion, intent, topic, platform, type, hour).",
            icon=":material/info:")
elif cover["why"]:
    st.warning(f"Thin data: {cover['why']} ({cover['authors']:,} authors, {cover['posts_per_author']:.1f} posts "
               "each on average.)", icon=":material/warning:")

with st.expander("Settings" + (" (change and refit)" if result is not None else ""), expanded=result is None,
                 icon=":material/tune:"):
    st.caption("Each author is described by the feature groups below. Numbers are scaled robustly (median and "
               "interquartile range, counts and followers on a log scale) and every group is given the same total "
               "weight, so a group with many columns (a topic mix) does not outvote one with a single column "
               "(followers); where most authors wrote one or two posts, sentiment counts twice, so advocates and "
               "critics are told apart first. Groups the data cannot fill are skipped.")
    with st.form("audience_settings"):
        units = ["authors", "posts"] if cover["has_authors"] else ["posts"]
        unit = st.radio("Group", units, index=units.index(current.unit) if current.unit in units else 0,
                        horizontal=True, format_func={"authors": "Authors (one point per author)",
                                                      "posts": "Posts (one point per post)"}.get)
        groups = st.multiselect("Feature groups", list(FEATURE_GROUPS), default=list(current.groups),
                                format_func=lambda g: FEATURE_GROUPS[g][0],
                                help="; ".join(f"{v[0]}: {v[1]}" for v in FEATURE_GROUPS.values()))
        c1, c2, c3, c4 = st.columns(4)
        neighbours = c1.slider("Neighbourhood", 5, 50, int(current.neighbours),
                               help="How many similar authors each author looks at: small finds more, smaller "
                                    "segments; large finds a few broad ones.")
        min_seg = c2.number_input("Smallest segment", 0, 100_000, int(current.min_segment), 5,
                                  help="Fewer authors (or posts) than this is not a segment. The default depends on "
                                       "the data: 3 % of authors, 10 % where most wrote one or two posts, 5 % of "
                                       "posts where there are no authors (8 to 1,000); 0 = 3 %.")
        strict = c3.slider("Strict about noise", 1, 30, int(current.strictness),
                           help="Higher: only clearly grouped authors join a segment and more are left as noise.")
        seed = c4.number_input("Seed", 0, 2**31 - 1, int(current.seed), 1,
                               help="Same data + settings + seed = the same segments.")
        label = "Find segments" if result is None else "Refit segments (replaces your persona names)"
        go = st.form_submit_button(label, type="primary", icon=":material/play_arrow:")

if go:
    settings = SegmentSettings(groups=tuple(groups) or tuple(FEATURE_GROUPS), neighbours=int(neighbours),
                               min_segment=int(min_seg), strictness=int(strict), seed=int(seed), unit=unit,
                               weights=pipeline.segment_settings(posts, unit=unit).weights)  # the data's, not shown
    widgets.fit_with_progress(
        "segments", lambda stage: pipeline.find_segments(
            w, ds_id, cache.analysis_frame(ds_id, show=lambda message, _: stage(cache.first(message), 0.0)),
            settings, stage),
        lambda r: f"Found {r.metrics['segments']} segments in {r.metrics['timings']['total']:.0f} s")

if result is None:
    st.info("No segments yet for this dataset. Choose settings above (the defaults are a good start) and press "
            "**Find segments**. They are saved with the dataset, so this runs once.")
    st.stop()

# ------------------------------------------------------------------ the result, with the user's names
edits = w.persona_edits(ds_id)
names = persona_names(result, edits)
name_of = dict(zip(names["segment"], names["name"]))
ekey = f"{stamp}-{zlib.crc32(edits.to_json().encode())}"
frame = cache.analysis_frame(ds_id)
segposts = posts_with_segments(frame, result, names)
spam = cache.spam_flags(session.ws_path(), ds_id) if "text" in segposts else None
rude = cache.rude_flags(session.ws_path(), ds_id) if "text" in segposts else None
m = result.metrics
what = "posts" if result.settings.unit == "posts" else "authors"
if relabelled := w.labels_after(ds_id, "segments"):
    st.info(f"{counted(relabelled, 'label')} saved or taken back since these segments were found. Labels relabel "
            "the other posts: the segments and their descriptions read the sentiment of then, the net sentiment "
            "beside them today's. Refit them (Settings above) to bring the two together.",
            icon=":material/update:")
c = st.columns(5)
c[0].metric(what.capitalize(), f"{m['authors']:,}")
c[1].metric("Segments", f"{m['segments']}")
c[2].metric("Noise", f"{m['noise_share']:.0%}", help=f"{what.capitalize()} that fit no segment well. They keep "
            "their nearest segment in the table and the download, and count as noise everywhere else.")
c[3].metric("Separation", f"{m['silhouette']:.2f}" if "silhouette" in m else "–",
            help="Silhouette of the segments in feature space: -1 to 1; above 0.5 a clear structure, 0.25 to 0.5 "
                 "a real but loose one, near 0 segments that shade into each other.")
c[4].metric("Stability", f"{m['stability_ari']:.2f}" if "stability_ari" in m else "–",
            help="Agreement (adjusted Rand index, 1 = identical) with a second run using another seed.")
trust = trust_note(m, cover["median_posts"] if what == "authors" and cover["has_authors"] else None, what)
(st.info if trust.endswith("act on.") else st.warning)(trust, icon=":material/verified:")
if "kmeans_k" in m:
    st.caption(f"For comparison, k-means with k = {m['kmeans_k']} on the same features: silhouette "
               f"{m['kmeans_silhouette']:.2f} (HDBSCAN's {m.get('silhouette', float('nan')):.2f}); the two "
               f"agree at adjusted Rand {m['kmeans_agreement_ari']:.2f}. k-means must be told k and puts every "
               f"{what[:-1]} in a segment; HDBSCAN finds k itself and may call unclear {what} noise. Features used: "
               + ", ".join(FEATURE_GROUPS[g][0] for g in m["groups_used"])
               + f"; fitted in {m['timings']['total']:.0f} s.")
if left_out := unread_note(frame, result.settings.groups):
    st.caption(left_out)

tabs = st.tabs(["Personas", "Map", "Over time", "Segments vs KPIs", "Edit names", f"{what.capitalize()} table"])

with tabs[0]:
    widgets.chart("segment sizes",
                charts.segment_sizes(result.personas.assign(name=result.personas["segment"].map(name_of)), what),
                width="stretch")
    personas_out = named_personas(result, edits)
    st.download_button("Download segments (CSV)", lambda: to_csv_bytes(personas_out), f"segments-{ds_id}.csv",
                       "text/csv", on_click="ignore", icon=":material/download:", key="au_dl_segments")
    bundle = cache.kpi_bundle(session.ws_path(), ds_id)
    ranks = K.rankings(bundle.model, PRESETS["Balanced"]) if len(bundle.model.components.columns) else None
    # without a count of what a post did, the value score reads only the text: a segment of sad complaints scored
    # 0.71 beside enthusiasts' 0.69 on review sentences (a clear emotion counts). Its card shows no "value" then
    text_only = K.text_only(bundle.model)
    table = av.segment_kpis(segposts, ranks).set_index("segment")
    desc_of = dict(zip(names["segment"], names["description"]))
    for _, p in result.personas.iterrows():
        seg = int(p["segment"])
        with st.container(border=True):
            head, share = st.columns([4, 1])
            head.markdown(f"**{widgets.md_escape(name_of[seg])}**")
            head.text(desc_of.get(seg, ""))
            share.metric("of " + what, f"{p['share']:.0%}",
                         help=f"{int(p['authors']):,} {what}, {int(p['posts']):,} posts")
            row = table.loc[seg] if seg in table.index else None
            if row is not None:
                cards = []  # (label, value, help), side by side from the left: no gap where one is missing
                if what == "authors":  # a segment of posts has one post per row
                    cards.append(("Posts per author", f"{p['posts_per_author']:.1f}", None))
                if "net_sentiment" in row and pd.notna(p.get("negative_share", 0.0)):  # NaN: its tone unknown
                    cards.append(("Net sentiment", f"{row['net_sentiment']:+.2f}", None))
                if "engagement_per_post" in row:  # an export without like or comment counts has none to show
                    # a segment of posts is described by its median post: the mean beside it says so ("median 101
                    # engagements" and "Engagement per post 261.2" on a real Facebook page export read as a clash)
                    cards.append(("Mean engagement per post" if what == "posts" else "Engagement per post",
                                  av.shown_engagement(row["engagement_per_post"]),
                                  "The mean over the segment's posts" + (" (the description quotes the median)."
                                                                          if what == "posts" else ".")))
                if "mean_value" in row and not text_only:
                    cards.append(("Value score", f"{row['mean_value']:.2f}",
                                  "Mean value score of its posts (KPI lab, balanced weights)."))
                for col, (label, value, tip) in zip(st.columns(4), cards):
                    col.metric(label, value, help=tip)
            topics = av.top_topics(segposts, seg)
            if topics:
                st.caption("Top topics: " + widgets.md_escape("; ".join(f"{t} ({s:.0%})" for t, s in topics)))
            trait = av.persona_trait(p, result.groups)
            typical = av.typical_posts(segposts, result.authors, seg, spam=spam, trait=trait, rude=rude)
            if not typical.empty:
                widgets.table(typical, hide_index=True, width="stretch",
                              column_config={"text": st.column_config.TextColumn("typical post", width="large"),
                                             "sentiment_label": st.column_config.TextColumn("sentiment")})
    if m["noise_share"] > 0.3:
        st.warning(f"{m['noise_share']:.0%} of {what} are noise: the segments describe the rest. Lower "
                   "'Strict about noise' or the smallest segment size to place more of them.")

with tabs[1]:
    shown = result.authors
    if len(shown) > charts.MAP_LIMIT:
        shown = shown.sample(charts.MAP_LIMIT, random_state=0)
        st.caption(f"Showing a random {charts.MAP_LIMIT:,} of the {len(result.authors):,} {what}.")
    st.caption("Each point is one of the " + what + "; size is influence. Drag a box to list them and their posts.")
    event = widgets.chart("segment map",
                        charts.segment_map(shown, name_of | {NOISE: name_of.get(NOISE, "Unassigned (noise)")}),
                            width="stretch", on_select="rerun", key=f"au_map_{ekey}")
    box = (event.selection.get("brush") if event and event.selection else None) or {}
    if box.get("x") and box.get("y"):
        (x0, x1), (y0, y1) = sorted(box["x"]), sorted(box["y"])
        inside = shown[shown["x"].between(x0, x1) & shown["y"].between(y0, y1)]
        st.write(f"{len(inside):,} {what} selected")
        # plain VADER's mean is left out beside the label's negative share, which it can contradict (Topics page)
        cols = [c for c in ("author", "segment", "posts", "followers", "engagement_per_post", "negative_share")
                if c in inside]
        widgets.table(inside[cols].assign(segment=inside["segment"].map(name_of)), hide_index=True, width="stretch")
        key = "author" if result.settings.unit == "authors" else "post_id"
        mine = segposts[segposts[key].astype(str).isin(inside["author"].astype(str))]
        st.caption(f"Their {len(mine):,} posts")
        widgets.table(mine[[c for c in ("author", "created_at", "segment_name", "sentiment_label", "text")
                            if c in mine]].head(500), hide_index=True, width="stretch")

with tabs[2]:
    if "created_at" not in segposts or segposts["created_at"].isna().all() or "sentiment_label" not in segposts:
        st.info("Needs dates and text to follow segments over time.")
    else:
        clustered = segposts[segposts["segment"] != NOISE]
        traj = trajectory(clustered, by="segment_name")  # the rolling window of every page (pipeline)
        widgets.chart("segment posts over time", charts.segment_trend(traj, "posts", "Posts"), width="stretch")
        widgets.chart("segment net sentiment",
                    charts.segment_trend(traj, "net_rolling", "Net sentiment (rolling)"), width="stretch")
        st.markdown("**Which segment is turning?** First third of the period against the last third.")
        turn = av.turning(segposts)
        flagged = turn[turn["verdict"].str.contains("turning negative|losing engagement")]
        for _, r in flagged.iterrows():
            st.warning(f"{r['segment_name']}: {r['verdict']} ({av.change_text(r)}). An indicator to look into, "
                       "not a certainty.", icon=":material/trending_down:")
        widgets.table(turn.drop(columns=["segment"]), hide_index=True, width="stretch",
                      column_config={"engagement_change": st.column_config.NumberColumn(format="percent")})

with tabs[3]:
    st.caption("Posts, engagement, sentiment and the KPI lab's value score (balanced weights) per segment."
               + (f" {K.text_only_note(bundle.model)}" if text_only else ""))
    widgets.table(table.reset_index(drop=True), hide_index=True, width="stretch",
                  column_config={"mean_value": st.column_config.ProgressColumn("mean value", min_value=0.0,
                                                                               max_value=1.0, format="%.2f"),
                                 "mean_vanity": st.column_config.ProgressColumn("mean vanity", min_value=0.0,
                                                                                max_value=1.0, format="%.2f")})

with tabs[4]:
    st.caption("Rename segments and rewrite their descriptions; saved with the dataset, every view follows. "
               "Leave a cell empty to get the generated text back.")
    grid = names.assign(generated=result.personas["name"].to_numpy())
    edited = st.data_editor(grid[["segment", "generated", "name", "description"]], hide_index=True,
                            width="stretch", key=f"au_edit_{stamp}", disabled=["segment", "generated"],
                            column_config={"name": st.column_config.TextColumn("name", max_chars=80),
                                           "description": st.column_config.TextColumn("description", width="large",
                                                                                      max_chars=400)})
    if st.button("Save names", type="primary", icon=":material/save:"):
        gen = result.personas.set_index("segment")
        out = edited.assign(
            name=[None if str(v).strip() in ("", gen.at[s, "name"]) else str(v).strip()
                  for s, v in zip(edited["segment"], edited["name"].fillna(""))],
            description=[None if str(v).strip() in ("", gen.at[s, "description"]) else str(v).strip()
                         for s, v in zip(edited["segment"], edited["description"].fillna(""))])
        w.set_persona_edits(ds_id, out[out["name"].notna() | out["description"].notna()])
        st.session_state["audience_flash"] = True
        st.rerun()
    if st.session_state.pop("audience_flash", None):
        st.success("Names saved; every view now uses them.")

with tabs[5]:
    out = result.authors.assign(segment_name=result.authors["segment"].map(name_of),
                                nearest_segment_name=result.authors["nearest_segment"].map(name_of))
    front = ["author", "segment_name", "nearest_segment_name", "probability"]
    widgets.table(out[front + [c for c in out.columns if c not in front and c not in ("segment", "nearest_segment",
                                                                                      "hour_sin", "hour_cos")]],
                  hide_index=True, width="stretch")
    st.download_button(f"Download {what} with segments (CSV)", lambda: to_csv_bytes(out), f"audience-{ds_id}.csv",
                       "text/csv", icon=":material/download:")
