"""Cached wrappers around the pipeline: each analysis of a dataset is computed once per server process and shared
by the pages and the background job (they call the same wrapper with the same arguments, so one computation
serves both), and a widget change never recomputes what is already known.

Resources, not st.cache_data: Streamlit hands back the same objects without unpickling a copy per rerun (a
100k-row frame cost ~0.45 s that way). Callers must not modify what they get; frames are handed out as shallow
copies, which under copy-on-write cost nothing."""
from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd
import streamlit as st

from lib import pipeline
from lib.ingest.build import ImportOptions, ImportResult, Source, build_posts, source_from_bytes
from lib.ui.jobs import slot
from lib.ui.session import load_posts, workspace, ws, ws_path

if TYPE_CHECKING:
    from lib.audience.result import SegmentResult
    from lib.kpis.weights import Weights
    from lib.listening.given import GivenSentiment
    from lib.listening.shares import ShareResult
    from lib.report.data import ReportData
    from lib.topics.result import TopicResult


@st.cache_data(show_spinner=False, max_entries=16)
def read_upload(_data: bytes, name: str, file_id: str) -> Source:
    """Read an upload once; the uploader's file id is the key, so big files are not re-hashed per rerun."""
    return source_from_bytes(_data, name)


@st.cache_data(show_spinner=False, max_entries=8)
def preview_import(_sources: list[Source], key: str, options: ImportOptions) -> ImportResult:
    """Build the canonical table for a mapping; `key` identifies the files and mappings for the cache."""
    return build_posts(_sources, options)


def _labels(path: str, ds_id: str) -> tuple[tuple[str, str], ...]:
    return tuple(workspace(path).labels(ds_id).items())


@st.cache_resource(show_spinner=False, max_entries=6)
def _listening(path: str, ds_id: str, thresholds: tuple[float, float],
               labels: tuple[tuple[str, str], ...], vectors_ready: bool = False) -> dict:
    """`vectors_ready` only keys the cache: once the posts' MiniLM vectors are cached (the background job),
    learning from labels uses them (see lib.listening.enrich.label_vectors). The pass tells its progress to its
    entry in `_passes`, for whoever waits for it (`listening_pass`)."""
    by_post = pd.Series(dict(labels), dtype=object)
    posts = load_posts(path, ds_id)
    # detected once per dataset (`languages`), not again on every label click; asked for inside the enrichment,
    # so on a fresh upload the detection overlaps VADER's worker process
    langs = (lambda: languages(path, ds_id)) if pipeline.has_text(posts) else None
    progress, _ = _pass_entry((path, ds_id, thresholds, labels, vectors_ready), only_new=True)
    try:
        with slot("fast", path):  # seconds: never behind a topic fit (lib.ui.jobs.LANES)
            result = pipeline.listen(posts, workspace(path), thresholds, by_post, stage=progress.stage,
                                     languages=langs)
    except Exception as exc:
        progress.error = exc
        raise
    finally:
        progress.finished.set()
    a = result.adaptation
    return {"frame": result.frame, "n_labels": len(labels),
            "cv_accuracy": a.cv_accuracy if a else None, "cv_macro_f1": a.cv_macro_f1 if a else None,
            "baseline_accuracy": a.baseline_accuracy if a else None,
            "used_embeddings": bool(a and a.used_embeddings), "applied": bool(a and a.applied)}


@st.cache_resource(show_spinner=False)
def _passes() -> tuple[threading.Lock, OrderedDict[tuple, Fitting]]:
    """The listening passes by `_listening`'s key, running or done (the newest `KEPT_PASSES`)."""
    return threading.Lock(), OrderedDict()


KEPT_PASSES = 24


def _pass_entry(key: tuple, only_new: bool = False) -> tuple[Fitting, bool]:
    """The progress of the pass for `key` and whether it is new: the known one (with `only_new`, the one not
    finished yet: a pass `listening_pass` begun and waiting for its turn), else a new one."""
    lock, passes = _passes()
    with lock:
        entry = passes.get(key)
        if entry is not None and not (only_new and entry.finished.is_set()):
            return entry, False
        entry = passes[key] = Fitting()
        for old in [k for k, f in passes.items() if f.finished.is_set()][:-KEPT_PASSES]:
            del passes[old]
        return entry, True


def _key(path: str, ds_id: str, thresholds: tuple[float, float]) -> tuple:
    labels = _labels(path, ds_id)
    return path, ds_id, thresholds, labels, bool(labels) and workspace(path).sentence_vectors_ready(ds_id)


def first(message: str) -> str:
    """A listening pass's progress as told on a page or by a fit that needs its result."""
    return f"Reading the posts first: {message}"


def listening_pass(path: str, ds_id: str, thresholds: tuple[float, float] = pipeline.THRESHOLDS) -> Fitting:
    """The dataset's listening pass (`listening`) with its progress: done when its result is known, else running,
    a page's, a fit's or the background job's, or begun now in a worker thread. Never waits: a page shows its
    progress and reruns when it is done. A first view of a large file, or of one in a language only the
    multilingual model reads, waits for it minutes (2,000 Thai posts: 80 s)."""
    return _pass(_key(path, ds_id, thresholds))


def _pass(key: tuple) -> Fitting:
    entry, made = _pass_entry(key)
    if made:
        threading.Thread(target=_begin, args=(key, entry), daemon=True,
                         name=f"listening-lab-listening-{key[1]}").start()
    return entry


def _begin(key: tuple, entry: Fitting) -> None:
    """Run the pass `entry` tells of; it ends done even where the result was cached all along (an entry dropped
    from `_passes` while its result stayed in `_listening`'s cache), so no page waits for it forever."""
    try:
        _listening(*key)
    except Exception as exc:  # `listening` raises it again for its caller
        entry.error = exc
    finally:
        entry.finished.set()


def listening(path: str, ds_id: str, thresholds: tuple[float, float] = pipeline.THRESHOLDS,
              show: Callable[[str, float], None] | None = None) -> dict:
    """Every listening column for a dataset, with the user's labels; recomputed only when the thresholds or the
    labels change. Per-text scores come from the workspace. The caller gets its own shallow copy of the frame.
    `show(message, fraction)`: told the pass's progress about four times a second while it runs (see
    `listening_pass`)."""
    key = _key(path, ds_id, thresholds)  # the labels read once: the pass waited for is the one read
    if show is not None:
        running, shown = _pass(key), ("", -1.0)
        while not running.finished.wait(0.25):
            if (running.message, running.fraction) != shown:
                shown = (running.message, running.fraction)
                show(*shown)
    got = _listening(*key)
    return {**got, "frame": got["frame"].copy(deep=False)}


@st.cache_resource(show_spinner=False, max_entries=6)
def _sentiment_shares(path: str, ds_id: str, thresholds: tuple[float, float],
                      labels: tuple[tuple[str, str], ...], without_spam: bool) -> ShareResult:
    from lib.listening.shares import estimate_shares

    frame = listening(path, ds_id, thresholds)["frame"]
    if without_spam:
        frame = frame[~spam_flags(path, ds_id).reindex(frame.index, fill_value=False)]
    return estimate_shares(frame, pd.Series(dict(labels), dtype=object))


def sentiment_shares(path: str, ds_id: str, thresholds: tuple[float, float] = pipeline.THRESHOLDS,
                     without_spam: bool = False) -> ShareResult:
    """A dataset's estimated sentiment shares, overall and per brand, calibrated on the user's labels
    (lib.listening.shares), of all its posts or (`without_spam`) of those the authenticity rules do not flag, as
    the Listening page's switch and the report leave them out; computed once per label set (a second or less),
    so a page rerun costs nothing. Shared, read-only."""
    return _sentiment_shares(path, ds_id, thresholds, _labels(path, ds_id), without_spam)


@st.cache_resource(show_spinner=False, max_entries=6)
def languages(path: str, ds_id: str) -> pd.Series:
    """Each post's language (lib.listening.language), once per dataset and server process, so Overview can warn
    and filter by language without waiting for the listening analysis. Callers must not modify it."""
    from lib.listening.language import given_or_detected

    posts = load_posts(path, ds_id)
    if "language" in posts and "run" in workspace(path).meta(ds_id):  # decided by the run (lib.ingest.runs)
        return posts["language"].fillna("und").astype(str)
    return given_or_detected(posts)  # as the listening analysis reads them


def listening_frame(ds_id: str, path: str | None = None,
                    show: Callable[[str, float], None] | None = None) -> pd.DataFrame:
    """The enriched posts with the default thresholds and the user's labels (what Topics and later pages read),
    or the plain posts when the dataset has no text. `path`: the workspace, when called outside a page (the
    background job); else this session's. `show`: told the progress, as by `listening`."""
    path = path or ws_path()
    posts = load_posts(path, ds_id)
    return listening(path, ds_id, show=show)["frame"] if pipeline.has_text(posts) else posts


@st.cache_resource(show_spinner=False, max_entries=4)
def topic_result(path: str, ds_id: str, stamp: str) -> TopicResult | None:
    """A dataset's stored topics; `stamp` (when they were fitted) makes a refit a new cache entry. Shared
    between sessions and reruns without copying: pages read it, never modify it."""
    return pipeline.stored_topics(workspace(path), ds_id)


@st.cache_resource(show_spinner=False, max_entries=4)
def segment_result(path: str, ds_id: str, stamp: str) -> SegmentResult | None:
    """A dataset's stored segments; `stamp` (when they were found) makes a refit a new cache entry. Shared
    between sessions and reruns without copying: pages read it, never modify it."""
    return pipeline.stored_segments(workspace(path), ds_id)


def topics_of(ds_id: str, path: str | None = None) -> TopicResult | None:
    path = path or ws_path()
    stamp = workspace(path).result_stamp(ds_id, "topics")
    return topic_result(path, ds_id, stamp) if stamp else None


def segments_of(ds_id: str, path: str | None = None) -> SegmentResult | None:
    path = path or ws_path()
    stamp = workspace(path).result_stamp(ds_id, "segments")
    return segment_result(path, ds_id, stamp) if stamp else None


def analysis_frame(ds_id: str, path: str | None = None,
                   show: Callable[[str, float], None] | None = None) -> pd.DataFrame:
    """The enriched posts (listening) with the user's current topics when topics were found: what segments
    are fitted on and described with, and what Foresight and the report read. `show`: as by `listening`."""
    path = path or ws_path()
    frame = listening_frame(ds_id, path, show)
    if not pipeline.has_text(frame):
        return frame
    return pipeline.with_user_topics(frame, topics_of(ds_id, path), workspace(path).topic_edits(ds_id))


@st.cache_data(show_spinner=False, max_entries=8)
def _workshop_facts(path: str, ds_id: str, key: str, labels: tuple, segments: tuple) -> dict[str, str]:
    from lib.audience.personas import persona_names
    from lib.audience.segments import posts_with_segments
    from lib.workshop.exercises import EXERCISES

    frame = listening(path, ds_id)["frame"]
    with_segments = None
    result = segment_result(path, ds_id, segments[0]) if segments else None
    if result is not None:
        names = persona_names(result, workspace(path).persona_edits(ds_id))
        with_segments = posts_with_segments(frame, result, names)
    return EXERCISES[key].facts(frame, with_segments)


def workshop_facts(ds_id: str, key: str) -> dict[str, str]:
    """The numbers an exercise quotes, from the sample's listening analysis (and its segments, with the user's
    persona names, once found); recomputed only when labels, segments or names change."""
    w = ws()
    stamp = w.result_stamp(ds_id, "segments")
    segments = (stamp, w.persona_edits(ds_id).to_json()) if stamp else ()
    return _workshop_facts(ws_path(), ds_id, key, _labels(ws_path(), ds_id), segments)


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


def report_data(ds_id: str, weights: Weights) -> ReportData:
    """What the report reads, from what the pages have computed (nothing is fitted here), with the weights the
    user tuned in the KPI lab."""
    w, path = ws(), ws_path()
    frame = analysis_frame(ds_id)
    meta = w.meta(ds_id)
    topics = topics_of(ds_id) if pipeline.has_text(frame) else None
    return pipeline.report_data(
        meta["name"], frame, meta, weights,
        topic_table=None if topics is None else pipeline.topic_overview(frame, topics, w.topic_edits(ds_id)),
        topic_settings=None if topics is None else pipeline.topic_method(topics),
        representatives=None if topics is None else topics.representative,
        segments=segments_of(ds_id), persona_edits=w.persona_edits(ds_id),
        n_labels=len(_labels(path, ds_id)) if pipeline.has_text(frame) else 0,
        shares=sentiment_shares(path, ds_id).to_json() if pipeline.has_text(frame) else None)


@dataclass(eq=False)
class Fitting:
    """A model fitted in its own thread, so that a page shows progress instead of waiting: `message` and
    `fraction` while it runs, then `result` or `error`."""
    message: str = "Waiting for its turn"
    fraction: float = 0.0
    result: Any = None
    error: Exception | None = None
    finished: threading.Event = field(default_factory=threading.Event)

    def stage(self, message: str, fraction: float) -> None:
        self.message, self.fraction = message, fraction


@st.cache_resource(show_spinner=False)
def _fittings() -> tuple[threading.Lock, OrderedDict[tuple, Fitting]]:
    return threading.Lock(), OrderedDict()


def foresight_fitting(path: str, ds_id: str, extra: tuple[str, ...] = ()) -> Fitting:
    """The performance model of a dataset with the user's labels (sentiment, emotion and intent are features;
    topics are not, so it never waits for a topic fit), fitted in its own thread in the "fast" lane: started by
    the first call for its key, the page's or the background job's, and shared by every later one. Never waits;
    the four newest finished models are kept. Shared, read-only."""
    key = (path, ds_id, _labels(path, ds_id), tuple(extra))
    lock, fittings = _fittings()
    with lock:
        fitting = fittings.get(key)
        if fitting is not None:
            fittings.move_to_end(key)
            return fitting
        fitting = fittings[key] = Fitting()
        for old in [k for k, f in fittings.items() if f.finished.is_set()][:-4]:
            del fittings[old]
    threading.Thread(target=_fit_foresight, args=(fitting, path, ds_id, tuple(extra)), daemon=True,
                     name=f"listening-lab-foresight-{ds_id}").start()
    return fitting


def _fit_foresight(fitting: Fitting, path: str, ds_id: str, extra: tuple[str, ...]) -> None:
    try:
        fitting.stage("Reading the posts' sentiment", 0.05)
        frame = listening_frame(ds_id, path, show=lambda message, _: fitting.stage(first(message), 0.05))
        fitting.stage("Waiting for its turn", 0.1)
        with slot("fast", path):
            fitting.result = pipeline.fit_foresight(frame, extra, fitting.stage)
    except Exception as exc:  # the page says what went wrong; the background job re-raises it
        fitting.error = exc
    finally:
        fitting.stage("Done", 1.0)
        fitting.finished.set()


def foresight_model(path: str, ds_id: str, extra: tuple[str, ...] = ()) -> Any:
    """The performance model (`foresight_fitting`, waited for), or None when the data is too small; raises
    what the fit raised."""
    fitting = foresight_fitting(path, ds_id, extra)
    fitting.finished.wait()
    if fitting.error is not None:
        raise fitting.error
    return fitting.result


@st.cache_resource(show_spinner=False, max_entries=4)
def given_sentiment(path: str, ds_id: str) -> GivenSentiment | None:
    """The sentiment the export carries itself (lib.listening.given), aligned with the dataset's posts; once per
    dataset and server process. Callers must not modify it."""
    from lib.listening.given import find_given_sentiment

    return find_given_sentiment(load_posts(path, ds_id))


@st.cache_resource(show_spinner=False, max_entries=4)
def self_promotion(path: str, ds_id: str) -> pd.Series:
    """Which posts are self-promotion by their own words (lib.listening.sentiment.self_promotion, which the
    out-of-the-box label reads), aligned with the dataset's posts; once per dataset and server process: the Teach
    tab's comparison reruns with every label. Callers must not modify it."""
    from lib.listening.sentiment import self_promotion as promo

    return promo(load_posts(path, ds_id)["text"].fillna("").astype(str))


@st.cache_resource(show_spinner=False, max_entries=4)
def bot_likeness(path: str, ds_id: str) -> pd.Series | None:
    """Each post's bot/spam-likeness (lib.kpis.authenticity.post_scores), None without text; once per dataset and
    server process: the spam flags and the KPI bundle read it (the bundle is rebuilt per label set, the scores need
    no label). Callers must not modify it."""
    from lib.kpis.authenticity import post_scores

    posts = load_posts(path, ds_id)  # the signals need no sentiment: no listening pass is waited for
    return post_scores(posts) if pipeline.has_text(posts) else None


@st.cache_resource(show_spinner=False, max_entries=4)
def spam_flags(path: str, ds_id: str) -> pd.Series:
    """Which posts the authenticity rules flag as spam or bot-like (lib.kpis.authenticity, as the KPI lab counts
    them), aligned with the dataset's posts (and so with `listening_frame`); once per dataset and server process.
    Callers must not modify it."""
    from lib.kpis.authenticity import THRESHOLD

    scores = bot_likeness(path, ds_id)
    return scores >= THRESHOLD if scores is not None else pd.Series(False, index=load_posts(path, ds_id).index)


@st.cache_resource(show_spinner=False, max_entries=4)
def rude_flags(path: str, ds_id: str) -> pd.Series:
    """Which posts hold profanity or a slur (lib.topics.describe.profane), aligned with the dataset's posts; once
    per dataset and server process: the Audience page's typical posts read it for every card on every rerun (0.5 s
    at 300,000 posts). Callers must not modify it."""
    from lib.topics.describe import profane

    posts = load_posts(path, ds_id)
    return profane(posts["text"].fillna("").astype(str)) if "text" in posts else pd.Series(False, index=posts.index)


@st.cache_resource(show_spinner=False, max_entries=4)
def own_categories(path: str, ds_id: str) -> dict[str, list[str]]:
    """The file's own category columns and their values (lib.listening.enrich.filter_columns); once per dataset
    and server process: the Listening page reads them on every rerun (1.2 s for a column of 100,000 distinct lists
    of hashtags). Callers must not modify it."""
    from lib.listening.enrich import filter_columns

    return filter_columns(load_posts(path, ds_id))


@st.cache_resource(show_spinner=False, max_entries=4)
def category_of(path: str, ds_id: str, column: str) -> pd.Series:
    """One of the file's own category columns as breakdowns count it (lib.listening.tag_lists.category_values: a
    post under each of its tags), aligned with the dataset's posts; once per dataset and column: the Overview and
    Topics pages draw it on every rerun (1.4 s for 100,000 distinct lists of hashtags). Callers must not modify it."""
    from lib.listening.tag_lists import category_values

    return category_values(load_posts(path, ds_id)[column])


@st.cache_resource(show_spinner=False, max_entries=4)
def worded_flags(path: str, ds_id: str) -> pd.Series:
    """Which posts have a few words besides their @handles and links (lib.topics.prepare.worded), aligned with the
    dataset's posts; once per dataset and server process: the KPI lab's posts that read best draw from them on
    every slider move (2.7 s at 100,000 tweets). Callers must not modify it."""
    from lib.topics.prepare import worded

    posts = load_posts(path, ds_id)
    return worded(posts["text"].fillna("")) if "text" in posts else pd.Series(False, index=posts.index)


def kpi_bundle(path: str, ds_id: str) -> pipeline.KpiBundle:
    """What the KPI lab reads on every rerun (lib.pipeline.KpiBundle), for the dataset with the user's labels:
    a slider move then costs only the re-weighting. Callers must not modify it."""
    return _kpi_bundle(path, ds_id, _labels(path, ds_id))


@st.cache_resource(show_spinner="Scoring posts…", max_entries=2)
def _kpi_bundle(path: str, ds_id: str, labels: tuple) -> pipeline.KpiBundle:
    frame = listening_frame(ds_id, path)
    bots = bot_likeness(path, ds_id)
    with slot("fast", path):
        return pipeline.kpi_bundle(frame, bots=bots)
