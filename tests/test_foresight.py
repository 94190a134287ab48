"""Foresight: the performance model is scored against a naive baseline and never claims skill it does not
have; the what-if gives a band, pushes and similar posts; forecasts carry intervals and flag growth."""
import numpy as np
import pandas as pd
import pytest

from lib.foresight import model as F
from lib.foresight.features import PLAIN
from lib.foresight.forecast import trend_forecast
from lib.ingest.build import ImportOptions, build_posts, open_sources
from lib.listening.enrich import enrich
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def gamerfuel():
    return enrich(build_posts(open_sources([ROOT / "sample_data" / "gamerfuel.csv"]), ImportOptions()).posts).frame


def _synthetic(n=600, signal=True, seed=0):
    rng = np.random.default_rng(seed)
    video = rng.random(n) < 0.5
    reach = rng.integers(500, 5000, n)
    rate = 0.02 + (0.05 * video if signal else 0) + rng.normal(0, 0.01, n).clip(-0.015)
    return pd.DataFrame({
        "post_id": [str(i) for i in range(n)], "text": ["a post"] * n,
        "created_at": pd.date_range("2024-01-01", periods=n, freq="6h", tz="UTC"),
        "post_type": np.where(video, "video", "image"), "reach": reach,
        "likes": np.round(rate * reach).astype(int), "comments": 0, "shares": 0})


def test_a_real_signal_is_found_and_explained():
    r = F.fit_performance_model(_synthetic())
    assert r.has_skill and r.skill > 0.3 and r.cv == "time-ordered"
    assert list(r.folds.columns) == ["fold", "train", "test", "mae_model", "mae_baseline", "r2_model"]
    assert (r.folds["mae_model"] < r.folds["mae_baseline"]).all()
    assert r.importance.iloc[0]["feature"] == "post type"
    assert r.importance.iloc[0]["words"] == "best: video; weakest: image"


def test_shuffled_targets_are_reported_as_no_better_than_baseline(gamerfuel):
    noise = _synthetic(signal=False)
    r = F.fit_performance_model(noise)
    assert not r.has_skill and "No real skill" in r.verdict and not r.models
    shuffled = gamerfuel.copy()
    for c in ("likes", "comments", "shares"):
        shuffled[c] = shuffled[c].sample(frac=1, random_state=3).to_numpy()
    r = F.fit_performance_model(shuffled)
    assert not r.has_skill, r.verdict
    w = F.what_if(r, shuffled, {"text": "new flavour", "platform": "x"})
    assert not w["has_skill"] and w["low"] <= w["predicted"] <= w["high"]  # the data's own range, said plainly


def test_samples_have_skill_and_the_what_if_works_end_to_end(gamerfuel):
    r = F.fit_performance_model(gamerfuel)
    assert r.has_skill and r.n_posts == 5000 and len(r.folds) == 4
    draft = {"text": "New GamerFuel chilli lime flavour tonight! Who is trying it on stream?", "platform": "tiktok",
             "post_type": "video", "created_at": "2026-10-01 20:00", "followers": 50000}
    w = F.what_if(r, gamerfuel, draft)
    assert w["low"] <= w["predicted"] <= w["high"]
    assert set(w["pushes"]["feature"]) <= {PLAIN.get(c, c) for c in PLAIN} | set(r.importance["feature"])
    assert len(w["similar"]) == 5 and "chilli lime" in w["similar"]["text"].iloc[0].lower()
    small = F.what_if(r, gamerfuel, {**draft, "followers": 10})
    assert small["predicted"] < w["predicted"]  # followers push engagement rate up in this sample


def test_real_facebook_metrics_without_dates_use_shuffled_folds(shared):
    posts = build_posts(open_sources([shared / "facebook_metrics" / "dataset_Facebook.csv"]), ImportOptions()).posts
    r = F.fit_performance_model(posts, F.PerformanceSettings(extra=("Category", "Post Month", "Post Weekday",
                                                                    "Post Hour", "Paid")))
    assert r.cv.startswith("shuffled") and r.target == "engagement_rate" and r.n_posts == 500
    assert r.folds["mae_baseline"].notna().all() and r.folds["mae_model"].notna().all()


def test_too_little_data_says_what_is_needed():
    assert "at least 80" in F.too_small(_synthetic(n=30))
    assert "no engagement" in F.too_small(pd.DataFrame({"text": ["a"] * 200}))
    with pytest.raises(ValueError, match="at least 80"):
        F.fit_performance_model(_synthetic(n=30))


def test_forecast_has_intervals_and_flags_growth():
    days = pd.date_range("2024-01-01", periods=60, freq="D", tz="UTC")
    rows = []
    for i, d in enumerate(days):
        n, neg = 5 + i, round((5 + i) * max(0.0, (i - 30) / 60))  # volume grows; complaints build from day 30
        rows += [{"created_at": d, "brand": "Up", "sentiment_label": "negative" if k < neg else "positive"}
                 for k in range(n)]
        rows += [{"created_at": d, "brand": "Flat", "sentiment_label": "positive"} for _ in range(20)]
    tf = trend_forecast(pd.DataFrame(rows), "D", horizon=5, by="brand")
    fc = tf[tf["kind"] == "forecast"]
    assert len(fc) == 3 * 2 * 5  # all posts + 2 brands, posts and negative share, 5 periods
    assert (fc["low"] <= fc["value"]).all() and (fc["value"] <= fc["high"]).all()
    assert fc["low"].min() >= 0 and fc.loc[fc["measure"] == "negative_share", "high"].max() <= 1
    flags = fc.groupby(["group", "measure"])["flag"].first()
    assert flags[("Up", "posts")] == "likely to grow" and flags[("Flat", "posts")] == ""
    assert flags[("Up", "negative_share")] == "negative build-up"


def test_what_if_speaks_engagements_when_the_model_learns_log_engagement(gamerfuel):
    """Without a reach-like column the model learns log(1 + engagement); the what-if answers in engagements."""
    import numpy as np

    frame = gamerfuel.drop(columns=[c for c in ("reach", "impressions", "followers", "views") if c in gamerfuel])
    r = F.fit_performance_model(frame)
    assert r.target == "log_engagement"
    w = F.what_if(r, frame, {"text": "New flavour tonight!", "platform": "tiktok", "post_type": "video"})
    assert w["unit"].startswith("engagements")
    low, mid, high = (float(w["shown"][k].replace(",", "")) for k in ("low", "predicted", "high"))
    assert 0 <= low <= mid <= high and high >= 1  # counts of engagements, not log values near 0
    assert abs(mid - max(0.0, float(np.expm1(w["predicted"])))) < 1
    assert "engagements" in w["plain"] and ("likely between" in w["plain"]) == w["has_skill"]
