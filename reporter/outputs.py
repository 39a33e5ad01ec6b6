"""What a build writes and where: the output formats and the file-or-folder rule of `-o`.

Light on purpose (no pandas, no WeasyPrint), so the CLI can use it while parsing options.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path


class OutputFormat(str, Enum):
    pdf = "pdf"
    html = "html"


FILE_SUFFIXES = tuple(f".{fmt.value}" for fmt in OutputFormat)


def names_a_file(output: Path | None) -> bool:
    """Say whether `-o` names a file: it ends in .pdf or .html and is not an existing folder.

    Anything else is a folder, so `-o out/q3.2021` (a folder with a dot in its name) works.
    """
    return (output is not None and output.suffix.lower() in FILE_SUFFIXES
            and not output.is_dir())
