"""Write a `lib.report.data.Report` as one self-contained HTML file or as a PDF.

HTML: every text passes through html.escape, charts are SVG images in data: URLs (an <img> never runs
script), the logo is a re-encoded PNG; no external file, font or script is referenced, so the file opens
anywhere, offline, and can be mailed as it is.
PDF: fpdf2 with the DejaVu Sans font shipped in lib/report/fonts (Bitstream Vera licence, see LICENSE-DejaVu.txt)
for accented and non-Latin European text, Arabic and Hebrew; Noto Sans CJK (package noto-cjk-sans-jp-regular) for
Japanese, Chinese and Korean, and from package manimgx-fonts Noto Sans for the scripts of India, South-East Asia,
Armenia, Georgia and Ethiopia and Noto Emoji for emoji (all SIL OFL 1.1), each embedded only in a report that uses
it; a character no font has prints as '?'. HarfBuzz (package uharfbuzz) shapes the text, so Arabic letters join,
Devanagari and Thai form their clusters, right-to-left text reads right to left and a flag is one flag; without
it the letters print one by one.
Text is written as plain cells: fpdf2's HTML and Markdown modes are never used for data.
"""
from __future__ import annotations

import base64
import html
import io
import unicodedata
from collections.abc import Iterator
from functools import cache, lru_cache
from pathlib import Path

import pandas as pd

from lib.report.data import Block, Branding, Report, ReportData

FONT_DIR = Path(__file__).resolve().parent / "fonts"
REGULAR = FONT_DIR / "DejaVuSans.ttf"  # the first font; the others are fallbacks for what it lacks

_CSS = """
body{font:15px/1.5 -apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;color:#1f2430;margin:0;background:#f4f5f8}
main{max-width:960px;margin:0 auto;background:#fff;padding:40px 56px 56px}
header{display:flex;gap:24px;align-items:center;border-bottom:3px solid #4b5bdc;padding-bottom:16px}
header img{max-height:72px;max-width:220px}
h1{font-size:28px;margin:0 0 4px}
h2{font-size:21px;margin:40px 0 8px;border-bottom:1px solid #e3e5ec;padding-bottom:4px}
.sub{color:#5b6172;margin:0}
nav{margin:16px 0;color:#5b6172;font-size:14px}
nav a{color:#4b5bdc;margin-right:14px;text-decoration:none}
table{border-collapse:collapse;width:100%;margin:10px 0 16px;font-size:13px}
th,td{border-bottom:1px solid #e3e5ec;padding:5px 8px;text-align:left;vertical-align:top;white-space:pre-wrap;\
overflow-wrap:break-word;word-break:normal}
th{background:#f0f1f6}
.metrics td:nth-child(2){font-weight:700;font-size:16px;white-space:nowrap}
.note{color:#5b6172;font-style:italic}
figure{margin:12px 0}
figure img{max-width:100%}
footer{margin-top:40px;color:#8a90a0;font-size:12px}
@media print{body{background:#fff}main{padding:0}h2{break-after:avoid}figure,table{break-inside:avoid}}
"""


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _html_table(df, cls: str = "") -> str:  # type: ignore[no-untyped-def]
    head = "".join(f"<th>{_e(c)}</th>" for c in df.columns)
    body = "".join("<tr>" + "".join(f"<td>{_e(v)}</td>" for v in row) + "</tr>" for row in df.itertuples(index=False))
    return f'<table class="{cls}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _html_block(b: Block, title: str) -> str:
    if b.kind == "text":
        return f"<p>{_e(b.text)}</p>"
    if b.kind == "note":
        return f'<p class="note">{_e(b.text)}</p>'
    if b.kind == "metrics":
        rows = "".join(f"<tr><td>{_e(k)}</td><td>{_e(v)}</td><td>{_e(d)}</td></tr>" for k, v, d in b.rows)
        return f'<table class="metrics"><tbody>{rows}</tbody></table>'
    if b.kind == "bullets":
        lead = f"<p><strong>{_e(b.text)}</strong></p>" if b.text else ""
        return lead + "<ul>" + "".join(f"<li>{_e(i)}</li>" for i in b.items) + "</ul>"
    if b.kind == "table":
        return _html_table(b.table)
    if b.kind == "chart":
        data = base64.b64encode(b.svg().encode("utf-8")).decode("ascii")
        return f'<figure><img alt="{_e(title)} chart" src="data:image/svg+xml;base64,{data}"></figure>'
    raise ValueError(f"unknown block kind {b.kind!r}")


def to_html(report: Report) -> str:
    """The report as one HTML document (UTF-8 text)."""
    logo = (f'<img alt="logo" src="data:image/png;base64,{base64.b64encode(report.logo_png).decode("ascii")}">'
            if report.logo_png else "")
    sub = " · ".join(_e(x) for x in (f"for {report.client}" if report.client else "",
                                     f"prepared by {report.prepared_by}" if report.prepared_by else "") if x)
    nav = "".join(f'<a href="#{s.key}">{_e(s.title)}</a>' for s in report.sections)
    parts = [f'<section id="{s.key}"><h2>{_e(s.title)}</h2>' + "".join(_html_block(b, s.title) for b in s.blocks)
             + "</section>" for s in report.sections]
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<title>{_e(report.title)}</title><style>{_CSS}</style></head><body><main>'
            f'<header>{logo}<div><h1>{_e(report.title)}</h1>'
            + (f'<p class="sub">{sub}</p>' if sub else "")
            + f'<p class="sub">Dataset: {_e(report.dataset)} · {_e(report.period)}</p></div></header>'
            f'<nav>{nav}</nav>' + "".join(parts)
            + f'<footer>Made with Listening Lab on {_e(report.generated)}. Computed offline on the analyst\'s '
              f'machine.</footer></main></body></html>')


def cjk_font() -> Path | None:
    """Noto Sans CJK JP's file (package noto-cjk-sans-jp-regular): Japanese, Chinese and Korean letters, which
    DejaVu lacks; None when the package is not installed (those letters then print as "?", and the PDF says so)."""
    try:
        from noto_cjk_sans_jp_regular import FONT_PATH
    except ImportError:
        return None
    path = Path(str(FONT_PATH))
    return path if path.is_file() else None


def emoji_font() -> Path | None:
    """Noto Emoji's file (monochrome; package manimgx-fonts), or None when it is not installed."""
    try:
        import manimgx_fonts
    except ImportError:
        return None
    path = Path(manimgx_fonts.__file__).parent / "NotoEmoji[wght].ttf"
    return path if path.is_file() else None


# Noto Sans fonts in manimgx-fonts for scripts DejaVu lacks: India's, South-East Asia's, Sinhala, Ethiopic, and
# Armenian and Georgian (DejaVu has these two, the Noto files stand in for letters it misses).
SCRIPT_FONTS = ("Devanagari", "Bengali", "Gurmukhi", "Gujarati", "Oriya", "Tamil", "Telugu", "Kannada", "Malayalam",
                "Sinhala", "Thai", "Lao", "Khmer", "Myanmar", "Armenian", "Georgian", "Ethiopic")


def script_fonts() -> list[tuple[str, Path]]:
    """(name, file) of every installed Noto Sans script font of `SCRIPT_FONTS`."""
    try:
        import manimgx_fonts
    except ImportError:
        return []
    folder = Path(manimgx_fonts.__file__).parent
    return [(f"NotoSans{s}", folder / f"NotoSans{s}[wght].ttf") for s in SCRIPT_FONTS
            if (folder / f"NotoSans{s}[wght].ttf").is_file()]


@cache
def shaping() -> bool:
    """Whether HarfBuzz can shape the PDF's text (package uharfbuzz)."""
    import importlib.util

    return importlib.util.find_spec("uharfbuzz") is not None


def _fallbacks() -> list[tuple[str, Path]]:
    """The fonts after DejaVu, in the order fpdf2 tries them, where installed."""
    return [(name, path) for name, path in (("NotoSansCJK", cjk_font()), *script_fonts(), ("NotoEmoji", emoji_font()))
            if path is not None]


@lru_cache(maxsize=4)
def _cmap(path: Path) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    with TTFont(path, lazy=True) as font:
        return frozenset(font.getBestCmap())


def _glyphs() -> frozenset[int]:
    """Every character the PDF can draw: DejaVu's and the installed fallback fonts'."""
    return _union((REGULAR, *(path for _, path in _fallbacks())))


@lru_cache(maxsize=4)
def _union(paths: tuple[Path, ...]) -> frozenset[int]:  # once per set of fonts, not once per cell printed
    return frozenset().union(*(_cmap(p) for p in paths))


def _needed_fallbacks(report: Report) -> list[tuple[str, Path]]:
    """The fallback fonts that draw some character of the report the fonts before them lack: only those are
    embedded (a report in Latin letters does not carry a CJK font)."""
    used = {ord(ch) for text in _texts(report) for ch in _drawable(str(text))}
    have, out = _cmap(REGULAR), []
    for name, path in _fallbacks():
        if (used - have) & _cmap(path):
            out.append((name, path))
        have = have | _cmap(path)
    return out


# Joiners, variation selectors and skin-tone modifiers shape an emoji sequence; without a shaping engine each
# would print as a box of its own, so they are left out (the emoji itself is drawn). With HarfBuzz the joiners
# stay (Devanagari, Malayalam and Sinhala need them to form a cluster); Noto Emoji has no skin tones.
_SHAPING = dict.fromkeys([0x200D, 0xFE0E, 0xFE0F, *range(0x1F3FB, 0x1F400)])
_SKIN_TONES = dict.fromkeys(range(0x1F3FB, 0x1F400))


def _drawable(text: str) -> str:
    return text.translate(_SKIN_TONES if shaping() else _SHAPING)


def _pdf_text(text: object) -> str:
    have = _glyphs()
    return "".join(ch if ord(ch) in have or ch in "\n\t" else "?" for ch in _drawable(str(text)))


# Scripts the PDF's font lacks, by the script word of their characters' Unicode names, as readers know them.
_SCRIPTS = {"CJK": "Chinese or Japanese characters", "HIRAGANA": "Japanese kana", "KATAKANA": "Japanese kana",
            "KATAKANA-HIRAGANA": "Japanese kana", "HANGUL": "Korean Hangul"}
_WIDTHS = ("HALFWIDTH", "FULLWIDTH")  # "HALFWIDTH KATAKANA LETTER A": the script is the second word


def _script(ch: str) -> str:
    words = unicodedata.name(ch, "OTHER").split()
    word = words[1] if words[0] in _WIDTHS and len(words) > 1 else words[0]
    return _SCRIPTS.get(word, f"{word.title()} characters")


def _texts(report: Report) -> Iterator[str]:
    """Every text the PDF prints (charts are images: their text is drawn by the chart renderer)."""
    yield from (report.title, report.client, report.prepared_by, report.dataset, report.period)
    for s in report.sections:
        yield s.title
        for b in s.blocks:
            yield b.text
            yield from b.items
            yield from (cell for row in b.rows for cell in row)
            if b.table is not None:
                yield from map(str, b.table.columns)
                yield from map(str, b.table.to_numpy().ravel())


def unshown_note(report: Report) -> str:
    """A line for the PDF's first page when some of the report's words have letters its font cannot draw (they
    print as "?"): which scripts, and that the HTML report shows them; "" when every letter is drawn (a missing
    emoji alone is no reason to send the reader elsewhere)."""
    have = _glyphs()
    missing = {ch for text in _texts(report) for ch in text
               if ord(ch) not in have and unicodedata.category(ch).startswith("L")}
    if not missing:
        return ""
    from lib.listening.language import and_list

    named = and_list(sorted({_script(ch) for ch in missing}))
    return (f"Some text here uses {named}, which this PDF's font cannot draw: they show as \"?\". The HTML report "
            "shows them as written.")


def to_pdf(report: Report) -> bytes:
    """The report as an A4 PDF."""
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    class Doc(FPDF):
        def footer(self) -> None:
            self.set_y(-12)
            self.set_font("DejaVu", size=8)
            self.set_text_color(130, 136, 150)
            self.cell(0, 8, _pdf_text(f"{report.title} · page {self.page_no()}"), align="C")

    pdf = Doc(format="A4")
    pdf.set_auto_page_break(True, margin=16)
    pdf.set_margins(16, 16, 16)
    pdf.add_font("DejaVu", "", str(REGULAR))
    pdf.add_font("DejaVu", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    fallbacks = _needed_fallbacks(report)
    for name, path in fallbacks:
        pdf.add_font(name, "", str(path))
    if fallbacks:  # bold text falls back to their regular weight
        pdf.set_fallback_fonts([name for name, _ in fallbacks], exact_match=False)
    if shaping():
        pdf.set_text_shaping(True)
    pdf.set_title(_pdf_text(report.title))
    pdf.set_creator("Listening Lab")
    pdf.add_page()
    if report.logo_png:
        pdf.image(io.BytesIO(report.logo_png), x=pdf.l_margin, h=18, keep_aspect_ratio=True)
        pdf.ln(2)
    pdf.set_font("DejaVu", "B", 18)
    pdf.multi_cell(0, 9, _pdf_text(report.title), new_x="LMARGIN", new_y="NEXT", align="L")
    pdf.set_font("DejaVu", size=10)
    pdf.set_text_color(90, 96, 114)
    for line in (f"for {report.client}" if report.client else "",
                 f"prepared by {report.prepared_by}" if report.prepared_by else "",
                 f"Dataset: {report.dataset} · {report.period}", f"Generated {report.generated}",
                 unshown_note(report)):
        if line:
            pdf.multi_cell(0, 5.5, _pdf_text(line), new_x="LMARGIN", new_y="NEXT", align="L")
    pdf.set_text_color(31, 36, 48)
    head = FontFace(emphasis="BOLD", fill_color=(240, 241, 246))
    for s in report.sections:
        if pdf.get_y() > pdf.h - 60:
            pdf.add_page()
        pdf.ln(6)
        pdf.set_font("DejaVu", "B", 14)
        pdf.multi_cell(0, 8, _pdf_text(s.title), new_x="LMARGIN", new_y="NEXT", align="L")
        pdf.set_draw_color(75, 91, 220)
        pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
        pdf.set_draw_color(210, 213, 222)
        pdf.ln(2)
        for b in s.blocks:
            _pdf_block(pdf, b, head)
    return bytes(pdf.output())


def _pdf_block(pdf, b: Block, head) -> None:  # type: ignore[no-untyped-def]
    pdf.set_font("DejaVu", size=9.5)
    if b.kind in ("text", "note"):
        pdf.multi_cell(0, 5, _pdf_text(b.text), new_x="LMARGIN", new_y="NEXT", align="L")
        pdf.ln(1.5)
    elif b.kind == "bullets":
        if b.text:
            pdf.set_font("DejaVu", "B", 9.5)
            pdf.multi_cell(0, 5, _pdf_text(b.text), new_x="LMARGIN", new_y="NEXT", align="L")
            pdf.set_font("DejaVu", size=9.5)
        for item in b.items:
            pdf.set_x(pdf.l_margin + 2)
            pdf.cell(4, 5, "•")
            pdf.multi_cell(0, 5, _pdf_text(item), new_x="LMARGIN", new_y="NEXT", align="L")
        pdf.ln(1.5)
    elif b.kind == "metrics":
        with pdf.table(col_widths=(28, 16, 56), text_align="LEFT", line_height=5, first_row_as_headings=False,
                       borders_layout="HORIZONTAL_LINES") as table:
            for k, v, d in b.rows:
                row = table.row()
                row.cell(_pdf_text(k))
                row.cell(_pdf_text(v))
                row.cell(_pdf_text(d))
        pdf.ln(2)
    elif b.kind == "table" and b.table is not None:
        _pdf_table(pdf, b.table, head)
    elif b.kind == "chart":
        _pdf_chart(pdf, b.png())


def _col_widths(pdf, df: pd.DataFrame, whole: bool) -> list[float] | None:  # type: ignore[no-untyped-def]
    """Column widths in mm at the current font: each at least its longest word (and its whole header, in bold,
    when `whole`) so nothing is broken mid-word, the page's spare width shared by how much longer each column's
    text runs (capped: long text wraps at spaces). None when the longest words alone do not fit the page."""
    pad = 2.5  # the cell's own padding either side, and a hair
    cells = [[str(c)] + [str(v) for v in df[c].head(40)] for c in df.columns]
    style = pdf.font_style
    pdf.set_font(style="B")
    head = [max(pdf.get_string_width(_pdf_text(w)) for w in ([str(c)] if whole else str(c).split() or [""]))
            for c in df.columns]
    pdf.set_font(style=style)
    least = [max([h] + [pdf.get_string_width(_pdf_text(w)) for v in col[1:] for w in v.split()]) + pad
             for h, col in zip(head, cells, strict=True)]
    if sum(least) > pdf.epw:
        return None
    full = [max(pdf.get_string_width(_pdf_text(v)) for v in col) + pad for col in cells]
    want = [max(lo, min(70.0, w)) for lo, w in zip(least, full, strict=True)]
    spare, extra = pdf.epw - sum(least), [w - lo for w, lo in zip(want, least, strict=True)]
    grow = min(1.0, spare / sum(extra)) if sum(extra) else 0.0
    widths = [lo + e * grow for lo, e in zip(least, extra, strict=True)]
    if any(w > 70.0 for w in full):  # some text wraps anyway: the whole page width, fewer lines
        widths = [w * pdf.epw / sum(widths) for w in widths]
    return widths


def _pdf_table(pdf, df: pd.DataFrame, head) -> None:  # type: ignore[no-untyped-def]
    widths, size = None, 8.0
    # headers on one line if a slightly smaller font allows, else wrapped at spaces; then smaller fonts before
    # any word is broken (only a word wider than the page is)
    for whole, sizes in ((True, (8.0, 7.5, 7.0)), (False, (8.0, 7.5, 7.0, 6.5, 6.0, 5.5))):
        for size in sizes:
            pdf.set_font("DejaVu", size=size)
            widths = _col_widths(pdf, df, whole)
            if widths:
                break
        if widths:
            break
    # widths scaled to the page can sum to a hair over it in floating point, which fpdf2 refuses
    with pdf.table(col_widths=widths or [1] * len(df.columns), width=min(sum(widths), pdf.epw) if widths else None,
                   text_align="LEFT", line_height=size * 0.53, headings_style=head,
                   borders_layout="HORIZONTAL_LINES", align="LEFT") as table:
        row = table.row()
        for c in df.columns:
            row.cell(_pdf_text(c))
        for values in df.itertuples(index=False):
            row = table.row()
            for v in values:
                row.cell(_pdf_text(v))
    pdf.ln(2)


def _pdf_chart(pdf, png: bytes) -> None:  # type: ignore[no-untyped-def]
    from PIL import Image

    with Image.open(io.BytesIO(png)) as im:
        w_px, h_px = im.size
    w = min(pdf.epw, w_px / 2 * 0.2646)  # rendered at scale 2; 0.2646 mm per CSS pixel
    h = w * h_px / w_px
    if h > pdf.h - 40:
        h = pdf.h - 40
        w = h * w_px / h_px
    if pdf.get_y() + h > pdf.h - pdf.b_margin:
        pdf.add_page()
    pdf.image(io.BytesIO(png), x=pdf.l_margin, w=w, h=h)
    pdf.ln(3)


def write_report(data: ReportData, wanted: list[str] | None, branding: Branding, folder: Path) -> dict:
    """`folder`/report.html and report.pdf of `data`'s report (the `wanted` sections, None: all), for the command
    line's report step on either engine; what was written, the sections, and those left out with the reason."""
    from lib.report.build import build
    from lib.report.data import available

    skipped = {k: why for k, why in available(data).items() if why and (wanted is None or k in wanted)}
    report = build(data, wanted, branding)
    (folder / "report.html").write_text(to_html(report), encoding="utf-8")
    (folder / "report.pdf").write_bytes(to_pdf(report))
    return {"html": str(folder / "report.html"), "pdf": str(folder / "report.pdf"),
            "sections": [s.key for s in report.sections], "left_out": skipped}
