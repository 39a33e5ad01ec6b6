"""A margin theme.yaml leaves unnamed is named for the line it computes, in the document's language,
and a line whose name already says margin keeps it (never "Gross margin margin")."""

from __future__ import annotations

import pytest

from reporter.context.figures import Formatter
from reporter.context.margins import _margin_name
from reporter.inputs.language import load_language

FRENCH = {"%(line)s margin": "Marge\u00a0: %(line)s"}  # as the built-in catalog translates it


def formatter(lang: str) -> Formatter:
    translate = (lambda text: FRENCH.get(text, text)) if lang == "fr_CA" else str
    return Formatter(locale=lang, currency="CAD", language=load_language(lang), translate=translate)


@pytest.mark.parametrize("lang, line, name", [
    ("en_CA", "Income From Mining Operations", "income from mining operations margin"),
    ("en_CA", "EBITDA", "EBITDA margin"),
    ("en_CA", "Gross margin", "Gross margin"),
    ("en_CA", "Gross Margin", "Gross Margin"),
    ("en_CA", "Marginal mine profit", "marginal mine profit margin"),  # a word, not a prefix
    ("fr_CA", "Bénéfice d’exploitation minière", "Marge\u00a0: bénéfice d’exploitation minière"),
    ("fr_CA", "Marge brute", "Marge brute"),
])
def test_a_margin_is_named_for_its_line_once(lang, line, name):
    assert _margin_name(line, formatter(lang)) == name
