"""Inferring the statement's structure from its figures (never its labels), and naming lines."""

from __future__ import annotations

import re
import unicodedata
from calendar import monthrange
from dataclasses import dataclass
from decimal import Decimal
from typing import Sequence

from reporter.ingest.types import describe
from reporter.inputs.periods import Period



@dataclass(frozen=True)
class Subtotal:
    """A line (by index) that equals `anchor` less `parts` in most columns, within rounding."""

    index: int
    anchor: int
    parts: tuple[int, ...]


def tolerance_for(values: Sequence[Sequence[Decimal]]) -> Decimal:
    """Return one unit of the last published digit: 1 for whole figures, 0.1 for one decimal."""
    decimals = max((-int(v.as_tuple().exponent) for row in values for v in row
                    if isinstance(v.as_tuple().exponent, int)), default=0)
    return Decimal(1).scaleb(-max(decimals, 0))


def expected_total(values: Sequence[Sequence[Decimal]], anchor: int,
                   parts: Sequence[int]) -> list[Decimal]:
    """Return, per column, the anchor line less the given lines."""
    return [values[anchor][c] - sum((values[p][c] for p in parts), Decimal(0))
            for c in range(len(values[anchor]))]


def is_subtotal(values: Sequence[Sequence[Decimal]], index: int, anchor: int,
                tolerance: Decimal) -> bool:
    """Say whether line `index` is the `anchor` line less every line between them."""
    parts = range(anchor + 1, index)
    if not parts:
        return False  # one line alone does not make a subtotal
    row = values[index]
    # A row that repeats the line it would start from, or whose lines are all zero, merely
    # equals one other row: that is a coincidence, not a subtotal.
    if row == values[anchor] or all(values[p][c] == 0 for p in parts for c in range(len(row))):
        return False
    ties = sum(abs(e - v) <= tolerance for e, v in zip(expected_total(values, anchor, parts), row))
    return is_majority(ties, len(row))


def is_majority(ties: int, columns: int) -> bool:
    """Say whether a formula that ties in `ties` of `columns` columns is the structure.

    One typo must not hide a table's structure (and with it every tie-out), so a formula that
    ties in more than half the columns is taken, and validate reports the columns it misses.
    With one or two columns there is no majority short of all of them.
    """
    return ties == columns or (columns >= 3 and 2 * ties > columns)


def infer_subtotals(values: Sequence[Sequence[Decimal]], tolerance: Decimal) -> list[Subtotal]:
    """Walk down the lines and propose each that ties to the subtotal above less its lines."""
    subtotals = []
    anchor = 0
    for index in range(2, len(values)):
        if is_subtotal(values, index, anchor, tolerance):
            subtotals.append(Subtotal(index, anchor, tuple(range(anchor + 1, index))))
            anchor = index
    return subtotals


def bottom_line_misfit(values: Sequence[Sequence[Decimal]], subtotals: Sequence[Subtotal],
                       tolerance: Decimal) -> tuple[int | None, str] | None:
    """Say why the last line is not a subtotal when it must be: (column index, reason)."""
    last = len(values) - 1
    if len(values) < 3 or not subtotals or subtotals[-1].index == last:
        return None
    anchor = subtotals[-1].index
    parts = tuple(range(anchor + 1, last))
    if not parts:
        return None, "it follows the last subtotal directly, with no lines to add up"
    expected = expected_total(values, anchor, parts)
    for column, (want, got) in enumerate(zip(expected, values[last])):
        if abs(want - got) > tolerance:
            return column, f"the lines above give {plain(want)}, published {plain(got)}"
    return None, "it merely repeats the subtotal above it"


def plain(value: Decimal) -> str:
    """Write a number for a sentence: 1,415 or -1,147."""
    return f"{value:,f}"


def accounting(value: Decimal) -> str:
    """Write a figure in plain accounting notation: 4,421, (407), 0."""
    text = f"{abs(value):,f}"
    return f"({text})" if value < 0 else text


def rounding_notes(values: Sequence[Sequence[Decimal]], subtotals: Sequence[Subtotal],
                   ids: Sequence[str], periods: Sequence[Period],
                   tolerance: Decimal | None = None, *, misfits: bool = False) -> list[str]:
    """Describe every column where a subtotal differs from its lines.

    By default the differences within `tolerance` (rounding); with `misfits`, those beyond it,
    which validate will report as failures.
    """
    notes = []
    for sub in subtotals:
        expected = expected_total(values, sub.anchor, sub.parts)
        for period, want, got in zip(periods, expected, values[sub.index]):
            beyond = tolerance is not None and abs(got - want) > tolerance
            if want != got and beyond == misfits:
                notes.append(f"{ids[sub.index]}, {describe(period)}: lines give {plain(want)}, "
                             f"published {plain(got)} (difference {plain(abs(got - want))})")
    return notes


def slugify(label: str) -> str:
    """Make an id from a label: lower-case ascii words joined by `_`, `&` dropped."""
    text = "".join(ch for ch in label if unicodedata.category(ch) != "No")  # footnote marks
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = re.sub(r"[^a-z0-9]+", "_", text.replace("&", "").lower()).strip("_") or "line"
    # An id is used as a name in formulas, so it must not start with a digit.
    return f"line_{text}" if text[0].isdigit() else text


def unique_ids(labels: Sequence[str]) -> list[str]:
    """Make one id per label, numbering repeats: revenue, revenue_2."""
    ids: list[str] = []
    for label in labels:
        base = candidate = slugify(label)
        number = 2
        while candidate in ids:
            candidate, number = f"{base}_{number}", number + 1
        ids.append(candidate)
    return ids


def implied_fiscal_year_end(periods: Sequence[Period]) -> str | None:
    """Return the fiscal year end that year-to-date columns imply (9 months to June 30 -> 09-30)."""
    found = set()
    for p in periods:
        if p.months not in (6, 9, 12) or p.end.day != monthrange(p.end.year, p.end.month)[1]:
            continue
        month = (p.end.month + 12 - p.months - 1) % 12 + 1
        found.add(f"{month:02d}-{monthrange(2001, month)[1]:02d}")
    return found.pop() if len(found) == 1 else None


