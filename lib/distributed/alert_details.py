"""alerts.csv's driver terms, top posts and amplifiers on the Dask engine: once the alert windows are known on
the client (from the summed daily counts), one more pass in which every partition returns, for those windows
only, what `lib.listening.alerts._describe` reads from the posts, as counts that add up:

- **terms**: per term, its count in the window's focus posts (the negative ones for a negative-share alert),
  its count in the 28 days around the window, and its document frequency, with the local engine's vectorizer
  options (`alerts.TERM_OPTIONS`) but no minimum; the client sums them, keeps the terms in at least 2 posts
  (the local `min_df=2`), sorts them as the vectorizer does and picks with the same `alerts.pick_terms`. The
  same terms as the local engine (what travels grows with the window's vocabulary, not its posts).
- **top posts**: every focus post's engagement (one number per post, in the run's order) and the ids of each
  partition's candidates (posts at least as engaged as its 5th); the client runs the local engine's sort on
  the whole array. Not a top-5 merge: pandas' default quicksort orders tied posts by all the values around them
  (with more than 16 posts it is not stable), and only the same sort over the same array names the same posts.
- **amplifiers**: per author, their largest follower count, posts and summed engagement in the focus posts
  (`alerts.amplifiers` on the partition); the client adds them and ranks with the same `alerts.rank_amplifiers`.
  The same authors in the same order as the local engine.
- **spam share**: per partition, how many focus posts there are and how many of them look like spam by their own
  text (`alerts.spam_posts`, which reads no other post); the client divides the sums.
"""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from lib.distributed.aggregates import Window
from lib.distributed.tasks import RETRIES
from lib.listening.alerts import amplifiers, around, engagement, spam_posts

COLUMNS = ["post_id", "created_at", "text", "sentiment_label", "author", "followers", "likes", "comments", "shares",
           "saves", "platform"]
TOP_POSTS = 5  # alerts.csv lists the first 5


def _term_counts(focus: pd.Series, around: pd.Series) -> dict[str, Any]:
    from sklearn.feature_extraction.text import CountVectorizer

    from lib.listening.alerts import TERM_OPTIONS, term_texts

    focus, around = term_texts(focus), term_texts(around)
    out: dict[str, Any] = {"chars": int(focus.str.len().sum()), "terms": [], "a": [], "b": [], "df": []}
    vec = CountVectorizer(**TERM_OPTIONS)
    try:
        x = vec.fit_transform(pd.concat([focus, around])).tocsr()
    except ValueError:  # no term at all in these posts
        return out
    out.update(terms=vec.get_feature_names_out().tolist(), a=np.asarray(x[:len(focus)].sum(axis=0)).ravel(),
               b=np.asarray(x[len(focus):].sum(axis=0)).ravel(), df=np.bincount(x.indices, minlength=x.shape[1]))
    return out


def _top(focus: pd.DataFrame) -> dict[str, Any]:
    """Every focus post's engagement, in the partition's order, and the ids of those that can be among the run's
    5 most engaged: at least as engaged as the partition's 5th."""
    e = engagement(focus).to_numpy(dtype=float)
    floor = np.sort(e)[-TOP_POSTS] if len(e) >= TOP_POSTS else -np.inf
    ids = focus["post_id"].astype(str).to_numpy()
    return {"e": e, "ids": {int(i): str(ids[i]) for i in np.flatnonzero(e >= floor)}}


def _top_posts(parts: list[dict[str, Any]]) -> list[str]:
    """The local engine's top posts: its very sort (pandas' default quicksort, whose order of tied posts depends
    on every value) over every focus post's engagement in the run's order, the partitions one after another."""
    e = np.concatenate([p["e"] for p in parts]) if parts else np.empty(0)
    starts = np.cumsum([0] + [len(p["e"]) for p in parts])
    best = pd.DataFrame({"_e": e}).sort_values("_e", ascending=False).index[:TOP_POSTS]
    part = np.searchsorted(starts, best, side="right") - 1
    return [parts[k]["ids"][int(j - starts[k])] for k, j in zip(part, best)]


def window_counts(path: str, windows: list[Window], unit: str = "day") -> list[dict[str, Any]]:
    """On a worker: for each alert window, the partition's term counts, best posts and per-author sums (`unit`:
    the data's own resolution, which sets how far around a window the terms' background reaches)."""
    import pyarrow.parquet as pq

    names = pq.read_schema(path).names
    posts = pd.read_parquet(path, columns=[c for c in COLUMNS if c in names])
    day = posts["created_at"].dt.tz_convert("UTC").dt.normalize()
    out, span = [], around(unit)
    for start, end, kinds in windows:
        inside = posts[(day >= start) & (day <= end)]
        around_it = posts[((day < start) & (day >= start - span)) | ((day > end) & (day <= end + span))]
        focus = inside[inside["sentiment_label"] == "negative"] if "negative share" in kinds else inside
        out.append({"terms": _term_counts(focus["text"], around_it["text"]), "top": _top(focus),
                    "authors": amplifiers(focus, n=len(focus)).drop(columns="reach_score"),
                    "spam": _spam_count(focus)})
    return out


def _terms(parts: list[dict[str, Any]]) -> list[str]:
    from lib.listening.alerts import pick_terms

    if sum(p["chars"] for p in parts) == 0:
        return []
    counts = [pd.DataFrame({"a": p["a"], "b": p["b"], "df": p["df"]}, index=p["terms"]) for p in parts if p["terms"]]
    if not counts:
        return []
    total = pd.concat(counts).groupby(level=0).sum()
    total = total[total["df"] >= 2]
    if total.empty:
        return []
    total = total.loc[sorted(total.index)]  # the vectorizer's order (sorted terms): argsort's ties follow it
    return pick_terms(np.array(total.index, dtype=object), total["a"].to_numpy(), total["b"].to_numpy())


def _authors(parts: list[pd.DataFrame]) -> pd.DataFrame:
    from lib.listening.alerts import rank_amplifiers

    found = [p for p in parts if len(p)]
    if not found:
        return amplifiers(pd.DataFrame())
    merged = pd.concat(found).groupby("author").agg(followers=("followers", "max"), posts=("posts", "sum"),
                                                    engagement=("engagement", "sum")).reset_index()
    return rank_amplifiers(merged)


def _spam_count(focus: pd.DataFrame) -> tuple[int, int]:
    """The focus posts the spam share is read from (none without text) and how many of them look like spam."""
    flags = spam_posts(focus)
    return (0, 0) if flags is None else (len(flags), int(flags.sum()))


def _spam_share(parts: list[tuple[int, int]]) -> float:
    n = sum(p[0] for p in parts)
    return sum(p[1] for p in parts) / n if n else float("nan")


def window_details(client: Any, paths: list[str], windows: list[Window], unit: str = "day") -> list[dict[str, Any]]:
    """For each window: its driver terms, top post ids and amplifiers, from one task per partition."""
    if not windows:
        return []
    futures = [client.submit(window_counts, path, windows, unit, pure=False, retries=RETRIES) for path in paths]
    results = client.gather(futures)
    out = []
    for w in range(len(windows)):
        out.append({"terms": _terms([r[w]["terms"] for r in results]),
                    "post_ids": _top_posts([r[w]["top"] for r in results]),
                    "amplifiers": _authors([r[w]["authors"] for r in results]),
                    "spam_share": _spam_share([r[w]["spam"] for r in results])})
    return out
