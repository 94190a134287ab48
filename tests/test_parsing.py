"""Counts, dates, platforms and text repair."""
import pandas as pd

from lib.ingest.parsing import clean_text, normalize_platform, normalize_post_type, parse_counts, parse_datetimes


def test_counts():
    s = pd.Series(["1.2K", "3,400", "1.5M", "2 436", "3.400", "12", "12.0", "7k+", "", None, "abc", "-5", "1,2K"])
    out, bad = parse_counts(s)
    assert out.tolist()[:8] == [1200, 3400, 1_500_000, 2436, 3400, 12, 12, 7000]
    assert pd.isna(out[8]) and pd.isna(out[9])
    assert pd.isna(out[10]) and pd.isna(out[11])  # text and negative counts are not counts
    assert out[12] == 1200
    assert bad == 2


def _utc(s):
    return pd.Timestamp(s, tz="UTC")


def test_iso_with_offsets_to_utc():
    r = parse_datetimes(pd.Series(["2024-03-01T10:00:00+02:00", "2024-03-01T10:00:00Z", "2024-03-01 10:00"]))
    assert r.values.tolist() == [_utc("2024-03-01 08:00"), _utc("2024-03-01 10:00"), _utc("2024-03-01 10:00")]
    assert r.offsets[0] == "+02:00"
    assert r.failed == 0


def test_day_first_detected():
    r = parse_datetimes(pd.Series(["03/04/2024 10:00", "25/04/2024 11:30"]))
    assert r.values[0] == _utc("2024-04-03 10:00")
    assert any("day first" in n for n in r.notes)


def test_time_of_day_written_with_dots():
    # the airline tweets re-saved by Excel in a locale that writes times with dots ("24-02-2015 11.35"): no date was
    # read, and the export had "no date column"
    r = parse_datetimes(pd.Series(["24-02-2015 11.35", "16-02-2015 23.36", "24.02.2015 11.35.20",
                                   "Feb 24, 2015 9.05 PM", "24.02.2015", "2015-02-24 11:35:52.123"]))
    assert r.values.tolist() == [_utc("2015-02-24 11:35"), _utc("2015-02-16 23:36"), _utc("2015-02-24 11:35:20"),
                                 _utc("2015-02-24 21:05"), _utc("2015-02-24"), _utc("2015-02-24 11:35:52.123")]
    assert r.failed == 0


def test_dates_without_times_are_not_said_to_lack_a_time_zone():
    assert "Times carry no time zone; they were read as UTC" not in parse_datetimes(pd.Series(["16-Jan-18",
                                                                                                "2018-01-17"])).notes
    assert "Times carry no time zone; they were read as UTC" in parse_datetimes(pd.Series(["2018-01-17 09:30"])).notes


def test_month_first_detected_and_ambiguous_default():
    r = parse_datetimes(pd.Series(["03/04/2024", "04/25/2024"]))
    assert r.values[0] == _utc("2024-03-04")
    amb = parse_datetimes(pd.Series(["03/04/2024", "05/06/2024"]))
    assert amb.values[0] == _utc("2024-03-04")
    assert any("ambiguous" in n for n in amb.notes)
    forced = parse_datetimes(pd.Series(["03/04/2024", "05/06/2024"]), dayfirst=True)
    assert forced.values[0] == _utc("2024-04-03")


def test_epoch_seconds_and_ms():
    assert parse_datetimes(pd.Series(["1700000000", "1700003600"])).values[0] == _utc("2023-11-14 22:13:20")
    assert parse_datetimes(pd.Series(["1700000000000"])).values[0] == _utc("2023-11-14 22:13:20")


def test_ctime_and_twitter_forms():
    r = parse_datetimes(pd.Series(["Mon May 11 03:17:40 UTC 2009", "Wed Oct 10 20:19:24 +0000 2018"]))
    assert r.values.tolist() == [_utc("2009-05-11 03:17:40"), _utc("2018-10-10 20:19:24")]
    # Sentiment140's training tweets write a US zone name before the year: it was dropped (read as UTC, 7 hours
    # off) with a pandas warning that such strings will soon be refused
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        r = parse_datetimes(pd.Series(["Mon Apr 06 22:19:45 PDT 2009", "2021-03-01 09:00:00 EST"]))
    assert r.values.tolist() == [_utc("2009-04-07 05:19:45"), _utc("2021-03-01 14:00:00")]
    assert "Time zone names (EST, PST, ...) were read as US time zones" in r.notes


def test_impossible_and_mixed_dates():
    r = parse_datetimes(pd.Series(["2024-02-30", "2024-02-28", "yesterday", "", "March 3, 2024 5pm"]))
    assert pd.isna(r.values[0]) and pd.isna(r.values[2]) and pd.isna(r.values[3])
    assert r.values[1] == _utc("2024-02-28")
    assert r.values[4] == _utc("2024-03-03 17:00")
    assert r.failed == 2  # empty cells are absent, not failed


def test_platform_names():
    s = pd.Series(["Twitter", "X", "www.reddit.com", "IG", "Facebook Page", "YouTube", "tiktok", "Mastodon", None])
    assert normalize_platform(s).tolist()[:8] == ["x", "x", "reddit", "instagram", "facebook", "youtube",
                                                  "tiktok", "other"]


def test_post_types():
    assert normalize_post_type(pd.Series(["Photo", "Status", "Reels", "CAROUSEL_ALBUM", "Poll"])).tolist() == [
        "image", "text", "reel", "carousel", "poll"]


def test_clean_text_repairs_without_changing_meaning():
    s = pd.Series(["cafÃ© is great", "Fish &amp; chips", "line<br />two", "hi\ufeff", "I <3 you > them",
                   "<a href=\"http://x\">link</a> text", "plain ascii", None])
    out = clean_text(s).tolist()
    assert out[:7] == ["café is great", "Fish & chips", "line\ntwo", "hi", "I <3 you > them", "link text",
                       "plain ascii"]
    assert pd.isna(out[7])
