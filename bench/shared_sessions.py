"""Five people on one shared server at once: how long each waits for each page's results.

    .venv/bin/python bench/shared_sessions.py [--sessions 5] [--timeout 900]

A fresh `streamlit run` with LISTENING_LAB_SHARED=1 (every browser session its own private workspace) on a
temporary workspace folder, bound to 127.0.0.1. N sessions start together in one headless Chromium (one browser
context each, so nothing is shared but the server); each opens the Data page, clicks "Load this sample"
(ConnectSphere, 3,000 posts, and GamerFuel, 5,000 posts, in turn), which imports it and starts its background
analysis, then opens Listening, Foresight and Topics from the sidebar, as a person does. For each page: seconds
from the click on its link until its results are on screen (Listening: the sentiment metrics; Foresight: the
performance model's skill, and before it the page's first numbers; Topics: the topic metrics, computed in the
background). Foresight comes before Topics because its model is the cheap step that must not wait behind other
people's topic fits.

Bounded: everything stops after --timeout seconds (a page still waiting then reads "timeout"). Loopback only:
the browser's request hosts are recorded and printed. The machine's load during the run is printed beside the
table (cores busy on average, and how much of it was the server): figures on a machine shared with other work
are noisy. Needs Debian's chromium (/usr/bin/chromium) and Playwright (requirements-dev.txt).
"""
from __future__ import annotations

import argparse
import asyncio
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]
SAMPLES = [("ConnectSphere", 0), ("GamerFuel", 1)]  # the card's name and its "Load this sample" button's index
PAGES = [("Listening", "Net sentiment"), ("Foresight", "Skill"), ("Topics", "Posts in topics")]
"""Each page and the metric label that says its results are shown."""
FIRST_VIEW = "Foresight"
"""The page also timed to its first numbers of any kind (the data's own ranges while its model is fitted)."""


def _busy_jiffies() -> int:
    """CPU time the whole machine has spent busy (all cores, clock ticks), from /proc/stat."""
    user, nice, system, _idle, _iowait, irq, softirq, steal = map(int, Path("/proc/stat").read_text().split()[1:9])
    return user + nice + system + irq + softirq + steal


def _process_jiffies(pid: int) -> int:
    """CPU time of one process, all its threads (user + system, clock ticks), from /proc/<pid>/stat."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


async def _session(browser, url: str, k: int, deadline: float, hosts: set[str]) -> dict:
    """One person: load a sample, then open each page and wait for its results."""
    from playwright.async_api import TimeoutError as PlaywrightTimeout

    name, button = SAMPLES[k % len(SAMPLES)]
    row: dict = {"session": k + 1, "sample": name}
    ctx = await browser.new_context(viewport={"width": 1400, "height": 1100})
    page = await ctx.new_page()
    page.on("request", lambda r: hosts.add(r.url.split("/")[2]) if "://" in r.url else None)

    def left() -> float:
        return max(1.0, deadline - time.perf_counter()) * 1000

    async def settle() -> None:
        for _ in range(2):  # twice: a rerun can start right after the first run ends
            await page.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning]", timeout=left())
            await asyncio.sleep(0.3)

    try:
        await page.goto(f"{url}/data", timeout=left())
        await settle()
        t0 = time.perf_counter()
        await page.get_by_role("button", name="Load this sample").nth(button).click(timeout=left())
        await page.get_by_text("made it the active dataset").wait_for(timeout=left())
        row["loaded"] = time.perf_counter() - t0
        for title, label in PAGES:
            t = time.perf_counter()
            await page.locator("[data-testid=stSidebarNav] a", has_text=title).click(timeout=left())
            if title == FIRST_VIEW:
                await page.locator("h1", has_text=title).wait_for(timeout=left())
                await page.locator("[data-testid=stMetricLabel]").first.wait_for(timeout=left())
                row["first view"] = time.perf_counter() - t
            await page.locator("[data-testid=stMetricLabel]", has_text=label).first.wait_for(timeout=left())
            row[title] = time.perf_counter() - t
        row["all"] = time.perf_counter() - t0
    except PlaywrightTimeout:
        pass  # the cells not reached read "timeout"
    finally:
        await ctx.close()
    return row


async def _drive(url: str, n: int, deadline: float) -> tuple[list[dict], set[str]]:
    from playwright.async_api import async_playwright

    hosts: set[str] = set()
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
        try:
            rows = await asyncio.gather(*(_session(browser, url, k, deadline, hosts) for k in range(n)))
        finally:
            await browser.close()
    return list(rows), hosts


def _start_server(tmp: str) -> tuple[subprocess.Popen, str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "LISTENING_LAB_WORKSPACE": str(Path(tmp) / "ws.duckdb"), "LISTENING_LAB_SHARED": "1"}
    env.pop("LISTENING_LAB_AUTO", None)
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port",
                             str(port), "--server.address", "127.0.0.1", "--server.headless", "true"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    until = time.time() + 120
    while time.time() < until:
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                return proc, url
        except OSError:
            time.sleep(0.3)
    proc.terminate()
    raise RuntimeError("streamlit did not start within 120 s")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sessions", type=int, default=5)
    ap.add_argument("--timeout", type=float, default=900, help="seconds for the whole run, server start excluded")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        proc, url = _start_server(tmp)
        load_before = os.getloadavg()
        busy0, server0, t_run = _busy_jiffies(), _process_jiffies(proc.pid), time.perf_counter()
        try:
            rows, hosts = asyncio.run(_drive(url, args.sessions, time.perf_counter() + args.timeout))
            elapsed = time.perf_counter() - t_run
            busy, server = _busy_jiffies() - busy0, _process_jiffies(proc.pid) - server0
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
    tick = os.sysconf("SC_CLK_TCK")

    def cell(row: dict, key: str) -> str:
        return f"{row[key]:.1f}" if key in row else "timeout"

    print(f"| {args.sessions} sessions on one shared server | sample | loaded | Listening | {FIRST_VIEW}: first "
          f"numbers | {FIRST_VIEW} | Topics | all, after the load click |")
    print("|---|---|---|---|---|---|---|---|")
    for row in rows:
        print(f"| session {row['session']} | {row['sample']} | {cell(row, 'loaded')} | {cell(row, 'Listening')} | "
              f"{cell(row, 'first view')} | {cell(row, 'Foresight')} | {cell(row, 'Topics')} | {cell(row, 'all')} |")
    print("(seconds; each page's from the click on its link until its results: Listening the sentiment metrics, "
          "Foresight the model's skill, Topics the topic metrics)")
    print(f"\nmachine: {os.cpu_count()} cores; load average before {load_before[0]:.2f}, after "
          f"{os.getloadavg()[0]:.2f}; during the run {busy / tick / elapsed:.2f} cores busy on average, of which the "
          f"server {server / tick / elapsed:.2f} (the rest: the browser and anything else on the machine)")
    print("hosts the browser requested:", ", ".join(sorted(hosts)))


if __name__ == "__main__":
    main()
