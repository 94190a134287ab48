"""Language per post, and which analyses can read it: most listening models are English-only (sentiment and
emotion also read seven other languages), so the app, the report and the command line need each post's language
to say where their numbers mean something.

Model: py3langid 0.4.0 (BSD-3-Clause; its naive Bayes model over byte n-grams ships inside the 4.5 MB wheel,
numpy only). Compared on real short posts (bench/eval_language.py --others: UMSAB and TweetTopic-XL tweets),
out of the box the detectors were close on German tweets (py3langid 0.915, lingua-language-detector 0.925,
ELD 0.914, langdetect 0.899) and CLD2 and CLD3 well behind (0.834, 0.793); lingua ships 96 MB and read about 50
posts/s, langdetect 77. py3langid is small, fast and lets the candidate languages be restricted, which with the
steps below made it the most accurate of them.

On top of the package's own classifier, each step measured in bench/eval_language.py:
- the text is cleaned of what is not language: links, @mentions, HTML entities, "RT", the '#' of hashtags
  (the word stays);
- the candidates are the 60 `LANGUAGES` with a large written presence online; the package's other 80 include
  close neighbours that took short German, Portuguese and English tweets (Luxembourgish, Galician, Nigerian
  Pidgin, Lingala): German 0.915 -> 0.934, Portuguese 0.930 -> 0.977, English 0.955 -> 0.979;
- "und" (undetermined) for posts with fewer than `MIN_LETTERS` letters (emoji, "ok") or no language more
  likely than all others together (`MIN_CONFIDENCE`, a majority, set a priori): read alone, 8-12 % of the
  English, German and Portuguese tweets are that unsure;
- a dataset prior: short posts borrow from the language mix of the confident posts around them (weight
  `PRIOR_WEIGHT`), which brings most of those back: with each test set read as one dataset, German 0.960
  (2 % und), every other set 0.994 or more; all eight sets as one mixed dataset, German 0.929 and Portuguese
  0.931 (3 % and 7 % und), the others 0.980 or more. About 2 % of the German set is English or Dutch by
  unanimous agreement of four detectors, so no detector can score it much above 0.98.

The classifier is run here on all posts at once, the same model arrays and arithmetic as py3langid's own
`classify` (tests/test_language.py checks they agree), vectorised over posts: 10k posts in under a second
where one call per post takes about 3 s; loading the model takes about 1 s of CPU once per process.
"""
from __future__ import annotations

import io
import lzma
import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

UNDETERMINED = "und"
LANGUAGE_NAMES: dict[str, str] = {
    "af": "Afrikaans", "ar": "Arabic", "az": "Azerbaijani", "be": "Belarusian", "bg": "Bulgarian", "bn": "Bengali",
    "bs": "Bosnian", "ca": "Catalan", "cs": "Czech", "cy": "Welsh", "da": "Danish", "de": "German", "el": "Greek",
    "en": "English", "es": "Spanish", "et": "Estonian", "eu": "Basque", "fa": "Persian", "fi": "Finnish",
    "fr": "French", "ga": "Irish", "gu": "Gujarati", "he": "Hebrew", "hi": "Hindi", "hr": "Croatian",
    "hu": "Hungarian", "hy": "Armenian", "id": "Indonesian", "is": "Icelandic", "it": "Italian", "ja": "Japanese",
    "ka": "Georgian", "kk": "Kazakh", "kn": "Kannada", "ko": "Korean", "lt": "Lithuanian", "lv": "Latvian",
    "mk": "Macedonian", "ml": "Malayalam", "mr": "Marathi", "ms": "Malay", "nl": "Dutch", "no": "Norwegian",
    "pa": "Punjabi", "pl": "Polish", "pt": "Portuguese", "ro": "Romanian", "ru": "Russian", "sk": "Slovak",
    "sl": "Slovenian", "sq": "Albanian", "sr": "Serbian", "sv": "Swedish", "sw": "Swahili", "ta": "Tamil",
    "te": "Telugu", "th": "Thai", "tl": "Tagalog", "tr": "Turkish", "uk": "Ukrainian", "ur": "Urdu",
    "uz": "Uzbek", "vi": "Vietnamese", "zh": "Chinese",
}
LANGUAGES: tuple[str, ...] = tuple(LANGUAGE_NAMES)
MIN_LETTERS = 3  # fewer letters than this after cleaning: "und" (emoji-only, "ok", "lol?")
MIN_CONFIDENCE = 0.5  # the best language must be more likely than all others together
PRIOR_WEIGHT = 0.5  # exponent on the dataset's language mix; 0 reads every post alone
MAX_BYTES = 1000  # enough to recognise a language; long posts are read from their start
_BATCH = 20_000  # texts classified at once (bounds memory on a million posts)

def _sentiment_languages() -> tuple[str, ...]:
    from lib.listening.multilingual import supported

    return ("en", *supported())


def _emotion_languages() -> tuple[str, ...]:
    from lib.listening.emotion_multilingual import emotion_head

    return _sentiment_languages() if emotion_head() is not None else ("en",)


# Which analyses read which languages: the sentiment label and the emotion also read the languages of the
# multilingual model (lib.listening.multilingual and .emotion_multilingual: German, Spanish, French, Italian,
# Portuguese, Greek, Japanese and 23 more: the languages of models/parallel_sentences.tsv); everything else is
# English-only.
SENTIMENT_LANGUAGES: tuple[str, ...] = _sentiment_languages()
EMOTION_LANGUAGES: tuple[str, ...] = _emotion_languages()
SUPPORT: dict[str, tuple[str, ...]] = {
    "Sentiment score (VADER lexicon; other languages: the multilingual model's positive minus negative)":
        SENTIMENT_LANGUAGES,
    "Sentiment label (Listening Lab model for English, multilingual e5 model for the others)": SENTIMENT_LANGUAGES,
    "Emotion (English: model learned from English Reddit comments, and word lists; the others: multilingual e5 "
    "model learned from the same comments)": EMOTION_LANGUAGES,
    "Intent and complaint cues (word lists and rules)": ("en",),
    "Topics: keywords, stop words and WordLlama or MiniLM vectors": ("en",),
}
FULLY_SUPPORTED: frozenset[str] = frozenset.intersection(*(frozenset(v) for v in SUPPORT.values()))
WARN_SHARE = 0.5  # more than this share of the identified posts in unsupported languages: say so first

# What carries no language: links (and the "http" left where one was cut), @mentions, HTML entities, "RT",
# and the '#' of a hashtag (its word stays: it is often in the post's language).
_NOISE = re.compile(r"https?://\S*|www\.\S+|\bhttps?\b|@\w+|&#?\w+;|\bRT\b|#")


def name_of(code: str) -> str:
    """'de' -> 'German'; 'und' -> 'undetermined'."""
    return "undetermined" if code == UNDETERMINED else LANGUAGE_NAMES.get(code, code)


def clean_for_language(texts: pd.Series) -> pd.Series:
    """The text without links, mentions, entities and '#', which carry no language."""
    sub = _NOISE.sub
    return pd.Series([" ".join(sub(" ", t).split()) for t in texts.fillna("").astype(str)], index=texts.index,
                     dtype=object)


@dataclass(frozen=True)
class _Model:
    rows: np.ndarray  # the DFA's distinct 256-byte transition rows, flat: the next state per (row, byte)
    rowbase: np.ndarray  # state -> offset of its row in `rows`
    out_feat: np.ndarray  # state -> feature index, or -1
    ptc: np.ndarray  # feature x column log-likelihoods (columns of LANGUAGES only; float32)
    pc: np.ndarray  # column priors of the naive Bayes model
    fold: np.ndarray  # column x language 0/1: py3langid's two columns for one label (sr, uz) add up


@lru_cache(maxsize=1)
def _model() -> _Model:
    """py3langid's shipped model (an LZMA-compressed npz, read as its own loader reads it, without the copies
    into Python lists that loader makes for its per-byte loop), restricted to LANGUAGES: about 0.8 s of CPU
    once per process."""
    from py3langid.langid import MODEL_DIR, MODEL_FILE

    with lzma.open(MODEL_DIR / MODEL_FILE) as f, np.load(io.BytesIO(f.read()), allow_pickle=False) as data:
        classes = data["classes"].tolist()
        cols = [i for i, c in enumerate(classes) if c in LANGUAGE_NAMES]
        fold = np.zeros((len(cols), len(LANGUAGES)), dtype=np.float32)
        for j, i in enumerate(cols):
            fold[j, LANGUAGES.index(classes[i])] = 1.0
        return _Model(rows=data["nextmove"], rowbase=data["nextmove_row"].astype(np.int64) << 8,
                      out_feat=data["out_feat"].astype(np.int64),
                      ptc=np.ascontiguousarray(data["ptc"][:, cols], dtype=np.float32),
                      pc=data["pc"][cols].astype(np.float32), fold=fold)


def _encode(texts: pd.Series) -> list[bytes]:
    """Bytes as py3langid reads them: NFC, all-capital texts lowered, UTF-8, cut at MAX_BYTES."""
    norm = texts.str.normalize("NFC")
    caps = norm.str.isupper()
    norm = norm.where(~caps, norm.str.lower())
    return [t.encode("utf8", errors="surrogatepass")[:MAX_BYTES] for t in norm]


def _feature_counts(data: list[bytes], m: _Model) -> tuple[np.ndarray, np.ndarray]:
    """(text, feature) pairs, one per feature the DFA emits: every text walks the automaton in step, one byte
    column at a time, longest texts first so the texts still walking are always a prefix."""
    lens = np.fromiter(map(len, data), dtype=np.int64, count=len(data))
    order = np.argsort(-lens, kind="stable")
    lens_sorted = lens[order]
    width = int(lens_sorted[0]) if len(data) else 0
    flat = np.frombuffer(b"".join(data[i] for i in order), dtype=np.uint8)
    grid = np.zeros((len(data), width), dtype=np.uint8)
    starts = np.repeat(np.cumsum(lens_sorted) - lens_sorted, lens_sorted)
    grid[np.repeat(np.arange(len(data)), lens_sorted), np.arange(len(flat)) - starts] = flat
    active_at = np.searchsorted(-lens_sorted, -np.arange(width), side="left")  # how many are longer than j
    state = np.zeros(len(data), dtype=np.int64)
    texts_hit, feats_hit = [], []
    for j in range(width):
        k = int(active_at[j])
        s = m.rows[m.rowbase[state[:k]] + grid[:k, j]]
        state[:k] = s
        f = m.out_feat[s]
        hit = np.flatnonzero(f >= 0)
        if len(hit):
            texts_hit.append(order[hit])
            feats_hit.append(f[hit])
    if not texts_hit:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    return np.concatenate(texts_hit), np.concatenate(feats_hit)


def language_probabilities(texts: pd.Series) -> np.ndarray:
    """P(language | text) per text over LANGUAGES (rows sum to 1; uniform for a text with no feature), as
    py3langid's `classify` with normalised probabilities computes them for the same candidates."""
    from scipy.sparse import csr_matrix

    m = _model()
    out = np.empty((len(texts), len(LANGUAGES)), dtype=np.float32)
    for start in range(0, len(texts), _BATCH):
        data = _encode(texts.iloc[start:start + _BATCH])
        rows, feats = _feature_counts(data, m)
        counts = csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, feats)),
                            shape=(len(data), m.ptc.shape[0]))
        counts.sum_duplicates()
        counts.data = np.log1p(counts.data)
        scores = np.asarray(counts @ m.ptc) + m.pc
        scores[np.diff(counts.indptr) == 0] = 0.0  # no feature: py3langid abstains (uniform)
        scores /= np.sqrt(np.maximum([len(d) for d in data], 1))[:, None]  # its length calibration
        scores = np.exp(scores - scores.max(axis=1, keepdims=True))
        out[start:start + len(data)] = (scores / scores.sum(axis=1, keepdims=True)) @ m.fold
    return out


def _sure_counts(proba: np.ndarray, weight: np.ndarray, letters: np.ndarray) -> np.ndarray:
    """Posts per language among the confident, readable texts (each weighted by how often it occurs): the
    dataset's mix before smoothing. Counts of parts of a dataset add up to the whole's."""
    if not len(proba):
        return np.zeros(len(LANGUAGES))
    sure = (letters >= MIN_LETTERS) & (proba.max(axis=1) >= MIN_CONFIDENCE)
    return np.bincount(proba.argmax(axis=1)[sure], weights=weight[sure], minlength=len(LANGUAGES))


def _decide(proba: np.ndarray, weight: np.ndarray, letters: np.ndarray, prior_weight: float,
            counts: np.ndarray | None = None) -> np.ndarray:
    """Each text's language, after the dataset's mix (from the confident texts, weighted by how often each
    occurs; `counts` when the dataset is larger than these texts) is put in as a prior; "und" for too few
    letters or no majority."""
    readable = letters >= MIN_LETTERS
    if prior_weight and len(proba):
        mix = (_sure_counts(proba, weight, letters) if counts is None else counts) + 1.0
        proba = proba * (mix / mix.sum()) ** prior_weight
        proba /= proba.sum(axis=1, keepdims=True)
    best = np.asarray(LANGUAGES, dtype=object)[proba.argmax(axis=1)] if len(proba) else np.empty(0, dtype=object)
    return np.where(readable & (proba.max(axis=1, initial=0) >= MIN_CONFIDENCE), best, UNDETERMINED)


def _distinct(texts: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per distinct text: the row codes, probabilities, occurrences and letters (each distinct text read once)."""
    codes, uniq = pd.factorize(texts.fillna("").astype(str), sort=False)
    distinct = clean_for_language(pd.Series(uniq, dtype=object))
    letters = np.fromiter((sum(map(str.isalpha, t)) for t in distinct), dtype=np.int64, count=len(distinct))
    weight = np.bincount(codes, minlength=len(uniq)).astype(float)
    return codes, language_probabilities(distinct), weight, letters


def language_counts(texts: pd.Series) -> np.ndarray:
    """The confident posts per language (over LANGUAGES) that make the dataset prior of `detect_languages`:
    a dataset read in parts (the Dask engine's partitions) sums its parts' counts and passes them back."""
    _, proba, weight, letters = _distinct(texts)
    return _sure_counts(proba, weight, letters)


def detect_languages(texts: pd.Series, prior_weight: float = PRIOR_WEIGHT,
                     counts: np.ndarray | None = None) -> pd.Series:
    """The ISO 639-1 code of each text's language, or "und"; index aligned with `texts`. Each distinct text
    is read once. The answer for a short post depends on the posts beside it (`PRIOR_WEIGHT`): those of
    `texts`, or of the whole dataset when `counts` (the sum of `language_counts` over its parts) is given."""
    codes, proba, weight, letters = _distinct(texts)
    labels = _decide(proba, weight, letters, prior_weight, counts)
    return pd.Series(labels[codes] if len(codes) else [], index=texts.index, dtype=object, name="language")


def parse_languages(text: str) -> tuple[str, ...]:
    """'en, DE' -> ('en', 'de'); ValueError naming any code that is not one of LANGUAGES or "und"."""
    codes = tuple(dict.fromkeys(c.strip().lower() for c in text.split(",") if c.strip()))
    unknown = [c for c in codes if c not in LANGUAGE_NAMES and c != UNDETERMINED]
    if unknown:
        raise ValueError(f"unknown language code(s) {', '.join(unknown)}; known: {', '.join(LANGUAGES)} and "
                         f"{UNDETERMINED} (undetermined)")
    return codes


def given_or_detected(posts: pd.DataFrame) -> pd.Series:
    """The posts' languages: their `language` column when it holds only this module's codes (an opened run's,
    or an earlier detection), else detected from the text. A source file's own column ("English", "pt-BR",
    "Deutsch") is not a code: trusted as it is, every post would have been read as not English."""
    if "language" in posts:
        given = posts["language"]
        if given.notna().all() and given.astype(str).isin([*LANGUAGE_NAMES, UNDETERMINED]).all():
            return given.astype(str)
    return detect_languages(posts["text"].fillna("").astype(str))


def other_language(languages: pd.Series) -> np.ndarray:
    """Posts in a recognised language other than English: no English lexicon, word list or rule reads them.
    Undetermined posts (emoji, "ok", a bare hashtag) are read as English: most are, and nothing else reads them."""
    return ~languages.isin(["en", UNDETERMINED]).to_numpy()


NOTE_SHARE = 0.01


def languages_worth_a_note(languages: pd.Series) -> bool:
    """Whether at least NOTE_SHARE of the posts are in a language other than English: below that (five YouTube
    videos' comments, 14 of 1,956 posts guessed Swahili, Korean or Portuguese), a paragraph on what reads which
    language is clutter under the chart; the Language filter's help still has it."""
    return len(languages) > 0 and float(other_language(languages).mean()) >= NOTE_SHARE


def unsupported_share(languages: pd.Series) -> float:
    """Share of the posts with an identified language whose language not every analysis reads (0 when none has
    one): English is read by all; the multilingual model's languages by sentiment only."""
    known = languages[languages != UNDETERMINED]
    return float((~known.isin(FULLY_SUPPORTED)).mean()) if len(known) else 0.0


def support_warning(languages: pd.Series) -> str | None:
    """What to tell the user before any number, when most identified posts are in languages some models cannot
    read; None otherwise."""
    share = unsupported_share(languages)
    if share <= WARN_SHARE:
        return None
    known = languages[(languages != UNDETERMINED) & ~languages.isin(FULLY_SUPPORTED)].value_counts()
    # a language under 1 % is not what "most posts" are in: 2 Chinese comments among 1,981 Thai read "Chinese (0%)"
    known = known[known / len(languages) >= 0.01] if (known / len(languages) >= 0.01).any() else known.head(1)
    top = ", ".join(f"{name_of(c)} ({n / len(languages):.0%})" for c, n in known.head(3).items())
    read = [c for c in known.index[:3] if c in SENTIMENT_LANGUAGES]
    if len(read) == len(known.index[:3]):
        felt = all(c in EMOTION_LANGUAGES for c in read)
        return (f"Most posts ({share:.0%} of those whose language was recognised) are not in English: {top}. "
                + ("Their sentiment and emotion are read in their own language (the multilingual models). Intent "
                   "is read in English only, so these posts have none (n/a)." if felt else
                   "Their sentiment is read in their own language (the multilingual model). Emotion and intent "
                   "are read in English only, so these posts have none (n/a)."))
    return (f"Most posts ({share:.0%} of those whose language was recognised) are in languages Listening Lab "
            f"cannot read yet: {top}. Their emotion and intent are n/a (read in English only), and their "
            "sentiment comes from English-only models and word lists, so those numbers do not describe these "
            "posts. Pick English in the Language filter for figures that do.")


def support_note() -> str:
    """One paragraph on what reads which language, for the pages' captions and help."""
    others = and_list(sorted(name_of(c) for c in SENTIMENT_LANGUAGES if c != "en"))
    sentiment = (f"The sentiment label and score also read {others} (a multilingual model; the VADER lexicon's "
                 "verdict, vader_label, is n/a for every post not in English). ") if others else ""
    from lib.pipeline import MULTILINGUAL_SHARE

    return (sentiment + "Topics read about 100 languages when at least "
            f"{MULTILINGUAL_SHARE:.0%} of the posts are not in English: a multilingual model (E5) groups the posts "
            "by meaning, and keywords leave out each language's common words; below that, topics use English "
            "models (MiniLM, WordLlama), whose guesses for the few other posts may be wrong. "
            + (f"Emotion also reads {others}: a multilingual model learned from the English comments the English "
               "emotion model learns from reads their meaning (less surely than the English model reads English). "
               "The emotion word lists and the intent rules read English only: a post in another language has no "
               "intent (n/a), and one in a language no model reads no emotion either. "
               if len(EMOTION_LANGUAGES) > 1 and others else
               "The emotion model and word lists and the intent rules read English only: a post in another "
               "language has no emotion and no intent (n/a). ")
            + "Posts in other languages are counted, dated and filtered like any other. "
            "Undetermined: too short or too mixed to tell (emoji, \"ok\", a bare hashtag), read as English.")


def or_list(names: list[str], word: str = "or") -> str:
    """'German, Greek or Spanish'."""
    return ", ".join(names[:-1]) + f" {word} " + names[-1] if len(names) > 1 else (names[0] if names else "")


def and_list(names: list[str]) -> str:
    """'German, Greek and Spanish'."""
    return or_list(names, "and")


def read_by_multilingual(frame: pd.DataFrame) -> tuple[int, str]:
    """How many posts the multilingual model read, and their languages' names as words ("German or Greek"),
    from the frame itself: what a caption says matches the posts it is about."""
    if "sentiment_source" not in frame:
        return 0, ""
    read = frame["sentiment_source"] == "multilingual model"
    codes = frame.loc[read, "language"].dropna().unique() if "language" in frame else []
    return int(read.sum()), or_list(sorted(name_of(c) for c in codes))


UNREAD_SOURCES = ("model", "adapted model")  # the English models: they label a post they cannot read all the same


def tone_read(frame: pd.DataFrame) -> pd.Series:
    """Whether a model read each post's tone: every post but those in languages no sentiment model reads (no VADER
    verdict, "n/a", and labelled by an English model all the same). An analyst's own label counts as read."""
    if "vader_label" not in frame:
        return pd.Series(True, index=frame.index)
    unread = frame["vader_label"].eq("n/a")
    if "sentiment_source" in frame:
        unread &= frame["sentiment_source"].isin(UNREAD_SOURCES)
    return ~unread.fillna(False).astype(bool)


def other_languages_caption(frame: pd.DataFrame) -> str:
    """The Listening page's words on posts not in English (with a leading space; "" when there are none): which
    of them the multilingual model read, and how many no model reads."""
    other = int((frame["vader_label"] == "n/a").sum()) if "vader_label" in frame else 0
    if not other:
        return ""
    read, names = read_by_multilingual(frame)
    posts = "post in another language has" if other == 1 else "posts in other languages have"
    text = f" {other:,} {posts} no VADER verdict"
    if read:
        text += ("; the multilingual model reads it" if other == read == 1 else
                 f"; the {read:,} in {names} {'is' if read == 1 else 'are'} read by the multilingual model")
    if other > read:
        one = other - read == 1
        text += (f"; {other - read:,} {'post' if one else 'posts'} in languages no model reads "
                 f"{'keeps' if one else 'keep'} the English model's label, which does not describe "
                 f"{'it' if one else 'them'}")
    return text + "."


def vader_disagrees(frame: pd.DataFrame) -> pd.Series:
    """The posts whose plain VADER verdict and label differ: posts in English only, the only ones VADER reads."""
    return (frame["vader_label"] != "n/a") & (frame["vader_label"] != frame["sentiment_label"])


def vader_caption(frame: pd.DataFrame) -> str:
    """The Listening page's words under its headline: how often plain VADER and the label disagree, over the posts
    in English (the only ones VADER reads; nothing of the kind where there are none: an all-Chinese file said
    "disagree on 0 of these posts (0% of those in English)"), then `other_languages_caption`."""
    english = frame["vader_label"] != "n/a"
    others = other_languages_caption(frame)
    if not english.any():
        return others.strip()
    disagree = int(vader_disagrees(frame).sum())
    return (f"Plain VADER and the Listening Lab label disagree on {disagree:,} of these posts "
            f"({disagree / int(english.sum()):.0%} of those in English); see them under Posts.{others}")


def emotion_languages_note(frame: pd.DataFrame) -> str:
    """The Emotion & intent tab's words on posts not in English ("" when there are none): intent reads English
    only; which of them the multilingual emotion model read; how many have no emotion either."""
    from lib.listening.emotion import NOT_READ

    if "intent" not in frame or "emotion" not in frame:
        return ""
    other = frame["intent"] == NOT_READ
    if not other.any():
        return ""
    felt = other & (frame["emotion"] != NOT_READ)
    codes = frame.loc[felt, "language"].dropna().unique() if "language" in frame else []
    n, k = int(other.sum()), int(felt.sum())
    text = (f"{n:,} of these {len(frame):,} posts " +
            ("is in another language: intent is read in English only, so it has none (n/a) and is not" if n == 1 else
             "are in other languages: intent is read in English only, so they have none (n/a) and are not")
            + " in the intent bars")
    if k:
        text += (f"; the emotion of the {k:,} in {or_list(sorted(name_of(c) for c in codes))} is read by the "
                 "multilingual emotion model (learned from English comments: less sure than in English)")
    if n > k:
        text += (f"; {n - k:,} in languages no emotion model reads " +
                 ("has no emotion (n/a) and is not" if n - k == 1 else "have no emotion (n/a) and are not")
                 + " in the emotion bars")
    return text + "."


def support_table() -> pd.DataFrame:
    """Each analysis and the languages it reads, for the app's and the README's honest-limits note."""
    return pd.DataFrame({"analysis": list(SUPPORT),
                         "languages": [", ".join(name_of(c) for c in langs) for langs in SUPPORT.values()]})


def language_breakdown(frame: pd.DataFrame) -> pd.DataFrame:
    """Posts per language, largest first, with the sentiment mix where the frame has labels, and whether the
    analyses read that language."""
    lang = frame["language"].fillna(UNDETERMINED)
    table = lang.value_counts().rename_axis("language").rename("posts").reset_index()
    table["share"] = table["posts"] / max(len(frame), 1)
    if "sentiment_label" in frame:
        mix = pd.crosstab(lang, frame["sentiment_label"], normalize="index")
        for label in ("positive", "neutral", "negative"):
            table[label] = table["language"].map(mix[label] if label in mix else {}).fillna(0.0)
        table["net"] = table["positive"] - table["negative"]
    table["read by the models"] = np.select(
        [table["language"].isin(FULLY_SUPPORTED), table["language"].isin(EMOTION_LANGUAGES),
         table["language"].isin(SENTIMENT_LANGUAGES), table["language"] == UNDETERMINED],
        ["yes", "sentiment and emotion", "sentiment only", "unknown"], "no")
    table.insert(1, "name", table["language"].map(name_of))
    return table
