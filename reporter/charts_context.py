"""Charts for templates: which charts a theme asks for, drawn from the report's figures.

A theme lists charts in theme.yaml (`charts:`), each with a `type`:

- `bars`: the lines named by `lines` (a list of ids, or `key_figures`, or `first_subtotal`:
  the lines of the statement's first subtotal) for every column, one bar per period.
- `bridge`: a waterfall from the first line to the last subtotal, for the period `period`
  (`current`, the default, or `year_to_date`): subtotals are totals, other lines steps. Past
  `max_steps` bars (default 12) the smaller steps between two totals fold into "Other items".

Nothing here knows a Los Santos line by name: the statement decides.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from reporter.charts import ChartStyle, bridge_chart, grouped_bar_chart
from reporter.errors import ThemeError
from reporter.normalize import columns, figure_lookup
from reporter.settings import ReportSettings
from reporter.statement import Statement


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


def _chart_lines(spec: dict, statement: Statement, settings: ReportSettings) -> list[str]:
    lines = spec.get("lines", "first_subtotal")
    if lines == "key_figures":
        return list(settings.key_figures)
    if lines == "first_subtotal":
        first = statement.subtotals[0] if statement.subtotals else None
        return [term for _, term in first.terms] if first else statement.ids[:1]
    if isinstance(lines, list) and all(line in statement.ids for line in lines):
        return lines
    raise ThemeError(f"chart {spec.get('id')!r}: lines must be key_figures, first_subtotal or a "
                     f"list of line ids from statement.yaml, got {lines!r}")


def _fill(text: str, *, unit: str, period: str) -> str:
    """Replace the placeholders a theme may use in chart titles and captions."""
    return text.replace("{unit}", unit).replace("{period}", period)


def _bars(spec, title, shown, periods, statement, settings, style, fmt, unit):
    line_ids = _chart_lines(spec, statement, settings)
    series = [(statement.line(i).label, [shown[i, p.key] for p in periods]) for i in line_ids]
    description = "; ".join(
        f"{statement.line(i).label}: " + ", ".join(
            f"{fmt.language.label(settings.calendar, p)} {fmt.amount(shown[i, p.key])}" for p in periods)
        for i in line_ids) + f" ({unit})."
    svg = grouped_bar_chart([fmt.language.label(settings.calendar, p) for p in periods], series, style=style,
                            title=title, description=description, value_formatter=fmt.amount)
    return settings.period, description, svg


def condense_steps(steps: list[tuple[str, Any, str]], max_steps: int,
                   other_items: str = "Other items ({count})") -> list[tuple[str, Any, str]]:
    """Keep a bridge readable: past `max_steps` bars, fold the smaller steps between two totals.

    Totals always stay; in each run of steps between totals the two largest stay and the rest
    become one "Other items" step with their sum, so the bridge still adds up.
    """
    if len(steps) <= max_steps:
        return steps
    condensed, run = [], []

    def flush():
        if len(run) <= 3:
            condensed.extend(run)
        else:
            keep = sorted(sorted(run, key=lambda step: abs(step[1]), reverse=True)[:2], key=run.index)
            rest = [step for step in run if step not in keep]
            condensed.extend(keep + [(other_items.format(count=len(rest)), sum(step[1] for step in rest), "delta")])
        run.clear()

    for step in steps:
        if step[2] == "total":
            flush()
            condensed.append(step)
        else:
            run.append(step)
    flush()
    return condensed


def _bridge(spec, title, shown, periods, statement, settings, style, fmt, unit):
    period = _bridge_period(spec, periods, settings)
    steps = []
    for index, line in enumerate(statement.lines):
        value = shown[line.id, period.key]
        if index == 0 or line.is_subtotal:
            steps.append((line.label, value, "total"))
        else:
            steps.append((line.label, value * line.sign, "delta"))
    # The text alternative states every line; the picture may fold the small ones.
    description = ", ".join(f"{label} {fmt.amount(value)}" for label, value, _ in steps) + \
        f" ({unit}, {fmt.language.phrase(period)})."
    title = _fill(title, unit=unit, period=fmt.language.label(settings.calendar, period))
    other = "Other items ({count})" if fmt.language.is_source else fmt.language.rule("charts", "other_items")
    svg = bridge_chart(condense_steps(steps, int(spec.get("max_steps", MAX_BRIDGE_STEPS)), other), style=style, title=title, description=description,
                       value_formatter=fmt.amount)
    return period, description, svg


CHART_TYPES = {"bars": _bars, "bridge": _bridge}
MAX_BRIDGE_STEPS = 12  # bars a bridge shows before it folds small steps (theme.yaml: max_steps)


def charts_context(figures: pd.DataFrame, statement: Statement, settings: ReportSettings, theme,
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
    charts = []
    for spec in theme.settings.get("charts") or []:
        draw = CHART_TYPES.get(spec.get("type"))
        if draw is None:
            raise ThemeError(f"chart {spec.get('id')!r}: type must be one of {', '.join(CHART_TYPES)}, "
                             f"got {spec.get('type')!r}")
        period, description, svg = draw(spec, fmt.translate(str(spec.get("title") or "")), shown, periods, statement,
                                        settings, style, fmt, unit)
        label = fmt.language.label(settings.calendar, period)
        # Titles and captions come from theme.yaml, in English: the theme's catalogs translate them.
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
    raise ThemeError(f"chart {spec.get('id')!r}: period must be current or year_to_date, got {which!r}")
