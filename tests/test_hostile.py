"""Hostile input corpus (generated here): every file either loads, with every row kept or counted as
excluded, or is refused with exit 2 and one line; never a traceback. Runs the command line in-process
(import, then the sentiment step where there is text) and the app's upload path (lib.ingest.build)."""
import codecs
import gzip
import io
import json
import random
import zipfile

import pandas as pd
import pytest

from lib import cli
from lib.ingest.build import ImportOptions, build_posts, source_from_bytes
from lib.ingest.reading import InputError

ROWS = "id,text,date,likes\n"


def _rows(n, fmt="{i},post number {i} is fine,2024-03-{d:02d},{i}\n"):
    return "".join(fmt.format(i=i, d=1 + i % 28) for i in range(n))


def _xlsx(frame: pd.DataFrame) -> bytes:
    buf = io.BytesIO()
    frame.to_excel(buf, index=False)
    return buf.getvalue()


def _zip(name: str, data: bytes) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(name, data)
    return buf.getvalue()


rng = random.Random(7)
CASES = {
    # name: (file name, bytes)
    "empty file": ("e.csv", b""),
    "only whitespace": ("w.csv", b"   \n\n  \n"),
    "header only": ("h.csv", ROWS.encode()),
    "binary junk": ("junk.csv", bytes(rng.randrange(256) for _ in range(5000))),
    "NUL bytes in text": ("nul.csv", (ROWS + "1,hello\x00world,2024-03-01,3\n2,ok,2024-03-02,1\n").encode()),
    "zip renamed csv": ("z.csv", _zip("inner.csv", (ROWS + _rows(5)).encode())),
    "gzip renamed csv": ("g.csv", gzip.compress((ROWS + _rows(5)).encode())),
    "png renamed csv": ("p.csv", b"\x89PNG\r\n\x1a\n" + bytes(200)),
    "cp1252": ("c.csv", (ROWS + "1,caf\xe9 cr\xe8me \u2013 great,2024-03-01,2\n").encode("cp1252")),
    "mixed utf8 and latin1 lines": ("m.csv", (ROWS + "1,café,2024-03-01,1\n").encode() +
                                    "2,crème brûlée,2024-03-02,2\n".encode("latin-1")),
    "utf-16 le without BOM": ("u16.csv", (ROWS + _rows(20)).encode("utf-16-le")),
    "utf-16 with BOM": ("u16b.csv", codecs.BOM_UTF16_LE + (ROWS + _rows(20)).encode("utf-16-le")),
    "utf-8 BOM and semicolons": ("s.csv", codecs.BOM_UTF8 + (ROWS + _rows(10)).replace(",", ";").encode()),
    "ragged rows": ("r.csv", (ROWS + "1,a,2024-03-01,1\n2,b\n3,c,2024-03-03,3,extra,more\n"
                              "4,d,2024-03-04,4\n").encode()),
    "10k columns": ("wide.csv", (",".join(["text"] + [f"c{i}" for i in range(10_000)]) + "\n" +
                                 ",".join(["hello wide world"] + ["1"] * 10_000) + "\n").encode()),
    "a single 50 MB cell": ("big.csv", b"id,text\n1," + b"a" * 50_000_000 + b"\n2,short post\n"),
    "quoted newlines": ("q.csv", (ROWS + '1,"line one\nline two, with comma",2024-03-01,1\n2,"x ""quoted""",'
                                  "2024-03-02,2\n").encode()),
    "duplicate headers": ("d.csv", b"text,text,likes,likes\nfirst,second,1,2\nthird,fourth,3,4\n"),
    "all-null text": ("n.csv", (ROWS + "".join(f"{i},,2024-03-01,{i}\n" for i in range(10))).encode()),
    "mixed date formats": ("df.csv", (ROWS + "1,a,2024-03-01,1\n2,b,03/04/2024,1\n3,c,1709251200,1\n4,d,"
                                      "March 5 2024 10:00,1\n5,e,2024-03-06T10:00:00+02:00,1\n").encode()),
    "impossible dates": ("bad_dates.csv", (ROWS + "1,a,2024-02-30,1\n2,b,31/04/2024,1\n3,c,9999-99-99,1\n"
                                           "4,d,yesterday,1\n5,e,2024-03-01,1\n").encode()),
    "negative and non-numeric counts": ("cnt.csv", (ROWS + "1,a,2024-03-01,-5\n2,b,2024-03-02,lots\n3,c,2024-03-03,"
                                                    "1.2K\n4,d,2024-03-04,NaN\n5,e,2024-03-05,1e309\n").encode()),
    "duplicate ids": ("dup.csv", (ROWS + "1,a,2024-03-01,1\n1,a,2024-03-01,1\n1,different,2024-03-02,2\n").encode()),
    "emoji only": ("emo.csv", (ROWS + "1,😂😂😂,2024-03-01,1\n2,🔥🙌,2024-03-02,2\n3,👎,2024-03-03,0\n").encode()),
    "right to left": ("rtl.csv", (ROWS + "1,المنتج رائع جدا,2024-03-01,1\n2,זה מוצר גרוע,2024-03-02,2\n"
                                  "3,\u202eevil override\u202c,2024-03-03,3\n").encode()),
    "html, script and markdown": ("x.csv", (ROWS + '1,"<script>alert(1)</script>",2024-03-01,1\n2,"[click](http://'
                                            'evil) ![img](http://evil/x.png) **bold**",2024-03-02,1\n').encode()),
    "spreadsheet formulas": ("f.csv", (ROWS + '1,"=HYPERLINK(""http://x"",""y"")",2024-03-01,1\n2,+cmd|calc,'
                                       "2024-03-02,1\n3,@SUM(A1),2024-03-03,1\n4,-2+3,2024-03-04,1\n").encode()),
    "hostile column names": ("cols.csv", b"<b>text</b>,=cmd(),[x](http://e)\nhello,1,2\nworld,3,4\n"),
    "CR-only line endings": ("cr.csv", (ROWS + _rows(5)).replace("\n", "\r").encode()),
    "no text column at all": ("num.csv", b"likes,shares\n1,2\n3,4\n"),
    "invalid json": ("bad.json", b'[{"text": "a"}, {"text": '),
    "json that is a number": ("num.json", b"42"),
    "json nested objects": ("nest.json", json.dumps({"data": [{"text": "hi", "user": {"name": "a"}}]}).encode()),
    "json nested hundreds deep": ("deep.json", ('[{"text": "hi", "replies": ' + '[{"text": "re", "replies": ' * 300
                                                + "[]" + "}]" * 300 + "}]").encode()),
    "comments nested in posts, some unreadable": ("ig.csv", b'id,caption,ownerUsername,latestComments\n1,hello,acme,'
                                                            b'"[{bad json"\n2,hi,acme,"[{""text"": ""ok""}]"\n3,hey,'
                                                            b'acme,"[1,2]"\n'),
    "hostile comments nested in posts": ("ig.json", json.dumps([{"id": "1", "caption": "=cmd()", "latestComments": [
        {"id": "2", "text": '=HYPERLINK("http://x","y")', "ownerUsername": "<b>x</b>"},
        {"id": "3", "text": "<script>alert(1)</script> [x](http://evil)", "ownerUsername": "@SUM(A1)"}]}]).encode()),
    "corrupt xlsx": ("c.xlsx", b"PK\x03\x04" + bytes(300)),
    "csv named xlsx": ("csv.xlsx", (ROWS + _rows(3)).encode()),
    "real xlsx with hostile text": ("ok.xlsx", _xlsx(pd.DataFrame({"text": ["=1+1", "<script>x</script>", None],
                                                                     "likes": [1, -2, "x"]}))),
    "very long header": ("lh.csv", ("text," + "h" * 100_000 + "\nhello,1\n").encode()),
}


@pytest.mark.parametrize("case", list(CASES))
def test_hostile_file_loads_or_is_refused_cleanly(case, tmp_path, capsys):
    name, data = CASES[case]
    path = tmp_path / name
    path.write_bytes(data)
    out = tmp_path / "out"
    text_like = case not in ("a single 50 MB cell", "10k columns")
    steps = ["--steps", "sentiment"] if text_like else []
    rc = cli.main(["analyze", str(path), "--out", str(out), *steps])
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert rc in (0, 2), (rc, err)
    if rc == 2:
        lines = [line for line in err.strip().splitlines() if line.strip()]
        assert len(lines) == 1 and lines[0].startswith("error:"), err
        try:  # the app's upload path: a clear InputError or a result it can explain, nothing else
            result = build_posts([source_from_bytes(data, name)], ImportOptions())
        except InputError as exc:
            assert str(exc) and "Traceback" not in str(exc)
        else:
            assert result.report["rows_kept"] == 0 or "text" not in result.posts
        return
    doc = json.loads((out / "summary.json").read_text())["import"]
    posts = pd.read_csv(out / "posts.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert len(posts) == doc["rows_kept"]
    assert doc["rows_read"] == doc["rows_kept"] + sum(doc["excluded"].values()), doc  # every row accounted for
    for col in posts.columns:  # exported text can never run as a formula in a spreadsheet (numbers may be < 0)
        risky = posts[col].str.match(r"^[=+\-@\t\r]") & pd.to_numeric(posts[col], errors="coerce").isna()
        assert not risky.any(), (col, posts.loc[risky, col].head(3).tolist())


def test_the_corpus_is_big_enough():
    assert len(CASES) >= 30


def test_a_million_rows_import(tmp_path, capsys):
    path = tmp_path / "million.csv"
    with open(path, "w") as f:
        f.write(ROWS)
        for i in range(1_000_000):
            f.write(f"{i},post {i % 977} about snacks,2024-03-{1 + i % 28:02d},{i % 50}\n")
    rc = cli.main(["analyze", str(path), "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert rc == 0 and "Traceback" not in err, err
    doc = json.loads((tmp_path / "o" / "summary.json").read_text())["import"]
    assert doc["rows_read"] == doc["rows_kept"] == 1_000_000


def test_overlong_text_is_cut_for_analysis_and_kept_whole(tmp_path):
    from lib.ingest.fields import MAX_TEXT_CHARS

    data = b"id,text\n1," + b"word " * 20_000 + b"\n2,short post\n"
    result = build_posts([source_from_bytes(data, "long.csv")], ImportOptions())
    p = result.posts.set_index("post_id")
    assert len(p.at["1", "text"]) == MAX_TEXT_CHARS and len(p.at["1", "text_raw"]) == 100_000
    assert p.at["2", "text"] == "short post"
    assert any("cut to that length" in w for w in result.report["warnings"])


def test_xlsx_and_parquet_exports_keep_hostile_text_inert(tmp_path):
    import openpyxl

    from lib.report.export import to_parquet_bytes, to_xlsx_bytes

    frame = pd.DataFrame({"text": ['=HYPERLINK("http://x","y")', "<script>alert(1)</script>", "+1", "plain"],
                          "=cmd": [1, 2, 3, 4], "keywords": [["a", "b"], [], ["c"], ["d"]],
                          "created_at": pd.to_datetime(["2024-03-01 10:00"] * 4, utc=True)})
    path = tmp_path / "x.xlsx"
    path.write_bytes(to_xlsx_bytes(frame))
    ws = openpyxl.load_workbook(path).active
    cells = [c for row in ws.iter_rows() for c in row]
    assert all(c.data_type != "f" for c in cells)  # no formula cell anywhere
    values = [c.value for c in cells]
    assert "'=HYPERLINK(\"http://x\",\"y\")" in values and "'=cmd" in values and "'+1" in values
    assert "<script>alert(1)</script>" in values and "a, b" in values
    back = pd.read_parquet(io.BytesIO(to_parquet_bytes(frame)))
    assert back["text"].tolist() == frame["text"].tolist()  # Parquet keeps the text exactly as stored
    assert str(back["created_at"].dt.tz) == "UTC"
