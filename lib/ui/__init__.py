"""The only code that imports Streamlit: the session's workspace and active dataset, cached wrappers around the
pipeline, the background job and the widgets more than one page shows."""
