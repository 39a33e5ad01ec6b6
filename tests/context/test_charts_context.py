"""Which charts a theme gets, and how a long bridge stays readable."""

from decimal import Decimal as D

import pytest

from reporter.context.chart_data import condense_steps, fold_steps, steps_to_fold


def test_short_bridges_are_left_alone():
    steps = [("Revenue", D(10), "total"), ("Costs", D(-4), "delta"), ("Profit", D(6), "total")]
    assert condense_steps(steps, 12) == steps


def test_long_runs_fold_into_other_items_and_still_add_up():
    deltas = [(f"Cost {i}", D(-i), "delta") for i in range(1, 11)]
    steps = [("Revenue", D(100), "total"), *deltas, ("Profit", D(45), "total")]
    condensed = condense_steps(steps, 8)
    assert [s[0] for s in condensed] == ["Revenue", "Cost 6", "Cost 7", "Cost 8", "Cost 9", "Cost 10",
                                         "Other items", "Profit"]
    assert condensed[6][1] == D(-15)
    assert sum(s[1] for s in condensed if s[2] == "delta") == sum(s[1] for s in deltas)


@pytest.mark.parametrize("run_length", [1, 2, 3])
def test_short_runs_stay_whole(run_length):
    """Steps cannot fold past the totals they lead to: eleven totals and a short run stay as they are."""
    run = [(f"Cost {i}", D(-i - 1), "delta") for i in range(run_length)]
    steps = [("A", D(1), "total")] * 5 + run + [("B", D(1), "total")] * 5
    condensed = condense_steps(steps, 4)
    assert sum(1 for s in condensed if s[2] == "total") == 10
    assert sum(s[1] for s in condensed if s[2] == "delta") == sum(s[1] for s in run)
    if run_length == 1:
        assert condensed == steps


def test_a_fold_of_one_step_shows_the_step():
    steps = [("A", D(100), "total"), ("x", D(-1), "delta"), ("B", D(99), "total"), ("y", D(-2), "delta"),
             ("z", D(-3), "delta"), ("w", D(-40), "delta"), ("C", D(54), "total")]
    condensed = condense_steps(steps, 6)
    assert [s[0] for s in condensed] == ["A", "x", "B", "w", "Other items", "C"]


# A briefing's bridges as an impairment year draws them: the write-down (6,765) and the
# impairment (5,345) are larger than depreciation (8,200 is larger still): no large item folds.
IMPAIRMENT_Q = [("Revenue", D(40_000), "total"), ("Cost of sales", D(-21_000), "delta"),
                ("Depreciation", D(-8_200), "delta"), ("Inventory write-down", D(-6_765), "delta"),
                ("Impairment", D(-5_345), "delta"), ("Exploration", D(-410), "delta"),
                ("Interest", D(-95), "delta"), ("Foreign exchange", D(60), "delta"),
                ("Other", D(-12), "delta"), ("Loss before tax", D(-1_767), "total")]
IMPAIRMENT_YTD = [("Revenue", D(120_000), "total"), ("Cost of sales", D(-63_000), "delta"),
                  ("Depreciation", D(-24_600), "delta"), ("Inventory write-down", D(-6_765), "delta"),
                  ("Impairment", D(-5_345), "delta"), ("Exploration", D(-1_500), "delta"),
                  ("Interest", D(-290), "delta"), ("Foreign exchange", D(-900), "delta"),
                  ("Other", D(-40), "delta"), ("Income before tax", D(17_560), "total")]


def test_the_largest_items_never_fold_and_both_bridges_fold_the_same_lines():
    folded = steps_to_fold([IMPAIRMENT_Q, IMPAIRMENT_YTD], 8)
    assert folded  # ten bars, eight allowed: something folds
    for bridge in (IMPAIRMENT_Q, IMPAIRMENT_YTD):
        condensed, folds = fold_steps(bridge, folded)
        names = [name for name, _, _ in condensed]
        assert {"Depreciation", "Inventory write-down", "Impairment"} <= set(names)
        shown = [abs(v) for name, v, kind in condensed if kind == "delta" and name != "Other items"]
        assert shown
        for _, inside in folds:
            assert inside
            # Every folded item is smaller than the smallest item shown, in this bridge.
            assert all(abs(v) < min(shown) for _, v, _ in inside)
        assert sum(v for _, v, kind in condensed if kind == "delta") == sum(v for _, v, k in bridge if k == "delta")
    # The same lines fold in both bridges: they can be compared.
    q_names = [n for n, _, _ in fold_steps(IMPAIRMENT_Q, folded)[0]]
    ytd_names = [n for n, _, _ in fold_steps(IMPAIRMENT_YTD, folded)[0]]
    assert [n.split()[0] for n in q_names[1:-1]] == [n.split()[0] for n in ytd_names[1:-1]]


def test_folded_items_are_listed():
    _, folds = fold_steps(IMPAIRMENT_Q, steps_to_fold([IMPAIRMENT_Q], 8))
    ((name, inside),) = folds
    assert name == "Other items"
    assert [n for n, _, _ in inside] == ["Interest", "Foreign exchange", "Other"]
