"""Text prepared for meaning before it is embedded and before keywords are counted; the posts keep their text.

Why: on 14,640 real airline tweets the four biggest topics (43 % of posts) were the airline addressed
("jetblue · jfk · blue", "southwestair · swa · thank"): @handles and brand names drive the embeddings, so
ignoring them as keywords only relabelled the same topics. Removing handles, links and the brand names before
embedding made the topics cancellations, hold times, bags, delays (AMI against the complaint reasons 0.12 -> 0.20).

What goes: @handles, links and link fragments (http…, www…, t.co/…, bit.ly/…, glued "httpbitly"), RT markers,
HTML entities and tags (YouTube's comment text carries <br /> and <a href>), and the dataset's brand terms
(`learn_brand_terms`: each brand, each word of a multi-word brand, the brand written as one word, and the
handles/hashtags that go with a brand). Hashtags stay as words.
"""
from __future__ import annotations

import html
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable

import pandas as pd

LINK = re.compile(r"(?i)(?:\b(?:https?|www)\S*"                       # http://…, www.…, glued "httpbitly"
                  r"|\b(?:[\w-]++\.)++(?:com|net|org|ly|gl|gd|io)\b(?:/\S*)?"  # bit.ly/…, twitpic.com/…
                  r"|\b(?:[\w-]++\.)++(?:co|me|it|be|fm|us)/\S*"                 # t.co/…, youtu.be/…
                  r"|(?<!\S)/\S+)")                                  # a path left over from a broken link
HANDLE = re.compile(r"@\w+")
HASHTAG = re.compile(r"#(\w+)")
RT = re.compile(r"\b(?:RT|Rt|rt|MT)\b:?")
TERM = re.compile(r"#?(\w+(?:&\w+)*)")  # a word, hashtag or "at&t"
ENTITY = re.compile(r"&#?\w+;")
TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]{0,500})?/?>")  # <br />, <a href="…">: YouTube's HTML text
SPACES = re.compile(r"\s+")
CAMEL = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")  # "USAirways" -> US, Airways; "KatyPerry" -> Katy, Perry
MENTION_SHARE = 0.8   # an @mention seen with one brand in at least this share of its posts is that brand's handle
MENTION_MIN = 3       # ... and in at least this many posts (and 5 % of the brand's posts)
DOMINANT_HANDLE = 0.5  # an @handle at least this share of a file's posts address is its brand, where it names none
# what a customer-care account adds to its brand's name ("AskeBay", "sprintcare", "hulu_support", "ChipotleTweets":
# 43 companies' accounts in a real dump of Customer Support on Twitter); customers write "ebay", "sprint", "hulu"
CARE_PREFIXES = ("ask", "team", "hey")
CARE_SUFFIXES = ("support", "help", "helps", "care", "cares", "service", "assist", "tweets", "official", "hq")
CARE_AFFIX = re.compile(rf"^(?:{'|'.join(CARE_PREFIXES)})[\W_]*(?=[a-z]{{4}})|"
                        rf"(?<=[a-z]{{3}})[\W_]*(?:{'|'.join(CARE_SUFFIXES)})$")


WORDED = 5  # words a post needs, besides its @handles and links, to be quoted or listed as reading well


def worded(text: pd.Series) -> pd.Series:
    """Posts of at least `WORDED` words besides their @handles and links: worth quoting or showing a client."""
    text = text.astype(str)
    return text.str.replace(LINK, " ", regex=True).str.replace(HANDLE, " ", regex=True).str.split().str.len() \
        >= WORDED


def _letters(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.lower())


def brand_words(brand: str) -> set[str]:
    """'"Time Warner"' -> time warner, time, warner, timewarner; 'kindle2' -> kindle2, kindle; 'at&t' -> at&t, att.
    Words that are English stop words ('night at the museum': at, the) are kept in the text, and so are numbers
    that are not the whole name: a brand column of app versions ("1.0", "2.1") took "10" and "21" out of every
    review ("battery lasts 10 hours"); a brand called "1984" is still taken out."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    name = " ".join(str(brand).lower().strip().strip("\"'").split())
    if not name:
        return set()
    out = {name, _letters(name)}
    for word in re.split(r"[^\w&']+", name):
        if len(word) >= 2 and word not in ENGLISH_STOP_WORDS:
            out.add(word)
            letters = re.sub(r"\d+", "", word)
            if len(letters) >= 3:
                out.add(letters)  # kindle2 -> kindle
    return {w for w in out if len(w) >= 2 and (not w.isdigit() or w == name)}


def camel_parts(brand: str) -> list[str]:
    """The words of a brand written as a handle, lower case: 'KatyPerry' -> katy, perry; 'SouthwestAir' ->
    southwest, air; none for 'iPhone' or 'eBay' (not every part capitalised) or a one-word name. Stop words, parts
    under 3 letters and what a care account adds ('SpotifyCares': cares) are left out."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    parts = CAMEL.findall(str(brand).strip().strip("\"'"))
    if len(parts) < 2 or not all(p[0].isupper() or p.isdigit() for p in parts):
        return []
    return [p.lower() for p in parts if len(p) >= 3 and p.isalpha() and p.lower() not in ENGLISH_STOP_WORDS
            and p.lower() not in CARE_PREFIXES + CARE_SUFFIXES]  # "cares" of "SpotifyCares" is no name


def unaffixed(brand: str) -> list[str]:
    """A care account's brand without what the account adds (`CARE_AFFIX`): 'AskeBay' -> ebay, 'sprintcare' ->
    sprint, 'hulu_support' -> hulu; none where nothing is added."""
    name = str(brand).strip().strip("\"'@").lower()
    bare = _letters(CARE_AFFIX.sub("", name))
    return [bare] if bare != _letters(name) and len(bare) >= 3 else []


def acronyms(brand: str) -> list[str]:
    """The initials a brand of several words goes by, lower case: 'Commercial Bank of Ethiopia' -> cboe, cbe;
    'Dashen Bank' -> db. None for one word, or where the initials are an English stop word ('Apple Music': am)."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    words = [w for w in re.split(r"[^a-z0-9]+", str(brand).lower()) if w]
    if len(words) < 2:
        return []
    found = ["".join(w[0] for w in words), "".join(w[0] for w in words if w not in ENGLISH_STOP_WORDS)]
    return [a for a in dict.fromkeys(found) if len(a) >= 2 and a.isalpha() and a not in ENGLISH_STOP_WORDS]


def _camel_terms(names: set[str], texts: pd.Series, brands: pd.Series) -> set[str]:
    """The parts of CamelCase brand names (`camel_parts`), care accounts' brands (`unaffixed`) and the initials of
    brands of several words (`acronyms`) that stand for the brand in these posts: with several brands, a part seen
    mostly (`MENTION_SHARE`) in that brand's posts ('katy' under the KatyPerry video, not 'play' where PlayStation
    and Xbox are both talked about); with one brand, parts of 4+ letters and initials seen in `MENTION_MIN` posts.
    On the real YouTube comments, whose brand column is the video, topics were labelled "katy · perry ·
    birthday"; on 7,290 real reviews of three banks' apps, "cbe · unsubscribe · proud" (the Commercial Bank of
    Ethiopia)."""
    parts = {part: name for name in sorted(names) for part in [*camel_parts(name), *unaffixed(name)]}
    initials = {a: name for name in sorted(names) for a in acronyms(name) if a not in parts}
    one = len(names) == 1  # one brand: its parts of 4+ letters with no evidence needed, its initials with some
    found = {p for p in parts if len(p) >= 4} if one else set()
    owner = initials if one else parts | initials
    if not owner:
        return found
    words = re.compile(r"\b(" + "|".join(map(re.escape, sorted(owner, key=len, reverse=True))) + r")\b")
    hits = texts.reset_index(drop=True).str.lower().str.findall(words).explode().dropna()  # one pass, every part
    seen = pd.DataFrame({"part": hits.to_numpy(), "post": hits.index, "brand": brands.to_numpy()[hits.index]})
    seen = seen.drop_duplicates(["part", "post"])
    for part, rows in seen.groupby("part"):
        if len(rows) >= MENTION_MIN and (rows["brand"] == owner[str(part)]).mean() >= MENTION_SHARE:
            found.add(str(part))
    return found


def learn_brand_terms(posts: pd.DataFrame) -> tuple[str, ...]:
    """Every brand's words (`brand_words`), the parts of a CamelCase brand that stand for it (`_camel_terms`), and
    the handles/hashtags that go with a brand (without a brand column, the handle most posts address:
    `dominant_handle`): an @mention or hashtag whose letters contain the brand's
    (@AmericanAir for "American") or are at least half of them (#warner for "Time Warner"), a care account's
    without its affix (#help is no part of "CoxHelp": it made "help" a brand word in a real care dump), or an
    @mention seen mostly with one brand's posts. Lower case, sorted; () without a brand column or such a handle."""
    if "brand" not in posts or posts["brand"].isna().all():
        handle = dominant_handle(posts["text"]) if "text" in posts else None
        if handle is None:
            return ()
        posts = posts.assign(brand=handle)  # as if the file named it: every post addresses it
    brands = posts["brand"].fillna("").astype(str).str.strip().str.strip("\"'")
    names = {b for b in brands.unique() if b}
    terms: set[str] = set().union(*(brand_words(b) for b in names))
    cores = [(unaffixed(b) or [_letters(b)])[0] for b in names]  # a care account's brand without its affix
    joined = [j for j in (_letters(b) for b in names) if len(j) >= 3] + [c for c in cores if len(c) >= 4]
    inside = [c for c in cores if len(c) >= 3]
    texts = posts["text"].fillna("").astype(str) if "text" in posts else pd.Series([""] * len(posts))
    mentions: dict[str, Counter[str]] = defaultdict(Counter)
    for text, brand in zip(texts, brands, strict=True):
        tags = {m.lower() for m in HANDLE.findall(text)}
        for tag in tags:
            mentions[tag[1:]][brand] += 1
        tags |= {h.lower() for h in HASHTAG.findall(text)}
        for tag in tags:
            key = _letters(tag)
            if any(j in key for j in joined) or any(len(key) >= max(4, len(c) / 2) and key in c for c in inside):
                terms.add(key)
    terms |= _camel_terms(names, texts, brands)
    per_brand = brands.value_counts()
    if len(names) > 1:
        for handle, counts in mentions.items():
            brand, n = counts.most_common(1)[0]
            if brand and n >= max(MENTION_MIN, 0.05 * per_brand[brand]) and n >= MENTION_SHARE * sum(counts.values()):
                terms.add(handle)
    return tuple(sorted(terms))


def dominant_handle(texts: pd.Series) -> str | None:
    """The @handle that at least `DOMINANT_HANDLE` of the posts @mention, as first written: the brand of a file of
    its mentions or of its care inbox that has no brand column. 15,103 real tweets to @SpotifyCares (a care
    inbox, every one addressing it) had as largest topic "spotify · songs · music", 35 % of the posts; no set of
    the eval table has a handle in more than 1 % of its posts."""
    said = texts.fillna("").astype(str).str.findall(HANDLE).explode().dropna()
    if said.empty:
        return None
    per_post = pd.DataFrame({"post": said.index, "key": said.str.lower().to_numpy(), "as": said.to_numpy()})
    per_post = per_post.drop_duplicates(["post", "key"])
    counts = per_post["key"].value_counts()
    if counts.iloc[0] < DOMINANT_HANDLE * len(texts):
        return None
    return str(per_post.loc[per_post["key"] == counts.index[0], "as"].iloc[0]).lstrip("@")


def _drop_terms(terms: Iterable[str]) -> Callable[[re.Match[str]], str]:
    """A replacement for TERM matches: '' for a brand term (one set look-up per word, not one regex branch per
    term: 10x faster with the 250 terms of Sentiment140's 81 queries), else the word. Multi-word terms go word by
    word (`brand_words` holds their words)."""
    words = {t for t in terms if t and " " not in t}
    return lambda m: " " if m.group(1).lower() in words else m.group()


def prepare_texts(texts: pd.Series, brand_terms: Iterable[str] = ()) -> pd.Series:
    """The text that carries meaning, same index: what `fit_topics` embeds and counts keywords on. Each
    distinct text is prepared once."""
    texts = texts.fillna("").astype(str)
    uniq = pd.Series(texts.unique())
    drop = _drop_terms(brand_terms)
    out = uniq.map(html.unescape).str.replace(TAG, " ", regex=True).str.replace(ENTITY, " ", regex=True)
    out = out.str.replace(LINK, " ", regex=True).str.replace(HANDLE, " ", regex=True)
    out = out.str.replace(TERM, drop, regex=True)  # before hashtags become words, so #Nike goes with the brand
    out = out.str.replace(HASHTAG, r"\1", regex=True).str.replace(RT, " ", regex=True)
    out = out.str.replace(SPACES, " ", regex=True).str.strip()
    prepared = dict(zip(uniq, out, strict=True))
    return texts.map(prepared).astype(str)  # str even when empty (map gives float64 then)
