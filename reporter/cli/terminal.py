"""What reaches the terminal: text from the user's files with its control characters escaped.

An error line quotes keys, labels and file names from folders the user did not write. Printed
raw, an ESC or BEL in a report.yaml key is a terminal command (OSC 52 writes the clipboard; others
retitle the window or hide text), and a bidi override makes a line read differently from what it
says. Every line the CLI prints about the user's files goes through `printable`.
"""

from __future__ import annotations

import re

import typer

# C0 controls but newline and tab, DEL, C1 controls, and the bidi embedding, override and
# isolate controls (and the marks), which reorder what follows them on the line.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _escaped(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    r"""Escape the characters a terminal would act on, as Python writes them.

    >>> printable("key \x1b]52;c;aGk=\x07 and \u202etxt")
    'key \\x1b]52;c;aGk=\\x07 and \\u202etxt'
    """
    return _UNSAFE.sub(_escaped, text)


def echo(text: str, err: bool = False) -> None:
    """Print one message (on stderr with `err`) with its control characters escaped."""
    typer.echo(printable(text), err=err)


def terminal_console():
    """A rich console whose tables fit the terminal; piped, as wide as the table needs (no wrapping).

    On a terminal rich reads its width; COLUMNS, when set, wins everywhere.
    """
    import os
    import sys

    from rich.console import Console

    return Console() if sys.stdout.isatty() or os.environ.get("COLUMNS", "").isdigit() else Console(width=200)
