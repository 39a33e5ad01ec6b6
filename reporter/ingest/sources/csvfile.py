"""Tables in CSV files."""

from __future__ import annotations

import csv
import io

from reporter.ingest.sources import Row

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


