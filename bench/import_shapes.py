"""Import time of awkward file shapes and real exports: the command line's import alone, in a fresh process each.

    .venv/bin/python bench/import_shapes.py [--before REV]     # about a minute on 2 cores; twice with --before

Files: one row of 10,001 columns and a million rows of four columns (the two shapes of tests/test_hostile.py,
written to a temporary folder), 200,000 rows of which one post in 1,000 is written over two lines (quoted), and
real exports read from ../shared/data (never copied): TweetEval test (12,284 tweets, one text per line, as a
one-column CSV and as the plain text file it is), the VADER paper's Amazon review sentences (tab-separated, with
stray quotes) and the UCI YouTube comments (five files, 1,956 comments).
Seconds are wall time of `python -m lib analyze FILE... --out DIR --no-cache` (import, mapping, cleaning, posts.csv
written). `--before REV` runs the same files with the code of commit REV (a git worktree of it, removed after)
in the same session, so both columns come from the same machine in the same hour; posts.csv is compared byte for
byte.
"""
from __future__ import annotations

import argparse
import csv
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
    return out


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
