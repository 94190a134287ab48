"""Topics on real labelled tweets, before and after the text is prepared for meaning (lib.topics.prepare).

    .venv/bin/python bench/eval_topics_real.py [--seeds 3] [--backends wordllama minilm]

Sets (read from ../shared/data, never copied here):
- Sentiment140 test (498 tweets): brand = its `query` column (81 values: "time warner", "nike", "kindle2" ...);
  it has no topic labels, so AMI against labels is left out and AMI(topic, brand) is what it measures;
- TweetTopic-XL English test split (800 tweets): label = the first of each tweet's topics; no brand.

Two runs of lib.topics.fit.fit_topics per set, same process, seeds and defaults otherwise:
- before: `prepare_text=False` and extra words to ignore = the first 20 brands, lower-cased (the defaults before
  the change: raw text embedded, brand names only kept out of the keywords);
- after: lib.pipeline.topic_settings(posts), the defaults the app, background job and command line use.

Figures, mean over the seeds: topics; outlier share; AMI between topics and the labels (and the brand), over all
posts with the outliers as one group; how many topic labels contain a brand word or a handle (a word of the
dataset's brands, of their learned handles, or an "@"); seconds per fit (embeddings included, no cache; the
embedder, imports and numba are warmed up first). Stock BERTopic is not run here: it needs the torch venv
(.bench-venv, bench/topics_vs_stock.py), which is not installed on this machine.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
import warnings
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / "shared" / "data"

from lib.pipeline import brand_stopwords, topic_settings  # noqa: E402
from lib.topics.fit import fit_topics, warm_up  # noqa: E402
from lib.topics.result import TopicSettings  # noqa: E402


def sentiment140() -> tuple[pd.DataFrame, str | None]:
    d = pd.read_csv(DATA / "sentiment140_test" / "testdata.manual.2009.06.14.csv")
    return pd.DataFrame({"post_id": d["tweet_id"].astype(str), "text": d["text"], "brand": d["query"]}), None


def tweettopic() -> tuple[pd.DataFrame, str | None]:
    rows = [json.loads(line) for line in (DATA / "tweettopic_xl" / "en" / "en_test.jsonl").open(encoding="utf-8")]
    return pd.DataFrame({"post_id": [str(r["id"]) for r in rows], "text": [r["text"] for r in rows],
                         "label": [r["topics"][0] for r in rows]}), "label"


SETS = {"Sentiment140 test (query = brand)": sentiment140, "TweetTopic-XL en test (first label)": tweettopic}


def before_settings(posts: pd.DataFrame, backend: str, seed: int) -> TopicSettings:
    """The defaults before the change: raw text, the first 20 brands (unsplit) ignored as keywords only."""
    old = tuple(sorted({str(b).lower() for b in posts["brand"].dropna().unique()})[:20]) if "brand" in posts else ()
    return TopicSettings(extra_stopwords=old, prepare_text=False, backend=backend, seed=seed)


def branded_labels(labels: pd.Series, brand_words: set[str]) -> int:
    """Topic labels (outliers left out) with a brand word or handle among their words."""
    def hit(label: str) -> bool:
        words = {w for part in label.lower().split(" · ") for w in part.split()}
        return "@" in label or bool(words & brand_words)
    return int(sum(hit(str(x)) for x in labels))


def measure(posts: pd.DataFrame, label: str | None, settings: TopicSettings) -> dict[str, float]:
    from sklearn.metrics import adjusted_mutual_info_score as ami

    t0 = time.perf_counter()
    res = fit_topics(posts, settings)
    seconds = time.perf_counter() - t0
    labels = res.info.loc[res.info["topic"] != -1, "label"]
    row = {"topics": res.metrics["n_topics"], "outliers": float(np.mean(res.topic == -1)), "seconds": seconds,
           "ami": ami(posts[label], res.topic) if label else np.nan,
           "ami_brand": ami(posts["brand"], res.topic) if "brand" in posts else np.nan, "branded": np.nan}
    if "brand" in posts:
        words = {w for t in brand_stopwords(posts) for w in t.split()}
        row["branded"] = branded_labels(labels, words)
    return row


def fmt(v: float, spec: str) -> str:
    return "—" if v != v else format(v, spec)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--backends", nargs="+", default=["wordllama", "minilm"])
    args = ap.parse_args()
    warnings.filterwarnings("ignore")
    warm_up()
    print("| Set | Embeddings | Text | Topics | Outliers | AMI (labels) | AMI (brand) | Labels with a brand "
          "| Seconds |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name, load in SETS.items():
        posts, label = load()
        for backend in args.backends:
            for mode in ("before", "after"):
                rows = []
                for seed in range(42, 42 + args.seeds):
                    after = replace(topic_settings(posts), backend=backend, seed=seed)
                    rows.append(measure(posts, label, after if mode == "after" else
                                        before_settings(posts, backend, seed)))
                m = pd.DataFrame(rows).mean()
                print(f"| {name} | {backend} | {mode} | {m['topics']:.1f} | {m['outliers']:.1%} | "
                      f"{fmt(m['ami'], '.3f')} | {fmt(m['ami_brand'], '.3f')} | {fmt(m['branded'], '.1f')} | "
                      f"{m['seconds']:.1f} |", flush=True)


if __name__ == "__main__":
    main()
