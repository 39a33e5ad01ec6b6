"""Input limits: how much a report folder may ask of a build, so hostile input fails fast.

Every limit has a default that fits real quarterly reports many times over, and can be set in
report.yaml under `limits:` (to any whole number from 1 to its ceiling). A limit cannot be
removed: the ceiling stays, so a folder from elsewhere can never make a build run for hours or
take the machine's memory.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from reporter.errors import DataError

# Files read before report.yaml's limits are known (report.yaml, statement.yaml, theme.yaml).
MAX_YAML_BYTES = 1_000_000
# How deep SVG <use> references may nest (a <use> of a group holding a <use> of a group ...).
MAX_SVG_USE_DEPTH = 10
# A template stuck in one call past template_seconds is stopped this much later, by the watchdog.
HARD_STOP_GRACE_SECONDS = 5

# `reporter diff` and `--against` (fixed: the PDFs are our own outputs, a few pages each).
MAX_DIFF_PDF_BYTES = 200_000_000    # size of each PDF compared
MAX_DIFF_PAGES = 5_000              # pages of each PDF compared
MAX_DIFF_PAGE_PIXELS = 25_000_000   # one page rasterised at 100 dpi (A0 is 15.5 million)
MAX_DIFF_TEXT_CHARS = 2_000_000     # text of each PDF compared word by word


@dataclass(frozen=True)
class Limits:
    """The limits of one build; the defaults are the documented ones (README, Safety)."""

    figures_rows: int = 10_000          # data rows in figures.csv
    periods: int = 24                   # distinct periods in figures.csv (statement columns)
    decimal_digits: int = 18            # significant digits of one figure
    commentary_bytes: int = 1_000_000   # size of commentary.md
    table_columns: int = 20             # columns of a table in commentary.md
    template_steps: int = 1_000_000     # loop iterations and calls while templates render
    template_seconds: int = 30          # wall-clock time templates may take to render
    template_text: int = 10_000_000     # characters one template expression may build
    asset_bytes: int = 20_000_000       # size of one file the document uses (image, font, CSS)
    table_cells: int = 10_000           # cells of all the tables in commentary.md together
    image_pixels: int = 40_000_000      # width times height of one image (a page at 600 dpi is 35 million)
    svg_uses: int = 10_000              # SVG <use> references one image expands to, nested ones multiplied
    pages: int = 500                    # pages of one document
    render_seconds: int = 120           # wall-clock time of one PDF render
    memory_mb: int = 2_000              # memory (MB) a render may add to what the build held before it

    def describe(self, name: str) -> str:
        """Say how to raise a limit: `limits.figures_rows in report.yaml (now 10000)`."""
        return f"limits.{name} in report.yaml, now {getattr(self, name):,}"


DEFAULT_LIMITS = Limits()
CEILING_FACTOR = 100  # a limit may be raised to 100 times its default, never further


def ceiling(name: str) -> int:
    return getattr(DEFAULT_LIMITS, name) * CEILING_FACTOR


def parse_limits(raw: Any, path: Path) -> Limits:
    """Check report.yaml's `limits:` mapping: known names, whole numbers from 1 to the ceiling."""
    if raw is None:
        return DEFAULT_LIMITS
    if not isinstance(raw, dict):
        raise DataError(f"limits must be a mapping of limit names to numbers, got {raw!r}", file=path)
    names = [f.name for f in fields(Limits)]
    values = {}
    for key, value in raw.items():
        if key not in names:
            hint = difflib.get_close_matches(str(key), names, n=1)
            raise DataError(f"unknown limit {key!r}" + (f"; did you mean {hint[0]!r}?" if hint else
                                                         f"; known limits are {', '.join(names)}"),
                            file=path)
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= ceiling(key):
            raise DataError(f"limits.{key} must be a whole number from 1 to {ceiling(key):,} "
                            f"(limits can be raised, not removed), got {value!r}", file=path)
        values[key] = value
    return Limits(**values)
