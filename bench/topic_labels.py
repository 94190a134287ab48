"""Topic labels on real posts: c-TF-IDF's first keywords against the label Listening Lab gives, from one fit.

    .venv/bin/python bench/topic_labels.py [--changed]

For each real set (the English sets of bench/eval_topics_real.py, their four languages mixed, and TweetEval's
14,284 tweets), one fit with the app's defaults (seed 42); each topic is labelled twice from the same keywords:
in c-TF-IDF's order (`label_from_keywords(keywords)`, as before 2026-12-05) and in `label_order`'s (a keyword
that fewer than two of the topic's posts have, or a phrase no post writes as such, goes last). The rules that
skip a word already in the label apply to both. Figures: the share of the posts in a topic that have one of
its label's words (how much of a topic its label describes), and how many labels changed. `--changed` lists
them, before and after. Stock BERTopic is not beside it: without stop words its labels are "the · to · and",
which every post has.
"""
from __future__ import annotations

import argparse
import re
import sys
import warnings
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import eval_topics_real as real  # noqa: E402
from lib.pipeline import topic_settings  # noqa: E402
from lib.topics.describe import label_from_keywords  # noqa: E402
from lib.topics.fit import fit_topics, warm_up  # noqa: E402

TWEETEVAL = ROOT.parent / "shared" / "data" / "tweeteval_sentiment"


def tweeteval() -> pd.DataFrame:
    """TweetEval's test and validation tweets (evaluation only: read here, never trained on)."""
    texts = [line for name in ("test_text.txt", "val_text.txt")
             for line in (TWEETEVAL / name).read_text(encoding="utf-8").splitlines()]
    return pd.DataFrame({"post_id": [str(i) for i in range(len(texts))], "text": texts})


SETS = {name: load for name, load in real.SETS.items()
        if any(k in name for k in ("XL en", "Banking77 test", "Sentiment140", "YouTube"))}
SETS["TweetEval test + validation, 14,284 tweets"] = tweeteval


def label_coverage(texts: pd.Series, topic: np.ndarray, labels: dict[int, str]) -> float:
    """Share of the posts in a topic that have one of its label's words (a phrase as written), in lower case
    with what is not a letter, digit or space left out (as BERTopic counts words): how much of a topic its
    label describes. Words of scripts without spaces (Japanese) are found anywhere in a post."""
    norm = texts.fillna("").astype(str).str.lower().str.replace(r"[^\w\s]|_", "", regex=True).to_numpy()
    found = np.zeros(len(norm), dtype=bool)
    for t, label in labels.items():
        rows = np.flatnonzero(topic == t)
        for word in label.split(" · "):
            edge = "" if re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", word) else r"(?<!\w)"
            pattern = re.compile(edge + re.escape(word) + edge.replace("<", ""))
            found[rows] |= [bool(pattern.search(norm[r])) for r in rows]
    inside = topic != -1
    return float(found[inside].mean()) if inside.any() else float("nan")


def compare(name: str, posts: pd.DataFrame) -> dict:
    res = fit_topics(posts, replace(topic_settings(posts), seed=42), ws=real.workspace())
    named = res.info[res.info["topic"] != -1]
    now = dict(zip(named["topic"], named["label"], strict=True))
    before = {t: label_from_keywords(kw) for t, kw in zip(named["topic"], named["keywords"], strict=True)}
    changed = [(int(s), before[t], now[t]) for t, s in zip(named["topic"], named["size"], strict=True)
               if before[t] != now[t]]
    return {"set": name, "topics": len(now),
            "before": label_coverage(posts["text"], res.topic, before),
            "now": label_coverage(posts["text"], res.topic, now), "changed": changed}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--changed", action="store_true", help="list the labels that changed")
    args = ap.parse_args()
    warnings.filterwarnings("ignore")
    warm_up()
    rows = []
    for name, load in SETS.items():
        if (TWEETEVAL if "TweetEval" in name else real.DATA).exists():
            rows.append(compare(name, load()))
    print("| set | topics | labels changed | posts with a label word: c-TF-IDF's first keywords | now |")
    print("|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['set']} | {r['topics']} | {len(r['changed'])} | {r['before']:.0%} | {r['now']:.0%} |")
    if args.changed:
        for r in rows:
            print(f"\n{r['set']}:")
            for size, old, new in sorted(r["changed"], reverse=True):
                print(f"  {size:5d}  {old}  ->  {new}")


if __name__ == "__main__":
    main()
