"""The build pipeline, stage by stage: load -> normalize -> validate -> context -> html -> pdf -> write.

Takes a loaded report (reporter.data.report) and a resolved theme (reporter.theme.resolve);
gives the filled HTML document. In order:

1. check: `check_report` (tie-outs, commentary facts, placeholders) gives a `CheckedReport`;
2. translations: the theme's gettext catalogs for the report's language;
3. formatter: one `Formatter` for the context's figures and the templates' filters;
4. context: `build_context` (reporter.context), with the file's name from the plan;
5. html: the sandboxed templates (reporter.render.html), then the DRAFT mark for a draft.

The CLI, the preview loop, the production run and the benchmark all run exactly these steps
(`reporter.build.document` adds the PDF and the write; `reporter.build.plan` names the files).
"""

from __future__ import annotations

from dataclasses import replace

from reporter.theme.catalogs import load_translations
from reporter.context import build_context, formatter
from reporter.render.html import HtmlDocument, render_html
from reporter.data.report import CheckedReport, LoadedReport, check_report
from reporter.theme.resolve import ResolvedTheme


def render_report_html(report: LoadedReport, theme: ResolvedTheme, draft: bool = False,
                       output_name: str | None = None) -> HtmlDocument:
    """Check the report (unless it is a CheckedReport already), then fill the theme's templates
    (marked DRAFT for a draft) in the report's language.

    `output_name` is the file's name as the plan gave it (reporter.build.plan.document_name), for
    `report.output_name`; without it the name without a language suffix.
    """
    from reporter.data.draft import mark_draft

    if not isinstance(report, CheckedReport):
        report = check_report(report, draft)
    translations = load_translations(theme, report.language)
    fmt = formatter(report, translations.gettext)
    context = build_context(report, theme, fmt, output_name=output_name)
    document = render_html(context, theme, filters=fmt.filters(), limits=report.settings.limits,
                           translations=translations)
    return replace(document, html=mark_draft(document.html)) if draft else document
