"""Hostile inputs, issue 24 part B: what the PDF shows is what was checked, a self-contained `-f html`.

Each case is built like the main corpus (tests/hostile/test_hostile.py): over an output folder
holding a good PDF, asserting exit code 1, one stderr line naming the file and the place, nothing
written, no secret in the output and no connection to the listener.
"""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from helpers import pdf_pages
from test_hostile import (  # noqa: F401  (fixtures used by name)
    FIGURES, NO_ENV, PDF_NAME, SECRET_TOKEN, VALUE_CELL, assert_one_clear_line, block, both, earlier_pdf, env,
    append, extrahead, listener, replace_in, setting, theme, value, write,
)

REPORT_HTML = "templates/report.html"
LINE_2 = "report.html:2"
NET = "http://127.0.0.1:@PORT@"
NETWORK = "never the network"


def html(mutation):
    """Build the case with `-f html`."""
    def mutate(folder: Path, env) -> list[str]:
        mutation(folder, env)
        return ["-f", "html"]
    return mutate


# (id, mutation, file named, place, what the message says)
BAD_HTML = [
    ("html-unquoted-src", html(block(f"<img src={NET}/a.png>")), REPORT_HTML, LINE_2, NETWORK),
    ("html-unquoted-file-path", html(block("<img src=file://@SECRET@>")), REPORT_HTML, LINE_2,
     "outside the report and theme folders"),
    ("html-unquoted-href-link-stylesheet", html(extrahead(f"<link rel=stylesheet href={NET}/a.css>")),
     REPORT_HTML, LINE_2, NETWORK),
    ("html-link-preload", html(extrahead(f"<link rel=preload as=image href={NET}/a.png>")),
     REPORT_HTML, LINE_2, NETWORK),
    ("html-srcset", html(block(f'<img srcset="{NET}/a.png 2x" alt="">')), REPORT_HTML, LINE_2, NETWORK),
    ("html-srcset-second", html(block(f'<picture><source srcset="#x 1x, {NET}/b.png 2x"></picture>')),
     REPORT_HTML, LINE_2, NETWORK),
    ("html-object-data", html(block(f"<object data={NET}/a.svg></object>")), REPORT_HTML, LINE_2, NETWORK),
    ("html-object-svg-file", html(both(write("assets/plan.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>"),
                                          block("<object data=assets/plan.svg></object>"))),
     REPORT_HTML, LINE_2, "cannot be part of the page"),
    ("html-svg-image-href", html(block(f'<svg><image href="{NET}/a.png"/></svg>')), REPORT_HTML, LINE_2,
     NETWORK),
    ("html-svg-xlink-href", html(block(f"<svg><use xlink:href={NET}/a.svg#x /></svg>")), REPORT_HTML,
     LINE_2, NETWORK),
    ("html-video-poster", html(block(f"<video poster={NET}/a.png></video>")), REPORT_HTML, LINE_2, NETWORK),
    ("html-image-set", html(block(f"<p style=\"background: image-set('{NET}/a.png' 1x)\">x</p>")),
     REPORT_HTML, LINE_2, NETWORK),
    ("html-webkit-image-set", html(extrahead(f'<style>p {{ background: -webkit-image-set("{NET}/a.png" 1x) }}'
                                             "</style>")), REPORT_HTML, LINE_2, NETWORK),
    ("html-css-escaped-url", html(extrahead(f"<style>p {{ background: u\\72l({NET}/a.png) }}</style>")),
     REPORT_HTML, LINE_2, NETWORK),
    ("html-css-import-unquoted", html(extrahead(f"<style>@import url({NET}/a.css);</style>")),
     REPORT_HTML, LINE_2, NETWORK),
    ("html-meta-refresh", html(extrahead(f'<meta http-equiv=refresh content="0;url={NET}/">')),
     REPORT_HTML, LINE_2, "would load another page"),
    ("html-script-src", html(extrahead(f"<script src={NET}/a.js></script>")), REPORT_HTML, LINE_2,
     "scripts are not allowed"),
    ("html-script-inline", html(block(f"<SCRIPT>fetch('{NET}/')</SCRIPT>")), REPORT_HTML, LINE_2,
     "scripts are not allowed"),
    ("html-event-handler", html(block(f"<p onclick=\"fetch('{NET}/')\">x</p>")), REPORT_HTML, LINE_2,
     "event handlers run scripts"),
    ("html-event-handler-svg", html(block(f"<svg onload=fetch('{NET}/')></svg>")), REPORT_HTML, LINE_2,
     "event handlers run scripts"),
    ("html-base-href", html(extrahead(f"<base href={NET}/>")), REPORT_HTML, LINE_2, "<base>"),
    ("html-iframe", html(block(f"<iframe src={NET}/></iframe>")), REPORT_HTML, LINE_2, "frames"),
    ("html-embed", html(block(f"<embed src={NET}/a.swf>")), REPORT_HTML, LINE_2, "plugins"),
    ("html-image-name-nul", html(append("commentary.md", "\n![x](assets/a%00b.png)\n")), "commentary.md",
     "commentary.md:", "refused"),
    ("html-image-name-300-characters", html(append("commentary.md", "\n![x](assets/" + "a" * 300 + ".png)\n")),
     "commentary.md", "commentary.md:", "refused"),
    ("html-img-data-html", html(block('<img src="data:text/html,<script>x</script>">')), REPORT_HTML,
     LINE_2, "data: URL"),
]



def test_html_keeps_web_links_and_unlinks_the_rest(cli, report_dir, tmp_path):
    """A link stays clickable to https:, mailto: and #ids; file:, javascript: and paths lose their target."""
    block('<a href=https://almonty.com/ir>ir</a> <a href="mailto:ir@almonty.com">m</a> <a href=#top>t</a> '
          '<a href=file:///etc/passwd>f</a> <a href="javascript:alert(1)">j</a> <a href=commentary.md>c</a>'
          )(report_dir, NO_ENV)
    result = cli("build", report_dir, "-f", "html", "-o", tmp_path)
    assert result.exit_code == 0, result.stderr
    text = Path(result.stdout.strip()).read_text(encoding="utf-8")
    assert '<a href="https://almonty.com/ir">ir</a>' in text
    assert '<a href="mailto:ir@almonty.com">m</a>' in text and '<a href="#top">t</a>' in text
    for unlinked in ("f", "j", "c"):
        assert f"<a>{unlinked}</a>" in text
    for gone in ("file:", "javascript:", "passwd"):
        assert gone not in text


# --- item 10: undefined values wherever they appear -------------------------------------------------

UNDEFINED = "undefined variable: 'missing' is undefined"
BAD_UNDEFINED = [
    ("undefined-in-list", block("{{ [missing] }}"), REPORT_HTML, LINE_2, UNDEFINED),
    ("undefined-in-dict", block("{{ {'a': missing} }}"), REPORT_HTML, LINE_2, UNDEFINED),
    ("undefined-in-tuple", block("{{ (1, missing) }}"), REPORT_HTML, LINE_2, UNDEFINED),
    ("undefined-in-nested-list", block("{{ [[1, [missing]]] }}"), REPORT_HTML, LINE_2, UNDEFINED),
    ("undefined-in-pprint", block("{{ [missing]|pprint }}"), REPORT_HTML, LINE_2, UNDEFINED),
    ("undefined-in-tojson", block("{{ {'a': [missing]}|tojson }}"), REPORT_HTML, LINE_2, UNDEFINED),
    ("undefined-in-format", block("{{ '%s'|format([missing]) }}"), REPORT_HTML, LINE_2, UNDEFINED),
    ("undefined-in-join", block("{{ [1, missing]|join(',') }}"), REPORT_HTML, LINE_2, UNDEFINED),
    ("undefined-in-dict-items", block("{{ dict(a=missing).items()|list }}"), REPORT_HTML, LINE_2, UNDEFINED),
    ("undefined-attribute-in-list", block("{{ [report.no_such_key] }}"), REPORT_HTML, LINE_2,
     "no_such_key"),
]



# --- item 10: figures whose sign or currency no reader can be sure of -----------------------------

BAD_NOTATION = [
    ("value-euro-code-in-cad", value("EUR4421"), FIGURES, VALUE_CELL, "marked EUR, but the figures are in CAD"),
    ("value-euro-sign-in-cad", value("€4421"), FIGURES, VALUE_CELL, "marked €, but the figures are in CAD"),
    ("value-us-dollar-in-cad", value('"US$4,421"'), FIGURES, VALUE_CELL, "marked US$"),
    ("value-trailing-code-in-cad", value('"4,421 USD"'), FIGURES, VALUE_CELL, "marked USD"),
    ("value-minus-in-parentheses", value('"(-4,421)"'), FIGURES, VALUE_CELL, "sign inside parentheses"),
    ("value-dollar-minus-in-parentheses", value('"($-4,421)"'), FIGURES, VALUE_CELL, "sign inside parentheses"),
    ("value-plus-in-parentheses", value('"(+4,421)"'), FIGURES, VALUE_CELL, "sign inside parentheses"),
    ("value-parentheses-twice", value('"(($4,421))"'), FIGURES, VALUE_CELL, "parentheses twice"),
]

# --- item 10: a theme font that cannot load is an error, not a system font ----------------------

FONT_FACE = '@font-face {{ font-family: "Agency Sans"; src: url({src}); }}\n'
AGENCY_YAML = "name: agency\nextends: investor-summary\nfonts:\n  figures: \"'Agency Sans', sans-serif\"\n"


def font_theme(font: bytes, src: str = "fonts/agency.ttf", yaml: str = AGENCY_YAML):
    """A theme whose fonts.css declares "Agency Sans" from `font` (written as bytes)."""
    make = theme({"theme.yaml": yaml, "assets/fonts.css": FONT_FACE.format(src=src)})

    def mutate(folder: Path, env) -> list[str]:
        extra = make(folder, env)
        (folder.parent / "agency-theme" / "assets" / "fonts").mkdir(parents=True, exist_ok=True)
        (folder.parent / "agency-theme" / "assets" / "fonts" / "agency.ttf").write_bytes(font)
        return extra
    return mutate


REGULAR_TTF = Path(__file__).parents[2] / "templates" / "base" / "assets" / "fonts" / "SourceSansPro-Regular.ttf"
UNLOADABLE = "font-face 'Agency Sans' cannot be loaded"


def edited_font(edit) -> bytes:
    """Source Sans Pro Regular with `edit(font)` applied: what a hostile theme could ship."""
    import io

    from fontTools.ttLib import TTFont

    font = TTFont(REGULAR_TTF, lazy=False)
    font.ensureDecompiled()
    edit(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def swap_cmap(a: str, b: str):
    def edit(font) -> None:
        done = set()  # subtables may share one mapping: swapping it twice would undo the swap
        for table in font["cmap"].tables:
            if id(table.cmap) not in done and ord(a) in table.cmap and ord(b) in table.cmap:
                table.cmap[ord(a)], table.cmap[ord(b)] = table.cmap[ord(b)], table.cmap[ord(a)]
                done.add(id(table.cmap))
    return edit


def swap_outlines(a: str, b: str):
    """Keep the cmap and the glyph names; exchange what the two glyphs draw."""
    def edit(font) -> None:
        glyf, hmtx = font["glyf"], font["hmtx"]
        for name in ("four", "nine"):
            glyf[name].expand(glyf)
        glyf.glyphs[a], glyf.glyphs[b] = glyf.glyphs[b], glyf.glyphs[a]
        hmtx.metrics[a], hmtx.metrics[b] = hmtx.metrics[b], hmtx.metrics[a]
    return edit


def substitute(source: str, target: str):
    """Make every single substitution of `source` (tnum, pnum, sups...) give `target`."""
    def edit(font) -> None:
        changed = 0
        for lookup in font["GSUB"].table.LookupList.Lookup:
            for table in lookup.SubTable:
                table = getattr(table, "ExtSubTable", table)
                if getattr(table, "mapping", None) and source in table.mapping \
                        and isinstance(table.mapping[source], str):
                    table.mapping[source] = target
                    changed += 1
        assert changed
    return edit


def ligature(components: list[str], target: str):
    """Add a ligature of `components` to the first ligature subtable."""
    def edit(font) -> None:
        from fontTools.ttLib.tables.otTables import Ligature

        for lookup in font["GSUB"].table.LookupList.Lookup:
            for table in lookup.SubTable:
                table = getattr(table, "ExtSubTable", table)
                if hasattr(table, "ligatures"):
                    entry = Ligature()
                    entry.LigGlyph, entry.Component, entry.CompCount = target, components[1:], len(components)
                    table.ligatures.setdefault(components[0], []).insert(0, entry)
                    return
        raise AssertionError("no ligature subtable")
    return edit
BAD_FONTS = [
    ("font-not-a-font", font_theme(b"this is not a font\n"), "fonts.css", "fonts.css:1", UNLOADABLE),
    ("font-empty", font_theme(b""), "fonts.css", "fonts.css:1", UNLOADABLE),
    ("font-truncated", font_theme(REGULAR_TTF.read_bytes()[:2000]), "fonts.css", "fonts.css:1",
     "not a font that can be read"),
    ("font-png-as-font", font_theme(b"\x89PNG\r\n\x1a\n" + b"\0" * 64), "fonts.css", "fonts.css:1", UNLOADABLE),
    ("font-cmap-4-9-swapped", font_theme(edited_font(swap_cmap("4", "9"))), "fonts.css", "fonts.css:1",
     "the font cannot show figures truthfully: the character '4' is drawn like '9'"),
    ("font-cmap-1-7-swapped", font_theme(edited_font(swap_cmap("1", "7"))), "fonts.css", "fonts.css:1",
     "the character '1' is drawn like '7'"),
    ("font-cmap-comma-period-swapped", font_theme(edited_font(swap_cmap(",", "."))), "fonts.css", "fonts.css:1",
     "the character ',' is drawn like '.'"),
    ("font-cmap-parentheses-swapped", font_theme(edited_font(swap_cmap("(", ")"))), "fonts.css", "fonts.css:1",
     "the character '(' is drawn like ')'"),
    ("font-cmap-three-cycle", font_theme(edited_font(lambda f: (swap_cmap("3", "5")(f), swap_cmap("5", "8")(f)))),
     "fonts.css", "fonts.css:1", "is drawn like"),
    ("font-outlines-4-9-swapped", font_theme(edited_font(swap_outlines("four", "nine"))), "fonts.css",
     "fonts.css:1", "the character '4' is drawn like '9' (glyph four)"),
    ("font-two-digits-one-glyph", font_theme(edited_font(lambda f: [t.cmap.__setitem__(ord("4"), "nine")
                                                                     for t in f["cmap"].tables if ord("4") in t.cmap])),
     "fonts.css", "fonts.css:1", "the characters '4' and '9' are drawn alike"),
    ("font-gsub-4-becomes-9", font_theme(edited_font(substitute("four", "nine"))), "fonts.css", "fonts.css:1",
     "a substitution draws '4' as glyph nine, which is drawn like '9'"),
    ("font-gsub-ligature-of-digits", font_theme(edited_font(ligature(["four", "four"], "nine"))), "fonts.css",
     "fonts.css:1", "a ligature joins '4' and '4' into one glyph"),
    ("font-space-draws", font_theme(edited_font(lambda f: [t.cmap.__setitem__(0x20, "nine")
                                                            for t in f["cmap"].tables if 0x20 in t.cmap])),
     "fonts.css", "fonts.css:1", "the space U+0020 draws a glyph"),
    ("font-data-url-swapped", font_theme(b"", src="data:font/ttf;base64,"
                                         + base64.b64encode(edited_font(swap_cmap("4", "9"))).decode()),
     "", "", "the character '4' is drawn like '9'"),
    ("font-unused-family-unloadable", font_theme(b"junk", yaml="name: agency\nextends: investor-summary\n"),
     "fonts.css", "fonts.css:1", UNLOADABLE),
]

# --- item 2: the check reads what the reader sees -------------------------------------------------

COMMENTARY = "commentary.md"
STATEMENT = "statement.yaml"
SETTINGS = "report.yaml"
HEADLINE = ("headline: >-\n  Almonty announces $1.4 million income from mining operations for the Los Santos Mine for "
            "the\n  3 months ended June 30, 2011 and the filing of Los Santos financial statements and MD&A for "
            "the\n  3 and 9 months ended June 30, 2011\n")
HEADLINE_LINE = "commentary.md:2"
SAYS_NINE = "'$9.9 million income from mining operations' but Income From Mining Operations"
SAYS_REVENUE = "'Revenue was $9.9 million' but Revenue for the three months ended June 30, 2011 is 4,421"


def headline(text: str):
    return replace_in(COMMENTARY, HEADLINE, text)


def body(sentence: str):
    """Add a sentence on revenue at the end of the commentary (true: $4.4 million)."""
    return append(COMMENTARY, f"\n{sentence} for the three months ended June 30, 2011.\n")


HIDDEN = "is not allowed: it changes what the reader sees without showing"
BAD_SHOWN = [
    ("commentary-decimal-entity-digit", body("Revenue was $&#57;.9 million"), COMMENTARY, "commentary.md:", SAYS_REVENUE),
    ("commentary-hex-entity-digit", body("Revenue was $&#x39;.9 million"), COMMENTARY, "commentary.md:", SAYS_REVENUE),
    ("commentary-entity-dollar", body("Revenue was &#36;9.9 million"), COMMENTARY, "commentary.md:", SAYS_REVENUE),
    ("commentary-entity-period", body("Revenue was $9&period;9 million"), COMMENTARY, "commentary.md:", SAYS_REVENUE),
    ("commentary-emphasis-in-figure", body("Revenue was $**9**.9 million"), COMMENTARY, "commentary.md:", SAYS_REVENUE),
    ("commentary-code-span-figure", body("Revenue was `$9.9` million"), COMMENTARY, "commentary.md:", SAYS_REVENUE),
    ("commentary-link-text-figure", body("Revenue was [$9.9 million](https://almonty.com)"), COMMENTARY,
     "commentary.md:", SAYS_REVENUE),
    ("front-double-quoted-hex-escape", headline('headline: "Almonty announces $\\x39.9 million income from mining '
                                                'operations for the 3 months ended June 30, 2011"\n'),
     COMMENTARY, HEADLINE_LINE, SAYS_NINE),
    ("front-double-quoted-unicode-escape", headline('headline: "Almonty announces $\\u0039.9 million income from '
                                                    'mining operations for the 3 months ended June 30, 2011"\n'),
     COMMENTARY, HEADLINE_LINE, SAYS_NINE),
    ("front-double-quoted-second-line", headline('headline: "Almonty announces\n  $\\x39.9 million income from mining '
                                                 'operations for the 3 months ended June 30, 2011"\n'),
     COMMENTARY, "commentary.md:3", SAYS_NINE),
    ("commentary-bidi-override-body", body("Revenue was $4.4 million\u202e"), COMMENTARY, "commentary.md:",
     "U+202E (RIGHT-TO-LEFT OVERRIDE), " + HIDDEN),
    ("commentary-bidi-entity-body", body("Revenue was $4.4&#x202E; million"), COMMENTARY, "commentary.md:", "U+202E"),
    ("commentary-bidi-isolate-body", body("Revenue \u2067was $4.4 million"), COMMENTARY, "commentary.md:", "U+2067"),
    ("commentary-arabic-letter-mark", body("Revenue was \u061c$4.4 million"), COMMENTARY, "commentary.md:", "U+061C"),
    ("commentary-zero-width-in-figure", body("Revenue was $4.\u200b4 million"), COMMENTARY, "commentary.md:", "U+200B"),
    ("commentary-soft-hyphen-in-figure", body("Revenue was $4,4\u00ad21 thousand"), COMMENTARY, "commentary.md:",
     "U+00AD (SOFT HYPHEN)"),
    ("commentary-word-joiner-entity", body("Revenue was $4&#x2060;.4 million"), COMMENTARY, "commentary.md:", "U+2060"),
    ("front-bidi-escape-headline", headline('headline: "Almonty announces $1.4 million income\\u202e"\n'),
     COMMENTARY, HEADLINE_LINE, "headline: a bidi control, U+202E"),
    ("front-bidi-raw-headline", headline("headline: Almonty announces $1.4 million income\u202e\n"),
     COMMENTARY, HEADLINE_LINE, "U+202E"),
    ("label-bidi-override", replace_in(STATEMENT, "label: {en: Revenue,", "label: {en: \"Revenue\\u202e\","),
     STATEMENT, "lines[0].label.en", "U+202E"),
    ("label-left-to-right-mark", replace_in(STATEMENT, "label: {en: Revenue,", "label: {en: Revenue\u200e,"),
     STATEMENT, "statement.yaml:12", "U+200E (LEFT-TO-RIGHT MARK)"),
    ("label-zero-width-joiner", replace_in(STATEMENT, "{en: Cost of Sales,", "{en: Cost of\u200dSales,"),
     STATEMENT, "statement.yaml:14", "U+200D"),
    ("subject-bidi-isolate", setting("subject: {en: Los Santos Mine,", "subject: {en: \"Los Santos Mine\\u2066\","),
     SETTINGS, "subject.en", "U+2066"),
    ("company-name-bom", setting("name: Almonty Industries Inc.", 'name: "Almonty\\ufeff Industries Inc."'),
     SETTINGS, "company.name", "U+FEFF"),
    ("value-zero-width-space", value('"$4,\u200b421"'), FIGURES, VALUE_CELL, "not a number"),
    ("value-bidi-override", value('"$4,421\u202e"'), FIGURES, VALUE_CELL, "not a number"),
    ("nil-mark-figure", setting("  locale: en_CA", '  nil_mark: "$9,999"\n  locale: en_CA'), SETTINGS, "",
     "reporting.nil_mark must be a mark"),
    ("nil-mark-digit", setting("  locale: en_CA", "  nil_mark: 7\n  locale: en_CA"), SETTINGS, "",
     "reporting.nil_mark must be a mark"),
    ("nil-mark-dash-and-digit", setting("  locale: en_CA", '  nil_mark: "-1"\n  locale: en_CA'), SETTINGS, "",
     "reporting.nil_mark must be a mark"),
    ("nil-mark-hidden", setting("  locale: en_CA", '  nil_mark: "\\u200b"\n  locale: en_CA'), SETTINGS, "",
     "U+200B"),
]

CORPUS = BAD_HTML + BAD_UNDEFINED + BAD_NOTATION + BAD_FONTS + BAD_SHOWN


@pytest.mark.parametrize(("case", "mutate", "file", "place", "says"), CORPUS, ids=[c[0] for c in CORPUS])
def test_hostile_input_fails_closed(cli, report_dir, tmp_path, env, listener, earlier_pdf,
                                    case, mutate, file, place, says):
    out = tmp_path / "out"
    out.mkdir()
    (out / PDF_NAME).write_bytes(earlier_pdf)
    extra = (mutate(report_dir, env) or []) + ["-o", str(out)]
    connections_before = len(listener[1])

    result = cli("build", report_dir, *extra)

    assert result.exit_code == 1, (result.exit_code, result.output, result.stderr)
    assert_one_clear_line(result, file, place, says)
    assert (out / PDF_NAME).read_bytes() == earlier_pdf
    assert sorted(p.name for p in out.iterdir()) == [PDF_NAME]
    assert SECRET_TOKEN not in result.output
    assert len(listener[1]) == connections_before, listener[1]


def link_targets(pdf: Path) -> list[str]:
    from pypdf import PdfReader

    targets = []
    for page in PdfReader(pdf).pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            if action is not None and "/URI" in action:
                targets.append(str(action["/URI"]))
    return targets


def test_pdf_keeps_web_links_clickable_and_unlinks_local_files(cli, report_dir, tmp_path):
    """`file:///etc/passwd`, a relative path or javascript: print as text, never as a link."""
    block('<a href="https://almonty.com/ir">Investor site</a> <a href="mailto:ir@almonty.com">Mail</a> '
          '<a href="file:///etc/passwd">Passwords</a> <a href=commentary.md>Notes</a> '
          '<a href="javascript:app.alert(1)">Script</a> <a href="smb://host/share">Share</a>')(report_dir, NO_ENV)
    result = cli("build", report_dir, "-o", tmp_path)
    assert result.exit_code == 0, result.stderr
    pdf = tmp_path / PDF_NAME
    targets = link_targets(pdf)
    assert "https://almonty.com/ir" in targets and "mailto:ir@almonty.com" in targets
    assert all(target.startswith(("https://", "http://", "mailto:")) for target in targets), targets
    text = "\n".join(pdf_pages(pdf))
    for shown in ("Investor site", "Passwords", "Notes", "Script", "Share"):
        assert shown in text


def test_an_honest_theme_font_is_used_and_a_swapped_one_refused_in_html(cli, report_dir, tmp_path):
    """The check refuses the swap, not the font: the same font unedited builds, in the PDF and in -f html."""
    extra = font_theme(REGULAR_TTF.read_bytes())(report_dir, NO_ENV)
    result = cli("build", report_dir, *extra, "-o", tmp_path / "pdf")
    assert result.exit_code == 0, result.stderr
    fonts = set()
    from pypdf import PdfReader
    for page in PdfReader(result.stdout.strip()).pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    assert any(name.endswith("+Agency-Sans") for name in fonts), fonts  # the figures font was used
    html = cli("build", report_dir, *extra, "-f", "html", "-o", tmp_path / "html")
    assert html.exit_code == 0, html.stderr

    font_theme(edited_font(swap_cmap("4", "9")))(report_dir, NO_ENV)
    refused = cli("build", report_dir, *extra, "-f", "html", "-o", tmp_path / "refused")
    assert refused.exit_code == 1
    assert_one_clear_line(refused, "fonts.css", "fonts.css:1", "the character '4' is drawn like '9'")
    assert not (tmp_path / "refused").exists()
