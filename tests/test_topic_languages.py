"""A language whose posts all fall into one topic is centred and fitted again (lib.topics.languages)."""
import numpy as np
import pandas as pd

from lib.embeddings.cache import Embeddings
from lib.topics.apply import model_of
from lib.topics.fit import fit_topics
from lib.topics.languages import centred, from_metrics, swallowed_languages, to_metrics
from lib.topics.result import TopicSettings

E5_ID = "multilingual-e5-small-q4-nolang-7"
SUBJECTS = {"en": ["coffee beans roast morning", "football match goal team", "election vote party debate",
                   "rain weather storm cold"],
            "de": ["kaffee bohnen röstung morgen", "fussball spiel tor mannschaft", "wahl stimme partei debatte",
                   "regen wetter sturm kalt"]}


def _export(n: int = 240, seed: int = 0) -> tuple[pd.DataFrame, np.ndarray]:
    """English and German posts on four subjects; the German vectors share one strong direction (as e5 gives a
    language that sits apart), so clustering sees the language before the subjects."""
    rng = np.random.default_rng(seed)
    subject = rng.normal(size=(4, 64))
    german = rng.normal(size=64) * 3
    rows, vectors = [], []
    for lang in ("en", "de"):
        for i in range(n):
            s = i % 4
            v = subject[s] + rng.normal(scale=0.35, size=64) + (german if lang == "de" else 0)
            rows.append({"post_id": f"{lang}{i}", "text": f"{SUBJECTS[lang][s]} {i}", "language": lang})
            vectors.append(v / np.linalg.norm(v))
    return pd.DataFrame(rows), np.asarray(vectors, dtype=np.float32)


def test_a_swallowed_language_is_centred_and_fitted_again_only_with_multilingual_vectors(monkeypatch):
    """The fit asks which languages one topic swallowed (on TweetTopic-XL's four languages, Japanese: 87 % of its
    posts in one topic) and fits again with their vectors centred; English models' vectors are never touched.
    The quality figures are bench/eval_topics_real.py's (README, Languages)."""
    import lib.topics.fit as fit_module

    posts, vectors = _export()
    settings = TopicSettings(prepare_text=False, min_topic_size=20, outlier_target=0.0)
    asked = []

    def swallowed(languages, topics):
        asked.append((set(languages), len(set(topics))))
        return ["de"] if len(asked) == 1 else []

    monkeypatch.setattr(fit_module, "swallowed_languages", swallowed)
    english = fit_topics(posts, settings, embeddings=Embeddings(vectors, "all-MiniLM-L6-v2-onnx-int8", 0))
    assert not asked and "language_means" not in english.metrics
    result = fit_topics(posts, settings, embeddings=Embeddings(vectors, E5_ID, 0))
    assert asked[0][0] == {"en", "de"} and len(asked) == 1  # asked once, on the first pass
    german = (posts["language"] == "de").to_numpy()
    mean = np.asarray(result.metrics["language_means"]["de"])
    assert np.allclose(mean, vectors[german].mean(axis=0), atol=1e-5)
    # the topic centres are of the centred vectors: a German topic's centre has lost the German direction
    ids = [t for t in result.info["topic"] if t != -1]
    de_topic = pd.Series(result.topic[german]).value_counts().index[0]
    centre = result.centres[ids.index(de_topic)]
    assert centre @ (mean / np.linalg.norm(mean)) < 0.5
    model = model_of(result)  # posts placed later are centred the same way
    assert set(model.language_means) == {"de"} and model.key() != model_of(english).key()


def test_swallowed_needs_two_languages_and_a_nearly_pure_topic():
    one = np.array(["en"] * 90 + ["und"] * 10)
    assert swallowed_languages(one, np.zeros(100, dtype=int)) == []  # one language: nothing to tell apart
    langs = np.array(["en"] * 50 + ["de"] * 50)
    together = np.r_[np.arange(50) % 5, np.full(50, 9)]
    assert swallowed_languages(langs, together) == ["de"]
    shared = np.r_[np.arange(50) % 5, np.arange(50) % 5]  # both languages across the same topics
    assert swallowed_languages(langs, shared) == []
    half = np.r_[np.full(25, 9), np.arange(25) % 5, np.full(50, 9)]  # the topic is a third English: not pure
    assert swallowed_languages(langs, half) == []


def test_centring_keeps_unit_length_and_missing_vectors_and_round_trips_through_metrics():
    rng = np.random.default_rng(1)
    v = rng.normal(size=(6, 8)).astype(np.float32)
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    v[5] = 0  # a post beyond a sample fitted by words has no vector
    langs = np.array(["de", "de", "en", "en", "de", "de"], dtype=object)
    means = from_metrics({"language_means": to_metrics({"de": v[[0, 1, 4]].mean(axis=0)})})
    out = centred(v, langs, means)
    assert np.allclose(np.linalg.norm(out[:5], axis=1), 1, atol=1e-5) and not out[5].any()
    assert np.array_equal(out[2:4], v[2:4])  # other languages untouched
    assert np.allclose(out[0], (v[0] - means["de"]) / np.linalg.norm(v[0] - means["de"]), atol=1e-5)


def test_posts_placed_later_are_centred_as_the_fit_centred_them(monkeypatch):
    """A post beyond the fitted sample (the rest of a large file, a Dask partition, --topics-from) is compared
    with topic centres made of centred vectors, so its vector is centred with the stored mean first: a German
    post about rain joins the rain topic, not the topic nearest the German direction."""
    import lib.embeddings.cache as cache
    import lib.topics.apply as apply
    from lib.topics.apply import TopicModel, apply_topics

    german, rain, coffee = np.eye(4)[0], np.eye(4)[1], np.eye(4)[2]
    post = 0.8 * german + 0.6 * rain  # a German post about rain: mostly its language's direction
    centres = np.vstack([rain, (0.9 * german + 0.44 * coffee) / np.linalg.norm(0.9 * german + 0.44 * coffee)])
    monkeypatch.setattr(cache, "embed", lambda texts, *a, **k: Embeddings(np.tile(post, (len(texts), 1))
                                                                         .astype(np.float32), E5_ID, len(texts)))
    monkeypatch.setattr(apply, "detect", lambda texts: np.array(["de"] * len(texts), dtype=object))
    base = TopicModel(TopicSettings(prepare_text=False), E5_ID, centres.astype(np.float32), [0, 1], 0.0, {})
    monkeypatch.setattr(apply, "_backend", lambda *a, **k: type("B", (), {"key": "e5"})())
    plain, _ = apply_topics(pd.Series(["es regnet schon wieder"]), base)
    assert plain.tolist() == [1]  # by its language, to the coffee topic
    means = {"de": (0.8 * german).astype(np.float32)}
    placed, _ = apply_topics(pd.Series(["es regnet schon wieder"]), TopicModel(
        base.settings, E5_ID, base.centres, [0, 1], 0.0, {}, language_means=means))
    assert placed.tolist() == [0]  # centred: the rain topic
