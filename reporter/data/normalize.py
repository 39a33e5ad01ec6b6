"""Stage 2: turn the raw figures into one tidy, signed, scaled table in the reporting currency.

The normalised table has one row per line item and period. Its columns:

| column        | meaning                                                                   |
|---------------|---------------------------------------------------------------------------|
| line_id       | the line's id in statement.yaml                                           |
| label         | the line's label                                                          |
| line_order    | 0-based position in the statement                                         |
| is_subtotal   | True for lines with a formula                                             |
| sign          | +1 income, -1 cost (a line the formulas subtract)                         |
| period_key    | `2011-06-30/3m` (plus `/restated`)                                        |
| period        | the Period (end, months, restated)                                        |
| period_end    | datetime.date                                                             |
| months        | length of the period in months                                            |
| restated      | bool                                                                      |
| fiscal_year   | the fiscal year the period ends in                                        |
| period_label  | `Q3 2011`, `9M 2011`, `FY 2011`                                           |
| published     | Decimal: the figure as published, in units of `scale`, published sign    |
| amount        | Decimal: published x scale x FX rate: full units of `currency`, published sign (a per-unit money line: published x FX rate when its unit is converted) |
| value         | Decimal: amount x sign. The one sign convention: positive adds to income  |
| shown         | Decimal: amount / scale rounded half up to `decimals` places: what the table prints |
| nil_mark      | the nil mark the cell was published with (`—`, `nil`), or "" for a figure |
| decimals      | places the line's figures are shown with: money lines share report.yaml's reporting.decimals, else those of figures.csv (0 when converted); a line with a `unit` keeps its own |
| row_decimals  | places the line was published with (its most in any period): the tolerance of its tie-outs |
| unit          | the line's Unit (reporter.inputs.statement): money at the scale, or per share, oz, US$/oz, % ... |
| is_money      | True for money at the table's scale; other lines are never scaled or added, and converted only as per-unit money in the figures' currency (`unit.converted`) |
| currency      | ISO code of the reporting currency                                        |
| scale         | 1, 1000 or 1000000: what one published unit stands for                    |
| fx_rate       | Decimal rate applied (1 when figures are already in the reporting currency) |
| source_row    | row of figures.csv the figure came from                                   |
| period_rank   | position of the period's column: the order figures.csv first names them   |

Decimal throughout: money is exact here, and rounding happens once, into `shown`; tie-outs and
templates both use `shown`, so a check is made on the very figures a reader sees.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal, localcontext
from pathlib import Path

import pandas as pd

from reporter.errors import DataError
from reporter.inputs.limits import Limits
from reporter.inputs.notation import NotationError, nil_as_published, parse_amount
from reporter.inputs.periods import Period
from reporter.inputs.settings import ReportSettings
from reporter.inputs.statement import Statement, Unit

TRUE_WORDS = {"true", "yes", "y", "1", "restated"}
FALSE_WORDS = {"false", "no", "n", "0", ""}


def _cell_date(text: str, path: Path, row: int) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise DataError(f"{text!r} is not a date (YYYY-MM-DD)", file=path, row=row,
                        column="period_end") from None


def _cell_months(text: str, path: Path, row: int) -> int:
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= 12:
        raise DataError(f"{text!r} is not a number of months from 1 to 12", file=path, row=row,
                        column="months")
    return int(text)


def _cell_flag(text: str, path: Path, row: int) -> bool:
    word = text.lower()
    if word not in TRUE_WORDS | FALSE_WORDS:
        raise DataError(f"{text!r} is not true or false", file=path, row=row, column="restated")
    return word in TRUE_WORDS


def _cell_amount(text: str, path: Path, row: int, limits: Limits, currency: str | None) -> Decimal:
    try:
        amount = parse_amount(text, currency=currency)
    except NotationError as exc:
        raise DataError(str(exc), file=path, row=row, column="value") from None
    if len(amount.as_tuple().digits) > limits.decimal_digits:
        raise DataError(f"{text!r} has {len(amount.as_tuple().digits)} digits, more than the limit of "
                        f"{limits.decimal_digits} ({limits.describe('decimal_digits')})",
                        file=path, row=row, column="value")
    return amount


def _conversion_rates(periods: list[Period], settings: ReportSettings) -> dict[Period, Decimal]:
    """Find the average rate for each period; figures already in the reporting currency get 1."""
    if settings.source_currency == settings.currency:
        return {period: Decimal(1) for period in periods}
    rates = {}
    for period in periods:
        matches = [fx.rate for fx in settings.fx_rates
                   if fx.base == settings.source_currency and fx.quote == settings.currency
                   and (fx.period.end, fx.period.months) == (period.end, period.months)]
        if not matches:
            raise DataError(
                f"figures are in {settings.source_currency} but fx_rates has no "
                f"{settings.source_currency}={settings.currency} rate for {period.phrase()}",
                file=settings.file("settings"))
        rates[period] = matches[0]
    return rates


# The currency a line's own unit names, as tables print it: `€/t`, `US$/oz`, `EUR cents per share`.
UNIT_CURRENCIES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\bUS\$|\bUSD\b|\bUS(?=\s*(?:cents?\b|¢))"), "USD"),  # `US cents per share` too
    (re.compile(r"\bC\$|\bCA\$|\bCdn\$|\bCAD\$?"), "CAD"),
    (re.compile(r"\bA\$|\bAU\$|\bAUD\b"), "AUD"),
    (re.compile(r"€|\bEUR\b"), "EUR"),
    (re.compile(r"£|\bGBP\b"), "GBP"),
    (re.compile(r"\bCHF\b"), "CHF"),
)
# A dollar with no country (`$/oz`): the figures' own when they are dollars, as in figures.csv.
BARE_DOLLAR = re.compile(r"(?<![A-Za-z])\$")
CENTS = re.compile(r"\bcents?\b|¢", re.I)
# The kinds of line that are money per unit, so are converted with the money lines.
PER_UNIT_MONEY = frozenset({"per_share", "price", "money_units"})


def unit_currency(unit: Unit, figures_currency: str) -> tuple[str, str | None] | None:
    """Say which currency a per-unit money line is in, and the text that names it (None: cents
    of the figures' currency, named nowhere); None for a unit that names no currency (`g/t`)."""
    if unit.kind not in PER_UNIT_MONEY:
        return None
    for pattern, code in UNIT_CURRENCIES:
        match = pattern.search(unit.text)
        if match:
            return code, match.group()
    own_code = re.search(rf"\b{re.escape(figures_currency)}\b", unit.text)  # `ZAR/t`, `SEK per tonne`
    if own_code:
        return figures_currency, own_code.group()
    dollar = BARE_DOLLAR.search(unit.text)
    if dollar:
        from babel.numbers import get_currency_symbol

        own = "$" in get_currency_symbol(figures_currency, locale="en")  # figures in CAD, USD, AUD...
        return (figures_currency if own else "a dollar", dollar.group())  # else: which dollar is unsaid
    if CENTS.search(unit.text) or unit.kind == "per_share":  # `cents`, `per share`: the figures' own money
        return figures_currency, None
    return None


def convert_units(statement: Statement, settings: ReportSettings) -> Statement:
    """Mark the per-unit money lines in the figures' currency for conversion, and name the
    reporting currency in their unit: `€/t` becomes `CAD$/t`, `cents per share` `CAD cents per share`.

    A report that converts its figures converts its prices and per-share figures at the same
    rates, so no figure in the old currency stands beside converted ones. A line in a third
    currency (`US$/oz` in a report converted from EUR) stays as published; its unit names it.
    """
    if settings.source_currency == settings.currency:
        return statement
    from reporter.formatting import scale_caption

    caption = scale_caption(settings.currency, 1, locale=settings.locale)
    lines = []
    for line in statement.lines:
        found = unit_currency(line.unit, settings.source_currency)
        if found is not None and found[0] == settings.source_currency:
            named = found[1]
            # A code names the new currency by its code (`EUR cents`, `US cents` -> `CAD cents`), a
            # symbol by its symbol (`€/t` -> `CAD$/t`); a unit naming none gets the code in front.
            text = (f"{settings.currency} {line.unit.text}" if named is None
                    else line.unit.text.replace(named, settings.currency if named.isalpha() else caption, 1))
            line = replace(line, unit=replace(line.unit, text=text, converted=True))
        lines.append(line)
    return replace(statement, lines=tuple(lines))


def normalize(raw: pd.DataFrame, statement: Statement, settings: ReportSettings) -> pd.DataFrame:
    """Check every cell and return the tidy table described in this module's docstring."""
    path = settings.file("figures")
    lines = {line.id: (order, line) for order, line in enumerate(statement.lines)}
    records: list = []
    seen: dict = {}
    has_restated = "restated" in raw.columns
    for cells in raw.itertuples(index=False):
        row = cells.source_row
        if cells.line_item not in lines:
            raise DataError(f"unknown line item {cells.line_item!r}; statement.yaml defines "
                            f"{', '.join(statement.ids)}", file=path, row=row, column="line_item")
        period = Period(_cell_date(cells.period_end, path, row), _cell_months(cells.months, path, row),
                        _cell_flag(cells.restated, path, row) if has_restated else False)
        if (cells.line_item, period) in seen:
            raise DataError(f"duplicate figure for {cells.line_item!r} and {period.phrase()} "
                            f"(first given on row {seen[cells.line_item, period]})",
                            file=path, row=row, column="line_item")
        seen[cells.line_item, period] = row
        order, line = lines[cells.line_item]
        records.append({
            "line_id": line.id, "label": line.label, "line_order": order,
            "is_subtotal": line.is_subtotal, "sign": line.sign, "period": period,
            "unit": line.unit, "is_money": line.unit.is_money,
            # A money line's currency tag must be the figures' (`EUR4,421` in CAD is refused); a line
            # in its own unit (a price in US$/oz, EPS) may name another.
            "published": _cell_amount(cells.value, path, row, settings.limits,
                                      settings.source_currency if line.unit.is_money else None),
            "source_row": row,
            "nil_mark": nil_as_published(cells.value) or "",
        })

    # Columns keep the order in which figures.csv first names them: the publisher's layout.
    periods = list(dict.fromkeys(record["period"] for record in records))
    if len(periods) > settings.limits.periods:
        raise DataError(f"{len(periods)} periods, more than the limit of {settings.limits.periods} "
                        f"({settings.limits.describe('periods')})", file=path)
    _check_complete(seen, statement, periods, path)
    if settings.period not in periods:
        raise DataError(f"report.yaml names {settings.period.phrase()} as the period reported, "
                        f"but figures.csv has no figures for it",
                        file=settings.file("settings"))
    rates = _conversion_rates(periods, settings)
    period_rank = {period: rank for rank, period in enumerate(periods)}

    table = pd.DataFrame.from_records(records)
    table["period_key"] = table["period"].map(lambda p: p.key)
    table["period_end"] = table["period"].map(lambda p: p.end)
    table["months"] = table["period"].map(lambda p: p.months)
    table["restated"] = table["period"].map(lambda p: p.restated)
    table["fiscal_year"] = table["period"].map(lambda p: settings.calendar.fiscal_year(p.end))
    table["period_label"] = table["period"].map(settings.calendar.label)
    table["fx_rate"] = table["period"].map(rates)
    money = table["is_money"]
    decimals = display_decimals(table.loc[money, "published"], settings)
    # Each line keeps the places it was published with for its tolerance; a line with a unit
    # (EPS in cents, ounces) is shown so too, and never sets the places of the money lines.
    own = table.groupby("line_id")["published"].agg(
        lambda values: max((max(0, -v.as_tuple().exponent) for v in values), default=0))
    table["row_decimals"] = table["line_id"].map(own).astype(int)
    table["decimals"] = [decimals if is_money else row for is_money, row
                         in zip(money, table["row_decimals"])]
    # Enough precision for the longest figure the limits allow, shown with its places: Decimal's
    # default 28 digits would raise on a 25-digit figure shown with 6 decimals.
    with localcontext() as context:
        context.prec = max(28, settings.limits.decimal_digits + max(table["decimals"]) + 20)
        # Only money at the table's scale is scaled: a per-share figure, a count or a price per
        # ounce is in its own unit already. Money is converted, per unit too (convert_units).
        scales = [settings.scale if is_money else 1 for is_money in money]
        converted = [unit.is_money or unit.converted for unit in table["unit"]]
        table["amount"] = [published * scale * (rate if convert else 1)
                           for published, rate, scale, convert
                           in zip(table["published"], table["fx_rate"], scales, converted)]
        table["value"] = [amount * sign for amount, sign in zip(table["amount"], table["sign"])]
        table["shown"] = [_no_negative_zero((amount / scale).quantize(Decimal(1).scaleb(-places),
                                                                      rounding=ROUND_HALF_UP))
                          for amount, scale, places in zip(table["amount"], scales,
                                                           table["decimals"])]
    table["currency"] = settings.currency
    table["scale"] = settings.scale
    table["period_rank"] = table["period"].map(period_rank)
    return table.sort_values(["line_order", "period_rank"], kind="stable").reset_index(drop=True)


def _no_negative_zero(value: Decimal) -> Decimal:
    """Make a figure that rounds to nothing a plain 0, never "(0)"."""
    return value.copy_abs() if value.is_zero() else value


def display_decimals(published: pd.Series, settings: ReportSettings) -> int:
    """Decide how many places figures are shown with.

    The setting wins; otherwise figures keep the places they were published with (a table in
    millions may publish 4.4), except converted figures, whose extra digits come from the rate.
    """
    if settings.decimals is not None:
        return settings.decimals
    if settings.source_currency != settings.currency:
        return 0
    return max((max(0, -value.as_tuple().exponent) for value in published), default=0)


def figure_lookup(table: pd.DataFrame, column: str = "shown") -> dict[tuple[str, str], Decimal]:
    """Index one column of the normalised table by (line id, period key)."""
    return dict(zip(zip(table["line_id"], table["period_key"]), table[column]))


def columns(table: pd.DataFrame) -> list[Period]:
    """Return the periods of a normalised table in column order."""
    return list(dict.fromkeys(table.sort_values("period_rank", kind="stable")["period"]))


def _check_complete(seen: dict, statement: Statement, periods: list[Period], path: Path) -> None:
    """Require a figure for every line in every period, so no cell is silently blank."""
    for period in periods:
        for line_id in statement.ids:
            if (line_id, period) not in seen:
                raise DataError(f"no figure for line {line_id!r} in {period.phrase()}"
                                + (" (restated)" if period.restated else ""), file=path)
