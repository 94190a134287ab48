"""What the topics page shows, computed from a TopicResult, the user's edits and the enriched posts.

Edits are a thin layer over the fitted result: a topic can be renamed, merged into another (its posts
move, the keywords are pooled by weight) or hidden (its posts stay counted as 'hidden', charts leave it
out). Every view reads the effective topic of each post, so every chart follows the edits.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from lib.topics.result import TopicResult

HIDDEN = -2  # effective topic of a post whose topic the user hid
TABLE_COLUMNS = ["topic", "label", "auto_label", "keywords", "merged_from", "hidden", "tx", "ty", "cohesion"]
LOOSE = 1.5  # robust z-scores below the dataset's median cohesion from which a topic reads as mixed
CSV_COLUMNS = ["topic", "label", "size", "share", "keywords", "mean_sentiment"]  # topics.csv, both engines


def csv_columns(table: pd.DataFrame) -> list[str]:
    """topics.csv's columns: CSV_COLUMNS, then cohesion for fits that have it (the contract extends, never
    renames)."""
    return CSV_COLUMNS + (["cohesion"] if "cohesion" in table else [])


def empty_edits() -> pd.DataFrame:
    return pd.DataFrame({"topic": pd.Series(dtype="int64"), "label": pd.Series(dtype="string"),
                         "merge_into": pd.Series(dtype="Int64"), "hidden": pd.Series(dtype=bool)})


def merge_map(edits: pd.DataFrame, topic_ids: list[int]) -> dict[int, int]:
    """topic -> the topic it ends up in after following merges (cycles and unknown targets ignored)."""
    target = {int(r.topic): int(r.merge_into) for r in edits.itertuples()
              if pd.notna(r.merge_into) and int(r.merge_into) in topic_ids and int(r.merge_into) != int(r.topic)}
    out: dict[int, int] = {}
    for t in topic_ids:
        seen, cur = {t}, t
        while cur in target and target[cur] not in seen:
            cur = target[cur]
            seen.add(cur)
        out[t] = cur
    return out


def effective(result: TopicResult, edits: pd.DataFrame | None = None) -> tuple[pd.Series, pd.DataFrame]:
    """(effective topic per post_id, effective topic table) after the user's merges, names and hiding."""
    edits = empty_edits() if edits is None or edits.empty else edits
    info = result.info.copy()
    ids = [int(t) for t in info["topic"] if t != -1]
    merged = merge_map(edits, ids)
    by_topic = edits.set_index("topic") if len(edits) else None
    hidden = {int(t) for t in edits.loc[edits["hidden"].fillna(False).astype(bool), "topic"]} if len(edits) else set()

    doc_topic = pd.Series(result.topic, index=result.post_id).map(lambda t: merged.get(int(t), int(t)))
    hidden_final = {merged[t] for t in hidden if t in merged and merged[t] == t} | \
        {t for t in hidden if t not in merged}
    doc_topic = doc_topic.where(~doc_topic.isin(hidden_final), HIDDEN)

    rows = []
    for t in ids:
        if merged[t] != t:
            continue
        members = [m for m in ids if merged[m] == t]
        own = info.loc[info["topic"] == t].iloc[0]
        # one topic keeps its keywords' order (those that may name it first: `describe.topic_info`); a merge of
        # several pools them by weight
        keywords = list(own["keywords"])[:10]
        if len(members) > 1:
            sub = info[info["topic"].isin(members)]
            pooled: dict[str, float] = {}
            for kw, wt, size in zip(sub["keywords"], sub["weights"], sub["size"]):
                for w, s in zip(kw, wt):
                    pooled[w] = pooled.get(w, 0.0) + float(s) * int(size)
            keywords = [w for w, _ in sorted(pooled.items(), key=lambda kv: (-kv[1], kv[0]))][:10]
        label = own["label"]
        if by_topic is not None and t in by_topic.index and pd.notna(by_topic.at[t, "label"]) \
                and str(by_topic.at[t, "label"]).strip():
            label = str(by_topic.at[t, "label"]).strip()
        rows.append({"topic": t, "label": label, "auto_label": own["label"], "keywords": keywords,
                     "merged_from": [m for m in members if m != t], "hidden": t in hidden_final,
                     "tx": own["tx"], "ty": own["ty"],
                     # a merge changes how alike the posts are: unknown until refitted
                     "cohesion": own.get("cohesion", np.nan) if len(members) == 1 else np.nan})
    table = pd.DataFrame(rows, columns=TABLE_COLUMNS)
    dup = table["label"].duplicated(keep=False)  # charts group by label: two topics must never share one
    table.loc[dup, "label"] = table.loc[dup, "label"] + " (" + table.loc[dup, "topic"].astype(str) + ")"
    return doc_topic, table


def with_topics(posts: pd.DataFrame, doc_topic: pd.Series, table: pd.DataFrame) -> pd.DataFrame:
    """Posts with `topic` (effective id; -1 outlier, -2 hidden) and `topic_label`, from `effective()`."""
    out = posts.copy()
    out["topic"] = out["post_id"].astype(str).map(doc_topic).fillna(-1).astype(int)
    labels = dict(zip(table["topic"], table["label"])) | {-1: "Outliers", HIDDEN: "Hidden"}
    out["topic_label"] = out["topic"].map(labels).fillna("Outliers")
    return out


def topic_table(frame: pd.DataFrame, table: pd.DataFrame, em: pd.DataFrame | None = None) -> pd.DataFrame:
    """label, size, share, keywords, mean sentiment, net sentiment and (given `emerging()`) growth per
    visible topic."""
    total = len(frame)
    visible = table[~table["hidden"]]
    g = frame.groupby("topic")
    size = g.size()
    alike = ["cohesion"] if "cohesion" in visible and visible["cohesion"].notna().any() else []
    out = visible[["topic", "label", "keywords", *alike]].copy()
    out["size"] = out["topic"].map(size).fillna(0).astype(int)
    out["share"] = out["size"] / max(total, 1)
    if "sentiment" in frame:
        out["mean_sentiment"] = out["topic"].map(g["sentiment"].mean())
    if "sentiment_label" in frame:
        lab = frame.groupby("topic")["sentiment_label"].value_counts(normalize=True).unstack(fill_value=0)
        for c in ("positive", "negative"):
            if c not in lab:
                lab[c] = 0.0
        out["net_sentiment"] = out["topic"].map(lab["positive"] - lab["negative"])
        out["negative_share"] = out["topic"].map(lab["negative"])
    if em is not None and len(em):
        out = out.merge(em[["topic", "growth", "emerging"]], on="topic", how="left")
    if "language" in frame and _mixed(frame["language"]):
        out["languages"] = out["topic"].map(_language_mix(frame))
    out["keywords"] = out["keywords"].map(lambda k: ", ".join(k[:8]))
    last = [c for c in ("cohesion", "keywords") if c in out]
    out = out[[c for c in out.columns if c not in last] + last]
    return out.sort_values("size", ascending=False).reset_index(drop=True)


def loose_topics(table: pd.DataFrame) -> list[int]:
    """Topics whose posts are much less alike than the dataset's usual topic (cohesion more than LOOSE robust
    z-scores under the median, the scale from the median absolute deviation): likely mixes of subjects, worth
    splitting. Least alike first; none with fewer than five topics to compare."""
    c = pd.to_numeric(table.get("cohesion", pd.Series(dtype=float)), errors="coerce").dropna()
    if len(c) < 5:
        return []
    med = float(c.median())
    scale = 1.4826 * float((c - med).abs().median())
    if scale <= 0:
        return []
    z = (c - med) / scale
    return [int(table.loc[i, "topic"]) for i in z[z < -LOOSE].sort_values().index]


def loose_note(overview: pd.DataFrame) -> str:
    """The sentence naming the topics that likely mix subjects (`loose_topics`), or "" where none does."""
    loose = loose_topics(overview)
    if not loose:
        return ""
    by = overview.set_index("topic")
    named = "; ".join(f"{by.at[t, 'label']} ({by.at[t, 'cohesion']:.2f})" for t in loose[:5])
    more = f" and {len(loose) - 5} more" if len(loose) > 5 else ""
    one = len(loose) == 1
    whose = "1 topic's" if one else f"{len(loose)} topics'"
    return (f"{whose} posts are much less alike than in the others (cohesion: how much more alike a topic's "
            f"posts are than the dataset's at large, 0 to 1; the median topic has "
            f"{float(pd.to_numeric(overview['cohesion']).median()):.2f}): {named}{more}. "
            f"{'It' if one else 'They'} may mix several subjects: split {'it' if one else 'them'} under Edit topics.")


SPAM_TOPIC = 0.5  # a topic at least this share of whose posts look like spam is "mostly spam"


def spam_by_topic(frame: pd.DataFrame, flags: pd.Series) -> pd.Series:
    """Per topic, the share of its posts flagged as spam or bot-like (`flags`, aligned with `frame`: the
    authenticity rules' `post_scores` at their threshold, as the KPI lab and the report count them). On the real
    UCI YouTube comments the largest topic, "channel · videos · subscribe", is channel promotion: a marketer must
    see that before reading it as what the audience talks about."""
    return flags.astype(float).groupby(frame["topic"]).mean()


def spam_topics(table: pd.DataFrame, spam: pd.Series) -> list[int]:
    """The topics of `table` (a `topic_table`, largest first) that are mostly spam (`SPAM_TOPIC`)."""
    return [int(t) for t in table["topic"] if spam.get(t, 0) >= SPAM_TOPIC]


def spam_topics_note(table: pd.DataFrame, spam: pd.Series) -> str:
    """What to say of the topics that are mostly spam, or "" when none is."""
    found = spam_topics(table, spam)
    if not found:
        return ""
    names = dict(zip(table["topic"], table["label"]))
    posts = int(table.loc[table["topic"].isin(found), "size"].sum())
    listed = "; ".join(str(names[t]) for t in found[:5]) + (f" and {len(found) - 5} more" if len(found) > 5 else "")
    return (f"{len(found)} of the {len(table)} topics ({posts:,} posts) are mostly posts that look like spam or bot "
            f"activity (links, self-promotion, copy-paste, bursts): {listed}. Read them as spam, not as what the "
            "audience talks about.")


def _mixed(languages: pd.Series) -> bool:
    """Whether a dataset has posts in more than one language (of those with a language), each at least 2 %."""
    shares = languages[languages != "und"].value_counts(normalize=True)
    return int((shares >= 0.02).sum()) > 1


def _language_mix(frame: pd.DataFrame) -> pd.Series:
    """Per topic, its two commonest languages with their shares ("it 61% · de 39%"): in a mixed-language
    dataset a label's keywords may come from several languages, and this says whose posts the topic holds."""
    shares = frame.groupby("topic")["language"].value_counts(normalize=True)
    return shares.groupby(level=0).apply(
        lambda s: " · ".join(f"{lang} {share:.0%}" for (_, lang), share in s.head(2).items()))


def over_time(frame: pd.DataFrame, freq: str) -> pd.DataFrame:
    """Posts per period per visible topic, with the topic's share of that period's posts."""
    from lib.listening.overview import period_start

    f = frame[frame["created_at"].notna() & (frame["topic"] >= 0)]
    if f.empty:
        return pd.DataFrame(columns=["period", "topic", "topic_label", "posts", "share"])
    per = period_start(f["created_at"], freq)
    counts = f.assign(period=per).groupby(["period", "topic", "topic_label"]).size().rename("posts").reset_index()
    totals = frame[frame["created_at"].notna()].assign(period=period_start(frame.loc[frame["created_at"].notna(),
                                                                                     "created_at"], freq))
    counts["share"] = counts["posts"] / counts["period"].map(totals.groupby("period").size())
    return counts


def by_column(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    """Posts per visible topic and value of a column (brand, platform), with the share within the value."""
    if column not in frame or frame[column].isna().all():
        return pd.DataFrame(columns=[column, "topic", "topic_label", "posts", "share"])
    f = frame[frame["topic"] >= 0]
    counts = f.groupby([column, "topic", "topic_label"]).size().rename("posts").reset_index()
    counts["share"] = counts["posts"] / counts[column].map(frame.groupby(column).size())
    return counts


def sentiment_mix(frame: pd.DataFrame) -> pd.DataFrame:
    """Share of negative / neutral / positive posts per visible topic."""
    f = frame[frame["topic"] >= 0]
    if f.empty or "sentiment_label" not in f:
        return pd.DataFrame(columns=["topic", "topic_label", "sentiment_label", "posts", "share"])
    c = f.groupby(["topic", "topic_label", "sentiment_label"]).size().rename("posts").reset_index()
    c["share"] = c["posts"] / c.groupby("topic")["posts"].transform("sum")
    return c


def emerging(frame: pd.DataFrame, freq: str, alpha: float = 0.05, min_posts: int = 10) -> pd.DataFrame:
    """Each topic's posts in the latest period against the one before.

    growth is the change in the topic's share of all posts. A topic is 'emerging' only when it grew and
    a binomial test says the rise is unlikely by chance (p < alpha, Bonferroni over topics) with at least
    `min_posts` posts across both periods, so a jump from 1 post to 3 is never flagged.
    """
    from scipy.stats import binomtest

    from lib.listening.overview import period_start

    cols = ["topic", "topic_label", "previous", "current", "prev_share", "cur_share", "growth", "p_value", "emerging",
            "period"]
    f = frame[frame["created_at"].notna()]
    if f.empty:
        return pd.DataFrame(columns=cols)
    per = period_start(f["created_at"], freq)
    periods = sorted(per.unique())
    if len(periods) < 2:
        return pd.DataFrame(columns=cols)
    cur_p, prev_p = periods[-1], periods[-2]
    n_cur, n_prev = int((per == cur_p).sum()), int((per == prev_p).sum())
    topics = f.loc[f["topic"] >= 0, ["topic", "topic_label"]].drop_duplicates("topic")
    k = max(len(topics), 1)
    rows = []
    for t, label in topics.itertuples(index=False):
        is_t = f["topic"] == t
        a, b = int((is_t & (per == cur_p)).sum()), int((is_t & (per == prev_p)).sum())
        cs, ps = a / max(n_cur, 1), b / max(n_prev, 1)
        p = 1.0
        if a + b >= min_posts and n_cur and n_prev:
            p = binomtest(a, a + b, n_cur / (n_cur + n_prev), alternative="greater").pvalue
        rows.append({"topic": t, "topic_label": label, "previous": b, "current": a, "prev_share": ps,
                     "cur_share": cs, "growth": cs - ps, "p_value": p,
                     "emerging": bool(cs > ps and p < alpha / k and a + b >= min_posts), "period": cur_p})
    return pd.DataFrame(rows, columns=cols).sort_values(["emerging", "growth"], ascending=False).reset_index(drop=True)


def search(frame: pd.DataFrame, table: pd.DataFrame, term: str) -> pd.DataFrame:
    """Topics that match a term: in their keywords, or by how many of their posts mention it."""
    term = term.strip().lower()
    if not term:
        return pd.DataFrame(columns=["topic", "label", "in_keywords", "posts_mentioning", "share_of_topic"])
    f = frame[frame["topic"] >= 0]
    hit = f["text"].fillna("").str.lower().str.contains(term, regex=False)
    mention = hit.groupby(f["topic"]).sum()
    size = f.groupby("topic").size()
    t = table[~table["hidden"]].copy()
    t["in_keywords"] = t["keywords"].map(lambda ks: any(term in k for k in ks))
    t["posts_mentioning"] = t["topic"].map(mention).fillna(0).astype(int)
    t["share_of_topic"] = t["posts_mentioning"] / t["topic"].map(size).clip(lower=1)
    t = t[t["in_keywords"] | (t["posts_mentioning"] > 0)]
    return t[["topic", "label", "in_keywords", "posts_mentioning", "share_of_topic"]].sort_values(
        ["in_keywords", "posts_mentioning"], ascending=False).reset_index(drop=True)


def keyword_frame(result: TopicResult, table: pd.DataFrame) -> pd.DataFrame:
    """topic, topic_label, keyword, weight: the c-TF-IDF weights behind each visible topic's keywords."""
    rows = []
    info = result.info.set_index("topic")
    for r in table[~table["hidden"]].itertuples():
        members = [r.topic] + list(r.merged_from)
        pooled: dict[str, float] = {}
        for m in members:
            for w, s in zip(info.at[m, "keywords"], info.at[m, "weights"]):
                pooled[w] = pooled.get(w, 0.0) + float(s) * int(info.at[m, "size"])
        total = sum(int(info.at[m, "size"]) for m in members) or 1
        for w, s in sorted(pooled.items(), key=lambda kv: -kv[1])[:10]:
            rows.append({"topic": r.topic, "topic_label": r.label, "keyword": w, "weight": s / total})
    return pd.DataFrame(rows, columns=["topic", "topic_label", "keyword", "weight"])


def hierarchy_segments(result: TopicResult, table: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Dendrogram line segments (x, y, x2, y2) and leaf labels for the topic hierarchy (fitted topics)."""
    from scipy.cluster.hierarchy import dendrogram

    ids = [int(t) for t in result.info["topic"] if t != -1]
    if len(result.hierarchy) == 0 or len(ids) < 2:
        return pd.DataFrame(columns=["x", "y", "x2", "y2"]), pd.DataFrame(columns=["x", "label"])
    d = dendrogram(result.hierarchy[["left", "right", "distance", "size"]].to_numpy(dtype=float), no_plot=True)
    segs = []
    for xs, ys in zip(d["icoord"], d["dcoord"]):
        for i in range(3):
            segs.append({"x": xs[i], "y": ys[i], "x2": xs[i + 1], "y2": ys[i + 1]})
    names = dict(zip(table["topic"], table["label"]))
    doc_label = {t: names.get(t) for t in ids}
    merged = {m: r.topic for r in table.itertuples() for m in r.merged_from}
    leaves = []
    for pos, leaf in enumerate(d["leaves"]):
        t = ids[leaf]
        label = doc_label.get(t) or f"→ {names.get(merged.get(t, t), t)}"
        leaves.append({"x": 5 + 10 * pos, "label": f"{t}: {label}", "topic": t})
    return pd.DataFrame(segs), pd.DataFrame(leaves)


MAP_LIMIT = 5000  # posts on the document map at most, so the browser stays fast


def doc_points(frame: pd.DataFrame, result: TopicResult, limit: int = MAP_LIMIT, seed: int = 0,
               on_map: pd.DataFrame | None = None) -> pd.DataFrame:
    """Document-map points (a seeded sample of at most `limit` posts so the browser stays fast) of the posts
    `placed` on the map (`on_map`, when the caller has them already)."""
    f = placed(frame, result) if on_map is None else on_map
    if len(f) > limit:
        f = f.sample(limit, random_state=seed)
    return f


def placed(frame: pd.DataFrame, result: TopicResult) -> pd.DataFrame:
    """The visible posts with a place on the document map, with their x and y. A post with nothing left to embed
    once links, handles and brand names are out (a bare link) has none."""
    xy = result.doc_frame().set_index("post_id")[["x", "y"]]
    f = frame.assign(x=frame["post_id"].astype(str).map(xy["x"]), y=frame["post_id"].astype(str).map(xy["y"]))
    return f[f["x"].notna() & (f["topic"] != HIDDEN)]


def map_note(points: pd.DataFrame, placed_posts: int, visible_posts: int) -> str:
    """What the document map leaves out, in words: posts with no place (said, not called a random sample: 58 bare
    links of the real YouTube comments were "a random 1,898 of the posts") and the sample beyond `MAP_LIMIT`."""
    notes = []
    if len(points) < placed_posts:
        notes.append(f"Showing a random {len(points):,} of the {placed_posts:,} posts on the map so it stays fast.")
    if visible_posts > placed_posts:
        n = visible_posts - placed_posts
        notes.append(f"{n:,} post{'' if n == 1 else 's'} with no words to place (a bare link, say) "
                     f"{'is' if n == 1 else 'are'} not on the map; "
                     f"{'it counts' if n == 1 else 'they count'} among the outliers.")
    return " ".join(notes)


def representative_posts(frame: pd.DataFrame, result: TopicResult, topic: int, table: pd.DataFrame,
                         n: int = 5) -> pd.DataFrame:
    """The posts closest to a topic's centre (pooling the topics merged into it)."""
    row = table.loc[table["topic"] == topic]
    members = [topic] + (list(row["merged_from"].iloc[0]) if len(row) else [])
    ids: list[str] = []
    for m in members:
        ids += result.representative.get(int(m), [])[: n if m == topic else 2]
    f = frame.set_index(frame["post_id"].astype(str))
    return f.loc[[i for i in ids if i in f.index]].reset_index(drop=True)


def counts_by_topic(frame: pd.DataFrame) -> dict[str, int]:
    return {"outliers": int((frame["topic"] == -1).sum()), "hidden": int((frame["topic"] == HIDDEN).sum()),
            "in_topics": int((frame["topic"] >= 0).sum())}


def placement_note(metrics: dict, representation: str) -> str:
    """How the posts beyond the fitted sample got their topic, and how far to trust it: "" when every post was
    fitted or placed by meaning. A marketer reading 30 topics over 14,000 posts should know that 10,000 of them
    were placed by a classifier, and how often it agrees with the embeddings."""
    rest = int(metrics.get("assigned_by_words") or 0)
    if rest <= 0:
        return ""
    read = "their words and word vectors" if metrics.get("words_vectors") else "their words"  # (older fits: words)
    note = (f"Topics were fitted on {int(metrics.get('n_fit', 0)):,} distinct posts read by {representation}; "
            f"{rest:,} more joined a topic by {read}")
    agreement = metrics.get("words_agreement")
    if agreement is not None and agreement == agreement:  # not NaN
        note += f" (checked on fitted posts held out: the topic {representation} gave for {float(agreement):.0%})"
    return note + "."
