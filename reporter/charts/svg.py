"""Draw the charts of an investor briefing as small, self-contained SVG strings.

Two charts cover what a quarterly briefing shows: a grouped bar chart (this year against
last year, per period) and a bridge, or waterfall, from revenue down to net income.

We draw the SVG ourselves instead of importing matplotlib or plotly because a build is
one short process and their import time alone would dominate it. The price is that we
cannot measure text, so widths are estimated from a per-character table (see
`_text_width`) and erring on the wide side is what keeps labels from colliding.

One SVG user unit is one CSS pixel (1/96 in): `width` and `height` are written in px and
the viewBox has the same size, so `ChartStyle.font_size` is the printed size (12px = 9pt)
whether the chart is inlined into the HTML or used as an `<img>`. A stylesheet may still
resize an inlined chart (`figure svg { width: 100%; height: auto }`); it then scales whole.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal
from xml.sax.saxutils import escape

Number = Decimal | float | int
Formatter = Callable[[Decimal], str]
StepKind = Literal["total", "delta"]

# 16 cm x 7.5 cm at 96 px to the inch: the width of a text column on A4 or Letter.
DEFAULT_WIDTH = 605
DEFAULT_HEIGHT = 284

# Multipliers of a power of ten that read as round numbers on an axis.
_NICE_MULTIPLIERS = (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5))

# Approximate advance widths in em. With _WIDTH_SAFETY they match DejaVu Sans, the widest
# sans-serif a renderer is likely to fall back to, so a brand font (Source Sans Pro is
# about 15% narrower) always fits. Digits get full width: a clipped tick label is worse
# than a few pixels of spare margin.
_CHAR_EM = {
    **dict.fromkeys(" .,:;'|!ijlI", 0.26),
    **dict.fromkeys("ftr()[]-/", 0.34),
    **dict.fromkeys("0123456789", 0.57),
    **dict.fromkeys("bdhnopquABCDEFGHKLNOPQRSTUVXYZ", 0.6),
    **dict.fromkeys("mwMW", 0.8),
}
_DEFAULT_EM = 0.52  # the rest of the lowercase letters, + and $
_NON_ASCII_EM = 0.65
_WIDTH_SAFETY = 1.12

_LINE_HEIGHT = 1.2  # in em, for wrapped category labels
_SMALL = 0.92  # tick and value labels are a touch smaller than category labels
_MIN_SCALE = 0.75  # labels may shrink to 3/4 of the style's size before we wrap harder
_MAX_LABEL_LINES = 3


@dataclass(frozen=True)
class ChartStyle:
    """Fonts and colours of a chart; a theme passes its brand values."""

    font_family: str = "Helvetica, Arial, sans-serif"
    font_size: float = 12.0  # px; 12px prints at 9pt
    text_color: str = "#333333"
    grid_color: str = "#dddddd"
    palette: tuple[str, ...] = ("#1f4e79", "#9dbcd9", "#7f7f7f", "#c8a24a")
    positive_color: str = "#5b8f66"
    negative_color: str = "#b55a4c"
    total_color: str = "#1f4e79"
    background_color: str = "#ffffff"  # the page behind the chart, to mask gridlines under labels
    language: str = "en_US"  # the document's language: long names break by its hyphenation rules
    colon: str = ":"  # the language's colon, between the title and the figures of the alternative text (French " :")


@dataclass(frozen=True)
class _Axis:
    """Map values to y pixels between the plot's top and bottom edges."""

    low: float
    high: float
    top: float
    bottom: float

    def y(self, value: Number) -> float:
        """Return the y pixel of a value."""
        share = (self.high - float(value)) / (self.high - self.low)
        return self.top + share * (self.bottom - self.top)


# --- numbers -------------------------------------------------------------------------


def _to_decimal(value: Number) -> Decimal:
    """Convert a figure to Decimal, refusing NaN and infinity."""
    # str() first so 0.1 becomes Decimal("0.1"), not its binary approximation.
    result = value if isinstance(value, Decimal) else Decimal(str(value))
    if not result.is_finite():
        raise ValueError(f"chart values must be finite, got {value!r}")
    return result


def _tidy(value: Decimal) -> Decimal:
    """Drop a Decimal's trailing zeros and exponent so formatters see 2500, not 2.5E+3."""
    if value == value.to_integral_value():
        return Decimal(int(value))
    return value.normalize()


def nice_ticks(low: Number, high: Number, max_intervals: int = 5) -> list[Decimal]:
    """Return round tick values that cover [low, high], stepping 1, 2, 2.5 or 5 x 10^n.

    >>> [str(tick) for tick in nice_ticks(0, 4421)]
    ['0', '1000', '2000', '3000', '4000', '5000']
    >>> [str(tick) for tick in nice_ticks(-4461, 10186)]
    ['-5000', '0', '5000', '10000', '15000']

    Zero is always a tick when the range contains it, so bars have a baseline on the grid.
    A range of one point returns that single point: there is no scale to show.
    """
    lo, hi = sorted((_to_decimal(low), _to_decimal(high)))
    if lo == hi:
        return [_tidy(lo)]
    # Start one notch below the magnitude of span/max_intervals and take the first step
    # that fits; rounding the ends outwards can add an interval, hence the loop.
    exponent = (hi - lo).adjusted() - 1
    while True:
        for multiplier in _NICE_MULTIPLIERS:
            step = multiplier * Decimal(10) ** exponent
            first = math.floor(lo / step)
            last = math.ceil(hi / step)
            if last - first <= max_intervals:
                return [_tidy(k * step) for k in range(first, last + 1)]
        exponent += 1


def bridge_geometry(steps: Sequence[tuple[str, Number, StepKind]]) -> list[tuple[Decimal, Decimal]]:
    """Return (start, end) of each bridge bar: totals from zero, deltas from the running total.

    >>> bridge_geometry([("Revenue", 4421, "total"), ("Cost of sales", -3006, "delta")])
    [(Decimal('0'), Decimal('4421')), (Decimal('4421'), Decimal('1415'))]

    A total restarts the running total at its own value: published subtotals are rounded
    and need not equal the sum of the rounded deltas before them.
    """
    geometry = []
    running = Decimal(0)
    for label, value, kind in steps:
        amount = _to_decimal(value)
        if kind == "total":
            start, running = Decimal(0), amount
        elif kind == "delta":
            start, running = running, running + amount
        else:
            raise ValueError(f"bridge step {label!r}: kind is {kind!r}, not 'total' or 'delta'")
        geometry.append((start, running))
    return geometry


# --- text ----------------------------------------------------------------------------


def _text_width(text: str, size: float) -> float:
    """Estimate the rendered width of text in px."""
    ems = sum(_CHAR_EM.get(ch, _DEFAULT_EM if ch.isascii() else _NON_ASCII_EM) for ch in text)
    return ems * size * _WIDTH_SAFETY


def _hyphenate(word: str, max_width: float, size: float, language: str = "en_US") -> list[str]:
    """Split a word too wide for max_width at hyphenation points ("Deprecia-", "tion").

    A label is never cut short: a reader must see the whole name. Pyphen (WeasyPrint's own
    hyphenation dictionary) gives the points; a piece that still does not fit is split by
    characters as a last resort.
    """
    import pyphen

    pieces, rest = [], word
    # The word's own hyphens first ("Non-|cash", never "Non--cash"), then the language's points
    # ("admi-nistration" in French, never English rules on a French word).
    if "-" in word.strip("-"):
        head, _, tail = word.partition("-")
        if _text_width(head + "-", size) <= max_width:
            return [head + "-", *_hyphenate(tail, max_width, size, language)]
    dictionary = pyphen.Pyphen(lang=language)
    while _text_width(rest, size) > max_width:
        for head, tail in dictionary.iterate(rest):
            if _text_width(head + "-", size) <= max_width:
                pieces.append(head + "-")
                rest = tail
                break
        else:
            cut = max(1, next((n for n in range(len(rest), 0, -1)
                               if _text_width(rest[:n] + "-", size) <= max_width), 1))
            if cut >= len(rest):
                break
            pieces.append(rest[:cut] + "-")
            rest = rest[cut:]
    return [*pieces, rest]


def _wrap(text: str, max_width: float, size: float, *, cut: bool = False,
          language: str = "en_US") -> list[str] | None:
    """Break text into lines no wider than max_width.

    A single word wider than max_width makes the result None, or with `cut` is hyphenated
    over lines instead.
    """
    lines: list[str] = []
    for word in text.split():
        pieces = [word]
        if _text_width(word, size) > max_width:
            if not cut:
                return None
            pieces = _hyphenate(word, max_width, size, language)
        for piece in pieces:
            if lines and not lines[-1].endswith("-") and _text_width(f"{lines[-1]} {piece}", size) <= max_width:
                lines[-1] = f"{lines[-1]} {piece}"
            else:
                lines.append(piece)
    return lines or [""]


def _truncate(text: str, max_width: float, size: float) -> str:
    """Shorten text with an ellipsis until it fits max_width."""
    if _text_width(text, size) <= max_width:
        return text
    while text and _text_width(text + "…", size) > max_width:
        text = text[:-1]
    return text.rstrip() + "…"


def _fit_labels(
    labels: Sequence[str], max_width: float, size: float, language: str = "en_US"
) -> tuple[float, list[list[str]]]:
    """Choose one font size and line breaks so every label fits its slot.

    Shrinks the font in whole-pixel steps down to _MIN_SCALE of `size`; coarse steps make
    charts in one document tend to agree on a size. Labels that still do not fit are
    hyphenated over more lines: overlapping neighbours is never acceptable, and neither is
    a name cut short ("Deprec…").
    """
    candidate = size
    while candidate >= size * _MIN_SCALE:
        wrapped = [_wrap(label, max_width, candidate) for label in labels]
        fitting = [lines for lines in wrapped if lines is not None]
        if len(fitting) == len(labels) and max(map(len, fitting)) <= _MAX_LABEL_LINES:
            return candidate, fitting
        candidate -= 1
    smallest = size * _MIN_SCALE
    return smallest, [_wrap(label, max_width, smallest, cut=True, language=language) or [""] for label in labels]


def _fit_size(texts: Sequence[str], max_width: float, size: float) -> float | None:
    """Return the largest size down to _MIN_SCALE at which all texts fit, else None."""
    widest = max((_text_width(text, 1.0) for text in texts), default=0.0)
    if widest == 0:
        return size
    fitting = min(size, max_width / widest)
    return fitting if fitting >= size * _MIN_SCALE else None


# --- SVG -----------------------------------------------------------------------------


def _num(value: float) -> str:
    """Format a coordinate with at most two decimals, so output is stable and small."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _clean(text: str) -> str:
    """Replace control characters, which XML 1.0 forbids, and line breaks with spaces."""
    return "".join(ch if ch >= " " else " " for ch in text)


def _xml_text(text: str) -> str:
    """Escape text for XML character data."""
    return escape(_clean(text))


def _xml_attr(text: str) -> str:
    """Escape text for a double-quoted XML attribute."""
    return escape(_clean(text), {'"': "&quot;"})


def _text(
    x: float, y: float, content: str, *, size: float, fill: str, anchor: str = "middle", cls: str = ""
) -> str:
    """Return a <text> element whose baseline starts at (x, y)."""
    # Explicit baselines instead of dominant-baseline: WeasyPrint 70 only approximates it.
    class_attr = f' class="{cls}"' if cls else ""
    return (
        f'<text{class_attr} x="{_num(x)}" y="{_num(y)}" font-size="{_num(size)}" '
        f'fill="{_xml_attr(fill)}" text-anchor="{anchor}">{_xml_text(content)}</text>'
    )


def _rect(x: float, y0: float, width: float, y1: float, *, fill: str, cls: str) -> str:
    """Return a <rect> spanning y0..y1 in either order."""
    top, height = min(y0, y1), abs(y1 - y0)
    return (
        f'<rect class="{cls}" x="{_num(x)}" y="{_num(top)}" width="{_num(width)}" '
        f'height="{_num(height)}" fill="{_xml_attr(fill)}"/>'
    )


def _line(
    x1: float, y1: float, x2: float, y2: float, *, stroke: str, width: float, cls: str
) -> str:
    """Return a <line> element."""
    return (
        f'<line class="{cls}" x1="{_num(x1)}" y1="{_num(y1)}" x2="{_num(x2)}" y2="{_num(y2)}" '
        f'stroke="{_xml_attr(stroke)}" stroke-width="{_num(width)}"/>'
    )


def _svg(
    width: float, height: float, style: ChartStyle, title: str, description: str, body: list[str]
) -> str:
    """Wrap chart elements in an accessible root <svg>."""
    # role="img" with aria-label makes assistive technology announce one image with a
    # name; <desc> carries the figures, since the drawing itself cannot be read aloud.
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" '
        f'width="{_num(width)}px" height="{_num(height)}px" '
        f'viewBox="0 0 {_num(width)} {_num(height)}" role="img" aria-label="{_xml_attr(title)}" '
        f'font-family="{_xml_attr(style.font_family)}" font-size="{_num(style.font_size)}">'
    )
    # WeasyPrint's tagged PDF takes an inline SVG's alternative text from <title> alone, so
    # the title also states the figures: a screen reader hears them, the page does not print them.
    title_element = f"<title>{_xml_text(f'{title}{style.colon} {description}' if description else title)}</title>"
    desc_element = f"<desc>{_xml_text(description)}</desc>"
    return "\n".join([head, title_element, desc_element, *body, "</svg>"])


# --- shared layout -------------------------------------------------------------------


def _ticks_for(values: Sequence[Decimal]) -> list[Decimal]:
    """Return the ticks of an axis over the values and zero."""
    return nice_ticks(min([Decimal(0), *values]), max([Decimal(0), *values]))


def _axis_for(ticks: Sequence[Decimal], top: float, bottom: float) -> _Axis:
    """Span an axis over its ticks between two y pixels."""
    # All zeros give a single tick and no scale: put zero at the bottom of a unit range.
    low, high = (float(ticks[0]), float(ticks[-1])) if len(ticks) > 1 else (0.0, 1.0)
    return _Axis(low, high, top, bottom)


def _plot_bottom(
    ticks: Sequence[Decimal], downward_ends: Sequence[Decimal], top: float, floor: float, room: float
) -> float:
    """Return the plot's bottom edge, raised by `room` if a label under a bar needs it."""
    # Only when a downward bar ends near the bottom of the axis would its label run into
    # the category labels; otherwise that height is better spent on the bars.
    axis = _axis_for(ticks, top, floor)
    if any(axis.y(end) + room > floor for end in downward_ends):
        return floor - room
    return floor


def _grid(
    axis: _Axis,
    ticks: Sequence[Decimal],
    left: float,
    right: float,
    style: ChartStyle,
    fmt: Formatter,
) -> list[str]:
    """Draw gridlines and tick labels; the zero line is drawn later, over the bars."""
    size = style.font_size * _SMALL
    parts = []
    for tick in ticks:
        y = axis.y(tick)
        if tick != 0:
            parts.append(_line(left, y, right, y, stroke=style.grid_color, width=0.5, cls="grid"))
        # 0.35 em below the line centres digits, which have no descenders, on it.
        label, baseline = fmt(tick), y + size * 0.35
        parts.append(
            _text(left - 6, baseline, label, size=size, fill=style.text_color, anchor="end", cls="tick")
        )
    return parts


def _tick_gutter(ticks: Sequence[Decimal], style: ChartStyle, fmt: Formatter) -> float:
    """Return the width that tick labels need left of the plot."""
    return max(_text_width(fmt(tick), style.font_size * _SMALL) for tick in ticks) + 8


def _category_labels(
    centres: Sequence[float], lines: Sequence[list[str]], size: float, top: float, style: ChartStyle
) -> list[str]:
    """Draw category labels centred under their slots, one <text> per line."""
    # One element per line rather than <tspan dy>: plain lines anchor the same way in
    # every renderer, WeasyPrint 70 included.
    parts = []
    for centre, label_lines in zip(centres, lines, strict=True):
        for index, line in enumerate(label_lines):
            y = top + size * 0.8 + index * size * _LINE_HEIGHT
            parts.append(_text(centre, y, line, size=size, fill=style.text_color, cls="category"))
    return parts


def _value_label(
    x: float,
    y_top: float,
    y_bottom: float,
    upward: bool,
    content: str,
    size: float,
    style: ChartStyle,
) -> list[str]:
    """Draw a value label just above an upward bar or just below a downward one."""
    y = y_top - 3 if upward else y_bottom + 3 + size * 0.8
    # A patch of background under the figure keeps a gridline from striking it through;
    # unlike a stroked copy of the text, it does not double the figure in copied PDF text.
    width = _text_width(content, size) + 2
    patch = _rect(
        x - width / 2, y - size * 0.78, width, y + size * 0.2, fill=style.background_color, cls="halo"
    )
    return [patch, _text(x, y, content, size=size, fill=style.text_color, cls="value")]


def _nil_texts(values: Sequence[Decimal], texts: Sequence[str], nil_label: str) -> list[str]:
    """A nil value's label is `nil_label` (the document's nil mark), or none: never a "0" that
    reads as a figure on a bar that is not there."""
    return [nil_label if value == 0 else text for value, text in zip(values, texts, strict=True)]


def _check_plot(width: float, height: float, top: float, bottom: float) -> None:
    """Refuse a canvas too small to hold a readable plot."""
    if bottom - top < 30:
        raise ValueError(f"a {width} x {height} px chart is too small for its labels")


# --- grouped bars --------------------------------------------------------------------


def _legend(
    names: Sequence[str], colours: Sequence[str], width: float, style: ChartStyle
) -> tuple[list[str], float]:
    """Lay legend entries left to right, wrapping rows; return elements and height."""
    size = style.font_size
    swatch = size * 0.75
    row_height = size * 1.5
    parts: list[str] = []
    x, row = 0.0, 0
    for name, colour in zip(names, colours, strict=True):
        label = _truncate(name, width - swatch - 6, size)
        entry = swatch + 5 + _text_width(label, size)
        if x > 0 and x + entry > width:
            x, row = 0.0, row + 1
        baseline = size * 0.9 + row * row_height
        # The swatch sits on the baseline and is about cap height, so it lines up with text.
        parts.append(_rect(x, baseline - swatch, swatch, baseline, fill=colour, cls="swatch"))
        parts.append(
            _text(
                x + swatch + 5, baseline, label,
                size=size, fill=style.text_color, anchor="start", cls="legend",
            )
        )
        x += entry + size * 1.2
    return parts, (row + 1) * row_height


def grouped_bar_chart(
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[Number]]],
    *,
    style: ChartStyle,
    title: str,
    description: str,
    value_formatter: Formatter,
    width: float = DEFAULT_WIDTH,
    height: float = DEFAULT_HEIGHT,
    nil_label: str = "",
) -> str:
    """Draw one bar per series side by side within each category, as an SVG string.

    >>> svg = grouped_bar_chart(
    ...     ["Three months", "Nine months"],
    ...     [("Revenue 2011", [4421, 10186]), ("Revenue 2010", [0, 0])],
    ...     style=ChartStyle(font_family="Source Sans Pro, sans-serif"),
    ...     title="Revenue",
    ...     description="Revenue was $4,421 thousand for the three months and $10,186 "
    ...     "thousand for the nine months of 2011, against nil in 2010.",
    ...     value_formatter=lambda value: f"{value:,.0f}",
    ... )
    >>> svg.startswith("<svg")
    True

    Series take colours from `style.palette` in order and are named in a legend on top.
    The y axis always includes zero, so negative values hang below the zero line with their
    labels underneath. Each bar is labelled with `value_formatter(value)`, as are the ticks; a
    nil bar with `nil_label` (the document's nil mark), or with nothing when it is empty.
    The title is not drawn (the figure caption shows it) but names the image for screen
    readers; `description` should state the figures for the same reason. Sizes are px.
    """
    if not categories or not series:
        raise ValueError("grouped_bar_chart needs at least one category and one series")
    if not style.palette:
        raise ValueError("ChartStyle.palette must name at least one colour")
    values = []
    for name, row in series:
        if len(row) != len(categories):
            raise ValueError(
                f"series {name!r} has {len(row)} values for {len(categories)} categories"
            )
        values.append([_to_decimal(value) for value in row])
    colours = [style.palette[index % len(style.palette)] for index in range(len(series))]
    flat = [value for row in values for value in row]
    ticks = _ticks_for(flat)
    value_size = style.font_size * _SMALL
    room = value_size * 1.3  # a value label's height and its gap to the bar

    legend, legend_height = _legend([name for name, _ in series], colours, width, style)
    left = _tick_gutter(ticks, style, value_formatter)
    right = width - 2
    slot = (right - left) / len(categories)
    label_size, label_lines = _fit_labels(categories, slot - 8, style.font_size, style.language)
    labels_top = height - max(len(lines) for lines in label_lines) * label_size * _LINE_HEIGHT
    top = legend_height + 4 + room
    bottom = _plot_bottom(ticks, [value for value in flat if value < 0], top, labels_top - 6, room)
    _check_plot(width, height, top, bottom)
    axis = _axis_for(ticks, top, bottom)

    count = len(series)
    gap = 2.0
    # Cap the width so a chart of one or two categories does not turn into slabs.
    texts = [_nil_texts(row, [value_formatter(value) for value in row], nil_label) for row in values]
    # Value labels must fit the bar pitch. Bars take 70% of their slot, or up to 92% when that
    # is what it takes for every bar to carry its value (three periods of large figures); only
    # if they still cannot fit are the labels left out, as colliding numbers mislead.
    for share in (0.7, 0.92):
        bar = min((slot * share - gap * (count - 1)) / count, style.font_size * 5)
        label_fit = _fit_size([text for row in texts for text in row], bar + gap - 4, value_size)
        if label_fit is not None:
            break
    group = bar * count + gap * (count - 1)

    parts = ['<g class="legend">', *legend, "</g>"]
    parts += _grid(axis, ticks, left, right, style, value_formatter)
    zero = axis.y(0)
    labels = []
    centres = [left + slot * (index + 0.5) for index in range(len(categories))]
    for c_index, centre in enumerate(centres):
        for s_index in range(count):
            x = centre - group / 2 + s_index * (bar + gap)
            value = values[s_index][c_index]
            end = axis.y(value)
            if value != 0:
                parts.append(_rect(x, zero, bar, end, fill=colours[s_index], cls="bar"))
            text = texts[s_index][c_index]
            if label_fit is not None and text:
                labels += _value_label(
                    x + bar / 2, min(zero, end), max(zero, end), value >= 0, text, label_fit, style
                )
    parts.append(_line(left, zero, right, zero, stroke=style.text_color, width=0.75, cls="baseline"))
    parts += labels
    parts += _category_labels(centres, label_lines, label_size, labels_top, style)
    return _svg(width, height, style, title, description, parts)


# --- bridge --------------------------------------------------------------------------


def bridge_chart(
    steps: Sequence[tuple[str, Number, StepKind]],
    *,
    style: ChartStyle,
    title: str,
    description: str,
    value_formatter: Formatter,
    value_texts: Sequence[str] | None = None,
    width: float = DEFAULT_WIDTH,
    height: float = DEFAULT_HEIGHT,
    nil_label: str = "",
    gutter: float = 0.0,
) -> str:
    """Draw a bridge (waterfall) from one total to the next, as an SVG string.

    >>> svg = bridge_chart(
    ...     [
    ...         ("Revenue", 4421, "total"),
    ...         ("Cost of sales", -3006, "delta"),
    ...         ("Income from mining operations", 1416, "total"),
    ...     ],
    ...     style=ChartStyle(),
    ...     title="From revenue to income from mining operations",
    ...     description="Revenue of $4,421 thousand less cost of sales of $3,006 thousand "
    ...     "gave income from mining operations of $1,416 thousand.",
    ...     value_formatter=lambda value: f"{value:,.0f}",
    ... )
    >>> 'role="img"' in svg
    True

    Each step is (label, value, kind). A "total" bar stands on zero in `total_color`; a
    "delta" bar floats from the running total, up in `positive_color` or down in
    `negative_color`, and thin connectors carry each bar's end level to the next bar.
    The running total may go below zero. Each bar is labelled with its own value, formatted
    by `value_formatter`, or with `value_texts` (one per step) when given, so that a bridge can
    label a cost as the table prints it ("3,006", drawn as a drop); a nil step is labelled
    `nil_label` (the document's nil mark) or nothing; long step labels wrap onto up to three lines and shrink rather
    than overlap. `gutter` widens the room of the tick labels to that of another bridge
    (`bridge_gutter`), so the bridges of one document have slots, and names wrapped, alike.
    Title and description work as in `grouped_bar_chart`. Sizes are px.
    """
    if not steps:
        raise ValueError("bridge_chart needs at least one step")
    geometry = bridge_geometry(steps)
    ticks = _ticks_for([level for pair in geometry for level in pair])
    value_size = style.font_size * _SMALL
    room = value_size * 1.3

    left = max(_tick_gutter(ticks, style, value_formatter), gutter)
    right = width - 2
    slot = (right - left) / len(steps)
    names = [label for label, _, _ in steps]
    label_size, label_lines = _fit_labels(names, slot - 6, style.font_size, style.language)
    labels_top = height - max(len(lines) for lines in label_lines) * label_size * _LINE_HEIGHT
    top = room
    downward = [end for start, end in geometry if end < start]
    bottom = _plot_bottom(ticks, downward, top, labels_top - 6, room)
    _check_plot(width, height, top, bottom)
    axis = _axis_for(ticks, top, bottom)

    bar = min(slot * 0.62, style.font_size * 5)
    texts = (list(value_texts) if value_texts is not None
             else [value_formatter(_to_decimal(value)) for _, value, _ in steps])
    if len(texts) != len(steps):
        raise ValueError(f"{len(texts)} value texts for {len(steps)} bridge steps")
    texts = _nil_texts([_to_decimal(value) for _, value, _ in steps], texts, nil_label)
    label_fit = _fit_size(texts, slot - 8, value_size)
    parts = _grid(axis, ticks, left, right, style, value_formatter)
    connectors = []
    labels = []
    centres = [left + slot * (index + 0.5) for index in range(len(steps))]
    kinds = [kind for _, _, kind in steps]
    for index, (centre, kind, (start, end)) in enumerate(zip(centres, kinds, geometry, strict=True)):
        upward = end >= start
        if kind == "total":
            colour = style.total_color
        else:
            colour = style.positive_color if upward else style.negative_color
        y_start, y_end = axis.y(start), axis.y(end)
        if start != end:
            x = centre - bar / 2
            parts.append(_rect(x, y_start, bar, y_end, fill=colour, cls=f"bar {kind}"))
        if index + 1 < len(steps):
            x1, x2 = centre + bar / 2, centre + slot - bar / 2
            connectors.append(
                _line(x1, y_end, x2, y_end, stroke=style.text_color, width=0.5, cls="connector")
            )
        if label_fit is not None and texts[index]:
            y_top, y_bottom = min(y_start, y_end), max(y_start, y_end)
            labels += _value_label(centre, y_top, y_bottom, upward, texts[index], label_fit, style)
    zero = axis.y(0)
    parts += connectors
    parts.append(_line(left, zero, right, zero, stroke=style.text_color, width=0.75, cls="baseline"))
    parts += labels
    parts += _category_labels(centres, label_lines, label_size, labels_top, style)
    return _svg(width, height, style, title, description, parts)


def bridge_gutter(steps: Sequence[tuple[str, Number, StepKind]], style: ChartStyle,
                  value_formatter: Formatter) -> float:
    """The room a bridge's tick labels take left of its plot (px), for `bridge_chart(gutter=)`."""
    ticks = _ticks_for([level for pair in bridge_geometry(steps) for level in pair])
    return _tick_gutter(ticks, style, value_formatter)


# --- line ----------------------------------------------------------------------------


def line_chart(
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[Number]]],
    *,
    style: ChartStyle,
    title: str,
    description: str,
    value_formatter: Formatter,
    width: float = DEFAULT_WIDTH,
    height: float = DEFAULT_HEIGHT,
    nil_label: str = "",
) -> str:
    """Draw one line per series across periods in time order, as an SVG string.

    >>> svg = line_chart(
    ...     ["Q1 2012", "Q2 2012", "Q3 2012"],
    ...     [("Revenue", [4870, 5230, 5610])],
    ...     style=ChartStyle(), title="Revenue by quarter", description="Revenue ...",
    ...     value_formatter=lambda value: f"{value:,.0f}",
    ... )
    >>> svg.count('class="point"')
    3

    Categories are the periods, oldest first. Each point carries a marker and its value,
    above the point (below it for a negative value) when the labels of neighbouring points
    fit side by side (a nil point's label is `nil_label`, or none); the axis includes zero so a
    line's slope is not exaggerated.
    Title and description work as in `grouped_bar_chart`. Sizes are px.
    """
    if len(categories) < 2 or not series:
        raise ValueError("a line chart needs at least two periods and one series")
    if not style.palette:
        raise ValueError("ChartStyle.palette must name at least one colour")
    values = []
    for name, row in series:
        if len(row) != len(categories):
            raise ValueError(f"series {name!r} has {len(row)} values for {len(categories)} periods")
        values.append([_to_decimal(value) for value in row])
    colours = [style.palette[index % len(style.palette)] for index in range(len(series))]
    flat = [value for row in values for value in row]
    ticks = _ticks_for(flat)
    value_size = style.font_size * _SMALL
    room = value_size * 1.6

    legend, legend_height = _legend([name for name, _ in series], colours, width, style)
    left = _tick_gutter(ticks, style, value_formatter)
    right = width - 2
    slot = (right - left) / len(categories)
    label_size, label_lines = _fit_labels(categories, slot - 8, style.font_size, style.language)
    labels_top = height - max(len(lines) for lines in label_lines) * label_size * _LINE_HEIGHT
    top = legend_height + 4 + room
    bottom = _plot_bottom(ticks, [value for value in flat if value < 0], top, labels_top - 6, room)
    _check_plot(width, height, top, bottom)
    axis = _axis_for(ticks, top, bottom)

    texts = [_nil_texts(row, [value_formatter(value) for value in row], nil_label) for row in values]
    # With several lines, labels of different series at one period could collide: label only
    # a single line's points, and the text alternative states every figure.
    label_fit = _fit_size([t for row in texts for t in row], slot - 6, value_size) if len(series) == 1 else None
    parts = ['<g class="legend">', *legend, "</g>"]
    parts += _grid(axis, ticks, left, right, style, value_formatter)
    centres = [left + slot * (index + 0.5) for index in range(len(categories))]
    zero = axis.y(0)
    parts.append(_line(left, zero, right, zero, stroke=style.text_color, width=0.75, cls="baseline"))
    labels = []
    for s_index, row in enumerate(values):
        points = [(centre, axis.y(value)) for centre, value in zip(centres, row, strict=True)]
        path = " ".join(f"{_num(x)},{_num(y)}" for x, y in points)
        parts.append(f'<polyline class="series" points="{path}" fill="none" '
                     f'stroke="{_xml_attr(colours[s_index])}" stroke-width="1.75"/>')
        for (x, y), value, text in zip(points, row, texts[s_index], strict=True):
            parts.append(f'<circle class="point" cx="{_num(x)}" cy="{_num(y)}" r="2.6" '
                         f'fill="{_xml_attr(colours[s_index])}"/>')
            if label_fit is not None and text:
                labels += _value_label(x, y - 2, y + 2, value >= 0, text, label_fit, style)
    parts += labels
    parts += _category_labels(centres, label_lines, label_size, labels_top, style)
    return _svg(width, height, style, title, description, parts)
