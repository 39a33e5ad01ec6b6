"""The language a document is written in: how it names periods and dates and writes figures.

English is the source language: its words live in the code (`periods.py`, `formatting.py`) and
in the templates, which are written in English. Every other language is a data file in
`reporter/inputs/languages/<code>.yaml` (French: `fr.yaml`) with its rules: period headings, date
patterns (Babel CLDR), number patterns, notes and the grammar of generated sentences. Template
strings are translated separately, by the themes' gettext catalogs (`reporter.theme.catalogs`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.dates import format_date

from reporter.errors import DataError
from reporter.inputs.periods import FiscalCalendar, Period
from reporter.inputs.yamlfile import read_yaml

SOURCE_LANGUAGE = "en"
RULES_DIR = Path(__file__).resolve().parent / "languages"


@dataclass(frozen=True)
class Language:
    """One language of a report: a Babel locale tag (`fr_CA`) and, unless English, its rules."""

    tag: str
    rules: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def code(self) -> str:
        """The language without the region: `fr` for `fr_CA` (file suffixes, statement labels)."""
        return self.tag.split("_")[0]

    @property
    def html_lang(self) -> str:
        """The BCP 47 tag of HTML and PDF metadata: `fr-CA`."""
        return self.tag.replace("_", "-")

    @property
    def is_source(self) -> bool:
        """Say whether this is the language the templates and code are written in."""
        return self.code == SOURCE_LANGUAGE

    def rule(self, *keys: str) -> Any:
        """Return one rule, e.g. `rule("numbers", "nil")`."""
        value: Any = self.rules
        for key in keys:
            value = value[key]
        return value

    # --- dates and periods -----------------------------------------------------------------

    def date(self, day: dt.date) -> str:
        """Write a date in full: `June 30, 2011`, `30 juin 2011`, `1er octobre 2011`."""
        if self.is_source:
            return f"{day:%B} {day.day}, {day.year}"
        return self._first_day(format_date(day, self.rule("dates", "long"), locale=self.tag), day)

    def day_month(self, day: dt.date) -> str:
        return self._first_day(format_date(day, self.rule("dates", "day_month"), locale=self.tag), day)

    def _first_day(self, text: str, day: dt.date) -> str:
        first = self.rules.get("dates", {}).get("first_day")
        return first + text[1:] if first and day.day == 1 and text.startswith("1") else text

    def _span(self, period: Period) -> dict[str, str]:
        spans = self.rule("periods", "spans")
        return spans.get(period.months) or spans["other"]

    def _period_words(self, period: Period) -> dict[str, str]:
        words = self.rule("periods", "months_words").get(period.months, str(period.months))
        return {"months": words, "Months": words[:1].upper() + words[1:], "date": self.date(period.end),
                "day_month": self.day_month(period.end), "year": str(period.end.year)}

    def heading(self, period: Period) -> str:
        """Name a group of columns: `Three Months Ended June 30,`, `Trois mois terminés les 30 juin`."""
        if self.is_source:
            return period.heading()
        return self._span(period)["heading"].format(**self._period_words(period))

    def phrase(self, period: Period) -> str:
        """Name a period in running text: `the three months ended June 30, 2011`."""
        if self.is_source:
            return period.phrase()
        return self._span(period)["phrase"].format(**self._period_words(period))

    def label(self, calendar: FiscalCalendar, period: Period) -> str:
        """Name a period shortly: `Q3 2011`, `T3 2011`; `9M 2011`, `9 mois 2011`."""
        if self.is_source:
            return calendar.label(period)
        labels = self.rule("periods", "labels")
        year, into = calendar.fiscal_year(period.end), calendar.months_into_year(period.end)
        values = {"year": year, "months": period.months, "quarter": into // 3,
                  "day_month": self.day_month(period.end)}
        if period.months == 12 and into == 12:
            return labels["year"].format(**values)
        if period.months == 3 and into % 3 == 0:
            return labels["quarter"].format(**values)
        if period.months == into:
            return labels["year_to_date"].format(**values)
        return labels["other"].format(**{**values, "year": period.end.year})

    def marked_label(self, calendar: FiscalCalendar, period: Period) -> str:
        """Name a period shortly with its restated mark wherever it is named: `FY 2011 (restated)`."""
        label = self.label(calendar, period)
        if not period.restated:
            return label
        return f"{label} (restated)" if self.is_source else self.rule("periods", "restated").format(year=label)

    def year_heading(self, period: Period) -> str:
        """Head a column with its year: `2011`, `2010 (restated)`, `2010 (retraité)`."""
        year = str(period.end.year)
        if not period.restated:
            return year
        return f"{year} (restated)" if self.is_source else self.rule("periods", "restated").format(year=year)


@lru_cache(maxsize=None)
def _rules(code: str) -> dict[str, Any]:
    path = RULES_DIR / f"{code}.yaml"
    if not path.is_file():
        known = sorted([SOURCE_LANGUAGE] + [p.stem for p in RULES_DIR.glob("*.yaml")])
        raise DataError(f"reporter has no rules for the language {code!r}; it knows {', '.join(known)} "
                        f"(add reporter/inputs/languages/{code}.yaml)")
    return read_yaml(path)


def load_language(tag: str, *, settings_file: Path | None = None) -> Language:
    """Check a language tag (`en_CA`, `fr_CA`) against Babel and load its rules."""
    try:
        Locale.parse(tag)
    except (UnknownLocaleError, ValueError, TypeError):
        raise DataError(f"unknown language {tag!r} in `languages` (use a locale such as en_CA or fr_CA)",
                        file=settings_file) from None
    code = tag.split("_")[0]
    if code == SOURCE_LANGUAGE:
        return Language(tag)
    try:
        return Language(tag, _rules(code))
    except DataError as error:
        raise DataError(error.message, file=settings_file) from None
