"""Highlight sentences in a language whose nouns have gender (`sentences.grammar: agreement`),
from the rules of the language's data file.

French is not English with other words: the line's noun takes an article (le, la, l', les) and
the verb agrees with it in gender and number ("Les produits se sont établis", "La marge s'est
établie"); a negative income line is a loss ("s'est soldé par une perte de"), and the
comparison reads "comparativement à ... pour la même période de 2010". The words and the
grammar are in `reporter/inputs/languages/<code>.yaml` (`sentences`); the grammar of each line's noun
is in statement.yaml (`fr: {text: Produits, gender: m, number: plural}`).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Callable

from babel.numbers import format_percent

from reporter.context.narrative import UNITS, label_for_sign, millions_places, names_a_loss, sentence_unit
from reporter.formatting import format_amount, format_millions_in, meaningful_change
from reporter.inputs.language import Language
from reporter.inputs.periods import Period
from reporter.inputs.settings import ReportSettings
from reporter.inputs.statement import Line

VOWELS = "aàâeéèêëiîïoôuùûyhAÀÂEÉÈÊËIÎÏOÔUÙÛYH"
FORMS = {("m", "singular"): 0, ("f", "singular"): 1, ("m", "plural"): 2, ("f", "plural"): 3}


def noun_phrase(label: str, gender: str, number: str, articles: dict[str, str]) -> str:
    """Put the article before a line's label: `les produits`, `l’amortissement`, `la marge`.

    The label's capital goes, unless the first word is an acronym (`SG&A`).
    """
    first_word = label.split()[0] if label.split() else label
    text = label if first_word.isupper() and len(first_word) > 1 else label[:1].lower() + label[1:]
    if number == "plural":
        return articles["plural"] + text
    if text[:1] in VOWELS:
        return articles["vowel"] + text
    return articles[gender] + text


def sentence_writer(language: Language, settings: ReportSettings
                    ) -> Callable[..., str]:
    """Return a function that writes one highlight sentence in `language`.

    The rules are the English sentences' (reporter.context.narrative): one unit for both
    figures of a sentence (millions, with two places for a small one, or both in full), the
    sign of each compared figure said (« comparativement à un bénéfice de 0,8 million $ »),
    and a line that names a loss named once (« La perte nette s'est établie à 3,5 millions $ »).
    """
    rules = language.rule("sentences")
    numbers = language.rule("numbers")
    loss_words = set(rules["loss_words"])
    locale, currency = language.tag, settings.currency

    def amount_text(amount: Decimal, unit: int) -> str:
        if unit == UNITS:
            return format_amount(abs(amount), locale=locale, currency=currency,
                                 currency_pattern=numbers["accounting_currency"])
        return format_millions_in(abs(amount), currency=currency, locale=locale, rules=numbers,
                                  places=millions_places(amount) or 1)

    def change_text(current: Decimal, prior: Decimal) -> str:
        change = meaningful_change(current, prior) if current else None
        if change is None:
            return ""
        percent = (change * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)
        if percent == 0:
            return rules["unchanged"]
        shown = format_percent(abs(percent) / 100, format=numbers["percent_change"].split(";")[0].lstrip("+"),
                               locale=locale)
        return rules["increase" if percent > 0 else "decrease"].format(percent=shown)

    def prior_text(prior: Decimal, current: Decimal, line: Line, unit: int, says_loss: bool) -> str:
        if prior == 0:
            return rules["compared_nil"]
        amount = amount_text(prior, unit)
        if prior < 0:
            if says_loss and current < 0:
                return amount  # « la perte nette ... comparativement à 0,4 million $ »: the name says it
            return rules["compared_loss" if line.sign > 0 else "compared_credit"].format(amount=amount)
        if current < 0 or says_loss:
            # After a loss (or a credit), a positive comparative says what it is: never a second loss.
            return rules["compared_profit" if line.sign > 0 else "compared_charge"].format(amount=amount)
        return amount

    def write(line: Line, period: Period, current: Decimal, prior: Decimal | None,
              _settings: ReportSettings, prior_period: Period | None = None) -> str:
        label, gender, number = line.label_in(language.code) or (line.label, "m", "singular")
        label = label_for_sign(label, current < 0, loss_words)
        says_loss = line.sign > 0 and names_a_loss(label, loss_words)
        if says_loss and label.split()[0].lower() in loss_words:
            gender = rules["loss_gender"]  # « Perte nette » from « Bénéfice (perte) net »: the noun is hers
        form = FORMS[gender, number]
        subject = noun_phrase(label, gender, number, rules["articles"])
        verbs = {name: forms[form] for name, forms in rules["verbs"].items()}
        unit = sentence_unit([current] + ([prior] if prior is not None else []))
        if current == 0:
            text = rules["zero"].format(subject=subject, **verbs)
        elif current > 0 or says_loss:
            text = rules["amount"].format(subject=subject, amount=amount_text(current, unit), **verbs)
        else:
            # A negative income line is a loss; a negative cost line a net credit.
            key = "loss" if line.sign > 0 else "credit"
            text = rules[key].format(subject=subject, amount=amount_text(current, unit), **verbs)
        text += rules["period"].format(phrase=language.phrase(period))
        if prior is not None:
            # As the English: a fiscal year is named as one, and a restated comparative says so.
            year = prior_period.end.year if prior_period is not None else period.end.year - 1
            if period.months == 12:
                year = settings.calendar.fiscal_year(prior_period.end if prior_period else period.end) - (
                    0 if prior_period else 1)
            restated = rules["restated"] if prior_period is not None and prior_period.restated else ""
            text += rules["compared_full_year" if period.months == 12 else "compared"].format(
                prior=prior_text(prior, current, line, unit, says_loss), year=year, restated=restated)
            text += change_text(current, prior)
        text += rules["end"]
        return text[:1].upper() + text[1:]

    return write
