"""The context stage as one package, and a theme resolved once: the seams between them and the templates."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from markupsafe import Markup

from helpers import contents_entries, pdf_pages
from reporter.context import CONTEXT_DOCS, build_context
from reporter.errors import ThemeError
from reporter.data.report import load_report
from reporter.theme.resolve import BUILTIN_ROOT, resolve_theme

QUARTERLY_OVERRIDE = "{% extends \"builtin:quarterly-briefing/report.html\" %}\n"


def top_level_documented() -> set[str]:
    return {re.split(r"[.\[]", key)[0] for key in CONTEXT_DOCS}


def contents_titles(pdf: Path) -> list[str]:
    """The titles on the contents page, as a reader sees them (without their page numbers)."""
    return [title for title, _page in contents_entries(pdf_pages(pdf))]


def drop_fx_rates(report_dir: Path) -> None:
    text = (report_dir / "report.yaml").read_text(encoding="utf-8")
    text = re.sub(r"^fx_rates:\n(?:  - .*\n)+", "", text, flags=re.M)
    text = re.sub(r"^fx_source: .*\n", "", text, flags=re.M)
    (report_dir / "report.yaml").write_text(text, encoding="utf-8")


# --- the context builder ------------------------------------------------------------------------

@pytest.mark.parametrize("template", ["investor-summary", "quarterly-briefing", "press-release"])
def test_every_top_level_key_is_documented_and_every_documented_one_is_built(example_dir, template):
    context = build_context(load_report(example_dir), resolve_theme(template, example_dir))
    # `template` is added by the html stage, which knows which file won the lookup.
    assert set(context) | {"template"} == top_level_documented()


def test_show_flags_and_contents_for_los_santos(example_dir):
    context = build_context(load_report(example_dir), resolve_theme("quarterly-briefing", example_dir))
    show = context["show"]
    assert show["fx"] and show["fx_table"] and not show["fx_in_statement"]
    assert show["charts"] and show["commentary"] and show["about"] and show["disclaimer"]
    # A Los Santos subtotal is off by rounding; the built-ins leave the note to validate and build.
    assert context["rounding_notes"] and not show["rounding_notes"]
    ids = [entry["id"] for entry in context["contents"]]
    assert ids[:4] == ["statement", "exchange-rates", "charts", "chart-key-figures"]
    assert ids[-3:] == ["about", "contacts", "disclaimer"]
    # Parts named by data carry their title; parts the template names carry None.
    by_id = {entry["id"]: entry for entry in context["contents"]}
    assert by_id["statement"]["title"] == context["statement"]["title"]
    assert by_id["exchange-rates"]["title"] is None and by_id["charts"]["title"] is None
    assert {entry["level"] for entry in context["contents"] if entry["part"] in ("chart", "discussion")} == {2}


def test_a_report_without_fx_rates_hides_fx(report_dir, cli, tmp_path):
    drop_fx_rates(report_dir)
    context = build_context(load_report(report_dir), resolve_theme("quarterly-briefing", report_dir))
    assert not (context["show"]["fx"] or context["show"]["fx_table"] or context["show"]["fx_in_statement"])
    assert "exchange-rates" not in [entry["id"] for entry in context["contents"]]
    result = cli("build", report_dir, "-t", "quarterly-briefing", "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    pdf = Path(result.stdout.strip())
    assert "Exchange rates" not in contents_titles(pdf)
    assert "Results in charts" in contents_titles(pdf)
    assert not any("Average exchange rates" in page or "EUR=CAD" in page for page in pdf_pages(pdf))


def test_a_theme_with_no_charts_shows_no_chart_section_and_no_contents_entry(report_dir, cli, tmp_path):
    theme = tmp_path / "no-charts"
    theme.mkdir()
    (theme / "theme.yaml").write_text("name: no-charts\nextends: quarterly-briefing\ncharts: []\n",
                                      encoding="utf-8")
    context = build_context(load_report(report_dir), resolve_theme("ignored", report_dir, theme))
    assert context["charts"] == [] and context["show"]["charts"] is False
    assert not [entry for entry in context["contents"] if entry["part"] in ("charts", "chart")]
    result = cli("build", report_dir, "--theme", theme, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    pdf = Path(result.stdout.strip())
    titles = contents_titles(pdf)
    assert "Results in charts" not in titles and "Exchange rates" in titles
    assert not any("Earnings bridge" in page or "Key figures by period" in page for page in pdf_pages(pdf))


def test_switches_still_decide_what_shows(report_dir, tmp_path):
    theme = tmp_path / "quiet"
    theme.mkdir()
    (theme / "theme.yaml").write_text("extends: quarterly-briefing\nswitches: {disclaimer: false, fx_table: false,"
                                      " contacts: false, legend: false}\n", encoding="utf-8")
    context = build_context(load_report(report_dir), resolve_theme("ignored", report_dir, theme))
    show = context["show"]
    assert not (show["disclaimer"] or show["fx"] or show["contacts"] or show["legend"])
    assert {"disclaimer", "exchange-rates", "contacts"}.isdisjoint(entry["id"] for entry in context["contents"])


# --- resolving a theme --------------------------------------------------------------------------

def test_search_path_order_theme_folder_report_templates_chain_builtins(report_dir, tmp_path):
    (report_dir / "templates").mkdir()
    theme = tmp_path / "mine"
    theme.mkdir()
    (theme / "theme.yaml").write_text("extends: quarterly-briefing\n", encoding="utf-8")
    resolved = resolve_theme("ignored", report_dir, theme)
    assert resolved.search_path == (theme.resolve(), (report_dir / "templates").resolve(),
                                    BUILTIN_ROOT / "quarterly-briefing", BUILTIN_ROOT / "base")
    assert resolved.name == "mine"
    assert resolved.asset_dirs == [theme.resolve() / "assets", BUILTIN_ROOT / "quarterly-briefing" / "assets",
                                   BUILTIN_ROOT / "base" / "assets"]
    # Settings are merged and checked once: the parent's charts, the child's name.
    assert [chart["id"] for chart in resolved.settings["charts"]][:1] == ["key-figures"]
    assert resolved.declared_in("charts") == BUILTIN_ROOT / "quarterly-briefing" / "theme.yaml"
    assert resolved.declared_in("switches") == BUILTIN_ROOT / "base" / "theme.yaml"
    assert resolved.template_roots == [report_dir.resolve(), theme.resolve()]
    assert resolved.readable_folders[-1] == report_dir.resolve() / "assets"
    assert resolved.watched_folders[:2] == [report_dir.resolve(), theme.resolve()]


def test_a_named_theme_in_the_report_folder_shadows_the_builtin(report_dir):
    shadow = report_dir / "templates" / "investor-summary"
    shadow.mkdir(parents=True)
    (shadow / "theme.yaml").write_text("extends: base\ntitle: Our Summary\n", encoding="utf-8")
    resolved = resolve_theme("investor-summary", report_dir)
    assert resolved.theme.source == "report folder"
    assert resolved.search_path == ((report_dir / "templates").resolve(), shadow.resolve(), BUILTIN_ROOT / "base")
    assert resolved.config.title == "Our Summary"
    assert resolved.label(shadow / "report.html") == "report folder:templates/investor-summary/report.html"


def test_without_report_templates_the_path_is_the_chain(example_dir):
    resolved = resolve_theme("press-release", example_dir)
    assert resolved.search_path == (BUILTIN_ROOT / "press-release", BUILTIN_ROOT / "base")
    assert resolved.theme_dir is None and resolved.template_roots == [example_dir.resolve()]
    assert resolved.label(BUILTIN_ROOT / "base" / "base.html") == "builtin:base/base.html"


def test_rounding_notes_show_only_when_a_subtotal_differs_by_rounding(report_dir, tmp_path):
    theme = tmp_path / "notes"
    theme.mkdir()
    (theme / "theme.yaml").write_text("name: notes\nextends: investor-summary\nswitches:\n  rounding_notes: true\n",
                                      encoding="utf-8")
    report = load_report(report_dir)
    context = build_context(report, resolve_theme("investor-summary", report_dir, theme))
    rounded = [row for row in context["tie_outs"] if row["status"] == "rounding"]
    assert rounded and context["show"]["rounding_notes"]
    # Publish each rounded subtotal as its lines give it (a subtotal of subtotals may then be
    # the next one off): nothing is left to note.
    figures = report_dir / "figures.csv"
    for _ in range(5):
        lines = figures.read_text(encoding="utf-8").splitlines(keepends=True)
        for row in rounded:
            end, months = row["period_key"].split("/")
            prefix = f"{row['line_id']},{end},{months.rstrip('m')},"
            index = next(i for i, line in enumerate(lines) if line.startswith(prefix))
            lines[index] = prefix + '"' + row["computed"] + '"\n'
        figures.write_text("".join(lines), encoding="utf-8")
        context = build_context(load_report(report_dir), resolve_theme("investor-summary", report_dir, theme))
        rounded = [row for row in context["tie_outs"] if row["status"] == "rounding"]
        if not rounded:
            break
    assert context["rounding_notes"] == [] and context["show"]["rounding_notes"] is False


def test_resolution_errors_name_what_to_do(report_dir, tmp_path, monkeypatch):
    with pytest.raises(ThemeError, match=r"unknown template 'nope'; the available templates are: "
                                         r"investor-summary, press-release, quarterly-briefing"):
        resolve_theme("nope", report_dir)
    folder = tmp_path / "northwind"
    folder.mkdir()
    (folder / "theme.yaml").write_text("extends: base\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ThemeError, match="'northwind' is a theme folder: build it with --theme northwind"):
        resolve_theme("northwind", report_dir)
    with pytest.raises(ThemeError, match="not a theme folder: no theme.yaml"):
        resolve_theme("ignored", report_dir, tmp_path)
    (folder / "theme.yaml").write_text("extends: northwind\n", encoding="utf-8")
    with pytest.raises(ThemeError, match="themes extend each other in a circle: northwind -> northwind"):
        resolve_theme("ignored", report_dir, folder)
    (folder / "theme.yaml").write_text("extends: nowhere\n", encoding="utf-8")
    with pytest.raises(ThemeError, match="unknown template 'nowhere'"):
        resolve_theme("ignored", report_dir, folder)


def test_templates_context_prints_the_show_flags_and_contents(cli):
    result = cli("templates", "context")
    assert result.exit_code == 0, result.output
    printed = {line.split()[0] for line in result.output.splitlines() if line.strip()}
    assert {"show", "show.fx", "show.charts", "show.rounding_notes", "contents", "contents[].part",
            "contents[].title", "report.company.name"} <= printed


def test_an_override_may_test_the_show_flags(report_dir, cli, tmp_path):
    (report_dir / "templates").mkdir()
    (report_dir / "templates" / "report.html").write_text(
        '{% extends "builtin:investor-summary/report.html" %}\n'
        '{% block legend %}{% if show.fx %}<p>Rates: {{ fx.pair }}</p>{% endif %}{% endblock %}\n',
        encoding="utf-8")
    result = cli("build", report_dir, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert "Rates: EUR=CAD" in pdf_pages(Path(result.stdout.strip()))[0]


def test_every_contents_entry_points_at_an_element_of_the_briefing(example_dir):
    """The anchors the context names are the ids the built-in briefing gives its sections, in order."""
    from reporter.build.pipeline import render_report_html

    report, theme = load_report(example_dir), resolve_theme("quarterly-briefing", example_dir)
    html = render_report_html(report, theme).html
    body = html[html.index("</nav>"):]  # after the contents list itself
    positions = [body.find(f'id="{entry["id"]}"') for entry in build_context(report, theme)["contents"]]
    assert -1 not in positions
    assert positions == sorted(positions)
    listed = re.findall(r'data-target="([^"]+)"', html[:html.index("</nav>")])
    assert listed == ["at-a-glance", "highlights"] + [entry["id"] for entry in build_context(report, theme)["contents"]]


def test_a_hostile_section_heading_is_text_in_the_contents_and_fetches_nothing(report_dir, cli, tmp_path):
    """A commentary heading is data the contents list repeats: markup in it stays words on the page
    and in the outline, never an image of /etc/passwd or a link to the network."""
    commentary = report_dir / "commentary.md"
    hostile = 'Ops <img src="file:///etc/passwd"><a href="http://127.0.0.1:9/x">x</a>'
    commentary.write_text(commentary.read_text(encoding="utf-8").replace(
        "## Operations {#operations}", f"## {hostile} {{#operations}}"), encoding="utf-8")
    context = build_context(load_report(report_dir), resolve_theme("quarterly-briefing", report_dir))
    assert hostile in [entry["title"] for entry in context["contents"]]
    result = cli("build", report_dir, "-t", "quarterly-briefing", "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    pdf = Path(result.stdout.strip())
    pages = pdf_pages(pdf)
    assert sum(page.count(hostile) for page in pages) >= 2  # the contents entry and the heading itself
    assert not any("root:" in page for page in pages)
    assert b"/URI" not in pdf.read_bytes() and b"127.0.0.1" not in pdf.read_bytes()


FRENCH_KEEP_TOGETHER = [
    ("terminés le 30 juin 2011", "terminés le 30\u00a0juin\u00a02011"),
    ("le 1er octobre", "le 1er\u00a0octobre"),
    ("de 1,4 million $ pour", "de 1,4\u00a0million\u00a0$ pour"),
    ("soit 25 %", "soit 25\u00a0%"),
    ("pour la mine Los Santos", "pour la mine\u00a0Los\u00a0Santos"),
    ("de Los Santos, en Espagne", "de Los\u00a0Santos, en Espagne"),
    ("en 2011 la mine", "en 2011 la mine"),  # a year alone is left alone
]


@pytest.mark.parametrize("text, expected", FRENCH_KEEP_TOGETHER)
def test_french_running_text_keeps_dates_amounts_and_names_together(text, expected):
    from reporter.context.document import keep_together
    from reporter.inputs.language import load_language
    tidy = keep_together(load_language("fr_CA").rule("typography", "nonbreaking"), ["Mine Los Santos"])
    assert tidy(text) == expected
    html = tidy(Markup(f'<p><a href="https://x.test/30 juin">{text}</a></p>'))
    assert isinstance(html, Markup) and f">{expected}<" in html and 'href="https://x.test/30 juin"' in html


def test_an_optional_group_of_a_keep_together_pattern_joins_nothing():
    # A language's pattern with an optional group (`(\d)? (%)`): where the group takes no part,
    # the words around the space are joined, and no "None" reaches the page.
    from reporter.context.document import keep_together

    tidy = keep_together([r"(\d)? (%)"])
    assert tidy("up 5 % and a %") == "up 5\u00a0% and a\u00a0%"
