"""Which dataset of the workspace already holds a run, so opening the same run twice (the Data page's "Or open an
analysis run", `python -m lib import DIR`) makes the dataset already there active instead of adding a copy: a
second copy would only split the user's labels, edits and results between two datasets (as for the bundled
samples, lib.ingest.samples.ensure_sample).

A run is its resolved folder and a fingerprint of what the run wrote last: summary.json (both engines write it
at the end, with the step timings, so every rerun changes it), the Dask engine's `_COMPLETE` (its partitions'
input fingerprints and the time it finished) and the sizes of the posts files. A folder a rerun wrote again is a
newer version of the run and opens as a new dataset; the one opened before stays as it was.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from lib.ingest.run_read import RunFolder

if TYPE_CHECKING:
    from lib.store.workspace import Workspace


def fingerprint(run: RunFolder) -> str:
    """The run's version: a hash of summary.json, the Dask marker (when there is one) and the posts files' sizes."""
    from lib.distributed.engine import MARKER

    h = hashlib.sha256()
    for path in (run.path / "summary.json", run.path / MARKER):
        if path.is_file():
            h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    for part in run.parts:
        h.update(f"{part.name}:{part.stat().st_size}\0".encode())
    return h.hexdigest()[:16]


@dataclass(frozen=True)
class Earlier:
    """What the workspace already holds of a run: `same`, the metadata of the newest dataset opened from this
    version of the run with the same posts (all of them, or the same sample); `older`, that of the newest dataset
    opened from an earlier version of it (the folder changed since); `this_version`, whether any dataset holds
    this version (with other posts: another sample)."""
    same: dict[str, Any] | None
    older: dict[str, Any] | None
    this_version: bool

    @property
    def newer_than(self) -> str | None:
        """The name of the dataset this version is newer than, when it is the first opened of this version."""
        return None if self.older is None or self.this_version else str(self.older["name"])


def _same_posts(run_meta: dict[str, Any], max_posts: int, seed: int) -> bool:
    """Whether opening with `max_posts` and `seed` would give the posts that dataset holds: every post, or the
    same seeded sample of the same size."""
    shown, total = int(run_meta["posts_shown"]), int(run_meta["posts_total"])
    return shown == min(max_posts, total) and (shown == total or run_meta.get("seed") == seed)


def earlier_opens(ws: Workspace, run: RunFolder, version: str, max_posts: int, seed: int) -> Earlier:
    """The datasets already opened from `run`'s folder, newest first (datasets opened before runs kept a
    fingerprint are not counted: nothing says which version they hold)."""
    folder = str(run.path.resolve())
    same = older = None
    this_version = False
    for ds_id in ws.list_datasets()["id"]:
        meta = ws.meta(ds_id)
        kept = meta.get("run") or {}
        if kept.get("folder") != folder or "fingerprint" not in kept:
            continue
        if kept["fingerprint"] != version:
            older = older or meta
        else:
            this_version = True
            if same is None and _same_posts(kept, max_posts, seed):
                same = meta
    return Earlier(same, older, this_version)


__all__ = ["Earlier", "earlier_opens", "fingerprint"]
