"""Emotion on real labelled text: the word lists against the model learned from GoEmotions, in one run.

    .venv/bin/python bench/eval_emotion.py          # a table; about a minute on 2 cores
    .venv/bin/python bench/eval_emotion.py --before OLD.npz   # and a row for an earlier model file

- GoEmotions test (5,427 Reddit comments; the model learned from the train split, its settings were chosen on
  dev): macro-F1 over Ekman's six groups + neutral, a prediction right when it is one of the comment's groups
  (lib.listening.emotion_train.macro_f1); accuracy the same way.
  Beside it the same against the groups as the model learns them (lib.listening.emotion_train.READ_AS_NEUTRAL:
  curiosity, confusion and desire, which the set's Ekman mapping files under surprise and joy, as neutral).
- Banking77 test (3,080 customer-support queries, CC BY 4.0; no emotion labels): the shares called surprise and
  joy. Nearly all are plain questions or requests ("how do I locate my card?", "I would like to change my PIN"),
  which are neither.
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
from lib.listening.emotion_train import READ_AS_NEUTRAL, macro_f1, read_goemotions  # noqa: E402

DAIR_LABELS = ["joy", "sadness", "anger", "fear", "surprise"]


def words(texts: pd.Series) -> pd.Series:
    return dominant_emotion(emotion_words(texts).counts)


def model(texts: pd.Series) -> pd.Series:
    return emotion_model().predict(texts)["emotion"]


def goemotions_row(predict) -> dict:
    test, learned = read_goemotions("test"), read_goemotions("test", as_neutral=READ_AS_NEUTRAL)
    pred = predict(test["text"])
    return {"ge_f1": macro_f1(pred, test["groups"]), "ge_learned_f1": macro_f1(pred, learned["groups"]),
            "ge_acc": float(np.mean([p in g for p, g in zip(pred, test["groups"])]))}


def support_row(predict) -> dict:
    pred = predict(pd.read_csv(DATA / "banking77" / "test.csv")["text"])
    return {"b77_surprise": float((pred == "surprise").mean()), "b77_joy": float((pred == "joy").mean())}


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
    import argparse

    from lib.listening.emotion_model import EmotionResult

    parser = argparse.ArgumentParser()
    parser.add_argument("--before", help="an earlier emotion model file (e.g. from git show), as a row of its own")
    args = parser.parse_args()
    texts = ten_thousand_posts()
    import sklearn.feature_extraction.text  # noqa: F401  the app imports it at start (enrich.warm_up)
    import sklearn.linear_model  # noqa: F401
    rows = [("Word lists (Listening Lab's, before)", words), (MODEL_NAME + " (TF-IDF + logistic regression)", model)]
    if args.before:
        earlier = EmotionResult.load(Path(args.before))
        rows.insert(1, (f"{MODEL_NAME}, {args.before}", lambda t: earlier.predict(t)["emotion"]))
    print("| emotion | GoEmotions test macro-F1 (acc) | the same, as learned (READ_AS_NEUTRAL) | "
          "dair-ai test acc | dair-ai macro-F1 | dair-ai coverage | support queries called surprise / joy | "
          "load, CPU s | 10k posts, CPU s |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name, predict in rows:
        load = cpu_seconds(predict, texts.head(1))  # the first call loads the model
        t = cpu_seconds(predict, texts)
        r = goemotions_row(predict) | dair_row(predict) | support_row(predict)
        print(f"| {name} | {r['ge_f1']:.3f} ({r['ge_acc']:.2f}) | {r['ge_learned_f1']:.3f} | {r['dair_acc']:.3f} | "
              f"{r['dair_f1']:.3f} | {r['dair_cover']:.0%} | {r['b77_surprise']:.0%} / {r['b77_joy']:.1%} | "
              f"{load:.2f} | {t:.2f} |",
              flush=True)


if __name__ == "__main__":
    main()
