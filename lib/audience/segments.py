"""Segments: behavioural groups of authors (UMAP -> HDBSCAN over per-author features, lib.audience.features),
fitted by `fit_segments`, and each post tagged with its author's segment.

Why this shape:
- neighbours are computed exactly (scikit-learn) and handed to UMAP, so pynndescent's compilation is
  skipped and a fixed seed gives the same segments on every run;
- HDBSCAN's noise is kept and reported (each noise author also gets its nearest segment), and a second
  run with another seed measures how stable the segments are.
"""
from __future__ import annotations

import time
import warnings
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
from sklearn.metrics import adjusted_rand_score

from lib.audience.features import author_features, design_matrix
from lib.audience.personas import persona_names, profiles
from lib.audience.result import NOISE, SegmentResult, SegmentSettings

warnings.filterwarnings("ignore", message=r"precomputed_knn\[2\]", category=UserWarning)
Stage = Callable[[str, float], None]
MAX_STABILITY_AUTHORS = 60_000  # above this the second, differently seeded run is skipped (minutes on 2 cores)


# ------------------------------------------------------------------ clustering
def _knn(m: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    from sklearn.neighbors import NearestNeighbors

    nn = NearestNeighbors(n_neighbors=k, algorithm="brute" if m.shape[1] > 15 else "auto").fit(m)
    dist, idx = nn.kneighbors(m)
    return idx.astype(np.int64), dist.astype(np.float32)


def _umap(m: np.ndarray, knn: tuple[np.ndarray, np.ndarray], dims: int, seed: int, epochs: int) -> np.ndarray:
    from lib.topics.neighbours import umap_class

    idx, dist = knn
    return umap_class()(n_neighbors=idx.shape[1], n_components=dims, min_dist=0.0 if dims > 2 else 0.1,
                random_state=seed, n_epochs=epochs, precomputed_knn=(idx, dist, None), low_memory=True,
                n_jobs=1).fit_transform(m)


def _hdbscan(reduced: np.ndarray, min_size: int, strictness: int) -> tuple[np.ndarray, np.ndarray]:
    from hdbscan import HDBSCAN

    cl = HDBSCAN(min_cluster_size=min_size, min_samples=max(1, min(strictness, min_size))).fit(reduced)
    labels = cl.labels_.astype(int)
    # biggest segment first: ids are stable names for "the largest, the second largest, ..."
    sizes = pd.Series(labels[labels >= 0]).value_counts()
    remap = {old: new for new, old in enumerate(sizes.index)} | {NOISE: NOISE}
    return np.array([remap[v] for v in labels], dtype=int), cl.probabilities_


def alike(m: np.ndarray) -> np.ndarray:
    """For each row of the design matrix, a number shared by exactly the rows identical to it."""
    return np.unique(m, axis=0, return_inverse=True)[1].ravel()


def _alike_together(group: np.ndarray, labels: np.ndarray, prob: np.ndarray,
                    min_size: int) -> tuple[np.ndarray, np.ndarray]:
    """Authors whose features are identical get one segment: the one most of them are in, or where HDBSCAN left
    them all as noise and they are at least `min_size`, a segment of their own (noise where neither). UMAP spreads
    identical points apart and HDBSCAN then cut them at random: on 2,021 real YouTube comments in Thai (no dates,
    no counts, no tone a model reads: only each author's number of posts), the 1,648 authors of one post each were
    split into "Typical authors" (1,082), "Typical authors #2" (243) and noise on the command line, the two the
    same in every figure, and were all noise in the app. `group`: `alike` of the design matrix. Segment ids stay
    ordered by size."""
    frame = pd.DataFrame({"g": group, "label": labels})
    clustered = frame[frame["label"] >= 0]
    usual = clustered.groupby(["g", "label"]).size().sort_values(ascending=False, kind="stable") \
        .reset_index().drop_duplicates("g").set_index("g")["label"]
    crowds = frame["g"].value_counts()
    crowds = crowds[(crowds >= min_size) & ~crowds.index.isin(usual.index)].index
    if len(crowds):
        start = int(labels.max()) + 1 if (labels >= 0).any() else 0
        usual = pd.concat([usual, pd.Series(range(start, start + len(crowds)), index=crowds)])
    if usual.empty:
        return labels, prob
    out = frame["g"].map(usual).fillna(NOISE).astype(int).to_numpy()
    moved = out != labels
    if not moved.any():
        return labels, prob
    kept = pd.Series(prob[~moved]).groupby(group[~moved]).mean()  # a moved author: as sure as its kind that stayed
    prob = prob.copy()
    prob[moved] = pd.Series(group[moved]).map(kept).fillna(1.0).to_numpy()  # a crowd of its own: sure
    sizes = pd.Series(out[out >= 0]).value_counts()
    remap = {old: new for new, old in enumerate(sizes.index)} | {NOISE: NOISE}
    return np.array([remap[v] for v in out], dtype=int), prob


def _nearest(reduced: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Each author's segment, and for noise the segment with the nearest centre."""
    seg = np.unique(labels[labels >= 0])
    if len(seg) == 0:
        return labels.copy()
    centres = np.vstack([reduced[labels == s].mean(axis=0) for s in seg])
    out = labels.copy()
    noise = labels < 0
    if noise.any():
        d = ((reduced[noise, None, :] - centres[None, :, :]) ** 2).sum(axis=2)
        out[noise] = seg[d.argmin(axis=1)]
    return out


def fit_segments(frame: pd.DataFrame, settings: SegmentSettings = SegmentSettings(),
                 stage: Stage | None = None) -> SegmentResult:
    """Segment the authors of an enriched frame (listening columns, and topics when found).

    Raises ValueError with a plain message when there is too little to segment."""
    stage = stage or (lambda msg, frac: None)
    t0 = time.perf_counter()
    stage("Describing every author's behaviour", 0.05)
    table, groups = author_features(frame, settings.unit)
    return segments_from_table(table, groups, settings, stage, t0)


def segments_from_table(table: pd.DataFrame, groups: dict[str, list[str]], settings: SegmentSettings,
                        stage: Stage | None = None, t0: float | None = None) -> SegmentResult:
    """`fit_segments` from its feature table (`author_features`' answer): the Dask engine builds the table from
    partition aggregates and fits here, on the client."""
    stage = stage or (lambda msg, frac: None)
    t0 = time.perf_counter() if t0 is None else t0
    n = len(table)
    what = "posts" if settings.unit == "posts" else "authors"
    if n < 20:
        raise ValueError(f"Only {n} {what}: at least 20 are needed to find segments.")
    m, used = design_matrix(table, groups, settings.groups, dict(settings.weights))
    if not used:
        raise ValueError("None of the chosen feature groups varies between authors in this data. "
                         "Switch on more groups.")
    timings = {"features": time.perf_counter() - t0}

    t1 = time.perf_counter()
    stage(f"Finding each of {n:,} {what}' nearest neighbours", 0.15)
    k = max(2, min(settings.neighbours, n - 1))
    knn = _knn(m, k)
    stability = n <= MAX_STABILITY_AUTHORS
    with ThreadPoolExecutor(2, thread_name_prefix="segments") as pool:  # see lib.topics.neighbours.umap_class
        stage("Reducing dimensions (UMAP)" + (", and again with another seed to check stability" if stability
                                              else ""), 0.3)
        main = pool.submit(_umap, m, knn, 5, settings.seed, 200)
        second = pool.submit(_umap, m, knn, 5, settings.seed + 1, 200) if stability else None
        reduced = main.result()
        timings["umap"] = time.perf_counter() - t1
        t2 = time.perf_counter()
        stage("Clustering (HDBSCAN)", 0.55)
        min_size = settings.resolved_min_size(n)
        same = alike(m)  # read by both runs' HDBSCAN answers
        labels, prob = _alike_together(same, *_hdbscan(reduced, min_size, settings.strictness), min_size)
        timings["hdbscan"] = time.perf_counter() - t2

        t3 = time.perf_counter()
        stage("Drawing the map, checking stability and comparing with k-means", 0.65)
        drawn = pool.submit(_umap, m, knn, 2, settings.seed, 100)
        n_seg = int(labels.max() + 1) if (labels >= 0).any() else 0
        metrics: dict = {"authors": n, "unit": settings.unit, "segments": n_seg, "min_segment": min_size,
                         "noise_share": float((labels < 0).mean()), "groups_used": used,
                         "dimensions": int(m.shape[1])}
        metrics |= _checks(m, labels, n_seg, settings)
        if second is not None and n_seg >= 1:
            other, _ = _alike_together(same, *_hdbscan(second.result(), min_size, settings.strictness), min_size)
            metrics["stability_ari"] = float(adjusted_rand_score(labels, other))
            metrics["stability_segments"] = int(other.max() + 1)
        xy = drawn.result()
        timings["map_and_checks"] = time.perf_counter() - t3

    authors = table.reset_index()
    authors.insert(1, "segment", labels)
    authors.insert(2, "nearest_segment", _nearest(reduced, labels))
    authors.insert(3, "probability", prob)
    authors.insert(4, "x", xy[:, 0])
    authors.insert(5, "y", xy[:, 1])
    stage("Writing personas", 0.95)
    personas = profiles(authors, groups, None, settings.unit)
    timings["total"] = time.perf_counter() - t0
    metrics["timings"] = timings
    return SegmentResult(settings, authors, groups, personas, metrics)


def _checks(m: np.ndarray, labels: np.ndarray, n_seg: int, settings: SegmentSettings) -> dict:
    """How good the segments are: silhouette (on up to 5,000 clustered authors), and k-means with as many
    clusters for comparison (the agreement with a second, differently seeded run is the caller's)."""
    from sklearn.cluster import KMeans
    from sklearn.metrics import silhouette_score

    n = len(labels)
    metrics: dict = {}
    sample = np.random.default_rng(0).choice(n, min(n, 5000), replace=False)
    clustered = sample[labels[sample] >= 0]
    if n_seg >= 2 and len(np.unique(labels[clustered])) >= 2:
        metrics["silhouette"] = float(silhouette_score(m[clustered], labels[clustered]))
    if n_seg >= 2:
        km = KMeans(n_clusters=n_seg, n_init=4, random_state=settings.seed).fit_predict(m)
        metrics["kmeans_k"] = n_seg
        metrics["kmeans_silhouette"] = float(silhouette_score(m[sample], km[sample]))
        metrics["kmeans_agreement_ari"] = float(adjusted_rand_score(labels, km))
    return metrics


def posts_with_segments(frame: pd.DataFrame, result: SegmentResult, names: pd.DataFrame | None = None,
                        nearest: bool = False) -> pd.DataFrame:
    """The posts with `segment` (their author's; -1 noise) and `segment_name`."""
    names = names if names is not None else persona_names(result)
    col = "nearest_segment" if nearest else "segment"
    if result.settings.unit == "posts" or "author" not in frame:
        key = frame["post_id"].astype(str)
    else:
        key = frame["author"].astype("string")
    seg = key.map(dict(zip(result.authors["author"].astype(str), result.authors[col])))
    out = frame.copy()
    out["segment"] = seg.fillna(NOISE).astype(int)
    out["segment_name"] = out["segment"].map(dict(zip(names["segment"], names["name"]))).fillna("Unassigned (noise)")
    return out
