"""Numbers and user text as report cells: every table a report shows is text by the time it leaves here."""
from __future__ import annotations

import numpy as np
import pandas as pd

POST_CHARS = 180  # post text in tables is cut to this (the full text is in the data export)


def counted(n: int, noun: str) -> str:
    """"1 post", "1,204 posts": a count with its noun, never "post(s)"."""
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def period(f: pd.DataFrame) -> str:
    """The span of the posts' dates, as a reader says it ('01 Aug 2026 to 29 Sep 2026')."""
    if "created_at" not in f or f["created_at"].isna().all():
        return "undated posts"
    ts = f["created_at"].dropna()
    return f"{ts.min():%d %b %Y} to {ts.max():%d %b %Y}"


WORD_CHARS = 40  # a longer run without a space ("wurkkkk…" of a real YouTube comment) ran out of its table cell


def cut(text: object, n: int = POST_CHARS) -> str:
    """One line of at most `n` characters (whitespace collapsed, '…' where cut, words of more than `WORD_CHARS`
    cut too, so a table cell can wrap; missing values are '')."""
    s = " ".join(w if len(w) <= WORD_CHARS else w[:WORD_CHARS - 1] + "…" for w in str(text).split()) \
        if text is not None and not (isinstance(text, float) and np.isnan(text)) else ""
    return s if len(s) <= n else s[: n - 1].rstrip() + "…"


def cut_clauses(text: object, n: int = POST_CHARS, sep: str = "; ") -> str:
    """Whole clauses of a `sep`-separated description while they fit in `n` characters, then '…': a persona's
    "… 100% of posts on X (vs 32% ov…" read as cut mid-word."""
    s = cut(text, 10**6)
    if len(s) <= n:
        return s
    kept: list[str] = []
    for part in s.split(sep):
        if len(sep.join([*kept, part, "…"])) > n:
            break
        kept.append(part)
    return sep.join([*kept, "…"]) if kept else cut(s, n)


def text_table(df: pd.DataFrame, formats: dict[str, str]) -> pd.DataFrame:
    """A table as text: numbers by `formats`, missing values as '–', everything else as str."""
    out = pd.DataFrame(index=df.index)
    for c in df.columns:
        fmt = formats.get(c)
        out[c] = [("–" if v is None or (isinstance(v, float) and np.isnan(v)) else
                   fmt.format(v) if fmt and isinstance(v, (int, float, np.number)) else cut(v))
                  for v in df[c].tolist()]
    return out.reset_index(drop=True)


def net_change(first: pd.Series, last: pd.Series) -> str:
    """How net sentiment (share positive − share negative) moved from the posts of the first third of the period
    (`first`: each post's +1 positive, -1 negative, 0 otherwise) to those of the last, as a sentence. "Rose" or
    "fell" only beyond chance (2 standard errors), as `share_change`. The report said "moved from -0.75 to -0.34"
    of 14,640 airline tweets whose negative share rose: its first rolling mean was the 4 posts of a partial day."""
    a, b = float(first.mean()), float(last.mean())
    se = float(np.sqrt(first.var(ddof=0) / len(first) + last.var(ddof=0) / len(last)))
    n = f"{len(first):,} and {len(last):,} posts"
    if f"{a:+.2f}" == f"{b:+.2f}":
        return f"Net sentiment (share positive − share negative) held at {b:+.2f} from the first third of the period " \
               f"to the last ({n})."
    if se == 0 or abs(b - a) < 2 * se:
        return (f"Net sentiment (share positive − share negative) was {a:+.2f} in the first third of the period and "
                f"{b:+.2f} in the last, a difference chance alone can make with {n}.")
    return (f"Net sentiment (share positive − share negative) {'rose' if b > a else 'fell'} from {a:+.2f} in the "
            f"first third of the period to {b:+.2f} in the last ({n}).")


def share_change(what: str, a: float, n_a: int, b: float, n_b: int) -> str:
    """How a share moved from the first third of the period (`a` of `n_a` posts) to the last (`b` of `n_b`), as a
    clause of a finding. "Rose" or "fell" only when the change is beyond chance (a two-proportion z-test at 2
    standard errors): on the real YouTube comments 17 % -> 18 % of about 600 posts each was reported as a rise.
    Within chance both figures are given and called so: "about the same" for 26 % and 34 % of 150 tweets each
    (Sentiment140) read as a contradiction."""
    ra, rb = f"{a:.0%}", f"{b:.0%}"
    if ra == rb:
        return f"; {what} held at {rb} from the first third of the period to the last"
    pooled = (a * n_a + b * n_b) / max(n_a + n_b, 1)
    se = float(np.sqrt(pooled * (1 - pooled) * (1 / max(n_a, 1) + 1 / max(n_b, 1))))
    if se == 0 or abs(b - a) < 2 * se:  # the two figures, not "about the same" for 26 % against 34 %
        return (f"; {what} was {ra} in the first third of the period and {rb} in the last, a difference chance "
                f"alone can make with {n_a:,} and {n_b:,} posts")
    return f"; {what} {'rose' if b > a else 'fell'} from {ra} in the first third of the period to {rb} in the last"
