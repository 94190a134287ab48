"""Zero-shot sentiment with the posts' meaning: the shipped word model (public-2) beside a head over MiniLM
sentence vectors and the two averaged, on the real labelled sets. An experiment, nothing here ships.

    .venv/bin/python bench/sentiment_meaning.py [--bias 0 0.1 0.2]

Why: the app already computes every post's MiniLM vector in the background (learning from labels reads them), and
issue 20 allows a better model that needs them to upgrade the page in place. Before building that, this measures
what it would buy.

The head is a logistic regression (scikit-learn defaults, classes balanced) on the MiniLM vectors of the texts the
multilingual head learns from (`lib.listening.multilingual_train.training_texts`: the VADER paper's rated tweets,
GoEmotions train, Banking77 train; 10,200 texts whose licences let a model ship), trained here at each run. The
average is the geometric mean of the two models' probabilities, with `--bias` added to the log-odds of negative
(0: none; the bias is not chosen on these sets, every value asked for is printed). The complaint rule applies to
every row as in the app; self-promotion is not read here (YouTube's rows are a little off the app's). Sets are
bench/eval_shares.py's (evaluation only): TweetEval test resampled to 63 % negative, TweetEval test as is,
Sentiment140 test, GoEmotions test (one sentiment group per comment), 400 hand-labelled YouTube comments. Vectors
come from the bench's disk cache (tmp/), so a rerun takes about a minute.
"""
from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import eval_shares  # noqa: E402
from bench.eval_topics_real import workspace  # noqa: E402
from lib.embeddings.cache import embed  # noqa: E402
from lib.listening import sentiment as sent  # noqa: E402
from lib.listening.multilingual import CLASSES, MultilingualSettings  # noqa: E402
from lib.listening.multilingual_train import training_texts  # noqa: E402
from lib.listening.train import DATA  # noqa: E402

P = ["p_negative", "p_neutral", "p_positive"]
SETS = ["tweeteval63_brands", "tweeteval", "sentiment140", "goemotions", "youtube"]


def head() -> object:
    """The MiniLM head, trained on the licence-allowed texts."""
    from sklearn.linear_model import LogisticRegression

    train = training_texts(DATA, MultilingualSettings())
    x = embed(train["text"].astype(str), workspace(), "minilm").vectors
    return LogisticRegression(max_iter=3000, class_weight="balanced").fit(x, train["label"].to_numpy())


def labelled(texts: pd.Series, p: np.ndarray) -> np.ndarray:
    """Labels from probabilities, the complaint rule on top (as `lib.listening.sentiment.score` gives them)."""
    rule = sent.complaint_rule(texts, pd.DataFrame(p, columns=P, index=texts.index)).to_numpy()
    return np.where(rule, "negative", np.array(CLASSES)[p.argmax(axis=1)])


def rows(biases: list[float]) -> pd.DataFrame:
    from sklearn.metrics import f1_score

    clf = head()
    order = [list(clf.classes_).index(c) for c in CLASSES]  # type: ignore[attr-defined]
    out = []
    for name, posts in eval_shares.sets(SETS).items():
        texts = posts["text"].fillna("").astype(str)
        y = posts["truth"].to_numpy()
        words = sent.score(texts)[P].to_numpy()
        meaning = clf.predict_proba(embed(texts, workspace(), "minilm").vectors)[:, order]  # type: ignore[attr-defined]
        runs = {"public-2 (the app's zero-shot model)": words, "MiniLM head": meaning}
        mean = np.exp((np.log(words.clip(1e-6)) + np.log(meaning.clip(1e-6))) / 2)
        for b in biases:
            p = mean * np.r_[np.exp(b), 1.0, 1.0]
            runs[f"average, bias {b:g}"] = p / p.sum(axis=1, keepdims=True)
        for model, p in runs.items():
            lab = labelled(texts, p)
            out.append({"set": name, "model": model, "f1": f1_score(y, lab, average="macro"),
                        "err": 100 * ((lab == "negative").mean() - (y == "negative").mean())})
    return pd.DataFrame(out)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--bias", type=float, nargs="*", default=[0.0, 0.1, 0.2])
    warnings.filterwarnings("ignore")
    table = rows(ap.parse_args().bias)
    models = list(dict.fromkeys(table["model"]))
    print("| model | " + " | ".join(SETS) + " | largest share error |")
    print("|---|" + "---|" * (len(SETS) + 1))
    for m in models:
        part = table[table["model"] == m].set_index("set")
        cells = [f"{part.loc[s, 'f1']:.3f} / {part.loc[s, 'err']:+.1f}" for s in SETS]
        print(f"| {m} | " + " | ".join(cells) + f" | {part['err'].abs().max():.1f} |")
    print("\nCells: macro-F1 per post / negative share error in points (labels counted), zero-shot.")


if __name__ == "__main__":
    main()
