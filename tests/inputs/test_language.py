"""Language rules as data: French periods, dates, figures and sentences, table-tested."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from reporter.context.figures import Formatter
from reporter.errors import DataError
from reporter.inputs.language import load_language
from reporter.inputs.periods import FiscalCalendar, Period
from reporter.context.sentences import noun_phrase, sentence_writer
from reporter.inputs.statement import Line

NBSP = "\u00a0"
FR = load_language("fr_CA")
EN = load_language("en_CA")
CALENDAR = FiscalCalendar(9, 30)
Q3 = Period(dt.date(2011, 6, 30), 3)

DATES = [
    (dt.date(2011, 10, 3), "3\u00a0octobre\u00a02011"),
    (dt.date(2011, 10, 1), "1er\u00a0octobre\u00a02011"),
    (dt.date(2011, 6, 30), "30\u00a0juin\u00a02011"),
]


@pytest.mark.parametrize("day, expected", DATES)
def test_french_dates(day, expected):
    assert FR.date(day) == expected


PERIODS = [
    (Q3, "Trois mois terminés les 30\u00a0juin", "les trois mois terminés le 30\u00a0juin\u00a02011", f"T3{NBSP}2011"),
    (Period(dt.date(2011, 6, 30), 9), "Neuf mois terminés les 30\u00a0juin",
     "les neuf mois terminés le 30\u00a0juin\u00a02011", f"9{NBSP}mois{NBSP}2011"),
    (Period(dt.date(2011, 9, 30), 12), "Exercices terminés les 30\u00a0septembre",
     "l’exercice terminé le 30\u00a0septembre\u00a02011", f"Ex.{NBSP}2011"),
    (Period(dt.date(2011, 5, 31), 1), "Mois terminés les 31\u00a0mai", "le mois terminé le 31\u00a0mai\u00a02011",
     f"1{NBSP}mois au 31\u00a0mai\u00a02011"),
]


@pytest.mark.parametrize("period, heading, phrase, label", PERIODS)
def test_french_periods(period, heading, phrase, label):
    assert (FR.heading(period), FR.phrase(period), FR.label(CALENDAR, period)) == (heading, phrase, label)


def test_english_periods_are_unchanged():
    assert (EN.heading(Q3), EN.phrase(Q3), EN.label(CALENDAR, Q3), EN.date(Q3.end)) == (
        "Three Months Ended June 30,", "the three months ended June 30, 2011", "Q3 2011", "June 30, 2011")
    assert EN.year_heading(Period(Q3.end, 3, restated=True)) == "2011 (restated)"
    assert FR.year_heading(Period(Q3.end, 3, restated=True)) == "2011 (retraité)"


FRENCH_FIGURES = [
    ("amount", (D(4421), True), f"4{NBSP}421{NBSP}$"),
    ("amount", (D(-1147), True), f"(1{NBSP}147){NBSP}$"),
    ("amount", (D(-1074), False), f"(1{NBSP}074)"),
    ("amount", (D(0), True), f"0{NBSP}$"),
    ("millions", (D(4_421_000),), f"4,4{NBSP}millions{NBSP}$"),
    ("millions", (D(1_416_000),), f"1,4{NBSP}million{NBSP}$"),
    ("millions", (D(0),), "néant"),
    ("change", (D(10186), D(8000)), f"+27{NBSP}%"),
    ("change", (D(5), D(0)), "n.s."),
    ("rate", (D("1.436078"),), "1,436078"),
]


@pytest.mark.parametrize("method, args, expected", FRENCH_FIGURES)
def test_french_figures(method, args, expected):
    fmt = Formatter(locale="fr_CA", currency="CAD", language=FR)
    assert getattr(fmt, method)(*args) == expected


@pytest.mark.parametrize("currency, scale, expected", [
    ("CAD", 1000, "en milliers de dollars canadiens"),
    ("USD", 1_000_000, "en millions de dollars américains"),
    ("EUR", 1, "en euros"),
    ("CHF", 1000, "en milliers de CHF"),
])
def test_french_unit_caption_is_in_words_once_over_the_table(currency, scale, expected):
    """« en milliers de dollars canadiens », the usage, not « 000 $ CA »: the words the charts
    and the cards say (Formatter.unit_words), once over all figure columns."""
    fmt = Formatter(locale="fr_CA", currency=currency, language=FR)
    assert fmt.caption(scale) == expected
    assert fmt.caption(scale) == "en " + fmt.unit_words(scale) and fmt.caption_spans
    english = Formatter(locale="en_CA", currency="CAD")
    assert english.caption(1000) == "CAD$ 000" and not english.caption_spans


ARTICLES = FR.rule("sentences", "articles")
NOUNS = [
    ("Produits", "m", "plural", "les produits"),
    ("Marge brute", "f", "singular", "la marge brute"),
    ("Amortissement", "m", "singular", "l’amortissement"),
    ("Bénéfice net", "m", "singular", "le bénéfice net"),
    ("SG&A divers", "m", "plural", "les SG&A divers"),
]


@pytest.mark.parametrize("label, gender, number, expected", NOUNS)
def test_noun_phrases(label, gender, number, expected):
    assert noun_phrase(label, gender, number, ARTICLES) == expected


class _Settings:
    currency = "CAD"


def _line(text: str, gender: str, number: str, sign: int = 1) -> Line:
    return Line(id="x", label=text, sign=sign, labels=(("fr", text, gender, number),))


SENTENCES = [
    # (label, gender, number, sign, current, prior, expected, the words that show the grammar)
    ("Marge brute", "f", "singular", 1, D(2_500_000), D(2_000_000),
     f"La marge brute s’est établie à 2,5{NBSP}millions{NBSP}$ pour les trois mois terminés le 30\u00a0juin\u00a02011, "
     f"comparativement à 2,0{NBSP}millions{NBSP}$ pour la même période de 2010, soit une hausse de 25{NBSP}%."),
    ("Charges", "f", "plural", -1, D(1_000_000), D(1_250_000),
     f"Les charges se sont établies à 1,0{NBSP}million{NBSP}$ pour les trois mois terminés le 30\u00a0juin\u00a02011, "
     f"comparativement à 1,3{NBSP}million{NBSP}$ pour la même période de 2010, soit une baisse de 20{NBSP}%."),
    ("Bénéfice net", "m", "singular", 1, D(-3_387_000), D(837_000),
     f"Le bénéfice net s’est soldé par une perte de 3,4{NBSP}millions{NBSP}$ pour les trois mois terminés le "
     f"30\u00a0juin\u00a02011, comparativement à un bénéfice de 0,8{NBSP}million{NBSP}$ pour la même période de 2010."),
    ("Autres frais", "m", "plural", -1, D(-247_000), D(-847_000),
     f"Les autres frais se sont soldés par un crédit net de 0,2{NBSP}million{NBSP}$ pour les trois mois "
     f"terminés le 30\u00a0juin\u00a02011, comparativement à un crédit net de 0,8{NBSP}million{NBSP}$ pour la même "
     f"période de 2010."),
    # One scale rule with the English: both figures in millions, two places for a small one.
    ("Produits", "m", "plural", 1, D(0), D(39_000),
     f"Les produits ont été nuls pour les trois mois terminés le 30\u00a0juin\u00a02011, comparativement à "
     f"0,04{NBSP}million{NBSP}$ pour la même période de 2010."),
    ("Produits", "m", "plural", 1, D(4_421_000), D(0),
     f"Les produits se sont établis à 4,4{NBSP}millions{NBSP}$ pour les trois mois terminés le 30\u00a0juin\u00a02011, "
     f"comparativement à néant pour la même période de 2010."),
    # A label that names the loss is not followed by « une perte de »; a prior profit still says so.
    ("Perte d’exploitation minière", "f", "singular", 1, D(-300_000), D(500_000),
     f"La perte d’exploitation minière s’est établie à 0,3{NBSP}million{NBSP}$ pour les trois mois terminés le "
     f"30\u00a0juin\u00a02011, comparativement à un bénéfice de 0,5{NBSP}million{NBSP}$ pour la même période de 2010."),
    ("Perte nette", "f", "singular", 1, D(-300_000), D(-400_000),
     f"La perte nette s’est établie à 0,3{NBSP}million{NBSP}$ pour les trois mois terminés le "
     f"30\u00a0juin\u00a02011, comparativement à 0,4{NBSP}million{NBSP}$ pour la même période de 2010."),
    # « Bénéfice net (perte nette) » takes the words of the figure's sign, and their gender.
    ("Bénéfice net (perte nette)", "m", "singular", 1, D(-3_500_000), D(-1_000_000),
     f"La perte nette s’est établie à 3,5{NBSP}millions{NBSP}$ pour les trois mois terminés le "
     f"30\u00a0juin\u00a02011, comparativement à 1,0{NBSP}million{NBSP}$ pour la même période de 2010."),
    ("Bénéfice net (perte nette)", "m", "singular", 1, D(2_000_000), D(-1_000_000),
     f"Le bénéfice net s’est établi à 2,0{NBSP}millions{NBSP}$ pour les trois mois terminés le "
     f"30\u00a0juin\u00a02011, comparativement à une perte de 1,0{NBSP}million{NBSP}$ pour la même période de 2010."),
    # A cost turning from a credit to a charge: the comparative credit is named.
    ("Autres frais", "m", "plural", -1, D(-247_000), D(300_000),
     f"Les autres frais se sont soldés par un crédit net de 0,2{NBSP}million{NBSP}$ pour les trois mois "
     f"terminés le 30\u00a0juin\u00a02011, comparativement à une charge de 0,3{NBSP}million{NBSP}$ pour la même "
     f"période de 2010."),
]


@pytest.mark.parametrize("label, gender, number, sign, current, prior, expected", SENTENCES)
def test_french_sentences_agree(label, gender, number, sign, current, prior, expected):
    write = sentence_writer(FR, _Settings())
    assert write(_line(label, gender, number, sign), Q3, current, prior, _Settings()) == expected


def test_unknown_language_is_refused():
    with pytest.raises(DataError, match="no rules for the language 'de'"):
        load_language("de_DE")
    with pytest.raises(DataError, match="unknown language 'xx_YY'"):
        load_language("xx_YY")


def test_a_long_bridge_folds_its_small_steps_in_french():
    from reporter.context.chart_data import condense_steps

    steps = [("Produits", 100, "total")] + [(f"Poste {i}", -i, "delta") for i in range(1, 7)] + [("Net", 79, "total")]
    condensed = condense_steps(steps, 4, FR.rule("charts", "other_items"))
    assert ("Autres éléments", -15, "delta") in condensed


CLOSE = '<span class="figure-close">)</span>'
PAD_CLOSE = '<span class="figure-close figure-pad" aria-hidden="true">)</span>'
HANG_CLOSE = '<span class="figure-close figure-hang">)</span>'
ALIGNED = [
    # (text, currency suffix, HTML): the ")" of a negative sits in a fixed-width box; a figure
    # without one gets the box's room as the padding of one hidden span (`figure-after`), which
    # holds what it lacks of the suffix.
    (f"3{NBSP}006", f"{NBSP}$", f'3{NBSP}006<span class="figure-pad figure-after" aria-hidden="true">{NBSP}$</span>'),
    (f"4{NBSP}421{NBSP}$", f"{NBSP}$", f'4{NBSP}421<span class="figure-pad figure-after" aria-hidden="true">{NBSP}</span>$'),
    ("—", f"{NBSP}$", f'—<span class="figure-pad figure-after" aria-hidden="true">{NBSP}$</span>'),
    # A sign right after the digits (no space to hide): the hidden ")" box keeps the room.
    ("3006$", "$", f"3006{PAD_CLOSE}$"),
    (f"(1{NBSP}147){NBSP}$", f"{NBSP}$", f"(1{NBSP}147{CLOSE}{NBSP}$"),
    ("(247)", f"{NBSP}$", f'(247{CLOSE}<span class="figure-pad" aria-hidden="true">{NBSP}$</span>'),
    # Nothing after the figures (English): the ")" hangs into the cell's padding, and a figure
    # without one is plain text (no box to lay out; the cell's padding holds the room).
    ("$39", "", "$39"),
    ("($407)", "", f"($407{HANG_CLOSE}"),
    ("(1,147)", "", f"(1,147{HANG_CLOSE}"),
    ("R&D 5", "", "R&amp;D 5"),
    ("—", "", "—"),
    # Something after the ")" that is no currency suffix: the ")" stays in the line.
    ("(12)*", "", f"(12{CLOSE}*"),
]


@pytest.mark.parametrize("text, suffix, html", ALIGNED)
def test_figures_padded_to_align_their_digits(text, suffix, html):
    from reporter.context.figures import aligned_figure

    assert str(aligned_figure(text, suffix)) == html


def test_currency_suffix_by_language():
    assert Formatter(locale="fr_CA", currency="CAD", language=FR).currency_suffix == f"{NBSP}$"
    assert Formatter(locale="en_CA", currency="CAD").currency_suffix == ""


# French changes and margins set with a true minus sign and a non-breaking space before %.
FRENCH_CHANGES = [
    (D(940), D(1000), "\u22126\u00a0%"),
    (D(1130), D(1000), "+13\u00a0%"),
]


@pytest.mark.parametrize("current, prior, expected", FRENCH_CHANGES)
def test_french_changes_use_a_true_minus(current, prior, expected):
    from reporter.context.figures import Formatter
    fmt = Formatter(locale="fr_CA", currency="CAD", language=FR)
    assert fmt.change(current, prior) == expected
