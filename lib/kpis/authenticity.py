"""Audience authenticity: how bot- or spam-like each post and author looks, from transparent signals.

No model is trained: every signal is a rule a person can check, combined as a "noisy OR" (each signal
alone can make a post suspicious; several together make it very likely):
- links and link-like domains ("murdev.com", "bit.ly/..."): in full in YouTube, Instagram and TikTok comments,
  in part elsewhere, where sharing a link is ordinary posting (`COMMENT_PLATFORMS`);
- self-promotion ("check out my channel", "subscribe", "follow me", "free gift card", promo codes);
- copy-paste: the same text (ignoring case, digits, links and punctuation) posted more than once by one
  author (full signal) or by several authors (half: retweets and quotes are copies too); and a post that repeats
  its own words over and over (`flood`: chain prayers, "I hate Joomla" twenty times);
- burst posting: an author posting many times within minutes;
- follower anomalies: an author with almost no followers posting a lot.
Evaluated on the real labelled YouTube comments in ../shared/data/youtube_spam (README has the figures).
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

# What a customer checks of their own, which no one promotes: "please check my account", "checking my balance".
# Asking for help, or to check a customer's account, is how a support inbox reads: "my account", "please help" and
# "please check" flagged 10 % of Banking77's 3,080 customer queries as self-promotion (README).
_SERVICE_NOUNS = (r"(?:account|balance|card|cards|order|orders|statement|transactions?|payments?|transfers?|email|"
                  r"inbox|bank|details|status|pin|phone|refund|booking|bill)")
URL = re.compile(r"https?://|www\.|\b[\w-]+\.(?:com|net|org|ly|io|co|me|tv|info|biz|ru|us|uk|de|xyz|gl|be|gg)\b"
                 r"|\b[\w-]+\.[a-z]{2,12}/\S")  # a known TLD, or any domain followed by a path
PROMO = re.compile(
    r"\b(?:check(?:ing)?\s+(?:out\s+)?(?:(?:my|our)\b(?!\s+" + _SERVICE_NOUNS + r"\b)|this\b|out\b)|"
    r"checked\s+out\s+(?:some\s+of\s+)?(?:my|our)\b(?!\s+" + _SERVICE_NOUNS + r"\b)|check\s+(?:me|us)\s+out|"
    r"my\s+(?:new\s+|latest\s+|first\s+)?(?:channel|videos?|page|music|songs?|blog|website|site|profile|store|shop|"
    r"covers?|rap|band|remix(?:es)?|tracks?|beats|mixtape|vlogs?|podcast)|"
    r"subscrib\w*|sub\s+(?:to|4|for|me)\b|(?:some|\d+)\s+(?:more\s+)?subs\b|follow\s+(?:me|us|my)\b|"
    r"visit\s+(?:my|our|us)\b|click\s+(?:here|the\s+link|this|my)|free\s+(?:gift|money|followers|iphone|codes?|"
    r"giveaway)|gift\s*cards?|promo\s*codes?|use\s+(?:my\s+)?code|earn\s+(?:money|\$)|make\s+money|"
    r"giveaway|link\s+in\s+(?:my\s+)?bio|dm\s+(?:me|us)\s+for|please\s+(?:like|share|sub\w*)|"
    r"(?:like|thumbs\s+up)\s+(?:this|my)\s+comment|views?\s+on\s+my)")
# Both are matched against lower-cased text (three times faster than re.IGNORECASE).
_NORM_DROP = re.compile(r"https?://\S+|www\.\S+|\d+|[^\w\s]", re.U)

SIGNAL_WEIGHTS = {"link": 0.75, "promo": 0.8, "copy_paste": 0.6, "burst": 0.35, "low_followers": 0.25, "flood": 0.6}
# A post of at least FLOOD_WORDS words of which fewer than FLOOD_DISTINCT are distinct: on the real YouTube comments
# 12 posts, all spam by the collection's labels (two of them flagged by nothing else: chain prayers "... pray for us
# ... pray for us"); in GoEmotions train, TweetEval, Banking77 train and the VADER paper's texts (81,000) one, "I
# hate Joomla" repeated (bench/eval_spam.py: the VADER tweets' flagged share 0.8 % -> 0.9 %, that one post).
FLOOD_WORDS, FLOOD_DISTINCT = 30, 0.4
_WORDS = re.compile(r"[a-z']+")
# A link in a video's or a photo's comments is the classic spam (real YouTube comments: precision 0.98). Elsewhere
# (X, LinkedIn, Reddit, Facebook posts, or no platform) a link is how people share: alone it counted 27 % of the
# real Sentiment140 tweets as spam, so there it weighs 0.75 x 0.6 = 0.45, under THRESHOLD, until a second signal
# (self-promotion, copy-paste, bursts) joins it.
COMMENT_PLATFORMS = ("youtube", "instagram", "tiktok")
SHARED_LINK = 0.6
THRESHOLD = 0.5  # a post scoring at least this is counted as likely spam / bot


def normalise(texts: pd.Series) -> pd.Series:
    return texts.fillna("").str.lower().str.replace(_NORM_DROP, " ", regex=True).str.split().str.join(" ")


def _own_signals(posts: pd.DataFrame) -> pd.DataFrame:
    """The signals a post's own text gives (link, promo), and the text: what needs no other post."""
    text = posts["text"].fillna("").astype(str) if "text" in posts else pd.Series("", index=posts.index)
    out = pd.DataFrame(index=posts.index)
    low = text.str.lower()
    link = low.str.contains(URL).astype(float)
    platform = posts["platform"].astype("string").str.lower() if "platform" in posts else None
    comment = platform.isin(COMMENT_PLATFORMS).fillna(False).to_numpy() if platform is not None else False
    out["link"] = link * np.where(comment, 1.0, SHARED_LINK)
    out["promo"] = low.str.contains(PROMO).astype(float)
    return out.assign(_text=text)


def _flood(low: str) -> bool:
    words = _WORDS.findall(low)
    return len(words) >= FLOOD_WORDS and len(set(words)) < FLOOD_DISTINCT * len(words)


def signals(posts: pd.DataFrame) -> pd.DataFrame:
    """Per post, each signal in [0, 1] (index aligned with the posts)."""
    out = _own_signals(posts)
    text = out.pop("_text")
    out["flood"] = text.str.lower().map(_flood).astype(float)  # per post: the same in any partition
    norm = normalise(text)
    long_enough = norm.str.len() >= 20  # "lol" twice is not copy-paste
    repeated = long_enough & (norm.map(norm.value_counts()) >= 2)
    out["copy_paste"] = repeated.astype(float) * 0.5
    out["burst"] = 0.0
    out["low_followers"] = 0.0
    if "author" in posts and posts["author"].notna().any():
        author = posts["author"].astype("string")
        same_author = pd.Series(list(zip(author.fillna(""), norm)), index=posts.index)
        own_repeat = long_enough & author.notna() & (same_author.map(same_author.value_counts()) >= 2)
        out.loc[own_repeat, "copy_paste"] = 1.0
        if "created_at" in posts and posts["created_at"].notna().any():
            ts = posts["created_at"]
            order = ts.sort_values(kind="stable").index
            prev = ts.loc[order].groupby(author.loc[order]).diff()
            close = (prev.dt.total_seconds() < 120).reindex(posts.index).fillna(False)
            out["burst"] = close.groupby(author).transform("mean").fillna(0).clip(0, 1).astype(float)
        if "followers" in posts and posts["followers"].notna().any():
            n_posts = author.map(author.value_counts()).fillna(0)
            few = pd.to_numeric(posts["followers"], errors="coerce") < 20
            out["low_followers"] = (few & (n_posts >= 5)).astype(float)
    return out


def self_promotion(posts: pd.DataFrame) -> pd.Series:
    """Per post, whether its own text flags it (a link where links are spam, self-promotion), with no signal that
    needs the other posts (copy-paste, bursts): the same answer in any partition of the data, so the audience's
    author tables agree between engines."""
    s = _own_signals(posts)
    return noisy_or(s[["link", "promo"]].assign(copy_paste=0.0, burst=0.0, low_followers=0.0, flood=0.0)) \
        >= THRESHOLD  # a flood of words is spam, not self-promotion: no verdict on its sentiment is taken back


def post_scores(posts: pd.DataFrame) -> pd.Series:
    """Bot/spam-likeness per post in [0, 1]: noisy OR of the weighted signals."""
    return noisy_or(signals(posts))


def noisy_or(s: pd.DataFrame) -> pd.Series:
    """The bot/spam-likeness of posts from their signals (`signals`' columns)."""
    keep = np.ones(len(s))
    for name, w in SIGNAL_WEIGHTS.items():
        keep *= 1 - w * s[name].to_numpy()
    return pd.Series(1 - keep, index=s.index, name="bot_likeness")


def likely_spam(posts: pd.DataFrame) -> pd.Series:
    """Which posts the rules flag as spam or bot activity (bot/spam-likeness at or over THRESHOLD): what the
    Listening page's switch and the report leave out, and what the spam benchmark scores."""
    return post_scores(posts) >= THRESHOLD


def author_scores(posts: pd.DataFrame, scores: pd.Series | None = None) -> pd.DataFrame:
    """Per author: posts, mean bot-likeness and the share of their posts over the threshold."""
    if "author" not in posts or posts["author"].isna().all():
        return pd.DataFrame(columns=["author", "posts", "bot_likeness", "suspicious_share", "likely_bot"])
    scores = post_scores(posts) if scores is None else scores
    g = pd.DataFrame({"author": posts["author"], "s": scores, "flag": scores >= THRESHOLD}).groupby("author")
    out = pd.DataFrame({"posts": g.size(), "bot_likeness": g["s"].mean(), "suspicious_share": g["flag"].mean()})
    out["likely_bot"] = out["bot_likeness"] >= THRESHOLD
    return out.reset_index().sort_values("bot_likeness", ascending=False)


SPAM_WORTH_SAYING = 0.2  # from this share of flagged posts the Overview says so first
SPAM_TO_LEAVE_OUT = 0.02  # from this share the Listening page and the report offer to leave them out


def leave_out_label(flags: pd.Series) -> str:
    """The switch that leaves likely spam out (Listening page, Report page), or "" where there is too little to
    offer it (under SPAM_TO_LEAVE_OUT)."""
    if not len(flags) or flags.mean() < SPAM_TO_LEAVE_OUT:
        return ""
    return f"Leave out likely spam and bot posts ({int(flags.sum()):,}, {flags.mean():.0%} of posts)"


def spam_note(flags: pd.Series) -> str:
    """What the Overview says of a dataset's spam (`flags`: posts at or over THRESHOLD), or "" under
    SPAM_WORTH_SAYING: on the real UCI YouTube comments, 940 of 1,956 posts (48 %)."""
    if not len(flags) or flags.mean() < SPAM_WORTH_SAYING:
        return ""
    return (f"{int(flags.sum()):,} of the {len(flags):,} posts ({flags.mean():.0%}) look like spam or bot activity "
            "(links, self-promotion, copy-paste, bursts). Every figure counts them unless you leave them out: the "
            "Listening page and the report can; the Topics page marks topics that are mostly spam.")
