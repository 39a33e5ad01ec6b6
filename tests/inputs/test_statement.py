"""The statement definition: formulas, signs derived from them, and the checks on statement.yaml."""

from __future__ import annotations

from pathlib import Path

import pytest

from reporter.errors import StatementError
from reporter.inputs.statement import Line, load_statement, parse_formula

# --------------------------------------------------------------------------------------------
# parse_formula
# --------------------------------------------------------------------------------------------

GOOD_FORMULAS = [
    ("revenue - cost_of_sales", ((1, "revenue"), (-1, "cost_of_sales"))),
    ("revenue-cost_of_sales", ((1, "revenue"), (-1, "cost_of_sales"))),
    ("  a + b - c  ", ((1, "a"), (1, "b"), (-1, "c"))),
    ("-a + b", ((-1, "a"), (1, "b"))),
    ("+a - b", ((1, "a"), (-1, "b"))),
    ("income_from_mining_operations - depreciation_and_amortization - interest - other_sga",
     ((1, "income_from_mining_operations"), (-1, "depreciation_and_amortization"),
      (-1, "interest"), (-1, "other_sga"))),
    ("a\t-\tb", ((1, "a"), (-1, "b"))),
    ("line_2 + line_10", ((1, "line_2"), (1, "line_10"))),
]


@pytest.mark.parametrize(("text", "terms"), GOOD_FORMULAS, ids=[c[0].strip() for c in GOOD_FORMULAS])
def test_parse_formula_reads_terms_with_their_coefficients(text, terms):
    assert parse_formula(text) == terms


# (formula, a fragment of the ValueError message)
MALFORMED_FORMULAS = [
    ("revenue", "at least two lines"),
    ("", "at least two lines"),
    ("-revenue", "at least two lines"),
    ("revenue cost_of_sales", "missing + or - before 'cost_of_sales'"),
    ("a - b c", "missing + or - before 'c'"),
    ("revenue -", "cannot read formula"),
    ("revenue - cost_of_sales +", "cannot read formula"),
    ("a * b", "cannot read formula"),
    ("a / b", "cannot read formula"),
    ("a -- b", "cannot read formula"),
    ("a +- b", "cannot read formula"),
    ("a - 1b", "cannot read formula"),
    ("a - (b + c)", "cannot read formula"),
    ("a - b.c", "cannot read formula"),
    ("a - 100", "cannot read formula"),
]


@pytest.mark.parametrize(("text", "says"), MALFORMED_FORMULAS, ids=[c[0] or "<empty>" for c in MALFORMED_FORMULAS])
def test_malformed_formula_raises_value_error(text, says):
    with pytest.raises(ValueError) as info:
        parse_formula(text)
    assert says in str(info.value)


# --------------------------------------------------------------------------------------------
# Line.formula writes the formula back as the table reads, and parses to the same terms
# --------------------------------------------------------------------------------------------

ROUND_TRIPS = [
    (((1, "revenue"), (-1, "cost_of_sales")), "revenue - cost_of_sales"),
    (((-1, "a"), (1, "b")), "-a + b"),
    (((1, "a"), (1, "b"), (-1, "c")), "a + b - c"),
    (((-1, "a"), (-1, "b")), "-a - b"),
    ((), ""),
]


@pytest.mark.parametrize(("terms", "formula"), ROUND_TRIPS, ids=[c[1] or "<line>" for c in ROUND_TRIPS])
def test_line_formula_round_trips(terms, formula):
    line = Line(id="x", label="X", sign=1, terms=terms)
    assert line.formula == formula
    assert line.is_subtotal is bool(terms)
    if terms:
        assert parse_formula(line.formula) == terms


@pytest.mark.parametrize("text", [c[0] for c in GOOD_FORMULAS])
def test_parsed_formula_written_back_parses_again(text):
    terms = parse_formula(text)
    assert parse_formula(Line("x", "X", 1, terms).formula) == terms


# --------------------------------------------------------------------------------------------
# load_statement: signs from formulas, and the errors
# --------------------------------------------------------------------------------------------

def write_statement(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "statement.yaml"
    path.write_text(body, encoding="utf-8")
    return path


# (id, statement.yaml, expected {line id: sign})
SIGN_CASES = [
    ("subtracted-is-cost",
     "lines:\n"
     "  - {id: revenue, label: Revenue}\n"
     "  - {id: cost_of_sales, label: Cost of Sales}\n"
     "  - {id: gross, label: Gross, formula: revenue - cost_of_sales}\n",
     {"revenue": 1, "cost_of_sales": -1, "gross": 1}),
    ("subtotal-added-is-income",
     "lines:\n"
     "  - {id: revenue, label: Revenue}\n"
     "  - {id: cost_of_sales, label: Cost of Sales}\n"
     "  - {id: gross, label: Gross, formula: revenue - cost_of_sales}\n"
     "  - {id: interest, label: Interest}\n"
     "  - {id: net, label: Net, formula: gross - interest}\n",
     {"revenue": 1, "cost_of_sales": -1, "gross": 1, "interest": -1, "net": 1}),
    ("leading-minus",
     "lines:\n"
     "  - {id: loss, label: Loss}\n"
     "  - {id: gain, label: Gain}\n"
     "  - {id: net, label: Net, formula: -loss + gain}\n",
     {"loss": -1, "gain": 1, "net": 1}),
    ("line-in-no-formula-is-income",
     "lines:\n"
     "  - {id: revenue, label: Revenue}\n"
     "  - {id: cost_of_sales, label: Cost of Sales}\n"
     "  - {id: memo, label: Expenses (memo)}\n",
     {"revenue": 1, "cost_of_sales": 1, "memo": 1}),
    ("explicit-cost-sign",
     "lines:\n"
     "  - {id: revenue, label: Revenue}\n"
     "  - {id: tax, label: Tax, sign: cost}\n",
     {"revenue": 1, "tax": -1}),
    ("explicit-sign-agrees-with-formula",
     "lines:\n"
     "  - {id: revenue, label: Revenue, sign: income}\n"
     "  - {id: cost_of_sales, label: Cost of Sales, sign: -1}\n"
     "  - {id: gross, label: Gross, formula: revenue - cost_of_sales}\n",
     {"revenue": 1, "cost_of_sales": -1, "gross": 1}),
    ("labels-never-decide",
     "lines:\n"
     "  - {id: expenses, label: Expenses}\n"
     "  - {id: costs, label: Costs}\n"
     "  - {id: total, label: Total, formula: expenses + costs}\n",
     {"expenses": 1, "costs": 1, "total": 1}),
]


@pytest.mark.parametrize(("case", "body", "signs"), SIGN_CASES, ids=[c[0] for c in SIGN_CASES])
def test_signs_come_from_formulas(tmp_path, case, body, signs):
    statement = load_statement(write_statement(tmp_path, body))
    assert {line.id: line.sign for line in statement.lines} == signs
    assert statement.ids == list(signs)


# (id, statement.yaml, fragment of the message)
BAD_STATEMENTS = [
    ("conflicting-signs",
     "lines:\n"
     "  - {id: a, label: A}\n"
     "  - {id: b, label: B}\n"
     "  - {id: c, label: C, formula: a - b}\n"
     "  - {id: d, label: D, formula: c + b}\n",
     "line 'b' counts as income in one place and as a cost in another"),
    ("explicit-sign-contradicts-formula",
     "lines:\n"
     "  - {id: a, label: A}\n"
     "  - {id: b, label: B, sign: income}\n"
     "  - {id: c, label: C, formula: a - b}\n",
     "line 'b' counts as income in one place and as a cost in another"),
    ("bad-explicit-sign",
     "lines:\n"
     "  - {id: a, label: A, sign: expense}\n",
     "line 'a': sign must be income or cost"),
    ("formula-uses-later-line",
     "lines:\n"
     "  - {id: a, label: A}\n"
     "  - {id: c, label: C, formula: a - b}\n"
     "  - {id: b, label: B}\n",
     "line 'c': formula uses 'b', which is not a line above it"),
    ("formula-uses-itself",
     "lines:\n"
     "  - {id: a, label: A}\n"
     "  - {id: c, label: C, formula: a - c}\n",
     "formula uses 'c', which is not a line above it"),
    ("formula-uses-unknown-line",
     "lines:\n"
     "  - {id: revenue, label: Revenue}\n"
     "  - {id: gross, label: Gross, formula: revenue - cost_of_goods}\n",
     "formula uses 'cost_of_goods'"),
    ("malformed-formula",
     "lines:\n"
     "  - {id: a, label: A}\n"
     "  - {id: b, label: B}\n"
     "  - {id: c, label: C, formula: a b}\n",
     "line 'c': missing + or - before 'b'"),
    ("one-term-formula",
     "lines:\n"
     "  - {id: a, label: A}\n"
     "  - {id: c, label: C, formula: a}\n",
     "line 'c': a subtotal needs at least two lines"),
    ("duplicate-id",
     "lines:\n"
     "  - {id: revenue, label: Revenue}\n"
     "  - {id: revenue, label: Revenue again}\n",
     "line id 'revenue' appears twice"),
    ("missing-label",
     "lines:\n"
     "  - {id: revenue}\n",
     "line item 1 needs an `id` and a `label`"),
    ("missing-id",
     "lines:\n"
     "  - {id: revenue, label: Revenue}\n"
     "  - {label: Cost}\n",
     "line item 2 needs an `id` and a `label`"),
    ("line-not-a-mapping",
     "lines:\n"
     "  - revenue\n",
     "line item 1 needs an `id` and a `label`"),
    ("unknown-key",
     "lines:\n"
     "  - {id: revenue, label: Revenue, formulae: a - b}\n",
     "line 'revenue': unknown key(s) formulae"),
    ("attribution-of-a-later-line",
     "lines:\n"
     "  - {id: nci, label: NCI, attribution_of: net}\n"
     "  - {id: net, label: Net income}\n",
     "line 'nci': attribution_of must be the id of a line above it, got 'net'"),
    ("attribution-with-a-formula",
     "lines:\n"
     "  - {id: a, label: A}\n"
     "  - {id: b, label: B}\n"
     "  - {id: c, label: C, formula: a - b, attribution_of: a}\n",
     "line 'c': a line that shares out 'a' (attribution_of) is not a subtotal"),
    ("attribution-added-by-a-formula",
     "lines:\n"
     "  - {id: net, label: Net income}\n"
     "  - {id: owners, label: Owners, attribution_of: net}\n"
     "  - {id: nci, label: NCI, attribution_of: net}\n"
     "  - {id: total, label: Total, formula: net + nci}\n",
     "line 'total': its formula uses 'nci', which shares out 'net' (attribution_of)"),
    ("attribution-of-a-price",
     "lines:\n"
     "  - {id: price, label: Price, unit: US$/oz}\n"
     "  - {id: part, label: Part, attribution_of: price}\n",
     "line 'part': attribution_of shares out money lines only"),
    # Hostile attribution_of values: never a traceback, always the line and what was given.
    *[(f"attribution-of-{name}",
       "lines:\n"
       "  - {id: net, label: Net income}\n"
       f"  - {{id: nci, label: NCI, attribution_of: {value}}}\n",
       f"line 'nci': attribution_of must be the id of a line above it, got {shown}")
      for name, value, shown in [("a-list", "[net]", "['net']"), ("a-mapping", "{net: 1}", "{'net': 1}"),
                                 ("a-number", "12", "12"), ("itself", "nci", "'nci'"),
                                 ("nothing-named", "''", "''"), ("a-path", "../../etc/passwd", "'../../etc/passwd'"),
                                 ("true", "true", "True")]],
    ("no-lines", "title: Summary\n", "no `lines:` list of line items"),
    ("empty-lines", "lines: []\n", "no `lines:` list of line items"),
    ("lines-not-a-list", "lines: {revenue: Revenue}\n", "no `lines:` list of line items"),
    ("invalid-yaml", "lines:\n  - {id: revenue, label: [Revenue}\n", "invalid YAML"),
]


@pytest.mark.parametrize(("case", "body", "says"), BAD_STATEMENTS, ids=[c[0] for c in BAD_STATEMENTS])
def test_bad_statement_raises_statement_error_naming_the_file(tmp_path, case, body, says):
    path = write_statement(tmp_path, body)
    with pytest.raises(StatementError) as info:
        load_statement(path)
    message = str(info.value)
    assert message.startswith("statement error: ")
    assert str(path) in message
    assert says in message, message


BAD_IDS = ["Revenue", "1abc", "rev-enue", "rev enue", "_revenue", "ré", "REVENUE", "12"]


@pytest.mark.parametrize("bad_id", BAD_IDS)
def test_ids_must_be_lower_snake_case(tmp_path, bad_id):
    path = write_statement(tmp_path, f"lines:\n  - {{id: revenue, label: Revenue}}\n  - {{id: '{bad_id}', label: X}}\n")
    with pytest.raises(StatementError) as info:
        load_statement(path)
    assert f"line item 2: id {bad_id!r} must be lower_snake_case" in str(info.value)


def test_missing_statement_file(tmp_path):
    with pytest.raises(StatementError, match="file not found"):
        load_statement(tmp_path / "statement.yaml")


def test_title_defaults(tmp_path):
    statement = load_statement(write_statement(tmp_path, "lines:\n  - {id: a, label: A}\n"))
    assert statement.title == "Summary Financial Information"


def test_line_lookup_raises_key_error_for_unknown_id(example_dir):
    statement = load_statement(example_dir / "statement.yaml")
    with pytest.raises(KeyError):
        statement.line("revenues")


# --------------------------------------------------------------------------------------------
# The Los Santos statement
# --------------------------------------------------------------------------------------------

# (id, label, sign, formula)
LOS_SANTOS_LINES = [
    ("revenue", "Revenue", 1, ""),
    ("cost_of_sales", "Cost of Sales", -1, ""),
    ("income_from_mining_operations", "Income From Mining Operations", 1, "revenue - cost_of_sales"),
    ("depreciation_and_amortization", "Depreciation and Amortization", -1, ""),
    ("interest", "Interest", -1, ""),
    ("other_sga", "Other SG&A", -1, ""),
    ("net_income_before_tax_and_one_time_items", "Net Income Before Tax and One Time Items", 1,
     "income_from_mining_operations - depreciation_and_amortization - interest - other_sga"),
]


@pytest.fixture(scope="module")
def example_statement(example_dir):
    return load_statement(example_dir / "statement.yaml")


def test_los_santos_ids_in_order(example_statement):
    assert example_statement.title == "Summary Financial Information"
    assert example_statement.ids == [line[0] for line in LOS_SANTOS_LINES]
    assert [line.id for line in example_statement.subtotals] == [
        "income_from_mining_operations", "net_income_before_tax_and_one_time_items"]


@pytest.mark.parametrize(("line_id", "label", "sign", "formula"), LOS_SANTOS_LINES, ids=[c[0] for c in LOS_SANTOS_LINES])
def test_los_santos_line(example_statement, line_id, label, sign, formula):
    line = example_statement.line(line_id)
    assert (line.label, line.sign, line.formula) == (label, sign, formula)
    assert line.is_subtotal is bool(formula)


def test_los_santos_signs_make_every_subtotal_the_sum_of_its_signed_lines(example_statement):
    assert example_statement.subtotals
    for subtotal in example_statement.subtotals:
        for coefficient, term in subtotal.terms:
            assert example_statement.line(term).sign == subtotal.sign * coefficient, (subtotal.id, term)


NESTED_COSTS = (
    "lines:\n"
    "  - {id: revenue, label: Revenue}\n"
    "  - {id: cost_of_sales, label: Cost of Sales}\n"
    "  - {id: admin, label: General and Administrative}\n"
    "  - {id: total_expenses, label: Total Expenses, formula: cost_of_sales + admin}\n"
    "  - {id: net_income, label: Net Income, formula: revenue - total_expenses}\n"
)


def test_lines_of_a_subtracted_subtotal_are_costs(tmp_path):
    statement = load_statement(write_statement(tmp_path, NESTED_COSTS))
    assert statement.line("total_expenses").sign == -1
    assert statement.line("cost_of_sales").sign == -1
    assert statement.line("admin").sign == -1
    assert statement.subtotals
    for subtotal in statement.subtotals:
        for coefficient, term in subtotal.terms:
            assert statement.line(term).sign == subtotal.sign * coefficient, (subtotal.id, term)


def test_sign_that_is_a_list_is_a_statement_error(tmp_path):
    path = write_statement(tmp_path, "lines:\n  - {id: revenue, label: Revenue, sign: [cost]}\n")
    with pytest.raises(StatementError, match="sign must be income or cost"):
        load_statement(path)


def test_a_margin_by_position_never_lands_on_a_line_sharing_out_another(tmp_path):
    """The briefing's `last_line` margin read "Attributable to non-controlling interests margin"
    when the table ended with its attribution lines (as every ingested NCI table does)."""
    from reporter.context.margins import resolve_line

    statement = load_statement(write_statement(tmp_path, (
        "lines:\n"
        "  - {id: revenue, label: Revenue}\n"
        "  - {id: costs, label: Costs}\n"
        "  - {id: net, label: Net income, formula: revenue - costs}\n"
        "  - {id: owners, label: Owners of the parent, attribution_of: net}\n"
        "  - {id: nci, label: Non-controlling interests, attribution_of: net}\n")))
    assert resolve_line("last_line", statement) == "net"
    assert resolve_line("first_line", statement) == "revenue"
    assert resolve_line("nci", statement) == "nci"  # named by id, a theme still may
