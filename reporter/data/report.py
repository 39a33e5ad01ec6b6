"""One report folder through the data stages: load -> normalize -> validate, in every language.

`load_report` reads and checks what a folder holds (settings, statement, figures, tie-outs,
commentary per language) into a `LoadedReport`; `check_report` refuses a report that may not be
written and gives a `CheckedReport`, the only kind the template stages take without checking. Nothing here knows about themes, templates or PDFs: that is `reporter.build.pipeline`'s half.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from importlib.resources import files
from pathlib import Path
from typing import Sequence

import pandas as pd

from reporter.inputs.commentary import Commentary, commentary_file, load_commentary, require_same_sections
from reporter.errors import DataError, ReporterError
from reporter.inputs.language import Language, default_language, load_language
from reporter.data.load import load_figures
from reporter.data.normalize import convert_units, normalize
from reporter.inputs.settings import TRANSLATABLE, ReportSettings, load_settings
from reporter.inputs.statement import Statement, load_statement
from reporter.data.history import EarlierReport, HistoryFinding, check_history, load_history, require_history
from reporter.data.validate import (TieOut, change_checks, require_changes,
                                   require_something_to_check, require_tie_outs, tie_outs)


def default_report_dir() -> Path:
    """Return the embedded Los Santos report folder that ships inside the package."""
    return Path(str(files("reporter") / "examples" / "los-santos"))


@dataclass
class LoadedReport:
    """A report folder read, normalised and checked (tie-outs computed, not yet enforced)."""

    folder: Path
    settings: ReportSettings
    statement: Statement
    figures: pd.DataFrame
    tie_outs: list[TieOut]
    commentary: Commentary
    # Every language of the report, the default first, with its commentary (by language code).
    languages: tuple[Language, ...] = field(default_factory=lambda: (default_language(),))
    commentaries: dict[str, Commentary] | None = None
    # The bytes of every file read while loading, by path: a PDF/A attaches these, the very bytes
    # that were checked, never the files read again (reporter.render.archive).
    sources: dict[Path, bytes] | None = None
    # The earlier reports of `history:` (oldest first) and what comparing with them found.
    earlier: tuple[EarlierReport, ...] = ()
    history: list[HistoryFinding] = field(default_factory=list)

    @property
    def default_commentary(self) -> Commentary:
        """The commentary of the report's default language, whatever language the report is in."""
        if not self.settings.languages or not self.commentaries:
            return self.commentary
        return self.commentaries[self.settings.languages[0].split("_")[0]]

    @property
    def language(self) -> Language:
        """The language this report is in: the default, or the one `in_language` chose."""
        return self.languages[0]

    def in_language(self, tag: str) -> "LoadedReport":
        """Return the report in one of its languages: labels, subject, legend and commentary.

        The figures and tie-outs are the same in every language; only words change.
        """
        found = [lang for lang in self.languages if lang.tag == tag or lang.code == tag]
        if not found:
            shown = tag if tag.isprintable() and tag.strip() == tag else repr(tag)  # one line, always
            raise ReporterError(f"--lang {shown}: the report's languages are "
                                f"{', '.join(lang.tag for lang in self.languages)} "
                                f"(languages in {self.settings.file('settings')})")
        language = found[0]
        if not self.settings.languages or language == self.language:
            return self  # a CheckedReport stays checked in its own language
        code = language.code
        commentary = (self.commentaries or {}).get(code)
        if commentary is None:
            raise ReporterError(f"the {language.tag} commentary was not loaded (load_report checks the "
                                f"languages it is given)")
        # Always a LoadedReport: a report checked in one language is not checked in another.
        return replace(LoadedReport(**{f.name: getattr(self, f.name) for f in fields(LoadedReport)}), settings=self.settings.in_language(code), statement=self.statement.localized(code),
                       commentary=commentary,
                       languages=(language,) + tuple(l for l in self.languages if l != language))


def load_report(folder: Path, languages: Sequence[str] | None = None) -> LoadedReport:
    """Run the data stages on a report folder: settings, statement, figures, tie-outs, commentary.

    Every language of the report is checked (labels, settings, commentary), or with `languages`
    (tags or codes) only the default one and those; a build checks what it writes, validate all.
    """
    from reporter.inputs.yamlfile import recording

    with recording() as sources:
        report = _load_report(folder, languages)
    return replace(report, sources=dict(sources))


def _load_report(folder: Path, languages: Sequence[str] | None) -> LoadedReport:
    settings = load_settings(folder)
    statement = convert_units(load_statement(settings.file("statement")), settings)
    for key in ("key_figures", "trend"):
        for line_id in getattr(settings, key):
            if line_id not in statement.ids:
                raise DataError(f"{key} names {line_id!r}, which is not a line of statement.yaml",
                                file=settings.file("settings"))
    figures = normalize(load_figures(settings.file("figures"), settings.limits), statement, settings)
    checks = tie_outs(figures, statement, settings)
    earlier = load_history(settings)
    history = check_history(figures, statement, settings, earlier)
    every = report_languages(settings)
    wanted = set(languages) if languages is not None else None
    checked = tuple(lang for index, lang in enumerate(every)
                    if wanted is None or index == 0 or lang.tag in wanted or lang.code in wanted)
    commentaries = load_commentaries(settings, checked)
    if settings.languages:
        require_translated_settings(settings, statement, checked)
    return LoadedReport(folder, settings, statement, figures, checks, commentaries[every[0].code],
                        every, commentaries, earlier=earlier, history=history)


def report_languages(settings: ReportSettings) -> tuple[Language, ...]:
    """The report's languages, the default first; English when report.yaml names none."""
    if not settings.languages:
        return (default_language(),)
    return tuple(load_language(tag, settings_file=settings.file("settings")) for tag in settings.languages)


def load_commentaries(settings: ReportSettings, languages: tuple[Language, ...]) -> dict[str, Commentary]:
    """Read `commentary.md` (default language) and `commentary.<code>.md` for each other one."""
    default_path = settings.file("commentary")
    default = load_commentary(default_path, settings.limits)
    commentaries = {languages[0].code: default}
    for language in languages[1:]:
        path = commentary_file(default_path, language.code, is_default=False)
        if not path.is_file():  # not "every report needs commentary.md": this one is the translation
            raise DataError(f"commentary file not found: report.yaml names the language {language.tag}, "
                            f"whose commentary is {path.name} (a translation of {default_path.name})", file=path)
        commentary = load_commentary(path, settings.limits)
        require_same_sections(default, default_path, commentary, path)
        commentaries[language.code] = commentary
    return commentaries


def require_translated_settings(settings: ReportSettings, statement: Statement,
                                languages: tuple[Language, ...]) -> None:
    """Refuse a label or setting that a language of the report lacks: nothing leaks into another language.

    Plain strings are in the default language (the first of `languages`) and in no other.
    """
    per_language = {key for key, _, _ in settings.texts}
    for index, language in enumerate(languages):
        default = index == 0
        missing = statement.missing_labels(language.code, default=default)
        if missing:
            raise DataError(f"no {language.code} label for {', '.join(missing)} "
                            f"(give labels per language: label: {{en: Revenue, fr: Produits}})",
                            file=settings.file("statement"))
        texts = settings.missing_texts(language.code) + (
            [] if default else [key for key in TRANSLATABLE if settings.raw.get(key) and key not in per_language])
        if texts:
            raise DataError(f"no {language.code} text for {', '.join(texts)} "
                            f"(give it per language: {{en: ..., {language.code}: ...}})",
                            file=settings.file("settings"))


@dataclass
class CheckedReport(LoadedReport):
    """A report in one language that passed check_report: tie-outs, commentary facts, placeholders
    (allowed in a `draft`). Only check_report makes one."""

    draft: bool = False


def check_report(report: LoadedReport, draft: bool = False) -> CheckedReport:
    """Refuse a report that may not be written: tie-outs, the commentary's facts, placeholders."""
    from reporter.data.draft import require_no_placeholders
    from reporter.data.factcheck import check_commentary, require_true_commentary

    require_something_to_check(report.statement, report.settings)
    require_tie_outs(report.tie_outs, report.settings)
    require_changes(change_checks(report.figures, report.statement, report.settings), report.settings)
    require_history(report.history, report.settings)
    # The default language's commentary, in the words of the settings' locale's language file (`reading`).
    require_true_commentary(check_commentary(report.default_commentary, report.figures,
                                             report.statement, report.settings))
    # A translation is read in its own words when its language file has `reading`.
    if report.commentary is not report.default_commentary and report.language.reads_commentary:
        require_true_commentary(check_commentary(report.commentary, report.figures, report.statement,
                                                 report.settings, report.language.code))
    if not draft:  # the document's own commentary, and the default one its figures were checked in
        own = [] if report.commentary is report.default_commentary else [report.commentary]
        require_no_placeholders([report.default_commentary, *own])
    return CheckedReport(**{f.name: getattr(report, f.name) for f in fields(LoadedReport)}, draft=draft)
