"""Rebuild the shipped public sentiment model from the MIT-licensed VADER ground truth.

    python -m lib.listening.train [PATH/TO/DERIVED_vader_groundtruth_all.csv]

Data: the human ratings of Hutto & Gilbert (2014), MIT licence (tweets, Amazon review, movie review
and NYT editorial snippets; mean of about 20 ratings on -4..+4). A mean above +0.5 is positive, below
-0.5 negative, else neutral. Tweets count double: social posts are what the app reads.
"""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

from lib.listening.sentiment import MODEL_PATH, PublicModel, features, vader_scores

DEFAULT_DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "vader_groundtruth" / \
    "DERIVED_vader_groundtruth_all.csv"
THRESHOLD = 0.5


def ratings_to_labels(mean: pd.Series) -> pd.Series:
    return pd.Series(np.where(mean > THRESHOLD, "positive", np.where(mean < -THRESHOLD, "negative", "neutral")),
                     index=mean.index)


def fit_public_model(data: pd.DataFrame) -> PublicModel:
    from scipy.sparse import csr_matrix, hstack
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    texts = data["text"].astype(str)
    y = ratings_to_labels(data["mean_sentiment"])
    vec = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, max_features=30000)
    x = hstack([vec.fit_transform(texts), csr_matrix(features(texts, vader_scores(texts, workers=1)))]).tocsr()
    weight = np.where(data["corpus"] == "tweets", 2.0, 1.0)
    clf = LogisticRegression(C=0.5, max_iter=4000, class_weight="balanced", random_state=0)
    clf.fit(x, y, sample_weight=weight)
    return PublicModel(vec, clf)


def main(path: str | None = None) -> None:
    data = pd.read_csv(path or DEFAULT_DATA)
    model = fit_public_model(data)
    MODEL_PATH.parent.mkdir(exist_ok=True)
    model.save(MODEL_PATH)  # library objects only: the file does not depend on where PublicModel lives
    print(f"{MODEL_PATH} ({MODEL_PATH.stat().st_size / 1e6:.1f} MB) from {len(data)} rated texts", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else None)
