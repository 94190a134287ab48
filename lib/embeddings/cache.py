"""`embed`: texts to vectors with a registry backend, each distinct text once, through the workspace's cache.

Texts are embedded once per distinct text: the workspace caches vectors by text hash, so retweets,
copy-paste and re-imports cost nothing. Batches are sorted by length so padding stays small.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
import pandas as pd

from lib.embeddings._base import Backend, Progress
from lib.embeddings.registry import AUTO, BACKENDS, resolve

SAVE_EVERY = 5_000  # texts embedded between two writes to the workspace cache


class VectorCache(Protocol):
    """Where vectors are kept by text hash and model id: the workspace (lib.store)."""

    def vectors_into(self, hashes: Any, model: str, out: np.ndarray, rows: Any = None) -> np.ndarray: ...

    def put_vectors(self, hashes: Any, vectors: np.ndarray, model: str) -> None: ...


class MemoryVectors:
    """A `VectorCache` held in memory for one run without a workspace (a Dask partition): what one step computed
    for a text, a later step of the same run reads instead of computing it again."""

    def __init__(self) -> None:
        self._rows: dict[tuple[str, str], np.ndarray] = {}

    def vectors_into(self, hashes: Any, model: str, out: np.ndarray, rows: Any = None) -> np.ndarray:
        hashes = np.asarray(hashes, dtype=object)
        found = np.zeros(len(hashes), dtype=bool)
        target = np.arange(len(hashes)) if rows is None else np.asarray(rows)
        for i, h in enumerate(hashes):
            vec = self._rows.get((model, h))
            if vec is not None:
                out[target[i]] = vec
                found[i] = True
        return found

    def put_vectors(self, hashes: Any, vectors: np.ndarray, model: str) -> None:
        for h, vec in zip(hashes, np.asarray(vectors, dtype=np.float32)):
            self._rows.setdefault((model, h), vec)


@dataclass(frozen=True, eq=False)
class Embeddings:
    vectors: np.ndarray  # one row per input text
    backend: str         # the stored model id of the backend that made them
    computed: int        # distinct texts embedded now (the rest came from the cache or duplicates)


def text_hashes(texts: pd.Series) -> np.ndarray:
    from lib.listening.sentiment import text_hash

    return text_hash(texts).to_numpy()


def embed(texts: pd.Series, ws: VectorCache | None = None, backend: str = AUTO, progress: Progress | None = None,
          threads: int | None = None) -> Embeddings:
    """Vectors for texts; backend: a choice of `registry.CHOICES` (see `registry.resolve`); `threads`: cores
    MiniLM may use (None: every core).

    Each distinct text is embedded once. With a workspace, MiniLM vectors are read from and written to its
    cache by text hash (every few thousand texts, so an interruption loses little). WordLlama needs no cache
    (about 30,000 posts/s); the TF-IDF fallback is fitted on these texts, so it is never cached.
    """
    texts = texts.fillna("").astype(str)
    chosen = BACKENDS[resolve(backend)]
    if chosen.corpus_fitted:
        return Embeddings(chosen.encode(texts.tolist(), threads=threads), chosen.model_id, int(texts.nunique()))
    hashes = text_hashes(texts)
    uniq, first, inverse = np.unique(hashes, return_index=True, return_inverse=True)
    inverse = inverse.ravel()
    if not chosen.cached:
        fresh = chosen.encode(texts.iloc[first].tolist(), progress=progress, threads=threads)
        return Embeddings(fresh[inverse], chosen.model_id, len(uniq))
    return _through_cache(chosen, texts, ws, uniq, first, inverse, progress, threads)


def _through_cache(chosen: Backend, texts: pd.Series, ws: VectorCache | None, uniq: np.ndarray, first: np.ndarray,
                   inverse: np.ndarray, progress: Progress | None, threads: int | None) -> Embeddings:
    """Distinct texts (`uniq` hashes, at rows `first`) read from the cache or embedded and stored."""
    # One matrix, one row per text: distinct texts are filled at their first row, copies at the end
    # (a million 384-d vectors are 1.5 GB; a second copy would double that).
    out = np.zeros((len(texts), chosen.dim), dtype=np.float32)
    known = ws.vectors_into(uniq, chosen.model_id, out, rows=first) if ws is not None \
        else np.zeros(len(uniq), dtype=bool)
    todo = np.flatnonzero(~known)
    cached = len(uniq) - len(todo)
    # In chunks, each stored as soon as it is done: an interrupted run (a million posts take about an
    # hour on 2 cores) resumes where it stopped instead of starting over.
    for start in range(0, len(todo), SAVE_EVERY):
        part = todo[start:start + SAVE_EVERY]
        step = None if progress is None else (lambda d, n, b=cached + start: progress(b + d, len(uniq)))
        fresh = chosen.encode([texts.iloc[first[i]] for i in part], progress=step, threads=threads)
        out[first[part]] = fresh
        if ws is not None:
            ws.put_vectors(uniq[part], fresh, chosen.model_id)
    if not len(todo) and progress is not None:
        progress(len(uniq), len(uniq))
    copies = np.flatnonzero(first[inverse] != np.arange(len(texts)))
    out[copies] = out[first[inverse[copies]]]
    return Embeddings(out, chosen.model_id, len(todo))
