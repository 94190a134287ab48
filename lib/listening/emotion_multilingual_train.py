"""Rebuild the shipped multilingual emotion head (lib.listening.emotion_multilingual) from GoEmotions.

    python -m lib.listening.emotion_multilingual_train [PATH/TO/shared/data/goemotions]

GoEmotions train (Apache-2.0), grouped as the English model learns it (lib.listening.emotion_train): the comments
with a single group, `per_class` of each drawn with `seed` (all of fear's and disgust's, which have fewer), about
7,400 texts for e5 to embed (4-6 minutes on 2 cores). Each class is weighted back to its share of the whole
split, as the English model counts it. Prints a check on GoEmotions dev (English; nothing is chosen on it).
TweetEval and UMSAB are never read here.
"""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

from lib.listening.emotion_model import CLASSES
from lib.listening.emotion_multilingual import MODEL_PATH, EmotionHeadSettings, fit_emotion_head
from lib.listening.emotion_train import GOEMOTIONS, READ_AS_NEUTRAL, macro_f1, read_goemotions

DEV_SAMPLE = 1500


def training_prior(train: pd.DataFrame) -> np.ndarray:
    """Each class's share of the split, a comment with several groups counting a part to each (as the English
    model's prior)."""
    share = np.zeros(len(CLASSES))
    for groups in train["groups"]:
        for g in groups:
            share[CLASSES.index(g)] += 1 / len(groups)
    return share / len(train)


def training_sample(train: pd.DataFrame, settings: EmotionHeadSettings) -> pd.DataFrame:
    """text, label: up to `per_class` single-group comments of each class, seeded."""
    single = train[train["groups"].map(len) == 1].assign(label=lambda d: d["groups"].map(lambda g: g[0]))
    return pd.concat([part.sample(min(settings.per_class, len(part)), random_state=settings.seed)
                      for _, part in single.groupby("label", sort=True)])[["text", "label"]].reset_index(drop=True)


def main(folder: str | None = None, settings: EmotionHeadSettings = EmotionHeadSettings()) -> None:
    from lib.listening.multilingual import Encoder

    root = Path(folder) if folder else GOEMOTIONS
    train = read_goemotions("train", root, READ_AS_NEUTRAL)
    sample = training_sample(train, settings)
    head = fit_emotion_head(Encoder.embed(sample["text"].tolist()), sample["label"].to_numpy(),
                            training_prior(train), settings,
                            trained_on=f"{len(sample):,} GoEmotions train comments, up to {settings.per_class:,} "
                                       f"per emotion or neutral ({', '.join(READ_AS_NEUTRAL)} read as neutral)")
    head.save(MODEL_PATH)
    print(f"{MODEL_PATH} ({MODEL_PATH.stat().st_size / 1e3:.0f} kB), {head.trained_on}", file=sys.stderr)
    dev = read_goemotions("dev", root).sample(DEV_SAMPLE, random_state=settings.seed)
    pred = head.labels(head.proba(Encoder.embed(dev["text"].tolist())))
    f1 = macro_f1(pred.tolist(), dev["groups"].tolist())
    print(f"GoEmotions dev ({DEV_SAMPLE:,} English comments): macro-F1 {f1:.3f} (Ekman groups + neutral); "
          f"neutral said for {(pred == 'neutral').mean():.0%}", file=sys.stderr)

if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else None)
