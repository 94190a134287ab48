"""The quantification maths behind lib.listening.shares, in numpy: class shares of a set of posts from a
classifier's probabilities (probabilistic classify and count, PACC, SLD/EM prior adjustment) and the small
calibration that the user's labels fit. Classes are columns, in one fixed order; every function is fast enough
to be called a few hundred times by a bootstrap."""
from __future__ import annotations

from collections.abc import Callable

import numpy as np

RIDGE = 1.0  # L2 penalty on the calibration's weights (scikit-learn's C=1)


def simplex(p: np.ndarray) -> np.ndarray:
    """Clip to non-negative and rescale to sum to one (rows of a 2-d array, or a vector)."""
    p = np.clip(p, 0, None)
    total = p.sum(axis=-1, keepdims=True)
    return np.where(total > 0, p / np.where(total > 0, total, 1), 1 / p.shape[-1])


def pacc(probs: np.ndarray, confusion: np.ndarray) -> np.ndarray:
    """Probabilistic adjusted classify and count: solve mean(probs) = confusion @ shares, where confusion[i, j]
    is the mean probability of class i on posts of class j (from labelled posts)."""
    try:
        return simplex(np.linalg.solve(confusion, probs.mean(axis=0)))
    except np.linalg.LinAlgError:
        return simplex(probs.mean(axis=0))


def confusion(probs: np.ndarray, truth: np.ndarray) -> np.ndarray:
    """PACC's rates from labelled posts (`truth` one-hot); a class nobody labelled keeps the identity."""
    m = np.eye(truth.shape[1])
    for j in range(truth.shape[1]):
        if truth[:, j].any():
            m[:, j] = probs[truth[:, j] > 0].mean(axis=0)
    return m


def sld(prior: np.ndarray, probs: np.ndarray, group: np.ndarray, n_groups: int, counts: np.ndarray | None = None,
        start: np.ndarray | None = None, iters: int = 60) -> np.ndarray:
    """Saerens-Latinne-Decaestecker prior adjustment for many groups at once: for each group g, the shares q_g
    that maximise sum over its posts of log(sum_k probs_ik q_gk / prior_k), where `probs` are calibrated for
    `prior`. That is the fixed point of the SLD EM loop; Newton's method on this concave likelihood (with
    shares that reach zero held there unless the gradient asks for them back) finds it in ~6 steps instead of
    EM's ~100, for all groups in one pass over the posts. `group`: each post's group, 0..n_groups-1, sorted;
    every group has posts. `counts` (groups x classes): each group's labelled posts, whose class is known, add
    sum_k counts_gk log q_gk (semi-supervised SLD), and q_g is then the share of all the group's posts.
    `start`: shares to start from (a bootstrap starts from the estimate). Returns n_groups x classes."""
    first = np.searchsorted(group, np.arange(n_groups))
    size = np.diff(np.r_[first, len(group)])
    r = probs / simplex(prior + 1e-6)
    i, j = np.triu_indices(probs.shape[1])

    def moments(shares: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        s = (r * np.repeat(shares, size, axis=0)).sum(axis=1)
        u = r / s[:, None]
        return np.add.reduceat(np.log(s), first), np.add.reduceat(u, first), np.add.reduceat(u[:, i] * u[:, j], first)

    return sld_newton(prior, moments, size, counts, start, iters)


Moments = Callable[[np.ndarray], tuple[np.ndarray, np.ndarray, np.ndarray]]


def sld_newton(prior: np.ndarray, moments: Moments, size: np.ndarray, counts: np.ndarray | None = None,
               start: np.ndarray | None = None, iters: int = 60) -> np.ndarray:
    """`sld`'s Newton loop, reading the posts only through `moments(shares)`: per group, the sums over its posts
    of log(r.q), of u = r / (r.q) and of u's outer products (upper triangle, `np.triu_indices` order), where
    r = probs / prior. Sums over posts, so a partitioned run (lib.distributed.shares) adds them up over its
    partitions and gets `sld`'s answer. `size`: each group's posts (or their total bootstrap weight)."""
    n_groups, k = len(size), len(prior)
    counts = np.zeros((n_groups, k)) if counts is None else counts
    total = size + counts.sum(axis=1)
    q = np.tile(simplex(prior + 1e-6), (n_groups, 1)) if start is None else simplex(start + 1e-9)
    free = np.ones((n_groups, k), dtype=bool)
    freed = np.zeros((n_groups, k), dtype=bool)
    i, j = np.triu_indices(k)

    def fit(shares: np.ndarray) -> tuple[tuple[np.ndarray, np.ndarray], np.ndarray]:  # sums, log-likelihood
        log_s, u_sum, uu_sum = moments(shares)
        with np.errstate(divide="ignore", invalid="ignore"):
            known = np.where(counts > 0, counts * np.log(shares), 0.0).sum(axis=1)
        return (u_sum, uu_sum), log_s + known

    sums, before = fit(q)
    for _ in range(iters):
        known = np.divide(counts, q, out=np.zeros_like(q), where=counts > 0)
        grad = sums[0] + known
        hess = np.zeros((n_groups, k, k))
        hess[:, i, j] = sums[1]
        hess[:, j, i] = hess[:, i, j]
        hess += known[:, :, None] / np.where(q > 0, q, 1.0)[:, :, None] * np.eye(k)
        hess += 1e-8 * size[:, None, None] * np.eye(k)  # keeps a group of one or two posts solvable
        kkt = np.zeros((n_groups, k + 1, k + 1))
        kkt[:, :k, :k] = np.where(free[:, :, None] & free[:, None, :], -hess, 0.0) + np.eye(k) * ~free[:, None, :]
        kkt[:, :k, k] = kkt[:, k, :k] = free
        d = np.linalg.solve(kkt, np.c_[-grad * free, np.zeros(n_groups)][:, :, None])[:, :k, 0]
        shrink = d < -1e-15
        t = np.minimum(1.0, np.where(shrink, q / np.where(shrink, -d, 1.0), np.inf).min(axis=1))
        for _ in range(30):  # backtrack where the likelihood would drop
            new = np.clip(q + t[:, None] * d, 0, None)
            new = np.where(new < 1e-12, 0.0, new)
            new /= new.sum(axis=1, keepdims=True)
            sums_new, after = fit(new)
            worse = after < before - 1e-9 * np.abs(before)
            if not worse.any():
                break
            t = np.where(worse, t / 2, t)
        moved = np.abs(new - q).max(axis=1)
        q, sums, before = new, sums_new, after
        back = (q == 0) & (grad > total[:, None] * (1 + 1e-9)) & ~freed  # a held share the likelihood wants back
        freed |= back  # once only: a tiny group can otherwise hand a share back and forth until `iters`
        free = (q > 0) | back
        if moved.max() < 1e-8 and not back.any():
            break
    return q


def softmax(z: np.ndarray) -> np.ndarray:
    z = np.exp(z - z.max(axis=1, keepdims=True))
    return z / z.sum(axis=1, keepdims=True)


def fit_calibration(x: np.ndarray, truth: np.ndarray, start: np.ndarray | None = None) -> np.ndarray:
    """Multinomial logistic regression from features `x` to the one-hot `truth`, by Newton's method (L2 on the
    weights, not the intercepts): a few milliseconds for a few hundred labels, so a bootstrap can refit it
    hundreds of times (scikit-learn took ~60 ms a fit). Returns the (features + 1) x classes weights."""
    xb = np.c_[np.ones(len(x)), x]
    d, k = xb.shape[1], truth.shape[1]
    w = np.zeros((d, k)) if start is None else start.copy()
    ridge = np.kron(np.eye(k), np.diag(np.r_[1e-6, np.full(d - 1, RIDGE)]))
    for _ in range(25):
        p = softmax(xb @ w)
        grad = (xb.T @ (p - truth)).T.ravel() + ridge @ w.T.ravel()
        hess = ridge.copy()
        for a in range(k):
            for b in range(k):
                hess[a * d:(a + 1) * d, b * d:(b + 1) * d] += (xb * (p[:, a] * ((a == b) - p[:, b]))[:, None]).T @ xb
        step = np.linalg.lstsq(hess, grad, rcond=None)[0]
        w -= step.reshape(k, d).T
        if np.abs(step).max() < 1e-8:
            break
    return w


def calibrated(x: np.ndarray, weights: np.ndarray) -> np.ndarray:
    return softmax(np.c_[np.ones(len(x)), x] @ weights)
