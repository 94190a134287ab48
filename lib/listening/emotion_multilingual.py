"""Emotion for posts in other languages: a head over the multilingual encoder's vectors, learned from GoEmotions.

The English emotion model (lib.listening.emotion_model) reads English words, so a German, Spanish or Japanese
post used to get no emotion at all ("n/a"). This head reads the post's meaning instead: a logistic regression over
multilingual-e5-small vectors (the encoder lib.listening.multilingual already runs for those posts' sentiment, so
no second pass) of English GoEmotions comments (Apache-2.0), grouped as the English model groups them (Ekman's
six or neutral; curiosity, confusion and desire as neutral). It reads a post in another language through that
language's offset from English, as the sentiment head does, and so only the languages that head reads.

Trained on a sample balanced across the emotions (`per_class` comments with one emotion each), reweighted back to
the emotions' shares in GoEmotions, and labelled with the English model's rule (each probability divided by a
power of its class's share; neutral weighted), so "neutral" stays as honest as in English. `python -m
lib.listening.emotion_multilingual_train` rebuilds the file (deterministic). There are no emotion labels in other
languages here, so bench/eval_emotion_languages.py checks it beside the English model (2026-12-06): on 1,500
GoEmotions test comments (English) macro-F1 0.460 against the words model's 0.497 (English stays with the words);
on UMSAB's German, Italian and Portuguese tweets a tweet its raters call negative gets a negative emotion 43 / 21 /
31 % of the time and a positive one joy 62 / 62 / 67 %, where the English model on English tweets manages 27 %
and 51 % (and on these languages' tweets, which it cannot read, 3-8 % and 3-14 %: nearly all "neutral").
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from lib.listening.emotion import NEUTRAL
from lib.listening.emotion_model import CLASSES, EmotionSettings

MODEL_PATH = Path(__file__).parent / "models" / "emotion_multilingual.npz"
MODEL_VERSION = "e5-emotion-1"  # the probabilities' cache key (with the language): bump when the head changes
MODEL_NAME = "multilingual emotion model (E5)"


@dataclass(frozen=True)
class EmotionHeadSettings:
    per_class: int = 1200  # GoEmotions train comments with a single emotion, per class (all where fewer), seeded
    # chosen on 1,500 GoEmotions dev comments (seed 0), never on a test set: C by macro-F1 (1: 0.437, 3: 0.458,
    # 10: 0.481, 30: 0.478, 100: 0.461); the neutral weight so the head says neutral about as often as the raters
    # (as learned: 39.6 %; 0.8, the English model's: 30 %; 1.0: 35 %; 1.2: 38 %; 1.5: 43 %)
    c: float = 10.0
    seed: int = 0
    prior_power: float = EmotionSettings.prior_power  # the English model's labelling rule
    neutral_weight: float = 1.2


@dataclass(frozen=True, eq=False)  # arrays inside
class EmotionHead:
    settings: EmotionHeadSettings
    coef: np.ndarray       # (len(CLASSES), dim)
    intercept: np.ndarray  # (len(CLASSES),)
    prior: np.ndarray      # each class's share of GoEmotions train (the sample is reweighted to these)
    trained_on: str

    def proba(self, vectors: np.ndarray, offset: np.ndarray | float = 0.0) -> np.ndarray:
        """(n, len(CLASSES)) probabilities for vectors of posts whose language sits `offset` from English."""
        z = (vectors - offset) @ self.coef.T + self.intercept
        z = np.exp(z - z.max(axis=1, keepdims=True))
        return z / z.sum(axis=1, keepdims=True)

    def labels(self, p: np.ndarray) -> np.ndarray:
        """One of CLASSES per row of probabilities: the English model's rule (rare emotions are not drowned by
        joy and neutral; neutral is weighted as there)."""
        s = self.settings
        classes = np.array(CLASSES)
        weight = np.where(classes == NEUTRAL, s.neutral_weight, 1.0) / self.prior ** s.prior_power
        return classes[(p * weight).argmax(axis=1)] if len(p) else np.array([], dtype=object)

    def save(self, path: Path) -> None:
        s = self.settings
        np.savez_compressed(path, coef=self.coef.astype(np.float32), intercept=self.intercept.astype(np.float32),
                            prior=self.prior.astype(np.float64), classes=np.array(CLASSES),
                            settings=np.array([s.per_class, s.c, s.seed, s.prior_power, s.neutral_weight]),
                            trained_on=np.array(self.trained_on))

    @classmethod
    def load(cls, path: Path) -> EmotionHead:
        with np.load(path, allow_pickle=False) as z:
            if tuple(z["classes"].tolist()) != CLASSES:
                raise ValueError(f"{path} was trained for other emotions: {z['classes'].tolist()}")
            per_class, c, seed, power, neutral = z["settings"].tolist()
            settings = EmotionHeadSettings(int(per_class), float(c), int(seed), float(power), float(neutral))
            return cls(settings, z["coef"], z["intercept"], z["prior"], str(z["trained_on"]))


def fit_emotion_head(vectors: np.ndarray, labels: np.ndarray, prior: np.ndarray,
                     settings: EmotionHeadSettings = EmotionHeadSettings(), trained_on: str = "") -> EmotionHead:
    """The head over English vectors (labels in CLASSES), each class weighted from its share of the sample back to
    `prior`, its share of the whole training split."""
    from sklearn.linear_model import LogisticRegression

    labels = np.asarray(labels)
    if set(labels) != set(CLASSES):
        raise ValueError("every emotion and neutral must occur in the training labels")
    share = np.array([(labels == c).mean() for c in CLASSES])
    weight = (np.asarray(prior) / share)[[CLASSES.index(c) for c in labels]]
    clf = LogisticRegression(C=settings.c, max_iter=3000).fit(vectors, labels, sample_weight=weight / weight.mean())
    order = [list(clf.classes_).index(c) for c in CLASSES]
    return EmotionHead(settings, clf.coef_[order].astype(np.float32), clf.intercept_[order].astype(np.float32),
                       np.asarray(prior, dtype=np.float64), trained_on)


_LOADED: dict[str, EmotionHead] = {}


def emotion_head() -> EmotionHead | None:
    """The shipped head, or None when the encoder is not installed or the file is missing."""
    from lib.listening.multilingual import available

    if not available() or not MODEL_PATH.exists():
        return None
    if "head" not in _LOADED:
        _LOADED["head"] = EmotionHead.load(MODEL_PATH)
    return _LOADED["head"]
