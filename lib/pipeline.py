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
    from lib.topics.fit import TopicSettings

    return TopicSettings(extra_stopwords=brand_stopwords(posts))


def default_audience_settings(posts: pd.DataFrame):  # type: ignore[no-untyped-def]
    """Authors when the data has enough repeat authors, else posts (as the Audience page proposes)."""
    from lib.audience.segments import AudienceSettings, author_coverage, default_unit

    return AudienceSettings(unit=default_unit(author_coverage(posts)))


def has_text(posts: pd.DataFrame) -> bool:
    return "text" in posts and not posts["text"].fillna("").str.strip().eq("").all()


def analyse(ws, ds_id: str, frame: pd.DataFrame, stage: Stage) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Find topics (posts with text) and then segments for a saved dataset, skipping what is already saved.
    `frame` is the dataset's enriched posts (listening columns). Returns what was done or why not, per
    analysis; a failure of one (too little data) does not stop the other."""
    from lib.audience.segments import find_segments
    from lib.topics import views as tv
    from lib.topics.fit import fit_topics

    done: dict[str, str] = {}
    if has_text(frame) and not ws.topics_stamp(ds_id):
        try:
            result = fit_topics(frame, default_topic_settings(frame), ws=ws,
                                stage=lambda m, f: stage(f"Topics: {m}", 0.7 * f))
            ws.save_topics(ds_id, result)
            done["topics"] = f"{result.metrics['n_topics']} topics"
        except ValueError as exc:
            done["topics"] = f"not found: {exc}"
    stamp = ws.topics_stamp(ds_id)
    if stamp and has_text(frame):
        doc_topic, table = tv.effective(ws.load_topics(ds_id), ws.topic_edits(ds_id))
        frame = tv.with_topics(frame, doc_topic, table)
    if not ws.audience_stamp(ds_id):
        try:
            result = find_segments(frame, default_audience_settings(frame),
                                   stage=lambda m, f: stage(f"Segments: {m}", 0.7 + 0.3 * f))
            ws.save_audience(ds_id, result)
            done["audience"] = f"{result.metrics['segments']} segments"
        except ValueError as exc:
            done["audience"] = f"not found: {exc}"
    stage("Done", 1.0)
    return done
