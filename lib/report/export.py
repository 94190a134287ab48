"""Exports that are safe to open in a spreadsheet: no cell may start a formula."""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def defuse(value: object) -> object:
    """Prefix a text cell that a spreadsheet would run as a formula with an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _risky(values: Iterable[object]) -> bool:
    return any(isinstance(v, str) and v.startswith(FORMULA_START) for v in values)


def safe_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy whose text cells cannot execute; numbers and dates are left as they are. Only a column with a cell
    to defuse is mapped cell by cell: one without is read once, not rebuilt (a 10,000-column export spent 5 s
    here), and stays as it was, which is what mapping it gave too (a test pins the frames equal)."""
    out = df.copy()
    for c in out.columns:
        col = out[c]
        if (col.dtype == object or pd.api.types.is_string_dtype(col)) and _risky(col.to_numpy()):
            out[c] = col.map(defuse, na_action="ignore")
    out.columns = [defuse(str(c)) for c in out.columns]
    return out


LINE_END = "\r\n"  # CSV's own (RFC 4180): the writer then quotes a cell holding \r, which it leaves bare after \n,
# and a reader that ends a row at a bare \r (pandas does) split such a post in two when its run was opened again


def to_csv_bytes(df: pd.DataFrame) -> bytes:
    return safe_frame(df).to_csv(index=False, lineterminator=LINE_END).encode("utf-8-sig")


def write_csv(df: pd.DataFrame, path: str | Path, chunk: int = 50_000) -> None:
    """The same bytes as `to_csv_bytes`, written a slice of rows at a time: a million enriched posts
    would otherwise sit in memory three times over (defused copy, text, bytes)."""
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        for start in range(0, max(len(df), 1), chunk):
            safe_frame(df.iloc[start:start + chunk]).to_csv(fh, index=False, header=start == 0, lineterminator=LINE_END)


def _for_excel(df: pd.DataFrame) -> pd.DataFrame:
    """Excel has no time zones and no list cells: dates become naive UTC, lists become text."""
    out = safe_frame(df)
    for c in out.columns:
        if isinstance(out[c].dtype, pd.DatetimeTZDtype):
            out[c] = out[c].dt.tz_convert("UTC").dt.tz_localize(None)
        elif out[c].dtype == object:
            out[c] = out[c].map(lambda v: ", ".join(map(str, v)) if isinstance(v, (list, tuple)) else v)
    return out


def to_xlsx_bytes(df: pd.DataFrame, sheet: str = "posts") -> bytes:
    """An Excel workbook whose text cells are plain strings, never formulas (same defusing as the CSV)."""
    import io

    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as xl:
        _for_excel(df).to_excel(xl, index=False, sheet_name=sheet[:31])
    return buf.getvalue()


def to_parquet_bytes(df: pd.DataFrame) -> bytes:
    """Parquet for analysts: typed columns, text exactly as stored (no spreadsheet runs Parquet cells)."""
    import io

    buf = io.BytesIO()
    out = df.copy()
    for c in out.columns:  # mixed object columns (ids as numbers and text) become text, as pyarrow needs
        if out[c].dtype == object:
            out[c] = out[c].map(lambda v: v if v is None or isinstance(v, str) else str(v))
    out.to_parquet(buf, index=False)
    return buf.getvalue()
