"""Recognise which export a table came from, and guess which source column feeds each canonical field.

Headers are compared after normalisation (lower case, letters and digits only), so
"Lifetime Post Total Reach", "lifetime_post_total_reach" and "public_metrics.like_count" all match.
Every guess is checked against the values (a "comment" column of numbers is a count, not text).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from lib.ingest.schema import CANONICAL, FIELD_BY_NAME

Mapping = dict[str, "str | list[str]"]


def norm(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", str(name).lower())


@dataclass(frozen=True)
class ExportFormat:
    key: str
    label: str
    platform: str | None
    signatures: tuple[frozenset[str], ...]  # any one full set of normalised headers identifies it
    prefer: tuple[tuple[str, str], ...] = ()  # format-specific (canonical, normalised header) picks
    text_join: tuple[str, ...] = ()  # several columns that together make the text (title + body)


def _sig(*sets: str) -> tuple[frozenset[str], ...]:
    return tuple(frozenset(s.split()) for s in sets)


FORMATS: tuple[ExportFormat, ...] = (
    ExportFormat("x_airline", "X/Twitter: airline-sentiment dataset", "x",
                 _sig("airlinesentiment airline text tweetcreated")),
    ExportFormat("x_sentiment140", "X/Twitter: Sentiment140 dataset", "x",
                 _sig("polarity tweetid tweetdate query user text"),
                 prefer=(("post_id", "tweetid"), ("brand", "query"))),
    ExportFormat("x_api_v2", "X/Twitter: API v2", "x",
                 _sig("id text authorid createdat", "id text publicmetricslikecount"),
                 prefer=(("author", "authorusername"), ("parent_id", "inreplytotweetid"))),
    ExportFormat("x_api_v1", "X/Twitter: API v1.1", "x",
                 _sig("idstr createdat userscreenname", "fulltext createdat userscreenname",
                      "id createdat favoritecount retweetcount text")),
    ExportFormat("x_dataset", "X/Twitter: tweet dataset", "x",
                 _sig("tweetid text", "tweet username", "tweetid tweet", "content retweets favorites",
                      "text retweetcount favoritecount", "tweetcontent", "tweetid content")),
    ExportFormat("facebook_page_metrics", "Facebook: page post metrics (UCI)", "facebook",
                 _sig("pagetotallikes lifetimeposttotalreach type"),
                 prefer=(("followers", "pagetotallikes"),)),
    ExportFormat("facebook_insights", "Facebook: page post insights", "facebook",
                 _sig("postid pageid pagename publishtime", "postmessage lifetimeposttotalreach",
                      "postid permalink postmessage posted", "pagename publishtime reactions")),
    ExportFormat("instagram_insights", "Instagram: post insights", "instagram",
                 _sig("accountusername publishtime", "accountusername description likes",
                      "mediaid caption likecount", "ownerusername caption likescount")),
    ExportFormat("tiktok", "TikTok: video export", "tiktok",
                 _sig("diggcount", "authormetaname", "videolink totalviews", "videotitle posttime totallikes",
                      "createtimeiso playcount")),
    ExportFormat("linkedin_page", "LinkedIn: page posts", "linkedin",
                 _sig("posttitle postlink posttype", "posttitle postedby createddate",
                      "updatelink updatetype impressions")),
    ExportFormat("youtube_comments", "YouTube: comments", "youtube",
                 _sig("commentid author date content", "textdisplay authordisplayname",
                      "textoriginal videoid", "snippettoplevelcommentsnippettextdisplay"),
                 prefer=(("post_id", "commentid"), ("brand", "video"))),
    ExportFormat("reddit_posts", "Reddit: posts", "reddit",
                 _sig("subreddit selftext", "subreddit title numcomments"),
                 text_join=("title", "selftext")),
    ExportFormat("reddit_comments", "Reddit: comments", "reddit",
                 _sig("subreddit body", "body linkid parentid")),
    ExportFormat("sprout_social", "Listening tool: Sprout Social-style post export", None,
                 _sig("network profile posttype post", "network profile post impressions")),
    ExportFormat("brandwatch", "Listening tool: Brandwatch-style mentions", None,
                 _sig("fulltext pagetype url", "snippet pagetype author", "fulltext pagetype")),
    ExportFormat("meltwater", "Listening tool: Meltwater-style mentions", None,
                 _sig("hitsentence influencer", "hitsentence source")),
    ExportFormat("talkwalker", "Listening tool: Talkwalker-style results", None,
                 _sig("sourcetype published content", "mediatype published content url")),
)
FORMAT_BY_KEY = {f.key: f for f in FORMATS}
GENERIC = ExportFormat("generic", "Generic table", None, ())

# Candidate headers per canonical field, most specific first.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "post_id": ("postid", "tweetid", "idstr", "commentid", "messageid", "mediaid", "contentid", "videoid",
                "mentionid", "id", "uniqueid", "guid", "permalink", "postlink", "url", "link", "videolink",
                "updatelink"),
    "text": ("text", "fulltext", "content", "message", "postmessage", "body", "commenttext", "comment",
             "textdisplay", "snippettoplevelcommentsnippettextdisplay", "textoriginal", "caption", "posttext",
             "tweet", "tweetcontent", "tweettext", "post", "hitsentence", "snippet", "description", "posttitle",
             "title", "videotitle", "headline", "mention", "mentiontext", "review", "reviewtext", "sentence"),
    "created_at": ("createdat", "created", "createdtime", "createtimeiso", "createtime", "tweetcreated",
                   "tweetdate", "publishedat", "publishtime", "published", "posted", "postedat", "postdate",
                   "posttime", "createdutc", "createddate", "dateposted", "publishdate", "pubdate", "datetime",
                   "date", "timestamp", "time", "snippetpublishedat", "snippettoplevelcommentsnippetpublishedat"),
    "author": ("author", "authorname", "authorusername", "username", "userscreenname", "screenname",
               "userusername", "user", "authordisplayname", "snippettoplevelcommentsnippetauthordisplayname",
               "authormetaname", "accountusername", "handle", "name", "ownerusername", "fromname",
               "from", "postedby", "influencer", "accountname", "profile", "channeltitle"),
    "platform": ("platform", "network", "socialnetwork", "pagetype", "sourcetype", "source", "site", "domain",
                 "contentsource", "medium"),
    "brand": ("brand", "query", "searchquery", "searchterm", "keyword", "airline", "company", "product",
              "subreddit", "pagename", "video", "project", "querytopic", "competitor"),
    "parent_id": ("parentid", "inreplyto", "inreplytostatusidstr", "inreplytostatusid", "inreplytotweetid", "replyto",
                  "parentpostid", "parent", "linkid"),
    "likes": ("likes", "likecount", "likescount", "publicmetricslikecount", "favoritecount", "favouritecount",
              "favorites", "diggcount", "totallikes", "reactions", "totalreactions", "reactionscount", "like",
              "score", "upvotes", "numlikes", "hearts"),
    "comments": ("comments", "commentcount", "commentscount", "publicmetricsreplycount", "replycount",
                 "replies", "totalreplycount", "snippettotalreplycount", "numcomments", "totalcomments",
                 "comment"),
    "shares": ("shares", "sharecount", "sharescount", "publicmetricsretweetcount", "retweetcount", "retweets",
               "reposts", "totalshares", "numshares", "share"),
    "views": ("views", "viewcount", "playcount", "plays", "videoviews", "totalviews",
              "viewsexcludingoffsitevideoviews"),
    "impressions": ("impressions", "publicmetricsimpressioncount", "impressioncount", "totalimpressions",
                    "lifetimeposttotalimpressions", "postimpressions"),
    "reach": ("reach", "totalreach", "lifetimeposttotalreach", "postreach", "potentialreach", "estimatedreach"),
    "clicks": ("clicks", "totalclicks", "linkclicks", "postlinkclicks", "clickcount"),
    "saves": ("saves", "savecount", "saved", "publicmetricsbookmarkcount", "bookmarkcount", "collectcount"),
    "followers": ("followers", "followerscount", "userfollowerscount", "followercount", "authorfollowers",
                  "authorfollowerscount", "authormetafans", "fans", "twitterfollowers", "subscribercount",
                  "userfollowers", "pagetotallikes", "audience"),
    "post_type": ("posttype", "type", "mediatype", "contenttype", "updatetype", "format"),
}


def detect_format(columns: list[str]) -> ExportFormat:
    """The export whose header signature matches best; the generic format if none matches fully."""
    have = {norm(c) for c in columns}
    best, best_size = GENERIC, 0
    for fmt in FORMATS:
        for sig in fmt.signatures:
            if sig <= have and len(sig) > best_size:
                best, best_size = fmt, len(sig)
    return best


def _sample(raw: pd.DataFrame, col: str, n: int = 500) -> pd.Series:
    s = raw[col].dropna().astype(str)
    s = s[s.str.strip() != ""]
    return s.head(n)


def _numeric_share(s: pd.Series) -> float:
    if s.empty:
        return 0.0
    t = s.str.strip().str.lower().str.replace(r"[,\s']", "", regex=True)
    return float(t.str.fullmatch(r"[-+]?\d+(\.\d+)?[kmb]?\+?").mean())


def _plausible(field: str, s: pd.Series) -> bool:
    """Do this column's values fit the field? An empty column fits nothing."""
    if s.empty:
        return False
    kind = FIELD_BY_NAME[field].kind
    if kind == "count":
        return _numeric_share(s) >= 0.8
    if field == "text":
        return _numeric_share(s) < 0.5 and s.str.len().mean() >= 3
    if kind == "timestamp":
        from lib.ingest.parsing import parse_datetimes

        return parse_datetimes(s).values.notna().mean() >= 0.6
    if field in ("platform", "post_type", "brand"):
        return _numeric_share(s) < 0.5 and s.str.len().mean() < 60
    if field == "author":
        return s.str.len().mean() < 80
    return True


def guess_mapping(raw: pd.DataFrame, fmt: ExportFormat | None = None) -> Mapping:
    """Guess {canonical field: source column} for a raw table; fields with no good column are left out."""
    fmt = fmt or detect_format(list(raw.columns))
    by_norm: dict[str, str] = {}
    for c in raw.columns:
        if c == "source_row":
            continue
        by_norm.setdefault(norm(c), c)
    used: set[str] = set()
    mapping: Mapping = {}
    if fmt.text_join and all(k in by_norm for k in fmt.text_join):
        mapping["text"] = [by_norm[k] for k in fmt.text_join]
        used.update(mapping["text"])
    for field, header in fmt.prefer:
        col = by_norm.get(header)
        if col and col not in used and field not in mapping and _plausible(field, _sample(raw, col)):
            mapping[field] = col
            used.add(col)
    # Counts and dates first: their value checks are strict, so they claim "comment"/"like" columns
    # of numbers before the text field could.
    order = [f for f in CANONICAL if FIELD_BY_NAME[f].kind in ("count", "timestamp")] + \
            [f for f in CANONICAL if FIELD_BY_NAME[f].kind not in ("count", "timestamp")]
    for field in order:
        if field in mapping:
            continue
        for header in SYNONYMS.get(field, ()):
            col = by_norm.get(header)
            if col and col not in used and _plausible(field, _sample(raw, col)):
                mapping[field] = col
                used.add(col)
                break
    if "text" not in mapping:
        col = _longest_text_column(raw, used)
        if col:
            mapping["text"] = col
            used.add(col)
    if "created_at" not in mapping:
        for c in raw.columns:
            if c not in used and c != "source_row" and _numeric_share(_sample(raw, c, 200)) < 0.5 \
                    and _plausible("created_at", _sample(raw, c, 200)):
                mapping["created_at"] = c
                used.add(c)
                break
    return {f: mapping[f] for f in CANONICAL if f in mapping}


def _longest_text_column(raw: pd.DataFrame, used: set[str]) -> str | None:
    """For unknown exports: the column of mostly non-numeric strings with the longest mean length."""
    best, best_len = None, 15.0
    for c in raw.columns:
        if c in used or c == "source_row":
            continue
        s = _sample(raw, c)
        if s.empty or _numeric_share(s) > 0.3 or s.str.match(r"^https?://").mean() > 0.5:
            continue
        mean_len = float(s.str.len().mean())
        if mean_len > best_len and s.str.contains(" ").mean() > 0.5:
            best, best_len = c, mean_len
    return best


def parse_map_args(pairs: list[str], columns: list[str]) -> Mapping:
    """CLI `--map canonical=source` pairs; `text=title+selftext` joins columns when no column has that name."""
    out: Mapping = {}
    for pair in pairs:
        if "=" not in pair:
            raise ValueError(f"--map takes canonical=source, got {pair!r}")
        field, source = (x.strip() for x in pair.split("=", 1))
        if field not in CANONICAL:
            raise ValueError(f"--map: {field!r} is not a canonical field ({', '.join(CANONICAL)})")
        if source in columns or source == "":
            out[field] = source
        elif "+" in source and all(p in columns for p in source.split("+")):
            out[field] = source.split("+")
        else:
            raise ValueError(f"--map: the file has no column {source!r}")
    return out
