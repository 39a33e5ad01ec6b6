"""The investor summary's two columns: where the split falls, and what a reader sees on the page."""

from __future__ import annotations

import pypdfium2 as pdfium
import pytest
from helpers import page_words
from reporter.build.document import build_report
from reporter.build.outputs import OutputFormat
from reporter.context.columns import html_lines, left_count, text_lines

LEFT_COUNT_CASES = [
    ([], 0),
    ([5.0], 1),
    ([5.0, 5.0], 1),                   # equal: the left takes the first
    ([2.0, 10.0], 1),                  # the long block goes right: 2 | 10 beats 12 | 0
    ([10.0, 2.0], 1),
    ([4.0, 4.0, 4.0, 4.0], 2),
    ([19.5, 7.05, 6.05, 13.05], 2),    # English Los Santos: left longer, within a line
    ([25.5, 8.05, 6.05, 15.05], 1),    # French Los Santos: one fewer is 4 lines shorter
    ([12.05, 11.5, 7.05, 7.05, 7.05], 2),
]


@pytest.mark.parametrize(("heights", "expected"), LEFT_COUNT_CASES)
def test_left_count(heights, expected):
    assert left_count(heights) == expected


def test_lines_of_text_and_html():
    assert text_lines("", 60) == 1
    assert text_lines("x" * 60, 60) == 1
    assert text_lines("x" * 61, 60) == 2
    one = html_lines("<p>" + "word " * 10 + "</p>")
    three = html_lines("<p>" + "word " * 10 + "</p><ul><li>a</li><li>b</li></ul>")
    assert three > one > 0
    assert html_lines("<p>a &amp; b</p>") == html_lines("<p>a & b</p>")


SECTION = "## {title} {{#{id}}}\n\n{body}\n\n"


def page_two_columns(pdf, titles: list[str]) -> dict[str, tuple[int, float]]:
    """(page, left edge) of each title's first word on the pages after the first."""
    found: dict[str, tuple[int, float]] = {}
    document = pdfium.PdfDocument(str(pdf))
    try:
        for number, page in enumerate(document):
            words = page_words(page)
            for title in titles:
                first = title.split()[0]
                hits = [w for w in words if w["text"] == first]
                if number and hits and title not in found:
                    found[title] = (number, hits[0]["boxes"][0][0])
    finally:
        document.close()
    return found


def test_sections_fill_the_left_column_then_the_right(report_dir, tmp_path):
    """Three short sections and a long one: the short ones share the left column, the long one
    and About the right, each column in reading order."""
    body = "The mill ran at its design rate through the quarter and recoveries held. " * 3
    long_body = "Development of the western ramp is ahead of plan and reaches the ore body soon. " * 14
    sections = [("Operations", "operations", body), ("Costs", "costs", body),
                ("Outlook", "outlook", long_body)]
    commentary = report_dir / "commentary.md"
    text = commentary.read_text(encoding="utf-8")
    head, rest = text.split("\n## ", 1)
    kept = "".join("\n## " + part for part in ("\n## " + rest).split("\n## ")[1:]
                   if part.split("{#")[-1].startswith(("about", "disclaimer")))
    commentary.write_text(head + "\n" + "".join(SECTION.format(title=t, id=i, body=b) for t, i, b in sections)
                          + kept, encoding="utf-8")
    pdf = build_report(report_dir, template="investor-summary", theme_dir=None, output=tmp_path / "x.pdf",
                       output_format=OutputFormat.pdf)
    where = page_two_columns(pdf, ["Highlights", "Operations", "Costs", "Outlook", "About"])
    assert set(where) == {"Highlights", "Operations", "Costs", "Outlook", "About"}, where
    middle = 306  # Letter: 612 pt wide
    assert [where[t][1] < middle for t in ("Highlights", "Operations", "Costs")] == [True] * 3, where
    assert [where[t][1] > middle for t in ("Outlook", "About")] == [True] * 2, where


def test_a_long_commentary_runs_on_to_the_next_page(report_dir, tmp_path):
    """Columns longer than the page go on to page three: no line is lost."""
    paragraph = " ".join(f"Sentence {n} of the long operations review, about the mill." for n in range(12))
    commentary = report_dir / "commentary.md"
    text = commentary.read_text(encoding="utf-8")
    marker = text.index("\n## ")
    sections = "".join(SECTION.format(title=f"Review {n}", id=f"review-{n}", body=paragraph) for n in range(8))
    commentary.write_text(text[:marker] + "\n" + sections + text[marker:], encoding="utf-8")
    pdf = build_report(report_dir, template="investor-summary", theme_dir=None, output=tmp_path / "x.pdf",
                       output_format=OutputFormat.pdf)
    document = pdfium.PdfDocument(str(pdf))
    try:
        text = "".join(page.get_textpage().get_text_range() for page in document)
        pages = len(document)
    finally:
        document.close()
    assert pages >= 3
    flat = " ".join(text.split())
    for n in range(8):
        assert f"Review {n}" in flat
    assert flat.count("Sentence 11 of the long operations review") == 8
