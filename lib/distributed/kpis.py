"""The KPI step on the Dask engine: the local engine's kpis.json and per-post KPI columns, in three passes over
DIR/posts/ (after the listening and topic passes), without the posts' text ever leaving the workers.

1. Facts (`kpi_posts.kpi_facts`): which columns hold values and counts (the rate basis), counts of each
   normalised text's and each (author, text)'s hash (copy-paste), and one author hash and timestamp per
   authored post (bursts: an author's posts within two minutes of each other may sit in different partitions;
   authors with 5+ posts). The client sums them into `KpiGlobals`, scattered to the workers.
2. Values (`kpi_posts.kpi_values`): per post one number for each percentile the value model ranks (engagement
   rate, comments, shares and saves per like, clicks per reach, reach, the vanity sum) and tests for spread
   (`signal.no_signal`), plus the scorecard's and share of voice's sums per partition, brand, author and day.
   The client ranks these arrays exactly as `value.fit_value_model` does (`value._pct`, the same pandas rank
   over all posts), builds the value model and `value.rankings` (value and vanity ranks over all posts, ties
   by the same 'min' rule), and the scorecard from the sums (`kpi_card`).
3. Write (`kpi_posts.kpi_write`): each partition gets back its slice of scores and ranks and writes the KPI
   columns into its Parquet file. Nothing is reused from an earlier run: a changed partition moves every
   percentile, so the three passes run whenever --steps has kpis (they read no model, only the Parquet files).
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from lib.distributed.kpi_posts import BURST_NS, NAT, RANKED, KpiGlobals, kpi_facts, kpi_values, kpi_write
from lib.distributed.partitions import Planned
from lib.distributed.tasks import RETRIES, posts_path
from lib.ingest.reading import InputError
from lib.kpis.engagement import RATE_BASES
from lib.kpis.signal import no_signal
from lib.kpis.value import ValueResult, _add, _pct, listening_need


def _repeated(docs: list[dict], key: str) -> np.ndarray:
    """The hashes counted twice or more over all partitions (sorted)."""
    found = [d[key] for d in docs if key in d]
    if not found:
        return np.empty(0, np.uint64)
    h = np.concatenate([f["hashes"] for f in found])
    n = np.concatenate([f["counts"] for f in found])
    values, inverse = np.unique(h, return_inverse=True)
    return values[np.bincount(inverse, n) >= 2]


def _bursts(authors: np.ndarray, times: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per author with a burst: the share of their posts within 120 s of their previous dated post (the
    first of the sorted times has none; undated posts count in the share but never as close)."""
    names, n_posts = np.unique(authors, return_counts=True)
    dated = times != NAT
    a, t = authors[dated], times[dated]
    order = np.lexsort((t, a))
    a, t = a[order], t[order]
    close = (a[1:] == a[:-1]) & (np.diff(t) < BURST_NS)
    hit, n_close = np.unique(a[1:][close], return_counts=True)
    return hit, n_close / n_posts[np.searchsorted(names, hit)]


def run_globals(docs: list[dict]) -> KpiGlobals:
    """The run's `KpiGlobals` from every partition's facts."""
    columns: list[str] = []
    for d in docs:
        columns += [c for c in d["columns"] if c not in columns]
    filled = frozenset(c for d in docs for c in d["filled"])
    totals: dict[str, float] = {}
    for d in docs:
        for c, v in d["sums"].items():
            totals[c] = totals.get(c, 0.0) + v
    counted = frozenset(c for c, v in totals.items() if c in filled and v > 0)
    authors = np.concatenate([d["authors"] for d in docs])
    times = np.concatenate([d["times"] for d in docs])
    names, n_posts = np.unique(authors, return_counts=True)
    burst = _bursts(authors, times) if "created_at" in filled else (np.empty(0, np.uint64), np.empty(0))
    spans = [d["span"] for d in docs if "span" in d]
    span = (min(s[0] for s in spans), max(s[1] for s in spans)) if spans else None
    return KpiGlobals(tuple(columns), filled, counted, next((b for b in RATE_BASES if b in counted), None),
                      _repeated(docs, "texts"), _repeated(docs, "pairs"), burst[0], burst[1], names[n_posts >= 5],
                      span)


def _series(values: list[dict], key: str) -> pd.Series:
    return pd.Series(np.concatenate([v["inputs"][key] for v in values]))


def value_model(values: list[dict], g: KpiGlobals) -> ValueResult:
    """`value.fit_value_model` of the whole run from the partitions' one-number-per-post inputs (in partition
    order: the posts' order in DIR/posts/)."""
    comp: dict[str, pd.Series] = {}
    why: dict[str, str] = {}
    has = set(values[0]["inputs"]) if values else set()
    if g.basis:
        _add(comp, why, "engagement_rate", _pct(_series(values, "pct:engagement_rate")),
             no_signal(_series(values, "flat:engagement_rate"), "engagement rate", "{:.2%}"))
    else:
        why["engagement_rate"] = "needs reach, impressions, followers or views"
    for name, col in (("conversation", "comments"), ("amplification", "shares"), ("saves", "saves")):
        if f"pct:{name}" in has:
            _add(comp, why, name, _pct(_series(values, f"pct:{name}")), no_signal(_series(values, f"flat:{name}"), col))
        else:
            why[name] = f"needs {col}"
    sentiment = _series(values, "flat:positive") if "flat:positive" in has else None
    if sentiment is not None and sentiment.notna().any():
        _add(comp, why, "positive", ((sentiment + 1) / 2).fillna(0.5), no_signal(sentiment, "sentiment", "{:+.2f}"))
    else:
        why["positive"] = listening_need("sentiment", "flat:authenticity" in has)
    if "flat:resonance" in has:
        clear = _series(values, "flat:resonance") == 1.0
        _add(comp, why, "resonance", clear.astype(float),
             no_signal(clear.map({True: "a clear emotion", False: "no clear emotion"})))
    else:
        why["resonance"] = listening_need("emotion", "flat:authenticity" in has)
    bots = _series(values, "flat:authenticity").rename("bot_likeness") if "flat:authenticity" in has else None
    if bots is not None:
        _add(comp, why, "authenticity", 1 - bots, no_signal(bots.round(3), "bot/spam-likeness", "{:.2f}",
                                                         min_spread=0))
    else:
        why["authenticity"] = "needs text"
    if "pct:click_through" in has:
        _add(comp, why, "click_through", _pct(_series(values, "pct:click_through")),
             no_signal(_series(values, "flat:click_through"), "clicks"))
    else:
        why["click_through"] = "needs clicks and reach/impressions"
    if "pct:reach" in has:
        col = "reach" if "reach" in g.counted else "impressions"
        _add(comp, why, "reach", _pct(_series(values, "pct:reach")), no_signal(_series(values, "flat:reach"), col))
    else:
        why["reach"] = "needs reach or impressions"
    vanity = _pct(_series(values, "pct:vanity"))
    return ValueResult(pd.DataFrame(comp, index=vanity.index), vanity, why, {}, bots,
                       vanity.rank(ascending=False, method="min").astype(int))


def _submit_all(client: Any, fn: Any, paths: list[str], tag: str, *extra: Any) -> list[Any]:
    futures = [client.submit(fn, p, *extra, retries=RETRIES, key=f"{fn.__name__}-{i}-{tag}")
               for i, p in enumerate(paths)]
    return list(client.gather(futures))


def run_kpis(client: Any, args: argparse.Namespace, plan: Planned, out: Path, progress: Any, tag: str) -> dict:
    """The KPI step of a Dask run: the three passes, DIR/kpis.json; returns summary.json's `kpis` block."""
    from lib.cli import read_weights
    from lib.distributed.kpi_card import card, influence_shares
    from lib.kpis.value import rankings

    weights = read_weights(args.weights)
    paths = [str(posts_path(out, p)) for p in plan.partitions]
    progress(f"kpis: the run's statistics from {len(paths)} partitions", 0.0)
    g = run_globals(_submit_all(client, kpi_facts, paths, tag))
    shared = client.scatter(g, broadcast=True, hash=False)
    values = _submit_all(client, kpi_values, paths, tag, shared)
    model = value_model(values, g)
    if model.components.empty:
        raise InputError("--steps kpis needs engagement counts, reach or text (map them with --map)")
    ranks = rankings(model, weights)
    progress("kpis: scores and ranks of every post, writing them to each partition", 0.5)
    bounds = np.cumsum([0] + [len(v["inputs"]["pct:vanity"]) for v in values])
    futures = [client.submit(kpi_write, p, shared, {c: ranks[c].to_numpy()[bounds[i]:bounds[i + 1]] for c in RANKED},
                             retries=RETRIES, key=f"kpi_write-{i}-{tag}") for i, p in enumerate(paths)]
    client.gather(futures)
    sums = [v["sums"] for v in values]
    doc = {"weights_name": weights.name, "weights": weights.normalised(list(model.components.columns)),
           "components_unavailable": model.unavailable, "engagement_rate_basis": g.basis,
           "kpis": [k.as_dict() for k in card(sums, g, model)],
           "share_of_voice": influence_shares(sums, values, g).to_dict(orient="records")}
    (out / "kpis.json").write_text(json.dumps(doc, indent=2, ensure_ascii=False, default=str))
    progress("kpis: done", 1.0)
    return {"weights": weights.name, "kpis": len(doc["kpis"]), "file": str(out / "kpis.json")}
