"""Reporting periods and the fiscal calendar: keys, spans, headings, and the labels finance staff use."""

from __future__ import annotations

import datetime as dt

import pytest

from reporter.inputs.periods import FiscalCalendar, Period

D = dt.date

# (end, months, restated, key, start, heading, phrase)
PERIODS = [
    (D(2011, 6, 30), 3, False, "2011-06-30/3m", D(2011, 4, 1), "Three Months Ended June 30,",
     "the three months ended June 30, 2011"),
    (D(2011, 6, 30), 9, False, "2011-06-30/9m", D(2010, 10, 1), "Nine Months Ended June 30,",
     "the nine months ended June 30, 2011"),
    (D(2010, 6, 30), 3, True, "2010-06-30/3m/restated", D(2010, 4, 1), "Three Months Ended June 30,",
     "the three months ended June 30, 2010"),
    (D(2011, 9, 30), 12, False, "2011-09-30/12m", D(2010, 10, 1), "Year Ended September 30,",
     "the year ended September 30, 2011"),
    (D(2011, 12, 31), 12, False, "2011-12-31/12m", D(2011, 1, 1), "Year Ended December 31,",
     "the year ended December 31, 2011"),
    (D(2011, 3, 31), 6, False, "2011-03-31/6m", D(2010, 10, 1), "Six Months Ended March 31,",
     "the six months ended March 31, 2011"),
    (D(2011, 1, 31), 1, False, "2011-01-31/1m", D(2011, 1, 1), None, None),
    (D(2011, 2, 28), 3, False, "2011-02-28/3m", D(2010, 12, 1), "Three Months Ended February 28,",
     "the three months ended February 28, 2011"),
    (D(2012, 2, 29), 2, False, "2012-02-29/2m", D(2012, 1, 1), "2 Months Ended February 29,",
     "the 2 months ended February 29, 2012"),
    (D(2011, 11, 30), 5, False, "2011-11-30/5m", D(2011, 7, 1), "5 Months Ended November 30,",
     "the 5 months ended November 30, 2011"),
]


@pytest.mark.parametrize(("end", "months", "restated", "key", "start", "heading", "phrase"), PERIODS,
                         ids=[c[3] for c in PERIODS])
def test_period_names(end, months, restated, key, start, heading, phrase):
    period = Period(end, months, restated)
    assert period.key == key
    assert period.start == start
    if heading is not None:
        assert period.heading() == heading
        assert period.phrase() == phrase


def test_periods_sort_by_end_then_length_then_restated():
    periods = [Period(D(2011, 6, 30), 9), Period(D(2010, 6, 30), 3, True), Period(D(2011, 6, 30), 3),
               Period(D(2010, 6, 30), 3)]
    assert [p.key for p in sorted(periods)] == [
        "2010-06-30/3m", "2010-06-30/3m/restated", "2011-06-30/3m", "2011-06-30/9m"]


@pytest.mark.parametrize(("method", "expected"), [
    ("heading", "One Month Ended January 31,"),
    ("phrase", "the one month ended January 31, 2011"),
])
def test_one_month_period_is_singular(method, expected):
    assert getattr(Period(D(2011, 1, 31), 1), method)() == expected


# --------------------------------------------------------------------------------------------
# FiscalCalendar.parse
# --------------------------------------------------------------------------------------------

GOOD_YEAR_ENDS = [("09-30", (9, 30)), ("12-31", (12, 31)), ("9-30", (9, 30)), (" 06-30 ", (6, 30)),
                  ("02-28", (2, 28)), ("01-31", (1, 31))]


@pytest.mark.parametrize(("text", "parts"), GOOD_YEAR_ENDS, ids=[c[0].strip() for c in GOOD_YEAR_ENDS])
def test_fiscal_calendar_parse(text, parts):
    calendar = FiscalCalendar.parse(text)
    assert (calendar.month, calendar.day) == parts


BAD_YEAR_ENDS = ["0930", "09/30", "13-01", "00-10", "09-31", "02-30", "09-00", "ab-cd", "09-30-01",
                 "-30", "", "September", "None"]


@pytest.mark.parametrize("text", BAD_YEAR_ENDS, ids=[t or "<empty>" for t in BAD_YEAR_ENDS])
def test_fiscal_calendar_parse_rejects_bad_values(text):
    with pytest.raises(ValueError):
        FiscalCalendar.parse(text)


# --------------------------------------------------------------------------------------------
# fiscal_year, label, is_year_to_date
# --------------------------------------------------------------------------------------------

SEPT = FiscalCalendar(9, 30)
DEC = FiscalCalendar(12, 31)
JAN = FiscalCalendar(1, 31)

# (calendar, day, fiscal year)
FISCAL_YEARS = [
    (SEPT, D(2011, 6, 30), 2011),
    (SEPT, D(2011, 9, 30), 2011),
    (SEPT, D(2011, 10, 1), 2012),
    (SEPT, D(2010, 12, 31), 2011),
    (SEPT, D(2011, 1, 1), 2011),
    (DEC, D(2011, 1, 1), 2011),
    (DEC, D(2011, 12, 31), 2011),
    (DEC, D(2011, 6, 30), 2011),
    (JAN, D(2011, 1, 31), 2011),
    (JAN, D(2011, 2, 1), 2012),
    (JAN, D(2011, 4, 30), 2012),
]


@pytest.mark.parametrize(("calendar", "day", "year"), FISCAL_YEARS,
                         ids=[f"{c.month:02}-{c.day:02}:{d}" for c, d, _ in FISCAL_YEARS])
def test_fiscal_year(calendar, day, year):
    assert calendar.fiscal_year(day) == year


# (calendar, end, months, label, is year to date)
LABELS = [
    # Fiscal year ending September 30 (Los Santos).
    (SEPT, D(2010, 12, 31), 3, "Q1 2011", True),
    (SEPT, D(2011, 3, 31), 3, "Q2 2011", False),
    (SEPT, D(2011, 6, 30), 3, "Q3 2011", False),
    (SEPT, D(2010, 6, 30), 3, "Q3 2010", False),
    (SEPT, D(2011, 9, 30), 3, "Q4 2011", False),
    (SEPT, D(2011, 12, 31), 3, "Q1 2012", True),
    (SEPT, D(2011, 3, 31), 6, "6M 2011", True),
    (SEPT, D(2011, 6, 30), 9, "9M 2011", True),
    (SEPT, D(2010, 6, 30), 9, "9M 2010", True),
    (SEPT, D(2011, 9, 30), 12, "FY 2011", True),
    (SEPT, D(2010, 10, 31), 1, "1M 2011", True),
    # Odd periods: not a quarter, not the year to date.
    (SEPT, D(2011, 6, 30), 12, "12M to Jun 2011", False),
    (SEPT, D(2011, 6, 30), 6, "6M to Jun 2011", False),
    (SEPT, D(2011, 5, 31), 3, "3M to May 2011", False),
    (SEPT, D(2011, 8, 31), 1, "1M to Aug 2011", False),
    # Calendar fiscal year.
    (DEC, D(2011, 3, 31), 3, "Q1 2011", True),
    (DEC, D(2011, 6, 30), 3, "Q2 2011", False),
    (DEC, D(2011, 9, 30), 3, "Q3 2011", False),
    (DEC, D(2011, 12, 31), 3, "Q4 2011", False),
    (DEC, D(2011, 6, 30), 6, "6M 2011", True),
    (DEC, D(2011, 9, 30), 9, "9M 2011", True),
    (DEC, D(2011, 12, 31), 12, "FY 2011", True),
    (DEC, D(2011, 6, 30), 12, "12M to Jun 2011", False),
    (DEC, D(2011, 6, 30), 9, "9M to Jun 2011", False),
    (DEC, D(2011, 2, 28), 2, "2M 2011", True),
    # Retail year ending January 31: named by the calendar year it ends in.
    (JAN, D(2011, 4, 30), 3, "Q1 2012", True),
    (JAN, D(2012, 1, 31), 12, "FY 2012", True),
]


@pytest.mark.parametrize(("calendar", "end", "months", "label", "ytd"), LABELS,
                         ids=[f"{c.month:02}-{c.day:02}:{e}/{m}m" for c, e, m, _, _ in LABELS])
def test_label_and_year_to_date(calendar, end, months, label, ytd):
    period = Period(end, months)
    assert calendar.label(period) == label
    assert calendar.is_year_to_date(period) is ytd


def test_restated_period_has_the_same_label():
    assert SEPT.label(Period(D(2010, 6, 30), 3, restated=True)) == "Q3 2010"


@pytest.mark.parametrize(("months", "label"), [(12, "FY 2012"), (3, "Q4 2012")])
def test_leap_day_ends_a_february_fiscal_year(months, label):
    calendar = FiscalCalendar.parse("02-28")
    period = Period(D(2012, 2, 29), months)
    assert calendar.label(period) == label
    assert calendar.fiscal_year(period.end) == 2012
