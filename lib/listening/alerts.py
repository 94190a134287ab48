"""Spike alerts: days whose volume or negative share breaks from the usual level of the days around them
(lib.listening.baseline), grouped into windows, each saying what was compared with what, what drove it (terms,
posts) and who amplified it (authors by reach)."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from lib.ingest.schema import dated_by
from lib.listening.baseline import WINDOW, Baseline, fit_baseline


@dataclass
class Alert:
    start: pd.Timestamp
    end: pd.Timestamp
    kinds: list[str]  # "volume", "negative share"
    posts: int
    expected_posts: float
    negative_share: float
    baseline_negative_share: float
    peak_z: float
    terms: list[str] = field(default_factory=list)
    post_ids: list[str] = field(default_factory=list)  # the posts that drive it, in `reading_order`
    amplifiers: pd.DataFrame = field(default_factory=pd.DataFrame)  # author, followers, posts, engagement
    compared_with: str = ""  # what was compared with what, in words
    spam_share: float = float("nan")  # share of the posts behind it whose own text looks like spam (`spam_share`)
    unit: str = "day"  # the data's own resolution (`own_periods`): "day", "month" or "year"
    terms_tentative: bool = False  # `terms` lean towards the window but none stands out for certain (`chosen_terms`)
    brands: pd.DataFrame = field(default_factory=pd.DataFrame)  # brand, posts, share, usual_share (`rank_brands`)

    def as_row(self) -> dict:
        return {"start": self.start.date().isoformat(), "end": self.end.date().isoformat(),
                "kind": " + ".join(self.kinds), "posts": self.posts, "expected_posts": round(self.expected_posts, 1),
                "negative_share": round(self.negative_share, 3),
                "baseline_negative_share": round(self.baseline_negative_share, 3), "peak_z": round(self.peak_z, 1),
                "terms": ", ".join(self.terms), "top_posts": " | ".join(self.post_ids[:5]),
                "amplifiers": ", ".join(self.amplifiers["author"].astype(str).head(5)) if len(self.amplifiers) else "",
                "compared_with": self.compared_with,
                "spam_share": round(self.spam_share, 3) if self.spam_share == self.spam_share else None,
                "terms_kind": ("tentative" if self.terms_tentative else "over-represented") if self.terms else "",
                "brands": brands_said(self.brands)}


def daily(posts: pd.DataFrame, label_col: str = "sentiment_label") -> pd.DataFrame:
    """Posts and negative posts per calendar day (UTC), every day in the range present."""
    df = posts.dropna(subset=["created_at"])
    day = df["created_at"].dt.tz_convert("UTC").dt.normalize()
    out = pd.DataFrame({"posts": df.groupby(day).size(),
                        "negative": (df[label_col] == "negative").groupby(day).sum()})
    full = pd.date_range(out.index.min(), out.index.max(), freq="D", tz="UTC") if len(out) else out.index
    return out.reindex(full, fill_value=0).rename_axis("day")


def own_periods(d: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    """The daily counts (`daily`) at the data's own resolution, and its name: a file dated by month (a review
    site's "2016-1", Year_Month) stores every post on the 1st, and its days made 48 "spikes" of a real four-year
    file, one on each 1st against a usual 0 a day; by year likewise (every post on 1 January)."""
    unit = dated_by(d.index[d["posts"] > 0])
    if unit == "day":
        return d, unit
    return d.resample("YS" if unit == "year" else "MS").sum().rename_axis("day"), unit


_STEP = {"day": pd.DateOffset(days=1), "month": pd.DateOffset(months=1), "year": pd.DateOffset(years=1)}
_WHEN = {"day": "%d %b %Y", "month": "%b %Y", "year": "%Y"}  # a period in words, at each resolution


def last_day(start: pd.Timestamp, unit: str) -> pd.Timestamp:
    """The last calendar day of the period that opens on `start`."""
    return start + _STEP[unit] - pd.Timedelta(days=1)


def around(unit: str) -> pd.Timedelta:
    """The background of an alert's driver terms, either side of it: four weeks of days, a year of months."""
    return {"day": pd.Timedelta(days=28), "month": pd.Timedelta(days=366), "year": pd.Timedelta(days=3 * 366)}[unit]


SPAM_NOTE = 0.2  # from this share of spam-like posts behind an alert, the app and the report say so
DEFAULT_SENSITIVITY = 3.5  # measured in lib.listening.baseline: ~1 false alarm in 5,000 Poisson days


def alert_windows(d: pd.DataFrame, sensitivity: float = DEFAULT_SENSITIVITY, min_posts: int = 10, unit: str = "day"
                  ) -> tuple[Baseline | None, list[tuple[pd.Timestamp, pd.Timestamp, list[str]]]]:
    """The baseline of the counts per period (`daily`, at the data's own resolution: `own_periods`) and each
    alert's first day, last day and kinds: all that needs only the counts, so a partitioned run (the Dask engine)
    finds its alerts from their sums. Hit periods less than 3 apart form one alert."""
    base = fit_baseline(d, unit)
    if base is None:
        return None, []
    vol_hit = (base.z_volume >= sensitivity) & (d["posts"] >= min_posts)
    neg_hit = (base.z_negative >= sensitivity) & (d["negative"] >= max(3, min_posts // 2))
    at = np.flatnonzero((vol_hit | neg_hit).fillna(False).to_numpy())
    windows = []
    for group in np.split(at, np.flatnonzero(np.diff(at) > 2) + 1) if len(at) else []:
        start, end = d.index[group[0]], last_day(d.index[group[-1]], unit)
        kinds = [k for k, h in (("volume", vol_hit), ("negative share", neg_hit)) if h.loc[start:end].any()]
        windows.append((start, end, kinds))
    return base, windows


def detect(posts: pd.DataFrame, sensitivity: float = DEFAULT_SENSITIVITY, min_posts: int = 10,
           label_col: str = "sentiment_label") -> list[Alert]:
    """Alerts where a day's volume or negative share is `sensitivity` z-scores above the usual level of the
    days around it (lib.listening.baseline says how it is made), or a month's of a file dated by month
    (`own_periods`). Lower sensitivity finds more (and smaller) alerts. Hit days less than 3 days apart form one
    alert."""
    d, unit = own_periods(daily(posts, label_col))
    base, windows = alert_windows(d, sensitivity, min_posts, unit)
    if base is None:
        return []
    return [_describe(posts, label_col, d, base, start, end, kinds) for start, end, kinds in windows]


def compared_with(d: pd.DataFrame, base: Baseline, start: pd.Timestamp, end: pd.Timestamp,
                  kinds: list[str]) -> str:
    """What was compared with what, in words, for the most surprising day of each kind in the window."""
    said = []
    when = {"day": "on %a %d %b", "month": "in %b %Y", "year": "in %Y"}[base.unit]
    if "volume" in kinds:
        day = base.z_volume.loc[start:end].idxmax()
        usual = f"{_about(base.expected[day])} for a {day:%A}" if base.weekday_adjusted else \
            f"{_about(base.expected[day])} a {base.unit}"
        said.append(f"{d['posts'][day]:,} posts {day.strftime(when)} vs a usual {usual} ({_basis(base, day)})"
                    + where_data_starts(d, start, end, base.unit))
    if "negative share" in kinds:
        day = base.z_negative.loc[start:end].idxmax()
        n, k = d["posts"][day], d["negative"][day]
        said.append(f"{k / n:.0%} negative {day.strftime(when)} ({k:,} of {n:,} posts) vs a usual "
                    f"{base.usual_share[day]:.0%} ({_basis(base, day, share=True)})")
    return "; ".join(said)


MOST = 0.5  # a volume alert holding this share of the dated posts, up to the data's end, may be its beginning


def where_data_starts(d: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp, unit: str) -> str:
    """A caution for a volume alert that is most of the data and runs to its end: a real X scrape of 1,290 dog
    tweets (its search reached back unevenly: 6 tweets over the 11 days before 7 April) made "07 Apr – 18 Apr:
    volume, 1,284 posts (about 6 expected)", which is where the collection began as much as a surge. A surge
    that ends before the data does, or holds less than half of it, gets no caution."""
    held, total = int(d.loc[start:end, "posts"].sum()), int(d["posts"].sum())
    if held < MOST * total or d.index[-1] > end + 2 * _STEP[unit] or start <= d.index[0]:
        return ""
    before = d.loc[:start - pd.Timedelta(days=1), "posts"]
    when = f"{start.day} {start:%b}" if unit == "day" else start.strftime("%b %Y" if unit == "month" else "%Y")
    return (f"; it holds {held:,} of the {total:,} dated posts and the {len(before):,} {unit}s before it "
            f"{int(before.sum()):,}: if the data was collected from {when} on (a scraper's search reaching back "
            "unevenly), this is where it starts, not a surge")


def _about(count: float) -> str:
    """An expected count in words: "under 1" rather than "0" for a usual 0.6 posts a day."""
    return "under 1" if count < 1 else f"{count:,.0f}"


def _basis(base: Baseline, day: pd.Timestamp, share: bool = False) -> str:
    """Which days the usual level was the median of, e.g. "median of the 4 ordinary days 18–21 Feb"."""
    n, first, last = int(base.reference_days[day]), base.reference_from[day], base.reference_to[day]
    if base.unit == "year":
        between = f"{first:%Y}–{last:%Y}"
    elif base.unit == "month":
        between = f"{first:%b}–{last:%b %Y}" if first.year == last.year else f"{first:%b %Y}–{last:%b %Y}"
    else:
        between = f"{first.day}–{last.day} {last:%b}" if (first.year, first.month) == (last.year, last.month) else \
            f"{first.day} {first:%b}–{last.day} {last:%b}"
    what = f"median of the {n} ordinary {base.unit}s {between}"
    if base.weekday_adjusted and not share:
        what += ", adjusted for the weekday"
    if base.edges_left_out and len(base.expected) <= WINDOW + 2:
        what += f"; first and last {base.unit} left out as often partial"
    return what


def window_posts(posts: pd.DataFrame, day: pd.Series, start: pd.Timestamp, end: pd.Timestamp, unit: str,
                 kinds: list[str], label_col: str = "sentiment_label") -> tuple[pd.DataFrame, pd.DataFrame,
                                                                               pd.DataFrame]:
    """An alert's posts, as both engines read them (`day`: each post's UTC day): those it is about (its negative
    ones for a negative-share alert), the posts around it (`around` its window: the terms' background), and the
    like posts around it (the negative ones for a negative-share alert: the brands' usual share)."""
    inside = posts[(day >= start) & (day <= end)]
    reach = around(unit)
    around_it = posts[((day < start) & (day >= start - reach)) | ((day > end) & (day <= end + reach))]
    if "negative share" not in kinds:
        return inside, around_it, around_it
    return inside[inside[label_col] == "negative"], around_it, around_it[around_it[label_col] == "negative"]


def _describe(posts: pd.DataFrame, label_col: str, d: pd.DataFrame, base: Baseline, start: pd.Timestamp,
              end: pd.Timestamp, kinds: list[str]) -> Alert:
    day = posts["created_at"].dt.tz_convert("UTC").dt.normalize()
    focus, around_it, usual = window_posts(posts, day, start, end, base.unit, kinds, label_col)
    prepared = term_texts(focus["text"])
    terms, tentative = chosen_of(prepared, term_texts(around_it["text"]))
    counts = d.loc[start:end]
    z = pd.concat([base.z_volume.loc[start:end], base.z_negative.loc[start:end]])
    return Alert(start=start, end=end, kinds=kinds, posts=int(counts["posts"].sum()),
                 expected_posts=float(base.expected.loc[start:end].sum()),
                 negative_share=float(counts["negative"].sum() / max(1, counts["posts"].sum())),
                 baseline_negative_share=float(base.usual_share.loc[start:end].median()), peak_z=float(z.max()),
                 terms=terms, post_ids=in_reading_order(focus, prepared, terms),
                 amplifiers=amplifiers(focus), compared_with=compared_with(d, base, start, end, kinds),
                 spam_share=spam_share(focus), unit=base.unit, terms_tentative=tentative,
                 brands=rank_brands(brand_counts(focus, usual)))


def span(alert: Alert, sep: str = "–") -> str:
    """When an alert was, at the data's resolution: "28 Nov 2013", "19 May–28 May 2015" (the year always: a
    report can span several), "Sep 2017", "2015"."""
    fmt = _WHEN[alert.unit]
    if last_day(alert.start, alert.unit) == alert.end:
        return alert.start.strftime(fmt)
    first = fmt.replace(" %Y", "") if alert.start.year == alert.end.year and alert.unit != "year" else fmt
    return f"{alert.start.strftime(first)}{sep}{alert.end.strftime(fmt)}"


def headline(alert: Alert) -> str:
    """An alert in one line, as the Listening page titles it: when, what, how big, how negative, how spammy."""
    a = alert
    when = span(a, " – ")
    expected = _about(a.expected_posts) if a.expected_posts < 1 else f"about {a.expected_posts:,.0f}"
    line = (f"{when}: {' and '.join(a.kinds)} · {a.posts:,} posts ({expected} expected) · negative "
            f"{a.negative_share:.0%} (usually {a.baseline_negative_share:.0%})")
    return line + (f" · {a.spam_share:.0%} spam-like" if a.spam_share >= SPAM_NOTE else "")


def background_days(alert: Alert, first: pd.Timestamp, last: pd.Timestamp) -> str:
    """The days an alert's driver terms were compared with, in words, given the data's first and last day: "the four
    weeks around it" said of a file of nine days was not what was compared."""
    unit, reach = alert.unit, around(alert.unit)
    start, end = max(first.normalize(), alert.start - reach), min(last.normalize(), alert.end + reach)
    if start == alert.start - reach and end == alert.end + reach:
        return "the four weeks either side of it" if unit == "day" else \
            f"the {'year' if unit == 'month' else 'three years'} either side of it"
    if start >= alert.start and end <= alert.end:
        return f"nothing: the data has no other {unit}s"
    fmt = _WHEN[unit]
    first_fmt = fmt.replace(" %Y", "") if start.year == end.year and unit != "year" else fmt
    return f"the other {unit}s from {start.strftime(first_fmt)} to {end.strftime(fmt)}"


def spam_note(alert: Alert) -> str:
    """What to say of an alert's spam, in words, when it is worth saying (`SPAM_NOTE` or more); else ""."""
    share = alert.spam_share
    if not share == share or share < SPAM_NOTE:
        return ""
    whose = "negative posts" if "negative share" in alert.kinds else "posts"  # the focus of `_describe`
    return (f"{share:.0%} of the {whose} behind it look like spam (a link where links are spam, or "
            "self-promotion): this spike may be a spam wave rather than a conversation.")


def spam_posts(focus: pd.DataFrame) -> pd.Series | None:
    """Which of an alert's posts (its focus: the negative ones for a negative-share alert) look like spam by their
    own text: a link where links are spam, or self-promotion (`lib.kpis.authenticity.self_promotion`, which reads
    no other post, so a partitioned run adds up the same counts). None without text."""
    from lib.kpis.authenticity import self_promotion

    return self_promotion(focus) if "text" in focus else None


def spam_share(focus: pd.DataFrame) -> float:
    """The share of `spam_posts`. A spike can be a spam wave, not a conversation: on the real UCI YouTube comments,
    83 % of the posts behind the 28 Nov 2013 alert are spam by the collection's own labels, and this share says
    83 %. NaN without posts or text."""
    flags = spam_posts(focus)
    return float(flags.mean()) if flags is not None and len(flags) else float("nan")


def engagement(df: pd.DataFrame) -> pd.Series:
    """Interactions a post received: likes + comments + shares + saves (missing counts as 0)."""
    cols = [c for c in ("likes", "comments", "shares", "saves") if c in df]
    if not cols:
        return pd.Series(0.0, index=df.index)
    return df[cols].astype("Float64").fillna(0).sum(axis=1).astype(float)


def amplifiers(df: pd.DataFrame, n: int = 10) -> pd.DataFrame:
    """Authors who carried these posts furthest: audience (followers) plus the engagement they got."""
    if "author" not in df or df.empty:
        return pd.DataFrame(columns=["author", "followers", "posts", "engagement", "reach_score"])
    followers = df["followers"].astype("Float64").fillna(0) if "followers" in df else pd.Series(0.0, index=df.index)
    g = pd.DataFrame({"author": df["author"], "followers": followers.astype(float), "engagement": engagement(df)})
    agg = g.groupby("author").agg(followers=("followers", "max"), posts=("author", "size"),
                                  engagement=("engagement", "sum")).reset_index()
    return rank_amplifiers(agg, n)


def rank_amplifiers(agg: pd.DataFrame, n: int = 10) -> pd.DataFrame:
    """The `n` authors of `agg` (one row per author, sorted by author: followers, posts, engagement) with the
    highest reach score, then the most posts; separate so that a partitioned run ranks its merged per-author sums
    the same way."""
    agg["reach_score"] = np.log1p(agg["followers"]) + np.log1p(agg["engagement"])
    # ties (an export with no follower or engagement counts has only ties) go to the authors with more posts
    return agg.sort_values(["reach_score", "posts"], ascending=False).head(n).reset_index(drop=True)


def brand_counts(focus: pd.DataFrame, usual: pd.DataFrame) -> pd.DataFrame:
    """Per brand, its posts among an alert's focus posts and among the like posts around it (the negative ones for a
    negative-share alert); empty without a brand column. Counts, so a partitioned run adds them up."""
    if "brand" not in focus or "brand" not in usual:
        return pd.DataFrame({"brand": pd.Series(dtype=object), "posts": pd.Series(dtype=float),
                             "around": pd.Series(dtype=float)})
    return pd.DataFrame({"posts": focus["brand"].value_counts(), "around": usual["brand"].value_counts()}) \
        .fillna(0.0).rename_axis("brand").reset_index()


BRANDS_SAID = 3  # the brands an alert names, those most above their usual share first


def rank_brands(counts: pd.DataFrame) -> pd.DataFrame:
    """The brands an alert's focus posts hold more of than the posts around it (`brand_counts`), by how many posts
    above their usual share: 35 % of a real spike of 6,107 airline tweets are American's, usually 7 %. Empty where
    the data has fewer than two brands or the days around hold none of the like posts."""
    counts = counts[counts["posts"] + counts["around"] > 0]
    if len(counts) < 2 or not counts["around"].sum() or not counts["posts"].sum():
        return pd.DataFrame(columns=["brand", "posts", "share", "usual_share"])
    out = counts.assign(share=counts["posts"] / counts["posts"].sum(),
                        usual_share=counts["around"] / counts["around"].sum())
    out = out.assign(excess=out["posts"] - out["usual_share"] * out["posts"].sum())
    out = out[out["excess"] >= 1].sort_values(["excess", "brand"], ascending=[False, True]).head(BRANDS_SAID)
    return out[["brand", "posts", "share", "usual_share"]].astype({"posts": int}).reset_index(drop=True)


def brands_said(brands: pd.DataFrame) -> str:
    """"AmericanAir 38% (usually 18%); ..." (alerts.csv, the page, the report)."""
    return "; ".join(f"{r.brand} {r.share:.0%} (usually {r.usual_share:.0%})" for r in brands.itertuples())


# words of 3 letters or more, and a "n't" kept with its verb: "doesn't work" split as "doesn, work" on a real
# spike of app reviews, and "won't open" would drive an alert as "won"
TERM_OPTIONS = {"stop_words": "english", "ngram_range": (1, 2),
                "token_pattern": r"(?u)\b(?:[a-zA-Z]{2,}n't|[a-zA-Z]{3,})\b"}


def term_texts(texts: pd.Series) -> pd.Series:
    """The text whose words may drive an alert: prepared as for topics (`lib.topics.prepare.prepare_texts`), so no
    link fragment ("http www"), @handle or HTML tag is ever a driver term."""
    from lib.topics.prepare import prepare_texts

    return prepare_texts(texts).str.replace("\u2019", "'", regex=False)  # "doesn’t" as "doesn't"


def reading_order(engaged: np.ndarray, hits: np.ndarray, at: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """Positions of an alert's posts in the order a reader should meet them: most engaged first; posts that tie
    (every post of a file without engagement counts) by how many of the alert's driver terms they use (`hits`),
    then earliest (`at`, `times`), then the run's order; each text's first post (`keys`, `text_keys`) before any
    copy of it. In the order of the file, 6,107 real airline tweets of a spike over cancellations at DFW showed
    "Middle seat on a red eye" first. One function for both engines, so alerts.csv's top posts are the page's."""
    order = np.lexsort((np.arange(len(engaged)), at, -np.asarray(hits), -engaged))
    first = ~pd.Series(keys[order]).duplicated().to_numpy()
    return np.concatenate([order[first], order[~first]])


def in_reading_order(focus: pd.DataFrame, prepared: pd.Series, terms: list[str]) -> list[str]:
    """The ids of an alert's posts (`focus`; `prepared`: their texts, `term_texts`) in `reading_order`."""
    order = reading_order(engagement(focus).to_numpy(dtype=float), term_hits(prepared, terms),
                          times(focus["created_at"]), text_keys(focus["text"]))
    return focus["post_id"].astype(str).to_numpy()[order].tolist()


def term_hits(prepared: pd.Series, terms: list[str]) -> np.ndarray:
    """How many of `terms` each text (prepared: `term_texts`) uses."""
    from sklearn.feature_extraction.text import CountVectorizer

    if not terms or not len(prepared):
        return np.zeros(len(prepared), dtype=int)
    vec = CountVectorizer(vocabulary=sorted(set(terms)), **TERM_OPTIONS)
    return np.asarray((vec.transform(prepared) > 0).sum(axis=1)).ravel()


def times(created_at: pd.Series) -> np.ndarray:
    """The posts' times as nanoseconds, whatever unit the frame keeps them in (parquet reads microseconds)."""
    return created_at.dt.as_unit("ns").astype("int64").to_numpy()


def text_keys(texts: pd.Series) -> np.ndarray:
    """One number per post, the same for the same words whatever their case or edge spaces (a retweet, a pasted
    complaint): pandas' hash, the same in every process, so a partitioned run tells texts apart as the local one."""
    return pd.util.hash_pandas_object(texts.fillna("").astype(str).str.strip().str.lower(), index=False).to_numpy()


def posts_behind(alert: Alert, posts: pd.DataFrame) -> pd.DataFrame:
    """The alert's posts (`alert.post_ids`, those of `posts`) in the order a reader should meet them
    (`reading_order`, decided when the alert was found), each text once with `copies`, the posts that said it."""
    rank = {pid: i for i, pid in enumerate(alert.post_ids)}
    ids = posts["post_id"].astype(str)
    at = ids.map(rank)
    found = posts.loc[at.notna()].iloc[np.argsort(at.dropna().to_numpy(), kind="stable")]
    key = pd.Series(text_keys(found["text"]) if "text" in found else found["post_id"].astype(str).to_numpy())
    copies = key.map(key.value_counts()).to_numpy()
    first = ~key.duplicated().to_numpy()
    return found[first].assign(copies=copies[first])


def driver_terms(focus: pd.Series, background: pd.Series, n: int = 8) -> list[str]:
    """Words and bigrams most over-represented in `focus` against `background` (log-odds with a
    Dirichlet prior, Monroe et al. 2008), so frequent-everywhere words do not win."""
    counted = _counts(term_texts(focus), term_texts(background))
    return pick_terms(*counted, n) if counted else []


def chosen_of(focus: pd.Series, background: pd.Series, n: int = 8) -> tuple[list[str], bool]:
    """`chosen_terms` of texts already prepared (`term_texts`)."""
    counted = _counts(focus, background)
    return chosen_terms(*counted, n) if counted else ([], False)


def _counts(focus: pd.Series, background: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """The terms of prepared texts in at least 2 of them (the vectorizer's sorted order), and each one's count in
    `focus` and in `background`; None where there is no term."""
    from sklearn.feature_extraction.text import CountVectorizer

    if focus.str.len().sum() == 0:
        return None
    vec = CountVectorizer(min_df=2, **TERM_OPTIONS)
    try:
        x = vec.fit_transform(pd.concat([focus, background]))
    except ValueError:
        return None
    a = np.asarray(x[: len(focus)].sum(axis=0)).ravel()
    b = np.asarray(x[len(focus):].sum(axis=0)).ravel()
    return np.array(vec.get_feature_names_out()), a, b


def chosen_terms(terms: np.ndarray, a: np.ndarray, b: np.ndarray, n: int = 8) -> tuple[list[str], bool]:
    """An alert's terms (`pick_terms`) and whether they are tentative. A spike that is most of its file (a care dump
    of one Halloween: 474 of 543 tweets on 30 Oct-1 Nov) has fewer words around it than in it, and no term can
    stand out for certain against so little: the page said "no distinctive terms" of 474 tweets. The terms most
    over-represented all the same are then given, and said to be tentative ("halloween, don't, costume, burrito";
    its most used were "just, don't, thanks, help"). Where the background is larger and nothing stands out,
    nothing is given."""
    picked = pick_terms(terms, a, b, n)
    if picked or b.sum() >= a.sum():
        return picked, False
    return _distinct(terms, np.argsort(-(z := _log_odds_z(a, b))), (a >= 3) & (z > 0), n, a), True


PHRASE = 0.8  # a word gives way to a phrase of it that its posts write at least this often as they write the word


def _distinct(terms: np.ndarray, order: np.ndarray, ok: np.ndarray, n: int, a: np.ndarray) -> list[str]:
    """Up to n of `terms` in `order` where `ok`, none inside another already taken ("delay" beside "flight delay"),
    a word given as the phrase it is nearly always part of (`PHRASE`, counts `a` in the focus): a real spike of
    brand queries read "time, warner, night, museum" for 35 tweets about Time Warner and 25 about "Night at the
    Museum", and the report's summary said it was "about time, warner, night"."""
    phrases: dict[str, list[int]] = {}  # word -> the phrases of it that may be picked
    for j in np.flatnonzero(ok).tolist():
        if " " in terms[j]:
            for w in terms[j].split():
                phrases.setdefault(w, []).append(j)
    picked: list[str] = []
    for i in order:
        if not ok[i]:
            continue
        t = terms[i]
        whole = [j for j in phrases.get(t, []) if a[j] >= PHRASE * a[i]]
        if whole:
            phrase = terms[max(whole, key=lambda j: a[j])]
            taken = {w for p in picked for w in p.split()}
            if not taken & (set(phrase.split()) - {t}):  # no chain of one template's "check new, new mixtape"
                t = phrase
        if any(t in p or p in t for p in picked):
            continue
        picked.append(t)
        if len(picked) == n:
            break
    return picked


def _log_odds_z(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Each term's z-score of over-representation in the focus (`a`) against the background (`b`): log-odds with an
    informative Dirichlet prior (Monroe et al. 2008)."""
    prior = (a + b) / (a + b).sum() * 100 + 0.01
    a0, b0 = a.sum() + prior.sum(), b.sum() + prior.sum()
    delta = (np.log((a + prior) / (a0 - a - prior)) - np.log((b + prior) / (b0 - b - prior)))
    return delta / np.sqrt(1 / (a + prior) + 1 / (b + prior))


def pick_terms(terms: np.ndarray, a: np.ndarray, b: np.ndarray, n: int = 8) -> list[str]:
    """`driver_terms` from the counts: `terms` in the vectorizer's (sorted) order, each one's count in the focus
    (`a`) and the background (`b`); separate so that a partitioned run picks from its summed counts."""
    z = _log_odds_z(a, b)
    return _distinct(terms, np.argsort(-z), (a >= 3) & (z > 1.96), n, a)


def shown_terms(table: pd.DataFrame) -> pd.Series:
    """An alerts table's terms as a reader should meet them: tentative ones (`chosen_terms`) said to be so
    ("tentatively: halloween, costume"); a table without `terms_kind` (a run written before it) as it is."""
    if "terms_kind" not in table:
        return table["terms"]
    tentative = (table["terms_kind"] == "tentative") & table["terms"].astype(bool)
    return table["terms"].where(~tentative, "tentatively: " + table["terms"])


def alerts_frame(alerts: list[Alert]) -> pd.DataFrame:
    cols = ["start", "end", "kind", "posts", "expected_posts", "negative_share", "baseline_negative_share", "peak_z",
            "terms", "top_posts", "amplifiers", "compared_with", "spam_share", "terms_kind", "brands"]
    return pd.DataFrame([a.as_row() for a in alerts], columns=cols)


__all__ = ["Alert", "alert_windows", "own_periods", "last_day", "around", "span", "detect", "alerts_frame",
           "driver_terms", "amplifiers", "daily", "engagement",
           "pick_terms", "chosen_terms", "chosen_of", "rank_amplifiers", "headline", "spam_note", "spam_posts",
           "spam_share", "SPAM_NOTE",
           "reading_order", "in_reading_order", "term_hits", "times", "text_keys", "posts_behind", "shown_terms",
           "brand_counts", "rank_brands", "brands_said", "window_posts"]
