"""The commentary check on a corpus of real-style sentences: no false alarms, every alteration caught.

The sentences and their verdicts are data (tests/fixtures/factcheck/corpus.yaml), written in the
styles IR teams publish: bulleted highlights with parenthetical comparatives, an ASX paragraph, an
RNS, a news report, the seed's newswire release. Each true sentence is followed by one-change
alterations of it; the few the published figures' printed precision cannot decide are listed
apart, each with why.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from reporter.data.factcheck import CheckStatus, check_commentary
from reporter.inputs.commentary import parse_commentary
from reporter.data.report import load_report
from helpers import FIXTURES, REPO

CORPUS = yaml.safe_load((FIXTURES / "factcheck" / "corpus.yaml").read_text(encoding="utf-8"))
SENTENCES = CORPUS["sentences"]
UNDECIDABLE = CORPUS["undecidable"]
ALTERATIONS = {"amount", "percentage", "direction", "comparative", "period", "scale", "sign", "currency"}
VERDICTS = {CheckStatus.TIES: "agrees", CheckStatus.FAILS: "disagrees", CheckStatus.NOT_CHECKED: "not checked"}


def folder(name: str) -> Path:
    return REPO / "reporter" / "examples" / name if name == "los-santos" else FIXTURES / "factcheck" / name


@pytest.fixture(scope="module")
def reports():
    return {name: load_report(folder(name)) for name in {"kestrel", "harbour", "northpoint", "los-santos"}}


def verdicts(report, text: str, language: str | None = None) -> list[str]:
    """The check's verdict on each amount of one sentence, as the corpus writes it."""
    body = "---\nheadline: Results\n---\n" + text + "\n"
    findings = check_commentary(parse_commentary(body, Path("commentary.md")), report.figures, report.statement, report.settings,
                          language)
    return [VERDICTS[f.status] + (f": {f.detail}" if f.status is CheckStatus.NOT_CHECKED else "")
            for f in findings]


@pytest.mark.parametrize("case", SENTENCES, ids=[f"{c['report']}-{c.get('altered', 'true')}-{c['text'][:50]}"
                                                 for c in SENTENCES])
def test_sentence(reports, case):
    assert verdicts(reports[case["report"]], case["text"], case.get("language")) == case["verdicts"]


def test_the_corpus_is_large_and_covers_every_alteration():
    true = [c for c in SENTENCES if "altered" not in c]
    altered = [c for c in SENTENCES if "altered" in c]
    assert len(SENTENCES) >= 80
    assert len(true) >= 30 and len(altered) >= 40
    assert {c["altered"] for c in altered} == ALTERATIONS
    assert {c["report"] for c in SENTENCES} == {"kestrel", "harbour", "northpoint", "los-santos"}
    french = [c for c in SENTENCES if c.get("language") == "fr"]
    assert len(french) >= 15 and {c["altered"] for c in french if "altered" in c} == ALTERATIONS


def test_no_false_alarm():
    """A true sentence has no disagreement (its verdicts, checked above, say so)."""
    true = [c for c in SENTENCES if "altered" not in c]
    assert true
    for case in true:
        assert "disagrees" not in case["verdicts"], case["text"]


def test_every_alteration_is_caught():
    altered = [c for c in SENTENCES if "altered" in c]
    assert altered
    for case in altered:
        assert "disagrees" in case["verdicts"], case["text"]


@pytest.mark.parametrize("case", UNDECIDABLE, ids=[c["text"][:50] for c in UNDECIDABLE])
def test_alterations_the_printed_precision_cannot_decide(reports, case):
    """These pass, and rightly: the published figures allow them (see `why`)."""
    assert case["why"]
    found = verdicts(reports[case["report"]], case["text"])
    assert found and "disagrees" not in found


def test_bullets_without_full_stops_are_sentences_of_their_own(reports):
    """Each bullet binds its amounts to its own line and period, though none ends in a full stop."""
    report = reports["northpoint"]
    body = ("---\nheadline: Results\n---\nHighlights\n\n- Revenue of $12.5 million (Q1 2010: $10.9 million)\n"
            "- Net income (loss) of $246 thousand\n* Gain on sale of assets of $5.0 million\n")
    findings = check_commentary(parse_commentary(body, Path("commentary.md")), report.figures, report.statement, report.settings)
    assert [(f.line, f.status, f.line_id, f.period) for f in findings] == [
        (6, CheckStatus.TIES, "revenue", "2011-03-31/3m"), (6, CheckStatus.TIES, "revenue", "2010-03-31/3m"),
        (7, CheckStatus.TIES, "net_income", "2011-03-31/3m"), (8, CheckStatus.TIES, "gain_on_sale", "2011-03-31/3m")]


def test_physical_quantities_against_lines_with_a_unit(example_dir):
    """A line whose statement.yaml `unit` is a physical unit is checked in it; money never is.

    The Los Santos lines are all money and tie out, so the test gives one line the unit a loaded
    statement would carry for `unit: ounces` (a quantity line takes no part in formulas).
    """
    from reporter.inputs.statement import Unit

    report = load_report(example_dir)
    assert Unit.parse("ounces").kind == "quantity"
    object.__setattr__(report.statement.line("interest"), "unit", Unit.parse("ounces"))
    body = ("---\nheadline: Results\n---\nInterest was 42,000 oz in Q3 2011.\n\nInterest was 24,000 oz in Q3 2011.\n\n"
            "Interest was $42 thousand in Q3 2011.\n\nThe mill treated 225,000 tonnes.\n")
    findings = check_commentary(parse_commentary(body, Path("commentary.md")), report.figures, report.statement, report.settings)
    assert [(f.status, f.detail) for f in findings] == [
        (CheckStatus.TIES, ""),
        (CheckStatus.FAILS, "Interest for the three months ended June 30, 2011 is 42,000 oz"),
        (CheckStatus.NOT_CHECKED, "names no line of the statement")]


@pytest.mark.parametrize(("current", "before", "written", "agrees"), [
    ("1.7", "1.3", 35, True),     # the case: 1.74 against 1.29 is +35%, 1.7/1.3 alone says +31%
    ("1.7", "1.3", 31, True),
    ("1.7", "1.3", 45, False),    # 1.75 against 1.25 is at most +40%; +41% with one unit of 45
    ("4,421", "3,900", 13, True),
    ("4,421", "3,900", 15, False),
])
def test_a_percentage_agrees_with_what_the_printed_figures_allow(current, before, written, agrees):
    from decimal import Decimal
    from reporter.data.factcheck import change_range
    low, high = change_range(Decimal(current.replace(",", "")), Decimal(before.replace(",", "")))
    assert (low - 1 <= written <= high + 1) is agrees


def test_a_comparative_clause_says_its_own_sign_and_a_compound_is_no_direction(example_dir):
    """Merged round-trip cases: the sign comes from the amount's own clause ("compared with earnings
    of"), and "write-down" is a noun, not the word "down"."""
    from reporter.data.factcheck import clause_sign, _directions
    from reporter.inputs.language import load_language

    words = load_language("en_CA").rule("reading")
    assert _directions("Inventory write-down was $6.8 million", words, "amount_up_words", "amount_down_words") \
        == (False, False)
    assert _directions("Revenue was down to $6.8 million", words, "amount_up_words", "amount_down_words") \
        == (False, True)

    class Span:  # a line named before the clause, as "Loss from mining operations" is
        start, loss = 0, True

    class Clause:
        start, end = 50, 90

    assert clause_sign(Span, Clause, "compared with earnings of $1.7 million", words) is False
    assert clause_sign(Span, Clause, "compared with a loss of $1.7 million", words) is True
    assert clause_sign(Span, Clause, "compared with $1.7 million", words) is True
