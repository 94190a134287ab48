"""The one save/load protocol between an analysis family and the workspace.

A fitted result (topics, segments, ...) turns itself into a `Stored`: JSON-able metadata, named frames and named
binary blobs. The workspace keeps those under the family's name and hands them back; it never imports the
family's code, so adding an analysis never touches the store, and the store never decides anything about a
result (e.g. which embedding model it used)."""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from typing import Any, ClassVar, Protocol, Self, TypeVar

import pandas as pd


@dataclass(frozen=True)
class Stored:
    """What a family gives the workspace to keep for one dataset. `meta` must survive `json.dumps`; frames need
    distinct text column names and come back with their dtypes but not their index (lib.store.result_tables)."""
    meta: dict[str, Any]
    frames: dict[str, pd.DataFrame] = field(default_factory=dict)
    blobs: dict[str, bytes] = field(default_factory=dict)


class Storable(Protocol):
    """A frozen result the workspace can keep: `family` names it in the workspace (one result per family and
    dataset; saving replaces the previous one in one transaction). `Workspace.save_result(ds_id, result)`,
    `load_result(ds_id, cls)` and `result_stamp(ds_id, family)` (when it was saved: a cache key) use it."""
    family: ClassVar[str]

    def to_stored(self) -> Stored: ...

    @classmethod
    def from_stored(cls, stored: Stored) -> Self: ...


S = TypeVar("S")


def settings_to_json(settings: Any) -> str:
    """A frozen `*Settings` dataclass as JSON text (keys sorted, so equal settings give equal text: a cache key)."""
    return json.dumps(asdict(settings), sort_keys=True)


def settings_from_json(cls: type[S], text: str) -> S:
    """The frozen `*Settings` dataclass `cls` back from `settings_to_json`'s text.

    JSON lists come back as tuples (nested too), so the settings stay hashable; keys the class no longer has are
    ignored and keys it gained take their defaults, so settings saved by an older version still load."""
    data = json.loads(text)
    names = {f.name for f in fields(cls)}  # type: ignore[arg-type]
    return cls(**{k: _tuples(v) for k, v in data.items() if k in names})


def _tuples(value: Any) -> Any:
    return tuple(_tuples(v) for v in value) if isinstance(value, list) else value
