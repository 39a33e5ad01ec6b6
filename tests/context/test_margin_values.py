"""A margin says "nil" only where its line is nil, never where a small figure rounds to 0.0%."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import pytest

from reporter.context import formatter
from reporter.context.margins import margins_context

THEME = SimpleNamespace(settings={"margins": [{"line": "income_from_mining_operations", "of": "revenue"}]},
                        declared_in=lambda key: None)


@pytest.mark.parametrize("figure, printed", [(Decimal(0), "nil"), (Decimal(1), "0.0%"), (Decimal(-1), "\u22120.0%")])
def test_a_margin_is_nil_only_where_its_line_is(loaded_report, figure, printed):
    """Income of 1 (thousand) on revenue of 4,421 is a 0.02% margin: printed 0.0%, the line not being nil."""
    figures = loaded_report.figures.copy()
    cell = (figures["line_id"] == "income_from_mining_operations") & (figures["period_key"] == "2011-06-30/3m")
    figures.loc[cell, "shown"] = figure
    margin, = margins_context(figures, loaded_report.statement, loaded_report.settings, THEME, formatter(loaded_report))
    assert margin["current"] == printed
