"""Enrichment of real tweets with VADER in a worker process beside the other readings, and in turn (as before).

    .venv/bin/python bench/enrich_overlap.py [--sizes 3000 10000 14284] [--repeats 4]

The 14,284 real tweets of TweetEval's test and validation parts (../shared/data, read in place), the first N of
them, enriched in one process with no workspace (every text scored): `lib.listening.enrich.enrich` as the app
and the command line call it, once with VADER started ahead in a worker (`VaderAhead`, the default) and once
with it computed in turn (`AHEAD_MIN` set out of reach), alternating, the median of `--repeats` each. Both give
the same frame (tests/test_listening.py checks it); this measures the seconds.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / "shared" / "data" / "tweeteval_sentiment"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[3000, 10000, 14284])
    ap.add_argument("--repeats", type=int, default=4)
    a = ap.parse_args()
    if not DATA.exists():
        print(f"skipped: {DATA} is absent")
        return
    from lib.listening import sentiment as sent
    from lib.listening.enrich import enrich

    texts = [t for part in ("test", "val") for t in (DATA / f"{part}_text.txt").read_text(encoding="utf-8")
             .split("\n")[:-1]]
    posts = pd.DataFrame({"post_id": [str(i) for i in range(len(texts))], "text": texts, "platform": "x"})
    sent.public_model()
    enrich(posts.head(300))  # models loaded, first calls made
    ahead_min = sent.AHEAD_MIN
    rows = []
    for n in a.sizes:
        part = posts.head(n)
        times: dict[str, list[float]] = {"in turn": [], "VADER ahead": []}
        for _ in range(a.repeats):
            for mode in times:
                sent.AHEAD_MIN = ahead_min if mode == "VADER ahead" else 10**12
                t0 = time.perf_counter()
                enrich(part)
                times[mode].append(time.perf_counter() - t0)
        sent.AHEAD_MIN = ahead_min
        rows.append((len(part), *(float(np.median(v)) for v in times.values())))
    print(f"| real tweets | in turn, s (median of {a.repeats}) | VADER ahead, s | |")
    print("|---|---|---|---|")
    for n, before, after in rows:
        print(f"| {n:,} | {before:.2f} | {after:.2f} | {after / before:.2f}x the time |")


if __name__ == "__main__":
    main()
