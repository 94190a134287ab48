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

Methods: ETS as the app fitted it until 2026-12-06 (`lib.foresight.forecast.forecast_series`: damped additive
trend, additive errors, on the counts);
the same on log(1 + count) (counts of posts grow and fall in proportion, and a spike is a proportion: on the
log scale one week of 10x is no longer ~30 ordinary weeks), back-transformed (the median forecast and its band);
the same on the counts with spikes capped (`lib.foresight.forecast.capped`, the app's since 2026-12-06);
and two baselines: the last period, the median of the last four.
"""
from __future__ import annotations

import sys
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
    """Posts per period of the real dated sets, every period from the first post to the last (zeros kept), the
    files read by the app's importer (its dates as the Foresight page reads them)."""
    from lib.ingest.build import ImportOptions, build_posts, open_sources

    def dated(files: list[Path]) -> pd.Series:
        posts = build_posts(open_sources(files), ImportOptions()).posts
        return posts["created_at"].dropna().dt.tz_convert("UTC").dt.tz_localize(None)

    videos = {f.stem.split("-", 1)[1]: dated([f]) for f in sorted((DATA / "youtube_spam").glob("Youtube0*.csv"))}
    out: dict[str, pd.Series] = {}
    for freq, name in (("W-MON", "week"), ("D", "day")):
        parts = [("YouTube, all videos", pd.concat(list(videos.values())))] + \
            [(f"YouTube, {v}", t) for v, t in videos.items()]
        for label, t in parts:
            counts = pd.Series(1, index=t.to_numpy()).resample(freq).size()
            if len(counts) >= FIRST_ORIGIN + H:
                out[f"{label}, per {name}"] = counts.astype(float)
    s140 = dated([DATA / "sentiment140_test" / "testdata.manual.2009.06.14.csv"])
    out["Sentiment140, per day"] = pd.Series(1, index=s140.to_numpy()).resample("D").size().astype(float)
    return out


def ets(values: np.ndarray, horizon: int, log: bool,
        cap_spikes: bool = False) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The app's forecast (`forecast_series`, its 80 % band), of the counts or of log(1 + count) back-transformed;
    never below 0, as the Foresight page clips a count. `cap_spikes`: fitted as the app fits posts since 2026-12-06."""
    from lib.foresight.forecast import forecast_series

    y = pd.Series(np.log1p(values) if log else values)
    f = forecast_series(y, horizon, alpha=0.2, cap_spikes=cap_spikes)
    f = f[f["kind"] == "forecast"]
    mean, lo, hi = (f[c].to_numpy(dtype=float) for c in ("value", "low", "high"))
    if log:
        mean, lo, hi = np.expm1(mean), np.expm1(lo), np.expm1(hi)
    return np.maximum(mean, 0), np.maximum(lo, 0), np.maximum(hi, 0)


METHODS: dict[str, Callable[[np.ndarray, int], tuple[np.ndarray, np.ndarray, np.ndarray]]] = {
    "ETS on counts (the app's until 2026-12-06)": lambda v, h: ets(v, h, log=False),
    "ETS on log(1 + count)": lambda v, h: ets(v, h, log=True),
    "last period": lambda v, h: (np.full(h, v[-1]),) * 3,
    "ETS on spike-capped counts (the app's since 2026-12-06)": lambda v, h: ets(v, h, log=False, cap_spikes=True),
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
