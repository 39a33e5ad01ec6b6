"""Placeholders and drafts: nothing marked TODO is published, and a draft says it is one.

Ingest writes `TODO:` placeholders into commentary.md for everything a table cannot say. A build
refuses while any is left, naming the file and line; `--draft` builds anyway, with DRAFT on every
page and "draft" in the file name. The mark is added to the finished HTML, outside the templates,
so no theme can leave it out.
"""

from __future__ import annotations

import re
from pathlib import Path

from reporter.errors import DataError
from reporter.inputs.limits import ceiling

# What counts as a placeholder: the word ingest writes, in capitals, as a word of its own.
PLACEHOLDER = re.compile(r"\bTODO\b")
# The largest file searched for placeholders: its loader refuses anything larger anyway.
MAX_PLACEHOLDER_FILE_BYTES = ceiling("commentary_bytes")

DRAFT_SUFFIX = "-draft"
DRAFT_WORD = "DRAFT"

# position: fixed repeats an element on every page in WeasyPrint. The mark sits over everything
# (a cover band would hide it), light enough to read through, and is a real text run, so "DRAFT"
# is in every page's text too (no letter-spacing: it would read back as "D R A F T").
DRAFT_STYLE = """
<style>
  .reporter-draft-mark {
    position: fixed; top: 42%; left: 0; right: 0; z-index: 1000;
    text-align: center; transform: rotate(-30deg);
    font-size: 96pt; font-weight: bold;
    color: rgba(210, 30, 30, 0.28);
  }
</style>
"""
_BODY_OPEN = re.compile(r"<body\b[^>]*>", re.IGNORECASE)
_HEAD_CLOSE = re.compile(r"</head\s*>", re.IGNORECASE)


def find_placeholders(path: Path) -> list[tuple[int, str]]:
    """Return (line number, line text) for every line of a file that still holds a placeholder."""
    from reporter.errors import ReporterError
    from reporter.inputs.yamlfile import read_text

    try:  # as its loader reads it: a symlink out, a device or a bad byte is the loader's error
        text = read_text(path, max_bytes=MAX_PLACEHOLDER_FILE_BYTES)
    except ReporterError:
        return []  # the loader of that file reports it with its own message
    return [(number, line.strip()) for number, line in enumerate(text.splitlines(), start=1)
            if PLACEHOLDER.search(line)]


def require_no_placeholders(paths: list[Path]) -> None:
    """Stop at the first placeholder left, with its file and line and how many remain in all."""
    found = [(path, number, line) for path in paths for number, line in find_placeholders(path)]
    if not found:
        return
    path, number, line = found[0]
    more = f" ({len(found)} placeholders in all)" if len(found) > 1 else ""
    raise DataError(f"placeholder left: {line!r}{more}; fill it in, or build a draft with --draft",
                    file=path, line=number)


def mark_draft(html: str) -> str:
    """Put the DRAFT mark on every page of a finished HTML document."""
    mark = f'<div class="reporter-draft-mark" aria-hidden="true">{DRAFT_WORD}</div>'
    html = _HEAD_CLOSE.sub(lambda m: DRAFT_STYLE + m.group(0), html, count=1)
    body = _BODY_OPEN.search(html)
    if body is None:  # a theme without <body>: the mark still leads the document
        return mark + html
    return html[:body.end()] + mark + html[body.end():]
