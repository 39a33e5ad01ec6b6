"""Two columns of commentary, split where CSS column balancing splits them, without its cost.

The investor summary sets its page two (highlights, discussion sections, About) in two columns.
With `columns: 2` WeasyPrint balances them by laying the whole text out again and again, a
slightly taller column each time, until it fits: about a quarter of the summary's render. Here
the split is decided once, from the text, between whole blocks: the left column takes blocks
until it holds at least half of the estimated height (balancing fills the first column first,
and a reader expects the left column to be the longer), unless leaving its last block to the
right column makes the taller column shorter by more than a line.

The estimate counts lines of the column; its rules are data below. It need not be exact: a
block wrapping one line more or less moves the break only when two splits are that close.

Two cells side by side read left, then right, on every page; text that runs past the page
would be read out of order (the left cell's end on the next page after the right cell's start).
So when the taller column may not fit page two, a block holds what the estimate cannot weigh
(an image, a code block), or there is one block only, the blocks stay in
one column that the template flows through balanced CSS columns, page after page, as before.
"""

from __future__ import annotations

import re
from html import unescape
from typing import Any, Sequence

# What one block weighs, in lines of a column about 87 mm wide set in 8.6 pt Source Sans Pro
# (the investor summary's page two; measured on its English pages): characters a line holds,
# of running text and of a list item (narrower by its bullet's indent), the space a section
# title takes with its margins, and the gap after a paragraph or an item. French, set smaller,
# holds a few more characters a line; its longer words even that out.
CHARS_PER_LINE = 62
CHARS_PER_ITEM_LINE = 59
TITLE_LINES = 2.6
PARAGRAPH_GAP_LINES = 0.45
ITEM_GAP_LINES = 0.15
# How much taller (in lines) the taller column may be so that the left one is the longer.
LEFT_LONGER_SLACK_LINES = 1.0
# The tallest column page two holds under its quote (a Letter or A4 page, lines as above), and
# what each chart a theme puts at the top of page two takes from it.
PAGE_TWO_LINES = 46
CHART_LINES = 22

# The blocks of a section's HTML that take lines: paragraphs, list items, table rows (a line
# each: the commentary's tables are short) and subheadings.
_PARAGRAPH = re.compile(r"<(p|li|tr|h[3-6])\b[^>]*>(.*?)</\1>", re.S | re.I)
_TAG = re.compile(r"<[^>]+>")
# What the estimate cannot weigh: an image (its height is the picture's), and text outside the
# blocks above (a code block, which the sanitiser leaves as bare text).
_IMAGE = re.compile(r"<img\b", re.I)

COLUMNS_DOCS: dict[str, str] = {
    "commentary_columns": "The commentary split into two columns (investor summary, page two): a list of two columns, left then right; one column when the text may not fit one page, holds an image or a code block, or is one block (then it flows in balanced CSS columns).",
    "commentary_columns[].narrative": "The generated highlights open this column (true or false).",
    "commentary_columns[].sections": "The discussion sections in this column, in order (each as in commentary.discussion).",
    "commentary_columns[].sections[].id": "The section's id (its anchor), as in commentary.discussion.",
    "commentary_columns[].sections[].title": "The section's title, as in commentary.discussion.",
    "commentary_columns[].sections[].html": "The section's text as HTML, as in commentary.discussion.",
    "commentary_columns[].about": "The About section closes this column (true or false).",
}


def text_lines(text: str, chars_per_line: int) -> int:
    """The lines a run of text wraps to, at least one."""
    return max(1, -(-len(" ".join(text.split())) // chars_per_line))


def html_lines(html: str) -> float:
    """The estimated height, in lines, of a block's paragraphs and list items."""
    lines = 0.0
    for tag, inner in _PARAGRAPH.findall(str(html)):
        text = unescape(_TAG.sub("", inner))
        if tag.lower() == "li":
            lines += text_lines(text, CHARS_PER_ITEM_LINE) + ITEM_GAP_LINES
        elif tag.lower() == "tr":
            lines += 1 + ITEM_GAP_LINES
        else:
            lines += text_lines(text, CHARS_PER_LINE) + PARAGRAPH_GAP_LINES
    return lines


def measurable(html: str) -> bool:
    """Say whether `html_lines` weighs all of a block: no image, no text outside its paragraphs,
    list items, table rows and subheadings."""
    html = str(html)
    return not _IMAGE.search(html) and not unescape(_TAG.sub("", _PARAGRAPH.sub("", html))).strip()


def left_count(heights: Sequence[float]) -> int:
    """How many blocks the left column takes: the fewest that make it at least half the total,
    or one fewer when that makes the taller column shorter by more than LEFT_LONGER_SLACK_LINES.

    >>> left_count([19.5, 7.05, 6.05, 13.05])   # 26.55 | 19.1 rather than 19.5 | 26.15
    2
    >>> left_count([25.5, 8.05, 6.05, 15.05])   # 25.5 | 29.15 rather than 33.55 | 21.1
    1
    """
    total, left = sum(heights), 0.0
    for count, height in enumerate(heights, start=1):
        left += height
        if left >= total - left:
            one_fewer = total - (left - height)  # the right column, the taller, with this block
            return count - 1 if count > 1 and one_fewer + LEFT_LONGER_SLACK_LINES < left else count
    return len(heights)


def columns_context(narrative: Sequence[str], show: dict[str, bool],
                    commentary: dict[str, Any], charts: int = 0) -> list[dict[str, Any]]:
    """Split the page-two blocks (highlights, discussion sections, About) into two columns, or
    keep them in one to flow when they may not fit the page (under `charts` charts)."""
    blocks: list[tuple[str, Any, float]] = []
    if show["narrative"]:
        items = sum(text_lines(sentence, CHARS_PER_ITEM_LINE) + ITEM_GAP_LINES for sentence in narrative)
        blocks.append(("narrative", None, TITLE_LINES + items))
    for section in commentary["discussion"]:
        blocks.append(("section", section, TITLE_LINES + html_lines(section["html"])))
    if show["about"]:
        blocks.append(("about", None, TITLE_LINES + html_lines(commentary["about"]["html"])))
    # A block the estimate cannot weigh may make a column overrun the page: flow in one column.
    unmeasured = not all(measurable(section["html"]) for section in commentary["discussion"]) or (
        show["about"] and not measurable(commentary["about"]["html"]))
    heights = [height for *_, height in blocks]
    split = left_count(heights)
    taller = max(sum(heights[:split]), sum(heights[split:]))
    parts = ([blocks] if len(blocks) < 2 or unmeasured or taller > PAGE_TWO_LINES - CHART_LINES * charts
             else [blocks[:split], blocks[split:]])
    return [{"narrative": any(kind == "narrative" for kind, *_ in part),
             "sections": [section for kind, section, _ in part if kind == "section"],
             "about": any(kind == "about" for kind, *_ in part)}
            for part in parts]
