"""Recognising common exports by their headers and guessing the column mapping."""
import json

import pandas as pd
import pytest

from lib.ingest.build import ImportOptions, Source, build_posts
from lib.ingest.mapping import detect_format, guess_mapping, parse_map_args
from lib.ingest.reading import read_bytes


def _csv(header: list[str], rows: list[list[str]]) -> bytes:
    df = pd.DataFrame(rows, columns=header)
    return df.to_csv(index=False).encode()


CASES = {
    "x_api_v1": (
        ["id_str", "created_at", "full_text", "user.screen_name", "user.followers_count", "retweet_count",
         "favorite_count", "in_reply_to_status_id_str"],
        [["111", "Wed Oct 10 20:19:24 +0000 2018", "Loving the new phone", "ann", "1,204", "3", "10", ""],
         ["112", "Wed Oct 10 21:00:00 +0000 2018", "@ann same here!", "bob", "88", "0", "2", "111"]],
        {"post_id": "id_str", "created_at": "created_at", "text": "full_text", "author": "user.screen_name",
         "followers": "user.followers_count", "shares": "retweet_count", "likes": "favorite_count",
         "parent_id": "in_reply_to_status_id_str"}),
    "x_airline": (
        ["tweet_id", "airline_sentiment", "airline", "name", "retweet_count", "text", "tweet_created"],
        [["570306133677760513", "neutral", "Virgin America", "cairdin", "0", "@VirginAmerica What @dhepburn said.",
          "2015-02-24 11:35:52 -0800"]],
        {"post_id": "tweet_id", "brand": "airline", "author": "name", "shares": "retweet_count", "text": "text",
         "created_at": "tweet_created"}),
    "facebook_insights": (
        ["Post ID", "Page ID", "Page name", "Title", "Description", "Publish time", "Post type", "Reach",
         "Impressions", "Reactions", "Comments", "Shares", "Total clicks"],
        [["1_2", "1", "Acme", "", "Our spring range is here!", "03/14/2024 09:30", "Photos", "1.2K", "2,300",
          "45", "6", "2", "30"]],
        {"post_id": "Post ID", "text": "Description", "created_at": "Publish time", "post_type": "Post type",
         "reach": "Reach", "impressions": "Impressions", "likes": "Reactions", "comments": "Comments",
         "shares": "Shares", "clicks": "Total clicks", "brand": "Page name"}),
    "instagram_insights": (
        ["Post ID", "Account ID", "Account username", "Account name", "Description", "Publish time",
         "Permalink", "Post type", "Impressions", "Reach", "Likes", "Shares", "Comments", "Saves"],
        [["9", "5", "acme", "Acme", "New drop 🔥 #acme", "2024-03-14T09:30:00+0100", "https://i/p/9",
          "IG carousel", "5,100", "4,000", "300", "12", "20", "44"]],
        {"post_id": "Post ID", "author": "Account username", "text": "Description", "created_at": "Publish time",
         "impressions": "Impressions", "reach": "Reach", "likes": "Likes", "shares": "Shares",
         "comments": "Comments", "saves": "Saves", "post_type": "Post type"}),
    "tiktok": (
        ["id", "text", "createTimeISO", "authorMeta.name", "authorMeta.fans", "diggCount", "shareCount",
         "playCount", "commentCount", "collectCount"],
        [["73", "this snack slaps #fyp", "2024-03-14T09:30:00.000Z", "gamerx", "12.5K", "1.1M", "3400", "2.5M",
          "900", "120"]],
        {"post_id": "id", "text": "text", "created_at": "createTimeISO", "author": "authorMeta.name",
         "followers": "authorMeta.fans", "likes": "diggCount", "shares": "shareCount", "views": "playCount",
         "comments": "commentCount", "saves": "collectCount"}),
    "linkedin_page": (
        ["Post title", "Post link", "Post type", "Campaign name", "Posted by", "Created date", "Impressions",
         "Clicks", "Click through rate (CTR)", "Likes", "Comments", "Reposts", "Engagement rate"],
        [["We are hiring engineers in Lisbon", "https://lnkd/1", "Organic", "", "Jane Doe", "03/14/2024",
          "1204", "33", "0.027", "40", "3", "5", "0.07"]],
        {"text": "Post title", "post_id": "Post link", "author": "Posted by", "created_at": "Created date",
         "impressions": "Impressions", "clicks": "Clicks", "likes": "Likes", "comments": "Comments",
         "shares": "Reposts", "post_type": "Post type"}),
    "youtube_comments": (
        ["videoId", "commentId", "authorDisplayName", "textDisplay", "textOriginal", "likeCount", "publishedAt",
         "totalReplyCount"],
        [["v1", "c1", "@fan", "Great video &amp; song", "Great video & song", "12", "2024-03-14T09:30:00Z", "2"]],
        {"post_id": "commentId", "author": "authorDisplayName", "text": "textDisplay", "likes": "likeCount",
         "created_at": "publishedAt", "comments": "totalReplyCount", "parent_id": None}),
    "reddit_comments": (
        ["id", "body", "author", "created_utc", "score", "parent_id", "link_id", "subreddit"],
        [["k1", "This is the way", "u1", "1710408600", "15", "t3_abc", "t3_abc", "snacks"]],
        {"post_id": "id", "text": "body", "author": "author", "created_at": "created_utc", "likes": "score",
         "parent_id": "parent_id", "brand": "subreddit"}),
    "brandwatch": (
        ["Date", "Title", "Snippet", "Full Text", "Url", "Domain", "Sentiment", "Author", "Page Type",
         "Twitter Followers", "Impressions", "Reach"],
        [["2024-03-14 09:30:00.0", "", "love it", "I love it so much", "https://t/1", "twitter.com", "positive",
          "ann", "twitter", "300", "1000", "800"]],
        {"created_at": "Date", "text": "Full Text", "post_id": "Url", "author": "Author", "platform": "Page Type",
         "followers": "Twitter Followers", "impressions": "Impressions", "reach": "Reach"}),
    "sprout_social": (
        ["Date", "Post ID", "Network", "Profile", "Post Type", "Content Type", "Post", "Impressions", "Reach",
         "Engagements", "Reactions", "Comments", "Shares", "Saves", "Post Link Clicks"],
        [["3/14/2024 9:30 am", "p1", "Instagram", "acme", "Post", "Photo", "Spring is here", "900", "700", "80",
          "60", "10", "5", "5", "3"]],
        {"created_at": "Date", "post_id": "Post ID", "platform": "Network", "author": "Profile", "text": "Post",
         "impressions": "Impressions", "reach": "Reach", "likes": "Reactions", "comments": "Comments",
         "shares": "Shares", "saves": "Saves", "clicks": "Post Link Clicks"}),
}


@pytest.mark.parametrize("fmt", sorted(CASES))
def test_export_recognised_and_mapped(fmt):
    header, rows, expected = CASES[fmt]
    raw = read_bytes(_csv(header, rows), f"{fmt}.csv")
    found = detect_format(list(raw.df.columns))
    assert found.key == fmt
    mapping = guess_mapping(raw.df, found)
    for field, col in expected.items():
        assert mapping.get(field) == col, (field, mapping)
    # and the whole file imports with those guesses
    result = build_posts([Source(raw, found, mapping)], ImportOptions())
    assert len(result.posts) == len(rows)
    assert result.posts["text"].notna().all()


def test_x_api_v2_json_with_nested_metrics():
    metrics = {"like_count": 4, "retweet_count": 1, "reply_count": 2, "impression_count": 99}
    data = {"data": [{"id": "1", "text": "hello &amp; welcome", "author_id": "9",
                      "created_at": "2024-03-14T09:30:00.000Z", "public_metrics": metrics}]}
    raw = read_bytes(json.dumps(data).encode(), "tweets.json")
    src = Source.guess(raw)
    assert src.fmt.key == "x_api_v2"
    res = build_posts([src], ImportOptions())
    row = res.posts.iloc[0]
    assert (row["likes"], row["shares"], row["comments"], row["impressions"]) == (4, 1, 2, 99)
    assert row["text"] == "hello & welcome"
    assert row["platform"] == "x"


def test_reddit_posts_join_title_and_body():
    raw = read_bytes(_csv(["id", "title", "selftext", "author", "created_utc", "score", "num_comments", "subreddit"],
                          [["p1", "Best snack?", "Need ideas for a LAN party", "u1", "1710408600", "12", "4",
                            "gaming"]]), "reddit.csv")
    src = Source.guess(raw)
    assert src.fmt.key == "reddit_posts"
    assert src.mapping["text"] == ["title", "selftext"]
    res = build_posts([src], ImportOptions())
    assert res.posts["text"].iloc[0] == "Best snack?\n\nNeed ideas for a LAN party"
    assert res.posts["comments"].iloc[0] == 4


def test_generic_export_uses_value_checks():
    # "comment" holds numbers here, so it is a count and the long free text column is the text
    raw = read_bytes(_csv(["when", "message_body", "comment", "who"],
                          [["2024-01-05 10:00", "the delivery was late again and nobody answered", "3", "a"],
                           ["2024-01-06 11:00", "thanks for sorting it out so quickly", "0", "b"]]), "x.csv")
    src = Source.guess(raw)
    assert src.fmt.key == "generic"
    assert src.mapping["text"] == "message_body"
    assert src.mapping["comments"] == "comment"
    assert src.mapping["created_at"] == "when"


def test_map_args():
    cols = ["a", "b", "title", "selftext"]
    assert parse_map_args(["text=title+selftext", "author=a", "brand="], cols) == {
        "text": ["title", "selftext"], "author": "a", "brand": ""}
    with pytest.raises(ValueError, match="no column"):
        parse_map_args(["text=zzz"], cols)
    with pytest.raises(ValueError, match="not a canonical field"):
        parse_map_args(["body=a"], cols)
