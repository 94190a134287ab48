"""Measure Listening Lab's sentiment, emotion, intent and sarcasm flag on the labelled sets in ../shared/data.

    .venv/bin/python bench/eval_sentiment.py            # prints the README's tables (a few minutes)

Sentiment: plain VADER (+-0.05) against the Listening Lab label out of the box, and after 150 randomly
chosen posts are labelled by "the user" (simulated from the set's own labels; scored only on the posts
not labelled; mean of 5 draws), learning from words, VADER and cues only, and with the posts' sentence
embeddings too (what the app uses once topics have been found, and the command line with --labels). For the
VADER-paper corpora the out-of-the-box model is retrained
without the corpus it is scored on (the shipped model has seen all four), so no score is in-sample.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import accuracy_score, f1_score

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / "shared" / "data"

from lib.embeddings.cache import embed  # noqa: E402
from lib.embeddings.registry import BACKENDS  # noqa: E402
from lib.listening.emotion import dominant_emotion, emotion_scores  # noqa: E402
from lib.listening.enrich import sentiment as sent  # noqa: E402
from lib.listening.intent import INTENTS, intent, sarcasm_flag  # noqa: E402
from lib.listening.train import fit_public_model, ratings_to_labels  # noqa: E402

N_LABELS, DRAWS = 150, 5


def _scores(y: pd.Series, pred: pd.Series) -> tuple[float, float]:
    return accuracy_score(y, pred), f1_score(y, pred, average="macro")


def evaluate(name: str, texts: pd.Series, y: pd.Series, model: sent.PublicModel) -> dict:
    texts = texts.reset_index(drop=True).astype(str)
    y = y.reset_index(drop=True)
    vader = sent.vader_scores(texts)
    base = sent.score(texts, vader=vader, proba=model.proba(texts, vader))
    row = {"set": name, "posts": len(texts)}
    row["vader_acc"], row["vader_f1"] = _scores(y, base["vader_label"])
    row["ll_acc"], row["ll_f1"] = _scores(y, base["sentiment_label"])
    minilm = BACKENDS["minilm"]
    vectors = embed(texts, backend="minilm").vectors if minilm.available() else None  # what the app has cached
    got: dict[str, list[float]] = {k: [] for k in ("acc", "f1", "wacc", "wf1", "vacc", "vf1")}
    for seed in range(DRAWS):
        idx = np.random.default_rng(seed).choice(len(texts), N_LABELS, replace=False)
        labels = pd.Series(np.nan, index=texts.index, dtype=object)
        labels.iloc[idx] = y.iloc[idx]
        rest = labels.isna()
        for key, vecs in (("", vectors), ("w", None)):
            adapted = sent.fit_adaptation(texts, base, labels, sent.AdaptationSettings(seed=seed),
                                          vectors=vecs).scores
            a, f = _scores(y[rest], adapted["sentiment_label"][rest])
            got[key + "acc"].append(a), got[key + "f1"].append(f)
        va, vf = _scores(y[rest], base["vader_label"][rest])
        got["vacc"].append(va), got["vf1"].append(vf)
    mean = {k: float(np.mean(v)) for k, v in got.items()}
    row["labels_acc"], row["labels_f1"] = mean["acc"], mean["f1"]
    row["words_acc"], row["words_f1"] = mean["wacc"], mean["wf1"]
    row["vader_rest_acc"], row["vader_rest_f1"] = mean["vacc"], mean["vf1"]
    return row


def sentiment_table() -> pd.DataFrame:
    rows = []
    s140 = pd.read_csv(DATA / "sentiment140_test" / "testdata.manual.2009.06.14.csv")
    rows.append(evaluate("Sentiment140 test (tweets about brands, products, people)", s140["text"],
                         s140["polarity"].map({0: "negative", 2: "neutral", 4: "positive"}), sent.public_model()))
    vg = pd.read_csv(DATA / "vader_groundtruth" / "DERIVED_vader_groundtruth_all.csv")
    for corpus, label in (("tweets", "VADER paper: tweets"), ("amazon", "VADER paper: Amazon review snippets"),
                          ("movie", "VADER paper: movie review snippets"), ("nyt", "VADER paper: NYT editorials")):
        held_out = vg[vg["corpus"] == corpus]
        model = fit_public_model(vg[vg["corpus"] != corpus])
        rows.append(evaluate(label + " (model trained without it)", held_out["text"],
                             ratings_to_labels(held_out["mean_sentiment"]), model))
    return pd.DataFrame(rows)


def emotion_table() -> dict:
    e = pd.read_csv(DATA / "emotion" / "test.txt", sep=";")
    pred = dominant_emotion(emotion_scores(e["text"]))
    y = e["label_name"].replace({"love": "joy"})  # Plutchik: love = joy + trust
    covered = pred != "none"
    return {"posts": len(e), "coverage": covered.mean(), "acc_covered": (pred[covered] == y[covered]).mean(),
            "acc_all": (pred == y).mean(), "majority_baseline": y.value_counts(normalize=True).iloc[0]}


def intent_table() -> dict:
    s140 = pd.read_csv(DATA / "sentiment140_test" / "testdata.manual.2009.06.14.csv")
    gold = pd.read_csv(ROOT / "bench" / "data" / "intent_sample_sentiment140.csv")
    texts = s140.set_index("tweet_id").loc[gold["tweet_id"], "text"].reset_index(drop=True)
    got = intent(texts, sent.score(texts)["sentiment_label"])["intent"]
    y = gold["intent"]
    return {"posts": len(gold), "acc": accuracy_score(y, got),
            "macro_f1": f1_score(y, got, average="macro", labels=sorted(set(y))),
            "majority_baseline": y.value_counts(normalize=True).iloc[0],
            "per_class_recall": {c: float((got[y == c] == c).mean()) for c in INTENTS if (y == c).any()}}


REVIEW = ROOT / "bench" / "data" / "sarcasm_review.csv"  # flagged posts judged by hand: set, row, sarcastic


def sarcasm_pools() -> dict[str, pd.Series]:
    """Every text of the real sets in ../shared/data, by set (row numbers as read here)."""
    pools = {"sentiment140": pd.read_csv(DATA / "sentiment140_test" / "testdata.manual.2009.06.14.csv")["text"]}
    for short, f in (("vader_tweets", "tweets"), ("vader_amazon", "amazonReviewSnippets"),
                     ("vader_movie", "movieReviewSnippets"), ("vader_nyt", "nytEditorialSnippets")):
        pools[short] = pd.read_csv(DATA / "vader_groundtruth" / f"{f}_GroundTruth.txt", sep="\t", header=None,
                                   quoting=3, names=["id", "r", "text"])["text"]
    for part in ("train", "val", "test"):
        pools[f"emotion_{part}"] = pd.read_csv(DATA / "emotion" / f"{part}.txt", sep=";")["text"]
    pools["youtube"] = pd.read_csv(DATA / "youtube_spam" / "DERIVED_youtube_spam_all.csv")["CONTENT"]
    return {k: v.astype(str) for k, v in pools.items()}


def sarcasm_review() -> dict:
    """Where the flag fires on the real sets, and its precision on those posts as judged by hand
    (bench/data/sarcasm_review.csv); flagged posts not judged yet are listed, never guessed."""
    review = pd.read_csv(REVIEW).set_index(["set", "row"])["sarcastic"]
    flagged, unjudged, total = [], [], 0
    for name, texts in sarcasm_pools().items():
        total += len(texts)
        flags = sarcasm_flag(texts, sent.vader_scores(texts)["compound"])
        for row in texts.index[flags]:
            (flagged if (name, row) in review.index else unjudged).append((name, row, texts[row][:100]))
    judged = [review[(n, r)] for n, r, _ in flagged]
    return {"posts": total, "flagged": len(flagged) + len(unjudged), "judged": len(judged),
            "sarcastic": sum(j == "yes" for j in judged), "unjudged": unjudged}


def main() -> None:
    t = time.time()
    table = sentiment_table()
    pct = lambda x: f"{x:.2f}"  # noqa: E731
    print("| labelled set | posts | VADER acc / F1 | Listening Lab acc / F1 | with 150 user labels: VADER | "
          "with 150 user labels: Listening Lab, words only | with 150 user labels: Listening Lab with meaning |")
    print("|---|---|---|---|---|---|---|")
    for r in table.itertuples():
        print(f"| {r.set} | {r.posts:,} | {pct(r.vader_acc)} / {pct(r.vader_f1)} | {pct(r.ll_acc)} / {pct(r.ll_f1)} | "
              f"{pct(r.vader_rest_acc)} / {pct(r.vader_rest_f1)} | {pct(r.words_acc)} / {pct(r.words_f1)} | "
              f"{pct(r.labels_acc)} / {pct(r.labels_f1)} |")
    e = emotion_table()
    print(f"\nEmotion (dair-ai emotion test, {e['posts']:,} tweets, love counted as joy): emotion words found in "
          f"{e['coverage']:.0%}; accuracy where found {e['acc_covered']:.0%}; overall {e['acc_all']:.0%} "
          f"(majority class {e['majority_baseline']:.0%}).")
    i = intent_table()
    print(f"Intent (hand-labelled sample of {i['posts']} Sentiment140 tweets): accuracy {i['acc']:.0%}, "
          f"macro-F1 {i['macro_f1']:.2f} (majority class {i['majority_baseline']:.0%}); recall per class "
          + ", ".join(f"{k} {v:.0%}" for k, v in i["per_class_recall"].items()) + ".")
    r = sarcasm_review()
    print(f"Sarcasm flag on {r['posts']:,} real texts (../shared/data): {r['flagged']} flagged; of the {r['judged']} "
          f"judged by hand, {r['sarcastic']} sarcastic (precision {r['sarcastic'] / max(r['judged'], 1):.0%}).")
    for name, row, text in r["unjudged"]:
        print(f"  not judged yet: {name} row {row}: {text}")
    print(f"\n({time.time() - t:.0f} s)")


if __name__ == "__main__":
    main()
