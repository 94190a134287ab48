"""The whole run's figures kept with a sampled dataset (`lib.ingest.runs`, metadata "run"), as the tables the
Overview's charts draw: volume per period and sentiment shares of every post, not of the sample."""
from __future__ import annotations

from typing import Any

import pandas as pd

from lib.listening.overview import period_start, pick_frequency

LABELS = ("positive", "neutral", "negative")


def is_sampled(run: dict[str, Any]) -> bool:
    """Whether a dataset opened from a run holds fewer posts than the run."""
    return int(run.get("posts_shown", 0)) < int(run.get("posts_total", 0))


def run_volume(run: dict[str, Any], freq: str | None = None) -> tuple[pd.DataFrame, str]:
    """Posts per period of the whole run (columns period, posts; empty periods 0) and the period used
    (`pick_frequency`'s choice for the run's span unless `freq` is given)."""
    days = pd.DataFrame(run.get("per_day") or [], columns=["day", "posts"])
    if days.empty:
        return pd.DataFrame(columns=["period", "posts"]), freq or "D"
    ts = pd.to_datetime(days["day"], utc=True)
    freq = freq or pick_frequency(pd.DataFrame({"created_at": ts}))
    counts = days.assign(period=period_start(ts, freq)).groupby("period")["posts"].sum()
    full = pd.date_range(counts.index.min(), counts.index.max(), freq=freq if freq != "W" else "W-MON")
    return counts.reindex(full, fill_value=0).rename_axis("period").reset_index(), freq


def sentiment_shares(run: dict[str, Any]) -> dict[str, float] | None:
    """The whole run's sentiment shares: the run's estimate (summary.json), else its label counts."""
    shares = run.get("sentiment_shares")
    if shares and all(isinstance(shares.get(k), (int, float)) for k in LABELS):
        return {k: float(shares[k]) for k in LABELS}
    labels = run.get("sentiment_labels") or {}
    total = sum(labels.values())
    return {k: labels.get(k, 0) / total for k in LABELS} if total else None


__all__ = ["is_sampled", "run_volume", "sentiment_shares"]
