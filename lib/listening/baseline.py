"""The usual day: what each day's volume and negative share are compared with, and how surprising they are.

Why a baseline of the days *around* a day, not the two weeks *before* it: an export is often 1-3 weeks long, so
a trailing window has no history where the surge is (8 UTC days of airline tweets, 1,400 a day jumping to 2,392
and 3,515 on 22-23 Feb, raised nothing at the default). The usual level of day t is the median of up to 28 other
days nearest to it, on both sides, so it exists from the first days. It is made twice: days at z 3+ the first
time are left out of everyone's usual level the second time, so a crisis filling 8 of 28 days does not lift the
level it is compared with (GamerFuel's usual negative share 17 % -> 12 %). The first and last days of a series
of 7+ days are judged but never part of a usual level: exports start and end mid-day (the airline file's first
UTC day has 953 posts, two thirds of a day). From 3 weeks on the level is weekday-adjusted: weekday factors
(trimmed mean ratio of a weekday to its level), shrunk toward 1 by how much of their spread is sampling noise
(James-Stein), so 3 weeks of 5 posts a day do not invent a weekly rhythm.

How surprising a day is, as a z-score (the normal quantile of its tail probability, so `sensitivity` keeps its
meaning "the z a day must reach"): volume against a negative binomial (Poisson plus the day-to-day swing the data
shows beyond chance, plus the uncertainty of the usual level and weekday factor themselves), the negative share
against a beta-binomial (binomial plus the swing of the daily shares), so a day of 5 posts with 3 negative is
unremarkable (binomial z 1.6 against a usual 20 %, 2.6 against 8 %) while 35 % of 120 posts against 10 % is not.
The swings are estimated robustly (residuals beyond 3 robust SDs set aside) and shrunk toward a prior worth 7
days (15 % for volume, 3 points for the share), as a week cannot pin a spread down: the airline file's ordinary
days swing about 6 % in volume and 5 points in negative share.

Measured at the default sensitivity 3.5 on simulated steady series of 30 and 90 days (5 to 1,400 posts a day,
flat, weekend dip or Monday peak; 30 series per setting): 1 false alarm in ~5,000 days with Poisson days, 1 in
~2,000 with a 10 % day-to-day swing, 1 in ~600 with a 20 % swing; the airline surge is found on both days (z 3.7
and 6.9).

Why not a change-point library: ruptures (numpy + scipy, no torch) finds segment boundaries, but its answer hangs
on a penalty with no calibrated meaning (on the airline series pen=3 finds the surge and pen=10 nothing; on 60
steady Poisson days scaled to unit noise pen=3 invents 4 breaks), it has no count or proportion cost, and it says
nothing like "3,515 posts vs a usual 1,417". Robust levels and count tails say that in about 200 lines."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import special, stats

WINDOW = 28  # other days a usual level is made from, at most (nearest first)
MIN_REFERENCE = 4  # fewer other days than this: no baseline, no alert
WEEKDAY_FROM = 21  # days of data from which the level is weekday-adjusted
PRIOR_DAYS = 7  # weight of the prior spreads, in days of evidence
PRIOR_VOLUME_CV = 0.15  # day-to-day swing of volume beyond Poisson, before the data says otherwise
PRIOR_SHARE_SD = 0.03  # day-to-day swing of the negative share beyond binomial, likewise
OUTLIER_Z = 3.0  # a day this surprising is left out of the other days' usual level
SHARE_BLOCK = 20  # posts a share is read from: sparse days are pooled with their neighbours first


@dataclass(frozen=True)
class Baseline:
    """Per day (indexed like `daily`): the usual volume and negative share, and how surprising the day is."""
    expected: pd.Series  # posts expected that day
    z_volume: pd.Series
    usual_share: pd.Series  # the usual negative share
    z_negative: pd.Series
    reference_days: pd.Series  # how many other days the usual level was made from
    reference_from: pd.Series  # the first and last of them
    reference_to: pd.Series
    weekday_adjusted: bool
    edges_left_out: bool  # the first and last day were not used as anyone's usual level
    unit: str = "day"  # what a row of the counts is: "day", or "month" / "year" for data dated by month or year


def reference_sets(n_days: int, skip: np.ndarray | None = None,
                   window: int = WINDOW) -> tuple[list[np.ndarray], bool]:
    """For each day, the other days its usual level is made from: the `window` nearest, never itself, never a
    `skip` day (a spike) unless that leaves fewer than MIN_REFERENCE and, when the series has 7+ days, never the
    first or last day (often partial)."""
    edges = n_days >= MIN_REFERENCE + 3
    pool = np.arange(1, n_days - 1) if edges else np.arange(n_days)
    calm = pool[~skip[pool]] if skip is not None else pool
    sets = []
    for t in range(n_days):
        others = calm[calm != t]
        if len(others) < MIN_REFERENCE:
            others = pool[pool != t]
        sets.append(np.sort(others[np.argsort(np.abs(others - t), kind="stable")[:window]]))
    return sets, edges


def _medians(values: np.ndarray, sets: list[np.ndarray]) -> np.ndarray:
    return np.array([np.median(values[s]) if len(s) else np.nan for s in sets])


def weekday_factors(posts: np.ndarray, weekday: np.ndarray,
                    sets: list[np.ndarray]) -> tuple[np.ndarray | None, np.ndarray]:
    """Seven multipliers (mean 1) for the weekly rhythm, shrunk toward 1 by the share of their spread that
    sampling noise explains, and the variance each still carries (relative, squared); None when the series is
    too short to show a rhythm or shows none (all within 3 %)."""
    none = (None, np.zeros(7))
    if len(posts) < WEEKDAY_FROM:
        return none
    level = np.maximum(_medians(posts, sets), 0.5)
    ratio = posts / level
    use = np.zeros(len(posts), bool)
    use[np.unique(np.concatenate(sets))] = True
    count = np.array([(use & (weekday == w)).sum() for w in range(7)])
    if count.min() < 3:
        return none
    # a 25 %-trimmed mean (the median up to 4 weeks): near the mean's precision, yet a spike does not move it
    raw = np.array([stats.trim_mean(ratio[use & (weekday == w)], 0.25) for w in range(7)])
    if raw.mean() <= 0:  # most days empty (comments under a video after its launch): no rhythm to read
        return none
    scatter = (1.4826 * np.median(np.abs(ratio[use] - raw[weekday[use]]))) ** 2 / raw.mean() ** 2
    noise = scatter / count / np.where(count > 4, 0.85, 2 / np.pi)  # its variance (efficiency 85 %, median 64 %)
    raw /= raw.mean()
    spread = float(np.mean((raw - 1) ** 2))
    keep = max(0.0, 1 - float(noise.mean()) / spread) if spread > 0 else 0.0
    factors = 1 + keep * (raw - 1)
    factors /= factors.mean()
    return (factors, keep * noise) if np.abs(factors - 1).max() >= 0.03 else none


def _spread(residuals: np.ndarray) -> tuple[float, int]:
    """SD of residuals about 0, robust to the spikes being looked for: days beyond 3 robust SDs (1.4826 x median
    absolute residual) are set aside, the rest give a root mean square (corrected for the cut), which is twice
    as steady as the median absolute residual on 90 days. Returns the SD and how many days it was read from.
    When most days sit exactly on their usual level (a scheduled 40 posts a day), the robust SD is 0 and every
    day off it is set aside: counting them made a jump from 40 to 200 posts the swing itself (z 2.5, no alert)."""
    sd = 1.4826 * float(np.median(np.abs(residuals)))
    calm = residuals[np.abs(residuals) <= 3 * sd]
    return float(np.sqrt(np.mean(calm ** 2))) / 0.98658, len(calm)


def _shrunk(estimate: float | None, seen: int, prior: float) -> float:
    """A spread estimated from `seen` days, pulled toward the prior (worth PRIOR_DAYS days)."""
    if estimate is None:
        return prior
    return (PRIOR_DAYS * prior + seen * estimate) / (PRIOR_DAYS + seen)


def to_z(tail: np.ndarray) -> np.ndarray:
    """A tail probability as the z-score that has it (capped near 37, where doubles run out)."""
    return stats.norm.isf(np.clip(tail, 1e-300, 0.5))


def volume_z(posts: np.ndarray, expected: np.ndarray, sets: list[np.ndarray], weekday_var: np.ndarray) -> np.ndarray:
    """How surprising each day's volume is against a negative binomial around `expected` (var = mu + phi mu^2),
    phi being the extra-Poisson swing of the reference days around their own baseline plus the uncertainty of
    the expected level itself (a median of m days: pi/2 x var / m) and of its weekday factor."""
    inner = np.unique(np.concatenate(sets))
    inner = inner[expected[inner] >= 5]
    phi_hat, seen = None, 0
    if len(inner) >= MIN_REFERENCE:
        sd, seen = _spread((posts[inner] - expected[inner]) / expected[inner])
        phi_hat = max(0.0, sd ** 2 - float(np.median(1 / expected[inner])))
    phi = _shrunk(phi_hat, seen, PRIOR_VOLUME_CV ** 2)
    m = np.array([len(s) for s in sets])
    phi_day = phi + np.pi / 2 * (phi + 1 / expected) / m + weekday_var
    r = 1 / phi_day
    return to_z(stats.nbinom.sf(posts - 1, r, r / (r + expected)))


def _blocks(posts: np.ndarray) -> np.ndarray:
    """Consecutive days grouped greedily into blocks of SHARE_BLOCK+ posts (the remainder joins the last)."""
    ids, block, held = np.zeros(len(posts), int), 0, 0.0
    for i, n in enumerate(posts):
        ids[i], held = block, held + n
        if held >= SHARE_BLOCK:
            block, held = block + 1, 0.0
    if 0 < held < SHARE_BLOCK and block > 0:
        ids[ids == block] = block - 1
    return ids


def _block_median(n: np.ndarray, k: np.ndarray) -> float:
    block = _blocks(n)
    bn, bk = np.bincount(block, weights=n), np.bincount(block, weights=k)
    return float(np.median(bk[bn > 0] / bn[bn > 0]))


def usual_shares(posts: np.ndarray, negative: np.ndarray, sets: list[np.ndarray]) -> np.ndarray:
    """The usual negative share for each day: the median share over its reference days, read from blocks of
    consecutive days holding SHARE_BLOCK+ posts (a day of 2 posts says nothing about a share on its own). Where
    the reference days hold fewer than SHARE_BLOCK posts in all, the posts missing to SHARE_BLOCK are taken at
    the share of every reference day of the series together: on real YouTube comments, a burst of 34 comments
    after a month of 2 read "negative 18 % (usually 50 %)" from those 2, and another "usually 1 %" from 7."""
    out = np.full(len(posts), np.nan)
    every = np.unique(np.concatenate(sets)) if sets else np.array([], dtype=int)
    overall = _block_median(posts[every], negative[every]) if posts[every].sum() > 0 else np.nan
    for t, s in enumerate(sets):
        n, k = posts[s], negative[s]
        held = n.sum()
        if held == 0:
            continue
        if held >= SHARE_BLOCK or np.isnan(overall):
            out[t] = _block_median(n, k)
        else:
            out[t] = (k.sum() + (SHARE_BLOCK - held) * overall) / SHARE_BLOCK
    return np.clip(out, 0.01, 0.99)


def share_z(posts: np.ndarray, negative: np.ndarray, usual: np.ndarray, sets: list[np.ndarray]) -> np.ndarray:
    """How surprising each day's negative count is against a beta-binomial around the usual share, its
    extra-binomial variance (tau^2) estimated from the reference days with SHARE_BLOCK+ posts."""
    inner = np.unique(np.concatenate(sets)) if sets else np.array([], dtype=int)
    inner = inner[(posts[inner] >= SHARE_BLOCK) & ~np.isnan(usual[inner])]
    tau2_hat, seen = None, 0
    if len(inner) >= MIN_REFERENCE:
        sd, seen = _spread(negative[inner] / posts[inner] - usual[inner])
        tau2_hat = max(0.0, sd ** 2 - float(np.median(usual[inner] * (1 - usual[inner]) / posts[inner])))
    tau2 = _shrunk(tau2_hat, seen, PRIOR_SHARE_SD ** 2)
    p = np.nan_to_num(usual, nan=0.5)
    rho = np.clip(tau2 / (p * (1 - p)), 1e-6, 0.5)
    a, b = p * (1 / rho - 1), (1 - p) * (1 / rho - 1)
    seen_days = (posts > 0) & ~np.isnan(usual)
    n = np.maximum(posts, 1)
    z = np.where(seen_days, np.maximum(0, (negative / n - p) / np.sqrt(p * (1 - p) / n + tau2)), np.nan)
    for t in np.flatnonzero(seen_days & (z > 1)):  # the exact tail only where it can matter: it is slow
        z[t] = to_z(np.array([_upper_tail(int(negative[t]), int(posts[t]), a[t], b[t])]))[0]
    return z


def _upper_tail(k: int, n: int, a: float, b: float) -> float:
    """P(X >= k) for X ~ beta-binomial(n, a, b), summed term by term: scipy's betabinom.sf is 1 - cdf and loses
    everything beyond ~1e-16 (z 8), even returning z 37 for a day the binomial alone puts at z 11."""
    if k <= 0:
        return 1.0
    return float(np.exp(special.logsumexp(stats.betabinom.logpmf(np.arange(k, n + 1), n, a, b))))


def _fit(posts: np.ndarray, negative: np.ndarray, weekday: np.ndarray,
         sets: list[np.ndarray]) -> tuple[np.ndarray | None, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    factors, factor_var = weekday_factors(posts, weekday, sets)
    season = factors[weekday] if factors is not None else np.ones(len(posts))
    expected = np.maximum(_medians(posts / season, sets) * season, 0.5)
    usual = usual_shares(posts, negative, sets)
    z_volume = volume_z(posts, expected, sets, factor_var[weekday])
    return factors, expected, usual, z_volume, share_z(posts, negative, usual, sets)


def fit_baseline(days: pd.DataFrame, unit: str = "day") -> Baseline | None:
    """The usual volume and share of every day in `days` (posts, negative per calendar day, no gaps), and the
    z-scores of each day against them; None when there are too few days to say what is usual.
    Made twice: days at OUTLIER_Z or more the first time are left out of the others' usual level the second
    time (a crisis filling 8 of 28 days would otherwise lift the usual share it is compared with, 12 % -> 17 %)."""
    n = len(days)
    sets, edges = reference_sets(n)
    if n < MIN_REFERENCE + 1 or min(len(s) for s in sets) < MIN_REFERENCE:
        return None
    posts = days["posts"].to_numpy(float)
    negative = days["negative"].to_numpy(float)
    weekday = days.index.dayofweek.to_numpy()
    if unit != "day":  # months have no weekly rhythm: one "weekday" for all, never enough apart to adjust for
        weekday = np.zeros(n, int)
    _, _, _, z_vol, z_neg = _fit(posts, negative, weekday, sets)
    sets, _ = reference_sets(n, skip=(z_vol >= OUTLIER_Z) | (np.nan_to_num(z_neg) >= OUTLIER_Z))
    factors, expected, usual, z_vol, z_neg = _fit(posts, negative, weekday, sets)
    idx = days.index
    return Baseline(expected=pd.Series(expected, idx), z_volume=pd.Series(z_vol, idx),
                    usual_share=pd.Series(usual, idx), z_negative=pd.Series(z_neg, idx),
                    reference_days=pd.Series([len(s) for s in sets], idx),
                    reference_from=pd.Series(idx[[s[0] for s in sets]], idx),
                    reference_to=pd.Series(idx[[s[-1] for s in sets]], idx),
                    weekday_adjusted=factors is not None, edges_left_out=edges, unit=unit)


__all__ = ["Baseline", "fit_baseline", "reference_sets", "weekday_factors", "to_z"]
