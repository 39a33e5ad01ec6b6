"""The summary table set like a printed statement: a wrapped label ends on the line of its
figures, the label column is sized from the labels, and the period columns share the rest evenly."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest

from helpers import FIXTURES, Cli

LAYOUTS = FIXTURES / "layouts"
LONG_LABEL = "Impairment of mineral properties, exploration and evaluation assets and related deferred costs"


@pytest.fixture(scope="module")
def five_columns(tmp_path_factory) -> Path:
    """A five-column table with losses, one label long enough to wrap, as an investor summary."""
    cli, tmp = Cli(), tmp_path_factory.mktemp("five")
    folder = tmp / "report"
    result = cli("ingest", LAYOUTS / "five-columns-losses.tsv", "--out", folder, "--company-name",
                 "Test Mining Corp.", "--fiscal-year-end", "12-31")
    assert result.exit_code == 0, result.output
    statement = folder / "statement.yaml"
    text = statement.read_text(encoding="utf-8")
    assert "label: Impairment of mineral properties\n" in text
    statement.write_text(text.replace("label: Impairment of mineral properties\n", f"label: {LONG_LABEL}\n"),
                         encoding="utf-8")
    result = cli("build", folder, "--draft", "-o", tmp / "out")
    assert result.exit_code == 0, result.output
    return Path(result.stdout.strip())


def words_of(pdf_path: Path) -> list[dict]:
    with pdfplumber.open(pdf_path) as pdf:
        return pdf.pages[0].extract_words(keep_blank_chars=False, use_text_flow=True)


def test_a_wrapped_label_ends_on_the_line_of_its_figures(five_columns):
    words = words_of(five_columns)
    label_words = [w for w in words if w["text"] in ("Impairment", "costs")]
    assert len(label_words) == 2
    first, last = sorted(label_words, key=lambda w: w["top"])
    assert last["top"] > first["top"] + 5  # the label wraps
    figures = [w for w in words if w["text"] == "12,400"]
    assert len(figures) == 2
    for figure in figures:
        # On the label's last line, not centred between its lines.
        assert abs(figure["bottom"] - last["bottom"]) < 1.5, (figure, last)


def test_period_columns_share_the_width_evenly(five_columns):
    words = words_of(five_columns)
    # Right edges of the figures of one row (Revenue): even steps from column to column.
    revenue = next(w for w in words if w["text"] == "Revenue")
    row = sorted((w for w in words if abs(w["top"] - revenue["top"]) < 2 and w["text"].startswith("$")),
                 key=lambda w: w["x1"])
    assert [w["text"] for w in row] == ["$6,240", "$9,915", "$7,020", "$31,310", "$38,775"]
    steps = [b["x1"] - a["x1"] for a, b in zip(row, row[1:])]
    assert max(steps) - min(steps) < 2, steps
    # The label column is at least as wide as the longest label that does not wrap.
    depreciation = next(w for w in words if w["text"] == "Depreciation")
    line = [w for w in words if abs(w["top"] - depreciation["top"]) < 2 and w["x1"] < row[0]["x0"]]
    assert " ".join(w["text"] for w in line) == "Depreciation and depletion"


@pytest.fixture(scope="module")
def restated_briefing(tmp_path_factory) -> Path:
    cli, tmp = Cli(), tmp_path_factory.mktemp("restated")
    folder = tmp / "fy"
    result = cli("ingest", LAYOUTS / "fiscal-year-restated.csv", "--out", folder, "--fiscal-year-end", "09-30",
                 "--currency", "CAD")
    assert result.exit_code == 0, result.output
    result = cli("build", folder, "--draft", "-t", "quarterly-briefing", "-o", tmp / "out")
    assert result.exit_code == 0, result.output
    return Path(result.stdout.strip())


def test_the_restated_mark_follows_the_period_everywhere_with_a_footnote(restated_briefing):
    with pdfplumber.open(restated_briefing) as pdf:
        pages = [page.extract_text() for page in pdf.pages]
        words = [w for page in pdf.pages for w in page.extract_words() if w["text"] in ("2011", "(restated)")]
    text = "\n".join(pages)
    # The margins table, the key-figures chart's legend: the period keeps its mark.
    assert "Margins FY 2012 FY 2011 (restated) Change" in text
    assert "FY2011(restated)" in text.replace(" ", "")
    # One footnote says what (restated) means.
    assert text.count("(restated): figures as the company restated them after first publishing them") == 1
    # In the statement's heading the mark sits under its year, no wider than the figures.
    statement_page = next(i for i, page in enumerate(pages) if "Summary Financial Information" in page
                          and "Cost of sales" in page)
    with pdfplumber.open(restated_briefing) as pdf:
        heading = [w for w in pdf.pages[statement_page].extract_words() if w["text"] in ("2011", "(restated)")]
    year = next(w for w in heading if w["text"] == "2011")
    mark = next(w for w in heading if w["text"] == "(restated)" and w["top"] > year["top"])
    assert mark["top"] - year["top"] > 5 and words


def test_a_year_end_report_says_so_on_its_cover(tmp_path):
    """A fourth quarter ends the fiscal year: the cover names the three months and the year."""
    cli = Cli()
    folder = tmp_path / "q4"
    result = cli("ingest", LAYOUTS / "losses-more-subtotals.tsv", "--out", folder, "--company-name",
                 "Test Mining Corp.", "--fiscal-year-end", "12-31")
    assert result.exit_code == 0, result.output
    result = cli("build", folder, "--draft", "-t", "quarterly-briefing", "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    with pdfplumber.open(Path(result.stdout.strip())) as pdf:
        cover = pdf.pages[0].extract_text()
    assert "Results for the three months and the year ended December 31, 2012" in cover


def test_the_year_end_phrase_in_french():
    import datetime as dt
    from reporter.context.document import _results_phrase
    from reporter.inputs.language import load_language
    from reporter.inputs.periods import FiscalCalendar, Period

    class Settings:
        calendar = FiscalCalendar(12, 31)

    french = load_language("fr_CA")
    q4, q3 = Period(dt.date(2012, 12, 31), 3), Period(dt.date(2012, 9, 30), 3)
    assert _results_phrase(q4, Settings, french) == "les trois mois et l’exercice terminés le 31\u00a0décembre\u00a02012"
    assert "exercice" not in _results_phrase(q3, Settings, french)


def test_a_chart_of_two_panels_stays_with_its_title(tmp_path):
    """Five columns give the key-figures chart two panels (quarters, years): both, and the
    caption, on the page of the chart's title."""
    cli = Cli()
    folder = tmp_path / "five"
    result = cli("ingest", LAYOUTS / "five-columns-losses.tsv", "--out", folder, "--company-name",
                 "Test Mining Corp.", "--fiscal-year-end", "12-31")
    assert result.exit_code == 0, result.output
    result = cli("build", folder, "--draft", "-t", "quarterly-briefing", "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    with pdfplumber.open(Path(result.stdout.strip())) as pdf:
        pages = [page.extract_text() for page in pdf.pages]
    (page,) = [text for text in pages if "Key figures by period" in text and "Contents" not in text]
    assert "Q12013" in page.replace(" ", "") and "FY2012" in page.replace(" ", "")  # both panels' legends
    assert "for every period of the summary table" in page
