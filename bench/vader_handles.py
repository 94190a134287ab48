"""VADER reading a post's @handles as words, and not: the Listening Lab label (zero-shot) both ways, on real
labelled tweets, with any labelled exports given on the command line (their own sentiment column, found as the
app finds it: `lib.listening.given`); and VADER reading stretched words ("LOVEEEE") as the words they stretch,
against the VADER paper's human ratings.

    .venv/bin/python bench/vader_handles.py                       # TweetEval test (as is, and at 63 % negative)
    .venv/bin/python bench/vader_handles.py --files Tweets.csv    #   and Sentiment140; plus a labelled export

VADER strips the "@" and reads a handle as a word: "@united" is "united" (+1.8 in its lexicon). `lib.listening.
sentiment.vader_scores` leaves the handles out (`words_only`); "stock" is VADER on the raw text, as before.
Each cell: accuracy / macro-F1 / negative-share error in points (share labelled negative minus the true share);
per brand (an export with a brand column) the largest such error over brands with 100+ posts.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd
from sklearn.metrics import accuracy_score, f1_score

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from eval_sentiment import DATA, tweeteval  # noqa: E402

from lib.listening import sentiment as sent  # noqa: E402
from lib.listening.train import COMPLAINT_HEAVY, resample  # noqa: E402


def sets(files: list[Path]):  # type: ignore[no-untyped-def]
    texts, y = tweeteval()
    yield "TweetEval test", texts, y, None
    heavy = resample(y, COMPLAINT_HEAVY)
    yield "TweetEval test at 63 % negative", texts.iloc[heavy], y.iloc[heavy], None
    s = pd.read_csv(DATA / "sentiment140_test" / "testdata.manual.2009.06.14.csv", encoding="latin-1")
    yield "Sentiment140 test", s["text"], s["polarity"].map({0: "negative", 2: "neutral", 4: "positive"}), s["query"]
    from lib.ingest.build import ImportOptions, build_posts, open_sources
    from lib.listening.given import find_given_sentiment

    for f in files:
        posts = build_posts(open_sources([f]), ImportOptions()).posts
        given = find_given_sentiment(posts)
        if given is None:
            print(f"{f.name}: no sentiment column of its own; skipped", file=sys.stderr)
            continue
        keep = given.labels.notna()
        yield (f"{f.name} ('{given.file_column}')", posts.loc[keep, "text"], given.labels[keep],
               posts.loc[keep, "brand"] if "brand" in posts else None)


def cell(y: pd.Series, p: pd.Series, brand: pd.Series | None) -> str:
    neg = ((p == "negative").mean() - (y == "negative").mean()) * 100
    out = f"{accuracy_score(y, p):.3f} / {f1_score(y, p, average='macro'):.3f} / {neg:+.1f}"
    if brand is not None:
        errs = [abs(((p[m] == "negative").mean() - (y[m] == "negative").mean()) * 100)
                for b in brand.dropna().unique() if (m := (brand == b).to_numpy()).sum() >= 100]
        if errs:
            out += f" (brand {max(errs):.1f})"
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", nargs="*", type=Path, default=[], help="labelled exports (their own sentiment)")
    args = ap.parse_args()
    print("| set | posts | with a handle | stock VADER features | words only (the app) |")
    print("|---|---|---|---|---|")
    for name, texts, y, brand in sets(args.files):
        texts, y = texts.reset_index(drop=True).astype(str), y.reset_index(drop=True)
        brand = brand.reset_index(drop=True) if brand is not None else None
        stock = sent.score(texts, vader=sent.vader_scores(texts, words_only=False))["sentiment_label"]
        words = sent.score(texts)["sentiment_label"]
        handles = float(texts.str.contains(r"@\w", regex=True).mean())
        print(f"| {name} | {len(texts):,} | {handles:.0%} | {cell(y, stock, brand)} | {cell(y, words, brand)} |",
              flush=True)


def stretched() -> None:
    """VADER's agreement (Pearson r) with the raters of the VADER paper's tweets, stock against as the app reads
    them (`sent.unstretched`: "LOVEEEE" -> "LOVE"), over the tweets with a stretched word and over all."""
    import numpy as np

    rated = pd.read_csv(DATA / "vader_groundtruth" / "DERIVED_vader_groundtruth_all.csv").query("corpus == 'tweets'")
    texts, y = rated["text"].astype(str).reset_index(drop=True), rated["mean_sentiment"].to_numpy()
    mask = texts.map(lambda t: sent._RUN.search(t) is not None).to_numpy()
    stock = sent.vader_scores(texts, words_only=False)["compound"].to_numpy()
    app = sent.vader_scores(texts)["compound"].to_numpy()
    print("\n| VADER paper tweets | tweets | r, stock VADER | r, as the app reads them |\n|---|---|---|---|")
    for name, m in (("with a stretched word", mask), ("all", np.ones(len(texts), dtype=bool))):
        r_stock, r_app = (np.corrcoef(v[m], y[m])[0, 1] for v in (stock, app))
        print(f"| {name} | {m.sum():,} | {r_stock:.3f} | {r_app:.3f} |")


if __name__ == "__main__":
    main()
    stretched()
