"""Privacy before analysis: mask personal data in text and pseudonymise authors.

Pseudonyms are a keyed hash (HMAC-SHA256) of the author name with a secret salt kept in the
workspace, so the same person gets the same pseudonym in every dataset of that workspace while the
name cannot be recovered by hashing guesses without the salt.
"""
from __future__ import annotations

import hashlib
import hmac
import re
import secrets

import pandas as pd

PII_KINDS: dict[str, str] = {
    "emails": "e-mail addresses become [email]",
    "phones": "phone numbers become [phone]",
    "urls": "web links become [url]",
    "handles": "@mentions become @user",
}

_PATTERNS: dict[str, tuple[re.Pattern[str], str]] = {
    "emails": (re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-zA-Z]{2,}"), "[email]"),
    "urls": (re.compile(r"\b(?:https?://|www\.)[^\s<>\"']+", re.IGNORECASE), "[url]"),
    "phones": (re.compile(r"(?<![\w@])\+?\d[\d\s().-]{7,}\d(?!\w)"), "[phone]"),
    "handles": (re.compile(r"(?<![\w@])@\w{1,30}"), "@user"),
}
# Order matters: e-mails before handles (the @ inside an address), URLs before phones.
_ORDER = ("emails", "urls", "phones", "handles")


def new_salt() -> str:
    return secrets.token_hex(16)


def mask_text(values: pd.Series, kinds: set[str] | frozenset[str]) -> tuple[pd.Series, dict[str, int]]:
    """Replace the chosen kinds of personal data; returns the masked text and how many of each were found."""
    unknown = set(kinds) - set(PII_KINDS)
    if unknown:
        raise ValueError(f"unknown PII kinds: {sorted(unknown)}")
    s = values.astype("string")
    counts: dict[str, int] = {}
    for kind in _ORDER:
        if kind not in kinds:
            continue
        pattern, token = _PATTERNS[kind]
        counts[kind] = int(s.str.count(pattern).fillna(0).sum())
        s = s.str.replace(pattern, token, regex=True)
    return s, counts


def pseudonymise(values: pd.Series, salt: str) -> pd.Series:
    """Stable pseudonyms ("user_3fa9c1d2e4") for author names; empty stays empty."""
    if not salt:
        raise ValueError("a salt is required for pseudonymisation")
    key = salt.encode()
    s = values.astype("string")
    uniq = s.dropna().unique()
    lookup = {u: "user_" + hmac.new(key, u.strip().lower().encode(), hashlib.sha256).hexdigest()[:10]
              for u in uniq}
    return s.map(lookup).astype("string")
