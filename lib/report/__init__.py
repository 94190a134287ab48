"""What leaves the app: the client report (sections computed from the data, rendered to HTML and PDF), charts as
static images, and formula-safe CSV/Excel/Parquet exports."""
