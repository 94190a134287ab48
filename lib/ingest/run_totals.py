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
    freq = freq or pick_frequency(pd.DataFrame({"created_at": pd.to_datetime(days["day"], utc=True)}))
    return _by_period(days, ["posts"], freq), freq


def _by_period(days: pd.DataFrame, columns: list[str], freq: str) -> pd.DataFrame:
    """Per-day counts (a `day` column and `columns`) added up per period, every period from the first to the last
    (0 where none): columns period and `columns`."""
    counts = days.assign(period=period_start(pd.to_datetime(days["day"], utc=True), freq)) \
        .groupby("period")[columns].sum()
    full = pd.date_range(counts.index.min(), counts.index.max(), freq=freq if freq != "W" else "W-MON")
    return counts.reindex(full, fill_value=0).rename_axis("period").reset_index()


def sentiment_shares(run: dict[str, Any]) -> dict[str, float] | None:
    """The whole run's sentiment shares: the run's estimate (summary.json), else its label counts."""
    shares = run.get("sentiment_shares")
    if shares and all(isinstance(shares.get(k), (int, float)) for k in LABELS):
        return {k: float(shares[k]) for k in LABELS}
    labels = run.get("sentiment_labels") or {}
    total = sum(labels.values())
    return {k: labels.get(k, 0) / total for k in LABELS} if total else None


def run_sentiment_over_time(run: dict[str, Any], freq: str) -> pd.DataFrame:
    """The whole run's posts of each sentiment per period, with their shares (the columns of
    `lib.listening.trends.trajectory` that `lib.listening.charts.sentiment_share_chart` draws: period, posts,
    positive, neutral, negative, share_*); empty when the run has no sentiment labels."""
    cols = ["period", "posts", *LABELS, *(f"share_{k}" for k in LABELS)]
    days = pd.DataFrame(run.get("per_day") or [])
    if days.empty or not set(LABELS) & set(days.columns):
        return pd.DataFrame(columns=cols)
    out = _by_period(days.reindex(columns=["day", *LABELS], fill_value=0).fillna(0), list(LABELS), freq)
    out["posts"] = out[list(LABELS)].sum(axis=1)
    for k in LABELS:
        out[f"share_{k}"] = out[k] / out["posts"].where(out["posts"] > 0)
    return out[cols]


def run_alerts(run: dict[str, Any]) -> pd.DataFrame | None:
    """The whole run's spike alerts (DIR/alerts.csv, as kept when the run was opened; `run_read.ALERT_COLUMNS`),
    or None for a run without them (no sentiment step, no dates, or opened before they were kept)."""
    alerts = run.get("alerts")
    if alerts is None:
        return None
    table = pd.DataFrame(alerts)
    for c in ("posts", "expected_posts", "negative_share", "baseline_negative_share", "spam_share"):
        if c in table:
            table[c] = pd.to_numeric(table[c], errors="coerce")
    return table


def run_topics_over_time(run: dict[str, Any], freq: str) -> pd.DataFrame:
    """Posts per period of the whole run's largest topics, with each topic's share of the period's posts (the
    columns of `lib.topics.views.over_time`, so the Topics page's chart draws it); empty without them."""
    cols = ["period", "topic", "topic_label", "posts", "share"]
    days = pd.DataFrame(run.get("topic_days") or [], columns=["day", "topic", "posts"])
    if days.empty:
        return pd.DataFrame(columns=cols)
    labels = {int(t["topic"]): str(t["label"]) for t in run.get("topics") or []}
    days["period"] = period_start(pd.to_datetime(days["day"], utc=True), freq)
    counts = days.groupby(["period", "topic"])["posts"].sum().reset_index()
    totals, _ = run_volume(run, freq)
    counts["share"] = counts["posts"] / counts["period"].map(totals.set_index("period")["posts"])
    counts["topic_label"] = counts["topic"].map(lambda t: labels.get(int(t), f"Topic {t}"))
    return counts[cols]


__all__ = ["is_sampled", "run_alerts", "run_sentiment_over_time", "run_topics_over_time", "run_volume",
           "sentiment_shares"]
