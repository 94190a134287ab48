"""Report: not built yet. The page says so plainly and shows no numbers."""
import streamlit as st

from lib import app_state as state

state.ensure_navigation()

st.title("Report")
st.info("Not built yet. This page will show: A self-contained HTML/PDF report of the active dataset, and exports of every table and chart.", icon=":material/construction:")
got = state.active_posts()
if got is not None:
    st.caption(f"Active dataset: {len(got[1]):,} posts are ready for it on the Overview and Data pages.")
