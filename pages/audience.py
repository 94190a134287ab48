"""Audience: not built yet. The page says so plainly and shows no numbers."""
from lib import app_state as state

state.not_built(
    "Audience",
    "Authors clustered by behaviour with UMAP and HDBSCAN, shown on a map, each segment described as a persona.",
)
