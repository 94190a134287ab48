"""Posts to topics after clustering: outliers reassigned down to the user's target share, posts beyond the
fitted sample joined to a topic (by meaning or by words), and every post placed on the document map."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from lib.topics.describe import ignored, refresh_keywords
from lib.topics.neighbours import Knn, project
from lib.topics.result import Stage, TopicSettings
from lib.topics.sample import FitSample

BLOCK = 65_536  # rows compared with the centres at once: a million rows at once would copy 1.5 GB


def topic_centres(vectors: np.ndarray, topics: np.ndarray) -> tuple[np.ndarray, list[int]]:
    """Unit mean vector of each topic (outliers left out), rows in the order of the returned topic ids."""
    ids = sorted(t for t in set(np.asarray(topics).tolist()) if t != -1)
    if not ids:
        return np.zeros((0, vectors.shape[1]), dtype=np.float32), []
    c = np.vstack([vectors[topics == t].mean(axis=0) for t in ids]).astype(np.float32)
    c /= np.clip(np.linalg.norm(c, axis=1, keepdims=True), 1e-12, None)
    return c, ids


def reduce_outliers(model: Any, docs: list[str], topics: np.ndarray, vectors: np.ndarray, settings: TopicSettings,
                    weight: np.ndarray, share: float) -> np.ndarray:
    """The fitted posts' topics after outlier reduction (and the model's keywords refreshed), when the user
    asked for it and the outlier `share` is above the target; else `topics` unchanged."""
    topic_ids = sorted(t for t in set(topics.tolist()) if t != -1)
    if settings.outlier_strategy == "none" or not topic_ids or share <= settings.outlier_target:
        return topics
    topics = _reassign(model, docs, topics, vectors, topic_ids, settings, weight)
    refresh_keywords(model, docs, topics, settings)
    return topics


def _reassign(model: Any, docs: list[str], topics: np.ndarray, vectors: np.ndarray, topic_ids: list[int],
              settings: TopicSettings, weight: np.ndarray) -> np.ndarray:
    """Give outliers their most similar topic, except the least similar ones that stay within the target
    share of all posts (`weight` = how many posts each fitted text stands for)."""
    out = np.flatnonzero(topics == -1)
    if settings.outlier_strategy == "c-tf-idf":
        from sklearn.metrics.pairwise import cosine_similarity

        bow = model.vectorizer_model.transform([docs[i] for i in out])
        sims = cosine_similarity(model.ctfidf_model.transform(bow), model.c_tf_idf_[model._outliers:])
    else:
        centres, _ = topic_centres(vectors, topics)
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


def assign_posts(texts: pd.Series, vectors: np.ndarray, sample: FitSample, topics_fit: np.ndarray,
                 centres: np.ndarray, topic_ids: list[int], settings: TopicSettings, floor: float,
                 stage: Stage) -> tuple[np.ndarray, float | None, WordsModel | None]:
    """Every post's topic: fitted posts keep theirs, copies take their original's, the rest join the nearest
    centre by meaning (unless they are less similar to it than `floor`, `meaning_floor`), or by their words
    when `sample.by_words`. Returns the topics and, by words, the classifier and its agreement (else None)."""
    topic = np.full(len(texts), -1, dtype=np.int64)
    topic[sample.fit_rows] = topics_fit
    copied = sample.original >= 0
    topic[sample.copies] = topic[sample.original[copied]]
    rest = sample.rest
    if not len(rest) or not len(topic_ids):
        return topic, None, None
    if sample.by_words:
        stage(f"Giving {len(rest):,} more posts their topic by their words", 0.82)
        docs = texts.to_numpy()[sample.fit_rows].tolist()
        words, agreement = words_classifier(docs, topics_fit, settings)
        topic[rest] = by_words(words, texts.to_numpy()[rest])
        return topic, agreement, words
    for start in range(0, len(rest), BLOCK):
        chunk = rest[start:start + BLOCK]
        topic[chunk] = nearest_topics(vectors[chunk], centres, topic_ids, floor)
    return topic, None, None


def meaning_floor(x_fit: np.ndarray, topics_fit: np.ndarray, centres: np.ndarray, topic_ids: list[int]) -> float:
    """The similarity to its nearest centre below which a post beyond the sample stays an outlier: that of
    the 2 % fitted posts least similar to their own topic's centre (0 without topics)."""
    inside = topics_fit != -1
    if not inside.any() or not len(topic_ids):
        return 0.0
    fit_sims = np.einsum("ij,ij->i", x_fit[inside], centres[np.searchsorted(topic_ids, topics_fit[inside])])
    return float(np.quantile(fit_sims, 0.02))


def nearest_topics(vectors: np.ndarray, centres: np.ndarray, topic_ids: list[int], floor: float) -> np.ndarray:
    """Each row's nearest topic centre by meaning, or -1 (outlier) when it is less similar than `floor`."""
    out = np.full(len(vectors), -1, dtype=np.int64)
    if not len(topic_ids):
        return out
    ids = np.asarray(topic_ids)
    for start in range(0, len(vectors), BLOCK):
        sims = vectors[start:start + BLOCK] @ centres.T
        best = sims.argmax(axis=1)
        out[start:start + BLOCK] = np.where(sims[np.arange(len(sims)), best] >= floor, ids[best], -1)
    return out


WORD_VECTORS = "wordllama"  # the static word vectors a words classifier reads beside the words themselves
WORD_VECTOR_WEIGHT = 1.0     # their scale against the TF-IDF features (each row of either has unit length)
PREDICT_CHUNK = 20_000       # texts classified at a time: their vectors and tokens bound the memory (+0.4 GiB)


@dataclass(frozen=True, eq=False)
class WordsModel:
    """A linear classifier trained on the fitted posts' topics, for posts beyond the fitted sample: TF-IDF words
    and word pairs, and (`vectors`, when installed) the text's WordLlama vector, which places a post by what its
    words mean even where the sample never used them ("cappuccino latte" joins the coffee topic)."""
    tfidf: Any                  # TfidfVectorizer
    classifier: Any             # LinearSVC over [tfidf | WORD_VECTOR_WEIGHT * vectors]
    vectors: str | None = None  # a key of lib.embeddings.registry.BACKENDS, or None: words only


def word_vectors() -> str | None:
    """The word vectors a words classifier reads (WORD_VECTORS), or None when they are not installed."""
    from lib.embeddings.registry import BACKENDS

    return WORD_VECTORS if BACKENDS[WORD_VECTORS].available() else None


def _dense(vectors: str | None, texts: np.ndarray) -> np.ndarray | None:
    """The texts' word vectors, scaled for the classifier (None: words only)."""
    if vectors is None:
        return None
    from lib.embeddings.registry import BACKENDS

    return WORD_VECTOR_WEIGHT * BACKENDS[vectors].encode([str(t) for t in texts])


def _features(words: Any, dense: np.ndarray | None) -> Any:
    from scipy.sparse import csr_matrix, hstack

    return words if dense is None else hstack([words, csr_matrix(dense)], format="csr")


def words_classifier(docs: list[str], topics_fit: np.ndarray, settings: TopicSettings) -> tuple[WordsModel, float]:
    """The `WordsModel` of the fitted posts' topics, outliers included as a class. Returns it and its agreement
    with the embedding topics on a fifth of the sample held out.

    The word vectors were chosen by that agreement, measured on five real sets with 4,000 posts fitted (words
    only -> words and vectors; bench/words_agreement.py): Banking77's 13,083 queries 0.84 -> 0.92, TweetEval's
    12,284 tweets 0.77 -> 0.79, 20,000 GoEmotions comments 0.30 -> 0.49, 16,000 dair-ai emotion tweets
    0.45 -> 0.54 (on MiniLM); 7,480 tweets in seven languages (on E5) 0.46 -> 0.52. AMI with Banking77's
    intents 0.692 -> 0.732 (stock BERTopic 0.678-0.686; bench/eval_topics_real.py). Training takes 0.4-0.9 s
    more per 4,000 posts (the classifier learns 256 dense columns), classifying about 25 s more per million
    posts."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.svm import LinearSVC

    docs_arr = np.asarray(docs, dtype=object)
    vectors = word_vectors()
    dense = _dense(vectors, docs_arr)

    def model(rows: np.ndarray) -> WordsModel:
        # scikit-learn's default tokens hold no apostrophe: "doesn't" in the list would only draw its warning
        tfidf = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, max_features=200_000,
                                stop_words=[w for w in ignored(settings) if "'" not in w])
        words = tfidf.fit_transform(docs_arr[rows])
        classifier = LinearSVC(C=0.5, random_state=settings.seed)
        classifier.fit(_features(words, None if dense is None else dense[rows]), topics_fit[rows])
        return WordsModel(tfidf, classifier, vectors)

    held = np.random.default_rng(settings.seed).random(len(docs)) < 0.2
    tried = model(~held)
    guess = _predict(tried, tried.tfidf.transform(docs_arr[held]), None if dense is None else dense[held])
    agreement = float((guess == topics_fit[held]).mean())
    return model(np.ones(len(docs), dtype=bool)), agreement


def _predict(words: WordsModel, x: Any, dense: np.ndarray | None) -> np.ndarray:
    """The classifier's topics for TF-IDF rows `x` and their vectors `dense`: its decision summed from the word part
    and the vector part instead of stacking the two into one sparse matrix, which held every vector value three
    times over (a million posts: 5.5 GiB peak where words alone took 3.9)."""
    clf = words.classifier
    scores = np.asarray(x @ clf.coef_[:, :x.shape[1]].T) + clf.intercept_
    if dense is not None:
        scores += dense @ clf.coef_[:, x.shape[1]:].T
    best = (scores[:, 0] > 0).astype(np.int64) if scores.shape[1] == 1 else scores.argmax(axis=1)
    return np.asarray(clf.classes_[best])


def by_words(words: WordsModel, texts: np.ndarray) -> np.ndarray:
    """Topics from `words_classifier`, `PREDICT_CHUNK` texts at a time."""
    out = np.empty(len(texts), dtype=np.int64)
    for start in range(0, len(texts), PREDICT_CHUNK):
        part = texts[start:start + PREDICT_CHUNK]
        out[start:start + len(part)] = _predict(words, words.tfidf.transform(part), _dense(words.vectors, part))
    return out


def map_projection(x_fit: np.ndarray, knn: Knn, n_neighbors: int, seed: int) -> np.ndarray:
    """The document map's 2-D UMAP of the fitted posts (independent of the clustering, so it can run beside it)."""
    return project(x_fit, knn, n_neighbors, dims=2, min_dist=0.1, seed=seed, n_epochs=100)


def place_on_map(vectors: np.ndarray, sample: FitSample, topic: np.ndarray, fitted_xy: np.ndarray,
                 seed: int) -> tuple[np.ndarray, np.ndarray]:
    """2-D document map from `fitted_xy` (`map_projection` of the fitted posts); posts beyond the sample at their
    nearest fitted post (by words: at a random fitted post of their topic, having no vectors); copies at their
    original."""
    rest = sample.rest
    x, y = _doc_map(vectors, sample.fit_rows, np.array([], dtype=np.int64) if sample.by_words else rest, fitted_xy)
    if sample.by_words:
        fit = sample.fit_rows
        x[rest], y[rest] = place_by_topic(x[fit], y[fit], topic[fit], topic[rest], seed)
    original = sample.original[sample.original >= 0]
    x[sample.copies], y[sample.copies] = x[original], y[original]
    return x, y


def _doc_map(vectors: np.ndarray, fit_rows: np.ndarray, rest: np.ndarray,
             xy: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """2-D coordinates: the fitted posts at `xy`, `rest` placed at their nearest fitted post (copies of a
    fitted text are placed by the caller, at their original)."""
    x = np.full(len(vectors), np.nan)
    y = np.full(len(vectors), np.nan)
    x[fit_rows], y[fit_rows] = xy[:, 0], xy[:, 1]
    for start in range(0, len(rest), 4096):
        chunk = rest[start:start + 4096]
        near = (vectors[chunk] @ vectors[fit_rows].T).argmax(axis=1)
        x[chunk], y[chunk] = xy[near, 0], xy[near, 1]
    return x, y


def place_by_topic(pool_x: np.ndarray, pool_y: np.ndarray, pool_topic: np.ndarray, topic: np.ndarray,
                   seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Map coordinates for posts without vectors (`topic`: theirs): those of a random post of the same topic
    in the pool of placed posts (seeded); NaN for a topic the pool does not have."""
    rng = np.random.default_rng(seed)
    rx, ry = np.full(len(topic), np.nan), np.full(len(topic), np.nan)
    for t in np.unique(topic):
        pool = np.flatnonzero(pool_topic == t)
        where = np.flatnonzero(topic == t)
        if len(pool):
            pick = pool[rng.integers(0, len(pool), len(where))]
            rx[where], ry[where] = pool_x[pick], pool_y[pick]
    return rx, ry
