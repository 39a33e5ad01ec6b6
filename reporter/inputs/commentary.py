"""Read the commentary file: YAML front matter for the pieces templates place, Markdown for prose.

Takes `commentary.md` (or `commentary.fr.md`); gives a `Commentary`, read once per build: the
rendered pieces for templates, and the text with its lines (`path`, `text`, `front_values`,
`body_line`) for the fact check and the placeholder check, which never read the file again.

Text written by users is data, not markup: Markdown becomes HTML through markdown-it (raw HTML in
the Markdown is not passed through), and the result goes through the nh3 sanitiser with a short
list of allowed tags before any template sees it. Images stay, so that the render's URL fetcher
can refuse any that point outside the report folder, loudly, instead of dropping them silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nh3
import yaml
from markdown_it import MarkdownIt
from markupsafe import Markup

from reporter.errors import DataError
from reporter.inputs.limits import DEFAULT_LIMITS, Limits
from reporter.inputs.yamlfile import parse_yaml, read_text

REQUIRED_KEYS = ("headline",)
KNOWN_KEYS = {"headline", "subheadline", "dateline", "legend", "quote", "footnote", "contacts",
              "exchange_notice"}
# Sections that templates place by name; every other section is management discussion.
PLACED_SECTIONS = ("about", "disclaimer")

ALLOWED_TAGS = {"p", "br", "em", "strong", "b", "i", "u", "sup", "sub", "a", "ul", "ol", "li",
                "blockquote", "h3", "h4", "table", "thead", "tbody", "tr", "th", "td", "img",
                "code", "hr", "span"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"},
                      "th": {"align", "style"}, "td": {"align", "style"}}
# markdown-it writes table column alignment as a style; that one property is all a style may say.
ALLOWED_STYLE_PROPERTIES = {"text-align"}
# file and http stay in img src so the fetcher can refuse them with a clear error.
ALLOWED_URL_SCHEMES = {"http", "https", "mailto", "tel", "data", "file"}

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)---[ \t]*\n", re.DOTALL)
_HEADING_ID = re.compile(r"^(.+?)(?:[ \t]+\{#([A-Za-z][\w-]*)\})?[ \t]*$")

_markdown = MarkdownIt("commonmark", {"typographer": True, "html": False}).enable(
    ["replacements", "smartquotes", "table"])
# markdown-it quietly leaves `![x](file:///etc/passwd)` as text; let every link through so that
# nh3 drops the dangerous schemes and the render's fetcher refuses local or network images aloud.
_markdown.validateLink = lambda url: True  # type: ignore[method-assign]


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    html: Markup


# Front matter values whose text restates figures (the quote's `text` too): the fact check reads
# them; contacts, dateline and notices carry no figures.
CHECKED_FRONT_KEYS = ("headline", "subheadline", "footnote", "text")


@dataclass(frozen=True)
class FrontValue:
    """A front matter value as written, each piece with its file line (folded values span lines)."""

    key: str
    lines: tuple[tuple[int, str], ...]
    style: str = ""  # the YAML scalar style: '"' or "'" for quoted values, whose escapes YAML reads


@dataclass(frozen=True)
class Commentary:
    headline: str
    dateline: str | None
    lead: Markup
    sections: tuple[Section, ...]
    front: dict[str, Any] = field(default_factory=dict)
    # The file as read, for the checks that point at its lines (reporter.data.factcheck, .draft).
    path: Path = field(default=Path("commentary.md"), compare=False)
    text: str = field(default="", compare=False, repr=False)
    front_values: tuple[FrontValue, ...] = field(default=(), compare=False, repr=False)
    # The line the Markdown body starts on, counted as str.splitlines counts the file's lines.
    body_line: int = field(default=1, compare=False)

    @property
    def body_lines(self) -> list[tuple[int, str]]:
        """The Markdown body, line by line, with each line's number in the file."""
        return list(enumerate(self.text.splitlines()[self.body_line - 1:], start=self.body_line))

    def section(self, section_id: str) -> Section | None:
        """Return the section with this id, or None when the commentary has none."""
        return next((s for s in self.sections if s.id == section_id), None)

    @property
    def discussion(self) -> tuple[Section, ...]:
        """Return the sections that are management discussion (not About, not the disclaimer)."""
        return tuple(s for s in self.sections if s.id not in PLACED_SECTIONS)


def markdown_to_html(text: str) -> Markup:
    """Render user Markdown to sanitised HTML that templates may print as it is.

    >>> str(markdown_to_html("Revenue **rose**.<script>x</script>"))
    '<p>Revenue <strong>rose</strong>.&lt;script&gt;x&lt;/script&gt;</p>\\n'
    """
    html = _markdown.render(text)
    return Markup(nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                            url_schemes=ALLOWED_URL_SCHEMES, link_rel="noopener",
                            filter_style_properties=ALLOWED_STYLE_PROPERTIES))


def slug(text: str) -> str:
    """Make a section id from a heading: `About Almonty` -> `about-almonty`."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "section"


def _section_headings(body: str) -> list[tuple[int, str, str | None]]:
    """Find the `##` headings markdown-it sees (not those in code blocks): (line, title, id)."""
    found = []
    for token in _markdown.parse(body):
        if token.type == "heading_open" and token.tag == "h2" and token.map:
            line = token.map[0]
            text = body.splitlines()[line].lstrip("#").strip()
            match = _HEADING_ID.match(text)
            if match:
                found.append((line, match.group(1).strip(), match.group(2)))
    return found


def _front_values(front_text: str, first_line: int) -> tuple[FrontValue, ...]:
    """Find the checked front matter values and the file lines they are written on.

    The YAML parser says where each value starts and ends; the value is taken as written on
    those lines (not as parsed), so every amount in it keeps its own line.
    """
    raw = front_text.splitlines()
    found = []

    def walk(node: yaml.Node) -> None:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if isinstance(value, yaml.ScalarNode) and key.value in CHECKED_FRONT_KEYS:
                    found.append(FrontValue(key.value, _written(value), value.style or ""))
                walk(value)
        elif isinstance(node, yaml.SequenceNode):
            for item in node.value:
                walk(item)

    def _written(value: yaml.ScalarNode) -> tuple[tuple[int, str], ...]:
        start, end = value.start_mark, value.end_mark
        numbers: list[int] = []
        texts: list[str] = []
        for index in range(start.line, min(end.line, len(raw) - 1) + 1):
            if index == start.line and value.style in (">", "|"):
                continue  # a block scalar's indicator line holds no text
            line = raw[index]
            numbers.append(first_line + index)
            texts.append(line[start.column if index == start.line else 0:
                              end.column if index == end.line else len(line)].strip())
        if value.style in ("'", '"') and texts:  # the value, not its quotes (one line may hold both)
            texts[0] = texts[0][1:]
            texts[-1] = texts[-1][:-1]
        return tuple((number, text) for number, text in zip(numbers, texts) if text)

    try:
        document = yaml.compose(front_text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:  # parse_yaml has refused it already, with its line
        return ()
    if document is not None:
        walk(document)
    return tuple(sorted(found, key=lambda value: value.lines[0][0] if value.lines else 0))


def _split_front_matter(text: str, path: Path) -> tuple[dict[str, Any], str, int]:
    match = _FRONT_MATTER.match(text)
    if not match:
        raise DataError("no front matter: the file must start with a `---` line, YAML "
                        "settings (headline, dateline, ...), and another `---` line", file=path, line=1)
    front = parse_yaml(match.group(1), path, first_line=2, what="invalid front matter") or {}
    if not isinstance(front, dict):
        raise DataError("front matter must be a mapping of keys", file=path, line=2)
    body_first_line = text[:match.end()].count("\n") + 1
    return front, text[match.end():], body_first_line


def _check_front(front: dict[str, Any], path: Path) -> None:
    for key in REQUIRED_KEYS:
        if not str(front.get(key) or "").strip():
            raise DataError(f"front matter has no `{key}`", file=path)
    unknown = sorted(set(front) - KNOWN_KEYS)
    if unknown:
        raise DataError(f"unknown front matter key(s): {', '.join(unknown)}; known keys are "
                        f"{', '.join(sorted(KNOWN_KEYS))}", file=path)
    quote = front.get("quote")
    if quote is not None and (not isinstance(quote, dict) or not quote.get("text")):
        raise DataError("`quote` needs `text` (and usually `speaker` and `title`)", file=path)
    contacts = front.get("contacts") or []
    if not isinstance(contacts, list) or not all(isinstance(c, dict) and c.get("name") for c in contacts):
        raise DataError("`contacts` must be a list of entries with at least a `name`", file=path)


# A GFM table's delimiter row: `| --- | :-: |`, at least one pipe; the line above is its header.
_TABLE_DELIMITER = re.compile(r"^ {0,3}\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


def _count_table_cells(body: str, path: Path, body_line: int, limits: Limits) -> None:
    """Refuse tables of more than `table_cells` cells in all, counted on the lines before
    markdown-it builds anything: it makes tokens for every cell (a 1 MB table is 1.5 million of
    them, gigabytes), and WeasyPrint would then lay them all out."""
    lines = body.splitlines()
    total, fence, index = 0, None, 0
    while index < len(lines):
        line = lines[index]
        opening = _FENCE.match(line)
        if fence is not None:  # inside a code block: no tables
            fence = None if opening and opening.group(1)[0] == fence else fence
        elif opening:
            fence = opening.group(1)[0]
        elif index > 0 and "|" in line and "|" in lines[index - 1] and _TABLE_DELIMITER.match(line):
            columns = line.strip().strip("|").count("|") + 1
            rows = 1  # the header
            index += 1
            while index < len(lines) and lines[index].strip():
                rows, index = rows + 1, index + 1
            total += rows * columns
            if total > limits.table_cells:
                raise DataError(f"the tables hold more than {limits.table_cells:,} cells in all "
                                f"({limits.describe('table_cells')})", file=path, line=body_line + index - rows - 1)
            continue
        index += 1


def _check_tables(body: str, path: Path, body_line: int, limits: Limits) -> None:
    """Refuse a Markdown table wider than the limit: it cannot be laid out on a page anyway."""
    columns = 0
    for token in _markdown.parse(body):
        if token.type == "tr_open":
            columns, row_line = 0, token.map[0] if token.map else 0
        elif token.type in ("th_open", "td_open"):
            columns += 1
            if columns > limits.table_columns:
                raise DataError(f"a table with more than {limits.table_columns} columns "
                                f"({limits.describe('table_columns')})", file=path, line=body_line + row_line)


def _check_hidden(body: str, path: Path, body_line: int) -> None:
    """Refuse bidi controls, and invisible characters next to a digit, as the reader's text has them.

    Entities are decoded first, as markdown-it does: `&#x202E;` is the character itself on the page.
    """
    from html import unescape

    from reporter.inputs.hidden import first_hidden_in_figure, refusal

    for number, line in enumerate(body.splitlines()):
        shown = unescape(line)
        index = first_hidden_in_figure(shown)
        if index is not None:
            raise DataError(refusal(shown[index]), file=path, line=body_line + number)


def load_commentary(path: Path, limits: Limits = DEFAULT_LIMITS) -> Commentary:
    """Read `commentary.md` once: front matter, a lead before the first `##` heading, then sections."""
    if not path.is_file():
        raise DataError("commentary file not found (every report needs commentary.md)", file=path)
    text = read_text(path, max_bytes=limits.commentary_bytes, limit_name="limits.commentary_bytes")
    return parse_commentary(text, path, limits)


def parse_commentary(text: str, path: Path, limits: Limits = DEFAULT_LIMITS) -> Commentary:
    """Parse a commentary's text, read from `path` (named in errors and findings); see load_commentary."""
    front, body, body_line = _split_front_matter(text, path)
    front_text = _FRONT_MATTER.match(text)
    _check_front(front, path)
    _count_table_cells(body, path, body_line, limits)
    _check_tables(body, path, body_line, limits)
    _check_hidden(body, path, body_line)
    lines = body.splitlines(keepends=True)
    headings = _section_headings(body)
    lead_text = "".join(lines[: headings[0][0]] if headings else lines)
    sections, seen = [], set()
    for index, (line_number, title, explicit_id) in enumerate(headings):
        end = headings[index + 1][0] if index + 1 < len(headings) else len(lines)
        section_id = explicit_id or slug(title)
        if section_id in seen:
            raise DataError(f"two sections with the id {section_id!r}", file=path, line=body_line + line_number)
        seen.add(section_id)
        sections.append(Section(section_id, title, markdown_to_html("".join(lines[line_number + 1:end]))))
    return Commentary(
        headline=" ".join(str(front["headline"]).split()),
        dateline=str(front["dateline"]) if front.get("dateline") else None,
        lead=markdown_to_html(lead_text),
        sections=tuple(sections),
        front=front,
        path=path,
        text=text,
        front_values=_front_values(front_text.group(1), first_line=2) if front_text else (),
        body_line=len(text[:front_text.end()].splitlines()) + 1 if front_text else body_line,
    )


def commentary_file(default: Path, code: str, is_default: bool) -> Path:
    """Name a language's commentary: `commentary.md` for the default, `commentary.fr.md` for French."""
    return default if is_default else default.with_name(f"{default.stem}.{code}{default.suffix}")


def require_same_sections(default: Commentary, default_path: Path, other: Commentary, other_path: Path) -> None:
    """Refuse a translation that lacks a section of the default language, or adds one.

    A missing section would otherwise vanish silently from one language's PDF.
    """
    ids, other_ids = [s.id for s in default.sections], [s.id for s in other.sections]
    for section_id in ids:
        if section_id not in other_ids:
            raise DataError(f"section {section_id!r} of {default_path.name} is missing here "
                            f"(every language needs the same sections)", file=other_path)
    for section_id in other_ids:
        if section_id not in ids:
            raise DataError(f"section {section_id!r} is not in {default_path.name} "
                            f"(every language needs the same sections)", file=other_path)
