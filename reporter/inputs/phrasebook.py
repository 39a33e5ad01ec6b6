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
        # Names that mean one line, whichever of them the statement's label uses: a label
        # matching one name of a group is also found by the others (read through word_synonyms,
        # so "net profit" and "net earnings" are already "net income").
        "name_groups": (
            ("revenue", "sales revenue", "revenue from sales", "turnover", "sales", "total revenue"),
            ("net income", "income after tax", "income attributable to members", "net income attributable to members",
             "income attributable to shareholders", "income attributable to owners",
             "income attributable to equity holders"),
            ("ebitda", "underlying ebitda", "adjusted ebitda"),
            ("operating income", "income from operations", "operating result", "ebit"),
        ),
        "loss_words": {"loss", "losses", "deficit"},
        "loss_word_means": "income",
        # Words that say a clause's figure is a profit: "compared with earnings of $1.7 million"
        # after "Loss from mining operations was ..." is a profit, not a second loss.
        "profit_words": {"earnings", "profit", "profits", "income", "gain", "gains"},
        # Words right before an amount that make it negative: "a loss of $0.4 million".
        "negative_before": ("loss of", "losses of", "net credit of", "negative", "deficit of"),
        # Where a line's label may be cut to a shorter name ("Net Income Before Tax ..." is
        # also "net income before tax" and "net income"), when that shorter name is unique.
        "label_cuts": ("before", "and", "from", "of", "attributable", "for"),
        # Scale words after a number, and the units they stand for.
        "scale_words": {"million": 1_000_000, "millions": 1_000_000, "m": 1_000_000, "mm": 1_000_000,
                        "mn": 1_000_000, "thousand": 1_000, "thousands": 1_000, "k": 1_000,
                        "billion": 1_000_000_000, "billions": 1_000_000_000, "bn": 1_000_000_000},
        # Short scale words ("$91.1m", "$1.2bn") count only right after a currency: "50 m" is metres.
        "short_scale_words": {"m", "mm", "mn", "k", "bn"},
        # Currency signs and codes before a figure, and the ISO code each means; "$" alone is any
        # dollar. A three-letter ISO code known to Babel is read too (reporter.data.factcheck).
        "currency_signs": {"$": None, "C$": "CAD", "CA$": "CAD", "CAD$": "CAD", "Cdn$": "CAD",
                           "US$": "USD", "U.S.$": "USD", "A$": "AUD", "AU$": "AUD", "AUD$": "AUD",
                           "NZ$": "NZD", "HK$": "HKD", "S$": "SGD", "£": "GBP", "€": "EUR", "¥": "JPY"},
        # Hundredths of the currency, after a figure: "5.2 cents", "5.2¢".
        "cent_words": ("cents", "cent", "¢"),
        # After an amount: what it is per. Money per share checks against per-share lines
        # (`unit: per_share` in statement.yaml); money per ounce or tonne is a price, not a line.
        "per_share_words": ("per share", "a share", "/share", "per diluted share", "per basic share"),
        "per_unit_words": ("per ounce", "per oz", "/oz", "an ounce", "per tonne", "/t", "per ton",
                           "/tonne", "per pound", "/lb", "per mtu", "/mtu"),
        # A number followed by one of these is a quantity, not money: left alone.
        "quantity_words": {"tonnes", "tonne", "tons", "ton", "ounces", "oz", "pounds", "lbs",
                           "shares", "units", "employees", "people", "metres", "meters",
                           "kilometres", "kilometers", "km", "hectares", "mtu", "mtus"},
        # Physical units, as written after a number and as a line's `unit` in statement.yaml,
        # and the one unit each means: "52,300 oz" is checked against a line whose unit is ounces.
        "quantity_units": {"oz": "oz", "ounce": "oz", "ounces": "oz", "tonnes": "tonnes", "tonne": "tonnes",
                           "t": "tonnes", "tons": "tonnes", "ton": "tonnes", "lbs": "lb", "lb": "lb",
                           "pounds": "lb", "mtu": "mtu", "mtus": "mtu"},
        "percent_words": ("%", "per cent", "percent"),
        # A percentage is a change only when one of these is in the sentence.
        "increase_words": {"increase", "increased", "increases", "up", "rose", "grew", "higher",
                           "growth", "improvement", "improved"},
        "decrease_words": {"decrease", "decreased", "decreases", "down", "fell", "declined",
                           "decline", "lower", "drop", "dropped", "reduction"},
        "change_words": {"change", "changed"},
        # A percentage in a clause with one of these is a ratio, not a change: "a margin of 29%".
        "ratio_words": {"margin", "margins", "rate", "ratio", "grade", "grades", "recovery",
                        "recoveries", "yield", "stake", "ownership", "payout"},
        # Verbs that say where an amount went ("revenue rose to $4.4 million"), checked against
        # the sign of the change from the comparative; adjectives ("higher grades") are not.
        "amount_up_words": {"rose", "increased", "grew", "climbed", "up"},
        "amount_down_words": {"fell", "declined", "decreased", "dropped", "down"},
        # Where a sentence divides into clauses, each with its own line, period and direction.
        "clause_breaks": (";", ", while ", ", whereas ", ", and ", ", but ", " while ", " whereas "),
        # Words that open a clause about the comparative: its amounts are the comparative column's
        # unless the clause names another period. "from" counts only before an amount.
        "comparative_openers": ("compared with", "compared to", "comparing to", "versus", "vs.", "vs",
                                "against", "from", "as against"),
        # Period words: lengths, the comparative, quarters, restated.
        "months": {"one": 1, "three": 3, "six": 6, "nine": 9, "twelve": 12,
                   "1": 1, "3": 3, "6": 6, "9": 9, "12": 12},
        "month_word": r"months?",
        "ended_words": r"(?:ended|ending|to)",
        "year_ended": r"(?:fiscal\s+)?year\s+(?:ended|ending)",
        "quarter_ended": r"quarter\s+(?:ended|ending)",
        "ordinal_quarters": {"first": 1, "second": 2, "third": 3, "fourth": 4},
        "comparative_phrases": ("same period last year", "same period of the prior year",
                                "same period of the previous year", "same quarter last year",
                                "previous corresponding period", "prior corresponding period", "pcp",
                                "prior year period", "prior-year period",
                                "prior year", "previous year", "a year earlier", "a year ago", "last year",
                                "comparative period", "comparative periods"),
        "year_to_date_phrases": ("year to date", "year-to-date", "ytd"),
        # Halves: "the first half of 2007", "H1 2007", "1H 2007", "2007 half year".
        "half_patterns": (r"(?:the\s+)?(?P<nth>first|second)\s+half(?:\s+of)?(?:\s+(?:fiscal\s+|FY\s?)?(?P<year>\d{4}))?",
                          r"(?P<nth>H1|H2|1H|2H)\s*(?:FY\s?)?(?P<year>\d{4})",
                          r"(?P<year>\d{4})\s+(?P<nth>half[\s-]year|first\s+half|second\s+half)"),
        "half_numbers": {"first": 1, "h1": 1, "1h": 1, "half year": 1, "half-year": 1, "first half": 1,
                         "second": 2, "h2": 2, "2h": 2, "second half": 2},
        # Quarters by name: "Q1 2011", "Q1 FY2011", "first quarter of fiscal 2011", "calendar Q1 2011".
        "quarter_pattern": (r"(?P<calendar>calendar\s+)?(?:(?:fiscal\s+)?Q(?P<q>[1-4])|(?P<nth>first|second|third|fourth)\s+quarter)"
                            r"(?:\s+of)?\s+(?:fiscal\s+(?:year\s+)?|FY\s?|F)?(?P<year>(?:19|20)\d{2})"),
        # A period with no end date: "the nine months", "the quarter".
        "bare_months": r"(?P<first>one|three|six|nine|twelve|1|3|6|9|12)[\s-]+months?\b(?!\s+(?:ended|ending|to)\b)",
        "year_only": r"(?:in|of|for)\s+(?:fiscal\s+)?",
        "month_names": ("January", "February", "March", "April", "May", "June", "July", "August",
                        "September", "October", "November", "December"),
        "periods_word": r"periods?",
        "half_ended": r"(?:half[\s-]year|six\s+months)\s+(?:ended|ending)",
        "restated_word": "restated",
        "respectively_word": "respectively",
        "and_word": "and",
        # Words between "and" and the next line's name: "and the gain on sale", "and its net loss".
        "determiners": "the|its|their|a|an",
    },
}

# French (Canada): the words of a translated commentary (commentary.fr.md) and of the French
# highlight sentences. Figures are written "4,4 millions $", "42 000 $", "89 %", the currency after.
READING["fr"] = {
    "word_synonyms": {"profit": "bénéfice", "profits": "bénéfice", "bénéfices": "bénéfice",
                      "résultat": "bénéfice", "revenus": "produits", "ventes": "produits",
                      "coûts": "coût", "charges": "frais", "amortissement": "amortissements",
                      "intérêt": "intérêts", "&": "et"},
    "elisions": ("l'", "d'", "qu'"),
    "name_groups": (
        ("produits", "chiffre d'affaires", "produits des ventes"),
        ("bénéfice net", "résultat net", "bénéfice après impôts"),
        ("baiia", "ebitda", "bénéfice avant intérêts, impôts et amortissements"),
        ("bénéfice d'exploitation", "résultat d'exploitation"),
    ),
    "loss_words": {"perte", "pertes", "déficit"},
    "loss_word_means": "bénéfice",
    "profit_words": {"bénéfice", "bénéfices", "profit", "profits", "gain", "gains", "résultat"},
    "negative_before": ("perte de", "pertes de", "perte nette de", "crédit net de", "négatif de",
                        "déficit de"),
    "label_cuts": ("avant", "et", "de", "des", "attribuable"),
    "scale_words": {"million": 1_000_000, "millions": 1_000_000, "M": 1_000_000, "k": 1_000,
                    "milliard": 1_000_000_000, "milliards": 1_000_000_000, "G": 1_000_000_000},
    "short_scale_words": {"m", "k", "g"},
    "currency_after": True,
    "number_pattern": r"(?P<number>\d{1,3}(?:[\u00a0\u202f ]\d{3})+|\d+)(?:,(?P<decimals>\d+))?",
    "currency_signs": {"$": None, "$ CA": "CAD", "$\u00a0CA": "CAD", "$CA": "CAD", "$ US": "USD",
                       "$\u00a0US": "USD", "$US": "USD", "$ AU": "AUD", "$\u00a0AU": "AUD", "€": "EUR",
                       "£": "GBP", "CAD": "CAD", "USD": "USD", "AUD": "AUD", "EUR": "EUR", "GBP": "GBP"},
    "cent_words": ("cents", "¢"),
    "per_share_words": ("par action", "l'action", "l’action"),
    "per_unit_words": ("l'once", "l’once", "par once", "la tonne", "par tonne", "la livre", "par livre"),
    "quantity_words": {"tonnes", "tonne", "onces", "oz", "livres", "actions", "employés", "personnes",
                       "mètres", "kilomètres", "km", "hectares", "mtu"},
    "quantity_units": {"oz": "oz", "once": "oz", "onces": "oz", "tonnes": "tonnes", "tonne": "tonnes",
                       "t": "tonnes", "livres": "lb", "lb": "lb", "mtu": "mtu"},
    "percent_words": ("%", "pour cent"),
    "increase_words": {"hausse", "augmentation", "augmenté", "progression", "progressé", "accru",
                       "croissance", "amélioration"},
    "decrease_words": {"baisse", "diminution", "diminué", "recul", "reculé", "repli", "réduction"},
    "change_words": {"variation"},
    "ratio_words": {"marge", "marges", "taux", "ratio", "teneur", "teneurs", "récupération",
                    "rendement", "participation"},
    "amount_up_words": {"augmenté", "progressé", "grimpé", "crû"},
    "amount_down_words": {"diminué", "reculé", "baissé", "chuté"},
    "clause_breaks": (";", ", tandis que ", ", alors que ", ", et ", ", mais ", " tandis que "),
    "comparative_openers": ("comparativement à", "comparativement aux", "par rapport à", "par rapport aux",
                            "contre", "comparé à", "en regard de"),
    "months": {"un": 1, "trois": 3, "six": 6, "neuf": 9, "douze": 12,
               "1": 1, "3": 3, "6": 6, "9": 9, "12": 12},
    "month_word": r"mois",
    "periods_word": r"périodes?",
    "ended_words": r"(?:terminée?s?|close?s?|clôturée?s?)\s+(?:le|les)",
    "year_ended": r"exercice\s+(?:terminé|clos|clôturé)\s+le",
    "quarter_ended": r"trimestre\s+(?:terminé|clos|clôturé)\s+le",
    "half_ended": r"semestre\s+(?:terminé|clos|clôturé)\s+le",
    "month_names": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
                    "septembre", "octobre", "novembre", "décembre"),
    "ordinal_quarters": {"premier": 1, "deuxième": 2, "second": 2, "troisième": 3, "quatrième": 4},
    "quarter_pattern": (r"(?:T(?P<q>[1-4])|(?P<nth>premier|deuxième|second|troisième|quatrième)\s+trimestre)"
                        r"(?:\s+(?:de\s+l['’]exercice|de|d['’]exercice))?\s+(?P<year>(?:19|20)\d{2})"),
    "half_patterns": (r"(?:le\s+)?(?P<nth>premier|second|deuxième)\s+semestre(?:\s+(?:de\s+l['’]exercice\s+|de\s+))?(?P<year>\d{4})?",
                      r"(?P<nth>S1|S2)\s*(?P<year>\d{4})"),
    "half_numbers": {"premier": 1, "s1": 1, "second": 2, "deuxième": 2, "s2": 2},
    "comparative_phrases": ("même période de l'exercice précédent", "même période de l’exercice précédent",
                            "période correspondante de l'exercice précédent",
                            "période correspondante de l’exercice précédent",
                            "même période l'an dernier", "même période l’an dernier", "même période",
                            "exercice précédent", "un an plus tôt", "l'an dernier", "l’an dernier"),
    "year_to_date_phrases": ("depuis le début de l'exercice", "depuis le début de l’exercice",
                             "cumul annuel", "cumulatif"),
    "bare_months": r"(?P<first>trois|six|neuf|douze|3|6|9|12)\s+mois\b(?!\s+(?:terminé|clos|clôturé))",
    "year_only": r"(?:en|de|pour|d['’]exercice)\s+(?:l['’]exercice\s+)?",
    "restated_word": "retraité",
    "respectively_word": "respectivement",
    "and_word": "et",
    "determiners": "le|la|les|l['’]|son|sa|ses|leur|leurs|un|une",
}


def reading_language(code: str) -> str:
    """The key of READING for a language code (`fr_CA` -> `fr`); English when it has none."""
    language = code.split("_")[0].split("-")[0].lower()
    return language if language in READING else "en"


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
