"""Which posts a topic model is fitted on: distinct texts only, at most `fit_sample` of them; the rest are
copies of a fitted text (they take its topic) or posts beyond the sample (they join one afterwards)."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from lib.topics.result import ASSIGN_REST, OUTLIER_STRATEGIES, TopicSettings

MIN_TEXTS = 30  # fewer posts with text than this give no topics worth reading


@dataclass(frozen=True, eq=False)
class FitSample:
    text_rows: np.ndarray  # rows with text
    fit_rows: np.ndarray   # rows clustered, sorted
    original: np.ndarray   # per text row: the fitted row with the same text, else -1 (also for fitted rows)
    by_words: bool         # posts beyond the sample take their topic from their words, not embedded

    @property
    def copies(self) -> np.ndarray:
        """Rows whose text is a fitted row's text (they take its topic and place)."""
        return self.text_rows[self.original >= 0]

    @property
    def rest(self) -> np.ndarray:
        """Rows with text that are neither fitted nor copies of a fitted text."""
        rest = self.text_rows[self.original < 0]
        return rest[~np.isin(rest, self.fit_rows)]

    @property
    def weight(self) -> np.ndarray:
        """How many posts each fitted text stands for (itself and its copies)."""
        copied = self.original[self.original >= 0]
        return np.ones(len(self.fit_rows)) + np.bincount(np.searchsorted(self.fit_rows, copied),
                                                         minlength=len(self.fit_rows))


def select_sample(texts: pd.Series, settings: TopicSettings) -> FitSample:
    """The rows to fit on. Raises ValueError with a plain message when there is too little text or a setting
    is unknown."""
    has_text = texts.str.strip().str.len() > 0
    if has_text.sum() < MIN_TEXTS:
        raise ValueError(f"Topics need at least {MIN_TEXTS} posts with text; this dataset has {int(has_text.sum())}.")
    if settings.assign_rest not in ASSIGN_REST:
        raise ValueError(f"Unknown assign_rest {settings.assign_rest!r}: use {', '.join(ASSIGN_REST)}")
    if settings.outlier_strategy not in OUTLIER_STRATEGIES:
        raise ValueError(f"Unknown outlier strategy {settings.outlier_strategy!r}: use {', '.join(OUTLIER_STRATEGIES)}")

    # Cluster distinct texts only: 500 copies of a retweet are one message, not a dense cluster of their own.
    rng = np.random.default_rng(settings.seed)
    text_rows = np.flatnonzero(has_text.to_numpy())
    norm = texts.str.strip().str.lower().to_numpy()
    distinct = text_rows[~pd.Series(norm[text_rows]).duplicated().to_numpy()]
    if len(distinct) > settings.fit_sample:
        fit_rows = np.sort(rng.choice(distinct, settings.fit_sample, replace=False))
    else:
        fit_rows = distinct
    if len(fit_rows) < MIN_TEXTS:
        raise ValueError(f"Topics need at least {MIN_TEXTS} distinct texts; this dataset has {len(fit_rows)}.")
    by_words = settings.assign_rest == "words" and len(fit_rows) < len(distinct)
    return FitSample(text_rows, fit_rows, _originals(norm, text_rows, fit_rows), by_words)


def _originals(norm: np.ndarray, text_rows: np.ndarray, fit_rows: np.ndarray) -> np.ndarray:
    """For each text row: the fitted row with the same normalised text (-1 if none, or the row itself)."""
    first = {norm[r]: r for r in fit_rows}
    out = np.array([first.get(norm[r], -1) for r in text_rows], dtype=np.int64)
    out[out == text_rows] = -1
    return out
