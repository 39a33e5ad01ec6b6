"""Quarters connect: check a report against the earlier reports it names in `history:`.

A team publishes the same statement every quarter, and the errors that matter hide between
quarters: a comparative column that no longer matches what was published a year ago (an
unannounced restatement), a year to date that is not the previous year to date plus this
quarter, a line dropped or renamed. report.yaml's `history:` lists earlier report folders
(relative to the report folder); `check_history` compares this report with them:

- every column of this report that an earlier report also published must print the same
  figure within the printed precision of both, unless the column is marked restated, in which
  case each difference is listed ("restated; previously published 1,147");
- the year to date must equal the previous quarter's year to date plus this quarter, line by
  line, within the tie-out tolerance (lines that add up: money, not per-share figures);
- a line of the latest earlier report missing now, or renamed, is listed.

A comparative or year-to-date failure stops validate and build like a tie-out, in one line that
names both folders, the line, the period and the two figures. Earlier folders are read with
the same loaders and limits as the report itself, and only folders beside it (under its parent
folder) may be named: a report handed over cannot make reporter read anything else.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, replace
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Iterable

import pandas as pd

from reporter.errors import DataError, StatementError
from reporter.inputs.periods import Period
from reporter.inputs.settings import ReportSettings
from reporter.inputs.statement import Statement

# Labels of lines that do not add up over periods: per-share figures, prices, margins, averages.
NOT_ADDITIVE = re.compile(r"\bper\b|/|%|\bprice|\bmargin|\baverage|\bratio\b|\brate\b|\bweighted\b")


class HistoryStatus(str, Enum):
    AGREES = "agrees"
    RESTATED = "restated"  # differs from what was published, in a column marked restated
    FAILS = "fails"
    NOTE = "note"  # a line dropped, renamed or added; nothing a figure can decide


@dataclass(frozen=True)
class EarlierReport:
    """An earlier report folder: its settings, statement and figures as published."""

    folder: Path
    settings: ReportSettings
    statement: Statement
    figures: pd.DataFrame

    @property
    def name(self) -> str:
        return self.folder.name


@dataclass(frozen=True)
class HistoryFinding:
    """One comparison with an earlier report, or one note about its lines."""

    kind: str  # "comparative", "year_to_date" or "lines"
    status: HistoryStatus
    line_id: str
    message: str
    source_row: int | None = None  # row of this report's figures.csv, where a figure is at stake
    period_key: str | None = None
    previously: Decimal | None = None  # the earlier published figure, in units of this report's scale


def load_history(settings: ReportSettings) -> tuple[EarlierReport, ...]:
    """Read the earlier reports of `history:`, oldest first (their own history is not followed)."""
    from reporter.data.load import load_figures
    from reporter.data.normalize import normalize
    from reporter.inputs.settings import load_settings
    from reporter.inputs.statement import load_statement

    earlier = []
    for folder in settings.history:
        their = load_settings(folder)
        # A history is the same issuer's: a folder handed over cannot pull another company's
        # figures (an unreleased report beside it, say) into its pages.
        if their.company.name != settings.company.name:
            raise DataError(f"history: {folder.name} is a report of {their.company.name}, not of "
                            f"{settings.company.name}", file=settings.file("settings"))
        # Read with this report's limits: a folder handed over cannot raise those it is read with.
        their = replace(their, limits=settings.limits)
        statement = load_statement(their.file("statement"))
        figures = normalize(load_figures(their.file("figures"), settings.limits), statement, their)
        earlier.append(EarlierReport(folder, their, statement, figures))
    return tuple(sorted(earlier, key=lambda report: (report.settings.period.end, report.settings.period.months)))


def printed_unit(figures: pd.DataFrame) -> Decimal:
    """One unit of the last printed digit, in currency units: 1,000 for whole thousands."""
    decimals = int(figures["decimals"].iloc[0]) if len(figures) else 0
    scale = int(figures["scale"].iloc[0]) if len(figures) else 1
    return Decimal(scale).scaleb(-decimals)


def as_printed(figures: pd.DataFrame) -> dict[tuple[str, Period], tuple[Decimal, int]]:
    """Map (line id, period) to (the figure as printed, in currency units, published sign; its row)."""
    return {(row.line_id, row.period): (row.shown * row.scale, row.source_row)
            for row in figures.itertuples(index=False)}


def additive(statement: Statement, line_id: str) -> bool:
    """Say whether a line adds up over periods: money does, per-share figures and prices do not."""
    line = statement.line(line_id)
    unit = getattr(line, "unit", None)
    kind = getattr(unit, "kind", unit)
    # statement.yaml gives lines no unit: the label says what a line is ("per share", "$/oz",
    # "margin %", "average realized price"). Those are ratios of a period, not sums over it.
    return kind in (None, "money", "count", "quantity") and not NOT_ADDITIVE.search(line.label.casefold())


def quarter_before(end: dt.date, months: int = 3) -> dt.date:
    """The last day of the month `months` (three) months before `end`'s month."""
    index = end.year * 12 + end.month - 1 - months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, calendar.monthrange(year, month + 1)[1])


def latest_published(period: Period, earlier: Iterable[EarlierReport],
                     within_days: int = 0) -> tuple[EarlierReport, Period] | None:
    """Find the latest earlier report that printed a period, and its column (restated one first).

    `within_days` also takes a column of the same length ending that close to the period's end
    (a 52-53 week year's quarters end on a weekday, not on the last day of a month).
    """
    for report in sorted(earlier, key=lambda r: r.settings.period.end, reverse=True):
        columns = {p for p in report.figures["period"]}
        same = [p for p in columns if abs((p.end - period.end).days) <= within_days and p.months == period.months]
        same.sort(key=lambda p: abs((p.end - period.end).days))
        if same:
            return report, next((p for p in same if p.restated), same[0])
    return None


def check_history(figures: pd.DataFrame, statement: Statement, settings: ReportSettings,
                  earlier: tuple[EarlierReport, ...]) -> list[HistoryFinding]:
    """Compare a report with its earlier reports: comparatives, year to date, lines."""
    if not earlier:
        return []
    # Figures in another currency cannot be compared digit for digit: say so, never pass silently.
    other = [report for report in earlier if report.settings.currency != settings.currency]
    notes = [HistoryFinding("comparative", HistoryStatus.NOTE, "",
                            f"not compared: {report.name} reports in {report.settings.currency}, "
                            f"this report in {settings.currency}") for report in other]
    same = tuple(report for report in earlier if report not in other)
    if not same:
        return notes
    compared = comparatives(figures, settings, same) + years_to_date(figures, statement, settings, same)
    if not compared:  # a history that checks nothing is said to, never passes silently
        notes.append(HistoryFinding("comparative", HistoryStatus.NOTE, "",
                                    f"nothing compared: no earlier report of history: ({', '.join(r.name for r in same)}) "
                                    f"published a period of this report or the year to date before its quarter"))
    return notes + compared + line_notes(statement, same[-1])


def _describe(line_label: str, line_id: str, period: Period) -> str:
    return f"{line_label} ({line_id}), {period.phrase()}"


def _figure(value: Decimal, scale: int) -> str:
    return f"{value / scale:,f}"


def comparatives(figures: pd.DataFrame, settings: ReportSettings,
                 earlier: tuple[EarlierReport, ...]) -> list[HistoryFinding]:
    """Check every column an earlier report also published against what it published."""
    mine = as_printed(figures)
    labels = dict(zip(figures["line_id"], figures["label"]))
    scale = settings.scale
    unit = printed_unit(figures)
    findings = []
    for period in sorted({key[1] for key in mine}, key=lambda p: (p.end, p.months, p.restated)):
        found = latest_published(period, earlier)
        if found is None:
            continue
        report, their_period = found
        theirs = as_printed(report.figures)
        # Both figures are rounded from one true figure: they differ by at most half a unit of each.
        tolerance = Decimal(0) if printed_unit(report.figures) == unit else (unit + printed_unit(report.figures)) / 2
        for (line_id, column), (value, row) in mine.items():
            if column != period or (line_id, their_period) not in theirs:
                continue
            previous = theirs[line_id, their_period][0]
            what = _describe(labels[line_id], line_id, period)
            if abs(value - previous) <= tolerance:
                findings.append(HistoryFinding("comparative", HistoryStatus.AGREES, line_id,
                                               f"{what}: agrees with {report.name}", row, period.key, previous / scale))
            elif period.restated:
                findings.append(HistoryFinding(
                    "comparative", HistoryStatus.RESTATED, line_id,
                    f"{what}: restated; previously published {_figure(previous, scale)} in {report.name}, "
                    f"now {_figure(value, scale)}", row, period.key, previous / scale))
            else:
                findings.append(HistoryFinding(
                    "comparative", HistoryStatus.FAILS, line_id,
                    f"{what}: {settings.folder.name} prints {_figure(value, scale)}, {report.name} published "
                    f"{_figure(previous, scale)} (a restatement? mark the column restated in figures.csv)",
                    row, period.key, previous / scale))
    return findings


def years_to_date(figures: pd.DataFrame, statement: Statement, settings: ReportSettings,
                  earlier: tuple[EarlierReport, ...]) -> list[HistoryFinding]:
    """Check each year-to-date column: the previous year to date plus this quarter."""
    mine = as_printed(figures)
    labels = dict(zip(figures["line_id"], figures["label"]))
    scale = settings.scale
    unit = printed_unit(figures)
    cap_setting = None if settings.tie_out_tolerance is None else settings.tie_out_tolerance * scale
    findings = []
    periods = {key[1] for key in mine}
    # The period a report is for: a quarter, or a half year for a report made twice a year.
    step = settings.period.months
    this = "this quarter" if step == 3 else f"these {step} months"
    for ytd in sorted(periods, key=lambda p: (p.end, p.months)):
        # Any column longer than the period is the one before it plus the period: a year to date
        # by the calendar, or one of a 52-53 week year, whose quarters end on a weekday.
        if ytd.restated or ytd.months <= step:
            continue
        quarter = Period(ytd.end, step)
        if quarter not in periods:
            continue
        found = (latest_published(Period(quarter_before(ytd.end, step), ytd.months - step), earlier)
                 or latest_published(Period(ytd.end - dt.timedelta(weeks=13 * step // 3), ytd.months - step),
                                     earlier, within_days=7))
        if found is None:
            continue
        report, before = found
        theirs = as_printed(report.figures)
        # Three rounded figures: at most half a unit each; the tie-out setting may only narrow it.
        # An earlier report printed coarser (in millions, this one in thousands) rounded by more
        # than any setting here can narrow: its half unit is always allowed.
        theirs_unit = printed_unit(report.figures)
        widest = (2 * unit + theirs_unit) / 2
        tolerance = widest if theirs_unit > unit else min(unit if cap_setting is None else cap_setting, widest)
        for line_id in statement.ids:
            if not additive(statement, line_id) or (line_id, before) not in theirs:
                continue
            if (line_id, ytd) not in mine or (line_id, quarter) not in mine:
                continue
            total, row = mine[line_id, ytd]
            parts = theirs[line_id, before][0] + mine[line_id, quarter][0]
            what = _describe(labels[line_id], line_id, ytd)
            if abs(total - parts) <= tolerance:
                findings.append(HistoryFinding("year_to_date", HistoryStatus.AGREES, line_id,
                                               f"{what}: ties to {report.name}", row, ytd.key))
            else:
                findings.append(HistoryFinding(
                    "year_to_date", HistoryStatus.FAILS, line_id,
                    f"{what}: {settings.folder.name} prints {_figure(total, scale)}, but {report.name}'s "
                    f"{before.months} months ({_figure(theirs[line_id, before][0], scale)}) plus {this} "
                    f"({_figure(mine[line_id, quarter][0], scale)}) give {_figure(parts, scale)}",
                    row, ytd.key))
    return findings


def line_notes(statement: Statement, latest: EarlierReport) -> list[HistoryFinding]:
    """List lines of the latest earlier report that are gone or renamed, and lines that are new."""
    notes = []
    mine = {line.id: line for line in statement.lines}
    for line in latest.statement.lines:
        if line.id not in mine:
            notes.append(HistoryFinding("lines", HistoryStatus.NOTE, line.id,
                                        f"{line.label} ({line.id}) was in {latest.name} and is missing now"))
        elif mine[line.id].label != line.label:
            notes.append(HistoryFinding("lines", HistoryStatus.NOTE, line.id,
                                        f"{line.id} renamed since {latest.name}: {line.label!r} is now "
                                        f"{mine[line.id].label!r}"))
    theirs = set(latest.statement.ids)
    notes += [HistoryFinding("lines", HistoryStatus.NOTE, line.id,
                             f"{line.label} ({line.id}) is new since {latest.name}")
              for line in statement.lines if line.id not in theirs]
    return notes


def require_history(findings: list[HistoryFinding], settings: ReportSettings) -> None:
    """Stop at the first comparative or year to date that disagrees with an earlier report."""
    for finding in findings:
        if finding.status is HistoryStatus.FAILS:
            raise StatementError(f"history: {finding.message}", file=settings.file("figures"),
                                 row=finding.source_row, column="value")


def trend_frame(figures: pd.DataFrame, settings: ReportSettings,
                earlier: tuple[EarlierReport, ...]) -> tuple[pd.DataFrame, set[Period]]:
    """Assemble the quarters of the history and this report as a table: quarter x line.

    Each quarter's figure is the latest published one: this report's over the earlier ones, a
    later report's over an earlier one, a restated column over the column as first published.
    Figures are in this report's scale and published sign; quarters run oldest first. Also
    returns the quarters whose figures come from a restated column.
    """
    latest: dict[Period, tuple[tuple, dict[str, Decimal], bool]] = {}
    sources = [(report.settings, report.figures) for report in earlier if report.settings.currency == settings.currency]
    for rank, (their, table) in enumerate([*sources, (settings, figures)]):
        for period in {p for p in table["period"] if p.months == 3}:
            rows = table[table["period"] == period]
            order = (rank, period.restated)
            quarter = Period(period.end, 3)
            if quarter in latest and latest[quarter][0] > order:
                continue
            values = {row.line_id: row.shown * row.scale / settings.scale for row in rows.itertuples(index=False)}
            latest[quarter] = (order, values, period.restated)
    quarters = sorted(latest)
    frame = pd.DataFrame([latest[q][1] for q in quarters], index=pd.Index(quarters, name="quarter"))
    return frame, {q for q in quarters if latest[q][2]}
