"""KPIs that measure value, not vanity, and a value score whose weights the user tunes live.

Each post gets value *components* in [0, 1] (percentile ranks within the dataset, so a like and a share
are comparable). The value score is the weighted mean of the components the data supports; changing
weights is one matrix-vector product, so rankings follow a slider at once even on 100k posts.
Every KPI carries a plain-language definition and its formula (shown next to the number).
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from lib.kpis.authenticity import THRESHOLD, author_scores, post_scores

ENGAGEMENT_PARTS = ("likes", "comments", "shares", "saves")
RATE_BASES = ("reach", "impressions", "followers", "views")

COMPONENTS: dict[str, tuple[str, str]] = {
    # name: (plain label, what it rewards)
    "engagement_rate": ("Engagement rate", "engagement per person reached (or per impression / follower)"),
    "conversation": ("Conversation", "comments: people taking the time to answer"),
    "amplification": ("Amplification", "shares per like: people putting their name to it"),
    "saves": ("Saves", "saves per like: content worth coming back to"),
    "positive": ("Positive sentiment", "how positive the post and its reception read (VADER compound)"),
    "resonance": ("Emotional resonance", "the post carries a clear emotion"),
    "authenticity": ("Authenticity", "1 - bot/spam-likeness of the post and its author"),
    "click_through": ("Click-through", "clicks per person reached"),
    "reach": ("Reach", "people reached (awareness)"),
}

PRESETS: dict[str, dict[str, float]] = {
    "Brand awareness": {"reach": 0.30, "amplification": 0.25, "engagement_rate": 0.20, "positive": 0.15,
                        "authenticity": 0.10},
    "Lead generation": {"click_through": 0.40, "conversation": 0.20, "engagement_rate": 0.15, "authenticity": 0.15,
                        "saves": 0.10},
    "Customer loyalty & advocacy": {"positive": 0.30, "conversation": 0.25, "amplification": 0.20, "resonance": 0.15,
                                    "authenticity": 0.10},
    "Balanced": {c: 1.0 for c in COMPONENTS},
}


@dataclass
class KPI:
    name: str
    value: float | str | None
    definition: str
    formula: str
    fmt: str = "{:,.0f}"

    def shown(self) -> str:
        if self.value is None or (isinstance(self.value, float) and np.isnan(self.value)):
            return "n/a"
        return self.fmt.format(self.value) if not isinstance(self.value, str) else self.value

    def as_dict(self) -> dict:
        v = self.value
        if isinstance(v, (np.floating, np.integer)):
            v = v.item()
        if isinstance(v, float) and np.isnan(v):
            v = None
        return {"name": self.name, "value": v, "definition": self.definition, "formula": self.formula}


@dataclass
class ValueModel:
    """Per-post inputs of the value score, computed once per dataset (the expensive part)."""
    components: pd.DataFrame            # one column per available component, values in [0, 1]
    vanity: pd.Series                   # vanity score in [0, 1] (percentile of likes + views + impressions)
    unavailable: dict[str, str] = field(default_factory=dict)  # component -> why it is missing
    groups: dict[str, tuple[np.ndarray, pd.DataFrame]] = field(default_factory=dict)  # by -> (codes, static table)
    bot_likeness: pd.Series | None = None  # per post, when the data has text (authenticity = 1 - this)
    vanity_rank: pd.Series | None = None   # rank of the vanity score (1 = best); does not depend on the weights
    trend_bases: dict[str, tuple[np.ndarray, pd.DataFrame]] = field(default_factory=dict)  # freq -> memo


def _num(posts: pd.DataFrame, col: str) -> pd.Series:
    if col not in posts:
        return pd.Series(np.nan, index=posts.index, dtype=float)
    return pd.to_numeric(posts[col], errors="coerce").astype(float)


def _has(posts: pd.DataFrame, col: str) -> bool:
    return col in posts and _num(posts, col).notna().any() and _num(posts, col).fillna(0).sum() > 0


def engagement(posts: pd.DataFrame) -> pd.Series:
    """likes + comments + shares (+ saves where exported); a missing count counts as 0."""
    parts = [_num(posts, c).fillna(0) for c in ENGAGEMENT_PARTS if c in posts]
    return sum(parts) if parts else pd.Series(0.0, index=posts.index)


def rate_basis(posts: pd.DataFrame) -> str | None:
    """The denominator for engagement rate: reach, else impressions, else followers, else views."""
    return next((b for b in RATE_BASES if _has(posts, b)), None)


def engagement_rate(posts: pd.DataFrame) -> tuple[pd.Series, str | None]:
    basis = rate_basis(posts)
    if basis is None:
        return pd.Series(np.nan, index=posts.index), None
    den = _num(posts, basis)
    return engagement(posts) / den.where(den > 0), basis


def _pct(s: pd.Series) -> pd.Series:
    """Percentile rank in [0, 1]; missing values get the median (0.5), so they neither help nor hurt."""
    if s.notna().sum() == 0:
        return pd.Series(0.5, index=s.index)
    return s.rank(pct=True, method="average").fillna(0.5)


def value_model(posts: pd.DataFrame) -> ValueModel:
    """Components the data supports; each missing one says why."""
    comp: dict[str, pd.Series] = {}
    why: dict[str, str] = {}
    likes = _num(posts, "likes")
    rate, basis = engagement_rate(posts)
    if basis:
        comp["engagement_rate"] = _pct(rate)
    else:
        why["engagement_rate"] = "needs reach, impressions, followers or views"
    for name, col in (("conversation", "comments"), ("amplification", "shares"), ("saves", "saves")):
        if not _has(posts, col):
            why[name] = f"needs {col}"
            continue
        val = _num(posts, col)
        if name != "conversation":
            val = val / (likes.fillna(0) + 1)  # per like, +1 so a post with no likes is not infinite
        comp[name] = _pct(val)
    if "sentiment" in posts and pd.to_numeric(posts["sentiment"], errors="coerce").notna().any():
        comp["positive"] = ((pd.to_numeric(posts["sentiment"], errors="coerce") + 1) / 2).fillna(0.5)
    else:
        why["positive"] = "needs sentiment (run Listening, or text to read it from)"
    if "emotion" in posts:
        comp["resonance"] = (posts["emotion"].fillna("none") != "none").astype(float)
    else:
        why["resonance"] = "needs emotion (from text)"
    bots = post_scores(posts) if "text" in posts and posts["text"].notna().any() else None
    if bots is not None:
        comp["authenticity"] = 1 - bots
    else:
        why["authenticity"] = "needs text"
    if _has(posts, "clicks") and basis:
        comp["click_through"] = _pct(_num(posts, "clicks") / _num(posts, basis).where(_num(posts, basis) > 0))
    else:
        why["click_through"] = "needs clicks and reach/impressions"
    if _has(posts, "reach") or _has(posts, "impressions"):
        comp["reach"] = _pct(_num(posts, "reach") if _has(posts, "reach") else _num(posts, "impressions"))
    else:
        why["reach"] = "needs reach or impressions"
    vanity_raw = likes.fillna(0) + _num(posts, "views").fillna(0) + _num(posts, "impressions").fillna(0)
    vanity = _pct(vanity_raw)
    groups = {}
    for by in GROUP_COLUMNS + [c for c in posts.columns if str(c).strip().lower() in ("campaign", "campaign_name")]:
        if by in posts and posts[by].nunique() > 1:
            groups[by] = _group_static(posts, vanity, by)
    return ValueModel(pd.DataFrame(comp, index=posts.index), vanity, why, groups, bots,
                      vanity.rank(ascending=False, method="min").astype(int))


GROUP_COLUMNS = ["brand", "platform", "post_type"]


def _group_static(posts: pd.DataFrame, vanity: pd.Series, by: str) -> tuple[np.ndarray, pd.DataFrame]:
    """Everything of a group leaderboard that does not depend on the weights, computed once."""
    codes, cats = pd.factorize(posts[by].astype("string").fillna("(none)"), sort=True)
    k = len(cats)
    n = np.bincount(codes, minlength=k)
    table = pd.DataFrame({by: np.asarray(cats, dtype=object), "posts": n,
                          "likes": np.bincount(codes, _num(posts, "likes").fillna(0).to_numpy(), k),
                          "engagement": np.bincount(codes, engagement(posts).to_numpy(dtype=float), k),
                          "mean_vanity": np.bincount(codes, vanity.to_numpy(), k) / np.maximum(n, 1)})
    table["vanity_rank"] = table["mean_vanity"].rank(ascending=False, method="min").astype(int)
    return codes, table


def normalise_weights(weights: dict[str, float], available: list[str]) -> dict[str, float]:
    """Weights over the available components, summing to 1 (all equal if every weight is 0)."""
    w = {c: max(0.0, float(weights.get(c, 0.0))) for c in available}
    total = sum(w.values())
    if total <= 0:
        return {c: 1.0 / len(available) for c in available} if available else {}
    return {c: v / total for c, v in w.items()}


def value_score(model: ValueModel, weights: dict[str, float]) -> pd.Series:
    """Weighted mean of the components, in [0, 1]."""
    cols = list(model.components.columns)
    w = normalise_weights(weights, cols)
    if not cols:
        return pd.Series(np.nan, index=model.components.index)
    x = model.components.to_numpy(dtype=float)
    return pd.Series(x @ np.array([w[c] for c in cols]), index=model.components.index, name="value_score")


def rankings(model: ValueModel, weights: dict[str, float]) -> pd.DataFrame:
    """value_score, vanity_score, their ranks (1 = best) and the rank difference per post."""
    value = value_score(model, weights)
    out = pd.DataFrame({"value_score": value, "vanity_score": model.vanity})
    out["value_rank"] = out["value_score"].rank(ascending=False, method="min").astype(int)
    out["vanity_rank"] = (model.vanity_rank if model.vanity_rank is not None
                          else out["vanity_score"].rank(ascending=False, method="min").astype(int))
    out["rank_change"] = out["vanity_rank"] - out["value_rank"]  # > 0: value ranks it higher than vanity
    return out


def explain(model: ValueModel, weights: dict[str, float], row: int) -> str:
    """Why a post ranks differently by value than by vanity: its strongest and weakest weighted parts."""
    w = normalise_weights(weights, list(model.components.columns))
    comp = model.components.iloc[row]
    contrib = {c: (comp[c] - 0.5) * w[c] for c in w if w[c] > 0}
    if not contrib:
        return ""
    best = max(contrib, key=contrib.get)
    worst = min(contrib, key=contrib.get)
    parts = []
    if contrib[best] > 0:
        parts.append(f"strong {COMPONENTS[best][0].lower()} ({comp[best]:.0%} percentile)")
    if contrib[worst] < 0:
        parts.append(f"weak {COMPONENTS[worst][0].lower()} ({comp[worst]:.0%} percentile)")
    return "; ".join(parts)


def group_leaderboard(model: ValueModel, ranks: pd.DataFrame, by: str) -> pd.DataFrame:
    """Per group (brand, platform, post type, campaign): posts, likes, engagement, mean vanity and mean value
    with both ranks. Only the mean value depends on the weights: one bincount per slider move."""
    if by not in model.groups:
        return pd.DataFrame()
    codes, static = model.groups[by]
    out = static.copy()
    out["mean_value"] = np.bincount(codes, ranks["value_score"].to_numpy(), len(out)) / np.maximum(out["posts"], 1)
    out["value_rank"] = out["mean_value"].rank(ascending=False, method="min").astype(int)
    return out.sort_values("value_rank")


def top(ranks: pd.DataFrame, col: str, n: int = 10) -> pd.Index:
    """Index labels of the n best posts by a rank column (1 = best), without sorting all of them."""
    v = ranks[col].to_numpy()
    n = min(n, len(v))
    idx = np.argpartition(v, n - 1)[:n] if n else np.array([], dtype=int)
    return ranks.index[idx[np.argsort(v[idx], kind="stable")]]


def disagreements(ranks: pd.DataFrame, n: int = 10) -> pd.Index:
    """Index labels of the n posts whose vanity and value ranks differ most."""
    gap = -np.abs(ranks["rank_change"].to_numpy())
    n = min(n, len(gap))
    idx = np.argpartition(gap, n - 1)[:n] if n else np.array([], dtype=int)
    return ranks.index[idx[np.argsort(gap[idx], kind="stable")]]


def share_of_voice(posts: pd.DataFrame) -> pd.DataFrame:
    """Per brand: share of mentions vs share of influence (mentions weighted by log(1 + followers))."""
    if "brand" not in posts or posts["brand"].isna().all():
        return pd.DataFrame(columns=["brand", "mentions", "share_of_voice", "share_of_influence", "gap"])
    infl = np.log1p(_num(posts, "followers").fillna(0)) + 1  # an author with no known audience still counts 1
    df = pd.DataFrame({"brand": posts["brand"].astype("string").fillna("(none)"), "infl": infl})
    g = df.groupby("brand")
    out = pd.DataFrame({"mentions": g.size(), "influence": g["infl"].sum()})
    out["share_of_voice"] = out["mentions"] / out["mentions"].sum()
    out["share_of_influence"] = out["influence"] / out["influence"].sum()
    out["gap"] = out["share_of_influence"] - out["share_of_voice"]
    return out.reset_index()[["brand", "mentions", "share_of_voice", "share_of_influence", "gap"]] \
        .sort_values("share_of_voice", ascending=False)


def scorecard(posts: pd.DataFrame, model: ValueModel, freq: str | None = None) -> list[KPI]:
    """Every KPI with its value, definition and formula (none depends on the value weights)."""
    eng = engagement(posts)
    rate, basis = engagement_rate(posts)
    parts = [c for c in ENGAGEMENT_PARTS if c in posts]
    kpis = [
        KPI("Posts", len(posts), "Posts in the current view.", "count(posts)"),
        KPI("Likes (vanity)", _num(posts, "likes").sum() if "likes" in posts else None,
            "Total likes: easy to get, says little about value.", "sum(likes)"),
        KPI("Impressions (vanity)", _num(posts, "impressions").sum() if _has(posts, "impressions") else None,
            "Times posts were shown, including to the same person.", "sum(impressions)"),
        KPI("Engagement", eng.sum() if parts else None, "Interactions with the posts.",
            " + ".join(f"sum({c})" for c in parts) or "needs likes/comments/shares"),
    ]
    if basis:
        den = _num(posts, basis)
        pooled = eng[den > 0].sum() / den[den > 0].sum() if (den > 0).any() else np.nan
        kpis.append(KPI(f"Engagement rate (by {basis})", pooled,
                        f"Interactions per unit of {basis}: how much of the audience actually engaged.",
                        f"sum(engagement) / sum({basis})", "{:.2%}"))
    else:
        kpis.append(KPI("Engagement rate", None, "Needs reach, impressions, followers or views.", "engagement / reach"))
    if "comments" in posts and parts:
        kpis.append(KPI("Conversation share", _num(posts, "comments").sum() / max(eng.sum(), 1),
                        "Share of engagement that is comments: substantive responses, not one-tap likes.",
                        "sum(comments) / sum(engagement)", "{:.1%}"))
    if _has(posts, "shares") and _has(posts, "likes"):
        kpis.append(KPI("Amplification ratio", _num(posts, "shares").sum() / max(_num(posts, "likes").sum(), 1),
                        "Shares per like: people vouching for the post to their own audience.",
                        "sum(shares) / sum(likes)", "{:.3f}"))
    eqs = _eqs(model)
    kpis.append(KPI("Engagement Quality Score", eqs, "Mean of conversation, amplification, saves, positive "
                    "sentiment and authenticity percentiles available in the data (0-100).",
                    "100 x mean(components)", "{:.0f}"))
    if "sentiment_label" in posts and "created_at" in posts and posts["created_at"].notna().any():
        from lib.listening.trends import trajectory

        tr = trajectory(posts, freq=freq).dropna(subset=["net"])
        if len(tr):
            kpis.append(KPI("Net sentiment (latest)", tr["net_rolling"].iloc[-1],
                            "Share positive - share negative, rolling mean at the latest period.",
                            "rolling_mean(share_positive - share_negative)", "{:+.2f}"))
            kpis.append(KPI("Sentiment velocity", tr["velocity"].iloc[-1],
                            "Change of net sentiment per period: negative means it is getting worse.",
                            "net_rolling[t] - net_rolling[t-1]", "{:+.3f}"))
    if "emotion" in posts:
        emo = posts["emotion"].fillna("none") != "none"
        kpis.append(KPI("Emotional resonance", float(eng[emo].mean() / eng.mean()) if emo.any() and eng.mean() > 0
                        else None, "Engagement of posts that carry a clear emotion, relative to the average post "
                        "(above 1: emotion pays).", "mean(engagement | emotion) / mean(engagement)", "{:.2f}x"))
    if model.bot_likeness is not None:
        s = model.bot_likeness
        kpis.append(KPI("Authentic posts", float((s < THRESHOLD).mean()),
                        "Posts that show no bot/spam signal strong enough to flag (links, self-promotion, "
                        "copy-paste, bursts, follower anomalies).", f"share(bot_likeness < {THRESHOLD})", "{:.1%}"))
        authors = author_scores(posts, s)
        if len(authors):
            kpis.append(KPI("Likely bot or spam authors", int(authors["likely_bot"].sum()),
                            "Authors whose posts look bot/spam-like on average.", f"mean(bot_likeness) >= {THRESHOLD}"))
    if _has(posts, "clicks") and basis:
        kpis.append(KPI("Click-through rate", _num(posts, "clicks").sum() / _num(posts, basis).sum(),
                        f"Clicks per unit of {basis}.", f"sum(clicks) / sum({basis})", "{:.2%}"))
    conv = _extra(posts, ("conversions", "conversion", "leads", "purchases", "sales"))
    if conv is not None and _has(posts, "clicks"):
        kpis.append(KPI("Conversion rate", conv.sum() / max(_num(posts, "clicks").sum(), 1),
                        "Conversions per click.", "sum(conversions) / sum(clicks)", "{:.2%}"))
    spend = _extra(posts, ("spend", "cost", "amount_spent", "amount spent", "budget"))
    if spend is not None:
        kpis.append(KPI("Cost per engagement", spend.sum() / max(eng.sum(), 1), "Spend per interaction.",
                        "sum(spend) / sum(engagement)", "{:,.3f}"))
    return kpis


def _eqs(model: ValueModel) -> float | None:
    cols = [c for c in ("conversation", "amplification", "saves", "positive", "authenticity")
            if c in model.components]
    return float(model.components[cols].mean(axis=1).mean() * 100) if cols else None


def _extra(posts: pd.DataFrame, names: tuple[str, ...]) -> pd.Series | None:
    """An exported column beyond the canonical ones (spend, conversions), matched by name."""
    for c in posts.columns:
        if str(c).strip().lower() in names:
            s = pd.to_numeric(posts[c], errors="coerce")
            if s.notna().any():
                return s.fillna(0)
    return None


def _trend_base(posts: pd.DataFrame, vanity: pd.Series, freq: str) -> tuple[np.ndarray, pd.DataFrame]:
    """The weight-independent part of the trends: each post's period code (-1 without a date) and per period
    the posts, engagement, engagement rate and mean vanity."""
    from lib.listening.overview import period_start

    ok = posts["created_at"].notna()
    rate_basis_col = rate_basis(posts)
    df = pd.DataFrame({"period": period_start(posts.loc[ok, "created_at"], freq), "engagement": engagement(posts)[ok],
                       "vanity": vanity[ok]})
    if rate_basis_col:
        df["basis"] = _num(posts, rate_basis_col)[ok].fillna(0)
    g = df.groupby("period")
    out = pd.DataFrame({"posts": g.size(), "engagement": g["engagement"].sum(), "mean_vanity": g["vanity"].mean()})
    if rate_basis_col:
        out["engagement_rate"] = out["engagement"] / g["basis"].sum().where(g["basis"].sum() > 0)
    codes = np.full(len(posts), -1)
    codes[ok.to_numpy()] = out.index.get_indexer(df["period"])
    return codes, out.reset_index()


def trends(posts: pd.DataFrame, ranks: pd.DataFrame, freq: str, model: ValueModel | None = None) -> pd.DataFrame:
    """Per period: posts, engagement, engagement rate (when a basis exists), mean value and vanity scores.

    With the dataset's value model the weight-independent part is computed once per frequency and kept on the
    model, so a slider move costs one bincount."""
    if "created_at" not in posts or posts["created_at"].isna().all():
        return pd.DataFrame()
    if model is not None:
        if freq not in model.trend_bases:
            model.trend_bases[freq] = _trend_base(posts, model.vanity, freq)
        codes, base = model.trend_bases[freq]
    else:
        codes, base = _trend_base(posts, ranks["vanity_score"], freq)
    ok = codes >= 0
    out = base.copy()
    value = ranks["value_score"].to_numpy()[ok]
    out["mean_value"] = np.bincount(codes[ok], value, len(out)) / np.maximum(out["posts"].to_numpy(), 1)
    return out[["period", "posts", "engagement", "mean_value", "mean_vanity"] +
               (["engagement_rate"] if "engagement_rate" in out else [])]


def load_presets(text: str | None) -> dict[str, dict[str, float]]:
    """Custom presets saved in the workspace (name -> weights); unreadable entries are skipped."""
    try:
        data = json.loads(text) if text else {}
    except json.JSONDecodeError:
        return {}
    out = {}
    for name, weights in (data.items() if isinstance(data, dict) else []):
        try:
            out[str(name)] = weights_from_json(json.dumps(weights))
        except ValueError:
            continue
    return out


def dump_presets(presets: dict[str, dict[str, float]]) -> str:
    return json.dumps(presets, sort_keys=True)


def weights_to_json(weights: dict[str, float], name: str = "custom") -> str:
    return json.dumps({"name": name, "weights": {c: float(weights.get(c, 0.0)) for c in COMPONENTS}}, indent=2)


def weights_from_json(text: str) -> dict[str, float]:
    """Weights from JSON ({"weights": {...}} or a plain mapping). Raises ValueError with a plain message."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"The weights file is not valid JSON ({exc.msg}, line {exc.lineno}).") from None
    if isinstance(data, dict) and isinstance(data.get("weights"), dict):
        data = data["weights"]
    if not isinstance(data, dict):
        raise ValueError("The weights file must map KPI components to numbers.")
    unknown = [k for k in data if k not in COMPONENTS]
    if unknown:
        raise ValueError(f"Unknown component(s) {', '.join(map(str, unknown))}; known: {', '.join(COMPONENTS)}")
    out = {}
    for k, v in data.items():
        if isinstance(v, bool) or not isinstance(v, (int, float)) or v < 0 or v != v:
            raise ValueError(f"The weight of {k} must be a number >= 0, got {v!r}")
        out[k] = float(v)
    return out
