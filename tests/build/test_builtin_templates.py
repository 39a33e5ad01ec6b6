"""Read every built-in template back: the figures in their rows, and what each template promises.

The quarterly briefing promises a cover, a contents page whose numbers are the pages the sections
are on, charts with their figures in print, and a bookmark per section; the press release
promises the seed's own order, from the legend to the disclaimer.
"""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from pypdf import PdfReader

from helpers import alt_texts, pdf_pages, table_row
from helpers import contents_entries as read_contents
from helpers import SEED_TABLE

BUILTINS = ["investor-summary", "quarterly-briefing", "press-release"]
# The average rates, one under each period's column (Q3 2011, Q3 2010, 9M 2011, 9M 2010).
FX_RATES = ["1.3934", "1.3073", "1.3729", "1.436078"]
FX_LABEL = "EUR=CAD per Bank of Canada"
LEGEND = "NOT FOR DISTRIBUTION TO U.S. NEWSWIRE SERVICES OR DISSEMINATION IN THE UNITED STATES"
HEADER = "Almonty Industries Inc. · TSXV: AII"
MM = 72 / 25.4  # PDF points per millimetre


def flat(pages: list[str]) -> str:
    """Join the pages into one line of text: the words as a reader reads them."""
    # pdfium reports a hyphen that ends a line as U+FFFE.
    return " ".join(" ".join(pages).replace("\ufffe", "-").split())


def statement_page(pages: list[str]) -> str:
    """Return the text of the page with the summary table: the one with its row of units."""
    for text in pages:
        if any(line.split().count("000") >= 2 and line.startswith("CAD$") for line in text.splitlines()):
            return text
    raise AssertionError("no page has the table's row of units (CAD$ 000 ...)")


def report_html(template: str, report_dir: Path | None = None) -> str:
    from reporter.data.report import default_report_dir, load_report
    from reporter.build.pipeline import render_report_html
    from reporter.theme.resolve import resolve_theme

    folder = report_dir or default_report_dir()
    return render_report_html(load_report(folder), resolve_theme(template, folder)).html


@pytest.fixture(scope="module")
def pages(built_pdfs) -> dict[str, list[str]]:
    return {name: pdf_pages(path) for name, path in built_pdfs.items()}


def test_every_builtin_is_built(built_pdfs):
    assert set(BUILTINS) <= set(built_pdfs), sorted(built_pdfs)


# --- All built-ins: the figures ------------------------------------------------------------


@pytest.mark.parametrize("label", SEED_TABLE)
@pytest.mark.parametrize("template", BUILTINS)
def test_every_figure_in_its_row_and_column(pages, template, label):
    assert table_row(statement_page(pages[template]), label) == SEED_TABLE[label]


@pytest.mark.parametrize("template", BUILTINS)
def test_column_headings(pages, template):
    text = statement_page(pages[template])
    assert "Three Months Ended June 30, Nine Months Ended June 30," in text
    assert "2011 2010 2011 2010" in text


@pytest.mark.parametrize("template", BUILTINS)
def test_exchange_rates_keep_their_published_precision(pages, template):
    rows = [line.split()[-4:] for page in pages[template] for line in page.splitlines()
            if FX_LABEL in line and not line.startswith("Figures")]
    assert rows == [FX_RATES], rows


@pytest.mark.parametrize("template", BUILTINS)
def test_page_x_of_y(pages, template):
    document = pages[template]
    first = 2 if template == "quarterly-briefing" else 1  # the cover has no footer
    assert len(document) >= first, template
    for number in range(first, len(document) + 1):
        assert f"Page {number} of {len(document)}" in document[number - 1]


@pytest.mark.parametrize("template", BUILTINS)
def test_letter_size(built_pdfs, template):
    assert len(PdfReader(built_pdfs[template]).pages) > 0
    for page in PdfReader(built_pdfs[template]).pages:
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (612, 792)


# --- Quarterly briefing ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def briefing(pages) -> list[str]:
    return pages["quarterly-briefing"]


@pytest.fixture(scope="module")
def briefing_html() -> str:
    return report_html("quarterly-briefing")


def contents_entries(briefing: list[str]) -> tuple[int, list[tuple[str, int]]]:
    """Return the contents page's index and its entries: (title, page number printed)."""
    index = next(i for i, text in enumerate(briefing) if "Contents" in text.splitlines())
    return index, read_contents(briefing)


def test_briefing_has_several_pages(briefing):
    assert len(briefing) >= 5


def test_cover_without_running_header_or_footer(briefing):
    cover = briefing[0]
    for text in (LEGEND, "Quarterly Briefing", "Los Santos Mine", "Q3 2011", "Almonty Industries Inc.",
                 "TSXV: AII", "October 3, 2011"):
        assert text in cover, text
    assert HEADER not in cover and "Page 1 of" not in cover


def test_running_header_with_company_and_period_after_the_cover(briefing):
    assert briefing[1:]
    for text in briefing[1:]:
        assert HEADER in text
        assert "Los Santos Mine · Q3 2011 Quarterly Briefing" in text


def test_contents_lists_every_section(briefing):
    _, entries = contents_entries(briefing)
    titles = [title for title, _ in entries]
    for expected in ("Highlights", "Summary Financial Information", "Exchange rates", "Results in charts",
                     "Key figures by period", "Earnings bridge, Q3 2011", "Earnings bridge, 9M 2011",
                     "Management commentary", "Operations", "Exploration", "About Almonty",
                     "For further information please contact",
                     "Disclaimer for Forward-Looking Information"):
        assert expected in titles, (expected, titles)


def test_contents_page_numbers_are_where_the_sections_are(briefing):
    index, entries = contents_entries(briefing)
    assert len(entries) >= 8
    # Every line after the contents page, in reading order; each title is looked for after the
    # previous one, so a word that is also a chart label ("Operations") is not taken for a title.
    # "At a glance" shares the contents page: read from it on, leaving out the entries themselves.
    lines = [(number, line.strip()) for number, text in enumerate(briefing, 1) if number >= index + 1
             for line in text.splitlines()]
    position = 0
    assert entries
    for title, printed in entries:
        # The statement's title has a footnote mark; the briefing's "Highlights" label is in capitals.
        title_line = re.compile(re.escape(title) + r"[1¹]?", re.IGNORECASE)
        found = next((i for i in range(position, len(lines)) if title_line.fullmatch(lines[i][1])), None)
        assert found is not None, f"section {title!r} not found after the contents"
        assert lines[found][0] == printed, f"{title!r}: contents say page {printed}, it is on {lines[found][0]}"
        position = found + 1


def test_bookmarks_for_every_section(built_pdfs, briefing):
    reader = PdfReader(built_pdfs["quarterly-briefing"])
    top, nested = [], []

    def walk(items, depth):
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                (top if depth == 0 else nested).append(
                    (item["/Title"], reader.get_destination_page_number(item) + 1))

    walk(reader.outline, 0)
    bookmarks = dict(top + nested)
    assert contents_entries(briefing)[1]
    for title, page in contents_entries(briefing)[1]:
        assert bookmarks.get(title) == page, (title, page, bookmarks)
    assert "Operations" in dict(nested) and "Key figures by period" in dict(nested)
    assert "Highlights" in dict(top) and "Disclaimer for Forward-Looking Information" in dict(top)


def test_chart_text_alternatives_are_in_tags_not_printed(briefing, built_pdfs):
    text = flat(briefing)
    assert "Figures shown" not in text
    alts = alt_texts(built_pdfs["quarterly-briefing"])
    # The figures, as the bridge of the quarter states them: in the table's own notation.
    bridge = ("Revenue 4,421, Cost of Sales 3,006, Income From Mining Operations 1,416, "
              "Depreciation and Amortization 931, Interest 42, Other SG&A (net credit) (247), "
              "Net Income Before Tax and One Time Items 690")
    assert any(bridge in alt for alt in alts), alts
    assert bridge not in text
    assert any("Net Income Before Tax and One Time Items (3,387) (CAD, thousands, the nine months" in alt
               for alt in alts)


def test_charts_are_accessible_figures(briefing_html):
    figures = re.findall(r'<figure class="chart".*?</figure>', briefing_html, flags=re.S)
    assert len(figures) >= 2
    for figure in figures:
        svg = re.search(r"<svg\b[^>]*>", figure)
        assert svg and 'role="img"' in svg[0], figure[:200]
        assert re.search(r"<svg\b[^>]*>\s*<title>[^<]+</title>", figure)
        assert '<h3 class="chart-title">' in figure and "<figcaption>" in figure


def test_highlights_key_figures_and_narrative(briefing):
    text = flat(briefing)
    assert "REVENUE $4,421 CAD thousands" in text and "Q3 2010: ($407) · from a loss" in text
    assert ("Net income before tax and one time items was a loss of $3.4 million for the nine months "
            "ended June 30, 2011, compared with earnings of $0.8 million in the same period of 2010.") in text


def test_fx_note_commentary_about_contacts_notice_disclaimer(briefing):
    text = flat(briefing)
    for expected in (
            # The rates themselves are in the table under it, not repeated in the sentence.
            "Figures have been converted to CAD at the Bank of Canada average rates for each period, "
            "shown below.",
            "“The operational results of the Los Santos mine",
            "Lewis Black, Chief Executive Officer of Almonty",
            "re-commissioned in July 2010", "continue with exploration programmes",
            "225,000 tonnes of ore", "Telephone: (416) 594-2892", "dennis.logan@almonty.com",
            "Neither TSX Venture Exchange nor its Regulation Services Provider",
            "AS REQUIRED IN ACCORDANCE WITH APPLICABLE LAWS."):
        assert expected in text, expected


# --- Press release --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def release(pages) -> list[str]:
    return pages["press-release"]


def test_release_starts_with_the_legend(release):
    assert release[0].startswith(LEGEND)


def test_release_runs_in_the_seeds_order(release):
    text = flat(release)
    in_order = [
        LEGEND,
        "ALMONTY ANNOUNCES $1.4 MILLION INCOME FROM MINING OPERATIONS FOR THE LOS SANTOS MINE",
        "October 3, 2011 – Almonty Industries Inc. (“Almonty”) (TSXV: AII) announces the filing",
        "Summary Financial Information",
        "Revenue $4,421 $0 $10,186 $0",
        "Average exchange rate EUR=CAD per Bank of Canada 1.3934 1.3073 1.3729 1.436078",
        "The Los Santos Mine was re-commissioned in July 2010",
        "Lewis Black, Chief Executive Officer of Almonty commented, “The operational results",
        "Almonty also intends to continue with exploration programmes",
        "About Almonty The principal business of Almonty",
        "For further information please contact:",
        "Lewis Black – Director & CEO Telephone: (212) 343-1914 Email: lewis.black@almonty.com",
        "Dennis Logan – Director & CFO",
        "Neither TSX Venture Exchange nor its Regulation Services Provider",
        "Disclaimer for Forward-Looking Information",
        "This press release contains forward-looking statements",
        "AS REQUIRED IN ACCORDANCE WITH APPLICABLE LAWS.",
    ]
    positions = []
    for passage in in_order:
        assert passage in text, passage
        positions.append(text.index(passage))
    assert positions == sorted(positions), [p for _, p in sorted(zip(positions, in_order))]


def test_release_headline_is_set_in_capitals(release):
    headline = ("ALMONTY ANNOUNCES $1.4 MILLION INCOME FROM MINING OPERATIONS FOR THE LOS SANTOS MINE FOR "
                "THE 3 MONTHS ENDED JUNE 30, 2011 AND THE FILING OF LOS SANTOS FINANCIAL STATEMENTS AND "
                "MD&A FOR THE 3 AND 9 MONTHS ENDED JUNE 30, 2011")
    assert headline in flat(release[:1])


def test_release_footnote_is_on_the_page_of_the_table(release):
    page = next(text for text in release if "Summary Financial Information" in text)
    assert "Summary Financial Information1\n:" in page or "Summary Financial Information1:" in page
    assert "1 The Summary Financial information should be read in conjunction" in page
    assert "posted on SEDAR" in page


def test_release_commentary_runs_as_paragraphs(release):
    lines = {line.strip() for text in release for line in text.splitlines()}
    assert "Operations" not in lines and "Exploration" not in lines
    assert "REVENUE" not in lines  # no key figure panels in a release


def test_release_bookmarks(built_pdfs):
    titles = [item["/Title"] for item in PdfReader(built_pdfs["press-release"]).outline
              if not isinstance(item, list)]
    assert "Summary Financial Information" in titles
    assert "About Almonty" in titles and "Disclaimer for Forward-Looking Information" in titles


def test_release_builds_its_text_from_the_context(tmp_path, example_dir):
    """Nothing of Los Santos is written in the template: change the commentary, the release follows."""
    folder = tmp_path / "report"
    shutil.copytree(example_dir, folder)
    commentary = folder / "commentary.md"
    text = commentary.read_text(encoding="utf-8")
    text = (text.replace("speaker: Lewis Black", "speaker: Ada Lovelace")
                .replace("title: Chief Executive Officer of Almonty", "title: Chair of the Board")
                .replace("dateline: October 3, 2011", "dateline: November 14, 2011"))
    commentary.write_text(text, encoding="utf-8")
    document = html.unescape(re.sub(r"<[^>]+>", "", report_html("press-release", folder)))
    words = " ".join(document.split())
    assert "November 14, 2011 – Almonty Industries Inc." in words
    assert "Ada Lovelace, Chair of the Board commented, “The operational results" in words
    assert "October 3, 2011" not in words and "Lewis Black, Chief Executive" not in words


# --- Any table: more columns and rows than the seed ----------------------------------------


def wide_report(target: Path, example_dir: Path, years: list[int], costs: int) -> Path:
    """Los Santos' settings and commentary over a made-up statement: revenue less `costs` cost
    lines, for the three and nine months ended June 30 of each year."""
    shutil.copytree(example_dir, target)
    ids = [f"cost_{n:02d}" for n in range(1, costs + 1)]
    statement = ["title: Summary Financial Information", "lines:", "  - id: revenue", "    label: Revenue"]
    for n, line in enumerate(ids, 1):
        statement += [f"  - id: {line}", f"    label: Operating cost line {n}"]
    statement += ["  - id: net_result", "    label: Net result", "    formula: revenue - " + " - ".join(ids)]
    (target / "statement.yaml").write_text("\n".join(statement) + "\n", encoding="utf-8")
    rows = ["line_item,period_end,months,value"]
    for line in ["revenue", *ids, "net_result"]:
        for months in (3, 9):
            for k, year in enumerate(years):
                revenue = 30_000 * months + 137 * k
                cost = [11 * (n + 1) + k + months for n in range(costs)]
                value = {"revenue": revenue, "net_result": revenue - sum(cost)}.get(line)
                value = cost[ids.index(line)] if value is None else value
                rows.append(f'{line},{year}-06-30,{months},"{value:,}"')
    (target / "figures.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    settings = (target / "report.yaml").read_text(encoding="utf-8")
    start = settings.index("key_figures:")
    end = settings.index("\n\n", start)
    settings = settings[:start] + "key_figures:\n  - revenue\n  - net_result" + settings[end:]
    (target / "report.yaml").write_text(settings, encoding="utf-8")
    return target


def text_outside_the_margins(path: Path, margin_mm: float) -> list[str]:
    """Return the characters printed closer than `margin_mm` to the left or right edge."""
    document = pdfium.PdfDocument(str(path))
    outside = []
    try:
        for number, page in enumerate(document, 1):
            width = page.get_width()
            textpage = page.get_textpage()
            for index in range(textpage.count_chars()):
                left, _, right, _ = textpage.get_charbox(index)
                if right > left and (left < margin_mm * MM or right > width - margin_mm * MM):
                    outside.append(f"page {number}: {textpage.get_text_range(index, 1)!r} at {left:.0f}-{right:.0f}")
    finally:
        document.close()
    return outside


@pytest.fixture(scope="module")
def wide_builds(tmp_path_factory):
    """Ten columns and forty-seven rows (more than a page holds), built with every built-in."""
    from helpers import Cli
    from reporter.data.report import default_report_dir

    base = tmp_path_factory.mktemp("wide")
    folder = wide_report(base / "report", default_report_dir(), [2011, 2010, 2009, 2008, 2007], 45)
    cli, built = Cli(), {}
    for template in BUILTINS:
        result = cli("build", folder, "-t", template, "-o", base / template)
        assert result.exit_code == 0, result.output
        built[template] = Path(result.stdout.strip())
    return built


@pytest.mark.parametrize("template", BUILTINS)
def test_any_number_of_columns_and_rows(wide_builds, template):
    pages = pdf_pages(wide_builds[template])
    # The pages of the table: those with its row of units (charts and sentences name lines too).
    text = "\n".join(page for page in pages if "CAD$ 000 CAD$ 000" in page)
    revenue = ["$90,000", "$90,137", "$90,274", "$90,411", "$90,548",
               "$270,000", "$270,137", "$270,274", "$270,411", "$270,548"]
    assert table_row(text, "Revenue") == revenue
    assert table_row(text, "Operating cost line 1") == ["14", "15", "16", "17", "18", "20", "21", "22", "23", "24"]
    assert table_row(text, "Operating cost line 30") == [str(330 + k + 3) for k in range(5)] + \
        [str(330 + k + 9) for k in range(5)]
    assert len(table_row(text, "Net result")) == 10
    # A table that runs onto another page repeats its headings there.
    pages_with_rows = [page for page in pages if re.search(r"^Operating cost line \d+( [\d,]+){10}$", page, re.M)]
    assert pages_with_rows
    for page in pages_with_rows:
        assert "2011 2010 2009 2008 2007 2011 2010 2009 2008 2007" in page


@pytest.mark.parametrize("template", BUILTINS)
def test_nothing_runs_into_the_side_margins(wide_builds, built_pdfs, template):
    for path in (built_pdfs[template], wide_builds[template]):
        assert text_outside_the_margins(path, margin_mm=12) == []


@pytest.mark.parametrize("template", BUILTINS)
def test_the_table_title_is_never_left_alone_at_a_page_foot(wide_builds, built_pdfs, template):
    for path in (built_pdfs[template], wide_builds[template]):
        document = pdf_pages(path)
        page = next(text for text in document if re.search(r"^Summary Financial Information[1¹]?:?$", text, re.M))
        assert re.search(r"^Revenue \$", page, re.M), "the title is not on the page of the table's first row"
