from decimal import Decimal

import pytest

from reporter.inputs.notation import NotationError, parse_amount

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
