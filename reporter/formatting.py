"""Format figures as an accountant writes them, with Babel for every locale rule.

Each function formats one value and is pure, so it works as a Jinja filter and is table-tested.
Amounts arrive in units of the report's scale (thousands for Los Santos); they are rounded half
up to whole units, the way published tables round, then Babel writes digits, separators and the
currency symbol for the locale.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from functools import lru_cache

from babel import Locale
from babel.numbers import format_currency, format_decimal, format_percent, get_currency_symbol

# Accounting notation: negatives in parentheses, the currency sign inside them: ($407).
ACCOUNTING_PATTERN = "#,##0;(#,##0)"

# Beyond +/-500% a percentage only says that the base was small.
MEANINGFUL_CHANGE = Decimal(5)

# How column captions name the scale: "CAD$ 000" is thousands of Canadian dollars.
SCALE_CAPTIONS = {1: "", 1_000: "000", 1_000_000: "millions"}


def _whole(value: Decimal, places: int = 0) -> Decimal:
    rounded = Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    # -0.3 rounds to -0, which would print as "(0)": a figure that rounds to nothing is 0.
    return rounded.copy_abs() if rounded.is_zero() else rounded


def _with_places(pattern: str, places: int) -> str:
    decimals = "." + "0" * places if places else ""
    return pattern.replace("0;", f"0{decimals};").replace("0)", f"0{decimals})")


@lru_cache(maxsize=None)
def _currency_pattern(locale: str, places: int) -> str:
    """Take the locale's own currency layout (where the sign goes) and make it accounting style.

    en_CA gives `¤#,##0;(¤#,##0)`, de_DE `#,##0 ¤;(#,##0 ¤)`: the locale decides where the
    symbol sits, the notation always puts negatives in parentheses.
    """
    positive = Locale.parse(locale).currency_formats["standard"].pattern.split(";")[0]
    decimals = "." + "0" * places if places else ""
    positive = positive.replace("#,##0.00", f"#,##0{decimals}").replace("\xa0", " ")
    return f"{positive};({positive})"


def format_amount(value: Decimal, *, locale: str = "en_CA", currency: str | None = None,
                  places: int = 0, currency_pattern: str | None = None) -> str:
    """Write a figure in accounting notation.

    >>> format_amount(Decimal("-1074"))
    '(1,074)'
    >>> format_amount(Decimal("-407"), currency="CAD")
    '($407)'

    With `currency`, the locale's symbol leads the figure (first row and subtotals of a table).
    `currency_pattern` replaces the locale's layout where a language's rules give one
    (French: `#,##0 ¤;(#,##0) ¤`, the sign outside the parentheses: `(1 147) $`).
    """
    rounded = _whole(value, places)
    if currency:
        pattern = (currency_pattern.replace("#,##0", "#,##0." + "0" * places if places else "#,##0")
                   if currency_pattern else _currency_pattern(locale, places))
        return format_currency(rounded, currency, format=pattern,
                               locale=locale, currency_digits=False)
    return format_decimal(rounded, format=_with_places(ACCOUNTING_PATTERN, places), locale=locale)


def format_rate(value: Decimal, *, locale: str = "en_CA") -> str:
    """Write an exchange rate with exactly the digits it was published with (1.436078, 1.30)."""
    places = max(0, -int(Decimal(value).as_tuple().exponent))  # finite: the exponent is a number
    return format_decimal(value, format="#,##0." + "0" * places if places else "#,##0", locale=locale)


def format_millions_in(amount: Decimal, *, currency: str, locale: str, rules: dict, places: int = 1) -> str:
    """Write a full-unit amount in millions by a language's rules: `4,4 millions $`, `$0.4 million`.

    >>> format_millions_in(Decimal(4_421_000), currency="CAD", locale="fr_CA",
    ...                    rules={"nil": "néant", "millions_one": "{number} million {symbol}",
    ...                           "millions_other": "{number} millions {symbol}"})
    '4,4 millions $'
    """
    if amount == 0:
        return rules["nil"]
    millions = _whole(abs(Decimal(amount)) / 1_000_000, places)
    number = format_decimal(millions, format="#,##0." + "0" * places, locale=locale)
    # French: "million" stays singular below two (0,4 million, 1,9 million; 2,0 millions).
    pattern = rules["millions_one"] if millions < 2 else rules["millions_other"]
    # {money}: the amount with its currency as the locale (or `accounting_currency`) writes it: $4.4.
    money = format_amount(millions, currency=currency, locale=locale, places=places,
                          currency_pattern=rules.get("accounting_currency"))
    text = pattern.format(number=number, symbol=get_currency_symbol(currency, locale=locale), money=money)
    return f"({text})" if amount < 0 else text


def meaningful_change(current: Decimal, prior: Decimal) -> Decimal | None:
    """Return the change from prior to current as a ratio, or None where it means nothing.

    A percentage means nothing from a zero or negative base (from nil, or from a loss), across
    a change of sign, or beyond +/-500%.
    """
    if prior <= 0 or current < 0:
        return None
    change = (Decimal(current) - Decimal(prior)) / Decimal(prior)
    return None if abs(change) > MEANINGFUL_CHANGE else change


def format_change(current: Decimal, prior: Decimal, *, locale: str = "en_CA",
                  pattern: str = "+#,##0%;-#,##0%", not_meaningful: str = "n.m.") -> str:
    """Write the change from prior to current as a percentage, or `n.m.` where it means nothing.

    >>> format_change(Decimal(10186), Decimal(8000))
    '+27%'
    """
    change = meaningful_change(current, prior)
    if change is None:
        return not_meaningful
    return format_percent(_whole(change, 3), format=pattern, locale=locale)


def scale_caption(currency: str, scale: int, *, locale: str = "en_CA") -> str:
    """Write the unit caption of a table column: `CAD$ 000`, `US$ 000`, `EUR millions`.

    Where the locale writes a bare "$", the caption names the currency too (CAD$), because "$"
    alone is ambiguous; a symbol that already says which dollar (US$) stands as it is; other
    currencies go by their code.
    """
    return f"{currency_head(currency, locale=locale)} {SCALE_CAPTIONS[scale]}".strip()


def currency_head(currency: str, *, locale: str = "en_CA") -> str:
    """Name a currency at the head of a column: `CAD$` where the locale writes a bare "$", a
    symbol that already says which dollar (`US$`) as it is, other currencies by their code."""
    symbol = get_currency_symbol(currency, locale=locale)
    return f"{currency}$" if symbol == "$" else symbol if symbol.endswith("$") else currency
