"""Opening the output folder of an `analyze` run (either engine) as a dataset of the workspace: what
`python -m lib import DIR` and the Data page's "Open an analysis run" both call (`open_run`).

Nothing the run computed is computed again, and the app's one listening pipeline (lib.pipeline.listen) still
decides every column it shows:
- the run's per-text sentiment scores (VADER and the public model, and the multilingual head's for posts in
  other languages: most of the listening work) go into the workspace's score cache under their model
  version, so the pipeline finds the texts already scored and gives the run's labels again; emotion, intent
  and the sarcasm flag are rebuilt from the text by the same pipeline (a linear model and rules, about 0.1 s
  per 1,000 posts: posts.csv keeps their labels, not the emotion probabilities and words the pages read);
- each post's language stays with the post (the run decided it with the whole run's language mix);
- the run's fitted topic model becomes the dataset's topic result, so the Topics page shows it without a refit.
A run larger than `MAX_APP_POSTS` opens with a seeded, day-stratified sample of its posts; the whole run's
figures (summary.json, posts and sentiment per day, topic sizes) are kept in the dataset's metadata, "run".
A run already opened (same folder, same version, same posts) is not opened twice (lib.ingest.run_identity).
"""
from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from lib.ingest.reading import InputError
from lib.ingest.run_identity import earlier_opens, fingerprint
from lib.ingest.run_read import (
    RunFolder,
    open_run_folder,
    read_alerts,
    read_columns,
    read_excluded,
    read_kpis,
    read_rows,
    read_topic_sizes,
)
from lib.ingest.run_sample import MAX_APP_POSTS, day_keys, sample_rows
from lib.ingest.schema import coerce_types
from lib.listening.emotion import PROBABILITY_COLUMNS

if TYPE_CHECKING:
    from lib.store.workspace import Workspace
    from lib.topics.result import TopicResult

# columns the run's steps added to the posts (the run's listening scores, topics, KPIs, segments): the dataset
# keeps the imported posts, and the app's pipeline adds these from its caches and saved results
RUN_SCORES = {"sentiment": "compound", "vader_pos": "pos", "vader_neu": "neu", "vader_neg": "neg",
              "p_negative": "p_negative", "p_neutral": "p_neutral", "p_positive": "p_positive"}
STEP_COLUMNS = ("vader_label", "sentiment_label", "sentiment_confidence", "sentiment_source", "complaint_cue",
                "emotion", "intent", "intent_confidence", "sarcasm_flag", *RUN_SCORES, "topic", "topic_label",
                "engagement", "engagement_rate", "value_score", "vanity_score", "value_rank", "vanity_rank",
                "rank_change", "bot_likeness", "segment", "persona", *PROBABILITY_COLUMNS)


@dataclass(frozen=True)
class Opened:
    """What `open_run` saved: the dataset, its posts against the run's, and what came with them."""
    ds_id: str
    name: str
    engine: str
    posts: int
    posts_total: int
    scores_reused: bool
    topics: int | None  # topics in the saved result, None when the run kept no topic model
    already: bool = False  # the run was already in the workspace: this is that dataset, nothing was saved
    newer_than: str | None = None  # the name of the dataset opened from an earlier version of this run

    @classmethod
    def existing(cls, meta: dict[str, Any]) -> Opened:
        """The dataset the workspace already holds for the run (its metadata)."""
        run = meta["run"]
        return cls(meta["id"], meta["name"], run["engine"], int(run["posts_shown"]), int(run["posts_total"]),
                   bool(run.get("scores_reused")), run.get("topics_kept"), already=True)

    @property
    def sampled(self) -> bool:
        return self.posts < self.posts_total

    def what(self) -> str:
        """What came with the dataset: posts (sampled or not), sentiment scores, topics."""
        size = (f"a day-stratified sample of {self.posts:,} of its {self.posts_total:,} posts (totals from the "
                f"whole run)" if self.sampled else f"all {self.posts:,} posts")
        scores = "sentiment scores reused" if self.scores_reused else "no sentiment scores to reuse"
        topics = f"topics yes ({self.topics})" if self.topics is not None else "topics no"
        return f"{size}; {scores}; {topics}"

    def line(self) -> str:
        """One line saying what was opened, with the dataset's id."""
        if self.already:
            return (f"already opened as '{self.name}' (dataset {self.ds_id}): nothing imported, no second copy "
                    "(its labels and edits are kept)")
        newer = (f"; a newer version of the run already opened as '{self.newer_than}' (the run folder changed "
                 "since; that dataset is kept)") if self.newer_than is not None else ""
        return f"opened '{self.name}' as dataset {self.ds_id} ({self.engine} run): {self.what()}{newer}"


TOPICS_OVER_TIME = 10
"""The largest topics whose posts per day are kept for a sampled run (the Topics page's whole-run chart)."""


FIRST_PASS = ["post_id", "created_at", "sentiment_label", "topic", "value_rank", "value_score"]
"""The columns of every post read once when a run is opened: the days and labels (`_per_day`), the topics over
time and the best posts by value (`run_read.read_kpis`)."""


def _per_day(cols: pd.DataFrame) -> tuple[pd.DataFrame, list[dict[str, Any]], list[dict[str, Any]]]:
    """From every post's `FIRST_PASS` columns: each post's id and day (the sampling strata); the whole run's
    posts and sentiment labels per day; and the posts per day of its `TOPICS_OVER_TIME` largest topics (none
    without topics)."""
    days = day_keys(cols["created_at"]) if "created_at" in cols else pd.Series("", index=cols.index)
    table = pd.DataFrame({"day": days, "label": cols.get("sentiment_label", pd.Series(pd.NA, index=cols.index))})
    table = table[table["day"] != ""]
    counts = pd.crosstab(table["day"], table["label"].fillna("none")) if len(table) else pd.DataFrame()
    return pd.DataFrame({"post_id": cols["post_id"].astype(str), "day": days}), [
        {"day": d, "posts": int(row.sum()), **{str(k): int(v) for k, v in row.items() if k != "none"}}
        for d, row in counts.iterrows()], _topic_days(days, cols.get("topic"))


def _topic_days(days: pd.Series, topic: pd.Series | None) -> list[dict[str, Any]]:
    """Posts per day of the largest topics (outliers left out), from every post of the run."""
    if topic is None:
        return []
    t = pd.to_numeric(topic, errors="coerce")
    dated = (days != "") & t.notna() & (t >= 0)
    top = t[dated].value_counts().index[:TOPICS_OVER_TIME]
    keep = dated & t.isin(top)
    counts = pd.DataFrame({"day": days[keep], "topic": t[keep].astype(int)}).groupby(["day", "topic"]).size()
    return [{"day": d, "topic": int(k), "posts": int(n)} for (d, k), n in counts.items()]


def _scores(frame: pd.DataFrame, summary: dict[str, Any], hashes: np.ndarray) -> list[tuple[pd.DataFrame, str]]:
    """The run's per-text scores by text hash, as the workspace caches them, with the cache's model version:
    the public model's for the posts it read, the multilingual head's (per language) for the posts that head
    read (their public-model scores are not in the run: the app scores those texts again, the cheap part).
    Only the scores of a model the run says it read with (summary.json's `sentiment.models`, `enrich.
    model_versions`) at the version this app runs: a run made before a model changed, or before runs said which
    models they used, is read again by the app. Empty, too, when the run has no sentiment step or its scores were
    adapted to the user's labels. `hashes`: the text hash of each of the frame's rows."""
    from lib.listening.enrich import model_versions

    sent = summary.get("sentiment") or {}
    if not set(RUN_SCORES) | {"text"} <= set(frame.columns) or sent.get("user_labels"):
        return []
    made_by, now = sent.get("models") or {}, model_versions()
    scores = frame[list(RUN_SCORES)].rename(columns=RUN_SCORES).astype(float)
    scores.index = hashes
    source = frame["sentiment_source"].astype(str).to_numpy() if "sentiment_source" in frame else \
        np.full(len(frame), "model")
    language = frame["language"].astype(str).to_numpy() if "language" in frame else np.full(len(frame), "en")
    found = [(scores[source == "model"], now["sentiment"])] if made_by.get("sentiment") == now["sentiment"] else []
    read = source == "multilingual model"  # the rows lib.listening.multilingual.read_in_language replaced
    for code in sorted(set(language[read])) if made_by.get("multilingual") == now["multilingual"] else []:
        own = scores[read & (language == code)]
        found.append((own.assign(compound=own["p_positive"] - own["p_negative"], pos=np.nan, neu=np.nan,
                                 neg=np.nan), f"{now['multilingual']}/{code}"))
    return [(s[~s.index.duplicated()], version) for s, version in found if len(s)]


def _emotions(frame: pd.DataFrame, summary: dict[str, Any], hashes: np.ndarray
              ) -> list[tuple[np.ndarray, np.ndarray, str]]:
    """The multilingual emotion head's probabilities of the run's posts it read (hashes, probabilities, cache
    key per language), for the workspace's store: the app then reads them instead of embedding those posts again.
    Empty when the run has no such columns (runs made before 2026-12-06) or another head made them (`_scores`)."""
    from lib.listening.enrich import model_versions

    cols = list(PROBABILITY_COLUMNS)
    version = model_versions()["emotion_multilingual"]
    made_by = (summary.get("sentiment") or {}).get("models") or {}
    if not set(cols) | {"text", "sentiment_source", "language"} <= set(frame.columns) \
            or made_by.get("emotion_multilingual") != version:
        return []
    p = frame[cols].apply(pd.to_numeric, errors="coerce").to_numpy(dtype=np.float32)
    read = (frame["sentiment_source"].astype(str) == "multilingual model").to_numpy() & ~np.isnan(p).any(axis=1)
    language = frame["language"].astype(str).to_numpy()
    out = []
    for code in sorted(set(language[read])):
        rows = read & (language == code)
        _, first = np.unique(hashes[rows], return_index=True)
        out.append((hashes[rows][first], p[rows][first], f"{version}/{code}"))
    return out


def _topics(run: RunFolder) -> TopicResult | None:
    """The run's fitted topic model (one row per post of the run), or None when it kept none."""
    from lib.store.run_folder import read_stored
    from lib.topics.result import TopicResult

    stored = read_stored(run.path, TopicResult.family)
    if stored is None:
        return None
    try:
        return TopicResult.from_stored(stored)
    except (KeyError, ValueError, TypeError) as exc:
        raise InputError(f"{run.path}: its topic model cannot be read ({type(exc).__name__}: {exc})") from None


def _representatives(result: TopicResult | None) -> set[str]:
    return set() if result is None else {str(i) for ids in result.representative.values() for i in ids}


def _of_posts(result: TopicResult, post_ids: pd.Series) -> TopicResult:
    """The topic model reduced to the posts opened (a sampled run keeps its sampled posts)."""
    ids = set(post_ids.astype(str))
    keep = np.fromiter((str(i) in ids for i in result.post_id), dtype=bool, count=len(result.post_id))
    if keep.all():
        return result
    return replace(result, post_id=result.post_id[keep], topic=result.topic[keep], x=result.x[keep],
                   y=result.y[keep], representative={t: [i for i in v if str(i) in ids]
                                                     for t, v in result.representative.items()})


def _run_meta(run: RunFolder, days: list[dict[str, Any]], kept: int, total: int,
              topic_days: list[dict[str, Any]]) -> dict[str, Any]:
    """What the app shows of the whole run when it holds a sample (lib.ui.run_view). `total`: the posts in the
    run's posts files (summary.json counts them before a --languages filter)."""
    s = run.summary
    return {"folder": str(run.path.resolve()), "engine": run.engine, "posts_total": total,
            "posts_shown": kept, "summary": s["summary"], "languages": s.get("languages"),
            "sentiment_labels": (s.get("sentiment") or {}).get("labels"),
            "sentiment_shares": (s.get("sentiment_shares") or {}).get("overall"),
            "per_day": days, "topics": read_topic_sizes(run), "topic_days": topic_days, "alerts": read_alerts(run),
            "alert_sensitivity": (s.get("sentiment") or {}).get("alert_sensitivity")}


def _new_name(run: RunFolder, older: dict[str, Any] | None) -> str:
    """The folder's name; for a newer version of a run already opened, with the time the run finished."""
    name = run.path.resolve().name
    if older is None:
        return name
    finished = pd.Timestamp((run.path / "summary.json").stat().st_mtime, unit="s", tz="UTC")
    return f"{name} (run of {finished:%Y-%m-%d %H:%M} UTC)"


def open_run(ws: Workspace, folder: str | Path, name: str | None = None, max_posts: int = MAX_APP_POSTS,
             seed: int = 0) -> Opened:
    """Save the run in `folder` as a new dataset of `ws` (InputError, and nothing saved, when the folder is
    not a complete, readable run), or, when `ws` already holds this version of the run with the same posts,
    that dataset (`Opened.already`; nothing read or saved, `name` ignored). Everything is read and checked
    before the first write; the dataset and its topic result are saved in two transactions, and the dataset
    goes again if the second fails."""
    from lib.listening.sentiment import text_hash

    run = open_run_folder(folder)
    if max_posts < 1:
        raise InputError("--max-posts is a number of posts, at least 1")
    stamp = fingerprint(run)
    earlier = earlier_opens(ws, run, stamp, max_posts, seed)
    if earlier.same is not None:
        return Opened.existing(earlier.same)
    cols = read_columns(run, FIRST_PASS)  # one pass over every post
    ids, per_day, topic_days = _per_day(cols)
    topics = _topics(run)
    kpis = read_kpis(run, cols)
    best = {t["post_id"] for t in (kpis or {}).get("top_value", [])}  # the whole run's best posts: in the sample
    first = ids["post_id"].isin(_representatives(topics) | best).to_numpy()
    frame = read_rows(run, sample_rows(ids["day"], max_posts, seed, first) if len(ids) > max_posts else None)
    if frame.empty:
        raise InputError(f"{run.path}: the run has no posts")
    posts = coerce_types(frame.drop(columns=[c for c in STEP_COLUMNS if c in frame]))
    hashes = text_hash(frame["text"].fillna("").astype(str)).to_numpy() if "text" in frame else np.array([])
    scores = _scores(frame, run.summary, hashes)
    topics = None if topics is None else _of_posts(topics, posts["post_id"])
    excluded = read_excluded(run)
    name = (name or "").strip() or _new_name(run, earlier.older)
    n_topics = None if topics is None else int(topics.metrics.get("n_topics", (topics.info["topic"] >= 0).sum()))
    extra = {"run": {**_run_meta(run, per_day, len(posts), len(ids), topic_days), "kpis": kpis,
                     "fingerprint": stamp, "seed": seed,
                     "scores_reused": bool(scores), "topics_kept": n_topics}}
    for table, version in scores:
        # a cache: harmless to keep should the save below fail
        ws.put_scores(table[table[["p_negative", "p_neutral", "p_positive"]].notna().all(axis=1)], version)
    if scores:
        for own, probs, key in _emotions(frame, run.summary, hashes):
            ws.put_vectors(own, probs, key)
    ds_id = ws.save_dataset(name, posts, excluded, run.summary.get("import") or {}, raw=None, extra_meta=extra)
    try:
        if topics is not None:
            ws.save_result(ds_id, topics)  # not pipeline.save_topics: the run's vectors are not in this cache
    except BaseException:
        ws.delete(ds_id)
        raise
    return Opened(ds_id, name, run.engine, len(posts), len(ids), bool(scores), n_topics,
                  newer_than=earlier.newer_than)


def import_command(args: argparse.Namespace) -> int:
    """`python -m lib import DIR [--name NAME] [--workspace PATH] [--max-posts N]`."""
    from lib import pipeline
    from lib.store.workspace import Workspace, WorkspaceError

    try:
        with Workspace(args.workspace) as ws:
            opened = open_run(ws, args.folder, args.name,
                              MAX_APP_POSTS if args.max_posts is None else args.max_posts)
            if not opened.already:  # the app runs it the first time it shows the dataset, as after its own import
                pipeline.mark_pending(ws, opened.ds_id, "due")
            where = ws.path
    except WorkspaceError as exc:
        raise InputError(str(exc)) from None
    later = "" if opened.already else (
        "; the app finds " + ("audience segments" if opened.topics is not None else "topics and audience segments")
        + " in the background when it first shows it")
    print(f"{opened.line()}{later} -> {where}", file=sys.stderr)
    return 0


__all__ = ["MAX_APP_POSTS", "Opened", "import_command", "open_run"]
