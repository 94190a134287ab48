"""Workshop exercises: every number they quote comes from the sample's analysis and agrees with what the
generator planted; templates are complete; the hand-in files keep the student's text and are safe."""
import pandas as pd
import pytest

from lib.ingest.build import ImportOptions, build_posts, open_sources
from lib.listening.enrich import enrich
from lib.report.export import to_csv_bytes
from lib.workshop.exercises import _FIELD, EXERCISES, answers_markdown, answers_table, fill
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def frames():
    out = {}
    for key in ("gamerfuel", "connectsphere"):
        result = build_posts(open_sources([ROOT / "sample_data" / f"{key}.csv"]), ImportOptions())
        out[key] = enrich(result.posts).frame
    return out


def _pct(s: str) -> float:
    return float(s.rstrip("%")) / 100


def test_every_template_field_is_computed(frames):
    for key, ex in EXERCISES.items():
        facts = ex.facts(frames[ex.sample], None)
        texts = [ex.brief] + [t for s in ex.steps for t in (s.look, s.question, s.hint, s.answer)]
        for t in texts:
            for name in _FIELD.findall(t):
                assert name in facts, (key, name)
            assert "{" not in fill(t, facts)
        assert all(isinstance(v, str) for v in facts.values())


def test_gamerfuel_facts_match_the_planted_crisis_and_opportunity(frames):
    f = frames["gamerfuel"]
    facts = EXERCISES["gamerfuel"].facts(f, None)
    assert facts["gf_posts"] == f"{(f['brand'] == 'GamerFuel').sum():,}"
    assert facts["alert_start"] in ("Mon 07 Sep", "Tue 08 Sep")  # the crisis is planted from day 38 (8 Sep)
    assert _pct(facts["alert_negative"]) > 2 * _pct(facts["alert_base_negative"])
    assert "aftertaste" in facts["terms"] and "PixelQueenTV" in facts["amplifiers"]
    assert 0 <= int(facts["lead_days"]) <= 5
    assert _pct(facts["window_aftertaste"]) > 0.3 and _pct(facts["window_packaging"]) > 0.2
    # the savoury theme's share grows over the 60 days as planted (4 % -> 20 % of topic weight)
    assert _pct(facts["savoury_last"]) > 2 * _pct(facts["savoury_first"])
    assert float(facts["savoury_net"]) > 0


def test_connectsphere_facts_match_the_planted_themes(frames):
    f = frames["connectsphere"]
    facts = EXERCISES["connectsphere"].facts(f, None)
    assert facts["worst_theme"] == "personalised agenda" and float(facts["worst_net"]) < 0
    assert facts["best_theme"] in ("networking suggestions", "session summaries")
    truth_agenda = f[f["truth_topic"] == "agenda"]
    assert abs(int(facts["agenda_posts"].replace(",", "")) - len(truth_agenda)) <= 0.2 * len(truth_agenda)
    assert int(facts["inference_posts"]) > 10
    assert _pct(facts["api_organisers"]) > 0.5  # organisers ask for the API, as planted
    assert float(facts["api_followers"].replace(",", "")) > float(facts["all_followers"].replace(",", ""))
    assert facts["who_source"].startswith("platforms")


def test_connectsphere_speaks_of_segments_once_they_exist(frames):
    f = frames["connectsphere"]
    seg = f.assign(segment_name=f["truth_segment"])  # stand-in for found segments, named like the planted ones
    facts = EXERCISES["connectsphere"].facts(f, seg)
    assert facts["who_source"] == "audience segments"
    assert "Skeptics" in facts["who"] or "Power users" in facts["who"]


def test_facts_refuse_a_dataset_that_is_not_the_sample():
    other = pd.DataFrame({"text": ["fine"] * 30, "brand": ["Other"] * 30,
                          "created_at": pd.date_range("2024-01-01", periods=30, freq="D", tz="UTC"),
                          "sentiment_label": ["neutral"] * 30, "author": ["a"] * 30})
    with pytest.raises(ValueError, match="GamerFuel"):
        EXERCISES["gamerfuel"].facts(other, None)


def test_missing_fact_is_an_error_not_a_blank():
    with pytest.raises(KeyError):
        fill("{nope} posts", {})


def test_hand_in_keeps_the_answer_as_text_and_is_formula_safe(frames):
    ex = EXERCISES["gamerfuel"]
    facts = ex.facts(frames["gamerfuel"], None)
    answers = {"crisis": '=HYPERLINK("http://x","y")\n<script>alert(1)</script>'}
    table = answers_table(ex, facts, answers)
    assert list(table["step"]) == [1, 2, 3] and table.loc[1, "your_answer"] == ""
    assert "The alert fires on" in table.loc[0, "what_the_data_says"]
    csv = to_csv_bytes(table).decode("utf-8-sig")
    assert "'=HYPERLINK" in csv and ',"=HYPERLINK' not in csv
    md = answers_markdown(ex, facts, answers)
    # the answer is an indented (code) block in Markdown: shown literally, never as a link or HTML
    assert '    =HYPERLINK("http://x","y")' in md and "    <script>alert(1)</script>" in md
    assert "(no answer yet)" in md


def test_listening_steps_open_a_tab_that_exists():
    """The Listening page computes only its open tab, so each step names the tab its question is about."""
    from lib.listening.enrich import TABS

    steps = [s for ex in EXERCISES.values() for s in ex.steps if s.page == "pages/listening.py"]
    assert steps and all(s.filters.get("li_tab") in TABS for s in steps)
    crisis = next(s for s in EXERCISES["gamerfuel"].steps if s.key == "crisis")
    assert crisis.filters["li_tab"] == "Spike alerts"
