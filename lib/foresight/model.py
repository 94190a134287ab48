"""Foresight's performance model: how well a post's performance can be predicted from what is known before
publishing. Honest by construction:

- the model (gradient boosting on what is known before posting, including an 8-D summary of the post's
  words) is scored with time-ordered cross-validation (train on the past, test on the next block) against a
  naive baseline (the training mean), fold by fold; it is called skilful only when it beats the baseline by
  a margin in most folds, so a model on noise says "no skill";
- a draft's prediction comes with a band (10th-90th percentile models) and the posts most like it with their
  real results.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from lib.foresight.features import (
    TEXT_GROUP,
    feature_group,
    post_features,
    post_texts,
    target,
    text_summary,
    with_text_summary,
)

MIN_POSTS = 80          # fewer posts with a target: no model
SKILL_MARGIN = 0.05     # the model must cut the baseline's error by 5 % ...
SKILL_FOLDS = 0.75      # ... and win in at least 3 of 4 folds


@dataclass(frozen=True)
class PerformanceSettings:
    """Everything that determines the performance model besides the posts."""
    n_splits: int = 4                 # cross-validation folds
    seed: int = 0
    extra: tuple[str, ...] = ()       # numeric columns the user knows before publishing (paid, campaign, ...)


@dataclass(frozen=True, eq=False)  # frames and fitted models inside: identity is equality
class PerformanceResult:
    settings: PerformanceSettings
    target: str
    target_label: str
    n_posts: int
    folds: pd.DataFrame              # fold, train, test, mae_model, mae_baseline, r2_model
    skill: float                     # 1 - mean model MAE / mean baseline MAE
    has_skill: bool
    verdict: str
    importance: pd.DataFrame         # feature group, importance (MAE increase when shuffled), words
    cv: str = "time-ordered"
    categories: dict = field(default_factory=dict)
    columns: list = field(default_factory=list)
    models: dict = field(default_factory=dict)  # "mid", "low", "high": fitted on all posts
    train_y: np.ndarray | None = None
    text_model: object = None                  # TF-IDF + SVD summary of the words, fitted on all posts


def error_scale(target: str) -> tuple[float, str]:
    """How an error in the model's own units reads: engagement rate in percentage points (the KPI lab shows
    rates in percent), log(1 + engagement) as is. On a real Facebook page export the page said "Model error
    (MAE) 0.01111" beside a KPI lab that showed the rate as 1.53 %."""
    return (100.0, "points of engagement rate") if target == "engagement_rate" else (1.0, "log units")


def shown_error(target: str, value: float) -> str:
    """A mean absolute error as a person reads it: "1.11 pts" of engagement rate, or for log(1 + engagement)
    the factor a typical prediction is off by ("×1.57": within about 1.6 times the real engagement)."""
    if target == "engagement_rate":
        return f"{100 * value:.2f} pts"
    return f"×{np.exp(value):.2f}"


def folds_table(result: PerformanceResult) -> pd.DataFrame:
    """The cross-validation folds in words and the target's units, for a page or a report."""
    f = result.folds
    return pd.DataFrame({"fold": f["fold"], "posts learned from": f["train"], "posts scored": f["test"],
                         "model error": [shown_error(result.target, v) for v in f["mae_model"]],
                         "baseline error": [shown_error(result.target, v) for v in f["mae_baseline"]],
                         "R²": f["r2_model"].round(2)})


def _gbm(loss: str = "squared_error", quantile: float | None = None, seed: int = 0):  # type: ignore[no-untyped-def]
    from sklearn.ensemble import HistGradientBoostingRegressor

    kw = {"loss": loss, "max_iter": 200, "learning_rate": 0.05, "max_leaf_nodes": 15, "min_samples_leaf": 20,
          "l2_regularization": 1.0, "random_state": seed}
    if quantile is not None:
        kw["quantile"] = quantile
    return HistGradientBoostingRegressor(**kw)


def too_small(frame: pd.DataFrame) -> str:
    """Why the data cannot carry a performance model, or '' when it can."""
    from lib.kpis.engagement import ENGAGEMENT_PARTS

    y, _, label = target(frame)
    n = int(y.notna().sum())
    if n == 0 or not any(c in frame for c in ENGAGEMENT_PARTS):
        return "The data has no engagement counts (likes, comments, shares), so there is nothing to predict."
    if n < MIN_POSTS:
        return (f"Only {n} posts have {label}; a model needs at least {MIN_POSTS} (and a few hundred to be "
                "useful) so that it can be tested on posts it has not seen.")
    return ""


def _cross_validate(x0: pd.DataFrame, texts: pd.Series, y: np.ndarray, dated: bool, settings: PerformanceSettings,
                    stage: Callable[[str, float], None]) -> tuple[pd.DataFrame, tuple]:
    """Per fold the model's and the baseline's error on the test block; and the last fold's model, test rows
    and features (for the importances)."""
    from sklearn.metrics import mean_absolute_error, r2_score
    from sklearn.model_selection import KFold, TimeSeriesSplit

    n_splits, seed = settings.n_splits, settings.seed
    splitter = TimeSeriesSplit(n_splits=n_splits) if dated else KFold(n_splits, shuffle=True, random_state=seed)
    rows, last = [], None
    for i, (tr, te) in enumerate(splitter.split(x0)):
        stage(f"Cross-validating: fold {i + 1} of {n_splits}", 0.1 + 0.6 * i / n_splits)
        x = with_text_summary(x0, texts, text_summary(texts.iloc[tr]))  # words learned from the training posts only
        xv = x.to_numpy()
        model = _gbm(seed=seed).fit(xv[tr], y[tr])
        pred = model.predict(xv[te])
        base = np.full(len(te), y[tr].mean())
        rows.append({"fold": i + 1, "train": len(tr), "test": len(te), "mae_model": mean_absolute_error(y[te], pred),
                     "mae_baseline": mean_absolute_error(y[te], base), "r2_model": r2_score(y[te], pred)})
        last = (model, te, x)
    assert last is not None
    return pd.DataFrame(rows), last


def undated(cv: str) -> str:
    """What shuffled folds could not test, said after them (the verdict, the page's caption); "" for time-ordered."""
    return "; the posts have no dates, so no fold tested the future" if cv == "shuffled" else ""


def _verdict(folds: pd.DataFrame, label: str, cv: str) -> tuple[float, bool, str]:
    """Skill, whether it counts as skill, and the verdict in words."""
    skill = float(1 - folds["mae_model"].mean() / folds["mae_baseline"].mean())
    wins = float((folds["mae_model"] < folds["mae_baseline"] * (1 - SKILL_MARGIN / 2)).mean())
    has_skill = skill >= SKILL_MARGIN and wins >= SKILL_FOLDS
    if has_skill:
        verdict = (f"The model predicts {label} better than the naive baseline: {skill:.0%} smaller error on "
                   f"posts it had not seen (won {wins:.0%} of the {cv} folds{undated(cv)}).")
    else:
        verdict = (f"No real skill: the model's error on unseen posts is {abs(skill):.0%} "
                   f"{'smaller' if skill > 0 else 'larger'} than simply predicting the average "
                   f"(won {wins:.0%} of folds). Treat its predictions as the average with a wide band.")
    return skill, has_skill, verdict


def _importance(last: tuple, y: np.ndarray, label: str, seed: int) -> pd.DataFrame:
    """Permutation importance per feature group on the last fold, with what each group does in words."""
    from sklearn.inspection import permutation_importance

    model, te, x = last
    xv = x.to_numpy()
    imp = permutation_importance(model, xv[te], y[te], scoring="neg_mean_absolute_error", n_repeats=5,
                                 random_state=seed)
    per_col = pd.Series(imp.importances_mean, index=x.columns)
    pred_all = model.predict(xv)
    groups = []
    for g, cols in pd.Series(x.columns, index=x.columns).groupby(feature_group):
        cols = list(cols)
        value = float(per_col[cols].sum())
        if g == TEXT_GROUP:
            words = f"what the post says ({len(cols)}-dimension summary of its words)"
        elif len(cols) == 1:
            c = x[cols[0]]
            corr = float(np.corrcoef(c, pred_all)[0, 1]) if c.std() > 0 else 0.0
            words = (f"higher {g} -> {'higher' if corr > 0 else 'lower'} predicted {label}" if abs(corr) >= 0.1
                     else f"{g} matters in a non-linear way")
        else:
            means = {col.split("=", 1)[1]: float(pred_all[x[col].to_numpy() == 1].mean()) if x[col].sum() else np.nan
                     for col in cols}
            means = {k: v for k, v in means.items() if not np.isnan(v)}
            best = max(means, key=means.__getitem__) if means else ""
            worst = min(means, key=means.__getitem__) if means else ""
            words = f"best: {best}; weakest: {worst}" if best else ""
        groups.append({"feature": g, "importance": value, "words": words})
    return pd.DataFrame(groups).sort_values("importance", ascending=False).reset_index(drop=True)


def fit_performance_model(frame: pd.DataFrame, settings: PerformanceSettings = PerformanceSettings(),
                          stage: Callable[[str, float], None] = lambda msg, frac: None) -> PerformanceResult:
    """Cross-validation of a gradient-boosting model against the training mean (time-ordered when posts have
    dates: learn from the past, test on the next block; shuffled folds otherwise, and it says so), permutation
    importance per feature group on the last fold, and the final models (with a 10-90 % band) on every post.
    `stage(message, fraction done)` hears the progress.

    Gradient boosting runs on one OpenMP thread: on a 2-core server where topic and segment fits run at the same
    time, its threads waited on each other, and 12,284 real tweets took 315-490 s of wall time (load 10-16);
    on one thread 35 s under the same load, 8 s of CPU."""
    from sklearn.ensemble import HistGradientBoostingRegressor  # noqa: F401  (loaded before its threads are set)
    from threadpoolctl import threadpool_limits

    why = too_small(frame)
    if why:
        raise ValueError(why)
    with threadpool_limits(1, user_api="openmp"):
        return _fit(frame, settings, stage)


def _fit(frame: pd.DataFrame, settings: PerformanceSettings, stage: Callable[[str, float], None]) -> PerformanceResult:
    """`fit_performance_model` on the prepared thread pool."""
    y_all, name, label = target(frame)
    dated = "created_at" in frame and frame["created_at"].notna().mean() >= 0.9
    ok = y_all.notna() & (frame["created_at"].notna() if dated else True)
    df = frame.loc[ok].sort_values("created_at", kind="stable") if dated else frame.loc[ok]
    y = y_all.loc[df.index].to_numpy(dtype=float)
    x0, categories = post_features(df, extra=tuple(settings.extra))
    # a feature with one value says nothing (no text at all: every "text length" is 0), and would be listed
    # among what drives the prediction at 0; drafts are scored on the kept columns only
    x0 = x0.loc[:, x0.nunique(dropna=False) > 1]
    texts = post_texts(df)
    folds, last = _cross_validate(x0, texts, y, dated, settings, stage)
    cv = "time-ordered" if dated else "shuffled"
    skill, has_skill, verdict = _verdict(folds, label, cv)
    stage("Measuring what drives the prediction", 0.7)
    importance = _importance(last, y, label, settings.seed)
    stage("Fitting the final models", 0.9)
    text_model = text_summary(texts) if has_skill else None
    x = with_text_summary(x0, texts, text_model)
    xv = x.to_numpy()
    seed = settings.seed
    models = {"mid": _gbm(seed=seed).fit(xv, y), "low": _gbm("quantile", 0.1, seed).fit(xv, y),
              "high": _gbm("quantile", 0.9, seed).fit(xv, y)} if has_skill else {}
    return PerformanceResult(settings, name, label, int(len(y)), folds, skill, has_skill, verdict, importance, cv,
                             categories, list(x.columns), models, y, text_model)


def _band_and_pushes(result: PerformanceResult, frame: pd.DataFrame, row: pd.DataFrame) -> dict:
    """The draft's predicted value and 10-90 % band, and what pushes it: each feature group swapped for the
    value of a typical post, and how far the prediction moves."""
    x, _ = post_features(row, result.categories, result.settings.extra)
    x = with_text_summary(x, post_texts(row), result.text_model)
    x = x.reindex(columns=result.columns, fill_value=0.0)
    mid, lo, hi = (float(result.models[k].predict(x.to_numpy())[0]) for k in ("mid", "low", "high"))
    hist, _ = post_features(frame, result.categories, result.settings.extra)
    hist = with_text_summary(hist, post_texts(frame), result.text_model)
    hist = hist.reindex(columns=result.columns, fill_value=0.0)
    typical = hist.median()
    pushes = []
    for g in sorted({feature_group(c) for c in result.columns}):
        cols = [c for c in result.columns if feature_group(c) == g]
        alt = x.copy()
        alt[cols] = typical[cols].to_numpy()
        delta = mid - float(result.models["mid"].predict(alt.to_numpy())[0])
        if abs(delta) > 1e-9:
            pushes.append({"feature": g, "effect": delta})
    return {"predicted": mid, "low": min(lo, mid), "high": max(hi, mid),
            "pushes": pd.DataFrame(pushes, columns=["feature", "effect"]).sort_values("effect", key=abs,
                                                                                     ascending=False)}


def _similar_posts(result: PerformanceResult, frame: pd.DataFrame, draft_text: str, n: int) -> pd.DataFrame:
    """The n past posts whose words are closest to the draft's (TF-IDF cosine), with their real results."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = post_texts(frame)
    vec = TfidfVectorizer(stop_words="english", sublinear_tf=True, min_df=1).fit(texts.tolist() + [draft_text])
    sims = (vec.transform(texts) @ vec.transform([draft_text]).T).toarray().ravel()
    y_all, _, _ = target(frame)
    top = np.argsort(-sims)[:n]
    cols = [c for c in ("created_at", "platform", "post_type", "text", "likes", "comments", "shares") if c in frame]
    similar = frame.iloc[top][cols].copy()
    similar.insert(0, "similarity", sims[top])
    similar[result.target] = y_all.iloc[top].to_numpy()
    return similar


def what_if(result: PerformanceResult, frame: pd.DataFrame, draft: dict, n_similar: int = 5) -> dict:
    """A draft post's predicted performance band, what pushes it up or down against a typical post, and the
    most similar past posts with their real results. Without model skill the band is the data's own 10-90 %
    range around its median, and it says so."""
    from lib.listening.enrich import enrich

    row = pd.DataFrame([draft])
    if "created_at" in row:
        row["created_at"] = pd.to_datetime(row["created_at"], utc=True)
    if "text" in row and row["text"].fillna("").str.strip().any():
        row = enrich(row).frame
    y = result.train_y if result.train_y is not None else np.array([np.nan])
    out: dict = {"target": result.target_label, "has_skill": result.has_skill}
    if result.has_skill:
        out.update(_band_and_pushes(result, frame, row))
    else:
        out.update(predicted=float(np.nanmedian(y)), low=float(np.nanquantile(y, 0.1)),
                   high=float(np.nanquantile(y, 0.9)), pushes=pd.DataFrame(columns=["feature", "effect"]))
    out.update(in_units(result, out["predicted"], out["low"], out["high"], float(np.nanmedian(y))))
    draft_text = str(draft.get("text", ""))
    if draft_text.strip() and post_texts(frame).str.strip().any():
        out["similar"] = _similar_posts(result, frame, draft_text, n_similar)
    return out


def in_units(result: PerformanceResult, predicted: float, low: float, high: float, typical: float) -> dict:
    """The what-if in the user's units: the model learns log(1 + engagement) where there is no reach column, which
    nobody reads ("0.00, range 0.00-0.00"), so those go back to engagements; an engagement rate stays a rate.
    Returns `unit`, the shown values (`shown_*`) and one plain sentence (`plain`)."""
    if result.target == "log_engagement":
        vals = [max(0.0, float(np.expm1(v))) for v in (predicted, low, high, typical)]
        fmt, unit = "{:,.0f}", "engagements (likes, comments and shares)"
        lead = "Expected about"
    else:
        vals = [predicted, low, high, typical]
        fmt, unit = "{:.2%}", "engagement rate"
        lead = "Expected engagement rate"
    p, lo, hi, typ = (fmt.format(v) for v in vals)
    short = "engagements" if result.target == "log_engagement" else "engagement rate"
    what = f"{lead} {p} {unit}" if result.target == "log_engagement" else f"{lead} {p}"
    plain = (f"{what}, likely between {lo} and {hi} (the middle 80 % of outcomes); a typical past post got {typ}."
             if result.has_skill else
             f"No proven skill: past posts got {lo} to {hi} {short} (middle 80 %), {typ} typically; that range, "
             "not a prediction for this draft.")
    return {"unit": unit, "shown": {"predicted": p, "low": lo, "high": hi, "typical": typ}, "plain": plain}
