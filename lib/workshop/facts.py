"""The facts each exercise quotes, computed from the app's own analysis of its sample, so the course text
always matches what the student sees on the pages. One function per exercise, registered in `FACTS` under the
exercise's key; each returns every `{name}` its texts use, as display strings."""
from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

Facts = Callable[[pd.DataFrame, pd.DataFrame | None], dict[str, str]]


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


# ---------------------------------------------------------------------------------------------- ConnectSphere
THEMES = {  # the features people talk about in the ConnectSphere launch, as plain word patterns
    "networking suggestions": r"network|match|people[- ]to[- ]meet|intro",
    "session summaries": r"summar|recap|session notes",
    "personalised agenda": r"agenda|recommended sessions|suggested schedule",
    "privacy": r"privacy|creepy|intrusive|invasive|tracking|data retention|stores about",
    "API access": r"\bapi\b",
}
INFERENCE = (r"based on my|my profile|job title|think .{0,40}wants|guessed"
             r"|as (?:an?|the) \w+\b.{0,30}(?:irrelevant|keeps)")


def connectsphere_facts(f: pd.DataFrame, segments: pd.DataFrame | None = None) -> dict[str, str]:
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
    out |= _agenda_facts(f, agenda) | _api_facts(f)
    out["who"], out["who_source"] = _who(agenda, segments)
    return out


def _agenda_facts(f: pd.DataFrame, agenda: pd.DataFrame) -> dict[str, str]:
    """The personalised agenda: how negative, in which words, over time, and the inferred traits behind it."""
    from lib.listening.alerts import driver_terms

    neg = agenda[agenda["sentiment_label"] == "negative"]
    out = {"agenda_posts": f"{len(agenda):,}",
           "agenda_negative": _pct((agenda["sentiment_label"] == "negative").mean()),
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
    return out


def _api_facts(f: pd.DataFrame) -> dict[str, str]:
    """Who asks for an API, and how much reach and engagement they have against everyone else."""
    from lib.listening.alerts import engagement

    api = f[_mentions(f, THEMES["API access"])]
    org = _mentions(api, r"organi[sz]")
    eng = engagement(f)
    fol = f["followers"].astype(float) if "followers" in f else pd.Series(np.nan, index=f.index)
    return {"api_posts": f"{len(api):,}", "api_authors": f"{api['author'].nunique():,}",
            "api_organisers": _pct(org.mean()), "api_net": f"{_net(api):+.2f}",
            "api_asks": _pct(api["intent"].isin(["information request", "purchase intent"]).mean()),
            "api_followers": f"{fol[api.index].median():,.0f}", "all_followers": f"{fol.median():,.0f}",
            "api_engagement": f"{eng[api.index].mean():,.1f}", "all_engagement": f"{eng.mean():,.1f}"}


def _who(agenda: pd.DataFrame, segments: pd.DataFrame | None) -> tuple[str, str]:
    """Who suffers the agenda most: by audience segment once found, else by platform."""
    if segments is not None and "segment_name" in segments:
        seg = segments.loc[agenda.index]
        rate = (seg["sentiment_label"] == "negative").groupby(seg["segment_name"]).agg(["mean", "size"])
        rate = rate[rate["size"] >= 10].sort_values("mean", ascending=False)
        return _rates(rate), "audience segments"
    rate = (agenda["sentiment_label"] == "negative").groupby(agenda["platform"]).agg(["mean", "size"])
    rate = rate[rate["size"] >= 10].sort_values("mean", ascending=False)
    return _rates(rate), "platforms (find segments on the Audience page to see it by persona)"


def _rates(rate: pd.DataFrame) -> str:
    return "; ".join(f"{n}: {m:.0%} of {int(s):,} agenda posts negative" for n, (m, s) in rate.head(4).iterrows())


def _example(df: pd.DataFrame) -> str:
    if df.empty:
        return "(none)"
    text = str(df["text"].iloc[0])
    return "“" + (text if len(text) <= 140 else text[:139] + "…") + "”"


FACTS: dict[str, Facts] = {"gamerfuel": gamerfuel_facts, "connectsphere": connectsphere_facts}
