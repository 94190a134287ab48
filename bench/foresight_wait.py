"""How long the Foresight page keeps someone waiting after an upload: time to its first content, and to the model.

    .venv/bin/python bench/foresight_wait.py              # both moments below, each in a fresh process
    .venv/bin/python bench/foresight_wait.py --open now   # one of them

The file: TweetEval's 12,284 real test tweets (../shared/data, read in place) in the shape of the airline export
the issue was measured on: about 6,000 generated authors (one in ten tweets from 50 very active ones), nine days
of timestamps with a two-day surge, and a retweet count that is zero for 19 tweets in 20 (its only engagement
column). It is imported into a fresh workspace and the background analysis is started as the Data page's Save
does (models warmed first, as a running server has them). Foresight is then opened in a new AppTest session,
either at once ("now") or when the background job has started its topic fit ("topics", where the issue's 54-67 s
were seen); the page's first render is timed, and then the page is rerun every second until the model shows.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "tweeteval_sentiment" / "test_text.txt"


def write_tweets(path: Path, n: int | None = None) -> int:
    """The real tweets (the first `n`, default all) with generated authors, times (a surge on days 6-7) and
    sparse retweets, as a CSV export."""
    import numpy as np
    import pandas as pd

    texts = DATA.read_text(encoding="utf-8").splitlines()[:n]
    n = len(texts)
    rng = np.random.default_rng(1)
    day = rng.choice(9, n, p=np.array([1, 1, 1, 1, 1, 2.5, 2.5, 1, 1]) / 12)
    out = pd.DataFrame({
        "tweet_id": np.arange(n) + 5 * 10**17, "text": texts,
        "name": np.where(rng.random(n) < 0.1, "fan" + pd.Series(rng.integers(0, 50, n)).astype(str),
                         "user" + pd.Series(rng.integers(0, 6_000, n)).astype(str)),
        "tweet_created": pd.Timestamp("2026-02-16") + pd.to_timedelta(day * 86_400 + rng.uniform(0, 86_400, n),
                                                                      unit="s"),
        "retweet_count": np.where(rng.random(n) < 0.95, 0, rng.integers(1, 60, n))})
    out.to_csv(path, index=False)
    return n


def _shows(at) -> str:  # type: ignore[no-untyped-def]
    labels = {m.label for m in at.metric}
    if "Model error (MAE)" in labels:
        return "model"
    return "data's ranges and trend" if labels else "nothing yet"


def scenario(open_at: str) -> dict:
    """One upload in this process; Foresight opened `now` or when the job starts `topics`."""
    from streamlit.testing.v1 import AppTest

    with tempfile.TemporaryDirectory() as tmp:
        os.environ["LISTENING_LAB_WORKSPACE"] = str(Path(tmp) / "ws.duckdb")
        os.environ.pop("LISTENING_LAB_AUTO", None)
        sys.path.insert(0, str(ROOT))
        from lib.ingest.build import ImportOptions, build_posts, open_sources
        from lib.listening.enrich import warm_up as listening_warm_up
        from lib.store.workspace import Workspace
        from lib.topics.fit import warm_up as topics_warm_up
        from lib.ui import jobs

        src = Path(tmp) / "tweets.csv"
        n = write_tweets(src)
        result = build_posts(open_sources([src]), ImportOptions())
        with Workspace(os.environ["LISTENING_LAB_WORKSPACE"]) as w:
            ds = w.save_dataset("tweets", result.posts, result.excluded, result.report, raw=result.raw)
        listening_warm_up()
        topics_warm_up()
        start = AppTest.from_string("from lib.ui import jobs, session\n"
                                    f"session.set_active({ds!r})\njobs.start_auto({ds!r})\n", default_timeout=60)
        t0 = time.perf_counter()
        start.run()
        job = next(j for j in jobs._jobs().values() if j.ds_id == ds)
        while open_at == "topics" and not job.message.startswith("Topics") and time.perf_counter() - t0 < 600:
            time.sleep(0.2)
        opened = time.perf_counter() - t0
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=900)
        at.switch_page("pages/foresight.py")
        t1 = time.perf_counter()
        at.run()
        first, shown = time.perf_counter() - t1, _shows(at)
        while _shows(at) != "model" and time.perf_counter() - t1 < 900:
            time.sleep(1)
            at.run()
        model = time.perf_counter() - t1
        errors = [str(e.value)[:200] for e in list(at.exception) + list(at.error)]
        return {"posts": n, "open": open_at, "opened_after_save": opened, "first_content": first,
                "first_shows": shown, "model_shown": model, "job_stage_then": job.message, "errors": errors}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--open", choices=("now", "topics"), help="one moment, in this process")
    args = ap.parse_args()
    if not DATA.is_file():
        sys.exit(f"{DATA} is not present on this machine")
    if args.open:
        print(json.dumps(scenario(args.open)), flush=True)
        os._exit(0)  # the job's daemon threads may still be embedding: no interpreter shutdown under them
    rows = []
    for moment in ("now", "topics"):
        out = subprocess.run([sys.executable, __file__, "--open", moment], capture_output=True, text=True)
        if not out.stdout.strip():
            sys.exit(f"--open {moment} failed:\n{out.stderr[-3000:]}")
        rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
    print(f"| Foresight opened ({rows[0]['posts']:,} real tweets) | opened after Save (s) | first content (s) | "
          "first shows | model shown (s) |")
    print("|---|---|---|---|---|")
    for r in rows:
        print(f"| {'at once' if r['open'] == 'now' else 'while topics fit'} | {r['opened_after_save']:.1f} | "
              f"{r['first_content']:.1f} | {r['first_shows']} | {r['model_shown']:.1f} |")
        if r["errors"]:
            print("errors:", r["errors"])


if __name__ == "__main__":
    main()
