"""WordLlama static word vectors: the fast backend, and the default wherever it is installed.

WordLlama (package `wordllama`, MIT): 256-d token vectors for a 32,000-token vocabulary, shipped inside the
wheel (16 MB, sha256 pinned below). A text's vector is the mean of its tokens' vectors, so 10,000 posts
take a fraction of a second instead of half a minute: topics and the app's first pass use it. Only the
package's data files are read (weights via safetensors, tokenizer via tokenizers); its Python module is
never imported (it configures the root logger at import and looks for its tokenizer in the wrong folder).
"""
from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import numpy as np

from lib.embeddings._base import EmbeddingUnavailable, Progress, installed, normalise, package_dir, sha256

MODEL_ID = "wordllama-l2-supercat-256"
SHA256 = "64b47a2dc493cb8e85944076601189739852d7b64e0e1eedcb1937a251cd9fd5"
FILES = ("weights/l2_supercat_256.safetensors", "tokenizers/l2_supercat_tokenizer_config.json")


def files() -> tuple[Path, Path] | None:
    """The installed WordLlama weights and tokenizer files, or None when the package is not installed."""
    root = package_dir("wordllama")
    if root is None:
        return None
    weights, tokenizer = (root / f for f in FILES)
    return (weights, tokenizer) if weights.exists() and tokenizer.exists() else None


class WordLlama:
    """A text is the mean of its tokens' vectors (the package's own pooling), L2-normalised.
    Loads lazily, thread-safe; the registry holds the process's one instance."""

    key = "wordllama"
    display_name = "WordLlama"
    model_id = MODEL_ID
    description = "WordLlama static word vectors (fast)"
    dim = 256
    cached = False  # about 30,000 posts/s: reading a cache would be slower than embedding again
    corpus_fitted = False
    multilingual = False
    CHUNK = 50_000  # texts tokenised at a time: bounds the token lists' memory on a million posts

    def __init__(self) -> None:
        self._table: np.ndarray | None = None
        self._tokenizer: Any = None
        self._lock = threading.Lock()

    def available(self) -> bool:
        return files() is not None and installed("safetensors", "tokenizers")

    def _load(self) -> np.ndarray:
        if self._table is not None:
            return self._table
        with self._lock:
            if self._table is not None:
                return self._table
            found = files()
            if found is None or not self.available():
                raise EmbeddingUnavailable("The WordLlama vectors (package wordllama, with safetensors and "
                                           "tokenizers) are not installed.")
            if sha256(found[0]) != SHA256:
                raise EmbeddingUnavailable(f"{found[0]} is not the expected weights file (checksum differs).")
            from safetensors.numpy import load_file
            from tokenizers import Tokenizer

            tok = Tokenizer.from_file(str(found[1]))
            tok.no_padding()
            tok.no_truncation()
            table = np.ascontiguousarray(load_file(str(found[0]))["embedding.weight"], dtype=np.float32)
            table[:3] = 0.0  # <unk>, <s>, </s>: never added to a text here, and never part of its meaning
            self._tokenizer, self._table = tok, table
            return table

    def encode(self, texts: list[str], *, progress: Progress | None = None,
               threads: int | None = None) -> np.ndarray:
        """L2-normalised vectors, one row per text, in the order given; an empty text gives a zero row.
        One sparse matrix product per chunk: `threads` is not needed."""
        from scipy.sparse import csr_matrix

        table = self._load()
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for start in range(0, len(texts), self.CHUNK):
            part = self._tokenizer.encode_batch(texts[start:start + self.CHUNK], add_special_tokens=False)
            ids = [e.ids for e in part]
            counts = np.fromiter((len(i) for i in ids), dtype=np.int64, count=len(ids))
            flat = np.fromiter((t for i in ids for t in i), dtype=np.int64, count=int(counts.sum()))
            weights = np.repeat(1.0 / np.maximum(counts, 1), counts).astype(np.float32)
            pool = csr_matrix((weights, flat, np.concatenate([[0], np.cumsum(counts)])),
                              shape=(len(ids), len(table)))
            out[start:start + len(ids)] = normalise(np.asarray(pool @ table, dtype=np.float32))
            if progress is not None:
                progress(start + len(ids), len(texts))
        return out
