"""Read numbers written in accounting notation, as people paste them from releases.

The rules are data (the tables below), so a new notation is one entry, not a new branch.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

# Cells that mean "nothing here": published tables write a zero in many ways.
ZERO_WORDS = frozenset({"0", "-", "–", "—", "nil", "n/a", "none"})

# Markdown escapes (the seed writes \$) and currency signs are presentation, not value.
_STRIP = re.compile(r"\\|US\$|C\$|CAD|USD|EUR|[$€£¥]", re.IGNORECASE)
# What each currency tag a figure may carry stands for. `$` is any dollar: it is checked against
# Babel's symbol for the report's currency (CA$, US$, A$... all hold a `$`).
CURRENCY_TAGS = {"us$": "USD", "c$": "CAD", "cad": "CAD", "usd": "USD", "eur": "EUR", "€": "EUR",
                 "£": "GBP", "¥": "JPY"}
# ASCII digits only: `٤٤٢١` is a valid Python int but nobody's published figure.
_NUMBER = re.compile(r"^[+-]?([0-9]{1,3}(,[0-9]{3})+|[0-9]+)(\.[0-9]+)?$")


class NotationError(ValueError):
    """A cell that is not a number in any notation we know."""


def _check_currency_tags(raw: str, currency: str) -> None:
    """Refuse a figure tagged with another currency than the one the figures are in (`EUR4,421` in CAD)."""
    for tag in _STRIP.findall(raw):
        tag = tag.lower()
        if tag == "\\":
            continue
        if tag == "$":
            from babel.numbers import get_currency_symbol

            if "$" in get_currency_symbol(currency, locale="en"):
                continue
        elif CURRENCY_TAGS.get(tag) == currency or (tag == "¥" and currency == "CNY"):
            continue
        raise NotationError(f"{raw!r} is marked {tag.upper()}, but the figures are in {currency}")


def parse_amount(text: str | None, *, blank_is_zero: bool = False, currency: str | None = None) -> Decimal:
    """Read one published figure exactly.

    >>> parse_amount("($1,147)")
    Decimal('-1147')
    >>> parse_amount("nil")
    Decimal('0')

    Parentheses or a leading minus make a negative; `$`, thousands separators and Markdown
    escapes are dropped; dashes and "nil" are zero. Anything else raises NotationError, so a
    word among the numbers is never read as zero. With `currency`, a currency tag must be that
    currency's; a sign inside parentheses (`(-4,421)`) or parentheses twice are refused, as no
    reader can say which sign was meant.
    """
    raw = "" if text is None else str(text).strip()
    if not raw:
        if blank_is_zero:
            return Decimal(0)
        raise NotationError("empty value")
    if currency is not None:
        _check_currency_tags(raw, currency)
    body = raw
    parentheses = 0
    if body.startswith("(") and body.endswith(")"):
        parentheses, body = 1, body[1:-1]
    body = _STRIP.sub("", body).strip()
    # "(\$407)" and "\$(407)" both occur in the wild.
    if body.startswith("(") and body.endswith(")"):
        parentheses, body = parentheses + 1, body[1:-1].strip()
    if parentheses > 1:
        raise NotationError(f"not a number: {raw!r} (parentheses twice: which sign is meant?)")
    negative = parentheses == 1
    if negative and body.startswith(("-", "+", "−", "–")):
        raise NotationError(f"not a number: {raw!r} (a sign inside parentheses: which sign is meant?)")
    if body.lower() in ZERO_WORDS:
        return Decimal(0)
    if body.startswith(("−", "–")):  # minus sign or en dash used as minus
        body = "-" + body[1:]
    if not _NUMBER.match(body):
        raise NotationError(f"not a number: {raw!r}")
    try:
        value = Decimal(body.replace(",", ""))
    except InvalidOperation as exc:  # pragma: no cover - the pattern above already guards this
        raise NotationError(f"not a number: {raw!r}") from exc
    value = -value if negative else value
    # "-0" and "(0)" are zero: a negative zero would print as "(0)" and compare as a sign.
    return value.copy_abs() if value.is_zero() else value


def nil_as_published(text: str | None) -> str | None:
    """Return the nil mark a cell was published with (`—`, `-`, `nil`), or None for a figure.

    >>> nil_as_published("\\$—"), nil_as_published("$0")
    ('—', None)

    A written `0` is a figure; a dash or a word says "nothing here", and the report prints it so.
    """
    body = _STRIP.sub("", "" if text is None else str(text)).strip().strip("()").strip()
    return body if body.lower() in ZERO_WORDS - {"0"} else None


def is_amount(text: str | None) -> bool:
    """Say whether a cell reads as a figure (blank counts as one)."""
    try:
        parse_amount(text, blank_is_zero=True)
    except NotationError:
        return False
    return True
