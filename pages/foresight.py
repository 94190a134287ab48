"""Foresight: not built yet. The page says so plainly and shows no numbers."""
from lib import app_state as state

state.not_built(
    "Foresight",
    "Predicted content performance with its honest error, and forecasts of topics and sentiment.",
)
