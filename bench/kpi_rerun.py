"""KPI lab: the whole page's server-side rerun after a weight-slider move, at 100k posts.

    .venv/bin/python bench/kpi_rerun.py [--n 100000] [--profile]

A workspace with one dataset of N posts (drawn from the samples with a random tag, so texts are distinct)
is opened in Streamlit's AppTest; the KPI lab page runs once (scoring, cached), then a slider is moved 15
times. Timed per move: the server's script run (app.py and the page: its open tab's tables and charts built and
serialised), median and max, and AppTest's whole round trip for reference. AppTest is set up like a live
server after its first session (st.navigation mode, one script bytecode cache), so the harness's own
per-run costs are not counted as the app's. --profile prints where one rerun spends its time.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def build_workspace(path: Path, n: int) -> None:
    import numpy as np
    import pandas as pd

    from lib.ingest.build import ImportOptions, build_posts, open_sources
    from lib.store.workspace import Workspace

    src = [ROOT / "sample_data" / "connectsphere.csv", ROOT / "sample_data" / "gamerfuel.csv"]
    result = build_posts(open_sources(src), ImportOptions())
    rng = np.random.default_rng(0)
    posts = result.posts.sample(n, replace=True, random_state=0).reset_index(drop=True)
    posts["text"] = posts["text"] + " #t" + pd.Series(rng.integers(0, 10**9, len(posts))).astype(str)
    posts["post_id"] = [f"p{i}" for i in range(len(posts))]
    with Workspace(path) as ws:
        ws.save_dataset("bench", posts, result.excluded, result.report, raw=posts.head(0))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--profile", action="store_true")
    args = ap.parse_args()
    from types import SimpleNamespace

    from streamlit.runtime import pages_manager
    from streamlit.runtime.scriptrunner import script_runner
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.testing.v1 import AppTest, app_test

    real_path = pages_manager.Path
    pages_manager.Path = lambda *p: (SimpleNamespace(exists=lambda: False) if real_path(*p).name == "pages"
                                     else real_path(*p))
    shared_cache = ScriptCache()
    app_test.ScriptCache = lambda: shared_cache
    real_exec = script_runner.exec_func_with_error_handling
    script_secs: list[float] = []

    def timed(func, ctx):  # type: ignore[no-untyped-def]
        t = time.perf_counter()
        try:
            return real_exec(func, ctx)
        finally:
            script_secs.append(time.perf_counter() - t)

    script_runner.exec_func_with_error_handling = timed
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "ws.duckdb"
        build_workspace(path, args.n)
        os.environ["LISTENING_LAB_WORKSPACE"] = str(path)
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600).run()
        at.switch_page("pages/kpi_lab.py")
        t = time.perf_counter()
        at.run()
        first = time.perf_counter() - t
        assert not at.exception, [e.value for e in at.exception]
        slider = at.slider(key="kpi_w_positive")
        times, server = [], []
        for i in range(15):
            slider.set_value((i * 37) % 100)
            script_secs.clear()
            t = time.perf_counter()
            at.run()
            times.append(time.perf_counter() - t)
            server.append(sum(script_secs))
            assert not at.exception, [e.value for e in at.exception]
        if args.profile:  # profile the script thread itself (AppTest runs the page in its own thread)
            import cProfile
            import pstats

            from streamlit.runtime.scriptrunner import script_runner

            real = script_runner.exec_func_with_error_handling
            prof = cProfile.Profile()

            def profiled(func, ctx):  # type: ignore[no-untyped-def]
                return prof.runcall(real, func, ctx)

            script_runner.exec_func_with_error_handling = profiled
            slider.set_value(42)
            at.run()
            script_runner.exec_func_with_error_handling = real
            pstats.Stats(prof).sort_stats("cumulative").print_stats(60)
    print("| posts | first view, scoring included (s) | weight change: server script run, median of 15 (ms) | max (ms) "
          "| AppTest round trip, median (ms) |")
    print("|---|---|---|---|---|")
    print(f"| {args.n:,} | {first:.1f} | {1000 * statistics.median(server):.0f} | {1000 * max(server):.0f} "
          f"| {1000 * statistics.median(times):.0f} |")


if __name__ == "__main__":
    main()
