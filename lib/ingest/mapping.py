"""Guess which source column feeds each canonical field of a recognised (or unknown) export.

Every guess is checked against the values: a "comment" column of numbers is a count, not text, and a "source"
column of client apps ("Twitter for iPhone", "TweetDeck") is not the platform. A title column and a body column
together make the text (a Reddit link post has its words in the title only). Export recognition lives in
`lib.ingest.formats`.
"""
from __future__ import annotations

import re

import pandas as pd

from lib.ingest.formats import ExportFormat, detect_format, norm
from lib.ingest.parsing import first_values
from lib.ingest.schema import CANONICAL, ENGAGEMENT_SPLIT, FIELD_BY_NAME, clock_hours

Mapping = dict[str, "str | list[str]"]


# Candidate headers per canonical field, most specific first.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "post_id": ("postid", "tweetid", "idstr", "commentid", "messageid", "mediaid", "contentid", "videoid", "statusid",
                "mentionid", "id", "uniqueid", "guid", "permalink", "postlink", "url", "link", "videolink",
                "updatelink", "reviewid"),
    "text": ("text", "fulltext", "rawcontent", "content", "message", "messagetext", "postmessage", "body", "selftext",
             "commenttext", "comment", "videotranscriptiontext", "snippetdescription",
             "textdisplay", "snippettoplevelcommentsnippettextdisplay", "textoriginal", "caption", "posttext",
             "tweet", "tweetcontent", "tweettext", "post", "hitsentence", "snippet", "description", "review",
             "reviewtext", "posttitle", "title", "videotitle", "headline", "mention", "mentiontext", "sentence",
             # review exports (Trustpilot, Google Business Profile)
             "reviewcontent", "reviewbody", "reviewcomment"),
    "created_at": ("createdat", "created", "createdtime", "createtimeiso", "createtime", "tweetcreated",
                   "tweetdate", "publishedat", "publishtime", "published", "posted", "postedat", "postdate",
                   "posttime", "createdutc", "createddate", "postcreated", "dateposted", "publishdate", "pubdate",
                   "datetime", "date", "timestamp", "time", "snippetpublishedat",
                   "snippettoplevelcommentsnippetpublishedat", "creationtimestamp", "reviewcreatedutc",
                   "reviewcreated", "reviewdate",
                   # Amazon's review dumps: epoch seconds, and "02 28, 2014" where those are missing
                   "unixreviewtime", "reviewtime"),
    # the handle before a name: a flattened X export's "user/name" (the display name) reads "username" too
    "author": ("author", "authorname", "authorusername", "userscreenname", "screenname", "username",
               # a review's writer, before "name" (Google's review "name" is the review's own path)
               "reviewerdisplayname", "reviewername", "reviewconsumername", "reviewconsumeruserid",
               "userusername", "user", "authordisplayname", "snippettoplevelcommentsnippetauthordisplayname",
               "authormetaname", "accountusername", "handle", "name", "ownerusername", "fromname",
               "from", "postedby", "influencer", "accountname", "profile", "channeltitle", "snippetchanneltitle",
               # review dumps with no name, only the writer's id (Yelp's user_id, Amazon's reviewerID)
               "reviewerid", "userid", "authorid"),
    "platform": ("platform", "network", "socialnetwork", "pagetype", "sourcetype", "source", "site", "domain",
                 "contentsource", "medium"),
    "brand": ("brand", "query", "queryname", "searchquery", "searchterm", "keyword", "airline", "company", "product",
              "productname", "productid", "asin",
              "subreddit", "pagename", "video", "videotitle", "videoid", "project", "querytopic", "competitor",
              "webshopname",
              "businessname", "locationname",
              # review scrapes of several apps or places: the app (Google Play's appId, app_name) or what is reviewed
              # (a real file of 7,290 reviews of three banks' apps named them in "bank_name")
              "appid", "appname", "apptitle", "app", "brandname", "companyname", "bankname", "hotelname",
              "restaurantname", "storename", "placename"),
    "parent_id": ("parentid", "inreplyto", "inreplytostatusidstr", "referencedtweetsrepliedtoid", "inreplytostatusid",
                  "inreplytotweetid", "inreplytoid", "replyto", "parentpostid", "parent", "linkid",
                  # Kaggle's Customer Support on Twitter (a real dump of companies' care accounts and customers)
                  "inresponsetotweetid",
                  # the media or post a file of comments answers, where each comment has an id of its own
                  "mediaid", "postid"),
    "likes": ("likes", "likecount", "likescount", "publicmetricslikecount", "favoritecount", "favouritecount",
              "favorites", "diggcount", "totallikes", "reactions", "totalreactions", "reactionscount",
              "numreactions", "like",
              # a review's "was this helpful" votes (Google Play's thumbsUpCount, Amazon's helpful_vote, Yelp's
              # useful), before "score": in an app-store export that is the stars (lib.listening.given reads it)
              "thumbsupcount", "helpfulvote", "helpfulvotes", "helpfulcount", "usefulcount", "useful",
              "totalthumbsup", "thumbsup", "positivefeedbackcount", "helpful", "upvotecount",
              "score", "upvotes", "numlikes", "hearts", "videolikecount", "statisticslikecount",
              # Facebook Insights post exports: interactions per action type (the CSV's columns, and the
              # workbook's sheets "Lifetime Talking About This(..." and "Lifetime Post Stories by act...")
              "lifetimetalkingaboutthispostbyactiontypelike", "lifetimepoststoriesbyactiontypelike",
              "lifetimetalkingaboutthislike", "lifetimepoststoriesbyactlike"),
    "comments": ("comments", "commentcount", "commentscount", "publicmetricsreplycount", "replycount",
                 "replies", "repliescount", "totalreplycount", "snippettotalreplycount", "numcomments", "commsnum",
                 "ncomments", "numreplies", "totalcomments", "videocommentcount", "statisticscommentcount",
                 "comment", "lifetimetalkingaboutthispostbyactiontypecomment",
                 "lifetimepoststoriesbyactiontypecomment", "lifetimetalkingaboutthiscomment",
                 "lifetimepoststoriesbyactcomment"),
    "shares": ("shares", "sharecount", "sharescount", "publicmetricsretweetcount", "retweetcount", "retweets",
               "retweetscount", "reposts", "totalshares", "numshares", "videosharecount", "share",
               "lifetimetalkingaboutthispostbyactiontypeshare", "lifetimepoststoriesbyactiontypeshare",
               "lifetimetalkingaboutthisshare", "lifetimepoststoriesbyactshare"),
    "engagements": ("engagements", "engagement", "totalengagement", "totalengagements", "interactions",
                    "totalinteractions", "engagementcount", "engagementtotal"),
    "views": ("views", "viewcount", "playcount", "plays", "videoviews", "videoviewcount", "statisticsviewcount",
              "totalviews", "postviews", "viewsexcludingoffsitevideoviews"),
    "impressions": ("impressions", "publicmetricsimpressioncount", "impressioncount", "totalimpressions",
                    "lifetimeposttotalimpressions", "postimpressions"),
    "reach": ("reach", "totalreach", "lifetimeposttotalreach", "postreach", "potentialreach", "estimatedreach",
              "reachnew"),
    "clicks": ("clicks", "totalclicks", "linkclicks", "postlinkclicks", "clickcount", "urlclicks"),
    "saves": ("saves", "savecount", "saved", "publicmetricsbookmarkcount", "bookmarkcount", "collectcount"),
    "followers": ("followers", "followerscount", "userfollowerscount", "followercount", "authorfollowers",
                  "authorfollowerscount", "authormetafans", "fans", "twitterfollowers", "subscribercount",
                  "userfollowers", "followersatposting", "pagetotallikes", "audience",
                  "authorpublicmetricsfollowerscount"),
    "post_type": ("posttype", "type", "mediatype", "contenttype", "updatetype", "statustype", "format"),
}

# The same fields as tools with a German, French, Spanish, Italian, Portuguese or Dutch interface name them in
# their exports (Meta Business Suite, listening tools and scrapers write headers in the user's language): tried
# after every English name, and checked against the values like them. A German export's author, likes,
# comments and reach ("Autor", "Gefällt mir", "Kommentare", "Reichweite") were left unmapped.
LOCALISED: dict[str, tuple[str, ...]] = {
    "post_id": ("beitragsid", "idpublication", "iddelapublication", "iddelapublicacion", "iddellapubblicazione",
                "iddapublicacao", "berichtid"),
    "text": ("beitrag", "beitragstext", "nachricht", "kommentar", "inhalt", "texte", "contenu", "commentaire",
             "publication", "texto", "contenido", "comentario", "publicacion", "mensaje", "testo", "contenuto",
             "commento", "messaggio", "conteudo", "mensagem", "publicacao", "bericht", "reactie", "tekst",
             "beschreibung", "titel", "titre", "titulo", "titolo"),
    "created_at": ("datum", "erstelltam", "veroffentlicht", "veroffentlichungsdatum", "veroffentlichungszeitpunkt",
                   "datedepublication", "datepublication", "fecha", "fechadepublicacion", "fechayhora",
                   "datadipubblicazione", "datadepublicacao", "publicadoem", "gepubliceerd", "dataehora"),
    "author": ("autor", "auteur", "autore", "verfasser", "benutzer", "benutzername", "nutzer", "utilisateur",
               "nomdutilisateur", "usuario", "nombredeusuario", "utente", "nomeutente", "utilizador",
               "nomedeusuario", "gebruiker", "gebruikersnaam"),
    "platform": ("plattform", "netzwerk", "plateforme", "reseau", "reseausocial", "plataforma", "redsocial",
                 "piattaforma", "rete", "redesocial", "netwerk"),
    "brand": ("marke", "marque", "marca", "merk", "suchbegriff", "requete", "consulta", "consultadebusqueda"),
    "parent_id": ("antwortauf", "reponsea", "respuestaa", "rispostaa", "respostaa"),
    "likes": ("gefalltmir", "gefallt", "reaktionen", "jaime", "megusta", "reacciones", "mipiace",
              "reazioni", "curtidas", "reacoes", "vindikleuk"),
    "comments": ("kommentare", "commentaires", "comentarios", "commenti", "reacties"),
    "shares": ("geteilteinhalte", "teilungen", "geteilt", "partages", "compartidos", "vecescompartido",
               "condivisioni", "compartilhamentos", "gedeeld"),
    "views": ("aufrufe", "wiedergaben", "vues", "reproducciones", "visualizaciones", "visualizzazioni",
              "visualizacoes", "weergaven"),
    "impressions": ("impressionen", "impresiones", "impressioni", "impressoes", "vertoningen"),
    "reach": ("reichweite", "portee", "alcance", "copertura", "bereik"),
    "clicks": ("klicks", "clics", "clic", "cliques", "klikken"),
    "saves": ("gespeichert", "enregistrements", "guardados", "salvataggi", "salvamentos"),
    "followers": ("abonnenten", "abonnes", "seguidores", "volgers"),
    "post_type": ("beitragstyp", "typdebeitrag", "typedepublication", "tipodepublicacion", "tipodipost",
                  "tipodepublicacao", "tipo", "typ"),
}

# A title column joins a body column into the text, title first: Reddit (title + selftext, or PRAW's body),
# YouTube videos (title + description), news and listening tools (title + content).
TITLE_HEADERS = ("title", "posttitle", "videotitle", "snippettitle", "headline", "subject", "reviewtitle",
                 "summary",  # Amazon's review title
                 "titel", "titre", "titulo", "titolo", "betreff", "uberschrift")  # as `LOCALISED` names them
BODY_HEADERS = ("selftext", "body", "description", "snippetdescription", "videodescription", "content", "text",
                "posttext", "bodytext", "reviewcontent", "reviewbody", "reviewtext", "review",
                "beschreibung", "inhalt", "beitragstext", "texte", "contenu", "descripcion", "contenido", "texto",
                "descrizione", "contenuto", "testo", "descricao", "conteudo", "beschrijving", "tekst")

# The app or tool a post was sent with (tweets' `source`): never the platform, even where a value names one
# ("Instagram" for a tweet cross-posted from Instagram, "LinkedIn" for one sent from LinkedIn).
_CLIENT_APP = re.compile(
    r"twitter (?:for|web)|tweetdeck|hootsuite|\bbuffer\b|ifttt|dlvr\.it|zapier|echobox|socialflow|sprout ?social"
    r"|sprinklr|tweetbot|twitterrific|crowdfire|socialbee|\bfor (?:iphone|ipad|android|mac|windows)\b"
    r"|web (?:app|client)|<a href|nofollow|\biphone\b|\bandroid\b|\bios\b", re.IGNORECASE)


def _sample(raw: pd.DataFrame, col: str, n: int = 500) -> pd.Series:
    """The column's first `n` non-blank values, as text."""
    return first_values(raw[col], n)


_NUMBER = re.compile(r"[-+]?\d+(\.\d+)?[kmb]?\+?")
_NUMBER_SEPARATORS = re.compile(r"[,\s']")


def _numeric_share(s: pd.Series) -> float:
    """Share of the values that read as a count ("1,234", "5k", "10+"); a loop, as a sample is small and pandas'
    string methods cost half a millisecond a call (10,000 columns: seconds)."""
    if s.empty:
        return 0.0
    return sum(_NUMBER.fullmatch(_NUMBER_SEPARATORS.sub("", v.strip().lower())) is not None for v in s) / len(s)


def _plausible(field: str, s: pd.Series) -> bool:
    """Do this column's values fit the field? An empty column fits nothing."""
    if s.empty:
        return False
    kind = FIELD_BY_NAME[field].kind
    if kind == "count":
        return _numeric_share(s) >= 0.8
    if field == "text":
        # emoji-only comments ("🔥", "😍😍") are words too: an Instagram post's comments averaged under 3 characters
        # and the file had "no text column"
        return _numeric_share(s) < 0.5 and (s.str.len().mean() >= 3 or _emoji_share(s) >= 0.3) \
            and not _looks_like_ids(s)
    if kind == "timestamp":
        from lib.ingest.parsing import parse_datetimes

        if _time_of_day_share(s) >= 0.6:  # "09:15" alone is no date (pandas would put it on today's)
            return False
        return parse_datetimes(s).values.notna().mean() >= 0.6
    if field == "platform" and is_client_apps(s):
        return False
    if field in ("platform", "post_type", "brand"):
        return _numeric_share(s) < 0.5 and s.str.len().mean() < 60
    if field == "author":
        return s.str.len().mean() < 80
    return True


_CLOCK = re.compile(r"^\s*\d{1,2}[:.]\d{2}(?:[:.]\d{2}(?:\.\d+)?)?\s*(?:[AaPp]\.?[Mm]\.?)?\s*$")
_TIME_NAMES = ("time", "hour", "timeofday", "posttime", "publishtime", "publishedtime", "localtime", "timeutc",
               "timegmt", "hourutc", "createdtime", "mentiontime", "sendtime",
               # German, French, Spanish and Portuguese, Italian, Dutch (`LOCALISED`)
               "uhrzeit", "zeit", "stunde", "heure", "hora", "ora", "tijd")


_HOUR_NAMES = ("hour", "hourutc", "stunde", "heure", "hora", "ora")  # a column of whole hours may be named so


def _time_of_day_share(s: pd.Series) -> float:
    """The share of filled values that are a time of day alone ("09:15", "8:05 PM", "17.40.02")."""
    filled = s.dropna().astype(str)
    filled = filled[filled.str.strip() != ""]
    return float(filled.str.match(_CLOCK).mean()) if len(filled) else 0.0


def _when_written(raw: pd.DataFrame, date_col: str, by_norm: dict[str, str], used: set[str]) -> str | None:
    """Another date column, where `date_col` holds one time (or two or three) on every row of a file and that one
    varies: the time a database or a scraper stored the rows, not when each post was written. A real export of
    7,290 Google Play reviews of three banks' apps (a student pipeline's table) had "created_at" 2025-11-27
    17:37:39 on every row and the reviews' own days, 2014-2025, in "review_date": every chart was one point. The
    post date's own names first (`SYNONYMS`), then the file's order; it must vary ten times as much."""
    if len(raw) < 20 or _sample(raw, date_col, 500).nunique() > 3:
        return None
    distinct = raw[date_col].nunique()
    if distinct > 3:
        return None
    named = [by_norm[h] for h in SYNONYMS["created_at"] + LOCALISED.get("created_at", ()) if h in by_norm]
    for col in dict.fromkeys([*named, *raw.columns]):
        if col in used or col in (date_col, "source_row"):
            continue
        sample = _sample(raw, col, 200)
        if _numeric_share(sample) < 0.5 and _plausible("created_at", sample) \
                and raw[col].nunique() >= max(10, 10 * distinct):
            return str(col)
    return None


def _time_column(raw: pd.DataFrame, date_col: str, by_norm: dict[str, str], used: set[str]) -> str | None:
    """The column that holds the time of day of a date column that holds days only: listening tools' exports
    write "Date" and "Time" (or "Hour") apart, and the posts were all read at midnight, their hours lost."""
    from lib.ingest.parsing import parse_datetimes

    dates = parse_datetimes(_sample(raw, date_col, 200)).values.dropna()
    if dates.empty or clock_hours(dates).notna().any():  # the dates have their times already
        return None
    for name in _TIME_NAMES:
        col = by_norm.get(name)
        if col and col not in used and col != date_col:
            sample = _sample(raw, col, 200)
            if _time_of_day_share(sample) >= 0.9 or (name in _HOUR_NAMES and _whole_hours(sample)):
                return col
    return None


def _whole_hours(s: pd.Series) -> bool:
    """An "Hour" column of whole hours, 0 to 23."""
    n = pd.to_numeric(s, errors="coerce")
    return bool(len(n) and n.notna().mean() >= 0.9 and n.dropna().between(0, 23).all()
                and (n.dropna() % 1 == 0).all())


_ANSWERED = ("mediaid", "postid")  # parent ids only where they repeat (a file of posts has unique ones)


def _own_ids_first(headers: tuple[str, ...], repeating: set[str]) -> tuple[str, ...]:
    """The post id's candidate headers, those whose values repeat (`_repeating`) last: in a file of comments the id
    of the media or post they answer repeats ("media_id" before "id" took 263 of 343 real Instagram comments for
    repeats), and it is then their parent; a video's id that repeats is never the post id (the comments' brand:
    2,018 of 2,021 real comments on a few videos were "rows repeating an id"). Ids that all repeat stay candidates
    (the import reports the repeats, or rounded ids: `fields.rounded_ids`)."""
    return tuple(h for h in headers if h not in repeating) + \
        tuple(h for h in headers if h in repeating and h != "videoid")


def _repeating(raw: pd.DataFrame, by_norm: dict[str, str], headers: tuple[str, ...], used: set[str]) -> set[str]:
    """Those of `headers` naming a free column whose values repeat, as a key that groups rows does (a video id in a
    file of its comments: 2,021 comments on a few videos were 2,018 "rows repeating an id", offered for removal)."""
    out = set()
    for h in headers:
        s = _sample(raw, by_norm[h]) if h in by_norm and by_norm[h] not in used else pd.Series(dtype=str)
        if len(s) and s.nunique() < 0.9 * len(s):
            out.add(h)
    return out


def _emoji_share(s: pd.Series) -> float:
    """The share of values with an emoji or another pictograph in them (Unicode's "other symbol")."""
    import unicodedata

    return float(s.map(lambda v: any(unicodedata.category(ch) == "So" for ch in str(v))).mean()) if len(s) else 0.0


def _looks_like_ids(s: pd.Series) -> bool:
    """Single tokens of letters and digits ("dQw4w9WgXcQ", "abc123"): ids, not words. YouTube Studio's "Content"
    column holds the video ids; taken for text it named every video by its id."""
    one_token = s.str.fullmatch(r"[A-Za-z0-9_-]{5,}") & s.str.contains(r"\d") & s.str.contains(r"[A-Za-z]")
    return bool(one_token.mean() >= 0.8)


def is_client_apps(s: pd.Series) -> bool:
    """Are these values the apps posts were sent with ("Twitter for Android", "TweetDeck"), not platforms?"""
    return bool(s.str.contains(_CLIENT_APP).mean() >= 0.3) if not s.empty else False


def guess_mapping(raw: pd.DataFrame, fmt: ExportFormat | None = None) -> Mapping:
    """Guess {canonical field: source column} for a raw table; fields with no good column are left out."""
    fmt = fmt or detect_format(list(raw.columns))
    by_norm: dict[str, str] = {}
    for c in raw.columns:
        if c == "source_row":
            continue
        by_norm.setdefault(norm(c), c)
    used: set[str] = {by_norm[h] for h in fmt.ignore if h in by_norm}  # never a field's source
    mapping: Mapping = {}
    for field, header in fmt.prefer:
        if "+" in header:  # a count kept in one column or another by kind of post: added up (`fields`)
            cols = [c for c in (by_norm.get(h) for h in header.split("+"))
                    if c and c not in used and _plausible(field, _sample(raw, c))]
            if cols and field not in mapping:
                mapping[field] = cols if len(cols) > 1 else cols[0]
                used.update(cols)
            continue
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
        headers = SYNONYMS.get(field, ()) + LOCALISED.get(field, ())
        if field == "post_id":  # ids that repeat name what rows answer (a video, a media, a post): ids that do not
            headers = _own_ids_first(headers, _repeating(raw, by_norm, headers, used))  # come first
        if field == "parent_id":  # a media's or post's id is what comments answer only where it repeats
            answered = _repeating(raw, by_norm, _ANSWERED, used)
            headers = tuple(h for h in headers if h not in _ANSWERED or h in answered)
        for header in headers:
            col = by_norm.get(header)
            if col and col not in used and _plausible(field, _sample(raw, col)):
                mapping[field] = col
                used.add(col)
                break
    for field, cols in _per_platform_counts(raw, mapping, used).items():
        mapping[field] = cols if len(cols) > 1 else cols[0]
        used.update(cols)
    if "engagements" in mapping and any(f in mapping for f in ENGAGEMENT_SPLIT):  # the parts say more
        used.discard(str(mapping.pop("engagements")))
    if "text" not in mapping:
        col = _longest_text_column(raw, used)
        if col:
            mapping["text"] = col
            used.add(col)
    other_body = _complementary_body(raw, mapping.get("text"), by_norm, used)
    title = _title_to_join(raw, mapping.get("text"), by_norm, used) if fmt.join_title else None
    if title:
        mapping["text"] = [title, str(mapping["text"])]
        used.add(title)
    if other_body:
        text = mapping["text"]
        mapping["text"] = [*text, other_body] if isinstance(text, list) else [str(text), other_body]
        used.add(other_body)
    if "created_at" not in mapping:
        for c in raw.columns:
            if c not in used and c != "source_row" and _numeric_share(_sample(raw, c, 200)) < 0.5 \
                    and _plausible("created_at", _sample(raw, c, 200)):
                mapping["created_at"] = c
                used.add(c)
                break
    stamped = mapping.get("created_at")
    if isinstance(stamped, str) and (written := _when_written(raw, stamped, by_norm, used)):
        used.discard(stamped)
        mapping["created_at"] = written
        used.add(written)
    if isinstance(mapping.get("created_at"), str):
        clock = _time_column(raw, str(mapping["created_at"]), by_norm, used)
        if clock:
            mapping["created_at"] = [str(mapping["created_at"]), clock]
            used.add(clock)
    if headerless(raw):
        for field, col in _by_values(raw, mapping, used).items():
            mapping[field] = col
            used.add(col)
    return {f: mapping[f] for f in CANONICAL if f in mapping}


HEADERLESS_COLUMN = re.compile(r"column_\d+")  # how lib.ingest.reading names the columns of a file without a header
_HANDLE = r"@?[A-Za-z0-9_.\-]{2,40}"


def headerless(raw: pd.DataFrame) -> bool:
    return all(HEADERLESS_COLUMN.fullmatch(str(c)) for c in raw.columns if c != "source_row")


def _by_values(raw: pd.DataFrame, mapping: Mapping, used: set[str]) -> dict[str, str]:
    """A file without a header (Sentiment140's training file: polarity, id, date, query, user, text) has no names
    to go by, only values: the post id is a column of distinct ids on every row, the author a column of
    single-token handles, mostly different (a query or category column repeats a few values; a constant
    "NO_QUERY" is nothing). The brand is not guessed: a column of a few repeated words may as well be a
    language, a label or a platform."""
    out: dict[str, str] = {}
    free = [c for c in raw.columns if c != "source_row" and c not in used]
    if "post_id" not in mapping and len(raw) >= 20:
        for c in free:
            full = raw[c].dropna().astype(str).str.strip()
            if len(full) == len(raw) and full.is_unique and full.str.fullmatch(r"[A-Za-z0-9_:.\-]{1,64}").all() \
                    and not full.str.fullmatch(r"-?\d*\.\d+").any():  # a column of decimals is a score, not ids
                out["post_id"] = c
                break
    if "author" not in mapping:
        best, best_share = None, 0.2
        for c in free:
            s = _sample(raw, c, 1000)
            if c in out.values() or s.empty or _numeric_share(s) > 0.1:
                continue
            handles = s.str.fullmatch(_HANDLE).mean()
            distinct = s.nunique() / len(s)
            if handles >= 0.95 and distinct > best_share and not _plausible("created_at", s.head(200)):
                best, best_share = c, distinct
        if best is not None:
            out["author"] = best
    return out


# Listening tools that mix platforms keep each platform's counts in its own column ("Twitter Likes", "Facebook
# Likes", "Instagram Likes" in a Brandwatch mentions export): a post has a figure in its platform's column only.
PLATFORM_WORDS = ("facebook", "fb", "twitter", "x", "instagram", "ig", "linkedin", "tiktok", "youtube", "reddit",
                  "threads", "pinterest", "bluesky", "snapchat")
PER_PLATFORM_FIELDS = ("likes", "comments", "shares", "views", "followers")


def _per_platform_counts(raw: pd.DataFrame, mapping: Mapping, used: set[str]) -> dict[str, list[str]]:
    """For a count field no column matched, or only one platform's: its columns per platform ("Facebook Likes",
    "Twitter Likes"; "Twitter Followers" and "Instagram Followers"), to be added up (the import sums them, each
    post having a figure in one of them)."""
    out: dict[str, list[str]] = {}
    taken = set(used)
    for field in PER_PLATFORM_FIELDS:
        have = mapping.get(field)
        if have is not None and not (isinstance(have, str) and _platform_count(have, field)):
            continue  # a column for every post ("Likes") says it all; one platform's ("Twitter Followers") does not
        cols = [c for c in raw.columns if c != "source_row" and c not in taken and _platform_count(c, field)
                and _plausible(field, _sample(raw, c))]
        if cols:
            out[field] = sorted([*cols, have], key=list(raw.columns).index) if isinstance(have, str) else cols
            taken.update(cols)
    return out


def _platform_count(header: str, field: str) -> bool:
    """Is this header a platform's count of `field`: a platform word followed by one of the field's names, after
    any prefix ("Twitter Likes", "Twitter Reply Count", Talkwalker's "article_extended_attributes.facebook_shares")?"""
    tokens = re.findall(r"[a-z0-9]+", str(header).lower())
    return any(t in PLATFORM_WORDS and "".join(tokens[i + 1:]) in SYNONYMS[field] for i, t in enumerate(tokens))


def _complementary_body(raw: pd.DataFrame, text: str | list[str] | None, by_norm: dict[str, str],
                        used: set[str]) -> str | None:
    """A second body column filled where the text's own is empty: a Reddit thread's JSON holds its post's words in
    `selftext` and its comments' in `body`, and with the text read from one of them the other's posts were empty
    (the post's own words lost, or every comment left out)."""
    if not isinstance(text, str) or norm(text) not in BODY_HEADERS:
        return None
    candidates = [c for c in (by_norm.get(h) for h in BODY_HEADERS) if c and c not in used and c != text]
    if not candidates:  # the usual case: decided without reading a cell
        return None

    def filled(col: str) -> pd.Series:
        return raw[col].notna() & (raw[col].astype(str).str.strip() != "")

    mine = filled(text)
    for col in candidates:
        theirs = filled(col)
        if theirs.any() and not (mine & theirs).any() and _plausible("text", _sample(raw, col)):
            return col
    return None


def _title_to_join(raw: pd.DataFrame, text: str | list[str] | None, by_norm: dict[str, str],
                   used: set[str]) -> str | None:
    """The title column to put before the text, where the text is a body column and the file has a title with
    words in it (link and image posts on Reddit have only a title: without it they would be empty)."""
    if not isinstance(text, str) or norm(text) not in BODY_HEADERS:
        return None
    for header in TITLE_HEADERS:
        col = by_norm.get(header)
        if col and col not in used and _plausible("text", _sample(raw, col)):
            return col
    return None


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
