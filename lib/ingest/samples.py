"""The bundled course scenarios (sample_data/) as ready-made datasets."""
from __future__ import annotations

from pathlib import Path

from lib.ingest.build import ImportOptions, build_posts, open_sources
from lib.store.workspace import Workspace

SAMPLE_DIR = Path(__file__).resolve().parents[2] / "sample_data"
SAMPLES: dict[str, tuple[str, str]] = {
    "connectsphere": ("ConnectSphere: AI Assist launch", "B2B SaaS conference platform, 3,000 posts over 30 days"),
    "gamerfuel": ("GamerFuel: aftertaste crisis", "Snack brand and two competitors, 5,000 posts over 60 days"),
}


def import_sample(ws: Workspace, key: str) -> str:
    """Import one scenario with its guessed mapping; returns the new dataset id."""
    result = build_posts(open_sources([SAMPLE_DIR / f"{key}.csv"]), ImportOptions())
    return ws.save_dataset(SAMPLES[key][0], result.posts, result.excluded, result.report, raw=result.raw,
                           extra_meta={"sample": key})


def sample_datasets(ws: Workspace, key: str) -> list[str]:
    """The ids of the datasets imported from one scenario, newest first."""
    return [i for i in ws.list_datasets()["id"] if ws.meta(i).get("sample") == key]


def ensure_sample(ws: Workspace, key: str) -> tuple[str, bool]:
    """The scenario's dataset and whether it was already there: the newest copy in the workspace, else a fresh
    import. A second copy would only split the user's labels, edits and results between two datasets."""
    existing = sample_datasets(ws, key)
    return (existing[0], True) if existing else (import_sample(ws, key), False)


def seed_if_empty(ws: Workspace) -> list[str]:
    """On first use (no dataset at all) import every scenario, so the app opens on real-looking data."""
    if not ws.list_datasets().empty:
        return []
    return [import_sample(ws, key) for key in reversed(list(SAMPLES))]
