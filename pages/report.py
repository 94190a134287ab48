"""Report: not built yet. The page says so plainly and shows no numbers."""
from lib import app_state as state

state.not_built(
    "Report",
    "A self-contained HTML/PDF report of the active dataset, and exports of every table and chart.",
)
