"""The file's own categories when a column holds a list of tags per post: how long reading them takes.

    .venv/bin/python bench/tag_columns.py [--n 100000]

Rows: TweetTopic-XL's 800 Spanish tweets with their list of topics (real, ../shared/data, skipped when absent),
and `--n` posts each with four hashtags of 300 given as a TikTok scraper writes them
(`[{"id": .., "name": "tag7", "title": ""}, ...]`, every list distinct: the worst case, generated), and the same
hashtags written as a listening tool's "Hashtags" text ("#tag7, #tag21, ..."). Columns: the
seconds to find the categories (`lib.listening.enrich.filter_columns`: once per dataset in the app,
`lib.ui.cache.own_categories`), to keep the posts with either of two tags (`tag_lists.with_any`: each filter
change), and to count a post under each of its tags (`tag_lists.category_values`: the Overview's and Topics'
breakdowns, once per dataset, `lib.ui.cache.category_of`);
the baseline is the same column read as plain text (`astype(str).value_counts()`, what it was before tags).
Best of 3.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lib.listening.enrich import filter_columns  # noqa: E402
from lib.listening.tag_lists import category_values, tag_counts, with_any  # noqa: E402


def best(fn, repeats: int = 3) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def row(name: str, frame: pd.DataFrame, col: str) -> dict[str, object]:
    two = list(tag_counts(frame[col]).index[:2])
    return {"data": name, "posts": f"{len(frame):,}", "distinct lists": f"{frame[col].nunique():,}",
            "categories (s)": round(best(lambda: filter_columns(frame)), 3),
            "filter by 2 tags (s)": round(best(lambda: with_any(frame[col], two)), 3),
            "per-tag breakdown (s)": round(best(lambda: category_values(frame[col])), 3),
            "as plain text (s)": round(best(lambda: frame[col].astype(str).value_counts()), 3)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=100_000)
    n = ap.parse_args().n
    rows = []
    real = ROOT.parent / "shared" / "data" / "tweettopic_xl" / "es" / "es_test.jsonl"
    if real.is_file():
        es = pd.read_json(real, lines=True)
        es["topics"] = es["topics"].map(lambda t: json.dumps(t, ensure_ascii=False))
        rows.append(row("TweetTopic-XL es (real)", es[["text", "topics"]].assign(post_id=range(len(es))), "topics"))
    rng = random.Random(0)
    tags = [f"tag{i}" for i in range(300)]
    tiktok = pd.DataFrame({"post_id": range(n), "text": "x", "hashtags": [
        json.dumps([{"id": str(i), "name": t, "title": ""} for t in rng.sample(tags, 4)]) for i in range(n)]})
    rows.append(row("hashtags, every list distinct (generated)", tiktok, "hashtags"))
    written = tiktok.assign(Hashtags=[", ".join("#" + t["name"] for t in json.loads(v)) for v in tiktok["hashtags"]])
    rows.append(row("the same written as text, \"#tag7, #tag21, ...\" (generated)", written.drop(columns="hashtags"),
                    "Hashtags"))
    print("| " + " | ".join(rows[0]) + " |")
    print("|" + "---|" * len(rows[0]))
    for r in rows:
        print("| " + " | ".join(str(v) for v in r.values()) + " |")


if __name__ == "__main__":
    main()
