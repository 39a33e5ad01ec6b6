"""Typography read back from the PDF: figures line up down every column, rates on the grid."""

from __future__ import annotations

import re
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from helpers import Cli, FIXTURES, page_words, rows_by_page, text_lines
from reporter.data.report import default_report_dir
from reporter.theme.resolve import available_themes

LAYOUTS = FIXTURES / "layouts"
TEMPLATES = [t.name for t in available_themes() if t.name != "base"]
INGESTED = {
    "losses-more-subtotals.tsv": ["--fiscal-year-end", "12-31"],
    "five-columns.tsv": ["--fiscal-year-end", "12-31"],
    "prior-quarter.tsv": ["--fiscal-year-end", "12-31"],
    "fiscal-year-restated.csv": ["--fiscal-year-end", "09-30", "--currency", "CAD"],
}
# A whole figure as a table prints it: "$4,421", "(1,074)", "(US$2,049)", "0"; not a year or a rate.
FIGURE = re.compile(r"^\(?(?:[A-Z]{0,3}\$|€|£)?\d{1,3}(?:,\d{3})*\)?$|^—$")
RATE = re.compile(r"^\d+\.\d+$")
TOLERANCE = 0.5  # points
labels: dict[str, list[str]] = {}  # statement labels of each source, filled by `builds`


def load_yaml(path: Path):
    import yaml

    return yaml.safe_load(path.read_text(encoding="utf-8"))


def table_rows(path: Path, n_columns: int, labels: list[str]) -> list[list[dict]]:
    """Return, page by page, the figures of the table rows: a statement label (or the start of
    one that wraps), then exactly `n_columns` figures."""
    def row_of(words: list[dict]) -> list[dict] | None:
        figures = [w for w in words if FIGURE.match(w["text"])]
        # A table row: a label, then the figures and nothing after the first of them.
        # Compared without spaces: tight boxes split a word where a glyph is narrow ("I nterest").
        label = "".join(w["text"] for w in words[:-n_columns])
        if (len(figures) == n_columns and words[-n_columns:] == figures and label
                and any(full.replace(" ", "").startswith(label) for full in labels)):
            return figures
        return None

    return rows_by_page(path, row_of)


def last_digit_x(word: dict) -> float:
    """Right edge of the units digit (the last digit, before any closing parenthesis)."""
    digits = [box for char, box in zip(word["text"], word["boxes"]) if char.isdigit()]
    return digits[-1][2]


@pytest.fixture(scope="module")
def builds(tmp_path_factory) -> dict[str, dict[str, Path]]:
    """Build every built-in for Los Santos and for each ingested layout, once; note their labels."""
    cli = Cli()
    folders = {"los-santos": None}
    for name, options in INGESTED.items():
        out = tmp_path_factory.mktemp("ingested") / "report"
        result = cli("ingest", LAYOUTS / name, "--out", out, "--company-name", "Test Mining Corp.", *options)
        assert result.exit_code == 0, result.output
        folders[name] = out
    built = {}
    for name, folder in folders.items():
        lines = load_yaml((folder or default_report_dir()) / "statement.yaml")["lines"]
        # A label given per language (`{en: ..., fr: ...}`): the English one is printed here.
        labels[name] = [line["label"]["en"] if isinstance(line["label"], dict) else line["label"] for line in lines]
        out = tmp_path_factory.mktemp("built")
        # Ingested folders still have their TODO placeholders: draft builds.
        args = (["build"] + ([folder, "--draft"] if folder else []) + ["-t", "all", "-o", out])
        result = cli(*args)
        assert result.exit_code == 0, result.output
        built[name] = {template: next(out.glob(f"*-{template}*.pdf")) for template in TEMPLATES}
    return built


def period_count(name: str) -> int:
    return {"los-santos": 4, "losses-more-subtotals.tsv": 4, "five-columns.tsv": 5,
            "prior-quarter.tsv": 3, "fiscal-year-restated.csv": 2}[name]


@pytest.mark.parametrize("template", TEMPLATES)
@pytest.mark.parametrize("source", ["los-santos", *INGESTED])
def test_units_digits_line_up_down_every_column(builds, source, template):
    n_columns = period_count(source)
    pages = table_rows(builds[source][template], n_columns, labels[source])
    rows = [row for page in pages for row in page]
    # Every line of the statement is found (some templates print the table twice).
    assert len(rows) >= len(labels[source]), f"found {len(rows)} table rows"
    for page_number, page in enumerate(pages, start=1):
        for column in range(n_columns):
            xs = {row[column]["text"]: last_digit_x(row[column]) for row in page
                  if row[column]["text"] != "—"}
            if xs:
                spread = max(xs.values()) - min(xs.values())
                assert spread <= TOLERANCE, (page_number, column, xs)


def test_negatives_and_positives_both_found(builds):
    """The check above compares "(247)" with "931": both kinds are in the rows it reads."""
    rows = [row for page in table_rows(builds["los-santos"]["investor-summary"], 4, labels["los-santos"]) for row in page]
    texts = {word["text"] for row in rows for word in row}
    assert "(247)" in texts and "931" in texts and "($3,387)" in texts


def rate_row(path: Path) -> list[dict]:
    """The rates of the table row that prints them, one under each column (not the FX sentence)."""
    document = pdfium.PdfDocument(str(path))
    try:
        for page in document:
            for line in text_lines(page_words(page)):
                words = sorted(line, key=lambda w: w["boxes"][0][0])
                rates = [w for w in words if RATE.match(w["text"])]
                if len(rates) == 4 and words[-4:] == rates:
                    return rates
        raise AssertionError(f"no row of four rates in {path.name}")
    finally:
        document.close()


@pytest.mark.parametrize("template", TEMPLATES)
def test_rates_sit_under_their_period_column(builds, template):
    """Each average rate sits under the column of the period it belongs to, in the table's grid."""
    path = builds["los-santos"][template]
    rows = [row for page in table_rows(path, 4, labels["los-santos"]) for row in page]
    column_x = [last_digit_x(word) for word in rows[0]]
    rates = rate_row(path)
    # Q3 2011, Q3 2010, 9M 2011, 9M 2010: the table's column order (4 and 6 decimals).
    assert [w["text"] for w in rates] == ["1.3934", "1.3073", "1.3729", "1.436078"]
    for column, word in enumerate(rates):
        # The shorter rates are padded with invisible zeros: every rate's decimal point stands
        # the same distance from its column's units digit, so points line up down a column.
        point_x = word["boxes"][word["text"].index(".")][0]
        offsets = column_x[column] - point_x
        assert 0 < offsets < 40, (word["text"], column_x, point_x)
    points = [column_x[c] - w["boxes"][w["text"].index(".")][0] for c, w in enumerate(rates)]
    assert max(points) - min(points) <= TOLERANCE, points


def year_headings(path: Path, years: set[str], n_columns: int) -> dict[int, list[float]]:
    """Right edges of the table's year headings, page by page (pages that show the table)."""
    document = pdfium.PdfDocument(str(path))
    try:
        found = {}
        for number, page in enumerate(document):
            for words in text_lines(page_words(page)):
                words = sorted(words, key=lambda w: w["boxes"][0][0])
                if len(words) == n_columns and all(w["text"] in years for w in words):
                    found[number] = [w["boxes"][-1][2] for w in words]
        return found
    finally:
        document.close()


@pytest.mark.parametrize("template", TEMPLATES)
def test_hanging_parentheses_keep_figures_under_their_headings(builds, template):
    """A negative's ")" hangs into the cell's padding (no box after a positive figure), and the
    padding holds it: every units digit stands the width of the ")" box (0.36 em, about 3 pt)
    left of its column's right-aligned year heading, and every ")" ends under the heading."""
    path = builds["los-santos"][template]
    headings = year_headings(path, {"2010", "2011"}, 4)
    pages = table_rows(path, 4, labels["los-santos"])
    checked = 0
    for number, rows in enumerate(pages):
        if not rows or number not in headings:
            continue
        for row in rows:
            for column, word in enumerate(row):
                gap = headings[number][column] - last_digit_x(word)
                assert 2.5 <= gap <= 4.5, (number + 1, column, word["text"], gap)
                if word["text"].endswith(")"):
                    assert word["boxes"][-1][2] <= headings[number][column] + TOLERANCE, (word["text"], number + 1)
                    checked += 1
    assert checked >= 4, "no negative figure was checked"
