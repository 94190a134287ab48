"""What runs on the workers: a partition read, imported, enriched and written, its aggregates beside it.

Models are loaded once per worker process, not shipped: the listening models' loaders keep them in the
process (`sentiment.public_model` and the VADER analyser by lru_cache, `emotion_model` in a module global, the
language model by lru_cache), so a worker loads each at its first partition and reuses it for every later one;
a task carries only the partition's description (or its posts, for file input), the settings and the summed
language counts.

Bad input in a partition (an unreadable file, no text column) comes back as an `error` outcome instead of an
exception, so Dask does not retry what cannot succeed; its retries are for workers that die.

Files per partition, written so that the last one written says the partition is done: `posts/part-N.parquet`
(the posts with their listening columns), then in `_partials/` its authors' hashes (`.authors.npy`), its
excluded rows (`.excluded.csv`, folder input) and last `part-N.json` (fingerprint, aggregates, import report).
"""
from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from lib.distributed.aggregates import author_hashes, import_aggregates, listening_aggregates
from lib.distributed.partitions import FolderImport, Partition, RunSettings, import_partition
from lib.ingest.reading import InputError

RETRIES = 2  # a task whose worker died is run again this many times before the run fails


def partial_path(out: Path, part: Partition, suffix: str) -> Path:
    return out / "_partials" / f"{part.stem}{suffix}"


def posts_path(out: Path, part: Partition) -> Path:
    return out / "posts" / f"{part.stem}.parquet"


def _posts(part: Partition, frame: pd.DataFrame | None, how: FolderImport | None
           ) -> tuple[pd.DataFrame, dict | None, pd.DataFrame | None]:
    """The partition's imported posts (and, for folder input, its import report and excluded rows)."""
    if frame is not None:
        return frame, None, None
    assert how is not None
    result = import_partition(part, how)
    return result.posts, result.report, result.excluded


def _failed(part: Partition, exc: Exception) -> dict[str, Any]:
    msg = exc.args[0] if exc.args else str(exc)
    return {"index": part.index, "error": f"{part.name}: {msg}" if part.name not in str(msg) else str(msg)}


def count_languages(part: Partition, frame: pd.DataFrame | None, how: FolderImport | None) -> dict[str, Any]:
    """First pass: the partition's confident posts per language. A short post's language depends on the
    dataset's mix (`lib.listening.language`), so every partition decides with the sum over all of them and
    the engine gives each post the language the local engine gives it."""
    from lib.listening.language import language_counts
    from lib.pipeline import has_text

    try:
        posts, _, _ = _posts(part, frame, how)
    except InputError as exc:
        return _failed(part, exc)
    counts = language_counts(posts["text"]).tolist() if has_text(posts) else None
    return {"index": part.index, "counts": counts}


def _listen(posts: pd.DataFrame, settings: RunSettings) -> pd.DataFrame:
    """The local engine's sentiment step on one partition: the same columns, in the same order."""
    from lib import pipeline
    from lib.analyze import SCORE_COLUMNS
    from lib.listening.enrich import LISTENING_COLUMNS

    if "text" not in posts:
        raise InputError("--steps sentiment needs a text column (map one with --map text=COLUMN)")
    frame = pipeline.listen(posts, None, settings.thresholds).frame
    keep = list(posts.columns) + [c for c in LISTENING_COLUMNS + SCORE_COLUMNS if c not in posts.columns]
    return frame[keep]


def _sentiment_only(posts: pd.DataFrame, settings: RunSettings) -> pd.DataFrame:
    """--steps topics without sentiment: the `sentiment` score the local engine adds to posts.csv with the
    topics (topics.csv's mean_sentiment reads it)."""
    if "text" not in posts:
        raise InputError("--steps topics needs a text column (map one with --map text=COLUMN)")
    return posts.assign(sentiment=_listen(posts, settings)["sentiment"].to_numpy())


def write_parquet(frame: pd.DataFrame, path: Path) -> None:
    """Written to a temporary name and renamed, so a killed worker never leaves half a file under the name."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), tmp)
    os.replace(tmp, path)


def write_json(doc: dict, path: Path) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(doc, ensure_ascii=False, default=str), encoding="utf-8")
    os.replace(tmp, path)


def listen_partition(part: Partition, frame: pd.DataFrame | None, how: FolderImport | None,
                     settings: RunSettings, own: list[float] | None, counts: list[float], mix_key: str,
                     out: str) -> dict[str, Any]:
    """Second pass: import, language (with the run's language counts), the --languages filter, the listening
    columns; the partition's files written and its aggregates returned. `own`: the partition's language counts
    from the first pass, kept in its partial so that a rerun can sum them without reading it again."""
    from lib.listening.language import detect_languages
    from lib.pipeline import has_text
    from lib.report.export import write_csv

    began = time.monotonic()
    folder = Path(out)
    try:
        posts, report, excluded = _posts(part, frame, how)
        if has_text(posts):
            posts = posts.assign(language=detect_languages(posts["text"], counts=np.asarray(counts)))
        elif settings.languages:
            raise InputError("--languages needs a text column (map one with --map text=COLUMN)")
        agg = import_aggregates(posts)
        kept = posts[posts["language"].isin(settings.languages)].reset_index(drop=True) \
            if settings.languages else posts
        if "sentiment" in settings.steps and len(kept):
            kept = _listen(kept, settings)
        elif "topics" in settings.steps and len(kept):
            kept = _sentiment_only(kept, settings)
    except InputError as exc:
        return _failed(part, exc)
    agg.update(listening_aggregates(kept))
    if "language" in kept:
        kept = kept[[c for c in kept if c != "language"] + ["language"]]
    write_parquet(kept, posts_path(folder, part))
    partial_path(folder, part, "").parent.mkdir(parents=True, exist_ok=True)
    np.save(partial_path(folder, part, ".authors.npy"), author_hashes(posts))
    if excluded is not None and len(excluded):
        write_csv(excluded, partial_path(folder, part, ".excluded.csv"))  # formulas defused, as DIR/excluded.csv
    doc = {"index": part.index, "name": part.name, "fingerprint": part.fingerprint, "mix": mix_key,
           "counts": own, "aggregates": agg, "import": report,
           "seconds": round(time.monotonic() - began, 2)}
    write_json(doc, partial_path(folder, part, ".json"))
    return doc
