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
    assert r.cv == "shuffled" and r.target == "engagement_rate" and r.n_posts == 500
    assert r.verdict.endswith("folds; the posts have no dates, so no fold tested the future).")
    assert r.folds["mae_baseline"].notna().all() and r.folds["mae_model"].notna().all()
    # the file has no text: no text feature is fitted, listed among the drivers or asked of a draft
    shown = set(r.importance["feature"])
    assert not shown & {"text length", "number of words", "hashtags", "@mentions", "links", "asks a question",
                        "exclamation mark"}, shown
    assert {"author followers", "post type"} <= shown and "length" not in r.columns
    w = F.what_if(r, posts, {"text": "a draft with a link http://x.co and a #tag?", "post_type": "photo",
                             "followers": 139441, "Category": 1, "Post Month": 7, "Post Weekday": 3,
                             "Post Hour": 10, "Paid": 0})
    assert w["low"] <= w["predicted"] <= w["high"]
    # errors read in the rate's own units: the page said "Model error (MAE) 0.01111" beside a KPI lab in percent
    table = F.folds_table(r)
    assert list(table.columns) == ["fold", "posts learned from", "posts scored", "model error", "baseline error", "R²"]
    mae = r.folds["mae_model"].iloc[0]
    assert table["model error"].iloc[0] == f"{100 * mae:.2f} pts" and 0.1 < 100 * mae < 10
    assert F.error_scale(r.target) == (100.0, "points of engagement rate")


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
    # each flag is said with the figures that raised them: the forecast's low end at the horizon against the level
    from lib.foresight.forecast import flag_words

    up = fc[(fc["group"] == "Up") & (fc["measure"] == "negative_share")].iloc[-1]
    history = tf[(tf["group"] == "Up") & (tf["measure"] == "negative_share") & (tf["kind"] == "history")]["value"]
    assert flag_words(tf, "Up", "negative_share", "day") == (
        f"negative build-up: the negative share forecast for Mon 04 Mar 2024 is at least {up['low']:.0%} (the low "
        f"end of its 80 % interval), above its average of {history.mean():.0%} a day so far")
    posts = tf[(tf["group"] == "Up") & (tf["measure"] == "posts")]
    low, recent = posts["low"].iloc[-1], posts.loc[posts["kind"] == "history", "value"].tail(3).mean()
    assert low > recent and flag_words(tf, "Up", "posts", "day") == (
        f"likely to grow: the forecast for Mon 04 Mar 2024 is at least {low:,.0f} posts a day (the low end of its "
        f"80 % interval), above the last 3 days' {recent:,.0f} a day")


def test_partial_first_and_last_periods_are_left_out_while_enough_remain():
    """Nine days of real airline tweets open on 24 minutes of a day (4 posts) and stop at noon: neither end was
    left out (both would leave 7 days), so the volume forecast began from a day of 4. The less covered end goes
    first, each only while 8 periods remain."""
    start = pd.Timestamp("2015-02-16 23:36", tz="UTC")
    times = [start] * 4 + [start.normalize() + pd.Timedelta(days=d, minutes=m * 5) for d in range(1, 8)
                           for m in range(200)] + [pd.Timestamp("2015-02-24", tz="UTC") + pd.Timedelta(minutes=m * 3)
                                                   for m in range(230)]
    frame = pd.DataFrame({"created_at": times, "sentiment_label": "neutral"})
    history = trend_forecast(frame, "D", horizon=2).query("kind == 'history' and measure == 'posts'")
    assert history["period"].min() == pd.Timestamp("2015-02-17") and len(history) == 8
    assert history["value"].iloc[0] == 200 and history["value"].iloc[-1] == 230  # the half day kept: 8 are needed
    longer = pd.concat([frame, frame.assign(created_at=frame["created_at"] + pd.Timedelta(days=30))])
    history = trend_forecast(longer, "D", horizon=2).query("kind == 'history' and measure == 'posts'")
    assert history["value"].iloc[0] == 200 and history["period"].max() == pd.Timestamp("2015-03-25")  # both ends out


def test_a_spike_does_not_carry_the_volume_forecast_up_but_a_lasting_rise_does():
    """Two years of real YouTube comments ended "293 and 218 comments a week, then 17", and the forecast said 102 a
    week: the spike carried the level up. Volume is fitted with spikes capped (`capped`); the history is shown as
    it was, a rise that lasts becomes the level, and steady growth is never capped."""
    from lib.foresight.forecast import capped, forecast_series

    weeks = pd.date_range("2014-01-06", periods=33, freq="W-MON")
    rng = np.random.default_rng(0)
    spike = pd.Series(np.r_[rng.poisson(10, 30), 327, 171, 17].astype(float), index=weeks)
    fc = forecast_series(spike, 4, cap_spikes=True)
    ahead = fc[fc["kind"] == "forecast"]
    assert ahead["value"].iloc[0] < 30 < forecast_series(spike, 4)[lambda f: f["kind"] == "forecast"]["value"].iloc[0]
    assert fc.loc[fc["kind"] == "history", "value"].tolist()[-3:] == [327.0, 171.0, 17.0]  # shown as it was
    lasting = pd.Series(np.r_[rng.poisson(10, 20), rng.poisson(100, 12)].astype(float), index=weeks[:32])
    assert forecast_series(lasting, 4, cap_spikes=True)[lambda f: f["kind"] == "forecast"]["value"].iloc[0] > 80
    growth = np.arange(5.0, 65.0)
    assert (capped(growth) == growth).all()


def test_the_forecast_after_the_real_youtube_spike_starts_near_the_recent_weeks(shared):
    """The five real YouTube files per week (1,956 comments, 2013-2015), as the Foresight page forecasts them."""
    files = sorted((shared / "youtube_spam").glob("Youtube0*.csv"))
    posts = build_posts(open_sources(files), ImportOptions()).posts
    tf = trend_forecast(posts, "W")
    posts_fc = tf[(tf["group"] == "All posts") & (tf["measure"] == "posts")]
    hist, ahead = posts_fc[posts_fc["kind"] == "history"]["value"], posts_fc[posts_fc["kind"] == "forecast"]
    assert hist.max() > 250 and hist.iloc[-1] < 30  # the spike, then an ordinary week
    # 21 a week (80 % band 10-32) after a last week of 17; 102 (48-157) when the spike carried the level up
    assert ahead["value"].iloc[0] < 2 * hist.iloc[-1] and ahead["high"].iloc[0] < 3 * hist.iloc[-1]
    assert ahead["flag"].iloc[0] == ""


def test_a_negative_share_of_a_handful_of_posts_is_not_drawn(shared):
    """The five real YouTube files per week: weeks of two or three comments drew the negative share as swings
    between 0 % and 30 % (and the model fitted them). A period's share is shown and fitted only from
    MIN_SHARE_POSTS posts; each history row says how many posts it stands on; a group with too few such periods
    gets no line, and the note says which and why."""
    from lib.foresight.forecast import MIN_SHARE_POSTS, share_note, without_share_trend

    files = sorted((shared / "youtube_spam").glob("Youtube0*.csv"))
    posts = enrich(build_posts(open_sources(files), ImportOptions()).posts).frame
    tf = trend_forecast(posts, "W")
    hist = tf[tf["kind"] == "history"]
    share = hist[hist["measure"] == "negative_share"].set_index("period")
    volume = hist[hist["measure"] == "posts"].set_index("period")
    assert share["posts"].equals(volume["value"].rename("posts"))  # what each value stands on
    assert (share["value"].notna() == (share["posts"] >= MIN_SHARE_POSTS)).all()
    assert (share["posts"].between(1, MIN_SHARE_POSTS - 1)).sum() >= 5  # such weeks exist, and are left out
    assert tf.loc[tf["kind"] == "forecast", "posts"].isna().all()
    assert without_share_trend(tf) == [] and "at least 10 posts" in share_note([], "week")

    days = pd.date_range("2024-01-01", periods=40, freq="D", tz="UTC")
    rows = [{"created_at": d, "brand": b, "sentiment_label": "negative" if k % 4 == 0 else "positive"}
            for d in days for b, n in (("Busy", 20), ("Quiet *brand*", 3)) for k in range(n)]
    by_brand = trend_forecast(pd.DataFrame(rows), "D", by="brand")
    assert set(by_brand.loc[by_brand["measure"] == "negative_share", "group"]) == {"All posts", "Busy"}
    assert without_share_trend(by_brand) == ["Quiet *brand*"]
    note = share_note(without_share_trend(by_brand), "day", lambda g: g.replace("*", "\\*"))
    assert note.endswith("Too few such days for a line: Quiet \\*brand\\*.")
    quiet = trend_forecast(pd.DataFrame([r for r in rows if r["brand"] != "Busy"]), "D")
    assert "negative_share" not in set(quiet["measure"]) and without_share_trend(quiet) == ["All posts"]
    assert share_note(["All posts"], "day").startswith("No negative-share trend: fewer than 8 days have 10 posts")


def test_an_error_in_log_engagement_reads_as_the_factor_a_prediction_is_off_by():
    assert F.shown_error("log_engagement", float(np.log(1.5))) == "×1.50"
    assert F.shown_error("engagement_rate", 0.0111) == "1.11 pts"


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


# ------------------------------------------------------------------ the data's own ranges, and no waiting
def _daily(counts, rate=None):
    """Posts on consecutive days (`counts` a day), likes 0 except one post in twenty (or a reach and a rate)."""
    rows = []
    for day, n in enumerate(counts):
        for k in range(n):
            row = {"created_at": pd.Timestamp("2025-03-03", tz="UTC") + pd.Timedelta(days=day, hours=k % 24),
                   "likes": 20 if k % 20 == 0 else 0, "comments": 0, "shares": 0}
            if rate is not None:
                row.update(reach=1000, likes=int(1000 * rate[day]))
            rows.append(row)
    return pd.DataFrame(rows)


def test_data_ranges_say_the_typical_post_the_range_and_only_a_real_trend():
    from lib.foresight.ranges import data_ranges

    surge = data_ranges(_daily([100, 104, 98, 101, 97, 260, 255, 99, 102]))
    assert surge.unit == "engagements" and surge.freq == "D"
    assert (surge.typical, surge.low, surge.high) == (0, 0, 0) and surge.any_share == pytest.approx(0.05, abs=0.01)
    assert surge.engaged_typical == 20
    said = " ".join(surge.sentences())
    assert "101 posts a day typically; days ranged from 97 to 260 (the busiest: 8 Mar 2025)" in said
    assert "Only 5% of posts got any engagement at all; those that did got 20 typically" in said
    assert "Posts a day: no clear trend" in said  # a two-day surge is not a trend
    assert surge.periods["posts"].tolist() == [100, 104, 98, 101, 97, 260, 255, 99, 102]
    rising = data_ranges(_daily([50 + 10 * d for d in range(10)]))
    [posts] = [t for t in rising.trends if t.measure == "posts"]
    assert posts.low > 0 and posts.slope == pytest.approx(10)
    assert "Posts a day rose from about 50 to 140 over the 10 days (+180%)" in " ".join(rising.sentences())
    rate = data_ranges(_daily([30] * 8, rate=[0.05, 0.045, 0.04, 0.035, 0.03, 0.025, 0.02, 0.015]))
    assert rate.unit == "engagement rate" and rate.typical == pytest.approx(0.0325)
    assert "Engagement rate fell from about 5.00% to 1.50% over the 8 days" in " ".join(rate.sentences())
    assert data_ranges(pd.DataFrame({"likes": [1, 2]})) is None  # no dates, no trend


def test_the_model_reads_no_topics_and_boosts_on_one_thread(monkeypatch):
    """Topics are no feature (the model never waits for a topic fit), and the boosting's OpenMP runs on one thread
    (on 2 busy cores its threads made 12,284 tweets take minutes)."""
    from threadpoolctl import threadpool_info

    from lib.foresight.features import post_features

    frame = _synthetic(n=200).assign(topic_label=["price", "taste"] * 100)
    assert not [c for c in post_features(frame)[0].columns if c.startswith("topic")]
    threads, real_gbm = [], F._gbm
    monkeypatch.setattr(F, "_gbm", lambda *a, **k: (threads.append(
        [i["num_threads"] for i in threadpool_info() if i["user_api"] == "openmp"]), real_gbm(*a, **k))[1])
    stages = []
    F.fit_performance_model(frame, stage=lambda msg, frac: stages.append((msg, frac)))
    assert threads and all(t == [1] * len(t) for t in threads)
    assert stages[0] == ("Cross-validating: fold 1 of 4", 0.1)
    assert [f for _, f in stages] == sorted(f for _, f in stages)


def test_foresight_page_shows_the_datas_ranges_at_once_while_its_model_fits(shared, tmp_path, monkeypatch):
    """3,000 real tweets shaped like an airline export (sparse retweets, nine days with a surge), no topics or
    segments anywhere, and a model fit that cannot finish: the page still shows the data's own ranges and trend
    with the fit's progress, then the model once it is fitted."""
    import threading
    import time

    from bench.foresight_wait import write_tweets
    from lib.store.workspace import Workspace
    from tests.test_pages import _app, _no_errors

    ws_path = tmp_path / "ws.duckdb"
    monkeypatch.setenv("LISTENING_LAB_WORKSPACE", str(ws_path))
    write_tweets(tmp_path / "tweets.csv", 3000)
    csv = pd.read_csv(tmp_path / "tweets.csv")
    imported = build_posts(open_sources([tmp_path / "tweets.csv"]), ImportOptions())
    with Workspace(ws_path) as w:
        ds = w.save_dataset("tweets", imported.posts, imported.excluded, imported.report, raw=imported.raw)
    gate, real_fit = threading.Event(), F.fit_performance_model
    monkeypatch.setattr(F, "fit_performance_model", lambda *a, **k: (gate.wait(300), real_fit(*a, **k))[1])
    at = _app()
    try:
        at.switch_page("pages/foresight.py").run()
        _no_errors(at)
        assert any("being fitted" in i.value for i in at.info)
        metrics = {m.label: m.value for m in at.metric}
        per_day = pd.to_datetime(csv["tweet_created"]).dt.date.value_counts()
        assert metrics["Posts a day (typical)"] == f"{per_day.median():,.0f}"
        assert metrics["Typical post (engagements)"] == "0" and metrics["Middle 80 % of posts"] == "0 – 0"
        assert metrics["Posts with any engagement"] == f"{(csv['retweet_count'] > 0).mean():.0%}"
        said = " ".join(md.value for md in at.markdown)
        assert f"the busiest: {per_day.idxmax():%-d %b %Y}" in said and "Posts a day" in said
        assert len(at.get("vega_lite_chart")) == 1  # posts and engagements per day with their trends
        with Workspace(ws_path) as w:
            assert not w.result_stamp(ds, "topics") and not w.result_stamp(ds, "segments")
    finally:
        gate.set()
    deadline = time.time() + 300
    while "Model error (MAE)" not in {m.label for m in at.metric} and time.time() < deadline:
        time.sleep(1)
        at.run()
    _no_errors(at)
    assert {m.label: m.value for m in at.metric}["Predicts"] == "log(1 + engagement)"


def test_a_forecasts_history_shows_silent_periods_as_gaps():
    """Six months without a post in two years of real YouTube comments were drawn as a steady rise of the negative
    share (the model's interpolation shown as history). The model still reads a complete series; the history keeps
    no value where there were no posts, and the chart breaks its line there, with years on the axis."""
    from lib.foresight.charts import forecast_chart
    from lib.foresight.forecast import forecast_series

    weeks = pd.date_range("2013-07-01", periods=30, freq="W-MON")
    share = pd.Series(np.r_[np.full(10, 0.1), np.full(10, np.nan), np.full(10, 0.3)], index=weeks)
    fc = forecast_series(share, 4)
    hist = fc[fc["kind"] == "history"]
    assert hist["value"].isna().sum() == 10 and (fc[fc["kind"] == "forecast"]["value"].notna()).all()
    spec = forecast_chart(fc.assign(measure="negative_share", group="All posts"), "negative_share",
                          "Negative share").to_dict()
    rows = pd.DataFrame(next(iter(spec["datasets"].values())))
    assert rows["value"].notna().all() and sorted(rows["run"].unique()) == [0, 10]
    assert spec["layer"][1]["encoding"]["detail"]["field"] == "run"
    assert spec["layer"][1]["encoding"]["x"]["axis"]["format"] == "%b %Y"  # over half a year: months, years
