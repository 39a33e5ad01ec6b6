"""Stage 4, the context: everything templates see. Takes a checked report, a resolved theme and
the document's formatter (its language's rules, reporter/inputs/languages/<code>.yaml); gives the
dict of keys the templates read, documented in `CONTEXT_DOCS`.

`build_context(report, theme)` is the one entry; each part has its module:

- `figures`: the statement table, key figures, exchange rates and tie-outs, with `Formatter`
  (numbers in the document's language);
- `document`: who reports for which period, the commentary, and the PDF metadata;
- `charts` and `margins`: what theme.yaml's `charts` and `margins` ask for;
- `narrative` and `sentences`: the generated highlight sentences;
- `sections`: the `show` flags and the `contents` list;
- `columns`: `commentary_columns`, the commentary split into two columns (the investor summary's page two);
- `trend`: the quarterly trend and the restatement notes from report.yaml's `history:`.

Every key is documented in `CONTEXT_DOCS` (`reporter templates context` prints it);
a test fails when a key is built without documentation, or documented and never built.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

from reporter.context.columns import COLUMNS_DOCS, columns_context
from reporter.context.document import commentary_context, document_context, report_context
from reporter.context.figures import DOCS as FIGURE_DOCS
from reporter.context.figures import (Formatter, fx_context, key_figures_context, statement_context,
                                      tie_out_context)
from reporter.context.sections import SECTION_DOCS, contents, show_flags
from reporter.context.trend import TREND_DOCS, history_context, trend_context
from reporter.errors import ThemeError

if TYPE_CHECKING:
    from reporter.data.report import LoadedReport
    from reporter.theme.resolve import ResolvedTheme

# What `reporter templates context` prints. The figures' half stays in figures.py, where it began,
# so that edits made to it on other branches merge through the move into this package.
CONTEXT_DOCS: dict[str, str] = {**FIGURE_DOCS, **SECTION_DOCS, **TREND_DOCS, **COLUMNS_DOCS}

__all__ = ["CONTEXT_DOCS", "Formatter", "brand_logo_url", "build_context", "formatter", "theme_title"]


def build_context(report: LoadedReport, theme: ResolvedTheme, fmt: Formatter | None = None,
                  output_name: str | None = None) -> dict[str, Any]:
    """Build everything templates see (documented in CONTEXT_DOCS) for one document.

    `fmt` brings the language and its gettext (see `formatter`); without it the report's own
    locale and no translations. `output_name` is the document's file name (the plan's); without
    it the name of the default language's file.

    >>> context = build_context(load_report(folder), resolve_theme("quarterly-briefing", folder))  # doctest: +SKIP
    >>> [entry["id"] for entry in context["contents"]][:2]   # doctest: +SKIP
    ['statement', 'exchange-rates']
    """
    from reporter.context.chart_data import charts_context
    from reporter.context.margins import margins_context
    from reporter.context.narrative import highlight_sentences
    from reporter.data.normalize import columns as period_columns
    from reporter.inputs.naming import output_name as default_name

    fmt = fmt or formatter(report)
    settings = report.settings
    language = fmt.language
    tie_rows, rounding_notes = tie_out_context(
        report.tie_outs, fmt, labels={line.id: line.label for line in report.statement.lines},
        phrases={p.key: language.phrase(p) for p in period_columns(report.figures)})
    context: dict[str, Any] = {
        "report": report_context(settings, output_name or default_name(settings, theme), brand_logo_url(report, theme), fmt),
        "statement": statement_context(report.figures, report.statement, settings, fmt),
        "key_figures": key_figures_context(report.figures, report.statement, settings, fmt),
        "fx": fx_context(settings, fmt),
        "tie_outs": tie_rows,
        "rounding_notes": rounding_notes,
        "narrative": (highlight_sentences(report.figures, report.statement, settings, language)
                      if settings.narrative else []),
        "commentary": commentary_context(
            report.commentary, language.optional("typography", "nonbreaking"),
            [settings.subject, settings.company.name, settings.company.short_name or ""]),
        "charts": charts_context(report.figures, report.statement, settings, theme, fmt),
        "margins": margins_context(report.figures, report.statement, settings, theme, fmt),
        "theme": theme.settings,
        "css_variables": theme.css_variables(),
        "document": document_context(settings, report.commentary, theme_title(theme, fmt), language),
        "trend": trend_context(report, theme, fmt),
        "history": history_context(report, fmt),
    }
    context["show"] = show_flags(context, theme.config.switches)
    context["contents"] = contents(context, context["show"])
    context["commentary_columns"] = columns_context(context["narrative"], context["show"], context["commentary"],
                                                    charts=len(context["charts"]))
    return context


def theme_title(theme: ResolvedTheme, fmt: Formatter) -> str:
    """Name the kind of document in its language: theme.yaml's `title`, else the theme's name."""
    return fmt.translate(theme.config.title or theme.name.replace("-", " ").title())


def brand_logo_url(report: LoadedReport, theme: ResolvedTheme) -> str | None:
    """Use the theme's `logo` when it sets one, else the company logo of report.yaml."""
    from reporter.inputs.logo import logo_url

    logo = theme.config.logo
    if logo:
        for folder in theme.asset_dirs:
            if (folder / logo).is_file():
                return (folder / logo).resolve().as_uri()
        raise ThemeError(f"logo {logo!r} is not in the theme's assets/ folder", file=theme.theme.folder / "theme.yaml")
    settings = report.settings
    return logo_url(settings.company.logo, report.folder, settings.file("settings"))


def money_places(figures) -> int:
    """Return the places money lines are shown with (lines in their own unit keep their own)."""
    money = figures.loc[figures["is_money"], "decimals"]
    return int(money.iloc[0]) if len(money) else 0


def formatter(report: LoadedReport, translate: Callable[[str], str] = str) -> Formatter:
    """Bind the report's locale, currency and display places for the context and the filters.

    A report that names its languages writes numbers in each language's locale (fr_CA:
    `4 421 $`); one that does not keeps `reporting.locale`.
    """
    settings = report.settings
    locale = report.language.tag if settings.languages else settings.locale
    return Formatter(locale=locale, currency=settings.currency,
                     places=money_places(report.figures), scale=settings.scale,
                     language=report.language, translate=translate)
