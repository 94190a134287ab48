"""`analyze --engine dask --steps sentiment,foresight`: the local engine's forecast.csv from the partitions' sums
per period (whatever the partitioning, ties between brands of one size included) and its model report when the
run fits in the model's sample; a larger run's model on a proportional seeded sample; refusals in one line."""
import json

import numpy as np
import pandas as pd
import pytest

from lib.distributed import foresight as dask_foresight
from lib.distributed.tasks import write_parquet
from lib.foresight.forecast import trend_forecast
from lib.listening.overview import period_start
from tests.test_dask import inputs, run, scheduler  # noqa: F401 (the module's fixtures)


@pytest.fixture(scope="module")
def client(scheduler):  # noqa: F811
    from distributed import Client

    with Client(scheduler) as c:
        yield c


def test_the_same_foresight_as_the_local_engine(inputs, scheduler, tmp_path):  # noqa: F811
    local, dask = tmp_path / "local", tmp_path / "dask"
    for out, engine in ((local, ["--no-cache"]), (dask, ["--engine", "dask", "--scheduler", scheduler,
                                                          "--partition-rows", "250"])):
        done = run("analyze", *inputs, "--out", out, "--steps", "sentiment,foresight", *engine)
        assert done.returncode == 0, done.stderr
    assert "performance model on 667 of 667 posts (sample_posts)" in done.stderr
    ours = pd.read_csv(dask / "forecast.csv", encoding="utf-8-sig")
    theirs = pd.read_csv(local / "forecast.csv", encoding="utf-8-sig")
    pd.testing.assert_frame_equal(ours, theirs, check_exact=False, rtol=1e-9, atol=1e-9)
    assert ours["group"].nunique() == 5 and len(ours) > 100  # all posts and 4 brands
    report, local_report = (json.loads((d / "model_report.json").read_text()) for d in (dask, local))
    model = report["model"]
    assert model.pop("sample_posts") == 667 and model["built"] and model["posts"] > 80
    assert model == local_report["model"]  # every post, the same seed: the same folds, skill and importances
    assert report["forecast"] == local_report["forecast"] and report["extra_features"] == []
    summary = json.loads((dask / "summary.json").read_text())
    assert summary["foresight"]["sample_posts"] == 667 and summary["foresight"]["forecast"]
    assert summary["foresight"]["model_skill"] == local_report["model"]["has_skill"]


def _posts(n, seed, brands, days):
    rng = np.random.default_rng(seed)
    created = pd.Timestamp("2024-01-03 05:00", tz="UTC") + pd.to_timedelta(rng.uniform(0, days, n), unit="D")
    frame = pd.DataFrame({"created_at": created, "brand": rng.choice(brands, n),
                          "sentiment_label": rng.choice(["negative", "positive", "neutral"], n, p=[.3, .4, .3]),
                          "text": [f"post {i} about thing {i % 17}" for i in range(n)],
                          "likes": rng.poisson(5, n), "reach": rng.poisson(200, n) + 1})
    frame.loc[rng.random(n) < 0.03, "created_at"] = pd.NaT
    return frame


def _partitions(frame, bounds, folder):
    paths = []
    for i, (a, b) in enumerate(zip(bounds[:-1], bounds[1:])):
        paths.append(str(folder / f"part-{i:05d}.parquet"))
        write_parquet(frame.iloc[a:b].reset_index(drop=True), folder / f"part-{i:05d}.parquet")
    return paths


@pytest.mark.parametrize("brands,days", [(["a", "b", "c", "d", None], 400), (["c"], 60)])
def test_forecasts_from_partition_sums_are_the_local_ones(client, tmp_path, brands, days):
    """Weekly (400 days, brands tied in size: the local engine's order of groups) and daily with one brand (no
    split); uneven partitions, one of them empty."""
    frame = _posts(1200, 3, brands, days)
    if len(brands) > 1:
        twins = frame[frame["brand"] == "c"].assign(brand="z")  # as many posts as "c" in every period: a tie
        frame = pd.concat([frame, twins], ignore_index=True)
    paths = _partitions(frame, [0, 400, 400, 1200, len(frame)], tmp_path)  # "z" opens the last
    block = dask_foresight._forecast(client, paths, tmp_path, 5, "t1")
    by = "brand" if frame["brand"].nunique() > 1 else None
    assert block["split_by"] == by and block["period"] == ("W" if days > 120 else "D")
    local = trend_forecast(frame, block["period"], 5, by=by)
    if by:  # the groups in `value_counts` order of the posts in the forecast's periods, tied "c" and "z" included
        dated = frame[frame["created_at"].notna()]
        inside = dated[period_start(dated["created_at"], "W").isin(local.loc[local["kind"] == "history", "period"])]
        counts = inside["brand"].astype("string").value_counts()
        assert counts["c"] == counts["z"] and list(dict.fromkeys(local["group"]))[1:] == list(counts.index)
    ours = pd.read_csv(tmp_path / "forecast.csv", encoding="utf-8-sig")
    local.to_csv(tmp_path / "local.csv", index=False)
    pd.testing.assert_frame_equal(ours, pd.read_csv(tmp_path / "local.csv"), check_exact=False, rtol=1e-9,
                                  atol=1e-9)


def test_a_large_run_fits_on_a_proportional_sample(client, tmp_path, monkeypatch):
    frame = _posts(900, 5, ["a", "b"], 60)
    paths = _partitions(frame, [0, 600, 900], tmp_path)
    monkeypatch.setattr(dask_foresight, "MODEL_SAMPLE", 300)
    sample = [dask_foresight.model_sample(p, q, 0, i, dask_foresight.MODEL_COLUMNS)["sample"]
              for i, (p, q) in enumerate(zip(paths, (200, 100)))]
    assert [len(s) for s in sample] == [200, 100] and "brand" not in sample[0] and "likes" in sample[0]
    assert sample[0]["text"].isin(frame["text"].iloc[:600]).all()  # each partition draws from its own posts
    again = dask_foresight.model_sample(paths[0], 200, 0, 0, dask_foresight.MODEL_COLUMNS)["sample"]
    pd.testing.assert_frame_equal(again, sample[0])  # seeded
    model, n, total = dask_foresight._model(client, paths, (), "t2")
    assert dask_foresight._quotas({0: 600, 1: 300}, 300) == {0: 200, 1: 100}  # in proportion
    assert (n, total) == (300, 900) and model["built"] and 280 <= model["posts"] <= 300  # the dated ones


def test_the_largest_groups_in_value_counts_order_ties_included():
    """`forecast_table` orders the groups from their sums as `value_counts` orders them from the posts (the
    order of tied sizes included), so the sums give the local engine's groups and `top` cut."""
    rng = np.random.default_rng(7)
    created = pd.Timestamp("2024-03-01", tz="UTC") + pd.to_timedelta(rng.uniform(0, 30, 3000), unit="D")
    frame = pd.DataFrame({"created_at": created, "brand": rng.choice([f"b{i}" for i in range(40)], 3000)})
    tf = trend_forecast(frame, "D", 3, by="brand", top=40)
    inside = frame[period_start(frame["created_at"], "D").isin(tf.loc[tf["kind"] == "history", "period"])]
    counts = inside["brand"].astype("string").value_counts()
    assert counts.duplicated().sum() >= 10  # many ties
    assert list(dict.fromkeys(tf["group"]))[1:] == list(counts.index)
