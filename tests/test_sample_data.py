"""The generated course scenarios: deterministic, importable, and VADER reproduces the planted tone."""
import sys

import pandas as pd
import pytest
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from lib.ingest.build import ImportOptions, build_posts, open_sources
from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "sample_data"))
import generate  # noqa: E402

_VADER = SentimentIntensityAnalyzer()


def _vader_labels(texts: pd.Series) -> pd.Series:
    c = texts.map(lambda t: _VADER.polarity_scores(t)["compound"])
    return pd.Series(["positive" if x >= 0.05 else "negative" if x <= -0.05 else "neutral" for x in c],
                     index=texts.index)


@pytest.mark.parametrize("key", sorted(generate.SCENARIOS))
def test_files_are_what_the_generator_makes(tmp_path, key):
    generate.main(tmp_path)
    assert (tmp_path / f"{key}.csv").read_bytes() == (ROOT / "sample_data" / f"{key}.csv").read_bytes()


@pytest.fixture(scope="module")
def connectsphere():
    src = open_sources([ROOT / "sample_data" / "connectsphere.csv"])[0]
    return src, build_posts([src], ImportOptions()).posts


@pytest.fixture(scope="module")
def gamerfuel():
    src = open_sources([ROOT / "sample_data" / "gamerfuel.csv"])[0]
    return src, build_posts([src], ImportOptions()).posts


def test_connectsphere_imports_cleanly(connectsphere):
    src, p = connectsphere
    assert len(p) == 3000 and p["post_id"].is_unique
    assert src.mapping["followers"] == "author_followers" and src.mapping["parent_id"] == "in_reply_to"
    assert p["created_at"].notna().all()
    assert (p["created_at"].max() - p["created_at"].min()).days == 29
    assert p["text"].nunique() > 2000  # varied text, not one template


def test_connectsphere_sentiment_trajectory_matches_the_brief(connectsphere):
    _, p = connectsphere
    p = p.assign(vader=_vader_labels(p["text"]), day=(p["created_at"] - p["created_at"].min()).dt.days)
    launch = p[p["day"] < 7]["vader"].value_counts(normalize=True)
    late = p[p["day"] >= 27]["vader"].value_counts(normalize=True)
    assert abs(launch["positive"] - 0.75) < 0.03 and abs(launch["neutral"] - 0.20) < 0.03
    assert abs(launch["negative"] - 0.05) < 0.03
    assert abs(late["positive"] - 0.56) < 0.04 and abs(late["neutral"] - 0.245) < 0.04
    assert abs(late["negative"] - 0.195) < 0.04
    # VADER agrees with the planted tone overall, within a point
    planted = p["truth_sentiment"].value_counts(normalize=True)
    measured = p["vader"].value_counts(normalize=True)
    assert (planted - measured).abs().max() < 0.01


def test_connectsphere_segments_and_topics(connectsphere):
    _, p = connectsphere
    authors = p.groupby("author")["truth_segment"].first().value_counts(normalize=True)
    for seg, share in {"Power users": 0.15, "Cautious adopters": 0.45, "Skeptics/strugglers": 0.25,
                       "Feature ignorers": 0.15}.items():
        assert abs(authors[seg] - share) < 0.04, (seg, authors[seg])
    by_seg = p.groupby("truth_segment")["likes"].mean()
    assert by_seg["Power users"] > 5 * by_seg["Cautious adopters"] > 5 * by_seg["Feature ignorers"]
    neg = p[p["truth_sentiment"] == "negative"]["truth_topic"].value_counts(normalize=True)
    assert neg.index[:2].tolist() == sorted(["agenda", "privacy"], key=lambda t: -neg[t])
    privacy = p[p["truth_topic"] == "privacy"]
    first, last = privacy["created_at"].dt.day <= 10, privacy["created_at"].dt.day > 20
    assert last.sum() / p[p["created_at"].dt.day > 20].shape[0] > first.sum() / p[p["created_at"].dt.day <= 10].shape[0]


def test_gamerfuel_imports_with_day_first_dates_and_platform_names(gamerfuel):
    src, p = gamerfuel
    assert len(p) == 5000
    assert src.mapping["created_at"] == "date" and src.mapping["platform"] == "network"
    assert set(p["platform"]) == {"x", "tiktok", "instagram", "youtube", "reddit"}
    assert p["created_at"].notna().all()
    assert p["created_at"].min() == pd.Timestamp("2026-08-01", tz="UTC").normalize() + (
        p["created_at"].min() - pd.Timestamp("2026-08-01", tz="UTC"))
    assert p["created_at"].max() < pd.Timestamp("2026-10-01", tz="UTC")
    assert set(p["brand"]) == {"GamerFuel", "CrunchLord", "PixelPops"}


def test_gamerfuel_crisis_streamers_savoury_and_bots(gamerfuel):
    _, p = gamerfuel
    p = p.assign(vader=_vader_labels(p["text"]))
    assert (p["vader"] == p["truth_sentiment"]).mean() == 1.0
    gf = p[p["brand"] == "GamerFuel"]
    day = gf["created_at"].dt.normalize()
    neg_by_day = (gf["vader"] == "negative").groupby(day).mean()
    spike = neg_by_day.idxmax()
    assert pd.Timestamp("2026-09-06", tz="UTC") <= spike <= pd.Timestamp("2026-09-14", tz="UTC")
    assert neg_by_day.max() > 2.5 * neg_by_day[: pd.Timestamp("2026-08-31", tz="UTC")].mean()
    crisis = p[p["truth_topic"].isin(["aftertaste", "packaging"])]
    assert crisis["text"].str.contains("aftertaste").sum() > 200
    assert crisis["text"].str.contains("open").sum() > 100
    streamers = crisis[crisis["truth_role"] == "streamer"]
    assert len(streamers) > 20 and streamers["followers"].min() >= 100_000
    savoury = p["truth_topic"] == "savoury"
    day_n = (p["created_at"] - p["created_at"].min()).dt.days
    assert savoury[day_n >= 46].mean() > 2 * savoury[day_n < 14].mean()  # the savoury conversation grows
    bots = p[p["truth_is_bot"].astype(str) == "True"]
    assert 0.02 < len(bots) / len(p) < 0.1
    assert bots["followers"].max() < 50 and bots["text"].str.contains(r"\.example/").mean() > 0.5
