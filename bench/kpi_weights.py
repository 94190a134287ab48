"""KPI lab: the server-side cost of moving a weight slider, at 100k posts.

    .venv/bin/python bench/kpi_weights.py [--n 100000]

Posts are drawn from the samples (with a random tag so texts are distinct) and enriched once (listening),
then the value model is built once (what the app caches per dataset). Timed: what a slider move
recomputes on the page (rankings, the two top-10 tables, the ten biggest disagreements with their
explanations, the per-brand/platform/type leaderboards), median of 20 moves; and, for reference, the
one-off value model build.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=100_000)
    args = ap.parse_args()
    import numpy as np
    import pandas as pd

    from lib.ingest.build import ImportOptions, build_posts, open_sources
    from lib.kpis import leaderboards as L
    from lib.kpis import value as K
    from lib.kpis.weights import COMPONENTS, Weights
    from lib.listening.enrich import enrich

    src = [ROOT / "sample_data" / "connectsphere.csv", ROOT / "sample_data" / "gamerfuel.csv"]
    base = build_posts(open_sources(src), ImportOptions()).posts
    rng = np.random.default_rng(0)
    posts = base.sample(args.n, replace=True, random_state=0).reset_index(drop=True)
    posts["text"] = posts["text"] + " #t" + pd.Series(rng.integers(0, 10**9, len(posts))).astype(str)
    posts["post_id"] = [f"p{i}" for i in range(len(posts))]
    frame = enrich(posts).frame
    t = time.perf_counter()
    model = K.fit_value_model(frame)
    build = time.perf_counter() - t

    times = []
    for _ in range(20):
        weights = Weights("bench", {c: float(rng.integers(0, 100)) for c in COMPONENTS})
        t = time.perf_counter()
        ranks = K.rankings(model, weights)
        for index in (L.top(ranks, "vanity_rank"), L.top(ranks, "value_rank")):
            frame.loc[index].join(ranks.loc[index])
        gap = L.disagreements(ranks)
        frame.loc[gap].join(ranks.loc[gap])
        [K.explain(model, weights, ranks.index.get_loc(j)) for j in gap]
        for g in model.groups:
            L.group_leaderboard(model, ranks, g)
        times.append(time.perf_counter() - t)
    print("| posts | value model build, once per dataset (s) | weight change, median of 20 (ms) | max (ms) |")
    print("|---|---|---|---|")
    print(f"| {args.n:,} | {build:.2f} | {1000 * statistics.median(times):.0f} | {1000 * max(times):.0f} |")


if __name__ == "__main__":
    main()
