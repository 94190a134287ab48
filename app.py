"""Listening Lab: social-media listening, topics, audiences and value KPIs, offline on a laptop.

Run with `make run` (or `streamlit run app.py`). Pages live in pages/; the engine in lib/.
"""
import logging
import os
from pathlib import Path

import streamlit as st

from lib.store.workspace import WorkspaceError
from lib.ui import jobs, session

# The tab icon is a file shipped with the app: a Material or emoji icon here makes the browser fetch the
# symbol from a public font server, and nothing may leave the machine.
ICON = Path(__file__).resolve().parent / "lib" / "ui" / "assets" / "icon.png"
st.set_page_config(page_title="Listening Lab", page_icon=str(ICON), layout="wide")

try:
    datasets = session.ws().list_datasets()
except WorkspaceError as exc:
    st.error(str(exc))
    st.caption("Close the other Listening Lab window using this workspace, or set LISTENING_LAB_WORKSPACE "
               "to another file, then reload.")
    st.stop()

jobs.warm_up()  # compile the topic pipeline in the background while the user looks around
has_data = not datasets.empty
pages = {
    "Your data": [
        # Overview is always the landing page ("/"): a default page has no URL of its own, so it must not
        # change between runs or bookmarked links would break.
        st.Page("pages/overview.py", title="Overview", icon=":material/dashboard:", default=True),
        st.Page("pages/data.py", title="Data", icon=":material/upload_file:"),
    ],
    "Analyse": [
        st.Page("pages/listening.py", title="Listening", icon=":material/mood:"),
        st.Page("pages/topics.py", title="Topics", icon=":material/topic:"),
        st.Page("pages/audience.py", title="Audience", icon=":material/groups:"),
        st.Page("pages/kpi_lab.py", title="KPI lab", icon=":material/tune:"),
        st.Page("pages/foresight.py", title="Foresight", icon=":material/trending_up:"),
    ],
    "Share": [
        st.Page("pages/report.py", title="Report", icon=":material/description:"),
        st.Page("pages/workshop.py", title="Workshop", icon=":material/school:"),
    ],
}
page = st.navigation(pages)

with st.sidebar:
    st.markdown("**Listening Lab**")
    if has_data:
        ids = datasets["id"].tolist()
        names = dict(zip(datasets["id"], datasets["name"]))
        rows = dict(zip(datasets["id"], datasets["rows"]))
        # The picker follows the active dataset (which other pages may change) and sets it when used.
        if st.session_state.get("dataset_picker") != session.active_id():
            st.session_state["dataset_picker"] = session.active_id()
        st.selectbox(
            "Active dataset", ids, format_func=lambda i: f"{names[i]} · {rows[i]:,} posts", key="dataset_picker",
            on_change=lambda: session.set_active(st.session_state["dataset_picker"]),
            help="Every page shows this dataset. Add or manage datasets on the Data page.")
    else:
        st.caption("No dataset yet: start on the Data page.")
    job = jobs.resume_auto(session.active_id()) if has_data else None  # also after a server restart
    if job is not None and not job.done:
        @st.fragment(run_every=2)
        def background() -> None:
            if job.done:
                st.rerun(scope="app")
            st.progress(min(1.0, job.fraction), text=f"In the background: {job.message}")

        background()
    elif job is not None and job.error:
        st.caption(f"The background analysis stopped ({job.error}); use the Topics and Audience pages' buttons.")
    with st.expander("Settings"):
        auto = st.toggle("Find topics and segments after each import", value=jobs.auto_enabled(),
                         disabled=os.environ.get(jobs.AUTO_ENV) is not None,
                         help="Right after a file or sample is imported, topics and then audience segments are "
                              "found in the background with the default settings, while you look at sentiment "
                              "and KPIs. Switch off on a slow machine; the pages' buttons still work.")
        if auto != jobs.auto_enabled() and os.environ.get(jobs.AUTO_ENV) is None:
            session.ws().set_setting("auto_analyse", "1" if auto else "0")
        if session.shared_mode():
            st.caption("Shared server: this browser session has its own private workspace. Keep this page's "
                       "address (its ?w= part) to come back to your data; nobody else can see it.")
        else:
            st.caption("Workspace file (set LISTENING_LAB_WORKSPACE to move it):")
            st.code(session.ws_path(), language=None)
        st.caption("Everything stays on this machine: no telemetry, no downloads.")

try:
    page.run()
except Exception as exc:  # a defect in a page: never a traceback for the user (st.stop and st.rerun are not Exceptions)
    logging.getLogger("listening_lab").exception("page %s failed", page.title)
    st.error(f"This page hit an internal error ({type(exc).__name__}). Your data is safe and unchanged, and the "
             "other pages still work. The details are in the terminal that runs the app; please report them.")
