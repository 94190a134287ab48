"""What the clustering sees: readable per-author behaviour features, grouped, and the scaled matrix built from them.

Why this shape:
- features are per author and readable (posts, active days, engagement per post, share negative, ...):
  the same table feeds the clustering, the map's tooltips and the persona descriptions;
- every numeric feature is scaled robustly (median and interquartile range, clipped at 4), and every
  feature *group* is then scaled to the same total variance times the user's weight, so a group with many
  columns (a topic mix) does not outvote a group with one (followers).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from lib.ingest.schema import clock_hours
from lib.kpis.engagement import engagement, numeric, rate_basis
from lib.listening.emotion import NOT_READ
from lib.listening.language import tone_read

FEATURE_GROUPS: dict[str, tuple[str, str]] = {
    # name: (plain label, what it measures)
    "activity": ("Activity", "posts, active days, days since the last post, usual hour of day, weekend share"),
    "engagement": ("Engagement", "engagement received per post, engagement rate, comments per like, share of replies"),
    "influence": ("Influence", "followers (log scale)"),
    "sentiment": ("Sentiment", "mean VADER score, its spread, share of negative and positive posts"),
    "emotion": ("Emotion mix", "share of posts per dominant emotion"),
    "intent": ("Intent mix", "share of posts per intent (question, complaint, praise, ...)"),
    "topics": ("Topic mix", "share of posts per topic (when topics have been found)"),
    "platform": ("Platform mix", "share of posts per platform"),
    "content": ("Content-type mix", "share of posts per post type (text, image, video, ...)"),
}
SENTIMENT_COLUMNS = ["mean_sentiment", "sentiment_spread", "negative_share", "positive_share"]
MIXES = {"emotion": "emotion", "intent": "intent", "topics": "topic_label", "platform": "platform",
         "content": "post_type"}


# ------------------------------------------------------------------ data checks
def author_coverage(posts: pd.DataFrame) -> dict:
    """How much author information the data has: the page and CLI decide on authors vs posts from this."""
    if "author" not in posts or posts["author"].isna().all():
        return {"has_authors": False, "authors": 0, "posts_per_author": 0.0, "median_posts": 0.0,
                "repeat_share": 0.0, "why": "The data has no author column."}
    counts = posts["author"].dropna().astype(str).value_counts()
    repeat = float((counts > 1).mean())
    out = {"has_authors": True, "authors": int(len(counts)), "posts_per_author": float(counts.mean()),
           "median_posts": float(counts.median()), "repeat_share": repeat, "why": ""}
    if len(counts) < 20:
        out["why"] = f"Only {len(counts)} authors: too few to segment."
    elif counts.max() <= 1:
        out["why"] = "Every author wrote one post, so there is no behaviour to compare beyond that post."
    elif repeat < 0.2:
        out["why"] = (f"Only {repeat:.0%} of authors wrote more than one post: their activity and mix "
                      "features come from a single post, so segments mostly reflect single posts.")
    return out


def default_unit(cover: dict) -> str:
    """Segment authors when there are enough of them who post more than once, else the posts themselves
    (`cover` is `author_coverage`'s answer)."""
    return "authors" if cover["has_authors"] and cover["authors"] >= 20 and cover["posts_per_author"] > 1 \
        else "posts"


# In thin data tone counts twice: advocates and detractors are what a segment is first asked about, and with one post
# per author the emotion and intent mixes spread one tone over many one-hot columns (anger, sadness, disgust, fear;
# complaints, questions), so negative authors fell apart. Real thin data, seeds 42 / 43, equal weights -> tone twice
# (2026-12-05): Sentiment140's tweets, stability 0.85 / 0.98 -> 0.99 / 1.00, agreement with k-means 0.64 / 0.68 ->
# 0.82 / 0.95, the critics in two segments (anger; complaints) instead of one 94 % negative; a support inbox by posts,
# stability 0.41 / 0.51 -> 0.75 / 0.59, noise 45 / 40 % -> 29 / 26 %; the five YouTube videos, separation 0.26 ->
# 0.34 / 0.33, stability 0.72 / 0.86 -> 0.93 / 0.66; Sentiment140 with three videos (1,568 posts), 161-162 critics
# and a noise of 138 critics both ways with seed 42, one "Critics" of 299 with 43. 1.5 did less. Data with repeat
# authors keeps equal weights: their shares are not one-hot, and on the ConnectSphere sample tone twice split one
# planted segment in two (agreement with the planted segments 0.92 -> 0.84).
THIN_WEIGHTS: tuple[tuple[str, float], ...] = (("sentiment", 2.0),)

# A mix no model of it read for many posts (intent, or emotion, of posts in languages it does not read: "n/a") is
# left out of the segmentation: those posts share one value of it, so the segments split by language. On 2,000
# UMSAB tweets in four languages by posts, the intent mix with "n/a" as a value made "Neutral posts" (German,
# Italian, Portuguese) beside "Neutral posts #4" (English) and "Critical posts #7" beside "Critical posts" (AMI
# between segment and language 0.288); with the unread posts given the average mix instead, still 0.167, and
# personas described by the few English posts of a foreign segment ("100 % of posts with intent comparing
# options"). Left out: see `unread_note`. Below this share, "n/a" is simply no value of the mix.
MAX_UNREAD = 0.05


def mostly_unread(unread: int, posts: int) -> bool:
    return posts > 0 and unread / posts > MAX_UNREAD


def unread_note(frame: pd.DataFrame, chosen: tuple[str, ...]) -> str:
    """Which chosen groups were left out because most posts' values were not read, and why ("" when none)."""
    unread = {g: int((frame[MIXES[g]] == NOT_READ).sum()) for g in chosen if MIXES.get(g) in frame}
    if "sentiment" in chosen and "sentiment" in frame:
        unread["sentiment"] = int((~tone_read(frame)).sum())
    return unread_note_from(unread, len(frame))


def unread_note_from(unread: dict[str, int], posts: int) -> str:
    """`unread_note` from counts (per group, the posts it did not read; the run's posts): a Dask run has only
    its partitions' totals."""
    out = []
    for group, n in unread.items():
        if not mostly_unread(n, posts):
            continue
        if group == "sentiment":  # its figures stay, over the posts read: the personas' tone says how many
            out.append(f"Sentiment left out: {n / posts:.0%} of the posts are in languages no sentiment model "
                       "reads, and their tone, unknown, would split the segments by language; each persona's tone "
                       "is over the posts a model read.")
        else:
            out.append(f"{FEATURE_GROUPS[group][0]} left out: {n / posts:.0%} of the posts are in languages it is "
                       "not read in (n/a), and as one value they would split the segments by language.")
    return " ".join(out)


THIN_STRICTNESS = 30  # the most min_samples thin data gets (the Audience page's slider goes to 30)


def thin_data_defaults(cover: dict, unit: str, n_posts: int) -> dict:
    """Fewer, sturdier segments where most authors wrote one or two posts (`cover` is `author_coverage`'s answer):
    a larger neighbourhood (30) and a smallest segment of 10 % of the points (8 to 1,000). Measured with seeds 42
    and 43: Sentiment140's test tweets (490 authors, 498 posts) 15 -> 3 segments, separation 0.22 -> 0.33,
    stability 0.76 -> 0.79; the YouTube spam comments (1,792 authors) 15 -> 5, separation 0.23 -> 0.39, stability
    0.83 -> 0.91. {} for data with repeat authors (connectsphere keeps its defaults and its 4 segments).

    Data with no authors at all is segmented by its posts, with the same neighbourhood and a smallest segment of
    5 % of them: on the UCI Facebook page's 500 posts the 3 % default made 15 segments, five of them alike in
    every figure; at 5 % it makes 3 (separation 0.24 -> 0.42, stability 0.74 -> 0.99, agreement with k-means
    0.46 -> 0.90); on TweetTopic-XL's 800 Greek tweets 15 -> 13 (stability 0.76 -> 0.69, agreement with k-means
    0.54 -> 0.63). 10 % left 13 % of the Facebook posts unassigned, in 2 segments (`python -m lib analyze FILE
    --steps audience --segment-by posts [--min-segment N --segment-neighbours 30]`, each setting in one run).
    Both kinds of thin data weigh tone twice (`THIN_WEIGHTS`).

    Both are strict about noise as HDBSCAN is by default (min_samples = the smallest segment), up to
    `THIN_STRICTNESS` (the page's slider; a larger one is a slower neighbour query): with the general default of 5,
    the segments were at the mercy of float noise. Measured (2026-12-07) under seven roundings of the design matrix
    (6 to 15 decimals, as another machine's floats may differ), segments / noise / stability mean (lowest): the
    Facebook posts 3-8 / 6 % / 0.64 (0.38) -> 3 / 4 % / 0.96 (0.84); Sentiment140 4-5 / 0 % / 0.82 (0.78) -> 3-4
    / 0 % / 0.97 (0.88); the YouTube comments 5-6 / 9 % / 0.76 (0.51) -> 4-6 / 9 % / 0.90 (0.82); TweetTopic-XL's
    1,000 Greek tweets 7-10 / 16 % / 0.76 (0.62) -> 5-8 / 13 % / 0.76 (0.66)."""
    if not cover["has_authors"]:
        size = int(max(8, min(1000, round(n_posts * 0.05))))
    elif cover["median_posts"] > 2:
        return {}
    else:
        size = int(max(8, min(1000, round((cover["authors"] if unit == "authors" else n_posts) * 0.10))))
    return {"neighbours": 30, "min_segment": size, "strictness": min(size, THIN_STRICTNESS), "weights": THIN_WEIGHTS}


# ------------------------------------------------------------------ features
@dataclass(frozen=True)
class _ByAuthor:
    """Posts grouped by author code (0..size-1, in order of first appearance): sums and means in one bincount."""
    codes: np.ndarray
    size: int

    def total(self, values: np.ndarray) -> np.ndarray:
        return np.bincount(self.codes, values, self.size)

    def mean(self, values: pd.Series) -> np.ndarray:
        v = values.to_numpy(dtype=float)
        have = ~np.isnan(v)
        s = np.bincount(self.codes[have], v[have], self.size)
        c = np.bincount(self.codes[have], minlength=self.size)
        return np.where(c > 0, s / np.maximum(c, 1), np.nan)


def author_features(frame: pd.DataFrame, unit: str = "authors") -> tuple[pd.DataFrame, dict[str, list[str]]]:
    """One row per author (or per post when unit == 'posts') with readable behavioural features.

    Returns the table (index: author) and the columns of each feature group present in the data."""
    key = (frame["post_id"].astype(str) if unit == "posts" or "author" not in frame
           else frame["author"].astype("string"))
    ok = key.notna()
    f = frame.loc[ok]
    key = key[ok].astype(str)
    index = pd.Index(key.unique(), name="author")
    by = _ByAuthor(pd.Categorical(key, categories=index).codes, len(index))

    out = pd.DataFrame(index=index)
    out["posts"] = np.bincount(by.codes, minlength=by.size).astype(float)
    groups: dict[str, list[str]] = {"activity": _activity(out, f, by, unit)}
    _engagement(out, f, by, groups)
    fol = numeric(f, "followers")
    if fol.notna().any():
        mx = pd.Series(fol.to_numpy()).groupby(by.codes).max().reindex(range(by.size))
        out["followers"] = mx.to_numpy()
        groups["influence"] = ["followers"]
    if "sentiment" in f and f["sentiment"].notna().any():
        cols = _sentiment(out, f, by)
        if not mostly_unread(len(f) - int(out["read_posts"].sum()), len(f)):
            groups["sentiment"] = cols
    for group, col in MIXES.items():
        cols = _mix(out, f, by, group, col)
        if cols:
            groups[group] = cols
    if "text" in f:  # described, never clustered on: which segments are mostly link spam or self-promotion
        from lib.kpis.authenticity import self_promotion

        out["spam_share"] = by.mean(self_promotion(f).astype(float))
    return out, groups


EPOCH = pd.Timestamp("1970-01-01", tz="UTC")


def epoch_seconds(ts: pd.Series) -> pd.Series:
    """Whole seconds since 1970 (UTC), the same floats whatever the timestamps' resolution. A dataset reopened from
    the workspace holds microseconds, a file imported in the same process nanoseconds; their seconds differed in
    the twelfth digit, and on real tweets and YouTube comments uploaded together that was enough for UMAP to give
    the app 161 critics and a noise of 138 and the command line one "Critics" segment of 299."""
    return (ts.astype("datetime64[s, UTC]") - EPOCH).dt.total_seconds()


def _activity(out: pd.DataFrame, f: pd.DataFrame, by: _ByAuthor, unit: str) -> list[str]:
    """Posts, active days, days since the last post, usual hour (as a point on the clock) and weekend share."""
    if "created_at" in f and f["created_at"].notna().any():
        ts = f["created_at"]
        secs = pd.Series(epoch_seconds(ts).to_numpy())
        days = (pd.DataFrame({"k": by.codes, "d": np.floor(secs / 86400)}).dropna().drop_duplicates()
                .groupby("k").size())
        out["active_days"] = days.reindex(range(by.size), fill_value=0).to_numpy()
        last = secs.groupby(by.codes).max().reindex(range(by.size)).to_numpy()
        out["days_since_last"] = (secs.max() - last) / 86400
        hour = clock_hours(ts)
        if hour.notna().any():  # dates without a time of day have no usual hour
            sin, cos = by.mean(np.sin(2 * np.pi * hour / 24)), by.mean(np.cos(2 * np.pi * hour / 24))
            for name, values in clock(sin, cos).items():
                out[name] = values
        out["weekend_share"] = by.mean((ts.dt.weekday >= 5).astype(float).where(ts.notna()))
    return activity_columns("active_days" in out, unit, "hour_sin" in out)


def activity_columns(dated: bool, unit: str, timed: bool = True) -> list[str]:
    """The activity group's columns: with dates, the days and (with times of day, `timed`) the clock; per post,
    not the per-author counts."""
    clock_cols = ["hour_sin", "hour_cos"] if timed else []
    cols = ["posts", "active_days", "days_since_last", *clock_cols, "weekend_share"] if dated else ["posts"]
    return [c for c in cols if c not in ("posts", "active_days", "days_since_last")] if unit == "posts" else cols


def clock(sin: np.ndarray, cos: np.ndarray) -> dict[str, np.ndarray]:
    """The usual hour (the mean of the posts' hours as points on the clock, so 23:00 and 01:00 average to
    midnight) and the mean sine and cosine it comes from."""
    return {"usual_hour": (np.degrees(np.arctan2(sin, cos)) / 15) % 24, "hour_sin": sin, "hour_cos": cos}


def _engagement(out: pd.DataFrame, f: pd.DataFrame, by: _ByAuthor, groups: dict[str, list[str]]) -> None:
    """Engagement per post, engagement rate (when a basis exists), comments per like and share of replies."""
    eng = engagement(f)
    if eng.sum() > 0:
        out["engagement_per_post"] = by.mean(eng)
        cols = ["engagement_per_post"]
        basis_col = rate_basis(f)
        if basis_col:
            e_sum = by.total(eng.to_numpy(dtype=float))
            b_sum = by.total(numeric(f, basis_col).fillna(0).to_numpy())
            out["engagement_rate"] = np.where(b_sum > 0, e_sum / np.maximum(b_sum, 1), np.nan)
            cols.append("engagement_rate")
        if "comments" in f and "likes" in f:
            c_sum = by.total(numeric(f, "comments").fillna(0).to_numpy())
            l_sum = by.total(numeric(f, "likes").fillna(0).to_numpy())
            out["comments_per_like"] = c_sum / (l_sum + 1)
            cols.append("comments_per_like")
        groups["engagement"] = cols
    if "parent_id" in f and f["parent_id"].notna().any():
        out["reply_share"] = by.mean(f["parent_id"].notna().astype(float))
        groups.setdefault("engagement", []).append("reply_share")


def _sentiment(out: pd.DataFrame, f: pd.DataFrame, by: _ByAuthor) -> list[str]:
    """Mean sentiment score, its spread, and the shares of negative and positive posts, over the posts whose tone
    a model read (`read_posts` of them; NaN for an author with none): on 2,021 real YouTube comments in Thai, which
    no sentiment model here reads, the English model's "neutral" named a segment "Onlookers: mostly neutral (100 %
    neutral vs 89 % overall)"."""
    read = tone_read(f).to_numpy()
    s = f["sentiment"].astype(float).where(read)
    out["read_posts"] = by.total(read.astype(float))
    out["mean_sentiment"] = by.mean(s)
    out["sentiment_spread"] = np.sqrt(np.maximum(by.mean(s * s) - out["mean_sentiment"].to_numpy() ** 2, 0))
    label = f["sentiment_label"] if "sentiment_label" in f else pd.Series(
        np.where(s >= 0.05, "positive", np.where(s <= -0.05, "negative", "neutral")), index=f.index)
    out["negative_share"] = by.mean((label == "negative").astype(float).where(read))
    out["positive_share"] = by.mean((label == "positive").astype(float).where(read))
    return SENTIMENT_COLUMNS


def _mix(out: pd.DataFrame, f: pd.DataFrame, by: _ByAuthor, group: str, col: str) -> list[str]:
    """Each author's share of posts per value of `col` (one column per common value); [] when it says nothing, or
    when too many posts were not read (`mostly_unread`)."""
    if col not in f or f[col].isna().all():
        return []
    values = f[col].astype("string").fillna("(none)")
    if group == "topics" and "topic" in f:
        values = values.where(f["topic"].astype(int) >= 0, "Outliers")
    cats = values.value_counts()
    if mostly_unread(int(cats.get(NOT_READ, 0)), len(values)):
        return []
    cats = cats[(cats / len(values) >= 0.005) & (cats.index != NOT_READ)].index[:40]  # rare values: noise
    if len(cats) < 2:
        return []
    cols = []
    for cat in cats:
        name = f"{group}: {cat}"
        out[name] = by.mean((values == cat).astype(float))
        cols.append(name)
    return cols


DECIMALS = 9  # of the design matrix: far below any difference between two authors, far above float noise


def design_matrix(table: pd.DataFrame, groups: dict[str, list[str]], use: tuple[str, ...],
                  weights: dict[str, float] | None = None) -> tuple[np.ndarray, list[str]]:
    """The matrix the clustering sees, and the groups in it.

    Numeric features: (x - median) / IQR, clipped to [-4, 4] (counts and followers on a log scale first).
    Mix shares are used as they are. Each group is then divided by the square root of its total variance and
    multiplied by its weight, so every group carries the same say at weight 1 (thin data: `THIN_WEIGHTS`).
    Rounded to `DECIMALS`: the Dask engine adds the same floats in another order (1e-14 apart in 8 of 20,475
    cells of the two sample exports), and UMAP, chaotic, then drew another map on which one author changed
    segment on one machine and not on another."""
    parts, used = [], []
    weights = weights or {}
    for group in use:
        cols = groups.get(group)
        w = float(weights.get(group, 1.0))
        if not cols or w <= 0:
            continue
        x = table[cols].astype(float).copy()
        if group not in MIXES:
            x = _robust_scale(x)
        m = x.fillna(0).to_numpy()
        total = float(m.var(axis=0).sum())
        if total <= 1e-12:
            continue  # constant over every author: says nothing
        parts.append(m / np.sqrt(total) * w)
        used.append(group)
    if not parts:
        return np.zeros((len(table), 0)), []
    return np.round(np.hstack(parts), DECIMALS), used


def _robust_scale(x: pd.DataFrame) -> pd.DataFrame:
    """(x - median) / IQR clipped to [-4, 4], counts, followers and rates on a log scale first."""
    for c in ("posts", "active_days", "engagement_per_post", "followers", "days_since_last"):
        if c in x:
            x[c] = np.log1p(x[c].clip(lower=0))
    if "engagement_rate" in x:
        x["engagement_rate"] = np.log(x["engagement_rate"] + 1e-3)
    med = x.median()
    iqr = (x.quantile(0.75) - x.quantile(0.25))
    iqr = iqr.where(iqr > 0, x.std()).replace(0, 1).fillna(1)
    return ((x - med) / iqr).clip(-4, 4)
