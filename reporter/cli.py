"""The command line: parses options and calls the pipeline; no logic of its own.

Heavy libraries (pandas, WeasyPrint) are imported inside the commands that need them, so
`reporter --help` stays fast.
"""

from __future__ import annotations

import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Iterator, Optional

import typer

from reporter import __version__
from reporter.errors import ReporterError

app = typer.Typer(no_args_is_help=False, add_completion=False, pretty_exceptions_enable=False,
                  help="Turn quarterly financials and commentary into branded investor PDFs.")
templates_app = typer.Typer(add_completion=False, help="List, inspect and create templates (themes).")
app.add_typer(templates_app, name="templates")

ReportDir = Annotated[Optional[Path], typer.Argument(
    exists=True, file_okay=False, dir_okay=True, resolve_path=True,
    help="Report folder (report.yaml, statement.yaml, figures.csv, commentary.md). "
         "Default: the embedded Los Santos example.")]
TemplateName = Annotated[str, typer.Option(
    "--template", "-t", help="Template name: investor-summary, quarterly-briefing, press-release, "
                             "or a theme in the report folder's templates/.")]
ThemeDir = Annotated[Optional[Path], typer.Option(
    "--theme", exists=True, file_okay=False, resolve_path=True,
    help="A theme folder of your own; it wins over every other template.")]


@contextmanager
def user_errors() -> Iterator[None]:
    """Print a mistake in the user's files as one line on stderr and exit non-zero."""
    try:
        yield
    except ReporterError as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(code=1) from None


def _version(value: bool) -> None:
    if value:
        typer.echo(f"reporter {__version__}")
        raise typer.Exit()


@app.callback()
def main(version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                               help="Show the version and exit.")] = False) -> None:
    """Turn quarterly financials and commentary into branded investor PDFs."""


@app.command()
def build(
    report_dir: ReportDir = None,
    template: TemplateName = "investor-summary",
    theme: ThemeDir = None,
    output: Annotated[Optional[Path], typer.Option(
        "--output", "-o", help="Output folder, or a file name ending in .pdf/.html. Default: output/")] = None,
    format: Annotated[str, typer.Option(
        "--format", "-f", help="pdf, or html: exactly the document the PDF is rendered from.")] = "pdf",
) -> None:
    """Build a briefing from a report folder and print the path of the file written."""
    from reporter.pipeline import OutputFormat, default_report_dir
    from reporter.build import build_report

    with user_errors():
        try:
            output_format = OutputFormat(format)
        except ValueError:
            raise ReporterError(f"--format must be pdf or html, got {format!r}") from None
        written = build_report(report_dir or default_report_dir(), template=template,
                               theme_dir=theme, output=output, output_format=output_format)
    typer.echo(str(written))


@app.command()
def validate(report_dir: ReportDir = None) -> None:
    """Check that every subtotal ties out to its lines; exit non-zero when one does not."""
    from rich.console import Console
    from rich.table import Table

    from reporter.pipeline import default_report_dir, load_report
    from reporter.validate import TieOutStatus

    with user_errors():
        report = load_report(report_dir or default_report_dir())
    table = Table(title=f"Tie-outs: {report.settings.subject}, "
                        f"{report.settings.calendar.label(report.settings.period)}")
    for heading in ("Subtotal", "Period", "Lines give", "Published", "Difference", "Result"):
        table.add_column(heading, justify="right" if heading in ("Lines give", "Published", "Difference") else "left")
    styles = {TieOutStatus.TIES: "green", TieOutStatus.ROUNDING: "yellow", TieOutStatus.FAILS: "bold red"}
    for result in report.tie_outs:
        table.add_row(result.label, result.period_phrase, f"{result.computed:,f}",
                      f"{result.published:,f}", f"{result.difference:+,f}",
                      f"[{styles[result.status]}]{result.status.value}[/]")
    Console(width=160).print(table)
    failures = [r for r in report.tie_outs if r.status is TieOutStatus.FAILS]
    rounding = [r for r in report.tie_outs if r.status is TieOutStatus.ROUNDING]
    typer.echo(f"{len(report.tie_outs)} checks: {len(report.tie_outs) - len(failures) - len(rounding)} tie, "
               f"{len(rounding)} within rounding (tolerance {report.settings.tie_out_tolerance}), "
               f"{len(failures)} fail.")
    if failures:
        for failure in failures:
            typer.echo(f"fails: {report.settings.file('figures')}, row {failure.source_row}: "
                       f"{failure.describe()}", err=True)
        raise typer.Exit(code=1)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
