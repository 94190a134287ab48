"""Rebuild the shipped emotion model from GoEmotions' training split (Apache-2.0), and score it.

    python -m lib.listening.emotion_train [PATH/TO/goemotions]

Deterministic: the same data and library versions give the same file. Prints macro-F1 on dev (where the
settings were chosen) and test (reported; never tuned on). The dair-ai emotion set is research-only and is
never read here: bench/eval_emotion.py only measures on it.
"""
from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from lib.listening.emotion_model import CLASSES, MODEL_PATH, EmotionResult, EmotionSettings, fit_emotion_model

GOEMOTIONS = Path(__file__).resolve().parents[3] / "shared" / "data" / "goemotions"


# Fine emotions the model learns as neutral, though the set's Ekman mapping files them under surprise or joy: asking
# and not understanding are no surprise, and wanting something is no joy. Learned as surprise, a plain question was
# one: 44 % of a support inbox's queries (Banking77 test: "how do I locate my card?") came out "surprise". Learned
# as neutral, Banking77's surprise share is 2 %, the dair-ai tweets (research-only, never trained on; their
# "surprise" is surprise) gain accuracy 0.612 -> 0.617 and macro-F1 0.569 -> 0.582, and GoEmotions test, scored
# against the set's own Ekman groups (where a question is surprise), loses 0.551 -> 0.521. Desire ("I would like
# to change my PIN", "I really want to visit") learned as joy made 6.8 % of the same inbox's requests "joy"; as
# neutral 4.2 %, with GoEmotions test 0.521 -> 0.523 (even against its own groups, where desire is joy), dev
# 0.516 -> 0.513, and the dair-ai tweets 0.617 -> 0.613 accuracy, 0.582 -> 0.583 macro-F1 (bench/eval_emotion.py;
# README): a wash on the labelled sets, kept for what a support inbox's reader sees. Caring as
# neutral too was measured and not kept: the inbox's "please help" stays joy less often (3.1 %), but dair-ai
# accuracy fell to 0.602, its "love" tweets are caring.
READ_AS_NEUTRAL = ("curiosity", "confusion", "desire")


def read_goemotions(split: str, folder: Path = GOEMOTIONS, as_neutral: tuple[str, ...] = ()) -> pd.DataFrame:
    """One split (train, dev, test) as text and `groups`: the comment's Ekman groups or neutral, via the set's
    own ekman_mapping.json (27 fine emotions -> 6; a comment may have several); the fine emotions in
    `as_neutral` count as neutral instead (the model learns `READ_AS_NEUTRAL` so)."""
    names = (folder / "emotions.txt").read_text().split()
    group_of = {fine: group for group, fines in json.loads((folder / "ekman_mapping.json").read_text()).items()
                for fine in fines} | {"neutral": "neutral"} | {fine: "neutral" for fine in as_neutral}
    data = pd.read_csv(folder / f"{split}.tsv", sep="\t", header=None, names=["text", "labels", "id"])
    data["groups"] = data["labels"].astype(str).map(
        lambda ids: sorted({group_of[names[int(i)]] for i in ids.split(",")}, key=CLASSES.index))
    return data


def macro_f1(pred: Sequence[str], gold: Sequence[Sequence[str]], classes: Sequence[str] = CLASSES) -> float:
    """Macro-F1 of one label per post against a set of gold labels per post: a prediction is right when it is
    one of the post's labels, and a post's every label not predicted is missed (so a post with two labels
    caps recall at a half for one of them)."""
    said_all = np.asarray(pred)
    scores = []
    for c in classes:
        truth = np.array([c in g for g in gold])
        said = said_all == c
        tp, fp, fn = (truth & said).sum(), (said & ~truth).sum(), (truth & ~said).sum()
        scores.append(2 * tp / max(2 * tp + fp + fn, 1))
    return float(np.mean(scores))


def train(folder: Path = GOEMOTIONS, settings: EmotionSettings = EmotionSettings()) -> EmotionResult:
    data = read_goemotions("train", folder, READ_AS_NEUTRAL)
    return fit_emotion_model(data["text"], data["groups"], settings,
                             trained_on=f"GoEmotions train split ({len(data):,} Reddit comments; "
                                        f"{', '.join(READ_AS_NEUTRAL[:-1])} and {READ_AS_NEUTRAL[-1]} read as neutral)")


def main(folder: str | None = None) -> None:
    root = Path(folder) if folder else GOEMOTIONS
    model = train(root)
    MODEL_PATH.parent.mkdir(exist_ok=True)
    model.save(MODEL_PATH)
    print(f"{MODEL_PATH} ({MODEL_PATH.stat().st_size / 1e6:.1f} MB), {model.trained_on}", file=sys.stderr)
    for split in ("dev", "test"):
        data, learned = read_goemotions(split, root), read_goemotions(split, root, READ_AS_NEUTRAL)
        pred = model.predict(data["text"])["emotion"]
        rated = learned["groups"].map(lambda g: "neutral" in g).mean()
        print(f"{split}: macro-F1 {macro_f1(pred, data['groups']):.3f} (Ekman groups + neutral, {len(data):,} "
              f"comments), {macro_f1(pred, learned['groups']):.3f} as learned; neutral said for "
              f"{(pred == 'neutral').mean():.0%} (raters, as learned: {rated:.0%})", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else None)
