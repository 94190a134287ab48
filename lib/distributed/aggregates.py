"""The summary of a partitioned run, from per-partition aggregates: the client never collects the posts.

Each partition returns small, additive figures (counts per value, sums, the posts and negative posts per day,
hashes of its authors); summing them gives what `lib.listening.overview.summary`, the local sentiment step and
`lib.listening.alerts` compute from the whole table: the same counts, date range and totals, the same
sentiment label counts, the same zero-shot overall sentiment shares (their point estimate is the mean of the
public model's probabilities, a sum over posts) and the same alert windows (found from the daily counts alone).

What reads posts beyond these sums runs in later passes over DIR/posts/: the per-brand shares and their
interval in rounds of per-brand sums (`lib.distributed.shares`), and the alerts' driver terms, top posts and
amplifiers from per-window counts (`lib.distributed.alert_details`).
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from lib.distributed.duplicates import Found
from lib.ingest.schema import COUNT_COLUMNS
from lib.topics.views import csv_columns

Window = tuple[pd.Timestamp, pd.Timestamp, list[str]]  # an alert's first day, last day and kinds

LEFT_OUT: list[str] = []  # what summary.json lacks compared with the local engine's (its `engine.left_out`)


def _counts(s: pd.Series) -> dict[str, int]:
    return {str(k): int(v) for k, v in s.value_counts().items()}


def author_hashes(posts: pd.DataFrame) -> np.ndarray:
    """The distinct authors of a partition as 64-bit hashes: the union over partitions counts the run's authors
    in 8 bytes each, without sending names."""
    if "author" not in posts or not posts["author"].notna().any():
        return np.empty(0, dtype=np.uint64)
    names = pd.Series(posts["author"].dropna().unique())
    return np.unique(pd.util.hash_pandas_object(names.astype(str), index=False).to_numpy(dtype=np.uint64))


def import_aggregates(posts: pd.DataFrame) -> dict[str, Any]:
    """What `overview.summary` reads, as sums: posts, dated posts and their range, values per column, totals."""
    out: dict[str, Any] = {"posts": int(len(posts)), "dated": 0, "first": None, "last": None, "values": {},
                           "totals": {}}
    if "created_at" in posts and posts["created_at"].notna().any():
        ts = posts["created_at"].dropna()
        out.update(dated=int(len(ts)), first=ts.min().isoformat(), last=ts.max().isoformat())
    for col in ("platform", "brand", "post_type"):
        if col in posts and posts[col].notna().any():
            out["values"][f"{col}s"] = _counts(posts[col])
    out["totals"] = {c: int(posts[c].sum()) for c in COUNT_COLUMNS if c in posts and posts[c].notna().any()}
    if "language" in posts:
        out["languages"] = _counts(posts["language"])
    return out


def listening_aggregates(frame: pd.DataFrame) -> dict[str, Any]:
    """What the sentiment step's summary reads, as sums: label counts, the public model's probabilities
    (as `shares.estimate_shares` reads them) and the posts and negative posts per day (`alerts.daily`)."""
    from lib.listening.alerts import daily
    from lib.listening.quantify import simplex
    from lib.listening.shares import P_COLUMNS, ZERO_SHOT_COLUMNS

    out: dict[str, Any] = {"kept": int(len(frame))}
    if "sentiment_label" not in frame:
        return out
    zero = ZERO_SHOT_COLUMNS if set(ZERO_SHOT_COLUMNS) <= set(frame.columns) else P_COLUMNS
    raw = simplex(np.nan_to_num(frame[zero].to_numpy(dtype=float), nan=1 / len(zero)).clip(1e-6, 1))
    out.update(labels=_counts(frame["sentiment_label"]), vader_labels=_counts(frame["vader_label"]),
               p_sum=raw.sum(axis=0).tolist(), days={})
    if "created_at" in frame and frame["created_at"].notna().any():
        d = daily(frame)
        d = d[d["posts"] > 0]
        out["days"] = {k.isoformat(): [int(p), int(n)] for k, p, n in zip(d.index, d["posts"], d["negative"])}
    return out


def _add(total: dict[str, int], part: dict[str, int]) -> dict[str, int]:
    c = Counter(total)
    c.update(part)
    return dict(c.most_common())


def merge(aggs: list[dict[str, Any]]) -> dict[str, Any]:
    """The sum of partition aggregates (counts added, date ranges widened, per-day counts added)."""
    out: dict[str, Any] = {"posts": 0, "dated": 0, "first": None, "last": None, "values": {}, "totals": {},
                           "languages": {}, "kept": 0, "labels": {}, "vader_labels": {}, "p_sum": None, "days": {}}
    for a in aggs:
        for key in ("posts", "dated", "kept"):
            out[key] += a.get(key, 0)
        for key, pick in (("first", min), ("last", max)):
            if a.get(key):
                out[key] = a[key] if out[key] is None else pick(out[key], a[key], key=pd.Timestamp)
        for col, counts in a.get("values", {}).items():
            out["values"][col] = _add(out["values"].get(col, {}), counts)
        for col, total in a.get("totals", {}).items():
            out["totals"][col] = out["totals"].get(col, 0) + total
        for key in ("languages", "labels", "vader_labels"):
            out[key] = _add(out[key], a.get(key, {}))
        for day, (p, n) in a.get("days", {}).items():
            old = out["days"].get(day, [0, 0])
            out["days"][day] = [old[0] + p, old[1] + n]
        if a.get("p_sum") is not None:
            out["p_sum"] = np.add(out["p_sum"] if out["p_sum"] is not None else 0.0, a["p_sum"]).tolist()
    return out


def overview(m: dict[str, Any], authors: int | None) -> dict[str, Any]:
    """`lib.listening.overview.summary` of the whole run, from the merged aggregates."""
    out: dict[str, Any] = {"posts": m["posts"]}
    if m["first"] is not None:
        first, last = pd.Timestamp(m["first"]), pd.Timestamp(m["last"])
        out.update(first_post=first.isoformat(), last_post=last.isoformat(),
                   days_covered=int((last.normalize() - first.normalize()).days) + 1,
                   posts_without_date=m["posts"] - m["dated"])
    out.update(m["values"])
    if authors is not None:
        out["authors"] = authors
    if m["totals"]:
        out["totals"] = m["totals"]
    return out


def daily_counts(m: dict[str, Any]) -> pd.DataFrame:
    """`alerts.daily` of the whole run: posts and negative posts per UTC day, every day in the range."""
    if not m["days"]:
        return pd.DataFrame({"posts": [], "negative": []}, dtype="int64").rename_axis("day")
    d = pd.DataFrame.from_dict(m["days"], orient="index", columns=["posts", "negative"])
    d.index = pd.to_datetime(d.index, utc=True)
    d = d.sort_index()
    full = pd.date_range(d.index.min(), d.index.max(), freq="D", tz="UTC")
    return d.reindex(full, fill_value=0).astype("int64").rename_axis("day")


def alerts_from(m: dict[str, Any], sensitivity: float,
                details: Callable[[list[Window], str], list[dict]] | None = None) -> pd.DataFrame:
    """The alerts table (`alerts.alerts_frame`) of the whole run from its daily counts; `details` (the alert
    windows -> each one's terms, post ids, amplifiers and spam share, `alert_details.window_details`) fills the
    columns that read posts, which are left empty without it."""
    from lib.listening.alerts import Alert, alert_windows, alerts_frame, compared_with, own_periods

    d, unit = own_periods(daily_counts(m))
    base, windows = alert_windows(d, sensitivity, unit=unit) if len(d) else (None, [])
    if base is None:
        return alerts_frame([])
    alerts = []
    for start, end, kinds in windows:
        span = d.loc[start:end]
        z = pd.concat([base.z_volume.loc[start:end], base.z_negative.loc[start:end]])
        alerts.append(Alert(start=start, end=end, kinds=kinds, posts=int(span["posts"].sum()),
                            expected_posts=float(base.expected.loc[start:end].sum()),
                            negative_share=float(span["negative"].sum() / max(1, span["posts"].sum())),
                            baseline_negative_share=float(base.usual_share.loc[start:end].median()),
                            peak_z=float(z.max()), compared_with=compared_with(d, base, start, end, kinds),
                            unit=unit))
    if details is not None and windows:
        for alert, found in zip(alerts, details(windows, unit)):
            alert.terms, alert.post_ids, alert.amplifiers = found["terms"], found["post_ids"], found["amplifiers"]
            alert.spam_share, alert.terms_tentative = found["spam_share"], found["terms_tentative"]
            alert.brands = found["brands"]
    return alerts_frame(alerts)


def share_sums(m: dict[str, Any], method: str) -> list[float] | None:
    """The sum over the kept posts of what the zero-shot share `method` reads: the labels one-hot (their counts)
    for "cc", else the public model's probabilities; None without a sentiment step."""
    from lib.listening.sentiment import LABELS

    if m["p_sum"] is None:
        return None
    return [float(m["labels"].get(c, 0)) for c in LABELS] if method == "cc" else list(m["p_sum"])


def sentiment_doc(m: dict[str, Any], thresholds: tuple[float, float], alerts: int,
                  sensitivity: float) -> tuple[dict, dict]:
    """summary.json's `sentiment` and `sentiment_shares` (overall, zero-shot: the local engine's
    `ShareSettings.zero_shot_method`, the posts' labels counted by default)."""
    from lib.listening.enrich import model_versions
    from lib.listening.sentiment import LABELS
    from lib.listening.shares import ShareSettings

    info = {"labels": m["labels"], "vader_labels": m["vader_labels"], "alerts": alerts,
            "alert_sensitivity": sensitivity, "thresholds": list(thresholds), "models": model_versions()}
    method = ShareSettings().zero_shot_method
    sums = share_sums(m, method)
    mean = np.asarray(sums if sums is not None else [np.nan] * len(LABELS)) / max(m["kept"], 1)
    shares = {"overall": {c: round(float(v), 4) for c, v in zip(LABELS, mean)}, "method": f"{method}, zero-shot",
              "labels_used": 0}
    return info, shares


MAX_WARNINGS = 200  # a folder of thousands of files would otherwise repeat the same warning thousands of times


def merge_reports(reports: list[tuple[str, dict]], found: Found | None) -> dict[str, Any]:
    """The import report of a folder run from each partition's (`lib.ingest.build.build_posts`): rows and
    exclusions added, each file listed once, warnings prefixed with their partition. Duplicates and repeated
    ids are found across all partitions (`found`, `lib.distributed.duplicates`): the local engine's counts and
    warnings."""
    files: dict[str, dict] = {}
    excluded: Counter[str] = Counter()
    masked: Counter[str] = Counter()
    warnings: list[str] = []
    analyses: dict[str, str | None] = {}
    for name, r in reports:
        for f in r["files"]:
            if f["name"] in files:
                files[f["name"]]["rows_read"] += f["rows_read"]
            else:
                files[f["name"]] = dict(f)
        excluded.update(r["excluded"])
        masked.update(r["privacy"].get("masked_counts", {}))
        warnings += [f"{name}: {w}" for w in r["warnings"]]
        for key, why in r["analyses"].items():
            analyses[key] = None if why is None or analyses.get(key, why) is None else why
    warnings += found.warnings if found is not None else []
    if len(warnings) > MAX_WARNINGS:
        warnings = warnings[:MAX_WARNINGS] + [f"... and {len(warnings) - MAX_WARNINGS} more warnings"]
    first = reports[0][1] if reports else {"formats": [], "privacy": {}}
    return {"formats": first["formats"], "files": list(files.values()),
            "rows_read": sum(r["rows_read"] for _, r in reports), "rows_kept": sum(r["rows_kept"] for _, r in reports),
            "excluded": dict(excluded), "duplicates": found.info if found is not None else None, "warnings": warnings,
            "privacy": {**first["privacy"], "masked_counts": dict(masked)}, "analyses": analyses}


# ------------------------------------------------------------------------------------------------------ topics
def topic_aggregates(posts: pd.DataFrame, counts: dict[str, int]) -> dict[str, Any]:
    """What topics.csv reads, as sums: posts per topic and each topic's sentiment sum and scored posts (its
    mean is their ratio), plus `apply_topics`' counts (posts with text, outliers, known, by words/meaning)."""
    g = posts.groupby("topic")
    out: dict[str, Any] = {"sizes": {str(k): int(v) for k, v in g.size().items()}, "counts": counts}
    if "sentiment" in posts:
        s = g["sentiment"].agg(["sum", "count"])
        out["sentiment"] = {str(k): [float(r["sum"]), int(r["count"])] for k, r in s.iterrows()}
    return out


def merge_topics(aggs: list[dict[str, Any]]) -> dict[str, Any]:
    """The sum of partitions' topic aggregates."""
    sizes: Counter[str] = Counter()
    counts: Counter[str] = Counter()
    sentiment: dict[str, list[float]] = {}
    for a in aggs:
        sizes.update(a["sizes"])
        counts.update(a["counts"])
        for t, (total, n) in a.get("sentiment", {}).items():
            old = sentiment.get(t, [0.0, 0])
            sentiment[t] = [old[0] + total, old[1] + n]
    return {"sizes": dict(sizes), "counts": dict(counts), "sentiment": sentiment}


def topics_table(m: dict[str, Any], table: pd.DataFrame) -> pd.DataFrame:
    """topics.csv (`lib.topics.views.topic_table`'s topic, label, size, share, keywords, mean_sentiment and, for
    fits that have it, cohesion) of the whole run from the merged topic aggregates; `table`: the effective topic
    table (`views.effective`)."""
    total = sum(m["sizes"].values())
    alike = ["cohesion"] if "cohesion" in table and table["cohesion"].notna().any() else []
    out = table[~table["hidden"]][["topic", "label", "keywords", *alike]].copy()
    out["size"] = out["topic"].map(lambda t: m["sizes"].get(str(t), 0)).astype(int)
    out["share"] = out["size"] / max(total, 1)

    def mean(t: int) -> float:
        s, n = m["sentiment"].get(str(t), (0.0, 0))
        return s / n if n else np.nan

    out["mean_sentiment"] = out["topic"].map(mean).astype(float)
    out["keywords"] = out["keywords"].map(lambda k: ", ".join(k[:8]))
    out = out.sort_values("size", ascending=False).reset_index(drop=True)
    return out[csv_columns(out)]
