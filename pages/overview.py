"""Overview: what is in the active dataset, at a glance."""
import streamlit as st

from lib import pipeline
from lib.ingest.schema import own_columns, source_name
from lib.kpis.authenticity import spam_note
from lib.listening.charts import share_bars, volume_chart
from lib.listening.given import value_names
from lib.listening.language import languages_worth_a_note, name_of, support_note, support_warning
from lib.listening.overview import date_range_words, human_count, pick_frequency, summary, top_counts, volume_over_time
from lib.listening.trends import MAX_LINES, largest_groups
from lib.report.formatting import counted
from lib.ui import cache, run_view, session, widgets

OWN_SHOWN = 6  # the file's own columns shown beside the posts (a listening tool's export can carry dozens)

session.ensure_navigation()

st.title("Overview")
widgets.show_flash()
ds_id, posts = widgets.require_dataset()
meta = session.ws().meta(ds_id)

st.caption("Dataset: " + widgets.md_escape(meta["name"]) + f" · imported {meta['created_at']:%d %b %Y %H:%M} UTC")
run_view.whole_run(meta)  # a run opened as a sample: the whole run's totals first
if pipeline.has_text(posts):  # language first: a warning about what the models can read comes before any number
    posts = posts.assign(language=cache.languages(session.ws_path(), ds_id))
    if note := support_warning(posts["language"]):
        st.warning(note, icon=":material/translate:")
    found = posts["language"].value_counts()
    if len(found) > 1:
        picked = st.multiselect("Language", list(found.index), key="ov_lang",
                                format_func=lambda c: f"{name_of(c)} ({found[c]:,} posts)",
                                help=support_note())
        if picked:
            posts = posts[posts["language"].isin(picked)]
info = summary(posts)

widgets.summary_metrics(info)
if pipeline.has_text(posts):  # a marketer's first look: half of a video's comments can be spam
    spam = cache.spam_flags(session.ws_path(), ds_id)
    if note := spam_note(spam):
        st.warning(note, icon=":material/report:")
if "first_post" in info:
    st.caption(date_range_words(posts["created_at"]))

missing = {k: v for k, v in meta.get("analyses", {}).items() if v}
if missing:
    st.info("Some analyses need columns this dataset lacks: "
            + "; ".join(f"{k} {v.replace('needs', 'need', 1) if k.endswith('s') else v}" for k, v in missing.items())
            + ".")  # "KPIs need", "volume over time needs" (the reasons are the import report's, one per analysis)

if "first_post" in info:
    st.subheader("Volume over time")
    split_options = ["nothing"] + [c for c in ("platform", "brand", "post_type")
                                   if c in posts and posts[c].nunique() > 1]
    c1, c2 = st.columns([1, 1])
    split = c1.radio("Colour by", split_options, horizontal=True, key="ov_split",
                     format_func=lambda c: c.replace("_", " "))
    freq_names = {"auto": None, "day": "D", "week": "W", "month": "MS"}
    freq_choice = c2.radio("Period", list(freq_names), horizontal=True, key="ov_freq")
    freq = freq_names[freq_choice] or pick_frequency(posts)
    by = None if split == "nothing" else split
    split_posts, others = largest_groups(posts, by) if by else (posts, 0)
    counts = volume_over_time(split_posts, freq, by)
    widgets.chart("posts over time", volume_chart(counts, freq, by), width="stretch")
    if others:
        st.caption(f"The {MAX_LINES} {by.replace('_', ' ')}s with the most posts; the other {others:,} are one "
                   "colour, 'others'.")
    if info.get("posts_without_date"):
        n = info["posts_without_date"]
        st.caption(f"{counted(n, 'post')} {'has' if n == 1 else 'have'} no date and {'is' if n == 1 else 'are'} not "
                   "in this chart.")

breakdowns = [(c, t) for c, t in (("platform", "Platforms"), ("brand", "Brands"), ("post_type", "Post types"),
                                  ("language", "Languages")) if c in posts and posts[c].notna().any()
              and posts[c].nunique(dropna=False) > 1]  # one bar of 100 % breaks nothing down
own_first = list(cache.own_categories(session.ws_path(), ds_id))[:1]  # the file's own first category
breakdowns += [(c, source_name(c)) for c in own_first]
if breakdowns:
    st.subheader("Breakdown")
    given = cache.given_sentiment(session.ws_path(), ds_id)  # the export's own sentiment column, if it has one
    for col, (c, title) in zip(st.columns(len(breakdowns)), breakdowns):
        values = posts[c].map(name_of) if c == "language" else \
            cache.category_of(session.ws_path(), ds_id, c) if c in own_first else posts[c].astype("string")
        if names := value_names(given, posts[c]):
            values = values.str.strip().map(names).fillna(values)  # Sentiment140's 0 / 4: "0 (negative)"
        empty = {"brand": "(no brand)", "platform": "(no platform)", "post_type": "(no type)"}.get(c, "(empty)")
        bars = share_bars(*top_counts(values.fillna(empty), title, empty=empty), total=len(posts))
        widgets.chart(f"share by {c}", where=col, figure=bars, width="stretch")
        if len(values) > len(posts):  # a column of tags: shares of the posts, which add up to more than 100 %
            col.caption(f"A post with several {widgets.md_escape(title)} counts under each.")
    if "language" in posts and languages_worth_a_note(posts["language"]):
        st.caption(support_note())

if info.get("totals"):
    st.subheader("Engagement totals")
    st.caption("Raw totals as exported. The KPI lab weighs them by quality, not volume.")
    tcols = st.columns(len(info["totals"]))
    for col, (k, v) in zip(tcols, info["totals"].items()):
        col.metric(k.capitalize(), human_count(v), help=f"{v:,}")

st.subheader("Posts")
show = [c for c in ("created_at", "platform", "brand", "author", "language", "text", "likes", "comments", "shares")
        if c in posts and (c not in ("platform", "brand") or posts[c].nunique(dropna=False) > 1)]
own = own_columns(posts.columns)  # the file's columns that feed no field, under their names in the file
first, own_config = widgets.own_columns_shown(posts[show + own[:OWN_SHOWN]].head(500), own[:OWN_SHOWN], posts)
widgets.table(first, hide_index=True, width="stretch",
              column_config={"text": st.column_config.TextColumn("Text", width="large")} | own_config)
more = f" Your file's {len(own) - OWN_SHOWN:,} other columns are kept too." if len(own) > OWN_SHOWN else ""
st.caption(f"First {min(500, len(posts)):,} of {len(posts):,} posts.{more} Download everything from the Data page.")
