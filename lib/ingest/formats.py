"""The exports Listening Lab recognises by their headers, and the platform each one implies.

Headers are compared after normalisation (lower case, letters and digits only), so
"Lifetime Post Total Reach", "lifetime_post_total_reach" and "public_metrics.like_count" all match.
The signatures come from real exports' headers: the platforms' APIs and export files, the scrapers people use
(snscrape, twint, PRAW/pushshift, Apify, CrowdTangle) and the public datasets built from them (Kaggle's airline,
vaccine and r/wallstreetbets sets, YouTube trending videos, TikTok claims, Facebook page metrics).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass


def norm(name: str) -> str:
    """A header as compared: lower case, letters and digits only, accents dropped ("Gefällt mir" -> gefalltmir,
    "Portée" -> portee; they had lost the letter itself)."""
    return re.sub(r"[^a-z0-9]", "", unicodedata.normalize("NFKD", str(name).lower()))


@dataclass(frozen=True)
class ExportFormat:
    key: str
    label: str
    platform: str | None  # the platform of every post of such a file, where the file has no platform column
    signatures: tuple[frozenset[str], ...]  # any one full set of normalised headers identifies it
    prefer: tuple[tuple[str, str], ...] = ()  # format-specific (canonical, normalised header) picks; "a+b": a
    #                                            count in column a for some posts, b for the others, added up
    join_title: bool = True  # False where the file's "title" is not the post's (a comment scraper's post caption)
    ignore: tuple[str, ...] = ()  # normalised headers that feed no field (a tool's own bookkeeping, not the post's)


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
                 prefer=(("author", "authorusername"), ("author", "authorid"), ("parent_id", "inreplytotweetid"))),
    # the account's own tweets in X's "download an archive of your data" (data/tweets.js): no author column
    ExportFormat("x_archive", "X/Twitter: your archive (tweets.js)", "x",
                 _sig("idstr fulltext createdat favoritecount retweetcount displaytextrange")),
    ExportFormat("x_api_v1", "X/Twitter: API v1.1", "x",
                 _sig("idstr createdat userscreenname", "fulltext createdat userscreenname",
                      "id createdat favoritecount retweetcount text"),
                 prefer=(("text", "fulltext"),)),  # the whole tweet (lib.ingest.reading._with_full_tweets)
    # Kaggle tweet sets (vaccines, covid19, bitcoin: user_* profile columns), twint, snscrape and the like
    ExportFormat("x_analytics", "X/Twitter: analytics (tweet activity)", "x",
                 _sig("tweetid tweetpermalink tweettext impressions"), prefer=(("clicks", "urlclicks"),)),
    # X's analytics since 2024 (account_analytics_content_*.csv): "Reposts" are the retweets, the shares every
    # other X export counts ("Shares", a post sent on by message or link, stays a column of its own)
    ExportFormat("x_analytics_content", "X/Twitter: analytics (posts)", "x",
                 _sig("postid posttext postlink impressions"),
                 prefer=(("clicks", "urlclicks"), ("shares", "reposts"), ("comments", "replies"))),
    ExportFormat("x_dataset", "X/Twitter: tweet dataset", "x",
                 _sig("tweetid text", "tweet username", "tweetid tweet", "content retweets favorites",
                      "text retweetcount favoritecount", "tweetcontent", "tweetid content",
                      "text userfollowers userfriends", "text retweets favorites isretweet",
                      "rawcontent replycount retweetcount", "tweet retweetscount likescount")),
    ExportFormat("facebook_page_metrics", "Facebook: page post metrics (UCI)", "facebook",
                 _sig("pagetotallikes lifetimeposttotalreach type"),
                 prefer=(("followers", "pagetotallikes"),)),
    ExportFormat("facebook_insights", "Facebook: page post insights", "facebook",
                 _sig("postid pageid pagename publishtime", "postmessage lifetimeposttotalreach",
                      "postid permalink postmessage posted", "pagename publishtime reactions")),
    ExportFormat("facebook_posts", "Facebook: public posts (CrowdTangle, scrapers)", "facebook",
                 _sig("pagename postcreated message", "followersatposting totalinteractions message",
                      "facebookurl postid text", "posttext sharedtext posturl")),
    # the Graph API's page feed as JSON ({"data": [...], "paging": ...}): counts inside summaries
    ExportFormat("facebook_graph", "Facebook: Graph API page posts", "facebook",
                 _sig("id message createdtime"),
                 prefer=(("likes", "reactionssummarytotalcount"), ("likes", "likessummarytotalcount"),
                         ("comments", "commentssummarytotalcount"), ("shares", "sharescount"),
                         ("author", "fromname"))),
    ExportFormat("instagram_graph", "Instagram: Graph API media", "instagram",
                 _sig("id caption mediatype timestamp", "id caption likecount permalink")),
    # the Graph API's comments on a media (GET /{media-id}/comments, replies nested in replies.data)
    ExportFormat("instagram_graph_comments", "Instagram: Graph API comments", "instagram",
                 _sig("id text timestamp username likecount")),
    ExportFormat("instagram_insights", "Instagram: posts (insights export or a scraper's)", "instagram",
                 _sig("accountusername publishtime", "accountusername description likes",
                      "mediaid caption likecount", "ownerusername caption likescount",
                      "shortcode caption commentscount")),
    # Meta's own data downloads (JSON): a post's words and time in its first media item / data entry
    ExportFormat("instagram_download", "Instagram: your data download (posts)", "instagram",
                 _sig("media uri creationtimestamp title")),
    # named by the file's structure (`reading._named_export`), not by headers: no signature of their own
    ExportFormat("threads_download", "Threads: your data download (posts)", "other", ()),
    ExportFormat("tiktok_data_download", "TikTok: your data download (comments)", "tiktok", ()),
    ExportFormat("facebook_download", "Facebook: your data download (posts)", "facebook",
                 _sig("timestamp data post")),
    # comments.json: {"comments_v2": [{"timestamp", "data": [{"comment": {"comment", "author", ...}}], "title"}]}
    ExportFormat("facebook_comments_download", "Facebook: your data download (comments)", "facebook",
                 _sig("timestamp data comment title")),
    ExportFormat("instagram_comments_download", "Instagram: your data download (comments)", "instagram",
                 _sig("comment mediaowner time")),
    ExportFormat("tiktok_research", "TikTok: Research API videos", "tiktok",
                 _sig("id videodescription createtime", "videodescription createtime likecount")),
    ExportFormat("tiktok", "TikTok: video export", "tiktok",
                 _sig("diggcount", "authormetaname", "videolink totalviews", "videotitle posttime totallikes",
                      "createtimeiso playcount", "videotranscriptiontext videoviewcount")),
    # a member's "Get a copy of your data": Comments.csv (the commented post's link, not the comment's) and Shares.csv
    ExportFormat("linkedin_member_comments", "LinkedIn: your data download (comments)", "linkedin",
                 _sig("date link message"),
                 prefer=(("parent_id", "link"), ("text", "message"), ("created_at", "date"))),
    ExportFormat("linkedin_member_shares", "LinkedIn: your data download (shares)", "linkedin",
                 _sig("date sharelink sharecommentary"),
                 prefer=(("post_id", "sharelink"), ("text", "sharecommentary"), ("created_at", "date"))),
    ExportFormat("linkedin_page", "LinkedIn: page posts", "linkedin",
                 _sig("posttitle postlink posttype", "posttitle postedby createddate",
                      "updatelink updatetype impressions")),
    ExportFormat("youtube_comments", "YouTube: comments", "youtube",
                 _sig("commentid author date content", "textdisplay authordisplayname",
                      "textoriginal videoid", "snippettoplevelcommentsnippettextdisplay",
                      "videoid commenttext"),
                 # the Data API's commentThreads: textOriginal is what was typed (textDisplay is HTML), and the
                 # likes sit beside it
                 # the video a comment answers is its brand, never the comment's id (Kaggle's UScomments.csv
                 # has video_id and no comment id: all of a video's comments shared one id)
                 prefer=(("post_id", "commentid"), ("brand", "video"), ("brand", "videoid"),
                         ("text", "snippettoplevelcommentsnippettextoriginal"),
                         ("likes", "snippettoplevelcommentsnippetlikecount"), ("brand", "snippetvideoid"),
                         ("text", "snippettextoriginal"), ("likes", "snippetlikecount"),
                         ("parent_id", "snippettoplevelcommentsnippetparentid"))),
    # Google Takeout's "YouTube and YouTube Music" (comments/comments.csv, live chats/live-chats.csv): the
    # account's own comments, each text written as JSON segments (`parsing.takeout_text` reads their words), the
    # commenter's own channel as its Channel ID (the videos commented on are no brand: Video ID stays a column of
    # its own); columns reordered in June 2024, Post ID and Top-level comment ID added later, header case changed
    ExportFormat("youtube_takeout_comments", "YouTube: your comments (Google Takeout)", "youtube",
                 _sig("commentid channelid commentcreatetimestamp commenttext",
                      "livechatid channelid livechatcreatetimestamp livechattext"),
                 prefer=(("post_id", "commentid"), ("post_id", "livechatid"), ("author", "channelid"),
                         ("created_at", "commentcreatetimestamp"), ("created_at", "livechatcreatetimestamp"),
                         ("text", "commenttext"), ("text", "livechattext"), ("parent_id", "parentcommentid")),
                 ignore=("videoid",)),  # the account's own comments: the videos commented on are no brand
    # youtube-comment-downloader (pip): "time" is relative ("2 years ago"), "time_parsed" its epoch seconds
    ExportFormat("youtube_comment_downloader", "YouTube: comments (youtube-comment-downloader)", "youtube",
                 _sig("cid text time author votes", "cid text timeparsed"),
                 prefer=(("post_id", "cid"), ("created_at", "timeparsed"), ("likes", "votes"))),
    ExportFormat("youtube_studio", "YouTube: Studio analytics (videos)", "youtube",
                 _sig("content videotitle videopublishtime"), prefer=(("post_id", "content"), ("text", "videotitle"))),
    ExportFormat("youtube_videos", "YouTube: videos", "youtube",
                 _sig("videoid trendingdate title", "videoid title channeltitle", "snippettitle snippetdescription",
                      "videoid title publishedat viewcount")),
    ExportFormat("reddit_posts", "Reddit: posts", "reddit",
                 _sig("subreddit selftext", "subreddit title numcomments", "title selftext numcomments",
                      "title selftext createdutc", "title commsnum", "title body commsnum")),
    ExportFormat("reddit_comments", "Reddit: comments", "reddit",
                 _sig("subreddit body", "body linkid parentid")),
    # Bluesky's and Mastodon's APIs (their posts count as platform "other": the canonical schema's list is fixed)
    # Telegram Desktop's chat and channel export (result.json, read message by message and named by
    # `reading._telegram_messages`): the exact time is date_unixtime (`date` is the exporting computer's local
    # time, with no zone), the chat the brand
    ExportFormat("telegram", "Telegram: chat or channel export (Telegram Desktop)", "other", (),
                 prefer=(("post_id", "id"), ("created_at", "dateunixtime"), ("author", "from"), ("text", "text"),
                         ("likes", "reactions"), ("parent_id", "replytomessageid"), ("brand", "chat"),
                         ("post_type", "type"))),
    ExportFormat("bluesky", "Bluesky: feed (AT Protocol)", None,
                 _sig("uri cid authorhandle recordtext"),
                 prefer=(("post_id", "uri"), ("text", "recordtext"), ("created_at", "recordcreatedat"),
                         ("author", "authorhandle"), ("likes", "likecount"), ("shares", "repostcount"),
                         ("comments", "replycount"))),
    ExportFormat("mastodon", "Mastodon: statuses", None,
                 _sig("id createdat content accountacct favouritescount"),
                 prefer=(("author", "accountacct"), ("likes", "favouritescount"), ("shares", "reblogscount"),
                         ("comments", "repliescount"), ("followers", "accountfollowerscount"),
                         ("parent_id", "inreplytoid"))),
    # Scrapers people run on Apify and similar, as their public outputs write them (the field lists read from the
    # actors' docs and from code that consumes them): their ids, writers and counts sit under names that the
    # generic synonyms would misread (a commenter's `uniqueId` taken for the comment's id, the video's
    # `commentsCount` for a comment's replies, the commented post's caption joined before every comment).
    # the web app's own comment list (/api/comment/list/), which comment downloaders save as it comes
    ExportFormat("tiktok_comment_list", "TikTok: comments (web API comment list)", "tiktok",
                 _sig("cid text createtime diggcount awemeid"),
                 prefer=(("post_id", "cid"), ("author", "useruniqueid"), ("created_at", "createtime"),
                         ("likes", "diggcount"), ("comments", "replycommenttotal"), ("parent_id", "awemeid"))),
    ExportFormat("tiktok_comments", "TikTok: comments (Apify tiktok-comments-scraper)", "tiktok",
                 _sig("cid createtimeiso uniqueid diggcount", "cid repliestoid uniqueid"),
                 prefer=(("post_id", "cid"), ("author", "uniqueid"), ("created_at", "createtimeiso"),
                         ("likes", "diggcount"), ("comments", "replycommenttotal"), ("parent_id", "repliestoid"))),
    ExportFormat("youtube_comments_scraper", "YouTube: comments (Apify youtube-comments-scraper)", "youtube",
                 _sig("cid comment votecount videoid", "cid comment replytocid"),
                 prefer=(("post_id", "cid"), ("text", "comment"), ("author", "author"), ("likes", "votecount"),
                         ("comments", "replycount"), ("parent_id", "replytocid"), ("brand", "title")),
                 join_title=False),
    ExportFormat("instagram_comments_scraper", "Instagram: comments (Apify instagram-comment-scraper)", "instagram",
                 _sig("posturl ownerusername repliescount likescount"),
                 prefer=(("post_id", "id"), ("author", "ownerusername"), ("created_at", "timestamp"),
                         ("likes", "likescount"), ("comments", "repliescount"), ("parent_id", "posturl"))),
    ExportFormat("facebook_comments_scraper", "Facebook: comments (Apify facebook-comments-scraper)", "facebook",
                 _sig("commenturl profilename facebookurl", "commenturl profilename likescount"),
                 prefer=(("post_id", "id"), ("text", "text"), ("author", "profilename"), ("created_at", "date"),
                         ("likes", "likescount"), ("comments", "commentscount"), ("parent_id", "facebookurl")),
                 join_title=False),
    ExportFormat("linkedin_comments_scraper", "LinkedIn: post comments (HarvestAPI)", "linkedin",
                 _sig("commentary actorname postid"),
                 prefer=(("post_id", "id"), ("text", "commentary"), ("author", "actorname"),
                         ("created_at", "createdat"), ("comments", "numcomments"), ("parent_id", "postid"))),
    ExportFormat("linkedin_posts_scraper", "LinkedIn: posts (HarvestAPI, Apify linkedin-post)", "linkedin",
                 _sig("authoruniversalname engagementlikes", "authorname postedago engagementcomments",
                      "numlikes numcomments postedatiso authorpublicid"),
                 prefer=(("post_id", "id"), ("text", "content"), ("author", "authorname"),
                         ("likes", "engagementlikes"), ("comments", "engagementcomments"),
                         ("shares", "engagementshares"), ("created_at", "postedatiso"), ("author", "authorpublicid"),
                         ("likes", "numlikes"), ("comments", "numcomments"), ("shares", "numshares"),
                         ("post_id", "url"))),
    ExportFormat("reddit_scraper", "Reddit: posts and comments (Apify reddit-scraper)", "reddit",
                 _sig("parsedid communityname datatype", "parsedcommunityname datatype upvotes"),
                 prefer=(("post_id", "id"), ("author", "username"), ("brand", "communityname"),  # posts' and comments'
                         ("likes", "upvotes"), ("comments", "numberofcomments"),
                         ("comments", "numberofreplies"), ("created_at", "createdat"), ("parent_id", "parentid"))),
    # Google Maps reviews: Apify's compass scraper (the place's `title`, the reviewer's `name`) and Outscraper's
    # (the place's `name`, the reviewer's `author_title`); the place is the brand, never the text or the writer
    ExportFormat("google_maps_reviews_scraper", "Google Maps: reviews (Apify google-maps-reviews-scraper)", None,
                 _sig("reviewid reviewerid publishedatdate stars", "reviewid reviewurl stars placeid"),
                 prefer=(("post_id", "reviewid"), ("text", "text"), ("author", "name"),
                         ("created_at", "publishedatdate"), ("likes", "likescount"), ("brand", "title")),
                 join_title=False),
    ExportFormat("google_maps_reviews_outscraper", "Google Maps: reviews (Outscraper)", None,
                 _sig("reviewid authortitle reviewtext reviewrating", "authortitle reviewdatetimeutc"),
                 prefer=(("post_id", "reviewid"), ("text", "reviewtext"), ("author", "authortitle"),
                         ("created_at", "reviewdatetimeutc"), ("created_at", "reviewtimestamp"),
                         ("likes", "reviewlikes"), ("brand", "name"))),
    # Facepager (a research tool's tree of fetched nodes): `id` and `parent_id` number its own rows (the seed page is
    # row 1, so every post looked like a reply to it); the platform's id is `object_id`, the platform the query's
    ExportFormat("facepager", "Facepager: fetched nodes", None,
                 _sig("level objectid objecttype querystatus querytype"),
                 prefer=(("post_id", "objectid"), ("text", "message"), ("created_at", "createdtime"),
                         ("platform", "querytype"), ("likes", "reactionssummarytotalcount+likecount"),
                         ("comments", "commentssummarytotalcount+commentcount"), ("shares", "sharescount")),
                 ignore=("id", "parentid", "level", "objectkey", "querytime")),
    # app-store reviews as the scrapers people use write them: google-play-scraper's `score` is the stars and
    # `thumbsUpCount` the likes; app-store-scraper's `rating` the stars, `title` + `review` the text
    # Amazon's fine-food reviews (SNAP, Kaggle's Reviews.csv): "Score" is the stars (the file's own sentiment,
    # lib.listening.given), never the likes; the helpful votes are; the product is the brand
    ExportFormat("amazon_food_reviews", "Reviews: Amazon fine food reviews", "other",
                 _sig("productid userid profilename helpfulnessnumerator score summary text"),
                 prefer=(("post_id", "id"), ("author", "profilename"), ("likes", "helpfulnessnumerator"),
                         ("brand", "productid"), ("created_at", "time")),
                 ignore=("score", "helpfulnessdenominator")),
    ExportFormat("google_play_reviews", "App store: Google Play reviews (google-play-scraper)", None,
                 _sig("reviewid content score thumbsupcount", "reviewid thumbsupcount at"),
                 prefer=(("post_id", "reviewid"), ("text", "content"), ("created_at", "at"), ("author", "username"),
                         ("likes", "thumbsupcount"))),
    ExportFormat("app_store_reviews", "App store: App Store reviews (app-store-scraper)", None,
                 _sig("review rating isedited username")),
    ExportFormat("sprout_social", "Listening tool: Sprout Social-style post export", None,
                 _sig("network profile posttype post", "network profile post impressions")),
    ExportFormat("brandwatch", "Listening tool: Brandwatch-style mentions", None,
                 _sig("fulltext pagetype url", "snippet pagetype author", "fulltext pagetype"),
                 prefer=(("post_id", "url"), ("brand", "queryname"))),
    # Meltwater: "Tweet Id" is filled for tweets only, the URL for every mention; "Input Name" is the search
    ExportFormat("meltwater", "Listening tool: Meltwater-style mentions", None,
                 _sig("hitsentence influencer", "hitsentence source"),
                 prefer=(("post_id", "url"), ("brand", "inputname"))),
    ExportFormat("talkwalker", "Listening tool: Talkwalker-style results", None,
                 _sig("sourcetype published content", "mediatype published content url"),
                 prefer=(("author", "extraauthorattributesname"),)),
)
FORMAT_BY_KEY = {f.key: f for f in FORMATS}
GENERIC = ExportFormat("generic", "Generic table", None, ())


def detect_format(columns: list[str]) -> ExportFormat:
    """The export whose header signature matches best; the generic format if none matches fully."""
    have = {norm(c) for c in columns}
    best, best_size = GENERIC, 0
    for fmt in FORMATS:
        for sig in fmt.signatures:
            if sig <= have and len(sig) > best_size:
                best, best_size = fmt, len(sig)
    return best
