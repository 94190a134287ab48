"""Listening: sentiment (VADER, the product label, learning from labels), alerts, emotion, intent, people."""
import numpy as np
import pandas as pd
import pytest

from lib.ingest.build import ImportOptions, build_posts, open_sources
from lib.listening import sentiment as sent
from lib.listening.alerts import alerts_frame, detect, driver_terms
from lib.listening.emotion import dominant_emotion, emotion_scores
from lib.listening.enrich import enrich, filter_posts, sentiment_for, text_scores
from lib.listening.intent import intent, sarcasm_flag
from lib.listening.people import authors, rank
from lib.listening.trends import trajectory
from lib.store.workspace import Workspace
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def gamerfuel():
    posts = build_posts(open_sources([ROOT / "sample_data" / "gamerfuel.csv"]), ImportOptions()).posts
    return enrich(posts).frame


def test_vader_scores_and_thresholds():
    texts = pd.Series(["I love this!", "This is terrible.", "The box is blue.", "I love this!"])
    v = sent.vader_scores(texts)
    assert v.loc[0, "compound"] > 0.5 and v.loc[1, "compound"] < -0.4 and v.loc[2, "compound"] == 0
    assert v.loc[0].equals(v.loc[3])
    assert sent.vader_labels(v["compound"]).tolist() == ["positive", "negative", "neutral", "positive"]
    assert v.loc[0, "compound"] < 0.7 and v.loc[1, "compound"] > -0.7
    assert sent.vader_labels(v["compound"], 0.7, -0.7).tolist() == ["neutral"] * 4
    with pytest.raises(ValueError):
        sent.vader_labels(v["compound"], -0.1, 0.1)


def test_parallel_scoring_matches_serial(monkeypatch):
    texts = pd.Series([f"post {i} is {'great' if i % 2 else 'awful'} #{i}" for i in range(400)])
    serial = sent.vader_scores(texts, workers=1)
    monkeypatch.setattr(sent, "PARALLEL_MIN", 10)
    parallel = sent.vader_scores(texts, workers=2)
    pd.testing.assert_frame_equal(serial, parallel)


def test_product_label_reads_polite_and_factual_complaints_as_negative():
    texts = pd.Series(["thanks for the 3 hour delay, great job @airline", "still no response after 2 hours",
                       "you lost my luggage. great job.", "been on hold for 45 minutes",
                       "love the new lounge, great service!", "what time does boarding start?",
                       "Can't stop eating these, they're awesome"])
    s = sent.score(texts)
    assert s["sentiment_label"].tolist() == ["negative"] * 4 + ["positive", "neutral", "positive"]
    assert s.loc[0, "vader_label"] == "positive"  # what plain VADER gets wrong
    assert s["complaint_cue"].tolist()[:4] == [True] * 4


def test_scores_are_cached_in_the_workspace(tmp_path, monkeypatch):
    texts = pd.Series(["great stuff", "bad stuff", "great stuff"])
    with Workspace(tmp_path / "ws.duckdb") as ws:
        first = text_scores(texts, ws)
        calls = []
        monkeypatch.setattr(sent, "vader_scores", lambda t, workers=None: calls.append(len(t)))
        again = text_scores(texts, ws)  # nothing left to score
        assert calls == []
        pd.testing.assert_frame_equal(first, again, check_dtype=False)
        stored = ws._con.execute("SELECT count(*) FROM text_scores").fetchone()[0]
        assert stored == 2  # identical texts stored once


def test_user_labels_win_and_adaptation_learns(gamerfuel):
    texts = pd.Series(["the app is fine i guess"] * 3 + [f"order {i} arrived" for i in range(60)] +
                      [f"order {i} never arrived" for i in range(60)])
    base = sent.score(texts)
    labels = pd.Series(np.nan, index=texts.index, dtype=object)
    labels[0] = "negative"
    labels[3:33] = "positive"  # "arrived" is good news in this domain
    labels[63:93] = "negative"
    a = sent.fit_adaptation(texts, base, labels)
    assert a.n_labels == 61
    assert a.scores.loc[0, "sentiment_label"] == "negative" and a.scores.loc[0, "sentiment_source"] == "your label"
    rest_pos = a.scores.loc[33:62, "sentiment_label"]
    rest_neg = a.scores.loc[93:, "sentiment_label"]
    assert (rest_pos == "positive").mean() > 0.9 and (rest_neg == "negative").mean() > 0.9
    assert a.cv_accuracy is not None and a.cv_accuracy > 0.9


def test_a_handful_of_labels_changes_only_the_labelled_posts(gamerfuel):
    texts = gamerfuel["text"].head(400).reset_index(drop=True)
    base = sent.score(texts)
    labels = pd.Series(np.nan, index=texts.index, dtype=object)
    labels[[0, 1, 2, 3, 4]] = ["negative", "negative", "positive", "negative", "neutral"]
    a = sent.fit_adaptation(texts, base, labels)
    assert not a.applied and a.cv_accuracy is None  # too few to check a model against the out-of-the-box label
    assert a.scores.loc[:4, "sentiment_label"].tolist() == labels[:5].tolist()
    assert a.scores.loc[5:, "sentiment_label"].equals(base.loc[5:, "sentiment_label"])
    assert set(a.scores.loc[:4, "sentiment_source"]) == {"your label"}


def test_adaptation_reads_meaning_from_embeddings():
    """Labelled posts say "superb"/"dreadful"; the rest say words no labelled post used. With vectors that
    carry the meaning, the adapted model labels the rest right; from the words alone it cannot."""
    rng = np.random.default_rng(0)
    good, bad = ["superb", "lovely", "grand", "smashing"], ["dreadful", "rotten", "dire", "pants"]
    texts, meaning = [], []
    for i in range(160):
        side = i % 2
        word = (good if side == 0 else bad)[0 if i < 80 else 1 + i % 3]
        texts.append(f"delivery number {i} was {word}")
        meaning.append(side)
    texts = pd.Series(texts)
    vectors = np.zeros((len(texts), 8), dtype=np.float32)
    vectors[np.arange(len(texts)), meaning] = 1.0
    vectors += rng.normal(0, 0.1, vectors.shape).astype(np.float32)
    base = sent.score(texts)
    labels = pd.Series(np.nan, index=texts.index, dtype=object)
    labels[:80] = np.where(np.array(meaning[:80]) == 0, "positive", "negative")
    truth = np.where(np.array(meaning[80:]) == 0, "positive", "negative")
    with_meaning = sent.fit_adaptation(texts, base, labels, vectors=vectors)
    words_only = sent.fit_adaptation(texts, base, labels)
    assert with_meaning.used_embeddings and not words_only.used_embeddings and with_meaning.applied
    assert (with_meaning.scores["sentiment_label"][80:] == truth).mean() > 0.95
    assert (words_only.scores["sentiment_label"][80:] == truth).mean() < 0.9


def test_label_vectors_only_from_the_cache_unless_asked(tmp_path):
    from lib.embeddings.minilm import DIM
    from lib.listening.enrich import label_vectors

    texts = pd.Series(["the flight was late again", "great crew, thanks", "the flight was late again"])
    with Workspace(tmp_path / "ws.duckdb") as ws:
        assert label_vectors(texts, ws, compute=False) is None  # nothing cached: a label click never embeds
        assert label_vectors(texts, None, compute=False) is None
        computed = label_vectors(texts, ws, compute=True)  # the command line with --labels
        assert computed.shape == (3, DIM) and np.allclose(computed[0], computed[2])
        cached = label_vectors(texts, ws, compute=False)
        assert cached is not None and np.allclose(cached, computed)


def test_least_certain_skips_labelled_and_repeated_texts():
    texts = pd.Series(["meh", "meh", "it is what it is", "I love it", "I hate it", "ok then"])
    s = sent.score(texts)
    picked = sent.least_certain(s, texts, pd.Index([2]), n=3)
    assert 2 not in picked and not (0 in picked and 1 in picked) and len(picked) == 3


def test_corrections_persist_across_restarts(tmp_path):
    path = tmp_path / "ws.duckdb"
    posts = build_posts(open_sources([ROOT / "sample_data" / "connectsphere.csv"]), ImportOptions()).posts.head(300)
    with Workspace(path) as ws:
        imported = build_posts(open_sources([ROOT / "sample_data" / "connectsphere.csv"]), ImportOptions())
        ds = ws.save_dataset("cs", imported.posts, imported.excluded, imported.report, raw=imported.raw)
        pid = posts["post_id"].iloc[0]
        model_label = sentiment_for(posts, ws).scores["sentiment_label"].iloc[0]
        flipped = "negative" if model_label != "negative" else "positive"
        ws.set_labels(ds, {pid: flipped, posts["post_id"].iloc[1]: "neutral"})
        ws.set_labels(ds, {posts["post_id"].iloc[1]: None})  # removed again
    with Workspace(path) as ws:
        labels = ws.labels(ds)
        assert labels.to_dict() == {pid: flipped}
        s = sentiment_for(posts, ws, labels=labels).scores
        assert s["sentiment_label"].iloc[0] == flipped and s["sentiment_source"].iloc[0] == "your label"
        ws.delete(ds)
        assert ws.labels(ds).empty


def test_alert_finds_the_planted_gamerfuel_spike(gamerfuel):
    alerts = detect(gamerfuel)
    assert len(alerts) == 1
    a = alerts[0]
    assert pd.Timestamp("2026-09-07", tz="UTC") <= a.start <= pd.Timestamp("2026-09-09", tz="UTC")
    assert pd.Timestamp("2026-09-11", tz="UTC") <= a.end <= pd.Timestamp("2026-09-15", tz="UTC")
    assert set(a.kinds) == {"volume", "negative share"}
    assert a.negative_share > 2.5 * a.baseline_negative_share
    assert {"aftertaste", "packaging"} <= set(a.terms[:4]) | {t for t in a.terms if "open" in t} | set(a.terms)
    assert "aftertaste" in a.terms[:3] and any("packaging" in t or "open" in t for t in a.terms[:4])
    streamers = set(gamerfuel.loc[gamerfuel["truth_role"] == "streamer", "author"])
    assert set(a.amplifiers["author"].head(5)) <= streamers
    truth = gamerfuel.set_index("post_id")["truth_topic"]
    assert truth.loc[a.post_ids[:50]].isin(["aftertaste", "packaging"]).mean() > 0.9
    # more sensitivity finds at least as much; none at all on a flat series
    assert len(detect(gamerfuel, sensitivity=2.0)) >= 1
    assert len(detect(gamerfuel, sensitivity=50)) == 0
    row = alerts_frame(alerts).iloc[0]
    assert row["kind"] == "volume + negative share" and "aftertaste" in row["terms"]


@pytest.mark.parametrize("seed", range(5))
def test_no_alert_on_steady_data(seed):
    days = pd.date_range("2026-01-01", periods=40, freq="D", tz="UTC")
    rng = np.random.default_rng(seed)
    rows = [{"post_id": f"{d:%j}-{i}", "created_at": d + pd.Timedelta(hours=i % 24), "text": "ok",
             "sentiment_label": rng.choice(["positive", "neutral", "negative"], p=[0.5, 0.3, 0.2])}
            for d in days for i in range(int(rng.integers(30, 50)))]
    assert detect(pd.DataFrame(rows)) == []


def test_driver_terms_prefer_what_is_new():
    focus = pd.Series(["the aftertaste is awful"] * 10 + ["great game tonight"] * 3)
    background = pd.Series(["great game tonight"] * 30 + ["love the flavour"] * 10)
    assert driver_terms(focus, background)[0] == "aftertaste"


def test_trajectory_shares_net_and_velocity():
    posts = pd.DataFrame({"created_at": pd.to_datetime(["2026-01-01", "2026-01-01", "2026-01-02", "2026-01-04"],
                                                       utc=True),
                          "sentiment_label": ["positive", "negative", "positive", "negative"]})
    t = trajectory(posts, freq="D", window=2)
    assert t["posts"].tolist() == [2, 1, 0, 1]
    assert t["net"].tolist()[:2] == [0.0, 1.0] and np.isnan(t["net"].iloc[2]) and t["net"].iloc[3] == -1.0
    assert t["net_rolling"].tolist()[1] == 0.5 and t["velocity"].iloc[1] == 0.5


def test_people_rank_advocates_detractors(gamerfuel):
    table = authors(gamerfuel)
    det = rank(table, "detractors", min_posts=3)
    assert len(det) and (det["net"] < -0.3).all()
    assert set(det["author"].head(3)) <= set(gamerfuel.loc[gamerfuel["truth_role"] == "streamer", "author"])
    adv = rank(table, "advocates")
    assert (adv["net"] > 0.3).all()
    inf = rank(table, "influencers")
    assert inf["reach_score"].is_monotonic_decreasing


def test_emotion_words_and_negation():
    s = emotion_scores(pd.Series(["I am so happy and excited", "not happy at all, this is disgusting",
                                  "worried about my data, creepy", "the box is blue"]))
    d = dominant_emotion(s)
    assert d.tolist() == ["joy", "disgust", "fear", "none"]
    assert s.loc[1, "joy"] == 0  # "not happy" does not count as joy


def test_intent_rules():
    texts = pd.Series(["How do I reset my password?", "Where can I buy the new flavour? take my money",
                       "Is X better than Y for gaming? which one", "My order never arrived and nobody answers",
                       "Highly recommend, best support ever!", "the meeting is at 3pm in room 4"])
    lab = sent.score(texts)["sentiment_label"]
    got = intent(texts, lab)
    assert got["intent"].tolist() == ["information request", "purchase intent", "comparing options",
                                      "complaint / issue", "praise / advocacy", "other"]
    assert got["intent_confidence"].between(0, 1).all()


def test_sarcasm_flag():
    cases = {"oh great, another 3 hour delay": True, "great flight, thanks crew": False,
             "thanks for losing my bag": True, "I just LOVE it when my train is cancelled": True,
             "Best customer service ever #not": True, "love this phone /s": True, "Totally normal #sarcasm": True,
             "I love the new update": False, "can't wait to see you all": False, "press the /s key": False,
             "thanks, the missing bag was found": False}
    texts = pd.Series(list(cases))
    flags = sarcasm_flag(texts, sent.vader_scores(texts)["compound"])
    assert dict(zip(cases, flags.tolist())) == cases


def test_filters(gamerfuel):
    f = filter_posts(gamerfuel, brands=["CrunchLord"], sentiments=["negative"])
    assert len(f) and (f["brand"] == "CrunchLord").all() and (f["sentiment_label"] == "negative").all()
    assert filter_posts(gamerfuel, search="AFTERTASTE")["text"].str.lower().str.contains("aftertaste").all()
    start = pd.Timestamp("2026-09-08", tz="UTC")
    assert filter_posts(gamerfuel, start=start)["created_at"].min() >= start


def test_aspects_read_only_the_sentences_that_mention_them():
    from lib.listening.aspects import aspect_sentiment, parse_aspects, summary

    aspects = parse_aspects("taste: flavour, tasty\npackaging: wrapper, bag; price")
    assert aspects == {"taste": ["taste", "flavour", "tasty"], "packaging": ["packaging", "wrapper", "bag"],
                       "price": ["price"]}
    posts = pd.DataFrame({"post_id": ["a", "b", "c"],
                          "text": ["I love the flavour. The wrapper is awful and impossible to open.",
                                   "Great taste!", "The bag ripped, terrible packaging"]})
    m = aspect_sentiment(posts, aspects)
    got = {(r.post_id, r.aspect): r.sentiment_label for r in m.itertuples()}
    assert got == {("a", "taste"): "positive", ("b", "taste"): "positive", ("a", "packaging"): "negative",
                   ("c", "packaging"): "negative"}
    t = summary(m).set_index("aspect")
    assert t.loc["taste", "positive"] == 1.0 and t.loc["packaging", "negative"] == 1.0
    assert t.loc["taste", "mentions"] == 2 and "price" not in t.index


def test_aspect_suggestions_on_gamerfuel(gamerfuel):
    from lib.listening.aspects import suggest

    picks = suggest(gamerfuel)
    assert "aftertaste" in picks and "gamerfuel" not in " ".join(picks).lower()


def test_warm_up_loads_the_sentiment_model():
    from lib.listening.enrich import warm_up

    sent.public_model.cache_clear()
    warm_up()
    assert sent.public_model.cache_info().currsize == 1  # the first real dataset does not pay for it
