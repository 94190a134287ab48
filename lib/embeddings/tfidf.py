"""TF-IDF + SVD: vectors from word counts when no model is installed (and on request)."""
from __future__ import annotations

import numpy as np

from lib.embeddings._base import Progress, normalise

MODEL_ID = "tfidf-svd"


def tfidf_svd(texts: list[str], dim: int = 128, seed: int = 42) -> np.ndarray:
    """Fallback vectors without any model: TF-IDF (words and bigrams) reduced by SVD, L2-normalised."""
    from sklearn.decomposition import TruncatedSVD
    from sklearn.feature_extraction.text import TfidfVectorizer

    if not texts:
        return np.zeros((0, dim), dtype=np.float32)
    vec = TfidfVectorizer(ngram_range=(1, 2), min_df=2 if len(texts) > 50 else 1, sublinear_tf=True,
                          stop_words="english", max_features=50_000)
    try:
        x = vec.fit_transform(texts)
    except ValueError:  # nothing but stop words
        return np.zeros((len(texts), dim), dtype=np.float32)
    k = max(1, min(dim, x.shape[1] - 1, x.shape[0] - 1))
    z = TruncatedSVD(n_components=k, random_state=seed).fit_transform(x) if k >= 1 and x.shape[1] > 1 else x.toarray()
    return normalise(np.asarray(z, dtype=np.float32))


class TfidfSvd:
    """Needs no model, so it is always available: what a named backend that is not installed falls back to."""

    key = "tfidf"
    display_name = "TF-IDF"
    model_id = MODEL_ID
    description = "word counts (TF-IDF + SVD, no model)"
    dim = 128
    cached = False
    corpus_fitted = True  # the words and their weights are learnt from the texts given
    multilingual = False

    def available(self) -> bool:
        return True

    def encode(self, texts: list[str], *, progress: Progress | None = None,
               threads: int | None = None) -> np.ndarray:
        return tfidf_svd(texts, self.dim)
