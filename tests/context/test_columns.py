"""The investor summary's two columns: where the split falls, and what a reader sees on the page."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pytest
from helpers import page_words
from reporter.build.document import build_report
from reporter.build.outputs import OutputFormat
from reporter.context.columns import columns_context, html_lines, left_count, text_lines

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
    table = "<table><tr><th>Tonnes</th><td>1</td></tr><tr><th>Grade</th><td>2</td></tr></table>"
    assert html_lines("<p>a</p>" + table) > html_lines("<p>a</p>")
    assert html_lines("<ul><li><p>loose item</p></li></ul>") == html_lines("<ul><li>loose item</li></ul>")


def blocks(*lines_each: int) -> dict:
    """A commentary context of discussion sections, each one paragraph of about so many lines."""
    return {"discussion": [{"id": f"s{n}", "title": f"S{n}", "html": "<p>" + "x" * 60 * lines + "</p>"}
                           for n, lines in enumerate(lines_each)], "about": None}


NO_EXTRAS = {"narrative": False, "about": False}


def test_short_text_is_split_in_two_columns():
    columns = columns_context([], NO_EXTRAS, blocks(4, 4, 4, 4))
    assert [[s["id"] for s in column["sections"]] for column in columns] == [["s0", "s1"], ["s2", "s3"]]


@pytest.mark.parametrize(("lines_each", "charts"), [((30, 30, 30, 30), 0), ((12, 12, 12), 1), ((10,), 0)])
def test_text_that_may_not_fit_the_page_or_one_block_stays_in_one_column(lines_each, charts):
    """One column, which the template flows through balanced CSS columns in reading order."""
    columns = columns_context([], NO_EXTRAS, blocks(*lines_each), charts=charts)
    assert len(columns) == 1
    assert [s["id"] for s in columns[0]["sections"]] == [f"s{n}" for n in range(len(lines_each))]


SECTION = "## {title} {{#{id}}}\n\n{body}\n\n"


def page_two_columns(pdf, titles: list[str]) -> dict[str, tuple[int, float, float]]:
    """(page, left edge, top) of each title on the pages after the first: its words in a row."""
    found: dict[str, tuple[int, float, float]] = {}
    document = pdfium.PdfDocument(str(pdf))
    try:
        for number, page in enumerate(document):
            words = page_words(page)
            for title in titles:
                parts = title.split()
                for index in range(len(words) - len(parts) + 1):
                    if [w["text"] for w in words[index:index + len(parts)]] == parts and number and title not in found:
                        box = words[index]["boxes"][0]
                        found[title] = (number, box[0], -box[3])
    finally:
        document.close()
    return found


def reading_order(where: dict[str, tuple[int, float, float]]) -> list[str]:
    """The titles as a reader meets them: page by page, the left column, then the right."""
    middle = 306  # Letter: 612 pt wide
    return sorted(where, key=lambda t: (where[t][0], where[t][1] > middle, where[t][2]))


def summary_with_sections(report_dir: Path, tmp_path: Path, sections: list[tuple[str, str, str]]) -> Path:
    """Build the investor summary with these (title, id, body) sections in place of the
    commentary's own, About and the disclaimer kept."""
    commentary = report_dir / "commentary.md"
    text = commentary.read_text(encoding="utf-8")
    head, rest = text.split("\n## ", 1)
    kept = "".join("\n## " + part for part in ("\n## " + rest).split("\n## ")[1:]
                   if part.split("{#")[-1].startswith(("about", "disclaimer")))
    commentary.write_text(head + "\n" + "".join(SECTION.format(title=t, id=i, body=b) for t, i, b in sections)
                          + kept, encoding="utf-8")
    return build_report(report_dir, template="investor-summary", theme_dir=None, output=tmp_path / "x.pdf",
                        output_format=OutputFormat.pdf)


def test_sections_fill_the_left_column_then_the_right(report_dir, tmp_path):
    """Three short sections and a long one: the short ones share the left column, the long one
    and About the right, each column in reading order."""
    body = "The mill ran at its design rate through the quarter and recoveries held. " * 3
    long_body = "Development of the western ramp is ahead of plan and reaches the ore body soon. " * 14
    sections = [("Operations", "operations", body), ("Costs", "costs", body),
                ("Outlook", "outlook", long_body)]
    pdf = summary_with_sections(report_dir, tmp_path, sections)
    where = page_two_columns(pdf, ["Highlights", "Operations", "Costs", "Outlook", "About Almonty"])
    assert set(where) == {"Highlights", "Operations", "Costs", "Outlook", "About Almonty"}, where
    middle = 306  # Letter: 612 pt wide
    assert [where[t][1] < middle for t in ("Highlights", "Operations", "Costs")] == [True] * 3, where
    assert [where[t][1] > middle for t in ("Outlook", "About Almonty")] == [True] * 2, where
    assert {page for page, *_ in where.values()} == {1}, where


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
    assert flat.count("Sentence 11 of the long operations review") == 8
    titles = [f"Review {n}" for n in range(8)] + ["Operations", "Exploration"]
    where = page_two_columns(pdf, titles)
    assert set(where) == set(titles), where
    assert reading_order(where) == titles, where
    assert {page for page, *_ in where.values()} == {1, 2}, where


@pytest.mark.parametrize("html", ['<p>Mine plan:</p>\n<p><img src="assets/plan.png" alt="Plan"></p>',
                                  "<p>The feed grades:</p>\n<code>Q1 1.9 g/t\nQ2 2.1 g/t\nQ3 2.0 g/t\n</code>"],
                         ids=["image", "code block"])
def test_a_block_the_estimate_cannot_weigh_keeps_one_column(html):
    """An image or a code block is not counted in lines: split on a guess, its column may run past
    page two and be read after the right column's start."""
    commentary = blocks(4, 4, 4, 4)
    commentary["discussion"][1]["html"] = html
    assert len(columns_context([], NO_EXTRAS, commentary)) == 1


def test_a_tall_image_in_a_section_keeps_the_reading_order(report_dir, tmp_path):
    """A wire-service style release with a map in its first section: every title in reading order."""
    from PIL import Image

    (report_dir / "assets").mkdir(exist_ok=True)
    Image.new("RGB", (600, 800), (40, 90, 160)).save(report_dir / "assets" / "plan.png")
    body = "Throughput at the Kestrel mill averaged 2,140 tonnes a day, 6% above plan. " * 3
    long_body = "Drilling at the north zone extended the vein 180 metres down dip this quarter. " * 14
    sections = [("Operations", "operations", body + "\n\n![Mine plan](assets/plan.png)"),
                ("Costs", "costs", body), ("Outlook", "outlook", long_body)]
    pdf = summary_with_sections(report_dir, tmp_path, sections)
    titles = ["Highlights", "Operations", "Costs", "Outlook", "About Almonty"]
    where = page_two_columns(pdf, titles)
    assert set(where) == set(titles), where
    assert reading_order(where) == titles, where
