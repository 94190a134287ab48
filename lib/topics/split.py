"""Split one topic into its parts, leaving every other topic as it was fitted.

HDBSCAN can keep a loose cluster whole: on 14,284 real tweets (TweetEval) one topic of 1,230 posts was "tomorrow ·
fcblive · cristiano", football, music and plans for the weekend together. Refitting with a smaller topic size
changes every topic; splitting re-clusters only that topic's posts, on the vectors the fit used (k-means on the
unit vectors, the number of parts chosen by the silhouette when not given), and names each part by c-TF-IDF
against all the other topics, as a fit names its topics. The parts get new topic ids, so a name, merge or hiding
the analyst gave the topic does not carry over to a part it no longer describes.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from lib.topics import describe
from lib.topics.result import TopicResult

MIN_PART = 5     # posts: a part smaller than this is no topic
MAX_PARTS = 6    # the most parts the automatic choice tries
KEYWORD_POSTS = 30_000  # posts whose words name the parts: the topic's own and a sample of the others


@dataclass(frozen=True)
class SplitSettings:
    topic: int
    parts: int = 0   # 0: chosen by the silhouette, from 2 to MAX_PARTS
    seed: int = 42


@dataclass(frozen=True, eq=False)  # arrays inside
class Split:
    result: TopicResult         # the whole topic model with the parts in place of the topic
    parts: list[int]            # the new topic ids, largest part first
    silhouette: float           # of the parts chosen (cosine; -1..1, higher: parts further apart)


def split_topic(result: TopicResult, prepared: pd.Series, vectors_of: Callable[[np.ndarray], np.ndarray],
                settings: SplitSettings) -> Split:
    """`prepared`: every post's text as the fit embedded it (`lib.topics.fit.meaning_texts`), in `result`'s order;
    `vectors_of(rows)`: the unit vectors of those rows' posts in the fit's embedding space. Raises ValueError with
    a plain message when the topic does not exist or is too small to split."""
    from sklearn.cluster import KMeans
    from sklearn.metrics import silhouette_score

    topic = np.asarray(result.topic)
    rows = np.flatnonzero(topic == settings.topic)
    if settings.topic == -1 or not len(rows):
        raise ValueError(f"There is no topic {settings.topic} to split.")
    most = len(rows) // MIN_PART
    if most < 2:
        raise ValueError(f"Topic {settings.topic} has {len(rows)} posts: too few to split into parts of "
                         f"{MIN_PART} or more.")
    x = np.asarray(vectors_of(rows), dtype=np.float32)
    choices = [min(settings.parts, most)] if settings.parts >= 2 else list(range(2, min(MAX_PARTS, most) + 1))
    best: tuple[float, np.ndarray] | None = None
    for k in choices:
        # ten starts: with four, on another CPU's floating point, k-means joined two unrelated sentences of a
        # topic written from twelve, where ten found the purer parts (and a higher silhouette, 0.37 vs 0.35)
        labels = KMeans(k, n_init=10, random_state=settings.seed).fit_predict(x)
        if np.bincount(labels).min() < MIN_PART and len(choices) > 1:
            continue
        score = float(silhouette_score(x, labels, metric="cosine", sample_size=min(len(x), 2_000),
                                       random_state=settings.seed))
        if best is None or score > best[0]:
            best = (score, labels)
    if best is None:
        raise ValueError(f"Topic {settings.topic}'s posts do not fall into parts of {MIN_PART} or more.")
    score, labels = best
    order = np.argsort(-np.bincount(labels), kind="stable")  # the largest part gets the first new id
    start = int(topic.max()) + 1
    ids = [start + i for i in range(len(order))]
    new_id = np.empty(len(order), dtype=np.int64)
    new_id[order] = ids
    new_topic = topic.copy()
    new_topic[rows] = new_id[labels]
    return Split(_with_parts(result, prepared, new_topic, rows, x, ids), ids, score)


def _with_parts(result: TopicResult, prepared: pd.Series, topic: np.ndarray, rows: np.ndarray, x: np.ndarray,
                parts: list[int]) -> TopicResult:
    """`result` with the split topic's row of the topic table, centre and representatives replaced by its parts'
    (keywords from c-TF-IDF over every topic's posts, labels as a fit gives them); the map's coordinates of every
    topic and the hierarchy follow the new centres."""
    old = result.info[result.info["topic"] != -1].reset_index(drop=True)
    gone = int(result.topic[rows[0]])
    keep = (old["topic"] != gone).to_numpy()
    part_centres = np.vstack([x[topic[rows] == p].mean(axis=0) for p in parts]).astype(np.float32)
    part_centres /= np.clip(np.linalg.norm(part_centres, axis=1, keepdims=True), 1e-12, None)
    at = int(np.flatnonzero(~keep)[0])  # the parts take the topic's place in the table
    centres = np.vstack([result.centres[:at], part_centres, result.centres[at + 1:]])
    topic_ids = [int(t) for t in old["topic"][:at]] + parts + [int(t) for t in old["topic"][at + 1:]]

    named = np.flatnonzero(topic != -1)
    others = np.setdiff1d(named, rows)
    if len(named) > KEYWORD_POSTS:  # the other topics' words from a seeded sample: c-TF-IDF needs their mix only
        rng = np.random.default_rng(result.settings.seed)
        others = np.sort(rng.choice(others, max(KEYWORD_POSTS - len(rows), 0), replace=False))
        named = np.sort(np.concatenate([rows, others]))
    docs = describe.keyword_docs(prepared.to_numpy()[named].tolist(), result.settings)
    model, fitted = describe.keyword_model(docs, np.zeros((len(docs), 1)), topic[named], 2,
                                           replace(result.settings, nr_topics=0))
    ours = {int(b): int(pd.Series(topic[named][fitted == b]).mode()[0]) for b in set(fitted.tolist()) if b != -1}
    order = describe.label_order(model, docs, fitted, np.ones(len(docs)))
    words = {ours[b]: kw for b, kw in order.items() if b in ours}
    alike = describe.cohesion(x, topic[rows], part_centres, parts, float(result.metrics.get("cohesion_floor", 0.0)))
    new = describe.topic_info(_Renamed(model, {t: b for b, t in ours.items()}), topic, centres, topic_ids, words, alike)
    parts_info = new[new["topic"].isin(parts)]
    if "cohesion" not in old:  # a fit stored before topics had a cohesion: the parts' alone would mislead
        parts_info = parts_info.drop(columns="cohesion")
    info = pd.concat([old.iloc[:at], parts_info, old.iloc[at + 1:]], ignore_index=True)
    coords = new.set_index("topic")[["tx", "ty"]]  # the map's places from every centre, old and new
    info[["tx", "ty"]] = coords.loc[info["topic"]].to_numpy()
    info = pd.concat([info, result.info[result.info["topic"] == -1]], ignore_index=True)
    texts = prepared.to_numpy()
    rep = {t: v for t, v in result.representative.items() if t != gone}
    rep.update(describe.representative(np.asarray(result.post_id)[rows], x, topic[rows], part_centres, parts,
                                       texts[rows]))
    metrics = dict(result.metrics)
    metrics["splits"] = [*metrics.get("splits", []), {"topic": gone, "into": parts}]
    return replace(result, topic=topic, info=info, representative=rep, hierarchy=describe.hierarchy(centres, topic_ids),
                   centres=centres, metrics=metrics)


class _Renamed:
    """A keyword model read by our topic ids: BERTopic numbers the topics it is given by their size."""

    def __init__(self, model: object, to_bertopic: dict[int, int]) -> None:
        self._model, self._to = model, to_bertopic

    def get_topic(self, topic: int) -> object:
        b = self._to.get(int(topic))
        return self._model.get_topic(b) if b is not None else []  # type: ignore[attr-defined]
