"""Audience: features + UMAP + HDBSCAN for 10k and 50k authors, each size in a fresh process.

    .venv/bin/python bench/audience.py [--authors 10000 50000]

The ConnectSphere sample is enriched once (listening), then its 408 authors are cloned with jittered
followers, engagement and times until there are N authors (about 7 posts each), so the behaviour is real
and the size is what is measured. Timed: the stages of lib.audience.segments.fit_segments, including the map's 2-D
UMAP and the stability re-run (skipped above 60k authors), and the peak memory of the process.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = r"""
import json, resource, sys, time
sys.path.insert(0, {root!r})
import numpy as np, pandas as pd
from lib.ingest.build import ImportOptions, build_posts, open_sources
from lib.listening.enrich import enrich
from lib.audience.segments import fit_segments
base = enrich(build_posts(open_sources([{root!r} + "/sample_data/connectsphere.csv"]), ImportOptions()).posts).frame
base = base.drop(columns=[c for c in base if c.startswith("truth_")])
copies = -(-{n} // base["author"].nunique())
rng = np.random.default_rng(0)
parts = []
for k in range(copies):
    p = base.copy()
    p["author"] = p["author"] + f"~{{k}}"
    p["post_id"] = p["post_id"] + f"~{{k}}"
    for c in ("likes", "comments", "shares", "reach", "followers"):
        p[c] = (p[c] * rng.lognormal(0, 0.2, len(p))).round()
    p["created_at"] = p["created_at"] + pd.to_timedelta(rng.integers(-3600, 3600, len(p)), unit="s")
    parts.append(p)
posts = pd.concat(parts, ignore_index=True)
keep = posts["author"].drop_duplicates().head({n})
posts = posts[posts["author"].isin(keep)].reset_index(drop=True)
t = time.perf_counter()
res = fit_segments(posts)
total = time.perf_counter() - t
print(json.dumps({{"authors": len(res.authors), "posts": len(posts), "timings": res.metrics["timings"],
                  "segments": res.metrics["segments"], "noise": res.metrics["noise_share"],
                  "stability": res.metrics.get("stability_ari"),
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--authors", nargs="+", type=int, default=[10_000, 50_000])
    args = ap.parse_args()
    print("| authors | posts | features (s) | kNN + UMAP 5-D, the stability re-run beside it (s) | HDBSCAN (s) "
          "| map (UMAP 2-D) beside k-means, then the stability clustering (s) | total (s) | segments | noise "
          "| peak memory (MB) |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for n in args.authors:
        out = subprocess.run([sys.executable, "-c", CHILD.format(root=str(ROOT), n=n)], capture_output=True,
                             text=True, check=True)
        r = json.loads(out.stdout.strip().splitlines()[-1])
        t = r["timings"]
        print(f"| {r['authors']:,} | {r['posts']:,} | {t['features']:.1f} | {t['umap']:.1f} | {t['hdbscan']:.1f} | "
              f"{t['map_and_checks']:.1f} | {t['total']:.1f} | {r['segments']} | {r['noise']:.0%} | "
              f"{r['peak_mb']:.0f} |", flush=True)


if __name__ == "__main__":
    main()
