"""Fixed grids (key figure panels, contacts, masthead) as a reader sees them: equal columns, the
gutters base.css asks for, the outer ones flush with the page's text."""

from __future__ import annotations

import pypdfium2 as pdfium
import pytest
from helpers import page_words

MM = 72 / 25.4
PAGE_WIDTH = 612  # Letter
MARGIN = 18 * MM  # the built-in themes' left and right page margins
CONTENT = PAGE_WIDTH - 2 * MARGIN


@pytest.fixture(scope="module")
def summary_words(built_pdfs):
    document = pdfium.PdfDocument(str(built_pdfs["investor-summary"]))
    try:
        return [page_words(page) for page in document]
    finally:
        document.close()


def lefts(words, text: str) -> list[float]:
    return sorted(w["boxes"][0][0] for w in words if w["text"] == text)


def test_key_figure_panels_are_equal_and_4mm_apart(summary_words):
    """Each panel's unit line ("CAD thousands · Q3 2011") starts 3.5 mm inside its panel."""
    starts = lefts(summary_words[0], "CAD")
    assert len(starts) == 3, starts
    pitch = (CONTENT + 4 * MM) / 3  # three panels and two 4 mm gutters across the text width
    for index, start in enumerate(starts):
        assert start == pytest.approx(MARGIN + 3.5 * MM + index * pitch, abs=1.0), starts


def document_words(path) -> list[list[dict]]:
    document = pdfium.PdfDocument(str(path))
    try:
        return [page_words(page) for page in document]
    finally:
        document.close()


@pytest.mark.parametrize("template", ["investor-summary", "quarterly-briefing", "press-release"])
def test_contacts_are_two_equal_columns_8mm_apart(built_pdfs, template):
    """In every built-in the first contact starts at the text's left edge (a briefing rule once
    shifted the grid a second time, 8 mm into the margin), the second one column and a gutter on."""
    pages = [words for words in document_words(built_pdfs[template])
             if any(w["text"] == "Dennis" for w in words)]
    assert pages
    words = pages[-1]
    # The section's heading marks the text's left edge (the briefing's margins are not the summary's).
    heading = next(w for i, w in enumerate(words) if w["text"] == "For" and words[i + 1]["text"] == "further")
    left = heading["boxes"][0][0]
    names = [w for w in words if w["text"] in ("Lewis", "Dennis")]
    row = [w["bottom"] for w in names if w["text"] == "Dennis"]  # the contacts' row, not the quote's
    assert len(row) == 1, names
    starts = sorted(w["boxes"][0][0] for w in names if abs(w["bottom"] - row[0]) < 1)
    assert starts[0] == pytest.approx(left, abs=1.0) or template == "press-release", starts
    if template != "press-release":  # the press release lists its contacts one under the other
        assert len(starts) == 2, starts
        assert starts[1] == pytest.approx(left + (PAGE_WIDTH - 2 * left + 8 * MM) / 2, abs=1.0)
    else:
        lewis = [w for w in names if w["text"] == "Lewis" and abs(w["bottom"] - row[0]) > 1]
        assert lewis and lewis[-1]["boxes"][0][0] == pytest.approx(left, abs=1.0)


def test_masthead_title_ends_at_the_right_margin(summary_words):
    """The document's title is set right, on the logo's baseline side, flush with the text."""
    summary = [w for w in summary_words[0] if w["text"] == "Summary"]
    rights = [w["boxes"][-1][2] for w in summary]
    assert rights and max(rights) == pytest.approx(PAGE_WIDTH - MARGIN, abs=1.0), rights
