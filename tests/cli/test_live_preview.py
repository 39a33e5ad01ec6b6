"""`reporter preview` in a real browser: headless Chromium (the system's), driven by Playwright.

The test starts `reporter preview` as a user would, opens its page, edits the report folder and
sees the page change within a second or two; a broken file shows its one-line error over the last
good pages; fixing it brings the pages back. Marked slow: it starts a browser and a process.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# What the machine's closed network needs (README, Tests): no background connections, no sandbox as root.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(CHROMIUM is None, reason="NOT RUN: no system Chromium (apt-get install chromium; .ci/run installs it)"),
]


@pytest.fixture
def preview_server(report_dir: Path, tmp_path: Path):
    """`reporter preview REPORT --port 0` in its own process; yields (url, process)."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen([sys.executable, "-m", "reporter", "preview", str(report_dir), "--port", "0",
                                "-o", str(tmp_path / "out")], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True, env=env, start_new_session=True)
    try:
        url = None
        deadline = time.monotonic() + 60
        while url is None and time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                break
            match = re.search(r"(http://127\.0\.0\.1:\d+/)", line)
            url = match.group(1) if match else None
        assert url, "reporter preview printed no address"
        yield url, process
    finally:
        os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def test_the_page_shows_the_pdf_and_follows_every_edit(preview_server, browser, report_dir):
    url, _ = preview_server
    page = browser.new_page()
    page.goto(url)
    page.wait_for_selector("body[data-version='1']", timeout=60_000)
    images = page.locator("main img")
    assert images.count() >= 1
    first = page.locator("main img").first
    first.wait_for()
    page.wait_for_function("document.querySelector('main img').naturalWidth > 0")
    before = first.screenshot()
    assert page.locator("#pdf").inner_text().endswith(".pdf")

    commentary = report_dir / "commentary.md"
    commentary.write_text(commentary.read_text().replace("dateline: October 3, 2011", "dateline: May 1, 2012"))
    edited = time.monotonic()
    page.wait_for_selector("body[data-version='2']", timeout=30_000)
    page.wait_for_function("document.querySelector('main img').complete && "
                           "document.querySelector('main img').naturalWidth > 0")
    took = time.monotonic() - edited
    after = page.locator("main img").first.screenshot()
    assert after != before, "the page did not change after the edit"
    # What changed is what the PDF says: the live page's PDF carries the new dateline.
    pdf = page.request.get(url + "document.pdf").body()
    from pypdf import PdfReader
    import io
    assert "MAY 1, 2012" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text().upper()
    assert took < 30

    figures = report_dir / "figures.csv"
    good = figures.read_text()
    figures.write_text(good.replace('"3,006"', '"3,0x6"'))
    page.wait_for_selector("#error", state="visible", timeout=30_000)
    message = page.locator("#error").inner_text()
    assert "figures.csv, row" in message and "3,0x6" in message
    assert page.locator("main img").count() >= 1  # the last good pages stay

    figures.write_text(good)
    page.wait_for_selector("#error", state="hidden", timeout=30_000)
    assert "build failed" not in page.locator("#status").inner_text()


def test_the_server_listens_on_loopback_only_and_serves_nothing_from_disk(preview_server):
    import urllib.error
    import urllib.request

    url, _ = preview_server
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        state = urllib.request.urlopen(url + "state").read()
        if b'"version": 1' in state:
            break
        time.sleep(0.2)
    for path in ("../report.yaml", "page/../../etc/passwd", "output/x.pdf", "page/0.png", "page/99.png"):
        with pytest.raises(urllib.error.HTTPError) as error:
            urllib.request.urlopen(url + path)
        assert error.value.code == 404
    assert url.startswith("http://127.0.0.1:")
