"""Tables in text: tab-separated lines, alone or as one block among a release's paragraphs."""

from __future__ import annotations

import unicodedata
from typing import Sequence

from reporter.ingest.rules import MARKDOWN_EMPHASIS, MARKDOWN_ESCAPE
from reporter.ingest.sources import Row

def _clean(text: str) -> str:
    """Drop Markdown escapes and surrounding space from one pasted cell."""
    return MARKDOWN_ESCAPE.sub("", text).strip()


def tab_rows(text: str, *, block_only: bool) -> tuple[list[Row], str | None]:
    """Split tab-separated text into rows; in prose keep the longest tab-separated block."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if not block_only:
        rows = [Row(n, tuple(_clean(c) for c in line.split("\t")))
                for n, line in enumerate(lines, start=1) if line.strip()]
        return rows, None
    best: tuple[int, int] = (0, 0)  # [start, stop) of the longest run of lines with a tab
    start = None
    for i, line in enumerate([*lines, ""]):
        if "\t" in line and start is None:
            start = i
        elif "\t" not in line and start is not None:
            if i - start > best[1] - best[0]:
                best = (start, i)
            start = None
    rows = [Row(i + 1, tuple(_clean(c) for c in lines[i].split("\t"))) for i in range(*best)]
    return rows, prose_title(lines[: best[0]])


def prose_title(lines_above: Sequence[str]) -> str | None:
    """Return the short line just above a table ("Summary Financial Information¹:") as a title."""
    for line in reversed(lines_above):
        text = line.strip()
        if not text:
            continue
        text = "".join(ch for ch in text if unicodedata.category(ch) != "No")  # footnote marks
        text = MARKDOWN_EMPHASIS.sub(r"\g<text>", _clean(text)).strip().rstrip(":").strip()
        # A paragraph or a sentence is not a title.
        return text if text and len(text) <= 80 and not text.endswith(".") else None
    return None


