"""Highlight sentences written from the figures, in the voice of a release.

Deterministic: the same figures always give the same words. Which lines are highlighted comes
from `key_figures` in report.yaml; nothing here knows a line by name.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

from reporter.formatting import format_amount, format_millions, meaningful_change

SMALL_AMOUNT = Decimal(50_000)  # below this, millions round to $0.0 million
from reporter.normalize import columns, figure_lookup
from reporter.periods import Period, prior_year
from reporter.settings import ReportSettings
from reporter.statement import Line, Statement


def describe_amount(amount: Decimal, line: Line, currency: str, locale: str) -> str:
    """Say an amount in words a release uses: `$4.4 million`, `nil`, `a loss of $0.4 million`."""
    if amount == 0:
        return "nil"
    if abs(amount) < SMALL_AMOUNT:
        # "$0.0 million" says nothing; small amounts are written in full.
        text = format_amount(abs(amount), currency=currency, locale=locale)
    else:
        text = format_millions(abs(amount), currency=currency, locale=locale)
    if amount > 0:
        return text
    # A negative income line is a loss; a negative cost line is a net credit.
    return f"a loss of {text}" if line.sign > 0 else f"a net credit of {text}"


def describe_change(current: Decimal, prior: Decimal) -> str:
    """Say the change as a percentage, or nothing where a percentage means nothing ("n.m.")."""
    if current == 0:
        return ""
    change = meaningful_change(current, prior)
    if change is None:
        return ""
    percent = (change * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    if percent == 0:
        return ", unchanged"
    return f", {'an increase' if percent > 0 else 'a decrease'} of {abs(percent)}%"


def sentence(line: Line, period: Period, current: Decimal, prior: Decimal | None,
             settings: ReportSettings) -> str:
    """Write one highlight: `Revenue was $4.4 million for the three months ended June 30, 2011, ...`."""
    now = describe_amount(current, line, settings.currency, settings.locale)
    text = f"{line.label} was {now} for {period.phrase()}"
    if prior is not None:
        before = describe_amount(prior, line, settings.currency, settings.locale)
        text += f", compared with {before} in {period.end.year - 1}{describe_change(current, prior)}"
    return text + "."


def highlight_sentences(figures: pd.DataFrame, statement: Statement,
                        settings: ReportSettings, language=None) -> list[str]:
    """Write a sentence for each key figure in each current-year period, against a year earlier.

    In a language other than English the sentences follow that language's rules
    (reporter.sentences, reporter/languages/<code>.yaml).
    """
    write = sentence
    if language is not None and not language.is_source:
        from reporter.sentences import sentence_writer
        write = sentence_writer(language, settings)
    amounts = figure_lookup(figures, "amount")
    periods = columns(figures)
    current_periods = [p for p in periods if p.end == settings.period.end and not p.restated]
    sentences = []
    for period in current_periods:
        prior_period = prior_year(period, periods)
        for line_id in settings.key_figures:
            prior = amounts[line_id, prior_period.key] if prior_period else None
            sentences.append(write(statement.line(line_id), period, amounts[line_id, period.key],
                                      prior, settings))
    return sentences
