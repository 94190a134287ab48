"""Comments a scraper keeps inside its posts' rows, read as posts of their own.

Apify's Instagram scraper, the way most marketers get Instagram posts they do not own, writes each post's latest
comments into the post's row: `latestComments` as a list of objects in its JSON download, and as
`latestComments/0/text`, `latestComments/0/ownerUsername`, ... in its CSV and Excel ones (joined back into one list
by `lib.ingest.flat_lists`); each comment's replies sit inside it (`replies`). Read as they were, the comments were
one cell of JSON per post and the analysis read only the account's captions: what the audience said was lost. Each
comment (and reply) becomes a row of its own right after its post: its words in the column the posts' words are in
(the posts' `caption`, the comments' `text`), its other fields in the posts' columns of the same name (its writer in
`ownerUsername`, its time in `timestamp`, its likes in `likesCount`, its `repliesCount` as its comments in
`commentsCount`), its post's id as `parent_id`, "comment" as its type, and its post's `source_row`, so each can be
traced to the file's row it came from. `BY_POST_AUTHOR` says which rows the account whose post it is wrote: the
post itself, and a comment by that account (a brand answering its commenters), so that the import sets the
account's answers aside as it does a brand's own replies (`lib.ingest.own_posts`), and the KPI lab reads how often
and how fast the account answered the comments under its posts (`lib.kpis.care`). A file whose rows are comments
with their replies nested gets no such column: a comment's writer is anyone, not an account whose post it is.

Meta's Graph API nests a post's comments the same way (`comments{...}` on a page's posts or an Instagram media,
`replies{...}` on an Instagram comment), each edge as {"data": [...], "summary": {"total_count": ...}}: read as
`comments.data`, they are lifted alike, and where the posts' words are a `caption` and the comments' a `text` (an
Instagram media's), the comments' words join the captions' column, where the captions were left out before as
posts with no text.
"""
from __future__ import annotations

import json

import pandas as pd

from lib.ingest.formats import norm

WORDS = ("text", "message", "comment", "body")  # a comment's words, first found
TYPE_COLUMNS = ("type", "status_type", "media_type", "media_product_type")  # where a post says its kind
# how many comments a post has in all: a scraper's count, the Graph API's edge summary
COUNT_COLUMNS = ("commentscount", "commentcount", "comments", "commentssummarytotalcount")
REPLY_COUNTS = ("repliescount", "replycount")  # a comment's replies: its comments count, as a comments export has it
SAMPLE = 50  # cells read to tell a column of nested comments
BY_POST_AUTHOR = "By the post's author"  # the column that says which comments the post's own account wrote


def _comments_in(cell: object) -> list[dict] | None:
    """The comments a cell holds (a JSON list of objects, at least one with words), [] for an empty list, None
    for anything else."""
    if not isinstance(cell, str) or not cell.lstrip().startswith("["):
        return None
    try:
        items = json.loads(cell)
    except ValueError:
        return None
    if not isinstance(items, list) or not all(isinstance(c, dict) for c in items):
        return None
    return [c for c in items if _words_key(c) is not None]


def _replies(comment: dict) -> list[dict]:
    """A comment's own replies: a scraper's `replies` list, or the Graph API's `replies{data}` (Instagram) or
    `comments{data}` (Facebook)."""
    found = []
    for key in ("replies", "comments"):
        edge = comment.get(key)
        items = edge.get("data") if isinstance(edge, dict) else edge if key == "replies" else None
        if isinstance(items, list):
            found += [c for c in items if isinstance(c, dict) and _words_key(c) is not None]
    return found


def _words_key(comment: dict) -> str | None:
    return next((k for k in WORDS if isinstance(comment.get(k), str) and comment[k].strip()), None)


def _edge(column: str) -> str:
    """A column's name as the list it holds: "comments.data" (the Graph API's edge) -> "comments"."""
    return norm(column).removesuffix("data")


def _named_for_comments(column: str) -> bool:
    key = _edge(column)
    return ("comment" in key or key.endswith("replies")) and "count" not in key


def _comment_columns(df: pd.DataFrame) -> list[str]:
    """The columns that hold a list of comments in most of their filled cells: named for comments or replies
    (not their count), with at least one comment in the cells read."""
    found = []
    for col in df.columns:
        if not _named_for_comments(str(col)):
            continue
        cells = df[col].dropna().head(SAMPLE)
        read = [_comments_in(c) for c in cells]
        if len(cells) and sum(r is not None for r in read) >= 0.8 * len(cells) and any(read):
            found.append(str(col))
    return found


def _posts_column(df: pd.DataFrame, field: str, comment_columns: list[str]) -> str | None:
    """The column the posts' `field` ("text", "author") is in: the first of the mapping's names for it that the file
    fills (a page's posts without words, a shared photo, leave it empty in some rows)."""
    from lib.ingest.mapping import SYNONYMS

    by_norm = {norm(str(c)): str(c) for c in df.columns if str(c) not in comment_columns}
    for name in SYNONYMS[field]:
        col = by_norm.get(name)
        if col is not None and df[col].notna().any():
            return col
    return None


def _same_writer(a: object, b: object) -> bool:
    def key(v: object) -> str:
        return str(v).strip().lstrip("@").lower() if v is not None else ""
    return bool(key(a)) and key(a) == key(b)


def cell_text(value: object) -> str | None:
    """A JSON value as a table's cell holds it: text, a list or an object as JSON, true/false, None for nothing."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _flat(comment: dict, moved: dict[str, str]) -> dict[str, str | None]:
    """A comment's fields as cells, each under its own name or where `moved` puts it (its words in the posts'
    words column), an object's fields as "owner.username"."""
    out: dict[str, str | None] = {}
    for key, value in comment.items():
        if key in ("replies", "comments") and (isinstance(value, list) or
                                                isinstance(value, dict) and "data" in value):
            continue
        if isinstance(value, dict):
            out.update({f"{key}.{k}": cell_text(v) for k, v in value.items()})
        else:
            out[moved.get(key, key)] = cell_text(value)
    return out


def lift_nested_comments(df: pd.DataFrame, warnings: list[str]) -> pd.DataFrame:
    """`df` (a file's rows, `source_row` first) with every comment nested in a post's row, and every reply nested
    in a comment, as a row of its own right after it; the columns that held them dropped. Says what it did in
    `warnings`, and how many comments the posts count beyond those the file holds."""
    columns = _comment_columns(df)
    if not columns:
        return df
    into = _posts_column(df, "text", columns)
    if into is None:
        return df
    # a file of comments with their replies nested (the Graph API's comments on a media, a comment scraper's): its
    # rows are comments, whose writers are anyone, not the account whose post they answer
    only_replies = all(_edge(c).endswith("replies") for c in columns)
    writer = None if only_replies else _posts_column(df, "author", columns)
    ids = _posts_column(df, "post_id", columns)
    type_column = next((c for c in TYPE_COLUMNS if c in df.columns), None)
    rows_are_comments = type_column is None and only_replies
    type_column = type_column or TYPE_COLUMNS[0]
    count_column = next((str(c) for c in df.columns if norm(str(c)) in COUNT_COLUMNS and str(c) not in columns), None)
    rows: list[dict[str, object]] = []
    lifted = lacking = 0

    def add(comment: dict, parent: object, post: dict) -> None:
        nonlocal lifted
        words = _words_key(comment)
        if words is None:
            return
        moved = {words: into}
        if count_column is not None and count_column not in comment:
            moved |= {k: count_column for k in comment if norm(k) in REPLY_COUNTS}
        row: dict[str, object] = {"source_row": post.get("source_row"), **_flat(comment, moved)}
        if "parent" not in comment:  # Facebook's replies name their parent themselves
            row.setdefault("parent_id", parent)
        row[type_column] = "comment"
        if writer is not None:
            row[BY_POST_AUTHOR] = "true" if _same_writer(row.get(writer), post.get(writer)) else "false"
        rows.append(row)
        lifted += 1
        for reply in _replies(comment):
            add(reply, comment.get("id"), post)

    # the Graph API's paging cursors of a lifted edge ("comments.paging.cursors.after") say nothing of a post
    paging = [str(c) for c in df.columns for e in columns
              if e.endswith(".data") and str(c).startswith(e.removesuffix("data") + "paging")]
    for at, record in zip(df.index, df.drop(columns=columns + paging).to_dict("records")):
        if rows_are_comments:
            record[type_column] = "comment"
        if writer is not None:  # a post is its writer's own: the comments under it answer that account
            record[BY_POST_AUTHOR] = "true"
        rows.append(record)
        before = lifted
        for col in columns:
            for comment in _comments_in(df.at[at, col]) or []:
                add(comment, record.get(ids) if ids else None, record)
        listed = lifted - before  # with their replies, which Instagram's count includes
        total = pd.to_numeric(record.get(count_column), errors="coerce") if count_column else float("nan")
        if pd.notna(total) and total > listed:
            lacking += int(total) - listed
    out = pd.DataFrame(rows)
    out = out.astype(object).where(out.notna(), None)
    names = ", ".join(f"'{c}'" for c in columns)
    what = ("comment or reply nested in its post ({}) was read as a post of its own, after its post" if lifted == 1
            else "comments and replies nested in their posts ({}) were read as posts of their own, each after its "
                 "post").format(names)
    warnings.append(f"{lifted:,} {what}, with its post's id as its parent and its words in '{into}'"
                    + (f"; the posts count {lacking:,} more {'comment' if lacking == 1 else 'comments'} than the "
                       "file holds (an export or a scraper that keeps only some of them: fetch the rest to have "
                       "them all)" if lacking else ""))
    return out.reset_index(drop=True)
