"""Personas: a generated name and description for each segment, read from its figures against the whole dataset
(lib.audience.wording chooses the words), and the user's own names and descriptions on top."""
from __future__ import annotations

import numpy as np
import pandas as pd

from lib.audience import wording
from lib.audience.result import NOISE, SegmentResult
from lib.ingest.schema import PLATFORM_NAMES

_NO_VALUE = {"none", "neutral", "other", "(none)", "Outliers", "n/a"}  # n/a: not read (another language)
_MIX_GROUPS = ("topics", "platform", "content", "intent", "emotion")
_TONE = ("mean_sentiment", "negative_share", "positive_share")
_POST_WEIGHTED = (*_TONE, "spam_share")
# a segment's tone is named only where a model read this share of its posts: the rest are in languages no sentiment
# model reads, and three read posts of a hundred would name the whole segment
MIN_TONE_READ = 0.5
SPAM_SEGMENT = 0.5  # a segment at least this share of whose posts are link spam or self-promotion is named for it
# ... and one with at least this share says it first in its description: on the real YouTube comments two
# segments named "Advocates" were 41 % and 34 % spam by the rule (44 % and 40 % by the collection's own labels),
# and their descriptions said only "enthusiastic (77% positive)": advocates a marketer would have reached out to
SPAM_SAID = 0.2
# how gathered on the clock a segment's posting hours must be (the length of their mean on the clock: 1, all at
# one hour; 0, round the clock) for its description to give a usual hour and a plain name its time of day
HOUR_FOCUS = 0.5
_DAY_PARTS = ((5, "mornings"), (12, "afternoons"), (17, "evenings"), (22, "nights"))  # from that hour on


def day_part(hour: float) -> str:
    """'mornings' (05-11), 'afternoons' (12-16), 'evenings' (17-21) or 'nights' (22-04)."""
    return next((name for start, name in reversed(_DAY_PARTS) if round(hour) % 24 >= start), "nights")


def _per_post(part: pd.DataFrame, cols: list[str]) -> pd.Series:
    """Shares over the posts (each author's share weighted by their posts), so "41 % negative" is 41 % of posts;
    the tone's over the posts whose tone a model read (`read_posts`)."""
    x = part[cols].astype(float)
    w = x.notna().astype(float).mul(part["posts"].astype(float), axis=0)
    tone = [c for c in cols if c in _TONE]
    if tone and "read_posts" in part:
        w[tone] = x[tone].notna().astype(float).mul(part["read_posts"].astype(float), axis=0)
    return (x.fillna(0) * w).sum() / w.sum().where(w.sum() > 0)


def _read_share(part: pd.DataFrame) -> float:
    """The share of these authors' posts whose tone a model read (1.0 where the table does not say)."""
    if "read_posts" not in part:
        return 1.0
    return float(part["read_posts"].sum()) / max(float(part["posts"].sum()), 1.0)


def _one(part: pd.DataFrame, col: str) -> float:
    return float(_per_post(part, [col]).iloc[0])


def profiles(authors: pd.DataFrame, groups: dict[str, list[str]], frame: pd.DataFrame | None = None,
             unit: str = "authors") -> pd.DataFrame:
    """One row per segment (noise last): size, share, key figures, a generated name and description.

    The name reads the segment's activity against the median author and its tone against the whole dataset;
    the description quotes each figure beside the dataset's and adds the traits that hold for a real part of
    its posts (topic, intent, emotion, platform, post type)."""
    rows = []
    base = {"posts": float(authors["posts"].median()) or 1.0,
            "followers": float(authors["followers"].median()) if "followers" in authors else np.nan,
            "engagement_per_post": float(authors["engagement_per_post"].median())
            if "engagement_per_post" in authors else np.nan}
    spread = {c: np.sort(authors[c].dropna().to_numpy(float)) for c in _LEVELS if c in authors}
    base |= {c: _one(authors, c) for c in _POST_WEIGHTED if c in authors}
    mix_overall = {g: _per_post(authors, groups[g]) for g in _MIX_GROUPS if g in groups}
    for seg, part in authors.groupby("segment"):
        row = _figures(int(seg), part, len(authors), groups, mix_overall, base)
        if seg == NOISE:
            name, desc = "Unassigned (noise)", _noise_description(row, base, unit)
        else:
            name, desc = _describe(row, base, unit, spread)
        row.pop("_unread", None)
        row["name"], row["description"] = name, desc
        if "hour_focus" in row:
            row["hour_focus"] = row.pop("hour_focus")  # segments.csv's columns: a new one goes last
        rows.append(row)
    out = pd.DataFrame(rows)
    if out.empty:
        return out
    mixes = {int(seg): _topic_mix(part, groups, mix_overall) for seg, part in authors.groupby("segment")}
    out = _tell_apart(_apart_from_namesakes(out, authors, groups, mix_overall, base), mixes,
                      _leans(authors, base, unit), _days(authors) if unit == "authors" else None, _weekends(authors))
    order = out["segment"].where(out["segment"] >= 0, 10**9)
    return out.loc[order.sort_values().index].reset_index(drop=True)


def _noise_description(row: dict, base: dict, unit: str) -> str:
    """What the noise is, and its tone where that clearly differs from the dataset's: on real tweets and YouTube
    comments uploaded together, 138 authors left as noise (just under the smallest segment, 149) were all negative,
    the critics that did not fit the "Critics" segment; a marketer reading only "fit no segment well" missed them.
    And its spam share where a segment would be named for it: the real YouTube comments' noise of 206 authors, who
    wrote 307 posts, is 90 % spam by the collection's labels (its spammers post often, each post unlike the next)."""
    what = ("post" if unit == "posts" else "author") + ("" if row["authors"] == 1 else "s")
    fit, who = ("fits", "it") if row["authors"] == 1 else ("fit", "each")
    bits = [f"{row['authors']:,} {what} that {fit} no segment well; {who} still has its nearest segment in the table"]
    spam, usual_spam = row.get("spam_share", np.nan), base.get("spam_share", np.nan)
    if np.isfinite(spam) and spam >= SPAM_SAID:
        bits.append(f"{spam:.0%} of posts are link spam or self-promotion (vs {usual_spam:.0%} overall)")
    pos, neg = row.get("positive_share", np.nan), row.get("negative_share", np.nan)
    if np.isfinite(pos) and np.isfinite(neg) and "positive_share" in base:
        noun, tone = wording.tone(pos, neg, base["positive_share"], base["negative_share"])
        if noun in ("critics", "advocates"):
            bits.append(tone)
    return "; ".join(bits) + "."


def _figures(seg: int, part: pd.DataFrame, n_all: int, groups: dict[str, list[str]],
             mix_overall: dict[str, pd.Series], base: dict | None = None) -> dict:
    """A segment's key figures, and for each mix its most over-represented value that holds for a real part of
    its posts (`top_<mix>`, its share and the dataset's; "" when none does). The `signature` (what names the
    segment where its name alone would not tell it apart) is the most over-represented of those, but never an
    emotion against the segment's tone (`_clashes`)."""
    row: dict = {"segment": seg, "authors": len(part), "share": len(part) / n_all,
                 "posts": int(part["posts"].sum()), "posts_per_author": float(part["posts"].mean())}
    for col in ("followers", "engagement_per_post", "engagement_rate", "usual_hour"):
        if col in part:
            row[col] = float(part[col].median() if col in ("followers", "engagement_per_post") else part[col].mean())
    for col in _POST_WEIGHTED:
        if col in part:
            row[col] = _one(part, col)
    unread = 1 - _read_share(part)
    if unread > 1 - MIN_TONE_READ:
        row |= {c: np.nan for c in _TONE if c in row} | {"_unread": unread}
    if "usual_hour" in part:
        sin, cos = part["hour_sin"].mean(), part["hour_cos"].mean()
        row["usual_hour"] = float((np.degrees(np.arctan2(sin, cos)) / 15) % 24)
        row["hour_focus"] = float(np.hypot(sin, cos))  # 1: every post at one hour; 0: round the clock
    traits = _top_traits(part, groups, mix_overall)
    for g in mix_overall:
        shown, share, overall, _, _ = traits.get(g, ("", np.nan, np.nan, np.nan, ""))
        row[f"top_{g}"], row[f"top_{g}_share"], row[f"top_{g}_overall"] = shown, share, overall
    row["signature"] = _signature(traits, row, base or {})
    return row


def _top_traits(part: pd.DataFrame, groups: dict[str, list[str]],
                baseline: dict[str, pd.Series]) -> dict[str, tuple[str, float, float, float, str]]:
    """For each mix, its value most over-represented in `part` against `baseline` that holds for a real part of
    its posts: (the value as shown, its share, the baseline's share, the lift, its feature column)."""
    out = {}
    for g, overall in baseline.items():
        share = _per_post(part, groups[g])
        values = [c.split(": ", 1)[1] for c in share.index]
        shown = [wording.clean_label(v) if g == "topics" else PLATFORM_NAMES.get(v, v) for v in values]
        ok = [v not in _NO_VALUE and s != "" and wording.trait_holds(share[c], overall[c])
              for c, v, s in zip(share.index, values, shown)]
        lift = share / overall.where(overall > 0)
        best = max((i for i in range(len(ok)) if ok[i]), key=lambda i: lift.iloc[i], default=None)
        if best is not None:
            out[g] = (shown[best], float(share.iloc[best]), float(overall.iloc[best]), float(lift.iloc[best]),
                      str(share.index[best]))
    return out


def _signature(traits: dict[str, tuple[str, float, float, float, str]], row: dict, base: dict) -> str:
    """The most over-represented trait, never an emotion against the segment's tone (`_clashes`)."""
    if "emotion" in traits and _clashes({**row, "top_emotion": traits["emotion"][0]}, base):
        traits = {g: t for g, t in traits.items() if g != "emotion"}
    return max(traits.values(), key=lambda t: t[3])[0] if traits else ""


def _apart_from_namesakes(out: pd.DataFrame, authors: pd.DataFrame, groups: dict[str, list[str]],
                          mix_overall: dict[str, pd.Series], base: dict) -> pd.DataFrame:
    """A segment whose trait (its signature) does not set it apart from another segment of the same name (holds
    for `wording.trait_holds`' lift more of its posts than of theirs) is told apart by what sets it apart from
    those namesakes instead, or by number where nothing does: on real Sentiment140 tweets two "Critics" segments
    were "Critics · anger" (28 % of its posts angry) and "Critics · complaint / issue" (49 % angry), so the one
    named for anger was the less angry; on 7,290 real app reviews "Critical posts · complaint / issue" (86 %
    complaints) stood beside a "Critical posts" with 85 %, as if that one held none."""
    seg = out["segment"] != NOISE
    for _, same in out[seg & out["signature"].ne("")].groupby("name"):
        namesakes = out.loc[seg & out["name"].eq(same["name"].iloc[0]), "segment"]
        if len(namesakes) < 2:
            continue
        for i, r in same.iterrows():
            part = authors[authors["segment"] == r["segment"]]
            mine = next((t for t in _top_traits(part, groups, mix_overall).values() if t[0] == r["signature"]), None)
            others = authors[authors["segment"].isin(namesakes) & (authors["segment"] != r["segment"])]
            if mine is None or all(wording.trait_holds(mine[1], _one(g, mine[4]))
                                   for _, g in others.groupby("segment")):
                continue
            traits = _top_traits(part, groups, {g: _per_post(others, groups[g]) for g in mix_overall})
            out.at[i, "signature"] = _signature(traits, r.to_dict(), base)
    return out


_POSITIVE_EMOTIONS, _NEGATIVE_EMOTIONS = frozenset({"joy"}), frozenset({"anger", "sadness", "fear", "disgust"})


def _clashes(row: dict, base: dict) -> bool:
    """Whether the segment's most over-represented emotion says the opposite of its tone: a "Critical posts ·
    joy" segment of a real support inbox (Banking77: 65 % negative, and 60 % "joy", the emotion model's reading
    of "I would like to ..." and "help please!") read as a contradiction; the description still gives the figure,
    said to be the emotion model's reading at odds with the tone (14,640 real airline tweets: a segment 99 %
    negative and "100 % of posts with emotion joy", the model's reading of "thanks for nothing").
    A segment whose tone is the dataset's is named by no emotion against its own majority either: the same inbox's
    "Posts · joy" was 46 % negative and 1 % positive (all "joy": the model's reading of "I would like to ...")."""
    pos, neg = row.get("positive_share", np.nan), row.get("negative_share", np.nan)
    if not (np.isfinite(pos) and np.isfinite(neg)) or "positive_share" not in base:
        return False
    noun, _ = wording.tone(pos, neg, base["positive_share"], base["negative_share"])
    emotion = row.get("top_emotion", "")
    return ((noun == "critics" or neg > pos) and emotion in _POSITIVE_EMOTIONS) or \
        ((noun in ("advocates", "cautious supporters") or pos > neg) and emotion in _NEGATIVE_EMOTIONS)


_TRAIT_TEXT = {"topics": "of posts about {v}", "intent": "of posts with intent {v}",
               "emotion": "of posts with emotion {v}", "platform": "of posts on {v}", "content": "{v} posts"}


_POST_NOUNS = {"critics": "critical posts", "advocates": "enthusiastic posts", "onlookers": "neutral posts",
               "cautious supporters": "mostly positive posts"}  # a segment of posts is not a group of people


# a segment of posts is named by where its median post stands among all posts (top or bottom quarter)
_LEVELS = {"engagement_per_post": ("high-engagement", "low-engagement",
                                   "median {v:,.0f} engagements per post vs {usual:,.0f} for the median post"),
           "followers": ("large-audience", "small-audience",
                         "posted to a median {v:,.0f} followers vs {usual:,.0f} for the median post")}


def _describe(row: dict, base: dict, unit: str, spread: dict[str, np.ndarray]) -> tuple[str, str]:
    """The generated name (activity word and tone, each only when its number says so; for a segment of posts,
    whether its median post is in the top or bottom quarter of all posts by engagement or audience, and its tone)
    and the description (every figure beside the dataset's)."""
    word, activity = ("", "") if unit == "posts" else wording.activity_word(row["posts_per_author"] / base["posts"])
    pos, neg = row.get("positive_share", np.nan), row.get("negative_share", np.nan)
    noun, tone = ("authors", "") if np.isnan(pos) else wording.tone(pos, neg, base["positive_share"],
                                                                     base["negative_share"])
    bits = []
    if unit == "posts":
        noun = _POST_NOUNS.get(noun, "posts")
        words = []
        for col, (high, low, says) in _LEVELS.items():
            value, usual = row.get(col, np.nan), base.get(col, np.nan)
            if col not in spread or not len(spread[col]) or not np.isfinite(value):
                continue
            below = float(np.searchsorted(spread[col], value)) / len(spread[col])  # share of all posts below
            level = high if below >= 0.75 else low if below <= 0.25 else ""
            if level:
                words.append(level)
            bits.append(says.format(v=value, usual=usual))
        word = " ".join(words)  # "low-engagement small-audience posts"
    spam, usual_spam = row.get("spam_share", np.nan), base.get("spam_share", np.nan)
    if np.isfinite(spam) and spam >= SPAM_SEGMENT:  # on real YouTube comments one "Onlookers" segment was 91 % spam
        # the tone stays in the name ("critics" or "critical posts": critical); two spam segments on the real
        # YouTube comments were "Self-promoters" and "Self-promoters #3", now neutral and critical ones
        mood = next((v.removesuffix(" posts") for k, v in _POST_NOUNS.items() if noun in (k, v)), "")
        noun = f"{mood} {'self-promotion posts' if unit == 'posts' else 'self-promoters'}".strip()
    if np.isfinite(spam) and spam >= SPAM_SAID:
        bits.insert(0, f"{spam:.0%} of posts are link spam or self-promotion (vs {usual_spam:.0%} overall)")
    name = f"{word} {noun}".strip().capitalize()
    if unit == "posts" and name == "Posts" and bits:  # engagement and audience measured, both in the middle
        name = "Typical posts"
    elif name == "Authors":  # nothing sets them apart from the dataset (a file of dates only: no hour either)
        name = "Typical authors"
    ppa = row["posts_per_author"]
    if unit != "posts" and f"{ppa:.1f}" != f"{base['posts']:.1f}":
        bits.append(f"{activity + ': ' if activity else ''}{ppa:.1f} posts per author vs {base['posts']:g} for the "
                    "median author")
    if tone:
        bits.append(tone)
    elif "_unread" in row:
        bits.append(f"tone unknown: {row['_unread']:.0%} of its posts are in languages no sentiment model reads")
    fol = base["followers"] if unit != "posts" else np.nan  # posts: said with the audience level above
    if not np.isnan(fol) and row.get("followers", 0) >= 2 * max(fol, 1):
        bits.append(f"influential (median {row['followers']:,.0f} followers vs {fol:,.0f} overall)")
    elif not np.isnan(fol) and row.get("followers", np.inf) <= 0.5 * fol:
        bits.append(f"small audiences (median {row['followers']:,.0f} followers vs {fol:,.0f} overall)")
    for g, text in _TRAIT_TEXT.items():
        if row.get(f"top_{g}"):
            odds = "; the emotion model's reading, at odds with their tone" if g == "emotion" and \
                _clashes(row, base) else ""  # "99% negative" beside "100% joy": thanks in a complaint
            bits.append(f"{row[f'top_{g}_share']:.0%} {text.format(v=row[f'top_{g}'])} "
                        f"(vs {row[f'top_{g}_overall']:.0%} overall{odds})")
    if pd.notna(row.get("usual_hour")) and row.get("hour_focus", 1.0) >= HOUR_FOCUS and unit != "posts":
        bits.append(f"usually posts around {int(round(row['usual_hour'])) % 24:02d}:00")
    return name, "; ".join(bits)


MIX_SHARE, MIX_LIFT, MIX_MOST = 0.10, 2.0, 3  # a topic of a mix: >= 10 % of the posts, twice the dataset's share


def _topic_mix(part: pd.DataFrame, groups: dict[str, list[str]],
               overall: dict[str, pd.Series]) -> tuple[str, str]:
    """The few topics most over-represented in a segment that together hold for a real part of its posts, though
    none does alone (each >= MIX_SHARE of its posts and MIX_LIFT times the dataset's share; the largest first, at
    most MIX_MOST): its name's words ("transfer failed, card payment") and the description's figure; ("", "")
    where none do."""
    if "topics" not in groups or "topics" not in overall:
        return "", ""
    share, base = _per_post(part, groups["topics"]), overall["topics"]
    lift = (share / base.where(base > 0)).fillna(0.0)
    picked: list[str] = []  # the largest first, as the persona card lists its top topics
    for col in share.sort_values(ascending=False, kind="stable").index:
        label = col.split(": ", 1)[1]
        if label in _NO_VALUE or share[col] < MIX_SHARE or lift[col] < MIX_LIFT or not wording.lead_words(label):
            continue
        picked.append(col)
        if share[picked].sum() >= wording.TRAIT_SHARE or len(picked) == MIX_MOST:
            break
    if share[picked].sum() < wording.TRAIT_SHARE:
        return "", ""
    words = [wording.lead_words(c.split(": ", 1)[1]) for c in picked]
    said = ", ".join(words[:-1]) + " or " + words[-1] if len(words) > 1 else words[0]
    return ", ".join(words), f"{share[picked].sum():.0%} of posts about {said} (vs {base[picked].sum():.0%} overall)"


LEAN = 0.10  # a segment's mean sentiment score this far from 0 leans that way
FLAT = 0.8  # this share of a segment's authors (or posts) scored 0 with no spread: the models found no tone


def _leans(authors: pd.DataFrame, base: dict, unit: str = "posts") -> dict[int, tuple[str, str]]:
    """For each segment, its tone's lean in words and as a figure: "leaning positive" (mean sentiment score
    >= LEAN), "leaning negative" (<= -LEAN) or "no tone found" (FLAT of its members scored exactly 0), else
    ("", ""). Used only to tell namesakes apart, and never to repeat what the name says ("Critical posts ·
    leaning negative")."""
    if "mean_sentiment" not in authors:
        return {}
    out = {}
    flat = authors["mean_sentiment"].abs().lt(0.005)
    if "sentiment_spread" in authors:
        flat &= authors["sentiment_spread"].lt(0.005)
    usual = base.get("mean_sentiment", np.nan)
    for seg, part in authors.groupby("segment"):
        if _read_share(part) < MIN_TONE_READ:
            continue
        mean, flat_share = _one(part, "mean_sentiment"), float(flat[part.index].mean())
        if flat_share >= FLAT:
            who = "posts in which" if unit == "posts" else "authors in whose posts"
            out[int(seg)] = ("no tone found", f"{flat_share:.0%} of {who} the models found no tone (sentiment score 0)")
        elif abs(mean) >= LEAN:
            vs = f" vs {usual:+.2f} overall" if np.isfinite(usual) else ""
            out[int(seg)] = (f"leaning {'positive' if mean > 0 else 'negative'}",
                             f"mean sentiment score {mean:+.2f}{vs}")
    return out


ONE_DAY = 1.2  # a segment whose authors post on fewer days than this on average posts "in one day"
SEVERAL_DAYS = 1.5  # ... and one whose authors post on this many days or more, "across days"


def _days(authors: pd.DataFrame) -> dict[int, float]:
    """Each segment's mean number of days its authors posted on (dated data only), to tell namesakes apart."""
    if "active_days" not in authors or not authors["active_days"].gt(0).any():
        return {}
    return {int(seg): float(part["active_days"].mean()) for seg, part in authors.groupby("segment")}


WEEKDAYS, WEEKENDS = 0.1, 0.9  # a segment with at most / at least this share of its posts on a weekend


def _weekends(authors: pd.DataFrame) -> dict[int, float]:
    """Each segment's share of posts written on a Saturday or Sunday (dated data only), to tell namesakes apart."""
    if "weekend_share" not in authors or authors["weekend_share"].isna().all():
        return {}
    return {int(seg): _one(part, "weekend_share") for seg, part in authors.groupby("segment")}


_SAYS_LEAN = {"leaning positive": ("enthusiastic", "advocates", "positive", "supporters"),
              "leaning negative": ("critical", "critics")}


def _tell_apart(out: pd.DataFrame, mixes: dict[int, tuple[str, str]] | None = None,
                leans: dict[int, tuple[str, str]] | None = None, days: dict[int, float] | None = None,
                weekends: dict[int, float] | None = None) -> pd.DataFrame:
    """A name that says nothing ("Posts", "Authors", "Typical posts", "Typical authors") or the same generated name
    twice: tell them apart by what sets each most apart (its most over-represented topic, intent, emotion,
    platform or post type that holds for a real part of its posts), else by the time of day its authors post at,
    when their hours gather there (HOUR_FOCUS), else by whether their posts were written on weekends or weekdays
    where that splits them (`weekends`, from `_weekends`: a post's weekend share is 0 or 1, and on 7,290 real app
    reviews, dated by day, each tone came twice, once for weekends, the namesakes told apart by 86 % complaints
    against 85 %, or mean scores +0.12 and +0.15), else by the few topics it gathers (`mixes`, from
    `_topic_mix`), else by number.
    On the UCI Facebook page a segment named "Posts" was entirely text posts; it is now "Posts · text". On
    TweetEval's real tweets (generated times) two segments differing by hour were "Authors" and "Authors #2";
    they are "Authors · afternoons" and "Authors · evenings". In a real support inbox (Banking77) "Critical posts"
    and "Critical posts #7" were told apart by nothing a reader could use; the second, 33 % about failed transfers
    and cancelled card payments (6 % overall), is "Critical posts · transfer failed, card payment". Namesakes
    left are told apart by their tone's lean (`leans`, from `_leans`): on 2,000 real tweets in four languages three
    segments were "Neutral posts", "#4" and "#7", all 100 % neutral; the second's mean score is +0.19, the third's
    posts scored exactly 0 (no tone found: "no opinion words" overclaimed, "You are a stand up guy" has one that the
    lexicon lacks). Namesakes that lean alike too are told apart by their mean sentiment score: on 2,000 real
    Chinese delivery reviews (no authors, so segments of posts) "Critical posts", "#5", "#7" and "#9" were all
    100 % negative with no emotion a name could use, and differed only in how negative (-0.35, -0.76, -0.60,
    -0.31); a reader can weigh that, not a number. Before that, a pair of namesake author segments of which one
    posts in one day and the other across days (`days`, from `_days`) are told so: 14,640 real airline tweets gave
    "Power authors · mean score +0.01" and "+0.02", whose authors wrote 3.1 posts on 1.0 day and 3.5 on 1.7 days (a
    traveller stuck at a gate, and a customer who comes back); they are "· in one day" and "· across days"."""
    seg = out["segment"] != NOISE
    plain_name = out["name"].copy()
    if "hour_focus" in out:
        timed = seg & out["signature"].eq("") & (out["hour_focus"] >= HOUR_FOCUS) & out["usual_hour"].notna()
        out.loc[timed, "signature"] = out.loc[timed, "usual_hour"].map(day_part)
    plain = seg & out["name"].isin(_PLAIN) & out["signature"].ne("")
    out.loc[plain, "name"] = out.loc[plain, "name"].replace({"Typical posts": "Posts", "Typical authors": "Authors"})
    dup = (plain | out["name"].duplicated(keep=False)) & seg & out["signature"].ne("")
    out.loc[dup, "name"] = out.loc[dup, "name"] + " · " + out.loc[dup, "signature"]
    for shared, same in out[seg & out["name"].duplicated(keep=False)].groupby("name"):
        shares = {i: (weekends or {}).get(int(out.at[i, "segment"]), np.nan) for i in same.index}
        if not all(v <= WEEKDAYS or v >= WEEKENDS for v in shares.values()) or \
                len({v >= WEEKENDS for v in shares.values()}) < 2:  # unknown, mixed, or all on the same days
            continue
        for i, v in shares.items():
            out.at[i, "name"] = f"{shared} · {'on weekends' if v >= WEEKENDS else 'on weekdays'}"
            said = "all its posts" if v >= 0.995 else "none of its posts" if v < 0.005 else f"{v:.0%} of its posts"
            if "description" in out:
                out.at[i, "description"] = "; ".join(b for b in (out.at[i, "description"],
                                                                 f"{said} written on a weekend") if b)
    for i in out.index[out["name"].duplicated(keep="first") & seg]:
        words, figure = (mixes or {}).get(int(out.at[i, "segment"]), ("", ""))
        if words and f"{plain_name[i]} · {words}" not in set(out["name"]):
            out.at[i, "name"] = f"{plain_name[i]} · {words}"
            if "description" in out:
                out.at[i, "description"] = "; ".join(b for b in (out.at[i, "description"], figure) if b)
    named = set(out["name"])
    for shared, same in out[seg & out["name"].duplicated(keep=False)].groupby("name"):
        found = {i: (leans or {}).get(int(out.at[i, "segment"]), ("", "")) for i in same.index}
        if len({w for w, _ in found.values()}) < 2:  # all lean alike: the lean tells them no more apart
            continue
        for i, (lean, figure) in found.items():
            name = f"{shared} · {lean}"
            if lean and name not in named and not any(w in plain_name[i].lower() for w in _SAYS_LEAN.get(lean, ())):
                out.at[i, "name"] = name
                named.add(name)
                if "description" in out:
                    out.at[i, "description"] = "; ".join(b for b in (out.at[i, "description"], figure) if b)
    for shared, same in out[seg & out["name"].duplicated(keep=False)].groupby("name"):
        spans = {i: (days or {}).get(int(out.at[i, "segment"])) for i in same.index}
        known = {i: d for i, d in spans.items() if d is not None}
        if len(same) != 2 or len(known) != 2 or min(known.values()) >= ONE_DAY or max(known.values()) < SEVERAL_DAYS:
            continue
        for i, d in known.items():
            out.at[i, "name"] = f"{shared} · {'in one day' if d < ONE_DAY else 'across days'}"
            said = f"posting on {d:.1f} {'day' if f'{d:.1f}' == '1.0' else 'days'} per author on average"
            if "description" in out:
                out.at[i, "description"] = "; ".join(x for x in (out.at[i, "description"], said) if x)
    for shared, same in out[seg & out["name"].duplicated(keep=False)].groupby("name"):
        score = same["mean_sentiment"].round(2) if "mean_sentiment" in same else pd.Series(np.nan, same.index)
        if score.isna().any() or score.duplicated().any():  # a tone no model read, or two the same
            continue
        for i in same.index:
            out.at[i, "name"] = f"{shared} · mean score {score[i]:+.2f}"
            if "description" in out and "mean sentiment score" not in out.at[i, "description"]:
                out.at[i, "description"] = "; ".join(b for b in (out.at[i, "description"],
                                                                 f"mean sentiment score {score[i]:+.2f}") if b)
    still = out["name"].duplicated(keep="first") & seg
    out.loc[still, "name"] = out.loc[still, "name"] + " #" + (out.loc[still, "segment"] + 1).astype(str)
    return out


_PLAIN = ("Posts", "Authors", "Typical posts", "Typical authors")


def named_personas(result: SegmentResult, edits: pd.DataFrame | None = None) -> pd.DataFrame:
    """The personas table with the user's names and descriptions in place of the generated ones."""
    names = persona_names(result, edits).set_index("segment")
    return result.personas.assign(**{c: result.personas["segment"].map(names[c]).fillna(result.personas[c])
                                     for c in ("name", "description")})


def persona_names(result: SegmentResult, edits: pd.DataFrame | None = None) -> pd.DataFrame:
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
