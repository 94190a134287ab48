"""Emotion words: Listening Lab's own word lists (MIT), grouped into the emotions the app shows.

The label of a post comes from the model learned from GoEmotions (`lib/listening/emotion_model.py`); these
lists say *which words* point to an emotion, as an explanation beside it, and are the word-list baseline in
bench/eval_emotion.py. They were written after Plutchik's eight emotions and are grouped here into
Ekman's six as GoEmotions groups its labels: trust words (admiration, approval, gratitude, caring) and the
anticipation words that name a feeling (hope, eagerness) count as joy; anticipation words that only name a
time or a plan ("tomorrow", "will", "launch") were dropped.

Why our own lists: the widely used NRC Emotion Lexicon forbids commercial use without a licence, so it
is not shipped. A word preceded by a negation ("not happy") does not count. The feeling words people use of
themselves ("I feel drained / reassured / pressured") were found by listing the words the dair-ai *training*
tweets use after "I feel" that the lists missed (with the emotion that set gives them); a word was kept only
where that is the emotion it names, ambiguous ones ("strong", "cold", "fine") left out. No text or label
of that set is shipped.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

import numpy as np
import pandas as pd

# Ekman's six basic emotions, the emotions the app shows; a post with no clear emotion is NEUTRAL.
EMOTIONS = ("joy", "surprise", "sadness", "fear", "anger", "disgust")
NEUTRAL = "neutral"
NOT_READ = "n/a"  # emotion and intent of a post in a language these English-only models cannot read
# each emotion's probability, as the emotion models give them and posts.csv and an opened run carry them
PROBABILITY_COLUMNS = tuple(f"emotion_{c}" for c in (*EMOTIONS, NEUTRAL))
POSITIVE_EMOTIONS = ("joy", "surprise")  # ties between word counts go to the one that fits the sentiment


def clear_emotion(emotion: pd.Series) -> pd.Series:
    """Whether each post carries one of the six emotions: neither "neutral" nor not read ("n/a"), nor missing."""
    return emotion.isin(EMOTIONS)

LEXICON: dict[str, tuple[str, ...]] = {
    "joy": ("happy", "happiness", "glad", "joy", "joyful", "love", "loved", "loving", "lovely", "delighted",
            "excited", "exciting", "fun", "enjoy", "enjoyed", "enjoying", "great", "awesome", "amazing", "wonderful",
            "fantastic", "brilliant", "yay", "perfect", "best", "pleased", "cheerful", "thrilled", "smile", "laugh",
            "lol", "haha", "celebrate", "blessed", "grateful", "thankful", "proud", "satisfied", "elated", "ecstatic",
            "glee", "hooray", "woohoo", "fabulous", "beautiful", "delicious", "tasty", "elite", "superb", "good",
            "lucky", "invigorated", "honored", "honoured", "energetic", "inspired", "triumphant", "content",
            "contented", "festive", "relieved", "peaceful", "relaxed", "calm", "carefree", "optimistic",
            "amused", "playful", "reassured", "comfortable", "terrific", "passionate",
            # trust (Plutchik) words: GoEmotions counts admiration, approval, gratitude, caring as joy
            "trust", "reliable", "recommend", "recommended", "honest", "safe", "secure", "loyal", "confident",
            "dependable", "faithful", "support", "supportive", "helpful", "transparent", "transparency",
            "credible", "genuine", "respect", "accurate", "consistent", "sincere", "assured", "accepted",
            "appreciate", "appreciated", "caring", "kind", "welcomed", "valued",
            "appreciative", "respected",
            # anticipation (Plutchik) words that name a feeling: optimism, desire, excitement are joy
            "hope", "hoping", "hopeful", "eager", "anticipate", "looking forward", "can't wait", "cannot wait",
            "excited for"),
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


def _hits(text: str) -> Iterator[tuple[str, int]]:
    """(word or two-word phrase, emotion index) for each non-negated emotion word of a text."""
    toks = _TOKEN.findall(text.lower())
    for j, w in enumerate(toks):
        hits = [(w, k) for k in _SINGLE.get(w, [])]
        if w in _MULTI_FIRST and j + 1 < len(toks):
            hits += [(f"{w} {toks[j + 1]}", k) for k in _MULTI.get((w, toks[j + 1]), [])]
        if hits and not any(p in _NEGATION for p in toks[max(0, j - 2):j]):
            yield from hits


class EmotionWords(NamedTuple):
    counts: pd.DataFrame  # non-negated emotion words per post, one column per emotion
    words: pd.Series  # the words with the emotion each names ("thrilled (joy), worried (fear)"), "" when none


def emotion_words(texts: pd.Series, unstretch: bool = True) -> EmotionWords:
    """The emotion words of each post, counted per emotion and listed (each once, in order). The list explains
    the model's label beside it and may disagree with it ("great, another delay": anger to the model, "great"
    a joy word); the counts are features of the model and the word lists' own label (`dominant_emotion`).
    `unstretch`: "angryyyy" read as "angry" (`sentiment.unstretched_texts`); the model's training reads the
    comments as they were, so a rebuild gives the shipped file."""
    from lib.listening.sentiment import unstretched_texts

    counts = np.zeros((len(texts), len(EMOTIONS)))
    words = []
    for i, t in enumerate(unstretched_texts(texts) if unstretch else texts.fillna("").astype(str)):
        found: dict[str, None] = {}
        for w, k in _hits(t):
            counts[i, k] += 1
            found[f"{w} ({EMOTIONS[k]})"] = None
        words.append(", ".join(found))
    return EmotionWords(pd.DataFrame(counts, columns=list(EMOTIONS), index=texts.index),
                        pd.Series(words, index=texts.index, dtype=object))


def dominant_emotion(scores: pd.DataFrame, sentiment_label: pd.Series | None = None) -> pd.Series:
    """The word lists' own label: the emotion with most words per post, ties to the one that fits the post's
    sentiment, NEUTRAL with no emotion word. The baseline the learned model is measured against."""
    values = scores.to_numpy().astype(float).copy()
    if sentiment_label is not None:
        lab = sentiment_label.reindex(scores.index).to_numpy()
        pos = np.array([e in POSITIVE_EMOTIONS for e in EMOTIONS])
        values += 0.1 * ((lab == "positive")[:, None] * pos + (lab == "negative")[:, None] * ~pos)
    best = values.argmax(axis=1)
    label = np.where(scores.to_numpy().sum(axis=1) > 0, np.array(EMOTIONS)[best], NEUTRAL)
    return pd.Series(label, index=scores.index)
