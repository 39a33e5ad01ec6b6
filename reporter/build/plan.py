"""The plan: which documents a build writes, and what each file is called.

Takes what was asked for (folders, `-t NAME ...` or `all`, `--lang TAG`, `all` or nothing, a
draft) and gives the documents: folder x template x language, each with its file name. The
one-shot `reporter build` and the production run (reporter.production.run) both plan here, so a
folder's documents and their names are the same whichever of the two builds them.

Light on purpose (no pandas, no WeasyPrint): the CLI plans while it parses options.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Sequence

from reporter.build.outputs import names_a_file, output_name
from reporter.data.draft import DRAFT_SUFFIX
from reporter.errors import ReporterError

if TYPE_CHECKING:
    from reporter.data.report import LoadedReport
    from reporter.inputs.settings import ReportSettings
    from reporter.theme.resolve import ResolvedTheme

ALL = "all"  # `-t all`, `--lang all`


@dataclass(frozen=True)
class PlannedDocument:
    """One document to build: a template of a folder, in a language.

    `language` None is the report's default language under the name without a suffix (no
    `--lang`); a tag (`fr_CA`) puts the language in the file name, whichever language it is.
    """

    folder: Path
    template: str
    language: str | None


def template_names(requested: Sequence[str], available: Callable[[], list[str]]) -> list[str]:
    """Expand `-t all` into the templates `available()` lists, keeping the order asked, once each."""
    return list(dict.fromkeys(name for wanted in requested
                              for name in (available() if wanted == ALL else [wanted])))


def document_languages(settings: ReportSettings, lang: str | None) -> list[str | None]:
    """The languages to build a folder in, the language axis of the plan.

    No `--lang`: the default language, no suffix ([None]). `--lang all`: every language
    report.yaml lists, the language in each name; a report that lists none is in English, so
    `--lang all` writes its `-en` file, as `--lang en` does. `--lang fr_CA`: that one.
    """
    from reporter.inputs.language import SOURCE_LANGUAGE

    if lang is None:
        return [None]
    if lang == ALL:
        return list(settings.languages) or [SOURCE_LANGUAGE]
    return [lang]


def plan_folder(folder: Path, settings: ReportSettings, templates: Sequence[str], lang: str | None,
                available: Callable[[], list[str]]) -> list[PlannedDocument]:
    """Plan one folder's documents: its templates (`all` expanded by `available`) x its languages."""
    return [PlannedDocument(folder, name, language)
            for name in template_names(templates, available)
            for language in document_languages(settings, lang)]


def require_one_file(documents: Sequence[PlannedDocument], output: Path | None) -> None:
    """Refuse `-o NAME.pdf` for more than one document: each needs a name of its own."""
    if len(documents) > 1 and names_a_file(output):
        raise ReporterError("several languages or templates need an output folder")


def document_name(report: LoadedReport, theme: ResolvedTheme, language: str | None,
                  draft: bool = False) -> str:
    """Name a document's file (without its extension): the one rule, for every command.

    `report` is in its default language: every language's file is named from the default
    language's settings, so the files of one document sort together, and the language (when
    asked for) ends the name: `almonty-los-santos-mine-q3-2011-investor-summary-fr-ca`.
    A draft ends in `-draft`.
    """
    named = report.in_language(language).language if language else None
    return output_name(report.settings, theme, named) + (DRAFT_SUFFIX if draft else "")


def theme_names(folder: Path) -> list[str]:
    """The templates `-t all` builds for a folder: the built-in ones and its templates/ themes."""
    from reporter.theme.resolve import BASE_THEME, available_themes

    return [theme.name for theme in available_themes(folder) if theme.name != BASE_THEME]


def one_folder_plan(folder: Path, templates: Sequence[str], lang: str | None,
                    output: Path | None) -> list[PlannedDocument]:
    """Plan a one-shot build of one folder, refusing `-o NAME.pdf` for several documents."""
    from reporter.inputs.settings import load_settings

    if len(template_names(templates, lambda: theme_names(folder))) > 1 and names_a_file(output):
        raise ReporterError("several templates need an output folder, and no --theme")
    documents = plan_folder(folder, load_settings(folder), templates, lang, lambda: theme_names(folder))
    require_one_file(documents, output)
    return documents
