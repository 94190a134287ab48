"""The client report (lib.report.build, lib.report.render) and `--steps report`: every section from the data, hostile
text inert in HTML and PDF, exports safe in a spreadsheet, the PDF renders to a real page."""
import io
import json
import re
from types import SimpleNamespace

import pandas as pd
import pytest

from lib.ingest.build import ImportOptions, build_posts, open_sources, source_from_bytes
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
    assert not any(ok[k] for k in ("summary", "headline", "sentiment", "value", "forecast", "methods"))
    report = build(data)
    assert [s.key for s in report.sections] == ["summary", "headline", "sentiment", "value", "forecast", "methods"]
    by_key = {s.key: s for s in report.sections}
    metrics = dict((k, v) for k, v, _ in by_key["headline"].blocks[0].rows)
    assert metrics["Posts"] == f"{len(frame):,}"
    share = frame["sentiment_label"].value_counts(normalize=True)
    assert metrics["Net sentiment"] == f"{share['positive'] - share['negative']:+.2f}"
    # the planted crisis is the report's alert, with its drivers and amplifiers
    [alerts] = [b.table for b in by_key["sentiment"].blocks if b.kind == "table"]
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


def test_safe_frame_defuses_exactly_what_mapping_every_cell_did(gamerfuel):
    """`safe_frame` maps cell by cell only the columns with a cell to defuse: the same values, CSV bytes and
    Excel cells as mapping every text column did, on the enriched sample and on a frame of every kind of column
    (text with and without formulas, string dtype with NA, numbers, dates)."""
    from openpyxl import load_workbook

    from lib.report import export
    from lib.report.export import defuse, safe_frame

    def every_cell(df: pd.DataFrame) -> pd.DataFrame:
        out = df.copy()
        for c in out.columns:
            if out[c].dtype == object or pd.api.types.is_string_dtype(out[c]):
                out[c] = out[c].map(defuse, na_action="ignore")
        out.columns = [defuse(str(c)) for c in out.columns]
        return out

    frame, _ = gamerfuel
    mixed = pd.DataFrame({"=head": ["a", None, "=1+1"], "s": pd.Series(["x", pd.NA, "y"], dtype="string"),
                          "risky": pd.Series(["@me", pd.NA, "ok"], dtype="string"), "n": [1, 2, 3],
                          "f": [1.5, None, -2.0], "d": pd.to_datetime(["2024-01-01", None, "2024-01-03"], utc=True),
                          "o": ["plain", 4, None]})
    def cells(xlsx: bytes) -> list[object]:
        return [c.value for row in load_workbook(io.BytesIO(xlsx)).active.iter_rows() for c in row]

    for df in (frame, frame.iloc[:0], mixed):
        fast, slow = safe_frame(df), every_cell(df)
        pd.testing.assert_frame_equal(fast, slow, check_dtype=False)  # a text column untouched keeps its dtype
        assert to_csv_bytes(df) == slow.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")
        xlsx = to_xlsx_bytes(df.head(300))  # a workbook of every post is slow to write and read
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(export, "safe_frame", every_cell)
            assert cells(xlsx) == cells(to_xlsx_bytes(df.head(300)))


def test_csv_files_are_written_in_slices_with_the_same_bytes(gamerfuel, tmp_path):
    from lib.report.export import write_csv

    frame, _ = gamerfuel
    for rows in (frame, frame.iloc[:0]):
        write_csv(rows, tmp_path / "p.csv", chunk=333)  # slices: a million posts never sit in memory as text
        assert (tmp_path / "p.csv").read_bytes() == to_csv_bytes(rows)


def test_a_post_with_a_carriage_return_reads_back_as_one_row(tmp_path):
    """A post typed with \\r alone (JSON exports keep it) is quoted in every CSV written, so that pandas, which
    ends a row at a bare \\r, reads its run back one row per post: posts.csv read 80 rows for 60 posts."""
    from lib.report.export import write_csv

    posts = pd.DataFrame({"post_id": ["1", "2", "3"], "text": ["Line one\rline two", "plain", "a\r\nb"]})
    write_csv(posts, tmp_path / "p.csv")
    for data in ((tmp_path / "p.csv").read_bytes(), to_csv_bytes(posts)):
        back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype=str)
        pd.testing.assert_frame_equal(back, posts)


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
    (["--leave-out-spam"], "need --steps report"),
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
    # its retweets are almost all 0 (no signal): the posts are ranked by how they read, and the section says so
    assert "Posts that read best (no count says which worked):" in texts
    assert "Top posts by vanity (likes, impressions):" not in texts
    assert any(b.kind == "note" and b.text.startswith("No vanity ranking:") for b in blocks)
    tables = [b.table for b in blocks if b.kind == "table"]
    assert all("vanity rank" not in t.columns for t in tables)
    assert not any("against the vanity rank" in t for t in texts)  # its table has no vanity rank to set against


def test_long_words_and_descriptions_are_cut_where_a_reader_expects():
    """A real YouTube comment's "wurkkkk..." of 80 letters ran out of its PDF table cell, and a persona's
    description was cut mid-word ("... 100% of posts on X (vs 32% ov…")."""
    from lib.report.formatting import WORD_CHARS, cut, cut_clauses

    shown = cut("Nice love itttttttt wurk" + "k" * 80)
    assert max(len(w) for w in shown.split()) == WORD_CHARS and shown.endswith("…")
    d = ("critical (100% negative vs 20% overall); 46% of posts with intent complaint / issue (vs 8% overall); 38% "
         "of posts with emotion anger (vs 8% overall); 100% of posts on X (vs 32% overall)")
    assert cut_clauses(d) == d[:d.rindex("; ")] + "; …" and cut_clauses(d, 400) == d


def test_summary_comes_first_with_findings_whose_numbers_are_the_datas(gamerfuel):
    from lib.listening.alerts import detect

    frame, meta = gamerfuel
    report = build(ReportData("GamerFuel", frame, meta=meta))
    first = report.sections[0]
    assert first.key == "summary" and list(SECTIONS)[0] == "summary"
    findings = first.blocks[0].items
    assert 3 <= len(findings) <= 5 and all(f.endswith(".") for f in findings)
    share = frame["sentiment_label"].value_counts(normalize=True)
    assert f"{share['positive']:.0%} of the {len(frame):,} posts are positive and {share['negative']:.0%} negative" \
        in findings[0]
    ts = frame["created_at"]
    step = (ts.max() - ts.min()) / 3
    late = frame.loc[ts >= ts.max() - step, "sentiment_label"].eq("negative").mean()
    assert f"to {late:.0%} in the last" in findings[0] and "rose" in findings[0]  # the planted September crisis
    alerts = detect(frame)
    biggest = max(alerts, key=lambda a: max(a.posts - a.expected_posts,
                                            a.posts * (a.negative_share - a.baseline_negative_share)))
    assert findings[1].startswith(f"{len(alerts)} spike alert") and biggest.compared_with.rstrip(".") in findings[1]
    assert ",:" not in findings[1]
    complaints = int((frame["intent"] == "complaint / issue").sum())
    assert any(f.startswith(f"Next: answer the {complaints:,} complaints") for f in findings)
    quotes = first.blocks[1].items
    assert 2 <= len(quotes) <= 3 and len(set(quotes)) == len(quotes) and all(len(q) <= 182 for q in quotes)


def test_the_biggest_alert_is_the_most_posts_above_usual_not_the_highest_z():
    """On real YouTube comments the summary called 34 posts against 1 expected (z 6.8) the biggest alert, beside
    492 against 47 (z 5.0)."""
    import pandas as pd

    from lib.listening.alerts import Alert
    from lib.report.summary import excess_posts

    day = pd.Timestamp("2014-01-20", tz="UTC")
    quiet = Alert(day, day, ["volume"], 21, 0.5, 0.2, 0.2, 40.0)
    surge = Alert(day, day, ["volume"], 492, 47.0, 0.18, 0.16, 12.0)
    angry = Alert(day, day, ["negative share"], 100, 95.0, 0.9, 0.2, 8.0)  # 70 more negative posts than usual
    assert max([quiet, surge, angry], key=excess_posts) is surge
    from lib.report.summary import _alerts

    one = _alerts(SimpleNamespace(frame=pd.DataFrame({"sentiment_label": [], "created_at": []}),
                                  cache={"alerts": [surge]}, sensitivity=3.5))
    assert one.startswith("1 spike alert, 20 Jan 2014: 492 posts against 47 expected") and "biggest" not in one
    assert excess_posts(angry) == pytest.approx(70) and excess_posts(quiet) == pytest.approx(20.5)


def test_summary_says_how_much_is_spam_and_never_quotes_it(shared):
    """Real YouTube comments (UCI spam collection: 1,005 of 1,956 are spam): the summary says about half the posts
    look like spam, and its quotes are none of the posts its authenticity rules flag, nor labelled spam."""
    import glob

    from lib.ingest.build import ImportOptions, build_posts, open_sources
    from lib.kpis.authenticity import THRESHOLD, post_scores
    from lib.listening.enrich import enrich

    posts = build_posts(open_sources(sorted(glob.glob(str(shared / "youtube_spam" / "Youtube0*.csv")))),
                        ImportOptions()).posts
    frame = enrich(posts).frame
    findings, said = (b.items for b in build(ReportData("yt", frame), ["summary"]).sections[0].blocks[:2])
    flagged = post_scores(frame) >= THRESHOLD
    spam = [f for f in findings if "look like spam or bot activity" in f]
    assert spam == [f"{flagged.mean():.0%} of the posts look like spam or bot activity (links, self-promotion, "
                    "copy-paste, bursts); they are counted in every figure here, and left out of the quotes."]
    assert 0.4 <= flagged.mean() <= 0.6 and 3 <= len(findings) <= 5
    from lib.report.formatting import cut

    quoted = frame[frame["text"].astype(str).map(cut).isin([q.strip("“”") for q in said])]
    assert len(said) >= 2 and len(quoted) >= len(said)
    assert not flagged[quoted.index].any() and (pd.to_numeric(quoted["CLASS"]) == 0).mean() >= 0.5


def test_summary_uses_topics_and_personas_when_found(gamerfuel):
    from lib.report.formatting import cut

    frame, meta = gamerfuel
    f = frame.assign(topic=frame.index % 3)
    topics = pd.DataFrame({"topic": [0, 1, 2], "label": ["delays", "taste", "price"],
                           "size": [int((f["topic"] == k).sum()) for k in range(3)], "net_sentiment": [-0.3, 0.2, 0.1],
                           "negative_share": [0.5, 0.1, 0.2]})
    topics["share"] = topics["size"] / len(f)
    personas = pd.DataFrame({"name": ["Night gamers", "Critics"], "share": [0.6, 0.4], "posts": [10, 5],
                             "mean_sentiment": [0.25, -0.4], "negative_share": [0.1, 0.7],
                             "positive_share": [0.5, 0.05]})
    findings = build(ReportData("t", f, meta=meta, topics=topics, personas=personas), ["summary"]).sections[0] \
        .blocks[0].items
    assert findings[0].startswith(f"People talk most about delays ({topics['share'][0]:.0%} of posts)")
    assert any("Night gamers, is 60% of authors" in x for x in findings)
    # the noise row is no segment: a real YouTube export's report said "out of 5 segments" beside a page's 4
    noisy = pd.DataFrame({"segment": [0, 1, -1], "name": ["Onlookers", "Critics", "Unassigned (noise)"],
                          "share": [0.3, 0.2, 0.5], "posts": [10, 5, 9]})
    who = [x for x in build(ReportData("t", f, meta=meta, personas=noisy), ["summary"]).sections[0].blocks[0].items
           if "audience segment" in x]
    assert who == ["The largest audience segment, Onlookers, is 30% of authors, out of 2 segments."]
    # a segment is quoted by the shares its name is read from, beside all posts': its mean score contradicted the
    # name (a "Critics" segment, 99 % negative by label, showed "mean sentiment -0.10"; on a real four-language
    # export "Critical posts ... mean VADER score -0.00")
    [table] = [b.table for b in build(ReportData("t", f, meta=meta, personas=personas), ["audience"]).sections[0]
               .blocks if b.kind == "table"]
    assert list(table.columns) == ["segment", "share", "negative posts", "positive posts"]
    assert table["negative posts"].tolist() == ["10%", "70%"]
    neg, pos = (f["sentiment_label"] == "negative").mean(), (f["sentiment_label"] == "positive").mean()
    assert any(f"Night gamers, is 60% of authors, 10% of its posts negative and 50% positive (all posts: {neg:.0%} "
               f"and {pos:.0%})" in x for x in findings)
    assert not any("VADER" in x for x in findings)
    n = round(topics["size"][0] * 0.5)
    assert any(x.startswith(f"Next: answer the {n:,} negative posts about delays") for x in findings)
    chosen = {k: f.loc[(f["topic"] == k) & f["text"].str.len().between(40, 200), "post_id"].astype(str).tolist()[5:7]
              for k in range(3)}
    said = build(ReportData("t", f, meta=meta, topics=topics, representatives=chosen), ["summary"]).sections[0] \
        .blocks[1].items
    first = f.set_index(f["post_id"].astype(str)).loc[[chosen[k][0] for k in range(3)], "text"].map(cut).tolist()
    assert said == [f"“{x}”" for x in first] or len(set(first)) < 3  # the fit's own representatives, in order


def test_the_top_advocate_and_detractor_come_with_both_shares():
    """An advocate with 3 positive posts of 9 and no negative one: "33% positive" alone would read oddly; both
    shares are given, and they are the author's."""
    from lib.report.summary import _who

    labels = ["positive"] * 3 + ["neutral"] * 6 + ["negative"] * 7 + ["positive"] * 1 + ["neutral"] * 3
    f = pd.DataFrame({"author": ["fan"] * 9 + ["critic"] * 11, "sentiment_label": labels, "sentiment": 0.0,
                      "text": ["loved the crunch", "the new flavour is great", "best snack this year",
                               "bought it today", "it comes in a blue bag", "the shop had it", "price is four euros",
                               "my friend tried it", "saw the ad on tv", "stale and soggy", "worst batch ever",
                               "too salty for me", "the bag was half empty", "never buying again",
                               "customer service ignored me", "it made me sick", "the old recipe was nice",
                               "is it vegan", "where is it sold", "they changed the logo"]})
    said = _who(ReportData("p", f))
    assert "the top advocate is fan (9 posts: 33% positive, 0% negative; 0 followers)" in said
    assert said.startswith("The top detractor is critic (11 posts: 64% negative, 9% positive; 0 followers)")


def test_quotes_are_the_audiences_words_not_links():
    """A topic's representative posts with a link come after those without: the first of each topic's posts
    without one is quoted; a topic whose posts all carry a link is still quoted."""
    from lib.report.summary import quotes

    texts = ["AFRICOM: Strikes destroy 29 #ISIS sites in #Sirte. #Libyahttps://t.co/BMPW9p9lvG",
             "the strikes on the sites near Sirte went on all night, people are scared",
             "just saw the new trailer on www.example.com/trailer and it looks great",
             "read the whole thread on bit.ly/3abcDEF before you vote on this one"]
    f = pd.DataFrame({"post_id": ["a", "b", "c", "d"], "text": texts, "topic": [0, 0, 1, 2],
                      "sentiment_label": "neutral", "sentiment": 0.0})
    topics = pd.DataFrame({"topic": [0, 1, 2], "share": [0.5, 0.25, 0.25]})
    said = quotes(ReportData("q", f, topics=topics, representatives={0: ["a", "b"], 1: ["c"], 2: ["d"]}))
    assert said == [texts[1], texts[2], texts[3]]


def test_a_quote_is_words_not_a_row_of_handles_and_says_what_it_is():
    """A real care dump's report quoted "@SpotifyCares @3537 @3212 @328645 @234 Thank you 😂" for its thank-you
    topic, right under "Next: answer the 1,945 negative posts about songs · music · playlist"."""
    from lib.report.summary import quotes, summary

    texts = ["@SpotifyCares @3537 @3212 @328645 @234 Thank you 😂",
             "@SpotifyCares thank you so much, it works again now",
             "@SpotifyCares my playlists vanished after the update and nothing brings them back"]
    f = pd.DataFrame({"post_id": ["a", "b", "c"], "text": texts, "topic": [0, 0, 1],
                      "sentiment_label": ["positive", "positive", "negative"], "sentiment": [0.6, 0.5, -0.5]})
    topics = pd.DataFrame({"topic": [0, 1], "share": [0.6, 0.4]})
    data = ReportData("q", f, topics=topics, representatives={0: ["a", "b"], 1: ["c"]})
    assert quotes(data) == texts[1:]
    said = [b for b in summary(data) if b.text.startswith("In their words")]
    assert said[0].text == "In their words: a typical post of each of the largest topics"
    assert quotes(ReportData("q", f.iloc[:1])) == texts[:1]  # a row of handles is quoted where nothing else is
    plain = [b for b in summary(ReportData("q", f.drop(columns="topic"))) if b.text.startswith("In their words")]
    assert plain[0].text == "In their words: a typical positive and a typical negative post"


def test_quotes_with_hostile_text_stay_inert_in_html(gamerfuel):
    from lib.report.formatting import cut
    from lib.report.summary import quotes

    frame, meta = gamerfuel
    f = frame.copy()
    picked = quotes(ReportData("q", f))[0]
    rows = f.index[f["text"].map(cut) == picked]  # the sample repeats some posts: all of them
    f.loc[rows, "text"] = SCRIPT + ' <img src=x onerror="alert(2)"> loved it & more'
    report = build(ReportData("q", f, meta=meta), ["summary"])
    assert any(SCRIPT in q for q in report.sections[0].blocks[1].items)
    html = to_html(report)
    assert "<script" not in html.lower() and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=&quot;alert(2)&quot;&gt;" in html


def test_pdf_tables_never_break_a_word():
    """Many columns with long cells: each column is at least as wide as its longest word, headers stay whole."""
    from lib.report.data import Block, Report, Section

    table = pd.DataFrame({"segment": ["Night-owl competitive gamers"] * 3, "who they are": ["x " * 60] * 3,
                          "authors": ["1,234"] * 3, "share": ["12%"] * 3, "posts per author": ["3.4"] * 3,
                          "mean sentiment": ["+0.12"] * 3, "net sentiment": ["-0.31"] * 3,
                          "growth": ["+12.5%"] * 3, "keywords": ["aftertaste, packaging, energy, flavour"] * 3})
    report = Report("t", "", "", "d", "now", "p", None,
                    [Section("audience", "Audience", [Block("table", table=table)])])
    text = _pdf_text(to_pdf(report))
    for word in ("net sentiment", "mean sentiment", "authors", "posts per author", "keywords", "Night-owl",
                 "competitive", "aftertaste"):
        assert word in text, word


def test_headline_shows_no_share_of_influence_without_followers_or_reach():
    """Without followers or reach, share of influence equals share of voice mention for mention: the report says
    what it would need instead of printing a column of zero gaps."""
    from lib import pipeline
    from tests.test_kpis import airline_csv

    posts = build_posts([source_from_bytes(airline_csv(600), "Tweets.csv")], ImportOptions()).posts
    report = build(ReportData(name="airlines", frame=pipeline.listen(posts).frame), ["headline"])
    blocks = report.sections[0].blocks
    tables = [b.table for b in blocks if b.kind == "table"]
    assert tables and all("share of influence" not in t.columns and "gap" not in t.columns for t in tables)
    assert any("Share of influence needs" in b.text for b in blocks)


def test_share_of_voice_lists_the_largest_brands_and_sums_the_rest(shared):
    """Sentiment140's 81 queries as brands made a two-page share-of-voice table, most rows one mention."""
    from lib import pipeline
    from lib.report.sections import MAX_SHARE_BRANDS

    posts = build_posts(open_sources([shared / "sentiment140_test" / "testdata.manual.2009.06.14.csv"]),
                        ImportOptions()).posts
    blocks = build(ReportData(name="s140", frame=pipeline.listen(posts).frame), ["headline"]).sections[0].blocks
    [sov] = [b.table for b in blocks if b.kind == "table" and "share of voice" in b.table.columns]
    assert len(sov) == MAX_SHARE_BRANDS + 1 and sov.iloc[0]["brand"] == "time warner"
    assert sov.iloc[-1]["brand"] == f"the other {posts['brand'].nunique() - MAX_SHARE_BRANDS} brands"
    assert sov["mentions"].str.replace(",", "").astype(int).sum() == len(posts)


def test_methods_say_what_the_code_did():
    """The methods text names the sentiment model the code uses (words, VADER and cues; no sentence embeddings
    unless labels were learned from) and the embeddings the topic fit really used."""
    from lib import pipeline

    posts = build_posts(open_sources([ROOT / "sample_data" / "gamerfuel.csv"]), ImportOptions()).posts.head(400)
    frame = pipeline.listen(posts).frame
    data = ReportData(name="g", frame=frame, topics=pd.DataFrame({"topic": [0], "label": ["x"]}),
                      topic_settings={"seed": 7, "embeddings": "WordLlama", "prepare_text": True})
    text = " ".join(" ".join([b.text, *b.items]) for b in build(data, ["methods"]).sections[0].blocks)
    assert "logistic regression on each post's words" in text and "sentence embeddings" not in text
    assert "BERTopic (WordLlama embeddings" in text and "seed 7" in text and "brands' names were taken out" in text
    personas = pd.DataFrame({"segment": [0], "name": ["Typical posts"], "share": [1.0]})
    for unit, says in (("posts", "Segments: posts clustered"), ("authors", "Segments: authors clustered")):
        data = ReportData(name="g", frame=frame, personas=personas, audience_metrics={"unit": unit})
        assert says in " ".join(" ".join([b.text, *b.items]) for b in build(data, ["methods"]).sections[0].blocks)
    # the features the fit used, not every one it may use: undated tweets without counts (real Portuguese tweets)
    data = ReportData(name="g", frame=frame, personas=personas,
                      audience_metrics={"unit": "posts", "groups_used": ["sentiment", "emotion", "topics"]})
    text = " ".join(" ".join([b.text, *b.items]) for b in build(data, ["methods"]).sections[0].blocks)
    assert "Segments: posts clustered on what they are (sentiment, emotion mix, topic mix); segment names" in text
    data = ReportData(name="g", frame=frame, personas=personas,
                      audience_metrics={"unit": "authors", "groups_used": ["activity", "engagement", "sentiment"]})
    text = " ".join(" ".join([b.text, *b.items]) for b in build(data, ["methods"]).sections[0].blocks)
    assert "Segments: authors clustered on behaviour (activity, engagement, sentiment); persona names" in text


def test_audience_section_says_how_far_thin_segments_can_be_trusted():
    """On thin data (an airline export: most authors wrote one or two posts) the report's audience section carries
    the Audience page's own trust note: stability and separation in plain words, and what thin data means."""
    from lib import pipeline
    from lib.audience.segments import fit_segments
    from lib.audience.wording import trust_note
    from lib.kpis.weights import PRESETS
    from tests.test_kpis import airline_csv

    posts = build_posts([source_from_bytes(airline_csv(600), "Tweets.csv")], ImportOptions()).posts
    frame = pipeline.listen(posts).frame
    segments = fit_segments(frame, pipeline.segment_settings(frame))
    m = segments.metrics
    assert m["unit"] == "authors" and frame["author"].value_counts().median() <= 2
    data = pipeline.report_data("airlines", frame, {}, PRESETS["Balanced"], segments=segments)
    [section] = build(data, ["audience"]).sections
    notes = [b.text for b in section.blocks if b.kind == "note"]
    assert notes == ["How far to trust them: " + trust_note(m, 2.0)]
    assert f"Stability {m['stability_ari']:.2f}: a second run with another seed" in notes[0]
    assert f"Separation {m['silhouette']:.2f}" in notes[0]
    assert "Most authors wrote one or two posts, so a segment mostly describes single posts" in notes[0]
    assert "Solid enough to act on." not in notes[0]
    assert "Most authors wrote one or two posts" in to_html(build(data, ["audience"]))


def test_a_share_rises_or_falls_only_beyond_chance():
    """Real YouTube comments: 17 % negative in the first third, 18 % in the last, ~600 posts each, was "rose"."""
    from lib.report.formatting import share_change

    assert share_change("the negative share", 0.17, 600, 0.18, 650) == (
        "; the negative share was 17% in the first third of the period and 18% in the last, a difference chance "
        "alone can make with 600 and 650 posts")
    assert share_change("the negative share", 0.17, 600, 0.25, 650).startswith("; the negative share rose from 17%")
    assert share_change("x", 0.30, 5000, 0.27, 5000).startswith("; x fell from 30%")  # 3 points on 5,000: real
    assert share_change("x", 0.301, 50, 0.304, 50) == "; x held at 30% from the first third of the period to the last"


def test_topics_that_are_mostly_spam_are_said_and_not_reported_as_talk(shared):
    """Real YouTube comments (UCI spam collection): the largest topics were channel promotion ("channel · videos ·
    subscribe", 95 % spam by the collection's labels), and the summary said "People talk most about" them. A topic
    whose posts the authenticity rules mostly flag is now shown with its spam share, and the talk and next-step
    findings pass over it."""
    import glob
    from dataclasses import replace

    from lib import pipeline
    from lib.report.summary import spam_topics
    from lib.topics.fit import fit_topics

    posts = build_posts(open_sources(sorted(glob.glob(str(shared / "youtube_spam" / "Youtube0*.csv")))),
                        ImportOptions()).posts
    frame = enrich(posts).frame
    result = fit_topics(frame, replace(pipeline.topic_settings(frame), backend="wordllama"))
    frame = pipeline.with_user_topics(frame, result)
    table = pipeline.topic_overview(frame, result)
    data = ReportData("yt", frame, topics=table)
    spam = spam_topics(data)
    truth = pd.to_numeric(frame["CLASS"]).groupby(frame["topic"]).mean()
    assert len(spam) >= 3 and truth[spam].min() >= 0.5  # each really is mostly spam, by the human labels
    assert pd.to_numeric(frame.loc[frame["topic"].isin(spam), "CLASS"]).mean() >= 0.85
    assert pd.to_numeric(frame.loc[~frame["topic"].isin(spam), "CLASS"]).mean() <= 0.35
    report = build(data, ["summary", "topics"])
    findings = report.sections[0].blocks[0].items
    labels = dict(zip(table["topic"], table["label"]))
    talk = findings[0]
    assert talk.startswith("People talk most about") and "are mostly spam and left out here" in talk
    assert not any(labels[t] in talk for t in spam)
    nxt = [f for f in findings if f.startswith("Next: ")]
    assert nxt and not any(labels[t] in nxt[0] for t in spam)
    topic_blocks = report.sections[1].blocks
    assert any(b.kind == "note" and "mostly posts that look like spam" in b.text for b in topic_blocks)
    [shown] = [b.table for b in topic_blocks if b.kind == "table"]
    assert "spam-like" in shown.columns
    [extremes] = [b.items for b in topic_blocks if b.kind == "bullets"]
    assert not any(labels[t] in line for t in spam for line in extremes)  # most negative / positive: people's


def test_a_report_without_spam_counts_only_the_other_posts(shared):
    """Real YouTube comments: leaving out the posts the authenticity rules flag (940 of 1,956) leaves mostly the
    collection's genuine comments, and every figure and the summary say so."""
    import glob

    from lib.kpis.authenticity import THRESHOLD, post_scores
    from lib.report.data import without_spam

    posts = build_posts(open_sources(sorted(glob.glob(str(shared / "youtube_spam" / "Youtube0*.csv")))),
                        ImportOptions()).posts
    frame = enrich(posts).frame.assign(topic=lambda f: f.index % 4)
    topics = pd.DataFrame({"topic": range(4), "label": ["a", "b", "c", "d"], "keywords": ["x, y"] * 4,
                           "size": frame["topic"].value_counts().sort_index().to_numpy()})
    flagged = post_scores(frame) >= THRESHOLD
    data = without_spam(ReportData("yt", frame, topics=topics))
    assert data.spam_left_out == int(flagged.sum()) and len(data.frame) == int((~flagged).sum())
    assert pd.to_numeric(data.frame["CLASS"]).mean() <= 0.15  # mostly the genuine comments (was 51 % spam)
    assert data.topics["size"].sum() == len(data.frame) and list(data.topics["label"]) != []
    report = build(data, ["summary", "headline", "methods"])
    findings = report.sections[0].blocks[0].items
    n = int(flagged.sum())
    assert f"{n:,} posts ({flagged.mean():.0%}) that look like spam or bot activity" in " ".join(findings)
    headline = {label: value for b in report.sections[1].blocks if b.kind == "metrics" for label, value, _ in b.rows}
    assert headline["Posts"].startswith(f"{len(data.frame):,}")
    assert "Authentic posts" not in headline  # 100 % of what is left: said by the summary instead
    assert any(f"{n:,} posts that the authenticity rules flag" in i for b in report.sections[2].blocks
               for i in b.items)
    clean = ReportData("clean", pd.DataFrame({"post_id": ["1", "2", "3"], "text": ["nice song", "love the video",
                                                                                  "great beat, again and again"]}))
    assert without_spam(clean) is clean  # nothing flagged: nothing changes



def test_the_alert_section_quotes_the_biggest_alert_and_names_a_day_by_its_date(gamerfuel):
    """The section quoted the first alert in time (on the real YouTube comments a 35-post one, not the 492-post
    surge the summary calls the biggest) and wrote a one-day alert as "28 Nov–28 Nov"."""
    from lib.listening.alerts import Alert
    from lib.report.formatting import cut

    frame, meta = gamerfuel
    small, big = frame.index[:2]
    day = pd.Timestamp("2026-09-01", tz="UTC")
    data = ReportData("g", frame, meta)
    data.cache["alerts"] = [
        Alert(day, day, ["volume"], 35, 3.0, 0.1, 0.3, 6.8, post_ids=[str(frame.loc[small, "post_id"])],
              compared_with="35 posts"),
        Alert(day + pd.Timedelta(days=9), day + pd.Timedelta(days=18), ["volume"], 492, 47.0, 0.2, 0.2, 5.0,
              post_ids=[str(frame.loc[big, "post_id"])], compared_with="66 posts")]
    blocks = build(data, ["sentiment"]).sections[0].blocks
    [compared] = [b.items for b in blocks if b.kind == "bullets" and b.text == "What each alert compared:"]
    assert compared == ["01 Sep 2026: 35 posts", "10 Sep–19 Sep 2026: 66 posts"]
    [drove] = [b for b in blocks if b.kind == "bullets" and b.text.startswith("Posts that drove")]
    assert drove.text == "Posts that drove the biggest alert (10 Sep–19 Sep 2026):"
    assert drove.items == [cut(frame.loc[big, "text"], 220)]


def test_tentative_alert_terms_are_marked_in_the_table_and_left_out_of_the_summary(tmp_path):
    """A spike with fewer words around it than in it gets terms that lean towards it, none for certain
    (`alerts.chosen_terms`): the report's table says "tentatively:", and the executive summary, which says only
    what is sure, names none of them."""
    from tests.test_listening import spike_most_of_its_file

    path = tmp_path / "spike.csv"
    spike_most_of_its_file().to_csv(path, index=False)
    data = ReportData("h", enrich(build_posts(open_sources([path]), ImportOptions()).posts).frame)
    report = build(data, ["summary", "sentiment"])
    [alert] = data.cache["alerts"]
    [table] = [b.table for b in report.sections[1].blocks if b.kind == "table"]
    assert alert.terms_tentative and table["terms"].tolist() == ["tentatively: " + ", ".join(alert.terms)]
    said = " ".join(str(i) for b in report.sections[0].blocks for i in [b.text, *(b.items or [])])
    assert "31 Oct 2026" in said and not any(t in said for t in alert.terms), said


def test_pdf_draws_japanese_chinese_and_korean_with_its_cjk_font_embedded_only_when_needed():
    """Japanese topic labels printed as "?" in the PDF (DejaVu has Greek, not Japanese). The Noto Sans CJK font
    (a pinned package) draws them, Chinese and Korean too, and is embedded only in a report that uses them."""
    import pypdfium2

    from lib.report.data import Block, Report, Section
    from lib.report.render import cjk_font, to_pdf, unshown_note

    def report(finding: str) -> Report:
        return Report("Mixed export", "", "", "tweets", "04 December 2026", "undated posts", None,
                      [Section("summary", "Executive summary", [Block("bullets", items=[finding])])])

    assert cjk_font() is not None, "noto-cjk-sans-jp-regular (requirements.txt) is not installed"
    words = "People talk most about 今日 · 自分 · ワクチン · 서울 · 测试 (25% of posts)"
    japanese = report(words)
    assert unshown_note(japanese) == ""
    pdf = to_pdf(japanese)
    text = pypdfium2.PdfDocument(pdf)[0].get_textpage().get_text_range()
    assert "今日 · 自分 · ワクチン · 서울 · 测试" in text and "?" not in text and "cannot draw" not in text
    assert b"NotoSansCJK" in pdf and b"NotoEmoji" not in pdf
    latin = to_pdf(report("covid · εμβόλιο · día"))
    assert b"NotoSansCJK" not in latin and b"NotoEmoji" not in latin and len(latin) < len(pdf)


def test_pdf_draws_emoji_instead_of_question_marks():
    """A quoted post "coldplay vamos a por ti 😍😍🔥" printed as "coldplay vamos a por ti???": Noto Emoji draws
    them; the joiners, variation selectors and skin tones that shape a sequence (no shaping engine here) are left
    out rather than printed as boxes."""
    import pypdfium2

    from lib.report.data import Block, Report, Section
    from lib.report.render import emoji_font, to_pdf

    assert emoji_font() is not None, "manimgx-fonts (requirements.txt) is not installed"
    quote = "coldplay vamos a por ti 😍😍🔥 · love it ❤️ · 👍🏽 · 👩‍💻"
    pdf = to_pdf(Report("Quotes", "", "", "tweets", "04 December 2026", "undated posts", None,
                        [Section("summary", "Executive summary", [Block("bullets", items=[quote])])]))
    text = pypdfium2.PdfDocument(pdf)[0].get_textpage().get_text_range()
    assert "coldplay vamos a por ti 😍😍🔥 · love it ❤ · 👍 · 👩💻" in text and "?" not in text
    assert b"NotoEmoji" in pdf and b"NotoSansCJK" not in pdf


def test_pdf_shapes_arabic_hindi_and_thai_with_their_fonts_embedded_only_when_needed():
    """Hindi printed as "?" with a note that the font cannot draw it, and Arabic printed letter by letter, left to
    right: Noto Sans Devanagari and Thai (manimgx-fonts) draw them now, and HarfBuzz shapes them, so the PDF's
    text reads in logical order (unshaped, pdfium reads the Arabic backwards: "ةمدخ" for "خدمة")."""
    import pypdfium2

    from lib.report.data import Block, Report, Section
    from lib.report.render import shaping, to_pdf, unshown_note

    assert shaping(), "uharfbuzz (requirements.txt) is not installed"

    def report(finding: str) -> Report:
        return Report("World export", "", "", "posts", "05 December 2026", "undated posts", None,
                      [Section("summary", "Executive summary", [Block("bullets", items=[finding])])])

    world = report("خدمة العملاء سيئة · हिन्दी ठीक है · บริการแย่มาก · 🇯🇵")
    assert unshown_note(world) == ""
    pdf = to_pdf(world)
    text = pypdfium2.PdfDocument(pdf)[0].get_textpage().get_text_range()
    assert "?" not in text and "cannot draw" not in text
    assert "خدمة" in text and "ةمدخ" not in text  # shaped: logical order
    assert "हिन्दी" in text
    assert b"NotoSansDevanagari" in pdf and b"NotoSansThai" in pdf and b"NotoSansBengali" not in pdf
    latin = to_pdf(report("covid · εμβόλιο · día"))
    assert b"NotoSansDevanagari" not in latin and b"NotoSansThai" not in latin


def test_pdf_says_when_its_font_cannot_draw_a_script_and_only_then(monkeypatch):
    """Without the CJK font package, Japanese topic labels print as "?": the first page says so and points to the
    HTML report; a report in Latin and Greek letters, or with emoji only, says nothing."""
    import pypdfium2

    from lib.report import render
    from lib.report.data import Block, Report, Section
    from lib.report.render import to_pdf, unshown_note

    monkeypatch.setattr(render, "cjk_font", lambda: None)

    def report(finding: str) -> Report:
        return Report("Mixed export", "", "", "tweets", "04 December 2026", "undated posts", None,
                      [Section("summary", "Executive summary", [Block("bullets", items=[finding])])])

    japanese = report("People talk most about 今日 · 自分 · 最近 (25% of posts)")
    note = unshown_note(japanese)
    assert "Chinese or Japanese characters" in note and "HTML report" in note
    assert "Japanese kana" in unshown_note(report("ワクチン · 選手"))
    # the long-vowel mark ("KATAKANA-HIRAGANA ...") and half-width kana are kana too, named once
    assert unshown_note(report("カレー ｶﾚｰ 今日")).startswith(
        "Some text here uses Chinese or Japanese characters and Japanese kana, which")
    for fine in ("covid · εμβόλιο · πανδημία", "love it 😍🔥", "día · gente"):
        assert unshown_note(report(fine)) == ""
    pdf = pypdfium2.PdfDocument(to_pdf(japanese))
    text = pdf[0].get_textpage().get_text_range()
    assert "?? · ?? · ??" in text and "cannot draw" in text


def test_a_page_export_without_text_gets_a_finding_on_what_engages_and_a_per_type_quality_table(shared):
    """The real Facebook page export (no text, no dates) had one finding, "The largest audience segment, Posts,
    ...", a name that says nothing, and a headline "Engagement Quality Score 50", the average by construction."""
    from lib.kpis.leaderboards import engagement_by_group

    raw = pd.read_csv(shared / "facebook_metrics" / "dataset_Facebook.csv")
    posts = build_posts(open_sources([shared / "facebook_metrics" / "dataset_Facebook.csv"]), ImportOptions()).posts
    table = engagement_by_group(posts, "post_type").set_index("post_type")
    rate = raw["Total Interactions"] / raw["Lifetime Post Total Reach"]
    assert table.loc["link", "figure"] == pytest.approx(rate[raw["Type"] == "Link"].median())
    assert table.attrs["overall"] == pytest.approx(rate.median())
    assert table.index.tolist() == ["image", "text", "link", "video"]  # by the typical post, best first
    personas = pd.DataFrame({"segment": [0, 1], "name": ["Posts", "High-engagement posts"], "share": [0.6, 0.4],
                             "posts": [300, 200]})
    report = build(ReportData("fb", posts, personas=personas, audience_metrics={"unit": "posts"}),
                   ["summary", "headline", "value"])
    findings = report.sections[0].blocks[0].items
    assert findings == ["Image posts engage best and video posts least: engagement rate (by reach) of the typical "
                        "post 2.5% (426 posts) and 0.5% (7 posts), against 2.1% for the typical post overall."]
    from lib.report.summary import _works

    flat = posts.assign(likes=0, comments=0, shares=pd.Series([1, 0] * 250, index=posts.index))
    assert _works(ReportData("fb", flat)) == ""  # every type's typical post engages 0 %: nothing stands out
    # no text: the topics section can never be built, so it does not send the user to the Topics page
    assert available(ReportData("fb", posts))["topics"] == "needs post text"
    # each unavailable section names what this file lacks, not what some other file might
    day = pd.Timestamp("2026-01-05", tz="UTC")
    text = pd.DataFrame({"text": ["a good day", "a bad day"], "sentiment_label": ["positive", "negative"]})
    assert available(ReportData("tweets", text))["sentiment"] == "needs dates"  # TweetTopic's undated tweets
    assert available(ReportData("page", pd.DataFrame({"created_at": [day], "likes": [3]})))["sentiment"] == \
        "needs post text"
    assert available(ReportData("bare", pd.DataFrame({"likes": [3, 4]})))["sentiment"] == "needs post text and dates"
    [metrics] = [b.rows for b in report.sections[1].blocks if b.kind == "metrics"]
    assert "Engagement Quality Score" not in [r[0] for r in metrics]
    tables = [b.table for b in report.sections[2].blocks if b.kind == "table"]
    by_type = next(t for t in tables if "post type" in t.columns)
    assert {"quality score", "mean value"} <= set(by_type.columns) and len(by_type) == 4


def test_chart_images_are_drawn_with_the_cjk_and_script_fonts_on_any_machine(monkeypatch):
    """vl-convert's own fonts have no Japanese, Thai or Devanagari: a chart image of such topic names was drawn
    only where the system had the fonts (else every letter a box). The PDF's CJK, emoji and script fonts are
    registered with it before the first chart, once; a Devanagari label's " · " separators (beside which resvg
    drew boxes) become " / " in the image, a Japanese or Latin one's stay."""
    import altair as alt
    import vl_convert

    from lib.report import static_charts
    from lib.report.render import cjk_font, script_fonts

    seen: list[str] = []
    monkeypatch.setattr(vl_convert, "register_font_directory", seen.append)
    static_charts._vlc.cache_clear()
    try:
        chart = alt.Chart(pd.DataFrame({"topic": ["今日 · 自分", "서울"], "posts": [5, 3]})).mark_bar().encode(
            x="posts:Q", y="topic:N")
        png, svg = static_charts.to_png(chart), static_charts.to_svg(chart)
    finally:
        static_charts._vlc.cache_clear()
    assert seen[0] == str(cjk_font().parent) and len(seen) == len(set(seen))
    assert str(dict(script_fonts())["NotoSansDevanagari"].parent) in seen
    assert png.startswith(b"\x89PNG") and "今日 · 自分" in svg
    hindi = alt.Chart(pd.DataFrame({"topic": ["समाचार · क्रिकेट", "café · crème"], "posts": [5, 3]})).mark_bar().encode(
        x="posts:Q", y="topic:N")
    svg = static_charts.to_svg(hindi)
    assert "समाचार / क्रिकेट" in svg and "café · crème" in svg and "समाचार · क्रिकेट" not in svg


def test_the_alert_section_quotes_no_spam_unless_the_alert_is_all_spam(gamerfuel):
    """On the real YouTube comments the biggest alert's first quote was "subscribe to me for call of duty vids and
    give aways Goal-100 subs", under a summary that says spam is left out of the quotes."""
    from lib.listening.alerts import Alert
    from lib.report.formatting import cut

    frame, meta = gamerfuel
    frame = frame.copy()
    spam, fine = frame.index[:2], frame.index[2]
    frame.loc[spam, "text"] = ["subscribe to me for call of duty vids and give aways Goal-100 subs",
                               "check out my channel http://bit.ly/x please subscribe"]
    day = pd.Timestamp("2026-09-01", tz="UTC")

    def drove(ids: list) -> object:
        data = ReportData("g", frame, meta)
        data.cache["alerts"] = [Alert(day, day, ["volume"], 66, 5.0, 0.1, 0.1, 6.8, compared_with="66 posts",
                                      post_ids=[str(frame.loc[i, "post_id"]) for i in ids])]
        [block] = [b for b in build(data, ["sentiment"]).sections[0].blocks
                   if b.kind == "bullets" and b.text.startswith("Posts that drove")]
        return block

    mixed = drove([*spam, fine])
    assert mixed.text == "Posts that drove the biggest alert (01 Sep 2026):"
    assert mixed.items == [cut(frame.loc[fine, "text"], 220)]
    only_spam = drove(list(spam))
    assert "all of them spam-like" in only_spam.text and len(only_spam.items) == 2


def test_the_reports_net_sentiment_sentence_compares_thirds_of_the_period_not_a_partial_first_day():
    """The airline export began with 4 posts of a partial day (3 negative): the report said net sentiment "moved
    from -0.75 to -0.34", an improvement, beside a summary whose negative share rose. Now both compare the first
    and the last third of the period, and agree; a change within chance is said so."""
    start = pd.Timestamp("2015-02-16 23:30", tz="UTC")
    rows = [(start, "negative")] * 3 + [(start, "neutral")]
    for day in range(1, 10):
        neg = 30 if day <= 3 else 45 if day <= 6 else 60  # the negative share rises, the positive falls
        for i in range(100):
            label = "negative" if i < neg else "positive" if i >= 70 - (day > 6) * 20 else "neutral"
            rows.append((start.normalize() + pd.Timedelta(days=day, hours=8, minutes=i), label))
    frame = pd.DataFrame(rows, columns=["created_at", "sentiment_label"]).assign(
        post_id=lambda d: [f"p{i}" for i in range(len(d))], text="a post")
    said = [b.text for b in build(ReportData("t", frame), ["sentiment"]).sections[0].blocks if b.kind == "text"][0]
    assert said.startswith("Net sentiment (share positive − share negative) fell from ") and "-0.75" not in said
    summary = build(ReportData("t", frame), ["summary"]).sections[0].blocks[0].items
    assert any("the negative share rose from" in f for f in summary)

    flat = frame.assign(sentiment_label=["negative", "positive", "neutral"] * (len(frame) // 3) +
                        ["neutral"] * (len(frame) % 3))
    said = [b.text for b in build(ReportData("t", flat), ["sentiment"]).sections[0].blocks if b.kind == "text"][0]
    assert "a difference chance alone can make" in said or " held at " in said


def test_the_report_quotes_the_estimated_shares_calibrated_by_the_analysts_labels(shared):
    """Real tweets at 63 % negative (TweetEval test, evaluation only), the airline export's mix, with 150 of "the
    analyst's" labels: the report's summary and its sentiment section quote the estimate the Listening page
    tells the user to quote, not the adapted labels counted; zero-shot the table
    is the posts' labels counted, and leaving spam out re-estimates it over the other posts."""
    import numpy as np

    from lib.listening.enrich import sentiment_for
    from lib.report.data import shares_of, without_spam
    from tests.conftest import complaint_heavy_tweets

    texts, truth = complaint_heavy_tweets(shared, 1500, seed=1)
    posts = pd.DataFrame({"post_id": [f"t{i}" for i in range(len(texts))], "text": texts,
                          "brand": np.where(np.arange(len(texts)) % 2, "Acme", "Bolt")})
    pick = np.random.default_rng(1).choice(len(posts), 150, replace=False)
    labels = pd.Series(truth.to_numpy()[pick], index=posts["post_id"].to_numpy()[pick])
    frame = pd.concat([posts, sentiment_for(posts, labels=labels).scores], axis=1)
    est = shares_of(frame)
    assert est is not None and est["labels_used"] == 150 and "calibrated" in est["method"]
    # one draw of 150 labels (bench/eval_shares.py: 3.1 points off on average over 5 draws of 3,000 such tweets)
    assert abs(est["overall"]["negative"] - 0.63) <= 0.06
    report = build(ReportData("tweets", frame, shares=est), ["summary", "headline", "methods"])
    by_key = {s.key: s for s in report.sections}
    finding = by_key["summary"].blocks[0].items[0]
    assert finding.startswith(f"An estimated {est['overall']['positive']:.0%} of the 1,500 posts are positive")
    assert f"{est['overall']['negative']:.0%} negative" in finding and "calibrated on 150 labels" in finding
    text, table = (b for b in by_key["headline"].blocks[1:3])
    table = table.table
    assert list(table[""]) == ["All posts", "Acme", "Bolt"] or list(table[""]) == ["All posts", "Bolt", "Acme"]
    low, high = est["interval"]["overall"]["negative"]
    assert table["negative"].iloc[0] == f"{est['overall']['negative']:.0%} ({low:.0%}–{high:.0%})"
    assert "calibrated on the analyst's 150 labels" in text.text
    assert any("calibrated on the analyst's 150 labels" in i for b in by_key["methods"].blocks for i in b.items)
    # every post labelled (a review export's stars taken as labels): the labels counted, said so, no range
    every = pd.Series(truth.to_numpy(), index=posts["post_id"].to_numpy())
    full = pd.concat([posts, sentiment_for(posts, labels=every).scores], axis=1)
    est_all = shares_of(full)
    assert est_all["overall"]["negative"] == pytest.approx((truth == "negative").mean(), abs=1e-4)
    report = build(ReportData("tweets", full, shares=est_all), ["summary", "headline"])
    by_key = {s.key: s for s in report.sections}
    assert by_key["summary"].blocks[0].items[0].startswith(
        f"{est_all['overall']['positive']:.0%} of the 1,500 posts are positive and "
        f"{est_all['overall']['negative']:.0%} negative, as the analyst labelled every one of them")
    text, table = (b for b in by_key["headline"].blocks[1:3])
    assert "labelled every one of these posts, so the shares are their labels counted, exact" in text.text
    assert table.table["negative"].iloc[0] == f"{est_all['overall']['negative']:.0%}"
    # zero-shot: the posts' own labels counted, said to be so
    plain = pd.concat([posts, sentiment_for(posts).scores], axis=1)
    zero = shares_of(plain)
    assert zero["method"] == "cc, zero-shot"
    assert zero["overall"]["negative"] == pytest.approx((plain["sentiment_label"] == "negative").mean(), abs=1e-4)
    blocks = build(ReportData("tweets", plain, shares=zero), ["headline"]).sections[0].blocks
    assert "each post's own label counted" in blocks[1].text
    # spam left out: the estimate is made again over the posts that stay (none here is spam-like: nothing moves)
    spammy = plain.copy()
    spammy.loc[:99, "text"] = "subscribe to my channel http://spam.example/win free gift cards"
    spammy = pd.concat([spammy.drop(columns=list(sentiment_for(posts).scores.columns)),
                        sentiment_for(spammy[["post_id", "text", "brand"]]).scores], axis=1)
    kept = without_spam(ReportData("tweets", spammy, shares=shares_of(spammy)))
    assert kept.spam_left_out >= 90 and kept.shares["overall"]["negative"] == pytest.approx(
        (kept.frame["sentiment_label"] == "negative").mean(), abs=1e-4)


def test_cli_report_quotes_the_calibrated_shares_with_spam_left_out(tmp_path):
    """`--labels` and `--leave-out-spam`: the report's shares are re-estimated over the posts kept, calibrated on
    the labels among them with the public model's probabilities (kept for it, though posts.csv has none)."""
    from lib.cli import main

    rows = pd.read_csv(ROOT / "sample_data" / "gamerfuel.csv").head(1500)
    src = tmp_path / "gf.csv"
    rows.to_csv(src, index=False)
    ids = rows["id"].astype(str).head(90)
    labels = tmp_path / "labels.csv"
    pd.DataFrame({"post_id": ids, "sentiment": ["negative", "neutral", "positive"] * 30}).to_csv(labels, index=False)
    out = tmp_path / "out"
    assert main(["analyze", str(src), "--out", str(out), "--steps", "sentiment,report", "--labels", str(labels),
                 "--leave-out-spam", "--sections", "headline,methods"]) == 0
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "Sentiment shares to quote" in html and "calibrated on the analyst&#x27;s" in html
    assert not any(c.startswith("zero_shot") for c in pd.read_csv(out / "posts.csv").columns)


def test_an_alerts_span_says_its_year():
    """Two years of real YouTube comments: the report listed "02 Oct–04 Oct" and "19 May–28 May" (2013 and 2015)
    as if in one year."""
    import pandas as pd

    from lib.listening.alerts import Alert
    from lib.listening.alerts import span as _span  # the report's spans are the alerts' own

    def alert(start: str, end: str) -> Alert:
        return Alert(start=pd.Timestamp(start), end=pd.Timestamp(end), kinds=["volume"], posts=10,
                     expected_posts=1.0, negative_share=0.1, baseline_negative_share=0.1, peak_z=5.0)

    assert _span(alert("2013-10-02", "2013-10-04")) == "02 Oct–04 Oct 2013"
    assert _span(alert("2015-05-19", "2015-05-19")) == "19 May 2015"
    assert _span(alert("2014-12-30", "2015-01-02")) == "30 Dec 2014–02 Jan 2015"


def test_a_support_inbox_gets_no_most_positive_topic_and_a_value_score_said_to_read_only_text():
    """A real support inbox (Banking77's queries) has no positive topic and no engagement: its "most positive
    topic" was one at net +0.00, and its "posts that really worked" were the angriest complaints, beside a
    sentence about a vanity ranking the data cannot have."""
    texts = ["my card payment was reverted again", "the atm kept my card", "how do I change my pin?",
             "which currencies do you support?"] * 10
    frame = enrich(pd.DataFrame({"post_id": [str(i) for i in range(40)], "text": texts, "platform": "other"})).frame
    frame["topic"] = [0, 0, 1, 1] * 10
    frame["topic_label"] = frame["topic"].map({0: "card payment · reverted", 1: "currencies · pin"})
    topics = pd.DataFrame({"topic": [0, 1], "label": ["card payment · reverted", "currencies · pin"],
                           "size": [20, 20], "share": [0.5, 0.5], "net_sentiment": [-1.0, 0.0],
                           "keywords": [["card"], ["pin"]]})
    report = build(ReportData(name="inbox", frame=frame, topics=topics), ["topics", "value"])
    bullets = [i for s in report.sections for b in s.blocks if b.kind == "bullets" for i in b.items]
    assert bullets == ["Most negative topic: card payment · reverted (20 posts, net -1.00)",
                       "Least negative topic: currencies · pin (20 posts, net +0.00)"]
    value = [b.text for b in report.sections[1].blocks]
    assert not any("Vanity ranks" in t for t in value)
    assert any("tells its posts apart" in t and "not which worked" in t for t in value)


def test_value_by_brand_leaves_out_brands_of_a_post_or_two():
    """On a real mixed export a brand of one post led "By brand" (mean value 0.96): brands with fewer than 5 posts
    are left out of that table where at least two others remain, and the sentence says so."""
    from lib import pipeline

    rows = ["post_id,text,brand,likes"] + [f"a{i},I love this product so much,alpha,{i}" for i in range(8)] + \
        [f"b{i},it broke after a day and support ignored me,beta,{i}" for i in range(8)] + \
        ["c0,best thing ever!!,gamma,1"]
    posts = build_posts([source_from_bytes("\n".join(rows).encode(), "mix.csv")], ImportOptions()).posts
    report = build(ReportData(name="mix", frame=pipeline.listen(posts).frame), ["value"])
    blocks = report.sections[0].blocks
    [said] = [b.text for b in blocks if b.text.startswith("By brand")]
    assert "(brands with at least 5 posts)" in said
    table = [b.table for b in blocks if b.kind == "table" and "brand" in b.table.columns][0]
    assert table["brand"].tolist() == ["alpha", "beta"] and table["value rank"].tolist() == ["1", "2"]


def test_a_text_only_export_gets_a_value_section_that_claims_no_engagement_and_names_no_authors():
    """Review sentences with no counts and no authors (the VADER paper's Amazon snippets, 2026-12-06): the value
    section was headed "which posts really worked" above a note that it ranks only how posts read, and the
    methods said "author names appear as in the source" of a file without one. With likes alone the note said
    "This data has no engagement counts" above a ranking by likes."""
    from lib import pipeline

    texts = ["i love this camera.", "the battery died after a month.", "thanks!", "it does what it says.",
             "the manual is useless and support never answered.", "great sound, fair price."] * 5
    csv = "id,text\n" + "".join(f"{i},{t}\n" for i, t in enumerate(texts))
    posts = build_posts([source_from_bytes(csv.encode(), "reviews.csv")], ImportOptions()).posts
    data = ReportData(name="reviews", frame=pipeline.listen(posts).frame)
    report = build(data, ["value", "methods"])
    value, methods = report.sections
    assert value.title == "Value: how posts read (no count tells them apart)"
    texts_shown = [b.text for b in value.blocks]
    assert "Posts that read best (no count says which worked):" in texts_shown
    assert "Top posts by value:" not in texts_shown
    privacy = next(i for b in methods.blocks if b.kind == "bullets" for i in b.items if i.startswith("Privacy:"))
    assert "the data names no authors" in privacy and "author names appear" not in privacy

    # with authors and likes: the usual heading and the usual warning
    csv = "id,author,likes,text\n" + "".join(f"{i},user{i % 4},{i},{t}\n" for i, t in enumerate(texts))
    posts = build_posts([source_from_bytes(csv.encode(), "posts.csv")], ImportOptions()).posts
    data = ReportData(name="posts", frame=pipeline.listen(posts).frame)
    value, methods = build(data, ["value", "methods"]).sections
    assert value.title == "Value vs vanity: how posts read against their likes and views"
    notes = [b.text for b in value.blocks if b.kind == "note"]
    assert any(n.startswith("Beyond likes, views or impressions (the vanity ranking's), no count") for n in notes)
    assert "Top posts by vanity (likes, impressions):" in [b.text for b in value.blocks]
    privacy = next(i for b in methods.blocks if b.kind == "bullets" for i in b.items if i.startswith("Privacy:"))
    assert "author names appear as in the source" in privacy


def test_report_of_reviews_dated_by_month_says_months():
    """Park reviews dated "2016-1" (each on the 1st): the report raised an alert for every 1st against "a usual
    under 1 a day"; it now compares months, and says so."""
    def reviews(spike: bool) -> pd.DataFrame:
        rows = ["ID,Date,Review"]
        for m in range(36):
            for i in range(90 if m == 20 and spike else 20):
                text = "The queue was closed and the ride broken awful" if m == 20 and spike else "Lovely parade"
                rows.append(f'{m * 100 + i},{2016 + m // 12}-{m % 12 + 1},"{text} {i % 9}"')
        return build_posts([source_from_bytes("\n".join(rows).encode(), "reviews.csv")], ImportOptions()).posts

    text = to_html(build(ReportData("reviews", enrich(reviews(True)).frame), ["summary", "sentiment"]))
    assert "1 spike alert: months whose volume or negative share broke from the usual level of the months" in text
    assert "Sep 2017" in text and "posts in Sep 2017 vs a usual 20 a month" in text
    said = build(ReportData("reviews", enrich(reviews(False)).frame), ["summary"]).sections[0].blocks[0].items
    assert any(s.endswith("no month broke from the usual level.") for s in said)


def test_posts_that_read_best_are_shown_by_what_they_say(shared):
    """The real YouTube comments (no counts) listed "LoL", "Love" and "love" as the posts that read best, seven
    tied at value rank 1: a client is shown posts of a few words, and told the shorter ones are left out; a file
    of short posts only still lists them."""
    import glob

    from lib.topics.prepare import worded

    files = sorted(glob.glob(str(shared / "youtube_spam" / "Youtube0*.csv")))
    frame = enrich(build_posts(open_sources(files), ImportOptions()).posts).frame
    blocks = build(ReportData("yt", frame), ["value"]).sections[0].blocks
    [best] = [b.table for b in blocks if b.kind == "table"]
    assert len(best) == 8 and worded(best["text"]).all() and "LoL" not in set(best["text"])
    assert best["value rank"].astype(int).is_monotonic_increasing
    assert any(b.text.startswith("Posts of fewer than 5 words are left out") for b in blocks)
    short = frame[~worded(frame["text"])]
    blocks = build(ReportData("yt", short), ["value"]).sections[0].blocks
    assert len([b.table for b in blocks if b.kind == "table"][0]) == 8
    assert not any("fewer than 5 words" in (b.text or "") for b in blocks)


def test_the_alert_bullets_name_the_brands_above_their_usual_share(shared):
    """Sentiment140's real spike of 2 June: whose it is, beside what was compared."""
    path = shared / "sentiment140_test" / "testdata.manual.2009.06.14.csv"
    data = ReportData("s140", enrich(build_posts(open_sources([path]), ImportOptions()).posts).frame)
    blocks = build(data, ["sentiment"]).sections[0].blocks
    [compared] = [b.items for b in blocks if b.kind == "bullets" and b.text == "What each alert compared:"]
    assert compared[0].startswith("02 Jun 2009: 139 posts on Tue 02 Jun")
    assert "; brands above their usual share: time warner 20% (usually 2%); night at the museum 18%" in compared[0]
