"""Topics: not built yet. The page says so plainly and shows no numbers."""
from lib import app_state as state

state.not_built(
    "Topics",
    "What people talk about, found by BERTopic with offline embeddings: topics, their growth and how each one feels, with renaming and merging that persist.",
)
