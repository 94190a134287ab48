"""Read an uploaded file (CSV in any dialect/encoding, XLSX, JSON, JSONL) into a raw table of strings.

Nothing here interprets columns; it only turns bytes into rows faithfully, counting every row it
could not read. Mapping onto the canonical schema happens in `lib.ingest.mapping` and `lib.ingest.build`.
"""
from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from lib.ingest.flat_lists import join_flat_lists
from lib.ingest.formats import norm as formats_norm
from lib.ingest.nested_comments import cell_text, lift_nested_comments


class InputError(ValueError):
    """Bad input: the message is one plain sentence meant for the user."""


@dataclass
class RawTable:
    """One file read into strings, with how it was read."""

    df: pd.DataFrame  # every cell a str or None; a `source_row` column (1-based data row)
    name: str
    kind: str  # csv | text (one post per line) | xlsx | xls | json | jsonl
    encoding: str | None = None
    delimiter: str | None = None
    header: bool = True
    warnings: list[str] = field(default_factory=list)
    bad_rows: list[dict] = field(default_factory=list)  # rows the parser could not read
    format_key: str | None = None  # the export, where the file's structure names it (`formats.FORMAT_BY_KEY`)


MAX_CELL_CHARS = 1_000_000
_DELIMS = [",", ";", "\t", "|"]
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"


def read_path(path: str | Path) -> RawTable:
    p = Path(path)
    if not p.exists():
        raise InputError(f"File not found: {p}")
    if p.is_dir():
        raise InputError(f"{p} is a folder, not a file")
    return read_bytes(p.read_bytes(), p.name)


def read_bytes(data: bytes, filename: str) -> RawTable:
    """Read a file's bytes; the file name's extension is a hint, the content decides."""
    try:
        return _read_bytes(data, filename)
    except RecursionError:  # JSON nested hundreds of levels deep (pandas' flattening copies it level by level)
        raise InputError(f"{filename} nests its data too deep to read (hundreds of levels inside each other): "
                         "export it with fewer levels") from None


def _read_bytes(data: bytes, filename: str) -> RawTable:
    if not data or not data.strip():
        raise InputError(f"{filename} is empty")
    ext = Path(filename).suffix.lower()
    if data.startswith(_ZIP_MAGIC):
        return _read_xlsx(data, filename)
    if data.startswith(_OLE_MAGIC):
        return _read_xlsx(data, filename, engine="xlrd")
    text, encoding = decode(data, filename)
    stripped = text.lstrip()
    archive = _X_ARCHIVE.match(stripped)
    if archive:  # X's (Twitter's) archive: tweets.js is one JSON list assigned to a JavaScript variable
        return _read_json(stripped[archive.end():], filename, encoding)
    # youtube-comment-downloader writes one object per line into a .json file: lines decide, not the name
    if ext in (".jsonl", ".ndjson") or _looks_like_jsonl(stripped):
        return _read_jsonl(text, filename, encoding)
    if ext == ".json" or stripped[:1] in ("[", "{"):
        return _read_json(text, filename, encoding)
    return _read_csv(text, filename, encoding)


def decode(data: bytes, filename: str = "file") -> tuple[str, str]:
    """Bytes to text: BOMs first, then strict UTF-8, UTF-16 without BOM, then charset detection."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), "utf-16"
    head = data[:4000]
    if len(head) >= 4 and head.count(0) > len(head) // 4:
        # UTF-16 without BOM: NULs sit on alternating bytes.
        even_nul = head[0::2].count(0)
        odd_nul = head[1::2].count(0)
        enc = "utf-16-le" if odd_nul > even_nul else "utf-16-be"
        text = data.decode(enc, errors="replace")
        if _is_texty(text):
            return text, enc
        raise InputError(f"{filename} is not a text table (it looks like binary data)")
    try:
        text = data.decode("utf-8")
        enc = "utf-8"
    except UnicodeDecodeError:
        from charset_normalizer import from_bytes

        best = from_bytes(data[:2_000_000]).best()
        if best is None:
            raise InputError(f"{filename} is not a text table (it looks like binary data)") from None
        enc = best.encoding
        text = data.decode(enc, errors="replace")
    if not _is_texty(text):
        raise InputError(f"{filename} is not a text table (it looks like binary data)")
    return text, enc


def _is_texty(text: str) -> bool:
    sample = text[:20000]
    if not sample:
        return False
    bad = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\t\r\n") or ch == "\ufffd")
    return bad / len(sample) < 0.02


def _looks_like_jsonl(stripped: str) -> bool:
    lines = [ln for ln in stripped.splitlines()[:5] if ln.strip()]
    if len(lines) < 2 or not lines[0].startswith("{"):
        return False
    try:
        return all(isinstance(json.loads(ln), dict) for ln in lines[:2])
    except ValueError:
        return False


def _sniff_delimiter(sample_lines: list[str]) -> str:
    sample = "\n".join(sample_lines)
    try:
        return csv.Sniffer().sniff(sample, delimiters="".join(_DELIMS)).delimiter
    except csv.Error:
        pass
    # Fall back to the delimiter whose count per line is the most consistent and non-zero.
    best, best_score = ",", -1.0
    for d in _DELIMS:
        counts = [ln.count(d) for ln in sample_lines if ln.strip()]
        if not counts or max(counts) == 0:
            continue
        mode = max(set(counts), key=counts.count)
        score = counts.count(mode) / len(counts) + (0.01 * mode if mode else 0)
        if mode and score > best_score:
            best, best_score = d, score
    return best


def _first_row_is_header(first: list[str]) -> bool:
    """A header row holds short, non-numeric labels; a data row usually has a number or long text."""
    cells = [c.strip() for c in first]
    if not any(cells):
        return False
    return not any(re.fullmatch(r"[-+]?\d+([.,]\d+)?", c) or len(c) > 80 for c in cells)


MAX_PREAMBLE = 20  # lines above the header a report-style export may have (title, date range, query)


def preamble_rows(rows: list[list[str]]) -> int:
    """How many rows above the header are a report's preamble ("All posts data for the period ...", "Query:",
    "From:", a blank line), as LinkedIn page and listening-tool exports have: leading rows that fill fewer than
    half the table's columns, when the table is at least three columns wide. 0 for an ordinary table."""
    filled = [sum(1 for c in r if str(c).strip()) for r in rows]
    lengths = [len(r) for r in rows if len(r) > 1]
    # the table's width: the most common number of fields (a row with unquoted commas in its text has more, and
    # taken as the width it made a two-column header look like a preamble line)
    width = min(max(filled, default=0), max(set(lengths), key=lengths.count)) if lengths else 0
    if width < 3:
        return 0
    k = 0
    while k < min(len(rows) - 1, MAX_PREAMBLE) and filled[k] < 0.5 * width:
        k += 1
    # the row under the preamble must read as a header: a file without one whose first posts leave most
    # columns empty keeps every row
    return k if k < len(rows) and filled[k] >= 0.5 * width and _first_row_is_header(list(rows[k])) else 0


def _preamble_note(rows: list[list[str]], k: int) -> str:
    first = next((str(c).strip() for r in rows[:k] for c in r if str(c).strip()), "")
    if k == 1 and first.lower().startswith("sep="):
        return "Skipped the \"sep=\" line Excel writes above the header"
    shown = f" (\"{first[:60]}{'...' if len(first) > 60 else ''}\")" if first else ""
    return f"Skipped {k} line(s) above the header{shown}: a report's title or settings, not posts"


_CELL_BREAK = "\ue000"  # a private-use character: a cell's own carriage return while the file is split into rows


def _line_ends(text: str) -> tuple[str, bool]:
    """The text with every line ending in \\n, and whether lone carriage returns were line breaks inside cells.
    A file written with \\r alone (classic Mac) ends its lines with it. In a file whose lines end in \\n, a lone \\r
    is a line break inside a cell: pandas' to_csv quotes a cell for \\n but not for \\r, so a tweet written on three
    lines ("Lumia 950XL\\r\\rWindows 10 Mobile") is left unquoted, and reading \\r as the end of a row split it into
    three rows, two of them fragments (a real re-saved care dump: 7 tweets cut, 7 fragments set aside as empty)."""
    text = text.replace("\r\n", "\n")
    lone = text.count("\r")
    if not lone or lone > text.count("\n") or _CELL_BREAK in text:
        return text.replace("\r", "\n"), False
    return text.replace("\r", _CELL_BREAK), True


def _cell_breaks(df: pd.DataFrame) -> pd.DataFrame:
    """The cells' own line breaks back, as \\n, where `_line_ends` stood them in for the reading."""
    return df.apply(lambda col: col.str.replace(_CELL_BREAK, "\n", regex=False) if col.dtype == object else col)


def _read_csv(text: str, filename: str, encoding: str) -> RawTable:
    text, in_cells = _line_ends(text)
    lines = text.split("\n", 60)[:50]
    delim = _sniff_delimiter(lines[:50])
    warnings: list[str] = []
    reader = csv.reader(io.StringIO("\n".join(lines)), delimiter=delim)
    head_rows, ends = [], []  # each row, and the physical line it ends on (quoted line breaks included)
    for row in reader:
        head_rows.append(row)
        ends.append(reader.line_num)
    if _lines_of_text(head_rows):
        return _read_lines(text.replace(_CELL_BREAK, "\n"), filename, encoding)
    skip = preamble_rows(head_rows)
    if skip:
        text = text.split("\n", ends[skip - 1])[-1]
        warnings.append(_preamble_note(head_rows, skip))
    rows = head_rows[skip:skip + 1]
    header = _first_row_is_header(rows[0]) if rows else True
    bad_rows: list[dict] = []
    csv.field_size_limit(max(MAX_CELL_CHARS * 64, 2**27))

    def on_bad(fields: list[str]) -> None:
        bad_rows.append({"fields": len(fields), "raw": delim.join(fields)[:2000]})
        return None

    common = dict(sep=delim, dtype=str, keep_default_na=False, na_values=[""],
                  header=0 if header else None, skip_blank_lines=True)
    try:
        df = pd.read_csv(io.StringIO(text), engine="c", on_bad_lines="error", **common)
    except (pd.errors.ParserError, ValueError, csv.Error):
        try:
            df = pd.read_csv(io.StringIO(text), engine="python", on_bad_lines=on_bad, **common)
        except (pd.errors.ParserError, ValueError, csv.Error) as exc:
            raise InputError(f"{filename} could not be read as a table: {str(exc).splitlines()[0]}") from None
    except pd.errors.EmptyDataError:
        raise InputError(f"{filename} has no rows") from None
    if not isinstance(df.index, pd.RangeIndex):
        # pandas takes a first data row with one field more than the header for an index column and shifts every
        # row: 'a,b,c' over '1,2,3,4' read a as 2, b as 3, c as 4 for the whole file, silently
        df, shifted = _rows_as_written(text, delim, header)
        for fields in shifted:
            on_bad(fields)
    df = _backslash_escaped(text, df, bad_rows, common, warnings)
    df = _unjoined(text, df, delim, common, warnings)
    if not header:
        df.columns = [f"column_{i + 1}" for i in range(df.shape[1])]
        warnings.append("The file has no header row: columns were named column_1, column_2, ...")
    if bad_rows:
        warnings.append(f"{len(bad_rows)} row(s) had the wrong number of fields and were set aside")
    if in_cells:
        df = _cell_breaks(df)
        for bad in bad_rows:
            bad["raw"] = bad["raw"].replace(_CELL_BREAK, "\n")
    return _finish(df, filename, "csv", warnings, bad_rows, encoding=encoding, delimiter=delim, header=header)


def _rows_as_written(text: str, delim: str, header: bool) -> tuple[pd.DataFrame, list[list[str]]]:
    """The table read row by row with the csv module: rows with the header's number of fields, and the others
    (set aside, as the table reader does with a later row of the wrong width)."""
    rows = [r for r in csv.reader(io.StringIO(text), delimiter=delim) if any(c.strip() for c in r)]
    if not rows:
        return pd.DataFrame(), []
    width = len(rows[0])
    names = rows[0] if header else [str(i) for i in range(width)]
    body = rows[1:] if header else rows
    # rows that end with a delimiter the header lacks ("1,2,3," under "a,b,c"): the empty last field is no value
    body = [r[:width] if len(r) == width + 1 and not r[-1].strip() else r for r in body]
    good = [r for r in body if len(r) == width]
    df = pd.DataFrame(good, columns=names, dtype=object).replace("", None) if good else \
        pd.DataFrame(columns=names, dtype=object)
    return df, [r for r in body if len(r) != width]


def _backslash_escaped(text: str, df: pd.DataFrame, bad_rows: list[dict], common: dict,
                       warnings: list[str]) -> pd.DataFrame:
    """The table read again with backslash as the escape of a quote, where the file writes quotes as \\" (as
    LinkedIn's own exports do: Comments.csv, messages.csv) and the usual reading set rows aside or joined lines.
    Read the usual way, "they say \\"less is more\\", right?" ended its cell at the escaped quote and split the
    rest on its comma. Kept when it reads every row (none set aside) and at least as many as the usual reading."""
    if '\\"' not in text:
        return df
    if not bad_rows and len(df) + _header_lines(common) >= _physical_lines(text):
        return df
    try:
        escaped = pd.read_csv(io.StringIO(text), engine="c", on_bad_lines="error", escapechar="\\", **common)
    except (pd.errors.ParserError, ValueError, csv.Error):
        return df
    if not isinstance(escaped.index, pd.RangeIndex) or len(escaped) < len(df) or escaped.shape[1] != df.shape[1]:
        return df
    if len(escaped) == len(df) and not bad_rows:  # the usual reading lost nothing: a backslash before a quote is
        return df  # then the writer's own (Reddit's markdown), and it said "1,892 rows instead of 1,892"
    warnings.append(f'Quotes written as \\" inside cells (as LinkedIn\'s exports write them) were read as quotes: '
                    f"{len(escaped):,} rows instead of {len(df):,}" + (f" and {len(bad_rows):,} set aside"
                                                                     if bad_rows else ""))
    bad_rows.clear()
    return escaped


_LABEL = re.compile(r"[^\W\d][\w .()/-]{0,39}")  # a column name: a word or a few, no @, #, ? or sentence


def _lines_of_text(rows: list[list[str]]) -> bool:
    """Is this plain text, one post per line, rather than a table? The first rows split by the delimiter found
    into one or two cells, but unevenly (the "delimiter" is a comma some posts happen to have), and the first
    row is no pair of column names. A one-column CSV splits evenly; a table of three or more columns is left to
    the table reader. Real TweetEval tweets, one per line, were read as a table headed "@user Wow", four
    tweets skipped as a report's title and 45 set aside, where every line is a post."""
    widths = [len(r) for r in rows if any(c.strip() for c in r)]
    if len(widths) < 5:
        return False
    modal = max(set(widths), key=widths.count)
    rest = widths[1:]
    names = len(rows[0]) >= 2 and len(rows[0]) == max(set(rest), key=rest.count) and \
        all(_LABEL.fullmatch(c.strip()) and len(c.split()) <= 4 for c in rows[0])
    return modal <= 2 and widths.count(modal) / len(widths) < 0.9 and not names


TEXT_HEADERS = ("comments", "posts", "tweets", "reviews", "messages", "mentions", "sentences")


def _read_lines(text: str, filename: str, encoding: str) -> RawTable:
    """Each non-blank line one post, in a column `text`, or named by the first line where that is a column
    name a text column has in exports ("text", "comment", "message", "tweets", ...)."""
    from lib.ingest.mapping import SYNONYMS

    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    first = formats_norm(lines[0]) if lines else ""
    header = bool(lines) and (first in SYNONYMS["text"] or first in TEXT_HEADERS)
    name = lines[0] if header else "text"
    df = pd.DataFrame({name: lines[1:] if header else lines}, dtype=object)
    warnings = ["Read as plain text, one post per line: no column separator splits its lines evenly"]
    return _finish(df, filename, "text", warnings, [], encoding=encoding, header=header)


_NUMBERISH = r"[-+]?\d+(?:[.,_:/-]\d+)*"  # a count, a score, a date or an id such as "11_10"


_TOKEN = re.compile(r"[\w@.\-]+")  # an id or a handle: one token, no spaces


def _physical_lines(text: str) -> int:
    return text.count("\n") + (not text.endswith("\n"))


def _header_lines(common: dict) -> int:
    """1 where the table reader's settings (`common`) take the first line for the header, else 0."""
    return 1 if common["header"] == 0 else 0


def _filled_lines(text: str) -> Iterator[str]:
    """The lines that are not blank, one at a time (a list of a large export's lines would be a second copy)."""
    return (m.group(0) for m in re.finditer(r"[^\n]*\S[^\n]*", text))


def _unjoined(text: str, df: pd.DataFrame, delim: str, common: dict, warnings: list[str]) -> pd.DataFrame:
    """The table again, one row per line, when quotes joined lines that are rows of their own. A cell that
    starts with a quote is read up to the closing quote, across line breaks: right for a post written over
    several lines, wrong for a post that merely begins with a stray quote. In the VADER paper's Amazon review
    sentences (tab-separated, a real file) one such sentence swallowed the next 162 lines, silently: 3,546
    "posts" read from 3,708 lines, one of them 6,516 characters long. Each line is read as its own row only when
    every line then has the table's number of fields and fits the columns that hold numbers or ids in every
    row read whole (a line that continues a post written over several lines does not); otherwise rows that look
    joined are counted in a warning."""
    header = _header_lines(common)
    if len(df) + header >= _physical_lines(text) or df.shape[1] == 0:
        return df  # a row per physical line already: nothing joined (the usual case, decided without a copy)
    rows = sum(1 for _ in _filled_lines(text)) - header
    if len(df) >= rows:
        return df
    width = df.shape[1]
    spans = df.apply(lambda c: c.astype(str).str.contains("\n", regex=False)).any(axis=1).to_numpy()
    whole = df[~spans].head(2000)  # enough rows to tell a column of numbers or ids
    typed = [c for c in df.columns if len(whole) and whole[c].notna().all()
             and whole[c].astype(str).str.strip().str.fullmatch(_NUMBERISH).all()]
    # a quote that never closes at all leaves no row read whole, and no row: nothing to lose by reading lines
    if (typed or df.empty) and all(ln.count(delim) == width - 1 for ln in _filled_lines(text)):
        flat = pd.read_csv(io.StringIO(text), engine="c", quoting=csv.QUOTE_NONE, **common)
        flat.columns = df.columns
        if len(flat) == rows and all(flat[c].astype(str).str.strip().str.fullmatch(_NUMBERISH).all() for c in typed):
            for col in flat.columns:
                cells = flat[col].dropna().astype(str)
                inner = cells.str.fullmatch(r'".*"', flags=re.DOTALL)
                flat.loc[inner[inner].index, col] = cells[inner].str[1:-1].str.replace('""', '"', regex=False)
            warnings.append(f"{rows - len(df):,} line(s) had been swallowed by a quote that opens a cell "
                            "and never closes (a stray \" at the start of a post): each line was read as its "
                            "own row, its quotes kept as written")
            return flat
    # what a row's fields must look like: numbers where every row read whole has numbers there, a single token
    # where every one has an id or a handle there (a video id: "nio et7 3,126 คัน" inside a Thai comment is no row)
    shapes = [(df.columns.get_loc(c), re.compile(_NUMBERISH)) for c in typed] + \
        [(df.columns.get_loc(c), _TOKEN) for c in df.columns if c not in typed and len(whole) >= 20  # (a few rows
         and whole[c].notna().all() and whole[c].astype(str).str.strip().str.fullmatch(_TOKEN).all()]  # prove none)

    def row_like(part: str) -> bool:  # a line of the table's width whose fields fit its columns of numbers or ids
        fields = part.split(delim)  # (a review's own line of three commas under "No,Date,Review,UserName" is not)
        return len(fields) == width and all(shape.fullmatch(fields[j].strip().strip('"')) for j, shape in shapes)

    joined = [i + 1 for i in np.flatnonzero(spans)
              if any(isinstance(cell, str) and "\n" in cell
                     and any(row_like(part) for part in cell.split("\n")[1:]) for cell in df.iloc[i])]
    if joined and width > 2:  # (with two columns a post's own comma on its second line looks the same)
        warnings.append(f"{len(joined):,} row(s) (the first is row {joined[0]:,}) hold line breaks followed by what "
                        "looks like further rows: a quote that opens a cell and never closes may have joined "
                        "rows; check them in the preview")
    return df


def _read_json(text: str, filename: str, encoding: str) -> RawTable:
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{filename} is not valid JSON ({exc.msg} at line {exc.lineno})") from None
    warnings: list[str] = []
    named = None
    records = _reddit_things(obj, warnings)
    if records is None and (records := _telegram_messages(obj, warnings)) is not None:
        named = "telegram"
    if records is None:
        records = _records_in(obj)
    if records is None:
        raise InputError(f"{filename} holds JSON but no list of posts (expected a list of objects)")
    table = _from_records(_with_x_users(obj, records), filename, "json", encoding)
    table.warnings[:0] = warnings
    table.format_key = named or _named_export(obj)
    return table


def _named_export(obj: object) -> str | None:
    """The export a JSON file's own structure names, where its posts' fields would not: Threads' data download
    reads like Instagram's (its posts were "Instagram"), and TikTok's keeps its comments under "Comment" with
    headers ("Date", "Comment") any file could have (they were platform "other")."""
    if not isinstance(obj, dict):
        return None
    if "text_post_app_text_posts" in obj:
        return "threads_download"
    if isinstance(obj.get("Comment"), dict) and isinstance(obj["Comment"].get("Comments"), dict) \
            and "CommentsList" in obj["Comment"]["Comments"]:
        return "tiktok_data_download"
    return None


_TELEGRAM_MEDIA = {"video_file": "video", "video_message": "video", "animation": "video", "voice_message": "audio",
                   "audio_file": "audio", "sticker": "sticker"}


def _telegram_messages(obj: object, warnings: list[str]) -> list[dict] | None:
    """Telegram Desktop's export (a chat's or a channel's result.json, {"name", "messages": [...]}, or the whole
    account's, {"chats": {"list": [...]}}): each message a post, its chat's name beside it, None for anything
    else. Read as a list of objects, a formatted message's text was JSON (["Our app is live: ", {"type": "link",
    "text": ...}]), "channel created" and "pinned a message" were posts (with the chat's title as their words) and
    the reactions were uncounted. Here a text is its parts' words, the reactions are added up, and service
    messages are left out, counted in the import's notes."""
    if not isinstance(obj, dict):
        return None
    chats_in = obj.get("chats")
    chats = chats_in.get("list") if isinstance(chats_in, dict) else [obj]
    if not isinstance(chats, list):
        return None
    chats = [c for c in chats if isinstance(c, dict) and isinstance(c.get("messages"), list)]
    messages = [m for c in chats for m in c["messages"][:50] if isinstance(m, dict)]
    if not messages or not any("text_entities" in m or "date_unixtime" in m for m in messages):
        return None
    out: list[dict] = []
    service = 0
    # an export that counts reactions leaves them out of a message that has none: zero, not unknown
    counted = any("reactions" in m for c in chats for m in c["messages"] if isinstance(m, dict))
    for chat in chats:
        for m in chat["messages"]:
            if not isinstance(m, dict):
                continue
            if m.get("type") != "message":
                service += 1
                continue
            parts = m.get("text")
            text = "".join(p if isinstance(p, str) else str(p.get("text", "")) if isinstance(p, dict) else ""
                           for p in parts) if isinstance(parts, list) else parts
            record = {k: v for k, v in m.items() if k not in ("text", "text_entities", "reactions", "type")}
            reactions = m.get("reactions", [])
            if counted and isinstance(reactions, list):
                record["reactions"] = sum(r.get("count") or 0 for r in reactions if isinstance(r, dict)
                                          and isinstance(r.get("count"), int))
            for key in ("id", "reply_to_message_id"):  # ids are per chat: the whole account's export has many
                if m.get(key) is not None:
                    record[key] = f"{chat.get('id')}/{m[key]}" if len(chats) > 1 else str(m[key])
            kind = "image" if "photo" in m else _TELEGRAM_MEDIA.get(str(m.get("media_type")), "text")
            out.append({**record, "text": text, "type": kind, "chat": chat.get("name")})
    if service:
        warnings.append(f"{service:,} service message{'s' if service != 1 else ''} (a chat created, a member "
                        "joined, a message pinned) left out: no posts")
    return out


def _is_listing(node: object) -> bool:
    return isinstance(node, dict) and node.get("kind") == "Listing" and isinstance(node.get("data"), dict)


def _reddit_things(obj: object, warnings: list[str]) -> list[dict] | None:
    """A Reddit page's JSON (a post's URL + ".json": a list of two Listings, the post and its comment tree), or one
    Listing: every post and comment, replies included, each once, in reading order; None for anything else. Read
    as a list of objects it was two rows whose "text" was the JSON of their children. Each comment keeps Reddit's
    own parent_id; the "load more comments" stubs hold no comment, and the import says how many they stand for."""
    listings = obj if isinstance(obj, list) else [obj]
    if not listings or not all(_is_listing(node) for node in listings):
        return None
    things: list[dict] = []
    more = 0

    def walk(listing: dict) -> None:
        nonlocal more
        for child in listing["data"].get("children") or []:
            if not isinstance(child, dict) or not isinstance(child.get("data"), dict):
                continue
            if child.get("kind") == "more":
                more += int(child["data"].get("count") or 0)
                continue
            data = child["data"]
            thing = {k: v for k, v in data.items() if k != "replies"}
            if child.get("kind") == "t1":  # a comment ("t3" is the post): its post type says so
                thing.setdefault("type", "comment")
            things.append(thing)
            if _is_listing(data.get("replies")):
                walk(data["replies"])

    for node in listings:
        if isinstance(node, dict):
            walk(node)
    if more:
        warnings.append(f"The file lists {more:,} more comments it does not hold (Reddit's \"load more "
                        "comments\"): fetch them to have every comment")
    return things


def _with_x_users(obj: object, records: list[dict]) -> list[dict]:
    """X's API v2 names a tweet's author by id only and lists the users apart ("includes": {"users": [...]}):
    each tweet gets its author's `author_username` and `author_name` from there."""
    includes = obj.get("includes") if isinstance(obj, dict) else None
    users = includes.get("users") if isinstance(includes, dict) else None
    if not isinstance(users, list):
        return records
    by_id = {str(u["id"]): u for u in users if isinstance(u, dict) and "id" in u}
    out = []
    for r in records:
        u = by_id.get(str(r.get("author_id")))
        out.append({**r, "author_username": u.get("username"), "author_name": u.get("name")}
                   if u and "author_username" not in r else r)
    return out


def _read_jsonl(text: str, filename: str, encoding: str) -> RawTable:
    records: list[dict] = []
    bad_rows: list[dict] = []
    for i, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except ValueError:
            bad_rows.append({"line": i, "raw": line[:2000]})
            continue
        if isinstance(rec, dict):
            records.append(rec)
        else:
            bad_rows.append({"line": i, "raw": line[:2000]})
    if not records:
        raise InputError(f"{filename} has no JSON objects, one per line")
    table = _from_records(records, filename, "jsonl", encoding)
    if bad_rows:
        table.bad_rows = bad_rows
        table.warnings.append(f"{len(bad_rows)} line(s) were not JSON objects and were set aside")
    return table


_LIST_KEYS = ("data", "posts", "items", "results", "comments", "tweets", "records", "rows", "children")


# "window.YTD.tweets.part0 = [" opens every data file of an X archive (tweets.js, like.js, ...)
_X_ARCHIVE = re.compile(r"window\.YTD\.[\w.]+\s*=\s*")


def _records_in(obj: object) -> list[dict] | None:
    if isinstance(obj, list):
        dicts = [r for r in obj if isinstance(r, dict)]
        return dicts if dicts else None
    if isinstance(obj, dict):
        for key in _LIST_KEYS:
            if key in obj:
                found = _records_in(obj[key])
                if found:
                    return found
        # Reddit listing: {"data": {"children": [{"data": {...}}]}}
        lists = [v for v in obj.values() if isinstance(v, list) and v and isinstance(v[0], dict)]
        if len(lists) == 1:
            return lists[0]
        return _deepest_posts(obj)
    return None


_WORDS_KEY = re.compile(r"comment|text|message|post|caption|content|body|title|tweet|review", re.IGNORECASE)


def _deepest_posts(obj: dict, depth: int = 4) -> list[dict] | None:
    """The list of objects, anywhere within `depth` levels of nested objects, that most looks like posts: one
    whose objects have a field of words, the longest such. An API response wraps its list ({"response": {"data":
    {"items": [...]}}}) and TikTok's data download keeps your comments at Comment.Comments.CommentsList beside
    lists of followers and logins: read as it was, the file "held no list of posts"."""
    found: list[list[dict]] = []

    def walk(node: object, left: int) -> None:
        if isinstance(node, dict) and left > 0:
            for v in node.values():
                if isinstance(v, list) and v and isinstance(v[0], dict):
                    found.append([r for r in v if isinstance(r, dict)])
                else:
                    walk(v, left - 1)

    walk(obj, depth)
    worded = [f for f in found if any(_WORDS_KEY.search(str(k)) for k in f[0])]
    return max(worded or found, key=len) if found else None


def _from_records(records: list[dict], filename: str, kind: str, encoding: str) -> RawTable:
    # Reddit wraps each thing as {"kind": "t3", "data": {...}}.
    if all(set(r) == {"kind", "data"} and isinstance(r["data"], dict) for r in records[:20]):
        records = [r["data"] for r in records if isinstance(r.get("data"), dict)]
    # X's archive wraps each as {"tweet": {...}}: one key, one object, in every record
    keys = {next(iter(r)) for r in records[:20] if len(r) == 1 and isinstance(next(iter(r.values())), dict)}
    if len(keys) == 1 and all(len(r) == 1 for r in records[:20]):
        key = keys.pop()
        records = [r[key] if len(r) == 1 and isinstance(r.get(key), dict) else r for r in records]
    records = _with_full_tweets([_lifted(r) for r in records])
    warnings: list[str] = []
    records = _with_youtube_replies(records, warnings)
    df = pd.json_normalize(records, max_level=3)
    df.columns = [_META_FIELD.sub(r"\1", str(c)) for c in df.columns]
    df = df.apply(lambda s: s.map(cell_text))
    return _finish(df, filename, kind, warnings, [], encoding=encoding)


def _with_full_tweets(records: list[dict]) -> list[dict]:
    """X's API v1.1 cuts a tweet over 140 characters in `text` ("... I am done with… https://t.co/x") and keeps it
    whole in `extended_tweet.full_text`: read from `text`, a long complaint lost its last words ("Never again.").
    Where a file has such tweets, each tweet gets `full_text` (the whole tweet: the extended one, or its `text`
    when it was never cut), the field v1.1's extended mode writes itself, and the text is read from it. A retweet's
    `text` is cut at 140 characters with its "RT @user: " in front: it is read whole from the retweeted tweet
    (its `extended_tweet.full_text`, or its `full_text`), after the same "RT @user: "."""
    def extended(r: dict) -> str | None:
        ext = r.get("extended_tweet")
        full = ext.get("full_text") if isinstance(ext, dict) else None
        return full if isinstance(full, str) else None

    def whole(r: dict) -> str | None:
        if full := extended(r):
            return full
        rt = r.get("retweeted_status")
        if not isinstance(rt, dict):
            return None
        inner = extended(rt) or (rt["full_text"] if isinstance(rt.get("full_text"), str) else None)
        by = rt.get("user")
        user = by.get("screen_name") if isinstance(by, dict) else None
        return f"RT @{user}: {inner}" if inner and isinstance(user, str) else None

    read = [whole(r) for r in records]
    if not any(read):
        return records
    return [r if "full_text" in r or not isinstance(r.get("text"), str)
            else {**r, "full_text": full or r["text"]} for r, full in zip(records, read)]


def _with_youtube_replies(records: list[dict], warnings: list[str]) -> list[dict]:
    """YouTube's commentThreads (the Data API, as export tools save it) nest each thread's replies under
    replies.comments: read as they were, only the threads' first comments were posts and every reply was lost in a
    cell. Each reply becomes a record shaped like a thread (its comment in snippet.topLevelComment, its parentId
    beside its words), right after its thread. The API lists at most five replies in a thread; the import says how
    many more the threads count than the file holds."""
    def reply_list(r: dict) -> list[dict]:
        replies = r.get("replies")
        found = replies.get("comments") if isinstance(replies, dict) else None
        return [c for c in found if isinstance(c, dict)] if isinstance(found, list) else []

    threads = [r for r in records[:20] if isinstance(r.get("snippet"), dict) and "topLevelComment" in r["snippet"]]
    if not threads or not any(reply_list(r) for r in records):
        return records
    out: list[dict] = []
    added = counted = 0
    for r in records:
        replies = reply_list(r)
        out.append({k: v for k, v in r.items() if k != "replies"} if replies else r)
        snippet: dict = r["snippet"] if isinstance(r.get("snippet"), dict) else {}
        total = snippet.get("totalReplyCount")
        counted += total if isinstance(total, int) else len(replies)
        for c in replies:
            video = (c.get("snippet") or {}).get("videoId", snippet.get("videoId"))
            out.append({"id": c.get("id"), "snippet": {"videoId": video, "topLevelComment": c}})
            added += 1
    warnings.append(f"{added:,} replies nested in their threads were read as comments of their own"
                    + (f"; the threads count {counted - added:,} more replies than the file holds (YouTube lists "
                       "at most five in a thread: fetch the rest with the API's comments list)"
                       if counted > added else ""))
    return out


# Meta's downloads name a field {"string_map_data": {"Comment": {"value": ...}, "Time": {"timestamp": ...}}}:
# its column is the field's own name ("Comment", "Time"), which the mapping knows
_META_FIELD = re.compile(r"^string_map_data\.(.+)\.(?:value|timestamp|href)$")
_NESTED_POST = ("media", "data")  # Meta's own data download: a post's words and time inside its first item


def _lifted(record: dict) -> dict:
    """A record with the plain fields of the first item of its "media" or "data" list added where it lacks them.
    Instagram's download (posts_1.json) keeps a one-photo post's caption and time in media[0], Facebook's
    (your_posts_1.json) the words in data[0].post: flattened as they were, the posts had no text and no date.
    Facebook's comments (comments.json) go one level deeper, data[0].comment.comment and .author: read as they
    were, each comment's text was its title ("John Doe commented on Acme's post.")."""
    out = record
    for key in _NESTED_POST:
        items = record.get(key)
        if isinstance(items, list) and items and isinstance(items[0], dict):
            inner = [v for v in items[0].values() if isinstance(v, dict)]
            for fields in [items[0]] + (inner if len(inner) == 1 else []):
                extra = {k: v for k, v in fields.items()
                         if k not in out and not isinstance(v, (list, dict)) and v not in (None, "")}
                if extra:
                    out = {**out, **extra}
    return out


def _read_xlsx(data: bytes, filename: str, engine: str = "openpyxl") -> RawTable:
    """A workbook: .xlsx (openpyxl) or the old binary .xls (xlrd; Facebook's Insights exports came as .xls). The
    sheet with the posts' text is read, with the columns of any other sheet that lists the same posts by id."""
    try:
        sheets = pd.read_excel(io.BytesIO(data), sheet_name=None, dtype=object, engine=engine)
    except Exception:  # openpyxl and xlrd raise many exception types for things that are not workbooks
        if engine == "xlrd":
            raise InputError(f"{filename} is an old binary Office file that could not be read as an Excel "
                             "workbook (a Word file, an encrypted or damaged workbook?): save it as .xlsx or "
                             ".csv") from None
        raise InputError(f"{filename} is a ZIP archive or a damaged workbook, not a readable Excel or CSV"
                         " file") from None
    non_empty = {k: v for k, v in sheets.items() if not v.dropna(how="all").empty}
    if not non_empty:
        raise InputError(f"{filename} has no data in any sheet")
    warnings: list[str] = []
    tables = {k: _sheet_table(v) for k, v in non_empty.items()}
    name = max(tables, key=lambda k: (_has_free_text(tables[k][0]), len(tables[k][0])))  # first on a tie
    df, skip, cells = tables[name]
    if skip:
        warnings.append(_preamble_note(cells, skip))
    df, joined = _join_sheets(name, {k: t[0] for k, t in tables.items()})
    if len(non_empty) > 1:
        first = next(iter(non_empty))
        others = ", ".join(f"'{k}'" for k in non_empty if k != name and k not in joined)
        only = "" if joined else "only "
        warnings.append(f"The workbook has {len(non_empty)} sheets with data; {only}'{name}' was read"
                        + ("" if name == first else " (the sheet with the posts' text)")
                        + "".join(f"; '{k}' joined to it by {how}" for k, how in joined.items())
                        + (f"; not read: {others}" if others else ""))
    df = df.apply(lambda s: s.map(_excel_cell))
    df.columns = [str(c) for c in df.columns]
    return _finish(df, filename, "xls" if engine == "xlrd" else "xlsx", warnings, [])


def _join_sheets(name: str, tables: dict[str, pd.DataFrame]) -> tuple[pd.DataFrame, dict[str, str]]:
    """Sheet `name` with the new columns of every other sheet that lists the same posts: a column of ids both have
    (Post ID, URL, ...), unique in each, matching at least half of this sheet's ids. Facebook's Insights post
    export keeps likes, comments and shares on its "Lifetime Post Stories by act..." sheet, beside "Key Metrics";
    they arrive as "Lifetime Post Stories by act - like" and so on. Returns the table and, per joined sheet, how."""
    from lib.ingest.mapping import SYNONYMS

    df = tables[name]
    ids = [c for c in df.columns if formats_norm(c) in SYNONYMS["post_id"] and _unique_keys(df[c])]
    joined: dict[str, str] = {}
    for other, table in tables.items():
        key = None if other == name else next((c for c in ids if c in table.columns and _unique_keys(table[c])),
                                              None)
        if key is None:
            continue
        mine, theirs = df[key].map(_excel_cell), table[key].map(_excel_cell)
        if mine.dropna().isin(set(theirs.dropna())).mean() < 0.5:
            continue
        prefix = re.sub(r"[.…\s]+$", "", str(other))
        new = [c for c in table.columns if c != key and c not in df.columns and f"{prefix} - {c}" not in df.columns
               and not str(c).startswith("Unnamed:")]
        if not new:
            continue
        extra = table.assign(_key=theirs).dropna(subset=["_key"]).set_index("_key")[new]
        extra = extra[extra.index.str.strip() != ""]
        df = df.assign(**{f"{prefix} - {c}": mine.map(extra[c]).to_numpy() for c in new})
        joined[other] = f"'{key}' ({len(new)} column{'s' if len(new) > 1 else ''})"
    return df, joined


def _unique_keys(col: pd.Series) -> bool:
    """A column of ids: every filled cell different, and at least two of them."""
    filled = col.dropna().map(_excel_cell)
    filled = filled[filled.str.strip().ne("")]
    return len(filled) >= 2 and filled.is_unique


def _sheet_table(df: pd.DataFrame) -> tuple[pd.DataFrame, int, list[list[str]]]:
    """A sheet as its table (the rows above a report's header dropped), the rows dropped, and the first rows'
    cells as text."""
    cells = [["" if str(v).startswith("Unnamed:") else _excel_cell(v) or "" for v in df.columns]]
    cells += [[_excel_cell(v) or "" for v in r] for r in df.head(MAX_PREAMBLE + 1).itertuples(index=False)]
    skip = preamble_rows(cells)
    if skip:  # the header is row `skip` of the sheet (row 0 is what pandas took for the header)
        header = [str(c) if c else f"column_{i + 1}" for i, c in enumerate(cells[skip])]
        df = df.iloc[skip:].set_axis(header, axis=1)
    return df, skip, cells


def _has_free_text(df: pd.DataFrame) -> bool:
    """Does a sheet have a column of sentences (posts, titles, comments)? TikTok Studio's workbook opens with an
    "Overview" of daily totals; its posts are on the "Content" sheet."""
    for col in df.columns:
        values = df[col].head(200).dropna()
        values = values[values.map(lambda v: isinstance(v, str))]
        if len(values) and values.str.contains(" ").mean() >= 0.5 and values.str.len().mean() >= 15:
            return True
    return False


def _excel_cell(v: object) -> str | None:
    if v is None or (isinstance(v, float) and pd.isna(v)) or v is pd.NaT:
        return None
    if isinstance(v, pd.Timestamp) or hasattr(v, "isoformat"):
        return v.isoformat()
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _finish(df: pd.DataFrame, filename: str, kind: str, warnings: list[str], bad_rows: list[dict],
            **how: object) -> RawTable:
    cols = []
    seen: dict[str, int] = {}
    renamed = 0
    for i, c in enumerate(df.columns):
        name = str(c).strip().lstrip("\ufeff")
        if not name or name.startswith("Unnamed:"):
            name = f"column_{i + 1}"
        base = re.sub(r"\.\d+$", "", name) if kind == "csv" else name
        if base in seen or name in seen:
            renamed += 1
        seen[name] = seen.get(name, 0) + 1
        cols.append(name)
    if renamed:
        warnings.append(f"{renamed} duplicate column name(s) were made unique (name.1, name.2, ...)")
    df.columns = _unique(cols)
    if "source_row" in df.columns:
        df = df.rename(columns={"source_row": "source_row_original"})
    df = df.astype(object).where(df.notna(), None)
    if kind in ("csv", "xlsx", "xls"):
        df = join_flat_lists(df, warnings)
    df = pd.concat([pd.DataFrame({"source_row": range(1, len(df) + 1)}, index=df.index), df], axis=1)
    if len(df) and _describes_columns(df.iloc[0].drop("source_row")):
        df = df.iloc[1:]  # source_row keeps counting the file's rows
        warnings.append("The first row under the header describes the columns (\"Lifetime: The number of "
                        "people who...\", as Facebook Insights exports have it), not a post: it was skipped")
    for at in (0, -1):
        if len(df) > 2 and _totals_row(df.drop(columns="source_row"), at):
            warnings.append(f"Row {df['source_row'].iloc[at]} is the export's totals (\"{df.iloc[at, 1]}\", as "
                            "YouTube Studio's table has it), not a post: it was skipped")
            df = df.drop(index=df.index[at])
    if df.drop(columns="source_row").empty and len(df) == 0:
        warnings.append("The file has a header but no data rows")
    df = lift_nested_comments(df, warnings)
    return RawTable(df=df.reset_index(drop=True), name=filename, kind=kind, warnings=warnings,
                    bad_rows=bad_rows, **how)  # type: ignore[arg-type]


# "Lifetime: The number of people who ..." : a period, a colon, and a sentence of four words or more
_DESCRIPTION = re.compile(r"^\s*(?:lifetime|daily|weekly|monthly|28 days|days 28)\s*:(?:\s+\S+){4,}", re.IGNORECASE)


def _describes_columns(row: pd.Series) -> bool:
    """Is this row a line of metric descriptions ("Lifetime: The number of people who had your Page's post enter
    their screen. (Unique Users)") rather than data? Facebook's Insights post exports put one under the header;
    read as a post it was an empty post and a "not a count" in every metric column."""
    cells = [str(v) for v in row if v is not None and str(v).strip()]
    described = sum(bool(_DESCRIPTION.match(c)) for c in cells)
    return described >= 3 and described >= 0.6 * len(cells)


_TOTALS = {"total", "totals", "grand total", "sum", "summe", "gesamt", "totale"}


def _totals_row(table: pd.DataFrame, at: int) -> bool:
    """Is row `at` (first or last) the export's totals, as YouTube Studio's "Table data" puts first: "Total" in
    the first column, the next one empty, and in at least two columns of numbers the largest value (read as a post
    it was the channel's most viewed video)? A post that says "Total" is kept."""
    row = table.iloc[at]
    first = row.iloc[0] if len(row) else None
    if not (isinstance(first, str) and first.strip().lower() in _TOTALS and len(row) > 2
            and (row.iloc[1] is None or not str(row.iloc[1]).strip())):
        return False
    others = table.drop(index=table.index[at])
    largest = 0
    for col in table.columns[2:]:
        value = pd.to_numeric(pd.Series([row[col]]), errors="coerce").iloc[0]
        rest = pd.to_numeric(others[col], errors="coerce")
        if pd.notna(value) and rest.notna().any() and value >= rest.max():
            largest += 1
    return largest >= 2


def _unique(names: list[str]) -> list[str]:
    out: list[str] = []
    used: set[str] = set()
    for n in names:
        cand, k = n, 1
        while cand in used:
            cand = f"{n}.{k}"
            k += 1
        used.add(cand)
        out.append(cand)
    return out
