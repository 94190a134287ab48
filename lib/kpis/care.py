"""Customer care: how often and how fast the brands answered, in a file that holds their own replies.

Import finds a brand's own replies (`lib.ingest.own_posts`) and keeps, on every other post, the minutes until the
first of them (`brand_answer_minutes`). A conversation is a post that answers no other and is not a brand's own:
what someone brought to a brand. Its answer rate and the median time to a first answer are the figures a care
team reports, and they say more of the value a brand gives than any count of likes.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from lib.kpis.scorecard import KPI, MINUTES

ANSWER = "brand_answer_minutes"


def _started(posts: pd.DataFrame) -> pd.Series:
    """The posts that start a conversation: not a brand's own, and answering no other but a brand's own post (a
    comment under an Instagram account's post brings something to the account; a customer's answer to a brand's
    reply goes on with a conversation the customer started)."""
    own = posts["by_brand"].fillna(False).astype(bool)
    if "parent_id" not in posts:
        return ~own
    brand_posts = posts.loc[own & posts["parent_id"].isna(), "post_id"].astype("string") if "post_id" in posts \
        else pd.Series(dtype="string")
    return ~own & (posts["parent_id"].isna() | posts["parent_id"].astype("string").isin(set(brand_posts.dropna())))


def _has_answers(posts: pd.DataFrame) -> bool:
    """Whether the posts come from a file with the brands' own replies (import added their columns)."""
    return ANSWER in posts and "by_brand" in posts


def care_facts(posts: pd.DataFrame) -> tuple[int, np.ndarray] | None:
    """The conversations people started and the minutes to each answered one's first answer (sorted); None where
    the file holds no brand's own replies."""
    if not _has_answers(posts):
        return None
    opened = _started(posts)
    minutes = pd.to_numeric(posts.loc[opened, ANSWER], errors="coerce").dropna().to_numpy(dtype=float)
    return int(opened.sum()), np.sort(minutes)


def care_kpis(facts: tuple[int, np.ndarray] | None) -> list[KPI]:
    """The answer rate and the median minutes to a first answer (`care_facts`, or their sum over partitions)."""
    if facts is None:
        return []
    opened, minutes = facts
    return [
        KPI("Answered by brands", len(minutes) / opened if opened else None,
            "Of the posts people started (a post that answers no other, not a brand's own), the share a brand's own "
            "account answered in this file.", "count(started, answered) / count(started)", "{:.0%}",
            needs="posts that start a conversation"),
        KPI("Median first answer", float(np.median(minutes)) if len(minutes) else None,
            "Half of the answered conversations had a brand's first answer within this many minutes.",
            "median(first brand reply - post), answered conversations", MINUTES,
            needs="answered conversations"),
    ]


def care_by(posts: pd.DataFrame, by: str, min_posts: int = 0) -> pd.DataFrame:
    """Per value of `by` (a brand) with `min_posts` conversations or more: the conversations people started, the
    share answered and the median minutes to a first answer, most conversations first (`attrs`: "left_out", how
    many values had fewer; "unnamed", the conversations without a value, which no brand's account answered or was
    @mentioned in). Empty where the file holds no brand's own replies."""
    if not _has_answers(posts) or by not in posts:
        return pd.DataFrame(columns=[by, "conversations", "answered", "median_minutes"])
    opened = _started(posts)
    named = opened & posts[by].notna()
    minutes = pd.to_numeric(posts.loc[named, ANSWER], errors="coerce")
    groups = minutes.groupby(posts.loc[named, by].astype("string"))
    out = pd.DataFrame({"conversations": groups.size(), "answered": groups.count() / groups.size(),
                        "median_minutes": groups.median()})
    small = out["conversations"] < min_posts
    out = out[~small].sort_values("conversations", ascending=False, kind="stable").rename_axis(by).reset_index()
    out.attrs["left_out"] = int(small.sum())
    out.attrs["unnamed"] = int((opened & posts[by].isna()).sum())
    return out


def care_by_note(table: pd.DataFrame, min_posts: int) -> str:
    """What `care_by`'s table leaves out, in a sentence ("" where nothing)."""
    n, u = table.attrs.get("left_out", 0), table.attrs.get("unnamed", 0)
    said = [f"{n:,} brand{'s' if n > 1 else ''} with fewer than {min_posts} conversations left out: too few to say "
            "how they answer"] * bool(n)
    said += [f"{u:,} conversation{'s' if u > 1 else ''} named no brand (no brand's account answered it or was "
             "@mentioned)"] * bool(u)
    return "; ".join(said) + "." if said else ""
