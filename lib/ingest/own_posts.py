"""The brands' own replies in an export of what others say: found on import and set aside, each one counted.

A customer-care dump (Kaggle's Customer Support on Twitter: `inbound` is False on the companies' tweets), a
YouTube comment scrape (`authorIsChannelOwner`) or a page's comments where the page answers under the brand's name
mixes what people say with what the brand answers. Counted as posts, the answers ("Please send us a DM so that we
can look into this") make up half such a file: they set its topics, its sentiment shares and its most active
authors. A brand's own post is found by such a column, or by an author who is one of the posts' brands; those that
answer a post (a parent id) are left out as excluded rows ("a brand's own reply") unless the user keeps them. A
brand's top-level posts stay (a page's own posts are what the KPI lab ranks), and so does a file whose every post is
the brand's own.

Where a file with such a column names no brand, the accounts that answer as a brand are its brands: each post takes
the one it answers, else the first that answers it, else the first it @mentions (`thread_brands`).
"""
from __future__ import annotations

import re

import pandas as pd

from lib.ingest.formats import norm

OWN_WHEN_TRUE = ("authorischannelowner", "ischannelowner", "channelowner", "authorisowner", "isowner")  # scrapers
OWN_WHEN_FALSE = ("inbound",)  # Customer Support on Twitter: True for the customers' tweets
REASON = "a brand's own reply"
_TRUE = frozenset({"true", "1", "yes", "y", "t"})
_FALSE = frozenset({"false", "0", "no", "n", "f"})
_MENTION = re.compile(r"@(\w+)")


def own_flag(raw: pd.DataFrame) -> tuple[str, pd.Series] | None:
    """The file's column that says which posts are the brand's or the channel's own, and what it says (True: own).
    A column of that name is read only where nine in ten of its cells are a yes or a no."""
    for col in raw.columns:
        key = norm(col)
        if key not in OWN_WHEN_TRUE and key not in OWN_WHEN_FALSE:
            continue
        said = raw[col].astype("string").str.strip().str.lower()
        yes, no = said.isin(_TRUE).fillna(False), said.isin(_FALSE).fillna(False)
        if len(said) and (yes | no).mean() >= 0.9:
            return str(col), (yes if key in OWN_WHEN_TRUE else no).astype(bool)
    return None


def _key(names: pd.Series) -> pd.Series:
    return names.astype("string").str.strip().str.lstrip("@").str.lower()


ACCOUNT_POSTS = 3  # posts each writer of a scrape's posts wrote, at least, for the writers to be its accounts


def _accounts_scraped(out: pd.DataFrame, by_writer: pd.Series) -> bool:
    """Whether the posts under which comments were nested are a few accounts' (a scrape of profiles: each account's
    latest posts) rather than anyone's (a hashtag's scrape: about one post per writer): every writer of the posts
    wrote `ACCOUNT_POSTS` of them or more."""
    if "author" not in out:
        return False
    posts = by_writer & out["parent_id"].isna() if "parent_id" in out else by_writer
    counts = _key(out.loc[posts, "author"]).value_counts(dropna=False)
    return len(counts) > 0 and not counts.index.isna().any() and int(counts.min()) >= ACCOUNT_POSTS


def own_posts(out: pd.DataFrame, raw: pd.DataFrame) -> tuple[pd.Series, str | None]:
    """Which of the posts `out` (imported from `raw`, same index) are a brand's own: so flagged by a column of the
    file (named second), written by an author who is one of the posts' brands ("@Nike" answering under a brand
    "Nike"), or written by the account whose post it is or is under, where comments were nested in their posts (an
    Instagram account's post and its answers to its commenters, `nested_comments.BY_POST_AUTHOR`). Those accounts
    are the brands (the column is named second) only where they are a few accounts' (`_accounts_scraped`): a
    hashtag's scrape has about as many writers as posts."""
    from lib.ingest.nested_comments import BY_POST_AUTHOR

    flag = own_flag(raw)
    own = flag[1].reindex(out.index, fill_value=False) if flag else pd.Series(False, index=out.index)
    named = flag[0] if flag else None
    if BY_POST_AUTHOR in raw:
        by_writer = raw[BY_POST_AUTHOR].eq("true").reindex(out.index, fill_value=False).astype(bool)
        own = own | by_writer
        if named is None and _accounts_scraped(out, by_writer):
            named = BY_POST_AUTHOR
    if "author" in out and "brand" in out:
        brands = set(_key(out["brand"]).dropna())
        own = own | _key(out["author"]).isin(brands).fillna(False).astype(bool)
    return own, named


def thread_brands(out: pd.DataFrame, own: pd.Series) -> pd.Series:
    """Each post's brand where the file names none: a brand's own post is its author's; another post takes the brand
    account it answers, else the first that answers it, else the first it @mentions; none stays missing."""
    accounts = out["author"].astype("string").where(own)
    brand = accounts.copy()
    if "post_id" in out and "parent_id" in out:
        ids, parents = out["post_id"].astype("string"), out["parent_id"].astype("string")
        by_id = pd.Series(accounts.to_numpy(), index=ids.to_numpy())
        by_id = by_id[~by_id.index.duplicated()]
        brand = brand.fillna(pd.Series(parents.map(by_id).to_numpy(), index=out.index, dtype="string"))
        answers = own & parents.notna()
        first_answer = pd.Series(accounts[answers].to_numpy(), index=parents[answers].to_numpy())
        first_answer = first_answer[~first_answer.index.duplicated()]
        brand = brand.fillna(pd.Series(ids.map(first_answer).to_numpy(), index=out.index, dtype="string"))
    names = dict(zip(_key(accounts.dropna()), accounts.dropna(), strict=True))
    missing = brand.isna() & out["text"].notna() if "text" in out else pd.Series(False, index=out.index)
    if missing.any() and names:
        def mentioned(text: str) -> str | None:
            return next((names[m.lower()] for m in _MENTION.findall(text) if m.lower() in names), None)
        brand[missing] = out.loc[missing, "text"].astype(str).map(mentioned)
    return brand.astype("string")


def own_replies(out: pd.DataFrame, own: pd.Series) -> pd.Series:
    """The brand's own posts that answer another (a parent id), where not every post is the brand's own."""
    if own.all() or "parent_id" not in out:
        return pd.Series(False, index=out.index)
    return own & out["parent_id"].notna()


def accounts_said(out: pd.DataFrame, rows: pd.Series, most: int = 4) -> str:
    """The accounts that wrote `rows`, the most frequent first ("SpotifyCares, AppleSupport and 18 more")."""
    if "author" not in out:
        return "the brands' own accounts"
    counts = out.loc[rows, "author"].astype("string").value_counts()
    shown = ", ".join(str(a) for a in counts.index[:most])
    return shown + (f" and {len(counts) - most:,} more" if len(counts) > most else "")


def answer_minutes(out: pd.DataFrame, own: pd.Series) -> pd.Series:
    """Minutes from each post that is not a brand's own to the first of the brands' own replies to it (missing:
    none answered it, or a date is missing): what the KPI lab's care figures read (`lib.kpis.care`)."""
    replies = own & out["parent_id"].notna() & out["created_at"].notna()
    first = out.loc[replies, "created_at"].groupby(out.loc[replies, "parent_id"].astype("string")).min()
    at = pd.to_datetime(out["post_id"].astype("string").map(first), utc=True)
    minutes = (at - out["created_at"]).dt.total_seconds() / 60
    return minutes.clip(lower=0).where(~own).astype("Float64")
