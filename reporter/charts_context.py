"""Charts for templates: which charts a theme asks for, drawn from the report's figures.

A theme lists charts in theme.yaml (`charts:`), each with a `type`:

- `bars`: the lines named by `lines` (a list of ids, or `key_figures`, or `first_subtotal`:
  the lines of the statement's first subtotal) for every column, one bar per period.
- `bridge`: a waterfall from the first line to the last subtotal, for the period `period`
  (`current`, the default, or `year_to_date`): subtotals are totals, other lines steps.

Nothing here knows a Los Santos line by name: the statement decides.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from reporter.charts import ChartStyle, bridge_chart, grouped_bar_chart
from reporter.errors import ThemeError
from reporter.normalize import columns
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


def charts_context(figures: pd.DataFrame, statement: Statement, settings: ReportSettings, theme,
                   fmt) -> list[dict[str, Any]]:
    """Draw every chart the theme lists, with its caption and text alternative."""
    specs = theme.settings.get("charts") or []
    style = chart_style(theme)
    shown = {(row.line_id, row.period_key): row.shown for row in figures.itertuples()}
    periods = columns(figures)
    unit = f"{settings.currency}, {settings.scale_name}" if settings.scale != 1 else settings.currency
    charts = []
    for spec in specs:
        kind = spec.get("type")
        title = str(spec.get("title") or "")
        if kind == "bars":
            line_ids = _chart_lines(spec, statement, settings)
            categories = [settings.calendar.label(p) for p in periods]
            series = [(statement.line(i).label, [shown[i, p.key] for p in periods]) for i in line_ids]
            description = "; ".join(
                f"{statement.line(i).label}: " + ", ".join(
                    f"{settings.calendar.label(p)} {fmt.amount(shown[i, p.key])}" for p in periods)
                for i in line_ids) + f" ({unit})."
            svg = grouped_bar_chart(categories, series, style=style, title=title,
                                    description=description, value_formatter=fmt.amount)
        elif kind == "bridge":
            period = _bridge_period(spec, periods, settings)
            title = title.replace("{period}", settings.calendar.label(period))
            steps = []
            for index, line in enumerate(statement.lines):
                value = shown[line.id, period.key]
                if index == 0 or line.is_subtotal:
                    steps.append((line.label, value, "total"))
                else:
                    steps.append((line.label, value * line.sign, "delta"))
            description = ", ".join(f"{label} {fmt.amount(value)}" for label, value, _ in steps) + \
                f" ({unit}, {period.phrase()})."
            svg = bridge_chart(steps, style=style, title=title, description=description,
                               value_formatter=fmt.amount)
        else:
            raise ThemeError(f"chart {spec.get('id')!r}: type must be bars or bridge, got {kind!r}")
        caption = str(spec.get("caption") or "").replace("{unit}", unit)
        charts.append({"id": str(spec.get("id") or kind), "title": title, "caption": caption,
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
