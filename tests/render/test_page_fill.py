"""Every page but the cover and the last is at least three quarters full, read back from the PDF.

Fill is measured from the top of the text area (the page less its margins of theme.yaml) to the
lowest text or graphic inside it; running headers and footers sit in the margins and do not count.
"""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pytest

from reporter.data.report import default_report_dir
from reporter.theme.resolve import resolve_theme
from reporter.theme.resolve import available_themes

TEMPLATES = [t.name for t in available_themes() if t.name != "base"]
MINIMUM_FILL = 0.75
POINTS = {"mm": 72 / 25.4, "cm": 72 / 2.54, "in": 72.0, "pt": 1.0, "px": 0.75}


def length(text: str) -> float:
    """A CSS length in points: `21mm`, `0.75in`, `12pt`."""
    for unit, factor in POINTS.items():
        if text.endswith(unit):
            return float(text[: -len(unit)]) * factor
    raise ValueError(f"no unit in {text!r}")


def vertical_margins(template: str) -> tuple[float, float]:
    """Top and bottom page margins of a theme, in points."""
    margin = str(resolve_theme(template, default_report_dir(), None).settings["page"]["margin"]).split()
    top = length(margin[0])
    bottom = length(margin[2] if len(margin) > 2 else margin[0])
    return top, bottom


def page_fills(path: Path, top_margin: float, bottom_margin: float) -> list[float]:
    """Share of each page's text area used, down to its lowest text or graphic."""
    document = pdfium.PdfDocument(str(path))
    try:
        fills = []
        for page in document:
            height = page.get_height()
            area_top, area_bottom = height - top_margin, bottom_margin
            lowest = area_top
            for obj in page.get_objects(max_depth=3):
                left, bottom, right, top = obj.get_bounds()
                # Only what lies in the text area: running heads and feet are in the margins.
                if bottom >= area_bottom - 1 and top <= area_top + 1:
                    lowest = min(lowest, bottom)
            fills.append((area_top - lowest) / (area_top - area_bottom))
        return fills
    finally:
        document.close()


@pytest.mark.parametrize("template", TEMPLATES)
def test_every_inner_page_is_three_quarters_full(built_pdfs, template):
    fills = page_fills(built_pdfs[template], *vertical_margins(template))
    first = 1 if template == "quarterly-briefing" else 0  # the cover is a page of its own design
    inner = fills[first:-1]
    assert all(fill >= MINIMUM_FILL for fill in inner), [round(f, 2) for f in fills]


def test_the_measure_sees_an_empty_page():
    """A page with one line of text measures nearly empty: the check can fail."""
    from weasyprint import HTML

    pdf = HTML(string="<style>@page { size: A4; margin: 20mm }</style><p>One line</p>"
                      "<p style='break-before: page'>Second page</p>").write_pdf()
    path = Path(pytest.importorskip("tempfile").mkdtemp()) / "empty.pdf"
    path.write_bytes(pdf)
    fills = page_fills(path, length("20mm"), length("20mm"))
    assert len(fills) == 2 and fills[0] < 0.1
