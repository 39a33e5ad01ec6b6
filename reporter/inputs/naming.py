"""What a document's file is called: company, subject, period, template and language, from report.yaml.

Takes the checked settings, the template's name and the language; gives the file's stem
(`almonty-los-santos-mine-q3-2011-investor-summary-fr-ca`). Here, below the context, so that the
context (`report.output_name`) and the plan (reporter.build.plan) name a file the same way.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Protocol

from reporter.errors import ReporterError

if TYPE_CHECKING:
    from reporter.inputs.language import Language
    from reporter.inputs.settings import ReportSettings

NAME_MAX_BYTES = 255  # the longest file name most file systems take


class Named(Protocol):
    """A template or theme, as far as naming a file goes."""

    @property
    def name(self) -> str: ...


def output_name(settings: ReportSettings, theme: Named, language: Language | None = None) -> str:
    """Name the output after company, subject, period, template and (when asked) the language,
    stably across builds: `...-investor-summary-fr-ca`."""
    label = settings.calendar.label(settings.period)
    subject = settings.subject if settings.subject != settings.company.name else None
    parts = [settings.company.short_name, subject, label, theme.name, language.tag if language else None]
    name = "-".join(dict.fromkeys(slug(part) for part in parts if part and slug(part)))
    longest = NAME_MAX_BYTES - len(".html")
    if len(name) > longest:  # a slug is ASCII: characters are bytes
        raise ReporterError(f"the output file name made of company.short_name, subject, the period and the "
                            f"template is {len(name)} characters long, more than {longest}; shorten subject "
                            f"or company.short_name", file=settings.folder / "report.yaml")
    return name


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
