"""Reading the output folder of an `analyze` run, from either engine, a few columns or some rows at a time.

The local engine writes `DIR/posts.csv` and then `DIR/summary.json`; the Dask engine writes
`DIR/posts/part-N.parquet`, `DIR/summary.json` and last `DIR/_COMPLETE`, which lists the partitions. A folder
missing its last file is an interrupted run and is refused, as is a folder that is no run at all: opening it
must never show half a run as if it were whole. Every file is read in pieces (a CSV in chunks, Parquet one
partition at a time), so a run of millions of posts opens within the memory of the posts kept.

posts.csv is an export a spreadsheet may open, so text cells that would start a formula were written with an
apostrophe in front (lib.report.export.defuse); it is taken off again here. (A text that itself began with an
apostrophe before such a character comes back without it: the file cannot tell the two apart.)
"""
from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from lib.ingest.reading import InputError
from lib.ingest.schema import FIELDS
from lib.report.export import FORMULA_START

CSV_CHUNK = 200_000  # rows of posts.csv read at a time
_TEXT_COLUMNS = [f.name for f in FIELDS if f.kind in ("string", "category")] + ["source_file", "text_raw",
                                                                               "utc_offset"]


@dataclass(frozen=True)
class RunFolder:
    """A complete run's folder: which engine wrote it, its summary.json and its posts files in order."""
    path: Path
    engine: str  # "local" or "dask"
    summary: dict[str, Any]
    parts: tuple[Path, ...]  # posts.csv, or posts/part-N.parquet in partition order


@contextmanager
def _reading(path: Path) -> Iterator[None]:
    """Any failure to read `path` as one line for the user."""
    try:
        yield
    except (OSError, ValueError, KeyError, TypeError) as exc:
        why = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise InputError(f"{path}: cannot be read ({why})") from None


def _json(path: Path) -> dict[str, Any]:
    with _reading(path):
        doc = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(doc, dict):
        raise InputError(f"{path}: cannot be read (not a JSON object)")
    return doc


def open_run_folder(folder: str | Path) -> RunFolder:
    """The run in `folder`, checked to be complete; InputError (one line) when it is not a complete run."""
    from lib.distributed.engine import MARKER

    path = Path(folder).expanduser()
    if not path.is_dir():
        raise InputError(f"{folder}: no such folder (give the folder an analyze run wrote with --out)")
    summary = path / "summary.json"
    if (path / MARKER).is_file():
        marker = _json(path / MARKER)
        with _reading(path / MARKER):
            parts = tuple(path / p["file"] for p in marker["partitions"])
        missing = [p for p in parts if not p.is_file()]
        if missing or not parts:
            raise InputError(f"{path}: the run lists {missing[0] if missing else 'no'} posts file(s) that are not "
                             "there")
        return RunFolder(path, "dask", _summary(summary), parts)
    if (path / "posts").is_dir() or (path / "_partials").is_dir():
        raise InputError(f"{path}: not a complete run ({MARKER} is missing: the Dask run was interrupted or is still "
                         "going; run the same analyze command again to finish it)")
    if (path / "posts.csv").is_file():
        if not summary.is_file():
            raise InputError(f"{path}: not a complete run (summary.json is missing: the run was interrupted; run "
                             "the same analyze command again)")
        return RunFolder(path, "local", _summary(summary), (path / "posts.csv",))
    raise InputError(f"{path}: not an analysis run (no posts.csv or posts/ with {MARKER}; make one with "
                     "python -m lib analyze FILE --out DIR)")


def _summary(path: Path) -> dict[str, Any]:
    doc = _json(path)
    if not isinstance(doc.get("summary"), dict) or "posts" not in doc["summary"]:
        raise InputError(f"{path}: not the summary of an analysis run (no posts count)")
    return doc


def _undefused(frame: pd.DataFrame) -> pd.DataFrame:
    """posts.csv's text cells as they were before export took formulas out of them."""
    for c in frame.columns:
        s = frame[c]
        if s.dtype == object or pd.api.types.is_string_dtype(s):
            text = s.astype("string")
            hit = (text.str[:1] == "'") & text.str[1:2].isin(FORMULA_START)
            if hit.any():
                frame[c] = text.mask(hit.fillna(False), text.str[1:])
    return frame


def _csv_chunks(path: Path, columns: list[str] | None) -> Iterator[pd.DataFrame]:
    with _reading(path):
        header = list(pd.read_csv(path, nrows=0, encoding="utf-8-sig").columns)
        usecols = header if columns is None else [c for c in columns if c in header]
        yield from pd.read_csv(path, usecols=usecols, chunksize=CSV_CHUNK, encoding="utf-8-sig",
                               dtype={c: "string" for c in _TEXT_COLUMNS if c in usecols},
                               keep_default_na=False, na_values=[""], float_precision="round_trip")


def _pieces(run: RunFolder, columns: list[str] | None) -> Iterator[pd.DataFrame]:
    """The run's posts in order, a chunk or a partition at a time (only `columns` that exist, when given)."""
    if run.engine == "local":
        for chunk in _csv_chunks(run.parts[0], columns):
            yield _undefused(chunk)
        return
    import pyarrow.parquet as pq

    for part in run.parts:
        with _reading(part):
            names = pq.ParquetFile(part).schema_arrow.names
            yield pd.read_parquet(part, columns=names if columns is None else [c for c in columns if c in names])


def read_columns(run: RunFolder, columns: list[str]) -> pd.DataFrame:
    """Those of `columns` the run has, for every post (the cheap first pass: days, labels)."""
    return pd.concat(list(_pieces(run, columns)), ignore_index=True)


def read_rows(run: RunFolder, rows: np.ndarray | None = None) -> pd.DataFrame:
    """Every column of the posts at positions `rows` (sorted; None: every post), one piece at a time."""
    kept, start = [], 0
    for piece in _pieces(run, None):
        if rows is None:
            kept.append(piece)
        else:
            inside = rows[(rows >= start) & (rows < start + len(piece))] - start
            kept.append(piece.iloc[inside])
        start += len(piece)
    return pd.concat(kept, ignore_index=True) if kept else pd.DataFrame()


def read_excluded(run: RunFolder) -> pd.DataFrame:
    """DIR/excluded.csv (the rows the import left out, with the reason), or an empty table."""
    path = run.path / "excluded.csv"
    if not path.is_file():
        return pd.DataFrame({"reason": pd.Series(dtype="string")})
    with _reading(path):
        return _undefused(pd.read_csv(path, dtype="string", keep_default_na=False, na_values=[""],
                                      encoding="utf-8-sig"))


ALERT_COLUMNS = ("start", "end", "kind", "posts", "expected_posts", "negative_share", "baseline_negative_share",
                 "terms", "compared_with", "spam_share")
"""What the app keeps of each of a run's alerts (DIR/alerts.csv, `lib.listening.alerts.Alert.as_row`)."""
ALERT_OPTIONAL = ("brands",)
"""Kept where the run wrote them: a run written before they were added has none."""


def read_alerts(run: RunFolder) -> list[dict[str, Any]] | None:
    """DIR/alerts.csv's alerts, every post of the run counted (`ALERT_COLUMNS`, and `ALERT_OPTIONAL` where the
    run wrote them), or None when the run wrote none
    (no sentiment step, or no dates)."""
    path = run.path / "alerts.csv"
    if not path.is_file():
        return None
    with _reading(path):
        table = _undefused(pd.read_csv(path, encoding="utf-8-sig", dtype="string", keep_default_na=False))
    if not set(ALERT_COLUMNS) <= set(table.columns):
        return None
    from lib.listening.alerts import shown_terms

    table["terms"] = shown_terms(table)
    kept = [*ALERT_COLUMNS, *(c for c in ALERT_OPTIONAL if c in table)]
    return table[kept].to_dict("records")


TOP_VALUE = 20
"""The run's posts with the best value rank kept with a sampled dataset (the KPI lab's whole-run ranking): every
one of them is in the sample."""


def read_kpis(run: RunFolder, cols: pd.DataFrame) -> dict[str, Any] | None:
    """DIR/kpis.json's scorecard and the weights it was scored with ({"weights_name", "kpis": [{name, value,
    definition, formula}]}), and the run's `TOP_VALUE` best posts by value (`top_value`: post_id, value_rank,
    value_score, from `cols`: every post's columns as `read_columns` gives them); None without a kpis step."""
    path = run.path / "kpis.json"
    if not path.is_file():
        return None
    doc = _json(path)
    top: list[dict[str, Any]] = []
    if {"value_rank", "value_score"} <= set(cols.columns):
        rank = pd.to_numeric(cols["value_rank"], errors="coerce")
        best = cols.assign(value_rank=rank)[rank.notna()].nsmallest(TOP_VALUE, "value_rank")
        top = [{"post_id": str(p), "value_rank": int(r), "value_score": float(s)}
               for p, r, s in zip(best["post_id"], best["value_rank"], pd.to_numeric(best["value_score"]))]
    return {"weights_name": doc.get("weights_name"), "kpis": doc.get("kpis") or [], "top_value": top}


def read_topic_sizes(run: RunFolder) -> list[dict[str, Any]] | None:
    """topics.csv's topic, label, size and share of the whole run, or None without topics."""
    path = run.path / "topics.csv"
    if not path.is_file():
        return None
    with _reading(path):
        table = _undefused(pd.read_csv(path, encoding="utf-8-sig", usecols=["topic", "label", "size", "share"]))
    return [{"topic": int(t), "label": str(lab), "size": int(s), "share": float(sh)}
            for t, lab, s, sh in zip(table["topic"], table["label"], table["size"], table["share"])]


__all__ = ["ALERT_COLUMNS", "TOP_VALUE", "RunFolder", "open_run_folder", "read_alerts", "read_columns", "read_excluded",
           "read_kpis", "read_rows", "read_topic_sizes"]
