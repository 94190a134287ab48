"""The executive summary, the report's first section: three to five findings, one sentence each with its numbers,
and two or three quotes. Every finding is computed from `ReportData`; a finding the data cannot support (no
topics, no dates, no authors) is left out rather than guessed."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import pandas as pd

from lib.report.data import Block, ReportData
from lib.report.formatting import cut, share_change
from lib.report.scope import summary_note, whole_run_finding
from lib.topics.describe import profane
from lib.topics.prepare import LINK, worded

if TYPE_CHECKING:
    from lib.listening.alerts import Alert

COMPLAINT = "complaint / issue"
SPAM_FINDING = 0.2  # share of posts flagged as spam or bot-like from which the summary says so


def alerts_of(data: ReportData) -> list:
    """The spike alerts at the chosen sensitivity, detected once per build (the summary and the sentiment section
    both read them)."""
    from lib.listening.alerts import detect

    if "alerts" not in data.cache:
        data.cache["alerts"] = detect(data.frame, sensitivity=data.sensitivity) if "sentiment_label" in data.frame \
            and "created_at" in data.frame and data.frame["created_at"].notna().any() else []
    return data.cache["alerts"]


def value_model(data: ReportData) -> Any:
    """The value model, fitted once per build: the headline, the value section and the summary's spam finding
    all read it."""
    from lib.kpis.value import fit_value_model

    if "model" not in data.cache:
        data.cache["model"] = fit_value_model(data.frame)
    return data.cache["model"]


def spam_flags(data: ReportData) -> pd.Series | None:
    """Which posts the authenticity rules flag as spam or bot-like (the headline's "Authentic posts" reads the
    same scores); None without text."""
    from lib.kpis.authenticity import THRESHOLD

    if "text" not in data.frame or not len(data.frame):
        return None
    s = value_model(data).bot_likeness
    return None if s is None else (s >= THRESHOLD).reindex(data.frame.index, fill_value=False)


def summary(data: ReportData) -> list[Block]:
    scope = data.scope
    first = _feel(data) if scope is None else whole_run_finding(scope)  # a sample of a run: the run's own figures
    who, works = _who(data), _works(data)
    findings = [s for s in (_talk(data), first, _spam(data), _alerts(data), works, who, _next(data)) if s]
    for gives_way in (works, who):  # five at most: what works gives way first, then the segment finding
        if len(findings) > 5 and gives_way:
            findings.remove(gives_way)
    if not findings:
        return []
    if scope is not None:
        findings.insert(0, findings.pop(findings.index(first)))
    blocks = [Block("bullets", text="Key findings", items=findings)]
    if scope is not None:
        blocks.append(summary_note(scope))
    said = quotes(data)
    if said:  # what the quotes are, said: after "Next: answer the 1,945 negative posts", a thank-you read as one
        whose = "a typical post of each of the largest topics" if _by_topic(data) else \
            "a typical positive and a typical negative post"
        blocks.append(Block("bullets", text=f"In their words: {whose}", items=[f"“{q}”" for q in said]))
    return blocks


def _spam(data: ReportData) -> str:
    """Said when spam is a real part of the data (on the UCI YouTube comments, half of the posts): the topics
    and counts include it, and a reader must know before quoting them. The quotes leave flagged posts out."""
    if data.spam_left_out:
        n = data.spam_left_out
        return (f"{n:,} posts ({n / (n + len(data.frame)):.0%}) that look like spam or bot activity (links, "
                "self-promotion, copy-paste, bursts) are left out of every figure here; topics and segments were "
                "found with them.")
    flags = spam_flags(data)
    if flags is None or flags.mean() < SPAM_FINDING:
        return ""
    return (f"{flags.mean():.0%} of the posts look like spam or bot activity (links, self-promotion, copy-paste, "
            "bursts); they are counted in every figure here, and left out of the quotes.")


def spam_topics(data: ReportData) -> list[int]:
    """The topics that are mostly spam (lib.topics.views.spam_topics), by the same flags as the spam finding; they
    are not what the audience talks about, so the talk and next-step findings pass over them."""
    from lib.topics.views import spam_by_topic
    from lib.topics.views import spam_topics as mostly_spam

    t, flags = data.topics, spam_flags(data)
    if t is None or flags is None or "topic" not in data.frame or "topic" not in t:
        return []
    if "spam_topics" not in data.cache:
        data.cache["spam_topics"] = mostly_spam(t, spam_by_topic(data.frame, flags))
    return data.cache["spam_topics"]


def _talk(data: ReportData) -> str:
    t = data.topics
    if t is None or not len(t) or not {"label", "share"} <= set(t.columns):
        return ""
    spam = spam_topics(data)
    top = t[~t["topic"].isin(spam)].sort_values("share", ascending=False).head(3) if spam else \
        t.sort_values("share", ascending=False).head(3)
    if not len(top):
        return f"All {len(t)} topics are mostly posts that look like spam."
    parts = [f"{cut(r['label'], 60)} ({r['share']:.0%} of posts)" for _, r in top.iterrows()]
    joined = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    left = t[t["topic"].isin(spam)]
    return f"People talk most about {joined}, out of {len(t)} topics" + (
        f"; {len(left)} more topics ({left['share'].sum():.0%} of posts) are mostly spam and left out here." if spam
        else ".")


def period_thirds(f: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame] | None:
    """The posts of the first and the last third of the period (by time, not by count); None when undated."""
    if "created_at" not in f or f["created_at"].notna().sum() < 30:
        return None
    ts = f["created_at"]
    lo, hi = ts.min(), ts.max()
    if hi - lo < pd.Timedelta(days=3):
        return None
    step = (hi - lo) / 3
    return f[ts < lo + step], f[ts >= hi - step]


def _feel(data: ReportData) -> str:
    f = data.frame
    if "sentiment_label" not in f or not len(f):
        return ""
    share = f["sentiment_label"].value_counts(normalize=True)
    pos, neg = float(share.get("positive", 0)), float(share.get("negative", 0))
    text = f"{pos:.0%} of the {len(f):,} posts are positive and {neg:.0%} negative"
    from lib.listening.shares import all_exact, is_calibrated, share_range

    est = data.shares
    if est and all_exact(est["interval"]):  # every post labelled: the labels counted
        text = (f"{est['overall']['positive']:.0%} of the {len(f):,} posts are positive and "
                f"{est['overall']['negative']:.0%} negative, as the analyst labelled every one of them")
    elif est and is_calibrated(est):  # the analyst's labels calibrated it: quote the estimate
        r = est["interval"]["overall"]
        text = (f"An estimated {est['overall']['positive']:.0%} of the {len(f):,} posts are positive (range "
                f"{share_range(r['positive'])}) and {est['overall']['negative']:.0%} negative "
                f"({share_range(r['negative'])}), calibrated on {est['labels_used']:,} labels")
    thirds = period_thirds(f)
    if thirds and len(thirds[0]) and len(thirds[1]):
        a, b = ((x["sentiment_label"] == "negative").mean() for x in thirds)
        text += share_change("the negative share", a, len(thirds[0]), b, len(thirds[1]))
    return text + "."


def _alerts(data: ReportData) -> str:
    from lib.listening.alerts import SPAM_NOTE, daily, own_periods, span

    if "sentiment_label" not in data.frame or "created_at" not in data.frame:
        return ""
    alerts = alerts_of(data)
    if not alerts:
        unit = own_periods(daily(data.frame))[1]
        return f"No spike alerts at sensitivity {data.sensitivity:g}: no {unit} broke from the usual level."
    a = max(alerts, key=excess_posts)
    when = span(a)
    words = f", about {', '.join(a.terms[:3])}" if a.terms and not a.terms_tentative else ""  # only what is sure
    what = a.compared_with.rstrip(".") if a.compared_with else (
        f"{a.posts:,} posts against {a.expected_posts:,.0f} expected, {a.negative_share:.0%} negative against "
        f"a usual {a.baseline_negative_share:.0%}")
    if a.spam_share >= SPAM_NOTE:  # a spam wave is not a conversation: said before anyone quotes it
        what += f"; {a.spam_share:.0%} of its {'negative ' if 'negative share' in a.kinds else ''}posts look like spam"
    if len(alerts) == 1:
        return f"1 spike alert, {when}{words}: {what}."
    return f"{len(alerts)} spike alerts; the biggest, {when}{words}: {what}."


def excess_posts(alert: Alert) -> float:
    """How many posts an alert is above the usual: more posts than expected, or more negative posts than the
    usual negative share would give. The "biggest" alert is the one with the most, not the highest z-score: on
    real YouTube comments 34 posts against 1 expected scored z 6.8, 492 against 47 only 5.0."""
    return max(alert.posts - alert.expected_posts,
               alert.posts * (alert.negative_share - alert.baseline_negative_share))


def _works(data: ReportData) -> str:
    """What works, from the engagement the export counts: the post type (else platform) whose typical post
    engages best and the one whose typical post engages least, beside the typical post of all, when they differ
    from it by a tenth or more. A real Facebook page export's summary said nothing about its engagement; its
    typical photo engaged 2.5 % of its reach, its typical video 0.5 %, against 2.1 % for the typical post."""
    from lib.ingest.schema import PLATFORM_NAMES
    from lib.kpis.leaderboards import engagement_by_group

    f = data.frame
    for by in ("post_type", "platform"):
        t = engagement_by_group(f, by)
        if len(t):
            break
    else:
        return ""
    unit, overall = t.attrs["unit"], t.attrs["overall"]
    best, worst = t.iloc[0], t.iloc[-1]
    rate = unit.startswith("engagement rate")

    def name(row: pd.Series) -> str:
        key = str(row[by])
        return f"{key} posts" if by == "post_type" else f"posts on {PLATFORM_NAMES.get(key, key)}"

    def shown(v: float) -> str:
        return f"{v:.1%}" if rate else f"{v:,.0f}"

    if shown(best["figure"]) == shown(worst["figure"]) or (best["figure"] < overall * 1.1
                                                            and worst["figure"] > overall * 0.9):
        return ""  # no group stands out (or the best and the worst read the same, "0.0%")
    measure = unit if rate else "engagements"
    return (f"{name(best)[0].upper() + name(best)[1:]} engage best and {name(worst)} least: {measure} of the "
            f"typical post {shown(best['figure'])} ({best['posts']:,} posts) and {shown(worst['figure'])} "
            f"({worst['posts']:,} posts), against {shown(overall)} for the typical post overall.")


def _segment_tone(segment: pd.Series, frame: pd.DataFrame) -> str:
    """A segment's negative and positive shares beside all posts': the figures its name ("Critical posts") was
    read from. Its mean score was quoted before and contradicted the name: on a real four-language export
    "Critical posts ... mean VADER score -0.00" (VADER misses polite complaints, and for posts in other languages
    the score is not VADER's)."""
    neg, pos = segment.get("negative_share"), segment.get("positive_share")
    if neg is None or pos is None or pd.isna(neg) or pd.isna(pos):
        return ""
    said = f", {neg:.0%} of its posts negative and {pos:.0%} positive"
    if "sentiment_label" in frame and len(frame):
        label = frame["sentiment_label"]
        said += f" (all posts: {(label == 'negative').mean():.0%} and {(label == 'positive').mean():.0%})"
    return said


def _who(data: ReportData) -> str:
    p = data.personas
    if p is not None and "segment" in p:  # the noise row is not a segment: never "the largest", never counted
        from lib.audience.result import NOISE

        p = p[p["segment"] != NOISE]
    if p is not None and len(p) and {"name", "share"} <= set(p.columns):
        big = p.sort_values("share", ascending=False).iloc[0]
        if re.fullmatch(r"(Posts|Authors)( #\d+)?", str(big["name"])):  # a name that says nothing about it
            return ""
        what = "posts" if (data.audience_metrics or {}).get("unit") == "posts" else "authors"
        return (f"The largest audience segment, {cut(big['name'], 60)}, is {big['share']:.0%} of {what}"
                + _segment_tone(big, data.frame) + f", out of {len(p)} segments.")
    from lib.listening.people import authors, rank

    f = data.frame
    if "sentiment_label" not in f:
        return ""
    table = authors(f)
    if not len(table):
        return ""
    bits = []
    for kind, word, first in (("detractors", "detractor", "negative"), ("advocates", "advocate", "positive")):
        top = rank(table, kind, min_posts=2, n=1)
        if len(top):  # both shares: "33 % positive" alone reads oddly for an advocate until "0 % negative" follows
            r = top.iloc[0]
            second = "positive" if first == "negative" else "negative"
            bits.append(f"the top {word} is {cut(r['author'], 40)} ({r['posts']:,} posts: {r['share_' + first]:.0%} "
                        f"{first}, {r['share_' + second]:.0%} {second}; {r['followers']:,.0f} followers)")
    if not bits:
        return ""
    s = "; ".join(bits)
    return s[0].upper() + s[1:] + "."


def _next(data: ReportData) -> str:
    """One suggestion from the data: the topic with the most negative posts, else the complaints."""
    t, f = data.topics, data.frame
    if t is not None and spam_topics(data):
        t = t[~t["topic"].isin(spam_topics(data))]
    if t is not None and len(t) and {"label", "size", "negative_share"} <= set(t.columns):
        n = (t["size"] * t["negative_share"]).round()
        if n.notna().any() and n.max() > 0:
            r = t.loc[n.idxmax()]
            return (f"Next: answer the {int(n.max()):,} negative posts about {cut(r['label'], 60)}, the topic with "
                    f"the most ({r['negative_share']:.0%} of its {int(r['size']):,} posts).")
    if "intent" in f:
        complaints = f[f["intent"] == COMPLAINT]
        if len(complaints):
            alerts = alerts_of(data)
            biggest = max(alerts, key=excess_posts) if alerts else None
            words = biggest.terms[:2] if biggest is not None and not biggest.terms_tentative else []
            return (f"Next: answer the {len(complaints):,} complaints ({len(complaints) / len(f):.0%} of posts)"
                    + (f", starting with those about {' and '.join(words)}" if words else "") + ".")
    return ""


def _by_topic(data: ReportData) -> bool:
    """Are the quotes the largest topics' typical posts (else the typical positive and negative ones)?"""
    t = data.topics
    return t is not None and bool(len(t)) and "topic" in data.frame and "topic" in t


def quotes(data: ReportData, n: int = 3) -> list[str]:
    """Two or three distinct, short posts, none flagged as spam or bot-like: the first such representative post of
    the largest topics when topics exist (`ReportData.representatives`, else the topic's most confidently scored
    post), else the most typical positive and negative posts (the ones closest to their label's median score).
    Posts without a link come first: a client reads the audience's words, not "#Libyahttps://t.co/BMPW9p9lvG" (a
    quote of real TweetEval tweets); a post with a link is quoted only where its topic has no other. A post needs
    `WORDED` words (`worded`) besides its @handles and links where any post has them. Posts with
    profanity or a slur (`lib.topics.describe.profane`) are quoted only where no other post fits."""
    f = data.frame
    if "text" not in f or not len(f):
        return []
    text = f["text"].astype(str)
    fits = text.str.len().between(30, 400)

    def rather(wanted: pd.Series) -> pd.Series:  # the posts that fit and are `wanted`, where there are any
        return fits & wanted if (fits & wanted).any() else fits

    fits = rather(worded(text))  # words, not a row of handles ("@SpotifyCares @3537 @3212 Thank you")
    flags = spam_flags(data)
    if flags is not None:
        fits = rather(~flags)  # a client is never handed spam as the audience's words
    fits = rather(~profane(text))  # nor slurs and swearing, where other posts speak too
    picks: list[str] = []

    def add(rows: pd.DataFrame) -> None:
        texts = rows["text"].astype(str)
        linked = texts.str.contains(LINK)
        for s in pd.concat([texts[~linked], texts[linked]]):
            c = cut(s)
            if c and c not in picks:
                picks.append(c)
                return

    t = data.topics
    if t is not None and _by_topic(data):
        reps = data.representatives or {}
        for topic in t.sort_values("share", ascending=False)["topic"].head(n):
            ids = [str(x) for x in reps.get(topic, [])]
            if ids and "post_id" in f:  # the fit's own representative posts, closest to the centre first
                rows = f[fits & f["post_id"].astype(str).isin(ids)]
                rows = rows.iloc[rows["post_id"].astype(str).map(ids.index).argsort()]
            else:  # the topic's most confidently scored posts
                rows = f[fits & (f["topic"] == topic)]
                if "sentiment_confidence" in f:
                    rows = rows.sort_values("sentiment_confidence", ascending=False)
            add(rows)
    elif "sentiment_label" in f and "sentiment" in f:
        for label in ("positive", "negative"):
            rows = f[fits & (f["sentiment_label"] == label)]
            if len(rows):
                add(rows.iloc[(rows["sentiment"] - rows["sentiment"].median()).abs().argsort()])
    return picks[:n]
