"""Enrichment for listening: one call adds sentiment (and, below, emotion, intent, sarcasm) to posts.

Per-text scores are cached in the workspace by text hash, so text that was scored before (in this or
any dataset) is never scored twice, and identical texts (retweets, copy-paste) are scored once.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from lib.listening import language
from lib.listening import sentiment as sent
from lib.listening.shares import keep_zero_shot
from lib.listening.tag_lists import is_tag_column, tag_counts, with_any
from lib.pipeline import THRESHOLDS  # the one default, defined in the pipeline
from lib.store.workspace import Workspace

SCORE_CHUNK = 100_000  # texts scored between two writes to the workspace cache
Progress = Callable[[int, int], None]
SCORE_COLUMNS = ["compound", "pos", "neu", "neg", "p_negative", "p_neutral", "p_positive"]


def model_versions() -> dict[str, str]:
    """The cache keys of the models whose readings a run folder stores (summary.json's `sentiment.models`): a
    run opened in the app hands its scores to the workspace's cache only under the versions that made them, so a
    run made before a model changed is read again by the new one, not shown as its reading."""
    from lib.listening import emotion_multilingual, multilingual

    return {"sentiment": sent.SCORES_VERSION, "multilingual": multilingual.MODEL_VERSION,
            "emotion_multilingual": emotion_multilingual.MODEL_VERSION}


@dataclass
class ScoresAhead:
    """`text_scores` begun before the caller's other work: the workspace cache looked up and VADER of the first
    chunk of texts it lacks running in a worker process (`sent.VaderAhead`) while `enrich` reads the posts' cues,
    language and emotion, which need no VADER. `close()` stops the worker if the scores are never taken."""
    hashes: pd.Series
    known: pd.DataFrame
    todo_rows: np.ndarray  # rows of the distinct texts the cache lacks
    total: int  # distinct texts
    vader: sent.VaderAhead | None = None

    @classmethod
    def start(cls, texts: pd.Series, ws: Workspace | None = None, ahead: bool = True) -> ScoresAhead:
        texts = texts.fillna("").astype(str)
        hashes = sent.text_hash(texts)
        known = ws.cached_scores(hashes, sent.SCORES_VERSION) if ws is not None else pd.DataFrame(columns=SCORE_COLUMNS)
        distinct = ~hashes.duplicated()
        todo_rows = np.flatnonzero((distinct & ~hashes.isin(known.index)).to_numpy())
        vader = sent.VaderAhead.start(texts.iloc[todo_rows[:SCORE_CHUNK]]) if ahead else None
        return cls(hashes, known, todo_rows, int(distinct.sum()), vader)

    def close(self) -> None:
        if self.vader is not None:
            self.vader.close()


def text_scores(texts: pd.Series, ws: Workspace | None = None, progress: Progress | None = None,
                cues: pd.DataFrame | None = None, ahead: ScoresAhead | None = None) -> pd.DataFrame:
    """VADER scores and public-model probabilities per text (index aligned with `texts`; so are `cues`,
    when the caller has them already). `ahead`: `ScoresAhead.start(texts, ws)`, begun earlier.

    New texts are scored in chunks, each stored in the workspace as soon as it is done, so an
    interrupted run over a million posts resumes where it stopped. `progress(done, total)` counts texts.
    """
    texts = texts.fillna("").astype(str)
    plan = ahead if ahead is not None else ScoresAhead.start(texts, ws, ahead=False)
    hashes, known, todo_rows = plan.hashes, plan.known, plan.todo_rows
    total, done = plan.total, plan.total - len(todo_rows)
    parts = [known] if len(known) else []
    for start in range(0, len(todo_rows), SCORE_CHUNK):
        rows = todo_rows[start:start + SCORE_CHUNK]
        todo = texts.iloc[rows]
        vader = plan.vader.result() if start == 0 and plan.vader is not None else sent.vader_scores(todo)
        proba = sent.public_model().proba(todo, vader, None if cues is None else cues.iloc[rows])
        fresh = pd.concat([vader, proba], axis=1).set_index(hashes.iloc[rows].to_numpy())
        if ws is not None:
            ws.put_scores(fresh, sent.SCORES_VERSION)
        parts.append(fresh)
        done += len(rows)
        if progress is not None:
            progress(done, total)
    if not len(todo_rows) and progress is not None:
        progress(done, total)
    table = pd.concat(parts) if len(parts) > 1 else (parts[0] if parts else known)
    return table.reindex(hashes.to_numpy()).set_index(texts.index)


@dataclass
class Sentiment:
    scores: pd.DataFrame  # sentiment columns, index aligned with the posts
    adaptation: sent.AdaptationResult | None


def prepare_label_vectors(posts: pd.DataFrame, ws: Workspace, ds_id: str, threads: int | None = 1) -> bool:
    """Embed a dataset's posts with MiniLM into the workspace's cache (each distinct text once; on one thread
    by default, a background pass) and record it, so that learning from the user's labels reads meaning too
    (+3 points of macro-F1 with 150 labels on Sentiment140). Topics use the faster WordLlama vectors, which
    do not help here (bench/eval_sentiment.py). Returns whether the vectors are ready."""
    from lib.embeddings.cache import embed
    from lib.embeddings.registry import BACKENDS

    if not BACKENDS["minilm"].available() or "text" not in posts:
        return False
    if not ws.sentence_vectors_ready(ds_id):
        embed(posts["text"], ws, "minilm", threads=threads)
        ws.mark_sentence_vectors(ds_id)
    return True


def label_vectors(texts: pd.Series, ws: Workspace | None, compute: bool,
                  progress: Progress | None = None) -> np.ndarray | None:
    """Sentence embeddings for learning from the user's labels, or None. `compute`: embed what is missing
    (about 300 posts/s on 2 cores; the command line with --labels); else use them only when every text is
    already in the workspace's cache (the app: its background job puts them there, `prepare_label_vectors`),
    so a label click never waits for an embedding pass."""
    from lib.embeddings.cache import embed, text_hashes
    from lib.embeddings.registry import BACKENDS

    minilm = BACKENDS["minilm"]
    if not minilm.available():
        return None
    if compute:
        return embed(texts, ws, "minilm", progress=progress).vectors
    if ws is None:
        return None
    uniq, inverse = np.unique(text_hashes(texts), return_inverse=True)
    vectors = np.zeros((len(uniq), minilm.dim), dtype=np.float32)
    if not ws.vectors_into(uniq, minilm.model_id, vectors).all():
        return None
    return vectors[inverse.ravel()]


def sentiment_for(posts: pd.DataFrame, ws: Workspace | None = None, thresholds: tuple[float, float] = THRESHOLDS,
                  labels: pd.Series | None = None, cues: pd.DataFrame | None = None,
                  progress: Progress | None = None, embed_labels: bool = False,
                  embed_progress: Progress | None = None, languages: pd.Series | None = None,
                  language_progress: Progress | None = None, emotions: Any = None,
                  ahead: ScoresAhead | None = None) -> Sentiment:
    """Sentiment columns for posts; with user labels (post_id -> label) the adapted model's, which also
    reads the posts' sentence embeddings when they are cached (or always, with `embed_labels`). With the
    posts' `languages`, non-English posts are read in their language (lib.listening.multilingual; the emotion
    head's probabilities of those posts go to `emotions`, a VectorCache, default the workspace). `ahead`: the
    scoring begun earlier (`ScoresAhead.start`)."""
    from lib.listening.multilingual import read_in_language

    texts = posts["text"].fillna("").astype(str)
    cached = text_scores(texts, ws, progress, cues, ahead)
    scores = sent.score(texts, thresholds, vader=cached[["compound", "pos", "neu", "neg"]],
                        proba=cached[["p_negative", "p_neutral", "p_positive"]], cues=cues)
    if languages is not None:
        scores = read_in_language(scores, texts, languages, ws, language_progress, emotions)
    scores = keep_zero_shot(scores)  # what share estimates calibrate with labels: never the adapted model's
    adaptation = None
    if labels is not None and len(labels):
        by_row = posts["post_id"].map(labels)
        # every post labelled: no other post to label, so no embedding pass (an hour per million on the command line)
        every = bool(sent.known_labels(by_row).all())
        vectors = None if every else label_vectors(texts, ws, embed_labels, embed_progress)
        adaptation = sent.fit_adaptation(texts, scores, by_row, vectors=vectors, cues=cues)
        scores = adaptation.scores
    return Sentiment(scores, adaptation)


@dataclass
class Listening:
    frame: pd.DataFrame  # posts with every listening column added
    adaptation: sent.AdaptationResult | None


# The Listening page's tabs, by name: the workshop opens the page on the tab a step is about.
TABS = ("Over time", "Spike alerts", "Aspects", "Emotion & intent", "Advocates & detractors", "Posts",
        "Teach the model")

LISTENING_COLUMNS = ["sentiment", "vader_label", "sentiment_label", "sentiment_confidence", "sentiment_source",
                     "complaint_cue", "emotion", "intent", "intent_confidence", "sarcasm_flag", "language"]


def enrich(posts: pd.DataFrame, ws: Workspace | None = None, thresholds: tuple[float, float] = THRESHOLDS,
           labels: pd.Series | None = None, stage: Callable[[str, float], None] | None = None,
           embed_labels: bool = False, languages: Callable[[], pd.Series] | None = None) -> Listening:
    """Posts plus sentiment (VADER and the product label), emotion (the GoEmotions model's label and
    probabilities, and the emotion words found), intent with confidence, and the possible-sarcasm flag.
    `stage(message, fraction)` reports progress (long inputs take minutes). `languages`: gives the posts'
    languages where the caller keeps them (the app caches them for Overview); else they are the posts' own or
    detected. Either way they are read while VADER runs in its worker process."""
    from lib.embeddings.cache import MemoryVectors
    from lib.listening.cues import cue_frame
    from lib.listening.emotion import emotion_words
    from lib.listening.emotion_model import emotion_model
    from lib.listening.given import is_review_export
    from lib.listening.intent import intent, sarcasm_flag

    stage = stage or (lambda msg, frac: None)
    texts = posts["text"].fillna("").astype(str)
    store = ws if ws is not None else MemoryVectors()  # where the emotion of other languages waits for its step
    ahead = ScoresAhead.start(texts, ws)  # VADER in a worker process while the signals below are read
    try:
        stage("Reading complaint, politeness and question cues", 0.0)
        cues = cue_frame(texts)  # computed once, shared by the complaint rule, intent and the sarcasm flag
        stage("Reading the posts' languages", 0.04)
        langs = languages() if languages is not None else language.given_or_detected(posts)
        stage("Emotion (the GoEmotions model)", 0.07)
        found = emotion_words(texts)
        emo = emotion_model().predict(texts, found.counts)  # emotion, emotion_<name> probabilities
        emo["emotion_words"] = found.words
        s = sentiment_for(posts, ws, thresholds, labels, cues,
                          progress=lambda d, n: stage(f"Sentiment: {d:,} of {n:,} distinct texts scored",
                                                      0.1 + 0.6 * d / max(n, 1)), embed_labels=embed_labels,
                          embed_progress=lambda d, n: stage(f"Embedding posts to learn from your labels: {d:,} of "
                                                            f"{n:,}", 0.7), languages=langs,
                          language_progress=lambda d, n: stage(f"Sentiment in other languages (multilingual model): "
                                                               f"{d:,} of {n:,} distinct posts", 0.7),
                          emotions=store, ahead=ahead)
    finally:
        ahead.close()
    stage("Intent and possible sarcasm", 0.75)
    intents = intent(texts, s.scores["sentiment_label"], cues, s.scores.get("p_negative"),
                     reviews=is_review_export(posts))
    frame = pd.concat([_apart(posts, [s.scores, emo, intents]), s.scores, emo, intents], axis=1)
    frame["sarcasm_flag"] = sarcasm_flag(texts, s.scores["sentiment"], cues)
    frame["language"] = langs
    other = language.other_language(langs)
    frame = english_only(frame, other)
    if other.any():
        frame = emotion_read_in_language(frame, texts, langs, store,
                                         lambda d, n: stage(f"Emotion in other languages (multilingual model): "
                                                            f"{d:,} of {n:,} posts not read yet", 0.9))
    return Listening(frame, s.adaptation)


def emotion_read_in_language(frame: pd.DataFrame, texts: pd.Series, langs: pd.Series, store: Any,
                             progress: Progress | None = None) -> pd.DataFrame:
    """`frame` with the emotion of each post in a language the multilingual model reads, from the multilingual
    emotion head (lib.listening.emotion_multilingual; the sentiment pass has cached its probabilities). Intent
    and the emotion words stay English-only ("n/a", none)."""
    from lib.listening.multilingual import emotion_in_language

    read = emotion_in_language(texts, langs, store, progress)
    if len(read):
        probs = list(read.columns[1:])
        frame.loc[read.index, "emotion"] = read["emotion"]
        frame.loc[read.index, probs] = read[probs].to_numpy(dtype=float)
    return frame


def _apart(posts: pd.DataFrame, made: list[pd.DataFrame]) -> pd.DataFrame:
    """The posts with any column these readings write renamed `src_<name>` (dropped if that is taken too): a
    dataset saved before the import did so (a Talkwalker file's own `sentiment`) would otherwise give the frame
    two columns of one name, and the share estimate stopped on it."""
    names = {c for m in made for c in m.columns}
    clash = [c for c in posts.columns if c in names]
    if not clash:
        return posts
    keep = {c: f"src_{c}" for c in clash if f"src_{c}" not in posts.columns}
    return posts.drop(columns=[c for c in clash if c not in keep]).rename(columns=keep)


def english_only(frame: pd.DataFrame, other: np.ndarray) -> pd.DataFrame:
    """`frame` with the English-only readings of posts in other languages (`other`) taken back: no emotion and no
    intent ("n/a"), no emotion probabilities, words or confidence, no sarcasm flag. An English word list or rule
    run over German or Japanese finds next to nothing and would call nearly every such post neutral and "other",
    a verdict nobody read (DESIGN: a post never gets one from a lexicon of another language). The emotion of a
    post in a language the multilingual model reads is then given back by its head (`emotion_read_in_language`)."""
    from lib.listening.emotion import NOT_READ

    if not other.any():
        return frame
    rows = frame.index[other]
    frame.loc[rows, ["emotion", "intent"]] = NOT_READ
    frame.loc[rows, [c for c in frame.columns if c.startswith("emotion_") and c != "emotion_words"]] = np.nan
    frame.loc[rows, "intent_confidence"] = np.nan
    frame.loc[rows, "emotion_words"] = ""
    frame.loc[rows, "sarcasm_flag"] = False
    return frame


def filter_posts(frame: pd.DataFrame, start: pd.Timestamp | None = None, end: pd.Timestamp | None = None,
                 brands: list[str] | None = None, platforms: list[str] | None = None,
                 sentiments: list[str] | None = None, emotions: list[str] | None = None,
                 intents: list[str] | None = None, search: str = "",
                 languages: list[str] | None = None, leave_out: pd.Series | None = None,
                 own: dict[str, list[str]] | None = None) -> pd.DataFrame:
    """The posts that pass every filter given (an empty list or None means no filter). `leave_out`: a mask aligned
    with `frame` of posts to leave out (the Listening page's "leave out likely spam": the authenticity flags).
    `own`: values to keep per column of the user's file (`filter_columns`), compared as text."""
    keep = pd.Series(True, index=frame.index)
    if leave_out is not None:
        keep &= ~leave_out.reindex(frame.index, fill_value=False).astype(bool)
    if start is not None and "created_at" in frame:
        keep &= frame["created_at"] >= start
    if end is not None and "created_at" in frame:
        keep &= frame["created_at"] < end
    for col, values in (("brand", brands), ("platform", platforms), ("sentiment_label", sentiments),
                        ("emotion", emotions), ("intent", intents), ("language", languages)):
        if values and col in frame:
            keep &= frame[col].isin(values)
    for col, values in (own or {}).items():
        if values and col in frame:  # a post of a tag column passes with any one of the tags chosen
            keep &= with_any(frame[col], values) if is_tag_column(frame[col]) else \
                frame[col].astype("string").isin(values).fillna(False)
    if search.strip():
        keep &= frame["text"].fillna("").str.contains(search.strip(), case=False, regex=False)
    return frame[keep]


FILTER_VALUES = 100  # a column of the user's file with more distinct values than this is no category to filter by


_LINK = re.compile(r"(?i)^(?:[a-z]+://|www\.|[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}/)\S*$")  # https://…, www.…, bit.ly/…


def _link(value: str) -> bool:
    """A link (a profile page, a shared URL): no category, however often it repeats."""
    return bool(_LINK.match(value.strip()))


def filter_columns(frame: pd.DataFrame, limit: int = 3) -> dict[str, list[str]]:
    """Columns of the user's file that feed no field and hold a few categories (a support inbox's "Category", a
    campaign, a tool's own sentiment), with their values by frequency: what the Listening page offers to filter by.
    Columns of tags come first (a JSON export's list of topics: one column that holds what 19 columns of 0 and 1
    beside it say), with their `FILTER_VALUES` commonest tags."""
    from lib.ingest.formats import norm
    from lib.ingest.privacy import identifies_a_person
    from lib.ingest.schema import own_columns, source_name

    out: dict[str, list[str]] = {}
    # who wrote a post is no category (a TikTok scraper's authorMeta.id repeats per creator: the Author field)
    columns = [c for c in own_columns(frame.columns) if not identifies_a_person(norm(source_name(c)))]
    tagged = [c for c in columns if is_tag_column(frame[c])]
    for col in tagged:
        tags = tag_counts(frame[col])
        if len(tags) >= 2 and tags.iloc[0] > 1 and not _link(str(tags.index[0])):
            out[col] = [str(t) for t in tags.index[:FILTER_VALUES]]
        if len(out) == limit:
            return out
    for col in (c for c in columns if c not in tagged):
        if frame[col].head(5_000).nunique() > FILTER_VALUES:  # links, ids, free text: no full count (page reruns)
            continue
        counts = frame[col].astype("string").value_counts()
        if 2 <= len(counts) <= FILTER_VALUES and counts.iloc[0] > 1 and not _link(str(counts.index[0])):
            # categories repeat; ids and free text do not; a link (an author's profile page) is no category
            out[col] = [str(v) for v in counts.index]
        if len(out) == limit:
            break
    return out


def warm_up() -> None:
    """Import scikit-learn, load the sentiment model and VADER, and enrich two posts, so that the first
    dataset's sentiment does not pay ~2 s of imports (the app does this in the background at start)."""
    enrich(pd.DataFrame({"post_id": ["a", "b"], "text": ["Thanks for the 3 hour delay!", "Love it"]}))
