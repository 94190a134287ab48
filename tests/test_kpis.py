"""KPI lab: engagement arithmetic on real page metrics, the value/vanity ranking math, presets,
authenticity on real spam labels, weights files."""
import glob

import numpy as np
import pandas as pd
import pytest

from lib.ingest.build import ImportOptions, build_posts, open_sources
from lib.kpis import value as K
from lib.kpis.authenticity import THRESHOLD, author_scores, post_scores
from lib.kpis.engagement import engagement, engagement_rate
from lib.kpis.leaderboards import share_of_voice, trends
from lib.kpis.scorecard import scorecard
from lib.kpis.weights import COMPONENTS, PRESETS, Weights, dump_presets, load_presets


def test_facebook_engagement_equals_total_interactions_and_rate_uses_reach(shared):
    path = shared / "facebook_metrics" / "dataset_Facebook.csv"
    posts = build_posts(open_sources([path]), ImportOptions()).posts
    raw = pd.read_csv(path)
    eng = engagement(posts)
    assert np.array_equal(eng.to_numpy(), raw["Total Interactions"].to_numpy(dtype=float))
    rate, basis = engagement_rate(posts)
    assert basis == "reach"
    expected = raw["Total Interactions"] / raw["Lifetime Post Total Reach"]
    assert np.allclose(rate.to_numpy(), expected.to_numpy())
    card = {k.name: k for k in scorecard(posts, K.fit_value_model(posts))}
    assert card["Engagement"].value == raw["Total Interactions"].sum()
    pooled = card["Engagement rate (by reach)"]
    assert pooled.value == pytest.approx(raw["Total Interactions"].sum() / raw["Lifetime Post Total Reach"].sum())
    assert pooled.formula == "sum(engagement) / sum(reach)" and "audience" in pooled.definition


HAND = pd.DataFrame({  # three posts, checked by hand below
    "post_id": ["a", "b", "c"],
    "likes": [1000, 10, 100], "comments": [0, 20, 5], "shares": [0, 10, 50], "reach": [10000, 100, 1000],
    "text": ["Wow", "Great tips, thanks", "Shared with my team"], "sentiment": [0.0, 0.6, 0.4],
})


def test_ranking_math_on_a_hand_checked_table():
    model = K.fit_value_model(HAND)
    c = model.components
    # engagement rate: a 0.1, b 0.4, c 0.155 -> percentiles 1/3, 1, 2/3
    assert np.allclose(c["engagement_rate"], [1 / 3, 1, 2 / 3])
    # conversation (comments): 0, 20, 5 -> 1/3, 1, 2/3 ; amplification shares/(likes+1): 0, 0.909, 0.495
    assert np.allclose(c["conversation"], [1 / 3, 1, 2 / 3])
    assert np.allclose(c["amplification"], [1 / 3, 1, 2 / 3])
    assert np.allclose(c["positive"], [0.5, 0.8, 0.7])
    # vanity: likes only -> a first
    assert np.allclose(model.vanity, [1, 1 / 3, 2 / 3])
    w = Weights("test", {"conversation": 1, "positive": 1})
    r = K.rankings(model, w)
    assert np.allclose(r["value_score"], [(1 / 3 + 0.5) / 2, (1 + 0.8) / 2, (2 / 3 + 0.7) / 2])
    assert r["value_rank"].tolist() == [3, 1, 2] and r["vanity_rank"].tolist() == [1, 3, 2]
    assert r["rank_change"].tolist() == [-2, 2, 0]
    assert "conversation" in K.explain(model, w, 1)
    # weights are normalised: doubling all of them changes nothing
    assert np.allclose(K.value_score(model, Weights("test", {"conversation": 2, "positive": 2})), r["value_score"])


def test_trends_per_period_by_hand_and_memoised_on_the_model():
    posts = pd.DataFrame({
        "created_at": pd.to_datetime(["2024-01-01", "2024-01-02", "2024-01-09", None], utc=True),
        "likes": [10, 0, 4, 100], "comments": [0, 5, 0, 0], "reach": [100, 50, 0, 10]})
    model = K.fit_value_model(posts)
    ranks = K.rankings(model, Weights("test", {"conversation": 1}))
    for m in (None, model):
        tr = trends(posts, ranks, "W", m)
        assert tr["posts"].tolist() == [2, 1]  # the undated post is in no period
        assert tr["engagement"].tolist() == [15, 4]
        assert np.allclose(tr["engagement_rate"], [15 / 150, np.nan], equal_nan=True)  # no reach: no rate
        v = ranks["value_score"]
        assert np.allclose(tr["mean_value"], [(v[0] + v[1]) / 2, v[2]])
        assert np.allclose(tr["mean_vanity"], [(model.vanity[0] + model.vanity[1]) / 2, model.vanity[2]])
    assert "W" in model.trend_bases
    moved = trends(posts, K.rankings(model, Weights("test", {"engagement_rate": 1})), "W", model)  # a slider move
    assert not np.allclose(moved["mean_value"], tr["mean_value"])


def test_switching_preset_changes_the_value_ranking():
    posts = pd.DataFrame({
        "post_id": list("pqrs"), "text": ["x"] * 4,
        "likes": [500, 20, 40, 10], "comments": [2, 40, 1, 5], "shares": [1, 2, 30, 1],
        "reach": [50000, 400, 2000, 300], "clicks": [10, 2, 5, 90], "sentiment": [0.1, 0.7, 0.2, 0.0]})
    model = K.fit_value_model(posts)
    top = {name: K.rankings(model, w).sort_values("value_rank").index[0] for name, w in PRESETS.items()}
    assert top["Brand awareness"] != top["Lead generation"]
    assert posts.loc[top["Lead generation"], "post_id"] == "s"  # the clicks post
    assert posts.loc[top["Customer loyalty & advocacy"], "post_id"] == "q"  # conversation + positive


def test_missing_components_are_reported_and_skipped():
    model = K.fit_value_model(pd.DataFrame({"likes": [1, 2], "text": ["a", "b"]}))
    assert "engagement_rate" in model.unavailable and "click_through" in model.unavailable
    assert "saves" in model.unavailable
    assert set(model.components.columns) <= set(COMPONENTS)
    assert K.value_score(model, Weights("test", {"click_through": 1})).notna().all()  # no usable weight: equal weights


def test_share_of_voice_vs_influence():
    posts = pd.DataFrame({"brand": ["A", "A", "A", "B"], "followers": [0, 0, 0, 1_000_000]})
    sov = share_of_voice(posts).set_index("brand")
    assert sov.at["A", "share_of_voice"] == 0.75
    infl_b = np.log1p(1_000_000) + 1
    assert sov.at["B", "share_of_influence"] == pytest.approx(infl_b / (infl_b + 3))
    assert sov.at["B", "gap"] > 0 > sov.at["A", "gap"]


def test_authenticity_signals():
    posts = pd.DataFrame({
        "post_id": list("abcdef"),
        "text": ["check out my channel!", "visit murdev.com now", "I love this song so much",
                 "Great video, the chorus is stuck in my head", "Great video, the chorus is stuck in my head!!",
                 "nice"],
        "author": ["x", "y", "z", "w", "v", "u"]})
    s = post_scores(posts)
    assert s[0] >= THRESHOLD and s[1] >= THRESHOLD and s[2] < THRESHOLD and s[5] < THRESHOLD
    assert s[3] > 0 and s[3] == s[4]  # copy-paste counts for both copies
    a = author_scores(posts, s).set_index("author")
    assert bool(a.at["x", "likely_bot"]) and not bool(a.at["z", "likely_bot"])


def test_authenticity_on_real_youtube_spam(shared):
    from sklearn.metrics import precision_recall_fscore_support

    ys, preds = [], []
    for f in sorted(glob.glob(str(shared / "youtube_spam" / "Youtube0*.csv"))):
        posts = build_posts(open_sources([f]), ImportOptions()).posts
        ys.append(pd.to_numeric(posts["CLASS"]).to_numpy())
        preds.append((post_scores(posts) >= THRESHOLD).to_numpy())
    p, r, f1, _ = precision_recall_fscore_support(np.concatenate(ys), np.concatenate(preds), average="binary")
    assert len(np.concatenate(ys)) == 1956
    assert f1 >= 0.8 and p >= 0.9 and r >= 0.8, (p, r, f1)


def test_weights_json_round_trip_and_errors():
    w = PRESETS["Lead generation"]
    assert Weights.from_json(w.to_json()) == Weights(w.name, {c: w.weights.get(c, 0.0) for c in COMPONENTS})
    assert Weights.from_json('{"reach": 2}') == Weights("custom", {"reach": 2.0})
    for bad, msg in (("{", "not valid JSON"), ('{"magic": 1}', "Unknown component"), ('{"reach": -1}', ">= 0"),
                     ("[1, 2]", "must map")):
        with pytest.raises(ValueError, match=msg):
            Weights.from_json(bad)


def test_weights_files_and_presets_keep_the_kpi_labs_format():
    """Files exported by the KPI lab and presets saved in a workspace before `Weights` existed still read."""
    exported = ('{\n  "name": "Q3 launch",\n  "weights": {\n    "engagement_rate": 0.0,\n    "conversation": 60.0,\n'
                '    "amplification": 0.0,\n    "saves": 0.0,\n    "positive": 40.0,\n    "resonance": 0.0,\n'
                '    "authenticity": 0.0,\n    "click_through": 0.0,\n    "reach": 0.0\n  }\n}')
    w = Weights.from_json(exported)
    assert w.name == "Q3 launch" and w.weights["conversation"] == 60.0 and w.weights["positive"] == 40.0
    assert w.to_json() == exported  # byte for byte what the lab exported
    assert Weights.from_json(exported, "w.json").name == "w.json"  # the command line names it by its file
    saved = '{"Mine": {"conversation": 3.0, "reach": 1.0}, "broken": {"magic": 1}}'
    presets = load_presets(saved)
    assert presets == {"Mine": Weights("Mine", {"conversation": 3.0, "reach": 1.0})}
    assert dump_presets(presets) == '{"Mine": {"conversation": 3.0, "reach": 1.0}}'
    assert hash(presets["Mine"]) == hash(Weights("Mine", {"reach": 1.0, "conversation": 3.0}))


def test_sample_scorecard_has_every_kpi_with_formula():
    from tests.conftest import ROOT

    posts = build_posts(open_sources([ROOT / "sample_data" / "gamerfuel.csv"]), ImportOptions()).posts
    from lib.listening.enrich import enrich

    frame = enrich(posts).frame
    model = K.fit_value_model(frame)
    names = {k.name for k in scorecard(frame, model)}
    assert {"Engagement", "Engagement Quality Score", "Net sentiment (latest)", "Sentiment velocity",
            "Emotional resonance", "Authentic posts", "Likely bot or spam authors"} <= names
    assert any(n.startswith("Engagement rate (by ") for n in names)
    # the planted bots are found: most truth_is_bot posts are flagged, few others
    flagged = post_scores(frame) >= THRESHOLD
    bots = frame["truth_is_bot"].astype(str).str.lower().isin(["true", "1"])
    assert flagged[bots].mean() > 0.7 and flagged[~bots].mean() < 0.1
