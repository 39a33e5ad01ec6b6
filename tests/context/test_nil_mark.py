"""Figures published as a dash or "nil" print with one mark per document: reporting.nil_mark, else
the mark the table uses most; -0 is 0."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from helpers import pdf_pages, table_row
from reporter.formatting import format_amount
from reporter.inputs.notation import nil_as_published, parse_amount

REVENUE_2010 = ('revenue,2010-06-30,3,$0', 'revenue,2010-06-30,9,$0')


def set_revenue_2010(folder: Path, three: str, nine: str) -> None:
    path = folder / "figures.csv"
    text = path.read_text(encoding="utf-8")
    for old, new in zip(REVENUE_2010, (three, nine)):
        assert old in text
        text = text.replace(old, old.rsplit(",", 1)[0] + "," + new)
    path.write_text(text, encoding="utf-8")


# (cells for revenue 3m 2010 and 9m 2010, nil_mark setting or None, what the Revenue row prints)
NIL_CASES = [
    ("as-published", ("—", "—"), None, ["$4,421", "—", "$10,186", "—"]),
    # Two marks in one table: one mark for the document, never "—" beside "nil".
    ("one-mark-per-document", ("—", "nil"), None, ["$4,421", "—", "$10,186", "—"]),
    ("setting-wins", ("-", "\\$—"), "nil", ["$4,421", "nil", "$10,186", "nil"]),
    ("zero-stays-zero", ("-0", "(0)"), "—", ["$4,421", "$0", "$10,186", "$0"]),
]


@pytest.mark.parametrize(("case", "cells", "setting", "row"), NIL_CASES, ids=[c[0] for c in NIL_CASES])
def test_revenue_row_prints_nil_as_published(cli, report_dir, tmp_path, case, cells, setting, row):
    set_revenue_2010(report_dir, *cells)
    if setting is not None:
        settings = report_dir / "report.yaml"
        text = settings.read_text(encoding="utf-8").replace(
            "  locale: en_CA", f'  nil_mark: "{setting}"\n  locale: en_CA')
        settings.write_text(text, encoding="utf-8")
    result = cli("build", report_dir, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    pages = pdf_pages(Path(result.stdout.strip()))
    assert table_row(pages[0], "Revenue") == row
    # The tie-outs use the value, zero: income from mining operations still ties in 2010.
    assert table_row(pages[0], "Income From Mining Operations") == ["$1,416", "($407)", "$1,774", "($1,147)"]


@pytest.mark.parametrize(("written", "read"), [("0", "0"), ('"$9,999"', "'$9,999'"), ('"9"', "'9'"),
                                              ('"  "', "'  '"), ('"—1"', "'—1'"), ('"n/a 4"', "'n/a 4'")])
def test_bad_nil_mark_setting(cli, report_dir, written, read):
    """A nil mark prints where a figure would: only marks that say "nothing" (a dash, nil, n/a)."""
    settings = report_dir / "report.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace(
        "  locale: en_CA", f"  nil_mark: {written}\n  locale: en_CA"), encoding="utf-8")
    result = cli("validate", report_dir)
    assert result.exit_code == 1
    assert result.stderr.strip().startswith(
        f"data error: {settings}: reporting.nil_mark must be a mark that says nothing is there (")
    assert result.stderr.strip().endswith(f"), got {read}")


@pytest.mark.parametrize(("text", "mark"), [("—", "—"), ("\\$—", "—"), ("nil", "nil"), ("-", "-"),
                                            ("($ -)", "-"), ("0", None), ("$0", None), ("-0", None),
                                            ("1,204", None)])
def test_nil_as_published(text, mark):
    assert nil_as_published(text) == mark


@pytest.mark.parametrize("text", ["-0", "(0)", "($0)", "-0.0", "\\$(0)"])
def test_negative_zero_is_zero(text):
    value = parse_amount(text)
    assert value == 0 and not value.is_signed()
    assert format_amount(value) == "0"


@pytest.mark.parametrize(("value", "places", "text"), [("-0.3", 0, "0"), ("-0.04", 1, "0.0"), ("-0.6", 0, "(1)")])
def test_amount_that_rounds_to_nothing_prints_without_parentheses(value, places, text):
    assert format_amount(Decimal(value), places=places) == text


def test_chart_text_alternatives_say_nil_in_words(cli, report_dir, tmp_path):
    """Revenue published as "—" in 2010: the bars show "—", as the table prints it, and the
    charts' text alternatives say "nil" (a screen reader reads a dash as "dash"), never "0"."""
    set_revenue_2010(report_dir, "—", "—")
    result = cli("build", report_dir, "-t", "quarterly-briefing", "-f", "html", "-o", tmp_path / "out.html")
    assert result.exit_code == 0, result.output
    html = Path(result.stdout.strip()).read_text(encoding="utf-8")
    descriptions = re.findall(r"<title[^>]*>([^<]*)</title>", html)
    revenue = [d for d in descriptions if "Revenue: Q3 2010" in d]
    assert revenue, descriptions
    for description in revenue:
        assert "Revenue: Q3 2010 nil, Q3 2011 4,421" in description
        assert "Q3 2010 0," not in description and "—" not in description
    assert '<text class="value"' in html and re.findall(r'<text class="value"[^>]*>—</text>', html)
