"""Releases as PDF: words and their positions from pdfplumber, laid out again as text.

pdfplumber (MIT) gives every word with its box. Words on the same baseline make a line; a gap
wider than COLUMN_GAP points between two words separates cells, which are written at their
horizontal position with two or more spaces between them, so the table reads as the
space-separated form and its columns line up as on the page. A vertical gap wider than
PARAGRAPH_GAP line pitches starts a new paragraph. Running heads and feet (the top and bottom
MARGIN of each page) are left out. The text then goes through the text reader, so a PDF
release is read exactly as the same release pasted as text; rows are lines of that text.
"""

from __future__ import annotations

from pathlib import Path

from reporter.errors import DataError
from reporter.ingest.sources import Document
from reporter.ingest.sources.text import read_text

COLUMN_GAP = 10.0  # points between two words that stand in different cells
POINTS_PER_CHARACTER = 2.5  # horizontal scale of the laid-out text
PARAGRAPH_GAP = 1.45  # a vertical gap this many line pitches wide ends a paragraph
MARGIN = 0.06  # fraction of the page height at top and bottom holding running heads and feet
SHORT_LINE = 40.0  # points short of the right edge: the last line of a paragraph
TOUCHING = 0.8  # points: a word this close to the one before is set against it


def read(source: Path, sheet: str | None = None) -> Document:
    """Read a PDF release into paragraphs and tables."""
    import pdfplumber  # imported here: only PDF sources need it

    try:
        with pdfplumber.open(source) as pdf:
            pages = [_page_lines(page) for page in pdf.pages]
    except Exception as exc:  # pdfminer raises many types for a file that is not a PDF
        raise DataError(f"cannot read the PDF: {exc}", file=source) from None
    if not any(pages):
        raise DataError("the PDF has no text (a scanned image?); ingest needs text", file=source)
    return read_text("\n\n".join("\n".join(lines) for lines in pages if lines))


def _page_lines(page) -> list[str]:
    """Lay one page's words out as lines of text, blank lines between paragraphs."""
    top, bottom = page.height * MARGIN, page.height * (1 - MARGIN)
    words = [w for w in page.extract_words(extra_attrs=["fontname", "size"])
             if top <= w["top"] and w["bottom"] <= bottom]
    lines: list[list[dict]] = []
    for word in sorted(words, key=lambda w: (round(w["top"]), w["x0"])):
        if lines and _same_line(lines[-1], word):
            lines[-1].append(word)
        else:
            lines.append([word])
    pitches = sorted(b[0]["top"] - a[0]["top"] for a, b in zip(lines, lines[1:]))
    pitch = pitches[len(pitches) // 2] if pitches else 0
    right = max((w["x1"] for w in words), default=0)
    out: list[str] = []
    for index, line in enumerate(lines):
        line.sort(key=lambda w: w["x0"])
        text = _lay_out(line)
        if index and _ends_paragraph(lines[index - 1], line, pitch, right) and \
                not (_is_row(text) and _is_row(out[-1])):  # table rows are spaced unevenly
            out.append("")
        out.append(text)
    return out


def _same_line(line: list[dict], word: dict) -> bool:
    """Say whether a word sits on a line: their heights overlap by half (superscripts too)."""
    top, bottom = min(w["top"] for w in line), max(w["bottom"] for w in line)
    overlap = min(bottom, word["bottom"]) - max(top, word["top"])
    return overlap >= 0.5 * min(bottom - top, word["bottom"] - word["top"])


def _ends_paragraph(previous: list[dict], line: list[dict], pitch: float, right: float) -> bool:
    """Say whether a paragraph ends between two lines: a wide gap, a change of font, or a
    short line ending a sentence."""
    if line[0]["top"] - previous[0]["top"] > pitch * PARAGRAPH_GAP:
        return True
    if (previous[-1]["fontname"], round(previous[-1]["size"])) != \
            (line[0]["fontname"], round(line[0]["size"])):
        return True
    return previous[-1]["text"].endswith((".", ":", "”", ".)")) and \
        previous[-1]["x1"] < right - SHORT_LINE


def _is_row(text: str) -> bool:
    """Say whether a laid-out line has cells apart (a table row), not one run of words."""
    return "  " in text.strip()


def _lay_out(words: list[dict]) -> str:
    """Write one line's words at their positions: cells apart by two or more spaces."""
    text = ""
    for index, word in enumerate(words):
        gap = word["x0"] - words[index - 1]["x1"] if index else 0
        if index and gap <= COLUMN_GAP:
            # A word set right against the one before is one with it (a footnote mark).
            text += ("" if gap < TOUCHING else " ") + word["text"]
            continue
        column = int(word["x0"] / POINTS_PER_CHARACTER)
        text += " " * max(column - len(text), 2 if text else 0) + word["text"]
    return text
