"""What a build writes and where: the output formats and the file-or-folder rule of `-o`; the
stable name of a document is reporter.inputs.naming's (imported here for callers).

Light on purpose (no pandas, no WeasyPrint), so the CLI can use it while parsing options.
"""

from __future__ import annotations

import os
from enum import Enum
from pathlib import Path
from typing import TypeGuard

from reporter.errors import ReporterError
from reporter.inputs.naming import NAME_MAX_BYTES, output_name, slug  # noqa: F401 (moved; callers keep working)


class OutputFormat(str, Enum):
    pdf = "pdf"
    html = "html"


FILE_SUFFIXES = tuple(f".{fmt.value}" for fmt in OutputFormat)


def check_name_lengths(output: Path) -> None:
    """Refuse a path with a file or folder name longer than NAME_MAX_BYTES, before touching it."""
    for part in output.parts:
        length = len(os.fsencode(part))
        if length > NAME_MAX_BYTES:
            shown = part if len(part) <= 40 else part[:37] + "..."
            raise ReporterError(f"--output: the name {shown!r} is {length} bytes long; a file or folder name "
                                f"may be at most {NAME_MAX_BYTES}")


def names_a_file(output: Path | None) -> TypeGuard[Path]:
    """Say whether `-o` names a file: it ends in .pdf or .html and is not an existing folder.

    Anything else is a folder, so `-o out/q3.2021` (a folder with a dot in its name) works.
    """
    if output is not None:
        check_name_lengths(output)
    return (output is not None and output.suffix.lower() in FILE_SUFFIXES
            and not output.is_dir())


def output_path(output: Path | None, name: str, fmt: OutputFormat) -> Path:
    """Use `output` as the file when it names one (see names_a_file), as the folder otherwise."""
    if names_a_file(output):
        if output.suffix.lower() != f".{fmt.value}":
            raise ReporterError(f"--output {output} ends in {output.suffix}, but the format is {fmt.value}")
        return output
    if output is not None and output.exists() and not output.is_dir():
        raise ReporterError(f"--output {output} is an existing file, not a folder; give a folder "
                            f"or a file name ending in .{fmt.value}")
    return (output or Path("output")) / f"{name}.{fmt.value}"
