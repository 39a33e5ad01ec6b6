"""Quarters connect: a chain of five quarterly reports checked against each other (history:).

The figures are written here, consistent across quarters: each quarter of 2021, 2022 and Q1 2023
is given once, and every report prints its columns from them, so a true chain passes and each
alteration below is one published figure changed.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from helpers import pdf_pages, table_row
from reporter.data.history import HistoryStatus
from reporter.data.report import check_report, load_report
from reporter.errors import DataError, StatementError

# Quarterly truth, in US$ thousands: (revenue, cost of sales, general and administrative).
QUARTERS = {
    (2021, 1): (1000, 600, 100), (2021, 2): (1100, 650, 110), (2021, 3): (1200, 700, 120),
    (2021, 4): (1300, 750, 130), (2022, 1): (1400, 800, 140), (2022, 2): (1500, 850, 150),
    (2022, 3): (1600, 900, 160), (2022, 4): (1700, 950, 170), (2023, 1): (1800, 1000, 180),
}
QUARTER_END = {1: "03-31", 2: "06-30", 3: "09-30", 4: "12-31"}

STATEMENT = """\
title: Consolidated Results
lines:
  - {id: revenue, label: Revenue}
  - {id: cost_of_sales, label: Cost of sales}
  - {id: gross_profit, label: Gross profit, formula: revenue - cost_of_sales}
  - {id: admin, label: General and administrative}
  - {id: net_income, label: Net income, formula: gross_profit - admin}
"""

REPORT = """\
company: {{name: Quartz Ridge Gold Corp., short_name: Quartz Ridge}}
subject: Quartz Ridge Mine
fiscal_year_end: "12-31"
period: {{end: {end}, months: 3}}
reporting: {{currency: USD, scale: thousands, locale: en_US}}
key_figures: [revenue, net_income]
narrative: false
{history}"""


def period_figures(year: int, quarter: int, months: int) -> dict[str, int]:
    """The figures of the `months` months ending with a quarter, summed from the quarters."""
    first = quarter - months // 3 + 1
    revenue, cost, admin = (sum(QUARTERS[year, q][i] for q in range(first, quarter + 1)) for i in range(3))
    return {"revenue": revenue, "cost_of_sales": cost, "gross_profit": revenue - cost, "admin": admin,
            "net_income": revenue - cost - admin}


def columns_of(year: int, quarter: int) -> list[tuple[int, int, int]]:
    """The columns a quarterly report prints: the quarter and its year to date, this year and last."""
    spans = [3] if quarter == 1 else [3, quarter * 3]
    return [(y, quarter, months) for months in spans for y in (year, year - 1)]


def write_report(root: Path, year: int, quarter: int, history: list[str] = (), *,
                 changes: dict | None = None, restated: set | None = None) -> Path:
    """Write one quarter's folder; `changes` maps (line, year, months) to a published figure."""
    folder = root / f"q{quarter}-{year}"
    folder.mkdir(parents=True)
    end = f"{year}-{QUARTER_END[quarter]}"
    history_yaml = f"history: [{', '.join(history)}]\n" if history else ""
    (folder / "report.yaml").write_text(REPORT.format(end=end, history=history_yaml))
    (folder / "statement.yaml").write_text(STATEMENT)
    (folder / "commentary.md").write_text(f"---\nheadline: Quartz Ridge reports Q{quarter} {year}\n---\n\n"
                                          "Operations continued as planned.\n")
    rows = ["line_item,period_end,months,value,restated"]
    for y, q, months in columns_of(year, quarter):
        figures = period_figures(y, q, months)
        for line_id, value in figures.items():
            value = (changes or {}).get((line_id, y, months), value)
            flag = "true" if (y, months) in (restated or set()) else "false"
            rows.append(f"{line_id},{y}-{QUARTER_END[q]},{months},\"{value:,}\",{flag}")
    (folder / "figures.csv").write_text("\n".join(rows) + "\n")
    return folder


@pytest.fixture
def chain(tmp_path: Path) -> Path:
    """Q1 to Q4 2022, each naming the quarters before it as history; Q1 2023 is added by the tests."""
    names = []
    for quarter in (1, 2, 3, 4):
        write_report(tmp_path, 2022, quarter, [f"../{n}" for n in names])
        names.append(f"q{quarter}-2022")
    return tmp_path


HISTORY_2022 = ["../q1-2022", "../q2-2022", "../q3-2022", "../q4-2022"]


def by_status(report, status):
    return [f for f in report.history if f.status is status]


def test_a_true_chain_agrees_quarter_after_quarter(chain):
    """Every year to date ties to the quarter before it; the fiscal year rolls over into Q1 2023."""
    q4 = load_report(chain / "q4-2022")
    ytd = [f for f in q4.history if f.kind == "year_to_date"]
    # Both years: 2022 from Q3 2022's nine months, 2021 from the comparative nine months it printed.
    assert len(ytd) == 10 and all(f.status is HistoryStatus.AGREES for f in ytd)
    assert {f.period_key for f in ytd} == {"2022-12-31/12m", "2021-12-31/12m"}
    assert "Revenue (revenue), the year ended December 31, 2022: ties to q3-2022" in [f.message for f in ytd]
    check_report(q4)
    q1 = load_report(write_report(chain, 2023, 1, HISTORY_2022))
    compared = [f for f in q1.history if f.kind == "comparative"]
    # The Q1 2022 column is compared with the Q1 2022 report; 2023 has no year to date yet.
    assert len(compared) == 5 and all(f.status is HistoryStatus.AGREES for f in compared)
    assert {f.period_key for f in compared} == {"2022-03-31/3m"}
    assert not [f for f in q1.history if f.kind == "year_to_date"]
    check_report(q1)


def test_a_comparative_that_differs_from_what_was_published_stops_the_build(chain, cli):
    folder = write_report(chain, 2023, 1, HISTORY_2022, changes={("revenue", 2022, 3): 1410,
                                                                  ("gross_profit", 2022, 3): 610,
                                                                  ("net_income", 2022, 3): 470})
    report = load_report(folder)
    failures = by_status(report, HistoryStatus.FAILS)
    assert [f.line_id for f in failures] == ["revenue", "gross_profit", "net_income"]
    with pytest.raises(StatementError) as error:
        check_report(report)
    assert str(error.value) == (
        f"statement error: {folder / 'figures.csv'}, row 7, column \"value\": history: Revenue (revenue), the three months ended "
        f"March 31, 2022: q1-2023 prints 1,410, q1-2022 published 1,400 (a restatement? mark the column "
        f"restated in figures.csv)")
    result = cli("build", folder, "-o", chain / "out.pdf")
    assert result.exit_code == 1
    assert "q1-2022 published 1,400" in result.output and "Traceback" not in result.output
    assert not (chain / "out.pdf").exists()
    validate = cli("validate", folder)
    assert validate.exit_code == 1
    assert "history: 5 comparisons with earlier reports: 2 agree, 0 restated, 3 disagree" in validate.output


def test_a_restated_column_lists_what_was_published(chain, cli):
    folder = write_report(chain, 2023, 1, HISTORY_2022, changes={("revenue", 2022, 3): 1410,
                                                                  ("gross_profit", 2022, 3): 610,
                                                                  ("net_income", 2022, 3): 470},
                          restated={(2022, 3)})
    report = load_report(folder)
    restated = by_status(report, HistoryStatus.RESTATED)
    assert [f.message for f in restated] == [
        "Revenue (revenue), the three months ended March 31, 2022: restated; previously published 1,400 "
        "in q1-2022, now 1,410",
        "Gross profit (gross_profit), the three months ended March 31, 2022: restated; previously published "
        "600 in q1-2022, now 610",
        "Net income (net_income), the three months ended March 31, 2022: restated; previously published "
        "460 in q1-2022, now 470",
    ]
    check_report(report)
    validate = cli("validate", folder)
    assert validate.exit_code == 0, validate.output
    assert "restated: Revenue (revenue), the three months ended March 31, 2022: restated; previously " \
           "published 1,400 in q1-2022, now 1,410" in validate.output


def test_a_year_to_date_that_is_not_the_sum_of_its_quarters_stops_the_build(chain):
    shutil.rmtree(chain / "q3-2022")
    # Nine months of revenue 20 higher than six months (Q2 report) plus Q3; subtotals follow, so
    # every tie-out of the table itself still passes.
    folder = write_report(chain, 2022, 3, ["../q1-2022", "../q2-2022"],
                          changes={("revenue", 2022, 9): 4520, ("gross_profit", 2022, 9): 1970,
                                   ("net_income", 2022, 9): 1520})
    report = load_report(folder)
    assert all(t.status.value == "ties" for t in report.tie_outs)
    with pytest.raises(StatementError) as error:
        check_report(report)
    assert str(error.value).endswith(
        "history: Revenue (revenue), the nine months ended September 30, 2022: q3-2022 prints 4,520, but "
        "q2-2022's 6 months (2,900) plus this quarter (1,600) give 4,500")


def test_one_unit_of_rounding_in_a_year_to_date_passes_two_do_not(chain):
    shutil.rmtree(chain / "q2-2022")
    folder = write_report(chain, 2022, 2, ["../q1-2022"], changes={("admin", 2022, 6): 291,
                                                                    ("net_income", 2022, 6): 959})
    assert all(f.status is HistoryStatus.AGREES for f in load_report(folder).history)
    shutil.rmtree(folder)
    folder = write_report(chain, 2022, 2, ["../q1-2022"], changes={("admin", 2022, 6): 292,
                                                                    ("net_income", 2022, 6): 958})
    assert [f.line_id for f in by_status(load_report(folder), HistoryStatus.FAILS)] == ["admin", "net_income"]


def test_renamed_new_and_dropped_lines_are_listed(chain, cli):
    folder = write_report(chain, 2023, 1, HISTORY_2022)
    statement = STATEMENT.replace("General and administrative", "Administrative expenses")
    statement = statement.replace("  - {id: net_income", "  - {id: exploration, label: Exploration}\n"
                                                         "  - {id: net_income")
    statement = statement.replace("gross_profit - admin", "gross_profit - admin - exploration")
    (folder / "statement.yaml").write_text(statement)
    with (folder / "figures.csv").open("a") as figures:
        figures.write("exploration,2023-03-31,3,0,false\nexploration,2022-03-31,3,0,false\n")
    notes = [f.message for f in by_status(load_report(folder), HistoryStatus.NOTE)]
    assert notes == ["admin renamed since q4-2022: 'General and administrative' is now 'Administrative expenses'",
                     "Exploration (exploration) is new since q4-2022"]
    # Next, the net income line dropped (the statement ends at its last cost).
    (folder / "statement.yaml").write_text(STATEMENT.split("  - {id: net_income")[0])
    lines = (folder / "figures.csv").read_text().splitlines()
    (folder / "figures.csv").write_text("\n".join(line for line in lines
                                                  if not line.startswith(("exploration,", "net_income,"))) + "\n")
    settings = folder / "report.yaml"
    settings.write_text(settings.read_text().replace("[revenue, net_income]", "[revenue, gross_profit]"))
    report = load_report(folder)
    assert [f.message for f in by_status(report, HistoryStatus.NOTE)] == [
        "Net income (net_income) was in q4-2022 and is missing now"]
    result = cli("validate", folder)
    assert "note: Net income (net_income) was in q4-2022 and is missing now" in result.output


@pytest.mark.parametrize("history, message", [
    ("[/etc]", "history: /etc is not a report folder beside this one; name earlier reports relative to it, "
               "such as ../q2-2011"),
    ("[../../..]", "history: ../../.. is not a report folder beside this one"),
    ("[.]", "history: . is not a report folder beside this one"),
    ("[../nowhere]", "history: ../nowhere is not a report folder (it has no report.yaml)"),
    ("[../q1-2022, ../q1-2022]", "history names ../q1-2022 twice"),
    ("../q1-2022", "history must be a list of earlier report folders such as [../q2-2011], got '../q1-2022'"),
])
def test_history_names_only_report_folders_beside_this_one(chain, history, message, cli):
    folder = chain / "q2-2022"
    settings = folder / "report.yaml"
    settings.write_text(settings.read_text().replace("history: [../q1-2022]", f"history: {history}"))
    with pytest.raises(DataError) as error:
        load_report(folder)
    assert message in str(error.value) and str(settings) in str(error.value)
    result = cli("validate", folder)
    assert result.exit_code == 1 and message in result.output and "Traceback" not in result.output


def test_a_symlink_out_of_the_quarters_folder_is_refused(chain, tmp_path_factory):
    outside = tmp_path_factory.mktemp("elsewhere")
    shutil.copytree(chain / "q1-2022", outside / "q1-2022")
    (chain / "sneaky").symlink_to(outside / "q1-2022")
    settings = chain / "q2-2022" / "report.yaml"
    settings.write_text(settings.read_text().replace("history: [../q1-2022]", "history: [../sneaky]"))
    with pytest.raises(DataError, match="is not a report folder beside this one"):
        load_report(chain / "q2-2022")


def test_without_history_nothing_changes(example_dir):
    report = load_report(example_dir)
    assert report.earlier == () and report.history == []


def test_the_build_goes_on_and_validate_reports_a_true_chain(chain, cli):
    folder = write_report(chain, 2023, 1, HISTORY_2022)
    result = cli("validate", folder)
    assert result.exit_code == 0, result.output
    assert "history: 5 comparisons with earlier reports: 5 agree, 0 restated, 0 disagree" in result.output
    out = chain / "q1-2023.pdf"
    result = cli("build", folder, "-o", out)
    assert result.exit_code == 0, result.output
    assert "Revenue" in "".join(pdf_pages(out))


def test_an_edit_to_an_earlier_report_rebuilds_what_depends_on_it(chain, cli):
    """The production run counts the history's files as inputs of the documents that name them."""
    folder = write_report(chain, 2023, 1, HISTORY_2022)
    # A file of an earlier folder that is a symlink out of it is recorded by where it points, never read.
    outside = chain.parent / "outside.txt"
    outside.write_text("not the history's\n")
    (chain / "q1-2022" / "notes.txt").symlink_to(outside)
    out = chain / "run"
    first = cli("build", folder, "-t", "press-release", "--jobs", "1", "-o", out)
    assert first.exit_code == 0, first.output
    manifest = json.loads((out / "manifest.json").read_text())
    [document] = manifest["documents"]
    inputs = document["inputs"]
    assert "history1:q1-2022/figures.csv" in inputs and "history4:q4-2022/report.yaml" in inputs
    assert inputs["history1:q1-2022/notes.txt"] == f"symlink to {outside}"
    again = cli("build", folder, "-t", "press-release", "--jobs", "1", "-o", out)
    assert again.stdout.splitlines()[-1].startswith("0 built, 1 unchanged"), again.output
    commentary = chain / "q2-2022" / "commentary.md"
    commentary.write_text(commentary.read_text() + "\nA sentence added after publication.\n")
    third = cli("build", folder, "-t", "press-release", "--jobs", "1", "-o", out)
    assert third.stdout.splitlines()[-1].startswith("1 built, 0 unchanged"), third.output


def test_the_briefing_shows_the_quarterly_trend_from_the_history(chain, cli):
    """Five quarters (Q1 2022 - Q1 2023) in order, the restated one marked, in the table and chart."""
    folder = write_report(chain, 2023, 1, HISTORY_2022, changes={("revenue", 2022, 3): 1410,
                                                                  ("gross_profit", 2022, 3): 610,
                                                                  ("net_income", 2022, 3): 470},
                          restated={(2022, 3)})
    out = chain / "briefing.pdf"
    result = cli("build", folder, "-t", "quarterly-briefing", "-o", out)
    assert result.exit_code == 0, result.output
    text = "\n".join(pdf_pages(out))
    trend = text[text.rindex("Quarterly trend"):]  # the section, after its entry in the contents
    # The eight latest quarters in a row, oldest first: 2021's from the comparatives the 2022
    # reports printed. Q1 2022 is this report's restated figure, marked in its heading.
    assert " ".join(trend.split("Revenue")[0].split()) == (
        "Quarterly trend USD$ 000 Q2 2021 Q3 2021 Q4 2021 Q1 2022 (restated) Q2 2022 Q3 2022 Q4 2022 Q1 2023")
    assert table_row(trend, "Revenue") == ["1,100", "1,200", "1,300", "1,410", "1,500", "1,600", "1,700", "1,800"]
    assert table_row(trend, "Net income") == ["340", "380", "420", "470", "500", "540", "580", "620"]
    assert "(restated)" in trend
    # Under the statement: what the restated column changed against what was published.
    assert "Revenue, Q1 2022: restated; previously published 1,400" in text


def test_fewer_than_four_quarters_show_no_trend(chain, cli):
    """Q2 2022 knows Q1 and Q2 of 2021 and 2022: four quarters, but only two in a row."""
    out = chain / "q2.pdf"
    result = cli("build", chain / "q2-2022", "-t", "quarterly-briefing", "-o", out)
    assert result.exit_code == 0, result.output
    assert "Quarterly trend" not in "\n".join(pdf_pages(out))


def test_a_history_of_another_company_is_refused(chain):
    """A folder handed over cannot pull another issuer's figures (beside it) into its pages."""
    other = chain / "q1-2022" / "report.yaml"
    other.write_text(other.read_text().replace("Quartz Ridge Gold Corp.", "Other Minerals Ltd."))
    with pytest.raises(DataError) as error:
        load_report(chain / "q2-2022")
    assert str(error.value).endswith("history: q1-2022 is a report of Other Minerals Ltd., not of "
                                     "Quartz Ridge Gold Corp.")


# Adversarial review: a file symlinked out of a history folder, half-year reports, 52-week years.

def test_a_history_folder_whose_files_are_symlinks_out_is_refused(chain):
    """The history folder is beside the report, but its figures.csv leads elsewhere: never read."""
    elsewhere = chain.parent / "elsewhere"
    elsewhere.mkdir()
    shutil.move(chain / "q3-2022" / "figures.csv", elsewhere / "figures.csv")
    (chain / "q3-2022" / "figures.csv").symlink_to(elsewhere / "figures.csv")
    with pytest.raises(DataError, match=r"history: \.\./q3-2022/figures.csv is a symlink out of its folder; refused"):
        load_report(chain / "q4-2022")


def _half_year(root: Path, name: str, end: str, columns: list, history: str = "") -> Path:
    folder = root / name
    folder.mkdir()
    (folder / "report.yaml").write_text(REPORT.format(end=end, history=history).replace("months: 3", "months: 6"))
    (folder / "statement.yaml").write_text(STATEMENT)
    (folder / "commentary.md").write_text("---\nheadline: Half year\n---\n\nOperations continued.\n")
    rows = ["line_item,period_end,months,value,restated"]
    for period_end, months, (revenue, cost, admin) in columns:
        for line_id, value in dict(revenue=revenue, cost_of_sales=cost, gross_profit=revenue - cost, admin=admin,
                                   net_income=revenue - cost - admin).items():
            rows.append(f"{line_id},{period_end},{months},\"{value:,}\",false")
    (folder / "figures.csv").write_text("\n".join(rows) + "\n")
    return folder


def test_a_half_year_reports_year_is_checked_against_the_first_half(tmp_path):
    """A company reporting twice a year: the year must be the first half plus the second."""
    _half_year(tmp_path, "h1-2022", "2022-06-30", [("2022-06-30", 6, (2000, 1200, 200))])
    _half_year(tmp_path, "h2-2022", "2022-12-31", [("2022-12-31", 6, (2100, 1300, 210)),
                                                  ("2022-12-31", 12, (4200, 2500, 410))], "history: [../h1-2022]\n")
    report = load_report(tmp_path / "h2-2022")
    failed = [f.message for f in by_status(report, HistoryStatus.FAILS)]
    assert ("Revenue (revenue), the year ended December 31, 2022: h2-2022 prints 4,200, but h1-2022's 6 months "
            "(2,000) plus these 6 months (2,100) give 4,100") in failed
    assert [f for f in report.history if f.kind == "year_to_date" and f.line_id == "admin"][0].status \
        is HistoryStatus.AGREES


def test_a_52_week_years_nine_months_is_checked_against_the_six(tmp_path, monkeypatch):
    """Quarters that end on a Saturday (July 2, October 1): the year to date is still checked."""
    monkeypatch.setitem(QUARTER_END, 2, "07-02")
    monkeypatch.setitem(QUARTER_END, 3, "10-01")
    write_report(tmp_path, 2022, 2)
    wrong = {("revenue", 2022, 9): 4600, ("gross_profit", 2022, 9): 2050, ("net_income", 2022, 9): 1600}
    q3 = load_report(write_report(tmp_path, 2022, 3, ["../q2-2022"], changes=wrong))
    failed = [f.message for f in by_status(q3, HistoryStatus.FAILS)]
    assert len(failed) == 3 and failed[0] == ("Revenue (revenue), the nine months ended October 1, 2022: q3-2022 "
                                              "prints 4,600, but q2-2022's 6 months (2,900) plus this quarter "
                                              "(1,600) give 4,500")
    with pytest.raises(StatementError, match="q3-2022 prints 4,600"):
        check_report(q3)


def test_earlier_reports_are_read_with_this_reports_limits_not_their_own(chain):
    """A folder beside the report cannot raise the limits it is read with (README: the same limits)."""
    q1 = write_report(chain, 2023, 1, HISTORY_2022)
    with open(q1 / "report.yaml", "a") as settings:
        settings.write("limits: {figures_rows: 10}\n")
    with open(chain / "q4-2022" / "report.yaml", "a") as settings:
        settings.write("limits: {figures_rows: 100000}\n")
    with pytest.raises(DataError, match=r"q2-2022/figures.csv: 20 rows, more than the limit of 10"):
        load_report(q1)


def _in_whole_millions(folder: Path) -> None:
    """Republish a folder in US$ millions, no decimals: 2,900 thousand prints 3."""
    from decimal import ROUND_HALF_UP, Decimal

    settings = folder / "report.yaml"
    settings.write_text(settings.read_text().replace("scale: thousands", "scale: millions"))
    rows = (folder / "figures.csv").read_text().splitlines()
    out = [rows[0]]
    for row in rows[1:]:
        head, value, tail = row.split('"')
        millions = (Decimal(value.replace(",", "")) / 1000).quantize(Decimal(1), ROUND_HALF_UP)
        out.append(f'{head}"{millions}"{tail}')
    (folder / "figures.csv").write_text("\n".join(out) + "\n")


def test_a_year_to_date_against_an_earlier_report_in_millions_allows_its_rounding(tmp_path):
    """Q2 printed in whole millions (6 months revenue 2,900 thousand prints 3): true figures pass."""
    _in_whole_millions(write_report(tmp_path, 2022, 2))
    q3 = load_report(write_report(tmp_path, 2022, 3, ["../q2-2022"]))
    assert [f for f in q3.history if f.kind == "year_to_date"]
    assert not by_status(q3, HistoryStatus.FAILS), [f.message for f in by_status(q3, HistoryStatus.FAILS)]
    # A nine months 700 thousand off is more than Q2's half million of rounding: it still fails.
    wrong = {("revenue", 2022, 9): 5200, ("gross_profit", 2022, 9): 2650, ("net_income", 2022, 9): 2200}
    shutil.rmtree(tmp_path / "q3-2022")
    q3 = load_report(write_report(tmp_path, 2022, 3, ["../q2-2022"], changes=wrong))
    assert "Revenue (revenue), the nine months ended September 30, 2022: q3-2022 prints 5,200, but q2-2022's " \
           "6 months (3,000) plus this quarter (1,600) give 4,600" in [f.message for f in by_status(q3, HistoryStatus.FAILS)]


def test_a_per_share_line_is_not_added_up_over_quarters(tmp_path):
    """Earnings per share of nine months is not six months' plus the quarter's (shares change)."""
    eps = {(2022, 3): "0.05", (2021, 3): "0.04", (2022, 6): "0.10", (2021, 6): "0.08", (2022, 9): "0.13",
           (2021, 9): "0.12"}
    for quarter, history in ((2, []), (3, ["../q2-2022"])):
        folder = write_report(tmp_path, 2022, quarter, history)
        with open(folder / "statement.yaml", "a") as statement:
            statement.write("  - {id: eps, label: Basic earnings per share}\n")
        with open(folder / "figures.csv", "a") as figures:
            for year, _, months in columns_of(2022, quarter):
                figures.write(f"eps,{year}-{QUARTER_END[quarter]},{months},{eps[year, months]},false\n")
    q3 = load_report(tmp_path / "q3-2022")
    assert not [f for f in q3.history if f.line_id == "eps" and f.kind == "year_to_date"]
    assert [f for f in q3.history if f.line_id == "revenue" and f.kind == "year_to_date"]
    check_report(q3)


def test_a_52_week_years_quarters_are_consecutive_in_the_trend():
    """Quarters ending April 2, July 2, October 1 and December 31 follow each other: no gap."""
    import datetime as dt

    from reporter.context.trend import consecutive_quarters
    from reporter.inputs.periods import Period

    ends = [dt.date(2021, 12, 31), dt.date(2022, 4, 2), dt.date(2022, 7, 2), dt.date(2022, 10, 1)]
    quarters = [Period(end, 3) for end in ends] + [Period(dt.date(2021, 7, 3), 3)]
    assert consecutive_quarters(quarters, Period(dt.date(2022, 10, 1), 3)) == [Period(end, 3) for end in ends]
    # Month ends as before; a missing quarter still breaks the run.
    month_ends = [Period(dt.date(2022, m, d), 3) for m, d in ((3, 31), (6, 30), (9, 30))]
    assert consecutive_quarters(month_ends + [Period(dt.date(2021, 9, 30), 3)], month_ends[-1]) == month_ends


@pytest.mark.parametrize("name, message", [
    ("../" + "a" * 5000, r"history: '\.\./a{197}'… cannot be read as a folder \(File name too long\)"),
    ("../q2\\0x", r"history: '\.\./q2\\x00x' cannot be read as a folder \(embedded null byte\)"),
    ("../loop", r"history: \.\./loop cannot be read as a folder \(Symlink loop"),
])
def test_a_history_name_that_cannot_be_a_folder_is_one_located_line(chain, name, message):
    (chain / "loop").symlink_to(chain / "loop")
    folder = write_report(chain, 2023, 1)
    with open(folder / "report.yaml", "a") as settings:
        settings.write(f'history: ["{name}"]\n')
    with pytest.raises(DataError, match=message):
        load_report(folder)


def test_a_history_that_compares_nothing_says_so(chain, cli):
    """Q2 2022 naming only Q4 2022 (a later report): no period in common, and validate says so."""
    settings = chain / "q2-2022" / "report.yaml"
    settings.write_text(settings.read_text().replace("history: [../q1-2022]", "history: [../q4-2022]"))
    result = cli("validate", chain / "q2-2022")
    assert result.exit_code == 0, result.output
    assert "history: 0 comparisons with earlier reports" in result.output
    assert "note: nothing compared: no earlier report of history: (q4-2022) published a period" in result.output


def test_trend_names_a_line_once(chain):
    settings = chain / "q2-2022" / "report.yaml"
    settings.write_text(settings.read_text() + "trend: [revenue, revenue]\n")
    with pytest.raises(DataError, match="trend names 'revenue' twice"):
        load_report(chain / "q2-2022")


def test_the_trend_chart_names_its_unit_as_every_chart_does(chain):
    """One unit wording for all charts (chart_data.chart_unit): the trend's text alternative too."""
    from reporter.context import build_context, formatter
    from reporter.context.chart_data import chart_unit
    from reporter.theme.resolve import resolve_theme

    folder = write_report(chain, 2023, 1, HISTORY_2022)
    report = load_report(folder)
    fmt = formatter(report)
    context = build_context(report, resolve_theme("quarterly-briefing", folder, None), fmt)
    unit = chart_unit(report.settings, fmt)
    assert unit == "USD, thousands" and f"({unit}).</title>" in context["trend"]["chart"]
