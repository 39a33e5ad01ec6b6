"""The briefing's contents page lists the sections actually rendered, with their real pages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from helpers import contents_entries, pdf_pages

REORDERED = """{% extends "builtin:quarterly-briefing/report.html" %}
{% block charts %}{% endblock %}
{% block content %}
  {{ self.cover() }}
  {{ self.contents() }}
  <section class="commentary" id="commentary">
    <h2 class="section-title">Management commentary</h2>
    {{ self.discussion() }}
  </section>
  <div class="statement-page">{{ self.statement() }}</div>
  {{ self.charts() }}
  {{ self.about() }}
{% endblock %}
"""
CHARTS_EMPTIED = """{% extends "builtin:quarterly-briefing/report.html" %}
{% block charts %}{% endblock %}
"""


def first_page_with_heading(pages: list[str], title: str, after: int) -> int:
    for number, text in enumerate(pages, start=1):
        # A heading may carry its footnote mark ("Summary Financial Information1") or be set in
        # capitals (the briefing's "HIGHLIGHTS" label).
        wanted = (title.casefold(), (title + "1").casefold())
        if number >= after and any(line.strip().casefold() in wanted for line in text.splitlines()):
            return number
    raise AssertionError(f"heading {title!r} on no page")


def check_contents_match_pages(pages: list[str]) -> list[tuple[str, int]]:
    entries = contents_entries(pages)
    assert entries, "no contents entries"
    contents_page = next(n for n, text in enumerate(pages, start=1) if "Contents" in text.splitlines()[:3])
    # Each heading is looked for from the page of the entry before it: a chart's axis label may
    # repeat a section's name ("Operations") on an earlier page.
    after = contents_page
    for title, number in entries:
        after = first_page_with_heading(pages, title, after)
        assert after == number, (title, number)
    assert [n for _, n in entries] == sorted(n for _, n in entries)
    return entries


def build_with_override(cli, report_dir: Path, tmp_path: Path, template: str) -> list[str]:
    (report_dir / "templates").mkdir(exist_ok=True)
    (report_dir / "templates" / "report.html").write_text(template, encoding="utf-8")
    result = cli("build", report_dir, "-t", "quarterly-briefing", "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    return pdf_pages(Path(result.stdout.strip()))


def test_builtin_contents_match_the_pages(built_pdfs):
    entries = check_contents_match_pages(pdf_pages(built_pdfs["quarterly-briefing"]))
    assert [title for title, _ in entries][:2] == ["At a glance", "Highlights"]


def test_contents_follow_an_override_that_reorders_and_removes(cli, report_dir, tmp_path):
    pages = build_with_override(cli, report_dir, tmp_path, REORDERED)
    entries = check_contents_match_pages(pages)
    assert [title for title, _ in entries] == [
        "Management commentary", "Operations", "Exploration", "Summary Financial Information", "About Almonty"]


def test_emptied_charts_block_leaves_no_chart_entries(cli, report_dir, tmp_path):
    pages = build_with_override(cli, report_dir, tmp_path, CHARTS_EMPTIED)
    titles = [title for title, _ in check_contents_match_pages(pages)]
    assert "Results in charts" not in titles and not any(t.startswith("Earnings bridge") for t in titles)
    assert "Summary Financial Information" in titles and "About Almonty" in titles


STACKED = re.compile(r"</h[1-6]>\s*(?:<(?:section|div|header)\b[^>]*>\s*)*<h[1-6]\b")


@pytest.mark.parametrize("template", ["investor-summary", "quarterly-briefing", "press-release"])
def test_no_heading_stacked_on_a_heading(cli, tmp_path, template):
    """Between two headings there is always something to read (a heading may follow a section's end)."""
    result = cli("build", "-t", template, "-f", "html", "-o", tmp_path)
    assert result.exit_code == 0, result.output
    html = Path(result.stdout.strip()).read_text(encoding="utf-8")
    html = re.sub(r"<!--.*?-->", "", html, flags=re.S)
    stacked = [html[m.start() - 80:m.end() + 80] for m in STACKED.finditer(html)]
    assert stacked == [], stacked
