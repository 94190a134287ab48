"""alerts.csv's driver terms, top posts and amplifiers on the Dask engine: once the alert windows are known on
the client (from the summed daily counts), one more pass in which every partition returns, for those windows
only, what `lib.listening.alerts._describe` reads from the posts, as counts that add up:

- **terms**: per term, its count in the window's focus posts (the negative ones for a negative-share alert),
  its count in the 28 days around the window, and its document frequency, with the local engine's vectorizer
  options (`alerts.TERM_OPTIONS`) but no minimum; the client sums them, keeps the terms in at least 2 posts
  (the local `min_df=2`), sorts them as the vectorizer does and picks with the same `alerts.pick_terms`. The
  same terms as the local engine, tentative ones where none stands out against a thinner background
  (`alerts.chosen_terms`); what travels grows with the window's vocabulary, not its posts.
- **top posts**: each partition's candidates, the focus posts at least as engaged as its 5th distinct text (no
  other post can be among the run's first 5 texts: five texts of its own partition come before it), each with
  its engagement, time, text key (`alerts.text_keys`) and term counts over the partition's vocabulary; the
  client counts the picked terms in them and runs the local engine's `alerts.reading_order` over the candidates
  in the run's order (most engaged, then most driver terms, then earliest, each text once). Without engagement
  counts every focus post is a candidate.
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
from lib.listening.alerts import (
    amplifiers,
    brand_counts,
    engagement,
    reading_order,
    spam_posts,
    term_texts,
    text_keys,
    times,
    window_posts,
)

COLUMNS = ["post_id", "created_at", "text", "sentiment_label", "author", "followers", "likes", "comments", "shares",
           "saves", "platform", "brand"]
TOP_POSTS = 5  # alerts.csv lists the first 5


def _term_counts(focus: pd.Series, around: pd.Series) -> tuple[dict[str, Any], Any]:
    """The partition's term counts of prepared texts (`alerts.term_texts`), and the focus posts' rows of them (a
    sparse matrix; None without any term)."""
    from sklearn.feature_extraction.text import CountVectorizer

    from lib.listening.alerts import TERM_OPTIONS

    out: dict[str, Any] = {"chars": int(focus.str.len().sum()), "terms": [], "a": [], "b": [], "df": []}
    vec = CountVectorizer(**TERM_OPTIONS)
    try:
        x = vec.fit_transform(pd.concat([focus, around])).tocsr()
    except ValueError:  # no term at all in these posts
        return out, None
    out.update(terms=vec.get_feature_names_out().tolist(), a=np.asarray(x[:len(focus)].sum(axis=0)).ravel(),
               b=np.asarray(x[len(focus):].sum(axis=0)).ravel(), df=np.bincount(x.indices, minlength=x.shape[1]))
    return out, x[:len(focus)]


def _top(focus: pd.DataFrame, rows: Any) -> dict[str, Any]:
    """The focus posts that can be among the run's first 5 texts (at least as engaged as the partition's 5th
    distinct text), with what `alerts.reading_order` reads of them; `rows`: their term counts (`_term_counts`)."""
    e, keys = engagement(focus).to_numpy(dtype=float), text_keys(focus["text"])
    distinct = pd.DataFrame({"e": e, "k": keys}).sort_values("e", ascending=False, kind="stable").drop_duplicates("k")
    floor = distinct["e"].iloc[TOP_POSTS - 1] if len(distinct) >= TOP_POSTS else -np.inf
    keep = np.flatnonzero(e >= floor)
    return {"e": e[keep], "at": times(focus["created_at"])[keep], "keys": keys[keep],
            "ids": focus["post_id"].astype(str).to_numpy()[keep], "rows": None if rows is None else rows[keep]}


def _top_posts(parts: list[dict[str, Any]], vocabularies: list[list[str]], terms: list[str]) -> list[str]:
    """The local engine's top posts: `alerts.reading_order` over every partition's candidates, the partitions one
    after another, each candidate's driver terms counted in its partition's vocabulary."""
    if not parts:
        return []
    hits = []
    for part, vocabulary in zip(parts, vocabularies):
        where = {t: i for i, t in enumerate(vocabulary)}
        cols = [where[t] for t in set(terms) if t in where]
        rows = part["rows"]
        hits.append(np.asarray((rows[:, cols] > 0).sum(axis=1)).ravel() if rows is not None and cols
                    else np.zeros(len(part["e"]), dtype=int))
    order = reading_order(np.concatenate([p["e"] for p in parts]), np.concatenate(hits),
                          np.concatenate([p["at"] for p in parts]), np.concatenate([p["keys"] for p in parts]))
    return np.concatenate([p["ids"] for p in parts])[order[:TOP_POSTS]].tolist()


def window_counts(path: str, windows: list[Window], unit: str = "day") -> list[dict[str, Any]]:
    """On a worker: for each alert window, the partition's term counts, best posts and per-author sums (`unit`:
    the data's own resolution, which sets how far around a window the terms' background reaches)."""
    import pyarrow.parquet as pq

    names = pq.read_schema(path).names
    posts = pd.read_parquet(path, columns=[c for c in COLUMNS if c in names])
    day = posts["created_at"].dt.tz_convert("UTC").dt.normalize()
    out = []
    for start, end, kinds in windows:
        focus, around_it, usual = window_posts(posts, day, start, end, unit, kinds)
        counts, rows = _term_counts(term_texts(focus["text"]), term_texts(around_it["text"]))
        out.append({"terms": counts, "top": _top(focus, rows),
                    "authors": amplifiers(focus, n=len(focus)).drop(columns="reach_score"),
                    "spam": _spam_count(focus), "brands": brand_counts(focus, usual)})
    return out


def _terms(parts: list[dict[str, Any]]) -> tuple[list[str], bool]:
    """The window's terms and whether they are tentative (`alerts.chosen_terms`), from the summed counts."""
    from lib.listening.alerts import chosen_terms

    if sum(p["chars"] for p in parts) == 0:
        return [], False
    counts = [pd.DataFrame({"a": p["a"], "b": p["b"], "df": p["df"]}, index=p["terms"]) for p in parts if p["terms"]]
    if not counts:
        return [], False
    total = pd.concat(counts).groupby(level=0).sum()
    total = total[total["df"] >= 2]
    if total.empty:
        return [], False
    total = total.loc[sorted(total.index)]  # the vectorizer's order (sorted terms): argsort's ties follow it
    return chosen_terms(np.array(total.index, dtype=object), total["a"].to_numpy(), total["b"].to_numpy())


def _authors(parts: list[pd.DataFrame]) -> pd.DataFrame:
    from lib.listening.alerts import rank_amplifiers

    found = [p for p in parts if len(p)]
    if not found:
        return amplifiers(pd.DataFrame())
    merged = pd.concat(found).groupby("author").agg(followers=("followers", "max"), posts=("posts", "sum"),
                                                    engagement=("engagement", "sum")).reset_index()
    return rank_amplifiers(merged)


def _brands(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """The brands above their usual share (`alerts.rank_brands`) from the partitions' summed counts."""
    from lib.listening.alerts import brand_counts, rank_brands

    found = [p for p in parts if len(p)]
    if not found:
        return rank_brands(brand_counts(pd.DataFrame(), pd.DataFrame()))
    return rank_brands(pd.concat(found).groupby("brand", sort=True)[["posts", "around"]].sum().reset_index())


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
        terms, tentative = _terms([r[w]["terms"] for r in results])
        out.append({"terms": terms, "terms_tentative": tentative,
                    "post_ids": _top_posts([r[w]["top"] for r in results], [r[w]["terms"]["terms"] for r in results],
                                           terms),
                    "amplifiers": _authors([r[w]["authors"] for r in results]),
                    "brands": _brands([r[w]["brands"] for r in results]),
                    "spam_share": _spam_share([r[w]["spam"] for r in results])})
    return out
