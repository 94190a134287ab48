"""summary.json's per-brand sentiment shares and their interval on the Dask engine, in rounds over the posts
already written to DIR/posts/: only the brand and the labels (or the three probabilities) are read, they stay in
the workers' memory between rounds, and the client only ever holds sums.

**Per brand** (`by_brand`): the local engine's zero-shot estimate (`lib.listening.shares`,
`ShareSettings.zero_shot_method`). By default ("cc") each brand's posts' labels counted: one round of sums, and
the answer is the local one exactly. With "sld" (the default before 2026-12-05), each brand by SLD/EM prior
adjustment from the overall share, the mean probability. Its log-likelihood is a sum over posts,
so are its gradient and Hessian: each round every partition returns, per brand, the sums of log(r.q), of
u = r / (r.q) and of u's outer products at the client's current shares, and the client adds them and takes the
same Newton step as the local engine (`quantify.sld_newton`, the one loop both engines run). EM's ~100 rounds
become 7-9 (then 12-13 for all bootstrap replicates together, ~1.5 s in all on these test sets); the answer is
the local one up to the order of floating-point additions (measured: equal to the 4 decimals summary.json keeps
on the 667-post test set with 4 brands and on Sentiment140's 498 tweets with their 81 queries as brands).

**Interval**: the local engine's bootstrap, its draws made on the partitions. Locally each of the 200 replicates
draws, per group (all posts, then each brand), m = min(posts, 2000) posts uniformly with replacement. Here the
client splits each replicate's m draws of a group over the partitions by a multinomial with the partitions'
shares of the group's posts, and each partition draws its number uniformly from its own posts of the group
(seeded by seed, partition and replicate): together exactly m uniform draws from the group's posts, the same
distribution as the local engine's, but other random numbers, so the bounds differ by Monte Carlo noise, not
bit for bit (and change with the partitioning). The draws stay on the workers as row numbers; each replicate's
overall share is their mean, and every replicate's per-brand SLD runs in the same Newton rounds for all
replicates and brands at once. A Poisson bootstrap (each post's weight Poisson(m / posts), no coordination) was
tried first: equivalent in large samples, but its random number of draws widened the intervals of small brands
(Sentiment140's queries of 1-30 tweets: widths 0.030 apart from the local ones on average even with 2,000
replicates, against 0.008 for this one).

Measured (bootstrap 90 % widths before the zero-shot margin, mean absolute difference from the local engine's,
overall / per brand, and in brackets the local engine's own difference between seeds 0 and 1): the 667-post
test set (4 brands), 200 replicates: 0.005 / 0.016 (0.004 / 0.017); 2,000: 0.001 / 0.006 (0.001 / 0.005);
Sentiment140 test (498 tweets, 81 queries as brands), 200: 0.002 / 0.029 (0.000 / 0.021); 2,000: 0.001 / 0.008
(0.001 / 0.008). The per-brand point estimates were equal to the 4 decimals kept on both sets.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from lib.distributed.tasks import RETRIES
from lib.listening.shares import ShareSettings, read_by, reader_margin


@dataclass
class _Posts:
    """A partition's probabilities and brands, held by a worker between rounds."""
    index: int
    raw: np.ndarray  # posts x labels, as `shares._data` reads them
    brand: np.ndarray  # object array of str, None where a post has no brand
    reader: np.ndarray  # what read each post's tone (`shares.reading`): its part of the interval's margin


@dataclass
class _Draws:
    """A partition's bootstrap draws for every replicate: row numbers into its posts and each one's group
    (replicate * brands + brand), and the per-replicate sums of the overall draws."""
    raw: np.ndarray
    rows: np.ndarray
    group: np.ndarray
    overall: np.ndarray  # replicates x labels
    drawn: np.ndarray  # replicates


def load(path: str, index: int, counted: bool = False) -> _Posts:
    """The partition's brands and probabilities, or with `counted` its labels one-hot (as `shares._data` counts
    them), read once (only those columns)."""
    import pyarrow.parquet as pq

    from lib.listening.quantify import simplex
    from lib.listening.sentiment import LABELS
    from lib.listening.shares import P_COLUMNS, reading

    names = pq.read_schema(path).names
    wanted = ("brand", "sentiment_source", "vader_label", *(("sentiment_label",) if counted else P_COLUMNS))
    frame = pd.read_parquet(path, columns=[c for c in wanted if c in names])
    if counted:
        raw = (frame["sentiment_label"].to_numpy(dtype=object)[:, None]
               == np.array(LABELS, dtype=object)[None, :]).astype(float)
    else:
        raw = simplex(np.nan_to_num(frame[P_COLUMNS].to_numpy(dtype=float), nan=1 / len(P_COLUMNS)).clip(1e-6, 1))
    brand = frame["brand"].astype(str).where(frame["brand"].notna(), None).to_numpy(dtype=object) \
        if "brand" in frame else np.full(len(frame), None, dtype=object)
    return _Posts(index, raw, brand, reading(frame))


def brand_counts(posts: _Posts) -> tuple[int, dict[str, int]]:
    """The partition's posts and its posts per brand."""
    return len(posts.brand), {str(k): int(v) for k, v in pd.Series(posts.brand).dropna().value_counts().items()}


def reader_counts(posts: _Posts, brands: list[str]) -> np.ndarray:
    """Per group (all posts, then each brand; rows) the partition's posts read by the multilingual model and by
    none (columns), which widen the group's interval (`shares.reader_margin`)."""
    code = _codes(posts, brands)
    out = np.zeros((1 + len(brands), 2))
    for j, reader in enumerate((1, 2)):
        hit = posts.reader == reader
        out[0, j] = hit.sum()
        out[1:, j] = np.bincount(code[hit & (code >= 0)], minlength=len(brands))
    return out


def _codes(posts: _Posts, brands: list[str]) -> np.ndarray:
    """Each post's position in the run's sorted brand list, -1 without a brand."""
    known = pd.notna(posts.brand)
    code = np.full(len(posts.brand), -1)
    code[known] = np.searchsorted(np.asarray(brands, dtype=object), posts.brand[known])
    return code


def _moments(raw: np.ndarray, group: np.ndarray, prior: np.ndarray, q: np.ndarray) -> np.ndarray:
    """What `quantify.sld_newton` reads, summed per group: log(r.q), u and u's outer products (upper triangle)
    in one groups x (1 + k + k(k+1)/2) array; `prior`: each row's prior (already on the simplex)."""
    r = raw / prior
    s = (r * q[group]).sum(axis=1)
    u = r / s[:, None]
    i, j = np.triu_indices(raw.shape[1])
    cols = [np.log(s), *u.T, *(u[:, i] * u[:, j]).T]
    return np.stack([np.bincount(group, c, minlength=len(q)) for c in cols], axis=1)


def brand_sums(posts: _Posts, brands: list[str]) -> np.ndarray:
    """Per brand (brands x labels): the sums of the partition's rows (one-hot labels: the counts)."""
    code = _codes(posts, brands)
    mine = code >= 0
    return np.stack([np.bincount(code[mine], c, minlength=len(brands)) for c in posts.raw[mine].T], axis=1)


def point_moments(posts: _Posts, brands: list[str], prior: np.ndarray, q: np.ndarray) -> np.ndarray:
    from lib.listening.quantify import simplex

    code = _codes(posts, brands)
    mine = code >= 0
    return _moments(posts.raw[mine], code[mine], simplex(prior + 1e-6)[None, :], q)


def draw(posts: _Posts, brands: list[str], overall: np.ndarray, counts: np.ndarray, seed: int) -> _Draws:
    """Every replicate's draws, uniform with replacement: `overall[rep]` from all the partition's posts and
    `counts[rep, b]` from its posts of brand b, seeded per partition and replicate."""
    n, k = posts.raw.shape
    code = _codes(posts, brands)
    order = np.argsort(code, kind="stable")
    present, first, size = np.unique(code[order], return_index=True, return_counts=True)
    keep = present >= 0
    present, first, size = present[keep], first[keep], size[keep]
    rows, group = [], []
    sums = np.zeros((len(overall), k))
    for rep in range(len(overall)):
        rng = np.random.default_rng([seed, posts.index, rep])
        sums[rep] = posts.raw[rng.integers(0, max(n, 1), overall[rep])].sum(axis=0)
        m = counts[rep, present]
        at = np.repeat(first, m) + (rng.random(m.sum()) * np.repeat(size, m)).astype(int)
        rows.append(order[at])
        group.append(rep * len(brands) + np.repeat(present, m))
    return _Draws(posts.raw, np.concatenate(rows).astype(np.int64), np.concatenate(group).astype(np.int64),
                  sums, overall.astype(float))


def _split(rng: np.random.Generator, take: np.ndarray, sizes: np.ndarray, replicates: int) -> np.ndarray:
    """How many of each group's `take` draws fall in each partition, per replicate: multinomial with the
    partitions' shares of the group's posts (`sizes`: groups x partitions), so that the draws over all
    partitions are `take` uniform draws from the group's posts, exactly the local engine's. Returns
    replicates x groups x partitions."""
    if not len(take):
        return np.zeros((replicates, 0, sizes.shape[1]), dtype=int)
    total = sizes.sum(axis=1, keepdims=True)
    pvals = sizes / np.maximum(total, 1)
    pvals[total[:, 0] == 0, 0] = 1.0
    return rng.multinomial(take, pvals, size=(replicates, len(take)))


def overall_sums(draws: _Draws) -> np.ndarray:
    """Per replicate: the sums of the overall draws' probabilities, then how many were drawn."""
    return np.c_[draws.overall, draws.drawn]


def draw_moments(draws: _Draws, priors: np.ndarray, q: np.ndarray) -> np.ndarray:
    """`_moments` of the draws, each row with its replicate's overall share as the prior."""
    brands = len(q) // len(priors)
    return _moments(draws.raw[draws.rows], draws.group, priors[draws.group // brands], q)


def draw_sums(draws: _Draws, groups: int) -> np.ndarray:
    """Per group (replicate x brand): the sums of the drawn rows (one-hot labels: the counts)."""
    picked = draws.raw[draws.rows]
    return np.stack([np.bincount(draws.group, c, minlength=groups) for c in picked.T], axis=1)


def draw_sizes(draws: _Draws, groups: int) -> np.ndarray:
    return np.bincount(draws.group, minlength=groups).astype(float)


class _Rounds:
    """Tasks over the partitions' held data, their results summed on the client."""

    def __init__(self, client: Any, held: list[Any]) -> None:
        self.client, self.held = client, held

    def sum(self, fn: Any, *args: Any) -> Any:
        futures = [self.client.submit(fn, h, *args, pure=False, retries=RETRIES) for h in self.held]
        results = self.client.gather(futures)
        return sum(results[1:], start=results[0])

    def newton(self, fn: Any, prior: np.ndarray, size: np.ndarray, start: np.ndarray | None, *args: Any
               ) -> np.ndarray:
        """`sld_newton` for the groups with posts (size > 0), each round one task per partition; NaN for
        the others."""
        from lib.listening.quantify import sld_newton

        k = len(prior)
        alive = size > 0
        out = np.full((len(size), k), np.nan)
        if not alive.any():
            return out

        def moments(shares: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
            q = np.full((len(size), k), 1 / k)
            q[alive] = shares
            m = self.sum(fn, *args, q)[alive]
            return m[:, 0], m[:, 1:1 + k], m[:, 1 + k:]

        out[alive] = sld_newton(prior, moments, size[alive], None, None if start is None else start[alive])
        return out


def _as_dict(shares: np.ndarray) -> dict[str, float]:
    from lib.listening.sentiment import LABELS

    return {c: round(float(v), 4) for c, v in zip(LABELS, shares)}


def _bounds(reps: np.ndarray, level: float, margin: float, point: np.ndarray, posts: int) -> dict[str, list[float]]:
    from lib.listening.shares import interval_bounds

    reps = reps[~np.isnan(reps).any(axis=1)]
    return interval_bounds(reps, level, margin, point, posts) if len(reps) else {}


def brand_shares(client: Any, paths: list[str], kept: int, p_sum: list[float],
                 settings: ShareSettings = ShareSettings()) -> dict[str, Any]:
    """summary.json's `sentiment_shares.by_brand` and `.interval` (by default with ShareSettings' defaults, as
    the local engine's `analyze`) of the posts in `paths`, in rounds on the cluster; `kept` posts, `p_sum` the
    sum over them of what the estimate reads (`aggregates.share_sums`: the labels one-hot for "cc", else the
    probabilities; the overall share is its mean)."""
    from lib.listening.shares import POSTS_PER_REPLICATE

    counted = settings.zero_shot_method == "cc"
    held = [client.submit(load, path, i, counted, pure=False, retries=RETRIES) for i, path in enumerate(paths)]
    rounds = _Rounds(client, held)
    draws: list[Any] = []
    try:
        found = client.gather([client.submit(brand_counts, h, pure=False, retries=RETRIES) for h in held])
        brands = sorted({b for _, c in found for b in c})
        per_part = np.array([[c.get(b, 0) for _, c in found] for b in brands], dtype=float).reshape(
            len(brands), len(found))
        size = per_part.sum(axis=1)
        readers = rounds.sum(reader_counts, brands)
        prior = np.asarray(p_sum, dtype=float) / max(kept, 1)
        if not brands:
            point = np.zeros((0, 3))
        elif counted:
            with np.errstate(invalid="ignore", divide="ignore"):
                point = rounds.sum(brand_sums, brands) / size[:, None]
        else:
            point = rounds.newton(point_moments, prior, size, None, brands, prior)
        r = settings.replicates
        rng = np.random.default_rng(settings.seed)
        whole = _split(rng, np.array([min(kept, POSTS_PER_REPLICATE)]), np.array([[n for n, _ in found]]), r)[:, 0]
        split = _split(rng, np.minimum(size, POSTS_PER_REPLICATE).astype(int), per_part, r)
        draws = [client.submit(draw, h, brands, whole[:, i], split[:, :, i], settings.seed, pure=False,
                               retries=RETRIES) for i, h in enumerate(held)]
        rounds.held = draws
        sums = rounds.sum(overall_sums)
        with np.errstate(invalid="ignore", divide="ignore"):
            overall = sums[:, :-1] / sums[:, -1:]
        reps = np.zeros((r, 0, 3))
        if brands and counted:
            groups = r * len(brands)
            with np.errstate(invalid="ignore", divide="ignore"):
                reps = (rounds.sum(draw_sums, groups) / rounds.sum(draw_sizes, groups)[:, None]).reshape(
                    r, len(brands), 3)
        elif brands:
            from lib.listening.quantify import simplex

            groups = r * len(brands)
            sizes = rounds.sum(draw_sizes, groups)
            priors = simplex(np.nan_to_num(overall, nan=1 / 3) + 1e-6)
            start = np.tile(point, (r, 1))
            reps = rounds.newton(draw_moments, np.full(3, 1 / 3), sizes, start, priors).reshape(r, len(brands), 3)
    finally:
        for f in held + draws:
            f.release()
    mix = readers / np.maximum(np.r_[kept, size], 1)[:, None]
    margins = [reader_margin(settings.zero_shot_margin_overall if i == 0 else settings.zero_shot_margin, ml, unread)
               for i, (ml, unread) in enumerate(mix)]
    return {"by_brand": {b: _as_dict(s) for b, s in zip(brands, point)},
            "interval": {"level": settings.level, "overall": _bounds(overall, settings.level, margins[0], prior,
                                                                     kept),
                         "by_brand": {b: _bounds(reps[:, i], settings.level, margins[i + 1], point[i], int(size[i]))
                                      for i, b in enumerate(brands)},
                         **read_by(mix[0], kept),
                         "bootstrap": "the local engine's draws, made on the partitions (not bit-identical)"}}
