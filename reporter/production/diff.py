"""Compare two builds of a document for sign-off: what a reader would see change, in pixels and words.

Both PDFs are rasterised with pdfium page by page; a page whose pixels differ gets a PNG of the new
page with each changed region outlined. The text is read back too: table rows are aligned by their
label, so a changed figure is named by line, period, old and new value; the rest of the text is
compared word by word; pages added or removed are listed.
"""

from __future__ import annotations

import difflib
import re
from typing import Any
from dataclasses import dataclass, field
from pathlib import Path

from reporter.errors import ReporterError
from reporter.inputs.limits import MAX_DIFF_PAGE_PIXELS, MAX_DIFF_PAGES, MAX_DIFF_PDF_BYTES, MAX_DIFF_TEXT_CHARS

SCALE = 100 / 72  # 100 dpi: a changed digit is a dozen pixels wide, a page renders in ~50 ms
THRESHOLD = 40  # per-channel difference below which a pixel counts as unchanged (anti-aliasing)
GAP = 12  # pixels of unchanged space that separate two changed regions
OUTLINE = (220, 0, 0)

FIGURE = re.compile(r"^\(?-?(?:[A-Z]{1,3})?\$?(?:\d[\d,]*(?:\.\d+)?|—)\)?%?$")
YEAR = re.compile(r"^(?:19|20)\d\d$")
PERIOD_GROUP = re.compile(r"\s*([^,]*?\b(?:Ended|ended)\b[^,]*,)")


@dataclass
class FigureChange:
    page: int
    line: str
    period: str
    old: str
    new: str

    def __str__(self) -> str:
        return f"page {self.page}: {self.line}, {self.period}: {self.old} -> {self.new}"


@dataclass
class TextChange:
    page: int
    old: str
    new: str

    def __str__(self) -> str:
        if not self.old:
            return f"page {self.page}: text added: {self.new!r}"
        if not self.new:
            return f"page {self.page}: text removed: {self.old!r}"
        return f"page {self.page}: text changed: {self.old!r} -> {self.new!r}"


@dataclass
class PageChange:
    page: int
    boxes: list[tuple[int, int, int, int]]  # changed regions, pixels of the new page at SCALE
    image: Any = field(repr=False, default=None)  # the new page with the regions outlined (PIL)
    written: Path | None = None  # its PNG, when written as the pages were compared


@dataclass
class DiffResult:
    old_pages: int
    new_pages: int
    pages: list[PageChange] = field(default_factory=list)
    figures: list[FigureChange] = field(default_factory=list)
    text: list[TextChange] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.pages or self.old_pages != self.new_pages)

    def describe(self) -> list[str]:
        """List the changes in words, figures first."""
        lines = [str(change) for change in self.figures]
        lines += [str(change) for change in self.text]
        lines += [f"page {n}: added" for n in range(self.old_pages + 1, self.new_pages + 1)]
        lines += [f"page {n}: removed" for n in range(self.new_pages + 1, self.old_pages + 1)]
        if self.pages and not (self.figures or self.text):
            lines.append("pages " + ", ".join(str(p.page) for p in self.pages)
                         + ": drawing changed (no text changed)")
        return lines


def diff_pdfs(old: Path, new: Path, image_folder: Path | None = None) -> DiffResult:
    """Compare two PDFs page by page, in pixels and in words.

    With `image_folder`, each changed page's PNG is written there as soon as it is found; no
    image is kept (1,500 changed pages held as images took 5.5 GB).
    """
    import pypdfium2 as pdfium

    documents = []
    for path in (old, new):
        check_pdf_file(path)
        try:
            documents.append(pdfium.PdfDocument(str(path)))
        except pdfium.PdfiumError as error:
            raise ReporterError(f"not a readable PDF ({error})", file=path) from None
    old_doc, new_doc = documents
    try:
        for path, document in ((old, old_doc), (new, new_doc)):
            if len(document) > MAX_DIFF_PAGES:
                raise ReporterError(f"{len(document):,} pages, more than the {MAX_DIFF_PAGES:,} a diff compares",
                                    file=path)
        result = DiffResult(len(old_doc), len(new_doc))
        for index in range(min(len(old_doc), len(new_doc))):
            for path, document in ((old, old_doc), (new, new_doc)):
                check_page_size(document[index], index + 1, path)
            change = compare_page(old_doc[index], new_doc[index], index + 1)
            if change is not None:
                if image_folder is not None:
                    change.written = _write_page(change, image_folder)
                change.image = None  # never kept: a PNG written, or nobody asked for one
                result.pages.append(change)
        old_text = page_texts(old_doc, old)
        new_text = page_texts(new_doc, new)
    finally:
        old_doc.close()
        new_doc.close()
    result.figures, old_rest, new_rest = compare_tables(old_text, new_text)
    result.text = compare_words(old_rest, new_rest)
    return result


def check_pdf_file(path: Path) -> None:
    """Refuse a PDF that is not a regular file or is larger than MAX_DIFF_PDF_BYTES, before reading it
    (a sparse 6 GB file reads as zeros for minutes)."""
    import os
    import stat

    try:
        info = os.stat(path)
    except OSError as error:
        raise ReporterError(f"cannot be read ({error.strerror})", file=path) from None
    if not stat.S_ISREG(info.st_mode):
        raise ReporterError("not a regular file (a device, pipe or folder)", file=path)
    if info.st_size > MAX_DIFF_PDF_BYTES:
        raise ReporterError(f"{info.st_size:,} bytes, larger than the {MAX_DIFF_PDF_BYTES:,} a diff compares",
                            file=path)


def check_page_size(page, number: int, path: Path) -> None:
    """Refuse a page too large to rasterise, from its size in points (a 200-inch page at 100 dpi
    is 400 million pixels, 1.2 GB)."""
    width, height = page.get_size()
    pixels = round(width * SCALE) * round(height * SCALE)
    if pixels > MAX_DIFF_PAGE_PIXELS:
        raise ReporterError(f"page {number} is {width / 72:,.0f} x {height / 72:,.0f} in: {pixels:,} pixels at "
                            f"100 dpi, more than the {MAX_DIFF_PAGE_PIXELS:,} a diff compares", file=path)


def page_texts(document, path: Path) -> list[str]:
    """Read each page's text, at most MAX_DIFF_TEXT_CHARS in all (the word comparison is quadratic)."""
    texts, total = [], 0
    for number, page in enumerate(document, 1):
        textpage = page.get_textpage()
        count = textpage.count_chars()
        total += count
        if total > MAX_DIFF_TEXT_CHARS:
            raise ReporterError(f"more than {MAX_DIFF_TEXT_CHARS:,} characters of text (by page {number}), "
                                f"more than a diff compares", file=path)
        texts.append(textpage.get_text_range().replace("\r\n", "\n"))
    return texts


def _write_page(change: PageChange, folder: Path) -> Path:
    import io

    from reporter.write import write_atomic

    buffer = io.BytesIO()
    change.image.save(buffer, format="PNG")
    return write_atomic(folder / f"page-{change.page}.png", buffer.getvalue())


def compare_page(old_page, new_page, number: int) -> PageChange | None:
    """Rasterise both pages and outline where their pixels differ; None when they look the same."""
    from PIL import ImageChops, ImageDraw

    old_image = old_page.render(scale=SCALE).to_pil().convert("RGB")
    new_image = new_page.render(scale=SCALE).to_pil().convert("RGB")
    if old_image.size != new_image.size:
        boxes = [(0, 0, new_image.width - 1, new_image.height - 1)]
    else:
        difference = ImageChops.difference(old_image, new_image).convert("L")
        mask = difference.point(lambda value: 255 if value > THRESHOLD else 0)
        if mask.getbbox() is None:
            return None
        boxes = changed_regions(mask)
    outlined = new_image.copy()
    draw = ImageDraw.Draw(outlined)
    for left, top, right, bottom in boxes:
        draw.rectangle((left - 3, top - 3, right + 3, bottom + 3), outline=OUTLINE, width=2)
    return PageChange(number, boxes, outlined)


def changed_regions(mask) -> list[tuple[int, int, int, int]]:
    """Split a change mask into boxes: bands of changed rows, then runs of changed columns in each."""
    import numpy as np

    pixels = np.asarray(mask) > 0
    boxes = []
    for top, bottom in _runs(pixels.any(axis=1)):
        band = pixels[top:bottom + 1]
        for left, right in _runs(band.any(axis=0)):
            rows = np.flatnonzero(band[:, left:right + 1].any(axis=1))
            boxes.append((int(left), int(top + rows[0]), int(right), int(top + rows[-1])))
    return boxes


def _runs(flags) -> list[tuple[int, int]]:
    """Return (first, last) index of each run of True, runs closer than GAP merged."""
    runs: list[list[int]] = []
    for index in [int(i) for i in flags.nonzero()[0]]:
        if runs and index - runs[-1][1] <= GAP:
            runs[-1][1] = index
        else:
            runs.append([index, index])
    return [(first, last) for first, last in runs]


# --- words ------------------------------------------------------------------------------------


@dataclass
class Row:
    page: int
    label: str
    figures: list[str]
    periods: list[str]


def table_rows(pages: list[str]) -> tuple[list[Row], list[tuple[int, str]]]:
    """Split page text into table rows (a label, then figures) and the other lines."""
    rows, rest = [], []
    for number, text in enumerate(pages, 1):
        lines = text.splitlines()
        for index, line in enumerate(lines):
            tokens = line.split()
            count = 0
            while count < len(tokens) and FIGURE.match(tokens[-1 - count]):
                count += 1
            label_tokens = tokens[:len(tokens) - count]
            if count >= 2 and label_tokens and not all(YEAR.match(t) for t in tokens[-count:]):
                rows.append(Row(number, " ".join(label_tokens), tokens[-count:],
                                column_periods(lines[:index], count)))
            else:
                rest.append((number, line))
    return rows, rest


def column_periods(above: list[str], count: int) -> list[str]:
    """Name the columns of a row from the headings above it: the years, and their period groups."""
    for index in range(len(above) - 1, -1, -1):
        tokens = above[index].split()
        if len(tokens) >= count and all(YEAR.match(t) for t in tokens[-count:]):
            years = tokens[-count:]
            groups = PERIOD_GROUP.findall(above[index - 1]) if index > 0 else []
            if groups and count % len(groups) == 0:
                per_group = count // len(groups)
                return [f"{groups[i // per_group].strip()} {year}" for i, year in enumerate(years)]
            return years
    return [f"column {i}" for i in range(1, count + 1)]


def compare_tables(old_pages: list[str], new_pages: list[str]):
    """Align table rows by label (the k-th row of a label with the k-th) and name changed figures."""
    old_rows, old_rest = table_rows(old_pages)
    new_rows, new_rest = table_rows(new_pages)
    changes = []
    remaining = list(old_rows)
    for row in new_rows:
        match = next((r for r in remaining if r.label == row.label), None)
        if match is None:
            new_rest.append((row.page, f"{row.label} {' '.join(row.figures)}"))
            continue
        remaining.remove(match)
        if len(match.figures) != len(row.figures):
            changes.append(FigureChange(row.page, row.label, "all columns", " ".join(match.figures),
                                        " ".join(row.figures)))
            continue
        for old, new, period in zip(match.figures, row.figures, row.periods):
            if old != new:
                changes.append(FigureChange(row.page, row.label, period, old, new))
    old_rest += [(row.page, f"{row.label} {' '.join(row.figures)}") for row in remaining]
    return changes, sorted(old_rest, key=lambda item: item[0]), sorted(new_rest, key=lambda item: item[0])


def compare_words(old_lines: list[tuple[int, str]], new_lines: list[tuple[int, str]],
                  context: int = 4) -> list[TextChange]:
    """Compare the rest of the text word by word, each change with a few words around it."""
    old_words = [(page, word) for page, line in old_lines for word in line.split()]
    new_words = [(page, word) for page, line in new_lines for word in line.split()]
    matcher = difflib.SequenceMatcher(a=[w for _, w in old_words], b=[w for _, w in new_words],
                                      autojunk=False)
    changes = []
    for tag, a0, a1, b0, b1 in matcher.get_opcodes():
        if tag == "equal":
            continue
        page = new_words[b0][0] if b0 < len(new_words) else (old_words[a0][0] if old_words else 1)
        before = " ".join(w for _, w in old_words[max(0, a0 - context):a0])
        after = " ".join(w for _, w in old_words[a1:a1 + context])
        old = " ".join(w for _, w in old_words[a0:a1])
        new = " ".join(w for _, w in new_words[b0:b1])
        wrap = (lambda text: f"{before} [{text}] {after}".strip()) if (old and new) else (lambda text: text)
        changes.append(TextChange(page, wrap(old) if old else "", wrap(new) if new else ""))
    return changes


def write_diff(result: DiffResult, folder: Path) -> list[Path]:
    """Write a PNG per changed page (regions outlined) and changes.txt; return the files written."""
    from reporter.write import write_atomic
    import io

    written = []
    for page in result.pages:
        if page.written is not None:  # written while the pages were compared
            written.append(page.written)
            continue
        if page.image is None:
            continue
        buffer = io.BytesIO()
        page.image.save(buffer, format="PNG")
        written.append(write_atomic(folder / f"page-{page.page}.png", buffer.getvalue()))
    written.append(write_atomic(folder / "changes.txt", "".join(f"{line}\n" for line in result.describe()).encode()))
    return written
