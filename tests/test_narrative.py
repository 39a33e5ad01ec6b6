"""Highlight sentences written from the figures, and the words for amounts and changes."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from reporter.narrative import describe_amount, describe_change, highlight_sentences
from reporter.pipeline import load_report
from reporter.statement import Line

LOS_SANTOS_SENTENCES = [
    "Revenue was $4.4 million for the three months ended June 30, 2011, compared with nil in 2010.",
    "Income From Mining Operations was $1.4 million for the three months ended June 30, 2011, "
    "compared with a loss of $0.4 million in 2010.",
    "Net Income Before Tax and One Time Items was $0.7 million for the three months ended June 30, "
    "2011, compared with $39,000 in 2010.",
    "Revenue was $10.2 million for the nine months ended June 30, 2011, compared with nil in 2010.",
    "Income From Mining Operations was $1.8 million for the nine months ended June 30, 2011, "
    "compared with a loss of $1.1 million in 2010.",
    "Net Income Before Tax and One Time Items was a loss of $3.4 million for the nine months ended "
    "June 30, 2011, compared with $0.8 million in 2010.",
]


@pytest.fixture(scope="module")
def los_santos(example_dir):
    return load_report(example_dir)


def test_los_santos_highlights(los_santos):
    assert highlight_sentences(los_santos.figures, los_santos.statement, los_santos.settings) == LOS_SANTOS_SENTENCES


def set_key_figures(folder: Path, ids: list[str]) -> None:
    path = folder / "report.yaml"
    text = path.read_text(encoding="utf-8")
    old = ("key_figures:\n  - revenue\n  - income_from_mining_operations\n"
           "  - net_income_before_tax_and_one_time_items\n")
    assert old in text
    new = "key_figures:\n" + "".join(f"  - {i}\n" for i in ids) if ids else "key_figures: []\n"
    path.write_text(text.replace(old, new), encoding="utf-8")


# (key_figures, sentences)
KEY_FIGURE_CASES = [
    (["other_sga"], [
        "Other SG&A was a net credit of $0.2 million for the three months ended June 30, 2011, "
        "compared with a net credit of $0.8 million in 2010.",
        "Other SG&A was a net credit of $1.1 million for the nine months ended June 30, 2011, "
        "compared with a net credit of $2.5 million in 2010.",
    ]),
    (["cost_of_sales"], [
        "Cost of Sales was $3.0 million for the three months ended June 30, 2011, compared with "
        "$0.4 million in 2010.",
        "Cost of Sales was $8.4 million for the nine months ended June 30, 2011, compared with "
        "$1.1 million in 2010.",
    ]),
    (["interest", "depreciation_and_amortization"], [
        "Interest was $42,000 for the three months ended June 30, 2011, compared with $0.4 million "
        "in 2010, a decrease of 89%.",
        "Depreciation and Amortization was $0.9 million for the three months ended June 30, 2011, "
        "compared with $14,000 in 2010.",
        "Interest was $0.4 million for the nine months ended June 30, 2011, compared with $0.5 million "
        "in 2010, a decrease of 10%.",
        "Depreciation and Amortization was $5.8 million for the nine months ended June 30, 2011, "
        "compared with $0.1 million in 2010.",
    ]),
    ([], []),
]


@pytest.mark.parametrize(("ids", "sentences"), KEY_FIGURE_CASES, ids=["+".join(c[0]) or "none" for c in KEY_FIGURE_CASES])
def test_highlights_follow_key_figures(report_dir, ids, sentences):
    set_key_figures(report_dir, ids)
    report = load_report(report_dir)
    assert highlight_sentences(report.figures, report.statement, report.settings) == sentences


def test_highlights_without_a_prior_year(report_dir):
    path = report_dir / "figures.csv"
    kept = [line for line in path.read_text(encoding="utf-8").splitlines(True) if ",2010-06-30," not in line]
    path.write_text("".join(kept), encoding="utf-8")
    report = load_report(report_dir)
    assert highlight_sentences(report.figures, report.statement, report.settings)[:1] == [
        "Revenue was $4.4 million for the three months ended June 30, 2011."]


# --------------------------------------------------------------------------------------------
# describe_amount
# --------------------------------------------------------------------------------------------

INCOME = Line(id="revenue", label="Revenue", sign=1)
COST = Line(id="other_sga", label="Other SG&A", sign=-1)

# (id, amount in full units, line, currency, words)
AMOUNTS = [
    ("nil", Decimal(0), INCOME, "CAD", "nil"),
    ("nil-cost", Decimal("0.00"), COST, "CAD", "nil"),
    ("millions", Decimal(4_421_000), INCOME, "CAD", "$4.4 million"),
    ("millions-half-up", Decimal(1_250_000), INCOME, "CAD", "$1.3 million"),
    ("tens-of-millions", Decimal(12_345_678), INCOME, "CAD", "$12.3 million"),
    ("billions-in-millions", Decimal(1_500_000_000), INCOME, "CAD", "$1,500.0 million"),
    ("loss", Decimal(-407_000), INCOME, "CAD", "a loss of $0.4 million"),
    ("loss-millions", Decimal(-3_387_000), INCOME, "CAD", "a loss of $3.4 million"),
    ("net-credit-of-a-cost", Decimal(-247_000), COST, "CAD", "a net credit of $0.2 million"),
    ("cost-positive", Decimal(3_006_000), COST, "CAD", "$3.0 million"),
    ("small-in-full", Decimal(39_000), INCOME, "CAD", "$39,000"),
    ("small-just-below-threshold", Decimal(49_999), INCOME, "CAD", "$49,999"),
    ("threshold-in-millions", Decimal(50_000), INCOME, "CAD", "$0.1 million"),
    ("small-loss", Decimal(-39_000), INCOME, "CAD", "a loss of $39,000"),
    ("small-net-credit", Decimal(-1_000), COST, "CAD", "a net credit of $1,000"),
    ("small-rounded-to-units", Decimal("1234.56"), INCOME, "CAD", "$1,235"),
    ("euros", Decimal(4_421_000), INCOME, "EUR", "€4.4 million"),
    ("us-dollars", Decimal(4_421_000), INCOME, "USD", "US$4.4 million"),
]


@pytest.mark.parametrize(("case", "amount", "line", "currency", "words"), AMOUNTS, ids=[c[0] for c in AMOUNTS])
def test_describe_amount(case, amount, line, currency, words):
    assert describe_amount(amount, line, currency, "en_CA") == words


# --------------------------------------------------------------------------------------------
# describe_change
# --------------------------------------------------------------------------------------------

# (id, current, prior, words)
CHANGES = [
    ("to-nil", 0, 100, ""),
    ("from-nil", 100, 0, ""),
    ("from-a-loss", 100, -50, ""),
    ("to-a-loss", -100, 50, ""),
    ("loss-to-loss", -100, -50, ""),
    ("beyond-500-percent", 601, 100, ""),
    ("Los-Santos-net-income-q3", 690_000, 39_000, ""),
    ("exactly-500-percent", 600, 100, ", an increase of 500%"),
    ("increase", 10_186, 8_000, ", an increase of 27%"),
    ("decrease", 50, 100, ", a decrease of 50%"),
    ("unchanged", 100, 100, ", unchanged"),
    ("rounds-to-unchanged-up", 1_004, 1_000, ", unchanged"),
    ("rounds-to-unchanged-down", 996, 1_000, ", unchanged"),
    ("half-up-increase", 1_005, 1_000, ", an increase of 1%"),
    ("half-up-decrease", 995, 1_000, ", a decrease of 1%"),
    ("almost-all-gone", 1, 1_000, ", a decrease of 100%"),
]


@pytest.mark.parametrize(("case", "current", "prior", "words"), CHANGES, ids=[c[0] for c in CHANGES])
def test_describe_change(case, current, prior, words):
    assert describe_change(Decimal(current), Decimal(prior)) == words
