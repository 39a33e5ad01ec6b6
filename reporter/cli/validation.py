"""How `reporter validate` shows its results: the tie-out table, then one line per finding.

Takes a `Validation` (reporter.data.validation.validate_report); prints it, failures on stderr.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from reporter.cli.terminal import terminal_console
from reporter.data.validation import Validation, rounding_lines

Echo = Callable[..., None]  # typer.echo: (text, err=False)


def print_validation(result: Validation, echo: Echo) -> None:
    """Print the tie-out table, the counts, and every failure, unchecked amount and placeholder."""
    from rich.table import Table

    from reporter.data.factcheck import CheckStatus
    from reporter.data.validate import TieOutStatus, tolerance_summary

    settings = result.report.settings
    table = Table(title=f"Tie-outs: {settings.subject}, {settings.calendar.label(settings.period)}")
    for heading in ("Subtotal", "Period", "Lines give", "Published", "Difference", "Result"):
        table.add_column(heading, justify="right" if heading in ("Lines give", "Published", "Difference") else "left")
    styles = {TieOutStatus.TIES: "green", TieOutStatus.ROUNDING: "yellow", TieOutStatus.FAILS: "bold red"}
    for row in result.tie_outs:
        table.add_row(row.label, row.period_phrase, f"{row.computed:,f}", f"{row.published:,f}",
                      f"{row.difference:+,f}", f"[{styles[row.status]}]{row.status.value}[/]")
    terminal_console().print(table)
    failures = [r for r in result.tie_outs if r.status is TieOutStatus.FAILS]
    rounding = [r for r in result.tie_outs if r.status is TieOutStatus.ROUNDING]
    echo(f"{len(result.tie_outs)} checks: {len(result.tie_outs) - len(failures) - len(rounding)} tie, "
         f"{len(rounding)} within rounding (tolerance {tolerance_summary(result.tie_outs)}), "
         f"{len(failures)} fail.")
    for line in rounding_lines(result.report):
        echo(line)
    for failure in failures:
        echo(f"fails: {settings.file('figures')}, row {failure.source_row}: {failure.describe()}", err=True)
    echo_history(result.report.history, echo)
    wrong_changes = [change for change in result.changes if change.fails]
    if result.changes:
        echo(f"published changes: {len(result.changes)} checked, {len(wrong_changes)} differ from "
             "the figures beyond their printed places.")
    for change in wrong_changes:
        echo(f"fails: {settings.file('statement')}: {change.describe()}", err=True)
    findings = result.findings
    counts = {status: sum(f.status is status for f in findings) for status in CheckStatus}
    echo(f"commentary: {len(findings)} amounts: {counts[CheckStatus.TIES]} agree with the figures, "
         f"{counts[CheckStatus.NOT_CHECKED]} not checked, {counts[CheckStatus.FAILS]} disagree.")
    # A translation is checked in its own words when the check reads its language
    # (`reading` in its file, reporter/inputs/languages/<code>.yaml); otherwise validate says it is not, never passes it.
    for language, _, found in result.translations:
        more = {status: sum(f.status is status for f in found) for status in CheckStatus}
        echo(f"commentary ({language.tag}): {len(found)} amounts: {more[CheckStatus.TIES]} agree with the figures, "
             f"{more[CheckStatus.NOT_CHECKED]} not checked, {more[CheckStatus.FAILS]} disagree.")
    for translated in result.unchecked:
        echo(f"not checked: {translated.path}: the commentary check does not read this language; "
             f"check the amounts of this translation against {result.report.commentary.path} by hand")
    # Every amount is listed, so nothing the check could not place passes unseen.
    for finding in result.commentary:
        if finding.status is CheckStatus.TIES:
            echo(f"agrees: {finding.file}:{finding.line}: {finding.describe()}")
        elif finding.status is CheckStatus.NOT_CHECKED:
            echo(f"not checked: {finding.file}:{finding.line}: {finding.describe()}")
        elif finding.status is CheckStatus.FAILS:
            echo(f"fails: {finding.file}:{finding.line}: {finding.describe()}", err=True)
    by_file: dict[Path, list] = {}
    for placeholder in result.placeholders:
        by_file.setdefault(placeholder.file, []).append(placeholder)
    for file, found in by_file.items():
        echo(f"placeholders: {len(found)} TODO left in {file} "
             f"(first on line {found[0].line}); build refuses them without --draft")


def echo_history(findings, echo: Echo) -> None:
    """Say what comparing with the earlier reports of `history:` found (reporter.data.history)."""
    from reporter.data.history import HistoryStatus

    if not findings:
        return
    figures = [f for f in findings if f.status is not HistoryStatus.NOTE]
    counts = {status: sum(f.status is status for f in figures) for status in HistoryStatus}
    echo(f"history: {len(figures)} comparisons with earlier reports: {counts[HistoryStatus.AGREES]} agree, "
         f"{counts[HistoryStatus.RESTATED]} restated, {counts[HistoryStatus.FAILS]} disagree.")
    for finding in findings:
        if finding.status is not HistoryStatus.AGREES:
            echo(f"{finding.status.value}: {finding.message}", err=finding.status is HistoryStatus.FAILS)
