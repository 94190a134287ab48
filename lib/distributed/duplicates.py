"""Duplicates and repeated ids across the partitions of a folder, as the local engine finds them in all posts.

The local import (`lib.ingest.build`) compares every post with every earlier one: an identical row (every
content column equal) or another row repeating a post_id is reported, and removed with --drop-duplicates
(the first occurrence kept); then every post gets an id (generated from its content where it has none) and a
repeated id a ~2, ~3 suffix. A folder is never read whole, so a short pass before the listening does it from
hashes: each partition imports its rows with nothing resolved and sends, per row, a 64-bit hash of its
content, a 64-bit hash of its source id, a 64-bit hash of the id it would get, two flags and its time (34 bytes
a post: about 34 MB per million posts, collected on the client, never a text; the time finds the posts dated far
apart from all the others, `lib.ingest.dates_apart`, as the local import does after the ids). The client orders
them as the local engine orders posts (partition by partition, row by row), finds the duplicates and the
suffixes with the local engine's own functions, and gives each partition back only its own: the positions to
remove with their reason and the positions to suffix. Every later pass re-imports its partition and applies
that `Resolution`.

Two different rows share a 64-bit hash with probability about n²/2⁶⁵ (3e-8 for a million posts): then one
would be called a duplicate that is not. A content hash sums per-column hashes that include the column's name
and skip missing cells, so a file lacking a column matches another file's empty one, as in the local
engine's concatenated table (a generated id, though, hashes the partition's own columns: it equals the local
one when the folder's files have the same columns). The pass reads and imports every partition once more, on
every run, reruns included (no listening: a small part of a partition's work).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from lib.ingest.build import (
    ImportResult,
    concat_excluded,
    content_columns,
    dated_apart_rows,
    dates_apart_note,
    duplicate_rows,
    duplicates_found,
    find_duplicates,
    generate_ids,
    id_suffixes,
    order_columns,
)
from lib.ingest.schema import analyses_available

MIX = np.uint64(0x9E3779B97F4A7C15)  # an odd multiplier that spreads a column's salted hash over 64 bits


def _hash(values: pd.Series) -> np.ndarray:
    return pd.util.hash_pandas_object(values, index=False).to_numpy(dtype=np.uint64)


def _content_hash(posts: pd.DataFrame, columns: list[str]) -> np.ndarray:
    """Per row, the wrapping sum over its non-missing cells of a hash of (column name, cell as text)."""
    total = np.zeros(len(posts), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for c in columns:
            salt = _hash(pd.Series([c]))[0]
            cells = posts[c].astype("string")
            h = (_hash(cells.fillna("")) ^ salt) * MIX
            total += np.where(cells.isna().to_numpy(), np.uint64(0), h)
    return total


def row_keys(posts: pd.DataFrame) -> pd.DataFrame:
    """On a worker: a partition's posts, imported with nothing resolved, as the hashes the client compares."""
    ids = posts["post_id"] if "post_id" in posts else pd.Series(pd.NA, index=posts.index, dtype="string")
    with_ids, missing = generate_ids(posts)
    at = pd.to_datetime(posts["created_at"], utc=True).dt.tz_localize(None) if "created_at" in posts else \
        pd.Series(pd.NaT, index=posts.index, dtype="datetime64[ns]")
    return pd.DataFrame({"row": _content_hash(posts, content_columns(posts)),
                         "id": _hash(ids.astype("string").fillna("")), "id_na": ids.isna().to_numpy(),
                         "final": _hash(with_ids["post_id"].astype("string")), "missing": missing.to_numpy(),
                         "at": at.to_numpy(dtype="datetime64[ns]")})


@dataclass(frozen=True, eq=False)
class Resolution:
    """What one partition does to its rows (positions in its posts as imported with nothing resolved)."""
    gone: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))  # removed (--drop-duplicates)
    same_row: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=bool))  # per removed: identical row
    renamed: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))  # id gets a ~N suffix
    suffix: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))  # N, per renamed
    far: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=bool))  # per removed: dated far apart

    def key(self) -> list[str]:
        """For the partition's fingerprint: another resolution is another output."""
        return [a.astype(np.int64).tobytes().hex()
                for a in (self.gone, self.same_row, self.renamed, self.suffix, self.far)]


@dataclass(frozen=True)
class Found:
    """The folder's duplicates: each partition's resolution and the import report's `duplicates` and warnings."""
    resolutions: list[Resolution]
    info: dict
    warnings: list[str]


def resolve(keys: list[pd.DataFrame], drop: bool, keep_far: bool = False) -> Found:
    """On the client: the partitions' row keys, in partition order, resolved as `build_posts` resolves all posts:
    duplicates, ids, then the posts dated far apart from all the others (`dates_apart`; `keep_far` keeps them)."""
    from lib.ingest.dates_apart import apart

    sizes = [len(k) for k in keys]
    k = pd.concat(keys, ignore_index=True)
    part = np.repeat(np.arange(len(keys)), sizes)
    pos = np.concatenate([np.arange(n) for n in sizes])
    ids = pd.Series(pd.array(k["id"].to_numpy(), dtype="UInt64"))
    ids[k["id_na"].to_numpy()] = pd.NA
    same_row, same_id = find_duplicates(pd.DataFrame({"post_id": ids, "row": k["row"]}))
    info, warnings = duplicates_found(same_row, same_id, drop)
    gone = (same_row | same_id).to_numpy() if drop else np.zeros(len(k), dtype=bool)
    kept = ~gone
    suffix, found = id_suffixes(k.loc[kept, "final"].reset_index(drop=True),
                                k.loc[kept, "missing"].reset_index(drop=True))
    warnings += found
    number = np.zeros(len(k), dtype=np.int64)
    number[kept] = suffix.to_numpy()
    far = np.zeros(len(k), dtype=bool)
    if "at" in k:
        at = pd.Series(pd.to_datetime(k.loc[kept, "at"], utc=True).to_numpy(), dtype="datetime64[ns, UTC]")
        found_far = apart(at)
        if found_far.any():
            warnings.append(dates_apart_note(at, found_far, keep_far))
            far[np.flatnonzero(kept)[found_far.to_numpy()]] = not keep_far
    out = []
    for i in range(len(keys)):
        mine = part == i
        g, r = mine & (gone | far), mine & (number > 0)
        out.append(Resolution(pos[g], same_row.to_numpy()[g], pos[r], number[r], far[g]))
    return Found(out, info, warnings)


def resolved(result: ImportResult, res: Resolution | None) -> ImportResult:
    """On a worker: a partition imported with nothing resolved, with the folder's resolution applied (rows removed
    into its excluded rows, ids generated and suffixed), as `build_posts` would leave it among all posts."""
    posts = result.posts
    gone = np.zeros(len(posts), dtype=bool)
    excluded = result.excluded
    if res is not None and len(res.gone):
        gone[res.gone] = True
        same_row, far = pd.Series(False, index=posts.index), pd.Series(False, index=posts.index)
        same_row.iloc[res.gone[res.same_row]] = True  # a post dated far apart is no duplicate: never both
        far.iloc[res.gone[res.far]] = True
        same_id = pd.Series(gone, index=posts.index) & ~same_row & ~far
        excluded = concat_excluded([excluded, duplicate_rows(posts, same_row, same_id)]
                                   + ([dated_apart_rows(posts, far)] if far.any() else []))
    posts, _ = generate_ids(posts)
    if res is not None and len(res.renamed):
        at = posts.index[res.renamed]
        posts.loc[at, "post_id"] = posts.loc[at, "post_id"] + "~" + pd.Series(res.suffix, index=at).astype(str)
    posts = order_columns(posts[~gone].reset_index(drop=True))
    counts = excluded["reason"].value_counts().to_dict() if len(excluded) else {}
    report = {**result.report, "rows_kept": int(len(posts)), "excluded": {str(a): int(b) for a, b in counts.items()},
              "analyses": analyses_available(posts)}
    return ImportResult(posts, excluded, result.raw, report)
