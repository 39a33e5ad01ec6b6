"""The commentary checked against the figures: real-style sentences, the seed, altered copies."""

from __future__ import annotations

from pathlib import Path

import pytest

from reporter.data.factcheck import CheckStatus, check_commentary
from reporter.inputs.commentary import parse_commentary
from reporter.data.report import load_report
from helpers import FIXTURES

T, F, N = CheckStatus.TIES, CheckStatus.FAILS, CheckStatus.NOT_CHECKED
Q3_11 = "the three months ended June 30, 2011"
Q3_10 = "the three months ended June 30, 2010"
M9_11 = "the nine months ended June 30, 2011"
M9_10 = "the nine months ended June 30, 2010"

# (sentence, [(status, detail) for each amount in the order written]); detail "" where it ties.
SENTENCES = [
    # millions, the reported quarter by default or named
    ("Revenue was $4.4 million for the three months ended June 30, 2011.", [(T, "")]),
    ("Revenue was $4.5 million for the three months ended June 30, 2011.",
     [(F, f"Revenue for {Q3_11} is 4,421 thousand ($4.4 million)")]),
    ("Revenue for the nine months ended June 30, 2011 was $10.2 million.", [(T, "")]),
    ("Almonty reported revenue of $4.4 million.", [(T, "")]),
    ("Revenue was \\$4.4 million in the quarter (Markdown escape).", [(T, "")]),
    ("Revenue of CAD$4.42 million in the quarter.", [(T, "")]),
    # thousands and full amounts
    ("Revenue was $10,186 thousand for the nine months ended June 30, 2011.", [(T, "")]),
    ("Revenue was $10,186,000 for the nine months ended June 30, 2011.", [(T, "")]),
    ("Revenue was $10,168,000 for the nine months ended June 30, 2011.",
     [(F, f"Revenue for {M9_11} is 10,186 thousand ($10,186,000)")]),
    ("Net income before tax was $690 thousand in Q3 2011 and $39 thousand in Q3 2010.", [(T, ""), (T, "")]),
    ("Interest was $42,000 for the three months ended June 30, 2011.", [(T, "")]),
    # losses, both signs, synonyms
    ("Income from mining operations was $1.4 million, compared with a loss of $0.4 million in 2010.",
     [(T, ""), (T, "")]),
    ("Income from mining operations was $1.4 million, compared with $0.4 million in 2010.",
     [(T, ""), (F, f"Income From Mining Operations for {Q3_10} is (407) thousand (a loss of $0.4 million)")]),
    ("Loss from mining operations was $1.1 million for the nine months ended June 30, 2010.", [(T, "")]),
    ("Earnings from mining operations were $1.8 million for the nine months ended June 30, 2011.", [(T, "")]),
    ("Net income before tax and one time items was a loss of $3.4 million for the nine months ended "
     "June 30, 2011.", [(T, "")]),
    ("Net loss before tax was $3.4 million for the nine months ended June 30, 2011.", [(T, "")]),
    ("Net income before tax was $3.4 million for the nine months ended June 30, 2011.",
     [(F, f"Net Income Before Tax and One Time Items for {M9_11} is (3,387) thousand "
          "(a loss of $3.4 million)")]),
    ("Net loss before tax of ($3.4 million) for the nine months ended June 30, 2011.", [(T, "")]),
    ("Net income before tax was -$3.4 million for the nine months ended June 30, 2011.", [(T, "")]),
    ("Net income before tax was −$0.7 million in Q3 2011.",
     [(F, f"Net Income Before Tax and One Time Items for {Q3_11} is 690 thousand ($0.7 million)")]),
    ("Other SG&A was a net credit of $0.2 million for the three months ended June 30, 2011.", [(T, "")]),
    ("Depreciation and amortization was ($0.9 million) for the three months ended June 30, 2011.",
     [(F, f"Depreciation and Amortization for {Q3_11} is 931 thousand ($0.9 million)")]),
    ("Depreciation and amortization of C$5.8 million for the nine months ended June 30, 2011.", [(T, "")]),
    # ranges and comparatives
    ("Revenue was $4.4 million and $10.2 million for the three and nine months ended June 30, 2011, "
     "respectively.", [(T, ""), (T, "")]),
    ("Revenue was $10.2 million and $4.4 million for the 3 and 9 months ended June 30, 2011, respectively.",
     [(F, f"Revenue for {Q3_11} is 4,421 thousand ($4.4 million)"),
      (F, f"Revenue for {M9_11} is 10,186 thousand ($10.2 million)")]),
    ("Net income before tax was $0.7 million for the three months ended June 30, 2011, compared with "
     "$0.04 million in the same period of 2010.", [(T, ""), (T, "")]),
    ("Cost of sales rose to $3.0 million in the third quarter of 2011 from $0.4 million a year earlier.",
     [(T, ""), (T, "")]),
    ("Cost of sales was $1.1 million in the nine months ended June 30, 2010.", [(T, "")]),
    ("Revenue was $4.4 million for the six months ended June 30, 2011.",
     [(N, "no figures for the six months ended June 30, 2011")]),
    # percentages: changes from the comparative
    ("Interest was $42 thousand in the quarter, a decrease of 89% from the same period last year.",
     [(T, ""), (T, "")]),
    ("Interest decreased 80% to $42 thousand.",
     [(F, f"the change in Interest from {Q3_10} to {Q3_11} is -89%"), (T, "")]),
    ("Interest for the nine months ended June 30, 2011 was $0.4 million, down 10%.", [(T, ""), (T, "")]),
    ("Interest for the nine months ended June 30, 2011 was $0.4 million, up 10%.",
     [(T, ""), (F, f"the change in Interest from {M9_10} to {M9_11} is -10%")]),
    ("Revenue increased 27% in the nine months ended June 30, 2011.",
     [(F, f"the change in Revenue from {M9_10} to {M9_11} has no meaningful percentage "
          "(from 0 thousand to 10,186 thousand)")]),
    # the headline of the issue, altered
    ("Almonty announces $1.9 million income from mining operations for the 3 months ended June 30, 2011.",
     [(F, f"Income From Mining Operations for {Q3_11} is 1,416 thousand ($1.4 million)")]),
    ("Almonty announces $1.4 million income from mining operations for the 3 months ended June 30, 2011.",
     [(T, "")]),
    ("ALMONTY ANNOUNCES \\$1.4 MILLION INCOME FROM MINING OPERATIONS FOR THE 3 MONTHS ENDED JUNE 30, 2011",
     [(T, "")]),
    ("Revenue was $4.4 million for the three months ended June 31, 2011.",
     [(N, "no figures for the period named")]),
    # numbers to leave alone, and amounts that name no line
    ("Almonty (TSXV: AII) announced on October 3, 2011 that 225,000 tonnes of ore were milled.", []),
    ("The mine, about 50 kilometres from Salamanca, produced 2 million tonnes in 2010 with 120 people.", []),
    ("Call (416) 594-2892 for the 3 and 9 months ended June 30, 2011 results.", []),
    ("The ore grade was 0.25% WO₃.", [(N, "names no line of the statement")]),
    ("The company raised $5.0 million in a private placement.", [(N, "names no line of the statement")]),
]


def check(report, body: str):
    text = "---\nheadline: Results\n---\n" + body + "\n"
    return check_commentary(parse_commentary(text, Path("commentary.md")), report.figures, report.statement,
                            report.settings)


@pytest.mark.parametrize(("sentence", "expected"), SENTENCES, ids=[s[0][:60] for s in SENTENCES])
def test_sentence(loaded_report, sentence, expected):
    findings = check(loaded_report, sentence)
    assert [(f.status, f.detail) for f in findings] == expected
    assert all(f.line == 4 for f in findings)


def test_at_least_thirty_sentences():
    assert len(SENTENCES) >= 30


def test_line_of_an_amount_in_a_wrapped_paragraph(loaded_report):
    body = ("Results were strong.\n\nIn the quarter, revenue reached\n$4.4 million while cost of sales was\n"
            "$3.5 million.\n")
    findings = check(loaded_report, body)
    assert [(f.line, f.status, f.text) for f in findings] == [
        (7, T, "revenue reached $4.4 million"), (8, F, "cost of sales was $3.5 million")]


def test_seed_commentary_passes_unchanged(cli, example_dir):
    result = cli("validate", example_dir)
    assert result.exit_code == 0, result.output
    assert "commentary: 2 amounts: 1 agree with the figures, 1 not checked, 0 disagree." in result.stdout
    assert (f"not checked: {example_dir / 'commentary.md'}:59: '0.25%' (names no line of the statement)"
            in result.stdout)


def alter(folder: Path, old: str, new: str) -> Path:
    path = folder / "commentary.md"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


ISSUE_MESSAGE = ("'$1.9 million income from mining operations' but Income From Mining Operations for the "
                 "three months ended June 30, 2011 is 1,416 thousand ($1.4 million)")


def test_altered_headline_stops_validate_and_build(cli, report_dir, tmp_path):
    path = alter(report_dir, "Almonty announces $1.4 million", "Almonty announces $1.9 million")
    result = cli("validate", report_dir)
    assert result.exit_code == 1
    assert result.stderr.strip() == f"fails: {path}:3: {ISSUE_MESSAGE}"
    built = cli("build", report_dir, "-o", tmp_path / "out")
    assert built.exit_code == 1
    assert built.stderr.strip() == f"data error: {path}:3: {ISSUE_MESSAGE}"
    assert not (tmp_path / "out").exists()


def test_altered_quote_in_front_matter(cli, report_dir, tmp_path):
    path = alter(report_dir, "represents a solid operational base",
                 "with revenue of $4.6 million represents a solid operational base")
    number = next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                  if "$4.6 million" in line)
    built = cli("build", report_dir, "-o", tmp_path / "out")
    assert built.exit_code == 1
    assert built.stderr.strip() == (
        f"data error: {path}:{number}: 'revenue of $4.6 million' but Revenue for the three months ended June "
        "30, 2011 is 4,421 thousand ($4.4 million)")


def test_added_paragraph_in_the_body(cli, report_dir, tmp_path):
    path = alter(report_dir, "## Exploration {#exploration}\n",
                 "Revenue was $4.4 million for the three months ended June 30, 2011 and $10.3 million for\n"
                 "the nine months ended June 30, 2011.\n\n## Exploration {#exploration}\n")
    lines = path.read_text(encoding="utf-8").splitlines()
    number = lines.index("the nine months ended June 30, 2011.")  # 0-based: the line before it, 1-based
    result = cli("validate", report_dir)
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"fails: {path}:{number}: 'Revenue ... $10.3 million' but Revenue for the nine months ended June 30, 2011 "
        "is 10,186 thousand ($10.2 million)")
    assert "commentary: 4 amounts: 2 agree with the figures, 1 not checked, 1 disagree." in result.stdout


def test_synonym_from_statement_yaml(report_dir, example_dir):
    path = report_dir / "statement.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "label: {en: Income From Mining Operations, fr: {text: Bénéfice d’exploitation minière, gender: m}}",
        "label: {en: Income From Mining Operations, fr: {text: Bénéfice d’exploitation minière, gender: m}}"
        "\n    synonyms: [mine contribution]")
    path.write_text(text, encoding="utf-8")
    report = load_report(report_dir)
    findings = check(report, "The mine contribution was $1.5 million in the quarter.")
    assert [(f.status, f.detail) for f in findings] == [
        (F, f"Income From Mining Operations for {Q3_11} is 1,416 thousand ($1.4 million)")]


def test_second_company_in_us_dollars(cli, tmp_path):
    """An ingested statement with losses and more subtotals, in US$ and quarters to December."""
    table = FIXTURES / "layouts" / "losses-more-subtotals.tsv"
    folder = tmp_path / "second"
    assert cli("ingest", table, "--out", folder, "--company-name", "Test Mining Corp.").exit_code == 0
    report = load_report(folder)
    findings = check(report, "Net loss was US$2.0 million for the quarter ended December 31, 2012, compared "
                             "with a net loss of US$0.7 million in 2011. Gross loss for the year ended "
                             "December 31, 2012 was $0.8 million. Revenue rose 9% in the quarter.")
    ids = {line.label: line.id for line in report.statement.lines}
    assert "Net loss" in ids and "Gross loss" in ids
    assert [(f.status, f.detail) for f in findings] == [
        (T, ""), (T, ""),
        (F, "Gross loss for the year ended December 31, 2012 is (718) thousand (a loss of US$0.7 million)"),
        (T, "")]


def test_table_rows_in_commentary_are_listed_not_misread(loaded_report):
    """A table's scale and periods are in its headings: its amounts are not checked, and say so."""
    body = ("| | 2011 | 2010 |\n|---|---|---|\n| Revenue | $4,421 | $0 |\n\n"
            "Revenue\t\\$4,421\t\\$0\n\nRevenue was $4.4 million.\n")
    findings = check(loaded_report, body)
    assert [(f.line, f.status, f.detail) for f in findings] == [
        (6, N, "in a table"), (6, N, "in a table"), (8, N, "in a table"), (8, N, "in a table"), (10, T, "")]
