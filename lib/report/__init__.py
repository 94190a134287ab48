"""What leaves the app: the client report (its inputs and blocks in `data`, one function per section in
`sections` with its cells made text by `formatting`, assembled by `build`, written to HTML and PDF by `render`),
charts as static images (`static_charts`), and formula-safe CSV/Excel/Parquet exports (`export`)."""
