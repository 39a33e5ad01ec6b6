"""What `reporter validate` finds in a report folder, as objects: tie-outs, changes, commentary, placeholders.

Takes a `LoadedReport` (reporter.data.report.load_report); `validate_report` runs every check of
`check_report` without stopping at the first failure and gives a `Validation`. The CLI lays it out
(reporter.cli.validation) or, with `--json`, serialises it with `to_jsonable`, which walks any
dataclass field by field and property by property: a finding added here (a new field, a new kind
of check) reaches the JSON without touching the CLI.
"""

from __future__ import annotations

import dataclasses
import enum
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from reporter.data.factcheck import CheckStatus, Finding
from reporter.data.report import LoadedReport
from reporter.data.validate import TieOut, TieOutStatus
from reporter.inputs.commentary import Commentary
from reporter.inputs.language import Language


@dataclass(frozen=True)
class Placeholder:
    """A `TODO` left in a commentary: a final build refuses it."""

    file: Path
    line: int
    text: str


@dataclass(frozen=True)
class UncheckedTranslation:
    """A commentary whose amounts the check cannot read (its language has no reading words)."""

    file: Path
    reason: str


@dataclass(frozen=True)
class Validation:
    """Everything validate found; `ok` when nothing fails."""

    report: LoadedReport = field(metadata={"json": False})
    tie_outs: list[TieOut]
    findings: list[Finding]  # the default commentary's amounts
    # Other languages the check reads, with their own findings (in their words).
    translations: tuple[tuple[Language, Commentary, list[Finding]], ...] = field(metadata={"json": False})
    unchecked: tuple[Commentary, ...] = field(metadata={"json": False})
    placeholders: list[Placeholder]
    changes: list = field(default_factory=list)  # reporter.data.validate.ChangeCheck: published changes

    @property
    def subject(self) -> str:
        return self.report.settings.subject

    @property
    def period(self) -> str:
        return self.report.settings.calendar.label(self.report.settings.period)

    @property
    def figures_file(self) -> Path:
        return self.report.settings.file("figures")

    @property
    def commentary(self) -> list[Finding]:
        """Every amount checked or listed: the default commentary's, then each translation's."""
        return self.findings + [f for _, _, found in self.translations for f in found]

    @property
    def unchecked_translations(self) -> list[UncheckedTranslation]:
        return [UncheckedTranslation(c.path, "the commentary check does not read this language")
                for c in self.unchecked]

    @property
    def history(self) -> list:
        """What comparing with the earlier reports of `history:` found (reporter.data.history)."""
        return self.report.history

    @property
    def failed_tie_outs(self) -> list[TieOut]:
        return [t for t in self.tie_outs if t.status is TieOutStatus.FAILS]

    @property
    def failed(self) -> bool:
        from reporter.data.history import HistoryStatus

        return bool(self.failed_tie_outs or any(change.fails for change in self.changes)
                    or any(finding.status is HistoryStatus.FAILS for finding in self.history)
                    or any(f.status is CheckStatus.FAILS for f in self.commentary))

    @property
    def ok(self) -> bool:
        return not self.failed


def validate_report(report: LoadedReport) -> Validation:
    """Run every check of check_report and keep all the results, for `reporter validate`."""
    from reporter.data.draft import find_placeholders
    from reporter.data.factcheck import check_commentary
    from reporter.data.validate import change_checks, require_something_to_check
    require_something_to_check(report.statement, report.settings)
    commentaries = [report.commentary] + [c for c in (report.commentaries or {}).values()
                                          if c is not report.commentary]
    findings = check_commentary(report.commentary, report.figures, report.statement, report.settings)
    translations, unchecked = [], []
    for language in report.languages[1:]:
        commentary = (report.commentaries or {}).get(language.code)
        if commentary is None:
            continue
        if language.reads_commentary:
            translations.append((language, commentary, check_commentary(
                commentary, report.figures, report.statement, report.settings, language.code)))
        else:
            unchecked.append(commentary)
    placeholders = [Placeholder(c.path, line, text) for c in commentaries for line, text in find_placeholders(c)]
    return Validation(report, report.tie_outs, findings, tuple(translations), tuple(unchecked), placeholders,
                      change_checks(report.figures, report.statement, report.settings))


def to_jsonable(value: Any) -> Any:
    """Turn a validation (or any of its parts) into plain JSON values, losing no digit.

    Dataclasses become objects of their fields and of their properties (`difference`, `ok`);
    decimals become strings (exact, unlike floats); enums their value; paths and dates strings.

    >>> to_jsonable(Placeholder(Path("commentary.md"), 3, "TODO"))
    {'file': 'commentary.md', 'line': 3, 'text': 'TODO'}
    """
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        # A field marked json=False (the whole loaded report, say) is the objects' business, not CI's.
        data = {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)
                if f.metadata.get("json", True)}
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


def rounding_lines(report: LoadedReport) -> list[str]:
    """One line per subtotal that differs from its lines by rounding, for validate and every build.

    The preparer's note, not the investor's: the built-in themes print none (show.rounding_note).
    """
    figures = report.settings.file("figures")
    return [f"rounding: {figures}, row {difference.source_row}: {difference.describe()}"
            for difference in report.tie_outs if difference.status is TieOutStatus.ROUNDING]
