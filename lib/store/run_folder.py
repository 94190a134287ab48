"""A fitted result kept as files in a run's output folder, so the app can open the run without refitting.

The same `Stored` a family gives the workspace (lib.store.results), written as plain files under
`DIR/results/<family>/`: `meta.json`, one Parquet file per frame, one file per binary blob. Both engines
(`analyze --engine local|dask`) write it; `python -m lib import DIR` and the Data page read it back. The
folder is written under a temporary name and renamed, so a killed run never leaves half a result that reads
as whole."""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pandas as pd

from lib.store.results import Storable, Stored

RESULTS = "results"


def result_dir(out: Path, family: str) -> Path:
    return Path(out) / RESULTS / family


def write_result(out: Path, result: Storable) -> Path:
    """`result` under `out/results/<family>/`, replacing what was there; returns that folder."""
    stored = result.to_stored()
    target = result_dir(out, result.family)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    (tmp / "meta.json").write_text(json.dumps(stored.meta, ensure_ascii=False, default=str), encoding="utf-8")
    for name, frame in stored.frames.items():
        frame.reset_index(drop=True).to_parquet(tmp / f"{name}.parquet", index=False)
    for name, blob in stored.blobs.items():
        (tmp / f"{name}.bin").write_bytes(blob)
    shutil.rmtree(target, ignore_errors=True)
    os.replace(tmp, target)
    return target


def read_stored(out: Path, family: str) -> Stored | None:
    """The stored result of `family` in run folder `out`, or None when the run has none (or it is unreadable)."""
    folder = result_dir(out, family)
    try:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        frames = {p.stem: pd.read_parquet(p) for p in sorted(folder.glob("*.parquet"))}
        blobs = {p.stem: p.read_bytes() for p in sorted(folder.glob("*.bin"))}
    except (OSError, ValueError):
        return None
    return Stored(meta, frames, blobs)


__all__ = ["RESULTS", "read_stored", "result_dir", "write_result"]
