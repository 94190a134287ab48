"""Engagement and its rate: the counts every KPI, the value model and the foresight target are built on."""
from __future__ import annotations

import numpy as np
import pandas as pd

# `engagements` is an export's total where it gives no parts (import keeps it only then), so the sum never
# counts an interaction twice
ENGAGEMENT_PARTS = ("likes", "comments", "shares", "saves", "engagements")
RATE_BASES = ("reach", "impressions", "followers", "views")


def numeric(posts: pd.DataFrame, col: str) -> pd.Series:
    """A column as floats (unparseable values NaN); all NaN when the column is absent."""
    if col not in posts:
        return pd.Series(np.nan, index=posts.index, dtype=float)
    return pd.to_numeric(posts[col], errors="coerce").astype(float)


def has_counts(posts: pd.DataFrame, col: str) -> bool:
    """The column exists and counts something (some value above 0)."""
    return col in posts and numeric(posts, col).notna().any() and numeric(posts, col).fillna(0).sum() > 0


def has_engagement(posts: pd.DataFrame) -> bool:
    """Whether the posts count any engagement (likes, comments, shares, saves or total engagements above 0)."""
    return any(has_counts(posts, c) for c in ENGAGEMENT_PARTS)


def engagement(posts: pd.DataFrame) -> pd.Series:
    """likes + comments + shares (+ saves where exported), or the export's total engagements where it gives
    only that; a missing count counts as 0."""
    parts = [numeric(posts, c).fillna(0) for c in ENGAGEMENT_PARTS if c in posts]
    return sum(parts) if parts else pd.Series(0.0, index=posts.index)  # type: ignore[return-value]


def rate_basis(posts: pd.DataFrame) -> str | None:
    """The denominator for engagement rate: reach, else impressions, else followers, else views."""
    return next((b for b in RATE_BASES if has_counts(posts, b)), None)


def engagement_rate(posts: pd.DataFrame) -> tuple[pd.Series, str | None]:
    """Engagement per unit of the rate basis (NaN where the basis is 0 or missing), and the basis used."""
    basis = rate_basis(posts)
    if basis is None:
        return pd.Series(np.nan, index=posts.index), None
    den = numeric(posts, basis)
    return engagement(posts) / den.where(den > 0), basis
