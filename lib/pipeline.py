"""The headless pipeline: the one place that knows the analyses of a dataset, their defaults and their order.

The app's pages and cached wrappers (`lib.ui`), its background job and the command line (`lib.cli`) all call
these functions, so the same file with the same settings gives the same sentiment, topics and segments
everywhere (tests/test_pipeline.py runs one file through the command line and through the app's background
path and compares them). No Streamlit here: the app adds caching and progress bars around these calls.

Defaults that used to be typed in several places and drifted live here once: the VADER thresholds, what
"has text" means, the topic settings (brand names ignored as keywords) and the segment settings (authors or
posts, by how many repeat authors there are)."""
from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    from lib.audience.result import SegmentResult, SegmentSettings
    from lib.kpis.value import ValueResult
    from lib.kpis.weights import Weights
    from lib.listening.enrich import Listening
    from lib.report.data import ReportData
    from lib.report.scope import RunScope
    from lib.store.workspace import Workspace
    from lib.topics.result import TopicResult, TopicSettings
    from lib.topics.split import Split

Stage = Callable[[str, float], None]

THRESHOLDS: tuple[float, float] = (0.05, -0.05)
"""VADER compound thresholds (positive, negative) for `vader_label`, as in the VADER paper."""

ROLLING_WINDOW: dict[str, int] = {"D": 7, "W": 3, "MS": 3}
"""Periods in the rolling net sentiment (the net of their posts together), per period ("D" day, "W" week, "MS"
month): a week of days, about a month of weeks, a quarter of months. One default for the Listening page, the KPI
scorecard (both engines) and the report: on real YouTube comments the scorecard's 7-week mean said +0.29, the page
and the report's 3-week one +0.40, each called the latest rolling net sentiment."""

BACKGROUND_STEPS = ("sentiment", "kpis", "topics", "segments", "foresight", "label_vectors")
"""What the app computes by itself after an import, in this order: the cheap steps the first pages wait for,
at full priority; then the fits, at low priority; then the Foresight page's first model; last, on one core,
the sentence vectors that learning from labels reads."""
STEP_WORDS = {"sentiment": "Reading the posts: sentiment, emotion and intent", "kpis": "Scoring the posts' KPIs"}
"""What the background job says while a step before the fits runs (a page that waits for the listening pass shows
its progress as it goes: the sidebar's line is drawn when a page starts and stands while the page waits)."""


def _quiet(msg: str, frac: float) -> None:
    """A stage callback that reports nowhere."""


# ----------------------------------------------------------------------------------------- defaults and rules
def has_text(posts: pd.DataFrame) -> bool:
    """Whether a dataset has any post text to read sentiment and topics from (not only empty cells)."""
    if "text" not in posts:
        return False
    # stops at the first post with text (a page rerun must not scan 100k posts)
    return any(isinstance(t, str) and t.strip() for t in posts["text"].array)


def brand_stopwords(posts: pd.DataFrame) -> tuple[str, ...]:
    """The dataset's brand terms: every brand, each word of a multi-word brand, and the handles/hashtags that
    go with a brand (lib.topics.prepare.learn_brand_terms). They are in every post about the brand, so they would
    make the topics who was addressed, not what was said: topics never see them."""
    from lib.topics.prepare import learn_brand_terms

    return learn_brand_terms(posts)


LANGUAGE_SHARE = 0.02  # a language with at least this share of the posts gets its stop words out of topic keywords


MULTILINGUAL_SHARE = 0.10  # posts outside English (of those with a language) from which topics use E5 vectors


def _languages(posts: pd.DataFrame) -> pd.Series | None:
    """The posts' languages: the `language` column when it holds language codes (the listening frame's), else
    detected (lib.listening.language, ~0.7 s per 10,000 posts); None without text."""
    if not has_text(posts):
        return posts["language"] if "language" in posts else None
    from lib.listening.language import given_or_detected

    return given_or_detected(posts)


def other_languages(posts: pd.DataFrame, languages: pd.Series | None = None) -> tuple[str, ...]:
    """The languages besides English with at least `LANGUAGE_SHARE` of the posts (`languages`: theirs, when
    the caller has them)."""
    languages = languages if languages is not None else _languages(posts)
    if languages is None:
        return ()
    shares = languages.value_counts(normalize=True)
    return tuple(sorted(str(c) for c, v in shares.items() if v >= LANGUAGE_SHARE and c not in ("en", "und")))


def topic_backend(posts: pd.DataFrame, languages: pd.Series | None = None) -> str:
    """The default text representation for topics: `lib.topics.result.default_backend` (MiniLM), or the
    multilingual E5 where at least `MULTILINGUAL_SHARE` of the posts with a language are not in English
    (MiniLM and WordLlama are English models: they would group such posts by language, not by subject; on
    TweetTopic-XL's Spanish, Greek and Japanese tweets, bench/eval_topics_real.py)."""
    from lib.embeddings.registry import BACKENDS
    from lib.topics.result import default_backend

    languages = languages if languages is not None else _languages(posts)
    known = languages[languages != "und"] if languages is not None else pd.Series(dtype=object)
    if len(known) and (known != "en").mean() >= MULTILINGUAL_SHARE and BACKENDS["e5"].available():
        return "e5"
    return default_backend()


MEANING_FIT_SAMPLE = 4_000  # distinct posts a slow (sentence-model) topic fit embeds by default; see topic_settings


def topic_settings(posts: pd.DataFrame, **chosen: Any) -> TopicSettings:
    """The topic settings for a dataset: what the user chose, the defaults for the rest. The brand terms default
    to the dataset's (`brand_stopwords`; an explicit empty tuple keeps them); extra words are the user's. The
    text representation defaults to `lib.topics.result.default_backend` (MiniLM); with a model that slow
    (~300 posts/s on 2 cores) a fit embeds at most `MEANING_FIT_SAMPLE` distinct posts and the rest get their
    topic by their words unless the user chose otherwise: on 14,284 real tweets upload-to-every-page went from
    132 s to about 65 s, at a cost of AMI 0.76 -> 0.70-0.73 on Banking77's 13,083 queries. Other languages with
    `LANGUAGE_SHARE` of the posts have their stop words kept out of the keywords; a dataset with many posts in
    other languages is embedded with the multilingual E5 (`topic_backend`)."""
    from lib.embeddings.registry import BACKENDS, resolve
    from lib.topics.result import TopicSettings

    chosen = {k: v for k, v in chosen.items() if v is not None}
    chosen.setdefault("brand_terms", brand_stopwords(posts))
    languages = _languages(posts) if "stop_languages" not in chosen or "backend" not in chosen else None
    if "stop_languages" not in chosen:
        chosen["stop_languages"] = other_languages(posts, languages)
    if "backend" not in chosen:
        chosen["backend"] = topic_backend(posts, languages)
    if BACKENDS[resolve(chosen["backend"])].cached:
        chosen.setdefault("fit_sample", MEANING_FIT_SAMPLE)
        if "assign_rest" not in chosen and "text" in posts and posts["text"].nunique() > chosen["fit_sample"]:
            chosen["assign_rest"] = "words"
    return TopicSettings(**chosen)


def segment_settings(posts: pd.DataFrame, **chosen: Any) -> SegmentSettings:
    """The segment settings for a dataset: what the user chose, the defaults for the rest. The unit defaults to
    authors when the data has enough repeat authors, else posts (as the Audience page proposes); thin data (most
    authors with one or two posts) gets fewer, sturdier segments (features.thin_data_defaults)."""
    from lib.audience.features import author_coverage, default_unit, thin_data_defaults
    from lib.audience.result import SegmentSettings

    chosen = {k: v for k, v in chosen.items() if v is not None}
    cover = author_coverage(posts)
    if chosen.get("unit", "auto") == "auto":
        chosen["unit"] = default_unit(cover)
    return SegmentSettings(**(thin_data_defaults(cover, chosen["unit"], len(posts)) | chosen))


# ------------------------------------------------------------------------------------------------ listening
def listen(posts: pd.DataFrame, ws: Workspace | None = None, thresholds: tuple[float, float] = THRESHOLDS,
           labels: pd.Series | None = None, stage: Stage | None = None, embed_labels: bool = False,
           languages: Callable[[], pd.Series] | None = None) -> Listening:
    """Sentiment, emotion, intent and the sarcasm flag of every post (per-text scores cached in `ws`); with the
    user's labels (post_id -> label), the model adapted to them. `languages`: see `enrich`."""
    from lib.listening.enrich import enrich

    return enrich(posts, ws, thresholds, labels if labels is not None and len(labels) else None, stage,
                  embed_labels=embed_labels, languages=languages)


# --------------------------------------------------------------------------------------------------- topics
def save_topics(ws: Workspace, ds_id: str, result: TopicResult) -> None:
    """Keep a topic fit (replacing the previous one and its edits). A fit on MiniLM of the posts' own text
    (not prepared for meaning) embedded every post, so the sentence vectors that learning from labels reads
    are then in the cache: say so in the workspace. A fit on prepared text embedded other texts."""
    from lib.embeddings.registry import BACKENDS

    ws.save_result(ds_id, result)
    if result.backend == BACKENDS["minilm"].model_id and not result.metrics.get("assigned_by_words") \
            and not result.settings.prepare_text:
        ws.mark_sentence_vectors(ds_id)


def find_topics(ws: Workspace, ds_id: str, frame: pd.DataFrame, settings: TopicSettings | None = None,
                stage: Stage = _quiet) -> TopicResult:
    """Fit topics on a dataset's enriched posts (default settings unless given) and keep them."""
    from lib.topics.fit import fit_topics

    result = fit_topics(frame, settings or topic_settings(frame), ws=ws, stage=stage)
    save_topics(ws, ds_id, result)
    return result


def with_user_topics(frame: pd.DataFrame, result: TopicResult | None,
                     edits: pd.DataFrame | None = None) -> pd.DataFrame:
    """The posts with `topic` and `topic_label` as the user sees them (renames, merges, hidden topics)."""
    from lib.topics.views import effective, with_topics

    if result is None:
        return frame
    doc_topic, table = effective(result, edits)
    return with_topics(frame, doc_topic, table)


def split_topic(ws: Workspace, ds_id: str, frame: pd.DataFrame, topic: int, parts: int = 0,
                stage: Stage = _quiet) -> Split:
    """Split one topic of the dataset's stored fit into parts (`parts` 0: chosen by the silhouette) and keep the
    result; the analyst's names, merges and hidden topics stay, but for the topic split (and merges into it).
    `stage(message, fraction)` hears how far it is. Raises ValueError with a plain message when there is no fit,
    the topic is too small, or its embeddings are not installed."""
    from lib.topics.apply import fit_space_vectors, meaning_backend
    from lib.topics.fit import meaning_texts
    from lib.topics.split import SplitSettings
    from lib.topics.split import split_topic as split

    result = stored_topics(ws, ds_id)
    if result is None:
        raise ValueError("Find topics first: there is no topic to split.")
    text = frame.set_index(frame["post_id"].astype(str))["text"].reindex(result.post_id.astype(str))
    text = text.reset_index(drop=True).fillna("")
    try:
        meaning_backend(result.backend)
    except ValueError:  # its words are for the command line; the page has a Settings box
        raise ValueError(f"These topics were fitted on {result.backend} vectors, which cannot be made again here: "
                         "refit them with MiniLM or WordLlama (Settings) to split a topic.") from None
    stage("Embedding the topic's posts (each distinct text once, cached)", 0.0)
    done = split(result, meaning_texts(text, result.settings),
                 lambda rows: fit_space_vectors(text.iloc[rows], result, ws, stage),
                 SplitSettings(topic, parts, result.settings.seed))
    stage("Saving the topics", 0.95)
    edits = ws.topic_edits(ds_id)
    keep = edits[(edits["topic"] != topic) & (edits["merge_into"].isna() | (edits["merge_into"] != topic))]
    save_topics(ws, ds_id, done.result)
    if len(keep):
        ws.set_topic_edits(ds_id, keep.reset_index(drop=True))
    return done


def stored_topics(ws: Workspace, ds_id: str) -> TopicResult | None:
    from lib.topics.result import TopicResult

    return ws.load_result(ds_id, TopicResult)


# ------------------------------------------------------------------------------------------------- segments
def find_segments(ws: Workspace, ds_id: str, frame: pd.DataFrame, settings: SegmentSettings | None = None,
                  stage: Stage = _quiet) -> SegmentResult:
    """Fit segments on a dataset's analysed posts (default settings unless given) and keep them."""
    from lib.audience.segments import fit_segments

    result = fit_segments(frame, settings or segment_settings(frame), stage=stage)
    ws.save_result(ds_id, result)
    return result


def stored_segments(ws: Workspace, ds_id: str) -> SegmentResult | None:
    from lib.audience.result import SegmentResult

    return ws.load_result(ds_id, SegmentResult)


# ----------------------------------------------------------------------------------------------------- KPIs
@dataclass(frozen=True)
class KpiBundle:
    """What the KPI lab reads on every rerun: the scored posts, the value model (per-post components), the
    scorecard, share of voice and the author authenticity table."""
    frame: pd.DataFrame
    model: ValueResult
    scorecard: list
    sov: pd.DataFrame
    authors: pd.DataFrame


def kpi_bundle(frame: pd.DataFrame, authors: bool = True, bots: pd.Series | None = None) -> KpiBundle:
    """The KPIs of a dataset's posts (with listening columns when it has text). `authors=False` skips the author
    authenticity table, which only the KPI lab shows (the command line writes no such file). `bots`: the posts'
    bot/spam-likeness where the caller keeps it (the app: computed once per dataset, not again per label)."""
    from lib.kpis.authenticity import author_scores
    from lib.kpis.leaderboards import share_of_voice
    from lib.kpis.scorecard import scorecard
    from lib.kpis.value import fit_value_model

    model = fit_value_model(frame, bots)
    table = author_scores(frame, model.bot_likeness) if authors and has_text(frame) else pd.DataFrame()
    return KpiBundle(frame, model, scorecard(frame, model), share_of_voice(frame), table)


# ------------------------------------------------------------------------------------------------ foresight
def fit_foresight(frame: pd.DataFrame, extra: tuple[str, ...] = (),  # type: ignore[no-untyped-def]
                  stage: Stage = _quiet):
    """The performance model of a dataset, or None when it has too few posts with a target (the page says
    why: `lib.foresight.model.too_small`)."""
    from lib.foresight.model import PerformanceSettings, fit_performance_model, too_small

    return None if too_small(frame) else fit_performance_model(frame, PerformanceSettings(extra=extra), stage)


# --------------------------------------------------------------------------------------------------- report
def topic_overview(frame: pd.DataFrame, result: TopicResult, edits: pd.DataFrame | None = None) -> pd.DataFrame:
    """The topic table (size, share, sentiment, keywords) of posts that carry their topics, with the user's
    names, merges and hidden topics."""
    from lib.topics.views import effective, topic_table

    return topic_table(frame, effective(result, edits)[1])


def topic_method(result: TopicResult) -> dict[str, Any]:
    """What the report's methods section says of a topic fit: its seed, the embeddings it really used (by their
    display name), whether the text was prepared for meaning first, and how many topics the analyst split."""
    from lib.embeddings.registry import display_name

    return {"seed": result.settings.seed, "embeddings": display_name(result.backend),
            "prepare_text": result.settings.prepare_text, "splits": len(result.metrics.get("splits", []))}


def report_data(name: str, frame: pd.DataFrame, meta: dict, weights: Weights, *,
                topic_table: pd.DataFrame | None = None, topic_settings: dict | None = None,
                segments: SegmentResult | None = None, persona_edits: pd.DataFrame | None = None,
                scope: RunScope | None = None, **options: Any) -> ReportData:
    """What the report reads: the analysed posts, the topic table and the personas with the user's own names,
    and the weights as the user tuned them in the KPI lab; only what is computed already, nothing is fitted.
    `scope`: the whole run when the posts are a sample of one (lib.report.scope.run_scope of the dataset's meta)."""
    from lib.audience.personas import named_personas
    from lib.report.data import ReportData

    return ReportData(name=name, frame=frame, meta=meta, weights=weights, topics=topic_table,
                      topic_settings=topic_settings,
                      personas=None if segments is None else named_personas(segments, persona_edits),
                      audience_metrics=None if segments is None else segments.metrics, scope=scope, **options)


# ------------------------------------------------------------------------------------------------ the order
AUTO_PENDING = "auto_pending:"  # workspace setting, per dataset: its background analysis is due or has not ended
PENDING_STATES = {"1": "started", "due": "due", "0": None}  # stored value -> state ("1": as stored before "due")


def mark_pending(ws: Workspace, ds_id: str, state: str | None) -> None:
    """Say in the workspace where a dataset's background analysis (`run_background`) stands: "due" (the command
    line imported the dataset, with no server to run it), "started" (a server runs it) or None (over, well or
    not). The app starts the analysis of the active dataset while it is due or started without a job of its own
    (a server stopped mid-way)."""
    value = {v: k for k, v in PENDING_STATES.items()}[state]
    ws.set_setting(AUTO_PENDING + ds_id, value)


def pending(ws: Workspace, ds_id: str) -> str | None:
    """"due", "started" or None, as `mark_pending` left it."""
    return PENDING_STATES.get(ws.get_setting(AUTO_PENDING + ds_id) or "0")


def run_background(ws: Workspace, ds_id: str, listening: Callable[[], pd.DataFrame], *,
                   kpis: Callable[[], object] | None = None, foresight: Callable[[], object] | None = None,
                   label_vectors: Callable[[], object] | None = None, stage: Stage = _quiet,
                   low_priority: Callable[[], None] = lambda: None,
                   fit_slot: Callable[[], AbstractContextManager] = nullcontext,
                   fits_done: Callable[[], None] = lambda: None) -> dict[str, str]:
    """Run a freshly imported dataset's analyses in `BACKGROUND_STEPS` order; say what each did.

    The caller says how it computes the listening frame, the KPIs, the Foresight model and the label vectors
    (the app passes its cached wrappers, so the job and the pages share one computation); topics and segments
    are fitted here with the default settings, skipping what is already saved, inside `fit_slot` (the app's
    one-fit-at-a-time queue); `fits_done` is called once they are saved. A failed step does not stop the next:
    each is a head start, and its page says what went wrong when opened."""
    from lib.audience.result import SegmentResult
    from lib.topics.result import TopicResult

    def topics() -> str:
        if ws.result_stamp(ds_id, TopicResult.family):
            return "already found"
        frame = listening()
        if not has_text(frame):
            return "no text"
        result = find_topics(ws, ds_id, frame, stage=lambda m, f: stage(f"Topics: {m}", 0.7 * f))
        return f"{result.metrics['n_topics']} topics"

    def segments() -> str:
        if ws.result_stamp(ds_id, SegmentResult.family):
            return "already found"
        frame = with_user_topics(listening(), stored_topics(ws, ds_id), ws.topic_edits(ds_id))
        result = find_segments(ws, ds_id, frame, stage=lambda m, f: stage(f"Segments: {m}", 0.7 + 0.3 * f))
        return f"{result.metrics['segments']} segments"

    run = {"sentiment": listening, "kpis": kpis, "topics": topics, "segments": segments, "foresight": foresight,
           "label_vectors": label_vectors}
    done: dict[str, str] = {}
    for name in BACKGROUND_STEPS:
        if name == "topics":
            low_priority()  # the fits yield the cores to page reruns
        step = run[name]
        if step is None:
            continue
        if name in STEP_WORDS:  # the fits tell their own stages
            stage(STEP_WORDS[name], 0.0)
        try:
            with fit_slot() if name in ("topics", "segments") else nullcontext():
                outcome = step()
            done[name] = outcome if isinstance(outcome, str) else "done"
        except ValueError as exc:
            done[name] = f"not found: {exc}"
        except Exception as exc:  # a head start only: the page shows the error when opened
            done[name] = f"failed: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
        if name == "segments":
            stage("Topics and segments saved", 1.0)
            fits_done()
    stage("Done", 1.0)
    return done


def load_posts(ws: Workspace, ds_id: str) -> pd.DataFrame:
    """A saved dataset's posts with the canonical column types (what every page and step reads)."""
    from lib.ingest.schema import coerce_types

    return coerce_types(ws.load_posts(ds_id))
