"""The Listening page's block on an export's own sentiment (lib.listening.given): how the out-of-the-box label
compares with it, and a button that makes it the user's labels (or takes them back)."""
from __future__ import annotations

from collections.abc import Callable, Mapping

import pandas as pd
import streamlit as st

from lib.listening.given import GivenSentiment, agreement, as_labels, own_shares
from lib.listening.sentiment import LABELS, product_labels, self_promotion
from lib.listening.shares import P_COLUMNS, ZERO_SHOT_COLUMNS
from lib.ui.widgets import md_escape, table


def out_of_the_box(frame: pd.DataFrame, promo: pd.Series | None = None) -> pd.Series:
    """The public model's label of each post (before any label of the user's), from the probabilities the frame
    keeps for the share estimate, the complaint rule's verdict and the self-promotion flags (`promo`, aligned with
    the frame; read from its text when not given)."""
    zero = ZERO_SHOT_COLUMNS if set(ZERO_SHOT_COLUMNS) <= set(frame.columns) else P_COLUMNS
    proba = frame[zero].set_axis(P_COLUMNS, axis=1)
    rule = frame["complaint_cue"].fillna(False).astype(bool) if "complaint_cue" in frame else \
        pd.Series(False, index=frame.index)
    if promo is None and "text" in frame:
        promo = self_promotion(frame["text"].fillna("").astype(str))
    return product_labels(proba, rule, promo)["sentiment_label"]


def given_note(given: GivenSentiment, labels: pd.Series, post_ids: pd.Series) -> str:
    """The line under the shares when the export has a sentiment of its own that is not yet the user's labels, with
    the shares it gives: on 7,290 real Google Play reviews the zero-shot estimate read 47 % positive (range 29-64 %)
    where the stars say 66 %, and the line named the column without saying what it says."""
    if _used(given, labels, post_ids):
        return ""
    return (f"Your file has a sentiment of its own: column '{md_escape(given.file_column)}', read as "
            f"{md_escape(given.scale)}, says {_in_words(own_shares(given))} of its {int(given.labels.notna().sum()):,} "
            "rated posts. Compare it with the Listening Lab label, or use it to calibrate these shares, under Teach "
            "the model.")


def _in_words(shares: dict[str, float]) -> str:
    """"27% negative, 7% neutral, 66% positive"."""
    return ", ".join(f"{shares[c]:.0%} {c}" for c in LABELS)


def _used(given: GivenSentiment, labels: pd.Series, post_ids: pd.Series) -> bool:
    """Whether every post's own sentiment is the user's label for it (one vectorised look-up: this runs on every
    rerun of the page)."""
    known = given.labels.notna().to_numpy()
    if not known.any() or labels.empty:
        return False
    mine = labels.reindex(post_ids[known].astype(str).to_numpy())
    return bool((mine.to_numpy() == given.labels[known].to_numpy()).all())


def show_given(given: GivenSentiment, frame: pd.DataFrame, labels: pd.Series,
               save: Callable[[Mapping[str, str | None]], None], promo: pd.Series | None = None) -> None:
    """The block. `save(updates)` stores post_id -> label (None removes one), as the page's other label inputs;
    `promo`: the posts' self-promotion flags, computed once per dataset (`lib.ui.cache.self_promotion`)."""
    ag = agreement(given, out_of_the_box(frame, promo))
    mine = as_labels(given, frame["post_id"])
    used = _used(given, labels, frame["post_id"])
    shares = _in_words(ag.given_shares)
    with st.container(border=True):
        st.markdown(f"**Your file's own sentiment**: column '{md_escape(given.file_column)}', read as "
                    f"{given.scale}, on {ag.posts:,} posts ({shares}).")
        st.caption(f"The out-of-the-box Listening Lab label agrees with it on {ag.accuracy:.0%} of them (macro-F1 "
                   f"{ag.macro_f1:.2f}). Where the file's sentiment was set by people (a labelled dataset, a "
                   "review's stars), it is the better label: use it, and every post that has one keeps it, the "
                   "shares above are calibrated on it, and a model of this dataset learns from it to label the "
                   "posts that have none. Where another tool "
                   "set it, it is that tool's guess, not the truth: compare before you use it.")
        grid = ag.table.rename(columns={c: f"Listening Lab: {c}" for c in LABELS}).reset_index()
        table(grid.rename(columns={grid.columns[0]: "in the file"}), hide_index=True)
        if used:
            st.caption(f"These are your labels now ({len(mine):,} posts).")
            if st.button("Take these labels back", key="given_remove", icon=":material/undo:"):
                save({pid: None for pid in mine})
                st.rerun()
        elif st.button(f"Use them as my labels ({len(mine):,} posts)", key="given_use", type="primary",
                       icon=":material/label:"):
            save(mine)
            st.rerun()
