"""What a Dask run reads, cut into partitions, and the fingerprint that says whether a partition's output is current.

Two kinds of input. Files as the local engine reads them (CSV, JSON, XLSX) are imported on the client through
`lib.ingest.build`, exactly as the local engine imports them, then cut into chunks of --partition-rows that
travel to the workers: the import (duplicates, generated ids) sees every post, as it does locally. A folder of
CSV or Parquet files is never read whole: each CSV file and each Parquet row group is a partition that a worker
reads and imports itself with the mapping profiled on the folder's first file, so the client never holds the
posts; duplicates and repeated ids are found across all partitions, as locally, from per-row hashes sent to the
client in a short pass before the listening (`lib.distributed.duplicates`, `with_duplicates`).

A partition's fingerprint covers its input (the files' bytes, or a folder file's size and modification time),
the import options and the run's settings; a rerun skips a partition whose output carries the same one.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from lib.distributed.duplicates import Found, Resolution, resolve, resolved, row_keys
from lib.ingest.build import ImportOptions, ImportResult, Source, build_posts, open_sources
from lib.ingest.formats import ExportFormat
from lib.ingest.reading import InputError, RawTable, read_path

PARTITION_ROWS = 50_000  # posts per partition for file input: ~1-2 minutes of listening on one worker core
ENGINE_VERSION = "1"  # bump when a partition's output changes for the same input and settings
FOLDER_KINDS = {".csv": "csv", ".tsv": "csv", ".txt": "csv", ".parquet": "parquet", ".pq": "parquet"}
MakeOptions = Callable[[list[Source]], ImportOptions]


@dataclass(frozen=True)
class RunSettings:
    """What a partition's output depends on besides its input; part of every fingerprint."""
    thresholds: tuple[float, float]
    languages: tuple[str, ...]
    steps: tuple[str, ...]

    def key(self) -> str:
        from lib.listening.sentiment import SCORES_VERSION

        return json.dumps({**dataclasses.asdict(self), "model": SCORES_VERSION, "engine": ENGINE_VERSION})


@dataclass(frozen=True)
class Partition:
    """One task's worth of posts: in memory (kind 'frame', file input) or a folder file or row group."""
    index: int
    name: str  # for progress lines and errors
    fingerprint: str
    kind: str = "frame"  # frame | csv | parquet
    path: str | None = None
    row_group: int | None = None
    first_row: int = 0  # rows of the Parquet file before this row group (source_row continues across groups)
    resolution: Resolution | None = None  # folder input: its duplicates and repeated ids among all partitions

    @property
    def stem(self) -> str:
        return f"part-{self.index:05d}"


@dataclass(frozen=True)
class FolderImport:
    """How every partition of a folder is imported: the first file's format and mapping (--map applied)."""
    fmt: ExportFormat
    mapping: dict
    options: ImportOptions


@dataclass
class Planned:
    """The partitions of a run, with what the client has already done for them."""
    partitions: list[Partition]
    frames: dict[int, pd.DataFrame]  # file input: each partition's imported posts (folder input: empty)
    folder: FolderImport | None  # folder input: how the workers import
    report: dict | None  # file input: the import report of all posts
    excluded: pd.DataFrame | None  # file input: the rows the import left out
    duplicates: Found | None = None  # folder input: found across partitions (`with_duplicates`)


def digest(*parts: object) -> str:
    """A short stable hash of bytes and JSON-able values: fingerprints and task keys."""
    h = hashlib.sha256()
    for p in parts:
        h.update(p if isinstance(p, bytes) else json.dumps(p, sort_keys=True, default=str).encode())
        h.update(b"\0")
    return h.hexdigest()[:24]


def _files_digest(files: list[str]) -> str:
    """The files' bytes hashed a megabyte at a time (never a second copy of a large file in memory)."""
    h = hashlib.sha256()
    for f in files:
        with open(f, "rb") as fh:
            while block := fh.read(1 << 20):
                h.update(block)
        h.update(b"\0")
    return h.hexdigest()[:24]


def _options_key(options: ImportOptions) -> dict[str, Any]:
    """The import options in a fingerprint; the salt only as a hash, and only when it is used."""
    d = dataclasses.asdict(options)
    d["mask_pii"] = sorted(options.mask_pii)
    d["salt"] = digest(options.salt) if options.pseudonymise else ""
    return d


def is_folder(files: list[str]) -> bool:
    return len(files) == 1 and Path(files[0]).is_dir()


def plan_files(files: list[str], make_options: MakeOptions, settings: RunSettings, rows: int) -> Planned:
    """Files as the local engine reads them: imported here, then cut into chunks of `rows` posts."""
    paths: list[str | Path] = list(files)
    sources = open_sources(paths)
    options = make_options(sources)
    result: ImportResult = build_posts(sources, options)
    inputs = _files_digest(files)
    base = digest(inputs, _options_key(options), settings.key(), rows)
    posts = result.posts
    parts, frames = [], {}
    for i, start in enumerate(range(0, max(len(posts), 1), rows)):
        chunk = posts.iloc[start:start + rows].reset_index(drop=True)
        name = f"posts {start + 1:,}-{start + len(chunk):,}"
        parts.append(Partition(i, name, digest(base, i)))
        frames[i] = chunk
    return Planned(parts, frames, None, result.report, result.excluded)


def _folder_files(folder: Path) -> list[Path]:
    found = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in FOLDER_KINDS)
    if not found:
        raise InputError(f"{folder} has no CSV or Parquet files to read as partitions")
    return found


def _row_groups(path: Path) -> list[int]:
    """Rows per row group of a Parquet file; a file whose footer cannot be read is bad input."""
    import pyarrow.parquet as pq

    try:
        meta = pq.ParquetFile(path).metadata
    except Exception as exc:  # pyarrow raises ArrowInvalid, OSError, ... for a damaged file
        raise InputError(f"{path.name} is not a readable Parquet file ({str(exc).splitlines()[0]})") from None
    return [meta.row_group(i).num_rows for i in range(meta.num_row_groups)]


def plan_folder(folder: Path, make_options: MakeOptions, settings: RunSettings) -> Planned:
    """A folder: each CSV file and each Parquet row group one partition, imported on the workers with the
    mapping of the first file (profiled here, with --map applied)."""
    files = _folder_files(folder)
    parts: list[Partition] = []
    for path in files:
        kind = FOLDER_KINDS[path.suffix.lower()]
        stat = path.stat()
        pieces: list[tuple[int | None, int, str]]
        if kind == "csv":
            pieces = [(None, 0, path.name)]
        else:
            sizes = _row_groups(path)
            starts = [sum(sizes[:g]) for g in range(len(sizes))]
            pieces = [(g, starts[g], f"{path.name} row group {g + 1}" if len(sizes) > 1 else path.name)
                      for g in range(len(sizes))]
        for group, start, name in pieces:
            parts.append(Partition(len(parts), name, digest(path.name, stat.st_size, stat.st_mtime_ns, group),
                                   kind, str(path.resolve()), group, start))
    profiled = Source.guess(read_raw(parts[0]))
    options = make_options([profiled])
    how = FolderImport(profiled.fmt, dict(profiled.mapping), options)
    key = digest(how.fmt.key, how.mapping, _options_key(options), settings.key())
    parts = [dataclasses.replace(p, fingerprint=digest(p.fingerprint, key)) for p in parts]
    return Planned(parts, {}, how, None, None)


# ------------------------------------------------------------------------------------- on the workers
def _cell(v: object) -> str | None:
    """A Parquet cell as the importer reads every cell: text, or None for a missing one."""
    if isinstance(v, np.ndarray):  # a list column
        v = v.tolist()
    if isinstance(v, (list, dict)):
        return json.dumps(v, ensure_ascii=False, default=str)
    if v is None or pd.isna(v):  # type: ignore[call-overload]
        return None
    if isinstance(v, (bool, np.bool_)):
        return "true" if v else "false"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if hasattr(v, "isoformat"):
        return v.isoformat()
    return str(v)


def _read_parquet(part: Partition) -> RawTable:
    import pyarrow.parquet as pq

    assert part.path is not None and part.row_group is not None
    try:
        table = pq.ParquetFile(part.path).read_row_group(part.row_group)
    except Exception as exc:  # a damaged page or column chunk
        raise InputError(f"{part.name}: not a readable Parquet row group ({str(exc).splitlines()[0]})") from None
    df = table.to_pandas(types_mapper=None)
    df = df.apply(lambda s: s.map(_cell)).astype(object)
    df.columns = [str(c) for c in df.columns]
    if "source_row" in df.columns:
        df = df.rename(columns={"source_row": "source_row_original"})
    df.insert(0, "source_row", range(part.first_row + 1, part.first_row + len(df) + 1))
    return RawTable(df=df, name=Path(part.path).name, kind="parquet")


def read_raw(part: Partition) -> RawTable:
    """A folder partition's rows as the importer reads every file (cells as text)."""
    assert part.path is not None
    return read_path(part.path) if part.kind == "csv" else _read_parquet(part)


def _unresolved(part: Partition, how: FolderImport) -> ImportResult:
    return build_posts([Source(read_raw(part), how.fmt, dict(how.mapping))], how.options, resolve_duplicates=False)


def import_partition(part: Partition, how: FolderImport) -> ImportResult:
    """A folder partition imported with the folder's mapping and options, its duplicates and ids resolved
    among all partitions (`with_duplicates` must have run)."""
    return resolved(_unresolved(part, how), part.resolution)


def partition_keys(part: Partition, how: FolderImport) -> pd.DataFrame | dict[str, Any]:
    """The duplicates pass on a worker: the partition's row hashes (`duplicates.row_keys`), or its error."""
    try:
        return row_keys(_unresolved(part, how).posts)
    except InputError as exc:
        msg = exc.args[0] if exc.args else str(exc)
        return {"error": f"{part.name}: {msg}" if part.name not in str(msg) else str(msg)}


def with_duplicates(client: Any, plan: Planned, tag: str) -> Planned:
    """A folder plan with every partition's duplicates found among all of them, from a pass of row hashes;
    each partition's fingerprint then covers its resolution (another file in the folder can change it)."""
    if plan.folder is None:
        return plan
    futures = [client.submit(partition_keys, p, plan.folder, retries=2, key=f"duplicates-{p.stem}-{tag}")
               for p in plan.partitions]
    keys = client.gather(futures)
    bad = [k for k in keys if isinstance(k, dict)]
    if bad:
        raise InputError(bad[0]["error"])
    found = resolve(keys, plan.folder.options.drop_duplicates, plan.folder.options.keep_dates_apart)
    parts = [dataclasses.replace(p, resolution=r, fingerprint=digest(p.fingerprint, r.key()))
             for p, r in zip(plan.partitions, found.resolutions)]
    return dataclasses.replace(plan, partitions=parts, duplicates=found)
