"""The one save/load protocol between an analysis family and the workspace.

A fitted result (topics, segments, ...) turns itself into a `Stored`: JSON-able metadata, named frames and named
binary blobs. The workspace keeps those under the family's name and hands them back; it never imports the
family's code, so adding an analysis never touches the store, and the store never decides anything about a
result (e.g. which embedding model it used)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol, Self

import pandas as pd


@dataclass(frozen=True)
class Stored:
    """What a family gives the workspace to keep for one dataset. `meta` must survive `json.dumps`."""
    meta: dict[str, Any]
    frames: dict[str, pd.DataFrame] = field(default_factory=dict)
    blobs: dict[str, bytes] = field(default_factory=dict)


class Storable(Protocol):
    """A frozen result the workspace can keep: `family` names it in the workspace (one result per family and
    dataset; saving replaces the previous one in one transaction)."""
    family: ClassVar[str]

    def to_stored(self) -> Stored: ...

    @classmethod
    def from_stored(cls, stored: Stored) -> Self: ...
