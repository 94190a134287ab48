"""Workshop: guided exercises on the course scenarios. Each step opens the right page with the right filters,
asks a question, offers a hint, saves the student's answer in the workspace, and shows what the data says
(numbers from the app's own analysis of the sample) once the student has answered."""
import streamlit as st

from lib.ingest.samples import SAMPLES
from lib.report.export import to_csv_bytes
from lib.ui import cache, jobs, session, widgets
from lib.ui.workshop_links import LINKS
from lib.workshop.exercises import EXERCISES, fill
from lib.workshop.handin import answers_markdown, answers_table

session.ensure_navigation()
st.title("Workshop")
st.caption("Guided exercises on the two course scenarios. Every number below comes from the app's own analysis "
           "of the sample, so it matches what you see on the pages. Your answers are saved as you go.")
w = session.ws()

# open on the exercise of the active sample, else the one used last
active = session.active_id()
active_sample = w.meta(active).get("sample") if active else None
by_sample = {e.sample: k for k, e in EXERCISES.items()}
first = st.session_state.get("wk_last") or by_sample.get(active_sample) or next(iter(EXERCISES))
key = st.segmented_control("Exercise", list(EXERCISES), format_func=lambda k: EXERCISES[k].title,
                           default=first, key="wk_exercise")
if key is None:
    st.stop()
st.session_state["wk_last"] = key
ex = EXERCISES[key]

# the exercise runs on its own sample: find it in the workspace (or import it) and make it the active dataset
ds_id = session.active_id()
sample_ids = [i for i in w.list_datasets()["id"] if w.meta(i).get("sample") == ex.sample]
if ds_id not in sample_ids:
    st.info(f"This exercise works on the sample '{SAMPLES[ex.sample][0]}'. "
            + ("It is in your workspace but not the active dataset." if sample_ids else "It is not loaded yet."),
            icon=":material/school:")
    label = "Use the sample" if sample_ids else "Load the sample"
    if st.button(label, type="primary", icon=":material/play_arrow:", key=f"wk_use_{key}"):
        if sample_ids:
            session.set_active(sample_ids[0])
        else:
            with st.spinner("Importing the sample..."):
                jobs.load_sample(ex.sample)
        st.rerun()
    st.stop()

try:
    with st.spinner("Reading the sample's analysis…"):
        facts = cache.workshop_facts(ds_id, key)
except ValueError as exc:
    st.error(f"This dataset does not look like the exercise's sample: {exc}")
    st.stop()
safe = {k: widgets.md_escape(v) for k, v in facts.items()}  # numbers and words from the data, shown as text

with st.container(border=True):
    st.markdown(fill(ex.brief, safe))
saved = w.answers(ex.key)
done = sum(1 for s in ex.steps if saved.get(s.key, "").strip())
st.progress(done / len(ex.steps), text=f"{done} of {len(ex.steps)} steps answered")

titles = {s.key: f"{i + 1}. {s.title}" for i, s in enumerate(ex.steps)}
step_key = st.radio("Step", list(titles), format_func=titles.get, horizontal=True, key=f"wk_step_{key}")
step = next(s for s in ex.steps if s.key == step_key).filled(safe)  # every text with its numbers
link = LINKS[(ex.key, step.key)]

LISTENING_FILTERS = {"li_brand": [], "li_platform": [], "li_sent": [], "li_emo": [], "li_intent": [],
                     "li_search": "", "li_tab": "Over time"}

with st.container(border=True):
    st.subheader(titles[step.key])
    st.markdown("**Where to look.** " + step.look)
    if st.button(link.label, icon=":material/open_in_new:", key=f"wk_open_{key}_{step.key}"):
        if link.page == "pages/listening.py":  # start from a clean set of filters, then set this step's
            for k, v in LISTENING_FILTERS.items():
                st.session_state[k] = v
        for k, v in link.filters.items():
            st.session_state[k] = v
        st.switch_page(link.page)
    st.markdown("**Question.** " + step.question)
    if st.toggle("Show a hint", key=f"wk_hint_{key}_{step.key}"):
        st.info(step.hint, icon=":material/lightbulb:")

    box = f"wk_answer_{key}_{step.key}"
    if box not in st.session_state:
        st.session_state[box] = saved.get(step.key, "")

    def save(box: str = box, step_key: str = step.key) -> None:
        w.set_answer(ex.key, step_key, st.session_state[box])

    st.text_area("Your answer", key=box, height=140, on_change=save,
                 placeholder="Write what you found, with the numbers you saw on the pages.")
    c1, c2 = st.columns([1, 3])
    if c1.button("Save answer", icon=":material/save:", key=f"wk_save_{key}_{step.key}"):
        save()
        st.session_state["wk_flash"] = "Answer saved."
        st.rerun()
    if st.session_state.pop("wk_flash", None):
        c2.success("Answer saved in the workspace.", icon=":material/check_circle:")
    answered = bool(saved.get(step.key, "").strip())
    if st.toggle("Compare with what the data says", key=f"wk_reveal_{key}_{step.key}", disabled=not answered,
                 help=None if answered else "Write and save your answer first."):
        st.success(step.answer, icon=":material/fact_check:")

st.divider()
st.markdown("**Hand in your answers**")
now = saved
d1, d2 = st.columns(2)
d1.download_button("Answers as CSV", lambda: to_csv_bytes(answers_table(ex, facts, now)),
                   f"{ex.key}-answers.csv", "text/csv", on_click="ignore", icon=":material/download:",
                   key=f"wk_dl_csv_{key}")
d2.download_button("Answers as text (Markdown)", lambda: answers_markdown(ex, facts, now).encode("utf-8"),
                   f"{ex.key}-answers.md", "text/markdown", on_click="ignore", icon=":material/download:",
                   key=f"wk_dl_md_{key}")
