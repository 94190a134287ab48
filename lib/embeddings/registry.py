"""The one list of embedding backends: the names settings, the command line and the pages use, what users
read, and how "auto" and a missing model are resolved.

Order matters: "auto" takes the first installed backend, the fastest (WordLlama, else MiniLM, else TF-IDF, which
is always there). E5, the multilingual one and the slowest, comes last, so "auto" never picks it: the pipeline
does, for datasets with many posts in other languages (lib.pipeline.topic_backend).
A backend asked for by name that is not installed falls back to TF-IDF, which needs no model; the result's
stored model id says which one ran.
"""
from __future__ import annotations

from lib.embeddings._base import Backend
from lib.embeddings.e5 import E5, LEGACY
from lib.embeddings.minilm import MiniLM
from lib.embeddings.tfidf import TfidfSvd
from lib.embeddings.wordllama import WordLlama

AUTO = "auto"
BACKENDS: dict[str, Backend] = {b.key: b for b in (WordLlama(), MiniLM(), TfidfSvd(), E5())}  # fastest first
FALLBACK = TfidfSvd.key
CHOICES: dict[str, str] = {AUTO: "the fastest installed: WordLlama, else MiniLM, else TF-IDF"} | \
    {key: b.description for key, b in BACKENDS.items()}  # every name a user or a setting may give


def resolve(choice: str) -> str:
    """The backend `embed` uses for a choice: "auto" is the first installed one; a named one that is not
    installed is the fallback."""
    if choice not in CHOICES:
        raise ValueError(f"Unknown embeddings {choice!r}: use {', '.join(CHOICES)}")
    if choice == AUTO:
        return next(key for key, b in BACKENDS.items() if b.available())
    return choice if BACKENDS[choice].available() else FALLBACK


def describe(choice: str) -> str:
    """The line shown for a choice; "auto" says which backend it is here."""
    return f"Automatic: {CHOICES[resolve(AUTO)]}" if choice == AUTO else CHOICES[choice]


def by_model_id(model_id: str) -> Backend | None:
    """The backend that made vectors or a result stored under this model id (None if unknown); an earlier
    version's id finds the backend that makes its vectors as they were made then."""
    return next((b for b in (*BACKENDS.values(), *LEGACY) if b.model_id == model_id), None)


def display_name(model_id: str) -> str:
    """What users read for a stored model id ("WordLlama"); an unknown id is shown as it is."""
    found = by_model_id(model_id)
    return found.display_name if found is not None else model_id
