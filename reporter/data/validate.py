"""Stage 3: check that every subtotal ties out to its lines, in every period.

Published tables are rounded line by line, so a subtotal may differ from the sum of its rounded
lines by what the published places allow. The rule (README, "Tie-outs"):

- the unit is one unit of the last printed digit of the coarsest line a check adds (tolerance
  per row): 1 for whole thousands, 0.1 for millions shown to one decimal;
- by default a difference of up to one unit is rounding (`tie_out_tolerance` in report.yaml may
  set another figure, in units of the scale);
- never more than half a unit per line the formula adds: each rounded line can be off by at most
  half a unit, so a larger gap cannot come from rounding whatever the setting says.

Differences within the tolerance are reported as rounding and the build goes on; larger ones stop
it. Published figures are never "corrected". A statement of several lines with no subtotal at all
leaves nothing to check: that stops validate and build too, unless statement.yaml says
`no_subtotals: true` on purpose.

Changes the table printed beside the figures (statement.yaml `changes`, from "% Change" or
"Up / (down)" columns) are checked too, on the printed figures, to one unit of the change's own
last printed digit.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from enum import Enum

import pandas as pd

from reporter.errors import StatementError
from reporter.data.normalize import columns
from reporter.inputs.settings import ReportSettings
from reporter.inputs.statement import Line, Statement


class TieOutStatus(str, Enum):
    TIES = "ties"
    ROUNDING = "rounding"
    FAILS = "fails"


@dataclass(frozen=True)
class TieOut:
    """One subtotal in one period: what its lines give against what was published."""

    line_id: str
    label: str
    formula: str
    period_key: str
    period_phrase: str
    computed: Decimal  # in units of the scale, published sign, from the figures as shown
    published: Decimal
    status: TieOutStatus
    source_row: int
    tolerance: Decimal = Decimal(1)  # largest gap still counted as rounding, in units of the scale

    @property
    def difference(self) -> Decimal:
        return self.published - self.computed

    def describe(self) -> str:
        """Say in one sentence what was found, for the CLI and error messages."""
        return (f"{self.label} ({self.line_id}), {self.period_phrase}: lines give "
                f"{self.computed:,f}, published {self.published:,f} "
                f"(difference {self.difference:+,f})")


def printed_places(value: Decimal) -> int:
    """The decimals a published figure was printed with: 2 for 13.85, 0 for 1,416."""
    exponent = value.as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def last_digit_unit(decimals: int) -> Decimal:
    """Return one unit of the last printed digit: 1 for whole figures, 0.1 for one decimal."""
    return Decimal(1).scaleb(-decimals)


def tolerance_for(line: Line, decimals: int, setting: Decimal | None) -> Decimal:
    """Give the largest gap that rounding explains for one subtotal.

    One unit of the last printed digit by default (or the report's setting), capped at half a
    unit per line the formula adds: that is the most rounding line by line can move a total.
    """
    unit = last_digit_unit(decimals)
    wanted = unit if setting is None else setting
    return min(wanted, unit * len(line.terms) / 2)


def tie_outs(table: pd.DataFrame, statement: Statement, settings: ReportSettings) -> list[TieOut]:
    """Check every subtotal formula, and every line shared out against its shares, in every period."""
    # `shown`: the figures as printed, so a check never disagrees with what a reader can add up.
    shown = {(row.line_id, row.period_key): (row.shown, row.source_row, row.period)
             for row in table.itertuples(index=False)}
    periods = [period.key for period in columns(table)]
    # Tolerance per row: the last printed digit of the coarsest line the check adds, as shown.
    places = {line_id: min(int(shown_places), int(published_places)) for line_id, shown_places,
              published_places in zip(table["line_id"], table["decimals"], table["row_decimals"])}
    # A line shared out ("Net income attributable to: shareholders / non-controlling interests")
    # equals the lines sharing it, as a group total equals its lines.
    shared = [replace(statement.line(owner), terms=tuple((1, part) for part in parts))
              for owner, parts in statement.attributions().items()]
    results = []
    for line in [*statement.subtotals, *shared]:
        decimals = min(places[line_id] for line_id in (line.id, *(t for _, t in line.terms)))
        tolerance = tolerance_for(line, decimals, settings.tie_out_tolerance)
        for period_key in periods:
            published, source_row, period = shown[line.id, period_key]
            computed = sum((coefficient * shown[term, period_key][0]
                            for coefficient, term in line.terms), Decimal(0))
            gap = abs(published - computed)
            status = (TieOutStatus.TIES if gap == 0 else
                      TieOutStatus.ROUNDING if gap <= tolerance else
                      TieOutStatus.FAILS)
            results.append(TieOut(line.id, line.label, line.formula, period_key, period.phrase(),
                                  computed, published, status, source_row, tolerance))
    return results


def tolerance_summary(results: list[TieOut]) -> str:
    """Say the tolerance of a set of checks: `1`, or `0.1 to 0.2` when lines differ in count."""
    values = sorted({r.tolerance for r in results})
    if not values:
        return "none"
    return f"{values[0]:f}" if len(values) == 1 else f"{values[0]:f} to {values[-1]:f}"


def require_something_to_check(statement: Statement, settings: ReportSettings) -> None:
    """Refuse a statement of several lines that has no subtotal: its figures cannot be checked.

    A typo can make ingest find no subtotal at all; then "0 checks" would look like a pass.
    A statement that truly has none says so with `no_subtotals: true`.
    """
    if statement.subtotals or statement.no_subtotals or len(statement.lines) < 2:
        return
    raise StatementError(
        f"nothing can be checked: {len(statement.lines)} lines and no subtotal formula; give the "
        f"subtotals a `formula`, or write `no_subtotals: true` if the statement has none on purpose",
        file=settings.file("statement"))


def require_tie_outs(results: list[TieOut], settings: ReportSettings) -> None:
    """Stop at the first subtotal that is off by more than the tolerance."""
    for result in results:
        if result.status is TieOutStatus.FAILS:
            raise StatementError(
                f"{result.describe()}, more than the tolerance of {result.tolerance:f} "
                f"({tolerance_reason(result, settings)})",
                file=settings.file("figures"), row=result.source_row, column="value")


def tolerance_reason(result: TieOut, settings: ReportSettings) -> str:
    """Say where a check's tolerance comes from, so the reader knows what to change."""
    terms = result.formula.count(" ") // 2 + 1
    if settings.tie_out_tolerance is not None and result.tolerance == settings.tie_out_tolerance:
        return "tie_out_tolerance in report.yaml"
    if settings.tie_out_tolerance is not None:
        return f"half a unit for each of the {terms} lines added; tie_out_tolerance cannot widen it"
    return "one unit of the last printed digit"


@dataclass(frozen=True)
class ChangeCheck:
    """A published change against the one the printed figures give."""

    line_id: str
    label: str
    published: Decimal
    computed: Decimal | None  # None where a percentage means nothing (a nil prior figure)
    percent: bool
    tolerance: Decimal

    @property
    def fails(self) -> bool:
        if self.computed is None:
            return False
        # A cost's change is printed either way ("(9)" or "9" for a cost that rose).
        return min(abs(self.published - self.computed),
                   abs(self.published + self.computed)) > self.tolerance \
            if self.sign_free else abs(self.published - self.computed) > self.tolerance

    sign_free: bool = False

    def describe(self) -> str:
        what = "change in %" if self.percent else "change"
        return (f"{self.label} ({self.line_id}): published {what} {self.published:,f}, the figures "
                f"give {self.computed:,.{printed_places(self.published)}f}")


def change_checks(table: pd.DataFrame, statement: Statement,
                  settings: ReportSettings | None = None) -> list[ChangeCheck]:
    """Check every change statement.yaml keeps from the table, on the printed figures.

    The tolerance is one unit of the change's last printed digit: a percentage of rounded
    figures may itself round either way.
    """
    from reporter.inputs.notation import NotationError, parse_amount

    shown = dict(zip(zip(table["line_id"], table["period_key"]), table["shown"]))
    results = []
    for line in statement.lines:
        for change in line.changes:
            try:
                published = parse_amount(change.text)
            except NotationError:
                continue  # "n.m.": nothing to check
            current, prior = shown.get((line.id, change.current)), shown.get((line.id, change.prior))
            if current is None or prior is None:
                raise StatementError(f"line {line.id!r}: a change between {change.current} and "
                                     f"{change.prior}, which figures.csv does not both give",
                                     file=settings.file("statement") if settings else None)
            if change.percent:
                computed = None if prior == 0 else (current - prior) / abs(prior) * 100
            else:
                computed = current - prior
            places = printed_places(published)
            results.append(ChangeCheck(line.id, line.label, published, computed, change.percent,
                                       last_digit_unit(places), sign_free=line.sign < 0))
    return results


def require_changes(results: list[ChangeCheck], settings: ReportSettings) -> None:
    """Stop at the first published change the figures do not give within its printed places."""
    for result in results:
        if result.fails:
            raise StatementError(f"{result.describe()}, more than {result.tolerance:f} apart",
                                 file=settings.file("statement"))
