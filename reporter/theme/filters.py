"""The Jinja formatting filters, and their documentation, from one source.

`FILTERS` lists each filter with its usage, what it does and examples; `make_filters` builds them
from the document's `Formatter` (reporter.context.figures), the very one the context formats its
figures with, so a theme's `{{ 4421 | millions }}` follows the language's rules as the context's
own figures do (fr_CA: `4,4 millions $`, `(1 074) $`).
`reporter templates context` and the README print `FILTERS`, and a test renders every example
through the real filters, so the documentation cannot drift from what templates get.

A filter used wrongly (`amount(place=2)`, text where a number belongs) raises FilterError, a
ValueError, which the html stage reports as one line naming the template file and line.
"""

from __future__ import annotations

import datetime as dt
import functools
import inspect
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Callable, Protocol

from babel.dates import format_date
from babel.numbers import format_percent



class Formatter(Protocol):
    """What the filters take from the document's formatter (reporter.context.figures.Formatter),
    described here so the theme layer does not import the context above it."""

    locale: str
    scale: int

    def amount(self, value: Decimal, currency: bool = False, places: int | None = None) -> str: ...
    def millions(self, amount: Decimal) -> str: ...
    def rate(self, value: Decimal) -> str: ...
    def change(self, current: Decimal, prior: Decimal) -> str: ...

DATE_FORMATS = ("short", "medium", "long", "full")


class FilterError(ValueError):
    """A filter called with an argument it cannot use."""


@dataclass(frozen=True)
class FilterDoc:
    name: str
    usage: str
    description: str
    examples: tuple[tuple[str, str], ...]  # (template expression, what it prints)


# Examples are rendered for a report in thousands of Canadian dollars, locale en_CA, 0 places.
EXAMPLE_REPORT = {"locale": "en_CA", "currency": "CAD", "scale": 1000, "places": 0}

FILTERS: tuple[FilterDoc, ...] = (
    FilterDoc("amount", "value | amount(currency=False, places=None)",
              "A figure in units of the report's scale, in accounting notation (negatives in "
              "parentheses); `currency=True` adds the currency sign; `places` defaults to the "
              "report's display places.",
              (("{{ -1074 | amount }}", "(1,074)"), ("{{ 4421 | amount(currency=True) }}", "$4,421"),
               ("{{ 1.5 | amount(places=2) }}", "1.50"))),
    FilterDoc("millions", "value | millions",
              "A figure in units of the report's scale, written in millions as releases do; "
              "nil for zero. It knows the scale: 4421 in a report in thousands is $4.4 million, "
              "412.6 in a report in millions is $412.6 million.",
              (("{{ 4421 | millions }}", "$4.4 million"), ("{{ -407 | millions }}", "($0.4 million)"),
               ("{{ 0 | millions }}", "nil"))),
    FilterDoc("rate", "value | rate",
              "An exchange rate with exactly the digits it was published with.",
              (("{{ '1.436078' | rate }}", "1.436078"), ("{{ '1.30' | rate }}", "1.30"))),
    FilterDoc("change", "current | change(prior)",
              "Change from prior to current as a whole percentage, or n.m. where a percentage "
              "means nothing (from nil or a loss, across a change of sign, beyond 500%).",
              (("{{ 10186 | change(8000) }}", "+27%"), ("{{ 500 | change(-200) }}", "n.m."))),
    FilterDoc("percent", "ratio | percent(places=0)",
              "A ratio as a percentage in the report's locale (0.271 is 27%).",
              (("{{ 0.271 | percent }}", "27%"), ("{{ 0.2714 | percent(1) }}", "27.1%"))),
    FilterDoc("date", "day | date(format='long')",
              "A date (or YYYY-MM-DD text) in the report's locale; format is short, medium, long, "
              "full or a Babel pattern such as 'MMMM yyyy'.",
              (("{{ '2011-06-30' | date }}", "June 30, 2011"), ("{{ '2011-06-30' | date('medium') }}",
                                                                  "Jun 30, 2011"),
               ("{{ report.period.end | date('MMMM yyyy') }}", "June 2011"))),
)


def _number(value: Any, name: str) -> Decimal:
    """Take a figure as templates have it: Decimal, int, float or numeric text."""
    if isinstance(value, bool) or value is None:
        raise FilterError(f"filter {name}: {value!r} is not a number")
    try:
        number = Decimal(str(value).strip()) if isinstance(value, (str, float)) else Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise FilterError(f"filter {name}: {value!r} is not a number") from None
    if not number.is_finite():
        raise FilterError(f"filter {name}: {value!r} is not a finite number")
    return number


def _places(places: Any, name: str) -> int:
    if isinstance(places, bool) or not isinstance(places, int) or not 0 <= places <= 6:
        raise FilterError(f"filter {name}: places must be a whole number from 0 to 6, got {places!r}")
    return places


def _day(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise FilterError(f"filter date: {value!r} is not a date (a date, or YYYY-MM-DD text)") from None


def _checked(doc: FilterDoc, function: Callable) -> Callable:
    """Report a wrong argument as `filter amount: ...; usage: ...` instead of a Python TypeError."""
    signature = inspect.signature(function)

    @functools.wraps(function)
    def checked(*args, **kwargs):
        try:
            signature.bind(*args, **kwargs)
        except TypeError as exc:
            raise FilterError(f"filter {doc.name}: {exc}; usage: {{{{ {doc.usage} }}}}") from None
        return function(*args, **kwargs)

    return checked


def make_filters(fmt: Formatter) -> dict[str, Callable]:
    """Build the filters of FILTERS from the document's formatter: its locale, currency, scale,
    display places and language rules."""
    locale = fmt.locale

    def amount(value, currency=False, places=None):
        if not isinstance(currency, bool):  # `amount(2)` means places=2, not a currency sign
            raise FilterError(f"filter amount: currency must be true or false, got {currency!r} "
                              f"(for places write amount(places={currency!r}))")
        shown = None if places is None else _places(places, "amount")
        return fmt.amount(_number(value, "amount"), currency=currency, places=shown)

    def millions(value):
        return fmt.millions(_number(value, "millions") * fmt.scale)

    def rate(value):
        return fmt.rate(_number(value, "rate"))

    def change(current, prior):
        return fmt.change(_number(current, "change"), _number(prior, "change"))

    def percent(ratio, places=0):
        digits = _places(places, "percent")
        pattern = "#,##0" + ("." + "0" * digits if digits else "") + "%"
        return format_percent(_number(ratio, "percent"), format=pattern, locale=locale)

    def date(day, format="long"):
        if not isinstance(format, str) or not format:
            raise FilterError(f"filter date: format must be one of {', '.join(DATE_FORMATS)} "
                              f"or a Babel pattern, got {format!r}")
        try:
            return format_date(_day(day), format, locale=locale)
        except (ValueError, KeyError) as exc:
            raise FilterError(f"filter date: bad format {format!r} ({exc})") from None

    functions: dict[str, Callable[..., str]] = {"amount": amount, "millions": millions, "rate": rate, "change": change,
                 "percent": percent, "date": date}
    return {doc.name: _checked(doc, functions[doc.name]) for doc in FILTERS}


def filters_text() -> list[str]:
    """Document the filters for `reporter templates context`, one block per filter."""
    lines = ["Filters (examples for a report in CAD thousands, locale en_CA):"]
    for doc in FILTERS:
        lines.append(f"  {{{{ {doc.usage} }}}}")
        lines.append(f"      {doc.description}")
        lines.extend(f"      {example}  ->  {output}" for example, output in doc.examples)
    return lines


def filters_markdown() -> str:
    """Document the filters for the README: a heading per filter, its description and examples."""
    parts = []
    for doc in FILTERS:
        examples = "".join(f"- `{example}` gives `{output}`\n" for example, output in doc.examples)
        parts.append(f"#### `{doc.usage}`\n\n{doc.description}\n\n{examples}")
    return "\n".join(parts)
