"""Intent on real posts hand-labelled for this project: the rules before and after, on the held-back part.

    .venv/bin/python bench/eval_intent.py

Labels: bench/data/intent_labels.csv (set, id, intent; never the texts), made by reading each post and
following bench/data/intent_guidelines.md. `id` finds the text in ../shared/data (see LOADERS). A post is
held back when the first 8 hex digits of sha1("set:id") are even: a fixed split nobody chose post by
post. Rules were tuned by reading the errors on the other ("tune") part only; the held-back part was
scored, never read for tuning. "Before" is lib/listening/intent.py as it was at commit BEFORE (read from
git), run in the same process on the same posts with the same sentiment labels.
"""
from __future__ import annotations

import csv
import hashlib
import subprocess
import sys
import time
import types
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import accuracy_score, f1_score, precision_recall_fscore_support

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / "shared" / "data"
LABELS = ROOT / "bench" / "data" / "intent_labels.csv"
BEFORE = "df2c1f0"  # the commit whose lib/listening/intent.py is "before" (complaint F1 0.54 on tweets)
COMPLAINT = "complaint / issue"
# sets of reviews of something the writer bought: read as the app reads an export with review stars
# (lib.listening.given.is_review_export), the review rule of lib.listening.intent.intent on
REVIEW_SETS = frozenset({"vader_amazon"})

from lib.listening import sentiment as sent  # noqa: E402
from lib.listening.cues import cue_frame  # noqa: E402
from lib.listening.intent import INTENTS, intent  # noqa: E402


def _vader(name: str) -> Callable[[Path], pd.Series]:
    def read(data: Path) -> pd.Series:
        v = pd.read_csv(data / "vader_groundtruth" / f"{name}_GroundTruth.txt", sep="\t", header=None,
                        quoting=csv.QUOTE_NONE, names=["id", "rating", "text"], dtype=str)
        return pd.Series(v["text"].to_numpy(), index=v["id"])
    return read


def _by_row(texts: pd.Series) -> pd.Series:
    return pd.Series(texts.to_numpy(), index=[str(i) for i in range(len(texts))])


def _tweeteval(data: Path) -> pd.Series:
    lines = (data / "tweeteval_sentiment" / "test_text.txt").read_text(encoding="utf-8").split("\n")
    return _by_row(pd.Series(lines[:-1] if lines[-1] == "" else lines))


def _sentiment140(data: Path) -> pd.Series:
    s = pd.read_csv(data / "sentiment140_test" / "testdata.manual.2009.06.14.csv")
    return pd.Series(s["text"].to_numpy(), index=s["tweet_id"].astype(str))


def _tweettopic(data: Path) -> pd.Series:
    t = pd.read_json(data / "tweettopic_xl" / "en" / "en_test.jsonl", lines=True, dtype={"id": str})
    return pd.Series(t["text"].to_numpy(), index=t["id"].astype(str))


def _goemotions(data: Path) -> pd.Series:
    g = pd.read_csv(data / "goemotions" / "train.tsv", sep="\t", header=None, quoting=csv.QUOTE_NONE,
                    names=["text", "emotions", "id"], dtype=str)
    return pd.Series(g["text"].to_numpy(), index=g["id"])


# How `id` finds a text, per set: the set's own id where it has a unique one, else the 0-based data row.
LOADERS: dict[str, Callable[[Path], pd.Series]] = {
    "sentiment140": _sentiment140,  # tweet_id column of testdata.manual.2009.06.14.csv
    "tweeteval_test": _tweeteval,  # 0-based line of tweeteval_sentiment/test_text.txt
    "vader_tweets": _vader("tweets"),  # id column of tweets_GroundTruth.txt
    "vader_amazon": _vader("amazonReviewSnippets"),  # id column ("doc_sentence") of amazonReviewSnippets
    "tweettopic_en": _tweettopic,  # id field of tweettopic_xl/en/en_test.jsonl
    "goemotions_train": _goemotions,  # comment id (third column) of goemotions/train.tsv
    "banking77_train": lambda data: _by_row(pd.read_csv(data / "banking77" / "train.csv")["text"]),  # data row
    "youtube_spam": lambda data: _by_row(  # data row of DERIVED_youtube_spam_all.csv (COMMENT_IDs repeat)
        pd.read_csv(data / "youtube_spam" / "DERIVED_youtube_spam_all.csv")["CONTENT"]),
}


def held_back(set_name: str, post_id: str) -> bool:
    return int(hashlib.sha1(f"{set_name}:{post_id}".encode()).hexdigest()[:8], 16) % 2 == 0


def load_labelled(data: Path = DATA) -> pd.DataFrame:
    """set, id, intent, text and part ("tune" or "held-back") for every labelled post."""
    lab = pd.read_csv(LABELS, dtype=str)
    texts = {name: LOADERS[name](data) for name in lab["set"].unique()}
    lab["text"] = [str(texts[s][i]) for s, i in zip(lab["set"], lab["id"])]
    lab["part"] = np.where([held_back(s, i) for s, i in zip(lab["set"], lab["id"])], "held-back", "tune")
    return lab


def rules_before() -> Callable[..., pd.DataFrame] | None:
    """intent() as it was at commit BEFORE, or None where git or that commit is not at hand."""
    try:
        src = subprocess.run(["git", "show", f"{BEFORE}:lib/listening/intent.py"], cwd=ROOT, capture_output=True,
                             text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    module = types.ModuleType("intent_before")
    exec(compile(src, f"{BEFORE}:lib/listening/intent.py", "exec"), module.__dict__)  # noqa: S102
    return module.intent


def rules_now(posts: pd.DataFrame, scored: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """lib.listening.intent's intents of labelled posts (set, text) as the app gives them: with the review rule on
    the review sets (`REVIEW_SETS`, read as an export with review stars), and without it anywhere."""
    plain = intent(posts["text"], scored["sentiment_label"])["intent"]
    as_reviews = intent(posts["text"], scored["sentiment_label"], p_negative=scored["p_negative"], reviews=True)
    return plain.where(~posts["set"].isin(REVIEW_SETS), as_reviews["intent"]), plain


def scores(y: pd.Series, pred: pd.Series) -> dict[str, float]:
    p, r, f, _ = precision_recall_fscore_support(y == COMPLAINT, pred == COMPLAINT, average="binary",
                                                 zero_division=0)
    present = sorted(set(y))
    return {"complaint_precision": p, "complaint_recall": r, "complaint_f1": f, "accuracy": accuracy_score(y, pred),
            "macro_f1": f1_score(y, pred, average="macro", labels=present, zero_division=0)}


def speed(n: int = 10_000) -> dict[str, float]:
    """CPU seconds for intent on n distinct real tweets (TweetEval test), with the shared cues given as the
    app gives them (computed once for sentiment, intent and sarcasm), best of 3; the cues' own time beside
    it. CPU time, not wall time: the figure holds on a busy machine."""
    texts = LOADERS["tweeteval_test"](DATA).iloc[:n].reset_index(drop=True)
    lab = pd.Series(np.resize(np.array(["negative", "neutral", "positive"]), len(texts)))
    t = time.process_time()
    cues = cue_frame(texts)
    t_cues = time.process_time() - t
    runs = []
    for _ in range(3):
        t = time.process_time()
        intent(texts, lab, cues)
        runs.append(time.process_time() - t)
    return {"posts": len(texts), "cues_s": t_cues, "intent_s": min(runs)}


def _table(held: pd.DataFrame, runs: dict[str, pd.Series]) -> None:
    print("| held-back part | complaint precision | complaint recall | complaint F1 | accuracy | macro-F1 |")
    print("|---|---|---|---|---|---|")
    for name, pred in runs.items():
        s = scores(held["intent"], pred)
        print(f"| {name} | {s['complaint_precision']:.2f} | {s['complaint_recall']:.2f} | {s['complaint_f1']:.2f} "
              f"| {s['accuracy']:.2f} | {s['macro_f1']:.2f} |")
    print("\n| complaint F1 by set (held-back) | complaints | " + " | ".join(runs) + " |")
    print("|---|---|" + "---|" * len(runs))
    for name, g in held.groupby("set", sort=False):
        if (g["intent"] == COMPLAINT).sum() >= 10:
            f1 = [f"{scores(g['intent'], pred[g.index])['complaint_f1']:.2f}" for pred in runs.values()]
            print(f"| {name} | {int((g['intent'] == COMPLAINT).sum())} | " + " | ".join(f1) + " |")
    print("\n| intent (held-back) | posts | " + " | ".join(f"recall {k}" for k in runs) + " |")
    print("|---|---|" + "---|" * len(runs))
    for c in INTENTS:
        if (held["intent"] == c).any():
            rec = [f"{(pred[held['intent'] == c] == c).mean():.2f}" for pred in runs.values()]
            print(f"| {c} | {int((held['intent'] == c).sum())} | " + " | ".join(rec) + " |")


def main() -> None:
    lab = load_labelled()
    held = lab[lab["part"] == "held-back"].reset_index(drop=True)
    scored = sent.score(held["text"])
    runs = {}
    before = rules_before()
    if before is not None:
        runs[f"before (commit {BEFORE})"] = before(held["text"], scored["sentiment_label"])["intent"]
    runs["after"], runs["after, without the review rule"] = rules_now(held, scored)
    runs["after, VADER's label for sentiment"] = intent(held["text"], scored["vader_label"])["intent"]
    print(f"Labelled posts: {len(lab)} ({(lab['part'] == 'tune').sum()} tune, {len(held)} held-back); "
          f"complaints {int((lab['intent'] == COMPLAINT).sum())} ({int((held['intent'] == COMPLAINT).sum())} "
          "held-back). Sentiment label: the shipped model's, as in the app.\n")
    print("| set | labelled | held-back | complaints held-back |\n|---|---|---|---|")
    for name, g in lab.groupby("set", sort=False):
        h = g[g["part"] == "held-back"]
        print(f"| {name} | {len(g)} | {len(h)} | {int((h['intent'] == COMPLAINT).sum())} |")
    print()
    _table(held, runs)
    sp = speed()
    print(f"\n| speed, {sp['posts']:,} distinct tweets | CPU seconds |\n|---|---|\n| intent (cues given) | "
          f"{sp['intent_s']:.2f} |\n| shared cues (computed once for sentiment, intent and sarcasm) | "
          f"{sp['cues_s']:.2f} |")


if __name__ == "__main__":
    main()
