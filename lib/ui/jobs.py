"""Work the app does by itself, in background threads: the analyses of a freshly imported dataset (in the order
`lib.pipeline.run_background` decides, through the same cached wrappers the pages call) and the warm-up of the
models when the server starts; and the two lanes every analysis, a page's or the job's, queues in.

lib.ui.cache takes its lanes from here, so this module imports lib.ui.cache only inside functions."""
from __future__ import annotations

import itertools
import os
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field

import streamlit as st

from lib import pipeline
from lib.ingest import samples
from lib.ui.session import load_posts, set_active, workspace, ws, ws_path

AUTO_ENV = "LISTENING_LAB_AUTO"


# ------------------------------------------------------------------------------------------------ the lanes
class FairLane:
    """A queue with `slots` places in turn. A freed place goes to the waiting owner served least recently (an
    owner never served first; first come, first served within an owner and among equals), so owners take turns:
    on a shared server five people's topic and segment fits run round-robin (A's topics, B's topics, ..., then
    A's segments) instead of one person's fits back to back while the others wait for all of them. With one
    owner (one user) it is first come, first served. Re-entrant: a holder that asks again does not wait."""

    def __init__(self, slots: int = 1) -> None:
        self._cond = threading.Condition()
        self._free = slots
        self._waiting: dict[int, str] = {}  # ticket -> owner, in arrival order
        self._served: dict[str, int] = {}  # owner -> the number of its latest turn
        self._tickets = itertools.count()
        self._turns = itertools.count(1)
        self._holding = threading.local()

    def waiting(self) -> int:
        """How many requests wait for a place."""
        with self._cond:
            return len(self._waiting)

    def _next(self) -> int:
        return min(self._waiting, key=lambda t: (self._served.get(self._waiting[t], 0), t))

    @contextmanager
    def slot(self, owner: str) -> Iterator[None]:
        if getattr(self._holding, "yes", False):  # asked again by a holder (a wrapper within a wrapper)
            yield
            return
        with self._cond:
            ticket = next(self._tickets)
            self._waiting[ticket] = owner
            try:
                while not (self._free and self._next() == ticket):
                    self._cond.wait()
            finally:  # granted, or interrupted: either way the next in turn may go now
                del self._waiting[ticket]
                self._cond.notify_all()
            self._free -= 1
            self._served[owner] = next(self._turns)
        self._holding.yes = True
        try:
            yield
        finally:
            self._holding.yes = False
            with self._cond:
                self._free += 1
                self._cond.notify_all()


LANES = {"fit": FairLane(1), "fast": FairLane(2)}
"""Two lanes per server process, so on a shared 2-core server sessions queue instead of doubling the memory and
thrashing the cores. "fit", one place: minutes (topics, segments, the label vectors' embedding pass), people
taking turns. "fast", two places: seconds (sentiment scoring, the KPI bundle, the Foresight model), so a label
change on Listening or an open Foresight page never waits behind anyone's fit (with one queue for all models, 5
people at once each waited 67-75 s for Foresight), nor behind one slow cheap step (a background job's runs at
low priority)."""


def slot(lane: str, owner: str) -> AbstractContextManager[None]:
    """A place in one of `LANES` for `owner` (the workspace path: one browser session on a shared server, so
    people take turns; one single user otherwise, who gets first come, first served as before)."""
    return LANES[lane].slot(owner)


# ---------------------------------------------------------------------------------------- the background job
@dataclass
class Job:
    """A background analysis of one dataset, as the pages see it."""
    ds_id: str
    message: str = "Waiting for its turn"
    fraction: float = 0.0
    done: bool = False  # topics and segments are saved (their pages stop waiting), or the job stopped
    outcome: dict = field(default_factory=dict)
    error: str = ""
    resumed: bool = False  # started again after a server restart cut the first run off
    imported: bool = False  # started for a dataset the command line imported (`python -m lib import`)


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
    from lib.ui.cache import foresight_model, kpi_bundle, listening_frame

    def stage(msg: str, frac: float) -> None:
        job.message, job.fraction = msg, frac

    def fits_done() -> None:  # after segments: their pages stop waiting while the rest goes on
        job.done = True

    def fit_slot() -> AbstractContextManager[None]:  # the first stage message of the fit replaces this one
        stage("Waiting for its turn", job.fraction)
        return slot("fit", path)

    def label_vectors() -> bool:  # an embedding pass of every post: a fit's cost, so it takes its turn
        if w.sentence_vectors_ready(ds_id):  # a topic fit on MiniLM embedded them: no turn needed
            return True
        with fit_slot():
            return prepare_label_vectors(load_posts(path, ds_id), w, ds_id, threads=1)

    w = workspace(path)
    has_text = pipeline.has_text(load_posts(path, ds_id))
    try:
        job.outcome = pipeline.run_background(
            w, ds_id, lambda: listening_frame(ds_id, path), kpis=lambda: kpi_bundle(path, ds_id),
            foresight=lambda: foresight_model(path, ds_id), label_vectors=label_vectors if has_text else None,
            stage=stage, low_priority=background_priority, fit_slot=fit_slot, fits_done=fits_done)
    except Exception as exc:  # the pages' buttons still work; say what happened
        if not job.done:
            job.error = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
    finally:
        job.done = True  # first: the pages must stop waiting even if the mark below cannot be written
        pipeline.mark_pending(w, ds_id, None)  # ended, well or not: a restart of the server need not resume it


def start_auto(ds_id: str) -> Job | None:
    """Start the background analysis of a freshly imported dataset (once per dataset and process)."""
    if not auto_enabled():
        return None
    path = ws_path()
    jobs = _jobs()
    if (path, ds_id) in jobs:
        return jobs[(path, ds_id)]
    job = jobs[(path, ds_id)] = Job(ds_id)
    pipeline.mark_pending(ws(), ds_id, "started")
    threading.Thread(target=_run, args=(job, path, ds_id), name=f"listening-lab-auto-{ds_id}", daemon=True).start()
    return job


def resume_auto(ds_id: str) -> Job | None:
    """The dataset's background analysis, started again when an earlier server stopped before it ended (the
    workspace remembers it was pending; it skips what that run already saved), or started for the first time for
    a dataset the command line imported (`python -m lib import`). None when nothing is pending."""
    state = pipeline.pending(ws(), ds_id)
    if auto_job(ds_id) is not None or state is None:
        return auto_job(ds_id)
    job = start_auto(ds_id)
    if job is not None:
        job.resumed, job.imported = state == "started", state == "due"
    return job


def auto_job(ds_id: str) -> Job | None:
    return _jobs().get((ws_path(), ds_id))


def wait_for_auto(ds_id: str, family: str) -> None:
    """On a page whose analysis (`family`: "topics" or "segments") the background job is computing: its
    progress, refreshed every 2 s; the page reruns by itself as soon as that result is saved (Topics does not
    wait for the segments that follow) or the job stops. Stops the page while it waits."""
    job = auto_job(ds_id)
    if job is None or job.done:
        return
    w = ws()

    @st.fragment(run_every=2)
    def watch() -> None:
        if job.done or w.result_stamp(ds_id, family):
            st.rerun(scope="app")
        st.progress(min(1.0, job.fraction), text=job.message)

    started = ("started again: the app restarted before it ended" if job.resumed else
               "started when the app first showed this dataset, which the command line imported" if job.imported
               else "started when the data was imported")
    st.info(f"{family.capitalize()} are being found in the background with the default settings ({started}). "
            "Sentiment and KPIs come first, on their own pages. This page shows the "
            "result by itself when it is done; you can then change the settings and refit.",
            icon=":material/hourglass_top:")
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
