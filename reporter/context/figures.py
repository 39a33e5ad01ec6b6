"""The context's figures: the statement table, key figures, exchange rates and tie-outs, and the
`Formatter` that writes numbers in the document's language.

Figures arrive formatted (`text`) and raw (`value`, a Decimal in units of the scale, published
sign), so a template can print them as the house style has it or format them its own way with
the filters. DOCS documents the keys of every part but the show flags and contents
(reporter.context.sections), which reporter.context.CONTEXT_DOCS adds.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import cached_property
from typing import Any, Callable

import pandas as pd

from markupsafe import Markup, escape

from reporter.formatting import (currency_head, format_amount, format_change, format_millions_in,
                                 format_rate)
from reporter.inputs.language import Language, default_language
from reporter.data.normalize import columns as period_columns
from reporter.data.normalize import figure_lookup
from reporter.inputs.periods import comparative
from reporter.inputs.settings import ReportSettings
from reporter.inputs.statement import Statement
from reporter.data.validate import TieOut


DOCS: dict[str, str] = {
    "report": "The report as a whole: who reports, for which period, in what units.",
    "report.company": "The reporting company.",
    "report.company.name": "Legal name, e.g. `Almonty Industries Inc.`.",
    "report.company.short_name": "Name used in running text, e.g. `Almonty`.",
    "report.company.exchange": "Exchange code, e.g. `TSXV` (may be None).",
    "report.company.ticker": "Ticker symbol, e.g. `AII` (may be None).",
    "report.company.listing": "Exchange and ticker as releases write them: `TSXV: AII` (may be None).",
    "report.company.logo_url": "URL of the logo: the theme's `logo` when set, else company.logo of report.yaml, or None.",
    "report.subject": "What the figures are about, e.g. `Los Santos Mine`.",
    "report.period": "The period reported (the first column).",
    "report.period.key": "Stable id of the period, e.g. `2011-06-30/3m`.",
    "report.period.label": "Short name, e.g. `Q3 2011`, `9M 2011`, `FY 2011`.",
    "report.period.phrase": "Running-text name: `the three months ended June 30, 2011`.",
    "report.period.heading": "Column-heading name: `Three Months Ended June 30,`.",
    "report.period.end": "Last day of the period (a date).",
    "report.period.end_text": "Last day written out: `June 30, 2011`.",
    "report.period.months": "Length in months.",
    "report.period.fiscal_year": "Fiscal year the period falls in.",
    "report.period.results_phrase": "What the results are for, as a cover says it: the phrase, and the year when the period ends it (`the three months and the year ended December 31, 2012`).",
    "report.currency": "ISO code of the reporting currency, e.g. `CAD`.",
    "report.currency_name": "The reporting currency as running text names it: `CAD` in English, `dollars canadiens` in French.",
    "report.currency_caption": "Unit caption of table columns, e.g. `CAD$ 000`; in French words for the whole table, `en milliers de dollars canadiens`.",
    "report.currency_caption_spans": "True where the caption heads all figure columns at once (French words) rather than each column (`CAD$ 000`).",
    "report.scale": "What one unit of a table figure stands for: 1, 1000 or 1000000.",
    "report.scale_name": "`units`, `thousands` or `millions`.",
    "report.locale": "Babel locale of numbers, e.g. `en_CA`.",
    "report.legend": "Distribution legend printed at the top, or an empty string.",
    "report.output_name": "Stable file name stem: company, subject, period and template.",
    "statement": "The statement table, ready to lay out.",
    "statement.title": "Title of the table, e.g. `Summary Financial Information`.",
    "statement.hanging_close": "True when a negative's `)` hangs outside its figure (no currency sign follows figures): give each figure cell the class `hanging-close`, whose right padding holds the `)`.",
    "statement.groups": "Column groups (periods of the same length and end), for the first header row.",
    "statement.groups[].heading": "Group heading, e.g. `Three Months Ended June 30,`.",
    "statement.groups[].months": "Length of the group's periods in months.",
    "statement.groups[].span": "Number of columns in the group.",
    "statement.columns": "One entry per column (period), in order.",
    "statement.columns[].key": "Period id, e.g. `2010-06-30/3m`.",
    "statement.columns[].year": "Year heading of the column, e.g. `2011`.",
    "statement.columns[].label": "Short name: `Q3 2011`.",
    "statement.columns[].phrase": "Running-text name of the period.",
    "statement.columns[].heading": "Group heading of the column's period.",
    "statement.columns[].months": "Length in months.",
    "statement.columns[].restated": "True for a restated column.",
    "statement.columns[].is_current": "True for the period reported.",
    "statement.columns[].fx_rate": "Average rate the column was converted at, as text, or None.",
    "statement.rows": "One entry per line item, in statement order.",
    "statement.footnotes": "Footnotes of the statement's lines, in order of first use.",
    "statement.footnotes[].marker": "The marker, e.g. `1` or `*`.",
    "statement.footnotes[].text": "The footnote's text (statement.yaml `footnotes:`).",
    "statement.rows[].id": "Line id from statement.yaml.",
    "statement.rows[].label": "Line label.",
    "statement.rows[].is_subtotal": "True for subtotals (lines with a formula).",
    "statement.rows[].formula": "The subtotal's formula, e.g. `revenue - cost_of_sales` (empty for lines).",
    "statement.rows[].sign": "+1 for income, -1 for a cost (published positive).",
    "statement.rows[].unit": "What the line measures when it is not money at the table's scale, as printed after its label: `cents per share`, `oz`, `US$/oz`, `%`; empty for money.",
    "statement.rows[].is_money": "True for money at the table's scale (the column caption's unit); False for per-share, count, quantity, price, percent and ratio lines, printed in their own unit and places.",
    "statement.rows[].notes": "Footnote markers pasted with the label in statement.yaml (`Revenue (1)` gives `['1']`), kept out of the label.",
    "statement.rows[].cells": "One cell per column, in column order.",
    "statement.rows[].cells[].key": "Period id of the cell's column.",
    "statement.rows[].cells[].value": "The figure in units of the scale, published sign (Decimal).",
    "statement.rows[].cells[].text": "The figure formatted: `$4,421`, `(1,074)`; $ on the first row and subtotals; a figure published as a dash or nil prints as its nil mark (reporting.nil_mark).",
    "statement.rows[].cells[].plain": "The figure formatted without a currency sign: `4,421`.",
    "statement.rows[].cells[].html": "`text` marked up so digits align down a column: `(1 147) $` over `4 421 $` over `3 006` (hidden padding); without a currency sign after figures, a `)` that hangs into the cell's padding.",
    "key_figures": "The lines report.yaml names under key_figures, for highlight panels.",
    "key_figures[].id": "Line id.",
    "key_figures[].label": "Line label.",
    "key_figures[].current": "Figure for the period reported (a cell: key, value, text, plain).",
    "key_figures[].current.key": "Period id of the figure.",
    "key_figures[].current.value": "The figure in units of the scale, published sign (Decimal).",
    "key_figures[].current.text": "The figure formatted with the currency sign: `$4,421`.",
    "key_figures[].current.plain": "The figure formatted without a currency sign: `4,421`.",
    "key_figures[].current.html": "The figure with the hidden padding that aligns digits in a column.",
    "key_figures[].current_millions": "The current figure in millions: `$4.4 million`, `nil`.",
    "key_figures[].prior": "The comparative: same period a year earlier, restated when published (a cell), or None.",
    "key_figures[].prior.key": "Period id of the prior figure.",
    "key_figures[].prior.value": "The prior figure in units of the scale (Decimal).",
    "key_figures[].prior.text": "The prior figure formatted with the currency sign; a nil one in words (`nil`, `néant`).",
    "key_figures[].prior.plain": "The prior figure formatted without a currency sign.",
    "key_figures[].prior.html": "The prior figure with the hidden padding that aligns digits in a column.",
    "key_figures[].prior_millions": "The prior figure in millions (`nil` when nil), or None.",
    "key_figures[].prior_label": "Short name of the comparative period, e.g. `Q3 2010`, or None.",
    "key_figures[].prior_restated": "True when the comparative is a restated column (the one an accountant compares with).",
    "key_figures[].scale": "The scale word of the figures: `thousand`, `million`, or empty for units.",
    "key_figures[].unit": "The currency and scale of a card's figures, in words: `CAD thousands`, `en milliers de dollars canadiens`.",
    "key_figures[].change_text": "The change from the comparative for a card: `+27%`, or words where a percentage means nothing (`from a loss`, `loss narrowed`); empty after a nil comparative, which says it (`to a loss` where the figure is a loss).",
    "key_figures[].change": "Change against the prior period: `+27%`, or `n.m.` when it means nothing.",
    "key_figures[].has_change": "True when the change means something (`change` is not `n.m.`/`n.s.`).",
    "fx": "Exchange rates of report.yaml.",
    "fx.source": "Who publishes the rates, e.g. `Bank of Canada` (may be None).",
    "fx.converted": "True when the figures were converted here from another currency.",
    "fx.years": "Year headings of the rate table.",
    "fx.rows": "One row per base, quote and period length.",
    "fx.rows[].label": "Row label: `3 month average EUR=CAD`.",
    "fx.rows[].cells": "One rate per year (text as published), or an empty string.",
    "fx.pair": "The currencies converted, as the rows name them: `EUR=CAD`.",
    "fx.by_period": "Rate text by period key, when one currency pair is converted (else empty).",
    "fx.note": "One sentence saying which rates the figures use.",
    "tie_outs": "Every subtotal check (subtotal x period).",
    "tie_outs[].line_id": "Subtotal line id.",
    "tie_outs[].label": "Subtotal label.",
    "tie_outs[].period_key": "Period id.",
    "tie_outs[].computed": "What the lines give (text).",
    "tie_outs[].published": "What was published (text).",
    "tie_outs[].status": "`ties` or `rounding`.",
    "rounding_notes": "Sentences for subtotals that differ from their lines by rounding.",
    "narrative": "Highlight sentences generated from the figures (empty when `narrative: false`).",
    "commentary": "The commentary file.",
    "commentary.headline": "Headline of the release.",
    "commentary.subheadline": "Optional second line under the headline, or None.",
    "commentary.dateline": "Date line, e.g. `October 3, 2011`, or None.",
    "commentary.lead": "Lead paragraph(s) before the first `##` heading (sanitised HTML).",
    "commentary.sections": "Every `##` section in order.",
    "commentary.sections[].id": "Section id (`{#id}` after the heading, or made from the title).",
    "commentary.sections[].title": "Section heading.",
    "commentary.sections[].html": "Section body (sanitised HTML).",
    "commentary.discussion": "The sections other than `about` and `disclaimer`, in order.",
    "commentary.discussion[].id": "Section id.",
    "commentary.discussion[].title": "Section heading.",
    "commentary.discussion[].html": "Section body (sanitised HTML).",
    "commentary.about": "The section with id `about`, or None.",
    "commentary.about.id": "`about`.",
    "commentary.about.title": "Its heading, e.g. `About Almonty`.",
    "commentary.about.html": "Its body (sanitised HTML).",
    "commentary.disclaimer": "The section with id `disclaimer`, or None.",
    "commentary.disclaimer.id": "`disclaimer`.",
    "commentary.disclaimer.title": "Its heading, e.g. `Disclaimer for Forward-Looking Information`.",
    "commentary.disclaimer.html": "Its body (sanitised HTML).",
    "commentary.quote": "The quote, or None.",
    "commentary.quote.text": "What was said.",
    "commentary.quote.speaker": "Who said it (may be None).",
    "commentary.quote.title": "The speaker's title (may be None).",
    "commentary.footnote": "Footnote to the statement table, or None.",
    "commentary.contacts": "Contacts for further information.",
    "commentary.contacts[].name": "Name.",
    "commentary.contacts[].role": "Role, e.g. `Director & CEO` (may be None).",
    "commentary.contacts[].telephone": "Telephone (may be None).",
    "commentary.contacts[].email": "Email (may be None).",
    "commentary.exchange_notice": "Exchange's responsibility notice, or None.",
    "charts": "Charts the theme asks for (see `charts` in theme.yaml), each as inline SVG.",
    "charts[].id": "Chart id from theme.yaml.",
    "margins": "Margins theme.yaml lists (`margins:`), worked out on the printed figures.",
    "margins[].label": "Name given in theme.yaml (`Gross margin`), else named for its line: `Income from mining operations margin`.",
    "margins[].definition": "What it divides: `Income From Mining Operations as a share of Revenue`.",
    "margins[].current": "For the period reported: `32.0%`, or `n.m.` where the base is nil or negative.",
    "margins[].prior": "For the same period a year earlier, or None without one.",
    "margins[].prior_label": "That earlier period's label: `Q3 2010`.",
    "margins[].change": "Change in percentage points between the two margins as printed: `+4.1 pts`, or `n.m.`.",
    "margins[].meaningful": "False when the margin or its change is `n.m.` (the legend for n.m. prints only then).",
    "charts[].title": "Chart title.",
    "charts[].caption": "Caption under the chart.",
    "charts[].note": "What a bridge folds into \"Other items\", each line with its effect on income; empty when nothing folds.",
    "charts[].description": "Text alternative stating the figures the chart shows.",
    "charts[].svg": "The chart as SVG markup.",
    "theme": "The theme's merged settings (theme.yaml and its parents): name, brand, fonts, page, switches.",
    "css_variables": "Brand colours and fonts as CSS custom properties: `{'brand-primary': '#123a5e', ...}`.",
    "document": "PDF metadata.",
    "document.title": "Document title.",
    "document.author": "Author (the company).",
    "document.subject": "Subject (the headline).",
    "document.keywords": "Comma-separated keywords.",
    "document.date": "Release date found in the dateline, ISO `2011-10-03`, or None: the PDF's creation and modification dates.",
    "document.lang": "Language tag, e.g. `en-CA`, `fr-CA`.",
    "document.language": "Language code of the document, e.g. `en`, `fr`.",
    "template": "Which template file won the lookup, and which were considered.",
    "template.name": "Entry template name.",
    "template.path": "File the entry template was loaded from, e.g. `builtin:investor-summary/report.html` (no machine paths).",
    "template.considered": "Folders searched, highest priority first, named the same way.",
}


@dataclass(frozen=True)
class Formatter:
    """The report's formatting defaults, bound once, for the context and for Jinja filters.

    `language` (reporter.inputs.language) names periods and dates and brings its number rules; `translate` is the build's gettext (reporter.theme.catalogs),
    for the few theme words that reach the context from theme.yaml (title, chart titles).
    """

    locale: str
    currency: str
    places: int = 0
    scale: int = 1  # what one unit of a table figure stands for: filters take figures in it
    language: Language = field(default_factory=default_language)
    translate: Callable[[str], str] = field(default=str, compare=False)

    def amount(self, value: Decimal, currency: bool = False, places: int | None = None) -> str:
        """Write a figure in accounting notation; `places` defaults to the report's display places."""
        return format_amount(value, locale=self.locale, currency=self.currency if currency else None,
                             places=self.places if places is None else places,
                             currency_pattern=self.language.optional("numbers", "accounting_currency"))

    def millions(self, amount: Decimal) -> str:
        return format_millions_in(amount, currency=self.currency, locale=self.locale,
                                  rules=self.language.rule("numbers"))

    def rate(self, value: Decimal) -> str:
        return format_rate(value, locale=self.locale)

    def change(self, current: Decimal, prior: Decimal) -> str:
        return format_change(current, prior, locale=self.locale,
                             pattern=self.language.rule("numbers", "percent_change"),
                             not_meaningful=self.language.rule("numbers", "not_meaningful"))

    @cached_property  # asked once per table cell
    def currency_suffix(self) -> str:
        """What follows the digits of a figure with its currency sign: `\xa0$` in French, nothing in English."""
        one = self.amount(Decimal(1), currency=True, places=0)  # "$1.00" would make ".00" a suffix
        return one[one.rindex("1") + 1:]

    @property
    def nil_word(self) -> str:
        """A nil amount in words, where a sentence, a card or a text alternative says it: `nil`, « néant »."""
        return self.language.rule("numbers", "nil")

    @property
    def not_meaningful(self) -> str:
        return self.language.rule("numbers", "not_meaningful")

    def caption(self, scale: int) -> str:
        """Name the unit of a table's figures as the language's `numbers.caption` says: `CAD$ 000`
        over each column in English ({symbol} {scale}); « en milliers de dollars canadiens » once
        over the table in French ({unit_words}), as French statements say it."""
        rules = self.language.rule("numbers")
        # A language that names its dollars (`dollar_units`) names the rest by code; else the locale's symbol.
        symbol = (rules["dollar_units"].get(self.currency, self.currency) if "dollar_units" in rules
                  else currency_head(self.currency, locale=self.locale))
        return rules["caption"].format(symbol=symbol, scale=(rules.get("scale_words") or {}).get(scale, ""),
                                       unit_words=self.unit_words(scale)).strip()

    @property
    def caption_spans(self) -> bool:
        """Whether the caption heads all figure columns at once (words) rather than each (`CAD$ 000`)."""
        return bool(self.language.rule("numbers").get("caption_spans"))

    def unit_words(self, scale: int) -> str:
        """The unit in words, the one expression for charts, cards and table captions:
        `CAD, thousands`; « milliers de dollars canadiens » in French."""
        currency = self.language.rule("fx", "currency_names").get(self.currency, self.currency)
        return self.language.rule("charts", "unit_words")[scale].format(currency=currency)

    def filters(self) -> dict[str, Any]:
        """Return the Jinja filters, named and documented in reporter.theme.filters.FILTERS,
        built from this formatter: a theme's filters write numbers as the context does."""
        from reporter.theme.filters import make_filters

        return make_filters(self)


def _cell(value: Decimal, key: str, fmt: Formatter, with_currency: bool, nil: str = "") -> dict[str, Any]:
    """One figure for templates; a figure published as a dash or "nil" prints as its nil mark."""
    if nil:
        return {"key": key, "value": value, "text": nil, "plain": nil, "html": aligned_figure(nil, fmt.currency_suffix)}
    plain = fmt.amount(value)
    text = fmt.amount(value, currency=True) if with_currency else plain
    return {"key": key, "value": value, "text": text, "plain": plain,
            "html": aligned_figure(text, fmt.currency_suffix)}


def aligned_figure(text: str, currency_suffix: str) -> Markup:
    """Keep digits aligned down a column whatever follows them: a closing parenthesis, a currency
    sign after the figure (French `4 421 $`), both, or neither.

    The ")" of a negative sits in a box of one fixed width (`.figure-close`), so bold and regular
    rows line up too. Where nothing follows the ")" (no currency suffix, as in English), the box
    hangs into the cell's right padding (`.figure-hang`, a negative margin as wide as the box), so
    the units digit of every figure ends at the cell's content edge and a positive figure is plain
    text. Every extra box costs layout time in every cell of a long statement: hidden ")" boxes
    took a third of a 1,000-line render's CPU. `statement.hanging_close` tells templates to widen the
    cell's padding by the box (class `hanging-close`), so the columns sit where they always did:

    >>> str(aligned_figure("(1,147)", "")), str(aligned_figure("3,006", ""))
    ('(1,147<span class="figure-close figure-hang">)</span>', '3,006')

    With a currency suffix the ")" stays in the line. A figure without one gets the room of its
    box as the left padding of one hidden span (`.figure-after`), which also holds what the figure
    lacks of the suffix, as hidden text of the same font, so it takes the room without being
    printed (or copied from the PDF):

    >>> str(aligned_figure("3 006", " $"))  # a plain figure under `(1 147) $`
    '3 006<span class="figure-pad figure-after" aria-hidden="true"> $</span>'
    """
    last_digit = max((i for i, char in enumerate(text) if char.isdigit()), default=len(text) - 1)
    head, tail = text[: last_digit + 1], text[last_digit + 1:]
    if not currency_suffix:
        if tail == ")":
            return escape(head) + Markup('<span class="figure-close figure-hang">)</span>')
        if not tail.startswith(")"):
            return escape(text)
    pad = '<span class="figure-pad" aria-hidden="true">{}</span>'
    html = escape(head)
    if tail.startswith(")"):
        html += Markup('<span class="figure-close">)</span>') + escape(tail[1:])
    else:
        # The space before a trailing sign goes into the hidden part too: a PDF reader then
        # sees one gap, not a gap and a space, and copies "4 421 $" as it reads.
        spaces = tail[: len(tail) - len(tail.lstrip())]
        hidden = spaces or ("" if tail else currency_suffix)
        if hidden:  # one box: the ")" box's room as padding, then the hidden text
            html += Markup('<span class="figure-pad figure-after" aria-hidden="true">{}</span>').format(hidden)
            if not tail:
                return Markup(html)
        else:
            html += Markup('<span class="figure-close figure-pad" aria-hidden="true">)</span>')
        html += escape(tail[len(spaces):])
    if currency_suffix and not tail.endswith(currency_suffix):
        html += Markup(pad).format(currency_suffix)
    return Markup(html)


def nil_marks(figures: pd.DataFrame, settings: ReportSettings) -> dict[tuple[str, str], str]:
    """Index the nil mark to print for each cell published as nil: report.yaml's, else one mark
    for the whole document, the one the table uses most (first seen on a tie): a table pasted
    from two sources must not print "-" in one column and "—" in the next."""
    published = figure_lookup(figures, "nil_mark")
    mark = document_nil_mark(figures, settings)
    return {key: mark if cell_mark else "" for key, cell_mark in published.items()}


def document_nil_mark(figures: pd.DataFrame, settings: ReportSettings) -> str:
    """The one nil mark of a document: report.yaml's `nil_mark`, else the mark the table uses
    most (first seen on a tie), else none ("": a chart then leaves a nil bar unlabelled)."""
    marks = [mark for mark in figures["nil_mark"] if isinstance(mark, str) and mark]
    return settings.nil_mark or (max(dict.fromkeys(marks), key=marks.count) if marks else "")


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
    places = dict(zip(figures["line_id"], figures["decimals"]))
    for index, line in enumerate(statement.lines):
        # Accountants put the currency sign on the first figure of a column and on its totals;
        # a line in its own unit (EPS in cents, ounces) has its unit after the label instead.
        with_currency = (index == 0 or line.is_subtotal) and line.unit.is_money
        row_fmt = fmt if line.unit.is_money else replace(fmt, places=int(places[line.id]))
        rows.append({
            "id": line.id, "label": line.label, "is_subtotal": line.is_subtotal,
            "formula": line.formula, "sign": line.sign, "notes": list(line.notes),
            "unit": line.unit.text, "is_money": line.unit.is_money,
            "cells": [_cell(shown[line.id, p.key], p.key, row_fmt, with_currency,
                            nils[line.id, p.key]) for p in periods],
        })
    return {"title": statement.title, "groups": groups, "columns": columns, "rows": rows,
            "hanging_close": not fmt.currency_suffix,
            "footnotes": [{"marker": marker, "text": text} for marker, text in statement.footnotes]}


def key_figures_context(figures: pd.DataFrame, statement: Statement, settings: ReportSettings,
                        fmt: Formatter) -> list[dict[str, Any]]:
    """Pick the lines named under key_figures, with the period reported and its comparative.

    The comparative is the column an accountant uses: a year earlier, restated when published.
    Each card says its scale ("thousand") and the change, in words where a percentage means nothing.
    """
    words = fmt.language.rule("cards")  # the cards' words, from the language's file
    prior_period = comparative(settings.period, period_columns(figures))
    amounts, shown = figure_lookup(figures, "amount"), figure_lookup(figures)
    nils = nil_marks(figures, settings)
    places = dict(zip(figures["line_id"], figures["decimals"]))
    result = []
    for line_id in settings.key_figures:
        line = statement.line(line_id)
        current = amounts[line_id, settings.period.key]
        prior = amounts[line_id, prior_period.key] if prior_period else None
        if not line.unit.is_money:
            result.append(_unit_card(line, current, prior, prior_period, settings,
                                     replace(fmt, places=int(places[line_id])), nils))
            continue
        result.append({
            "id": line_id, "label": line.label,
            "current": _cell(shown[line_id, settings.period.key], settings.period.key, fmt, True,
                             nils[line_id, settings.period.key]),
            "current_millions": fmt.millions(current) if current else fmt.nil_word,
            "scale": words["card_scale"][settings.scale],
            # One card layout whatever the scale: the scale joins the currency on the unit line,
            # so the figure stands alone ("$4,421") and never wraps a scale word to its own line.
            "unit": words["card_unit"][settings.scale].format(
                currency=fmt.language.rule("fx", "currency_names").get(settings.currency, settings.currency),
                unit=fmt.unit_words(settings.scale)),
            # A nil comparative reads "nil" (« néant »), never "$0" or "$0.0 million".
            "prior": (_cell(shown[line_id, prior_period.key], prior_period.key, fmt, True,
                            "" if prior else fmt.nil_word)
                      if prior_period else None),
            "prior_millions": (fmt.millions(prior) if prior else fmt.nil_word) if prior_period else None,
            "prior_label": fmt.language.label(settings.calendar, prior_period) if prior_period else None,
            "prior_restated": bool(prior_period and prior_period.restated),
            "change": fmt.change(current, prior) if prior_period else fmt.not_meaningful,
            "has_change": prior_period is not None and fmt.change(current, prior) != fmt.not_meaningful,
            "change_text": change_words(current, prior, line.sign, fmt, words) if prior_period else "",
        })
    return result


def _unit_card(line, current: Decimal, prior: Decimal | None, prior_period, settings: ReportSettings,
               fmt: Formatter, nils: dict) -> dict[str, Any]:
    """A key figure that is not money (EPS, ounces): in its own unit and places, never millions."""
    def cell(period, nil: str = ""):
        value = current if period == settings.period else prior
        return _cell(value, period.key, fmt, False, nil or nils[line.id, period.key])

    now = cell(settings.period)
    # A nil comparative reads "nil", as on a money card, and no "n.m." change beside it.
    before = cell(prior_period, "" if prior else fmt.nil_word) if prior_period else None
    change = fmt.change(current, prior) if prior_period else fmt.not_meaningful
    return {"id": line.id, "label": line.label, "current": now,
            "current_millions": f"{now['text']} {line.unit.text}", "scale": line.unit.text,
            # The card's unit line names the line's own unit ("cents per share"), never the money scale.
            "unit": line.unit.text,
            "prior": before,
            "prior_millions": (f"{before['text']} {line.unit.text}" if prior else fmt.nil_word) if before else None,
            "prior_label": fmt.language.label(settings.calendar, prior_period) if prior_period else None,
            "prior_restated": bool(prior_period and prior_period.restated),
            "change": change, "has_change": change != fmt.not_meaningful,
            "change_text": change if prior_period and prior else ""}


def change_words(current: Decimal, prior: Decimal, sign: int, fmt: Formatter, words: dict) -> str:
    """Say the change from the comparative on a card: `+27%`, or words where a percentage means nothing."""
    change = fmt.change(current, prior)
    if change != fmt.not_meaningful:
        return change
    table = words["card_changes"]
    if current == prior:
        return table["unchanged"]
    if prior == 0:
        # The comparative reads "nil" beside it: "up from nil" would say it twice (and lie for a loss).
        return table["to_loss"] if sign > 0 and current < 0 else ""
    if current == 0:
        return table["to_nil"]
    if sign > 0 and prior < 0 <= current:
        return table["from_loss"]
    if sign > 0 and current < 0 <= prior:
        return table["to_loss"]
    if sign > 0 and current < 0 and prior < 0:
        return table["loss_narrowed" if current > prior else "loss_widened"]
    if 0 < prior < current:
        return table["beyond_limit"]  # 39 -> 690: a rise too large for a percentage to mean much
    return table["not_meaningful"]


def fx_context(settings: ReportSettings, fmt: Formatter) -> dict[str, Any]:
    """Tabulate the average rates by length and year, and say in a sentence which were used,
    in the document's language (`fx` in the language's rules)."""
    rules = fmt.language.rule("fx")
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
            verb=rules["converted" if converted else "published"],
            currency=names.get(settings.currency, settings.currency),  # « en dollars canadiens », not « en CAD »
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
    notes = [fmt.language.rule("fx", "rounding").format(
                 label=labels.get(r.line_id, r.label) if labels else r.label,
                 phrase=phrases.get(r.period_key, r.period_phrase) if phrases else r.period_phrase,
                 published=fmt.amount(r.published), computed=fmt.amount(r.computed))
             for r in results if r.status.value == "rounding"]
    return rows, notes
