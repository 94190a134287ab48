"""Workshop: not built yet. The page says so plainly and shows no numbers."""
from lib import app_state as state

state.not_built(
    "Workshop",
    "Guided exercises on the ConnectSphere and GamerFuel sample scenarios.",
)
