"""Theme lookup, overrides, `templates init`, and the documented template context."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pypdfium2 as pdfium

from helpers import pdf_pages, table_row
from reporter.context import CONTEXT_DOCS
from reporter.theme.resolve import available_themes

ONE_LINE_OVERRIDE = ('{% extends "builtin:investor-summary/report.html" %}'
                     '{% block legend %}<p class="legend">OVERRIDE WINS</p>{% endblock %}')


def build(cli, *args) -> Path:
    result = cli("build", *args)
    assert result.exit_code == 0, result.output
    return Path(result.stdout.strip())


def test_one_line_override_in_the_report_folder_wins(cli, report_dir, tmp_path):
    (report_dir / "templates").mkdir()
    (report_dir / "templates" / "report.html").write_text(ONE_LINE_OVERRIDE)
    text = pdf_pages(build(cli, report_dir, "-o", tmp_path))[0]
    assert text.startswith("OVERRIDE WINS")
    assert "NOT FOR DISTRIBUTION" not in text
    # The override extended the built-in it replaced: everything else is still there.
    assert table_row(text, "Revenue") == ["$4,421", "$0", "$10,186", "$0"]


def test_html_says_which_template_won(cli, report_dir, tmp_path):
    (report_dir / "templates").mkdir()
    (report_dir / "templates" / "report.html").write_text(ONE_LINE_OVERRIDE)
    html = build(cli, report_dir, "-o", tmp_path, "-f", "html").read_text()
    # Named by where it comes from, never by a path of this machine (-f html is the same anywhere).
    assert ("<!-- template: report folder:templates/report.html; searched: report folder:templates, "
            "builtin:investor-summary, builtin:base -->") in html


def test_theme_folder_wins_over_report_templates(cli, report_dir, tmp_path):
    (report_dir / "templates").mkdir()
    (report_dir / "templates" / "report.html").write_text(ONE_LINE_OVERRIDE)
    theme = tmp_path / "mine"
    theme.mkdir()
    (theme / "theme.yaml").write_text("name: mine\nextends: investor-summary\n")
    (theme / "report.html").write_text(ONE_LINE_OVERRIDE.replace("OVERRIDE WINS", "THEME DIR WINS"))
    text = pdf_pages(build(cli, report_dir, "--theme", theme, "-o", tmp_path / "out"))[0]
    assert text.startswith("THEME DIR WINS")


def test_report_folder_theme_by_name(cli, report_dir, tmp_path):
    theme = report_dir / "templates" / "house"
    theme.mkdir(parents=True)
    (theme / "theme.yaml").write_text("name: house\ntitle: House Briefing\nextends: investor-summary\n")
    pdf = build(cli, report_dir, "-t", "house", "-o", tmp_path)
    assert pdf.name == "almonty-los-santos-mine-q3-2011-house.pdf"
    assert "House Briefing" in pdf_pages(pdf)[0]


def test_circular_extends_is_one_line(cli, report_dir, tmp_path):
    for name, parent in (("a", "b"), ("b", "a")):
        folder = report_dir / "templates" / name
        folder.mkdir(parents=True)
        (folder / "theme.yaml").write_text(f"name: {name}\nextends: {parent}\n")
    result = cli("build", report_dir, "-t", "a", "-o", tmp_path)
    assert result.exit_code == 1
    assert "extend each other in a circle" in result.stderr


def test_css_injection_through_theme_settings_is_refused(cli, tmp_path):
    theme = tmp_path / "evil"
    theme.mkdir()
    (theme / "theme.yaml").write_text(
        "name: evil\nextends: investor-summary\nbrand:\n  primary: 'red; } body { background: url(file:///etc/passwd)'\n")
    result = cli("build", "--theme", theme, "-o", tmp_path / "out")
    assert result.exit_code == 1
    assert "brand.primary" in result.stderr and "is not a plain CSS value" in result.stderr


def count_pixels(pdf: Path, rgb: tuple[int, int, int], page: int = 0) -> int:
    document = pdfium.PdfDocument(str(pdf))
    data = document[page].render(scale=1).to_pil().convert("RGB").tobytes()
    document.close()
    pixels = zip(data[0::3], data[1::3], data[2::3])
    return sum(1 for pixel in pixels if all(abs(a - b) <= 2 for a, b in zip(pixel, rgb)))


def test_templates_init_then_colour_logo_and_block_changes_show(cli, tmp_path):
    result = cli("templates", "init", "acme", "--from", "investor-summary", "--into", tmp_path)
    assert result.exit_code == 0, result.output
    theme = tmp_path / "acme"
    settings = (theme / "theme.yaml").read_text()
    for option in ("primary:", "accent:", "body:", "size:", "margin:", "legend:", "key_figures:",
                   "narrative:", "logo:", "charts:"):
        assert option in settings, option
    assert "# Headings, table rules" in settings  # options are explained
    for block in ("legend", "masthead", "headline", "statement", "quote", "disclaimer"):
        assert f"{{% block {block} %}}" in (theme / "report.html").read_text()

    before = build(cli, "--theme", theme, "-o", tmp_path / "before")
    assert count_pixels(before, (0xE0, 0x1B, 0x84)) == 0

    (theme / "theme.yaml").write_text(settings.replace("primary: '#123a5e'", "primary: '#e01b84'"))
    (theme / "assets" / "acme-logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40"><rect width="120" height="40" fill="#1bbf3a"/></svg>')
    text = (theme / "theme.yaml").read_text().replace("logo: ''", "logo: acme-logo.svg")
    (theme / "theme.yaml").write_text(text)
    template = (theme / "report.html").read_text().replace(
        "{#- {% block headline %}{{ super() }}{% endblock %} -#}",
        "{% block headline %}{{ super() }}<p>Prepared for the annual meeting</p>{% endblock %}")
    (theme / "report.html").write_text(template)

    after = build(cli, "--theme", theme, "-o", tmp_path / "after")
    assert count_pixels(after, (0xE0, 0x1B, 0x84)) > 500  # the new brand colour
    assert count_pixels(after, (0x1B, 0xBF, 0x3A)) > 500  # the new logo
    assert "Prepared for the annual meeting" in pdf_pages(after)[0]


def test_templates_init_refuses_to_overwrite(cli, tmp_path):
    assert cli("templates", "init", "acme", "--into", tmp_path).exit_code == 0
    result = cli("templates", "init", "acme", "--into", tmp_path)
    assert result.exit_code == 1 and "already exists" in result.stderr


# ---- the documented context ---------------------------------------------------------------------

# Values documented as a whole: their inside is the theme's own settings.
OPAQUE = {"theme", "css_variables", "fx.by_period"}  # mappings keyed by data (names, period keys)


def context_keys(value, prefix: str = "") -> set[str]:
    """List the dotted keys of a context: dicts descend, lists of dicts become `key[]`."""
    keys = set()
    if isinstance(value, dict):
        for key, inner in value.items():
            path = f"{prefix}.{key}" if prefix else key
            keys.add(path)
            if path not in OPAQUE:
                keys |= context_keys(inner, path)
    elif isinstance(value, list):
        for item in value:
            keys |= context_keys(item, prefix + "[]")
    return keys


def test_every_context_variable_is_documented(example_dir):
    from reporter.context.figures import Formatter
    from reporter.context import build_context
    from reporter.data.report import load_report
    from reporter.theme.resolve import resolve_theme

    report = load_report(example_dir)
    seen = set()
    for theme in available_themes():
        if theme.name == "base":
            continue
        context = build_context(report, resolve_theme(theme.name, example_dir, None),
                                 Formatter(locale="en_CA", currency="CAD"))
        context["template"] = {"name": "", "path": "", "considered": []}  # added at render time
        keys = context_keys(context)
        undocumented = sorted(keys - set(CONTEXT_DOCS))
        assert undocumented == [], f"{theme.name}: document these in CONTEXT_DOCS (reporter/context/): {undocumented}"
        seen |= keys
    # Optional values that are None (or empty lists) for Los Santos are documented but not seen.
    optional = ("commentary.quote.", "commentary.about.", "commentary.disclaimer.", "key_figures[].prior.",
                "statement.footnotes[].")
    stale = sorted(k for k in set(CONTEXT_DOCS) - seen if not k.startswith(optional))
    assert stale == [], f"documented but in no template's context: {stale}"


def test_filters_format_like_the_context():
    from reporter.context.figures import Formatter

    filters = Formatter(locale="en_CA", currency="CAD").filters()
    assert filters["amount"](Decimal(-407), currency=True) == "($407)"
    assert filters["rate"](Decimal("1.436078")) == "1.436078"
    assert filters["millions"](Decimal(4_421_000)) == "$4.4 million"


def test_narrative_setting_turns_the_sentences_off(cli, report_dir, tmp_path):
    on = "\n".join(pdf_pages(build(cli, report_dir, "-o", tmp_path / "on")))
    assert "Revenue was $4.4 million for the three months ended June 30, 2011" in " ".join(on.split())
    settings = report_dir / "report.yaml"
    settings.write_text(settings.read_text().replace("narrative: true", "narrative: false"))
    off = "\n".join(pdf_pages(build(cli, report_dir, "-o", tmp_path / "off")))
    assert "Revenue was" not in off and "Highlights" not in off
    assert table_row(off, "Revenue") == ["$4,421", "$0", "$10,186", "$0"]
