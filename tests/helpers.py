"""Helpers shared by the tests: the published Los Santos figures, PDF read-back, the CLI runner, paths."""

from __future__ import annotations

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
