"""`reporter ingest SOURCE --like PREV_DIR`: next quarter's folder from last quarter's.

The Q4 2011 table below follows the Los Santos Q3 2011 release, with figures written for this
test that tie to it (the year equals nine months plus the fourth quarter), one label reworded
("Income from mining operation") and one respelled ("Depreciation & Amortization").
"""

from __future__ import annotations

import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from helpers import FIXTURES, REPO, pdf_pages, table_row
from reporter.data.history import HistoryStatus
from reporter.data.report import load_report
from reporter.ingest.carry import match_lines, next_quarter, stale_free
from reporter.inputs.periods import Period

Q4_TABLE = FIXTURES / "ingest" / "los-santos-q4-2011-table.tsv"


@pytest.fixture
def carried(tmp_path: Path, example_dir: Path, cli):
    previous = tmp_path / "q3-2011"
    shutil.copytree(example_dir, previous)
    out = tmp_path / "q4-2011"
    result = cli("ingest", Q4_TABLE, "--like", previous, "--out", out)
    assert result.exit_code == 0, result.output
    return previous, out, result.output


def test_everything_but_the_figures_is_carried_forward(carried):
    previous, out, output = carried
    settings = yaml.safe_load((out / "report.yaml").read_text())
    before = yaml.safe_load((previous / "report.yaml").read_text())
    for key in ("company", "subject", "languages", "legend", "key_figures", "fiscal_year_end", "reporting",
                "fx_source", "tie_out_tolerance", "narrative"):
        assert settings[key] == before[key], key
    assert settings["period"] == {"end": Period(next_quarter(Period(__import__("datetime").date(2011, 6, 30), 3)).end,
                                               3).end, "months": 3}
    assert settings["history"] == ["../q3-2011"]
    # This quarter's rates from the table, not last quarter's.
    assert {(r["period_end"].isoformat(), r["months"], r["rate"]) for r in settings["fx_rates"]} == {
        ("2011-09-30", 3, "1.4132"), ("2010-09-30", 3, "1.3117"),
        ("2011-09-30", 12, "1.3842"), ("2010-09-30", 12, "1.4025")}
    # Comments of the previous report.yaml stay with their keys.
    text = (out / "report.yaml").read_text()
    assert "# The last day of the fiscal year (month-day)." in text
    assert (out / "assets" / "almonty-wordmark.svg").read_bytes() == \
        (previous / "assets" / "almonty-wordmark.svg").read_bytes()


def test_lines_keep_their_ids_labels_in_every_language_and_formulas(carried):
    previous, out, output = carried
    statement = yaml.safe_load((out / "statement.yaml").read_text())
    old = yaml.safe_load((previous / "statement.yaml").read_text())
    assert [line["id"] for line in statement["lines"]] == [line["id"] for line in old["lines"]]
    by_id = {line["id"]: line for line in statement["lines"]}
    # The reworded label is this quarter's in English; the French label is kept, to be checked.
    assert by_id["income_from_mining_operations"]["label"]["en"] == "Income from mining operation"
    assert by_id["income_from_mining_operations"]["label"]["fr"] == \
        {"text": "Bénéfice d’exploitation minière", "gender": "m"}
    assert by_id["depreciation_and_amortization"]["label"] == old["lines"][3]["label"]
    assert by_id["net_income_before_tax_and_one_time_items"]["formula"] == old["lines"][6]["formula"]
    assert statement["title"] == old["title"]
    assert ("renamed: income_from_mining_operations: 'Income From Mining Operations' is now "
            "'Income from mining operation' (a close match: check it)") in output
    assert "carried forward from" in output and "7 lines matched" in output


def test_every_stale_figure_in_the_commentary_becomes_a_quoted_todo(carried):
    previous, out, output = carried
    for name in ("commentary.md", "commentary.fr.md"):
        text = (out / name).read_text()
        body = " ".join(text.split("\n---\n", 1)[1].split())
        todos = re.findall(r"TODO: restate for (?:Q4 2011|T4 2011) \((?:Q3 2011|T3 2011) said: “.*?”\)", body)
        assert len(todos) >= 3, name
        left = re.sub(r"TODO: restate for .*? said: “.*?”\)", "", body)
        assert not re.search(r"\d", left), left  # no figure, date or year left standing
    text = (out / "commentary.md").read_text()
    front = yaml.safe_load(text.split("---\n")[1])
    assert front["headline"].startswith("TODO: restate for Q4 2011 (Q3 2011 said: “Almonty announces $1.4 million")
    assert front["contacts"][0]["telephone"] == "(212) 343-1914"  # not a quarterly figure
    assert "Almonty also intends to continue with exploration programmes" in text  # no figure: kept


def test_the_carried_folder_validates_against_last_quarter_and_builds_as_a_draft(carried, cli):
    previous, out, output = carried
    report = load_report(out)
    ytd = [f for f in report.history if f.kind == "year_to_date"]
    # The year: nine months (Q3 report) plus the fourth quarter, every line, both years.
    assert len(ytd) == 14 and all(f.status is HistoryStatus.AGREES for f in ytd), \
        [f.message for f in ytd if f.status is not HistoryStatus.AGREES]
    built = cli("build", out, "--draft", "-o", out.parent / "q4.pdf")
    assert built.exit_code == 0, built.output
    pages = pdf_pages(out.parent / "q4.pdf")
    assert table_row(pages[0], "Revenue") == ["$5,100", "$0", "$15,286", "$0"]
    refused = cli("build", out, "-o", out.parent / "final.pdf")
    assert refused.exit_code == 1 and "placeholder left" in refused.output
    assert not (out.parent / "final.pdf").exists()


def test_a_wrong_year_in_the_new_table_is_caught_by_the_history(tmp_path, example_dir, cli):
    previous = tmp_path / "q3-2011"
    shutil.copytree(example_dir, previous)
    table = tmp_path / "q4.tsv"
    table.write_text(Q4_TABLE.read_text().replace("\\$15,286", "\\$15,386").replace("\\$3,474", "\\$3,574")
                     .replace("(\\$2,917)", "(\\$2,817)"))
    out = tmp_path / "q4-2011"
    assert cli("ingest", table, "--like", previous, "--out", out).exit_code == 0
    result = cli("validate", out)
    assert result.exit_code == 1
    assert ("fails: Revenue (revenue), the year ended September 30, 2011: q4-2011 prints 15,386, but q3-2011's "
            "9 months (10,186) plus this quarter (5,100) give 15,286") in result.output


@pytest.mark.parametrize("new, previous, matched, renamed, new_lines, dropped", [
    (["Revenue", "Cost of sales"], [("revenue", "Revenue"), ("cost", "Cost of Sales")],
     {0: "revenue", 1: "cost"}, [], [], []),
    (["Sales revenue", "Exploration"], [("revenue", "Revenue"), ("cost", "Cost of sales")],
     {}, [], ["Sales revenue", "Exploration"], [("revenue", "Revenue"), ("cost", "Cost of sales")]),
    (["General & administrative"], [("ga", "General and administrative")], {0: "ga"}, [], [], []),
    (["Net income (loss)"], [("net", "Net income")], {0: "net"}, [], [], []),
    (["Exploration expense"], [("exploration", "Exploration expenses")], {0: "exploration"},
     [("exploration", "Exploration expenses", "Exploration expense")], [], []),
])
def test_lines_map_exact_then_normalised_then_close(new, previous, matched, renamed, new_lines, dropped):
    mapping = match_lines(new, previous)
    assert mapping.matched == matched and mapping.renamed == renamed
    assert mapping.new == new_lines and mapping.dropped == dropped


def test_a_line_differing_only_in_its_parenthesis_is_not_matched_silently():
    """"Revenue (copper)" is not "Revenue (silver)": never taken as the same line without a word."""
    mapping = match_lines(["Revenue (gold)", "Revenue (copper)"],
                          [("rev_gold", "Revenue (gold)"), ("rev_silver", "Revenue (silver)")])
    assert mapping.matched.get(0) == "rev_gold"
    assert mapping.matched.get(1) is None or mapping.renamed == [("rev_silver", "Revenue (silver)",
                                                                  "Revenue (copper)")]
    assert match_lines(["Net income (loss) (2)"], [("net", "Net income")]).matched == {0: "net"}


def test_a_close_match_to_two_lines_is_never_guessed():
    mapping = match_lines(["Exploration cost"], [("a", "Exploration costs"), ("b", "Exploration cos")])
    assert mapping.matched == {} and mapping.ambiguous == ["Exploration cost"]


@pytest.mark.parametrize("end, rolled", [("2011-06-30", "2011-09-30"), ("2011-09-30", "2011-12-31"),
                                         ("2011-12-31", "2012-03-31"), ("2012-02-29", "2012-05-31")])
def test_the_period_rolls_forward_a_quarter(end, rolled):
    import datetime as dt
    assert next_quarter(Period(dt.date.fromisoformat(end), 3)) == Period(dt.date.fromisoformat(rolled), 3)


def test_tables_and_bullets_with_figures_become_todos():
    text = "Intro with no figure.\n\n- Revenue rose 12%\n- Costs were stable\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"
    out = stale_free(text, "Q1 2022", "Q2 2022")
    assert "- TODO: restate for Q2 2022 (Q1 2022 said: “Revenue rose 12%”)" in out
    assert "- Costs were stable" in out and "Intro with no figure." in out
    assert "TODO: restate for Q2 2022 (Q1 2022 said: “the table that began | a | b |”)" in out
    assert "| 1 | 2 |" not in out


def test_last_quarters_amounts_quoted_in_a_todo_are_not_checked_as_this_quarters(carried, cli):
    previous, out, output = carried
    from reporter.data.factcheck import CheckStatus, check_commentary
    report = load_report(out)
    findings = check_commentary(report.commentary, report.figures, report.statement, report.settings)
    quoted = [f for f in findings if f.detail == "in a TODO placeholder"]
    assert quoted and all(f.status is CheckStatus.NOT_CHECKED for f in quoted)
    assert not [f for f in findings if f.status is CheckStatus.FAILS]


def test_the_readme_history_failure_is_printed_verbatim(tmp_path, example_dir, cli, monkeypatch):
    """The docs' example of a history failure (docs/ingest.md, "Quarter to quarter"), produced by a build."""
    readme = (REPO / "docs" / "ingest.md").read_text()
    expected = re.search(r"^statement error: q4-2011/figures\.csv.*$", readme, re.M).group(0)
    monkeypatch.chdir(tmp_path)
    shutil.copytree(example_dir, "q3-2011")
    table = tmp_path / "q4.tsv"
    table.write_text(Q4_TABLE.read_text().replace("\\$15,286", "\\$15,386").replace("\\$3,474", "\\$3,574")
                     .replace("(\\$2,917)", "(\\$2,817)"))
    assert cli("ingest", table, "--like", "q3-2011", "--out", "q4-2011").exit_code == 0
    (Path("q4-2011") / "commentary.md").write_text("---\nheadline: Los Santos fourth quarter\n---\n\nNo figures.\n")
    (Path("q4-2011") / "commentary.fr.md").write_text("---\nheadline: Quatrième trimestre\n---\n\nAucun chiffre.\n")
    result = cli("build", "q4-2011", "-o", "q4.pdf")
    assert result.exit_code == 1
    # The CLI names files by their full path; the README shows them from the folder it runs in.
    assert result.output.strip().splitlines()[-1].replace(f"{tmp_path.resolve()}/", "") == expected


def test_report_yaml_keeps_its_comments_and_blank_lines_inside_blocks():
    from reporter.ingest.carry import carry_report_yaml

    text = ("# who\ncompany: {name: A}\n\n# rates\nfx_rates:\n  - {base: EUR}\n\n  - {base: USD}\n"
            "# the period\nperiod:\n  end: 2011-06-30\n  months: 3\n# trailing\n")
    out = carry_report_yaml(text, {"period": "period: {end: 2011-09-30, months: 3}", "fx_rates": None,
                                   "history": "history: [../q3]"})
    assert out == ("# who\ncompany: {name: A}\n\n# rates\n# the period\nperiod: {end: 2011-09-30, months: 3}\n"
                   "# trailing\n\nhistory: [../q3]\n")


# Adversarial review: commentary symlinked out of the previous folder; figures in headings,
# numbered items, quotes and front-matter numbers; wrapped TODOs that would open a Markdown block.

def test_a_commentary_symlinked_out_of_the_previous_folder_is_refused(tmp_path, example_dir, cli):
    previous = tmp_path / "q3-2011"
    shutil.copytree(example_dir, previous)
    other = tmp_path / "other-company.md"
    other.write_text("Unreleased: another issuer's words, no figure.\n")
    (previous / "commentary.md").unlink()
    (previous / "commentary.md").symlink_to(other)
    out = tmp_path / "q4-2011"
    result = cli("ingest", Q4_TABLE, "--like", previous, "--out", out)
    assert result.exit_code != 0
    assert "commentary.md is a symlink out of q3-2011; refused" in result.output
    assert not out.exists()


def test_the_summary_names_the_folder_written_not_the_scratch_one(carried):
    previous, out, output = carried
    assert output.splitlines()[0].startswith(f"wrote {out}: ")
    assert ".ingest" not in output


def test_figures_in_headings_numbered_items_quotes_and_front_matter_become_todos():
    from reporter.ingest.carry import carry_commentary

    text = ("---\nheadline: Steady quarter\nounces_sold: 12345\n---\n\n# Q1 2022 revenue rose 12%\n\n"
            "1. Gold sold 4,500 oz.\n\n> Cash of $1,234 at quarter end.\n\n## Outlook\n")
    out = carry_commentary(text, "Q1 2022", "Q2 2022")
    front = yaml.safe_load(out.split("---\n")[1])
    assert front == {"headline": "Steady quarter", "ounces_sold": "TODO: restate for Q2 2022 (Q1 2022 said: “12345”)"}
    body = out.split("\n---\n", 1)[1]
    assert "# TODO: restate for Q2 2022 (Q1 2022 said: “Q1 2022 revenue rose 12%”)" in body
    assert "1. TODO: restate for Q2 2022 (Q1 2022 said: “Gold sold 4,500 oz.”)" in body
    assert "> TODO: restate for Q2 2022 (Q1 2022 said: “Cash of $1,234 at quarter end.”)" in body
    assert "## Outlook" in body
    texts = [re.sub(r"^\d+\.\s", "", line) for line in body.splitlines()]  # a list item's number stays
    left = re.sub(r"TODO: restate for .*? said: “.*?”\)", "", " ".join(texts))
    assert not re.search(r"\d", left), left


def test_a_wrapped_todo_never_starts_a_line_that_markdown_reads_as_a_new_block():
    sentence = "Costs fell from 900 to 850" + " word" * 12 + " - a fall" + " more" * 3 + " # 5 units 1. first."
    for pad in range(0, 40):
        out = stale_free("x" * pad + " " + sentence + "\n", "Q1 2022", "Q2 2022")
        for line in out.splitlines()[1:]:
            assert not re.match(r"(#{1,6}(\s|$)|>|[-*+](\s|$)|\d+[.)](\s|$))", line), (pad, out)


@pytest.mark.parametrize("front, message", [
    ("headline: [unclosed", r"commentary.md:2: invalid YAML front matter: expected ',' or ']'"),
    ("just a string", r"commentary.md:2: the front matter must be a mapping of keys"),
    ("headline: !!python/object:os.system x", r"commentary.md:2: invalid YAML front matter: could not determine"),
])
def test_a_broken_front_matter_in_the_previous_commentary_is_one_located_line(tmp_path, example_dir, cli, front,
                                                                              message):
    previous = tmp_path / "q3-2011"
    shutil.copytree(example_dir, previous)
    (previous / "commentary.md").write_text(f"---\n{front}\n---\n\nText.\n")
    result = cli("ingest", Q4_TABLE, "--like", previous, "--out", tmp_path / "q4-2011")
    assert result.exit_code == 1 and not isinstance(result.exception, (AttributeError, yaml.YAMLError))
    assert re.search(message, result.output), result.output


def test_a_previous_folder_name_with_a_newline_cannot_write_yaml_into_the_statement(tmp_path, example_dir, cli):
    previous = tmp_path / "q3\ntitle: Injected"
    shutil.copytree(example_dir, previous)
    out = tmp_path / "q4-2011"
    assert cli("ingest", Q4_TABLE, "--like", previous, "--out", out).exit_code == 0
    statement = (out / "statement.yaml").read_text()
    assert "\ntitle: Injected" not in statement
    assert yaml.safe_load(statement)["title"] == yaml.safe_load((previous / "statement.yaml").read_text())["title"]


def test_a_trend_line_the_new_table_drops_is_left_out_like_a_key_figure(tmp_path, cli):
    """Otherwise the carried folder would not load: `trend names 'admin', which is not a line`."""
    import sys
    sys.path.insert(0, str(REPO / "tests" / "data"))
    from test_history import write_report

    previous = write_report(tmp_path, 2022, 3)
    settings = previous / "report.yaml"
    settings.write_text(settings.read_text().replace("key_figures: [revenue, net_income]",
                                                     "key_figures: [revenue, net_income]\ntrend: [revenue, admin]"))
    table = tmp_path / "q4.tsv"
    table.write_text("US$ thousands\tThree Months Ended December 31, 2022\tThree Months Ended December 31, 2021\n"
                     "Revenue\t1,700\t1,300\nCost of sales\t950\t750\nGross profit\t750\t550\n")
    out = tmp_path / "q4-2022"
    result = cli("ingest", table, "--like", previous, "--out", out)
    assert result.exit_code == 0, result.output
    assert yaml.safe_load((out / "report.yaml").read_text())["trend"] == ["revenue"]
    assert "note: trend lines that were dropped were left out of report.yaml" in result.output
    load_report(out)  # loads: no "trend names" error


@pytest.mark.parametrize("history", [
    "history:\n# the chain, oldest first\n  - ../q1\n  - ../q2\n",
    "history:\n- ../q1\n- ../q2\n",
])
def test_a_block_list_in_report_yaml_is_replaced_whole(history):
    """`key:` then `- item` at the margin (as YAML dumps lists), or a comment inside the block."""
    from reporter.ingest.carry import carry_report_yaml

    text = f"company: {{name: X}}\n{history}# what the trend follows\ntrend: [revenue]\n"
    out = carry_report_yaml(text, {"history": "history: [../q1, ../q2, ../q3]"})
    assert yaml.safe_load(out) == {"company": {"name": "X"}, "history": ["../q1", "../q2", "../q3"],
                                   "trend": ["revenue"]}
    assert "# what the trend follows\ntrend: [revenue]" in out


def test_a_half_year_report_rolls_forward_six_months(tmp_path, cli):
    """After the six months to June 30 comes the six months to December 31, not a quarter."""
    import datetime as dt
    import sys
    sys.path.insert(0, str(REPO / "tests" / "data"))
    from test_history import _half_year

    assert next_quarter(Period(dt.date(2022, 6, 30), 6)) == Period(dt.date(2022, 12, 31), 6)
    previous = _half_year(tmp_path, "h1-2022", "2022-06-30", [("2022-06-30", 6, (2000, 1200, 200))])
    table = tmp_path / "h2.tsv"
    table.write_text("US$ thousands\tSix Months Ended December 31, 2022\tYear Ended December 31, 2022\n"
                     "Revenue\t2,100\t4,100\nCost of sales\t1,300\t2,500\nGross profit\t800\t1,600\n"
                     "General and administrative\t210\t410\nNet income\t590\t1,190\n")
    out = tmp_path / "h2-2022"
    result = cli("ingest", table, "--like", previous, "--out", out)
    assert result.exit_code == 0, result.output
    assert yaml.safe_load((out / "report.yaml").read_text())["period"] == {"end": dt.date(2022, 12, 31), "months": 6}
    assert "not 2022" not in result.output  # no note that the table's period differs from the rolled one
    load_report(out)


def test_a_carried_folder_not_beside_the_previous_one_has_no_history(tmp_path, example_dir, cli):
    """The previous folder's own history names folders beside it, not beside the new one."""
    previous = tmp_path / "archive" / "q3-2011"
    shutil.copytree(example_dir, previous)
    settings = previous / "report.yaml"
    shutil.copytree(example_dir, tmp_path / "archive" / "q2-2011")
    settings.write_text(settings.read_text() + "history: [../q2-2011]\n")
    out = tmp_path / "q4-2011"
    result = cli("ingest", Q4_TABLE, "--like", previous, "--out", out)
    assert result.exit_code == 0, result.output
    assert "history" not in yaml.safe_load((out / "report.yaml").read_text())


@pytest.mark.parametrize("target", ["dangling-link", "under-a-file/x"])
def test_an_output_folder_that_cannot_be_made_is_one_line(tmp_path, cli, target):
    (tmp_path / "dangling-link").symlink_to(tmp_path / "nowhere")
    (tmp_path / "under-a-file").write_text("a file\n")
    result = cli("new", tmp_path / target)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1 and target.split("/")[0] in result.output


def test_shares_of_net_income_and_a_new_per_share_line_keep_what_ingest_read(tmp_path, cli):
    """Last half year's shares of net income keep their attribution_of; this table's new EPS line
    keeps its unit (it was written as a line of money at the scale)."""
    import datetime as dt

    first = tmp_path / "h1.tsv"
    first.write_text("US$ thousands\tSix Months Ended June 30, 2024\n"
                     "Revenue\t2,000\nCost of sales\t1,200\nNet income\t800\nAttributable to:\n"
                     "Shareholders of the Company\t700\nNon-controlling interests\t100\n", encoding="utf-8")
    previous = tmp_path / "h1-2024"
    result = cli("ingest", first, "--out", previous, "--fiscal-year-end", "12-31")
    assert result.exit_code == 0, result.output
    table = tmp_path / "h2.tsv"
    table.write_text("US$ thousands\tSix Months Ended December 31, 2024\tYear Ended December 31, 2024\n"
                     "Revenue\t2,100\t4,100\nCost of sales\t1,300\t2,500\nNet income\t800\t1,600\n"
                     "Attributable to:\nShareholders of the Company\t690\t1,390\n"
                     "Non-controlling interests\t110\t210\nBasic earnings per share (cents)\t4.10\t8.20\n",
                     encoding="utf-8")
    out = tmp_path / "h2-2024"
    result = cli("ingest", table, "--like", previous, "--out", out)
    assert result.exit_code == 0, result.output

    lines = {line["id"]: line for line in yaml.safe_load((out / "statement.yaml").read_text())["lines"]}
    shares = {line_id: line["attribution_of"] for line_id, line in lines.items() if "attribution_of" in line}
    assert shares == {"attributable_to_shareholders_of_the_company": "net_income",
                      "attributable_to_non_controlling_interests": "net_income"}
    assert lines["basic_earnings_per_share"]["unit"] == "cents per share"
    report = load_report(out)
    assert report.settings.period == Period(dt.date(2024, 12, 31), 6)
    assert all(t.status.value == "ties" for t in report.tie_outs) and len(report.tie_outs) == 4
    assert report.figures.loc[report.figures["line_id"] == "basic_earnings_per_share", "amount"].tolist() == \
        [Decimal("4.10"), Decimal("8.20")]


@pytest.mark.parametrize("broken", ["attribution_of: [net_income]", "formula: [revenue, cost_of_sales]"])
def test_a_previous_statement_validate_refuses_is_refused_in_one_line(tmp_path, cli, broken):
    """A hand-edited previous statement.yaml whose attribution_of or formula is a list stopped
    `ingest --like` with a TypeError traceback; it is refused as validate refuses it."""
    first = tmp_path / "h1.tsv"
    first.write_text("US$ thousands\tSix Months Ended June 30, 2024\n"
                     "Revenue\t2,000\nCost of sales\t1,200\nNet income\t800\nAttributable to:\n"
                     "Shareholders of the Company\t700\nNon-controlling interests\t100\n", encoding="utf-8")
    previous = tmp_path / "h1-2024"
    assert cli("ingest", first, "--out", previous, "--fiscal-year-end", "12-31").exit_code == 0
    path = previous / "statement.yaml"
    text = path.read_text(encoding="utf-8")
    assert "    attribution_of: net_income" in text
    path.write_text(text.replace("    attribution_of: net_income", f"    {broken}", 1), encoding="utf-8")
    out = tmp_path / "h2-2024"
    result = cli("ingest", first, "--like", previous, "--out", out)
    assert result.exit_code == 1
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1, result.output
    assert result.output.startswith(f"statement error: {path}: line 'attributable_to_shareholders_of_the_company'")
    assert not out.exists()
