"""Tests for reporter.ingest: pasted tables in, report folders out."""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from helpers import pdf_pages, FIXTURES, REPO
from reporter import ingest
from reporter.errors import DataError
from reporter.ingest import IngestOptions, ingest_table
from reporter.ingest.body import FxLabel, parse_fx_label
from reporter.ingest.header import (
    Heading, Units, classify_header_cell, heading_spans, parse_heading, parse_units, parse_year,
)
from reporter.ingest.infer import (
    bottom_line_misfit, implied_fiscal_year_end, infer_subtotals, slugify, unique_ids,
)
from reporter.ingest.sources import column_letter
from reporter.ingest.sources.xlsx import xlsx_text
from reporter.inputs.periods import Period
from reporter.inputs.notation import parse_amount

DATA = FIXTURES / "ingest"
SEED = DATA / "los-santos-seed-table.tsv"
EXAMPLE = REPO / "reporter" / "examples" / "los-santos"
SEED_OPTIONS = IngestOptions(company_name="Almonty Industries Inc.", short_name="Almonty",
                             ticker="AII", exchange="TSXV", fiscal_year_end="09-30")


def tsv(*rows: str) -> str:
    """Join rows written with `|` between cells into tab-separated text."""
    return "".join(row.replace("|", "\t") + "\n" for row in rows)


def figures(folder: Path) -> dict[tuple[str, str, int, bool], Decimal]:
    """Read a figures.csv as {(line, period_end, months, restated): value}."""
    with (folder / "figures.csv").open(newline="", encoding="utf-8") as handle:
        return {(r["line_item"], r["period_end"], int(r["months"]),
                 r.get("restated", "false") == "true"): parse_amount(r["value"])
                for r in csv.DictReader(handle)}


def statement(folder: Path) -> list[tuple[str, str | None]]:
    """Read a statement.yaml as [(id, formula)]."""
    lines = yaml.safe_load((folder / "statement.yaml").read_text(encoding="utf-8"))["lines"]
    return [(line["id"], line.get("formula")) for line in lines]


def settings(folder: Path) -> dict:
    return yaml.safe_load((folder / "report.yaml").read_text(encoding="utf-8"))


# --- the seed reproduces the worked example -----------------------------------------------------


@pytest.fixture
def seed_folder(tmp_path: Path) -> tuple[Path, ingest.IngestReport]:
    report = ingest_table(SEED, tmp_path / "los-santos", SEED_OPTIONS)
    return tmp_path / "los-santos", report


def test_seed_reproduces_example_figures(seed_folder):
    folder, _ = seed_folder
    assert figures(folder) == figures(EXAMPLE)


def test_seed_reproduces_example_structure(seed_folder):
    folder, report = seed_folder
    assert statement(folder) == statement(EXAMPLE)
    labels = yaml.safe_load((folder / "statement.yaml").read_text())["lines"]
    example = yaml.safe_load((EXAMPLE / "statement.yaml").read_text())["lines"]
    # The example gives its labels in English and French; ingest writes the English ones, plain.
    assert [line["label"] for line in labels] == [line["label"]["en"] for line in example]
    assert report.subtotals == [(i, f) for i, f in statement(EXAMPLE) if f]


def test_seed_reproduces_example_settings(seed_folder):
    folder, _ = seed_folder
    mine, theirs = settings(folder), settings(EXAMPLE)
    for key in ("fx_rates", "period", "reporting", "key_figures", "tie_out_tolerance",
                "narrative", "fiscal_year_end"):
        assert mine[key] == theirs[key], key
    assert mine["fx_source"] == theirs["fx_source"]["en"]  # the example gives it in both languages
    # Rates stay strings with their published precision.
    assert [r["rate"] for r in mine["fx_rates"]] == ["1.3934", "1.3073", "1.3729", "1.436078"]
    assert mine["company"] == {"name": "Almonty Industries Inc.", "short_name": "Almonty",
                               "exchange": "TSXV", "ticker": "AII"}
    assert mine["legend"] == ""


def test_seed_reports_rounding_without_correcting_it(seed_folder):
    folder, report = seed_folder
    assert report.rounding == [
        "income_from_mining_operations, three months ended 2011-06-30: "
        "lines give 1,415, published 1,416 (difference 1)",
        "net_income_before_tax_and_one_time_items, nine months ended 2010-06-30: "
        "lines give 838, published 837 (difference 1)",
    ]
    assert figures(folder)[("income_from_mining_operations", "2011-06-30", 3, False)] == 1416
    assert any("1,415" in line for line in report.summary_lines())


def test_seed_report_lists_what_it_found(seed_folder):
    _, report = seed_folder
    assert [line.id for line in report.lines][:2] == ["revenue", "cost_of_sales"]
    assert report.lines[2].values == tuple(map(Decimal, ("1416", "-407", "1774", "-1147")))
    assert [(p.end, p.months) for p in report.periods] == [
        (date(2011, 6, 30), 3), (date(2010, 6, 30), 3),
        (date(2011, 6, 30), 9), (date(2010, 6, 30), 9)]
    assert (report.currency, report.scale) == ("CAD", "thousands")
    assert report.notes == []  # fiscal_year_end 09-30 agrees with the nine-month columns


def test_seed_commentary_has_placeholders(seed_folder):
    folder, _ = seed_folder
    text = (folder / "commentary.md").read_text(encoding="utf-8")
    _, front, body = text.split("---\n", 2)
    meta = yaml.safe_load(front)
    assert set(meta) == {"headline", "dateline", "quote", "footnote", "contacts",
                         "exchange_notice"}
    assert set(meta["quote"]) == {"text", "speaker", "title"}
    assert set(meta["contacts"][0]) == {"name", "role", "telephone", "email"}
    assert meta["headline"].startswith("TODO:")
    for heading in ("## Operations {#operations}", "## About Almonty {#about}",
                    "## Forward-looking information {#disclaimer}"):
        assert heading in body
    assert body.startswith("TODO:")


def test_seed_figures_reparse_to_the_published_numbers(seed_folder):
    folder, report = seed_folder
    with (folder / "figures.csv").open(newline="") as handle:
        written = [parse_amount(r["value"]) for r in csv.DictReader(handle)]
    assert written == [v for line in report.lines for v in line.values]


def test_seed_table_inside_markdown_prose(tmp_path):
    source = tmp_path / "release.md"
    source.write_text("# Almonty announces results\n\nSome prose, with a\ttab? no: one line.\n\n"
                      "**Summary Financial Information¹:**\n\n" + SEED.read_text(encoding="utf-8")
                      + "\nThe Los Santos Mine was re-commissioned in July 2010.\n",
                      encoding="utf-8")
    ingest_table(source, tmp_path / "out", SEED_OPTIONS)
    assert statement(tmp_path / "out") == statement(EXAMPLE)
    assert figures(tmp_path / "out") == figures(EXAMPLE)
    assert settings(tmp_path / "out")["fx_rates"] == settings(EXAMPLE)["fx_rates"]
    title = yaml.safe_load((tmp_path / "out" / "statement.yaml").read_text())["title"]
    assert title == "Summary Financial Information"


def test_fiscal_year_end_is_inferred_from_the_year_to_date_columns(tmp_path):
    report = ingest_table(SEED, tmp_path / "out", IngestOptions())
    assert report.notes == []
    assert settings(tmp_path / "out")["fiscal_year_end"] == "09-30"


def test_a_stated_fiscal_year_end_is_flagged_when_the_table_disagrees(tmp_path):
    report = ingest_table(SEED, tmp_path / "out", IngestOptions(fiscal_year_end="12-31"))
    assert any("imply 09-30" in note for note in report.notes)
    assert settings(tmp_path / "out")["fiscal_year_end"] == "12-31"


# --- other layouts ------------------------------------------------------------------------------

THREE_SUBTOTALS = tsv(
    "|Year Ended December 31,|",
    "|2011|2010",
    "|US$ millions|US$ millions",
    "Revenue|250.4|198.2",
    "Cost of sales|140.1|120.0",
    "Gross profit|110.3|78.2",
    "General and administrative|20.5|18.1",
    "Exploration|9.8|12.0",
    "Operating income|80.0|48.1",
    "Finance costs|4.2|5.5",
    "Income tax|21.1|12.4",
    "Net income|54.7|30.2",
)
LOSSES = tsv(
    "|Three Months Ended September 30,||Nine Months Ended September 30,|",
    "|2012|2011|2012|2011",
    "|$'000|$'000|$'000|$'000",
    "Revenue|—|nil||-",
    "Exploration expense|1,204|988|3,510|2,770",
    "Administration|312|298|940|880",
    "Operating loss|($1,516)|($1,286)|(4,450)|(3,650)",
    "Finance income|(12)|(9)|(40)|(31)",
    "Net loss|(1,504)|(1,277)|(4,410)|(3,619)",
)
PRIOR_QUARTER = tsv(
    "|Three Months Ended June 30,|Three Months Ended March 31,",
    "|2011|2011",
    "|CAD$ 000|CAD$ 000",
    "Revenue|4,421|3,102",
    "Cost of Sales|3,006|2,250",
    "Income From Mining Operations|1,415|852",
)
RESTATED_IN_YEAR = tsv(
    "|Quarter Ended December 31,|",
    "|2011|2010 (restated)",
    "|C$ 000|C$ 000",
    "Revenue|900|800",
    "Costs|600|650",
    "Margin|300|150",
)
RESTATED_HEADING = tsv(
    "|Six months ended June 30,||",
    "||Restated|",
    "|2011|2010|",
    "(CAD$ 000)|||",
    "Revenue|900|800",
    "Costs|600|650",
    "Margin|300|150",
)
HEADING_WITH_YEARS = tsv(
    "Summary (unaudited)|12 months ended March 31, 2012|Twelve Months Ended March 31, 2011",
    "|€ thousands|€ thousands",
    "Sales|1,000|900",
    "Expenses:",
    "Mining|400|300",
    "Processing|100|100",
    "Result|500|500",
)

# (name, text, options, subtotals, periods as (end, months, restated), currency, scale)
LAYOUTS = [
    ("three-subtotals", THREE_SUBTOTALS, {}, [
        ("gross_profit", "revenue - cost_of_sales"),
        ("operating_income", "gross_profit - general_and_administrative - exploration"),
        ("net_income", "operating_income - finance_costs - income_tax"),
    ], [("2011-12-31", 12, False), ("2010-12-31", 12, False)], "USD", "millions"),
    ("losses", LOSSES, {"currency": "AUD"}, [
        ("operating_loss", "revenue - exploration_expense - administration"),
        ("net_loss", "operating_loss - finance_income"),
    ], [("2012-09-30", 3, False), ("2011-09-30", 3, False), ("2012-09-30", 9, False),
        ("2011-09-30", 9, False)], "AUD", "thousands"),
    ("prior-quarter", PRIOR_QUARTER, {}, [
        ("income_from_mining_operations", "revenue - cost_of_sales"),
    ], [("2011-06-30", 3, False), ("2011-03-31", 3, False)], "CAD", "thousands"),
    ("restated-year", RESTATED_IN_YEAR, {}, [("margin", "revenue - costs")],
     [("2011-12-31", 3, False), ("2010-12-31", 3, True)], "CAD", "thousands"),
    ("restated-heading", RESTATED_HEADING, {"scale": "units"}, [("margin", "revenue - costs")],
     [("2011-06-30", 6, False), ("2010-06-30", 6, True)], "CAD", "units"),
    ("heading-with-years", HEADING_WITH_YEARS, {}, [("result", "sales - mining - processing")],
     [("2012-03-31", 12, False), ("2011-03-31", 12, False)], "EUR", "thousands"),
]


@pytest.mark.parametrize("name, text, options, subtotals, periods, currency, scale", LAYOUTS,
                         ids=[case[0] for case in LAYOUTS])
@pytest.mark.parametrize("suffix", [".tsv", ".csv"])
def test_layouts(tmp_path, name, text, options, subtotals, periods, currency, scale, suffix):
    source = tmp_path / f"{name}{suffix}"
    if suffix == ".csv":
        with source.open("w", newline="", encoding="utf-8") as handle:
            csv.writer(handle).writerows(line.split("\t") for line in text.splitlines())
    else:
        source.write_text(text, encoding="utf-8")
    report = ingest_table(source, tmp_path / "out", IngestOptions(**options))
    assert report.subtotals == subtotals
    assert [(p.end.isoformat(), p.months, p.restated) for p in report.periods] == periods
    assert (report.currency, report.scale) == (currency, scale)
    folder = tmp_path / "out"
    assert [(i, f) for i, f in statement(folder) if f] == subtotals
    written = settings(folder)
    assert written["reporting"]["currency"] == currency
    assert written["reporting"]["scale"] == scale
    assert written["period"] == {"end": date.fromisoformat(periods[0][0]),
                                 "months": periods[0][1]}
    assert written["key_figures"] == [report.lines[0].id] + [i for i, _ in subtotals]
    # Every written figure re-parses to the number in the source table.
    values = figures(folder)
    assert report.lines and report.periods
    for line in report.lines:
        for period, value in zip(report.periods, line.values):
            key = (line.id, period.end.isoformat(), period.months, period.restated)
            assert values[key] == value


def test_losses_read_dashes_nil_and_blank_as_zero(tmp_path):
    source = tmp_path / "losses.tsv"
    source.write_text(LOSSES, encoding="utf-8")
    report = ingest_table(source, tmp_path / "out", IngestOptions(currency="AUD"))
    assert report.lines[0].values == (0, 0, 0, 0)
    assert all(v < 0 for v in report.lines[3].values + report.lines[5].values)
    with (tmp_path / "out" / "figures.csv").open(newline="") as handle:
        rows = {(r["line_item"], r["period_end"], r["months"]): r["value"]
                for r in csv.DictReader(handle)}
    assert rows[("operating_loss", "2012-09-30", "3")] == "(1,516)"
    # Published as a dash: the value is nil, and figures.csv keeps the mark so the PDF prints it.
    assert rows[("revenue", "2011-09-30", "9")] == "-"


def test_restated_column_is_marked_in_figures(tmp_path):
    source = tmp_path / "restated.tsv"
    source.write_text(RESTATED_IN_YEAR, encoding="utf-8")
    ingest_table(source, tmp_path / "out", IngestOptions())
    with (tmp_path / "out" / "figures.csv").open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert {(r["period_end"], r["restated"]) for r in rows} == {("2011-12-31", "false"),
                                                                ("2010-12-31", "true")}


def test_decimal_table_uses_last_digit_as_tolerance(tmp_path):
    source = tmp_path / "millions.tsv"
    source.write_text(THREE_SUBTOTALS, encoding="utf-8")
    ingest_table(source, tmp_path / "out", IngestOptions())
    assert settings(tmp_path / "out")["tie_out_tolerance"] == 0.1


def test_heading_rows_and_section_labels(tmp_path):
    source = tmp_path / "years.tsv"
    source.write_text(HEADING_WITH_YEARS, encoding="utf-8")
    report = ingest_table(source, tmp_path / "out", IngestOptions(fiscal_year_end="03-31"))
    assert [line.id for line in report.lines] == ["sales", "mining", "processing", "result"]
    assert report.notes == ["row 4: 'Expenses:' has no figures; read as a heading and left out"]
    title = yaml.safe_load((tmp_path / "out" / "statement.yaml").read_text())["title"]
    assert title == "Summary (unaudited)"


def test_xlsx_workbook(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    book.active.title = "Notes"
    sheet = book.create_sheet("Q3")
    sheet["B2"] = "Los Santos Mine"
    sheet["C3"] = "Three Months Ended June 30,"
    sheet["E3"] = "Nine Months Ended June 30,"
    sheet.merge_cells("C3:D3")
    sheet.merge_cells("E3:F3")
    for column, year in zip("CDEF", (2011, 2010, 2011, 2010)):
        sheet[f"{column}4"] = year
        sheet[f"{column}5"] = "CAD$ 000"
    body = [
        ("Revenue", 4421, 0, 10186, 0),
        ("Cost of Sales", 3006, 407, 8412, 1147),
        ("Income From Mining Operations", 1416, -407, 1774, -1147),
        ("Depreciation and Amortization", 931, 14, 5794, 67),
        ("Interest", 42, 387, 441, 491),
        ("Other SG&A", -247, -847, -1074, -2543),
        ("Net Income Before Tax and One Time Items", 690, 39, -3387, 837),
    ]
    for row, values in enumerate(body, start=6):
        for column, value in zip("BCDEF", values):
            sheet[f"{column}{row}"] = value
            sheet[f"{column}{row}"].number_format = "#,##0;(#,##0)"
    sheet["C13"], sheet["D13"] = 2011, 2010
    for row, label, rates in ((14, "3 month average FX EUR=CAD per Bank of Canada",
                               (1.3934, 1.3073)),
                              (15, "9 month average FX EUR=CAD per Bank of Canada",
                               (1.3729, 1.436078))):
        sheet[f"B{row}"] = label
        for column, rate in zip("CD", rates):
            sheet[f"{column}{row}"] = rate
    sheet["D14"].number_format = "0.0000"
    sheet["C14"].number_format = "0.0000"
    source = tmp_path / "los-santos.xlsx"
    book.save(source)

    ingest_table(source, tmp_path / "out", IngestOptions(sheet="Q3", fiscal_year_end="09-30"))
    assert statement(tmp_path / "out") == statement(EXAMPLE)
    assert figures(tmp_path / "out") == figures(EXAMPLE)
    assert settings(tmp_path / "out")["fx_rates"] == settings(EXAMPLE)["fx_rates"]

    # The first sheet is empty.
    with pytest.raises(DataError, match="empty"):
        ingest_table(source, tmp_path / "first", IngestOptions())
    with pytest.raises(DataError, match="no sheet named 'Q4'"):
        ingest_table(source, tmp_path / "missing", IngestOptions(sheet="Q4"))
    assert not (tmp_path / "first").exists() and not (tmp_path / "missing").exists()


def test_xlsx_error_names_spreadsheet_row_and_column(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    for row in (["", "Year Ended December 31,", ""], ["", 2011, 2010], ["", "$'000", "$'000"],
                ["Revenue", 100, 90], ["Costs", 60, "sixty"], ["Profit", 40, 30]):
        sheet.append(row)
    source = tmp_path / "bad.xlsx"
    book.save(source)
    with pytest.raises(DataError) as error:
        ingest_table(source, tmp_path / "out", IngestOptions(currency="USD"))
    assert str(error.value) == (f'data error: {source}, row 5, column "C": '
                                "not a figure: 'sixty'")


# --- bad tables ---------------------------------------------------------------------------------

SEED_LINES = SEED.read_text(encoding="utf-8").splitlines(keepends=True)


def seed_with(line_number: int, text: str) -> str:
    """Return the seed table with one line (1-based) replaced."""
    lines = list(SEED_LINES)
    lines[line_number - 1] = text.replace("|", "\t") + "\n"
    return "".join(lines)


# (name, text, row, column, words in the message)
BAD_TABLES = [
    ("ragged", seed_with(5, "Cost of Sales|3,006|407|8,412|1,147|12"), 5, "F", "ragged row"),
    ("word", seed_with(8, "Interest|42|387|n.a.|491"), 8, "D", "not a figure"),
    ("no-heading", tsv("|2011|2010", "|CAD$ 000|CAD$ 000", "Revenue|10|5", "Cost|4|2",
                       "Profit|6|3"), 3, None, "no period heading"),
    ("unreadable-header", seed_with(1, "|Three Months Ended June 30,||Nine Months "
                                       "Ended June 30,|Budget"), 1, "E", "cannot read the header"),
    ("heading-without-date", seed_with(1, "|Three Months Ended||Nine Months Ended June 30,|"),
     1, "B", "no month and day"),
    ("no-years", tsv("|Three Months Ended June 30,|", "|CAD$ 000|CAD$ 000", "Revenue|10|5",
                     "Cost|4|2", "Profit|6|3"), 1, "B", "no year"),
    ("same-period-twice", seed_with(2, "|2011|2010|2011|2010").replace(
        "Nine Months", "Three Months"), 2, "D", "two columns for the three months ended "
        "2011-06-30"),
    ("unlabelled-figures", seed_with(6, "|\\$1,416|(\\$407)|\\$1,774|(\\$1,147)"), 6, "B",
     "figures without a label"),
    ("fx-rate-word", seed_with(12, "3 month average FX EUR=CAD per Bank of Canada|1.3934|n/a||"),
     12, "C", "not an exchange rate"),
    ("fx-rate-without-year", seed_with(12, "3 month average FX EUR=CAD per Bank of Canada|"
                                           "1.3934|1.3073|1.2||"), 12, "D", "no year above it"),
    ("line-below-fx-years", seed_with(13, "Royalties|1|2||"), 13, None, "second year row"),
    ("no-currency", tsv("|Year ended December 31,|", "|2011|2010", "Revenue|10|5", "Cost|4|2",
                        "Profit|6|3"), 1, None, "no currency"),
]


@pytest.mark.parametrize("name, text, row, column, words", BAD_TABLES,
                         ids=[case[0] for case in BAD_TABLES])
def test_bad_tables(tmp_path, name, text, row, column, words):
    source = tmp_path / f"{name}.tsv"
    source.write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as error:
        ingest_table(source, tmp_path / "out", IngestOptions())
    message = str(error.value)
    assert "\n" not in message
    assert message.startswith(f"data error: {source}, row {row}")
    assert (f'column "{column}"' in message) == (column is not None), message
    assert words in message
    assert sorted(p.name for p in tmp_path.iterdir()) == [source.name]  # nothing left behind


def test_refuses_a_non_empty_out_dir(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    with pytest.raises(DataError, match="not empty"):
        ingest_table(SEED, out, SEED_OPTIONS)
    assert [p.name for p in out.iterdir()] == ["keep.txt"]


def test_fills_an_empty_out_dir_and_creates_parents(tmp_path):
    (tmp_path / "empty").mkdir()
    ingest_table(SEED, tmp_path / "empty", SEED_OPTIONS)
    ingest_table(SEED, tmp_path / "a" / "b", SEED_OPTIONS)
    expected = ["commentary.md", "figures.csv", "report.yaml", "statement.yaml"]
    for folder in (tmp_path / "empty", tmp_path / "a" / "b"):
        assert sorted(p.name for p in folder.iterdir()) == expected


def test_failed_rename_leaves_no_folder(tmp_path, monkeypatch):
    def refuse(self, target):
        raise OSError("disk full")

    monkeypatch.setattr(Path, "rename", refuse)
    with pytest.raises(DataError, match="out: cannot write the folder: disk full"):  # one line, no traceback
        ingest_table(SEED, tmp_path / "out", SEED_OPTIONS)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("options, words", [
    (IngestOptions(fiscal_year_end="9/30"), "fiscal_year_end"),
    (IngestOptions(scale="billions"), "scale"),
    (IngestOptions(currency="dollars"), "currency"),
])
def test_bad_options(tmp_path, options, words):
    with pytest.raises(DataError, match=words):
        ingest_table(SEED, tmp_path / "out", options)
    assert not (tmp_path / "out").exists()


def test_missing_source(tmp_path):
    with pytest.raises(DataError, match="no such file"):
        ingest_table(tmp_path / "nope.tsv", tmp_path / "out", IngestOptions())


def test_prose_without_table(tmp_path):
    source = tmp_path / "release.md"
    source.write_text("Just prose.\n")
    with pytest.raises(DataError, match="no table found; tried tab-separated, Markdown pipe table, space-separated"):
        ingest_table(source, tmp_path / "out", IngestOptions())


# --- the small functions ------------------------------------------------------------------------


@pytest.mark.parametrize("text, expected", [
    ("Three Months Ended June 30,", Heading(3, 6, 30)),
    ("Nine Months Ended June 30,", Heading(9, 6, 30)),
    ("6 months ended Dec. 31", Heading(6, 12, 31)),
    ("Twelve-month period ended September 30, 2011", Heading(12, 9, 30, 2011)),
    ("Quarter ended March 31", Heading(3, 3, 31)),
    ("Year Ended December 31,", Heading(12, 12, 31)),
    ("Fiscal year ended August 31, 2012", Heading(12, 8, 31, 2012)),
    ("Half-year ended June 30", Heading(6, 6, 30)),
    ("Three months ended June 30, 2010 (Restated)", Heading(3, 6, 30, 2010, True)),
    ("Three months ended", Heading(3, 0, 0)),
    ("Revenue", None),
    ("2011", None),
    ("CAD$ 000", None),
])
def test_parse_heading(text, expected):
    assert parse_heading(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("2011", (2011, False)),
    ("2010 (restated)", (2010, True)),
    ("2010 Restated", (2010, True)),
    ("Restated 2010", (2010, True)),
    ("2010 as restated", (2010, True)),
    ("4,421", None),
    ("1999.5", None),
    ("3100", None),
])
def test_parse_year(text, expected):
    assert parse_year(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("CAD$ 000", Units("CAD", "thousands")),
    ("CAD\\$ 000".replace("\\", ""), Units("CAD", "thousands")),
    ("$'000", Units(None, "thousands")),
    ("US$ millions", Units("USD", "millions")),
    ("$M", Units(None, "millions")),
    ("(in thousands of Canadian dollars)", Units("CAD", "thousands")),
    ("€ 000", Units("EUR", "thousands")),
    ("C$", Units("CAD", None)),
    ("Year ended December 31, 2000", Units(None, None)),
    ("Revenue", Units(None, None)),
])
def test_parse_units(text, expected):
    assert parse_units(text) == expected


@pytest.mark.parametrize("text, kind", [
    ("Three Months Ended June 30,", "heading"),
    ("2010 (restated)", "year"),
    ("Restated", "restated"),
    ("(unaudited)", "noise"),
    ("CAD$ 000", "units"),
    ("Budget", None),
    ("4,421", None),
])
def test_classify_header_cell(text, kind):
    assert classify_header_cell(text) == kind


def test_heading_spans_cover_empty_cells_to_the_right():
    assert heading_spans({1: "a", 3: "b"}, 4) == {1: 1, 2: 1, 3: 3, 4: 3}
    assert heading_spans({2: "a"}, 3) == {2: 2, 3: 2}


@pytest.mark.parametrize("label, expected", [
    ("3 month average FX EUR=CAD per Bank of Canada", FxLabel("EUR", "CAD", 3, "Bank of Canada")),
    ("9 month average FX EUR=CAD per Bank of Canada", FxLabel("EUR", "CAD", 9, "Bank of Canada")),
    ("Average exchange rate USD/CAD, six months", FxLabel("USD", "CAD", 6, None)),
    ("Exchange rate EUR=USD", FxLabel("EUR", "USD", None, None)),
    ("Revenue", None),
    ("Other SG&A", None),
    ("EUR=CAD", None),  # a pair without a rate word is not read as a rate
])
def test_parse_fx_label(label, expected):
    assert parse_fx_label(label) == expected


@pytest.mark.parametrize("label, expected", [
    ("Other SG&A", "other_sga"),
    ("Net Income Before Tax and One Time Items", "net_income_before_tax_and_one_time_items"),
    ("Income (loss) from operations", "income_loss_from_operations"),
    ("Revenue¹", "revenue"),
    ("Dépréciation", "depreciation"),
    ("2011 royalties", "line_2011_royalties"),
    ("—", "line"),
])
def test_slugify(label, expected):
    assert slugify(label) == expected


def test_unique_ids_number_repeats():
    assert unique_ids(["Revenue", "Revenue", "revenue", "Cost"]) == [
        "revenue", "revenue_2", "revenue_3", "cost"]


def _d(*rows: tuple[int, ...]) -> list[tuple[Decimal, ...]]:
    return [tuple(Decimal(v) for v in row) for row in rows]


@pytest.mark.parametrize("values, expected", [
    # revenue, cost, margin: margin = revenue - cost
    (_d((10, 5), (4, 2), (6, 3)), [(2, 0, (1,))]),
    # within rounding (1) in one column
    (_d((10, 5), (4, 2), (7, 3)), [(2, 0, (1,))]),
    # off by 2: not a subtotal
    (_d((10, 5), (4, 2), (8, 3)), []),
    # a row that merely repeats the first line is not a subtotal, even with a zero line between
    (_d((10, 5), (0, 0), (10, 5)), []),
    # chained: the second subtotal starts from the first
    (_d((10, 5), (4, 2), (6, 3), (1, 1), (-2, -1), (7, 3)), [(2, 0, (1,)), (5, 2, (3, 4))]),
    # no revenue: a loss that is the costs negated is still a subtotal
    (_d((0, 0), (4, 2), (-4, -2)), [(2, 0, (1,))]),
    # a line right after a subtotal cannot be one (no lines between)
    (_d((10, 5), (4, 2), (6, 3), (6, 3)), [(2, 0, (1,))]),
])
def test_infer_subtotals(values, expected):
    found = infer_subtotals(values, Decimal(1))
    assert [(s.index, s.anchor, s.parts) for s in found] == expected


@pytest.mark.parametrize("values, expected", [
    (_d((10, 5), (4, 2), (6, 3)), None),  # last line is the subtotal
    (_d((10, 5), (4, 2)), None),  # fewer than three lines
    (_d((10, 5), (4, 2), (9, 9)), None),  # no subtotal at all: nothing to insist on
    (_d((10, 5), (4, 2), (6, 3), (1, 1), (9, 2)), (0, "the lines above give 5, published 9")),
    (_d((10, 5), (4, 2), (6, 3), (1, 1), (5, 9)), (1, "the lines above give 2, published 9")),
])
def test_bottom_line_misfit(values, expected):
    subtotals = infer_subtotals(values, Decimal(1))
    assert bottom_line_misfit(values, subtotals, Decimal(1)) == expected


@pytest.mark.parametrize("periods, expected", [
    ([Period(date(2011, 6, 30), 3), Period(date(2011, 6, 30), 9)], "09-30"),
    ([Period(date(2011, 12, 31), 12)], "12-31"),
    ([Period(date(2012, 2, 29), 6)], "08-31"),
    ([Period(date(2011, 6, 30), 3)], None),  # a quarter alone says nothing
    ([Period(date(2011, 6, 30), 9), Period(date(2011, 6, 30), 6)], None),  # disagree
])
def test_implied_fiscal_year_end(periods, expected):
    assert implied_fiscal_year_end(periods) == expected


@pytest.mark.parametrize("value, number_format, expected", [
    (None, "General", ""),
    (4421, "General", "4421"),
    (4421.0, "General", "4421"),
    (-407.0, "#,##0;(#,##0)", "-407"),
    (1.436078, "General", "1.436078"),
    (1.3, "0.0000", "1.3000"),
    (" Revenue ", "General", "Revenue"),
    (2011, "0", "2011"),
])
def test_xlsx_text(value, number_format, expected):
    assert xlsx_text(value, number_format) == expected


@pytest.mark.parametrize("number, expected", [(1, "A"), (5, "E"), (26, "Z"), (27, "AA"),
                                              (52, "AZ"), (703, "AAA")])
def test_column_letter(number, expected):
    assert column_letter(number) == expected


def test_summary_lines_name_subtotals_rounding_and_next_step(seed_folder):
    _, report = seed_folder
    lines = report.summary_lines()
    assert lines[0].startswith(f"wrote {report.out_dir}: 7 lines, 4 periods, 4 exchange rates")
    assert "  income_from_mining_operations = revenue - cost_of_sales" in lines
    assert lines[-1].startswith("next:")


def test_figures_published_as_a_dash_keep_their_mark(cli, tmp_path):
    """A dash in the release stays a dash in figures.csv and in the PDF, never a printed 0."""
    table = FIXTURES / "layouts" / "five-columns-losses.tsv"
    folder = tmp_path / "report"
    result = cli("ingest", table, "--out", folder, "--fiscal-year-end", "12-31")
    assert result.exit_code == 0, result.output
    rows = [line.split(",") for line in (folder / "figures.csv").read_text(encoding="utf-8").splitlines()
            if line.startswith("impairment_of_mineral_properties,")]
    assert [row[3] for row in rows] == ["—", "—", '"12', '"12', "—"]
    built = cli("build", folder, "-o", tmp_path / "out", "--draft")
    assert built.exit_code == 0, built.output
    text = "\n".join(pdf_pages(Path(built.stdout.strip())))
    assert "— — 12,400 12,400 —" in text
