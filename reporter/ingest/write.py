"""Writing the report folder: report.yaml, statement.yaml, figures.csv and commentary.md."""

from __future__ import annotations

import csv
import re
import io
import json
import shutil
import uuid
from functools import lru_cache
from decimal import Decimal
from pathlib import Path
from typing import Sequence

import yaml

from reporter.errors import DataError
from reporter.ingest.infer import accounting, reported_period
from reporter.ingest.release import Release
from reporter.ingest.types import IngestOptions, Line
from reporter.inputs.periods import Period
from reporter.inputs.settings import FxRate



def yaml_scalar(value: object) -> str:
    """Write one value as a YAML scalar, quoted only when YAML needs it."""
    text = yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=10**6)
    return text.removesuffix("\n").removesuffix("\n...").strip()


# What ends a YAML comment (line breaks, YAML 1.1's NEL and separators included) or would act on a
# terminal or reorder the line when the file is shown: written as escapes.
_COMMENT_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]")


def comment_text(value: object) -> str:
    """Write a value (a source file's name) into a `#` comment as quoted data, all on that line.

    A file name may hold a newline; written raw, what follows it would be YAML keys of the
    generated folder (`limits:` raised to the ceiling). Quoted and escaped it stays one comment.
    """
    text = json.dumps(str(value), ensure_ascii=False)
    return _COMMENT_UNSAFE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


@lru_cache(maxsize=1)
def _templates():
    """Return the environment of the folder's templates (ours, packaged; not user themes).

    These write YAML, not HTML, so nothing is escaped; values go through the `yaml` filter,
    which quotes them when YAML needs it. Undefined names are errors, as in the themes.
    """
    import jinja2

    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
        undefined=jinja2.StrictUndefined, autoescape=False, trim_blocks=True,
        lstrip_blocks=True, keep_trailing_newline=True)
    environment.filters["yaml"] = yaml_scalar
    environment.filters["comment"] = comment_text
    return environment


def render_report_yaml(options: IngestOptions, source: Path, periods: Sequence[Period],
                       currency: str, scale: str, fx_rates: Sequence[FxRate],
                       fx_source: str | None, key_figures: Sequence[str],
                       tolerance: Decimal, legend: str | None = None) -> str:
    """Write report.yaml in the shape of the worked example, with its comments."""
    return _templates().get_template("report.yaml.j2").render(
        options=options, source=source.name, period=reported_period(periods), currency=currency,
        scale=scale, fx_rates=fx_rates, fx_source=fx_source, key_figures=key_figures,
        tolerance=tolerance, legend=legend)


def render_statement_yaml(source: Path, title: str, lines: Sequence[Line],
                          rounding: Sequence[str], misfits: Sequence[str] = ()) -> str:
    """Write statement.yaml, saying that its structure was inferred and must be confirmed."""
    return _templates().get_template("statement.yaml.j2").render(
        source=source.name, title=title, lines=lines, rounding=rounding, misfits=misfits)


def render_figures_csv(lines: Sequence[Line], periods: Sequence[Period]) -> str:
    """Write figures.csv in long format; add the `restated` column only when a period is."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    restated = any(p.restated for p in periods)
    writer.writerow(["line_item", "period_end", "months", "value"] + (["restated"] * restated))
    for line in lines:
        marks = line.nil_marks or (None,) * len(line.values)
        for period, value, mark in zip(periods, line.values, marks):
            row = [line.id, period.end.isoformat(), period.months, mark or accounting(value)]
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
    """Refuse an out_dir that already holds something, or is a link (to nothing, or elsewhere)."""
    if out_dir.is_symlink():
        raise DataError("is a symbolic link; choose a new folder", file=out_dir)
    if out_dir.exists() and (not out_dir.is_dir() or any(out_dir.iterdir())):
        raise DataError("already exists and is not empty; choose a new folder", file=out_dir)


def write_folder(out_dir: Path, files: dict[str, str | bytes]) -> None:
    """Write the files (text, or bytes as they are) into a temporary sibling folder, then rename it into place."""
    check_out_dir(out_dir)
    staging = out_dir.parent / f".{out_dir.name}.ingest-{uuid.uuid4().hex[:12]}"
    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        staging.mkdir()
    except OSError as error:  # a parent that is a file, a read-only or virtual file system (/proc)
        raise DataError(f"cannot create the folder: {error.strerror or error}", file=out_dir) from None
    try:
        for name, content in files.items():
            target = staging / name
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                target.write_bytes(content)
            else:
                target.write_text(content, encoding="utf-8")
        if out_dir.exists():
            out_dir.rmdir()  # empty, checked above
        staging.rename(out_dir)
    except OSError as error:
        shutil.rmtree(staging, ignore_errors=True)
        raise DataError(f"cannot write the folder: {error.strerror or error}", file=out_dir) from None
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
    if len(release.footnotes) == 1:  # the summary table's footnote, as templates place it
        front["footnote"] = release.footnotes[0][1]
    elif release.footnotes:  # several: keep their marks, so each still points at its line
        front["footnote"] = " ".join(f"{mark} {text}" for mark, text in release.footnotes)
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
