"""Which charts a theme gets, and how a long bridge stays readable."""

from decimal import Decimal as D

import pytest

from reporter.context.chart_data import condense_steps


def test_short_bridges_are_left_alone():
    steps = [("Revenue", D(10), "total"), ("Costs", D(-4), "delta"), ("Profit", D(6), "total")]
    assert condense_steps(steps, 12) == steps


def test_long_runs_fold_into_other_items_and_still_add_up():
    deltas = [(f"Cost {i}", D(-i), "delta") for i in range(1, 11)]
    steps = [("Revenue", D(100), "total"), *deltas, ("Profit", D(45), "total")]
    condensed = condense_steps(steps, 8)
    assert [s[0] for s in condensed] == ["Revenue", "Cost 9", "Cost 10", "Other items (8)", "Profit"]
    assert condensed[3][1] == D(-36)
    assert sum(s[1] for s in condensed if s[2] == "delta") == sum(s[1] for s in deltas)


@pytest.mark.parametrize("run_length", [1, 2, 3])
def test_short_runs_stay_whole(run_length):
    run = [(f"Cost {i}", D(-i), "delta") for i in range(run_length)]
    steps = [("A", D(1), "total")] * 5 + run + [("B", D(1), "total")] * 5
    assert condense_steps(steps, 4) == steps
