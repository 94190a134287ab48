"""Guided exercises on the two course scenarios, with every number they quote computed from the app's own
analysis of the sample (so the text always matches what the student sees on the pages).

An exercise is a list of steps; each step says where to look (a page and the filters to open it with), asks
a question, has a hint that nudges, and a 'what the data says' that the student can reveal after answering.
Texts are templates filled from `facts()`.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Step:
    key: str
    title: str
    look: str                 # what to look at, with {facts}
    question: str
    hint: str
    answer: str               # what the data says, with {facts}: revealed on request
    page: str                 # the page that shows it
    filters: dict = field(default_factory=dict)  # widget key -> value set before opening the page
    open_label: str = "Open the page"


@dataclass(frozen=True)
class Exercise:
    key: str
    sample: str               # lib.ingest.samples key
    title: str
    brief: str
    steps: tuple[Step, ...]
    facts: Callable[[pd.DataFrame, pd.DataFrame | None], dict[str, str]]


def _pct(x: float) -> str:
    return f"{x:.0%}" if x == x else "n/a"


def _net(df: pd.DataFrame) -> float:
    if df.empty:
        return float("nan")
    share = df["sentiment_label"].value_counts(normalize=True)
    return float(share.get("positive", 0) - share.get("negative", 0))


def _mentions(df: pd.DataFrame, pattern: str) -> pd.Series:
    return df["text"].fillna("").str.contains(pattern, case=False, regex=True)


def _halves(df: pd.DataFrame, days: int) -> tuple[pd.Series, pd.Series]:
    """Masks of the first and last `days` days of the data."""
    t = df["created_at"]
    return t < t.min() + pd.Timedelta(days=days), t > t.max() - pd.Timedelta(days=days)


# ---------------------------------------------------------------------------------------------- GamerFuel
SAVOURY = r"savou?ry|salty|crisps|salt & vinegar|\bbbq\b|sour cream|chilli|cheese"
def gamerfuel_facts(f: pd.DataFrame, segments: pd.DataFrame | None = None) -> dict[str, str]:
    from lib.listening.alerts import detect

    gf = f[f["brand"] == "GamerFuel"]
    out = {"posts": f"{len(f):,}", "gf_posts": f"{len(gf):,}", "gf_negative": _pct((gf["sentiment_label"] ==
                                                                                     "negative").mean())}
    alerts = detect(gf)
    if not alerts:
        raise ValueError("the GamerFuel sample shows no spike alert: is this the GamerFuel sample?")
    a = alerts[0]
    neg_day = (gf[gf["sentiment_label"] == "negative"].groupby(gf["created_at"].dt.normalize()).size())
    peak = neg_day.idxmax()
    amp = a.amplifiers.head(3)
    out |= {"alerts": str(len(alerts)), "alert_start": f"{a.start:%a %d %b}", "alert_end": f"{a.end:%a %d %b}",
            "alert_posts": f"{a.posts:,}", "alert_expected": f"{a.expected_posts:,.0f}",
            "alert_negative": _pct(a.negative_share), "alert_base_negative": _pct(a.baseline_negative_share),
            "peak_day": f"{peak:%a %d %b}", "peak_negative": f"{int(neg_day.max()):,}",
            "lead_days": str(max(0, (peak.normalize() - a.start.normalize()).days)),
            "terms": ", ".join(a.terms[:4]),
            "amplifiers": ", ".join(f"{r.author} ({r.followers:,.0f} followers)" for r in amp.itertuples()),
            "top_term": a.terms[0] if a.terms else "aftertaste"}
    window = gf[(gf["created_at"] >= a.start) & (gf["created_at"] < a.end + pd.Timedelta(days=1))]
    neg = window[window["sentiment_label"] == "negative"]
    out["window_aftertaste"] = _pct(_mentions(neg, "aftertaste").mean())
    out["window_packaging"] = _pct(_mentions(neg, r"packag|wrapper|bag|open").mean())
    out["streamer_share"] = _pct(neg["author"].str.endswith("TV").mean())
    sav = _mentions(f, SAVOURY)
    first, last = _halves(f, 14)
    out |= {"savoury_posts": f"{int(sav.sum()):,}", "savoury_first": _pct(sav[first].mean()),
            "savoury_last": _pct(sav[last].mean()), "savoury_net": f"{_net(f[sav]):+.2f}",
            "savoury_gf": f"{int((sav & (f['brand'] == 'GamerFuel')).sum()):,}",
            "savoury_rivals": f"{int((sav & (f['brand'] != 'GamerFuel')).sum()):,}",
            "all_net": f"{_net(f):+.2f}"}
    return out


GAMERFUEL = Exercise(
    key="gamerfuel", sample="gamerfuel", title="GamerFuel: the aftertaste crisis",
    brief="You are GamerFuel's social media analyst. {posts} posts over 60 days mention GamerFuel and two "
          "competitors; {gf_posts} are about GamerFuel. Something went wrong in September. Find it, explain it, and "
          "find the opportunity hiding in the conversation.",
    facts=gamerfuel_facts,
    steps=(
        Step("crisis", "Catch the crisis early",
             look="Open Listening with GamerFuel selected, on its **Spike alerts** tab: the app compares every "
                  "day with the 14 days before it. Over the whole period {gf_negative} of GamerFuel's posts are "
                  "negative; the alert found {alerts} window(s) where that broke.",
             question="On which day would an alert have warned the team, how big was the break, and how many "
                      "days before the worst day did it come?",
             hint="The shaded window in the Spike alerts chart starts on the first day the alert fired. Compare "
                  "its negative share with the usual one, and find the day with the most negative posts.",
             answer="The alert fires on {alert_start} ({alert_posts} posts against about {alert_expected} "
                    "expected; {alert_negative} negative against a usual {alert_base_negative}) and lasts to "
                    "{alert_end}. The worst day, {peak_day} with {peak_negative} negative posts, came {lead_days} "
                    "day(s) after the first alert: that is the time the team had to respond.",
             page="pages/listening.py", filters={"li_brand": ["GamerFuel"], "li_tab": "Spike alerts"},
             open_label="Open Listening (GamerFuel)"),
        Step("drivers", "Find its drivers and amplifiers",
             look="Open Listening with GamerFuel's **negative** posts. The alert lists the words that drove it and "
                  "the authors who carried it furthest.",
             question="What are people complaining about, and which accounts spread it? Is it one problem or two?",
             hint="Read the alert's 'driven by' terms, then search the posts for the top term ({top_term}). "
                  "Amplifiers are ranked by audience and engagement, not by how many posts they wrote.",
             answer="The alert is driven by: {terms}. In its window, {window_aftertaste} of GamerFuel's negative "
                    "posts mention the aftertaste and {window_packaging} the packaging (two problems, a recipe and "
                    "a bag). The biggest amplifiers: {amplifiers}; streamers wrote {streamer_share} of the "
                    "negative posts in the window.",
             page="pages/listening.py", filters={"li_brand": ["GamerFuel"], "li_sent": ["negative"], "li_tab": "Spike alerts"},
             open_label="Open Listening (negative GamerFuel posts)"),
        Step("savoury", "Spot the savoury-snack opportunity",
             look="Open Listening with the text search set to **savoury**, then try **salty** and **crisps**.",
             question="Is there demand GamerFuel does not serve yet? How fast is it growing, how do people feel "
                      "about it, and who serves it today?",
             hint="Compare how often the theme comes up early and late in the period, and look at which brands "
                  "the posts name.",
             answer="{savoury_posts} posts talk about savoury or salty snacks: {savoury_first} of all posts in the "
                    "first two weeks, {savoury_last} in the last two. Their net sentiment is {savoury_net} (all "
                    "posts: {all_net}); {savoury_gf} are about GamerFuel, {savoury_rivals} about its competitors. A "
                    "growing, positive want that competitors answer: a savoury line is the opportunity.",
             page="pages/listening.py", filters={"li_search": "savoury", "li_tab": "Over time"}, open_label="Open Listening ('savoury')"),
    ),
)


# ---------------------------------------------------------------------------------------------- ConnectSphere
THEMES = {  # the features people talk about in the ConnectSphere launch, as plain word patterns
    "networking suggestions": r"network|match|people[- ]to[- ]meet|intro",
    "session summaries": r"summar|recap|session notes",
    "personalised agenda": r"agenda|recommended sessions|suggested schedule",
    "privacy": r"privacy|creepy|intrusive|invasive|tracking|data retention|stores about",
    "API access": r"\bapi\b",
}
INFERENCE = r"based on my|my profile|job title|think .{0,40}wants|guessed|as (?:an?|the) \w+\b.{0,30}(?:irrelevant|keeps)"


def connectsphere_facts(f: pd.DataFrame, segments: pd.DataFrame | None = None) -> dict[str, str]:
    from lib.listening.alerts import driver_terms, engagement

    out = {"posts": f"{len(f):,}", "days": str(f["created_at"].dt.normalize().nunique()),
           "all_net": f"{_net(f):+.2f}"}
    rows = []
    for name, pattern in THEMES.items():
        m = _mentions(f, pattern)
        rows.append((name, int(m.sum()), _net(f[m])))
    themes = pd.DataFrame(rows, columns=["theme", "posts", "net"]).sort_values("net")
    out["themes"] = "; ".join(f"{r.theme} {r.posts:,} posts, net {r.net:+.2f}" for r in themes.itertuples())
    out["worst_theme"], out["worst_net"] = themes.iloc[0]["theme"], f"{themes.iloc[0]['net']:+.2f}"
    best = themes.iloc[-1]
    out["best_theme"], out["best_net"] = best["theme"], f"{best['net']:+.2f}"
    agenda = f[_mentions(f, THEMES["personalised agenda"])]
    neg = agenda[agenda["sentiment_label"] == "negative"]
    out |= {"agenda_posts": f"{len(agenda):,}", "agenda_negative": _pct((agenda["sentiment_label"] == "negative")
                                                                         .mean()),
            "agenda_terms": ", ".join(driver_terms(neg["text"], f.loc[~f.index.isin(neg.index), "text"], 5)),
            "agenda_complaints": _pct((agenda["intent"] == "complaint / issue").mean())}
    first, last = _halves(f, 10)
    out["agenda_first"] = _pct((agenda.loc[first[agenda.index], "sentiment_label"] == "negative").mean())
    out["agenda_last"] = _pct((agenda.loc[last[agenda.index], "sentiment_label"] == "negative").mean())
    infer = agenda[_mentions(agenda, INFERENCE)]
    priv = f[_mentions(f, THEMES["privacy"])]
    out |= {"inference_posts": f"{len(infer):,}", "inference_share": _pct(len(infer) / max(len(agenda), 1)),
            "inference_negative": _pct((infer["sentiment_label"] == "negative").mean()),
            "privacy_posts": f"{len(priv):,}", "privacy_negative": _pct((priv["sentiment_label"] == "negative").mean()),
            "inference_example": _example(infer)}
    api = f[_mentions(f, THEMES["API access"])]
    org = _mentions(api, r"organi[sz]")
    eng = engagement(f)
    fol = f["followers"].astype(float) if "followers" in f else pd.Series(np.nan, index=f.index)
    out |= {"api_posts": f"{len(api):,}", "api_authors": f"{api['author'].nunique():,}",
            "api_organisers": _pct(org.mean()), "api_net": f"{_net(api):+.2f}",
            "api_asks": _pct(api["intent"].isin(["information request", "purchase intent"]).mean()),
            "api_followers": f"{fol[api.index].median():,.0f}", "all_followers": f"{fol.median():,.0f}",
            "api_engagement": f"{eng[api.index].mean():,.1f}", "all_engagement": f"{eng.mean():,.1f}"}
    if segments is not None and "segment_name" in segments:
        seg = segments.loc[agenda.index]
        rate = (seg["sentiment_label"] == "negative").groupby(seg["segment_name"]).agg(["mean", "size"])
        rate = rate[rate["size"] >= 10].sort_values("mean", ascending=False)
        out["who"] = _rates(rate)
        out["who_source"] = "audience segments"
    else:
        rate = (agenda["sentiment_label"] == "negative").groupby(agenda["platform"]).agg(["mean", "size"])
        rate = rate[rate["size"] >= 10].sort_values("mean", ascending=False)
        out["who"] = _rates(rate)
        out["who_source"] = "platforms (find segments on the Audience page to see it by persona)"
    return out


def _rates(rate: pd.DataFrame) -> str:
    return "; ".join(f"{n}: {m:.0%} of {int(s):,} agenda posts negative" for n, (m, s) in rate.head(4).iterrows())


def _example(df: pd.DataFrame) -> str:
    if df.empty:
        return "(none)"
    text = str(df["text"].iloc[0])
    return "“" + (text if len(text) <= 140 else text[:139] + "…") + "”"


CONNECTSPHERE = Exercise(
    key="connectsphere", sample="connectsphere", title="ConnectSphere: the AI Assist launch",
    brief="You advise ConnectSphere, a conference platform that launched AI Assist: networking suggestions, "
          "session summaries, a personalised agenda. {posts} posts over {days} days; net sentiment overall "
          "{all_net}. The board wants to know what to do next.",
    facts=connectsphere_facts,
    steps=(
        Step("insights", "Find the key strategic insights",
             look="Start on Overview and Listening, then Topics (press Find topics if you have not). Which "
                  "features do people praise, which do they complain about?",
             question="Which two or three findings should the product team hear first, and how sure are you?",
             hint="Compare the net sentiment of the features. A feature that many people mention and dislike "
                  "matters more than one that few mention.",
             answer="By feature (posts mentioning it, net sentiment): {themes}. Best received: {best_theme} "
                    "({best_net}); worst: {worst_theme} ({worst_net}).",
             page="pages/topics.py", open_label="Open Topics"),
        Step("agenda", "Diagnose the personalised agenda",
             look="Open Listening with the text search set to **agenda** (people also say *recommended "
                  "sessions* and *suggested schedule*). Read the negative posts and the Intent chart.",
             question="What exactly goes wrong with the agenda, for whom, and is it getting better or worse?",
             hint="Look at the words that set the negative agenda posts apart, and compare the first and last "
                  "days of the period.",
             answer="{agenda_posts} posts talk about the agenda; {agenda_negative} are negative and "
                    "{agenda_complaints} read as complaints. The words that set the complaints apart: "
                    "{agenda_terms}. Negative share in the first ten days {agenda_first}, in the last ten "
                    "{agenda_last}. By {who_source}: {who}.",
             page="pages/listening.py", filters={"li_search": "agenda", "li_tab": "Emotion & intent"}, open_label="Open Listening ('agenda')"),
        Step("ethics", "Work through the ethical dilemma",
             look="The agenda algorithm drifted: it now recommends sessions from what it infers about people "
                  "(their role, seniority, background) rather than what they chose. Search for **profile**, "
                  "**based on** and **job title**, then for **creepy**.",
             question="What do attendees notice, how do they feel about it, and what should ConnectSphere do: "
                      "keep the inference, explain it, let people opt out, or stop it? Who could be harmed?",
             hint="Count the posts that ask why the agenda chose what it did, and compare their tone with the "
                  "privacy worries. Think of who is misjudged when an algorithm guesses from a profile.",
             answer="{inference_posts} agenda posts ({inference_share} of them) question what the agenda "
                    "inferred about the person, for example {inference_example}; {inference_negative} of them "
                    "are negative. {privacy_posts} posts raise privacy worries, {privacy_negative} negative. "
                    "People notice the inference and do not accept it: the data supports explaining "
                    "recommendations, letting people opt out of inferred traits, and auditing who gets misjudged.",
             page="pages/listening.py", filters={"li_search": "profile", "li_tab": "Posts"}, open_label="Open Listening ('profile')"),
        Step("opportunity", "Pick an opportunity: API access for organisers",
             look="Open Listening with the text search set to **API**. Who writes these posts, and how much "
                  "reach do they have?",
             question="Who asks for an API, how valuable are they as customers, and what would you offer them?",
             hint="Look at the authors' followers and engagement against the average post, and at the intent "
                  "of the posts.",
             answer="{api_posts} posts from {api_authors} authors ask about an API; {api_organisers} of them "
                    "say they organise events, {api_asks} are requests or buying signals, net sentiment "
                    "{api_net}. Their median author has {api_followers} followers (all authors: "
                    "{all_followers}); their posts draw {api_engagement} interactions on average (all posts: "
                    "{all_engagement}). Few, influential, paying organisers: an API tier is a real opportunity.",
             page="pages/listening.py", filters={"li_search": "API", "li_tab": "Advocates & detractors"}, open_label="Open Listening ('API')"),
        Step("strategy", "Refine the personalisation strategy",
             look="Open Audience (press Find segments if you have not) and read the personas; then the KPI lab "
                  "with the 'Customer loyalty & advocacy' objective.",
             question="Write a three-point strategy: what to keep, what to fix and what to stop in "
                      "personalisation, and which KPI will tell you it worked.",
             hint="Build on the features people love, fix the one they do not for the people who suffer most, "
                  "and pick a value KPI (not likes) to track.",
             answer="Keep: {best_theme} (net {best_net}). Fix: the agenda ({agenda_negative} negative), first for "
                    "{who_source}: {who}. Stop: inferring traits people did not give ({inference_posts} posts "
                    "question it). Track net sentiment on agenda posts and the advocacy-weighted value score in "
                    "the KPI lab, not likes.",
             page="pages/audience.py", open_label="Open Audience"),
    ),
)

EXERCISES: dict[str, Exercise] = {e.key: e for e in (CONNECTSPHERE, GAMERFUEL)}
_FIELD = re.compile(r"\{(\w+)\}")


def fill(template: str, facts: dict[str, str]) -> str:
    """A step's text with its numbers; a missing fact is a bug in the exercise, so it raises KeyError."""
    return _FIELD.sub(lambda m: facts[m.group(1)], template)


def answers_table(exercise: Exercise, facts: dict[str, str], answers: dict[str, str]) -> pd.DataFrame:
    """The student's answers beside each step's question and what the data says: the export."""
    return pd.DataFrame([{"exercise": exercise.title, "step": i + 1, "title": s.title,
                          "question": s.question, "your_answer": answers.get(s.key, ""),
                          "what_the_data_says": fill(s.answer, facts)} for i, s in enumerate(exercise.steps)])


def answers_markdown(exercise: Exercise, facts: dict[str, str], answers: dict[str, str]) -> str:
    """The same as a plain-text (Markdown) hand-in: the student's text is quoted as it is."""
    lines = [f"# {exercise.title}", ""]
    for i, s in enumerate(exercise.steps):
        lines += [f"## {i + 1}. {s.title}", "", f"**Question.** {s.question}", "", "**Your answer.**", ""]
        lines += ["    " + line for line in (answers.get(s.key) or "(no answer yet)").splitlines()] + [""]
        lines += [f"**What the data says.** {fill(s.answer, facts)}", ""]
    return "\n".join(lines)
