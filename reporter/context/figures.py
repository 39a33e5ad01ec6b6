"""The context's figures: the statement table, key figures, exchange rates and tie-outs, and the
`Formatter` that writes numbers in the document's language.

Figures arrive formatted (`text`) and raw (`value`, a Decimal in units of the scale, published
sign), so a template can print them as the house style has it or format them its own way with
the filters. Every key is documented in reporter/context/docs.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Callable

import pandas as pd

from markupsafe import Markup, escape

from reporter.formatting import (format_amount, format_change, format_millions, format_millions_in,
                                 format_rate, scale_caption)
from reporter.language import SOURCE_LANGUAGE, Language
from reporter.normalize import columns as period_columns
from reporter.normalize import figure_lookup
from reporter.periods import comparative
from reporter.settings import ReportSettings
from reporter.statement import Statement
from reporter.validate import TieOut


@dataclass(frozen=True)
class Formatter:
    """The report's formatting defaults, bound once, for the context and for Jinja filters.

    `language` (reporter.language) names periods and dates and, for languages other than
    English, brings its number rules; `translate` is the build's gettext (reporter.catalogs),
    for the few theme words that reach the context from theme.yaml (title, chart titles).
    """

    locale: str
    currency: str
    places: int = 0
    scale: int = 1  # what one unit of a table figure stands for: filters take figures in it
    language: Language = field(default_factory=lambda: Language(SOURCE_LANGUAGE))
    translate: Callable[[str], str] = field(default=str, compare=False)

    def _rule(self, *keys: str) -> Any:
        return None if self.language.is_source else self.language.rule(*keys)

    def amount(self, value: Decimal, currency: bool = False) -> str:
        return format_amount(value, locale=self.locale, currency=self.currency if currency else None,
                             places=self.places, currency_pattern=self._rule("numbers", "accounting_currency"))

    def millions(self, amount: Decimal) -> str:
        if self.language.is_source:
            return format_millions(amount, currency=self.currency, locale=self.locale)
        return format_millions_in(amount, currency=self.currency, locale=self.locale,
                                  rules=self.language.rule("numbers"))

    def rate(self, value: Decimal) -> str:
        return format_rate(value, locale=self.locale)

    def change(self, current: Decimal, prior: Decimal) -> str:
        if self.language.is_source:
            return format_change(current, prior, locale=self.locale)
        return format_change(current, prior, locale=self.locale,
                             pattern=self.language.rule("numbers", "percent_change"),
                             not_meaningful=self.language.rule("numbers", "not_meaningful"))

    @property
    def currency_suffix(self) -> str:
        """What follows the digits of a figure with its currency sign: `\xa0$` in French, nothing in English."""
        one = self.amount(Decimal(1), currency=True)
        return one[one.rindex("1") + 1:]

    @property
    def not_meaningful(self) -> str:
        return self._rule("numbers", "not_meaningful") or "n.m."

    def caption(self, scale: int) -> str:
        """Name the unit of a table column: `CAD$ 000`, `000 $ CA`."""
        if self.language.is_source:
            return scale_caption(self.currency, scale, locale=self.locale)
        rules = self.language.rule("numbers")
        unit = rules["dollar_units"].get(self.currency, self.currency)
        return rules["caption"].format(scale=rules["scale_words"][scale], unit=unit).strip()

    def filters(self) -> dict[str, Any]:
        """Return the Jinja filters, named and documented in reporter.filters.FILTERS."""
        from reporter.filters import make_filters

        return make_filters(locale=self.locale, currency=self.currency, scale=self.scale,
                            places=self.places)


def _cell(value: Decimal, key: str, fmt: Formatter, with_currency: bool, nil: str = "") -> dict[str, Any]:
    """One figure for templates; a figure published as a dash or "nil" prints as its nil mark."""
    if nil:
        return {"key": key, "value": value, "text": nil, "plain": nil, "html": aligned_figure(nil, fmt.currency_suffix)}
    text = fmt.amount(value, currency=with_currency)
    return {"key": key, "value": value, "text": text, "plain": fmt.amount(value),
            "html": aligned_figure(text, fmt.currency_suffix)}


def aligned_figure(text: str, currency_suffix: str) -> Markup:
    """Keep digits aligned down a column whatever follows them: a closing parenthesis, a currency
    sign after the figure (French `4 421 $`), both, or neither.

    The ")" of a negative sits in a box of one fixed width (`.figure-close`), so bold and regular
    rows line up too; a figure without one carries the same box, hidden (hanging parentheses).
    What a figure lacks of the currency suffix is added as hidden text of the same font, so it
    takes the room without being printed (or copied from the PDF):

    >>> str(aligned_figure("3 006", " $"))  # a plain figure under `(1 147) $`
    '3 006<span class="figure-close figure-pad" aria-hidden="true">)</span><span class="figure-pad" aria-hidden="true"> $</span>'
    """
    last_digit = max((i for i, char in enumerate(text) if char.isdigit()), default=len(text) - 1)
    head, tail = text[: last_digit + 1], text[last_digit + 1:]
    pad = '<span class="figure-pad" aria-hidden="true">{}</span>'
    html = escape(head)
    if tail.startswith(")"):
        html += Markup('<span class="figure-close">)</span>') + escape(tail[1:])
    else:
        # The space before a trailing sign goes into the hidden part too: a PDF reader then
        # sees one gap, not a gap and a space, and copies "4 421 $" as it reads.
        spaces = tail[: len(tail) - len(tail.lstrip())]
        html += Markup('<span class="figure-close figure-pad" aria-hidden="true">)</span>')
        if spaces:
            html += Markup(pad).format(spaces)
        html += escape(tail[len(spaces):])
    if currency_suffix and not tail.endswith(currency_suffix):
        html += Markup(pad).format(currency_suffix)
    return Markup(html)


def nil_marks(figures: pd.DataFrame, settings: ReportSettings) -> dict[tuple[str, str], str]:
    """Index the nil mark to print for each cell published as nil: report.yaml's, or as published."""
    return {key: (settings.nil_mark or mark) if mark else ""
            for key, mark in figure_lookup(figures, "nil_mark").items()}


def statement_context(figures: pd.DataFrame, statement: Statement, settings: ReportSettings,
                      fmt: Formatter) -> dict[str, Any]:
    """Lay the figures out as the table reads: grouped column headings, rows of formatted cells."""
    periods = period_columns(figures)
    shown = figure_lookup(figures)
    nils = nil_marks(figures, settings)
    rates = dict(zip(figures["period_key"], figures["fx_rate"]))
    converted = settings.source_currency != settings.currency
    columns = [{
        "key": p.key, "year": fmt.language.year_heading(p),
        "label": fmt.language.label(settings.calendar, p), "phrase": fmt.language.phrase(p),
        "heading": fmt.language.heading(p),
        "months": p.months, "restated": p.restated, "is_current": p == settings.period,
        "fx_rate": fmt.rate(rates[p.key]) if converted else None,
    } for p in periods]
    groups: list[dict[str, Any]] = []
    for column in columns:
        if groups and groups[-1]["heading"] == column["heading"]:
            groups[-1]["span"] += 1
        else:
            groups.append({"heading": column["heading"], "months": column["months"], "span": 1})
    rows = []
    for index, line in enumerate(statement.lines):
        # Accountants put the currency sign on the first figure of a column and on its totals.
        with_currency = index == 0 or line.is_subtotal
        rows.append({
            "id": line.id, "label": line.label, "is_subtotal": line.is_subtotal,
            "formula": line.formula, "sign": line.sign, "notes": list(line.notes),
            "cells": [_cell(shown[line.id, p.key], p.key, fmt, with_currency, nils[line.id, p.key])
                      for p in periods],
        })
    return {"title": statement.title, "groups": groups, "columns": columns, "rows": rows,
            "footnotes": [{"marker": marker, "text": text} for marker, text in statement.footnotes]}


def key_figures_context(figures: pd.DataFrame, statement: Statement, settings: ReportSettings,
                        fmt: Formatter) -> list[dict[str, Any]]:
    """Pick the lines named under key_figures, with the period reported and its comparative.

    The comparative is the column an accountant uses: a year earlier, restated when published.
    Each card says its scale ("thousand") and the change, in words where a percentage means nothing.
    """
    from reporter.phrasebook import WRITING, language_of

    # The cards' words: English from the phrasebook, other languages from their rules file.
    words = WRITING[language_of(settings.locale)] if fmt.language.is_source else fmt.language.rule("cards")
    prior_period = comparative(settings.period, period_columns(figures))
    amounts, shown = figure_lookup(figures, "amount"), figure_lookup(figures)
    nils = nil_marks(figures, settings)
    result = []
    for line_id in settings.key_figures:
        line = statement.line(line_id)
        current = amounts[line_id, settings.period.key]
        prior = amounts[line_id, prior_period.key] if prior_period else None
        result.append({
            "id": line_id, "label": line.label,
            "current": _cell(shown[line_id, settings.period.key], settings.period.key, fmt, True,
                             nils[line_id, settings.period.key]),
            "current_millions": fmt.millions(current),
            "scale": words["card_scale"][settings.scale],
            "prior": (_cell(shown[line_id, prior_period.key], prior_period.key, fmt, True,
                            nils[line_id, prior_period.key]) if prior_period else None),
            "prior_millions": fmt.millions(prior) if prior_period else None,
            "prior_label": fmt.language.label(settings.calendar, prior_period) if prior_period else None,
            "prior_restated": bool(prior_period and prior_period.restated),
            "change": fmt.change(current, prior) if prior_period else fmt.not_meaningful,
            "has_change": prior_period is not None and fmt.change(current, prior) != fmt.not_meaningful,
            "change_text": change_words(current, prior, line.sign, fmt, words) if prior_period else "",
        })
    return result


def change_words(current: Decimal, prior: Decimal, sign: int, fmt: Formatter, words: dict) -> str:
    """Say the change from the comparative on a card: `+27%`, or words where a percentage means nothing."""
    change = fmt.change(current, prior)
    if change != fmt.not_meaningful:
        return change
    table = words["card_changes"]
    if current == prior:
        return table["unchanged"]
    if prior == 0:
        return table["from_nil"]
    if current == 0:
        return table["to_nil"]
    if sign > 0 and prior < 0 <= current:
        return table["from_loss"]
    if sign > 0 and current < 0 <= prior:
        return table["to_loss"]
    if sign > 0 and current < 0 and prior < 0:
        return table["loss_narrowed" if current > prior else "loss_widened"]
    return table["not_meaningful"]


# The words of the rate table and note in English, the source language; other languages give
# the same keys under `fx` in reporter/languages/<code>.yaml.
ENGLISH_FX = {
    "row": "{months} month average FX {base}={quote}",
    "source": " per {source}",
    "note": "Figures {verb} to {currency} from {bases} at {published_by} for each period: {rates}.",
    "converted": "were converted here",
    "published": "have been converted",
    "published_by": "the {source} average rates",
    "published_by_none": "average rates",
    "rate": "{label} {rate}",
    "currency_names": {},
    "and": " and ",
    "pair": "{base}={quote}",
}


def fx_context(settings: ReportSettings, fmt: Formatter) -> dict[str, Any]:
    """Tabulate the average rates by length and year, and say in a sentence which were used,
    in the document's language (ENGLISH_FX, or `fx` in the language's rules)."""
    rules = ENGLISH_FX if fmt.language.is_source else fmt.language.rule("fx")
    years = sorted({fx.period.end.year for fx in settings.fx_rates}, reverse=True)
    source = rules["source"].format(source=settings.fx_source) if settings.fx_source else ""
    rows: dict[str, dict[int, str]] = {}
    for fx in settings.fx_rates:
        label = rules["row"].format(months=fx.period.months, base=fx.base, quote=fx.quote) + source
        rows.setdefault(label, {})[fx.period.end.year] = fmt.rate(fx.rate)
    converted = settings.source_currency != settings.currency
    note = ""
    if settings.fx_rates:
        names = rules["currency_names"]
        bases = rules["and"].join(names.get(base, base) for base in sorted({fx.base for fx in settings.fx_rates}))
        published_by = (rules["published_by"].format(source=settings.fx_source) if settings.fx_source
                        else rules.get("published_by_none", ""))
        rates = "; ".join(rules["rate"].format(label=fmt.language.label(settings.calendar, fx.period),
                                               rate=fmt.rate(fx.rate))
                          for fx in settings.fx_rates)
        note = rules["note"].format(
            verb=rules["converted" if converted else "published"], currency=settings.currency,
            bases=bases, published_by=published_by, rates=rates).replace("  ", " ")
    pairs = sorted({rules["pair"].format(base=fx.base, quote=fx.quote) for fx in settings.fx_rates})
    return {"source": settings.fx_source, "converted": converted, "years": [str(y) for y in years],
            "rows": [{"label": label, "cells": [cells.get(year, "") for year in years]}
                     for label, cells in rows.items()],
            "note": note, "pair": rules["and"].join(pairs),
            # One rate per period lets a table print each rate under its period's column.
            "by_period": ({fx.period.key: fmt.rate(fx.rate) for fx in settings.fx_rates}
                          if len(pairs) == 1 else {})}


def tie_out_context(results: list[TieOut], fmt: Formatter, *, labels: dict[str, str] | None = None,
                    phrases: dict[str, str] | None = None) -> tuple[list[dict], list[str]]:
    """Describe the tie-outs for templates, and the rounding differences as sentences.

    `labels` (line id -> label) and `phrases` (period key -> phrase) name lines and periods in
    the document's language; the tie-outs themselves are computed once, in the default one.
    """
    rows = [{"line_id": r.line_id, "label": r.label, "period_key": r.period_key,
             "computed": fmt.amount(r.computed), "published": fmt.amount(r.published),
             "status": r.status.value} for r in results]
    if fmt.language.is_source:
        notes = [f"{r.label}, {r.period_phrase}: the published figure of {fmt.amount(r.published)} "
                 f"differs from the sum of its lines ({fmt.amount(r.computed)}) by rounding."
                 for r in results if r.status.value == "rounding"]
    else:
        notes = [fmt.language.rule("fx", "rounding").format(
                     label=labels.get(r.line_id, r.label) if labels else r.label,
                     phrase=phrases.get(r.period_key, r.period_phrase) if phrases else r.period_phrase,
                     published=fmt.amount(r.published), computed=fmt.amount(r.computed))
                 for r in results if r.status.value == "rounding"]
    return rows, notes
