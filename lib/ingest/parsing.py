"""Turn export cell strings into typed values: counts ("1.2K"), timestamps (any common form, to UTC),
platform names, and clean text (mojibake repaired with ftfy, HTML entities decoded)."""
from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from lib.ingest.schema import clock_hours

# ---------------------------------------------------------------- counts

_COUNT_RE = re.compile(r"^([0-9][0-9.,'\s\u00a0\u202f]*)([kmb])?\+?$")
_MULT = {"k": 1_000, "m": 1_000_000, "b": 1_000_000_000}


def _one_count(s: str) -> float:
    t = s.strip().lower().replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    m = _COUNT_RE.match(t)
    if not m:
        return np.nan
    num, suffix = m.group(1), m.group(2)
    num = num.replace("'", "")
    if suffix:
        if "," in num and "." not in num:
            num = num.replace(",", ".")  # European "1,2K"
        num = num.replace(",", "")
    elif re.fullmatch(r"\d{1,3}(\.\d{3})+", num):
        num = num.replace(".", "")  # "3.400" as a count is three thousand four hundred
    elif re.fullmatch(r"\d{1,3}(\.\d{3})*,\d{1,2}", num):
        num = num.replace(".", "").replace(",", ".")  # a decimal comma ("1.234,5", "0,5"): no thousands mark
    elif re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", num) or "," in num:
        num = num.replace(",", "")
    try:
        return float(num) * _MULT.get(suffix or "", 1)
    except ValueError:
        return np.nan


def parse_counts(values: pd.Series) -> tuple[pd.Series, int]:
    """Parse a column of counts. Returns (nullable Int64 series, number of unreadable/negative cells)."""
    s = values.astype("string")
    present = s.notna() & (s.str.strip() != "")
    # as floats: from text pandas may give whole numbers (Int64), which a parsed "1.234,5" or "0,5" cannot join
    fast = pd.to_numeric(s, errors="coerce").astype(float)
    # "3.400" is a float to pandas but, as a count, three thousand four hundred (dot as thousands mark)
    grouped = s.str.strip().str.fullmatch(r"\d{1,3}(\.\d{3})+").fillna(False)
    need = present & (fast.isna() | grouped)
    if need.any():
        uniq = s[need].unique()
        parsed = {u: _one_count(u) for u in uniq}
        fast = fast.where(~need, s.map(parsed).astype(float))
    negative = fast < 0
    fast = fast.mask(negative)
    bad = int((present & fast.isna()).sum())
    return fast.round().astype("Int64"), bad


# ---------------------------------------------------------------- dates

_DMY_RE = re.compile(r"^\s*(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2,4})")
# a time of day written with dots after a date ("24-02-2015 11.35", "24.02.2015 11.35.20": Excel in Danish, Finnish
# or Italian settings): pandas reads none of it
_DOTTED_TIME_RE = re.compile(r"(?<=\d)(\s+)(\d{1,2})\.(\d{2})(?:\.(\d{2}))?(?=\s*(?:[AaPp]\.?[Mm]\.?)?\s*$)")
_OFFSET_RE = re.compile(r"(?:(?<=\d)|\s)(Z|UTC|GMT|[+-]\d{2}:?\d{2})\s*$|\s([+-]\d{4})\s+\d{4}$")


def _colons(m: re.Match) -> str:
    """A dotted time of day (`_DOTTED_TIME_RE`) written with colons."""
    return m.group(1) + ":".join(g for g in m.groups()[1:] if g)


@dataclass
class DateParse:
    values: pd.Series  # tz-aware UTC timestamps, NaT where unreadable
    failed: int = 0
    method: str = ""
    notes: list[str] = field(default_factory=list)
    offsets: pd.Series | None = None  # the original UTC offset text, where the source gave one


EXCEL_EPOCH = 25569  # Excel's day number of 1970-01-01
LATEST = 4_102_444_800  # 2100-01-01 in epoch seconds: a later time is no post's


def _from_numbers(numeric: pd.Series) -> tuple[pd.Series, str]:
    """Times written as numbers, their unit told by their size: epoch nanoseconds, microseconds, milliseconds or
    seconds, or Excel's day numbers (a date column that lost its format: 45292.5 is noon on 1 Jan 2024, and read
    as seconds it was 12:34 on 1 Jan 1970). Out-of-range values become NaT (microseconds read as milliseconds
    overflowed into an exception)."""
    med = float(numeric.median())
    if 2e4 < med < 8e4:  # 1954-2119 as Excel days; as epoch seconds, the first day of 1970
        seconds = (numeric - EXCEL_EPOCH) * 86_400
        return pd.to_datetime(seconds.where((seconds >= 0) & (seconds < LATEST)), unit="s", utc=True), \
            "Excel serial days"
    scale, unit, name = next(u for u in ((1e9, "ns", "nanoseconds"), (1e6, "us", "microseconds"),
                                         (1e3, "ms", "milliseconds"), (1.0, "s", "seconds"))
                             if med > u[0] * 1e8 or u[1] == "s")
    seconds = numeric / scale
    return pd.to_datetime(numeric.where((seconds >= 0) & (seconds < LATEST)), unit=unit, utc=True), f"epoch {name}"


def parse_datetimes(values: pd.Series, dayfirst: bool | None = None) -> DateParse:
    """Parse any common date form to UTC: ISO 8601 (with offsets), US or EU day/month order,
    epoch seconds or milliseconds, ctime ("Mon May 11 03:17:40 UTC 2009")."""
    s = values.astype("string").str.strip()
    present = s.notna() & (s != "")
    if not present.any():
        return DateParse(pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns, UTC]"), method="empty")
    notes: list[str] = []
    sp = _with_us_zone_offsets(s[present], notes)
    numeric = pd.to_numeric(sp, errors="coerce")
    if numeric.notna().mean() > 0.95:
        out, method = _from_numbers(numeric)
        if method == "Excel serial days":
            notes.append("Dates were Excel's day numbers (45292 is 1 Jan 2024), read as such")
    else:
        out = pd.to_datetime(sp, utc=True, format="ISO8601", errors="coerce")
        method = "ISO 8601"
        if out.isna().mean() > 0.02:
            if dayfirst is None:
                dayfirst, note = _guess_dayfirst(sp)
                if note:
                    notes.append(note)
            uniq = sp[out.isna()].unique()
            clocked = pd.Series(uniq).str.replace(_DOTTED_TIME_RE, _colons, regex=True)  # "11.35" -> "11:35"
            conv = pd.Series(pd.to_datetime(clocked, utc=True, format="mixed",
                                            dayfirst=bool(dayfirst), errors="coerce").values,
                             index=uniq)
            out = out.where(out.notna(), sp.map(conv))
            method = "mixed formats" + (" (day first)" if dayfirst else "")
    full = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns, UTC]")
    full[present] = pd.to_datetime(out, utc=True)
    failed = int(full[present].isna().sum())
    found = sp.str.extract(_OFFSET_RE)
    offsets = found[0].fillna(found[1])  # not bfill(axis=1): on string columns that went row by row
    offsets = offsets.reindex(values.index) if offsets.notna().any() else None
    if not sp.str.contains(r"(?:Z|UTC|GMT|[+-]\d{2}:?\d{2})", regex=True).any() and not method.startswith("epoch") \
            and clock_hours(full[present]).notna().any():  # dates without times have no time to place
        notes.append("Times carry no time zone; they were read as UTC")
    return DateParse(full, failed, method, notes, offsets)


_US_ZONES = {"EST": "-05:00", "EDT": "-04:00", "CST": "-06:00", "CDT": "-05:00", "MST": "-07:00", "MDT": "-06:00",
             "PST": "-08:00", "PDT": "-07:00"}
# after a time, last or before the year ("Mon Apr 06 22:19:45 PDT 2009", Sentiment140's training tweets)
_US_ZONE_RE = re.compile(r"(?<=\d)\s+(" + "|".join(_US_ZONES) + r")(?=$|\s+\d{4}$)")


def _with_us_zone_offsets(sp: pd.Series, notes: list[str]) -> pd.Series:
    """US zone names as offsets ("2021-03-01 09:00:00 EST", CrowdTangle's form; "Mon Apr 06 22:19:45 PDT 2009"):
    pandas would drop the name and read the time as UTC, and is to refuse such strings altogether."""
    out = sp.str.replace(_US_ZONE_RE, lambda m: " " + _US_ZONES[m.group(1)].replace(":", ""), regex=True)
    if out.ne(sp).any():
        notes.append("Time zone names (EST, PST, ...) were read as US time zones")
    return out


def _guess_dayfirst(s: pd.Series) -> tuple[bool, str | None]:
    m = s.str.extract(_DMY_RE)
    if m.isna().all().all():
        return False, None
    a = pd.to_numeric(m[0], errors="coerce")
    b = pd.to_numeric(m[1], errors="coerce")
    if (a > 12).any() and not (b > 12).any():
        return True, "Dates read day first (DD/MM/YYYY): some first numbers exceed 12"
    if (b > 12).any() and not (a > 12).any():
        return False, "Dates read month first (MM/DD/YYYY): some second numbers exceed 12"
    dotted = s.str.match(r"^\s*\d{1,2}\.\d{1,2}\.\d{2,4}").mean()
    if dotted >= 0.5:  # 06.12.2026: dots are written day first (German, Russian, Turkish, ...), never month first
        return True, ("Day/month order is ambiguous; dates written with dots (DD.MM.YYYY) were read day first - "
                      "change it in the options if wrong")
    return False, ("Day/month order is ambiguous; dates were read month first (MM/DD) - change it in the options"
                   " if wrong")


# ---------------------------------------------------------------- platform and post type

_PLATFORM_WORDS = {
    "twitter": "x", "x": "x", "tweet": "x", "tweets": "x", "xcom": "x", "twittercom": "x",
    "facebook": "facebook", "fb": "facebook", "facebookcom": "facebook", "meta": "facebook",
    "instagram": "instagram", "ig": "instagram", "instagramcom": "instagram",
    "tiktok": "tiktok", "tiktokcom": "tiktok", "douyin": "tiktok",
    "linkedin": "linkedin", "linkedincom": "linkedin",
    "youtube": "youtube", "yt": "youtube", "youtubecom": "youtube", "youtu": "youtube",
    "reddit": "reddit", "redditcom": "reddit",
}


# a post's or comment's own link, or its writer's profile, on a platform: the host says which platform
_PLATFORM_HOSTS = (("instagram.com", "instagram"), ("facebook.com", "facebook"), ("fb.com", "facebook"),
                   ("fb.watch", "facebook"), ("twitter.com", "x"), ("x.com", "x"), ("tiktok.com", "tiktok"),
                   ("linkedin.com", "linkedin"), ("lnkd.in", "linkedin"), ("youtube.com", "youtube"),
                   ("youtu.be", "youtube"), ("reddit.com", "reddit"), ("redd.it", "reddit"))
_HOST = re.compile(r"^https?://(?:[^/@]*@)?([^/:?#]+)", re.IGNORECASE)
# link columns that are not the post's own (a tweet's linked page, an image on a CDN)
_NOT_OWN_LINK = re.compile(r"expanded|entities|image|thumb|media|picture|photo|avatar|icon|logo|cdn|embed|source",
                           re.IGNORECASE)


def link_platform(link: object) -> str | None:
    """The platform a link is on ("https://www.instagram.com/p/DMX8/c/179" -> instagram), or None."""
    m = _HOST.match(str(link).strip()) if isinstance(link, str) else None
    if m is None:
        return None
    host = m.group(1).lower().rstrip(".")
    return next((name for suffix, name in _PLATFORM_HOSTS if host == suffix or host.endswith("." + suffix)), None)


def first_values(values: pd.Series, n: int, blank: bool = False) -> pd.Series:
    """The first `n` filled values of a column as text, in order (`blank`: empty strings count as filled), as
    `values.dropna().astype(str)` and its first `n` would give them, but read from the top until `n` are found
    instead of over every row: the column scans of the importer ran each of a 10,000-column file's columns
    through pandas' string methods (a one-row file took 42 s to import). Other dtypes than text keep pandas' way
    (its text for a date or a number is not always `str`'s)."""
    if values.dtype == object:
        found: list[str] = []
        other = False
        for v in values.to_numpy()[:4 * n]:
            if isinstance(v, str):
                if blank or v.strip():
                    found.append(v)
                    if len(found) == n:
                        break
            elif not (v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and v != v)):
                other = True  # a value of another kind: pandas' text of it is the reference
                break
        if not other and (len(found) == n or len(values) <= 4 * n):
            return pd.Series(found, dtype=object)
    s = values.dropna().astype(str)
    return (s if blank else s[s.str.strip() != ""]).head(n).reset_index(drop=True)


_HTTP = re.compile(r"https?://", re.IGNORECASE)


def _link_column(raw: pd.DataFrame, read: Callable[[object], str | None], min_share: float) -> str | None:
    """The column of links (filled in at least half of the first 500 rows) that `read` reads most often, at
    least `min_share` of its links; None when none does."""
    best, best_share = None, min_share
    for col in raw.columns:
        if _NOT_OWN_LINK.search(str(col)):
            continue
        links = [v for v in first_values(raw[col], 500, blank=True) if _HTTP.match(v)]
        if len(links) < max(1, 0.5 * min(len(raw), 500)):
            continue
        share = float(pd.Series(links, dtype=object).map(read).notna().mean())
        if share >= best_share:
            best, best_share = col, share
    return best


def platform_from_links(raw: pd.DataFrame, min_share: float = 0.8) -> pd.Series | None:
    """Each row's platform read from the file's link column (a comment's URL, its writer's profile) where the
    file says nothing else: ExportComments' Instagram export has "Comment URL" and "Profile URL" on
    instagram.com and no platform column. The column whose filled links are most often on a platform, at least
    `min_share` of them (a listening tool's mentions may be on several); a row without such a link is "other".
    None when no column qualifies (news sites' links: those posts stay "other")."""
    best = _link_column(raw, link_platform, min_share)
    if best is None:
        return None
    return raw[best].map(link_platform).fillna("other").astype("string")


# a post's own link that names its writer: x.com/<name>/status/<id>, tiktok.com/@<name>/video/<id>,
# instagram.com/<name>/p/<code> (and /reel/), instagram.com/stories/<name>/<id>,
# linkedin.com/posts/<name>_<words>-activity-<id>; never facebook.com/<page>/posts/<id>, which a comment's link
# shares with its post
_WRITER_IN_LINK = re.compile(
    r"^https?://(?:[\w-]+\.)*(?:"
    r"(?:twitter|x)\.com/(?!i/)(?P<x>\w{1,15})/status(?:es)?/\d"
    r"|tiktok\.com/@(?P<tiktok>[\w.]{2,24})/(?:video|photo)/\d"
    r"|instagram\.com/(?:stories/(?P<story>[\w.]{1,30})/\d|(?!p/|reels?/|tv/|stories/|explore/)"
    r"(?P<instagram>[\w.]{1,30})/(?:p|reels?|tv)/[\w-])"
    r"|linkedin\.com/posts/(?P<linkedin>[\w-]{3,100}?)_[^/?#]*activity-\d)",
    re.IGNORECASE)


def link_writer(link: object) -> str | None:
    """The account a post's own link names ("https://twitter.com/Daily_Mad_Dogs/status/1648..." ->
    "Daily_Mad_Dogs"), or None (a link that names no account: facebook.com/.../posts, youtube.com/watch)."""
    m = _WRITER_IN_LINK.match(link.strip()) if isinstance(link, str) else None
    return next((v for v in m.groups() if v), None) if m else None


def authors_from_links(raw: pd.DataFrame, min_share: float = 0.8) -> tuple[str, pd.Series] | None:
    """Each row's author read from its own link where the file has no author column: Apify's X scraper writes
    `url` (x.com/<name>/status/<id>) and no user column. The link column whose links name their writer most
    often (`min_share` of them), and only if those links are each a post's own: a comments export that gives
    every comment the video's link (tiktok.com/@creator/video/...) would make the creator the author of all
    of them, so at least 90 % of the links must differ. (column, authors) or None."""
    best = _link_column(raw, link_writer, min_share)
    if best is None:
        return None
    links = raw[best].dropna()
    if links.nunique() < 0.9 * len(links):
        return None
    return best, raw[best].map(link_writer).astype("string")


def normalize_platform(values: pd.Series) -> pd.Series:
    """Map free platform labels ("Twitter", "www.reddit.com", "IG") onto the canonical names."""
    s = values.astype("string")
    uniq = s.dropna().unique()
    lookup = {u: _one_platform(u) for u in uniq}
    return s.map(lookup).astype("string")


def _one_platform(v: str) -> str:
    key = re.sub(r"[^a-z0-9]", "", v.lower().replace("www.", ""))
    if key in _PLATFORM_WORDS:
        return _PLATFORM_WORDS[key]
    for word, name in _PLATFORM_WORDS.items():
        if len(word) > 3 and word in key:
            return name
    return "other"


_POST_TYPES = {
    "photo": "image", "picture": "image", "image": "image", "img": "image", "carouselalbum": "carousel",
    "album": "carousel", "carousel": "carousel", "status": "text", "text": "text", "tweet": "text",
    "video": "video", "reel": "reel", "reels": "reel", "story": "story", "stories": "story",
    "link": "link", "article": "link", "share": "link", "poll": "poll", "live": "live", "comment": "comment",
    "reply": "comment", "document": "document",
}


def normalize_post_type(values: pd.Series) -> pd.Series:
    s = values.astype("string").str.strip()
    uniq = s.dropna().unique()
    lookup = {u: _POST_TYPES.get(re.sub(r"[^a-z]", "", u.lower()), u.lower()) for u in uniq}
    return s.map(lookup).astype("string")


# ---------------------------------------------------------------- text

_TAG_RE = re.compile(
    r"</?(?:a|abbr|b|br|div|em|font|h[1-6]|i|img|li|ol|p|s|small|span|strong|sub|sup|u|ul)\b[^<>]*>",
    re.IGNORECASE,
)
_BR_RE = re.compile(r"<br\s*/?>|</p>", re.IGNORECASE)
_INVISIBLE_RE = re.compile("[\ufeff\u200b\u200c\u200d\u2060]")


_SEGMENTS_START = re.compile(r'^\{\s*"(?:takeoutSegments|text)"\s*:')


def takeout_text(values: pd.Series) -> tuple[pd.Series, int]:
    """Texts written as Google Takeout's JSON segments, read as their words, and how many were: YouTube's
    comments.csv writes a comment as {"takeoutSegments":[{"text":"..."}]} (before June 2024) or as
    {"text":"..."},{"text":"\\n"},{"text":"..."} (a mention, a line break and each run of text a segment of
    its own). Read as they were, every comment's words came wrapped in JSON, and "takeoutsegments" was a topic
    word. A value that does not parse as segments stays as it is."""
    import json

    s = values.astype("string")
    maybe = s.notna() & s.str.match(_SEGMENTS_START)
    if not maybe.any():
        return s, 0

    def words(value: str) -> str | None:
        try:
            found = json.loads(f"[{value}]")
        except ValueError:
            return None
        if len(found) == 1 and isinstance(found[0], dict) and isinstance(found[0].get("takeoutSegments"), list):
            found = found[0]["takeoutSegments"]
        if not found or not all(isinstance(seg, dict) and isinstance(seg.get("text"), str) for seg in found):
            return None
        return "".join(seg["text"] for seg in found)

    read = s[maybe].map(words)
    read = read[read.notna()]
    out = s.copy()
    out[read.index] = read
    return out, len(read)


def clean_text(values: pd.Series) -> pd.Series:
    """Repair mojibake (ftfy), decode HTML entities, drop HTML tags and invisible characters.

    ASCII text without '&' or '<' cannot need any of this, so only the rest goes through ftfy.
    """
    s = values.astype("string")
    need = s.notna() & (s.str.contains(r"[^\x00-\x7f]|&|<", regex=True))
    out = s.copy()
    if need.any():
        import ftfy

        uniq = s[need].unique()
        fixed = {u: _clean_one(u, ftfy) for u in uniq}
        out[need] = s[need].map(fixed)
    return out.str.strip()


def _clean_one(t: str, ftfy) -> str:  # type: ignore[no-untyped-def]
    t = ftfy.fix_text(t, uncurl_quotes=False, unescape_html=False, normalization="NFC")
    t = _BR_RE.sub("\n", t)
    t = _TAG_RE.sub("", t)
    t = html.unescape(t)
    return _INVISIBLE_RE.sub("", t)
