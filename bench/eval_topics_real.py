"""Topic recovery on the labelled real sets: Listening Lab's default topics beside stock BERTopic, same run.

    .venv/bin/python bench/eval_topics_real.py [--seeds 3] [--backends minilm wordllama]

Part of bench/eval_real.py (the one command); runnable alone for the topic rows only.

Sets (read from ../shared/data, never copied here); where topics make sense:
- TweetTopic-XL English, all 1,000 tweets (no model is trained, so every split is used): label = each tweet's
  most specific topic (the rarest of its labels; "Diaries & Daily Life" is on half the tweets and the listed
  order is alphabetical, so "the first label" mostly says which name sorts first). AMI against the first
  label is printed too;
- Banking77 test, 3,080 customer-support queries: label = the intent (77);
- Sentiment140 test, 498 tweets: brand = its `query` (81 values); no topic labels;
- YouTube spam collection, 1,956 comments: brand = the video they are under (5 artists); no topic labels.
- TweetTopic-XL Spanish, Greek and Japanese, 1,000 tweets each, labelled like the English: the pipeline embeds
  them with the multilingual E5 model; the `--backends` rows show the English-only models on the same tweets;
- the four languages' 4,000 tweets as one mixed export, labelled alike.
Left out: GoEmotions, TweetEval, emotion (their labels are emotions or sentiment, not what is talked about).

Pipelines, each fitted `--seeds` times (seeds 42, 43, ...; stock has no seed: its UMAP runs unseeded, as
its defaults do) and averaged:
- Listening Lab: lib.topics.fit.fit_topics with lib.pipeline.topic_settings(posts), the defaults the app, the
  background job and the command line use (text prepared for meaning by lib.topics.prepare); `--backends`
  adds rows with another text representation;
- stock: `BERTopic()` with its defaults (UMAP, HDBSCAN min_cluster_size 10, CountVectorizer, no outlier
  reduction) on the raw texts, given all-MiniLM-L6-v2 vectors of those raw texts. They come from our offline
  ONNX MiniLM (lib/embeddings/minilm.py, cosine ~0.999 to the original): sentence-transformers and torch are
  not installable here. Stock's own embedder would be sentence-transformers in torch (fp32), about half this
  speed on 2 cores, so stock's time here is its best case.

Figures: topics; outlier share; AMI (adjusted mutual information) between the topics and the labels (or the
brand) over all posts, the outliers counted as one group (leaving posts out is not rewarded); how many topic
labels (top three keywords) hold a brand word or handle (a word of lib.topics.prepare.learn_brand_terms or
an "@"); seconds end to end from the texts to the topics. Timing: both sides are warmed up first (imports,
numba compilation: the app does that at server start). Vectors are read from a disk cache (tmp/, so a rerun
is fast); the embedding time counted is what embedding would cost from scratch: the texts the pipeline
embeds (ours: distinct prepared texts; stock: every raw text) times the seconds per text measured in this
run on 256 of them. On a busy machine seconds vary; the speed-up (stock / ours) is measured side by side.
"""
from __future__ import annotations

import argparse
import json
import logging
import sys
import time
import warnings
from collections.abc import Callable
from dataclasses import replace
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / "shared" / "data"
CACHE = ROOT / "tmp" / "eval_real_cache.duckdb"  # vectors by text hash, kept between runs (tmp/ is ignored)
CALIBRATION = 256  # texts embedded from scratch per set and representation to measure the rate

from lib.embeddings.cache import embed  # noqa: E402
from lib.embeddings.registry import BACKENDS, resolve  # noqa: E402
from lib.pipeline import brand_stopwords, topic_settings  # noqa: E402
from lib.store.workspace import Workspace  # noqa: E402
from lib.topics.fit import fit_topics, meaning_texts, warm_up  # noqa: E402


# ------------------------------------------------------------------------------------------------ the sets
def tweettopic(folder: str) -> Callable[[], pd.DataFrame]:
    """TweetTopic-XL's tweets in one language (en, es, gr = Greek, ja), all 1,000 (no model is trained here)."""
    def load() -> pd.DataFrame:
        rows = [json.loads(line) for part in ("train", "validation", "test")
                for line in (DATA / "tweettopic_xl" / folder / f"{folder}_{part}.jsonl").open(encoding="utf-8")]
        freq = pd.Series([t for r in rows for t in r["topics"]]).value_counts()
        return pd.DataFrame({"post_id": [str(r["id"]) for r in rows], "text": [r["text"] for r in rows],
                             "label": [min(r["topics"], key=lambda t: (freq[t], t)) for r in rows],
                             "label_first": [r["topics"][0] for r in rows]})
    return load


def banking77() -> pd.DataFrame:
    d = pd.read_csv(DATA / "banking77" / "test.csv")
    return pd.DataFrame({"post_id": d.index.astype(str), "text": d["text"], "label": d["category"]})


def banking77_all() -> pd.DataFrame:
    """Train and test: more distinct texts than a sentence-model fit embeds by default (the rest join a topic by
    their words), so this row shows what that sample costs."""
    d = pd.concat([pd.read_csv(DATA / "banking77" / f"{part}.csv") for part in ("train", "test")], ignore_index=True)
    return pd.DataFrame({"post_id": d.index.astype(str), "text": d["text"], "label": d["category"]})


def sentiment140() -> pd.DataFrame:
    d = pd.read_csv(DATA / "sentiment140_test" / "testdata.manual.2009.06.14.csv")
    return pd.DataFrame({"post_id": d["tweet_id"].astype(str), "text": d["text"], "brand": d["query"]})


def youtube() -> pd.DataFrame:
    d = pd.read_csv(DATA / "youtube_spam" / "DERIVED_youtube_spam_all.csv")
    return pd.DataFrame({"post_id": d.index.astype(str), "text": d["CONTENT"], "brand": d["VIDEO"]})


def tweettopic_mixed() -> pd.DataFrame:
    """The four languages' 4,000 tweets as one export (a brand's mentions worldwide), labelled as above."""
    parts = [tweettopic(folder)() for folder in ("en", "es", "gr", "ja")]
    return pd.concat(parts, ignore_index=True).assign(post_id=lambda d: [f"t{i}" for i in range(len(d))])


SETS: dict[str, Callable[[], pd.DataFrame]] = {
    "TweetTopic-XL en, 1,000 tweets (label: most specific topic)": tweettopic("en"),
    "Banking77 test, 3,080 queries (label: intent)": banking77,
    "Banking77 train + test, 13,083 queries (label: intent)": banking77_all,
    "Sentiment140 test, 498 tweets (brand: query)": sentiment140,
    "YouTube comments, 1,956 (brand: video)": youtube,
    "TweetTopic-XL es, 1,000 tweets (label: most specific topic)": tweettopic("es"),
    "TweetTopic-XL el, 1,000 tweets (label: most specific topic)": tweettopic("gr"),
    "TweetTopic-XL ja, 1,000 tweets (label: most specific topic)": tweettopic("ja"),
    "TweetTopic-XL en+es+el+ja mixed, 4,000 tweets (label: most specific topic)": tweettopic_mixed,
}


# ------------------------------------------------------------------------------------------------- timing
@cache
def workspace() -> Workspace:
    CACHE.parent.mkdir(exist_ok=True)
    return Workspace(CACHE)


def embed_seconds(texts: pd.Series, backend: str) -> float:
    """Seconds to embed these texts from scratch with `backend`: every text for a fast backend, else the
    rate on `CALIBRATION` of them (embedded now, not from the cache) times their number."""
    chosen = BACKENDS[resolve(backend)]
    todo = texts.fillna("").astype(str).tolist()
    if not chosen.cached:
        t0 = time.perf_counter()
        chosen.encode(todo)
        return time.perf_counter() - t0
    sample = pd.Series(todo).sample(min(CALIBRATION, len(todo)), random_state=0).tolist()
    t0 = time.perf_counter()
    chosen.encode(sample)
    return (time.perf_counter() - t0) * len(todo) / max(len(sample), 1)


def warm_stock() -> None:
    """Stock's numba kernels compiled (unseeded UMAP takes other code paths than ours) on a tiny problem."""
    from bertopic import BERTopic

    rng = np.random.default_rng(0)
    docs = [" ".join(rng.choice(["alpha", "beta", "gamma", "delta", "omega"], 6)) for _ in range(200)]
    vectors = rng.normal(size=(200, 16)).astype(np.float32)
    BERTopic().fit_transform(docs, embeddings=vectors)
    BACKENDS["minilm"].encode(["warming up"])


# ------------------------------------------------------------------------------------------------ fitting
NEIGHBOURS: int | None = None  # --neighbours: UMAP's neighbourhood for our fits (None: the app's default)


def ours(posts: pd.DataFrame, seed: int, backend: str | None = None) -> dict:
    """The pipeline's default topics (or with another representation); seconds end to end."""
    settings = replace(topic_settings(posts, backend=backend), seed=seed)  # that representation's own defaults
    if NEIGHBOURS is not None:
        settings = replace(settings, neighbours=NEIGHBOURS)
    t0 = time.perf_counter()
    res = fit_topics(posts, settings, ws=workspace())
    fit = time.perf_counter() - t0 - res.metrics["timings"]["embeddings"]
    texts = meaning_texts(posts["text"], settings)
    unique = pd.Series(texts.unique())  # posts beyond the fitted sample that joined a topic by words: not embedded
    embedded = embed_seconds(unique.head(len(unique) - res.metrics.get("assigned_by_words", 0)), settings.backend)
    named = res.info[res.info["topic"] != -1]
    labels = dict(zip(named["topic"].tolist(), named["label"].tolist(), strict=True))
    return {"topic": res.topic, "labels": labels, "seconds": fit + embedded, "backend": res.backend}


def stock(posts: pd.DataFrame, seed: int) -> dict:
    """BERTopic() with its defaults on the raw texts and their MiniLM vectors (`seed` unused: stock is
    unseeded)."""
    from bertopic import BERTopic

    docs = posts["text"].fillna("").astype(str)
    vectors = embed(docs, workspace(), "minilm").vectors
    t0 = time.perf_counter()
    model = BERTopic()
    logging.getLogger("BERTopic").setLevel(logging.ERROR)
    topics, _ = model.fit_transform(docs.tolist(), embeddings=vectors)
    fit = time.perf_counter() - t0
    labels = {t: " · ".join(w for w, _ in (model.get_topic(t) or [])[:3]) for t in sorted(set(topics)) if t != -1}
    return {"topic": np.asarray(topics), "labels": labels, "seconds": fit + embed_seconds(docs, "minilm"),
            "backend": "minilm"}


def branded(labels: list[str], brand_words: set[str]) -> int:
    """Topic labels with a brand word or a handle among their words."""
    def hit(label: str) -> bool:
        words = {w for part in label.lower().split(" · ") for w in part.split()}
        return "@" in label or bool(words & brand_words)
    return sum(hit(x) for x in labels)


def scores(posts: pd.DataFrame, run: dict) -> dict[str, float]:
    from sklearn.metrics import adjusted_mutual_info_score as ami

    topic = run["topic"]
    row = {"topics": len(set(topic.tolist()) - {-1}), "outliers": float(np.mean(topic == -1)),
           "seconds": run["seconds"]}
    for col, key in (("label", "ami"), ("label_first", "ami_first"), ("brand", "ami_brand")):
        row[key] = float(ami(posts[col].astype(str), topic)) if col in posts else np.nan
    row["branded"] = np.nan
    if "brand" in posts:
        words = {w for t in brand_stopwords(posts) for w in t.split()}
        row["branded"] = branded(list(run["labels"].values()), words)
    return row


def pipelines(posts: pd.DataFrame, backends: tuple[str, ...]) -> dict[str, Callable[[pd.DataFrame, int], dict]]:
    """Name -> fit(posts, seed): ours with the defaults, ours with each other representation asked for, stock."""
    default = resolve(topic_settings(posts).backend)
    runs: dict[str, Callable[[pd.DataFrame, int], dict]] = {
        f"Listening Lab ({BACKENDS[default].display_name}, default)": ours}
    for b in dict.fromkeys(resolve(b) for b in backends):
        if b != default:
            runs[f"Listening Lab with {BACKENDS[b].display_name}"] = lambda p, s, b=b: ours(p, s, b)
    runs["stock BERTopic (MiniLM)"] = stock
    return runs


def topic_rows(seeds: int = 3, backends: tuple[str, ...] = (), only: str = "") -> pd.DataFrame:
    """One row per set (those whose name contains one of `only`'s comma-separated parts) and pipeline, means
    over the seeds: the figures above."""
    warnings.filterwarnings("ignore")
    warm_up()
    warm_stock()
    rows = []
    for name, load in SETS.items():
        if not any(part in name for part in only.split(",")):
            continue
        posts = load()
        runs = pipelines(posts, backends)
        for pipeline, run in runs.items():
            got = pd.DataFrame([scores(posts, run(posts, seed)) for seed in range(42, 42 + seeds)]).mean()
            rows.append({"set": name, "pipeline": pipeline, **got.to_dict()})
        stock_s = rows[-1]["seconds"]
        for r in rows[-len(runs):]:
            r["speedup"] = stock_s / r["seconds"]
    return pd.DataFrame(rows)


def fmt(v: float, spec: str) -> str:
    return "–" if v != v else format(v, spec)


def print_topic_table(table: pd.DataFrame) -> None:
    print("| set | pipeline | topics | outliers | AMI (labels) | AMI (first label) | AMI (topic, brand) "
          "| labels naming a brand | seconds | × stock's speed |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    last = None
    for r in table.itertuples():
        print(f"| {r.set if r.set != last else ''} | {r.pipeline} | {r.topics:.1f} | {r.outliers:.1%} | "
              f"{fmt(r.ami, '.3f')} | {fmt(r.ami_first, '.3f')} | {fmt(r.ami_brand, '.3f')} | "
              f"{fmt(r.branded, '.1f')} | {r.seconds:.1f} | {r.speedup:.1f}× |", flush=True)
        last = r.set


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--backends", nargs="*", default=["wordllama", "minilm"],
                    help="other text representations to show beside the default")
    ap.add_argument("--only", default="",
                    help="only the sets whose name contains one of these, comma-separated (e.g. 'XL es,XL el')")
    ap.add_argument("--neighbours", type=int, default=None,
                    help="UMAP's neighbourhood for our fits (default: the app's), to measure another default")
    args = ap.parse_args()
    global NEIGHBOURS
    NEIGHBOURS = args.neighbours
    print_topic_table(topic_rows(args.seeds, tuple(args.backends), args.only))


if __name__ == "__main__":
    main()
