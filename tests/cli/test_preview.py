"""`reporter preview`: every change rebuilds the HTML and PDF, and says how long it took."""

from __future__ import annotations

import re
import threading
import time

from watchfiles import Change, watch

from helpers import pdf_pages
from reporter.cli.preview import preview


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


def _logo(text: str) -> str:
    return ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 50" width="300" height="50">'
            f'<text x="4" y="34" font-family="DejaVu Sans" font-size="24" fill="#123a5e">{text}</text></svg>')


def test_a_changed_svg_logo_shows_in_the_next_rebuild(report_dir, tmp_path):
    """The image cache is keyed by URL: an edited logo must not survive into the next rebuild."""
    from reporter.render.pdf import Renderer
    from reporter.cli.preview import rebuild

    logo = report_dir / "assets" / "almonty-wordmark.svg"
    logo.write_text(_logo("FIRSTMARK"))
    renderer = Renderer()
    first = rebuild(report_dir, template="investor-summary", theme_dir=None, output=tmp_path / "a",
                    renderer=renderer)
    assert first.error is None, first.error
    assert "FIRSTMARK" in pdf_pages(first.pdf)[0]

    logo.write_text(_logo("SECONDMARK"))
    second = rebuild(report_dir, template="investor-summary", theme_dir=None, output=tmp_path / "a",
                     renderer=renderer)
    assert second.error is None, second.error
    text = pdf_pages(second.pdf)[0]
    assert "SECONDMARK" in text and "FIRSTMARK" not in text
    # What the warm rebuild wrote is exactly what a fresh process writes.
    fresh = rebuild(report_dir, template="investor-summary", theme_dir=None, output=tmp_path / "b",
                    renderer=Renderer())
    assert second.pdf.read_bytes() == fresh.pdf.read_bytes()


def test_the_renderer_drops_its_caches_when_a_file_it_read_changes(tmp_path):
    """Images are cached by URL and fonts loaded once: a changed file starts both afresh."""
    from reporter.render.pdf import Renderer

    assets = tmp_path / "assets"
    assets.mkdir()
    renderer = Renderer()
    (assets / "a.svg").write_text(_logo("ONE"))
    html = f'<img src="{(assets / "a.svg").as_uri()}">'
    renderer.render(html, base_url=tmp_path, allowed_roots=[assets], source="test")
    assert set(renderer.served) == {(assets / "a.svg").resolve()}
    cache = renderer.cache
    assert cache  # the image is cached by URL
    assert renderer.forget_changed_files() == []
    (assets / "a.svg").write_text(_logo("TWO"))
    assert renderer.forget_changed_files() == [(assets / "a.svg").resolve()]
    assert renderer.cache == {} and renderer.served == {}
