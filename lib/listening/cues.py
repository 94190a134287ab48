"""Hand-written cue lexicons (Listening Lab's own, MIT): the words that mark a complaint or an issue
report even when no sentiment word is present ("still no response after 2 hours"), and the polite
openers that make VADER read a complaint as praise ("thanks for the 3 hour delay")."""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

# Service failures and issue reports, across industries (travel, telecom, retail, software, food).
STRONG_ISSUE = (
    "delay", "delayed", "delays", "cancel", "cancelled", "canceled", "cancellation", "stuck", "stranded", "missed",
    "missing", "lost", "lose", "losing", "broken", "broke", "crash", "crashes", "crashed", "bug", "bugs", "glitch",
    "error", "errors",
    "outage", "fail", "failed", "fails", "failure", "refund", "overcharged", "charged twice", "rebook", "rebooked",
    "complaint", "complain", "unacceptable", "useless", "rude", "dirty", "damaged", "leak", "leaking", "scam",
    "denied", "overbooked", "ignored", "ignoring", "on hold", "no one", "nobody", "not working", "doesn't work",
    "does not work", "didn't work", "worst", "waiting", "waited", "issue", "issues",
    "problem", "problems", "wrong", "late",
)
# Words that often sit in complaints but also in ordinary talk: they count only beside stronger evidence.
WEAK_ISSUE = (
    "wait", "hold", "slow", "fee", "fees", "hours", "hrs", "hour", "minutes", "mins", "days", "again", "yet",
    "still", "never", "customer service", "response", "respond", "reply", "answer", "callback", "dm", "agent",
    "supervisor", "fix",
    "why", "how long", "where is", "what happened", "won't", "can't", "cannot", "couldn't", "isn't", "wasn't",
    "haven't", "hasn't", "didn't", "baggage", "luggage", "bag", "flight", "gate", "seat",
)
ISSUE_TERMS = STRONG_ISSUE + WEAK_ISSUE
# Negated availability: "no response", "no one", "still no", "not yet", "no refund".
_NEG_PATTERN = re.compile(
    r"\b(?:no|not|never|without|still no|zero)\s+(?:\w+\s+)?(?:response|reply|answer|update|refund|help|info|"
    r"information|one|call|email|word|show|power|signal|service|wifi|luck|way|seat|bag|bags|food|record)\b",
    re.IGNORECASE)
_POLITE = re.compile(r"\b(?:thanks?|thank you|thx|great job|well done|love (?:it|that)|nice|awesome|"
                     r"appreciate)\b", re.IGNORECASE)
_NUMBER_TIME = re.compile(r"\b\d+\s*(?:\+\s*)?(?:hours?|hrs?|h|minutes?|mins?|days?|weeks?)\b", re.IGNORECASE)
_AMOUNT = re.compile(r"^\d+\s*(?:\+\s*)?")  # the number of a time amount, before its unit
_DIGIT = re.compile(r"\d")
_CAPS = re.compile(r"\b[A-Z]{3,}\b")
_NEGATORS = ("no", "never", "without", "zero")  # a substring of each word _NEG_PATTERN begins with
_WORD = re.compile(r"[a-z']+")
# A problem said not to happen ("no problems at all", "nothing is wrong with it", "never had an issue"): one of
# these words with a denier among the four words before it. Read by the cues here and by intent's lexicons.
DENIERS = frozenset({"no", "not", "never", "nothing", "without", "any", "zero", "don't", "dont", "didn't", "haven't"})
DENIABLE = frozenset({"problem", "problems", "issue", "issues", "wrong", "complaints", "complain", "fail",
                      "drawback", "drawbacks"})
# A problem put right: "thanks, the missing bag was found", "the issue was fixed quickly, thanks" (not "not fixed").
RESOLVED = re.compile(r"\b(?<!not )(?<!n't )(?<!never )(?<!yet to be )(?:fixed|resolved|sorted|solved|found|"
                      r"refunded|helped|got it back|back on track)\b")


def _lexicon(terms: tuple[str, ...]) -> tuple[frozenset[str], tuple[str, ...]]:
    return frozenset(t for t in terms if " " not in t), tuple(t for t in terms if " " in t)


_STRONG, _WEAK = _lexicon(STRONG_ISSUE), _lexicon(WEAK_ISSUE)
_DENIED_STRONG = DENIABLE & _STRONG[0]
_TIME_UNITS = _WEAK[0] & {"hours", "hrs", "hour", "minutes", "mins", "days"}  # a time amount's unit, a weak issue too

CUE_FEATURES = ("strong_issue", "weak_issue", "negated_need", "time_amount", "question", "exclaim",
                "polite_issue", "mention", "all_caps", "length")


def _count(low: str, words: list[str], lexicon: tuple[frozenset[str], tuple[str, ...]]) -> int:
    single, multi = lexicon
    return sum(w in single for w in words) + sum(low.count(p) for p in multi)


def denied(words: list[str], i: int) -> bool:
    """Whether words[i] is a problem said not to happen (`DENIABLE` after one of `DENIERS`, with no "but" between:
    "nothing but problems" reports them)."""
    if words[i] not in DENIABLE:
        return False
    before = words[max(i - 4, 0):i]
    if "but" in before:
        before = before[len(before) - before[::-1].index("but"):]
    return not DENIERS.isdisjoint(before)


def _denied_count(words: list[str]) -> int:
    """Strong issue words said not to happen (what `reported_issues` takes off `strong_issue`)."""
    return sum(denied(words, i) for i, w in enumerate(words) if w in _DENIED_STRONG)


def waiting_time(cues: pd.DataFrame) -> pd.Series:
    """A waiting time in an issue report: a time amount beside an issue word other than its own unit ("on hold 40
    minutes", "still nothing 3 days later"; not "82 days left"). `cues`: `cue_frame`'s.

    Why not `time_amount` and `weak_issue` together: the unit of a time amount ("days", "hours", "minutes") is a
    weak issue word itself, so on its own a time amount looked like a waiting time beside an issue word ("Only 82
    days left until Valentines Day", "sale! 48 hours only!"). The feature columns stay as the shipped model was
    trained on them; this reads `cue_frame`'s `waiting` column, which is no feature."""
    return cues["waiting"] > 0


def reported_issues(cues: pd.DataFrame) -> pd.Series:
    """Issue words the post reports: `strong_issue` less the problems said not to happen ("no issues at all",
    "zero problems with my order, thanks!", which the rules read as complaints until 2026-12-05). The feature
    column stays as the shipped model was trained on it; the rules read this."""
    return (cues["strong_issue"] - cues["denied"]).clip(lower=0)


def cue_frame(texts: pd.Series) -> pd.DataFrame:
    """Numeric cue features per text (counts capped; length in words scaled), `CUE_FEATURES` (what the models
    read), `waiting` (1 where `waiting_time`) and `denied` (problems said not to happen), which only the rules
    read."""
    rows = []
    for t in texts.fillna("").astype(str):
        low = t.lower()
        words = _WORD.findall(low)
        strong, weak = _count(low, words, _STRONG), _count(low, words, _WEAK)
        # each pattern below is searched only where a cheaper test says it can match (the same counts, a third
        # of the time on 14,284 tweets)
        neg = len(_NEG_PATTERN.findall(low)) if any(n in low for n in _NEGATORS) else 0
        amounts = [_AMOUNT.sub("", m) for m in _NUMBER_TIME.findall(low)] if _DIGIT.search(low) else []
        times = len(amounts)
        polite = (strong > 0 or neg > 0 or times > 0) and bool(_POLITE.search(low))
        caps = sum(1 for w in _CAPS.findall(t) if w not in ("USA", "LOL", "OMG")) if t != low else 0
        waiting = times > 0 and weak - sum(u in _TIME_UNITS for u in amounts) >= 1
        rows.append((min(strong, 4), min(weak, 4), min(neg, 3), min(times, 3), min(t.count("?"), 3),
                     min(t.count("!"), 3), float(polite), min(t.count("@"), 3), min(caps, 3),
                     min(len(words), 60) / 20.0, float(waiting), min(_denied_count(words), 4)))
    columns = [*CUE_FEATURES, "waiting", "denied"]
    return pd.DataFrame(np.array(rows, dtype=float).reshape(-1, len(columns)), columns=columns, index=texts.index)
