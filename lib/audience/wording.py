"""The words of a persona, chosen against the dataset so that a name never says more than its numbers, and the
plain sentence on how far a set of segments can be trusted.

Why relative: on real exports absolute cut-offs named a segment with 39 % negative posts "critics" in a dataset
with 41 %, and a trait held by 1.3 % of a segment's posts went into its name. A word now needs a clear difference
from the whole dataset (or from its median author), and a trait a real part of the segment's posts."""
from __future__ import annotations

import math
import re
from functools import cache

CLEAR_POINTS = 0.10  # "clearly more": at least 10 points above the dataset's share ...
CLEAR_RATIO = 1.3    # ... and 1.3 times as common (or its complement 1.3 times rarer, for common shares)
TRAIT_SHARE = 0.25   # a trait names a segment when it holds for >= 25 % of its posts ...
TRAIT_LIFT = 1.5     # ... and 1.5 times the dataset's share
POWER_RATIO = 2.0    # "power": >= 2x the posts of the median author
RARE_RATIO = 2 / 3   # "rare": a third fewer posts or less
_EXTRA_NOISE = ("told", "said", "says", "say", "people", "thing", "things", "really", "know", "think", "want",
                "going", "gonna", "yeah", "yes", "oh", "ok", "okay", "reddit", "subreddit", "op", "edit", "deleted",
                "removed", "youtube", "video", "channel", "subscribe", "check", "tweet", "post", "posts")


def clearly_more(share: float, base: float) -> bool:
    """`share` is clearly above `base`: 10 points more and 1.3x as common, or (for a common base such as 62 %
    positive) the rest 1.3x rarer, so that 78 % positive against 62 % counts and 39 % against 41 % never does."""
    if not (math.isfinite(share) and math.isfinite(base)) or share < base + CLEAR_POINTS:
        return False
    return share >= CLEAR_RATIO * base or (1 - share) <= (1 - base) / CLEAR_RATIO


def trait_holds(share: float, base: float) -> bool:
    """A trait (an intent, emotion, topic, platform, post type) may name a segment: a real part of its posts."""
    return math.isfinite(share) and share >= TRAIT_SHARE and share >= TRAIT_LIFT * max(base, 0.0)


def activity_word(ratio: float) -> tuple[str, str]:
    """The name's activity word and its phrase, from posts per author against the median author's; ""
    when the segment is not clearly more or less active."""
    if ratio >= POWER_RATIO:
        return "Power", "very active"
    if ratio <= RARE_RATIO + 1e-9:
        return "Rare", "rarely posting"
    return "", ""


def tone(pos: float, neg: float, base_pos: float, base_neg: float) -> tuple[str, str]:
    """The name's noun and the description's sentiment phrase, each number beside the dataset's."""
    neu, base_neu = 1 - pos - neg, 1 - base_pos - base_neg
    shares = {"negative": neg, "neutral": neu, "positive": pos}
    most = max(shares, key=lambda k: shares[k])

    def though(tone: str) -> str:
        """The segment's largest share, where it is not the one its name is read from: a real airline export's
        "Onlookers" were "mostly neutral (49 % neutral vs 16 % overall)" with 51 % of their posts negative."""
        return "" if most == tone or shares[most] <= shares[tone] else \
            f", though {shares[most]:.0%} of its posts are {most}"

    # more negative than the dataset yet mostly positive (or the reverse) is no critic (advocate): said, not named
    if clearly_more(neg, base_neg):
        if most == "positive":
            return "authors", f"cooler than the dataset ({neg:.0%} negative vs {base_neg:.0%} overall)" + \
                though("negative")
        return "critics", f"critical ({neg:.0%} negative vs {base_neg:.0%} overall)" + though("negative")
    if clearly_more(pos, base_pos):
        if most == "negative":
            return "authors", f"warmer than the dataset ({pos:.0%} positive vs {base_pos:.0%} overall)" + \
                though("positive")
        return "advocates", f"enthusiastic ({pos:.0%} positive vs {base_pos:.0%} overall)" + though("positive")
    if clearly_more(neu, base_neu):
        return "onlookers", (f"{'mostly' if neu >= 0.5 else 'often'} neutral ({neu:.0%} neutral vs {base_neu:.0%} "
                             "overall)") + though("neutral")
    mix = f"{pos:.0%} positive, {neg:.0%} negative vs {base_pos:.0%} and {base_neg:.0%} overall"
    if 0.5 < pos < 0.7 and neg <= base_neg:  # more positive than not, but far from won over
        return "cautious supporters", f"positive with reservations ({mix})"
    return "authors", f"{leaning(pos, neg, base_pos, base_neg)} ({mix})"


NEAR_POINTS = 0.05  # a share within 5 points of the dataset's is close to it


def leaning(pos: float, neg: float, base_pos: float, base_neg: float) -> str:
    """How a segment's tone differs from the dataset's where no share is clearly apart (`clearly_more`): a real
    X scrape's segment of 39 % positive, 31 % negative posts against 51 % and 22 % overall was said to have
    "sentiment close to the dataset's"."""
    if abs(pos - base_pos) < NEAR_POINTS and abs(neg - base_neg) < NEAR_POINTS:
        return "sentiment close to the dataset's"
    net = (pos - neg) - (base_pos - base_neg)
    if abs(net) >= NEAR_POINTS:
        return "cooler than the dataset" if net < 0 else "warmer than the dataset"
    return "more divided than the dataset" if pos > base_pos else "more often neutral than the dataset"


@cache
def _blocked() -> tuple[frozenset[str], tuple[str, ...]]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    from lib.topics.describe import AUXILIARIES, CHAT_FILLERS, PLATFORM_NOISE, profanity

    rude, prefixes = profanity()
    words = set(ENGLISH_STOP_WORDS) | set(PLATFORM_NOISE) | set(CHAT_FILLERS) | set(AUXILIARIES) | set(_EXTRA_NOISE)
    return frozenset(words | rude), prefixes


# Chinese characters, kana and Hangul: one character is a syllable or a morpheme, so a two-character word is a
# whole word ("今日", today), never the fragment that two Latin letters are
_DENSE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


def naming_word(word: str) -> bool:
    """A word may stand in a persona's name: no stop word, platform noise, profanity, number or fragment."""
    w = word.strip().lower().strip("#@'\"")
    words, prefixes = _blocked()
    long_enough = len(w) >= 3 or (len(w) == 2 and bool(_DENSE.search(w)))
    return long_enough and not w.isdigit() and w not in words and not w.startswith(prefixes)


def lead_words(label: str) -> str:
    """A topic label's first phrase that may name a persona ('transfer failed · message · error': 'transfer
    failed'), else its first such word; "" when it has none."""
    for phrase in re.split(r"\s*(?:·|,|;|/|\|)\s*", str(label)):
        words = phrase.split()
        if words and all(naming_word(w) for w in words):
            return " ".join(words)
    return clean_label(label, 1)


def clean_label(label: str, most: int = 3) -> str:
    """A topic label ('fuck · fucking · told', 'price, taste') reduced to the words that may name a persona."""
    words = [w for w in re.split(r"\s*(?:·|,|;|/|\|)\s*|\s+", str(label)) if w and naming_word(w)]
    return " · ".join(dict.fromkeys(words[:most]))


def trust_note(metrics: dict, median_posts: float | None = None, unit: str = "authors") -> str:
    """How far the segments can be trusted, in plain words, from stability (agreement with a second run seeded
    differently, adjusted Rand) and separation (silhouette)."""
    stab, sep = metrics.get("stability_ari"), metrics.get("silhouette")
    bits = []
    if stab is not None:
        if stab >= 0.9:
            bits.append(f"Stability {stab:.2f}: a second run with another seed finds nearly the same segments.")
        elif stab >= 0.75:
            bits.append(f"Stability {stab:.2f}: a second run with another seed finds mostly the same segments; "
                        f"some {unit} on the edges change segment.")
        else:
            bits.append(f"Stability {stab:.2f}: a second run with another seed agrees only "
                        f"{'partly' if stab >= 0.5 else 'a little'}; segments would be drawn differently.")
    if sep is not None:
        if sep >= 0.5:  # Kaufman & Rousseeuw's reading of a silhouette: > 0.5 reasonable, 0.25-0.5 weak
            bits.append(f"Separation {sep:.2f}: the segments stand clearly apart.")
        elif sep >= 0.25:
            bits.append(f"Separation {sep:.2f}: the segments are distinct but loose; {unit} at their edges "
                        "could belong to either side.")
        elif sep >= 0.1:
            bits.append(f"Separation {sep:.2f}: the segments overlap; many {unit} sit between two of them.")
        else:
            bits.append(f"Separation {sep:.2f}: the segments shade into each other.")
    if median_posts is not None and median_posts <= 2:
        bits.append("Most authors wrote one or two posts, so a segment mostly describes single posts, not habits.")
    firm = (stab or 0) >= 0.9 and (sep or 0) >= 0.25 and not (median_posts is not None and median_posts <= 2)
    rough = (stab is not None and stab < 0.75) or (sep is not None and sep < 0.1)
    bits.append("Solid enough to act on." if firm else "Treat these segments as a rough grouping." if rough else
                "Use them as a working grouping and read a segment's typical posts before acting on it.")
    return " ".join(bits)
