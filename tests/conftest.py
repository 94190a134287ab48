"""Shared fixtures: the real public datasets (optional) and throwaway workspaces."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SHARED = ROOT.parent / "shared" / "data"


@pytest.fixture
def shared() -> Path:
    if not SHARED.is_dir():
        pytest.skip("../shared/data is not present on this machine")
    return SHARED


@pytest.fixture
def workspace(tmp_path):
    from lib.store.workspace import Workspace

    ws = Workspace(tmp_path / "ws.duckdb")
    yield ws
    ws.close()


def write(tmp_path: Path, name: str, data: bytes | str, encoding: str = "utf-8") -> Path:
    p = tmp_path / name
    p.write_bytes(data if isinstance(data, bytes) else data.encode(encoding))
    return p


@pytest.fixture(autouse=True)
def no_background_analysis(monkeypatch, request):
    """Topics and segments start by themselves after an import in the app; tests press the buttons themselves,
    except those about the background analysis (named so)."""
    if "background" not in request.node.name:
        monkeypatch.setenv("LISTENING_LAB_AUTO", "0")


@pytest.fixture(autouse=True)
def main_module_restored():
    """Streamlit's AppTest leaves the app script as `sys.modules["__main__"]`; processes started afterwards by spawn
    (the Dask tests' LocalCluster workers) would then run app.py at start and fail. Each test gets it back."""
    main = sys.modules["__main__"]
    yield
    sys.modules["__main__"] = main
