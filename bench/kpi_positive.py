"""The KPI lab's "positive sentiment" component against the human labels of real posts: VADER's compound (the
reading before 2026-12-05) beside the sentiment label weighed by its confidence (`lib.kpis.value.positive_reading`).

    .venv/bin/python bench/kpi_positive.py          # a table; a few seconds on 2 cores

Sets are bench/eval_shares.py's (evaluation only, read from ../shared/data): TweetEval test, Sentiment140 test,
GoEmotions test (one sentiment group per comment), 400 hand-labelled YouTube comments. The value score ranks posts by
this component's percentile, so what matters is who comes first: of the 10 % of posts it ranks most positive, the
share the raters called negative and positive, and the rank correlation (Spearman) with the raters' -1 / 0 / +1.
"""
from __future__ import annotations

import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import eval_shares  # noqa: E402
from lib.kpis.value import positive_reading  # noqa: E402
from lib.listening.enrich import sentiment_for  # noqa: E402

SETS = ["tweeteval", "sentiment140", "goemotions", "youtube"]


def main() -> None:
    from scipy.stats import spearmanr

    warnings.filterwarnings("ignore")
    print("| set | posts | reading | top 10 %: truly negative | top 10 %: truly positive | Spearman with the labels |")
    print("|---|---|---|---|---|---|")
    for name, posts in eval_shares.sets(SETS).items():
        scored = sentiment_for(posts, None).scores
        frame = pd.concat([posts.drop(columns=[c for c in scored if c in posts]), scored], axis=1)
        truth = posts["truth"].map({"positive": 1, "neutral": 0, "negative": -1}).to_numpy()
        for reading, r in (("VADER compound (before)", frame["sentiment"].astype(float)),
                           ("label x confidence (now)", positive_reading(frame))):
            assert r is not None
            top = (r.rank(pct=True, method="first") > 0.9).to_numpy()
            print(f"| {name} | {len(posts):,} | {reading} | {np.mean(truth[top] == -1):.1%} | "
                  f"{np.mean(truth[top] == 1):.1%} | {spearmanr(r, truth).statistic:.3f} |", flush=True)


if __name__ == "__main__":
    main()
