"""Hostile commentary for the page-two column split (reporter/context/columns.py) and the discussion.

A commentary of no sections, one, thirty, one very long, a 200-row table, or a word longer than
a column: every built-in builds it, nothing is set off the page or over the next column, and the
sections read in the commentary's order (page by page, left column before right).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pdfplumber
import pytest

from reporter.build.document import build_report
from reporter.build.outputs import OutputFormat

TITLES = ["Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot", "Golf", "Hotel", "India", "Juliett",
          "Kilo", "Lima", "Mike", "November", "Oscar", "Papa", "Quebec", "Romeo", "Sierra", "Tango",
          "Uniform", "Victor", "Whiskey", "Xray", "Yankee", "Zulu", "Omega", "Sigma", "Kappa", "Lambda"]
TEXT = "The mill processed ore at a steady rate while recoveries improved through the quarter. "
LONG_WORD = "W" * 3000


def mark(title: str) -> str:
    """The word that opens a section's text: titles are not printed by every template (the press
    release has none) and the briefing repeats them in its contents."""
    return f"{title}mark"


def sections(titles: list[str], repeat: int = 4) -> str:
    return "".join(f"## {title} {{#{title.lower()}}}\n\n{mark(title)} {TEXT * repeat}\n\n" for title in titles)


CASES = {
    "no-sections": ([], ""),
    "one-section": (["Alpha"], sections(["Alpha"])),
    "thirty-sections": (TITLES, sections(TITLES)),
    "one-huge-section": (["Alpha"], sections(["Alpha"], repeat=400)),
    "a-200-row-table": (["Alpha"], "## Alpha {#alpha}\n\nAlphamark\n\n| Item | Tonnes |\n|---|---|\n"
                        + "".join(f"| Stockpile {i} | {i * 10} |\n" for i in range(200)) + "\n"),
    "a-word-longer-than-a-column": (["Alpha", "Bravo", "Charlie"],
                                    f"## Alpha {{#alpha}}\n\nAlphamark {LONG_WORD}\n\n" + sections(["Bravo", "Charlie"])),
}


def with_discussion(folder: Path, discussion: str) -> None:
    """Put `discussion` where the Los Santos commentary has its sections, before About."""
    path = folder / "commentary.md"
    text = path.read_text(encoding="utf-8")
    head, _, rest = text.partition("\n## Operations")
    assert rest, "the Los Santos commentary has an Operations section"
    path.write_text(head + "\n" + discussion + rest[rest.index("## About"):], encoding="utf-8")


@pytest.mark.parametrize("template", ["investor-summary", "quarterly-briefing", "press-release"])
@pytest.mark.parametrize("case", list(CASES))
def test_any_commentary_builds_on_the_page_in_reading_order(report_dir, tmp_path, case, template):
    titles, discussion = CASES[case]
    marks = [mark(title) for title in titles]
    with_discussion(report_dir, discussion)
    pdf = build_report(report_dir, template=template, theme_dir=None, output=tmp_path / "out",
                       output_format=OutputFormat.pdf)
    found: list[tuple[int, bool, float, str]] = []
    long_pieces = 0
    with pdfplumber.open(pdf) as document:
        for number, page in enumerate(document.pages):
            middle = page.width / 2
            for word in page.extract_words():
                assert 0 <= word["x0"] and word["x1"] <= page.width and word["bottom"] <= page.height, \
                    (number + 1, word["text"][:20])
                if word["text"] in marks:
                    found.append((number, word["x0"] >= middle, word["top"], word["text"]))
                if set(word["text"]) == {"W"} and len(word["text"]) > 10:
                    long_pieces += 1
                    if template == "investor-summary" and number > 0:  # broken, never over the gutter
                        assert word["x1"] <= middle or word["x0"] >= middle, (number + 1, word["x0"], word["x1"])
    reading = [text for *_, text in sorted(found)]
    assert reading == marks
    if LONG_WORD in discussion:
        assert long_pieces > 1  # the word was broken over lines
