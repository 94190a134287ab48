"""The one module of `lib` that imports Streamlit: cached access to the workspace and the active dataset,
and the few widgets more than one page shows.

Pages stay thin: they call these wrappers, which call the pure engine and cache its results, so a
widget change never reloads or recomputes what is already known.
"""
from __future__ import annotations

import os
import re
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import pandas as pd
import streamlit as st

from lib.ingest import samples
from lib.ingest.build import ImportOptions, ImportResult, Source, build_posts, source_from_bytes
from lib.ingest.schema import coerce_types
from lib.kpis.weights import Weights
from lib.store.workspace import Workspace, default_path

ACTIVE = "active_dataset"


@st.cache_resource(show_spinner=False, max_entries=32)
def workspace(path: str) -> Workspace:
    """One open workspace per file; bounded, since a shared server opens one per browser session."""
    return Workspace(path)


def ensure_navigation() -> None:
    """Run every page through app.py's st.navigation, even on a fresh server's very first session.

    Streamlit treats an app with a `pages/` folder as a legacy multipage app until some session has
    called st.navigation; the first visitor of a fresh server who opens a page URL directly (a bookmark
    to /data) would get that page without app.py: no sidebar, no settings. The page calls this first;
    it switches the process to st.navigation mode once and reruns through app.py.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


SHARED_ENV = "LISTENING_LAB_SHARED"
_TOKEN = re.compile(r"^[0-9a-f]{32}$")


def shared_mode() -> bool:
    """LISTENING_LAB_SHARED=1: a demo server shared by several people; every browser session gets its own
    private workspace (see README, "Shared server")."""
    return os.environ.get(SHARED_ENV, "").strip().lower() in ("1", "true", "yes")


def ws_path() -> str:
    """The workspace file: LISTENING_LAB_WORKSPACE or the per-user default; in shared mode, this browser
    session's own file, named by a random token kept in the page address (?w=...), so a reload or a bookmark
    finds it again and nobody can guess another session's."""
    if st.session_state.get("workspace_path"):
        return str(st.session_state["workspace_path"])
    if not shared_mode():
        return str(default_path())
    token = st.session_state.get("workspace_token") or st.query_params.get("w", "")
    if not _TOKEN.match(str(token)):
        token = uuid.uuid4().hex
    st.session_state["workspace_token"] = token
    if st.query_params.get("w") != token:
        st.query_params["w"] = token
    return str(default_path().parent / "sessions" / f"{token}.duckdb")


@st.cache_resource(show_spinner=False)
def _heavy_locks() -> dict[str, threading.Semaphore]:
    return {"fit": threading.Semaphore(1), "score": threading.Semaphore(1)}


@contextmanager
def heavy_slot(kind: str = "fit") -> Iterator[None]:
    """One heavy analysis of each kind at a time per server process: on a shared 2-core server two sessions
    queue instead of doubling the memory and thrashing the cores. Fits (topics, segments, models: minutes)
    and scoring (sentiment: seconds) queue separately, so a label or threshold change on the Listening page
    never waits behind a background topic fit."""
    with _heavy_locks()[kind]:
        yield


def _text_present(posts: pd.DataFrame) -> bool:
    """Whether a dataset has any text to read sentiment and topics from (as the pages decide it)."""
    return "text" in posts and bool(posts["text"].notna().any())


def ws() -> Workspace:
    return workspace(ws_path())


@st.cache_resource(show_spinner=False, max_entries=4)
def _stored_posts(path: str, ds_id: str) -> pd.DataFrame:
    """One shared frame per saved dataset; datasets never change after saving, so the id is a complete key."""
    return coerce_types(workspace(path).load_posts(ds_id))


def load_posts(path: str, ds_id: str) -> pd.DataFrame:
    """A saved dataset's posts, as the caller's own copy.

    A resource, not st.cache_data: unpickling a private 100k-row frame on every rerun cost ~0.45 s. Under
    copy-on-write (set in lib) a shallow copy costs nothing and a page that adds or changes a column changes
    only its copy, never the shared frame."""
    return _stored_posts(path, ds_id).copy(deep=False)


def active_id() -> str | None:
    """The dataset every page shows: this session's choice, else the workspace's last one, else the newest."""
    w = ws()
    for ds in (st.session_state.get(ACTIVE), w.get_setting("active_dataset")):
        if ds and w.exists(ds):
            st.session_state[ACTIVE] = ds
            return ds
    datasets = w.list_datasets()
    if datasets.empty:
        st.session_state.pop(ACTIVE, None)
        return None
    return set_active(datasets["id"].iloc[0])


def set_active(ds_id: str) -> str:
    """Make a dataset the active one, for this session and the next time the app opens."""
    st.session_state[ACTIVE] = ds_id
    ws().set_setting("active_dataset", ds_id)
    return ds_id


def active_posts() -> tuple[str, pd.DataFrame] | None:
    ds = active_id()
    if ds is None:
        return None
    return ds, load_posts(ws_path(), ds)


def require_dataset() -> tuple[str, pd.DataFrame]:
    """The active dataset, or a plain message with a link to the Data page (and the page stops)."""
    got = active_posts()
    if got is None:
        st.info("No dataset yet. Load a sample below, or upload your own export on the Data page.")
        sample_cards()
        st.page_link("pages/data.py", label="Upload an export", icon=":material/upload_file:")
        st.stop()
    return got


def progress_stage() -> Callable[[str, float], None]:
    """A progress bar with a caption under it, as the (message, fraction done) callback the engine's long
    steps (topics, segments) report to."""
    bar = st.progress(0.0)
    note = st.empty()

    def stage(msg: str, frac: float) -> None:
        bar.progress(min(1.0, frac))
        note.caption(msg)

    return stage


def show_flash() -> None:
    """A message left by the previous run (for example 'Saved ...') shown once, after st.rerun()."""
    flash = st.session_state.pop("data_flash", None)
    if flash:
        st.success(flash, icon=":material/check_circle:")


def sample_cards() -> None:
    """One card per bundled scenario; one click imports it and makes it the active dataset."""
    for col, (key, (name, blurb)) in zip(st.columns(len(samples.SAMPLES)), samples.SAMPLES.items()):
        with col.container(border=True):
            st.markdown(f"**{name}**")
            st.caption(blurb)
            if st.button("Load this sample", key=f"sample_{key}", icon=":material/download:"):
                with st.spinner("Importing the sample..."):
                    import_sample(key)
                st.session_state["data_flash"] = f"Loaded the sample '{name}' and made it the active dataset."
                st.rerun()


@st.cache_data(show_spinner=False, max_entries=16)
def read_upload(_data: bytes, name: str, file_id: str) -> Source:
    """Read an upload once; the uploader's file id is the key, so big files are not re-hashed per rerun."""
    return source_from_bytes(_data, name)


@st.cache_data(show_spinner=False, max_entries=8)
def preview_import(_sources: list[Source], key: str, options: ImportOptions) -> ImportResult:
    """Build the canonical table for a mapping; `key` identifies the files and mappings for the cache."""
    return build_posts(_sources, options)


def import_sample(key: str) -> str:
    """Import a bundled sample, make it the active dataset and start its background analysis."""
    ds_id = set_active(samples.import_sample(ws(), key))
    start_auto(ds_id)
    return ds_id


@st.cache_resource(show_spinner=False, max_entries=6)
def _listening(path: str, ds_id: str, thresholds: tuple[float, float],
               labels: tuple[tuple[str, str], ...], vectors_ready: bool = False) -> dict:
    """`vectors_ready` only keys the cache: once the posts' MiniLM vectors are cached (the background job),
    learning from labels uses them (see lib.listening.enrich.label_vectors)."""
    from lib.listening.enrich import enrich

    by_post = pd.Series(dict(labels), dtype=object)
    with heavy_slot("score"):
        result = enrich(load_posts(path, ds_id), workspace(path), thresholds, by_post if labels else None)
    a = result.adaptation
    return {"frame": result.frame, "n_labels": len(labels),
            "cv_accuracy": a.cv_accuracy if a else None, "cv_macro_f1": a.cv_macro_f1 if a else None,
            "baseline_accuracy": a.baseline_accuracy if a else None,
            "used_embeddings": bool(a and a.used_embeddings), "applied": bool(a and a.applied)}


def listening(path: str, ds_id: str, thresholds: tuple[float, float],
              labels: tuple[tuple[str, str], ...]) -> dict:
    """Every listening column for a dataset; recomputed only when the thresholds or the user's labels
    (post_id, label pairs, which are also the cache key) change. Per-text scores come from the workspace.
    Shared like the posts: the caller gets its own shallow copy of the frame."""
    vectors_ready = bool(labels) and workspace(path).sentence_vectors_ready(ds_id)
    got = _listening(path, ds_id, thresholds, labels, vectors_ready)
    return {**got, "frame": got["frame"].copy(deep=False)}


def listening_frame(ds_id: str, path: str | None = None) -> pd.DataFrame:
    """The enriched posts with default thresholds and the user's labels (what Topics and later pages read).
    `path`: the workspace, when called outside a page (the background job); else this session's."""
    path = path or ws_path()
    labels = workspace(path).labels(ds_id)
    return listening(path, ds_id, (0.05, -0.05), tuple(labels.items()))["frame"]


@st.cache_resource(show_spinner=False, max_entries=4)
def topic_result(path: str, ds_id: str, stamp: str):  # type: ignore[no-untyped-def]
    """A dataset's stored topics; `stamp` (when they were fitted) makes a refit a new cache entry. Shared
    between sessions and reruns without copying: pages read it, never modify it."""
    from lib.topics.result import TopicResult

    return workspace(path).load_result(ds_id, TopicResult)


@st.cache_resource(show_spinner=False, max_entries=4)
def audience_result(path: str, ds_id: str, stamp: str):  # type: ignore[no-untyped-def]
    """A dataset's stored segments; `stamp` (when they were found) makes a refit a new cache entry. Shared
    between sessions and reruns without copying: pages read it, never modify it."""
    from lib.audience.result import SegmentResult

    return workspace(path).load_result(ds_id, SegmentResult)


def analysis_frame(ds_id: str, path: str | None = None) -> pd.DataFrame:
    """The enriched posts (listening) with the user's current topics when topics were found: what segments
    are fitted on and described with."""
    from lib.topics import views as tv

    path = path or ws_path()
    frame = listening_frame(ds_id, path)
    stamp = workspace(path).result_stamp(ds_id, "topics")
    if stamp:
        doc_topic, table = tv.effective(topic_result(path, ds_id, stamp), workspace(path).topic_edits(ds_id))
        frame = tv.with_topics(frame, doc_topic, table)
    return frame


@st.cache_data(show_spinner=False, max_entries=8)
def _workshop_facts(path: str, ds_id: str, key: str, labels: tuple, audience: tuple) -> dict[str, str]:
    from lib.audience.personas import persona_names
    from lib.audience.segments import posts_with_segments
    from lib.workshop.exercises import EXERCISES

    frame = listening(path, ds_id, (0.05, -0.05), labels)["frame"]
    segments = None
    if audience:
        result = audience_result(path, ds_id, audience[0])
        segments = posts_with_segments(frame, result, persona_names(result, workspace(path).persona_edits(ds_id)))
    return EXERCISES[key].facts(frame, segments)


def workshop_facts(ds_id: str, key: str) -> dict[str, str]:
    """The numbers an exercise quotes, from the sample's listening analysis (and its segments, with the user's
    persona names, once found); recomputed only when labels, segments or names change."""
    w = ws()
    stamp = w.result_stamp(ds_id, "segments")
    audience = (stamp, w.persona_edits(ds_id).to_json()) if stamp else ()
    return _workshop_facts(ws_path(), ds_id, key, tuple(w.labels(ds_id).items()), audience)


@st.cache_data(show_spinner=False, max_entries=4)
def pdf_page_png(pdf: bytes, page: int = 0, scale: float = 1.4) -> bytes:
    """One page of a PDF as a PNG (pdfium), to preview a report before downloading it."""
    import io

    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    try:
        buf = io.BytesIO()
        doc[page].render(scale=scale).to_pil().save(buf, format="PNG")
        return buf.getvalue()
    finally:
        doc.close()


def report_data(ds_id: str, weights: Weights):  # type: ignore[no-untyped-def]
    """What the report reads: the enriched posts, the user's topics and personas (with their own names) and the
    dataset's import report; only what is already computed, nothing is fitted here."""
    from lib.audience.personas import named_personas
    from lib.report.data import ReportData
    from lib.topics import views as tv

    w = ws()
    posts = load_posts(ws_path(), ds_id)
    has_text = _text_present(posts)
    frame = analysis_frame(ds_id) if has_text else posts
    meta = w.meta(ds_id)
    data = ReportData(name=meta["name"], frame=frame, meta=meta, weights=weights,
                      n_labels=len(w.labels(ds_id)) if has_text else 0)
    stamp = w.result_stamp(ds_id, "topics")
    if stamp and has_text:
        result = topic_result(ws_path(), ds_id, stamp)
        _, table = tv.effective(result, w.topic_edits(ds_id))
        data.topics = tv.topic_table(frame, table)
        data.topic_settings = {"seed": result.settings.seed}
    astamp = w.result_stamp(ds_id, "segments")
    if astamp:
        result = audience_result(ws_path(), ds_id, astamp)
        data.personas, data.audience_metrics = named_personas(result, w.persona_edits(ds_id)), result.metrics
    return data


def foresight_model(path: str, ds_id: str, extra: tuple[str, ...] = ()):  # type: ignore[no-untyped-def]
    """The performance model of a dataset (cross-validated, seconds), with the user's labels and current
    topics, since sentiment and topics are features. Its cache key is derived here, in one place, for the
    page and the background job alike. Shared, read-only."""
    posts = load_posts(path, ds_id)
    has_text = _text_present(posts)
    w = workspace(path)
    labels = tuple(w.labels(ds_id).items()) if has_text else ()
    return _foresight_model(path, ds_id, labels, w.result_stamp(ds_id, "topics"), tuple(extra), has_text)


@st.cache_resource(show_spinner=False, max_entries=4)
def _foresight_model(path: str, ds_id: str, labels: tuple, topics_stamp: str | None,  # type: ignore[no-untyped-def]
                     extra: tuple[str, ...], has_text: bool):
    from lib.foresight.model import PerformanceSettings, fit_performance_model

    frame = analysis_frame(ds_id, path) if has_text else load_posts(path, ds_id)
    with heavy_slot():
        return fit_performance_model(frame, PerformanceSettings(extra=extra))


def _prepare_foresight(path: str, ds_id: str) -> None:
    """The Foresight page's first model (no extra columns), so that page, too, is ready when opened."""
    from lib.foresight.model import too_small

    posts = load_posts(path, ds_id)
    if not too_small(analysis_frame(ds_id, path) if _text_present(posts) else posts):
        foresight_model(path, ds_id)


def kpi_bundle(path: str, ds_id: str) -> dict:
    """What the KPI lab reads on every rerun: the scored frame, the value model (per-post components), the
    scorecard and the author authenticity table, for the dataset with the user's labels. A resource, not
    data: Streamlit hands back the same objects without copying them, so a slider move costs only the
    re-weighting. Callers must not modify them."""
    posts = load_posts(path, ds_id)
    has_text = _text_present(posts)
    return _kpi_bundle(path, ds_id, tuple(workspace(path).labels(ds_id).items()) if has_text else ())


@st.cache_resource(show_spinner="Scoring posts…", max_entries=2)
def _kpi_bundle(path: str, ds_id: str, labels: tuple) -> dict:
    from lib.kpis.authenticity import author_scores
    from lib.kpis.leaderboards import share_of_voice
    from lib.kpis.scorecard import scorecard
    from lib.kpis.value import fit_value_model

    posts = load_posts(path, ds_id)
    has_text = _text_present(posts)
    frame = listening(path, ds_id, (0.05, -0.05), labels)["frame"] if has_text else posts
    model = fit_value_model(frame)
    return {"frame": frame, "model": model, "scorecard": scorecard(frame, model), "sov": share_of_voice(frame),
            "authors": author_scores(frame, model.bot_likeness) if has_text else pd.DataFrame()}


AUTO_ENV = "LISTENING_LAB_AUTO"


@dataclass
class Job:
    """A background analysis of one dataset (topics, then segments), as the pages see it."""
    ds_id: str
    message: str = "Waiting for its turn"
    fraction: float = 0.0
    done: bool = False
    outcome: dict = field(default_factory=dict)
    error: str = ""


@st.cache_resource(show_spinner=False)
def _jobs() -> dict[tuple[str, str], Job]:
    return {}


def auto_enabled() -> bool:
    """Find topics and segments by themselves after an import: on unless switched off in Settings (saved in
    the workspace) or by LISTENING_LAB_AUTO=0."""
    if os.environ.get(AUTO_ENV, "").strip().lower() in ("0", "false", "no"):
        return False
    return ws().get_setting("auto_analyse") != "0"


def start_auto(ds_id: str) -> Job | None:
    """Start the background topics + segments of a freshly imported dataset (once per dataset and process)."""
    if not auto_enabled():
        return None
    path = ws_path()
    jobs = _jobs()
    if (path, ds_id) in jobs:
        return jobs[(path, ds_id)]
    job = jobs[(path, ds_id)] = Job(ds_id)

    def stage(msg: str, frac: float) -> None:
        job.message, job.fraction = msg, frac

    def run() -> None:
        from lib.pipeline import analyse

        try:
            w = workspace(path)
            frame = load_posts(path, ds_id)
            # Sentiment and KPIs first, at full priority: the pages opened first wait for them. Through the same
            # wrappers as the pages, so they share this one computation (a call with other arguments, even an
            # omitted default, is another cache entry and scored everything twice).
            if _text_present(frame):
                frame = listening(path, ds_id, (0.05, -0.05), tuple(w.labels(ds_id).items()))["frame"]
            try:
                kpi_bundle(path, ds_id)
            except Exception:  # only a head start: the KPI lab says what is wrong when opened; topics go on
                pass
            background_priority()
            with heavy_slot():
                job.outcome = analyse(w, ds_id, frame, stage)
            job.done = True  # topics and segments are saved: their pages stop waiting
            _prepare_foresight(path, ds_id)
            if _text_present(frame):  # last, on one core: sentence vectors for learning from labels
                from lib.listening.enrich import prepare_label_vectors

                prepare_label_vectors(frame, w, ds_id, threads=1)
        except Exception as exc:  # the pages' buttons still work; say what happened
            if not job.done:
                job.error = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
        finally:
            job.done = True

    threading.Thread(target=run, name=f"listening-lab-auto-{ds_id}", daemon=True).start()
    return job


def auto_job(ds_id: str) -> Job | None:
    return _jobs().get((ws_path(), ds_id))


def wait_for_auto(ds_id: str, what: str) -> None:
    """On a page whose analysis the background job is computing: its progress, refreshed every 2 s; the page
    reruns by itself when the job is done. Stops the page while it runs."""
    job = auto_job(ds_id)
    if job is None or job.done:
        return

    @st.fragment(run_every=2)
    def watch() -> None:
        if job.done:
            st.rerun(scope="app")
        st.progress(min(1.0, job.fraction), text=job.message)

    st.info(f"{what} are being found in the background with the default settings (started when the data was "
            "imported). Sentiment and KPIs are ready on their pages meanwhile. This page shows the result by "
            "itself when it is done; you can then change the settings and refit.", icon=":material/hourglass_top:")
    watch()
    st.stop()


def background_priority() -> None:
    """Lower the calling thread's CPU priority (Linux: nice 10, this thread only; threads it starts, such as
    the embedding model's and numba's workers, inherit it). Background fits then yield the 2 cores to page
    reruns instead of sharing them evenly, so sentiment and KPIs come first."""
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)
    except (AttributeError, OSError):  # not Linux, or not allowed: the same work, just not deferred
        pass


@st.cache_resource(show_spinner=False)
def warm_up() -> threading.Thread:
    """Once per server process, in the background: load the sentiment model, then import BERTopic/UMAP/HDBSCAN,
    load the WordLlama vectors and run a tiny fit (at low priority), so scikit-learn's import and numba's
    compilation (several seconds) are paid before anyone asks for sentiment or topics."""
    def run() -> None:
        try:  # sentiment first, at full priority: it is what the first import shows
            from lib.listening.enrich import warm_up as listening_warm_up

            listening_warm_up()
        except Exception:
            pass
        background_priority()
        try:
            from lib.topics.fit import warm_up as engine_warm_up

            engine_warm_up()
        except Exception:  # a failed warm-up only means the first real fit pays the cost
            pass

    t = threading.Thread(target=run, name="listening-lab-warm-up", daemon=True)
    t.start()
    return t


def chart(name: str, figure, where=None, **kwargs):  # type: ignore[no-untyped-def]
    """An Altair chart with a small 'Download chart' menu (PNG, SVG). The images are drawn only when a
    button is clicked (deferred data), so a chart costs nothing extra per rerun. `name` is unique per page:
    it names the files and keys the buttons. Returns what st.altair_chart returns (selection events)."""
    from lib.report.static_charts import to_png, to_svg

    target = where if where is not None else st
    kwargs.setdefault("width", "stretch")
    event = target.altair_chart(figure, **kwargs)
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "chart"
    with target.popover("Download chart", type="tertiary", icon=":material/download:"):
        st.download_button("PNG image", lambda: to_png(figure), file_name=f"{slug}.png", mime="image/png",
                           on_click="ignore", key=f"dlc_png_{slug}", icon=":material/image:")
        st.download_button("SVG (scalable)", lambda: to_svg(figure).encode("utf-8"), file_name=f"{slug}.svg",
                           mime="image/svg+xml", on_click="ignore", key=f"dlc_svg_{slug}",
                           icon=":material/draw:")
    return event


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:])")


def md_escape(text: object) -> str:
    """Make user-supplied text inert inside Markdown (no links, images, emphasis or HTML)."""
    return _MD_SPECIAL.sub(r"\\\1", str(text))
