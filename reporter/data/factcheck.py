"""Check every amount and percentage written in the commentary against the figures.

Takes a loaded `Commentary` (reporter.inputs.commentary: its text and the lines of each piece) and
the figures; gives `Finding`s, one per amount, with its file and line.

Headlines, quotes and commentary restate figures ("$1.4 million income from mining operations").
For each amount of money, percentage (and physical quantity of a line with a unit) in
commentary.md (the body, and the headline, subheadline, quote and footnote of its front matter)
this module works out, within the amount's own clause (sentences end at full stops, bullets and
headings; clauses at ";", ", while", ", and", parentheses holding figures and "compared with"):

- which line it speaks of: the line name of the clause, else the last one before it (the label
  with its parenthesised words as part of the name, a shorter unique cut of it, the line's
  `synonyms` in statement.yaml, the synonym groups of the language file's `reading`);
- which period: the period the clause names ("the three months ended June 30, 2011", "Q3 2011",
  "the first half of 2007", "year to date"); the comparative column in a clause about the
  comparative ("(2020: £12.3m)", "compared with ... a year earlier"); else the sentence's period,
  else the period reported;
- what was written: the figure, its sign (only from words: "a loss of", "net loss", parentheses),
  its currency, scale word and precision;

and compares at the coarser of the written and the published precision. A percentage is
checked as the change from the comparative against every change the printed figures allow; a
verb that moves an amount ("rose to") against the sign of that change. Every amount becomes a
`Finding`: agrees, disagrees, or not checked with why (validate lists them all). Numbers that are
not money or percentages (dates, counts, the ticker, telephone numbers) are left alone.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum
from pathlib import Path

import pandas as pd
from babel.numbers import format_currency, format_decimal

from reporter.data.draft import PLACEHOLDER
from reporter.errors import DataError
from reporter.inputs.commentary import Commentary
from reporter.data.normalize import columns, figure_lookup
from reporter.inputs.periods import Period, comparative
from reporter.inputs.language import SOURCE_LANGUAGE, commentary_readers, load_language
from reporter.inputs.settings import ReportSettings
from reporter.inputs.statement import Statement

_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
# "June 30, 2011" and "30 June 2011" (Australian and British releases).
def _date_pattern(words: dict) -> str:
    months = "|".join(words["month_names"])
    return (rf"(?:(?P<month>{months})\s+(?P<day>\d{{1,2}})(?:,?\s+(?P<year>\d{{4}}))?"
            rf"|(?P<day2>\d{{1,2}})(?:er)?\s+(?P<month2>{months})(?:\s+(?P<year2>\d{{4}}))?)")
_CURRENCY = r"(?:\\?\$|C\$|CA\$|CAD\$?|US\$|USD|EUR|€|£)"
_NUMBER = r"(?P<number>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<decimals>\d+))?"


class CheckStatus(str, Enum):
    """The verdict on one amount, in the words validate prints (and `validate --json` writes)."""

    TIES = "agrees"
    FAILS = "disagrees"
    NOT_CHECKED = "not checked"


@dataclass(frozen=True)
class Finding:
    """One amount or percentage of the commentary and what the figures say about it.

    Plain fields, so `validate --json` can write it as it is: where (file, line), the words
    quoted, the verdict, and what it was checked against (line id, period key) when it was.
    """

    file: Path
    line: int
    text: str  # the words quoted: amount and line name
    status: CheckStatus
    detail: str  # for a failure, what the figure is; for "not checked", why
    line_id: str | None = None  # the statement line the amount was read as
    period: str | None = None  # the period's key (`2011-06-30/3m`) it was compared with
    kind: str = "amount"  # amount | percent
    against: str = ""  # in words: `Revenue for the three months ended June 30, 2011`

    def describe(self) -> str:
        if self.status is CheckStatus.FAILS:
            return f"{self.text!r} but {self.detail}"
        if self.status is CheckStatus.TIES:
            return f"{self.text!r} ({self.against})"
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
    currency: str | None = None  # ISO code written ("US$" -> USD); None for "$" or none
    per: str | None = None  # "share" for money per share, "unit" for a price per ounce or tonne


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


_BULLET = re.compile(r"^\s*(?:[-*+•–]|\d{1,2}[.)])\s+")


def _is_table_row(line: str) -> bool:
    return "\t" in line or line.lstrip().startswith("|")


def _segments(commentary: Commentary) -> list[list[tuple[int, str]]]:
    """Split a commentary into blocks of (line number, text) to read: checked front matter values, paragraphs.

    The front matter values come as written, with their lines, from the commentary loader
    (Commentary.front_values), so every amount keeps the line it is written on.
    """
    # What the reader sees, line for line: a quoted front matter value as YAML reads it ("$\x39"
    # is "$9"), a body line as Markdown prints it ("$&#57;" is "$9"), so an escape cannot hide a figure.
    blocks: list[list[tuple[int, str]]] = [
        [(number, _unquote(text, value.style) if value.style in ("'", '"') else text) for number, text in value.lines]
        for value in commentary.front_values]
    block: list[tuple[int, str]] = []
    for number, line in commentary.body_lines:
        if _INLINE_MARKUP.search(line) and not _is_table_row(line):
            line = _inline_text(line)
        if not line.strip() or _is_table_row(line):
            if block:
                blocks.append(block)
            block = []
            if line.strip():
                blocks.append([(number, "\t" + line.strip())])  # one row, read as a table row
            continue
        bullet, heading = _BULLET.match(line), line.lstrip().startswith("#")
        if bullet or heading:
            # A bullet or a heading is a sentence of its own, full stop or not.
            if block:
                blocks.append(block)
            block = []
            line = line[bullet.end():] if bullet else line.strip().lstrip("#")
        block.append((number, line.strip()))
        if heading:
            blocks.append(block)
            block = []
    if block:
        blocks.append(block)
    return blocks


def sentences(commentary: Commentary) -> list[Sentence]:
    """Return the sentences of a commentary, each knowing the file line of every character."""
    found = []
    for block in _segments(commentary):
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

# ISO codes that are also words a headline in capitals may write before a number ("ALL 3 MONTHS"),
# and the metals and test codes that are no money.
_CODE_WORDS = {"ALL", "TOP", "CUP", "MOP", "BOB", "PEN", "TRY", "SOS", "MAD", "BAM", "DOP", "GEL",
               "SIT", "XAG", "XAU", "XPT", "XPD", "XXX", "XTS"}


@functools.lru_cache(maxsize=1)
def _iso_codes() -> frozenset[str]:
    """Three-letter currency codes Babel knows, less those that are words or no money."""
    from babel.numbers import list_currencies
    return frozenset(code for code in list_currencies() if len(code) == 3 and code not in _CODE_WORDS)


def _currency_code(sign: str | None, words: dict) -> str | None:
    """The ISO code a written sign stands for: `US$` -> USD, `$` -> None (any dollar)."""
    if not sign:
        return None
    sign = sign.replace("\\", "")
    if sign in words["currency_signs"]:
        return words["currency_signs"][sign]
    if sign.endswith("$"):
        return words["currency_signs"].get(sign.upper())  # an unknown "XY$": some dollar
    return sign.upper() if re.fullmatch(r"[A-Za-z]{3}", sign) else None


_PATTERNS: dict[int, re.Pattern] = {}  # by id of a language file's `reading`: built once per language


def _amount_pattern(words: dict) -> re.Pattern:
    """English order: the currency before the figure, the scale word after: `A$91.1-million`."""
    if id(words) not in _PATTERNS:
        _PATTERNS[id(words)] = _build_amount_pattern(words)
    return _PATTERNS[id(words)]


def _build_amount_pattern(words: dict) -> re.Pattern:
    signs = sorted((s for s in words["currency_signs"] if not s.endswith("$")), key=len, reverse=True)
    codes = "|".join(sorted(_iso_codes()))
    currency = (rf"(?P<currency>(?:[A-Z]{{1,3}}|U\.S\.|Cdn)?\\?\$|{'|'.join(re.escape(s) for s in signs)}"
                rf"|\b(?:{codes})\b)")
    scale_words = "|".join(sorted((re.escape(w) for w in words["scale_words"]), key=len, reverse=True))
    percent_words = "|".join(re.escape(w) for w in words["percent_words"])
    cent_words = "|".join(re.escape(w) for w in words["cent_words"])
    return re.compile(
        rf"(?P<paren>\()?(?:{currency}\s?)?{words.get('number_pattern', _NUMBER)}"
        rf"(?i:\s?(?P<percent>{percent_words})|(?:\s|-)?(?P<scale>{scale_words})\b|\s?(?P<cents>{cent_words})(?!\w))?")


def _amount_pattern_after(words: dict) -> re.Pattern:
    """French order: the currency after the figure and its scale word: `4,4 millions $`, `42 000 $ CA`."""
    signs = sorted(words["currency_signs"], key=len, reverse=True)
    currency = rf"(?P<currency>{'|'.join(re.escape(s) for s in signs)})"
    scale_words = "|".join(sorted((re.escape(w) for w in words["scale_words"]), key=len, reverse=True))
    percent_words = "|".join(re.escape(w) for w in words["percent_words"])
    cent_words = "|".join(re.escape(w) for w in words["cent_words"])
    return re.compile(
        rf"(?P<paren>\()?{words['number_pattern']}\)?"
        rf"(?:\s?(?i:(?P<percent>{percent_words}))|(?:\s?(?i:(?P<scale>{scale_words}))\b)?"
        rf"(?:\s?(?:de\s+)?{currency}(?!\w))?|\s?(?i:(?P<cents>{cent_words}))(?!\w))")


def written_amounts(text: str, words: dict, quantities: frozenset[str] = frozenset()) -> list[Written]:
    """Find money amounts and percentages in a sentence; leave other numbers alone.

    `quantities`: physical units the statement has lines for (`oz`, `tonnes`); a number followed
    by one of them ("52,300 oz", "1.2 million tonnes") is read as an amount of that unit.
    """
    found = []
    pattern = _amount_pattern_after(words) if words.get("currency_after") else _amount_pattern(words)
    for match in pattern.finditer(text):
        if match.start() > 0 and (text[match.start() - 1].isalnum() or text[match.start() - 1] in ".,"):
            continue  # inside a word or a longer number (WO3, 0.25 read from its 25)
        after = text[match.end():match.end() + 30].lower()
        next_word = re.match(r"\s*(?:of\s+)?([a-z]+)", after)
        is_quantity = next_word is not None and next_word.group(1) in words["quantity_words"]
        quantity = words["quantity_units"].get(next_word.group(1)) if next_word else None
        number = Decimal(re.sub(r"[,\s]", "", match.group("number")) + (
            "." + match.group("decimals") if match.group("decimals") else ""))
        places = len(match.group("decimals") or "")
        if match.group("percent"):
            if match.group("currency"):
                continue  # "$5%": not an amount a release writes
            found.append(Written(match.start(), match.end(), number, Decimal(1).scaleb(-places), 1,
                                 True, False))
            continue
        scale_word = (match.group("scale") or "").lower()
        if scale_word in words["short_scale_words"] and not match.group("currency"):
            scale_word = ""  # "50 m" is metres, "5k" a distance: money only after a currency sign
        cents = bool(match.group("cents"))
        if quantity in quantities and not match.group("currency") and not cents:
            scale = words["scale_words"][scale_word] if scale_word else 1
            found.append(Written(match.start(), match.end() + len(next_word.group(0)), number * scale,
                                 Decimal(1).scaleb(-places) * scale, scale, False, False, None,
                                 f"quantity:{quantity}"))
            continue
        if not match.group("currency") and not scale_word and not cents:
            continue  # a bare number: a count, a year, a day
        if is_quantity and not match.group("currency"):
            continue  # 2 million tonnes
        scale = words["scale_words"][scale_word] if scale_word else 1
        unit = Decimal(1).scaleb(-places) * scale
        value = number * scale
        if cents:
            value, unit = value / 100, unit / 100
        end = match.end()
        if match.group("scale") and not scale_word:
            end = match.end("decimals") if match.group("decimals") else match.end("number")
        rest = text[end:end + 30].lower().lstrip()
        per = ("share" if rest.startswith(words["per_share_words"]) else
               "unit" if rest.startswith(words["per_unit_words"]) else None)
        before = text[max(0, match.start() - 20):match.start()].lower().rstrip()
        minus = match.start() > 0 and text[match.start() - 1] in "-−" and (
            match.start() == 1 or text[match.start() - 2].isspace())  # "-$0.4 million", not "3-4"
        negative = bool(match.group("paren")) or minus or before.endswith(words["negative_before"])
        if match.group("paren") and text[end:end + 1] == ")":
            end += 1
        found.append(Written(match.start(), end, value, unit, scale, False, negative,
                             _currency_code(match.group("currency"), words), per))
    return found


def _name_text(text: str) -> str:
    """Blank out parenthesised words ("(loss)", "(basic)", "(1)"): they are part of a name, not a sign."""
    return re.sub(r"\((?:[^()\d$€£%]{1,30}|\d{1,2})\)", lambda m: " " * len(m.group(0)), text)


def _tokens(text: str, words: dict) -> list[tuple[int, int, str, bool]]:
    """Words of a text as (start, end, normalised word, is a loss word)."""
    out = []
    for match in re.finditer(r"[^\W\d_][^\W\d_'’]*|&", _name_text(text)):
        word = match.group(0).lower().replace("’", "'")
        word = re.sub(r"'s$", "", word)
        for elided in words.get("elisions", ()):  # French "l’amortissement", "d’exploitation"
            if word.startswith(elided) and len(word) > len(elided):
                word = word[len(elided):]
        if word in words["loss_words"]:
            out.append((match.start(), match.end(), words["loss_word_means"], True))
        else:
            out.append((match.start(), match.end(), words["word_synonyms"].get(word, word), False))
    return out


def line_unit(line, words: dict) -> str:
    """What a line's figures count: `money`, `per_share`, or a physical quantity (`quantity:oz`).

    Read from the line's `unit` (reporter.inputs.statement.Unit). A quantity is matched only when
    its unit is a plain one the language names ("oz", "tonnes"): "'000 tonnes" is printed in
    thousands, and an amount written in tonnes is not compared with it. Other kinds (counts,
    prices, ratios, money in whole units) are named by their kind, which no amount matches, so
    their amounts are listed as not checked.
    """
    unit = getattr(line, "unit", None)
    kind = getattr(unit, "kind", "money")
    if kind in ("money", "per_share"):
        return kind
    if kind == "quantity":
        text = str(getattr(unit, "text", "")).lower().strip()
        quantity = words["quantity_units"].get(text)
        return f"quantity:{quantity}" if quantity else "quantity"
    return str(kind)


def line_names(statement: Statement, words: dict) -> dict[tuple[str, ...], str]:
    """Map each name a line goes by (normalised words) to its id: label, unique cuts, synonyms."""
    def name(text: str) -> tuple[str, ...]:
        return tuple(t[2] for t in _tokens(text, words))

    groups = [{name(phrase) for phrase in group} for group in words["name_groups"]]
    names: dict[tuple[str, ...], set[str]] = {}
    for line in statement.lines:
        label = name(line.label)
        candidates = {label}
        for index, word in enumerate(label):
            if index >= 2 and word in words["label_cuts"]:
                candidates.add(label[:index])
        for synonym in line.synonyms:
            candidates.add(name(synonym))
        for group in groups:
            if candidates & group:
                candidates |= group
        for candidate in candidates:
            if candidate:
                names.setdefault(candidate, set()).add(line.id)
    exact = {name(line.label): line.id for line in statement.lines}
    return {key: (ids.pop() if len(ids) == 1 else exact[key]) for key, ids in names.items()
            if len(ids) == 1 or key in exact}


def line_mentions(text: str, names: dict[tuple[str, ...], str], words: dict) -> list[Mention]:
    """Find the line names in a sentence, longest first, without overlaps."""
    tokens = _tokens(text, words)
    taken = [False] * len(tokens)
    found = []
    words_only = tuple(t[2] for t in tokens)
    for size in sorted({len(name) for name in names}, reverse=True):
        for index in range(len(tokens) - size + 1):
            name = words_only[index:index + size]
            if name not in names or any(taken[index:index + size]):
                continue
            loss = any(t[3] for t in tokens[index:index + size])
            found.append(Mention(tokens[index][0], tokens[index + size - 1][1], names[name], loss))
            taken[index:index + size] = [True] * size
    return sorted(found, key=lambda m: m.start)


def _date(match: re.Match, words: dict) -> tuple[int, int, int | None]:
    suffix = "" if match.group("month") else "2"
    month = [m.lower() for m in words["month_names"]].index(match.group("month" + suffix).lower()) + 1
    year = int(match.group("year" + suffix)) if match.group("year" + suffix) else None
    return month, int(match.group("day" + suffix)), year


def period_mentions(text: str, periods: list[Period], settings: ReportSettings, words: dict) -> list[Mention]:
    """Find the periods a sentence names.

    Each mention holds a list of periods (empty: a period with no figures), 'comparative', a
    bare year, 'ytd', or ('months', n) for "the nine months" ending where the sentence's period ends.
    """
    lengths = "|".join(sorted(words["months"], key=len, reverse=True))
    _DATE = _date_pattern(words)
    _MONTHS = "|".join(words["month_names"])
    restated = words["restated_word"] in text.lower()
    calendar = settings.calendar
    found: list[Mention] = []
    taken: list[tuple[int, int]] = []

    def add(start: int, end: int, what: object) -> None:
        if any(start < b and a < end for a, b in taken):
            return
        taken.append((start, end))
        found.append(Mention(start, end, what))

    def prefer(hits: list[Period]) -> list[Period]:
        preferred = [p for p in hits if p.restated == restated]
        return preferred or hits

    def matching(months: int, month: int, day: int, year: int | None) -> list[Period]:
        year = year or settings.period.end.year
        return prefer([p for p in periods
                       if p.months == months and (p.end.month, p.end.day, p.end.year) == (month, day, year)])

    spans = [
        (rf"\b(?P<first>{lengths})(?:\s*(?:{words['and_word']}|,)\s*(?P<second>{lengths}))?(?:[\s-]+{words['month_word']})"
         rf"\s+(?:{words['periods_word']}\s+)?{words['ended_words']}\s+{_DATE}", None),
        (rf"\b{words['half_ended']}\s+{_DATE}", 6),
        (rf"\b{words['quarter_ended']}\s+{_DATE}", 3),
        (rf"\b{words['year_ended']}\s+{_DATE}", 12),
    ]
    for pattern, fixed in spans:
        for match in re.finditer(pattern, text, re.IGNORECASE):
            month, day, year = _date(match, words)
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
    for match in re.finditer(rf"\b{words['quarter_pattern']}\b", text, re.IGNORECASE):
        number = int(match.group("q")) if match.group("q") else words["ordinal_quarters"][match.group("nth").lower()]
        year = int(match.group("year"))
        if match.groupdict().get("calendar"):
            hits = [p for p in periods if p.months == 3 and p.end.month == 3 * number and p.end.year == year]
        else:
            hits = [p for p in periods if p.months == 3 and calendar.label(p) == f"Q{number} {year}"]
        add(match.start(), match.end(), prefer(hits))
    for pattern in words["half_patterns"]:
        for match in re.finditer(rf"\b{pattern}\b", text, re.IGNORECASE):
            half = words["half_numbers"][" ".join(match.group("nth").lower().split())]
            year = int(match.group("year")) if match.group("year") else calendar.fiscal_year(settings.period.end)
            hits = [p for p in periods if p.months == 6 and calendar.fiscal_year(p.end) == year
                    and calendar.months_into_year(p.end) == 6 * half]
            add(match.start(), match.end(), prefer(hits))
    labels = {calendar.label(p).lower(): p for p in periods if not p.restated}
    labels.update({calendar.label(p).lower(): p for p in periods if p.restated and restated})
    for label, period in labels.items():
        for match in re.finditer(rf"\b{re.escape(label)}\b", text, re.IGNORECASE):
            add(match.start(), match.end(), [period])
    for phrase in words["comparative_phrases"]:
        for match in re.finditer(rf"\b{re.escape(phrase)}\b", text, re.IGNORECASE):
            add(match.start(), match.end(), "comparative")
    for phrase in words["year_to_date_phrases"]:
        for match in re.finditer(rf"\b{re.escape(phrase)}\b", text, re.IGNORECASE):
            add(match.start(), match.end(), "ytd")
    for match in re.finditer(rf"\b{words['bare_months']}", text, re.IGNORECASE):
        add(match.start(), match.end(), ("months", words["months"][match.group("first").lower()]))
    for match in re.finditer(rf"\b{words['year_only']}(?P<year>(?:19|20)\d{{2}})\b(?!\s*(?:,|{_MONTHS}))",
                             text, re.IGNORECASE):
        add(match.start(), match.end(), int(match.group("year")))
    return sorted(found, key=lambda m: m.start)


# --------------------------------------------------------------------------------------------
# Clauses: each amount takes the line, period and direction of its own clause
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Clause:
    """A stretch of a sentence between clause breaks, parentheses and comparative openers."""

    start: int
    end: int
    comparative: bool = False  # "compared with ...", "(Q1 2011: ...)": about the comparative
    lead_year: int | None = None  # "(2020: US$12.3 million)": the year a parenthesis opens with


_LEAD_PERIOD = re.compile(r"\s*(?P<lead>[^:()$€£]{0,30}?(?P<year>(?:19|20)\d{2})[^:()$€£\d]{0,20}?)\s*(?::|\s[-–—]\s)")


def clauses(text: str, words: dict, names: list[Mention] = ()) -> list[Clause]:
    """Cut a sentence at ";", ", while", ", and", parentheses holding figures and comparative openers,
    and at "and" before another line's name ("revenue rose to ... and cost of sales fell to ...")."""
    money_ahead = r"(?=\s+(?:(?:a|an)\s+\w+\s+of\s+|\w+\s+of\s+)?(?:[A-Z]{0,3}\\?\$|[€£]|[A-Z]{3}\s?)?\d)"
    cuts: dict[int, str] = {}
    for word in words["clause_breaks"]:
        for match in re.finditer(re.escape(word), text, re.IGNORECASE):
            cuts.setdefault(match.start(), "break")
    starts = {mention.start for mention in names}
    for match in re.finditer(rf"\s{words['and_word']}\s+(?:(?:{words['determiners']})\s+)?", text, re.IGNORECASE):
        inside = any(m.start < match.start() < m.end for m in names)
        if match.end() in starts and not inside:
            cuts.setdefault(match.start(), "break")
    for opener in sorted(words["comparative_openers"], key=len, reverse=True):
        tail = money_ahead if opener.split()[-1] == "from" else ""
        for match in re.finditer(rf"(?<![\w-]){re.escape(opener)}(?!\w){tail}", text, re.IGNORECASE):
            if not any(start < match.start() < start + 12 and kind == "comparative"
                       for start, kind in cuts.items()):
                cuts[match.start()] = "comparative"
    depth_start = None
    for index, char in enumerate(text):
        if char == "(":
            depth_start = index
        elif char == ")" and depth_start is not None:
            inside = text[depth_start + 1:index]
            if re.search(r"\d", inside) and re.search(r"\d\D*\d|\$|%|€|£|million|m\b", inside):
                cuts[depth_start] = "open"
                cuts[index + 1] = "close"
            depth_start = None
    found: list[Clause] = []
    bounds = sorted(cuts.items()) + [(len(text), "end")]
    start, kind = 0, "start"
    for end, next_kind in bounds:
        if end > start:
            comparative, lead_year = kind == "comparative", None
            if kind == "open":
                lead = _LEAD_PERIOD.match(text, start + 1)
                if lead:
                    comparative, lead_year = True, int(lead.group("year"))
            found.append(Clause(start, end, comparative, lead_year))
        start, kind = end, next_kind
    return found or [Clause(0, len(text))]


def _clause_of(index: int, found: list[Clause]) -> Clause:
    return next((c for c in found if c.start <= index < c.end), found[-1])


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


def _line_in_clauses(amount: Written, amounts: list[Written], text: str, mentions: list[Mention],
                     clause: Clause) -> Mention | None:
    """The line of the amount's own clause; else the last named before the clause; else the nearest."""
    own = [m for m in mentions if clause.start <= m.start < clause.end]
    if own:
        return _line_for(amount, [a for a in amounts if clause.start <= a.start < clause.end], text, own)
    earlier = [m for m in mentions if m.end <= clause.start]
    if earlier:
        return earlier[-1]
    return _line_for(amount, amounts, text, mentions)


def _period_for(amount: Written, amounts: list[Written], mentions: list[Mention]) -> Mention | None:
    """Take the period named right after the amount (no other amount between), else the last before."""
    after = [m for m in mentions if m.start >= amount.end]
    if after and not any(amount.end <= other.start < after[0].start for other in amounts if other is not amount):
        return after[0]
    before = [m for m in mentions if m.end <= amount.start]
    return before[-1] if before else None


def _resolve(what: object, primary: Period, periods: list[Period], settings: ReportSettings) -> list[Period]:
    """Turn a period mention into periods; 'comparative', a bare year, 'ytd' and ('months', n)
    follow the sentence's period."""
    if isinstance(what, list):
        return what
    if what == "ytd":
        months = settings.calendar.months_into_year(primary.end)
        return [p for p in periods if p.months == months and p.end == primary.end and not p.restated][:1]
    if isinstance(what, tuple):
        return [p for p in periods if p.months == what[1] and p.end == primary.end and not p.restated][:1]
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

    @functools.cached_property
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
        words = load_language(SOURCE_LANGUAGE).rule("sentences")  # as the failure messages: in English
        key = "income_negative" if self.statement.line(line_id).sign > 0 else "cost_negative"
        return words[key].format(amount=f"{text}{word}")


def clause_sign(line: Mention, clause, clause_text: str, words: dict) -> bool:
    """Say whether an amount's line is read as a loss, from the words of the amount's own clause.

    A line named in the clause brings its own sign ("net loss of ..."). A line named in an earlier
    clause does not, when this clause says otherwise: after "Loss from mining operations was
    $3.5 million", "compared with earnings of $1.7 million" is a profit, "a loss of" a loss.
    """
    if clause.start <= line.start < clause.end:
        return line.loss
    said = {word.lower() for word in re.findall(r"\w+", clause_text)}
    if said & words["loss_words"]:
        return True
    if said & words.get("profit_words", set()):
        return False
    return line.loss


def check_amount(amount: Written, line_id: str, line_loss: bool, period: Period,
                 figures: Figures) -> tuple[CheckStatus, str]:
    """Compare one written amount with the figure of its line and period, at the precision written."""
    label = figures.statement.line(line_id).label
    if (line_id, period.key) not in figures.amounts:
        return CheckStatus.NOT_CHECKED, f"no figures for {figures.period_name(period)}"
    currency = figures.settings.currency
    if amount.per and amount.per.startswith("quantity:"):
        actual = figures.amounts[line_id, period.key]
        unit = max(amount.unit, figures.published_unit)
        if _round(amount.value, unit) == _round(actual, unit):
            return CheckStatus.TIES, ""
        quantity = amount.per.split(":", 1)[1]
        return CheckStatus.FAILS, (f"{label} for {figures.period_name(period)} is "
                                   f"{format_decimal(actual, locale=figures.settings.locale)} {quantity}")
    if amount.currency and amount.currency != currency:
        converted_from = {rate.base for rate in figures.settings.fx_rates} | {figures.settings.figures_currency}
        if amount.currency in converted_from:
            return CheckStatus.NOT_CHECKED, f"not money of the statement: written in {amount.currency}, " \
                                            f"the figures are in {currency}"
        return CheckStatus.FAILS, (f"{label} for {figures.period_name(period)} is published in {currency}, "
                                   f"not {amount.currency}")
    actual = figures.amounts[line_id, period.key]
    written = -amount.value if (amount.negative or line_loss) else amount.value
    unit = max(amount.unit, figures.published_unit)
    if _round(written, unit) == _round(actual, unit):
        return CheckStatus.TIES, ""
    return CheckStatus.FAILS, (f"{label} for {figures.period_name(period)} is "
                               f"{figures.published_text(line_id, period)} ({figures.as_written(actual, amount, line_id)})")


def _printed_unit(value: Decimal) -> Decimal:
    """One unit of the last printed digit of a published figure: 1 for 4,421, 0.1 for 1.7."""
    return Decimal(1).scaleb(min(0, value.as_tuple().exponent))


def change_range(current: Decimal, before: Decimal) -> tuple[Decimal, Decimal] | None:
    """The percentage changes the printed figures allow: each anywhere within half a unit of its
    last printed digit (1.7 is 1.65 to 1.75). None when the earlier figure may be nil."""
    half_now, half_before = _printed_unit(current) / 2, _printed_unit(before) / 2
    low_before, high_before = before - half_before, before + half_before
    if low_before <= 0:
        return None
    low = (current - half_now - high_before) / high_before * 100
    high = (current + half_now - low_before) / low_before * 100
    return low, high


def _directions(text: str, words: dict, up_key: str, down_key: str) -> tuple[bool, bool]:
    # A hyphenated compound is a noun, not a direction: "inventory write-down", "ramp-up costs".
    text = re.sub(r"\w+(?:-\w+)+", " ", text)
    tokens = {t[2] for t in _tokens(text, words)}
    return bool(tokens & words[up_key]), bool(tokens & words[down_key])


def check_percent(amount: Written, clause_text: str, line_id: str, line_loss: bool, period: Period,
                  figures: Figures, words: dict) -> tuple[CheckStatus, str]:
    """Compare a written percentage with the change of the line from its comparative.

    The change is checked against every change the published figures' printed precision
    allows, widened by one unit of the percentage's last printed digit; the direction words of
    its own clause give its sign ("net loss increased" is a larger loss).
    """
    up, down = _directions(clause_text, words, "increase_words", "decrease_words")
    if {t[2] for t in _tokens(clause_text, words)} & words["ratio_words"]:
        return CheckStatus.NOT_CHECKED, "a ratio (margin, rate, grade), not a change"
    if not (up or down or {t[2] for t in _tokens(clause_text, words)} & words["change_words"]):
        return CheckStatus.NOT_CHECKED, "a percentage that is not a change"
    prior = comparative(period, figures.periods)
    label = figures.statement.line(line_id).label
    if prior is None or (line_id, period.key) not in figures.shown:
        return CheckStatus.NOT_CHECKED, f"no comparative for {figures.period_name(period)}"
    current, before = figures.shown[line_id, period.key], figures.shown[line_id, prior.key]
    if line_loss and current <= 0 and before < 0:
        current, before = -current, -before  # "the net loss narrowed 20%": the loss's size
    where = f"the change in {label} from {figures.period_name(prior)} to {figures.period_name(period)}"
    if before <= 0 or current < 0:
        return CheckStatus.FAILS, (f"{where} has no meaningful percentage (from "
                                   f"{figures.published_text(line_id, prior)} to "
                                   f"{figures.published_text(line_id, period)})")
    change = (current - before) / before * 100
    bounds = change_range(current, before)
    low, high = bounds if bounds else (change, Decimal("Infinity"))
    low, high = low - amount.unit, high + amount.unit
    signed = up != down
    candidates = [-amount.value if down and not up else amount.value] if signed else [amount.value, -amount.value]
    if any(low <= value <= high for value in candidates):
        return CheckStatus.TIES, ""
    return CheckStatus.FAILS, f"{where} is {_round(change, amount.unit):+f}%"


def check_direction(clause_text: str, line_id: str, line_loss: bool, period: Period, figures: Figures,
                    words: dict) -> str | None:
    """Say what is wrong when a clause's verb ("rose", "fell") contradicts the change from the
    comparative; None when it agrees or the figures cannot say."""
    up, down = _directions(clause_text, words, "amount_up_words", "amount_down_words")
    prior = comparative(period, figures.periods)
    if up == down or prior is None or (line_id, prior.key) not in figures.shown:
        return None
    current, before = figures.shown[line_id, period.key], figures.shown[line_id, prior.key]
    if line_loss:
        current, before = -current, -before
    if (up and current < before) or (down and current > before):
        label = figures.statement.line(line_id).label
        return (f"{label} went from {figures.published_text(line_id, prior)} for {figures.period_name(prior)} "
                f"to {figures.published_text(line_id, period)} for {figures.period_name(period)}")
    return None


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


def _fits(amount: Written, unit: str) -> bool:
    """Whether an amount may be a figure of a line counting `unit` (money, per_share)."""
    if amount.percent:
        return unit == "money"
    if amount.per and amount.per.startswith("quantity:"):
        return unit == amount.per
    return unit == ("per_share" if amount.per == "share" else "money")


def check_sentence(sentence: Sentence, figures: Figures, names: dict, words: dict, path: Path) -> list[Finding]:
    """Check every amount of one sentence, each with the line, period and direction of its clause."""
    text = sentence.text
    units = {line.id: line_unit(line, words) for line in figures.statement.lines}
    quantities = frozenset(u.split(":", 1)[1] for u in units.values() if u.startswith("quantity:"))
    amounts = written_amounts(text, words, quantities)
    if not amounts:
        return []
    if PLACEHOLDER.search(text):
        # A placeholder quoting last quarter (ingest --like) is not a statement of this quarter's
        # figures; placeholders stop a build until they are filled in, and are listed by validate.
        return [Finding(path, sentence.line_at(amount.start), _quote(text, amount, None, amounts),
                        CheckStatus.NOT_CHECKED, "in a TODO placeholder") for amount in amounts]
    lines = line_mentions(text, names, words)
    periods = period_mentions(text, figures.periods, figures.settings, words)
    parts = clauses(text, words, lines)
    full = [m for m in periods if isinstance(m.what, list) and m.what
            and not _clause_of(m.start, parts).comparative]
    primary = full[0].what[0] if full else figures.settings.period
    assigned = _respectively(amounts, periods) if words["respectively_word"] in text.lower() else {}
    findings = []
    for amount in amounts:
        where = sentence.line_at(amount.start)
        kind = "percent" if amount.percent else "amount"

        def note(quoted: str, reason: str) -> Finding:
            return Finding(path, where, quoted, CheckStatus.NOT_CHECKED, reason, kind=kind)
        if sentence.in_table:
            # A table's figures take their scale and period from its headings, which a row does
            # not repeat; the statement's own table is figures.csv, tied out above.
            findings.append(note(_quote(text, amount, None, amounts), "in a table"))
            continue
        if amount.per == "unit":
            findings.append(note(_quote(text, amount, None, amounts), "not money: a price per unit"))
            continue
        clause = _clause_of(amount.start, parts)
        usable_lines = [m for m in lines if _fits(amount, units[m.what])]
        line = _line_in_clauses(amount, amounts, text, usable_lines, clause)
        if line is None:
            reason = ("not money: a per-share amount, and the statement has no per-share line"
                      if amount.per == "share" and "per_share" not in units.values()
                      else "names no line of the statement")
            findings.append(note(_quote(text, amount, None, amounts), reason))
            continue
        # A percentage is the change of the sentence's period: "from the same period last year"
        # names what it is measured against, not the period it is about.
        own = [m for m in periods if clause.start <= m.start < clause.end
               and (isinstance(m.what, list) or not amount.percent)]
        mention = _period_for(amount, amounts, own)
        if mention is not None:
            candidates = _resolve(mention.what, primary, figures.periods, figures.settings)
        elif clause.comparative and not amount.percent:
            candidates = _resolve(clause.lead_year or "comparative", primary, figures.periods, figures.settings)
        else:
            candidates = [primary]
        if id(amount) in assigned:
            candidates = [assigned[id(amount)]]
        quoted = _quote(text, amount, line, amounts)
        if not candidates:
            findings.append(note(quoted, "no figures for the period named"))
            continue
        clause_text = text[clause.start:clause.end]
        line_loss = clause_sign(line, clause, clause_text, words)
        results = []
        for period in candidates:
            if amount.percent:
                results.append(check_percent(amount, clause_text, line.what, line_loss, period, figures, words))
                continue
            result = check_amount(amount, line.what, line_loss, period, figures)
            has_percent = any(a.percent and clause.start <= a.start < clause.end for a in amounts)
            if result[0] is CheckStatus.TIES and not clause.comparative and not has_percent:
                wrong_way = check_direction(clause_text, line.what, line_loss, period, figures, words)
                if wrong_way:
                    result = (CheckStatus.FAILS, wrong_way)
            results.append(result)
        index = next((i for i, r in enumerate(results) if r[0] is CheckStatus.TIES), 0)
        status, detail = results[index]
        against = f"{figures.statement.line(line.what).label} for {figures.period_name(candidates[index])}"
        if amount.percent:
            prior = comparative(candidates[index], figures.periods)
            against = (f"the change in {figures.statement.line(line.what).label} from "
                       f"{figures.period_name(prior)} to {figures.period_name(candidates[index])}"
                       if prior else against)
        findings.append(Finding(path, where, quoted, status, detail, line.what, candidates[index].key, kind,
                                against))
    return findings


def check_commentary(commentary: Commentary, table: pd.DataFrame, statement: Statement,
                     settings: ReportSettings, language: str | None = None) -> list[Finding]:
    """Check every amount and percentage of a loaded commentary, in the order they are written.

    `language` (`fr`) reads a translation: its words (`reading` in its language file) and the
    statement's labels in that language; the settings' locale's language otherwise (English when
    reporter has no file for it).

    >>> findings = check_commentary(report.commentary, report.figures, report.statement,
    ...                             report.settings)   # doctest: +SKIP
    """
    readers = commentary_readers()
    code = language or settings.locale.split("_")[0].split("-")[0].lower()
    if language is None and code not in readers:
        code = SOURCE_LANGUAGE
    if code not in readers:
        raise DataError(f"the commentary check does not read {code!r}; it reads {', '.join(readers)} "
                        f"(`reading` in reporter/inputs/languages/{code}.yaml)", file=commentary.path)
    words = load_language(code).rule("reading")
    if language and any(line.label_in(code) for line in statement.lines):
        statement = statement.localized(code)
    figures = Figures.of(table, statement, settings)
    names = line_names(statement, words)
    return [finding for sentence in sentences(commentary)
            for finding in check_sentence(sentence, figures, names, words, commentary.path)]


# --------------------------------------------------------------------------------------------
# What the reader sees: each line is checked after YAML and Markdown have read it (_segments)
# --------------------------------------------------------------------------------------------

# Characters that can make markdown-it's inline text differ from the line as written (escapes,
# entities, emphasis, code, links); a line without any is shown as written.
_INLINE_MARKUP = re.compile(r"[\\&*_`\[\]<!~]")


def _inline_text(line: str) -> str:
    """The text markdown-it makes of one line (no typographer: it changes quotes, never digits)."""
    from markdown_it import MarkdownIt

    global _INLINE_PARSER
    if _INLINE_PARSER is None:
        _INLINE_PARSER = MarkdownIt("commonmark", {"html": False})
    indent = line[:len(line) - len(line.lstrip())]
    parts = []
    for token in _INLINE_PARSER.parseInline(line.strip())[0].children or []:
        if token.type in ("text", "code_inline"):
            parts.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return indent + "".join(parts).replace("\n", " ")


_INLINE_PARSER = None


def _unquote(fragment: str, style: str) -> str:
    """One line of a quoted YAML scalar as YAML reads it; a line it cannot read stays as written."""
    import yaml

    if style == "'":
        return fragment.replace("''", "'")
    fragment = fragment.strip()
    if fragment.endswith("\\") and not fragment.endswith("\\\\"):  # an escaped line break
        fragment = fragment[:-1]
    try:
        value = yaml.load(f'"{fragment}"', Loader=yaml.SafeLoader)  # noqa: S506 - SafeLoader
    except yaml.YAMLError:
        return fragment
    return " ".join(str(value).splitlines()) if isinstance(value, str) else fragment


def require_true_commentary(findings: list[Finding]) -> None:
    """Stop at the first amount of the commentary that the figures contradict."""
    for finding in findings:
        if finding.status is CheckStatus.FAILS:
            raise DataError(finding.describe(), file=finding.file, line=finding.line)
