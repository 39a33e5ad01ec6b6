"""What a build writes and where: the output formats, the file-or-folder rule of `-o`, and the
stable name of a document.

Light on purpose (no pandas, no WeasyPrint), so the CLI can use it while parsing options.
"""

from __future__ import annotations

import os
import re
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, TypeGuard

from reporter.errors import ReporterError

if TYPE_CHECKING:
    from reporter.inputs.language import Language
    from reporter.inputs.settings import ReportSettings
    from reporter.theme.resolve import ResolvedTheme


class OutputFormat(str, Enum):
    pdf = "pdf"
    html = "html"


FILE_SUFFIXES = tuple(f".{fmt.value}" for fmt in OutputFormat)


# The longest name one file or folder may have on Linux, macOS and Windows file systems.
NAME_MAX_BYTES = 255


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


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def output_name(settings: ReportSettings, theme: ResolvedTheme, language: Language | None = None) -> str:
    """Name the output after company, subject, period, template and (when asked) the language,
    stably across builds: `...-investor-summary-fr-ca`."""
    label = settings.calendar.label(settings.period)
    subject = settings.subject if settings.subject != settings.company.name else None
    parts = [settings.company.short_name, subject, label, theme.name, language.tag if language else None]
    name = "-".join(dict.fromkeys(slug(part) for part in parts if part and slug(part)))
    longest = NAME_MAX_BYTES - len(".html")
    if len(name) > longest:  # a slug is ASCII: characters are bytes
        raise ReporterError(f"the output file name made of company.short_name, subject, the period and the "
                            f"template is {len(name)} characters long, more than {longest}; shorten subject "
                            f"or company.short_name", file=settings.folder / "report.yaml")
    return name


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
