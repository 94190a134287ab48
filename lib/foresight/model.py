"""Foresight: how well can a post's performance be predicted from what is known before publishing, and
where are volume and sentiment heading. Honest by construction:

- the performance model (gradient boosting on what is known before posting, including an 8-D summary of the
  post's words) is scored with time-ordered cross-validation (train on the
  past, test on the next block) against a naive baseline (the training mean), fold by fold; it is called
  skilful only when it beats the baseline by a margin in most folds, so a model on noise says "no skill";
- a draft's prediction comes with a band (10th-90th percentile models) and the posts most like it with their
  real results;
- trend forecasts come from a damped-trend exponential smoothing model with prediction intervals.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

MIN_POSTS = 80          # fewer posts with a target: no model
MIN_PERIODS = 8         # fewer periods: no forecast
SKILL_MARGIN = 0.05     # the model must cut the baseline's error by 5 % ...
SKILL_FOLDS = 0.75      # ... and win in at least 3 of 4 folds

_HASHTAG = re.compile(r"#\w+")
_MENTION = re.compile(r"@\w+")
_LINK = re.compile(r"https?://|www\.", re.I)
CATEGORICAL = ("platform", "post_type", "emotion", "intent", "topic_label")


# ------------------------------------------------------------------ target and features
def target(frame: pd.DataFrame) -> tuple[pd.Series, str, str]:
    """What is predicted: engagement rate where a rate basis exists (reach, impressions, followers, views),
    else log(1 + engagement). Returns the series (NaN where unknown), its name and a plain description."""
    from lib.kpis.value import _num, engagement, rate_basis

    eng = engagement(frame)
    basis = rate_basis(frame)
    if basis:
        b = _num(frame, basis)
        y = (eng / b).where(b > 0)
        return y, "engagement_rate", f"engagement rate (engagement / {basis})"
    return np.log1p(eng).where(eng.notna()), "log_engagement", "log(1 + engagement)"


def _texts(frame: pd.DataFrame) -> pd.Series:
    """The post texts as strings ('' where a post or the whole table has none)."""
    if "text" not in frame:
        return pd.Series("", index=frame.index)
    return frame["text"].fillna("").astype(str)


def post_features(frame: pd.DataFrame, categories: dict[str, list[str]] | None = None,
                  extra: tuple[str, ...] = ()) -> tuple[pd.DataFrame, dict]:
    """What is known before a post goes out: text shape, timing, channel, author audience and what the text
    says (sentiment, emotion, intent, topic), plus `extra` numeric columns the user knows in advance (paid or
    not, a campaign number). `categories` fixes the one-hot columns (from the training data)."""
    text = _texts(frame)
    x = pd.DataFrame(index=frame.index)
    x["length"] = text.str.len()
    x["words"] = text.str.split().str.len().fillna(0)
    x["hashtags"] = text.str.count(_HASHTAG.pattern)
    x["mentions"] = text.str.count(_MENTION.pattern)
    x["links"] = text.str.count(_LINK.pattern)
    x["question"] = text.str.contains(r"\?", regex=True).astype(int)
    x["exclamation"] = text.str.contains("!", regex=False).astype(int)
    if "created_at" in frame and frame["created_at"].notna().any():
        x["hour"] = frame["created_at"].dt.hour
        x["weekday"] = frame["created_at"].dt.weekday
    if "followers" in frame:
        x["log_followers"] = np.log1p(pd.to_numeric(frame["followers"], errors="coerce"))
    if "sentiment" in frame:
        x["sentiment"] = frame["sentiment"].astype(float)
    if categories is None:
        categories = {}
        for col in CATEGORICAL:
            if col in frame and frame[col].notna().any():
                counts = frame[col].astype("string").value_counts()
                keep = counts[counts >= max(5, 0.01 * len(frame))].index[:20].tolist()
                if len(keep) >= 2:
                    categories[col] = keep
    for col in extra:
        x[f"{col}"] = pd.to_numeric(frame[col], errors="coerce") if col in frame else np.nan
    for col, values in categories.items():
        v = frame[col].astype("string") if col in frame else pd.Series(pd.NA, index=frame.index, dtype="string")
        for value in values:
            x[f"{col}={value}"] = (v == value).fillna(False).astype(int)
    return x.astype(float), categories


PLAIN = {"length": "text length", "words": "number of words", "hashtags": "hashtags", "mentions": "@mentions",
         "links": "links", "question": "asks a question", "exclamation": "exclamation mark", "hour": "hour of day",
         "weekday": "weekday", "log_followers": "author followers", "sentiment": "sentiment (VADER)",
         "platform": "platform", "post_type": "post type", "emotion": "emotion", "intent": "intent",
         "topic_label": "topic"}


TEXT_DIMS = 8
TEXT_GROUP = "text content"


def _text_model(texts: pd.Series):  # type: ignore[no-untyped-def]
    """A small summary of what posts say: TF-IDF reduced to TEXT_DIMS dimensions (SVD), fitted on the
    training posts only; None when there is too little text to learn words from."""
    from sklearn.decomposition import TruncatedSVD
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import make_pipeline

    texts = texts.fillna("").astype(str)
    if texts.str.strip().ne("").sum() < 50:
        return None
    try:
        return make_pipeline(TfidfVectorizer(stop_words="english", min_df=3, max_features=20_000, sublinear_tf=True),
                             TruncatedSVD(TEXT_DIMS, random_state=0)).fit(texts)
    except ValueError:  # too few distinct words for TEXT_DIMS dimensions
        return None


def _with_text(x: pd.DataFrame, texts: pd.Series, model) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    if model is None:
        return x
    z = model.transform(texts.fillna("").astype(str))
    return x.join(pd.DataFrame(z, index=x.index, columns=[f"{TEXT_GROUP}#{i + 1}" for i in range(z.shape[1])]))


def _group_of(column: str) -> str:
    if column.startswith(TEXT_GROUP):
        return TEXT_GROUP
    g = column.split("=", 1)[0] if "=" in column else column
    return PLAIN.get(g, g)


# ------------------------------------------------------------------ the performance model
@dataclass
class PerformanceReport:
    target: str
    target_label: str
    n_posts: int
    folds: pd.DataFrame              # fold, train, test, mae_model, mae_baseline, r2_model
    skill: float                     # 1 - mean model MAE / mean baseline MAE
    has_skill: bool
    verdict: str
    importance: pd.DataFrame         # group, importance (MAE increase when shuffled), direction, words
    cv: str = "time-ordered"
    categories: dict = field(default_factory=dict)
    extra: tuple = ()
    columns: list = field(default_factory=list)
    models: dict = field(default_factory=dict)  # "mid", "low", "high": fitted on all posts
    train_y: np.ndarray | None = None
    text_model: object = None                  # TF-IDF + SVD summary of the words, fitted on all posts


def _gbm(loss: str = "squared_error", quantile: float | None = None, seed: int = 0):  # type: ignore[no-untyped-def]
    from sklearn.ensemble import HistGradientBoostingRegressor

    kw = {"loss": loss, "max_iter": 200, "learning_rate": 0.05, "max_leaf_nodes": 15, "min_samples_leaf": 20,
          "l2_regularization": 1.0, "random_state": seed}
    if quantile is not None:
        kw["quantile"] = quantile
    return HistGradientBoostingRegressor(**kw)


def too_small(frame: pd.DataFrame) -> str:
    """Why the data cannot carry a performance model, or '' when it can."""
    from lib.kpis.value import ENGAGEMENT_PARTS

    y, _, label = target(frame)
    n = int(y.notna().sum())
    if n == 0 or not any(c in frame for c in ENGAGEMENT_PARTS):
        return "The data has no engagement counts (likes, comments, shares), so there is nothing to predict."
    if n < MIN_POSTS:
        return (f"Only {n} posts have {label}; a model needs at least {MIN_POSTS} (and a few hundred to be "
                "useful) so that it can be tested on posts it has not seen.")
    return ""


def performance_model(frame: pd.DataFrame, n_splits: int = 4, seed: int = 0,
                      extra: tuple[str, ...] = ()) -> PerformanceReport:
    """Cross-validation of a gradient-boosting model against the training mean (time-ordered when posts have
    dates: learn from the past, test on the next block; shuffled folds otherwise, and it says so), permutation
    importance per feature group on the last fold, and the final models (with a 10-90 % band) on every post."""
    from sklearn.inspection import permutation_importance
    from sklearn.metrics import mean_absolute_error, r2_score
    from sklearn.model_selection import KFold, TimeSeriesSplit

    why = too_small(frame)
    if why:
        raise ValueError(why)
    y_all, name, label = target(frame)
    dated = "created_at" in frame and frame["created_at"].notna().mean() >= 0.9
    ok = y_all.notna() & (frame["created_at"].notna() if dated else True)
    df = frame.loc[ok].sort_values("created_at", kind="stable") if dated else frame.loc[ok]
    y = y_all.loc[df.index].to_numpy(dtype=float)
    x0, categories = post_features(df, extra=tuple(extra))
    texts = _texts(df)
    splitter = TimeSeriesSplit(n_splits=n_splits) if dated else KFold(n_splits, shuffle=True, random_state=seed)
    rows, last = [], None
    for i, (tr, te) in enumerate(splitter.split(x0)):
        x = _with_text(x0, texts, _text_model(texts.iloc[tr]))  # words learned from the training posts only
        xv = x.to_numpy()
        model = _gbm(seed=seed).fit(xv[tr], y[tr])
        pred = model.predict(xv[te])
        base = np.full(len(te), y[tr].mean())
        rows.append({"fold": i + 1, "train": len(tr), "test": len(te), "mae_model": mean_absolute_error(y[te], pred),
                     "mae_baseline": mean_absolute_error(y[te], base), "r2_model": r2_score(y[te], pred)})
        last = (model, te, x)
    folds = pd.DataFrame(rows)
    skill = float(1 - folds["mae_model"].mean() / folds["mae_baseline"].mean())
    wins = float((folds["mae_model"] < folds["mae_baseline"] * (1 - SKILL_MARGIN / 2)).mean())
    has_skill = skill >= SKILL_MARGIN and wins >= SKILL_FOLDS
    cv = "time-ordered" if dated else "shuffled (no dates: not tested on the future)"
    if has_skill:
        verdict = (f"The model predicts {label} better than the naive baseline: {skill:.0%} smaller error on "
                   f"posts it had not seen (won {wins:.0%} of the {cv} folds).")
    else:
        verdict = (f"No real skill: the model's error on unseen posts is {abs(skill):.0%} "
                   f"{'smaller' if skill > 0 else 'larger'} than simply predicting the average "
                   f"(won {wins:.0%} of folds). Treat its predictions as the average with a wide band.")
    model, te, x = last
    xv = x.to_numpy()
    imp = permutation_importance(model, xv[te], y[te], scoring="neg_mean_absolute_error", n_repeats=5,
                                 random_state=seed)
    per_col = pd.Series(imp.importances_mean, index=x.columns)
    pred_all = model.predict(xv)
    groups = []
    for g, cols in pd.Series(x.columns, index=x.columns).groupby(_group_of):
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
            best = max(means, key=means.get) if means else ""
            worst = min(means, key=means.get) if means else ""
            words = f"best: {best}; weakest: {worst}" if best else ""
        groups.append({"feature": g, "importance": value, "words": words})
    importance = pd.DataFrame(groups).sort_values("importance", ascending=False).reset_index(drop=True)
    text_model = _text_model(texts) if has_skill else None
    x = _with_text(x0, texts, text_model)
    xv = x.to_numpy()
    models = {"mid": _gbm(seed=seed).fit(xv, y), "low": _gbm("quantile", 0.1, seed).fit(xv, y),
              "high": _gbm("quantile", 0.9, seed).fit(xv, y)} if has_skill else {}
    return PerformanceReport(name, label, int(len(y)), folds, skill, has_skill, verdict, importance, cv, categories,
                             tuple(extra), list(x.columns), models, y, text_model)


def what_if(report: PerformanceReport, frame: pd.DataFrame, draft: dict, n_similar: int = 5) -> dict:
    """A draft post's predicted performance band, what pushes it up or down against a typical post, and the
    most similar past posts with their real results. Without model skill the band is the data's own 10-90 %
    range around its median, and it says so."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    from lib.listening.enrich import enrich

    row = pd.DataFrame([draft])
    if "created_at" in row:
        row["created_at"] = pd.to_datetime(row["created_at"], utc=True)
    if "text" in row and row["text"].fillna("").str.strip().any():
        row = enrich(row).frame
    y = report.train_y if report.train_y is not None else np.array([np.nan])
    out: dict = {"target": report.target_label, "has_skill": report.has_skill}
    if report.has_skill:
        x, _ = post_features(row, report.categories, report.extra)
        x = _with_text(x, _texts(row), report.text_model)
        x = x.reindex(columns=report.columns, fill_value=0.0)
        mid, lo, hi = (float(report.models[k].predict(x.to_numpy())[0]) for k in ("mid", "low", "high"))
        out.update(predicted=mid, low=min(lo, mid), high=max(hi, mid))
        # what pushes it: swap each feature group for the value of a typical post and see the prediction move
        hist, _ = post_features(frame, report.categories, report.extra)
        hist = _with_text(hist, _texts(frame), report.text_model)
        hist = hist.reindex(columns=report.columns, fill_value=0.0)
        typical = hist.median()
        pushes = []
        for g in sorted({_group_of(c) for c in report.columns}):
            cols = [c for c in report.columns if _group_of(c) == g]
            alt = x.copy()
            alt[cols] = typical[cols].to_numpy()
            delta = mid - float(report.models["mid"].predict(alt.to_numpy())[0])
            if abs(delta) > 1e-9:
                pushes.append({"feature": g, "effect": delta})
        out["pushes"] = pd.DataFrame(pushes, columns=["feature", "effect"]).sort_values("effect", key=abs,
                                                                                       ascending=False)
    else:
        out.update(predicted=float(np.nanmedian(y)), low=float(np.nanquantile(y, 0.1)),
                   high=float(np.nanquantile(y, 0.9)), pushes=pd.DataFrame(columns=["feature", "effect"]))
    texts = _texts(frame)
    draft_text = str(draft.get("text", ""))
    if draft_text.strip() and texts.str.strip().any():
        vec = TfidfVectorizer(stop_words="english", sublinear_tf=True, min_df=1).fit(texts.tolist() + [draft_text])
        sims = (vec.transform(texts) @ vec.transform([draft_text]).T).toarray().ravel()
        y_all, _, _ = target(frame)
        top = np.argsort(-sims)[:n_similar]
        cols = [c for c in ("created_at", "platform", "post_type", "text", "likes", "comments", "shares") if c in frame]
        similar = frame.iloc[top][cols].copy()
        similar.insert(0, "similarity", sims[top])
        similar[report.target] = y_all.iloc[top].to_numpy()
        out["similar"] = similar
    return out


# ------------------------------------------------------------------ trend forecasts
def forecast_series(series: pd.Series, horizon: int, alpha: float = 0.2) -> pd.DataFrame:
    """Damped-trend exponential smoothing (statsmodels ETS) of one regular series; columns period, kind
    (history / forecast), value, low, high ((1 - alpha) prediction interval)."""
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    s = series.astype(float).interpolate(limit_direction="both")
    hist = pd.DataFrame({"period": s.index, "kind": "history", "value": s.to_numpy(), "low": np.nan, "high": np.nan})
    if len(s) < MIN_PERIODS or s.std() == 0:
        last = float(s.iloc[-1]) if len(s) else np.nan
        step = s.index[-1] - s.index[-2] if len(s) >= 2 else pd.Timedelta(days=1)
        idx = [s.index[-1] + step * (i + 1) for i in range(horizon)]
        return pd.concat([hist, pd.DataFrame({"period": idx, "kind": "forecast", "value": last, "low": last,
                                              "high": last})], ignore_index=True)
    model = ETSModel(s.reset_index(drop=True), error="add", trend="add", damped_trend=True)
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = model.fit(disp=False, maxiter=200)
        pred = fit.get_prediction(start=len(s), end=len(s) + horizon - 1).summary_frame(alpha=alpha)
    step = s.index[-1] - s.index[-2]
    idx = [s.index[-1] + step * (i + 1) for i in range(horizon)]
    fc = pd.DataFrame({"period": idx, "kind": "forecast", "value": pred["mean"].to_numpy(),
                       "low": pred["pi_lower"].to_numpy(), "high": pred["pi_upper"].to_numpy()})
    return pd.concat([hist, fc], ignore_index=True)


def _complete_periods(full: pd.DatetimeIndex, ts: pd.Series, freq: str) -> pd.DatetimeIndex:
    """The periods without the first and last when the data covers under 60 % of them (a week whose posts
    stop on its Tuesday is not a quiet week: left in, it would bend every trend down). Kept when dropping
    would leave too few periods to forecast."""
    if len(full) < MIN_PERIODS + 2:
        return full
    step = {"D": pd.Timedelta(days=1), "W": pd.Timedelta(days=7)}.get(freq)
    length = (lambda p: step) if step is not None else (lambda p: (p + pd.offsets.MonthBegin(1)) - p)
    first, last = full[0], full[-1]
    lo, hi = (t.tz_convert("UTC").tz_localize(None) if t.tzinfo else t for t in (ts.min(), ts.max()))
    keep = full
    if ((first + length(first)) - lo) / length(first) < 0.6:
        keep = keep[1:]
    if (hi - last) / length(last) < 0.6:
        keep = keep[:-1]
    return keep


def trend_forecast(frame: pd.DataFrame, freq: str, horizon: int = 4, by: str | None = None,
                   top: int = 8) -> pd.DataFrame:
    """Per group (overall, or each of the `top` largest values of `by`) and measure (posts, negative share):
    history and forecast with intervals, and flags: 'likely to grow' when the forecast's lower bound at the
    horizon is 5 % or more above the recent level (last 3 periods), 'negative build-up' when the negative
    share's lower bound at the horizon is above its level over the whole history."""
    from lib.listening.overview import period_start

    df = frame[frame["created_at"].notna()]
    if df.empty:
        return pd.DataFrame()
    df = df.assign(period=period_start(df["created_at"], freq))
    full = pd.date_range(df["period"].min(), df["period"].max(), freq={"D": "D", "W": "W-MON", "MS": "MS"}[freq])
    full = _complete_periods(full, df["created_at"], freq)
    df = df[df["period"].isin(full)]
    groups = [("All posts", df)]
    if by and by in df:
        for value in df[by].astype("string").value_counts().index[:top]:
            groups.append((str(value), df[df[by].astype("string") == value]))
    out = []
    for name, part in groups:
        posts = part.groupby("period").size().reindex(full, fill_value=0)
        series = {"posts": posts}
        if "sentiment_label" in part:
            neg = (part["sentiment_label"] == "negative").groupby(part["period"]).sum().reindex(full, fill_value=0)
            series["negative_share"] = (neg / posts.where(posts > 0)).astype(float)
        for measure, s in series.items():
            fc = forecast_series(s, horizon)
            hi = 1.0 if measure == "negative_share" else None  # a share stays in [0, 1], a count above 0
            fc[["value", "low", "high"]] = fc[["value", "low", "high"]].clip(lower=0.0, upper=hi)
            fc.insert(0, "measure", measure)
            fc.insert(0, "group", name)
            recent = float(s.tail(3).mean())
            end = fc[fc["kind"] == "forecast"].iloc[-1]
            if measure == "posts":
                flag = "likely to grow" if end["low"] > recent * 1.05 and len(s) >= MIN_PERIODS else ""
            else:
                flag = "negative build-up" if end["low"] > float(s.mean()) and len(s) >= MIN_PERIODS else ""
            fc["flag"] = flag
            out.append(fc)
    return pd.concat(out, ignore_index=True)
