"""The one module of `lib` that imports Streamlit: cached access to the workspace and the active dataset.

Pages stay thin: they call these wrappers, which call the pure engine and cache its results, so a
widget change never reloads or recomputes what is already known.
"""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import streamlit as st

from lib.ingest import ImportOptions, ImportResult, Source, build_posts, source_from_bytes
from lib.store import Workspace, default_path

ACTIVE = "active_dataset"
SAMPLES = {
    "connectsphere": ("ConnectSphere: AI Assist launch", "B2B SaaS conference platform, 3,000 posts over 30 days"),
    "gamerfuel": ("GamerFuel: aftertaste crisis", "Snack brand and two competitors, 5,000 posts over 60 days"),
}
SAMPLE_DIR = Path(__file__).resolve().parent.parent / "sample_data"


@st.cache_resource(show_spinner=False)
def workspace(path: str) -> Workspace:
    return Workspace(path)


def ws_path() -> str:
    """The workspace file: LISTENING_LAB_WORKSPACE or the per-user default."""
    return str(st.session_state.get("workspace_path") or default_path())


def ws() -> Workspace:
    return workspace(ws_path())


@st.cache_data(show_spinner=False, max_entries=6)
def load_posts(path: str, ds_id: str) -> pd.DataFrame:
    """A saved dataset's posts; datasets never change after saving, so the id is a complete key."""
    return workspace(path).load_posts(ds_id)


def active_id() -> str | None:
    ds = st.session_state.get(ACTIVE)
    if ds and ws().exists(ds):
        return ds
    datasets = ws().list_datasets()
    if datasets.empty:
        st.session_state.pop(ACTIVE, None)
        return None
    st.session_state[ACTIVE] = datasets["id"].iloc[0]
    return st.session_state[ACTIVE]


def active_posts() -> tuple[str, pd.DataFrame] | None:
    ds = active_id()
    if ds is None:
        return None
    return ds, load_posts(ws_path(), ds)


def require_dataset() -> tuple[str, pd.DataFrame]:
    """The active dataset, or a plain message with a link to the Data page (and the page stops)."""
    got = active_posts()
    if got is None:
        st.info("No dataset yet. Upload an export or load a sample on the Data page.")
        st.page_link("pages/data.py", label="Go to Data", icon=":material/upload_file:")
        st.stop()
    return got


@st.cache_data(show_spinner=False, max_entries=16)
def read_upload(data: bytes, name: str) -> Source:
    return source_from_bytes(data, name)


@st.cache_data(show_spinner=False, max_entries=8)
def preview_import(_sources: list[Source], key: str, options: ImportOptions) -> ImportResult:
    """Build the canonical table for a mapping; `key` identifies the files and mappings for the cache."""
    return build_posts(_sources, options)


def import_sample(key: str) -> str:
    """Import a bundled sample with its guessed mapping; returns the new dataset id."""
    path = SAMPLE_DIR / f"{key}.csv"
    src = source_from_bytes(path.read_bytes(), path.name)
    result = build_posts([src], ImportOptions())
    ds_id = ws().save_dataset(SAMPLES[key][0], result, {"sample": key})
    st.session_state[ACTIVE] = ds_id
    return ds_id


def forget_dataset_caches() -> None:
    load_posts.clear()


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:])")


def md_escape(text: object) -> str:
    """Make user-supplied text inert inside Markdown (no links, images, emphasis or HTML)."""
    return _MD_SPECIAL.sub(r"\\\1", str(text))
