"""The catalog template (.pot) of a theme: every string its templates translate.

Babel's extractor reads `_("...")` and `{% trans %}` in the templates of the theme and its
parents (Jinja's own `babel_extract`); the words a theme gives in theme.yaml (its title, chart
titles and captions) are added too, since templates and charts translate them by value. A
translator copies the template to `locale/<code>/LC_MESSAGES/messages.po` and fills it in
(`pybabel init -i messages.pot -d locale -l fr` does exactly that).
"""

from __future__ import annotations

import io
from pathlib import Path

from reporter.theme.resolve import Theme

TEMPLATE_FILES = "**.html"
# Jinja reads the templates the way the build does, so line numbers match.
EXTRACT_OPTIONS = {"extensions": "jinja2.ext.i18n", "trim_blocks": "true", "lstrip_blocks": "true"}


def theme_words(theme: Theme) -> list[tuple[str, str]]:
    """Return (text, where) for the theme.yaml settings templates translate by value."""
    words = []
    for layer in reversed(theme.chain):
        where = f"{layer.name}/theme.yaml"
        own = layer.own_settings
        if own.get("title"):
            words.append((str(own["title"]), where))
        for chart in own.get("charts") or []:
            for key in ("title", "caption"):
                if isinstance(chart, dict) and chart.get(key):
                    words.append((str(chart[key]), where))
    return words


def extract_catalog(theme: Theme):
    """Collect the messages of a theme and its parents into a Babel catalog."""
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_dir

    catalog = Catalog(project=f"reporter theme {theme.name}", fuzzy=False, charset="utf-8")
    for layer in reversed(theme.chain):  # base first, so the catalog reads in inheritance order
        extracted = extract_from_dir(str(layer.folder), method_map=[(TEMPLATE_FILES, "jinja2.ext:babel_extract")],
                                     options_map={TEMPLATE_FILES: EXTRACT_OPTIONS})
        for filename, lineno, message, comments, context in extracted:
            catalog.add(message, locations=[(f"{layer.name}/{filename}", lineno)],
                        auto_comments=comments, context=context)
    for text, where in theme_words(theme):
        catalog.add(text, locations=[(where, 0)])
    return catalog


def write_template(theme: Theme, target: Path) -> int:
    """Write the theme's catalog template to `target`; return the number of messages."""
    from babel.messages.pofile import write_po

    from reporter.write import write_atomic

    catalog = extract_catalog(theme)
    buffer = io.BytesIO()
    # No dates, sorted by first location: the same theme always gives the same file.
    write_po(buffer, catalog, omit_header=False, sort_by_file=True, include_lineno=True, width=100)
    lines = [line for line in buffer.getvalue().decode("utf-8").splitlines(keepends=True)
             if not line.startswith('"POT-Creation-Date')]
    write_atomic(target, "".join(lines).encode("utf-8"))
    return len(catalog)
