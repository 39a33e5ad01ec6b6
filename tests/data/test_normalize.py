"""The normalised table: one row per line and period, Decimal, signed, scaled, labelled."""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from helpers import LOS_SANTOS_PUBLISHED

from reporter.errors import DataError
from reporter.data.load import load_figures
from reporter.data.normalize import normalize
from reporter.inputs.periods import Period
from reporter.data.report import load_report
from reporter.inputs.settings import load_settings
from reporter.inputs.statement import load_statement

DOCUMENTED_COLUMNS = ["line_id", "label", "line_order", "is_subtotal", "sign", "period_key", "period",
                      "period_end", "months", "restated", "fiscal_year", "period_label", "published",
                      "amount", "value", "shown", "decimals", "currency", "scale", "fx_rate", "source_row",
                      "period_rank"]

PERIOD_KEYS = ["2011-06-30/3m", "2010-06-30/3m", "2011-06-30/9m", "2010-06-30/9m"]

# Published figures (thousands of CAD, published sign), columns in PERIOD_KEYS order.
PUBLISHED = LOS_SANTOS_PUBLISHED

# Normalised values (full CAD, positive adds to income), columns in PERIOD_KEYS order.
VALUES = {
    "revenue": [4_421_000, 0, 10_186_000, 0],
    "cost_of_sales": [-3_006_000, -407_000, -8_412_000, -1_147_000],
    "income_from_mining_operations": [1_416_000, -407_000, 1_774_000, -1_147_000],
    "depreciation_and_amortization": [-931_000, -14_000, -5_794_000, -67_000],
    "interest": [-42_000, -387_000, -441_000, -491_000],
    "other_sga": [247_000, 847_000, 1_074_000, 2_543_000],
    "net_income_before_tax_and_one_time_items": [690_000, 39_000, -3_387_000, 837_000],
}

SIGNS = {"revenue": 1, "cost_of_sales": -1, "income_from_mining_operations": 1,
         "depreciation_and_amortization": -1, "interest": -1, "other_sga": -1,
         "net_income_before_tax_and_one_time_items": 1}

# period key -> (end, months, label, fiscal year)
PERIOD_FACTS = {
    "2011-06-30/3m": (dt.date(2011, 6, 30), 3, "Q3 2011", 2011),
    "2010-06-30/3m": (dt.date(2010, 6, 30), 3, "Q3 2010", 2010),
    "2011-06-30/9m": (dt.date(2011, 6, 30), 9, "9M 2011", 2011),
    "2010-06-30/9m": (dt.date(2010, 6, 30), 9, "9M 2010", 2010),
}


def normalise(folder: Path):
    settings = load_settings(folder)
    statement = load_statement(settings.file("statement"))
    return normalize(load_figures(settings.file("figures")), statement, settings), statement, settings


@pytest.fixture(scope="module")
def example_normalised(example_dir):
    return normalise(example_dir)


@pytest.fixture(scope="module")
def table(example_normalised):
    return example_normalised[0]


def cell(table, line_id, period_key):
    rows = table[(table["line_id"] == line_id) & (table["period_key"] == period_key)]
    assert len(rows) == 1, (line_id, period_key)
    return rows.iloc[0]


def test_one_row_per_line_and_period(table):
    assert len(table) == 28
    assert not table.duplicated(["line_id", "period_key"]).any()


@pytest.mark.parametrize("column", DOCUMENTED_COLUMNS)
def test_documented_column_present(table, column):
    assert column in table.columns


@pytest.mark.parametrize("column", ["published", "amount", "value", "fx_rate"])
def test_money_columns_are_decimal(table, column):
    assert all(isinstance(x, Decimal) for x in table[column]), table[column].map(type).unique()


def test_rows_in_statement_then_column_order(table, example_normalised):
    statement = example_normalised[1]
    expected = [(line_id, key) for line_id in statement.ids for key in PERIOD_KEYS]
    assert list(zip(table["line_id"], table["period_key"])) == expected
    assert list(table["line_order"]) == [i for i in range(7) for _ in range(4)]


def test_column_order(table):
    ordered = table.sort_values("period_rank", kind="stable").drop_duplicates("period_key")
    assert list(ordered["period_key"]) == PERIOD_KEYS


@pytest.mark.parametrize("line_id", PUBLISHED)
def test_published_amount_and_value(table, line_id):
    for index, key in enumerate(PERIOD_KEYS):
        row = cell(table, line_id, key)
        assert row["published"] == PUBLISHED[line_id][index], key
        assert row["amount"] == PUBLISHED[line_id][index] * 1000, key
        assert row["value"] == VALUES[line_id][index], key
        assert row["sign"] == SIGNS[line_id]


# The sign convention spelled out on the cells the README names.
SIGN_CONVENTION = [
    ("cost_of_sales", "2011-06-30/3m", Decimal(-3_006_000)),  # a cost lowers income
    ("other_sga", "2011-06-30/3m", Decimal(247_000)),  # a net credit on a cost adds to income
    ("revenue", "2011-06-30/3m", Decimal(4_421_000)),
    ("income_from_mining_operations", "2010-06-30/3m", Decimal(-407_000)),  # a loss
    ("net_income_before_tax_and_one_time_items", "2011-06-30/9m", Decimal(-3_387_000)),
]


@pytest.mark.parametrize(("line_id", "key", "value"), SIGN_CONVENTION, ids=[f"{c[0]}@{c[1]}" for c in SIGN_CONVENTION])
def test_sign_convention(table, line_id, key, value):
    assert cell(table, line_id, key)["value"] == value


@pytest.mark.parametrize("line_id", ["revenue", "income_from_mining_operations",
                                     "net_income_before_tax_and_one_time_items"])
def test_income_lines_keep_the_published_sign(table, line_id):
    rows = table[table["line_id"] == line_id]
    assert list(rows["value"]) == list(rows["amount"])
    assert set(rows["sign"]) == {1}


@pytest.mark.parametrize("key", PERIOD_KEYS)
def test_period_columns(table, key):
    end, months, label, fiscal_year = PERIOD_FACTS[key]
    rows = table[table["period_key"] == key]
    assert len(rows) == 7
    assert set(rows["period_end"]) == {end}
    assert set(rows["months"]) == {months}
    assert set(rows["period_label"]) == {label}
    assert set(rows["fiscal_year"]) == {fiscal_year}
    assert set(rows["restated"]) == {False}
    assert set(rows["period"]) == {Period(end, months)}
    assert set(rows["currency"]) == {"CAD"}
    assert set(rows["scale"]) == {1000}
    assert set(rows["fx_rate"]) == {Decimal(1)}


def test_subtotal_flags(table):
    flagged = set(table.loc[table["is_subtotal"], "line_id"])
    assert flagged == {"income_from_mining_operations", "net_income_before_tax_and_one_time_items"}


def test_source_rows_point_into_figures_csv(table, example_dir):
    with (example_dir / "figures.csv").open(encoding="utf-8") as stream:
        rows = list(csv.reader(stream))
    assert len(table) > 0
    for record in table.itertuples():
        line_item, period_end, months, _ = rows[record.source_row - 1]
        assert (line_item, period_end, int(months)) == (record.line_id, record.period_end.isoformat(), record.months)


SUBTOTAL_CASES = [(subtotal, key) for subtotal in ("income_from_mining_operations",
                                                   "net_income_before_tax_and_one_time_items")
                  for key in PERIOD_KEYS]


@pytest.mark.parametrize(("subtotal", "key"), SUBTOTAL_CASES, ids=[f"{s}@{k}" for s, k in SUBTOTAL_CASES])
def test_subtotal_is_the_sum_of_signed_values_within_rounding(table, example_normalised, subtotal, key):
    statement, settings = example_normalised[1], example_normalised[2]
    terms = statement.line(subtotal).terms
    components = sum((cell(table, term, key)["value"] for _, term in terms), Decimal(0))
    total = cell(table, subtotal, key)["value"]
    assert abs(total - components) <= (settings.tie_out_tolerance or 1) * settings.scale


def test_scale_applies(report_dir):
    path = report_dir / "report.yaml"
    path.write_text(path.read_text().replace("scale: thousands", "scale: millions"))
    table = normalise(report_dir)[0]
    row = cell(table, "cost_of_sales", "2011-06-30/3m")
    assert (row["published"], row["amount"], row["value"], row["scale"]) == (
        Decimal(3006), Decimal(3_006_000_000), Decimal(-3_006_000_000), 1_000_000)


# (id, months of the period reported, order of the rows' periods in figures.csv, column order)
COLUMN_ORDERS = [
    ("as-published", 3, PERIOD_KEYS, PERIOD_KEYS),
    ("nine-months-reported", 9, PERIOD_KEYS, PERIOD_KEYS),
    ("nine-months-first", 3, ["2011-06-30/9m", "2010-06-30/9m", "2011-06-30/3m", "2010-06-30/3m"],
     ["2011-06-30/9m", "2010-06-30/9m", "2011-06-30/3m", "2010-06-30/3m"]),
    ("oldest-first", 3, ["2010-06-30/3m", "2011-06-30/3m", "2010-06-30/9m", "2011-06-30/9m"],
     ["2010-06-30/3m", "2011-06-30/3m", "2010-06-30/9m", "2011-06-30/9m"]),
]


@pytest.mark.parametrize(("case", "months", "file_order", "expected"), COLUMN_ORDERS, ids=[c[0] for c in COLUMN_ORDERS])
def test_columns_keep_the_order_figures_csv_names_them(report_dir, case, months, file_order, expected):
    """Columns follow the publisher's layout: the order in which figures.csv first names the periods."""
    path = report_dir / "report.yaml"
    path.write_text(path.read_text().replace("  months: 3\n", f"  months: {months}\n", 1))
    figures = report_dir / "figures.csv"
    with figures.open(encoding="utf-8") as stream:
        header, *rows = list(csv.reader(stream))
    rank = {key: index for index, key in enumerate(file_order)}
    rows.sort(key=lambda row: rank[f"{row[1]}/{row[2]}m"])  # stable: line order kept within a period
    with figures.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows([header, *rows])
    table = normalise(report_dir)[0]
    ordered = table.sort_values("period_rank", kind="stable").drop_duplicates("period_key")
    assert list(ordered["period_key"]) == expected
    # Rows stay in statement order whatever the file's order.
    assert list(dict.fromkeys(table["line_id"])) == list(PUBLISHED)
    assert cell(table, "other_sga", "2011-06-30/9m")["value"] == Decimal(1_074_000)


# --------------------------------------------------------------------------------------------
# Restated columns
# --------------------------------------------------------------------------------------------

RESTATED_Q3_2010 = {  # a restated three months 2010: interest 400 (was 387), net income 26 (was 39)
    "revenue": "$0", "cost_of_sales": "407", "income_from_mining_operations": "($407)",
    "depreciation_and_amortization": "14", "interest": "400", "other_sga": "(847)",
    "net_income_before_tax_and_one_time_items": "$26",
}


def add_restated_column(folder: Path, flag_original: str = "", restated: dict | None = None,
                        flag: str = "yes") -> None:
    path = folder / "figures.csv"
    with path.open(encoding="utf-8") as stream:
        rows = list(csv.reader(stream))
    out = [rows[0] + ["restated"]] + [row + [flag_original] for row in rows[1:]]
    for line_id, value in (restated or {}).items():
        out.append([line_id, "2010-06-30", "3", value, flag])
    with path.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows(out)


@pytest.mark.parametrize("flag_original", ["", "no", "false", "0", "N", "FALSE"])
def test_restated_column_of_false_values_changes_nothing(report_dir, table, flag_original):
    add_restated_column(report_dir, flag_original)
    restated_table = normalise(report_dir)[0]
    assert len(restated_table) == 28
    assert list(restated_table["period_key"]) == list(table["period_key"])
    assert list(restated_table["value"]) == list(table["value"])
    assert not restated_table["restated"].any()


@pytest.mark.parametrize("flag", ["yes", "true", "Y", "1", "restated", "TRUE"])
def test_restated_column_adds_a_restated_period(report_dir, flag):
    add_restated_column(report_dir, restated=RESTATED_Q3_2010, flag=flag)
    table = normalise(report_dir)[0]
    assert len(table) == 35
    ordered = table.sort_values("period_rank", kind="stable").drop_duplicates("period_key")
    # The restated rows come last in figures.csv, so the restated column is last.
    assert list(ordered["period_key"]) == PERIOD_KEYS + ["2010-06-30/3m/restated"]
    restated = table[table["restated"]]
    assert len(restated) == 7
    assert set(restated["period"]) == {Period(dt.date(2010, 6, 30), 3, restated=True)}
    assert set(restated["period_label"]) == {"Q3 2010"}
    assert cell(table, "interest", "2010-06-30/3m/restated")["value"] == Decimal(-400_000)
    assert cell(table, "interest", "2010-06-30/3m")["value"] == Decimal(-387_000)
    assert cell(table, "net_income_before_tax_and_one_time_items", "2010-06-30/3m/restated")["value"] == Decimal(26_000)
    assert cell(table, "interest", "2010-06-30/3m/restated")["source_row"] == 34


def test_restated_period_is_tied_out(report_dir):
    add_restated_column(report_dir, restated=RESTATED_Q3_2010)
    report = load_report(report_dir)
    restated = [(t.line_id, t.status.value) for t in report.tie_outs if t.period_key.endswith("/restated")]
    assert restated == [("income_from_mining_operations", "ties"),
                        ("net_income_before_tax_and_one_time_items", "ties")]


def test_restated_period_needs_every_line(report_dir):
    partial = {k: v for k, v in RESTATED_Q3_2010.items() if k != "interest"}
    add_restated_column(report_dir, restated=partial)
    with pytest.raises(DataError) as info:
        normalise(report_dir)
    assert "no figure for line 'interest' in the three months ended June 30, 2010 (restated)" in str(info.value)


def test_bad_restated_flag(report_dir):
    add_restated_column(report_dir, restated=RESTATED_Q3_2010, flag="maybe")
    with pytest.raises(DataError) as info:
        normalise(report_dir)
    assert 'figures.csv, row 30, column "restated": \'maybe\' is not true or false' in str(info.value)


# --- lines in their own units: per share, ounces (statement.yaml `unit`) ------------------------


def add_unit_lines(folder: Path, *, convert: bool = False) -> None:
    """Add an EPS line in cents (two places) and an ounces line to a copy of Los Santos."""
    with (folder / "statement.yaml").open("a", encoding="utf-8") as stream:
        stream.write("  - {id: eps, label: {en: Earnings per share, fr: Résultat par action},"
                     " unit: cents per share}\n"
                     "  - {id: ounces, label: {en: Tungsten sold, fr: Tungstène vendu}, unit: MTU}\n")
    with (folder / "figures.csv").open("a", encoding="utf-8") as stream:
        for end, months, eps, mtu in (("2011-06-30", 3, "0.52", "8,120"),
                                      ("2010-06-30", 3, "(0.07)", "0"),
                                      ("2011-06-30", 9, "1.13", "19,400"),
                                      ("2010-06-30", 9, "(0.31)", "0")):
            stream.write(f'eps,{end},{months},{eps}\nounces,{end},{months},"{mtu}"\n')
    if convert:
        path = folder / "report.yaml"
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("# figures_currency: EUR", "figures_currency: EUR"),
                        encoding="utf-8")
        # Figures in euros carry no dollar sign: a `$` tag on a euro figure is refused (issue 24).
        figures = folder / "figures.csv"
        figures.write_text(figures.read_text(encoding="utf-8").replace("$", ""), encoding="utf-8")


def test_a_line_in_its_own_unit_is_neither_scaled_nor_rounded_to_the_money_places(report_dir):
    add_unit_lines(report_dir)
    table = normalise(report_dir)[0]
    eps, mtu = cell(table, "eps", "2011-06-30/3m"), cell(table, "ounces", "2011-06-30/3m")
    assert (eps["amount"], eps["shown"], eps["decimals"], eps["is_money"]) == (
        Decimal("0.52"), Decimal("0.52"), 2, False)
    assert (mtu["amount"], mtu["shown"], mtu["decimals"]) == (Decimal(8120), Decimal(8120), 0)
    assert eps["unit"].text == "cents per share"
    # The EPS row's two places leave the money lines whole.
    revenue = cell(table, "revenue", "2011-06-30/3m")
    assert (revenue["decimals"], revenue["amount"]) == (0, Decimal(4_421_000))


def test_a_line_in_its_own_unit_is_converted_only_when_it_is_money_per_unit(report_dir):
    """EPS in (euro) cents is converted with the money lines and names its new currency; a
    quantity (MTU) is never converted."""
    from reporter.data.report import load_report

    add_unit_lines(report_dir, convert=True)
    text = (report_dir / "report.yaml").read_text(encoding="utf-8")
    if "fx_rates" not in text or "EUR" not in text:
        pytest.skip("the example gives no EUR rates")
    report = load_report(report_dir)
    eps = cell(report.figures, "eps", "2011-06-30/3m")
    mtu = cell(report.figures, "ounces", "2011-06-30/3m")
    assert (eps["fx_rate"], eps["amount"], eps["shown"]) == (Decimal("1.3934"), Decimal("0.52") * Decimal("1.3934"),
                                                             Decimal("0.72"))
    assert report.statement.line("eps").unit.text == "CAD cents per share"
    assert (mtu["amount"], mtu["shown"], report.statement.line("ounces").unit.text) == (
        Decimal(8120), Decimal(8120), "MTU")


def test_a_line_in_its_own_unit_prints_with_its_unit_and_places(report_dir, cli, tmp_path):
    from helpers import pdf_pages

    add_unit_lines(report_dir)
    result = cli("build", report_dir, "-o", tmp_path / "out.pdf")
    assert result.exit_code == 0, result.output
    text = " ".join(" ".join(pdf_pages(tmp_path / "out.pdf")).split())
    assert "Earnings per share cents per share 0.52 (0.07) 1.13 (0.31)" in text
    assert "Tungsten sold MTU 8,120 0 19,400 0" in text
    assert "Revenue CAD$ 000 $4,421" in text
    assert "$0.52" not in text and "8.1 million" not in text


def test_a_key_figure_in_its_own_unit_is_a_card_in_that_unit_never_money(report_dir, cli, tmp_path):
    from helpers import pdf_pages

    add_unit_lines(report_dir)
    path = report_dir / "report.yaml"
    text = path.read_text(encoding="utf-8")
    assert "  - net_income_before_tax_and_one_time_items\n" in text
    path.write_text(text.replace("  - net_income_before_tax_and_one_time_items\n",
                                 "  - net_income_before_tax_and_one_time_items\n  - eps\n", 1),
                    encoding="utf-8")
    result = cli("build", report_dir, "-o", tmp_path / "out.pdf")
    assert result.exit_code == 0, result.output
    pages = pdf_pages(tmp_path / "out.pdf")
    text = " ".join(" ".join(pages).split())
    card = text[text.index("EARNINGS PER SHARE"):][:120]
    assert "0.52" in card and "cents per share" in card, card
    assert "$0.52" not in text and "0.52 thousand" not in text
    # No highlight sentence speaks of EPS as money.
    assert "Earnings per share was" not in text
