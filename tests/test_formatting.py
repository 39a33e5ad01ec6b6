from decimal import Decimal as D

import pytest

from reporter.formatting import (format_amount, format_change, format_millions_in, format_rate,
                                 meaningful_change, scale_caption)
from reporter.inputs.language import language_words

AMOUNT_CASES = [
    # (value, kwargs, expected)
    (D(4421), {}, "4,421"),
    (D(4421), {"currency": "CAD"}, "$4,421"),
    (D(-407), {"currency": "CAD"}, "($407)"),
    (D(-1074), {}, "(1,074)"),
    (D(0), {"currency": "CAD"}, "$0"),
    (D(0), {}, "0"),
    (D("1415.5"), {}, "1,416"),  # half up, as published tables round
    (D("-1415.5"), {}, "(1,416)"),
    (D("2.5"), {}, "3"),  # not banker's rounding
    (D(1234567), {}, "1,234,567"),
    (D(-3387), {"currency": "CAD"}, "($3,387)"),
    (D(4421), {"currency": "USD", "locale": "en_US"}, "$4,421"),
    (D(-1074), {"currency": "EUR", "locale": "de_DE"}, "(1.074 €)"),
    (D("4.42"), {"places": 1}, "4.4"),
]


@pytest.mark.parametrize(("value", "kwargs", "expected"), AMOUNT_CASES)
def test_format_amount(value, kwargs, expected):
    assert format_amount(value, **kwargs) == expected


@pytest.mark.parametrize(("value", "expected"), [
    (D("1.436078"), "1.436078"), (D("1.3934"), "1.3934"), (D("1.30"), "1.30"), (D("1.3729"), "1.3729"),
])
def test_format_rate_keeps_published_precision(value, expected):
    assert format_rate(value) == expected


@pytest.mark.parametrize(("amount", "expected"), [
    (D(4_421_000), "$4.4 million"),
    (D(1_416_000), "$1.4 million"),
    (D(-407_000), "($0.4 million)"),
    (D(-3_387_000), "($3.4 million)"),
    (D(0), "nil"),
    (D(10_186_000), "$10.2 million"),
    (D(1_450_000), "$1.5 million"),
])
def test_format_millions_in_english(amount, expected):
    rules = language_words("en_CA", "numbers")
    assert format_millions_in(amount, currency="CAD", locale="en_CA", rules=rules) == expected


@pytest.mark.parametrize(("current", "prior", "expected"), [
    (D(10186), D(8000), "+27%"),
    (D(8000), D(10000), "-20%"),
    (D(4421), D(0), "n.m."),        # from nil
    (D(1416), D(-407), "n.m."),     # from a loss
    (D(-3387), D(837), "n.m."),     # to a loss
    (D(690), D(39), "n.m."),        # +1,669%: the base is too small to mean anything
    (D(100), D(100), "+0%"),
])
def test_format_change(current, prior, expected):
    assert format_change(current, prior) == expected


def test_meaningful_change_is_a_ratio():
    assert meaningful_change(D(150), D(100)) == D("0.5")
    assert meaningful_change(D(150), D(0)) is None


@pytest.mark.parametrize(("currency", "scale", "expected"), [
    ("CAD", 1000, "CAD$ 000"), ("USD", 1000, "US$ 000"), ("EUR", 1000, "EUR 000"),
    ("CAD", 1_000_000, "CAD$ millions"), ("CAD", 1, "CAD$"),
])
def test_scale_caption(currency, scale, expected):
    assert scale_caption(currency, scale) == expected
