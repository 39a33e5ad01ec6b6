"""Helpers shared by the tests: the published Los Santos figures, PDF read-back, the CLI runner, paths."""

from __future__ import annotations

import re
from pathlib import Path

import pypdfium2 as pdfium
from typer.testing import CliRunner

from reporter.cli.app import app

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"

# The seed's summary table as numbers (thousands of CAD, published sign), by line id, in the
# columns 3 months 2011, 3 months 2010, 9 months 2011, 9 months 2010.
LOS_SANTOS_PUBLISHED = {
    "revenue": [4421, 0, 10186, 0],
    "cost_of_sales": [3006, 407, 8412, 1147],
    "income_from_mining_operations": [1416, -407, 1774, -1147],
    "depreciation_and_amortization": [931, 14, 5794, 67],
    "interest": [42, 387, 441, 491],
    "other_sga": [-247, -847, -1074, -2543],
    "net_income_before_tax_and_one_time_items": [690, 39, -3387, 837],
}


# The seed's summary table: label -> (3 months 2011, 2010, 9 months 2011, 2010), as an accountant
# writes them: $ on the first row and on subtotals, negatives in parentheses.
SEED_TABLE = {
    "Revenue": ["$4,421", "$0", "$10,186", "$0"],
    "Cost of Sales": ["3,006", "407", "8,412", "1,147"],
    "Income From Mining Operations": ["$1,416", "($407)", "$1,774", "($1,147)"],
    "Depreciation and Amortization": ["931", "14", "5,794", "67"],
    "Interest": ["42", "387", "441", "491"],
    "Other SG&A": ["(247)", "(847)", "(1,074)", "(2,543)"],
    "Net Income Before Tax and One Time Items": ["$690", "$39", "($3,387)", "$837"],
}


def pdf_pages(path: Path) -> list[str]:
    """Read the text of each page back, as a reader's copy-and-paste would give it."""
    document = pdfium.PdfDocument(str(path))
    try:
        return [page.get_textpage().get_text_range().replace("\r\n", "\n") for page in document]
    finally:
        document.close()


def table_row(text: str, label: str) -> list[str]:
    """Return the figures printed after `label` on the line that starts with it."""
    for line in text.splitlines():
        if line.startswith(label + " "):
            return line[len(label):].split()
    raise AssertionError(f"no line starting with {label!r} in:\n{text}")


def figure_rows(text: str, label: str) -> list[list[str]]:
    """Return the figures after `label` on every line that starts with it (tables may repeat)."""
    return [line[len(label):].split() for line in text.splitlines() if line.startswith(label + " ")]


class Cli:
    def __init__(self) -> None:
        self.runner = CliRunner()

    def __call__(self, *args: str):
        return self.runner.invoke(app, [str(a) for a in args], catch_exceptions=False)


def page_words(page) -> list[dict]:
    """Return the words on a page with the box of each character, in reading order."""
    textpage = page.get_textpage()
    words, current = [], None
    for index in range(textpage.count_chars()):
        char = textpage.get_text_range(index, 1)
        if not char or char.isspace():
            current = None
            continue
        left, _, right, top = textpage.get_charbox(index, loose=False)
        # The loose box spans the font's whole height, so its bottom is one per line of text.
        _, bottom, _, loose_top = textpage.get_charbox(index, loose=True)
        if loose_top - bottom > 30:
            continue  # a draft's DRAFT watermark, set large across the page, is not table text
        if current and abs(current["bottom"] - bottom) < 2 and left - current["boxes"][-1][2] < 1.5:
            current["text"] += char
            current["boxes"].append((left, bottom, right, top))
        else:
            current = {"text": char, "bottom": bottom, "boxes": [(left, bottom, right, top)]}
            words.append(current)
    return words


def text_lines(words: list[dict]) -> list[list[dict]]:
    """Group words into lines: bottoms within 1.5 pt (bold and regular boxes differ a little)."""
    lines: list[list[dict]] = []
    for word in sorted(words, key=lambda w: w["bottom"]):
        if lines and abs(lines[-1][0]["bottom"] - word["bottom"]) <= 1.5:
            lines[-1].append(word)
        else:
            lines.append([word])
    return lines


def rows_by_page(path: Path, row_of) -> list[list]:
    """Page by page, `row_of(words)` for each line of the PDF (words left to right) that gives one."""
    document = pdfium.PdfDocument(str(path))
    try:
        pages = []
        for page in document:
            rows = []
            for words in text_lines(page_words(page)):
                row = row_of(sorted(words, key=lambda w: w["boxes"][0][0]))
                if row is not None:
                    rows.append(row)
            pages.append(rows)
        return pages
    finally:
        document.close()


CONTENTS_ENTRY = re.compile(r"^(.+?)\s+(\d+)$")


def contents_entries(pages: list[str]) -> list[tuple[str, int]]:
    """Read (title, page number) from the contents page, as a reader sees them."""
    page = next(text for text in pages if text.startswith("Contents") or "\nContents\n" in text[:200])
    lines = page.splitlines()
    entries = []
    # Each entry is a line "Title 4" (the leader dots are drawn, not text); the first line after
    # the title that is not one ends the contents.
    for line in lines[lines.index("Contents") + 1:]:
        match = CONTENTS_ENTRY.match(line.strip())
        if match is None:
            break
        entries.append((match.group(1).strip(), int(match.group(2))))
    return entries


def alt_texts(path: Path) -> list[str]:
    """The alternative texts (/Alt) of the PDF's structure tree: what a screen reader hears."""
    import pypdf

    found: list[str] = []

    def walk(node):
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, list):
            for child in node:
                walk(child)
        elif isinstance(node, dict):
            if "/Alt" in node:
                found.append(str(node["/Alt"]))
            if "/K" in node:
                walk(node["/K"])
    walk(pypdf.PdfReader(path).trailer["/Root"]["/StructTreeRoot"])
    return found


def complaints(stderr: str) -> list[str]:
    """A run's stderr lines that report a problem: every line but blanks and the preparer's rounding
    notes (`rounding: figures.csv, row 10: ...`), which every build of a Los Santos folder prints."""
    return [line for line in stderr.splitlines() if line.strip() and not line.startswith("rounding: ")]
