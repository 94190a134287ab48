"""A language whose posts all fall into one topic is split by what they say: its posts' shared direction is
taken out of their vectors and the topics are fitted again.

Why: multilingual E5 vectors of one language can sit so close together that the clustering sees the language,
not the subjects. On TweetTopic-XL's tweets in four languages as one export, 86-88 % of the Japanese tweets fell
into one topic (87 % Japanese, "今日 · 自分 · 最近"), whatever their subject. Centring only that language's vectors
(subtracting their mean, then normalising) and fitting again split them by subject. AMI with the topic labels
(bench/topic_languages.py, seeds 42-44): 0.210 -> 0.257 where each language talks about subjects of its own,
0.131 -> 0.133 where all share them. Centring every language instead gave 0.172 on the first and 0.179 on the
second: a language's mean is partly its own mix of subjects, so it is taken out only where the clustering shows
that the language swamped the subjects.

Only for multilingual vectors (E5): English models cannot read the other languages, and splitting posts they
cannot read would only make up subjects. The means travel with the fitted model (its metrics), so posts placed
later (the rest of a large file, another run) are centred the same way.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

MIN_LANGUAGE_SHARE = 0.05  # a language with fewer of the fitted posts is left as it is
SWALLOWED = 0.6            # ... and is centred when this share of its posts is in one topic
PURE = 0.8                 # ... that is at least this share the one language


def multilingual(backend_id: str) -> bool:
    """Whether the vectors stored under this model id read every language (the E5 family), not English only."""
    from lib.embeddings.registry import by_model_id

    found = by_model_id(backend_id)
    return found is not None and found.multilingual


def swallowed_languages(languages: np.ndarray, topics: np.ndarray) -> list[str]:
    """The languages (codes; never undetermined) most of whose posts are in one topic that is nearly only
    them, in a dataset with at least two languages of `MIN_LANGUAGE_SHARE`."""
    lang = pd.Series(languages, dtype="string").fillna("und")
    shares = lang[lang != "und"].value_counts() / max(len(lang), 1)
    big = [str(c) for c, s in shares.items() if s >= MIN_LANGUAGE_SHARE]
    if len(big) < 2:
        return []
    table = pd.crosstab(lang.to_numpy(), topics)
    table = table.drop(columns=[-1], errors="ignore")
    if table.empty:
        return []
    out = []
    for code in big:
        row = table.loc[code]
        if not row.sum():
            continue
        top = row.idxmax()
        if row[top] >= SWALLOWED * row.sum() and row[top] >= PURE * table[top].sum():
            out.append(code)
    return sorted(out)


def language_means(vectors: np.ndarray, languages: np.ndarray, codes: list[str]) -> dict[str, np.ndarray]:
    """Each of these languages' mean vector over its posts."""
    return {c: vectors[languages == c].mean(axis=0).astype(np.float32) for c in codes if (languages == c).any()}


def centred(vectors: np.ndarray, languages: np.ndarray, means: dict[str, np.ndarray],
            in_place: bool = False) -> np.ndarray:
    """The vectors with their language's mean taken out (for the languages in `means`), unit length again; a
    post without a vector (beyond a sample fitted by words) stays without. `in_place`: change `vectors` itself
    rather than a copy (a million rows of E5 vectors are 1.5 GB)."""
    out = vectors if in_place else vectors.copy()
    for code, mean in means.items():
        rows = np.flatnonzero(languages == code)
        has_vector = np.any(out[rows] != 0, axis=1)
        rows = rows[has_vector]
        sub = out[rows] - mean
        norms = np.linalg.norm(sub, axis=1, keepdims=True)
        out[rows] = sub / np.where(norms > 0, norms, 1.0)
    return out


def to_metrics(means: dict[str, np.ndarray]) -> dict[str, list[float]]:
    """The means as the fitted model's metrics keep them (plain lists)."""
    return {c: [round(float(v), 6) for v in m] for c, m in means.items()}


def from_metrics(metrics: dict) -> dict[str, np.ndarray]:
    """The means a fitted model keeps, as vectors ({} for a model fitted without any)."""
    return {c: np.asarray(v, dtype=np.float32) for c, v in (metrics.get("language_means") or {}).items()}


def post_languages(posts: pd.DataFrame) -> np.ndarray:
    """Each post's language: the posts' own column when the pipeline detected it, else detected from the text."""
    from lib.listening.language import given_or_detected

    frame = pd.DataFrame({"text": posts["text"].fillna("").astype(str).to_numpy()}, index=posts.index)
    if "language" in posts:
        frame["language"] = posts["language"].to_numpy()
    return given_or_detected(frame).astype(str).to_numpy(dtype=object)


def detect(texts: pd.Series) -> np.ndarray:
    """The languages of texts (posts placed after the fit, which come as text only)."""
    from lib.listening.language import detect_languages

    return detect_languages(texts.fillna("").astype(str)).astype(str).to_numpy(dtype=object)
