"""Benchmarks that print a table: wall time and peak memory per stage, cold process and warm.

    .venv/bin/python bench/run.py [--sizes 10000 100000]

Posts are drawn from the two sample scenarios with a random tag appended, so texts are mostly
distinct (the worst case for caching). "cold" is a fresh process with an empty workspace (imports,
model loading and scoring included); "warm" is the same call again in that process, on the workspace
that now holds the per-text scores.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = r"""
import json, resource, sys, time
sys.path.insert(0, {root!r})
import numpy as np, pandas as pd
t0 = time.perf_counter()
from lib.ingest.build import ImportOptions, build_posts, open_sources
from lib.store.workspace import Workspace
src = [{root!r} + "/sample_data/connectsphere.csv", {root!r} + "/sample_data/gamerfuel.csv"]
base = build_posts(open_sources(src), ImportOptions()).posts
rng = np.random.default_rng(0)
posts = base.sample({n}, replace=True, random_state=0).reset_index(drop=True)
posts["text"] = posts["text"] + " #t" + pd.Series(rng.integers(0, 10**9, len(posts))).astype(str)
posts["post_id"] = [f"p{{i}}" for i in range(len(posts))]
ws = Workspace({ws!r})
t_import = time.perf_counter() - t0
from lib.listening.enrich import enrich
t1 = time.perf_counter(); enrich(posts, ws); cold = time.perf_counter() - t1
t2 = time.perf_counter(); enrich(posts, ws); warm = time.perf_counter() - t2
print(json.dumps({{"setup": t_import, "cold": cold, "warm": warm,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""


def run(n: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        code = CHILD.format(root=str(ROOT), n=n, ws=str(Path(tmp) / "ws.duckdb"))
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
        return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", nargs="+", type=int, default=[10_000, 100_000])
    sizes = ap.parse_args().sizes
    print("| stage | posts | cold process (s) | warm (s) | peak memory (MB) |")
    print("|---|---|---|---|---|")
    for n in sizes:
        r = run(n)
        print(f"| listening: VADER + Listening Lab label + emotion + intent + sarcasm | {n:,} | "
              f"{r['cold']:.1f} | {r['warm']:.1f} | {r['peak_mb']:.0f} |", flush=True)


if __name__ == "__main__":
    main()
