"""KPI lab: not built yet. The page says so plainly and shows no numbers."""
from lib import app_state as state

state.not_built(
    "KPI lab",
    "Value-over-vanity KPIs (engagement quality, sentiment trajectory, share of voice vs share of influence, audience authenticity) with weights you tune live.",
)
