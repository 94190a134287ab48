"""Topics: what people talk about, how each topic feels, what grows; rename, merge and hide topics."""
import zlib

import numpy as np
import pandas as pd
import streamlit as st

from lib import pipeline
from lib.embeddings import registry
from lib.ingest.schema import source_name
from lib.listening.overview import BARS, pick_frequency
from lib.report.export import to_csv_bytes
from lib.report.formatting import counted
from lib.topics import charts
from lib.topics import views as tv
from lib.topics.result import OUTLIER_STRATEGIES
from lib.ui import cache, jobs, run_view, session, widgets

session.ensure_navigation()

st.title("Topics")
ds_id, posts = widgets.require_dataset()
run_view.sample_note(session.ws().meta(ds_id), "topics")  # a sampled run: the whole run's figures first
if not pipeline.has_text(posts):
    st.info("This dataset has no text column, so there are no topics to find. Map a text column when importing "
            "(Data page).")
    st.stop()
posts = posts.assign(language=cache.languages(session.ws_path(), ds_id))  # detected once; sets stop-word languages

w = session.ws()
stamp = w.result_stamp(ds_id, "topics")
if not stamp:
    jobs.wait_for_auto(ds_id, "topics")
result = cache.topic_result(session.ws_path(), ds_id, stamp) if stamp else None
current = result.settings if result is not None else pipeline.topic_settings(posts)  # brand names ignored


with st.expander("Settings" + (" (change and refit)" if result is not None else ""), expanded=result is None,
                 icon=":material/tune:"):
    with st.form("topic_settings"):
        c1, c2, c3 = st.columns(3)
        min_size = c1.number_input(
            "Smallest topic (posts)", 0, 5000, int(current.min_topic_size), 5,
            help="Groups smaller than this are not topics. 0 = automatic: 1 % of the distinct posts (15 to 80).")
        auto_n = c2.radio("Number of topics", ["Automatic", "At most…"], horizontal=True,
                          index=0 if current.nr_topics == 0 else 1,
                          help="Automatic keeps every group the clustering finds; 'At most' merges the most "
                               "similar topics until that many are left.")
        nr = c2.number_input("At most this many topics", 2, 200, max(2, int(current.nr_topics) or 20), 1,
                             disabled=False)
        ngram = c3.selectbox("Keywords of", [1, 2, 3], index=max(0, min(2, current.ngram_max - 1)),
                             format_func=lambda n: {1: "single words", 2: "1–2 word phrases", 3: "1–3 word phrases"}[n])
        stop = st.text_input(
            "Extra words to ignore (comma separated)", ", ".join(current.extra_stopwords),
            help="Words that crowd out real keywords. The dataset's brand names, their @handles and hashtags, "
                 "links and platform noise (rt, amp, …) are always taken out of the text before topics are "
                 "found, so topics are about what is said, not whom it is said to.")
        if current.prepare_text and current.brand_terms:
            st.caption("Taken out of the text before topics are found (the brands and their handles): "
                       + widgets.md_escape(", ".join(current.brand_terms[:40]))
                       + (" …" if len(current.brand_terms) > 40 else ""))
        c4, c5, c6 = st.columns(3)
        strategy = c4.selectbox("Posts without a clear topic", list(OUTLIER_STRATEGIES),
                                index=list(OUTLIER_STRATEGIES).index(current.outlier_strategy),
                                format_func=OUTLIER_STRATEGIES.get,
                                help="Clustering leaves posts that fit no topic well. They can join their nearest "
                                     "topic, by meaning (embeddings) or by shared keywords.")
        target = c5.slider("Leave at most this share as outliers", 0, 50, int(round(current.outlier_target * 100)), 1,
                           format="%d%%", help="The least similar posts stay outliers up to this share.")
        neighbours = c6.slider("Neighbourhood", 5, 50, int(current.neighbours), 1,
                               help="How many similar posts each post looks at: small finds many specific topics, "
                                    "large finds fewer broad themes.")
        c7, c8 = st.columns(2)
        seed = c7.number_input("Seed", 0, 2**31 - 1, int(current.seed), 1,
                               help="Same data + same settings + same seed = the same topics.")
        backends = list(registry.CHOICES)
        backend = c8.selectbox("Text representation", backends, index=backends.index(current.backend)
                               if current.backend in backends else 0,
                               format_func=registry.describe,
                               help="MiniLM (the default) reads whole sentences: on real labelled posts its "
                                    "topics match what people talk about far better. It embeds about 300 posts a "
                                    "second here (each text once, then cached), so it is fitted on up to 4,000 "
                                    "distinct posts and the rest join a topic by their words and the words' "
                                    "meaning (WordLlama's vectors). WordLlama alone reads "
                                    "each word's meaning and refits in seconds, with looser topics on short posts.")
        label = "Find topics" if result is None else "Refit topics (replaces your renames and merges)"
        go = st.form_submit_button(label, type="primary", icon=":material/play_arrow:")

if go:
    settings = pipeline.topic_settings(  # the pipeline's defaults for what the form does not set (fit sample)
        posts, min_topic_size=int(min_size), nr_topics=0 if auto_n == "Automatic" else int(nr),
        ngram_max=int(ngram), seed=int(seed), outlier_strategy=strategy, outlier_target=target / 100,
        neighbours=int(neighbours), backend=backend, prepare_text=True,
        extra_stopwords=tuple(s.strip().lower() for s in stop.split(",") if s.strip()))
    widgets.fit_with_progress(
        "topics", lambda stage: pipeline.find_topics(
            w, ds_id, cache.listening_frame(ds_id, show=lambda message, _: stage(cache.first(message), 0.0)),
            settings, stage),
        lambda r: f"Found {r.metrics['n_topics']} topics in {r.metrics['timings']['total']:.0f} s")

if result is None:
    st.info("No topics yet for this dataset. Choose settings above (the defaults are a good start) and press "
            "**Find topics**. Topics are saved with the dataset, so this runs once.")
    st.stop()

frame = cache.listening_frame(ds_id)
edits = w.topic_edits(ds_id)
# Widgets that show topic names are keyed by the fit and the edits: Streamlit keeps a widget's value as its
# displayed text, so a renamed topic would otherwise leave a stale value behind.
ekey = f"{stamp}-{zlib.crc32(edits.to_json().encode())}"
doc_topic, table = tv.effective(result, edits)
frame = pipeline.with_user_topics(frame, result, edits)
freq = None
if "created_at" in frame and frame["created_at"].notna().any():  # an export without dates has no such column
    span = (frame["created_at"].max() - frame["created_at"].min()).days
    freq = "W" if pick_frequency(frame) == "D" and span > 28 else pick_frequency(frame)
em = tv.emerging(frame, freq) if freq else None
overview = tv.topic_table(frame, table, em)
spam = tv.spam_by_topic(frame, cache.spam_flags(session.ws_path(), ds_id)) if "text" in frame else None
spam_note = "" if spam is None else tv.spam_topics_note(overview, spam)
if spam_note:  # only where it says something: most exports have no topic of spam
    overview.insert(overview.columns.get_loc("keywords"), "spam_like", overview["topic"].map(spam))
counts = tv.counts_by_topic(frame)
visible = overview["topic"].tolist()

m = result.metrics
c = st.columns(5)
c[0].metric("Topics", f"{len(visible)}", help="Visible topics after your merges and hiding.")
c[1].metric("Posts in topics", f"{counts['in_topics'] / len(frame):.0%}")
c[2].metric("Outliers", f"{counts['outliers'] / len(frame):.0%}",
            help=f"Before reassignment: {m['outliers_before']:.0%}. Target: {result.settings.outlier_target:.0%}.")
c[3].metric("Fitted in", f"{m['timings']['total']:.0f} s", help=f"on {m['n_fit']:,} distinct texts; "
            f"{m['embedded_now']:,} newly embedded; saved {stamp[:16]} UTC")
c[4].metric("Representation", registry.display_name(result.backend))
placed = tv.placement_note(m, registry.display_name(result.backend))
if placed:
    st.caption(placed)
if counts["hidden"]:
    st.caption(f"{counts['hidden']:,} posts are in topics you hid; they are left out of the charts.")

tabs = st.tabs(["Topics", "Keywords", "Maps", "Over time", "Brands & platforms", "Sentiment", "Hierarchy",
                "Posts & search", "Edit topics"])

# shares shown in percent with the precision a reader uses ("19 %", not "18.98 %"); the CSV keeps the fractions
PERCENT = ("share", "negative_share", "growth", "spam_like")
fmt = {"share": st.column_config.NumberColumn("share", format="%.1f%%"),
       # plain VADER's mean beside the label's shares contradicted them (a real support inbox: "cash withdrawal"
       # topic -0.04 mean score, 96 % negative); the downloaded CSV keeps it, named mean_sentiment
       "mean_sentiment": None,
       "net_sentiment": st.column_config.NumberColumn("net sentiment", format="%+.2f",
                                                      help="share positive - share negative"),
       "negative_share": st.column_config.NumberColumn("negative", format="%.0f%%"),
       "growth": st.column_config.NumberColumn("growth", format="%+.0f%%",
                                               help="change in the topic's share of posts, latest period vs the one "
                                                    "before"),
       "languages": st.column_config.TextColumn("languages", help="the topic's two commonest languages and "
                                                "their shares of its posts (shown for mixed-language datasets)"),
       "spam_like": st.column_config.NumberColumn("spam-like", format="%.0f%%",
                                                  help="share of the topic's posts that look like spam or bot "
                                                       "activity (the KPI lab's authenticity rules)"),
       "cohesion": st.column_config.NumberColumn("cohesion", format="%.2f",
                                                 help="how alike the topic's posts are: their mean similarity to "
                                                      "the topic's centre, from 0 (no more alike than the "
                                                      "dataset's posts at large) to 1 (one text); a topic far "
                                                      "below the others may mix subjects"),
       "keywords": st.column_config.TextColumn("keywords", width="large")}
loose = tv.loose_topics(overview)

with tabs[0]:
    if spam_note:
        st.warning(widgets.md_escape(spam_note + " See the column 'spam-like'."), icon=":material/report:")
    if note := tv.loose_note(overview):
        st.info(widgets.md_escape(note), icon=":material/call_split:")
    widgets.table(overview.assign(**{c: overview[c] * 100 for c in PERCENT if c in overview}), hide_index=True,
                  width="stretch", column_config=fmt)
    st.download_button("Download topics (CSV)", to_csv_bytes(overview), f"topics-{ds_id}.csv", "text/csv",
                       icon=":material/download:")

with tabs[1]:
    kw = tv.keyword_frame(result, table)
    pick = st.multiselect("Topics", visible, default=visible[:9],
                          format_func=dict(zip(overview["topic"], overview["label"])).get, key=f"tp_kw_{ekey}")
    if pick:
        widgets.chart("topic keywords", charts.keyword_bars(kw, pick), width="content")

with tabs[2]:
    st.subheader("Intertopic distance map")
    st.caption("Each circle is a topic, sized by posts; topics close together have similar posts.")
    widgets.chart("intertopic map",
                charts.intertopic_map(table[~table["hidden"]].merge(overview[["topic", "size", "share"]],
                                                                         on="topic")), width="stretch")
    st.subheader("Document map")
    colour = st.radio("Colour by", ["topic_label", "sentiment_label"], horizontal=True,
                      format_func={"topic_label": "Topic", "sentiment_label": "Sentiment"}.get, key="tp_color")
    on_map = tv.placed(frame, result)
    points = tv.doc_points(frame, result, on_map=on_map)
    if note := tv.map_note(points, len(on_map), counts["in_topics"] + counts["outliers"]):
        st.caption(note)
    st.caption("Drag a box over the map to list the posts inside it.")
    event = widgets.chart("document map",
                        charts.doc_map(points, colour), width="stretch", on_select="rerun", key="tp_map")
    box = (event.selection.get("brush") if event and event.selection else None) or {}
    if box.get("x") and box.get("y"):
        (x0, x1), (y0, y1) = sorted(box["x"]), sorted(box["y"])
        inside = points[points["x"].between(x0, x1) & points["y"].between(y0, y1)]
        st.write(f"{len(inside):,} posts selected")
        widgets.table(inside[["topic_label", "sentiment_label", "text"] +
                             [c for c in ("author", "created_at") if c in inside]], hide_index=True, width="stretch")

with tabs[3]:
    if freq is None:
        st.info("This dataset has no dates, so topics cannot be followed over time.")
    else:
        ot = tv.over_time(frame, freq)
        top = st.multiselect("Topics", visible, default=visible[:6], key=f"tp_time_{ekey}",
                             format_func=dict(zip(overview["topic"], overview["label"])).get)
        as_share = st.toggle("As share of all posts", value=True, key="tp_share")
        if top:
            widgets.chart("topics over time", charts.topics_over_time(ot, top, as_share, freq), width="stretch")
        st.subheader("Emerging topics")
        if em.empty:
            st.caption("Needs at least two periods with posts.")
        else:
            period = pd.Timestamp(em["period"].iloc[0]).strftime("%d %b %Y")
            flagged = em[em["emerging"]]
            st.caption(f"Latest period (from {period}) against the one before. A topic is called emerging only when "
                       "its rise is statistically significant (binomial test, corrected for the number of topics, "
                       "at least 10 posts), so a jump from 1 post to 3 is never flagged.")
            if len(flagged):
                st.success("Emerging: " + "; ".join(f"{r.topic_label} ({r.previous} → {r.current} posts)"
                                                    for r in flagged.itertuples()))
            else:
                st.write("No topic grew significantly in the latest period.")
            widgets.chart("emerging topics", charts.emerging_chart(em.head(20)), width="stretch")

with tabs[4]:
    for col in ("brand", "platform"):
        by = tv.by_column(frame, col)
        if by.empty or frame[col].nunique() < 2:
            st.caption(f"Only one {col} (or none) in this dataset.")
            continue
        st.subheader(f"Topics per {col}")
        widgets.chart(f"topics by {col}", charts.topic_heatmap(by, col, visible[:25]), width="stretch")
    # the file's own first category (a support inbox's "Category", a JSON export's list of topics)
    for col, values in list(cache.own_categories(session.ws_path(), ds_id).items())[:1]:
        name = source_name(col)
        cats = cache.category_of(session.ws_path(), ds_id, col)  # a column of tags: a post under each of its tags
        distinct = cats.nunique()  # all of them: the filter's `values` stop at its 100 commonest
        cats = cats[cats.isin(values[:BARS]) & cats.index.isin(frame.index)]  # its 15 largest, as the Overview
        st.subheader(f"Topics per {widgets.md_escape(name)}"  # a heading reads Markdown: the column name is inert
                     + (f" (its {BARS} largest of {distinct:,})" if distinct > BARS else ""))
        by = tv.by_column(frame.loc[cats.index].assign(category=cats.to_numpy()), "category")
        widgets.chart("topics by own category", charts.topic_heatmap(by, "category", visible[:25], title=name),
                      width="stretch")

with tabs[5]:
    mix = tv.sentiment_mix(frame)
    order = overview.sort_values("net_sentiment")["label"].tolist() if "net_sentiment" in overview else None
    st.caption("Topics sorted from most negative to most positive (net sentiment).")
    widgets.chart("topic sentiment", charts.topic_sentiment(mix, order), width="stretch")

with tabs[6]:
    segs, leaves = tv.hierarchy_segments(result, table)
    if leaves.empty:
        st.caption("The hierarchy needs at least two topics.")
    else:
        st.caption("How the fitted topics group: the further left two branches join, the more alike their posts. "
                   "Merging topics that join early loses little.")
        widgets.chart("topic hierarchy", charts.hierarchy_chart(segs, leaves), width="content")

with tabs[7]:
    names = dict(zip(overview["topic"], overview["label"]))
    which = st.selectbox("Representative posts of", visible, format_func=names.get, key=f"tp_rep_{ekey}")
    if which is not None:
        reps = tv.representative_posts(frame, result, which, table)
        shown = reps[["text", "sentiment_label"] + [c for c in ("author", "created_at", "platform") if c in reps]]
        widgets.table(shown, hide_index=True, width="stretch",
                      column_config={"text": st.column_config.TextColumn(width="large")})
    term = st.text_input("Search topics by a term", key="tp_search", placeholder="e.g. packaging")
    if term.strip():
        found = tv.search(frame, table, term)
        if found.empty:
            st.write("No topic mentions it.")
        else:
            widgets.table(found, hide_index=True, width="stretch",
                          column_config={"share_of_topic": st.column_config.NumberColumn("share of topic",
                                                                                         format="percent")})

with tabs[8]:
    st.caption("Rename a topic, merge it into another (its posts move there) or hide it. Edits are saved with the "
               "dataset and every chart follows them; refitting starts from a clean slate.")
    ids = [int(t) for t in result.info["topic"] if t != -1]
    sizes = dict(zip(*(a.tolist() for a in np.unique(result.topic, return_counts=True))))  # posts per fitted topic
    auto = dict(zip(result.info["topic"], result.info["label"]))
    prev = edits.set_index("topic") if len(edits) else None
    name_of = {t: f"{t}: {auto[t]}" for t in ids}

    def _prev(t: int, col: str, default):  # type: ignore[no-untyped-def]
        if prev is None or t not in prev.index or pd.isna(prev.at[t, col]):
            return default
        return prev.at[t, col]

    grid = pd.DataFrame({
        "topic": ids,
        "name": [str(_prev(t, "label", auto[t])) for t in ids],
        "merge into": [name_of.get(int(_prev(t, "merge_into", -1)), "") for t in ids],
        "hide": [bool(_prev(t, "hidden", False)) for t in ids],
        "size": [sizes.get(t, 0) for t in ids],
        "keywords": [", ".join(result.info.set_index("topic").at[t, "keywords"][:6]) for t in ids]})
    edited = st.data_editor(
        grid, hide_index=True, width="stretch", key=f"tp_edit_{stamp}", disabled=["topic", "keywords", "size"],
        column_config={"merge into": st.column_config.SelectboxColumn("merge into",
                                                                      options=[""] + list(name_of.values())),
                       "name": st.column_config.TextColumn("name", max_chars=80),
                       "keywords": st.column_config.TextColumn("keywords", width="large")})
    if st.button("Save edits", type="primary", icon=":material/save:"):
        by_name = {v: k for k, v in name_of.items()}
        out = pd.DataFrame({
            "topic": edited["topic"].astype(int),
            "label": [None if str(n).strip() in ("", auto[t]) else str(n).strip()
                      for t, n in zip(edited["topic"], edited["name"].fillna(""))],
            "merge_into": [by_name.get(v) if v else None for v in edited["merge into"].fillna("")],
            "hidden": edited["hide"].fillna(False).astype(bool)})
        out = out[out["label"].notna() | out["merge_into"].notna() | out["hidden"]]
        w.set_topic_edits(ds_id, out)
        st.session_state["topics_flash"] = f"Saved edits to {len(out)} topic(s)."
        st.rerun()
    if st.session_state.pop("topics_flash", None):
        st.success("Edits saved; every chart now follows them.")

    st.markdown("**Split a topic**")
    st.caption("A topic that mixes several subjects can be split: its posts are grouped again by meaning, every "
               "other topic stays as it is. The parts get new numbers and names; your name for the topic split "
               "does not carry over.")
    by_size = [t for t in loose if t in ids] + sorted((t for t in ids if t not in loose),
                                                      key=lambda t: -sizes.get(t, 0))
    s1, s2, s3 = st.columns([4, 2, 1], vertical_alignment="bottom")
    to_split = s1.selectbox("Topic", by_size, format_func=lambda t: f"{name_of[t]} ({sizes.get(t, 0):,} posts)",
                            key=f"tp_split_{stamp}")
    n_parts = s2.number_input("Parts (0 = automatic)", 0, 6, 0, key=f"tp_split_n_{stamp}",
                              help="Automatic tries 2 to 6 parts and keeps the split whose parts stand furthest "
                                   "apart (silhouette).")
    if s3.button("Split", icon=":material/call_split:", key=f"tp_split_go_{stamp}"):
        with st.status(f"Splitting topic {to_split}…", expanded=True) as status:
            stage = widgets.progress_stage()
            try:
                with widgets.slot("fit", session.ws_path()):  # one fit at a time per server, as for a refit
                    done = pipeline.split_topic(w, ds_id, posts, int(to_split), int(n_parts), stage)
            except ValueError as exc:
                status.update(label=f"Topic {to_split} could not be split", state="error")
                st.error(str(exc))
            else:
                named = done.result.info.set_index("topic")
                st.session_state["topics_split_flash"] = (
                    f"Topic {to_split} is now {len(done.parts)} topics: "
                    + "; ".join(f"{t}: {named.at[t, 'label']} ({int(named.at[t, 'size']):,} posts)"
                                for t in done.parts) + ".")
                st.rerun()
    if flash := st.session_state.pop("topics_split_flash", None):
        st.success(widgets.md_escape(flash))
    n_merged = int(np.sum([len(x) for x in table["merged_from"]]))
    if n_merged:
        st.caption(f"{counted(n_merged, 'topic')} merged into others.")
