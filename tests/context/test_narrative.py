"""Highlight sentences written from the figures, and the words for amounts and changes."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from reporter.context.narrative import describe_amount, describe_change, highlight_sentences
from reporter.data.report import load_report
from reporter.inputs.statement import Line
from helpers import FIXTURES

LOS_SANTOS_SENTENCES = [
    "Revenue was $4.4 million for the three months ended June 30, 2011, compared with nil in the same period of 2010.",
    "Income from mining operations was $1.4 million for the three months ended June 30, 2011, "
    "compared with a loss of $0.4 million in the same period of 2010.",
    "Net income before tax and one time items was $0.7 million for the three months ended June 30, "
    "2011, compared with $0.04 million in the same period of 2010.",
    "Revenue was $10.2 million for the nine months ended June 30, 2011, compared with nil in the same period of 2010.",
    "Income from mining operations was $1.8 million for the nine months ended June 30, 2011, "
    "compared with a loss of $1.1 million in the same period of 2010.",
    "Net income before tax and one time items was a loss of $3.4 million for the nine months ended "
    "June 30, 2011, compared with earnings of $0.8 million in the same period of 2010.",
]


def test_los_santos_highlights(loaded_report):
    assert highlight_sentences(loaded_report.figures, loaded_report.statement, loaded_report.settings) == LOS_SANTOS_SENTENCES


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
        "compared with a net credit of $0.8 million in the same period of 2010.",
        "Other SG&A was a net credit of $1.1 million for the nine months ended June 30, 2011, "
        "compared with a net credit of $2.5 million in the same period of 2010.",
    ]),
    (["cost_of_sales"], [
        "Cost of sales was $3.0 million for the three months ended June 30, 2011, compared with "
        "$0.4 million in the same period of 2010.",
        "Cost of sales was $8.4 million for the nine months ended June 30, 2011, compared with "
        "$1.1 million in the same period of 2010.",
    ]),
    (["interest", "depreciation_and_amortization"], [
        "Interest was $0.04 million for the three months ended June 30, 2011, compared with $0.4 million "
        "in the same period of 2010, a decrease of 89%.",
        "Depreciation and amortization was $0.9 million for the three months ended June 30, 2011, "
        "compared with $0.01 million in the same period of 2010.",
        "Interest was $0.4 million for the nine months ended June 30, 2011, compared with $0.5 million "
        "in the same period of 2010, a decrease of 10%.",
        "Depreciation and amortization was $5.8 million for the nine months ended June 30, 2011, "
        "compared with $0.1 million in the same period of 2010.",
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
    ("small-two-places", Decimal(39_000), INCOME, "CAD", "$0.04 million"),
    ("small-just-below-a-tenth", Decimal(49_999), INCOME, "CAD", "$0.05 million"),
    ("threshold-in-millions", Decimal(50_000), INCOME, "CAD", "$0.1 million"),
    ("small-loss", Decimal(-39_000), INCOME, "CAD", "a loss of $0.04 million"),
    ("small-net-credit", Decimal(-1_000), COST, "CAD", "a net credit of $1,000"),
    ("small-rounded-to-units", Decimal("1234.56"), INCOME, "CAD", "$1,235"),
    ("euros", Decimal(4_421_000), INCOME, "EUR", "€4.4 million"),
    ("us-dollars", Decimal(4_421_000), INCOME, "USD", "US$4.4 million"),
]


@pytest.mark.parametrize(("case", "amount", "line", "currency", "words"), AMOUNTS, ids=[c[0] for c in AMOUNTS])
def test_describe_amount(case, amount, line, currency, words):
    assert describe_amount(amount, line, currency, "en_CA") == words


def test_millions_in_a_sentence_follow_the_languages_number_rules():
    """One rule for millions (numbers.millions_one/other), for sentences as for cards and the
    `millions` filter: an RNS-style language file writing "£4.4m" gets it in its sentences too."""
    from reporter.inputs.language import load_language

    numbers = {**load_language("en_GB").rule("numbers"), "millions_one": "{money}m", "millions_other": "{money}m"}
    assert describe_amount(Decimal(4_421_000), INCOME, "GBP", "en_GB", numbers=numbers) == "£4.4m"
    assert describe_amount(Decimal(-38_000), INCOME, "GBP", "en_GB", numbers=numbers) == "a loss of £0.04m"


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


# --------------------------------------------------------------------------------------------
# True sentences: signs on both sides, one unit, sentence case, restated comparatives
# --------------------------------------------------------------------------------------------

from reporter.data.factcheck import CheckStatus, check_commentary  # noqa: E402
from reporter.inputs.commentary import parse_commentary  # noqa: E402
from reporter.context.narrative import sentence_case  # noqa: E402


def set_figure(folder: Path, line_id: str, period: str, value: str) -> None:
    path = folder / "figures.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    prefix = f"{line_id},{period},"
    index = next(i for i, line in enumerate(lines) if line.startswith(prefix))
    lines[index] = prefix + value
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_loss_against_earnings_says_earnings(report_dir):
    """A loss this year against earnings a year earlier: "compared with earnings of", never a second loss."""
    set_key_figures(report_dir, ["net_income_before_tax_and_one_time_items"])
    set_figure(report_dir, "net_income_before_tax_and_one_time_items", "2011-06-30,3", '"($1,000)"')
    set_figure(report_dir, "net_income_before_tax_and_one_time_items", "2010-06-30,3", "$528")
    report = load_report(report_dir)
    assert highlight_sentences(report.figures, report.statement, report.settings)[0] == (
        "Net income before tax and one time items was a loss of $1.0 million for the three months ended "
        "June 30, 2011, compared with earnings of $0.5 million in the same period of 2010.")


def test_small_amounts_put_the_whole_sentence_in_full(report_dir):
    set_key_figures(report_dir, ["interest"])
    set_figure(report_dir, "interest", "2011-06-30,3", "4")
    report = load_report(report_dir)
    assert highlight_sentences(report.figures, report.statement, report.settings)[0] == (
        "Interest was $4,000 for the three months ended June 30, 2011, compared with $387,000 in the "
        "same period of 2010, a decrease of 99%.")


def test_restated_comparative_is_used_and_said(report_dir):
    """A restated prior-year column is the comparative: the sentence uses it and says so."""
    path = report_dir / "figures.csv"
    rows = path.read_text(encoding="utf-8").splitlines()
    restated = [row.replace(",2010-06-30,3,", ",2010-06-30,3,") + ",true" for row in rows[1:] if ",2010-06-30,3," in row]
    restated = [r.replace("revenue,2010-06-30,3,$0,true", "revenue,2010-06-30,3,$500,true")
                 .replace('income_from_mining_operations,2010-06-30,3,($407),true',
                          'income_from_mining_operations,2010-06-30,3,$93,true')
                 .replace("net_income_before_tax_and_one_time_items,2010-06-30,3,$39,true",
                          "net_income_before_tax_and_one_time_items,2010-06-30,3,$539,true") for r in restated]
    body = [row + ",false" for row in rows[1:]]
    path.write_text("\n".join([rows[0] + ",restated"] + body + restated) + "\n", encoding="utf-8")
    report = load_report(report_dir)
    sentences = highlight_sentences(report.figures, report.statement, report.settings)
    assert sentences[0] == ("Revenue was $4.4 million for the three months ended June 30, 2011, compared "
                            "with $0.5 million in the same period of 2010 (restated).")
    assert sentences[1] == ("Income from mining operations was $1.4 million for the three months ended June "
                            "30, 2011, compared with $0.1 million in the same period of 2010 (restated).")
    # The nine months have no restated column: the published comparative, and no "(restated)".
    assert "(restated)" not in sentences[3]


@pytest.mark.parametrize(("label", "text"), [
    ("Income From Mining Operations", "Income from mining operations"),
    ("Other SG&A", "Other SG&A"), ("EBITDA", "EBITDA"), ("Net Loss", "Net loss"),
    ("Cost of Sales", "Cost of sales"), ("General and Administrative", "General and administrative"),
])
def test_sentence_case(label, text):
    assert sentence_case(label, {"SG&A", "EBITDA"}) == text


def test_generated_sentences_pass_the_commentary_check(loaded_report):
    """Every amount of every generated sentence is read back by the commentary check and ties."""
    sentences = highlight_sentences(loaded_report.figures, loaded_report.statement, loaded_report.settings)
    text = "---\nheadline: x\n---\n" + "\n\n".join(sentences) + "\n"
    findings = check_commentary(parse_commentary(text, Path("narrative.md")), loaded_report.figures,
                                loaded_report.statement, loaded_report.settings)
    assert len(findings) == 10
    assert {f.status for f in findings} == {CheckStatus.TIES}


def test_restated_fiscal_year_cards_and_sentences(cli, tmp_path):
    """A published restated prior year is the comparative of cards and sentences, and they say so."""
    from helpers import pdf_pages

    table = FIXTURES / "layouts" / "fiscal-year-restated.csv"
    folder = tmp_path / "fy"
    assert cli("ingest", table, "--out", folder, "--fiscal-year-end", "09-30", "--currency", "CAD").exit_code == 0
    result = cli("build", folder, "-o", tmp_path / "out", "--draft")
    assert result.exit_code == 0, result.output
    pages = pdf_pages(Path(result.stdout.strip()))
    first = pages[0]
    assert "REVENUE\n$21,400\nCAD thousands · FY 2012" in first
    assert "FY 2011 (restated): $4,830 · +16%" in first
    text = " ".join(" ".join(pages).split())
    assert ("Revenue was $21.4 million for the year ended September 30, 2012, compared with $19.0 million "
            "in fiscal 2011 (restated), an increase of 13%.") in text


# A line is named once: a label that says loss is not followed by "a loss of"; a label that
# gives both signs ("Earnings (loss)") is written with the word of the figure's sign; a
# comparative of the other sign always says what it is.
NAMED_ONCE_CASES = [
    ("Loss from mining operations", Decimal(-300), Decimal(-400),
     "Loss from mining operations was $0.3 million for the three months ended June 30, 2011, "
     "compared with $0.4 million in the same period of 2010."),
    ("Loss from mining operations", Decimal(-300), Decimal(500),
     "Loss from mining operations was $0.3 million for the three months ended June 30, 2011, "
     "compared with earnings of $0.5 million in the same period of 2010."),
    ("Earnings (loss) before tax", Decimal(-3_500), Decimal(800),
     "Loss before tax was $3.5 million for the three months ended June 30, 2011, "
     "compared with earnings before tax of $0.8 million in the same period of 2010."),
    ("Gross profit (loss)", Decimal(-875), Decimal(2_675),
     "Gross loss was $0.9 million for the three months ended June 30, 2011, "
     "compared with gross profit of $2.7 million in the same period of 2010."),
    ("Earnings (loss) before tax", Decimal(800), Decimal(-3_500),
     "Earnings before tax were $0.8 million for the three months ended June 30, 2011, "
     "compared with a loss of $3.5 million in the same period of 2010."),
    ("Net income (loss)", Decimal(-1_200), Decimal(-900),
     "Net loss was $1.2 million for the three months ended June 30, 2011, "
     "compared with $0.9 million in the same period of 2010."),
    ("Revenue (net)", Decimal(1_200), Decimal(900),
     "Revenue (net) was $1.2 million for the three months ended June 30, 2011, "
     "compared with $0.9 million in the same period of 2010, an increase of 33%."),
]


@pytest.mark.parametrize("label, current, prior, expected", NAMED_ONCE_CASES)
def test_a_line_is_named_once_and_every_sign_is_said(loaded_report, label, current, prior, expected):
    from reporter.context.narrative import sentence
    settings = loaded_report.settings
    thousands = Decimal(settings.scale)
    line = Line(id="x", label=label, sign=1)
    text = sentence(line, settings.period, current * thousands, prior * thousands, settings)
    assert text == expected
    assert "was a loss" not in text


# "and" joining two words before the head noun is no end of the head: "General and administrative
# expenses" (an SEC statement), "Income and mining taxes" (a Canadian producer), "Exploration and
# evaluation costs" (an ASX report) are plural; "Depreciation and amortization" stays singular.
VERB_CASES = [
    ("General and administrative expenses", "General and administrative expenses were"),
    ("Income and mining taxes", "Income and mining taxes were"),
    ("Exploration and evaluation costs", "Exploration and evaluation costs were"),
    ("Selling, general and administrative expenses", "Selling, general and administrative expenses were"),
    ("Depreciation and amortization", "Depreciation and amortization was"),
    ("Cost of sales", "Cost of sales was"),
]


@pytest.mark.parametrize("label, opening", VERB_CASES)
def test_the_verb_agrees_with_the_head_after_and(loaded_report, label, opening):
    from reporter.context.narrative import sentence
    settings = loaded_report.settings
    thousands = Decimal(settings.scale)
    line = Line(id="x", label=label, sign=-1)
    text = sentence(line, settings.period, Decimal(2_100) * thousands, Decimal(1_900) * thousands, settings)
    assert text.startswith(opening + " $2.1 million for the three months ended June 30, 2011"), text


@pytest.mark.parametrize("current, opening", [(Decimal(-1_200), "Net loss was $1.2 million"),
                                              (Decimal(1_200), "Net earnings were $1.2 million")])
def test_number_plural_is_said_of_the_label_not_of_its_loss_name(loaded_report, current, opening):
    """`en: {text: Net earnings (loss), number: plural}` makes "Net earnings were"; named for a
    loss the line is "Net loss", whose verb is singular (it read "Net loss were")."""
    from reporter.context.narrative import sentence
    settings = loaded_report.settings
    thousands = Decimal(settings.scale)
    line = Line(id="x", label="Net earnings (loss)", sign=1,
                labels=(("en", "Net earnings (loss)", "m", "plural"),))
    text = sentence(line, settings.period, current * thousands, Decimal(900) * thousands, settings)
    assert text.startswith(opening + " for the three months ended June 30, 2011"), text
