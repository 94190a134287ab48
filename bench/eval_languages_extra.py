"""Sentiment in languages that have no labelled set in ../shared/data, on real labelled posts kept outside the repo.

    .venv/bin/python bench/eval_languages_extra.py --wisesight DIR --smsa FILE     # about 2 minutes on 2 cores

The multilingual head reads 30 languages besides English; only German, Italian and Portuguese have labelled
tweets in ../shared/data (UMSAB, bench/eval_multilingual.py). Two public sets with licences that allow this,
fetched from their repositories; the head learns from 2,100 posts of each set's training part since 2026-12-07
(bench/data, lib.listening.multilingual_train), never from the test posts read here:
- `--wisesight DIR`: Wisesight Sentiment (PyThaiNLP/wisesight-sentiment, CC0), Thai social-media posts and
  comments; DIR holds `kaggle-competition/test.txt` and `test_label.txt` (2,674 posts; the 57 questions, "q",
  are left out: no sentiment);
- `--smsa FILE`: SmSA (IndoNLP/indonlu, Apache-2.0), Indonesian comments and reviews, lower-cased by its makers;
  FILE is `dataset/smsa_doc-sentiment-prosa/valid_preprocess.tsv` (1,260 texts).

Rows as in bench/eval_multilingual.py: `listening lab` (each post's detected language, the product's path),
`English model (before)` (what every such post got before its language joined), `plain VADER`. Columns:
macro-F1, accuracy, the share of posts read by the multilingual model, and the negative share's error in points:
on the set as it is, and (`63 % neg err`) on five 300-post resamples that are 63 % negative, 20 % neutral,
17 % positive. A set not given is skipped.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def wisesight(folder: Path) -> pd.DataFrame:
    base = folder / "kaggle-competition" if (folder / "kaggle-competition").is_dir() else folder
    texts = (base / "test.txt").read_text(encoding="utf-8").split("\n")
    labels = (base / "test_label.txt").read_text(encoding="utf-8").split("\n")
    frame = pd.DataFrame({"text": texts[:len(labels)], "truth": labels[:len(texts)]})
    frame = frame[frame["truth"].isin(["pos", "neu", "neg"])].reset_index(drop=True)
    frame["truth"] = frame["truth"].map({"pos": "positive", "neu": "neutral", "neg": "negative"})
    return frame.assign(post_id=[f"ws{i}" for i in range(len(frame))])


def smsa(path: Path) -> pd.DataFrame:
    frame = pd.read_csv(path, sep="\t", header=None, names=["text", "truth"], quoting=3, dtype=str)
    frame = frame[frame["truth"].isin(["positive", "neutral", "negative"])].reset_index(drop=True)
    return frame.assign(post_id=[f"smsa{i}" for i in range(len(frame))])


def main() -> None:
    from eval_multilingual import readers, skew_error
    from sklearn.metrics import f1_score

    from lib.listening.language import detect_languages
    from lib.listening.multilingual import supported

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--wisesight", type=Path, help="a checkout of PyThaiNLP/wisesight-sentiment (or its folder)")
    ap.add_argument("--smsa", type=Path, help="IndoNLU's SmSA valid_preprocess.tsv")
    args = ap.parse_args()
    sets = {}
    if args.wisesight:
        sets["Thai (Wisesight test)"] = wisesight(args.wisesight)
    if args.smsa:
        sets["Indonesian (SmSA valid)"] = smsa(args.smsa)
    if not sets:  # bench/all.py runs it bare: the sets live outside the repo
        print("skipped: give --wisesight DIR and/or --smsa FILE (public sets fetched by hand; see the docstring)")
        return
    print("| set | posts (neg / neu / pos) | read by the multilingual head | reader | macro-F1 | accuracy "
          "| neg share err | 63 % neg err |")
    print("|---|---|---|---|---|---|---|---|")
    for name, posts in sets.items():
        counts = posts["truth"].value_counts()
        mix = " / ".join(f"{counts.get(c, 0):,}" for c in ("negative", "neutral", "positive"))
        read = float(detect_languages(posts["text"]).isin(supported()).mean())
        for reader, read_with in readers().items():
            said = pd.Series(np.asarray(read_with(posts)), index=posts.index)
            f1 = f1_score(posts["truth"], said, average="macro")
            acc = float((said == posts["truth"]).mean())
            err = 100 * abs(float((said == "negative").mean() - (posts["truth"] == "negative").mean()))
            print(f"| {name} | {len(posts):,} ({mix}) | {read:.0%} | {reader} | {f1:.3f} | {acc:.3f} | {err:.1f} | "
                  f"{skew_error(posts, said):.1f} |")


if __name__ == "__main__":
    main()
