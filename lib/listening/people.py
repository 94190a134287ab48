"""Advocates, detractors and influencers: authors ranked by how they feel and how far they reach."""
from __future__ import annotations

import numpy as np
import pandas as pd

from lib.listening.alerts import engagement

CLEAR_NET = 0.3  # an advocate's net sentiment (share positive - share negative) is above this; a detractor's below -it


def authors(posts: pd.DataFrame, label_col: str = "sentiment_label") -> pd.DataFrame:
    """One row per author: posts, positive/negative shares, net sentiment, mean VADER compound,
    followers (largest seen), engagement received, a reach score (log followers + log engagement), and whether
    their posts look like spam or bot activity (`likely_bot`)."""
    if "author" not in posts or posts["author"].isna().all():
        return pd.DataFrame()
    df = posts.dropna(subset=["author"])
    followers = df["followers"].astype("Float64").fillna(0).astype(float) if "followers" in df else 0.0
    frame = pd.DataFrame({"author": df["author"].astype(str), "positive": df[label_col] == "positive",
                          "negative": df[label_col] == "negative", "compound": df.get("sentiment", np.nan),
                          "followers": followers, "engagement": engagement(df)})
    g = frame.groupby("author")
    out = pd.DataFrame({"posts": g.size(), "share_positive": g["positive"].mean(),
                        "share_negative": g["negative"].mean(), "mean_compound": g["compound"].mean(),
                        "followers": g["followers"].max(), "engagement": g["engagement"].sum()})
    out["net"] = out["share_positive"] - out["share_negative"]
    out["reach_score"] = np.log1p(out["followers"]) + np.log1p(out["engagement"])
    out["likely_bot"] = _likely_bots(df).reindex(out.index, fill_value=False)
    return out.reset_index()


def _likely_bots(posts: pd.DataFrame) -> pd.Series:
    """Per author, whether their posts look like spam or bot activity on average (the KPI lab's rule,
    lib.kpis.authenticity): on real YouTube comments the top "advocates" were channel promoters."""
    from lib.kpis.authenticity import author_scores

    if "text" not in posts:
        return pd.Series(dtype=bool)
    return author_scores(posts.assign(author=posts["author"].astype(str))).set_index("author")["likely_bot"]


def rank(table: pd.DataFrame, kind: str, min_posts: int = 1, n: int = 20) -> pd.DataFrame:
    """advocates: clearly positive, by reach x positivity; detractors: clearly negative, by reach x
    negativity; influencers: by reach alone. Authors whose posts look like spam or bot activity are none of
    these."""
    t = table[table["posts"] >= min_posts]
    if "likely_bot" in t:
        t = t[~t["likely_bot"]]
    if kind == "advocates":
        t = t[t["net"] > CLEAR_NET].assign(score=lambda d: d["reach_score"] * d["net"])
    elif kind == "detractors":
        t = t[t["net"] < -CLEAR_NET].assign(score=lambda d: d["reach_score"] * -d["net"])
    elif kind == "influencers":
        t = t.assign(score=t["reach_score"])
    else:
        raise ValueError(kind)
    # ties (an export without followers or engagement has a reach of 0 for everyone) go to the clearer feeling, then
    # to the more posts: on real tweets without reach, an author at +0.38 was listed above one at +0.63
    strength = t["net"].abs() if kind != "influencers" else pd.Series(0.0, index=t.index)
    return (t.assign(_strength=strength).sort_values(["score", "_strength", "posts"], ascending=False)
            .drop(columns="_strength").head(n).reset_index(drop=True))
