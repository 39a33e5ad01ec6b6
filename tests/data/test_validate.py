"""Tie-outs: every subtotal in every period, rounding within the tolerance, failures that stop a build."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from reporter.errors import StatementError
from reporter.data.report import load_report
from reporter.data.validate import TieOutStatus, require_tie_outs

INCOME = "income_from_mining_operations"
NET = "net_income_before_tax_and_one_time_items"

# (subtotal, period key, computed, published, status, row of figures.csv): Los Santos as published.
LOS_SANTOS_TIE_OUTS = [
    (INCOME, "2011-06-30/3m", 1415, 1416, "rounding", 10),
    (INCOME, "2010-06-30/3m", -407, -407, "ties", 11),
    (INCOME, "2011-06-30/9m", 1774, 1774, "ties", 12),
    (INCOME, "2010-06-30/9m", -1147, -1147, "ties", 13),
    (NET, "2011-06-30/3m", 690, 690, "ties", 26),
    (NET, "2010-06-30/3m", 39, 39, "ties", 27),
    (NET, "2011-06-30/9m", -3387, -3387, "ties", 28),
    (NET, "2010-06-30/9m", 838, 837, "rounding", 29),
]


def test_every_subtotal_in_every_period_in_statement_order(loaded_report):
    assert [(t.line_id, t.period_key) for t in loaded_report.tie_outs] == [
        (c[0], c[1]) for c in LOS_SANTOS_TIE_OUTS]


@pytest.mark.parametrize(("line_id", "key", "computed", "published", "status", "row"), LOS_SANTOS_TIE_OUTS,
                         ids=[f"{c[0]}@{c[1]}" for c in LOS_SANTOS_TIE_OUTS])
def test_los_santos_tie_out(loaded_report, line_id, key, computed, published, status, row):
    result = next(t for t in loaded_report.tie_outs if (t.line_id, t.period_key) == (line_id, key))
    assert result.computed == Decimal(computed)
    assert result.published == Decimal(published)
    assert result.difference == Decimal(published - computed)
    assert result.status is TieOutStatus(status)
    assert result.source_row == row
    assert result.formula == loaded_report.statement.line(line_id).formula


def test_exactly_two_rounding_and_six_ties(loaded_report):
    statuses = [t.status for t in loaded_report.tie_outs]
    assert statuses.count(TieOutStatus.ROUNDING) == 2
    assert statuses.count(TieOutStatus.TIES) == 6
    assert statuses.count(TieOutStatus.FAILS) == 0
    require_tie_outs(loaded_report.tie_outs, loaded_report.settings)  # does not raise


# (tie-out, describe())
DESCRIPTIONS = [
    ((INCOME, "2011-06-30/3m"),
     "Income From Mining Operations (income_from_mining_operations), the three months ended June 30, "
     "2011: lines give 1,415, published 1,416 (difference +1)"),
    ((NET, "2010-06-30/9m"),
     "Net Income Before Tax and One Time Items (net_income_before_tax_and_one_time_items), the nine "
     "months ended June 30, 2010: lines give 838, published 837 (difference -1)"),
    ((NET, "2011-06-30/9m"),
     "Net Income Before Tax and One Time Items (net_income_before_tax_and_one_time_items), the nine "
     "months ended June 30, 2011: lines give -3,387, published -3,387 (difference +0)"),
]


@pytest.mark.parametrize(("which", "text"), DESCRIPTIONS, ids=[f"{c[0][0]}@{c[0][1]}" for c in DESCRIPTIONS])
def test_describe(loaded_report, which, text):
    result = next(t for t in loaded_report.tie_outs if (t.line_id, t.period_key) == which)
    assert result.describe() == text


# --------------------------------------------------------------------------------------------
# The tolerance, from report.yaml
# --------------------------------------------------------------------------------------------

def edit(folder: Path, name: str, old: str, new: str) -> None:
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


INCOME_Q3_2011 = 'income_from_mining_operations,2011-06-30,3,"$1,416"'

SETTING = "tie_out_tolerance in report.yaml"
CAPPED = "half a unit for each of the 2 lines added; tie_out_tolerance cannot widen it"

# (id, tolerance, published income from mining operations 3m 2011 or None,
#  {(subtotal, key): status} for the checks that change, first failing row or None,
#  (tolerance, where it comes from) named in the message)
# Income from mining operations adds 2 lines (never more than 1 unit of rounding), net income 4 (2 units).
TOLERANCE_CASES = [
    ("tolerance-1-as-published", "1", None,
     {(INCOME, "2011-06-30/3m"): "rounding", (NET, "2010-06-30/9m"): "rounding"}, None, None),
    ("tolerance-0-fails-both", "0", None,
     {(INCOME, "2011-06-30/3m"): "fails", (NET, "2010-06-30/9m"): "fails"}, 10, ("0", SETTING)),
    ("tolerance-half-fails-both", "0.5", None,
     {(INCOME, "2011-06-30/3m"): "fails", (NET, "2010-06-30/9m"): "fails"}, 10, ("0.5", SETTING)),
    # A setting of 5 cannot make 3 units rounding on two lines: at most 1 unit is.
    ("tolerance-5-capped-at-half-a-unit-per-line", "5", '"$1,418"',
     {(INCOME, "2011-06-30/3m"): "fails", (NET, "2011-06-30/3m"): "rounding",
      (NET, "2010-06-30/9m"): "rounding"}, 10, ("1", CAPPED)),
    ("tolerance-5-net-income-off-by-4-fails-too", "5", '"$1,420"',
     {(INCOME, "2011-06-30/3m"): "fails", (NET, "2011-06-30/3m"): "fails"}, 10, ("1", CAPPED)),
    ("tolerance-2-fails-3", "2", '"$1,418"',
     {(INCOME, "2011-06-30/3m"): "fails", (NET, "2011-06-30/3m"): "rounding"}, 10, ("1", CAPPED)),
    # Income ties at 1,415, so net income (690 published) is now 1 off: at tolerance 0 it is the first failure.
    ("tolerance-0-net-income-first", "0", '"$1,415"',
     {(INCOME, "2011-06-30/3m"): "ties", (NET, "2011-06-30/3m"): "fails", (NET, "2010-06-30/9m"): "fails"},
     26, ("0", SETTING)),
]


@pytest.mark.parametrize(("case", "tolerance", "published", "changed", "failing_row", "named"), TOLERANCE_CASES,
                         ids=[c[0] for c in TOLERANCE_CASES])
def test_tolerance(report_dir, case, tolerance, published, changed, failing_row, named):
    edit(report_dir, "report.yaml", "tie_out_tolerance: 1", f"tie_out_tolerance: {tolerance}")
    if published is not None:
        edit(report_dir, "figures.csv", INCOME_Q3_2011, f"income_from_mining_operations,2011-06-30,3,{published}")
    report = load_report(report_dir)
    assert report.settings.tie_out_tolerance == Decimal(tolerance)
    statuses = {(t.line_id, t.period_key): t.status.value for t in report.tie_outs}
    expected = {(c[0], c[1]): c[4] for c in LOS_SANTOS_TIE_OUTS} | changed
    assert statuses == expected
    if failing_row is None:
        require_tie_outs(report.tie_outs, report.settings)
        return
    with pytest.raises(StatementError) as info:
        require_tie_outs(report.tie_outs, report.settings)
    error = info.value
    assert (error.row, error.column) == (failing_row, "value")
    message = str(error)
    assert message.startswith(f'statement error: {report_dir / "figures.csv"}, row {failing_row}, column "value": ')
    assert message.endswith(f"more than the tolerance of {named[0]} ({named[1]})")


def test_tolerance_0_message_names_the_subtotal_and_period(report_dir):
    edit(report_dir, "report.yaml", "tie_out_tolerance: 1", "tie_out_tolerance: 0")
    report = load_report(report_dir)
    with pytest.raises(StatementError) as info:
        require_tie_outs(report.tie_outs, report.settings)
    assert str(info.value) == (
        f'statement error: {report_dir / "figures.csv"}, row 10, column "value": Income From Mining '
        "Operations (income_from_mining_operations), the three months ended June 30, 2011: lines give "
        "1,415, published 1,416 (difference +1), more than the tolerance of 0 (tie_out_tolerance in "
        "report.yaml)")


def test_validate_command_exits_non_zero_on_a_failure(cli, report_dir):
    edit(report_dir, "report.yaml", "tie_out_tolerance: 1", "tie_out_tolerance: 0")
    result = cli("validate", report_dir)
    assert result.exit_code == 1
    assert "8 checks: 6 tie, 0 within rounding (tolerance 0), 2 fail." in result.stdout
    assert f"{report_dir / 'figures.csv'}, row 10" in result.stderr
    assert f"{report_dir / 'figures.csv'}, row 29" in result.stderr


def test_validate_command_passes_los_santos(cli, example_dir):
    result = cli("validate", example_dir)
    assert result.exit_code == 0, result.output
    assert "8 checks: 6 tie, 2 within rounding (tolerance 1), 0 fail." in result.stdout
