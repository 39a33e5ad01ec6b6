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
from dataclasses import dataclass, replace
from pathlib import Path

from reporter.errors import StatementError
from reporter.inputs.yamlfile import read_yaml

SIGN_WORDS = {"income": 1, "cost": -1}

# What a line measures, read from its `unit` text: the first pattern that matches names the kind.
# Money at the table's scale is the default (no `unit`, or `unit: money`); a text no pattern
# matches is a physical quantity ("oz", "t", "'000 tonnes", "lb", "MTU").
UNIT_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("money", re.compile(r"^money$", re.I)),
    ("per_share", re.compile(r"\bper\s+share\b|/\s*share\b", re.I)),
    ("percent", re.compile(r"%|\bper\s*cent\b|\bpercent(?:age)?\b", re.I)),
    ("price", re.compile(r"/|\bper\b", re.I)),
    ("ratio", re.compile(r"^(?:x|times|ratio)$", re.I)),
    ("count", re.compile(r"\bshares\b|\bnumber\b|\bcount\b|^#$", re.I)),
    ("money_units", re.compile(r"^(?:cents|[A-Z]{0,3}\$|€|£|¢)$", re.I)),
)


@dataclass(frozen=True)
class Unit:
    """What a line measures: its kind and the text printed with its figures.

    kind is one of money (at the table's scale and currency, the default), per_share, count,
    quantity (oz, '000 tonnes), price (US$/oz, cents/lb), percent, ratio, or money_units (money
    printed in whole units or cents, not at the table's scale: an average price in US$).
    """

    kind: str = "money"
    text: str = ""
    # Money per unit (a price, EPS) in the figures' currency, converted with the money lines at
    # the same rates when the report converts (reporter.data.normalize.convert_units).
    converted: bool = False

    @property
    def is_money(self) -> bool:
        """True for money at the table's scale: the only rows cards, charts and sums may use."""
        return self.kind == "money"

    @classmethod
    def parse(cls, text: str | None) -> "Unit":
        """Read a `unit` text: "cents per share" -> Unit("per_share", "cents per share")."""
        text = " ".join(str(text or "").split())
        if not text:
            return cls()
        kind = next((name for name, pattern in UNIT_KINDS if pattern.search(text)), "quantity")
        return cls(kind, "" if kind == "money" else text)


MONEY = Unit()
# The longest unit a statement's units column sets ("US$ per ounce of gold equivalent sold, by-product
# basis" is 55): a longer one is a pasted paragraph, which would push the figures off their columns.
MAX_UNIT_CHARS = 80


@dataclass(frozen=True)
class PublishedChange:
    """A change the table prints beside a line's figures ("% Change", "Up / (down)").

    `current` and `prior` are period keys (`2008-06-30/6m`); `percent` says whether the figure is
    a percentage of the prior figure or a difference in the line's own unit; `text` is the figure
    as printed, whose places give the precision validate checks it to.
    """

    current: str
    prior: str
    percent: bool
    text: str
_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_TERM = re.compile(r"\s*([+-])?\s*([A-Za-z_][A-Za-z0-9_]*)\s*")
# Footnote markers pasted at the end of a label: "(1)", "(a)", superscript digits, asterisks, daggers.
_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
_NOTE_MARK = re.compile(r"(?:\s*\((\d{1,2}|[a-z])\)|\s*([⁰¹²³⁴⁵⁶⁷⁸⁹]+)|\s*(\*{1,3}|†|‡))$")


def split_notes(label: str) -> tuple[str, tuple[str, ...]]:
    """Take footnote markers off the end of a label: `Revenue (1)` -> ("Revenue", ("1",)).

    >>> split_notes("Cost of sales¹ *")
    ('Cost of sales', ('1', '*'))
    """
    notes: list[str] = []
    text = label.strip()
    while True:
        match = _NOTE_MARK.search(text)
        if not match or match.start() == 0:
            break
        marker = next(group for group in match.groups() if group)
        notes.insert(0, marker.translate(_SUPERSCRIPTS))
        text = text[:match.start()].rstrip()
    return text, tuple(notes)


@dataclass(frozen=True)
class Line:
    """One row of the statement."""

    id: str
    label: str
    sign: int  # +1 income, -1 cost (published positive, subtracted by a formula)
    terms: tuple[tuple[int, str], ...] = ()  # (coefficient, line id) in published terms
    synonyms: tuple[str, ...] = ()  # other names commentary uses for the line ("mining income")
    notes: tuple[str, ...] = ()  # footnote markers pasted with the label: `Revenue (1)` -> ("1",)
    # Labels by language code, with the grammar French sentences need: (code, text, gender, number).
    labels: tuple[tuple[str, str, str, str], ...] = ()
    unit: Unit = MONEY  # what the line measures; statement.yaml `unit`, money when absent
    changes: tuple[PublishedChange, ...] = ()  # statement.yaml `changes`: checked by validate
    # statement.yaml `attribution_of`: the line above that this one shares out ("Net income
    # attributable to non-controlling interests" of `net_income`). The lines attributing one line
    # add up to it (validate checks that), and are never added to anything else.
    attribution_of: str | None = None

    def label_in(self, code: str) -> tuple[str, str, str] | None:
        """Return (label, gender, number) in a language, or None when statement.yaml gives none."""
        return next(((text, gender, number) for lang, text, gender, number in self.labels
                     if lang == code), None)

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
    no_subtotals: bool = False  # declared on purpose: a statement with nothing to tie out
    footnotes: tuple[tuple[str, str], ...] = ()  # (marker, text) from statement.yaml `footnotes:`
    titles: tuple[tuple[str, str], ...] = ()  # (language code, title) when given per language

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

    def attributions(self) -> dict[str, list[str]]:
        """Map each line that is shared out to the ids of the lines sharing it, in order."""
        shares: dict[str, list[str]] = {}
        for line in self.lines:
            if line.attribution_of is not None:
                shares.setdefault(line.attribution_of, []).append(line.id)
        return shares

    def missing_labels(self, code: str, *, default: bool) -> list[str]:
        """List `title` and the ids of lines with no label in a language.

        A plain-string label is in the report's default language and in no other.
        """
        missing = ["title"] if self.titles and code not in dict(self.titles) or not self.titles and not default else []
        return missing + [line.id for line in self.lines
                          if line.label_in(code) is None and (line.labels or not default)]

    def localized(self, code: str) -> "Statement":
        """Return the statement with its labels in one language (plain-string labels stay as given;
        a report of several languages checks `missing_labels` first)."""
        def label(line: Line) -> Line:
            found = line.label_in(code)
            return replace(line, label=found[0]) if found else line

        title = dict(self.titles).get(code, self.title)
        return replace(self, title=title, lines=tuple(label(line) for line in self.lines))


def parse_formula(text: str) -> tuple[tuple[int, str], ...]:
    """Split `a - b + c` into ((1, 'a'), (-1, 'b'), (1, 'c')); raise ValueError when malformed."""
    terms: list[tuple[int, str]] = []
    position = 0
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
        unknown_keys = set(raw) - {"id", "label", "formula", "sign", "synonyms", "unit", "changes",
                             "attribution_of"}
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
        synonyms = raw.get("synonyms", [])
        if not isinstance(synonyms, list) or not all(isinstance(x, str) and x.strip() for x in synonyms):
            raise StatementError(f"line {line_id!r}: synonyms must be a list of names, got {synonyms!r}",
                                 file=path)
        unit = raw.get("unit")
        if unit is not None and (not isinstance(unit, str) or not unit.strip()):
            raise StatementError(f"line {line_id!r}: unit must be text such as `cents per share`, "
                                 f"`oz` or `US$/oz`, got {unit!r}", file=path)
        if unit is not None and len(unit) > MAX_UNIT_CHARS:
            raise StatementError(f"line {line_id!r}: unit is {len(unit):,} characters, more than a units "
                                 f"column holds (at most {MAX_UNIT_CHARS}: `US$/oz`, `cents per share`)", file=path)
        attributed = raw.get("attribution_of")
        if attributed is not None and (not isinstance(attributed, str) or attributed not in seen):
            raise StatementError(f"line {line_id!r}: attribution_of must be the id of a line above it, "
                                 f"got {attributed!r}", file=path)
        if attributed is not None and "formula" in raw:
            raise StatementError(f"line {line_id!r}: a line that shares out {attributed!r} "
                                 f"(attribution_of) is not a subtotal; remove its formula", file=path)
        seen[line_id] = raw

    no_subtotals = data.get("no_subtotals", False)
    if not isinstance(no_subtotals, bool):
        raise StatementError(f"no_subtotals must be true or false, got {no_subtotals!r}", file=path)
    if no_subtotals and formulas:
        raise StatementError(f"no_subtotals is true, but line {next(iter(formulas))!r} has a formula; "
                             f"remove one or the other", file=path)
    signs = _signs_from_formulas(seen, formulas, path)
    _check_units(seen, formulas, path)
    _check_attributions(seen, formulas, path)
    built: list[Line] = []
    for line_id, raw in seen.items():
        labels = _labels(raw["label"], f"line {line_id!r}", path)
        text, notes = split_notes(labels[0][1] if labels else str(raw["label"]))
        built.append(Line(id=line_id, label=text, sign=signs[line_id], terms=formulas.get(line_id, ()),
                          synonyms=tuple(raw.get("synonyms", [])), notes=notes, labels=labels,
                          unit=Unit.parse(raw.get("unit")),
                          changes=_changes(raw.get("changes"), line_id, path),
                          attribution_of=raw.get("attribution_of")))
    lines = tuple(built)
    title = data.get("title", "Summary Financial Information")
    titles = tuple((code, text) for code, text, _, _ in _labels(title, "title", path))
    return Statement(title=titles[0][1] if titles else str(title), lines=lines, titles=titles,
                     no_subtotals=no_subtotals, footnotes=_footnotes(data.get("footnotes"), lines, path))


GENDERS = ("m", "f")
NUMBERS = ("singular", "plural")


def _labels(value, where: str, path: Path) -> tuple[tuple[str, str, str, str], ...]:
    """Read a label given per language: `{en: Revenue, fr: Produits}`, or
    `fr: {text: Produits, gender: m, number: plural}` for the grammar of French sentences.
    A plain string gives no per-language labels (a one-language report)."""
    if not isinstance(value, dict):
        return ()
    labels = []
    for code, entry in value.items():
        if not isinstance(code, str) or not code.isalpha() or not code.islower():
            raise StatementError(f"{where}: label languages are codes such as en and fr, got {code!r}", file=path)
        if isinstance(entry, dict):
            unknown = set(entry) - {"text", "gender", "number"}
            gender, number = str(entry.get("gender", "m")), str(entry.get("number", "singular"))
            if unknown or not entry.get("text") or gender not in GENDERS or number not in NUMBERS:
                raise StatementError(f"{where}: label {code}: needs `text`, and may give gender (m, f) "
                                     f"and number (singular, plural), got {entry!r}", file=path)
            labels.append((code, str(entry["text"]), gender, number))
        elif isinstance(entry, str) and entry.strip():
            labels.append((code, entry, "m", "singular"))
        else:
            raise StatementError(f"{where}: label {code}: expected text, got {entry!r}", file=path)
    return tuple(labels)


def _footnotes(raw, lines: tuple[Line, ...], path: Path) -> tuple[tuple[str, str], ...]:
    """Read `footnotes: {"1": text}` and require a text for every marker a label carries."""
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise StatementError(f"footnotes must map a marker to its text, got {raw!r}", file=path)
    notes = {str(marker): " ".join(str(text).split()) for marker, text in raw.items()}
    for line in lines:
        for marker in line.notes:
            if marker not in notes:
                raise StatementError(f"line {line.id!r}: label has footnote marker {marker!r} but "
                                     f"`footnotes:` has no text for it", file=path)
    used = list(dict.fromkeys(marker for line in lines for marker in line.notes))
    return tuple((marker, notes[marker]) for marker in used + [m for m in notes if m not in used])


_PERIOD_KEY = re.compile(r"^\d{4}-\d{2}-\d{2}/\d{1,2}m(?:/restated)?$")


def _changes(raw, line_id: str, path: Path) -> tuple[PublishedChange, ...]:
    """Read `changes: [{current: 2008-06-30/6m, prior: 2007-06-30/6m, percent: "13"}]`."""
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise StatementError(f"line {line_id!r}: changes must be a list, got {raw!r}", file=path)
    out = []
    for entry in raw:
        kinds = {"percent", "amount"} & set(entry) if isinstance(entry, dict) else set()
        if not isinstance(entry, dict) or len(kinds) != 1 or \
                set(entry) - {"current", "prior", "percent", "amount"} or \
                not all(_PERIOD_KEY.match(str(entry.get(key, ""))) for key in ("current", "prior")):
            raise StatementError(f"line {line_id!r}: a change needs current and prior period keys "
                                 f"(such as 2008-06-30/6m) and one of percent or amount, got "
                                 f"{entry!r}", file=path)
        kind = kinds.pop()
        out.append(PublishedChange(str(entry["current"]), str(entry["prior"]), kind == "percent",
                                   str(entry[kind])))
    return tuple(out)


def _check_units(raw_lines: dict[str, dict], formulas: dict, path: Path) -> None:
    """Refuse a formula that adds lines of another unit than money: a sum needs one unit."""
    for owner, terms in formulas.items():
        for line_id in (owner, *(term for _, term in terms)):
            unit = Unit.parse(raw_lines[line_id].get("unit"))
            if not unit.is_money:
                raise StatementError(
                    f"line {owner!r}: its formula uses {line_id!r}, whose unit is "
                    f"{unit.text!r}; formulas add money lines only", file=path)


def _check_attributions(raw_lines: dict[str, dict], formulas: dict, path: Path) -> None:
    """Refuse a formula that adds a line sharing out another: its figure is already in that line."""
    for owner, terms in formulas.items():
        for _, line_id in terms:
            shared = raw_lines[line_id].get("attribution_of")
            if shared is not None:
                raise StatementError(
                    f"line {owner!r}: its formula uses {line_id!r}, which shares out {shared!r} "
                    f"(attribution_of) and is already counted in it", file=path)
    for line_id, raw in raw_lines.items():
        shared = raw.get("attribution_of")
        if shared is not None and not (Unit.parse(raw.get("unit")).is_money
                                       and Unit.parse(raw_lines[shared].get("unit")).is_money):
            raise StatementError(f"line {line_id!r}: attribution_of shares out money lines only",
                                 file=path)


def _signs_from_formulas(raw_lines: dict[str, dict], formulas: dict, path: Path) -> dict[str, int]:
    """Give each line its sign: the product of the formula coefficients from it to the bottom.

    A line subtracted from income is a cost (-1). The lines of a subtotal that is itself
    subtracted (`total_expenses = cost_of_sales + admin`, then `revenue - total_expenses`) are
    costs too. Formulas only use lines above them, so walking the subtotals bottom-up settles
    each owner's sign before its lines'. An explicit `sign` (income or cost) fixes lines that no
    formula uses.
    """
    signs: dict[str, int] = {}
    for line_id, raw in raw_lines.items():
        if "sign" in raw:
            explicit = raw["sign"]
            if isinstance(explicit, str) and explicit in SIGN_WORDS:
                signs[line_id] = SIGN_WORDS[explicit]
            elif isinstance(explicit, int) and explicit in (1, -1):
                signs[line_id] = explicit
            else:
                raise StatementError(f"line {line_id!r}: sign must be income or cost, got {explicit!r}",
                                     file=path)
    for owner in reversed(list(formulas)):
        owner_sign = signs.setdefault(owner, 1)
        for coefficient, line_id in formulas[owner]:
            sign = coefficient * owner_sign
            if signs.get(line_id, sign) != sign:
                raise StatementError(
                    f"line {line_id!r} counts as income in one place and as a cost in another "
                    f"(see the formula of {owner!r}, and its `sign`); give the line one sign", file=path)
            signs[line_id] = sign
    return {line_id: signs.get(line_id, 1) for line_id in raw_lines}
