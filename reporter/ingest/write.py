"""Writing the report folder: report.yaml, statement.yaml, figures.csv and commentary.md."""

from __future__ import annotations

import csv
import re
import io
import shutil
import uuid
from decimal import Decimal
from pathlib import Path
from typing import Sequence

import yaml

from reporter.errors import DataError
from reporter.ingest.infer import accounting
from reporter.ingest.release import Release
from reporter.ingest.types import IngestOptions, Line
from reporter.periods import Period
from reporter.settings import FxRate



def yaml_scalar(value: object) -> str:
    """Write one value as a YAML scalar, quoted only when YAML needs it."""
    text = yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=10**6)
    return text.removesuffix("\n").removesuffix("\n...").strip()


def render_report_yaml(options: IngestOptions, source: Path, periods: Sequence[Period],
                       currency: str, scale: str, fx_rates: Sequence[FxRate],
                       fx_source: str | None, key_figures: Sequence[str],
                       tolerance: Decimal, legend: str | None = None) -> str:
    """Write report.yaml in the shape of the worked example, with its comments."""
    def optional(key: str, value: str | None, hint: str) -> str:
        return f"  {key}: {yaml_scalar(value)}" if value else f"  # {key}: {hint}"

    first = periods[0]
    out = [
        "# Settings of one report: who reports, which period, in what currency and scale.",
        f"# Written by `reporter ingest` from {source.name}: check every value.",
        "company:",
        f"  name: {yaml_scalar(options.company_name)}",
        optional("short_name", options.short_name, "Short name"),
        optional("exchange", options.exchange, "TSXV"),
        optional("ticker", options.ticker, "ABC"),
        "  # logo: assets/logo.svg",
        "",
        "# What the figures are about (a mine, a segment); the company itself when left out.",
        (f"subject: {yaml_scalar(options.subject)}" if options.subject
         else "# subject: Name of the mine or segment"),
        "",
        "# The last day of the fiscal year (month-day). It decides which quarter a period is.",
        f'fiscal_year_end: "{options.fiscal_year_end or "12-31"}"',
        "",
        "# The period this report is about: the first column of the statement and of the key "
        "figures.",
        "period:",
        f"  end: {first.end.isoformat()}",
        f"  months: {first.months}",
        "",
        "reporting:",
        f"  currency: {currency:<9}# ISO 4217 code of the figures as published",
        f"  scale: {scale:<12}# units | thousands | millions: what one unit in figures.csv "
        "stands for",
        f"  locale: {options.locale:<11}# digits, separators and currency symbols (Babel)",
        "",
        "# Average exchange rates found in the table, quoted as published (strings keep their",
        "# precision: 1.436078 stays 1.436078).",
        "# figures_currency: EUR  # set this when figures.csv holds source-currency figures to "
        "convert",
    ]
    if fx_rates:
        out.append("fx_rates:")
        out.extend(f"  - {{base: {r.base}, quote: {r.quote}, period_end: "
                   f"{r.period.end.isoformat()}, months: {r.period.months}, rate: \"{r.rate}\"}}"
                   for r in fx_rates)
    else:
        out.append("fx_rates: []")
    if fx_source:
        out.append(f"fx_source: {yaml_scalar(fx_source)}")
    out += [
        "",
        "# A line printed above the headline, such as a distribution notice; empty for none.",
        f"legend: {yaml_scalar(legend or '')}",
        "",
        "# Lines the templates highlight, by id from statement.yaml, in this order.",
        "key_figures:",
        *(f"  - {line_id}" for line_id in key_figures),
        "",
        "# A subtotal may differ from the sum of its lines by this many units of the scale "
        "(rounding in",
        "# the published table); larger differences stop validate and build.",
        f"tie_out_tolerance: {tolerance}",
        "",
        "# Generated highlight sentences beside the written commentary.",
        "narrative: true",
    ]
    return "\n".join(out) + "\n"


def render_statement_yaml(source: Path, title: str, lines: Sequence[Line],
                          rounding: Sequence[str]) -> str:
    """Write statement.yaml, saying that its structure was inferred and must be confirmed."""
    out = [
        f"# Inferred by `reporter ingest` from {source.name}: confirm or edit this before you "
        "build.",
        "#",
        "# The lines are the table's rows, top to bottom. A line has a `formula` (it is a "
        "subtotal) only",
        "# because in every column it equals the subtotal above it (or the first line) less "
        "the lines in",
        "# between, within rounding; labels decided nothing. Formulas are in the published "
        "sign: `a - b`",
        "# means \"line a less line b\", and a line that a formula subtracts is a cost, "
        "published positive.",
        "# Fix a formula that is wrong, add one that was missed, and rename ids before "
        "key_figures use them.",
    ]
    if rounding:
        out += ["#", "# Rounding differences in the published table (kept as published):"]
        out += [f"#   {sentence}" for sentence in rounding]
    out += [f"title: {yaml_scalar(title)}", "lines:"]
    for line in lines:
        out += [f"  - id: {line.id}", f"    label: {yaml_scalar(line.label)}"]
        if line.formula:
            out.append(f"    formula: {line.formula}")
    return "\n".join(out) + "\n"


def render_figures_csv(lines: Sequence[Line], periods: Sequence[Period]) -> str:
    """Write figures.csv in long format; add the `restated` column only when a period is."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    restated = any(p.restated for p in periods)
    writer.writerow(["line_item", "period_end", "months", "value"] + (["restated"] * restated))
    for line in lines:
        for period, value in zip(periods, line.values):
            row = [line.id, period.end.isoformat(), period.months, accounting(value)]
            writer.writerow(row + ([str(period.restated).lower()] * restated))
    return buffer.getvalue()


class _IndentedDumper(yaml.SafeDumper):
    """Indent list items under their key, as the worked example's front matter does."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        return super().increase_indent(flow, False)


def render_commentary(options: IngestOptions, release: Release | None = None) -> str:
    """Write commentary.md from the release's words, or with TODO placeholders without them."""
    if release is not None and release.headline:
        return render_release_commentary(release)
    name = options.short_name or options.company_name
    front = {
        "headline": "TODO: one-sentence headline naming the period and its key figure",
        "dateline": "TODO: release date, e.g. October 3, 2011",
        "quote": {
            "text": "TODO: what the chief executive says about the period",
            "speaker": "TODO: name of the person quoted",
            "title": f"TODO: their title, e.g. Chief Executive Officer of {name}",
        },
        "footnote": "TODO: how the summary figures should be read, or remove this key",
        "contacts": [{
            "name": "TODO: contact name",
            "role": "TODO: role, e.g. Director & CFO",
            "telephone": "TODO: telephone",
            "email": "TODO: email",
        }],
        "exchange_notice": "TODO: the exchange's notice, or remove this key",
    }
    header = yaml.dump(front, Dumper=_IndentedDumper, allow_unicode=True, sort_keys=False,
                       width=100)
    body = [
        f"TODO: lead paragraph: {name} announces its results for the period, and what they "
        "show.",
        "",
        "## Operations {#operations}",
        "",
        "TODO: what happened at the operations in the period.",
        "",
        f"## About {name} {{#about}}",
        "",
        f"TODO: what {name} does and where.",
        "",
        "## Forward-looking information {#disclaimer}",
        "",
        "TODO: the forward-looking information disclaimer.",
    ]
    return "---\n" + header + "---\n" + "\n".join(body) + "\n"


def check_out_dir(out_dir: Path) -> None:
    """Refuse an out_dir that already holds something."""
    if out_dir.exists() and (not out_dir.is_dir() or any(out_dir.iterdir())):
        raise DataError("already exists and is not empty; choose a new folder", file=out_dir)


def write_folder(out_dir: Path, files: dict[str, str]) -> None:
    """Write the files into a temporary sibling folder, then rename it into place."""
    check_out_dir(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = out_dir.parent / f".{out_dir.name}.ingest-{uuid.uuid4().hex[:12]}"
    staging.mkdir()
    try:
        for name, text in files.items():
            (staging / name).write_text(text, encoding="utf-8")
        if out_dir.exists():
            out_dir.rmdir()  # empty, checked above
        staging.rename(out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise




MARKDOWN_SPECIALS = re.compile(r"([\\`*_\[\]<>])")
MARKDOWN_LINE_START = re.compile(r"^(#|>|[-+] |\d{1,9}[.)] )")


def markdown_text(text: str) -> str:
    """Escape a release's paragraph so Markdown prints it as written, on one line."""
    text = MARKDOWN_SPECIALS.sub(r"\\\1", " ".join(text.split()))
    return MARKDOWN_LINE_START.sub(r"\\\1", text)


def render_release_commentary(release: Release) -> str:
    """Write commentary.md with the release's words, each in its place."""
    front: dict = {"headline": release.headline}
    if release.dateline:
        front["dateline"] = release.dateline
    if release.quote:
        front["quote"] = release.quote
    if release.footnotes:
        front["footnote"] = " ".join(release.footnotes)
    if release.contacts:
        front["contacts"] = release.contacts
    if release.exchange_notice:
        front["exchange_notice"] = release.exchange_notice
    header = yaml.dump(front, Dumper=_IndentedDumper, allow_unicode=True, sort_keys=False,
                       width=100)
    blocks = [markdown_text(p) for p in release.lead]
    for title, section_id, paragraphs in release.sections:
        blocks.append(f"## {markdown_text(title)} {{#{section_id}}}")
        blocks.extend(markdown_text(p) for p in paragraphs)
    return "---\n" + header + "---\n" + "\n\n".join(blocks) + "\n"
