"""The KPI step's per-post work on the workers: what every KPI reads from one partition, given the run's
global statistics (`KpiGlobals`).

Per post and partition-local: engagement, the engagement rate (once the run's rate basis is known), links and
self-promotion, positive sentiment and emotional resonance. Needing the whole run: copy-paste (how often a
normalised text, and an author's text, occurs in the whole run: counts of 64-bit hashes summed over the
partitions), bursts (an author's posts within two minutes of their previous one, over every partition: one
author hash and one timestamp per post reach the client), low followers (an author's posts in the whole run),
and every percentile (the run's sorted values of one number per post, `lib.distributed.kpis`).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from lib.kpis.authenticity import noisy_or, normalise, signals
from lib.kpis.engagement import engagement, numeric
from lib.kpis.value import positive_reading
from lib.listening.emotion import clear_emotion

COUNTED = ("likes", "comments", "shares", "saves", "reach", "impressions", "followers", "views", "clicks")
KPI_COLUMNS = ("engagement", "engagement_rate", "value_score", "vanity_score", "value_rank", "vanity_rank",
               "rank_change", "bot_likeness")  # the local engine's order in posts.csv
RANKED = KPI_COLUMNS[2:7]  # from the run's percentiles and ranks, computed on the client
NAT = np.iinfo(np.int64).min
BURST_NS = 120 * 10**9  # `authenticity.signals`: a post within 120 s of the author's previous one


@dataclass(frozen=True)
class KpiGlobals:
    """What a partition's KPIs need from the whole run (found by `lib.distributed.kpis.run_globals`)."""
    columns: tuple[str, ...]                 # every column of the run, in the first partition's order
    filled: frozenset[str]                   # columns with a value in some post
    counted: frozenset[str]                  # `engagement.has_counts` over the run
    basis: str | None                        # `engagement.rate_basis` over the run
    repeated: np.ndarray = field(default_factory=lambda: np.empty(0, np.uint64))      # texts posted twice+
    own_repeated: np.ndarray = field(default_factory=lambda: np.empty(0, np.uint64))  # (author, text) twice+
    burst_authors: np.ndarray = field(default_factory=lambda: np.empty(0, np.uint64))  # sorted author hashes
    burst: np.ndarray = field(default_factory=lambda: np.empty(0))                   # their burst share
    prolific: np.ndarray = field(default_factory=lambda: np.empty(0, np.uint64))      # authors with 5+ posts
    span: tuple[int, int] | None = None      # the first and last post's time (UTC ns), where any is dated

    def has(self, col: str) -> bool:
        return col in self.columns and col in self.filled


def drop_kpis(posts: pd.DataFrame) -> pd.DataFrame:
    """A partition's posts without the KPI columns of an earlier run (they are computed again)."""
    return posts.drop(columns=[c for c in KPI_COLUMNS if c in posts])


def _hash(frame: pd.DataFrame | pd.Series) -> np.ndarray:
    return pd.util.hash_pandas_object(frame, index=False).to_numpy(dtype=np.uint64)


def _counts(h: np.ndarray) -> dict[str, np.ndarray]:
    values, counts = np.unique(h, return_counts=True)
    return {"hashes": values, "counts": counts}


def _author(posts: pd.DataFrame) -> pd.Series:
    return posts["author"].astype("string") if "author" in posts else pd.Series(pd.NA, index=posts.index,
                                                                                 dtype="string")


def _text_keys(posts: pd.DataFrame) -> tuple[pd.Series, np.ndarray, np.ndarray]:
    """Each post's normalised text, its hash and the hash of (author, text), as `signals` compares them."""
    norm = normalise(posts["text"].fillna("").astype(str))
    author = _author(posts)
    pair = pd.DataFrame({"author": author.fillna("").astype(str), "norm": norm})
    return norm, _hash(norm), _hash(pair)


def _ns(ts: pd.Series) -> np.ndarray:
    """Timestamps as UTC nanoseconds (NaT as `NAT`)."""
    ts = pd.to_datetime(ts, utc=True).dt.tz_localize(None).astype("datetime64[ns]")
    return ts.to_numpy().view(np.int64)


def kpi_facts(path: str) -> dict:
    """First pass: the partition's columns, which hold values and counts, its (author, text) hash counts, and
    each authored post's author hash and time."""
    posts = drop_kpis(pd.read_parquet(path))
    out: dict = {"columns": list(posts.columns), "filled": [c for c in posts if posts[c].notna().any()],
                 "sums": {c: float(numeric(posts, c).fillna(0).sum()) for c in COUNTED if c in posts}}
    if "text" in posts:
        norm, h, pair = _text_keys(posts)
        long = (norm.str.len() >= 20).to_numpy()
        out["texts"], out["pairs"] = _counts(h[long]), _counts(pair[long & _author(posts).notna().to_numpy()])
    author = _author(posts)
    known = author.notna().to_numpy()
    out["authors"] = _hash(author[known].astype(str)) if known.any() else np.empty(0, np.uint64)
    times = _ns(posts["created_at"]) if "created_at" in posts else np.full(len(posts), NAT)
    out["times"] = times[known]
    if (times != NAT).any():
        out["span"] = [int(times[times != NAT].min()), int(times[times != NAT].max())]
    return out


def _in(h: np.ndarray, sorted_set: np.ndarray) -> np.ndarray:
    if not len(sorted_set):
        return np.zeros(len(h), dtype=bool)
    i = np.searchsorted(sorted_set, h).clip(0, len(sorted_set) - 1)
    return sorted_set[i] == h


def bot_likeness(posts: pd.DataFrame, g: KpiGlobals) -> pd.Series:
    """`authenticity.post_scores` of the partition's posts with the run's repeated texts, bursts and authors."""
    s = signals(posts.drop(columns=[c for c in ("author", "created_at", "followers") if c in posts]))
    norm, h, pair = _text_keys(posts)
    long = (norm.str.len() >= 20).to_numpy()
    s["copy_paste"] = (long & _in(h, g.repeated)).astype(float) * 0.5
    if g.has("author"):
        author = _author(posts)
        known = author.notna().to_numpy()
        ah = np.zeros(len(posts), dtype=np.uint64)
        if known.any():
            ah[known] = _hash(author[known].astype(str))
        s.loc[long & known & _in(pair, g.own_repeated), "copy_paste"] = 1.0
        if g.has("created_at"):
            at = np.searchsorted(g.burst_authors, ah).clip(0, max(len(g.burst_authors) - 1, 0))
            hit = known & _in(ah, g.burst_authors)
            s["burst"] = np.where(hit, g.burst[at] if len(g.burst) else 0.0, 0.0)
        if g.has("followers"):
            few = (pd.to_numeric(posts["followers"], errors="coerce") < 20).to_numpy() \
                if "followers" in posts else np.zeros(len(posts), dtype=bool)
            s["low_followers"] = (few & known & _in(ah, g.prolific)).astype(float)
    return noisy_or(s)


def rate(posts: pd.DataFrame, g: KpiGlobals) -> pd.Series:
    """`engagement.engagement_rate` with the run's basis."""
    if g.basis is None:
        return pd.Series(np.nan, index=posts.index)
    den = numeric(posts, g.basis)
    return engagement(posts) / den.where(den > 0)


EXTRAS = ("conversions", "conversion", "leads", "purchases", "sales", "spend", "cost", "amount_spent",
          "amount spent", "budget")  # `scorecard._extra`'s names


def inputs(posts: pd.DataFrame, g: KpiGlobals, bots: pd.Series | None) -> dict[str, np.ndarray]:
    """One number per post for each value component, as `value.fit_value_model` ranks it (`pct:`) and tests it
    for spread (`flat:`), and for the vanity score and the influence bases: the only per-post figures the
    client receives."""
    likes = numeric(posts, "likes")
    out: dict[str, pd.Series] = {}
    if g.basis:
        out["pct:engagement_rate"] = out["flat:engagement_rate"] = rate(posts, g)
    for name, col in (("conversation", "comments"), ("amplification", "shares"), ("saves", "saves")):
        if col in g.counted:
            val = numeric(posts, col)
            out[f"flat:{name}"] = val.fillna(0)
            out[f"pct:{name}"] = val if name == "conversation" else val / (likes.fillna(0) + 1)
    if g.has("sentiment") or g.has("sentiment_label"):
        reading = positive_reading(posts)  # per post: the same in any partition
        out["flat:positive"] = reading if reading is not None else pd.Series(np.nan, index=posts.index)
    if "emotion" in g.columns:
        out["flat:resonance"] = clear_emotion(posts["emotion"]).astype(float) \
            if "emotion" in posts else pd.Series(0.0, index=posts.index)
    if bots is not None:
        out["flat:authenticity"] = bots
    if "clicks" in g.counted and g.basis:
        clicks, den = numeric(posts, "clicks"), numeric(posts, g.basis)
        out["pct:click_through"], out["flat:click_through"] = clicks / den.where(den > 0), clicks.fillna(0)
    reach = "reach" if "reach" in g.counted else "impressions" if "impressions" in g.counted else None
    if reach:
        out["pct:reach"], out["flat:reach"] = numeric(posts, reach), numeric(posts, reach).fillna(0)
    out["pct:vanity"] = likes.fillna(0) + numeric(posts, "views").fillna(0) + numeric(posts, "impressions").fillna(0)
    for b in ("followers", "reach"):
        if b in g.columns:
            out[f"influence:{b}"] = numeric(posts, b).fillna(0)
    return {k: v.to_numpy(dtype=float) for k, v in out.items()}


def sums(posts: pd.DataFrame, g: KpiGlobals, bots: pd.Series | None) -> dict:
    """What the scorecard and share of voice read, as sums (`lib.distributed.kpi_card`)."""
    from lib.kpis.authenticity import THRESHOLD
    from lib.kpis.care import care_facts

    eng = engagement(posts)
    out: dict = {"posts": len(posts), "engagement": float(eng.sum()),
                 "totals": {c: float(numeric(posts, c).sum()) for c in COUNTED},
                 "extras": {c: [float(pd.to_numeric(posts[c], errors="coerce").fillna(0).sum()),
                                bool(pd.to_numeric(posts[c], errors="coerce").notna().any())]
                            for c in posts.columns if str(c).strip().lower() in EXTRAS}}
    if g.basis:
        den = numeric(posts, g.basis)
        out["pooled"] = [float(eng[den > 0].sum()), float(den[den > 0].sum()), bool((den > 0).any())]
    if "emotion" in posts:
        emo = clear_emotion(posts["emotion"])
        out["emotion"] = [float(eng[emo].sum()), int(emo.sum())]
    if bots is not None:
        out["authentic"] = int((bots < THRESHOLD).sum())
        known = _author(posts).notna().to_numpy()
        if known.any():
            out["authors"] = {"hashes": _hash(_author(posts)[known].astype(str)), "bots": bots.to_numpy()[known]}
    if "sentiment_label" in posts and "created_at" in posts:
        from lib.listening.overview import period_start

        dated = posts[posts["created_at"].notna() & posts["sentiment_label"].notna()]
        out["days"] = {}
        if len(dated):
            t = pd.crosstab(period_start(dated["created_at"], "D"), dated["sentiment_label"]) \
                .reindex(columns=["positive", "neutral", "negative"], fill_value=0)
            out["days"] = {k.isoformat(): [int(x) for x in row] for k, row in zip(t.index, t.to_numpy())}
    if (care := care_facts(posts)) is not None:
        out["care"] = care
    if g.has("brand"):
        brand = posts["brand"].astype("string").fillna("(none)") if "brand" in posts else \
            pd.Series("(none)", index=posts.index)
        infl = pd.DataFrame({b: np.log1p(numeric(posts, b).fillna(0).clip(lower=0)) + 1
                             for b in ("followers", "reach")}).assign(mentions=1).groupby(brand).sum()
        out["brands"] = {str(k): [int(r["mentions"]), float(r["followers"]), float(r["reach"])]
                         for k, r in infl.iterrows()}
    return out


def kpi_values(path: str, g: KpiGlobals) -> dict:
    """Second pass: the partition's inputs to the run's percentiles and its scorecard sums."""
    posts = drop_kpis(pd.read_parquet(path))
    bots = bot_likeness(posts, g) if g.has("text") else None
    return {"inputs": inputs(posts, g, bots), "sums": sums(posts, g, bots)}


def kpi_write(path: str, g: KpiGlobals, ranked: dict[str, np.ndarray]) -> int:
    """Last pass: the partition's Parquet file with the KPI columns (before `language`, as posts.csv), its
    value and vanity scores and ranks given by the client (they rank the whole run)."""
    from lib.distributed.tasks import write_parquet

    posts = drop_kpis(pd.read_parquet(path))
    front = posts[[c for c in posts if c != "language"]].assign(engagement=engagement(posts),
                                                                 engagement_rate=rate(posts, g))
    for c in RANKED:
        front[c] = ranked[c]
    if "text" in posts:
        front["bot_likeness"] = bot_likeness(posts, g).to_numpy()
    write_parquet(front.join(posts[["language"]]) if "language" in posts else front, Path(path))
    return len(posts)
