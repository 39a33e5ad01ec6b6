"""What a production run shows: a progress bar on a terminal, one line per document otherwise."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import typer

from reporter.cli.terminal import echo, printable
from reporter.production.run import Outcome, RunOptions, default_jobs, run, summary


def describe(outcome: Outcome) -> str:
    """One line for a document: what happened, where, and how it compares with the approved copy."""
    if outcome.status == "failed":
        return outcome.message
    pages = f", {outcome.entry.pages} pages" if outcome.entry and outcome.entry.pages else ""
    timing = f", {outcome.seconds:.1f} s" if outcome.status == "built" else ""
    line = f"{outcome.status:9} {outcome.output}{pages}{timing}"
    if outcome.changes:
        where = f" (see {outcome.diff_dir})" if outcome.diff_dir else ""
        line += f"\n          differs from the approved copy{where}:\n" + "\n".join(
            f"            {change}" for change in outcome.changes)
    return line


def production_run(folders: list[Path], templates: list[str], theme: Path | None, output: Path | None,
                   output_format: str, pdf_variant: str | None, jobs: int | None, force: bool,
                   against: Path | None, lang: str | None = None) -> int:
    """Run the matrix, report each document, print the summary; return the exit status."""
    options = RunOptions(outdir=output or Path("output"), theme_dir=theme, output_format=output_format,
                         pdf_variant=pdf_variant, force=force, jobs=jobs or default_jobs(), against=against,
                         lang=lang)
    started = time.perf_counter()
    if sys.stdout.isatty():
        outcomes = _with_progress_bar(folders, templates, options)
    else:
        outcomes = run(folders, templates, options, _print_line, notes=lambda line: echo(line, err=True))
    typer.echo(summary(outcomes, time.perf_counter() - started))
    return 1 if any(o.status == "failed" for o in outcomes) else 0


def _print_line(outcome: Outcome) -> None:
    echo(describe(outcome), err=outcome.status == "failed")


def _with_progress_bar(folders, templates, options) -> list[Outcome]:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    errors = Console(stderr=True)
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), transient=True) as progress:
        task = progress.add_task("building", total=None)

        def say(console: Console, text: str) -> None:  # the user's text, above the bar, as it is
            console.print(printable(text), markup=False, highlight=False, soft_wrap=True)

        def report(outcome: Outcome) -> None:
            if outcome.status == "failed":
                say(errors, outcome.message)
            elif outcome.status == "built" or outcome.changes:  # every path written
                say(progress.console, describe(outcome))
            progress.advance(task)

        return run(folders, templates, options, report,
                   planned=lambda total: progress.update(task, total=total),
                   notes=lambda line: say(errors, line))  # for the preparer, on stderr
