"""Listening: not built yet. The page says so plainly and shows no numbers."""
from lib import app_state as state

state.not_built(
    "Listening",
    "Sentiment (VADER and a stronger offline model), emotion, intent and aspects of every post; sentiment over time with spike alerts; advocates and detractors.",
)
