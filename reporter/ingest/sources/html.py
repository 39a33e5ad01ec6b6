"""Releases as HTML (a saved newswire page): <table> elements and the paragraphs around them.

The standard library's HTMLParser reads the page; scripts, styles and navigation are skipped.
A cell with colspan="N" is followed by N-1 empty cells, so a spanning heading spans the columns
below it exactly as a heading over empty cells does in pasted text. Rows are numbered by their
line in the HTML file.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

from reporter.ingest.sources import Document, Paragraph, Row, Table, trim_columns
from reporter.ingest.sources.text import attach_titles, clean

FORM = "HTML table"
BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "div", "pre", "address"}
STRONG = {"h1", "h2", "h3", "h4", "h5", "h6", "b", "strong"}
SKIPPED = {"script", "style", "nav", "header", "footer", "noscript", "template", "head"}
SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
MAX_COLSPAN = 50  # a colspan past this is a mistake in the page, not a table this wide


class _ReleaseParser(HTMLParser):
    """Collect paragraphs and tables in document order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Table | Paragraph] = []
        self.text: list[str] = []
        self.text_line = 0
        self.strong = 0
        self.strong_text = 0  # characters of the current paragraph set in bold
        self.skip = 0
        self.rows: list[Row] | None = None
        self.cells: list[str] | None = None
        self.cell: list[str] | None = None
        self.row_line = 0
        self.pending: dict[int, int] = {}  # column -> rows a rowspan above still covers
        self.sup = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in SKIPPED:
            self.skip += 1
        elif tag == "table":
            self._flush()
            self.rows, self.pending = [], {}
        elif tag == "tr" and self.rows is not None:
            self.cells, self.row_line = [], self.getpos()[0]
        elif tag in ("td", "th") and self.cells is not None:
            self._fill_rowspans()
            self.cell = []
            self.span = _span(dict(attrs).get("colspan"))
            rows = _span(dict(attrs).get("rowspan"))
            for column in range(len(self.cells), len(self.cells) + self.span):
                if rows > 1:
                    self.pending[column] = rows - 1
        elif tag == "sup":
            self.sup += 1
        elif tag == "br":
            (self.cell if self.cell is not None else self.text).append(" ")
        elif tag in BLOCKS and self.rows is None:
            self._flush()
        if tag in STRONG:
            self.strong += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIPPED:
            self.skip = max(0, self.skip - 1)
        elif tag in ("td", "th") and self.cell is not None and self.cells is not None:
            self.cells.append(clean(" ".join("".join(self.cell).split())))
            self.cells.extend([""] * (self.span - 1))
            self.cell = None
        elif tag == "sup":
            self.sup = max(0, self.sup - 1)
        elif tag == "tr" and self.cells is not None and self.rows is not None:
            self._fill_rowspans()
            if any(self.cells):
                self.rows.append(Row(self.row_line, tuple(self.cells)))
            self.cells = None
        elif tag == "table" and self.rows is not None:
            if len(self.rows) >= 2:
                self.blocks.append(Table(trim_columns(self.rows), FORM))
            self.rows = None
        elif tag in BLOCKS and self.rows is None:
            self._flush()
        if tag in STRONG:
            self.strong = max(0, self.strong - 1)

    def _fill_rowspans(self) -> None:
        """Put an empty cell where a cell of a row above spans down into this one."""
        while self.cells is not None and self.pending.get(len(self.cells), 0) > 0:
            self.pending[len(self.cells)] -= 1
            self.cells.append("")

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        if self.sup and data.strip().isdigit():
            data = data.strip().translate(SUPERSCRIPTS)  # a footnote mark: "Revenue¹"
        if self.cell is not None:
            self.cell.append(data)
        elif self.rows is None:
            if not self.text:
                self.text_line = self.getpos()[0]
            self.text.append(data)
            if self.strong:
                self.strong_text += len(data.strip())

    def _flush(self) -> None:
        text = " ".join("".join(self.text).split())
        if text:
            self.blocks.append(Paragraph(text, self.text_line,
                                         strong=self.strong_text >= len(text.replace(" ", ""))))
        self.text, self.strong_text = [], 0


def _span(text: str | None) -> int:
    """Read a colspan or rowspan: 1 when absent or unreadable, at most MAX_COLSPAN."""
    text = (text or "1").strip()
    return max(1, min(int(text), MAX_COLSPAN)) if text.isdigit() else 1


def read(source: Path, sheet: str | None = None) -> Document:
    """Read an HTML page into its paragraphs and tables."""
    parser = _ReleaseParser()
    parser.feed(source.read_bytes().decode("utf-8-sig", errors="replace"))
    parser.close()
    parser._flush()
    return Document(attach_titles(parser.blocks), (FORM,))
