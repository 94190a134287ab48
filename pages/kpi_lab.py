"""KPI lab: not built yet. The page says so plainly and shows no numbers."""
import streamlit as st

from lib import app_state as state

state.ensure_navigation()

st.title("KPI lab")
st.info("Not built yet. This page will show: Value-over-vanity KPIs (engagement quality, sentiment trajectory, share of voice vs share of influence, audience authenticity) with weights you tune live.", icon=":material/construction:")
got = state.active_posts()
if got is not None:
    st.caption(f"Active dataset: {len(got[1]):,} posts are ready for it on the Overview and Data pages.")
