"""Other issuers' results tables, as published: each is ingested with only what the release leaves
unsaid, validated, built, and every figure read back from the PDF in its row with its unit.

The tables in tests/fixtures/ingest/issuers/ imitate real layouts (an SEC statement of operations
pasted from an EDGAR page, RNS highlights, an ASX Appendix 4D, a newswire repost, restated
quarters oldest first) with figures written for these tests.
"""

from __future__ import annotations

from pathlib import Path

import re

import pytest
import yaml

from helpers import FIXTURES, pdf_pages
from reporter.ingest import IngestOptions, ingest_table
from reporter.errors import DataError

ISSUERS = FIXTURES / "ingest" / "issuers"

# name: (options the table cannot tell, {line id: formula}, {line id: unit},
#        reported period (end, months, restated), currency, scale,
#        {printed row: its unit column and figures as a reader copies them from the PDF})
CASES = {
    "sec-statement-of-operations": (
        IngestOptions(currency="USD"),  # the page prints only "$"
        {"total_costs_and_expenses": "cost_of_sales + general_and_administrative + exploration",
         "operating_income": "revenues - total_costs_and_expenses",
         "income_before_income_taxes": "operating_income + interest_expense",  # printed (1,250)
         "net_income": "income_before_income_taxes - income_tax_expense"},
        {"net_income_per_share_basic": "US$ per share",
         "weighted_average_shares_outstanding_basic": "'000 shares"},
        ("2023-06-30", 3, False), "USD", "thousands",
        {"Revenues": "US$ 000 US$48,215 US$41,630 US$95,102 US$80,447",
         "Cost of sales": "US$ 000 30,118 27,904 59,880 54,215",
         "General and administrative": "US$ 000 4,512 4,230 9,015 8,390",
         "Exploration": "US$ 000 2,207 1,965 4,310 3,802",
         "Total costs and expenses": "US$ 000 US$36,837 US$34,099 US$73,205 US$66,407",
         "Operating income": "US$ 000 US$11,378 US$7,531 US$21,897 US$14,040",
         "Interest expense": "US$ 000 (1,250) (1,310) (2,480) (2,640)",
         "Income before income taxes": "US$ 000 US$10,128 US$6,221 US$19,417 US$11,400",
         "Income tax expense": "US$ 000 2,836 1,742 5,437 3,192",
         "Net income": "US$ 000 US$7,292 US$4,479 US$13,980 US$8,208",
         "Net income per share: basic": "US$ per share 0.05 0.03 0.09 0.05"}),
    "rns-highlights": (
        IngestOptions(),
        {"gross_profit": "revenue + cost_of_sales",  # costs printed negative and added
         "operating_profit": "gross_profit + administrative_expenses"},
        {"earnings_per_share": "cents per share", "copper_production": "'000 tonnes"},
        ("2008-06-30", 6, False), "USD", "millions",
        {"Revenue": "US$ millions US$1,245.6 US$1,102.3",
         "Cost of sales": "US$ millions (812.4) (745.0)",
         "Gross profit": "US$ millions US$433.2 US$357.3",
         "Administrative expenses": "US$ millions (61.8) (58.1)",
         "Operating profit": "US$ millions US$371.4 US$299.2",
         "Earnings per share": "cents per share 13.85 11.02",
         "Copper production": "'000 tonnes 182.5 175.0"}),
    "asx-appendix-4d": (
        IngestOptions(fiscal_year_end="06-30"),
        {"gross_profit": "revenue_from_ordinary_activities + cost_of_sales",
         "profit_before_income_tax": "gross_profit + corporate_and_administration + "
                                     "exploration_expensed",
         "profit_after_tax_attributable_to_members": "profit_before_income_tax + "
                                                     "income_tax_expense"},
        {"basic_earnings_per_share": "cents per share",
         "net_tangible_assets_per_share": "cents per share"},
        ("2023-12-31", 6, False), "AUD", "thousands",
        {"Revenue from ordinary activities": "A$ 000 A$84,312 A$71,905",
         "Cost of sales": "A$ 000 (52,118) (46,240)",
         "Gross profit": "A$ 000 A$32,194 A$25,665",
         "Corporate and administration": "A$ 000 (6,045) (5,512)",
         "Exploration expensed": "A$ 000 (2,380) (1,955)",
         "Profit before income tax": "A$ 000 A$23,769 A$18,198",
         "Income tax expense": "A$ 000 (7,131) (5,459)",
         "Profit after tax attributable to members": "A$ 000 A$16,638 A$12,739",
         "Basic earnings per share": "cents per share 6.52 5.01",
         "Net tangible assets per share": "cents per share 45.20 41.10"}),
    "newswire-summary": (
        IngestOptions(currency="USD", fiscal_year_end="12-31"),
        {"gross_margin": "revenue - cost_of_sales",
         "net_income": "gross_margin - general_and_administrative"},
        {"gold_sold": "oz", "average_realized_gold_price": "per oz"},
        ("2021-09-30", 3, False), "USD", "millions",
        {"Revenue": "US$ millions US$11.1 US$9.8",
         "Cost of sales": "US$ millions 6.2 5.9",
         "Gross margin": "US$ millions US$4.9 US$3.9",
         "General and administrative": "US$ millions 1.3 1.2",
         "Net income": "US$ millions US$3.6 US$2.7",
         "Gold sold": "oz 6,747 5,912",
         "Average realized gold price": "per oz 1,699 1,655"}),
    # Net income shared out under an "attributable to:" heading, EPS under a per-share heading
    # ("Basic", "Diluted"), and operating rows: ounces named only by the label, a price with only
    # "$" in its cells, and "$/oz" in a cell of its own before each figure.
    "sec-10q-attributable": (
        IngestOptions(fiscal_year_end="12-31"),
        {"income_before_income_taxes": "revenues - cost_of_sales - general_and_administrative",
         "net_income": "income_before_income_taxes - income_tax_expense"},
        {"net_income_per_share_attributable_to_shareholders_of_the_company_basic": "US$ per share",
         "net_income_per_share_attributable_to_shareholders_of_the_company_diluted": "US$ per share",
         "gold_ounces_sold": "oz", "average_realized_gold_price_per_ounce": "US$",
         "all_in_sustaining_costs": "US$/oz"},
        ("2024-09-30", 3, False), "USD", "thousands",
        {"Net income": "US$ 000 US$14,491 US$11,786 US$42,231 US$32,561",
         "Gold ounces sold": "oz 26,210 28,450 76,905 80,120",
         "Average realized gold price per ounce": "US$ 2,473 2,014 2,450 2,020",
         "All-in sustaining costs": "US$/oz 1,288 1,194 1,276 1,205"}),
    # RNS: "Attributable to:" over equity holders and non-controlling interests; a price and a
    # cost per unit whose units column says only "US$" (the money rows' say "US$m").
    "rns-attributable-prices": (
        IngestOptions(fiscal_year_end="12-31"),
        {"gross_profit": "revenue + cost_of_sales",
         "profit_for_the_period": "gross_profit + administrative_expenses"},
        {"gold_sold": "oz", "realised_gold_price": "US$", "aisc": "US$/oz", "cash_cost": "US$"},
        ("2024-06-30", 6, False), "USD", "millions",
        {"Profit for the period": "US$ millions US$125.6 US$103.3",
         "Attributable to equity holders of the parent": "US$ millions 109.8 90.1",
         "Attributable to non-controlling interests": "US$ millions 15.8 13.2",
         "Gold sold": "oz 187,450 192,610",
         "Realised gold price": "US$ 2,201 1,931",
         "AISC": "US$/oz 1,284 1,198",
         # No price word: its units column says US$ where the money rows say US$m.
         "Cash cost": "US$ 702 655"}),
    # ASX 4D: profit attributable to members and to non-controlling interests on lines of their
    # own, no heading; a price printed "$3,065" in a table in A$'000.
    "asx-4d-attributable": (
        IngestOptions(fiscal_year_end="06-30"),
        {"profit_before_income_tax": "revenue_from_ordinary_activities + cost_of_sales",
         "profit_after_tax": "profit_before_income_tax + income_tax_expense"},
        {"basic_earnings_per_share": "cents per share", "gold_sold": "oz",
         "average_realised_gold_price_per_ounce": "A$", "aisc": "A$/oz"},
        ("2024-12-31", 6, False), "AUD", "thousands",
        {"Profit after tax": "A$ 000 A$26,302 A$22,536",
         "Profit after tax attributable to members of the parent entity": "A$ 000 23,150 20,011",
         "Profit after tax attributable to non-controlling interests": "A$ 000 3,152 2,525",
         "Gold sold": "oz 31,480 29,950",
         "Average realised gold price per ounce": "A$ 3,065 2,815",
         "AISC": "A$/oz 1,745 1,690"}),
    # RNS half year in sterling, every figure down on the year: "£m" in the units column, costs
    # in brackets, EPS in pence and a "% change" column with the falls in brackets.
    "rns-sterling-decline": (
        IngestOptions(fiscal_year_end="12-31"),
        {"gross_profit": "revenue + cost_of_sales",
         "operating_profit": "gross_profit + administrative_expenses"},
        {"basic_earnings_per_share": "pence per share"},
        ("2024-06-30", 6, False), "GBP", "millions",
        {"Revenue": "GBP millions £212.4 £268.9",
         "Cost of sales": "GBP millions (171.0) (183.2)",
         "Gross profit": "GBP millions £41.4 £85.7",
         "Administrative expenses": "GBP millions (18.3) (16.9)",
         # (Its EPS row's "pence per share" wraps in the units column: not one line to read.)
         "Operating profit": "GBP millions £23.1 £68.8"}),
    "restated-ascending-quarters": (
        IngestOptions(fiscal_year_end="12-31"),
        {"earnings_from_mine_operations": "revenue - operating_costs - depreciation",
         "net_earnings": "earnings_from_mine_operations - general_and_administrative"},
        {},
        ("2023-12-31", 3, True), "CAD", "thousands",  # the latest column, not the first
        {"Revenue": "$10,250 $11,400 $12,080 $13,515",
         "Operating costs": "6,120 6,840 7,010 7,655",
         "Depreciation": "1,480 1,502 1,530 1,561",
         "General and administrative": "820 845 870 910",
         "Net earnings": "$1,830 $2,213 $2,670 $3,389"}),
}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, tuple[Path, object, list[str]]]:
    """Ingest, validate and build every table once: (folder, ingest report, PDF pages)."""
    from typer.testing import CliRunner

    from reporter.cli.app import app

    runner = CliRunner()
    out = {}
    root = tmp_path_factory.mktemp("issuers")
    for name, (options, *_rest) in CASES.items():
        folder = root / name
        report = ingest_table(ISSUERS / f"{name}.tsv", folder, options)
        result = runner.invoke(app, ["validate", str(folder)], catch_exceptions=False)
        assert "0 fail" in result.output, result.output
        pdf = root / f"{name}.pdf"
        result = runner.invoke(app, ["build", str(folder), "--draft", "-o", str(pdf)],
                               catch_exceptions=False)
        assert result.exit_code == 0, result.output
        out[name] = (folder, report, pdf_pages(pdf))
    return out


def statement_lines(folder: Path) -> list[dict]:
    return yaml.safe_load((folder / "statement.yaml").read_text(encoding="utf-8"))["lines"]


@pytest.mark.parametrize("name", CASES)
def test_structure_and_units_are_read_as_published(built, name):
    folder, report, _ = built[name]
    _, formulas, units, _, currency, scale, _ = CASES[name]
    lines = statement_lines(folder)
    assert {line["id"]: line["formula"] for line in lines if "formula" in line} == formulas
    assert {line["id"]: line["unit"] for line in lines if "unit" in line} == units
    assert (report.currency, report.scale) == (currency, scale)


@pytest.mark.parametrize("name", CASES)
def test_the_reported_period_is_the_latest_column(built, name):
    folder, _, _ = built[name]
    end, months, restated = CASES[name][3]
    period = yaml.safe_load((folder / "report.yaml").read_text(encoding="utf-8"))["period"]
    assert (str(period["end"]), period["months"], period.get("restated", False)) == \
        (end, months, restated)


@pytest.mark.parametrize("name", CASES)
def test_every_figure_prints_in_its_row_with_its_unit(built, name):
    _, _, pages = built[name]
    rows = CASES[name][-1]
    assert rows
    lines = pages[0].splitlines()
    for label, printed in rows.items():
        found = [line for line in lines if line.startswith(label + " ")]
        assert found, f"no row {label!r} on page 1:\n{pages[0]}"
        assert found[0] == f"{label} {printed}"


@pytest.mark.parametrize("name", ["sec-statement-of-operations", "rns-highlights",
                                  "asx-appendix-4d", "newswire-summary"])
def test_no_line_in_its_own_unit_is_a_card_or_a_sentence(built, name):
    folder, _, pages = built[name]
    units = CASES[name][2]
    assert units
    settings = yaml.safe_load((folder / "report.yaml").read_text(encoding="utf-8"))
    assert not set(settings["key_figures"]) & set(units)
    labels = {line["id"]: line["label"] for line in statement_lines(folder)}
    text = " ".join(" ".join(pages).split())  # a long label wraps in its cell
    for line_id in units:
        # Printed once: in the table, never as a card or a highlight sentence about money.
        assert text.count(labels[line_id]) == 1, labels[line_id]


def test_the_money_caption_never_heads_a_line_in_its_own_unit(built):
    _, _, pages = built["rns-highlights"]
    # With lines in their own units, each row says its unit: no caption row over the columns.
    assert "US$ millions US$ millions" not in pages[0]
    assert "Earnings per share cents per share 13.85 11.02" in pages[0]


def test_one_two_decimal_per_share_row_leaves_the_money_places_and_tolerance(built):
    """The EPS row's two places neither print ".00" on money nor tighten the tie-outs."""
    folder, report, pages = built["sec-statement-of-operations"]
    assert "48,215.00" not in pages[0]
    # The share count, whose label wraps, keeps its own unit and whole figures.
    assert ("Weighted average shares outstanding: basic '000 shares 152,340 151,980 152,200 "
            "151,870") in " ".join(pages[0].split())
    settings = yaml.safe_load((folder / "report.yaml").read_text(encoding="utf-8"))
    assert str(settings.get("tie_out_tolerance", 1)) == "1"


@pytest.mark.parametrize("name, checked", [("asx-appendix-4d", 20), ("rns-highlights", 7),
                                           ("rns-sterling-decline", 6)])
def test_published_changes_are_kept_and_checked(tmp_path, cli, name, checked):
    options = CASES[name][0]
    folder = tmp_path / name
    ingest_table(ISSUERS / f"{name}.tsv", folder, options)
    changes = [change for line in statement_lines(folder) for change in line.get("changes", [])]
    assert len(changes) == checked
    result = cli("validate", folder)
    assert result.exit_code == 0, result.output
    assert f"published changes: {checked} checked, 0 differ" in result.output


def ingest_and_edit(tmp_path: Path, name: str, file: str, old: str, new: str) -> Path:
    """Ingest one issuer's table, then change the first `old` in one of the files written to `new`."""
    folder = tmp_path / name
    ingest_table(ISSUERS / f"{name}.tsv", folder, CASES[name][0])
    path = folder / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder


def test_a_published_change_the_figures_do_not_give_stops_validate(tmp_path, cli):
    folder = ingest_and_edit(tmp_path, "asx-appendix-4d", "statement.yaml", "percent: '17'", "percent: '19'")
    result = cli("validate", folder)
    assert result.exit_code == 1
    assert "statement.yaml: Revenue from ordinary activities" in result.output
    assert "published change in % 19, the figures give 17" in result.output


# The lines that share out the line above them, by layout: {line id: the line it shares out}.
ATTRIBUTIONS = {
    "sec-10q-attributable": {
        "net_income_attributable_to_shareholders_of_the_company": "net_income",
        "net_income_attributable_to_non_controlling_interests": "net_income"},
    "rns-attributable-prices": {
        "attributable_to_equity_holders_of_the_parent": "profit_for_the_period",
        "attributable_to_non_controlling_interests": "profit_for_the_period"},
    "asx-4d-attributable": {
        "profit_after_tax_attributable_to_members_of_the_parent_entity": "profit_after_tax",
        "profit_after_tax_attributable_to_non_controlling_interests": "profit_after_tax"},
}


@pytest.mark.parametrize("name", ATTRIBUTIONS)
def test_a_line_shared_out_is_neither_a_subtotal_nor_added_and_ties_to_its_line(built, cli, name):
    """Net income attributable to shareholders and to non-controlling interests add up to net
    income: no formula adds them, none is a key figure, and validate checks they tie."""
    folder, report, _ = built[name]
    lines = statement_lines(folder)
    assert {line["id"]: line["attribution_of"] for line in lines if "attribution_of" in line} == \
        ATTRIBUTIONS[name]
    shares = set(ATTRIBUTIONS[name])
    formulas = " ".join(line.get("formula", "") for line in lines)
    assert not any(share in formulas.split() for share in shares), formulas
    settings = yaml.safe_load((folder / "report.yaml").read_text(encoding="utf-8"))
    assert not shares & set(settings["key_figures"])
    assert not any("ties to no lines" in note for note in report.notes), report.notes

    from reporter.data.report import load_report

    checks = [t for t in load_report(folder).tie_outs if set(t.formula.split(" + ")) == shares]
    assert len(checks) == len(report.periods)
    assert all(t.status.value == "ties" and t.line_id == next(iter(ATTRIBUTIONS[name].values()))
               for t in checks)


def test_per_share_lines_under_their_heading_keep_its_words_and_their_own_unit(built):
    """"Basic" and "Diluted" under "Net income per share attributable to shareholders of the
    Company:" are per share (never US$80 thousand), named with the heading's words."""
    _, _, pages = built["sec-10q-attributable"]
    text = " ".join(pages[0].split())
    assert ("Net income per share attributable to shareholders of the Company: basic US$ per share "
            "0.08 0.07 0.23 0.19") in text
    assert ("Net income per share attributable to shareholders of the Company: diluted US$ per share "
            "0.08 0.07 0.22 0.18") in text
    assert ("Net income attributable to non-controlling interests US$ 000 1,588 1,242 4,581 3,443"
            in text)


def test_a_changed_share_that_no_longer_adds_up_stops_validate(tmp_path, cli):
    folder = ingest_and_edit(tmp_path, "rns-attributable-prices", "figures.csv",
                             "attributable_to_non_controlling_interests,2024-06-30,6,15.8",
                             "attributable_to_non_controlling_interests,2024-06-30,6,16.8")
    result = cli("validate", folder)
    assert result.exit_code == 1, result.output
    assert ("Profit for the period (profit_for_the_period), the six months ended June 30, 2024: "
            "lines give 126.6, published 125.6") in " ".join(result.output.split())


def test_lines_under_an_attributable_heading_that_do_not_add_up_are_still_shares(tmp_path, cli):
    """The RNS table without its non-controlling interests line: "Equity holders of the parent"
    alone under "Attributable to:" was left a plain line, its heading dropped, and the briefing's
    bridge drew it as a step of 109.8 past the profit. It shares out the profit all the same, and
    validate says, row and period, by how much the shares miss."""
    table = (ISSUERS / "rns-attributable-prices.tsv").read_text(encoding="utf-8")
    nci = "Non-controlling interests\tUS$m\t15.8\t13.2\t20\n"
    assert nci in table
    source = tmp_path / "rns-owners-only.tsv"
    source.write_text(table.replace(nci, ""), encoding="utf-8")
    folder = tmp_path / "rns"
    ingest_table(source, folder, CASES["rns-attributable-prices"][0])
    statement = (folder / "statement.yaml").read_text(encoding="utf-8")
    assert "attribution_of: profit_for_the_period" in statement
    result = cli("validate", folder)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert ("Profit for the period (profit_for_the_period), the six months ended June 30, 2024: "
            "lines give 109.8, published 125.6") in " ".join(result.output.split())


def test_a_money_line_after_shares_that_do_not_add_up_is_no_share(tmp_path):
    """The RNS table without its non-controlling interests line, and capital expenditure below the
    owners' share under no heading of its own: it was read as a share of the profit, labelled
    "Attributable to capital expenditure". The heading names only the lines that name owners."""
    table = (ISSUERS / "rns-attributable-prices.tsv").read_text(encoding="utf-8")
    nci = "Non-controlling interests\tUS$m\t15.8\t13.2\t20\n"
    assert nci in table and "Gold sold\t" in table
    source = tmp_path / "rns-owners-then-capex.tsv"
    source.write_text(table.replace(nci, "").replace(
        "Gold sold\t", "Capital expenditure\tUS$m\t55.0\t48.2\t14\nGold sold\t"), encoding="utf-8")
    folder = tmp_path / "rns"
    ingest_table(source, folder, CASES["rns-attributable-prices"][0])
    lines = {line["id"]: line for line in statement_lines(folder)}
    assert {line_id: line["attribution_of"] for line_id, line in lines.items() if "attribution_of" in line} == \
        {"attributable_to_equity_holders_of_the_parent": "profit_for_the_period"}
    assert lines["capital_expenditure"]["label"] == "Capital expenditure"


def test_a_bridge_takes_no_step_for_a_line_shared_out(built):
    from reporter.context import formatter
    from reporter.context.chart_data import bridge_steps
    from reporter.data.normalize import columns, figure_lookup
    from reporter.data.report import load_report

    folder, _, _ = built["rns-attributable-prices"]
    report = load_report(folder)
    period = columns(report.figures)[0]
    steps, _ = bridge_steps(report.statement, figure_lookup(report.figures), period,
                            formatter(report))
    assert steps
    assert [label for label, _, _ in steps] == ["Revenue", "Cost of sales", "Gross profit",
                                                "Administrative expenses", "Profit for the period"]


def test_a_deduction_of_non_controlling_interests_stays_a_subtotal(tmp_path):
    """US GAAP: "Net income / Less: net income attributable to noncontrolling interests / Net
    income attributable to the Company": the label says a deduction, so the bottom line is a
    subtotal (and a key figure), as before."""
    source = tmp_path / "gaap.tsv"
    source.write_text("\tThree Months Ended\t\n\tSep. 30, 2024\tSep. 30, 2023\n"
                      "(in thousands of U.S. dollars)\n"
                      "Revenues\t64,820\t57,310\n"
                      "Cost of sales\t50,329\t45,524\n"
                      "Net income\t14,491\t11,786\n"
                      "Less: net income attributable to noncontrolling interests\t1,588\t1,242\n"
                      "Net income attributable to Sierra Verde Mining Inc.\t12,903\t10,544\n", encoding="utf-8")
    report = ingest_table(source, tmp_path / "out", IngestOptions(fiscal_year_end="12-31"))
    assert dict(report.subtotals) == {
        "net_income": "revenues - cost_of_sales",
        "net_income_attributable_to_sierra_verde_mining_inc":
            "net_income - less_net_income_attributable_to_noncontrolling_interests"}
    assert not any(line.attribution_of for line in report.lines)


FIGURE = re.compile(r"^\(?(?:(?:US|A|C|CA)?\$|£|€)?[\d,]+(?:\.\d+)?\)?$|^[—–-]$")


@pytest.mark.parametrize("name", CASES)
def test_every_figure_of_a_column_ends_on_one_edge(built, tmp_path, name):
    """Money, per-share, ounce and price rows alike: the units digit of every figure in a column
    ends at one x (a two-decimal EPS row once sat three characters left of the money above it)."""
    import pdfplumber
    from typer.testing import CliRunner

    from reporter.cli.app import app

    folder, _, _ = built[name]
    pdf = tmp_path / "table.pdf"
    result = CliRunner().invoke(app, ["build", str(folder), "--draft", "-o", str(pdf)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    rows = CASES[name][-1]
    assert rows
    with pdfplumber.open(pdf) as document:
        # Without the DRAFT mark's rotated letters, which pdfplumber would set among a row's.
        page = document.pages[0].filter(lambda obj: obj["object_type"] != "char" or abs(obj["matrix"][1]) < 1e-6)
        lines = page.extract_text_lines()
        ends: dict[int, list[float]] = {}
        for label, printed in rows.items():
            line = next(line for line in lines if line["text"].startswith(label + " "))
            # Each printed figure's units digit: the last digit of the figure's characters.
            row = line["chars"]
            words = printed.split()
            # The figures are the row's last words (before them: the label and the units column).
            words = words[next(i for i in range(len(words)) if all(FIGURE.match(w) for w in words[i:])
                               and words[i] != "000"):]  # "000": the units column's "US$ 000"
            figures: list[list[dict]] = [[]]
            for char in row:
                if char["text"].isspace() or (figures[-1] and char["x0"] - figures[-1][-1]["x1"] > 2):
                    figures.append([])
                if not char["text"].isspace():
                    figures[-1].append(char)
            figures = [figure for figure in figures if figure][-len(words):]
            assert ["".join(c["text"] for c in figure) for figure in figures] == words, (label, figures)
            for column, figure in enumerate(figures):
                digits = [c["x1"] for c in figure if c["text"].isdigit()]
                if digits:  # a nil mark has no units digit
                    ends.setdefault(column, []).append(max(digits))
    assert ends
    for column, xs in ends.items():
        assert max(xs) - min(xs) < 0.6, (name, column, xs)


@pytest.mark.parametrize("name, sentence", [
    ("sec-10q-attributable", "Revenues were US$64.8 million for the three months ended September 30, 2024"),
    ("sec-10q-attributable", "Net income was US$14.5 million for the three months ended September 30, 2024"),
    ("sec-statement-of-operations", "Revenues were US$48.2 million for the three months ended"),
])
def test_a_plural_line_takes_a_plural_verb(built, name, sentence):
    """"Revenues were", "Net income was": the verb agrees with the label's head noun, read by
    en.yaml's `sentences.number` rules for a label pasted from a filing."""
    _, _, pages = built[name]
    text = " ".join(" ".join(pages).split())
    assert sentence in text
    assert "Revenues was" not in text


def test_a_units_cell_longer_than_a_units_column_is_refused_at_its_row(tmp_path):
    """A paragraph pasted into the RNS table's units column: ingest wrote it as the line's unit,
    and validate then refused the folder ingest had just written. Now ingest names the row."""
    table = (ISSUERS / "rns-attributable-prices.tsv").read_text(encoding="utf-8")
    assert "AISC\tUS$/oz\t" in table
    source = tmp_path / "rns-long-unit.tsv"
    source.write_text(table.replace("AISC\tUS$/oz\t", "AISC\tUS$/oz " + "x" * 90 + "\t"), encoding="utf-8")
    folder = tmp_path / "rns"
    with pytest.raises(DataError) as refused:
        ingest_table(source, folder, CASES["rns-attributable-prices"][0])
    assert str(refused.value) == (f"data error: {source}, row 12: the unit is 97 characters, more than a units "
                                  "column holds (at most 80: `US$/oz`, `cents per share`)")
    assert not folder.exists()


def test_an_rns_table_converted_to_sterling_converts_its_prices_never_its_ounces(tmp_path):
    """The RNS table's US$ prices and AISC, in a report converted to sterling: converted at the
    half year's rate with the money lines and named in pounds; the ounces stay as published."""
    import datetime as dt
    from decimal import Decimal

    from reporter.data.report import load_report

    folder = tmp_path / "rns"
    ingest_table(ISSUERS / "rns-attributable-prices.tsv", folder, CASES["rns-attributable-prices"][0])
    path = folder / "report.yaml"
    text = path.read_text(encoding="utf-8")
    for old, new in [("  currency: USD ", "  currency: GBP "), ("# figures_currency: EUR ", "figures_currency: USD "),
                     ("fx_rates: []", "fx_rates:\n"
                      "  - {base: USD, quote: GBP, period_end: 2024-06-30, months: 6, rate: '0.7900'}\n"
                      "  - {base: USD, quote: GBP, period_end: 2023-06-30, months: 6, rate: '0.8050'}\n"
                      "fx_source: Bank of England")]:
        assert old in text
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    report = load_report(folder)
    units = {line.id: (line.unit.text, line.unit.converted) for line in report.statement.lines
             if line.unit.text}
    assert units == {"gold_sold": ("oz", False), "realised_gold_price": ("GBP", True),
                     "aisc": ("GBP/oz", True), "cash_cost": ("GBP", True)}
    h1 = report.figures[report.figures["period"].map(lambda p: p.end) == dt.date(2024, 6, 30)]
    shown = dict(zip(h1["line_id"], h1["shown"]))
    assert (shown["realised_gold_price"], shown["aisc"], shown["cash_cost"]) == \
        (Decimal("1739"), Decimal("1014"), Decimal("555"))  # 2,201, 1,284 and 702 at 0.79
    assert shown["gold_sold"] == Decimal("187450")
    assert shown["revenue"] == Decimal("326")  # US$412.6m at 0.79


@pytest.mark.parametrize("unit, scale", [("£m", "millions"), ("€mn", "millions"), ("£k", "thousands")])
def test_a_units_column_in_pounds_or_euros_gives_the_scale(tmp_path, unit, scale):
    """An RNS table in sterling says "£m" in its units column, as a dollar one says "US$m": the
    scale letter after £ or € was read after $ only, and ingest asked for the scale option."""
    table = (ISSUERS / "rns-sterling-decline.tsv").read_text(encoding="utf-8")
    assert "\t£m\t" in table
    source = tmp_path / "rns.tsv"
    source.write_text(table.replace("\t£m\t", f"\t{unit}\t"), encoding="utf-8")
    report = ingest_table(source, tmp_path / "rns", IngestOptions(fiscal_year_end="12-31"))
    assert (report.currency, report.scale) == ("EUR" if "€" in unit else "GBP", scale)


@pytest.mark.parametrize("unit, kept", [("pence", "pence per share"), ("p", "p per share"),
                                        ("cents", "cents per share")])
def test_a_per_share_rows_own_unit_is_kept(tmp_path, unit, kept):
    """"Basic earnings per share | pence | 4.12": the unit was dropped for a bare "per share",
    and the PDF printed 4.12 with nothing to say it is pence, not pounds."""
    table = (ISSUERS / "rns-sterling-decline.tsv").read_text(encoding="utf-8")
    assert "share\tpence\t" in table
    source = tmp_path / "rns.tsv"
    source.write_text(table.replace("share\tpence\t", f"share\t{unit}\t"), encoding="utf-8")
    folder = tmp_path / "rns"
    ingest_table(source, folder, IngestOptions(fiscal_year_end="12-31"))
    assert {line["id"]: line["unit"] for line in statement_lines(folder) if "unit" in line} == \
        {"basic_earnings_per_share": kept}


def test_a_fall_is_printed_with_a_true_minus_in_its_card_and_margin_row(built, tmp_path):
    """The sterling RNS table's falls, read back from the PDFs: each card's change and each
    margin's change of points take U+2212 (en.yaml), never the hyphen a reader would copy from
    the table's "(21)"; each change sits in the margins table's Change column."""
    import pdfplumber
    from typer.testing import CliRunner

    from reporter.cli.app import app

    folder, _, pages = built["rns-sterling-decline"]
    first = pages[0]
    for card in ("6M 2023: £268.9 · \u221221%", "6M 2023: £85.7 · \u221252%", "6M 2023: £68.8 · \u221266%"):
        assert card in first, first
    pdf = tmp_path / "briefing.pdf"
    result = CliRunner().invoke(app, ["build", str(folder), "-t", "quarterly-briefing", "--draft", "-o", str(pdf)],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    text = "\n".join(pdf_pages(pdf))
    assert "19.5% 31.9% \u221212.4 pts" in text and "10.9% 25.6% \u221214.7 pts" in text
    assert not re.search(r"(?<![\w)])-\d", text), re.findall(r".{20}(?<![\w)])-\d.{10}", text)
    with pdfplumber.open(pdf) as document:
        page = next(p for p in document.pages if "Margins" in (p.extract_text() or ""))
        words = page.extract_words()
        change = next(w for w in words if w["text"] == "Change")
        for figure in ("\u221212.4", "\u221214.7"):
            word = next(w for w in words if w["text"] == figure)
            assert word["x0"] < change["x1"] and word["x1"] > change["x0"], (figure, word, change)
