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

A second table covers every language the head reads, including those with no labelled set here (Spanish,
French, Greek, Japanese): the 32 parallel sentences (lib/listening/models/parallel_sentences.tsv), each given
the sentiment it was written with (bench/data/parallel_sentences_sentiment.csv), read with the language's offset
measured on the other 31 sentences (leave one out, so no sentence helps place itself). 32 sentences are few: it
says whether a language goes through the head about as well as the measured ones, not how well it reads tweets.

A third table: whether the zero-shot range of the shares of all posts holds the truth (`range_rows`), now and
with the English model's margin for every post (before 2026-12-07).
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
        "plain VADER": lambda p: sent.vader_labels(sent.vader_scores(p["text"], words_only=False)["compound"]),
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


def parallel_rows() -> list[dict]:
    """Accuracy per language on the parallel sentences, offsets left one out; and the English model's."""
    from lib.listening.enrich import sentiment_for
    from lib.listening.multilingual import CLASSES, Encoder, multilingual_model, parallel_sentences

    model = multilingual_model()
    sentences = parallel_sentences()
    truth = pd.read_csv(ROOT / "bench" / "data" / "parallel_sentences_sentiment.csv")["sentiment"].to_numpy()
    vectors = {code: Encoder.embed(sentences[code].tolist()) for code in sentences}
    ours, before = {}, {}
    for code, v in vectors.items():
        said = []
        for i in range(len(v)):
            rest = np.arange(len(v)) != i
            offset = 0.0 if code == "en" else v[rest].mean(axis=0) - vectors["en"][rest].mean(axis=0)
            said.append(CLASSES[int(model.proba(v[i:i + 1] - offset, "en").argmax())])  # "en": no offset of its own
        ours[code] = float((np.array(said) == truth).mean())
        posts = pd.DataFrame({"post_id": [str(i) for i in range(len(v))], "text": sentences[code]})
        before[code] = float((sentiment_for(posts).scores["sentiment_label"].to_numpy() == truth).mean())
    return [{"reader": "multilingual head, offset left one out", **ours},
            {"reader": "English model (what a post in this language got before)", **before}]


def range_rows(sets: dict[str, pd.DataFrame]) -> list[dict]:
    """Whether the zero-shot range of the share of all posts (lib.listening.shares, 90 %) holds the true share:
    as the app draws it now (the part the multilingual model read widened by its own margin) and as before (every
    post's part by the English model's margin). Per language: the set as it is and 5 resamples of 300 posts at
    63 % negative; `held`: how many of those 18 ranges (3 labels x 6) hold the truth; `width`: the negative
    range's mean width in points. A third row: calibrated on 150 random posts' labels (the multilingual model's
    part is then not widened, as the English one's)."""
    from lib.listening.enrich import sentiment_for
    from lib.listening.language import detect_languages
    from lib.listening.shares import ShareSettings, estimate_shares

    out: dict[str, dict] = {"now": {"range": "zero-shot, as the app draws it now"},
                            "before": {"range": "zero-shot before (the English model's margin for every post)"},
                            "labels": {"range": "150 random labels (calibrated: no margin)"}}
    for code, posts in sets.items():
        scores = sentiment_for(posts, languages=detect_languages(posts["text"])).scores
        frame = pd.concat([posts[["truth"]], scores], axis=1)
        rng = np.random.default_rng(0)
        truth = frame["truth"].to_numpy()
        draws = [np.arange(len(frame))] + [
            np.concatenate([rng.choice(np.flatnonzero(truth == c), int(300 * w)) for c, w in zip(LABELS, SKEW)])
            for _ in range(5)]
        for name, f in (("now", frame), ("before", frame.drop(columns=["sentiment_source", "vader_label"])),
                        ("labels", frame)):
            held, width = 0, 0.0
            for rows in draws:
                part = f.iloc[rows].reset_index(drop=True).assign(post_id=lambda d: d.index.astype(str))
                pick = rng.choice(len(part), 150, replace=False) if name == "labels" else []
                labels = pd.Series(part["truth"].to_numpy()[pick], index=part["post_id"].to_numpy()[pick])
                got = estimate_shares(part, labels, settings=ShareSettings(replicates=100)).interval["overall"]
                held += sum(got[c][0] <= (part["truth"] == c).mean() <= got[c][1] for c in LABELS)
                width += 100 * (got["negative"][1] - got["negative"][0]) / len(draws)
            out[name][f"{code} held"], out[name][f"{code} width"] = f"{held}/{3 * len(draws)}", f"{width:.0f}"
    return list(out.values())


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
    rows = parallel_rows()
    codes = [c for c in rows[0] if c != "reader"]
    print("\n| 32 parallel sentences, accuracy | " + " | ".join(codes) + " |")
    print("|---|" + "---|" * len(codes))
    for row in rows:
        print(f"| {row['reader']} | " + " | ".join(f"{row[c]:.2f}" for c in codes) + " |")
    rows = range_rows(sets)
    cols = [c for c in rows[0] if c != "range"]
    print("\n| zero-shot range of all posts' shares | " + " | ".join(cols) + " |")
    print("|---|" + "---|" * len(cols))
    for row in rows:
        print(f"| {row['range']} | " + " | ".join(row[c] for c in cols) + " |")
    texts = sets["de"]["text"].tolist()[:400]
    multilingual_model()
    began = time.perf_counter()
    Encoder.embed(texts)
    print(f"\nmultilingual head: {len(texts) / (time.perf_counter() - began):.0f} posts/s (German tweets, 2 cores)")


if __name__ == "__main__":
    main()
