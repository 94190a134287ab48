"""The audience step on the Dask engine: the local engine's segments, authors.csv, segments.csv and per-post
`segment`/`persona`, with the features built from partition aggregates (`audience_parts`), never the posts.

1. Parts: every partition's per-author sums, counts, maxima, distinct (author, day) pairs and mix counts.
2. The client adds them into exactly the table `author_features` builds from all posts (`author_table`),
   decides the settings as the pipeline does (unit, thin-data defaults) from the per-author post counts, and
   fits once (`segments_from_table`): authors are far fewer than posts. When the unit is posts (too few
   repeat authors) the parts are keyed by post id: one row of numbers per post on the client, no text.
3. Write: every partition's Parquet file gets `segment` and `persona`.
"""
from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from lib.audience.features import MIXES, SENTIMENT_COLUMNS, activity_columns, clock, mostly_unread
from lib.distributed.audience_parts import author_parts, write_segments
from lib.distributed.kpis import _submit_all
from lib.distributed.partitions import Planned
from lib.distributed.tasks import RETRIES, posts_path
from lib.ingest.reading import InputError
from lib.kpis.engagement import RATE_BASES
from lib.listening.emotion import NOT_READ

_MAX = ("last", "followers:max")


def _mean(merged: pd.DataFrame, name: str) -> np.ndarray:
    s, c = merged[f"{name}:sum"].to_numpy(dtype=float), merged[f"{name}:n"].to_numpy(dtype=float)
    return np.where(c > 0, s / np.maximum(c, 1), np.nan)


def _activity(out: pd.DataFrame, merged: pd.DataFrame, parts: list[dict], unit: str) -> list[str]:
    """`features._activity` from the parts."""
    if any(p["facts"].get("dated") for p in parts):
        days = pd.concat([p["days"] for p in parts if len(p["days"])]).drop_duplicates().groupby("key").size()
        out["active_days"] = days.reindex(out.index, fill_value=0).to_numpy()
        last = max(p["facts"]["last"] for p in parts if p["facts"].get("dated"))
        out["days_since_last"] = (last - merged["last"].to_numpy(dtype=float)) / 86400
        if any(p["facts"].get("timed") for p in parts):
            sin, cos = _mean(merged, "sin"), _mean(merged, "cos")
            for name, values in clock(sin, cos).items():
                out[name] = values
        out["weekend_share"] = _mean(merged, "weekend")
    return activity_columns("active_days" in out, unit, "hour_sin" in out)


def _engagement(out: pd.DataFrame, merged: pd.DataFrame, parts: list[dict], groups: dict[str, list[str]]) -> None:
    """`features._engagement` from the parts (the rate basis decided over all partitions, as `rate_basis`)."""
    facts = [p["facts"] for p in parts]
    if sum(f["engagement"] for f in facts) > 0:
        out["engagement_per_post"] = _mean(merged, "eng")
        cols = ["engagement_per_post"]
        filled = {c for f in facts for c in f.get("filled", [])}
        basis = next((b for b in RATE_BASES if b in filled and merged[f"{b}:total"].sum() > 0), None)
        if basis:
            e_sum, b_sum = merged["eng:sum"].to_numpy(dtype=float), merged[f"{basis}:total"].to_numpy(dtype=float)
            out["engagement_rate"] = np.where(b_sum > 0, e_sum / np.maximum(b_sum, 1), np.nan)
            cols.append("engagement_rate")
        present = {c for f in facts for c in f.get("present", [])}
        if {"comments", "likes"} <= present:
            out["comments_per_like"] = merged["comments:total"].to_numpy() / (merged["likes:total"].to_numpy() + 1)
            cols.append("comments_per_like")
        groups["engagement"] = cols
    if any(f.get("replies") for f in facts):
        out["reply_share"] = _mean(merged, "reply")
        groups.setdefault("engagement", []).append("reply_share")


def _mixes(out: pd.DataFrame, parts: list[dict], rows: int, groups: dict[str, list[str]]) -> None:
    """`features._mix` from the parts: the common values over all posts, then each key's share of them."""
    long = pd.concat([p["mixes"] for p in parts], ignore_index=True)
    filled = {g for p in parts for g in p["facts"].get("mixes", [])}
    for group in (g for g in MIXES if g in filled):
        totals: dict[str, int] = {}
        for p in parts:
            for value, n in p["totals"].get(group, {}).items():
                totals[value] = totals.get(value, 0) + n
        if not totals or mostly_unread(totals.get(NOT_READ, 0), rows):
            continue
        cats = pd.Series(totals).sort_values(ascending=False, kind="stable")
        cats = cats[(cats / rows >= 0.005) & (cats.index != NOT_READ)].index[:40]
        if len(cats) < 2:
            continue
        mine = long[long["group"] == group].groupby(["value", "key"], sort=False)["posts"].sum()
        posts = out["posts"].to_numpy()
        groups[group] = []
        for cat in cats:
            n = mine[cat].reindex(out.index, fill_value=0).to_numpy(dtype=float) if cat in mine.index.levels[0] \
                else np.zeros(len(out))
            out[f"{group}: {cat}"] = n / posts
            groups[group].append(f"{group}: {cat}")


def author_table(parts: list[dict], unit: str) -> tuple[pd.DataFrame, dict[str, list[str]]]:
    """`author_features(all posts, unit)`, from every partition's `author_parts` (in partition order)."""
    sums = pd.concat([p["sums"] for p in parts])
    merged = sums.groupby(level=0, sort=False).agg({c: ("max" if c in _MAX else "sum") for c in sums})
    out = pd.DataFrame(index=pd.Index(merged.index.astype(str), name="author"))
    merged.index = out.index
    out["posts"] = merged["posts"].to_numpy(dtype=float)
    groups: dict[str, list[str]] = {"activity": _activity(out, merged, parts, unit)}
    _engagement(out, merged, parts, groups)
    if any(p["facts"].get("followers") for p in parts):
        out["followers"] = merged["followers:max"].to_numpy(dtype=float)
        groups["influence"] = ["followers"]
    if any(p["facts"].get("sentiment") for p in parts):
        mean = _mean(merged, "s")
        read = merged["read"].to_numpy(dtype=float)
        out["read_posts"] = read
        out["mean_sentiment"] = mean
        out["sentiment_spread"] = np.sqrt(np.maximum(_mean(merged, "s2") - mean ** 2, 0))
        out["negative_share"] = np.where(read > 0, merged["negative"].to_numpy() / np.maximum(read, 1), np.nan)
        out["positive_share"] = np.where(read > 0, merged["positive"].to_numpy() / np.maximum(read, 1), np.nan)
        if not mostly_unread(int(out["posts"].sum() - read.sum()), int(out["posts"].sum())):
            groups["sentiment"] = SENTIMENT_COLUMNS
    _mixes(out, parts, sum(p["facts"]["rows"] for p in parts), groups)
    if any(p["facts"].get("text") for p in parts):
        out["spam_share"] = merged["spam"].to_numpy() / out["posts"].to_numpy()
    return out, groups


def _coverage_frame(parts: list[dict]) -> pd.DataFrame:
    """A stand-in for the posts with which `author_coverage` and `segment_settings` decide: one author code per
    post (NaN where a post has no author), the run's post count; no names, no text."""
    total = sum(p["facts"]["all_rows"] for p in parts)
    if not any("author" in p["facts"]["columns"] for p in parts):
        return pd.DataFrame(index=pd.RangeIndex(total))
    counts = pd.concat([p["sums"]["posts"] for p in parts]).groupby(level=0, sort=False).sum().astype(int)
    codes = np.repeat(np.arange(len(counts), dtype=float), counts.to_numpy())
    return pd.DataFrame({"author": np.concatenate([codes, np.full(total - len(codes), np.nan)])})


def run_audience(client: Any, args: argparse.Namespace, plan: Planned, out: Path, progress: Any, tag: str) -> dict:
    """The audience step of a Dask run: parts, one fit on the client, the write pass; DIR/authors.csv and
    DIR/segments.csv; returns summary.json's `audience` block."""
    from lib.audience.features import author_coverage, unread_note_from
    from lib.audience.outputs import audience_doc
    from lib.audience.personas import persona_names
    from lib.audience.result import SegmentResult
    from lib.audience.segments import segments_from_table
    from lib.cli import segment_settings_from

    paths = [str(posts_path(out, p)) for p in plan.partitions]
    progress(f"audience: per-author sums from {len(paths)} partitions", 0.0)
    parts = _submit_all(client, author_parts, paths, tag, "authors")
    stand_in = _coverage_frame(parts)
    settings = segment_settings_from(args, stand_in)
    if settings.unit == "posts" and any("author" in p["facts"]["columns"] for p in parts):
        parts = _submit_all(client, author_parts, paths, f"posts-{tag}", "posts")
    table, groups = author_table(parts, settings.unit)
    try:
        result = segments_from_table(table, groups, settings, stage=lambda msg, frac: progress(
            f"audience: {msg}", 0.1 + 0.8 * frac))
    except ValueError as exc:
        raise InputError(f"--steps audience: {exc}") from None
    rows = sum(p["facts"]["rows"] for p in parts)
    unread = {g: sum(p["totals"].get(g, {}).get(NOT_READ, 0) for p in parts) for g in settings.groups if g in MIXES}
    if "sentiment" in settings.groups and "read_posts" in table:
        unread["sentiment"] = int(table["posts"].sum() - table["read_posts"].sum())
    note = " ".join(t for t in (author_coverage(stand_in)["why"], unread_note_from(unread, rows)) if t)
    doc = audience_doc(result, note, out)
    slim = SegmentResult(settings, result.authors[["author", "segment"]], groups, result.personas, {})
    shared = client.scatter([slim, persona_names(result)], broadcast=True, hash=False)
    futures = [client.submit(write_segments, p, *shared, retries=RETRIES, key=f"write_segments-{i}-{tag}")
               for i, p in enumerate(paths)]
    client.gather(futures)
    progress("audience: done", 1.0)
    return doc
