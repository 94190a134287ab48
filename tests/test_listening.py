"""Listening: sentiment (VADER, the product label, learning from labels), alerts, emotion, intent, people."""
import os
import re

import numpy as np
import pandas as pd
import pytest

from lib.ingest.build import ImportOptions, build_posts, open_sources
from lib.listening import cues
from lib.listening import sentiment as sent
from lib.listening.alerts import (
    Alert,
    alerts_frame,
    background_days,
    detect,
    driver_terms,
    headline,
    in_reading_order,
    posts_behind,
    rank_amplifiers,
    spam_note,
    term_texts,
)
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


def _dying_worker(texts: list[str]) -> np.ndarray:
    """`_score_chunk` that kills the worker process it runs in (as the kernel would, out of memory)."""
    if os.getpid() != _PARENT:
        os._exit(1)
    return _REAL_CHUNK(texts)


_PARENT, _REAL_CHUNK = 0, sent._score_chunk


def test_vader_ahead_gives_the_same_posts_and_survives_a_dead_worker(monkeypatch):
    """Enrichment starts VADER in a worker process while it reads cues, language and emotion: the same frame as
    scoring in turn, and a worker that dies costs time, never the scores."""
    global _PARENT
    texts = [f"post {i}: {'great service, thanks' if i % 3 else 'still waiting 3 hours for my refund'} #{i}"
             for i in range(120)] + ["Love it!", "Worst airline ever", ""]
    posts = pd.DataFrame({"post_id": [str(i) for i in range(len(texts))], "text": texts, "platform": "x"})
    monkeypatch.setattr(sent, "AHEAD_MIN", 10**9)
    in_turn = enrich(posts).frame
    monkeypatch.setattr(sent, "AHEAD_MIN", 50)
    taken, result = [], sent.VaderAhead.result
    monkeypatch.setattr(sent.VaderAhead, "result", lambda self: taken.append(len(self.texts)) or result(self))
    pd.testing.assert_frame_equal(in_turn, enrich(posts).frame)
    assert taken == [len(texts)]  # every distinct text scored by the worker
    _PARENT = os.getpid()
    monkeypatch.setattr(sent, "_score_chunk", _dying_worker)
    pd.testing.assert_frame_equal(in_turn, enrich(posts).frame)
    assert taken == [len(texts)] * 2


def _score_in_daemon(queue) -> None:
    texts = pd.Series([f"post {i} is {'great' if i % 2 else 'awful'}" for i in range(sent.PARALLEL_MIN + 10)])
    try:
        queue.put(len(sent.vader_scores(texts, workers=2)))
    except Exception as exc:  # reported, so the test fails at once with the reason
        queue.put(repr(exc))


def test_scoring_in_a_daemonic_process_stays_in_it():
    """A Dask worker is daemonic and may not start processes: 1M posts on `--engine dask` failed with
    "daemonic processes are not allowed to have children" before. Scoring there runs on the one core."""
    import multiprocessing

    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=_score_in_daemon, args=(queue,), daemon=True)
    proc.start()
    got = queue.get(timeout=120)
    proc.join(timeout=30)
    assert got == sent.PARALLEL_MIN + 10 and proc.exitcode == 0


def test_product_label_reads_polite_and_factual_complaints_as_negative():
    texts = pd.Series(["thanks for the 3 hour delay, great job @airline", "still no response after 2 hours",
                       "you lost my luggage. great job.", "been on hold for 45 minutes",
                       "love the new lounge, great service!", "what time does boarding start?",
                       "Can't stop eating these, they're awesome"])
    s = sent.score(texts)
    assert s["sentiment_label"].tolist() == ["negative"] * 4 + ["positive", "neutral", "positive"]
    assert s.loc[0, "vader_label"] == "positive"  # what plain VADER gets wrong
    assert s["complaint_cue"].tolist()[:4] == [True] * 4


def test_a_time_amount_alone_is_no_complaint():
    """A time amount counted as both a waiting time and an issue word (its unit): real tweets such as "Only 82 days
    left until Valentines Day" and a shop's "48 hours only" were read as complaints, "love it! 2 days to go" too."""
    texts = pd.Series(["Only 82 days left until Valentines Day", "Everything in my store is on sale! 48 hours only!",
                       "Love it! 2 days to go", "me every 20 minutes: persona 5 is gonna be so good",
                       "thanks, been on hold 40 minutes", "still waiting 3 days later", "thanks for the 2 day delay"])
    s = sent.score(texts)
    assert s["complaint_cue"].tolist() == [False] * 4 + [True] * 3
    assert (s["sentiment_label"][:4] != "negative").all() and (s["sentiment_label"][4:] == "negative").all()
    flags = sarcasm_flag(pd.Series(["I just love it when I get 3 days off", "yeah right, 2 hours of sunshine",
                                    "been waiting 3 hours, love it when this happens"]), pd.Series([0.6, 0.4, 0.5]))
    assert flags.tolist() == [False, False, True]  # sarcasm needs an issue too, and a time amount alone is none
    probes = pd.Series(["30mins on hold", "on hold 2 HOURS", "still 3 weeks", "still 5 h", "2 hours", None])
    assert cues.waiting_time(cues.cue_frame(probes)).tolist() == [True, True, True, True, False, False]


def test_a_problem_said_not_to_happen_or_put_right_is_no_complaint():
    """Real GoEmotions comments the complaint rule forced negative (thanks beside an issue word): a problem said
    not to happen, or thanks for one put right. A complaint in the same words stays one."""
    texts = pd.Series(["Nothing wrong with that! Sounds awesome :)",
                       "no problem!!! :) have a great day, thanks for taking the time to comment",
                       "Thanks, not sure how I missed that. Fixed it!", "zero issues with my order, thanks!",
                       "thanks for the 3 hour delay", "thanks, the problem is still not fixed",
                       "no problems with the app but my flight was delayed again, thanks"])
    s = sent.score(texts)
    assert s["complaint_cue"].tolist() == [False] * 4 + [True] * 3
    assert (s["sentiment_label"][:4] != "negative").all() and (s["sentiment_label"][4:] == "negative").all()
    c = cues.cue_frame(texts)
    # "missed" is reported, but put right ("Fixed it!")
    assert cues.reported_issues(c).tolist()[:4] == [0, 0, 1, 0] and c["denied"].tolist()[:4] == [1, 1, 0, 1]
    assert cues.reported_issues(c)[6] == 1  # "no problems" said, "delayed" reported


def test_the_model_counts_only_the_issues_a_post_reports():
    """A problem said not to happen is no issue in the model's features either (public-2 counted it, and review
    sentences such as "i've had no problems with it" read negative); "nothing but problems" reports them."""
    texts = pd.Series(["no problems at all with it", "problems with it again", "two weeks in and nothing but problems",
                       "never had an issue with them"])
    c = cues.cue_frame(texts)
    assert cues.reported_issues(c).tolist() == [0, 1, 1, 0] and c["denied"].tolist() == [1, 0, 0, 1]
    dense = sent.features(texts, sent.vader_scores(texts), c)
    assert dense[:, 5 + cues.CUE_FEATURES.index("strong_issue")].tolist() == [0, 1, 1, 0]
    assert sent.public_model().version == sent.MODEL_VERSION == "public-3"  # retrained on these features


def test_factual_complaints_without_sentiment_words_are_negative_and_requests_neutral():
    expected = {"my card still hasn't arrived and it has been two weeks": "negative",
                "I was charged twice for one order": "negative", "my refund is still not showing up": "negative",
                "the app won't let me log in since the update": "negative", "how do I change my PIN?": "neutral",
                "what time does the store open on sunday?": "neutral",
                "Thanks @united, smooth flight and a friendly crew": "positive"}
    s = sent.score(pd.Series(list(expected)))
    assert dict(zip(expected, s["sentiment_label"])) == expected
    assert (s.loc[:2, "p_negative"] > 0.9).all() and not s.loc[:3, "complaint_cue"].any()  # the model, not the rule
    assert (s["vader_label"][:4] != "negative").sum() >= 3  # what plain VADER misses
    probs = s[["p_negative", "p_neutral", "p_positive"]].sum(axis=1)
    assert np.allclose(probs, 1.0)


def test_vader_reads_a_posts_words_not_its_handles():
    """VADER strips the "@" and reads a handle as a word: "@united" is "united", +1.8 in its lexicon, so every
    complaint to United Airlines leaned positive (a real airline export: United's negative share 15 points under
    its labels, 7 with handles left out)."""
    texts = pd.Series(["@united and waiting", "@united still waiting on hold", "United we stand, great team"])
    words, stock = sent.vader_scores(texts), sent.vader_scores(texts, words_only=False)
    assert stock["compound"][0] > 0.4 and words["compound"][0] == 0
    assert words["compound"][1] < stock["compound"][1]
    assert words["compound"][2] == stock["compound"][2] > 0.5  # the word itself still counts
    assert sent.score(texts[:1])["sentiment_label"][0] == "negative"  # it was positive (p 0.84)
    assert sent.SCORES_VERSION != sent.MODEL_VERSION  # scores cached before the change are not reused


def test_vader_reads_stretched_words_as_the_words_they_stretch(shared):
    """VADER knows "love", not "LOVEEEE": a real airline tweet "... I LOVEEEE YOU SO MUCH" was neutral and the report
    quoted it first. On the VADER paper's human-rated tweets with a stretched word, VADER's agreement with the
    raters rises (r 0.840 -> 0.879 on 107 tweets); every other tweet reads as before."""
    assert sent.unstretched("I LOVEEEE it, sooooo goooood, so baaaad") == "I LOVE it, so good, so bad"
    assert sent.unstretched("Thank youuuuu, zzzz") == "Thank youu, zz"  # no word VADER knows: two letters kept
    assert sent.unstretched("plain text") == "plain text"
    t = pd.Series(["@SouthwestAir YOU ARE THE EASIEST AIRLINE TO DEAL WITH.. I LOVEEEE YOU SO MUCH"])
    assert sent.score(t)["sentiment_label"][0] == "positive"
    rated = pd.read_csv(shared / "vader_groundtruth" / "DERIVED_vader_groundtruth_all.csv").query("corpus == 'tweets'")
    texts = rated["text"].astype(str).reset_index(drop=True)
    stretched = texts.map(lambda x: sent._RUN.search(x) is not None).to_numpy()
    y = rated["mean_sentiment"].to_numpy()[stretched]
    now = sent.vader_scores(texts[stretched], workers=1)["compound"].to_numpy()
    stock = sent.vader_scores(texts[stretched], workers=1, words_only=False)["compound"].to_numpy()
    assert stretched.sum() > 100 and np.corrcoef(now, y)[0, 1] >= np.corrcoef(stock, y)[0, 1] + 0.03


def test_shipped_model_is_small_versioned_and_loads_offline():
    m = sent.PublicModel.load(sent.MODEL_PATH)
    assert sent.MODEL_PATH.stat().st_size < 8e6
    assert m.version == sent.MODEL_VERSION and len(m.vectorizers) == 1
    assert 0 < m.bias < 2  # a prior towards "negative" for brand mentions, chosen by the training script
    assert list(m.classifier.classes_) == sorted(sent.LABELS)


def test_scoring_no_texts_gives_the_columns_and_no_rows():
    one = sent.score(pd.Series(["the app keeps crashing"]))
    none = sent.score(pd.Series([], dtype=str))
    assert none.empty and list(none.columns) == list(one.columns)


def test_training_data_is_only_what_may_ship(shared):
    from lib.listening import train

    assert not train.PROBLEM_INTENTS & train.REQUEST_INTENTS
    intents = set(pd.read_json(shared / "banking77" / "categories.json")[0])
    assert train.PROBLEM_INTENTS | train.REQUEST_INTENTS <= intents
    assert len(train.PROBLEM_INTENTS | train.REQUEST_INTENTS) >= 70
    data = train.training_data(shared)
    assert set(data["label"]) == set(sent.LABELS) and len(data) > 60_000
    g = train.goemotions("dev", shared)
    assert g["label"].value_counts().to_dict() == {"positive": 1941, "neutral": 1592, "negative": 1014}
    rows = train.resample(g["label"].reset_index(drop=True), train.COMPLAINT_HEAVY)
    shares = g["label"].iloc[rows].value_counts(normalize=True)
    assert abs(shares["negative"] - 0.63) < 0.005 and abs(shares["positive"] - 0.16) < 0.005


def test_fitting_the_public_model_is_deterministic(shared):
    from lib.listening import train

    data = train.training_data(shared).sample(1500, random_state=0)
    a, b = train.fit_public_model(data, 0.6), train.fit_public_model(data, 0.6)
    assert np.array_equal(a.classifier.coef_, b.classifier.coef_) and a.bias == 0.6
    texts = pd.Series(["my parcel never arrived", "great crew, thanks"])
    v = sent.vader_scores(texts)
    pd.testing.assert_frame_equal(a.proba(texts, v), b.proba(texts, v))


def test_zero_shot_on_complaint_heavy_real_tweets(shared):
    """TweetEval test resampled to 63 % negative (evaluation only: nothing is trained or tuned on it). public-1
    labelled 36 % of it negative (macro-F1 0.51, accuracy 0.53); public-2 49 % (0.55, 0.60). Sentiment140:
    macro-F1 0.74 -> 0.75, its negative share 9 -> 3 points under."""
    from lib.listening.train import COMPLAINT_HEAVY, resample

    folder = shared / "tweeteval_sentiment"
    texts = pd.Series((folder / "test_text.txt").read_text(encoding="utf-8").split("\n")[:-1]).str.strip()
    y = pd.Series((folder / "test_labels.txt").read_text().split()).astype(int).map(dict(enumerate(sent.LABELS)))
    rows = resample(y, COMPLAINT_HEAVY)
    texts, y = texts.iloc[rows].reset_index(drop=True), y.iloc[rows].reset_index(drop=True)
    label = sent.score(texts)["sentiment_label"]
    from sklearn.metrics import f1_score

    assert (label == "negative").mean() > 0.47 and f1_score(y, label, average="macro") > 0.54
    assert (label == y).mean() > 0.59
    s140 = pd.read_csv(shared / "sentiment140_test" / "testdata.manual.2009.06.14.csv")
    got = sent.score(s140["text"])["sentiment_label"]
    truth = s140["polarity"].map({0: "negative", 2: "neutral", 4: "positive"})
    assert f1_score(truth, got, average="macro") > 0.74
    assert abs((got == "negative").mean() - (truth == "negative").mean()) < 0.04


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


def test_the_dataset_model_fits_on_a_sample_of_many_labels_and_every_labelled_post_keeps_its_own(monkeypatch):
    """A file's own sentiment can label every post: the model is fitted and cross-validated on a seeded sample of
    MAX_FIT_LABELS of them (its cost stays bounded), and still labels the unlabelled posts from what they taught."""
    texts = pd.Series([f"order {i} arrived" for i in range(40)] + [f"order {i} never arrived" for i in range(40)]
                      + [f"tracking number for order {i}" for i in range(40)])
    base = sent.score(texts)
    labels = pd.Series(np.nan, index=texts.index, dtype=object)
    labels[:30], labels[40:70], labels[80:110] = "positive", "negative", "neutral"
    monkeypatch.setattr(sent, "MAX_FIT_LABELS", 45)
    fitted = []
    real = sent._cross_validated
    monkeypatch.setattr(sent, "_cross_validated", lambda x, y, seed: fitted.append(len(y)) or real(x, y, seed))
    a = sent.fit_adaptation(texts, base, labels)
    assert fitted == [45] and a.n_labels == 90 and a.applied
    assert (a.scores.loc[labels.notna(), "sentiment_label"] == labels[labels.notna()]).all()
    assert (a.scores.loc[labels.notna(), "sentiment_source"] == "your label").all()
    assert (a.scores.loc[30:39, "sentiment_label"] == "positive").mean() >= 0.9
    assert (a.scores.loc[70:79, "sentiment_label"] == "negative").mean() >= 0.9


def test_the_dataset_model_fits_on_the_columns_its_labels_use_and_is_the_same_model():
    """Fitting on only the columns the labelled rows use (the speed-up for a large vocabulary) gives the model a
    fit on every column gives."""
    texts = pd.Series([f"order {i} arrived, thank you so much" for i in range(60)]
                      + [f"parcel {i} never arrived, refund please" for i in range(60)]
                      + [f"where is the tracking number for box {i}" for i in range(60)]
                      + [f"unrelated words like zebra{i} and quartz{i}" for i in range(60)])
    base = sent.score(texts)
    x = sent._design(texts, base, None, None)
    rows = np.r_[0:20, 60:80, 120:140]
    y = np.array(["positive"] * 20 + ["negative"] * 20 + ["neutral"] * 20, dtype=object)
    model = sent._fitted(x[rows], y, 0)
    assert len(model.columns) < x.shape[1] / 2  # the zebras and quartzes, and the unlabelled ids, are left out
    full = sent._classifier(0).fit(x[rows], y)
    order = [list(full.classes_).index(c) for c in sent.LABELS]
    assert np.allclose(model.proba(x), full.predict_proba(x)[:, order], atol=1e-6)


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


def test_with_every_post_labelled_no_model_is_fitted_and_nothing_embedded(monkeypatch):
    """A file's own sentiment used as labels labels every post: no other post is left for a model (fitting one took
    12 s on 12,284 tweets, and the command line embedded every post for it first)."""
    texts = pd.Series([f"order {i} arrived" for i in range(30)] + [f"order {i} never arrived" for i in range(30)])
    posts = pd.DataFrame({"post_id": [f"p{i}" for i in range(60)], "text": texts})
    labels = pd.Series(["positive"] * 30 + ["negative"] * 30, index=posts["post_id"])
    monkeypatch.setattr(sent, "_design", lambda *a, **k: pytest.fail("a model was fitted"))
    monkeypatch.setattr("lib.listening.enrich.label_vectors", lambda *a, **k: pytest.fail("posts were embedded"))
    out = sentiment_for(posts, labels=labels, embed_labels=True)
    a = out.adaptation
    assert a is not None and a.n_labels == 60 and not a.applied and a.cv_accuracy is None
    assert a.baseline_accuracy == pytest.approx((sent.score(texts)["sentiment_label"] == labels.to_numpy()).mean())
    assert out.scores["sentiment_label"].tolist() == labels.tolist()
    assert (out.scores["sentiment_source"] == "your label").all()


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


def test_the_teach_queue_offers_half_at_random_half_least_sure():
    texts = pd.Series([f"post number {i} is {w}" for i, w in enumerate(["fine", "bad", "great", "meh"] * 5)])
    s = sent.score(texts)
    first = sent.next_to_label(s, texts, pd.Index([]))
    assert len(first) == 6 and first.is_unique
    random_part, sure_part = first[:3], first[3:]
    assert list(random_part) == list(sent.next_to_label(s, texts, pd.Index([]))[:3])  # a fixed order: skips return
    assert set(sure_part) <= set(sent.least_certain(s, texts, pd.Index(random_part), n=20)[:3])
    later = sent.next_to_label(s, texts, pd.Index(first))
    assert not set(later) & set(first) and len(later) == 6


def test_labels_from_the_teach_queue_keep_the_share_estimate_honest(shared):
    """Real YouTube comments hand-labelled for sentiment: 150 labels on the posts the model is least sure of (the
    Teach tab before) put the estimated negative share off, a point or more further than the queue's mix (half at
    random) does, which keeps it near, like random labels (bench/eval_shares.py --queue)."""
    import sys

    sys.path.insert(0, str(ROOT / "bench"))
    import eval_shares as es

    from lib.listening.enrich import sentiment_for
    from lib.listening.shares import estimate_shares

    posts = es.youtube().assign(post_id=lambda d: [f"p{i}" for i in range(len(d))])
    base = sentiment_for(posts).scores
    truth = float((posts["truth"] == "negative").mean())

    def estimate(rows: list[int]) -> tuple[float, list[float]]:
        labels = pd.Series(posts["truth"].to_numpy()[rows], index=posts["post_id"].to_numpy()[rows])
        frame = pd.concat([posts, sentiment_for(posts, labels=labels).scores], axis=1)
        r = estimate_shares(frame, labels)
        return r.overall["negative"], r.interval["overall"]["negative"]

    def labelled_as_offered(queue) -> list[int]:  # six at a time, the model refitted every 30 labels
        pick: list[int] = []
        scores = base
        while len(pick) < 150:
            pick += [int(i) for i in queue(scores, pick)]
            if len(pick) % 30 == 0 and len(pick) < 150:
                labels = pd.Series(posts["truth"].to_numpy()[pick], index=posts["post_id"].to_numpy()[pick])
                scores = sentiment_for(posts, labels=labels).scores
        return pick[:150]

    least = labelled_as_offered(lambda scores, pick: sent.least_certain(scores, posts["text"], pd.Index(pick), 6))
    mixed = labelled_as_offered(lambda scores, pick: sent.next_to_label(scores, posts["text"], pd.Index(pick)))
    (bad, _), (good, good_range) = estimate(least), estimate(mixed)
    # 12.5 % for 9.5 % (public-2: 14.5 %, its range missing the truth), against the mix's 11.0 %. Over 12 draws
    # (bench/eval_shares.py --queue, since VADER reads stretched words, 2026-12-07): least sure 3.0 points off, the
    # mix 1.5, random labels 1.3 (least sure was 5.0 before: VADER reading "loooove" helped the model most there)
    assert abs(bad - truth) > 0.025 and abs(bad - truth) > abs(good - truth) + 0.01
    assert abs(good - truth) < 0.02 and good_range[0] <= truth <= good_range[1]


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


def test_the_posts_behind_an_alert_are_those_that_use_its_terms_each_text_once():
    """Without engagement counts every post ties: the posts shown first are those using most of the alert's driver
    terms (then the earliest), not the file's first rows; a retweeted text is shown once with its copies. With
    counts, the most engaged post leads."""
    day = pd.Timestamp("2015-02-22", tz="UTC")
    posts = pd.DataFrame({
        "post_id": ["p1", "p2", "p3", "p4", "p5", "p6"],
        "text": ["@VirginAmerica Middle seat on a red eye", "@united my DFW flight was cancelled, on hold for hours",
                 "@JetBlue Our fleet's on fleek", "@JetBlue our fleet's on fleek ", "@AmericanAir cancelled again",
                 "not in this alert"],
        "created_at": [day + pd.Timedelta(hours=h) for h in (0, 5, 2, 3, 1, 4)]})
    terms = ["fleet", "fleek", "dfw", "cancelled", "hours"]

    def behind(frame: pd.DataFrame) -> pd.DataFrame:
        focus = frame.iloc[:5]
        ids = in_reading_order(focus, term_texts(focus["text"]), terms)
        return posts_behind(Alert(day, day, ["volume"], 5, 1.0, 0.5, 0.5, 5.0, terms=terms, post_ids=ids), frame)

    got = behind(posts)
    assert got["post_id"].tolist() == ["p2", "p3", "p5", "p1"] and got["copies"].tolist() == [1, 2, 1, 1]
    engaged = behind(posts.assign(likes=[40, 0, 1, 2, 0, 99]))
    assert engaged["post_id"].tolist() == ["p1", "p4", "p2", "p5"] and engaged["copies"].tolist() == [1, 2, 1, 1]


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
    assert " posts on " in row["compared_with"] and "% negative on " in row["compared_with"]


@pytest.mark.parametrize("seed", range(5))
def test_no_alert_on_steady_data(seed):
    days = pd.date_range("2026-01-01", periods=40, freq="D", tz="UTC")
    rng = np.random.default_rng(seed)
    rows = [{"post_id": f"{d:%j}-{i}", "created_at": d + pd.Timedelta(hours=i % 24), "text": "ok",
             "sentiment_label": rng.choice(["positive", "neutral", "negative"], p=[0.5, 0.3, 0.2])}
            for d in days for i in range(int(rng.integers(30, 50)))]
    assert detect(pd.DataFrame(rows)) == []


def _posts_per_day(first_day: str, posts, negative) -> pd.DataFrame:
    """A posts frame with these counts per UTC day, spread over each day, the first `negative` of a day negative."""
    days = pd.date_range(first_day, periods=len(posts), freq="D", tz="UTC")
    posts, negative = np.asarray(posts, int), np.asarray(negative, int)
    rank = np.concatenate([np.arange(n) for n in posts])
    per_day = np.repeat(posts, posts)
    created = np.repeat(days, posts) + pd.to_timedelta((rank + 0.5) / per_day * 86_400, unit="s")
    label = np.where(rank < np.repeat(negative, posts), "negative", np.where(rank % 2, "neutral", "positive"))
    return pd.DataFrame({"post_id": [f"p{i}" for i in range(len(rank))], "created_at": created,
                         "text": "flight delayed again", "author": [f"a{i % 500}" for i in range(len(rank))],
                         "sentiment_label": label})


def test_alert_on_the_real_airline_surge_from_its_first_days():
    # the 14,640 airline tweets of 17-24 Feb 2015, counted per UTC day (the first and last days are partial):
    # a trailing two-week baseline had no history there and raised nothing at the default sensitivity
    posts = [953, 1416, 1298, 1512, 1418, 2392, 3515, 2136]
    negative = [552, 827, 666, 849, 901, 1744, 2346, 1293]
    [a] = detect(_posts_per_day("2015-02-17", posts, negative))
    assert a.start == pd.Timestamp("2015-02-22", tz="UTC") and a.end == pd.Timestamp("2015-02-23", tz="UTC")
    assert a.kinds == ["volume"] and a.posts == 2392 + 3515 and 2700 < a.expected_posts < 3100
    assert a.compared_with.startswith("3,515 posts on Mon 23 Feb vs a usual 1,417 a day (median of the 4 ordinary "
                                      "days 18–21 Feb; first and last day left out as often partial)")


def test_a_volume_alert_that_is_most_of_the_data_up_to_its_end_says_it_may_be_where_collection_began():
    """A real X scrape of 1,290 dog tweets (Apify's, its search reaching back unevenly: 6 tweets over the 11 days
    before 7 April, then 40 to 560 a day) raised "07 Apr – 18 Apr: volume, 1,284 posts (about 6 expected)", as
    much where the collection began as a surge: said. A surge that ends before the data does is not."""
    lead_in = [1, 1, 0, 1, 0, 0, 0, 0, 1, 2, 0]
    scrape = [93, 38, 42, 50, 44, 60, 45, 73, 107, 157, 559]
    [a] = detect(_posts_per_day("2023-03-27", lead_in + scrape, [0] * 22))
    assert a.start == pd.Timestamp("2023-04-07", tz="UTC") and a.posts == sum(scrape)
    assert a.compared_with.endswith(f"; it holds {sum(scrape):,} of the {sum(lead_in + scrape):,} dated posts and "
                                    "the 11 days before it 6: if the data was collected from 7 Apr on (a scraper's "
                                    "search reaching back unevenly), this is where it starts, not a surge")
    # the same surge with three weeks of ordinary days after it: a surge
    [b] = detect(_posts_per_day("2023-03-27", lead_in + scrape + [1, 0, 2] * 7, [0] * 43))
    assert b.start == a.start and "collected" not in b.compared_with


def test_alert_says_which_days_its_terms_were_compared_with():
    # the airline tweets span nine days: "against the four weeks around it" was not what was compared
    day = pd.Timestamp("2015-02-22", tz="UTC")
    a = Alert(day, day + pd.Timedelta(days=1), ["volume"], 6107, 2816.0, 0.6, 0.49, 6.3)
    first, last = pd.Timestamp("2015-02-16 23:36", tz="UTC"), pd.Timestamp("2015-02-24 11:53", tz="UTC")
    assert background_days(a, first, last) == "the other days from 16 Feb to 24 Feb 2015"
    assert background_days(a, first - pd.Timedelta(days=60), last + pd.Timedelta(days=60)) == \
        "the four weeks either side of it"
    assert background_days(a, first - pd.Timedelta(days=60), last) == "the other days from 25 Jan to 24 Feb 2015"
    assert background_days(a, day, day + pd.Timedelta(days=1, hours=5)) == "nothing: the data has no other days"


HALLOWEEN = ["pumpkin costume contest", "candy corn shortage", "haunted house tickets", "skeleton mask broken",
             "witch hat delivery", "ghost tour refund", "zombie makeup sold", "spider decoration missing"]


def spike_most_of_its_file() -> pd.DataFrame:
    """Three weeks of one short post a day, then a day of 40 posts in eight different phrases (`HALLOWEEN`): the
    day holds more words than the weeks around it (a real care dump of one Halloween: 474 of 543 tweets)."""
    rows = [(f"q{d}", f"2026-10-{d:02d} 12:00", f"hello {d}") for d in range(1, 22)]
    rows += [(f"s{i}", f"2026-10-31 {8 + i % 12:02d}:{i:02d}", f"{HALLOWEEN[i % 8]} {i}") for i in range(40)]
    return pd.DataFrame(rows, columns=["id", "date", "content"])


def test_a_spike_that_is_most_of_its_file_gets_tentative_terms_said_to_be_so(tmp_path):
    """No term can stand out for certain against fewer words than the spike's own: the page said "no distinctive
    terms" of the 474 tweets of a real Halloween. The terms that lean most towards it are given, marked tentative;
    where the background is larger and nothing stands out, still nothing."""
    from lib.listening.alerts import chosen_terms

    path = tmp_path / "spike.csv"
    spike_most_of_its_file().to_csv(path, index=False)
    [alert] = detect(enrich(build_posts(open_sources([path]), ImportOptions()).posts).frame)
    assert alert.start == pd.Timestamp("2026-10-31", tz="UTC") and alert.terms_tentative
    spike_words = {w for phrase in HALLOWEEN for w in phrase.split()}
    assert len(alert.terms) == 8 and all(set(t.split()) <= spike_words for t in alert.terms)
    assert alert.as_row()["terms_kind"] == "tentative"
    terms = np.array(["candy", "hello", "tour"])
    assert chosen_terms(terms, np.array([5, 0, 4]), np.array([0, 30, 0])) == ([], False)  # a larger background
    assert chosen_terms(terms, np.array([5, 0, 4]), np.array([0, 3, 0])) == (["candy", "tour"], True)
    assert chosen_terms(terms, np.array([60, 1, 4]), np.array([0, 30, 9])) == (["candy"], False)  # it stands out


def _posts_per_month(first: str, posts, negative, period: str = "MS") -> pd.DataFrame:
    """A posts frame dated by month (or year) only, as review sites write "2016-1": every post on the 1st."""
    starts = pd.date_range(first, periods=len(posts), freq=period, tz="UTC")
    rank = np.concatenate([np.arange(n) for n in posts])
    label = np.where(rank < np.repeat(negative, posts), "negative", "positive")
    text = np.where(np.repeat(np.arange(len(posts)) == int(np.argmax(posts)), posts), "queue closed broken ride",
                    "fun day magic parade")
    return pd.DataFrame({"post_id": [f"p{i}" for i in range(len(rank))], "created_at": np.repeat(starts, posts),
                         "text": [f"{t} {i % 7}" for i, t in enumerate(text)], "author": "a",
                         "sentiment_label": label})


def test_alerts_on_data_dated_by_month_compare_months():
    """A real four-year file of park reviews dated "2016-1" (every post on the 1st) raised 48 alerts, one on each
    1st against "a usual under 1 a day"; months are now compared with months."""
    from lib.listening.alerts import daily, own_periods
    from lib.listening.charts import alert_chart

    rng = np.random.default_rng(7)
    posts = rng.poisson(20, 36)
    steady = _posts_per_month("2016-01-01", posts, rng.binomial(posts, 0.3))
    assert own_periods(daily(steady))[1] == "month" and detect(steady) == []
    posts[20] = 80
    negative = rng.binomial(posts, 0.3)
    negative[20] = 60
    [a] = detect(_posts_per_month("2016-01-01", posts, negative))
    assert (a.start, a.end, a.unit) == (pd.Timestamp("2017-09-01", tz="UTC"), pd.Timestamp("2017-09-30", tz="UTC"),
                                        "month")
    assert headline(a).startswith("Sep 2017: volume and negative share · 80 posts (about ")
    assert a.compared_with.startswith("80 posts in Sep 2017 vs a usual ") and " a month (median of the 28 " \
        "ordinary months " in a.compared_with and "60 of 80 posts" in a.compared_with
    assert {"queue", "closed", "broken"} <= {w for t in a.terms for w in t.split()}  # against the year either side
    assert background_days(a, pd.Timestamp("2016-01-01", tz="UTC"), pd.Timestamp("2018-12-01", tz="UTC")) == \
        "the year either side of it"
    counts, unit = own_periods(daily(_posts_per_month("2016-01-01", posts, negative)))
    assert len(counts) == 36 and counts["posts"].tolist() == posts.tolist()
    assert alert_chart(counts, [(a.start, a.end)], unit).to_dict()["layer"][1]["encoding"]["y"]["title"] == \
        "Posts per month"
    # dated by year: compared year by year (nine steady years, one of four times the posts)
    yearly = _posts_per_month("2010-01-01", [30, 28, 33, 31, 29, 120, 30, 32, 27, 31], [9] * 10, period="YS")
    assert own_periods(daily(yearly))[1] == "year"
    [y] = detect(yearly)
    assert headline(y).startswith("2015: volume · 120 posts") and "posts in 2015 vs a usual" in y.compared_with


def test_dask_alerts_of_data_dated_by_month_match_the_local_ones():
    """A partitioned run finds its alerts from its summed daily counts: a file dated by month is judged month by
    month there too, and its windows' details are asked for at that resolution."""
    from lib.distributed.aggregates import alerts_from, listening_aggregates, merge

    rng = np.random.default_rng(7)
    posts = rng.poisson(20, 36)
    posts[20] = 80
    frame = _posts_per_month("2016-01-01", posts, rng.binomial(posts, 0.3)).assign(vader_label="neutral")
    for c in ("negative", "neutral", "positive"):
        frame[f"p_{c}"] = 1 / 3
    units = []
    got = alerts_from(merge([listening_aggregates(frame)]), 3.5,
                      lambda windows, unit: units.append(unit) or [{"terms": [], "post_ids": [], "amplifiers":
                                                                    pd.DataFrame(), "spam_share": 0.0,
                                                                    "terms_tentative": False,
                                                                    "brands": pd.DataFrame()}] * len(windows))
    want = alerts_frame(detect(frame))
    assert units == ["month"] and len(got) == len(want) == 1
    cols = ["start", "end", "kind", "posts", "expected_posts", "compared_with"]
    pd.testing.assert_frame_equal(got[cols], want[cols])


def test_alert_on_an_airline_shaped_series_covers_the_peak():
    rng = np.random.default_rng(2015)
    posts = rng.poisson(1400 * rng.gamma(1 / 0.08 ** 2, 0.08 ** 2, 9))  # ~8 % day-to-day swing beyond chance
    posts[6], posts[7] = rng.poisson(3600), rng.poisson(3300)  # days 7 and 8
    frame = _posts_per_day("2015-02-16", posts, rng.binomial(posts, 0.6))
    [a] = detect(frame)
    days = pd.date_range("2015-02-16", periods=9, freq="D", tz="UTC")
    assert (a.start, a.end) == (days[6], days[7]) and "volume" in a.kinds
    usual = int(re.search(r"vs a usual ([\d,]+) a day", a.compared_with).group(1).replace(",", ""))
    assert a.compared_with.startswith(f"{posts[6]:,} posts on {days[6]:%a %d %b}") and 1250 < usual < 1550
    assert a.as_row()["compared_with"] == a.compared_with and alerts_frame([a]).columns[-4] == "compared_with"
    assert a.spam_share == 0 and spam_note(a) == ""  # "flight delayed again" is no spam


def test_alert_on_a_jump_from_a_perfectly_flat_series():
    """Scheduled posting: 40 posts every day, then 200. The robust spread of the days is 0; the jump itself used
    to be counted as the usual swing (z 2.5, no alert)."""
    posts = [40] * 8 + [200] + [40] * 6
    [a] = detect(_posts_per_day("2015-02-16", posts, [8] * 15))
    assert a.start == a.end == pd.Timestamp("2015-02-24", tz="UTC") and a.kinds == ["volume"] and a.peak_z > 10


def test_alert_wording_without_reach_or_with_a_usual_under_one_post():
    """Real YouTube comments carry no follower or like counts, and a video's comments come at under one a day:
    the amplifiers are then the most active authors (not an arbitrary order of zeros), and nothing says
    "about 0 expected"."""
    agg = pd.DataFrame({"author": ["a", "b", "c"], "followers": 0.0, "posts": [1, 5, 2], "engagement": 0.0})
    assert rank_amplifiers(agg)["author"].tolist() == ["b", "c", "a"]
    day = pd.Timestamp("2013-11-28", tz="UTC")
    quiet = Alert(day, day, ["volume"], 12, 0.6, 0.17, 0.01, 5.0)
    assert headline(quiet) == "28 Nov 2013: volume · 12 posts (under 1 expected) · negative 17% (usually 1%)"


def test_alert_says_how_much_of_it_looks_like_spam():
    """A surge of channel promotion under a video is a spam wave, not a conversation: the alert says what share of
    its posts look like spam by their own text, and alerts.csv gains the column at its end (columns only added)."""
    posts = np.random.default_rng(7).poisson(40, 15)
    posts[8] = 200
    frame = _posts_per_day("2015-02-16", posts, posts // 5).assign(platform="youtube")
    day = frame["created_at"].dt.normalize() == pd.Timestamp("2015-02-24", tz="UTC")
    promo = day & (frame.groupby(day).cumcount() < 120)
    frame.loc[promo, "text"] = "check out my channel for new music www.example.com"
    [a] = detect(frame)
    assert a.start == a.end == pd.Timestamp("2015-02-24", tz="UTC") and a.kinds == ["volume"]
    assert a.spam_share == pytest.approx(120 / 200)
    assert spam_note(a).startswith("60% of the posts behind it look like spam")
    line = headline(a)
    assert line.startswith("24 Feb 2015: volume · 200 posts (about 4") and line.endswith(" · 60% spam-like")
    row = alerts_frame([a]).iloc[0]
    assert list(alerts_frame([a]).columns[-4:-2]) == ["compared_with", "spam_share"] and row["spam_share"] == 0.6


STEADY = [  # days, posts a day, weekly rhythm (Monday first), day-to-day swing beyond Poisson, negative share
    (30, 8, None, 0.0, 0.2),
    (45, 40, [1.1, 1.1, 1.1, 1.1, 1.0, 0.6, 0.6], 0.0, 0.3),  # quieter weekends
    (60, 150, [1.8, 1.0, 1.0, 1.0, 1.0, 0.8, 0.8], 0.05, 0.15),  # a Monday peak: a spike for a weekday-blind baseline
    (90, 25, [1.2, 1.2, 1.1, 1.1, 1.0, 0.7, 0.7], 0.1, 0.25),
    (75, 600, None, 0.1, 0.35),
]


@pytest.mark.parametrize("days,level,weekly,swing,share", STEADY)
def test_no_alert_on_steady_series_of_any_size(days, level, weekly, swing, share):
    rng = np.random.default_rng(days + level)
    idx = pd.date_range("2026-03-02", periods=days, freq="D", tz="UTC")
    mu = level * (np.asarray(weekly)[idx.dayofweek] if weekly else np.ones(days))
    if swing:
        mu = mu * rng.gamma(1 / swing ** 2, swing ** 2, days)
    posts = rng.poisson(mu)
    assert detect(_posts_per_day("2026-03-02", posts, rng.binomial(posts, share))) == []


def test_negative_share_spike_on_a_normal_day_but_not_on_a_tiny_day():
    rng = np.random.default_rng(3)
    posts = rng.poisson(120, 40)
    negative = rng.binomial(posts, 0.1)
    negative[20] = round(posts[20] * 0.35)  # a normal-volume day, 35 % negative against a usual 10 %
    posts[30], negative[30] = 5, 3  # a tiny day: 3 of 5 negative is 60 %, but 5 posts say little
    frame = _posts_per_day("2026-05-01", posts, negative)
    days = pd.date_range("2026-05-01", periods=40, freq="D", tz="UTC")
    for min_posts in (10, 2):  # at 2, only the statistics (not the minimum counts) keep the tiny day out
        [a] = detect(frame, min_posts=min_posts)
        assert a.start == a.end == days[20] and a.kinds == ["negative share"]
        assert 0.08 < a.baseline_negative_share < 0.12 and a.peak_z > 5
        assert a.compared_with.startswith(f"35% negative on {days[20]:%a %d %b} ({negative[20]} of {posts[20]} "
                                          "posts) vs a usual 10%")


def test_a_usual_share_from_a_few_posts_leans_on_the_whole_series():
    """Real YouTube comments: a burst of 34 comments after a month with 2 (one negative) read "negative 18 %
    (usually 50 %)". Posts missing to a 20-post block are taken at the share of the whole series."""
    posts, negative = np.zeros(106, int), np.zeros(106, int)
    posts[:40], negative[:40] = 20, 3  # a busy stretch at 15 % negative
    posts[80], negative[80] = 1, 1  # then a quiet month: two posts, one of them negative
    posts[90] = 1
    posts[100], negative[100] = 34, 6  # the burst, 18 % negative
    [a] = [a for a in detect(_posts_per_day("2014-01-01", posts, negative)) if a.start.day_of_year == 101]
    assert a.kinds == ["volume"] and round(a.negative_share, 2) == 0.18
    assert 0.15 <= a.baseline_negative_share <= 0.2  # (1 + 18 x 15 %) / 20, not 1 of 2
    assert "(usually 18%)" in headline(a)


def test_alert_on_a_real_surge_of_youtube_comments(shared):
    # LMFAO's video: 0-4 comments a day in early May 2015, then 11-27 a day from 16 May
    posts = build_posts(open_sources([shared / "youtube_spam" / "Youtube03-LMFAO.csv"]), ImportOptions()).posts
    f = enrich(posts).frame
    alerts = detect(f)
    assert alerts and alerts[-1].start == pd.Timestamp("2015-05-16", tz="UTC") and "volume" in alerts[-1].kinds
    assert alerts[-1].end >= pd.Timestamp("2015-05-20", tz="UTC")


def test_driver_terms_prefer_what_is_new():
    focus = pd.Series(["the aftertaste is awful"] * 10 + ["great game tonight"] * 3)
    background = pd.Series(["great game tonight"] * 30 + ["love the flavour"] * 10)
    assert driver_terms(focus, background)[0] == "aftertaste awful"  # the phrase its posts write, not its word


def test_alert_terms_are_the_phrases_their_posts_write(shared):
    """Sentiment140's real spike of brand queries (35 tweets about Time Warner, 25 about "Night at the Museum")
    read "time, warner, night, museum", and the report's summary said it was "about time, warner, night". A word
    gives way to the phrase it nearly always stands in; phrases of one template do not chain ("check new, new
    mixtape, mixtape check" for "check my new mixtape")."""
    path = shared / "sentiment140_test" / "testdata.manual.2009.06.14.csv"
    [alert] = detect(enrich(build_posts(open_sources([path]), ImportOptions()).posts).frame)
    assert alert.terms[:2] == ["time warner", "night museum"] and "time" not in alert.terms
    spam = driver_terms(pd.Series([f"check my new mixtape {i}" for i in range(10)]),
                        pd.Series([f"great song number {i}" for i in range(40)]))
    words = [w for t in spam for w in t.split()]
    assert len(words) == len(set(words)) and {"check", "new", "mixtape"} <= set(words), spam


def test_an_alert_says_which_brands_are_above_their_usual_share(shared):
    """Sentiment140's real spike of 2 June is the day most of its queries were collected: its terms said what, not
    whose. It now names the brands most above their usual share of the posts around it."""
    from lib.listening.alerts import brand_counts, rank_brands

    path = shared / "sentiment140_test" / "testdata.manual.2009.06.14.csv"
    [alert] = detect(enrich(build_posts(open_sources([path]), ImportOptions()).posts).frame)
    assert alert.brands["brand"].tolist() == ["time warner", "night at the museum", "gm"]  # its query's quotes off
    assert alert.as_row()["brands"].startswith("time warner 20% (usually 2%); ")
    focus = pd.DataFrame({"brand": ["a"] * 8 + ["b"] * 2})
    usual = pd.DataFrame({"brand": ["a"] * 10 + ["b"] * 30})
    ranked = rank_brands(brand_counts(focus, usual))
    assert ranked["brand"].tolist() == ["a"] and ranked.loc[0, "share"] == 0.8 and ranked.loc[0, "usual_share"] == 0.25
    assert rank_brands(brand_counts(focus.assign(brand="a"), usual.assign(brand="a"))).empty  # one brand: whose else
    assert rank_brands(brand_counts(focus.drop(columns="brand"), usual)).empty  # no brand column


def test_driver_terms_are_never_links_handles_or_html():
    """Real YouTube comments made "http www" a driver of their biggest surge; their text also carries <br /> and
    <a href> tags."""
    focus = pd.Series([f"billion views http://www.youtube.com/watch?v={i} <br />@Psy <a href=\"x\">1:02</a>"
                       for i in range(12)])
    background = pd.Series(["love this song"] * 30)
    terms = driver_terms(focus, background)
    assert terms and terms[0] in ("billion", "billion views", "views")
    assert not {"http", "www", "http www", "youtube", "watch", "psy", "href", "br"} & {w for t in terms
                                                                                       for w in [t, *t.split()]}
    assert driver_terms(pd.Series([], dtype=object), background) == []  # a window with no focus post (Dask)


def test_driver_terms_keep_a_not_with_its_verb():
    """A real spike of Google Play reviews of a bank's app was driven by "doesn, work" (the words cut at their
    apostrophe); "won't open" would have been "won". Curly apostrophes too."""
    focus = pd.Series(["the app doesn\u2019t work after the update"] * 5 + ["it won't open at all"] * 4)
    terms = driver_terms(focus, pd.Series(["great app, easy transfers"] * 30))
    assert "doesn't work" in terms and ("won't" in terms or "won't open" in terms)
    assert not {"doesn", "won"} & {w for t in terms for w in t.split()}


def test_trajectory_shares_net_and_velocity():
    posts = pd.DataFrame({"created_at": pd.to_datetime(["2026-01-01", "2026-01-01", "2026-01-02", "2026-01-04"],
                                                       utc=True),
                          "sentiment_label": ["positive", "negative", "positive", "negative"]})
    posts = pd.concat([posts] * 10, ignore_index=True)  # ten of each: a window of fewer than 10 posts has no net
    t = trajectory(posts, freq="D", window=2)
    assert t["posts"].tolist() == [20, 10, 0, 10]
    assert t["net"].tolist()[:2] == [0.0, 1.0] and np.isnan(t["net"].iloc[2]) and t["net"].iloc[3] == -1.0
    # the rolling net is that of the window's posts together (1 positive, 1 negative, then 1 positive: +1/3), not
    # the mean of the days' nets (+0.5), in which a day of one post weighed as much as a day of two
    assert t["net_rolling"].iloc[1] == pytest.approx(1 / 3) and t["velocity"].iloc[1] == pytest.approx(1 / 3)
    assert t["net_rolling"].tolist()[2:] == [1.0, -1.0]  # a day without posts adds nothing to the window
    by = trajectory(posts.assign(brand=["A", "B", "A", "A"] * 10), freq="D", by="brand", window=2)
    a = by[by["brand"] == "A"].set_index("period")["net_rolling"].tolist()
    assert a == [1.0, 1.0, 1.0, -1.0]  # A's days: +1, +1, none, -1, each window of two days on its own
    b = by[by["brand"] == "B"].set_index("period")["net_rolling"].tolist()
    assert b[:2] == [-1.0, -1.0] and np.isnan(b[3])  # B posted once, on the first day


def test_a_rolling_window_far_thinner_than_the_usual_one_has_no_rolling_net():
    """The real airline tweets begin with 4 posts of a partial day, 3 negative: the rolling line started at -0.75
    where every full window read -0.2 to -0.4. A window with under a tenth of the median window's posts has none."""
    start = pd.Timestamp("2015-02-16 23:30", tz="UTC")
    times = [start] * 4 + [start.normalize() + pd.Timedelta(days=d, minutes=m) for d in (1, 2, 3) for m in range(100)]
    labels = ["negative"] * 3 + ["neutral"] + (["negative"] * 30 + ["neutral"] * 40 + ["positive"] * 30) * 3
    t = trajectory(pd.DataFrame({"created_at": times, "sentiment_label": labels}), freq="D", window=7)
    assert t["posts"].tolist() == [4, 100, 100, 100] and t["net"].iloc[0] == -0.75
    assert np.isnan(t["net_rolling"].iloc[0]) and t["net_rolling"].iloc[1:].tolist() == pytest.approx(
        [-3 / 104, -3 / 204, -3 / 304])  # from the first full day, the partial day's posts counted in the window
    # a brand of a handful of posts a day before its day of many: no line over 1-4 posts (American Airlines' rose
    # to +0.50 on the day of one positive tweet)
    few = trajectory(pd.DataFrame({"created_at": times[:7] + times[104:], "sentiment_label": ["positive"] * 7 +
                                   labels[104:]}), freq="D", window=7)
    assert few["posts"].tolist()[:2] == [4, 3] and few["net_rolling"].isna().tolist() == [True, True, False, False]


def test_the_latest_rolling_net_says_which_window_it_is_of_where_the_last_are_too_thin():
    """A real care dump's last weeks held a handful of tweets: the Listening page said "Latest rolling net sentiment
    -0.09" with no date, and the KPI lab "has no value here". The page dates the window; the KPI says what it needs."""
    from lib.kpis.scorecard import latest_sentiment
    from lib.listening.trends import latest_words

    days = pd.date_range("2017-10-20", periods=10, freq="D", tz="UTC")
    times = [d + pd.Timedelta(minutes=m) for d in days[:5] for m in range(40)] + [days[9]]
    labels = (["negative"] * 20 + ["neutral"] * 10 + ["positive"] * 10) * 5 + ["positive"]
    t = trajectory(pd.DataFrame({"created_at": times, "sentiment_label": labels}), freq="D", window=3)
    assert t["net_rolling"].isna().tolist()[-3:] == [True, True, True]  # 0, 0 and 1 post in the last windows
    said = latest_words(t, 3, "day")
    assert said.startswith("Latest rolling net sentiment -0.25; velocity +0.000 per day") and \
        "of the 3 days to 26 Oct 2017: the windows after it hold too few posts" in said
    assert "to " not in latest_words(t.iloc[:7], 3, "day")  # the last period has its window: no date to say
    card = {k.name: k for k in latest_sentiment(t)}
    assert card["Net sentiment (latest)"].shown() == "n/a" and "enough posts in its latest window" in \
        card["Net sentiment (latest)"].needs


def test_people_rank_advocates_detractors(gamerfuel):
    table = authors(gamerfuel)
    det = rank(table, "detractors", min_posts=3)
    assert len(det) and (det["net"] < -0.3).all()
    assert set(det["author"].head(3)) <= set(gamerfuel.loc[gamerfuel["truth_role"] == "streamer", "author"])
    adv = rank(table, "advocates")
    assert (adv["net"] > 0.3).all()
    inf = rank(table, "influencers")
    assert inf["reach_score"].is_monotonic_decreasing


def test_without_reach_advocates_and_detractors_are_ranked_by_how_clearly_they_feel():
    """An export without followers or engagement gives everyone a reach of 0, so reach × net ties: the clearer
    feeling comes first, then the more posts (before, an author at +0.38 was listed above one at +0.63)."""
    labels = {"mild": ["positive"] * 4 + ["negative"] + ["neutral"] * 3,
              "keen": ["positive"] * 5 + ["neutral"] * 3,
              "brief": ["positive"] * 2,
              "cross": ["negative"] * 3 + ["neutral"]}
    texts = iter(f"a different sentence number {w}" for w in ("one two three four five six seven eight nine ten "
                                                              "eleven twelve thirteen fourteen fifteen sixteen "
                                                              "seventeen eighteen nineteen twenty twentyone "
                                                              "twentytwo").split())
    posts = pd.DataFrame([{"author": a, "sentiment_label": lab, "sentiment": 0.0, "text": next(texts)}
                          for a, labs in labels.items() for lab in labs])
    table = authors(posts)
    assert (table["reach_score"] == 0).all()
    assert rank(table, "advocates")["author"].tolist() == ["brief", "keen", "mild"]  # +1.00, +0.62, +0.38
    assert rank(table, "detractors")["author"].tolist() == ["cross"]


def test_intent_rules():
    texts = pd.Series(["How do I reset my password?", "Where can I buy the new flavour? take my money",
                       "Is X better than Y for gaming? which one", "My order never arrived and nobody answers",
                       "Highly recommend, best support ever!", "the meeting is at 3pm in room 4"])
    lab = sent.score(texts)["sentiment_label"]
    got = intent(texts, lab)
    assert got["intent"].tolist() == ["information request", "purchase intent", "comparing options",
                                      "complaint / issue", "praise / advocacy", "other"]
    assert got["intent_confidence"].between(0, 1).all()


def test_intent_complaint_needs_a_problem_or_a_consumer_target():
    """Complaints in plain or polite words count; negativity about one's day or politics does not."""
    cases = {  # (text, sentiment label) -> intent
        ("My card was charged twice and the app won't let me log in", "neutral"): "complaint / issue",
        ("I have a pending transaction", "neutral"): "complaint / issue",
        ("can you tell me why my card was declined?", "neutral"): "complaint / issue",
        ("Comcast sucks.", "negative"): "complaint / issue",
        ("umm, well, thanks for nothing.", "positive"): "complaint / issue",
        ("thanks for the 3 hour delay, great job", "positive"): "complaint / issue",
        ("so tired, exam tomorrow ugh", "negative"): "other",
        ("the senate vote is a disgrace", "negative"): "other",
        ("waiting in line at the bakery", "neutral"): "other",
        ("no problems at all with this phone, battery lasts days", "positive"): "praise / advocacy",
        # "since the update" says when, not what went wrong: it was an issue phrase of its own
        ("Zero issues since the update", "neutral"): "other",
        ("since the update the app keeps crashing", "negative"): "complaint / issue",
        ("How do I top up my card when I'm travelling?", "neutral"): "information request",
        # "please advise" asks; it was a problem phrase of its own (the model reads such requests as negative)
        ("Please advise what is the exchange rate for euros", "negative"): "information request",
        ("Please advise, my card was charged twice", "negative"): "complaint / issue",
    }
    texts = pd.Series([t for t, _ in cases])
    got = intent(texts, pd.Series([lab for _, lab in cases]))["intent"]
    assert dict(zip(cases, got)) == cases


def test_intent_lexicon_counts():
    from lib.listening.intent import lexicon_counts

    lex = lexicon_counts(pd.Series(["soooo goooood", "nothing is wrong with it", "it won't turn on", "i can't wait",
                                    "soooo goooood"]))
    plain = lexicon_counts(pd.Series(["so good"])).loc[0, "praise"]
    assert plain >= 1 and lex.loc[0, "praise"] == plain and lex.loc[4, "praise"] == plain  # read as the words
    assert lex.loc[1, "issue_denied"] == 1 and lex.loc[1, "trouble"] == 0  # a problem said not to happen
    assert lex.loc[2, "issue"] == 1 and lex.loc[2, "fails"] == 1
    assert lex.loc[3].sum() == 0  # "can't wait" is not a failure
    # a word stretched past two letters is read as the lexicons know it ("buyy", "refundd" were no words of theirs)
    lex = lexicon_counts(pd.Series(["where can i buyyyy this", "worst service everrrr, refunddd now"]))
    assert lex.loc[0, "purchase"] >= 1 and lex.loc[1, "issue"] >= 1


def test_intent_on_hand_labelled_real_posts(shared):
    """The held-back part of bench/data/intent_labels.csv (never read to tune the rules): measured complaint
    F1 0.65 (precision 0.66, recall 0.64) with the shipped sentiment label and the review rule on the Amazon
    review sentences, 0.62 without it; the rules before had 0.56 (0.42, 0.83). Floors leave room for a
    retrained sentiment model (with VADER's label instead: 0.58). The review rule (a surely negative review
    is a complaint about what was bought) lifts the held-back Amazon sentences' complaint F1 from 0.61 to 0.69."""
    from bench.eval_intent import COMPLAINT, REVIEW_SETS, load_labelled, rules_now, scores

    lab = load_labelled(shared)
    assert len(lab) >= 1400 and lab["text"].str.len().gt(0).all()
    held = lab[lab["part"] == "held-back"].reset_index(drop=True)
    assert 650 <= len(held) <= 800 and (held["intent"] == COMPLAINT).sum() >= 130
    now, plain = rules_now(held, sent.score(held["text"]))
    got = scores(held["intent"], now)
    assert got["complaint_f1"] >= 0.60 and got["complaint_precision"] >= 0.6 and got["accuracy"] >= 0.62
    amazon = held.index[held["set"].isin(REVIEW_SETS)]
    with_rule = scores(held["intent"][amazon], now[amazon])["complaint_f1"]
    without = scores(held["intent"][amazon], plain[amazon])["complaint_f1"]
    assert with_rule >= without + 0.04, (with_rule, without)


def test_a_surely_negative_review_is_a_complaint_but_a_negative_tweet_is_not():
    """In an export with review stars every review is about what the writer bought, so a review the model reads
    as surely negative is a complaint even with no product word ("a frustrating christmas", "the songs don't
    play one after another"); outside reviews negative sentiment alone never makes one ("so tired, exam
    tomorrow"). The import finds the stars (lib.listening.given), the pipeline passes them on."""
    from lib.listening.enrich import enrich
    from lib.listening.given import is_review_export

    texts = pd.Series(["a frustrating christmas.", "the songs don't play one after another like on a cd.",
                       "great little player, love it", "so tired, exam tomorrow"])
    scored = sent.score(texts)
    plain = intent(texts, scored["sentiment_label"])["intent"]
    as_reviews = intent(texts, scored["sentiment_label"], p_negative=scored["p_negative"], reviews=True)["intent"]
    negative = (scored["sentiment_label"] == "negative") & (scored["p_negative"] >= 0.6)
    assert negative[:2].all() and (plain[:2] != "complaint / issue").all()
    assert (as_reviews[:2] == "complaint / issue").all() and as_reviews[2] == "praise / advocacy"
    posts = pd.DataFrame({"post_id": ["a", "b", "c", "d"], "text": texts, "stars": ["1", "2", "5", "3"]})
    assert is_review_export(posts) and not is_review_export(posts.drop(columns="stars"))
    assert not is_review_export(posts.rename(columns={"stars": "polarity"}).assign(polarity=["0", "0", "4", "2"]))
    got = enrich(posts).frame["intent"]
    assert got.tolist()[:3] == as_reviews.tolist()[:3]
    assert enrich(posts.drop(columns="stars")).frame["intent"].tolist()[:2] == plain.tolist()[:2]


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
    # no brand column: the handle every post addresses (a real care inbox's first aspect was "spotifycares")
    inbox = pd.DataFrame({"text": [f"@SpotifyCares the app {w} again on my iphone" for w in
                                   ("crashes", "freezes", "stops", "skips", "logs out")] * 3})
    picks = suggest(inbox)
    assert "app" in picks and "iphone" in picks and "spotifycares" not in " ".join(picks)


def test_aspect_suggestions_read_past_the_spam(shared):
    """Real YouTube comments, half of them channel plugs: the suggested aspects began "check, video, song,
    youtube", what the spam says. Read from the other comments, without chatter, the song and the video lead."""
    from lib.ingest.parsing import clean_text
    from lib.kpis.authenticity import self_promotion
    from lib.listening.aspects import suggest

    raw = pd.read_csv(shared / "youtube_spam" / "DERIVED_youtube_spam_all.csv")
    posts = pd.DataFrame({"text": clean_text(raw["CONTENT"].astype(str)), "brand": raw["VIDEO"]})
    every = suggest(posts)
    assert {"subscribe", "channel"} <= set(every)  # read from every comment, the spam shows
    picks = suggest(posts, spam=self_promotion(posts))
    assert not {"check", "subscribe", "channel", "don", "thank"} & set(picks)
    assert picks[:2] == ["song", "video"] and not {"katy", "perry", "eminem"} & set(picks)  # nor the brands


def test_warm_up_loads_the_sentiment_model():
    from lib.listening.enrich import warm_up

    sent.public_model.cache_clear()
    warm_up()
    assert sent.public_model.cache_info().currsize == 1  # the first real dataset does not pay for it


def test_advocates_detractors_and_influencers_are_people_not_spammers(shared):
    """Real YouTube comments (UCI spam collection, human spam labels): before, 78 % of the top 20 advocates,
    80 % of the detractors and 95 % of the influencers were spam accounts promoting their channels."""
    import glob

    files = sorted(glob.glob(str(shared / "youtube_spam" / "Youtube0*.csv")))
    posts = enrich(build_posts(open_sources(files), ImportOptions()).posts).frame
    table = authors(posts)
    spam = posts.groupby("author")["CLASS"].apply(lambda s: pd.to_numeric(s).mean())
    for kind in ("advocates", "detractors", "influencers"):
        top = rank(table, kind)
        assert len(top) == 20 and spam.reindex(top["author"]).mean() <= 0.25, kind
    assert 700 <= table["likely_bot"].sum() <= 900  # 810 of 1,792 authors: the KPI lab's count


def test_alert_spam_share_follows_the_real_spam_labels(shared):
    """Real YouTube comments (UCI spam collection): each spike's share of spam-like posts, by the rule that reads
    only the post's own text, is within 6 points of the share the collection's human labels give (measured:
    within 3 points on five of the six alerts, 83 % on 28 Nov 2013 for 83 % true)."""
    import glob

    files = sorted(glob.glob(str(shared / "youtube_spam" / "Youtube0*.csv")))
    posts = enrich(build_posts(open_sources(files), ImportOptions()).posts).frame
    alerts = detect(posts)
    assert len(alerts) >= 4
    day = posts["created_at"].dt.tz_convert("UTC").dt.normalize()
    for a in alerts:
        true = pd.to_numeric(posts.loc[(day >= a.start) & (day <= a.end), "CLASS"]).mean()
        assert abs(a.spam_share - true) <= 0.06, (a.start, a.spam_share, true)
    assert max(a.spam_share for a in alerts) >= 0.8 and min(a.spam_share for a in alerts) <= 0.1


def test_a_split_by_many_brands_keeps_the_largest_and_groups_the_rest():
    """Sentiment140's 81 queries as brands split a chart into 81 lines of one repeating palette."""
    from lib.listening.trends import largest_groups

    posts = pd.DataFrame({"brand": [f"b{i}" for i in range(12) for _ in range(12 - i)] + [None, None]})
    out, others = largest_groups(posts, "brand")
    assert others == 4 and out["brand"].nunique() == 9 and (out["brand"] == "others").sum() == 4 + 3 + 2 + 1
    assert out["brand"].isna().sum() == 2 and out.index.equals(posts.index)  # no brand stays no brand
    assert largest_groups(posts.head(20), "brand")[1] == 0


def test_others_come_last_in_a_legend():
    from lib.listening.charts import others_last, volume_chart

    assert others_last(pd.Series(["nike", "others", "adidas", None, "nike"])) == ["adidas", "nike", "others"]
    counts = pd.DataFrame({"period": pd.to_datetime(["2024-01-01"] * 3), "brand": ["others", "b", "a"],
                           "posts": [5, 2, 1]})
    spec = volume_chart(counts, "D", "brand").to_dict()
    assert spec["encoding"]["color"]["sort"] == ["a", "b", "others"]


def test_time_charts_keep_quiet_stretches_and_years_on_the_axis():
    """Real YouTube comments span July 2013 to June 2015 with six silent months in 2014: one band per week (an
    ordinal axis) put "20 Jan" beside "04 Aug" and printed no year. The bars now sit on a time axis, a period
    without posts is a gap, a span of years is labelled with them, and each period's stack adds up."""
    from lib.listening.charts import sentiment_share_chart, volume_chart
    from lib.listening.trends import trajectory

    days = pd.to_datetime(["2013-07-08", "2013-07-09", "2013-07-16", "2014-08-04", "2014-08-05", "2015-06-01"],
                          utc=True)
    posts = pd.DataFrame({"created_at": days, "sentiment_label": ["positive", "negative", "neutral", "positive",
                                                                  "positive", "negative"],
                          "brand": ["a", "b", "a", "a", "b", "b"]})
    traj = trajectory(posts, freq="W", window=3)
    assert len(traj) > 50  # every week from the first to the last, quiet ones included
    spec = sentiment_share_chart(traj, "W").to_dict()
    enc, rows = spec["encoding"], pd.DataFrame(next(iter(spec["datasets"].values())))
    assert enc["x"]["type"] == "temporal" and enc["x2"]["field"] == "period_end" and enc["y2"]["field"] == "low"
    assert enc["x"]["axis"]["format"] == "%b %Y"
    assert rows["period"].nunique() == 4  # the quiet weeks draw nothing
    tops = rows.groupby("period")["high"].max()
    assert np.allclose(tops, 1.0) and (rows["low"] >= 0).all()
    first = rows[rows["period"] == rows["period"].min()].set_index("label")
    assert first.loc["positive", "low"] == 0 and first.loc["negative", "high"] == 1  # positive at the bottom
    assert first.loc["positive", "share"] == 0.5 and first.loc["neutral", "share"] == 0
    counts = posts.assign(period=posts["created_at"].dt.floor("D").dt.tz_localize(None)).groupby(
        ["period", "brand"]).size().rename("posts").reset_index()
    vol = volume_chart(counts, "D", "brand").to_dict()
    bars = pd.DataFrame(next(iter(vol["datasets"].values())))
    assert vol["encoding"]["x"]["type"] == "temporal"
    assert (bars.groupby("period")["high"].max() == counts.groupby("period")["posts"].sum().to_numpy()).all()
    assert (pd.to_datetime(bars["period_end"]) - pd.to_datetime(bars["period"]) == pd.Timedelta(hours=20.4)).all()
    from lib.listening.charts import gap_runs

    weeks = pd.Series(pd.to_datetime(["2013-07-01", "2013-07-08", "2013-07-08", "2014-08-04", "2014-08-11"]))
    assert gap_runs(weeks, "W").tolist() == [0, 0, 0, 1, 1] and gap_runs(weeks).tolist() == [0, 0, 0, 1, 1]


def test_emotions_over_time_are_shares_per_period_on_a_time_axis():
    """An area chart of emotions bridged months without a post and drew an emotion missing from a period as a
    slope to the next: now each period's bar holds its emotions' shares, on a time axis."""
    from lib.listening.charts import mix_share_chart
    from lib.listening.trends import mix_over_time

    posts = pd.DataFrame({"created_at": pd.to_datetime(["2013-07-01", "2013-07-02", "2013-07-03", "2014-08-04"],
                                                       utc=True), "emotion": ["joy", "joy", "anger", "fear"]})
    table = mix_over_time(posts, "emotion", "W")
    spec = mix_share_chart(table, "emotion", "W", "Share of emotional posts").to_dict()
    rows = pd.DataFrame(next(iter(spec["datasets"].values())))
    assert spec["encoding"]["x"]["type"] == "temporal" and spec["encoding"]["x"]["axis"]["format"] == "%b %Y"
    assert rows["period"].nunique() == 2 and np.allclose(rows.groupby("period")["high"].max(), 1.0)
    first = rows[rows["period"] == rows["period"].min()].set_index("emotion")
    assert first.loc["joy", "share"] == pytest.approx(2 / 3) and first.loc["anger", "share"] == pytest.approx(1 / 3)
    scale = spec["encoding"]["color"]["scale"]  # each emotion its usual colour, whatever else is in the data
    assert dict(zip(scale["domain"], scale["range"], strict=True))["anger"] == "#d1495b"


def test_self_promotion_is_no_verdict(shared):
    """Half of the real YouTube comments are self-promotion, which humans read as neutral or positive (2 % of it
    negative) and the model as negative 14 % of the time ("please help me reach 100 subs, struggling here"):
    such a post's "negative" is now neutral, unless the complaint rule fired or the model is sure. On the 400
    hand-labelled comments the negative share's error went 9.5 -> 3.8 points and macro-F1 0.66 -> 0.70; on
    TweetEval's tweets it changes 16 labels of 12,284."""
    from pathlib import Path

    from sklearn.metrics import f1_score

    from lib.ingest.parsing import clean_text

    raw = pd.read_csv(shared / "youtube_spam" / "DERIVED_youtube_spam_all.csv")
    lab = pd.read_csv(Path(__file__).resolve().parents[1] / "bench" / "data" / "sentiment_labels_youtube.csv")
    texts = clean_text(raw.iloc[lab["id"].to_numpy()]["CONTENT"].astype(str)).reset_index(drop=True)
    scored = sent.score(texts)
    before = sent.product_labels(scored[["p_negative", "p_neutral", "p_positive"]], scored["complaint_cue"])
    promo = sent.self_promotion(texts)
    changed = before["sentiment_label"] != scored["sentiment_label"]
    assert changed.sum() >= 15 and promo[changed].all() and (scored["sentiment_label"][changed] == "neutral").all()
    truth = lab["sentiment"].to_numpy()
    error = abs((scored["sentiment_label"] == "negative").mean() - (truth == "negative").mean())
    assert error <= 0.05 and f1_score(truth, scored["sentiment_label"], average="macro") >= 0.68
    tweets = pd.Series((shared / "tweeteval_sentiment" / "test_text.txt").read_text(encoding="utf-8").splitlines())
    t = sent.score(tweets)
    plain = sent.product_labels(t[["p_negative", "p_neutral", "p_positive"]], t["complaint_cue"])["sentiment_label"]
    assert (plain != t["sentiment_label"]).sum() <= 30
    sure = pd.Series(["subscribe to my channel, my bag never arrived and support ignores me",
                      "check out my channel! also @acme still no response after 2 hours"])
    assert (sent.score(sure)["sentiment_label"] == "negative").all()  # the model sure, or the complaint rule


def test_filter_columns_are_the_files_own_categories_and_filter_as_text():
    from lib.listening.enrich import filter_columns

    frame = pd.DataFrame({"post_id": [str(i) for i in range(6)], "text": list("abcdef"), "sentiment_label": "neutral",
                          "Category": ["a", "a", "b", "b", "b", None], "stars": [5, 5, 1, 1, 3, 3],
                          "ticket": [f"T{i}" for i in range(6)], "src_sentiment": ["pos"] * 6})
    found = filter_columns(frame)
    assert found == {"Category": ["b", "a"], "stars": ["5", "1", "3"]}  # by frequency; ids and one value are not
    assert filter_posts(frame, own={"stars": ["1"], "Category": ["b"]})["post_id"].tolist() == ["2", "3"]
    assert len(filter_posts(frame, own={"Category": []})) == 6  # nothing picked: no filter


def test_a_column_of_tags_is_read_as_tags():
    """A JSON export's list per post (topics, a scraper's hashtags as objects) is several categories: read as
    text, each combination of tags was a category of its own."""
    from lib.listening.enrich import filter_columns
    from lib.listening.tag_lists import category_values, is_tag_column, tag_counts, tags_of

    assert tags_of('["Music", "Sports", "Music"]') == ("Music", "Sports")  # distinct, in order
    assert tags_of('[{"name": "fyp", "id": "7"}, {"tag": "été"}]') == ("fyp", "été")
    assert tags_of('[{"hashtag": "bird ", "url": "https://www.tiktok.com/tag/bird"}]') == ("bird",)  # a scraper's
    assert tags_of("[]") == () and tags_of("Music") is None and tags_of('[["a"]]') is None
    assert tags_of("[1, 2") is None and tags_of('{"a": 1}') is None
    tags = ['["Music", "Sports"]', '["Music"]', None, "[]", '["Sports", "Film"]', '["Music"]']
    frame = pd.DataFrame({"post_id": [str(i) for i in range(6)], "text": list("abcdef"), "sentiment_label": "neutral",
                          "flag": ["0", "1"] * 3, "tags": tags})
    assert is_tag_column(frame["tags"]) and not is_tag_column(frame["flag"])
    assert not is_tag_column(pd.Series(['["a"]', "b", "c"]))  # a stray list in a column of words
    assert tag_counts(frame["tags"]).to_dict() == {"Music": 3, "Sports": 2, "Film": 1}
    assert list(filter_columns(frame)) == ["tags", "flag"]  # the tags first, then the file's order
    assert filter_columns(frame)["tags"] == ["Music", "Sports", "Film"]
    assert filter_posts(frame, own={"tags": ["Sports", "Film"]})["post_id"].tolist() == ["0", "4"]
    per_post = category_values(frame["tags"])
    assert per_post.index.tolist() == [0, 0, 1, 4, 4, 5] and per_post.tolist()[:2] == ["Music", "Sports"]
    assert category_values(frame["flag"]).tolist() == ["0", "1"] * 3
    # a link that repeats (an author's profile page, the link in every bio) is no category, as a list or not
    links = frame.assign(profile=[f"https://www.tiktok.com/@u{i % 2}" for i in range(6)],
                         bio_links=['["bit.ly/a"]', '["bit.ly/a"]', '["bit.ly/b"]'] * 2,
                         rating=["3.5/5", "3.5/5", "4/5"] * 2)
    assert list(filter_columns(links)) == ["tags", "flag", "rating"]
    # nor is who wrote the post: a TikTok scraper's creator ids repeat as often as the creators post
    creators = frame.assign(**{"authorMeta.id": ["7", "8", "9"] * 2, "authorMeta.nickName": ["A", "B", "C"] * 2})
    assert list(filter_columns(creators)) == ["tags", "flag"]


def test_tags_of_real_tweets_filter_as_their_own_columns_say(shared):
    """TweetTopic-XL's Spanish tweets (MIT), uploaded as the JSON lines they are: the list of topics per tweet
    is the file's category to filter by, and picking one keeps exactly the tweets whose 0/1 column says so."""
    from lib.listening.enrich import filter_columns

    path = shared / "tweettopic_xl" / "es" / "es_test.jsonl"
    if not path.is_file():
        pytest.skip("TweetTopic-XL not in ../shared/data")
    posts = build_posts(open_sources([path]), ImportOptions()).posts
    found = filter_columns(posts)
    assert list(found)[0] == "topics" and len(found["topics"]) == 19
    for topic, flag in (("Sports", "sports"), ("News & Social Concern", "news_&_social_concern")):
        kept = filter_posts(posts, own={"topics": [topic]})
        assert len(kept) == int((pd.to_numeric(posts[flag]) == 1).sum()) > 20
        assert (pd.to_numeric(kept[flag]) == 1).all()


def test_a_breakdown_shows_the_largest_values_and_says_so():
    from lib.listening.overview import top_counts

    values = pd.Series([f"c{i}" for i in range(30) for _ in range(30 - i)])  # 30 values, c0 the most common
    got, title = top_counts(values, "Category")
    assert len(got) == 15 and got.index[0] == "c0" and got.index[-1] == "c14"
    assert title == "Category: top 15 of 30"
    brands = pd.Series([f"b{i}" for i in range(20)] + ["(no brand)"] * 50)
    assert top_counts(brands, "Brands", empty="(no brand)")[1] == "Brands: top 15 of 20"  # as the Brands metric
    got, title = top_counts(pd.Series(["a", "a", "b"]), "Brands")
    assert got.to_dict() == {"a": 2, "b": 1} and title == "Brands"


def test_alerts_on_a_long_chart_are_marked_where_a_day_is_narrower_than_a_pixel():
    """Eleven years of real Google Play reviews (4,300 days): the 13 alerts' shaded days were narrower than a pixel,
    none to be seen. Over more than MARKED_FROM periods each alert is a rule too; a month of days keeps the shading
    alone."""
    from lib.listening.charts import MARKED_FROM, alert_chart

    def rules(n: int) -> list[dict]:
        days = pd.date_range("2014-01-01", periods=n, freq="D", tz="UTC")
        counts = pd.DataFrame({"posts": [3] * n, "negative": [1] * n}, index=days)
        spec = alert_chart(counts, [(days[n // 2], days[n // 2])]).to_dict()
        marks = [layer["mark"] for layer in spec["layer"]]
        return [m for m in marks if (m["type"] if isinstance(m, dict) else m) == "rule"]

    assert rules(30) == [] and len(rules(MARKED_FROM + 1)) == 1 and len(rules(4300)) == 1


def test_a_time_axis_ticks_whole_days_months_or_years():
    """Eleven years of real app reviews had an axis "Dec 2014, Dec 2015, ..." (a tick every eleven months): over
    more than three years the ticks are years, labelled by the year."""
    from lib.listening.charts import date_axis

    def axis(days: int) -> tuple[str, str, int]:
        d = date_axis(pd.Series(pd.date_range("2014-02-17", periods=2, freq=f"{days}D", tz="UTC"))).to_dict()
        return d["format"], d["tickCount"]["interval"], d["tickCount"]["step"]

    assert axis(4300) == ("%Y", "year", 1) and axis(9000) == ("%Y", "year", 2)
    assert axis(700) == ("%b %Y", "month", 1) and axis(9) == ("%d %b", "day", 1)


def test_a_chart_of_posts_counts_in_whole_posts():
    """One post of intent drew an axis 0.0, 0.1, ... 1.0 posts: every axis of posts has whole-number ticks."""
    from lib.listening.charts import alert_chart, count_bars, share_bars, volume_chart

    days = pd.date_range("2024-01-01", periods=3, freq="D", tz="UTC")
    charts = [count_bars(pd.Series(["other"]), "Intent"), share_bars(pd.Series({"x": 1}), "Platforms"),
              volume_chart(pd.DataFrame({"period": days, "posts": [1, 0, 1]}), "D"),
              alert_chart(pd.DataFrame({"posts": [1, 0, 1], "negative": [0, 0, 1]}, index=days), [])]
    for chart in charts:
        spec = chart.to_dict()
        encodings = [spec["encoding"]] if "encoding" in spec else [layer["encoding"] for layer in spec["layer"]]
        axes = [channel["axis"] for enc in encodings for channel in enc.values()
                if isinstance(channel, dict) and channel.get("field") in ("posts", "high")]
        assert axes and all(a == {"format": ",d", "tickMinStep": 1} for a in axes), spec.get("title")


def test_the_date_range_is_said_at_the_datas_own_resolution():
    """A review site's "2016-1" stores each post on the 1st: the Overview said "From Fri 01 Jan 2016 00:00 to Sun
    01 Dec 2019 00:00 UTC"; a file of dates gave every post a midnight it never had."""
    from lib.listening.overview import date_range_words

    def at(*stamps):
        return pd.Series(pd.to_datetime(list(stamps), utc=True))

    assert date_range_words(at("2016-01-01", "2017-03-01", "2019-12-01")) == \
        "From Jan 2016 to Dec 2019 (dated by month)"
    assert date_range_words(at("2010-01-01", "2015-01-01")) == "From 2010 to 2015 (dated by year)"
    assert date_range_words(at("2016-01-01", "2016-01-02")) == \
        "From Fri 01 Jan 2016 to Sat 02 Jan 2016 (dates without times)"
    assert date_range_words(at("2015-02-16 23:36", "2015-02-24 11:53")) == \
        "From Mon 16 Feb 2015 23:36 to Tue 24 Feb 2015 11:53 UTC"
    assert date_range_words(at("2016-01-01")) == "From Fri 01 Jan 2016 to Fri 01 Jan 2016 (dates without times)"
    assert date_range_words(pd.Series([pd.NaT], dtype="datetime64[ns, UTC]")) == ""


def test_tags_that_differ_only_in_case_are_one_tag():
    """#Dogs and #dogs are one hashtag on every platform: a real X scrape of dog tweets wrote "dogs", "Dogs" and
    "DOGS". Counted, filtered and broken down as one tag, named as most posts write it."""
    from lib.listening.tag_lists import per_tag, tag_counts, with_any

    tags = pd.Series(['["dogs", "pug"]', '["Dogs"]', '["dogs", "DOGS"]', '["Pug"]', '["cats"]', None])
    assert tag_counts(tags).to_dict() == {"dogs": 3, "pug": 2, "cats": 1}  # a post that writes it twice: once
    assert with_any(tags, ["DOGS"]).tolist() == [True, True, True, False, False, False]
    assert with_any(tags, ["pug"]).tolist() == [True, False, False, True, False, False]
    broken_down = per_tag(tags)
    assert broken_down.value_counts().to_dict() == tag_counts(tags).to_dict()
    assert broken_down.index.tolist() == [0, 0, 1, 2, 3, 4]


def test_a_listening_tools_columns_of_tags_written_as_text_are_read_as_tags():
    """Meltwater's mentions export writes "Hashtags", "Keywords", "Document Tags" as text ("#fyp, #viral"): each
    combination was a category of its own, or none at all. A column whose name says tags (plural) and whose cells
    write a separator is read as tags; a "Category" that writes "Food, Drinks" stays one category, and a column of
    words with commas that does not say tags is no tag column."""
    from lib.listening.enrich import filter_columns
    from lib.listening.tag_lists import as_lists, category_values, is_tag_column, tag_counts

    frame = pd.DataFrame({
        "post_id": [str(i) for i in range(6)], "text": list("abcdef"), "sentiment_label": "neutral",
        "Hashtags": ["#fyp, #viral", "#FYP", None, "#viral,#skincare", "#skincare", "#fyp"],
        "Keywords": ["serum; price", "serum", "price", "serum", "refund; price", "serum"],
        "Category": ["Food, Drinks", "Food, Drinks", "Travel", "Travel", "Food, Drinks", "Travel"],
        "Notes": ["ok, fine", "ok, fine", "fine", "ok", "ok", "fine"],
        "src_tags": ["#a #b", "#a", "#b #c", "#a", "#c", "#a #c"]})
    assert [c for c in frame if is_tag_column(frame[c])] == ["Hashtags", "Keywords", "src_tags"]
    assert tag_counts(frame["Hashtags"]).to_dict() == {"fyp": 3, "viral": 2, "skincare": 2}
    assert tag_counts(frame["Keywords"]).to_dict() == {"serum": 4, "price": 3, "refund": 1}
    assert tag_counts(frame["src_tags"]).to_dict() == {"a": 4, "c": 3, "b": 2}
    found = filter_columns(frame, limit=5)
    assert list(found)[:2] == ["Hashtags", "Keywords"] and found["Category"] == ["Food, Drinks", "Travel"]
    assert filter_posts(frame, own={"Hashtags": ["viral"]})["post_id"].tolist() == ["0", "3"]
    assert filter_posts(frame, own={"Keywords": ["Price"]})["post_id"].tolist() == ["0", "2", "4"]
    assert category_values(frame["Hashtags"]).tolist() == ["fyp", "viral", "fyp", "viral", "skincare", "skincare",
                                                           "fyp"]
    assert as_lists(frame["Hashtags"].head(2), like=frame["Hashtags"]).tolist() == [["fyp", "viral"], ["FYP"]]
    assert category_values(frame["Category"]).tolist() == frame["Category"].tolist()
