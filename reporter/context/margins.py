"""Margins for templates: one line as a share of another, defined in theme.yaml, never by line id in code.

A theme lists margins under `margins:`, each with the `line` and what it is a share `of`, and
a `label` where the theme knows what the line is. Without a label a margin is named for what it
computes, from the line's own name: "Income from mining operations margin" (a position such as
`last_line` may be a pre-tax line in one table and a net one in another, so "Net margin" would lie). Both name a line of statement.yaml by id or by position, so a built-in works for any
statement: `first_line` (revenue, in most tables), `first_subtotal` (gross profit or income
from mining operations), `last_subtotal`, `last_line`.

    margins:
      - {label: Gross margin, line: first_subtotal, of: first_line}

Each margin is worked out on the figures as printed, for the period reported and the same
period a year earlier; where the base is nil or the figures cannot give a meaningful share
the margin is "n.m." (not meaningful), and so is the change. Mistakes are theme errors naming
theme.yaml and the margin.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

import pandas as pd
from babel.numbers import format_decimal, format_percent, parse_pattern

from reporter.errors import ThemeError
from reporter.data.normalize import columns, figure_lookup
from reporter.inputs.periods import comparative
from reporter.inputs.settings import ReportSettings
from reporter.inputs.statement import Statement

if TYPE_CHECKING:
    from reporter.theme.resolve import ResolvedTheme



def resolve_line(reference: Any, statement: Statement) -> str:
    """Turn a line reference (an id, or first_line, first_subtotal, last_subtotal, last_line) into an id."""
    # A line sharing out another (attribution_of: "... attributable to non-controlling interests")
    # is a part of that line, never the table's first or last line: "last_line" is net income.
    money = [line.id for line in statement.lines if line.unit.is_money and line.attribution_of is None]
    positions = {
        "first_line": money[0] if money else None,
        "last_line": money[-1] if money else None,
        "first_subtotal": statement.subtotals[0].id if statement.subtotals else None,
        "last_subtotal": statement.subtotals[-1].id if statement.subtotals else None,
    }
    if reference in positions:
        found = positions[reference]
        if found is None:
            raise ValueError(f"statement.yaml has no {reference.replace('_', ' ')}")
        return found
    if reference in statement.ids:
        unit = statement.line(str(reference)).unit
        if not unit.is_money:
            raise ValueError(f"line {reference!r} is in {unit.text}, not money: a margin divides "
                             "money lines")
        return str(reference)
    raise ValueError(f"line {reference!r} is not in statement.yaml (use a line id or one of "
                     f"{', '.join(positions)})")


def share(line: Decimal, base: Decimal) -> Decimal | None:
    """Return line / base, or None where the share means nothing (a nil or negative base)."""
    if base <= 0:
        return None
    return line / base


def margins_context(figures: pd.DataFrame, statement: Statement, settings: ReportSettings, theme: ResolvedTheme,
                    fmt) -> list[dict[str, Any]]:
    """Work out the margins theme.yaml lists, for the period reported and a year earlier.

    `fmt` (reporter.context.figures.Formatter) brings the document's language: its numbers, its period
    labels and its gettext, which translates theme.yaml's labels like the templates' words.
    """
    locale = fmt.locale
    rules = {key: fmt.language.rule("numbers", key) for key in MARGIN_NUMBERS}
    specs = theme.settings.get("margins") or []
    shown = figure_lookup(figures)
    # The column key figures compare with: a year earlier, the restated one when published.
    prior = comparative(settings.period, columns(figures))
    result = []
    for index, spec in enumerate(specs):
        name = f"margins[{index}]"
        try:
            if not isinstance(spec, dict):
                raise ValueError("a margin is a mapping with line, of and an optional label")
            name = f"margins[{index}] ({spec.get('label') or spec.get('line')})"
            line, base = resolve_line(spec.get("line"), statement), resolve_line(spec.get("of"), statement)
        except ValueError as exc:
            raise ThemeError(f"{name}: {exc}", file=theme.declared_in("margins")) from None
        # Rounded as printed, so the change is the difference a reader works out from the two
        # margins (14.4% and 13.2% make +1.2 pts, never the +1.3 of the unrounded shares).
        places = parse_pattern(rules["margin_percent"]).frac_prec[1]
        current = _as_printed(share(shown[line, settings.period.key], shown[base, settings.period.key]), places)
        earlier = _as_printed(share(shown[line, prior.key], shown[base, prior.key]), places) if prior else None
        change = (current - earlier) * 100 if current is not None and earlier is not None else None
        label = (fmt.translate(str(spec["label"])) if spec.get("label") else
                 _margin_name(statement.line(line).label, fmt))
        result.append({
            "label": label[:1].upper() + label[1:],
            "definition": fmt.translate("%(line)s as a share of %(base)s") % {
                "line": statement.line(line).label, "base": statement.line(base).label},
            "current": _percent(current, locale, rules, shown[line, settings.period.key] == 0, fmt.nil_word),
            "prior": _percent(earlier, locale, rules, shown[line, prior.key] == 0, fmt.nil_word) if prior else None,
            "prior_label": fmt.language.marked_label(settings.calendar, prior) if prior else None,
            "change": (fmt.translate("%(change)s pts") % {
                "change": format_decimal(change, format=rules["points_change"], locale=locale)}
                       if change is not None else rules["not_meaningful"]),
            "meaningful": current is not None and (not prior or (earlier is not None and change is not None)),
        })
    return result


def _as_printed(value: Decimal | None, places: int) -> Decimal | None:
    """A share rounded half up to the places its percentage prints with (0.14439 -> 0.144 at one place)."""
    if value is None:
        return None
    return value.quantize(Decimal(1).scaleb(-(places + 2)), rounding=ROUND_HALF_UP)


# The patterns a margin takes from the language's data file (numbers: margin_percent, ...).
MARGIN_NUMBERS = ("margin_percent", "points_change", "not_meaningful")


def _margin_name(line_label: str, fmt) -> str:
    """Name a margin for the line it computes: "Income from mining operations margin",
    « Marge : bénéfice d'exploitation minière ». A line whose name already says margin (a gross
    profit published as "Gross margin", « Marge brute ») keeps its name: never "Gross margin margin"
    or « Marge : marge brute »."""
    pattern = fmt.translate("%(line)s margin")
    word = pattern.replace("%(line)s", "").strip(" :\u00a0\u202f").casefold()
    if word and word in line_label.casefold().split():
        return line_label
    return pattern % {"line": _running_text(line_label, fmt.language)}


def _running_text(label: str, language) -> str:
    """A label inside a phrase, as running text writes it: `Income From Mining Operations` ->
    `income from mining operations`; acronyms (SG&A) keep their capitals."""
    from reporter.context.narrative import running_text
    return running_text(label, set(language.optional("sentences", "keep_case") or ()))


def _percent(value: Decimal | None, locale: str, rules: dict, line_is_nil: bool, nil: str) -> str:
    # The language's pattern keeps its spacing: 32.0%, 32,0 % (fr, with a non-breaking space).
    # A nil line on a real base is a nil margin, said as the cards and sentences say it, not "0.0%";
    # a line that is not nil but rounds to 0.0% prints 0.0% (the line, not its rounded share, is nil).
    if value is None:
        return rules["not_meaningful"]
    return nil if line_is_nil else format_percent(value, format=rules["margin_percent"], locale=locale)
