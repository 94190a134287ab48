"""Workshop exercises: the course text loads from its data file and is checked; every number it quotes comes
from the sample's analysis and agrees with what the generator planted; templates are complete; page paths and
widget keys stay in the UI; the hand-in files keep the student's text and are safe."""
import re

import pandas as pd
import pytest

from lib.ingest.build import ImportOptions, build_posts, open_sources
from lib.listening.enrich import enrich
from lib.report.export import to_csv_bytes
from lib.workshop.exercises import COURSE_FILE, EXERCISES, FIELD, fill, load_exercises
from lib.workshop.handin import answers_markdown, answers_table
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
        texts = [ex.title, ex.brief] + [t for s in ex.steps for t in (s.title, s.look, s.question, s.hint, s.answer)]
        for t in texts:
            for name in FIELD.findall(t):
                assert name in facts, (key, name)
            assert "{" not in fill(t, facts) and "}" not in fill(t, facts)
        # what the page shows: each step with all its texts filled (the hint's {top_term} once showed raw)
        for s in ex.steps:
            shown = s.filled(facts)
            assert not any("{" in t for t in (shown.title, shown.look, shown.question, shown.hint, shown.answer))
        assert all(isinstance(v, str) for v in facts.values())
    drivers = next(s for s in EXERCISES["gamerfuel"].steps if s.key == "drivers")
    facts = EXERCISES["gamerfuel"].facts(frames["gamerfuel"], None)
    assert f"({facts['top_term']})" in drivers.filled(facts).hint


def test_course_text_loads_from_its_data_file():
    assert COURSE_FILE.suffix == ".toml" and COURSE_FILE.parent.name == "workshop"
    again = load_exercises(COURSE_FILE.read_text(encoding="utf-8"))
    assert list(again) == list(EXERCISES) == ["connectsphere", "gamerfuel"]
    assert [s.key for s in again["gamerfuel"].steps] == ["crisis", "drivers", "savoury"]
    assert again["gamerfuel"].steps[0].title == "Catch the crisis early"


def test_samples_of_the_exercises_exist():
    from lib.ingest.samples import SAMPLES

    assert all(ex.sample in SAMPLES for ex in EXERCISES.values())


@pytest.mark.parametrize("edit, message", [
    (lambda t: t.replace('hint = "', 'hnt = "', 1), "missing field(s) hint; unknown field(s) hnt"),
    (lambda t: re.sub(r'\nbrief = """\\\n(.|\n)*?"""', "", t, count=1),
     "exercise 'connectsphere': missing field(s) brief"),
    (lambda t: t.replace('key = "gamerfuel"', 'key = "nofacts"'), "no facts function"),
    (lambda t: t.replace("{best_net}", "{best net}", 1), "stray brace"),
    (lambda t: t.replace('key = "agenda"', 'key = "insights"'), "step keys repeat"),
    (lambda t: t + "\n[extra]\n", "expected only [[exercise]]"),
    (lambda t: t.replace('title = "', 'title = ', 1), "not valid TOML"),
])
def test_a_broken_course_file_is_a_clear_error(edit, message):
    text = COURSE_FILE.read_text(encoding="utf-8")
    broken = edit(text)
    assert broken != text
    with pytest.raises(ValueError, match=re.escape(message)):
        load_exercises(broken)


def test_no_page_path_or_widget_key_in_the_course_package():
    """lib/workshop holds course text and facts; where a step sends the student is UI (lib/ui/workshop_links)."""
    from lib.ui.workshop_links import LINKS

    text = "\n".join(p.read_text(encoding="utf-8") for p in sorted(COURSE_FILE.parent.iterdir()) if p.is_file())
    widget_keys = {k for link in LINKS.values() for k in link.filters}
    assert widget_keys and not any(k in text for k in widget_keys)
    assert not re.search(r"pages/\w+\.py|session_state|\b(?:li|wk|rp|tp|au|fs|kpi|ov)_[a-z]", text)
    assert "import streamlit" not in text


def test_every_step_has_a_link_and_every_link_a_step():
    from lib.ui.workshop_links import LINKS

    assert set(LINKS) == {(ex.key, s.key) for ex in EXERCISES.values() for s in ex.steps}
    assert all((ROOT / link.page).is_file() for link in LINKS.values())


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
    with pytest.raises(ValueError, match="stray brace"):
        fill("{top term} posts", {"top term": "x"})  # never left raw in what the student reads


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
    from lib.ui.workshop_links import LINKS, LISTENING

    links = [link for link in LINKS.values() if link.page == LISTENING]
    assert links and all(link.filters.get("li_tab") in TABS for link in links)
    assert LINKS[("gamerfuel", "crisis")].filters["li_tab"] == "Spike alerts"
