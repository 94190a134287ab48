"""`--steps report` on Dask: the client report built from the run's own output folder, the way the app builds it
from that folder opened as a dataset (lib.ingest.runs.open_run): every post when the run has at most
`MAX_APP_POSTS`, else a sample drawn evenly across its days, and then the whole run's post count, authors,
sentiment shares and volume come from the run's aggregates and the report says which figures are the sample's
(lib.report.scope). So the report never collects a million posts on the client, and it is the one the app would
hand over for the same run.

It runs once the folder is complete (opening a run needs `_COMPLETE`), in a throwaway workspace; the sample's
listening scores are the run's (seeded into that workspace, never recomputed)."""
from __future__ import annotations

import argparse
import tempfile
from pathlib import Path
from typing import Any

from lib.ingest.reading import InputError


def run_report(args: argparse.Namespace, out: Path, options: tuple[list[str] | None, bytes | None],
               name: str) -> dict[str, Any]:
    """Write `out`/report.html and report.pdf; what was written, the sections, those left out and why, and
    the posts the report read (`sample_posts` of `posts`)."""
    from lib import pipeline
    from lib.cli import read_weights
    from lib.ingest.runs import open_run
    from lib.report.data import Branding, shares_of, without_spam
    from lib.report.render import write_report
    from lib.report.scope import run_scope
    from lib.store.workspace import Workspace

    wanted, logo = options
    with tempfile.TemporaryDirectory(prefix="listening-lab-report-") as tmp, \
            Workspace(str(Path(tmp) / "report.duckdb")) as ws:
        opened = open_run(ws, out, name)
        meta = ws.meta(opened.ds_id)
        posts = pipeline.load_posts(ws, opened.ds_id)
        has_text = pipeline.has_text(posts)
        frame = pipeline.listen(posts, ws).frame if has_text else posts
        topics = pipeline.stored_topics(ws, opened.ds_id) if has_text else None
        frame = pipeline.with_user_topics(frame, topics)
        data = pipeline.report_data(
            meta["name"], frame, meta, read_weights(args.weights),
            topic_table=None if topics is None else pipeline.topic_overview(frame, topics),
            topic_settings=None if topics is None else pipeline.topic_method(topics),
            representatives=None if topics is None else topics.representative,
            sensitivity=args.sensitivity, horizon=args.horizon, scope=run_scope(meta),
            shares=shares_of(frame))  # the run's posts' labels counted (no labels on Dask)
        if getattr(args, "leave_out_spam", False):
            data = without_spam(data)
    try:
        written = write_report(data, wanted, Branding(args.title, args.client, args.prepared_by, logo), out)
    except OSError as exc:
        raise InputError(f"--out: cannot write the report ({exc.strerror})") from None
    return {**written, "posts": opened.posts_total, "sample_posts": opened.posts}


__all__ = ["run_report"]
