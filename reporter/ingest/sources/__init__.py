"""Where tables come from: one module per source format, each giving rows of cell texts.

A row keeps its number in the source (1-based line of a text file, spreadsheet row) and the
source column of its first cell, so every error can name the file, row and cell.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from reporter.errors import DataError



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


@dataclass(frozen=True)
class Table:
    """One table found in the source, with the words around it."""

    rows: list[Row]
    form: str  # how it was written: "tab-separated", "Markdown pipe table", ...
    title: str | None = None  # a short line just above it ("Summary Financial Information")
    title_marks: tuple[str, ...] = ()  # footnote marks pasted on the title ("¹")
    near: tuple[str, ...] = ()  # the paragraphs just above and below, for currency and scale

    @property
    def first_row(self) -> int:
        return self.rows[0].number if self.rows else 0

    def describe(self) -> str:
        """Name the table for a list to choose from: where, what form, what it starts with."""
        label = next((r.label for r in self.rows if r.label and r.filled()), "")
        return (f"row {self.first_row}: {self.title or 'untitled'} ({self.form}, "
                f"{len(self.rows)} rows, first line {label!r})")


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of a release's words, with its line (or page) in the source."""

    text: str
    line: int
    strong: bool = False  # set in bold or as a heading in the source


@dataclass
class Document:
    """What a source holds: tables, and for a release the paragraphs around them, in order."""

    blocks: list[Table | Paragraph]
    forms_tried: tuple[str, ...]

    @property
    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]

    @property
    def paragraphs(self) -> list[Paragraph]:
        return [b for b in self.blocks if isinstance(b, Paragraph)]


# One reader per source format: the next format is one new module and one line here.
READERS = {
    ".md": "text", ".markdown": "text", ".txt": "text", ".tsv": "text",
    ".csv": "csvfile",
    ".xlsx": "xlsx", ".xlsm": "xlsx",
    ".html": "html", ".htm": "html",
    ".pdf": "pdf",
}


# Bounds on what ingest reads, so a hostile release fails in seconds with one line. A source
# comes from the command line, not a report folder, so they are fixed (README, Safety).
MAX_SOURCE_BYTES = 20_000_000        # size of the source file itself
MAX_UNPACKED_BYTES = 200_000_000     # an XLSX (a zip) unpacked, all its parts together
MAX_ZIP_PARTS = 10_000               # parts of an XLSX
MAX_PDF_PAGES = 500                  # pages of a PDF release
MAX_SHEET_CELLS = 1_000_000          # rows x columns an XLSX sheet spans (its used range)
MAX_SOURCE_CHARACTERS = 20_000_000   # characters of text read from a source's cells or pages
MAX_PDF_PAGE_CONTENT = 2_000_000     # bytes of drawing instructions of one PDF page, unpacked
MAX_PDF_MEMORY = 2_000_000_000       # bytes of memory the PDF reader may use (a Flate bomb)
MAX_PDF_SECONDS = 60                 # time the PDF reader may take


def source_bytes(source: Path) -> bytes:
    """Read the source: a regular file (a symlink to one is followed: the user named it) of at
    most MAX_SOURCE_BYTES, never a device or pipe, and never more than one byte past the bound."""
    from reporter.inputs.yamlfile import read_bytes

    return read_bytes(source, max_bytes=MAX_SOURCE_BYTES, confined=False)  # named on the command line


def source_text(source: Path) -> str:
    """Read the source as UTF-8; a bad byte is one error naming its row (line) and byte offset,
    never a character silently replaced."""
    from reporter.inputs.yamlfile import decode_utf8

    return decode_utf8(source_bytes(source), source, place="row")


def read_document(source: Path, sheet: str | None = None) -> Document:
    """Read a source file into its tables and paragraphs, by its suffix."""
    import importlib

    if not source.is_file():
        raise DataError("no such file", file=source)
    module = READERS.get(source.suffix.lower(), "text")
    reader = importlib.import_module(f"reporter.ingest.sources.{module}")
    return reader.read(source, sheet)


def choose_table(document: Document, source: Path, number: int | None) -> Table:
    """Pick the table to ingest: the only one, or number `number` (1-based) of several."""
    tables = document.tables
    if not tables:
        raise DataError("no table found; tried " + ", ".join(document.forms_tried), file=source)
    listing = "; ".join(f"{i}) {t.describe()}" for i, t in enumerate(tables, start=1))
    if number is None:
        if len(tables) == 1:
            return tables[0]
        raise DataError(f"{len(tables)} tables found, choose one with --table N: {listing}",
                        file=source)
    if not 1 <= number <= len(tables):
        raise DataError(f"no table {number}: {listing}", file=source)
    return tables[number - 1]


def trim_columns(rows: list[Row]) -> list[Row]:
    """Drop columns that are empty in every row, left of the table (a sheet starting at B2)."""
    filled = [next((i for i, c in enumerate(r.cells) if c), None) for r in rows]
    skip = min((i for i in filled if i is not None), default=0)
    if not skip:
        return rows
    return [Row(r.number, r.cells[skip:], r.first_column + skip) for r in rows]

