"""The scorecard (`lib.kpis.scorecard`) and share of voice (`lib.kpis.leaderboards`) of a Dask run, from the
partitions' sums (`kpi_posts.sums`): totals and pooled rates are sums of sums, means are sums over counts, the
likely-bot authors a per-author mean of bot-likeness summed over partitions, net sentiment and its velocity
`listening.trends.trajectory` from label counts per day. Sums in another order than the local engine's: the
figures agree to ~1e-12 (relative), not bit for bit."""
from __future__ import annotations

import numpy as np
import pandas as pd

from lib.distributed.kpi_posts import KpiGlobals
from lib.ingest.schema import ENGAGEMENT_SPLIT
from lib.kpis.authenticity import THRESHOLD
from lib.kpis.care import care_kpis
from lib.kpis.engagement import ENGAGEMENT_PARTS
from lib.kpis.scorecard import KPI, conversation_formula, latest_sentiment, quality_kpi
from lib.kpis.value import ValueResult
from lib.listening.trends import net_of, rolling_net
from lib.pipeline import ROLLING_WINDOW

CONVERSIONS = ("conversions", "conversion", "leads", "purchases", "sales")
SPEND = ("spend", "cost", "amount_spent", "amount spent", "budget")


def _total(sums: list[dict], key: str) -> float:
    return float(sum(s[key] for s in sums))


def _col(sums: list[dict], col: str) -> float:
    return float(sum(s["totals"][col] for s in sums))


def _parts(sums: list[dict], key: str, n: int) -> list[float]:
    return [float(sum(s[key][i] for s in sums if key in s)) for i in range(n)]


def _extra(sums: list[dict], g: KpiGlobals, names: tuple[str, ...]) -> float | None:
    """`scorecard._extra`: the first exported column of these names with a number in some post, summed."""
    for c in g.columns:
        if str(c).strip().lower() in names and any(s["extras"].get(c, [0, False])[1] for s in sums):
            return float(sum(s["extras"].get(c, [0.0])[0] for s in sums))
    return None


def _volume(sums: list[dict], g: KpiGlobals, eng: float) -> list[KPI]:
    parts = [c for c in ENGAGEMENT_PARTS if c in g.columns]
    return [
        KPI("Posts", int(_total(sums, "posts")), "Posts in the current view.", "count(posts)"),
        KPI("Likes (vanity)", _col(sums, "likes") if "likes" in g.columns else None,
            "Total likes: easy to get, says little about value.", "sum(likes)"),
        KPI("Impressions (vanity)", _col(sums, "impressions") if "impressions" in g.counted else None,
            "Times posts were shown, including to the same person.", "sum(impressions)"),
        KPI("Engagement", eng if parts else None, "Interactions with the posts.",
            " + ".join(f"sum({c})" for c in parts) or "needs likes/comments/shares"),
    ]


def _engagement(sums: list[dict], g: KpiGlobals, model: ValueResult, eng: float) -> list[KPI]:
    parts = [c for c in ENGAGEMENT_PARTS if c in g.columns]
    kpis = []
    if g.basis:
        top, bottom, some = _parts(sums, "pooled", 3)
        kpis.append(KPI(f"Engagement rate (by {g.basis})", top / bottom if some else np.nan,
                        f"Interactions per unit of {g.basis}: how much of the audience actually engaged.",
                        f"sum(engagement) / sum({g.basis})", "{:.2%}"))
    else:
        kpis.append(KPI("Engagement rate", None, "Needs reach, impressions, followers or views.", "engagement / reach"))
    if "comments" in g.columns and parts:
        split = sum(_col(sums, c) for c in ENGAGEMENT_SPLIT if c in g.columns)
        kpis.append(KPI("Conversation share", _col(sums, "comments") / max(split, 1),
                        "Share of engagement that is comments: substantive responses, not one-tap likes.",
                        conversation_formula(list(g.columns)), "{:.1%}"))
    if "shares" in g.counted and "likes" in g.counted:
        kpis.append(KPI("Amplification ratio", _col(sums, "shares") / max(_col(sums, "likes"), 1),
                        "Shares per like: people vouching for the post to their own audience.",
                        "sum(shares) / sum(likes)", "{:.3f}"))
    kpis.append(quality_kpi(model))
    return kpis


def net_sentiment(days: dict[str, list[int]], span: tuple[int, int]) -> pd.DataFrame:
    """`trajectory`'s net, net_rolling and velocity (its frequency picked from the run's dated span) from the
    positive, neutral and negative posts per day."""
    gap = pd.Timedelta(span[1] - span[0]).days
    freq = "D" if gap <= 120 else "W" if gap <= 1100 else "MS"
    d = pd.DataFrame.from_dict(days, orient="index", columns=["positive", "neutral", "negative"])
    d.index = pd.to_datetime(d.index)
    counts = d.groupby(d.index.to_period({"D": "D", "W": "W", "MS": "M"}[freq]).start_time).sum()
    full = pd.date_range(counts.index.min(), counts.index.max(), freq={"D": "D", "W": "W-MON", "MS": "MS"}[freq])
    out = counts.reindex(full, fill_value=0)
    out["posts"] = out[["positive", "neutral", "negative"]].sum(axis=1)
    out["net"] = net_of(out)
    out["net_rolling"] = rolling_net(out, ROLLING_WINDOW[freq])
    out["velocity"] = out["net_rolling"].diff()
    return out


def _sentiment(sums: list[dict], g: KpiGlobals, eng: float) -> list[KPI]:
    kpis = []
    days: dict[str, list[int]] = {}
    for s in sums:
        for day, row in s.get("days", {}).items():
            days[day] = [a + b for a, b in zip(days.get(day, [0, 0, 0]), row)]
    if "sentiment_label" in g.columns and g.span is not None and days:
        kpis += latest_sentiment(net_sentiment(days, g.span))
    if "emotion" in g.columns:
        emo_eng, emo_n = _parts(sums, "emotion", 2)
        n = _total(sums, "posts")
        kpis.append(KPI("Emotional resonance", float((emo_eng / emo_n) / (eng / n)) if emo_n and eng / n > 0
                        else None, "Engagement of posts that carry a clear emotion, relative to the average post "
                        "(above 1: emotion pays).", "mean(engagement | emotion) / mean(engagement)", "{:.2f}x"))
    return kpis


def _authenticity(sums: list[dict], g: KpiGlobals, model: ValueResult) -> list[KPI]:
    if model.bot_likeness is None:
        return []
    kpis = [KPI("Authentic posts", _total(sums, "authentic") / _total(sums, "posts"),
                "Posts that show no bot/spam signal strong enough to flag (links, self-promotion, "
                "copy-paste, bursts, follower anomalies).", f"share(bot_likeness < {THRESHOLD})", "{:.1%}")]
    found = [s["authors"] for s in sums if "authors" in s]
    if g.has("author") and found:
        h = np.concatenate([f["hashes"] for f in found])
        names, inverse = np.unique(h, return_inverse=True)
        mean = np.bincount(inverse, np.concatenate([f["bots"] for f in found])) / np.bincount(inverse)
        kpis.append(KPI("Likely bot or spam authors", int((mean >= THRESHOLD).sum()),
                        "Authors whose posts look bot/spam-like on average.", f"mean(bot_likeness) >= {THRESHOLD}"))
    return kpis


def _conversion(sums: list[dict], g: KpiGlobals, eng: float) -> list[KPI]:
    kpis = []
    if "clicks" in g.counted and g.basis:
        kpis.append(KPI("Click-through rate", _col(sums, "clicks") / _col(sums, g.basis),
                        f"Clicks per unit of {g.basis}.", f"sum(clicks) / sum({g.basis})", "{:.2%}"))
    conv = _extra(sums, g, CONVERSIONS)
    if conv is not None and "clicks" in g.counted:
        kpis.append(KPI("Conversion rate", conv / max(_col(sums, "clicks"), 1),
                        "Conversions per click.", "sum(conversions) / sum(clicks)", "{:.2%}"))
    spend = _extra(sums, g, SPEND)
    if spend is not None:
        kpis.append(KPI("Cost per engagement", spend / max(eng, 1), "Spend per interaction.",
                        "sum(spend) / sum(engagement)", "{:,.3f}"))
    return kpis


def card(sums: list[dict], g: KpiGlobals, model: ValueResult) -> list[KPI]:
    """`scorecard.scorecard` of the whole run."""
    eng = _total(sums, "engagement")
    cares = [s["care"] for s in sums if "care" in s]
    care = (sum(c[0] for c in cares), np.sort(np.concatenate([c[1] for c in cares]))) if cares else None
    return (_volume(sums, g, eng) + _engagement(sums, g, model, eng) + _sentiment(sums, g, eng)
            + care_kpis(care) + _authenticity(sums, g, model) + _conversion(sums, g, eng))


def influence_shares(sums: list[dict], values: list[dict], g: KpiGlobals) -> pd.DataFrame:
    """`leaderboards.share_of_voice` of the whole run: mentions and influence summed per brand, the influence
    basis (`leaderboards.influence_basis`) tested for spread on its one number per post."""
    from lib.kpis.leaderboards import INFLUENCE_BASES, voice_table

    if not g.has("brand"):
        return pd.DataFrame(columns=["brand", "mentions", "share_of_voice", "share_of_influence", "gap"])
    basis = next((b for b in INFLUENCE_BASES if b in g.columns and no_signal_of(values, f"influence:{b}") is None),
                 "followers")
    at = 1 if basis == "followers" else 2
    brands: dict[str, list[float]] = {}
    for s in sums:
        for b, row in s["brands"].items():
            old = brands.get(b, [0, 0.0])
            brands[b] = [old[0] + row[0], old[1] + row[at]]
    names = sorted(brands)
    index = pd.Index(names, name="brand", dtype="string")
    return voice_table(pd.Series([int(brands[b][0]) for b in names], index=index),
                       pd.Series([brands[b][1] for b in names], index=index))


def no_signal_of(values: list[dict], key: str) -> str | None:
    from lib.kpis.signal import no_signal

    return no_signal(pd.Series(np.concatenate([v["inputs"][key] for v in values])))
