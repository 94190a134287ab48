"""Aspect-based sentiment: how people feel about each aspect (price, packaging, support, ...), read
only from the sentences that mention it, so "love the taste, hate the packaging" counts once each way."""
from __future__ import annotations

import re

import pandas as pd

from lib.listening import sentiment as sent
from lib.pipeline import THRESHOLDS  # the one default, defined in the pipeline

_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+|\s+-\s+|;\s*")


def parse_aspects(spec: str) -> dict[str, list[str]]:
    """'price: cost, expensive; packaging: wrapper, bag' -> {aspect: [aspect, synonyms...]}.
    One aspect per line or separated by ';'; synonyms after ':' separated by ','."""
    out: dict[str, list[str]] = {}
    for part in re.split(r"[;\n]", spec):
        if not part.strip():
            continue
        name, _, syn = part.partition(":")
        name = name.strip().lower()
        if name:
            words = [name] + [w.strip().lower() for w in syn.split(",") if w.strip()]
            out[name] = list(dict.fromkeys(words))
    return out


def sentences(posts: pd.DataFrame) -> pd.DataFrame:
    """One row per sentence: post_id, sentence."""
    rows = [(pid, s.strip()) for pid, text in zip(posts["post_id"], posts["text"].fillna("").astype(str))
            for s in _SENTENCE.split(text) if s.strip()]
    return pd.DataFrame(rows, columns=["post_id", "sentence"])


def aspect_sentiment(posts: pd.DataFrame, aspects: dict[str, list[str]],
                     thresholds: tuple[float, float] = THRESHOLDS) -> pd.DataFrame:
    """Per aspect mention: post_id, aspect, sentence, VADER compound, sentiment_label of the sentence."""
    cols = ["post_id", "aspect", "sentence", "sentiment", "sentiment_label"]
    if not aspects or posts.empty:
        return pd.DataFrame(columns=cols)
    sent_df = sentences(posts)
    low = sent_df["sentence"].str.lower()
    hits = []
    for aspect, words in aspects.items():
        pattern = r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b"
        mask = low.str.contains(pattern, regex=True)
        hits.append(sent_df[mask].assign(aspect=aspect))
    found = pd.concat(hits, ignore_index=True) if hits else pd.DataFrame(columns=["post_id", "sentence", "aspect"])
    if found.empty:
        return pd.DataFrame(columns=cols)
    scored = sent.score(found["sentence"], thresholds)
    found["sentiment"] = scored["sentiment"].to_numpy()
    found["sentiment_label"] = scored["sentiment_label"].to_numpy()
    return found[cols]


def summary(mentions: pd.DataFrame) -> pd.DataFrame:
    """Per aspect: mentions, posts, shares of each label and net sentiment, most mentioned first."""
    if mentions.empty:
        return pd.DataFrame(columns=["aspect", "mentions", "posts", "positive", "neutral", "negative", "net"])
    shares = pd.crosstab(mentions["aspect"], mentions["sentiment_label"], normalize="index") \
        .reindex(columns=list(sent.LABELS), fill_value=0.0)
    out = pd.DataFrame({"mentions": mentions.groupby("aspect").size(),
                        "posts": mentions.groupby("aspect")["post_id"].nunique()}).join(shares)
    out["net"] = out["positive"] - out["negative"]
    return out.sort_values("mentions", ascending=False).reset_index()[
        ["aspect", "mentions", "posts", "positive", "neutral", "negative", "net"]]


# words frequent in any social post that name no aspect of anything ("check out my channel", "hey guys")
CHATTER = frozenset({"just", "really", "like", "good", "great", "love", "new", "today", "time", "day", "way", "best",
                     "thanks", "lol", "amp", "http", "https", "com", "www", "got", "get", "make", "know", "think",
                     "check", "hey", "guys", "please", "people", "want", "need", "going", "thing", "things", "lot",
                     "look", "said", "say", "right", "yes", "yeah", "let", "thank", "nice", "cool", "awesome",
                     "wow", "omg"})


def suggest(posts: pd.DataFrame, n: int = 12, exclude: set[str] | None = None,
            spam: pd.Series | None = None) -> list[str]:
    """Frequent content words and two-word phrases, as candidate aspects (brand names, contractions and social
    chatter left out). With `spam` (post index -> looks like spam or bot activity), read from the posts that are
    not, unless most are: on real YouTube comments, half of them channel plugs, the first suggestions were
    "check, video, song, youtube, subscribe, channel", what the spam says."""
    from sklearn.feature_extraction.text import CountVectorizer

    from lib.topics.describe import english_contractions
    from lib.topics.prepare import learn_brand_terms

    if spam is not None:
        flagged = spam.reindex(posts.index).fillna(False).astype(bool)
        if 0 < flagged.mean() < 1:
            posts = posts[~flagged]
    texts = posts["text"].fillna("").astype(str)
    if texts.str.len().sum() == 0:
        return []
    contractions = english_contractions()
    # the token pattern cuts "don't" into "don": the stems of the n't contractions ("won", "can" are words)
    stems = {w[:-2] for w in contractions if w.endswith("n't") and w not in ("won't", "can't")}
    skip = {w.lower() for w in (exclude or set())} | CHATTER | contractions | stems
    if "brand" in posts:  # its names and their parts ("katy", "perry" of "KatyPerry")
        skip |= {str(b).lower() for b in posts["brand"].dropna().unique()}
    # and handles; with no brand column, the handle most posts address: a care inbox's first aspect was its own
    # "spotifycares", in every post
    skip |= set(learn_brand_terms(posts))
    vec = CountVectorizer(stop_words="english", ngram_range=(1, 2), min_df=3, max_features=400,
                          token_pattern=r"(?u)\b[a-zA-Z][a-zA-Z-]{2,}\b")
    try:
        x = vec.fit_transform(texts)
    except ValueError:
        return []
    counts = pd.Series(x.sum(axis=0).A1, index=vec.get_feature_names_out()).sort_values(ascending=False)
    picked: list[str] = []
    for term in counts.index:
        words = term.split()
        if any(w in skip for w in words) or any(term in p or p in term for p in picked):
            continue
        picked.append(term)
        if len(picked) == n:
            break
    return picked
