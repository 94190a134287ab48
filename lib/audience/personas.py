"""Personas: a generated name and description for each segment (read from its figures against the median
author), and the user's own names and descriptions on top."""
from __future__ import annotations

import numpy as np
import pandas as pd

from lib.audience.result import NOISE, SegmentResult

_NO_VALUE = {"none", "other", "(none)", "Outliers"}
_PLATFORM_NAMES = {"facebook": "Facebook", "instagram": "Instagram", "x": "X", "tiktok": "TikTok",
                   "linkedin": "LinkedIn", "youtube": "YouTube", "reddit": "Reddit"}
_MIX_GROUPS = ("topics", "platform", "content", "intent", "emotion")


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
    mix_overall = {g: authors[groups[g]].mean() for g in _MIX_GROUPS if g in groups}
    fol_median = float(authors["followers"].median()) if "followers" in authors else np.nan
    for seg, part in authors.groupby("segment"):
        row, lifts = _figures(int(seg), part, len(authors), groups, mix_overall)
        if seg == NOISE:
            name = "Unassigned (noise)"
            desc = (f"{len(part):,} {'posts' if unit == 'posts' else 'authors'} that fit no segment well; each "
                    "still has its nearest segment in the table.")
        else:
            name, desc = _describe(row, lifts, overall_posts, fol_median, unit)
        row["name"], row["description"] = name, desc
        rows.append(row)
    out = pd.DataFrame(rows)
    if out.empty:
        return out
    out = _tell_apart(out)
    order = out["segment"].where(out["segment"] >= 0, 10**9)
    return out.loc[order.sort_values().index].reset_index(drop=True)


def _figures(seg: int, part: pd.DataFrame, n_all: int, groups: dict[str, list[str]],
             mix_overall: dict[str, pd.Series]) -> tuple[dict, dict[str, float]]:
    """A segment's key figures, its top value of each mix and how over-represented that value is (its lift)."""
    row: dict = {"segment": seg, "authors": len(part), "share": len(part) / n_all,
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
    best = max(lifts, key=lambda g: lifts[g]) if lifts else None
    row["signature"] = "" if best is None or lifts[best] < 1.3 else (
        _PLATFORM_NAMES.get(row[f"top_{best}"], row[f"top_{best}"]) if best == "platform" else row[f"top_{best}"])
    return row, lifts


def _describe(row: dict, lifts: dict[str, float], overall_posts: float, fol_median: float,
              unit: str) -> tuple[str, str]:
    """The generated name (activity word and tone) and description of one segment."""
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
    return name, "; ".join(bits)


def _tell_apart(out: pd.DataFrame) -> pd.DataFrame:
    """The same generated name twice: tell them apart by what sets each most apart (its most over-represented
    topic, intent, emotion, platform or post type), else by number."""
    dup = out["name"].duplicated(keep=False) & (out["segment"] != NOISE) & out["signature"].ne("")
    out.loc[dup, "name"] = out.loc[dup, "name"] + " · " + out.loc[dup, "signature"]
    still = out["name"].duplicated(keep="first") & (out["segment"] != NOISE)
    out.loc[still, "name"] = out.loc[still, "name"] + " #" + (out.loc[still, "segment"] + 1).astype(str)
    return out


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
