"""What ingest is told and what it reports: options, statement lines, the summary it prints."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from reporter.ingest.rules import PERIOD_WORDS
from reporter.inputs.periods import Period
from reporter.inputs.settings import FxRate


def describe(period: Period) -> str:
    """Name a period the way the rounding notes do: `three months ended 2011-06-30`."""
    length = PERIOD_WORDS.get(period.months, str(period.months))
    text = f"{length} months ended {period.end.isoformat()}"
    return text + " (restated)" if period.restated else text



@dataclass
class IngestOptions:
    """Settings the table cannot tell: who reports, and overrides for what it says."""

    company_name: str = "Company name"
    short_name: str | None = None
    ticker: str | None = None
    exchange: str | None = None
    fiscal_year_end: str | None = None  # month-day; None: from the year-to-date columns
    subject: str | None = None  # the mine or segment the figures are about
    sheet: str | None = None  # XLSX sheet name; first sheet when None
    currency: str | None = None  # wins over the header's currency
    scale: str | None = None  # "units" | "thousands" | "millions"; wins over the header's
    locale: str = "en_CA"
    table: int | None = None  # which table of several (1-based)
    periods: str | None = None  # "3M:2015-06-30,3M:2014-06-30R": the columns' periods, stated


@dataclass
class Line:
    """One statement line: its id, label, source row, figures per period and formula if any."""

    id: str
    label: str
    row: int
    values: tuple[Decimal, ...]
    formula: str | None = None
    # A figure published as a dash or "nil" keeps its mark in figures.csv, so it prints as published.
    nil_marks: tuple[str | None, ...] = ()
    # What the row measures when it is not money at the table's scale ("cents per share", "oz",
    # "US$/oz"); None for money. Written to statement.yaml as the line's `unit`.
    unit: str | None = None
    # Changes the table prints beside the figures: (current period key, prior key, kind, text)
    # with kind "percent" or "amount", written to statement.yaml `changes` for validate to check.
    changes: tuple[tuple[str, str, str, str], ...] = ()
    # The id of the line above that this one shares out ("attributable to"), or None.
    attribution_of: str | None = None


@dataclass
class IngestReport:
    """What ingest found, for the CLI to print."""

    out_dir: Path
    lines: list[Line]
    subtotals: list[tuple[str, str]]  # (id, formula)
    rounding: list[str]
    fx_rates: list[FxRate]
    periods: list[Period]
    currency: str = ""
    scale: str = ""
    notes: list[str] = field(default_factory=list)  # skipped rows, settings to check
    misfits: list[str] = field(default_factory=list)  # columns a subtotal misses beyond rounding
    placeholders: bool = True  # commentary.md holds TODO placeholders, not the release's words

    def summary_lines(self) -> list[str]:
        """Say what was written and what the user should check, one line each."""
        out = [
            f"wrote {self.out_dir}: {len(self.lines)} lines, {len(self.periods)} periods, "
            f"{len(self.fx_rates)} exchange rates ({self.currency}, {self.scale})",
            "periods: " + ", ".join(describe(p) for p in self.periods),
        ]
        if self.subtotals:
            out.append("subtotals inferred from the figures (confirm them in statement.yaml):")
            out.extend(f"  {line_id} = {formula}" for line_id, formula in self.subtotals)
        else:
            out.append("no subtotals found: add formulas to statement.yaml if the table has any")
        units = [f"{line.id} ({line.unit})" for line in self.lines if line.unit]
        if units:
            out.append("lines in their own units, never added to money (check `unit` in "
                       "statement.yaml): " + ", ".join(units))
        if self.rounding:
            out.append("rounding differences, published figures kept:")
            out.extend(f"  {sentence}" for sentence in self.rounding)
        if self.misfits:
            out.append("subtotals that do not tie in some columns (published figures kept; "
                       "validate and build will stop until the figures are corrected):")
            out.extend(f"  {sentence}" for sentence in self.misfits)
        out.extend(f"note: {note}" for note in self.notes)
        if self.placeholders:
            out.append("next: fill in the TODO placeholders in commentary.md and check "
                       "report.yaml")
        else:
            out.append("next: check commentary.md (written from the release's words) and "
                       "report.yaml")
        return out

