"""Inferring the statement's structure from its figures (never its labels), and naming lines."""

from __future__ import annotations

import re
import unicodedata
from calendar import monthrange
from dataclasses import dataclass
from decimal import Decimal
from itertools import product
from typing import Sequence

from reporter.ingest.types import describe
from reporter.inputs.periods import Period



@dataclass(frozen=True)
class Subtotal:
    """A line (by index) that equals its terms in most columns, within rounding.

    A running subtotal starts from `anchor` (the subtotal above, or the first line) and adds or
    subtracts `parts`; a group total (`anchor` None: "Total operating expenses") adds the lines
    just above it. `signs` holds the coefficient (+1/-1) of each part, in the published sign.
    """

    index: int
    anchor: int | None
    parts: tuple[int, ...]
    signs: tuple[int, ...] = ()

    @property
    def terms(self) -> tuple[tuple[int, int], ...]:
        """Return (coefficient, line index) pairs, the anchor first."""
        signs = self.signs or (-1,) * len(self.parts)
        head = ((1, self.anchor),) if self.anchor is not None else ()
        return head + tuple(zip(signs, self.parts))


# Beyond this many lines between, only the two whole-table conventions are tried (costs
# positive and subtracted, costs negative and added): 2^n mixed signs would take too long.
MIXED_SIGN_LINES = 10


def tolerance_for(values: Sequence[Sequence[Decimal]]) -> Decimal:
    """Return one unit of the last published digit: 1 for whole figures, 0.1 for one decimal."""
    decimals = max((-int(v.as_tuple().exponent) for row in values for v in row
                    if isinstance(v.as_tuple().exponent, int)), default=0)
    return Decimal(1).scaleb(-max(decimals, 0))


def row_tolerance(row: Sequence[Decimal]) -> Decimal:
    """Return one unit of a row's own last printed digit (item 7: tolerance per row)."""
    return tolerance_for([row])


def expected_total(values: Sequence[Sequence[Decimal]], anchor: int | None,
                   parts: Sequence[int], signs: Sequence[int] | None = None) -> list[Decimal]:
    """Return, per column, the anchor line plus each part times its sign (all -1 by default)."""
    signs = signs or (-1,) * len(parts)
    width = len(values[anchor if anchor is not None else parts[0]])
    start = [values[anchor][c] for c in range(width)] if anchor is not None else [Decimal(0)] * width
    return [start[c] + sum((s * values[p][c] for s, p in zip(signs, parts)), Decimal(0))
            for c in range(width)]


def mixed_signs(count: int):
    """Yield every coefficient tuple with both signs, for a run of `count` lines."""
    for combo in product((-1, 1), repeat=count):
        if len(set(combo)) > 1:
            yield combo


def ties(values: Sequence[Sequence[Decimal]], index: int, anchor: int | None,
         parts: Sequence[int], signs: Sequence[int], tolerance: Decimal) -> bool:
    """Say whether line `index` equals anchor + signs x parts in most columns."""
    row = values[index]
    hits = sum(abs(e - v) <= tolerance
               for e, v in zip(expected_total(values, anchor, parts, signs), row))
    return is_majority(hits, len(row))


def coincidence(values: Sequence[Sequence[Decimal]], index: int,
                others: Sequence[int]) -> bool:
    """Say whether a row merely repeats one of its lines, or all its lines are zero."""
    row = values[index]
    return any(values[o] == row for o in others) or \
        all(v == 0 for p in others for v in values[p])


def is_majority(ties: int, columns: int) -> bool:
    """Say whether a formula that ties in `ties` of `columns` columns is the structure.

    One typo must not hide a table's structure (and with it every tie-out), so a formula that
    ties in more than half the columns is taken, and validate reports the columns it misses.
    With one or two columns there is no majority short of all of them.
    """
    return ties == columns or (columns >= 3 and 2 * ties > columns)


def infer_subtotals(values: Sequence[Sequence[Decimal]], tolerance: Decimal | None = None,
                    outside: Sequence[int] = ()) -> list[Subtotal]:
    """Walk down the lines and propose each that ties to the lines above it with +1/-1 signs.

    A row is a running subtotal when it is the subtotal above (or the first line) plus or less
    each line since, or a group total when it adds up a run of two or more lines just above it
    ("Total operating expenses"), whose place the total then takes. One sign for every line is
    tried first (costs positive and subtracted, or negative and added), then mixed signs. Lines
    in `outside` (per-share, counts, quantities: not money at the table's scale) are never
    terms nor subtotals. The tolerance is each row's own last printed digit unless given.
    """
    subtotals: list[Subtotal] = []
    skip = set(outside)
    money = [i for i in range(len(values)) if i not in skip]
    if not money:
        return subtotals
    tolerances = {i: tolerance if tolerance is not None else row_tolerance(values[i])
                  for i in money}
    width = len(values[money[0]])
    anchor = money[0]
    run = _Run(width)  # the lines (or group totals) since the anchor, with their sums
    for index in money[1:]:
        limit = max(tolerances[index], tolerances[anchor], run.tolerance)
        signs = _running_signs(values, index, anchor, run, limit)
        if signs is not None:
            subtotals.append(Subtotal(index, anchor, tuple(run.lines), signs))
            anchor, run = index, _Run(width)
            continue
        group = _group_total(values, index, run.lines, tolerances)
        if group is not None:
            subtotals.append(group)
            kept = run.lines[:len(run.lines) - len(group.parts)]
            run = _Run(width)
            for line in [*kept, index]:
                run.add(line, values[line], tolerances[line])
            continue
        run.add(index, values[index], tolerances[index])
    return subtotals


class _Run:
    """The lines since the anchor, with what a subtotal check needs kept as they come."""

    def __init__(self, width: int) -> None:
        self.lines: list[int] = []
        self.sums = [Decimal(0)] * width
        self.rows: set[tuple[Decimal, ...]] = set()
        self.all_zero = True
        self.tolerance = Decimal(0)

    def add(self, line: int, row: Sequence[Decimal], tolerance: Decimal) -> None:
        self.lines.append(line)
        self.sums = [s + v for s, v in zip(self.sums, row)]
        self.rows.add(tuple(row))
        self.all_zero = self.all_zero and all(v == 0 for v in row)
        self.tolerance = max(self.tolerance, tolerance)


def _running_signs(values: Sequence[Sequence[Decimal]], index: int, anchor: int, run: _Run,
                   limit: Decimal) -> tuple[int, ...] | None:
    """Return the signs that make `index` the anchor plus or less the run, or None."""
    if not run.lines or run.all_zero:
        return None
    row, start = values[index], values[anchor]
    if tuple(row) == tuple(start) or tuple(row) in run.rows:
        return None  # it merely repeats one line: a coincidence, not a subtotal
    for sign in (-1, 1):  # one sign for every line: the whole-table conventions, kept as sums
        hits = sum(abs(a + sign * s - v) <= limit for a, s, v in zip(start, run.sums, row))
        if is_majority(hits, len(row)):
            return (sign,) * len(run.lines)
    if len(run.lines) > MIXED_SIGN_LINES:
        return None
    for signs in mixed_signs(len(run.lines)):
        if ties(values, index, anchor, run.lines, signs, limit):
            return signs
    return None


# A group total ("Total operating expenses") adds at most this many lines just above it: the
# search grows with the run, and a statement's groups are short.
MAX_GROUP_LINES = 24


def _group_total(values: Sequence[Sequence[Decimal]], index: int, pending: Sequence[int],
                 tolerances: dict[int, Decimal]) -> Subtotal | None:
    """Find the longest run of two or more lines just above `index` that adds up to it.

    The lines of a group total carry one sign (all added as published); the running sums are
    kept as the run grows upwards, so each length costs one addition per column.
    """
    row = values[index]
    sums = [Decimal(0)] * len(row)
    found = None
    limit = tolerances[index]
    for length in range(1, min(len(pending), MAX_GROUP_LINES) + 1):
        part = values[pending[-length]]
        sums = [s + v for s, v in zip(sums, part)]
        limit = max(limit, tolerances[pending[-length]])
        if length < 2:
            continue
        parts = tuple(pending[-length:])
        hits = sum(abs(s - v) <= limit for s, v in zip(sums, row))
        if is_majority(hits, len(row)) and not coincidence(values, index, parts):
            found = Subtotal(index, None, parts, (1,) * length)
    return found


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


def formula_text(subtotal: Subtotal, ids: Sequence[str]) -> str:
    """Write a subtotal's formula as the table reads: `revenue - cost_of_sales + other`."""
    parts = []
    for position, (coefficient, index) in enumerate(subtotal.terms):
        if position == 0:
            parts.append(ids[index] if coefficient > 0 else f"-{ids[index]}")
        else:
            parts.append(f"{'+' if coefficient > 0 else '-'} {ids[index]}")
    return " ".join(parts)


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

    By default the differences within the tolerance (rounding); with `misfits`, those beyond it,
    which validate will report as failures. Without `tolerance`, each subtotal's is the last
    printed digit of the coarsest of its rows.
    """
    notes = []
    for sub in subtotals:
        expected = expected_total(values, sub.anchor, sub.parts, sub.signs)
        limit = tolerance if tolerance is not None else max(
            row_tolerance(values[i]) for _, i in ((1, sub.index), *sub.terms))
        for period, want, got in zip(periods, expected, values[sub.index]):
            beyond = abs(got - want) > limit
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


def reported_period(periods):
    """Return the period the table reports: the latest end; of those, the first column.

    Columns come in any date order (ascending quarters, comparatives first); the reported
    period is the latest one, never merely the first column.
    """
    latest = max(p.end for p in periods)
    return next(p for p in periods if p.end == latest)
