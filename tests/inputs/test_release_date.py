"""The release date read from the dateline, and the PDF dates and outline that come from it."""

from __future__ import annotations

import datetime as dt

import pypdf
import pytest

from reporter.inputs.release_date import release_date

RELEASE_DATE_CASES = [
    (("October 3, 2011",), dt.date(2011, 10, 3)),
    (("TORONTO, October 3, 2011",), dt.date(2011, 10, 3)),
    (("Oct. 3, 2011",), dt.date(2011, 10, 3)),
    (("2011-10-03",), dt.date(2011, 10, 3)),
    (("3 octobre 2011", "fr_CA"), dt.date(2011, 10, 3)),
    (("1er mars 2012", "fr_CA"), dt.date(2012, 3, 1)),
    (("February 30, 2011",), None),
    (("early October",), None),
    (("TODO: release date, e.g. October 3, 2011",), None),
    ((None,), None),
]


@pytest.mark.parametrize("args, expected", RELEASE_DATE_CASES)
def test_release_date(args, expected):
    assert release_date(*args) == expected


def outline(reader: pypdf.PdfReader) -> list[tuple[int, str, int]]:
    """Return (level, title, page number) for every bookmark, in order."""
    entries = []

    def walk(items, level):
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                entries.append((level, item.title, reader.get_destination_page_number(item) + 1))
    walk(reader.outline, 1)
    return entries


@pytest.mark.parametrize("template", ["investor-summary", "quarterly-briefing", "press-release"])
def test_pdf_dates_are_the_release_date(built_pdfs, template):
    metadata = pypdf.PdfReader(built_pdfs[template]).metadata
    assert metadata["/CreationDate"] == "D:20111003"
    assert metadata["/ModDate"] == "D:20111003"


def test_no_dates_without_a_release_date(cli, report_dir, tmp_path):
    commentary = report_dir / "commentary.md"
    commentary.write_text(commentary.read_text(encoding="utf-8").replace(
        "dateline: October 3, 2011", "dateline: early October"), encoding="utf-8")
    result = cli("build", report_dir, "-o", tmp_path)
    assert result.exit_code == 0, result.output
    metadata = pypdf.PdfReader(next(tmp_path.glob("*.pdf"))).metadata
    assert "/CreationDate" not in metadata and "/ModDate" not in metadata


@pytest.mark.parametrize("template", ["investor-summary", "quarterly-briefing", "press-release"])
def test_bookmarks_panel_opens_with_short_labels(built_pdfs, template):
    reader = pypdf.PdfReader(built_pdfs[template])
    assert reader.trailer["/Root"]["/PageMode"] == "/UseOutlines"
    entries = outline(reader)
    assert entries[0][1] == ("Cover" if template == "quarterly-briefing" else "Q3 2011 results")
    # No bookmark carries the forty-word headline.
    assert max(len(title) for _, title, _ in entries) <= 50, entries


def test_briefing_outline_lists_cover_contents_and_at_a_glance_first(built_pdfs):
    entries = outline(pypdf.PdfReader(built_pdfs["quarterly-briefing"]))
    assert entries[:4] == [(1, "Cover", 1), (1, "Contents", 2), (1, "At a glance", 2), (1, "Highlights", 3)]
