"""Tables in CSV files."""

from __future__ import annotations

import csv
import io

from pathlib import Path

from reporter.ingest.sources import Document, Row, Table, trim_columns, source_text

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




def read(source: Path, sheet: str | None = None) -> Document:
    """Read a CSV file as a document holding one table."""
    rows = csv_rows(source_text(source))
    tables = [Table(trim_columns(rows), "CSV")] if rows else []
    return Document(tables, ("CSV",))  # type: ignore[arg-type]
