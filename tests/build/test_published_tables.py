"""Issue 19's audit, read back from PDFs of tables other than Los Santos: a restated fiscal year,
five columns with losses and an impairment, losses under more subtotals. Each table is ingested,
given French labels (with their grammar) and a French commentary, and its briefing built as a
draft in English and French, as a preparer would."""

from __future__ import annotations

import re
import shutil
from decimal import Decimal
from pathlib import Path

import pdfplumber
import pytest
import yaml

from helpers import FIXTURES, Cli, alt_texts, pdf_pages

LAYOUTS = FIXTURES / "layouts"
# Each English label of the test tables in French, with its gender and number.
FRENCH = {
    "Revenue": ("Produits", "m", "plural"), "Cost of sales": ("Coût des ventes", "m", "singular"),
    "Gross profit": ("Marge brute", "f", "singular"),
    "Gross profit (loss)": ("Marge brute (perte brute)", "f", "singular"),
    "Depreciation": ("Amortissement", "m", "singular"),
    "Depreciation and depletion": ("Amortissement et épuisement", "m", "singular"),
    "Interest": ("Intérêts", "m", "plural"), "Earnings before tax": ("Bénéfice avant impôts", "m", "singular"),
    "General and administrative": ("Frais généraux et administratifs", "m", "plural"),
    "Impairment of mineral properties": ("Dépréciation des propriétés minières", "f", "singular"),
    "Other (income) expense": ("Autres (produits) charges", "f", "plural"),
    "Net earnings (loss) before tax": ("Bénéfice net (perte nette) avant impôts", "m", "singular"),
    "Gross loss": ("Perte brute", "f", "singular"), "Exploration": ("Exploration", "f", "singular"),
    "Operating loss": ("Perte d’exploitation", "f", "singular"),
    "Finance costs": ("Charges financières", "f", "plural"), "Foreign exchange": ("Change", "m", "singular"),
    "Net loss": ("Perte nette", "f", "singular"),
}
TABLES = {"fiscal-year-restated.csv": ["--fiscal-year-end", "09-30", "--currency", "CAD"],
          "five-columns-losses.tsv": ["--fiscal-year-end", "12-31"],
          "losses-more-subtotals.tsv": ["--fiscal-year-end", "12-31"]}


@pytest.fixture(scope="module")
def french_briefings(tmp_path_factory) -> dict[str, Path]:
    cli, built = Cli(), {}
    for name, options in TABLES.items():
        folder = tmp_path_factory.mktemp("french") / "report"
        result = cli("ingest", LAYOUTS / name, "--out", folder, "--company-name", "Test Mining Corp.", *options)
        assert result.exit_code == 0, result.output
        statement = yaml.safe_load((folder / "statement.yaml").read_text(encoding="utf-8"))
        statement["title"] = {"en": statement["title"], "fr": "Information financière sommaire"}
        for line in statement["lines"]:
            text, gender, number = FRENCH[line["label"]]
            line["label"] = {"en": line["label"], "fr": {"text": text, "gender": gender, "number": number}}
        (folder / "statement.yaml").write_text(yaml.safe_dump(statement, allow_unicode=True), encoding="utf-8")
        settings = folder / "report.yaml"
        settings.write_text(settings.read_text(encoding="utf-8") + "\nlanguages: [en_CA, fr_CA]\n", encoding="utf-8")
        shutil.copy(folder / "commentary.md", folder / "commentary.fr.md")
        out = tmp_path_factory.mktemp("built")
        result = cli("build", folder, "--draft", "-t", "quarterly-briefing", "--lang", "all", "-o", out)
        assert result.exit_code == 0, result.output
        for path in map(Path, result.stdout.split()):
            built[name if "-fr-" in path.name else f"{name} en"] = path
    return built


def flat(pages: list[str]) -> str:
    return " ".join(" ".join(pages).replace("\u00a0", " ").split())


def test_a_restated_fiscal_year_is_named_so_in_french_sentences(french_briefings):
    """« pour l’exercice 2011 (retraité) », as the English "in fiscal 2011 (restated)": the mark
    goes wherever the period is named, and a year is not « la même période »."""
    text = flat(pdf_pages(french_briefings["fiscal-year-restated.csv"]))
    assert ("Les produits se sont établis à 21,4 millions $ pour l’exercice terminé le 30 septembre 2012, "
            "comparativement à 19,0 millions $ pour l’exercice 2011 (retraité), soit une hausse de 13 %.") in text
    assert text.count("pour l’exercice 2011 (retraité)") == 3 and "la même période" not in text


def test_a_negative_french_margin_has_a_true_minus_sign(french_briefings):
    """« −14,0 % », not « -14,0 % »: a hyphen is not a minus in French typesetting."""
    text = flat(pdf_pages(french_briefings["five-columns-losses.tsv"]))
    assert "−14,0 % 27,0 % −41,0" in text and "−41,7 % 9,3 % −51,0" in text
    assert "-14,0" not in text and "-41,7" not in text


def test_an_english_decrease_and_negative_margin_have_a_true_minus_sign(french_briefings):
    """"−37%", "−14.0%", "−41.0 pts": a hyphen is shorter than the plus sign it stands against in
    the next card or row, and a line may break after it. English sets the minus as French does."""
    text = flat(pdf_pages(french_briefings["five-columns-losses.tsv en"]))
    assert "Q1 2012: $9,915 · −37%" in text
    assert "−14.0% 27.0% −41.0 pts" in text and "−41.7% 9.3% −51.0 pts" in text
    assert not re.search(r"(?<![\w)])-\d", text), re.findall(r".{20}(?<![\w)])-\d.{10}", text)


MARGIN_ROW = re.compile(r"([−-]?\d+[.,]\d) ?% ([−-]?\d+[.,]\d) ?% ([+−-]\d+[.,]\d) (?:pts|pt)")


@pytest.mark.parametrize("table", list(TABLES))
def test_a_margin_change_is_the_difference_of_the_margins_as_printed(french_briefings, table):
    """FY 2012 at 14.4% against 13.2% read "+1.3 pts" (the unrounded shares' difference, 1.27):
    a reader subtracting the printed margins gets 1.2. Every margin row, in both languages."""
    rows = []
    for key in (table, f"{table} en"):
        text = flat(pdf_pages(french_briefings[key]))
        rows += MARGIN_ROW.findall(text)
    assert len(rows) >= 4, rows
    number = lambda text: Decimal(text.replace("−", "-").replace(",", "."))
    for current, prior, change in rows:
        assert number(current) - number(prior) == number(change), (current, prior, change)


def test_the_french_unit_caption_is_centred_over_every_figure_column(french_briefings):
    """« en milliers de dollars canadiens » once, centred over the five figure columns (the
    years above it mark their left and right ends), never « 000 $ CA » over each column."""
    with pdfplumber.open(french_briefings["five-columns-losses.tsv"]) as pdf:
        page = next(p for p in pdf.pages if "en milliers de dollars canadiens" in (p.extract_text() or ""))
        words = page.extract_words(keep_blank_chars=False)
    caption = [w for w in words if w["text"] in ("en", "canadiens")]
    caption = [w for w in caption if abs(w["top"] - next(c for c in words if c["text"] == "canadiens")["top"]) < 1]
    assert len(caption) == 2
    years = [w for w in words if w["text"] in ("2013", "2012", "2011") and w["top"] < caption[0]["top"]]
    row = [w for w in years if abs(w["top"] - years[-1]["top"]) < 1]
    assert len(row) == 5
    columns_mid = (min(w["x0"] for w in row) + max(w["x1"] for w in row)) / 2
    caption_mid = (caption[0]["x0"] + caption[1]["x1"]) / 2
    assert abs(caption_mid - columns_mid) < 25  # centred on the columns (their padding aside)
    assert "000 $" not in page.extract_text().replace("\u00a0", " ")


def test_french_chart_alternatives_use_french_colons_and_say_each_period_once(french_briefings):
    """« Chiffres clés par période, Trois mois terminés les 31 mars : Produits : T1 2012 9 915, ... »:
    a space before every colon, the panel's periods named once, a restated year marked."""
    alts = [" ".join(alt.replace("\u00a0", " ").replace("\u202f", " ").split())
            for alt in alt_texts(french_briefings["five-columns-losses.tsv"])]
    panel = [alt for alt in alts if alt.startswith("Chiffres clés par période, Trois mois terminés les 31 mars")]
    assert panel, alts
    assert panel[0].startswith("Chiffres clés par période, Trois mois terminés les 31 mars : Produits : T1 2012 9 915")
    assert panel[0].count("Trois mois terminés les 31 mars") == 1
    charts = [alt for alt in alts if "Produits" in alt]
    assert charts and not any(re.search(r"\w:", alt) for alt in charts)  # never « mars: » nor « Produits: »
    restated = [" ".join(alt.replace("\u00a0", " ").split())
                for alt in alt_texts(french_briefings["fiscal-year-restated.csv"]) if "Produits" in alt]
    assert restated and "Produits : Ex. 2011 (retraité) 18 950, Ex. 2012 21 400" in restated[0]


@pytest.mark.parametrize("name", ["losses-more-subtotals.tsv en", "losses-more-subtotals.tsv"])
def test_a_cards_change_in_words_never_breaks_apart(french_briefings, name):
    """Four narrow cards: "loss widened" (« perte accrue ») stays on one line, on the line of
    the comparative or on its own, never "loss" on one line and "widened" on the next."""
    with pdfplumber.open(french_briefings[name]) as pdf:
        page = next(p for p in pdf.pages if "widened" in (p.extract_text() or "") or "accrue" in (p.extract_text() or ""))
        lines = [line["text"].replace("\u00a0", " ") for line in page.extract_text_lines()]
    words = "loss widened" if name.endswith(" en") else "perte accrue"
    assert sum(line.count(words) for line in lines) == 3, lines  # gross, operating and net loss
    assert not any(line.rstrip().endswith(("loss", "perte", "·")) for line in lines), lines


@pytest.fixture(scope="module")
def sec_french(tmp_path_factory) -> Path:
    """An SEC statement of operations (per-share and share-count lines in a units column, five key
    figures), its labels left in English, built as the French investor summary."""
    cli = Cli()
    folder = tmp_path_factory.mktemp("sec") / "report"
    result = cli("ingest", FIXTURES / "ingest" / "issuers" / "sec-statement-of-operations.tsv", "--out", folder,
                 "--company-name", "High Desert Gold Corp.", "--fiscal-year-end", "12-31", "--currency", "USD")
    assert result.exit_code == 0, result.output
    statement = yaml.safe_load((folder / "statement.yaml").read_text(encoding="utf-8"))
    statement["title"] = {"en": statement["title"], "fr": "Résultats"}
    for line in statement["lines"]:
        line["label"] = {"en": line["label"], "fr": line["label"]}
    (folder / "statement.yaml").write_text(yaml.safe_dump(statement, allow_unicode=True), encoding="utf-8")
    settings = folder / "report.yaml"
    settings.write_text(settings.read_text(encoding="utf-8") + "\nlanguages: [en_CA, fr_CA]\n", encoding="utf-8")
    shutil.copy(folder / "commentary.md", folder / "commentary.fr.md")
    out = tmp_path_factory.mktemp("built")
    result = cli("build", folder, "--draft", "--lang", "fr_CA", "-o", out)
    assert result.exit_code == 0, result.output
    return Path(result.stdout.strip())


def test_a_units_column_in_french_leaves_the_money_unit_to_the_caption(sec_french):
    """Beside a units column (per share, shares) the French caption still heads the figure
    columns once; money rows leave their unit cell empty rather than repeat « en milliers de
    dollars américains » on every row (or say « 000 $ US »), so the table stays on the first page."""
    first = " ".join(pdf_pages(sec_french)[0].replace("\u00a0", " ").split())
    assert first.lower().count("en milliers de dollars américains") == 5 + 1  # five cards, one caption
    assert "000 $ US" not in first and "Net income per share" in first
    assert "US$ per share" in first  # a line in its own unit still names it


def test_five_cards_keep_their_figures_inside_the_page(sec_french):
    """Five key figures share the width: « 48 215 $ US » stays inside its card and the page."""
    with pdfplumber.open(sec_french) as pdf:
        page = pdf.pages[0]
        figures = [w for w in page.extract_words() if w["text"] in ("US", "$") and w["top"] < page.height / 3]
        assert len(figures) >= 5 * 2
        text_right = max(w["x1"] for w in page.extract_words() if "Sommaire" in w["text"] or "investisseurs" in w["text"])
        assert max(w["x1"] for w in figures) <= text_right + 1


def test_a_per_share_card_with_a_nil_comparative_reads_nil(tmp_path):
    """A card in its own unit (EPS) says a nil comparative as a money card does: "Q2 2022: nil",
    no "0.00" and no "n.m." beside it."""
    cli = Cli()
    folder = tmp_path / "report"
    result = cli("ingest", FIXTURES / "ingest" / "issuers" / "sec-statement-of-operations.tsv", "--out", folder,
                 "--company-name", "High Desert Gold Corp.", "--fiscal-year-end", "12-31", "--currency", "USD")
    assert result.exit_code == 0, result.output
    figures = folder / "figures.csv"
    text = figures.read_text(encoding="utf-8")
    assert "net_income_per_share_basic,2022-06-30,3,0.03" in text
    figures.write_text(text.replace("net_income_per_share_basic,2022-06-30,3,0.03",
                                    "net_income_per_share_basic,2022-06-30,3,0.00"), encoding="utf-8")
    settings = folder / "report.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace(
        "key_figures:\n  - revenues\n", "key_figures:\n  - net_income_per_share_basic\n  - revenues\n"), encoding="utf-8")
    result = cli("build", folder, "--draft", "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    first = pdf_pages(Path(result.stdout.strip()))[0]
    cards = first.split("Q2 2022:")
    assert len(cards) >= 3 and cards[1].split("\n")[0].strip() == "nil", first
    assert "n.m." not in first.split("HIGH DESERT")[0]


def test_french_dates_never_break_inside(french_briefings):
    """« 31 décembre » over one column of five, « 30 juin 2011 » in a sentence: the day, month
    and year stay on one line however narrow the heading or the line."""
    pages = pdf_pages(french_briefings["five-columns-losses.tsv"])
    text = "\n".join(pages)
    assert "31\u00a0décembre" in text and "31\u00a0mars\u00a02013" in text
    lines = text.splitlines()
    assert lines and not any(re.search(r"\b\d{1,2}$", line.strip()) and next_line.split()[:1] == ["décembre"]
                             for line, next_line in zip(lines, lines[1:]))
    sentences = [(line, next_line) for line, next_line in zip(lines, lines[1:]) if "terminés le " in line]
    assert sentences and not any(line.rstrip().endswith(("décembre", "mars")) and re.match(r"\d{4}\b", next_line)
                                 for line, next_line in sentences)


def test_the_press_release_explains_its_restated_column(tmp_path):
    """The summary and briefing explained « (restated) » under the table; the press release did not."""
    cli, folder = Cli(), tmp_path / "report"
    result = cli("ingest", LAYOUTS / "fiscal-year-restated.csv", "--out", folder, "--company-name", "Test Mining Corp.",
                 *TABLES["fiscal-year-restated.csv"])
    assert result.exit_code == 0, result.output
    result = cli("build", folder, "--draft", "-t", "press-release", "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    text = flat(pdf_pages(Path(result.stdout.strip())))
    assert "2011 (restated)" in text
    assert ("(restated): figures as the company restated them after first publishing them; "
            "they differ from those first reported.") in text
