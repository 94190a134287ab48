"""Audience segments: planted segments are found (ARI), personas read like them, features by hand,
group weighting, determinism, thin-data and no-author fallbacks, the store round trip, storage with edits,
turning segments."""
import glob
import json
from dataclasses import FrozenInstanceError, replace

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import adjusted_rand_score

from lib.audience.features import author_coverage, author_features, design_matrix
from lib.audience.personas import persona_names
from lib.audience.result import NOISE, SegmentResult, SegmentSettings
from lib.audience.segments import fit_segments, posts_with_segments
from lib.audience.views import segment_kpis, turning, typical_posts
from lib.ingest.build import ImportOptions, build_posts, open_sources
from lib.listening.enrich import enrich
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
