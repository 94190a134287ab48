"""The audience step's partition tasks: each partition's per-author partial aggregates (sums, counts, maxima,
distinct active days, counts per mix value), and the pass writing `segment` and `persona` into its Parquet file.

Why partial aggregates: every feature of `lib.audience.features.author_features` is a mean, a maximum, a ratio of
sums or a count of distinct days, so per-author sums and counts from every partition, added on the client, give
the local table (`lib.distributed.audience.author_table`) without the posts or their text leaving the workers.
The key is the author (or the post id when the unit is posts), as `author_features` reads it.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from lib.audience.features import MIXES, epoch_seconds
from lib.ingest.schema import clock_hours
from lib.kpis.engagement import RATE_BASES, engagement, numeric
from lib.listening.language import tone_read


def _keyed(frame: pd.DataFrame, unit: str) -> tuple[pd.DataFrame, pd.Series]:
    key = (frame["post_id"].astype(str) if unit == "posts" or "author" not in frame
           else frame["author"].astype("string"))
    ok = key.notna()
    return frame.loc[ok].reset_index(drop=True), key[ok].astype(str).reset_index(drop=True)


def _sums(f: pd.DataFrame, codes: pd.Series, facts: dict) -> pd.DataFrame:
    """Per key: the sums and counts the features are ratios of (NaN values left out of both)."""
    cols: dict[str, pd.Series] = {"posts": pd.Series(1.0, index=f.index)}

    def mean_parts(name: str, values: pd.Series) -> None:
        cols[f"{name}:sum"], cols[f"{name}:n"] = values.fillna(0), values.notna().astype(float)

    if "created_at" in f and f["created_at"].notna().any():
        ts = f["created_at"]
        cols["last"] = epoch_seconds(ts)
        hour = clock_hours(ts)
        mean_parts("sin", np.sin(2 * np.pi * hour / 24))
        mean_parts("cos", np.cos(2 * np.pi * hour / 24))
        facts["timed"] = bool(hour.notna().any())
        mean_parts("weekend", (ts.dt.weekday >= 5).astype(float).where(ts.notna()))
        facts["dated"], facts["last"] = True, float(cols["last"].max())
    eng = engagement(f)
    facts["engagement"] = float(eng.sum())
    mean_parts("eng", eng)
    for col in (*RATE_BASES, "comments", "likes"):
        if col in f:
            v = numeric(f, col)
            cols[f"{col}:total"] = v.fillna(0)
            facts["present"] = [*facts.get("present", []), col]
            if v.notna().any():
                facts["filled"] = [*facts.get("filled", []), col]
    if "parent_id" in f:  # every partition's shares, decided on over all of them (`facts`)
        facts["replies"] = bool(f["parent_id"].notna().any())
        mean_parts("reply", f["parent_id"].notna().astype(float))
    fol = numeric(f, "followers")
    if fol.notna().any():
        facts["followers"] = True
        cols["followers:max"] = fol
    if "sentiment" in f:
        facts["sentiment"] = bool(f["sentiment"].notna().any())
        read = tone_read(f)  # `features._sentiment`: over the posts whose tone a model read
        s = f["sentiment"].astype(float).where(read)
        mean_parts("s", s)
        mean_parts("s2", s * s)
        label = f["sentiment_label"] if "sentiment_label" in f else pd.Series(
            np.where(s >= 0.05, "positive", np.where(s <= -0.05, "negative", "neutral")), index=f.index)
        cols["read"] = read.astype(float)
        cols["negative"] = ((label == "negative") & read).astype(float)
        cols["positive"] = ((label == "positive") & read).astype(float)
    if "text" in f:  # `author_features`' spam_share: a per-post rule, so partition sums add up to it
        from lib.kpis.authenticity import self_promotion

        facts["text"] = True
        cols["spam"] = self_promotion(f).astype(float)
    table = pd.DataFrame(cols)
    how = {c: ("max" if c in ("last", "followers:max") else "sum") for c in table}
    return table.groupby(codes.to_numpy(), sort=False).agg(how)


def _mix_counts(f: pd.DataFrame, key: pd.Series, facts: dict) -> tuple[pd.DataFrame, dict[str, dict[str, int]]]:
    """Per key and mix value: posts; and per mix group its values' counts in order of first appearance."""
    rows, totals = [], {}
    for group, col in MIXES.items():
        if col not in f:
            continue
        if f[col].notna().any():
            facts["mixes"] = [*facts.get("mixes", []), group]
        values = f[col].astype("string").fillna("(none)")
        if group == "topics" and "topic" in f:
            values = values.where(f["topic"].astype(int) >= 0, "Outliers")
        totals[group] = {str(k): int(v) for k, v in values.value_counts(sort=False).items()}
        counts = pd.DataFrame({"key": key, "value": values.astype(str)}).value_counts(sort=False)
        rows.append(counts.rename("posts").reset_index().assign(group=group))
    long = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(columns=["key", "value", "posts", "group"])
    return long, totals


def author_parts(path: str, unit: str) -> dict[str, Any]:
    """One partition's partial aggregates per key (authors, or posts when unit == 'posts'); numbers and keys only."""
    posts = pd.read_parquet(path)
    f, key = _keyed(posts, unit)
    facts: dict[str, Any] = {"rows": len(f), "all_rows": len(posts), "columns": list(f.columns)}
    sums = _sums(f, key, facts)
    days = pd.DataFrame()
    if facts.get("dated"):
        secs = epoch_seconds(f["created_at"])
        days = pd.DataFrame({"key": key, "day": np.floor(secs / 86400)}).dropna().drop_duplicates()
    mixes, totals = _mix_counts(f, key, facts)
    return {"sums": sums, "days": days, "mixes": mixes, "totals": totals, "facts": facts}


def write_segments(path: str, result: Any, names: pd.DataFrame) -> int:
    """The last pass: the partition's posts get `segment` and `persona` (before `language`, as posts.csv has)."""
    from lib.audience.segments import posts_with_segments
    from lib.distributed.tasks import write_parquet

    posts = pd.read_parquet(path).drop(columns=["segment", "persona"], errors="ignore")
    seg = posts_with_segments(posts, result, names)
    out = posts.assign(segment=seg["segment"], persona=seg["segment_name"])
    if "language" in out:
        out = out[[c for c in out if c != "language"] + ["language"]]
    write_parquet(out, Path(path))
    return len(out)
