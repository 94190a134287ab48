"""The `analyze` command: import files, run the chosen steps through `lib.pipeline` and write DIR/.

Each step writes its own files (alerts.csv, topics.csv, authors.csv, segments.csv, kpis.json, model_report.json,
forecast.csv, report.html/pdf) and adds its columns to DIR/posts.csv; DIR/summary.json says what each step did.
What one step computes for a later one (the listening columns, the topic table, the personas) is kept in the
run's `memo`, so nothing is computed twice however many steps read it."""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from lib import pipeline
from lib.cli import (
    STEPS,
    read_labels,
    read_report_options,
    read_thresholds,
    read_weights,
    segment_settings_from,
    topic_settings_from,
)
from lib.ingest.reading import InputError
from lib.listening.emotion import PROBABILITY_COLUMNS
from lib.report.export import write_csv
from lib.topics.apply import applied_topics, stored_model

Stage = Callable[[str, float], None]
_SHOW_PROGRESS = False  # set per run: --progress, or stderr is a terminal

# the emotion probabilities since 2026-12-06: an opened run keeps the multilingual head's, as it keeps the sentiment
# head's, so opening it never runs the slow encoder again (lib.ingest.runs)
SCORE_COLUMNS = ["vader_pos", "vader_neu", "vader_neg", "p_negative", "p_neutral", "p_positive",
                 *PROBABILITY_COLUMNS]


def progress(step: str) -> Stage:
    """A stage callback that prints '[step  40%] message' lines on stderr, at most one per 5 seconds for the
    same kind of message (embedding a million texts reports thousands of batches)."""
    last: dict[str, float] = {}

    def stage(msg: str, frac: float) -> None:
        if not _SHOW_PROGRESS:
            return
        kind = msg.split(":")[0]
        now = time.monotonic()
        if frac < 1 and now - last.get(kind, -99.0) < 5.0 and ":" in msg:
            return
        last[kind] = now
        print(f"[{step} {frac:4.0%}] {msg}", file=sys.stderr, flush=True)
    return stage


class Run:
    """One `analyze` run: its arguments, output folder, per-text cache and what steps hand to later steps."""

    def __init__(self, args: argparse.Namespace, out: Path, cache: Any) -> None:
        self.args, self.out, self.cache = args, out, cache
        self.memo: dict[str, Any] = {}

    def with_listening(self, posts: pd.DataFrame) -> pd.DataFrame:
        """The posts plus the listening columns, for steps that read them without --steps sentiment. Computed
        once per run however many steps need them; the steps add only their own columns to posts.csv."""
        if not pipeline.has_text(posts) or "sentiment_label" in posts:
            return posts
        if "listening" not in self.memo:
            full = pipeline.listen(posts, self.cache).frame
            self.memo["listening"] = full[[c for c in full.columns if c not in posts.columns]]
        return posts.join(self.memo["listening"])


def _sentiment_step(run: Run, posts: pd.DataFrame, labels: pd.Series | None,
                    thresholds: tuple[float, float]) -> tuple[pd.DataFrame, dict]:
    from lib.listening.alerts import alerts_frame, detect
    from lib.listening.enrich import LISTENING_COLUMNS, model_versions
    from lib.listening.shares import ZERO_SHOT_COLUMNS, estimate_shares

    if "text" not in posts:
        raise InputError("--steps sentiment needs a text column (map one with --map text=COLUMN)")
    if labels is not None and (~labels.index.isin(posts["post_id"])).all():
        raise InputError("--labels: none of the labelled post_ids is in the file")
    done = pipeline.listen(posts, run.cache, thresholds, labels, stage=progress("sentiment"),
                           embed_labels=labels is not None)
    frame = done.frame
    run.memo["sentiment_shares"] = estimate_shares(frame, labels).to_json()  # summary.json's sentiment_shares
    # the public model's probabilities: not in posts.csv, but a report without spam re-estimates the shares with them
    run.memo["zero_shot"] = frame[[c for c in ZERO_SHOT_COLUMNS if c in frame]]
    keep = list(posts.columns) + [c for c in LISTENING_COLUMNS + SCORE_COLUMNS if c not in posts.columns]
    dated = "created_at" in frame and frame["created_at"].notna().any()  # a file without dates has no alerts
    alerts = detect(frame, sensitivity=run.args.sensitivity) if dated else []
    write_csv(alerts_frame(alerts), run.out / "alerts.csv")
    info: dict[str, Any] = {"labels": frame["sentiment_label"].value_counts().to_dict(),
                            "vader_labels": frame["vader_label"].value_counts().to_dict(),
                            "alerts": len(alerts), "alert_sensitivity": run.args.sensitivity,
                            "thresholds": list(thresholds), "models": model_versions()}
    a = done.adaptation
    if a is not None:
        info["user_labels"] = {"used": a.n_labels, "cv_accuracy": a.cv_accuracy, "cv_macro_f1": a.cv_macro_f1,
                               "out_of_the_box_accuracy_on_them": a.baseline_accuracy,
                               "sentence_embeddings": a.used_embeddings, "adapted_model_applied": a.applied}
    if run.args.aspects:
        info["aspects"] = _aspects(run, frame, thresholds)
    return frame[keep], info


def _aspects(run: Run, posts: pd.DataFrame, thresholds: tuple[float, float]) -> dict:
    """Aspect-based sentiment: DIR/aspects.csv (per aspect) and DIR/aspect_mentions.csv (per sentence)."""
    from lib.listening.aspects import aspect_sentiment, parse_aspects
    from lib.listening.aspects import summary as aspect_summary

    aspects = parse_aspects(run.args.aspects)
    if not aspects:
        raise InputError("--aspects: name at least one aspect, e.g. 'price: cost, expensive; taste: flavour'")
    mentions = aspect_sentiment(posts[["post_id", "text"]], aspects, thresholds)
    table = aspect_summary(mentions)
    write_csv(table, run.out / "aspects.csv")
    write_csv(mentions, run.out / "aspect_mentions.csv")
    return {"aspects": list(aspects), "mentions": int(len(mentions)),
            "net": dict(zip(table["aspect"], table["net"].round(3)))}


def _topics_step(run: Run, posts: pd.DataFrame) -> tuple[pd.DataFrame, dict]:
    from lib.store.run_folder import write_result
    from lib.topics.fit import fit_topics
    from lib.topics.views import csv_columns, effective, topic_table

    if "text" not in posts:
        raise InputError("--steps topics needs a text column (map one with --map text=COLUMN)")
    frame = run.with_listening(posts)  # topics are fitted on what the app fits them on
    result = applied_topics(run.args.topics_from, frame, progress("topics"), run.cache) if run.args.topics_from else \
        fit_topics(frame, topic_settings_from(run.args, frame), ws=run.cache, stage=progress("topics"))
    frame = pipeline.with_user_topics(frame, result)
    run.memo["topics"] = topic_table(frame, effective(result)[1])
    run.memo["topic_settings"] = json.loads(result.settings.to_json())
    run.memo["representatives"] = result.representative
    run.memo["topic_method"] = pipeline.topic_method(result)
    write_csv(run.memo["topics"][csv_columns(run.memo["topics"])], run.out / "topics.csv")
    added = [c for c in ("sentiment", "topic", "topic_label") if c not in posts.columns]
    m = result.metrics
    write_result(run.out, result)  # DIR/results/topics: the app opens the run with its topics, without refitting
    return posts.join(frame[added]), {
        "settings": run.memo["topic_settings"], "embeddings": result.backend, "topics": m["n_topics"],
        "outliers_before": m["outliers_before"], "outliers_after": m["outliers_after"], "fitted_on": m["n_fit"],
        "assigned_by_words": m["assigned_by_words"], "words_agreement": m["words_agreement"],
        "seconds": m["timings"], **({"applied_from": m["applied_from"]} if "applied_from" in m else {})}


def _audience_step(run: Run, posts: pd.DataFrame) -> tuple[pd.DataFrame, dict]:
    from lib.audience.features import author_coverage, unread_note
    from lib.audience.outputs import audience_doc
    from lib.audience.segments import fit_segments, posts_with_segments

    frame = run.with_listening(posts)  # features need sentiment, emotion and intent
    settings = segment_settings_from(run.args, frame)
    try:
        result = fit_segments(frame, settings, stage=progress("audience"))
    except ValueError as exc:
        raise InputError(f"--steps audience: {exc}") from None
    run.memo["segments"] = result
    seg = posts_with_segments(posts, result)
    note = " ".join(t for t in (author_coverage(posts)["why"], unread_note(frame, settings.groups)) if t)
    return posts.assign(segment=seg["segment"], persona=seg["segment_name"]), audience_doc(result, note, run.out)


def _kpis_step(run: Run, posts: pd.DataFrame) -> tuple[pd.DataFrame, dict]:
    from lib.kpis.authenticity import post_scores
    from lib.kpis.engagement import engagement, engagement_rate
    from lib.kpis.value import rankings

    weights = read_weights(run.args.weights)
    bundle = pipeline.kpi_bundle(posts, authors=False)
    model = bundle.model
    if model.components.empty:
        raise InputError("--steps kpis needs engagement counts, reach or text (map them with --map)")
    ranks = rankings(model, weights)
    rate, basis = engagement_rate(posts)
    scored = posts.assign(engagement=engagement(posts), engagement_rate=rate, **{c: ranks[c] for c in ranks})
    if "text" in posts:
        scored["bot_likeness"] = model.bot_likeness if model.bot_likeness is not None else post_scores(posts)
    doc = {"weights_name": weights.name, "weights": weights.normalised(list(model.components.columns)),
           "components_unavailable": model.unavailable, "engagement_rate_basis": basis,
           "kpis": [k.as_dict() for k in bundle.scorecard], "share_of_voice": bundle.sov.to_dict(orient="records")}
    (run.out / "kpis.json").write_text(json.dumps(doc, indent=2, ensure_ascii=False, default=str))
    return scored, {"weights": weights.name, "kpis": len(doc["kpis"]), "file": str(run.out / "kpis.json")}


def model_report(frame: pd.DataFrame, extra: tuple[str, ...]) -> dict:
    from lib.foresight.model import too_small

    why = too_small(frame)
    if why:
        return {"built": False, "why": why}
    r = pipeline.fit_foresight(frame, extra)
    return {"built": True, "target": r.target, "target_label": r.target_label, "posts": r.n_posts,
            "cross_validation": r.cv, "has_skill": r.has_skill, "skill": r.skill, "verdict": r.verdict,
            "mean_mae_model": float(r.folds["mae_model"].mean()),
            "mean_mae_baseline": float(r.folds["mae_baseline"].mean()),
            "baseline": "the training folds' mean", "folds": r.folds.to_dict("records"),
            "importance": r.importance.to_dict("records")}


def foresight_options(args: argparse.Namespace, columns: Any = None) -> tuple[int, tuple[str, ...]]:
    """--horizon and --known-columns, checked (the known columns against `columns` when given)."""
    horizon = args.horizon
    if not 1 <= horizon <= 52:
        raise InputError("--horizon is a number of periods from 1 to 52")
    extra = tuple(c.strip() for c in args.known_columns.split(",") if c.strip())
    missing = [c for c in extra if columns is not None and c not in columns]
    if missing:
        raise InputError(f"--known-columns: not in the file: {', '.join(missing)}")
    return horizon, extra


def forecast_block(tf: pd.DataFrame, freq: str, horizon: int, by: str | None) -> dict:
    """model_report.json's `forecast` block of a `trend_forecast` table."""
    flags = tf[(tf["kind"] == "forecast") & tf["flag"].ne("")].groupby(["group", "measure"])["flag"].first()
    return {"period": freq, "horizon": horizon, "split_by": by, "interval": "80 %",
            "flags": [{"group": g, "measure": m, "flag": f} for (g, m), f in flags.items()]}


def _foresight_step(run: Run, posts: pd.DataFrame) -> dict:
    from lib.foresight.forecast import trend_forecast
    from lib.listening.overview import pick_frequency

    horizon, extra = foresight_options(run.args, posts.columns)
    frame = run.with_listening(posts)  # features and forecasts read sentiment
    report: dict[str, Any] = {"extra_features": list(extra), "model": model_report(frame, extra)}
    dated = "created_at" in frame and frame["created_at"].notna().any()
    if dated:
        freq = pick_frequency(frame)
        by = "brand" if "brand" in frame and frame["brand"].nunique() > 1 else None
        tf = trend_forecast(frame, freq, horizon, by=by)
        write_csv(tf, run.out / "forecast.csv")
        report["forecast"] = forecast_block(tf, freq, horizon, by)
    else:
        report["forecast"] = {"built": False, "why": "The posts have no dates."}
    (run.out / "model_report.json").write_text(json.dumps(report, indent=2, ensure_ascii=False, default=str))
    return {"model_skill": report["model"].get("has_skill"), "file": str(run.out / "model_report.json"),
            "forecast": str(run.out / "forecast.csv") if dated else None}


def _report_step(run: Run, posts: pd.DataFrame, name: str, meta: dict,
                 options: tuple[list[str] | None, bytes | None]) -> dict:
    from lib.report.data import Branding, shares_of, without_spam
    from lib.report.render import write_report

    wanted, logo = options
    a = run.args
    frame = run.with_listening(posts)
    zero = run.memo.get("zero_shot")
    if zero is not None and len(zero.columns) and not set(zero.columns) & set(frame.columns):
        frame = frame.join(zero)
    data = pipeline.report_data(name, frame, meta, read_weights(a.weights),
                                topic_table=run.memo.get("topics"), topic_settings=run.memo.get("topic_method"),
                                segments=run.memo.get("segments"), representatives=run.memo.get("representatives"),
                                sensitivity=a.sensitivity, horizon=a.horizon,
                                shares=run.memo.get("sentiment_shares") or shares_of(frame))
    if a.leave_out_spam:
        data = without_spam(data)
    return write_report(data, wanted, Branding(a.title, a.client, a.prepared_by, logo), run.out)


def _with_languages(posts: pd.DataFrame, wanted: tuple[str, ...], doc: dict) -> pd.DataFrame:
    """Each post's language (when the posts have text), and only the posts in the languages asked for."""
    from lib.listening.language import detect_languages

    if not pipeline.has_text(posts):
        if wanted:
            raise InputError("--languages needs a text column (map one with --map text=COLUMN)")
        return posts
    posts = posts.assign(language=detect_languages(posts["text"]))
    doc["languages"] = {str(k): int(v) for k, v in posts["language"].value_counts().items()}
    if not wanted:
        return posts
    kept = posts[posts["language"].isin(wanted)].reset_index(drop=True)
    if kept.empty:
        raise InputError(f"--languages: no post is in {', '.join(wanted)} (found: {', '.join(doc['languages'])})")
    doc["languages_kept"] = {"asked": list(wanted), "posts": int(len(kept))}
    return kept


def _import_options(args: argparse.Namespace, sources: list) -> Any:
    from lib.ingest.build import ImportOptions
    from lib.ingest.mapping import parse_map_args
    from lib.ingest.privacy import new_salt

    if args.map:
        if len(sources) > 1:
            raise InputError("--map applies to a single file; import files one at a time to map them differently")
        override = parse_map_args(args.map, list(sources[0].raw.df.columns))
        merged = {**sources[0].mapping, **{k: v for k, v in override.items() if v}}
        sources[0].mapping = {k: v for k, v in merged.items() if override.get(k, v) != ""}
    constants = {}
    for pair in args.set:
        key, _, value = pair.partition("=")
        if key not in ("platform", "brand") or not value:
            raise InputError(f"--set takes platform=VALUE or brand=VALUE, got {pair!r}")
        constants[key] = value
    kinds = frozenset(k.strip() for k in args.mask.split(",") if k.strip())
    return ImportOptions(dayfirst=args.dayfirst, drop_duplicates=args.drop_duplicates, mask_pii=kinds,
                         pseudonymise=args.pseudonymise, salt=args.salt or new_salt(), constants=constants,
                         keep_own_replies=args.keep_own_replies, keep_dates_apart=args.keep_dates_apart)


def _checked_steps(args: argparse.Namespace) -> list[str]:
    """The steps asked for, and every option that needs a step it was not given, refused before any work."""
    steps = [x.strip() for x in args.steps.split(",") if x.strip()]
    unknown = [x for x in steps if x not in STEPS]
    if unknown:
        raise InputError(f"--steps: unknown step(s) {', '.join(unknown)} (known: {', '.join(STEPS)})")
    if args.aspects and "sentiment" not in steps:
        raise InputError("--aspects needs --steps sentiment")
    if args.weights and not {"kpis", "report"} & set(steps):
        raise InputError("--weights needs --steps kpis or report")
    if (args.title or args.client or args.prepared_by or args.logo or args.sections or args.leave_out_spam) \
            and "report" not in steps:
        raise InputError("--title, --client, --prepared-by, --logo, --sections and --leave-out-spam need --steps "
                         "report")
    if (args.labels or getattr(args, "labels_column", None)) and "sentiment" not in steps:
        raise InputError("--labels and --labels-column need --steps sentiment")
    if args.topics_from and "topics" not in steps:
        raise InputError("--topics-from needs --steps topics")
    if args.topics_from:
        stored_model(args.topics_from)  # read now: a folder without a topic model is refused before any work
    return steps


def _column_labels(posts: pd.DataFrame, column: str, labels: pd.Series | None, doc: dict) -> pd.Series:
    """--labels-column: the file's own sentiment as labels (lib.listening.given), --labels' own winning per post;
    summary.json says which column was read, how, and for how many posts."""
    from lib.listening.given import as_labels, given_column

    try:
        given = given_column(posts, column)
    except ValueError as exc:
        raise InputError(f"--labels-column: {exc}") from None
    read = pd.Series(as_labels(given, posts["post_id"]), dtype=object)
    doc["labels_column"] = {"column": given.column, "read_as": given.scale, "posts": len(read),
                            "file_column": given.file_column}
    return read if labels is None else pd.concat([read[~read.index.isin(labels.index)], labels])


def _open_cache(args: argparse.Namespace, out: Path, steps: list[str]) -> Any:
    from lib.store.workspace import Workspace, WorkspaceError

    if args.no_cache or not {"sentiment", "topics", "audience", "foresight", "report"} & set(steps):
        return None
    try:
        return Workspace(args.cache or str(out / "cache.duckdb"))
    except WorkspaceError as exc:
        raise InputError(f"--cache: {exc}") from None


def _run_steps(run: Run, steps: list[str], posts: pd.DataFrame, doc: dict, name: str, meta: dict,
               labels: pd.Series | None, thresholds: tuple[float, float], report_options: Any) -> pd.DataFrame:
    if "sentiment" in steps:
        posts, doc["sentiment"] = _sentiment_step(run, posts, labels, thresholds)
        doc["sentiment_shares"] = run.memo["sentiment_shares"]
    if "topics" in steps:
        posts, doc["topics"] = _topics_step(run, posts)
    if "kpis" in steps:
        posts, doc["kpis"] = _kpis_step(run, posts)
    if "audience" in steps:
        posts, doc["audience"] = _audience_step(run, posts)
    if "foresight" in steps:
        doc["foresight"] = _foresight_step(run, posts)
    if "report" in steps:
        doc["report"] = _report_step(run, posts, name, meta, report_options)
    return posts


def analyze(args: argparse.Namespace) -> int:
    """`python -m lib analyze`: every option is checked before any work is done; then import, the steps in the
    pipeline's order, and the files."""
    from lib.ingest.build import build_posts, dataset_name, open_sources
    from lib.listening.language import parse_languages
    from lib.listening.overview import summary

    global _SHOW_PROGRESS
    if args.engine == "dask":  # partition tasks on a Dask cluster: lib/distributed
        from lib.distributed.engine import run_dask

        return run_dask(args, _checked_steps(args), _import_options)
    if args.scheduler or args.workers is not None:
        raise InputError("--scheduler and --workers need --engine dask")
    sources = open_sources(args.files)
    options = _import_options(args, sources)
    steps = _checked_steps(args)
    report_options = read_report_options(args) if "report" in steps else None
    labels = read_labels(args.labels) if args.labels else None
    thresholds = read_thresholds(args.thresholds)
    try:
        wanted = parse_languages(args.languages)
    except ValueError as exc:
        raise InputError(f"--languages: {exc}") from None
    _SHOW_PROGRESS = args.progress or sys.stderr.isatty()
    progress("import")(f"reading {', '.join(Path(f).name for f in args.files)}", 0.0)
    result = build_posts(sources, options)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    run = Run(args, out, _open_cache(args, out, steps))
    doc: dict[str, Any] = {"summary": summary(result.posts), "import": result.report, "steps": ["import"] + steps}
    if getattr(args, "labels_column", None):
        labels = _column_labels(result.posts, args.labels_column, labels, doc)
    try:
        posts = _with_languages(result.posts, wanted, doc)
        posts = _run_steps(run, steps, posts, doc, dataset_name(args.files), result.report, labels,
                           thresholds, report_options)
    finally:
        if run.cache is not None:
            run.cache.close()
    if run.cache is not None:
        doc["cache"] = str(run.cache.path)
    write_csv(posts[[c for c in posts if c != "language"] + ["language"]] if "language" in posts else posts,
              out / "posts.csv")
    if len(result.excluded):
        write_csv(result.excluded, out / "excluded.csv")
    (out / "summary.json").write_text(json.dumps(doc, indent=2, ensure_ascii=False, default=str))
    print(f"{len(posts)} posts -> {out / 'posts.csv'}; "
          f"{sum(result.report['excluded'].values())} excluded; summary in {out / 'summary.json'}", file=sys.stderr)
    return 0
