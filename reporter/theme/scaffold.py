"""`reporter templates init`: write an editable theme folder that extends a built-in.

The new folder holds every theme option with its current value and an explanation, a child
template that shows how to override each block, and a stylesheet of its own. It extends the
built-in rather than copying it, so fixes to the built-in still reach it.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

import yaml

from reporter.errors import ThemeError
from reporter.theme.resolve import BUILTIN_ROOT, THEME_FILE, find_theme
from reporter.theme.settings import OPTION_DOCS

BLOCKS = ["legend", "masthead", "headline", "lead", "key_figures", "statement", "fx", "charts",
          "narrative", "quote", "discussion", "about", "contacts", "notice", "disclaimer"]
NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def _yaml_value(value: Any) -> str:
    return yaml.safe_dump(value, default_flow_style=True, width=1000).strip().removesuffix("...").strip()


def theme_yaml(name: str, parent: str, description: str, settings: dict[str, Any]) -> str:
    """Write theme.yaml with every option, its current value and what it does."""
    out = [f"# Theme {name!r}, made by `reporter templates init`. Edit freely, then rebuild:",
           f"#   reporter build --theme {name}",
           f"name: {name}",
           f"description: {_yaml_value(description)}",
           f"title: {_yaml_value(settings.get('title', name))}",
           f"extends: {parent}",
           ""]
    for group in ("brand", "fonts", "page", "switches"):
        out.append(f"# {OPTION_DOCS[group]}")
        out.append(f"{group}:")
        for key, value in (settings.get(group) or {}).items():
            doc = OPTION_DOCS.get(f"{group}.{key}", "")
            out.append(f"  {key}: {_yaml_value(value)}" + (f"    # {doc}" if doc else ""))
        out.append("")
    out.append(f"# {OPTION_DOCS['logo']}")
    out.append(f"logo: {_yaml_value(settings.get('logo') or '')}")
    out.append("")
    out.append(f"# {OPTION_DOCS['charts']}")
    out.append("charts: " + (_yaml_value(settings.get("charts") or [])))
    out.append(f"# {OPTION_DOCS['margins']}")
    out.append("margins: " + (_yaml_value(settings.get("margins") or [])))
    return "\n".join(out) + "\n"


def child_template(parent: str) -> str:
    """Write report.html: extends the built-in and shows how to override every block."""
    examples = "\n".join(
        f"{{#- {{% block {block} %}}{{{{ super() }}}}{{% endblock %}} -#}}" for block in BLOCKS)
    return f"""{{% extends "builtin:{parent}/report.html" %}}
{{#- This template extends the built-in it replaces. Override any block below: remove the
    comment marks around a line, then replace {{{{ super() }}}} (the built-in's content) or add
    to it. `reporter templates context` lists every variable a block can use. -#}}

{{% block extrahead %}}
{{{{ super() }}}}
  <link rel="stylesheet" href="{{{{ asset('theme.css') }}}}">
{{% endblock %}}

{examples}
"""


THEME_CSS = """/* Styles of this theme, loaded after the built-in ones. Colours and fonts are easier to change
   in theme.yaml; use this file for layout. Every brand colour is a custom property, e.g.:
   h2.section-title { color: var(--brand-accent); } */
"""


def init_theme(name: str, parent: str, into: Path) -> Path:
    """Write the theme folder `into/name`; refuse to overwrite anything."""
    if not NAME.match(name):
        raise ThemeError(f"theme name {name!r} must be lower-case letters, digits and dashes")
    if not (BUILTIN_ROOT / parent / THEME_FILE).is_file() or parent == "base":
        raise ThemeError(f"--from must name a built-in template, got {parent!r}")
    target = into / name
    if target.exists():
        raise ThemeError("already exists; choose another name or remove it", file=target)
    theme = find_theme(parent)
    into.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{name}.", dir=into))
    try:
        (staging / "assets").mkdir()
        description = f"{theme.description} (customised)"
        (staging / THEME_FILE).write_text(theme_yaml(name, parent, description, theme.settings), encoding="utf-8")
        (staging / "report.html").write_text(child_template(parent), encoding="utf-8")
        (staging / "assets" / "theme.css").write_text(THEME_CSS, encoding="utf-8")
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target
