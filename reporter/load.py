"""Stage 1: read the figures file into a raw table of strings, as the user wrote it."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from reporter.errors import DataError

FIGURES_COLUMNS = ("line_item", "period_end", "months", "value")
OPTIONAL_COLUMNS = ("restated",)
FIRST_DATA_ROW = 2  # row numbers as a spreadsheet shows them: the header is row 1


def load_figures(path: Path) -> pd.DataFrame:
    """Read `figures.csv` as strings, keeping each row's number in the file for error messages.

    Nothing is interpreted here: "nil", "" and "(1,074)" stay text until normalisation, so no
    cell turns into NaN behind the user's back.
    """
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, skipinitialspace=True,
                          encoding="utf-8")
    except FileNotFoundError:
        raise DataError("file not found", file=path) from None
    except UnicodeDecodeError as exc:
        raise DataError(f"not UTF-8 text ({exc.reason})", file=path) from None
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
