"""A language is one YAML file: a third one needs nothing else, and a broken one is one located line."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from helpers import REPO, pdf_pages
from reporter.errors import DataError
from reporter.inputs import language as language_module
from reporter.inputs.language import RULES_DIR, load_language

ENGLISH = yaml.safe_load((RULES_DIR / "en.yaml").read_text(encoding="utf-8"))


def made_up_german() -> dict:
    """A language reporter does not ship, written from English by changing words only."""
    rules = yaml.safe_load((RULES_DIR / "en.yaml").read_text(encoding="utf-8"))
    rules.pop("reading")  # the commentary check need not read every language
    rules.update(code="de", name="Deutsch (erfunden)")
    rules["dates"] = {"long": "d. MMMM y", "day_month": "d. MMMM"}
    rules["periods"].update(
        spans={1: {"heading": "Ein Monat bis {day_month}", "phrase": "den Monat bis zum {date}"},
               12: {"heading": "Geschäftsjahr bis {day_month}", "phrase": "das Geschäftsjahr bis zum {date}"},
               "other": {"heading": "{Months} Monate bis {day_month}", "phrase": "die {months} Monate bis zum {date}"}},
        months_words={3: "drei", 6: "sechs", 9: "neun"},
        labels={"year": "GJ {year}", "quarter": "Q{quarter}/{year}", "year_to_date": "{months}M/{year}",
                "other": "{months}M bis {month_short} {year}"},
        restated="{year} (angepasst)", year_end={"find": " bis ", "replace": " und das Geschäftsjahr bis "})
    rules["sentences"].update(sentence="{label} betrug {now} für {period}{comparison}.",
                              comparison=", gegenüber {before} im Vorjahreszeitraum {year}{restated}{change}",
                              nil="null", income_negative="einen Verlust von {amount}",
                              increase=", ein Anstieg um {percent}%", decrease=", ein Rückgang um {percent}%")
    rules["numbers"].update(millions_one="{money} Mio.", millions_other="{money} Mio.")
    rules["cards"]["card_changes"]["not_meaningful"] = "n.a."
    return rules


def languages_folder(tmp_path: Path, **files: dict | str) -> Path:
    """A copy of reporter's language files with more beside them (`de={...}`)."""
    folder = tmp_path / "languages"
    shutil.copytree(RULES_DIR, folder)
    for code, rules in files.items():
        text = rules if isinstance(rules, str) else yaml.safe_dump(rules, allow_unicode=True, sort_keys=False)
        (folder / f"{code}.yaml").write_text(text, encoding="utf-8")
    return folder


def identity_catalog(path: Path) -> None:
    """A theme catalog that leaves the templates' words as written: the PDF's own words come from de.yaml."""
    catalog = Catalog(locale="de")
    for po in sorted(REPO.glob("templates/*/locale/fr/LC_MESSAGES/messages.po")):
        with po.open("rb") as handle:
            for message in read_po(handle):
                if message.id and message.id not in catalog:
                    catalog.add(message.id, message.id, flags=message.flags)
    assert len(catalog) > 10
    path.parent.mkdir(parents=True)
    with path.open("wb") as handle:
        write_po(handle, catalog)


def test_a_third_language_is_one_yaml_file(tmp_path, monkeypatch, example_dir, cli):
    monkeypatch.setattr(language_module, "RULES_DIR", languages_folder(tmp_path, de=made_up_german()))
    report = tmp_path / "report"
    shutil.copytree(example_dir, report)
    # The report's second language becomes the made-up one: its labels and commentary stand in.
    for name in ("report.yaml", "statement.yaml"):
        path = report / name
        text = re.sub(r"\bfr:", "de:", path.read_text(encoding="utf-8"))
        path.write_text(text.replace("languages: [en_CA, fr_CA]", "languages: [en_CA, de_DE]"), encoding="utf-8")
    assert "languages: [en_CA, de_DE]" in (report / "report.yaml").read_text(encoding="utf-8")
    (report / "commentary.fr.md").rename(report / "commentary.de.md")
    identity_catalog(report / "templates" / "locale" / "de" / "LC_MESSAGES" / "messages.po")

    result = cli("build", report, "-t", "investor-summary", "--lang", "de_DE", "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    text = " ".join(" ".join(pdf_pages(Path(result.stdout.strip()))).split())
    # Period headings, labels and generated sentences in the new file's words...
    assert "Drei Monate bis 30. Juni" in text
    assert "Q3/2011" in text
    assert "betrug" in text and "für die drei Monate bis zum 30. Juni 2011" in text
    # ...and none of English's.
    assert "Three Months Ended" not in text and "Q3 2011" not in text
    assert "the three months ended" not in text


def test_english_and_french_files_load_and_name_themselves():
    for tag in ("en_CA", "fr_CA"):
        language = load_language(tag)
        assert language.rule("code") == language.code
        assert language.reads_commentary


BROKEN = [
    ("missing key", lambda r: r["periods"]["labels"].pop("quarter"), "no `periods.labels.quarter`"),
    ("missing section", lambda r: r.pop("fx"), "no `fx`"),
    ("wrong type", lambda r: r["numbers"].update(nil=["nil"]), "`numbers.nil` must be a text, got list"),
    ("unknown grammar", lambda r: r["sentences"].update(grammar="free"),
     "`sentences.grammar` must be one of template, agreement, got 'free'"),
    ("code not the file's", lambda r: r.update(code="xx"), "`code` is 'xx' but the file is named de.yaml"),
    # Each would be a traceback later: December's label (IndexError), a report in millions (KeyError).
    ("eleven short months", lambda r: r["dates"].update(month_short=["Jan"] * 11),
     "`dates.month_short` must be 12 month names, January first, got 11 items"),
    ("a scale without words", lambda r: r["charts"]["unit_words"].pop(1000000),
     "`charts.unit_words` gives no words for the scale 1000000 (it needs 1, 1000, 1000000)"),
    ("number rules in part", lambda r: r["sentences"].update(number={"plural_endings": ["s"]}),
     "`sentences.number.head_ends_before` must be a list (`sentences.number` gives head_ends_before, "
     "plural_endings, singular_endings)"),
    # A word that is no text was a TypeError in the first highlight sentence (str.endswith(None)).
    ("number rules not words", lambda r: r["sentences"].update(
        number={"head_ends_before": ["of"], "plural_endings": [None], "singular_endings": ["ss"]}),
     "`sentences.number.plural_endings` must be a list of words, got None among them"),
    ("twelve months not names", lambda r: r["dates"].update(month_short=list(range(1, 13))),
     "`dates.month_short` must be 12 month names, January first, got 1 (int) among them"),
    ("a month without a name", lambda r: r["dates"].update(month_short=["Jan"] * 11 + [None]),
     "`dates.month_short` must be 12 month names, January first, got None (NoneType) among them"),
    ("nonbreaking not a regex", lambda r: r.update(typography={"nonbreaking": ["(\\d+ %"]}),
     "`typography.nonbreaking[0]` is not a regular expression (missing ), unterminated subpattern"),
    # Python's re shares words out every way a nested repeat allows: 144 s on 48 characters.
    ("nonbreaking nested repeat", lambda r: r.update(typography={"nonbreaking": [r"((?:\w+\s?)+) (z)"]}),
     "`typography.nonbreaking[0]` repeats a repeat"),
    ("nonbreaking with one group", lambda r: r.update(typography={"nonbreaking": [r"(\d) %"]}),
     "`typography.nonbreaking[0]` must be a regular expression with two groups"),
    ("scale keys as text", lambda r: r["cards"].update(card_scale={"1": "", "1000": "Tsd.", "1000000": "Mio."}),
     "`cards.card_scale` gives no words for the scale 1"),
]


@pytest.mark.parametrize("case, spoil, message", BROKEN, ids=[case for case, _, _ in BROKEN])
def test_a_broken_language_file_is_one_line_with_its_file_and_key(tmp_path, monkeypatch, case, spoil, message):
    rules = made_up_german()
    spoil(rules)
    folder = languages_folder(tmp_path, de=rules)
    monkeypatch.setattr(language_module, "RULES_DIR", folder)
    with pytest.raises(DataError) as caught:
        load_language("de_DE")
    assert caught.value.message.startswith(message)
    assert Path(caught.value.file) == folder / "de.yaml"
    assert "\n" not in str(caught.value)


def test_a_language_file_that_is_not_yaml_names_its_line(tmp_path, monkeypatch):
    folder = languages_folder(tmp_path, de="code: de\ndates: [unclosed\n")
    monkeypatch.setattr(language_module, "RULES_DIR", folder)
    with pytest.raises(DataError) as caught:
        load_language("de_DE")
    assert Path(caught.value.file) == folder / "de.yaml"
    assert caught.value.line is not None


def every_period() -> list:
    """Every length a statement may have, ending at each month end of a year, restated or not."""
    import calendar
    import datetime as dt

    from reporter.inputs.periods import Period

    ends = [dt.date(2011, month, calendar.monthrange(2011, month)[1]) for month in range(1, 13)]
    return [Period(end, months, restated) for end in ends for months in range(1, 13) for restated in (False, True)]


@pytest.mark.parametrize("tag, fiscal_year_end", [("en_CA", (9, 30)), ("en", (12, 31)), ("en_GB", (6, 30))])
def test_english_from_its_file_names_every_period_as_the_statement_code_does(tag, fiscal_year_end):
    """en.yaml says what reporter.inputs.periods writes in English (headings, phrases, short labels,
    dates), for every length and month end: English moved into data without changing a word."""
    from reporter.inputs.periods import FiscalCalendar

    english, fiscal = load_language(tag), FiscalCalendar(*fiscal_year_end)
    periods = every_period()
    assert len(periods) == 288
    for period in periods:
        assert english.heading(period) == period.heading()
        assert english.phrase(period) == period.phrase()
        assert english.label(fiscal, period) == fiscal.label(period)
        assert english.date(period.end) == f"{period.end:%B} {period.end.day}, {period.end.year}"
