"""One source's mapped columns made canonical: text cleaned (and cut when it is a book), dates parsed to UTC,
counts parsed, platform and post type normalised. Every change the user should know about comes back as a
warning sentence; the original text stays in `text_raw`."""
from __future__ import annotations

import re

import pandas as pd

from lib.ingest.mapping import Mapping, headerless
from lib.ingest.parsing import (
    clean_text,
    normalize_platform,
    normalize_post_type,
    parse_counts,
    parse_datetimes,
    takeout_text,
)
from lib.ingest.schema import ENGAGEMENT_SPLIT, FIELD_BY_NAME

MAX_TEXT_CHARS = 50_000  # longer texts are cut for analysis (the original stays in text_raw); see README, limits

Columns = dict[str, object]  # canonical column name -> values, in the order they join the posts table


def mapping_str(v: str | list[str]) -> str:
    """A mapping target as the user wrote it: one column, or columns joined with '+'."""
    return "+".join(v) if isinstance(v, list) else v


def mapped_fields(raw: pd.DataFrame, mapping: Mapping, dayfirst: bool | None,
                  warnings: list[str]) -> tuple[pd.DataFrame, set[str]]:
    """The canonical columns read from `raw` through `mapping`, and the source columns that mapping used."""
    out = pd.DataFrame(index=raw.index)
    used: set[str] = set()
    split = [f for f in ENGAGEMENT_SPLIT if f in mapping]
    if "engagements" in mapping and split:
        warnings.append(f"'{mapping_str(mapping['engagements'])}' (total engagements) was left out: "
                        f"{', '.join(split)} {'are' if len(split) > 1 else 'is'} mapped too, and the total would "
                        "count them twice")
        mapping = {k: v for k, v in mapping.items() if k != "engagements"}
    if mapping and headerless(raw):
        warnings.append("Columns used, with no header to name them: " + ", ".join(
            f"{FIELD_BY_NAME[f].label.lower()} = {mapping_str(c)}" for f, c in mapping.items())
            + " (change them in the column check, or with --map field=column_N)")
    for fld, spec in mapping.items():
        used.update([spec] if isinstance(spec, str) else spec)
        if fld == "text" and not isinstance(spec, str) and len(spec) > 1:
            warnings.append(f"Text joined from {' + '.join(repr(c) for c in spec)} (a blank line between, empty "
                            "parts left out). To use one column only, keep just that one in the Text field of the "
                            f"column check, or import with --map text={spec[-1]}")
        if FIELD_BY_NAME[fld].kind == "count" and not isinstance(spec, str):
            out[fld] = _summed_counts(fld, raw, spec, warnings)
            if len(spec) > 1:
                warnings.append(f"{FIELD_BY_NAME[fld].label} added up from {' + '.join(repr(c) for c in spec)} (a "
                                "column per platform or kind of post, each post's figure in one of them)")
            continue
        if FIELD_BY_NAME[fld].kind == "timestamp" and not isinstance(spec, str) and len(spec) > 1:
            col = _date_and_time(raw, spec)
            warnings.append(f"Date and time joined from {' + '.join(repr(c) for c in spec)} (the export writes "
                            "them apart)")
        elif fld == "text" and not isinstance(spec, str) and len(spec) > 1:
            col = _column(_without_placeholders(raw, spec, warnings), spec)
        else:
            col = _column(raw, spec)
        for name, values in _field_columns(fld, spec, col, dayfirst, warnings).items():
            out[name] = values
    return out, used


def _date_and_time(raw: pd.DataFrame, spec: list[str]) -> pd.Series:
    """A date column and its time of day ("2024-03-01" + "09:15", or a whole hour, "9") as one value per post; a
    post without a time keeps its date."""
    date = raw[spec[0]].astype("string").str.strip()
    day = date.str.replace(r"[T ]00:00(?::00(?:\.0+)?)?$", "", regex=True)  # a spreadsheet's date cell: midnight
    for c in spec[1:]:
        clock = raw[c].astype("string").str.strip()
        clock = clock.where(~clock.str.fullmatch(r"\d{1,2}").fillna(False), clock + ":00")  # an hour: "9" -> 9:00
        date = (day + " " + clock).where(clock.fillna("").ne(""), date)
    return date.replace("", pd.NA)


def _summed_counts(fld: str, raw: pd.DataFrame, spec: list[str], warnings: list[str]) -> pd.Series:
    """A count read from several columns, each as one column is read, added up (empty where all are): a listening
    tool's export keeps each platform's likes in a column of its own ("Twitter Likes", "Facebook Likes"), filled
    for that platform's posts."""
    parts = [_field_columns(fld, c, _column(raw, c), None, warnings)[fld] for c in spec]
    return pd.concat(parts, axis=1).sum(axis=1, min_count=1).astype("Int64")


PLACEHOLDER_SHARE = 0.2  # a short title on this share of the rows (and 10+ rows) beside a body is the row's kind


def _without_placeholders(raw: pd.DataFrame, spec: list[str], warnings: list[str]) -> pd.DataFrame:
    """`raw` with the placeholder titles of a joined text left out where another part has words: the Kaggle
    r/wallstreetbets export titles 979 of its 1,892 rows "Comment", and every such post began "Comment ...", a
    topic of its own ("comment · comment good") and the report's quotes. A placeholder is a short value (three
    words at most) on PLACEHOLDER_SHARE of the rows with words in them (a review title such as "Great product" on a
    few rows stays words); the raw copy keeps it."""
    out = raw
    for c in spec[:-1]:
        values = raw[c].astype("string").str.strip()
        rest = pd.concat([raw[o].astype("string").str.strip().fillna("").ne("") for o in spec if o != c],
                         axis=1).any(axis=1)
        counts = values[rest].value_counts()
        common = counts[(counts >= max(10, PLACEHOLDER_SHARE * int(values.notna().sum())))
                        & (counts.index.str.split().str.len() <= 3)]
        if common.empty:
            continue
        gone = values.isin(common.index) & rest
        if out is raw:
            out = raw.copy()
        out[c] = raw[c].where(~gone, None)
        said = ", ".join(f"'{v}' ({n:,} rows)" for v, n in common.head(3).items())
        warnings.append(f"'{c}' holds the same few words on many rows ({said}): a label of the row, not its words, "
                        "so it was left out of their text")
    return out


def _column(raw: pd.DataFrame, spec: str | list[str]) -> pd.Series:
    if isinstance(spec, str):
        return raw[spec].astype("string")
    joined = [join_parts(row) for row in zip(*(raw[c] for c in spec))]
    return pd.Series(joined, index=raw.index, dtype="string")


def join_parts(parts: tuple[object, ...]) -> str | None:
    """Several columns as one text, a blank line between them: empty parts are left out, and a part the next one
    already starts with (a title some exports repeat at the top of the body) is said once."""
    kept = [p for p in parts if isinstance(p, str) and p.strip()]
    kept = [p for i, p in enumerate(kept) if not any(_starts_with(q, p) for q in kept[i + 1:])]
    return "\n\n".join(kept) if kept else None


def _starts_with(text: str, head: str) -> bool:
    """Does `text` open with all of `head`, up to a word boundary ("Help" does not open "Helpful tips")?"""
    text, head = text.strip(), head.strip()
    return text.startswith(head) and (len(text) == len(head) or not text[len(head)].isalnum())


def _field_columns(fld: str, spec: str | list[str], col: pd.Series, dayfirst: bool | None,
                   warnings: list[str]) -> Columns:
    kind = FIELD_BY_NAME[fld].kind
    if fld == "text":
        return _text_columns(col, warnings)
    if kind == "timestamp":
        return _date_columns(fld, spec, col, dayfirst, warnings)
    if kind == "count":
        values, bad = parse_counts(col)
        if bad:
            warnings.append(f"{bad} value(s) in '{mapping_str(spec)}' are not counts (text or negative); left empty")
        return {fld: values}
    if fld == "platform":
        return {fld: normalize_platform(col)}
    if fld == "post_type":
        return {fld: normalize_post_type(col)}
    values = col.str.strip().replace("", pd.NA)
    if fld == "brand":
        values = _unquoted(values, spec, warnings)
    if fld == "post_id" and rounded_ids(values):
        warnings.append(f"'{mapping_str(spec)}' holds ids rounded to a few digits ({values.dropna().iloc[0]}, as a "
                        f"spreadsheet or a column of decimals writes them): {values.notna().sum():,} posts share "
                        f"{values.nunique():,} of them, so they cannot tell posts apart; each post's id was made from "
                        "its content instead (keep the id column as text when saving the file to keep the ids)")
        return {fld: pd.Series(pd.NA, index=col.index, dtype="string")}
    return {fld: values}


_QUOTED = re.compile(r'^(["\'“‘])([^"\'“”‘’]+)(["\'”’])$')
_PAIRS = {'"': '"', "'": "'", "“": "”", "‘": "’"}


def _unquoted(values: pd.Series, spec: str | list[str], warnings: list[str]) -> pd.Series:
    """Brands without the quotes of the search queries they were: Sentiment140's '"night at the museum"' and three
    more were named so on every page (the Overview's bars, share of voice, the report), beside 77 bare ones. Only a
    value wholly inside one pair of quotes, none within ('"nike" OR "adidas"' stays as it is)."""
    found = values.str.match(_QUOTED).fillna(False)
    if not found.any():
        return values
    parts = values[found].str.extract(_QUOTED)
    paired = parts[2] == parts[0].map(_PAIRS)
    if not paired.any():
        return values
    at = paired[paired].index
    out = values.copy()
    out.loc[at] = parts.loc[at, 1].str.strip()
    n = values[at].nunique()
    warnings.append(f"Brand: the quotes of {n:,} search quer{'y' if n == 1 else 'ies'} in '{mapping_str(spec)}' taken "
                    f"off ({values[at[0]]} -> {out[at[0]]}); the dataset's copy of the file's cells keeps them")
    return out


_ROUNDED = re.compile(r"[+-]?\d(?:[.,]\d+)?[eE]\+?\d+")


def rounded_ids(values: pd.Series) -> bool:
    """Ids written in scientific notation ("5.70306E+17" by a spreadsheet, "1.481989476e+18" by a column of
    decimals): an 18-digit tweet id kept six to ten digits, and tweets shared ids (the airline tweets re-saved
    by Excel: 12,170 of 14,640 taken for repeats, numbered ~2, ~3, ... and offered for removal)."""
    filled = values.dropna().astype(str)
    if not len(filled) or filled.head(1000).str.fullmatch(_ROUNDED).mean() < 0.8:  # most files: decided at once
        return False
    return bool(filled.str.fullmatch(_ROUNDED).mean() >= 0.8 and filled.nunique() < len(filled))


def _text_columns(col: pd.Series, warnings: list[str]) -> Columns:
    words, segmented = takeout_text(col)
    if segmented:
        warnings.append(f"Read the words of {segmented:,} text(s) written as JSON segments (Google Takeout's "
                        "YouTube comments; originals kept in text_raw)")
    cleaned = clean_text(words)
    changed = cleaned.ne(col.str.strip()).fillna(False)  # by either step: the file's own text kept in text_raw
    repaired = cleaned.ne(words.str.strip()).fillna(False) if segmented else changed
    long = cleaned.str.len().gt(MAX_TEXT_CHARS).fillna(False)
    if long.any():  # a post is not a book: keep the analyses fast and the pages readable
        cleaned = cleaned.where(~long, cleaned.str.slice(0, MAX_TEXT_CHARS))
        warnings.append(f"{int(long.sum())} text(s) longer than {MAX_TEXT_CHARS:,} characters were cut to that "
                        "length for analysis (originals kept in text_raw)")
    if repaired.any():
        warnings.append(f"Cleaned {int(repaired.sum())} text(s): broken characters, HTML entities or tags,"
                        " invisible characters (originals kept in text_raw)")
    return {"text": cleaned, "text_raw": col.where(changed | long)}


def _date_columns(fld: str, spec: str | list[str], col: pd.Series, dayfirst: bool | None,
                  warnings: list[str]) -> Columns:
    parsed = parse_datetimes(col, dayfirst)
    columns: Columns = {fld: parsed.values}
    if parsed.offsets is not None:
        columns["utc_offset"] = parsed.offsets.astype("string")
    # "Review Created (UTC)", "time_utc": the header says the zone the values leave out
    says_utc = bool(re.search(r"(?i)(?:^|[^a-z])(?:utc|gmt)(?:$|[^a-z])", mapping_str(spec)))
    warnings += [n for n in parsed.notes if not (says_utc and n.startswith("Times carry no time zone"))]
    absent = int((col.isna() | (col.str.strip() == "")).sum())
    if absent:
        warnings.append(f"{absent} post(s) have no date in '{mapping_str(spec)}'")
    if parsed.failed:
        warnings.append(f"{parsed.failed} date(s) in '{mapping_str(spec)}' could not be read; those posts"
                        " are kept without a date")
    return columns
