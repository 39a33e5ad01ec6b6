"""Turn a release (or a table pasted from one) into a report folder to review and build.
Takes a release file (Markdown, text, HTML, PDF, CSV, XLSX) and the options the file cannot say;
gives a new report folder (report.yaml, statement.yaml, figures.csv, commentary.md).

Stages, one module each:

* `sources/`: read the file into tables and paragraphs, one module per format (`text` for
  Markdown, plain text and `.tsv` with tab, pipe and space-separated tables; `html`; `pdf`;
  `csvfile`; `xlsx`). A new format is one new module and one line in `sources.READERS`.
* `header`: the header rows into one period per figure column ("Three Months Ended June 30,"
  over years, dates such as "30-Jun-15" or "9M 30-Sep-21" under an optional spanning heading,
  "Q3 FY2021", "FY2016", "Restated" anywhere, or the periods stated with `--periods`), and the
  currency and scale the header cells give.
* `body`: statement lines (label, figures) and average exchange-rate rows with their years.
* `infer`: the structure from the figures alone, never from labels. Walking down the money
  lines, a row is a subtotal when, within its rows' rounding, it equals the previous subtotal
  (or the first line) plus or less each line between them (one sign for all first: costs
  positive and subtracted, or negative and added; then mixed signs), or adds up a run of two
  or more lines just above it (a group total such as "Total operating expenses"), in most
  columns (all of them with one or two columns), and the row does not merely repeat a line.
  One typo in one column therefore keeps the structure, and validate reports that column.
  Lines in their own units (per share, counts, ounces) take no part. A last line that ties
  nothing (EPS, "attributable to", a typo) is reported and kept without a formula, never a
  reason to refuse the table.
* `release`: the release's words (legend, headline, dateline, lead, quote, sections, contacts,
  footnotes, notices) for commentary.md.
* `write`: the folder, from the templates in `templates/`, written into a temporary sibling and
  renamed into place, so an error leaves nothing.

Every problem in the source is one DataError naming the file, the row (1-based line of the text
file, HTML line, spreadsheet row, or line of the text a PDF gives back) and, where there is one,
the column (spreadsheet-style letter).
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from reporter.errors import DataError
from reporter.ingest.body import align_figure_columns, attributions, merge_lone_marks, read_body
from reporter.ingest.header import read_header
from reporter.ingest.infer import (
    bottom_line_misfit, formula_text, implied_fiscal_year_end, infer_subtotals, rounding_notes,
    tolerance_for, unique_ids,
)
from reporter.formatting import scale_caption
from reporter.ingest.rules import SCALES
from reporter.ingest.header import parse_units, stated_periods
from reporter.ingest.release import read_release
from reporter.ingest.sources import choose_table, read_document
from reporter.ingest.sources.text import split_marks
from reporter.ingest.types import IngestOptions, IngestReport, Line
from reporter.inputs.statement import MAX_UNIT_CHARS
from reporter.ingest.write import (
    check_out_dir, render_commentary, render_figures_csv, render_report_yaml,
    render_statement_yaml, write_folder,
)

__all__ = ["IngestOptions", "IngestReport", "ingest_table"]



def _check_options(options: IngestOptions) -> None:
    """Refuse settings that would write an unreadable report.yaml."""
    if options.fiscal_year_end is not None and \
            not re.fullmatch(r"(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])", options.fiscal_year_end):
        raise DataError(f"fiscal_year_end must be month-day such as 12-31, not "
                        f"{options.fiscal_year_end!r}")
    if options.scale is not None and options.scale not in SCALES:
        raise DataError(f"scale must be one of {', '.join(SCALES)}, not {options.scale!r}")
    if options.currency is not None and not re.fullmatch(r"[A-Z]{3}", options.currency):
        raise DataError(f"currency must be an ISO 4217 code such as CAD, not "
                        f"{options.currency!r}")


def ingest_table(source: Path, out_dir: Path, options: IngestOptions) -> IngestReport:
    """Read a pasted table and write a report folder for it; see the module docstring."""
    source, out_dir = Path(source), Path(out_dir)
    _check_options(options)
    check_out_dir(out_dir)
    document = read_document(source, options.sheet)
    table = choose_table(document, source, options.table)
    rows, prose = [merge_lone_marks(row) for row in table.rows], table.title
    header = read_header(rows, source, stated_periods(options.periods, source),
                         options.fiscal_year_end, _sentence_year(table))
    header = align_figure_columns(header, rows[header.body_start:])
    body = read_body(rows[header.body_start:], header, source)
    if not body.lines:
        raise DataError("no statement lines below the header", file=source,
                        row=rows[-1].number if rows else None)
    periods = list(header.periods.values())
    where = header.units_row or rows[0].number
    # The header's cells first, then the sentence next to the table ("in thousands of Canadian
    # dollars"), so a currency or scale the header leaves out is still the release's own.
    near = [parse_units(text) for text in (*table.near, *([prose] if prose else []))]
    # Then the rows' own money units: a units column's "US$m", a cell's "11.1M".
    near += [parse_units(text) for text in body.money_units]
    currency = (options.currency or header.units.currency
                or _only({u.currency for u in near if u.currency}))
    scale = options.scale or header.units.scale or _only({u.scale for u in near if u.scale})
    if currency is None:
        raise DataError("the header gives no currency (such as \"CAD$ 000\"); set the currency "
                        "option", file=source, row=where)
    if scale is None:
        raise DataError("the header gives no scale (such as \"CAD$ 000\" for thousands); set the "
                        "scale option", file=source, row=where)

    # "(in thousands except per share data)": share counts are at the table's scale too.
    counted = {"thousands": "'000 shares", "millions": "million shares"}.get(scale, "shares")
    # "$(0.04)" on a per-share line: the dollar is the report's, named as the captions name it.
    dollar = scale_caption(currency, 1, locale=options.locale)
    per_share = f"{dollar} per share"
    # A price's bare "$" ("$/oz", "$" before a price) is the report's dollar too: "US$/oz".
    body.units = [counted if unit == "shares" else per_share if unit == "$ per share"
                  else dollar + unit[1:] if unit and unit.startswith("$") else unit
                  for unit in body.units]
    for unit, (_, row, _) in zip(body.units, body.lines):
        if unit is not None and len(unit) > MAX_UNIT_CHARS:  # else validate refuses the folder written
            raise DataError(f"the unit is {len(unit):,} characters, more than a units column holds "
                            f"(at most {MAX_UNIT_CHARS}: `US$/oz`, `cents per share`)", file=source, row=row)
    units = body.units or [None] * len(body.lines)
    outside = [i for i, unit in enumerate(units) if unit is not None]
    # "Net income attributable to:" shareholders and non-controlling interests: neither subtotals
    # nor terms of one, but shares of the line above, which validate ties them to.
    shares = attributions(body, outside)
    labels = [label for label, _, _ in body.lines]
    values = [figures for _, _, figures in body.lines]
    ids = unique_ids(labels)
    money_values = [values[i] for i in range(len(values)) if i not in outside]
    tolerance = tolerance_for(money_values)
    summed = sorted({*outside, *shares})  # the lines no subtotal adds
    subtotals = infer_subtotals(values, outside=summed)
    notes = list(body.notes)
    misfit = bottom_line_misfit([values[i] for i in range(len(values)) if i not in summed],
                                _money_indexed(subtotals, summed), tolerance)
    if misfit is not None:
        # A row that ties nothing (EPS, "attributable to", a typo) is reported, never a refusal:
        # it stays a line with no formula, which the user may give one.
        column, reason = misfit
        label, row, _ = [body.lines[i] for i in range(len(values)) if i not in summed][-1]
        in_column = f" (column {list(header.letters.values())[column]})" if column is not None else ""
        notes.append(f"row {row}: {label!r} ties to no lines above it{in_column}: {reason}; kept as "
                     "a line with no formula: give it one in statement.yaml if it is a subtotal")

    formulas = {s.index: formula_text(s, ids) for s in subtotals}
    compared = _compared_periods(header, rows[:header.body_start])
    lines = [Line(ids[i], label, row, figures, formulas.get(i),
                  nil_marks=body.nil_marks[i] if i < len(body.nil_marks) else (),
                  unit=units[i],
                  attribution_of=ids[shares[i]] if i in shares else None,
                  changes=tuple((*compared[c], text) for c, text in body.changes[i].items()
                                if c in compared))
             for i, (label, row, figures) in enumerate(body.lines)]
    rounding = rounding_notes(values, subtotals, ids, periods)
    misfits = rounding_notes(values, subtotals, ids, periods, misfits=True)
    sources = set(body.fx_sources)
    fx_source = sources.pop() if len(sources) == 1 else None
    first_money = next(i for i in range(len(ids)) if i not in outside) if money_values else 0
    key_figures = [ids[first_money], *(ids[s.index] for s in subtotals)]
    implied = implied_fiscal_year_end(periods)
    if options.fiscal_year_end is None:
        options = replace(options, fiscal_year_end=implied or "12-31")
        if implied is None:
            notes.append("no year-to-date columns to infer the fiscal year end from: 12-31 "
                         "written; check report.yaml or use --fiscal-year-end")
    elif implied and implied != options.fiscal_year_end:
        notes.append(f"fiscal_year_end is {options.fiscal_year_end}, but the table's year-to-date "
                     f"columns imply {implied}: check report.yaml")
    release = read_release(document.paragraphs) if document.paragraphs else None

    title = prose or (split_marks(header.title.rstrip().rstrip(":"))[0].rstrip(":").strip()
                      if header.title else None) or "Summary Financial Information"
    write_folder(out_dir, {
        "report.yaml": render_report_yaml(options, source, periods, currency, scale,
                                          body.fx_rates, fx_source, key_figures, tolerance,
                                          release.legend if release else None),
        "statement.yaml": render_statement_yaml(source, title, lines, rounding, misfits),
        "figures.csv": render_figures_csv(lines, periods),
        "commentary.md": render_commentary(options, release),
    })
    return IngestReport(
        out_dir=out_dir,
        lines=lines,
        subtotals=[(ids[s.index], formulas[s.index]) for s in subtotals],
        rounding=rounding,
        misfits=misfits,
        placeholders=release is None or not release.headline,
        fx_rates=list(body.fx_rates),
        periods=periods,
        currency=currency,
        scale=scale,
        notes=notes,
    )


def _sentence_year(table) -> int | None:
    """Return the one year the title and sentences next to a table give, or None."""
    texts = [*table.near, *([table.title] if table.title else [])]
    years = {int(y) for text in texts for y in re.findall(r"\b(?:19|20)\d{2}\b", text)}
    return years.pop() if len(years) == 1 else None


def _compared_periods(header, header_rows) -> dict[int, tuple[str, str, str]]:
    """Say what each change column compares: (current key, prior key, "percent" or "amount").

    A change column compares the two period columns just left of it, the later against the
    earlier; it is a percentage when its header cells say "%".
    """
    out = {}
    for column in sorted(header.change_columns):
        left = [c for c in header.periods if c < column][-2:]
        if len(left) != 2:
            continue
        first, second = (header.periods[c] for c in left)
        current, prior = (first, second) if first.end >= second.end else (second, first)
        heading = " ".join(r.cell(column) for r in header_rows)
        out[column] = (current.key, prior.key, "percent" if "%" in heading else "amount")
    return out


def _money_indexed(subtotals, outside):
    """Renumber subtotals as positions among the money lines only (for the bottom-line check)."""
    from reporter.ingest.infer import Subtotal

    if not outside:
        return subtotals
    position = {}
    for i in range(max([s.index for s in subtotals], default=-1) + 1):
        if i not in outside:
            position[i] = len(position)
    return [Subtotal(position[s.index], None if s.anchor is None else position[s.anchor],
                     tuple(position[p] for p in s.parts), s.signs) for s in subtotals]


def _only(values: set[str]) -> str | None:
    """Return the one value a set holds, None when it holds none or several."""
    return next(iter(values)) if len(values) == 1 else None
