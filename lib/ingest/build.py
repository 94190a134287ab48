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

from lib.ingest.fields import mapped_fields, mapping_str
from lib.ingest.formats import FORMAT_BY_KEY, ExportFormat, detect_format
from lib.ingest.mapping import Mapping, guess_mapping
from lib.ingest.parsing import authors_from_links, platform_from_links
from lib.ingest.privacy import mask_text, pseudonymise
from lib.ingest.reading import InputError, RawTable, read_bytes, read_path
from lib.ingest.schema import CANONICAL, COUNT_COLUMNS, DERIVED, FIELD_BY_NAME, analyses_available, taken_name

EXCLUDED_COLUMNS = ["source_file", "source_row", "reason", "raw"]


@dataclass
class ImportOptions:
    dayfirst: bool | None = None  # None: decide from the data
    drop_duplicates: bool = False  # only with the user's consent
    mask_pii: frozenset[str] = frozenset()  # subset of privacy.PII_KINDS
    pseudonymise: bool = False
    salt: str = ""  # the workspace's secret, needed to pseudonymise
    constants: dict[str, str] = field(default_factory=dict)  # fixed platform / brand for a whole file
    # (the brand FILE_NAME: each file's name, for one export per brand, competitor or video)
    keep_own_replies: bool = False  # a brand's own replies stay posts (lib.ingest.own_posts); else excluded rows
    keep_dates_apart: bool = False  # posts dated far from all others stay (lib.ingest.dates_apart); else excluded


@dataclass
class Source:
    """One file on its way in: what was read, which export it looks like, and its column mapping."""

    raw: RawTable
    fmt: ExportFormat
    mapping: Mapping

    @classmethod
    def guess(cls, raw: RawTable) -> Source:
        named = FORMAT_BY_KEY.get(raw.format_key or "")  # the file's structure said which export it is
        fmt = named or detect_format(list(raw.df.columns))
        return cls(raw, fmt, guess_mapping(raw.df, fmt))


@dataclass
class ImportResult:
    posts: pd.DataFrame
    excluded: pd.DataFrame
    raw: pd.DataFrame  # every source cell as read, for provenance
    report: dict


def dataset_name(names: list[str]) -> str:
    """What a dataset made of these files is called (the app's default name, the report's title): the first
    file's name without its extension, and how many more ("Youtube01-Psy + 4 more")."""
    first = Path(names[0]).name.rsplit(".", 1)[0] if names else "dataset"
    return first + (f" + {len(names) - 1} more" if len(names) > 1 else "")


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
        "mapping": {k: mapping_str(v) for k, v in source.mapping.items()},
        "excluded": result.report["excluded"],
        "warnings": result.report["warnings"],
        "unavailable": {k: v for k, v in result.report["analyses"].items() if v},
    }


def build_posts(sources: list[Source], options: ImportOptions, *, resolve_duplicates: bool = True) -> ImportResult:
    """`resolve_duplicates=False`: every row kept with its source id (none generated) and the report's
    `duplicates` None, for a caller that resolves them over more posts (`lib.distributed.duplicates`)."""
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
    excluded_df = concat_excluded(excluded)
    raw_df = pd.concat(raws, ignore_index=True) if len(raws) > 1 else raws[0]

    dup_info = None
    if resolve_duplicates:
        posts, dup_excluded, dup_info, dup_warn = _duplicates(posts, options.drop_duplicates)
        excluded_df = concat_excluded([excluded_df, dup_excluded])
        warnings += dup_warn
        posts = _ensure_ids(posts, warnings)
        posts, far = _without_dates_apart(posts, options.keep_dates_apart, warnings)
        excluded_df = concat_excluded([excluded_df, far])
    posts = order_columns(posts)

    excluded_counts = excluded_df["reason"].value_counts().to_dict() if len(excluded_df) else {}
    report = {
        "formats": sorted({s.fmt.key for s in sources}),
        "files": [{"name": s.raw.name, "format": s.fmt.key, "format_label": s.fmt.label, "kind": s.raw.kind,
                   "encoding": s.raw.encoding, "delimiter": s.raw.delimiter,
                   "mapping": {k: mapping_str(v) for k, v in s.mapping.items()},
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


def concat_excluded(parts: list[pd.DataFrame]) -> pd.DataFrame:
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


def _one_source(src: Source, opt: ImportOptions, stats: dict) -> tuple[pd.DataFrame, pd.DataFrame,
                                                                          pd.DataFrame, list[str]]:
    """One file's posts, excluded rows, raw cells and warnings; `stats` gathers masking counts over files."""
    name = src.raw.name
    warnings: list[str] = []
    excluded = [_unreadable_rows(src.raw)] if src.raw.bad_rows else []
    data_cols = [c for c in src.raw.df.columns if c != "source_row"]
    raw = _without_blank_rows(src.raw.df, data_cols, name, excluded)
    out, mapped_sources = mapped_fields(raw, src.mapping, opt.dayfirst, warnings)
    _fill_constants(out, src, opt, raw)
    writers_link = _authors_from_links(out, raw, warnings)
    out, raw = _without_empty_texts(out, raw, name, excluded, warnings)
    out, raw = _without_own_replies(out, raw, name, opt.keep_own_replies, excluded, warnings)
    _mask_and_pseudonymise(out, opt, stats)
    unmapped = [c for c in data_cols if c not in mapped_sources]
    wordy = wordy_columns(raw, unmapped) if opt.mask_pii else []
    persons = person_columns(unmapped) if opt.pseudonymise else []
    if opt.pseudonymise and writers_link and writers_link not in persons:
        persons.append(writers_link)  # its links name the authors
    raw = _private_raw(raw, src.mapping, opt, wordy, persons)
    if wordy:
        warnings.append(f"Masked in {', '.join(repr(c) for c in wordy)} too (the file's other columns of words)")
    if persons:
        warnings.append(f"Pseudonymised with the authors: {', '.join(repr(c) for c in persons)} (the same "
                        "people's names, ids or profile links)")
    renamed = [c for c in unmapped if taken_name(c) and c not in CANONICAL and c not in DERIVED]
    if renamed:
        warnings.append(f"{', '.join(repr(c) for c in renamed)} kept as "
                        f"{', '.join(repr('src_' + c) for c in renamed)}: the analysis writes "
                        f"{'a column' if len(renamed) == 1 else 'columns'} of that name")
    out = _with_provenance_and_unmapped(out, raw, name, unmapped)
    raw_out = raw.copy()
    raw_out.insert(0, "source_file", name)
    exc = concat_excluded(excluded)
    if opt.mask_pii or opt.pseudonymise:
        exc = exc.assign(raw=exc["raw"].map(lambda r: "(hidden: privacy masking is on)" if r else r))
    return out.reset_index(drop=True), exc, raw_out.reset_index(drop=True), warnings


def _unreadable_rows(raw: RawTable) -> pd.DataFrame:
    """Rows the reader could not split into the header's fields, kept as excluded with their cells."""
    return pd.DataFrame({
        "source_file": raw.name, "source_row": [None] * len(raw.bad_rows),
        "reason": "unreadable row (wrong number of fields)",
        "raw": [json.dumps(b, ensure_ascii=False) for b in raw.bad_rows]})


def _without_blank_rows(raw: pd.DataFrame, data_cols: list[str], name: str,
                        excluded: list[pd.DataFrame]) -> pd.DataFrame:
    blank = raw[data_cols].isna().all(axis=1) if data_cols else pd.Series(True, index=raw.index)
    if not blank.any():
        return raw
    excluded.append(_excluded_rows(raw[blank], name, "blank row"))
    return raw[~blank]


FILE_NAME = "{file}"  # as a brand constant: each file's name without its extension ("nike.csv" -> "nike")


def _fill_constants(out: pd.DataFrame, src: Source, opt: ImportOptions, raw: pd.DataFrame) -> None:
    """Platform and brand fixed for a whole file (in place): fill the gaps of a mapped column, or add the column.
    A file without a platform column gets its export format's platform, else the one its posts' own links are on
    (`parsing.platform_from_links`), else "other"."""
    for fld in ("platform", "brand"):
        value = opt.constants.get(fld)
        if fld == "brand" and value == FILE_NAME:
            value = Path(src.raw.name).stem.strip() or src.raw.name
        if fld == "platform" and fld not in out and not value and src.fmt.platform is None:
            linked = platform_from_links(raw) if len(out) else None
            if linked is not None:  # the posts' own links say where they are
                out[fld] = linked
                continue
        if fld not in out and (value or (fld == "platform")):
            out[fld] = pd.Series(value or src.fmt.platform or "other", index=out.index, dtype="string")
        elif fld in out and value:
            out[fld] = out[fld].fillna(value)


def _authors_from_links(out: pd.DataFrame, raw: pd.DataFrame, warnings: list[str]) -> str | None:
    """A file without an author column gets each post's author from its own link where the links name one
    (`parsing.authors_from_links`), in place; the link column's name, or None."""
    if "author" in out or not len(out):
        return None
    found = authors_from_links(raw)
    if found is None:
        return None
    column, authors = found
    out["author"] = authors
    warnings.append(f"No author column: each post's author read from its own link in '{column}' "
                    f"(x.com/<author>/status/... and the like), {authors.nunique():,} authors")
    return column


def _without_empty_texts(out: pd.DataFrame, raw: pd.DataFrame, name: str, excluded: list[pd.DataFrame],
                         warnings: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    if "text" not in out:
        warnings.append("No text column: sentiment, emotion and topics need one; counts and dates still load")
        return out, raw
    empty = out["text"].isna() | (out["text"].str.len() == 0)
    if not empty.any():
        return out, raw
    excluded.append(_excluded_rows(raw[empty], name, "empty text"))
    return out[~empty], raw[~empty]


def _without_own_replies(out: pd.DataFrame, raw: pd.DataFrame, name: str, keep: bool, excluded: list[pd.DataFrame],
                         warnings: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The brands' own replies set aside as excluded rows (`keep`: left among the posts, and said), and a brand for
    every post of a file that names none but says which posts are a brand's own (`own_posts.thread_brands`).
    Before pseudonymising: the accounts that answer are the brands, by name."""
    from lib.ingest.own_posts import REASON, accounts_said, answer_minutes, own_posts, own_replies, thread_brands

    own, flag = own_posts(out, raw)
    if not own.any():
        return out, raw
    replies = own_replies(out, own)
    if flag and "brand" not in out and "author" in out:
        out["brand"] = thread_brands(out, own)
        stay = out["brand"] if keep else out.loc[~replies, "brand"]  # counted over the posts that stay
        unnamed = int(stay.isna().sum())
        warnings.append(f"Brand: the account each post answers or is answered by, where '{flag}' says the "
                        f"brand's own posts ({accounts_said(out, own)}); "
                        + (f"none for {unnamed:,} of the {len(stay):,} posts" if unnamed else
                           f"every one of the {len(stay):,} posts has one"))
    if not replies.any():
        return out, raw
    if "created_at" in out:  # a file of conversations: how often and how fast the brands answered (KPI lab)
        out["by_brand"] = own.astype("boolean")
        out["brand_answer_minutes"] = answer_minutes(out, own)
    who = accounts_said(out, replies)
    n = int(replies.sum())
    counted = f"{n:,} {'reply' if n == 1 else 'replies'}"
    if keep:
        warnings.append(f"Kept {counted} by the brands' own accounts ({who}) among the posts, "
                        "as asked: their words count in sentiment, topics and audience")
        return out, raw
    excluded.append(_excluded_rows(raw[replies], name, REASON))
    warnings.append(f"Left out {counted} by the brands' own accounts ({who}): what people say "
                    "is read without the brands' answers (they are listed with the excluded rows; the import "
                    "option keeps them)")
    return out[~replies], raw[~replies]


def _mask_and_pseudonymise(out: pd.DataFrame, opt: ImportOptions, stats: dict) -> None:
    """The user's privacy choices on the posts (in place); masking counts add up in `stats`."""
    if opt.mask_pii and "text" in out:
        out["text"], counts = mask_text(out["text"], opt.mask_pii)
        out["text_raw"] = mask_text(out["text_raw"], opt.mask_pii)[0]
        stats.setdefault("masked", {})
        for k, v in counts.items():
            stats["masked"][k] = stats["masked"].get(k, 0) + v
    if opt.pseudonymise and "author" in out:
        out["author"] = pseudonymise(out["author"], opt.salt)


def _with_provenance_and_unmapped(out: pd.DataFrame, raw: pd.DataFrame, name: str,
                                  unmapped: list[str]) -> pd.DataFrame:
    """Where each post came from, and the source columns no field took, unchanged; a source column whose name
    is taken by the posts table travels as `src_<name>`. Joined in one concat: a 10,000-column export inserted
    column by column took half a minute."""
    extra = {"source_file": pd.Series(name, index=out.index, dtype="string"),
             "source_row": raw["source_row"].astype("Int64")}
    for c in unmapped:
        extra[f"src_{c}" if taken_name(c) else c] = raw[c].astype("string")
    return pd.concat([out.drop(columns=[c for c in extra if c in out]), pd.DataFrame(extra, index=out.index)],
                     axis=1)


def _private_raw(raw: pd.DataFrame, mapping: Mapping, opt: ImportOptions, wordy: list[str],
                 persons: list[str]) -> pd.DataFrame:
    """Apply the same privacy choices to the stored raw copy, so no original leaks through it: the text and the
    author, and the file's other columns of words (`wordy`, masked) and of people (`persons`, pseudonymised)."""
    if not (opt.mask_pii or opt.pseudonymise):
        return raw
    raw = raw.copy()
    if opt.mask_pii:
        text = mapping.get("text", [])
        for col in ([text] if isinstance(text, str) else list(text)) + wordy:
            raw[col] = mask_text(raw[col].astype("string"), opt.mask_pii)[0].astype(object)
    if opt.pseudonymise:
        author = mapping.get("author")
        for who in ([author] if isinstance(author, str) else []) + persons:
            raw[who] = pseudonymise(raw[who], opt.salt).astype(object)
    return raw


def wordy_columns(raw: pd.DataFrame, columns: list[str]) -> list[str]:
    """Those of `columns` (the file's columns no field took) that hold words rather than values (most cells with
    a space, 20 characters or more on average): X's user.description, a review's reply. Masking left their e-mail
    addresses and phone numbers in clear beside the masked post."""
    from lib.ingest.parsing import first_values

    out = []
    for c in columns:
        sample = first_values(raw[c], 200)
        if len(sample) and sample.str.contains(" ").mean() >= 0.5 and sample.str.len().mean() >= 20:
            out.append(c)
    return out


def person_columns(columns: list[str]) -> list[str]:
    """Those of `columns` (the file's columns no field took) that say who wrote a post (user.name beside
    user.screen_name, from_id, ProfileName, a commenter's profile link): a pseudonymised dataset kept them in
    clear."""
    from lib.ingest.formats import norm
    from lib.ingest.privacy import identifies_a_person

    return [c for c in columns if identifies_a_person(norm(c))]


def _excluded_rows(rows: pd.DataFrame, name: str, reason: str) -> pd.DataFrame:
    body = rows.drop(columns="source_row")
    return pd.DataFrame({
        "source_file": name,
        "source_row": rows["source_row"].astype("Int64").values,
        "reason": reason,
        "raw": [json.dumps({k: v for k, v in r.items() if v is not None}, ensure_ascii=False, default=str)
                for r in body.to_dict("records")],
    })


def _without_dates_apart(posts: pd.DataFrame, keep: bool, warnings: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The posts dated far apart from all the others (`dates_apart.apart`) set aside as excluded rows (`keep`: left
    among the posts, and said). Where the import sees every post: a Dask folder's partitions, imported one by one
    (`resolve_duplicates=False`), have theirs found by the duplicates pass (`lib.distributed.duplicates`)."""
    from lib.ingest.dates_apart import apart

    if "created_at" not in posts:
        return posts, pd.DataFrame(columns=EXCLUDED_COLUMNS)
    far = apart(posts["created_at"])
    if not far.any():
        return posts, pd.DataFrame(columns=EXCLUDED_COLUMNS)
    warnings.append(dates_apart_note(posts["created_at"], far, keep))
    if keep:
        return posts, pd.DataFrame(columns=EXCLUDED_COLUMNS)
    return posts[~far].reset_index(drop=True), dated_apart_rows(posts, far)


def dates_apart_note(created: pd.Series, far: pd.Series, keep: bool) -> str:
    """The import's note on the posts dated far apart (`far`), kept or left out (also the Dask folder pass's)."""
    rest = created[~far].dropna()
    ends = (created[far & (created < rest.min())].sort_values(), created[far & (created > rest.max())].sort_values())
    when = "; ".join(", ".join(f"{t:%d %b %Y}" for t in end) if len(end) <= 3 else
                     f"scattered from {end.iloc[0]:%d %b %Y} to {end.iloc[-1]:%d %b %Y}"
                     for end in ends if len(end))
    what = (f"{int(far.sum()):,} post{'s' if far.sum() > 1 else ''} dated far apart from the other {len(rest):,} "
            f"({when}; the others from {rest.min():%d %b %Y} to {rest.max():%d %b %Y})")
    if keep:
        return f"Kept {what}, as asked: every chart over time spans them too"
    return (f"Left out {what}: if kept, they would stretch every chart over time to include them (they are listed with "
            "the excluded rows; the import option keeps them)")


def dated_apart_rows(posts: pd.DataFrame, far: pd.Series) -> pd.DataFrame:
    """The excluded-rows table of the posts dated far apart, each with its content as JSON."""
    from lib.ingest.dates_apart import REASON

    return duplicate_rows(posts, far, pd.Series(False, index=posts.index)).assign(reason=REASON)


def _duplicates(posts: pd.DataFrame, drop: bool) -> tuple[pd.DataFrame, pd.DataFrame, dict, list[str]]:
    """Same id, or the same row in every field: reported always, removed only when `drop`."""
    same_row, same_id = find_duplicates(posts)
    info, warnings = duplicates_found(same_row, same_id, drop)
    if not drop or not (same_row.any() or same_id.any()):
        return posts, pd.DataFrame(columns=EXCLUDED_COLUMNS), info, warnings
    gone = same_row | same_id
    return posts[~gone].reset_index(drop=True), duplicate_rows(posts, same_row, same_id), info, warnings


def find_duplicates(posts: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Rows repeating an earlier row in every content column, and other rows repeating an earlier post_id."""
    same_row = posts.duplicated(subset=content_columns(posts), keep="first")
    same_id = pd.Series(False, index=posts.index)
    if "post_id" in posts:
        ids = posts["post_id"]
        same_id = ids.notna() & ids.duplicated(keep="first") & ~same_row
    return same_row, same_id


def duplicates_found(same_row: pd.Series, same_id: pd.Series, drop: bool) -> tuple[dict, list[str]]:
    """The import report's `duplicates` and the warning that says what was found and done."""
    info = {"identical_rows": int(same_row.sum()), "same_id": int(same_id.sum()), "removed": bool(drop)}
    warnings = []
    if same_row.any() or same_id.any():
        rows, ids = info["identical_rows"], info["same_id"]
        what = " and ".join(
            [f"{rows:,} identical row{'' if rows == 1 else 's'}"] * bool(rows)
            + [f"{ids:,} {'other ' if rows else ''}row{'' if ids == 1 else 's'} repeating an id"] * bool(ids))
        choice = "removed at your request" if drop else "kept (choose removal if you want)"
        warnings.append(f"Found {what}; {choice}")
    return info, warnings


def duplicate_rows(posts: pd.DataFrame, same_row: pd.Series, same_id: pd.Series) -> pd.DataFrame:
    """The excluded-rows table of removed duplicates, each with its reason and its content as JSON."""
    gone = same_row | same_id
    reasons = same_row.map({True: "duplicate row", False: "duplicate id"})[gone]
    return pd.DataFrame({"source_file": posts.loc[gone, "source_file"].values,
                         "source_row": posts.loc[gone, "source_row"].values,
                         "reason": reasons.values,
                         "raw": [json.dumps({k: str(v) for k, v in r.items() if pd.notna(v)}, ensure_ascii=False)
                                 for r in posts.loc[gone, content_columns(posts)].to_dict("records")]})


def content_columns(posts: pd.DataFrame) -> list[str]:
    """What a post says, not where it came from: the columns that make two rows the same row."""
    return [c for c in posts.columns if c not in ("source_row", "source_file", "text_raw")]


def _ensure_ids(posts: pd.DataFrame, warnings: list[str]) -> pd.DataFrame:
    """Every post gets a unique id: the source's where present, else a hash of the row's content."""
    posts, missing = generate_ids(posts)
    suffix, found = id_suffixes(posts["post_id"], missing)
    warnings += found
    repeat = suffix > 0
    posts.loc[repeat, "post_id"] = posts.loc[repeat, "post_id"] + "~" + suffix[repeat].astype(str)
    return posts


def id_suffixes(ids: pd.Series, missing: pd.Series) -> tuple[pd.Series, list[str]]:
    """The ~N suffix that makes each repeated id unique (2 for its second post, ...; 0: none) and the
    warnings about generated and repeated ids; `missing`: the posts whose id was generated."""
    warnings = []
    if missing.any() and not missing.all():
        warnings.append(f"{int(missing.sum())} post(s) had no id; ids were generated from their content")
    rank = ids.groupby(ids).cumcount()
    suffix = (rank + 1).where(ids.duplicated(keep=False) & (rank > 0), 0)
    from_source = int(((suffix > 0) & ~missing).sum())
    if from_source:
        warnings.append(f"{from_source} repeated id(s) were made unique with a ~2, ~3 suffix")
    return suffix, warnings


def generate_ids(posts: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series]:
    """A copy with an id for every post (a hash of its content where the source has none) and which had none."""
    posts = posts.copy()
    if "post_id" not in posts:
        posts["post_id"] = pd.Series(pd.NA, index=posts.index, dtype="string")
    missing = posts["post_id"].isna() | (posts["post_id"].str.strip() == "")
    if missing.any():
        content = [c for c in content_columns(posts) if c != "post_id"]
        hashes = pd.util.hash_pandas_object(posts.loc[missing, content], index=False)
        posts.loc[missing, "post_id"] = hashes.map(lambda h: f"gen_{h:016x}")
    return posts, missing


def order_columns(posts: pd.DataFrame) -> pd.DataFrame:
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
