"""Guided course exercises: the course text as data (`exercises.toml`, loaded and checked by `exercises`), the
facts each exercise quotes, computed from the dataset (`facts`), and the student's hand-in (`handin`). No page
paths or widget keys live here (they are UI: lib/ui/workshop_links.py)."""
