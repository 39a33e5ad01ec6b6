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
from typer.core import TyperGroup

from reporter import __version__
from reporter.errors import ReporterError


class LeanGroup(TyperGroup):
    """A command group whose unused --help flag reads False instead of None.

    Typer coerces every parameter value that is not already a bool through a pydantic
    TypeAdapter, and an unset help flag is None: so `reporter build --help` imported pydantic
    (70 ms of 150) just to read the group's own --help. A bool skips that.
    """

    def get_help_option(self, ctx):
        option = super().get_help_option(ctx)
        if option is not None and option.default is None:
            option.default = False
        return option


app = typer.Typer(cls=LeanGroup, no_args_is_help=False, add_completion=False, pretty_exceptions_enable=False,
                  rich_markup_mode=None,  # plain help: rich costs ~100 ms at start-up
                  help="Turn quarterly financials and commentary into branded investor PDFs.")
templates_app = typer.Typer(cls=LeanGroup, add_completion=False, rich_markup_mode=None, help="List, inspect and create templates (themes).")
app.add_typer(templates_app, name="templates")

ReportDir = Annotated[Optional[Path], typer.Argument(
    resolve_path=True,  # checked by report_folder(): one line, not a usage message
    help="Report folder (report.yaml, statement.yaml, figures.csv, commentary.md). "
         "Default: the embedded Los Santos example.")]
DEFAULT_TEMPLATE = "investor-summary"
TEMPLATE_HELP = ("investor-summary (the default), quarterly-briefing, press-release, or a theme in the "
                 "report folder's templates/. Not together with --theme.")
TemplateName = Annotated[Optional[str], typer.Option(
    "--template", "-t", metavar="NAME", show_default=False, help=TEMPLATE_HELP)]
ThemeDirs = Annotated[Optional[list[Path]], typer.Option(
    "--theme", exists=True, file_okay=False, resolve_path=True, metavar="DIR",
    help="A theme folder of your own (theme.yaml, templates, assets/); its `extends` picks the "
         "template it builds on. Give it once.")]


def command(typer_app: typer.Typer, name: str | None = None):
    """Register a command whose summary in `--help` is the docstring's first line, never cut short."""
    def register(function):
        summary = (function.__doc__ or "").strip().splitlines()[0]
        return typer_app.command(name, short_help=summary)(function)
    return register


def one_theme(templates: list[str] | None, themes: list[Path] | None) -> Path | None:
    """Refuse options that contradict each other, instead of silently picking one."""
    if themes and len(themes) > 1:
        raise ReporterError(f"--theme given {len(themes)} times ({', '.join(str(t) for t in themes)}); "
                            f"give one theme folder")
    if themes and templates:
        raise ReporterError(f"-t {' -t '.join(templates)} and --theme {themes[0]} both say what to build; "
                            f"give one (a theme folder names the template it builds on with `extends` "
                            f"in its theme.yaml)")
    return themes[0] if themes else None


@contextmanager
def user_errors() -> Iterator[None]:
    """Print a mistake in the user's files as one line on stderr and exit non-zero.

    A build stopped by Ctrl-C or SIGTERM writes nothing and exits 130 or 143.
    """
    from reporter.render.interrupt import Interrupted, interrupts

    try:
        with interrupts():
            yield
    except ReporterError as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(code=1) from None
    except Interrupted as interrupted:
        typer.echo("interrupted: nothing written", err=True)
        raise typer.Exit(code=interrupted.exit_code) from None


def report_folder(report_dir: Path | None) -> Path:
    """Return the report folder given, or the embedded example; a missing one is a user error."""
    from reporter.data.report import default_report_dir

    if report_dir is None:
        return default_report_dir()
    if not report_dir.is_dir():
        raise ReporterError("no such report folder" if not report_dir.exists() else
                            "not a folder; give the report folder (report.yaml, figures.csv, ...)",
                            file=report_dir)
    return report_dir


def _version(value: bool) -> None:
    if value:
        typer.echo(f"reporter {__version__}")
        raise typer.Exit()


@app.callback()
def main(version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                               help="Show the version and exit.")] = False) -> None:
    """Turn quarterly financials and commentary into branded investor PDFs."""


@command(app)
def build(
    report_dirs: Annotated[Optional[list[Path]], typer.Argument(
        metavar="REPORT_DIR", show_default=False,
        help="Report folders (report.yaml, statement.yaml, figures.csv, commentary.md). "
             "Default: the embedded Los Santos example. Several folders make a production run.")] = None,
    template: Annotated[Optional[list[str]], typer.Option(
        "--template", "-t", metavar="NAME", show_default=False,
        help="investor-summary (the default), quarterly-briefing, press-release, a theme in the "
             "report folder's templates/, or all. Repeat for several. Not together with --theme.")] = None,
    theme: ThemeDirs = None,
    output: Annotated[Optional[Path], typer.Option(
        "--output", "-o", metavar="PATH",
        help="Output folder (default: output/), or a file name ending in .pdf or .html.")] = None,
    format: Annotated[str, typer.Option(
        "--format", "-f", metavar="[pdf|html]",
        help="pdf (the default), or html: the document the PDF is rendered from, with its "
             "stylesheets, fonts and images inlined.")] = "pdf",
    draft: Annotated[bool, typer.Option(
        "--draft", help="Build although TODO placeholders are left: DRAFT on every page, -draft in the name.")] = False,
    pdf_variant: Annotated[Optional[str], typer.Option(
        "--pdf-variant", metavar="VARIANT",
        help="pdf/a-3b (archival, with the figures attached) or pdf/ua-1 (accessible). "
             "Default: pdf_variant in report.yaml, else a plain PDF.")] = None,
    jobs: Annotated[Optional[int], typer.Option(
        "--jobs", "-j", min=1, metavar="N", help="Worker processes for a production run. Default: the number of cores.")] = None,
    force: Annotated[bool, typer.Option(
        "--force", help="Production run: rebuild documents the manifest says are unchanged.")] = False,
    against: Annotated[Optional[Path], typer.Option(
        "--against", exists=True, file_okay=False, resolve_path=True, metavar="DIR",
        help="Production run: diff every document against the approved copy of the same name here.")] = None,
    lang: Annotated[Optional[str], typer.Option(
        "--lang", metavar="[LANG|all]", help="A language of report.yaml's `languages` (en_CA, fr_CA), or all: one file per "
                       "language, the language in its name. Default: the first language, no suffix.")] = None,
) -> None:
    """Build briefings from report folders and print the path of each file written.

    With several folders, --jobs, --force or --against, this is a production run: every folder x
    template is built on worker processes into the output folder, with manifest.json, and
    documents whose inputs did not change are not rebuilt.
    """
    with user_errors():  # from here a Ctrl-C, even while the libraries load, is one line
        from reporter.render.archive import PDF_VARIANTS
        from reporter.build.outputs import OutputFormat, names_a_file
        from reporter.inputs.settings import load_settings
        from reporter.theme.resolve import BASE_THEME, available_themes

        # pandas, numpy and WeasyPrint leave ~45,000 long-lived objects that every garbage
        # collection would scan again during layout (0.3 s of a 2.8 s build); they live until exit.
        gc.freeze()
        try:
            output_format = OutputFormat(format)
        except ValueError:
            raise ReporterError(f"--format must be pdf or html, got {format!r}") from None
        if pdf_variant is not None and pdf_variant not in PDF_VARIANTS:
            raise ReporterError(f"--pdf-variant must be one of {', '.join(PDF_VARIANTS)}, got {pdf_variant!r}")
        theme_dir = one_theme(template, theme)
        folders = [report_folder(d) for d in report_dirs] if report_dirs else [report_folder(None)]
        folders = [f.resolve() for f in folders]
        if len(folders) > 1 or jobs is not None or force or against is not None:
            if names_a_file(output):
                raise ReporterError("a production run needs an output folder (-o DIR), not a file name")
            if draft:
                raise ReporterError("--draft builds one report folder; a production run builds finished documents")
            from reporter.cli.progress import production_run
            raise typer.Exit(code=production_run(folders, template or [DEFAULT_TEMPLATE], theme_dir, output,
                                                 output_format.value, pdf_variant, jobs, force, against, lang))
        # Only now WeasyPrint: a production run renders in its workers, never in this process.
        from reporter.build.document import build_report
        from reporter.render.pdf import Renderer

        folder = folders[0]
        names = list(dict.fromkeys(
            name for requested in template or [DEFAULT_TEMPLATE]
            for name in ([t.name for t in available_themes(folder) if t.name != BASE_THEME]
                         if requested == "all" else [requested])))
        if len(names) > 1 and names_a_file(output):
            raise ReporterError("several templates need an output folder, and no --theme")
        languages = [lang] if lang != "all" else list(load_settings(folder).languages) or ["en"]
        if len(names) * len(languages) > 1 and names_a_file(output):
            raise ReporterError("several languages or templates need an output folder")
        renderer = Renderer()  # one font configuration for every document of this run
        documents = [(name, language) for name in names for language in languages]
        for index, (name, language) in enumerate(documents):
            written = build_report(folder, template=name, theme_dir=theme_dir, output=output,
                                   output_format=output_format, renderer=renderer, draft=draft,
                                   pdf_variant=pdf_variant, language=language,
                                   last_in_process=index == len(documents) - 1)  # run() exits next
            typer.echo(str(written))


@command(app)
def diff(
    old: Annotated[Path, typer.Argument(exists=True, dir_okay=False, resolve_path=True, help="The approved PDF.")],
    new: Annotated[Path, typer.Argument(exists=True, dir_okay=False, resolve_path=True, help="The new build.")],
    output: Annotated[Optional[Path], typer.Option(
        "--output", "-o", file_okay=False, help="Folder for a PNG per changed page and changes.txt.")] = None,
) -> None:
    """Compare two builds page by page; list what changed; exit 1 when anything visible changed."""
    from reporter.production.diff import diff_pdfs, write_diff

    with user_errors():
        result = diff_pdfs(old, new)
    for line in result.describe():
        typer.echo(line)
    if output is not None and result.changed:
        for written in write_diff(result, output):
            typer.echo(f"wrote {written}")
    if result.changed:
        raise typer.Exit(code=1)
    typer.echo("no visible change")


@command(app)
def approve(
    outdir: Annotated[Path, typer.Argument(exists=True, file_okay=False, resolve_path=True,
                                           help="Output folder of a production run (with manifest.json).")],
    approved: Annotated[Path, typer.Argument(file_okay=False, resolve_path=True,
                                             help="The approved folder, created if needed.")],
) -> None:
    """Copy the documents of a production run and its manifest into the approved folder."""
    from reporter.production.manifest import approve as approve_documents

    with user_errors():
        copied = approve_documents(outdir, approved)
    typer.echo(f"approved {len(copied) - 1} documents into {approved}")


@command(app)
def validate(report_dir: ReportDir = None) -> None:
    """Check the subtotals and the commentary's figures; exit non-zero on a failure."""
    from rich.console import Console
    from rich.table import Table

    from reporter.inputs.commentary import commentary_file
    from reporter.data.report import load_report
    from reporter.data.draft import find_placeholders
    from reporter.data.factcheck import CheckStatus, check_commentary
    from reporter.data.validate import TieOutStatus, require_something_to_check, tolerance_summary

    with user_errors():
        report = load_report(report_folder(report_dir))
        require_something_to_check(report.statement, report.settings)
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
               f"{len(rounding)} within rounding (tolerance {tolerance_summary(report.tie_outs)}), "
               f"{len(failures)} fail.")
    for failure in failures:
        typer.echo(f"fails: {report.settings.file('figures')}, row {failure.source_row}: "
                   f"{failure.describe()}", err=True)
    history_failures = echo_history(report.history)
    findings = check_commentary(report.settings.file("commentary"), report.figures, report.statement,
                                report.settings)
    counts = {status: sum(f.status is status for f in findings) for status in CheckStatus}
    typer.echo(f"commentary: {len(findings)} amounts: {counts[CheckStatus.TIES]} agree with the figures, "
               f"{counts[CheckStatus.NOT_CHECKED]} not checked, {counts[CheckStatus.FAILS]} disagree.")
    # The check reads English (reporter/inputs/phrasebook.py): a translation's amounts are not checked,
    # and validate says so rather than pass them silently.
    for language in report.languages[1:]:
        translated = commentary_file(report.settings.file("commentary"), language.code, False)
        typer.echo(f"not checked: {translated}: the commentary check reads English only; "
                   f"check the amounts of this translation against {report.settings.file('commentary')} by hand")
    for finding in findings:
        if finding.status is CheckStatus.NOT_CHECKED:
            typer.echo(f"not checked: {finding.file}:{finding.line}: {finding.describe()}")
        elif finding.status is CheckStatus.FAILS:
            typer.echo(f"fails: {finding.file}:{finding.line}: {finding.describe()}", err=True)
    placeholders = find_placeholders(report.settings.file("commentary"))
    if placeholders:
        typer.echo(f"placeholders: {len(placeholders)} TODO left in {report.settings.file('commentary')} "
                   f"(first on line {placeholders[0][0]}); build refuses them without --draft")
    if failures or history_failures or counts[CheckStatus.FAILS]:
        raise typer.Exit(code=1)


def echo_history(findings) -> int:
    """Say what comparing with the earlier reports of `history:` found; return the failures."""
    from reporter.data.history import HistoryStatus

    if not findings:
        return 0
    figures = [f for f in findings if f.status is not HistoryStatus.NOTE]
    counts = {status: sum(f.status is status for f in figures) for status in HistoryStatus}
    typer.echo(f"history: {len(figures)} comparisons with earlier reports: {counts[HistoryStatus.AGREES]} agree, "
               f"{counts[HistoryStatus.RESTATED]} restated, {counts[HistoryStatus.FAILS]} disagree.")
    for finding in findings:
        if finding.status is not HistoryStatus.AGREES:
            typer.echo(f"{finding.status.value}: {finding.message}", err=finding.status is HistoryStatus.FAILS)
    return counts[HistoryStatus.FAILS]


@command(app)
def preview(
    report_dir: ReportDir = None,
    template: TemplateName = None,
    theme: ThemeDirs = None,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", metavar="DIR",
                                                   help="Output folder. Default: output/")] = None,
) -> None:
    """Rebuild the HTML and PDF on every change to the report folder or the theme."""
    from reporter.cli.preview import preview as run_preview

    with user_errors():
        theme_dir = one_theme([template] if template else None, theme)
    gc.freeze()  # as in build: the libraries' objects stay for the whole session
    with user_errors():
        folder = report_folder(report_dir)
    try:
        run_preview(folder, template=template or DEFAULT_TEMPLATE, theme_dir=theme_dir,
                    output=output, echo=typer.echo)
    except KeyboardInterrupt:
        typer.echo("stopped")


@command(app)
def ingest(
    table: Annotated[Path, typer.Argument(exists=True, dir_okay=False, resolve_path=True,
                                          help="The release or table: .md/.txt/.tsv, .html, .pdf, .csv or .xlsx.")],
    out: Annotated[Path, typer.Option("--out", metavar="DIR", help="Report folder to create.")],
    company_name: Annotated[str, typer.Option(metavar="TEXT", help="Legal name of the company.")] = "Company name",
    short_name: Annotated[Optional[str], typer.Option(metavar="TEXT", help="Name used in running text.")] = None,
    ticker: Annotated[Optional[str], typer.Option(metavar="TEXT", help="Ticker symbol, e.g. AII.")] = None,
    exchange: Annotated[Optional[str], typer.Option(metavar="TEXT", help="Exchange code, e.g. TSXV.")] = None,
    fiscal_year_end: Annotated[Optional[str], typer.Option(metavar="MM-DD", help="Last day of the fiscal year, MM-DD. Default: from the year-to-date columns, else 12-31.")] = None,
    subject: Annotated[Optional[str], typer.Option(metavar="TEXT", help="What the figures are about (a mine, a segment).")] = None,
    table_number: Annotated[Optional[int], typer.Option("--table", metavar="N", min=1, help="Which table, when the release has several (ingest lists them).")] = None,
    periods: Annotated[Optional[str], typer.Option(metavar="SPEC", help="The columns' periods when the header cannot be read: 3M:2015-06-30,3M:2014-06-30R,...")] = None,
    sheet: Annotated[Optional[str], typer.Option(metavar="NAME", help="Sheet of an .xlsx workbook (default: the first).")] = None,
    currency: Annotated[Optional[str], typer.Option(metavar="CODE", help="Currency code, when the header gives none.")] = None,
    scale: Annotated[Optional[str], typer.Option(metavar="[units|thousands|millions]", help="units, thousands or millions, when the header gives none.")] = None,
    like: Annotated[Optional[Path], typer.Option("--like", metavar="PREV_DIR", exists=True, file_okay=False, resolve_path=True, help="Last quarter's report folder: carry forward everything but the figures.")] = None,
) -> None:
    """Turn a published release (or its summary table) into a report folder to check, validate and build."""
    from reporter.ingest import IngestOptions, ingest_table

    options = IngestOptions(company_name=company_name, short_name=short_name, ticker=ticker,
                            exchange=exchange, fiscal_year_end=fiscal_year_end, sheet=sheet,
                            currency=currency, scale=scale, subject=subject, table=table_number,
                            periods=periods)
    with user_errors():
        if like is not None:
            from reporter.ingest.carry import ingest_like

            found = ingest_like(table, like, out, options)
        else:
            found = ingest_table(table, out, options)
    for line in found.summary_lines():
        typer.echo(line)


@command(templates_app, "list")
def templates_list(report_dir: ReportDir = None) -> None:
    """List the templates a build can use, with where each comes from."""
    from rich.console import Console
    from rich.table import Table

    from reporter.theme.resolve import BASE_THEME, available_themes

    with user_errors():
        themes = [t for t in available_themes(report_dir and report_folder(report_dir)) if t.name != BASE_THEME]
    table = Table(show_lines=False)
    for heading in ("Template", "Description", "From"):
        table.add_column(heading)
    for theme in themes:
        table.add_row(theme.name, theme.description, f"{theme.source}: {theme.folder}")
    Console(width=200).print(table)


@command(templates_app, "init")
def templates_init(
    name: Annotated[str, typer.Argument(help="Name of the new theme (a folder of that name is created).")],
    source: Annotated[str, typer.Option("--from", metavar="TEMPLATE", help="Built-in template to start from.")] = DEFAULT_TEMPLATE,
    into: Annotated[Path, typer.Option("--into", file_okay=False, metavar="DIR", help="Where to create the folder.")] = Path("."),
) -> None:
    """Write an editable theme folder: every setting explained, every block overridable."""
    from reporter.theme.scaffold import init_theme

    with user_errors():
        folder = init_theme(name, source, into)
    typer.echo(f"wrote {folder}")
    typer.echo(f"edit {folder / 'theme.yaml'} and {folder / 'report.html'}, then: "
               f"reporter build --theme {folder}")


@command(templates_app, "messages")
def templates_messages(
    theme_name: Annotated[str, typer.Argument(metavar="THEME", help="Template name, or a theme folder.")],
    output: Annotated[Optional[Path], typer.Option(
        "--output", "-o", help="File to write. Default: messages.pot in the current folder.")] = None,
    report_dir: Annotated[Optional[Path], typer.Option(
        "--report", exists=True, file_okay=False, resolve_path=True,
        help="Report folder whose templates/ holds the theme.")] = None,
) -> None:
    """Write the catalog template (.pot) of every string a theme's templates translate."""
    from reporter.theme.messages import write_template
    from reporter.theme.resolve import find_theme, load_theme

    with user_errors():
        folder = Path(theme_name)
        theme = (load_theme(folder.resolve(), "theme folder", report_dir) if (folder / "theme.yaml").is_file()
                 else find_theme(theme_name, report_dir=report_dir))
        target = output or Path("messages.pot")
        count = write_template(theme, target)
    typer.echo(f"wrote {target}: {count} messages of {theme.name} and its parents")
    typer.echo(f"translate: pybabel init -i {target} -d THEME_DIR/locale -l fr  (then edit the .po)")


@command(templates_app, "context")
def templates_context() -> None:
    """Print every variable templates can use, with what it holds, and the formatting filters."""
    from reporter.context import CONTEXT_DOCS
    from reporter.theme.filters import filters_text

    width = max(len(key) for key in CONTEXT_DOCS)
    for key, text in CONTEXT_DOCS.items():
        typer.echo(f"{key.ljust(width)}  {text}")
    typer.echo("")
    for line in filters_text():
        typer.echo(line)


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
