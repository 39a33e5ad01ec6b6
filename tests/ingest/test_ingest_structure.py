"""Structure inference by majority: one typo in one column keeps the structure and fails validate."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from reporter.ingest import IngestOptions, ingest_table
from reporter.ingest.infer import infer_subtotals, is_majority

# A producer's quarter and year to date, the layout of a 2015 Almonty release, our own figures.
# "Care and maintenance" should read 163 in the first column; 173 was typed.
TYPO_TABLE = """\
\tThree Months Ended June 30,\t\tNine Months Ended June 30,\t
\t2015\t2014\t2015\t2014
\tCAD$ 000\tCAD$ 000\tCAD$ 000\tCAD$ 000
Revenue\t5,210\t4,870\t15,340\t13,120
Cost of sales\t3,950\t3,610\t11,480\t9,870
Gross profit\t1,260\t1,260\t3,860\t3,250
Care and maintenance\t173\t150\t480\t455
General and administrative\t610\t580\t1,790\t1,700
Operating income\t487\t530\t1,590\t1,095
"""


def values(*rows: list[int]) -> list[tuple[Decimal, ...]]:
    return [tuple(Decimal(v) for v in row) for row in rows]


@pytest.mark.parametrize("ties, columns, expected", [
    (4, 4, True), (3, 4, True), (2, 4, False), (2, 3, True), (1, 3, False),
    (2, 2, True), (1, 2, False), (1, 1, True), (0, 1, False),
])
def test_majority_rule(ties, columns, expected):
    assert is_majority(ties, columns) is expected


def test_a_typo_in_one_column_keeps_the_structure():
    lines = values([100, 90, 80, 70], [60, 50, 40, 30], [40, 40, 40, 40],
                   [15, 10, 10, 10], [25, 30, 30, 30])
    assert [(s.index, s.anchor, s.parts) for s in infer_subtotals(lines, Decimal(1))] == [
        (2, 0, (1,)), (4, 2, (3,))]


def test_a_formula_that_ties_in_one_column_of_three_is_not_the_structure():
    lines = values([100, 90, 80], [60, 50, 40], [40, 10, 10])
    assert infer_subtotals(lines, Decimal(1)) == []


def test_typo_table_is_ingested_with_its_structure_and_fails_validate(tmp_path: Path, cli):
    source = tmp_path / "typo.tsv"
    source.write_text(TYPO_TABLE, encoding="utf-8")
    folder = tmp_path / "report"
    report = ingest_table(source, folder, IngestOptions(fiscal_year_end="09-30"))
    lines = yaml.safe_load((folder / "statement.yaml").read_text())["lines"]
    formulas = {line["id"]: line.get("formula") for line in lines}
    assert formulas["gross_profit"] == "revenue - cost_of_sales"
    assert formulas["operating_income"] == ("gross_profit - care_and_maintenance - "
                                            "general_and_administrative")
    assert report.misfits == ["operating_income, three months ended 2015-06-30: lines give 477, "
                              "published 487 (difference 10)"]
    assert "validate and build will stop" in "\n".join(report.summary_lines())

    result = cli("validate", folder)
    assert result.exit_code != 0, result.output
    message = next(line for line in result.output.strip().splitlines() if "operating_income" in line)
    assert "figures.csv" in message and "operating_income" in message
    assert "477" in message and "487" in message
