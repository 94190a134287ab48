"""Sentiment an export already carries: a listening tool's "Sentiment" column (Brandwatch, Talkwalker, Meltwater,
Sprout), a labelled dataset's polarity (Sentiment140's 0/2/4, the airline tweets' `airline_sentiment`) or a
review's stars (Trustpilot, Google, app stores). A user who has one expects the app to say how its own label
compares, and to be able to use it: as labels, it calibrates the shares and teaches the dataset's model like
labels given on the Listening page.

Found by name and by values, never guessed from numbers alone: a column named for sentiment, polarity, tone or
stars/rating/score whose values read as negative / neutral / positive (words, a 0/2/4 polarity, 1-5 stars or a
sentiment on a 1-5 scale, or whole numbers from -5 to 5 read by their sign)
for at least `MIN_READ` of its filled cells, with at least two of the three used.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import numpy as np
import pandas as pd

from lib.ingest.schema import ANALYSIS_COLUMNS
from lib.listening.sentiment import LABELS

MIN_READ = 0.9  # share of a column's filled cells that must read as a sentiment
# and as tools with a German, French, Spanish, Italian or Portuguese interface name it ("Tonalität", "Sentimiento")
SENTIMENT_WORDS = frozenset(("sentiment", "polarity", "tone", "stimmung", "tonalitat", "tonalite", "tonalidad",
                             "sentimiento", "sentimento", "polaritat", "polarite", "polaridad", "polarita",
                             "polaridade", "tonalita"))
# "score": Google Play's stars (google-play-scraper); "overall": Amazon's (where a file's "score" is its likes, as
# on Reddit, it is mapped to likes and is no column of its own here). Beside a sentiment word they name no stars:
# a listening tool's "Sentiment Score" of -5..5 is read by its sign (`_is_stars`)
STAR_WORDS = frozenset(("star", "stars", "rating", "ratings", "score", "overall"))
WEAK_STAR_WORDS = frozenset(("score", "overall"))
WORDS = {"positive": "positive", "pos": "positive", "favorable": "positive", "favourable": "positive",
         "negative": "negative", "neg": "negative", "unfavorable": "negative", "unfavourable": "negative",
         "neutral": "neutral", "neu": "neutral",
         # German, French, Spanish, Italian, Portuguese (Dutch "positief"): the tool's own words, accents dropped
         "positiv": "positive", "negativ": "negative", "positif": "positive", "negatif": "negative",
         "neutre": "neutral", "positivo": "positive", "negativo": "negative", "neutro": "neutral",
         "positiva": "positive", "negativa": "negative", "neutra": "neutral", "positief": "positive",
         "negatief": "negative", "neutraal": "neutral"}
# values a tool writes where it gives no label: read, but not as a sentiment
NO_LABEL = frozenset(("mixed", "not rated", "unrated", "unknown", "n/a", "na", "none", "", "-",
                      "gemischt", "mixte", "mixto", "misto", "gemengd"))  # "mixed" in the languages of WORDS
STAR_NAMES = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5}  # Google reviews: "FIVE"


def _plain(text: str) -> str:
    """Without accents: "Tonalität" -> "Tonalitat", "Négatif" -> "Negatif"."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _words(name: str) -> set[str]:
    """A column name's words: "airline_sentiment" -> airline, sentiment; "starRating" -> star, rating."""
    return set(re.findall(r"[a-z]+", re.sub(r"([a-z])([A-Z])", r"\1 \2", _plain(name)).lower()))


# "Extremely Negative", "very positive", "slightly negative": a tool's or a dataset's strength of a sentiment
# (the Kaggle coronavirus tweets' five classes) reads as the sentiment itself
_STRENGTH = re.compile(r"^(?:extremely|very|strongly|highly|slightly|mildly|somewhat|mostly|weakly) +")


def _lowered(values: pd.Series) -> pd.Series:
    """Cells as plain lower-case text, each distinct value worked out once, a sentiment's strength left out."""
    text = values.astype("string").str.strip().str.lower()
    return text.map({u: _STRENGTH.sub("", _plain(u)) for u in text.dropna().unique()})


@dataclass(frozen=True, eq=False)
class GivenSentiment:
    """The export's own sentiment: which column, how its values were read, and each post's label (NaN where its
    cell is empty or unreadable, e.g. "mixed" or "not rated")."""
    column: str
    scale: str  # in words: "words", "polarity 0 / 2 / 4", "stars 1-5 (1-2 negative, 3 neutral, 4-5 positive)", ...
    labels: pd.Series

    @property
    def file_column(self) -> str:
        """The column's name in the user's file (`column` is the posts table's: a file's "sentiment" travels as
        "src_sentiment")."""
        from lib.ingest.schema import source_name

        return source_name(self.column)

    @property
    def stars(self) -> bool:
        """Whether the column is review stars: the posts are then reviews (`is_review_export`)."""
        return self.scale.startswith("stars")


def _is_stars(words: set[str]) -> bool:
    """Whether a column name's words say stars ("Review Stars", "rating", Google Play's "score"), not a sentiment
    score ("Sentiment Score", "overall_sentiment")."""
    star = words & STAR_WORDS
    return bool(star) and not (words & SENTIMENT_WORDS and star <= WEAK_STAR_WORDS)


def _numbers(cells: pd.Series, stars: bool) -> pd.Series:
    return pd.to_numeric(cells.map(lambda v: STAR_NAMES.get(v, v)) if stars else cells, errors="coerce")


def _read(values: pd.Series, stars: bool) -> tuple[pd.Series, str] | None:
    """The column read as labels, or None when its values are not a sentiment scale this knows."""
    filled = values.dropna()
    if filled.empty:
        return None
    low = _lowered(values)
    text = low[values.notna()]
    read = text.map(WORDS)
    if (read.notna() | text.isin(NO_LABEL)).mean() >= MIN_READ and read.notna().any():
        return low.map(WORDS), "words"
    num = _numbers(text, stars)
    if num.notna().mean() < MIN_READ:
        return None
    seen = set(num.dropna().unique().tolist())
    full = _numbers(values.astype("string").str.strip().str.lower(), stars).astype(float)  # NaN, never <NA>
    if seen <= {0, 2, 4} and not stars:
        return full.map({0: "negative", 2: "neutral", 4: "positive"}), "polarity 0 / 2 / 4"
    # stars, or a sentiment on a 1-5 scale using both ends (CrowdFlower's Apple tweets: 1, 3, 5)
    if seen <= {1, 2, 3, 4, 5} and (stars or {1, 5} <= seen):
        return _banded(full, full <= 2, full == 3, full >= 4), \
            f"{'stars 1-5' if stars else 'a 1-5 scale'} (1-2 negative, 3 neutral, 4-5 positive)"
    if seen <= set(range(-5, 6)) and min(seen) < 0 < max(seen) and not stars:  # -1/0/1, or Talkwalker's -5..5
        return _banded(full, full < 0, full == 0, full > 0), "its sign (below 0 negative, 0 neutral, above 0 positive)"
    return None


def _banded(full: pd.Series, negative: pd.Series, neutral: pd.Series, positive: pd.Series) -> pd.Series:
    """Each cell's label by the band its number falls in (NaN where the cell holds no number)."""
    read = pd.Series(np.select([negative, neutral, positive], list(LABELS), ""), index=full.index)
    return read.replace("", np.nan).where(full.notna())


def find_given_sentiment(posts: pd.DataFrame) -> GivenSentiment | None:
    """The first column of `posts` (the imported posts, source columns kept) that holds a sentiment of its own,
    or None."""
    for column in posts.columns:
        words = _words(str(column).removeprefix("src_"))
        if not words & (SENTIMENT_WORDS | STAR_WORDS) or column in ANALYSIS_COLUMNS \
                or str(column).startswith("truth_"):  # the samples' answer keys: the workshop asks for them
            continue
        given = _given(posts, str(column), _is_stars(words))
        if given is not None:
            return given
    return None


def _given(posts: pd.DataFrame, column: str, stars: bool) -> GivenSentiment | None:
    """`column` read as a sentiment, or None where it does not read as one with at least two sentiments used."""
    read = _read(posts[column], stars)
    if read is None:
        return None
    labels = read[0].astype(object).where(read[0].isin(LABELS))
    return GivenSentiment(column, read[1], labels) if labels.nunique() >= 2 else None


def value_names(given: GivenSentiment | None, raw: pd.Series) -> dict[str, str]:
    """How each value of the export's own sentiment column reads where its values are codes: "4" -> "4
    (positive)" for Sentiment140's polarity, "2" -> "2 (negative)" for stars, so that a chart or a filter of the
    file's column says what its numbers mean. Empty for any other column and for a column of words. `raw` is the
    column of the posts `given` was read from (any subset of them, by index)."""
    if given is None or given.scale == "words" or raw.name != given.column:
        return {}
    distinct = pd.Series(pd.unique(raw.dropna()))  # read again value by value: a page reruns it (1M posts: 0.7 s)
    read = _read(distinct, given.stars)
    if read is not None:
        pairs = pd.DataFrame({"raw": distinct.astype("string").str.strip(), "label": read[0].to_numpy()})
    else:  # too few distinct values read alone: each post's own label
        pairs = pd.DataFrame({"raw": raw.astype("string").str.strip(), "label": given.labels.reindex(raw.index)})
    pairs = pairs[pairs["label"].isin(LABELS)].drop_duplicates("raw")
    return {str(r): f"{r} ({label})" for r, label in zip(pairs["raw"], pairs["label"])}


def is_review_export(posts: pd.DataFrame) -> bool:
    """Whether the posts are reviews: the file gives each one stars (Trustpilot, app stores, Google Maps, Amazon,
    Yelp). Intent then reads a surely negative review as a complaint about what was bought
    (`lib.listening.intent.intent`)."""
    found = find_given_sentiment(posts)
    return found is not None and found.stars


def given_column(posts: pd.DataFrame, column: str) -> GivenSentiment:
    """The named column (or its `src_` twin) read as the export's own sentiment, or with "auto" the one
    `find_given_sentiment` finds. ValueError, in words, where there is none or it does not read as one."""
    if column == "auto":
        found = find_given_sentiment(posts)
        if found is None:
            raise ValueError("no column of the file reads as a sentiment (looked for sentiment, polarity, tone, "
                             "stars, rating or score columns with negative/neutral/positive, 0/2/4, 1-5 or -5..5 "
                             "values)")
        return found
    name = column if column in posts else f"src_{column}"
    if name not in posts:
        raise ValueError(f"the file has no column {column!r}")
    given = _given(posts, name, _is_stars(_words(column)))
    if given is None:
        raise ValueError(f"column {column!r} does not read as a sentiment (negative/neutral/positive words, 0/2/4, "
                         "whole numbers from -5 to 5, or 1-5 in a column named for stars, rating or score), with "
                         "at least two of them used")
    return given


@dataclass(frozen=True)
class Agreement:
    """How the Listening Lab label compares with the export's own, on the posts that have one."""
    posts: int
    accuracy: float
    macro_f1: float
    given_shares: dict[str, float]  # the export's own labels, counted
    table: pd.DataFrame  # rows: the export's label; columns: the Listening Lab label; counts


def own_shares(given: GivenSentiment) -> dict[str, float]:
    """The export's own labels counted: each label's share of the posts that have one."""
    y = given.labels.dropna().astype(str)
    return {c: float((y == c).mean()) for c in LABELS}


def agreement(given: GivenSentiment, predicted: pd.Series) -> Agreement:
    """Agreement of `predicted` (the Listening Lab label, aligned with the posts) with the export's own labels."""
    from sklearn.metrics import f1_score

    known = given.labels.notna()
    y, p = given.labels[known].astype(str), predicted[known].astype(str)
    table = pd.crosstab(pd.Categorical(y, LABELS), pd.Categorical(p, LABELS), dropna=False)
    table.index.name, table.columns.name = "in the file", "Listening Lab"
    return Agreement(int(known.sum()), float((y == p).mean()) if len(y) else float("nan"),
                     float(f1_score(y, p, labels=list(LABELS), average="macro", zero_division=0)) if len(y) else
                     float("nan"),
                     own_shares(given), table)


def as_labels(given: GivenSentiment, post_ids: pd.Series) -> dict[str, str]:
    """post_id -> label for every post whose own sentiment was read: what `Workspace.set_labels` stores."""
    known = given.labels.notna()
    return dict(zip(post_ids[known].astype(str), given.labels[known].astype(str)))
