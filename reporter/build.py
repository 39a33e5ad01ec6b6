"""Build one document from a report folder: the pipeline end to end, written atomically."""

from __future__ import annotations

from pathlib import Path

from reporter.pdf import Renderer
from reporter.pipeline import (OutputFormat, load_report, output_name, output_path,
                               render_report_html, resolve_theme)
from reporter.write import write_atomic


def build_report(report_dir: Path, *, template: str, theme_dir: Path | None, output: Path | None,
                 output_format: OutputFormat, renderer: Renderer | None = None) -> Path:
    """Load, check, fill the templates, render, and write; return the path written.

    >>> build_report(default_report_dir(), template="investor-summary", theme_dir=None,
    ...              output=None, output_format=OutputFormat.pdf)   # doctest: +SKIP
    PosixPath('output/almonty-los-santos-mine-q3-2011-investor-summary.pdf')
    """
    report = load_report(report_dir)
    theme = resolve_theme(template, report_dir, theme_dir)
    document = render_report_html(report, theme, theme_dir)
    target = output_path(output, output_name(report.settings, theme), output_format)
    if output_format is OutputFormat.html:
        return write_atomic(target, document.html.encode("utf-8"))
    pdf = (renderer or Renderer()).render(document.html, base_url=document.base_url,
                                          allowed_roots=document.allowed_roots,
                                          source=document.template_path)
    return write_atomic(target, pdf)
