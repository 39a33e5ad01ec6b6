"""Build documents from a report folder: the pipeline end to end, each file written atomically.

Takes a report folder (or a loaded report) and a theme; gives the written files, named by
reporter.build.plan.document_name.
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

from reporter.render.archive import variant_options
from reporter.render.gcpolicy import paused_collection
from reporter.render.html_export import self_contained_html
from reporter.build.outputs import OutputFormat, names_a_file, output_path
from reporter.build.plan import document_name
from reporter.render.pdf import Renderer
from reporter.build.pipeline import render_report_html
from reporter.data.report import LoadedReport, load_report
from reporter.theme.resolve import ResolvedTheme, resolve_theme
from reporter.write import write_atomic


def build_report(report_dir: Path, *, template: str, theme_dir: Path | None, output: Path | None,
                 output_format: OutputFormat | Sequence[OutputFormat],
                 renderer: Renderer | None = None, draft: bool = False,
                 pdf_variant: str | None = None, language: str | None = None,
                 last_in_process: bool = False, loaded: LoadedReport | None = None) -> Path:
    """Load, check, fill the templates, render, and write; return the path of the last file written.

    >>> build_report(default_report_dir(), template="investor-summary", theme_dir=None,
    ...              output=None, output_format=OutputFormat.pdf)   # doctest: +SKIP
    PosixPath('output/almonty-los-santos-mine-q3-2011-investor-summary.pdf')

    Every check runs before anything is written, so a mistake leaves earlier files as they were.
    With `draft`, TODO placeholders are allowed: every page says DRAFT and the name ends in -draft.
    `pdf_variant` (`pdf/a-3b`, `pdf/ua-1`) wins over `pdf_variant` in report.yaml.
    With `language` (`fr_CA`, or `fr`), the document is in that language of the report and the
    file name ends with it (`...-investor-summary-fr-ca.pdf`).
    `last_in_process`: the process exits after this document, so no garbage collection follows it.
    """
    # `loaded`: the folder already loaded (in `language` too), as the CLI does once for all its documents.
    report = loaded if loaded is not None else load_report(report_dir, [language] if language else [])
    theme = resolve_theme(template, report_dir, theme_dir)
    return build_document(report, theme, output=output, output_format=output_format, renderer=renderer,
                          draft=draft, pdf_variant=pdf_variant, language=language,
                          last_in_process=last_in_process)


def build_document(report: LoadedReport, theme: ResolvedTheme, *, output: Path | None,
                   output_format: OutputFormat | Sequence[OutputFormat], renderer: Renderer | None = None,
                   draft: bool = False, pdf_variant: str | None = None, language: str | None = None,
                   name: str | None = None, last_in_process: bool = False) -> Path:
    """Build one document of a loaded report with a resolved theme; see build_report.

    A production run loads each folder and resolves each theme once and calls this per document,
    with the name its plan gave (reporter.build.plan.document_name) and the report already
    checked in that language (a CheckedReport: render_report_html does not check it again).
    Without `name`, `report` is in its default language and the name is worked out here.
    """
    formats = [output_format] if isinstance(output_format, OutputFormat) else list(output_format)
    if name is None:
        name = document_name(report, theme, language, draft)
    if language is not None:
        report = report.in_language(language)
    document = render_report_html(report, theme, draft=draft, output_name=name)
    folder_or_file = output if len(formats) == 1 else _folder(output)
    targets = {fmt: output_path(folder_or_file, name, fmt) for fmt in formats}  # checked before rendering
    contents: dict[OutputFormat, bytes] = {}
    for fmt in formats:
        if fmt is OutputFormat.html:
            contents[fmt] = self_contained_html(document).encode("utf-8")
        else:
            contents[fmt] = render_pdf(report, document, renderer=renderer, pdf_variant=pdf_variant,
                                       collect_after=not last_in_process)
    written = [write_atomic(targets[fmt], data) for fmt, data in contents.items()]
    return written[-1]


def document_pdf(report: LoadedReport, theme: ResolvedTheme, *, renderer: Renderer | None = None,
                 draft: bool = False, pdf_variant: str | None = None, language: str | None = None) -> bytes:
    """Return one document of a loaded report as PDF bytes, writing nothing (the Python API's build)."""
    if language is not None:
        report = report.in_language(language)
    document = render_report_html(report, theme, draft=draft)
    return render_pdf(report, document, renderer=renderer, pdf_variant=pdf_variant)


def render_pdf(report: LoadedReport, document, *, renderer: Renderer | None = None,
               pdf_variant: str | None = None, collect_after: bool = True) -> bytes:
    """Render a filled-in document to PDF bytes, in the report's PDF variant unless one is given."""
    options = variant_options(report, pdf_variant or report.settings.pdf_variant,
                              language=report.settings.locale.replace("_", "-"))
    with paused_collection(collect_after=collect_after):  # see gcpolicy.py
        return (renderer or Renderer()).render(
            document.html, base_url=document.base_url, allowed_roots=document.allowed_roots,
            source=document.template_path, user_files=lambda: document.user_files,
            options=options, limits=document.limits)


def _folder(output: Path | None) -> Path | None:
    """With several formats, a file name given as output names their folder."""
    return output.parent if names_a_file(output) else output
