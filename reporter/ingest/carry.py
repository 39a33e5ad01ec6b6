"""`reporter ingest SOURCE --like PREV_DIR`: next quarter's folder from last quarter's.

Everything that is not this quarter's figures comes from the previous report: company, subject,
languages, legend, key figures, settings, and the statement's lines with their ids, labels in
every language, units and formulas. The new table's rows are mapped to the previous lines by
label: exactly, then normalised (case, spacing, punctuation, "&"/"and"), then by a close match,
taken only when it is unambiguous and always reported. New, dropped and renamed lines are listed;
nothing is guessed silently.

The period rolls forward with the fiscal calendar (Q3 to Q4, the fiscal year's last quarter to
the next Q1) and must be the table's own latest quarter. The commentary of every language starts
from the previous quarter's, with every sentence that states a figure (any digit: amounts,
percentages, dates, years) replaced by a TODO that quotes it, so no stale number can be published:
a build refuses placeholders until they are filled in.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import os
import re
import shutil
import textwrap
import uuid
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from reporter.errors import DataError
from reporter.ingest.types import IngestOptions, IngestReport
from reporter.inputs.periods import Period
from reporter.inputs.settings import MAX_HISTORY, REPORT_FILES, ReportSettings, load_settings
from reporter.inputs.statement import load_statement
from reporter.inputs.yamlfile import parse_yaml, read_bytes, read_text, read_yaml

# A close match must be at least this similar (difflib ratio of the normalised labels) and
# clearly better than the runner-up, or the line is reported as new and the old one as dropped.
CLOSE_MATCH = 0.75
CLEAR_MARGIN = 0.1
# Front matter keys whose text is kept as it is: how to reach people is not a quarterly figure.
KEPT_FRONT_KEYS = ("contacts", "exchange_notice")
DIGIT = re.compile(r"\d")
# A line that opens a heading, list item or quote: (its marker, its text).
BLOCK_MARKER = re.compile(r"^(\s*(?:#{1,6}|>|[-*+]|\d+[.)])(?:\s+|$))(.*)$")
# What a wrapped continuation line must not start with, or Markdown reads a new block.
BLOCK_START = re.compile(r"^(#{1,6}(\s|$)|>|[-*+](\s|$)|\d+[.)](\s|$)|[=-]+$|\||<|```|~~~)")
SENTENCE_END = re.compile(r"(?<=[.!?…])[”\")»]*\s+(?=[A-Z0-9“\"«(À-Ý])")


@dataclass
class LineMapping:
    """How the new table's rows map onto the previous statement's lines."""

    matched: dict[int, str] = field(default_factory=dict)  # new row index -> previous line id
    renamed: list[tuple[str, str, str]] = field(default_factory=list)  # (id, old label, new label)
    new: list[str] = field(default_factory=list)  # labels of rows with no previous line
    dropped: list[tuple[str, str]] = field(default_factory=list)  # (id, label) of previous lines gone
    ambiguous: list[str] = field(default_factory=list)  # rows close to several previous lines


def normalised(label: str) -> str:
    """Compare labels as a reader would: case, spacing, punctuation and '&' do not matter."""
    text = label.casefold().replace("&", " and ")
    # Footnote markers and "(loss)" asides only: "(gold)" and "(silver)" name different lines.
    text = re.sub(r"\((?:\d+|[a-z]|\*+|[^)]*\b(?:loss|losses|gain|gains|income|expense|expenses|note \w+))\)", " ", text)
    return " ".join(re.sub(r"[^\w\s]", " ", text).split())


def match_lines(new_labels: list[str], previous: list[tuple[str, str]]) -> LineMapping:
    """Map each new label to a previous (id, label): exact, then normalised, then close and unambiguous."""
    mapping = LineMapping()
    free = dict(previous)  # id -> label, still unmatched
    for rule in (lambda a, b: a == b, lambda a, b: normalised(a) == normalised(b)):
        for index, label in enumerate(new_labels):
            if index in mapping.matched:
                continue
            hits = [line_id for line_id, old in free.items() if rule(label, old)]
            if len(hits) == 1:
                mapping.matched[index] = hits[0]
                del free[hits[0]]
    for index, label in enumerate(new_labels):
        if index in mapping.matched:
            continue
        scores = sorted(((difflib.SequenceMatcher(None, normalised(label), normalised(old)).ratio(), line_id)
                         for line_id, old in free.items()), reverse=True)
        if scores and scores[0][0] >= CLOSE_MATCH:
            runner_up = scores[1][0] if len(scores) > 1 else 0.0
            if scores[0][0] - runner_up < CLEAR_MARGIN:
                mapping.ambiguous.append(label)
                continue
            line_id = scores[0][1]
            mapping.matched[index] = line_id
            mapping.renamed.append((line_id, free.pop(line_id), label))
    mapping.new = [label for index, label in enumerate(new_labels) if index not in mapping.matched]
    mapping.dropped = list(free.items())
    return mapping


def next_quarter(period: Period) -> Period:
    """The period after a report's: three months ending three months later (six after a half year)."""
    import calendar

    months = period.months if period.months in (3, 6) else 3
    index = period.end.year * 12 + period.end.month - 1 + months
    year, month = divmod(index, 12)
    return Period(period.end.replace(year=year, month=month + 1,
                                      day=calendar.monthrange(year, month + 1)[1]), months)


def stale_free(text: str, before: str, now: str) -> str:
    """Replace every sentence of a Markdown body that states a figure with a TODO quoting it."""
    out: list[str] = []
    paragraph: list[str] = []

    def flush() -> None:
        if not paragraph:
            return
        joined = " ".join(line.strip() for line in paragraph)
        sentences = SENTENCE_END.split(joined)
        kept = [todo(sentence, before, now) if DIGIT.search(sentence) else sentence for sentence in sentences]
        wrapped: list[str] = []
        for piece in textwrap.wrap(" ".join(kept), width=100, break_long_words=False, break_on_hyphens=False):
            # A wrapped line that would start a heading, list, quote or rule stays on the line before.
            if wrapped and BLOCK_START.match(piece):
                wrapped[-1] += " " + piece
            else:
                wrapped.append(piece)
        out.extend(wrapped)
        paragraph.clear()

    table: list[str] = []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("|"):
            flush()
            table.append(stripped)
            continue
        if table:
            quoted = " / ".join(table[:1])
            out.append(todo(f"the table that began {quoted}", before, now) if any(DIGIT.search(t) for t in table)
                       else "\n".join(table))
            table.clear()
        block = BLOCK_MARKER.match(line)
        if not stripped or block:
            flush()
            # Headings, list items and quotes state figures too: the marker stays, the text is quoted.
            if block and DIGIT.search(block.group(2)):
                out.append(f"{block.group(1)}{todo(block.group(2), before, now)}")
            else:
                out.append(line)
            continue
        paragraph.append(line)
    flush()
    if table:
        out.append(todo(f"the table that began {table[0]}", before, now))
    return "\n".join(out) + "\n"


def todo(sentence: str, before: str, now: str) -> str:
    """A placeholder that quotes what the previous quarter said, for the writer to restate."""
    quoted = " ".join(sentence.split()).replace("“", "\"").replace("”", "\"")
    return f"TODO: restate for {now} ({before} said: “{quoted}”)"


def carry_front_matter(front: dict[str, Any], before: str, now: str) -> dict[str, Any]:
    """Replace each text of the front matter that states a figure with a TODO quoting it."""
    def walk(value: Any) -> Any:
        if isinstance(value, str):
            return todo(value, before, now) if DIGIT.search(value) else value
        if isinstance(value, (int, float, dt.date)) and not isinstance(value, bool):
            return todo(str(value), before, now)  # a number or date of last quarter's
        if isinstance(value, dict):
            return {key: walk(item) for key, item in value.items()}
        if isinstance(value, list):
            return [walk(item) for item in value]
        return value

    return {key: value if key in KEPT_FRONT_KEYS else walk(value) for key, value in front.items()}


def carry_commentary(text: str, before: str, now: str, path: Path | None = None) -> str:
    """Next quarter's commentary: the previous one with every stated figure made a TODO."""
    front: dict[str, Any] = {}
    body = text
    if text.startswith("---\n"):
        end = text.find("\n---\n", 4)
        if end != -1:
            where = path or Path("commentary.md")
            front = parse_yaml(text[4:end], where, first_line=2, what="invalid YAML front matter") or {}
            if not isinstance(front, dict):
                raise DataError("the front matter must be a mapping of keys (headline: ...)", file=where, line=2)
            body = text[end + 5:]
    head = ""
    if front:
        head = "---\n" + yaml.safe_dump(carry_front_matter(front, before, now), allow_unicode=True,
                                        sort_keys=False, width=100) + "---\n"
    return head + stale_free(body, before, now)


def top_level_blocks(text: str) -> list[tuple[str | None, list[str], list[str]]]:
    """Split a YAML file into its top-level keys: (key, the comment lines before it, its own lines).

    A line indented under a key, or a list item at the margin under it, belongs to it, with the
    comments and blank lines before it; those before a key belong to that key. What follows the last key is a block of its own, keyed None.
    """
    blocks: list[tuple[str | None, list[str], list[str]]] = []
    leading: list[str] = []
    for line in text.splitlines():
        key = re.match(r"^([A-Za-z_][\w-]*)\s*:", line)
        if key:
            blocks.append((key.group(1), leading, [line]))
            leading = []
        elif blocks and (line[:1] in (" ", "\t") or re.match(r"-(\s|$)", line)):
            # Indented, or a list item at the margin (`key:` then `- item`, as YAML dumps lists):
            # the block goes on, with the blank lines and comments met inside it.
            blocks[-1][2].extend(leading + [line])
            leading = []
        else:
            leading.append(line)
    if leading:
        blocks.append((None, leading, []))
    return blocks


def carry_report_yaml(text: str, replacements: dict[str, str | None]) -> str:
    """Rewrite report.yaml's top-level keys in `replacements` (None drops one), comments kept."""
    out: list[str] = []
    for key, leading, lines in top_level_blocks(text):
        if key in replacements:
            replacement = replacements[key]
            out.extend(leading + ([] if replacement is None else replacement.splitlines()))
        else:
            out.extend(leading + lines)
    present = {key for key, _, _ in top_level_blocks(text)}
    for key, value in replacements.items():
        if key not in present and value is not None:
            out.extend(["", *value.splitlines()])
    return "\n".join(out).rstrip("\n") + "\n"


def _yaml_block(key: str, value: Any) -> str:
    return yaml.safe_dump({key: value}, allow_unicode=True, sort_keys=False, default_flow_style=None,
                          width=100).rstrip("\n")


def carried_statement(previous: dict[str, Any], new_rows: list[dict[str, Any]], mapping: LineMapping,
                      default_code: str) -> tuple[dict[str, Any], dict[str, str], list[str]]:
    """The new statement: previous lines in the table's order, new lines added; ids renamed to the old."""
    old_lines = {line["id"]: line for line in previous.get("lines", [])}
    ids: dict[str, str] = {}  # ingested id -> final id
    taken = set(old_lines)
    notes: list[str] = []
    lines = []
    for index, row in enumerate(new_rows):
        if index in mapping.matched:
            old_id = mapping.matched[index]
            line = dict(old_lines[old_id])
            ids[row["id"]] = old_id
            renamed = next((new for line_id, _, new in mapping.renamed if line_id == old_id), None)
            if renamed is not None:
                label = line.get("label")
                line["label"] = ({**label, default_code: renamed} if isinstance(label, dict) else renamed)
        else:
            new_id = row["id"]
            while new_id in taken:
                new_id += "_new"
            taken.add(new_id)
            ids[row["id"]] = new_id
            # A new line keeps what ingest read of it beside its label: its unit (EPS in cents is
            # never money at the scale).
            line = {"id": new_id, "label": row["label"], **({"unit": row["unit"]} if row.get("unit") else {})}
        lines.append(line)
    final_ids = {line["id"] for line in lines}
    for line, row in zip(lines, new_rows):
        # The previous formula stands while every line it names is still there; otherwise the one
        # ingest inferred from this table's figures, in the carried ids. Tie-outs check either.
        formula = line.pop("formula", None)
        if formula and not set(re.findall(r"[A-Za-z_]\w*", formula)) <= final_ids:
            notes.append(f"{line['id']}: the previous formula ({formula}) names lines the table no longer "
                         f"has; the formula inferred from the figures is used")
            formula = None
        if not formula and row.get("formula"):
            formula = re.sub(r"[A-Za-z_]\w*", lambda m: ids.get(m.group(0), m.group(0)), row["formula"])
        if formula:
            line["formula"] = formula
        # The line a share is of (attribution_of), as the formula: the previous one while it is
        # still there, else what ingest read from this table; never beside a formula.
        shared = line.pop("attribution_of", None)
        if shared is not None and shared not in final_ids:
            notes.append(f"{line['id']}: the previous attribution_of ({shared}) names a line the table no "
                         f"longer has; the one read from this table is used")
            shared = None
        if shared is None and row.get("attribution_of"):
            shared = ids.get(row["attribution_of"], row["attribution_of"])
        if shared is not None and not formula:
            line["attribution_of"] = shared
    statement = {key: value for key, value in previous.items() if key != "lines"}
    statement["lines"] = lines
    return statement, ids, notes


def statement_comments(path: Path) -> str:
    """The comment lines that open the previous statement.yaml (its conventions, in the team's words)."""
    lines = read_text(path).splitlines()
    head = [line for line in lines[:next((i for i, l in enumerate(lines) if l.strip() and not l.startswith("#")),
                                        len(lines))]]
    return "\n".join(head).rstrip() + "\n" if any(line.strip() for line in head) else ""


def carried_figures(text: str, ids: dict[str, str]) -> str:
    """figures.csv of the new table, its line ids renamed to the previous statement's."""
    rows = list(csv.reader(io.StringIO(text)))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(rows[0])
    for row in rows[1:]:
        writer.writerow([ids.get(row[0], row[0]), *row[1:]])
    return buffer.getvalue()


@dataclass
class CarryReport:
    """What carrying a report forward did, for the CLI."""

    ingested: IngestReport
    previous: Path
    period: Period
    mapping: LineMapping
    notes: list[str]

    def summary_lines(self) -> list[str]:
        out = [line for line in self.ingested.summary_lines() if not line.startswith(("next:", "subtotals inferred",
                                                                                        "  "))]
        out.append(f"carried forward from {self.previous}: {len(self.mapping.matched)} lines matched")
        out.extend(f"renamed: {line_id}: {old!r} is now {new!r} (a close match: check it)"
                   for line_id, old, new in self.mapping.renamed)
        out.extend(f"new line: {label!r} (give it its labels in every language)" for label in self.mapping.new)
        out.extend(f"dropped: {line_id} ({label!r}) is not in the new table" for line_id, label in self.mapping.dropped)
        out.extend(f"ambiguous: {label!r} is close to several previous lines; taken as new" for label in
                   self.mapping.ambiguous)
        out.extend(f"note: {note}" for note in self.notes)
        out.append("next: fill in the TODO placeholders of the commentary (each quotes last quarter), then "
                   "validate")
        return out


def ingest_like(source: Path, previous_dir: Path, out_dir: Path, options: IngestOptions) -> CarryReport:
    """Ingest a table into `out_dir` with everything but its figures carried from `previous_dir`."""
    from reporter.ingest import ingest_table
    from reporter.ingest.write import check_out_dir, write_folder

    previous_dir, out_dir = Path(previous_dir), Path(out_dir)
    check_out_dir(out_dir)
    # Only the previous folder's own files are read: a symlink out of it (to another company's
    # commentary, say) is refused, never carried into the new folder.
    inside = previous_dir.resolve()
    for path in [previous_dir / REPORT_FILES["settings"], previous_dir / REPORT_FILES["statement"],
                 *sorted(previous_dir.glob("commentary*.md"))]:
        if (path.exists() or path.is_symlink()) and not path.resolve().is_relative_to(inside):
            raise DataError(f"{path.name} is a symlink out of {previous_dir.name}; refused", file=path)
    settings = load_settings(previous_dir)
    # A statement.yaml validate would refuse is refused here in its one line, never carried
    # (an `attribution_of` or `formula` that is a list stopped the carrying with a traceback).
    load_statement(settings.file("statement"))
    options = replace(options, fiscal_year_end=options.fiscal_year_end or
                      f"{settings.calendar.month:02d}-{settings.calendar.day:02d}")
    scratch = out_dir.parent / f".{out_dir.name}.{uuid.uuid4().hex[:8]}.ingest"
    notes: list[str] = []
    try:
        try:
            ingested = ingest_table(source, scratch, options)
        except DataError as error:
            if "gives no currency" not in str(error) and "gives no scale" not in str(error):
                raise
            ingested = ingest_table(source, scratch, replace(options, currency=options.currency or settings.currency,
                                                             scale=options.scale or settings.scale_name))
            notes.append(f"the table gives no currency or scale: {settings.currency}, {settings.scale_name} "
                         f"carried from {previous_dir.name}")
        files = carry_files(scratch, previous_dir, out_dir, settings, ingested, notes)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    write_folder(out_dir, files["files"])
    # The scratch folder is gone: say where the files are.
    return CarryReport(replace(ingested, out_dir=out_dir), previous_dir, files["period"], files["mapping"], notes)


def carry_files(scratch: Path, previous_dir: Path, out_dir: Path, settings: ReportSettings,
                ingested: IngestReport, notes: list[str]) -> dict[str, Any]:
    """Work out the files of the carried-forward folder from the ingested one and the previous one."""
    new_statement = read_yaml(scratch / REPORT_FILES["statement"])
    old_statement = read_yaml(settings.file("statement"))
    default_code = (settings.languages[0] if settings.languages else settings.locale).split("_")[0]

    def default_label(label: Any) -> str:
        if isinstance(label, dict):
            text = label.get(default_code, next(iter(label.values())))
            return text["text"] if isinstance(text, dict) else str(text)
        return str(label)

    rows = new_statement.get("lines", [])
    previous_lines = [(line["id"], default_label(line.get("label", line["id"]))) for line in old_statement["lines"]]
    mapping = match_lines([str(row["label"]) for row in rows], previous_lines)
    statement, ids, formula_notes = carried_statement(old_statement, rows, mapping, default_code)
    notes.extend(formula_notes)

    rolled = next_quarter(settings.period)
    table_period = ingested.periods[0]
    table_latest = max((p for p in ingested.periods if p.months == rolled.months), key=lambda p: p.end,
                       default=table_period)
    period = rolled
    if table_latest.end != rolled.end:
        period = Period(table_latest.end, table_latest.months)
        notes.append(f"the table's latest quarter ends {table_latest.end}, not {rolled.end} (the quarter after "
                     f"{previous_dir.name}): report.yaml's period is the table's")
    before = settings.calendar.label(settings.period)
    now = settings.calendar.label(period)

    replacements: dict[str, str | None] = {
        "period": _yaml_block("period", {"end": period.end, "months": period.months}),
    }
    new_report = read_yaml(scratch / REPORT_FILES["settings"])
    if new_report.get("fx_rates"):
        replacements["fx_rates"] = _yaml_block("fx_rates", new_report["fx_rates"])
    elif settings.raw.get("fx_rates"):
        replacements["fx_rates"] = None
        notes.append(f"the table gives no exchange rates: {previous_dir.name}'s were for its periods and are "
                     f"not carried; add this quarter's to report.yaml")
    kept_keys = set(ids.values())
    key_figures = [line_id for line_id in settings.key_figures if line_id in kept_keys]
    if len(key_figures) != len(settings.key_figures):
        replacements["key_figures"] = _yaml_block("key_figures", key_figures)
        notes.append("key figures of dropped lines were left out of report.yaml")
    trend = [line_id for line_id in settings.trend if line_id in kept_keys]
    if len(trend) != len(settings.trend):
        replacements["trend"] = _yaml_block("trend", trend) if trend else None
        notes.append("trend lines that were dropped were left out of report.yaml")
    if out_dir.resolve().parent == previous_dir.resolve().parent:
        earlier = [os.path.relpath(folder, out_dir.resolve()) for folder in settings.history]
        chain = [*earlier, os.path.relpath(previous_dir.resolve(), out_dir.resolve())][-MAX_HISTORY:]
        replacements["history"] = _yaml_block("history", chain)
    else:
        # The previous folder's own history names folders beside it, not beside this one: drop it.
        replacements["history"] = None
        notes.append(f"{out_dir} is not beside {previous_dir}: no history: written (earlier reports are read only "
                     f"from beside a report)")
    report_text = carry_report_yaml(settings.file("settings").read_text(encoding="utf-8"), replacements)

    files: dict[str, str | bytes] = {
        REPORT_FILES["settings"]: report_text,
        REPORT_FILES["statement"]: (statement_comments(settings.file("statement"))
                                    + f"# Carried forward from {' '.join(previous_dir.name.split())!s} by "
                                    f"`reporter ingest --like`: lines "
                                    f"matched to the new table by label.\n"
                                    + yaml.safe_dump(statement, allow_unicode=True, sort_keys=False, width=100)),
        REPORT_FILES["figures"]: carried_figures((scratch / REPORT_FILES["figures"]).read_text(encoding="utf-8"), ids),
    }
    for path in sorted(previous_dir.glob("commentary*.md")):
        text = read_text(path, max_bytes=settings.limits.commentary_bytes, limit_name="limits.commentary_bytes")
        files[path.name] = carry_commentary(text, before, now, path)
    # The logo and other assets come along (regular files inside the folder, each within the
    # asset limit): a symlink is not followed out of the previous folder.
    assets = previous_dir / "assets"
    if assets.is_dir() and not assets.is_symlink():
        for path in sorted(assets.rglob("*")):
            if path.is_file() and not path.is_symlink() and not any(p.is_symlink() for p in path.parents):
                files[f"assets/{path.relative_to(assets).as_posix()}"] = read_bytes(
                    path, max_bytes=settings.limits.asset_bytes, limit_name="limits.asset_bytes")
    return {"files": files, "period": period, "mapping": mapping}
