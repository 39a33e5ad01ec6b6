"""Tables in one sheet of an XLSX workbook."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from reporter.errors import DataError
from reporter.ingest.sources import Row

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

