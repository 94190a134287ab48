"""Measure Listening Lab's sentiment, intent and sarcasm flag on the labelled sets in ../shared/data (emotion:
bench/eval_emotion.py).

    .venv/bin/python bench/eval_sentiment.py                    # the README's tables (about 15 minutes)
    git show REV:lib/listening/models/sentiment_public.joblib > /tmp/before.joblib
    .venv/bin/python bench/eval_sentiment.py --before /tmp/before.joblib   # and an older model, same run
    .venv/bin/python bench/eval_sentiment.py --vader-paper      # also the VADER-paper corpora (retrains 4x)

Sentiment: plain VADER (+-0.05) against the Listening Lab label out of the box, and after 150 randomly
chosen posts are labelled by "the user" (simulated from the set's own labels; scored only on the posts
not labelled; mean of 5 draws), learning from words, VADER and cues only, and with the posts' sentence
embeddings too (what the app uses once its background job has embedded the posts, and the command line with
--labels). Each cell: accuracy / macro-F1 / negative-share error (points: share labelled negative minus the
true share, over all posts of the set, the user's own labels included). The complaint-heavy row is TweetEval
test resampled (seed 0) to the shares of the airline export issue 20 describes: 63 % negative, 21 % neutral,
16 % positive. Sentiment140's per-brand line is the negative-share error per query with 15+ tweets.
TweetEval and Sentiment140 are used here only to measure: no shipped model is trained or tuned on them.
For the VADER-paper corpora the model is retrained without the corpus it is scored on.
"""
from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import accuracy_score, f1_score

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / "shared" / "data"

from lib.embeddings.cache import embed  # noqa: E402
from lib.embeddings.registry import BACKENDS  # noqa: E402
from lib.listening import sentiment as sent  # noqa: E402
from lib.listening.cues import cue_frame  # noqa: E402
from lib.listening.intent import INTENTS, intent, sarcasm_flag  # noqa: E402
from lib.listening.train import COMPLAINT_HEAVY, fit_public_model, ratings_to_labels, resample, training_data  # noqa: E402,E501

N_LABELS, DRAWS, MIN_BRAND_POSTS = 150, 5, 15


@dataclass(frozen=True)
class LegacyModel:
    """A model file from before public-2 ({"vectorizer", "classifier"}: one TF-IDF over the raw text), read
    only to print the before column."""
    vectorizer: object
    classifier: object

    def proba(self, texts: pd.Series, vader: pd.DataFrame, cues: pd.DataFrame | None = None) -> pd.DataFrame:
        from scipy.sparse import csr_matrix, hstack

        x = hstack([self.vectorizer.transform(texts), csr_matrix(sent.features(texts, vader, cues))]).tocsr()
        p = self.classifier.predict_proba(x)
        order = [list(self.classifier.classes_).index(c) for c in sent.LABELS]
        return pd.DataFrame(p[:, order], columns=[f"p_{c}" for c in sent.LABELS], index=texts.index)


def load_any(path: Path) -> object:
    import joblib

    state = joblib.load(path)
    return sent.PublicModel.load(path) if "vectorizers" in state else LegacyModel(state["vectorizer"],
                                                                                  state["classifier"])


def _scores(y: pd.Series, pred: pd.Series) -> tuple[float, float]:
    return accuracy_score(y, pred), f1_score(y, pred, average="macro")


def neg_error(y: pd.Series, pred: pd.Series) -> float:
    return 100 * float((pred == "negative").mean() - (y == "negative").mean())


def brand_errors(y: pd.Series, pred: pd.Series, brand: pd.Series) -> pd.Series:
    """Negative-share error (points) per brand with at least MIN_BRAND_POSTS posts."""
    big = brand.map(brand.value_counts()) >= MIN_BRAND_POSTS
    d = pd.DataFrame({"b": brand, "t": y == "negative", "p": pred == "negative"})[big]
    g = d.groupby("b")[["t", "p"]].mean()
    return 100 * (g["p"] - g["t"])


def with_labels(texts: pd.Series, y: pd.Series, base: pd.DataFrame, vectors: np.ndarray | None,
                plain: pd.Series) -> dict:
    """Mean over DRAWS of 150 simulated user labels: accuracy / F1 on the other posts, negative-share error on
    all posts; with the sentence embeddings ("") and from words only ("w")."""
    got: dict[str, list[float]] = {k: [] for k in ("acc", "f1", "neg", "wacc", "wf1", "wneg", "vacc", "vf1")}
    for seed in range(DRAWS):
        idx = np.random.default_rng(seed).choice(len(texts), N_LABELS, replace=False)
        labels = pd.Series(np.nan, index=texts.index, dtype=object)
        labels.iloc[idx] = y.iloc[idx]
        rest = labels.isna()
        va, vf = _scores(y[rest], plain[rest])
        got["vacc"].append(va), got["vf1"].append(vf)
        for key, vecs in (("", vectors), ("w", None)):
            if key == "" and vecs is None:
                continue
            adapted = sent.fit_adaptation(texts, base, labels, sent.AdaptationSettings(seed=seed),
                                          vectors=vecs).scores["sentiment_label"]
            a, f = _scores(y[rest], adapted[rest])
            got[key + "acc"].append(a), got[key + "f1"].append(f), got[key + "neg"].append(neg_error(y, adapted))
    return {k: float(np.mean(v)) if v else float("nan") for k, v in got.items()}


def compare(name: str, texts: pd.Series, y: pd.Series, models: dict[str, object], labels: bool = True,
            brand: pd.Series | None = None) -> dict:
    """One row of the table: VADER and each model (key -> (accuracy, macro-F1, negative-share error)), with 150
    labels ("KEY_labels" with the sentence embeddings, "KEY_words" without), per brand ("KEY_brand")."""
    texts = texts.reset_index(drop=True).astype(str)
    y = y.reset_index(drop=True)
    vader = sent.vader_scores(texts)
    plain = sent.vader_labels(sent.vader_scores(texts, words_only=False)["compound"])  # stock VADER, the baseline
    row: dict = {"set": name, "posts": len(texts)}
    vectors = None
    if labels and BACKENDS["minilm"].available():
        vectors = embed(texts, backend="minilm").vectors  # what the app has cached
    for i, (key, model) in enumerate(models.items()):
        base = sent.score(texts, vader=vader, proba=model.proba(texts, vader))  # type: ignore[attr-defined]
        if i == 0:
            row["vader"] = (*_scores(y, plain), neg_error(y, plain))
        row[key] = (*_scores(y, base["sentiment_label"]), neg_error(y, base["sentiment_label"]))
        if brand is not None:
            b = brand.reset_index(drop=True)
            row[key + "_brand"] = brand_errors(y, base["sentiment_label"], b)
            if i == 0:
                row["vader_brand"] = brand_errors(y, plain, b)
        if labels:
            got = with_labels(texts, y, base, vectors, plain)
            row[key + "_labels"] = (got["acc"], got["f1"], got["neg"])
            row[key + "_words"] = (got["wacc"], got["wf1"], got["wneg"])
            row["vader_rest"] = (got["vacc"], got["vf1"], row["vader"][2])
    return row


def evaluate(name: str, texts: pd.Series, y: pd.Series, model: object) -> dict:
    """One model's row by name (bench/eval_real.py): ll_* out of the box, labels_* / words_* with 150 labels
    (with / without the sentence embeddings), vader_* and vader_rest_* (on the posts not labelled)."""
    r = compare(name, texts, y, {"ll": model})
    out = {"set": name, "posts": r["posts"]}
    for key, cell in (("vader", "vader"), ("vader_rest", "vader_rest"), ("ll", "ll"), ("labels", "ll_labels"),
                      ("words", "ll_words")):
        out[f"{key}_acc"], out[f"{key}_f1"], out[f"{key}_neg"] = r[cell]
    return out


def tweeteval(split: str = "test") -> tuple[pd.Series, pd.Series]:
    folder = DATA / "tweeteval_sentiment"
    texts = pd.Series((folder / f"{split}_text.txt").read_text(encoding="utf-8").split("\n")[:-1]).str.strip()
    y = pd.Series((folder / f"{split}_labels.txt").read_text().split()).astype(int).map(dict(enumerate(sent.LABELS)))
    return texts, y


def sentiment_table(models: dict[str, object], vader_paper: bool = False, tweets: bool = True) -> list[dict]:
    rows = []
    if tweets:
        rows += tweet_rows(models)
    if vader_paper:
        rows += vader_paper_rows(models)
    return rows


def tweet_rows(models: dict[str, object]) -> list[dict]:
    rows = []
    texts, y = tweeteval()
    rows_63 = resample(y, COMPLAINT_HEAVY)
    rows.append(compare("TweetEval test resampled to 63 % negative (complaint-heavy)", texts.iloc[rows_63],
                         y.iloc[rows_63], models))
    rows.append(compare("TweetEval test as published (32 % negative)", texts, y, models, labels=False))
    s140 = pd.read_csv(DATA / "sentiment140_test" / "testdata.manual.2009.06.14.csv")
    rows.append(compare("Sentiment140 test (tweets about brands, products, people)", s140["text"],
                         s140["polarity"].map({0: "negative", 2: "neutral", 4: "positive"}), models,
                         brand=s140["query"]))
    return rows


def vader_paper_rows(models: dict[str, object]) -> list[dict]:
    """Each of the VADER paper's corpora scored by a model retrained without it (the shipped one learns from all)."""
    rows = []
    vg = pd.read_csv(DATA / "vader_groundtruth" / "DERIVED_vader_groundtruth_all.csv")
    train = training_data()
    corpus = pd.concat([vg["corpus"], pd.Series("", index=range(len(vg), len(train)))], ignore_index=True)
    for name, label in (("tweets", "VADER paper: tweets"), ("amazon", "VADER paper: Amazon review snippets"),
                        ("movie", "VADER paper: movie review snippets"), ("nyt", "VADER paper: NYT editorials")):
        held_out = vg[vg["corpus"] == name]
        model = fit_public_model(train[(corpus != name).to_numpy()], models["after"].bias)  # type: ignore[attr-defined]
        rows.append(compare(label + " (model trained without it)", held_out["text"],
                             ratings_to_labels(held_out["mean_sentiment"]), {"after": model}))
        if name == "amazon":  # a problem said not to happen ("i've had no problems with it"): read negative?
            denies = held_out[(cue_frame(held_out["text"])["denied"] > 0).to_numpy()]
            rows.append(compare(label + " that deny a problem (model trained without them)", denies["text"],
                                 ratings_to_labels(denies["mean_sentiment"]), {"after": model}, labels=False))
    return rows


def _cell(v: tuple[float, float, float] | None) -> str:
    return "" if v is None else f"{v[0]:.2f} / {v[1]:.2f} / {v[2]:+.0f}"


def print_sentiment(rows: list[dict], keys: list[str]) -> None:
    names = {"before": "before (public-1)", "after": "Listening Lab"}
    head = ["labelled set", "posts", "VADER"] + [names[k] for k in keys] + \
        [f"{names[k]} + 150 labels, words only" for k in keys] + [f"{names[k]} + 150 labels with meaning" for k in keys]
    print("Each cell: accuracy / macro-F1 / negative-share error in points (labelled negative minus true).\n")
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for r in rows:
        cells = [r["set"], f"{r['posts']:,}", _cell(r["vader"])] + [_cell(r.get(k)) for k in keys] + \
            [_cell(r.get(k + "_words")) for k in keys] + [_cell(r.get(k + "_labels")) for k in keys]
        print("| " + " | ".join(cells) + " |")
    for r in rows:
        if "vader_brand" in r:
            print(f"\n{r['set']}: negative-share error per brand ({len(r['vader_brand'])} queries with "
                  f"{MIN_BRAND_POSTS}+ tweets), mean absolute / largest, in points:")
            for k in ["vader"] + keys:
                e = r[k + "_brand"].abs()
                print(f"- {names.get(k, 'VADER')}: {e.mean():.1f} / {e.max():.1f}")


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
    ap = argparse.ArgumentParser()
    ap.add_argument("--before", type=Path, help="an older model file to measure in the same run")
    ap.add_argument("--vader-paper", action="store_true", help="also the VADER-paper corpora (retrains 4 times)")
    ap.add_argument("--vader-paper-only", action="store_true", help="only the VADER-paper corpora")
    args = ap.parse_args()
    t = time.time()
    models: dict[str, object] = {"after": sent.public_model()}
    if args.before is not None:
        models = {"before": load_any(args.before)} | models
    print_sentiment(sentiment_table(models, args.vader_paper or args.vader_paper_only, not args.vader_paper_only),
                    list(models))
    if args.vader_paper_only:
        print(f"\n({time.time() - t:.0f} s)")
        return
    i = intent_table()
    print(f"\nIntent (hand-labelled sample of {i['posts']} Sentiment140 tweets): accuracy {i['acc']:.0%}, "
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
