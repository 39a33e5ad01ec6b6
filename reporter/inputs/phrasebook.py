"""Words, per language, that the commentary check reads and the highlight sentences write.

Data only: the commentary check (`reporter.data.factcheck`) and the sentence writer
(`reporter.context.narrative`) look words up here and never spell a word themselves, so another language
is another entry in each table (English is the only one so far; the key is the locale's language).
Line synonyms particular to one company belong in its statement.yaml (`synonyms:` on a line).
"""

from __future__ import annotations

# --------------------------------------------------------------------------------------------
# Reading commentary (reporter.data.factcheck)
# --------------------------------------------------------------------------------------------

READING: dict[str, dict] = {
    "en": {
        # Words that mean the same in a line's name: both the label and the sentence are read
        # through this table, so "earnings from mining operations" names Income From Mining
        # Operations. A word mapped to "income" with `loss: true` says the figure is negative.
        "word_synonyms": {
            "earnings": "income", "profit": "income", "profits": "income",
            "revenues": "revenue", "sales": "revenue",
            "costs": "cost", "expenses": "expense", "amortisation": "amortization",
            "&": "and",
        },
        "loss_words": {"loss", "losses", "deficit"},
        "loss_word_means": "income",
        # Words right before an amount that make it negative: "a loss of $0.4 million".
        "negative_before": ("loss of", "losses of", "net credit of", "negative", "deficit of"),
        # Where a line's label may be cut to a shorter name ("Net Income Before Tax ..." is
        # also "net income before tax" and "net income"), when that shorter name is unique.
        "label_cuts": ("before", "and", "from", "of"),
        # Scale words after a number, and the units they stand for.
        "scale_words": {"million": 1_000_000, "millions": 1_000_000, "m": 1_000_000, "mm": 1_000_000,
                        "thousand": 1_000, "thousands": 1_000, "k": 1_000, "billion": 1_000_000_000},
        # A number followed by one of these is a quantity, not money: left alone.
        "quantity_words": {"tonnes", "tonne", "tons", "ton", "ounces", "oz", "pounds", "lbs",
                           "shares", "units", "employees", "people", "metres", "meters",
                           "kilometres", "kilometers", "km", "hectares", "mtu", "mtus"},
        "percent_words": ("%", "per cent", "percent"),
        # A percentage is a change only when one of these is in the sentence.
        "increase_words": {"increase", "increased", "increases", "up", "rose", "grew", "higher",
                           "growth", "improvement", "improved"},
        "decrease_words": {"decrease", "decreased", "decreases", "down", "fell", "declined",
                           "decline", "lower", "drop", "dropped", "reduction"},
        "change_words": {"change", "changed"},
        # Period words: lengths, the comparative, quarters, restated.
        "months": {"one": 1, "three": 3, "six": 6, "nine": 9, "twelve": 12,
                   "1": 1, "3": 3, "6": 6, "9": 9, "12": 12},
        "month_word": r"months?",
        "ended_words": r"(?:ended|ending|to)",
        "year_ended": r"(?:fiscal\s+)?year\s+(?:ended|ending)",
        "quarter_ended": r"quarter\s+(?:ended|ending)",
        "ordinal_quarters": {"first": 1, "second": 2, "third": 3, "fourth": 4},
        "comparative_phrases": ("same period last year", "same period of the prior year",
                                "prior year", "previous year", "a year earlier", "last year",
                                "comparative period", "comparative periods"),
        "year_only": r"(?:in|of|for)\s+(?:fiscal\s+)?",
        "restated_word": "restated",
        "respectively_word": "respectively",
        "and_word": "and",
    },
}

# --------------------------------------------------------------------------------------------
# Writing highlight sentences (reporter.context.narrative)
# --------------------------------------------------------------------------------------------

WRITING: dict[str, dict] = {
    "en": {
        # One sentence per key figure and period. {label} is in sentence case.
        "sentence": "{label} was {now} for {period}{comparison}.",
        "comparison": ", compared with {before} in the same period of {year}{restated}{change}",
        # A whole fiscal year has no "same period": it is the year before.
        "comparison_full_year": ", compared with {before} in fiscal {year}{restated}{change}",
        "restated": " (restated)",
        # The words for an amount, by what the line is and the figure's sign.
        "nil": "nil",
        "income_positive": "{amount}",          # income line, earnings
        "income_negative": "a loss of {amount}",
        "cost_positive": "{amount}",            # cost line, a charge
        "cost_negative": "a net credit of {amount}",
        # Before the figure of the comparative, once the current figure has another sign,
        # so "compared with earnings of $0.5 million" never reads as a second loss.
        "income_positive_after_loss": "earnings of {amount}",
        "cost_positive_after_credit": "a charge of {amount}",
        "unchanged": ", unchanged",
        "increase": ", an increase of {percent}%",
        "decrease": ", a decrease of {percent}%",
        "million": "{amount} million",
        # A label that names a loss ("Loss from mining operations", "Net loss") says the sign
        # itself: its negative figure is written bare, so the line is named once. A label that
        # gives both ("Earnings (loss) before tax") is written with the word of the figure's sign.
        "loss_words": {"loss", "losses", "deficit"},
        # Words kept in capitals when a label is put in sentence case.
        "keep_case": {"SG&A", "G&A", "EBITDA", "EBIT", "IFRS", "GAAP", "FX", "R&D", "MD&A"},
        # Key-figure cards: the scale beside the figure, and the change from the comparative.
        "card_scale": {1: "", 1_000: "thousand", 1_000_000: "million"},
        "card_unit": {1: "{currency}", 1_000: "{currency} thousands", 1_000_000: "{currency} millions"},
        "card_changes": {"unchanged": "unchanged", "from_nil": "up from nil", "to_nil": "down to nil",
                         "from_loss": "from a loss", "to_loss": "to a loss",
                         "loss_narrowed": "loss narrowed", "loss_widened": "loss widened",
                         "beyond_limit": "up more than 500%", "not_meaningful": "n.m."},
    },
}


def language_of(locale: str) -> str:
    """Return the language key of a locale (`en_CA` -> `en`); English when the table has no entry."""
    language = locale.split("_")[0].split("-")[0].lower()
    return language if language in READING and language in WRITING else "en"
