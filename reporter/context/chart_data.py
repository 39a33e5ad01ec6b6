"""Charts for templates: which charts a theme asks for, drawn from the report's figures.

A theme lists charts in theme.yaml (`charts:`), each with a `type`:

- `bars`: the lines named by `lines` (a list of ids, or `key_figures`, or `first_subtotal`:
  the lines of the statement's first subtotal), one panel per period length (three months,
  nine months...) so that like is compared with like, periods oldest first within a panel.
- `bridge`: a waterfall from the first line to the last subtotal, for the period `period`
  (`current`, the default, or `year_to_date`): subtotals are totals, as published, other lines
  steps labelled with their effect on income, (3,006) for a cost, 247 for a cost with a net
  credit (whose name says "net credit"). Past `max_steps` bars (default 12) the smallest steps
  fold into "Other items", the same lines in every bridge of the document, and the chart's
  `note` lists them. A year-to-date bridge is left out when the table has no year-to-date
  column (it would repeat the current one).
- `line`: the lines named by `lines` over every period of one length (`months`, default the
  period reported's), oldest first: quarters over time.

A mistake in a chart's settings, or a chart that cannot be drawn, is a theme error naming
the theme.yaml that declares the charts and the chart. Nothing here knows a Los Santos line
by name: the statement decides.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any, Callable

import pandas as pd


from reporter.charts.svg import ChartStyle, bridge_chart, bridge_gutter, grouped_bar_chart, line_chart
from reporter.errors import ThemeError
from reporter.data.normalize import columns, figure_lookup
from reporter.inputs.settings import ReportSettings
from reporter.inputs.statement import Statement
from reporter.context.figures import document_nil_mark

if TYPE_CHECKING:
    from reporter.context.figures import Formatter
    from reporter.theme.resolve import ResolvedTheme


def chart_style(theme) -> ChartStyle:
    """Take the chart's colours and font from the theme's brand settings."""
    brand, fonts = theme.settings.get("brand") or {}, theme.settings.get("fonts") or {}
    defaults = ChartStyle()
    return ChartStyle(
        font_family=str(fonts.get("body", defaults.font_family)),
        font_size=defaults.font_size,
        text_color=str(brand.get("text", defaults.text_color)),
        grid_color=str(brand.get("rule", defaults.grid_color)),
        palette=tuple(str(c) for c in (brand.get("primary", defaults.palette[0]),
                                       brand.get("secondary", defaults.palette[1]),
                                       brand.get("accent", defaults.palette[2 % len(defaults.palette)]),
                                       brand.get("muted", defaults.palette[-1]))),
        positive_color=str(brand.get("positive", defaults.positive_color)),
        negative_color=str(brand.get("negative", defaults.negative_color)),
        total_color=str(brand.get("primary", defaults.total_color)),
        background_color=str(brand.get("background", defaults.background_color)),
    )


def chart_unit(settings: ReportSettings, fmt: Formatter) -> str:
    """The unit in words where a chart's caption or text alternative says it: "CAD, thousands";
    « milliers de dollars canadiens » in French, as French releases write it (never the column
    caption « 000 $ CA »). One place for every chart, the quarterly trend's included; the
    words are the Formatter's, which cards and table captions say too."""
    return fmt.unit_words(settings.scale)


class ChartError(ValueError):
    """A chart's settings are wrong; charts_context adds theme.yaml and the chart's name."""


def _chart_lines(spec: dict, statement: Statement, settings: ReportSettings) -> list[str]:
    """Return the ids a chart draws: money lines only, since one axis cannot hold two units."""
    return [line_id for line_id in _named_lines(spec, statement, settings)
            if statement.line(line_id).unit.is_money]


def _named_lines(spec: dict, statement: Statement, settings: ReportSettings) -> list[str]:
    lines = spec.get("lines", "first_subtotal")
    if lines == "key_figures":
        return list(settings.key_figures)
    if lines == "first_subtotal":
        first = statement.subtotals[0] if statement.subtotals else None
        return [term for _, term in first.terms] if first else statement.ids[:1]
    if isinstance(lines, list) and lines:
        unknown = [str(line) for line in lines if line not in statement.ids]
        if unknown:
            raise ChartError(f"line {unknown[0]!r} is not in statement.yaml (its lines: "
                             f"{', '.join(statement.ids)})")
        return lines
    raise ChartError(f"lines must be key_figures, first_subtotal or a list of line ids from "
                     f"statement.yaml, got {lines!r}")


def _colon(fmt) -> str:
    """The language's colon: `:` in English, ` :` with a non-breaking space in French."""
    return fmt.language.rule("punctuation", "colon")


def _fill(text: str, *, unit: str, period: str) -> str:
    """Replace the placeholders a theme may use in chart titles and captions."""
    return text.replace("{unit}", unit).replace("{period}", period)


def _older_first_by_length(periods: list) -> list[list]:
    """Group periods by length (in the table's order of lengths), oldest first in each group."""
    lengths = list(dict.fromkeys(p.months for p in periods))
    return [sorted((p for p in periods if p.months == months), key=lambda p: (p.end, p.restated))
            for months in lengths]


def _mix(colour: str, other: str, share: float) -> str:
    """Mix two #rrggbb colours: `share` of `other` into `colour`."""
    a, b = (tuple(int(c.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4)) for c in (colour, other))
    return "#" + "".join(f"{round(x + (y - x) * share):02x}" for x, y in zip(a, b))


def _period_palette(style: ChartStyle, count: int) -> ChartStyle:
    """Colour the latest period in the brand's primary colour and earlier ones quieter.

    Periods before the comparative are half-way between the secondary and the muted colour, not
    the muted colour itself: a pale bar on white is barely seen, and a chart must hide nothing.
    """
    primary, secondary, muted = style.palette[0], style.palette[1 % len(style.palette)], style.palette[-1]
    try:
        older = _mix(secondary, muted, 0.5)
    except ValueError:  # a colour that is not #rrggbb (a name): keep the brand's muted colour
        older = muted
    earlier = [older] * max(0, count - 2) + ([secondary] if count > 1 else [])
    return replace(style, palette=(*earlier, primary))


def _said(fmt, value) -> str:
    """A figure as the text alternative says it: as printed, and a nil one in words ("nil",
    « néant »), never "0" nor a dash a screen reader would read as a dash."""
    return fmt.nil_word if value == 0 else fmt.amount(value)


def _bars(spec, title, shown, periods, statement, settings, style, fmt, unit, nil_mark=""):
    line_ids = _chart_lines(spec, statement, settings)
    colon = _colon(fmt)
    labels = [statement.line(i).label for i in line_ids]
    panels, descriptions = [], []
    for group in _older_first_by_length(periods):
        # One panel per period length: three months beside nine months would compare unlike
        # things. Bars are the periods (prior, then current), grouped by line.
        # A restated period keeps its mark in the legend and the text alternative.
        series = [(fmt.language.marked_label(settings.calendar, p), [shown[i, p.key] for i in line_ids])
                  for p in group]
        heading = fmt.language.heading(group[-1]).rstrip(",")
        figures = "; ".join(
            f"{label}{colon} " + ", ".join(f"{fmt.language.marked_label(settings.calendar, p)} "
                                     f"{_said(fmt, shown[i, p.key])}" for p in group)
            for i, label in zip(line_ids, labels)) + f" ({unit})."
        descriptions.append(f"{heading}{colon} {figures}")
        # The panel's title names its periods already: its text alternative does not say them twice.
        panels.append(grouped_bar_chart(labels, series, style=_period_palette(style, len(group)),
                                        title=f"{title}, {heading}",
                                        description=figures, value_formatter=fmt.amount,
                                        height=PANEL_HEIGHT, nil_label=nil_mark))
    return settings.period, " ".join(descriptions), "\n".join(panels)


def _line(spec, title, shown, periods, statement, settings, style, fmt, unit, nil_mark=""):
    line_ids = _chart_lines(spec, statement, settings)
    months = spec.get("months", settings.period.months)
    series_periods = sorted((p for p in periods if p.months == months and not p.restated),
                            key=lambda p: p.end)
    if len(series_periods) < 2:
        raise ChartError(f"a line needs at least two periods of {months} months in figures.csv, "
                         f"found {len(series_periods)}")
    categories = [fmt.language.label(settings.calendar, p) for p in series_periods]
    series = [(statement.line(i).label, [shown[i, p.key] for p in series_periods]) for i in line_ids]
    description = "; ".join(
        f"{statement.line(i).label}{_colon(fmt)} " + ", ".join(
            f"{c} {_said(fmt, shown[i, p.key])}" for c, p in zip(categories, series_periods))
        for i in line_ids) + f" ({unit})."
    svg = line_chart(categories, series, style=style, title=title, description=description,
                     value_formatter=fmt.amount, nil_label=nil_mark)
    return series_periods[-1], description, svg


Step = tuple[str, Any, str]  # (name, effect on income, "total" or "delta")


def _runs(steps: list[Step]) -> list[list[int]]:
    """Group the positions of the steps between two totals: each run folds into one bar at most."""
    runs: list[list[int]] = []
    run: list[int] = []
    for index, step in enumerate(steps):
        if step[2] == "total":
            runs.append(run)
            run = []
        else:
            run.append(index)
    runs.append(run)
    return [run for run in runs if run]


def steps_to_fold(bridges: list[list[Step]], max_steps: int) -> frozenset[int]:
    """Choose once, for every bridge of a document, the step positions that fold into "Other items".

    The bridges of one document are drawn from the same statement, so the same lines fold in
    all of them and they can be compared. The smallest steps fold first (by their largest size
    in any bridge), until the bars fit `max_steps`; then every step at least as large as the
    smallest step shown, in any bridge, gets its own bar back, and a fold of one step is no fold.
    """
    if not bridges or len(bridges[0]) <= max_steps:
        return frozenset()
    runs = _runs(bridges[0])
    positions = [index for run in runs for index in run]

    def size(index: int, bridge: list[Step]) -> Any:
        return abs(bridge[index][1])

    def bars(folded: set[int]) -> int:
        return len(bridges[0]) - len(folded) + sum(1 for run in runs if folded.intersection(run))

    folded: set[int] = set()
    for index in sorted(positions, key=lambda i: (max(size(i, b) for b in bridges), -i)):
        if bars(folded) <= max_steps:
            break
        folded.add(index)
    changed = True
    while changed:
        changed = False
        for bridge in bridges:
            shown = [size(i, bridge) for i in positions if i not in folded]
            smallest = min(shown) if shown else None
            back = {i for i in folded if smallest is not None and size(i, bridge) >= smallest}
            if back:
                folded -= back
                changed = True
    return frozenset(folded)


def fold_steps(steps: list[Step], folded: frozenset[int], other_items: str = "Other items",
               other_items_before: str = "Other items before {total}") -> tuple[list[Step], list[tuple[str, list[Step]]]]:
    """Fold the steps at `folded` into one "Other items" bar per run between two totals.

    Returns the bars and, for the chart's note, each "Other items" bar with the steps it holds,
    so nothing the picture folds is hidden. The bars still add up to every total.
    """
    if not folded:
        return steps, []
    # A run with one folded step keeps it: a bar named "Other items" for one line hides its name.
    runs = [run for run in _runs(steps) if len(folded.intersection(run)) > 1]
    folded = frozenset(i for run in runs for i in run if i in folded)
    several = len(runs) > 1
    condensed, folds = [], []
    for index, step in enumerate(steps):
        if index not in folded:
            condensed.append(step)
        run = next((run for run in runs if run[-1] == index), None)
        if run is not None:
            inside = [steps[i] for i in run if i in folded]
            next_total = next((s[0] for s in steps[index + 1:] if s[2] == "total"), None)
            # Two bars named "Other items" could not be told apart: say which total each leads to.
            name = other_items_before.format(total=next_total) if several and next_total else other_items
            condensed.append((name, sum(s[1] for s in inside), "delta"))
            folds.append((name, inside))
    return condensed, folds


def condense_steps(steps: list[Step], max_steps: int, other_items: str = "Other items") -> list[Step]:
    """Keep one bridge readable: fold its smallest steps past `max_steps` bars (see steps_to_fold)."""
    return fold_steps(steps, steps_to_fold([steps], max_steps), other_items)[0]


def bridge_steps(statement: Statement, shown, period, fmt) -> tuple[list[Step], dict[str, Any]]:
    """The steps of a bridge for one period: the first line and subtotals are totals, as published;
    every other line is a step of its effect on income, its name saying "(net credit)" when a cost rises."""
    words = fmt.language.rule("charts")
    steps, printed = [], {}
    # A line sharing out another (attribution_of) is already in it: no step of its own.
    money = [line for line in statement.lines if line.unit.is_money and line.attribution_of is None]
    for index, line in enumerate(money):
        value = shown[line.id, period.key]
        if index == 0 or line.is_subtotal:
            steps.append((line.label, value, "total"))
        else:
            label = f"{line.label} {words['net_credit']}" if line.sign < 0 and value < 0 else line.label
            steps.append((label, value * line.sign, "delta"))
            printed[label] = value
    return steps, printed


def _bridge(spec, title, shown, periods, statement, settings, style, fmt, unit, folded=frozenset(), nil_mark="",
            gutter=0.0):
    period = _bridge_period(spec, periods, settings)
    steps, printed = bridge_steps(statement, shown, period, fmt)
    # The text alternative states every line as printed; the picture may fold the small ones.
    description = ", ".join(
        f"{label} {_said(fmt, printed.get(label, value))}"
        for line, (label, value, _) in zip(statement.lines, steps)) + f" ({unit}, {fmt.language.phrase(period)})."
    title = _fill(title, unit=unit, period=fmt.language.label(settings.calendar, period))
    words = fmt.language.rule("charts")
    condensed, folds = fold_steps(steps, folded, words["other_items"], words["other_items_before"])
    # One sign rule for every bar: its effect on income, (x) for a reduction; totals as published.
    texts = [fmt.amount(value) for _, value, _ in condensed]
    svg = bridge_chart(condensed, style=style, title=title, description=description,
                       value_formatter=fmt.amount, value_texts=texts, nil_label=nil_mark, gutter=gutter)
    note = " ".join(words["folded_note"].format(
        name=name, items=", ".join(f"{label} {fmt.amount(value)}" for label, value, _ in inside))
        for name, inside in folds)
    return period, description, svg, note


CHART_TYPES: dict[str, Callable[..., tuple[Any, str, str]]] = {"bars": _bars, "bridge": _bridge, "line": _line}
MAX_BRIDGE_STEPS = 12  # bars a bridge shows before it folds small steps (theme.yaml: max_steps)
PANEL_HEIGHT = 210  # px: one period length's panel of a bars chart; panels stack


def charts_context(figures: pd.DataFrame, statement: Statement, settings: ReportSettings, theme: ResolvedTheme,
                   fmt) -> list[dict[str, Any]]:
    """Draw every chart the theme lists, with its caption and text alternative.

    `{unit}` and `{period}` in a chart's title or caption become the unit (`CAD, thousands`)
    and the label of the period the chart shows (`Q3 2011`).
    """
    style = replace(chart_style(theme), language=fmt.language.tag, colon=_colon(fmt))
    shown = figure_lookup(figures)
    periods = columns(figures)
    unit = chart_unit(settings, fmt)
    charts, drawn = [], set()
    folded = _document_folds(theme, periods, statement, shown, settings, fmt)
    gutter = _document_gutter(theme, periods, statement, shown, settings, fmt, style, folded)
    # A nil bar shows the document's one nil mark, or no label where the document has none.
    nil_mark = document_nil_mark(figures, settings)
    for index, spec in enumerate(theme.settings.get("charts") or []):
        name = f"charts[{index}] ({spec.get('id') or spec.get('type')})" if isinstance(spec, dict) else f"charts[{index}]"
        if not isinstance(spec, dict):
            raise ThemeError(f"{name}: a chart is a mapping with type, title, ...", file=theme.declared_in("charts"))
        draw = CHART_TYPES.get(str(spec.get("type")))
        if draw is None:
            raise ThemeError(f"{name}: type must be one of {', '.join(CHART_TYPES)}, got {spec.get('type')!r}",
                             file=theme.declared_in("charts"))
        try:
            if spec["type"] == "bridge":
                period = _bridge_period(spec, periods, settings)
                if ("bridge", period.key) in drawn:
                    continue  # no year-to-date column: the bridge would repeat the current one
                drawn.add(("bridge", period.key))
            # Titles and captions come from theme.yaml, in English: the theme's catalogs translate them.
            drawn_chart = draw(spec, fmt.translate(str(spec.get("title") or "")), shown,
                               periods, statement, settings, style, fmt, unit,
                               nil_mark=nil_mark,
                               **({"folded": folded, "gutter": gutter} if spec["type"] == "bridge" else {}))
            period, description, svg, note = drawn_chart if len(drawn_chart) == 4 else (*drawn_chart, "")
        except ThemeError as exc:
            raise ThemeError(f"{name}: {exc.message}", file=theme.declared_in("charts")) from None
        except ValueError as exc:  # ChartError, or a chart the drawing code cannot lay out
            raise ThemeError(f"{name}: {exc}", file=theme.declared_in("charts")) from None
        label = fmt.language.label(settings.calendar, period)
        charts.append({"id": str(spec.get("id") or spec["type"]),
                       "title": _fill(fmt.translate(str(spec.get("title") or "")), unit=unit, period=label),
                       "caption": _fill(fmt.translate(str(spec.get("caption") or "")), unit=unit, period=label),
                       "description": description, "svg": svg, "note": note})
    return charts


def _document_folds(theme, periods, statement, shown, settings, fmt) -> frozenset[int]:
    """One fold rule for all the bridges of a document: the same lines fold in each of them."""
    specs = [spec for spec in theme.settings.get("charts") or []
             if isinstance(spec, dict) and spec.get("type") == "bridge"]
    if not specs:
        return frozenset()
    try:
        bridge_periods = list(dict.fromkeys(_bridge_period(spec, periods, settings) for spec in specs))
        max_steps = min(int(spec.get("max_steps", MAX_BRIDGE_STEPS)) for spec in specs)
    except (ValueError, TypeError):
        return frozenset()  # the chart's own drawing names the mistake
    return steps_to_fold([bridge_steps(statement, shown, p, fmt)[0] for p in bridge_periods], max_steps)


def _document_gutter(theme, periods, statement, shown, settings, fmt, style, folded) -> float:
    """One tick-label room for all the bridges of a document, the widest: their slots are then
    alike, and a step's name wraps the same way in each (never "Amortissements" in one and
    "Amortisse-ments" in the next)."""
    specs = [spec for spec in theme.settings.get("charts") or []
             if isinstance(spec, dict) and spec.get("type") == "bridge"]
    try:
        bridge_periods = list(dict.fromkeys(_bridge_period(spec, periods, settings) for spec in specs))
    except (ValueError, TypeError):
        return 0.0  # the chart's own drawing names the mistake
    words = fmt.language.rule("charts")
    drawn: list[Any] = [fold_steps(bridge_steps(statement, shown, period, fmt)[0], folded,
                                   words["other_items"], words["other_items_before"])[0]
                        for period in bridge_periods]
    return max((bridge_gutter(steps, style, fmt.amount) for steps in drawn), default=0.0)


def _bridge_period(spec: dict, periods: list, settings: ReportSettings):
    which = spec.get("period", "current")
    if which == "current":
        return settings.period
    if which == "year_to_date":
        ytd = [p for p in periods if p.end == settings.period.end and settings.calendar.is_year_to_date(p)
               and not p.restated]
        return max(ytd, key=lambda p: p.months) if ytd else settings.period
    raise ChartError(f"period must be current or year_to_date, got {which!r}")
