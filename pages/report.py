"""Report: one click builds a self-contained HTML report and a PDF of the active dataset, from what the other
pages have computed (topics and segments appear once they are found), with optional consultant branding."""
import time
from dataclasses import replace

import streamlit as st

from lib.kpis.authenticity import leave_out_label
from lib.kpis.weights import PRESETS, load_presets
from lib.report.build import build
from lib.report.data import SECTIONS, Branding, available, clean_logo, without_spam
from lib.report.scope import run_scope
from lib.report.sections import value_title
from lib.ui import cache, run_view, session, widgets

session.ensure_navigation()
st.title("Report")
ds_id, posts = widgets.require_dataset()
w = session.ws()
st.caption("A report to leave behind: an executive summary with quotes, headline KPIs, sentiment and alerts, "
           "topics, segments, value-vs-vanity leaders, forecasts, and how the numbers were made. One HTML file "
           "(opens anywhere, offline, charts inside) and a PDF.")
meta = w.meta(ds_id)
run_view.sample_note(meta, "report")  # a sample of an analysis run: the report says which figures are the run's
widgets.read_posts_first(ds_id, posts)

presets = {**PRESETS, **load_presets(w.get_setting("kpi_presets"))}
tuned = st.session_state.get("kpi_current_weights")  # the KPI lab's sliders as the user left them
options = {f"As tuned in the KPI lab ({tuned.name})": tuned} if tuned is not None else {}
options.update(presets)
with st.container(border=True):
    st.markdown("**Sections**")
    names = SECTIONS | {"value": value_title(cache.kpi_bundle(session.ws_path(), ds_id).model)}  # what it will say
    choice = st.selectbox(f"Value weights for '{names['value']}'", list(options), index=0 if tuned is not None else
                          list(options).index("Balanced"), key="rp_weights",
                          help="The weights as you last tuned them in the KPI lab, its objectives, and your saved "
                               "presets.")
    data = replace(cache.report_data(ds_id, options[choice]), scope=run_scope(meta))
    why_not = available(data)
    cols = st.columns(2)
    chosen = []
    for i, (key, title) in enumerate(names.items()):
        col = cols[i % 2]
        if why_not[key]:
            col.checkbox(title, value=False, disabled=True, key=f"rp_sec_{key}", help=f"Not available: {why_not[key]}.")
            col.caption(f"Not available: {why_not[key]}.")
        elif col.checkbox(title, value=True, key=f"rp_sec_{key}"):
            chosen.append(key)
    spam = cache.spam_flags(session.ws_path(), ds_id)
    label = leave_out_label(spam)
    leave_out = bool(label) and st.checkbox(
        label, key="rp_nospam", help="Every figure, alert and topic size then counts only the other posts; topics "
                                     "and segments keep what was found with them. The report says how many posts it "
                                     "left out.")

with st.expander("Branding (optional)"):
    b1, b2 = st.columns(2)
    title = b1.text_input("Report title", placeholder=f"Social listening report: {data.name}", key="rp_title")
    client = b2.text_input("Client", placeholder="e.g. Acme Snacks", key="rp_client")
    by = b1.text_input("Prepared by", placeholder="your name or company", key="rp_by")
    logo_file = b2.file_uploader("Logo", type=["png", "jpg", "jpeg", "gif", "webp"], key="rp_logo")
logo = None
if logo_file is not None:
    try:
        logo = clean_logo(logo_file.getvalue())
    except ValueError as exc:
        st.error(f"Logo left out: {exc}.")

go = st.button("Build report", type="primary", icon=":material/description:", disabled=not chosen)
if go:
    from lib.report.render import to_html, to_pdf

    t0 = time.perf_counter()
    with st.status("Building the report…", expanded=True) as status:
        stage = widgets.progress_stage()
        if leave_out:
            stage("Leaving out likely spam", 0.0)
            data = without_spam(data)
        report = build(data, chosen, Branding(title, client, by, logo), stage=lambda m, f: stage(m, 0.6 * f))
        stage("Drawing the charts and writing the HTML", 0.6)
        html = to_html(report)
        stage("Writing the PDF", 0.8)
        pdf = to_pdf(report)
        stage("Done", 1.0)
        status.update(label=f"Report built in {time.perf_counter() - t0:.1f} s", state="complete", expanded=False)
    st.session_state["rp_out"] = {"ds": ds_id, "html": html.encode("utf-8"), "pdf": pdf,
                                  "sections": [s.title for s in report.sections], "title": report.title}

out = st.session_state.get("rp_out")
if out and out["ds"] == ds_id:
    st.success(f"Ready: {len(out['sections'])} section(s): " + ", ".join(out["sections"]) + ".",
               icon=":material/check_circle:")
    stem = "".join(ch if ch.isalnum() else "-" for ch in data.name.lower()).strip("-")[:40] or "report"
    d1, d2 = st.columns(2)
    d1.download_button("Download HTML report", out["html"], f"{stem}-report.html", "text/html", on_click="ignore",
                       icon=":material/download:", key="rp_dl_html", width="stretch")
    d2.download_button("Download PDF report", out["pdf"], f"{stem}-report.pdf", "application/pdf",
                       on_click="ignore", icon=":material/picture_as_pdf:", key="rp_dl_pdf", width="stretch")
    with st.expander("Preview of the PDF's first page", expanded=True):
        st.image(cache.pdf_page_png(out["pdf"], 0), width=620)
elif not go:
    counts = {"topics": (data.topics, "topic"), "segments": (data.personas, "segment")}  # -1: outliers, noise
    found = [f"{int((t[c] >= 0).sum()):,} {k}" for k, (t, c) in counts.items() if t is not None and len(t)]
    missing = [k for k, sec in (("topics", "topics"), ("segments", "audience")) if why_not[sec].startswith("find")]
    st.info("Choose the sections, add branding if you like, and press **Build report**. "
            + (f"It includes the {' and the '.join(found)} found so far. " if found else "")
            + (f"{' and '.join(missing).capitalize()} join it once found (in the background after Save, or on "
               "their pages)." if missing else ""))
