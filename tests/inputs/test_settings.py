"""report.yaml: the Los Santos settings read and typed, and every mistake a DataError naming the file."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from reporter.errors import DataError
from reporter.inputs.periods import FiscalCalendar, Period
from reporter.inputs.settings import Company, load_settings
from helpers import REPO


@pytest.fixture(scope="module")
def settings(example_dir):
    return load_settings(example_dir)


# (attribute path, expected)
LOS_SANTOS_SETTINGS = [
    ("company.name", "Almonty Industries Inc."),
    ("company.short_name", "Almonty"),
    ("company.exchange", "TSXV"),
    ("company.ticker", "AII"),
    ("company.listing", "TSXV: AII"),
    ("subject", "Los Santos Mine"),
    ("calendar", FiscalCalendar(9, 30)),
    ("period", Period(dt.date(2011, 6, 30), 3)),
    ("currency", "CAD"),
    ("source_currency", "CAD"),
    ("figures_currency", None),
    ("scale_name", "thousands"),
    ("scale", 1000),
    ("locale", "en_CA"),
    ("fx_source", "Bank of Canada"),
    ("legend", "NOT FOR DISTRIBUTION TO U.S. NEWSWIRE SERVICES OR DISSEMINATION IN THE UNITED STATES"),
    ("key_figures", ("revenue", "income_from_mining_operations", "net_income_before_tax_and_one_time_items")),
    ("tie_out_tolerance", Decimal(1)),
    ("narrative", True),
]


def _get(obj, dotted: str):
    for part in dotted.split("."):
        obj = getattr(obj, part)
    return obj


@pytest.mark.parametrize(("attribute", "expected"), LOS_SANTOS_SETTINGS, ids=[c[0] for c in LOS_SANTOS_SETTINGS])
def test_los_santos_setting(settings, attribute, expected):
    assert _get(settings, attribute) == expected


def test_los_santos_files_and_logo(settings, example_dir):
    assert settings.folder == example_dir
    assert settings.company.logo == example_dir / "assets" / "almonty-wordmark.svg"
    assert settings.file("figures") == example_dir / "figures.csv"
    assert settings.file("settings") == example_dir / "report.yaml"
    assert settings.file("statement") == example_dir / "statement.yaml"
    assert settings.file("commentary") == example_dir / "commentary.md"


# (period end, months, rate as published)
LOS_SANTOS_RATES = [
    (dt.date(2011, 6, 30), 3, "1.3934"),
    (dt.date(2010, 6, 30), 3, "1.3073"),
    (dt.date(2011, 6, 30), 9, "1.3729"),
    (dt.date(2010, 6, 30), 9, "1.436078"),
]


def test_fx_rates_in_order(settings):
    assert [(fx.period.end, fx.period.months) for fx in settings.fx_rates] == [
        (end, months) for end, months, _ in LOS_SANTOS_RATES]


@pytest.mark.parametrize(("index", "end", "months", "rate"), [(i, *c) for i, c in enumerate(LOS_SANTOS_RATES)],
                         ids=[c[2] for c in LOS_SANTOS_RATES])
def test_fx_rate_is_a_decimal_with_published_precision(settings, index, end, months, rate):
    fx = settings.fx_rates[index]
    assert (fx.base, fx.quote) == ("EUR", "CAD")
    assert fx.period == Period(end, months)
    assert isinstance(fx.rate, Decimal)
    assert str(fx.rate) == rate
    assert fx.rate.as_tuple().exponent == -len(rate.split(".")[1])


# (exchange, ticker, listing)
LISTINGS = [("TSXV", "AII", "TSXV: AII"), (None, "AII", "AII"), ("TSXV", None, None), (None, None, None)]


@pytest.mark.parametrize(("exchange", "ticker", "listing"), LISTINGS)
def test_company_listing(exchange, ticker, listing):
    assert Company(name="Almonty Industries Inc.", short_name="Almonty", exchange=exchange,
                   ticker=ticker).listing == listing


# --------------------------------------------------------------------------------------------
# Changes that are fine
# --------------------------------------------------------------------------------------------

def edit(folder: Path, old: str, new: str) -> None:
    path = folder / "report.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in report.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


COMPANY_BLOCK = ("company:\n  name: Almonty Industries Inc.\n  short_name: Almonty\n  exchange: TSXV\n"
                 "  ticker: AII\n  logo: assets/almonty-wordmark.svg\n")
REPORTING_BLOCK = (
    "reporting:\n"
    "  currency: CAD        # ISO 4217 code of the figures as published\n"
    "  scale: thousands     # units | thousands | millions: what one unit in figures.csv stands for\n"
    "  locale: en_CA        # digits, separators and currency symbols (Babel)\n")

# (id, old, new, attribute, expected)
GOOD_CHANGES = [
    ("short-name-defaults-to-name", "  short_name: Almonty\n", "", "company.short_name", "Almonty Industries Inc."),
    ("subject-defaults-to-name", "subject: {en: Los Santos Mine, fr: Mine Los Santos}\n", "", "subject", "Almonty Industries Inc."),
    ("scale-units", "scale: thousands", "scale: units", "scale", 1),
    ("scale-millions", "scale: thousands", "scale: millions", "scale", 1_000_000),
    ("locale-de", "locale: en_CA", "locale: de_DE", "locale", "de_DE"),
    ("lowercase-currency", "currency: CAD", "currency: cad", "currency", "CAD"),
    ("fiscal-year-end-default", 'fiscal_year_end: "09-30"\n', "", "calendar", FiscalCalendar(12, 31)),
    ("fiscal-year-end-12-31", 'fiscal_year_end: "09-30"', 'fiscal_year_end: "12-31"', "calendar", FiscalCalendar(12, 31)),
    ("tolerance-decimal", "tie_out_tolerance: 1", "tie_out_tolerance: 0.5", "tie_out_tolerance", Decimal("0.5")),
    # Without the setting, validate uses one unit of the last printed digit (see test_tie_out_rule).
    ("tolerance-default", "tie_out_tolerance: 1\n", "", "tie_out_tolerance", None),
    ("narrative-off", "narrative: true", "narrative: false", "narrative", False),
    ("figures-currency", "# figures_currency: EUR", "figures_currency: eur", "source_currency", "EUR"),
    ("rate-as-yaml-float", 'rate: "1.436078"', "rate: 1.436078", "fx_rates", None),
    ("no-fx-rates", "fx_rates:\n", "fx_rates: []\n", "fx_rates", ()),
    ("period-nine-months", "  months: 3\n", "  months: 9\n", "period", Period(dt.date(2011, 6, 30), 9)),
    ("period-end-quoted", "  end: 2011-06-30\n", '  end: "2011-06-30"\n', "period", Period(dt.date(2011, 6, 30), 3)),
]


@pytest.mark.parametrize(("case", "old", "new", "attribute", "expected"), GOOD_CHANGES, ids=[c[0] for c in GOOD_CHANGES])
def test_settings_change(report_dir, case, old, new, attribute, expected):
    edit(report_dir, old, new)
    if case == "no-fx-rates":  # unknown keys are refused, so the rates go, not renamed
        path = report_dir / "report.yaml"
        path.write_text("".join(line for line in path.read_text().splitlines(True) if "{base:" not in line))
    settings = load_settings(report_dir)
    if case == "rate-as-yaml-float":
        assert settings.fx_rates[3].rate == Decimal("1.436078")
    else:
        assert _get(settings, attribute) == expected


def test_no_logo(report_dir):
    edit(report_dir, "  logo: assets/almonty-wordmark.svg\n", "")
    assert load_settings(report_dir).company.logo is None


# --------------------------------------------------------------------------------------------
# Mistakes: a DataError that names report.yaml
# --------------------------------------------------------------------------------------------

# (id, old, new, what the message says)
BAD_SETTINGS = [
    ("missing-company", COMPANY_BLOCK, "", "missing setting `company`"),
    ("company-not-a-mapping", COMPANY_BLOCK, "company: Almonty\n", "`company` must be a mapping"),
    ("company-without-name", "  name: Almonty Industries Inc.\n", "", "missing setting `name`"),
    ("company-empty-name", "  name: Almonty Industries Inc.\n", '  name: ""\n', "missing setting `name`"),
    ("missing-reporting", REPORTING_BLOCK, "", "missing setting `reporting`"),
    ("missing-currency", "  currency: CAD ", "  # currency: CAD ", "missing setting `currency`"),
    ("unknown-currency", "currency: CAD", "currency: XYZ", "unknown currency code 'XYZ'"),
    ("bad-scale-word", "scale: thousands", "scale: thousand", "scale must be one of units, thousands, millions, got 'thousand'"),
    ("bad-scale-number", "scale: thousands", "scale: 1000", "scale must be one of units, thousands, millions, got '1000'"),
    ("bad-locale", "locale: en_CA", "locale: xx_YY", "unknown locale 'xx_YY'"),
    ("bad-locale-dash", "locale: en_CA", "locale: en-CA", "unknown locale 'en-CA'"),
    ("bad-locale-word", "locale: en_CA", "locale: english", "unknown locale 'english'"),
    ("fiscal-year-end-month-13", 'fiscal_year_end: "09-30"', 'fiscal_year_end: "13-30"', "fiscal_year_end must be MM-DD, got '13-30'"),
    ("fiscal-year-end-day-31", 'fiscal_year_end: "09-30"', 'fiscal_year_end: "09-31"', "fiscal_year_end must be MM-DD, got '09-31'"),
    ("fiscal-year-end-word", 'fiscal_year_end: "09-30"', "fiscal_year_end: September", "fiscal_year_end must be MM-DD"),
    ("fiscal-year-end-no-dash", 'fiscal_year_end: "09-30"', 'fiscal_year_end: "0930"', "fiscal_year_end must be MM-DD"),
    ("missing-period", "period:\n  end: 2011-06-30\n  months: 3\n", "", "missing setting `period`"),
    ("period-months-zero", "  months: 3\n", "  months: 0\n", "months must be a whole number from 1 to 12, got 0"),
    ("period-months-13", "  months: 3\n", "  months: 13\n", "months must be a whole number from 1 to 12, got 13"),
    ("period-months-word", "  months: 3\n", "  months: three\n", "months must be a whole number from 1 to 12"),
    ("period-end-not-a-date", "  end: 2011-06-30\n", "  end: June 2011\n", "period: 'June 2011' is not a date"),
    ("period-end-impossible-quoted", "  end: 2011-06-30\n", '  end: "2011-06-31"\n', "is not a date (YYYY-MM-DD)"),
    ("fx-rate-word", 'rate: "1.3934"', 'rate: "abc"', "fx_rates item 1: rate: 'abc' is not a positive number"),
    ("fx-rate-comma", 'rate: "1.436078"', 'rate: "1,436078"', "fx_rates item 4: rate: '1,436078' is not a positive number"),
    ("fx-rate-empty", 'rate: "1.3073"', 'rate: ""', "missing setting `rate`"),
    ("fx-rate-zero", 'rate: "1.3934"', "rate: 0", "fx_rates item 1: rate: 0 is not a positive number"),
    ("fx-rate-negative", 'rate: "1.3729"', 'rate: "-1.3729"', "fx_rates item 3: rate: '-1.3729' is not a positive number"),
    ("fx-rate-missing", 'rate: "1.3934"', 'ratio: "1.3934"', "did you mean `fx_rates.rate`"),
    ("fx-unknown-currency", "{base: EUR, quote: CAD, period_end: 2011-06-30, months: 3",
     "{base: EUX, quote: CAD, period_end: 2011-06-30, months: 3", "unknown currency code 'EUX'"),
    ("fx-rate-not-a-mapping", "  - {base: EUR, quote: CAD, period_end: 2011-06-30, months: 3, rate: \"1.3934\"}",
     "  - 1.3934", "fx_rates item 1: expected base, quote, period_end, months, rate"),
    ("figures-currency-unknown", "# figures_currency: EUR", "figures_currency: EUX", "unknown currency code 'EUX'"),
    ("tolerance-not-a-number", "tie_out_tolerance: 1", "tie_out_tolerance: one", "tie_out_tolerance: 'one' is not a non-negative number"),
    ("invalid-yaml", "  currency: CAD", "  currency: [CAD", "invalid YAML"),
    ("top-level-list", None, "- company\n- reporting\n", "expected a mapping of settings at the top level"),
]


@pytest.mark.parametrize(("case", "old", "new", "says"), BAD_SETTINGS, ids=[c[0] for c in BAD_SETTINGS])
def test_bad_setting_is_a_data_error_naming_report_yaml(report_dir, case, old, new, says):
    if old is None:
        (report_dir / "report.yaml").write_text(new, encoding="utf-8")
    else:
        edit(report_dir, old, new)
    with pytest.raises(DataError) as info:
        load_settings(report_dir)
    message = str(info.value)
    assert message.startswith("data error: ")
    assert str(report_dir / "report.yaml") in message
    assert says in message, message


def test_missing_report_yaml(report_dir):
    (report_dir / "report.yaml").unlink()
    with pytest.raises(DataError) as info:
        load_settings(report_dir)
    assert str(info.value) == f"data error: {report_dir / 'report.yaml'}: file not found"


def test_invalid_yaml_names_the_line(report_dir):
    edit(report_dir, "  currency: CAD", "  currency: [CAD")
    with pytest.raises(DataError) as info:
        load_settings(report_dir)
    lines = (report_dir / "report.yaml").read_text().splitlines()
    assert info.value.line is not None
    assert 1 <= info.value.line <= len(lines)
    assert f"report.yaml:{info.value.line}: invalid YAML" in str(info.value)


# Mistakes that escape as Python exceptions (tracebacks) instead of one line naming report.yaml.
ESCAPING_SETTINGS = [
    ("fx-rate-nan", 'rate: "1.3934"', 'rate: "NaN"',
     "settings._fx_rate: Decimal('NaN') <= 0 raises decimal.InvalidOperation"),
    ("fx-rate-yaml-nan", 'rate: "1.3934"', "rate: .nan",
     "settings._fx_rate: Decimal('NaN') <= 0 raises decimal.InvalidOperation"),
    ("fx-rate-infinite", 'rate: "1.3934"', "rate: .inf",
     "settings._fx_rate accepts Decimal('Infinity') as a rate"),
    ("reporting-not-a-mapping", REPORTING_BLOCK, "reporting: CAD\n",
     "settings.load_settings calls reporting.get on a str: AttributeError"),
    ("period-not-a-mapping", "period:\n  end: 2011-06-30\n  months: 3\n", "period: 2011-06-30\n",
     "settings.load_settings calls period.get on a date: AttributeError"),
    ("period-end-impossible-date", "  end: 2011-06-30\n", "  end: 2011-06-31\n",
     "yamlfile.read_yaml catches only yaml.YAMLError; PyYAML's date constructor raises ValueError"),
    ("fx-period-end-impossible-date", "period_end: 2010-06-30, months: 9", "period_end: 2010-06-31, months: 9",
     "yamlfile.read_yaml catches only yaml.YAMLError; PyYAML's date constructor raises ValueError"),
]


@pytest.mark.parametrize(("case", "old", "new", "bug"), [
    pytest.param(*c) for c in ESCAPING_SETTINGS
], ids=[c[0] for c in ESCAPING_SETTINGS])
def test_setting_mistake_does_not_escape_as_a_traceback(report_dir, case, old, new, bug):
    edit(report_dir, old, new)
    with pytest.raises(DataError) as info:
        load_settings(report_dir)
    assert str(report_dir / "report.yaml") in str(info.value)
