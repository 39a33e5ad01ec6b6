"""`reporter preview`: every change rebuilds the HTML and PDF, and says how long it took."""

from __future__ import annotations

import re
import threading
import time

from watchfiles import Change, watch

from conftest import pdf_pages
from reporter.preview import preview


def test_each_change_rebuilds_and_reports_its_time(report_dir, tmp_path):
    out = tmp_path / "out"
    messages: list[str] = []
    commentary = report_dir / "commentary.md"

    def changes():
        commentary.write_text(commentary.read_text().replace("dateline: October 3, 2011", "dateline: October 4, 2011"))
        yield {(Change.modified, str(commentary))}
        figures = report_dir / "figures.csv"
        figures.write_text(figures.read_text().replace('"3,006"', '"3,0x6"'))
        yield {(Change.modified, str(figures))}
        yield {(Change.added, str(out / "ignored.pdf"))}  # our own output: no rebuild

    preview(report_dir, template="investor-summary", theme_dir=None, output=out,
            echo=messages.append, changes=changes())
    rebuilds = [m for m in messages if m.startswith("rebuilt ")]
    assert len(rebuilds) == 2, messages
    assert all(re.search(r" in \d+\.\d\d s$", m) for m in rebuilds)
    assert any(m.startswith("data error:") and "3,0x6" in m for m in messages), messages
    pdf = next(out.glob("*.pdf"))
    assert "OCTOBER 4, 2011" in pdf_pages(pdf)[0]  # the good rebuild stays in place
    assert next(out.glob("*.html")).read_text().count("October 4, 2011") >= 1


def test_preview_watches_real_file_changes(report_dir, tmp_path):
    out = tmp_path / "out"
    stop = threading.Event()
    messages: list[str] = []

    def run():
        preview(report_dir, template="investor-summary", theme_dir=None, output=out, echo=messages.append,
                changes=watch(report_dir, stop_event=stop, debounce=200, rust_timeout=200))

    thread = threading.Thread(target=run)
    thread.start()
    try:
        deadline = time.monotonic() + 30
        while not any(m.startswith("watching") for m in messages) and time.monotonic() < deadline:
            time.sleep(0.05)
        (report_dir / "commentary.md").write_text(
            (report_dir / "commentary.md").read_text().replace("dateline: October 3, 2011", "dateline: May 1, 2012"))
        while sum(m.startswith("rebuilt") for m in messages) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        stop.set()
        thread.join(timeout=30)
    assert sum(m.startswith("rebuilt") for m in messages) >= 2, messages
    assert "MAY 1, 2012" in pdf_pages(next(out.glob("*.pdf")))[0]
