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
from typer.core import TyperCommand, TyperGroup

from reporter import __version__
from reporter.cli.terminal import echo, terminal_console
from reporter.errors import ReporterError


def unset_help_reads_false(option):
    """An unused --help flag reads False, not None: typer coerces a None through pydantic."""
    if option is not None and option.default is None:
        option.default = False
    return option


class LeanGroup(TyperGroup):
    """A command group whose unused --help flag reads False instead of None.

    Typer coerces every parameter value that is not already a bool through a pydantic
    TypeAdapter, and an unset help flag is None: so `reporter build --help` imported pydantic
    (70 ms of 150) just to read the group's own --help. A bool skips that.
    """

    def get_help_option(self, ctx):
        return unset_help_reads_false(super().get_help_option(ctx))

    def parse_args(self, ctx, args):
        """With no arguments, print the help on stdout and exit 0, as `git` and `mkdocs` do."""
        if not args and not ctx.resilient_parsing:
            typer.echo(ctx.get_help())
            ctx.exit(0)
        return super().parse_args(ctx, args)

    def _main_shell_completion(self, ctx_args, prog_name, complete_var=None):
        """Answer the shell's completion request (see `reporter completion`), and only then load it.

        Typer registers its completion classes only when it adds --install-completion to every
        command, which costs each start-up the import of its installer; here they load only when
        the shell asks.
        """
        variable = complete_var or f"_{prog_name}_COMPLETE".replace("-", "_").upper()
        if os.environ.get(variable):
            from typer._completion_classes import completion_init

            completion_init()
        return super()._main_shell_completion(ctx_args, prog_name, complete_var)


class LeanCommand(TyperCommand):
    """A command whose values are coerced without pydantic (reporter.cli.coercion), its unused
    --help flag included (False, as LeanGroup's)."""

    def get_help_option(self, ctx):
        return unset_help_reads_false(super().get_help_option(ctx))

    def parse_args(self, ctx, args):
        from reporter.cli.coercion import lean_command

        lean_command(self)
        return super().parse_args(ctx, args)


HELP_OPTIONS = {"help_option_names": ["-h", "--help"]}
app = typer.Typer(cls=LeanGroup, no_args_is_help=False, add_completion=False, pretty_exceptions_enable=False,
                  context_settings=HELP_OPTIONS,
                  rich_markup_mode=None,  # plain help: rich costs ~100 ms at start-up
                  help="Turn quarterly financials and commentary into branded investor PDFs.")
templates_app = typer.Typer(cls=LeanGroup, add_completion=False, rich_markup_mode=None, context_settings=HELP_OPTIONS, help="List, inspect and create templates (themes).")
app.add_typer(templates_app, name="templates")

ReportDir = Annotated[Optional[Path], typer.Argument(
    resolve_path=True,  # checked by report_folder(): one line, not a usage message
    help="Report folder (report.yaml, statement.yaml, figures.csv, commentary.md). "
         "Default: the folder you are in, or the nearest one above it with report.yaml; "
         "outside any, the embedded Los Santos example.")]
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
        return typer_app.command(name, short_help=summary, cls=LeanCommand)(function)
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
def imports_uncollected() -> Iterator[None]:
    """Import with the collector off, then freeze what was imported: the libraries' objects live
    until exit, and collections while importing pandas and WeasyPrint (about 300 of them) walked
    them again and again: 0.05-0.1 s of CPU of a one-shot build."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


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
        echo(str(error), err=True)
        raise typer.Exit(code=1) from None
    except Interrupted as interrupted:
        echo(interrupted.message, err=True)
        raise typer.Exit(code=interrupted.exit_code) from None


def report_folder(report_dir: Path | None) -> Path:
    """Return the report folder given, else the one the user stands in (see current_report_folder).

    A missing folder given by name is a user error.
    """
    if report_dir is None:
        return current_report_folder()[0]
    if not report_dir.is_dir():
        raise ReporterError("no such report folder" if not report_dir.exists() else
                            "not a folder; give the report folder (report.yaml, figures.csv, ...)",
                            file=report_dir)
    return report_dir


def current_report_folder() -> tuple[Path, str | None]:
    """Return the report folder the user stands in, else the embedded example and the line saying so.

    The current directory or its nearest parent with report.yaml is the report folder, as git
    finds its repository. The note is printed once the command has done its work, so that a
    mistake stays the one line on stderr.
    """
    from reporter.inputs.discover import example_note, find_report_folder

    found = find_report_folder(Path.cwd())
    if found is not None:
        return found, None
    from reporter.data.report import default_report_dir

    return default_report_dir(), example_note(Path.cwd())


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
             "Default: the folder you are in, or the nearest one above it with report.yaml; outside "
             "any, the embedded Los Santos example. Several folders make a production run.")] = None,
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
        from reporter.inputs.settings import PDF_VARIANTS
        from reporter.build.outputs import OutputFormat, names_a_file
        from reporter.build.plan import one_folder_plan

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
        if report_dirs:
            folders, note = [report_folder(d) for d in report_dirs], None
        else:
            current, note = current_report_folder()
            folders = [current]
        folders = [f.resolve() for f in folders]
        if len(folders) > 1 or jobs is not None or force or against is not None:
            if names_a_file(output):
                raise ReporterError("a production run needs an output folder (-o DIR), not a file name")
            if draft:
                raise ReporterError("--draft builds one report folder; a production run builds finished documents")
            from reporter.cli.progress import production_run
            code = production_run(folders, template or [DEFAULT_TEMPLATE], theme_dir, output,
                                  output_format.value, pdf_variant, jobs, force, against, lang)
            if note:
                typer.echo(note, err=True)
            raise typer.Exit(code=code)
        # A one-shot build is a production run's per-document path in this process (no workers,
        # no manifest); only now WeasyPrint: a production run renders in its workers.
        from reporter.data.validation import rounding_lines
        from reporter.data.report import load_report
        from reporter.production.run import RunOptions, one_shot

        with imports_uncollected():
            import reporter.build.document  # noqa: F401  (pandas, WeasyPrint)
        documents = one_folder_plan(folders[0], template or [DEFAULT_TEMPLATE], lang, output)
        options = RunOptions(outdir=output or Path("output"), theme_dir=theme_dir,
                             output_format=output_format.value, pdf_variant=pdf_variant, lang=lang, draft=draft)
        # Loaded once in every language the plan writes: each document, and the rounding lines, reuse it.
        report = load_report(folders[0], [d.language for d in documents if d.language])
        for written in one_shot(documents, options, report):
            echo(str(written))
        # Rounding differences, as validate says them: for the preparer, on stderr beside the paths.
        for line in rounding_lines(report):
            echo(line, err=True)
        if note:
            typer.echo(note, err=True)


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
        result = diff_pdfs(old, new, image_folder=output)  # each changed page written as it is found
    for line in result.describe():
        echo(line)
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
def validate(
    report_dir: ReportDir = None,
    json_output: Annotated[bool, typer.Option(
        "--json", help="Print what was found as JSON (tie-outs, commentary findings, placeholders) for CI.")] = False,
) -> None:
    """Check the subtotals and the commentary's figures; exit non-zero on a failure."""
    from reporter.cli.validation import print_validation
    from reporter.data.report import load_report
    from reporter.data.validation import to_jsonable, validate_report

    with user_errors():
        folder, note = (report_folder(report_dir), None) if report_dir else current_report_folder()
        found = validate_report(load_report(folder))
    if json_output:
        import json

        typer.echo(json.dumps(to_jsonable(found), indent=2, ensure_ascii=False))
    else:
        print_validation(found, echo)  # control characters escaped
    if note:
        typer.echo(note, err=True)
    if found.failed:
        raise typer.Exit(code=1)


@command(app)
def preview(
    report_dir: ReportDir = None,
    template: TemplateName = None,
    theme: ThemeDirs = None,
    lang: Annotated[Optional[str], typer.Option("--lang", metavar="LOCALE",
                                                help="The report's language to show, e.g. fr_CA.")] = None,
    draft: Annotated[bool, typer.Option("--draft", help="Show it although TODO placeholders are left.")] = False,
    port: Annotated[int, typer.Option("--port", min=0, max=65535, metavar="N",
                                      help="Port of the live page on 127.0.0.1. Default: 8000; 0 takes a free one.")] = 8000,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", metavar="DIR",
                                                   help="Output folder. Default: output/")] = None,
) -> None:
    """Show the document live in the browser; rebuild it on every change to the report folder or the theme."""
    from reporter.cli.live import LiveDocument, serve
    from reporter.cli.preview import preview as run_preview

    with user_errors():
        theme_dir = one_theme([template] if template else None, theme)
    gc.freeze()  # as in build: the libraries' objects stay for the whole session
    with user_errors():
        folder, note = (report_folder(report_dir), None) if report_dir else current_report_folder()
    if note:
        typer.echo(note, err=True)
    live = LiveDocument()
    try:
        server = serve(live, port)
    except OSError as error:
        typer.echo(f"preview: cannot listen on 127.0.0.1:{port} ({error.strerror}); choose another with --port",
                   err=True)
        raise typer.Exit(code=1) from None
    typer.echo(f"preview: http://127.0.0.1:{server.server_address[1]}/ (the PDF's pages, live)")
    try:
        run_preview(folder, template=template or DEFAULT_TEMPLATE, theme_dir=theme_dir,
                    output=output, echo=typer.echo, language=lang, draft=draft, live=live)
    except KeyboardInterrupt:
        typer.echo("stopped")
    finally:
        server.shutdown()


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

            lines = ingest_like(table, like, out, options).summary_lines()
        else:
            lines = ingest_table(table, out, options).summary_lines()
    for line in lines:
        echo(line)


@command(app)
def new(
    folder: Annotated[Path, typer.Argument(metavar="DIR", help="The report folder to create (new, or empty).")],
    example: Annotated[bool, typer.Option(
        "--example", help="Copy the Los Santos example, a finished report, instead of the skeleton.")] = False,
) -> None:
    """Start a report folder: a commented skeleton that validates and builds as a draft."""
    from reporter.ingest.new import new_report

    with user_errors():
        lines = new_report(folder, example=example)
    for line in lines:
        typer.echo(line)


@command(templates_app, "list")
def templates_list(report_dir: ReportDir = None) -> None:
    """List the templates a build can use, with where each comes from."""
    from rich.table import Table

    from reporter.theme.resolve import BASE_THEME, available_themes

    with user_errors():
        from reporter.inputs.discover import find_report_folder

        folder = report_folder(report_dir) if report_dir else find_report_folder(Path.cwd())
        themes = [t for t in available_themes(folder) if t.name != BASE_THEME]
    table = Table(show_lines=False)
    for heading in ("Template", "Description", "From"):
        table.add_column(heading)
    for theme in themes:
        table.add_row(theme.name, theme.description, f"{theme.source}: {theme.folder}")
    terminal_console().print(table)


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
        help="Report folder whose templates/ holds the theme. Default: the one you are in.")] = None,
) -> None:
    """Write the catalog template (.pot) of every string a theme's templates translate."""
    from reporter.theme.messages import write_template
    from reporter.theme.resolve import find_theme, load_theme

    with user_errors():
        if report_dir is None:  # the report folder you are in, if any, holds themes too
            from reporter.inputs.discover import find_report_folder

            report_dir = find_report_folder(Path.cwd())
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


SHELLS = ("bash", "zsh", "fish", "powershell")


@command(app)
def completion(
    shell: Annotated[str, typer.Argument(metavar="[bash|zsh|fish|powershell]", help="Your shell.")],
) -> None:
    """Print the script that lets your shell complete reporter's commands and options.

    Bash: add  eval "$(reporter completion bash)"  to ~/.bashrc. Zsh: the same with zsh, in
    ~/.zshrc. Fish: reporter completion fish > ~/.config/fish/completions/reporter.fish
    """
    from typer._completion_shared import get_completion_script

    if shell not in SHELLS:
        typer.echo(f"error: no completion for {shell!r}; give one of {', '.join(SHELLS)}", err=True)
        raise typer.Exit(code=1)
    typer.echo(get_completion_script(prog_name="reporter", complete_var="_REPORTER_COMPLETE", shell=shell))


def run() -> None:
    """Console entry point: run the app, flush, and leave without tearing the interpreter down.

    Freeing pandas, numpy and WeasyPrint module by module at exit costs ~0.2 s of a one-shot
    build and does nothing for the user: every output is written and closed (atomically) before
    a command returns. Tests call `app` itself, never this.
    """
    import signal

    from reporter.render.interrupt import Interrupted
    from reporter.render.tempdir import remove_private_tempdir, use_private_tempdir

    # numpy's OpenBLAS starts a thread per core when pandas is imported, for linear algebra no
    # command does: 0.05 s of CPU on every build. The user's own setting wins.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    # Signals wait until the handlers are in place and the folder is made whole and known. A
    # SIGTERM before a command has its own handler (reporter.render.interrupt), or after, still
    # ends in the clean-up below instead of leaving the temporary folder behind.
    stops = {signal.SIGINT, signal.SIGTERM}
    signal.pthread_sigmask(signal.SIG_BLOCK, stops)
    from reporter.cli import _stopped_while_starting

    if signal.getsignal(signal.SIGTERM) is not signal.SIG_IGN:  # ignored by who started us: stays so
        signal.signal(signal.SIGTERM, _terminated)
    if signal.getsignal(signal.SIGINT) is _stopped_while_starting:  # starting is done
        signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        use_private_tempdir()  # os._exit skips WeasyPrint's own clean-up of its font folders
        signal.pthread_sigmask(signal.SIG_UNBLOCK, stops)  # one that came meanwhile is raised here
        app()
        code = 0
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
        if isinstance(exit_.code, str):
            print(exit_.code, file=sys.stderr)
    except KeyboardInterrupt as interrupted:  # Ctrl-C or SIGTERM outside a command's own handling
        code = interrupted.exit_code if isinstance(interrupted, Interrupted) else 130
        print("interrupted: nothing written", file=sys.stderr)
    finally:
        # No signal may cut the clean-up short; os._exit follows, and drops what is pending.
        signal.pthread_sigmask(signal.SIG_BLOCK, stops)
        remove_private_tempdir()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def _terminated(signum: int, frame) -> None:
    """SIGTERM outside a command's own handling (options, exit): nothing is being written."""
    print("interrupted: nothing written", file=sys.stderr)
    raise SystemExit(128 + signum)  # not a KeyboardInterrupt: Typer would turn that into 130


if __name__ == "__main__":  # pragma: no cover
    run()
