"""Listening: not built yet. The page says so plainly and shows no numbers."""
import streamlit as st

from lib import app_state as state

state.ensure_navigation()

st.title("Listening")
st.info("Not built yet. This page will show: Sentiment (VADER and a stronger offline model), emotion, intent and aspects of every post; sentiment over time with spike alerts; advocates and detractors.", icon=":material/construction:")
got = state.active_posts()
if got is not None:
    st.caption(f"Active dataset: {len(got[1]):,} posts are ready for it on the Overview and Data pages.")
