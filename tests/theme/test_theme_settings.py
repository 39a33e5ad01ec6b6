"""theme.yaml is checked once, on load: every mistake one line naming theme.yaml and the key."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pytest

from helpers import pdf_pages

from reporter.theme.settings import check_margin, check_page_size
from reporter.theme.resolve import BUILTIN_ROOT, load_theme


def make_theme(tmp_path: Path, settings: str, report_html: str | None = None,
               parent: str = "investor-summary") -> Path:
    theme = tmp_path / "mine"
    (theme / "assets").mkdir(parents=True, exist_ok=True)
    (theme / "theme.yaml").write_text(f"name: mine\nextends: {parent}\n" + settings)
    if report_html is not None:
        (theme / "report.html").write_text(report_html)
    return theme


def build_error(cli, tmp_path: Path, theme: Path) -> str:
    result = cli("build", "--theme", theme, "-o", tmp_path / "out")
    assert result.exit_code == 1, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()
    return lines[0]


@pytest.mark.parametrize("settings,message", [
    ("pgae:\n  size: A4\n", "unknown key 'pgae'; did you mean 'page'?"),
    ("page:\n  sise: A4\n", "unknown key 'page.sise'; did you mean 'size'?"),
    ("page:\n  size: banana\n", "page.size: 'banana' is not a page size"),
    ("page:\n  size: US Letter\n", "page.size: 'US Letter' is not a page size; did you mean 'Letter'?"),
    ("page:\n  size: A4 sideways\n", "page.size: 'A4 sideways' is not a page size"),
    ("page:\n  margin: 30 30 30 30\n", "page.margin: '30 30 30 30': 30 has no unit; write 30mm"),
    ("page:\n  margin: 1mm 2mm 3mm 4mm 5mm\n", "page.margin: '1mm 2mm 3mm 4mm 5mm' must be one to four lengths"),
    ("page:\n  margin: 20mm wide\n", "page.margin: '20mm wide': 'wide' is not a length"),
    ("charts: [bars]\n", "charts item 1: expected a mapping with id and type"),
    ("charts: bars\n", "charts must be a list of charts"),
    ("charts:\n  - {id: a, type: bars}\n  - {id: a, type: bridge}\n", "charts item 2: id 'a' is used twice"),
    ("charts:\n  - {type: bars}\n", "charts item 1: `id` is missing"),
    ("fonts:\n  body: Helvetica, sans-serif\n",
     "fonts.body: font family 'Helvetica' has no font file: declare it with @font-face"),
    ("fonts:\n  body: \"'Source Sans', sans-serif\"\n", "did you mean 'source sans pro'?"),
    ("switches:\n  legnd: false\n", "unknown key 'switches.legnd'; did you mean 'legend'?"),
    ("switches:\n  legend: no thanks\n", "switches.legend must be true or false"),
    ("brand:\n  primary: blue; }\n", "brand.primary: 'blue; }' is not a plain CSS value"),
    ("brand:\n  primary: '#12345'\n", "brand.primary: '#12345' is not a colour"),
    ("brand:\n  primary: banana\n", "brand.primary: 'banana' is not a colour"),
    ("page: A4\n", "page must be a mapping of settings"),
    ("title: [a, b]\n", "title must be text"),
])
def test_theme_yaml_mistakes_name_the_file_and_key(cli, tmp_path, settings, message):
    theme = make_theme(tmp_path, settings)
    line = build_error(cli, tmp_path, theme)
    assert line.startswith(f"theme error: {theme / 'theme.yaml'}: "), line
    assert message in line, line


def test_font_face_rules_are_read_as_css(tmp_path):
    from reporter.theme.settings import declared_fonts

    (tmp_path / "a.css").write_text(
        "/* @font-face { font-family: Commented; src: url(x.ttf); } */\n"
        "@FONT-FACE { font-family: 'House Sans'; src: url(\"f/h.woff2\") format('woff2'), url(f/h.ttf); }\n"
        "@font-face { font-family: Inline; src: url(data:font/ttf;base64,AAAA); }\n")
    assert declared_fonts([tmp_path]) == {"house sans": [tmp_path / "f/h.woff2", tmp_path / "f/h.ttf"],
                                          "inline": []}


def test_a_font_file_that_is_missing_is_named(cli, tmp_path):
    theme = make_theme(tmp_path, "fonts:\n  heading: \"'House Serif', serif\"\n")
    (theme / "assets" / "house.css").write_text(
        '@font-face { font-family: "House Serif"; src: url(fonts/HouseSerif.ttf); }\n')
    line = build_error(cli, tmp_path, theme)
    assert line == (f"theme error: {theme / 'theme.yaml'}: fonts.heading: font family 'House Serif': "
                    f"font file HouseSerif.ttf does not exist ({theme / 'assets' / 'fonts'})")


def test_a_declared_font_with_its_file_is_accepted(tmp_path):
    theme = make_theme(tmp_path, "fonts:\n  heading: \"'House Serif', serif\"\n")
    (theme / "assets" / "fonts").mkdir()
    source = BUILTIN_ROOT / "base" / "assets" / "fonts" / "SourceSerifPro-Regular.ttf"
    (theme / "assets" / "fonts" / "HouseSerif.ttf").write_bytes(source.read_bytes())
    (theme / "assets" / "house.css").write_text(
        '@font-face { font-family: "House Serif"; src: url(fonts/HouseSerif.ttf); }\n')
    assert load_theme(theme, "theme folder").config.fonts["heading"] == "'House Serif', serif"


def test_a_misspelled_block_in_an_override_is_reported(cli, tmp_path):
    theme = make_theme(tmp_path, "", '{% extends "builtin:investor-summary/report.html" %}\n'
                                     "{# charts at the end #}\n"
                                     "{% block chart %}<p>never shown</p>{% endblock %}\n")
    line = build_error(cli, tmp_path, theme)
    assert line.startswith(f"template error: {theme / 'report.html'}:3: block 'chart' is not a block of "
                           "builtin:investor-summary/report.html"), line
    assert line.endswith("did you mean 'charts'?"), line


def test_new_blocks_inside_an_override_and_called_blocks_are_fine(cli, tmp_path):
    theme = make_theme(tmp_path, "", '{% extends "builtin:quarterly-briefing/report.html" %}\n'
                                     "{% block lead %}{% block unaudited %}UNAUDITED FIGURES{% endblock %}"
                                     "{{ super() }}{% endblock %}\n"
                                     "{% block cover %}{{ super() }}{% endblock %}\n",
                       parent="quarterly-briefing")
    result = cli("build", "--theme", theme, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert "UNAUDITED FIGURES" in "\n".join(pdf_pages(Path(result.stdout.strip())))


@pytest.mark.parametrize("size,points", [
    ("A4", (595, 842)), ("A4 landscape", (842, 595)), ("landscape Letter", (792, 612)),
    ("letter", (612, 792)), ('"210mm 297mm"', (595, 842)), ("5in 7in", (360, 504)),
])
def test_page_sizes_people_write_are_honoured(cli, tmp_path, size, points):
    theme = make_theme(tmp_path, f"page:\n  size: {size}\n  margin: 0.5in 12mm 40pt 1cm\n")
    result = cli("build", "--theme", theme, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    document = pdfium.PdfDocument(result.stdout.strip())
    try:
        width, height = document[0].get_size()
    finally:
        document.close()
    assert (round(width), round(height)) == points


@pytest.mark.parametrize("value", ["A4", "a5 portrait", "Legal", "JIS-B5", "auto", "210mm 297mm", "8.5in 11in"])
def test_page_size_accepts_css_sizes(value):
    assert check_page_size(value) == ""


@pytest.mark.parametrize("value", ["0", "18mm", "17mm 18mm", "1in 2in 3in", "17mm 18mm 20mm 18mm", "5%"])
def test_margin_accepts_css_lengths(value):
    assert check_margin(value) == ""


def test_builtin_themes_are_typed(tmp_path):
    theme = load_theme(BUILTIN_ROOT / "press-release", "built-in")
    assert theme.config.page.size == "Letter"
    assert theme.config.switches["section_headings"] is False
    assert theme.config.switches["legend"] is True
    briefing = load_theme(BUILTIN_ROOT / "quarterly-briefing", "built-in")
    assert [chart.type for chart in briefing.config.charts][:2] == ["bars", "bridge"]


def test_every_key_the_built_in_themes_set_is_documented_where_it_is_checked():
    """One table (THEME_KEYS, SUB_KEY_DOCS) both checks theme.yaml and documents it."""
    from reporter.theme.resolve import available_themes
    from reporter.theme.settings import OPTION_DOCS, THEME_KEYS

    themes = available_themes()
    assert themes
    for theme in themes:
        settings = theme.settings
        assert set(settings) <= set(THEME_KEYS), theme.name
        for group in ("brand", "fonts", "page", "switches"):
            for key in settings.get(group) or {}:
                assert f"{group}.{key}" in OPTION_DOCS, (theme.name, f"{group}.{key}")
    assert all(spec.doc and spec.kind in ("text", "mapping", "list") for spec in THEME_KEYS.values())


def test_templates_init_documents_every_key_from_the_same_table(tmp_path):
    from reporter.theme.scaffold import init_theme
    from reporter.theme.settings import OPTION_DOCS

    written = (init_theme("house", "investor-summary", tmp_path) / "theme.yaml").read_text(encoding="utf-8")
    for key in ("brand", "fonts", "page", "switches", "logo", "charts", "margins",
                "brand.primary", "page.size", "switches.legend"):
        assert OPTION_DOCS[key] in written, key
