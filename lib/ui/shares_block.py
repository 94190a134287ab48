"""The Listening page's Shares block: the estimated sentiment shares of all posts, overall and per brand, with
their interval, and in plain words which number is which (an estimated share of posts is not a count of the
posts' labels)."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from lib.listening.sentiment import LABELS
from lib.listening.shares import EXACT, MIN_LABELS, ShareResult, all_exact, reader_note, share_range
from lib.ui import widgets

METHOD_WORDS = {
    "sld": "the mean of the model's probabilities",
    "pcc": "the mean of the model's probabilities",
    "pacc": "the mean of the model's probabilities, corrected by its error rates on your labels (PACC)",
    "cc": "each post's own label, counted",
}
PER_BRAND_WORDS = {"sld": "; per brand, prior adjustment by EM (Saerens-Latinne-Decaestecker)"}  # said with brands


def brand_table(result: ShareResult, brand_posts: pd.Series) -> pd.DataFrame:
    """One row per brand: its posts, and each estimated share with its interval (none when every post is
    labelled)."""
    rows, ranges = [], not all_exact(result.interval)
    for brand, shares in result.by_brand.items():
        row: dict[str, object] = {"brand": brand, "posts": int(brand_posts.get(brand, 0))}
        for label in LABELS:
            row[label] = round(100 * shares[label])  # whole percent: "0.06 %" claims a precision it has not
            if ranges:
                row[f"{label} range"] = share_range(result.interval["by_brand"][brand][label])
        rows.append(row)
    return pd.DataFrame(rows).sort_values("posts", ascending=False, kind="stable")


def show_shares(result: ShareResult, posts: int, brand_posts: pd.Series | None = None,
                spam_left_out: bool = False) -> None:
    """The block: overall estimates as metrics with their range, a per-brand table, and what they are. `posts`:
    how many the estimate covers (all, or with `spam_left_out` those not flagged as likely spam)."""
    level = result.interval["level"]
    with st.container(border=True):
        st.markdown(f"**Shares you can quote**: estimated share of all {posts:,} posts"
                    + (" that are not likely spam (the other filters above do not apply)" if spam_left_out else
                       " (the filters above do not apply)"))
        cols = st.columns(len(LABELS))
        for col, label in zip(cols, LABELS):
            col.metric(f"Estimated {label} share", f"{result.overall[label]:.0%}",
                       help=f"{level:.0%} interval: {share_range(result.interval['overall'][label])}")
            bounds = share_range(result.interval["overall"][label])
            col.caption(bounds if bounds == EXACT else f"{bounds} ({level:.0%} interval)")
        if result.by_brand and brand_posts is not None:
            widgets.table(brand_table(result, brand_posts), hide_index=True, width="stretch",  # "5,697 posts"
                          column_config={c: st.column_config.NumberColumn(c, format="%d%%") for c in LABELS})
        how = METHOD_WORDS.get(result.estimator, result.estimator)
        if result.by_brand:
            how += PER_BRAND_WORDS.get(result.estimator, "")
        interval = f" The range is a {level:.0%} interval; fewer labels, or fewer posts of a brand, make it wider."
        if all_exact(result.interval):
            words = [f"**Every one of these {posts:,} posts is labelled** (your labels, or your file's own "
                     "sentiment taken as labels): these shares are the labels counted, exact; nothing is "
                     "estimated."]
        elif result.calibrated:
            words = [f"**Estimated share of posts**: how many of the posts are negative, neutral and positive, "
                     f"estimated as a whole from {how}, calibrated on your {result.labels_used:,} labels." + interval,
                     "**Posts labelled negative / neutral / positive** (the headline above, the charts and tables "
                     "below) count each post's own label. Counting adds up the labels' errors instead of cancelling "
                     "them, so quote the estimated share and use the labels to find and read posts."]
        else:
            words = [f"**Estimated share of posts**, zero-shot (no labels calibrate it yet): {how}"
                     + (" (the headline's count when no filter is set): on real labelled posts this count came "
                        "nearer the truth than the mean of the model's probabilities" if result.estimator == "cc"
                        else "") + "." + interval,
                     "Nothing checks the model against your data yet, so the range includes how far the model alone "
                     "has been off on real labelled posts: up to 13 points overall, so 15 are added each side (a "
                     "brand's range 30: a small brand's share was up to 33 points off)"
                     + (" for the posts read in English" if result.interval.get("read_by") else "") + ". Label "
                     f"posts (Teach the model: at least {MIN_LABELS}, each sentiment twice) to calibrate it: with "
                     "150 labels (random ones, or those Teach the model offers) the estimate was within about 3 "
                     "points overall on real tweets."]
        if (note := reader_note(result.interval, result.calibrated)) and not all_exact(result.interval):
            words.append(note)
        st.caption("\n\n".join(words) + f"\n\nMethod, as the command line's summary.json names it: {result.method}.")
