"""The canonical posts table: one schema that every step of Listening Lab reads and writes.

Import maps any export onto these names; unknown source columns are kept beside them unchanged.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

PLATFORMS: tuple[str, ...] = (
    "facebook", "instagram", "x", "tiktok", "linkedin", "youtube", "reddit", "other",
)
PLATFORM_NAMES: dict[str, str] = {"facebook": "Facebook", "instagram": "Instagram", "x": "X", "tiktok": "TikTok",
                                  "linkedin": "LinkedIn", "youtube": "YouTube", "reddit": "Reddit"}
"""How a platform is written in a sentence ("posts on YouTube")."""

COUNT_COLUMNS: tuple[str, ...] = (
    "likes", "comments", "shares", "views", "impressions", "reach", "clicks", "saves", "engagements",
)
ENGAGEMENT_SPLIT: tuple[str, ...] = ("likes", "comments", "shares", "saves")
"""The interactions an export may give apart; `engagements` is their total where it gives only that."""
_COUNT_HELP = {"engagements": "Total interactions per post, where the export gives only a total (Meltwater, "
                              "Talkwalker). Left out when likes, comments, shares or saves are mapped, so that "
                              "nothing counts twice."}


@dataclass(frozen=True)
class Field:
    name: str
    kind: str  # "string" | "timestamp" | "category" | "count"
    label: str
    help: str


FIELDS: tuple[Field, ...] = (
    Field("post_id", "string", "Post ID", "Unique id of the post; generated from content if absent."),
    Field("text", "string", "Text", "The words of the post or comment. Needed for sentiment and topics."),
    Field("created_at", "timestamp", "Date/time", "When it was posted; any common format, stored as UTC."),
    Field("author", "string", "Author", "Handle or name of who posted it."),
    Field("platform", "category", "Platform", "facebook, instagram, x, tiktok, linkedin, youtube, reddit, other."),
    Field("brand", "category", "Brand / query", "The brand, competitor or search query the post is about."),
    Field("parent_id", "string", "Reply to", "For comments: the id of the post they answer."),
    *(Field(c, "count", c.capitalize(), _COUNT_HELP.get(c, f"Number of {c}; '1.2K' and '3,400' are understood."))
      for c in COUNT_COLUMNS),
    Field("followers", "count", "Followers", "The author's audience size, if known."),
    Field("post_type", "category", "Post type", "text, image, video, link, story, reel, ..."),
)

FIELD_BY_NAME: dict[str, Field] = {f.name: f for f in FIELDS}
CANONICAL: tuple[str, ...] = tuple(f.name for f in FIELDS)
# Columns import adds itself (never mapped from a source column).
DERIVED: tuple[str, ...] = ("source_file", "source_row", "text_raw", "utc_offset",
                             "by_brand", "brand_answer_minutes")  # in a file with a brand's own replies (own_posts)
# Columns the analysis writes beside the posts' own: a source column of the same name (Talkwalker's `sentiment`,
# a listening tool's `topic`) travels as `src_<name>`, or the analysis would hold two columns of one name.
ANALYSIS_COLUMNS: tuple[str, ...] = (
    "sentiment", "vader_label", "sentiment_label", "sentiment_confidence", "sentiment_source", "complaint_cue",
    "emotion", "emotion_words", "intent", "intent_confidence", "sarcasm_flag", "topic", "topic_label",
    "engagement", "engagement_rate", "value_score", "vanity_score", "value_rank", "vanity_rank", "rank_change",
    "bot_likeness", "segment", "persona", "nearest_segment")
ANALYSIS_PREFIXES: tuple[str, ...] = ("emotion_", "vader_", "p_")


def taken_name(column: str) -> bool:
    """Is this name one the posts table or its analysis writes (so a source column of that name is renamed)?"""
    return column in CANONICAL or column in DERIVED or column in ANALYSIS_COLUMNS \
        or column.startswith(ANALYSIS_PREFIXES)


def source_name(column: str) -> str:
    """A posts-table column's name in the user's file: `src_<name>` was <name> there when import renamed it
    (`taken_name`); every other column keeps its file's name."""
    name = column.removeprefix("src_")
    return name if name != column and taken_name(name) else column


def own_columns(columns: Iterable[str]) -> list[str]:
    """The columns of the user's file that feed no field ("Category", "Campaign", a tool's own "Sentiment" as
    `src_sentiment`): kept as they are, and shown beside the posts so the user sees them kept."""
    return [c for c in columns if c.startswith("src_") or not (taken_name(c) or c == "language")]


def utc_timestamps(values: pd.Series) -> pd.Series:
    """Timestamps as UTC, NaT where unreadable. Text is read as ISO 8601 value by value: pandas otherwise takes the
    first value's format for the whole column, and an analyze run's posts.csv of real YouTube comments, whose
    times have milliseconds on some comments and not on others, lost 1,254 of 1,956 dates on opening."""
    if pd.api.types.is_datetime64_any_dtype(values):
        return pd.to_datetime(values, utc=True)
    out = pd.to_datetime(values, utc=True, errors="coerce", format="ISO8601")
    rest = out.isna() & values.notna()
    if rest.any():  # anything else pandas can read (a time written by hand, an older run)
        out[rest] = pd.to_datetime(values[rest], utc=True, errors="coerce", format="mixed")
    return out


def clock_hours(ts: pd.Series) -> pd.Series:
    """Each post's time of day in hours, to the minute (14.5 = 14:30 UTC), NaN where it is not known: no date, or
    a time of exactly 00:00:00, which is how a date without a time is stored. A file of dates only ("2024-03-01") made
    every author "usually posts around 00:00" and named segments "nights"; a post really written at midnight to
    the second loses only its hour."""
    hours = ts.dt.hour + ts.dt.minute / 60  # to the minute, as the usual hour was always read
    return hours.where(hours + ts.dt.second + ts.dt.microsecond > 0)


def dated_by(days: pd.DatetimeIndex) -> str:
    """How finely distinct posting days are dated: "month" where every one is a 1st (a review site's "2016-1"
    stores each post there), "year" where every one is 1 January, else "day" (fewer than two days: "day")."""
    if len(days) < 2 or not (days.day == 1).all():
        return "day"
    return "year" if (days.month == 1).all() else "month"


def coerce_types(df: pd.DataFrame) -> pd.DataFrame:
    """Give canonical columns their canonical dtypes (nullable ints, UTC timestamps, strings)."""
    out = df.copy()
    for f in FIELDS:
        if f.name not in out:
            continue
        if f.kind == "count":
            out[f.name] = pd.to_numeric(out[f.name], errors="coerce").round().astype("Int64")
        elif f.kind == "timestamp":
            out[f.name] = utc_timestamps(out[f.name])
        else:
            out[f.name] = out[f.name].astype("string")
    return out


def analyses_available(df: pd.DataFrame) -> dict[str, str | None]:
    """Which analyses this table supports; None means yes, else the plain reason why not."""
    has = {c: c in df and df[c].notna().any() for c in CANONICAL}
    has_counts = any(has[c] for c in COUNT_COLUMNS)
    return {
        "sentiment": None if has["text"] else "needs a text column",
        "topics": None if has["text"] else "needs a text column",
        "volume over time": None if has["created_at"] else "needs a date column",
        # without authors the Audience page segments the posts themselves (lib.audience.features.default_unit), by
        # what they say, how they did or when they were posted (a brand's Facebook insights: no author, no text,
        # three segments of posts)
        "audience segments": None if has["author"] or has["text"] or has_counts or has["created_at"]
        else "needs an author column, post text, engagement counts or dates",
        "KPIs": None if has_counts else "needs engagement counts (likes, comments, shares, ...)",
        "share of voice": None if has["brand"] else "needs a brand / query column",
    }
