"""Listening: how people feel, about what, and when it changed; who carries it; and the posts behind it."""
import pandas as pd
import streamlit as st

from lib import pipeline
from lib.ingest.schema import source_name
from lib.kpis.authenticity import leave_out_label
from lib.kpis.engagement import has_counts, has_engagement
from lib.listening.alerts import (
    background_days,
    brands_said,
    daily,
    detect,
    headline,
    own_periods,
    posts_behind,
    spam_note,
)
from lib.listening.aspects import aspect_sentiment, parse_aspects
from lib.listening.aspects import summary as aspect_summary
from lib.listening.charts import (
    alert_chart,
    aspect_chart,
    count_bars,
    mix_share_chart,
    net_sentiment_chart,
    sentiment_share_chart,
)
from lib.listening.emotion import EMOTIONS, NEUTRAL, NOT_READ
from lib.listening.enrich import TABS, filter_posts
from lib.listening.given import value_names
from lib.listening.intent import INTENTS
from lib.listening.language import (
    emotion_languages_note,
    language_breakdown,
    name_of,
    support_note,
    support_table,
    support_warning,
    vader_caption,
    vader_disagrees,
)
from lib.listening.overview import pick_frequency
from lib.listening.people import CLEAR_NET, authors, rank
from lib.listening.sentiment import LABELS, next_to_label
from lib.listening.trends import MAX_LINES, largest_groups, latest_words, mix_over_time, trajectory
from lib.report.export import to_csv_bytes, to_parquet_bytes, to_xlsx_bytes
from lib.report.formatting import counted
from lib.ui import cache, run_view, session, widgets
from lib.ui.given_block import given_note, show_given
from lib.ui.shares_block import show_shares

session.ensure_navigation()

# an author's log followers + log engagement (lib.listening.people): what the tables rank by, not a count of people
REACH_SCORE = st.column_config.NumberColumn(
    "reach score", format="%.1f", help="log followers + log engagement: a score to rank by, not a count of people "
                                       "reached")


# Cached so that a widget change elsewhere on the page does not recompute these.
@st.cache_data(show_spinner=False, max_entries=16)
def aspect_suggestions(view: pd.DataFrame, spam: pd.Series | None) -> list[str]:
    from lib.listening.aspects import suggest

    return suggest(view, spam=spam)


@st.cache_data(show_spinner=False, max_entries=16)
def aspect_mentions(view: pd.DataFrame, spec: str, thresholds: tuple[float, float]) -> pd.DataFrame:
    return aspect_sentiment(view[["post_id", "text"]], parse_aspects(spec), thresholds)


@st.cache_data(show_spinner=False, max_entries=16)
def spike_alerts(view: pd.DataFrame, sensitivity: float) -> list:
    """The alerts, newest first (as a listening tool lists them: oldest first put the spike of last week at the
    bottom), each with the first 20 posts behind it (`posts_behind`, in the order `detect` found: about a second for
    the 14,640 real airline tweets, so once per view and sensitivity, not on every rerun of the page)."""
    found = sorted(detect(view, sensitivity=sensitivity), key=lambda a: a.start, reverse=True)
    return [(a, posts_behind(a, view).head(20)) for a in found]


st.title("Listening")
ds_id, posts = widgets.require_dataset()
run_view.sample_note(session.ws().meta(ds_id), "listening")  # a sampled run: the whole run's figures first
if "text" not in posts or posts["text"].isna().all():
    st.info("This dataset has no text column, so there is nothing to read sentiment from. Map a text column "
            "when importing (Data page).")
    st.stop()
if note := support_warning(cache.languages(session.ws_path(), ds_id)):  # before any number: what models can't read
    st.warning(note, icon=":material/translate:")

with st.expander("How sentiment is read", icon=":material/help:"):
    st.markdown(
        "- **VADER** scores every post from -1 to +1 (the *sentiment* column), reading its words, not its "
        "@handles (VADER would read \"@united\" as the positive word \"united\"). By default a score of +0.05 or "
        "more is positive, -0.05 or less negative.\n"
        "- The **Listening Lab label** (*sentiment_label*) adds a model trained on 23,703 human-rated "
        "sentences (the VADER paper's, MIT licence), Reddit comments labelled with emotions (GoEmotions) and "
        "customer-support queries (Banking77), and complaint cues, so polite or factual complaints (\"thanks for "
        "the 3 hour delay\", \"still no response\") count as negative.\n"
        "- **Your labels** teach it your domain: correct posts below, or label the posts Teach the model offers; a "
        "sentiment your file carries itself (a tool's Sentiment column, a polarity, review stars) can become your "
        "labels under Teach the model. Your label always wins for the post you labelled.\n"
        "- **Languages**: " + support_note())
    c1, c2 = st.columns(2)
    pos_t = c1.number_input("VADER positive from", 0.0, 1.0, pipeline.THRESHOLDS[0], 0.01, key="li_pos")
    neg_t = c2.number_input("VADER negative up to", -1.0, 0.0, pipeline.THRESHOLDS[1], 0.01, key="li_neg")

labels = session.ws().labels(ds_id)  # the user's labels: post_id -> label
# the spam flags need no sentiment: read first, while a fresh dataset's sentiment is still being computed by the
# background job (after it, they kept the headline waiting a second more on 10,000 posts)
spam = cache.spam_flags(session.ws_path(), ds_id)
with st.status("Reading sentiment, emotion and intent...", expanded=False) as status:
    result = cache.listening(session.ws_path(), ds_id, (pos_t, neg_t), show=lambda message, fraction: status.update(
        label=f"{message}..."))
    status.update(label=f"Read {len(result['frame']):,} posts", state="complete")
frame: pd.DataFrame = result["frame"]

# ------------------------------------------------------------------ filters
with st.container(border=True):
    has_dates = bool("created_at" in frame and frame["created_at"].notna().any())
    has_brands = bool("brand" in frame and frame["brand"].notna().any())
    categories = cache.own_categories(session.ws_path(), ds_id)  # the file's own, named as in it, in free places
    # a filter of one platform filters nothing (a generic CSV's posts are all "other")
    has_platforms = bool("platform" in frame and frame["platform"].nunique() > 1)
    first = ["dates"] * has_dates + ["brand"] * has_brands + ["platform"] * has_platforms + ["search"]
    first += [f"own:{c}" for c in categories][:4 - len(first)]  # (a file may have its own "search" column)
    slots = dict(zip(first, st.columns(4)))
    start = end = None
    if has_dates:
        lo, hi = frame["created_at"].min().date(), frame["created_at"].max().date()
        picked = slots["dates"].date_input("Dates", (lo, hi), min_value=lo, max_value=hi, key="li_dates")
        # the whole range picked is no date filter: posts without a date stay in
        if isinstance(picked, tuple) and len(picked) == 2 and tuple(picked) != (lo, hi):
            start = pd.Timestamp(picked[0], tz="UTC")
            end = pd.Timestamp(picked[1], tz="UTC") + pd.Timedelta(days=1)
    brands = slots["brand"].multiselect("Brand", sorted(frame["brand"].dropna().unique()), key="li_brand") \
        if has_brands else []
    platforms = slots["platform"].multiselect("Platform", sorted(frame["platform"].dropna().unique()),
                                              key="li_platform") if has_platforms else []
    search = slots["search"].text_input("Text contains", key="li_search")
    g1, g2, g3, g4 = st.columns(4)
    sentiments = g1.multiselect("Sentiment", list(LABELS), key="li_sent")
    emotions = g2.multiselect("Emotion", [*EMOTIONS, NEUTRAL], key="li_emo")
    intents = g3.multiselect("Intent", list(INTENTS), key="li_intent")
    found = frame["language"].value_counts()
    languages = g4.multiselect("Language", list(found.index), key="li_lang", help=support_note(),
                               format_func=lambda c: f"{name_of(c)} ({found[c]:,})")
    later = [f"own:{c}" for c in categories if f"own:{c}" not in slots]
    slots |= dict(zip(later, st.columns(4))) if later else {}
    given = cache.given_sentiment(session.ws_path(), ds_id)  # the export's own sentiment column, if it has one
    coded = {col: value_names(given, frame[col]) for col in categories}  # its codes said: "4 (positive)"
    own = {col: slots[f"own:{col}"].multiselect(widgets.md_escape(source_name(col)), values, key=f"li_own_{col}",
                                                format_func=lambda v, names=coded[col]: names.get(v.strip(), v))
           for col, values in categories.items()}  # a widget label reads Markdown: the file's column name is inert
    leave_out = None
    if label := leave_out_label(spam):  # offered where there is spam to speak of; off by default: every post counts
        if st.toggle(label, key="li_nospam", help="Posts the authenticity rules flag (links where links are spam, "
                     "self-promotion, copy-paste, bursts, follower anomalies; the KPI lab's 'Authentic posts'). "
                     "Every figure and tab below then reads the other posts."):
            leave_out = spam
view = filter_posts(frame, start, end, brands, platforms, sentiments, emotions, intents, search, languages,
                    leave_out, own)
if view.empty:
    st.warning("No posts match these filters.")
    st.stop()

# ------------------------------------------------------------------ headline
shares = view["sentiment_label"].value_counts(normalize=True).reindex(list(LABELS), fill_value=0)
m = st.columns(5)
m[0].metric("Posts", f"{len(view):,}", help=f"of {len(frame):,} in the dataset")
m[1].metric("Positive", f"{shares['positive']:.0%}")
m[2].metric("Neutral", f"{shares['neutral']:.0%}")
m[3].metric("Negative", f"{shares['negative']:.0%}")
m[4].metric("Net sentiment", f"{shares['positive'] - shares['negative']:+.2f}",
            help="Share positive minus share negative, from -1 to +1.")
undated = int(frame["created_at"].isna().sum()) if has_dates else 0
if undated and start is not None:
    st.caption(f"{counted(undated, 'post')} {'has' if undated == 1 else 'have'} no date, so a date range leaves "
               f"{'it' if undated == 1 else 'them'} out; pick the whole range to include "
               f"{'it' if undated == 1 else 'them'}.")
if said := vader_caption(view):
    st.caption(said)
shared = frame if leave_out is None else frame[~leave_out.reindex(frame.index, fill_value=False)]
show_shares(cache.sentiment_shares(session.ws_path(), ds_id, (pos_t, neg_t), without_spam=leave_out is not None),
            len(shared), shared["brand"].value_counts() if "brand" in shared else None,
            spam_left_out=leave_out is not None)
if given is not None and (note := given_note(given, labels, frame["post_id"])):
    st.caption(note)
if view["language"].nunique() > 1:
    with st.expander("By language", icon=":material/translate:"):
        widgets.table(language_breakdown(view), hide_index=True, width="stretch",
                      column_config={c: st.column_config.NumberColumn(c, format="percent")
                                     for c in ("share", "positive", "neutral", "negative")}
                      | {"net": st.column_config.NumberColumn("net", format="%+.2f")})
        st.caption(support_note())
        widgets.table(support_table(), hide_index=True, width="stretch")

# Only the open tab is computed (a tab switch reruns the page): the first view after an import is the headline
# and the trajectory, and a filter change recomputes one tab, not seven. Streamlit forgets a widget's value
# after a run that did not draw it, so the closed tabs' settings (typed aspects, sliders) are carried over.
for key in ("li_freq", "li_split", "li_window", "li_sens", f"li_aspects_{ds_id}", "li_minposts",
            "li_disagree"):
    if key in st.session_state:
        st.session_state[key] = st.session_state[key]
# Without dates the first two tabs can only say so: open on what the posts say instead.
tab_time, tab_alerts, tab_aspects, tab_emotion, tab_people, tab_posts, tab_teach = st.tabs(
    list(TABS), key="li_tab", on_change="rerun", default=None if has_dates else "Emotion & intent")

if tab_time.open:
    with tab_time:
        if not has_dates:
            st.info("The dataset has no dates, so there is no trajectory.")
        else:
            c1, c2 = st.columns(2)
            freq_name = c1.radio("Period", ["day", "week", "month"], horizontal=True, key="li_freq",
                                 index=["D", "W", "MS"].index(pick_frequency(view)))
            freq = {"day": "D", "week": "W", "month": "MS"}[freq_name]
            split = c2.radio("Split net sentiment by", ["nothing"] + [c for c in ("brand", "platform")
                                                                  if c in view and view[c].nunique() > 1],
                             horizontal=True, key="li_split")
            window = st.slider("Rolling window (periods)", 1, 14, pipeline.ROLLING_WINDOW[freq], key="li_window")
            traj = trajectory(view, freq=freq, window=window)
            widgets.chart("sentiment shares", sentiment_share_chart(traj, freq), width="stretch")
            by = None if split == "nothing" else split
            split_view, others = largest_groups(view, by) if by else (view, 0)
            traj_by = trajectory(split_view, freq=freq, by=by, window=window) if by else traj
            widgets.chart("net sentiment", net_sentiment_chart(traj_by, by), width="stretch")
            if others:
                st.caption(f"The {MAX_LINES} {by}s with the most posts; the other {others:,} are one line, 'others'.")
            if said := latest_words(traj, window, freq_name):
                st.caption(said)

if tab_alerts.open:
    with tab_alerts:
        if not has_dates:
            st.info("The dataset has no dates, so spikes cannot be found.")
        else:
            counts, unit = own_periods(daily(view))  # a file dated by month is judged month by month
            sens = st.slider(f"Sensitivity (robust z-score a {unit} must reach; lower finds more)", 2.0, 6.0, 3.5,
                             0.5, key="li_sens")
            found = spike_alerts(view, sens)
            engaged = has_engagement(view)
            widgets.chart("spike alerts", alert_chart(counts, [(a.start, a.end) for a, _ in found], unit),
                          width="stretch")
            if not found:
                st.success("No spike in volume or negative share at this sensitivity.")
            elif len(found) > 1:
                st.caption(f"{len(found)} alerts, the newest first.")
            for i, (a, top) in enumerate(found):
                with st.expander(headline(a), expanded=i == 0):
                    st.caption(f"Compared: {a.compared_with}.")
                    if note := spam_note(a):
                        st.warning(note, icon=":material/report:")
                    around_it = background_days(a, view["created_at"].min(), view["created_at"].max())
                    st.markdown(f"**What drives it, tentatively** (the terms most over-represented against "
                                f"{around_it}, which hold fewer words than it: none stands out for certain)"
                                if a.terms_tentative else f"**What drives it** (terms over-represented against "
                                f"{around_it})")
                    st.text(", ".join(a.terms) or "no distinctive terms")
                    if len(a.brands):  # whose spike it is, in a file of several brands
                        st.markdown("**Brands above their usual share**")
                        st.text(brands_said(a.brands))
                    st.markdown("**Who amplified it**")
                    if not len(a.amplifiers) and ("author" not in view or view["author"].isna().all()):
                        st.caption("This export has no author column, so who amplified it cannot be said.")
                    elif len(a.amplifiers) and not a.amplifiers["reach_score"].any():
                        st.caption("This export has no follower or engagement counts, so reach cannot be measured: "
                                   "these are the authors with the most posts in it.")
                        widgets.table(a.amplifiers[["author", "posts"]], hide_index=True, width="stretch")
                    else:  # no followers column: no "0 followers" for every author (the airline tweets)
                        known = "followers" in view and view["followers"].notna().any()
                        widgets.table(a.amplifiers.drop(columns=[] if known else ["followers"], errors="ignore"),
                                      hide_index=True, width="stretch", column_config={"reach_score": REACH_SCORE})
                    st.markdown("**The posts behind it** (" + ("most engaged first" if engaged else
                                "those using most of its terms first, then the earliest") + "; each text once)")
                    cols = [c for c in ("text", "created_at", "author", "followers", "platform", "likes", "shares")
                            if c in view]
                    copied = ["copies"] if (top["copies"] > 1).any() else []  # retweets: how many said the same
                    widgets.table(top[cols + copied + ["post_id"]], hide_index=True, width="stretch",
                                  column_config={"text": st.column_config.TextColumn("text", width="large")})

if tab_aspects.open:
    with tab_aspects:
        st.caption("Name the aspects you care about, one per line, with synonyms after a colon. Sentiment is read "
                   "only from the sentences that mention each aspect.")
        suggested = aspect_suggestions(view, spam)
        st.caption("Frequent in these posts: " + ", ".join(suggested) if suggested else "No frequent terms found.")
        spec = st.text_area("Aspects", key=f"li_aspects_{ds_id}", height=110,
                            value="\n".join(f"{t}:" for t in suggested[:4]),
                            placeholder="price: cost, expensive, cheap\npackaging: pack, wrapper, bag")
        mentions = aspect_mentions(view, spec, (pos_t, neg_t))
        table = aspect_summary(mentions)
        if table.empty:
            st.info("None of these aspects is mentioned in the filtered posts.")
        else:
            widgets.chart("aspects", aspect_chart(table), width="stretch")
            widgets.table(table, hide_index=True, width="stretch",
                          column_config={c: st.column_config.NumberColumn(c, format="percent")
                                         for c in ("positive", "neutral", "negative")} |
                          {"net": st.column_config.NumberColumn("net", format="%+.2f")})
            pick = st.selectbox("Example sentences for", table["aspect"].tolist(), key="li_aspect_pick")
            widgets.table(mentions[mentions["aspect"] == pick][["sentiment_label", "sentiment", "sentence", "post_id"]]
                          .head(50), hide_index=True, width="stretch",  # the label is the model's, the score VADER's
                          column_config={"sentiment_label": st.column_config.TextColumn("label"),
                                         "sentiment": st.column_config.NumberColumn(
                                             "VADER score", format="%+.2f",
                                             help="VADER's compound for the sentence; the label is the Listening "
                                                  "Lab model's, which also reads complaint cues VADER misses")})

if tab_emotion.open:
    with tab_emotion:
        read = view[view["emotion"] != NOT_READ]
        intents = view.loc[view["intent"] != NOT_READ, "intent"]
        if len(read) or len(intents):
            c1, c2 = st.columns(2)
            if len(read):
                widgets.chart("emotions", where=c1, figure=count_bars(read["emotion"], "Emotion"), width="stretch")
            if len(intents):
                widgets.chart("intents", where=c2, figure=count_bars(intents, "Intent"), width="stretch")
        if note := emotion_languages_note(view):
            st.caption(note)
        stars = given.file_column if given is not None and given.stars else None  # the posts are reviews
        st.caption("Emotion: Ekman's six, learned from 43,410 human-labelled Reddit comments (GoEmotions); "
                   "'neutral' means no clear emotion. The Posts table lists the emotion words found. "
                   "Intent comes from transparent rules; its confidence is in the Posts table. "
                   + (f"Your file gives each post stars (column '{widgets.md_escape(stars)}'), so its posts "
                      "are read as reviews: a review the model reads as surely negative counts as a complaint about "
                      "what was bought. " if stars else "")
                   + counted(int(view["sarcasm_flag"].sum()), "post")
                   + " flagged as possible sarcasm for you to review.")
        if has_dates:
            every = pick_frequency(read)
            table = mix_over_time(read, "emotion", every, exclude=(NEUTRAL,))
            if len(table):
                widgets.chart("emotions over time",
                              mix_share_chart(table, "emotion", every, "Share of emotional posts"), width="stretch")

if tab_people.open:
    with tab_people:
        table = authors(view)
        if table.empty:
            st.info("The dataset has no author column.")
        else:
            min_posts = st.slider("Authors with at least this many posts", 1, 10, 1, key="li_minposts")
            bots = int(table["likely_bot"].sum()) if "likely_bot" in table else 0
            if bots:
                st.caption(f"{counted(bots, 'author')} whose posts look like spam or bot activity (links in comments, "
                           "self-promotion, copy-paste, bursts) are left out of these lists; the KPI lab counts "
                           "them.")
            # reach columns only where the export counts followers or engagement: a column of zeros read as
            # "nobody follows them" on a YouTube export that simply has no such counts
            has_followers = has_counts(view, "followers")
            has_reach = has_followers or has_engagement(view)
            cols = ["author", "posts", "share_positive", "share_negative", "net"] + \
                (["followers"] if has_followers else []) + (["engagement", "reach_score"] if has_reach else [])
            fmt = {"share_positive": st.column_config.NumberColumn("positive", format="percent"),
                   "share_negative": st.column_config.NumberColumn("negative", format="percent"),
                   "net": st.column_config.NumberColumn("net", format="%+.2f"),
                   "reach_score": REACH_SCORE}
            t1, t2, t3 = st.tabs(["Advocates", "Detractors", "Influencers"])
            def order(measure: str) -> str:
                return (f"by reach × {measure} (on a tie: the clearer, then the more posts)" if has_reach else
                        "the clearest first, then the most posts (this export has no follower or engagement counts "
                        "to weigh reach)")

            for tab, kind, blurb in ((t1, "advocates", "authors whose net sentiment (share positive − share "
                                                       f"negative) is above {CLEAR_NET:+.2f}, " + order("net")),
                                     (t2, "detractors", f"authors whose net sentiment is below {-CLEAR_NET:+.2f}, "
                                                        + order("how negative")),
                                     (t3, "influencers", "authors with the widest reach, whatever they feel")):
                with tab:
                    if kind == "influencers" and not has_reach:
                        st.info("This export has no follower or engagement counts, so reach cannot be measured and "
                                "there are no influencers to rank. Advocates and Detractors are ranked by how clear "
                                "their sentiment is.")
                        continue
                    st.caption(blurb.capitalize() + ".")
                    ranked = rank(table, kind, min_posts)
                    picked = widgets.table(ranked[cols], hide_index=True, width="stretch", column_config=fmt,
                                           on_select="rerun", selection_mode="single-row", key=f"li_people_{kind}")
                    rows = picked.selection.rows if picked else []
                    if rows:
                        who = ranked.iloc[rows[0]]["author"]
                        st.caption("Posts by the selected author:")
                        by_them = view[view["author"] == who][["created_at", "platform", "sentiment_label", "text"]]
                        widgets.table(by_them, hide_index=True, width="stretch")

if tab_posts.open:
    with tab_posts:
        only_disagree = st.toggle("Only posts where VADER and the Listening Lab label disagree", key="li_disagree")
        shown = view[vader_disagrees(view)] if only_disagree else view
        st.caption("Correct a post's sentiment in the **your label** column; it is saved with the dataset and always "
                   "wins for that post. Showing the first 300 posts that match the filters.")
        cols = [c for c in ("text", "sentiment_label", "vader_label", "language", "sentiment", "sentiment_confidence",
                            "emotion", "emotion_words",
                            "intent", "intent_confidence", "sarcasm_flag", "created_at", "platform", "brand", "author",
                            *categories, "post_id") if c in shown]
        table = shown[cols].head(300).copy()
        table.insert(1, "your label", table["post_id"].map(labels))
        table, own_config = widgets.own_columns_shown(table, [c for c in categories if c in table], frame)
        edited = st.data_editor(
            table, hide_index=True, width="stretch", key=f"li_editor_{ds_id}",
            disabled=[c for c in table.columns if c != "your label"],
            column_config=widgets.time_columns(table)
            | {"your label": st.column_config.SelectboxColumn("your label", options=list(LABELS)),
               "text": st.column_config.TextColumn("text", width="large"),
               "sentiment": st.column_config.NumberColumn("score", format="%+.2f",
                                                          help="VADER's compound for English posts; the multilingual "
                                                               "model's P(positive) - P(negative) for the others")}
            | own_config)
        changed = (edited["your label"].ne(table["your label"])
                   & ~(edited["your label"].isna() & table["your label"].isna()))
        if changed.any():
            updates = {pid: (lab if isinstance(lab, str) else None)
                       for pid, lab in zip(edited.loc[changed, "post_id"], edited.loc[changed, "your label"])}
            session.ws().set_labels(ds_id, updates)
            st.rerun()
        st.markdown(f"**Download the {len(view):,} posts that match the filters**, with every listening column "
                    "(authors as imported: pseudonymised if you chose that). Spreadsheet files are formula-safe.")
        d1, d2, d3 = st.columns(3)
        stem = f"listening-{ds_id}"
        d1.download_button("CSV", lambda: to_csv_bytes(view), f"{stem}.csv", "text/csv", icon=":material/download:",
                           key="li_dl_csv")
        d2.download_button("Excel (XLSX)", lambda: to_xlsx_bytes(view), f"{stem}.xlsx",
                           "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                           icon=":material/download:", key="li_dl_xlsx")
        d3.download_button("Parquet", lambda: to_parquet_bytes(view), f"{stem}.parquet", "application/octet-stream",
                           icon=":material/download:", key="li_dl_parquet")

if tab_teach.open:
    with tab_teach:
        if given is not None:
            show_given(given, frame, labels, lambda updates: session.ws().set_labels(ds_id, dict(updates)),
                       cache.self_promotion(session.ws_path(), ds_id))
        n_labels = result["n_labels"]
        st.markdown(f"**{n_labels:,} post{'' if n_labels == 1 else 's'} labelled by you** in this dataset."
                    if n_labels else "**No post labelled by you yet** in this dataset.")
        if result["cv_accuracy"] is not None:
            st.metric("Estimated accuracy on your data", f"{result['cv_accuracy']:.0%}",
                      help=f"Cross-validated on your {n_labels} labels (macro-F1 {result['cv_macro_f1']:.2f}). "
                           f"The out-of-the-box label got {result['baseline_accuracy']:.0%} of them right.")
        labelled = frame["post_id"].isin(labels.index)
        every = bool(len(frame)) and bool(labelled.all())
        if every:
            st.caption("Every post has your label, so no model labels any: the shares are your labels counted.")
        elif n_labels and not result["applied"]:
            st.caption("For now your labels change only the posts you labelled. From 20 labels with at least two of "
                       "each sentiment used, a model of this dataset takes over the other posts and its accuracy, "
                       "checked by cross-validation, shows here.")
        elif n_labels:
            st.caption("Your labels teach the model with the posts' wording, VADER and complaint cues"
                       + (", and their meaning (sentence embeddings)." if result["used_embeddings"] else
                          "; their meaning (sentence embeddings) joins in once topics have been found for this "
                          "dataset."))
        queue = next_to_label(frame, frame["text"], pd.Index(frame.index[labelled]))
        if len(queue):
            st.caption("Half of these are drawn at random, which keeps the estimated shares honest; half are the "
                       "posts the model is least sure of, which teach it fastest. Label a few at a time.")
            with st.form(f"teach_{ds_id}"):
                answers = {}
                for idx in queue:
                    row = frame.loc[idx]
                    st.text(row["text"])
                    answers[row["post_id"]] = st.radio(
                        "Sentiment", ["skip"] + list(LABELS), horizontal=True, key=f"teach_{row['post_id']}",
                        label_visibility="collapsed",
                        help=f"Model says {row['sentiment_label']} ({row['sentiment_confidence']:.0%})")
                if st.form_submit_button("Save these labels", type="primary"):
                    chosen = {pid: lab for pid, lab in answers.items() if lab != "skip"}
                    if chosen:
                        session.ws().set_labels(ds_id, chosen)
                    st.rerun()
