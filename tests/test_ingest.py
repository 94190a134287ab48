"""From raw tables to the canonical posts table: exclusions, duplicates, appends, privacy, ids."""
import json

import numpy as np
import pandas as pd
import pytest

from lib.ingest.build import ImportOptions, Source, build_posts, open_sources
from lib.ingest.privacy import mask_text, pseudonymise
from lib.ingest.reading import read_bytes
from tests.conftest import CARE, write

CSV = """id,text,author,date,likes,mood
1,Love this brand!,ann,2024-01-01 10:00,1.2K,happy
2,,bob,2024-01-02 10:00,3,meh
,,,,,
3,Contact me at ann@example.com or +44 7700 900123 see https://x.co/a @bob,cat,2024-01-03 10:00,4,
3,Contact me at ann@example.com or +44 7700 900123 see https://x.co/a @bob,cat,2024-01-03 10:00,4,
4,Different text same id,dan,2024-01-04 10:00,5,
"""


def _import(tmp_path, opts=None, text=CSV):
    return build_posts(open_sources([write(tmp_path, "posts.csv", text)]), opts or ImportOptions())


def test_every_excluded_row_is_counted_with_its_reason(tmp_path):
    res = _import(tmp_path)
    assert res.report["rows_read"] == 6
    assert res.report["excluded"] == {"empty text": 1, "blank row": 1}
    assert res.report["rows_kept"] == 4 == len(res.posts)
    assert set(res.excluded["reason"]) == {"empty text", "blank row"}
    assert res.excluded.loc[res.excluded["reason"] == "empty text", "source_row"].tolist() == [2]
    assert '"author": "bob"' in res.excluded.loc[res.excluded["reason"] == "empty text", "raw"].iloc[0]


def test_duplicates_reported_but_kept_unless_asked(tmp_path):
    res = _import(tmp_path)
    assert res.report["duplicates"] == {"identical_rows": 1, "same_id": 0, "removed": False}
    assert "Found 1 identical row; kept (choose removal if you want)" in res.report["warnings"]  # never "row(s)"
    assert res.posts["post_id"].is_unique
    assert sorted(res.posts["post_id"]) == ["1", "3", "3~2", "4"]
    dropped = _import(tmp_path, ImportOptions(drop_duplicates=True))
    assert len(dropped.posts) == 3
    assert dropped.report["excluded"]["duplicate row"] == 1


def test_same_id_different_content_is_a_duplicate_id(tmp_path):
    text = "id,text\n1,first\n1,second\n2,third\n"
    res = _import(tmp_path, ImportOptions(drop_duplicates=True), text)
    assert res.posts["text"].tolist() == ["first", "third"]
    assert res.report["excluded"] == {"duplicate id": 1}


def test_ids_a_spreadsheet_rounded_are_not_taken_for_repeats(tmp_path):
    # the airline tweets re-saved by Excel: 18-digit ids became "5.70306E+17", 14,640 tweets shared 2,434 of them,
    # and 12,170 were called repeats (numbered ~2, ~3 and offered for removal)
    rows = ["tweet_id,text", "5.70306E+17,first", "5.70306E+17,second", "5.70301E+17,third", "5.70301E+17,third"]
    res = _import(tmp_path, ImportOptions(drop_duplicates=True), "\n".join(rows) + "\n")
    assert res.posts["text"].tolist() == ["first", "second", "third"]  # only the identical row is a repeat
    assert res.report["excluded"] == {"duplicate row": 1}
    assert res.posts["post_id"].str.startswith("gen_").all() and res.posts["post_id"].is_unique
    assert any("holds ids rounded to a few digits (5.70306E+17, as a spreadsheet" in w for w in res.report["warnings"])
    # whole ids, and rounded ids that still tell the posts apart, stay as they are
    kept = _import(tmp_path, ImportOptions(), "tweet_id,text\n570306133677760513,first\n570301130888122368,second\n")
    assert kept.posts["post_id"].tolist() == ["570306133677760513", "570301130888122368"]
    apart = _import(tmp_path, ImportOptions(), "tweet_id,text\n5.70306E+17,first\n5.70301E+17,second\n")
    assert apart.posts["post_id"].tolist() == ["5.70306E+17", "5.70301E+17"]


def test_a_placeholder_title_is_left_out_of_the_text(tmp_path):
    # Kaggle's r/wallstreetbets export titles 979 of its 1,892 rows "Comment": every such post began "Comment ...",
    # a topic of its own ("comment · comment good") and the report's quotes
    rows = ["title,score,id,comms_num,created,body"]
    rows += [f"Comment,{i},c{i},0,1642792067.0,my take number {i} on the market" for i in range(30)]
    rows += [f"Puts on everything {i},{i},p{i},3,1642792067.0,the body {i}" for i in range(15)]
    rows += ["Comment,1,c99,0,1642792067.0,"]  # a placeholder alone is still the post's only words
    res = _import(tmp_path, ImportOptions(), "\n".join(rows) + "\n")
    text = res.posts.set_index("post_id")["text"]
    assert text["c3"] == "my take number 3 on the market" and text["p2"] == "Puts on everything 2\n\nthe body 2"
    assert text["c99"] == "Comment"
    assert any("'title' holds the same few words on many rows ('Comment' (30 rows))" in w
               for w in res.report["warnings"])
    # a review title a few reviews share stays their words
    reviews = ["title,body"] + [f"Great product,works well {i}" for i in range(3)] + \
              [f"Review {i} title here now,fine {i}" for i in range(17)]
    kept = _import(tmp_path, ImportOptions(), "\n".join(reviews) + "\n").posts["text"]
    assert kept.str.startswith("Great product").sum() == 3


def test_comments_with_their_videos_id_are_not_taken_for_repeats(tmp_path):
    # a scraper's file of 2,021 comments on a few videos (video_id, video_title, author, comment): the video id was
    # each comment's id, 2,018 "rows repeating an id" offered for removal; the video is the comments' brand
    rows = ["video_id,author,comment"] + [f"OMV9F9zB4KU{i % 3},@fan{i},nice car {i}" for i in range(40)]
    res = _import(tmp_path, ImportOptions(drop_duplicates=True), "\n".join(rows) + "\n")
    assert len(res.posts) == 40 and res.report["excluded"] == {}
    assert res.posts["brand"].nunique() == 3 and res.posts["post_id"].is_unique
    assert not any("repeating an id" in w for w in res.report["warnings"])
    # a file of videos, one row each, keeps its video ids as the posts' ids
    videos = ["video_id,title,views"] + [f"abcDEF{i:05d},video number {i},{i * 10}" for i in range(30)]
    assert _import(tmp_path, ImportOptions(), "\n".join(videos) + "\n").posts["post_id"].iloc[0] == "abcDEF00000"


def test_comments_keep_their_own_ids_and_answer_their_media(tmp_path):
    # real Instagram comments (id, media_id, media_caption, username, text, ...): "media_id" came before "id" and took
    # 263 of 343 comments for repeats; the comment's own id is its id, the media it answers its parent
    rows = ["id,media_id,username,text"] + [f"1784{i:04d},1821{i % 4},user{i},love this {i}" for i in range(40)]
    res = _import(tmp_path, ImportOptions(), "\n".join(rows) + "\n")
    assert res.posts["post_id"].str.startswith("1784").all() and res.posts["post_id"].is_unique
    assert res.posts["parent_id"].nunique() == 4 and not any("repeating" in w for w in res.report["warnings"])
    # a file of posts with unique media ids beside their own ids: no post is taken for a reply
    posts = ["id,media_id,caption"] + [f"9{i:04d},1821{i:04d},new drop {i}" for i in range(40)]
    assert "parent_id" not in _import(tmp_path, ImportOptions(), "\n".join(posts) + "\n").posts
    # a message_text column is the text
    msgs = _import(tmp_path, ImportOptions(), "created_time,message_text,id\n2022-08-17 19:53:45,good,me\n")
    assert msgs.posts["text"].tolist() == ["good"]


def test_unknown_columns_kept_and_counts_parsed(tmp_path):
    res = _import(tmp_path)
    assert "mood" in res.posts.columns
    assert res.posts.loc[res.posts["post_id"] == "1", "likes"].iloc[0] == 1200
    assert str(res.posts["likes"].dtype) == "Int64"
    assert str(res.posts["created_at"].dtype).startswith("datetime64") and res.posts["created_at"].dt.tz is not None


def test_several_files_append_with_source_file(tmp_path):
    a = write(tmp_path, "a.csv", "text,date\nhello,2024-01-01\n")
    b = write(tmp_path, "b.json", '[{"content": "world", "published": "2024-01-02", "network": "Twitter"}]')
    res = build_posts(open_sources([a, b]), ImportOptions())
    assert res.posts["source_file"].tolist() == ["a.csv", "b.json"]
    assert res.posts["text"].tolist() == ["hello", "world"]
    assert res.posts["platform"].tolist() == ["other", "x"]
    assert res.posts["post_id"].is_unique


def test_constants_for_platform_and_brand(tmp_path):
    res = _import(tmp_path, ImportOptions(constants={"platform": "reddit", "brand": "Acme"}))
    assert set(res.posts["platform"]) == {"reddit"}
    assert set(res.posts["brand"]) == {"Acme"}


def test_no_text_column_still_loads_and_says_why(tmp_path):
    res = _import(tmp_path, text="likes,shares\n3,1\n5,0\n")
    assert len(res.posts) == 2
    assert res.report["analyses"]["sentiment"] == "needs a text column"
    assert res.report["analyses"]["audience segments"] is None  # posts segmented by how they did
    assert any("No text column" in w for w in res.report["warnings"])
    assert res.posts["post_id"].is_unique


def test_posts_without_authors_can_still_be_segmented(tmp_path):
    """A text-only export: the Audience page segments its posts (no authors to speak of), so the Overview must not
    say segments need an author column (it did, beside a page that found them)."""
    res = _import(tmp_path, text="text\nlove it\nhate it\n")
    assert res.report["analyses"]["audience segments"] is None
    assert res.report["analyses"]["volume over time"] == "needs a date column"
    urls_only = _import(tmp_path, text="url\nhttps://a.example/1\nhttps://a.example/2\n").report["analyses"]
    assert urls_only["audience segments"] == "needs an author column, post text, engagement counts or dates"


def test_privacy_masks_text_and_pseudonymises_authors(tmp_path):
    opts = ImportOptions(mask_pii=frozenset({"emails", "phones", "urls", "handles"}), pseudonymise=True,
                         salt="s3cret")
    res = _import(tmp_path, opts)
    row = res.posts[res.posts["post_id"] == "3"].iloc[0]
    assert row["text"] == "Contact me at [email] or [phone] see [url] @user"
    assert row["author"].startswith("user_") and "cat" not in row["author"]
    assert res.report["privacy"]["masked_counts"] == {"emails": 2, "urls": 2, "phones": 2, "handles": 2}
    assert res.report["privacy"]["pseudonymised_authors"] is True
    # nothing of the original leaks through the stored raw copy
    raw_text = " ".join(res.raw.astype(str).to_numpy().ravel())
    assert "ann@example.com" not in raw_text and ",cat," not in raw_text and "cat" not in set(res.raw["author"])


def test_pseudonyms_cover_the_authors_other_names_ids_and_links():
    """X's API gives a tweet's author as user.name and again as user.screen_name, user.id_str and a profile
    image link; a pseudonymised dataset showed "user_3fa9c1d2e4" beside "janed". Every column that names or
    identifies the writer takes the same pseudonym rule; counts about them and the posts' own ids stay."""
    tweets = "\n".join(json.dumps(t) for t in [
        {"id_str": "1", "created_at": "Wed Oct 10 20:19:24 +0000 2018", "text": "Flight delayed again",
         "user": {"screen_name": "janed", "name": "Jane Doe", "id_str": "98765", "followers_count": 120,
                  "profile_image_url_https": "https://pbs.twimg.com/profile_images/98765/jane.jpg"},
         "favorite_count": 2, "retweet_count": 0, "in_reply_to_screen_name": "carol_k"},
        {"id_str": "2", "created_at": "Wed Oct 10 21:19:24 +0000 2018", "text": "Great crew today",
         "user": {"screen_name": "bob", "name": "Bob Roe", "id_str": "4321", "followers_count": 80,
                  "profile_image_url_https": "https://pbs.twimg.com/profile_images/4321/bob.jpg"},
         "favorite_count": 5, "retweet_count": 1}]).encode()
    opts = ImportOptions(pseudonymise=True, salt="s3cret")
    res = build_posts([Source.guess(read_bytes(tweets, "tweets.jsonl"))], opts)
    posts = res.posts
    shown = " ".join(posts.astype(str).to_numpy().ravel()) + " " + " ".join(res.raw.astype(str).to_numpy().ravel())
    for clear in ("janed", "Jane Doe", "98765", "Bob Roe", "4321", "carol_k"):  # and whom they answered
        assert clear not in shown, clear
    assert posts["user.name"].str.startswith("user_").all() and posts["followers"].tolist() == [120, 80]
    assert posts["post_id"].tolist() == ["1", "2"]
    said = next(w for w in res.report["warnings"] if w.startswith("Pseudonymised with the authors"))
    assert "'user.name'" in said and "'user.id_str'" in said and "followers" not in said
    plain = build_posts([Source.guess(read_bytes(tweets, "tweets.jsonl"))], ImportOptions()).posts
    assert plain["author"].tolist() == ["janed", "bob"]  # the handle, not the display name "Jane Doe"
    assert plain["user.name"].tolist() == ["Jane Doe", "Bob Roe"]  # without the choice, nothing is changed


def test_masking_reaches_the_files_other_columns_of_words():
    """An author's bio (X's user.description) kept the e-mail address and phone number masked in the post beside
    it; ids, links and counts are no words and stay."""
    tweets = "\n".join(json.dumps(t) for t in [
        {"id_str": "1", "text": "Flight delayed again, mail me at jane@example.com",
         "user": {"screen_name": "janed", "followers_count": 120,
                  "description": "Travel blogger. Bookings: jane@example.com or +44 20 7946 0958"},
         "favorite_count": 2},
        {"id_str": "2", "text": "Great crew today",
         "user": {"screen_name": "bob", "description": "Dad, runner and coffee lover from Leeds",
                  "followers_count": 80},
         "favorite_count": 5}]).encode()
    opts = ImportOptions(mask_pii=frozenset({"emails", "phones"}))
    res = build_posts([Source.guess(read_bytes(tweets, "tweets.jsonl"))], opts)
    shown = " ".join(res.posts.astype(str).to_numpy().ravel()) + " " + " ".join(res.raw.astype(str).to_numpy().ravel())
    assert "jane@example.com" not in shown and "7946" not in shown
    assert res.posts["user.description"].iloc[0] == "Travel blogger. Bookings: [email] or [phone]"
    assert res.posts["post_id"].tolist() == ["1", "2"] and res.posts["followers"].tolist() == [120, 80]
    assert any(w.startswith("Masked in 'user.description' too") for w in res.report["warnings"])


def test_pseudonyms_are_stable_per_salt():
    names = pd.Series(["Ann", "ann ", "Bob", None])
    a = pseudonymise(names, "salt-1")
    assert a[0] == a[1] != a[2] and pd.isna(a[3])
    assert pseudonymise(names, "salt-1").equals(a)
    assert pseudonymise(names, "salt-2")[0] != a[0]
    with pytest.raises(ValueError):
        pseudonymise(names, "")


def test_mask_text_leaves_other_words_alone():
    out, counts = mask_text(pd.Series(["email a.b@c.org now", "no pii here 2024", "@x_y hi"]), {"emails", "handles"})
    assert out.tolist() == ["email [email] now", "no pii here 2024", "@user hi"]
    assert counts == {"emails": 1, "handles": 1}


def test_masking_phones_leaves_figures_dates_and_ids_alone():
    texts = pd.Series(["call 555-123-4567 or +44 20 7946 0958", "1.000.000 views and 2,124,821,694 plays",
                       "on 2014-11-05, Ali 1942-2016", "612 345 678", "post 10200253113705769",
                       "Call 01903 856 801 for details"])
    out, counts = mask_text(texts, {"phones"})
    assert out.tolist() == ["call [phone] or [phone]", "1.000.000 views and 2,124,821,694 plays",
                            "on 2014-11-05, Ali 1942-2016", "[phone]",
                            "post 10200253113705769", "Call [phone] for details"]
    assert counts == {"phones": 4}


def test_mapping_to_a_missing_column_is_refused(tmp_path):
    src = open_sources([write(tmp_path, "x.csv", "text\nhi\n")])[0]
    from lib.ingest.reading import InputError

    with pytest.raises(InputError, match="no column 'body'"):
        build_posts([Source(src.raw, src.fmt, {"text": "body"})], ImportOptions())


def test_generated_ids_are_content_based_and_stable(tmp_path):
    text = "text,date\nsame words,2024-01-01\nother words,2024-01-01\n"
    a = _import(tmp_path, text=text).posts["post_id"].tolist()
    b = _import(tmp_path, text=text).posts["post_id"].tolist()
    assert a == b and len(set(a)) == 2 and all(i.startswith("gen_") for i in a)


def test_a_sample_loaded_twice_is_one_dataset(workspace):
    from lib.ingest.samples import ensure_sample, sample_datasets

    first, existed = ensure_sample(workspace, "connectsphere")
    assert not existed and workspace.meta(first)["sample"] == "connectsphere"
    assert ensure_sample(workspace, "connectsphere") == (first, True)
    assert sample_datasets(workspace, "connectsphere") == [first]
    assert sample_datasets(workspace, "gamerfuel") == [] and len(workspace.list_datasets()) == 1


def test_the_files_own_columns_are_those_that_feed_no_field():
    from lib.ingest.schema import own_columns

    columns = ["post_id", "text", "created_at", "source_file", "text_raw", "language", "Category", "src_sentiment",
               "sentiment", "p_negative", "emotion_joy", "topic", "CLASS"]
    assert own_columns(columns) == ["Category", "src_sentiment", "CLASS"]




def test_a_brands_own_replies_are_set_aside_and_its_accounts_become_brands(tmp_path):
    """A real customer-care dump was half the companies' answers ("Please send us a DM"), read as if customers had
    written them, with no brand at all: the companies' replies are excluded rows now, each counted, and each post
    takes the brand of the account that answers it, that it answers, or that it @mentions."""
    res = _import(tmp_path, text=CARE)
    assert res.report["excluded"] == {"a brand's own reply": 2}
    assert set(res.excluded["source_row"]) == {1, 4}
    assert "Please send us a DM" in res.excluded["raw"].iloc[0]
    posts = res.posts.set_index("post_id")
    assert list(posts.index) == ["2", "3", "5", "6", "7", "8"]  # the brand's own top-level post stays
    # 2 answers SpotifyCares, 3 is answered by it, 5 answers AppleSupport, 6 @mentions it in lower case, 8 is its own
    assert posts["brand"].drop("7").tolist() == ["SpotifyCares", "SpotifyCares", "AppleSupport", "AppleSupport",
                                                 "SpotifyCares"]
    assert pd.isna(posts["brand"]["7"])  # names no company
    assert posts["parent_id"]["2"] == "1"  # in_response_to_tweet_id is the parent
    notes = " ".join(res.report["warnings"])
    assert "Left out 2 replies by the brands' own accounts (SpotifyCares, AppleSupport)" in notes
    assert "none for 1 of the 6 posts" in notes  # counted over the posts kept
    kept = _import(tmp_path, ImportOptions(keep_own_replies=True), text=CARE)
    assert kept.report["excluded"] == {} and len(kept.posts) == 8
    assert "Kept 2 replies by the brands' own accounts" in " ".join(kept.report["warnings"])
    # pseudonyms hide the customers, never the companies that are the brands
    hidden = _import(tmp_path, ImportOptions(pseudonymise=True, salt="s"), text=CARE).posts
    assert "115712" not in set(hidden["author"]) and set(hidden["brand"].dropna()) == {"SpotifyCares",
                                                                                      "AppleSupport"}


def test_a_channel_owners_replies_and_a_page_answering_as_its_brand_are_set_aside(tmp_path):
    """YouTube comment scrapers mark the channel's own comments (authorIsChannelOwner); a page's comments name the
    page as author where it answers. Its replies are left out; its own top-level comment stays, and a file whose
    every post is the brand's own (a page's posts) is left whole."""
    scrape = ("comment_id,text,author,published,parent_id,authorIsChannelOwner\n"
              "c1,Pinned: thanks for watching,Acme Channel,2024-05-01,,true\n"
              "c2,the sound cuts out at 2:10,viewer1,2024-05-01,,false\n"
              "c3,Thanks! fixed in the new upload,Acme Channel,2024-05-02,c2,true\n"
              "c4,still cuts out for me,viewer2,2024-05-02,c2,false\n")
    res = _import(tmp_path, text=scrape)
    assert res.report["excluded"] == {"a brand's own reply": 1}
    assert res.posts["post_id"].tolist() == ["c1", "c2", "c4"]
    page = ("id,message,from,created_time,parent\n"
            "p1,We love our customers,Acme,2024-05-01,\n"
            "k1,Where is my order,jo,2024-05-01,p1\n"
            "k2,@jo sorry! check your inbox,@acme,2024-05-01,k1\n")
    answered = _import(tmp_path, ImportOptions(constants={"brand": "Acme"}), text=page)
    assert answered.report["excluded"] == {"a brand's own reply": 1}
    assert answered.posts["post_id"].tolist() == ["p1", "k1"]
    own_page = ("id,message,from,created_time,parent\np1,Launch day,Acme,2024-05-01,\np2,More soon,Acme,"
                "2024-05-02,p1\n")
    assert len(_import(tmp_path, ImportOptions(constants={"brand": "Acme"}), text=own_page).posts) == 2


def test_an_instagram_accounts_answers_under_its_own_posts_are_set_aside(tmp_path):
    """Apify's Instagram scraper keeps each post's latest comments in its row, the account's answers among them
    ("In our shop, link in bio!"): read as comments, the answers would count as what the audience says. They are
    set aside as a brand's own replies, and the KPI lab's care figures read how fast the account answered; the
    account is no brand on two posts (too few to tell a profile's scrape from a hashtag's)."""
    from tests.test_reading import _instagram_scrape

    path = write(tmp_path, "dataset_instagram-scraper.json", json.dumps(_instagram_scrape()))
    res = build_posts(open_sources([path]), ImportOptions())
    assert res.report["excluded"] == {"a brand's own reply": 1}
    assert res.excluded["raw"].str.contains("link in bio").all()
    assert res.posts["text"].tolist() == ["New green serum is here #skincare", "Where can I buy the green one?",
                                          "My skin broke out, really disappointed", "Meet the team"]
    assert res.posts["brand_answer_minutes"].tolist()[1] == 480  # answered 8 hours after it was written
    from lib.kpis.care import care_facts, care_kpis

    care = {k.name: k.value for k in care_kpis(care_facts(res.posts))}  # the two comments under its posts
    assert care == {"Answered by brands": 0.5, "Median first answer": 480.0}
    assert "brand" not in res.posts  # two posts: see the next test
    assert "Left out 1 reply by the brands' own accounts (glowskin)" in " ".join(res.report["warnings"])
    kept = build_posts(open_sources([path]), ImportOptions(keep_own_replies=True))
    assert len(kept.posts) == 5 and "Kept 1 reply by" in " ".join(kept.report["warnings"])


def test_a_scrape_of_a_few_accounts_posts_makes_the_accounts_its_brands(tmp_path):
    """A scrape of competitors' profiles (each account's latest posts, their comments nested) compares the accounts:
    each is a brand, and each comment takes the brand of the post it is under. A hashtag's scrape, about one post per
    writer, names no brand: its writers are anyone."""
    def scrape(writers: list[str]) -> str:
        return json.dumps([{"id": f"p{i}", "caption": f"Post {i} by {who}", "ownerUsername": who, "type": "Image",
                            "timestamp": f"2025-03-0{1 + i % 9}T09:00:00.000Z", "likesCount": 10 + i,
                            "latestComments": [{"id": f"c{i}", "text": f"Nice one {i}", "ownerUsername": f"fan{i}",
                                                "timestamp": f"2025-03-0{1 + i % 9}T10:00:00.000Z"}]}
                           for i, who in enumerate(writers)])
    profiles = build_posts(open_sources([write(tmp_path, "profiles.json", scrape(["acme", "globex"] * 3))]),
                           ImportOptions()).posts
    assert profiles.groupby("brand")["text"].apply(list).to_dict() == {
        "acme": ["Post 0 by acme", "Nice one 0", "Post 2 by acme", "Nice one 2", "Post 4 by acme", "Nice one 4"],
        "globex": ["Post 1 by globex", "Nice one 1", "Post 3 by globex", "Nice one 3", "Post 5 by globex",
                   "Nice one 5"]}
    hashtag = build_posts(open_sources([write(tmp_path, "hashtag.json", scrape(["ann", "bo", "cy", "acme"] * 2))]),
                          ImportOptions()).posts
    assert "brand" not in hashtag and len(hashtag) == 16  # two posts each: anyone's, not accounts'


def test_posts_dated_far_apart_from_all_others_are_set_aside():
    """A real care dump of Oct-Nov 2017 held a tweet of 2011 and one of 2016: every chart spanned six years with the
    posts in its last bar. A handful of posts (1 % at most) separated from the rest by a gap longer than all the
    rest span (and a month) is apart; a real gap in a long file, or many posts before it, is not."""
    from lib.ingest.dates_apart import apart

    days = pd.Series(pd.date_range("2017-10-12", "2017-12-02", freq="2h", tz="UTC"))
    stray = pd.Series(pd.to_datetime(["2011-08-29", "2016-08-06", "1970-01-01"], utc=True))
    created = pd.concat([stray, days, pd.Series([pd.NaT], dtype=days.dtype)], ignore_index=True)
    assert apart(created).tolist() == [True] * 3 + [False] * (len(days) + 1)
    late = pd.concat([days, pd.Series(pd.to_datetime(["2030-01-01"], utc=True))], ignore_index=True)
    assert apart(late).tolist() == [False] * len(days) + [True]  # a date in the future, at the end
    assert not apart(pd.concat([days.iloc[:40], days + pd.Timedelta(days=200)], ignore_index=True)).any()  # 6 %
    assert not apart(pd.concat([stray.iloc[:1], days], ignore_index=True).head(90)).any()  # 1 of 90: over 1 %
    near = pd.concat([pd.Series(days.iloc[0] - pd.Timedelta(days=20)), days], ignore_index=True)
    assert not apart(near).any()  # 20 days before an eight-week file: the chart still reads


def test_a_thin_scattered_lead_in_is_set_aside_but_a_steady_trickle_or_a_short_tail_is_not():
    """The real care dump's tweets to one brand: 4 Oct-3 Dec 2017 at 100-400 a day, led in by a hundred tweets on
    a few days a month over the ten months before; the spike alerts took those empty days for the usual level."""
    from lib.ingest.build import dates_apart_note
    from lib.ingest.dates_apart import apart

    rng = np.random.default_rng(3)
    start = pd.Timestamp("2017-10-04", tz="UTC")
    core = pd.Series(start + pd.to_timedelta(rng.uniform(0, 60, 15_000), unit="D"))
    scattered = start - pd.to_timedelta(rng.choice(np.arange(1, 320), 120, replace=True)
                                        * rng.uniform(0.2, 1, 120), unit="D")
    ramp = pd.Series(start - pd.to_timedelta(rng.uniform(0, 2, 40), unit="D"))  # the two days before: a ramp
    created = pd.concat([pd.Series(scattered), ramp, core], ignore_index=True)
    out = apart(created)
    assert out.iloc[:120].sum() >= 100 and not out.iloc[120:].any()  # kept: the ramp and every post of the core
    assert created[~out].min() >= start - pd.Timedelta(days=14)  # the chart starts days before the surge
    note = dates_apart_note(created, out, keep=False)
    assert f"Left out {out.sum()} posts dated far apart from the other {len(created) - out.sum():,} (scattered from " \
        f"{created[out].min():%d %b %Y} to {created[out].max():%d %b %Y}; the others from " in note
    # a post every day for 300 days before a crisis of 600 a day (0.8 % of posts): steady, not scattered
    trickle = pd.Series(start - pd.to_timedelta(np.arange(1, 301), unit="D"))
    crisis = pd.Series(start + pd.to_timedelta(rng.uniform(0, 60, 36_000), unit="D"))
    assert not apart(pd.concat([trickle, crisis], ignore_index=True)).any()
    # a video's late comments: ten over the three weeks after a month of fifty a day, no longer than that month
    late = pd.Series(start + pd.Timedelta(days=30) + pd.to_timedelta(rng.uniform(0, 21, 10), unit="D"))
    first = pd.Series(start + pd.to_timedelta(rng.uniform(0, 30, 1_500), unit="D"))
    assert not apart(pd.concat([first, late], ignore_index=True)).any()


def test_the_import_sets_far_dates_aside_unless_kept(tmp_path):
    rows = [f"{i},post number {i},a{i},2024-03-{1 + i % 28:02d} 10:00" for i in range(200)]
    text = "id,text,author,date\n" + "\n".join(rows + ["999,an old post,z,2012-05-01 09:00"]) + "\n"
    res = _import(tmp_path, text=text)
    assert res.report["excluded"] == {"dated apart from the other posts": 1}
    assert res.excluded["source_row"].tolist() == [201] and "an old post" in res.excluded["raw"].iloc[0]
    assert "999" not in set(res.posts["post_id"]) and len(res.posts) == 200
    assert "Left out 1 post dated far apart from the other 200 (01 May 2012; the others from 01 Mar 2024 to " \
           "28 Mar 2024)" in " ".join(res.report["warnings"])
    kept = _import(tmp_path, ImportOptions(keep_dates_apart=True), text=text)
    assert kept.report["excluded"] == {} and len(kept.posts) == 201
    assert "Kept 1 post dated far apart" in " ".join(kept.report["warnings"])


def test_a_file_without_authors_gets_them_from_each_posts_own_link(tmp_path):
    """Apify's X scraper writes each tweet's link (x.com/<author>/status/<id>) and no user column: the Audience page
    had no one to read. Each post's author is read from its own link; never from a link every row shares (a
    comments export that gives each comment its video's link would make the creator the author of every comment);
    and pseudonymising hides the links that name them too."""
    rows = ["id,full_text,url,created_at"]
    for i, who in enumerate(["Daily_Mad_Dogs", "pugfan", "Daily_Mad_Dogs", "corgi_co", "pugfan", "x_fan"]):
        host = "x.com" if i % 2 else "twitter.com"
        rows.append(f"{i},Tweet number {i} about dogs,https://{host}/{who}/status/16483930883169{i:05d},"
                    f"2023-04-1{i}T10:00:00.000Z")
    text = "\n".join(rows) + "\n"
    result = _import(tmp_path, text=text)
    assert result.posts["author"].tolist() == ["Daily_Mad_Dogs", "pugfan", "Daily_Mad_Dogs", "corgi_co", "pugfan",
                                               "x_fan"]
    assert "No author column: each post's author read from its own link in 'url' (x.com/<author>/status/... and " \
           "the like), 4 authors" in result.report["warnings"]
    hidden = _import(tmp_path, ImportOptions(pseudonymise=True, salt="s"), text=text)
    assert hidden.posts["author"].nunique() == 4 and not hidden.posts["author"].str.contains("pug").any()
    for table in (hidden.posts, hidden.raw):
        assert not table["url"].astype(str).str.contains("pugfan|Daily_Mad_Dogs").any()
    # a file that names its authors keeps them
    named = _import(tmp_path, text=text.replace("id,full_text,url,", "id,full_text,url,user,").replace(
        "/status/", "/status/").replace(",2023", ",someone,2023"))
    assert set(named.posts["author"]) == {"someone"}
    # the video's link on every comment says who made the video, not who wrote the comment
    comments = ["comment_id,text,video_url"] + [
        f"{i},Comment {i},https://www.tiktok.com/@creator/video/7012345678901234567" for i in range(5)]
    assert "author" not in _import(tmp_path, text="\n".join(comments) + "\n").posts
    # a TikTok scrape's own video links
    videos = ["id,text,webVideoUrl"] + [f"{i},Video {i},https://www.tiktok.com/@maker{i % 2}/video/70{i}"
                                       for i in range(4)]
    assert _import(tmp_path, text="\n".join(videos) + "\n").posts["author"].tolist() == ["maker0", "maker1"] * 2
    from lib.ingest.parsing import link_writer
    assert [link_writer(u) for u in (
        "https://www.instagram.com/natgeo/p/C4abc/", "https://www.instagram.com/p/C4abc/",
        "https://www.linkedin.com/posts/jane-doe-12345_hiring-activity-7012345678901234567-xyz/",
        "https://x.com/i/web/status/1648", "https://www.facebook.com/nike/posts/1")] == \
        ["natgeo", None, "jane-doe-12345", None, None]  # a Facebook comment's link names its post's page


def test_a_brand_written_as_a_quoted_search_query_is_named_without_its_quotes(tmp_path):
    """Sentiment140's queries '"night at the museum"', '"booz allen"' and two more named their brands with the search's
    quotes on every page, beside 77 bare ones. A value wholly inside one pair of quotes loses them; a query with
    quotes inside stays as written, and the file's own cells keep them."""
    rows = ["id,text,query", '1,Loved it,"""night at the museum"""', "2,Meh,kindle2",
            '3,Hmm,"""nike"" OR ""adidas"""', "4,Yes,\u201cTime Warner\u201d", "5,No,'sup'",
            '6,Ok,"""night at the museum"""', "7,No brand here,"]
    result = _import(tmp_path, text="\n".join(rows) + "\n")
    assert result.posts["brand"].fillna("(none)").tolist() == [
        "night at the museum", "kindle2", '"nike" OR "adidas"', "Time Warner", "sup", "night at the museum", "(none)"]
    assert 'Brand: the quotes of 3 search queries in \'query\' taken off ("night at the museum" -> night at the ' \
           "museum); the dataset's copy of the file's cells keeps them" in result.report["warnings"]
    assert result.raw["query"].tolist()[0] == '"night at the museum"'
