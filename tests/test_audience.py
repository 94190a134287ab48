"""Audience segments: planted segments are found (ARI), personas read like them, names never contradict their
numbers nor carry profanity or stop words, features by hand, group weighting, determinism, thin-data defaults and
no-author fallbacks, the trust note, the store round trip, storage with edits, turning segments."""
import glob
import json
from dataclasses import FrozenInstanceError, replace

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import adjusted_rand_score

from lib.audience.features import author_coverage, author_features, design_matrix
from lib.audience.personas import (
    FLAT,
    HOUR_FOCUS,
    LEAN,
    ONE_DAY,
    SEVERAL_DAYS,
    WEEKDAYS,
    WEEKENDS,
    day_part,
    persona_names,
)
from lib.audience.result import NOISE, SegmentResult, SegmentSettings
from lib.audience.segments import fit_segments, posts_with_segments
from lib.audience.views import change_text, segment_kpis, turning, typical_posts
from lib.audience.wording import clean_label, trust_note
from lib.audience.wording import tone as tone_of
from lib.ingest.build import ImportOptions, build_posts, open_sources
from lib.listening.enrich import enrich
from lib.pipeline import segment_settings
from lib.store.results import Stored
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def connectsphere():
    posts = build_posts(open_sources([ROOT / "sample_data" / "connectsphere.csv"]), ImportOptions()).posts
    frame = enrich(posts).frame
    return frame, fit_segments(frame)


def test_planted_segments_are_found_and_personas_read_like_them(connectsphere):
    frame, res = connectsphere
    truth = frame.groupby("author")["truth_segment"].first()
    a = res.authors.set_index("author")
    assert "truth_segment" not in res.groups.get("activity", [])  # the answer is never a feature
    assert not any(c.startswith("truth") for cols in res.groups.values() for c in cols)
    ari = adjusted_rand_score(truth.loc[a.index], a["segment"])
    assert ari >= 0.8, ari
    assert res.metrics["segments"] == 4 and res.metrics["noise_share"] < 0.1
    # a re-run with another seed agrees well but not perfectly: seed 43 merges two segments (0.73; 0.98 in an
    # earlier environment with the same pins), so the bar is "clearly stable", not "identical"
    assert res.metrics["stability_ari"] >= 0.7
    names = dict(zip(res.personas["segment"], res.personas["name"]))
    majority = pd.crosstab(truth.loc[a.index], a["segment"]).idxmax(axis=1)
    found = {planted: names[seg].lower() for planted, seg in majority.items()}
    assert "power" in found["Power users"] and "advocates" in found["Power users"]
    assert "critic" in found["Skeptics/strugglers"]
    assert "cautious" in found["Cautious adopters"]
    assert "onlookers" in found["Feature ignorers"] and "rare" in found["Feature ignorers"]
    desc = dict(zip(res.personas["segment"], res.personas["description"]))
    assert "influential" in desc[majority["Power users"]]
    # posts carry their author's segment; KPI and typical-post views read it
    seg = posts_with_segments(frame, res)
    assert (seg["segment"] >= 0).mean() > 0.9
    assert seg.groupby("author")["segment"].nunique().max() == 1
    k = segment_kpis(seg)
    assert k["posts"].sum() == len(frame)
    same = posts_with_segments(frame, res, persona_names(res).assign(name="Same name"))  # a user's duplicate name
    assert len(segment_kpis(same)) == len(k)  # segments stay apart
    assert k["engagement_per_post"].gt(0).all()
    counted = [c for c in ("likes", "comments", "shares", "saves") if c in seg]
    assert counted and "engagement_per_post" not in segment_kpis(seg.drop(columns=counted))  # not 0.0: no counts
    top = typical_posts(seg, res.authors, majority["Power users"])
    assert len(top) == 3 and set(top["author"]) <= set(a.index[a["segment"] == majority["Power users"]])


def test_same_settings_and_seed_give_the_same_segments(connectsphere):
    frame, res = connectsphere
    again = fit_segments(frame)
    assert np.array_equal(again.authors["segment"].to_numpy(), res.authors["segment"].to_numpy())
    assert np.allclose(again.authors["x"], res.authors["x"])


def test_author_features_by_hand():
    frame = pd.DataFrame({
        "post_id": ["1", "2", "3", "4"], "author": ["a", "a", "b", "c"],
        "created_at": pd.to_datetime(["2024-01-01 10:00", "2024-01-03 10:00", "2024-01-06 22:00",
                                      "2024-01-07 09:00"], utc=True),
        "likes": [10, 0, 5, 1], "comments": [2, 0, 0, 1], "shares": [0, 0, 5, 0], "reach": [100, 100, 0, 10],
        "followers": [50, 60, 1000, None], "sentiment": [0.5, -0.5, 0.0, 0.9],
        "sentiment_label": ["positive", "negative", "neutral", "positive"],
        "platform": ["x", "reddit", "x", "x"]})
    t, groups = author_features(frame)
    assert t.loc["a", "posts"] == 2 and t.loc["a", "active_days"] == 2
    assert t.loc["a", "days_since_last"] == pytest.approx(4 - 1 / 24)  # last post 2024-01-07 09:00
    assert t.loc["a", "usual_hour"] == pytest.approx(10)
    assert t.loc["b", "weekend_share"] == 1.0  # a Saturday
    assert t.loc["a", "engagement_rate"] == pytest.approx(12 / 200)
    assert np.isnan(t.loc["b", "engagement_rate"])  # no reach: no rate, not zero
    assert t.loc["a", "followers"] == 60 and np.isnan(t.loc["c", "followers"])
    assert t.loc["a", "negative_share"] == 0.5 and t.loc["a", "sentiment_spread"] == pytest.approx(0.5)
    assert t.loc["a", "platform: reddit"] == 0.5 and t.loc["c", "platform: x"] == 1.0
    assert set(groups) >= {"activity", "engagement", "influence", "sentiment", "platform"}
    assert "emotion" not in groups and "topics" not in groups  # the data has none
    t, groups = author_features(frame.assign(topic=[0, -1, 1, 0], topic_label=["price", "x", "taste", "price"]))
    assert set(groups["topics"]) == {"topics: price", "topics: Outliers", "topics: taste"}  # -1 reads as outlier
    assert t.loc["a", "topics: price"] == 0.5 and t.loc["a", "topics: Outliers"] == 0.5


def test_each_group_gets_the_same_say_times_its_weight():
    rng = np.random.default_rng(0)
    t = pd.DataFrame({"posts": rng.integers(1, 50, 200), "followers": rng.lognormal(5, 2, 200)})
    for i in range(10):
        t[f"topics: t{i}"] = rng.random(200)
    groups = {"activity": ["posts"], "influence": ["followers"], "topics": [f"topics: t{i}" for i in range(10)]}
    m, used = design_matrix(t, groups, ("activity", "influence", "topics"), {"influence": 2.0})
    assert used == ["activity", "influence", "topics"]
    var = m.var(axis=0)
    assert var[0] == pytest.approx(1) and var[1] == pytest.approx(4) and var[2:].sum() == pytest.approx(1)
    _, used = design_matrix(t.assign(posts=3), groups, ("activity", "topics"))
    assert used == ["topics"]  # a constant group says nothing and is skipped


def test_no_authors_and_thin_data_are_said_and_posts_can_be_grouped_instead():
    rng = np.random.default_rng(1)
    n = 120
    posts = pd.DataFrame({"post_id": [str(i) for i in range(n)], "text": ["x"] * n,
                          "likes": rng.integers(0, 100, n), "comments": rng.integers(0, 10, n),
                          "sentiment": rng.uniform(-1, 1, n),
                          "platform": rng.choice(["x", "facebook"], n)})
    cov = author_coverage(posts)
    assert not cov["has_authors"] and "no author" in cov["why"]
    res = fit_segments(posts, SegmentSettings(unit="posts"))
    assert len(res.authors) == n and res.metrics["unit"] == "posts"
    assert (posts_with_segments(posts, res)["segment"].to_numpy() == res.authors["segment"].to_numpy()).all()
    one_each = posts.assign(author=[f"u{i}" for i in range(n)])
    assert "one post" in author_coverage(one_each)["why"]
    with pytest.raises(ValueError, match="at least 20"):
        fit_segments(posts.head(10), SegmentSettings(unit="posts"))


def test_segments_of_posts_are_named_as_posts_on_real_facebook_insights(shared):
    """A cosmetics brand's 500 real Facebook posts (no author, no text): the segments were all named "Authors",
    "Authors #2", ... The names now say posts, and engagement where a segment's differs from the median post."""
    from lib.audience.charts import segment_sizes
    from lib.ingest.build import ImportOptions, build_posts, open_sources

    posts = build_posts(open_sources([shared / "facebook_metrics" / "dataset_Facebook.csv"]), ImportOptions()).posts
    res = fit_segments(posts, SegmentSettings(unit="posts"))
    named = res.personas[res.personas["segment"] != -1]
    assert len(named) >= 3 and not named["name"].str.contains("uthor").any(), named["name"].tolist()
    assert named["name"].str.contains("posts", case=False).all()
    assert named["name"].str.startswith(("High-engagement", "Low-engagement")).any()
    assert named["description"].str.contains("engagements per post vs").all()  # every segment's figures
    e = res.authors["engagement_per_post"]
    for _, r in named.iterrows():  # "high" = its median post in the top quarter of all posts, "low" the bottom
        mine = e[res.authors["segment"] == r["segment"]].median()
        assert f"median {mine:,.0f} engagements per post" in r["description"]
        assert r["name"].startswith("High-engagement") == ((e < mine).mean() >= 0.75)
        assert r["name"].startswith("Low-engagement") == ((e < mine).mean() <= 0.25)
    assert set(segment_sizes(res.personas, "posts").data["measure"]) == {"of posts"}
    note = trust_note(res.metrics, None, "posts")
    assert "authors" not in note


def test_posts_without_authors_get_few_sturdy_segments_each_named_by_what_sets_it_apart(shared):
    """The same 500 Facebook posts with the pipeline's defaults: the 3 % default made 15 segments, five of them
    named "Posts", "Posts #6", ... (nothing set them apart). With no author column the smallest segment is 5 %
    of the posts in a neighbourhood of 30: fewer segments that a second seed finds again, and no bare "Posts"."""
    posts = build_posts(open_sources([shared / "facebook_metrics" / "dataset_Facebook.csv"]), ImportOptions()).posts
    frame = posts  # no text: nothing to enrich
    settings = segment_settings(frame)
    assert (settings.unit, settings.neighbours, settings.min_segment) == ("posts", 30, 25)
    res, before = fit_segments(frame, settings), fit_segments(frame, SegmentSettings(unit="posts"))
    assert 2 <= res.metrics["segments"] <= 6 < before.metrics["segments"]  # 3 against 15 when measured
    # 0.84-1.00 under seven roundings of the design matrix, as other machines' floats may differ (features.py)
    assert res.metrics["stability_ari"] > max(0.8, before.metrics["stability_ari"])
    names = res.personas.loc[res.personas["segment"] != NOISE, "name"]
    assert not names.isin(["Posts", "Authors"]).any() and not names.str.contains("#").any(), names.tolist()
    for _, p in res.personas[names.str.contains(" · ").reindex(res.personas.index, fill_value=False)].iterrows():
        assert p["top_content"] == p["name"].split(" · ")[1]  # the post type that sets it apart, and holds
        assert p["top_content_share"] >= 0.25 and p["top_content_share"] >= 1.5 * p["top_content_overall"]
    typical = res.personas[res.personas["name"] == "Typical posts"]
    assert len(typical) >= 1  # the largest segment when measured (318 of 500 posts)
    e = res.authors["engagement_per_post"]
    for seg in typical["segment"]:  # "typical": its median post is in the middle half of all posts
        assert 0.25 < (e < e[res.authors["segment"] == seg].median()).mean() < 0.75


def test_a_plain_name_takes_the_trait_that_sets_its_segment_apart():
    from lib.audience.personas import _tell_apart

    out = _tell_apart(pd.DataFrame({"segment": [0, 1, 2, 3, NOISE],
                                    "name": ["Typical posts", "Posts", "Critical posts", "Typical posts",
                                             "Unassigned (noise)"],
                                    "signature": ["", "text", "", "video", "photo"]}))
    assert out["name"].tolist() == ["Typical posts", "Posts · text", "Critical posts", "Posts · video",
                                    "Unassigned (noise)"]


def test_namesakes_with_no_single_trait_are_told_apart_by_the_few_topics_they_gather():
    """In a real support inbox (Banking77) two segments of critical posts had no trait that holds for a quarter of
    their posts, and one was "Critical posts #7": a number tells a reader nothing. Its few over-represented topics
    together do (33 % about failed transfers or cancelled card payments, 6 % overall)."""
    from lib.audience.personas import _per_post, _tell_apart, _topic_mix

    cols = ["topics: transfer failed · message · error", "topics: card payment · cancelled", "topics: fees",
            "topics: Outliers"]
    rows = [[0.18, 0.15, 0.02, 0.65], [0.01, 0.02, 0.20, 0.77], [0.01, 0.01, 0.01, 0.97]]
    authors = pd.DataFrame([dict(zip(cols, r)) | {"segment": s, "posts": 1} for s, r in enumerate(rows)])
    groups = {"topics": cols}
    overall = {"topics": _per_post(authors, cols)}
    words, figure = _topic_mix(authors[authors["segment"] == 0], groups, overall)
    assert words == "transfer failed, card payment"
    assert figure == "33% of posts about transfer failed or card payment (vs 13% overall)"
    assert _topic_mix(authors[authors["segment"] == 1], groups, overall) == ("", "")  # 20 %: no real part
    out = _tell_apart(pd.DataFrame({"segment": [0, 1, 2], "name": ["Critical posts"] * 3, "signature": ["", "", ""],
                                    "description": ["critical", "critical", "critical"]}),
                      {s: _topic_mix(authors[authors["segment"] == s], groups, overall) for s in range(3)})
    assert out["name"].tolist() == ["Critical posts", "Critical posts #2", "Critical posts #3"]  # the first keeps it
    out = _tell_apart(pd.DataFrame({"segment": [1, 0], "name": ["Critical posts"] * 2, "signature": ["", ""],
                                    "description": ["critical", "critical"]}),
                      {s: _topic_mix(authors[authors["segment"] == s], groups, overall) for s in range(2)})
    assert out["name"].tolist() == ["Critical posts", "Critical posts · transfer failed, card payment"]
    assert out["description"].iloc[1] == f"critical; {figure}"


def test_namesakes_alike_in_every_trait_are_told_apart_by_their_tone_lean():
    """On 2,000 real tweets in four languages three segments were "Neutral posts", "#4" and "#7": all 100 % neutral,
    no trait, no topics. The second's mean sentiment score is +0.19; the third's posts all scored 0 (no opinion
    words). A lean the name already says ("Critical posts · leaning negative") is never added."""
    from lib.audience.personas import _leans, _tell_apart

    scores = {0: [-0.1, -0.05, -0.08, 0.0], 1: [0.2, 0.15, 0.25, 0.16], 2: [0.0, 0.0, 0.0, 0.001],
              3: [-0.5, -0.6, -0.4, -0.5], 4: [-0.45, -0.3, -0.5, -0.4]}
    authors = pd.DataFrame([{"segment": s, "posts": 1, "mean_sentiment": v, "sentiment_spread": 0.0}
                            for s, vs in scores.items() for v in vs])
    leans = _leans(authors, {"mean_sentiment": 0.03})
    assert leans[1] == ("leaning positive", "mean sentiment score +0.19 vs +0.03 overall")
    assert leans[2] == ("no tone found", "100% of posts in which the models found no tone (sentiment score 0)")
    assert 0 not in leans and leans[3][0] == leans[4][0] == "leaning negative"
    out = _tell_apart(pd.DataFrame({"segment": [0, 1, 2, 3, 4, NOISE],
                                    "name": ["Neutral posts"] * 3 + ["Critical posts"] * 2 + ["Unassigned (noise)"],
                                    "signature": [""] * 6, "description": ["mostly neutral"] * 3 + ["critical"] * 3}),
                      {}, leans)
    assert out["name"].tolist() == ["Neutral posts", "Neutral posts · leaning positive",
                                    "Neutral posts · no tone found", "Critical posts", "Critical posts #5",
                                    "Unassigned (noise)"]
    assert out["description"].iloc[1] == "mostly neutral; mean sentiment score +0.19 vs +0.03 overall"
    by_author = _leans(authors, {}, "authors")[2][1]
    assert by_author == "100% of authors in whose posts the models found no tone (sentiment score 0)"
    # namesakes that already carry a trait keep it beside their lean
    both = _tell_apart(pd.DataFrame({"segment": [0, 1], "name": ["Neutral posts"] * 2, "signature": ["joy", "joy"],
                                     "description": ["", ""]}), {}, leans)
    assert both["name"].tolist() == ["Neutral posts · joy", "Neutral posts · joy · leaning positive"]
    # namesakes that lean alike (all critical): their mean scores tell them apart, where they differ
    critical = pd.DataFrame({"segment": [0, 1, 2, 3], "name": ["Critical posts"] * 4, "signature": [""] * 4,
                             "description": ["critical"] * 4, "mean_sentiment": [-0.351, -0.76, -0.598, -0.31]})
    named = _tell_apart(critical.copy(), {}, {s: ("leaning negative", "") for s in range(4)})
    assert named["name"].tolist() == ["Critical posts · mean score -0.35", "Critical posts · mean score -0.76",
                                      "Critical posts · mean score -0.60", "Critical posts · mean score -0.31"]
    assert named["description"].iloc[1] == "critical; mean sentiment score -0.76"
    alike = critical.assign(mean_sentiment=[-0.351, -0.76, -0.349, np.nan])  # two the same to 2 decimals, one unread
    assert _tell_apart(alike, {}, {})["name"].tolist() == ["Critical posts", "Critical posts #2",
                                                           "Critical posts #3", "Critical posts #4"]
    # a pair of author namesakes, one posting in one day and the other across days (14,640 real airline tweets:
    # "Power authors · mean score +0.01" and "+0.02", 3.1 posts on 1.0 day and 3.5 on 1.8), told so first
    power = pd.DataFrame({"segment": [0, 1], "name": ["Power authors"] * 2, "signature": ["", ""],
                          "description": ["very active", "very active"], "mean_sentiment": [0.01, 0.02]})
    named = _tell_apart(power.copy(), {}, {}, {0: 1.0, 1: 1.75})
    assert named["name"].tolist() == ["Power authors · in one day", "Power authors · across days"]
    assert named["description"].tolist() == ["very active; posting on 1.0 day per author on average",
                                             "very active; posting on 1.8 days per author on average"]
    for days in ({0: 1.0, 1: 1.3}, {0: 1.25, 1: 2.0}, {}):  # no clear one-day and several-day pair
        assert _tell_apart(power.copy(), {}, {}, days)["name"].str.contains("mean score").all()


def test_namesakes_split_by_the_weekend_are_told_so():
    """7,290 real Google Play reviews, dated by day, no authors: segments of posts, whose weekend share is 0 or 1,
    came in pairs of each tone, one of weekend posts; one of a pair was "Critical posts · complaint / issue" (86 %
    complaints) beside a "Critical posts" with 85 %, the enthusiastic pair "mean score +0.12" and "+0.15". A trait
    names a namesake only where it sets it apart (1.5 times as common); a pair split by the weekend says so."""
    from lib.audience.personas import _apart_from_namesakes, _tell_apart

    col = "intent: complaint / issue"
    authors = pd.DataFrame({"segment": [0] * 20 + [1] * 20 + [2] * 20, "posts": 1,
                            col: [1.0] * 17 + [0.0] * 3 + [1.0] * 17 + [0.0] * 3 + [0.0] * 20,
                            "intent: other": [0.0] * 17 + [1.0] * 3 + [0.0] * 17 + [1.0] * 3 + [1.0] * 20,
                            "weekend_share": [0.0] * 20 + [1.0] * 20 + [0.0] * 10 + [1.0] * 10})
    groups = {"intent": [col, "intent: other"]}
    out = pd.DataFrame({"segment": [0, 1, 2], "name": ["Critical posts", "Critical posts", "Neutral posts"],
                        "signature": ["complaint / issue"] * 2 + [""], "description": ["critical"] * 2 + ["neutral"]})
    overall = {"intent": authors[groups["intent"]].mean()}
    apart = _apart_from_namesakes(out.copy(), authors, groups, overall, {})
    assert apart["signature"].tolist() == ["", "", ""]  # 85 % against 85 %: complaints set neither apart
    named = _tell_apart(apart.copy(), {}, {}, None, {0: 0.0, 1: 1.0, 2: 0.5})
    assert named["name"].tolist() == ["Critical posts · on weekdays", "Critical posts · on weekends", "Neutral posts"]
    assert named["description"].tolist() == ["critical; none of its posts written on a weekend",
                                             "critical; all its posts written on a weekend", "neutral"]
    mixed = _tell_apart(apart.copy(), {}, {}, None, {0: 0.0, 1: 0.6})  # not split by the weekend: numbered
    assert mixed["name"].tolist()[:2] == ["Critical posts", "Critical posts #2"]
    more = authors.assign(**{col: [1.0] * 20 + [1.0] * 8 + [0.0] * 12 + [0.0] * 20})  # 100 % against 40 %
    kept = _apart_from_namesakes(out.copy(), more, groups, {"intent": more[groups["intent"]].mean()}, {})
    assert kept["signature"].tolist()[0] == "complaint / issue"


def test_a_plain_name_takes_its_time_of_day_only_where_its_hours_gather():
    """Two segments with no trait to tell them apart: named by the time of day their authors post at when
    their hours gather there, else numbered (on TweetEval's tweets, times spread round the clock, "Authors" and
    "Authors #2" differed by no hour at all)."""
    from lib.audience.personas import _tell_apart

    def names(focus: float) -> list[str]:
        return _tell_apart(pd.DataFrame({"segment": [0, 1, NOISE], "name": ["Authors", "Authors", "Unassigned"],
                                         "signature": ["", "", ""], "usual_hour": [13.6, 19.2, 16.0],
                                         "hour_focus": [focus, focus, focus]}))["name"].tolist()

    assert names(0.7) == ["Authors · afternoons", "Authors · evenings", "Unassigned"]
    assert names(0.02) == ["Authors", "Authors #2", "Unassigned"]
    assert [day_part(h) for h in (4.4, 4.6, 11.4, 16.6, 21.4, 23.9)] == \
        ["nights", "mornings", "mornings", "evenings", "evenings", "nights"]


def test_a_description_gives_a_usual_hour_only_where_the_hours_gather():
    from lib.audience.personas import _describe

    row = {"posts_per_author": 2.0, "positive_share": 0.3, "negative_share": 0.3, "usual_hour": 13.0}
    base = {"posts": 2.0, "positive_share": 0.3, "negative_share": 0.3, "followers": np.nan}
    assert "usually posts around 13:00" in _describe({**row, "hour_focus": 0.8}, base, "authors", {})[1]
    assert "usually posts" not in _describe({**row, "hour_focus": 0.05}, base, "authors", {})[1]


def test_dates_without_a_time_of_day_give_no_usual_hour(connectsphere):
    """A file of dates only ("2024-03-01", stored as midnight) made every segment "usually post around 00:00" and
    named one "Authors · nights": without a time of day there is no hour to say, in either engine's features, and
    the forecast does not learn one; with times, nothing changes."""
    from lib.foresight.features import post_features
    from lib.ingest.schema import clock_hours

    stamps = pd.Series(pd.to_datetime(["2024-03-01 00:00:00", "2024-03-01 14:30:00", None, "2024-03-02 00:00:05"],
                                      utc=True))
    hours = clock_hours(stamps)
    assert hours.isna().tolist() == [True, False, True, False] and hours[1] == 14.5
    frame, timed = connectsphere
    dated = frame.assign(created_at=frame["created_at"].dt.floor("D"))
    features, groups = author_features(dated)
    assert not {"hour_sin", "hour_cos"} & set(features.columns) and "hour_sin" not in groups["activity"]
    assert {"hour_sin", "hour_cos"} <= set(author_features(frame)[0].columns)
    res = fit_segments(dated)
    said = " ".join(res.personas["name"].astype(str) + " " + res.personas["description"].astype(str))
    assert "00:00" not in said and "night" not in said and "usual_hour" not in res.personas
    assert "hour" not in post_features(dated)[0] and "hour" in post_features(frame)[0]
    assert "usually posts around" in " ".join(timed.personas["description"].astype(str))  # times still said


def test_segments_that_are_mostly_spam_are_named_so_on_real_youtube_comments(shared):
    """UCI's YouTube comments (human spam labels): one "Onlookers" segment was 91 % spam authors. A segment
    whose posts are mostly link spam or self-promotion is now called so, keeping its tone in the name ("Critical
    self-promoters"), and the others are mostly people."""
    import glob

    from lib.ingest.build import ImportOptions, build_posts, open_sources
    from lib.listening.enrich import enrich

    files = sorted(glob.glob(str(shared / "youtube_spam" / "Youtube0*.csv")))
    frame = enrich(build_posts(open_sources(files), ImportOptions()).posts).frame
    res = fit_segments(frame, SegmentSettings())
    spam = pd.to_numeric(posts_with_segments(frame, res)["CLASS"])
    truth = spam.groupby(posts_with_segments(frame, res)["segment"]).mean()
    named = res.personas[res.personas["segment"] != -1].set_index("segment")
    promoters = named["name"].str.contains("self-promoters", case=False)
    assert promoters.any() and (~promoters).any()
    for name, says in named.loc[promoters, ["name", "description"]].itertuples(index=False):
        for tone, word in (("critical (", "Critical"), ("enthusiastic (", "Enthusiastic"), ("neutral (", "Neutral")):
            # the tone is not lost to the spam (after an activity word, if any: "Power enthusiastic self-promoters")
            assert (tone in says) == (word.lower() in name.lower().split()), (name, says)
    named_spam, others = truth[promoters[promoters].index], truth[promoters[~promoters].index]
    # by the human labels, every segment so named is mostly spam, the others mostly people, and the name parts them
    # (one machine: named 0.60-1.00, others at most 0.54; another: named at least 0.60; with the tone over the posts
    # a model read, one named 0.50: "at least half", as the name's rule `SPAM_SEGMENT` reads its own flags)
    assert named_spam.min() >= 0.5 and others.max() <= 0.6 and named_spam.min() > others.max()
    assert named.loc[promoters, "description"].str.contains("of posts are link spam or self-promotion").all()
    # the others say it too where a real part of their posts is spam: two "Advocates" were 44 % and 40 % spam by the
    # labels, and said only "enthusiastic"
    spammy = truth.reindex(named.index) >= 0.3
    assert (~promoters & spammy).any()
    assert named.loc[spammy, "description"].str.match(r"\d+% of posts are link spam or self-promotion").all()


def test_segments_are_stored_reopened_and_renamed(connectsphere, workspace):
    frame, res = connectsphere
    none = pd.DataFrame({"row": pd.Series([], dtype=int)})
    ds = workspace.save_dataset("cs", frame[["post_id", "text", "author"]], none, {})
    workspace.save_result(ds, res)
    back = workspace.load_result(ds, SegmentResult)
    assert back.settings == res.settings and back.metrics["segments"] == res.metrics["segments"]
    assert back.authors["segment"].tolist() == res.authors["segment"].tolist()
    assert back.personas["name"].tolist() == res.personas["name"].tolist()
    workspace.set_persona_edits(ds, pd.DataFrame({"segment": [0], "name": ["Champions"], "description": [None]}))
    names = persona_names(back, workspace.persona_edits(ds))
    assert names.set_index("segment").at[0, "name"] == "Champions"
    assert names.set_index("segment").at[0, "description"] == res.personas.set_index("segment").at[0, "description"]
    workspace.save_result(ds, res)  # a refit names new segments: old edits go
    assert workspace.persona_edits(ds).empty
    workspace.delete(ds)
    assert workspace.load_result(ds, SegmentResult) is None


def test_settings_and_result_round_trip_through_the_store_protocol(connectsphere):
    _, res = connectsphere
    settings = SegmentSettings(groups=("activity", "sentiment"), weights=(("sentiment", 2.0),), seed=7, unit="posts")
    assert SegmentSettings.from_json(settings.to_json()) == settings  # lists come back as (nested) tuples
    assert hash(SegmentSettings.from_json(settings.to_json())) == hash(settings)  # usable as a cache key
    old = json.loads(settings.to_json()) | {"retired_option": 1}
    del old["weights"]
    assert SegmentSettings.from_json(json.dumps(old)) == replace(settings, weights=())  # older saves still load
    with pytest.raises(FrozenInstanceError):
        res.metrics = {}  # type: ignore[misc]
    stored = res.to_stored()
    assert SegmentResult.family == "segments" and set(stored.frames) == {"authors", "personas"}
    back = SegmentResult.from_stored(Stored(json.loads(json.dumps(stored.meta)), stored.frames, stored.blobs))
    assert back.settings == res.settings and back.groups == res.groups and back.metrics == res.metrics
    pd.testing.assert_frame_equal(back.authors, res.authors)
    pd.testing.assert_frame_equal(back.personas, res.personas)


def test_a_segment_turning_negative_is_flagged():
    days = pd.date_range("2024-01-01", periods=90, freq="D", tz="UTC")
    rows = []
    for i, d in enumerate(days):
        late = i >= 60
        rows += [{"created_at": d, "segment": 0, "segment_name": "Loyal", "sentiment_label": "positive", "likes": 10},
                 {"created_at": d, "segment": 1, "segment_name": "Cautious",
                  "sentiment_label": "negative" if late and i % 3 else "positive", "likes": 2 if late else 10},
                 {"created_at": d, "segment": NOISE, "segment_name": "noise", "sentiment_label": "negative",
                  "likes": 0}]
    t = turning(pd.DataFrame(rows)).set_index("segment_name")
    assert t.at["Cautious", "verdict"] == "turning negative, losing engagement"
    assert t.at["Loyal", "verdict"] == "steady" and "noise" not in t.index
    assert t.at["Cautious", "net_change"] == pytest.approx(-2 / 3 * 2, abs=0.05)


def test_real_youtube_comments_segment_with_an_honest_note(shared):
    files = sorted(glob.glob(str(shared / "youtube_spam" / "Youtube0*.csv")))
    posts = build_posts(open_sources(files), ImportOptions()).posts
    cov = author_coverage(posts)
    assert cov["has_authors"] and cov["repeat_share"] < 0.2 and "single post" in cov["why"]
    res = fit_segments(enrich(posts).frame)
    assert res.metrics["segments"] >= 2 and len(res.authors) == cov["authors"]
    assert set(res.personas["segment"]) >= {0, 1}


def _assert_names_match_numbers(res, frame):
    """Every word of a generated name is backed by its numbers, measured against the whole dataset."""
    neg = (frame["sentiment_label"] == "negative").mean()
    pos = (frame["sentiment_label"] == "positive").mean()
    median = res.authors["posts"].median()
    for _, p in res.personas[res.personas["segment"] != NOISE].iterrows():
        name = p["name"].lower()
        if "critic" in name:
            assert p["negative_share"] >= neg + 0.10, (p["name"], p["negative_share"], neg)
        if "advocate" in name:
            assert p["positive_share"] >= pos + 0.10, (p["name"], p["positive_share"], pos)
        if "power" in name:
            assert p["posts_per_author"] >= 2 * median, (p["name"], p["posts_per_author"], median)
        if "rare" in name:
            assert p["posts_per_author"] < median, (p["name"], p["posts_per_author"], median)
        for trait in p["name"].split(" #")[0].split(" · ")[1:]:  # each trait in the name holds for the segment
            if trait in ("mornings", "afternoons", "evenings", "nights"):  # the time of day its hours gather at
                assert p["hour_focus"] >= HOUR_FOCUS and day_part(p["usual_hour"]) == trait
                continue
            if trait.startswith("leaning "):  # its tone's lean: the mean score that far from 0, that way
                assert p["mean_sentiment"] * (1 if trait.endswith("positive") else -1) >= LEAN, (p["name"], p)
                continue
            if trait.startswith("mean score "):  # namesakes told apart by their mean sentiment score, as it is
                assert round(p["mean_sentiment"], 2) == float(trait.removeprefix("mean score ")), (p["name"], p)
                continue
            if trait in ("on weekends", "on weekdays"):  # the share of its posts written on a Saturday or Sunday
                share = res.authors.loc[res.authors["segment"] == p["segment"], "weekend_share"].mean()
                assert share >= WEEKENDS if trait == "on weekends" else share <= WEEKDAYS, (p["name"], share)
                continue
            if trait in ("in one day", "across days"):  # the days its authors posted on, on average
                days = res.authors.loc[res.authors["segment"] == p["segment"], "active_days"].mean()
                assert days < ONE_DAY if trait == "in one day" else days >= SEVERAL_DAYS, (p["name"], days)
                continue
            if trait == "no tone found":  # most of its members scored exactly 0
                scores = res.authors.loc[res.authors["segment"] == p["segment"], "mean_sentiment"]
                assert (scores.abs() < 0.005).mean() >= FLAT, (p["name"], scores.describe())
                continue
            g = next(g for g in ("topics", "platform", "content", "intent", "emotion") if p.get(f"top_{g}") == trait)
            assert p[f"top_{g}_share"] >= 0.25 and p[f"top_{g}_share"] >= 1.5 * p[f"top_{g}_overall"]
        assert "overall" in p["description"]  # its numbers stand beside the dataset's


def test_persona_names_never_contradict_their_numbers(connectsphere):
    frame, res = connectsphere
    _assert_names_match_numbers(res, frame)
    crit = res.personas[res.personas["name"].str.contains("critic", case=False)].iloc[0]
    assert f"{crit['negative_share']:.0%} negative vs " in crit["description"]


def test_thin_data_gets_fewer_sturdier_segments_and_honest_names(shared):
    posts = build_posts(open_sources([shared / "sentiment140_test" / "testdata.manual.2009.06.14.csv"]),
                        ImportOptions()).posts
    frame = enrich(posts).frame
    assert author_coverage(frame)["median_posts"] <= 2
    settings = segment_settings(frame)
    assert settings.neighbours == 30 and settings.min_segment == 49
    thin, before = fit_segments(frame, settings), fit_segments(frame, SegmentSettings(unit=settings.unit))
    assert thin.metrics["segments"] < before.metrics["segments"]  # 3 against 15 when measured
    assert thin.metrics["silhouette"] > before.metrics["silhouette"]
    _assert_names_match_numbers(thin, frame)
    _assert_names_match_numbers(before, frame)
    assert not any(w in n.lower() for n in thin.personas["name"] for w in ("power", "rare", "occasional"))
    note = trust_note(thin.metrics, author_coverage(frame)["median_posts"])
    assert f"Stability {thin.metrics['stability_ari']:.2f}" in note and "one or two posts" in note
    cs = build_posts(open_sources([ROOT / "sample_data" / "connectsphere.csv"]), ImportOptions()).posts
    assert segment_settings(cs) == SegmentSettings()  # repeat authors keep the usual defaults


def test_thin_data_critics_are_a_segment_not_the_noise(shared):
    """Real tweets and YouTube comments as one export (1,568 posts by 1,492 authors), topics found first as the app
    does. The first time through the app the noise was 86 % negative and no segment critical; with tone weighed
    twice in thin data a "Critics" segment holds the critics on X, and the YouTube critics, 138 authors just under
    the smallest segment (149), are the noise in some runs (seed 42) and in "Critics" in others (43): the noise's
    card says it is critical. Which of the two a run gives turns on UMAP, so the test asks that no critic is
    hidden, not where the line falls."""
    from lib.pipeline import topic_settings, with_user_topics
    from lib.topics.fit import fit_topics

    data = shared / "youtube_spam"
    files = [shared / "sentiment140_test" / "testdata.manual.2009.06.14.csv",
             *(data / f"Youtube0{i}.csv" for i in ("1-Psy", "2-KatyPerry", "5-Shakira"))]
    frame = enrich(build_posts(open_sources(files), ImportOptions()).posts).frame
    frame = with_user_topics(frame, fit_topics(frame, topic_settings(frame)), None)
    settings = segment_settings(frame)
    assert dict(settings.weights) == {"sentiment": 2.0}
    res = fit_segments(frame, settings)
    _assert_names_match_numbers(res, frame)
    p = res.personas.set_index("segment")
    critics = p[(p.index != NOISE) & p["name"].str.lower().str.contains("critic")]
    assert len(critics) >= 1 and (critics["negative_share"] >= 0.9).all() and critics["authors"].sum() >= 150
    said = NOISE in p.index and "critical (" in p.loc[NOISE, "description"]
    shown = set(critics.index) | ({NOISE} if said else set())
    negative = res.authors[res.authors["negative_share"] >= 0.5]
    assert negative["segment"].isin(shown).mean() >= 0.9  # no critic hidden in another segment or a silent noise
    if NOISE in p.index and p.loc[NOISE, "negative_share"] >= 0.9:
        assert "critical (" in p.loc[NOISE, "description"]


def test_trust_note_says_in_plain_words_how_far_segments_hold():
    rough = trust_note({"stability_ari": 0.52, "silhouette": 0.12})
    assert rough.startswith("Stability 0.52: a second run with another seed agrees only partly")
    assert "overlap" in rough and rough.endswith("rough grouping.")
    assert trust_note({"stability_ari": 0.95, "silhouette": 0.4}).endswith("act on.")
    # a silhouette of 0.27 is a loose structure (Kaufman & Rousseeuw), not segments that "stand clearly apart"
    assert "distinct but loose" in trust_note({"silhouette": 0.27})
    assert "stand clearly apart" in trust_note({"silhouette": 0.6})
    assert "one or two posts" in trust_note({"stability_ari": 0.95, "silhouette": 0.4}, median_posts=1)


_PROFANE = {"fuck", "fucking", "fucked", "shit", "shitty", "told", "lol", "bitch"}


def test_profanity_and_stop_words_never_name_a_persona():
    """A Reddit-like set: four critical segments whose topics are full of profanity and stop words."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    assert clean_label("fuck · fucking · told") == "" and clean_label("the · fees · shit") == "fees"
    # a two-character Japanese or Korean word is a word, two Latin letters a fragment: segments of a real
    # four-language export that were 100 % about "今日 · 自分 · 最近" were named "Critical posts #14", "#15"
    assert clean_label("今日 · 自分 · 最近") == "今日 · 自分 · 最近" and clean_label("ok · 서울 · tv") == "서울"
    rng = np.random.default_rng(3)
    start = pd.Timestamp("2024-03-01", tz="UTC")
    topics = ["fuck · fucking · told", "the · fees · shit", "gme · moon · fucked", "just · like · lol"]
    rows = []
    for a in range(240):
        grp = a % 4
        for i in range(int(rng.integers(2, 6))):
            neg = rng.random() < 0.8
            rows.append({"post_id": f"{a}-{i}", "author": f"u{a}", "platform": "reddit", "text": "x",
                         "created_at": start + pd.Timedelta(hours=int(rng.integers(0, 900))),
                         "likes": int(rng.integers(0, 50)), "comments": int(rng.integers(0, 9)),
                         "sentiment": -0.6 if neg else 0.1, "sentiment_label": "negative" if neg else "neutral",
                         "topic": grp if rng.random() < 0.9 else (grp + 1) % 4,
                         "emotion": "anger", "intent": "complaint / issue"})
    frame = pd.DataFrame(rows)
    frame["topic_label"] = frame["topic"].map(dict(enumerate(topics)))
    frame = pd.concat([frame, frame.assign(author=frame["author"] + "b", sentiment_label="positive", sentiment=0.6,
                                           post_id=frame["post_id"] + "b", topic=-1, topic_label="Outliers",
                                           emotion="joy", intent="praise / advocacy")], ignore_index=True)
    res = fit_segments(frame, SegmentSettings(groups=("sentiment", "topics")))
    assert res.metrics["segments"] >= 3
    names = res.personas["name"].tolist()
    words = {w.lower() for n in names for w in n.replace("·", " ").replace("#", " ").split()}
    assert not words & _PROFANE and not words & set(ENGLISH_STOP_WORDS), names
    descs = " ".join(res.personas["description"]).lower().replace("·", " ").replace(";", " ")
    assert not set(descs.split()) & _PROFANE
    assert any("fees" in n or "gme" in n for n in names)  # a clean topic word still tells critics apart


def test_a_flag_never_prints_a_change_from_a_value_to_itself():
    days = pd.date_range("2024-01-01", periods=90, freq="D", tz="UTC")
    rows = [{"created_at": d, "segment": 0, "segment_name": "Quiet", "sentiment_label": "neutral",
             "likes": 1 if j == 0 and i == 5 else 0} for i, d in enumerate(days) for j in range(10)]
    t = turning(pd.DataFrame(rows)).iloc[0]
    assert t["engagement_early"] > t["engagement_late"] == 0 and t["engagement_change"] <= -1 / 3  # falls ...
    assert t["verdict"] == "steady"  # ... but 0.00 → 0.00 as printed: no flag
    assert change_text({"net_early": 0.2, "net_late": -0.1, "engagement_early": 0.001, "engagement_late": 0.0}) \
        == "net sentiment +0.20 → -0.10"
    assert change_text({"net_early": 0.0, "net_late": 0.0, "engagement_early": 0.04, "engagement_late": 0.01}) \
        == "engagement per post 0.04 → 0.01"


def test_a_score_equal_for_every_segment_is_not_shown():
    posts = pd.DataFrame({"segment": [0, 0, 1, 1], "segment_name": ["a", "a", "b", "b"], "likes": [1, 2, 3, 4]})
    ranks = pd.DataFrame({"value_score": [0.1, 0.3, 0.8, 0.9], "vanity_score": [0.5] * 4})
    k = segment_kpis(posts, ranks)
    assert "mean_value" in k and "mean_vanity" not in k


def test_typical_posts_are_a_segments_voice_not_its_spam():
    """Real YouTube comments are half channel plugs: an "Advocates" segment's three typical posts were all
    spam. A segment whose posts are mostly not spam now shows its authors' posts that are not (an author who
    only spammed comes last), and a segment that is mostly spam still shows it."""
    posts = pd.DataFrame({
        "author": ["a", "a", "b", "c", "c", "d", "g", "e", "f"],
        "text": ["check out my channel", "love this song", "subscribe to me", "great video", "my channel!!",
                 "nice one", "so good", "plug", "plug again"],
        "likes": [50, 1, 99, 2, 80, 5, 0, 1, 1],
        "segment": [0, 0, 0, 0, 0, 0, 0, 1, 1]})
    spam = pd.Series([True, False, True, False, True, False, False, True, True], index=posts.index)
    authors = pd.DataFrame({"author": list("abcdef"), "segment": [0, 0, 0, 0, 1, 1],
                            "probability": [1.0, 0.9, 0.8, 0.7, 1.0, 0.9], "posts": [2, 1, 2, 1, 1, 1]})
    before = typical_posts(posts, authors, 0)
    assert before["text"].tolist() == ["check out my channel", "subscribe to me", "my channel!!"]
    now = typical_posts(posts, authors, 0, spam=spam)
    assert now["text"].tolist() == ["love this song", "great video", "nice one"]
    assert typical_posts(posts, authors, 0, n=4, spam=spam)["text"].tolist()[-1] == "subscribe to me"
    assert typical_posts(posts, authors, 1, spam=spam)["text"].tolist() == ["plug", "plug again"]


def test_typical_posts_and_quotes_leave_swearing_and_slurs_last():
    """A "Critics" segment of real tweets showed "Fuck this economy. I hate aig ..." among its three typical posts;
    a client may see the page. Posts with profanity or a slur come after the others, unless that is all there is."""
    from lib.report.data import ReportData
    from lib.report.summary import quotes
    from lib.topics.describe import profane

    texts = ["Fuck this economy. I hate aig and their non loan given asses.", "Comcast sucks, no internet again",
             "this jap is such a piece of shit", "the bank is a disgrace, hours on hold", "classic bad service"]
    assert profane(pd.Series(texts)).tolist() == [True, False, True, False, False]
    posts = pd.DataFrame({"author": list("abcde"), "text": texts, "segment": 0, "sentiment_label": "negative",
                          "sentiment": -0.6})
    authors = pd.DataFrame({"author": list("abcde"), "segment": 0, "probability": 1.0, "posts": 1})
    assert typical_posts(posts, authors, 0)["text"].tolist() == [texts[1], texts[3], texts[4]]
    assert typical_posts(posts.head(1), authors.head(1), 0)["text"].tolist() == [texts[0]]  # all there is
    # the app keeps the flags of every post once per dataset; another segment's posts change nothing
    other = pd.DataFrame({"author": list("xyz"), "text": ["love it"] * 3, "segment": 1, "sentiment_label": "positive",
                          "sentiment": 0.6})
    both = pd.concat([posts, other], ignore_index=True)
    everyone = pd.concat([authors, other[["author", "segment"]].assign(probability=1.0, posts=1)], ignore_index=True)
    for rude in (None, profane(both["text"])):
        assert typical_posts(both, everyone, 0, rude=rude)["text"].tolist() == [texts[1], texts[3], texts[4]]
        assert typical_posts(both, everyone, 1, rude=rude)["text"].tolist() == ["love it"] * 3
    said = quotes(ReportData("q", posts))
    assert said and not profane(pd.Series(said)).any()


def test_typical_posts_keep_the_segments_sentiment_mix():
    """Real Sentiment140 tweets: a segment described as "mostly neutral (53 %)" showed three negative posts, the
    only posts of its three most typical authors. The posts shown now keep the segment's mix: two of three
    neutral here, one negative, still from its most typical authors."""
    labels = ["negative", "negative", "negative", "neutral", "neutral", "neutral", "neutral", "positive", "neutral",
              "negative"]
    posts = pd.DataFrame({"author": [f"a{i}" for i in range(10)], "text": [f"post {i}" for i in range(10)],
                          "sentiment_label": labels, "segment": 0})
    authors = pd.DataFrame({"author": [f"a{i}" for i in range(10)], "segment": 0,
                            "probability": np.linspace(1, 0.1, 10), "posts": 1})
    shown = typical_posts(posts, authors, 0)
    assert shown["sentiment_label"].tolist() == ["negative", "neutral", "neutral"]
    assert shown["author"].tolist() == ["a0", "a3", "a4"]  # the most typical authors whose posts fit the mix


def test_typical_posts_show_the_trait_a_segment_is_named_for():
    """A real support inbox's "Critical posts · anger" (30 % of its posts angry) showed three calm questions; on six
    real sets three segments named for an emotion showed none of it. At least its share of the places (one at
    least) go to posts that carry it, still from the most typical authors and in the segment's sentiment mix."""
    from lib.audience.views import persona_trait

    emotions = ["neutral"] * 7 + ["anger"] * 3  # the angry ones are the least typical
    posts = pd.DataFrame({"author": [f"a{i}" for i in range(10)], "text": [f"post {i}" for i in range(10)],
                          "sentiment_label": "negative", "emotion": emotions, "intent": "other", "segment": 0})
    authors = pd.DataFrame({"author": [f"a{i}" for i in range(10)], "segment": 0,
                            "probability": np.linspace(1, 0.1, 10), "posts": 1})
    assert typical_posts(posts, authors, 0)["author"].tolist() == ["a0", "a1", "a2"]
    groups = {"emotion": ["emotion: neutral", "emotion: anger"], "intent": ["intent: other"],
              "topics": ["topics: price · taste"]}  # the segments' feature columns, as features.author_features
    trait = persona_trait(pd.Series({"signature": "anger"}), groups)
    assert trait == ("emotion", "anger")
    assert typical_posts(posts, authors, 0, trait=trait)["author"].tolist() == ["a7", "a0", "a1"]
    half = posts.assign(emotion=["anger"] * 2 + ["neutral"] * 3 + ["anger"] * 5)  # 70 %: two of three places
    assert typical_posts(half, authors, 0, trait=trait)["author"].tolist() == ["a0", "a1", "a2"]
    assert persona_trait(pd.Series({"signature": np.nan}), groups) is None  # a name with no trait (read from CSV)
    assert persona_trait(pd.Series({"signature": "price · taste"}), groups) is None  # a topic: not emotion or intent


def test_a_segment_is_never_named_by_an_emotion_against_its_tone(shared):
    from lib.audience.personas import _clashes

    base = {"positive_share": 0.1, "negative_share": 0.5}
    assert _clashes({"positive_share": 0.0, "negative_share": 0.8, "top_emotion": "joy"}, base)
    assert not _clashes({"positive_share": 0.0, "negative_share": 0.8, "top_emotion": "anger"}, base)
    assert _clashes({"positive_share": 0.6, "negative_share": 0.1, "top_emotion": "sadness"}, base)
    # the dataset's tone, but more negative than positive: no joy either (a support inbox's "Posts · joy" was 46 %
    # negative); balanced, any emotion may name it
    assert _clashes({"positive_share": 0.1, "negative_share": 0.5, "top_emotion": "joy"}, base)
    assert not _clashes({"positive_share": 0.3, "negative_share": 0.3, "top_emotion": "joy"}, base)
    # a real support inbox, segmented by its posts: "Critical posts · joy" before
    inbox = build_posts(open_sources([shared / "banking77" / "test.csv"]), ImportOptions()).posts
    frame = enrich(inbox).frame
    named = fit_segments(frame, segment_settings(frame)).personas
    critical = named[named["name"].str.startswith("Critical")]
    assert len(critical) and not critical["name"].str.contains("joy").any(), named["name"].tolist()
    # the description keeps the figure, said to be the model's reading at odds with the tone
    from lib.audience.personas import _describe

    row = {"posts_per_author": 1.0, "positive_share": 0.0, "negative_share": 0.99, "top_emotion": "joy",
           "top_emotion_share": 1.0, "top_emotion_overall": 0.26}
    _, said = _describe(row, {"posts": 1.0, **base}, "posts", {})
    assert "100% of posts with emotion joy (vs 26% overall; the emotion model's reading, at odds with their tone)" \
        in said
    _, angry = _describe({**row, "top_emotion": "anger"}, {"posts": 1.0, **base}, "posts", {})
    assert "100% of posts with emotion anger (vs 26% overall)" in angry


def test_a_mix_most_posts_could_not_be_read_in_is_left_out_and_said():
    """Intent of posts in other languages is "n/a": as a value of the intent mix it split a four-language export's
    segments by language (UMSAB tweets by posts: AMI between segment and language 0.288; left out, 0.074). Below
    5 % unread, the mix stays and "n/a" is no value of it. Both engines read the same rule."""
    from lib.audience.features import MAX_UNREAD, unread_note, unread_note_from
    from lib.distributed.audience import _mixes

    rng = np.random.default_rng(0)
    n = 400
    intents = rng.choice(["other", "complaint / issue", "information request"], n)
    frame = pd.DataFrame({"post_id": [f"p{i}" for i in range(n)], "sentiment": rng.normal(0, 0.5, n),
                          "sentiment_label": rng.choice(["negative", "neutral", "positive"], n),
                          "emotion": rng.choice(["joy", "anger", "neutral"], n), "intent": intents})
    mostly = frame.assign(intent=np.where(np.arange(n) < 300, "n/a", intents))  # 75 % in other languages
    _, groups = author_features(mostly, "posts")
    assert "intent" not in groups and "emotion" in groups
    note = unread_note(mostly, ("sentiment", "emotion", "intent"))
    assert note.startswith("Intent mix left out: 75% of the posts") and "split the segments by language" in note
    few = frame.assign(intent=np.where(np.arange(n) < int(n * MAX_UNREAD) - 1, "n/a", intents))
    table, groups = author_features(few, "posts")
    assert "intent" in groups and "intent: n/a" not in groups["intent"] and len(groups["intent"]) == 3
    assert unread_note(few, ("intent",)) == ""
    assert unread_note_from({"emotion": 0, "intent": 300}, n) == note  # the Dask engine's note, from its totals
    # the Dask engine's mix from partition counts: the same rule
    for data, kept in ((mostly, False), (few, True)):
        counts = data["intent"].value_counts()
        part = {"mixes": pd.DataFrame({"group": "intent", "value": data["intent"], "key": data["post_id"],
                                       "posts": 1}),
                "totals": {"intent": counts.to_dict()}, "facts": {"mixes": ["intent"]}}
        out = pd.DataFrame({"posts": np.ones(n)}, index=pd.Index(data["post_id"], name="author"))
        got: dict[str, list[str]] = {}
        _mixes(out, [part], n, got)
        assert ("intent" in got) == kept and all(c != "intent: n/a" for c in got.get("intent", []))


def test_tone_is_read_over_the_posts_a_model_read_in_both_engines(tmp_path):
    """2,021 real YouTube comments in Thai, which no sentiment model here reads, were named "Onlookers: mostly
    neutral (100 % neutral vs 89 % overall)" from the English model's reading of them. Tone is now over the posts a
    model read: the shares, the persona's tone (named only where a model read at least half of a segment's posts,
    else "tone unknown"), the per-segment KPIs; sentiment is left out of the segmentation like an unread mix."""
    from lib.audience.features import unread_note
    from lib.audience.personas import profiles
    from lib.distributed.audience import author_table
    from lib.distributed.audience_parts import author_parts

    n_auth = 40
    rows = []
    for a in range(n_auth):
        for i in range(5):
            thai = (a < 20 and i < 4) or (a >= 20 and i == 0)  # authors 0-19: 4 of 5 unread; 20-39: 1 of 5
            label = "neutral" if thai else ("negative" if a % 2 else "positive")
            rows.append({"post_id": f"p{a}-{i}", "author": f"a{a}", "text": "x", "sentiment_label": label,
                         "sentiment": {"negative": -0.6, "neutral": 0.0, "positive": 0.6}[label],
                         "vader_label": "n/a" if thai else label, "sentiment_source": "model",
                         "segment": a // 20})
    frame = pd.DataFrame(rows)
    frame.loc[frame["post_id"] == "p1-0", "sentiment_source"] = "your label"  # an analyst's label is read
    table, groups = author_features(frame.drop(columns="segment"), "authors")
    assert "sentiment" not in groups  # half unread: left out of the segmentation, and said
    assert table.loc["a1", "read_posts"] == 2 and table.loc["a2", "read_posts"] == 1
    assert table.loc["a21", "negative_share"] == 1.0 and table.loc["a22", "positive_share"] == 1.0  # not 0.8
    assert unread_note(frame, ("sentiment",)).startswith("Sentiment left out: 50% of the posts are in languages no "
                                                         "sentiment model reads")
    paths = [str(tmp_path / f"{i}.parquet") for i in range(2)]
    for i, path in enumerate(paths):
        frame.drop(columns="segment").iloc[i * 100:(i + 1) * 100].to_parquet(path)
    dask_table, dask_groups = author_table([author_parts(p, "authors") for p in paths], "authors")
    assert dask_groups == groups
    pd.testing.assert_frame_equal(dask_table, table, check_dtype=False, rtol=1e-12, atol=1e-15)
    authors = table.reset_index().assign(segment=[int(a[1:]) // 20 for a in table.index])
    named = profiles(authors, groups).set_index("segment")
    assert named.loc[0, "name"] == "Typical authors" and np.isnan(named.loc[0, "negative_share"])
    assert "tone unknown: 79% of its posts are in languages no sentiment model reads" in named.loc[0, "description"]
    # the read half: half its read posts negative, half positive (the unread "neutral" posts do not dilute it)
    assert named.loc[1, "negative_share"] == 0.5 and named.loc[1, "positive_share"] == 0.5
    kpis = segment_kpis(frame.assign(segment_name=frame["segment"].astype(str))).set_index("segment")
    assert kpis.loc[1, "net_sentiment"] == 0.0 and kpis.loc[1, "mean_sentiment"] == 0.0


def test_authors_no_feature_tells_apart_share_a_segment():
    """UMAP spreads identical points apart and HDBSCAN cut them at random: on the Thai comments (only each
    author's number of posts to go by) the 1,648 one-post authors were split into "Typical authors", "Typical
    authors #2" and noise."""
    from lib.audience.segments import _alike_together, alike

    m = np.repeat(np.array([[0.0, 1.0], [2.0, 3.0], [5.0, 5.0], [9.0, 9.0]]), [6, 3, 1, 4], axis=0)
    labels = np.array([0, 0, 0, 0, 1, NOISE, 2, 2, NOISE, NOISE, NOISE, NOISE, NOISE, NOISE])
    prob = np.array([1.0, 0.8, 0.9, 0.7, 0.2, 0.0, 1.0, 0.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0])
    same = alike(m)
    got, p = _alike_together(same, labels, prob, 4)
    # ids renumbered by size; a lone noise point stays; four alike left as noise are a segment of the smallest size
    assert got.tolist() == [0, 0, 0, 0, 0, 0, 2, 2, 2, NOISE, 1, 1, 1, 1]
    assert p[4] == p[5] == pytest.approx(0.85) and p[8] == pytest.approx(0.75) and (p[10:] == 1.0).all()
    assert _alike_together(same, got, p, 4)[0].tolist() == got.tolist()
    assert _alike_together(same, labels, prob, 5)[0][10:].tolist() == [NOISE] * 4  # fewer than the smallest: noise


def test_one_author_left_as_noise_is_said_in_the_singular():
    """Sentiment140's real tweets left one author as noise: the persona read "1 authors that fit no segment well;
    each still has ..."."""
    from lib.audience.personas import _noise_description

    base = {"positive_share": 0.35, "negative_share": 0.33}
    one = _noise_description({"authors": 1, "positive_share": 0.0, "negative_share": 1.0}, base, "authors")
    assert one.startswith("1 author that fits no segment well; it still has its nearest segment")
    many = _noise_description({"authors": 138, "positive_share": 0.0, "negative_share": 1.0}, base, "posts")
    assert many.startswith("138 posts that fit no segment well; each still has its nearest segment")


def test_a_noise_mostly_of_spam_says_so():
    """The real YouTube comments' noise (206 authors) is 90 % spam by the collection's labels: its card said only
    "fit no segment well", where a segment that spammy is named for it."""
    from lib.audience.personas import _noise_description

    base = {"positive_share": 0.45, "negative_share": 0.12, "spam_share": 0.48}
    spam = _noise_description({"authors": 206, "positive_share": 0.5, "negative_share": 0.05, "spam_share": 0.9},
                              base, "authors")
    assert spam == ("206 authors that fit no segment well; each still has its nearest segment in the table; 90% of "
                    "posts are link spam or self-promotion (vs 48% overall).")
    assert "30% of posts are link spam" in _noise_description({"authors": 20, "spam_share": 0.3}, base, "authors")
    assert "spam" not in _noise_description({"authors": 20, "spam_share": 0.1}, base, "authors")


def test_advocates_with_much_self_promotion_say_so_first():
    """On the real YouTube comments two segments named "Advocates" were 41 % and 34 % spam by the rule (44 % and 40 %
    by the collection's own labels) and said only "enthusiastic (77% positive)": advocates a marketer would have
    reached out to. Each now says its spam share first; a segment named for its spam still is."""
    from lib.audience.personas import _describe

    base = {"posts": 1.0, "positive_share": 0.45, "negative_share": 0.12, "spam_share": 0.48, "followers": np.nan}
    row = {"posts_per_author": 1.2, "positive_share": 0.77, "negative_share": 0.02, "spam_share": 0.41}
    name, said = _describe(row, base, "authors", {})
    assert name == "Advocates" and said.startswith("41% of posts are link spam or self-promotion (vs 48% overall); ")
    assert "spam" not in _describe({**row, "spam_share": 0.1}, base, "authors", {})[1]
    assert _describe({**row, "spam_share": 0.6}, base, "authors", {})[0] == "Enthusiastic self-promoters"


def test_a_tone_word_never_says_more_than_the_segments_own_shares():
    """A real airline export (56 % negative): a segment 51 % negative and 49 % neutral was "mostly neutral"; and a
    segment clearly more positive than a negative dataset but still mostly negative was "Advocates"."""
    # shares: positive, negative, the dataset's positive, negative
    assert tone_of(0.0, 0.51, 0.28, 0.56) == ("onlookers", "often neutral (49% neutral vs 16% overall), though 51% of "
                                                        "its posts are negative")
    assert tone_of(0.05, 0.30, 0.28, 0.56) == ("onlookers", "mostly neutral (65% neutral vs 16% overall)")
    assert tone_of(0.38, 0.50, 0.20, 0.70) == ("authors", "warmer than the dataset (38% positive vs 20% overall), "
                                                      "though 50% of its posts are negative")
    assert tone_of(0.50, 0.30, 0.70, 0.10) == ("authors", "cooler than the dataset (30% negative vs 10% overall), "
                                                      "though 50% of its posts are positive")
    assert tone_of(0.10, 0.30, 0.40, 0.10) == ("critics", "critical (30% negative vs 10% overall), though 60% of its "
                                                       "posts are neutral")
    assert tone_of(0.18, 0.69, 0.28, 0.56) == ("critics", "critical (69% negative vs 56% overall)")
    assert tone_of(0.60, 0.10, 0.30, 0.20) == ("advocates", "enthusiastic (60% positive vs 30% overall)")
    # no share clearly apart, yet not close: a real X scrape's segment was "sentiment close to the dataset's"
    assert tone_of(0.39, 0.31, 0.51, 0.22) == ("authors", "cooler than the dataset (39% positive, 31% negative vs "
                                                      "51% and 22% overall)")
    assert tone_of(0.45, 0.15, 0.40, 0.22)[1].startswith("warmer than the dataset (45% positive, 15% negative")
    assert tone_of(0.48, 0.24, 0.51, 0.22)[1].startswith("sentiment close to the dataset's (48% positive")
    assert tone_of(0.44, 0.29, 0.37, 0.22)[1].startswith("more divided than the dataset")
    assert tone_of(0.31, 0.16, 0.37, 0.22)[1].startswith("more often neutral than the dataset")
