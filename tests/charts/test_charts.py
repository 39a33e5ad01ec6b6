"""Tests for reporter.charts.svg: axis ticks, bar geometry, bridge totals, markup and safety."""

from __future__ import annotations

import doctest
import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest

from reporter.charts import svg as charts
from reporter.charts.svg import ChartStyle, bridge_chart, bridge_geometry, grouped_bar_chart, line_chart, nice_ticks

SVG = "{http://www.w3.org/2000/svg}"
STYLE = ChartStyle(font_family="Source Sans Pro, sans-serif")

# The briefing's own figures, in thousands of dollars.
THREE_MONTHS = [
    ("Revenue", 4421, "total"),
    ("Cost of sales", -3006, "delta"),
    ("Income from mining operations", 1416, "total"),
    ("Depreciation and amortization", -931, "delta"),
    ("Interest", -42, "delta"),
    ("Other SG&A", 247, "delta"),
    ("Net income before tax", 690, "total"),
]
NINE_MONTHS = [
    ("Revenue", 10186, "total"),
    ("Cost of sales", -8412, "delta"),
    ("Income from mining operations", 1774, "total"),
    ("Depreciation and amortization", -5794, "delta"),
    ("Interest", -441, "delta"),
    ("Other SG&A", 1074, "delta"),
    ("Net loss before tax", -3387, "total"),
]


def accounting(value: Decimal) -> str:
    """Format like the statements: thousands separators, negatives in parentheses."""
    return f"({-value:,.0f})" if value < 0 else f"{value:,.0f}"


def bars(categories, series, **overrides) -> str:
    """Draw a grouped bar chart with test defaults."""
    options = dict(style=STYLE, title="Revenue", description="Figures.", value_formatter=accounting)
    return grouped_bar_chart(categories, series, **{**options, **overrides})


def bridge(steps, **overrides) -> str:
    """Draw a bridge chart with test defaults."""
    options = dict(style=STYLE, title="Bridge", description="Figures.", value_formatter=accounting)
    return bridge_chart(steps, **{**options, **overrides})


def parse(svg: str) -> ET.Element:
    """Parse an SVG string; fails the test if it is not well-formed XML."""
    return ET.fromstring(svg)


def elements(root: ET.Element, tag: str, cls: str) -> list[ET.Element]:
    """Return elements of a tag whose class list contains cls, in document order."""
    return [el for el in root.iter(SVG + tag) if cls in el.get("class", "").split()]


def span(rect: ET.Element) -> tuple[float, float]:
    """Return the (top, bottom) y pixels of a rect."""
    top = float(rect.get("y"))
    return top, top + float(rect.get("height"))


def baseline_y(root: ET.Element) -> float:
    """Return the y pixel of the zero line."""
    (line,) = elements(root, "line", "baseline")
    assert line.get("y1") == line.get("y2")
    return float(line.get("y1"))


# --- nice_ticks ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("low", "high", "expected"),
    [
        (0, 4421, [0, 1000, 2000, 3000, 4000, 5000]),
        (0, 10186, [0, 2500, 5000, 7500, 10000, 12500]),
        (-4461, 10186, [-5000, 0, 5000, 10000, 15000]),
        (-410, 120, [-600, -400, -200, 0, 200]),
        (0, 7, [0, 2, 4, 6, 8]),
        (0, 100, [0, 20, 40, 60, 80, 100]),
        (0, 1, ["0", "0.2", "0.4", "0.6", "0.8", "1"]),
        (-3387, 0, [-4000, -3000, -2000, -1000, 0]),
        (0, 0, [0]),
        (5, 5, [5]),
    ],
)
def test_nice_ticks_cases(low, high, expected):
    assert nice_ticks(low, high) == [Decimal(str(value)) for value in expected]


@pytest.mark.parametrize(
    ("low", "high"),
    [(0, 4421), (-3387, 10186), (0, 0.37), (-0.004, 0.019), (-1e9, 3e9), (123, 124), (0, 999_999)],
)
def test_nice_ticks_are_round_even_and_cover_the_range(low, high):
    ticks = nice_ticks(low, high)
    steps = {b - a for a, b in zip(ticks, ticks[1:])}
    assert len(steps) == 1, "ticks are evenly spaced"
    (step,) = steps
    mantissa = step.scaleb(-step.adjusted())
    assert mantissa in {1, 2, Decimal("2.5"), 5}
    assert ticks[0] <= Decimal(str(low)) and ticks[-1] >= Decimal(str(high))
    assert 2 <= len(ticks) <= 6
    if low <= 0 <= high:
        assert 0 in ticks


def test_nice_ticks_give_formatters_plain_integers():
    # A formatter that uses str() must not see "2.5E+3".
    ticks = [str(tick) for tick in nice_ticks(0, 10186)]
    assert ticks == ["0", "2500", "5000", "7500", "10000", "12500"]


# --- bridge_geometry -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("steps", "expected"),
    [
        (
            THREE_MONTHS,
            [(0, 4421), (4421, 1415), (0, 1416), (1416, 485), (485, 443), (443, 690), (0, 690)],
        ),
        (
            NINE_MONTHS,
            [
                (0, 10186), (10186, 1774), (0, 1774), (1774, -4020),
                (-4020, -4461), (-4461, -3387), (0, -3387),
            ],
        ),
        ([("Opening delta", 5, "delta"), ("Another", -8, "delta")], [(0, 5), (5, -3)]),
        (
            [("Loss", Decimal("-1.5"), "total"), ("Gain", 0.5, "delta")],
            [(0, Decimal("-1.5")), (Decimal("-1.5"), -1)],
        ),
        # Floats are read as written, so 0.1 + 0.2 is exactly 0.3, not 0.30000000000000004.
        (
            [("A", 0.1, "total"), ("B", 0.2, "delta")],
            [(0, Decimal("0.1")), (Decimal("0.1"), Decimal("0.3"))],
        ),
    ],
)
def test_bridge_geometry_running_totals(steps, expected):
    assert bridge_geometry(steps) == [(Decimal(start), Decimal(end)) for start, end in expected]


def test_bridge_geometry_rejects_unknown_kind():
    with pytest.raises(ValueError, match="subtotal"):
        bridge_geometry([("Revenue", 1, "subtotal")])


# --- grouped bars: geometry ----------------------------------------------------------


def test_negative_bars_hang_below_the_baseline_and_positive_stand_on_it():
    root = parse(bars(["Q1", "Q2"], [("Net income", [120, -340])]))
    zero = baseline_y(root)
    positive, negative = elements(root, "rect", "bar")
    top, bottom = span(positive)
    assert top < zero and bottom == pytest.approx(zero, abs=0.01)
    top, bottom = span(negative)
    assert top == pytest.approx(zero, abs=0.01) and bottom > zero
    # Heights are proportional to the values.
    ratio = (span(negative)[1] - zero) / (zero - span(positive)[0])
    assert ratio == pytest.approx(340 / 120, rel=1e-3)


def test_value_labels_sit_above_positive_and_below_negative_bars():
    root = parse(bars(["Q1", "Q2"], [("Net income", [120, -340])]))
    zero = baseline_y(root)
    labels = {el.text: float(el.get("y")) for el in elements(root, "text", "value")}
    assert set(labels) == {"120", "(340)"}
    positive, negative = elements(root, "rect", "bar")
    assert labels["120"] < span(positive)[0]
    assert labels["(340)"] > span(negative)[1] > zero


def test_series_sit_side_by_side_in_palette_order():
    style = ChartStyle(palette=("#111111", "#222222"))
    root = parse(bars(["Three months"], [("2011", [4421]), ("2010", [3006])], style=style))
    first, second = elements(root, "rect", "bar")
    assert float(first.get("x")) + float(first.get("width")) <= float(second.get("x"))
    assert (first.get("fill"), second.get("fill")) == ("#111111", "#222222")
    assert [el.text for el in elements(root, "text", "legend")] == ["2011", "2010"]


def test_every_chart_type_labels_a_nil_value_with_the_nil_label_never_0():
    """A nil bar, step or point shows `nil_label` (the document's nil mark), or no label; the
    zero tick keeps its "0"."""
    drawn = [bars(["Three months"], [("2010", [0]), ("2011", [4421])], nil_label="—"),
             bridge([("Revenue", 4421, "total"), ("Interest", 0, "delta"), ("Net", 4421, "total")],
                    nil_label="—"),
             line_chart(["Q1", "Q2"], [("Revenue", [0, 4421])], style=STYLE, title="Revenue",
                        description="Figures.", value_formatter=accounting, nil_label="—")]
    for svg in drawn:
        root = parse(svg)
        values = [el.text for el in elements(root, "text", "value")]
        assert "—" in values and "0" not in values
        assert "0" in [el.text for el in elements(root, "text", "tick")]
    unlabelled = bridge([("Revenue", 4421, "total"), ("Interest", 0, "delta"), ("Net", 4421, "total")])
    assert [el.text for el in elements(parse(unlabelled), "text", "value")] == ["4,421", "4,421"]


def test_tick_labels_use_the_formatter():
    root = parse(bars(["Three months"], [("Revenue", [4421])]))
    ticks = [el.text for el in elements(root, "text", "tick")]
    assert ticks == ["0", "1,000", "2,000", "3,000", "4,000", "5,000"]


def test_all_zero_data_draws_a_baseline_without_dividing_by_zero():
    svg = bars(["Three months"], [("2011", [0]), ("2010", [Decimal("0.00")])])
    root = parse(svg)
    assert elements(root, "rect", "bar") == []
    assert [el.text for el in elements(root, "text", "value")] == []  # no "0" on a bar that is not there
    assert baseline_y(root) > 0
    assert "nan" not in svg.lower() and "inf" not in svg.lower()


def test_all_zero_bridge_draws_without_error():
    root = parse(bridge([("Revenue", 0, "total"), ("Costs", 0, "delta"), ("Net", 0, "total")]))
    assert elements(root, "rect", "bar") == []
    assert elements(root, "text", "value") == []  # nil steps: no "0" labels


def test_single_category_is_centred():
    root = parse(bars(["Three months"], [("Revenue", [4421])]))
    (bar,) = elements(root, "rect", "bar")
    (label,) = elements(root, "text", "category")
    centre = float(bar.get("x")) + float(bar.get("width")) / 2
    assert centre == pytest.approx(float(label.get("x")), abs=0.01)


def test_crowded_value_labels_are_left_out_rather_than_overlapping():
    many = [(f"Series {i}", [Decimal(1234567) * (i + 1)] * 5) for i in range(6)]
    root = parse(bars(["Q1", "Q2", "Q3", "Q4", "Year"], many))
    assert len(elements(root, "rect", "bar")) == 30
    assert elements(root, "text", "value") == []


# --- bridge: geometry and colours ----------------------------------------------------


@pytest.mark.parametrize("steps", [THREE_MONTHS, NINE_MONTHS], ids=["three-months", "nine-months"])
def test_bridge_bars_follow_the_running_total(steps):
    root = parse(bridge(steps))
    zero = baseline_y(root)
    rects = elements(root, "rect", "bar")
    # Scale from the first total, then read every bar back as (low, high) in dollars.
    first_top, _ = span(rects[0])
    per_unit = (zero - first_top) / steps[0][1]
    read_back = [tuple((zero - y) / per_unit for y in reversed(span(rect))) for rect in rects]
    expected = [(float(min(start, end)), float(max(start, end))) for start, end in bridge_geometry(steps)]
    # Coordinates are rounded to 0.01 px, which is worth up to about 2 dollars at this scale.
    assert read_back == [pytest.approx(want, abs=2) for want in expected]


def test_bridge_colours_totals_increases_and_decreases():
    style = ChartStyle(total_color="#000001", positive_color="#000002", negative_color="#000003")
    root = parse(bridge(NINE_MONTHS, style=style))
    fills = [rect.get("fill") for rect in elements(root, "rect", "bar")]
    assert fills == ["#000001", "#000003", "#000001", "#000003", "#000003", "#000002", "#000001"]
    kinds = [rect.get("class") for rect in elements(root, "rect", "bar")]
    assert kinds == [f"bar {kind}" for _, _, kind in NINE_MONTHS]


def test_bridge_below_zero_total_hangs_under_the_baseline():
    root = parse(bridge(NINE_MONTHS))
    net_loss = elements(root, "rect", "bar")[-1]
    top, bottom = span(net_loss)
    assert top == pytest.approx(baseline_y(root), abs=0.01) and bottom > top


def test_bridge_connectors_join_each_bar_to_the_next_at_its_end_level():
    root = parse(bridge(THREE_MONTHS))
    rects = elements(root, "rect", "bar")
    connectors = elements(root, "line", "connector")
    assert len(connectors) == len(THREE_MONTHS) - 1
    revenue, cost = rects[0], rects[1]
    first = connectors[0]
    assert float(first.get("y1")) == pytest.approx(span(revenue)[0], abs=0.01)
    revenue_right = float(revenue.get("x")) + float(revenue.get("width"))
    assert float(first.get("x1")) == pytest.approx(revenue_right, abs=0.01)
    assert float(first.get("x2")) == pytest.approx(float(cost.get("x")), abs=0.01)


def test_bridge_long_labels_wrap_within_their_slots():
    root = parse(bridge(THREE_MONTHS))
    lines = elements(root, "text", "category")
    assert "Depreciation and amortization" not in [el.text for el in lines]
    assert len(lines) > len(THREE_MONTHS)
    # No two label lines on the same row may overlap, even by the generous width estimate.
    rows: dict[str, list[tuple[float, float]]] = {}
    for el in lines:
        half = charts._text_width(el.text, float(el.get("font-size"))) / 2
        centre = float(el.get("x"))
        rows.setdefault(el.get("y"), []).append((centre - half, centre + half))
    assert rows
    for extents in rows.values():
        extents.sort()
        for (_, right), (left, _) in zip(extents, extents[1:]):
            assert right <= left


@pytest.mark.parametrize(
    "draw",
    [
        lambda: bridge(NINE_MONTHS),
        lambda: bridge([("Revenue", 100, "total"), ("Write-down", -100, "delta")]),
        lambda: bars(["Q1", "Q2"], [("Net income", [120, -600])]),
    ],
    ids=["bridge-below-zero", "bridge-down-to-zero", "bars-negative"],
)
def test_value_labels_stay_clear_of_category_labels(draw):
    root = parse(draw())
    # Baselines plus ascent/descent, as the layout assumes: about 0.8 em up, 0.2 em down.
    values = elements(root, "text", "value")
    categories = elements(root, "text", "category")
    lowest_value = max(float(el.get("y")) + 0.2 * float(el.get("font-size")) for el in values)
    highest_category = min(float(el.get("y")) - 0.8 * float(el.get("font-size")) for el in categories)
    assert lowest_value < highest_category


def test_labels_too_long_to_wrap_are_hyphenated_never_cut():
    word = "Supercalifragilisticexpialidociousnessosity"
    steps = [(word, value, "total") for value in (1, 2, 3, 4, 5, 6, 7, 8, 9, 10)]
    root = parse(bridge(steps))
    texts = [el.text for el in elements(root, "text", "category")]
    assert not any("…" in text for text in texts)
    # Every label is whole when its lines are joined back, and each line fits its slot.
    assert "".join(texts).replace("-", "") == word * len(steps)
    slot = (605 - 2) / len(steps)  # at most: the tick labels take some of the width
    size = float(elements(root, "text", "category")[0].get("font-size"))
    assert all(charts._text_width(text, size) <= slot for text in texts)


# --- markup --------------------------------------------------------------------------


def test_root_is_accessible_and_sized_for_weasyprint():
    svg = bars(
        ["Three months"], [("Revenue", [4421])], title="Revenue, 2011", description="Revenue was 4,421."
    )
    root = parse(svg)
    assert root.tag == SVG + "svg"
    assert root.get("role") == "img"
    assert root.get("aria-label") == "Revenue, 2011"
    assert root.get("viewBox") == "0 0 605 284"
    assert (root.get("width"), root.get("height")) == ("605px", "284px")
    title, desc = list(root)[:2]
    # WeasyPrint tags take an inline SVG's alternative text from <title> only: it states the figures.
    assert (title.tag, title.text) == (SVG + "title", "Revenue, 2011: Revenue was 4,421.")
    assert (desc.tag, desc.text) == (SVG + "desc", "Revenue was 4,421.")


@pytest.mark.parametrize("draw", ["bars", "bridge"])
def test_text_is_escaped(draw):
    nasty = 'R&D <costs> "quoted"'
    texts = dict(title=nasty, description=nasty, value_formatter=lambda value: f"<{value}&>")
    if draw == "bars":
        svg = bars([nasty], [(nasty, [1])], **texts)
    else:
        svg = bridge([(nasty, 1, "total")], **texts)
    assert "<costs>" not in svg and "R&D" not in svg and "<1&>" not in svg
    assert "R&amp;D &lt;costs&gt;" in svg
    root = parse(svg)
    assert root.get("aria-label") == nasty
    assert root.find(SVG + "title").text == f"{nasty}: {nasty}"
    assert root.find(SVG + "desc").text == nasty
    assert "<1&>" in [el.text for el in root.iter(SVG + "text")]


def test_style_is_applied_and_no_default_colour_leaks():
    style = ChartStyle(
        font_family="Brand Sans, sans-serif",
        font_size=10,
        text_color="#010101",
        grid_color="#020202",
        palette=("#030303", "#040404"),
        positive_color="#050505",
        negative_color="#060606",
        total_color="#070707",
        background_color="#080808",
    )
    svg = bars(["Q1", "Q2"], [("A", [1, -2]), ("B", [3, 4])], style=style)
    svg += bridge(NINE_MONTHS, style=style)
    colours = set(re.findall(r"#[0-9a-fA-F]{6}", svg))
    assert colours == {f"#0{n}0{n}0{n}" for n in range(1, 9)}
    assert parse(bridge(NINE_MONTHS, style=style)).get("font-family") == "Brand Sans, sans-serif"


@pytest.mark.parametrize(
    "draw",
    [lambda: bars(["Q3", "YTD"], [("2011", [4421, 10186]), ("2010", [0, 0])]), lambda: bridge(NINE_MONTHS)],
    ids=["bars", "bridge"],
)
def test_output_is_deterministic_with_two_decimal_coordinates(draw):
    first, second = draw(), draw()
    assert first == second
    numbers = re.findall(r'(?:x|y|x1|x2|y1|y2|width|height)="(-?[\d.]+)(?:px)?"', first)
    assert numbers and all(len(n.partition(".")[2]) <= 2 for n in numbers)


def test_floats_and_decimals_draw_the_same_chart():
    as_decimal = bars(["Q3"], [("2011", [Decimal("4421")]), ("2010", [Decimal("3006")])])
    as_float = bars(["Q3"], [("2011", [4421.0]), ("2010", [3006.0])])
    assert as_float == as_decimal


# --- input errors --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("draw", "message"),
    [
        (lambda: bars(["Q1", "Q2"], [("Revenue", [1])]), "1 values for 2 categories"),
        (lambda: bars([], [("Revenue", [])]), "at least one category"),
        (lambda: bars(["Q1"], [("Revenue", [float("nan")])]), "finite"),
        (lambda: bars(["Q1"], [("Revenue", [1])], style=ChartStyle(palette=())), "palette"),
        (lambda: bridge([]), "at least one step"),
        (lambda: bridge([("Revenue", Decimal("Infinity"), "total")]), "finite"),
        (lambda: bridge(THREE_MONTHS, height=60), "too small"),
    ],
)
def test_bad_input_raises_value_error(draw, message):
    with pytest.raises(ValueError, match=message):
        draw()


def test_docstring_examples():
    failures, _ = doctest.testmod(charts)
    assert failures == 0


# Long names break at the word's own hyphen first, then by the document's language's rules.
HYPHENATION_CASES = [
    ("Non-cash", 30, "en_US", ["Non-", "cash"]),                 # never "Non--cash"
    ("généraux", 35, "fr_CA", ["gé-", "né-", "raux"]),          # never English « généra-ux »
    ("administratifs", 45, "fr_CA", ["admi-", "nistra-", "tifs"]),  # never « admin-istratifs »
]


@pytest.mark.parametrize("word, width, language, pieces", HYPHENATION_CASES)
def test_hyphenation_follows_the_documents_language(word, width, language, pieces):
    from reporter.charts.svg import _hyphenate
    result = _hyphenate(word, width, 12, language)
    assert "".join(piece.rstrip("-") for piece in result) == word.replace("-", "")
    assert result == pieces


def test_three_periods_of_large_figures_keep_a_value_on_every_bar():
    """Three periods side by side: the bars widen into their slot so each carries its value."""
    import re
    from reporter.charts.svg import ChartStyle, grouped_bar_chart

    def fmt(value):
        return f"({abs(value):,.0f})" if value < 0 else f"{value:,.0f}"

    svg = grouped_bar_chart(["Revenue", "Gross profit (loss)", "Net earnings (loss) before tax"],
                            [("Q1 2012", [9915, 2675, 922]), ("Q4 2012", [7020, -940, -15091]),
                             ("Q1 2013", [6240, -875, -2603])],
                            style=ChartStyle(), title="Key figures", description="d", value_formatter=fmt,
                            width=480)
    values = re.findall(r'<text class="value"[^>]*>([^<]*)</text>', svg)
    assert sorted(values) == sorted(["9,915", "2,675", "922", "7,020", "(940)", "(15,091)",
                                     "6,240", "(875)", "(2,603)"])


def test_periods_before_the_comparative_are_not_pale():
    from reporter.context.chart_data import _period_palette
    from reporter.charts.svg import ChartStyle
    style = ChartStyle(palette=("#123a5e", "#6f8aa6", "#c0892b", "#b9c6d3"))
    oldest, prior, latest = _period_palette(style, 3).palette
    assert (prior, latest) == ("#6f8aa6", "#123a5e")
    # Darker than the muted brand colour, lighter than the comparative's.
    assert sum(int(oldest[i:i + 2], 16) for i in (1, 3, 5)) < sum(int("b9c6d3"[i:i + 2], 16) for i in (0, 2, 4))
    assert oldest != "#b9c6d3"
