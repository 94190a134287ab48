"""Columns of the user's file that hold several tags per post: a JSON export's list of topics (TweetTopic-XL's
`["Arts & Culture", "News & Social Concern"]`), a scraper's hashtags (`[{"name": "fyp"}, ...]`), a listening tool's
"Hashtags" or "Keywords" written as text ("#fyp, #viral"). Read as text, each combination of tags was a category of
its own; read as tags, a post counts under each of its tags."""
from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pandas as pd

# the key that names a tag given as an object: {"name": "fyp"} (a TikTok scraper's), {"hashtag": "bird"} (another's),
# {"tag": "..."} (X's API)
TAG_KEYS = ("name", "tag", "hashtag", "label", "title")
SHAPE_SHARE = 0.9  # the share of a column's filled values that must be lists of tags for it to be read so
SAMPLE = 500       # the filled values looked at to decide it


def _tag(item: Any) -> str | None:
    if isinstance(item, dict):
        item = next((item[k] for k in TAG_KEYS if isinstance(item.get(k), str | int | float)), None)
    if isinstance(item, bool) or not isinstance(item, str | int | float):
        return None
    return str(item).strip()


def tags_of(value: object) -> tuple[str, ...] | None:
    """A cell's distinct tags, in order; None where the cell is not a JSON list of tags (as the import writes a
    JSON export's lists). An empty list has no tags."""
    if not isinstance(value, str) or not value.startswith("["):
        return None
    try:
        items = json.loads(value)
    except ValueError:
        return None
    if not isinstance(items, list):
        return None
    tags = [_tag(i) for i in items]
    if any(t is None for t in tags):
        return None
    return tuple(dict.fromkeys(t for t in tags if t))


SPLIT_SHARE = 0.1  # ... or, where the column's name says tags, the share of them that write a separator
SEPARATORS = ("|", ";", ",")
# the name of a column of several tags per post: Meltwater's "Hashtags", "Keywords", "Document Tags", "Custom
# Categories", "Key Phrases"; plural only ("Category" holds one, which may be "Food, Drinks")
_TAGS_NAME = re.compile(r"(?:^|\s)(?:hash ?tags|tags|labels|key ?words|key ?phrases|categories|topics|themes)$")


def _says_tags(name: object) -> bool:
    from lib.ingest.schema import source_name

    words = re.sub(r"([a-z])([A-Z])", r"\1 \2", source_name(str(name)))
    return bool(_TAGS_NAME.search(re.sub(r"[^a-z]+", " ", words.lower()).strip()))


@dataclass(frozen=True)
class Reading:
    """How a column's cells hold their tags: JSON lists (`sep` None), or text split at `sep` ("" for hashtags
    written one after the other, "#fyp #viral"), each tag without its leading "#"."""

    sep: str | None = None

    def tags(self, value: object) -> tuple[str, ...] | None:
        if self.sep is None:
            return tags_of(value.strip() if isinstance(value, str) else value)
        if not isinstance(value, str):
            return None
        parts = value.split() if self.sep == "" else value.split(self.sep)
        return tuple(dict.fromkeys(t for t in (p.strip().lstrip("#").strip() for p in parts) if t))


def reading_of(values: pd.Series) -> Reading | None:
    """How the column holds several tags per post, or None where it does not: JSON lists (at least `SHAPE_SHARE`
    of a sample of its filled cells, as the import writes a JSON export's lists), or, in a column whose name says
    tags, text with a separator in at least `SPLIT_SHARE` of them (a listening tool's "Hashtags": "#fyp, #viral")."""
    filled = values.dropna()
    if filled.empty or not (str(filled.iloc[0]).lstrip().startswith("[") or _says_tags(values.name)):
        return None  # at once for most columns: every table's render asks of each of the file's own columns
    head = filled.head(SAMPLE).astype(str).str.strip()
    head = head[head != ""]
    if not len(head):
        return None
    if head.iloc[0].startswith("["):
        return Reading() if sum(tags_of(v) is not None for v in head) >= SHAPE_SHARE * len(head) else None
    if not _says_tags(values.name):
        return None
    for sep in SEPARATORS:
        if head.str.contains(sep, regex=False).mean() >= SPLIT_SHARE:
            return Reading(sep)
    words = head.str.split()
    several = words[words.str.len() > 1]
    if len(several) >= SPLIT_SHARE * len(head) and several.map(lambda w: all(t.startswith("#") for t in w)).mean() \
            >= SHAPE_SHARE:
        return Reading("")
    return None


def is_tag_column(values: pd.Series) -> bool:
    """Whether the column holds several tags per post (`reading_of`)."""
    return reading_of(values) is not None


def _per_cell(values: pd.Series, reading: Reading) -> dict[str, tuple[str, ...]]:
    """Each distinct cell's tags (cells repeat: 800 real tweets held 120 distinct lists of topics)."""
    return {v: reading.tags(v) or () for v in values.dropna().astype(str).unique()}


def _spellings(values: pd.Series, cells: dict[str, tuple[str, ...]]) -> tuple[dict[str, int], dict[str, str]]:
    """Posts per tag, tags that differ only in case being one (#Dogs and #dogs are one hashtag on every platform),
    and each tag's spelling as most of its posts write it; both keyed by the casefolded tag. `cells`: each
    distinct cell's tags (`_per_cell`)."""
    counts: dict[str, int] = {}
    written: dict[str, dict[str, int]] = {}
    for cell, n in values.dropna().astype(str).value_counts().items():
        tags = cells.get(str(cell), ())
        for key in dict.fromkeys(t.casefold() for t in tags):
            counts[key] = counts.get(key, 0) + int(n)
        for tag in tags:
            ways = written.setdefault(tag.casefold(), {})
            ways[tag] = ways.get(tag, 0) + int(n)
    return counts, {k: max(ways, key=ways.__getitem__) for k, ways in written.items()}


def tag_counts(values: pd.Series) -> pd.Series:
    """Posts per tag of a tag column (`is_tag_column`), largest first: a post with two tags counts under both;
    "Dogs" and "dogs" are one tag, named as most posts write it."""
    counts, spelling = _spellings(values, _per_cell(values, reading_of(values) or Reading()))
    return pd.Series({spelling[k]: n for k, n in counts.items()}, dtype="int64") \
        .sort_values(ascending=False, kind="stable")


def with_any(values: pd.Series, chosen: Iterable[str]) -> pd.Series:
    """Which posts of a tag column have at least one of the chosen tags. Only the cells that write one of them
    are parsed (as a JSON string, in a column of JSON lists): 0.3 s for 100,000 distinct lists of hashtags, where
    parsing each took 1.5 s (`bench/tag_columns.py`)."""
    wanted = {t.casefold() for t in chosen}
    if not wanted:
        return pd.Series(False, index=values.index)
    reading = reading_of(values) or Reading()
    text = values.astype("string")
    if reading.sep is None:
        written = "|".join(r'"\s*' + re.escape(json.dumps(t, ensure_ascii=False)[1:-1]) + r'\s*"' for t in wanted)
    else:
        written = "|".join(re.escape(t) for t in wanted)
    maybe = text.str.contains(written, regex=True, case=False).fillna(False).astype(bool)
    hits = {cell: not wanted.isdisjoint(t.casefold() for t in tags)
            for cell, tags in _per_cell(text[maybe], reading).items()}
    return text.map(hits).eq(True) & maybe


def per_tag(values: pd.Series) -> pd.Series:
    """One row per post and tag of a tag column (the post's index repeated), for breakdowns that count a post
    under each of its tags (as `tag_counts` names them)."""
    cells = _per_cell(values, reading_of(values) or Reading())
    spelling = _spellings(values, cells)[1]
    tags = {cell: tuple(dict.fromkeys(spelling[t.casefold()] for t in found)) for cell, found in cells.items()}
    return values.astype("string").map(lambda v: tags.get(v, ()) if pd.notna(v) else ()).explode().dropna() \
        .astype(str)


def as_lists(values: pd.Series, like: pd.Series | None = None) -> pd.Series:
    """A tag column's cells as lists of their tags, for a table to show as tags (its file's text kept as it is);
    read as `like` holds its tags (the whole column, where `values` are a table's first rows)."""
    reading = reading_of(like if like is not None else values) or Reading()
    return values.map(lambda v: list(reading.tags(str(v)) or ()) if pd.notna(v) else [])


def category_values(values: pd.Series) -> pd.Series:
    """A category column of the user's file as breakdowns count it: its values as text, or one row per post and
    tag for a tag column (`per_tag`)."""
    return per_tag(values) if is_tag_column(values) else values.astype("string")


__all__ = ["Reading", "as_lists", "category_values", "is_tag_column", "per_tag", "reading_of", "tag_counts", "tags_of",
           "with_any"]
