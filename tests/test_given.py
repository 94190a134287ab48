"""An export's own sentiment (lib.listening.given): found by its column's name and values, compared with the
Listening Lab label, and used as labels in the app and with `--labels-column` on the command line."""
import json

import pandas as pd
import pytest

from lib.listening.given import agreement, as_labels, find_given_sentiment, given_column


@pytest.mark.parametrize("column, values, scale, labels", [
    ("Sentiment", ["Positive", "Negative", "Neutral", "Mixed", "Not rated", "positive"], "words",
     ["positive", "negative", "neutral", None, None, "positive"]),  # Brandwatch / Meltwater words
    ("airline_sentiment", ["negative", "neutral", "positive", "negative"], "words",
     ["negative", "neutral", "positive", "negative"]),
    ("Tonalität", ["Positiv", "Negativ", "Neutral", "negativ"], "words",  # a tool's German interface
     ["positive", "negative", "neutral", "negative"]),
    ("Tonalité", ["Positif", "Négatif", "Neutre"], "words", ["positive", "negative", "neutral"]),
    ("Sentimiento", ["Positivo", "Negativo", "Neutro", "Mixto"], "words", ["positive", "negative", "neutral", None]),
    ("Sentiment", ["Extremely Negative", "Positive", "Extremely Positive", "Neutral", "Negative"], "words",
     ["negative", "positive", "positive", "neutral", "negative"]),  # the Kaggle coronavirus tweets' five classes
    ("polarity", [0, 2, 4, 4, None], "polarity 0 / 2 / 4", ["negative", "neutral", "positive", "positive", None]),
    ("Review Stars", [1, 5, 4, 3, 2], "stars 1-5 (1-2 negative, 3 neutral, 4-5 positive)",
     ["negative", "positive", "positive", "neutral", "negative"]),
    ("starRating", ["FIVE", "FOUR", "ONE", "THREE", None], "stars 1-5 (1-2 negative, 3 neutral, 4-5 positive)",
     ["positive", "positive", "negative", "neutral", None]),  # Google reviews
    ("src_sentiment", [-1, 0, 1, 1], "its sign (below 0 negative, 0 neutral, above 0 positive)",
     ["negative", "neutral", "positive", "positive"]),
    ("src_sentiment", [-5, 0, 5, 3, -2], "its sign (below 0 negative, 0 neutral, above 0 positive)",  # Talkwalker
     ["negative", "neutral", "positive", "positive", "negative"]),
    ("Sentiment Score", [-5, 0, 5, 3, -2], "its sign (below 0 negative, 0 neutral, above 0 positive)",  # not stars
     ["negative", "neutral", "positive", "positive", "negative"]),
    ("Sentiment Score", [-5, 0, 5, None], "its sign (below 0 negative, 0 neutral, above 0 positive)",  # an empty
     ["negative", "neutral", "positive", None]),  # cell stopped the page with numpy's TypeError
    ("score", [1, 5, 4, 3, 2], "stars 1-5 (1-2 negative, 3 neutral, 4-5 positive)",  # google-play-scraper
     ["negative", "positive", "positive", "neutral", "negative"]),
    ("overall", [1.0, 5.0, 4.0, 3.0, 2.0], "stars 1-5 (1-2 negative, 3 neutral, 4-5 positive)",  # Amazon's dumps
     ["negative", "positive", "positive", "neutral", "negative"]),
    ("src_sentiment", [3, 1, 5, 3, None], "a 1-5 scale (1-2 negative, 3 neutral, 4-5 positive)",  # CrowdFlower's
     ["neutral", "negative", "positive", "neutral", None]),  # Apple tweets, not read at all before
])
def test_an_exports_own_sentiment_is_found_and_read(column, values, scale, labels):
    posts = pd.DataFrame({"post_id": [str(i) for i in range(len(values))], "text": "x", "likes": 3, column: values})
    found = find_given_sentiment(posts)
    assert found is not None and found.column == column and found.scale == scale
    assert [None if pd.isna(v) else v for v in found.labels] == labels


@pytest.mark.parametrize("column, values", [
    ("retweet_count", [0, 2, 4, 0, 2, 4]),  # numbers that look like a polarity, in a column not named for one
    ("milestone", ["positive", "negative", "positive"]),  # "tone" inside a word is not a tone
    ("rating", [0.5, 4.5, 3, 2, 1, 5]),  # not whole stars
    ("polarity", [0, 0, 0, 0]),  # one sentiment only: nothing to compare or calibrate
    ("sentiment_score", [0.12, -0.4, 0.9, 0.3]),  # a score, not labels
    ("src_sentiment", [-10, 0, 10, 40]),  # a scale this does not know
    ("sentiment", [1, 2, 3, 2, 1]),  # 1-3 may be negative to positive, or a code: not guessed
    ("Sentiment", ["Positive", "great", "bad", "awful", "meh"]),  # mostly unreadable
    ("truth_sentiment", ["positive", "negative", "neutral"]),  # a sample's answer key (the workshop's)
])
def test_columns_that_are_not_a_sentiment_are_left_alone(column, values):
    posts = pd.DataFrame({"post_id": [str(i) for i in range(len(values))], column: values})
    assert find_given_sentiment(posts) is None


def test_agreement_and_labels_from_the_file():
    posts = pd.DataFrame({"post_id": ["a", "b", "c", "d", "e"],
                          "Sentiment": ["negative", "negative", "positive", "Mixed", "neutral"]})
    given = find_given_sentiment(posts)
    predicted = pd.Series(["negative", "positive", "positive", "neutral", "neutral"])
    ag = agreement(given, predicted)
    assert ag.posts == 4 and ag.accuracy == pytest.approx(0.75)
    assert ag.given_shares == {"negative": 0.5, "neutral": 0.25, "positive": 0.25}
    assert ag.table.loc["negative", "positive"] == 1 and int(ag.table.to_numpy().sum()) == 4
    assert as_labels(given, posts["post_id"]) == {"a": "negative", "b": "negative", "c": "positive", "e": "neutral"}
    assert given_column(posts, "auto").column == "Sentiment"
    with pytest.raises(ValueError, match="no column 'stars'"):
        given_column(posts, "stars")
    with pytest.raises(ValueError, match="does not read as a sentiment"):
        given_column(posts.assign(note=["x", "y", "z", "w", "v"]), "note")


def test_sentiment140s_polarity_is_found_and_compared_with_the_label(shared):
    """The real Sentiment140 test file keeps its human polarity (0/2/4) as a source column: it is found, and the
    agreement shown is the out-of-the-box label's accuracy against those human labels."""
    from lib.ingest.build import ImportOptions, build_posts, open_sources
    from lib.listening.enrich import enrich
    from lib.ui.given_block import out_of_the_box

    posts = build_posts(open_sources([shared / "sentiment140_test" / "testdata.manual.2009.06.14.csv"]),
                        ImportOptions()).posts
    given = find_given_sentiment(posts)
    assert given is not None and given.column == "polarity" and given.labels.notna().all()
    frame = enrich(posts).frame
    ag = agreement(given, out_of_the_box(frame))
    truth = pd.read_csv(shared / "sentiment140_test" / "testdata.manual.2009.06.14.csv")["polarity"]
    assert ag.posts == 498 and ag.given_shares["negative"] == pytest.approx((truth == 0).mean())
    assert ag.accuracy == pytest.approx((frame["sentiment_label"] == given.labels).mean())
    assert 0.70 <= ag.accuracy <= 0.80


def test_cli_labels_column_calibrates_the_shares_on_the_files_own_labels(tmp_path, capsys):
    from lib.cli import main
    from tests.test_kpis import airline_csv

    src = tmp_path / "Tweets.csv"
    src.write_bytes(airline_csv(600))
    truth = pd.read_csv(src)["airline_sentiment"]
    out = tmp_path / "out"
    assert main(["analyze", str(src), "--out", str(out), "--steps", "sentiment", "--labels-column", "auto"]) == 0
    doc = json.loads((out / "summary.json").read_text())
    assert doc["labels_column"] == {"column": "airline_sentiment", "read_as": "words", "posts": 600,
                                    "file_column": "airline_sentiment"}
    shares = doc["sentiment_shares"]
    assert shares["labels_used"] == 600 and "calibrated on 600 labels" in shares["method"]
    assert shares["overall"]["negative"] == pytest.approx((truth == "negative").mean(), abs=1e-3)
    posts = pd.read_csv(out / "posts.csv")
    assert (posts["sentiment_label"] == posts["airline_sentiment"]).all()  # a post's own label wins
    # a column the analysis also writes ("sentiment") travels as src_sentiment; summary.json names both
    pd.read_csv(src).rename(columns={"airline_sentiment": "sentiment"}).to_csv(tmp_path / "t.csv", index=False)
    assert main(["analyze", str(tmp_path / "t.csv"), "--out", str(tmp_path / "o2"), "--steps", "sentiment",
                 "--labels-column", "sentiment"]) == 0
    assert json.loads((tmp_path / "o2" / "summary.json").read_text())["labels_column"] == {
        "column": "src_sentiment", "read_as": "words", "posts": 600, "file_column": "sentiment"}
    assert main(["analyze", str(src), "--out", str(out), "--steps", "sentiment", "--labels-column", "text"]) == 2
    assert "--labels-column: column 'text' does not read as a sentiment" in capsys.readouterr().err
    assert main(["analyze", str(src), "--out", str(out), "--labels-column", "auto"]) == 2
    assert "--labels and --labels-column need --steps sentiment" in capsys.readouterr().err


def test_a_coded_sentiment_column_says_what_its_codes_mean():
    """Sentiment140's polarity is 0 / 2 / 4 and a review's stars 1-5: the Overview's breakdown and the Listening
    page's filter of such a column read "0 (negative)", "5 (positive)"; words, and any other column, stay as is."""
    from lib.listening.given import value_names

    posts = pd.DataFrame({"polarity": [0, 4, 4, 2, 0], "Category": ["a", "b", "a", "b", "a"],
                          "Sentiment": ["positive", "negative", "neutral", "neutral", "positive"]})
    given = find_given_sentiment(posts.drop(columns="Sentiment"))
    assert value_names(given, posts["polarity"]) == {"0": "0 (negative)", "4": "4 (positive)", "2": "2 (neutral)"}
    assert value_names(given, posts["polarity"].iloc[1:3]) == {"4": "4 (positive)"}  # a subset, by index
    assert value_names(given, posts["Category"]) == {} and value_names(None, posts["polarity"]) == {}
    assert value_names(find_given_sentiment(posts[["Sentiment"]]), posts["Sentiment"]) == {}  # words say themselves
    stars = pd.DataFrame({"Review Stars": ["5", " 1", "3"]})
    assert value_names(find_given_sentiment(stars), stars["Review Stars"]) == {
        "5": "5 (positive)", "1": "1 (negative)", "3": "3 (neutral)"}
