"""This browser session's workspace and active dataset.

The workspace file comes from LISTENING_LAB_WORKSPACE or the per-user default; on a shared server
(LISTENING_LAB_SHARED=1) every browser session gets its own private file. Posts are read once per dataset and
shared between reruns and sessions (datasets never change after saving)."""
from __future__ import annotations

import os
import re
import uuid

import pandas as pd
import streamlit as st

from lib import pipeline
from lib.store.workspace import Workspace, default_path

ACTIVE = "active_dataset"


@st.cache_resource(show_spinner=False, max_entries=32)
def workspace(path: str) -> Workspace:
    """One open workspace per file; bounded, since a shared server opens one per browser session."""
    return Workspace(path)


def ensure_navigation() -> None:
    """Run every page through app.py's st.navigation, even on a fresh server's very first session.

    Streamlit treats an app with a `pages/` folder as a legacy multipage app until some session has
    called st.navigation; the first visitor of a fresh server who opens a page URL directly (a bookmark
    to /data) would get that page without app.py: no sidebar, no settings. The page calls this first;
    it switches the process to st.navigation mode once and reruns through app.py.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


SHARED_ENV = "LISTENING_LAB_SHARED"
_TOKEN = re.compile(r"^[0-9a-f]{32}$")


def shared_mode() -> bool:
    """LISTENING_LAB_SHARED=1: a demo server shared by several people; every browser session gets its own
    private workspace (see README, "Shared server")."""
    return os.environ.get(SHARED_ENV, "").strip().lower() in ("1", "true", "yes")


def ws_path() -> str:
    """The workspace file: LISTENING_LAB_WORKSPACE or the per-user default; in shared mode, this browser
    session's own file, named by a random token kept in the page address (?w=...), so a reload or a bookmark
    finds it again and nobody can guess another session's."""
    if st.session_state.get("workspace_path"):
        return str(st.session_state["workspace_path"])
    if not shared_mode():
        return str(default_path())
    token = st.session_state.get("workspace_token") or st.query_params.get("w", "")
    if not _TOKEN.match(str(token)):
        token = uuid.uuid4().hex
    st.session_state["workspace_token"] = token
    if st.query_params.get("w") != token:
        st.query_params["w"] = token
    return str(default_path().parent / "sessions" / f"{token}.duckdb")


def ws() -> Workspace:
    return workspace(ws_path())


@st.cache_resource(show_spinner=False, max_entries=4)
def _stored_posts(path: str, ds_id: str) -> pd.DataFrame:
    """One shared frame per saved dataset; datasets never change after saving, so the id is a complete key."""
    return pipeline.load_posts(workspace(path), ds_id)


def load_posts(path: str, ds_id: str) -> pd.DataFrame:
    """A saved dataset's posts, as the caller's own copy.

    A resource, not st.cache_data: unpickling a private 100k-row frame on every rerun cost ~0.45 s. Under
    copy-on-write (set in lib) a shallow copy costs nothing and a page that adds or changes a column changes
    only its copy, never the shared frame."""
    return _stored_posts(path, ds_id).copy(deep=False)


def active_id() -> str | None:
    """The dataset every page shows: this session's choice, else the workspace's last one, else the newest."""
    w = ws()
    for ds in (st.session_state.get(ACTIVE), w.get_setting("active_dataset")):
        if ds and w.exists(ds):
            st.session_state[ACTIVE] = ds
            return ds
    datasets = w.list_datasets()
    if datasets.empty:
        st.session_state.pop(ACTIVE, None)
        return None
    return set_active(datasets["id"].iloc[0])


def set_active(ds_id: str) -> str:
    """Make a dataset the active one, for this session and the next time the app opens."""
    st.session_state[ACTIVE] = ds_id
    ws().set_setting("active_dataset", ds_id)
    return ds_id


def active_posts() -> tuple[str, pd.DataFrame] | None:
    ds = active_id()
    if ds is None:
        return None
    return ds, load_posts(ws_path(), ds)
