"""Reporting periods: what a column of the statement covers, and how readers name it."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

# How releases spell period lengths in column headings.
LENGTH_WORDS = {1: "One", 3: "Three", 6: "Six", 9: "Nine", 12: "Twelve"}


@dataclass(frozen=True, order=True)
class Period:
    """A span of `months` months ending on `end`, as one column of the statement."""

    end: dt.date
    months: int
    restated: bool = False

    @property
    def key(self) -> str:
        """Name the period uniquely and stably, e.g. `2011-06-30/3m`."""
        return f"{self.end.isoformat()}/{self.months}m" + ("/restated" if self.restated else "")

    @property
    def start(self) -> dt.date:
        """Return the first day of the period."""
        month_index = self.end.year * 12 + self.end.month - self.months  # month before start
        year, month = divmod(month_index, 12)
        return dt.date(year, month + 1, 1)

    def _span(self) -> str:
        if self.months == 12:
            return "Year"
        if self.months == 1:
            return "One Month"
        return f"{LENGTH_WORDS.get(self.months, str(self.months))} Months"

    def heading(self) -> str:
        """Name the span as a column heading does: `Three Months Ended June 30,`."""
        return f"{self._span()} Ended {self.end:%B} {self.end.day},"

    def phrase(self) -> str:
        """Name the period in running text: `the three months ended June 30, 2011`."""
        return f"the {self._span().lower()} ended {self.end:%B} {self.end.day}, {self.end.year}"


def year_before(day: dt.date) -> dt.date:
    """Return the same day a year earlier (February 28 for February 29)."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def comparative(period: Period, periods: list[Period]) -> Period | None:
    """Find the column an accountant compares with: a year earlier, the restated one when published."""
    earlier = [candidate for candidate in periods
               if candidate.months == period.months and candidate.end == year_before(period.end)]
    return next((p for p in earlier if p.restated), None) or next(iter(earlier), None)


@dataclass(frozen=True)
class FiscalCalendar:
    """A fiscal year that ends on `month`/`day` and is named after the calendar year it ends in."""

    month: int
    day: int

    @classmethod
    def parse(cls, text: str) -> "FiscalCalendar":
        """Read `MM-DD`, e.g. `09-30`."""
        month, day = (int(part) for part in str(text).split("-"))
        dt.date(2001, month, day)  # raises ValueError for 02-30 and the like
        return cls(month, day)

    def fiscal_year(self, day: dt.date) -> int:
        """Return the fiscal year a date falls in (named by the year it ends in).

        A year that ends on the last day of a month ends there in every year: "02-28" is
        February 29 in leap years.
        """
        if self.day == calendar.monthrange(2001, self.month)[1]:
            return day.year if day.month <= self.month else day.year + 1
        return day.year if (day.month, day.day) <= (self.month, self.day) else day.year + 1

    def months_into_year(self, end: dt.date) -> int:
        """Count whole months from the start of the fiscal year to the end of `end`'s month."""
        return (end.month - self.month - 1) % 12 + 1

    def label(self, period: Period) -> str:
        """Name a period the way finance staff do: `Q3 2011`, `9M 2011` (year to date), `FY 2011`."""
        year = self.fiscal_year(period.end)
        into = self.months_into_year(period.end)
        if period.months == 12 and into == 12:
            return f"FY {year}"
        if period.months == 3 and into % 3 == 0:
            return f"Q{into // 3} {year}"
        if period.months == into:
            return f"{period.months}M {year}"
        return f"{period.months}M to {period.end:%b} {period.end.year}"

    def is_year_to_date(self, period: Period) -> bool:
        """Say whether a period runs from the start of its fiscal year."""
        return period.months == self.months_into_year(period.end)
