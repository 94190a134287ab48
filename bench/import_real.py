"""What the importer reads from real files as they come, and what phone masking hides in real posts.

    .venv/bin/python bench/import_real.py

Rows: every real file in ../shared/data that is one table (read in place, never copied), the posts the import
keeps beside the file's non-blank lines, the format it recognised and its first note. The baseline is the file
itself: where the two counts differ by more than a header line, something was set aside (the note says what).
Masking: runs the phone pattern alone would mask in 17,819 real posts (UCI YouTube comments, TweetEval test,
Banking77 test, Sentiment140 test), beside those `lib.ingest.privacy` masks (figures in thousands, dates, year
spans and ids of 16+ digits left alone), with and without links masked first.
"""
from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / "shared" / "data"

from lib.ingest.build import ImportOptions, build_posts, open_sources  # noqa: E402
from lib.ingest.privacy import _PATTERNS, mask_text  # noqa: E402

FILES = ["tweeteval_sentiment/test_text.txt", "tweeteval_sentiment/val_text.txt", "umsab/english/test_text.txt",
         "umsab/german/test_text.txt", "umsab/portuguese/test_text.txt",
         "vader_groundtruth/amazonReviewSnippets_GroundTruth.txt",
         "vader_groundtruth/nytEditorialSnippets_GroundTruth.txt", "vader_groundtruth/tweets_GroundTruth.txt",
         "sentiment140_test/testdata.manual.2009.06.14.csv", "youtube_spam/Youtube04-Eminem.csv",
         "banking77/test.csv", "goemotions/test.tsv", "emotion/test.txt"]


def posts_rows() -> None:
    print("| file | non-blank lines | posts kept | recognised as | first note |")
    print("|---|---|---|---|---|")
    for name in FILES:
        path = DATA / name
        if not path.exists():
            continue
        lines = sum(1 for ln in path.read_text(encoding="utf-8", errors="replace").splitlines() if ln.strip())
        result = build_posts(open_sources([path]), ImportOptions())
        notes = result.report.get("warnings") or [""]
        fmt = result.report["files"][0]["format_label"]
        print(f"| {name} | {lines:,} | {len(result.posts):,} | {fmt} | {notes[0][:90]} |", flush=True)


def masking() -> None:
    texts = pd.concat([
        pd.read_csv(DATA / "youtube_spam" / "DERIVED_youtube_spam_all.csv")["CONTENT"],
        pd.Series((DATA / "tweeteval_sentiment" / "test_text.txt").read_text(encoding="utf-8").splitlines()),
        pd.read_csv(DATA / "banking77" / "test.csv")["text"],
        pd.read_csv(DATA / "sentiment140_test" / "testdata.manual.2009.06.14.csv", header=None,
                    encoding="latin-1")[5]]).astype("string").reset_index(drop=True)
    phone, urls = _PATTERNS["phones"][0], _PATTERNS["urls"]
    linkless = texts.str.replace(urls[0], urls[1], regex=True)
    print(f"\n| {len(texts):,} real posts | runs the phone pattern alone masks | runs masked now |")
    print("|---|---|---|")
    print(f"| phones only | {int(texts.str.count(phone).sum())} | {mask_text(texts, {'phones'})[1]['phones']} |")
    print(f"| links masked first | {int(linkless.str.count(phone).sum())} | "
          f"{mask_text(texts, {'urls', 'phones'})[1]['phones']} |")


if __name__ == "__main__":
    posts_rows()
    masking()
