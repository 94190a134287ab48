"""Topics with BERTopic: offline embeddings, exact neighbours, UMAP -> HDBSCAN -> c-TF-IDF, outlier reduction.

What this adds to BERTopic's defaults, and why:
- embeddings are passed in (lib.embeddings.backends), never a model name: nothing is downloaded;
- the k nearest neighbours are computed exactly with one matrix product per block and handed to UMAP
  (`precomputed_knn`), so pynndescent and its ~25 s of numba compilation are skipped, and the result
  is the same on every run;
- UMAP runs with a fixed seed, so the same data + settings + seed give the same topics;
- at most `fit_sample` posts are clustered; the rest join the nearest topic by meaning (a 1M-post
  file is fitted on a sample and applied to all);
- outliers are reassigned to the nearest topic (by meaning or by keywords) until the share left
  matches the user's target, keeping the least similar posts as outliers.
"""
from __future__ import annotations

import json
import warnings
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd

from lib.embeddings.backends import Embeddings, embed

warnings.filterwarnings("ignore", message=r"precomputed_knn\[2\]", category=UserWarning)
PLATFORM_NOISE = ("rt", "amp", "http", "https", "www", "com", "co", "via", "gt", "lt", "im", "dont", "just",
                  "like", "get", "got", "u", "ur", "lol", "omg")
UMAP_EPOCHS = 200  # UMAP's own default above 10,000 points; enough for clustering, fixed so results don't depend on n
ASSIGN_REST = {"meaning": "Embed every post and join the nearest topic centre",
               "words": "Embed the fitted sample only; a classifier on its words gives the rest their topic"}
OUTLIER_STRATEGIES = {"none": "Leave them out",
                      "embeddings": "Nearest topic by meaning",
                      "c-tf-idf": "Nearest topic by shared keywords"}
Stage = Callable[[str, float], None]  # (message, fraction done)


@dataclass(frozen=True)
class TopicSettings:
    """Everything that determines a topic model; equal settings on equal posts give equal topics."""
    min_topic_size: int = 0            # 0 = automatic (1 % of the distinct texts clustered, 15 to 80)
    nr_topics: int = 0                 # 0 = automatic, else merge down to at most this many
    ngram_max: int = 2                 # keywords of 1..ngram_max words
    extra_stopwords: tuple[str, ...] = ()
    seed: int = 42
    outlier_strategy: str = "embeddings"
    outlier_target: float = 0.10       # share of posts left as outliers after reduction
    neighbours: int = 15               # UMAP neighbourhood: small = many local topics, large = broad themes
    backend: str = "auto"              # embeddings: auto | wordllama | minilm | tfidf (lib.embeddings.backends)
    fit_sample: int = 20_000
    assign_rest: str = "meaning"       # posts beyond the fitted sample: "meaning" (embedded) or "words" (fast)

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> TopicSettings:
        data = json.loads(text)
        data["extra_stopwords"] = tuple(data.get("extra_stopwords", ()))
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})

    def resolved_min_size(self, n: int) -> int:
        return int(self.min_topic_size) if self.min_topic_size > 0 else int(max(15, min(80, round(n * 0.01))))


@dataclass
class TopicResult:
    """A fitted topic model's output, small enough to store and reload without refitting."""
    settings: TopicSettings
    backend: str
    post_id: np.ndarray                 # one row per post, aligned with the posts given to fit
    topic: np.ndarray                   # topic id per post, -1 = outlier
    x: np.ndarray                       # 2-D document map
    y: np.ndarray
    info: pd.DataFrame                  # topic, label, size, keywords (list), weights (list), x, y
    representative: dict[int, list[str]]  # topic -> post ids closest to its centre
    hierarchy: pd.DataFrame             # scipy linkage rows over topics: left, right, distance, size
    centres: np.ndarray                 # unit topic centres in embedding space, rows in info's topic order
    metrics: dict = field(default_factory=dict)  # outlier shares, timings, sizes

    def doc_frame(self) -> pd.DataFrame:
        return pd.DataFrame({"post_id": self.post_id, "topic": self.topic, "x": self.x, "y": self.y})


# ------------------------------------------------------------------ neighbours and the fit
def exact_knn(vectors: np.ndarray, k: int, block: int = 2048) -> tuple[np.ndarray, np.ndarray]:
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


def stopwords(extra: tuple[str, ...] | list[str]) -> list[str]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    words = set(ENGLISH_STOP_WORDS) | set(PLATFORM_NOISE)
    for w in extra:
        words.update(t for t in str(w).lower().replace(",", " ").split() if t)
    return sorted(words)


def vectorizer(settings: TopicSettings):
    from sklearn.feature_extraction.text import CountVectorizer

    return CountVectorizer(stop_words=stopwords(settings.extra_stopwords), ngram_range=(1, max(1, settings.ngram_max)),
                           min_df=1, token_pattern=r"(?u)\b[^\W\d_][\w'-]*[^\W_]\b")


def fit_topics(posts: pd.DataFrame, settings: TopicSettings = TopicSettings(), ws=None,
               sentiment: pd.Series | None = None, stage: Stage | None = None,
               embeddings: Embeddings | None = None) -> TopicResult:
    """Fit topics on the posts' text. Raises ValueError with a plain message when there is too little text."""
    import time

    stage = stage or (lambda msg, frac: None)
    timings: dict[str, float] = {}
    texts = posts["text"].fillna("").astype(str)
    has_text = texts.str.strip().str.len() > 0
    if has_text.sum() < 30:
        raise ValueError(f"Topics need at least 30 posts with text; this dataset has {int(has_text.sum())}.")
    if settings.assign_rest not in ASSIGN_REST:
        raise ValueError(f"Unknown assign_rest {settings.assign_rest!r}: use {', '.join(ASSIGN_REST)}")

    # Cluster distinct texts only: 500 copies of a retweet are one message, not a dense cluster of their own.
    rng = np.random.default_rng(settings.seed)
    text_rows = np.flatnonzero(has_text.to_numpy())
    norm = texts.str.strip().str.lower().to_numpy()
    distinct = text_rows[~pd.Series(norm[text_rows]).duplicated().to_numpy()]
    if len(distinct) > settings.fit_sample:
        fit_rows = np.sort(rng.choice(distinct, settings.fit_sample, replace=False))
    else:
        fit_rows = distinct
    if len(fit_rows) < 30:
        raise ValueError(f"Topics need at least 30 distinct texts; this dataset has {len(fit_rows)}.")
    by_words = settings.assign_rest == "words" and len(fit_rows) < len(distinct)

    t0 = time.perf_counter()
    stage("Embedding posts (each distinct text once, cached)", 0.0)
    progress = lambda d, n: stage(f"Embedding posts: {d:,} of {n:,}", 0.4 * d / max(n, 1))  # noqa: E731
    if embeddings is not None:
        emb = embeddings
    elif by_words:  # only the fitted sample is embedded; its rows stay untouched (and unallocated) elsewhere
        sample = embed(texts.iloc[fit_rows], ws, settings.backend, progress=progress)
        vectors = np.zeros((len(texts), sample.vectors.shape[1]), dtype=np.float32)
        vectors[fit_rows] = sample.vectors
        emb = Embeddings(vectors, sample.backend, sample.computed)
    else:
        emb = embed(texts, ws, settings.backend, progress=progress)
    timings["embeddings"] = time.perf_counter() - t0
    vectors = emb.vectors
    original = _originals(norm, text_rows, fit_rows)
    weight = np.ones(len(fit_rows)) + np.bincount(np.searchsorted(fit_rows, original[original >= 0]),
                                                  minlength=len(fit_rows))  # posts each fitted text stands for
    docs = texts.to_numpy()[fit_rows].tolist()
    x_fit = vectors[fit_rows]

    t1 = time.perf_counter()
    stage("Finding each post's nearest neighbours", 0.45)
    knn_idx, knn_dist = exact_knn(x_fit, settings.neighbours)
    timings["neighbours"] = time.perf_counter() - t1

    from umap import UMAP

    t2 = time.perf_counter()
    stage("Reducing dimensions (UMAP)", 0.55)
    n_neighbors = min(settings.neighbours, len(fit_rows) - 1)
    umap5 = UMAP(n_neighbors=n_neighbors, n_components=5, min_dist=0.0, metric="cosine",
                 random_state=settings.seed, n_epochs=UMAP_EPOCHS, precomputed_knn=(knn_idx[:, :n_neighbors], knn_dist[:, :n_neighbors], None),
                 low_memory=True, n_jobs=1)
    reduced = umap5.fit_transform(x_fit)
    timings["umap"] = time.perf_counter() - t2

    t3 = time.perf_counter()
    stage("Clustering (HDBSCAN) and describing topics (c-TF-IDF)", 0.7)
    labels, min_size = cluster(reduced, settings)
    import logging

    from bertopic import BERTopic
    from bertopic.cluster import BaseCluster
    from bertopic.dimensionality import BaseDimensionalityReduction
    from bertopic.vectorizers import ClassTfidfTransformer

    model = BERTopic(embedding_model=None, umap_model=BaseDimensionalityReduction(), hdbscan_model=BaseCluster(),
                     vectorizer_model=vectorizer(settings),
                     ctfidf_model=ClassTfidfTransformer(reduce_frequent_words=True),
                     nr_topics=settings.nr_topics if settings.nr_topics > 0 else None,
                     top_n_words=10, min_topic_size=min_size, calculate_probabilities=False)
    logging.getLogger("BERTopic").setLevel(logging.ERROR)  # after __init__, which resets it; we assign topics
    topics_fit, _ = model.fit_transform(docs, embeddings=reduced, y=labels)  # on purpose, it need not warn
    topics_fit = np.asarray(topics_fit)
    timings["cluster"] = time.perf_counter() - t3
    outliers_before = float(weight[topics_fit == -1].sum() / weight.sum())

    t4 = time.perf_counter()
    stage("Reassigning outliers", 0.8)
    topic_ids = sorted(t for t in set(topics_fit.tolist()) if t != -1)
    if settings.outlier_strategy not in OUTLIER_STRATEGIES:
        raise ValueError(f"Unknown outlier strategy {settings.outlier_strategy!r}: use {', '.join(OUTLIER_STRATEGIES)}")
    if settings.outlier_strategy != "none" and topic_ids and outliers_before > settings.outlier_target:
        topics_fit = _reduce_outliers(model, docs, topics_fit, x_fit, topic_ids, settings, weight)
        model.update_topics(docs, topics=topics_fit.tolist(), vectorizer_model=vectorizer(settings),
                            ctfidf_model=ClassTfidfTransformer(reduce_frequent_words=True), top_n_words=10)
    timings["outliers"] = time.perf_counter() - t4

    # Every post gets a topic: fitted posts keep theirs, copies take their original's, the rest join the
    # nearest centre by meaning (unless they are less similar to it than almost every fitted post).
    topic = np.full(len(texts), -1, dtype=np.int64)
    topic[fit_rows] = topics_fit
    copies = text_rows[original >= 0]
    topic[copies] = topic[original[original >= 0]]
    centres, topic_ids = _centres(vectors[fit_rows], topics_fit)
    rest = text_rows[original < 0]
    rest = rest[~np.isin(rest, fit_rows)]
    agreement = None
    if by_words and len(rest) and len(topic_ids):
        stage(f"Giving {len(rest):,} more posts their topic by their words", 0.82)
        topic[rest], agreement = _assign_by_words(docs, topics_fit, texts.to_numpy()[rest], settings)
    elif len(rest) and len(topic_ids):
        fit_sims = np.einsum("ij,ij->i", x_fit[topics_fit != -1],
                             centres[np.searchsorted(topic_ids, topics_fit[topics_fit != -1])])
        floor = np.quantile(fit_sims, 0.02) if len(fit_sims) else 0.0
        for start in range(0, len(rest), 65_536):  # in blocks: a million rows at once would copy 1.5 GB
            chunk = rest[start:start + 65_536]
            sims = vectors[chunk] @ centres.T
            best = sims.argmax(axis=1)
            topic[chunk] = np.where(sims[np.arange(len(chunk)), best] >= floor, np.asarray(topic_ids)[best], -1)

    t5 = time.perf_counter()
    stage("Drawing the document map", 0.85)
    x2, y2 = _doc_map(vectors, fit_rows, np.array([], dtype=np.int64) if by_words else rest, knn_idx, knn_dist,
                      n_neighbors, settings.seed)
    if by_words:  # no vectors for them: each sits on a fitted post of its own topic
        x2[rest], y2[rest] = _place_by_topic(x2, y2, fit_rows, topic, rest, settings.seed)
    x2[copies], y2[copies] = x2[original[original >= 0]], y2[original[original >= 0]]
    timings["map"] = time.perf_counter() - t5

    info = _topic_info(model, topic, centres, topic_ids)
    post_ids = posts["post_id"].astype(str).to_numpy()
    if by_words:  # only the fitted posts have vectors
        representative = _representative(post_ids[fit_rows], vectors[fit_rows], topic[fit_rows], centres, topic_ids)
    else:
        representative = _representative(post_ids, vectors, topic, centres, topic_ids)
    hierarchy = _hierarchy(centres, topic_ids, info.set_index("topic")["size"])
    timings["total"] = time.perf_counter() - t0
    stage("Done", 1.0)
    metrics = {"outliers_before": outliers_before, "outliers_after": float(np.mean(topic[text_rows] == -1)),
               "n_posts": int(len(texts)), "n_text": int(len(text_rows)), "n_fit": int(len(fit_rows)),
               "n_topics": int(len(topic_ids)), "min_topic_size": int(min_size), "embedded_now": int(emb.computed),
               "assigned_by_words": int(len(rest)) if by_words else 0, "words_agreement": agreement,
               "timings": {k: round(v, 3) for k, v in timings.items()}}
    return TopicResult(settings, emb.backend, posts["post_id"].astype(str).to_numpy(), topic, x2, y2, info,
                       representative, hierarchy, centres, metrics)


def cluster(reduced: np.ndarray, settings: TopicSettings) -> tuple[np.ndarray, int]:
    """HDBSCAN labels and the smallest topic size used.

    With an automatic size, HDBSCAN's choice of clusters is not monotonic in the size (on 10,000 real
    tweets: 100 posts -> 11 topics, 80 -> 2, 50 -> 32), so sizes are tried from the largest down until
    the result has enough topics to read (8, fewer for small data); each try costs about a second.
    """
    from hdbscan import HDBSCAN

    n = len(reduced)

    def run(size: int) -> np.ndarray:
        return HDBSCAN(min_cluster_size=size, metric="euclidean", cluster_selection_method="eom").fit_predict(reduced)

    cap = max(2, n // 3)
    if settings.min_topic_size > 0:
        size = min(int(settings.min_topic_size), cap)
        return run(size), size
    wanted = max(2, min(8, n // 50))
    size = min(settings.resolved_min_size(n), cap)
    best: tuple[int, np.ndarray, int] | None = None
    while True:
        labels = run(size)
        k = len(set(labels.tolist()) - {-1})
        if best is None or k > best[0]:
            best = (k, labels, size)
        if k >= wanted or size <= 10:
            break
        size = max(10, int(size * 0.6))
    return best[1], best[2]


def _reduce_outliers(model, docs, topics, vectors, topic_ids, settings, weight) -> np.ndarray:
    """Give outliers their most similar topic, except the least similar ones that stay within the target
    share of all posts (`weight` = how many posts each fitted text stands for)."""
    out = np.flatnonzero(topics == -1)
    if settings.outlier_strategy == "c-tf-idf":
        from sklearn.metrics.pairwise import cosine_similarity

        bow = model.vectorizer_model.transform([docs[i] for i in out])
        sims = cosine_similarity(model.ctfidf_model.transform(bow), model.c_tf_idf_[model._outliers:])
    else:
        centres, _ = _centres(vectors, topics)
        sims = vectors[out] @ centres.T
    sims = np.asarray(sims)
    best = sims.argmax(axis=1)
    score = sims[np.arange(len(out)), best]
    order = np.argsort(score, kind="stable")  # least similar first
    budget = settings.outlier_target * weight.sum()
    kept = np.cumsum(weight[out[order]]) <= budget
    reassign = order[~kept]
    reassign = reassign[score[reassign] > 0]  # nothing in common with any topic: stays an outlier
    new = topics.copy()
    new[out[reassign]] = np.asarray(topic_ids)[best[reassign]]
    return new


def _assign_by_words(docs: list[str], topics_fit: np.ndarray, rest_texts: np.ndarray,
                     settings: TopicSettings) -> tuple[np.ndarray, float]:
    """Topics for posts beyond the fitted sample from their words: a linear classifier (TF-IDF words and
    word pairs) trained on the fitted posts' topics, outliers included as a class. Returns the topics and
    the classifier's agreement with the embedding topics on a fifth of the sample held out."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.svm import LinearSVC

    def model():  # type: ignore[no-untyped-def]
        tf = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, max_features=200_000,
                             stop_words=stopwords(settings.extra_stopwords))
        return tf, LinearSVC(C=0.5, random_state=settings.seed)

    docs_arr = np.asarray(docs, dtype=object)
    held = np.random.default_rng(settings.seed).random(len(docs)) < 0.2
    tf, clf = model()
    clf.fit(tf.fit_transform(docs_arr[~held]), topics_fit[~held])
    agreement = float((clf.predict(tf.transform(docs_arr[held])) == topics_fit[held]).mean())
    tf, clf = model()
    clf.fit(tf.fit_transform(docs_arr), topics_fit)
    out = np.empty(len(rest_texts), dtype=np.int64)
    for start in range(0, len(rest_texts), 100_000):
        out[start:start + 100_000] = clf.predict(tf.transform(rest_texts[start:start + 100_000]))
    return out, agreement


def _place_by_topic(x: np.ndarray, y: np.ndarray, fit_rows: np.ndarray, topic: np.ndarray, rest: np.ndarray,
                    seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Map coordinates for posts without vectors: those of a random fitted post of the same topic."""
    rng = np.random.default_rng(seed)
    rx, ry = np.full(len(rest), np.nan), np.full(len(rest), np.nan)
    for t in np.unique(topic[rest]):
        pool = fit_rows[topic[fit_rows] == t]
        where = np.flatnonzero(topic[rest] == t)
        if len(pool):
            pick = pool[rng.integers(0, len(pool), len(where))]
            rx[where], ry[where] = x[pick], y[pick]
    return rx, ry


def _originals(norm: np.ndarray, text_rows: np.ndarray, fit_rows: np.ndarray) -> np.ndarray:
    """For each text row: the fitted row with the same normalised text (-1 if none, or the row itself)."""
    first = {norm[r]: r for r in fit_rows}
    out = np.array([first.get(norm[r], -1) for r in text_rows], dtype=np.int64)
    out[out == text_rows] = -1
    return out


def _centres(vectors: np.ndarray, topics: np.ndarray) -> tuple[np.ndarray, list[int]]:
    ids = sorted(t for t in set(np.asarray(topics).tolist()) if t != -1)
    if not ids:
        return np.zeros((0, vectors.shape[1]), dtype=np.float32), []
    c = np.vstack([vectors[topics == t].mean(axis=0) for t in ids]).astype(np.float32)
    c /= np.clip(np.linalg.norm(c, axis=1, keepdims=True), 1e-12, None)
    return c, ids


def _doc_map(vectors, fit_rows, rest, knn_idx, knn_dist, n_neighbors, seed) -> tuple[np.ndarray, np.ndarray]:
    """2-D coordinates: UMAP on the fitted posts, `rest` placed at their nearest fitted post (copies of a
    fitted text are placed by the caller, at their original)."""
    from umap import UMAP

    x = np.full(len(vectors), np.nan)
    y = np.full(len(vectors), np.nan)
    umap2 = UMAP(n_neighbors=n_neighbors, n_components=2, min_dist=0.1, metric="cosine", random_state=seed, n_epochs=100,
                 precomputed_knn=(knn_idx[:, :n_neighbors], knn_dist[:, :n_neighbors], None), low_memory=True, n_jobs=1)
    xy = umap2.fit_transform(vectors[fit_rows])
    x[fit_rows], y[fit_rows] = xy[:, 0], xy[:, 1]
    for start in range(0, len(rest), 4096):
        chunk = rest[start:start + 4096]
        near = (vectors[chunk] @ vectors[fit_rows].T).argmax(axis=1)
        x[chunk], y[chunk] = xy[near, 0], xy[near, 1]
    return x, y


def label_from_keywords(words: list[str], n: int = 3) -> str:
    """'aftertaste · packaging · chemical': the top keywords, skipping words already inside a chosen phrase."""
    chosen: list[str] = []
    for w in words:
        parts = set(w.split())
        if any(parts <= set(c.split()) or set(c.split()) <= parts for c in chosen):
            continue
        chosen.append(w)
        if len(chosen) == n:
            break
    return " · ".join(chosen) if chosen else "(no keywords)"


def _topic_info(model, topic: np.ndarray, centres: np.ndarray, topic_ids: list[int]) -> pd.DataFrame:
    rows = []
    coords = _topic_coords(centres)
    for i, t in enumerate(topic_ids):
        words = model.get_topic(t) or []
        kw = [w for w, _ in words if w]
        rows.append({"topic": t, "label": label_from_keywords(kw), "size": int((topic == t).sum()), "keywords": kw,
                     "weights": [float(s) for w, s in words if w], "tx": float(coords[i, 0]), "ty": float(coords[i, 1])})
    n_out = int((topic == -1).sum())
    rows.append({"topic": -1, "label": "Outliers (no clear topic)", "size": n_out, "keywords": [], "weights": [],
                 "tx": np.nan, "ty": np.nan})
    return pd.DataFrame(rows)


def _topic_coords(centres: np.ndarray) -> np.ndarray:
    """Intertopic distance map: classical MDS of the cosine distances between topic centres."""
    k = len(centres)
    if k == 0:
        return np.zeros((0, 2))
    if k < 3:
        return np.column_stack([np.arange(k, dtype=float), np.zeros(k)])
    d2 = np.clip(1.0 - centres @ centres.T, 0, 2) ** 2
    j = np.eye(k) - 1.0 / k
    b = -0.5 * j @ d2 @ j
    vals, vecs = np.linalg.eigh(b)
    top = np.argsort(vals)[::-1][:2]
    out = vecs[:, top] * np.sqrt(np.clip(vals[top], 0, None))
    out *= np.sign(out[np.abs(out).argmax(axis=0), [0, 1]])  # fixed orientation
    return out


def _representative(post_ids, vectors, topic, centres, topic_ids, n: int = 5) -> dict[int, list[str]]:
    rep: dict[int, list[str]] = {}
    for i, t in enumerate(topic_ids):
        rows = np.flatnonzero(topic == t)
        sims = vectors[rows] @ centres[i]
        rep[int(t)] = [str(post_ids[r]) for r in rows[np.argsort(-sims, kind="stable")[:n]]]
    return rep


def _hierarchy(centres: np.ndarray, topic_ids: list[int], sizes: pd.Series) -> pd.DataFrame:
    cols = ["left", "right", "distance", "size"]
    if len(topic_ids) < 2:
        return pd.DataFrame(columns=cols)
    from scipy.cluster.hierarchy import linkage
    from scipy.spatial.distance import pdist

    link = linkage(pdist(centres, metric="cosine"), method="average")
    return pd.DataFrame(link, columns=cols)


def warm_up() -> float:
    """Compile UMAP's numba kernels and load the default embedder on a tiny random problem; returns seconds."""
    import time

    t0 = time.perf_counter()
    from lib.embeddings.backends import static_available, wordllama

    if static_available():  # MiniLM is not loaded here: topics use it only when chosen (it loads in ~1 s)
        wordllama().encode(["warming up"])
    rng = np.random.default_rng(0)
    v = rng.normal(size=(120, 8)).astype(np.float32)
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    idx, dist = exact_knn(v, 10)
    import bertopic  # noqa: F401  (its import alone takes seconds)
    from hdbscan import HDBSCAN
    from umap import UMAP

    for dims, min_dist in ((5, 0.0), (2, 0.1)):
        z = UMAP(n_neighbors=10, n_components=dims, min_dist=min_dist, metric="cosine", random_state=0, n_epochs=20,
                 precomputed_knn=(idx, dist, None), low_memory=True, n_jobs=1).fit_transform(v)
    HDBSCAN(min_cluster_size=10).fit(z)
    return time.perf_counter() - t0
