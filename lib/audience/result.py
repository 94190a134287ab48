"""The segments model's two frozen halves: `SegmentSettings` in, `SegmentResult` out (of `fit_segments`), and how a
result is kept in the workspace (the store's save/load protocol, lib.store.results)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

import pandas as pd

from lib.audience.features import FEATURE_GROUPS
from lib.store.results import Stored, settings_from_json, settings_to_json

NOISE = -1  # the segment of authors HDBSCAN leaves unassigned


@dataclass(frozen=True)
class SegmentSettings:
    """Everything that determines the segments; equal settings on equal data give equal segments."""
    groups: tuple[str, ...] = tuple(FEATURE_GROUPS)
    weights: tuple[tuple[str, float], ...] = ()  # group -> weight (default 1)
    neighbours: int = 15        # UMAP neighbourhood: small = many local segments, large = broad ones
    min_segment: int = 0        # smallest segment in authors; 0 = automatic (3 % of authors, 8 to 1,000)
    strictness: int = 5         # HDBSCAN min_samples: higher = more authors left as noise
    seed: int = 42
    unit: str = "authors"       # "authors", or "posts" when there are no authors to speak of

    def to_json(self) -> str:
        return settings_to_json(self)

    @classmethod
    def from_json(cls, text: str) -> SegmentSettings:
        return settings_from_json(cls, text)

    def resolved_min_size(self, n: int) -> int:
        return int(self.min_segment) if self.min_segment > 0 else int(max(8, min(1000, round(n * 0.03))))


@dataclass(frozen=True, eq=False)  # eq=False: frames have no single truth value; identity is equality
class SegmentResult:
    """Segments of one dataset, small enough to store and reload without refitting."""
    settings: SegmentSettings
    authors: pd.DataFrame       # author, segment (-1 noise), nearest_segment, probability, x, y, features...
    groups: dict[str, list[str]]  # feature group -> its columns in `authors`
    personas: pd.DataFrame      # segment, name, description, authors, share, ... (see personas.profiles)
    metrics: dict[str, Any] = field(default_factory=dict)

    family: ClassVar[str] = "segments"

    def to_stored(self) -> Stored:
        return Stored(meta={"settings": self.settings.to_json(), "groups": self.groups, "metrics": self.metrics},
                      frames={"authors": self.authors, "personas": self.personas})

    @classmethod
    def from_stored(cls, stored: Stored) -> SegmentResult:
        meta = stored.meta
        return cls(SegmentSettings.from_json(meta["settings"]), stored.frames["authors"], dict(meta["groups"]),
                   stored.frames["personas"], dict(meta.get("metrics", {})))
