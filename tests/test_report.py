"""The client report (lib.report.build, lib.report.render) and `--steps report`: every section from the data, hostile
text inert in HTML and PDF, exports safe in a spreadsheet, the PDF renders to a real page."""
import io
import json
import re

import pandas as pd
import pytest

from lib.ingest.build import ImportOptions, build_posts, source_from_bytes
from lib.listening.enrich import enrich
from lib.report.build import build
from lib.report.data import SECTIONS, Branding, ReportData, available, clean_logo
from lib.report.export import to_csv_bytes, to_xlsx_bytes
from lib.report.render import to_html, to_pdf
from tests.conftest import ROOT

FORMULA = '=HYPERLINK("http://x","y")'
SCRIPT = "<script>alert(1)</script>"


@pytest.fixture(scope="module")
def gamerfuel():
    from lib.ingest.build import open_sources

    result = build_posts(open_sources([ROOT / "sample_data" / "gamerfuel.csv"]), ImportOptions())
    frame = enrich(result.posts).frame
    # two hostile posts, made the most liked so they lead the vanity table and must appear in the report
    top = frame["likes"].nlargest(2).index
    frame.loc[top[0], "text"] = FORMULA
    frame.loc[top[1], "text"] = SCRIPT + " **bold** [link](http://evil)"
    frame.loc[top, "likes"] = frame["likes"].max() * 10
    frame.loc[top[0], "author"] = "@" + SCRIPT
    return frame, result.report


def _pdf_text(pdf: bytes) -> str:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    try:
        return "\n".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    finally:
        doc.close()


def test_report_has_every_available_section_with_numbers_from_the_data(gamerfuel):
    frame, meta = gamerfuel
    data = ReportData("GamerFuel", frame, meta=meta)
    ok = available(data)
    assert ok["topics"] and ok["audience"]  # not computed: each says why
    assert not any(ok[k] for k in ("headline", "sentiment", "value", "forecast", "methods"))
    report = build(data)
    assert [s.key for s in report.sections] == ["headline", "sentiment", "value", "forecast", "methods"]
    metrics = dict((k, v) for k, v, _ in report.sections[0].blocks[0].rows)
    assert metrics["Posts"] == f"{len(frame):,}"
    share = frame["sentiment_label"].value_counts(normalize=True)
    assert metrics["Net sentiment"] == f"{share['positive'] - share['negative']:+.2f}"
    # the planted crisis is the report's alert, with its drivers and amplifiers
    [alerts] = [b.table for b in report.sections[1].blocks if b.kind == "table"]
    assert len(alerts) >= 1 and alerts["start"].iloc[0].startswith("2026-09")
    assert "aftertaste" in alerts["terms"].iloc[0] and "TV" in alerts["amplifiers"].iloc[0]
    assert report.period.startswith("01 Aug 2026")


def test_hostile_text_is_inert_in_html_and_pdf(gamerfuel):
    frame, meta = gamerfuel
    report = build(ReportData("Brand <img src=x onerror=alert(1)>", frame, meta=meta),
                   branding=Branding(title="Q3 <script>x()</script>", client="Acme & Co", prepared_by="**me**"))
    html = to_html(report)
    body = re.sub(r'src="data:image/[^"]+"', "", html)  # the charts (escaped SVG inside data: URLs)
    assert "<script" not in body.lower() and "onerror=alert" not in body.replace("onerror=alert(1)&gt;", "")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body  # the post is there, as text
    assert "=HYPERLINK(&quot;http://x&quot;,&quot;y&quot;)" in body
    assert "Q3 &lt;script&gt;x()&lt;/script&gt;" in body and "Acme &amp; Co" in body and "**me**" in body
    assert not re.search(r"<(link|iframe|object|embed)\b", body) and "http://" not in body.replace(
        "http://x", "").replace("http://evil", "").replace("http://www.w3.org", "")
    text = _pdf_text(to_pdf(report))
    assert SCRIPT in text and "=HYPERLINK" in text  # printed literally, never interpreted
    assert "Q3 <script>x()</script>" in text


def test_pdf_renders_pages_with_charts(gamerfuel, tmp_path):
    import pypdfium2 as pdfium

    frame, meta = gamerfuel
    pdf = to_pdf(build(ReportData("GamerFuel", frame, meta=meta), ["headline", "sentiment"]))
    doc = pdfium.PdfDocument(pdf)
    assert len(doc) >= 2
    page = doc[1].render(scale=1).to_pil().convert("L")
    doc.close()
    # a page with a chart has large non-white areas (bars), not only black text on white
    hist = page.histogram()
    grey = sum(hist[60:230]) / sum(hist)
    assert grey > 0.03, grey
    page.save(tmp_path / "page2.png")


def test_sections_can_be_chosen_and_order_is_fixed(gamerfuel):
    frame, meta = gamerfuel
    report = build(ReportData("x", frame, meta=meta), ["methods", "headline", "topics"])
    assert [s.key for s in report.sections] == ["headline", "methods"]  # topics: not computed, left out
    html = to_html(report)
    assert 'id="sentiment"' not in html and html.count("<h2>") == 2


def test_logo_is_reencoded_and_non_images_refused():
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (1200, 300), "red").save(buf, format="JPEG")
    png = clean_logo(buf.getvalue())
    assert png.startswith(b"\x89PNG")
    with Image.open(io.BytesIO(png)) as im:
        assert max(im.size) <= 600
    with pytest.raises(ValueError):
        clean_logo(b"<svg onload=alert(1)></svg>")
    with pytest.raises(ValueError):
        clean_logo(b"GIF89a-not-really")


def test_methods_section_states_privacy_choices():
    data = pd.DataFrame({"text": ["great snack", "awful bag"] * 30, "author": ["a", "b"] * 30,
                         "date": pd.date_range("2024-01-01", periods=60, freq="D").astype(str)})
    result = build_posts([source_from_bytes(data.to_csv(index=False).encode(), "p.csv")],
                         ImportOptions(mask_pii=frozenset({"emails"}), pseudonymise=True, salt="s"))
    frame = enrich(result.posts).frame
    report = build(ReportData("p", frame, meta=result.report), ["methods"])
    items = " ".join(i for b in report.sections[0].blocks for i in b.items)
    assert "masked in the text (emails)" in items and "pseudonyms" in items and "p.csv" in items


def test_exports_defuse_formulas_in_csv_and_xlsx(gamerfuel):
    from openpyxl import load_workbook

    frame, _ = gamerfuel
    view = frame[frame["text"].isin([FORMULA]) | frame["text"].str.startswith("<script>")]
    csv = to_csv_bytes(view).decode("utf-8-sig")
    assert "'=HYPERLINK" in csv and "\n=HYPERLINK" not in csv and ",=HYPERLINK" not in csv
    assert "'@<script>" in csv  # an author cell starting with @ is defused too
    wb = load_workbook(io.BytesIO(to_xlsx_bytes(view)))
    cells = [c.value for row in wb.active.iter_rows() for c in row]
    assert "'" + FORMULA in cells and FORMULA not in cells
    assert all(not (isinstance(v, str) and v.startswith(("=", "+", "-", "@"))) for v in cells)
    assert any(isinstance(v, str) and v.startswith(SCRIPT) for v in cells)  # the script text kept, as text


def test_csv_files_are_written_in_slices_with_the_same_bytes(gamerfuel, tmp_path):
    from lib.report.export import write_csv

    frame, _ = gamerfuel
    for rows in (frame, frame.iloc[:0]):
        write_csv(rows, tmp_path / "p.csv", chunk=333)  # slices: a million posts never sit in memory as text
        assert (tmp_path / "p.csv").read_bytes() == to_csv_bytes(rows)


def test_cli_report_step_writes_html_and_pdf(tmp_path):
    from lib.cli import main

    rows = pd.read_csv(ROOT / "sample_data" / "gamerfuel.csv").head(1500)
    rows.loc[0, "text"] = SCRIPT
    src = tmp_path / "gf.csv"
    rows.to_csv(src, index=False)
    out = tmp_path / "out"
    assert main(["analyze", str(src), "--out", str(out), "--steps", "report", "--client", "Acme",
                 "--sections", "headline,sentiment,value,methods,topics"]) == 0
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "for Acme" in html and 'id="value"' in html and 'id="forecast"' not in html
    assert (out / "report.pdf").read_bytes().startswith(b"%PDF")
    doc = json.loads((out / "summary.json").read_text())
    assert doc["report"]["sections"] == ["headline", "sentiment", "value", "methods"]
    assert doc["report"]["left_out"] == {"topics": "find topics on the Topics page first"}
    assert "sentiment_label" not in pd.read_csv(out / "posts.csv").columns  # the report adds no columns


@pytest.mark.parametrize("args, message", [
    (["--steps", "report", "--sections", "headline,nope"], "unknown section"),
    (["--client", "Acme"], "need --steps report"),
    (["--steps", "report", "--logo", "missing.png"], "--logo"),
    (["--steps", "report", "--weights", "nope"], "--weights"),
])
def test_cli_report_bad_options_exit_2(tmp_path, capsys, args, message):
    from lib.cli import main

    src = tmp_path / "p.csv"
    src.write_text("text,date\nhello,2024-01-01\n")
    assert main(["analyze", str(src), "--out", str(tmp_path / "o"), *args]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
    assert not (tmp_path / "o" / "report.html").exists()


def test_every_section_key_is_documented():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for key in SECTIONS:
        assert key in readme


def test_value_section_prints_no_vanity_ranking_where_every_post_ties():
    """On an export whose only engagement is retweets (no likes, views or impressions) every post ties on vanity:
    the report says so instead of printing a table of ties."""
    from lib import pipeline
    from tests.test_kpis import airline_csv

    posts = build_posts([source_from_bytes(airline_csv(600), "Tweets.csv")], ImportOptions()).posts
    data = ReportData(name="airlines", frame=pipeline.listen(posts).frame)
    report = build(data, ["value"])
    blocks = report.sections[0].blocks
    texts = [b.text for b in blocks]
    assert "Top posts by value:" in texts and "Top posts by vanity (likes, impressions):" not in texts
    assert any(b.kind == "note" and b.text.startswith("No vanity ranking:") for b in blocks)
    tables = [b.table for b in blocks if b.kind == "table"]
    assert all("vanity rank" not in t.columns for t in tables)
