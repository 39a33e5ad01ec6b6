"""What ingest recognises, as data: period words, header patterns, currencies, scales, FX rows."""

from __future__ import annotations

import re


XLSX_SUFFIXES = frozenset({".xlsx", ".xlsm"})
CSV_SUFFIXES = frozenset({".csv"})
# Prose files hold the table as one block of tab-separated lines among paragraphs.
PROSE_SUFFIXES = frozenset({".md", ".markdown", ".txt"})

SCALES = ("units", "thousands", "millions")

LENGTH_WORDS = {
    "three": 3, "3": 3,
    "six": 6, "6": 6,
    "nine": 9, "9": 9,
    "twelve": 12, "12": 12,
}
MONTH_WORDS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}
# How a period heading gives its length: a pattern, and the months it means (None: read the
# `n` group through LENGTH_WORDS). The first pattern that matches wins, so "half year" precedes
# "year".
# "ended June 30", "ending", and the British and Australian "to 30 June".
_ENDED = (r"(?:end(?:ed|ing)\b|to\s+(?=\d{1,2}(?:st|nd|rd|th)?\s+[a-z]"
          r"|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d))")
HEADING_PATTERNS: tuple[tuple[re.Pattern[str], int | None], ...] = (
    (re.compile(r"\b(?P<n>three|six|nine|twelve|3|6|9|12)[\s-]*months?\s+(?:period\s+)?" + _ENDED,
                re.I), None),
    (re.compile(r"\bquarter\s+" + _ENDED, re.I), 3),
    (re.compile(r"\bhalf[\s-]*year\s+" + _ENDED, re.I), 6),
    (re.compile(r"\b(?:fiscal\s+)?year\s+" + _ENDED, re.I), 12),
)
MONTH_DAY = re.compile(
    r"\b(?P<month>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(?P<day>\d{1,2})"
    r"(?:st|nd|rd|th)?\b,?\s*(?P<year>(?:19|20)\d{2}\b)?"
    # day first, as British and Australian releases write it: "30 June", "31 Dec 2021"
    r"|\b(?P<day2>\d{1,2})(?:st|nd|rd|th)?\s+(?P<month2>jan|feb|mar|apr|may|jun|jul|aug|sep|oct"
    r"|nov|dec)[a-z]*\.?,?\s*(?P<year2>(?:19|20)\d{2}\b)?",
    re.I,
)
YEAR_CELL = re.compile(r"^(?P<pre>\(?restated\)?\s*)?(?P<year>(?:19|20)\d{2})"
                       r"\s*(?P<post>\(?(?:as\s+)?restated\)?)?\s*\**$", re.I)
RESTATED = re.compile(r"\brestated\b", re.I)
RESTATED_WORDS = re.compile(r"\(?\b(?:as\s+)?restated\b\)?", re.I)
# Header cells that are a period by themselves.
DATE_LENGTH = re.compile(r"^\s*(?P<n>\d{1,2})\s*M\b\s*", re.I)  # "9M 30-Sep-21"
_MONTH_NAME = r"(?P<month>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
DATE_PATTERNS: tuple[re.Pattern[str], ...] = (
    re.compile(r"(?P<day>\d{1,2})[-/ ]" + _MONTH_NAME + r"[-/ ](?P<year>\d{2}|\d{4})", re.I),
    re.compile(r"(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})"),
    re.compile(_MONTH_NAME + r"\s+(?P<day>\d{1,2}),?\s+(?P<year>\d{4})", re.I),
)
FISCAL_CELL = re.compile(r"(?:Q(?P<q>[1-4])|H(?P<h>[12]))?\s*(?:(?<=\d)\s+)?(?:FY\s*)?"
                         r"(?P<year>(?:19|20)\d{2}|\d{2}(?=$))", re.I)
STATED_PERIOD = re.compile(r"(?P<months>\d{1,2})M:(?P<end>\d{4}-\d{2}-\d{2})(?P<r>R)?", re.I)
# Header cells that say something about the audit, not about the period: read past them.
HEADER_NOISE = re.compile(r"^\(?(?:un)?audited\)?$|^units?$|^unit of measure$", re.I)
# Columns that compare periods rather than give one: read past them, never as a period.
CHANGE_CELL = re.compile(r"^(?:%\s*)?(?:change|chg|var(?:iance)?|movement)(?:\s*%)?$|"
                         r"^%\s*increase\s*/?\s*\(?decrease\)?$|^up\s*/\s*\(?down\)?(?:\s*%)?$|"
                         r"^%$", re.I)

CURRENCY_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\bC\$|\bCdn\$|\bCAD\b|\bcanadian\s+dollars?\b", re.I), "CAD"),
    (re.compile(r"\bUS\$|\bUSD\b|\bU\.?S\.?\s+dollars?\b|\bunited\s+states\s+dollars?\b", re.I),
     "USD"),
    (re.compile(r"\bA\$|\bAUD\b|\baustralian\s+dollars?\b", re.I), "AUD"),
    (re.compile(r"€|\bEUR\b|\beuros?\b", re.I), "EUR"),
    (re.compile(r"£|\bGBP\b|\bpounds?\s+sterling\b", re.I), "GBP"),
    (re.compile(r"\bCHF\b|\bswiss\s+francs?\b", re.I), "CHF"),
)
# What a scale letter follows in a units cell: "US$m", "£m", "€mn", "GBPm", "$K" (a code in
# capitals only: "Qtr m" is no money).
_SCALED_MONEY = r"(?:\$|€|£|(?-i:\b[A-Z]{3}))"
SCALE_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    # "000" alone, "$'000", "000s"; the look-behind keeps "2000" a year.
    (re.compile(rf"(?<![\d.,])'?000'?s?(?![\d,])|\bthousands?\b|{_SCALED_MONEY}\s*K\b", re.I), "thousands"),
    (re.compile(rf"\bmillions?\b|{_SCALED_MONEY}\s*(?:MM?|mn)\b|\bMM\b|\bmln\b", re.I), "millions"),
    (re.compile(r"\bunits\b", re.I), "units"),
)

# An exchange-rate row names a currency pair and a rate word; the label gives its length.
FX_PAIR = re.compile(r"\b(?P<base>[A-Z]{3})\s*[=/]\s*(?P<quote>[A-Z]{3})\b")
FX_WORDS = re.compile(r"\b(?:fx|exchange|rates?|average)\b", re.I)
FX_MONTHS = re.compile(r"\b(?P<n>three|six|nine|twelve|\d{1,2})[\s-]*months?\b", re.I)
FX_SOURCE = re.compile(r"\bper\s+(?P<source>.+?)\s*$", re.I)
FX_RATE = re.compile(r"^\d+(?:\.\d+)?$")

# Markdown escapes a backslash before ASCII punctuation; the pasted seed has "\$".
MARKDOWN_ESCAPE = re.compile(r"\\(?=[!-/:-@\[-`{-~])")
MARKDOWN_EMPHASIS = re.compile(r"^(\*\*|__|\*|_)(?P<text>.+)\1$")
MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+(?P<text>.+?)\s*#*$")
# Footnote marks pasted on a label or title: "Revenue (1)", "Revenue¹", "Revenue*", "Revenue†".
FOOTNOTE_MARK = re.compile(r"\s*(?:\((\d{1,2}|[a-z])\)|([⁰¹²³⁴⁵⁶⁷⁸⁹]+)|(\*{1,3})|([†‡])"
                           r"|(?<=[a-z])(\d))"  # a superscript read back from a PDF: "Information1"
                           r"(?=\s*:?\s*$)")
PERIOD_WORDS = {3: "three", 6: "six", 9: "nine", 12: "twelve"}

# A unit printed in a figure's cell, after it: "13.85 cents", "6,747 oz", "1,699 per oz",
# "11.1M", "42%", "1.5x", "1,402 $/oz". The figure ends on a digit or its closing bracket.
CELL_UNIT = re.compile(r"^(?P<figure>.*?\d\)?)\s*(?P<unit>(?:[A-Z]{0,3}\$|€|£)\s*/\s*[A-Za-z]+"
                       r"|(?:per\s+|/)?[A-Za-z%¢'/][A-Za-z%¢'/ .]*?)\.?\s*$")
# Suffixes that give a money cell its scale, not a unit of its own: "$11.1M", "$850k".
CELL_SCALES = {"m": "millions", "mn": "millions", "mm": "millions", "million": "millions",
               "millions": "millions", "k": "thousands", "thousand": "thousands"}
# A line's label that says it is per share, whatever its cells print.
PER_SHARE_LABEL = re.compile(r"\bper\s+(?:ordinary\s+|common\s+)?share\b|\bEPS\b", re.I)
CENTS = re.compile(r"^(?:cents?|c|¢|US\s*cents?|cps)$", re.I)
# A cell of the units column that is money at the table's scale: "US$m", "$'000", "A$000".
MONEY_UNIT = re.compile(r"^(?:[A-Z]{0,3}\$|[A-Z]{3}|€|£)\s*(?:'?000'?s?|m|mn|million|k)?$|"
                        r"^(?:'?000'?s?|m|mn|millions?|thousands?)$", re.I)
# A unit given in brackets at the end of a label: "Basic earnings per share (cents)",
# "Gold sold (oz)", "Cash cost (US$/oz)". Only units: "(loss)" or "(restated)" stay in the label.
_QUANTITY = r"(?:'000\s*)?(?:oz|koz|moz|t|kt|mt|tonnes|lbs?|mlb|mtu|g/t)"
LABEL_UNIT = re.compile(r"\s*\((?P<unit>cents|c|¢|%|x|" + _QUANTITY +
                        r"|(?:[A-Z]{0,3}\$|cents|c)\s*/\s*(?:oz|lb|t|tonne|mtu))\)\s*$", re.I)
# A heading that shares out the line above it: "Net income attributable to:", "Attributable to:".
ATTRIBUTION_HEADING = re.compile(r"\battributable\s+to\s*:?\s*$", re.I)
# A line that shares out the line above it without a heading: "Profit attributable to owners of
# the Company", "Non-controlling interests", "Minority interest".
ATTRIBUTION_LABEL = re.compile(r"\battributable\s+to\b|\bnon[-\s]?controlling\s+interests?\b"
                               r"|\bminority\s+interests?\b", re.I)
# Whom a line under an "Attributable to:" heading names: "Equity holders of the parent",
# "Shareholders of the Company", "Owners", "Members of the parent entity".
OWNER_LABEL = re.compile(r"\b(?:(?:equity\s+|share|stock)?holders?|owners?|members)\b", re.I)
# "Less: net income attributable to non-controlling interests" above "Net income attributable to
# the Company" (US GAAP) is a deduction: the subtotal inference reads it, as the label says.
DEDUCTION_LABEL = re.compile(r"^\s*less\b", re.I)
# The lines a per-share heading ("Net income per share attributable to shareholders:") heads.
SHARE_CLASS_LABEL = re.compile(r"^(?:basic|diluted)(?:\s+and\s+(?:basic|diluted))?\b", re.I)
# A label that names a price per unit: with only a currency in its cells ("US$ 2,201", a units
# column's "US$") it is money per unit, never money at the table's scale. "Revenue at realised
# prices" is money at the scale: a label naming revenue, sales or income is never a price.
PRICE_LABEL = re.compile(r"\bprices?(?:\s+(?:received|realised|realized|achieved))?\s*$"
                         r"|\bper\s+(?:ounce|oz|tonne|ton|pound|lb|gram|unit)\b|/\s*(?:oz|t|lb)\b", re.I)
NOT_PRICE_LABEL = re.compile(r"\b(?:revenues?|sales|income|proceeds|profit|earnings)\b", re.I)
# A cell holding only a currency per unit, the figure in the next cell: "$/oz", "US$/oz", "€/t".
LONE_PRICE_UNIT = re.compile(r"^(?:[A-Z]{0,3}\$|€|£)\s*/\s*[A-Za-z]+$")
# A quantity a label names, with no unit printed: "Gold ounces sold" is ounces, never money.
QUANTITY_LABELS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\bounces\b", re.I), "oz"),
    (re.compile(r"\btonnes\b", re.I), "t"),
    (re.compile(r"\bpounds\b", re.I), "lb"),
)
# A count of shares, which "(in thousands except per share data)" leaves at the table's scale.
SHARES_LABEL = re.compile(r"\bshares\b(?!.*\bper\b)", re.I)
# "$" or ")" pasted in a cell of its own, beside the figure (EDGAR pages).
LONE_SIGN = re.compile(r"^(?:[A-Z]{0,3}\$|€|£)$")
LONE_CLOSE = re.compile(r"^\)%?$")
