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

import io

from pathlib import Path

from reporter.errors import DataError
from reporter.ingest.sources import Document
from reporter.ingest.sources import (
    MAX_PDF_MEMORY, MAX_PDF_PAGE_CONTENT, MAX_PDF_PAGES, MAX_PDF_SECONDS, MAX_SOURCE_CHARACTERS, source_bytes,
)
from reporter.ingest.sources.text import read_text

COLUMN_GAP = 10.0  # points between two words that stand in different cells
POINTS_PER_CHARACTER = 2.5  # horizontal scale of the laid-out text
PARAGRAPH_GAP = 1.45  # a vertical gap this many line pitches wide ends a paragraph
MARGIN = 0.06  # fraction of the page height at top and bottom holding running heads and feet
SHORT_LINE = 40.0  # points short of the right edge: the last line of a paragraph
TOUCHING = 0.8  # points: a word this close to the one before is set against it


def read(source: Path, sheet: str | None = None) -> Document:
    """Read a PDF release into paragraphs and tables."""
    pages = _pages_bounded(source_bytes(source), source)
    if not any(pages):
        raise DataError("the PDF has no text (a scanned image?); ingest needs text", file=source)
    return read_text("\n\n".join("\n".join(lines) for lines in pages if lines))


def _pages_bounded(data: bytes, source: Path) -> list[list[str]]:
    """Lay the pages out in a child process with at most MAX_PDF_MEMORY of address space and
    MAX_PDF_SECONDS of time: pdfminer inflates a whole stream at once (a 20 KB Flate bomb is
    gigabytes) and keeps an object per character (11 KB of PDF can draw 3 million)."""
    import json
    import subprocess
    import sys

    try:
        done = subprocess.run([sys.executable, "-m", "reporter.ingest.sources.pdf"], input=data,
                              capture_output=True, timeout=MAX_PDF_SECONDS, preexec_fn=_bounded_memory)
    except subprocess.TimeoutExpired:
        raise DataError(f"reading the PDF took more than {MAX_PDF_SECONDS} s", file=source) from None
    try:
        answer = json.loads(done.stdout)
    except ValueError:  # killed, or out of memory before it could answer
        answer = {"error": f"reading the PDF took more than {MAX_PDF_MEMORY:,} bytes of memory "
                           f"(a compressed bomb, or millions of characters?)"}
    if "error" in answer:
        raise DataError(answer["error"], file=source)
    return answer["pages"]


def _bounded_memory() -> None:
    import resource

    _, hard = resource.getrlimit(resource.RLIMIT_AS)  # never above a limit the user already set
    limit = MAX_PDF_MEMORY if hard == resource.RLIM_INFINITY else min(MAX_PDF_MEMORY, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _pages(data: bytes) -> list[list[str]]:
    """Lay out every page's words as lines (in the child process); a problem raises DataError."""
    import pdfplumber  # imported here: only PDF sources need it

    try:
        _check_page_contents(data)
        _count_characters(data)
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            # Counted before any page is laid out: a release has a few pages, not thousands.
            if len(pdf.pages) > MAX_PDF_PAGES:
                raise DataError(f"the PDF has {len(pdf.pages):,} pages, more than {MAX_PDF_PAGES} "
                                "(a release has a few); extract the pages with the table")
            pages, characters = [], 0
            for number, page in enumerate(pdf.pages, 1):
                characters += len(page.chars)
                if characters > MAX_SOURCE_CHARACTERS:
                    raise DataError(f"the PDF draws more than {MAX_SOURCE_CHARACTERS:,} characters "
                                    f"by page {number}")
                pages.append(_page_lines(page))
                page.close()  # drop the page's objects: only its lines are kept
            return pages
    except DataError:
        raise
    except MemoryError:
        raise DataError(f"reading the PDF took more than {MAX_PDF_MEMORY:,} bytes of memory "
                        f"(a compressed bomb, or millions of characters?)") from None
    except Exception as exc:  # pdfminer raises many types for a file that is not a PDF
        raise DataError(f"cannot read the PDF: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}") \
            from None


def _check_page_contents(data: bytes) -> None:
    """Unpack each page's Flate-compressed drawing instructions at most MAX_PDF_PAGE_CONTENT bytes
    far before pdfminer inflates them whole: a 20 KB stream can unpack to gigabytes, and 11 KB of
    PDF can hold one string of 3 million characters (each an object in pdfplumber)."""
    import zlib

    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import resolve1, stream_value

    document = PDFDocument(PDFParser(io.BytesIO(data)))
    for number, page in enumerate(PDFPage.create_pages(document), 1):
        if number > MAX_PDF_PAGES:
            return  # refused with its page count
        size = 0
        for content in page.contents:
            stream = stream_value(content)
            filters = [resolve1(f) for f in stream.get_filters()] if hasattr(stream, "get_filters") else []
            names = [getattr(f[0] if isinstance(f, tuple) else f, "name", None) for f in filters]
            if names == ["FlateDecode"]:
                inflater = zlib.decompressobj()
                size += len(inflater.decompress(stream.rawdata or b"", MAX_PDF_PAGE_CONTENT + 1 - size))
            elif not names:
                size += len(stream.rawdata or b"")
            if size > MAX_PDF_PAGE_CONTENT:
                raise DataError(f"page {number} of the PDF holds more than {MAX_PDF_PAGE_CONTENT:,} bytes of "
                                f"drawing instructions (a compressed bomb, or millions of characters?)")


def _count_characters(data: bytes) -> None:
    """Count the characters the pages draw with pdfium (C, a few bytes a character) before
    pdfplumber makes an object of each."""
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError:
        return  # pdfplumber says what is wrong with it
    try:
        if len(document) > MAX_PDF_PAGES:
            return  # refused with its page count
        characters = 0
        for number, page in enumerate(document, 1):
            characters += page.get_textpage().count_chars()
            if characters > MAX_SOURCE_CHARACTERS:
                raise DataError(f"the PDF draws more than {MAX_SOURCE_CHARACTERS:,} characters by page {number}")
    finally:
        document.close()


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


def _child() -> None:
    """The child process: the PDF's bytes on stdin, its pages (or one error) as JSON on stdout."""
    import json
    import sys

    answer: dict[str, object]
    try:
        answer = {"pages": _pages(sys.stdin.buffer.read())}
    except DataError as error:
        answer = {"error": error.message}
    sys.stdout.write(json.dumps(answer))


if __name__ == "__main__":
    _child()
