"""Audience: behavioural segments of authors (UMAP -> HDBSCAN over per-author features) and personas.

Why this shape:
- features are per author and readable (posts, active days, engagement per post, share negative, ...):
  the same table feeds the clustering, the map's tooltips and the persona descriptions;
- every numeric feature is scaled robustly (median and interquartile range, clipped at 4), and every
  feature *group* is then scaled to the same total variance times the user's weight, so a group with many
  columns (a topic mix) does not outvote a group with one (followers);
- neighbours are computed exactly (scikit-learn) and handed to UMAP, so pynndescent's compilation is
  skipped and a fixed seed gives the same segments on every run;
- HDBSCAN's noise is kept and reported (each noise author also gets its nearest segment), and a second
  run with another seed measures how stable the segments are.
"""
from __future__ import annotations

import json
import time
import warnings
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd

warnings.filterwarnings("ignore", message=r"precomputed_knn\[2\]", category=UserWarning)
Stage = Callable[[str, float], None]

FEATURE_GROUPS: dict[str, tuple[str, str]] = {
    # name: (plain label, what it measures)
    "activity": ("Activity", "posts, active days, days since the last post, usual hour of day, weekend share"),
    "engagement": ("Engagement", "engagement received per post, engagement rate, comments per like, share of replies"),
    "influence": ("Influence", "followers (log scale)"),
    "sentiment": ("Sentiment", "mean VADER score, its spread, share of negative and positive posts"),
    "emotion": ("Emotion mix", "share of posts per dominant emotion"),
    "intent": ("Intent mix", "share of posts per intent (question, complaint, praise, ...)"),
    "topics": ("Topic mix", "share of posts per topic (when topics have been found)"),
    "platform": ("Platform mix", "share of posts per platform"),
    "content": ("Content-type mix", "share of posts per post type (text, image, video, ...)"),
}
MIXES = {"emotion": "emotion", "intent": "intent", "topics": "topic_label", "platform": "platform",
         "content": "post_type"}
NOISE = -1
MAX_STABILITY_AUTHORS = 60_000  # above this the second, differently seeded run is skipped (minutes on 2 cores)


@dataclass(frozen=True)
class AudienceSettings:
    """Everything that determines the segments; equal settings on equal data give equal segments."""
    groups: tuple[str, ...] = tuple(FEATURE_GROUPS)
    weights: tuple[tuple[str, float], ...] = ()  # group -> weight (default 1)
    neighbours: int = 15        # UMAP neighbourhood: small = many local segments, large = broad ones
    min_segment: int = 0        # smallest segment in authors; 0 = automatic (3 % of authors, 8 to 1,000)
    strictness: int = 5         # HDBSCAN min_samples: higher = more authors left as noise
    seed: int = 42
    unit: str = "authors"       # "authors", or "posts" when there are no authors to speak of

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> AudienceSettings:
        data = json.loads(text)
        data["groups"] = tuple(data.get("groups", FEATURE_GROUPS))
        data["weights"] = tuple(tuple(w) for w in data.get("weights", ()))
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})

    def resolved_min_size(self, n: int) -> int:
        return int(self.min_segment) if self.min_segment > 0 else int(max(8, min(1000, round(n * 0.03))))


@dataclass
class AudienceResult:
    """Segments of one dataset, small enough to store and reload without refitting."""
    settings: AudienceSettings
    authors: pd.DataFrame       # author, segment (-1 noise), nearest_segment, probability, x, y, features...
    groups: dict[str, list[str]]  # feature group -> its columns in `authors`
    personas: pd.DataFrame      # segment, name, description, authors, share, ... (see `profiles`)
    metrics: dict = field(default_factory=dict)


# ------------------------------------------------------------------ data checks
def author_coverage(posts: pd.DataFrame) -> dict:
    """How much author information the data has: the page and CLI decide on authors vs posts from this."""
    if "author" not in posts or posts["author"].isna().all():
        return {"has_authors": False, "authors": 0, "posts_per_author": 0.0, "repeat_share": 0.0,
                "why": "The data has no author column."}
    counts = posts["author"].dropna().astype(str).value_counts()
    repeat = float((counts > 1).mean())
    out = {"has_authors": True, "authors": int(len(counts)), "posts_per_author": float(counts.mean()),
           "repeat_share": repeat, "why": ""}
    if len(counts) < 20:
        out["why"] = f"Only {len(counts)} authors: too few to segment."
    elif counts.max() <= 1:
        out["why"] = "Every author wrote one post, so there is no behaviour to compare beyond that post."
    elif repeat < 0.2:
        out["why"] = (f"Only {repeat:.0%} of authors wrote more than one post: their activity, hour and mix "
                      "features come from a single post, so segments mostly reflect single posts.")
    return out


# ------------------------------------------------------------------ features
def _num(posts: pd.DataFrame, col: str) -> pd.Series:
    if col not in posts:
        return pd.Series(np.nan, index=posts.index, dtype=float)
    return pd.to_numeric(posts[col], errors="coerce").astype(float)


def author_features(frame: pd.DataFrame, unit: str = "authors") -> tuple[pd.DataFrame, dict[str, list[str]]]:
    """One row per author (or per post when unit == 'posts') with readable behavioural features.

    Returns the table (index: author) and the columns of each feature group present in the data."""
    from lib.kpis.value import engagement, rate_basis

    key = (frame["post_id"].astype(str) if unit == "posts" or "author" not in frame
           else frame["author"].astype("string"))
    ok = key.notna()
    f = frame.loc[ok]
    key = key[ok].astype(str)
    g_index = pd.Index(key.unique(), name="author")
    codes = pd.Categorical(key, categories=g_index).codes
    n = np.bincount(codes, minlength=len(g_index)).astype(float)

    def mean(values: pd.Series) -> np.ndarray:
        v = values.to_numpy(dtype=float)
        have = ~np.isnan(v)
        s = np.bincount(codes[have], v[have], len(g_index))
        c = np.bincount(codes[have], minlength=len(g_index))
        return np.where(c > 0, s / np.maximum(c, 1), np.nan)

    out = pd.DataFrame(index=g_index)
    groups: dict[str, list[str]] = {}
    out["posts"] = n
    if "created_at" in f and f["created_at"].notna().any():
        ts = f["created_at"]
        secs = pd.Series((ts - pd.Timestamp("1970-01-01", tz="UTC")).dt.total_seconds().to_numpy())
        days = pd.DataFrame({"k": codes, "d": np.floor(secs / 86400)}).dropna().drop_duplicates().groupby("k").size()
        out["active_days"] = days.reindex(range(len(g_index)), fill_value=0).to_numpy()
        last = secs.groupby(codes).max().reindex(range(len(g_index))).to_numpy()
        out["days_since_last"] = (secs.max() - last) / 86400
        hour = ts.dt.hour + ts.dt.minute / 60
        sin, cos = mean(np.sin(2 * np.pi * hour / 24)), mean(np.cos(2 * np.pi * hour / 24))
        out["usual_hour"] = (np.degrees(np.arctan2(sin, cos)) / 15) % 24
        out["hour_sin"], out["hour_cos"] = sin, cos
        out["weekend_share"] = mean((ts.dt.weekday >= 5).astype(float).where(ts.notna()))
        groups["activity"] = ["posts", "active_days", "days_since_last", "hour_sin", "hour_cos", "weekend_share"]
    else:
        groups["activity"] = ["posts"]
    if unit == "posts":
        groups["activity"] = [c for c in groups["activity"] if c not in ("posts", "active_days", "days_since_last")]

    eng = engagement(f)
    if eng.sum() > 0:
        out["engagement_per_post"] = mean(eng)
        cols = ["engagement_per_post"]
        basis_col = rate_basis(f)
        if basis_col:
            basis = _num(f, basis_col).fillna(0).to_numpy()
            e_sum = np.bincount(codes, eng.to_numpy(dtype=float), len(g_index))
            b_sum = np.bincount(codes, basis, len(g_index))
            out["engagement_rate"] = np.where(b_sum > 0, e_sum / np.maximum(b_sum, 1), np.nan)
            cols.append("engagement_rate")
        if "comments" in f and "likes" in f:
            c_sum = np.bincount(codes, _num(f, "comments").fillna(0).to_numpy(), len(g_index))
            l_sum = np.bincount(codes, _num(f, "likes").fillna(0).to_numpy(), len(g_index))
            out["comments_per_like"] = c_sum / (l_sum + 1)
            cols.append("comments_per_like")
        groups["engagement"] = cols
    if "parent_id" in f and f["parent_id"].notna().any():
        out["reply_share"] = mean(f["parent_id"].notna().astype(float))
        groups.setdefault("engagement", []).append("reply_share")
    fol = _num(f, "followers")
    if fol.notna().any():
        mx = pd.Series(fol.to_numpy()).groupby(codes).max().reindex(range(len(g_index)))
        out["followers"] = mx.to_numpy()
        groups["influence"] = ["followers"]
    if "sentiment" in f and f["sentiment"].notna().any():
        s = f["sentiment"].astype(float)
        out["mean_sentiment"] = mean(s)
        out["sentiment_spread"] = np.sqrt(np.maximum(mean(s * s) - out["mean_sentiment"].to_numpy() ** 2, 0))
        label = f["sentiment_label"] if "sentiment_label" in f else pd.Series(
            np.where(s >= 0.05, "positive", np.where(s <= -0.05, "negative", "neutral")), index=f.index)
        out["negative_share"] = mean((label == "negative").astype(float))
        out["positive_share"] = mean((label == "positive").astype(float))
        groups["sentiment"] = ["mean_sentiment", "sentiment_spread", "negative_share", "positive_share"]
    for group, col in MIXES.items():
        if col not in f or f[col].isna().all():
            continue
        values = f[col].astype("string").fillna("(none)")
        if group == "topics" and "topic" in f:
            values = values.where(f["topic"].astype(int) >= 0, "Outliers")
        cats = values.value_counts()
        cats = cats[cats / len(values) >= 0.005].index[:40]  # rare values add noise, not behaviour
        if len(cats) < 2:
            continue
        cols = []
        for cat in cats:
            name = f"{group}: {cat}"
            out[name] = mean((values == cat).astype(float))
            cols.append(name)
        groups[group] = cols
    return out, groups


def design_matrix(table: pd.DataFrame, groups: dict[str, list[str]], use: tuple[str, ...],
                  weights: dict[str, float] | None = None) -> tuple[np.ndarray, list[str]]:
    """The matrix the clustering sees, and the groups in it.

    Numeric features: (x - median) / IQR, clipped to [-4, 4] (counts and followers on a log scale first).
    Mix shares are used as they are. Each group is then divided by the square root of its total variance and
    multiplied by its weight, so every group carries the same say by default."""
    parts, used = [], []
    weights = weights or {}
    for group in use:
        cols = groups.get(group)
        w = float(weights.get(group, 1.0))
        if not cols or w <= 0:
            continue
        x = table[cols].astype(float).copy()
        if group not in MIXES:
            for c in ("posts", "active_days", "engagement_per_post", "followers", "days_since_last"):
                if c in x:
                    x[c] = np.log1p(x[c].clip(lower=0))
            if "engagement_rate" in x:
                x["engagement_rate"] = np.log(x["engagement_rate"] + 1e-3)
            med = x.median()
            iqr = (x.quantile(0.75) - x.quantile(0.25))
            iqr = iqr.where(iqr > 0, x.std()).replace(0, 1).fillna(1)
            x = ((x - med) / iqr).clip(-4, 4)
        x = x.fillna(0).to_numpy()
        total = float(x.var(axis=0).sum())
        if total <= 1e-12:
            continue  # constant over every author: says nothing
        parts.append(x / np.sqrt(total) * w)
        used.append(group)
    if not parts:
        return np.zeros((len(table), 0)), []
    return np.hstack(parts), used


# ------------------------------------------------------------------ clustering
def _knn(m: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    from sklearn.neighbors import NearestNeighbors

    nn = NearestNeighbors(n_neighbors=k, algorithm="brute" if m.shape[1] > 15 else "auto").fit(m)
    dist, idx = nn.kneighbors(m)
    return idx.astype(np.int64), dist.astype(np.float32)


def _umap(m: np.ndarray, knn: tuple[np.ndarray, np.ndarray], dims: int, seed: int, epochs: int) -> np.ndarray:
    from umap import UMAP

    idx, dist = knn
    return UMAP(n_neighbors=idx.shape[1], n_components=dims, min_dist=0.0 if dims > 2 else 0.1,
                random_state=seed, n_epochs=epochs, precomputed_knn=(idx, dist, None), low_memory=True,
                n_jobs=1).fit_transform(m)


def _hdbscan(reduced: np.ndarray, min_size: int, strictness: int) -> tuple[np.ndarray, np.ndarray]:
    from hdbscan import HDBSCAN

    cl = HDBSCAN(min_cluster_size=min_size, min_samples=max(1, min(strictness, min_size))).fit(reduced)
    labels = cl.labels_.astype(int)
    # biggest segment first: ids are stable names for "the largest, the second largest, ..."
    sizes = pd.Series(labels[labels >= 0]).value_counts()
    remap = {old: new for new, old in enumerate(sizes.index)} | {NOISE: NOISE}
    return np.array([remap[v] for v in labels], dtype=int), cl.probabilities_


def _nearest(reduced: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Each author's segment, and for noise the segment with the nearest centre."""
    seg = np.unique(labels[labels >= 0])
    if len(seg) == 0:
        return labels.copy()
    centres = np.vstack([reduced[labels == s].mean(axis=0) for s in seg])
    out = labels.copy()
    noise = labels < 0
    if noise.any():
        d = ((reduced[noise, None, :] - centres[None, :, :]) ** 2).sum(axis=2)
        out[noise] = seg[d.argmin(axis=1)]
    return out


def find_segments(frame: pd.DataFrame, settings: AudienceSettings = AudienceSettings(),
                  stage: Stage | None = None) -> AudienceResult:
    """Segment the authors of an enriched frame (listening columns, and topics when found).

    Raises ValueError with a plain message when there is too little to segment."""
    from sklearn.cluster import KMeans
    from sklearn.metrics import adjusted_rand_score, silhouette_score

    stage = stage or (lambda msg, frac: None)
    t0 = time.perf_counter()
    stage("Describing every author's behaviour", 0.05)
    table, groups = author_features(frame, settings.unit)
    n = len(table)
    what = "posts" if settings.unit == "posts" else "authors"
    if n < 20:
        raise ValueError(f"Only {n} {what}: at least 20 are needed to find segments.")
    m, used = design_matrix(table, groups, settings.groups, dict(settings.weights))
    if not used:
        raise ValueError("None of the chosen feature groups varies between authors in this data. "
                         "Switch on more groups.")
    timings = {"features": time.perf_counter() - t0}

    t1 = time.perf_counter()
    stage(f"Finding each of {n:,} {what}' nearest neighbours", 0.15)
    k = max(2, min(settings.neighbours, n - 1))
    knn = _knn(m, k)
    stage("Reducing dimensions (UMAP)", 0.3)
    reduced = _umap(m, knn, 5, settings.seed, 200)
    timings["umap"] = time.perf_counter() - t1
    t2 = time.perf_counter()
    stage("Clustering (HDBSCAN)", 0.55)
    min_size = settings.resolved_min_size(n)
    labels, prob = _hdbscan(reduced, min_size, settings.strictness)
    timings["hdbscan"] = time.perf_counter() - t2

    t3 = time.perf_counter()
    stage("Drawing the map", 0.65)
    xy = _umap(m, knn, 2, settings.seed, 100)
    timings["map"] = time.perf_counter() - t3

    t4 = time.perf_counter()
    stage("Checking stability and comparing with k-means", 0.8)
    n_seg = int(labels.max() + 1) if (labels >= 0).any() else 0
    metrics: dict = {"authors": n, "unit": settings.unit, "segments": n_seg, "min_segment": min_size,
                     "noise_share": float((labels < 0).mean()), "groups_used": used, "dimensions": int(m.shape[1])}
    sample = np.random.default_rng(0).choice(n, min(n, 5000), replace=False)
    clustered = sample[labels[sample] >= 0]
    if n_seg >= 2 and len(np.unique(labels[clustered])) >= 2:
        metrics["silhouette"] = float(silhouette_score(m[clustered], labels[clustered]))
    if n_seg >= 2:
        km = KMeans(n_clusters=n_seg, n_init=4, random_state=settings.seed).fit_predict(m)
        metrics["kmeans_k"] = n_seg
        metrics["kmeans_silhouette"] = float(silhouette_score(m[sample], km[sample]))
        metrics["kmeans_agreement_ari"] = float(adjusted_rand_score(labels, km))
    if n <= MAX_STABILITY_AUTHORS and n_seg >= 1:
        other, _ = _hdbscan(_umap(m, knn, 5, settings.seed + 1, 200), min_size, settings.strictness)
        metrics["stability_ari"] = float(adjusted_rand_score(labels, other))
        metrics["stability_segments"] = int(other.max() + 1)
    timings["checks"] = time.perf_counter() - t4

    authors = table.reset_index()
    authors.insert(1, "segment", labels)
    authors.insert(2, "nearest_segment", _nearest(reduced, labels))
    authors.insert(3, "probability", prob)
    authors.insert(4, "x", xy[:, 0])
    authors.insert(5, "y", xy[:, 1])
    stage("Writing personas", 0.95)
    personas = profiles(authors, groups, frame, settings.unit)
    timings["total"] = time.perf_counter() - t0
    metrics["timings"] = timings
    return AudienceResult(settings, authors, groups, personas, metrics)


# ------------------------------------------------------------------ personas
_NO_VALUE = {"none", "other", "(none)", "Outliers"}
_PLATFORM_NAMES = {"facebook": "Facebook", "instagram": "Instagram", "x": "X", "tiktok": "TikTok",
                   "linkedin": "LinkedIn", "youtube": "YouTube", "reddit": "Reddit"}


def _activity_word(ratio: float) -> tuple[str, str]:
    if ratio >= 2.0:
        return "Power", "very active"
    if ratio >= 1.25:
        return "Regular", "active"
    if ratio >= 0.75:
        return "Occasional", "moderately active"
    return "Rare", "rarely posting"


def _tone(pos: float, neg: float, neu: float) -> tuple[str, str]:
    if neg >= 0.35 or neg > pos:
        return "critics", f"critical ({neg:.0%} negative)"
    if pos >= 0.75:
        return "advocates", f"enthusiastic ({pos:.0%} positive)"
    if neu >= 0.5:
        return "onlookers", f"mostly neutral ({neu:.0%} neutral)"
    if pos < 0.7:  # more positive than not, but far from won over
        return "cautious supporters", (f"positive with reservations ({pos:.0%} positive, {neu:.0%} neutral, "
                                       f"{neg:.0%} negative)")
    return "supporters", f"positive ({pos:.0%} positive)"


def profiles(authors: pd.DataFrame, groups: dict[str, list[str]], frame: pd.DataFrame | None = None,
             unit: str = "authors") -> pd.DataFrame:
    """One row per segment (noise last): size, share, key figures, a generated name and description.

    The name reads the segment's activity against the median author and its tone; the description adds
    what most sets it apart: influence, its most over-represented topic, platform, content type and hour."""
    rows = []
    overall_posts = float(authors["posts"].median()) or 1.0
    mix_overall = {g: authors[groups[g]].mean() for g in ("topics", "platform", "content", "intent", "emotion")
                   if g in groups}
    fol_median = float(authors["followers"].median()) if "followers" in authors else np.nan
    for seg, part in authors.groupby("segment"):
        row: dict = {"segment": int(seg), "authors": len(part), "share": len(part) / len(authors),
                     "posts": int(part["posts"].sum()), "posts_per_author": float(part["posts"].mean())}
        for col in ("followers", "engagement_per_post", "engagement_rate", "mean_sentiment", "negative_share",
                    "positive_share", "usual_hour"):
            if col in part:
                row[col] = float(part[col].median() if col in ("followers", "engagement_per_post") else part[col].mean())
        if "usual_hour" in part:
            ang = np.arctan2(part["hour_sin"].mean(), part["hour_cos"].mean())
            row["usual_hour"] = float((np.degrees(ang) / 15) % 24)
        lifts = {}
        for g, overall in mix_overall.items():
            share = part[groups[g]].mean()
            lift = share / overall.replace(0, np.nan)
            top = (share * (lift >= 1.3)).idxmax() if (lift >= 1.3).any() else share.idxmax()
            row[f"top_{g}"] = top.split(": ", 1)[1]
            row[f"top_{g}_share"] = float(share[top])
            lifts[g] = float(lift[top]) if pd.notna(lift[top]) else 1.0
        lifts = {g: v for g, v in lifts.items() if row[f"top_{g}"] not in _NO_VALUE}
        best = max(lifts, key=lifts.get) if lifts else None
        row["signature"] = "" if best is None or lifts[best] < 1.3 else (
            _PLATFORM_NAMES.get(row[f"top_{best}"], row[f"top_{best}"]) if best == "platform" else row[f"top_{best}"])
        if seg == NOISE:
            name = "Unassigned (noise)"
            desc = (f"{len(part):,} {'posts' if unit == 'posts' else 'authors'} that fit no segment well; each "
                    "still has its nearest segment in the table.")
        else:
            word, activity = _activity_word(row["posts_per_author"] / overall_posts)
            pos, neg = row.get("positive_share", np.nan), row.get("negative_share", np.nan)
            if unit == "posts":
                word, activity = "", ""
            if np.isnan(pos):
                noun, tone = "authors", ""
            else:
                noun, tone = _tone(pos, neg, 1 - pos - neg)
            name = f"{word} {noun}".strip().capitalize() if word else noun.capitalize()
            bits = [b for b in (activity, tone) if b]
            if not np.isnan(fol_median) and row.get("followers", 0) >= 2 * max(fol_median, 1):
                bits.append(f"influential (median {row['followers']:,.0f} followers)")
            elif not np.isnan(fol_median) and row.get("followers", np.inf) <= 0.5 * fol_median:
                bits.append(f"small audiences (median {row['followers']:,.0f} followers)")
            if "top_topics" in row and lifts.get("topics", 1) >= 1.3:
                bits.append(f"talks about {row['top_topics']}")
            for g, what in (("intent", "intent"), ("emotion", "emotion")):
                if lifts.get(g, 1) >= 1.5 and row[f"top_{g}_share"] >= 0.25:
                    bits.append(f"{row[f'top_{g}_share']:.0%} of posts with {what} {row[f'top_{g}']}")
            if "top_platform" in row and lifts.get("platform", 1) >= 1.3:
                where = _PLATFORM_NAMES.get(row["top_platform"], row["top_platform"])
                bits.append(f"{row['top_platform_share']:.0%} of posts on {where}")
            if "top_content" in row and lifts.get("content", 1) >= 1.3:
                bits.append(f"{row['top_content_share']:.0%} {row['top_content']} posts")
            if pd.notna(row.get("usual_hour")) and unit != "posts":
                bits.append(f"usually posts around {int(round(row['usual_hour'])) % 24:02d}:00")
            desc = "; ".join(bits)
        row["name"], row["description"] = name, desc
        rows.append(row)
    out = pd.DataFrame(rows)
    if out.empty:
        return out
    # the same generated name twice: tell them apart by what sets each most apart (its most over-represented
    # topic, intent, emotion, platform or post type)
    dup = out["name"].duplicated(keep=False) & (out["segment"] != NOISE) & out["signature"].ne("")
    out.loc[dup, "name"] = out.loc[dup, "name"] + " · " + out.loc[dup, "signature"]
    still = out["name"].duplicated(keep="first") & (out["segment"] != NOISE)
    out.loc[still, "name"] = out.loc[still, "name"] + " #" + (out.loc[still, "segment"] + 1).astype(str)
    order = out["segment"].where(out["segment"] >= 0, 10**9)
    return out.loc[order.sort_values().index].reset_index(drop=True)


def default_unit(cover: dict) -> str:
    """Segment authors when there are enough of them who post more than once, else the posts themselves
    (`cover` is `author_coverage`'s answer)."""
    return "authors" if cover["has_authors"] and cover["authors"] >= 20 and cover["posts_per_author"] > 1 \
        else "posts"


def named_personas(result: AudienceResult, edits: pd.DataFrame | None = None) -> pd.DataFrame:
    """The personas table with the user's names and descriptions in place of the generated ones."""
    names = persona_names(result, edits).set_index("segment")
    return result.personas.assign(**{c: result.personas["segment"].map(names[c]).fillna(result.personas[c])
                                     for c in ("name", "description")})


def persona_names(result: AudienceResult, edits: pd.DataFrame | None = None) -> pd.DataFrame:
    """segment, name, description: the generated ones with the user's edits (non-empty cells) on top."""
    out = result.personas[["segment", "name", "description"]].copy()
    if edits is not None and not edits.empty:
        e = edits.set_index("segment")
        for col in ("name", "description"):
            mapped = out["segment"].map(e[col]) if col in e else None
            if mapped is not None:
                keep = mapped.notna() & mapped.astype(str).str.strip().ne("")
                out.loc[keep, col] = mapped[keep].astype(str).str.strip()
    return out


def posts_with_segments(frame: pd.DataFrame, result: AudienceResult, names: pd.DataFrame | None = None,
                        nearest: bool = False) -> pd.DataFrame:
    """The posts with `segment` (their author's; -1 noise) and `segment_name`."""
    names = names if names is not None else persona_names(result)
    col = "nearest_segment" if nearest else "segment"
    if result.settings.unit == "posts" or "author" not in frame:
        key = frame["post_id"].astype(str)
    else:
        key = frame["author"].astype("string")
    seg = key.map(dict(zip(result.authors["author"].astype(str), result.authors[col])))
    out = frame.copy()
    out["segment"] = seg.fillna(NOISE).astype(int)
    out["segment_name"] = out["segment"].map(dict(zip(names["segment"], names["name"]))).fillna("Unassigned (noise)")
    return out
