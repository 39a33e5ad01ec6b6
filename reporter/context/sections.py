"""What a document shows, decided once from the data and the theme's switches.

Templates used to decide each part from `theme.switches` and the data themselves, every template
a little differently. Here each decision is one flag (`show.fx`, `show.charts`, ...), and the
contents are the sections that will render, in reading order, with their anchors and titles:
a template prints them; it does not work them out. Which words head a part named by the
template (`Exchange rates`) stay the template's, so its catalogs translate them.

An override that removes or moves a section after the contents are listed is still caught by
reporter.contents, which drops and orders the entries by what the HTML finally holds.
"""

from __future__ import annotations

from typing import Any


def show_flags(context: dict[str, Any], switches: dict[str, bool]) -> dict[str, bool]:
    """Decide which parts render, from the context's data and the theme's switches."""
    fx, commentary = context["fx"], context["commentary"]
    return {
        "legend": bool(switches.get("legend") and context["report"]["legend"]),
        "key_figures": bool(switches.get("key_figures") and context["key_figures"]),
        "narrative": bool(switches.get("narrative") and context["narrative"]),
        "fx": bool(switches.get("fx_table") and (fx["rows"] or fx["note"])),
        "fx_table": bool(switches.get("fx_table") and fx["rows"] and not switches.get("fx_in_statement")),
        "fx_in_statement": bool(switches.get("fx_in_statement") and switches.get("fx_table") and fx["rows"]),
        "rounding_notes": bool(switches.get("rounding_notes") and context["rounding_notes"]),
        "charts": bool(context["charts"]),
        "margins": bool(context["margins"]),
        "commentary": bool(commentary["quote"] or commentary["discussion"]),
        "about": commentary["about"] is not None,
        "contacts": bool(switches.get("contacts") and commentary["contacts"]),
        "disclaimer": bool(switches.get("disclaimer") and commentary["disclaimer"]),
    }


def contents(context: dict[str, Any], show: dict[str, bool]) -> list[dict[str, Any]]:
    """List the sections that will render, in reading order, each with its anchor and title.

    The order is the built-in templates' (base.html's `content` block): the statement, its
    exchange rates, the charts, the commentary, About, contacts and the disclaimer.
    """
    def entry(part: str, id_: str, title: str | None = None, level: int = 1) -> dict[str, Any]:
        return {"part": part, "id": id_, "title": title, "level": level}

    commentary = context["commentary"]
    entries = [entry("statement", "statement", context["statement"]["title"])]
    if show["fx"]:
        entries.append(entry("fx", "exchange-rates"))
    if show["charts"]:
        entries.append(entry("charts", "charts"))
        entries += [entry("chart", f"chart-{chart['id']}", chart["title"], 2) for chart in context["charts"]]
    if show["commentary"]:
        entries.append(entry("commentary", "commentary"))
        entries += [entry("discussion", section["id"], section["title"], 2) for section in commentary["discussion"]]
    if show["about"]:
        entries.append(entry("about", "about", commentary["about"]["title"]))
    if show["contacts"]:
        entries.append(entry("contacts", "contacts"))
    if show["disclaimer"]:
        entries.append(entry("disclaimer", "disclaimer", commentary["disclaimer"]["title"]))
    return entries
