"""Charts for templates: which charts a theme asks for, drawn from the report's figures.

A theme lists charts in theme.yaml (`charts:`), each with a `type`:

- `bars`: the lines named by `lines` (a list of ids, or `key_figures`, or `first_subtotal`:
  the lines of the statement's first subtotal), one panel per period length (three months,
  nine months...) so that like is compared with like, periods oldest first within a panel.
- `bridge`: a waterfall from the first line to the last subtotal, for the period `period`
  (`current`, the default, or `year_to_date`): subtotals are totals, other lines steps. Costs
  are drops labelled as the table prints them (3,006); a cost with a net credit ((247)) is a
  rise whose name says "net credit". Past `max_steps` bars (default 12) the smaller steps
  between two totals fold into "Other items". A year-to-date bridge is left out when the
  table has no year-to-date column (it would repeat the current one).
- `line`: the lines named by `lines` over every period of one length (`months`, default the
  period reported's), oldest first: quarters over time.

A mistake in a chart's settings, or a chart that cannot be drawn, is a theme error naming
the theme.yaml that declares the charts and the chart. Nothing here knows a Los Santos line
by name: the statement decides.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

import pandas as pd


from reporter.charts.svg import ChartStyle, bridge_chart, grouped_bar_chart, line_chart
from reporter.errors import ThemeError
from reporter.data.normalize import columns, figure_lookup
from reporter.inputs.settings import ReportSettings
from reporter.inputs.statement import Statement

if TYPE_CHECKING:
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


def _fill(text: str, *, unit: str, period: str) -> str:
    """Replace the placeholders a theme may use in chart titles and captions."""
    return text.replace("{unit}", unit).replace("{period}", period)


def _older_first_by_length(periods: list) -> list[list]:
    """Group periods by length (in the table's order of lengths), oldest first in each group."""
    lengths = list(dict.fromkeys(p.months for p in periods))
    return [sorted((p for p in periods if p.months == months), key=lambda p: (p.end, p.restated))
            for months in lengths]


def _period_palette(style: ChartStyle, count: int) -> ChartStyle:
    """Colour the latest period in the brand's primary colour and earlier ones quieter."""
    primary, secondary, muted = style.palette[0], style.palette[1 % len(style.palette)], style.palette[-1]
    earlier = [muted] * max(0, count - 2) + ([secondary] if count > 1 else [])
    return replace(style, palette=(*earlier, primary))


def _bars(spec, title, shown, periods, statement, settings, style, fmt, unit):
    line_ids = _chart_lines(spec, statement, settings)
    labels = [statement.line(i).label for i in line_ids]
    panels, descriptions = [], []
    for group in _older_first_by_length(periods):
        # One panel per period length: three months beside nine months would compare unlike
        # things. Bars are the periods (prior, then current), grouped by line.
        series = [(fmt.language.label(settings.calendar, p), [shown[i, p.key] for i in line_ids]) for p in group]
        description = f"{fmt.language.heading(group[-1]).rstrip(',')}: " + "; ".join(
            f"{label}: " + ", ".join(f"{fmt.language.label(settings.calendar, p)} {fmt.amount(shown[i, p.key])}"
                                     for p in group)
            for i, label in zip(line_ids, labels)) + f" ({unit})."
        descriptions.append(description)
        panels.append(grouped_bar_chart(labels, series, style=_period_palette(style, len(group)),
                                        title=f"{title}, {fmt.language.heading(group[-1]).rstrip(',')}",
                                        description=description, value_formatter=fmt.amount,
                                        height=PANEL_HEIGHT))
    return settings.period, " ".join(descriptions), "\n".join(panels)


def _line(spec, title, shown, periods, statement, settings, style, fmt, unit):
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
        f"{name}: " + ", ".join(f"{c} {fmt.amount(v)}" for c, v in zip(categories, values))
        for name, values in series) + f" ({unit})."
    svg = line_chart(categories, series, style=style, title=title, description=description,
                     value_formatter=fmt.amount)
    return series_periods[-1], description, svg


def condense_steps(steps: list[tuple[str, Any, str]], max_steps: int,
                   other_items: str = "Other items ({count})") -> list[tuple[str, Any, str]]:
    """Keep a bridge readable: past `max_steps` bars, fold the smaller steps between two totals.

    Totals always stay; in each run of steps between totals the two largest stay and the rest
    become one "Other items" step with their sum, so the bridge still adds up.
    """
    if len(steps) <= max_steps:
        return steps
    condensed: list = []
    run: list = []
    folds: list = []

    def flush(next_total):
        if len(run) <= 3:
            condensed.extend(run)
        else:
            keep = sorted(sorted(run, key=lambda step: abs(step[1]), reverse=True)[:2], key=run.index)
            rest = [step for step in run if step not in keep]
            folds.append((len(condensed) + len(keep), len(rest), next_total))
            condensed.extend(keep + [(other_items.format(count=len(rest)), sum(step[1] for step in rest), "delta")])
        run.clear()

    for step in steps:
        if step[2] == "total":
            flush(step[0])
            condensed.append(step)
        else:
            run.append(step)
    flush(None)
    if len(folds) > 1:
        # Two bars named "Other items (2)" could not be told apart: say which total each leads to.
        for index, count, next_total in folds:
            where = f"before {next_total}" if next_total else "after the last total"
            condensed[index] = (f"Other items ({count}) {where}", *condensed[index][1:])
    return condensed


NET_CREDIT = "(net credit)"  # said after the name of a cost that rises: a credit, not a cost


def _bridge(spec, title, shown, periods, statement, settings, style, fmt, unit):
    period = _bridge_period(spec, periods, settings)
    steps, printed = [], {}
    money = [line for line in statement.lines if line.unit.is_money]
    for index, line in enumerate(money):
        value = shown[line.id, period.key]
        if index == 0 or line.is_subtotal:
            steps.append((line.label, value, "total"))
        else:
            # The bar moves the way the line acts on income; its label is the table's figure.
            net_credit = NET_CREDIT if fmt.language.is_source else fmt.language.rule("charts", "net_credit")
            label = f"{line.label} {net_credit}" if line.sign < 0 and value < 0 else line.label
            steps.append((label, value * line.sign, "delta"))
            printed[label] = value
    # The text alternative states every line as printed; the picture may fold the small ones.
    description = ", ".join(f"{label} {fmt.amount(printed.get(label, value))}"
                            for label, value, _ in steps) + f" ({unit}, {fmt.language.phrase(period)})."
    title = _fill(title, unit=unit, period=fmt.language.label(settings.calendar, period))
    other = "Other items ({count})" if fmt.language.is_source else fmt.language.rule("charts", "other_items")
    condensed = condense_steps(steps, int(spec.get("max_steps", MAX_BRIDGE_STEPS)), other)
    # A folded step mixes costs and income: its label is its effect on income, (x) for a drop.
    texts = [fmt.amount(printed.get(label, value)) for label, value, _ in condensed]
    svg = bridge_chart(condensed, style=style, title=title, description=description,
                       value_formatter=fmt.amount, value_texts=texts)
    return period, description, svg


CHART_TYPES = {"bars": _bars, "bridge": _bridge, "line": _line}
MAX_BRIDGE_STEPS = 12  # bars a bridge shows before it folds small steps (theme.yaml: max_steps)
PANEL_HEIGHT = 210  # px: one period length's panel of a bars chart; panels stack


def charts_context(figures: pd.DataFrame, statement: Statement, settings: ReportSettings, theme: ResolvedTheme,
                   fmt) -> list[dict[str, Any]]:
    """Draw every chart the theme lists, with its caption and text alternative.

    `{unit}` and `{period}` in a chart's title or caption become the unit (`CAD, thousands`)
    and the label of the period the chart shows (`Q3 2011`).
    """
    style = chart_style(theme)
    shown = figure_lookup(figures)
    periods = columns(figures)
    unit = (f"{settings.currency}, {settings.scale_name}" if settings.scale != 1 else settings.currency
            ) if fmt.language.is_source else fmt.caption(settings.scale)
    charts, drawn = [], set()
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
            period, description, svg = draw(spec, fmt.translate(str(spec.get("title") or "")), shown,
                                            periods, statement, settings, style, fmt, unit)
        except ThemeError as exc:
            raise ThemeError(f"{name}: {exc.message}", file=theme.declared_in("charts")) from None
        except ValueError as exc:  # ChartError, or a chart the drawing code cannot lay out
            raise ThemeError(f"{name}: {exc}", file=theme.declared_in("charts")) from None
        label = fmt.language.label(settings.calendar, period)
        charts.append({"id": str(spec.get("id") or spec["type"]),
                       "title": _fill(fmt.translate(str(spec.get("title") or "")), unit=unit, period=label),
                       "caption": _fill(fmt.translate(str(spec.get("caption") or "")), unit=unit, period=label),
                       "description": description, "svg": svg})
    return charts


def _bridge_period(spec: dict, periods: list, settings: ReportSettings):
    which = spec.get("period", "current")
    if which == "current":
        return settings.period
    if which == "year_to_date":
        ytd = [p for p in periods if p.end == settings.period.end and settings.calendar.is_year_to_date(p)
               and not p.restated]
        return max(ytd, key=lambda p: p.months) if ytd else settings.period
    raise ChartError(f"period must be current or year_to_date, got {which!r}")
