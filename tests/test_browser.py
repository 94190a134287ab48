"""The main flow in a real browser: upload a CSV through the file uploader, confirm the mapping, save,
see the Overview numbers; restart the server and find the dataset again.

Drives Debian's chromium (/usr/bin/chromium) with Playwright. Skipped where chromium is missing,
unless REQUIRE_BROWSER=1 (as in CI), where a missing browser is a failure.
"""
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from lib.store.workspace import Workspace
from tests.conftest import ROOT

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]

if not (Path(CHROMIUM).exists() and shutil.which("chromium")):
    if os.environ.get("REQUIRE_BROWSER") == "1":
        raise RuntimeError("REQUIRE_BROWSER=1 but /usr/bin/chromium is missing (apt-get install chromium)")
    pytest.skip("Debian chromium is not installed", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, workspace: Path) -> None:
        self.port = _free_port()
        env = {**os.environ, "LISTENING_LAB_WORKSPACE": str(workspace)}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port", str(self.port),
             "--server.address", "127.0.0.1", "--server.headless", "true"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 90
        while time.time() < deadline:
            try:
                if urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2).read() == b"ok":
                    return
            except OSError:
                time.sleep(0.5)
        self.stop()
        raise RuntimeError("streamlit did not start")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def _settle(page) -> None:
    """Wait until the script run is over (Streamlit marks it on the app root)."""
    page.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning]", timeout=120_000)
    time.sleep(0.5)
    page.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning]", timeout=120_000)


def _open_data_page(page, server: Server) -> None:
    page.goto(f"{server.url}/data")
    page.get_by_role("heading", name="Data").wait_for(timeout=60_000)
    _settle(page)


def _upload(page, files) -> None:
    """Files through the real uploader, until the validation report is drawn."""
    page.locator("input[type=file]").first.set_input_files(files)
    page.get_by_text("Rows read").wait_for(timeout=60_000)
    _settle(page)


def _save_dataset(page) -> None:
    page.get_by_role("button", name="Save dataset").click()
    page.get_by_text("and made it the active dataset").wait_for(timeout=60_000)
    _settle(page)


def _metrics(page) -> dict[str, str]:
    labels = page.locator("[data-testid=stMetricLabel]").all_inner_texts()
    values = page.locator("[data-testid=stMetricValue]").all_inner_texts()
    return {lab.strip(): val.strip() for lab, val in zip(labels, values)}


CSV_ROWS = 40


def _export(tmp_path: Path) -> Path:
    lines = ["id;date;network;user_name;followers_count;content;like_count;reply_count"]
    for i in range(CSV_ROWS + 1):
        day = 1 + i % 28
        text = "" if i == CSV_ROWS else f"Post {i}: the new flavour is {'great' if i % 3 else 'awful'}"
        lines.append(f"{i};{day:02d}/03/2026 1{i % 10}:00;{'Twitter' if i % 2 else 'TikTok'};user{i % 7};"
                     f"{100 * i};{text};{i}K;{i % 4}")
    p = tmp_path / "my_export.csv"
    p.write_text("\n".join(lines) + "\n", encoding="cp1252")
    return p


@pytest.fixture
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()


def test_upload_confirm_overview_and_restart(tmp_path, browser):
    workspace = tmp_path / "ws.duckdb"
    server = Server(workspace)
    try:
        page = browser.new_page(viewport={"width": 1400, "height": 1100})
        # a fresh server's first visitor opens a page URL directly: it must still get the app shell
        _open_data_page(page, server)
        sidebar = page.locator("[data-testid=stSidebar]")
        assert sidebar.get_by_text("Listening Lab").is_visible() and sidebar.get_by_text("Your data").is_visible()
        _upload(page, str(_export(tmp_path)))
        assert page.get_by_text("3. Validation report").is_visible()
        m = _metrics(page)
        assert m["Rows read"] == str(CSV_ROWS + 1) and m["Posts kept"] == str(CSV_ROWS) and m["Rows excluded"] == "1"
        assert page.get_by_text("recognised as").first.is_visible()
        _save_dataset(page)
        page.get_by_role("link", name="Overview").first.click()
        page.get_by_role("heading", name="Overview").wait_for(timeout=60_000)
        _settle(page)
        m = _metrics(page)
        assert m["Posts"] == str(CSV_ROWS)
        assert m["Authors"] == "7" and m["Platforms"] == "2" and m["Days covered"] == "28"
        assert page.locator("[data-testid=stSidebar]").get_by_text("Active dataset").is_visible()
        assert page.locator("[data-testid=stVegaLiteChart], .vega-embed").count() >= 1
    finally:
        server.stop()

    server = Server(workspace)  # a restart keeps every dataset
    try:
        page = browser.new_page(viewport={"width": 1400, "height": 1100})
        page.goto(server.url)
        _settle(page)
        page.get_by_role("heading", name="Overview").wait_for(timeout=60_000)  # the landing page
        assert _metrics(page)["Posts"] == str(CSV_ROWS)
        assert page.get_by_text("Dataset: my_export").first.is_visible()
    finally:
        server.stop()


def test_files_of_two_platforms_uploaded_together_keep_their_own(tmp_path, browser, shared):
    """Real YouTube comments and Sentiment140 tweets in one upload: the single "platform for files without a
    platform column" choice defaulted to the first file's (X) and made every YouTube comment a tweet."""
    workspace = tmp_path / "ws.duckdb"
    files = [str(shared / "youtube_spam" / "Youtube01-Psy.csv"),
             str(shared / "sentiment140_test" / "testdata.manual.2009.06.14.csv")]
    server = Server(workspace)
    try:
        page = browser.new_page(viewport={"width": 1400, "height": 1100})
        _open_data_page(page, server)
        _upload(page, files)
        box = page.locator("[data-testid=stSelectbox]").filter(has_text="Platform for files")
        assert box.locator("input").input_value() == "as detected for each file (x, youtube)"
        _save_dataset(page)
    finally:
        server.stop()
    with Workspace(str(workspace)) as ws:
        posts = ws.load_posts(ws.list_datasets()["id"][0])
    got = posts.groupby("source_file")["platform"].agg(lambda s: set(s.dropna()))
    assert got["Youtube01-Psy.csv"] == {"youtube"} and got["testdata.manual.2009.06.14.csv"] == {"x"}


def test_a_listening_tools_per_platform_likes_arrive_added_up_through_the_data_page(tmp_path, browser):
    """The column check shows a count read from several columns (Brandwatch's "Twitter Likes", "Facebook Likes",
    ...) as one field listing them, and saving keeps the sum: a single-choice box dropped it."""
    from tests.test_mapping import brandwatch_csv

    export = tmp_path / "brandwatch.csv"
    export.write_bytes(brandwatch_csv())
    workspace = tmp_path / "ws.duckdb"
    server = Server(workspace)
    try:
        page = browser.new_page(viewport={"width": 1400, "height": 1100})
        _open_data_page(page, server)
        _upload(page, str(export))
        likes = page.locator("[data-testid=stMultiSelect]").filter(has_text="Twitter Likes")
        assert likes.count() >= 1 and likes.first.get_by_text("Facebook Likes").is_visible()
        _save_dataset(page)
    finally:
        server.stop()
    with Workspace(str(workspace)) as ws:
        posts = ws.load_posts(ws.list_datasets()["id"][0])
    assert posts["likes"].iloc[:3].tolist() == [3, 25, 140] and posts["comments"].iloc[:3].tolist() == [1, 4, 7]


def test_one_export_per_competitor_and_an_x_archive_become_brands_through_the_data_page(tmp_path, browser):
    """Three files without a brand column, one per competitor, one of them X's archive (tweets.js, which the
    uploader refused): ticking "Each file is one brand" names each file's posts after it."""
    import json

    rows = "id,date,user,text\n" + "".join(f"{i},2026-03-0{1 + i % 5} 10:00,u{i},post {i} about running\n"
                                           for i in range(6))
    (tmp_path / "nike.csv").write_text(rows)
    (tmp_path / "adidas.csv").write_text(rows.replace("running", "boots"))
    tweets = [{"tweet": {"id_str": str(10 + i), "full_text": f"my own tweet {i}", "favorite_count": str(i),
                         "retweet_count": "0", "created_at": "Wed Oct 10 20:19:24 +0000 2018",
                         "display_text_range": ["0", "14"]}} for i in range(3)]
    (tmp_path / "tweets.js").write_text("window.YTD.tweets.part0 = " + json.dumps(tweets))
    workspace = tmp_path / "ws.duckdb"
    server = Server(workspace)
    try:
        page = browser.new_page(viewport={"width": 1400, "height": 1100})
        _open_data_page(page, server)
        _upload(page, [str(tmp_path / n) for n in ("nike.csv", "adidas.csv", "tweets.js")])
        page.get_by_text("Each file is one brand, named after the file").click()
        _settle(page)
        _save_dataset(page)
    finally:
        server.stop()
    with Workspace(str(workspace)) as ws:
        posts = ws.load_posts(ws.list_datasets()["id"][0])
    assert posts.groupby("brand").size().to_dict() == {"adidas": 6, "nike": 6, "tweets": 3}
    assert set(posts.loc[posts["brand"] == "tweets", "platform"]) == {"x"}


def test_a_care_dumps_brand_replies_are_set_aside_and_can_be_kept_through_the_data_page(tmp_path, browser):
    """The companies' answers in a customer-care dump are excluded rows in the validation report, and the box
    beside them keeps them: the saved dataset then holds them, marked as the brands' own."""
    from tests.conftest import CARE

    (tmp_path / "twcs.csv").write_text(CARE)
    workspace = tmp_path / "ws.duckdb"
    server = Server(workspace)
    try:
        page = browser.new_page(viewport={"width": 1400, "height": 1100})
        _open_data_page(page, server)
        _upload(page, str(tmp_path / "twcs.csv"))
        page.get_by_text("Excluded: 2 × a brand's own reply").wait_for(timeout=30_000)
        page.get_by_text("Keep the brands' own replies among the posts").click()
        _settle(page)
        page.get_by_text("Kept 2 replies by the brands' own accounts").first.wait_for(timeout=30_000)
        _save_dataset(page)
    finally:
        server.stop()
    with Workspace(str(workspace)) as ws:
        posts = ws.load_posts(ws.list_datasets()["id"][0])
    assert len(posts) == 8 and int(posts["by_brand"].sum()) == 3  # two replies and one top-level post


def test_topics_fit_map_selection_and_rename(tmp_path, browser):
    """Fit topics in the browser, select posts on the document map, rename a topic in the editor."""
    workspace = tmp_path / "ws.duckdb"
    subprocess.run([sys.executable, "-m", "lib", "samples", "--workspace", str(workspace)], cwd=ROOT, check=True,
                   capture_output=True, timeout=300)
    server = Server(workspace)
    try:
        page = browser.new_page(viewport={"width": 1400, "height": 1200})
        page.goto(f"{server.url}/topics")
        page.get_by_role("heading", name="Topics").wait_for(timeout=60_000)
        _settle(page)
        page.get_by_role("button", name="Find topics").click()
        page.get_by_text("Posts in topics").wait_for(timeout=240_000)
        _settle(page)
        n_topics = int(_metrics(page)["Topics"])
        assert n_topics >= 5

        page.get_by_role("tab", name="Maps").click()
        _settle(page)
        chart = page.locator("[role=tabpanel]:visible [data-testid=stVegaLiteChart]").nth(1)  # the document map
        chart.scroll_into_view_if_needed()
        box = chart.bounding_box()
        page.mouse.move(box["x"] + box["width"] * 0.15, box["y"] + box["height"] * 0.1)
        page.mouse.down()
        page.mouse.move(box["x"] + box["width"] * 0.6, box["y"] + box["height"] * 0.8, steps=12)
        page.mouse.up()
        page.get_by_text("posts selected").wait_for(timeout=60_000)
        _settle(page)

        page.get_by_role("tab", name="Edit topics").click()
        _settle(page)
        grid = page.locator("[role=tabpanel]:visible [data-testid=stDataFrame]").first
        grid.scroll_into_view_if_needed()
        g = grid.bounding_box()
        page.mouse.click(g["x"] + 120, g["y"] + 35 + 17)  # first row, 'name' column
        time.sleep(0.5)
        page.keyboard.press("Enter")  # open the cell editor
        time.sleep(0.7)
        page.keyboard.press("Control+A")
        page.keyboard.type("Renamed in the browser", delay=20)
        page.keyboard.press("Enter")
        time.sleep(1)
        _settle(page)
        page.get_by_role("button", name="Save edits").click()
        time.sleep(1)
        _settle(page)
        page.get_by_role("tab", name="Keywords").click()
        _settle(page)
        # the new name is a chip of the topic picker, or one of its options once the list is open
        page.screenshot(path=str(tmp_path / "after_save.png"), full_page=True)
        page.locator("[role=tabpanel]:visible [data-testid=stMultiSelect]").first.click()
        time.sleep(1)
        assert page.get_by_text("Renamed in the browser").count() >= 1
        page.keyboard.press("Escape")
        # split the largest topic in two: one topic more, and the name given to another topic stays
        page.get_by_role("tab", name="Edit topics").click()
        _settle(page)
        page.get_by_role("spinbutton", name="Parts (0 = automatic)").fill("2")
        page.keyboard.press("Enter")
        _settle(page)
        page.get_by_role("button", name="Split", exact=True).click()
        page.get_by_text("is now 2 topics").wait_for(timeout=120_000)
        _settle(page)
        assert int(_metrics(page)["Topics"]) == n_topics + 1
    finally:
        server.stop()
    from lib.store.workspace import Workspace
    from lib.topics.result import TopicResult

    with Workspace(workspace) as ws:
        ds_id = ws.get_setting("active_dataset")
        [split] = ws.load_result(ds_id, TopicResult).metrics["splits"]
        edits = ws.topic_edits(ds_id)
    assert len(split["into"]) == 2
    # the first row renamed is topic 0 (the grid lists topics by number): its name stays unless it was split
    assert edits["label"].tolist() == ([] if split["topic"] == 0 else ["Renamed in the browser"])


def test_audience_segments_map_selection_and_persona_rename(tmp_path, browser):
    """Find segments in the browser, select authors on the map, rename a persona in the editor."""
    from lib.store.workspace import Workspace

    workspace = tmp_path / "ws.duckdb"
    subprocess.run([sys.executable, "-m", "lib", "samples", "--workspace", str(workspace)], cwd=ROOT, check=True,
                   capture_output=True, timeout=300)
    with Workspace(workspace) as ws:  # the ConnectSphere scenario, whose segments are planted
        d = ws.list_datasets()
        ws.set_setting("active_dataset", d.loc[d["name"].str.startswith("ConnectSphere"), "id"].iloc[0])
    server = Server(workspace)
    try:
        page = browser.new_page(viewport={"width": 1400, "height": 1200})
        page.goto(f"{server.url}/audience")
        page.get_by_role("heading", name="Audience").wait_for(timeout=60_000)
        _settle(page)
        page.get_by_role("button", name="Find segments").click()
        page.get_by_text("Separation", exact=True).wait_for(timeout=240_000)
        _settle(page)
        m = _metrics(page)
        assert m["Authors"] == "408" and int(m["Segments"]) >= 3
        assert page.get_by_text("Power advocates").count() >= 1  # a persona card

        page.get_by_role("tab", name="Map").click()
        _settle(page)
        chart = page.locator("[role=tabpanel]:visible [data-testid=stVegaLiteChart]").first
        chart.scroll_into_view_if_needed()
        box = chart.bounding_box()
        page.mouse.move(box["x"] + box["width"] * 0.02, box["y"] + box["height"] * 0.02)
        page.mouse.down()
        page.mouse.move(box["x"] + box["width"] * 0.75, box["y"] + box["height"] * 0.97, steps=12)
        page.mouse.up()
        page.get_by_text("authors selected").wait_for(timeout=60_000)
        _settle(page)
        assert page.get_by_text("posts", exact=False).count() >= 1

        page.get_by_role("tab", name="Edit names").click()
        _settle(page)
        grid = page.locator("[role=tabpanel]:visible [data-testid=stDataFrame]").first
        grid.scroll_into_view_if_needed()
        g = grid.bounding_box()
        page.mouse.click(g["x"] + 30, g["y"] + 35 + 17)  # first row, 'segment' column (read-only)
        time.sleep(0.5)
        page.keyboard.press("ArrowRight")
        page.keyboard.press("ArrowRight")  # -> 'name'
        page.keyboard.press("Enter")
        time.sleep(0.7)
        page.keyboard.press("Control+A")
        page.keyboard.type("Renamed segment", delay=20)
        page.keyboard.press("Enter")
        time.sleep(1)
        _settle(page)
        page.get_by_role("button", name="Save names").click()
        time.sleep(1)
        _settle(page)
        page.get_by_role("tab", name="Personas").click()
        _settle(page)
        page.screenshot(path=str(tmp_path / "after_rename.png"), full_page=True)
        assert page.locator("[role=tabpanel]:visible").get_by_text("Renamed segment").count() >= 1
    finally:
        server.stop()
    with Workspace(workspace) as ws:  # saved with the dataset (the server holds the file while it runs)
        assert ws.persona_edits(ws.get_setting("active_dataset"))["name"].tolist() == ["Renamed segment"]


def test_foresight_what_if_in_the_browser(tmp_path, browser):
    """Paste a draft, press Predict, get a band, what pushes it, and similar past posts."""
    workspace = tmp_path / "ws.duckdb"
    subprocess.run([sys.executable, "-m", "lib", "samples", "--workspace", str(workspace)], cwd=ROOT, check=True,
                   capture_output=True, timeout=300)
    server = Server(workspace)
    try:
        page = browser.new_page(viewport={"width": 1400, "height": 1200})
        page.goto(f"{server.url}/foresight")
        page.get_by_text("Baseline error (MAE)").wait_for(timeout=240_000)
        _settle(page)
        page.get_by_role("tab", name="Draft what-if").click()
        _settle(page)
        page.get_by_label("Draft post").fill("Loving the new networking suggestions! <b>Great</b> launch =1+1")
        page.get_by_role("button", name="Predict").click()
        page.get_by_text("Likely range (10–90 %)").wait_for(timeout=120_000)
        _settle(page)
        m = _metrics(page)
        predicted = m["Expected engagement rate"]  # the sample has reach: the answer is a rate, in percent
        low, high = (float(x.strip().rstrip("%")) for x in m["Likely range (10–90 %)"].split("–"))
        assert low <= float(predicted.rstrip("%")) <= high
        assert page.get_by_text("The most similar past posts and how they really did").count() == 1
        page.screenshot(path=str(tmp_path / "what_if.png"), full_page=True)
    finally:
        server.stop()


def test_workshop_step_then_report_download(tmp_path, browser):
    """A student walks one exercise step (hint, answer, save, compare, open the filtered page); then the
    report is built and both files are downloaded; the PDF's first page renders to a real image."""
    import pypdfium2 as pdfium

    workspace = tmp_path / "ws.duckdb"
    subprocess.run([sys.executable, "-m", "lib", "samples", "--workspace", str(workspace)], cwd=ROOT, check=True,
                   capture_output=True, timeout=300)
    server = Server(workspace)
    try:
        page = browser.new_page(viewport={"width": 1400, "height": 1200}, accept_downloads=True)
        page.goto(f"{server.url}/workshop")
        _settle(page)
        page.locator("[data-testid=stButtonGroup] button", has_text="GamerFuel").click()
        _settle(page)
        page.get_by_role("button", name="Use the sample").click()  # ConnectSphere was the active dataset
        _settle(page)
        page.get_by_text("Show a hint").click()
        page.get_by_text("The shaded window in the Spike alerts chart").wait_for(timeout=60_000)
        page.get_by_label("Your answer").fill("The alert fired on 8 Sep: =1+1 <script>alert(1)</script>")
        page.get_by_role("button", name="Save answer").click()
        page.get_by_text("Answer saved in the workspace.").wait_for(timeout=60_000)
        _settle(page)
        page.get_by_text("Compare with what the data says").click()
        page.get_by_text("The alert fires on Tue 08 Sep").wait_for(timeout=60_000)
        page.get_by_role("button", name="Open Listening (GamerFuel)").click()
        page.wait_for_url("**/listening", timeout=60_000)
        _settle(page)
        assert page.locator("[data-testid=stMultiSelect]", has_text="Brand").inner_text().count("GamerFuel") == 1
        # on the tab the step is about, computed: the alert's window is listed
        assert page.get_by_role("tab", name="Spike alerts").get_attribute("aria-selected") == "true"
        page.locator("[data-testid=stExpander]", has_text="posts (about").first.wait_for(timeout=60_000)
        page.goto(f"{server.url}/report")
        _settle(page)
        page.get_by_role("button", name="Build report").click()
        page.get_by_text("Ready:").wait_for(timeout=180_000)
        _settle(page)
        with page.expect_download() as got:
            page.get_by_role("button", name="Download PDF report").click()
        pdf = tmp_path / "report.pdf"
        got.value.save_as(pdf)
        with page.expect_download() as got:
            page.get_by_role("button", name="Download HTML report").click()
        html = tmp_path / "report.html"
        got.value.save_as(html)
    finally:
        server.stop()
    text = html.read_text(encoding="utf-8")
    assert "GamerFuel: aftertaste crisis" in text and 'id="sentiment"' in text
    doc = pdfium.PdfDocument(str(pdf))
    assert len(doc) >= 3
    first = doc[0].render(scale=1).to_pil().convert("L")
    doc.close()
    first.save(tmp_path / "report-page-1.png")
    assert first.size[0] > 500 and sum(first.histogram()[:128]) > 2_000  # dark text on the page
    with Workspace(workspace) as ws:
        assert ws.answers("gamerfuel")["crisis"].startswith("The alert fired on 8 Sep")


def test_a_walk_of_every_page_requests_nothing_but_the_app(tmp_path, browser):
    """Nothing leaves the machine: every request the browser makes on a walk through every page (icons, fonts,
    scripts, the tab icon) goes to the app's own server."""
    from lib.ingest.samples import import_sample

    with Workspace(tmp_path / "ws.duckdb") as ws:
        import_sample(ws, "gamerfuel")
    server = Server(tmp_path / "ws.duckdb")
    try:
        page = browser.new_page(viewport={"width": 1400, "height": 1100})
        requested: list[str] = []
        page.on("request", lambda r: requested.append(r.url))
        for path in ("", "data", "listening", "topics", "audience", "kpi_lab", "foresight", "report", "workshop"):
            page.goto(f"{server.url}/{path}")
            _settle(page)
            assert page.locator("[data-testid=stException]").count() == 0, path
        hosts = {u.split("/")[2] for u in requested if u.startswith(("http://", "https://", "ws://", "wss://"))}
        assert hosts == {f"127.0.0.1:{server.port}"}, hosts
        assert len(requested) > 20  # the walk really loaded the pages
    finally:
        server.stop()
