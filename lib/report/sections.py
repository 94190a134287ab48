"""One function per report section: each turns `ReportData` into plain blocks, every number computed here from
the data; user text (posts, names, topic labels) goes in as text cells, never as markup."""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pandas as pd

from lib.listening.language import read_by_multilingual, vader_disagrees
from lib.listening.overview import PERIOD_NAMES
from lib.pipeline import ROLLING_WINDOW
from lib.report.data import SECTIONS, Block, ReportData
from lib.report.formatting import counted, cut, cut_clauses, net_change, period, text_table
from lib.report.scope import headline_note, headline_rows, methods_lines
from lib.report.summary import (
    alerts_of,
    excess_posts,
    period_thirds,
    spam_flags,
    spam_topics,
    summary,
    value_model,
)

if TYPE_CHECKING:
    from lib.kpis.value import ValueResult
    from lib.listening.alerts import Alert


def _freq(f: pd.DataFrame) -> str:
    from lib.listening.overview import pick_frequency

    freq = pick_frequency(f)
    span = (f["created_at"].max() - f["created_at"].min()).days
    return "W" if freq == "D" and span > 45 else freq


def headline(data: ReportData) -> list[Block]:
    from lib.kpis.leaderboards import influence_note, share_of_voice
    from lib.kpis.scorecard import RELATIVE_KPIS, scorecard

    f = data.frame
    model = value_model(data)
    kpis = scorecard(f, model) if len(model.components.columns) or "sentiment_label" in f else []
    rows = [("Posts", f"{len(f):,}", f"from {period(f)}")]
    if "author" in f and f["author"].notna().any():
        rows.append(("Authors", f"{f['author'].nunique():,}", "distinct authors (pseudonyms where chosen)"))
    if "sentiment_label" in f:
        share = f["sentiment_label"].value_counts(normalize=True)
        pos, neg = float(share.get("positive", 0)), float(share.get("negative", 0))
        rows.append(("Net sentiment", f"{pos - neg:+.2f}", f"{pos:.0%} positive − {neg:.0%} negative posts"))
    left_out = {"Authentic posts", "Likely bot or spam authors"} if data.spam_left_out else set()  # 100 %, 0: moot
    left_out |= RELATIVE_KPIS  # about 50 over all posts by construction: per group in 'Value vs vanity'
    rows += [(k.name, k.shown(), k.definition) for k in kpis
             if k.name != "Posts" and k.shown() != "n/a" and k.name not in left_out]
    if data.scope is not None:  # a sample of a run: the run's own count, authors, sentiment and volume
        rows = headline_rows(data.scope, rows)
    blocks = ([] if data.scope is None else [headline_note(data.scope)]) + [Block("metrics", rows=rows)]
    if data.scope is None:  # a sample of a run: its net sentiment above is the run's estimate, not the sample's
        blocks += shares_blocks(data)
    blocks += _by_language(f)
    sov = share_of_voice(f)
    if len(sov) > MAX_SHARE_BRANDS:  # Sentiment140's 81 queries made a two-page table of 1-mention "brands"
        rest = sov.iloc[MAX_SHARE_BRANDS:]
        sov = pd.concat([sov.iloc[:MAX_SHARE_BRANDS], pd.DataFrame([{
            "brand": f"the other {len(rest)} brands", **rest.drop(columns="brand").sum().to_dict()}])],
            ignore_index=True)
    if len(sov) > 1:
        t = sov.rename(columns={"share_of_voice": "share of voice", "share_of_influence": "share of influence"})
        no_influence = influence_note(f)  # without followers or reach it would repeat share of voice
        if no_influence:
            t = t.drop(columns=["share of influence", "gap"])
            blocks.append(Block("text", text="Share of voice (mentions per brand). " + no_influence))
        else:
            blocks.append(Block("text", text="Share of voice (mentions) against share of influence (mentions "
                                             "weighted by the author's audience): a brand talked about by bigger "
                                             "accounts has more influence than its mention count says."))
        blocks.append(Block("table", table=text_table(t, {"mentions": "{:,.0f}", "share of voice": "{:.1%}",
                                                          "share of influence": "{:.1%}", "gap": "{:+.1%}"})))
    return blocks


def _by_language(f: pd.DataFrame) -> list[Block]:
    """Posts and sentiment per language, when a real part of the posts is in another than English
    (`languages_worth_a_note`: not for five YouTube videos' comments, 14 of 1,956 guessed Swahili, Korean or
    Portuguese), and which analyses read each."""
    from lib.listening.language import language_breakdown, languages_worth_a_note, support_note

    if "language" not in f or f["language"].nunique() < 2 or not languages_worth_a_note(f["language"]):
        return []
    t = language_breakdown(f).head(12).drop(columns="language").rename(columns={"name": "language"})
    pct = {c: "{:.0%}" for c in ("share", "positive", "neutral", "negative")}
    return [Block("text", text="Posts and sentiment per language. " + support_note()),
            Block("table", table=text_table(t, {"posts": "{:,.0f}", "net": "{:+.2f}", **pct}))]


MAX_SHARE_BRANDS = 12  # brands in the shares table, the most talked about first


def shares_blocks(data: ReportData) -> list[Block]:
    """The shares a client can quote: the estimated negative, neutral and positive shares of the posts, overall
    and per brand, each with its range, and in words how they were estimated (the Listening page's "Shares you
    can quote", from the same estimate)."""
    from lib.listening.sentiment import LABELS
    from lib.listening.shares import all_exact, is_calibrated, share_range

    est = data.shares
    if not est or not est.get("overall"):
        return []
    f = data.frame
    posts = f["brand"].astype(str).value_counts() if "brand" in f else pd.Series(dtype=int)
    groups = [("All posts", len(f), est["overall"], est["interval"]["overall"])]
    brands = sorted(est.get("by_brand", {}), key=lambda b: -int(posts.get(b, 0)))
    groups += [(b, int(posts.get(b, 0)), est["by_brand"][b], est["interval"]["by_brand"][b])
               for b in brands[:MAX_SHARE_BRANDS]]
    exact = all_exact(est["interval"])
    table = pd.DataFrame([{"": name, "posts": n, **{c: f"{s[c]:.0%}" + ("" if exact else f" ({share_range(r[c])})")
                                                    for c in LABELS}} for name, n, s, r in groups])
    level = est["interval"]["level"]
    how = (f"calibrated on the analyst's {est['labels_used']:,} labels of posts (the model's probabilities "
           "corrected by how it did on them; per brand by EM prior adjustment)" if is_calibrated(est) else
           "zero-shot: each post's own label counted, no labels checking the model against this data, so each "
           "range also allows for how far the model alone has been off on real labelled posts")
    more = f" The {len(brands) - MAX_SHARE_BRANDS} smaller brands are left out of the table." \
        if len(brands) > MAX_SHARE_BRANDS else ""
    said = (f"Sentiment shares to quote: the analyst labelled every one of these posts, so the shares are their "
            f"labels counted, exact.{more}" if exact else
            f"Sentiment shares to quote: the estimated share of posts that are negative, neutral and positive, with "
            f"its {level:.0%} range, {how}.{more}")
    return [Block("text", text=said),
            Block("table", table=text_table(table, {"posts": "{:,.0f}"}))]


def sentiment(data: ReportData) -> list[Block]:
    from lib.listening import charts
    from lib.listening.trends import trajectory

    f = data.frame
    freq = _freq(f)
    traj = trajectory(f, freq=freq)
    blocks = []
    thirds = period_thirds(f) if "sentiment_label" in f else None
    if thirds and len(thirds[0]) and len(thirds[1]):
        first, last = (x["sentiment_label"].map({"positive": 1, "negative": -1}).fillna(0) for x in thirds)
        blocks.append(Block("text", text=f"{net_change(first, last)} The charts show it per {PERIOD_NAMES[freq]} "
                                         f"and as the net of the last {ROLLING_WINDOW[freq]} "
                                         f"{PERIOD_NAMES[freq]}s' posts together."))
    blocks.append(Block("chart", chart=charts.net_sentiment_chart(traj)))
    blocks.append(Block("chart", chart=charts.sentiment_share_chart(traj, freq)))
    if "brand" in f and 1 < f["brand"].nunique() <= 8:
        blocks.append(Block("chart", chart=charts.net_sentiment_chart(
            trajectory(f, freq=freq, by="brand"), by="brand")))
    return blocks + _alerts(data)


def _alerts(data: ReportData) -> list[Block]:
    """The spike alerts at the chosen sensitivity, and the posts behind the worst one."""
    from lib.listening.alerts import SPAM_NOTE, alerts_frame, brands_said, shown_terms, span

    alerts = alerts_of(data)
    if not alerts:
        return [Block("note", text=f"No spike alerts at sensitivity {data.sensitivity:g}.")]
    frame = alerts_frame(alerts)
    frame["terms"] = shown_terms(frame)
    spammy = bool((frame["spam_share"].astype(float) >= SPAM_NOTE).any())  # the column only where it says something
    table = frame[["start", "end", "kind", "posts", "expected_posts", "negative_share", "baseline_negative_share",
                   "terms", "amplifiers"] + (["spam_share"] if spammy else [])]
    plural = "s" if len(alerts) > 1 else ""
    unit = alerts[0].unit  # a file dated by month is judged month by month (`alerts.own_periods`)
    blocks = [Block("text", text=f"{len(alerts)} spike alert{plural}: {unit}s whose volume or negative share broke "
                                 f"from the usual level of the {unit}s around them (a median of up to 28 other "
                                 f"{unit}s; sensitivity {data.sensitivity:g} z-scores), with the words that drove "
                                 "them and the authors who amplified them most."),
              Block("table", table=text_table(table.rename(columns={
                  "expected_posts": "expected", "negative_share": "negative",
                  "baseline_negative_share": "usual negative", "spam_share": "spam-like"}),
                  {"posts": "{:,.0f}", "expected": "{:,.0f}", "negative": "{:.0%}", "usual negative": "{:.0%}",
                   "spam-like": "{:.0%}"})),
              Block("bullets", text="What each alert compared:",
                    items=[f"{span(a)}: {a.compared_with}" + (f"; brands above their usual share: "
                                                              f"{brands_said(a.brands)}" if len(a.brands) else "")
                           for a in alerts])]
    biggest = max(alerts, key=excess_posts)  # as the summary's "biggest": the most posts above the usual
    if biggest.post_ids:
        blocks.append(_alert_posts(data, biggest))
    return blocks


def _alert_posts(data: ReportData, alert: Alert) -> Block:
    """The alert's first three distinct posts (`alerts.posts_behind`: most engaged, else those using most of its
    terms) that do not look like spam (as the summary's quotes: a client is never handed spam as the audience's
    words); its first three, said to be spam-like, where all of them are."""
    from lib.listening.alerts import posts_behind, span

    f = data.frame
    ranked = posts_behind(alert, f)
    flags = spam_flags(data)
    flagged = flags.loc[ranked.index] if flags is not None else pd.Series(False, index=ranked.index)
    clean = ranked[~flagged.to_numpy()]
    title = f"Posts that drove the biggest alert ({span(alert)})"
    if len(clean):
        return Block("bullets", text=title + ":", items=[cut(x, 220) for x in clean["text"].head(3).tolist()])
    return Block("bullets", text=title + ", all of them spam-like (links, self-promotion, copy-paste, bursts):",
                 items=[cut(x, 220) for x in ranked["text"].head(3).tolist()])


def _posts(n: int) -> str:
    """"1 post", "1,204 posts"."""
    return counted(n, "post")


def topics(data: ReportData) -> list[Block]:
    from lib.topics import charts as topic_charts
    from lib.topics.views import sentiment_mix, spam_by_topic, spam_topics_note

    if data.topics is None:  # `available` keeps this section out then
        return []
    t = data.topics.head(15)
    cols = {"label": "topic", "size": "posts", "share": "share", "net_sentiment": "net sentiment",
            "growth": "growth", "languages": "languages", "keywords": "keywords"}
    table = t[[c for c in cols if c in t]].rename(columns=cols)
    blocks = [Block("text", text=f"{len(data.topics)} topics; the largest {len(t)} below with their tone. Net "
                                 "sentiment is share positive − share negative of the topic's posts.")]
    if spam_topics(data):  # a topic of channel promotion is not what the audience talks about: said, and shown
        per = spam_by_topic(data.frame, spam_flags(data))
        table.insert(table.columns.get_loc("keywords") if "keywords" in table else len(table.columns), "spam-like",
                     t["topic"].map(per).to_numpy())
        blocks.append(Block("note", text=spam_topics_note(data.topics, per)))
    people = t[~t["topic"].isin(spam_topics(data))] if "topic" in t else t  # spam is not a topic's tone
    neg = people.dropna(subset=["net_sentiment"]).sort_values("net_sentiment") if "net_sentiment" in t else t.iloc[:0]
    if len(neg):
        w, b = neg.iloc[0], neg.iloc[-1]
        # a support inbox's "most positive" topic was net +0.00: where no topic leans positive, it is the least negative
        items = [f"{'Most negative' if w['net_sentiment'] < 0 else 'Least positive'} topic: {cut(w['label'], 80)} "
                 f"({w['size']:,} posts, net {w['net_sentiment']:+.2f})"]
        if len(neg) > 1:
            items.append(f"{'Most positive' if b['net_sentiment'] > 0 else 'Least negative'} topic: "
                         f"{cut(b['label'], 80)} ({b['size']:,} posts, net {b['net_sentiment']:+.2f})")
        blocks.append(Block("bullets", items=items))
    blocks.append(Block("table", table=text_table(table, {"posts": "{:,.0f}", "share": "{:.1%}",
                                                          "net sentiment": "{:+.2f}", "growth": "{:+.1%}",
                                                          "spam-like": "{:.0%}"})))
    if "topic" in data.frame:
        mix = sentiment_mix(data.frame)
        mix = mix[mix["topic"].isin(t["topic"])]
        if len(mix):
            blocks.append(Block("chart", chart=topic_charts.topic_sentiment(mix, t["label"].tolist())))
    return blocks


def audience(data: ReportData) -> list[Block]:
    """The segments, their sizes and personas, and the Audience page's own plain note on how far they can be
    trusted (stability and separation in words; thin data, where most authors wrote one or two posts, said)."""
    from lib.audience.charts import segment_sizes
    from lib.audience.features import author_coverage
    from lib.audience.wording import trust_note

    p = data.personas
    if p is None:  # `available` keeps this section out then
        return []
    m = data.audience_metrics or {}
    blocks = []
    what = "posts" if m.get("unit") == "posts" else "authors"
    if m:
        bits = [f"{m.get('segments', len(p))} segments", f"{m.get('noise_share', 0):.0%} of {what} fit none"]
        blocks.append(Block("text", text=f"{what.capitalize()} grouped by behaviour (UMAP + HDBSCAN): "
                                         + "; ".join(bits) + "."))
        cover = author_coverage(data.frame)
        blocks.append(Block("note", text="How far to trust them: " + trust_note(
            m, cover["median_posts"] if what == "authors" and cover["has_authors"] else None, what)))
    if {"name", "share", "posts"} <= set(p.columns):
        blocks.append(Block("chart", chart=segment_sizes(p, what)))
    # the shares a segment's name is read from ("Critical posts"), not a mean score that can contradict it
    cols = {"name": "segment", "description": "who they are", "authors": "authors", "share": "share",
            "posts_per_author": "posts per author"} if what == "authors" else \
        {"name": "segment", "description": "what they are", "authors": "posts", "share": "share"}
    cols |= {"negative_share": "negative posts", "positive_share": "positive posts"}
    if "description" in p:
        p = p.assign(description=p["description"].map(cut_clauses))
    blocks.append(Block("table", table=text_table(p[[c for c in cols if c in p]].rename(columns=cols),
                                                  {"authors": "{:,.0f}", "share": "{:.0%}",
                                                   "posts per author": "{:.1f}", "negative posts": "{:.0%}",
                                                   "positive posts": "{:.0%}"})))
    return blocks


_RANKS = {"value_rank": "value rank", "vanity_rank": "vanity rank"}


def value(data: ReportData) -> list[Block]:
    from lib.kpis.leaderboards import MIN_GROUP_POSTS, group_leaderboard, read_best_pool, tied_at_cut, top
    from lib.kpis.value import rankings, text_only_note
    from lib.kpis.weights import COMPONENTS
    from lib.topics.prepare import worded

    f = data.frame
    model = value_model(data)
    if not len(model.components.columns):
        return [Block("note", text="The data has no engagement counts, reach or text to score posts by value.")]
    ranks = rankings(model, data.weights)
    used = data.weights.normalised(list(model.components.columns))
    flat = model.vanity_unavailable  # every post ties on vanity: no vanity ranking to print
    blocks = [Block("text", text=f"Each post's value score weighs what an interaction is worth ({data.weights.name} "
                                 "weights: " + ", ".join(f"{COMPONENTS[c][0].lower()} {w:.0%}"
                                                         for c, w in used.items() if w > 0) + ")."
                                 + ("" if flat else " Vanity ranks by likes and impressions alone. Where the two "
                                                    "disagree, the vanity view would have rewarded the wrong posts."))]
    text_only = text_only_note(model)  # a support inbox: no count says what any post did
    if text_only:
        blocks.append(Block("note", text=text_only))
    show = [c for c in ("author", "platform", "text") if c in f and (c != "platform" or f[c].nunique() > 1)]

    pool, short_note = read_best_pool(ranks, worded(f["text"].fillna(""))) if text_only and "text" in f else \
        (ranks, None)

    def leaders(col: str, among: pd.DataFrame = ranks) -> list[Block]:
        idx = top(among, col, 8)
        t = f.loc[idx, show].assign(value_rank=ranks.loc[idx, "value_rank"])
        if not flat:
            t = t.assign(vanity_rank=ranks.loc[idx, "vanity_rank"])
        out = [Block("table", table=text_table(t.rename(columns=_RANKS),
                                               {"value rank": "{:,.0f}", "vanity rank": "{:,.0f}"}))]
        tie = tied_at_cut(among, col, 8)
        return out + ([Block("note", text=tie)] if tie else [])

    heading = "Posts that read best (no count says which worked):" if text_only else "Top posts by value:"
    blocks += [Block("text", text=heading), *leaders("value_rank", pool)]
    if short_note:
        blocks.append(Block("note", text=short_note))
    if flat:
        blocks.append(Block("note", text=f"No vanity ranking: {flat}."))
    else:
        blocks += [Block("text", text="Top posts by vanity (likes, impressions):"), *leaders("vanity_rank")]
    for by in ("brand", "platform", "post_type"):  # the first that splits the posts (a page's own export: types)
        board = group_leaderboard(model, ranks, by, min_posts=MIN_GROUP_POSTS)
        if len(board) > 1:
            cols = [c for c in (by, "posts", "likes", "engagement", "engagement_quality", "mean_value", "value_rank",
                                "vanity_rank") if c in board]
            quality = (" and Engagement Quality Score (0-100, 50 = the average post here)"
                       if "engagement_quality" in board else "")
            ranks = "the value rank against the vanity rank" if "vanity_rank" in cols else "its rank"
            least = f" ({by.replace('_', ' ')}s with at least {MIN_GROUP_POSTS} posts)" \
                if board.attrs.get("left_out") else ""
            blocks += [Block("text", text=f"By {by.replace('_', ' ')}{least}: mean value score{quality}, and {ranks}."),
                       Block("table", table=text_table(
                           board[cols].rename(columns={"mean_value": "mean value", "post_type": "post type",
                                                       "engagement_quality": "quality score", **_RANKS}).head(10),
                           {"posts": "{:,.0f}", "likes": "{:,.0f}", "engagement": "{:,.0f}", "mean value": "{:.2f}",
                            "quality score": "{:.0f}", "value rank": "{:,.0f}", "vanity rank": "{:,.0f}"}))]
            break
    return blocks


def forecast(data: ReportData) -> list[Block]:
    from lib.foresight.charts import forecast_chart
    from lib.foresight.forecast import flag_words, raised_flags, share_note, trend_forecast, without_share_trend

    f = data.frame
    freq = _freq(f)
    tf = trend_forecast(f, freq, data.horizon)
    if tf.empty:
        return []
    blocks = [Block("text", text=f"Posts per {PERIOD_NAMES[freq]} and the share of negative posts, extended "
                                 f"{data.horizon} {PERIOD_NAMES[freq]}s ahead by damped-trend exponential smoothing, "
                                 "with 80 % intervals (posts fitted with one-off spikes capped, so a spike does "
                                 "not carry the forecast up). A forecast extends the recent trend; it knows nothing "
                                 "of launches, news or campaigns to come.")]
    blocks.append(Block("chart", chart=forecast_chart(tf, "posts", "Posts")))
    if "negative_share" in set(tf["measure"]):
        blocks.append(Block("chart", chart=forecast_chart(tf, "negative_share", "Negative share")))
    if "sentiment_label" in f:
        blocks.append(Block("text", text=share_note(without_share_trend(tf), PERIOD_NAMES[freq])))
    flags = raised_flags(tf)
    if flags:
        blocks.append(Block("bullets", text="Flags:", items=[
            f"{g}: {flag_words(tf, g, m, PERIOD_NAMES[freq])}." for g, m, _ in flags]))
    return blocks


_BIAS = ["Who posts is not who buys: loud minorities, fans and critics are over-represented, the silent "
         "majority is missing.",
         "Platform audiences differ by age, country and culture; a share of voice is a share of this data, "
         "not of the market.",
         "Bots and giveaway accounts inflate volume; the authenticity score flags likely ones but not all.",
         "The models read English best: posts in the other languages the multilingual model reads were further "
         "off on real labelled posts (their share ranges are wider), and a post in a language no model reads counts "
         "as neutral."]


def methods(data: ReportData) -> list[Block]:
    return [Block("bullets", text="Data", items=_sources(data)),
            Block("bullets", text="How the numbers were made", items=_how(data)),
            Block("bullets", text="Bias and limits", items=list(_BIAS))]


def _sources(data: ReportData) -> list[str]:
    """Where the posts came from, what import left out, and what was done for privacy."""
    f, meta = data.frame, data.meta
    files = ", ".join(str(x.get("name", "")) for x in meta.get("files", [])) or "uploaded file(s)"
    excluded = sum((meta.get("excluded") or {}).values())
    src = [f"Source: {files}; {meta.get('rows_read', len(f)):,} rows read, {len(f):,} posts analysed, "
           f"{excluded:,} rows excluded at import (each counted with its reason in the app); period {period(f)}."]
    priv = meta.get("privacy") or {}
    masked = priv.get("masked") or []
    named = "author" in f and f["author"].notna().any()
    src.append("Privacy: " + (f"personal data masked in the text ({', '.join(masked)}); " if masked else
                              "no personal data masking; ")
               + ("authors replaced by stable pseudonyms." if priv.get("pseudonymised_authors") else
                  "author names appear as in the source: check before sharing this report outside the team." if named
                  else "the data names no authors; the posts' text is quoted as written."))
    if data.spam_left_out:
        src.append(f"{data.spam_left_out:,} posts that the authenticity rules flag as spam or bot activity (links, "
                   "self-promotion, copy-paste, bursts, follower anomalies) are left out of every figure; the "
                   "topics and segments were found with them, so their sizes here count only the other posts"
                   + ("; the whole run's totals still count every post." if data.scope is not None else "."))
    src.append("All analysis ran on the analyst's machine; no post left it.")
    if data.scope is not None:
        src += methods_lines(data.scope)
    return src


def _how(data: ReportData) -> list[str]:
    """How each number was made, for the parts of the analysis this report shows."""
    f = data.frame
    how = []
    if "sentiment_label" in f:
        english = f["vader_label"] != "n/a" if "vader_label" in f else pd.Series(False, index=f.index)
        others, read_in = read_by_multilingual(f)
        sources = set(f["sentiment_source"].dropna()) if "sentiment_source" in f else set()
        adapted = ("The model was adapted to the analyst's labels and re-labelled the other posts. "
                   if "adapted model" in sources else
                   "The analyst's labels replace the label of the posts they labelled. " if "your label" in sources
                   else "")
        how.append("Sentiment: VADER (a transparent word lexicon, reading the words, not the @handles) beside the "
                   "Listening Lab label, a logistic regression on each post's words, VADER's scores and complaint "
                   "cues (trained on the VADER paper's "
                   "23,703 human-rated sentences, Reddit comments labelled with emotions and customer-support "
                   "queries)"
                   + (f"; the two disagree on {vader_disagrees(f)[english].mean():.0%} of English posts. "
                      if english.any() else
                      "; none of these posts is in English, where the two are compared. " if "vader_label" in f
                      else "; the two disagree on some English posts. ")
                   + (f"{_posts(others)} in {read_in or 'other languages'} {'was' if others == 1 else 'were'} "
                      "read by a multilingual model (multilingual-e5-small with a head learned from English, Thai and "
                      "Indonesian labels; macro-F1 0.59-0.60 on real tweets in German, Italian and Portuguese, "
                      "languages it never learned from, and 0.59-0.77 on real Thai and Indonesian posts it did "
                      "not learn from, where English models score 0.23-0.47). " if others else "")
                   + (f"{_posts(data.n_labels)} {'was' if data.n_labels == 1 else 'were'} labelled by the "
                      f"analyst. {adapted}" if data.n_labels else "")
                   + "Both miss sarcasm, polite complaints, slang and domain language; treat small differences "
                     "as noise and read the posts behind any number that matters."
                   + _shares_how(data))
        from lib.listening.emotion import NOT_READ

        unread = int((f["intent"] == NOT_READ).sum()) if "intent" in f else 0
        felt = int(((f["intent"] == NOT_READ) & (f["emotion"] != NOT_READ)).sum()) if unread else 0
        model = "a multilingual model learned from the same English comments (less sure than in English)"
        emotion = (f"; {'its' if unread == 1 else 'their'} emotion was read by {model}" if felt == unread else
                   f"; the emotion of {felt:,} of them was read by {model}" if felt else "")
        if unread > felt:
            emotion += f"; {_posts(unread - felt)} {'has' if unread - felt == 1 else 'have'} no emotion either (n/a)"
        how.append("Emotion (Ekman's six, or neutral) comes from a model learned from 43,410 human-labelled Reddit "
                   "comments (GoEmotions), intent from rules: indicative, not exact; posts flagged as "
                   "possible sarcasm need a human reading."
                   + (f" Intent reads English only: {_posts(unread)} in "
                      f"{'another language has' if unread == 1 else 'other languages have'} no intent (n/a)"
                      + emotion + "." if unread else ""))
    if data.topics is not None:
        ts = data.topic_settings or {}
        emb = f"{ts['embeddings']} embeddings" if ts.get("embeddings") else "embeddings"
        prep = ("; links, @handles and the brands' names were taken out of the text first, so topics are about "
                "what is said" if ts.get("prepare_text") else "")
        how.append(f"Topics: BERTopic ({emb}, UMAP, HDBSCAN, class-based TF-IDF keywords)"
                   + (f", seed {ts['seed']}" if "seed" in ts else "") + prep
                   + ". Topic names are generated from keywords unless the analyst renamed them; posts without a "
                     "clear topic are reassigned or left out."
                   + (f" The analyst split {ts['splits']} topic{'s' if ts['splits'] > 1 else ''} that mixed "
                      "subjects into parts (k-means on the same vectors)." if ts.get("splits") else ""))
    if data.personas is not None:
        from lib.audience.features import FEATURE_GROUPS

        metrics = data.audience_metrics or {}
        # the features this fit used (undated tweets without counts: sentiment, emotion mix, topic mix); a fit
        # stored before they were kept: every feature the method may use
        groups = metrics.get("groups_used")
        used = ", ".join(FEATURE_GROUPS[g][0].lower() for g in groups or [] if g in FEATURE_GROUPS)
        if metrics.get("unit") == "posts":
            hour = ", hour" if "usual_hour" in data.personas else ""  # dates without times tell no hour
            did = " and how they did" if groups is None or "engagement" in groups else ""
            how.append(f"Segments: posts clustered on what they are{did} ("
                       + (used or f"engagement, audience, type, tone, topics, platform{hour}")
                       + "); segment names and descriptions summarise a group's figures.")
        else:
            how.append("Segments: authors clustered on behaviour ("
                       + (used or "activity, engagement, tone, topics, platforms")
                       + "); persona names and descriptions summarise a group's averages and describe no real person.")
    how.append("Value vs vanity: value scores are percentiles of components weighted by the analyst's choice; "
               "different objectives rank posts differently, by design.")
    return how


def _shares_how(data: ReportData) -> str:
    from lib.listening.shares import ZERO_SHOT_MARGIN, ZERO_SHOT_MARGIN_OVERALL, is_calibrated, reader_note

    est = data.shares
    if not est or not est.get("overall"):
        return ""
    note = reader_note(est.get("interval", {}), is_calibrated(est))
    if is_calibrated(est):
        return (f" The sentiment shares to quote are estimated as a whole: the model's probabilities calibrated on "
                f"the analyst's {est['labels_used']:,} labels, their mean (per brand, EM prior adjustment), with a "
                "bootstrap range; measured on real labelled tweets, 150 labels brought the estimate within about 3 "
                "points of the true negative share, where counting the labels was off by up to 14."
                + (f" {note}" if note else ""))
    return (" Without labels from the analyst, the sentiment shares are the posts' labels counted, and their ranges "
            f"are widened by {ZERO_SHOT_MARGIN_OVERALL * 100:.0f} points each side ({ZERO_SHOT_MARGIN * 100:.0f} for a "
            "brand" + (", for the posts read in English" if note else "") + "): on real labelled posts a zero-shot "
            "share was up to 13 points off overall and up to 33 for a brand of a few dozen posts."
            + (f" {note}" if note else ""))


def title(key: str, data: ReportData) -> str:
    """A section's heading: SECTIONS' unless the data changes what the section can say (`value_title`)."""
    return value_title(value_model(data)) if key == "value" else SECTIONS[key]


def value_title(model: ValueResult) -> str:
    """The value section's heading for a value model. Without a count of what any post did (a support inbox,
    review sentences), the section ranks how posts read, and "which posts really worked" would claim what its own
    note denies. The Report page's section box reads it too."""
    from lib.kpis.value import text_only

    if text_only(model):
        return ("Value: how posts read (no count tells them apart)" if model.vanity_unavailable else
                "Value vs vanity: how posts read against their likes and views")
    return SECTIONS["value"]


MAKERS: dict[str, Callable[[ReportData], list[Block]]] = {
    "summary": summary, "headline": headline, "sentiment": sentiment, "topics": topics, "audience": audience,
    "value": value, "forecast": forecast, "methods": methods}
