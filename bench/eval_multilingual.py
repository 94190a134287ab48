"""Sentiment in other languages on real labelled tweets: the product's path against the English-only reading.

    .venv/bin/python bench/eval_multilingual.py

Data (../shared/data/umsab, evaluation only: nothing is trained or tuned on it): the UMSAB test tweets in English,
German, Italian and Portuguese, 870 each, balanced negative / neutral / positive.

Rows, each set read as one dataset:
- `listening lab`: lib.listening.enrich.sentiment_for with the posts' detected languages, as the app, the
  background job and the command line run it (non-English posts in a language the head reads get the
  multilingual model; a post detected as English keeps the English model);
- `English model (before)`: the same without languages (what every post got before);
- `plain VADER`: VADER's compound at +-0.05.
Columns: macro-F1 and accuracy per language; `neg share err`: on a resample of each set that is 63 % negative,
20 % neutral, 17 % positive (5 draws of 300 posts), the mean absolute error of the negative share in points, so
a method that pulls every dataset towards a third each shows here; speed of the multilingual head in posts/s.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / "shared" / "data" / "umsab"
LANGS = [("english", "en"), ("german", "de"), ("italian", "it"), ("portuguese", "pt")]
LABELS = np.array(["negative", "neutral", "positive"])
SKEW = (0.63, 0.20, 0.17)


def load(folder: str) -> pd.DataFrame:
    texts = (DATA / folder / "test_text.txt").read_text(encoding="utf-8").split("\n")
    gold = LABELS[np.array([int(x) for x in (DATA / folder / "test_labels.txt").read_text().split()])]
    return pd.DataFrame({"post_id": [f"{folder}{i}" for i in range(len(texts))], "text": texts, "truth": gold})


def readers() -> dict:
    from lib.listening import sentiment as sent
    from lib.listening.enrich import sentiment_for
    from lib.listening.language import detect_languages

    return {
        "listening lab": lambda p: sentiment_for(p, languages=detect_languages(p["text"])).scores["sentiment_label"],
        "English model (before)": lambda p: sentiment_for(p).scores["sentiment_label"],
        "plain VADER": lambda p: sent.vader_labels(sent.vader_scores(p["text"])["compound"]),
    }


def skew_error(posts: pd.DataFrame, said: pd.Series, seed: int = 0) -> float:
    """Mean |negative share error| in points over 5 resamples of 300 posts, 63 % negative."""
    rng = np.random.default_rng(seed)
    errs = []
    for _ in range(5):
        rows = np.concatenate([rng.choice(np.flatnonzero(posts["truth"].to_numpy() == c), int(300 * w))
                               for c, w in zip(LABELS, SKEW)])
        errs.append(abs((said.iloc[rows] == "negative").mean() - (posts["truth"].iloc[rows] == "negative").mean()))
    return 100 * float(np.mean(errs))


def main() -> None:
    from sklearn.metrics import f1_score

    from lib.listening.multilingual import Encoder, multilingual_model

    if not DATA.exists():
        sys.exit(f"no data at {DATA}")
    sets = {code: load(folder) for folder, code in LANGS}
    rows = []
    for name, read in readers().items():
        row = {"reader": name}
        for code, posts in sets.items():
            said = read(posts)
            row[f"{code} F1"] = f1_score(posts["truth"], said, average="macro")
            row[f"{code} acc"] = float((said == posts["truth"]).mean())
            if code != "en":
                row[f"{code} neg share err"] = skew_error(posts, said)
        rows.append(row)
    cols = [c for c in rows[0] if c != "reader"]
    print("| reader | " + " | ".join(cols) + " |")
    print("|---|" + "---|" * len(cols))
    for row in rows:
        print(f"| {row['reader']} | " + " | ".join(f"{row[c]:.1f}" if "err" in c else f"{row[c]:.3f}"
                                                 for c in cols) + " |")
    texts = sets["de"]["text"].tolist()[:400]
    multilingual_model()
    began = time.perf_counter()
    Encoder.embed(texts)
    print(f"\nmultilingual head: {len(texts) / (time.perf_counter() - began):.0f} posts/s (German tweets, 2 cores)")


if __name__ == "__main__":
    main()
