"""The batch analysis on one machine: the local engine against the Dask engine on a LocalCluster of 1 and 2
worker processes, in one run, as ratios to the local engine.

    .venv/bin/python bench/dask_engine.py [--n 100000] [--partition-rows 50000]

Each engine runs `python -m lib analyze POSTS.csv --out DIR --steps sentiment` (the import, language, VADER,
the Listening Lab label, emotion, intent, sarcasm; the local engine with --no-cache, as the Dask engine keeps
no per-text cache) as a fresh process, cluster start and model loading included. Peak memory is each process's
resident set, sampled every 0.2 s over the process tree: the client (the `python -m lib` process, which for
the local engine does all the work) and each worker process. Posts are drawn from the two sample scenarios
through the importer with a random tag appended, so texts are distinct (the worst case for caching).
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def make_posts(n: int, path: Path) -> None:
    import numpy as np
    import pandas as pd

    from lib.ingest.build import ImportOptions, build_posts, open_sources

    src: list[str | Path] = [ROOT / "sample_data" / "connectsphere.csv", ROOT / "sample_data" / "gamerfuel.csv"]
    base = build_posts(open_sources(src), ImportOptions()).posts
    rng = np.random.default_rng(0)
    posts = base.sample(n, replace=True, random_state=0).reset_index(drop=True)
    posts["text"] = posts["text"] + " #t" + pd.Series(rng.integers(0, 10**9, n)).astype(str)
    posts["post_id"] = [f"p{i}" for i in range(n)]
    posts.drop(columns=[c for c in posts if c.startswith(("truth_", "source_", "text_raw"))]).to_csv(path, index=False)


def measured(cmd: list[str]) -> dict:
    """Wall seconds; the peak resident set (MB) of the process and of each Dask worker process; and the peak of
    all its processes together at one moment, by proportional set size (PSS: pages shared between processes,
    like those of the local engine's forked VADER pool, counted once), so the totals compare."""
    import psutil

    t = time.perf_counter()
    proc = psutil.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peaks: dict[int, float] = {}
    workers: set[int] = set()
    together = 0.0
    while proc.poll() is None:
        try:
            tree = [proc, *proc.children(recursive=True)]
            now = 0.0
            for p in tree:
                peaks[p.pid] = max(peaks.get(p.pid, 0.0), p.memory_info().rss / 2**20)
                now += p.memory_full_info().pss / 2**20
                line = " ".join(p.cmdline())
                if p.pid != proc.pid and "spawn_main" in line and "resource_tracker" not in line:
                    workers.add(p.pid)  # a Dask worker (spawned); the local engine's VADER pool is forked
            together = max(together, now)
        except psutil.Error:  # a process ended between listing and reading it
            pass
        time.sleep(0.2)
    wall = time.perf_counter() - t
    err = proc.stderr.read() if proc.stderr else ""
    if proc.returncode != 0:
        sys.exit(f"{' '.join(cmd[3:])} failed: {err.strip().splitlines()[-1] if err.strip() else proc.returncode}")
    return {"wall": wall, "client": peaks.get(proc.pid, 0.0), "workers": [peaks[w] for w in sorted(workers)],
            "together": together}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=100_000, help="posts (default 100,000)")
    ap.add_argument("--partition-rows", type=int, default=None, help="posts per partition (default: the engine's)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        csv = Path(tmp) / "posts.csv"
        make_posts(args.n, csv)
        base = [sys.executable, "-m", "lib", "analyze", str(csv), "--steps", "sentiment"]
        rows = [("local", measured([*base, "--out", f"{tmp}/local", "--no-cache"]))]
        extra = ["--partition-rows", str(args.partition_rows)] if args.partition_rows else []
        for n in (1, 2):
            rows.append((f"dask, {n} worker{'s' if n > 1 else ''}",
                         measured([*base, "--out", f"{tmp}/dask{n}", "--engine", "dask", "--workers", str(n),
                                   *extra])))
    local = rows[0][1]
    print(f"# {args.n:,} posts, --steps sentiment, one run (ratios: to the local engine)\n")
    print("| engine | wall (s) | wall vs local | client peak RSS (MB) | peak RSS per Dask worker (MB) "
          "| all processes at once, PSS (MB) | memory vs local |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, r in rows:
        each = ", ".join(f"{w:,.0f}" for w in r["workers"]) or "-"
        print(f"| {name} | {r['wall']:.1f} | {r['wall'] / local['wall']:.2f} | {r['client']:,.0f} | {each} "
              f"| {r['together']:,.0f} | {r['together'] / local['together']:.2f} |")


if __name__ == "__main__":
    main()
