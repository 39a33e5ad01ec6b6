"""Where tables come from: one module per source format, each giving rows of cell texts.

A row keeps its number in the source (1-based line of a text file, spreadsheet row) and the
source column of its first cell, so every error can name the file, row and cell.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from reporter.errors import DataError
from reporter.ingest.rules import CSV_SUFFIXES, PROSE_SUFFIXES, XLSX_SUFFIXES



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
        from reporter.ingest.sources.xlsx import xlsx_rows

        rows = xlsx_rows(source, sheet)
        if not rows:
            raise DataError(f"the sheet {sheet or '(first)'} is empty", file=source)
        return trim_columns(rows), None
    text = source.read_bytes().decode("utf-8-sig", errors="replace")
    from reporter.ingest.sources.csvfile import csv_rows
    from reporter.ingest.sources.text import tab_rows

    if suffix in CSV_SUFFIXES:
        return trim_columns(csv_rows(text)), None
    rows, title = tab_rows(text, block_only=suffix in PROSE_SUFFIXES)
    if not rows:
        raise DataError("no tab-separated table found", file=source)
    return trim_columns(rows), title



def trim_columns(rows: list[Row]) -> list[Row]:
    """Drop columns that are empty in every row, left of the table (a sheet starting at B2)."""
    filled = [next((i for i, c in enumerate(r.cells) if c), None) for r in rows]
    skip = min((i for i in filled if i is not None), default=0)
    if not skip:
        return rows
    return [Row(r.number, r.cells[skip:], r.first_column + skip) for r in rows]

