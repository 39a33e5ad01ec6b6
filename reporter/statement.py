"""The statement definition: which lines, in what order, which are subtotals of which.

This is the business rule of a report, kept as data (`statement.yaml`) so that a second company's
statement needs no code. A subtotal's formula is written as the table reads, in the published
sign: `revenue - cost_of_sales`. A line that a formula subtracts is a cost: published as a
positive number, it lowers income. That gives the one sign convention of the normalised figures:

    signed value = published value x the line's sign (+1, or -1 for costs)

so every subtotal is the plain sum of the signed values of its lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from reporter.errors import StatementError
from reporter.yamlfile import read_yaml

_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_TERM = re.compile(r"\s*([+-])?\s*([A-Za-z_][A-Za-z0-9_]*)\s*")


@dataclass(frozen=True)
class Line:
    """One row of the statement."""

    id: str
    label: str
    sign: int  # +1 income, -1 cost (published positive, subtracted by a formula)
    terms: tuple[tuple[int, str], ...] = ()  # (coefficient, line id) in published terms

    @property
    def is_subtotal(self) -> bool:
        return bool(self.terms)

    @property
    def formula(self) -> str:
        """Write the formula back as the table reads: `revenue - cost_of_sales`."""
        parts = []
        for index, (coefficient, line_id) in enumerate(self.terms):
            if index == 0:
                parts.append(line_id if coefficient > 0 else f"-{line_id}")
            else:
                parts.append(f"{'+' if coefficient > 0 else '-'} {line_id}")
        return " ".join(parts)


@dataclass(frozen=True)
class Statement:
    """The ordered lines of one statement, with its title."""

    title: str
    lines: tuple[Line, ...]

    def line(self, line_id: str) -> Line:
        for line in self.lines:
            if line.id == line_id:
                return line
        raise KeyError(line_id)

    @property
    def ids(self) -> list[str]:
        return [line.id for line in self.lines]

    @property
    def subtotals(self) -> list[Line]:
        return [line for line in self.lines if line.is_subtotal]


def parse_formula(text: str) -> tuple[tuple[int, str], ...]:
    """Split `a - b + c` into ((1, 'a'), (-1, 'b'), (1, 'c')); raise ValueError when malformed."""
    terms, position = [], 0
    text = str(text).strip()
    while position < len(text):
        match = _TERM.match(text, position)
        if not match or match.end() == position:
            raise ValueError(f"cannot read formula {text!r} at {text[position:]!r}")
        operator, name = match.groups()
        if operator is None and terms:
            raise ValueError(f"missing + or - before {name!r} in formula {text!r}")
        terms.append((-1 if operator == "-" else 1, name))
        position = match.end()
    if len(terms) < 2:
        raise ValueError(f"a subtotal needs at least two lines, got {text!r}")
    return tuple(terms)


def load_statement(path: Path) -> Statement:
    """Read and check `statement.yaml`: unique ids, formulas over earlier lines, consistent signs."""
    data = read_yaml(path, error=StatementError)
    raw_lines = data.get("lines")
    if not isinstance(raw_lines, list) or not raw_lines:
        raise StatementError("no `lines:` list of line items", file=path)

    seen: dict[str, dict] = {}
    formulas: dict[str, tuple[tuple[int, str], ...]] = {}
    for number, raw in enumerate(raw_lines, start=1):
        where = f"line item {number}"
        if not isinstance(raw, dict) or "id" not in raw or "label" not in raw:
            raise StatementError(f"{where} needs an `id` and a `label`", file=path)
        line_id = str(raw["id"])
        if not _ID.match(line_id):
            raise StatementError(f"{where}: id {line_id!r} must be lower_snake_case", file=path)
        if line_id in seen:
            raise StatementError(f"line id {line_id!r} appears twice", file=path)
        unknown_keys = set(raw) - {"id", "label", "formula", "sign"}
        if unknown_keys:
            raise StatementError(f"line {line_id!r}: unknown key(s) {', '.join(sorted(unknown_keys))}",
                                 file=path)
        if "formula" in raw:
            try:
                terms = parse_formula(raw["formula"])
            except ValueError as exc:
                raise StatementError(f"line {line_id!r}: {exc}", file=path) from None
            for _, term_id in terms:
                if term_id not in seen:
                    raise StatementError(
                        f"line {line_id!r}: formula uses {term_id!r}, which is not a line above it",
                        file=path)
            formulas[line_id] = terms
        seen[line_id] = raw

    signs = _signs_from_formulas(seen, formulas, path)
    lines = tuple(
        Line(id=line_id, label=str(raw["label"]), sign=signs[line_id], terms=formulas.get(line_id, ()))
        for line_id, raw in seen.items()
    )
    return Statement(title=str(data.get("title", "Summary Financial Information")), lines=lines)


def _signs_from_formulas(raw_lines: dict[str, dict], formulas: dict, path: Path) -> dict[str, int]:
    """Give each line its sign: -1 where a formula subtracts it, else +1 (or an explicit `sign`)."""
    signs: dict[str, int] = {}
    for owner, terms in formulas.items():
        for coefficient, line_id in terms:
            # A subtotal's own sign is relative to the lines it sums: subtracting a subtotal
            # that is itself income would make its components costs, which no table means.
            if line_id in signs and signs[line_id] != coefficient:
                raise StatementError(
                    f"line {line_id!r} is added in one formula and subtracted in another "
                    f"(see {owner!r}); give the line one sign", file=path)
            signs[line_id] = coefficient
    for line_id, raw in raw_lines.items():
        if "sign" in raw:
            explicit = {"income": 1, "cost": -1, 1: 1, -1: -1}.get(raw["sign"])
            if explicit is None:
                raise StatementError(f"line {line_id!r}: sign must be income or cost", file=path)
            if line_id in signs and signs[line_id] != explicit:
                raise StatementError(f"line {line_id!r}: sign contradicts its use in a formula",
                                     file=path)
            signs[line_id] = explicit
        signs.setdefault(line_id, 1)
    return signs
