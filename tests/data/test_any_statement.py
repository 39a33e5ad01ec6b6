"""A new quarter by data alone: other companies' tables, ingested, validated and built."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from helpers import figure_rows, pdf_pages, FIXTURES
from reporter.theme.resolve import available_themes

LAYOUTS = FIXTURES / "layouts"
TEMPLATES = [t.name for t in available_themes() if t.name != "base"]

# What each table should show, row by row, in the publisher's column order.
EXPECTED = {
    "losses-more-subtotals.tsv": {
        "options": ["--fiscal-year-end", "12-31"],
        "rows": {
            "Revenue": ["US$2,150", "US$1,980", "US$8,412", "US$7,005"],
            "Cost of sales": ["2,410", "2,055", "9,130", "7,210"],
            "Gross loss": ["(US$260)", "(US$75)", "(US$718)", "(US$205)"],
            "General and administrative": ["512", "498", "2,011", "1,876"],
            "Exploration": ["1,204", "—", "3,877", "1,002"],  # published as a dash, printed so
            "Operating loss": ["(US$1,976)", "(US$573)", "(US$6,606)", "(US$3,083)"],
            "Finance costs": ["88", "61", "340", "255"],
            "Foreign exchange": ["(15)", "22", "(41)", "70"],
            "Net loss": ["(US$2,049)", "(US$656)", "(US$6,905)", "(US$3,408)"],
        },
        "headings": ["Three Months Ended December 31,", "Year Ended December 31,"],
    },
    "prior-quarter.tsv": {
        "options": ["--fiscal-year-end", "12-31"],
        "rows": {
            "Revenue": ["$5,230", "$4,421", "$4,870"],
            "Cost of sales": ["3,310", "3,006", "3,120"],
            "Mine operating earnings": ["$1,920", "$1,415", "$1,750"],
            "Administration": ["640", "600", "615"],
            "Net earnings": ["$1,280", "$815", "$1,135"],
        },
        "headings": ["Three Months Ended June 30,", "Three Months Ended March 31,"],
    },
    "fiscal-year-restated.csv": {
        "options": ["--fiscal-year-end", "09-30", "--currency", "CAD"],
        "rows": {
            "Revenue": ["$21,400", "$18,950"],
            "Cost of sales": ["15,800", "14,120"],
            "Gross profit": ["$5,600", "$4,830"],
            "Depreciation": ["2,100", "1,940"],
            "Interest": ["410", "395"],
            "Earnings before tax": ["$3,090", "$2,495"],
        },
        "headings": ["Year Ended September 30,"],
        "years": ["2012", "2011 (restated)"],
    },
}


def ingest(cli, source: Path, out: Path, options: list[str]) -> Path:
    result = cli("ingest", source, "--out", out, "--company-name", "Test Mining Corp.", *options)
    assert result.exit_code == 0, result.output
    return out


def check_rows(pages: list[str], rows: dict[str, list[str]]) -> None:
    text = "\n".join(pages)
    for label, expected in rows.items():
        assert expected in figure_rows(text, label), (label, expected, figure_rows(text, label))


@pytest.fixture(scope="module")
def ingested(tmp_path_factory):
    from helpers import Cli

    cli = Cli()
    folders = {}
    for name, case in EXPECTED.items():
        folders[name] = ingest(cli, LAYOUTS / name, tmp_path_factory.mktemp("ingested") / "report", case["options"])
    return folders


@pytest.mark.parametrize("template", TEMPLATES)
@pytest.mark.parametrize("layout", list(EXPECTED))
def test_every_figure_in_its_row_and_column(cli, ingested, tmp_path, layout, template):
    result = cli("build", ingested[layout], "-t", template, "-o", tmp_path, "--draft")
    assert result.exit_code == 0, result.output
    pages = pdf_pages(Path(result.stdout.strip()))
    check_rows(pages, EXPECTED[layout]["rows"])
    # A heading over one column wraps rather than widen its column, and a restated year's mark
    # sits under the year: read the words, not the line breaks.
    text = " ".join("\n".join(pages).split())
    for heading in EXPECTED[layout]["headings"]:
        assert heading in text
    for year in EXPECTED[layout].get("years", []):
        assert year in text


@pytest.mark.parametrize("layout", list(EXPECTED))
def test_validate_passes_on_ingested_folders(cli, ingested, layout):
    result = cli("validate", ingested[layout])
    assert result.exit_code == 0, result.output
    assert "0 fail." in result.output


def test_key_figures_are_named_in_settings_not_code(cli, ingested, tmp_path):
    """Choosing other key figures in report.yaml changes the highlights: no names in code."""
    folder = ingested["losses-more-subtotals.tsv"]
    settings = folder / "report.yaml"
    original = settings.read_text()
    try:
        start = original.index("key_figures:")
        end = original.index("\n\n", start)
        settings.write_text(original[:start] + "key_figures:\n  - exploration\n  - net_loss" + original[end:])
        result = cli("build", folder, "-o", tmp_path, "--draft")
        assert result.exit_code == 0, result.output
        text = pdf_pages(Path(result.stdout.strip()))[0]
        assert "EXPLORATION\nUS$1,204" in text and "NET LOSS\n(US$2,049)" in text
        assert "REVENUE\n" not in text
    finally:
        settings.write_text(original)


def test_xlsx_workbook_builds(cli, tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Summary"
    rows = [
        [None, "Six Months Ended June 30,", None],
        [None, 2012, 2011],
        [None, "CAD$ 000", "CAD$ 000"],
        ["Revenue", 12050, 9800],
        ["Cost of sales", 8100, 7020],
        ["Gross profit", 3950, 2780],
        ["Corporate costs", 1430, 1510],
        ["Net income", 2520, 1270],
    ]
    for row in rows:
        sheet.append(row)
    source = tmp_path / "q2.xlsx"
    workbook.save(source)
    folder = ingest(cli, source, tmp_path / "report", ["--fiscal-year-end", "12-31"])
    result = cli("build", folder, "-o", tmp_path / "out", "--draft")
    assert result.exit_code == 0, result.output
    check_rows(pdf_pages(Path(result.stdout.strip())), {
        "Revenue": ["$12,050", "$9,800"], "Cost of sales": ["8,100", "7,020"],
        "Gross profit": ["$3,950", "$2,780"], "Corporate costs": ["1,430", "1,510"],
        "Net income": ["$2,520", "$1,270"]})


def test_seed_table_round_trip(cli, tmp_path, example_dir):
    """Ingesting the seed's own table and building gives the same table as the worked example."""
    from helpers import SEED_TABLE

    folder = ingest(cli, FIXTURES / "ingest" / "los-santos-seed-table.tsv",
                    tmp_path / "report", ["--fiscal-year-end", "09-30"])
    result = cli("build", folder, "-o", tmp_path / "out", "--draft")
    assert result.exit_code == 0, result.output
    check_rows(pdf_pages(Path(result.stdout.strip())), SEED_TABLE)


@pytest.mark.parametrize(("content", "says"), [
    ("\tThree Months Ended June 30,\t\n\t2011\t2010\nRevenue\t$10\t$5\t$7\n", "row 3"),
    ("\tThree Months Ended June 30,\t\n\t2011\t2010\nRevenue\t$10\tabc\n", "row 3, column \"C\""),
    ("\tSomething\t\n\tfoo\tbar\nRevenue\t$10\t$5\n", "row"),
])
def test_bad_tables_leave_nothing_behind(cli, tmp_path, content, says):
    source = tmp_path / "bad.tsv"
    source.write_text(content)
    result = cli("ingest", source, "--out", tmp_path / "report", "--currency", "CAD", "--scale", "thousands")
    assert result.exit_code == 1, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "bad.tsv" in lines[0] and says in lines[0], result.stderr
    assert not (tmp_path / "report").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["bad.tsv"]
