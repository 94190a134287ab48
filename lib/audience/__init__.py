"""Audience segments: author (or post) behaviour features, UMAP + HDBSCAN (`fit_segments`), personas that
describe each segment, the views and the charts."""
