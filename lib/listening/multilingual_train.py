"""Rebuild the shipped multilingual sentiment head from labelled text whose licence lets it ship.

    python -m lib.listening.multilingual_train [PATH/TO/shared/data]
    python -m lib.listening.multilingual_train --add-languages     # a language added to the sentences (seconds)
    python -m lib.listening.multilingual_train --draw WISESIGHT_DIR SMSA_DIR   # redraw bench/data's two samples

The public model's sources (lib.listening.train), sampled so that e5 embeds about 10,000 English texts: the VADER
paper's rated tweets (MIT; all 4,200, above +0.5 positive, below -0.5 negative), GoEmotions train (Apache-2.0;
`per_class` comments of each sentiment group) and Banking77 train (CC BY 4.0; `banking` queries, problem reports
negative and plain requests neutral: complaints without a sentiment word). Since 2026-12-07 also real posts in
two other languages, 700 of each sentiment each (bench/data/sentiment_train_*.csv, drawn by `--draw`): Thai
social-media posts and comments from Wisesight Sentiment (PyThaiNLP/wisesight-sentiment, CC0; its test posts
left out) and Indonesian comments and reviews from IndoNLU's SmSA train split (IndoNLP/indonlu, Apache-2.0; its
valid texts left out). Why: learned from English alone, the head read many negative posts in other languages as
neutral (Chinese delivery reviews 40 % negative said, 67 % true); real posts in two more languages, read through
their offsets as the head reads a post, brought the negative share of languages it never saw closer to the truth
(README, "Languages"; bench/multilingual_training.py). Every text weighs the same and classes are weighted to balance.
About 14,400 texts to embed (6-8 minutes on 2 cores).

The language offsets are the shipped head's (models/parallel_sentences.tsv measured once; a rebuild keeps them
byte for byte, since E5's topic vectors are projected with them under a fixed id, lib.embeddings.e5); only a
language with no offset yet, or a first build, measures one. TweetEval and UMSAB are never read here
(bench/eval_multilingual.py measures on them). Prints the English dev figure on GoEmotions dev and Banking77 test
(texts not trained on; nothing is chosen on them).
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from lib.listening.multilingual import (
    CLASSES,
    MODEL_PATH,
    Encoder,
    MultilingualSettings,
    fit_multilingual,
    language_offsets,
    parallel_sentences,
)
from lib.listening.train import DATA, banking77, goemotions, vader_ratings

DEV_SAMPLE = 1500  # dev texts scored after training (English; a check, nothing is chosen on it)
SAMPLES = Path(__file__).resolve().parents[2] / "bench" / "data"
LANGUAGE_SETS = {"th": "sentiment_train_th_wisesight.csv", "id": "sentiment_train_id_smsa.csv"}


def training_texts(data: Path, settings: MultilingualSettings) -> pd.DataFrame:
    """text, label: the rated tweets, a balanced GoEmotions sample and a Banking77 sample, seeded."""
    ratings = vader_ratings(data)
    tweets = ratings[ratings["corpus"] == "tweets"]
    g = goemotions("train", data)
    reddit = pd.concat([part.sample(min(settings.per_class, len(part)), random_state=settings.seed)
                        for _, part in g.groupby("label", sort=True)])
    bank = banking77("train", data).sample(settings.banking, random_state=settings.seed)
    return pd.concat([tweets[["text", "label"]], reddit[["text", "label"]], bank[["text", "label"]]],
                     ignore_index=True)


def language_texts(folder: Path = SAMPLES) -> pd.DataFrame:
    """text, label, language: the labelled posts in other languages the head learns from (bench/data)."""
    return pd.concat([pd.read_csv(folder / name, dtype=str, keep_default_na=False).assign(language=code)
                      for code, name in LANGUAGE_SETS.items()], ignore_index=True)


def shipped_offsets() -> dict[str, np.ndarray]:
    """The shipped head's offsets, and one measured for any language of the sentences it lacks."""
    from lib.listening.multilingual import MultilingualResult

    sentences = parallel_sentences()
    kept = MultilingualResult.load(MODEL_PATH).offsets if MODEL_PATH.exists() else {}
    new = [c for c in sentences if c != "en" and c not in kept]
    return {**kept, **(language_offsets(sentences[["en", *new]]) if new else {})}


def training_vectors(english: pd.DataFrame, other: pd.DataFrame, offsets: dict[str, np.ndarray],
                     embed: Any = Encoder.embed) -> tuple[np.ndarray, pd.Series]:
    """The head's inputs and labels: the English texts' vectors, then each other language's read through its
    offset (as the head reads a post)."""
    parts = list(other.groupby("language", sort=False))
    vectors = np.vstack([embed(english["text"].tolist()),
                         *[embed(part["text"].tolist()) - offsets[code] for code, part in parts]])
    return vectors, pd.concat([english["label"], *[part["label"] for _, part in parts]], ignore_index=True)


def main(folder: str | None = None, settings: MultilingualSettings = MultilingualSettings()) -> None:
    from sklearn.metrics import f1_score

    data = Path(folder) if folder else DATA
    english, other = training_texts(data, settings), language_texts()
    offsets = shipped_offsets()
    vectors, labels = training_vectors(english, other, offsets)
    counts = other["language"].value_counts()
    model = fit_multilingual(vectors, labels, offsets, settings,
                             trained_on=f"{len(english):,} English texts: the VADER paper's rated tweets, GoEmotions "
                                        f"train ({settings.per_class:,} per sentiment group), Banking77 train "
                                        f"({settings.banking:,} queries); {counts.get('th', 0):,} Thai posts "
                                        f"(Wisesight) and {counts.get('id', 0):,} Indonesian ones (SmSA), read "
                                        "through their offsets")
    model.save(MODEL_PATH)
    print(f"{MODEL_PATH} ({MODEL_PATH.stat().st_size / 1e3:.0f} kB), {model.trained_on}; offsets for "
          f"{', '.join(model.languages)}", file=sys.stderr)
    for name, dev in (("GoEmotions dev", goemotions("dev", data)), ("Banking77 test", banking77("test", data))):
        dev = dev.sample(min(DEV_SAMPLE, len(dev)), random_state=settings.seed)
        pred = np.array(CLASSES)[model.proba(Encoder.embed(dev["text"].tolist()), "en").argmax(axis=1)]
        print(f"{name}: macro-F1 {f1_score(dev['label'], pred, average='macro'):.3f} ({len(dev):,} English texts)",
              file=sys.stderr)


def draw(wisesight: Path, smsa: Path, per_class: int = 700, seed: int = 0) -> None:
    """bench/data's two samples, `per_class` posts of each sentiment, from a checkout of each source: Wisesight's
    neg/neu/pos.txt less its kaggle-competition test posts, and SmSA's train_preprocess.tsv less its valid texts
    (the bench's test sets: never trained on)."""
    held = set((wisesight / "kaggle-competition" / "test.txt").read_text(encoding="utf-8").split("\n"))
    thai = pd.concat([pd.DataFrame({"text": [t for t in (wisesight / f"{short}.txt").read_text(encoding="utf-8")
                                             .split("\n") if t.strip() and t not in held], "label": label})
                      for short, label in (("neg", "negative"), ("neu", "neutral"), ("pos", "positive"))])

    def tsv(name: str) -> pd.DataFrame:
        return pd.read_csv(smsa / name, sep="\t", header=None, names=["text", "label"], quoting=3, dtype=str)

    indonesian = tsv("train_preprocess.tsv")
    indonesian = indonesian[~indonesian["text"].isin(set(tsv("valid_preprocess.tsv")["text"]))]
    for code, frame in (("th", thai), ("id", indonesian)):
        frame = frame[frame["label"].isin(CLASSES)].drop_duplicates("text")
        sample = pd.concat([part.sample(min(per_class, len(part)), random_state=seed)
                            for _, part in frame.groupby("label", sort=True)], ignore_index=True)
        sample[["text", "label"]].to_csv(SAMPLES / LANGUAGE_SETS[code], index=False)
        print(f"{SAMPLES / LANGUAGE_SETS[code]}: {len(sample):,} posts", file=sys.stderr)


def add_languages() -> None:
    """Offsets for the languages of models/parallel_sentences.tsv the shipped head lacks, added to it; the head
    and the other offsets are kept byte for byte, so a language joins without changing any other's reading."""
    from lib.listening.multilingual import MultilingualResult

    model, offsets = MultilingualResult.load(MODEL_PATH), shipped_offsets()
    new = sorted(set(offsets) - set(model.offsets))
    if not new:
        print(f"{MODEL_PATH}: every language of the sentences has its offset already", file=sys.stderr)
        return
    MultilingualResult(model.settings, model.coef, model.intercept, offsets, model.trained_on).save(MODEL_PATH)
    print(f"{MODEL_PATH}: offsets added for {', '.join(new)}", file=sys.stderr)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--add-languages"]:
        add_languages()
    elif sys.argv[1:2] == ["--draw"] and len(sys.argv) == 4:
        draw(Path(sys.argv[2]), Path(sys.argv[3]))
    else:
        main(sys.argv[1] if len(sys.argv) > 1 else None)
