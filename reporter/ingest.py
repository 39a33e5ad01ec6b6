"""Turn a financial table pasted from a release into a report folder to review and build.

The source is tab-separated text (a `.tsv`, or a `.md`/`.txt` whose tab-separated block is the
table, Markdown escapes such as `\\$` included), a `.csv`, or one sheet of an `.xlsx` workbook.
The table reads, top to bottom:

* header rows: a period heading ("Three Months Ended June 30,") that spans the empty cells to its
  right, a year row ("2011  2010"), a currency-and-scale row ("CAD$ 000"); "Restated" in a
  header cell marks its column (or, inside a period heading, the heading's columns);
* statement lines: a label, then one figure per period column in accounting notation;
* optionally a second year row and average exchange-rate rows
  ("3 month average FX EUR=CAD per Bank of Canada  1.3934  1.3073"), which become `fx_rates`.

The statement structure is inferred from the figures alone, never from labels: walking down the
lines, a row is a subtotal when, in every column and within rounding, it equals the previous
subtotal (or the first line) less all the lines between them, there is at least one such line,
and the row does not merely repeat the subtotal it starts from. The formula is then
`anchor - line - line ...` in the published sign.

Bottom-line rule: when the table has three or more lines and some subtotal was found, its last
line must be a subtotal too, since a release's table ends on its bottom line; otherwise ingest
stops with a DataError on that row saying it does not tie to the lines above it within rounding.

Every problem in the source is one DataError naming the file, the row (1-based line of the text
file, or spreadsheet row) and, where there is one, the column (spreadsheet-style letter). The
folder is written into a temporary sibling and renamed into place, so an error leaves nothing.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import unicodedata
import uuid
from calendar import monthrange
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Sequence

import yaml

from reporter.errors import DataError
from reporter.notation import NotationError, parse_amount

# --- rules --------------------------------------------------------------------------------------

XLSX_SUFFIXES = frozenset({".xlsx", ".xlsm"})
CSV_SUFFIXES = frozenset({".csv"})
# Prose files hold the table as one block of tab-separated lines among paragraphs.
PROSE_SUFFIXES = frozenset({".md", ".markdown", ".txt"})

SCALES = ("units", "thousands", "millions")

LENGTH_WORDS = {
    "three": 3, "3": 3,
    "six": 6, "6": 6,
    "nine": 9, "9": 9,
    "twelve": 12, "12": 12,
}
MONTH_WORDS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}
# How a period heading gives its length: a pattern, and the months it means (None: read the
# `n` group through LENGTH_WORDS). The first pattern that matches wins, so "half year" precedes
# "year".
_ENDED = r"end(?:ed|ing)\b"
HEADING_PATTERNS: tuple[tuple[re.Pattern[str], int | None], ...] = (
    (re.compile(r"\b(?P<n>three|six|nine|twelve|3|6|9|12)[\s-]*months?\s+(?:period\s+)?" + _ENDED,
                re.I), None),
    (re.compile(r"\bquarter\s+" + _ENDED, re.I), 3),
    (re.compile(r"\bhalf[\s-]*year\s+" + _ENDED, re.I), 6),
    (re.compile(r"\b(?:fiscal\s+)?year\s+" + _ENDED, re.I), 12),
)
MONTH_DAY = re.compile(
    r"\b(?P<month>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(?P<day>\d{1,2})"
    r"(?:st|nd|rd|th)?\b,?\s*(?P<year>(?:19|20)\d{2}\b)?",
    re.I,
)
YEAR_CELL = re.compile(r"^(?P<pre>\(?restated\)?\s*)?(?P<year>(?:19|20)\d{2})"
                       r"\s*(?P<post>\(?(?:as\s+)?restated\)?)?\s*\**$", re.I)
RESTATED = re.compile(r"\brestated\b", re.I)
# Header cells that say something about the audit, not about the period: read past them.
HEADER_NOISE = re.compile(r"^\(?(?:un)?audited\)?$", re.I)

CURRENCY_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\bC\$|\bCdn\$|\bCAD\b|\bcanadian\s+dollars?\b", re.I), "CAD"),
    (re.compile(r"\bUS\$|\bUSD\b|\bU\.?S\.?\s+dollars?\b", re.I), "USD"),
    (re.compile(r"\bA\$|\bAUD\b|\baustralian\s+dollars?\b", re.I), "AUD"),
    (re.compile(r"€|\bEUR\b|\beuros?\b", re.I), "EUR"),
    (re.compile(r"£|\bGBP\b|\bpounds?\s+sterling\b", re.I), "GBP"),
    (re.compile(r"\bCHF\b|\bswiss\s+francs?\b", re.I), "CHF"),
)
SCALE_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    # "000" alone, "$'000", "000s"; the look-behind keeps "2000" a year.
    (re.compile(r"(?<![\d.,])'?000'?s?(?![\d,])|\bthousands?\b|\$\s*K\b", re.I), "thousands"),
    (re.compile(r"\bmillions?\b|\$\s*MM?\b|\bMM\b|\bmln\b", re.I), "millions"),
    (re.compile(r"\bunits\b", re.I), "units"),
)

# An exchange-rate row names a currency pair and a rate word; the label gives its length.
FX_PAIR = re.compile(r"\b(?P<base>[A-Z]{3})\s*[=/]\s*(?P<quote>[A-Z]{3})\b")
FX_WORDS = re.compile(r"\b(?:fx|exchange|rates?|average)\b", re.I)
FX_MONTHS = re.compile(r"\b(?P<n>three|six|nine|twelve|\d{1,2})[\s-]*months?\b", re.I)
FX_SOURCE = re.compile(r"\bper\s+(?P<source>.+?)\s*$", re.I)
FX_RATE = re.compile(r"^\d+(?:\.\d+)?$")

# Markdown escapes a backslash before ASCII punctuation; the pasted seed has "\$".
MARKDOWN_ESCAPE = re.compile(r"\\(?=[!-/:-@\[-`{-~])")
MARKDOWN_EMPHASIS = re.compile(r"^(\*\*|__|\*|_)(?P<text>.+)\1$")
PERIOD_WORDS = {3: "three", 6: "six", 9: "nine", 12: "twelve"}

# --- public types -------------------------------------------------------------------------------


@dataclass
class IngestOptions:
    """Settings the table cannot tell: who reports, and overrides for what it says."""

    company_name: str = "Company name"
    short_name: str | None = None
    ticker: str | None = None
    exchange: str | None = None
    fiscal_year_end: str = "12-31"  # month-day
    sheet: str | None = None  # XLSX sheet name; first sheet when None
    currency: str | None = None  # wins over the header's currency
    scale: str | None = None  # "units" | "thousands" | "millions"; wins over the header's
    locale: str = "en_CA"


@dataclass(frozen=True)
class Period:
    """One period column of the table."""

    end: date
    months: int
    restated: bool = False
    column: str = ""  # spreadsheet-style letter of the source column

    def describe(self) -> str:
        """Name the period the way the rounding notes do: `three months ended 2011-06-30`."""
        length = PERIOD_WORDS.get(self.months, str(self.months))
        text = f"{length} months ended {self.end.isoformat()}"
        return text + " (restated)" if self.restated else text


@dataclass(frozen=True)
class FxRate:
    """An average exchange rate as published: one `base` is `rate` of `quote`."""

    base: str
    quote: str
    period_end: date
    months: int
    rate: str  # a string, so 1.436078 keeps its precision


@dataclass
class Line:
    """One statement line: its id, label, source row, figures per period and formula if any."""

    id: str
    label: str
    row: int
    values: tuple[Decimal, ...]
    formula: str | None = None


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

    def summary_lines(self) -> list[str]:
        """Say what was written and what the user should check, one line each."""
        out = [
            f"wrote {self.out_dir}: {len(self.lines)} lines, {len(self.periods)} periods, "
            f"{len(self.fx_rates)} exchange rates ({self.currency}, {self.scale})",
            "periods: " + ", ".join(p.describe() for p in self.periods),
        ]
        if self.subtotals:
            out.append("subtotals inferred from the figures (confirm them in statement.yaml):")
            out.extend(f"  {line_id} = {formula}" for line_id, formula in self.subtotals)
        else:
            out.append("no subtotals found: add formulas to statement.yaml if the table has any")
        if self.rounding:
            out.append("rounding differences, published figures kept:")
            out.extend(f"  {sentence}" for sentence in self.rounding)
        out.extend(f"note: {note}" for note in self.notes)
        out.append("next: fill in the TODO placeholders in commentary.md and check report.yaml")
        return out


# --- reading the source -------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One row of the source: its number there and its cells, label first."""

    number: int
    cells: tuple[str, ...]
    first_column: int = 1  # 1-based source column of cells[0]

    def cell(self, index: int) -> str:
        """Return the cell at `index` (0 is the label), empty past the row's end."""
        return self.cells[index] if index < len(self.cells) else ""

    def letter(self, index: int) -> str:
        """Return the spreadsheet-style letter of the cell at `index`."""
        return column_letter(self.first_column + index)

    @property
    def label(self) -> str:
        return self.cell(0)

    def filled(self) -> list[tuple[int, str]]:
        """Return the non-empty figure cells as (index, text)."""
        return [(i, text) for i, text in enumerate(self.cells) if i > 0 and text]


def column_letter(number: int) -> str:
    """Return the spreadsheet letter of a 1-based column: 1 -> A, 27 -> AA."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def read_source(source: Path, sheet: str | None = None) -> tuple[list[Row], str | None]:
    """Read the source's table as rows, with a title found just above it (prose files)."""
    if not source.is_file():
        raise DataError("no such file", file=source)
    suffix = source.suffix.lower()
    if suffix in XLSX_SUFFIXES:
        rows = xlsx_rows(source, sheet)
        if not rows:
            raise DataError(f"the sheet {sheet or '(first)'} is empty", file=source)
        return trim_columns(rows), None
    text = source.read_bytes().decode("utf-8-sig", errors="replace")
    if suffix in CSV_SUFFIXES:
        return trim_columns(csv_rows(text)), None
    rows, title = tab_rows(text, block_only=suffix in PROSE_SUFFIXES)
    if not rows:
        raise DataError("no tab-separated table found", file=source)
    return trim_columns(rows), title


def _clean(text: str) -> str:
    """Drop Markdown escapes and surrounding space from one pasted cell."""
    return MARKDOWN_ESCAPE.sub("", text).strip()


def tab_rows(text: str, *, block_only: bool) -> tuple[list[Row], str | None]:
    """Split tab-separated text into rows; in prose keep the longest tab-separated block."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if not block_only:
        rows = [Row(n, tuple(_clean(c) for c in line.split("\t")))
                for n, line in enumerate(lines, start=1) if line.strip()]
        return rows, None
    best: tuple[int, int] = (0, 0)  # [start, stop) of the longest run of lines with a tab
    start = None
    for i, line in enumerate([*lines, ""]):
        if "\t" in line and start is None:
            start = i
        elif "\t" not in line and start is not None:
            if i - start > best[1] - best[0]:
                best = (start, i)
            start = None
    rows = [Row(i + 1, tuple(_clean(c) for c in lines[i].split("\t"))) for i in range(*best)]
    return rows, prose_title(lines[: best[0]])


def prose_title(lines_above: Sequence[str]) -> str | None:
    """Return the short line just above a table ("Summary Financial Information¹:") as a title."""
    for line in reversed(lines_above):
        text = line.strip()
        if not text:
            continue
        text = "".join(ch for ch in text if unicodedata.category(ch) != "No")  # footnote marks
        text = MARKDOWN_EMPHASIS.sub(r"\g<text>", _clean(text)).strip().rstrip(":").strip()
        # A paragraph or a sentence is not a title.
        return text if text and len(text) <= 80 and not text.endswith(".") else None
    return None


def csv_rows(text: str) -> list[Row]:
    """Read CSV text into rows numbered by their line in the file."""
    rows = []
    reader = csv.reader(io.StringIO(text))
    start = 1
    for record in reader:
        if any(c.strip() for c in record):
            rows.append(Row(start, tuple(c.strip() for c in record)))
        start = reader.line_num + 1
    return rows


def xlsx_rows(source: Path, sheet: str | None) -> list[Row]:
    """Read one sheet of a workbook into rows numbered as the spreadsheet numbers them."""
    import openpyxl  # imported here: only workbooks need it

    try:
        book = openpyxl.load_workbook(source, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a file that is not a workbook
        raise DataError(f"cannot open the workbook: {exc}", file=source) from exc
    if sheet is None:
        ws = book.worksheets[0]
    elif sheet in book.sheetnames:
        ws = book[sheet]
    else:
        raise DataError(f"no sheet named {sheet!r}; the workbook has {', '.join(book.sheetnames)}",
                        file=source)
    rows = []
    for cells in ws.iter_rows():
        texts = tuple(xlsx_text(c.value, c.number_format) for c in cells)
        if any(texts):
            rows.append(Row(cells[0].row, texts))
    return rows


def xlsx_text(value: object, number_format: str | None = None) -> str:
    """Write a workbook cell as the text it shows: 4421.0 -> "4421", 1.3 in "0.0000" -> "1.3000"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        number = Decimal(repr(value))
        decimals = _format_decimals(number_format or "")
        if decimals is not None:
            number = number.quantize(Decimal(1).scaleb(-decimals))
        elif number == number.to_integral_value():
            number = number.quantize(Decimal(1))
        return format(number, "f")
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _format_decimals(number_format: str) -> int | None:
    """Count the decimals a number format shows ("#,##0.00" -> 2); None for "General"."""
    first = number_format.split(";")[0]
    if not re.search(r"[0#]", first):
        return None
    match = re.search(r"\.([0#]+)", first)
    return len(match.group(1)) if match else 0


def trim_columns(rows: list[Row]) -> list[Row]:
    """Drop columns that are empty in every row, left of the table (a sheet starting at B2)."""
    filled = [next((i for i, c in enumerate(r.cells) if c), None) for r in rows]
    skip = min((i for i in filled if i is not None), default=0)
    if not skip:
        return rows
    return [Row(r.number, r.cells[skip:], r.first_column + skip) for r in rows]


# --- reading the header -------------------------------------------------------------------------


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
    month_days: dict[int, tuple[int, int]]  # cell index -> heading's (month, day)
    width: int  # last cell index the header covers
    units: Units
    units_row: int | None
    body_start: int  # index into the rows
    title: str | None = None


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
    year = when.group("year")
    return Heading(length, MONTH_WORDS[when.group("month")[:3].lower()], int(when.group("day")),
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
    if HEADER_NOISE.match(text):
        return "noise"
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


def read_header(rows: Sequence[Row], file: Path) -> Header:
    """Read the header rows above the figures into periods; stop at the first line item."""
    heading_row: Row | None = None
    year_row: Row | None = None
    header_rows: list[Row] = []
    title = None
    body_start = len(rows)
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
        unread = [i for i, kind in kinds.items() if kind is None]
        # A period heading makes a header row whatever its label says (often the table's title);
        # years or units alone do only under an empty or units label, since "Interest 2011 2010"
        # could be a line.
        if not unread and ("heading" in kinds.values() or _is_header_label(row.label)):
            if not _is_header_label(row.label):
                title = row.label
            for kind, name in (("heading", "period headings"), ("year", "years")):
                if kind in kinds.values():
                    seen = heading_row if kind == "heading" else year_row
                    if seen is not None:
                        raise DataError(f"a second row of {name} in the header (the first is row "
                                        f"{seen.number})", file=file, row=row.number)
            if "heading" in kinds.values():
                heading_row = row
            if "year" in kinds.values():
                year_row = row
            header_rows.append(row)
            continue
        if heading_row is None:
            if row.label and not _is_header_label(row.label):
                raise DataError("cannot read the header: no period heading (such as \"Three "
                                "Months Ended June 30,\") above the figures",
                                file=file, row=row.number)
            raise DataError(f"cannot read the header cell {row.cell(unread[0])!r}: expected a "
                            "period heading, a year or a currency and scale",
                            file=file, row=row.number, column=row.letter(unread[0]))
        if not row.label:
            raise DataError(f"cannot read the header cell {row.cell(unread[0])!r}: expected a "
                            "year or a currency and scale",
                            file=file, row=row.number, column=row.letter(unread[0]))
        body_start = index
        break
    if heading_row is None:
        raise DataError("cannot read the header: no period heading (such as \"Three Months "
                        "Ended June 30,\")", file=file, row=rows[0].number if rows else None)
    return _header_periods(heading_row, year_row, header_rows, body_start, title, file)


def _header_periods(heading_row: Row, year_row: Row | None, header_rows: Sequence[Row],
                    body_start: int, title: str | None, file: Path) -> Header:
    """Combine the heading, year and restated cells into one period per figure column."""
    width = max(i for r in header_rows for i, _ in r.filled())
    headings = {i: parse_heading(t) for i, t in heading_row.filled() if parse_heading(t)}
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

    units, units_row = Units(), None
    for r in header_rows:
        for i, text in enumerate(r.cells):
            found = parse_units(text) if text else Units()
            for attr in ("currency", "scale"):
                new, old = getattr(found, attr), getattr(units, attr)
                if new and old and new != old:
                    raise DataError(f"the header gives two {attr}s: {old} and {new}",
                                    file=file, row=r.number, column=r.letter(i))
            if found.currency or found.scale:
                units = Units(units.currency or found.currency, units.scale or found.scale)
                units_row = units_row or r.number

    periods: dict[int, Period] = {}
    seen: dict[tuple[date, int, bool], str] = {}
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
        if year is None:
            continue  # a spacer column under a heading
        try:
            end = date(year, heading.month, heading.day)
        except ValueError as exc:
            raise DataError(f"cannot read the header: {exc} in the period heading",
                            file=file, row=heading_row.number,
                            column=heading_row.letter(spans[column])) from exc
        flag = year_restated or heading.restated or column in restated
        period = Period(end, heading.months, flag, place.letter(column))
        key = (end, heading.months, flag)
        if key in seen:
            raise DataError(f"two columns for the {period.describe()}: {seen[key]} and "
                            f"{period.column}", file=file, row=place.number, column=period.column)
        seen[key] = period.column
        periods[column] = period
    for start, heading in headings.items():
        if not any(spans.get(c) == start for c in periods):
            raise DataError(f"cannot read the header: no year for the period heading "
                            f"{heading_row.cell(start)!r}", file=file, row=heading_row.number,
                            column=heading_row.letter(start))
    month_days = {c: (headings[s].month, headings[s].day) for c, s in spans.items()}
    return Header(periods, month_days, width, units, units_row, body_start, title)


# --- reading the body ---------------------------------------------------------------------------


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
    """Return a row's label without Markdown emphasis."""
    match = MARKDOWN_EMPHASIS.match(label)
    return match.group("text").strip() if match else label


def read_body(rows: Sequence[Row], header: Header, file: Path) -> Body:
    """Read the line items and exchange-rate rows below the header."""
    columns = list(header.periods)
    body = Body([], [], [], [])
    fx_years: dict[int, tuple[int, bool]] | None = None  # set by a second year row
    fx_seen: set[tuple[str, str, date, int]] = set()
    for row in rows:
        filled = row.filled()
        if not row.label:
            if not filled:
                continue
            years = {i: parse_year(t) for i, t in filled}
            if all(years.values()):
                fx_years = years  # a second year row: the rates below it use these years
                continue
            raise DataError("figures without a label", file=file, row=row.number,
                            column=row.letter(filled[0][0]))
        label = clean_label(row.label)
        fx = parse_fx_label(label)
        if fx is not None:
            body.fx_rates.extend(_fx_rates(row, fx, header, fx_years, fx_seen, file))
            body.fx_sources.append(fx.source)
            continue
        if not filled:
            body.notes.append(f"row {row.number}: {label!r} has no figures; read as a heading "
                              "and left out")
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
            if i not in header.periods:
                raise DataError(
                    f"ragged row: a figure in column {row.letter(i)}, but the header has "
                    f"periods in columns {', '.join(p.column for p in header.periods.values())} "
                    "only", file=file, row=row.number, column=row.letter(i))
        values = []
        for i in columns:
            try:
                values.append(parse_amount(row.cell(i), blank_is_zero=True))
            except NotationError:
                raise DataError(f"not a figure: {row.cell(i)!r}", file=file, row=row.number,
                                column=row.letter(i)) from None
        body.lines.append((label, row.number, tuple(values)))
    return body


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
        rates.append(FxRate(fx.base, fx.quote, end, months, text))
    return rates


# --- inferring the structure --------------------------------------------------------------------


@dataclass(frozen=True)
class Subtotal:
    """A line (by index) that equals `anchor` less `parts` in every column, within rounding."""

    index: int
    anchor: int
    parts: tuple[int, ...]


def tolerance_for(values: Sequence[Sequence[Decimal]]) -> Decimal:
    """Return one unit of the last published digit: 1 for whole figures, 0.1 for one decimal."""
    decimals = max((-v.as_tuple().exponent for row in values for v in row
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
    return all(abs(e - v) <= tolerance
               for e, v in zip(expected_total(values, anchor, parts), row))


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
                   ids: Sequence[str], periods: Sequence[Period]) -> list[str]:
    """Describe every column where a subtotal differs from its lines (within tolerance)."""
    notes = []
    for sub in subtotals:
        expected = expected_total(values, sub.anchor, sub.parts)
        for period, want, got in zip(periods, expected, values[sub.index]):
            if want != got:
                notes.append(f"{ids[sub.index]}, {period.describe()}: lines give {plain(want)}, "
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


# --- writing the folder -------------------------------------------------------------------------


def yaml_scalar(value: object) -> str:
    """Write one value as a YAML scalar, quoted only when YAML needs it."""
    text = yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=10**6)
    return text.removesuffix("\n").removesuffix("\n...").strip()


def render_report_yaml(options: IngestOptions, source: Path, periods: Sequence[Period],
                       currency: str, scale: str, fx_rates: Sequence[FxRate],
                       fx_source: str | None, key_figures: Sequence[str],
                       tolerance: Decimal) -> str:
    """Write report.yaml in the shape of the worked example, with its comments."""
    def optional(key: str, value: str | None, hint: str) -> str:
        return f"  {key}: {yaml_scalar(value)}" if value else f"  # {key}: {hint}"

    first = periods[0]
    out = [
        "# Settings of one report: who reports, which period, in what currency and scale.",
        f"# Written by `reporter ingest` from {source.name}: check every value.",
        "company:",
        f"  name: {yaml_scalar(options.company_name)}",
        optional("short_name", options.short_name, "Short name"),
        optional("exchange", options.exchange, "TSXV"),
        optional("ticker", options.ticker, "ABC"),
        "  # logo: assets/logo.svg",
        "",
        "# What the figures are about (a mine, a segment); the company itself when left out.",
        "# subject: Name of the mine or segment",
        "",
        "# The last day of the fiscal year (month-day). It decides which quarter a period is.",
        f'fiscal_year_end: "{options.fiscal_year_end}"',
        "",
        "# The period this report is about: the first column of the statement and of the key "
        "figures.",
        "period:",
        f"  end: {first.end.isoformat()}",
        f"  months: {first.months}",
        "",
        "reporting:",
        f"  currency: {currency:<9}# ISO 4217 code of the figures as published",
        f"  scale: {scale:<12}# units | thousands | millions: what one unit in figures.csv "
        "stands for",
        f"  locale: {options.locale:<11}# digits, separators and currency symbols (Babel)",
        "",
        "# Average exchange rates found in the table, quoted as published (strings keep their",
        "# precision: 1.436078 stays 1.436078).",
        "# figures_currency: EUR  # set this when figures.csv holds source-currency figures to "
        "convert",
    ]
    if fx_rates:
        out.append("fx_rates:")
        out.extend(f"  - {{base: {r.base}, quote: {r.quote}, period_end: "
                   f"{r.period_end.isoformat()}, months: {r.months}, rate: \"{r.rate}\"}}"
                   for r in fx_rates)
    else:
        out.append("fx_rates: []")
    if fx_source:
        out.append(f"fx_source: {yaml_scalar(fx_source)}")
    out += [
        "",
        "# A line printed above the headline, such as a distribution notice; empty for none.",
        'legend: ""',
        "",
        "# Lines the templates highlight, by id from statement.yaml, in this order.",
        "key_figures:",
        *(f"  - {line_id}" for line_id in key_figures),
        "",
        "# A subtotal may differ from the sum of its lines by this many units of the scale "
        "(rounding in",
        "# the published table); larger differences stop validate and build.",
        f"tie_out_tolerance: {tolerance}",
        "",
        "# Generated highlight sentences beside the written commentary.",
        "narrative: true",
    ]
    return "\n".join(out) + "\n"


def render_statement_yaml(source: Path, title: str, lines: Sequence[Line],
                          rounding: Sequence[str]) -> str:
    """Write statement.yaml, saying that its structure was inferred and must be confirmed."""
    out = [
        f"# Inferred by `reporter ingest` from {source.name}: confirm or edit this before you "
        "build.",
        "#",
        "# The lines are the table's rows, top to bottom. A line has a `formula` (it is a "
        "subtotal) only",
        "# because in every column it equals the subtotal above it (or the first line) less "
        "the lines in",
        "# between, within rounding; labels decided nothing. Formulas are in the published "
        "sign: `a - b`",
        "# means \"line a less line b\", and a line that a formula subtracts is a cost, "
        "published positive.",
        "# Fix a formula that is wrong, add one that was missed, and rename ids before "
        "key_figures use them.",
    ]
    if rounding:
        out += ["#", "# Rounding differences in the published table (kept as published):"]
        out += [f"#   {sentence}" for sentence in rounding]
    out += [f"title: {yaml_scalar(title)}", "lines:"]
    for line in lines:
        out += [f"  - id: {line.id}", f"    label: {yaml_scalar(line.label)}"]
        if line.formula:
            out.append(f"    formula: {line.formula}")
    return "\n".join(out) + "\n"


def render_figures_csv(lines: Sequence[Line], periods: Sequence[Period]) -> str:
    """Write figures.csv in long format; add the `restated` column only when a period is."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    restated = any(p.restated for p in periods)
    writer.writerow(["line_item", "period_end", "months", "value"] + (["restated"] * restated))
    for line in lines:
        for period, value in zip(periods, line.values):
            row = [line.id, period.end.isoformat(), period.months, accounting(value)]
            writer.writerow(row + ([str(period.restated).lower()] * restated))
    return buffer.getvalue()


class _IndentedDumper(yaml.SafeDumper):
    """Indent list items under their key, as the worked example's front matter does."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        return super().increase_indent(flow, False)


def render_commentary(options: IngestOptions) -> str:
    """Write commentary.md with TODO placeholders for everything the table cannot say."""
    name = options.short_name or options.company_name
    front = {
        "headline": "TODO: one-sentence headline naming the period and its key figure",
        "dateline": "TODO: release date, e.g. October 3, 2011",
        "quote": {
            "text": "TODO: what the chief executive says about the period",
            "speaker": "TODO: name of the person quoted",
            "title": f"TODO: their title, e.g. Chief Executive Officer of {name}",
        },
        "footnote": "TODO: how the summary figures should be read, or remove this key",
        "contacts": [{
            "name": "TODO: contact name",
            "role": "TODO: role, e.g. Director & CFO",
            "telephone": "TODO: telephone",
            "email": "TODO: email",
        }],
        "exchange_notice": "TODO: the exchange's notice, or remove this key",
    }
    header = yaml.dump(front, Dumper=_IndentedDumper, allow_unicode=True, sort_keys=False,
                       width=100)
    body = [
        f"TODO: lead paragraph: {name} announces its results for the period, and what they "
        "show.",
        "",
        "## Operations {#operations}",
        "",
        "TODO: what happened at the operations in the period.",
        "",
        f"## About {name} {{#about}}",
        "",
        f"TODO: what {name} does and where.",
        "",
        "## Forward-looking information {#disclaimer}",
        "",
        "TODO: the forward-looking information disclaimer.",
    ]
    return "---\n" + header + "---\n" + "\n".join(body) + "\n"


def check_out_dir(out_dir: Path) -> None:
    """Refuse an out_dir that already holds something."""
    if out_dir.exists() and (not out_dir.is_dir() or any(out_dir.iterdir())):
        raise DataError("already exists and is not empty; choose a new folder", file=out_dir)


def write_folder(out_dir: Path, files: dict[str, str]) -> None:
    """Write the files into a temporary sibling folder, then rename it into place."""
    check_out_dir(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = out_dir.parent / f".{out_dir.name}.ingest-{uuid.uuid4().hex[:12]}"
    staging.mkdir()
    try:
        for name, text in files.items():
            (staging / name).write_text(text, encoding="utf-8")
        if out_dir.exists():
            out_dir.rmdir()  # empty, checked above
        staging.rename(out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


# --- the entry point ----------------------------------------------------------------------------


def _check_options(options: IngestOptions) -> None:
    """Refuse settings that would write an unreadable report.yaml."""
    if not re.fullmatch(r"(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])", options.fiscal_year_end):
        raise DataError(f"fiscal_year_end must be month-day such as 12-31, not "
                        f"{options.fiscal_year_end!r}")
    if options.scale is not None and options.scale not in SCALES:
        raise DataError(f"scale must be one of {', '.join(SCALES)}, not {options.scale!r}")
    if options.currency is not None and not re.fullmatch(r"[A-Z]{3}", options.currency):
        raise DataError(f"currency must be an ISO 4217 code such as CAD, not "
                        f"{options.currency!r}")


def ingest_table(source: Path, out_dir: Path, options: IngestOptions) -> IngestReport:
    """Read a pasted table and write a report folder for it; see the module docstring."""
    source, out_dir = Path(source), Path(out_dir)
    _check_options(options)
    check_out_dir(out_dir)
    rows, prose = read_source(source, options.sheet)
    header = read_header(rows, source)
    body = read_body(rows[header.body_start:], header, source)
    if not body.lines:
        raise DataError("no statement lines below the header", file=source,
                        row=rows[-1].number if rows else None)
    periods = list(header.periods.values())
    where = header.units_row or rows[0].number
    currency = options.currency or header.units.currency
    scale = options.scale or header.units.scale
    if currency is None:
        raise DataError("the header gives no currency (such as \"CAD$ 000\"); set the currency "
                        "option", file=source, row=where)
    if scale is None:
        raise DataError("the header gives no scale (such as \"CAD$ 000\" for thousands); set the "
                        "scale option", file=source, row=where)

    labels = [label for label, _, _ in body.lines]
    values = [figures for _, _, figures in body.lines]
    ids = unique_ids(labels)
    tolerance = tolerance_for(values)
    subtotals = infer_subtotals(values, tolerance)
    misfit = bottom_line_misfit(values, subtotals, tolerance)
    if misfit is not None:
        column, reason = misfit
        label, row, _ = body.lines[-1]
        letter = periods[column].column if column is not None else None
        raise DataError(f"{label!r} does not tie to the lines above it within rounding "
                        f"({tolerance}): {reason}", file=source, row=row, column=letter)

    formulas = {s.index: " - ".join(ids[i] for i in (s.anchor, *s.parts)) for s in subtotals}
    lines = [Line(ids[i], label, row, figures, formulas.get(i))
             for i, (label, row, figures) in enumerate(body.lines)]
    rounding = rounding_notes(values, subtotals, ids, periods)
    sources = set(body.fx_sources)
    fx_source = sources.pop() if len(sources) == 1 else None
    key_figures = [ids[0], *(ids[s.index] for s in subtotals)]
    notes = list(body.notes)
    implied = implied_fiscal_year_end(periods)
    if implied and implied != options.fiscal_year_end:
        notes.append(f"fiscal_year_end is {options.fiscal_year_end}, but the table's year-to-date "
                     f"columns imply {implied}: check report.yaml")

    title = header.title or prose or "Summary Financial Information"
    write_folder(out_dir, {
        "report.yaml": render_report_yaml(options, source, periods, currency, scale,
                                          body.fx_rates, fx_source, key_figures, tolerance),
        "statement.yaml": render_statement_yaml(source, title, lines, rounding),
        "figures.csv": render_figures_csv(lines, periods),
        "commentary.md": render_commentary(options),
    })
    return IngestReport(
        out_dir=out_dir,
        lines=lines,
        subtotals=[(ids[s.index], formulas[s.index]) for s in subtotals],
        rounding=rounding,
        fx_rates=list(body.fx_rates),
        periods=periods,
        currency=currency,
        scale=scale,
        notes=notes,
    )
