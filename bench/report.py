"""The report stage: build (every section but topics and segments), HTML and PDF, in a fresh process.

    .venv/bin/python bench/report.py [--sizes 10000 50000]

Posts are drawn from the two samples (as in run.py) and enriched first (not timed). "cold" is the first
report in the process (vl-convert starts its JavaScript engine, ~1 s); "warm" a second report of the same
data in that process. Peak memory is the process's.
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
src = [{root!r} + "/sample_data/connectsphere.csv", {root!r} + "/sample_data/gamerfuel.csv"]
result = build_posts(open_sources(src), ImportOptions())
rng = np.random.default_rng(0)
posts = result.posts.sample({n}, replace=True, random_state=0).reset_index(drop=True)
posts["text"] = posts["text"] + " #t" + pd.Series(rng.integers(0, 10**9, len(posts))).astype(str)
posts["post_id"] = [f"p{{i}}" for i in range(len(posts))]
frame = enrich(posts).frame
from lib.report.build import build
from lib.report.data import ReportData
from lib.report.render import to_html, to_pdf
out = {{}}
for run in ("cold", "warm"):
    t = time.perf_counter(); rep = build(ReportData("bench", frame, meta=result.report))
    t_build = time.perf_counter() - t
    t = time.perf_counter(); html = to_html(rep); t_html = time.perf_counter() - t
    t = time.perf_counter(); pdf = to_pdf(rep); t_pdf = time.perf_counter() - t
    out[run] = {{"build": t_build, "html": t_html, "pdf": t_pdf, "html_kb": len(html) / 1024,
                 "pdf_kb": len(pdf) / 1024}}
out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(out))
"""


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", nargs="+", type=int, default=[10_000, 50_000])
    sizes = ap.parse_args().sizes
    print("| posts | run | sections built (s) | HTML with SVG charts (s) | PDF with PNG charts (s) | total (s) "
          "| HTML / PDF size (KB) | peak memory (MB) |")
    print("|---|---|---|---|---|---|---|---|")
    for n in sizes:
        got = subprocess.run([sys.executable, "-c", CHILD.format(root=str(ROOT), n=n)], capture_output=True,
                             text=True, check=True)
        r = json.loads(got.stdout.strip().splitlines()[-1])
        for run in ("cold", "warm"):
            x = r[run]
            print(f"| {n:,} | {run} | {x['build']:.1f} | {x['html']:.1f} | {x['pdf']:.1f} | "
                  f"{x['build'] + x['html'] + x['pdf']:.1f} | {x['html_kb']:,.0f} / {x['pdf_kb']:,.0f} | "
                  f"{r['peak_mb']:.0f} |", flush=True)


if __name__ == "__main__":
    main()
