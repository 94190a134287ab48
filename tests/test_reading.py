"""Reading files of every kind into raw tables, and refusing what is not a table."""
import io
import json
import zipfile

import pandas as pd
import pytest

from lib.ingest.reading import InputError, read_bytes, read_path
from tests.conftest import write

ROWS = [("1", "Great service, thanks!", "2024-03-01"), ("2", "Päckchen kam nie an – schade", "2024-03-02")]


def _csv(delim=",", quote_all=False):
    lines = [delim.join(["id", "text", "date"])]
    for r in ROWS:
        cells = [f'"{c}"' if quote_all or delim in c else c for c in r]
        lines.append(delim.join(cells))
    return "\r\n".join(lines) + "\r\n"


@pytest.mark.parametrize("delim", [",", ";", "\t", "|"])
def test_any_delimiter(delim):
    t = read_bytes(_csv(delim).encode(), "x.csv")
    assert t.delimiter == delim
    assert list(t.df.columns) == ["source_row", "id", "text", "date"]
    assert t.df["text"].tolist() == [r[1] for r in ROWS]


@pytest.mark.parametrize("encoding,expected", [("utf-8-sig", "utf-8-sig"), ("utf-16", "utf-16"),
                                               ("cp1252", None), ("utf-16-le", "utf-16-le")])
def test_encodings(encoding, expected):
    t = read_bytes(_csv(";").encode(encoding), "x.csv")
    assert t.df["text"].tolist()[1] == ROWS[1][1]
    assert t.df.columns[1] == "id"  # no BOM left in the first header
    if expected:
        assert t.encoding == expected


def test_quoted_multiline_fields():
    data = 'id,text\n1,"line one\nline two, with comma"\n2,"say ""hi"""\n'
    t = read_bytes(data.encode(), "x.csv")
    assert t.df["text"].tolist() == ["line one\nline two, with comma", 'say "hi"']


def test_a_lone_carriage_return_is_a_line_break_inside_its_cell_where_lines_end_in_newlines():
    # pandas' to_csv leaves a cell with \r unquoted (a real re-saved care dump: tweets typed on several lines)
    tweets = pd.DataFrame({"tweet_id": [1, 2, 3], "text": ["@SpotifyCares Lumia 950XL\r\rWindows 10 Mobile",
                                                         "@SpotifyCares Sweet", "ok\rthanks"],
                           "response_tweet_id": [10, 20, 30]})
    t = read_bytes(tweets.to_csv(index=False).encode(), "requests.csv")
    assert len(t.df) == 3 and not t.bad_rows
    assert t.df["text"].tolist() == ["@SpotifyCares Lumia 950XL\n\nWindows 10 Mobile", "@SpotifyCares Sweet",
                                     "ok\nthanks"]
    assert t.df["response_tweet_id"].tolist() == ["10", "20", "30"]
    # a file whose lines end in \r alone (classic Mac) still reads one row per line, its quoted \n kept
    mac = read_bytes(b'id,text\r1,"two\nlines"\r2,b\r3,c\r', "mac.csv")
    assert mac.df["text"].tolist() == ["two\nlines", "b", "c"]


def test_ragged_rows_are_set_aside_and_counted():
    data = "id,text,likes\n1,ok,3\n2,too,many,fields,here\n3,fine,4\n"
    t = read_bytes(data.encode(), "x.csv")
    assert t.df["id"].tolist() == ["1", "3"]
    assert len(t.bad_rows) == 1
    assert any("wrong number of fields" in w for w in t.warnings)


def test_headerless_file_gets_column_names():
    data = "1\t2.5\tSo lucky to have friends\n2\t-1.2\tWorst day ever\n"
    t = read_bytes(data.encode(), "ratings.txt")
    assert not t.header
    assert list(t.df.columns[1:]) == ["column_1", "column_2", "column_3"]
    assert len(t.df) == 2


def test_duplicate_headers_are_made_unique():
    t = read_bytes(b"text,text,likes\na,b,1\n", "x.csv")
    assert list(t.df.columns[1:]) == ["text", "text.1", "likes"]
    assert any("duplicate column" in w for w in t.warnings)


def test_xlsx(tmp_path):
    df = pd.DataFrame({"Post": ["hello", "world"], "Date": pd.to_datetime(["2024-01-02 10:00", "2024-01-03 00:00"]),
                       "Likes": [3, 4]})
    p = tmp_path / "export.xlsx"
    df.to_excel(p, index=False)
    t = read_path(p)
    assert t.kind == "xlsx"
    assert t.df["Post"].tolist() == ["hello", "world"]
    assert t.df["Date"].iloc[0].startswith("2024-01-02T10:00")
    assert t.df["Likes"].tolist() == ["3", "4"]


def test_json_list_nested_and_wrapped():
    recs = [{"id": "1", "text": "hi", "public_metrics": {"like_count": 5}},
            {"id": "2", "text": "yo", "public_metrics": {"like_count": 7}}]
    for payload in (recs, {"data": recs}, {"meta": {}, "posts": recs}):
        t = read_bytes(json.dumps(payload).encode(), "x.json")
        assert t.kind == "json"
        assert t.df["public_metrics.like_count"].tolist() == ["5", "7"]


def test_reddit_listing_json():
    payload = {"kind": "Listing", "data": {"children": [
        {"kind": "t3", "data": {"id": "a", "title": "T", "selftext": "body", "subreddit": "snacks"}}]}}
    t = read_bytes(json.dumps(payload).encode(), "r.json")
    assert t.df["subreddit"].tolist() == ["snacks"]


def test_jsonl_with_a_bad_line():
    data = '{"text": "a", "n": 1}\n{"text": "b", "n": 2}\nnot json\n{"text": "c"}\n'
    t = read_bytes(data.encode(), "x.jsonl")
    assert t.df["text"].tolist() == ["a", "b", "c"]
    assert len(t.bad_rows) == 1


@pytest.mark.parametrize("data,name,message", [
    (b"", "empty.csv", "empty"),
    (b"   \n\n", "blank.csv", "empty"),
    (bytes(range(256)) * 40, "junk.csv", "binary"),
    (b"\xd0\xcf\x11\xe0" + b"\0" * 600, "old.xls", "old binary Office file that could not be read"),
    (b'{"a": ', "broken.json", "not valid JSON"),
    (b'{"a": 1}', "obj.json", "no list of posts"),
])
def test_bad_input_has_a_clear_message(data, name, message):
    with pytest.raises(InputError, match=message):
        read_bytes(data, name)


def test_zip_renamed_csv():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("a.txt", "hello")
    with pytest.raises(InputError, match="ZIP"):
        read_bytes(buf.getvalue(), "export.csv")


def test_header_only_file_reads_zero_rows():
    t = read_bytes(b"id,text,date\n", "x.csv")
    assert len(t.df) == 0


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="not found"):
        read_path(tmp_path / "nope.csv")
    write(tmp_path, "a.csv", "id,text\n1,x\n")
    assert len(read_path(tmp_path / "a.csv").df) == 1


def test_a_stray_quote_at_the_start_of_a_post_does_not_swallow_the_rows_after_it():
    data = ('id\tscore\ttext\n1\t0.5\tfine\n2\t0.5\t"  stray start, never closed\n3\t-1.2\tnext row\n'
            '4\t2\tsay "hi" to them\n5\t1\t"quoted ""properly"""\n')
    t = read_bytes(data.encode(), "x.tsv")
    assert t.df["id"].tolist() == ["1", "2", "3", "4", "5"]
    assert t.df["text"].tolist() == ["fine", '"  stray start, never closed', "next row", 'say "hi" to them',
                                     'quoted "properly"']
    assert any("swallowed by a quote" in w for w in t.warnings)
    # a quote that never closes before the end of the file left no row at all
    t = read_bytes(b'id\ttext\n1\t"a\n2\t"b\n3\tc\n', "x.tsv")
    assert t.df["text"].tolist() == ['"a', '"b', "c"]


def test_a_post_written_over_lines_is_not_taken_for_joined_rows():
    # real phone reviews (No,Date,Review,UserName) and r/wallstreetbets posts: a review's second line with three
    # commas was "a line that looks like a further row" (48 and 10 warnings), though every row was read right
    data = 'No,Date,Review,UserName\n0,16-Jan-18,"first line\nthen, a, b, list",Ann\n1,16-Jan-18,plain,Bob\n' \
           '2,16-Jan-18,plain too,Cy\n'
    t = read_bytes(data.encode(), "x.csv")
    assert t.df["No"].tolist() == ["0", "1", "2"] and not any("further rows" in w for w in t.warnings)
    # a line that does fit the columns of numbers is still said
    data = 'No,Date,Review,UserName\n0,16-Jan-18,"first line\n7,17-Jan-18,then a row,Dee",Ann\n1,16-Jan-18,' \
           'plain,Bob\n2,16-Jan-18,"two\nlines",Cy\n'
    t = read_bytes(data.encode(), "x.csv")
    assert any("further rows" in w for w in t.warnings)
    # nor a line of prices inside a comment where every row has a video id in that place (real Thai comments on a
    # car review: "nio et7 3,126 คัน ราคา 446,700 - 523,400 หยวน")
    rows = "\n".join(f"vid{i % 3}x9Q,@fan{i},comment {i}" for i in range(25))
    data = f'video_id,author,comment\n{rows}\nvid1x9Q,@car,"sales:\nnio et7 3,126 cars 446,700 yuan"\n'
    t = read_bytes(data.encode(), "x.csv")
    assert len(t.df) == 26 and not any("further rows" in w for w in t.warnings)
    # a backslash before a quote in a file the usual reading reads whole is the writer's own: kept, nothing said
    # (a backslash was dropped, and the import said "2 rows instead of 2")
    data = r'id,text' + '\n' + r'1,"a path C:\\""x"" and' + '\n' + 'more"\n2,plain\n'
    t = read_bytes(data.encode(), "x.csv")
    assert t.df["text"].tolist() == [r'a path C:\\"x" and' + "\nmore", "plain"]
    assert not any("instead of" in w for w in t.warnings)


def test_real_review_sentences_with_stray_quotes_keep_every_line(shared):
    """The VADER paper's Amazon review sentences: one sentence opening with a stray quote swallowed the next
    162 lines (3,546 rows from 3,708 lines, one "post" 6,516 characters long)."""
    path = shared / "vader_groundtruth" / "amazonReviewSnippets_GroundTruth.txt"
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
    t = read_path(path)
    assert len(t.df) == len(lines) == 3708
    assert t.df["column_1"].tolist() == [ln.split("\t")[0] for ln in lines]
    row = t.df.set_index("column_1")
    assert row.loc["11_7", "column_3"].startswith('"  this problem vanished')
    assert row.loc["11_10", "column_3"].startswith("the fact that this model would play jpeg slideshows")
    assert t.df["column_3"].str.len().max() < 2000


def test_plain_text_is_one_post_per_line():
    posts = ["great product, love it", "@shop where is my order?", "terrible, never again, refund me", "meh",
             "Not bad at all", "ok, fine, whatever, it works"]
    t = read_bytes(("\n".join(posts) + "\n").encode(), "comments.txt")
    assert t.kind == "text" and t.df["text"].tolist() == posts and not t.header
    with_header = read_bytes(("Comment\n" + "\n".join(posts)).encode(), "comments.txt")
    assert list(with_header.df.columns) == ["source_row", "Comment"] and with_header.df["Comment"].tolist() == posts
    # a two-column table whose texts hold unquoted commas stays a table (those rows set aside, as before)
    table = read_bytes(("text,label\n" + "\n".join(f"{p},x" for p in posts)).encode(), "labels.csv")
    assert table.kind == "csv" and list(table.df.columns) == ["source_row", "text", "label"]


def test_real_tweets_one_per_line_are_every_tweet(shared):
    """TweetEval's test tweets, one per line: read as a table headed "@user Wow", four tweets skipped as a
    report's title and 45 set aside."""
    path = shared / "tweeteval_sentiment" / "test_text.txt"
    lines = [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
    t = read_path(path)
    assert t.kind == "text" and t.df["text"].tolist() == lines and len(lines) == 12284
    assert not t.bad_rows


@pytest.mark.parametrize("values, method", [
    (["45292.5", "45293.25", "45300"], "Excel serial days"),  # a date column that lost its format
    (["1704110400000000", "1704175200000000", "1704758400000000"], "epoch microseconds"),  # crashed the import
    (["1704110400000000000", "1704175200000000000", "1704758400000000000"], "epoch nanoseconds"),
    (["1704110400000", "1704175200000", "1704758400000"], "epoch milliseconds"),
    (["1704110400", "1704175200", "1704758400"], "epoch seconds"),
])
def test_times_written_as_numbers_are_told_by_their_size(values, method):
    from lib.ingest.parsing import parse_datetimes

    got = parse_datetimes(pd.Series(values))
    assert got.method == method and got.failed == 0
    assert got.values.tolist() == [pd.Timestamp(t, tz="UTC") for t in
                                   ("2024-01-01 12:00", "2024-01-02 06:00", "2024-01-09 00:00")]


def test_a_time_no_post_can_have_is_left_empty_not_a_crash():
    from lib.ingest.parsing import parse_datetimes

    got = parse_datetimes(pd.Series(["1704110400", "-5", "99999999999", "1704175200"]))
    assert got.method == "epoch seconds" and got.failed == 2
    assert got.values.isna().tolist() == [False, True, True, False]


def test_a_first_row_with_one_field_too_many_does_not_shift_the_table():
    """pandas reads a first data row with one field more than the header as an index column and shifts every row
    under the wrong header: 'text,date,likes' over 'great, thanks,2024-01-01,3' made every text a date."""
    t = read_bytes(b"text,date,likes\ngreat, thanks,2024-01-01,3\nbad service,2024-01-02,1\nok,2024-01-03,0\n",
                   "x.csv")
    assert t.df["text"].tolist() == ["bad service", "ok"] and t.df["date"].tolist() == ["2024-01-02", "2024-01-03"]
    assert [r["fields"] for r in t.bad_rows] == [4]
    # rows that end with a delimiter the header lacks were shifted the same way: every text a date
    t = read_bytes(b"text,date,likes\ngreat stuff,2024-01-01,3,\nbad service,2024-01-02,1,\n", "x.csv")
    assert t.df[["text", "date", "likes"]].values.tolist() == [["great stuff", "2024-01-01", "3"],
                                                              ["bad service", "2024-01-02", "1"]]
    assert not t.bad_rows


def test_quotes_escaped_with_backslashes_as_linkedin_writes_them():
    data = (b'Date,Link,Message\n'
            b'2024-01-05 10:00:00,https://www.linkedin.com/feed/update/urn:li:activity:1,'
            b'"Great post! As they say \\"less is more\\", right?"\n'
            b'2024-01-06 11:00:00,https://www.linkedin.com/feed/update/urn:li:activity:2,"Congrats, well deserved"\n'
            b'2024-01-07 12:00:00,https://www.linkedin.com/feed/update/urn:li:activity:3,'
            b'"Loved the \\"behind the scenes\\" part.\nMore please!"\n')
    t = read_bytes(data, "Comments.csv")
    assert t.df["Message"].tolist() == ['Great post! As they say "less is more", right?', "Congrats, well deserved",
                                        'Loved the "behind the scenes" part.\nMore please!']
    assert not t.bad_rows and any("read as quotes" in w for w in t.warnings)
    # a file that merely contains a backslash before a quote, read well the usual way, is read the usual way
    plain = read_bytes(b'id,text\n1,"path C:\\\\"\n2,"fine"\n3,"ok"\n', "x.csv")
    assert plain.df["text"].tolist() == ["path C:\\\\", "fine", "ok"]


def test_a_scrapers_flattened_lists_read_as_the_same_lists_as_its_json_download(tmp_path):
    """Apify's CSV and Excel downloads flatten a post's lists into numbered columns (hashtags/0 ... hashtags/26 in
    a real X scrape, media/0/media_url, media/0/type, ...): each list is one column again, holding what the JSON
    download of the same posts holds, so the list is read as tags whichever download the user took."""
    posts = [
        {"id": "1", "full_text": "Walk time #dogs", "hashtags": ["dogs", "DogsOfTwitter"],
         "media": [{"media_url": "https://pbs.example/1.jpg", "type": "photo"},
                   {"media_url": "https://pbs.example/2.mp4", "type": "video"}], "rating/5": "4"},
        {"id": "2", "full_text": "No tags here", "hashtags": [], "media": [], "rating/5": "3"},
        {"id": "3", "full_text": "Just one #pug", "hashtags": ["pug"],
         "media": [{"media_url": "https://pbs.example/3.jpg", "type": "photo"}], "rating/5": None},
    ]
    header = ["id", "full_text", "hashtags/0", "hashtags/1", "media/0/media_url", "media/0/type",
              "media/1/media_url", "media/1/type", "rating/5"]
    lines = [",".join(header)]
    for p in posts:
        tags = p["hashtags"] + [""] * (2 - len(p["hashtags"]))
        media = [v for m in p["media"] for v in (m["media_url"], m["type"])]
        lines.append(",".join([p["id"], p["full_text"], *tags, *(media + [""] * (4 - len(media))),
                               p["rating/5"] or ""]))
    flat = read_bytes(("\n".join(lines) + "\n").encode(), "dataset_twitter-scraper.csv")
    assert list(flat.df.columns) == ["source_row", "id", "full_text", "hashtags", "media", "rating/5"]
    as_json = read_bytes(json.dumps(posts).encode(), "dataset_twitter-scraper.json")
    assert flat.df["hashtags"].tolist()[::2] == as_json.df["hashtags"].tolist()[::2]  # an empty list: no cell
    assert flat.df["hashtags"].tolist()[1] is None and as_json.df["hashtags"].tolist()[1] == "[]"
    assert json.loads(flat.df["media"].iloc[0]) == posts[0]["media"]
    assert json.loads(flat.df["media"].iloc[2]) == posts[2]["media"]
    assert flat.df["rating/5"].tolist() == ["4", "3", None]  # no item 0: a name, not a list
    book = io.BytesIO()  # the Excel download: the same columns
    pd.read_csv(io.StringIO("\n".join(lines)), dtype=str).to_excel(book, index=False)
    excel = read_bytes(book.getvalue(), "dataset_twitter-scraper.xlsx")
    assert excel.df.drop(columns="source_row").equals(flat.df.drop(columns="source_row"))
    assert any("Joined 6 numbered columns into the 2 lists" in w and "'hashtags', 'media'" in w
               for w in flat.warnings), flat.warnings
    # one list alone, and a name the file already uses
    one = read_bytes(b"text,tags,tags/0,tags/1\nhello,x,a,b\n", "t.csv")
    assert list(one.df.columns) == ["source_row", "text", "tags", "tags (list)"]
    assert one.df["tags (list)"].tolist() == ['["a", "b"]']
    assert one.warnings == ["Joined 2 numbered columns (tags/0 ... tags/1) into one column, 'tags (list)': a list "
                            "per post, as the export's JSON download has it"]


def _instagram_scrape() -> list[dict]:
    """Two posts as Apify's Instagram scraper writes them (its documented fields): the latest comments inside each
    post, a reply inside a comment, and more comments counted than listed."""
    def comment(cid, who, text, likes, when, replies=()):
        return {"id": cid, "text": text, "ownerUsername": who, "timestamp": when, "repliesCount": len(replies),
                "replies": list(replies), "likesCount": likes,
                "owner": {"id": f"9{cid}", "is_verified": False, "username": who}}
    reply = comment("1701", "glowskin", "In our shop, link in bio!", 1, "2025-03-02T18:00:00.000Z")
    return [
        {"id": "310", "type": "Image", "shortCode": "DA0x", "caption": "New green serum is here #skincare",
         "hashtags": ["skincare"], "commentsCount": 14, "likesCount": 120, "timestamp": "2025-03-01T09:00:00.000Z",
         "ownerUsername": "glowskin",
         "latestComments": [comment("1700", "ann_k", "Where can I buy the green one?", 3, "2025-03-02T10:00:00.000Z",
                                    [reply]),
                            comment("1710", "bo.p", "My skin broke out, really disappointed", 0,
                                    "2025-03-02T11:00:00.000Z")]},
        {"id": "312", "type": "Sidecar", "shortCode": "DA2x", "caption": "Meet the team", "hashtags": [],
         "commentsCount": 0, "likesCount": 45, "timestamp": "2025-03-03T09:00:00.000Z", "ownerUsername": "glowskin",
         "latestComments": []},
    ]


def _apify_csv(records: list[dict]) -> bytes:
    """The records as Apify's CSV download flattens them: latestComments/0/owner/username and the like."""
    from bench.import_shapes import flattened

    rows = [flattened(r) for r in records]
    return pd.DataFrame(rows, columns=sorted({k for r in rows for k in r})).to_csv(index=False).encode()


def test_comments_a_scraper_nests_in_its_posts_rows_are_posts_of_their_own():
    """Apify's Instagram scraper keeps each post's latest comments in the post's row (`latestComments`, a reply
    inside its comment): read as they were, the audience's words were one cell of JSON per post and only the
    account's captions were read. Each comment is a row after its post, in the JSON and the CSV download alike."""
    scrape = _instagram_scrape()
    for raw in (read_bytes(json.dumps(scrape).encode(), "dataset_instagram-scraper.json"),
                read_bytes(_apify_csv(scrape), "dataset_instagram-scraper.csv")):
        df = raw.df
        assert "latestComments" not in df.columns  # its comments are rows now
        assert df["caption"].tolist() == ["New green serum is here #skincare", "Where can I buy the green one?",
                                          "In our shop, link in bio!", "My skin broke out, really disappointed",
                                          "Meet the team"]
        assert df["parent_id"].tolist() == [None, "310", "1700", "310", None]
        assert df["type"].tolist() == ["Image", "comment", "comment", "comment", "Sidecar"]
        assert df["ownerUsername"].tolist() == ["glowskin", "ann_k", "glowskin", "bo.p", "glowskin"]
        assert df["likesCount"].tolist() == ["120", "3", "1", "0", "45"]
        assert df["commentsCount"].tolist() == ["14", "1", "0", "0", "0"]  # a comment's: its replies
        assert "repliesCount" not in df.columns
        assert df["source_row"].tolist() == [1, 1, 1, 1, 2]  # each traced to the file's row it came from
        assert df["owner.username"].tolist()[1:4] == ["ann_k", "glowskin", "bo.p"]
        assert df["By the post's author"].tolist() == ["true", "false", "true", "false", "true"]  # the account answers
        lifted = [w for w in raw.warnings if "nested in their posts ('latestComments')" in w]
        assert len(lifted) == 1 and lifted[0].startswith("3 comments and replies")
        assert "count 11 more comments" in lifted[0]  # Instagram's count includes the reply
    # a column named for comments that holds no comments stays as it is, and so does a count of them
    plain = read_bytes(json.dumps([{"id": "1", "text": "hi", "comments": ["a", "b"], "commentsCount": 2}]).encode(),
                       "x.json")
    assert plain.df["comments"].tolist() == ['["a", "b"]'] and len(plain.df) == 1
    # a list of comments named "comments" is lifted, and is no count: a comment's replies stay its own column
    named = read_bytes(json.dumps([{"id": "1", "text": "post", "comments": [{"id": "c1", "text": "nice",
                                                                             "repliesCount": 2}]}]).encode(), "y.json")
    assert named.df["text"].tolist() == ["post", "nice"] and named.df["repliesCount"].tolist() == [None, "2"]
    assert "comments" not in named.df.columns
