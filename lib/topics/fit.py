"""Topics with BERTopic: offline embeddings, exact neighbours, UMAP -> HDBSCAN -> c-TF-IDF, outlier reduction.

What this adds to BERTopic's defaults, and why:
- embeddings are passed in (lib.embeddings), never a model name: nothing is downloaded;
- the k nearest neighbours are computed exactly with one matrix product per block and handed to UMAP
  (`precomputed_knn`), so pynndescent and its ~25 s of numba compilation are skipped, and the result
  is the same on every run (lib.topics.neighbours);
- the text is prepared for meaning first (lib.topics.prepare): @handles, links and the brands' own names
  would otherwise make the topics who was addressed, not what was said;
- UMAP runs with a fixed seed, so the same data + settings + seed give the same topics;
- at most `fit_sample` posts are clustered; the rest join the nearest topic by meaning (a 1M-post
  file is fitted on a sample and applied to all; lib.topics.sample and lib.topics.assign);
- outliers are reassigned to the nearest topic (by meaning or by keywords) until the share left
  matches the user's target, keeping the least similar posts as outliers.
"""
from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

import numpy as np
import pandas as pd

from lib.embeddings.cache import Embeddings, VectorCache, embed
from lib.embeddings.registry import BACKENDS, resolve
from lib.listening.language import name_of, or_list
from lib.topics.assign import assign_posts, map_projection, meaning_floor, place_on_map, reduce_outliers, topic_centres
from lib.topics.describe import (
    cohesion,
    cohesion_floor,
    hierarchy,
    keyword_docs,
    keyword_model,
    label_order,
    representative,
    topic_info,
)
from lib.topics.languages import centred, language_means, multilingual, post_languages, swallowed_languages, to_metrics
from lib.topics.neighbours import exact_knn, project
from lib.topics.prepare import prepare_texts
from lib.topics.result import Stage, TopicResult, TopicSettings, default_backend
from lib.topics.sample import FitSample, select_sample

UMAP_EPOCHS = 200  # UMAP's own default above 10,000 points; enough for clustering, fixed so results don't depend on n
MIN_SAMPLES = 5    # HDBSCAN's neighbours for a core post, whatever the smallest topic size (see `cluster`)


def fit_topics(posts: pd.DataFrame, settings: TopicSettings = TopicSettings(), ws: VectorCache | None = None,
               stage: Stage | None = None, embeddings: Embeddings | None = None) -> TopicResult:
    """Fit topics on the posts' text. Raises ValueError with a plain message when there is too little text.

    `embeddings`: vectors already made for these posts (else they are embedded here, through `ws`'s cache)."""
    stage = stage or (lambda msg, frac: None)
    timings: dict[str, float] = {}
    texts = meaning_texts(posts["text"], settings)
    sample = select_sample(texts, settings)
    t0 = time.perf_counter()
    with _timed(timings, "embeddings"):
        stage("Embedding posts (each distinct text once, cached)", 0.0)
        emb = embeddings if embeddings is not None else _embed(texts, sample, settings, ws, stage)
    vectors, weight = emb.vectors, sample.weight
    docs = keyword_docs(texts.to_numpy()[sample.fit_rows].tolist(), settings)
    x_fit = vectors[sample.fit_rows]
    n_neighbors = min(settings.neighbours, len(sample.fit_rows) - 1)
    with ThreadPoolExecutor(1, thread_name_prefix="topic-map") as pool:  # the map beside the clustering's UMAP
        drawn, min_size, model, topics_fit = _cluster_pass(x_fit, docs, settings, n_neighbors, pool, timings, stage)
        means: dict[str, np.ndarray] = {}
        if multilingual(emb.backend):  # a language swamping the subjects: its posts centred, fitted again
            languages = post_languages(posts)
            means = language_means(x_fit, languages[sample.fit_rows],
                                   swallowed_languages(languages[sample.fit_rows], topics_fit))
        if means:
            stage(f"Fitting again: the {or_list([name_of(c) for c in means])} posts were nearly all one topic",
                  0.72)
            vectors = centred(vectors, languages, means, in_place=embeddings is None)  # ours: no 2nd copy
            x_fit = vectors[sample.fit_rows]
            drawn.cancel()
            drawn, min_size, model, topics_fit = _cluster_pass(x_fit, docs, settings, n_neighbors, pool, timings,
                                                               stage)
        outliers_before = float(weight[topics_fit == -1].sum() / weight.sum())
        with _timed(timings, "outliers"):
            stage("Reassigning outliers", 0.8)
            topics_fit = reduce_outliers(model, docs, topics_fit, x_fit, settings, weight, outliers_before)
            order = label_order(model, docs, topics_fit, weight)
        centres, topic_ids = topic_centres(x_fit, topics_fit)
        floor_alike = cohesion_floor(x_fit)  # on the fitted posts, each distinct text once
        alike = cohesion(x_fit, topics_fit, centres, topic_ids, floor_alike)
        floor = meaning_floor(x_fit, topics_fit, centres, topic_ids)
        topic, agreement, words = assign_posts(texts, vectors, sample, topics_fit, centres, topic_ids, settings,
                                               floor, stage)
        with _timed(timings, "map"):
            stage("Drawing the document map", 0.85)
            x, y = place_on_map(vectors, sample, topic, drawn.result(), settings.seed)
    post_ids = posts["post_id"].astype(str).to_numpy()
    rows = sample.fit_rows if sample.by_words else slice(None)  # by words, only the fitted posts have vectors
    rep = representative(post_ids[rows], vectors[rows], topic[rows], centres, topic_ids, texts.to_numpy()[rows])
    info = topic_info(model, topic, centres, topic_ids, order, alike)
    timings["total"] = time.perf_counter() - t0
    stage("Done", 1.0)
    metrics = _metrics(sample, topic, outliers_before, topic_ids, min_size, emb, agreement, timings)
    # whether the classifier of the posts beyond the sample read their word vectors too (words only without them)
    metrics["words_vectors"] = words is not None and words.vectors is not None
    metrics["assign_floor"] = floor  # what lib.topics.apply needs to apply this model to other posts
    metrics["cohesion_floor"] = floor_alike  # where a split topic's parts' cohesion starts (lib.topics.split)
    if means:  # ... and the language means taken out of the vectors (lib.topics.languages)
        metrics["language_means"] = to_metrics(means)
    return TopicResult(settings, emb.backend, post_ids, topic, x, y, info, rep, hierarchy(centres, topic_ids),
                       centres, metrics)


def _cluster_pass(x_fit: np.ndarray, docs: list[str], settings: TopicSettings, n_neighbors: int,
                  pool: ThreadPoolExecutor, timings: dict[str, float],
                  stage: Stage) -> tuple[Any, int, Any, np.ndarray]:
    """Neighbours, the map's projection (started on `pool`), UMAP, HDBSCAN and the keyword model of the fitted
    posts' vectors: the map's future, the smallest topic size, the keyword model and the fitted posts' topics."""
    with _timed(timings, "neighbours"):
        stage("Finding each post's nearest neighbours", 0.45)
        knn = exact_knn(x_fit, settings.neighbours)
    drawn = pool.submit(map_projection, x_fit, knn, n_neighbors, settings.seed)  # (neighbours.umap_class)
    with _timed(timings, "umap"):
        stage("Reducing dimensions (UMAP)", 0.55)
        reduced = project(x_fit, knn, n_neighbors, dims=5, min_dist=0.0, seed=settings.seed, n_epochs=UMAP_EPOCHS)
    with _timed(timings, "cluster"):
        stage("Clustering (HDBSCAN) and describing topics (c-TF-IDF)", 0.7)
        labels, min_size = cluster(reduced, settings)
        model, topics_fit = keyword_model(docs, reduced, labels, min_size, settings)
    return drawn, min_size, model, topics_fit


def meaning_texts(text: pd.Series, settings: TopicSettings) -> pd.Series:
    """What is embedded and counted for keywords: the text prepared for meaning (handles, links and brand
    terms out; lib.topics.prepare) unless `prepare_text` is off."""
    text = text.fillna("").astype(str)
    return prepare_texts(text, settings.brand_terms) if settings.prepare_text else text


@contextmanager
def _timed(timings: dict[str, float], key: str) -> Iterator[None]:
    start = time.perf_counter()
    yield
    timings[key] = time.perf_counter() - start


def _embed(texts: pd.Series, sample: FitSample, settings: TopicSettings, ws: VectorCache | None,
           stage: Stage) -> Embeddings:
    """Every post's vector, or by words only the fitted sample's (the other rows stay zero, unallocated)."""
    def progress(done: int, n: int) -> None:
        stage(f"Embedding posts: {done:,} of {n:,}", 0.4 * done / max(n, 1))

    if not sample.by_words:
        return embed(texts, ws, settings.backend, progress=progress)
    fitted = embed(texts.iloc[sample.fit_rows], ws, settings.backend, progress=progress)
    vectors = np.zeros((len(texts), fitted.vectors.shape[1]), dtype=np.float32)
    vectors[sample.fit_rows] = fitted.vectors
    return Embeddings(vectors, fitted.backend, fitted.computed)


def _metrics(sample: FitSample, topic: np.ndarray, outliers_before: float, topic_ids: list[int], min_size: int,
             emb: Embeddings, agreement: float | None, timings: dict[str, float]) -> dict[str, Any]:
    return {"outliers_before": outliers_before, "outliers_after": float(np.mean(topic[sample.text_rows] == -1)),
            "n_posts": int(len(topic)), "n_text": int(len(sample.text_rows)), "n_fit": int(len(sample.fit_rows)),
            "n_topics": int(len(topic_ids)), "min_topic_size": int(min_size), "embedded_now": int(emb.computed),
            "assigned_by_words": int(len(sample.rest)) if sample.by_words else 0, "words_agreement": agreement,
            "timings": {k: round(v, 3) for k, v in timings.items()}}


def cluster(reduced: np.ndarray, settings: TopicSettings) -> tuple[np.ndarray, int]:
    """HDBSCAN labels and the smallest topic size used.

    With an automatic size, HDBSCAN's choice of clusters is not monotonic in the size (on 10,000 real
    tweets: 100 posts -> 11 topics, 80 -> 2, 50 -> 32), so sizes are tried from the largest down until
    the result has enough topics to read (8, fewer for small data); each try costs about a second.

    HDBSCAN's `min_samples` (how many neighbours make a post a core of a topic) is `MIN_SAMPLES`, not its
    default (the smallest topic size): tied to the size, a larger smallest topic also made HDBSCAN far more
    conservative about who belongs, leaving up to half the posts as outliers for the nearest-centre
    reassignment to guess. Measured on four real labelled sets (bench/eval_real.py; MiniLM, smallest topic 31,
    mean of 3 seeds): raw outliers 45 % -> 28 % on TweetTopic-XL, AMI with its topics 0.209 -> 0.225; Banking77
    AMI with its intents 0.726 -> 0.764; WordLlama likewise (0.060 -> 0.075, 0.669 -> 0.691).

    HDBSCAN picks clusters by stability ("eom"), which can keep one huge cluster over its parts at every size:
    2,000 real tweets in four languages (UMSAB) gave 2 topics, one of 1,713 posts; TweetTopic-XL's 4,000 tweets
    in four languages gave 3, the languages. When that leaves fewer topics than `wanted`, the tree's leaves are
    taken instead ("leaf": its smallest clusters of at least the size) if they are more: 22 readable topics on
    those tweets, AMI with TweetTopic-XL's topics 0.03 -> 0.12 (bench/eval_topics_real.py). Data where "eom"
    finds enough topics is clustered exactly as before: no fit on the bench's English sets changed; some seeds on
    its Greek and Japanese tweets did (AMI 0.107 -> 0.152, 0.088 -> 0.130).
    """
    from hdbscan import HDBSCAN

    n = len(reduced)

    def run(size: int, selection: str = "eom") -> np.ndarray:
        return HDBSCAN(min_cluster_size=size, min_samples=min(MIN_SAMPLES, size), metric="euclidean",
                       cluster_selection_method=selection).fit_predict(reduced)

    def count(labels: np.ndarray) -> int:
        return len(set(labels.tolist()) - {-1})

    cap = max(2, n // 3)
    wanted = max(2, min(8, n // 50))
    first = min(int(settings.min_topic_size) if settings.min_topic_size > 0 else settings.resolved_min_size(n), cap)
    size = first
    best: tuple[int, np.ndarray, int] | None = None
    while True:
        labels = run(size)
        k = count(labels)
        if best is None or k > best[0]:
            best = (k, labels, size)
        if k >= wanted or size <= 10 or settings.min_topic_size > 0:  # a size the user set is kept
            break
        size = max(10, int(size * 0.6))
    if best[0] < wanted:
        leaves = run(first, "leaf")
        if count(leaves) > best[0]:
            return leaves, first
    return best[1], best[2]


def warm_up() -> float:
    """Compile UMAP's numba kernels and load the topics' default embedder on a tiny random problem; returns
    seconds."""
    t0 = time.perf_counter()
    default = BACKENDS[resolve(default_backend())]
    if not default.corpus_fitted:
        default.encode(["warming up"])
    rng = np.random.default_rng(0)
    v = rng.normal(size=(120, 8)).astype(np.float32)
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    knn = exact_knn(v, 10)
    import bertopic  # noqa: F401  (its import alone takes seconds)
    from hdbscan import HDBSCAN

    for dims, min_dist in ((5, 0.0), (2, 0.1)):
        z = project(v, knn, 10, dims=dims, min_dist=min_dist, seed=0, n_epochs=20)
    HDBSCAN(min_cluster_size=10).fit(z)
    return time.perf_counter() - t0
