"""Import of the real public datasets in ../shared/data (skipped where that folder is absent)."""
import pandas as pd

from lib.ingest.build import ImportOptions, build_posts, open_sources


def _load(path, **opts):
    src = open_sources([path])[0]
    return src, build_posts([src], ImportOptions(**opts))


def test_facebook_page_metrics_loads_without_text(shared):
    src, res = _load(shared / "facebook_metrics" / "dataset_Facebook.csv")
    assert src.fmt.key == "facebook_page_metrics"
    assert src.mapping == {"likes": "like", "comments": "comment", "shares": "share",
                           "impressions": "Lifetime Post Total Impressions", "reach": "Lifetime Post Total Reach",
                           "followers": "Page total likes", "post_type": "Type"}
    p = res.posts
    assert len(p) == 500 and p["post_id"].is_unique
    assert set(p["platform"]) == {"facebook"}
    assert p["likes"].isna().sum() == 1 and p["shares"].isna().sum() == 4  # the original gaps, kept as gaps
    total = p["likes"].fillna(0) + p["comments"].fillna(0) + p["shares"].fillna(0)
    assert (total == p["Total Interactions"].astype(int)).all()  # counts read exactly
    assert p["post_type"].value_counts().to_dict() == {"image": 426, "text": 45, "link": 22, "video": 7}
    assert res.report["analyses"]["sentiment"] == "needs a text column"
    assert res.report["analyses"]["KPIs"] is None


def test_youtube_comments(shared):
    src, res = _load(shared / "youtube_spam" / "Youtube04-Eminem.csv")
    assert src.fmt.key == "youtube_comments"
    assert src.mapping == {"post_id": "COMMENT_ID", "text": "CONTENT", "created_at": "DATE", "author": "AUTHOR"}
    p = res.posts
    assert len(p) == 448 and p["created_at"].isna().sum() == 245
    assert not p["text"].str.contains("\ufeff").any()
    assert not p["text"].str.contains("<br", regex=False).any()
    assert not p["text"].str.contains("&#39;", regex=False).any()
    assert res.report["duplicates"]["identical_rows"] == 2
    assert p["CLASS"].notna().all()  # unmapped columns travel along


def test_youtube_all_videos_as_brands(shared):
    src, res = _load(shared / "youtube_spam" / "DERIVED_youtube_spam_all.csv")
    assert src.mapping["brand"] == "VIDEO"
    assert res.posts["brand"].value_counts().to_dict() == {"Eminem": 448, "Shakira": 370, "LMFAO": 438,
                                                           "Psy": 350, "KatyPerry": 350}


def test_sentiment140(shared):
    src, res = _load(shared / "sentiment140_test" / "testdata.manual.2009.06.14.csv")
    assert src.fmt.key == "x_sentiment140"
    assert src.mapping == {"post_id": "tweet_id", "text": "text", "created_at": "tweet_date", "author": "user",
                           "brand": "query"}
    p = res.posts
    assert len(p) == 498 and p["created_at"].notna().all()
    assert p["created_at"].min() == pd.Timestamp("2009-05-11 03:17:40", tz="UTC")
    assert p["created_at"].max().date().isoformat() == "2009-06-14"
    assert set(p["platform"]) == {"x"}


def test_vader_raw_file_without_header(shared):
    src, res = _load(shared / "vader_groundtruth" / "tweets_GroundTruth.txt")
    assert not src.raw.header and src.raw.delimiter == "\t"
    # no header: the text is the longest words, the post id the column of distinct ids (the file's own tweet id)
    assert src.mapping == {"post_id": "column_1", "text": "column_3"}
    assert len(res.posts) == 4200 and res.posts["post_id"].iloc[:3].tolist() == ["1", "2", "3"]
    assert res.posts["text"].iloc[0].startswith("Somehow I was blessed")


def test_emotion_semicolon_file(shared):
    src, res = _load(shared / "emotion" / "val.txt")
    assert src.raw.delimiter == ";" and src.mapping["text"] == "text"
    assert len(res.posts) == 2000 and "label_name" in res.posts.columns
