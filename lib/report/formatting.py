"""Numbers and user text as report cells: every table a report shows is text by the time it leaves here."""
from __future__ import annotations

import numpy as np
import pandas as pd

POST_CHARS = 180  # post text in tables is cut to this (the full text is in the data export)


def period(f: pd.DataFrame) -> str:
    """The span of the posts' dates, as a reader says it ('01 Aug 2026 to 29 Sep 2026')."""
    if "created_at" not in f or f["created_at"].isna().all():
        return "undated posts"
    ts = f["created_at"].dropna()
    return f"{ts.min():%d %b %Y} to {ts.max():%d %b %Y}"


def cut(text: object, n: int = POST_CHARS) -> str:
    """One line of at most `n` characters (whitespace collapsed, '…' where cut; missing values are '')."""
    s = " ".join(str(text).split()) if text is not None and not (isinstance(text, float) and np.isnan(text)) else ""
    return s if len(s) <= n else s[: n - 1].rstrip() + "…"


def text_table(df: pd.DataFrame, formats: dict[str, str]) -> pd.DataFrame:
    """A table as text: numbers by `formats`, missing values as '–', everything else as str."""
    out = pd.DataFrame(index=df.index)
    for c in df.columns:
        fmt = formats.get(c)
        out[c] = [("–" if v is None or (isinstance(v, float) and np.isnan(v)) else
                   fmt.format(v) if fmt and isinstance(v, (int, float, np.number)) else cut(v))
                  for v in df[c].tolist()]
    return out.reset_index(drop=True)
