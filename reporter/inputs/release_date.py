"""The release date, read from the commentary's dateline, for the PDF's creation and modification dates.

A PDF's dates should say when the document was issued, not when it happened to be built: taken
from the release date, they also keep two builds of the same input byte-identical. The dateline
is free text ("October 3, 2011", "TORONTO, October 3, 2011", "3 octobre 2011", "2011-10-03"), so
the date is found in it; month names come from Babel's locale data, in English and the report's
locale. No date found means no dates are written (as before), never the build's clock.
"""

from __future__ import annotations

import datetime as dt
import re

from babel.dates import get_month_names

ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
# `reporter ingest` writes placeholders such as "TODO: release date, e.g. October 3, 2011": the
# example in a placeholder is not the release date.
PLACEHOLDER = "TODO"


def _month_numbers(locales: tuple[str, ...]) -> dict[str, int]:
    """Map each month name (wide and abbreviated, lower case, without a trailing dot) to its number."""
    names: dict[str, int] = {}
    for locale in locales:
        for width in ("wide", "abbreviated"):
            for number, name in get_month_names(width, locale=locale).items():
                names[name.lower().rstrip(".")] = number
    return names


def release_date(dateline: str | None, locale: str = "en") -> dt.date | None:
    """Return the date written in `dateline`, or None when it holds no valid date.

    >>> release_date("TORONTO, October 3, 2011")
    datetime.date(2011, 10, 3)
    """
    if not dateline or dateline.lstrip().startswith(PLACEHOLDER):
        return None
    if match := ISO_DATE.search(dateline):
        year, month, day = (int(part) for part in match.groups())
        return _valid(year, month, day)
    months = _month_numbers(tuple(dict.fromkeys(["en", locale.replace("-", "_")])))
    alternatives = "|".join(sorted((re.escape(name) for name in months), key=len, reverse=True))
    month_first = re.search(rf"\b({alternatives})\.?\s+(\d{{1,2}}),?\s+(\d{{4}})\b", dateline, re.I)
    if month_first:
        return _valid(int(month_first[3]), months[month_first[1].lower()], int(month_first[2]))
    day_first = re.search(rf"\b(\d{{1,2}})(?:er)?\s+({alternatives})\.?,?\s+(\d{{4}})\b", dateline, re.I)
    if day_first:
        return _valid(int(day_first[3]), months[day_first[2].lower()], int(day_first[1]))
    return None


def _valid(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None
