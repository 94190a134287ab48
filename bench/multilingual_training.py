"""What the multilingual head's Thai and Indonesian training posts buy, above all in languages it never saw.

    .venv/bin/python bench/multilingual_training.py [--wisesight DIR] [--smsa FILE] [--reviews FILE]

The head (lib.listening.multilingual) learned from English text alone until 2026-12-07 and read many negative
posts in other languages as neutral; it now also learns from 2,100 real Thai and 2,100 Indonesian posts
(bench/data, `lib.listening.multilingual_train.language_texts`). Here both recipes are fitted from the same
vectors, in one run, with the shipped offsets and settings:
- `English alone`: the head before;
- `with Thai and Indonesian`: the shipped recipe; on the Thai and the Indonesian test posts each language is left
  out of the training in turn (learned from English and the other one), so every row is a language the head
  being scored never learned from.
Each post is read by the head alone with its set's language (not the product's detected languages:
bench/eval_multilingual.py and bench/eval_languages_extra.py measure that path, with the English model and plain
VADER beside it). Sets: UMSAB test tweets in German, Italian and Portuguese (../shared/data, evaluation only);
`--wisesight DIR` and `--smsa FILE` as in bench/eval_languages_extra.py (their test posts; never trained on);
`--reviews FILE`: a CSV of Chinese reviews with columns `label` (1 positive, 0 negative) and `review`, e.g. 2,000
drawn from SophonPlus/ChineseNlpCorpus's waimai_10k.csv (its licence is not stated: measured here, never kept).
Columns: macro-F1 (over the classes the set has), the negative share's error in points as the set is, and on
five 300-post resamples that are 63 % negative (`63 % neg err`; a set without neutral posts keeps its two
classes in the same proportion). Vectors are cached in tmp/ (the first run embeds about 20,000 texts, ~8 minutes
on 2 cores; then about 10 s).
"""
from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
CACHE = ROOT / "tmp" / "multilingual_training"
SKEW = {"negative": 0.63, "neutral": 0.20, "positive": 0.17}


def embed(texts: list[str]) -> np.ndarray:
    """e5 vectors of `texts`, cached on disk by their content."""
    from lib.listening.multilingual import Encoder

    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / (hashlib.sha1("\n\0".join(texts).encode()).hexdigest() + ".npy")
    if path.exists():
        return np.load(path)
    vectors = Encoder.embed(texts)
    np.save(path, vectors)
    return vectors


def skew_error(truth: np.ndarray, said: np.ndarray, seed: int = 0) -> float:
    """Mean |negative share error| in points over 5 resamples of 300 posts, 63 % negative."""
    rng = np.random.default_rng(seed)
    classes = [c for c in SKEW if (truth == c).any()]
    total = sum(SKEW[c] for c in classes)
    errs = []
    for _ in range(5):
        rows = np.concatenate([rng.choice(np.flatnonzero(truth == c), int(300 * SKEW[c] / total)) for c in classes])
        errs.append(abs((said[rows] == "negative").mean() - (truth[rows] == "negative").mean()))
    return 100 * float(np.mean(errs))


def test_sets(args: argparse.Namespace) -> dict[str, tuple[str, pd.DataFrame]]:
    from eval_languages_extra import smsa, wisesight
    from eval_multilingual import DATA, load

    sets = {f"{name.title()} tweets (UMSAB test)": (code, load(name)) for name, code in
            (("german", "de"), ("italian", "it"), ("portuguese", "pt"))} if DATA.exists() else {}
    if args.wisesight:
        sets["Thai posts (Wisesight test)"] = ("th", wisesight(args.wisesight))
    if args.smsa:
        sets["Indonesian texts (SmSA valid)"] = ("id", smsa(args.smsa))
    if args.reviews:
        reviews = pd.read_csv(args.reviews)
        sets["Chinese reviews"] = ("zh", pd.DataFrame({"text": reviews["review"].astype(str), "truth": np.where(
            reviews["label"] == 1, "positive", "negative")}))
    return sets


def main() -> None:
    from sklearn.metrics import f1_score

    from lib.listening.multilingual import CLASSES, MultilingualResult, MultilingualSettings, fit_multilingual
    from lib.listening.multilingual_train import language_texts, shipped_offsets, training_texts, training_vectors
    from lib.listening.train import DATA

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--wisesight", type=Path, help="a checkout of PyThaiNLP/wisesight-sentiment (or its folder)")
    ap.add_argument("--smsa", type=Path, help="IndoNLU's SmSA valid_preprocess.tsv")
    ap.add_argument("--reviews", type=Path, help="Chinese reviews: a CSV with label (1/0) and review")
    args = ap.parse_args()
    sets = test_sets(args)
    if not sets:
        print("skipped: ../shared/data/umsab is absent and no other set was given")
        return
    settings, offsets = MultilingualSettings(), shipped_offsets()
    english, other = training_texts(DATA, settings), language_texts()

    def head(languages: tuple[str, ...]) -> MultilingualResult:
        vectors, labels = training_vectors(english, other[other["language"].isin(languages)], offsets, embed)
        return fit_multilingual(vectors, labels, offsets, settings)

    heads = {"English alone": {"": head(())}, "with Thai and Indonesian": {"": head(("th", "id")),
                                                                          "th": head(("id",)), "id": head(("th",))}}
    print("| set | posts | head learned from | macro-F1 | neg share err | 63 % neg err |")
    print("|---|---|---|---|---|---|")
    for name, (code, posts) in sets.items():
        vectors, truth = embed(posts["text"].fillna("").astype(str).tolist()), posts["truth"].to_numpy()
        for recipe, fitted in heads.items():
            model = fitted.get(code, fitted[""])
            said = np.array(CLASSES)[model.proba(vectors, code).argmax(axis=1)]
            left_out = " (Thai left out)" if code == "th" and code in fitted else \
                " (Indonesian left out)" if code == "id" and code in fitted else ""
            f1 = f1_score(truth, said, average="macro", labels=sorted(set(truth)))
            err = 100 * abs(float((said == "negative").mean() - (truth == "negative").mean()))
            print(f"| {name} | {len(posts):,} | {recipe}{left_out} | {f1:.3f} | {err:.1f} | "
                  f"{skew_error(truth, said):.1f} |")


if __name__ == "__main__":
    main()
