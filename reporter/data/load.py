"""Stage 1: read the figures file into a raw table of strings, as the user wrote it."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from reporter.errors import DataError
from reporter.inputs.limits import DEFAULT_LIMITS, Limits
from reporter.inputs.yamlfile import read_bytes

FIGURES_COLUMNS = ("line_item", "period_end", "months", "value")
OPTIONAL_COLUMNS = ("restated",)
FIRST_DATA_ROW = 2
MAX_ROW_BYTES = 1_000  # a figures row is about 40 bytes; the file may hold this much per row  # row numbers as a spreadsheet shows them: the header is row 1


def load_figures(path: Path, limits: Limits = DEFAULT_LIMITS) -> pd.DataFrame:
    """Read `figures.csv` as strings, keeping each row's number in the file for error messages.

    Nothing is interpreted here: "nil", "" and "(1,074)" stay text until normalisation, so no
    cell turns into NaN behind the user's back.
    """
    data = read_bytes(path, max_bytes=limits.figures_rows * MAX_ROW_BYTES,
                      limit_name=f"{MAX_ROW_BYTES} bytes a row times limits.figures_rows")
    # Counted before parsing: a million rows would take minutes and gigabytes further on.
    rows = data.count(b"\n") + (0 if data.endswith(b"\n") else 1) - 1
    if rows > limits.figures_rows:
        raise DataError(f"{rows:,} rows, more than the limit of {limits.figures_rows:,} "
                        f"({limits.describe('figures_rows')})", file=path)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        row = data.count(b"\n", 0, exc.start) + 1
        raise DataError(f"not UTF-8 text: byte 0x{data[exc.start]:02x} at byte offset {exc.start} "
                        f"({exc.reason}); save the file as UTF-8", file=path, row=row) from None
    try:
        raw = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, skipinitialspace=True)
    except pd.errors.EmptyDataError:
        raise DataError("the file is empty; expected a header row "
                        f"({', '.join(FIGURES_COLUMNS)})", file=path) from None
    except pd.errors.ParserError as exc:
        raise DataError(f"cannot read CSV: {str(exc).strip()}", file=path) from None
    raw.columns = [str(column).strip() for column in raw.columns]
    missing = [column for column in FIGURES_COLUMNS if column not in raw.columns]
    if missing:
        raise DataError(f"missing column(s) {', '.join(missing)}; the header must name "
                        f"{', '.join(FIGURES_COLUMNS)}", file=path, row=1)
    unknown = [c for c in raw.columns if c not in FIGURES_COLUMNS + OPTIONAL_COLUMNS]
    if unknown:
        raise DataError(f"unknown column(s) {', '.join(unknown)}", file=path, row=1)
    if raw.empty:
        raise DataError("no figures below the header", file=path)
    raw = raw.assign(source_row=range(FIRST_DATA_ROW, FIRST_DATA_ROW + len(raw)))
    return raw.map(lambda cell: cell.strip() if isinstance(cell, str) else cell)
