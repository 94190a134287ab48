"""Emotion: the word lists (explanation), the model learned from GoEmotions (the label), and what enrich adds."""
import socket

import numpy as np
import pandas as pd

from lib.listening import emotion_model as em
from lib.listening.emotion import EMOTIONS, NEUTRAL, dominant_emotion, emotion_words
from lib.listening.emotion_train import READ_AS_NEUTRAL, macro_f1, read_goemotions


def test_emotion_words_and_negation():
    found = emotion_words(pd.Series(["I am so happy and excited", "not happy at all, this is disgusting",
                                     "worried about my data", "the box is blue", "can't wait for the launch"]))
    assert dominant_emotion(found.counts).tolist() == ["joy", "disgust", "fear", NEUTRAL, "joy"]
    assert found.counts.loc[1, "joy"] == 0  # "not happy" does not count as joy
    assert found.words.tolist() == ["happy (joy), excited (joy)", "disgusting (disgust)", "worried (fear)", "",
                                    "can't wait (joy)"]
    assert list(found.counts.columns) == list(EMOTIONS)


def test_emotion_model_ships_and_loads_offline(monkeypatch):
    assert em.MODEL_PATH.is_file() and em.MODEL_PATH.stat().st_size < 2_000_000

    def no_network(*args, **kwargs):
        raise AssertionError("the emotion model must not touch the network")

    monkeypatch.setattr(socket, "socket", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(em, "_MODEL", None)  # load from the file, in this test
    model = em.emotion_model()
    assert model is em.emotion_model()  # loaded once
    assert "GoEmotions" in model.trained_on and model.coef.shape == (len(em.CLASSES), len(model.vocabulary) + 6)
    clear = {"I am so happy, this made my whole day!": "joy",
             "Thank you so much, you are amazing": "joy",
             "I'm really scared of what happens next": "fear",
             "That is disgusting, absolutely gross": "disgust",
             "I am furious, how dare you treat customers like this": "anger",
             "I miss her so much, I cried all night": "sadness",
             "Wow, I did not expect that at all!": "surprise",
             "The meeting is at 3pm in room 4.": NEUTRAL,
             "": NEUTRAL,
             "https://t.co/abc @someone": NEUTRAL}
    got = model.predict(pd.Series(list(clear)))
    assert got["emotion"].tolist() == list(clear.values())
    probs = got[[f"emotion_{c}" for c in em.CLASSES]].to_numpy()
    assert np.allclose(probs.sum(axis=1), 1.0, atol=1e-5)


def test_emotion_model_round_trip_and_determinism(tmp_path, shared):
    sample = read_goemotions("train", shared / "goemotions").sample(3000, random_state=0)
    settings = em.EmotionSettings(max_features=3000)
    a = em.fit_emotion_model(sample["text"], sample["groups"], settings, "sample")
    b = em.fit_emotion_model(sample["text"], sample["groups"], settings, "sample")
    assert np.array_equal(a.coef, b.coef) and a.vocabulary == b.vocabulary
    a.save(tmp_path / "m.npz")
    back = em.EmotionResult.load(tmp_path / "m.npz")
    assert back.settings == settings and back.trained_on == "sample"
    texts = sample["text"].head(200)
    pd.testing.assert_frame_equal(a.predict(texts), back.predict(texts))
    assert abs(a.prior.sum() - 1) < 1e-9 and a.prior[em.CLASSES.index(NEUTRAL)] > 0.2  # a third are neutral


def test_emotion_model_on_goemotions_test(shared):
    test = read_goemotions("test", shared / "goemotions").sample(2500, random_state=0)
    pred = em.emotion_model().predict(test["text"])["emotion"]
    assert macro_f1(pred, test["groups"]) >= 0.50
    words = dominant_emotion(emotion_words(test["text"]).counts)
    assert macro_f1(words, test["groups"]) < 0.45  # the word lists it replaces
    assert set(pred) == set(em.CLASSES)  # every emotion is said somewhere, neutral included


def test_a_stated_feeling_is_not_neutral_and_an_opinion_is_left_alone():
    model = em.emotion_model()
    texts = pd.Series(["i feel productive and active today", "im feeling a bit dull this morning",
                       "i feel like the new update is slower", "the update is slower"])
    plain = model.predict(texts.str.replace("i feel ", "", regex=False).str.replace("im feeling ", "", regex=False))
    got = model.predict(texts)["emotion"].tolist()
    assert plain["emotion"].iloc[0] == NEUTRAL and got[0] != NEUTRAL  # "productive" alone says no feeling
    assert got[1] != NEUTRAL
    assert em.FEELING_STATEMENT.search(texts[0]) and em.FEELING_STATEMENT.search(texts[1])
    assert not em.FEELING_STATEMENT.search(texts[2])  # "i feel like ...": an opinion, the model decides alone
    assert got[3] == NEUTRAL  # no statement of feeling


def test_a_stretched_word_is_read_as_the_word_it_stretches():
    """"I am soooo angryyyy" was neutral and "I LOVEEEE YOU SO MUCH" (a real airline tweet) neutral: neither the
    model nor the word lists know the stretched words. They are read as "so angry" and "LOVE"."""
    model = em.emotion_model()
    texts = pd.Series(["I am soooo angryyyy", "so saaaad today", "@SouthwestAir I LOVEEEE YOU SO MUCH", None])
    assert model.predict(texts)["emotion"].tolist() == ["anger", "sadness", "joy", NEUTRAL]
    assert model.predict(texts[:3].str.replace(r"([a-z])\1{2,}", r"\1", case=False, regex=True))["emotion"].tolist() \
        == ["anger", "sadness", "joy"]
    assert emotion_words(texts).words.tolist()[:2] == ["angry (anger)", "sad (sadness)"]


def test_emotion_model_on_dair_ai_tweets(shared):
    """dair-ai's test tweets (research-only, never trained on): the goal is 0.60 accuracy, "love" counted as joy.
    0.584 before a stated feeling stopped being neutral, 0.612 after; 0.613 since desire is learned as neutral."""
    e = pd.read_csv(shared / "emotion" / "test.txt", sep=";")
    truth = e["label_name"].replace({"love": "joy"})
    pred = em.emotion_model().predict(e["text"])["emotion"]
    assert (pred == truth).mean() >= 0.60
    assert (pred == NEUTRAL).mean() < 0.11  # 9.8 % before desire was learned as neutral, 10.4 % since


def test_enrich_adds_the_models_emotion_and_the_words():
    from lib.listening.enrich import enrich

    posts = pd.DataFrame({"post_id": ["a", "b", "c"],
                          "text": ["Absolutely furious, third delay this week and nobody answers",
                                   "Love it, thank you so much!", "Order 2231 shipped on Tuesday"]})
    frame = enrich(posts).frame
    assert frame["emotion"].tolist() == ["anger", "joy", NEUTRAL]
    assert {f"emotion_{c}" for c in em.CLASSES} <= set(frame.columns)
    assert frame["emotion_words"].tolist() == ["furious (anger)", "love (joy)", ""]


def test_a_question_is_no_surprise_and_surprise_still_is(shared):
    model = em.emotion_model()
    got = model.predict(pd.Series(["How do I locate my card?", "When should I expect my card?",
                                   "What is the limit to top-up?", "Wow, I did not expect that at all!",
                                   "whoa that was unexpected"]))["emotion"].tolist()
    assert got == [NEUTRAL, NEUTRAL, NEUTRAL, "surprise", "surprise"]
    queries = pd.read_csv(shared / "banking77" / "test.csv")["text"]  # a support inbox: 44 % "surprise" before
    assert (model.predict(queries)["emotion"] == "surprise").mean() < 0.05
    train = read_goemotions("train", shared / "goemotions", as_neutral=READ_AS_NEUTRAL)
    official = read_goemotions("train", shared / "goemotions")
    curiosity = (shared / "goemotions" / "emotions.txt").read_text().split().index("curiosity")
    asks = official["labels"].astype(str) == str(curiosity)  # comments labelled curiosity alone
    assert official.loc[asks, "groups"].map(lambda g: g == ["surprise"]).all()  # the set's own mapping ...
    assert train.loc[asks, "groups"].map(lambda g: g == [NEUTRAL]).all()  # ... and how the model learns them


def test_wanting_is_no_joy(shared):
    """GoEmotions files desire under joy; learned so, 6.8 % of a support inbox's requests were "joy" (4.2 % since)."""
    model = em.emotion_model()
    got = model.predict(pd.Series(["I would like to change my card PIN.", "I wish I had one",
                                   "I really want to visit this place", "Would love to try this!",
                                   "can't wait to get one"]))["emotion"].tolist()
    assert got == [NEUTRAL, NEUTRAL, NEUTRAL, "joy", "joy"]
    queries = pd.read_csv(shared / "banking77" / "test.csv")["text"]
    assert (model.predict(queries)["emotion"] == "joy").mean() < 0.05
    desire = (shared / "goemotions" / "emotions.txt").read_text().split().index("desire")
    train = read_goemotions("train", shared / "goemotions", as_neutral=READ_AS_NEUTRAL)
    wants = train["labels"].astype(str) == str(desire)
    assert wants.sum() > 300 and train.loc[wants, "groups"].map(lambda g: g == [NEUTRAL]).all()
