"""What the Audience page and the report show about segments: over time, against KPIs, typical posts, and
which segment is turning negative. Pure functions over posts that carry `segment` / `segment_name`
(lib.audience.segments.posts_with_segments)."""
from __future__ import annotations

import numpy as np
import pandas as pd

from lib.audience.result import NOISE
from lib.kpis.engagement import engagement, numeric, rate_basis
from lib.listening.emotion import NOT_READ
from lib.listening.language import tone_read
from lib.topics.describe import profane


def turning(posts: pd.DataFrame, min_posts: int = 10) -> pd.DataFrame:
    """Per segment: net sentiment (share positive - share negative) and engagement per post in the first and
    the last third of the dataset's time span, their changes, and a plain verdict.

    "turning negative" needs a drop of net sentiment of at least 0.15 with >= `min_posts` posts in both
    thirds; "losing engagement" a fall of engagement per post of a third or more that shows at the precision
    printed (never "0.0 → 0.0"). Indicators, not proof."""
    df = posts[(posts["segment"] != NOISE) & posts["created_at"].notna()]
    if df.empty or "sentiment_label" not in df:
        return pd.DataFrame()
    lo, hi = df["created_at"].min(), df["created_at"].max()
    third = (hi - lo) / 3
    early, late = df["created_at"] < lo + third, df["created_at"] >= hi - third
    eng = engagement(df)
    rows = []
    for (seg, name), part in df.groupby(["segment", "segment_name"]):
        e, la = early[part.index], late[part.index]
        row = {"segment": seg, "segment_name": name, "posts_early": int(e.sum()), "posts_late": int(la.sum())}
        for when, mask in (("early", e), ("late", la)):
            lab = part.loc[mask, "sentiment_label"]
            row[f"net_{when}"] = float((lab == "positive").mean() - (lab == "negative").mean()) if len(lab) else np.nan
            row[f"engagement_{when}"] = float(eng[part.index][mask].mean()) if mask.any() else np.nan
        row["net_change"] = row["net_late"] - row["net_early"]
        enough = row["posts_early"] >= min_posts and row["posts_late"] >= min_posts
        eng_fall = (row["engagement_late"] - row["engagement_early"]) / row["engagement_early"] \
            if row["engagement_early"] and row["engagement_early"] > 0 else np.nan
        row["engagement_change"] = eng_fall
        verdict = []
        if enough and row["net_change"] <= -0.15:
            verdict.append("turning negative")
        if enough and pd.notna(eng_fall) and eng_fall <= -1 / 3 \
                and shown_engagement(row["engagement_early"]) != shown_engagement(row["engagement_late"]):
            verdict.append("losing engagement")
        if not enough:
            verdict.append("too few posts to tell")
        row["verdict"] = ", ".join(verdict) or "steady"
        rows.append(row)
    return pd.DataFrame(rows).sort_values("net_change").reset_index(drop=True)


def shown_engagement(v: float) -> str:
    """Engagement per post as printed: one decimal, two below 1 (0.04 stays readable)."""
    return "–" if pd.isna(v) else f"{v:,.1f}" if abs(v) >= 1 else f"{v:.2f}"


def change_text(r: pd.Series | dict) -> str:
    """A flagged segment's changes, first third → last third, leaving out any whose two ends print the same."""
    bits = []
    if f"{r['net_early']:+.2f}" != f"{r['net_late']:+.2f}":
        bits.append(f"net sentiment {r['net_early']:+.2f} → {r['net_late']:+.2f}")
    early, late = shown_engagement(r["engagement_early"]), shown_engagement(r["engagement_late"])
    if early != late:
        bits.append(f"engagement per post {early} → {late}")
    return ", ".join(bits)


def segment_kpis(posts: pd.DataFrame, ranks: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per segment (id and name): posts, engagement per post (when the export counts any), engagement rate (when a
    basis exists), mean VADER, net sentiment and, given KPI rankings aligned with the posts, the mean value and
    vanity scores (each left out when it is the same for every segment, as vanity is when every post ties on it)."""
    df = posts.assign(_eng=engagement(posts))
    basis = rate_basis(posts)
    if basis:
        df["_basis"] = numeric(posts, basis).fillna(0)
    if ranks is not None:
        df["_value"], df["_vanity"] = ranks["value_score"], ranks["vanity_score"]
    g = df.groupby("segment")  # by id: two segments the user gave the same name stay apart
    out = pd.DataFrame({"segment_name": g["segment_name"].first(), "posts": g.size()})
    if any(c in posts for c in ("likes", "comments", "shares", "saves")):  # no counts (YouTube comments): not a 0.0
        out["engagement_per_post"] = g["_eng"].mean()
    if basis:
        out["engagement_rate"] = g["_eng"].sum() / g["_basis"].sum().where(g["_basis"].sum() > 0)
    read = tone_read(posts)  # posts in languages no sentiment model reads have no tone here
    if "sentiment" in df:
        out["mean_sentiment"] = df["sentiment"].where(read).groupby(df["segment"]).mean()
    if "sentiment_label" in df:
        label = df["sentiment_label"]
        pos, neg = ((label == v).astype(float).where(read) for v in ("positive", "negative"))
        out["net_sentiment"] = pos.groupby(df["segment"]).mean() - neg.groupby(df["segment"]).mean()
    if ranks is not None:
        for col, score in (("mean_value", "_value"), ("mean_vanity", "_vanity")):
            mean = g[score].mean()
            if mean.round(2).nunique() > 1 or len(mean) == 1:  # the same for every segment says nothing
                out[col] = mean
    return out.reset_index()


def _quotas(labels: pd.Series, n: int) -> dict[str, int]:
    """How many of `n` posts each label gets so that they keep the labels' mix (largest remainders)."""
    shares = labels.value_counts(normalize=True) * n
    out = shares.astype(int)
    for label in (shares - out).sort_values(ascending=False, kind="stable").index[:n - int(out.sum())]:
        out[label] += 1
    return {str(k): int(v) for k, v in out.items() if v > 0}


def typical_posts(posts: pd.DataFrame, authors: pd.DataFrame, segment: int, n: int = 3,
                  spam: pd.Series | None = None, trait: tuple[str, str] | None = None,
                  rude: pd.Series | None = None) -> pd.DataFrame:
    """A few posts that show a segment: one each from its most typical authors (highest HDBSCAN membership,
    then most posts), the author's most engaged post, chosen so that their sentiment keeps the segment's mix.
    On real Sentiment140 tweets a "mostly neutral (53 %)" segment showed three negative posts, its three most
    typical authors' only posts. With `spam` (post index -> looks like spam or bot activity), a segment whose
    posts are mostly not spam shows posts that are not, where its authors wrote any: on real YouTube comments,
    half of them spam, an "Advocates" segment's three typical posts were channel plugs, the noise of its authors'
    posts and not their voice. A segment that is mostly spam shows it. Posts with profanity or a slur come after
    the others: a "Critics" segment of real tweets showed "Fuck this economy. I hate aig and their non loan given
    asses." and "...it fucking rocks!!!" as two of its three typical posts. With `trait` (a column and the value
    the segment is named for, `persona_trait`), at least that value's share of the places (one at least) go to
    posts that carry it: a real support inbox's "Critical posts · anger", 30 % angry, showed three calm questions.

    Reads the segment's posts only (an author's posts are all in their segment): `rude`, where the caller keeps
    `profane` of every post (the app, once per dataset). Over every post per card, 8 cards of 300,000 posts took
    12.6 s on each rerun of the Audience page (bench/audience_cards.py)."""
    members = authors[authors["segment"] == segment].sort_values(["probability", "posts"], ascending=False)
    key = "author" if "author" in posts and posts["author"].notna().any() else "post_id"
    df = posts[posts["segment"] == segment] if "segment" in posts else posts
    df = df.assign(_eng=engagement(df))
    flagged = (spam.reindex(df.index).fillna(False).astype(bool) if spam is not None
               else pd.Series(False, index=df.index))
    if flagged.mean() >= 0.5:
        flagged[:] = False  # spam is what this segment says
    if "text" in df:  # slurs and swearing only where the segment's other posts do not speak (a client may see it)
        swears = rude.reindex(df.index).fillna(False).astype(bool) if rude is not None else profane(df["text"])
        if (~flagged & ~swears).any():
            flagged = flagged | swears
    label = df["sentiment_label"].astype(str).where(tone_read(df), NOT_READ) if "sentiment_label" in df else \
        pd.Series("", index=df.index)  # a post in a language no sentiment model reads: "n/a", not "neutral"
    left = _quotas(label[~flagged], n)
    groups = df.groupby(df[key].astype(str), sort=False).indices
    rows: list[pd.Series] = []
    later: list[pd.Series] = []
    taken: set[str] = set()
    if trait is not None and trait[0] in df:
        carries = df[trait[0]].astype(str) == trait[1]
        want = max(1, round(float(carries.mean()) * n)) if carries.any() else 0
        _pick(members, groups, df, ~flagged & carries, label, left, want, rows, None, taken)
    _pick(members, groups, df, ~flagged, label, left, n, rows, later, taken)
    later.sort(key=lambda r: bool(flagged[r.name]))  # an author's clean post before a spammer's
    rows += later[:n - len(rows)]
    cols = [c for c in ("author", "created_at", "platform", "text", "sentiment_label") if c in posts
            and (c != "platform" or posts[c].nunique() > 1)]  # a platform every post shares says nothing
    if not rows:
        return pd.DataFrame(columns=cols)
    out = pd.DataFrame(rows)[cols]
    return out.assign(sentiment_label=label[out.index]) if "sentiment_label" in out else out


def _pick(members: pd.DataFrame, groups: dict, df: pd.DataFrame, ok: pd.Series, label: pd.Series,
          left: dict[str, int], n: int, rows: list[pd.Series], later: list[pd.Series] | None,
          taken: set[str]) -> None:
    """Add to `rows`, up to `n` in all, one post per author in `members`' order (not in `taken`): the author's most
    engaged `ok` post whose sentiment the mix (`left`) still has room for. With `later`, an author with none keeps
    their best ok post (or best post) there, for places the mix leaves."""
    for a in members["author"].astype(str):
        if len(rows) >= n:
            break
        mine = df.iloc[groups[a]] if a in groups and a not in taken else df.iloc[:0]
        if mine.empty:
            continue
        ranked = mine.sort_values("_eng", ascending=False, kind="stable")
        clean = ranked[ok.loc[ranked.index]]
        fits = clean[label.loc[clean.index].map(lambda v: left.get(v, 0) > 0)]
        if fits.empty:  # the author's best clean post (or best post) waits for places the mix leaves
            if later is not None:
                later.append((clean if len(clean) else ranked).iloc[0])
                taken.add(a)
            continue
        rows.append(fits.iloc[0])
        taken.add(a)
        left[label[fits.index[0]]] -= 1


def persona_trait(persona: pd.Series, groups: dict[str, list[str]]) -> tuple[str, str] | None:
    """The column and value a persona is named for ("Critical posts · anger": ("emotion", "anger")), where its
    signature is one of the emotion or intent values the segments were found on (`SegmentResult.groups`, whose
    columns read "emotion: anger"); else None. Read from the groups, not the posts: no pass over every post per
    card on each rerun."""
    sig = persona.get("signature")
    if not isinstance(sig, str) or not sig:
        return None
    return next(((col, sig) for col in ("emotion", "intent") if f"{col}: {sig}" in groups.get(col, ())), None)


def top_topics(posts: pd.DataFrame, segment: int, n: int = 3) -> list[tuple[str, float]]:
    """The segment's most common topics (outliers and hidden left out) with their share of its posts."""
    if "topic_label" not in posts:
        return []
    part = posts[(posts["segment"] == segment) & (posts["topic"] >= 0)]
    shares = part["topic_label"].value_counts() / max(1, (posts["segment"] == segment).sum())
    return [(str(k), float(v)) for k, v in shares.head(n).items()]
