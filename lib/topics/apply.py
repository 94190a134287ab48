"""A fitted topic model applied to posts it was not fitted on: the one function both engines assign with.

Three uses, one code path (`apply_topics`), so the engines cannot disagree on a post's topic:
- the Dask engine fits on a seeded sample drawn from its partitions, then every partition is assigned on the
  workers (`model_of_fit`: the sample's own topics, then by words or by meaning as the local fit does);
- `analyze --topics-from RUNDIR` (either engine) applies an earlier run's stored model (`model_of`): every post
  is embedded with that model's embeddings and joins its nearest topic centre, or stays an outlier when it is
  less similar to it than almost every post the model was fitted on (`assign.meaning_floor`);
- the stored result of a run covers every post (`covering`), so the app opens it without refitting.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from lib.embeddings.cache import VectorCache
from lib.topics.assign import WordsModel, by_words, nearest_topics, place_by_topic, words_classifier
from lib.topics.languages import centred, detect, from_metrics
from lib.topics.result import Stage, TopicResult, TopicSettings


@dataclass(frozen=True, eq=False)
class TopicModel:
    """What assigning a post needs, small enough to send to every worker once: the fit's settings (its text
    preparation), embeddings and topic centres, the fitted sample's own topics by normalised text, and the
    words classifier when the posts beyond the sample take their topic by their words."""
    settings: TopicSettings
    backend: str                  # the embeddings' stored model id (lib.embeddings.registry.by_model_id)
    centres: np.ndarray           # unit topic centres, rows in `topic_ids` order
    topic_ids: list[int]
    floor: float                  # below this similarity to the nearest centre a post stays an outlier
    known: dict[str, int]         # normalised prepared text -> topic, for the posts the model was fitted on
    words: WordsModel | None = None
    language_means: dict[str, np.ndarray] = field(default_factory=dict)  # taken out of those languages' vectors

    @property
    def assigned_by(self) -> str:
        return "words" if self.words is not None else "meaning"

    def key(self) -> str:
        """A digest of everything that decides a post's topic: a partition assigned under another key is stale."""
        h = hashlib.sha256()
        for part in (self.settings.to_json(), self.backend, self.topic_ids, round(self.floor, 9),
                     sorted(self.known.items()), self.assigned_by):
            h.update(repr(part).encode())
        for code in sorted(self.language_means):
            h.update(code.encode() + np.ascontiguousarray(self.language_means[code], dtype=np.float32).tobytes())
        h.update(np.ascontiguousarray(self.centres, dtype=np.float32).tobytes())
        return h.hexdigest()[:24]


def _normalised(prepared: pd.Series) -> pd.Series:
    """The key a post's text is known by: as `sample.select_sample` compares texts."""
    return prepared.str.strip().str.lower()


def _backend(model_id: str, need_meaning: bool) -> Any:
    from lib.embeddings.registry import by_model_id

    found = by_model_id(model_id)
    if found is None or not found.available():
        raise ValueError(f"the topic model's embeddings ({model_id}) are not installed here")
    if need_meaning and found.corpus_fitted:
        raise ValueError("the topic model was fitted on TF-IDF vectors, which are fitted per dataset: it cannot "
                         "place other posts by meaning (fit it with --embeddings wordllama or minilm)")
    return found


def meaning_backend(model_id: str) -> Any:
    """The embeddings that can make a stored fit's vectors again; ValueError, in plain words, where none can (not
    installed here, or TF-IDF, which is fitted per dataset)."""
    return _backend(model_id, need_meaning=True)


def model_of(result: TopicResult) -> TopicModel:
    """A stored model, to apply to other posts: every post by meaning (the stored result keeps the centres, not
    the sample's texts or words)."""
    _backend(result.backend, need_meaning=True)
    ids = [int(t) for t in result.info["topic"] if t != -1]
    floor = float(result.metrics.get("assign_floor", 0.0))  # 0: a post with nothing in common stays an outlier
    return TopicModel(result.settings, result.backend, result.centres, ids, floor, {},
                      language_means=from_metrics(result.metrics))


def model_of_fit(result: TopicResult, text: pd.Series) -> tuple[TopicModel, float | None]:
    """The model of a fit on a sample (`text`: the sample's posts, in `result`'s order), to apply to the posts
    beyond it as the local fit does: a copy of a fitted text takes its topic; the rest by their words when the
    settings say so (or the embeddings are fitted per dataset), else by meaning. Returns the model and the words
    classifier's agreement with the fit on held-out posts (None by meaning)."""
    from lib.topics.fit import meaning_texts

    prepared = meaning_texts(text.reset_index(drop=True), result.settings)
    norm = _normalised(prepared)
    first = ~norm.duplicated() & (norm.str.len() > 0)
    known = dict(zip(norm[first], result.topic[first.to_numpy()].tolist()))
    ids = [int(t) for t in result.info["topic"] if t != -1]
    floor = float(result.metrics.get("assign_floor", 0.0))
    model = TopicModel(result.settings, result.backend, result.centres, ids, floor, known,
                       language_means=from_metrics(result.metrics))
    corpus = _backend(result.backend, need_meaning=False).corpus_fitted
    one = len(set(known.values())) < 2  # a classifier needs two classes (a topic and the outliers will do)
    if one and corpus:
        raise ValueError("Topics: the fit on the sample found a single topic and no outliers, and TF-IDF vectors "
                         "cannot place the other posts (fit with --embeddings wordllama or minilm)")
    if (result.settings.assign_rest != "words" and not corpus) or one:
        return model, None
    words, agreement = words_classifier(prepared[first].tolist(), result.topic[first.to_numpy()], result.settings)
    return replace(model, words=words), agreement


def fit_space_vectors(text: pd.Series, result: TopicResult, ws: VectorCache | None = None,
                      stage: Stage | None = None) -> np.ndarray:
    """Posts' unit vectors in the space of a fit's centres: its embeddings of their prepared text, centred for
    their language as the fit centred it (what splitting a topic clusters). `stage` hears how far embedding is."""
    from lib.embeddings.cache import embed
    from lib.topics.fit import meaning_texts

    key = meaning_backend(result.backend).key
    text = text.reset_index(drop=True)

    def progress(done: int, n: int) -> None:
        if stage is not None:
            stage(f"Embedding the posts: {done:,} of {n:,}", 0.8 * done / max(n, 1))

    vectors = embed(meaning_texts(text, result.settings), ws, key, progress=progress).vectors
    means = from_metrics(result.metrics)
    return centred(vectors, detect(text), means, in_place=True) if means else vectors


def apply_topics(text: pd.Series, model: TopicModel, threads: int | None = None, ws: VectorCache | None = None,
                 stage: Stage | None = None) -> tuple[np.ndarray, dict]:
    """Each post's topic (-1: outlier or no text) under `model`, and how many posts had text, were left
    outliers, were known (fitted) and were assigned by words or by meaning. `threads`: cores the embeddings may
    use (a Dask task: 1); `ws`: a workspace whose vector cache the embeddings go through."""
    from lib.embeddings.cache import embed
    from lib.topics.fit import meaning_texts

    prepared = meaning_texts(text.reset_index(drop=True), model.settings)
    norm = _normalised(prepared)
    topic = np.full(len(prepared), -1, dtype=np.int64)
    has = (norm.str.len() > 0).to_numpy()
    hit = np.zeros(len(prepared), dtype=bool)
    if model.known:
        found = norm.map(model.known).to_numpy(dtype=float)
        hit = has & ~np.isnan(found)
        topic[hit] = found[hit].astype(np.int64)
    rest = np.flatnonzero(has & ~hit)
    if len(rest) and model.topic_ids:
        if model.words is not None:
            topic[rest] = by_words(model.words, prepared.to_numpy()[rest])
        else:
            key = _backend(model.backend, need_meaning=True).key

            def progress(done: int, n: int) -> None:
                if stage is not None:
                    stage(f"Embedding posts: {done:,} of {n:,}", 0.9 * done / max(n, 1))

            vectors = embed(prepared.iloc[rest], ws, key, progress=progress, threads=threads).vectors
            if model.language_means:  # centred as the fit centred them (lib.topics.languages)
                languages = detect(text.reset_index(drop=True).iloc[rest])
                vectors = centred(vectors, languages, model.language_means, in_place=True)
            topic[rest] = nearest_topics(vectors, model.centres, model.topic_ids, model.floor)
    counts = {"with_text": int(has.sum()), "outliers": int((topic[has] == -1).sum()), "known": int(hit.sum()),
              model.assigned_by: int(len(rest))}
    return topic, counts


def stored_model(folder: str | Path) -> TopicResult:
    """The topic model a run stored in RUNDIR/results/topics (`lib.store.run_folder`), to apply to other posts;
    ValueError, one line, when there is none or its embeddings cannot place other posts."""
    from lib.store.run_folder import read_stored, result_dir

    stored = read_stored(Path(folder), TopicResult.family)
    if stored is None or "docs" not in stored.frames or "info" not in stored.frames:
        raise ValueError(f"--topics-from: {result_dir(Path(folder), TopicResult.family)} holds no topic model "
                         "(run analyze --steps topics into that folder first)")
    try:
        result = TopicResult.from_stored(stored)
    except (KeyError, ValueError, TypeError) as exc:
        raise ValueError(f"--topics-from: the topic model in {folder} is unreadable ({exc})") from None
    _backend(result.backend, need_meaning=True)
    return result


def covering(result: TopicResult, post_id: np.ndarray, topic: np.ndarray, metrics: dict[str, Any]) -> TopicResult:
    """`result`'s model with one row per post of a run (`post_id`, `topic`), topic sizes counted over them and
    `metrics` added. A post the model placed on its document map with the same topic keeps its place; every
    other post sits at a randomly chosen (seeded) placed post of its topic, as the local fit places the posts it
    gives a topic by their words (`assign.place_by_topic`)."""
    post_id = np.asarray(post_id).astype(str)
    topic = np.asarray(topic, dtype=np.int64)
    own = pd.Series(np.arange(len(result.post_id)), index=np.asarray(result.post_id).astype(str))
    own = own[~own.index.duplicated()]
    at = own.reindex(post_id).to_numpy(dtype=float)
    mine = ~np.isnan(at)
    mine[mine] = result.topic[at[mine].astype(np.int64)] == topic[mine]
    x, y = np.full(len(post_id), np.nan), np.full(len(post_id), np.nan)
    rows = at[mine].astype(np.int64)
    x[mine], y[mine] = result.x[rows], result.y[rows]
    placed = np.isfinite(result.x)
    x[~mine], y[~mine] = place_by_topic(result.x[placed], result.y[placed], result.topic[placed], topic[~mine],
                                        result.settings.seed)
    sizes = pd.Series(topic).value_counts()
    info = result.info.assign(size=result.info["topic"].map(sizes).fillna(0).astype(int))
    return TopicResult(result.settings, result.backend, post_id, topic, x, y, info, result.representative,
                       result.hierarchy, result.centres, {**result.metrics, **metrics})


def applied_topics(folder: str, posts: pd.DataFrame, stage: Stage | None = None,
                   ws: VectorCache | None = None) -> TopicResult:
    """`analyze --topics-from RUNDIR` on one machine: the stored model applied to `posts` (post_id, text)."""
    stage = stage or (lambda msg, frac: None)
    stored = stored_model(folder)
    model = model_of(stored)
    stage(f"Applying the topic model of {folder} to {len(posts):,} posts", 0.0)
    topic, counts = apply_topics(posts["text"], model, ws=ws, stage=stage)
    stage("Done", 1.0)
    return covering(replace(stored, representative={}), posts["post_id"].astype(str).to_numpy(), topic,
                    applied_metrics(counts, len(posts), folder))


def applied_metrics(counts: dict[str, int], posts: int, folder: str | None = None) -> dict[str, Any]:
    """The metrics of a run's posts assigned by `apply_topics` (`counts`: its counts, summed over partitions),
    on top of the model's own; `folder`: where the model came from (--topics-from)."""
    out: dict[str, Any] = {"n_posts": int(posts), "n_text": int(counts.get("with_text", 0)),
                           "outliers_after": counts.get("outliers", 0) / max(counts.get("with_text", 0), 1),
                           "assigned_by_words": int(counts.get("words", 0)),
                           "assigned_by_meaning": int(counts.get("meaning", 0))}
    if folder is not None:
        out.update(applied_from=str(Path(folder).resolve()), words_agreement=None, timings={})
    return out


__all__ = ["TopicModel", "applied_metrics", "applied_topics", "apply_topics", "covering", "model_of",
           "model_of_fit", "stored_model"]
