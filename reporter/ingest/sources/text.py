"""Tables and paragraphs in text: a release as Markdown or plain text, or a bare pasted table.

A text is cut into blocks at blank lines. Inside a block, a run of two or more lines with tabs is
a tab-separated table (as pasted from a spreadsheet or a newswire page), a run of two or more
`| a | b |` lines a Markdown pipe table, and a block of three or more lines whose cells stand apart
by two or more spaces, with figures in at least two of them, a space-separated table (text copied
out of a PDF). Everything else is a paragraph, its lines joined as Markdown joins them.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Sequence

from reporter.ingest.rules import (
    FOOTNOTE_MARK, MARKDOWN_EMPHASIS, MARKDOWN_ESCAPE, MARKDOWN_HEADING,
)
from reporter.ingest.sources import Document, Paragraph, Row, Table, trim_columns, source_text
from reporter.inputs.notation import NotationError, parse_amount

TAB = "tab-separated"
PIPE = "Markdown pipe table"
SPACED = "space-separated (two or more spaces between columns)"
FORMS = (TAB, PIPE, SPACED)

PIPE_ROW = re.compile(r"^\s*\|.*\|\s*$")
PIPE_RULE = re.compile(r"^\s*\|?(\s*:?-{3,}:?\s*\|)+\s*(:?-{3,}:?\s*)?$")
SPACED_CELL = re.compile(r"\S+(?: \S+)*")  # words one space apart are one cell
TITLE_LIMIT = 80  # a longer line above a table is a paragraph, not its title


def clean(text: str) -> str:
    """Drop Markdown escapes and surrounding space from one pasted cell."""
    return MARKDOWN_ESCAPE.sub("", text).strip()


def read(source: Path, sheet: str | None = None) -> Document:
    """Read a text file: a bare table (.tsv) or a release's paragraphs and tables."""
    text = source_text(source)
    if source.suffix.lower() == ".tsv":
        return Document(_whole_tab_table(text), (TAB,))
    return read_text(text)


def _whole_tab_table(text: str) -> list[Table | Paragraph]:
    """Read a whole file as one tab-separated table, blank rows included."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    rows = [Row(n, tuple(clean(c) for c in line.split("\t")))
            for n, line in enumerate(lines, start=1) if line.strip()]
    return [Table(trim_columns(rows), TAB)] if rows else []


def read_text(text: str, first_line: int = 1) -> Document:
    """Cut text into paragraphs and tables, in order; see the module docstring."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    blocks: list[Table | Paragraph] = []
    for start, chunk in _chunks(lines):
        blocks.extend(_read_chunk(chunk, start + first_line - 1))
    return Document(attach_titles(blocks), FORMS)


def _chunks(lines: Sequence[str]) -> list[tuple[int, list[str]]]:
    """Group lines into blocks separated by blank lines: (first line number, lines)."""
    chunks, current, start = [], [], 0  # type: ignore[var-annotated]
    for number, line in enumerate([*lines, ""], start=1):
        if line.strip() or "\t" in line and current and "\t" in current[-1]:
            if not current:
                start = number
            current.append(line)
        elif current:
            chunks.append((start, current))
            current = []
    return chunks


def _runs(chunk: Sequence[str], test) -> list[tuple[bool, int, list[str]]]:
    """Split a block into runs of lines that pass `test` and lines that do not."""
    runs: list[tuple[bool, int, list[str]]] = []
    for offset, line in enumerate(chunk):
        flag = bool(test(line))
        if runs and runs[-1][0] == flag:
            runs[-1][2].append(line)
        else:
            runs.append((flag, offset, [line]))
    return runs


def _read_chunk(chunk: list[str], start: int) -> list[Table | Paragraph]:
    """Read one block: tab or pipe tables inside it, a space-separated table, or a paragraph."""
    for test, reader in ((lambda line: "\t" in line, _tab_table),
                         (PIPE_ROW.match, _pipe_table)):
        runs = _runs(chunk, test)
        if any(flag and len(lines) >= 2 for flag, _, lines in runs):
            out: list[Table | Paragraph] = []
            for flag, offset, lines in runs:
                if flag and len(lines) >= 2:
                    out.append(reader(lines, start + offset))
                else:
                    out.append(_paragraph(lines, start + offset))
            return out
    table = _spaced_table(chunk, start)
    return [table] if table is not None else [_paragraph(chunk, start)]


def _tab_table(lines: Sequence[str], start: int) -> Table:
    rows = [Row(start + i, tuple(clean(c) for c in line.split("\t")))
            for i, line in enumerate(lines) if line.strip()]
    return Table(trim_columns(rows), TAB)


def _pipe_table(lines: Sequence[str], start: int) -> Table:
    rows = []
    for i, line in enumerate(lines):
        if PIPE_RULE.match(line):
            continue  # the |---|---| line under a Markdown table's header
        cells = re.split(r"(?<!\\)\|", line.strip())[1:-1]
        rows.append(Row(start + i, tuple(_strip_emphasis(clean(c)) for c in cells)))
    return Table(trim_columns(rows), PIPE)


def _strip_emphasis(text: str) -> str:
    match = MARKDOWN_EMPHASIS.match(text)
    return match.group("text").strip() if match else text


def _is_figure(text: str) -> bool:
    try:
        parse_amount(text)
    except NotationError:
        return False
    return any(ch.isdigit() for ch in text)


def _spaced_table(chunk: Sequence[str], start: int) -> Table | None:
    """Read a block whose columns stand apart by two or more spaces, aligned by position."""
    cells = [[(m.start(), m.end(), m.group()) for m in SPACED_CELL.finditer(line)]
             for line in chunk]
    figure_rows = [row for row in cells
                   if len(row) >= 2 and sum(_is_figure(text) for _, _, text in row[1:]) >= 2]
    if len(chunk) < 3 or len(figure_rows) < 2:
        return None
    columns = _column_edges(figure_rows)
    label_edge = min(s for row in figure_rows for s, _, text in row[1:] if _is_figure(text))
    rows = []
    for offset, row in enumerate(cells):
        if not row:
            continue
        out = [""] * (len(columns) + 1)
        for index, (s, e, text) in enumerate(row):
            # The label, or a line of one cell from the left edge (a title over the table).
            if index == 0 and (e <= label_edge or len(row) == 1 and s < label_edge):
                out[0] = text
                continue
            column = _column_of(s, e, columns, spans=not _is_figure(text))
            out[column + 1] = f"{out[column + 1]} {text}".strip()
        rows.append(Row(start + offset, tuple(clean(c) for c in out)))
    return Table(rows, SPACED)


def _column_edges(figure_rows: Sequence[Sequence[tuple[int, int, str]]]) -> list[tuple[int, int]]:
    """Find the figure columns, (left, right) in characters, from where figures end."""
    ends = sorted({e for row in figure_rows for s, e, text in row[1:] if _is_figure(text)})
    groups: list[list[int]] = []
    for end in ends:  # figures are right-aligned: ends a few characters apart are one column
        if groups and end - groups[-1][-1] <= 3:
            groups[-1].append(end)
        else:
            groups.append([end])
    rights = [max(g) for g in groups]
    return [(rights[i - 1] + 1 if i else 0, right) for i, right in enumerate(rights)]


def _column_of(start: int, end: int, columns: Sequence[tuple[int, int]], spans: bool) -> int:
    """Place a cell in the column it overlaps most; a cell over several starts at the first."""
    overlaps = [max(0, min(end, right) - max(start, left)) for left, right in columns]
    if max(overlaps) == 0:  # right of every column: the last; left of them all: the first
        return len(columns) - 1 if start > columns[-1][1] else 0
    covered = [i for i, o in enumerate(overlaps) if o > 0]
    if len(covered) > 1 and spans:  # a heading over several columns spans from its first
        return covered[0]
    return overlaps.index(max(overlaps))


def _paragraph(lines: Sequence[str], start: int) -> Paragraph:
    """Join a block's lines into one paragraph, noting Markdown emphasis or a heading."""
    text = " ".join(" ".join(line.split()) for line in lines)
    strong = False
    heading = MARKDOWN_HEADING.match(text)
    if heading:
        text, strong = heading.group("text"), True
    match = MARKDOWN_EMPHASIS.match(text)
    if match:
        text, strong = match.group("text").strip(), True
    return Paragraph(clean(text), start, strong)


def split_marks(text: str) -> tuple[str, tuple[str, ...]]:
    """Take footnote marks off a title or label: "Revenue (1)" -> ("Revenue", ("1",))."""
    marks = tuple(next(g for g in m.groups() if g) for m in FOOTNOTE_MARK.finditer(text))
    bare = FOOTNOTE_MARK.sub("", text)
    bare = "".join(ch for ch in bare if unicodedata.category(ch) != "No")
    return bare.strip(), marks


def attach_titles(blocks: list[Table | Paragraph]) -> list[Table | Paragraph]:
    """Give each table the short line above it as its title and the paragraphs around it."""
    out: list[Table | Paragraph] = []
    for index, block in enumerate(blocks):
        if not isinstance(block, Table):
            out.append(block)
            continue
        above = out[-1] if out and isinstance(out[-1], Paragraph) else None
        below = blocks[index + 1] if index + 1 < len(blocks) else None
        title: str | None = None
        marks: tuple[str, ...] = ()
        if above is not None and len(above.text) <= TITLE_LIMIT and \
                not above.text.rstrip().endswith("."):
            title, marks = split_marks(above.text.rstrip().rstrip(":").rstrip())
            title = title.rstrip(":").strip() or None
            out.pop()  # the title belongs to the table, not to the words
            above = out[-1] if out and isinstance(out[-1], Paragraph) else None
        near = tuple(p.text for p in (above, below) if isinstance(p, Paragraph))
        out.append(Table(block.rows, block.form, title, marks, near))
    return out
