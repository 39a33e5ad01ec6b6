"""English and Canadian French from one report folder: read the French PDFs back as a reader would."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from helpers import LOS_SANTOS_PUBLISHED, pdf_pages, FIXTURES
from reporter.theme.messages import extract_catalog
from reporter.theme.resolve import find_theme

NBSP = "\u00a0"
TEMPLATES = ("investor-summary", "press-release", "quarterly-briefing")
FRENCH_LABELS = {
    "revenue": "Produits",
    "cost_of_sales": "Coût des ventes",
    "income_from_mining_operations": "Bénéfice d’exploitation minière",
    "depreciation_and_amortization": "Amortissements",
    "interest": "Intérêts",
    "other_sga": "Autres frais de vente et d’administration",
    "net_income_before_tax_and_one_time_items": "Bénéfice net avant impôts et éléments non récurrents",
}
CURRENCY_ROWS = {"revenue", "income_from_mining_operations", "net_income_before_tax_and_one_time_items"}


def french_figure(value: int, with_currency: bool) -> str:
    """Write a thousands figure as a reader copies it from the French table: `4 421 $`, `(1 147) $`,
    `(247)`. Between a positive figure and its `$` sits the room of a `)` (a hidden span's padding)
    that keeps digits aligned, which reads as one plain space."""
    digits = f"{abs(value):,}".replace(",", NBSP)
    if not with_currency:
        return f"({digits})" if value < 0 else digits
    return f"({digits}){NBSP}$" if value < 0 else f"{digits} $"


def row_after(text: str, label: str) -> str:
    """Return what follows `label` on the table line that starts with it.

    A long label may wrap in its column: its last words then start the line with the figures.
    """
    lines = text.splitlines()
    for index, line in enumerate(lines):
        if line.startswith(label + " "):
            return line[len(label) + 1:]
        joined = " ".join(lines[index:index + 2])
        if label.startswith(line.strip()) and joined.startswith(label + " "):
            return joined[len(label) + 1:]
    raise AssertionError(f"no line starting with {label!r} in:\n{text}")


def english_messages(theme_name: str) -> list[str]:
    """The English words of a theme's templates, placeholders removed, long enough to be telling."""
    words = []
    for message in extract_catalog(find_theme(theme_name)):
        if not message.id:
            continue
        for part in re.split(r"%\(\w+\)s|\{\w+\}", message.id):
            part = part.strip(" ,.:;“”()")
            if len(part) >= 5:
                words.append(part)
    return words


@pytest.fixture(scope="module")
def french(tmp_path_factory, example_dir) -> dict[str, Path]:
    """Build every built-in in French, once for the module."""
    from reporter.build.document import build_report
    from reporter.render.pdf import Renderer
    from reporter.build.outputs import OutputFormat

    out = tmp_path_factory.mktemp("fr")
    renderer = Renderer()
    return {name: build_report(example_dir, template=name, theme_dir=None, output=out,
                               output_format=OutputFormat.pdf, renderer=renderer, language="fr_CA")
            for name in TEMPLATES}


@pytest.fixture(scope="module")
def summary_pages(french) -> list[str]:
    return pdf_pages(french["investor-summary"])


def test_file_name_carries_the_language(french):
    assert french["investor-summary"].name == "almonty-los-santos-mine-q3-2011-investor-summary-fr-ca.pdf"


@pytest.mark.parametrize("line_id", list(FRENCH_LABELS))
def test_every_figure_in_french_notation_in_its_row_and_column(summary_pages, line_id):
    expected = " ".join(french_figure(v, line_id in CURRENCY_ROWS) for v in LOS_SANTOS_PUBLISHED[line_id])
    assert row_after(summary_pages[0], FRENCH_LABELS[line_id]) == expected


def test_french_figures_never_break_inside(summary_pages):
    # Non-breaking spaces inside numbers and before $: "4 421 $" and "(1 147) $" stay on one line.
    assert f"4{NBSP}421 $" in summary_pages[0]
    assert f"(1{NBSP}147){NBSP}$" in summary_pages[0]
    assert f"(3{NBSP}387){NBSP}$" in summary_pages[0]


def test_period_headings_dates_and_units_in_french(summary_pages):
    page = summary_pages[0]
    # « 30 juin » never breaks across lines: a non-breaking space inside every date.
    assert f"Trois mois terminés les 30{NBSP}juin Neuf mois terminés les 30{NBSP}juin" in page
    # The unit in words once over the figure columns, as French statements say it (not « 000 $ CA »).
    assert page.count("en milliers de dollars canadiens") == 1 and f"000{NBSP}$" not in page
    assert f"T3{NBSP}2011" in page
    assert "Le 3 octobre 2011".upper() in page.replace(NBSP, " ")  # the dateline, in capitals, on one line
    assert "Information financière sommaire" in page
    # One rate row under the table's columns (the rates of the three and nine months).
    assert "EUR/CAD selon la Banque du Canada 1,3934 1,3073 1,3729 1,436078" in page
    assert "Page 1 de 2" in page


def test_key_figure_comparatives_in_french(summary_pages):
    assert f"T3{NBSP}2010{NBSP}: (407){NBSP}$" in summary_pages[0]


def test_generated_sentences_agree_with_their_nouns(summary_pages):
    text = " ".join(" ".join(summary_pages).split())
    assert ("Les produits se sont établis à 4,4 millions $ pour les trois mois terminés le 30 juin 2011, "
            "comparativement à néant pour la même période de 2010.") in text.replace(NBSP, " ")
    # A prior-year profit after a loss says « un bénéfice de »: never read as a second loss.
    assert ("Le bénéfice net avant impôts et éléments non récurrents s’est soldé par une perte de "
            "3,4 millions $ pour les neuf mois terminés le 30 juin 2011, comparativement à un bénéfice de "
            "0,8 million $ pour la même période de 2010.") in text.replace(NBSP, " ")
    # One scale rule with the English ($0.04 million): both figures in millions.
    assert ("s’est établi à 0,7 million $ pour les trois mois terminés le 30 juin 2011, comparativement à "
            "0,04 million $ pour la même période de 2010.") in text.replace(NBSP, " ")
    assert ("Le bénéfice d’exploitation minière s’est établi à 1,4 million $ pour les trois mois terminés "
            "le 30 juin 2011, comparativement à une perte de 0,4 million $") in text.replace(NBSP, " ")


@pytest.mark.parametrize("template", TEMPLATES)
def test_no_english_template_words_in_the_french_pdf(french, template):
    text = " ".join(" ".join(pdf_pages(french[template])).split())
    leaks = [word for word in english_messages(template) if word in text]
    assert not leaks, leaks
    for english in ("Three Months Ended", "Revenue", "Summary Financial Information", "June", "CAD$",
                    "compared with", "Page 1 of", "NOT FOR DISTRIBUTION", "Bank of Canada", "(restated)"):
        assert english not in text, english


@pytest.mark.parametrize("template", TEMPLATES)
def test_french_metadata_and_language(french, template):
    reader = PdfReader(french[template])
    assert reader.trailer["/Root"]["/Lang"] == "fr-CA"
    # French word order: the document, then its period (never « T3 2011 Sommaire ... »).
    assert reader.metadata.title.startswith(f"Mine Los Santos{NBSP}: ")
    assert reader.metadata.title.endswith(f", T3{NBSP}2011")
    running_head = pdf_pages(french[template])[-1]
    assert f", T3{NBSP}2011" in running_head and f"T3{NBSP}2011 Sommaire" not in running_head
    outline = [item.title for item in reader.outline if not isinstance(item, list)]
    assert outline and not any("Summary" in title or "Highlights" in title for title in outline)


def test_quarterly_briefing_charts_and_contents_in_french(french):
    text = " ".join(" ".join(pdf_pages(french["quarterly-briefing"])).split())
    for words in ("Table des matières", "Chiffres clés par période", "Des produits au résultat, T3",
                  "Commentaires de la direction", "Résultats pour les trois mois terminés le 30 juin 2011",
                  "En bref", "Marge : bénéfice d’exploitation minière", "Taux de change",
                  "Montants en milliers de dollars canadiens"):
        assert words in text, words
    # The charts' text alternatives are in the PDF's tags, not printed.
    assert "Chiffres présentés" not in text and "Figures shown" not in text


def test_two_french_builds_are_byte_identical(french, example_dir, tmp_path):
    from reporter.build.document import build_report
    from reporter.build.outputs import OutputFormat

    again = build_report(example_dir, template="investor-summary", theme_dir=None, output=tmp_path,
                         output_format=OutputFormat.pdf, language="fr_CA")
    digest = lambda path: hashlib.sha256(path.read_bytes()).hexdigest()  # noqa: E731
    assert digest(again) == digest(french["investor-summary"])


def test_lang_all_writes_one_file_per_language(cli, tmp_path):
    result = cli("build", "--lang", "all", "-o", tmp_path)
    assert result.exit_code == 0, result.output
    names = sorted(Path(line).name for line in result.stdout.split())
    assert names == ["almonty-los-santos-mine-q3-2011-investor-summary-en-ca.pdf",
                     "almonty-los-santos-mine-q3-2011-investor-summary-fr-ca.pdf"]
    english = pdf_pages(tmp_path / names[0])[0]
    assert "Three Months Ended June 30," in english and "$4,421" in english


def test_default_build_keeps_its_name_and_english(cli, tmp_path):
    result = cli("build", "-o", tmp_path)
    assert result.exit_code == 0, result.output
    assert Path(result.stdout.strip()).name == "almonty-los-santos-mine-q3-2011-investor-summary.pdf"


def test_unknown_language_is_one_line(cli, tmp_path):
    result = cli("build", "--lang", "de_DE", "-o", tmp_path)
    assert result.exit_code == 1
    assert result.output.strip().count("\n") == 0
    assert "--lang de_DE: the report's languages are en_CA, fr_CA" in result.output


# --- mistakes in a French translation, each one line naming the file and place -----------------

def test_missing_french_section_names_file_and_section(cli, report_dir):
    path = report_dir / "commentary.fr.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("## Exploration {#exploration}", "## Exploration {#exploring}"), encoding="utf-8")
    result = cli("validate", report_dir)
    assert result.exit_code == 1
    assert result.output.strip() == (f"data error: {path}: section 'exploration' of commentary.md is missing "
                                     "here (every language needs the same sections)")


def test_missing_french_commentary_stops_validate(cli, report_dir):
    (report_dir / "commentary.fr.md").unlink()
    result = cli("validate", report_dir)
    assert result.exit_code == 1
    path = report_dir / "commentary.fr.md"
    assert result.output.strip() == (f"data error: {path}: commentary file not found: report.yaml names the "
                                     "language fr_CA, whose commentary is commentary.fr.md (a translation of "
                                     "commentary.md)")


@pytest.mark.parametrize(("target", "says"), [
    ("/etc/passwd", "a symlink to a file outside its folder"),
    ("/nonexistent/commentary.fr.md", "commentary file not found: report.yaml names the language fr_CA"),
], ids=["outside", "dangling"])
def test_a_translation_linked_out_of_the_folder_is_one_line(cli, report_dir, target, says):
    """The translation is read through the one gate: a link out is refused, a dangling one is missing."""
    path = report_dir / "commentary.fr.md"
    path.unlink()
    path.symlink_to(target)
    result = cli("validate", report_dir)
    assert result.exit_code == 1
    [line] = result.output.strip().splitlines()
    assert line.startswith(f"data error: {path}: ") and says in line and "root:" not in result.output


def test_missing_french_label_names_the_line(cli, report_dir, tmp_path):
    out = tmp_path / "out"
    path = report_dir / "statement.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "label: {en: Interest, fr: {text: Intérêts, gender: m, number: plural}}", "label: Interest"),
        encoding="utf-8")
    result = cli("build", report_dir, "--lang", "fr_CA", "-o", out)
    assert result.exit_code == 1
    assert result.output.strip() == (f"data error: {path}: no fr label for interest (give labels per "
                                     "language: label: {en: Revenue, fr: Produits})")
    assert not out.exists()


def test_plain_setting_in_a_two_language_report_is_refused(cli, report_dir):
    path = report_dir / "report.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "fx_source: {en: Bank of Canada, fr: la Banque du Canada}", "fx_source: Bank of Canada"),
        encoding="utf-8")
    result = cli("validate", report_dir)
    assert result.exit_code == 1
    assert "no fr text for fx_source" in result.output and str(path) in result.output
    # English alone needs nothing French: a plain setting is in the default language.
    assert cli("build", report_dir, "-o", report_dir / "out").exit_code == 0


def test_untranslated_template_string_lists_messages_and_catalogs(cli, report_dir, tmp_path):
    out = tmp_path / "out"
    override = report_dir / "templates"
    override.mkdir()
    (override / "base.html").write_text(
        '{% extends "builtin:base/base.html" %}'
        '{% block legend %}<p>{{ _("Unaudited") }} {{ _("Draft for the board") }}</p>{% endblock %}',
        encoding="utf-8")
    result = cli("build", report_dir, "--lang", "fr_CA", "-o", out)
    assert result.exit_code == 1
    message = result.output.strip()
    assert "\n" not in message
    assert "no fr_CA translation for 2 message(s): 'Unaudited'; 'Draft for the board'" in message
    assert "templates/base/locale/fr/LC_MESSAGES/messages.po" in message
    assert not out.exists()
    # English needs no catalog: the templates are written in it.
    assert cli("build", report_dir, "--lang", "en_CA", "-o", out).exit_code == 0


def test_a_theme_catalog_wins_over_the_built_in_one(cli, report_dir, tmp_path):
    catalog = report_dir / "templates" / "locale" / "fr" / "LC_MESSAGES" / "messages.po"
    catalog.parent.mkdir(parents=True)
    catalog.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                       'msgid "Highlights"\nmsgstr "Points saillants du trimestre"\n', encoding="utf-8")
    result = cli("build", report_dir, "--lang", "fr_CA", "-o", tmp_path)
    assert result.exit_code == 0, result.output
    text = " ".join(pdf_pages(Path(result.stdout.strip())))
    assert "Points saillants du trimestre" in text and "Faits saillants" not in text


def test_broken_catalog_is_one_line(cli, report_dir, tmp_path):
    catalog = report_dir / "templates" / "locale" / "fr" / "LC_MESSAGES" / "messages.po"
    catalog.parent.mkdir(parents=True)
    catalog.write_text('msgid "Highlights"\nmsgid "Contents"\nmsgstr "Sommaire"\n', encoding="utf-8")
    result = cli("build", report_dir, "--lang", "fr_CA", "-o", tmp_path)
    assert result.exit_code == 1
    assert result.output.startswith(f"theme error: {catalog}: cannot read the catalog")


# --- the catalog template -----------------------------------------------------------------------

def test_templates_messages_writes_a_catalog_template(cli, tmp_path):
    from babel.messages.pofile import read_po

    target = tmp_path / "qb.pot"
    result = cli("templates", "messages", "quarterly-briefing", "-o", target)
    assert result.exit_code == 0, result.output
    with target.open("rb") as handle:
        catalog = read_po(handle)
    ids = {message.id for message in catalog if message.id}
    assert {"Average exchange rates", "Contents", "Quarterly Briefing", "Earnings bridge, {period}",
            "Page", "of", "“%(quote)s”"} <= ids
    # Every message a built-in uses is in its shipped French catalog.
    from reporter.theme.catalogs import load_translations
    from reporter.inputs.language import load_language
    from reporter.data.report import default_report_dir
    from reporter.theme.resolve import resolve_theme

    theme = resolve_theme("quarterly-briefing", default_report_dir())
    translations = load_translations(theme, load_language("fr_CA"))
    assert ids - set(translations.messages) == set()
    assert str(tmp_path) not in target.read_text(encoding="utf-8")  # no machine paths in the file


# --- a table from ingest, with a French commentary of our own ----------------------------------

INGEST_TABLE = FIXTURES / "ingest" / "los-santos-seed-table.tsv"
I18N_DATA = FIXTURES / "i18n"


def test_ingested_table_with_french_commentary(cli, tmp_path):
    folder = tmp_path / "q3"
    result = cli("ingest", INGEST_TABLE, "--out", folder, "--fiscal-year-end", "09-30",
                 "--company-name", "Almonty Industries Inc.", "--short-name", "Almonty")
    assert result.exit_code == 0, result.output
    statement = yaml.safe_load((folder / "statement.yaml").read_text(encoding="utf-8"))
    statement["title"] = {"en": statement["title"], "fr": "Résultats sommaires"}
    for line in statement["lines"]:
        line["label"] = {"en": line["label"], "fr": FRENCH_LABELS[line["id"]]}
    (folder / "statement.yaml").write_text(yaml.safe_dump(statement, allow_unicode=True), encoding="utf-8")
    settings = (folder / "report.yaml").read_text(encoding="utf-8")
    settings = settings.replace("fx_source: Bank of Canada",
                                "fx_source: {en: Bank of Canada, fr: la Banque du Canada}")
    (folder / "report.yaml").write_text(settings + "\nlanguages: [en_CA, fr_CA]\n", encoding="utf-8")
    for name in ("commentary.md", "commentary.fr.md"):
        shutil.copy(I18N_DATA / name, folder / name)

    result = cli("build", folder, "--lang", "fr_CA", "-t", "press-release", "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    pages = pdf_pages(Path(result.stdout.strip()))
    text = "\n".join(pages)
    for line_id, label in FRENCH_LABELS.items():
        expected = " ".join(french_figure(v, line_id in CURRENCY_ROWS) for v in LOS_SANTOS_PUBLISHED[line_id])
        assert row_after(text, label) == expected
    flat = " ".join(text.split())
    assert "Résultats sommaires" in flat and "Trois mois terminés les 30 juin" in flat
    assert "Le 1er novembre 2011" in flat  # the dateline of our French commentary
    assert "La production a repris" in flat
    for english in ("Three Months Ended", "Revenue", "For further information", "Telephone", "TODO"):
        assert english not in flat, english


def test_a_build_checks_the_languages_it_writes(cli, report_dir, tmp_path):
    (report_dir / "commentary.fr.md").unlink()
    assert cli("build", report_dir, "-o", tmp_path / "en").exit_code == 0
    result = cli("build", report_dir, "--lang", "fr_CA", "-o", tmp_path / "fr")
    assert result.exit_code == 1 and "commentary.fr.md: commentary file not found" in result.output
    assert not (tmp_path / "fr").exists()


def test_validate_checks_the_french_commentary_in_french(cli, example_dir):
    """The commentary check reads French: the translation's amounts are listed, each with its verdict."""
    result = cli("validate", example_dir)
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if "commentary.fr.md" in line]
    assert lines == [
        f"agrees: {example_dir / 'commentary.fr.md'}:3: 'bénéfice d’exploitation minière de 1,4 million $' "
        "(Bénéfice d’exploitation minière for the three months ended June 30, 2011)",
        f"not checked: {example_dir / 'commentary.fr.md'}:62: '0,25 %' (names no line of the statement)"]
    assert "commentary (fr_CA): 2 amounts: 1 agree with the figures, 1 not checked, 0 disagree." in result.output


def test_a_wrong_french_amount_stops_the_french_build(cli, report_dir, tmp_path):
    path = report_dir / "commentary.fr.md"
    text = path.read_text(encoding="utf-8")
    assert "minière de 1,4 million $" in text
    path.write_text(text.replace("minière de 1,4 million $", "minière de 1,9 million $", 1), encoding="utf-8")
    result = cli("build", report_dir, "--lang", "fr_CA", "-o", tmp_path / "fr")
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"data error: {path}:3: 'bénéfice d’exploitation minière de 1,9 million $' but Bénéfice d’exploitation "
        "minière for the three months ended June 30, 2011 is 1,416 thousand ($1.4 million)")
    assert not (tmp_path / "fr").exists()


@pytest.mark.parametrize("lang", ["zz", "../../etc/passwd", "fr_CA\n", "x" * 10_000])
def test_a_hostile_lang_is_one_line(cli, example_dir, tmp_path, lang):
    """--lang names a language of report.yaml or nothing: never a path, never a traceback."""
    result = cli("build", example_dir, "--lang", lang, "-o", tmp_path / "out")
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: --lang ") and "Traceback" not in result.output
    assert "report.yaml" in lines[0]
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


PO_HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'


def _report_catalog(report_dir: Path) -> Path:
    folder = report_dir / "templates" / "locale" / "fr" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    return folder / "messages.po"


def test_a_translation_with_a_placeholder_its_message_lacks_is_one_line(cli, report_dir, tmp_path):
    """A catalog is theme input: a bad %(name)s stops the build at its line, never a KeyError."""
    _report_catalog(report_dir).write_text(
        PO_HEADER + '#, python-format\nmsgid "%(line)s as a share of %(base)s"\nmsgstr "%(nope)s"\n',
        encoding="utf-8")
    result = cli("build", report_dir, "-t", "quarterly-briefing", "--lang", "fr_CA", "-o", tmp_path / "out")
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "messages.po:6:" in lines[0] and "%(nope)s" in lines[0], lines
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


@pytest.mark.parametrize("target", ["/etc/passwd", "/dev/zero"])
def test_a_catalog_symlinked_out_of_the_theme_is_refused(cli, report_dir, tmp_path, target):
    _report_catalog(report_dir).symlink_to(target)
    result = cli("build", report_dir, "--lang", "fr_CA", "-o", tmp_path / "out")
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "outside its theme folder" in lines[0], lines
    assert "root:" not in result.output


def french_table_rows(path: Path) -> list[list[list[float]]]:
    """Page by page, the right edge of each figure's units digit in the French table rows.

    Words split at every space, non-breaking ones included (`4 421 $` is three), so a figure ends
    at a digit whose next digit on the line is further than a thousands separator away."""
    from helpers import rows_by_page

    labels = [label.replace(" ", "") for label in FRENCH_LABELS.values()]

    def row_of(words: list[dict]) -> list[float] | None:
        first = next((i for i, w in enumerate(words) if any(c.isdigit() for c in w["text"])), None)
        if first is None:
            return None
        label = "".join(w["text"] for w in words[:first])
        digits = [box for w in words[first:] for char, box in zip(w["text"], w["boxes"]) if char.isdigit()]
        ends = [box[2] for box, after in zip(digits, digits[1:] + [None])
                if after is None or after[0] - box[2] > 4]
        # A label that wraps ends on the line of its figures (its last words, then the figures).
        # (Not the years nor the unit caption, which are headings, nor the rates.)
        figures_alone = (not label and len(ends) == 4 and not any(c.isalpha() for w in words for c in w["text"])
                         and not all(re.fullmatch(r"\d{4}", w["text"]) for w in words)
                         and not any(re.search(r"\d,\d", w["text"]) for w in words))
        last_line = len(ends) == 4 and any(full.endswith(label) for full in labels)
        if figures_alone or (label and (last_line or any(full.startswith(label) for full in labels))):
            return ends
        return None

    return rows_by_page(path, row_of)


@pytest.mark.parametrize("template", TEMPLATES)
def test_french_units_digits_line_up_down_every_column(french, template):
    """`(1 147) $`, `4 421 $`, `(247)` and `3 006` end their units digit at one x per column: the
    room of a positive figure's ")" is a hidden span's padding, a negative's ")" a fixed box."""
    pages = french_table_rows(french[template])
    assert sum(len(rows) for rows in pages) >= len(FRENCH_LABELS)
    for number, rows in enumerate(pages, start=1):
        assert all(len(row) == 4 for row in rows), (number, rows)
        for column in range(4):
            xs = [row[column] for row in rows]
            if xs:
                assert max(xs) - min(xs) <= 0.5, (number, column, xs)


def test_french_lines_never_break_a_date_an_amount_or_a_name(french):
    """« le 30 / juin 2011 », « Los / Santos » and « 1,4 / million $ » never break across lines."""
    lines = [line.strip() for template in TEMPLATES for page in pdf_pages(french[template])
             for line in page.splitlines()]
    assert any("30 juin 2011" in line.replace(NBSP, " ") for line in lines)
    for line in lines:
        assert not re.search(r"\b(le|au) \d{1,2}$", line), line
        assert not line.endswith((" Los", " million", " millions")), line
        assert not re.match(r"^(juin|Santos|\$)\b", line), line
