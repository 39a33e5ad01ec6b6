"""Read the commentary file: YAML front matter for the pieces templates place, Markdown for prose.

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
_markdown.validateLink = lambda url: True


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    html: Markup


@dataclass(frozen=True)
class Commentary:
    headline: str
    dateline: str | None
    lead: Markup
    sections: tuple[Section, ...]
    front: dict[str, Any] = field(default_factory=dict)

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
    """Read `commentary.md`: front matter, a lead before the first `##` heading, then sections."""
    if not path.is_file():
        raise DataError("commentary file not found (every report needs commentary.md)", file=path)
    text = read_text(path, max_bytes=limits.commentary_bytes, limit_name="limits.commentary_bytes")
    front, body, body_line = _split_front_matter(text, path)
    _check_front(front, path)
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
