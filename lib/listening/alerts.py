"""Spike alerts: days whose volume or negative share breaks from a rolling baseline, grouped into
windows, each with what drove it (terms, posts) and who amplified it (authors by reach)."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd


@dataclass
class Alert:
    start: pd.Timestamp
    end: pd.Timestamp
    kinds: list[str]  # "volume", "negative share"
    posts: int
    expected_posts: float
    negative_share: float
    baseline_negative_share: float
    peak_z: float
    terms: list[str] = field(default_factory=list)
    post_ids: list[str] = field(default_factory=list)  # the posts that drive it, most engaged first
    amplifiers: pd.DataFrame = field(default_factory=pd.DataFrame)  # author, followers, posts, engagement

    def as_row(self) -> dict:
        return {"start": self.start.date().isoformat(), "end": self.end.date().isoformat(),
                "kind": " + ".join(self.kinds), "posts": self.posts, "expected_posts": round(self.expected_posts, 1),
                "negative_share": round(self.negative_share, 3),
                "baseline_negative_share": round(self.baseline_negative_share, 3), "peak_z": round(self.peak_z, 1),
                "terms": ", ".join(self.terms), "top_posts": " | ".join(self.post_ids[:5]),
                "amplifiers": ", ".join(self.amplifiers["author"].astype(str).head(5)) if len(self.amplifiers) else ""}


def daily(posts: pd.DataFrame, label_col: str = "sentiment_label") -> pd.DataFrame:
    """Posts and negative posts per calendar day (UTC), every day in the range present."""
    df = posts.dropna(subset=["created_at"])
    day = df["created_at"].dt.tz_convert("UTC").dt.normalize()
    out = pd.DataFrame({"posts": df.groupby(day).size(),
                        "negative": (df[label_col] == "negative").groupby(day).sum()})
    full = pd.date_range(out.index.min(), out.index.max(), freq="D", tz="UTC") if len(out) else out.index
    return out.reindex(full, fill_value=0).rename_axis("day")


DEFAULT_SENSITIVITY = 3.5  # about one false alarm in 4,000 steady days per series


def detect(posts: pd.DataFrame, sensitivity: float = DEFAULT_SENSITIVITY, baseline_days: int = 14, min_posts: int = 10,
           label_col: str = "sentiment_label") -> list[Alert]:
    """Alerts where a day's volume or negative share is `sensitivity` robust z-scores above the
    previous `baseline_days` days. Lower sensitivity finds more (and smaller) alerts."""
    d = daily(posts, label_col)
    if len(d) < 5:
        return []
    prev = d.shift(1)
    med = prev["posts"].rolling(baseline_days, min_periods=4).median()
    mad = (prev["posts"] - med).abs().rolling(baseline_days, min_periods=4).median()
    z_vol = (d["posts"] - med) / (1.4826 * mad + np.sqrt(med.clip(lower=1)))
    base_neg = prev["negative"].rolling(baseline_days, min_periods=4).sum()
    base_n = prev["posts"].rolling(baseline_days, min_periods=4).sum()
    p0 = ((base_neg + 1) / (base_n + 2)).clip(0.01, 0.99)
    share = d["negative"] / d["posts"].where(d["posts"] > 0)
    # the larger of the binomial spread and the spread the baseline days really showed (overdispersion)
    spread = np.maximum(p0 * (1 - p0) / d["posts"].clip(lower=1),
                        share.shift(1).rolling(baseline_days, min_periods=4).var().fillna(0))
    z_neg = (share - p0) / np.sqrt(spread)
    vol_hit = (z_vol >= sensitivity) & (d["posts"] >= min_posts)
    neg_hit = (z_neg >= sensitivity) & (d["negative"] >= max(3, min_posts // 2))
    hit = (vol_hit | neg_hit).fillna(False)
    alerts: list[Alert] = []
    days = d.index[hit]
    if not len(days):
        return alerts
    groups = (pd.Series(days).diff() > pd.Timedelta(days=2)).cumsum()
    for _, window in pd.Series(days).groupby(groups.to_numpy()):
        start, end = window.iloc[0], window.iloc[-1]
        span = d.loc[start:end]
        first = d.index.get_loc(start)
        kinds = [k for k, h in (("volume", vol_hit), ("negative share", neg_hit)) if h.loc[start:end].any()]
        alerts.append(_describe(posts, label_col, start, end, kinds, span,
                                expected=float(med.iloc[first]) * len(span),
                                base_share=float(p0.iloc[first]),
                                peak=float(np.nanmax([z_vol.loc[start:end].max(), z_neg.loc[start:end].max()]))))
    return alerts


def _describe(posts: pd.DataFrame, label_col: str, start: pd.Timestamp, end: pd.Timestamp, kinds: list[str],
              span: pd.DataFrame, expected: float, base_share: float, peak: float) -> Alert:
    day = posts["created_at"].dt.tz_convert("UTC").dt.normalize()
    inside = posts[(day >= start) & (day <= end)]
    before = posts[(day < start) & (day >= start - pd.Timedelta(days=28))]
    focus = inside[inside[label_col] == "negative"] if "negative share" in kinds else inside
    top = focus.assign(_e=engagement(focus)).sort_values("_e", ascending=False)
    return Alert(start=start, end=end, kinds=kinds, posts=int(span["posts"].sum()), expected_posts=expected,
                 negative_share=float(span["negative"].sum() / max(1, span["posts"].sum())),
                 baseline_negative_share=base_share, peak_z=peak,
                 terms=driver_terms(focus["text"], before["text"]), post_ids=top["post_id"].astype(str).tolist(),
                 amplifiers=amplifiers(focus))


def engagement(df: pd.DataFrame) -> pd.Series:
    """Interactions a post received: likes + comments + shares + saves (missing counts as 0)."""
    cols = [c for c in ("likes", "comments", "shares", "saves") if c in df]
    if not cols:
        return pd.Series(0.0, index=df.index)
    return df[cols].astype("Float64").fillna(0).sum(axis=1).astype(float)


def amplifiers(df: pd.DataFrame, n: int = 10) -> pd.DataFrame:
    """Authors who carried these posts furthest: audience (followers) plus the engagement they got."""
    if "author" not in df or df.empty:
        return pd.DataFrame(columns=["author", "followers", "posts", "engagement", "reach_score"])
    followers = df["followers"].astype("Float64").fillna(0) if "followers" in df else pd.Series(0.0, index=df.index)
    g = pd.DataFrame({"author": df["author"], "followers": followers.astype(float), "engagement": engagement(df)})
    agg = g.groupby("author").agg(followers=("followers", "max"), posts=("author", "size"),
                                  engagement=("engagement", "sum")).reset_index()
    agg["reach_score"] = np.log1p(agg["followers"]) + np.log1p(agg["engagement"])
    return agg.sort_values("reach_score", ascending=False).head(n).reset_index(drop=True)


def driver_terms(focus: pd.Series, background: pd.Series, n: int = 8) -> list[str]:
    """Words and bigrams most over-represented in `focus` against `background` (log-odds with a
    Dirichlet prior, Monroe et al. 2008), so frequent-everywhere words do not win."""
    from sklearn.feature_extraction.text import CountVectorizer

    focus, background = focus.fillna("").astype(str), background.fillna("").astype(str)
    if focus.str.len().sum() == 0:
        return []
    vec = CountVectorizer(stop_words="english", ngram_range=(1, 2), min_df=2, token_pattern=r"(?u)\b[a-zA-Z]{3,}\b")
    try:
        x = vec.fit_transform(pd.concat([focus, background]))
    except ValueError:
        return []
    a = np.asarray(x[: len(focus)].sum(axis=0)).ravel()
    b = np.asarray(x[len(focus):].sum(axis=0)).ravel()
    prior = (a + b) / (a + b).sum() * 100 + 0.01
    a0, b0 = a.sum() + prior.sum(), b.sum() + prior.sum()
    delta = (np.log((a + prior) / (a0 - a - prior)) - np.log((b + prior) / (b0 - b - prior)))
    z = delta / np.sqrt(1 / (a + prior) + 1 / (b + prior))
    terms = np.array(vec.get_feature_names_out())
    order = np.argsort(-z)
    picked: list[str] = []
    for i in order:
        if a[i] < 3 or z[i] <= 1.96:
            continue
        t = terms[i]
        if any(t in p or p in t for p in picked):
            continue
        picked.append(t)
        if len(picked) == n:
            break
    return picked


def alerts_frame(alerts: list[Alert]) -> pd.DataFrame:
    cols = ["start", "end", "kind", "posts", "expected_posts", "negative_share", "baseline_negative_share", "peak_z",
            "terms", "top_posts", "amplifiers"]
    return pd.DataFrame([a.as_row() for a in alerts], columns=cols)


__all__ = ["Alert", "detect", "alerts_frame", "driver_terms", "amplifiers", "daily", "engagement"]
