"""The formatting filters: documented from one source, examples true, mistakes one line."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import jinja2
import pytest

from reporter.context.figures import Formatter
from reporter.theme.filters import EXAMPLE_REPORT, FILTERS, FilterError, filters_markdown, make_filters
from helpers import REPO

FILTERS_PAGE = REPO / "docs" / "reference" / "filters.md"


def render(expression: str, **report) -> str:
    env = jinja2.Environment(undefined=jinja2.StrictUndefined)
    env.filters.update(make_filters(Formatter(**{**EXAMPLE_REPORT, **report})))
    period = {"end": dt.date(2011, 6, 30)}
    return env.from_string(expression).render(report={"period": period})


@pytest.mark.parametrize("expression,expected",
                         [example for doc in FILTERS for example in doc.examples])
def test_every_documented_example_prints_what_the_docs_say(expression, expected):
    assert render(expression) == expected


def test_documented_filters_are_the_registered_filters():
    registered = Formatter(locale="en_CA", currency="CAD", places=0, scale=1000).filters()
    assert sorted(registered) == sorted(doc.name for doc in FILTERS)
    for doc in FILTERS:
        assert doc.usage.split("|")[1].strip().startswith(doc.name)


def test_the_docs_carry_the_generated_filter_docs():
    assert filters_markdown() in FILTERS_PAGE.read_text(encoding="utf-8")


def test_templates_context_prints_every_filter_and_example(cli):
    result = cli("templates", "context")
    assert result.exit_code == 0, result.output
    for doc in FILTERS:
        assert doc.usage in result.output
        for example, output in doc.examples:
            assert f"{example}  ->  {output}" in result.output


@pytest.mark.parametrize("scale,value,expected", [
    (1_000_000, "412.6", "$412.6 million"),   # a report already in millions
    (1_000, "412.6", "$0.4 million"),
    (1, "4421000", "$4.4 million"),
    (1_000, "-1074", "($1.1 million)"),
])
def test_millions_knows_the_report_scale(scale, value, expected):
    assert render("{{ v | millions }}".replace("v", repr(value)), scale=scale) == expected


@pytest.mark.parametrize("expression,expected", [
    ("{{ 4421 | amount }}", "4,421"),
    ("{{ 4421 | amount(places=1) }}", "4,421.0"),
    ("{{ -0.5 | amount(places=0) }}", "(1)"),  # half up, away from zero, as published tables round
    ("{{ 0.05 | percent }}", "5%"),
    ("{{ -0.05 | percent }}", "-5%"),
    ("{{ '2011-09-30' | date('full') }}", "Friday, September 30, 2011"),
])
def test_filter_cases(expression, expected):
    assert render(expression) == expected


def test_filters_follow_the_report_locale():
    assert render("{{ '2011-06-30' | date }}", locale="fr_CA") == "30 juin 2011"
    assert render("{{ 4421 | amount }}", locale="fr_CA") == "4\u00a0421"


@pytest.mark.parametrize("expression,message", [
    ("{{ 4421 | amount(place=2) }}", "filter amount: got an unexpected keyword argument 'place'"),
    ("{{ 'abc' | amount }}", "filter amount: 'abc' is not a number"),
    ("{{ None | millions }}", "filter millions: None is not a number"),
    ("{{ 10 | change }}", "filter change: missing a required argument: 'prior'"),
    ("{{ 0.2 | percent(places=9) }}", "filter percent: places must be a whole number from 0 to 6"),
    ("{{ 'June' | date }}", "filter date: 'June' is not a date"),
    ("{{ 4421 | amount(2) }}", "filter amount: currency must be true or false, got 2 (for places write amount(places=2))"),
    ("{{ '2011-06-30' | date(3) }}", "filter date: format must be one of short, medium, long, full"),
])
def test_filter_mistakes_say_which_filter_and_how(expression, message):
    with pytest.raises(FilterError, match=re.escape(message)):
        render(expression)


def test_filter_mistake_in_a_template_is_one_line_with_file_and_line(cli, tmp_path):
    theme = tmp_path / "mine"
    theme.mkdir()
    (theme / "theme.yaml").write_text("name: mine\nextends: investor-summary\n")
    (theme / "report.html").write_text(
        '{% extends "builtin:investor-summary/report.html" %}\n'
        "{% block headline %}\n"
        "{{ key_figures[0].current.value | amount(place=2) }}\n"
        "{% endblock %}\n")
    result = cli("build", "--theme", theme, "-o", tmp_path / "out")
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"template error: {theme / 'report.html'}:3: filter amount: ")
    assert "usage: {{ value | amount(currency=False, places=None) }}" in lines[0]
    assert not (tmp_path / "out").exists()


def test_formatter_keeps_decimals_exact():
    filters = Formatter(locale="en_CA", currency="CAD", places=0, scale=1000).filters()
    assert filters["amount"](Decimal("1415.5")) == "1,416"


def french_formatter() -> Formatter:
    from reporter.inputs.language import load_language

    return Formatter(locale="fr_CA", currency="CAD", places=0, scale=1000, language=load_language("fr_CA"))


@pytest.mark.parametrize("expression,expected,context_says", [
    ("{{ 4421 | millions }}", "4,4 millions $", lambda fmt: fmt.millions(Decimal(4_421_000))),
    ("{{ -407 | millions }}", "(0,4 million $)", lambda fmt: fmt.millions(Decimal(-407_000))),
    ("{{ -1074 | amount(currency=True) }}", "(1 074) $", lambda fmt: fmt.amount(Decimal(-1074), currency=True)),
    ("{{ 4421 | amount(currency=True, places=1) }}", "4 421,0 $",
     lambda fmt: fmt.amount(Decimal(4421), currency=True, places=1)),
    ("{{ 500 | change(-200) }}", "n.s.", lambda fmt: fmt.change(Decimal(500), Decimal(-200))),
])
def test_filters_in_french_follow_the_languages_rules_as_the_context_does(expression, expected, context_says):
    fmt = french_formatter()
    env = jinja2.Environment(undefined=jinja2.StrictUndefined)
    env.filters.update(fmt.filters())
    printed = env.from_string(expression).render()
    assert printed == context_says(fmt)  # one formatter: the theme's filter prints what the context prints
    assert printed.replace("\u00a0", " ").replace("\u202f", " ") == expected
