"""Volume forecasts on real dated posts, backtested: how far the posts forecast is from what came next.

    .venv/bin/python bench/forecast_backtest.py          # a table; about a minute on 2 cores

Series (read from ../shared/data, never copied): posts per week and per day of the UCI YouTube spam collection
(1,956 real comments under 5 videos, 2013-2015; all videos together and each video with 20+ periods), and
posts per day of Sentiment140 test (498 real tweets, May-June 2009). Every forecast made from each origin
(every period from the 10th on, as the Foresight page would have made it on that day with the history before
it) 1 to 4 periods ahead, against what came. Figures per method: MASE (mean absolute error over the series'
own mean one-step naive error, averaged over series: under 1 beats "the same as last period"), the median
ratio forecast / actual of the first period ahead, the share of actuals inside the 80 % band, and the same
MASE only from origins right after a spike (the last or second-to-last period above three times the median
of the history): where a forecast that carries the spike on misleads most.

Methods: ETS as the app fitted it before 2026-12-05 (damped additive trend, additive errors, on the counts);
the same on log(1 + count) (counts of posts grow and fall in proportion, and a spike is a proportion: on the
log scale one week of 10x is no longer ~30 ordinary weeks), back-transformed (the median forecast and its band);
and two baselines: the last period, the median of the last four.
"""
from __future__ import annotations

import sys
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / "shared" / "data"
H = 4
FIRST_ORIGIN = 10


def series() -> dict[str, pd.Series]:
    """Posts per period of the real dated sets, every period from the first post to the last (zeros kept)."""
    yt = pd.read_csv(DATA / "youtube_spam" / "DERIVED_youtube_spam_all.csv")
    yt["t"] = pd.to_datetime(yt["DATE"], errors="coerce", format="mixed", utc=True).dt.tz_localize(None)
    yt = yt.dropna(subset=["t"])
    s140 = pd.read_csv(DATA / "sentiment140_test" / "testdata.manual.2009.06.14.csv")
    s140["t"] = pd.to_datetime(s140["tweet_date"].str.replace(r" [A-Z]{3} ", " ", regex=True), errors="coerce",
                               format="%a %b %d %H:%M:%S %Y")
    out: dict[str, pd.Series] = {}
    for freq, name in (("W-MON", "week"), ("D", "day")):
        parts = [("YouTube, all videos", yt)] + [(f"YouTube, {v}", g) for v, g in yt.groupby("VIDEO")]
        for label, g in parts:
            counts = g.set_index("t").resample(freq).size()
            if len(counts) >= FIRST_ORIGIN + H:
                out[f"{label}, per {name}"] = counts.astype(float)
    counts = s140.dropna(subset=["t"]).set_index("t").resample("D").size()
    out["Sentiment140, per day"] = counts.astype(float)
    return out


def ets(values: np.ndarray, horizon: int, log: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    y = np.log1p(values) if log else values
    if np.std(y) == 0:
        flat = np.full(horizon, values[-1])
        return flat, flat, flat
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = ETSModel(pd.Series(y), error="add", trend="add", damped_trend=True).fit(disp=False, maxiter=200)
        f = fit.get_prediction(start=len(y), end=len(y) + horizon - 1).summary_frame(alpha=0.2)
    mean, lo, hi = (f[c].to_numpy() for c in ("mean", "pi_lower", "pi_upper"))
    if log:
        mean, lo, hi = np.expm1(mean), np.expm1(lo), np.expm1(hi)
    return np.maximum(mean, 0), np.maximum(lo, 0), np.maximum(hi, 0)


METHODS: dict[str, Callable[[np.ndarray, int], tuple[np.ndarray, np.ndarray, np.ndarray]]] = {
    "ETS on counts (the app before)": lambda v, h: ets(v, h, log=False),
    "ETS on log(1 + count)": lambda v, h: ets(v, h, log=True),
    "last period": lambda v, h: (np.full(h, v[-1]),) * 3,
    "median of the last 4": lambda v, h: (np.full(h, float(np.median(v[-4:]))),) * 3,
}


def backtest(s: np.ndarray, method: Callable) -> dict[str, float]:
    scale = np.mean(np.abs(np.diff(s))) or 1.0
    errs, spike_errs, ratios, inside = [], [], [], []
    for t in range(FIRST_ORIGIN, len(s) - 1):
        hist, come = s[:t], s[t:t + H]
        mean, lo, hi = method(hist, len(come))
        e = np.abs(mean - come) / scale
        errs.append(e.mean())
        med = np.median(hist)
        if max(hist[-2:]) > 3 * max(med, 1):
            spike_errs.append(e.mean())
        if come[0] > 0:
            ratios.append(mean[0] / come[0])
        inside += list((come >= lo) & (come <= hi))
    return {"mase": float(np.mean(errs)), "spike_mase": float(np.mean(spike_errs)) if spike_errs else np.nan,
            "spikes": len(spike_errs), "ratio": float(np.median(ratios)), "inside": float(np.mean(inside))}


def main() -> None:
    data = series()
    rows = []
    for name, s in data.items():
        for method, f in METHODS.items():
            rows.append({"series": name, "method": method, **backtest(s.to_numpy(), f)})
    table = pd.DataFrame(rows)
    print(f"{len(data)} real series; origins from period {FIRST_ORIGIN}, forecasts 1-{H} periods ahead\n")
    print("| series | periods | " + " | ".join(METHODS) + " |")
    print("|---|---|" + "---|" * len(METHODS))
    for name, g in table.groupby("series", sort=False):
        cells = [f"{r.mase:.2f} / {r.spike_mase:.2f}" if r.spikes else f"{r.mase:.2f} / -" for r in g.itertuples()]
        print(f"| {name} | {len(data[name])} | " + " | ".join(cells) + " |")
    print("\n(cells: MASE over every origin / over the origins right after a spike)\n")
    print("| method | MASE, mean over series | after a spike | median forecast / actual, 1 ahead | "
          "actuals inside the 80 % band |")
    print("|---|---|---|---|---|")
    for method, g in table.groupby("method", sort=False):
        print(f"| {method} | {g['mase'].mean():.2f} | {g['spike_mase'].mean():.2f} | {g['ratio'].median():.2f} | "
              f"{g['inside'].mean():.0%} |")


if __name__ == "__main__":
    main()
