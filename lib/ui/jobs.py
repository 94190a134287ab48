"""Work the app does by itself, in background threads: the analyses of a freshly imported dataset (in the order
`lib.pipeline.run_background` decides, through the same cached wrappers the pages call) and the warm-up of the
models when the server starts."""
from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field

import streamlit as st

from lib import pipeline
from lib.ingest import samples
from lib.ui.cache import foresight_model, heavy_slot, kpi_bundle, listening_frame
from lib.ui.session import load_posts, set_active, workspace, ws, ws_path

AUTO_ENV = "LISTENING_LAB_AUTO"


@dataclass
class Job:
    """A background analysis of one dataset, as the pages see it."""
    ds_id: str
    message: str = "Waiting for its turn"
    fraction: float = 0.0
    done: bool = False  # topics and segments are saved (their pages stop waiting), or the job stopped
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


def load_sample(key: str) -> tuple[str, bool]:
    """Make a bundled sample the active dataset: the copy already in the workspace, else a fresh import whose
    background analysis starts. Returns its id and whether it was already there."""
    ds_id, existed = samples.ensure_sample(ws(), key)
    set_active(ds_id)
    if not existed:
        start_auto(ds_id)
    return ds_id, existed


def _run(job: Job, path: str, ds_id: str) -> None:
    """The job's thread: the pipeline's background steps through the pages' cached wrappers (a call with other
    arguments, even an omitted default, is another cache entry and would compute everything twice)."""
    from lib.listening.enrich import prepare_label_vectors

    def stage(msg: str, frac: float) -> None:
        job.message, job.fraction = msg, frac

    def fits_done() -> None:  # after segments: their pages stop waiting while the rest goes on
        job.done = True

    w = workspace(path)
    has_text = pipeline.has_text(load_posts(path, ds_id))
    try:
        job.outcome = pipeline.run_background(
            w, ds_id, lambda: listening_frame(ds_id, path), kpis=lambda: kpi_bundle(path, ds_id),
            foresight=lambda: foresight_model(path, ds_id),
            label_vectors=(lambda: prepare_label_vectors(load_posts(path, ds_id), w, ds_id, threads=1))
            if has_text else None,
            stage=stage, low_priority=background_priority, fit_slot=heavy_slot, fits_done=fits_done)
    except Exception as exc:  # the pages' buttons still work; say what happened
        if not job.done:
            job.error = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
    finally:
        job.done = True


def start_auto(ds_id: str) -> Job | None:
    """Start the background analysis of a freshly imported dataset (once per dataset and process)."""
    if not auto_enabled():
        return None
    path = ws_path()
    jobs = _jobs()
    if (path, ds_id) in jobs:
        return jobs[(path, ds_id)]
    job = jobs[(path, ds_id)] = Job(ds_id)
    threading.Thread(target=_run, args=(job, path, ds_id), name=f"listening-lab-auto-{ds_id}", daemon=True).start()
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
