"""Figures kept in euros, published in Canadian dollars (`figures_currency: EUR`).

The report folder here is Los Santos with figures.csv rewritten in EUR: each published CAD figure
divided by the published EUR=CAD average rate of its period, written with two decimals (thousands
of euros). Normalisation must convert them back with the same rates, so the statement shows the
published CAD figures, the tie-outs pass as they do for the CAD figures, and the FX note says
which rates were used.
"""

from __future__ import annotations

import csv
import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

from helpers import LOS_SANTOS_PUBLISHED, SEED_TABLE, pdf_pages, table_row
from reporter.context.figures import Formatter
from reporter.errors import DataError
from reporter.inputs.notation import parse_amount
from reporter.context import build_context
from reporter.data.report import load_report
from reporter.build.pipeline import render_report_html
from reporter.theme.resolve import resolve_theme
from reporter.data.validate import TieOutStatus, require_tie_outs

# The published EUR=CAD average rates, per (period end, months).
RATES = {
    ("2011-06-30", 3): Decimal("1.3934"),
    ("2010-06-30", 3): Decimal("1.3073"),
    ("2011-06-30", 9): Decimal("1.3729"),
    ("2010-06-30", 9): Decimal("1.436078"),
}
PERIOD_KEYS = {("2011-06-30", 3): "2011-06-30/3m", ("2010-06-30", 3): "2010-06-30/3m",
               ("2011-06-30", 9): "2011-06-30/9m", ("2010-06-30", 9): "2010-06-30/9m"}

# The published table (thousands of CAD), columns: 3m 2011, 3m 2010, 9m 2011, 9m 2010.
PUBLISHED_CAD = LOS_SANTOS_PUBLISHED
COLUMNS = [("2011-06-30", 3), ("2010-06-30", 3), ("2011-06-30", 9), ("2010-06-30", 9)]
FIGURES = [(line_id, end, months, PUBLISHED_CAD[line_id][index])
           for line_id in PUBLISHED_CAD for index, (end, months) in enumerate(COLUMNS)]

# The table as the PDF prints it: the seed's own table.
PRINTED_CAD = SEED_TABLE

FX_NOTE = ("Figures were converted here to CAD from EUR at the Bank of Canada average rates for each "
           "period: Q3 2011 1.3934; Q3 2010 1.3073; 9M 2011 1.3729; 9M 2010 1.436078.")
# The briefing says the figures were converted here; the rates are in the table under the sentence.
BRIEFING_FX_NOTE = "Figures were converted here to CAD at the Bank of Canada average rates for each period, shown below."


def to_euros(cad: Decimal, end: str, months: int, places: int) -> Decimal:
    return (cad / RATES[end, months]).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def make_eur_folder(folder: Path, places: int = 2) -> Path:
    """Rewrite figures.csv of a Los Santos copy in EUR and set `figures_currency: EUR`."""
    figures = folder / "figures.csv"
    with figures.open(encoding="utf-8") as stream:
        header, *rows = list(csv.reader(stream))
    out = [header]
    for line_item, end, months, value in rows:
        euros = to_euros(parse_amount(value), end, int(months), places)
        out.append([line_item, end, months, f"{euros:.{places}f}"])
    with figures.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows(out)
    settings = folder / "report.yaml"
    text = settings.read_text(encoding="utf-8")
    assert "# figures_currency: EUR" in text
    settings.write_text(text.replace("# figures_currency: EUR", "figures_currency: EUR"), encoding="utf-8")
    return folder


def set_tolerance(folder: Path, tolerance: str) -> None:
    path = folder / "report.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("tie_out_tolerance: 1", f"tie_out_tolerance: {tolerance}"), encoding="utf-8")


@pytest.fixture
def eur_dir(report_dir) -> Path:
    return make_eur_folder(report_dir)


@pytest.fixture
def eur_report(eur_dir):
    return load_report(eur_dir)


def cell(table, line_id, period_key):
    rows = table[(table["line_id"] == line_id) & (table["period_key"] == period_key)]
    assert len(rows) == 1
    return rows.iloc[0]


# --------------------------------------------------------------------------------------------
# The EUR folder and its normalisation
# --------------------------------------------------------------------------------------------

# (line, period end, months, the CSV cell)
EUR_CELLS = [
    ("revenue", "2011-06-30", "3", "3172.81"),
    ("cost_of_sales", "2010-06-30", "9", "798.70"),
    ("other_sga", "2011-06-30", "3", "-177.26"),
    ("net_income_before_tax_and_one_time_items", "2011-06-30", "9", "-2467.04"),
    ("revenue", "2010-06-30", "3", "0.00"),
]


def test_figures_csv_holds_euros(eur_dir):
    with (eur_dir / "figures.csv").open(encoding="utf-8") as stream:
        rows = {(r["line_item"], r["period_end"], r["months"]): r["value"] for r in csv.DictReader(stream)}
    assert len(rows) == 28
    for line_item, end, months, value in EUR_CELLS:
        assert rows[line_item, end, months] == value


def test_settings_name_both_currencies(eur_report):
    assert eur_report.settings.figures_currency == "EUR"
    assert eur_report.settings.source_currency == "EUR"
    assert eur_report.settings.currency == "CAD"


@pytest.mark.parametrize(("line_id", "end", "months", "cad"), FIGURES, ids=[f"{f[0]}@{f[1]}/{f[2]}m" for f in FIGURES])
def test_converted_figure_rounds_to_the_published_cad_figure(eur_report, line_id, end, months, cad):
    row = cell(eur_report.figures, line_id, PERIOD_KEYS[end, months])
    rate = RATES[end, months]
    assert row["published"] == to_euros(Decimal(cad), end, months, 2)  # the EUR figure as written
    assert row["fx_rate"] == rate and isinstance(row["fx_rate"], Decimal)
    assert row["currency"] == "CAD" and row["scale"] == 1000
    assert row["amount"] == row["published"] * 1000 * rate  # exact: Decimal throughout
    shown = (row["amount"] / 1000).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    assert shown == cad
    # Two decimals of a thousand euros are off by at most 0.005 x rate thousand dollars.
    assert abs(row["amount"] / 1000 - cad) <= Decimal("0.005") * rate
    assert row["value"] == row["amount"] * row["sign"]


@pytest.mark.parametrize("places", [0, 1, 2, 4])
def test_every_figure_round_trips_at_any_precision_of_the_euro_figures(report_dir, places):
    """Even whole thousands of euros convert back to the published dollars for Los Santos.

    The error of a EUR figure rounded to `places` is at most half a unit of its last place, times
    the rate (< 1.44) in CAD: below 0.72 thousand at 0 places, and none of the 28 Los Santos
    figures happens to land on the wrong side of a half. So no converted figure differs from the
    published one, at any of these precisions.
    """
    report = load_report(make_eur_folder(report_dir, places))
    differ = []
    for line_id, end, months, cad in FIGURES:
        row = cell(report.figures, line_id, PERIOD_KEYS[end, months])
        if (row["amount"] / 1000).quantize(Decimal(1), rounding=ROUND_HALF_UP) != cad:
            differ.append((line_id, end, months))
    assert differ == []


def test_signed_values_follow_the_convention(eur_report):
    assert cell(eur_report.figures, "cost_of_sales", "2011-06-30/3m")["value"] < 0
    assert cell(eur_report.figures, "other_sga", "2011-06-30/3m")["value"] > 0
    assert cell(eur_report.figures, "revenue", "2011-06-30/3m")["value"] > 0


# --------------------------------------------------------------------------------------------
# Tie-outs and the build
# --------------------------------------------------------------------------------------------

def test_tie_outs_still_pass(eur_report):
    failures = [(t.line_id, t.period_key, str(t.difference)) for t in eur_report.tie_outs
                if t.status is TieOutStatus.FAILS]
    assert failures == []
    require_tie_outs(eur_report.tie_outs, eur_report.settings)


def test_build_writes_a_pdf_showing_the_cad_figures(cli, eur_dir, tmp_path):
    result = cli("build", eur_dir, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    pages = pdf_pages(Path(result.stdout.strip().splitlines()[-1]))
    for label, printed in PRINTED_CAD.items():
        assert table_row(pages[0], label) == printed


@pytest.mark.parametrize("places", [2, 4, 6])
def test_tie_outs_check_the_figures_as_shown(report_dir, places):
    """Tie-outs add up the converted figures as printed, so conversion noise never shows:
    the two published rounding gaps stay exactly 1 and every other subtotal ties exactly."""
    report = load_report(make_eur_folder(report_dir, places))
    gaps = {(t.line_id, t.period_key): abs(t.difference) for t in report.tie_outs}
    assert gaps.pop(("income_from_mining_operations", "2011-06-30/3m")) == 1
    assert gaps.pop(("net_income_before_tax_and_one_time_items", "2010-06-30/9m")) == 1
    assert set(gaps.values()) == {0}


@pytest.fixture
def eur_dir_tolerance_2(eur_dir) -> Path:
    """The EUR folder with room for the conversion noise, so the build goes through."""
    set_tolerance(eur_dir, "2")
    return eur_dir


def test_build_with_room_for_conversion_noise_shows_the_cad_figures(cli, eur_dir_tolerance_2, tmp_path):
    result = cli("build", eur_dir_tolerance_2, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    pdf = Path(result.stdout.strip().splitlines()[-1])
    assert pdf.suffix == ".pdf" and pdf.is_file()
    text = pdf_pages(pdf)[0]
    for label, printed in PRINTED_CAD.items():
        assert table_row(text, label) == printed, label
    assert "CAD$ 000 CAD$ 000 CAD$ 000 CAD$ 000" in text
    assert table_row(text, "EUR=CAD per Bank of Canada") == ["1.3934", "1.3073", "1.3729", "1.436078"]
    assert "REVENUE\n$4,421" in text


def test_rounding_notes_never_say_a_figure_differs_from_itself(eur_dir_tolerance_2):
    report = load_report(eur_dir_tolerance_2)
    require_tie_outs(report.tie_outs, report.settings)
    theme = resolve_theme("investor-summary", eur_dir_tolerance_2, None)
    context = build_context(report, theme, Formatter(locale="en_CA", currency="CAD"))
    assert context["rounding_notes"]
    for note in context["rounding_notes"]:
        published, computed = re.search(r"published figure of (.+?) differs from the sum of its lines \((.+)\)", note).groups()
        assert published != computed, note


# --------------------------------------------------------------------------------------------
# The FX note
# --------------------------------------------------------------------------------------------

def context_for(folder: Path, template: str = "investor-summary") -> dict:
    report = load_report(folder)
    theme = resolve_theme(template, folder, None)
    return build_context(report, theme, Formatter(locale=report.settings.locale, currency=report.settings.currency))


def test_fx_note_says_the_figures_were_converted_from_eur_at_the_rates_used(eur_dir):
    fx = context_for(eur_dir)["fx"]
    assert fx["converted"] is True
    assert fx["note"] == FX_NOTE
    assert fx["source"] == "Bank of Canada"
    assert fx["rows"] == [
        {"label": "3 month average FX EUR=CAD per Bank of Canada", "cells": ["1.3934", "1.3073"]},
        {"label": "9 month average FX EUR=CAD per Bank of Canada", "cells": ["1.3729", "1.436078"]}]


def test_statement_columns_carry_the_rate_they_were_converted_at(eur_dir):
    statement = context_for(eur_dir)["statement"]
    assert [c["fx_rate"] for c in statement["columns"]] == ["1.3934", "1.3073", "1.3729", "1.436078"]
    revenue = next(row for row in statement["rows"] if row["id"] == "revenue")
    assert [c["text"] for c in revenue["cells"]] == PRINTED_CAD["Revenue"]


def test_fx_note_of_figures_published_in_cad(example_dir):
    context = context_for(example_dir)
    assert context["fx"]["converted"] is False
    assert context["fx"]["note"] == FX_NOTE.replace("were converted here", "have been converted")
    assert [c["fx_rate"] for c in context["statement"]["columns"]] == [None] * 4


def test_fx_note_in_the_quarterly_briefing_html(eur_dir_tolerance_2):
    report = load_report(eur_dir_tolerance_2)
    theme = resolve_theme("quarterly-briefing", eur_dir_tolerance_2, None)
    document = render_report_html(report, theme)
    assert BRIEFING_FX_NOTE in document.html


# --------------------------------------------------------------------------------------------
# A missing rate
# --------------------------------------------------------------------------------------------

# (rate line removed from report.yaml, the period the message names)
MISSING_RATES = [
    ('  - {base: EUR, quote: CAD, period_end: 2011-06-30, months: 3, rate: "1.3934"}\n',
     "the three months ended June 30, 2011"),
    ('  - {base: EUR, quote: CAD, period_end: 2010-06-30, months: 3, rate: "1.3073"}\n',
     "the three months ended June 30, 2010"),
    ('  - {base: EUR, quote: CAD, period_end: 2011-06-30, months: 9, rate: "1.3729"}\n',
     "the nine months ended June 30, 2011"),
    ('  - {base: EUR, quote: CAD, period_end: 2010-06-30, months: 9, rate: "1.436078"}\n',
     "the nine months ended June 30, 2010"),
]


@pytest.mark.parametrize(("rate_line", "phrase"), MISSING_RATES, ids=[m[1] for m in MISSING_RATES])
def test_missing_rate_is_a_data_error_naming_report_yaml(eur_dir, rate_line, phrase):
    path = eur_dir / "report.yaml"
    text = path.read_text(encoding="utf-8")
    assert rate_line in text
    path.write_text(text.replace(rate_line, ""), encoding="utf-8")
    with pytest.raises(DataError) as info:
        load_report(eur_dir)
    assert str(info.value) == (f"data error: {path}: figures are in EUR but fx_rates has no EUR=CAD "
                               f"rate for {phrase}")


def test_rate_in_the_other_direction_does_not_count(eur_dir):
    path = eur_dir / "report.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("{base: EUR, quote: CAD, period_end: 2010-06-30, months: 9",
                                 "{base: CAD, quote: EUR, period_end: 2010-06-30, months: 9"), encoding="utf-8")
    with pytest.raises(DataError, match="no EUR=CAD rate for the nine months ended June 30, 2010"):
        load_report(eur_dir)


def test_missing_rate_stops_the_build_with_one_line(cli, eur_dir, tmp_path):
    path = eur_dir / "report.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(MISSING_RATES[0][0], ""), encoding="utf-8")
    result = cli("build", eur_dir, "-o", tmp_path / "out")
    assert result.exit_code == 1
    assert result.stderr.strip() == (f"data error: {path}: figures are in EUR but fx_rates has no "
                                     "EUR=CAD rate for the three months ended June 30, 2011")
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


# --------------------------------------------------------------------------------------------
# Money per unit in a converted report: prices and per-share figures
# --------------------------------------------------------------------------------------------

# (id, English label, unit, figures as written in figures.csv, figures as the PDF prints them, unit printed)
PER_UNIT_LINES = [
    # A price in the figures' currency: converted at each period's rate, its unit now CAD$.
    ("realised_price", "Average realised concentrate price", "€/mtu", ["150", "140", "148", "135"],
     ["209", "183", "203", "194"], "CAD$/mtu"),  # 150 x 1.3934 = 209.01; 135 x 1.436078 = 193.87
    # Per-share figures in cents of the figures' currency: converted, the currency named.
    ("basic_eps", "Basic earnings per share", "cents per share", ["0.50", "0.20", "1.10", "0.40"],
     ["0.70", "0.26", "1.51", "0.57"], "CAD cents per share"),  # 0.40 x 1.436078 = 0.574
    # A price in a third currency: as published, its unit saying which.
    ("apt_price", "APT market price", "US$/mtu", ["262", "205", "255", "190"],
     ["262", "205", "255", "190"], "US$/mtu"),
]


def add_per_unit_lines(folder: Path) -> None:
    with (folder / "statement.yaml").open("a", encoding="utf-8") as statement:
        for line_id, label, unit, *_ in PER_UNIT_LINES:
            statement.write(f"  - id: {line_id}\n    label: {{en: {label}, fr: {label}}}\n    unit: {unit}\n")
    with (folder / "figures.csv").open("a", encoding="utf-8") as figures:
        for line_id, _, _, written, *_ in PER_UNIT_LINES:
            for (end, months), value in zip(COLUMNS, written):
                figures.write(f"{line_id},{end},{months},{value}\n")


def test_money_per_unit_in_the_figures_currency_is_converted_and_says_its_new_currency(eur_dir, tmp_path):
    """Before: the €/mtu price and the EUR cents per share printed unconverted beside converted
    figures, under a note saying the figures were converted. Now they are converted at the same
    rates, their unit names the reporting currency, and a US$ price stays as published."""
    from reporter.build.document import build_report
    from reporter.build.outputs import OutputFormat

    add_per_unit_lines(eur_dir)
    report = load_report(eur_dir)
    units = {line.id: (line.unit.text, line.unit.converted) for line in report.statement.lines}
    assert units["realised_price"] == ("CAD$/mtu", True)
    assert units["basic_eps"] == ("CAD cents per share", True)
    assert units["apt_price"] == ("US$/mtu", False)
    assert units["revenue"] == ("", False)

    pdf = build_report(eur_dir, template="investor-summary", theme_dir=None, output=tmp_path,
                       output_format=OutputFormat.pdf)
    text = pdf_pages(pdf)[0]
    flowing = " ".join(text.split())  # a long unit wraps in its cell
    assert PER_UNIT_LINES
    for _, label, _, _, printed, unit in PER_UNIT_LINES:
        assert f"{label} {unit} {' '.join(printed)}" in flowing, label
        assert flowing.count(f"{label} ") == 1, label  # once: in the table, as converted
    # The money rows are still the published CAD figures.
    assert table_row(text, "Revenue")[-4:] == PRINTED_CAD["Revenue"]


def test_a_price_of_unconverted_figures_is_never_converted(report_dir):
    """Figures already in the reporting currency: nothing is converted, units as written."""
    add_per_unit_lines(report_dir)
    report = load_report(report_dir)
    units = {line.id: (line.unit.text, line.unit.converted) for line in report.statement.lines}
    assert units["realised_price"] == ("€/mtu", False)
    row = cell(report.figures, "realised_price", "2011-06-30/3m")
    assert row["shown"] == Decimal("150") and row["amount"] == Decimal("150")


@pytest.mark.parametrize(("unit", "figures", "expected"), [
    ("€/t", "EUR", ("EUR", "€")), ("EUR per tonne", "EUR", ("EUR", "EUR")), ("US$/oz", "EUR", ("USD", "US$")),
    ("$/oz", "CAD", ("CAD", "$")), ("$/oz", "EUR", ("a dollar", "$")), ("cents per share", "EUR", ("EUR", None)),
    ("g/t", "EUR", None), ("oz", "EUR", None), ("%", "EUR", None),
    # Per share with no currency named, and the cent sign: the figures' own money.
    ("per share", "EUR", ("EUR", None)), ("¢", "EUR", ("EUR", None)),
    # `US cents` names US dollars (an ASX or AIM issuer reporting in USD), never the figures' cents.
    ("US cents per share", "EUR", ("USD", "US")), ("US cents per share", "USD", ("USD", "US")),
    # The figures' own code when the table above names no such currency: it was left unconverted.
    ("ZAR/t", "ZAR", ("ZAR", "ZAR")), ("SEK per tonne", "SEK", ("SEK", "SEK")), ("ZAR/t", "EUR", None),
])
def test_the_currency_a_unit_names(unit, figures, expected):
    from reporter.data.normalize import unit_currency
    from reporter.inputs.statement import Unit

    assert unit_currency(Unit.parse(unit), figures) == expected


@pytest.mark.parametrize(("unit", "printed"), [
    ("EUR cents per share", "CAD cents per share"),  # a code for a code: never `CAD$ cents`
    ("EUR per tonne", "CAD per tonne"),
    ("€/t", "CAD$/t"),  # a symbol for a symbol
    ("per share", "CAD per share"),  # was left in euros among converted figures, naming no currency
    ("¢", "CAD ¢"),  # was read as a quantity and left in euro cents
    ("US$/oz", "US$/oz"),  # a third currency: as published
    ("US cents per share", "US cents per share"),  # was converted as euro cents: `CAD US cents per share`
])
def test_a_converted_unit_names_the_reporting_currency_as_the_unit_named_its_own(eur_dir, unit, printed):
    with (eur_dir / "statement.yaml").open("a", encoding="utf-8") as statement:
        statement.write(f"  - id: price\n    label: {{en: Price, fr: Prix}}\n    unit: \"{unit}\"\n")
    with (eur_dir / "figures.csv").open("a", encoding="utf-8") as figures:
        for end, months in COLUMNS:
            figures.write(f"price,{end},{months},1.00\n")
    report = load_report(eur_dir)
    line = report.statement.line("price")
    assert line.unit.text == printed
    row = report.figures[(report.figures.line_id == "price") & (report.figures.period_key == "2011-06-30/3m")]
    assert list(row["amount"]) == [Decimal("1.3934") if line.unit.converted else Decimal("1.00")]
