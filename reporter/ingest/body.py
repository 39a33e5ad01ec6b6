"""Reading the statement lines and exchange-rate rows below a table's header."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from itertools import takewhile
from pathlib import Path
from typing import Sequence

from reporter.errors import DataError
from reporter.ingest.header import Header, parse_year
from reporter.ingest.rules import (
    ATTRIBUTION_HEADING, ATTRIBUTION_LABEL, CELL_SCALES, CELL_UNIT, CENTS, DEDUCTION_LABEL,
    FX_MONTHS, FX_PAIR, FX_RATE, FX_SOURCE, FX_WORDS, LENGTH_WORDS, LABEL_UNIT, LONE_CLOSE,
    LONE_PRICE_UNIT, LONE_SIGN, MARKDOWN_EMPHASIS, MONEY_UNIT, NOT_PRICE_LABEL, OWNER_LABEL, PER_SHARE_LABEL,
    PRICE_LABEL, QUANTITY_LABELS, SHARE_CLASS_LABEL, SHARES_LABEL,
)
from reporter.ingest.sources import Row
from reporter.ingest.sources.text import split_marks
from reporter.inputs.notation import NotationError, nil_as_published, parse_amount
from reporter.inputs.periods import Period
from reporter.inputs.settings import FxRate



@dataclass(frozen=True)
class FxLabel:
    """What an exchange-rate row's label says."""

    base: str
    quote: str
    months: int | None
    source: str | None


@dataclass
class Body:
    """The statement lines (label, row, figures) and exchange rates below the header."""

    lines: list[tuple[str, int, tuple[Decimal, ...]]]
    fx_rates: list[FxRate]
    fx_sources: list[str | None]
    notes: list[str]
    # Per line, the nil mark each figure was published with ("—", "nil"), or None.
    nil_marks: list[tuple[str | None, ...]] = field(default_factory=list)
    # Per line, what it measures when not money at the table's scale ("cents per share"), or None.
    units: list[str | None] = field(default_factory=list)
    # The money units the rows themselves give: a units column's "US$m", a cell's "11.1M".
    money_units: list[str] = field(default_factory=list)
    # Per line, the published changes beside its figures: {change column: text as printed}.
    changes: list[dict[int, str]] = field(default_factory=list)
    # Per line, the heading row it sits under (row number, text), or None.
    headings: list[tuple[int, str] | None] = field(default_factory=list)


def merge_lone_marks(row: Row) -> Row:
    """Join a "$" pasted in its own cell to the figure after it, and a ")" to the figure before.

    EDGAR pages set `$`, the figure and `)` in cells of their own; the figure keeps its cell and
    the marks' cells are emptied, so the columns stay where the source has them. A price's
    "$/oz" in a cell of its own goes after its figure, as its unit: "1,402 $/oz".
    """
    cells = list(row.cells)
    for i in range(1, len(cells)):
        if LONE_PRICE_UNIT.match(cells[i]):
            after = next((j for j in range(i + 1, len(cells)) if cells[j]), None)
            if after is not None and _is_figure(cells[after]):
                cells[after], cells[i] = f"{cells[after]} {cells[i]}", ""
        elif LONE_SIGN.match(cells[i]):
            after = next((j for j in range(i + 1, len(cells)) if cells[j]), None)
            if after is not None and not LONE_SIGN.match(cells[after]):
                cells[after], cells[i] = cells[i] + cells[after], ""
        elif LONE_CLOSE.match(cells[i]):
            before = next((j for j in range(i - 1, 0, -1) if cells[j]), None)
            if before is not None and "(" in cells[before] and ")" not in cells[before]:
                cells[before], cells[i] = cells[before] + ")", ""
    return Row(row.number, tuple(cells), row.first_column) if cells != list(row.cells) else row


def align_figure_columns(header: Header, rows: Sequence[Row]) -> Header:
    """Move the periods onto the columns the figures are in, when a paste shifted them.

    A web page's heading spans the `$` and figure cells; pasted as text it lands in the first
    of them. When the figures fill as many columns as there are periods, in other places, the
    periods take those columns in order.
    """
    if header.change_columns:
        return header
    used = sorted({i for row in rows if row.label for i, text in row.filled()
                   if _is_figure(text)})
    if len(used) != len(header.periods) or used == list(header.periods):
        return header
    if any(i < min(header.periods) for i in used):
        return header
    moved = dict(zip(used, header.periods.values()))
    old = list(header.periods)
    return replace(header, periods=moved,
                   letters={new: header.letters[o] for new, o in zip(used, old)},
                   month_days={new: header.month_days[o] for new, o in zip(used, old)
                               if o in header.month_days})


def _is_figure(text: str) -> bool:
    try:
        parse_amount(split_cell_unit(text)[0])
    except NotationError:
        return False
    return True


def split_cell_unit(text: str) -> tuple[str, str | None]:
    """Take a unit printed after a figure off its cell: "6,747 oz" -> ("6,747", "oz")."""
    match = CELL_UNIT.match(text.strip())
    if match is None:
        return text, None
    return match.group("figure"), match.group("unit").strip()


def line_unit(label: str, column_unit: str, cell_units: set[str], signed: bool,
              money_units: list[str], currency_sign: str | None = None) -> str | None:
    """Decide what a line measures, from its units column, its cells' units and its label.

    None is money at the table's scale; a money unit found on the way ("US$m", "M") is added to
    `money_units`, for the table's scale and currency. A price whose cells or units column give
    only a currency ("US$", `currency_sign` printed before its figures) is money per unit in that
    currency: never scaled to the table's thousands.
    """
    if len(cell_units) > 1:
        return None  # mixed: read_body refuses the row
    cell = next(iter(cell_units), None)
    in_label = LABEL_UNIT.search(label)
    unit = column_unit.strip() or cell or (in_label.group("unit") if in_label else None)
    if cell and cell.lower() in CELL_SCALES:
        money_units.append(CELL_SCALES[cell.lower()])
        unit = column_unit.strip() or None
    price = is_price(label)
    if unit and MONEY_UNIT.match(unit) and not PER_SHARE_LABEL.search(label):
        if price and LONE_SIGN.match(unit):
            return unit
        money_units.append(unit)
        return None
    if not unit and price and currency_sign:
        return currency_sign
    if not unit and not signed and not price and not re.search(r"\bper\b", label, re.I):
        unit = next((quantity for pattern, quantity in QUANTITY_LABELS if pattern.search(label)), None)
    if PER_SHARE_LABEL.search(label):
        if unit and CENTS.match(unit):
            return "cents per share"
        if unit and "share" in unit.lower():
            return unit
        # A unit of its own ("pence", "p") says what the figure counts: never dropped for "per share".
        if unit and (LONE_SIGN.match(unit) or not MONEY_UNIT.match(unit)):
            return f"{unit} per share"
        return "$ per share" if signed else "per share"
    if unit and CENTS.match(unit):
        return "cents"
    if not unit and SHARES_LABEL.search(label):
        return "shares"
    return unit or None


def is_price(label: str) -> bool:
    """Say whether a label names a price per unit ("Realised gold price", "AISC per ounce")."""
    return bool(PRICE_LABEL.search(label)) and not NOT_PRICE_LABEL.search(label)


def under_heading(heading: str, label: str) -> str:
    """Give a line the words of the heading it sits under, which its own label relies on:
    "Net income attributable to:" over "Non-controlling interests" gives "Net income
    attributable to non-controlling interests"; "Net income per share:" over "Basic" gives
    "Net income per share: basic"."""
    head = heading.strip().rstrip(":").rstrip()
    label = label.strip().lstrip("-–—•· ").strip()
    if label[:1].isupper() and label[1:2].islower():  # "Basic" -> "basic"; "AB Corp" stays
        label = label[0].lower() + label[1:]
    return f"{head} {label}" if re.search(r"\bto$", head, re.I) else f"{head}: {label}"


def attributions(body: "Body", outside: Sequence[int]) -> dict[int, int]:
    """Find the lines that share out the money line above them: {line: the line it shares out}.

    "Net income attributable to: Shareholders of the Company / Non-controlling interests" sums
    to net income; it is not a subtotal of the lines above, nor lines a later subtotal adds. The
    figures alone cannot tell it from "Revenue / Cost of sales / Gross profit" (cost plus gross
    profit is revenue), so the heading or the labels say it, and the figures confirm it: the
    lines under an "attributable to" heading, or a run of lines labelled "attributable to" or
    "non-controlling interests", of which the first two or more add up to the line above. Lines
    found under a heading take its words into their labels (under_heading), as the heading is
    left out of the statement.
    """
    from reporter.ingest.infer import is_majority, row_tolerance

    money = [i for i in range(len(body.lines)) if i not in set(outside)]
    found: dict[int, int] = {}
    for position in range(1, len(money)):
        start = money[position]
        heading = body.headings[start] if start < len(body.headings) else None
        headed = (heading is not None and ATTRIBUTION_HEADING.search(heading[1]) is not None
                  and body.headings[money[position - 1]] != heading)
        if start in found or not (headed or ATTRIBUTION_LABEL.search(body.lines[start][0])) \
                or DEDUCTION_LABEL.match(body.lines[start][0]):
            continue
        parent = body.lines[money[position - 1]][2]
        run: list[int] = []
        adds_up = False
        for i in money[position:]:
            if (body.headings[i] != heading) if headed else not ATTRIBUTION_LABEL.search(body.lines[i][0]):
                break
            run.append(i)
            sums = [sum(column) for column in zip(*(body.lines[j][2] for j in run))]
            limit = max(row_tolerance(body.lines[j][2]) for j in [*run, money[position - 1]])
            if len(run) >= 2 and is_majority(sum(abs(s - v) <= limit for s, v in zip(sums, parent)),
                                             len(parent)):
                adds_up = True
                break
        # Lines under an "attributable to" heading share out the line above even when they do not
        # add up to it (the heading says so; left as plain lines, a bridge drew them as steps past
        # the last total): validate then says by how much the shares miss. Then the heading names
        # the shares only as far as their labels name owners: a money line after them under no
        # heading of its own ("Capital expenditure") is no share.
        if headed and not adds_up:
            run = list(takewhile(lambda j: bool(OWNER_LABEL.search(body.lines[j][0])
                                                or ATTRIBUTION_LABEL.search(body.lines[j][0])), run))
        if not (adds_up or (headed and run)):
            continue
        found.update({j: money[position - 1] for j in run})
        if headed and heading is not None:
            for j in run:
                label, row, values = body.lines[j]
                body.lines[j] = (under_heading(heading[1], label), row, values)
    return found


def parse_fx_label(label: str) -> FxLabel | None:
    """Read "3 month average FX EUR=CAD per Bank of Canada"; None for a statement line."""
    pair = FX_PAIR.search(label)
    if pair is None or not FX_WORDS.search(label):
        return None
    months = FX_MONTHS.search(label)
    length = None
    if months:
        word = months.group("n").lower()
        length = LENGTH_WORDS.get(word) or (int(word) if word.isdigit() else None)
    source = FX_SOURCE.search(label[pair.end():])
    return FxLabel(pair.group("base"), pair.group("quote"), length,
                   source.group("source") if source else None)


def clean_label(label: str) -> str:
    """Return a row's label without Markdown emphasis or footnote marks ("Revenue (1)")."""
    match = MARKDOWN_EMPHASIS.match(label)
    return split_marks(match.group("text").strip() if match else label)[0]


def read_body(rows: Sequence[Row], header: Header, file: Path) -> Body:
    """Read the line items and exchange-rate rows below the header."""
    columns = list(header.periods)
    body = Body([], [], [], [])
    fx_years: dict[int, tuple[int, bool]] | None = None  # set by a second year row
    fx_seen: set[tuple[str, str, date, int]] = set()
    heading: tuple[int, str] | None = None  # the last row with a label and no figures
    given: list[str] = []  # per line, what its units column says
    alone: list[str | None] = []  # per line, a currency its units column or cells give alone
    for row in rows:
        filled = row.filled()
        if not row.label:
            if not filled:
                continue
            years = {i: parse_year(t) for i, t in filled}
            if all(years.values()):
                fx_years = years  # type: ignore[assignment]  # a second year row: the rates below it use these years
                continue
            raise DataError("figures without a label", file=file, row=row.number,
                            column=row.letter(filled[0][0]))
        label = clean_label(row.label)
        if filled and FX_WORDS.search(label) and all(parse_year(t) for _, t in filled):
            # "Average exchange rates  2011  2010": the year row of the rates, with a caption.
            fx_years = {i: parse_year(t) for i, t in filled}  # type: ignore[misc]
            continue
        fx = parse_fx_label(label)
        if fx is not None:
            body.fx_rates.extend(_fx_rates(row, fx, header, fx_years, fx_seen, file))
            body.fx_sources.append(fx.source)
            continue
        if not filled:
            body.notes.append(f"row {row.number}: {label!r} has no figures; read as a heading "
                              "and left out")
            heading = (row.number, label)
            continue
        if fx_years is not None:
            raise DataError("a statement line below the second year row; only exchange-rate "
                            "rows may follow it", file=file, row=row.number)
        try:
            parse_amount(label)
        except NotationError:
            pass
        else:
            raise DataError(f"no label: the row starts with the figure {label!r}",
                            file=file, row=row.number, column=row.letter(0))
        for i, text in filled:
            if i in header.change_columns:
                continue  # a published change: derived from the figures, not one of them
            if i not in header.periods and i not in header.unit_columns:
                raise DataError(
                    f"ragged row: a figure in column {row.letter(i)}, but the header has "
                    f"periods in columns {', '.join(header.letters.values())} "
                    "only", file=file, row=row.number, column=row.letter(i))
        values, cell_units = [], set()
        for i in columns:
            figure, unit = split_cell_unit(row.cell(i))
            if unit:
                cell_units.add(unit)
            try:
                values.append(parse_amount(figure, blank_is_zero=True))
            except NotationError:
                raise DataError(f"not a figure: {row.cell(i)!r}", file=file, row=row.number,
                                column=row.letter(i)) from None
        if len(cell_units) > 1:
            raise DataError(f"the row's cells give several units: {', '.join(sorted(cell_units))}",
                            file=file, row=row.number)
        column_unit = " ".join(row.cell(i) for i in header.unit_columns if row.cell(i))
        given.append(column_unit.strip())
        signed = any("$" in row.cell(i) for i in columns)
        signs = {m.group(1) for i in columns if (m := _SIGN.match(row.cell(i).strip()))}
        # A units column's lone "US$" was joined to the first figure (merge_lone_marks).
        alone.append(column_unit.strip() if LONE_SIGN.match(column_unit.strip())
                     else next(iter(signs)) if len(signs) == 1 and not column_unit.strip() else None)
        if heading is not None and PER_SHARE_LABEL.search(heading[1]) and SHARE_CLASS_LABEL.match(label):
            label = under_heading(heading[1], label)  # "Basic" under "Net income per share:"
        body.units.append(line_unit(label, column_unit, cell_units, signed, body.money_units,
                                    signs.pop() if len(signs) == 1 else None))
        # The unit in brackets leaves the label for the line's `unit`: printed once, after it.
        label = LABEL_UNIT.sub("", label).strip() or label
        body.changes.append({i: row.cell(i) for i in sorted(header.change_columns)
                             if row.cell(i)})
        body.lines.append((label, row.number, tuple(values)))
        body.headings.append(heading)
        body.nil_marks.append(tuple(nil_as_published(row.cell(i)) for i in columns))
    # A units column that gives the money rows their scale ("US$m") and one row only a currency
    # ("US$"): that row is money in whole units (an average price or cost), never at the scale.
    if any(MONEY_UNIT.match(text) and not LONE_SIGN.match(text) for text in given if text):
        body.units = [sign if unit is None and sign is not None else unit
                      for unit, sign in zip(body.units, alone)]
    return body


_SIGN = re.compile(r"^\(?([A-Z]{0,3}\$|€|£)\s*\(?\d")  # the currency printed before a figure


def _fx_rates(row: Row, fx: FxLabel, header: Header, fx_years: dict | None,
              seen: set, file: Path) -> list[FxRate]:
    """Read one exchange-rate row; its columns take the years of the nearest year row above."""
    rates = []
    for i, text in row.filled():
        if fx_years is not None:
            year = fx_years.get(i, (None, False))[0]
        else:
            year = header.periods[i].end.year if i in header.periods else None
        if year is None or i not in header.month_days:
            raise DataError(f"an exchange rate in column {row.letter(i)}, which has no year "
                            "above it", file=file, row=row.number, column=row.letter(i))
        if not FX_RATE.match(text):
            raise DataError(f"not an exchange rate: {text!r}", file=file, row=row.number,
                            column=row.letter(i))
        month, day = header.month_days[i]
        months = fx.months or (header.periods[i].months if i in header.periods else None)
        if months is None:
            raise DataError("the exchange-rate label gives no length such as \"3 month\"",
                            file=file, row=row.number, column=row.letter(0))
        try:
            end = date(year, month, day)
        except ValueError as exc:
            raise DataError(str(exc), file=file, row=row.number, column=row.letter(i)) from exc
        key = (fx.base, fx.quote, end, months)
        if key in seen:
            raise DataError(f"two {fx.base}={fx.quote} rates for {months} months ended {end}",
                            file=file, row=row.number, column=row.letter(i))
        seen.add(key)
        rates.append(FxRate(fx.base, fx.quote, Period(end, months), Decimal(text)))
    return rates


