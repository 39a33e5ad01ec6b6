"""Read the Los Santos investor summary back and check what a reader would."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from pypdf import PdfReader

from helpers import SEED_TABLE, pdf_pages, table_row



@pytest.fixture(scope="module")
def summary(built_pdfs):
    return built_pdfs["investor-summary"]


@pytest.fixture(scope="module")
def pages(summary):
    return pdf_pages(summary)


@pytest.mark.parametrize("label", SEED_TABLE)
def test_every_figure_in_its_row_and_column(pages, label):
    assert table_row(pages[0], label) == SEED_TABLE[label]


def test_column_headings(pages):
    text = pages[0]
    assert "Three Months Ended June 30, Nine Months Ended June 30," in text
    assert "2011 2010 2011 2010" in text
    assert "CAD$ 000 CAD$ 000 CAD$ 000 CAD$ 000" in text


def test_fx_rates_keep_published_precision(pages):
    # One rate under each period's column: Q3 2011, Q3 2010, 9M 2011, 9M 2010.
    assert table_row(pages[0], "EUR=CAD per Bank of Canada") == ["1.3934", "1.3073", "1.3729", "1.436078"]


def test_key_figures_with_comparatives(pages):
    text = pages[0]
    for expected in ("REVENUE\n$4,421", "Q3 2010: nil", "INCOME FROM MINING OPERATIONS\n$1,416",
                     "Q3 2010: ($407)", "$690", "Q3 2010: $39"):
        assert expected in text
    # Each card states its scale on the unit line and the change from the comparative, in words
    # where a percentage means nothing (39 -> 690 is more than 500%, not "n.m.").
    for expected in ("CAD thousands · Q3 2011", "Q3 2010: nil\n",
                     "Q3 2010: ($407) · from a loss", "Q3 2010: $39 · up more than 500%"):
        assert expected in text
    assert "thousand ·" not in text and "n.m." not in text.split("Summary Financial Information")[0]


def test_legend_headline_and_dateline(pages):
    first = pages[0]
    assert first.startswith("NOT FOR DISTRIBUTION TO U.S. NEWSWIRE SERVICES OR DISSEMINATION IN THE UNITED STATES")
    assert "Almonty announces $1.4 million income from mining operations" in first
    assert "OCTOBER 3, 2011" in first


def test_quote_commentary_about_contacts_and_disclaimer(pages):
    text = " ".join(" ".join(pages).split())
    assert ("“The operational results of the Los Santos mine for the 3 and 9 months ended June 30, "
            "2011 represents a solid operational base") in text
    assert "Lewis Black, Chief Executive Officer of Almonty" in text
    assert "re-commissioned in July 2010" in text
    assert "continue with exploration programmes" in text
    assert "225,000 tonnes of ore" in text
    assert "Telephone: (416) 594-2892" in text and "dennis.logan@almonty.com" in text
    assert "Neither TSX Venture Exchange nor its Regulation Services Provider" in text
    assert "Disclaimer for Forward-Looking Information" in text
    assert "posted on SEDAR" in text  # the footnote


def test_narrative_sentences(pages):
    text = " ".join(" ".join(pages).split())
    assert ("Revenue was $4.4 million for the three months ended June 30, 2011, compared with nil "
            "in the same period of 2010.") in text
    assert ("Income from mining operations was $1.4 million for the three months ended June 30, "
            "2011, compared with a loss of $0.4 million in the same period of 2010.") in text
    assert ("Net income before tax and one time items was $0.7 million for the three months ended June "
            "30, 2011, compared with $0.04 million in the same period of 2010.") in text
    assert ("Net income before tax and one time items was a loss of $3.4 million for the nine "
            "months ended June 30, 2011, compared with earnings of $0.8 million in the same period of 2010.") in text


def test_two_pages_with_running_footer(pages):
    assert len(pages) == 2
    assert "Page 1 of 2" in pages[0] and "Page 2 of 2" in pages[1]
    assert "Almonty Industries Inc. · TSXV: AII" in pages[1]  # running header from page two


def test_metadata_and_bookmarks(summary):
    reader = PdfReader(summary)
    meta = reader.metadata
    assert meta.title == "Los Santos Mine: Q3 2011 Investor Summary"
    assert meta.author == "Almonty Industries Inc."
    assert meta.subject.startswith("Almonty announces $1.4 million income")
    assert "TSXV: AII" in meta["/Keywords"] and "Q3 2011" in meta["/Keywords"]
    assert reader.trailer["/Root"]["/Lang"] == "en-CA"
    titles = [item["/Title"] for item in reader.outline]
    assert "Summary Financial Information" in titles
    assert "About Almonty" in titles and "Disclaimer for Forward-Looking Information" in titles


def test_fonts_ship_with_the_theme(summary):
    reader = PdfReader(summary)
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    assert any("Source-Sans-Pro" in name for name in fonts), fonts
    assert any("Source-Serif-Pro" in name for name in fonts), fonts
    assert not any("DejaVu" in name for name in fonts), fonts


def test_two_builds_are_byte_identical(example_dir, tmp_path):
    from reporter.build.document import build_report
    from reporter.build.outputs import OutputFormat

    digests = []
    for run in ("a", "b"):
        path = build_report(example_dir, template="investor-summary", theme_dir=None,
                            output=tmp_path / run, output_format=OutputFormat.pdf)
        digests.append(hashlib.sha256(path.read_bytes()).hexdigest())
    assert digests[0] == digests[1]


def test_pdf_is_tagged_for_screen_readers(summary):
    root = PdfReader(summary).trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"]) is True
    assert "/StructTreeRoot" in root


@pytest.mark.parametrize("template", ["investor-summary", "quarterly-briefing", "press-release"])
def test_no_rounding_note_is_printed_for_investors(built_pdfs, template):
    """Los Santos has two rounding differences: validate lists them, no built-in prints them."""
    text = " ".join(pdf_pages(built_pdfs[template]))
    assert "Income From Mining Operations" in text
    assert "differs from the sum of its lines" not in text and "by rounding" not in text


def test_validate_lists_the_rounding_differences(cli):
    result = cli("validate")
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if line.startswith("rounding: ")]
    assert len(lines) == 2
    assert "lines give 1,415, published 1,416" in lines[0] and "figures.csv, row " in lines[0]


def test_build_lists_the_rounding_differences_as_validate_does(cli, tmp_path):
    """The build's output says each rounding difference in validate's words, on stderr: stdout
    keeps one path per line for scripts, and the PDF prints no note (show.rounding_note)."""
    built = cli("build", "-t", "all", "--lang", "all", "-f", "html", "-o", tmp_path)
    assert built.exit_code == 0, built.output
    validated = [line for line in cli("validate").output.splitlines() if line.startswith("rounding: ")]
    said = [line for line in built.stderr.splitlines() if line.startswith("rounding: ")]
    assert len(said) == 2 and said == validated  # once per build, not once per document
    assert all(Path(line).is_file() for line in built.stdout.split())


@pytest.fixture(scope="module")
def briefings(tmp_path_factory):
    """The Los Santos briefing in English and French."""
    from helpers import Cli
    out = tmp_path_factory.mktemp("briefings")
    result = Cli()("build", "-t", "quarterly-briefing", "--lang", "all", "-o", out)
    assert result.exit_code == 0, result.output
    paths = [Path(line) for line in result.stdout.split()]
    return {("fr" if "-fr-" in p.name else "en"): p for p in paths}


@pytest.mark.parametrize("lang, figures, unit", [
    ("en", ["$4,421", "$1,416", "$690"], "CAD thousands"),
    ("fr", ["4\u00a0421\u00a0$", "1\u00a0416\u00a0$", "690\u00a0$"], "En milliers de dollars canadiens"),
])
def test_cards_have_one_layout(briefings, lang, figures, unit):
    """Each card's figure stands alone on one line and the scale is on the unit line, so the three
    figures sit on one baseline and no scale word wraps to a line of its own."""
    import pdfplumber
    with pdfplumber.open(briefings[lang]) as pdf:
        page = pdf.pages[1]
        lines = page.extract_text_lines()
    def plain(text: str) -> str:
        return " ".join(text.replace("\u00a0", " ").split())

    # The three figures on one line of their own: one baseline, no scale word beside them.
    row = [line for line in lines if plain(line["text"]) == plain(" ".join(figures))]
    assert row, [line["text"] for line in lines]
    # The scale on the unit line of every card, on one baseline below the figures.
    units = [line for line in lines if plain(line["text"]).count(plain(unit)) == 3]
    assert units and units[0]["top"] > row[0]["top"]
    text = page.extract_text()
    assert "thousand\n" not in text and "milliers\n" not in text


def test_french_margins_are_set_in_french(briefings):
    text = pdf_pages(briefings["fr"])[1]
    assert "32,0\u00a0%" in text or "32,0 %" in text
    assert "n.m." not in text and "n.s." in text
    assert "Marge brute" not in text and "Marge nette" not in text  # named for the line they compute
    assert "Marge\u00a0: bénéfice d’exploitation minière" in text or "Marge : bénéfice d’exploitation minière" in text
    english = pdf_pages(briefings["en"])[1]
    assert "Income from mining operations margin" in english and "Net margin" not in english


@pytest.fixture(scope="module")
def nil_comparatives(tmp_path_factory, example_dir):
    """Los Santos with Q3 2010 revenue of 407 that exactly covers its cost of sales: income
    from mining operations nil on a real base (a nil margin), net income moved by the 407."""
    import shutil

    from helpers import Cli
    folder = tmp_path_factory.mktemp("nil") / "los-santos"
    shutil.copytree(example_dir, folder)
    figures = folder / "figures.csv"
    text = figures.read_text()
    for old, new in (("revenue,2010-06-30,3,$0", "revenue,2010-06-30,3,$407"),
                     ("income_from_mining_operations,2010-06-30,3,($407)", "income_from_mining_operations,2010-06-30,3,$0"),
                     ("net_income_before_tax_and_one_time_items,2010-06-30,3,$39",
                      "net_income_before_tax_and_one_time_items,2010-06-30,3,$446")):
        assert old in text
        text = text.replace(old, new)
    figures.write_text(text)
    out = tmp_path_factory.mktemp("nil-built")
    result = Cli()("build", folder, "-t", "quarterly-briefing", "--lang", "all", "-o", out)
    assert result.exit_code == 0, result.output
    return {("fr" if "-fr-" in p.name else "en"): pdf_pages(p) for p in map(Path, result.stdout.split())}


@pytest.mark.parametrize("lang, card, margin, sentence", [
    ("en", "Q3 2010: nil\n", "32.0% nil +32.0 pts",
     "Income from mining operations was $1.4 million for the three months ended June 30, 2011, compared with nil"),
    ("fr", "T3 2010 : néant\n", "32,0 % néant +32,0",
     "Le bénéfice d’exploitation minière s’est établi à 1,4 million $ pour les trois mois terminés le 30 juin 2011, "
     "comparativement à néant"),
])
def test_a_nil_comparative_reads_nil_in_cards_margins_and_sentences(nil_comparatives, lang, card, margin, sentence):
    """A nil comparative is "nil" (« néant »): never "$0", "0.0%" nor "$0.0 million"; the card
    says no "up from nil" beside it."""
    pages = [page.replace("\u00a0", " ") for page in nil_comparatives[lang]]
    glance = next(page for page in pages if card in page)  # the cards' page
    assert "from nil" not in glance and "néant ·" not in glance and "nil ·" not in glance
    assert margin in glance, glance
    text = " ".join(" ".join(pages).split())
    assert sentence in text
    assert "0.0 million" not in text and "0,0 million" not in text and "0.0%" not in text and "0,0 %" not in text


def test_french_running_text_names_the_currency_in_words(briefings):
    """« convertis en dollars canadiens », not « en CAD »: running text says the currency's name
    (fr.yaml's fx.currency_names); the English keeps the code it publishes."""
    french = " ".join(" ".join(pdf_pages(briefings["fr"])).split())
    assert "Les chiffres ont été convertis en dollars canadiens aux taux moyens de la Banque du Canada" in french
    assert "en CAD" not in french
    english = " ".join(" ".join(pdf_pages(briefings["en"])).split())
    assert "Figures have been converted to CAD at the Bank of Canada average rates" in english
