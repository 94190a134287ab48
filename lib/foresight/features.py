"""What the performance model predicts and what it knows before a post goes out: the target (engagement rate,
or log engagement), the post's shape, timing, channel, audience and what its text says (sentiment, emotion,
intent), and an 8-D summary of its words (TF-IDF + SVD, fitted on training posts only)."""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

from lib.ingest.schema import clock_hours
from lib.kpis.engagement import engagement, numeric, rate_basis

_HASHTAG = re.compile(r"#\w+")
_MENTION = re.compile(r"@\w+")
_LINK = re.compile(r"https?://|www\.", re.I)
CATEGORICAL = ("platform", "post_type", "emotion", "intent")
"""Topics are not a feature: the model would wait minutes for the topic fit (or be fitted twice) for nothing.
With the default topic fit's labels as a feature, skill went from 7.6 % to 7.7 % on gamerfuel and from 26.3 % to
26.0 % on connectsphere: the 8-D summary of the words already says what a post is about."""

PLAIN = {"length": "text length", "words": "number of words", "hashtags": "hashtags", "mentions": "@mentions",
         "links": "links", "question": "asks a question", "exclamation": "exclamation mark", "hour": "hour of day",
         "weekday": "weekday", "log_followers": "author followers", "sentiment": "sentiment (VADER)",
         "platform": "platform", "post_type": "post type", "emotion": "emotion", "intent": "intent"}

TEXT_DIMS = 8
TEXT_GROUP = "text content"


def target(frame: pd.DataFrame) -> tuple[pd.Series, str, str]:
    """What is predicted: engagement rate where a rate basis exists (reach, impressions, followers, views),
    else log(1 + engagement). Returns the series (NaN where unknown), its name and a plain description."""
    eng = engagement(frame)
    basis = rate_basis(frame)
    if basis:
        b = numeric(frame, basis)
        y = (eng / b).where(b > 0)
        return y, "engagement_rate", f"engagement rate (engagement / {basis})"
    return np.log1p(eng).where(eng.notna()), "log_engagement", "log(1 + engagement)"


def post_texts(frame: pd.DataFrame) -> pd.Series:
    """The post texts as strings ('' where a post or the whole table has none)."""
    if "text" not in frame:
        return pd.Series("", index=frame.index)
    return frame["text"].fillna("").astype(str)


def _categories(frame: pd.DataFrame) -> dict[str, list[str]]:
    """The one-hot columns worth having: per categorical column, values of at least 5 posts (and 1 %), top 20."""
    categories = {}
    for col in CATEGORICAL:
        if col in frame and frame[col].notna().any():
            counts = frame[col].astype("string").value_counts()
            keep = counts[counts >= max(5, 0.01 * len(frame))].index[:20].tolist()
            if len(keep) >= 2:
                categories[col] = keep
    return categories


def post_features(frame: pd.DataFrame, categories: dict[str, list[str]] | None = None,
                  extra: tuple[str, ...] = ()) -> tuple[pd.DataFrame, dict]:
    """What is known before a post goes out: text shape, timing, channel, author audience and what the text
    says (sentiment, emotion, intent), plus `extra` numeric columns the user knows in advance (paid or
    not, a campaign number). `categories` fixes the one-hot columns (from the training data)."""
    text = post_texts(frame)
    x = pd.DataFrame(index=frame.index)
    x["length"] = text.str.len()
    x["words"] = text.str.split().str.len().fillna(0)
    x["hashtags"] = text.str.count(_HASHTAG.pattern)
    x["mentions"] = text.str.count(_MENTION.pattern)
    x["links"] = text.str.count(_LINK.pattern)
    x["question"] = text.str.contains(r"\?", regex=True).astype(int)
    x["exclamation"] = text.str.contains("!", regex=False).astype(int)
    if "created_at" in frame and frame["created_at"].notna().any():
        if clock_hours(frame["created_at"]).notna().any():  # dates without a time of day (all midnight) tell no hour
            x["hour"] = frame["created_at"].dt.hour
        x["weekday"] = frame["created_at"].dt.weekday
    if "followers" in frame:
        x["log_followers"] = np.log1p(pd.to_numeric(frame["followers"], errors="coerce"))
    if "sentiment" in frame:
        x["sentiment"] = frame["sentiment"].astype(float)
    if categories is None:
        categories = _categories(frame)
    for col in extra:
        x[f"{col}"] = pd.to_numeric(frame[col], errors="coerce") if col in frame else np.nan
    for col, values in categories.items():
        v = frame[col].astype("string") if col in frame else pd.Series(pd.NA, index=frame.index, dtype="string")
        for value in values:
            x[f"{col}={value}"] = (v == value).fillna(False).astype(int)
    return x.astype(float), categories


def text_summary(texts: pd.Series):  # type: ignore[no-untyped-def]
    """A small summary of what posts say: TF-IDF reduced to TEXT_DIMS dimensions (SVD), fitted on the
    training posts only; None when there is too little text to learn words from."""
    from sklearn.decomposition import TruncatedSVD
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import make_pipeline

    texts = texts.fillna("").astype(str)
    if texts.str.strip().ne("").sum() < 50:
        return None
    try:
        return make_pipeline(TfidfVectorizer(stop_words="english", min_df=3, max_features=20_000, sublinear_tf=True),
                             TruncatedSVD(TEXT_DIMS, random_state=0)).fit(texts)
    except ValueError:  # too few distinct words for TEXT_DIMS dimensions
        return None


def with_text_summary(x: pd.DataFrame, texts: pd.Series, summary) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    """The features with the text summary's dimensions joined (unchanged without a summary)."""
    if summary is None:
        return x
    z = summary.transform(texts.fillna("").astype(str))
    return x.join(pd.DataFrame(z, index=x.index, columns=[f"{TEXT_GROUP}#{i + 1}" for i in range(z.shape[1])]))


def feature_group(column: str) -> str:
    """The plain name of the group a feature column belongs to (one-hot columns and text dimensions group)."""
    if column.startswith(TEXT_GROUP):
        return TEXT_GROUP
    g = column.split("=", 1)[0] if "=" in column else column
    return PLAIN.get(g, g)
