"""Sentiment shares against the truth on real labelled sets: how far the estimated negative share is from the
share the human labels give, overall and per brand, with 0 and with 150 of "the user's" labels.

    .venv/bin/python bench/eval_shares.py                 # every set, 5 draws of 150 labels (minutes)
    .venv/bin/python bench/eval_shares.py --draws 1 --sets sentiment140
    PYTHONPATH=/path/to/quapy .venv/bin/python bench/eval_shares.py --quapy   # adds QuaPy 0.2.3's methods

Sets (../shared/data; evaluation only, nothing here is trained or shipped): TweetEval test resampled to 63 %
negative and split into four "brands" of 1,400 tweets with 45/58/70/80 % negative (complaint-heavy, brands that
differ, like the airline export of issue 20); TweetEval test as is; Sentiment140 test with its query as the brand
(per-brand errors over queries with at least 15 tweets); GoEmotions test comments whose emotions fall in one
sentiment group (positive, negative, or neutral; ambiguous and mixed left out); 400 real YouTube comments (UCI,
CC BY 4.0; half spam) hand-labelled for sentiment for this project, the video as the brand.

Zero-shot rows: each method reads the public model's probabilities as they are ("cc" counts the labels: the
app's zero-shot default, `ShareSettings.zero_shot_method`); rows with labels: the calibrated methods.

Each run goes through the app's path: `enrich.sentiment_for` (the public model, and with labels the model adapted
to them, as the page does without cached sentence vectors), then `estimate_shares` on that frame. Labels are
150 posts drawn at random (seeds 0..4), the set's own labels standing in for the user's; figures are the mean
over the draws. `--queue` adds 150 labels picked as the Listening page's Teach tab offers them (six at a time, half
from a seeded random order, half the posts the model is least sure of, the model refitted every 30 labels) and as
it offered them before (least sure only); "acc" and "f1" score the adapted label on the posts not labelled.
"coverage": how often the interval (90 %) holds the true negative share, over the draws and the
groups scored (overall and each brand). "seconds": one `estimate_shares` call, interval included.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / "shared" / "data"

from lib.listening.enrich import sentiment_for  # noqa: E402
from lib.listening.sentiment import LABELS, least_certain, next_to_label  # noqa: E402
from lib.listening.shares import METHODS, ShareSettings, estimate_shares  # noqa: E402
from lib.store.workspace import Workspace  # noqa: E402

N_LABELS, MIN_BRAND_POSTS = 150, 15
BRAND_MIX = {"A": 0.45, "B": 0.58, "C": 0.70, "D": 0.80}  # negative share of each TweetEval "brand"


def tweeteval() -> pd.DataFrame:
    d = DATA / "tweeteval_sentiment"
    y = (d / "test_labels.txt").read_text().split()
    texts = (d / "test_text.txt").read_text(encoding="utf-8").split("\n")[:len(y)]
    return pd.DataFrame({"text": texts, "truth": pd.Series(y).astype(int).map(dict(enumerate(LABELS)))})


def tweeteval_brands(te: pd.DataFrame, size: int = 1400, seed: int = 20) -> pd.DataFrame:
    """TweetEval test, 63 % negative overall, as four brands of `size` tweets with BRAND_MIX's negative shares."""
    rng = np.random.default_rng(seed)
    neg = rng.permutation(np.flatnonzero(te["truth"] == "negative"))
    other = rng.permutation(np.flatnonzero(te["truth"] != "negative"))
    parts, a, b = [], 0, 0
    for brand, share in BRAND_MIX.items():
        n = int(share * size)
        parts.append(te.iloc[np.r_[neg[a:a + n], other[b:b + size - n]]].assign(brand=brand))
        a, b = a + n, b + size - n
    return pd.concat(parts).sample(frac=1, random_state=seed).reset_index(drop=True)


def sentiment140() -> pd.DataFrame:
    s = pd.read_csv(DATA / "sentiment140_test" / "testdata.manual.2009.06.14.csv")
    return pd.DataFrame({"text": s["text"], "brand": s["query"].str.strip('"'),
                         "truth": s["polarity"].map({0: "negative", 2: "neutral", 4: "positive"})})


def goemotions() -> pd.DataFrame:
    g = pd.read_csv(DATA / "goemotions" / "test.tsv", sep="\t", header=None, names=["text", "ids", "id"])
    names = (DATA / "goemotions" / "emotions.txt").read_text().split()
    group = {e: k for k, v in json.loads((DATA / "goemotions" / "sentiment_dict.json").read_text()).items() for e in v}
    group["neutral"] = "neutral"
    one = g["ids"].astype(str).map(lambda ids: {group[names[int(i)]] for i in ids.split(",")})
    g["truth"] = one.map(lambda s: next(iter(s)) if len(s) == 1 else None)
    return g[g["truth"].isin(LABELS)][["text", "truth"]].reset_index(drop=True)


def youtube() -> pd.DataFrame:
    """The 400 YouTube comments hand-labelled for sentiment for this project (bench/data/
    sentiment_labels_youtube.csv; guidelines in bench/data/sentiment_guidelines.md), text cleaned as the importer
    cleans it, the video as the brand. Half are spam (self-promotion), as in the UCI collection."""
    from lib.ingest.parsing import clean_text

    raw = pd.read_csv(DATA / "youtube_spam" / "DERIVED_youtube_spam_all.csv")
    lab = pd.read_csv(ROOT / "bench" / "data" / "sentiment_labels_youtube.csv")
    rows = raw.iloc[lab["id"].to_numpy()]
    return pd.DataFrame({"text": clean_text(rows["CONTENT"].astype(str)).to_numpy(),
                         "brand": rows["VIDEO"].astype(str).to_numpy(), "truth": lab["sentiment"].to_numpy()})


def sets(wanted: list[str] | None) -> dict[str, pd.DataFrame]:
    te = tweeteval()
    make = {"tweeteval63_brands": lambda: tweeteval_brands(te), "tweeteval": lambda: te,
            "sentiment140": sentiment140, "goemotions": goemotions, "youtube": youtube}
    return {k: f().assign(post_id=lambda d: [f"p{i}" for i in range(len(d))]) for k, f in make.items()
            if not wanted or k in wanted}


def groups(posts: pd.DataFrame) -> dict[str | None, np.ndarray]:
    out: dict[str | None, np.ndarray] = {None: np.arange(len(posts))}
    if "brand" in posts:
        out.update({b: r for b, r in posts.groupby("brand").indices.items() if len(r) >= MIN_BRAND_POSTS})
    return out


def score(posts: pd.DataFrame, got: dict, groups_: dict) -> dict:
    """Errors (points) of an estimate {group: (negative share, [low, high])} against the truth."""
    truth = {g: float((posts["truth"].to_numpy()[r] == "negative").mean()) for g, r in groups_.items()}
    err = {g: abs(got[g][0] - truth[g]) * 100 for g in groups_}
    brands = [e for g, e in err.items() if g is not None]
    return {"true": truth[None] * 100, "est": got[None][0] * 100, "err": err[None],
            "brand_max": max(brands) if brands else np.nan, "brand_mean": np.mean(brands) if brands else np.nan,
            "coverage": np.mean([got[g][1][0] <= truth[g] <= got[g][1][1] for g in groups_])
            if not np.isnan(got[None][1][0]) else np.nan}


def ours(frame: pd.DataFrame, labels: pd.Series | None, method: str, groups_: dict) -> tuple[dict, float]:
    t = time.perf_counter()
    r = estimate_shares(frame, labels, ShareSettings(method=method, zero_shot_method=method))
    took = time.perf_counter() - t
    got = {None: (r.overall["negative"], r.interval["overall"]["negative"])}
    got.update({g: (r.by_brand[g]["negative"], r.interval["by_brand"][g]["negative"]) for g in groups_ if g})
    return got, took


def quapy_rows(frame: pd.DataFrame, labels: pd.Series, groups_: dict) -> dict[str, dict]:
    """QuaPy 0.2.3's PACC, EMQ with BCTS calibration and KDEy on the same zero-shot probabilities and labels
    (point estimates; labelled posts count with their label, as in ours)."""
    from quapy.method._kdey import KDEyML
    from quapy.method.aggregative import EMQ, PACC
    from sklearn.base import BaseEstimator

    class Given(BaseEstimator):  # the probabilities are computed already
        def __init__(self) -> None:
            self.classes_ = np.array(LABELS)

        def fit(self, x: np.ndarray, y: np.ndarray) -> Given:
            return self

        def predict_proba(self, x: np.ndarray) -> np.ndarray:
            return x

    p = frame[[f"zero_shot_{c}" for c in LABELS]].to_numpy()
    known = frame["post_id"].isin(labels.index).to_numpy()
    y = frame.loc[known, "post_id"].map(labels).to_numpy()
    out = {}
    for name, q in (("quapy PACC", PACC(Given(), fit_classifier=False)),
                    ("quapy EMQ+BCTS", EMQ(Given(), fit_classifier=False, calib="bcts", exact_train_prev=False,
                                           on_calib_error="backup")),
                    ("quapy KDEy", KDEyML(Given(), fit_classifier=False, bandwidth=0.1, random_state=0))):
        q.aggregation_fit(p[known], y)
        got = {}
        for g, rows in groups_.items():
            rest, lab = rows[~known[rows]], rows[known[rows]]
            est = np.asarray(q.aggregate(p[rest]))[0] * len(rest) + (frame["post_id"].iloc[lab].map(labels)
                                                                     == "negative").sum()
            got[g] = (est / len(rows), [np.nan, np.nan])
        out[name] = got
    return out


PICKERS = ("random", "queue", "least-sure")
REFIT = 30  # a simulated user's labels reach the model every 30 (the app refits after each batch it saves)


def draw(posts: pd.DataFrame, ws: Workspace, seed: int, picker: str) -> np.ndarray:
    """Rows of `N_LABELS` posts "the user" labels: at random, or as the Teach tab offers them six at a time
    (`queue`: `next_to_label`, half at random, half least sure; `least-sure`: the tab before 2026-12-05), the
    model refitted on the labels so far every `REFIT` of them."""
    if picker == "random":
        return np.random.default_rng(seed).choice(len(posts), N_LABELS, replace=False)
    scores = sentiment_for(posts, ws).scores
    pick: list[int] = []
    while len(pick) < N_LABELS:
        done = pd.Index(pick)
        nxt = (next_to_label(scores, posts["text"], done, 6, seed=seed) if picker == "queue"
               else least_certain(scores, posts["text"], done, 6))
        pick += [int(i) for i in nxt]
        if len(pick) % REFIT == 0 and len(pick) < N_LABELS:
            scores = sentiment_for(posts, ws, labels=_labels(posts, np.array(pick))).scores
    return np.array(pick[:N_LABELS])


def _labels(posts: pd.DataFrame, rows: np.ndarray) -> pd.Series:
    return pd.Series(posts["truth"].to_numpy()[rows], index=posts["post_id"].to_numpy()[rows])


def evaluate(name: str, posts: pd.DataFrame, ws: Workspace, draws: int, with_quapy: bool,
             pickers: tuple[str, ...] = ("random",)) -> list[dict]:
    """Rows per method: zero-shot, then with `N_LABELS` labels per way of picking them (mean over `draws`), with
    the accuracy and macro-F1 of the adapted label on the posts not labelled."""
    from sklearn.metrics import f1_score

    groups_ = groups(posts)
    rows = []
    base = pd.concat([posts, sentiment_for(posts, ws).scores], axis=1)
    for method in METHODS:
        got, took = ours(base, None, method, groups_)
        rows.append({"set": name, "labels": 0, "picked": "", "method": method, **score(posts, got, groups_),
                     "seconds": took})
    for picker in pickers:
        runs: dict[str, list[dict]] = {}
        for seed in range(draws):
            labels = _labels(posts, draw(posts, ws, seed, picker))
            scored = sentiment_for(posts, ws, labels=labels).scores
            frame = pd.concat([posts, scored], axis=1)
            rest = ~posts["post_id"].isin(labels.index).to_numpy()
            y, p = posts["truth"].to_numpy()[rest], scored["sentiment_label"].to_numpy()[rest]
            per_post = {"acc": float((y == p).mean()), "f1": float(f1_score(y, p, average="macro"))}
            for method in METHODS:
                got, took = ours(frame, labels, method, groups_)
                runs.setdefault(method, []).append({**score(posts, got, groups_), **per_post, "seconds": took})
            if with_quapy:
                for method, got in quapy_rows(frame, labels, groups_).items():
                    runs.setdefault(method, []).append(score(posts, got, groups_))
        for method, got in runs.items():
            mean = pd.DataFrame(got).mean().to_dict()
            rows.append({"set": name, "labels": N_LABELS, "picked": picker, "method": method, **mean})
    return rows


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--draws", type=int, default=5)
    ap.add_argument("--sets", nargs="*", help="tweeteval63_brands tweeteval sentiment140 goemotions youtube")
    ap.add_argument("--quapy", action="store_true", help="also QuaPy's methods (needs quapy importable)")
    ap.add_argument("--queue", action="store_true",
                    help="also the labels as the Teach tab offers them (half random, half least sure) and as it "
                         "did before (least sure only), next to random labels")
    args = ap.parse_args()
    if not DATA.exists():
        sys.exit(f"{DATA} is missing: the labelled sets are needed")
    t0, rows = time.time(), []
    with tempfile.TemporaryDirectory() as tmp:
        ws = Workspace(str(Path(tmp) / "bench.duckdb"))  # scores each text once across the draws
        for name, posts in sets(args.sets).items():
            rows += evaluate(name, posts, ws, args.draws, args.quapy, PICKERS if args.queue else ("random",))
        ws.close()
    table = pd.DataFrame(rows)
    cols = ["set", "labels", "picked", "method", "true", "est", "err", "brand_max", "brand_mean", "coverage", "acc",
            "f1", "seconds"]
    print("Negative share, points (true vs estimated; abs error overall, largest and mean per brand); "
          f"coverage of the 90 % interval; mean of {args.draws} draw(s) of {N_LABELS} labels")
    print(table[cols].to_string(index=False, float_format=lambda x: f"{x:.1f}" if abs(x) >= 1 else f"{x:.2f}",
                                na_rep="-"))
    default = ShareSettings().zero_shot_method
    zero = table[(table["labels"] == 0) & (table["method"] == default)]
    print(f"\nLargest zero-shot error of the default ({default}): {zero['err'].max():.1f} points "
          f"overall, {zero['brand_max'].max():.1f} per brand (lib.listening.shares widens zero-shot intervals by "
          f"{ShareSettings().zero_shot_margin_overall * 100:.0f} points overall, ZERO_SHOT_MARGIN_OVERALL, and "
          f"{ShareSettings().zero_shot_margin * 100:.0f} per brand, ZERO_SHOT_MARGIN). {time.time() - t0:.0f} s")


if __name__ == "__main__":
    main()
