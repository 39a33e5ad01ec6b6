"""The quarterly trend: the last quarters of the history (report.yaml `history:`) and this one.

Built from `reporter.data.history.trend_frame` (quarter x line), for the lines report.yaml's
`trend:` names (its key figures when it names none). Templates show it when there are at least
four quarters (`show.trend`); restated quarters are marked, and the differences a restated
column makes to what was published are listed as notes (`history.restatements`).
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from reporter.data.history import HistoryStatus, trend_frame
from reporter.inputs.periods import Period

if TYPE_CHECKING:
    from reporter.context.figures import Formatter
    from reporter.data.report import LoadedReport
    from reporter.theme.resolve import ResolvedTheme

# Fewer quarters than this say nothing about a trend; templates hide it (show.trend).
MIN_TREND_QUARTERS = 4
# A trend table wider than this no longer fits a page's width: the latest quarters are shown.
MAX_TREND_QUARTERS = 8

TREND_DOCS: dict[str, str] = {
    "trend": "The quarterly trend from report.yaml's `history:` (empty without it).",
    "trend.quarters": "The quarters, oldest first: each with `key`, `label` (`Q3 2011`) and `restated`.",
    "trend.rows": "One row per line of report.yaml's `trend:` (default: key_figures): `id`, `label`, `cells` (formatted, one per quarter).",
    "trend.chart": "An SVG line chart of the rows over the quarters (markup), or an empty string.",
    "history": "What comparing with the earlier reports of `history:` found.",
    "history.restatements": "Notes for a restated column: `line`, `period`, `text` (\"restated; previously published 1,147\").",
    "show.trend": "The quarterly trend: at least four quarters in the history and this report.",
}


def trend_lines(report: LoadedReport) -> list[str]:
    """The lines to follow: report.yaml's `trend:`, else its key figures, else the first line."""
    return list(report.settings.trend or report.settings.key_figures or report.statement.ids[:1])


def trend_context(report: LoadedReport, theme: ResolvedTheme, fmt: Formatter) -> dict[str, Any]:
    """The trend table and chart for templates; empty without history."""
    empty: dict[str, Any] = {"quarters": [], "rows": [], "chart": ""}
    if not report.earlier:
        return empty
    frame, restated = trend_frame(report.figures, report.settings, report.earlier)
    frame = frame.loc[consecutive_quarters(list(frame.index), report.settings.period)][-MAX_TREND_QUARTERS:]
    calendar = report.settings.calendar
    quarters = [{"key": q.key, "label": fmt.language.label(calendar, q), "restated": q in restated}
                for q in frame.index]
    labels = {line.id: line.label for line in report.statement.lines}
    rows = []
    for line_id in trend_lines(report):
        column = frame[line_id] if line_id in frame else None
        values = [None if column is None or _missing(v) else v for v in (column if column is not None else [])]
        rows.append({"id": line_id, "label": labels[line_id],
                     "cells": [fmt.amount(v) if v is not None else "" for v in values] or [""] * len(quarters),
                     "values": values or [None] * len(quarters)})
    chart = ""
    # Only lines with a figure in every quarter are drawn: a gap would read as a zero.
    drawn = [row for row in rows if all(v is not None for v in row["values"])]
    if len(quarters) >= MIN_TREND_QUARTERS and drawn:
        from reporter.charts.svg import line_chart
        from reporter.context.chart_data import chart_style

        # A restated quarter is marked where it is named, in the chart as in the table.
        categories = [q["label"] + (" " + fmt.translate("(restated)") if q["restated"] else "") for q in quarters]
        from reporter.context.chart_data import _colon, _said, chart_unit
        from reporter.context.figures import document_nil_mark

        unit = chart_unit(report.settings, fmt)
        # A nil quarter said in words, with the language's colon (« Produits : »), as every chart's.
        description = "; ".join(f"{row['label']}{_colon(fmt)} " + ", ".join(
            f"{c} {_said(fmt, Decimal(str(v)))}" for c, v in zip(categories, row["values"]))
                                for row in drawn) + f" ({unit})."
        series = [(str(row["label"]), [Decimal(str(v)) for v in row["values"]]) for row in drawn]
        style = replace(chart_style(theme), language=fmt.language.tag, colon=_colon(fmt))
        chart = line_chart(categories, series, style=style,
                           title=fmt.translate("Quarterly trend"), description=description,
                           value_formatter=fmt.amount,
                           nil_label=document_nil_mark(report.figures, report.settings))
    return {"quarters": quarters, "rows": [{k: v for k, v in row.items() if k != "values"} for row in rows],
            "chart": chart}


def consecutive_quarters(quarters: list[Period], period: Period) -> list[Period]:
    """The unbroken run of quarters that ends with the report's own: a gap would read as a trend."""
    from reporter.data.history import quarter_before

    import datetime as dt

    have = set(quarters)
    run = []
    current = Period(period.end, 3)
    while current in have:
        run.append(current)
        current = Period(quarter_before(current.end), 3)
        if current not in have:
            # A 52-53 week year's quarters end on a weekday, thirteen (or fourteen) weeks apart.
            near = run[-1].end - dt.timedelta(weeks=13)
            current = next((q for q in sorted(have) if abs((q.end - near).days) <= 7), current)
    return run[::-1]


def history_context(report: LoadedReport, fmt: Formatter) -> dict[str, Any]:
    """The restated differences templates footnote under the statement."""
    labels = {line.id: line.label for line in report.statement.lines}
    periods = {p.key: p for p in report.figures["period"]}
    notes = []
    for finding in report.history:
        if finding.status is HistoryStatus.RESTATED and finding.previously is not None:
            period = periods[finding.period_key]
            notes.append({"line": labels[finding.line_id], "period": fmt.language.label(report.settings.calendar, period),
                          "text": fmt.translate("restated; previously published %(figure)s")
                          % {"figure": fmt.amount(finding.previously)}})
    return {"restatements": notes}


def _missing(value: Any) -> bool:
    return value is None or (not isinstance(value, Decimal) and value != value)  # NaN from a missing cell
