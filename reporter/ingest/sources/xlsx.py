"""Tables in one sheet of an XLSX workbook."""

from __future__ import annotations

import io

import re
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from reporter.errors import DataError
from reporter.ingest.sources import (
    MAX_SHEET_CELLS, MAX_SOURCE_CHARACTERS, MAX_UNPACKED_BYTES, MAX_ZIP_PARTS, Document, Row, Table,
    source_bytes, trim_columns,
)

def xlsx_rows(source: Path, sheet: str | None) -> list[Row]:
    """Read one sheet of a workbook into rows numbered as the spreadsheet numbers them."""
    import openpyxl  # imported here: only workbooks need it

    data = source_bytes(source)
    check_zip(data, source)
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except Exception as exc:  # openpyxl raises many types for a file that is not a workbook
        raise DataError(f"cannot open the workbook: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}",
                        file=source) from None
    if sheet is None:
        ws = book.worksheets[0]
    elif sheet in book.sheetnames:
        ws = book[sheet]
    else:
        raise DataError(f"no sheet named {sheet!r}; the workbook has {', '.join(book.sheetnames)}",
                        file=source)
    _check_extent(ws, source)
    rows, characters = [], 0
    for cells in ws.iter_rows():
        texts = tuple(xlsx_text(c.value, c.number_format) for c in cells)
        characters += sum(map(len, texts))
        if characters > MAX_SOURCE_CHARACTERS:  # one shared string in many cells multiplies
            raise DataError(f"the sheet holds more than {MAX_SOURCE_CHARACTERS:,} characters by this row",
                            file=source, row=cells[0].row)
        if any(texts):
            rows.append(Row(cells[0].row, texts))
    _check_cached_values(data, source, ws)
    return rows


def _check_extent(ws, source: Path) -> None:
    """Refuse a sheet whose used range spans more than MAX_SHEET_CELLS: reading rows fills in every
    empty cell of it, so one cell at XFD1048576 would make 17 billion."""
    from openpyxl.utils import get_column_letter

    rows, columns = ws.max_row, ws.max_column  # from the cells the sheet holds, not its <dimension>
    if rows * columns > MAX_SHEET_CELLS:
        raise DataError(f"the sheet spans {rows:,} rows x {columns:,} columns (to cell "
                        f"{get_column_letter(columns)}{rows}), more than {MAX_SHEET_CELLS:,} cells; "
                        f"delete what lies outside the table", file=source)


def check_zip(data: bytes, source: Path) -> None:
    """Refuse a zip bomb before openpyxl unpacks it: too many parts, or too many bytes unpacked.

    The sizes a zip declares are what its reader trusts to stop; Python's zipfile stops a part
    that unpacks past its declared size, so the declared total bounds the memory used.
    """
    import zipfile

    try:
        parts = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise DataError(f"cannot open the workbook: {exc}", file=source) from None
    if len(parts) > MAX_ZIP_PARTS:
        raise DataError(f"the workbook has {len(parts):,} parts, more than {MAX_ZIP_PARTS:,}",
                        file=source)
    unpacked = sum(part.file_size for part in parts)
    if unpacked > MAX_UNPACKED_BYTES:
        raise DataError(f"the workbook unpacks to {unpacked:,} bytes, more than "
                        f"{MAX_UNPACKED_BYTES:,} (a zip bomb?)", file=source)


def _check_cached_values(data: bytes, source: Path, values_sheet) -> None:
    """Refuse formula cells the workbook saved no value for, instead of reading them as blank.

    A workbook written by a program that does not calculate (a script, some exporters) keeps the
    formula but no result; openpyxl then gives None, which would read as an empty cell or 0.
    """
    import openpyxl

    formulas = openpyxl.load_workbook(io.BytesIO(data), data_only=False)[values_sheet.title]
    for row in formulas.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith("=") and \
                    values_sheet[cell.coordinate].value is None:
                raise DataError(f"the cell holds the formula {cell.value!r} but the workbook has "
                                "no saved value for it (it was written by a program that does "
                                "not calculate); open it in Excel or LibreOffice and save it",
                                file=source, row=cell.row, column=cell.column_letter)


def read(source: Path, sheet: str | None) -> Document:
    """Read one sheet as a document holding one table."""
    rows = xlsx_rows(source, sheet)
    if not rows:
        raise DataError(f"the sheet {sheet or '(first)'} is empty", file=source)
    return Document([Table(trim_columns(rows), "XLSX sheet")], ("XLSX sheet",))


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

