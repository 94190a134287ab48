"""What an audience fit writes in a run's folder, for both engines (`analyze --engine local|dask`):
DIR/authors.csv, DIR/segments.csv and summary.json's `audience` block. The columns are part of the command
line's contract: extend, never rename."""
from __future__ import annotations

from pathlib import Path
from typing import Any

AUTHOR_COLUMNS = ["author", "segment", "persona", "nearest_segment", "probability", "x", "y", "posts", "active_days",
                  "days_since_last", "usual_hour", "engagement_per_post", "engagement_rate", "followers",
                  "mean_sentiment", "negative_share", "positive_share"]


def audience_doc(result: Any, coverage_note: str, out: Path) -> dict:
    """DIR/authors.csv and DIR/segments.csv of a fitted `SegmentResult`, and summary.json's `audience` block
    (both engines)."""
    from lib.report.export import write_csv

    names = dict(zip(result.personas["segment"], result.personas["name"]))
    authors = result.authors.assign(persona=result.authors["segment"].map(names))
    if "active_days" in authors and "usual_hour" not in authors:  # dated by day only: no hour, the column stays
        authors["usual_hour"] = float("nan")
    write_csv(authors[[c for c in AUTHOR_COLUMNS if c in authors]], out / "authors.csv")
    write_csv(result.personas, out / "segments.csv")
    m = result.metrics
    return {
        "unit": result.settings.unit, "coverage_note": coverage_note, "segments": m["segments"],
        "noise_share": m["noise_share"], "silhouette": m.get("silhouette"), "stability_ari": m.get("stability_ari"),
        "kmeans_agreement_ari": m.get("kmeans_agreement_ari"), "groups_used": m["groups_used"],
        "personas": result.personas[["segment", "name", "description", "authors", "share"]].to_dict("records"),
        "seconds": m["timings"]}


__all__ = ["AUTHOR_COLUMNS", "audience_doc"]
