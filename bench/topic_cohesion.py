"""Cohesion and splitting on real labelled sets: does the flag find topics that mix labels, and does splitting them
recover the labels?

    .venv/bin/python bench/topic_cohesion.py [--seeds 3]

For TweetTopic-XL English (1,000 tweets, label: the most specific topic) and Banking77 test (3,080 queries, label:
the intent), as read by bench/eval_topics_real.py: one fit per seed (42, 43, ...) with the app's defaults. Figures,
means over the seeds:
- purity: the share of a topic's posts that carry its most common label, over the topics the Topics page flags as
  mixing subjects (`lib.topics.views.loose_topics`: cohesion far below the dataset's median) and over the others;
- AMI with the labels before and after every flagged topic is split automatically (`lib.topics.split`, parts
  chosen by the silhouette), the topic count before and after;
- the fit's cohesion floor (how alike its posts are taken together, the raw cosine cohesion starts from), the
  median topic's cohesion and the flagged topics' mean cohesion, on that scale.
The baseline is the fit itself, unsplit; stock BERTopic has neither cohesion nor a split.
"""
from __future__ import annotations

import argparse
import sys
import warnings
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import eval_topics_real as real  # noqa: E402
from lib.pipeline import topic_settings  # noqa: E402
from lib.topics.apply import fit_space_vectors  # noqa: E402
from lib.topics.fit import fit_topics, meaning_texts, warm_up  # noqa: E402
from lib.topics.split import SplitSettings, split_topic  # noqa: E402
from lib.topics.views import loose_topics  # noqa: E402

SETS = {k: v for k, v in real.SETS.items() if any(s in k for s in ("XL en,", "Banking77 test"))}


def purity(labels: pd.Series, topic: np.ndarray, topics: list[int]) -> float:
    return float(np.mean([labels[topic == t].value_counts(normalize=True).iloc[0] for t in topics])) \
        if topics else float("nan")


def one_fit(posts: pd.DataFrame, seed: int) -> dict[str, float]:
    from sklearn.metrics import adjusted_mutual_info_score as ami

    res = fit_topics(posts, replace(topic_settings(posts), seed=seed), ws=real.workspace())
    labels = posts["label"].astype(str).reset_index(drop=True)
    text = posts["text"].reset_index(drop=True)
    ids = [int(t) for t in res.info["topic"] if t != -1]
    flagged = loose_topics(res.info[res.info["topic"] != -1])
    split = res
    for t in flagged:
        split = split_topic(split, meaning_texts(text, split.settings),
                            lambda rows, r=split: fit_space_vectors(text.iloc[rows], r, real.workspace()),
                            SplitSettings(t, 0, seed)).result
    alike = res.info.set_index("topic")["cohesion"]
    return {"topics": len(ids), "flagged": len(flagged), "floor": float(res.metrics["cohesion_floor"]),
            "median cohesion": float(alike.loc[ids].median()),
            "flagged cohesion": float(alike.loc[flagged].mean()) if flagged else float("nan"),
            "purity flagged": purity(labels, res.topic, flagged),
            "purity others": purity(labels, res.topic, [t for t in ids if t not in flagged]),
            "AMI": float(ami(labels, res.topic)), "AMI split": float(ami(labels, split.topic)),
            "topics split": len(set(split.topic.tolist()) - {-1})}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=3)
    seeds = ap.parse_args().seeds
    warnings.filterwarnings("ignore")
    warm_up()
    print("| set | topics | flagged | purity of flagged topics | of the others | AMI | AMI, flagged topics split "
          "| topics then | floor (raw cosine) | median cohesion | flagged cohesion |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for name, load in SETS.items():
        if not real.DATA.exists():
            break
        posts = load()
        m = pd.DataFrame([one_fit(posts, s) for s in range(42, 42 + seeds)]).mean()
        print(f"| {name} | {m['topics']:.1f} | {m['flagged']:.1f} | {m['purity flagged']:.0%} | "
              f"{m['purity others']:.0%} | {m['AMI']:.3f} | {m['AMI split']:.3f} | {m['topics split']:.1f} | "
              f"{m['floor']:.3f} | {m['median cohesion']:.2f} | {m['flagged cohesion']:.2f} |",
              flush=True)


if __name__ == "__main__":
    main()
