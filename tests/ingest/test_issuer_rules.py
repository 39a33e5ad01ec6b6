"""The rules that read any issuer's table: +1/-1 subtotals and group totals, headings "to 30 June",
change columns, units in cells, statement.yaml `unit`, and lines in their own units downstream."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from reporter.errors import StatementError
from reporter.ingest.body import line_unit, merge_lone_marks, split_cell_unit
from reporter.ingest.header import classify_header_cell, parse_heading
from reporter.ingest.infer import formula_text, infer_subtotals, reported_period
from reporter.ingest.sources import Row
from reporter.inputs.periods import Period
from reporter.inputs.statement import Unit, load_statement


def _d(*rows):
    return [tuple(Decimal(str(v)) for v in row) for row in rows]


IDS = ["a", "b", "c", "d", "e", "f", "g"]

# (case, lines, lines outside the arithmetic, formulas by id)
INFER_CASES = [
    ("costs-positive-subtracted", _d((10, 8), (4, 3), (6, 5)), (), {"c": "a - b"}),
    ("costs-negative-added", _d((10, 8), (-4, -3), (6, 5)), (), {"c": "a + b"}),
    ("mixed-signs", _d((10, 8), (4, 3), (-1, -2), (5, 3)), (), {"d": "a - b + c"}),
    ("total-operating-expenses", _d((100, 90), (40, 38), (10, 9), (5, 4), (55, 51), (45, 39)), (),
     {"e": "b + c + d", "f": "a - e"}),
    ("eps-below-the-bottom-line", _d((10, 8), (4, 3), (6, 5), ("0.05", "0.04")), (3,),
     {"c": "a - b"}),
    # A row that is not money is never a term, even where its figures would tie.
    ("unit-row-is-no-term", _d((10, 8), (4, 3), (6, 5)), (1,), {}),
    ("one-typo-of-three-keeps-the-structure", _d((10, 8, 7), (4, 3, 2), (6, 5, 9)), (),
     {"c": "a - b"}),
]


@pytest.mark.parametrize("case, values, outside, formulas", INFER_CASES,
                         ids=[c[0] for c in INFER_CASES])
def test_subtotals_with_any_sign_convention(case, values, outside, formulas):
    found = infer_subtotals(values, outside=outside)
    assert {IDS[s.index]: formula_text(s, IDS) for s in found} == formulas


def test_tolerance_is_each_rows_own_last_digit():
    # Whole thousands off by one tie; the two-decimal EPS row plays no part in the tolerance.
    values = _d((1416, 1100), (407, 300), (1010, 801), ("0.05", "0.04"))
    assert [s.index for s in infer_subtotals(values, outside=(3,))] == [2]


@pytest.mark.parametrize("ends, expected", [
    (["2023-03-31", "2023-06-30", "2023-09-30"], "2023-09-30"),  # ascending quarters
    (["2011-06-30", "2010-06-30"], "2011-06-30"),
])
def test_reported_period_is_the_latest(ends, expected):
    from datetime import date

    periods = [Period(date.fromisoformat(e), 3) for e in ends]
    assert reported_period(periods).end.isoformat() == expected


@pytest.mark.parametrize("text, months, month, day, year", [
    ("SIX MONTHS TO 30 JUNE", 6, 6, 30, None),
    ("12 months to 31 Dec 2021", 12, 12, 31, 2021),
    ("Quarter to 31 March 2012", 3, 3, 31, 2012),
    ("Half-year to 31 December 2023", 6, 12, 31, 2023),
    ("3 Months Ended", 3, 0, 0, None),
])
def test_headings_as_published(text, months, month, day, year):
    heading = parse_heading(text)
    assert (heading.months, heading.month, heading.day, heading.year) == (months, month, day, year)


@pytest.mark.parametrize("text", ["Year to date", "Cost to complete", "Net income"])
def test_to_is_a_heading_only_before_a_date(text):
    assert parse_heading(text) is None


@pytest.mark.parametrize("text, kind", [
    ("% Change", "change"), ("Change %", "change"), ("Up / (down)", "change"),
    ("Up/(down)", "change"), ("% increase/ (decrease)", "change"), ("%", "change"),
    ("Units", "noise"), ("US$000's (unaudited)", "units"), ("Jun. 30, 2023", "date"),
])
def test_header_cells(text, kind):
    assert classify_header_cell(text) == kind


@pytest.mark.parametrize("text, figure, unit", [
    ("13.85 cents", "13.85", "cents"), ("6,747 oz", "6,747", "oz"),
    ("1,699 per oz", "1,699", "per oz"), ("$11.1M", "$11.1", "M"), ("42%", "42", "%"),
    ("$(0.04)", "$(0.04)", None), ("(1,234)", "(1,234)", None), ("nil", "nil", None),
])
def test_unit_after_a_figure(text, figure, unit):
    assert split_cell_unit(text) == (figure, unit)


@pytest.mark.parametrize("label, column, cells, signed, unit", [
    ("Revenue", "US$m", set(), False, None),
    ("Revenue", "", {"M"}, True, None),
    ("Earnings per share", "cents", set(), False, "cents per share"),
    ("Basic earnings per share (cents)", "", set(), False, "cents per share"),
    ("Net loss per share", "", set(), True, "$ per share"),
    ("Weighted average shares outstanding", "", set(), False, "shares"),
    ("Gold sold", "", {"oz"}, False, "oz"),
    ("Cash cost (US$/oz)", "", set(), False, "US$/oz"),
    ("Net income (loss)", "", set(), False, None),
])
def test_line_unit(label, column, cells, signed, unit):
    assert line_unit(label, column, cells, signed, []) == unit


def test_lone_dollar_and_bracket_cells_join_their_figure():
    row = merge_lone_marks(Row(7, ("Interest", "$", "(1,250", ")", "", "(1,310", ")")))
    assert row.cells == ("Interest", "", "$(1,250)", "", "", "(1,310)", "")


@pytest.mark.parametrize("text, kind", [
    (None, "money"), ("money", "money"), ("cents per share", "per_share"),
    ("US$ per share", "per_share"), ("'000 shares", "count"), ("oz", "quantity"),
    ("'000 tonnes", "quantity"), ("MTU", "quantity"), ("US$/oz", "price"), ("cents/lb", "price"),
    ("%", "percent"), ("x", "ratio"),
])
def test_unit_kinds(text, kind):
    assert Unit.parse(text).kind == kind
    assert Unit.parse(text).is_money == (kind == "money")


def test_statement_line_carries_its_unit(tmp_path: Path):
    path = tmp_path / "statement.yaml"
    path.write_text("lines:\n"
                    "  - {id: revenue, label: Revenue}\n"
                    "  - {id: cost, label: Cost}\n"
                    "  - {id: profit, label: Profit, formula: revenue - cost}\n"
                    "  - {id: eps, label: Earnings per share, unit: cents per share}\n",
                    encoding="utf-8")
    statement = load_statement(path)
    assert statement.line("eps").unit == Unit("per_share", "cents per share")
    assert statement.line("profit").unit.is_money


@pytest.mark.parametrize("body, says", [
    ("  - {id: a, label: A}\n  - {id: b, label: B, unit: oz}\n"
     "  - {id: c, label: C, formula: a - b}\n", "formulas add money lines only"),
    ("  - {id: a, label: A, unit: 3}\n", "unit must be text"),
])
def test_a_formula_never_adds_a_line_of_another_unit(tmp_path: Path, body, says):
    path = tmp_path / "statement.yaml"
    path.write_text("lines:\n" + body, encoding="utf-8")
    with pytest.raises(StatementError) as error:
        load_statement(path)
    assert says in str(error.value) and "statement.yaml" in str(error.value)


def test_stated_periods_never_read_the_heading_and_years_row_as_a_line(tmp_path: Path):
    """With --periods, "SIX MONTHS TO 30 JUNE | 2008 | 2007" is the header, not a money line."""
    from reporter.ingest import IngestOptions, ingest_table

    source = tmp_path / "rns.tsv"
    source.write_text("SIX MONTHS TO 30 JUNE\tUnits\t2008\t2007\t% Change\n"
                      "Revenue\tUS$m\t1,245.6\t1,102.3\t13\n"
                      "Cost of sales\tUS$m\t(812.4)\t(745.0)\t(9)\n"
                      "Gross profit\tUS$m\t433.2\t357.3\t21\n", encoding="utf-8")
    report = ingest_table(source, tmp_path / "out",
                          IngestOptions(periods="6M:2008-06-30,6M:2007-06-30"))
    assert [line.id for line in report.lines] == ["revenue", "cost_of_sales", "gross_profit"]
    assert report.lines[0].values == (Decimal("1245.6"), Decimal("1102.3"))
    assert report.subtotals == [("gross_profit", "revenue + cost_of_sales")]


def test_a_pipe_table_without_its_rule_row(tmp_path: Path):
    from reporter.ingest import IngestOptions, ingest_table

    source = tmp_path / "release.md"
    source.write_text("(in thousands of United States Dollars, unless indicated otherwise)\n\n"
                      "| | Year ended 31 December | |\n"
                      "| | 2021 | 2020 |\n"
                      "| Revenue | 12,480 | 10,915 |\n"
                      "| Operating costs | (7,310) | (6,880) |\n"
                      "| Operating profit | 5,170 | 4,035 |\n", encoding="utf-8")
    report = ingest_table(source, tmp_path / "out", IngestOptions())
    assert (report.currency, report.scale) == ("USD", "thousands")
    assert report.subtotals == [("operating_profit", "revenue + operating_costs")]


@pytest.mark.parametrize("entry", ["{current: 2008-06-30/6m, percent: '13'}",
                                   "{current: 2008-06-30/6m, prior: 2007-06-30/6m}",
                                   "{current: June, prior: 2007-06-30/6m, amount: '4'}"])
def test_a_change_needs_its_periods_and_one_kind(tmp_path: Path, entry):
    path = tmp_path / "statement.yaml"
    path.write_text(f"lines:\n  - {{id: a, label: A, changes: [{entry}]}}\n", encoding="utf-8")
    with pytest.raises(StatementError) as error:
        load_statement(path)
    assert "a change needs current and prior period keys" in str(error.value)


def test_the_year_given_only_in_the_sentence_above_the_table(tmp_path: Path):
    from reporter.ingest import IngestOptions, ingest_table

    source = tmp_path / "release.md"
    source.write_text("Highlights for the three and six months ended June 30, 2023 (in thousands "
                      "of United States dollars):\n\n"
                      "| | Three months ended June 30 | Six months ended June 30 |\n"
                      "|---|---|---|\n"
                      "| Revenue | 48,215 | 95,102 |\n"
                      "| Cost of sales | 30,118 | 59,880 |\n"
                      "| Gross profit | 18,097 | 35,222 |\n", encoding="utf-8")
    report = ingest_table(source, tmp_path / "out", IngestOptions())
    assert [p.key for p in report.periods] == ["2023-06-30/3m", "2023-06-30/6m"]
    assert (report.currency, report.scale) == ("USD", "thousands")


def test_a_row_that_ties_nothing_is_reported_never_a_refusal(tmp_path: Path):
    from reporter.ingest import IngestOptions, ingest_table

    source = tmp_path / "table.tsv"
    source.write_text("\tYear ended December 31,\t\n\t2011\t2010\n\tC$000\tC$000\n"
                      "Revenue\t10\t5\nCost\t4\t2\nProfit\t6\t3\n"
                      "Attributable to shareholders\t9\t9\n", encoding="utf-8")
    report = ingest_table(source, tmp_path / "out", IngestOptions())
    assert report.subtotals == [("profit", "revenue - cost")]
    assert [line.formula for line in report.lines][-1] is None
    note = next(n for n in report.notes if "Attributable to shareholders" in n)
    assert "row 7" in note and "ties to no lines above it" in note and "kept" in note
