"""What every embedding backend is: a `Backend` turns texts into unit-length float32 rows, says whether it is
installed, and names itself three ways (a key for settings and the command line, a display name for users, and
the model id stored with its vectors and results)."""
from __future__ import annotations

import hashlib
import importlib.util
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

import numpy as np

Progress = Callable[[int, int], None]  # (texts done, texts in all)


class EmbeddingUnavailable(RuntimeError):
    """The backend's model cannot be used here (package missing or file altered)."""


class Backend(Protocol):
    key: str            # what settings, the command line and the page's choices call it
    display_name: str   # what users read next to a result
    model_id: str       # stored with vectors and results in users' workspaces: never change it
    description: str    # one line shown among the choices
    dim: int            # width of a vector (TF-IDF + SVD: at most)
    cached: bool        # slow enough that the workspace keeps its vectors by text hash
    corpus_fitted: bool  # fitted on the texts of one call: every text is passed (copies too), never cached
    multilingual: bool  # reads every language alike (E5), not English only

    def available(self) -> bool: ...

    def encode(self, texts: list[str], *, progress: Progress | None = None,
               threads: int | None = None) -> np.ndarray:
        """Unit-length float32 vectors, one row per text in the order given; `threads`: cores it may use
        (None: every core), for backends that run in parallel."""
        ...


def package_dir(package: str) -> Path | None:
    """Where an installed package's files are, or None when it is not installed."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(list(spec.submodule_search_locations)[0])


def installed(*packages: str) -> bool:
    return all(importlib.util.find_spec(p) is not None for p in packages)


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def normalise(rows: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length in place (a zero row stays zero)."""
    rows /= np.clip(np.linalg.norm(rows, axis=1, keepdims=True), 1e-12, None)
    return rows
