"""The language a document is written in: how it names periods and dates, writes figures and
sentences, and reads a commentary.

Every language is one data file, `reporter/inputs/languages/<code>.yaml` (English `en.yaml`,
French `fr.yaml`), with its rules: period headings, date patterns (Babel CLDR), number patterns,
notes, the grammar of generated sentences and the words the commentary check reads. English takes
the same path as any other language; it is only the default when report.yaml names no languages.
A language file is checked on load against `SCHEMA`: a missing or mistyped key is one line naming
the file and the key. Template strings are translated separately, by the themes' gettext catalogs
(`reporter.theme.catalogs`).

Takes: a locale tag (`fr_CA`). Gives: a `Language` (dates, period names) and its rules.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.dates import format_date

from reporter.errors import DataError
from reporter.formatting import SCALE_CAPTIONS
from reporter.inputs.periods import FiscalCalendar, Period
from reporter.inputs.yamlfile import read_yaml

# The language of a report whose report.yaml names none.
SOURCE_LANGUAGE = "en"
RULES_DIR = Path(__file__).resolve().parent / "languages"


@dataclass(frozen=True)
class Language:
    """One language of a report: a Babel locale tag (`fr_CA`) and the rules of its data file."""

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

    def rule(self, *keys: str) -> Any:
        """Return one rule, e.g. `rule("numbers", "nil")`."""
        value: Any = self.rules
        for key in keys:
            value = value[key]
        return value

    def optional(self, *keys: str) -> Any:
        """Return a rule the file may leave out (the locale's own pattern then), or None."""
        try:
            return self.rule(*keys)
        except KeyError:
            return None

    @property
    def reads_commentary(self) -> bool:
        """Say whether the commentary check can read this language (its file has `reading`)."""
        return "reading" in self.rules

    # --- dates and periods -----------------------------------------------------------------

    def date(self, day: dt.date) -> str:
        """Write a date in full: `June 30, 2011`, `30 juin 2011`, `1er octobre 2011`."""
        return self._first_day(format_date(day, self.rule("dates", "long"), locale=self.tag), day)

    def day_month(self, day: dt.date) -> str:
        """Write a day and month: `June 30`, `30 juin`."""
        return self._first_day(format_date(day, self.rule("dates", "day_month"), locale=self.tag), day)

    def month_short(self, day: dt.date) -> str:
        """Write a month shortly: `Sep` from the file's `month_short`, else the locale's (CLDR `MMM`)."""
        names = self.optional("dates", "month_short")
        return names[day.month - 1] if names else format_date(day, "MMM", locale=self.tag)

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
        return self._span(period)["heading"].format(**self._period_words(period))

    def phrase(self, period: Period) -> str:
        """Name a period in running text: `the three months ended June 30, 2011`."""
        return self._span(period)["phrase"].format(**self._period_words(period))

    def label(self, calendar: FiscalCalendar, period: Period) -> str:
        """Name a period shortly: `Q3 2011`, `T3 2011`; `9M 2011`, `9 mois 2011`."""
        labels = self.rule("periods", "labels")
        year, into = calendar.fiscal_year(period.end), calendar.months_into_year(period.end)
        values = {"year": year, "months": period.months, "quarter": into // 3,
                  "day_month": self.day_month(period.end), "month_short": self.month_short(period.end)}
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
        return self.rule("periods", "restated").format(year=label)

    def year_heading(self, period: Period) -> str:
        """Head a column with its year: `2011`, `2010 (restated)`, `2010 (retraité)`."""
        year = str(period.end.year)
        if not period.restated:
            return year
        return self.rule("periods", "restated").format(year=year)


# What a language file holds: each key's dotted place and the type of its value (`text`: a
# string; `table`: a mapping; `list`: a list). Keys marked optional may be left out.
SCHEMA: dict[str, str] = {
    "code": "text", "name": "text",
    "dates": "table", "dates.long": "text", "dates.day_month": "text",
    "periods": "table", "periods.spans": "table", "periods.spans.other": "table",
    "periods.spans.other.heading": "text", "periods.spans.other.phrase": "text",
    "periods.months_words": "table", "periods.labels": "table", "periods.labels.year": "text",
    "periods.labels.quarter": "text", "periods.labels.year_to_date": "text", "periods.labels.other": "text",
    "periods.restated": "text", "periods.year_end": "table", "periods.year_end.find": "text",
    "periods.year_end.replace": "text",
    "punctuation": "table", "punctuation.colon": "text",
    "titles": "table", "titles.document": "text",
    "numbers": "table", "numbers.percent_change": "text", "numbers.not_meaningful": "text",
    "numbers.nil": "text", "numbers.margin_percent": "text", "numbers.points_change": "text",
    "numbers.millions_one": "text", "numbers.millions_other": "text", "numbers.caption": "text",
    "fx": "table", "fx.row": "text", "fx.source": "text", "fx.note": "text", "fx.converted": "text",
    "fx.published": "text", "fx.published_by": "text", "fx.rate": "text", "fx.currency_names": "table",
    "fx.rounding": "text", "fx.and": "text", "fx.pair": "text",
    "cards": "table", "cards.card_scale": "table", "cards.card_unit": "table", "cards.card_changes": "table",
    "charts": "table", "charts.unit_words": "table", "charts.other_items": "text",
    "charts.other_items_before": "text", "charts.folded_note": "text", "charts.net_credit": "text",
    "sentences": "table", "sentences.grammar": "text", "sentences.loss_words": "list",
}
OPTIONAL: dict[str, str] = {
    "dates.first_day": "text", "dates.month_short": "list", "typography": "table",
    "typography.nonbreaking": "list", "numbers.accounting_currency": "text", "numbers.dollar_units": "table",
    "numbers.scale_words": "table", "numbers.caption_spans": "flag",
    "fx.published_by_none": "text", "reading": "table", "sentences.sentence_plural": "text",
    "sentences.number": "table",
}
# Lists an optional table must give once it is there: a label's head noun is weighed by all three.
REQUIRED_IN = {"sentences.number": ("head_ends_before", "plural_endings", "singular_endings")}
TYPES = {"text": str, "table": dict, "list": list, "flag": bool}
# The tables keyed by the report's scale (1, 1000, 1000000): every scale a report may have needs its words.
SCALE_TABLES = ("cards.card_scale", "cards.card_unit", "charts.unit_words")
GRAMMARS = ("template", "agreement")
# The words of `reading` the commentary check takes as sets (it intersects them with a clause's words).
READING_SETS = ("loss_words", "profit_words", "quantity_words", "increase_words", "decrease_words",
                "change_words", "ratio_words", "amount_up_words", "amount_down_words", "short_scale_words")


def check_rules(rules: Any, path: Path) -> dict[str, Any]:
    """Refuse a language file that lacks a key or gives it the wrong kind of value; one line, file and key."""
    if not isinstance(rules, dict):
        raise DataError("a language file is a mapping of sections (dates, periods, numbers, ...)", file=path)
    for place, kind in [*SCHEMA.items(), *OPTIONAL.items()]:
        value: Any = rules
        for key in place.split("."):
            value = value.get(key) if isinstance(value, dict) else None
        if value is None and place in OPTIONAL:
            continue
        if value is None:
            raise DataError(f"no `{place}` (every language file gives it; see en.yaml)", file=path)
        if not isinstance(value, TYPES[kind]):
            raise DataError(f"`{place}` must be a {kind}, got {type(value).__name__}", file=path)
    months = rules["dates"].get("month_short")
    if months is not None:
        others = [name for name in months if not isinstance(name, str)]
        if len(months) != 12 or others:
            got = (f"{len(months)} items" if len(months) != 12
                   else f"{others[0]!r} ({type(others[0]).__name__}) among them")
            raise DataError(f"`dates.month_short` must be 12 month names, January first, got {got}", file=path)
    for place, keys in REQUIRED_IN.items():
        section, key = place.split(".")
        table = rules[section].get(key)
        for needed in keys if table is not None else ():
            words = table.get(needed)
            if not isinstance(words, list):
                raise DataError(f"`{place}.{needed}` must be a list (`{place}` gives {', '.join(keys)})", file=path)
            # Each is matched against a label's words (str.endswith): anything but text fails there.
            others = [word for word in words if not isinstance(word, str)]
            if others:
                raise DataError(f"`{place}.{needed}` must be a list of words, got {others[0]!r} among them", file=path)
    for index, pattern in enumerate((rules.get("typography") or {}).get("nonbreaking") or []):
        # Each pattern's two groups are joined by a non-breaking space (reporter.context.document).
        try:
            groups = re.compile(pattern).groups if isinstance(pattern, str) else -1
        except re.error as exc:
            raise DataError(f"`typography.nonbreaking[{index}]` is not a regular expression ({exc})", file=path) from None
        if groups < 2:
            raise DataError(f"`typography.nonbreaking[{index}]` must be a regular expression with two groups "
                            f"(the words joined by a non-breaking space), got {pattern!r}", file=path)
        if nested_repeat(pattern):
            raise DataError(f"`typography.nonbreaking[{index}]` repeats a repeat ({pattern!r}): on a "
                            "paragraph it does not match, it may take hours (write each word out: `(\\d) (%)`)",
                            file=path)
    for place in SCALE_TABLES:
        section, key = place.split(".")
        missing = [scale for scale in SCALE_CAPTIONS if scale not in rules[section][key]]
        if missing:
            raise DataError(f"`{place}` gives no words for the scale {missing[0]} "
                            f"(it needs {', '.join(map(str, SCALE_CAPTIONS))})", file=path)
    grammar = rules["sentences"]["grammar"]
    if grammar not in GRAMMARS:
        raise DataError(f"`sentences.grammar` must be one of {', '.join(GRAMMARS)}, got {grammar!r}", file=path)
    if rules["code"] != path.stem:
        raise DataError(f"`code` is {rules['code']!r} but the file is named {path.name}", file=path)
    return rules


def nested_repeat(pattern: str) -> bool:
    """Say whether a repeat without end holds a repeat of varying length (`(\\w+\\s?)+`): on text
    it does not match, Python's re tries every way of sharing the text out, exponential in its
    length (the pattern runs over every paragraph of the commentary). A valid pattern only."""
    try:  # the standard library's own reading of a pattern (private: sre_parse before 3.11)
        from re import _parser  # type: ignore[attr-defined]
    except ImportError:  # pragma: no cover - a Python that moved it again
        # Language files are reporter's own (none comes from a report or theme folder): a Python
        # whose `re` cannot be read so loses this guard on them, not a build.
        return False

    repeats = (_parser.MAX_REPEAT, _parser.MIN_REPEAT)

    def holds(items: Any, inside: bool) -> bool:
        for op, arg in items:
            if op in repeats:
                if inside and arg[1] > 1 and arg[0] != arg[1]:  # `\w+` inside, not `,\d{3}`
                    return True
                if holds(arg[2], inside or arg[1] == _parser.MAXREPEAT):
                    return True
            elif op is _parser.SUBPATTERN and holds(arg[3], inside):
                return True
            elif op is _parser.BRANCH and any(holds(branch, inside) for branch in arg[1]):
                return True
            elif op in (_parser.ASSERT, _parser.ASSERT_NOT) and holds(arg[1], inside):
                return True
        return False

    return holds(_parser.parse(pattern), False)


def reading_words(rules: dict[str, Any]) -> dict[str, Any]:
    """The commentary check's words of a language file: its sets as sets, its lists as tuples."""
    def frozen(value: Any) -> Any:
        return tuple(frozen(item) for item in value) if isinstance(value, list) else value

    return {key: frozenset(value) if key in READING_SETS else frozen(value)
            for key, value in rules["reading"].items()}


@lru_cache(maxsize=None)
def _rules(code: str, folder: Path) -> dict[str, Any]:
    path = folder / f"{code}.yaml"
    if not path.is_file():
        known = sorted(p.stem for p in folder.glob("*.yaml"))
        raise DataError(f"reporter has no rules for the language {code!r}; it knows {', '.join(known)} "
                        f"(add reporter/inputs/languages/{code}.yaml)")
    rules = check_rules(read_yaml(path), path)
    if "reading" in rules:
        rules = {**rules, "reading": reading_words(rules)}
    return rules


def load_language(tag: str, *, settings_file: Path | None = None) -> Language:
    """Check a language tag (`en_CA`, `fr_CA`) against Babel and load its rules."""
    try:
        Locale.parse(tag)
    except (UnknownLocaleError, ValueError, TypeError):
        raise DataError(f"unknown language {tag!r} in `languages` (use a locale such as en_CA or fr_CA)",
                        file=settings_file) from None
    try:
        return Language(tag, _rules(tag.split("_")[0], RULES_DIR))
    except DataError as error:
        if error.file is not None:
            raise  # a mistake inside the language file: its own place
        raise DataError(error.message, file=settings_file) from None


def commentary_readers() -> list[str]:
    """The languages the commentary check reads: those whose file has `reading`."""
    return sorted(path.stem for path in RULES_DIR.glob("*.yaml") if "reading" in _rules(path.stem, RULES_DIR))


def default_language() -> Language:
    """The language of a report whose report.yaml names none."""
    return load_language(SOURCE_LANGUAGE)


def language_words(locale: str, section: str) -> dict[str, Any]:
    """One section of the rules of a locale's language (`en_CA` -> en.yaml), the default
    language's when reporter has no file for it: the words a stage writes in the locale's language."""
    code = locale.split("_")[0].split("-")[0].lower()
    language = load_language(code) if (RULES_DIR / f"{code}.yaml").is_file() else default_language()
    return language.rule(section)
