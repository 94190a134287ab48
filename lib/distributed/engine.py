"""`analyze --engine dask`: the run on the client. Plan the partitions, skip those already written, run the
rest as tasks on the cluster in two passes, sum their aggregates into summary.json, mark the run complete.

Two passes because a short post's language borrows from the dataset's language mix (`lib.listening.language`):
the first pass counts each partition's confident posts per language (cheap: a fraction of the listening work),
the second decides every post's language with the sum and runs the listening steps. Each pass's results are a
few numbers per partition; the posts stay on the workers and in `DIR/posts/`. Before them, a folder's duplicates
and repeated ids are found across its partitions in a pass of per-row hashes (`lib.distributed.duplicates`).

With --steps sentiment, the summary's alert details and per-brand shares read DIR/posts/ in a few more passes
of sums (`lib.distributed.alert_details`, `lib.distributed.shares`).

With --steps topics a third pass follows (`lib.distributed.topics`): a seeded sample from every partition, one
fit on the client, and every partition assigned its topics by the fitted model on the workers.

With --steps kpis three short passes follow (`lib.distributed.kpis`): the run's statistics, one number per post
for each percentile, and every partition's KPI columns; DIR/kpis.json from the sums.

With --steps audience (after sentiment) two passes follow (`lib.distributed.audience`): per-author sums from every
partition, one segment fit on the client, and every partition's `segment` and `persona` columns.

With --steps foresight (after sentiment) two passes follow (`lib.distributed.foresight`): per-period sums for the
forecasts, and a proportional sample of posts for the performance model fitted on the client. With --steps
report, the report is built last from the finished folder, opened as the app opens it (`lib.distributed.report`).

Resumable: a partition whose partial (`DIR/_partials/part-N.json`) carries the same fingerprint and language
mix, and whose Parquet file is there, is not recomputed. `DIR/_COMPLETE` is removed first and written last,
after every partition and the summary, so a folder with the marker is a whole run and one without it is not.
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np

from lib.distributed import aggregates as agg
from lib.distributed.audience import run_audience
from lib.distributed.foresight import run_foresight
from lib.distributed.kpis import run_kpis
from lib.distributed.partitions import (
    Partition,
    Planned,
    RunSettings,
    digest,
    is_folder,
    plan_files,
    plan_folder,
    with_duplicates,
)
from lib.distributed.report import run_report
from lib.distributed.tasks import RETRIES, count_languages, listen_partition, partial_path, posts_path
from lib.distributed.topics import checked, run_topics
from lib.ingest.build import dataset_name
from lib.ingest.reading import InputError

SUPPORTED_STEPS = ("sentiment", "topics", "kpis", "audience", "foresight", "report")
MARKER = "_COMPLETE"


class _Progress:
    """'[dask  40%] message' lines on stderr, like the local engine's, one per finished partition."""

    def __init__(self, show: bool) -> None:
        self.show = show

    def __call__(self, msg: str, frac: float) -> None:
        if self.show:
            print(f"[dask {frac:4.0%}] {msg}", file=sys.stderr, flush=True)


def _settings(args: argparse.Namespace, steps: list[str]) -> RunSettings:
    """The options this engine runs, checked before any work; what it does not run yet is refused."""
    from lib.cli import read_thresholds
    from lib.listening.language import parse_languages

    later = [s for s in steps if s not in SUPPORTED_STEPS]
    if later:
        raise InputError(f"--engine dask runs the import and --steps {','.join(SUPPORTED_STEPS)} so far; "
                         f"{', '.join(later)} need --engine local")
    if "audience" in steps and "sentiment" not in steps:
        raise InputError("--engine dask runs --steps audience with sentiment (its features read the listening "
                         "columns): add sentiment to --steps")
    if "foresight" in steps:
        from lib.analyze import foresight_options

        foresight_options(args)  # --horizon and --known-columns' form, now; the columns after the import
        if "sentiment" not in steps:
            raise InputError("--engine dask runs --steps foresight with sentiment (its model and forecasts read "
                             "the listening columns): add sentiment to --steps")
    if "report" in steps and "sentiment" not in steps:
        raise InputError("--engine dask runs --steps report with sentiment (the report reads the run's listening "
                         "columns): add sentiment to --steps")
    if args.labels or getattr(args, "labels_column", None) or args.aspects:
        raise InputError("--labels, --labels-column and --aspects need --engine local (they read every labelled post "
                         "together)")
    if args.partition_rows < 1:
        raise InputError("--partition-rows is a number of posts, at least 1")
    if args.workers is not None and (args.workers < 1 or args.scheduler):
        raise InputError("--workers is a number of local worker processes, at least 1, without --scheduler")
    try:
        languages = parse_languages(args.languages)
    except ValueError as exc:
        raise InputError(f"--languages: {exc}") from None
    return RunSettings(read_thresholds(args.thresholds), languages, tuple(steps))


def _previous(out: Path, parts: list[Partition]) -> dict[int, dict]:
    """The partials of an earlier run into this folder, by partition (unreadable ones count as missing)."""
    found = {}
    for p in parts:
        try:
            doc = json.loads(partial_path(out, p, ".json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if doc.get("fingerprint") == p.fingerprint:
            found[p.index] = doc
    return found


def _raise_failed(results: list[dict], futures: list[Any]) -> None:
    bad = [r for r in results if "error" in r]
    if bad:
        for f in futures:
            f.cancel()
        raise InputError(bad[0]["error"])


class _Runner:
    """The two passes of one run on one client; the posts of file input are scattered once, when first needed."""

    def __init__(self, client: Any, plan: Planned, settings: RunSettings, out: Path, progress: _Progress) -> None:
        self.client, self.plan, self.settings, self.out, self.progress = client, plan, settings, out, progress
        self.frames: dict[int, Any] = {}
        self.tag = digest(str(out), time.time())[:8]  # task keys unique to this run on a shared scheduler

    def frame(self, part: Partition) -> Any:
        if part.index not in self.plan.frames:
            return None
        if part.index not in self.frames:
            self.frames[part.index] = self.client.scatter(self.plan.frames[part.index], hash=False)
        return self.frames[part.index]

    def counts(self, previous: dict[int, dict]) -> dict[int, list[float] | None]:
        """First pass: each partition's language counts (from its partial when its input is unchanged)."""
        own = {i: d.get("counts") for i, d in previous.items()}
        todo = [p for p in self.plan.partitions if p.index not in previous]
        futures = [self.client.submit(count_languages, p, self.frame(p), self.plan.folder, retries=RETRIES,
                                      key=f"languages-{p.stem}-{self.tag}") for p in todo]
        results = self.client.gather(futures)
        _raise_failed(results, futures)
        own.update({r["index"]: r["counts"] for r in results})
        return own

    def listen(self, todo: list[Partition], own: dict[int, list[float] | None], total: list[float],
               mix: str) -> list[dict]:
        """Second pass: the partitions to compute, one progress line each as they finish."""
        from distributed import as_completed

        by_key = {}
        for p in todo:
            f = self.client.submit(listen_partition, p, self.frame(p), self.plan.folder, self.settings,
                                   own.get(p.index), total, mix, str(self.out), retries=RETRIES,
                                   key=f"listen-{p.stem}-{self.tag}")
            by_key[f.key] = (f, p)
        done: list[dict] = []
        for future in as_completed([f for f, _ in by_key.values()], loop=self.client.loop):
            result = future.result()
            _raise_failed([result], [f for f, _ in by_key.values()])
            done.append(result)
            part = by_key[future.key][1]
            self.progress(f"{part.stem} ({part.name}): {result['aggregates']['kept']:,} posts in "
                          f"{result['seconds']:.1f} s ({len(done)} of {len(todo)})", len(done) / len(todo))
        return done


def _compute(client: Any, plan: Planned, settings: RunSettings, out: Path, progress: _Progress
             ) -> tuple[list[dict], int]:
    """Every partition's partial, computing only those not already written with the same fingerprint and
    language mix; returns them in partition order and how many were computed."""
    from lib.distributed.cluster import describe
    from lib.listening.language import LANGUAGES

    runner = _Runner(client, plan, settings, out, progress)
    previous = _previous(out, plan.partitions)
    own = runner.counts(previous)
    total = np.zeros(len(LANGUAGES))
    for c in own.values():
        total = total + np.asarray(c if c is not None else 0.0)
    mix = digest(total.tolist())
    todo = [p for p in plan.partitions if previous.get(p.index, {}).get("mix") != mix
            or not posts_path(out, p).is_file()]
    progress(f"{len(todo)} of {len(plan.partitions)} partitions to compute on {describe(client)} "
             f"({len(plan.partitions) - len(todo)} already written)", 0.0)
    fresh = {d["index"]: d for d in runner.listen(todo, own, total.tolist(), mix)} if todo else {}
    return [fresh.get(p.index) or previous[p.index] for p in plan.partitions], len(todo)


def _clear_stale(out: Path, count: int) -> None:
    """Files of partitions beyond this run's (an earlier run with smaller partitions), so that DIR/posts/ is
    exactly this run's dataset."""
    for folder in (out / "posts", out / "_partials"):
        for f in folder.glob("part-*") if folder.is_dir() else []:
            stem = f.name.split(".")[0]
            if stem[5:].isdigit() and int(stem[5:]) >= count:
                f.unlink()


def _excluded(out: Path, plan: Planned) -> int:
    """DIR/excluded.csv: the import's (file input) or every partition's excluded rows, appended file by file."""
    from lib.report.export import write_csv

    target = out / "excluded.csv"
    target.unlink(missing_ok=True)
    if plan.excluded is not None:
        if len(plan.excluded):
            write_csv(plan.excluded, target)
        return len(plan.excluded)
    rows = 0
    for p in plan.partitions:
        part = partial_path(out, p, ".excluded.csv")
        if part.is_file():
            lines = part.read_text(encoding="utf-8").splitlines(keepends=True)
            with open(target, "a", encoding="utf-8") as fh:
                fh.writelines(lines if rows == 0 else lines[1:])
            rows += len(lines) - 1
    return rows


def _authors(out: Path, plan: Planned) -> int | None:
    """Distinct authors over every partition, from their hashes; None when no partition has authors."""
    seen = np.empty(0, dtype=np.uint64)
    for p in plan.partitions:
        seen = np.union1d(seen, np.load(partial_path(out, p, ".authors.npy")))
    return int(len(seen)) if len(seen) else None


def _sentiment(client: Any, args: argparse.Namespace, settings: RunSettings, plan: Planned, m: dict,
               out: Path) -> tuple[dict, dict]:
    """summary.json's `sentiment` and `sentiment_shares`, and DIR/alerts.csv: from the aggregates, then the
    passes over DIR/posts/ for the alerts' details and the per-brand shares and interval."""
    from lib.distributed.alert_details import window_details
    from lib.distributed.shares import brand_shares
    from lib.listening.shares import ShareSettings
    from lib.report.export import write_csv

    paths = [str(posts_path(out, p)) for p in plan.partitions]
    alerts = agg.alerts_from(m, args.sensitivity, partial(window_details, client, paths))
    write_csv(alerts, out / "alerts.csv")
    info, shares = agg.sentiment_doc(m, settings.thresholds, len(alerts), args.sensitivity)
    sums = agg.share_sums(m, ShareSettings().zero_shot_method)
    if m["kept"] and sums is not None:
        more = brand_shares(client, paths, m["kept"], sums)
        shares = {"overall": shares["overall"], "by_brand": more["by_brand"], "method": shares["method"],
                  "labels_used": shares["labels_used"], "interval": more["interval"]}
    return info, shares


def _summary(client: Any, args: argparse.Namespace, settings: RunSettings, plan: Planned, docs: list[dict],
             out: Path) -> tuple[dict, dict]:
    """summary.json from the partitions' aggregates (and DIR/alerts.csv with --steps sentiment)."""

    m = agg.merge([d["aggregates"] for d in docs])
    report = plan.report if plan.report is not None else \
        agg.merge_reports([(d["name"], d["import"]) for d in docs], plan.duplicates)
    doc: dict[str, Any] = {"summary": agg.overview(m, _authors(out, plan)), "import": report,
                           "steps": ["import", *settings.steps]}
    if m["languages"]:
        doc["languages"] = m["languages"]
    if settings.languages:
        if not m["kept"]:
            raise InputError(f"--languages: no post is in {', '.join(settings.languages)} "
                             f"(found: {', '.join(m['languages'])})")
        doc["languages_kept"] = {"asked": list(settings.languages), "posts": m["kept"]}
    if "sentiment" in settings.steps:
        doc["sentiment"], doc["sentiment_shares"] = _sentiment(client, args, settings, plan, m, out)
    return doc, m


def _no_topics(out: Path) -> None:
    """A run without topics into a folder that had some: their files go, so the folder says only what this run
    computed (the app would otherwise open it with the earlier run's topics)."""
    from lib.store.run_folder import result_dir

    (out / "topics.csv").unlink(missing_ok=True)
    shutil.rmtree(result_dir(out, "topics"), ignore_errors=True)


def run_dask(args: argparse.Namespace, steps: list[str],
             make_options: Callable[[argparse.Namespace, list], Any]) -> int:
    """`python -m lib analyze --engine dask`: checked, planned, computed, summed, marked complete."""
    from lib.cli import read_report_options
    from lib.distributed.cluster import connected, describe

    settings = _settings(args, steps)
    report_options = read_report_options(args) if "report" in steps else None  # --sections and --logo, now
    stored = checked(args) if "topics" in steps else None  # the topic options and --topics-from's model, now
    out = Path(args.out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    marker = out / MARKER
    marker.unlink(missing_ok=True)  # whatever happens next, this folder is not a complete run until the end
    progress = _Progress(args.progress or sys.stderr.isatty())
    progress(f"reading {', '.join(Path(f).name for f in args.files)}", 0.0)
    opts = partial(make_options, args)
    plan = plan_folder(Path(args.files[0]), opts, settings) if is_folder(args.files) else \
        plan_files(args.files, opts, settings, args.partition_rows)
    with connected(args.scheduler, args.workers) as client:
        where = describe(client)
        plan = with_duplicates(client, plan, digest(str(out), time.time())[:8])  # folder: across partitions
        docs, computed = _compute(client, plan, settings, out, progress)
        topics = run_topics(client, args, plan, out, docs, progress, stored, digest(str(out), time.time())[:8]) \
            if "topics" in steps else None
        kpis = run_kpis(client, args, plan, out, progress, digest(str(out), time.time())[:8]) \
            if "kpis" in steps else None
        audience = run_audience(client, args, plan, out, progress, digest(str(out), time.time())[:8]) \
            if "audience" in steps else None
        foresight = run_foresight(client, args, plan, out, progress, digest(str(out), time.time())[:8]) \
            if "foresight" in steps else None
        _clear_stale(out, len(plan.partitions))
        doc, m = _summary(client, args, settings, plan, docs, out)  # the last passes read DIR/posts/
    if topics is not None:
        doc["topics"] = topics
    else:
        _no_topics(out)
    if kpis is not None:
        doc["kpis"] = kpis
    else:
        (out / "kpis.json").unlink(missing_ok=True)  # an earlier run's: this folder says what this run computed
    if audience is not None:
        doc["audience"] = audience
    else:
        for name in ("authors.csv", "segments.csv"):
            (out / name).unlink(missing_ok=True)
    if foresight is not None:
        doc["foresight"] = foresight
    else:
        for name in ("model_report.json", "forecast.csv"):
            (out / name).unlink(missing_ok=True)
    excluded = _excluded(out, plan)
    n = len(plan.partitions)
    doc["engine"] = {"name": "dask", "cluster": where, "partitions": n, "computed": computed, "reused": n - computed,
                     "posts": str(out / "posts"), "left_out": agg.LEFT_OUT}
    (out / "summary.json").write_text(json.dumps(doc, indent=2, ensure_ascii=False, default=str))
    marker.write_text(json.dumps({
        "engine": "dask", "settings": {**json.loads(settings.key()), "partition_rows": args.partition_rows,
                                       "sensitivity": args.sensitivity,
                                       "topic_model": topics["model"] if topics is not None else None},
        "partitions": [{"file": f"posts/{p.stem}.parquet", "name": p.name, "fingerprint": p.fingerprint,
                        "posts": d["aggregates"]["kept"]} for p, d in zip(plan.partitions, docs)],
        "finished": time.strftime("%Y-%m-%dT%H:%M:%S%z")}, indent=2, ensure_ascii=False))
    if report_options is not None:  # from the complete folder, as the app opens it; a failure unmarks the run
        try:
            progress("report: from the run's folder, as the app opens it", 0.99)
            doc["report"] = run_report(args, out, report_options, dataset_name(args.files))
        except BaseException:
            marker.unlink(missing_ok=True)
            for name in ("report.html", "report.pdf"):
                (out / name).unlink(missing_ok=True)
            raise
        (out / "summary.json").write_text(json.dumps(doc, indent=2, ensure_ascii=False, default=str))
    else:
        for name in ("report.html", "report.pdf"):
            (out / name).unlink(missing_ok=True)
    print(f"{m['kept']} posts -> {out / 'posts'} ({n} partition{'' if n == 1 else 's'}, {computed} computed); "
          f"{excluded} excluded; summary in {out / 'summary.json'}", file=sys.stderr)
    return 0


__all__ = ["run_dask"]
