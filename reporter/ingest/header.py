"""Reading a table's header rows into one period per figure column, and its currency and scale."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Sequence

from reporter.errors import DataError
from reporter.ingest.rules import (
    CHANGE_CELL, CURRENCY_RULES, DATE_LENGTH, DATE_PATTERNS, FISCAL_CELL, HEADER_NOISE, HEADING_PATTERNS,
    LENGTH_WORDS, MONTH_DAY, MONTH_WORDS, RESTATED, RESTATED_WORDS, SCALE_RULES, STATED_PERIOD,
    YEAR_CELL,
)
from reporter.ingest.sources import Row
from reporter.ingest.types import describe
from reporter.inputs.periods import Period



@dataclass(frozen=True)
class Heading:
    """A period heading: its length and month-day, with the year and mark when it gives them."""

    months: int
    month: int
    day: int
    year: int | None = None
    restated: bool = False


@dataclass(frozen=True)
class Units:
    """The currency and scale a header cell states, either possibly unknown."""

    currency: str | None = None
    scale: str | None = None


@dataclass
class Header:
    """The periods of the table's figure columns and what the header says about units."""

    periods: dict[int, Period]  # cell index -> period, in column order
    letters: dict[int, str]  # cell index -> spreadsheet-style letter of the source column
    month_days: dict[int, tuple[int, int]]  # cell index -> heading's (month, day)
    width: int  # last cell index the header covers
    units: Units
    units_row: int | None
    body_start: int  # index into the rows
    title: str | None = None
    # Columns that compare periods ("% Change", "Up / (down)"): not periods, their cells not read.
    change_columns: frozenset[int] = frozenset()

    @property
    def unit_columns(self) -> list[int]:
        """Columns between the label and the first figures: a units column ("US$m", "oz")."""
        first = min(self.periods, default=1)
        return list(range(1, first))


def parse_heading(text: str) -> Heading | None:
    """Read a period heading such as "Nine Months Ended June 30,"; None if it is not one."""
    for pattern, months in HEADING_PATTERNS:
        match = pattern.search(text)
        if match:
            break
    else:
        return None
    length = months if months is not None else LENGTH_WORDS[match.group("n").lower()]
    when = MONTH_DAY.search(text, match.end())
    if when is None:
        # A heading without its month-day is still a heading: read_header says what is missing.
        return Heading(length, 0, 0, restated=bool(RESTATED.search(text)))
    month = when.group("month") or when.group("month2")
    day = when.group("day") or when.group("day2")
    year = when.group("year") or when.group("year2")
    return Heading(length, MONTH_WORDS[month[:3].lower()], int(day),
                   int(year) if year else None, bool(RESTATED.search(text)))


def parse_year(text: str) -> tuple[int, bool] | None:
    """Read a year cell such as "2010" or "2010 (restated)" as (year, restated)."""
    match = YEAR_CELL.match(text.strip())
    if match is None:
        return None
    return int(match.group("year")), bool(match.group("pre") or match.group("post"))


def parse_units(text: str) -> Units:
    """Read the currency and scale a cell states ("CAD$ 000" -> CAD, thousands)."""
    currencies = {code for pattern, code in CURRENCY_RULES if pattern.search(text)}
    scales = {scale for pattern, scale in SCALE_RULES if pattern.search(text)}
    return Units(currencies.pop() if len(currencies) == 1 else None,
                 scales.pop() if len(scales) == 1 else None)


def classify_header_cell(text: str) -> str | None:
    """Say what a header cell is: heading, year, units, restated or noise; None if unreadable."""
    if parse_heading(text):
        return "heading"
    if parse_year(text):
        return "year"
    if parse_date_cell(text):
        return "date"
    if parse_fiscal_cell(text):
        return "fiscal"
    if HEADER_NOISE.match(text):
        return "noise"
    if CHANGE_CELL.match(" ".join(text.split())):
        return "change"
    if RESTATED.search(text) and not re.search(r"\d", text):
        return "restated"
    units = parse_units(text)
    if units.currency or units.scale:
        return "units"
    return None


def _is_header_label(label: str) -> bool:
    """Say whether a label cell may sit on a header row: empty, units or noise."""
    return not label or classify_header_cell(label) in {"units", "noise"}


def heading_spans(headings: dict[int, object], width: int) -> dict[int, int]:
    """Map each column to the heading cell over it: a heading spans the empty cells to its right."""
    spans: dict[int, int] = {}
    starts = sorted(headings)
    for start, stop in zip(starts, [*starts[1:], width + 1]):
        for column in range(start, stop):
            spans[column] = start
    return spans


def read_header(rows: Sequence[Row], file: Path, stated: Sequence[Period] | None = None,
                fiscal_year_end: str | None = None, sentence_year: int | None = None) -> Header:
    """Read the header rows above the figures into periods; stop at the first line item.

    `sentence_year` is the one year the sentence above the table gives ("for the three and six
    months ended June 30, 2023"): the year of headings that give none, with no year row.
    """
    if stated:
        return _stated_header(rows, file, stated)
    heading_row: Row | None = None
    year_row: Row | None = None
    date_row: Row | None = None
    header_rows: list[Row] = []
    title = None
    body_start = len(rows)
    changes: set[int] = set()
    for index, row in enumerate(rows):
        if not any(row.cells):
            continue  # a line of bare tabs or an empty spreadsheet row
        filled = row.filled()
        if not filled:
            kind = classify_header_cell(row.label)
            if kind is None and (heading_row is not None or year_row is not None):
                body_start = index  # a label-only row below the header: a section heading
                break
            if kind is None:
                title = row.label  # a title line above the table
            header_rows.append(row)
            continue
        kinds = {i: classify_header_cell(text) for i, text in filled}
        changes.update(i for i, kind in kinds.items() if kind == "change")
        unread = [i for i, kind in kinds.items() if kind is None]
        if not unread and classify_header_cell(row.label) == "heading" and \
                "year" in kinds.values() and heading_row is None and year_row is None:
            # "SIX MONTHS TO 30 JUNE | 2008 | 2007": the heading in the label's cell, over the
            # years beside it, as British and Australian releases set it.
            heading_row = year_row = row
            header_rows.append(row)
            continue
        # A period heading makes a header row whatever its label says (often the table's title);
        # years or units alone do only under an empty or units label, since "Interest 2011 2010"
        # could be a line.
        periodic = {"heading", "date", "fiscal"} & set(kinds.values())
        if not unread and (periodic or _is_header_label(row.label)):
            if not _is_header_label(row.label):
                title = row.label
            dated = {"date", "fiscal"} & set(kinds.values())
            for found, seen, name in (("heading" in kinds.values(), heading_row, "period headings"),
                                      ("year" in kinds.values(), year_row, "years"),
                                      (bool(dated), date_row, "dates")):
                if found and seen is not None:
                    raise DataError(f"a second row of {name} in the header (the first is row "
                                    f"{seen.number})", file=file, row=row.number)
            if "heading" in kinds.values():
                heading_row = row
            if "year" in kinds.values():
                year_row = row
            if dated:
                date_row = row
            header_rows.append(row)
            continue
        if heading_row is None and date_row is None:
            if row.label and not _is_header_label(row.label):
                raise DataError("cannot read the header: no period heading (such as \"Three "
                                "Months Ended June 30,\", \"30-Jun-15\" or \"Q3 2021\") above "
                                "the figures" + _PERIODS_HINT, file=file, row=row.number)
            raise DataError(f"cannot read the header cell {row.cell(unread[0])!r}: expected a "
                            "period heading, a date, a quarter or fiscal year, a year or a "
                            "currency and scale" + _PERIODS_HINT,
                            file=file, row=row.number, column=row.letter(unread[0]))
        if not row.label:
            raise DataError(f"cannot read the header cell {row.cell(unread[0])!r}: expected a "
                            "year or a currency and scale",
                            file=file, row=row.number, column=row.letter(unread[0]))
        body_start = index
        break
    if date_row is not None:
        header = _dated_periods(heading_row, date_row, header_rows, body_start, title, file,
                                fiscal_year_end)
    elif heading_row is None:
        raise DataError("cannot read the header: no period heading (such as \"Three Months "
                        "Ended June 30,\")" + _PERIODS_HINT, file=file,
                        row=rows[0].number if rows else None)
    else:
        header = _header_periods(heading_row, year_row, header_rows, body_start, title, file,
                                 sentence_year)
    return replace(header, change_columns=frozenset(changes - set(header.periods)))


def _header_periods(heading_row: Row, year_row: Row | None, header_rows: Sequence[Row],
                    body_start: int, title: str | None, file: Path,
                    sentence_year: int | None = None) -> Header:
    """Combine the heading, year and restated cells into one period per figure column."""
    width = max(i for r in header_rows for i, _ in r.filled())
    headings = {i: parse_heading(t) for i, t in heading_row.filled() if parse_heading(t)}
    if parse_heading(heading_row.label) and heading_row is year_row:
        headings[0] = parse_heading(heading_row.label)  # the heading over the years beside it
    for i, heading in headings.items():
        if not heading.month:
            raise DataError(f"cannot read the header: the period heading {heading_row.cell(i)!r} "
                            "has no month and day", file=file, row=heading_row.number,
                            column=heading_row.letter(i))
    spans = heading_spans(headings, width)
    restated = {i for r in header_rows for i, t in r.filled()
                if RESTATED.search(t) and classify_header_cell(t) in {"restated", "units"}}
    years = {i: parse_year(t) for i, t in year_row.filled()} if year_row else {}
    years = {i: y for i, y in years.items() if y}

    units, units_row = header_units(header_rows, file)

    periods: dict[int, Period] = {}
    seen: dict[Period, str] = {}
    place = year_row or heading_row
    for column in range(1, width + 1):
        heading = headings.get(spans[column]) if column in spans else None
        year, year_restated = years.get(column, (None, False))
        if heading is None:
            if year is not None:
                raise DataError(f"cannot read the header: the year {year} has no period "
                                "heading above it", file=file, row=place.number,
                                column=place.letter(column))
            continue
        # A heading's own year is its column's; the empty cells it spans need a year row.
        year = year or (heading.year if column == spans[column] else None)
        if year is None and year_row is None and column == spans[column]:
            year = sentence_year  # the year given only in the sentence above the table
        if year is None:
            continue  # a spacer column under a heading
        try:
            end = date(year, heading.month, heading.day)
        except ValueError as exc:
            raise DataError(f"cannot read the header: {exc} in the period heading",
                            file=file, row=heading_row.number,
                            column=heading_row.letter(spans[column])) from exc
        flag = year_restated or heading.restated or column in restated
        period = Period(end, heading.months, flag)
        letter = place.letter(column)
        if period in seen:
            raise DataError(f"two columns for the {describe(period)}: {seen[period]} and "
                            f"{letter}", file=file, row=place.number, column=letter)
        seen[period] = letter
        periods[column] = period
    for start, heading in headings.items():
        if not any(spans.get(c) == start for c in periods):
            raise DataError(f"cannot read the header: no year for the period heading "
                            f"{heading_row.cell(start)!r}", file=file, row=heading_row.number,
                            column=heading_row.letter(start))
    month_days = {c: (headings[s].month, headings[s].day) for c, s in spans.items()}
    return Header(periods, dict(seen_letters(periods, place)), month_days, width, units, units_row, body_start, title)




def seen_letters(periods: dict[int, Period], place: Row) -> list[tuple[int, str]]:
    """Pair each period column with its source letter."""
    return [(column, place.letter(column)) for column in periods]


_PERIODS_HINT = ("; or state the periods with --periods (e.g. "
                 "--periods 3M:2015-06-30,3M:2014-06-30R,3M:2015-03-31)")


def header_units(header_rows: Sequence[Row], file: Path) -> tuple[Units, int | None]:
    """Read the currency and scale the header cells give, and the row that first gives them."""
    units, units_row = Units(), None
    for r in header_rows:
        for i, text in enumerate(r.cells):
            # "Units" over a units column and "% Change" say nothing of the table's money.
            skip = not text or classify_header_cell(text) in {"noise", "change"}
            found = parse_units(text) if not skip else Units()
            for attr in ("currency", "scale"):
                new, old = getattr(found, attr), getattr(units, attr)
                if new and old and new != old:
                    raise DataError(f"the header gives two {attr}s: {old} and {new}",
                                    file=file, row=r.number, column=r.letter(i))
            if found.currency or found.scale:
                units = Units(units.currency or found.currency, units.scale or found.scale)
                units_row = units_row or r.number
    return units, units_row


@dataclass(frozen=True)
class DateCell:
    """A header cell that names a period's end, and its length when it says it ("9M")."""

    end: date | None  # None for a fiscal quarter or year, resolved with the fiscal year end
    months: int | None
    restated: bool = False
    quarter: int | None = None  # Q3 -> 3; 0 for a whole fiscal year, -1/-2 for H1/H2
    fiscal_year: int | None = None


def _restated_off(text: str) -> tuple[str, bool]:
    """Take "Restated" off a cell wherever it stands: before, after, in brackets."""
    bare = RESTATED_WORDS.sub(" ", text)
    return " ".join(bare.split()), bare != text


def parse_date_cell(text: str) -> DateCell | None:
    """Read "30-Jun-15", "Restated 30-Jun-14", "9M 30-Sep-21", "2015-06-30", "June 30, 2015"."""
    bare, restated = _restated_off(text)
    length = DATE_LENGTH.match(bare)
    months = int(length.group("n")) if length else None
    bare = bare[length.end():] if length else bare
    for pattern in DATE_PATTERNS:
        match = pattern.fullmatch(bare.strip().rstrip(",").strip())
        if match:
            parts = match.groupdict()
            year = int(parts["year"])
            year = year + 2000 if year < 100 else year
            month = int(parts["month"]) if parts["month"].isdigit() \
                else MONTH_WORDS.get(parts["month"][:3].lower())
            try:
                return DateCell(date(year, month, int(parts["day"])), months, restated)
            except (TypeError, ValueError):
                return None
    return None


def parse_fiscal_cell(text: str) -> DateCell | None:
    """Read "Q3 2021", "Q3 FY2021", "FY2016", "H1 2021" (fiscal years named by their end)."""
    bare, restated = _restated_off(text)
    match = FISCAL_CELL.fullmatch(bare.strip())
    if match is None or not (match.group("q") or match.group("h") or "FY" in bare.upper()):
        return None
    year = int(match.group("year"))
    year = year + 2000 if year < 100 else year
    if match.group("q"):
        return DateCell(None, 3, restated, int(match.group("q")), year)
    if match.group("h"):
        return DateCell(None, 6, restated, -int(match.group("h")), year)
    return DateCell(None, 12, restated, 0, year)


def fiscal_end(cell: DateCell, fiscal_year_end: str) -> date:
    """Return the last day of a fiscal quarter, half or year, given the year's month-day end."""
    from calendar import monthrange

    month = int(fiscal_year_end[:2])
    if cell.quarter and cell.quarter > 0:
        back = 3 * (4 - cell.quarter)
    elif cell.quarter and cell.quarter < 0:
        back = 6 * (2 + cell.quarter)
    else:
        back = 0
    index = cell.fiscal_year * 12 + month - 1 - back
    year, month0 = divmod(index, 12)
    return date(year, month0 + 1, monthrange(year, month0 + 1)[1])


def _dated_periods(heading_row: Row | None, date_row: Row, header_rows: Sequence[Row],
                   body_start: int, title: str | None, file: Path,
                   fiscal_year_end: str | None) -> Header:
    """Read periods from a row of dates or fiscal periods, lengths from a heading over them."""
    width = max(i for r in header_rows for i, _ in r.filled())
    headings = ({i: parse_heading(t) for i, t in heading_row.filled() if parse_heading(t)}
                if heading_row else {})
    spans = heading_spans(headings, width)
    restated = {i for r in header_rows for i, t in r.filled()
                if RESTATED.search(t) and classify_header_cell(t) in {"restated", "units"}}
    units, units_row = header_units(header_rows, file)
    periods: dict[int, Period] = {}
    seen: dict[Period, str] = {}
    for column, text in date_row.filled():
        cell = parse_date_cell(text) or parse_fiscal_cell(text)
        if cell is None:
            continue  # a units cell on the same row
        letter = date_row.letter(column)
        heading = headings.get(spans[column]) if column in spans else None
        months = cell.months or (heading.months if heading else None)
        if months is None:
            raise DataError(f"cannot read the header cell {text!r}: it gives the end date but "
                            "not the length; expected a heading such as \"Three months ended\" "
                            "above it or 3M/9M before the date" + _PERIODS_HINT,
                            file=file, row=date_row.number, column=letter)
        end = cell.end
        if end is None:
            if fiscal_year_end is None:
                raise DataError(f"cannot read the header cell {text!r} without the fiscal year "
                                "end: use --fiscal-year-end MM-DD" + _PERIODS_HINT,
                                file=file, row=date_row.number, column=letter)
            end = fiscal_end(cell, fiscal_year_end)
        flag = cell.restated or column in restated or bool(heading and heading.restated)
        period = Period(end, months, flag)
        if period in seen:
            raise DataError(f"two columns for the {describe(period)}: {seen[period]} and "
                            f"{letter}", file=file, row=date_row.number, column=letter)
        seen[period] = letter
        periods[column] = period
    month_days = {c: (p.end.month, p.end.day) for c, p in periods.items()}
    return Header(periods, {c: date_row.letter(c) for c in periods}, month_days, width, units,
                  units_row, body_start, title)


def stated_periods(text: str | None, file: Path) -> list[Period] | None:
    """Read --periods: "3M:2015-06-30,3M:2014-06-30R" (R marks a restated column)."""
    if not text:
        return None
    periods = []
    for item in text.split(","):
        match = STATED_PERIOD.fullmatch(item.strip())
        if match is None:
            raise DataError(f"--periods: cannot read {item.strip()!r}; write each period as "
                            "<months>M:<end date>[R], e.g. 3M:2015-06-30 or 9M:2014-06-30R")
        try:
            end = date.fromisoformat(match.group("end"))
        except ValueError as exc:
            raise DataError(f"--periods: {item.strip()!r}: {exc}") from None
        periods.append(Period(end, int(match.group("months")), bool(match.group("r"))))
    return periods


def _stated_header(rows: Sequence[Row], file: Path, stated: Sequence[Period]) -> Header:
    """Take the periods as stated; the header rows are everything above the first line item."""
    # A row of bare years is a header whatever its label says ("SIX MONTHS TO 30 JUNE | 2008 |
    # 2007"), never a line whose figures are years.
    body_start = next((i for i, r in enumerate(rows)
                       if r.label and r.filled() and not _is_header_label(r.label)
                       and classify_header_cell(r.label) != "heading"
                       and not all(parse_year(t) for _, t in r.filled())), len(rows))
    header_rows = [r for r in rows[:body_start]]
    changes = {i for r in header_rows for i, t in r.filled() if classify_header_cell(t) == "change"}
    # The figure columns: a units column ("US$m") and a change column are not periods.
    columns = sorted({i for r in rows[body_start:] if r.label for i, t in r.filled()
                      if i not in changes and _is_figure_cell(t)})
    place = rows[body_start] if body_start < len(rows) else rows[-1]
    if len(columns) != len(stated):
        raise DataError(f"--periods gives {len(stated)} periods but the table has "
                        f"{len(columns)} figure columns "
                        f"({', '.join(place.letter(c) for c in columns)})",
                        file=file, row=place.number)
    periods = dict(zip(columns, stated))
    units, units_row = header_units(header_rows, file)
    return Header(periods, {c: place.letter(c) for c in columns},
                  {c: (p.end.month, p.end.day) for c, p in periods.items()},
                  max(columns), units, units_row, body_start, None,
                  frozenset(changes - set(periods)))


def _is_figure_cell(text: str) -> bool:
    """Say whether a body cell holds a figure, with or without a unit after it ("6,747 oz")."""
    from reporter.ingest.body import split_cell_unit
    from reporter.inputs.notation import is_amount

    return is_amount(split_cell_unit(text)[0])
