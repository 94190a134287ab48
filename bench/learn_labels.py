"""Learning from the user's labels: how long the dataset's own model takes to fit, before and after a change.

    .venv/bin/python bench/learn_labels.py                    # TweetEval test, 12,284 real tweets
    .venv/bin/python bench/learn_labels.py --before 91ef7be   # the module as it was at a commit, same run

What is timed is `sentiment.fit_adaptation` as the Listening page and `--labels` call it once labels change
(cross-validation, then the fit with one round of self-training), without sentence vectors (the app reads them
once the background job has cached them), on TweetEval's test tweets (evaluation only: nothing is trained here
for shipping) with n of their labels drawn at random (seed 0) standing in for the user's. With `--before`, the
module of that commit runs on the same inputs in the same process, and the table says how many posts' labels the
two agree on and how far apart their probabilities are. Median of `--repeats` runs.
"""
from __future__ import annotations

import argparse
import importlib.util
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / "shared" / "data"

from lib.listening import sentiment as sent  # noqa: E402
from lib.listening.cues import cue_frame  # noqa: E402

P = [f"p_{c}" for c in sent.LABELS]


def tweets() -> tuple[pd.Series, np.ndarray]:
    d = DATA / "tweeteval_sentiment"
    y = (d / "test_labels.txt").read_text().split()
    texts = (d / "test_text.txt").read_text(encoding="utf-8").split("\n")[:len(y)]
    return pd.Series(texts), np.array(sent.LABELS, dtype=object)[np.array(y, dtype=int)]


def module_at(commit: str) -> ModuleType:
    """lib/listening/sentiment.py as it was at `commit`, imported under another name."""
    source = subprocess.run(["git", "-C", str(ROOT), "show", f"{commit}:lib/listening/sentiment.py"],
                            capture_output=True, text=True, check=True).stdout
    path = Path(tempfile.mkdtemp()) / "sentiment_before.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("sentiment_before", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["sentiment_before"] = module
    spec.loader.exec_module(module)
    return module


def timed(module: ModuleType, texts: pd.Series, base: pd.DataFrame, labels: pd.Series, cues: pd.DataFrame,
          repeats: int) -> tuple[float, pd.DataFrame, float | None]:
    took, out = [], None
    for _ in range(repeats):
        t = time.perf_counter()
        out = module.fit_adaptation(texts, base, labels, cues=cues)
        took.append(time.perf_counter() - t)
    assert out is not None
    return float(np.median(took)), out.scores, out.cv_accuracy


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--labels", type=int, nargs="*", default=[150, 400, 1000, 5000])
    ap.add_argument("--before", help="a commit whose lib/listening/sentiment.py to time beside today's")
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    if not DATA.exists():
        sys.exit(f"{DATA} is missing: the labelled tweets are needed")
    texts, truth = tweets()
    base = sent.score(texts)
    cues = cue_frame(texts)
    before = module_at(args.before) if args.before else None
    print(f"Learning from n labels on {len(texts):,} real tweets (TweetEval test), seconds, median of {args.repeats}")
    print("| labels | now, s |" + (f" at {args.before}, s | same label | largest probability gap |"
                                    if before else "") + " cross-validated accuracy |")
    print("|---|---|" + ("---|---|---|" if before else "") + "---|")
    for n in args.labels:
        pick = np.random.default_rng(0).choice(len(texts), min(n, len(texts)), replace=False)
        labels = pd.Series(np.nan, index=texts.index, dtype=object)
        labels.iloc[pick] = truth[pick]
        now_s, now, accuracy = timed(sent, texts, base, labels, cues, args.repeats)
        row = f"| {n:,} | {now_s:.2f} |"
        if before is not None:
            then_s, then, _ = timed(before, texts, base, labels, cues, args.repeats)
            same = float((then["sentiment_label"] == now["sentiment_label"]).mean())
            gap = float(np.abs(then[P].to_numpy() - now[P].to_numpy()).max())
            row += f" {then_s:.2f} | {same:.2%} | {gap:.1e} |"
        print(row + (f" {accuracy:.3f} |" if accuracy is not None else " – |"), flush=True)


if __name__ == "__main__":
    main()
