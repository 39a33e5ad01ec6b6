"""Which report folder a command works on when none is named: the one you stand in, like git.

A report folder is a folder with report.yaml. With no folder argument, commands use the current
directory when it is one, else the nearest parent that is; outside any report folder they fall
back to the embedded Los Santos example and say so. Imports nothing heavy: `--help` stays fast.
"""

from __future__ import annotations

from pathlib import Path

REPORT_FILE = "report.yaml"


def find_report_folder(start: Path) -> Path | None:
    """Return `start` or its nearest parent holding report.yaml, or None when none does.

    >>> find_report_folder(Path("/"))  # doctest: +SKIP
    """
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / REPORT_FILE).is_file():
            return folder
    return None


def example_note(cwd: Path) -> str:
    """The one line that says a command is working on the embedded example, and how not to."""
    return (f"note: no {REPORT_FILE} in {cwd} or any folder above it: using the embedded Los Santos "
            f"example (give a report folder, or start one with `reporter new DIR`)")
