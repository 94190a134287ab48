"""Posts beyond a topic fit's sample, given their topic by a classifier: words alone against words and WordLlama's
word vectors (lib.topics.assign.words_classifier), on real sets larger than the sample.

    .venv/bin/python bench/words_agreement.py [--repeats 3]

Each set is fitted as the app fits it (lib.pipeline.topic_settings: MiniLM, or E5 for the mixed-language set, on a
4,000-post sample); the classifier is then trained on four fifths of the sample's posts and their topics and scored
on the fifth held out: how often it gives the topic the embeddings gave (the `words_agreement` of summary.json, as
`words_classifier` itself measures it). Mean over `--repeats` held-out draws. Sets (../shared/data, read in
place): Banking77 train + test (13,083 queries), TweetEval test (12,284 tweets), the first 20,000 GoEmotions
training comments, dair-ai emotion training tweets (16,000), and 7,480 tweets in seven languages (TweetTopic-XL's
four, UMSAB's English, German, Italian, Portuguese).
Vectors are read from bench/eval_real's cache in tmp/ (the first run embeds the samples, a few minutes).
"""
from __future__ import annotations

import argparse
import sys
import warnings
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import eval_topics_real as topics_bench  # noqa: E402

from lib.pipeline import topic_settings  # noqa: E402
from lib.topics import assign  # noqa: E402
from lib.topics.fit import fit_topics, warm_up  # noqa: E402
from lib.topics.result import TopicSettings  # noqa: E402

DATA = topics_bench.DATA


def _frame(texts: list[str]) -> pd.DataFrame:
    return pd.DataFrame({"post_id": [str(i) for i in range(len(texts))], "text": texts})


def tweeteval() -> pd.DataFrame:
    return _frame((DATA / "tweeteval_sentiment" / "test_text.txt").read_text(encoding="utf-8").splitlines())


def goemotions() -> pd.DataFrame:
    rows = pd.read_csv(DATA / "goemotions" / "train.tsv", sep="\t", header=None, usecols=[0], quoting=3)
    return _frame(rows[0].astype(str).tolist()[:20_000])


def dair_emotion() -> pd.DataFrame:
    lines = (DATA / "emotion" / "train.txt").read_text(encoding="utf-8").splitlines()[1:]  # "text;label_name" first
    return _frame([line.rsplit(";", 1)[0] for line in lines])


def seven_languages() -> pd.DataFrame:
    texts = topics_bench.tweettopic_mixed()["text"].tolist()
    for lang in ("english", "german", "italian", "portuguese"):
        lines = (DATA / "umsab" / lang / "test_text.txt").read_text(encoding="utf-8").splitlines()
        texts += [t for t in lines if t.strip()]
    return _frame(texts)


SETS: dict[str, Callable[[], pd.DataFrame]] = {
    "Banking77 train + test, 13,083 queries": topics_bench.banking77_all,
    "TweetEval test, 12,284 tweets": tweeteval,
    "GoEmotions train, first 20,000 comments": goemotions,
    "dair-ai emotion train, 16,000 tweets": dair_emotion,
    "TweetTopic-XL x4 + UMSAB x4, 7,480 tweets in seven languages": seven_languages,
}


def sample_topics(posts: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, TopicSettings]:
    """The fitted sample's prepared texts and topics, as the words classifier is given them, and the settings."""
    settings = topic_settings(posts)
    seen: dict[str, object] = {}
    original = assign.words_classifier

    def capture(docs: list[str], topics_fit: np.ndarray, s: object) -> object:
        seen["docs"], seen["topics"] = np.asarray(docs, dtype=object), topics_fit
        return original(docs, topics_fit, s)  # type: ignore[arg-type]

    assign.words_classifier = capture  # type: ignore[assignment]
    try:
        fit_topics(posts, settings, ws=topics_bench.workspace())
    finally:
        assign.words_classifier = original  # type: ignore[assignment]
    return seen["docs"], seen["topics"], settings  # type: ignore[return-value]


def agreement(docs: np.ndarray, topics: np.ndarray, settings: TopicSettings, vectors: bool, seed: int) -> float:
    """The words classifier's own agreement (summary.json's `words_agreement`: a fifth of the sample held out,
    drawn with `seed`), with the word vectors or words alone."""
    pick = assign.word_vectors
    if not vectors:
        assign.word_vectors = lambda: None  # type: ignore[assignment]
    try:
        return assign.words_classifier(docs.tolist(), topics, replace(settings, seed=seed))[1]
    finally:
        assign.word_vectors = pick  # type: ignore[assignment]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    warnings.filterwarnings("ignore")
    warm_up()
    print("| set | sample topics | words alone | words and word vectors |\n|---|---|---|---|")
    for name, load in SETS.items():
        docs, topics, settings = sample_topics(load())
        alone, both = ([np.mean([agreement(docs, topics, settings, v, seed) for seed in range(args.repeats)])]
                       for v in (False, True))
        print(f"| {name} | {len(set(topics.tolist()) - {-1})} | {alone[0]:.2f} | {both[0]:.2f} |", flush=True)


if __name__ == "__main__":
    main()
