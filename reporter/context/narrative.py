"""Highlight sentences written from the figures, in the voice of a release, and true.

Takes the normalised figures, the statement, the settings and the document's language; gives one
sentence per key figure and current period.

Deterministic: the same figures always give the same words. Which lines are highlighted comes
from `key_figures` in report.yaml; nothing here knows a line by name, and every word comes from
the language's data file (`sentences` in reporter/inputs/languages/<code>.yaml). A language
whose `sentences.grammar` is `template` (English) is written here; `agreement` (French) by
reporter.context.sentences.

What keeps a sentence true:
- the words follow each period's sign: a loss is "a loss of", and a comparative with the other
  sign says so ("compared with earnings of $0.5 million"), so it never reads as a second loss;
- one unit per sentence: both amounts in millions, a small one with two places ("$0.7 million
  compared with $0.04 million"), or both in full when millions would hide one;
- the comparative is the column an accountant uses: a year earlier, restated when published,
  and the sentence says "(restated)";
- labels are in sentence case in running text (acronyms such as SG&A stay).
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

from reporter.formatting import format_amount, format_millions_in, meaningful_change
from reporter.data.normalize import columns, figure_lookup
from reporter.inputs.periods import Period, comparative
from reporter.data.report import report_languages
from reporter.inputs.language import Language, language_words
from reporter.inputs.settings import ReportSettings
from reporter.inputs.statement import Line, Statement

MILLION, UNITS = 1_000_000, 1


def sentence_case(label: str, keep: set[str]) -> str:
    """Write a label as running text does: `Income From Mining Operations` -> `Income from mining operations`."""
    words = label.split()
    out = []
    for index, word in enumerate(words):
        if word in keep or (len(word) > 1 and word.isupper()):
            out.append(word)  # SG&A, EBITDA, an acronym
        elif index == 0:
            out.append(word[:1].upper() + word[1:].lower())
        else:
            out.append(word.lower())
    return " ".join(out)


def sentence_unit(amounts: list[Decimal]) -> int:
    """Choose one unit for every amount of a sentence: millions, or full amounts when one is too
    small to show in millions with two decimals ($4,000 would read $0.00 million)."""
    return MILLION if all(millions_places(a) is not None for a in amounts if a != 0) else UNITS


def millions_places(amount: Decimal) -> int | None:
    """Places an amount needs in millions: one, or two for a small one ($0.04 million); None if more."""
    for places in (1, 2):
        if (abs(amount) / MILLION).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP) != 0:
            return places
    return None


def money(amount: Decimal, scale: int, currency: str, locale: str, numbers: dict | None = None) -> str:
    """Write a positive amount in the sentence's unit: `$4.4 million`, `$0.04 million`, `$4,000`;
    in millions by the language's `numbers` (millions_one, millions_other), as cards and filters do."""
    if scale == UNITS:
        return format_amount(abs(amount), currency=currency, locale=locale)
    return format_millions_in(abs(amount), currency=currency, locale=locale,
                              rules=numbers or language_words(locale, "numbers"),
                              places=millions_places(amount) or 1)


def label_for_sign(label: str, negative: bool, loss_words) -> str:
    """Pick the words of a two-sign label that fit the figure: `Earnings (loss) before tax` is
    `Loss before tax` for a negative figure and `Earnings before tax` otherwise; the bracket
    stands for as many words before it as it holds (`Bénéfice net (perte nette)`)."""
    match = re.search(r"\(([^()]+)\)", label)
    if not match or not names_a_loss(match.group(1), loss_words):
        return label
    before, after = label[:match.start()].split(), label[match.end():].strip()
    count = len(match.group(1).split())
    if len(before) < count:
        return label
    words = before[:-count] + (match.group(1).split() if negative else before[-count:])
    text = " ".join(words + ([after] if after else []))
    return text[:1].upper() + text[1:]


def names_a_loss(label: str, loss_words) -> bool:
    """Whether a label already says its figure is a loss (`Net loss`, `Perte nette`)."""
    return any(word.lower() in loss_words for word in re.findall(r"\w+", label))


def describe_amount(amount: Decimal, line: Line, currency: str, locale: str,
                    unit: int | None = None, other_sign_before: bool = False,
                    label_says_loss: bool = False, words: dict | None = None,
                    profit_name: str | None = None, numbers: dict | None = None) -> str:
    """Say an amount in the words a release uses: `$4.4 million`, `nil`, `a loss of $0.4 million`.

    `other_sign_before`: the figure it follows in the sentence had the other sign, so a positive
    figure says what it is ("earnings of", "a charge of") instead of reading as more of the same.
    `label_says_loss`: the line's name already says loss, so a negative figure is written bare.
    `words`, `numbers`: the language's `sentences` and `numbers`; the locale's language's when not given.
    `profit_name`: what a two-sign line is called when positive ("gross profit" for "Gross profit
    (loss)"): a profit after a loss is then named for its line, not "earnings".
    """
    words = words or language_words(locale, "sentences")
    if amount == 0:
        return words["nil"]
    text = money(amount, unit or sentence_unit([amount]), currency, locale, numbers)
    kind = "income" if line.sign > 0 else "cost"
    if amount < 0 and label_says_loss:
        return text
    if amount < 0:
        return words[f"{kind}_negative"].format(amount=text)
    if other_sign_before:
        if kind == "income" and profit_name and "income_positive_after_loss_named" in words:
            return words["income_positive_after_loss_named"].format(amount=text, name=profit_name)
        key = "income_positive_after_loss" if kind == "income" else "cost_positive_after_credit"
        return words[key].format(amount=text)
    return words[f"{kind}_positive"].format(amount=text)


def describe_change(current: Decimal, prior: Decimal, locale: str = "en_CA", words: dict | None = None) -> str:
    """Say the change as a percentage, or nothing where a percentage means nothing ("n.m.")."""
    words = words or language_words(locale, "sentences")
    if current == 0:
        return ""
    change = meaningful_change(current, prior)
    if change is None:
        return ""
    percent = (change * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    if percent == 0:
        return words["unchanged"]
    return words["increase" if percent > 0 else "decrease"].format(percent=abs(percent))


def sentence(line: Line, period: Period, current: Decimal, prior: Decimal | None,
             settings: ReportSettings, prior_period: Period | None = None,
             language: Language | None = None) -> str:
    """Write one highlight: `Revenue was $4.4 million for the three months ended June 30, 2011, ...`.

    `language`: the document's (the default one when not given); its `sentences` give the words,
    and numbers are in its locale when report.yaml names languages, else in `reporting.locale`.
    """
    language = language or report_languages(settings)[0]
    words, numbers = language.rule("sentences"), language.rule("numbers")
    locale = language.tag if settings.languages else settings.locale
    unit = sentence_unit([current] + ([prior] if prior is not None else []))
    name = label_for_sign(line.label, current < 0, words["loss_words"])
    says_loss = line.sign > 0 and names_a_loss(name, words["loss_words"])
    now = describe_amount(current, line, settings.currency, locale, unit, label_says_loss=says_loss, words=words,
                          numbers=numbers)
    comparison = ""
    if prior is not None:
        # Either figure's sign is said whenever it differs from the other's or from the name's.
        other_sign = (current < 0 < prior) or (says_loss and prior > 0)
        # "Gross loss was ..., compared with gross profit of ...": a two-sign line's profit is named.
        profit = label_for_sign(line.label, False, words["loss_words"])
        profit_name = (running_text(profit, words["keep_case"])
                       if profit != label_for_sign(line.label, True, words["loss_words"]) else None)
        before = describe_amount(prior, line, settings.currency, locale, unit, other_sign,
                                 label_says_loss=says_loss and current < 0, words=words,
                                 profit_name=profit_name, numbers=numbers)
        restated = words["restated"] if prior_period is not None and prior_period.restated else ""
        year = prior_period.end.year if prior_period is not None else period.end.year - 1
        template = "comparison_full_year" if period.months == 12 else "comparison"
        if period.months == 12:
            year = settings.calendar.fiscal_year(prior_period.end if prior_period else period.end) - (
                0 if prior_period else 1)
        comparison = words[template].format(before=before, year=year, restated=restated,
                                                change=describe_change(current, prior, locale, words))
    label = sentence_case(name, words["keep_case"])
    given = line.label_in(language.code)
    # `number: plural` is said of the label's own words: named for a loss ("Net earnings (loss)" as
    # "Net loss"), the loss's words decide.
    renamed = name != label_for_sign(line.label, False, words["loss_words"])
    plural = (given is not None and given[2] == "plural" and not renamed) or head_is_plural(name, words.get("number"))
    template = words.get("sentence_plural", words["sentence"]) if plural else words["sentence"]
    return template.format(label=label, now=now, period=language.phrase(period), comparison=comparison)


def running_text(label: str, keep_case) -> str:
    """A label inside a sentence: `Gross Profit` -> `gross profit`; acronyms (EBITDA) keep their capitals."""
    text = sentence_case(label, keep_case)
    first = text.split()[0] if text.split() else text
    return text if first.isupper() and len(first) > 1 else text[:1].lower() + text[1:]


def head_is_plural(label: str, rules: dict | None) -> bool:
    """Whether a label's head noun is plural by the language's `sentences.number` rules:
    `Revenues` and `Net earnings (loss)` are, `Cost of sales` and `Net loss` are not."""
    if not rules:
        return False
    words = label.replace("(", " ( ").split()
    head = words[:1]
    for word in words[1:]:
        if word.casefold() in rules["head_ends_before"]:
            break
        head.append(word)
    last = head[-1].casefold().strip(",:;") if head else ""
    return (any(last.endswith(end) for end in rules["plural_endings"])
            and not any(last.endswith(end) for end in rules["singular_endings"]))


def template_writer(language: Language, settings: ReportSettings):
    """Return a function that writes one highlight sentence in `language` by `sentence`."""
    def write(line: Line, period: Period, current: Decimal, prior: Decimal | None,
              _settings: ReportSettings, prior_period: Period | None = None) -> str:
        return sentence(line, period, current, prior, settings, prior_period, language)
    return write


def highlight_sentences(figures: pd.DataFrame, statement: Statement,
                        settings: ReportSettings, language: Language | None = None) -> list[str]:
    """Write a sentence for each key figure in each current-year period, against its comparative.

    The sentences follow the language's rules (reporter/inputs/languages/<code>.yaml): its
    `sentences.grammar` picks the writer.
    """
    from reporter.context.sentences import sentence_writer

    language = language or report_languages(settings)[0]
    writers = {"template": template_writer, "agreement": sentence_writer}  # by sentences.grammar
    write = writers[language.rule("sentences", "grammar")](language, settings)
    amounts = figure_lookup(figures, "amount")
    periods = columns(figures)
    current_periods = [p for p in periods
                       if p.end == settings.period.end and p.restated == settings.period.restated]
    sentences = []
    for period in current_periods:
        prior_period = comparative(period, periods)
        for line_id in settings.key_figures:
            if not statement.line(line_id).unit.is_money:
                continue  # sentences speak of money; EPS or ounces would read as dollars
            prior = amounts[line_id, prior_period.key] if prior_period else None
            args = (statement.line(line_id), period, amounts[line_id, period.key], prior, settings)
            sentences.append(write(*args, prior_period))
    return sentences
