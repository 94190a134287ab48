"""Upload to every page ready, in a cold server process, driven in headless Chromium.

    .venv/bin/python bench/cold_start.py [--n 10000]
    .venv/bin/python bench/cold_start.py --real     # 14,284 real tweets (TweetEval test + validation)

With --real the file is the 14,284 real tweets of TweetEval's test and validation parts (../shared/data, read in
place, never copied into the project) in the shape of the airline export the issue was measured on: about 6,200
generated authors (one in ten tweets from 50 very active ones), nine days of timestamps, and retweet counts that
are zero for 19 tweets in 20 (the only engagement column). Text, length and language are real; who wrote it and
when are generated.

A fresh `streamlit run` on an empty workspace; N posts drawn from the two samples (random tag appended, so
texts are distinct) are uploaded as one CSV through the file uploader, the guessed mapping is confirmed and
the dataset saved. Timed from the click on Save: sentiment shown on Listening, KPIs on the KPI lab, then
Topics and Audience until their results are on screen (they are computed in the background, started by
the import). Pages are opened as a person does, from the sidebar (one browser session, no reload). Needs Debian's
chromium (/usr/bin/chromium) and Playwright (requirements-dev.txt).
"""
from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]


def _csv(n: int, path: Path) -> None:
    import numpy as np
    import pandas as pd

    frames = [pd.read_csv(ROOT / "sample_data" / f) for f in ("connectsphere.csv",)]
    base = pd.concat(frames, ignore_index=True).drop(columns=[c for c in frames[0] if c.startswith("truth_")])
    rng = np.random.default_rng(0)
    out = base.sample(n, replace=True, random_state=0).reset_index(drop=True)
    out["text"] = out["text"] + " #t" + pd.Series(rng.integers(0, 10**9, n)).astype(str)
    out["post_id"] = [f"p{i}" for i in range(n)]
    out["author"] = out["author"] + pd.Series(rng.integers(0, max(1, n // 3000), n)).astype(str)
    out.to_csv(path, index=False)


def _real_csv(path: Path) -> int:
    """TweetEval test + validation tweets with generated authors, times and sparse retweets (see the docstring)."""
    import numpy as np
    import pandas as pd

    data = ROOT.parent / "shared" / "data" / "tweeteval_sentiment"
    texts = [line.rstrip("\n") for name in ("test_text.txt", "val_text.txt")
             for line in (data / name).read_text(encoding="utf-8").splitlines()]
    n = len(texts)
    rng = np.random.default_rng(0)
    authors = np.where(rng.random(n) < 0.1, rng.integers(0, 50, n), rng.integers(50, 7_700, n))
    start = pd.Timestamp("2026-02-16")
    out = pd.DataFrame({"tweet_id": np.arange(n) + 10**17, "text": texts,
                        "name": [f"user{a}" for a in authors],
                        "tweet_created": start + pd.to_timedelta(rng.uniform(0, 9 * 86_400, n), unit="s"),
                        "retweet_count": np.where(rng.random(n) < 0.95, 0, rng.integers(1, 40, n))})
    out.to_csv(path, index=False)
    return n


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--real", action="store_true", help="the real tweets of ../shared/data (TweetEval test + val)")
    args = ap.parse_args()
    n = args.n
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / f"posts_{n}.csv"
        if args.real:
            n = _real_csv(src)
        else:
            _csv(n, src)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        env = {**os.environ, "LISTENING_LAB_WORKSPACE": str(Path(tmp) / "ws.duckdb")}
        env.pop("LISTENING_LAB_AUTO", None)
        t_start = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port",
                                 str(port), "--server.headless", "true"], cwd=ROOT, env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        url = f"http://127.0.0.1:{port}"
        rows = []

        def mark(name: str, since: float) -> None:
            """One stage done: kept for the table, and said at once on stderr (a stage that never comes shows)."""
            rows.append((name, time.perf_counter() - since))
            print(f"  {name}: {rows[-1][1]:.1f} s", file=sys.stderr, flush=True)

        try:
            while True:
                try:
                    if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                        break
                except OSError:
                    time.sleep(0.3)
            mark("server up (cold process)", t_start)
            with sync_playwright() as p:
                b = p.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
                page = b.new_page(viewport={"width": 1400, "height": 1100})

                def settle() -> None:
                    page.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning]", timeout=600_000)
                    time.sleep(0.3)
                    page.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning]", timeout=600_000)

                def open_page(title: str) -> None:
                    """As a person does: a click on the page's link in the sidebar (same session, no reload)."""
                    page.locator("[data-testid=stSidebarNav] a", has_text=title).click()
                    page.locator("h1", has_text=title).wait_for(timeout=600_000)

                page.goto(f"{url}/data")
                settle()
                page.locator("input[type=file]").first.set_input_files(str(src))
                page.get_by_role("button", name="Save dataset").wait_for(timeout=600_000)
                settle()
                t0 = time.perf_counter()
                page.get_by_role("button", name="Save dataset").click()
                page.get_by_text("made it the active dataset").wait_for(timeout=600_000)
                mark("saved", t0)
                open_page("Listening")
                page.locator("[data-testid=stMetricLabel]", has_text="Net sentiment").wait_for(timeout=600_000)
                mark("sentiment on Listening", t0)
                open_page("KPI lab")
                # a scorecard card every export with text has (an export without reach has no engagement rate:
                # since 2026-12-06 a KPI the data cannot give is one caption, not a card of "n/a")
                page.locator("[data-testid=stMetricLabel]", has_text="Authentic posts").first.wait_for(
                    timeout=600_000)
                mark("KPIs on the KPI lab", t0)
                open_page("Topics")
                page.locator("[data-testid=stMetricLabel]", has_text="Posts in topics").wait_for(timeout=900_000)
                settle()
                mark("topics on Topics (background)", t0)
                open_page("Audience")
                page.locator("[data-testid=stMetricLabel]", has_text="Stability").wait_for(timeout=900_000)
                settle()
                mark("segments on Audience (background)", t0)
                for name in ("Overview", "Foresight", "Report", "Workshop"):
                    open_page(name)
                    settle()
                    mark(f"{name} ready", t0)
                mark("every page ready", t0)
                b.close()
        finally:
            proc.terminate()
            proc.wait(timeout=30)
        stages = _topic_stages(env["LISTENING_LAB_WORKSPACE"])
    print(f"| {n:,} {'real tweets' if args.real else 'posts'}, cold server | seconds after Save |")
    print("|---|---|")
    for name, secs in rows:
        print(f"| {name} | {secs:.1f} |")
    print("\nthe background fits in the server, seconds per stage:", stages)


def _topic_stages(path: str) -> dict:
    from lib.audience.result import SegmentResult
    from lib.store.workspace import Workspace
    from lib.topics.result import TopicResult

    try:
        with Workspace(path) as w:
            ds = w.list_datasets()["id"].tolist()
            topics = w.load_result(ds[0], TopicResult) if ds else None
            segments = w.load_result(ds[0], SegmentResult) if ds else None
        out: dict = {}
        if topics:
            out["topics"] = {"backend": topics.backend, **topics.metrics["timings"]}
        if segments:
            out["segments"] = {k: round(v, 2) for k, v in segments.metrics["timings"].items()}
        return out
    except Exception as exc:  # the table above is the result; this line only explains it
        return {"error": str(exc)}


if __name__ == "__main__":
    main()
