"""The value score: per-post value components and a score whose weights the user tunes live.

Each post gets value *components* in [0, 1] (percentile ranks within the dataset, so a like and a share
are comparable). The value score is the weighted mean of the components the data supports; changing
weights is one matrix-vector product, so rankings follow a slider at once even on 100k posts.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from lib.kpis.authenticity import post_scores
from lib.kpis.engagement import engagement, engagement_rate, has_counts, numeric
from lib.kpis.signal import no_signal
from lib.kpis.weights import COMPONENTS, Weights
from lib.listening.emotion import clear_emotion

GROUP_COLUMNS = ["brand", "platform", "post_type"]
PAID_COLUMNS = ("paid", "boosted", "promoted", "sponsored", "funded content status")
OWN_GROUPS = ("campaign", "campaign_name", *PAID_COLUMNS)
"""Columns of the user's file (by name, any case) whose posts a marketer compares: campaigns, and paid against
organic (the UCI Facebook page's "Paid", 0 or 1, was in no table of the KPI lab)."""
_PAID = {"0": "organic", "false": "organic", "no": "organic", "1": "paid", "true": "paid", "yes": "paid"}
VANITY_PARTS = ("likes", "views", "impressions")


@dataclass(frozen=True, eq=False)  # frames inside: identity is equality
class ValueResult:
    """Per-post inputs of the value score, computed once per dataset (the expensive part)."""
    components: pd.DataFrame            # one column per available component, values in [0, 1]
    vanity: pd.Series                   # vanity score in [0, 1] (percentile of likes + views + impressions)
    unavailable: dict[str, str] = field(default_factory=dict)  # component -> why it is missing or has no signal
    groups: dict[str, tuple[np.ndarray, pd.DataFrame]] = field(default_factory=dict)  # by -> (codes, static table)
    bot_likeness: pd.Series | None = None  # per post, when the data has text (authenticity = 1 - this)
    vanity_rank: pd.Series | None = None   # rank of the vanity score (1 = best); does not depend on the weights
    trend_bases: dict[str, tuple[np.ndarray, pd.DataFrame]] = field(default_factory=dict)  # freq -> memo (trends)
    vanity_unavailable: str | None = None  # why vanity cannot rank (every post ties), e.g. "every post has 0 likes"


def _pct(s: pd.Series) -> pd.Series:
    """Percentile rank in [0, 1]; missing values get the median (0.5), so they neither help nor hurt."""
    if s.notna().sum() == 0:
        return pd.Series(0.5, index=s.index)
    return s.rank(pct=True, method="average").fillna(0.5)


def _add(comp: dict[str, pd.Series], why: dict[str, str], name: str, score: pd.Series, flat: str | None) -> None:
    """A component joins the model only where its raw values spread: ties rank nothing, so a flat one is
    unavailable with its reason ("no signal: every post has 0 shares")."""
    if flat:
        why[name] = f"no signal: {flat}"
    else:
        comp[name] = score


def _count_components(posts: pd.DataFrame, comp: dict[str, pd.Series], why: dict[str, str]) -> str | None:
    """Engagement rate, conversation, amplification and saves; returns the rate basis."""
    likes = numeric(posts, "likes")
    rate, basis = engagement_rate(posts)
    if basis:
        _add(comp, why, "engagement_rate", _pct(rate), no_signal(rate, "engagement rate", "{:.2%}"))
    else:
        why["engagement_rate"] = "needs reach, impressions, followers or views"
    for name, col in (("conversation", "comments"), ("amplification", "shares"), ("saves", "saves")):
        if not has_counts(posts, col):
            why[name] = f"needs {col}"
            continue
        val = numeric(posts, col)
        flat = no_signal(val.fillna(0), col)
        if name != "conversation":
            val = val / (likes.fillna(0) + 1)  # per like, +1 so a post with no likes is not infinite
        _add(comp, why, name, _pct(val), flat)
    return basis


_SIGN = {"positive": 1.0, "neutral": 0.0, "negative": -1.0}


def positive_reading(posts: pd.DataFrame) -> pd.Series | None:
    """How positive each post reads, -1 to +1, as the Listening page reads it: its sentiment label's sign times the
    label's confidence (a negative post the model is 90 % sure of: -0.9; neutral: 0; the user's label counts fully),
    VADER's compound for a post without a label. VADER's compound was the reading before 2026-12-05 and ranked the
    complaints VADER reads as friendly ("thanks for the 3 hour delay", "please help, my card is declined") among the
    posts of highest value. Per post, so any partition of the posts gives the same values (Dask engine)."""
    vader = pd.to_numeric(posts["sentiment"], errors="coerce") if "sentiment" in posts else None
    if "sentiment_label" not in posts:
        return vader
    conf = pd.to_numeric(posts["sentiment_confidence"], errors="coerce").fillna(1.0) \
        if "sentiment_confidence" in posts else pd.Series(1.0, index=posts.index)
    read = (posts["sentiment_label"].map(_SIGN) * conf).astype(float)
    return read.fillna(vader) if vader is not None else read


def listening_need(what: str, has_text: bool) -> str:
    """Why a component read from text (sentiment, emotion) is missing: the Listening step not run yet, or no text to
    read it from (a file of page metrics, where "run Listening" would send the user to a page that can do nothing)."""
    return f"needs {what} (run Listening)" if has_text else "needs text"


def _text_components(posts: pd.DataFrame, comp: dict[str, pd.Series], why: dict[str, str],
                     bots: pd.Series | None = None) -> pd.Series | None:
    """Positive sentiment, resonance and authenticity; returns the bot-likeness (None without text; `bots`: the
    posts' `post_scores`, when the caller has them)."""
    sentiment = positive_reading(posts)
    has_text = "text" in posts and posts["text"].notna().any()
    if sentiment is not None and sentiment.notna().any():
        _add(comp, why, "positive", ((sentiment + 1) / 2).fillna(0.5), no_signal(sentiment, "sentiment", "{:+.2f}"))
    else:
        why["positive"] = listening_need("sentiment", has_text)
    if "emotion" in posts:
        clear = clear_emotion(posts["emotion"])
        _add(comp, why, "resonance", clear.astype(float),
             no_signal(clear.map({True: "a clear emotion", False: "no clear emotion"})))
    else:
        why["resonance"] = listening_need("emotion", has_text)
    bots = (post_scores(posts) if bots is None else bots.reindex(posts.index)) if has_text else None
    if bots is not None:
        _add(comp, why, "authenticity", 1 - bots, no_signal(bots.round(3), "bot/spam-likeness", "{:.2f}",
                                                         min_spread=0))
    else:
        why["authenticity"] = "needs text"
    return bots


def _reach_components(posts: pd.DataFrame, basis: str | None, comp: dict[str, pd.Series],
                      why: dict[str, str]) -> None:
    if has_counts(posts, "clicks") and basis:
        clicks, den = numeric(posts, "clicks"), numeric(posts, basis)
        _add(comp, why, "click_through", _pct(clicks / den.where(den > 0)), no_signal(clicks.fillna(0), "clicks"))
    else:
        why["click_through"] = "needs clicks and reach/impressions"
    if has_counts(posts, "reach") or has_counts(posts, "impressions"):
        col = "reach" if has_counts(posts, "reach") else "impressions"
        _add(comp, why, "reach", _pct(numeric(posts, col)), no_signal(numeric(posts, col).fillna(0), col))
    else:
        why["reach"] = "needs reach or impressions"


def fit_value_model(posts: pd.DataFrame, bots: pd.Series | None = None) -> ValueResult:
    """Components the data supports (each missing or flat one says why), the vanity score (with why it cannot
    rank where every post ties) and the weight-independent part of every group leaderboard. `bots`: the posts'
    bot/spam-likeness (`lib.kpis.authenticity.post_scores`) where the caller keeps it; computed otherwise."""
    comp: dict[str, pd.Series] = {}
    why: dict[str, str] = {}
    basis = _count_components(posts, comp, why)
    bots = _text_components(posts, comp, why, bots)
    _reach_components(posts, basis, comp, why)
    vanity_raw = (numeric(posts, "likes").fillna(0) + numeric(posts, "views").fillna(0)
                  + numeric(posts, "impressions").fillna(0))
    vanity = _pct(vanity_raw)
    present = [c for c in VANITY_PARTS if c in posts]
    flat = no_signal(vanity_raw, " + ".join(present)) if present else "it has no likes, views or impressions"
    hidden = [] if flat is None else ["mean_vanity", "vanity_rank"]
    if "likes" not in posts or no_signal(numeric(posts, "likes").fillna(0)):
        hidden.append("likes")
    if no_signal(engagement(posts)):
        hidden.append("engagement")
    groups = {}
    quality = quality_scores(pd.DataFrame(comp, index=posts.index))
    for by in GROUP_COLUMNS + [c for c in posts.columns if str(c).strip().lower() in OWN_GROUPS]:
        if by in posts and posts[by].nunique() > 1:
            groups[by] = _group_static(posts, vanity, by, hidden, quality)
    return ValueResult(pd.DataFrame(comp, index=posts.index), vanity, why, groups, bots,
                       vanity.rank(ascending=False, method="min").astype(int), vanity_unavailable=flat)


QUALITY_COMPONENTS = ("conversation", "amplification", "saves", "positive", "authenticity")
ENGAGEMENT_COMPONENTS = ("conversation", "amplification", "saves")


def quality_scores(components: pd.DataFrame) -> pd.Series | None:
    """Each post's Engagement Quality Score, 0-100: the mean of its quality components (percentiles within the
    dataset), or None without a component that measures engagement (on real YouTube comments, with no counts at
    all, it scored 63 from sentiment and authenticity alone). Relative by construction: the dataset as a whole
    averages about 50, so it says something only for a part of the posts (a brand, platform or post type)."""
    if not any(c in components for c in ENGAGEMENT_COMPONENTS):
        return None
    return components[[c for c in QUALITY_COMPONENTS if c in components]].mean(axis=1) * 100


def _group_static(posts: pd.DataFrame, vanity: pd.Series, by: str, hidden: list[str],
                  quality: pd.Series | None = None) -> tuple[np.ndarray, pd.DataFrame]:
    """Everything of a group leaderboard that does not depend on the weights, computed once. Likes, engagement
    and vanity are left out where they have no signal (every post ties: the columns would only show zeros);
    `quality`: the posts' Engagement Quality Scores, whose mean per group is where that score says something."""
    values = posts[by].astype("string").str.strip()
    if str(by).strip().lower() in PAID_COLUMNS and set(values.dropna().str.lower()) <= set(_PAID):  # paid or not
        values = values.str.lower().map(_PAID).astype("string")
    codes, cats = pd.factorize(values.fillna("(none)"), sort=True)
    k = len(cats)
    n = np.bincount(codes, minlength=k)
    table = pd.DataFrame({by: np.asarray(cats, dtype=object), "posts": n,
                          "likes": np.bincount(codes, numeric(posts, "likes").fillna(0).to_numpy(), k),
                          "engagement": np.bincount(codes, engagement(posts).to_numpy(dtype=float), k),
                          "mean_vanity": np.bincount(codes, vanity.to_numpy(), k) / np.maximum(n, 1)})
    table["vanity_rank"] = table["mean_vanity"].rank(ascending=False, method="min").astype(int)
    if quality is not None:
        table["engagement_quality"] = np.bincount(codes, quality.to_numpy(dtype=float), k) / np.maximum(n, 1)
    return codes, table.drop(columns=hidden)


TEXT_ONLY = ("positive", "resonance", "authenticity")  # the value components a post's text alone gives


def text_only_note(model: ValueResult) -> str | None:
    """What the value score means where no count says what any post did (a support inbox): the same words on the
    KPI lab and in the report; None where engagement, reach or views count."""
    if not text_only(model):
        return None
    counts = ("No count in this data (likes, comments, shares, reach, views) tells its posts apart"
              if model.vanity_unavailable else "Beyond likes, views or impressions (the vanity ranking's), no count "
              "in this data (comments, shares, reach) tells its posts apart")
    return (f"{counts}, so the value score reads only how posts are written (sentiment, emotion, authenticity): it "
            "ranks how posts read, not which worked.")


def text_only(model: ValueResult) -> bool:
    """Whether every value component comes from the posts' text alone (no count of what a post did spreads)."""
    return bool(len(model.components.columns)) and set(model.components.columns) <= set(TEXT_ONLY)


def value_score(model: ValueResult, weights: Weights) -> pd.Series:
    """Weighted mean of the components, in [0, 1]."""
    cols = list(model.components.columns)
    w = weights.normalised(cols)
    if not cols:
        return pd.Series(np.nan, index=model.components.index)
    x = model.components.to_numpy(dtype=float)
    return pd.Series(x @ np.array([w[c] for c in cols]), index=model.components.index, name="value_score")


def rankings(model: ValueResult, weights: Weights) -> pd.DataFrame:
    """value_score, vanity_score, their ranks (1 = best) and the rank difference per post."""
    value = value_score(model, weights)
    out = pd.DataFrame({"value_score": value, "vanity_score": model.vanity})
    out["value_rank"] = out["value_score"].rank(ascending=False, method="min").astype(int)
    out["vanity_rank"] = (model.vanity_rank if model.vanity_rank is not None
                          else out["vanity_score"].rank(ascending=False, method="min").astype(int))
    out["rank_change"] = out["vanity_rank"] - out["value_rank"]  # > 0: value ranks it higher than vanity
    return out


def explain(model: ValueResult, weights: Weights, row: int) -> str:
    """Why a post ranks differently by value than by vanity: its strongest and weakest weighted parts."""
    w = weights.normalised(list(model.components.columns))
    comp = model.components.iloc[row]
    contrib = {c: (comp[c] - 0.5) * w[c] for c in w if w[c] > 0}
    if not contrib:
        return ""
    best = max(contrib, key=contrib.__getitem__)
    worst = min(contrib, key=contrib.__getitem__)
    parts = []
    if contrib[best] > 0:
        parts.append(f"strong {COMPONENTS[best][0].lower()} ({comp[best]:.0%} percentile)")
    if contrib[worst] < 0:
        parts.append(f"weak {COMPONENTS[worst][0].lower()} ({comp[worst]:.0%} percentile)")
    return "; ".join(parts)
