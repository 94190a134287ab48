"""Lists that a scraper flattened into numbered columns, read back as one list column each.

Apify's CSV and Excel downloads (the scrapers most marketers use for Instagram, TikTok and X) write a post's list
of hashtags as `hashtags/0`, `hashtags/1`, ... `hashtags/26`, and a list of objects as `hashtags/0/name`,
`hashtags/0/id`, `media/0/media_url`, `media/0/type`, ...: a real X scrape has 27 hashtag columns, most of them
empty, and an Instagram one hundreds of columns. Read as they are, each numbered column was a category of its own
(the Overview broke 1,290 tweets down by "hashtags/7", 1,200 of them "(empty)") and the mapping table listed them
all. Joined back, `hashtags` holds one JSON list per post, as the JSON download of the same dataset has it, so the
list is read as tags (`lib.listening.tag_lists`) whichever download the user picked.
"""
from __future__ import annotations

import json
from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class _Part:
    column: str
    index: int
    key: tuple[str, ...]  # the path inside the list's item; () for a list of plain values


def _split(name: str) -> tuple[str, _Part] | None:
    """("hashtags", part 0) for "hashtags/0"; ("media", part 1, key ("type",)) for "media/1/type"; None for a
    name with no numbered step after a named one."""
    steps = name.split("/")
    for k in range(1, len(steps)):
        if steps[k].isascii() and steps[k].isdigit():
            head, rest = steps[:k], steps[k + 1:]
            if not all(s.strip() for s in head) or not all(rest):
                return None
            return "/".join(head), _Part(name, int(steps[k]), tuple(rest))
    return None


def _nested(pairs: list[tuple[tuple[str, ...], str]]) -> object:
    """An item rebuilt from its (path, value) cells: numbered steps make lists, named steps objects."""
    if len(pairs) == 1 and not pairs[0][0]:
        return pairs[0][1]
    groups: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for path, value in pairs:
        if path:
            groups.setdefault(path[0], []).append((path[1:], value))
    if groups and all(k.isdigit() for k in groups):
        return [_nested(groups[k]) for k in sorted(groups, key=int)]
    return {k: _nested(v) for k, v in groups.items()}


def _filled(v: object) -> bool:
    return isinstance(v, str) and bool(v.strip())


def _joined(frame: pd.DataFrame, parts: list[_Part]) -> list[str | None]:
    """Each row's list as JSON text (None where the row has no item)."""
    parts = sorted(parts, key=lambda p: (p.index, p.key))
    values = frame[[p.column for p in parts]].to_numpy(dtype=object)
    if all(not p.key for p in parts):  # plain values: hashtags/0, hashtags/1, ...
        rows = ([str(v) for v in row if _filled(v)] for row in values)
        return [json.dumps(r, ensure_ascii=False) if r else None for r in rows]
    out: list[str | None] = []
    for row in values:
        items: dict[int, list[tuple[tuple[str, ...], str]]] = {}
        for p, v in zip(parts, row):
            if _filled(v):
                items.setdefault(p.index, []).append((p.key, str(v)))
        out.append(json.dumps([_nested(items[i]) for i in sorted(items)], ensure_ascii=False) if items else None)
    return out


def join_flat_lists(df: pd.DataFrame, warnings: list[str]) -> pd.DataFrame:
    """`df` with each flattened list's numbered columns replaced by one column named after the list, where its
    first part was (a name the file already uses gets the list's name with " (list)"). A list needs its item 0:
    "rating/5" alone is a column's name, not a list. Says what it joined in `warnings`."""
    lists: dict[str, list[_Part]] = {}
    for c in df.columns:
        found = _split(str(c))
        if found is not None:
            lists.setdefault(found[0], []).append(found[1])
    lists = {name: parts for name, parts in lists.items() if any(p.index == 0 for p in parts)}
    if not lists:
        return df
    first = {name: min(df.columns.get_loc(p.column) for p in parts) for name, parts in lists.items()}
    taken = {str(c) for c in df.columns}
    joined = {}
    for name, parts in lists.items():
        column = name if name not in taken else f"{name} (list)"
        joined[first[name]] = (column, pd.Series(_joined(df, parts), index=df.index, dtype=object))
    dropped = {p.column for parts in lists.values() for p in parts}
    columns = {}
    for i, c in enumerate(df.columns):
        if i in joined:
            column, values = joined[i]
            columns[column] = values
        if c not in dropped:
            columns[c] = df[c]
    shown = [joined[i][0] for i in sorted(joined)]
    if len(shown) == 1:
        parts = sorted(next(iter(lists.values())), key=lambda p: (p.index, p.key))
        warnings.append(f"Joined {len(dropped)} numbered columns ({parts[0].column} ... {parts[-1].column}) into "
                        f"one column, '{shown[0]}': a list per post, as the export's JSON download has it")
    else:
        names = ", ".join(f"'{c}'" for c in shown[:5]) + (f" and {len(shown) - 5} more" if len(shown) > 5 else "")
        warnings.append(f"Joined {len(dropped)} numbered columns into the {len(shown)} lists they were flattened "
                        f"from ({names}): a list per post in one column each, as the export's JSON download has it")
    return pd.DataFrame(columns, index=df.index)
