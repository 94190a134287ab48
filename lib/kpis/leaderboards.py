"""What the value score ranks: groups (brand, platform, post type, campaign), the top posts, the posts vanity and
value disagree on most, trends per period, and share of voice against share of influence. Everything that does
not depend on the weights is computed once (on the `ValueResult`), so a slider move costs a bincount."""
from __future__ import annotations

import numpy as np
import pandas as pd

from lib.kpis.engagement import engagement, numeric, rate_basis
from lib.kpis.signal import no_signal
from lib.kpis.value import ValueResult
from lib.topics.prepare import WORDED

MIN_GROUP_POSTS = 5  # a group with fewer posts is no basis for "what works"

# The KPI lab's tabs, in order (the page computes only the open one; tests open each by name)
TABS = ("Posts: vanity vs value", "Brands, platforms, types", "Share of voice vs influence", "Authenticity", "Trends")


def group_leaderboard(model: ValueResult, ranks: pd.DataFrame, by: str, min_posts: int = 0) -> pd.DataFrame:
    """Per group (brand, platform, post type, campaign): posts, likes, engagement, mean vanity and mean value
    with both ranks. Only the mean value depends on the weights: one bincount per slider move. With `min_posts`,
    groups of fewer posts are left out and the ranks are among the rest, where at least two remain (a brand of one
    post led a real mixed export's ranking); `attrs["left_out"]` says how many were."""
    if by not in model.groups:
        return pd.DataFrame()
    codes, static = model.groups[by]
    out = static.copy()
    out["mean_value"] = np.bincount(codes, ranks["value_score"].to_numpy(), len(out)) / np.maximum(out["posts"], 1)
    few = out["posts"] < min_posts
    if few.any() and (~few).sum() > 1:
        out = out[~few].copy()
        if "vanity_rank" in out and "mean_vanity" in out:
            out["vanity_rank"] = out["mean_vanity"].rank(ascending=False, method="min").astype(int)
    else:
        few[:] = False
    out["value_rank"] = out["mean_value"].rank(ascending=False, method="min").astype(int)
    out = out.sort_values("value_rank")
    out.attrs["left_out"] = int(few.sum())
    return out


def engagement_by_group(posts: pd.DataFrame, by: str, min_posts: int = MIN_GROUP_POSTS) -> pd.DataFrame:
    """Per group with at least `min_posts` posts (best first): posts and its typical post's engagement (`figure`:
    the median post's engagement rate, by reach, impressions, followers or views; engagements where the export
    has no basis for a rate), and the typical post over all posts (`overall`, in `attrs` with the unit). Empty when
    the column does not split the posts into two such groups or the export counts no engagement.

    The median post, not the pooled sum: on a real Facebook page export the seven videos pooled 0.58 % (one
    wide-reaching video weighs most) and the 45 status posts 1.66 %, just above the photos' 1.65 %, so "text
    posts engage best"; the typical photo engaged 2.5 % of its reach, the typical status post 1.5 %."""
    eng = engagement(posts)
    if by not in posts or no_signal(eng) is not None:
        return pd.DataFrame()
    basis = rate_basis(posts)
    if basis:
        den = numeric(posts, basis)
        value = (eng / den.where(den > 0)).dropna()
    else:
        value = eng.dropna()
    keys = posts.loc[value.index, by].astype("string").fillna("(none)")
    g = value.groupby(keys)
    out = pd.DataFrame({"posts": g.size(), "figure": g.median()})
    out = out[out["posts"] >= min_posts].sort_values("figure", ascending=False)
    if len(out) < 2:
        return pd.DataFrame()
    out.index.name = by
    out.attrs = {"unit": f"engagement rate (by {basis})" if basis else "engagements per post",
                 "overall": float(value.median())}
    return out.reset_index()


def top(ranks: pd.DataFrame, col: str, n: int = 10) -> pd.Index:
    """Index labels of the n best posts by a rank column (1 = best), without sorting all of them."""
    v = ranks[col].to_numpy()
    n = min(n, len(v))
    idx = np.argpartition(v, n - 1)[:n] if n else np.array([], dtype=int)
    return ranks.index[idx[np.argsort(v[idx], kind="stable")]]


def read_best_pool(ranks: pd.DataFrame, worded: pd.Series) -> tuple[pd.DataFrame, str | None]:
    """Where the value score reads only how posts are written (`value.text_only`), the posts a list of those that
    read best draws from: those of `WORDED` words or more (`worded`: `lib.topics.prepare.worded` of the posts)
    where some are shorter (the real YouTube comments' best were "LoL", "Love", "love", seven tied at rank 1),
    with a note saying the short ones are left out; all of them, and no note, where none or every post is short."""
    keep = worded.loc[ranks.index].to_numpy(dtype=bool)
    if keep.all() or not keep.any():
        return ranks, None
    return ranks[keep], (f"Posts of fewer than {WORDED} words are left out of this list: a word or two says little "
                         "of how a post reads.")


def tied_at_cut(ranks: pd.DataFrame, col: str, n: int = 10) -> str | None:
    """Where the last of the top `n` shares its rank with posts left out, say so: the list shows some of them,
    chosen by nothing the score says. On a real support inbox (no engagement counts) 75 posts tie at value rank
    4, and the KPI lab's top ten showed seven of them as if they stood out. None where the cut falls between
    ranks."""
    v = ranks[col].to_numpy()
    if len(v) <= n or n <= 0:
        return None
    last = np.partition(v, n - 1)[n - 1]
    tied, above = int((v == last).sum()), int((v < last).sum())
    if above + tied <= n:
        return None
    what = col.removesuffix("_rank")
    return (f"{tied:,} posts tie at {what} rank {int(last):,} (the {what} score cannot tell them apart); the list "
            f"shows {n - above:,} of them.")


def disagreements(ranks: pd.DataFrame, n: int = 10) -> pd.Index:
    """Index labels of the n posts whose vanity and value ranks differ most."""
    gap = -np.abs(ranks["rank_change"].to_numpy())
    n = min(n, len(gap))
    idx = np.argpartition(gap, n - 1)[:n] if n else np.array([], dtype=int)
    return ranks.index[idx[np.argsort(gap[idx], kind="stable")]]


INFLUENCE_BASES = ("followers", "reach")


def influence_basis(posts: pd.DataFrame) -> str | None:
    """What weighs a mention by how far it carries: the author's followers, else the post's reach; None where
    neither column spreads (then every mention weighs the same and influence is just voice)."""
    return next((b for b in INFLUENCE_BASES if b in posts and no_signal(numeric(posts, b).fillna(0)) is None), None)


def influence_note(posts: pd.DataFrame) -> str | None:
    """Why share of influence is not shown (None where it is): without followers or reach it equals share of
    voice, mention for mention."""
    if influence_basis(posts) is not None:
        return None
    flat = [str(no_signal(numeric(posts, b).fillna(0), b)) for b in INFLUENCE_BASES if b in posts]
    if not flat:
        return ("Share of influence needs a followers or reach column; without it, it equals share of voice and is "
                "not shown.")
    return (f"Share of influence needs followers or reach that differ between posts ({'; '.join(flat)}); without "
            "that, it equals share of voice and is not shown.")


def share_of_voice(posts: pd.DataFrame) -> pd.DataFrame:
    """Per brand: share of mentions vs share of influence (mentions weighted by log(1 + followers) + 1, or by the
    post's reach where there are no followers; equal to share of voice without either: see `influence_note`)."""
    if "brand" not in posts or posts["brand"].isna().all():
        return pd.DataFrame(columns=["brand", "mentions", "share_of_voice", "share_of_influence", "gap"])
    basis = influence_basis(posts) or "followers"
    infl = np.log1p(numeric(posts, basis).fillna(0).clip(lower=0)) + 1  # no known audience still counts 1
    df = pd.DataFrame({"brand": posts["brand"].astype("string").fillna("(none)"), "infl": infl})
    g = df.groupby("brand")
    return voice_table(g.size(), g["infl"].sum())


def voice_table(mentions: pd.Series, influence: pd.Series) -> pd.DataFrame:
    """`share_of_voice` from each brand's mentions and summed influence (both indexed by brand, sorted)."""
    out = pd.DataFrame({"mentions": mentions, "influence": influence})
    out["share_of_voice"] = out["mentions"] / out["mentions"].sum()
    out["share_of_influence"] = out["influence"] / out["influence"].sum()
    out["gap"] = out["share_of_influence"] - out["share_of_voice"]
    return out.reset_index()[["brand", "mentions", "share_of_voice", "share_of_influence", "gap"]] \
        .sort_values("share_of_voice", ascending=False)


def _trend_base(posts: pd.DataFrame, vanity: pd.Series, freq: str) -> tuple[np.ndarray, pd.DataFrame]:
    """The weight-independent part of the trends: each post's period code (-1 without a date) and per period
    the posts, engagement, engagement rate and mean vanity."""
    from lib.listening.overview import period_start

    ok = posts["created_at"].notna()
    basis = rate_basis(posts)
    df = pd.DataFrame({"period": period_start(posts.loc[ok, "created_at"], freq), "engagement": engagement(posts)[ok],
                       "vanity": vanity[ok]})
    if basis:
        df["basis"] = numeric(posts, basis)[ok].fillna(0)
    g = df.groupby("period")
    out = pd.DataFrame({"posts": g.size(), "engagement": g["engagement"].sum(), "mean_vanity": g["vanity"].mean()})
    if basis:
        out["engagement_rate"] = out["engagement"] / g["basis"].sum().where(g["basis"].sum() > 0)
    codes = np.full(len(posts), -1)
    codes[ok.to_numpy()] = out.index.get_indexer(df["period"])
    return codes, out.reset_index()


def trends(posts: pd.DataFrame, ranks: pd.DataFrame, freq: str, model: ValueResult | None = None) -> pd.DataFrame:
    """Per period: posts, engagement, engagement rate (when a basis exists), mean value and vanity scores.

    With the dataset's value model the weight-independent part is computed once per frequency and kept in the
    model's memo, so a slider move costs one bincount."""
    if "created_at" not in posts or posts["created_at"].isna().all():
        return pd.DataFrame()
    if model is not None:
        if freq not in model.trend_bases:
            model.trend_bases[freq] = _trend_base(posts, model.vanity, freq)
        codes, base = model.trend_bases[freq]
    else:
        codes, base = _trend_base(posts, ranks["vanity_score"], freq)
    ok = codes >= 0
    out = base.copy()
    value = ranks["value_score"].to_numpy()[ok]
    out["mean_value"] = np.bincount(codes[ok], value, len(out)) / np.maximum(out["posts"].to_numpy(), 1)
    return out[["period", "posts", "engagement", "mean_value", "mean_vanity"] +
               (["engagement_rate"] if "engagement_rate" in out else [])]
