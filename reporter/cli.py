"""The command line: parses options and calls the pipeline; no logic of its own.

Heavy libraries (pandas, WeasyPrint) are imported inside the commands that need them, so
`reporter --help` stays fast.
"""

from __future__ import annotations

import gc
import os
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Iterator, Optional

import typer

from reporter import __version__
from reporter.errors import ReporterError

app = typer.Typer(no_args_is_help=False, add_completion=False, pretty_exceptions_enable=False,
                  rich_markup_mode=None,  # plain help: rich costs ~100 ms at start-up
                  help="Turn quarterly financials and commentary into branded investor PDFs.")
templates_app = typer.Typer(add_completion=False, rich_markup_mode=None, help="List, inspect and create templates (themes).")
app.add_typer(templates_app, name="templates")

ReportDir = Annotated[Optional[Path], typer.Argument(
    exists=True, file_okay=False, dir_okay=True, resolve_path=True,
    help="Report folder (report.yaml, statement.yaml, figures.csv, commentary.md). "
         "Default: the embedded Los Santos example.")]
DEFAULT_TEMPLATE = "investor-summary"
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
    template: Annotated[list[str], typer.Option(
        "--template", "-t", help="Template name: investor-summary, quarterly-briefing, press-release, "
                                 "a theme in the report folder's templates/, or all. Repeat for several.")
    ] = [DEFAULT_TEMPLATE],
    theme: ThemeDir = None,
    output: Annotated[Optional[Path], typer.Option(
        "--output", "-o", help="Output folder, or a file name ending in .pdf/.html. Default: output/")] = None,
    format: Annotated[str, typer.Option(
        "--format", "-f", help="pdf, or html: exactly the document the PDF is rendered from.")] = "pdf",
    lang: Annotated[Optional[str], typer.Option(
        "--lang", help="A language of report.yaml's `languages` (en_CA, fr_CA), or all: one file per "
                       "language, the language in its name. Default: the first language, no suffix.")] = None,
) -> None:
    """Build briefings from a report folder and print the path of each file written."""
    from reporter.build import build_report
    from reporter.pdf import Renderer
    from reporter.pipeline import OutputFormat, default_report_dir
    from reporter.settings import load_settings
    from reporter.themes import BASE_THEME, available_themes

    # pandas, numpy and WeasyPrint leave ~45,000 long-lived objects that every garbage collection
    # would scan again during layout (0.3 s of a 2.8 s build); they live until exit anyway.
    gc.freeze()
    with user_errors():
        try:
            output_format = OutputFormat(format)
        except ValueError:
            raise ReporterError(f"--format must be pdf or html, got {format!r}") from None
        folder = report_dir or default_report_dir()
        names = list(dict.fromkeys(
            name for requested in template
            for name in ([t.name for t in available_themes(folder) if t.name != BASE_THEME]
                         if requested == "all" else [requested])))
        if len(names) > 1 and (theme is not None or (output is not None and output.suffix)):
            raise ReporterError("several templates need an output folder, and no --theme")
        languages = [lang] if lang != "all" else list(load_settings(folder).languages) or ["en"]
        if len(names) * len(languages) > 1 and output is not None and output.suffix:
            raise ReporterError("several languages or templates need an output folder")
        renderer = Renderer()  # one font configuration for every document of this run
        for name in names:
            for language in languages:
                written = build_report(folder, template=name, theme_dir=theme, output=output,
                                       output_format=output_format, renderer=renderer, language=language)
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


@app.command()
def preview(
    report_dir: ReportDir = None,
    template: TemplateName = DEFAULT_TEMPLATE,
    theme: ThemeDir = None,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Output folder. Default: output/")] = None,
) -> None:
    """Rebuild the HTML and PDF on every change to the report folder or the theme."""
    from reporter.pipeline import default_report_dir
    from reporter.preview import preview as run_preview

    gc.freeze()  # as in build: the libraries' objects stay for the whole session
    try:
        run_preview(report_dir or default_report_dir(), template=template, theme_dir=theme,
                    output=output, echo=typer.echo)
    except KeyboardInterrupt:
        typer.echo("stopped")


@app.command()
def ingest(
    table: Annotated[Path, typer.Argument(exists=True, dir_okay=False, resolve_path=True,
                                          help="The table: .tsv/.txt/.md (tab-separated, as pasted), .csv or .xlsx.")],
    out: Annotated[Path, typer.Option("--out", help="Report folder to create.")],
    company_name: Annotated[str, typer.Option(help="Legal name of the company.")] = "Company name",
    short_name: Annotated[Optional[str], typer.Option(help="Name used in running text.")] = None,
    ticker: Annotated[Optional[str], typer.Option(help="Ticker symbol, e.g. AII.")] = None,
    exchange: Annotated[Optional[str], typer.Option(help="Exchange code, e.g. TSXV.")] = None,
    fiscal_year_end: Annotated[str, typer.Option(help="Last day of the fiscal year, MM-DD.")] = "12-31",
    sheet: Annotated[Optional[str], typer.Option(help="Sheet of an .xlsx workbook (default: the first).")] = None,
    currency: Annotated[Optional[str], typer.Option(help="Currency code, when the header gives none.")] = None,
    scale: Annotated[Optional[str], typer.Option(help="units, thousands or millions, when the header gives none.")] = None,
) -> None:
    """Turn a published summary table into a report folder to check, validate and build."""
    from reporter.ingest import IngestOptions, ingest_table

    options = IngestOptions(company_name=company_name, short_name=short_name, ticker=ticker,
                            exchange=exchange, fiscal_year_end=fiscal_year_end, sheet=sheet,
                            currency=currency, scale=scale)
    with user_errors():
        found = ingest_table(table, out, options)
    for line in found.summary_lines():
        typer.echo(line)


@templates_app.command("list")
def templates_list(report_dir: ReportDir = None) -> None:
    """List the templates a build can use, with where each comes from."""
    from rich.console import Console
    from rich.table import Table

    from reporter.themes import BASE_THEME, available_themes

    with user_errors():
        themes = [t for t in available_themes(report_dir) if t.name != BASE_THEME]
    table = Table(show_lines=False)
    for heading in ("Template", "Description", "From"):
        table.add_column(heading)
    for theme in themes:
        table.add_row(theme.name, theme.description, f"{theme.source}: {theme.folder}")
    Console(width=200).print(table)


@templates_app.command("init")
def templates_init(
    name: Annotated[str, typer.Argument(help="Name of the new theme (a folder of that name is created).")],
    source: Annotated[str, typer.Option("--from", help="Built-in template to start from.")] = DEFAULT_TEMPLATE,
    into: Annotated[Path, typer.Option("--into", file_okay=False, help="Where to create the folder.")] = Path("."),
) -> None:
    """Write an editable theme folder: every setting explained, every block overridable."""
    from reporter.scaffold import init_theme

    with user_errors():
        folder = init_theme(name, source, into)
    typer.echo(f"wrote {folder}")
    typer.echo(f"edit {folder / 'theme.yaml'} and {folder / 'report.html'}, then: "
               f"reporter build --theme {folder}")


@templates_app.command("messages")
def templates_messages(
    theme_name: Annotated[str, typer.Argument(metavar="THEME", help="Template name, or a theme folder.")],
    output: Annotated[Optional[Path], typer.Option(
        "--output", "-o", help="File to write. Default: messages.pot in the current folder.")] = None,
    report_dir: Annotated[Optional[Path], typer.Option(
        "--report", exists=True, file_okay=False, resolve_path=True,
        help="Report folder whose templates/ holds the theme.")] = None,
) -> None:
    """Write the catalog template (.pot) of every string a theme's templates translate."""
    from reporter.messages import write_template
    from reporter.themes import find_theme, load_theme

    with user_errors():
        folder = Path(theme_name)
        theme = (load_theme(folder.resolve(), "theme folder", report_dir) if (folder / "theme.yaml").is_file()
                 else find_theme(theme_name, report_dir=report_dir))
        target = output or Path("messages.pot")
        count = write_template(theme, target)
    typer.echo(f"wrote {target}: {count} messages of {theme.name} and its parents")
    typer.echo(f"translate: pybabel init -i {target} -d THEME_DIR/locale -l fr  (then edit the .po)")


@templates_app.command("context")
def templates_context() -> None:
    """Print every variable templates can use, with what it holds."""
    from reporter.context import CONTEXT_DOCS

    width = max(len(key) for key in CONTEXT_DOCS)
    for key, text in CONTEXT_DOCS.items():
        typer.echo(f"{key.ljust(width)}  {text}")


def run() -> None:
    """Console entry point: run the app, flush, and leave without tearing the interpreter down.

    Freeing pandas, numpy and WeasyPrint module by module at exit costs ~0.2 s of a one-shot
    build and does nothing for the user: every output is written and closed (atomically) before
    a command returns. Tests call `app` itself, never this.
    """
    try:
        app()
        code = 0
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
        if isinstance(exit_.code, str):
            print(exit_.code, file=sys.stderr)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":  # pragma: no cover
    run()
