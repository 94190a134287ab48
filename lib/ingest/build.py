"""Import: raw tables + mappings -> the canonical posts table, with every excluded row counted.

The user's data is never silently changed: text repairs keep the original in `text_raw`, rows that
are left out are kept in an `excluded` table with their reason, duplicates are only removed when the
caller asks, and unmapped source columns travel along unchanged.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from lib.ingest.mapping import ExportFormat, Mapping, detect_format, guess_mapping
from lib.ingest.parsing import clean_text, normalize_platform, normalize_post_type, parse_counts, parse_datetimes
from lib.ingest.privacy import mask_text, pseudonymise
from lib.ingest.reading import InputError, RawTable, read_bytes, read_path
from lib.ingest.schema import CANONICAL, COUNT_COLUMNS, DERIVED, FIELD_BY_NAME, analyses_available

EXCLUDED_COLUMNS = ["source_file", "source_row", "reason", "raw"]
MAX_TEXT_CHARS = 50_000  # longer texts are cut for analysis (the original stays in text_raw); see README, limits


@dataclass
class ImportOptions:
    dayfirst: bool | None = None  # None: decide from the data
    drop_duplicates: bool = False  # only with the user's consent
    mask_pii: frozenset[str] = frozenset()  # subset of privacy.PII_KINDS
    pseudonymise: bool = False
    salt: str = ""  # the workspace's secret, needed to pseudonymise
    constants: dict[str, str] = field(default_factory=dict)  # fixed platform / brand for a whole file


@dataclass
class Source:
    """One file on its way in: what was read, which export it looks like, and its column mapping."""

    raw: RawTable
    fmt: ExportFormat
    mapping: Mapping

    @classmethod
    def guess(cls, raw: RawTable) -> Source:
        fmt = detect_format(list(raw.df.columns))
        return cls(raw, fmt, guess_mapping(raw.df, fmt))


@dataclass
class ImportResult:
    posts: pd.DataFrame
    excluded: pd.DataFrame
    raw: pd.DataFrame  # every source cell as read, for provenance
    report: dict


def open_sources(paths: list[str | Path]) -> list[Source]:
    return [Source.guess(read_path(p)) for p in paths]


def source_from_bytes(data: bytes, name: str) -> Source:
    return Source.guess(read_bytes(data, name))


def profile(source: Source) -> dict:
    """What `python -m lib profile` prints: format, rows, mapping guess, exclusions and warnings."""
    result = build_posts([source], ImportOptions())
    return {
        "format": source.fmt.key,
        "format_label": source.fmt.label,
        "rows": int(len(result.posts)),
        "mapping": {k: _mapping_str(v) for k, v in source.mapping.items()},
        "excluded": result.report["excluded"],
        "warnings": result.report["warnings"],
        "unavailable": {k: v for k, v in result.report["analyses"].items() if v},
    }


def _mapping_str(v: str | list[str]) -> str:
    return "+".join(v) if isinstance(v, list) else v


def build_posts(sources: list[Source], options: ImportOptions) -> ImportResult:
    if not sources:
        raise InputError("No file to import")
    for s in sources:
        _check_mapping(s)
    if options.pseudonymise and not options.salt:
        raise ValueError("pseudonymisation needs the workspace salt")
    parts, excluded, raws, warnings = [], [], [], []
    stats: dict[str, int] = {}
    multi = len(sources) > 1
    for src in sources:
        prefix = f"{src.raw.name}: " if multi else ""
        warnings += [prefix + w for w in src.raw.warnings]
        posts, exc, raw, w = _one_source(src, options, stats)
        warnings += [prefix + x for x in w]
        parts.append(posts)
        excluded.append(exc)
        raws.append(raw)
    posts = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    excluded_df = _concat_excluded(excluded)
    raw_df = pd.concat(raws, ignore_index=True) if len(raws) > 1 else raws[0]

    posts, dup_excluded, dup_info, dup_warn = _duplicates(posts, options.drop_duplicates)
    excluded_df = _concat_excluded([excluded_df, dup_excluded])
    warnings += dup_warn
    posts = _ensure_ids(posts, warnings)
    posts = _order_columns(posts)

    excluded_counts = excluded_df["reason"].value_counts().to_dict() if len(excluded_df) else {}
    report = {
        "formats": sorted({s.fmt.key for s in sources}),
        "files": [{"name": s.raw.name, "format": s.fmt.key, "format_label": s.fmt.label, "kind": s.raw.kind,
                   "encoding": s.raw.encoding, "delimiter": s.raw.delimiter,
                   "mapping": {k: _mapping_str(v) for k, v in s.mapping.items()},
                   "rows_read": int(len(s.raw.df)) + len(s.raw.bad_rows)} for s in sources],
        "rows_read": int(sum(len(s.raw.df) + len(s.raw.bad_rows) for s in sources)),
        "rows_kept": int(len(posts)),
        "excluded": {str(k): int(v) for k, v in excluded_counts.items()},
        "duplicates": dup_info,
        "warnings": warnings,
        "privacy": {"masked": sorted(options.mask_pii), "masked_counts": stats.get("masked", {}),
                    "pseudonymised_authors": options.pseudonymise},
        "analyses": analyses_available(posts),
    }
    return ImportResult(posts, excluded_df.reindex(columns=EXCLUDED_COLUMNS), raw_df, report)


def _concat_excluded(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """Stack excluded-row tables, skipping empty ones (their all-NA columns carry no dtype)."""
    parts = [p for p in parts if len(p)]
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype="string" if c != "source_row" else "Int64")
                             for c in EXCLUDED_COLUMNS})
    out = pd.concat(parts, ignore_index=True).reindex(columns=EXCLUDED_COLUMNS)
    out["source_row"] = out["source_row"].astype("Int64")
    return out


def _check_mapping(src: Source) -> None:
    cols = set(src.raw.df.columns)
    for fld, col in src.mapping.items():
        if fld not in FIELD_BY_NAME:
            raise InputError(f"'{fld}' is not a field of the posts table")
        for c in ([col] if isinstance(col, str) else col):
            if c not in cols:
                raise InputError(f"{src.raw.name} has no column '{c}' (mapped to {fld})")


def _column(raw: pd.DataFrame, spec: str | list[str]) -> pd.Series:
    if isinstance(spec, str):
        return raw[spec].astype("string")
    joined = raw[spec].astype("string").apply(
        lambda row: "\n\n".join(v for v in row if isinstance(v, str) and v.strip()), axis=1)
    return joined.astype("string")


def _one_source(src: Source, opt: ImportOptions, stats: dict) -> tuple[pd.DataFrame, pd.DataFrame,
                                                                          pd.DataFrame, list[str]]:
    raw = src.raw.df
    name = src.raw.name
    warnings: list[str] = []
    excluded: list[pd.DataFrame] = []
    if src.raw.bad_rows:
        excluded.append(pd.DataFrame({
            "source_file": name, "source_row": [None] * len(src.raw.bad_rows),
            "reason": "unreadable row (wrong number of fields)",
            "raw": [json.dumps(b, ensure_ascii=False) for b in src.raw.bad_rows]}))

    data_cols = [c for c in raw.columns if c != "source_row"]
    blank = raw[data_cols].isna().all(axis=1) if data_cols else pd.Series(True, index=raw.index)
    if blank.any():
        excluded.append(_excluded_rows(raw[blank], name, "blank row"))
        raw = raw[~blank]

    out = pd.DataFrame(index=raw.index)
    mapped_sources: set[str] = set()
    for fld, spec in src.mapping.items():
        mapped_sources.update([spec] if isinstance(spec, str) else spec)
        col = _column(raw, spec)
        kind = FIELD_BY_NAME[fld].kind
        if fld == "text":
            cleaned = clean_text(col)
            changed = cleaned.ne(col.str.strip()).fillna(False)
            long = cleaned.str.len().gt(MAX_TEXT_CHARS).fillna(False)
            if long.any():  # a post is not a book: keep the analyses fast and the pages readable
                cleaned = cleaned.where(~long, cleaned.str.slice(0, MAX_TEXT_CHARS))
                warnings.append(f"{int(long.sum())} text(s) longer than {MAX_TEXT_CHARS:,} characters were cut to that "
                                "length for analysis (originals kept in text_raw)")
            out["text"] = cleaned
            out["text_raw"] = col.where(changed | long)
            if changed.any():
                warnings.append(f"Cleaned {int(changed.sum())} text(s): broken characters, HTML entities or tags,"
                                " invisible characters (originals kept in text_raw)")
        elif kind == "timestamp":
            parsed = parse_datetimes(col, opt.dayfirst)
            out[fld] = parsed.values
            if parsed.offsets is not None:
                out["utc_offset"] = parsed.offsets.astype("string")
            warnings += parsed.notes
            absent = int((col.isna() | (col.str.strip() == "")).sum())
            if absent:
                warnings.append(f"{absent} post(s) have no date in '{_mapping_str(spec)}'")
            if parsed.failed:
                warnings.append(f"{parsed.failed} date(s) in '{_mapping_str(spec)}' could not be read; those posts"
                                " are kept without a date")
        elif kind == "count":
            out[fld], bad = parse_counts(col)
            if bad:
                warnings.append(f"{bad} value(s) in '{_mapping_str(spec)}' are not counts (text or negative); left empty")
        elif fld == "platform":
            out[fld] = normalize_platform(col)
        elif fld == "post_type":
            out[fld] = normalize_post_type(col)
        else:
            out[fld] = col.str.strip().replace("", pd.NA)
    for fld in ("platform", "brand"):
        if fld not in out and (opt.constants.get(fld) or (fld == "platform")):
            value = opt.constants.get(fld) or src.fmt.platform or "other"
            out[fld] = pd.Series(value, index=out.index, dtype="string")
        elif fld in out and opt.constants.get(fld):
            out[fld] = out[fld].fillna(opt.constants[fld])

    if "text" in out:
        empty = out["text"].isna() | (out["text"].str.len() == 0)
        if empty.any():
            excluded.append(_excluded_rows(raw[empty], name, "empty text"))
            out, raw = out[~empty], raw[~empty]
    else:
        warnings.append("No text column: sentiment, emotion and topics need one; counts and dates still load")

    if opt.mask_pii and "text" in out:
        out["text"], counts = mask_text(out["text"], opt.mask_pii)
        out["text_raw"] = mask_text(out["text_raw"], opt.mask_pii)[0]
        stats.setdefault("masked", {})
        for k, v in counts.items():
            stats["masked"][k] = stats["masked"].get(k, 0) + v
    if opt.pseudonymise and "author" in out:
        out["author"] = pseudonymise(out["author"], opt.salt)
    raw = _private_raw(raw, src.mapping, opt)

    out["source_file"] = pd.Series(name, index=out.index, dtype="string")
    out["source_row"] = raw["source_row"].astype("Int64")
    for c in data_cols:
        if c in mapped_sources:
            continue
        target = c if c not in CANONICAL and c not in DERIVED else f"src_{c}"
        out[target] = raw[c].astype("string")
    raw_out = raw.copy()
    raw_out.insert(0, "source_file", name)
    exc = _concat_excluded(excluded)
    if opt.mask_pii or opt.pseudonymise:
        exc = exc.assign(raw=exc["raw"].map(lambda r: "(hidden: privacy masking is on)" if r else r))
    return out.reset_index(drop=True), exc, raw_out.reset_index(drop=True), warnings


def _private_raw(raw: pd.DataFrame, mapping: Mapping, opt: ImportOptions) -> pd.DataFrame:
    """Apply the same privacy choices to the stored raw copy, so no original leaks through it."""
    if not (opt.mask_pii or opt.pseudonymise):
        return raw
    raw = raw.copy()
    if opt.mask_pii and "text" in mapping:
        for c in [mapping["text"]] if isinstance(mapping["text"], str) else mapping["text"]:
            raw[c] = mask_text(raw[c].astype("string"), opt.mask_pii)[0].astype(object)
    if opt.pseudonymise and "author" in mapping and isinstance(mapping["author"], str):
        raw[mapping["author"]] = pseudonymise(raw[mapping["author"]], opt.salt).astype(object)
    return raw


def _excluded_rows(rows: pd.DataFrame, name: str, reason: str) -> pd.DataFrame:
    body = rows.drop(columns="source_row")
    return pd.DataFrame({
        "source_file": name,
        "source_row": rows["source_row"].astype("Int64").values,
        "reason": reason,
        "raw": [json.dumps({k: v for k, v in r.items() if v is not None}, ensure_ascii=False, default=str)
                for r in body.to_dict("records")],
    })


def _duplicates(posts: pd.DataFrame, drop: bool) -> tuple[pd.DataFrame, pd.DataFrame, dict, list[str]]:
    """Same id, or the same row in every field: reported always, removed only when `drop`."""
    content_cols = [c for c in posts.columns if c not in ("source_row", "source_file", "text_raw")]
    same_row = posts.duplicated(subset=content_cols, keep="first")
    same_id = pd.Series(False, index=posts.index)
    if "post_id" in posts:
        ids = posts["post_id"]
        same_id = ids.notna() & ids.duplicated(keep="first") & ~same_row
    info = {"identical_rows": int(same_row.sum()), "same_id": int(same_id.sum()), "removed": bool(drop)}
    warnings = []
    if same_row.any() or same_id.any():
        what = f"{info['identical_rows']} identical row(s) and {info['same_id']} other row(s) repeating an id"
        warnings.append(f"Found {what}; " + ("removed at your request" if drop else "kept (choose removal if you want)"))
    if not drop or not (same_row.any() or same_id.any()):
        return posts, pd.DataFrame(columns=EXCLUDED_COLUMNS), info, warnings
    gone = same_row | same_id
    reasons = same_row.map({True: "duplicate row", False: "duplicate id"})[gone]
    exc = pd.DataFrame({"source_file": posts.loc[gone, "source_file"].values,
                        "source_row": posts.loc[gone, "source_row"].values,
                        "reason": reasons.values,
                        "raw": [json.dumps({k: str(v) for k, v in r.items() if pd.notna(v)}, ensure_ascii=False)
                                for r in posts.loc[gone, content_cols].to_dict("records")]})
    return posts[~gone].reset_index(drop=True), exc, info, warnings


def _ensure_ids(posts: pd.DataFrame, warnings: list[str]) -> pd.DataFrame:
    """Every post gets a unique id: the source's where present, else a hash of the row's content."""
    posts = posts.copy()
    if "post_id" not in posts:
        posts["post_id"] = pd.Series(pd.NA, index=posts.index, dtype="string")
    missing = posts["post_id"].isna() | (posts["post_id"].str.strip() == "")
    if missing.any():
        content = [c for c in posts.columns if c not in ("post_id", "source_row", "source_file", "text_raw")]
        hashes = pd.util.hash_pandas_object(posts.loc[missing, content], index=False)
        posts.loc[missing, "post_id"] = hashes.map(lambda h: f"gen_{h:016x}")
        if not missing.all():
            warnings.append(f"{int(missing.sum())} post(s) had no id; ids were generated from their content")
    dup = posts["post_id"].duplicated(keep=False)
    if dup.any():
        rank = posts.groupby("post_id").cumcount()
        repeat = dup & (rank > 0)
        posts.loc[repeat, "post_id"] = posts["post_id"] + "~" + (rank + 1).astype(str)
        from_source = int((repeat & ~missing).sum())
        if from_source:
            warnings.append(f"{from_source} repeated id(s) were made unique with a ~2, ~3 suffix")
    return posts


def _order_columns(posts: pd.DataFrame) -> pd.DataFrame:
    front = [c for c in CANONICAL if c in posts] + [c for c in DERIVED if c in posts]
    rest = [c for c in posts.columns if c not in front]
    out = posts[front + rest].copy()
    for c in COUNT_COLUMNS + ("followers",):
        if c in out:
            out[c] = out[c].astype("Int64")
    for c in ("post_id", "text", "author", "platform", "brand", "parent_id", "post_type"):
        if c in out:
            out[c] = out[c].astype("string")
    return out


__all__ = ["ImportOptions", "ImportResult", "Source", "build_posts", "open_sources", "profile",
           "source_from_bytes", "InputError"]
