"""The scorecard: every KPI with its value, a plain-language definition and its formula, shown next to the
number. None of them depends on the value weights, so the scorecard is computed once per dataset."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from lib.ingest.schema import ENGAGEMENT_SPLIT
from lib.kpis.authenticity import THRESHOLD, author_scores
from lib.kpis.engagement import ENGAGEMENT_PARTS, engagement, has_counts, numeric, rate_basis
from lib.kpis.value import ValueResult, quality_scores
from lib.listening.emotion import clear_emotion
from lib.listening.overview import human_count

MINUTES = "{:,.0f} min"  # a wait in minutes: shown as a care team says it (`in_words`)


def in_words(minutes: float) -> str:
    """A wait as a care team says it: "10 min", "11.5 h", "3.2 days"."""
    if pd.isna(minutes) or not np.isfinite(minutes):  # a brand none of whose conversations was answered
        return ""
    if minutes < 120:
        return f"{minutes:,.0f} min"
    return f"{minutes / 60:,.1f} h" if minutes < 48 * 60 else f"{minutes / 1440:,.1f} days"


@dataclass
class KPI:
    name: str
    value: float | str | None
    definition: str
    formula: str
    fmt: str = "{:,.0f}"
    needs: str = ""  # what the data lacks where value is None (the KPI lab lists it instead of an "n/a" card)

    def shown(self) -> str:
        if self.value is None or (isinstance(self.value, float) and np.isnan(self.value)):
            return "n/a"
        if self.fmt == MINUTES and not isinstance(self.value, str):  # "11.5 h", not "691 min"
            return in_words(float(self.value))
        return self.fmt.format(self.value) if not isinstance(self.value, str) else self.value

    def on_card(self) -> str:
        """`shown`, a count of a million or more as '14.8M': a card is a quarter of the page wide, and its
        exact figure ("14,792,974") was cut to "14,792,9…"."""
        if self.fmt == "{:,.0f}" and isinstance(self.value, (int, float, np.number)) and abs(self.value) >= 1e6:
            return human_count(self.value)
        return self.shown()

    def as_dict(self) -> dict:
        v = self.value
        if isinstance(v, (np.floating, np.integer)):
            v = v.item()
        if isinstance(v, float) and np.isnan(v):
            v = None
        return {"name": self.name, "value": v, "definition": self.definition, "formula": self.formula,
                "format": self.fmt}


def scorecard(posts: pd.DataFrame, model: ValueResult, freq: str | None = None) -> list[KPI]:
    """Every KPI with its value, definition and formula (none depends on the value weights)."""
    from lib.kpis.care import care_facts, care_kpis

    eng = engagement(posts)
    basis = rate_basis(posts)
    return (_volume(posts, eng) + _engagement_kpis(posts, model, eng, basis) + _sentiment_kpis(posts, eng, freq)
            + care_kpis(care_facts(posts)) + _authenticity_kpis(posts, model) + _conversion_kpis(posts, eng, basis))


def conversation_formula(columns: list[str]) -> str:
    """Conversation share divides the comments by the interactions given apart: a post with only an export's
    total (Meltwater's "Engagement") says nothing about its comments, so it is left out of both sides."""
    return "sum(comments) / sum(engagement)" if "engagements" not in columns else \
        "sum(comments) / sum(" + " + ".join(c for c in ENGAGEMENT_SPLIT if c in columns) + ")"


def _volume(posts: pd.DataFrame, eng: pd.Series) -> list[KPI]:
    parts = [c for c in ENGAGEMENT_PARTS if c in posts]
    return [
        KPI("Posts", len(posts), "Posts in the current view.", "count(posts)"),
        KPI("Likes (vanity)", numeric(posts, "likes").sum() if "likes" in posts else None,
            "Total likes: easy to get, says little about value.", "sum(likes)", needs="likes"),
        KPI("Impressions (vanity)", numeric(posts, "impressions").sum() if has_counts(posts, "impressions") else None,
            "Times posts were shown, including to the same person.", "sum(impressions)", needs="impressions"),
        KPI("Engagement", eng.sum() if parts else None, "Interactions with the posts.",
            " + ".join(f"sum({c})" for c in parts) or "needs likes/comments/shares", needs="likes, comments or shares"),
    ]


def _engagement_kpis(posts: pd.DataFrame, model: ValueResult, eng: pd.Series, basis: str | None) -> list[KPI]:
    """Engagement rate, conversation share, amplification and the Engagement Quality Score."""
    parts = [c for c in ENGAGEMENT_PARTS if c in posts]
    kpis = []
    if basis:
        den = numeric(posts, basis)
        pooled = eng[den > 0].sum() / den[den > 0].sum() if (den > 0).any() else np.nan
        kpis.append(KPI(f"Engagement rate (by {basis})", pooled,
                        f"Interactions per unit of {basis}: how much of the audience actually engaged.",
                        f"sum(engagement) / sum({basis})", "{:.2%}"))
    else:
        kpis.append(KPI("Engagement rate", None, "Needs reach, impressions, followers or views.", "engagement / reach",
                        needs="reach, impressions, followers or views"))
    if "comments" in posts and parts:
        split = sum(numeric(posts, c).fillna(0).sum() for c in ENGAGEMENT_SPLIT if c in posts)
        kpis.append(KPI("Conversation share", numeric(posts, "comments").sum() / max(split, 1),
                        "Share of engagement that is comments: substantive responses, not one-tap likes.",
                        conversation_formula(list(posts.columns)), "{:.1%}"))
    if has_counts(posts, "shares") and has_counts(posts, "likes"):
        kpis.append(KPI("Amplification ratio", numeric(posts, "shares").sum() / max(numeric(posts, "likes").sum(), 1),
                        "Shares per like: people vouching for the post to their own audience.",
                        "sum(shares) / sum(likes)", "{:.3f}"))
    kpis.append(quality_kpi(model))
    return kpis


RELATIVE_KPIS = frozenset({"Engagement Quality Score"})
"""KPIs whose value over the whole dataset is fixed by construction (the mean of percentiles within it: about 50 on
every export, 50 on a real Facebook page's). They stay in the command line's list with what they mean, and a
headline (the KPI lab's scorecard, the report's) leaves them out: their figure per brand, platform or post type is
in the group leaderboards."""


def quality_kpi(model: ValueResult) -> KPI:
    """The Engagement Quality Score over the posts, given at least one component that measures engagement."""
    scores = quality_scores(model.components)
    if scores is None:
        return KPI("Engagement Quality Score", None, "Needs comments, shares or saves: without any engagement count "
                   "it would score only sentiment and authenticity.", "100 x mean(components)", "{:.0f}")
    return KPI("Engagement Quality Score", float(scores.mean()), "Mean of conversation, amplification, saves, "
               "positive sentiment and authenticity percentiles within this dataset (0-100): relative, so all its "
               "posts together score about 50 by construction; a brand's, platform's or post type's score says how "
               "its posts compare.", "100 x mean(components)", "{:.0f}")


def _sentiment_kpis(posts: pd.DataFrame, eng: pd.Series, freq: str | None) -> list[KPI]:
    """Net sentiment and its velocity (dated posts with labels) and emotional resonance."""
    kpis = []
    if "sentiment_label" in posts and "created_at" in posts and posts["created_at"].notna().any():
        from lib.listening.trends import trajectory

        kpis += latest_sentiment(trajectory(posts, freq=freq))
    if "emotion" in posts:
        emo = clear_emotion(posts["emotion"])
        kpis.append(KPI("Emotional resonance", float(eng[emo].mean() / eng.mean()) if emo.any() and eng.mean() > 0
                        else None, "Engagement of posts that carry a clear emotion, relative to the average post "
                        "(above 1: emotion pays).", "mean(engagement | emotion) / mean(engagement)", "{:.2f}x",
                        needs="posts with a clear emotion" if eng.mean() > 0 else "engagement counts"))
    return kpis


def missing_kpis(kpis: list[KPI]) -> list[str]:
    """The KPIs without a value, each with what it needs ("Likes (vanity) needs likes"): one line where a row of
    "n/a" cards would say the same thing five times (review sentences without counts had five of seven)."""
    return [k.name + (f" needs {k.needs}" if k.needs else " has no value here") for k in kpis if k.shown() == "n/a"]


def latest_sentiment(trajectory: pd.DataFrame) -> list[KPI]:
    """Net sentiment and its velocity at the latest period with posts of a `trends.trajectory` table."""
    tr = trajectory.dropna(subset=["net"])
    if not len(tr):
        return []
    thin = ("enough posts in its latest window (10, and a tenth of a usual window's; the Listening page dates the "
            "last window that has them)")
    return [KPI("Net sentiment (latest)", tr["net_rolling"].iloc[-1],
                "Share positive - share negative of the posts of the latest periods together (7 days, 3 weeks "
                "or 3 months: the Listening page's rolling line), each post counted once.",
                "(positive - negative) / posts, over the rolling window", "{:+.2f}", needs=thin),
            KPI("Sentiment velocity", tr["velocity"].iloc[-1],
                "Change of net sentiment per period: negative means it is getting worse.",
                "net_rolling[t] - net_rolling[t-1]", "{:+.3f}", needs="a net sentiment (latest)")]


def _authenticity_kpis(posts: pd.DataFrame, model: ValueResult) -> list[KPI]:
    if model.bot_likeness is None:
        return []
    s = model.bot_likeness
    kpis = [KPI("Authentic posts", float((s < THRESHOLD).mean()),
                "Posts that show no bot/spam signal strong enough to flag (links, self-promotion, "
                "copy-paste, bursts, follower anomalies).", f"share(bot_likeness < {THRESHOLD})", "{:.1%}")]
    authors = author_scores(posts, s)
    if len(authors):
        kpis.append(KPI("Likely bot or spam authors", int(authors["likely_bot"].sum()),
                        "Authors whose posts look bot/spam-like on average.", f"mean(bot_likeness) >= {THRESHOLD}"))
    return kpis


def _conversion_kpis(posts: pd.DataFrame, eng: pd.Series, basis: str | None) -> list[KPI]:
    """Click-through, conversion and cost, where the export has those columns."""
    kpis = []
    if has_counts(posts, "clicks") and basis:
        kpis.append(KPI("Click-through rate", numeric(posts, "clicks").sum() / numeric(posts, basis).sum(),
                        f"Clicks per unit of {basis}.", f"sum(clicks) / sum({basis})", "{:.2%}"))
    conv = _extra(posts, ("conversions", "conversion", "leads", "purchases", "sales"))
    if conv is not None and has_counts(posts, "clicks"):
        kpis.append(KPI("Conversion rate", conv.sum() / max(numeric(posts, "clicks").sum(), 1),
                        "Conversions per click.", "sum(conversions) / sum(clicks)", "{:.2%}"))
    spend = _extra(posts, ("spend", "cost", "amount_spent", "amount spent", "budget"))
    if spend is not None:
        kpis.append(KPI("Cost per engagement", spend.sum() / max(eng.sum(), 1), "Spend per interaction.",
                        "sum(spend) / sum(engagement)", "{:,.3f}"))
    return kpis


def _extra(posts: pd.DataFrame, names: tuple[str, ...]) -> pd.Series | None:
    """An exported column beyond the canonical ones (spend, conversions), matched by name."""
    for c in posts.columns:
        if str(c).strip().lower() in names:
            s = pd.to_numeric(posts[c], errors="coerce")
            if s.notna().any():
                return s.fillna(0)
    return None
