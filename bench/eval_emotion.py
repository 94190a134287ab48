"""Emotion on real labelled text: the word lists against the model learned from GoEmotions, in one run.

    .venv/bin/python bench/eval_emotion.py          # a table; about a minute on 2 cores

- GoEmotions test (5,427 Reddit comments; the model learned from the train split, its settings were chosen on
  dev): macro-F1 over Ekman's six groups + neutral, a prediction right when it is one of the comment's groups
  (lib.listening.emotion_train.macro_f1); accuracy the same way.
- dair-ai emotion test (2,000 tweets; research-only: never trained on, and only the
  validation split chose a rule (lib.listening.emotion_model.FEELING_STATEMENT); "love" counted as
  joy): accuracy and macro-F1 over its five emotions, and coverage, the share of posts given an emotion rather
  than neutral (every tweet there was labelled with one, so neutral counts as wrong).
- Time to label 10,000 distinct posts (the sample scenarios' texts with a random tag), as CPU seconds (the
  machine is shared, so wall time says more about the neighbours): loading the model once (numpy and
  scikit-learn already imported, as in the app after its warm-up), then labelling. What the Listening page
  adds to its wait after Save.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import accuracy_score, f1_score

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / "shared" / "data"

from lib.listening.emotion import dominant_emotion, emotion_words  # noqa: E402
from lib.listening.emotion_model import MODEL_NAME, emotion_model  # noqa: E402
from lib.listening.emotion_train import macro_f1, read_goemotions  # noqa: E402

DAIR_LABELS = ["joy", "sadness", "anger", "fear", "surprise"]


def words(texts: pd.Series) -> pd.Series:
    return dominant_emotion(emotion_words(texts).counts)


def model(texts: pd.Series) -> pd.Series:
    return emotion_model().predict(texts)["emotion"]


def goemotions_row(predict) -> dict:
    test = read_goemotions("test")
    pred = predict(test["text"])
    return {"ge_f1": macro_f1(pred, test["groups"]),
            "ge_acc": float(np.mean([p in g for p, g in zip(pred, test["groups"])]))}


def dair_row(predict) -> dict:
    e = pd.read_csv(DATA / "emotion" / "test.txt", sep=";")
    y = e["label_name"].replace({"love": "joy"})
    pred = predict(e["text"])
    return {"dair_acc": accuracy_score(y, pred), "dair_f1": f1_score(y, pred, labels=DAIR_LABELS, average="macro"),
            "dair_cover": float((pred != "neutral").mean())}


def ten_thousand_posts() -> pd.Series:
    texts = pd.concat([pd.read_csv(ROOT / "sample_data" / f)[col] for f, col in
                       (("connectsphere.csv", "text"), ("gamerfuel.csv", "content"))]).dropna().astype(str)
    rng = np.random.default_rng(0)
    texts = texts.sample(10_000, replace=True, random_state=0).reset_index(drop=True)
    return texts + " #t" + pd.Series(rng.integers(0, 10**9, len(texts))).astype(str)


def cpu_seconds(predict, texts: pd.Series) -> float:
    t = time.process_time()
    predict(texts)
    return time.process_time() - t


def main() -> None:
    texts = ten_thousand_posts()
    import sklearn.feature_extraction.text  # noqa: F401  the app imports it at start (enrich.warm_up)
    import sklearn.linear_model  # noqa: F401
    rows = [("Word lists (Listening Lab's, before)", words), (MODEL_NAME + " (TF-IDF + logistic regression)", model)]
    print("| emotion | GoEmotions test macro-F1 (acc) | dair-ai test acc | dair-ai macro-F1 | dair-ai coverage | "
          "load, CPU s | 10k posts, CPU s |")
    print("|---|---|---|---|---|---|---|")
    for name, predict in rows:
        load = cpu_seconds(predict, texts.head(1))  # the first call loads the model
        t = cpu_seconds(predict, texts)
        r = goemotions_row(predict) | dair_row(predict)
        print(f"| {name} | {r['ge_f1']:.3f} ({r['ge_acc']:.2f}) | {r['dair_acc']:.3f} | {r['dair_f1']:.3f} | "
              f"{r['dair_cover']:.0%} | {load:.2f} | {t:.2f} |", flush=True)


if __name__ == "__main__":
    main()
