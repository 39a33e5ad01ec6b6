"""The build pipeline, stage by stage: load -> normalize -> validate -> context -> html -> pdf -> write.

Each stage lives in its own module; this one only strings them together, so the CLI, the preview
loop and the benchmark run exactly the same steps.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from enum import Enum
from importlib.resources import files
from pathlib import Path

import pandas as pd

from reporter.commentary import Commentary, load_commentary
from reporter.context import (Formatter, commentary_context, document_context, fx_context,
                              key_figures_context, report_context, statement_context, tie_out_context)
from reporter.html import HtmlDocument, logo_url, render_html
from reporter.load import load_figures
from reporter.normalize import normalize
from reporter.outputs import OutputFormat, names_a_file
from reporter.errors import DataError, ReporterError, ThemeError
from reporter.settings import ReportSettings, load_settings
from reporter.statement import Statement, load_statement
from reporter.themes import Theme, find_theme, load_theme
from reporter.validate import TieOut, require_something_to_check, require_tie_outs, tie_outs


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


def load_report(folder: Path) -> LoadedReport:
    """Run the data stages on a report folder: settings, statement, figures, tie-outs, commentary."""
    settings = load_settings(folder)
    statement = load_statement(settings.file("statement"))
    for line_id in settings.key_figures:
        if line_id not in statement.ids:
            raise DataError(f"key_figures names {line_id!r}, which is not a line of statement.yaml",
                            file=settings.file("settings"))
    figures = normalize(load_figures(settings.file("figures"), settings.limits), statement, settings)
    checks = tie_outs(figures, statement, settings)
    commentary = load_commentary(settings.file("commentary"), settings.limits)
    return LoadedReport(folder, settings, statement, figures, checks, commentary)


def resolve_theme(template: str, report_dir: Path, theme_dir: Path | None) -> Theme:
    """Pick the theme: the folder given with --theme, else the template of that name."""
    if theme_dir is not None:
        return load_theme(theme_dir, "theme folder", report_dir)
    try:
        return find_theme(template, report_dir=report_dir)
    except ThemeError as error:
        if (Path(template) / "theme.yaml").is_file():  # a folder where a name belongs
            raise ThemeError(f"{error.message}; {template!r} is a theme folder: build it with "
                             f"--theme {template}") from None
        raise


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def output_name(settings: ReportSettings, theme: Theme) -> str:
    """Name the output after company, subject, period and template, stably across builds."""
    label = settings.calendar.label(settings.period)
    subject = settings.subject if settings.subject != settings.company.name else None
    parts = [settings.company.short_name, subject, label, theme.name]
    return "-".join(dict.fromkeys(slug(part) for part in parts if part and slug(part)))


def build_context(report: LoadedReport, theme: Theme, fmt: Formatter) -> dict:
    """Assemble the template context (documented in reporter.context.CONTEXT_DOCS)."""
    from reporter.charts_context import charts_context
    from reporter.margins import margins_context
    from reporter.narrative import highlight_sentences

    settings = report.settings
    tie_rows, rounding_notes = tie_out_context(report.tie_outs, fmt)
    theme_title = theme.config.title or theme.name.replace("-", " ").title()
    return {
        "report": report_context(settings, output_name(settings, theme), brand_logo_url(report, theme)),
        "statement": statement_context(report.figures, report.statement, settings, fmt),
        "key_figures": key_figures_context(report.figures, report.statement, settings, fmt),
        "fx": fx_context(settings, fmt),
        "tie_outs": tie_rows,
        "rounding_notes": rounding_notes,
        "narrative": highlight_sentences(report.figures, report.statement, settings) if settings.narrative else [],
        "commentary": commentary_context(report.commentary),
        "charts": charts_context(report.figures, report.statement, settings, theme, fmt),
        "margins": margins_context(report.figures, report.statement, settings, theme, settings.locale),
        "theme": theme.settings,
        "css_variables": theme.css_variables(),
        "document": document_context(settings, report.commentary, theme_title),
    }


def brand_logo_url(report: LoadedReport, theme: Theme) -> str | None:
    """Use the theme's `logo` when it sets one, else the company logo of report.yaml."""
    logo = theme.config.logo
    if logo:
        for folder in theme.asset_dirs:
            if (folder / logo).is_file():
                return (folder / logo).resolve().as_uri()
        raise ThemeError(f"logo {logo!r} is not in the theme's assets/ folder", file=theme.folder / "theme.yaml")
    settings = report.settings
    return logo_url(settings.company.logo, report.folder, settings.file("settings"))


def formatter(report: LoadedReport) -> Formatter:
    """Bind the report's locale, currency and display places for the context and the filters."""
    return Formatter(locale=report.settings.locale, currency=report.settings.currency,
                     places=int(report.figures["decimals"].iloc[0]), scale=report.settings.scale)


def render_report_html(report: LoadedReport, theme: Theme, theme_dir: Path | None,
                       draft: bool = False) -> HtmlDocument:
    """Check the tie-outs and placeholders, then fill the theme's templates (marked DRAFT for a draft)."""
    from reporter.draft import mark_draft, require_no_placeholders
    from reporter.factcheck import check_commentary, require_true_commentary

    require_something_to_check(report.statement, report.settings)
    require_tie_outs(report.tie_outs, report.settings)
    require_true_commentary(check_commentary(report.settings.file("commentary"), report.figures,
                                             report.statement, report.settings))
    if not draft:
        require_no_placeholders([report.settings.file("commentary")])
    fmt = formatter(report)
    context = build_context(report, theme, fmt)
    document = render_html(context, theme, report_dir=report.folder, theme_dir=theme_dir,
                           filters=fmt.filters(), limits=report.settings.limits)
    return replace(document, html=mark_draft(document.html)) if draft else document


def output_path(output: Path | None, name: str, fmt: OutputFormat) -> Path:
    """Use `output` as the file when it names one (see names_a_file), as the folder otherwise."""
    if names_a_file(output):
        if output.suffix.lower() != f".{fmt.value}":
            raise ReporterError(f"--output {output} ends in {output.suffix}, but the format is {fmt.value}")
        return output
    if output is not None and output.exists() and not output.is_dir():
        raise ReporterError(f"--output {output} is an existing file, not a folder; give a folder "
                            f"or a file name ending in .{fmt.value}")
    return (output or Path("output")) / f"{name}.{fmt.value}"
