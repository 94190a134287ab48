"""Rebuild the shipped public sentiment model from data whose licence lets a trained model ship.

    python -m lib.listening.train [PATH/TO/shared/data]

Training data (read from ../shared/data, never copied into the project):
- the VADER paper's human ratings (Hutto & Gilbert 2014, MIT): tweets, Amazon, movie and NYT snippets, mean of
  about 20 ratings on -4..+4; above +0.5 positive, below -0.5 negative, else neutral; tweets count double;
- GoEmotions train (Demszky et al. 2020, Apache-2.0): Reddit comments, their emotions grouped by the dataset's own
  sentiment_dict.json into positive / negative / neutral (comments whose emotions fall in more than one group, or
  only in "ambiguous" (surprise, curiosity, confusion, realization), are left out: as neutral they cost 1-2 points
  of macro-F1 on GoEmotions dev);
- Banking77 train (Casanueva et al. 2020, CC BY 4.0): customer-support queries, each intent read as a problem
  report (negative: "my card still hasn't arrived", "I was charged twice") or a plain request (neutral: "how do I
  change my PIN"); six intents that are either are left out. This is where factual complaints without a sentiment
  word are learned.

Model selection uses only held-out allowed data: GoEmotions dev and Banking77 test. Character n-grams on top of
the words gained a little there (GoEmotions dev macro-F1 0.69 -> 0.71, Banking77 test 0.93 -> 0.94) but cost
2.3 s of CPU per 10,000 posts (words: 0.35 s), which would break "sentiment visible within 5 s of Save";
WordLlama vectors added nothing (0.69) and MiniLM sentence vectors +0.01 to +0.02 (and -0.03 on Sentiment140)
at 300 posts/s, so the label stays word-based and immediate. The negative prior (`bias`) is picked as the
best worst case of two macro-F1s on those dev sets: as they are (32 % negative) and resampled to a complaint-heavy
mix (63 % negative, 21 % neutral, 16 % positive: the airline export's shares), the brand-mention setting the app
is for. Deterministic: fixed seeds, one solver.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from lib.listening.sentiment import LABELS, MODEL_PATH, PublicModel, features, prepare, vader_scores

DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
THRESHOLD = 0.5
BIASES = tuple(np.round(np.arange(0.0, 1.61, 0.2), 1))  # log-odds added to "negative", the grid searched
COMPLAINT_HEAVY = {"negative": 0.63, "neutral": 0.21, "positive": 0.16}

# Banking77 intents read as a problem report (negative) or as a plain request (neutral).
PROBLEM_INTENTS = frozenset((
    "card_not_working", "declined_card_payment", "declined_cash_withdrawal", "declined_transfer", "failed_transfer",
    "top_up_failed", "transaction_charged_twice", "compromised_card", "card_payment_not_recognised",
    "cash_withdrawal_not_recognised", "direct_debit_payment_not_recognised", "wrong_amount_of_cash_received",
    "wrong_exchange_rate_for_cash_withdrawal", "card_payment_wrong_exchange_rate", "extra_charge_on_statement",
    "Refund_not_showing_up", "balance_not_updated_after_bank_transfer",
    "balance_not_updated_after_cheque_or_cash_deposit", "card_swallowed", "lost_or_stolen_card",
    "lost_or_stolen_phone", "pin_blocked", "contactless_not_working", "virtual_card_not_working", "top_up_reverted",
    "card_arrival", "transfer_not_received_by_recipient", "unable_to_verify_identity", "beneficiary_not_allowed",
    "reverted_card_payment?", "cash_withdrawal_charge", "passcode_forgotten", "pending_card_payment",
    "pending_cash_withdrawal", "pending_top_up", "pending_transfer"))
REQUEST_INTENTS = frozenset((
    "exchange_rate", "fiat_currency_support", "supported_cards_and_currencies", "age_limit", "country_support",
    "visa_or_mastercard", "activate_my_card", "change_pin", "edit_personal_details", "order_physical_card",
    "getting_spare_card", "top_up_limits", "top_up_by_bank_transfer_charge", "top_up_by_card_charge",
    "top_up_by_cash_or_cheque", "automatic_top_up", "exchange_via_app", "get_disposable_virtual_card",
    "disposable_card_limits", "verify_my_identity", "why_verify_identity", "card_acceptance", "atm_support",
    "receiving_money", "transfer_into_account", "transfer_timing", "card_delivery_estimate",
    "apple_pay_or_google_pay", "exchange_charge", "card_about_to_expire", "getting_virtual_card",
    "get_physical_card", "verify_top_up", "verify_source_of_funds", "card_linking", "topping_up_by_card",
    "request_refund", "cancel_transfer", "terminate_account"))


def ratings_to_labels(mean: pd.Series) -> pd.Series:
    return pd.Series(np.where(mean > THRESHOLD, "positive", np.where(mean < -THRESHOLD, "negative", "neutral")),
                     index=mean.index)


def vader_ratings(data: Path = DATA) -> pd.DataFrame:
    v = pd.read_csv(data / "vader_groundtruth" / "DERIVED_vader_groundtruth_all.csv")
    return pd.DataFrame({"text": v["text"].astype(str), "label": ratings_to_labels(v["mean_sentiment"]),
                         "weight": np.where(v["corpus"] == "tweets", 2.0, 1.0), "corpus": v["corpus"]})


def goemotions(split: str, data: Path = DATA) -> pd.DataFrame:
    """One split's comments whose emotions all fall in one sentiment group (neutral is its own group)."""
    folder = data / "goemotions"
    g = pd.read_csv(folder / f"{split}.tsv", sep="\t", header=None, names=["text", "ids", "id"], quoting=3)
    names = (folder / "emotions.txt").read_text().split()
    group = {e: k for k, v in json.loads((folder / "sentiment_dict.json").read_text()).items() for e in v}
    group["neutral"] = "neutral"
    groups = g["ids"].astype(str).map(lambda ids: {group[names[int(i)]] for i in ids.split(",")})
    label = groups.map(lambda s: next(iter(s)) if len(s) == 1 else None)
    keep = label.isin(LABELS)
    return pd.DataFrame({"text": g.loc[keep, "text"].astype(str), "label": label[keep], "weight": 1.0})


def banking77(split: str, data: Path = DATA) -> pd.DataFrame:
    b = pd.read_csv(data / "banking77" / f"{split}.csv")
    label = np.where(b["category"].isin(PROBLEM_INTENTS), "negative",
                     np.where(b["category"].isin(REQUEST_INTENTS), "neutral", ""))
    keep = label != ""
    return pd.DataFrame({"text": b.loc[keep, "text"].astype(str), "label": label[keep], "weight": 1.0})


def training_data(data: Path = DATA) -> pd.DataFrame:
    return pd.concat([vader_ratings(data), goemotions("train", data), banking77("train", data)], ignore_index=True)


def dev_data(data: Path = DATA) -> pd.DataFrame:
    return pd.concat([goemotions("dev", data), banking77("test", data)], ignore_index=True)


def resample(labels: pd.Series, shares: dict[str, float], seed: int = 0) -> np.ndarray:
    """Row positions of the largest sample with these label shares (without replacement, seeded)."""
    rng = np.random.default_rng(seed)
    pos = {c: np.flatnonzero(labels.to_numpy() == c) for c in shares}
    k = min(len(pos[c]) / s for c, s in shares.items())
    return np.sort(np.concatenate([rng.choice(pos[c], int(k * s), replace=False) for c, s in shares.items()]))


def fit_public_model(data: pd.DataFrame, bias: float = 0.0) -> PublicModel:
    from scipy.sparse import csr_matrix, hstack
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    texts = prepare(data["text"].astype(str)).reset_index(drop=True)
    words = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, max_features=50_000,
                            token_pattern=PublicModel.TOKEN_PATTERN, dtype=np.float32)
    raw = data["text"].astype(str).reset_index(drop=True)
    # `public-3` was trained on stock VADER (its @handles read as words): kept so that this script rebuilds the
    # shipped file; the app's VADER leaves handles out, which moves 23 of the VADER paper's 23,703 sentences
    vader = vader_scores(raw, workers=1, words_only=False)
    x = hstack([words.fit_transform(texts), csr_matrix(features(raw, vader))]).tocsr()
    clf = LogisticRegression(C=0.5, max_iter=4000, class_weight="balanced", random_state=0, solver="saga", tol=1e-3)
    clf.fit(x, data["label"].to_numpy(), sample_weight=data["weight"].to_numpy())
    return PublicModel((words,), clf, bias)


def choose_bias(model: PublicModel, dev: pd.DataFrame) -> tuple[float, dict[float, tuple[float, float]]]:
    """The negative prior whose worse macro-F1, on the dev data as it is and resampled to the complaint-heavy
    mix, is best: brand mentions lean negative, but an ordinary dataset must not be read as a complaint thread.
    (The complaint-heavy mix alone peaks at 0.8, within 0.001 of 0.6, at 3 more points of macro-F1 lost on the
    dev data as it is.)"""
    from sklearn.metrics import f1_score

    dev = dev.reset_index(drop=True)
    texts, y = dev["text"].astype(str), dev["label"].to_numpy()
    heavy = resample(dev["label"], COMPLAINT_HEAVY)
    logp = np.log(model.proba(texts, vader_scores(texts, workers=1, words_only=False)).to_numpy().clip(1e-12))
    scores = {}
    for b in BIASES:
        pred = np.array(LABELS)[(logp + np.array([b, 0.0, 0.0])).argmax(axis=1)]
        scores[float(b)] = (float(f1_score(y[heavy], pred[heavy], average="macro")),
                            float(f1_score(y, pred, average="macro")))
    return max(scores, key=lambda b: (round(min(scores[b]), 3), -b)), scores


def main(data: Path = DATA) -> None:
    train = training_data(data)
    model = fit_public_model(train)
    bias, scores = choose_bias(model, dev_data(data))
    print("negative prior (log-odds): dev macro-F1 complaint-heavy / as it is: " +
          ", ".join(f"{b:.1f}: {h:.3f} / {n:.3f}" for b, (h, n) in scores.items()) + f" -> {bias:.1f}",
          file=sys.stderr)
    model = PublicModel(model.vectorizers, model.classifier, bias)
    MODEL_PATH.parent.mkdir(exist_ok=True)
    model.save(MODEL_PATH)  # library objects only: the file does not depend on where PublicModel lives
    print(f"{MODEL_PATH} ({MODEL_PATH.stat().st_size / 1e6:.1f} MB) from {len(train):,} labelled texts",
          file=sys.stderr)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DATA)
