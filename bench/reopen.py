"""Reopening a saved dataset with its topics: how long until the topics page has everything it shows.

    .venv/bin/python bench/reopen.py [--n 10000]

Builds a dataset of N posts (the samples, each post with a random tag so texts are distinct), saves
it, fits topics once and saves them. Then, in a fresh process (nothing cached, as after a restart):
open the workspace, load the posts and the stored topics, and compute every table the page shows
(effective topics after edits, topic table with growth, over time, per brand, sentiment mix, keyword
frame, document-map points). Prints one table row.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

REOPEN = r"""
import json, sys, time
t0 = time.perf_counter()
sys.path.insert(0, {root!r})
from lib.ingest.schema import coerce_types
from lib.store.workspace import Workspace
from lib.topics import views as tv
from lib.topics.result import TopicResult
ws = Workspace({ws!r})
ds = ws.list_datasets()["id"][0]
posts = coerce_types(ws.load_posts(ds))
t_posts = time.perf_counter() - t0
res = ws.load_result(ds, TopicResult)
t_topics = time.perf_counter() - t0
import numpy as np
posts["sentiment"] = np.linspace(-1, 1, len(posts))
posts["sentiment_label"] = np.where(posts["sentiment"] > 0.05, "positive", np.where(posts["sentiment"] < -0.05,
                                    "negative", "neutral"))
doc_topic, table = tv.effective(res, ws.topic_edits(ds))
frame = tv.with_topics(posts, doc_topic, table)
tv.topic_table(frame, table, tv.emerging(frame, "D")); tv.over_time(frame, "D"); tv.by_column(frame, "brand")
tv.sentiment_mix(frame); tv.keyword_frame(res, table); tv.doc_points(frame, res)
print(json.dumps({{"posts": t_posts, "topics": t_topics, "all": time.perf_counter() - t0}}))
"""


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=10_000)
    args = ap.parse_args()
    import numpy as np
    import pandas as pd

    from lib.ingest.build import ImportOptions, build_posts, open_sources
    from lib.pipeline import save_topics
    from lib.store.workspace import Workspace
    from lib.topics.fit import fit_topics
    from lib.topics.result import TopicSettings

    src = [ROOT / "sample_data" / "connectsphere.csv", ROOT / "sample_data" / "gamerfuel.csv"]
    result = build_posts(open_sources(src), ImportOptions())
    rng = np.random.default_rng(0)
    posts = result.posts.sample(args.n, replace=True, random_state=0).reset_index(drop=True)
    posts["text"] = posts["text"] + " #t" + pd.Series(rng.integers(0, 10**9, len(posts))).astype(str)
    posts["post_id"] = [f"p{i}" for i in range(len(posts))]
    result.posts = posts
    with tempfile.TemporaryDirectory() as tmp:
        path = str(Path(tmp) / "ws.duckdb")
        with Workspace(path) as ws:
            ds = ws.save_dataset("bench", result.posts, result.excluded, result.report, raw=result.raw)
            t = time.perf_counter()
            save_topics(ws, ds, fit_topics(posts, TopicSettings(), ws=ws))
            fit = time.perf_counter() - t
        t = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", REOPEN.format(root=str(ROOT), ws=path)], capture_output=True,
                             text=True, check=True)
        wall = time.perf_counter() - t
    r = json.loads(out.stdout.strip().splitlines()[-1])
    print("| posts | first fit (s) | reopen: posts loaded (s) | + topics loaded (s) | + every view computed (s) "
          "| whole fresh process (s) |")
    print("|---|---|---|---|---|---|")
    print(f"| {args.n:,} | {fit:.1f} | {r['posts']:.2f} | {r['topics']:.2f} | {r['all']:.2f} | {wall:.2f} |")


if __name__ == "__main__":
    main()
