"""The analyses that start by themselves after an import: topics, then audience segments, with the same
defaults a user gets by pressing the pages' buttons, saved to the workspace like those. The app runs this in
a background thread so sentiment and KPIs are on screen while the heavy part computes.
"""
from __future__ import annotations

from collections.abc import Callable

import pandas as pd

Stage = Callable[[str, float], None]


def brand_stopwords(posts: pd.DataFrame) -> tuple[str, ...]:
    """Brand names are in every post about the brand, so they make poor keywords: ignore them by default."""
    if "brand" not in posts or posts["brand"].isna().all():
        return ()
    return tuple(sorted({str(b).lower() for b in posts["brand"].dropna().unique()})[:20])


def default_topic_settings(posts: pd.DataFrame):  # type: ignore[no-untyped-def]
    from lib.topics.result import TopicSettings

    return TopicSettings(extra_stopwords=brand_stopwords(posts))


def default_audience_settings(posts: pd.DataFrame):  # type: ignore[no-untyped-def]
    """Authors when the data has enough repeat authors, else posts (as the Audience page proposes)."""
    from lib.audience.features import author_coverage, default_unit
    from lib.audience.result import SegmentSettings

    return SegmentSettings(unit=default_unit(author_coverage(posts)))


def has_text(posts: pd.DataFrame) -> bool:
    return "text" in posts and not posts["text"].fillna("").str.strip().eq("").all()


def save_topics(ws, ds_id: str, result) -> None:  # type: ignore[no-untyped-def]
    """Save a topic result; fitted on MiniLM (every post embedded), it also marks the dataset's vectors ready."""
    from lib.embeddings.minilm import MODEL_ID

    ws.save_result(ds_id, result)
    if result.backend == MODEL_ID and not result.metrics.get("assigned_by_words"):
        ws.mark_sentence_vectors(ds_id)  # learning from labels may read every post's vector from the cache now


def analyse(ws, ds_id: str, frame: pd.DataFrame, stage: Stage) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Find topics (posts with text) and then segments for a saved dataset, skipping what is already saved.
    `frame` is the dataset's enriched posts (listening columns). Returns what was done or why not, per
    analysis; a failure of one (too little data) does not stop the other."""
    from lib.audience.segments import fit_segments
    from lib.topics import views as tv
    from lib.topics.fit import fit_topics
    from lib.topics.result import TopicResult

    done: dict[str, str] = {}
    if has_text(frame) and not ws.result_stamp(ds_id, "topics"):
        try:
            result = fit_topics(frame, default_topic_settings(frame), ws=ws,
                                stage=lambda m, f: stage(f"Topics: {m}", 0.7 * f))
            save_topics(ws, ds_id, result)
            done["topics"] = f"{result.metrics['n_topics']} topics"
        except ValueError as exc:
            done["topics"] = f"not found: {exc}"
    stamp = ws.result_stamp(ds_id, "topics")
    if stamp and has_text(frame):
        doc_topic, table = tv.effective(ws.load_result(ds_id, TopicResult), ws.topic_edits(ds_id))
        frame = tv.with_topics(frame, doc_topic, table)
    if not ws.result_stamp(ds_id, "segments"):
        try:
            result = fit_segments(frame, default_audience_settings(frame),
                                  stage=lambda m, f: stage(f"Segments: {m}", 0.7 + 0.3 * f))
            ws.save_result(ds_id, result)
            done["audience"] = f"{result.metrics['segments']} segments"
        except ValueError as exc:
            done["audience"] = f"not found: {exc}"
    stage("Done", 1.0)
    return done
