"""Ingesting releases as they come: the seed as Markdown and as PDF, and every header and table form.

The seed must give back the built-in Los Santos example (figures, structure, FX, words); the
other releases are laid out as real releases are (our own figures), and each is ingested,
validated and built, with every figure read back from the PDF in its row and column.
"""

from __future__ import annotations

import csv
import re
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
import yaml

from helpers import figure_rows, pdf_pages, FIXTURES, REPO
from reporter.errors import DataError
from reporter.ingest import IngestOptions, ingest_table
from reporter.inputs.notation import NotationError, parse_amount

RELEASES = FIXTURES / "releases"
# The seed release as it was published, kept here so CI machines have it too.
SEED = RELEASES / "los-santos-q3-2011-press-release.md"
SHARED_SEED = Path("/work/shared/seed/los-santos-q3-2011-press-release.md")
EXAMPLE = REPO / "reporter" / "examples" / "los-santos"
ALMONTY = ["--company-name", "Almonty Industries Inc.", "--short-name", "Almonty",
           "--exchange", "TSXV", "--ticker", "AII", "--subject", "Los Santos Mine"]


def figures(folder: Path) -> dict[tuple[str, str, int, bool], Decimal]:
    with (folder / "figures.csv").open(newline="", encoding="utf-8") as handle:
        return {(r["line_item"], r["period_end"], int(r["months"]),
                 r.get("restated", "false") == "true"): parse_amount(r["value"])
                for r in csv.DictReader(handle)}


def load(folder: Path, name: str) -> dict:
    return yaml.safe_load((folder / name).read_text(encoding="utf-8"))


def front_matter(folder: Path) -> dict:
    text = (folder / "commentary.md").read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---\n")[1])


def flat(value):
    """Compare words, not line breaks or quote styles: a PDF gives back curly quotes."""
    if isinstance(value, dict):
        return {k: flat(v) for k, v in value.items()}
    if isinstance(value, list):
        return [flat(v) for v in value]
    return " ".join(str(value).replace("’", "'").replace("“", '"').replace("”", '"').split())


def ingest(cli, source: Path, out: Path, *options: str) -> Path:
    result = cli("ingest", source, "--out", out, *options)
    assert result.exit_code == 0, result.output
    return out


def same_as_example(folder: Path) -> None:
    """Figures, structure, settings and words as the built-in Los Santos example has them."""
    assert figures(folder) == figures(EXAMPLE)
    # The example gives its words in English and French; ingest writes the English ones, plain.
    english = lambda value: value["en"] if isinstance(value, dict) and "en" in value else value  # noqa: E731
    example_lines = [{**line, "label": english(line["label"])} for line in load(EXAMPLE, "statement.yaml")["lines"]]
    assert load(folder, "statement.yaml")["lines"] == example_lines
    assert load(folder, "statement.yaml")["title"] == english(load(EXAMPLE, "statement.yaml")["title"])
    mine, theirs = load(folder, "report.yaml"), load(EXAMPLE, "report.yaml")
    for key in ("fx_rates", "fx_source", "fiscal_year_end", "period", "reporting", "legend",
                "subject", "key_figures", "tie_out_tolerance"):
        assert mine[key] == english(theirs[key]), key
    assert flat(front_matter(folder)) == flat(front_matter(EXAMPLE))


# --- the seed, as Markdown and as PDF ---------------------------------------------------------


@pytest.fixture(scope="module")
def seed_md(tmp_path_factory) -> Path:
    from helpers import Cli

    return ingest(Cli(), SEED, tmp_path_factory.mktemp("seed") / "los-santos", *ALMONTY)


@pytest.mark.skipif(not SHARED_SEED.exists(), reason="no shared seed on this machine")
def test_seed_copy_is_the_seed():
    assert SEED.read_bytes() == SHARED_SEED.read_bytes()


def test_seed_release_gives_the_example(seed_md):
    same_as_example(seed_md)


def test_seed_release_commentary_paragraphs(seed_md):
    from reporter.inputs.commentary import load_commentary

    mine = load_commentary(seed_md / "commentary.md")
    theirs = load_commentary(EXAMPLE / "commentary.md")
    assert mine.headline == theirs.headline and mine.dateline == theirs.dateline
    words = lambda html: " ".join(str(html).split())  # the example's Markdown is hard-wrapped
    assert words(mine.lead) == words(theirs.lead)
    paragraphs = lambda sections: [words(p) for p in re.findall(
        r"<p>.*?</p>", "".join(s.html for s in sections), re.S)]
    assert paragraphs(mine.discussion) == paragraphs(theirs.discussion)
    for placed in ("about", "disclaimer"):
        assert words(mine.section(placed).html) == words(theirs.section(placed).html)
        assert mine.section(placed).title == theirs.section(placed).title


def test_seed_release_builds_the_example_investor_summary(cli, seed_md, example_dir, tmp_path):
    """Paragraph for paragraph: only the discussion's headings (the release has none) and the
    masthead (the example has a logo the release cannot give) differ."""
    pages = {}
    for name, folder in (("mine", seed_md), ("example", example_dir)):
        result = cli("build", folder, "-o", tmp_path / name)
        assert result.exit_code == 0, result.output
        pages[name] = "\n".join(pdf_pages(Path(result.stdout.strip()))).splitlines()
    headings = {"Operations", "Exploration", "Discussion", "Almonty"}
    assert [line for line in pages["mine"] if line not in headings] == \
        [line for line in pages["example"] if line not in headings]
    assert pages["mine"].count("Discussion") == 1


@pytest.fixture(scope="module")
def seed_pdf(built_pdfs) -> Path:
    """The seed release as a PDF: the example rendered with reporter's press-release template."""
    return built_pdfs["press-release"]


def test_seed_release_as_pdf_gives_the_example(cli, seed_pdf, tmp_path):
    folder = ingest(cli, seed_pdf, tmp_path / "from-pdf", *ALMONTY)
    same_as_example(folder)
    result = cli("validate", folder)
    assert result.exit_code == 0, result.output


def test_seed_release_as_pdf_has_the_same_words_as_markdown(cli, seed_pdf, seed_md, tmp_path):
    folder = ingest(cli, seed_pdf, tmp_path / "from-pdf", *ALMONTY)
    body = lambda f: flat((f / "commentary.md").read_text(encoding="utf-8").split("---\n", 2)[2])
    assert body(folder) == body(seed_md)


# --- every header and table form, ingested, validated and built ---------------------------------

# file, ingest options, periods as (end, months, restated), rows as published (numbers).
FORMS = {
    "dates-under-spanning-heading.html": (
        [], [("2015-06-30", 3, False), ("2014-06-30", 3, False),
             ("2015-06-30", 6, False), ("2014-06-30", 6, False)],
        {"Revenue": [7315, 6020, 14102, 11875], "Cost of sales": [5410, 4795, 10644, 9360],
         "Gross profit": [1905, 1225, 3458, 2515],
         "General and administrative": [702, 688, 1390, 1322],
         "Finance costs": [141, -12, 280, 35], "Earnings before tax": [1062, 549, 1788, 1158]},
        ("USD", "thousands")),
    "q3-release-pipe-table.md": (
        [], [("2021-09-30", 3, False), ("2020-09-30", 3, False),
             ("2021-09-30", 9, False), ("2020-09-30", 9, False)],
        {"Revenue": [12480, 10915, 35204, 31877], "Operating costs": [8105, 7640, 23918, 22506],
         "Mine operating earnings": [4375, 3275, 11286, 9371],
         "Depreciation": [1220, 1185, 3640, 3512], "Corporate costs": [915, 870, 2702, 2655],
         "Net earnings": [2240, 1220, 4944, 3204]},
        ("CAD", "thousands")),
    "quarter-dates-spaced.txt": (
        ["--periods", "3M:2015-06-30,3M:2014-06-30R,3M:2015-03-31"],
        [("2015-06-30", 3, False), ("2014-06-30", 3, True), ("2015-03-31", 3, False)],
        {"Revenue": [4812, 4105, 4390], "Cost of sales": [3377, 2960, 3118],
         "Gross margin": [1435, 1145, 1272], "Administration": [512, 498, 530],
         "Net income": [923, 647, 742]},
        ("CAD", "thousands")),
    "iso-dates-year.csv": (
        [], [("2016-06-30", 12, False), ("2015-06-30", 12, True)],
        {"Revenue": ["184.6", "171.2"], "Cost of sales": ["121.9", "118.4"],
         "Gross profit": ["62.7", "52.8"], "Exploration": ["8.3", "7.9"],
         "Operating profit": ["54.4", "44.9"]},
        ("USD", "millions")),
    "fiscal-quarters-spaced.txt": (
        ["--fiscal-year-end", "06-30"], [("2021-03-31", 3, False), ("2020-03-31", 3, False)],
        {"Sales revenue": [9210, 8474], "Site costs": [6115, 5990], "EBITDA": [3095, 2484],
         "Depreciation": [980, 915], "Profit before tax": [2115, 1569]},
        ("AUD", "thousands")),
    "restated-dates.tsv": (
        [], [("2015-06-30", 3, False), ("2014-06-30", 3, True), ("2015-03-31", 3, False)],
        {"Revenue": [6240, 5915, 6010], "Operating expenses": [4480, 4390, 4355],
         "Operating income": [1760, 1525, 1655], "Net finance items": [-35, 42, -18],
         "Income before tax": [1795, 1483, 1673]},
        ("CAD", "thousands")),
    "fiscal-years-pipe.md": (
        ["--fiscal-year-end", "06-30"], [("2016-06-30", 12, False), ("2015-06-30", 12, True)],
        {"Revenue": ["96.4", "88.1"], "Operating costs": ["71.2", "69.5"],
         "EBITDA": ["25.2", "18.6"], "Depreciation and amortisation": ["9.8", "9.1"],
         "Net profit before tax": ["15.4", "9.5"]},
        ("AUD", "millions")),
}


def numbers(row: list[str]) -> list[Decimal] | None:
    """Read a printed row of figures back ("US$7,315", "(12)", "A$9,210"); None for words."""
    try:
        return [parse_amount(re.sub(r"^(\(?)[A-Z]*\$", r"\1", text)) for text in row]
    except NotationError:
        return None


@pytest.fixture(scope="module")
def form_folders(tmp_path_factory) -> dict[str, Path]:
    from helpers import Cli

    cli = Cli()
    return {name: ingest(cli, RELEASES / name, tmp_path_factory.mktemp("forms") / "report",
                         "--company-name", "Test Mining Corp.", *case[0])
            for name, case in FORMS.items()}


@pytest.mark.parametrize("name", list(FORMS))
def test_form_is_read_into_periods_lines_and_units(form_folders, name):
    _, periods, rows, (currency, scale) = FORMS[name]
    folder = form_folders[name]
    found = figures(folder)
    ids = [line["id"] for line in load(folder, "statement.yaml")["lines"]]
    labels = [line["label"] for line in load(folder, "statement.yaml")["lines"]]
    assert labels == list(rows)  # footnote marks ("Revenue (1)", "Corporate costs*") are gone
    assert rows and periods
    for line_id, values in zip(ids, rows.values()):
        for (end, months, restated), value in zip(periods, values):
            assert found[(line_id, end, months, restated)] == Decimal(str(value)), (line_id, end)
    assert len(found) == len(ids) * len(periods)
    settings = load(folder, "report.yaml")
    assert (settings["reporting"]["currency"], settings["reporting"]["scale"]) == (currency, scale)
    subtotals = [line for line in load(folder, "statement.yaml")["lines"] if "formula" in line]
    assert len(subtotals) == 2


@pytest.mark.parametrize("name", list(FORMS))
def test_form_validates_and_builds_with_every_figure_in_place(cli, form_folders, name, tmp_path):
    folder = form_folders[name]
    result = cli("validate", folder)
    assert result.exit_code == 0, result.output
    assert "0 fail." in result.output
    result = cli("build", folder, "-o", tmp_path, "--draft")  # the commentary holds TODO placeholders
    assert result.exit_code == 0, result.output
    # The draft mark stands on every page; it is not a figure of any row.
    text = "\n".join(pdf_pages(Path(result.stdout.strip()))).replace("DRAFT", "")
    for label, values in FORMS[name][2].items():
        printed = [numbers(row) for row in figure_rows(text, label)]
        assert [Decimal(str(v)) for v in values] in printed, (label, figure_rows(text, label))


def test_release_words_from_html(form_folders):
    folder = form_folders["dates-under-spanning-heading.html"]
    front = front_matter(folder)
    assert front["headline"] == "Ridgeline Tungsten Reports Second Quarter 2015 Results"
    assert front["dateline"] == "VANCOUVER, Aug. 12, 2015"
    assert front["quote"] == {"text": "Higher concentrate grades carried the quarter.",
                              "speaker": "Maria Okafor",
                              "title": "President and Chief Executive Officer of Ridgeline"}
    assert front["footnote"] == "Unaudited. Read with the interim financial statements filed on SEDAR."
    assert front["contacts"] == [{"name": "Maria Okafor", "role": "President & CEO",
                                  "telephone": "(604) 555-0142",
                                  "email": "mokafor@ridgeline.example"}]
    assert front["exchange_notice"].startswith("Neither TSX Venture Exchange")
    assert load(folder, "report.yaml")["legend"].startswith("NOT FOR DISTRIBUTION")
    body = (folder / "commentary.md").read_text(encoding="utf-8")
    assert "## About Ridgeline Tungsten {#about}" in body
    assert "## Forward-Looking Statements {#disclaimer}" in body
    assert "Newswire home" not in body and "tracking" not in body  # navigation and scripts


def test_one_footnote_loses_its_mark(form_folders):
    release = (RELEASES / "q3-release-pipe-table.md").read_text(encoding="utf-8")
    assert "(1) Revenue is stated" in release
    assert front_matter(form_folders["q3-release-pipe-table.md"])["footnote"] == \
        "Revenue is stated net of treatment charges."


# --- the release's words, piece by piece -------------------------------------------------------


def words_of(*texts: str):
    from reporter.ingest.release import read_release
    from reporter.ingest.sources import Paragraph

    return read_release([Paragraph(text, number) for number, text in enumerate(texts, 1)])


def test_several_footnotes_keep_their_marks():
    from reporter.ingest.write import render_release_commentary

    release = words_of("HEADLINE", "May 2, 2016 – Lead.", "¹ Unaudited.", "² Net of royalties.")
    assert release.footnotes == [("¹", "Unaudited."), ("²", "Net of royalties.")]
    front = yaml.safe_load(render_release_commentary(release).split("---\n")[1])
    assert front["footnote"] == "¹ Unaudited. ² Net of royalties."


@pytest.mark.parametrize("paragraph, dateline, lead", [
    ("October 3, 2011 – Almonty announces.", "October 3, 2011", "Almonty announces."),
    ("TORONTO, Oct. 3, 2011 /CNW/ - Almonty announces.", "TORONTO, Oct. 3, 2011",
     "Almonty announces."),
    ("VANCOUVER, British Columbia, March 1, 2016 — Ridgeline reports.",
     "VANCOUVER, British Columbia, March 1, 2016", "Ridgeline reports."),
])
def test_datelines(paragraph, dateline, lead):
    release = words_of("Headline of the release", paragraph)
    assert (release.headline, release.dateline, release.lead) == \
        ("Headline of the release", dateline, [lead])


def test_a_paragraph_cut_by_a_page_and_its_footnote_is_joined():
    release = words_of("Headline", "May 2, 2016 – Lead.",
                       "Jane Roe, Chief Executive Officer, said, “A good quarter.” Ridgeline also",
                       "¹ Unaudited.", "intends to drill in the autumn.")
    assert release.quote == {"text": "A good quarter.", "speaker": "Jane Roe",
                             "title": "Chief Executive Officer"}
    assert release.sections == [("Discussion", "discussion",
                                 ["Ridgeline also intends to drill in the autumn."])]


def test_contacts_on_one_line_or_several():
    release = words_of("Headline", "May 2, 2016 – Lead.", "For more information, contact:",
                       "Jane Roe – CEO Telephone: +1 604 555 0100 Email: jroe@example.com",
                       "John Doe – CFO", "Tel: (604) 555-0101", "E-mail: jdoe@example.com",
                       "About Ridgeline", "Ridgeline mines tungsten.")
    assert release.contacts == [
        {"name": "Jane Roe", "role": "CEO", "telephone": "+1 604 555 0100",
         "email": "jroe@example.com"},
        {"name": "John Doe", "role": "CFO", "telephone": "(604) 555-0101",
         "email": "jdoe@example.com"}]
    assert release.sections == [("About Ridgeline", "about", ["Ridgeline mines tungsten."])]


@pytest.mark.parametrize("headline, body, expected", [
    ("ALMONTY ANNOUNCES RESULTS FOR THE LOS SANTOS MINE",
     ["Almonty runs the Los Santos Mine. The mine is in Spain."],
     "Almonty announces results for the Los Santos Mine"),
    ("RIDGELINE FILES MD&A FOR Q3 2021", ["Ridgeline filed its report."],
     "Ridgeline files MD&A for Q3 2021"),
    ("RESULTS FOR JUNE", ["Results for the month of June were filed in June."],
     "Results for June"),
])
def test_sentence_case_headlines(headline, body, expected):
    from reporter.ingest.release import sentence_case

    assert sentence_case(headline, body) == expected


def test_currency_and_scale_from_the_sentence_by_the_table(form_folders):
    # The pipe table's header says neither: "expressed in thousands of Canadian dollars" does.
    settings = load(form_folders["q3-release-pipe-table.md"], "report.yaml")
    assert settings["reporting"] == {"currency": "CAD", "scale": "thousands", "locale": "en_CA"}


def test_fiscal_year_end_from_the_year_to_date_columns(form_folders):
    assert load(form_folders["iso-dates-year.csv"], "report.yaml")["fiscal_year_end"] == "06-30"
    assert load(form_folders["q3-release-pipe-table.md"], "report.yaml")["fiscal_year_end"] == "12-31"


# --- what ingest cannot read is one line naming the place ---------------------------------------


def test_dates_without_a_length_ask_for_periods(cli, tmp_path):
    result = cli("ingest", RELEASES / "quarter-dates-spaced.txt", "--out", tmp_path / "out")
    assert result.exit_code != 0
    message = result.output.strip()
    assert len(message.splitlines()) == 1, message
    assert 'row 3, column "B"' in message and "'30-Jun-15'" in message
    assert "--periods" in message and "Traceback" not in message
    assert not (tmp_path / "out").exists()


def test_fiscal_quarters_without_a_fiscal_year_end_say_so(cli, tmp_path):
    result = cli("ingest", RELEASES / "fiscal-quarters-spaced.txt", "--out", tmp_path / "out")
    assert result.exit_code != 0
    assert "'Q3 FY2021'" in result.output and "--fiscal-year-end" in result.output


@pytest.mark.parametrize("periods, words", [
    ("3M:2015-06-30,3M:2014-06-30", "gives 2 periods but the table has 3"),
    ("3M:2015-06-31,3M:2014-06-30R,3M:2015-03-31", "day is out of range"),
    ("three months to June", "cannot read 'three months to June'"),
])
def test_bad_periods_option(cli, tmp_path, periods, words):
    result = cli("ingest", RELEASES / "quarter-dates-spaced.txt", "--out", tmp_path / "out",
                 "--periods", periods)
    assert result.exit_code != 0
    assert words in result.output, result.output


def test_several_tables_are_listed_and_one_is_chosen(tmp_path):
    text = (RELEASES / "q3-release-pipe-table.md").read_text(encoding="utf-8")
    extra = ("\nProduction summary:\n\n| | Q3 FY2021 | Q3 FY2020 |\n|---|---:|---:|\n"
             "| Tonnes milled | 91,200 | 88,400 |\n| Tonnes shipped | 90,100 | 87,950 |\n")
    source = tmp_path / "two-tables.md"
    source.write_text(text + extra, encoding="utf-8")
    with pytest.raises(DataError) as error:
        ingest_table(source, tmp_path / "out", IngestOptions())
    message = str(error.value)
    assert "2 tables found, choose one with --table N" in message
    assert "1) row 7: untitled (Markdown pipe table" in message
    assert "2) row 24: Production summary (Markdown pipe table" in message
    report = ingest_table(source, tmp_path / "out", IngestOptions(table=1))
    assert [line.label for line in report.lines][0] == "Revenue"


def test_no_table_names_the_forms_tried(tmp_path):
    source = tmp_path / "words.html"
    source.write_text("<p>Only words here.</p>", encoding="utf-8")
    with pytest.raises(DataError, match="no table found; tried HTML table"):
        ingest_table(source, tmp_path / "out", IngestOptions())


def test_a_pdf_without_text_is_refused(tmp_path):
    source = tmp_path / "scan.pdf"
    source.write_bytes(b"not a pdf at all")
    with pytest.raises(DataError, match="cannot read the PDF"):
        ingest_table(source, tmp_path / "out", IngestOptions())


# --- workbooks: cached formula values, and none ----------------------------------------------


def xlsx_with_cached_values(path: Path) -> None:
    """Write a workbook whose subtotals are formulas with their saved results, as Excel does.

    openpyxl writes formulas without results, so the sheet is written as Excel's XML.
    """
    import zipfile

    cells = [
        ("A1", "s", ""), ("B1", "s", "Year ended December 31,"),
        ("B2", "n", "2016"), ("C2", "n", "2015"),
        ("A3", "s", "(US$ 000)"),
        ("A4", "s", "Revenue"), ("B4", "n", "5120"), ("C4", "n", "4870"),
        ("A5", "s", "Cost of sales"), ("B5", "n", "3400"), ("C5", "n", "3390"),
        ("A6", "s", "Gross profit"), ("B6", "f", ("B4-B5", "1720")), ("C6", "f", ("C4-C5", "1480")),
    ]
    strings = [value for _, kind, value in cells if kind == "s"]
    rows: dict[int, list[str]] = {}
    for ref, kind, value in cells:
        row = int(ref[1:])
        if kind == "s":
            xml = f'<c r="{ref}" t="s"><v>{strings.index(value)}</v></c>'
        elif kind == "n":
            xml = f'<c r="{ref}"><v>{value}</v></c>'
        else:
            xml = f'<c r="{ref}"><f>{value[0]}</f><v>{value[1]}</v></c>'
        rows.setdefault(row, []).append(xml)
    sheet = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
             'spreadsheetml/2006/main"><sheetData>'
             + "".join(f'<row r="{r}">{"".join(c)}</row>' for r, c in sorted(rows.items()))
             + "</sheetData></worksheet>")
    shared = ('<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
              f'spreadsheetml/2006/main">{"".join(f"<si><t>{s}</t></si>" for s in strings)}</sst>')
    main = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    with zipfile.ZipFile(path, "w") as book:
        book.writestr("[Content_Types].xml",
                      '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                      '<Default Extension="xml" ContentType="application/xml"/>'
                      '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                      '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                      '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
                      '</Types>')
        book.writestr("_rels/.rels",
                      '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                      f'<Relationship Id="rId1" Type="{main}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        book.writestr("xl/workbook.xml",
                      '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                      f'xmlns:r="{main}"><sheets><sheet name="Summary" sheetId="1" r:id="rId1"/></sheets></workbook>')
        book.writestr("xl/_rels/workbook.xml.rels",
                      '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                      f'<Relationship Id="rId1" Type="{main}/worksheet" Target="worksheets/sheet1.xml"/>'
                      f'<Relationship Id="rId2" Type="{main}/sharedStrings" Target="sharedStrings.xml"/>'
                      '</Relationships>')
        book.writestr("xl/worksheets/sheet1.xml", sheet)
        book.writestr("xl/sharedStrings.xml", shared)


def test_xlsx_formula_cells_give_their_saved_values(cli, tmp_path):
    source = tmp_path / "summary.xlsx"
    xlsx_with_cached_values(source)
    folder = ingest(cli, source, tmp_path / "out")
    found = figures(folder)
    assert found[("gross_profit", "2016-12-31", 12, False)] == Decimal(1720)
    assert found[("gross_profit", "2015-12-31", 12, False)] == Decimal(1480)
    assert load(folder, "statement.yaml")["lines"][2]["formula"] == "revenue - cost_of_sales"
    assert cli("validate", folder).exit_code == 0
    result = cli("build", folder, "-o", tmp_path / "pdf", "--draft")  # TODO placeholders left
    assert result.exit_code == 0, result.output
    text = "\n".join(pdf_pages(Path(result.stdout.strip())))
    assert [Decimal(1720), Decimal(1480)] in [numbers(r) for r in figure_rows(text, "Gross profit")]


def test_xlsx_formula_without_a_saved_value_is_refused(cli, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    for row in (["", "Year ended December 31,", ""], ["", 2016, 2015], ["(US$ 000)"],
                ["Revenue", 5120, 4870], ["Cost of sales", 3400, 3390],
                ["Gross profit", "=B4-B5", "=C4-C5"]):
        sheet.append(row)
    source = tmp_path / "uncalculated.xlsx"
    book.save(source)
    result = cli("ingest", source, "--out", tmp_path / "out")
    assert result.exit_code != 0
    message = result.output.strip()
    assert 'row 6, column "B"' in message and "'=B4-B5'" in message
    assert "no saved value" in message and len(message.splitlines()) == 1
    assert not (tmp_path / "out").exists()


# --- header cells that are periods by themselves ----------------------------------------------


@pytest.mark.parametrize("text, end, months, restated", [
    ("30-Jun-15", "2015-06-30", None, False),
    ("Restated 30-Jun-14", "2014-06-30", None, True),
    ("30-Jun-14 (restated)", "2014-06-30", None, True),
    ("3M 30-Sep-21", "2021-09-30", 3, False),
    ("9M 30-Sep-21", "2021-09-30", 9, False),
    ("2015-06-30", "2015-06-30", None, False),
    ("June 30, 2015", "2015-06-30", None, False),
    ("As restated June 30, 2014", "2014-06-30", None, True),
    ("31 March 2015", "2015-03-31", None, False),
])
def test_date_cells(text, end, months, restated):
    from reporter.ingest.header import parse_date_cell

    cell = parse_date_cell(text)
    assert (cell.end.isoformat(), cell.months, cell.restated) == (end, months, restated)


@pytest.mark.parametrize("text, fiscal_year_end, end, months", [
    ("Q3 2021", "12-31", "2021-09-30", 3),
    ("Q3 FY2021", "06-30", "2021-03-31", 3),
    ("Q1 FY2012", "09-30", "2011-12-31", 3),
    ("Q4 2021", "12-31", "2021-12-31", 3),
    ("H1 2021", "12-31", "2021-06-30", 6),
    ("H2 FY2021", "06-30", "2021-06-30", 6),
    ("FY2016", "09-30", "2016-09-30", 12),
    ("FY 2016", "12-31", "2016-12-31", 12),
])
def test_fiscal_cells(text, fiscal_year_end, end, months):
    from reporter.ingest.header import fiscal_end, parse_fiscal_cell

    cell = parse_fiscal_cell(text)
    assert (fiscal_end(cell, fiscal_year_end).isoformat(), cell.months) == (end, months)


@pytest.mark.parametrize("text", ["2011", "Revenue", "CAD$ 000", "Q5 2021", "June 2015", "30-Jun"])
def test_cells_that_are_not_periods(text):
    from reporter.ingest.header import parse_date_cell, parse_fiscal_cell

    assert parse_date_cell(text) is None and parse_fiscal_cell(text) is None


# --- a bad cell in any form is one line naming the file, row and column ------------------------


@pytest.mark.parametrize("name, good, bad, row, column", [
    ("dates-under-spanning-heading.html", "<td>5,410</td>", "<td>5,41O</td>", 14, "B"),
    ("q3-release-pipe-table.md", "| 7,640 |", "| 7,64O |", 10, "C"),
    ("quarter-dates-spaced.txt", "2,960", "2,96O", 5, "C"),
    ("iso-dates-year.csv", "118.4", "118.4.", 5, "C"),
    ("fiscal-quarters-spaced.txt", "5,990", "5,99O", 4, "C"),
])
def test_a_bad_figure_in_any_form(cli, tmp_path, name, good, bad, row, column):
    source = tmp_path / name
    text = (RELEASES / name).read_text(encoding="utf-8")
    assert text.count(good) == 1
    source.write_text(text.replace(good, bad), encoding="utf-8")
    result = cli("ingest", source, "--out", tmp_path / "out", *FORMS[name][0])
    assert result.exit_code != 0
    message = result.output.strip()
    assert len(message.splitlines()) == 1 and "Traceback" not in message, message
    assert f'{source}, row {row}, column "{column}": not a figure' in message, message
    assert not (tmp_path / "out").exists()
