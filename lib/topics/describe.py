"""What each topic is: c-TF-IDF keywords (through BERTopic), a label from them, its place on the intertopic
map, the posts closest to its centre, and the hierarchy of topics."""
from __future__ import annotations

import logging
import os
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from lib.topics.result import TopicSettings

PLATFORM_NOISE = ("rt", "amp", "http", "https", "www", "com", "co", "via", "gt", "lt", "im", "dont", "just",
                  "like", "get", "got", "u", "ur", "lol", "omg")
# chat fillers that name no subject, never keywords: a topic of real tweets was labelled "ya", one of YouTube
# comments "subscribe · plz · vines". Keywords only: the words classifier that places posts beyond the fitted
# sample (lib.topics.assign) keeps them, so no post changes topic.
CHAT_FILLERS = ("ya", "yeah", "yea", "yep", "yup", "plz", "pls", "tho", "oh")
# forms of the auxiliary verbs scikit-learn's list lacks (it has "do", "has", "had"): a real support inbox's topic
# was labelled "long · does transfer · wait" ("how long does a transfer take?")
AUXILIARIES = ("does", "did", "doing", "having", "shall", "ought", "gonna", "wanna")
TOP_WORDS = 10
# words: never a link fragment ("httpbitly", "www"), nor an id or time stamp run into a word (five digits in a
# row: "abbas20130926t221545476000fuck" was a keyword of a topic of real YouTube comments; "mp3", "covid19" stay)
# The vowel signs and tone marks inside a word of the Indic scripts, Thai, Lao, Burmese and Khmer (and Hebrew and
# Arabic points, combining accents, and the joiners inside Persian words) are not letters to a regex's \w: a Thai
# word cut at each mark made keywords such as "รถจ · าจ · แบรนด" of 2,021 real Thai comments ("รถจีน", Chinese car),
# and Hindi words fell apart the same way. They belong to the word they are in; the scripts' own full stops
# (Devanagari's danda, Thai's fongman and angkhankhu) do not.
_MARKS = ("\u0300-\u036f\u0483-\u0489\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670"
          "\u06d6-\u06dc\u06df-\u06e4\u06e7\u06e8\u06ea-\u06ed"
          "\u0900-\u0963\u0966-\u0dff\u0e00-\u0e4e\u0e50-\u0e59\u0e80-\u0eff\u1000-\u109f\u1780-\u17ff"
          "\u200c\u200d")
TOKEN = (rf"(?u)(?<![\w{_MARKS}])(?!https?|www)(?![\w'{_MARKS}-]*\d{{5}})"
         rf"[^\W\d_][\w'{_MARKS}-]*(?:[^\W_]|[{_MARKS}])(?![\w{_MARKS}])")


# a contraction written without its apostrophe that is also a word of its own stays a possible keyword
_WORDS_TOO = frozenset({"ill", "id", "hell", "shed", "shell", "wed"})
# ... unless the next word shows it stands for "I'll" / "I'd" ("ill subscribe back", "id rather"); "mentally ill",
# "id card" and "id verification" stay words. The verbs and adverbs that follow those two most often in real posts
# (dair-ai's tweets, GoEmotions' and YouTube's comments).
_AFTER_I = {"ill": frozenset({
    "be", "have", "do", "get", "go", "make", "take", "give", "try", "check", "see", "say", "tell", "send", "post",
    "buy", "watch", "call", "let", "keep", "just", "never", "always", "definitely", "probably", "still", "also",
    "need", "put", "show", "sub", "subscribe", "come", "start", "stop", "look", "wait", "bet", "pay", "add", "help",
    "share", "feel", "admit", "write", "think", "miss", "really", "gladly", "happily", "leave", "like", "love"})}
_AFTER_I["id"] = _AFTER_I["ill"] | {"rather", "prefer", "want", "been", "gotten", "done", "ever", "not"}


def english_contractions() -> frozenset[str]:
    """English contractions, with and without the apostrophe ("doesn't", "doesnt"): scikit-learn's stop words
    have none, and posts write them without apostrophes, so Sentiment140's real tweets had a topic labelled
    "doesnt · ugh". Taken from the `stop-words` package's English list (only its contractions: the rest of that
    list holds content words such as "problem" and "free")."""
    from stop_words import get_stop_words

    found = {w for w in get_stop_words("en") if "'" in w.strip("'") and not re.fullmatch(r"\w's", w)}  # not "c's"
    return frozenset(found | {w.replace("'", "") for w in found} - _WORDS_TOO)


def stopwords(extra: tuple[str, ...] | list[str]) -> list[str]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    words = set(ENGLISH_STOP_WORDS) | set(PLATFORM_NOISE) | set(AUXILIARIES) | english_contractions()
    for w in extra:
        words.update(t for t in str(w).lower().replace(",", " ").split() if t)
    return sorted(words)


# The `stop-words` package's Greek list is Ancient Greek ("καί", "τοῦ", polytonic), which no post writes: on real
# Greek tweets five of eleven topics were labelled by modern function words ("το · να · μου", "και · του · την").
# For these languages stopwords-iso's modern list is taken instead (its Greek "∆" stands for "δ").
# Chinese too: the stop-words package's 119 Chinese words lack "都" and "就", which real delivery reviews (Waimai)
# put in many posts; stopwords-iso has 794.
ISO_LISTS = frozenset({"el", "zh"})


def language_stopwords(codes: tuple[str, ...]) -> tuple[str, ...]:
    """The stop words of these languages (ISO 639-1) from the `stop-words` package (BSD-3; lists for 33
    languages ship in its wheel), or from `stopwordsiso` (MIT) for ISO_LISTS and the languages the first lacks
    (Swahili, Bengali, Urdu, ...), Thai's from PyThaiNLP (lib.topics.thai); a language none has a list for adds
    nothing. Without them a mixed-language dataset's topics were labelled "che · di · il" and "nicht · die · ich"."""
    if not codes:
        return ()
    import stopwordsiso
    from stop_words import LANGUAGE_MAPPING, get_stop_words

    words = {w for c in codes if c in LANGUAGE_MAPPING and c not in ISO_LISTS for w in get_stop_words(c)}
    iso = [c for c in codes if (c in ISO_LISTS or c not in LANGUAGE_MAPPING) and stopwordsiso.has_lang(c)
           and c != "th"]
    words |= {w.replace("∆", "δ") for c in iso for w in stopwordsiso.stopwords(c)}
    if "th" in codes:  # the segmenter's own list (lib.topics.thai), the words it cuts Thai into
        from lib.topics import thai

        words |= thai.stopwords()
    return tuple(sorted(words | {t for w in words for t in re.findall(TOKEN, w)}))  # "ch'" also as "ch"


def ignored(settings: TopicSettings) -> list[str]:
    """Never keywords: stop words (English and the dataset's other languages), platform noise, the user's words
    and the dataset's brand terms."""
    return stopwords(settings.extra_stopwords + settings.brand_terms + language_stopwords(settings.stop_languages))


def fold(word: str) -> str:
    """A word without its accents: 'ειναι' for 'είναι', 'mas' for 'más'."""
    return "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))


def with_accent_variants(stop: list[str], docs: list[str]) -> list[str]:
    """The stop words plus every word of the docs that is one of them but for its accents: lists and posts
    write accents differently (stopwords-iso's Greek has "ειναι", tweets "είναι"; tweets drop Spanish ones)."""
    have = set(stop)
    folded = {fold(w) for w in have}
    seen = {t for d in docs for t in re.findall(TOKEN, d.lower())}
    return sorted(have | {t for t in seen if t not in have and fold(t) in folded})


def keyword_docs(docs: list[str], settings: TopicSettings) -> list[str]:
    """The docs whose words are counted for keywords: in a dataset with Japanese posts, those as their nouns
    (lib.topics.japanese), with Thai or Chinese posts those cut into words (lib.topics.thai, lib.topics.chinese):
    none of these languages puts spaces between words. Chinese before Japanese: a Japanese post's nouns may be
    kanji alone, which jieba would cut again."""
    if "zh" in settings.stop_languages:
        from lib.topics.chinese import keyword_docs as chinese_words

        docs = chinese_words(docs)
    if "ja" in settings.stop_languages:
        from lib.topics.japanese import keyword_docs as japanese_nouns

        docs = japanese_nouns(docs)
    if "th" in settings.stop_languages:
        from lib.topics.thai import keyword_docs as thai_words

        docs = thai_words(docs)
    return docs


def keyword_terms(tokens: list[str], stop: frozenset[str], longest: int) -> list[str]:
    """The words that are no stop word, and the phrases of up to `longest` of those words in a row (as
    scikit-learn forms them: "change my pin" gives "change pin"), but no phrase of one word twice: a real support
    inbox's keywords had "pin pin" ("change PIN? what is my pin?") and "payment payment", YouTube's "song song"
    and "love love". Phrases written side by side only (no stop word between) were tried too: that lost
    "change pin" and "card accepted", and labels went from "cash withdrawal · atm" to "cash withdrawal · gave ·
    asked". "ill" and "id" followed by a verb are "I'll" and "I'd" (`_AFTER_I`): five YouTube videos' comments had
    a topic labelled "subscribe · ill · vines"."""
    words = [w for i, w in enumerate(tokens) if w not in stop
             and not (w in _AFTER_I and i + 1 < len(tokens) and tokens[i + 1] in _AFTER_I[w])]
    out = list(words)
    for n in range(2, longest + 1):
        for i in range(len(words) - n + 1):
            gram = words[i:i + n]
            if len(set(gram)) == n:
                out.append(" ".join(gram))
    return out


@dataclass(frozen=True)
class KeywordTerms:
    """CountVectorizer's analyzer (a module-level object, so the vectorizer pickles): lower case, TOKEN's words,
    `keyword_terms`."""

    stop: frozenset[str]
    longest: int

    def __call__(self, doc: str) -> list[str]:
        return keyword_terms(_TOKENS.findall(str(doc).lower()), self.stop, self.longest)


_TOKENS = re.compile(TOKEN)


def vectorizer(settings: TopicSettings, docs: list[str] | None = None) -> Any:
    """Counts words and phrases for the keywords (`keyword_terms`); in a dataset with other languages, given its
    docs, their stop words are matched whatever their accents."""
    from sklearn.feature_extraction.text import CountVectorizer

    stop = ignored(settings) + list(CHAT_FILLERS)
    if settings.stop_languages and docs is not None:
        stop = with_accent_variants(stop, docs)
    return CountVectorizer(analyzer=KeywordTerms(frozenset(stop), max(1, settings.ngram_max)), min_df=1)


def keyword_model(docs: list[str], reduced: np.ndarray, labels: np.ndarray, min_size: int,
                  settings: TopicSettings) -> tuple[Any, np.ndarray]:
    """BERTopic over clusters already found (its own reduction and clustering are pass-throughs): the c-TF-IDF
    keywords of each cluster, merged down to `nr_topics` if set. Returns the model and each doc's topic."""
    from bertopic import BERTopic
    from bertopic.cluster import BaseCluster
    from bertopic.dimensionality import BaseDimensionalityReduction
    from bertopic.vectorizers import ClassTfidfTransformer

    model = BERTopic(embedding_model=None, umap_model=BaseDimensionalityReduction(), hdbscan_model=BaseCluster(),
                     vectorizer_model=vectorizer(settings, docs),
                     ctfidf_model=ClassTfidfTransformer(reduce_frequent_words=True),
                     nr_topics=settings.nr_topics if settings.nr_topics > 0 else None,
                     top_n_words=TOP_WORDS, min_topic_size=min_size, calculate_probabilities=False,
                     # "english" makes BERTopic drop every non-ASCII letter before counting ("más" -> "ms")
                     language="multilingual" if settings.stop_languages else "english")
    logging.getLogger("BERTopic").setLevel(logging.ERROR)  # after __init__, which resets it; we assign topics
    topics, _ = model.fit_transform(docs, embeddings=reduced, y=labels)  # on purpose, it need not warn
    return model, np.asarray(topics)


def refresh_keywords(model: Any, docs: list[str], topics: np.ndarray, settings: TopicSettings) -> None:
    """Recompute the model's keywords after posts changed topic."""
    from bertopic.vectorizers import ClassTfidfTransformer

    model.update_topics(docs, topics=topics.tolist(), vectorizer_model=vectorizer(settings, docs),
                        ctfidf_model=ClassTfidfTransformer(reduce_frequent_words=True), top_n_words=TOP_WORDS)


@cache
def profanity() -> tuple[frozenset[str], tuple[str, ...]]:
    """Profanity (profanity.txt): whole words, and prefixes (a trailing * there). Such words may be a topic's
    keyword (they say how people talk) but never name a topic or a persona."""
    lines = [ln.strip().lower() for ln in Path(__file__).with_name("profanity.txt").read_text().splitlines()]
    lines = [ln for ln in lines if ln and not ln.startswith("#")]
    return frozenset(w for w in lines if "*" not in w), tuple(w.rstrip("*") for w in lines if w.endswith("*"))


def _profane(word: str) -> bool:
    words, prefixes = profanity()
    return word in words or word.startswith(prefixes)


@cache
def _profane_pattern() -> re.Pattern[str]:
    words, prefixes = profanity()
    alternatives = [re.escape(w) for w in sorted(words)] + [re.escape(p) + r"\w*" for p in sorted(prefixes)]
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")\b")


def profane(texts: pd.Series) -> pd.Series:
    """Whether each text has a word of profanity.txt: what a client should not be handed as the audience's words
    where other posts say the same (report quotes, a segment's typical posts)."""
    return texts.fillna("").astype(str).str.lower().str.contains(_profane_pattern())


ENDINGS = frozenset(("", "e", "s", "es", "d", "ed", "ing", "er", "ers", "y", "ies", "ion", "ions", "al", "als"))


def _unaccented(word: str) -> str:
    """The word without its accents (`fold`) where it is in Latin or Greek script ("maisvocê" → "maisvoce"); any
    other word as it is (a Japanese voicing mark is no accent: "が" is not "か")."""
    return fold(word) if all(ord(c) < 0x0400 for c in word) else word


def same_word(a: str, b: str) -> bool:
    """One name twice: 'melania' and 'melanias' (BERTopic counts "Melania's" so), 'cat' and 'cats', 'black friday' and
    'blackfriday', 'fantastic' and 'fantasticbeasts' (a word of four letters or more at the start or end of the
    other, spaces ignored), or one word with two endings ("dance" and "dancing", "currency" and "currencies";
    not "medicare" and "medicaid"); accents aside in Latin and Greek script ('maisvoce' and 'maisvocê', two
    spellings of one Brazilian TV show's hashtag, named one topic of real tweets twice)."""
    short, long = sorted((_unaccented(a.replace(" ", "")), _unaccented(b.replace(" ", ""))), key=len)
    if long == short or (len(short) >= 4 and (long.startswith(short) or long.endswith(short))):
        return True
    if len(short) == 3 and long in (short + "s", short + "es"):  # a short word and its plural: "cat · cats"
        return True
    common = len(os.path.commonprefix([short, long]))
    return common >= 4 and short[common:] in ENDINGS and long[common:] in ENDINGS


def label_from_keywords(words: list[str], n: int = 3) -> str:
    """'aftertaste · packaging · chemical': the first keywords, skipping profanity, phrases that repeat a word
    ("love love") and words already in the label, alone, in a phrase or as a hashtag ("love song · good song",
    "black friday · blackfriday", "melania · melanias")."""
    chosen: list[str] = []
    for w in words:
        tokens = w.split()
        if len(set(tokens)) < len(tokens) or any(_profane(t.lower()) for t in tokens) \
                or any(same_word(w, c) or any(same_word(t, u) for t in tokens for u in c.split()) for c in chosen):
            continue
        chosen.append(w)
        if len(chosen) == n:
            break
    return " · ".join(chosen) if chosen else "(no keywords)"


LABEL_POSTS = 2  # a keyword names its topic only if at least this many of the topic's posts have it


def label_order(model: Any, docs: list[str], topics: np.ndarray, weight: np.ndarray) -> dict[int, list[str]]:
    """Each topic's keywords that may name it, in c-TF-IDF's order: not a keyword that fewer than LABEL_POSTS
    of the topic's posts have (a phrase counts only where a post writes it as such), unless no keyword is left.
    Counted on the fitted posts (`weight`: how many posts each stands for). c-TF-IDF ranks a word that one post
    of a small topic uses, and no other post, first: on real tweets that named a topic of 35 posts "fish ·
    doesnt · feed", and YouTube's "check out my video" comments "check video · youtube look", words no comment
    wrote together. (Also tried: requiring 5 % of the topic's posts, or ranking by how well the word marks the
    topic's posts; both put fillers such as "lets", "ya" and "want" into labels.)"""
    from sklearn.feature_extraction.text import CountVectorizer

    topic_ids = sorted(t for t in set(np.asarray(topics).tolist()) if t != -1)
    candidates = {t: [w for w, _ in (model.get_topic(t) or []) if w] for t in topic_ids}
    vocab = sorted({w for kw in candidates.values() for w in kw})
    if not vocab:
        return candidates
    counter = CountVectorizer(vocabulary=vocab, ngram_range=(1, max(len(w.split()) for w in vocab)),
                              token_pattern=TOKEN, binary=True, lowercase=True)
    # the docs as BERTopic counted them (it drops what is not a letter or digit in English: "Melania's" is
    # "melanias"), but with the stop words still in, so that a phrase must be written as such
    has = counter.transform(model._preprocess_text(np.asarray(docs, dtype=object))).tocsc()
    column = {v: i for i, v in enumerate(vocab)}
    topics, weight = np.asarray(topics), np.asarray(weight, dtype=float)
    order: dict[int, list[str]] = {}
    for t, kw in candidates.items():
        inside = weight * (topics == t)
        hits = (has.T @ inside)[[column[x] for x in kw]]  # the topic's posts with each keyword
        enough = hits >= LABEL_POSTS
        order[t] = [x for x, ok in zip(kw, enough, strict=True) if ok] or kw
    return order


def cohesion_floor(vectors: np.ndarray) -> float:
    """How alike the fitted posts are taken all together (the mean cosine of their vectors to their joint centre):
    where `cohesion` starts. Embedding models differ in how alike they rate any two texts: E5 put 800 real
    Spanish tweets 0.91 from their joint centre and the topics 0.91 to 0.93 from their own, MiniLM 800 English
    ones 0.27 and 0.35 to 0.44."""
    centre = vectors.mean(axis=0)
    norm = float(np.linalg.norm(centre))
    return float((vectors @ (centre / norm)).mean()) if len(vectors) and norm > 0 else 0.0


def cohesion(vectors: np.ndarray, topics: np.ndarray, centres: np.ndarray, topic_ids: list[int],
             floor: float = 0.0) -> dict[int, float]:
    """How alike each topic's posts are: the mean cosine of its posts' vectors to its centre, measured from
    `floor` (`cohesion_floor`: 0, the posts no more alike than the dataset's at large) to 1 (one text). On the
    raw cosine a Spanish topic of E5's that mixes politics and daily life read 0.91 where the median topic had
    0.92, "much less alike" in words and not in figures; from the floor, 0.05 against 0.18. A topic far below the
    dataset's usual value mixes subjects (`lib.topics.views.loose_topics`, whose robust z-scores the floor does
    not change): on 14,284 real tweets the two lowest were "tomorrow · fcblive · cristiano" (weekend plans and
    football) and "bob · beautyandthebeast · dylan" (six subjects), and the third "homeopathy · euthanasia ·
    gold"."""
    return {int(t): max(0.0, (float((vectors[topics == t] @ centres[i]).mean()) - floor) / (1.0 - floor))
            for i, t in enumerate(topic_ids) if (topics == t).any()}  # below the floor is no more alike: 0


def topic_info(model: Any, topic: np.ndarray, centres: np.ndarray, topic_ids: list[int],
               order: dict[int, list[str]] | None = None, alike: dict[int, float] | None = None) -> pd.DataFrame:
    """One row per topic (and one for the outliers): topic, label, size, keywords, weights, tx, ty, cohesion
    (`alike`, where given). The label takes the keywords in `order` (label_order) where given, else c-TF-IDF's,
    and the keywords list them first: Sentiment140's "want · best" read "feed, fish, fish feed, ..." in its
    keywords, one tweet's words, where c-TF-IDF ranks them."""
    rows = []
    coords = topic_coords(centres)
    for i, t in enumerate(topic_ids):
        weight = {w: float(s) for w, s in model.get_topic(t) or [] if w}
        named = [w for w in (order or {}).get(t, weight) if w in weight]
        kw = named + [w for w in weight if w not in set(named)]  # those that may name it first (`label_order`)
        rows.append({"topic": t, "label": label_from_keywords(named), "size": int((topic == t).sum()), "keywords": kw,
                     "weights": [weight[w] for w in kw],
                     "tx": float(coords[i, 0]), "ty": float(coords[i, 1]),
                     "cohesion": (alike or {}).get(int(t), np.nan)})
    n_out = int((topic == -1).sum())
    rows.append({"topic": -1, "label": "Outliers (no clear topic)", "size": n_out, "keywords": [], "weights": [],
                 "tx": np.nan, "ty": np.nan, "cohesion": np.nan})
    return pd.DataFrame(rows)


def topic_coords(centres: np.ndarray) -> np.ndarray:
    """Intertopic distance map: classical MDS of the cosine distances between topic centres."""
    k = len(centres)
    if k == 0:
        return np.zeros((0, 2))
    if k < 3:
        return np.column_stack([np.arange(k, dtype=float), np.zeros(k)])
    d2 = np.clip(1.0 - centres @ centres.T, 0, 2) ** 2
    j = np.eye(k) - 1.0 / k
    b = -0.5 * j @ d2 @ j
    vals, vecs = np.linalg.eigh(b)
    top = np.argsort(vals)[::-1][:2]
    out = vecs[:, top] * np.sqrt(np.clip(vals[top], 0, None))
    out *= np.sign(out[np.abs(out).argmax(axis=0), [0, 1]])  # fixed orientation
    return out


def representative(post_ids: np.ndarray, vectors: np.ndarray, topic: np.ndarray, centres: np.ndarray,
                   topic_ids: list[int], texts: np.ndarray, n: int = 5) -> dict[int, list[str]]:
    """topic -> the ids of its `n` posts closest to its centre, one per distinct text (`texts`, compared in
    lower case): five copies of "@JetBlue thanks!" say one thing."""
    rep: dict[int, list[str]] = {}
    for i, t in enumerate(topic_ids):
        rows = np.flatnonzero(topic == t)
        sims = vectors[rows] @ centres[i]
        chosen: dict[str, str] = {}
        for r in rows[np.argsort(-sims, kind="stable")]:
            chosen.setdefault(str(texts[r]).strip().lower(), str(post_ids[r]))
            if len(chosen) == n:
                break
        rep[int(t)] = list(chosen.values())
    return rep


def hierarchy(centres: np.ndarray, topic_ids: list[int]) -> pd.DataFrame:
    """scipy linkage rows (average, cosine) over the topic centres: left, right, distance, size."""
    cols = ["left", "right", "distance", "size"]
    if len(topic_ids) < 2:
        return pd.DataFrame(columns=cols)
    from scipy.cluster.hierarchy import linkage
    from scipy.spatial.distance import pdist

    link = linkage(pdist(centres, metric="cosine"), method="average")
    return pd.DataFrame(link, columns=cols)
