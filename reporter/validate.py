"""Stage 3: check that every subtotal ties out to its lines, in every period.

Published tables are rounded line by line, so a subtotal may differ from the sum of its rounded
lines by a unit or so. Differences within the tolerance are reported as rounding and the build
goes on; larger ones stop it. Published figures are never "corrected".
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import Enum

import pandas as pd

from reporter.errors import StatementError
from reporter.normalize import columns
from reporter.settings import ReportSettings
from reporter.statement import Statement


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

    @property
    def difference(self) -> Decimal:
        return self.published - self.computed

    def describe(self) -> str:
        """Say in one sentence what was found, for the CLI and error messages."""
        return (f"{self.label} ({self.line_id}), {self.period_phrase}: lines give "
                f"{self.computed:,f}, published {self.published:,f} "
                f"(difference {self.difference:+,f})")


def tie_outs(table: pd.DataFrame, statement: Statement, settings: ReportSettings) -> list[TieOut]:
    """Check every subtotal formula in every period, in statement order."""
    # `shown`: the figures as printed, so a check never disagrees with what a reader can add up.
    shown = {(row.line_id, row.period_key): (row.shown, row.source_row, row.period)
             for row in table.itertuples(index=False)}
    periods = [period.key for period in columns(table)]
    results = []
    for line in statement.subtotals:
        for period_key in periods:
            published, source_row, period = shown[line.id, period_key]
            computed = sum((coefficient * shown[term, period_key][0]
                            for coefficient, term in line.terms), Decimal(0))
            gap = abs(published - computed)
            status = (TieOutStatus.TIES if gap == 0 else
                      TieOutStatus.ROUNDING if gap <= settings.tie_out_tolerance else
                      TieOutStatus.FAILS)
            results.append(TieOut(line.id, line.label, line.formula, period_key, period.phrase(),
                                  computed, published, status, source_row))
    return results


def require_tie_outs(results: list[TieOut], settings: ReportSettings) -> None:
    """Stop at the first subtotal that is off by more than the tolerance."""
    for result in results:
        if result.status is TieOutStatus.FAILS:
            raise StatementError(
                f"{result.describe()}, more than the tolerance of {settings.tie_out_tolerance} "
                f"(tie_out_tolerance in report.yaml)",
                file=settings.file("figures"), row=result.source_row, column="value")
