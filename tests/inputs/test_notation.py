import re
from decimal import Decimal

import pytest

from reporter.inputs.notation import NotationError, is_amount, parse_amount

PARSE_CASES = [
    ("$4,421", Decimal(4421)),
    ("4,421", Decimal(4421)),
    ("(1,074)", Decimal(-1074)),
    ("($407)", Decimal(-407)),
    ("$(407)", Decimal(-407)),
    ("(\\$1,147)", Decimal(-1147)),  # the seed's Markdown escape
    ("\\$10,186", Decimal(10186)),
    ("0", Decimal(0)),
    ("$0", Decimal(0)),
    ("—", Decimal(0)),
    ("–", Decimal(0)),
    ("-", Decimal(0)),
    ("nil", Decimal(0)),
    ("NIL", Decimal(0)),
    ("-5", Decimal(-5)),
    ("−5", Decimal(-5)),  # Unicode minus sign
    ("1.436078", Decimal("1.436078")),
    ("  837 ", Decimal(837)),
    ("1234567", Decimal(1234567)),
]


@pytest.mark.parametrize(("text", "expected"), PARSE_CASES)
def test_parse_amount(text, expected):
    assert parse_amount(text) == expected


@pytest.mark.parametrize("text", ["abc", "1,23", "12,34,567", "4.421,00", "$", "()", "1 2", "--5", "12a"])
def test_parse_amount_refuses_what_is_not_a_number(text):
    with pytest.raises(NotationError):
        parse_amount(text)


def test_blank_is_an_error_unless_allowed():
    with pytest.raises(NotationError, match="empty"):
        parse_amount("")
    assert parse_amount("", blank_is_zero=True) == 0


def test_is_amount():
    assert is_amount("(2,543)") and is_amount("") and not is_amount("Revenue")


# A tag fits when it names the figures' currency; `$` fits any dollar (Babel's symbol holds a `$`).
CURRENCY_TAG_CASES = [
    ("$4,421", "CAD", Decimal(4421)), ("C$4,421", "CAD", Decimal(4421)), ("4,421 CAD", "CAD", Decimal(4421)),
    ("($407)", "CAD", Decimal(-407)), ("US$5", "USD", Decimal(5)), ("$5", "USD", Decimal(5)),
    ("$5", "AUD", Decimal(5)), ("€5", "EUR", Decimal(5)), ("EUR 5", "EUR", Decimal(5)), ("5", "EUR", Decimal(5)),
    ("\\$10,186", "CAD", Decimal(10186)), ("£3", "GBP", Decimal(3)), ("—", "CAD", Decimal(0)),
]


@pytest.mark.parametrize(("text", "currency", "expected"), CURRENCY_TAG_CASES)
def test_a_tag_of_the_figures_currency_is_read(text, currency, expected):
    assert parse_amount(text, currency=currency) == expected


@pytest.mark.parametrize(("text", "currency", "tag"), [
    ("EUR4,421", "CAD", "EUR"), ("€4,421", "CAD", "€"), ("US$4,421", "CAD", "US$"), ("USD 5", "CAD", "USD"),
    ("C$5", "USD", "C$"), ("£5", "CAD", "£"), ("$5", "EUR", "$"), ("(EUR 407)", "CAD", "EUR"),
    ("¥5", "EUR", "¥"),
])
def test_a_tag_of_another_currency_is_refused(text, currency, tag):
    with pytest.raises(NotationError, match=f"marked {re.escape(tag.upper())}.*in {currency}"):
        parse_amount(text, currency=currency)


@pytest.mark.parametrize("text", ["(-4,421)", "(+4,421)", "(−4,421)", "($-407)", "((4,421))", "($(407))",
                                  "\\$(-407)"])
def test_a_sign_inside_parentheses_is_refused(text):
    """`(-4,421)` was read as +4,421: no reader can say which sign was meant."""
    with pytest.raises(NotationError, match="which sign"):
        parse_amount(text)
