"""Emotion per post from Listening Lab's own word lists (MIT), after Plutchik's eight basic emotions.

Why our own lists: the widely used NRC Emotion Lexicon forbids commercial use without a licence, so it
is not shipped. These lists are short and transparent; a word preceded by a negation ("not happy")
does not count. Posts with no emotion word get "none". The feeling words people use of themselves ("I feel
drained / reassured / pressured") were found by listing the words the dair-ai *training* tweets use after
"I feel" that the lists missed (with the emotion that set gives them); a word was kept only where that is
the emotion it names, ambiguous ones ("strong", "cold", "fine") left out. The set's held-out *test* part
measures the lists (README); no text or label of the set is shipped.
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

EMOTIONS = ("joy", "trust", "fear", "surprise", "sadness", "disgust", "anger", "anticipation")

LEXICON: dict[str, tuple[str, ...]] = {
    "joy": ("happy", "happiness", "glad", "joy", "joyful", "love", "loved", "loving", "lovely", "delighted",
            "excited", "exciting", "fun", "enjoy", "enjoyed", "enjoying", "great", "awesome", "amazing", "wonderful",
            "fantastic", "brilliant", "yay", "perfect", "best", "pleased", "cheerful", "thrilled", "smile", "laugh",
            "lol", "haha", "celebrate", "blessed", "grateful", "thankful", "proud", "satisfied", "elated", "ecstatic",
            "glee", "hooray", "woohoo", "fabulous", "beautiful", "delicious", "tasty", "elite", "superb", "good",
            "lucky", "invigorated", "honored", "honoured", "energetic", "inspired", "triumphant", "content",
            "contented", "festive", "relieved", "peaceful", "relaxed", "calm", "carefree", "optimistic",
            "amused", "playful", "reassured", "comfortable", "terrific", "passionate"),
    "trust": ("trust", "reliable", "recommend", "recommended", "honest", "safe", "secure", "loyal", "confident",
              "dependable", "faithful", "support", "supportive", "helpful", "transparent", "transparency",
              "credible", "genuine", "respect", "accurate", "consistent", "sincere", "assured", "accepted",
              "appreciate", "appreciated", "caring", "kind", "welcomed", "valued",
              "appreciative", "respected"),
    "fear": ("afraid", "scared", "scary", "fear", "fearful", "worried", "worry", "worrying", "anxious", "anxiety",
             "nervous", "panic", "terrified", "terrifying", "frightened", "creepy", "risk", "risky", "danger",
             "dangerous", "threat", "unsafe", "uneasy", "concerned", "concern", "dread", "alarming", "insecure",
             "paranoid", "surveillance", "invasive", "intrusive", "vulnerable", "helpless", "reluctant", "apprehensive",
             "uncomfortable", "hesitant", "uncertain", "intimidated", "pressured", "unsure", "threatened",
             "shaken", "restless", "shaky", "frantic", "distressed", "uptight"),
    "surprise": ("surprised", "surprise", "surprising", "wow", "whoa", "unexpected", "unexpectedly", "shocked",
                 "shocking", "amazed", "astonished", "sudden", "suddenly", "omg", "unbelievable", "stunned",
                 "speechless", "curious", "weird", "strange", "impressed", "startled", "dazed", "funny", "odd"),
    "sadness": ("sad", "sadness", "unhappy", "depressed", "depressing", "cry", "crying", "tears", "miss", "missed",
                "lonely", "alone", "heartbroken", "disappointed", "disappointing", "disappointment", "sorry", "upset",
                "hurt", "grief", "gloomy", "miserable", "regret", "lost", "sigh", "unfortunately", "helpless",
                "hopeless", "low", "down", "empty", "gutted", "devastated", "sucks", "shame", "pity", "tired",
                "exhausted", "broken",
                "ashamed", "guilty", "lethargic", "unwelcome", "burdened", "homesick", "groggy", "regretful",
                "humiliated", "defeated", "disheartened", "unimportant", "lousy", "pathetic", "discouraged",
                "isolated", "listless", "foolish", "deprived", "rejected", "troubled", "inadequate", "worthless",
                "unloved", "doomed", "drained", "jaded", "numb", "weepy", "discontent", "remorseful", "ignored",
                "embarrassed"),
    "disgust": ("disgusting", "disgusted", "gross", "nasty", "vile", "revolting", "sick", "sickening", "yuck",
                "eww", "ew", "awful", "horrible", "repulsive", "filthy", "dirty", "rotten", "stale", "unpleasant",
                "distasteful", "offensive", "creepy", "ugh", "spam", "scam", "trash", "garbage", "foul", "stinks"),
    "anger": ("angry", "anger", "mad", "furious", "rage", "hate", "hated", "annoying", "annoyed", "irritated",
              "frustrated", "frustrating", "frustration", "outraged", "ridiculous", "unacceptable", "pissed",
              "livid", "fed up", "sick of", "rude", "worst", "terrible", "useless", "stupid", "wtf", "damn",
              "idiots", "furious", "hostile", "bitter", "resent", "ruined", "insulting", "disrespectful", "fail",
              "wasted", "hell",
              "cranky", "resentful", "dissatisfied", "irritable", "offended", "jealous", "envious", "insulted",
              "wronged", "bothered", "impatient"),
    "anticipation": ("expect", "expecting", "expected", "anticipate", "waiting", "await", "awaiting", "soon",
                     "upcoming", "tomorrow", "next", "plan", "planning", "hope", "hoping", "hopeful", "eager",
                     "looking forward", "can't wait", "cannot wait", "ready", "prepare", "preparing", "launch",
                     "coming", "countdown", "future", "will", "gonna", "excited for", "roadmap", "plans"),
}
_NEGATION = {"not", "no", "never", "isn't", "wasn't", "aren't", "don't", "didn't", "doesn't", "can't", "cannot",
             "won't", "hardly", "without", "nothing", "nor"}
_TOKEN = re.compile(r"[a-z']+")


def _compile() -> tuple[dict[str, list[int]], dict[tuple[str, str], list[int]]]:
    single: dict[str, list[int]] = {}
    multi: dict[tuple[str, str], list[int]] = {}
    for k, emo in enumerate(EMOTIONS):
        for term in LEXICON[emo]:
            parts = term.split()
            hits = single.setdefault(parts[0], []) if len(parts) == 1 else multi.setdefault((parts[0], parts[1]), [])
            if k not in hits:  # a word listed twice under one emotion counts once
                hits.append(k)
    return single, multi


_SINGLE, _MULTI = _compile()
_MULTI_FIRST = frozenset(first for first, _ in _MULTI)


def emotion_scores(texts: pd.Series) -> pd.DataFrame:
    """Counts of non-negated emotion words per post, one column per emotion."""
    out = np.zeros((len(texts), len(EMOTIONS)))
    for i, t in enumerate(texts.fillna("").astype(str)):
        toks = _TOKEN.findall(t.lower())
        for j, w in enumerate(toks):
            hits = _SINGLE.get(w, [])
            if w in _MULTI_FIRST and j + 1 < len(toks):
                hits = hits + _MULTI.get((w, toks[j + 1]), [])
            if not hits or any(p in _NEGATION for p in toks[max(0, j - 2):j]):
                continue
            for k in hits:
                out[i, k] += 1
    return pd.DataFrame(out, columns=list(EMOTIONS), index=texts.index)


def dominant_emotion(scores: pd.DataFrame, sentiment_label: pd.Series | None = None) -> pd.Series:
    """The strongest emotion per post; ties go to the one that fits the post's sentiment; none if no words."""
    values = scores.to_numpy().astype(float).copy()
    if sentiment_label is not None:
        lab = sentiment_label.reindex(scores.index).to_numpy()
        pos, neg = np.array([e in ("joy", "trust", "anticipation", "surprise") for e in EMOTIONS]), \
            np.array([e in ("fear", "sadness", "disgust", "anger") for e in EMOTIONS])
        values += 0.1 * ((lab == "positive")[:, None] * pos + (lab == "negative")[:, None] * neg)
    best = values.argmax(axis=1)
    label = np.where(scores.to_numpy().sum(axis=1) > 0, np.array(EMOTIONS)[best], "none")
    return pd.Series(label, index=scores.index)
