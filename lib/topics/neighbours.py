"""Exact nearest neighbours and the UMAP projections built on them.

The k nearest neighbours are computed exactly with one matrix product per block and handed to UMAP
(`precomputed_knn`), so pynndescent and its ~25 s of numba compilation are skipped, and the result is the
same on every run; UMAP runs with a fixed seed, so the same data + settings + seed give the same topics.
"""
from __future__ import annotations

import threading
import warnings
from typing import Any, cast

import numpy as np

warnings.filterwarnings("ignore", message=r"precomputed_knn\[2\]", category=UserWarning)
Knn = tuple[np.ndarray, np.ndarray]  # (indices, cosine distances), self first


def exact_knn(vectors: np.ndarray, k: int, block: int = 2048) -> Knn:
    """k nearest neighbours by cosine distance (vectors are unit length), self first, deterministic."""
    n = len(vectors)
    k = min(k, n)
    idx = np.zeros((n, k), dtype=np.int64)
    dist = np.zeros((n, k), dtype=np.float32)
    for start in range(0, n, block):
        sims = vectors[start:start + block] @ vectors.T
        rows = np.arange(sims.shape[0])
        sims[rows, start + rows] = 2.0  # self is the nearest, as UMAP expects
        part = np.argpartition(-sims, k - 1, axis=1)[:, :k]
        psims = np.take_along_axis(sims, part, axis=1)
        order = np.lexsort((part, -psims), axis=1)  # ties broken by index: stable across runs
        idx[start:start + block] = np.take_along_axis(part, order, axis=1)
        d = 1.0 - np.take_along_axis(psims, order, axis=1)
        d[:, 0] = 0.0
        dist[start:start + block] = np.clip(d, 0.0, 2.0)
    return idx, dist


_CACHED_KERNELS = {"umap.umap_": ("smooth_knn_dist", "compute_membership_strengths"),
                   "umap.layouts": ("tau_rand_int", "clip"),
                   "umap.utils": ("tau_rand_int", "tau_rand")}
"""UMAP's numba kernels that its own code compiles afresh in every process (no `cache=True`): about 9 s of one core
at each start of the app or the command line (measured: the warm-up 7.4-12.2 s, then 2.5 s with them cached, imports
included). Its epoch kernel is in the list too, in effect: `_EPOCH_KERNEL` replaces it with a cached copy."""
_EPOCH_KERNEL = "_nb_optimize_layout_euclidean_single_epoch"
_kernels_lock = threading.Lock()
_kernels_ready = False


def umap_class() -> Any:
    """UMAP, with its uncached numba kernels switched to numba's on-disk cache (numba's public
    `Dispatcher.enable_caching`: the same machine code, compiled once per install instead of once per process; the
    files go to umap's `__pycache__`, or numba's user cache folder where that is read-only), and its seeded epoch
    kernel releasing the GIL (`_release_gil_in_epochs`), so two seeded projections run on two cores at once."""
    import importlib

    from umap import UMAP

    global _kernels_ready
    with _kernels_lock:
        if not _kernels_ready:
            for module, names in _CACHED_KERNELS.items():
                mod = importlib.import_module(module)
                for name in names:
                    kernel = getattr(mod, name, None)
                    if kernel is not None and hasattr(kernel, "enable_caching") and not kernel.overloads:
                        _cache(kernel)
            _release_gil_in_epochs(importlib.import_module("umap.layouts"))
            _kernels_ready = True
    return UMAP


def _cache(kernel: Any) -> None:
    try:
        kernel.enable_caching()
    except RuntimeError:  # numba finds no writable cache folder: compiled per process, as before
        pass


def _release_gil_in_epochs(layouts: Any) -> None:
    """A seeded UMAP (`random_state` set: the only reproducible kind) runs its layout on one thread, one call of
    `layouts._nb_optimize_layout_euclidean_single_epoch` per epoch, and that numba kernel holds the GIL: two
    projections in two Python threads took turns on one core. The same Python function compiled with numba's
    `nogil=True` (and cached, under its own name so it never shares a cache file with the original) computes the
    same numbers and lets them run side by side. Left as it is when umap's layout code is not the one expected."""
    import types

    import numba

    func = getattr(layouts, "_optimize_layout_euclidean_single_epoch", None)
    kernel_func = getattr(getattr(layouts, _EPOCH_KERNEL, None), "py_func", None)
    if not isinstance(func, types.FunctionType) or kernel_func is not func:
        return
    func = cast(types.FunctionType, func)
    copy = types.FunctionType(func.__code__, func.__globals__, func.__name__ + "_nogil", func.__defaults__,
                              func.__closure__)
    copy.__qualname__ = func.__qualname__ + "_nogil"
    kernel = numba.njit(fastmath=True, parallel=False, nogil=True)(copy)
    _cache(kernel)
    setattr(layouts, _EPOCH_KERNEL, kernel)


def project(vectors: np.ndarray, knn: Knn, n_neighbors: int, dims: int, min_dist: float, seed: int,
            n_epochs: int) -> np.ndarray:
    """UMAP (cosine) of `vectors` to `dims` dimensions on their precomputed neighbours, seeded, one thread."""
    UMAP = umap_class()
    idx, dist = knn
    umap = UMAP(n_neighbors=n_neighbors, n_components=dims, min_dist=min_dist, metric="cosine", random_state=seed,
                n_epochs=n_epochs, precomputed_knn=(idx[:, :n_neighbors], dist[:, :n_neighbors], None),
                low_memory=True, n_jobs=1)
    return umap.fit_transform(vectors)
