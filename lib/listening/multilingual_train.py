"""Rebuild the shipped multilingual sentiment head from English labelled text whose licence lets it ship.

    python -m lib.listening.multilingual_train [PATH/TO/shared/data]
    python -m lib.listening.multilingual_train --add-languages     # a language added to the sentences (seconds)

The public model's sources (lib.listening.train), sampled so that e5 embeds about 10,000 texts (4-8 minutes on
2 cores): the VADER paper's rated tweets (MIT; all 4,200, above +0.5 positive, below -0.5 negative), GoEmotions
train (Apache-2.0; `per_class` comments of each sentiment group) and Banking77 train (CC BY 4.0; `banking`
queries, problem reports negative and plain requests neutral: complaints without a sentiment word). Classes are
weighted to balance. The language offsets come from models/parallel_sentences.tsv. TweetEval and UMSAB are never
read here (bench/eval_multilingual.py measures on them). Prints the English dev figure on GoEmotions dev and
Banking77 test (texts not trained on; nothing is chosen on them).
"""
from __future__ import annotations

import sys
from pathlib import Path

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


def main(folder: str | None = None, settings: MultilingualSettings = MultilingualSettings()) -> None:
    from sklearn.metrics import f1_score

    data = Path(folder) if folder else DATA
    train = training_texts(data, settings)
    vectors = Encoder.embed(train["text"].tolist())
    model = fit_multilingual(vectors, train["label"], language_offsets(parallel_sentences()), settings,
                             trained_on=f"{len(train):,} English texts: the VADER paper's rated tweets, GoEmotions "
                                        f"train ({settings.per_class:,} per sentiment group), Banking77 train "
                                        f"({settings.banking:,} queries)")
    model.save(MODEL_PATH)
    print(f"{MODEL_PATH} ({MODEL_PATH.stat().st_size / 1e3:.0f} kB), {model.trained_on}; offsets for "
          f"{', '.join(model.languages)}", file=sys.stderr)
    for name, dev in (("GoEmotions dev", goemotions("dev", data)), ("Banking77 test", banking77("test", data))):
        dev = dev.sample(min(DEV_SAMPLE, len(dev)), random_state=settings.seed)
        pred = np.array(CLASSES)[model.proba(Encoder.embed(dev["text"].tolist()), "en").argmax(axis=1)]
        print(f"{name}: macro-F1 {f1_score(dev['label'], pred, average='macro'):.3f} ({len(dev):,} English texts)",
              file=sys.stderr)


def add_languages() -> None:
    """Offsets for the languages of models/parallel_sentences.tsv the shipped head lacks, added to it; the head
    and the other offsets are kept byte for byte. A full rebuild today moves them a little (coefficients by up to
    0.07 of 4.2, offsets by 4e-4: the encoder's numerics), and E5's topic vectors are projected with the shipped
    offsets under a fixed id (lib.embeddings.e5), so a language joins without changing any other's reading."""
    from lib.listening.multilingual import MultilingualResult

    model = MultilingualResult.load(MODEL_PATH)
    sentences = parallel_sentences()
    new = [c for c in sentences if c != "en" and c not in model.offsets]
    if not new:
        print(f"{MODEL_PATH}: every language of the sentences has its offset already", file=sys.stderr)
        return
    offsets = language_offsets(sentences[["en", *new]])
    MultilingualResult(model.settings, model.coef, model.intercept, {**model.offsets, **offsets},
                       model.trained_on).save(MODEL_PATH)
    print(f"{MODEL_PATH}: offsets added for {', '.join(new)}", file=sys.stderr)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--add-languages"]:
        add_languages()
    else:
        main(sys.argv[1] if len(sys.argv) > 1 else None)
