"""What a document shows, decided once from the data and the theme's switches.

Templates used to decide each part from `theme.switches` and the data themselves, every template
a little differently. Here each decision is one flag (`show.fx`, `show.charts`, ...), and the
contents are the sections that will render, in reading order, with their anchors and titles:
a template prints them; it does not work them out. Which words head a part named by the
template (`Exchange rates`) stay the template's, so its catalogs translate them.

An override that removes or moves a section after the contents are listed is still caught by
reporter.render.contents, which drops and orders the entries by what the HTML finally holds.
"""

from __future__ import annotations

from typing import Any

from reporter.context.trend import MIN_TREND_QUARTERS

SECTION_DOCS: dict[str, str] = {
    "show": "What the document shows, decided from the data and theme.yaml's switches (true or false).",
    "show.legend": "The distribution legend: switches.legend and report.yaml has a legend.",
    "show.key_figures": "The key figure panels: switches.key_figures and report.yaml names key_figures.",
    "show.narrative": "The generated highlight sentences: switches.narrative and there are sentences.",
    "show.fx": "An exchange-rate section: switches.fx_table and there are rates or a sentence on them.",
    "show.fx_table": "The rates as a table of their own: switches.fx_table, rates, and not fx_in_statement.",
    "show.fx_in_statement": "The rates as the last rows of the statement: switches.fx_in_statement, fx_table, rates.",
    "show.rounding_notes": "Notes on rounding differences: switches.rounding_notes and a subtotal differs by rounding.",
    "show.charts": "A charts section: the theme lists charts (theme.yaml `charts`) and at least one is drawn.",
    "show.margins": "The margins table: theme.yaml lists margins.",
    "show.commentary": "A management commentary section: a quote or a discussion section.",
    "show.about": "The `about` section: the commentary has one.",
    "show.contacts": "The contacts block: switches.contacts and the commentary names contacts.",
    "show.disclaimer": "The disclaimer: switches.disclaimer and the commentary has a `disclaimer` section.",
    "contents": "The sections that will render, in reading order, for a contents list and the PDF outline.",
    "contents[].part": "Which part: `statement`, `fx`, `charts`, `chart`, `trend`, `commentary`, `discussion`, `about`, `contacts`, `disclaimer`.",
    "contents[].id": "The id of the element the section starts with (the link target), e.g. `statement`, `chart-bridge`.",
    "contents[].title": "The section's own title where the data gives one (the statement's, a chart's, a commentary section's), else None: the template names the part.",
    "contents[].level": "1 for a section, 2 for a chart or a commentary section inside one.",
}


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
        "trend": len(context["trend"]["quarters"]) >= MIN_TREND_QUARTERS and bool(context["trend"]["rows"]),
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
    if show["trend"]:
        entries.append(entry("trend", "trend"))
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
