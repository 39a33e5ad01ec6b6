"""theme.yaml, checked once when a theme loads, into typed settings.

Every mistake is one ThemeError naming the theme.yaml that holds it and the key
(`page.size`, `charts item 2`), with a "did you mean" for a near miss. A theme's own file is
checked as it loads; what it does not set comes from its parent, already checked.

The rules are data: the keys a theme.yaml may hold are the ones below, and the switches a
theme may set are the ones the `base` theme declares (a theme may add its own for its own
templates under `switches`, but only by declaring them in `own_switches`).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reporter.errors import ThemeError



@dataclass(frozen=True)
class Key:
    """One top-level key of theme.yaml: what it must hold (`text`, `mapping`, `list`) and what it does."""

    kind: str
    doc: str


# The keys of theme.yaml, what each must hold and what it does, in the order theme.yaml lists
# them: the checks below and `reporter templates init` (reporter.theme.scaffold) both read this.
THEME_KEYS: dict[str, Key] = {
    "name": Key("text", "The theme's name: what `-t NAME` picks."),
    "description": Key("text", "One line for `reporter templates list`."),
    "title": Key("text", "The kind of document, as the cover and the PDF's title name it."),
    "extends": Key("text", "The theme this one builds on: its templates, assets and settings."),
    "brand": Key("mapping", "Brand colours. Each reaches the stylesheet as a CSS custom property: brand.primary is var(--brand-primary)."),
    "fonts": Key("mapping", "Font families (CSS font-family values). The first family needs its font file: declare extra fonts with @font-face in assets/theme.css."),
    "page": Key("mapping", "Paper."),
    "switches": Key("mapping", "Which parts of the document appear (true or false)."),
    "own_switches": Key("list", "Switches this theme adds for its own templates (names), set under `switches`."),
    "logo": Key("text", "A logo file in this theme's assets/ folder that replaces the company logo of report.yaml (leave empty to keep it)."),
    "charts": Key("list", "Charts drawn from the figures: type bars (lines: key_figures, first_subtotal or a list of line ids; one panel per period length), bridge (period: current or year_to_date; max_steps: bars before small steps fold, default 12) or line (lines; months: the period length to follow over time, default the period reported's); {unit} and {period} in a title or caption are filled in."),
    "margins": Key("list", "Margins shown at a glance: label, line and of (a line id, or first_line, first_subtotal, last_subtotal, last_line), e.g. {label: Gross margin, line: first_subtotal, of: first_line}."),
}
# The keys inside the mappings, with what each does (the switches are declared by the base theme).
SUB_KEY_DOCS: dict[str, str] = {
    "brand.primary": "Headings, table rules, key figure bars, chart totals.",
    "brand.secondary": "Comparatives and the second chart series.",
    "brand.accent": "Highlights: the quote bar, the legend rule, the listing.",
    "brand.muted": "Third chart series.",
    "brand.text": "Body text.",
    "brand.subtle": "Captions, notes and running headers.",
    "brand.rule": "Hairlines between table rows, chart grid lines.",
    "brand.panel": "Background of key figure panels and the current-period column.",
    "brand.positive": "Bridge steps that add to income.",
    "brand.negative": "Bridge steps that take from income.",
    "fonts.body": "Running text and tables.",
    "fonts.heading": "Headline and section titles.",
    "fonts.figures": "Figures in tables and key figures.",
    "page.size": "A CSS page size: Letter, A4, Legal, ... with or without landscape, or two lengths such as '210mm 297mm'.",
    "page.margin": "Margins with units (mm, cm, in, pt): one to four values, top right bottom left.",
    "switches.legend": "The distribution legend at the top.",
    "switches.key_figures": "Highlight panels for report.yaml's key_figures.",
    "switches.narrative": "Generated highlight sentences (report.yaml's `narrative` must be on too).",
    "switches.fx_table": "The table of average exchange rates.",
    "switches.fx_in_statement": "Print the average exchange rates as the last rows of the summary table instead of a separate table.",
    "switches.section_headings": "Headings over the commentary sections (a press release runs them as plain paragraphs).",
    "switches.rounding_notes": "Notes on subtotals that differ from their lines by rounding.",
    "switches.contacts": "The contacts block.",
    "switches.disclaimer": "The forward-looking statements disclaimer.",
}
# What each option does, top-level keys and keys inside them alike (`brand`, `brand.primary`).
OPTION_DOCS: dict[str, str] = {**{key: spec.doc for key, spec in THEME_KEYS.items()}, **SUB_KEY_DOCS}

TOP_KEYS = tuple(THEME_KEYS)
TEXT_KEYS = tuple(key for key, spec in THEME_KEYS.items() if spec.kind == "text")
MAPPING_KEYS = tuple(key for key, spec in THEME_KEYS.items() if spec.kind == "mapping")
PAGE_KEYS = tuple(key.split(".", 1)[1] for key in SUB_KEY_DOCS if key.startswith("page."))

# CSS named page sizes WeasyPrint knows (css/computed_values.py, PAGE_SIZES), lower case.
PAGE_SIZE_NAMES = (
    *(f"{series}{n}" for series in ("a", "b", "c", "jis-b") for n in range(11)),
    "letter", "legal", "ledger")
ORIENTATIONS = ("portrait", "landscape")
LENGTH = re.compile(r"^(\d+(\.\d+)?|\.\d+)(mm|cm|in|pt|pc|px|q)$", re.IGNORECASE)
UNITLESS = re.compile(r"^(\d+(\.\d+)?|\.\d+)$")
PERCENT = re.compile(r"^(\d+(\.\d+)?|\.\d+)%$")
# Bounds that keep WeasyPrint's pagination finite: a page of 0.01 mm, or margins wider than the
# page, leave no room for a line and it paginates for ever. 5,080 mm (200 in) is PDF's largest.
MM_PER_UNIT = {"mm": 1.0, "cm": 10.0, "in": 25.4, "pt": 25.4 / 72, "pc": 25.4 / 6, "px": 25.4 / 96, "q": 0.25}
PAGE_MM = (100.0, 5080.0)  # each side of a page given as lengths
MAX_MARGIN_MM = 80.0       # one margin given as a length
MAX_MARGIN_PERCENT = 20.0  # one margin given as a share of the page width


def millimetres(length: str) -> float:
    """Convert a CSS length matched by LENGTH to millimetres: `0.75in` -> 19.05."""
    number, unit = re.fullmatch(r"([\d.]+)([a-z]+)", length.lower()).groups()  # type: ignore[union-attr]
    return float(number) * MM_PER_UNIT[unit]

GENERIC_FAMILIES = ("serif", "sans-serif", "monospace", "cursive", "fantasy", "system-ui")
# Values that reach CSS must stay inside their declaration: no `;`, braces, `<` or backslashes.
CSS_VALUE = re.compile(r"^[#\w\s,.'\"()%/+-]*$")


@dataclass(frozen=True)
class PageSettings:
    size: str  # a CSS `size` value: `Letter`, `A4 landscape`, `210mm 297mm`
    margin: str  # one to four CSS lengths: top right bottom left


@dataclass(frozen=True)
class ChartSpec:
    """One chart of `charts:`; `options` holds the type's own keys (lines, period, title...)."""

    id: str
    type: str
    options: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ThemeSettings:
    """A theme's settings merged over its parents', every value checked."""

    name: str
    description: str
    title: str
    brand: dict[str, str]
    fonts: dict[str, str]
    page: PageSettings
    switches: dict[str, bool]
    logo: str
    charts: tuple[ChartSpec, ...]


def did_you_mean(word: str, choices) -> str:
    """Return `; did you mean 'x'?` for a close match among `choices`, or an empty string."""
    lowered = {str(choice).lower(): str(choice) for choice in choices}
    match = difflib.get_close_matches(str(word).lower(), list(lowered), n=1, cutoff=0.6)
    return f"; did you mean {lowered[match[0]]!r}?" if match else ""


def _unknown_keys(data: dict, known, where: str, path: Path) -> None:
    for key in data:
        if key not in known:
            raise ThemeError(f"unknown key '{where}{key}'{did_you_mean(key, known)} "
                             f"(known: {', '.join(known)})", file=path)


def check_page_size(value: str) -> str:
    """Return an error message when `value` is no CSS page size, else an empty string.

    >>> check_page_size("A4 landscape"), check_page_size("210mm 297mm")
    ('', '')
    """
    words = str(value).replace('"', " ").replace("'", " ").split()
    lowered = [w.lower() for w in words]
    if lowered == ["auto"]:
        return ""
    if 1 <= len(words) <= 2 and all(LENGTH.match(w) for w in words):
        if not all(PAGE_MM[0] <= millimetres(w) <= PAGE_MM[1] for w in words):
            return (f"{value!r}: each side of the page must be from {PAGE_MM[0]:g} mm to "
                    f"{PAGE_MM[1]:,g} mm (200 in, the largest page a PDF has)")
        return ""
    names = [w for w in lowered if w not in ORIENTATIONS]
    orientations = [w for w in lowered if w in ORIENTATIONS]
    if 1 <= len(words) <= 2 and len(names) <= 1 and len(orientations) <= 1 \
            and all(n in PAGE_SIZE_NAMES for n in names):
        return ""
    hint = did_you_mean(names[-1] if names else value, ("A4", "A5", "A3", "Letter", "Legal", "Ledger"))
    return (f"{value!r} is not a page size{hint} (write a name such as A4 or Letter, optionally "
            f"with landscape or portrait, or width and height: \"210mm 297mm\")")


def check_margin(value: str) -> str:
    """Return an error message when `value` is not one to four CSS margins, else an empty string."""
    words = str(value).split()
    if not 1 <= len(words) <= 4:
        return f"{value!r} must be one to four lengths (top right bottom left), e.g. \"17mm 18mm 20mm 18mm\""
    for word in words:
        if UNITLESS.match(word) and float(word) != 0:
            return f"{value!r}: {word} has no unit; write {word}mm (or pt, in, cm)"
        if not (LENGTH.match(word) or PERCENT.match(word) or word == "0" or word == "auto"):
            return f"{value!r}: {word!r} is not a length such as 18mm, 0.75in or 54pt"
        if LENGTH.match(word) and millimetres(word) > MAX_MARGIN_MM or \
                PERCENT.match(word) and float(word[:-1]) > MAX_MARGIN_PERCENT:
            return (f"{value!r}: {word} is too wide a margin (at most {MAX_MARGIN_MM:g} mm or "
                    f"{MAX_MARGIN_PERCENT:g}%: a wider one leaves the text no room)")
    return ""


def is_colour(value: str) -> bool:
    """Say whether CSS reads `value` as a colour (#123a5e, rgb(18, 58, 94), steelblue)."""
    import tinycss2.color3

    return tinycss2.color3.parse_color(str(value)) is not None


def _font_face_rules(css: Path):
    """Yield (family, [font files]) for each @font-face rule of a stylesheet, parsed by tinycss2."""
    import tinycss2

    from reporter.inputs.limits import DEFAULT_LIMITS
    from reporter.inputs.yamlfile import decode_utf8, read_bytes

    # Bounded like every file the renderer reads: a stylesheet linked to /dev/zero or a huge one
    # in the theme's assets is one error, not a hang.
    data = read_bytes(css, error=ThemeError, max_bytes=DEFAULT_LIMITS.asset_bytes)
    rules = tinycss2.parse_stylesheet(decode_utf8(data, css, error=ThemeError),
                                      skip_comments=True, skip_whitespace=True)
    for rule in rules:
        if rule.type != "at-rule" or rule.lower_at_keyword != "font-face" or rule.content is None:
            continue
        family, files = None, []
        for declaration in tinycss2.parse_declaration_list(rule.content, skip_comments=True,
                                                           skip_whitespace=True):
            if declaration.type != "declaration":
                continue
            if declaration.lower_name == "font-family":
                family = tinycss2.serialize(declaration.value).strip().strip("'\"")
            elif declaration.lower_name == "src":
                for token in declaration.value:
                    url = token.value if token.type == "url" else (
                        token.arguments[0].value if token.type == "function" and token.lower_name == "url"
                        and token.arguments and token.arguments[0].type == "string" else None)
                    if url and not url.startswith("data:"):
                        files.append(css.parent / url)
        if family:
            yield family, files


def declared_fonts(asset_dirs: list[Path]) -> dict[str, list[Path]]:
    """Read the @font-face rules of every stylesheet in `asset_dirs`: family (lower case) -> font files."""
    families: dict[str, list[Path]] = {}
    for folder in asset_dirs:
        if folder.is_dir():
            for css in sorted(folder.rglob("*.css")):
                for family, files in _font_face_rules(css):
                    families.setdefault(family.lower(), []).extend(files)
    return families


def first_family(value: str) -> str:
    return str(value).split(",")[0].strip().strip("'\"")


def _check_fonts(fonts: dict[str, str], asset_dirs: list[Path], path: Path) -> None:
    """The first family of each font setting needs a font file, so the PDF looks the same everywhere."""
    declared = None
    for key, value in fonts.items():
        family = first_family(value)
        if not family:
            raise ThemeError(f"fonts.{key}: no font family given", file=path)
        if family.lower() in GENERIC_FAMILIES:
            continue
        declared = declared if declared is not None else declared_fonts(asset_dirs)
        files = declared.get(family.lower())
        if files is None:  # an empty list is a font given inline as a data: URL
            raise ThemeError(f"fonts.{key}: font family {family!r} has no font file: declare it with "
                             f"@font-face in a stylesheet of the theme's assets/"
                             f"{did_you_mean(family, declared)}", file=path)
        missing = [f for f in files if not f.is_file()]
        if missing:
            raise ThemeError(f"fonts.{key}: font family {family!r}: font file {missing[0].name} "
                             f"does not exist ({missing[0].parent})", file=path)


def _check_charts(charts: Any, path: Path) -> None:
    if not isinstance(charts, list):
        raise ThemeError(f"charts must be a list of charts (each with id and type), got {charts!r}", file=path)
    seen = set()
    for index, chart in enumerate(charts, 1):
        if not isinstance(chart, dict):
            raise ThemeError(f"charts item {index}: expected a mapping with id and type "
                             f"(e.g. {{id: key-figures, type: bars}}), got {chart!r}", file=path)
        for key in ("id", "type"):
            if not isinstance(chart.get(key), str) or not chart[key]:
                raise ThemeError(f"charts item {index}: `{key}` is missing", file=path)
        if chart["id"] in seen:
            raise ThemeError(f"charts item {index}: id {chart['id']!r} is used twice", file=path)
        seen.add(chart["id"])


def _check_margins(margins: Any, path: Path) -> None:
    """Margins are checked for shape here; their lines against statement.yaml when drawn (reporter/context/margins.py)."""
    if not isinstance(margins, list):
        raise ThemeError(f"margins must be a list (each with line, of and an optional label), got {margins!r}", file=path)
    for index, margin in enumerate(margins, 1):
        if not isinstance(margin, dict):
            raise ThemeError(f"margins item {index}: expected a mapping with label, line and of "
                             f"(e.g. {{label: Gross margin, line: first_subtotal, of: first_line}}), "
                             f"got {margin!r}", file=path)
        _unknown_keys(margin, ("label", "line", "of"), f"margins[{index}].", path)
        for key in ("line", "of"):
            if not isinstance(margin.get(key), str) or not margin[key]:
                raise ThemeError(f"margins item {index}: `{key}` is missing", file=path)
        # No label: the margin is named for the line it computes (reporter/context/margins.py).
        if "label" in margin and (not isinstance(margin["label"], str) or not margin["label"]):
            raise ThemeError(f"margins item {index}: `label` must be a text, or left out to name the "
                             f"margin for its line", file=path)


def check_own_settings(own: dict[str, Any], parent: dict[str, Any] | None, asset_dirs: list[Path],
                       path: Path) -> None:
    """Check one theme.yaml as written, against what its parent already settled."""
    _unknown_keys(own, TOP_KEYS, "", path)
    for key in TEXT_KEYS:
        if key in own and own[key] is not None and not isinstance(own[key], str):
            raise ThemeError(f"{key} must be text, got {own[key]!r}", file=path)
    for key in MAPPING_KEYS:
        if key in own and not isinstance(own[key], dict):
            raise ThemeError(f"{key} must be a mapping of settings, got {own[key]!r}", file=path)
    for group in ("brand", "fonts", "page"):
        for key, value in (own.get(group) or {}).items():
            if not isinstance(value, (str, int, float)) or not CSS_VALUE.match(str(value)):
                raise ThemeError(f"{group}.{key}: {value!r} is not a plain CSS value", file=path)
    for key, value in (own.get("brand") or {}).items():
        if not is_colour(str(value)):
            raise ThemeError(f"brand.{key}: {value!r} is not a colour (#123a5e, rgb(18, 58, 94) or a name)",
                             file=path)
    page = own.get("page") or {}
    _unknown_keys(page, PAGE_KEYS, "page.", path)
    for key, check in (("size", check_page_size), ("margin", check_margin)):
        if key in page and (problem := check(str(page[key]))):
            raise ThemeError(f"page.{key}: {problem}", file=path)
    own_switches = own.get("own_switches") or []
    if not isinstance(own_switches, list) or not all(isinstance(s, str) for s in own_switches):
        raise ThemeError(f"own_switches must be a list of switch names, got {own_switches!r}", file=path)
    known_switches = list((parent or {}).get("switches") or {}) + own_switches
    switches = own.get("switches") or {}
    if parent is not None:  # base declares the switches; every other theme sets them
        _unknown_keys(switches, known_switches, "switches.", path)
    for key, value in switches.items():
        if not isinstance(value, bool):
            raise ThemeError(f"switches.{key} must be true or false, got {value!r}", file=path)
    if "charts" in own:
        _check_charts(own["charts"], path)
    if "margins" in own:
        _check_margins(own["margins"], path)
    if own.get("fonts"):
        _check_fonts(own["fonts"], asset_dirs, path)


def typed_settings(merged: dict[str, Any]) -> ThemeSettings:
    """Turn merged, checked settings into ThemeSettings."""
    page = merged.get("page") or {}
    return ThemeSettings(
        name=str(merged.get("name") or ""),
        description=str(merged.get("description") or ""),
        title=str(merged.get("title") or ""),
        brand={k: str(v) for k, v in (merged.get("brand") or {}).items()},
        fonts={k: str(v) for k, v in (merged.get("fonts") or {}).items()},
        page=PageSettings(size=str(page.get("size", "A4")), margin=str(page.get("margin", "20mm"))),
        switches=dict(merged.get("switches") or {}),
        logo=str(merged.get("logo") or ""),
        charts=tuple(ChartSpec(c["id"], c["type"], {k: v for k, v in c.items() if k not in ("id", "type")})
                     for c in merged.get("charts") or []),
    )
