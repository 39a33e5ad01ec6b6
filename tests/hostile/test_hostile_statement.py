"""Hostile statement.yaml units and labels: a pasted paragraph is refused in one line, a word wider
than its column breaks inside it, never over the figures beside it."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest

from reporter.build.document import build_report
from reporter.build.outputs import OutputFormat

FIGURES = ["1.25", "1.10", "1.20", "1.00"]
COLUMNS = [("2011-06-30", 3), ("2010-06-30", 3), ("2011-06-30", 9), ("2010-06-30", 9)]


def add_line(folder: Path, label: str, unit: str) -> None:
    with (folder / "statement.yaml").open("a", encoding="utf-8") as statement:
        statement.write(f"  - id: price\n    label: {{en: \"{label}\", fr: Prix}}\n    unit: \"{unit}\"\n")
    with (folder / "figures.csv").open("a", encoding="utf-8") as figures:
        for (end, months), value in zip(COLUMNS, FIGURES):
            figures.write(f"price,{end},{months},{value}\n")


def test_a_unit_longer_than_a_units_column_is_one_line(cli, report_dir):
    add_line(report_dir, "Price", "US$" * 20_000)  # a units cell pasted 20,000 times (ingest refuses it at its row)
    result = cli("validate", report_dir)
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"statement error: {report_dir / 'statement.yaml'}: line 'price': unit is 60,000 characters, more than "
        "a units column holds (at most 80: `US$/oz`, `cents per share`)")


@pytest.mark.parametrize(("label", "unit"), [
    ("Price", "US$/" + "t" * 70),  # one word of 74 letters: it ran over the figure columns
    ("Realised" + "x" * 90, "US$/oz"),  # a label of one 98-letter word
])
def test_a_word_wider_than_its_column_breaks_inside_it(report_dir, tmp_path, label, unit):
    add_line(report_dir, label, unit)
    pdf = build_report(report_dir, template="investor-summary", theme_dir=None, output=tmp_path,
                       output_format=OutputFormat.pdf)
    with pdfplumber.open(pdf) as document:
        page = document.pages[0]
        words = page.extract_words()
    price = sorted((w for w in words if w["text"] in FIGURES), key=lambda w: w["x0"])
    assert [w["text"] for w in price] == FIGURES  # every figure, once, in its column's order
    # The label and unit end before the first figure of their row (the figure ends its column:
    # the column before it is at least as wide as this figure's own cell).
    pieces = [w for w in words if w["text"].startswith(("US$", "ttt", "Realised", "xxx"))
              and abs(w["top"] - price[0]["top"]) < 40]
    assert len(pieces) > 1, [w["text"] for w in pieces]  # broken over lines
    for word in pieces:
        assert word["x1"] <= price[0]["x0"], (word["text"], word["x1"], price[0]["x0"])
