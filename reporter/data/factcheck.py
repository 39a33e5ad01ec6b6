"""Check every amount and percentage written in the commentary against the figures.

Headlines, quotes and commentary restate figures ("$1.4 million income from mining operations").
For each amount of money or percentage in commentary.md (the body, and the headline,
subheadline, quote and footnote of its front matter) this module works out:

- which line it speaks of: the nearest line name in the sentence (the label, a shorter unique
  cut of it, the line's `synonyms` in statement.yaml, read through the word table of
  `reporter.inputs.phrasebook`);
- which period: the period named next to it ("the three months ended June 30, 2011", "Q3 2011",
  "in 2010" for the comparative of the sentence's period), else the period reported;
- what was written: the figure, its sign ("a loss of", parentheses) and its precision (the
  decimals written of "million"/"thousand", or full units);

and compares at the coarser of the written and the published precision. A percentage is checked
as the change from the comparative when the sentence says increase or decrease. Amounts that
name no line or period are "not checked" (validate lists them); numbers that are not money or
percentages (dates, tonnes, counts, the ticker, telephone numbers) are left alone.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum
from pathlib import Path

import pandas as pd
from babel.numbers import format_currency, format_decimal

from reporter.data.draft import PLACEHOLDER
from reporter.errors import DataError
from reporter.data.normalize import columns, figure_lookup
from reporter.inputs.periods import Period, comparative
from reporter.inputs.phrasebook import READING, WRITING, language_of
from reporter.inputs.settings import ReportSettings
from reporter.inputs.statement import Statement

# Front matter keys whose text is read; contacts, dateline and notices carry no figures.
CHECKED_FRONT_KEYS = ("headline", "subheadline", "footnote", "text")

_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_DATE = rf"(?P<month>{_MONTHS})\s+(?P<day>\d{{1,2}})(?:,?\s+(?P<year>\d{{4}}))?"
_CURRENCY = r"(?:\\?\$|C\$|CA\$|CAD\$?|US\$|USD|EUR|€|£)"
_NUMBER = r"(?P<number>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<decimals>\d+))?"


class CheckStatus(str, Enum):
    TIES = "ties"
    FAILS = "fails"
    NOT_CHECKED = "not checked"


@dataclass(frozen=True)
class Finding:
    """One amount or percentage of the commentary and what the figures say about it."""

    file: Path
    line: int
    text: str  # the words quoted: amount and line name
    status: CheckStatus
    detail: str  # for a failure, what the figure is; for "not checked", why

    def describe(self) -> str:
        if self.status is CheckStatus.FAILS:
            return f"{self.text!r} but {self.detail}"
        return f"{self.text!r} ({self.detail})"


@dataclass(frozen=True)
class Written:
    """An amount as written: value in full units (or percent), its precision, where it is."""

    start: int
    end: int
    value: Decimal
    unit: Decimal  # the precision written, in the same units as value
    scale: int  # 1, 1_000 or 1_000_000: the scale word written ("million"), 1 for none
    percent: bool
    negative: bool


@dataclass(frozen=True)
class Mention:
    """A line or period named in a sentence, with where."""

    start: int
    end: int
    what: object
    loss: bool = False


# --------------------------------------------------------------------------------------------
# Text: the sentences of the commentary, each with a map back to file lines
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Sentence:
    text: str
    lines: tuple[int, ...]  # file line of each character
    in_table: bool = False  # a Markdown or pasted table: its columns say what the figures are

    def line_at(self, index: int) -> int:
        return self.lines[min(index, len(self.lines) - 1)]


_SENTENCE_END = re.compile(r"(?<=[.!?])[”\"')]*\s+(?=[A-Z“\"(])")
_ABBREVIATIONS = ("Inc.", "Corp.", "Ltd.", "e.g.", "i.e.", "S.L.", "Co.", "No.", "approx.")


def _is_table_row(line: str) -> bool:
    return "\t" in line or line.lstrip().startswith("|")


def _segments(text: str) -> list[list[tuple[int, str]]]:
    """Split the file into blocks of (line number, text) to read: checked front matter values, paragraphs.

    The front matter is read from its raw lines, not from the parsed YAML, so that every amount
    keeps the line it is written on (the commentary loader has already checked the YAML).
    """
    lines = text.splitlines()
    blocks: list[list[tuple[int, str]]] = []
    index = 0
    if lines and lines[0].strip() == "---":
        end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), 0)
        index = 1
        while index < end:
            raw = lines[index]
            key_match = re.match(r"^(\s*)(?:-\s+)?([A-Za-z_]+):\s*(.*)$", raw)
            if key_match and key_match.group(2) in CHECKED_FRONT_KEYS:
                indent = len(key_match.group(1))
                first = key_match.group(3).strip()
                block = []
                if first and first not in (">", ">-", "|", "|-", ">+", "|+"):
                    block.append((index + 1, first.strip("'\"")))
                index += 1
                while index < end and (not lines[index].strip()
                                       or len(lines[index]) - len(lines[index].lstrip()) > indent):
                    block.append((index + 1, lines[index].strip()))
                    index += 1
                blocks.append(block)
                continue
            index += 1
        index = end + 1
    block = []
    for number in range(index, len(lines)):
        line = lines[number]
        if not line.strip() or _is_table_row(line):
            if block:
                blocks.append(block)
            block = []
            if line.strip():
                blocks.append([(number + 1, "\t" + line.strip())])  # one row, read as a table row
            continue
        block.append((number + 1, line.strip().lstrip("#").strip()))
    if block:
        blocks.append(block)
    return blocks


def sentences(text: str) -> list[Sentence]:
    """Return the sentences of a commentary file, each knowing the file line of every character."""
    found = []
    for block in _segments(text):
        if len(block) == 1 and block[0][1].startswith("\t"):
            number, row = block[0]
            found.append(Sentence(row, (number,) * len(row), in_table=True))
            continue
        joined, owners = "", []
        for number, part in block:
            if joined:
                joined += " "
                owners.append(number)
            joined += part
            owners.extend([number] * len(part))
        start = 0
        for match in _SENTENCE_END.finditer(joined):
            if joined[:match.start()].endswith(_ABBREVIATIONS):
                continue
            found.append(Sentence(joined[start:match.start()], tuple(owners[start:match.start()])))
            start = match.end()
        if start < len(joined):
            found.append(Sentence(joined[start:], tuple(owners[start:])))
    return [s for s in found if s.text.strip()]


# --------------------------------------------------------------------------------------------
# Reading amounts, line names and periods
# --------------------------------------------------------------------------------------------

def written_amounts(text: str, words: dict) -> list[Written]:
    """Find money amounts and percentages in a sentence; leave other numbers alone."""
    scale_words = "|".join(sorted((re.escape(w) for w in words["scale_words"]), key=len, reverse=True))
    percent_words = "|".join(re.escape(w) for w in words["percent_words"])
    pattern = re.compile(
        rf"(?P<paren>\()?(?:(?P<currency>{_CURRENCY})\s?)?{_NUMBER}"
        rf"(?:\s?(?P<percent>{percent_words})|\s?(?P<scale>{scale_words})\b)?", re.IGNORECASE)
    found = []
    for match in pattern.finditer(text):
        if match.start() > 0 and (text[match.start() - 1].isalnum() or text[match.start() - 1] in ".,"):
            continue  # inside a word or a longer number (WO3, 0.25 read from its 25)
        after = text[match.end():match.end() + 30].lower()
        next_word = re.match(r"\s*(?:of\s+)?([a-z]+)", after)
        is_quantity = next_word is not None and next_word.group(1) in words["quantity_words"]
        number = Decimal(match.group("number").replace(",", "") + (
            "." + match.group("decimals") if match.group("decimals") else ""))
        places = len(match.group("decimals") or "")
        if match.group("percent"):
            found.append(Written(match.start(), match.end(), number, Decimal(1).scaleb(-places), 1,
                                 True, False))
            continue
        if not match.group("currency") and not match.group("scale"):
            continue  # a bare number: a count, a year, a day
        if is_quantity and not match.group("currency"):
            continue  # 2 million tonnes
        scale = words["scale_words"][match.group("scale").lower()] if match.group("scale") else 1
        before = text[max(0, match.start() - 20):match.start()].lower().rstrip()
        minus = match.start() > 0 and text[match.start() - 1] in "-−" and (
            match.start() == 1 or text[match.start() - 2].isspace())  # "-$0.4 million", not "3-4"
        negative = bool(match.group("paren")) or minus or before.endswith(words["negative_before"])
        end = match.end() + (1 if match.group("paren") and text[match.end():match.end() + 1] == ")" else 0)
        found.append(Written(match.start(), end, number * scale, Decimal(1).scaleb(-places) * scale, scale,
                             False, negative))
    return found


def _tokens(text: str, words: dict) -> list[tuple[int, int, str, bool]]:
    """Words of a text as (start, end, normalised word, is a loss word)."""
    out = []
    for match in re.finditer(r"[A-Za-z][A-Za-z'’]*|&", text):
        word = match.group(0).lower().replace("’", "'")
        word = re.sub(r"'s$", "", word)
        if word in words["loss_words"]:
            out.append((match.start(), match.end(), words["loss_word_means"], True))
        else:
            out.append((match.start(), match.end(), words["word_synonyms"].get(word, word), False))
    return out


def line_names(statement: Statement, words: dict) -> dict[tuple[str, ...], str]:
    """Map each name a line goes by (normalised words) to its id: label, unique cuts, synonyms."""
    names: dict[tuple[str, ...], set[str]] = {}
    for line in statement.lines:
        label = tuple(t[2] for t in _tokens(line.label, words))
        candidates = {label}
        for index, word in enumerate(label):
            if index >= 2 and word in words["label_cuts"]:
                candidates.add(label[:index])
        for synonym in line.synonyms:
            candidates.add(tuple(t[2] for t in _tokens(synonym, words)))
        for name in candidates:
            if name:
                names.setdefault(name, set()).add(line.id)
    exact = {tuple(t[2] for t in _tokens(line.label, words)): line.id for line in statement.lines}
    return {name: (ids.pop() if len(ids) == 1 else exact[name]) for name, ids in names.items()
            if len(ids) == 1 or name in exact}


def line_mentions(text: str, names: dict[tuple[str, ...], str], words: dict) -> list[Mention]:
    """Find the line names in a sentence, longest first, without overlaps."""
    tokens = _tokens(text, words)
    taken = [False] * len(tokens)
    found = []
    for name in sorted(names, key=len, reverse=True):
        size = len(name)
        for index in range(len(tokens) - size + 1):
            if any(taken[index:index + size]):
                continue
            if tuple(t[2] for t in tokens[index:index + size]) == name:
                loss = any(t[3] for t in tokens[index:index + size])
                found.append(Mention(tokens[index][0], tokens[index + size - 1][1], names[name], loss))
                taken[index:index + size] = [True] * size
    return sorted(found, key=lambda m: m.start)


def _date(match: re.Match) -> tuple[int, int, int | None]:
    month = _MONTHS.split("|").index(match.group("month").capitalize()) + 1
    year = int(match.group("year")) if match.group("year") else None
    return month, int(match.group("day")), year


def period_mentions(text: str, periods: list[Period], settings: ReportSettings, words: dict) -> list[Mention]:
    """Find the periods a sentence names; each mention holds a list of periods or 'comparative'."""
    lengths = "|".join(sorted(words["months"], key=len, reverse=True))
    restated = words["restated_word"] in text.lower()
    found: list[Mention] = []
    taken: list[tuple[int, int]] = []

    def add(start: int, end: int, what: object) -> None:
        if any(start < b and a < end for a, b in taken):
            return
        taken.append((start, end))
        found.append(Mention(start, end, what))

    def matching(months: int, month: int, day: int, year: int | None) -> list[Period]:
        year = year or settings.period.end.year
        hits = [p for p in periods if p.months == months and (p.end.month, p.end.day, p.end.year) == (month, day, year)]
        preferred = [p for p in hits if p.restated == restated]
        return preferred or hits

    spans = [
        (rf"\b(?P<first>{lengths})(?:\s*(?:and|,)\s*(?P<second>{lengths}))?(?:[\s-]+{words['month_word']})"
         rf"\s+(?:periods?\s+)?{words['ended_words']}\s+{_DATE}", None),
        (rf"\b{words['quarter_ended']}\s+{_DATE}", 3),
        (rf"\b{words['year_ended']}\s+{_DATE}", 12),
    ]
    for pattern, fixed in spans:
        for match in re.finditer(pattern, text, re.IGNORECASE):
            month, day, year = _date(match)
            if fixed:
                lengths_named = [fixed]
            else:
                lengths_named = [words["months"][match.group("first").lower()]]
                if match.group("second"):
                    lengths_named.append(words["months"][match.group("second").lower()])
            named = [p for months in lengths_named for p in matching(months, month, day, year)]
            try:
                unknown = [Period(dt.date(year or settings.period.end.year, month, day), lengths_named[0])]
            except ValueError:  # "June 31": no such day, so no figures for it either
                unknown = []
            add(match.start(), match.end(), named or unknown)
    labels = {settings.calendar.label(p).lower(): p for p in periods if not p.restated}
    labels.update({settings.calendar.label(p).lower(): p for p in periods if p.restated and restated})
    for label, period in labels.items():
        for match in re.finditer(rf"\b{re.escape(label)}\b", text, re.IGNORECASE):
            add(match.start(), match.end(), [period])
    ordinals = "|".join(words["ordinal_quarters"])
    for match in re.finditer(rf"\b(?P<nth>{ordinals})\s+quarter\s+(?:of\s+)?(?:fiscal\s+)?(?P<year>\d{{4}})\b",
                             text, re.IGNORECASE):
        label = f"q{words['ordinal_quarters'][match.group('nth').lower()]} {match.group('year')}"
        if label in labels:
            add(match.start(), match.end(), [labels[label]])
    for phrase in words["comparative_phrases"]:
        for match in re.finditer(rf"\b{re.escape(phrase)}\b", text, re.IGNORECASE):
            add(match.start(), match.end(), "comparative")
    for match in re.finditer(rf"\b{words['year_only']}(?P<year>(?:19|20)\d{{2}})\b(?!\s*(?:,|{_MONTHS}))",
                             text, re.IGNORECASE):
        add(match.start(), match.end(), int(match.group("year")))
    return sorted(found, key=lambda m: m.start)


# --------------------------------------------------------------------------------------------
# Tying and comparing
# --------------------------------------------------------------------------------------------

def _line_for(amount: Written, amounts: list[Written], sentence: str, mentions: list[Mention]) -> Mention | None:
    """Pick the line an amount speaks of.

    A name right after the amount ("$1.4 million income from mining operations") wins; else the
    name before it in the same clause, with no other amount between ("revenue reached $4.4
    million"); else the nearest name ("revenue was $4.4 million and $10.2 million").
    """
    after = [m for m in mentions if m.start >= amount.end]
    if after and not sentence[amount.end:after[0].start].strip():
        return after[0]
    before = [m for m in mentions if m.end <= amount.start]
    if before and not any(before[-1].end <= other.start < amount.start for other in amounts if other is not amount):
        return before[-1]

    def distance(m: Mention) -> int:
        return m.start - amount.end if m.start >= amount.end else amount.start - m.end
    return min(mentions, key=distance, default=None)


def _period_for(amount: Written, amounts: list[Written], mentions: list[Mention]) -> Mention | None:
    """Take the period named right after the amount (no other amount between), else the last before."""
    after = [m for m in mentions if m.start >= amount.end]
    if after and not any(amount.end <= other.start < after[0].start for other in amounts if other is not amount):
        return after[0]
    before = [m for m in mentions if m.end <= amount.start]
    return before[-1] if before else None


def _resolve(what: object, primary: Period, periods: list[Period]) -> list[Period]:
    """Turn a period mention into periods; 'comparative' and a bare year follow the sentence's period."""
    if isinstance(what, list):
        return what
    if what == "comparative":
        year = primary.end.year - 1
    else:
        year = int(what)
    hits = [p for p in periods if p.months == primary.months and p.end.year == year
            and (p.end.month, p.end.day) == (primary.end.month, primary.end.day)]
    restated = [p for p in hits if p.restated]
    return restated[:1] or hits[:1]


def _round(value: Decimal, unit: Decimal) -> Decimal:
    return (value / unit).quantize(Decimal(1), rounding=ROUND_HALF_UP) * unit


@dataclass(frozen=True)
class Figures:
    """What the check compares with: amounts in full units and figures as shown, by line and period."""

    amounts: dict
    shown: dict
    periods: list[Period]
    statement: Statement
    settings: ReportSettings

    @classmethod
    def of(cls, table: pd.DataFrame, statement: Statement, settings: ReportSettings) -> "Figures":
        return cls(figure_lookup(table, "amount"), figure_lookup(table), columns(table), statement, settings)

    @property
    def published_unit(self) -> Decimal:
        places = max((-v.as_tuple().exponent for v in self.shown.values()), default=0)
        return Decimal(self.settings.scale) * Decimal(1).scaleb(-max(places, 0))

    def period_name(self, period: Period) -> str:
        return period.phrase() + (" (restated)" if period.restated else "")

    def published_text(self, line_id: str, period: Period) -> str:
        """The figure as the table has it, with its scale: `1,416 thousand`."""
        shown = self.shown[line_id, period.key]
        places = max(0, -shown.as_tuple().exponent)
        text = format_decimal(shown, format="#,##0" + ("." + "0" * places if places else "") + ";(#,##0"
                              + ("." + "0" * places if places else "") + ")", locale=self.settings.locale)
        word = {1: "", 1_000: " thousand", 1_000_000: " million"}[self.settings.scale]
        if self.settings.scale == 1:
            return format_currency(shown, self.settings.currency, locale=self.settings.locale)
        return text + word

    def as_written(self, value: Decimal, amount: Written, line_id: str) -> str:
        """The figure in the form the commentary used: `$1.4 million`, `a loss of $0.4 million`."""
        shown = _round(value, amount.unit) / amount.scale
        places = max(0, -(amount.unit / amount.scale).normalize().as_tuple().exponent)
        pattern = "¤#,##0" + ("." + "0" * places if places else "")
        text = format_currency(abs(shown), self.settings.currency, format=pattern, locale=self.settings.locale,
                               currency_digits=False)
        word = {1: "", 1_000: " thousand", 1_000_000: " million", 1_000_000_000: " billion"}[amount.scale]
        if shown >= 0:
            return f"{text}{word}"
        words = WRITING[language_of(self.settings.locale)]
        key = "income_negative" if self.statement.line(line_id).sign > 0 else "cost_negative"
        return words[key].format(amount=f"{text}{word}")


def check_amount(amount: Written, line_id: str, line_loss: bool, period: Period,
                 figures: Figures) -> tuple[CheckStatus, str]:
    """Compare one written amount with the figure of its line and period, at the precision written."""
    label = figures.statement.line(line_id).label
    if (line_id, period.key) not in figures.amounts:
        return CheckStatus.NOT_CHECKED, f"no figures for {figures.period_name(period)}"
    actual = figures.amounts[line_id, period.key]
    written = -amount.value if (amount.negative or line_loss) else amount.value
    unit = max(amount.unit, figures.published_unit)
    if _round(written, unit) == _round(actual, unit):
        return CheckStatus.TIES, ""
    return CheckStatus.FAILS, (f"{label} for {figures.period_name(period)} is "
                               f"{figures.published_text(line_id, period)} ({figures.as_written(actual, amount, line_id)})")


def check_percent(amount: Written, sentence: str, line_id: str, period: Period, figures: Figures,
                  words: dict) -> tuple[CheckStatus, str]:
    """Compare a written percentage with the change of the line from its comparative."""
    tokens = {t[2] for t in _tokens(sentence, words)}
    up, down = bool(tokens & words["increase_words"]), bool(tokens & words["decrease_words"])
    if not (up or down or tokens & words["change_words"]):
        return CheckStatus.NOT_CHECKED, "a percentage that is not a change"
    prior = comparative(period, figures.periods)
    label = figures.statement.line(line_id).label
    if prior is None:
        return CheckStatus.NOT_CHECKED, f"no comparative for {figures.period_name(period)}"
    current, before = figures.shown[line_id, period.key], figures.shown[line_id, prior.key]
    where = f"the change in {label} from {figures.period_name(prior)} to {figures.period_name(period)}"
    if before <= 0 or current < 0:
        return CheckStatus.FAILS, (f"{where} has no meaningful percentage (from "
                                   f"{figures.published_text(line_id, prior)} to "
                                   f"{figures.published_text(line_id, period)})")
    change = (current - before) / before * 100
    written = -amount.value if down and not up else amount.value
    compare_signed = up != down
    ours = _round(change if compare_signed else abs(change), amount.unit)
    if _round(written, amount.unit) == ours:
        return CheckStatus.TIES, ""
    return CheckStatus.FAILS, f"{where} is {_round(change, amount.unit):+f}%"


def _respectively(amounts: list[Written], periods: list[Mention]) -> dict[int, Period]:
    """Pair amounts with the periods of a range in order: "$4.4 million and $10.2 million for the
    three and nine months ..., respectively"."""
    pairs: dict[int, Period] = {}
    for mention in periods:
        if isinstance(mention.what, list) and len(mention.what) > 1:
            before = [a for a in amounts if a.end <= mention.start and id(a) not in pairs]
            for amount, period in zip(before[-len(mention.what):], mention.what):
                pairs[id(amount)] = period
    return pairs


def _quote(sentence: str, amount: Written, mention: Mention | None, amounts: list[Written]) -> str:
    """Quote the amount with the line name it was read with; `name ... amount` when far apart."""
    own = " ".join(sentence[amount.start:amount.end].split())
    if mention is None:
        return own
    start, end = min(amount.start, mention.start), max(amount.end, mention.end)
    if any(start <= other.start < end for other in amounts if other is not amount):
        name = " ".join(sentence[mention.start:mention.end].split())
        return f"{name} ... {own}" if mention.start < amount.start else f"{own} ... {name}"
    return " ".join(sentence[start:end].split())


def check_sentence(sentence: Sentence, figures: Figures, names: dict, words: dict, path: Path) -> list[Finding]:
    """Check every amount of one sentence."""
    text = sentence.text
    amounts = written_amounts(text, words)
    if not amounts:
        return []
    if PLACEHOLDER.search(text):
        # A placeholder quoting last quarter (ingest --like) is not a statement of this quarter's
        # figures; placeholders stop a build until they are filled in, and are listed by validate.
        return [Finding(path, sentence.line_at(amount.start), _quote(text, amount, None, amounts),
                        CheckStatus.NOT_CHECKED, "in a TODO placeholder") for amount in amounts]
    lines = line_mentions(text, names, words)
    periods = period_mentions(text, figures.periods, figures.settings, words)
    full = [m for m in periods if isinstance(m.what, list) and m.what]
    primary = full[0].what[0] if full else figures.settings.period
    assigned = _respectively(amounts, periods) if words["respectively_word"] in text.lower() else {}
    findings = []
    for amount in amounts:
        where = sentence.line_at(amount.start)
        if sentence.in_table:
            # A table's figures take their scale and period from its headings, which a row does
            # not repeat; the statement's own table is figures.csv, tied out above.
            findings.append(Finding(path, where, _quote(text, amount, None, amounts), CheckStatus.NOT_CHECKED,
                                    "in a table"))
            continue
        line = _line_for(amount, amounts, text, lines)
        if line is None:
            findings.append(Finding(path, where, _quote(text, amount, None, amounts), CheckStatus.NOT_CHECKED,
                                    "names no line of the statement"))
            continue
        # A percentage is the change of the sentence's period: "from the same period last year"
        # names what it is measured against, not the period it is about.
        usable = [m for m in periods if isinstance(m.what, list)] if amount.percent else periods
        mention = _period_for(amount, amounts, usable)
        candidates = _resolve(mention.what, primary, figures.periods) if mention else [figures.settings.period]
        if id(amount) in assigned:
            candidates = [assigned[id(amount)]]
        quoted = _quote(text, amount, line, amounts)
        if not candidates:
            findings.append(Finding(path, where, quoted, CheckStatus.NOT_CHECKED, "no figures for the period named"))
            continue
        results = [check_percent(amount, text, line.what, p, figures, words) if amount.percent
                   else check_amount(amount, line.what, line.loss, p, figures) for p in candidates]
        status, detail = next((r for r in results if r[0] is CheckStatus.TIES), results[0])
        findings.append(Finding(path, where, quoted, status, detail))
    return findings


def check_commentary(path: Path, table: pd.DataFrame, statement: Statement,
                     settings: ReportSettings) -> list[Finding]:
    """Check every amount and percentage of a commentary file, in the order they are written."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (FileNotFoundError, UnicodeDecodeError):
        return []  # the commentary loader reports it
    return check_text(text, path, table, statement, settings)


def check_text(text: str, path: Path, table: pd.DataFrame, statement: Statement,
               settings: ReportSettings) -> list[Finding]:
    """Check the amounts of a commentary text (front matter and Markdown) read from `path`."""
    words = READING[language_of(settings.locale)]
    figures = Figures.of(table, statement, settings)
    names = line_names(statement, words)
    return [finding for sentence in sentences(text)
            for finding in check_sentence(sentence, figures, names, words, path)]


def require_true_commentary(findings: list[Finding]) -> None:
    """Stop at the first amount of the commentary that the figures contradict."""
    for finding in findings:
        if finding.status is CheckStatus.FAILS:
            raise DataError(finding.describe(), file=finding.file, line=finding.line)
