"""Language per post: clear sentences, undetermined posts, real tweets in four languages, the same answers as
py3langid itself, and the language column reaching the filters, the pages, the report and the command line."""
import json

import numpy as np
import pandas as pd
import pytest

from lib.listening import language as lang
from lib.listening.enrich import enrich, filter_posts
from tests.conftest import write
from tests.test_pages import _app, _no_errors, navigation_mode  # noqa: F401  (an autouse fixture for AppTest)

CLEAR = {
    "en": ["The delivery was late again and nobody answered my emails.",
           "I really love the new flavour, best snack I have bought this year!"],
    "de": ["Die Lieferung kam schon wieder zu spät und niemand hat auf meine Mails geantwortet.",
           "Ich liebe die neue Sorte, der beste Snack, den ich dieses Jahr gekauft habe!"],
    "fr": ["La livraison était encore en retard et personne n'a répondu à mes messages.",
           "J'adore le nouveau parfum, c'est le meilleur en-cas que j'ai acheté cette année !"],
    "es": ["El envío llegó tarde otra vez y nadie contestó mis correos.",
           "Me encanta el nuevo sabor, ¡el mejor snack que he comprado este año!"],
    "it": ["La consegna è arrivata di nuovo in ritardo e nessuno ha risposto alle mie email.",
           "Adoro il nuovo gusto, è lo snack migliore che ho comprato quest'anno!"],
    "pt": ["A entrega atrasou de novo e ninguém respondeu aos meus e-mails.",
           "Adorei o novo sabor, o melhor lanche que comprei este ano!"],
    "nl": ["De levering was weer te laat en niemand heeft mijn e-mails beantwoord."],
    "el": ["Η παράδοση άργησε ξανά και κανείς δεν απάντησε στα μηνύματά μου."],
    "ru": ["Это лучший продукт, который я покупал, и доставка была быстрой."],
    "ja": ["また配達が遅れて、誰もメールに返信してくれませんでした。"],
    "tr": ["Teslimat yine gecikti ve kimse e-postalarıma cevap vermedi."],
}

GERMAN = ["Die neue Sorte schmeckt leider nach Pappe, nie wieder.", "Warum ist der Kundenservice am Wochenende nie "
          "erreichbar?", "Endlich wieder lieferbar, ich habe gleich drei Packungen bestellt!", "Der Preis ist "
          "eine Frechheit für so eine kleine Tüte.", "Meine Kinder lieben die Chips mit Paprika.", "Seit dem Update "
          "stürzt die App bei mir ständig ab.", "Danke für die schnelle Antwort, das Problem ist gelöst.",
          "Schon wieder ist die Packung nur halb voll, das ärgert mich wirklich."]
ENGLISH = ["Honestly the new flavour tastes like cardboard.", "Customer service sorted my refund in minutes, "
           "thank you!"]


def test_clear_sentences_in_many_languages():
    texts = pd.Series([t for ts in CLEAR.values() for t in ts])
    expected = [code for code, ts in CLEAR.items() for _ in ts]
    assert lang.detect_languages(texts, prior_weight=0.0).tolist() == expected
    assert lang.detect_languages(texts).tolist() == expected  # the mix of a small mixed set changes nothing


def test_emoji_only_very_short_and_empty_posts_are_undetermined():
    texts = pd.Series(["😍😍🔥", "ok", "@brand 👍", "https://t.co/xyz", "", None, "#", ":-D", "12345"],
                      index=[10, 11, 12, 13, 14, 15, 16, 17, 18])
    got = lang.detect_languages(texts)
    assert got.index.tolist() == texts.index.tolist()
    assert (got == "und").all(), got.tolist()
    assert lang.detect_languages(pd.Series([], dtype=object)).empty


def test_links_mentions_and_hashtag_marks_are_not_read_as_language():
    assert lang.clean_for_language(pd.Series(["RT @ana_b: so gut!!! https://t.co/x #Lecker &amp; mehr"])).iloc[0] \
        == ": so gut!!! Lecker mehr"
    # an English sentence carrying a German handle and link stays English
    post = "@Kundenservice_Deutschland thanks, the refund arrived today https://example.de/rueckerstattung"
    assert lang.detect_languages(pd.Series([post])).iloc[0] == "en"


def test_vectorised_classifier_gives_py3langids_own_answers():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    ident.set_languages(list(lang.LANGUAGES))
    texts = pd.Series([t for ts in CLEAR.values() for t in ts] + GERMAN + ENGLISH
                      + ["ALL CAPS SHOUTING ABOUT THE PRICE", "mixed: das ist so cool, love it", "x" * 3000, "!!"])
    proba = lang.language_probabilities(texts)
    for text, p in zip(texts, proba):
        code, conf = ident.classify(text[:lang.MAX_BYTES])
        assert lang.LANGUAGES[int(p.argmax())] == code
        assert p.max() == pytest.approx(conf, abs=1e-4)
    assert np.allclose(proba.sum(axis=1), 1.0, atol=1e-5)


def test_identical_texts_get_one_answer_and_short_posts_follow_the_dataset():
    german = pd.Series(GERMAN * 3 + ["nie wieder"])
    got = lang.detect_languages(german)
    assert (got.iloc[:-1] == "de").all()
    assert got.iloc[-1] == "de"  # among German posts, "nie wieder" is German...
    assert lang.detect_languages(pd.Series(["nie wieder"]), prior_weight=0.0).iloc[0] == "pl"  # alone, Polish


def _umsab(shared, folder: str) -> pd.Series:
    return pd.Series((shared / "umsab" / folder / "test_text.txt").read_text(encoding="utf-8").split("\n"))


@pytest.mark.parametrize("folder,code", [("english", "en"), ("german", "de"), ("italian", "it"),
                                         ("portuguese", "pt")])
def test_real_tweets_each_language_at_least_95_percent(shared, folder, code):
    """UMSAB's 870 test tweets per language, each set read as one dataset (evaluation only). About 2 % of the
    German set is in English or Dutch by the agreement of four detectors, which caps its score near 0.98."""
    got = lang.detect_languages(_umsab(shared, folder))
    assert (got == code).mean() >= 0.95, got.value_counts().head(5).to_dict()
    assert (got == "und").mean() <= 0.03


def test_real_tweets_in_one_mixed_dataset(shared):
    """The eight sets of bench/eval_language.py as one mixed dataset: English is the largest part of the mix,
    and hard short posts are left undetermined rather than guessed. Measured there: German 0.929 and Portuguese
    0.931 (3 % and 7 % undetermined), every other set 0.980 or more."""
    parts = [("en", _umsab(shared, "english")), ("de", _umsab(shared, "german")), ("it", _umsab(shared, "italian")),
             ("pt", _umsab(shared, "portuguese"))]
    for folder, code in (("en", "en"), ("es", "es"), ("gr", "el"), ("ja", "ja")):
        lines = (shared / "tweettopic_xl" / folder / f"{folder}_test.jsonl").read_text(encoding="utf-8")
        parts.append((code, pd.Series([json.loads(x)["text"] for x in lines.splitlines() if x.strip()])))
    got = lang.detect_languages(pd.concat([t for _, t in parts], ignore_index=True)).to_numpy()
    start = 0
    for code, texts in parts:
        mine = got[start:start + len(texts)]
        start += len(texts)
        assert (mine == code).mean() >= (0.92 if code in ("de", "pt") else 0.975), code
        assert (mine[mine != "und"] == code).mean() >= 0.955, code  # where it names a language, it is right


def _posts(texts: list[str]) -> pd.DataFrame:
    n = len(texts)
    return pd.DataFrame({"post_id": [f"p{i}" for i in range(n)], "text": texts,
                         "created_at": pd.date_range("2024-03-01", periods=n, freq="6h", tz="UTC"),
                         "author": [f"user{i % 7}" for i in range(n)], "platform": "x", "brand": "Acme"})


def test_enrich_adds_language_and_filter_posts_keeps_only_the_languages_asked():
    frame = enrich(_posts(GERMAN * 2 + ENGLISH + ["🔥🔥"])).frame
    assert frame["language"].tolist() == ["de"] * 16 + ["en", "en", "und"]
    assert filter_posts(frame, languages=["en"])["text"].tolist() == ENGLISH
    assert len(filter_posts(frame, languages=["de", "und"])) == 17
    assert len(filter_posts(frame, languages=[])) == len(frame)  # no choice, no filter


def test_the_language_column_changes_nothing_else_for_english_posts():
    posts = _posts(ENGLISH * 3 + ["Worst update ever, the app keeps crashing", "ok"])
    found = enrich(posts).frame
    given = enrich(posts.assign(language="en")).frame
    others = [c for c in found.columns if c != "language"]
    pd.testing.assert_frame_equal(found[others], given[others])
    assert found["language"].tolist() == ["en"] * 7 + ["und"]


def test_english_sample_is_english_and_unwarned(tmp_path):
    from lib.ingest.build import ImportOptions, build_posts, open_sources
    from tests.conftest import ROOT

    posts = build_posts(open_sources([ROOT / "sample_data" / "gamerfuel.csv"]), ImportOptions()).posts
    got = lang.detect_languages(posts["text"])
    assert (got == "en").mean() >= 0.97
    assert lang.support_warning(got) is None


def test_warning_and_breakdown_say_what_the_models_cannot_read():
    langs = pd.Series(["de"] * 6 + ["en"] * 3 + ["und"] * 5)
    assert lang.unsupported_share(langs) == pytest.approx(6 / 9)
    note = lang.support_warning(langs)
    assert note and "German (43%)" in note and "n/a" in note and "their own language" in note
    swahili = lang.support_warning(pd.Series(["sw"] * 6 + ["en"] * 3))
    assert swahili and "cannot read yet" in swahili and "Swahili" in swahili
    thai = lang.support_warning(pd.Series(["th"] * 1979 + ["zh"] * 2 + ["en"] * 13))  # real YouTube comments
    assert thai and ": Thai (99%). Their sentiment and emotion are read in their own language" in thai
    assert lang.support_warning(pd.Series(["de"] * 4 + ["en"] * 4 + ["und"] * 9)) is None  # half: no warning
    frame = pd.DataFrame({"language": ["de", "de", "de", "en"],
                          "sentiment_label": ["negative", "negative", "positive", "positive"]})
    table = lang.language_breakdown(frame).set_index("language")
    assert table.loc["de", "posts"] == 3 and table.loc["de", "net"] == pytest.approx(1 / 3 - 2 / 3)
    assert table.loc["de", "read by the models"] == "sentiment and emotion"  # the multilingual models read German
    assert table.loc["en", "read by the models"] == "yes"
    assert table.loc["en", "name"] == "English"


def test_caption_names_the_languages_the_multilingual_model_read_and_counts_the_rest():
    frame = pd.DataFrame({"vader_label": ["n/a", "n/a", "n/a", "n/a", "positive"],
                          "sentiment_source": ["multilingual model", "multilingual model", "multilingual model",
                                               "model", "model"],
                          "language": ["el", "ja", "el", "ko", "en"]})
    assert lang.read_by_multilingual(frame) == (3, "Greek or Japanese")
    assert lang.other_languages_caption(frame) == (
        " 4 posts in other languages have no VADER verdict; the 3 in Greek or Japanese are read by the multilingual "
        "model; 1 post in languages no model reads keeps the English model's label, which does not describe it.")
    assert lang.other_languages_caption(frame.iloc[[4]]) == ""
    # one post (seen on TweetEval's tweets: "the 1 in Spanish are read")
    assert lang.other_languages_caption(frame.iloc[[0, 3, 4]]) == (
        " 2 posts in other languages have no VADER verdict; the 1 in Greek is read by the multilingual model; 1 post "
        "in languages no model reads keeps the English model's label, which does not describe it.")
    assert lang.other_languages_caption(frame.iloc[[0, 4]]) == (
        " 1 post in another language has no VADER verdict; the multilingual model reads it.")
    assert lang.or_list(["German", "Greek", "Spanish"]) == "German, Greek or Spanish"


def test_vader_agreement_is_said_over_english_posts_and_not_at_all_without_them():
    """On 2,000 Chinese reviews the page said "disagree on 0 of these posts (0% of those in English)": there were
    none in English."""
    frame = pd.DataFrame({"vader_label": ["n/a", "n/a", "negative", "positive", "neutral"],
                          "sentiment_label": ["negative", "positive", "negative", "negative", "neutral"],
                          "sentiment_source": ["multilingual model"] * 2 + ["model"] * 3,
                          "language": ["zh", "zh", "en", "en", "en"]})
    assert lang.vader_disagrees(frame).tolist() == [False, False, False, True, False]
    assert lang.vader_caption(frame).startswith("Plain VADER and the Listening Lab label disagree on 1 of these "
                                                "posts (33% of those in English); see them under Posts. 2 posts")
    chinese = frame.iloc[:2]
    assert lang.vader_caption(chinese) == lang.other_languages_caption(chinese).strip()
    assert "disagree" not in lang.vader_caption(chinese) and lang.vader_caption(chinese).startswith("2 posts")
    assert lang.vader_caption(frame.iloc[:0]) == ""


def test_support_note_says_what_reads_topics_in_other_languages():
    """It said topics in other languages were "English models' guesses" after mixed datasets had got E5 vectors
    and each language's stop words (a real four-language export's report carried the old sentence)."""
    from lib.pipeline import MULTILINGUAL_SHARE, topic_backend

    note = lang.support_note()
    assert f"at least {MULTILINGUAL_SHARE:.0%} of the posts are not in English: a multilingual model (E5)" in note
    assert "English models' guesses for it" not in note
    assert ", Ukrainian and Vietnamese (a multilingual model" in note
    mixed = pd.DataFrame({"text": ["x"] * 10})
    langs = pd.Series(["en"] * 9 + ["de"])
    assert topic_backend(mixed, langs) == "e5"  # the threshold the note quotes is the one the pipeline uses
    assert topic_backend(mixed, pd.Series(["en"] * 10)) != "e5"
    # said under Overview's language chart only where other languages are a real part of the posts
    youtube = pd.Series(["en"] * 1852 + ["und"] * 90 + ["sw"] * 10 + ["ko"] * 4)  # 14 of 1,956 guessed otherwise
    assert not lang.languages_worth_a_note(youtube) and not lang.languages_worth_a_note(pd.Series([], dtype=str))
    assert lang.languages_worth_a_note(pd.Series(["en"] * 95 + ["de"] * 5))


def test_report_headline_has_a_language_table_only_for_several_languages():
    from lib.report.data import ReportData
    from lib.report.sections import headline, methods

    frame = enrich(_posts(GERMAN + ENGLISH)).frame
    how = " ".join(methods(ReportData("mixed", frame))[1].items)
    assert "8 posts in other languages have no intent (n/a); their emotion was read by a multilingual model" in how
    assert "8 posts in German were read by a multilingual model" in how  # the languages it read, named
    blocks = headline(ReportData("mixed", frame))
    [table] = [b.table for b in blocks if b.kind == "table" and "read by the models" in b.table]
    assert table["language"].tolist() == ["German", "English"] and table["posts"].tolist() == ["8", "2"]
    english = enrich(_posts(ENGLISH * 3)).frame
    assert not [b for b in headline(ReportData("en", english)) if b.kind == "table"
                and "read by the models" in b.table]
    # a few posts guessed another language among many in English: no table, no paragraph on languages
    few = pd.concat([english] * 40 + [frame.iloc[:1]], ignore_index=True)  # 1 German post of 241
    assert not [b for b in headline(ReportData("few", few)) if (b.kind == "table" and "read by the models" in b.table)
                or "Posts and sentiment per language" in (b.text or "")]
    # one post: "1 post in German was read", not "1 posts ... were read" (as on the real YouTube comments)
    one = " ".join(methods(ReportData("one", enrich(_posts(GERMAN[:1] + ENGLISH * 3)).frame))[1].items)
    assert "1 post in German was read by a multilingual model" in one
    assert "1 post in another language has no intent (n/a); its emotion was read by a multilingual model" in one
    assert "the two disagree on 50% of English posts" in one  # over the six English posts only
    # no post in English: no share of them said (it said "disagree on some of English posts", or 100 % from a CSV)
    german = " ".join(methods(ReportData("de", enrich(_posts(GERMAN)).frame))[1].items)
    assert "none of these posts is in English, where the two are compared" in german and "disagree" not in german


def _cli(*args):
    import subprocess
    import sys

    from tests.conftest import ROOT

    return subprocess.run([sys.executable, "-m", "lib", *map(str, args)], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)


def test_cli_languages_keeps_only_those_and_posts_csv_ends_with_the_language(tmp_path):
    src = write(tmp_path, "mixed.csv", _posts(GERMAN + ENGLISH + ["👍"]).to_csv(index=False))
    out = _cli("analyze", src, "--out", tmp_path / "all", "--steps", "sentiment")
    assert out.returncode == 0, out.stderr
    every = pd.read_csv(tmp_path / "all" / "posts.csv")
    assert every.columns[-1] == "language" and len(every) == 11
    assert every["language"].value_counts().to_dict() == {"de": 8, "en": 2, "und": 1}
    german = every["language"] == "de"
    written = pd.read_csv(tmp_path / "all" / "posts.csv", dtype=str, keep_default_na=False)  # "n/a" as written
    assert (written.loc[german, ["intent", "vader_label"]] == "n/a").all().all()  # English-only: not read
    assert every["emotion"].isin(["joy", "surprise", "sadness", "fear", "anger", "disgust", "neutral"]).all()
    out = _cli("analyze", src, "--out", tmp_path / "en", "--languages", "en", "--steps", "sentiment")
    assert out.returncode == 0, out.stderr
    kept = pd.read_csv(tmp_path / "en" / "posts.csv")
    assert kept["text"].tolist() == ENGLISH and kept.columns[-1] == "language" and "sentiment_label" in kept
    doc = json.loads((tmp_path / "en" / "summary.json").read_text())
    assert doc["languages"] == {"de": 8, "en": 2, "und": 1} and doc["languages_kept"]["posts"] == 2
    out = _cli("analyze", src, "--out", tmp_path / "x", "--languages", "en,xx")
    assert out.returncode == 2 and "unknown language code(s) xx" in out.stderr
    out = _cli("analyze", src, "--out", tmp_path / "x", "--languages", "fr")
    assert out.returncode == 2 and "no post is in fr" in out.stderr


def test_pages_warn_first_for_a_mostly_german_dataset_and_filter_by_language(tmp_path, monkeypatch):
    from lib.ingest.build import ImportOptions, build_posts, source_from_bytes
    from lib.store.workspace import Workspace

    monkeypatch.setenv("LISTENING_LAB_WORKSPACE", str(tmp_path / "ws.duckdb"))
    # no background warm-up (a topic fit): a process that ends during it aborts, and these pages do not need it
    monkeypatch.setattr("lib.ui.jobs.warm_up", lambda: None)
    data = _posts(GERMAN * 3 + ENGLISH).to_csv(index=False).encode()
    with Workspace(tmp_path / "ws.duckdb") as ws:
        imported = build_posts([source_from_bytes(data, "de.csv")], ImportOptions())
        ds = ws.save_dataset("Deutsch", imported.posts, imported.excluded, imported.report, raw=imported.raw)
        ws.set_setting("active_dataset", ds)
    at = _app().run()
    _no_errors(at)
    assert at.title[0].value == "Overview"
    [warning] = [w.value for w in at.warning if "not in English" in w.value]
    assert "German (92%)" in warning and "their own language" in warning  # sentiment: the multilingual model
    assert at.caption[0].value.startswith("Dataset: Deutsch")  # the warning does not push the dataset line
    assert {m.label: m.value for m in at.metric}["Posts"] == "26"
    at.multiselect(key="ov_lang").set_value(["en"]).run()
    _no_errors(at)
    assert {m.label: m.value for m in at.metric}["Posts"] == "2"
    at.switch_page("pages/listening.py").run()
    _no_errors(at)
    assert any("not in English" in w.value for w in at.warning)
    at.session_state["li_tab"] = "Emotion & intent"
    at.run()
    _no_errors(at)
    assert any(c.value.startswith("24 of these 26 posts are in other languages: intent is read in English only")
               and "the emotion of the 24 in German is read by the multilingual emotion model" in c.value
               for c in at.caption), [c.value for c in at.caption]
    at.multiselect(key="li_lang").set_value(["de"]).run()
    _no_errors(at)
    assert {m.label: m.value for m in at.metric}["Posts"] == "24"
