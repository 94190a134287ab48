"""The Audience page's persona cards on each rerun: every segment's typical posts (lib.audience.views.typical_posts).

    .venv/bin/python bench/audience_cards.py [--sizes 100000 300000] [--segments 8]

Posts: the real YouTube comments of ../shared/data/youtube_spam (1,956 texts, drawn with replacement) to the size,
with made-up authors (one author per 5 posts on average), engagement and sentiment, each author in one of the
segments; the spam flags at random (10 %). Columns: the seconds for every card's typical posts as the page reads
them now (the segment's posts only, the profanity flags kept once per dataset, `lib.ui.cache.rude_flags`), with
the profanity read per card, and over every post per card as before 2026-12-07 (`--before`: that code's module,
from a git revision, e.g. `--before 6b01408`). The median of 3 runs.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / "shared" / "data" / "youtube_spam"


def frame(n: int, segments: int, seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame, pd.Series]:
    texts = pd.concat([pd.read_csv(f)["CONTENT"] for f in sorted(DATA.glob("Youtube0*.csv"))]).astype(str).to_numpy()
    rng = np.random.default_rng(seed)
    n_authors = max(1, n // 5)
    author = rng.integers(0, n_authors, n)
    posts = pd.DataFrame({"post_id": [f"p{i}" for i in range(n)], "author": [f"a{a}" for a in author],
                          "text": texts[rng.integers(0, len(texts), n)],
                          "sentiment_label": rng.choice(["negative", "neutral", "positive"], n),
                          "likes": rng.integers(0, 100, n), "segment": author % segments})
    authors = pd.DataFrame({"author": [f"a{a}" for a in range(n_authors)], "segment": np.arange(n_authors) % segments,
                            "probability": rng.random(n_authors), "posts": 1})
    return posts, authors, pd.Series(rng.random(n) < 0.1, index=posts.index)


def timed(module, posts: pd.DataFrame, authors: pd.DataFrame, spam: pd.Series, segments: int,
          rude: pd.Series | None = None, repeats: int = 3) -> float:
    """The median seconds for every card's typical posts with `module`'s typical_posts."""
    times = []
    for _ in range(repeats):
        began = time.perf_counter()
        for s in range(segments):
            module.typical_posts(posts, authors, s, spam=spam, **({} if rude is None else {"rude": rude}))
        times.append(time.perf_counter() - began)
    return float(np.median(times))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[100_000, 300_000])
    ap.add_argument("--segments", type=int, default=8)
    ap.add_argument("--before", help="a git revision whose lib/audience/views.py to time beside today's")
    args = ap.parse_args()
    if not DATA.exists():
        sys.exit(f"no data at {DATA}")
    from lib.audience import views
    from lib.topics.describe import profane

    old = None
    if args.before:
        import importlib.util

        code = subprocess.run(["git", "show", f"{args.before}:lib/audience/views.py"], cwd=ROOT, capture_output=True,
                              text=True, check=True).stdout
        path = Path(tempfile.mkdtemp()) / "views_before.py"
        path.write_text(code)
        spec = importlib.util.spec_from_file_location("views_before", path)
        assert spec is not None and spec.loader is not None
        old = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(old)
    print(f"| posts | segments | now (profanity kept) | profanity per card | before ({args.before or 'not run'}) |")
    print("|---|---|---|---|---|")
    for n in args.sizes:
        posts, authors, spam = frame(n, args.segments)
        now = timed(views, posts, authors, spam, args.segments, rude=profane(posts["text"]))
        per_card = timed(views, posts, authors, spam, args.segments)
        before = timed(old, posts, authors, spam, args.segments) if old else None
        print(f"| {n:,} | {args.segments} | {now:.2f} s | {per_card:.2f} s | "
              + (f"{before:.2f} s |" if before is not None else "|"))


if __name__ == "__main__":
    main()
