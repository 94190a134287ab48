"""The KPI bundle rebuilt, as a label change rebuilds it: with the posts' bot/spam-likeness handed in (the app,
since 2026-12-06: computed once per dataset) and computed again inside (the app before; the command line).

    .venv/bin/python bench/kpi_bundle.py [--sizes 10000 100000] [--repeats 3]

Posts from `bench/pipeline.py`'s `make_posts` (both samples, a random tag so every text is distinct), enriched once;
then `lib.pipeline.kpi_bundle(frame)` and `kpi_bundle(frame, bots=post_scores(frame))` alternately, the median of
`--repeats` each. Both give the same bundle (tests/test_kpis.py checks it on real YouTube comments).
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--repeats", type=int, default=3)
    a = ap.parse_args()
    from pipeline import make_posts

    from lib import pipeline
    from lib.ingest.build import ImportOptions, build_posts, open_sources
    from lib.kpis.authenticity import post_scores
    from lib.listening.enrich import enrich

    print(f"| posts | bot-likeness computed inside, s (median of {a.repeats}) | handed in, s |")
    print("|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for n in a.sizes:
            path = Path(tmp) / f"posts_{n}.csv"
            make_posts(n, path)
            frame = enrich(build_posts(open_sources([path]), ImportOptions()).posts).frame
            bots = post_scores(frame)
            times: dict[str, list[float]] = {"inside": [], "given": []}
            for _ in range(a.repeats):
                for mode in times:
                    t0 = time.perf_counter()
                    pipeline.kpi_bundle(frame, bots=bots if mode == "given" else None)
                    times[mode].append(time.perf_counter() - t0)
            print(f"| {len(frame):,} | {np.median(times['inside']):.2f} | {np.median(times['given']):.2f} |")


if __name__ == "__main__":
    main()
