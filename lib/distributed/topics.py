"""Topics on the Dask engine: one model for the whole run, every partition assigned by it on the workers.

The model is fitted once, on the client, on a seeded sample drawn from the partitions (each partition sends
its share of distinct texts, in proportion to its posts: never every post), with the settings the local engine
would use (`cli.topic_settings_from` -> `pipeline.topic_settings`, brand terms and languages learned from the
sample). Or, with --topics-from RUNDIR, it is an earlier run's stored model. The model is scattered to the
workers once; each partition task applies it with `lib.topics.apply.apply_topics`, the function the local
engine's --topics-from applies, and adds `topic` and `topic_label` to its Parquet file. The embedding model is
loaded once per worker process (the backends keep it in the process).

What does not scale with workers: the fit, on one sample on the client (about a minute with MiniLM's 4,000
posts, whatever the run's size). A rerun fits again (same sample and seed, same model) and reassigns only the
partitions whose topic columns were made by another model (`TopicModel.key` in the partition's partial).
"""
from __future__ import annotations

import argparse
import json
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from lib.distributed import aggregates as agg
from lib.distributed.partitions import Partition, Planned
from lib.distributed.tasks import RETRIES, partial_path, posts_path, write_json, write_parquet
from lib.topics.apply import TopicModel, apply_topics
from lib.topics.result import TopicResult

SAMPLE_COLUMNS = ("post_id", "text", "brand", "language")  # what the fit and its settings read
TOPIC_COLUMNS = ("topic", "topic_label")


# ------------------------------------------------------------------------------------- on the workers
def sample_partition(path: str, quota: int, seed: int, index: int) -> dict[str, Any]:
    """`quota` of the partition's distinct texts drawn with a seed of the run's and the partition's, and how
    many distinct texts it has."""
    import pyarrow.parquet as pq

    names = set(pq.read_schema(path).names)
    posts = pd.read_parquet(path, columns=[c for c in SAMPLE_COLUMNS if c in names])
    norm = posts["text"].fillna("").astype(str).str.strip().str.lower()
    distinct = np.flatnonzero(((norm.str.len() > 0) & ~norm.duplicated()).to_numpy())
    rng = np.random.default_rng([seed, index])
    pick = np.sort(rng.choice(distinct, min(quota, len(distinct)), replace=False))
    return {"index": index, "distinct": int(len(distinct)), "sample": posts.iloc[pick].reset_index(drop=True)}


def assign_partition(path: str, partial: str, model: TopicModel, labels: dict[int, str], key: str
                     ) -> dict[str, Any]:
    """The partition's posts with `topic` and `topic_label` (before `language`, as the local posts.csv), its
    topic aggregates added to its partial last: a partition killed in between is assigned again."""
    began = time.monotonic()
    posts = pd.read_parquet(path)
    posts = posts.drop(columns=[c for c in TOPIC_COLUMNS if c in posts])
    text = posts["text"] if "text" in posts else pd.Series([""] * len(posts), dtype=object)
    topic, counts = apply_topics(text, model, threads=1)  # a Dask task has one thread
    named = pd.Series(topic).map(labels).fillna("Outliers").to_numpy()
    front = posts[[c for c in posts if c != "language"]].assign(topic=topic, topic_label=named)
    posts = front.join(posts[["language"]]) if "language" in posts else front
    write_parquet(posts, Path(path))
    doc = json.loads(Path(partial).read_text(encoding="utf-8"))
    doc["topics"] = {"key": key, **agg.topic_aggregates(posts, counts)}
    write_json(doc, Path(partial))
    return {"index": doc["index"], "topics": doc["topics"], "seconds": round(time.monotonic() - began, 2)}


# -------------------------------------------------------------------------------------- on the client
@dataclass(frozen=True, eq=False)
class Fitted:
    """The run's topic model, the result it came with (the fit on the sample, or the stored one), and what the
    summary says of how it was made."""
    model: TopicModel
    result: TopicResult
    about: dict[str, Any]


def checked(args: argparse.Namespace) -> TopicResult | None:
    """The topic options, refused before any work: the settings' ranges, and --topics-from's stored model
    (returned) with embeddings that can place other posts."""
    from lib.cli import topic_settings_from
    from lib.topics.apply import model_of, stored_model

    if not args.topics_from:
        topic_settings_from(args, pd.DataFrame({"text": pd.Series(dtype=object)}))
        return None
    stored = stored_model(args.topics_from)
    model_of(stored)
    return stored


def _quotas(kept: dict[int, int], n: int) -> dict[int, int]:
    """`n` posts shared among partitions in proportion to their posts (largest remainders; all when fewer)."""
    total = sum(kept.values())
    if total <= n:
        return dict(kept)
    exact = {i: n * k / total for i, k in kept.items()}
    out = {i: int(v) for i, v in exact.items()}
    for i in sorted(exact, key=lambda i: (out[i] - exact[i], i))[:n - sum(out.values())]:
        out[i] += 1
    return out


def _sample(client: Any, parts: list[Partition], out: Path, kept: dict[int, int], n: int, seed: int,
            tag: str) -> tuple[pd.DataFrame, int]:
    """The seeded sample of the run's posts the model is fitted on, and the run's distinct texts (summed over
    partitions: copies across partitions are counted in each)."""
    quotas = _quotas(kept, n)
    futures = [client.submit(sample_partition, str(posts_path(out, p)), quotas[p.index], seed, p.index,
                             retries=RETRIES, key=f"sample-{p.stem}-{tag}") for p in parts if quotas[p.index]]
    got = sorted(client.gather(futures), key=lambda r: r["index"])
    frames = [r["sample"] for r in got]
    sample = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame({"post_id": [], "text": []})
    return sample, sum(r["distinct"] for r in got)


def fit_on_sample(client: Any, parts: list[Partition], out: Path, kept: dict[int, int],
                  args: argparse.Namespace, progress: Any, tag: str) -> Fitted:
    """The model fitted on a sample, with the local engine's settings for it. The fit's choice of how the posts
    beyond the sample get their topic (`pipeline.topic_settings`: by words with a slow model when there are
    more distinct texts than the sample) is made on the whole run's distinct texts, not the sample's."""
    from lib.cli import topic_settings_from
    from lib.embeddings.registry import BACKENDS, resolve
    from lib.topics.apply import model_of_fit
    from lib.topics.fit import fit_topics

    probe = topic_settings_from(args, pd.DataFrame({"text": pd.Series(dtype=object)}))
    sample, distinct = _sample(client, parts, out, kept, probe.fit_sample, probe.seed, tag)
    progress(f"topics: a sample of {len(sample):,} posts from {len(parts)} partitions to fit on "
             f"({distinct:,} distinct texts in all)", 0.0)
    settings = topic_settings_from(args, sample)
    if args.assign_rest is None and BACKENDS[resolve(settings.backend)].cached and distinct > settings.fit_sample:
        settings = replace(settings, assign_rest="words")
    began = time.monotonic()

    def stage(msg: str, frac: float) -> None:
        if ":" not in msg:  # the fit's stages, not its per-batch counts
            progress(f"topics fit: {msg}", frac)

    result = fit_topics(sample, settings, stage=stage)
    model, agreement = model_of_fit(result, sample["text"])
    progress(f"topics: {result.metrics['n_topics']} topics fitted on {result.metrics['n_fit']:,} posts in "
             f"{time.monotonic() - began:.1f} s; the other posts by {model.assigned_by}", 0.0)
    about = {"sample": int(len(sample)), "distinct_texts": distinct, "words_agreement": agreement,
             "assigned_by": model.assigned_by,
             "words_vectors": model.words is not None and model.words.vectors is not None}
    return Fitted(model, result, about)


def from_stored(stored: TopicResult, folder: str) -> Fitted:
    from lib.topics.apply import model_of

    model = model_of(stored)
    return Fitted(model, replace(stored, representative={}),
                  {"applied_from": str(Path(folder).resolve()), "assigned_by": model.assigned_by})


def assign_all(client: Any, parts: list[Partition], out: Path, fitted: Fitted, docs: list[dict], progress: Any,
               tag: str) -> tuple[list[dict], int]:
    """Every partition's topic aggregates, assigning only the partitions whose topic columns another model made
    (or none did); returns them in partition order and how many were assigned now."""
    from distributed import as_completed

    from lib.topics.views import effective

    key = fitted.model.key()
    table = effective(fitted.result)[1]
    labels = dict(zip(table["topic"].astype(int), table["label"])) | {-1: "Outliers"}
    own = {d["index"]: d["topics"] for d in docs if d.get("topics", {}).get("key") == key}
    todo = [p for p in parts if p.index not in own]
    progress(f"topics: {len(todo)} of {len(parts)} partitions to assign ({len(parts) - len(todo)} already "
             "assigned by this model)", 0.0)
    if todo:
        model = client.scatter(fitted.model, broadcast=True, hash=False)  # once, not with every task
        by_key, futures = {}, []
        for p in todo:
            f = client.submit(assign_partition, str(posts_path(out, p)), str(partial_path(out, p, ".json")), model,
                              labels, key, retries=RETRIES, key=f"topics-{p.stem}-{tag}")
            by_key[f.key] = p
            futures.append(f)
        for i, future in enumerate(as_completed(futures, loop=client.loop), 1):
            r = future.result()
            own[r["index"]] = r["topics"]
            p = by_key[future.key]
            progress(f"topics {p.stem} ({p.name}): {sum(r['topics']['sizes'].values()):,} posts assigned in "
                     f"{r['seconds']:.1f} s ({i} of {len(todo)})", i / len(todo))
    return [own[p.index] for p in parts], len(todo)


def _run_topics(out: Path, parts: list[Partition]) -> tuple[np.ndarray, np.ndarray]:
    """Every post's id and topic, read back from the partitions' Parquet files (two columns only)."""
    ids, topics = [], []
    for p in parts:
        frame = pd.read_parquet(posts_path(out, p), columns=["post_id", "topic"])
        ids.append(frame["post_id"].astype(str).to_numpy())
        topics.append(frame["topic"].to_numpy(dtype=np.int64))
    return (np.concatenate(ids), np.concatenate(topics)) if ids else (np.array([], dtype=str), np.array([], int))


def write_outputs(out: Path, parts: list[Partition], fitted: Fitted, aggs: list[dict], assigned: int) -> dict:
    """DIR/topics.csv from the partitions' aggregates, DIR/results/topics (the model with one row per post of
    the run, `lib.topics.apply.covering`), and summary.json's topics section."""
    from lib.report.export import write_csv
    from lib.store.run_folder import write_result
    from lib.topics.apply import applied_metrics, covering
    from lib.topics.views import effective

    m = agg.merge_topics(aggs)
    write_csv(agg.topics_table(m, effective(fitted.result)[1]), out / "topics.csv")
    ids, topics = _run_topics(out, parts)
    metrics = applied_metrics(m["counts"], len(ids), fitted.about.get("applied_from"))
    if "words_agreement" in fitted.about:
        metrics["words_agreement"] = fitted.about["words_agreement"]
    result = covering(fitted.result, ids, topics, {**metrics, "engine": "dask", **fitted.about})
    write_result(out, result)
    r = result.metrics
    return {"settings": json.loads(result.settings.to_json()), "embeddings": result.backend, "topics": r["n_topics"],
            "outliers_before": r["outliers_before"], "outliers_after": r["outliers_after"], "fitted_on": r["n_fit"],
            "assigned_by_words": r["assigned_by_words"], "words_agreement": r["words_agreement"],
            "seconds": r["timings"], **fitted.about, "model": fitted.model.key(),
            "partitions": {"assigned": assigned, "reused": len(parts) - assigned}}


def run_topics(client: Any, args: argparse.Namespace, plan: Planned, out: Path, docs: list[dict], progress: Any,
               stored: TopicResult | None, tag: str) -> dict:
    """The topics step of a Dask run (after the listening pass wrote every partition): the model, every
    partition assigned, the outputs; returns summary.json's topics section."""
    parts = plan.partitions
    if stored is not None:
        fitted = from_stored(stored, args.topics_from)
    else:
        kept = {d["index"]: int(d["aggregates"]["kept"]) for d in docs}
        fitted = fit_on_sample(client, parts, out, kept, args, progress, tag)
    aggs, assigned = assign_all(client, parts, out, fitted, docs, progress, tag)
    return write_outputs(out, parts, fitted, aggs, assigned)
