"""The errors a user can cause with their own files.

Only the CLI catches these: it prints `str(error)`, one line that names the file and the place,
and exits non-zero. Anything else is a bug in reporter and keeps its traceback.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass
class ReporterError(Exception):
    """A mistake in the user's files, with where it is."""

    message: str
    file: Path | str | None = None
    row: int | None = None
    column: str | None = None
    line: int | None = None

    kind = "error"

    def __post_init__(self) -> None:
        super().__init__(self.message)

    @property
    def location(self) -> str:
        """Say where the problem is: `file, row 3, column "value"` or `file:12`."""
        if self.file is None:
            return ""
        place = str(self.file)
        if self.line is not None:
            place += f":{self.line}"
        if self.row is not None:
            place += f", row {self.row}"
        if self.column is not None:
            place += f', column "{self.column}"'
        return place

    def __str__(self) -> str:
        where = self.location
        return f"{self.kind}: {where}: {self.message}" if where else f"{self.kind}: {self.message}"


class DataError(ReporterError):
    """A figure, setting or commentary file that cannot be read."""

    kind = "data error"


class StatementError(ReporterError):
    """A statement definition that is inconsistent, or figures that do not tie out."""

    kind = "statement error"


class ThemeError(ReporterError):
    """A theme that cannot be found or whose settings are wrong."""

    kind = "theme error"


class TemplateError(ReporterError):
    """A Jinja template that does not parse or refers to something that is not there."""

    kind = "template error"


class RenderError(ReporterError):
    """WeasyPrint refused the document, for example a reference outside the allowed folders."""

    kind = "render error"
