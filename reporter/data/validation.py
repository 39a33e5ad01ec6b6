"""What `reporter validate` finds in a report folder, as objects: tie-outs, commentary, placeholders.

`validate_report` runs every check and returns a `Validation`; the CLI lays it out as a table or,
with `--json`, serialises it with `to_jsonable`, which walks any dataclass field by field: a
finding added here (a new field, a new kind of check) reaches the JSON without touching the CLI.
"""

from __future__ import annotations

import dataclasses
import enum
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from reporter.data.draft import find_placeholders
from reporter.data.factcheck import CheckStatus, Finding, check_commentary
from reporter.data.report import load_report
from reporter.data.validate import TieOut, TieOutStatus, require_something_to_check
from reporter.inputs.commentary import commentary_file


@dataclass(frozen=True)
class Placeholder:
    """A TODO left in the commentary: a build refuses it without --draft."""

    file: Path
    line: int
    text: str


@dataclass(frozen=True)
class UncheckedTranslation:
    """A translated commentary whose amounts the (English-reading) commentary check cannot read."""

    file: Path
    reason: str


@dataclass
class Validation:
    """Everything validate checked in one report folder, and what it found."""

    folder: Path
    subject: str
    period: str
    figures_file: Path
    commentary_file: Path
    tie_outs: list[TieOut] = field(default_factory=list)
    commentary: list[Finding] = field(default_factory=list)
    unchecked_translations: list[UncheckedTranslation] = field(default_factory=list)
    placeholders: list[Placeholder] = field(default_factory=list)

    @property
    def failed_tie_outs(self) -> list[TieOut]:
        return [t for t in self.tie_outs if t.status is TieOutStatus.FAILS]

    @property
    def failed_commentary(self) -> list[Finding]:
        return [f for f in self.commentary if f.status is CheckStatus.FAILS]

    @property
    def ok(self) -> bool:
        """True when nothing fails (placeholders do not fail validate; build refuses them)."""
        return not self.failed_tie_outs and not self.failed_commentary


def validate_report(folder: Path) -> Validation:
    """Check a report folder's subtotals, its commentary's amounts and its placeholders.

    >>> validation = validate_report(default_report_dir())  # doctest: +SKIP
    >>> validation.ok, len(validation.tie_outs)              # doctest: +SKIP
    (True, 8)

    A folder that cannot be read raises the ReporterError naming the file and place; a figure
    that disagrees is a finding (see `ok`), not an exception.
    """
    report = load_report(folder)
    settings = report.settings
    require_something_to_check(report.statement, settings)
    commentary = settings.file("commentary")
    # The check reads English (reporter/inputs/phrasebook.py): a translation's amounts are not
    # checked, and validate says so rather than pass them silently.
    unchecked = [UncheckedTranslation(commentary_file(commentary, language.code, False),
                                      f"the commentary check reads English only; check the amounts of "
                                      f"this translation against {commentary} by hand")
                 for language in report.languages[1:]]
    return Validation(
        folder=folder, subject=settings.subject, period=settings.calendar.label(settings.period),
        figures_file=settings.file("figures"), commentary_file=commentary,
        tie_outs=list(report.tie_outs),
        commentary=check_commentary(commentary, report.figures, report.statement, settings),
        unchecked_translations=unchecked,
        placeholders=[Placeholder(commentary, line, text) for line, text in find_placeholders(commentary)])


def to_jsonable(value: Any) -> Any:
    """Turn a validation (or any of its parts) into plain JSON values, losing no digit.

    Dataclasses become objects of their fields and of their properties (`difference`, `ok`);
    decimals become strings (exact, unlike floats); enums their value; paths and dates strings.

    >>> to_jsonable(Placeholder(Path("commentary.md"), 3, "TODO"))
    {'file': 'commentary.md', 'line': 3, 'text': 'TODO'}
    """
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        data = {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
        for name, attribute in vars(type(value)).items():
            if isinstance(attribute, property) and not name.startswith("_"):
                data[name] = to_jsonable(getattr(value, name))
        return data
    if isinstance(value, enum.Enum):
        return to_jsonable(value.value)
    if isinstance(value, Decimal):
        return f"{value:f}"
    if isinstance(value, (Path, date)):
        return str(value) if isinstance(value, Path) else value.isoformat()
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [to_jsonable(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)
