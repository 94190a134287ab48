"""Guided course exercises: the course text as data, and the facts each exercise quotes, computed from the
dataset. No page paths or widget keys live here."""
