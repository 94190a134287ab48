"""Enrichment for listening: one call adds sentiment (and, below, emotion, intent, sarcasm) to posts.

Per-text scores are cached in the workspace by text hash, so text that was scored before (in this or
any dataset) is never scored twice, and identical texts (retweets, copy-paste) are scored once.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from lib import sentiment as sent
from lib.store import Workspace

SCORE_COLUMNS = ["compound", "pos", "neu", "neg", "p_negative", "p_neutral", "p_positive"]


def text_scores(texts: pd.Series, ws: Workspace | None = None) -> pd.DataFrame:
    """VADER scores and public-model probabilities per text (index aligned with `texts`)."""
    texts = texts.fillna("").astype(str)
    hashes = sent.text_hash(texts)
    known = ws.cached_scores(hashes, sent.MODEL_VERSION) if ws is not None else pd.DataFrame(columns=SCORE_COLUMNS)
    missing = ~hashes.isin(known.index)
    if missing.any():
        first = ~hashes.duplicated() & missing
        todo = texts[first]
        vader = sent.vader_scores(todo)
        proba = sent.public_model().proba(todo, vader)
        fresh = pd.concat([vader, proba], axis=1).set_index(hashes[first].to_numpy())
        if ws is not None:
            ws.put_scores(fresh, sent.MODEL_VERSION)
        known = pd.concat([known, fresh]) if len(known) else fresh
    return known.reindex(hashes.to_numpy()).set_index(texts.index)


@dataclass
class Sentiment:
    scores: pd.DataFrame  # sentiment columns, index aligned with the posts
    adaptation: sent.Adaptation | None


def sentiment_for(posts: pd.DataFrame, ws: Workspace | None = None, thresholds: tuple[float, float] = (0.05, -0.05),
                  labels: pd.Series | None = None, cues: pd.DataFrame | None = None) -> Sentiment:
    """Sentiment columns for posts; with user labels (post_id -> label) the adapted model's."""
    texts = posts["text"].fillna("").astype(str)
    cached = text_scores(texts, ws)
    scores = sent.score(texts, thresholds, vader=cached[["compound", "pos", "neu", "neg"]],
                        proba=cached[["p_negative", "p_neutral", "p_positive"]], cues=cues)
    adaptation = None
    if labels is not None and len(labels):
        by_row = posts["post_id"].map(labels)
        adaptation = sent.adapt(texts, scores, by_row)
        scores = adaptation.scores
    return Sentiment(scores, adaptation)


@dataclass
class Listening:
    frame: pd.DataFrame  # posts with every listening column added
    adaptation: sent.Adaptation | None


LISTENING_COLUMNS = ["sentiment", "vader_label", "sentiment_label", "sentiment_confidence", "sentiment_source",
                     "complaint_cue", "emotion", "intent", "intent_confidence", "sarcasm_flag"]


def enrich(posts: pd.DataFrame, ws: Workspace | None = None, thresholds: tuple[float, float] = (0.05, -0.05),
           labels: pd.Series | None = None) -> Listening:
    """Posts plus sentiment (VADER and the product label), emotion (dominant and per-emotion word
    counts), intent with confidence, and the possible-sarcasm flag."""
    from lib.emotion import dominant_emotion, emotion_scores
    from lib.intent import intent, sarcasm_flag

    from lib.cues import cue_frame

    texts = posts["text"].fillna("").astype(str)
    cues = cue_frame(texts)  # computed once, shared by the complaint rule, intent and the sarcasm flag
    s = sentiment_for(posts, ws, thresholds, labels, cues)
    emo = emotion_scores(texts)
    extra = pd.DataFrame(index=posts.index)
    extra["emotion"] = dominant_emotion(emo, s.scores["sentiment_label"])
    intents = intent(texts, s.scores["sentiment_label"], cues)
    frame = pd.concat([posts, s.scores, extra, intents, emo.add_prefix("emotion_")], axis=1)
    frame["sarcasm_flag"] = sarcasm_flag(texts, s.scores["sentiment"], cues)
    return Listening(frame, s.adaptation)


def filter_posts(frame: pd.DataFrame, start: pd.Timestamp | None = None, end: pd.Timestamp | None = None,
                 brands: list[str] | None = None, platforms: list[str] | None = None,
                 sentiments: list[str] | None = None, emotions: list[str] | None = None,
                 intents: list[str] | None = None, search: str = "") -> pd.DataFrame:
    """The posts that pass every filter given (an empty list or None means no filter)."""
    keep = pd.Series(True, index=frame.index)
    if start is not None and "created_at" in frame:
        keep &= frame["created_at"] >= start
    if end is not None and "created_at" in frame:
        keep &= frame["created_at"] < end
    for col, values in (("brand", brands), ("platform", platforms), ("sentiment_label", sentiments),
                        ("emotion", emotions), ("intent", intents)):
        if values and col in frame:
            keep &= frame[col].isin(values)
    if search.strip():
        keep &= frame["text"].fillna("").str.contains(search.strip(), case=False, regex=False)
    return frame[keep]
