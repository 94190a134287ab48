"""Import time of awkward file shapes and real exports: the command line's import alone, in a fresh process each.

    .venv/bin/python bench/import_shapes.py [--before REV]     # about a minute on 2 cores; twice with --before

Files: one row of 10,001 columns and a million rows of four columns (the two shapes of tests/test_hostile.py,
written to a temporary folder), 200,000 rows of which one post in 1,000 is written over two lines (quoted), and
real exports read from ../shared/data (never copied): TweetEval test (12,284 tweets, one text per line, as a
one-column CSV and as the plain text file it is), the VADER paper's Amazon review sentences (tab-separated, with
stray quotes), the UCI YouTube comments (five files, 1,956 comments), and an Instagram scrape in the shape Apify's
scraper writes, its JSON and its flattened CSV download (2,000 posts, each with its latest 50 comments nested in
its row; the comments are TweetEval's tweets, the posts generated): 102,000 posts once the comments are read.
Seconds are wall time of `python -m lib analyze FILE... --out DIR --no-cache` (import, mapping, cleaning, posts.csv
written). `--before REV` runs the same files with the code of commit REV (a git worktree of it, removed after)
in the same session, so both columns come from the same machine in the same hour; posts.csv is compared byte for
byte.
"""
from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"


def files(tmp: Path) -> dict[str, list[Path]]:
    wide = tmp / "wide.csv"
    wide.write_text(",".join(["text"] + [f"c{i}" for i in range(10_000)]) + "\n"
                    + ",".join(["hello wide world"] + ["1"] * 10_000) + "\n")
    million = tmp / "million.csv"
    with open(million, "w") as f:
        f.write("id,text,date,likes\n")
        for i in range(1_000_000):
            f.write(f"{i},post {i % 977} about snacks,2024-03-{1 + i % 28:02d},{i % 50}\n")
    multi = tmp / "multiline.csv"
    with open(multi, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["id", "text", "date", "likes"])
        for i in range(200_000):  # one post in 1,000 written over two lines, as captions often are
            w.writerow([i, f"post {i % 977}, about snacks" if i % 1000 else f"new flavour!\nout {i % 977} today",
                        f"2024-03-{1 + i % 28:02d}", i % 50])
    out = {"1 row, 10,001 columns": [wide], "1,000,000 rows, 4 columns": [million],
           "200,000 rows, some posts over two lines": [multi]}
    tweets = DATA / "tweeteval_sentiment" / "test_text.txt"
    if tweets.exists():
        real = tmp / "tweeteval_test.csv"
        with open(real, "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(["text"])
            w.writerows([line] for line in tweets.read_text(encoding="utf-8").splitlines())
        out["TweetEval test, 12,284 real tweets"] = [real]
    if tweets.exists():
        out["TweetEval test as it comes: plain text, one tweet per line"] = [tweets]
    sentences = DATA / "vader_groundtruth" / "amazonReviewSnippets_GroundTruth.txt"
    if sentences.exists():
        out["Amazon review sentences (tab-separated, stray quotes), 3,708"] = [sentences]
    videos = sorted((DATA / "youtube_spam").glob("Youtube0*.csv"))
    if videos:
        out["YouTube comments, 5 real files"] = videos
    if tweets.exists():  # an Instagram scrape's shape, its comments real tweets
        scrape = instagram_scrape(tweets.read_text(encoding="utf-8").splitlines())
        as_json = tmp / "dataset_instagram-scraper.json"
        as_json.write_text(json.dumps(scrape, ensure_ascii=False), encoding="utf-8")
        as_csv = tmp / "dataset_instagram-scraper.csv"
        flat = [flattened(p) for p in scrape]
        with open(as_csv, "w", newline="", encoding="utf-8") as f:
            w = csv.DictWriter(f, fieldnames=sorted({k for r in flat for k in r}))
            w.writeheader()
            w.writerows(flat)
        name = f"Instagram scrape, {POSTS:,} posts with their latest {PER_POST} comments (TweetEval's tweets)"
        out[f"{name}, JSON"] = [as_json]
        out[f"{name}, CSV (flattened: latestComments/0/text, ...)"] = [as_csv]
    return out


POSTS, PER_POST = 2_000, 50


def instagram_scrape(texts: list[str]) -> list[dict]:
    """Posts as Apify's Instagram scraper writes them, each with its latest comments nested (`latestComments`)."""
    posts = []
    for i in range(POSTS):
        comments = [{"id": f"c{i}_{j}", "text": texts[(i * PER_POST + j) % len(texts)], "ownerUsername": f"fan{j}",
                     "timestamp": f"2025-03-{1 + i % 28:02d}T1{j % 10}:00:00.000Z", "repliesCount": 0,
                     "replies": [], "likesCount": j % 7} for j in range(PER_POST)]
        posts.append({"id": str(i), "type": "Image", "shortCode": f"C{i}", "caption": f"New drop number {i}",
                      "commentsCount": PER_POST + i % 30, "likesCount": 100 + i, "ownerUsername": "acme",
                      "timestamp": f"2025-03-{1 + i % 28:02d}T09:00:00.000Z", "latestComments": comments})
    return posts


def flattened(obj: object, prefix: str = "") -> dict[str, str]:
    """A record as Apify's CSV download writes it: `latestComments/0/text` and the like."""
    if isinstance(obj, dict):
        return {k: v for key, value in obj.items()
                for k, v in flattened(value, f"{prefix}/{key}" if prefix else key).items()}
    if isinstance(obj, list):
        return {k: v for n, value in enumerate(obj) for k, v in flattened(value, f"{prefix}/{n}").items()}
    return {prefix: "" if obj is None else str(obj)}


def timed(code: Path, paths: list[Path], out: Path) -> float:
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "lib", "analyze", *map(str, paths), "--out", str(out), "--no-cache"],
                   cwd=code, check=True, capture_output=True)
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--before", help="a commit whose code is timed beside this tree's")
    before = ap.parse_args().before
    with tempfile.TemporaryDirectory() as t:
        tmp = Path(t)
        cases = files(tmp)
        old = tmp / "before"
        if before:
            subprocess.run(["git", "worktree", "add", "-f", "--detach", str(old), before], cwd=ROOT, check=True,
                           capture_output=True)
        try:
            print("| file | seconds" + (f" (commit {before}) | seconds (this tree) | same posts.csv |" if before
                                       else " |"))
            print("|---|---|" + ("---|---|" if before else ""))
            for name, paths in cases.items():
                now = timed(ROOT, paths, tmp / "now")
                if not before:
                    print(f"| {name} | {now:.1f} |", flush=True)
                    continue
                then = timed(old, paths, tmp / "then")
                same = (tmp / "now" / "posts.csv").read_bytes() == (tmp / "then" / "posts.csv").read_bytes()
                print(f"| {name} | {then:.1f} | {now:.1f} | {'yes' if same else 'no'} |", flush=True)
        finally:
            if before:
                subprocess.run(["git", "worktree", "remove", "--force", str(old)], cwd=ROOT, capture_output=True)


if __name__ == "__main__":
    main()
