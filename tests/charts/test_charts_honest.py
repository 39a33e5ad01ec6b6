"""Charts that cannot mislead, built from theme.yaml and read back from the PDF and its SVG."""

from __future__ import annotations

import re
from decimal import Decimal as D
from pathlib import Path

import pytest

from helpers import pdf_pages, FIXTURES
from reporter.context.chart_data import condense_steps

LAYOUTS = FIXTURES / "layouts"


def theme_with_charts(folder: Path, charts_yaml: str) -> Path:
    """A theme folder that extends the quarterly briefing with its own charts."""
    folder.mkdir(parents=True)
    (folder / "theme.yaml").write_text(
        f"name: {folder.name}\nextends: quarterly-briefing\ncharts:\n{charts_yaml}", encoding="utf-8")
    return folder


def build_html(cli, *args) -> str:
    result = cli("build", *args, "-f", "html")
    assert result.exit_code == 0, result.output
    return Path(result.stdout.strip().splitlines()[-1]).read_text(encoding="utf-8")


def svgs(html: str, chart_id: str) -> list[str]:
    figure = re.search(rf'<figure class="chart" id="chart-{chart_id}">(.*?)</figure>', html, re.S)
    assert figure, f"no chart {chart_id}"
    return re.findall(r"<svg.*?</svg>", figure.group(1), re.S)


def legend_texts(svg: str) -> list[str]:
    return re.findall(r'<text class="legend"[^>]*>([^<]*)</text>', svg)


def value_texts(svg: str) -> list[str]:
    return re.findall(r'<text class="value"[^>]*>([^<]*)</text>', svg)


def test_bars_compare_like_with_like_prior_then_current(cli, tmp_path):
    html = build_html(cli, "-t", "quarterly-briefing", "-o", tmp_path / "out.html")
    panels = svgs(html, "key-figures")
    # One panel per period length, each with the prior year first, then the current one.
    assert [legend_texts(svg) for svg in panels] == [["Q3 2010", "Q3 2011"], ["9M 2010", "9M 2011"]]
    # Every bar carries its value; a nil bar no "0" (Los Santos has no nil mark: no label), and
    # the text alternative says it in words.
    assert value_texts(panels[0]) == ["4,421", "(407)", "1,416", "39", "690"]
    assert value_texts(panels[1]) == ["10,186", "(1,147)", "1,774", "837", "(3,387)"]
    assert "Revenue: Q3 2010 nil, Q3 2011 4,421" in panels[0]


def nil_report(report_dir: Path) -> Path:
    """Los Santos with `nil_mark: "—"` and the quarter's interest published as a dash (the
    net figure moved by the 42, so every subtotal still ties)."""
    settings = report_dir / "report.yaml"
    settings.write_text(settings.read_text().replace('  # nil_mark: "—"', '  nil_mark: "—"'))
    assert 'nil_mark: "—"' in settings.read_text()
    figures = report_dir / "figures.csv"
    text = figures.read_text()
    for old, new in (("interest,2011-06-30,3,42", "interest,2011-06-30,3,-"),
                     ('net_income_before_tax_and_one_time_items,2011-06-30,3,$690',
                      'net_income_before_tax_and_one_time_items,2011-06-30,3,$732')):
        assert old in text
        text = text.replace(old, new)
    figures.write_text(text)
    return report_dir


CAPTION = '"Amounts in {unit}, for every period of the summary table."'
NIL_CHARTS = (f"  - {{id: bars, type: bars, lines: key_figures, title: Key figures by period, caption: {CAPTION}}}\n"
              f"  - {{id: bridge, type: bridge, title: 'Earnings bridge, {{period}}', caption: {CAPTION}}}\n"
              f"  - {{id: line, type: line, lines: [revenue], months: 3, title: Quarterly trend, caption: {CAPTION}}}\n")


@pytest.mark.parametrize("lang, nil", [("en_CA", "nil"), ("fr_CA", "néant")])
def test_a_nil_bar_shows_the_documents_nil_mark_in_every_chart_type(cli, report_dir, tmp_path, lang, nil):
    """No chart labels a nil bar "0": bars, bridge and line show the document's nil mark (here
    report.yaml's "—"), and each text alternative says nil in the document's language."""
    folder = nil_report(report_dir)
    theme = theme_with_charts(tmp_path / "nil", NIL_CHARTS)
    html = build_html(cli, folder, "--theme", theme, "--lang", lang, "-o", tmp_path / "out.html")
    quarter, nine = svgs(html, "bars")
    (bridge,) = svgs(html, "bridge")
    (line,) = svgs(html, "line")
    assert value_texts(quarter)[0] == "—" and value_texts(nine)[0] == "—"  # revenue 2010: $0
    # Interest published "-": a nil step, its mark as its label; no "Other items" folds it.
    assert [t.replace("\u00a0", " ").replace("\u202f", " ") for t in value_texts(bridge)] == (
        ["4,421", "(3,006)", "1,416", "(931)", "—", "247", "732"] if lang == "en_CA"
        else ["4 421", "(3 006)", "1 416", "(931)", "—", "247", "732"])
    assert value_texts(line)[0] == "—"
    for svg in (quarter, nine, bridge, line):
        assert "0" not in value_texts(svg)
        title = re.search(r"<title>(.*?)</title>", svg, re.S).group(1)
        assert f" {nil}" in title and " 0," not in title and " 0 " not in title and "—" not in title
    # Read back from the PDF: the dashes are drawn on the charts' pages, no "0" beside them.
    pdf = cli("build", folder, "--theme", theme, "--lang", lang, "-o", tmp_path / "pdf")
    assert pdf.exit_code == 0, pdf.output
    pages = pdf_pages(Path(pdf.stdout.strip()))
    charts = [page for page in pages if "—" in page and ("Revenue" in page or "Produits" in page)]
    assert charts and sum(page.count("—") for page in pages) >= 4 + 1  # four nil bars, the nil cell


def test_bridge_labels_every_step_by_its_effect_on_income(cli, tmp_path):
    html = build_html(cli, "-t", "quarterly-briefing", "-o", tmp_path / "out.html")
    (svg,) = svgs(html, "bridge")
    # One sign rule for every step: its effect on income, (3,006) for a cost; Other SG&A's net
    # credit, printed (247) in the table, adds 247. Totals as published. The caption says so.
    assert value_texts(svg) == ["4,421", "(3,006)", "1,416", "(931)", "(42)", "247", "690"]
    assert "each step between them shows its effect on income, in brackets where it reduces income" in html
    categories = " ".join(re.findall(r'<text class="category"[^>]*>([^<]*)</text>', svg))
    assert "(net credit)" in categories
    assert "…" not in categories  # names are hyphenated or wrapped, never cut


def test_no_year_to_date_bridge_without_a_year_to_date_column(cli, tmp_path):
    folder = tmp_path / "report"
    result = cli("ingest", LAYOUTS / "prior-quarter.tsv", "--out", folder, "--company-name", "Test Mining Corp.",
                 "--fiscal-year-end", "12-31")
    assert result.exit_code == 0, result.output
    # An ingested folder still has its TODO placeholders: a draft build.
    html = build_html(cli, folder, "--draft", "-t", "quarterly-briefing", "-o", tmp_path / "out.html")
    assert 'id="chart-bridge"' in html
    assert 'id="chart-bridge-year-to-date"' not in html


def test_folded_steps_have_distinct_names():
    run = [(f"Cost {i}", D(-i), "delta") for i in range(1, 6)]
    steps = [("Revenue", D(100), "total"), *run, ("Gross", D(85), "total"), *run, ("Net", D(70), "total")]
    names = [step[0] for step in condense_steps(steps, 8)]
    others = [name for name in names if name.startswith("Other items")]
    assert others == ["Other items before Gross", "Other items before Net"]


def test_line_chart_from_theme_yaml(cli, tmp_path):
    folder = tmp_path / "report"
    result = cli("ingest", LAYOUTS / "prior-quarter.tsv", "--out", folder, "--company-name", "Test Mining Corp.",
                 "--fiscal-year-end", "12-31")
    assert result.exit_code == 0, result.output
    theme = theme_with_charts(tmp_path / "trend", "  - {id: trend, type: line, lines: [revenue], months: 3,"
                                                  " title: Revenue by quarter}\n")
    html = build_html(cli, folder, "--draft", "--theme", theme, "-o", tmp_path / "out.html")
    (svg,) = svgs(html, "trend")
    # Quarters oldest first, one point each, labelled with its value.
    assert re.findall(r'<text class="category"[^>]*>([^<]*)</text>', svg) == ["Q2 2011", "Q1 2012", "Q2 2012"]
    assert svg.count('class="point"') == 3
    assert value_texts(svg) == ["4,421", "4,870", "5,230"]
    pdf = cli("build", folder, "--draft", "--theme", theme, "-o", tmp_path / "pdf")
    assert pdf.exit_code == 0, pdf.output
    assert "Revenue by quarter" in "".join(pdf_pages(Path(pdf.stdout.strip())))


@pytest.mark.parametrize("charts_yaml, message", [
    ("  - {id: k, type: bars, lines: [revenue, revenu]}\n",
     "charts[0] (k): line 'revenu' is not in statement.yaml"),
    ("  - {id: pie, type: pie}\n", "charts[0] (pie): type must be one of bars, bridge, line, got 'pie'"),
    ("  - {id: b, type: bridge, period: last_year}\n",
     "charts[0] (b): period must be current or year_to_date, got 'last_year'"),
    ("  - {id: t, type: line, lines: [revenue], months: 12}\n",
     "charts[0] (t): a line needs at least two periods of 12 months in figures.csv, found 0"),
])
def test_chart_mistakes_name_theme_yaml_and_the_chart(cli, tmp_path, charts_yaml, message):
    theme = theme_with_charts(tmp_path / "broken", charts_yaml)
    result = cli("build", "--theme", theme, "-o", tmp_path / "out")
    assert result.exit_code != 0
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.output, result.output
    assert f"{theme / 'theme.yaml'}: {message}" in lines[0], lines[0]
    assert not list(tmp_path.rglob("*.pdf"))


@pytest.mark.parametrize("parent", ["investor-summary", "press-release", "quarterly-briefing"])
def test_charts_declared_in_any_theme_render(cli, tmp_path, parent):
    folder = tmp_path / "with-charts"
    folder.mkdir()
    (folder / "theme.yaml").write_text(
        f"name: with-charts\nextends: {parent}\ncharts:\n"
        "  - {id: kf, type: bars, lines: key_figures, title: Key figures}\n"
        "  - {id: br, type: bridge, title: Bridge}\n", encoding="utf-8")
    html = build_html(cli, "--theme", folder, "-o", tmp_path / "out.html")
    assert len(svgs(html, "kf")) == 2 and len(svgs(html, "br")) == 1
    result = cli("build", "--theme", folder, "-o", tmp_path / "pdf")
    assert result.exit_code == 0, result.output
    text = "".join(pdf_pages(Path(result.stdout.strip())))
    assert "Key figures" in text and "Bridge" in text


def test_an_impairment_quarter_folds_the_same_small_lines_in_both_bridges_and_lists_them(cli, tmp_path):
    """The write-down and the impairment are among the largest items: they keep their bars in
    both bridges of the PDF; the four smallest lines fold, the same in both, named in the note."""
    folder = tmp_path / "report"
    result = cli("ingest", LAYOUTS / "impairment-quarter.tsv", "--out", folder, "--company-name", "Test Mining Corp.",
                 "--fiscal-year-end", "12-31")
    assert result.exit_code == 0, result.output
    bridge = ("  - {id: %s, type: bridge, period: %s, max_steps: 8, title: \"Earnings bridge, {period}\","
              " caption: \"Amounts in {unit}.\"}\n")
    theme = theme_with_charts(tmp_path / "folds", bridge % ("q", "current") + bridge % ("ytd", "year_to_date"))
    html = build_html(cli, folder, "--draft", "--theme", theme, "-o", tmp_path / "out.html")
    for chart_id in ("q", "ytd"):
        (svg,) = svgs(html, chart_id)
        categories = " ".join(re.findall(r'<text class="category"[^>]*>([^<]*)</text>', svg))
        for name in ("Depreciation", "write-", "Impairment"):
            assert name in categories
        assert "Other items" in categories and "(4)" not in categories
    pdf = cli("build", folder, "--draft", "--theme", theme, "-o", tmp_path / "pdf")
    assert pdf.exit_code == 0, pdf.output
    text = " ".join(pdf_pages(Path(pdf.stdout.strip()))).replace("\n", " ")
    # Each bridge's note lists what it folds, with each line's effect on income.
    assert "Other items: Exploration (410), Interest (95), Foreign exchange (net credit) 60, Other (12)." in text
    assert "Other items: Exploration (1,500), Interest (290), Foreign exchange (900), Other (40)." in text
    assert "Inventory write-down" in text and "(6,765)" in text and "(5,345)" in text


@pytest.mark.parametrize("lang", ["en_CA", "fr_CA"])
def test_the_bridges_of_a_document_place_and_wrap_their_steps_alike(cli, tmp_path, lang):
    """The quarter's bridge and the year to date's share one tick-label room (the wider), so a
    step sits at one x and its name wraps the same in both: read back from the SVG and the PDF."""
    html = build_html(cli, "-t", "quarterly-briefing", "--lang", lang, "-o", tmp_path / "out.html")
    (quarter,) = svgs(html, "bridge")
    (year,) = svgs(html, "bridge-year-to-date")

    def categories(svg):
        return re.findall(r'<text class="category" x="([^"]+)"[^>]*>([^<]*)</text>', svg)

    assert categories(quarter) and categories(quarter) == categories(year)
    pdf = cli("build", "-t", "quarterly-briefing", "--lang", lang, "-o", tmp_path / "pdf")
    assert pdf.exit_code == 0, pdf.output
    import pdfplumber
    with pdfplumber.open(Path(pdf.stdout.strip())) as document:
        # The bridges may sit on one page or two: each names the step once, at the same x.
        interest = [w["x0"] for page in document.pages for w in page.extract_words(extra_attrs=["size"])
                    if w["text"] in ("Interest", "Intérêts") and w["size"] < 8]  # not the table's
    assert len(interest) == 2, interest
    assert abs(interest[0] - interest[1]) < 0.5
