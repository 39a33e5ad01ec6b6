"""commentary.md: front matter, lead, sections, and Markdown rendered to sanitised HTML."""

from __future__ import annotations

from pathlib import Path

import pytest

from reporter.inputs.commentary import load_commentary, markdown_to_html, slug
from reporter.context.document import commentary_context
from reporter.errors import DataError


@pytest.fixture(scope="module")
def example_commentary(example_dir):
    return load_commentary(example_dir / "commentary.md")


# --------------------------------------------------------------------------------------------
# Los Santos
# --------------------------------------------------------------------------------------------

LOS_SANTOS_SECTIONS = [
    ("operations", "Operations", "re-commissioned in July 2010"),
    ("exploration", "Exploration", "continue with exploration programmes"),
    ("about", "About Almonty", "225,000 tonnes of ore"),
    ("disclaimer", "Disclaimer for Forward-Looking Information", "forward-looking statements"),
]


def test_section_ids_and_titles_in_order(example_commentary):
    assert [(s.id, s.title) for s in example_commentary.sections] == [(c[0], c[1]) for c in LOS_SANTOS_SECTIONS]


@pytest.mark.parametrize(("section_id", "title", "text"), LOS_SANTOS_SECTIONS, ids=[c[0] for c in LOS_SANTOS_SECTIONS])
def test_section_lookup_and_body(example_commentary, section_id, title, text):
    section = example_commentary.section(section_id)
    assert section.title == title
    assert text in str(section.html)
    assert str(section.html).startswith("<p>")
    assert "##" not in str(section.html) and "{#" not in str(section.html)


def test_discussion_excludes_about_and_disclaimer(example_commentary):
    assert [s.id for s in example_commentary.discussion] == ["operations", "exploration"]
    assert example_commentary.section("results") is None


def test_headline_dateline_and_lead(example_commentary):
    assert example_commentary.headline == (
        "Almonty announces $1.4 million income from mining operations for the Los Santos Mine for the "
        "3 months ended June 30, 2011 and the filing of Los Santos financial statements and MD&A for "
        "the 3 and 9 months ended June 30, 2011")
    assert example_commentary.dateline == "October 3, 2011"
    lead = str(example_commentary.lead)
    assert lead.startswith("<p>Almonty Industries Inc. (“Almonty”) (TSXV: AII) announces the filing")
    assert lead.rstrip().endswith("(see press release\ndated September 28, 2011).</p>")
    assert lead.count("<p>") == 1
    assert "Operations" not in lead


def test_quote_and_contacts_in_context(example_commentary):
    context = commentary_context(example_commentary)
    assert context["quote"] == {
        "text": "The operational results of the Los Santos mine for the 3 and 9 months ended June 30, 2011 "
                "represents a solid operational base for the Management team of Almonty to implement their "
                "planned operational and process improvements aimed at increasing both ore throughput and "
                "tungsten recoveries.",
        "speaker": "Lewis Black", "title": "Chief Executive Officer of Almonty"}
    assert [c["name"] for c in context["contacts"]] == ["Lewis Black", "Dennis Logan"]
    assert context["contacts"][1] == {"name": "Dennis Logan", "role": "Director & CFO",
                                      "telephone": "(416) 594-2892", "email": "dennis.logan@almonty.com"}
    assert context["footnote"].startswith("The Summary Financial information should be read")
    assert "  " not in context["footnote"] and "\n" not in context["footnote"]
    assert context["exchange_notice"].startswith("Neither TSX Venture Exchange")
    assert context["about"]["id"] == "about" and context["disclaimer"]["id"] == "disclaimer"
    assert [s["id"] for s in context["discussion"]] == ["operations", "exploration"]
    assert context["subheadline"] is None


def test_straight_quotes_become_typographic_in_the_disclaimer(example_commentary):
    html = str(example_commentary.section("disclaimer").html)
    assert "“estimate”, “project”, “belief”" in html
    assert "Almonty’s current expectations" in html
    assert '"estimate"' not in html and "&quot;estimate&quot;" not in html


# --------------------------------------------------------------------------------------------
# Sections: explicit ids and slugs
# --------------------------------------------------------------------------------------------

def write(tmp_path: Path, body: str, front: str = "headline: Results\n") -> Path:
    path = tmp_path / "commentary.md"
    path.write_text(f"---\n{front}---\n{body}", encoding="utf-8")
    return path


# (heading line, id, title)
HEADINGS = [
    ("## Operations {#operations}", "operations", "Operations"),
    ("## About Almonty {#about}", "about", "About Almonty"),
    ("## About Almonty", "about-almonty", "About Almonty"),
    ("## Q3 — Results & Outlook!", "q3-results-outlook", "Q3 — Results & Outlook!"),
    ("## Results {#q3-results_2011}", "q3-results_2011", "Results"),
    ("##   Spaced   Title   ", "spaced-title", "Spaced   Title"),
    ("## Title {#bad id}", "title-bad-id", "Title {#bad id}"),
    ("## !!!", "section", "!!!"),
]


@pytest.mark.parametrize(("heading", "section_id", "title"), HEADINGS, ids=[c[1] for c in HEADINGS])
def test_section_id_explicit_or_slug(tmp_path, heading, section_id, title):
    commentary = load_commentary(write(tmp_path, f"Lead.\n\n{heading}\n\nBody.\n"))
    assert [(s.id, s.title) for s in commentary.sections] == [(section_id, title)]
    assert str(commentary.sections[0].html) == "<p>Body.</p>\n"
    assert str(commentary.lead) == "<p>Lead.</p>\n"


SLUGS = [("About Almonty", "about-almonty"), ("Q3 — Results & Outlook!", "q3-results-outlook"),
         ("  Leading and trailing  ", "leading-and-trailing"), ("2011", "2011"), ("—", "section")]


@pytest.mark.parametrize(("text", "expected"), SLUGS)
def test_slug(text, expected):
    assert slug(text) == expected


def test_not_level_two_headings_stay_in_the_section(tmp_path):
    commentary = load_commentary(write(tmp_path, "## Results {#results}\n\n### Mine\n\nText.\n"))
    assert [s.id for s in commentary.sections] == ["results"]
    assert str(commentary.sections[0].html) == "<h3>Mine</h3>\n<p>Text.</p>\n"
    assert str(commentary.lead) == ""


def test_about_and_disclaimer_by_id_only(tmp_path):
    body = "Lead.\n\n## About Us\n\nA.\n\n## Legal {#disclaimer}\n\nB.\n\n## Outlook {#outlook}\n\nC.\n"
    commentary = load_commentary(write(tmp_path, body))
    assert [s.id for s in commentary.discussion] == ["about-us", "outlook"]
    assert commentary.section("disclaimer").title == "Legal"


def test_heading_inside_a_code_block_is_not_a_section(tmp_path):
    commentary = load_commentary(write(tmp_path, "Lead.\n\n```\n## not a heading\n```\n"))
    assert commentary.sections == ()
    assert "## not a heading" in str(commentary.lead)


# --------------------------------------------------------------------------------------------
# Sanitisation
# --------------------------------------------------------------------------------------------

# (id, Markdown, must be in the HTML, must not be in the HTML)
SANITISATION = [
    ("script-tag", "Revenue **rose**.<script>alert(1)</script>",
     ["<strong>rose</strong>", "&lt;script&gt;alert(1)&lt;/script&gt;"], ["<script"]),
    ("script-block", "<script>\nalert(1)\n</script>\n", ["&lt;script&gt;"], ["<script"]),
    ("img-onerror", '<img src=x onerror="alert(1)">', ["&lt;img src=x onerror="], ["<img"]),
    ("img-onerror-inline", "text <img src=x onerror=alert(1)> more", ["&lt;img"], ["<img"]),
    ("javascript-link", "[click](javascript:alert(1))", ["<a", ">click</a>"], ["javascript:", "href"]),
    ("javascript-link-mixed-case", "[click](JaVaScRiPt:alert(1))", [">click</a>"], ["href", "JaVaScRiPt:"]),
    ("javascript-autolink", "<javascript:alert(1)>", [], ["href"]),
    ("javascript-image", "![x](javascript:alert(1))", ['alt="x"'], ["src=", "javascript:alert(1)\""]),
    ("vbscript-link", "[x](vbscript:msgbox(1))", [">x</a>"], ["href"]),
    ("raw-anchor", '<a href="javascript:alert(1)">x</a>', ["&lt;a href="], ["<a "]),
    ("raw-div", '<div onclick="x()">hi</div>', ["&lt;div"], ["<div"]),
    ("raw-iframe", '<iframe src="https://example.com"></iframe>', ["&lt;iframe"], ["<iframe"]),
    ("raw-style", "<style>body { display: none }</style>", ["&lt;style&gt;"], ["<style"]),
    ("raw-html-comment", "<!-- secret -->", ["&lt;!-- secret --&gt;"], ["<!--"]),
    ("safe-link", "[site](https://example.com)", ['<a href="https://example.com" rel="noopener">site</a>'], []),
    ("mailto-link", "[mail](mailto:ir@example.com)", ['href="mailto:ir@example.com"'], []),
    ("local-image-kept", "![x](file:///etc/passwd)", ['<img src="file:///etc/passwd" alt="x">'], []),
    ("network-image-kept", '![chart](http://127.0.0.1/c.png "t")',
     ['<img src="http://127.0.0.1/c.png" alt="chart" title="t">'], []),
    ("relative-image-kept", "![logo](assets/logo.svg)", ['<img src="assets/logo.svg" alt="logo">'], []),
    ("heading-1-dropped", "# Big", ["Big"], ["<h1"]),
]


@pytest.mark.parametrize(("case", "markdown", "present", "absent"), SANITISATION, ids=[c[0] for c in SANITISATION])
def test_markdown_is_sanitised(case, markdown, present, absent):
    html = str(markdown_to_html(markdown))
    for fragment in present:
        assert fragment in html, html
    for fragment in absent:
        assert fragment not in html, html


def test_passwd_image_in_a_section_is_kept_for_the_fetcher_to_refuse(tmp_path):
    commentary = load_commentary(write(tmp_path, "## Mine {#mine}\n\n![x](file:///etc/passwd)\n"))
    assert '<img src="file:///etc/passwd" alt="x">' in str(commentary.section("mine").html)


# (Markdown, HTML)
TYPOGRAPHY = [
    ('He said "hello".', "<p>He said “hello”.</p>\n"),
    ("Almonty's mine", "<p>Almonty’s mine</p>\n"),
    ("2010 -- 2011", "<p>2010 – 2011</p>\n"),
    ("Wait...", "<p>Wait…</p>\n"),
    ("Ore & metal", "<p>Ore &amp; metal</p>\n"),
]


@pytest.mark.parametrize(("markdown", "html"), TYPOGRAPHY, ids=[c[0] for c in TYPOGRAPHY])
def test_typography(markdown, html):
    assert str(markdown_to_html(markdown)) == html


def test_markdown_table_renders():
    html = str(markdown_to_html("| a | b |\n|---|---|\n| 1 | 2 |\n"))
    assert "<table>" in html and "<th>a</th>" in html and "<td>2</td>" in html


def test_markdown_table_keeps_right_alignment():
    html = str(markdown_to_html("| Year | Revenue |\n|---|--:|\n| 2011 | 4,421 |\n"))
    assert 'align="right"' in html or "text-align:right" in html


# --------------------------------------------------------------------------------------------
# Mistakes
# --------------------------------------------------------------------------------------------

# (id, whole file, line number in the message or None, what the message says)
BAD_COMMENTARY = [
    ("no-front-matter", "# Results\n\nText.\n", 1, "no front matter"),
    ("unclosed-front-matter", "---\nheadline: x\n\nText.\n", 1, "no front matter"),
    ("invalid-yaml", "---\nheadline: Results\ndateline: a: b\n---\nText.\n", 3, "invalid front matter: mapping values are not allowed here"),
    ("invalid-yaml-later", "---\nheadline: Results\ndateline: x\nfootnote: >-\n  ok\nquote: {text: a: b}\n---\nText.\n", 6,
     "invalid front matter"),
    ("front-matter-list", "---\n- headline\n---\nText.\n", 2, "front matter must be a mapping"),
    ("no-headline", "---\ndateline: October 3, 2011\n---\nText.\n", None, "front matter has no `headline`"),
    ("blank-headline", "---\nheadline: '  '\n---\nText.\n", None, "front matter has no `headline`"),
    ("unknown-key", "---\nheadline: x\nauthor: y\n---\nText.\n", None, "unknown front matter key(s): author"),
    ("quote-without-text", "---\nheadline: x\nquote: {speaker: Lewis Black}\n---\nText.\n", None, "`quote` needs `text`"),
    ("quote-not-a-mapping", "---\nheadline: x\nquote: Great quarter\n---\nText.\n", None, "`quote` needs `text`"),
    ("contact-without-name", "---\nheadline: x\ncontacts:\n  - role: CEO\n    email: ceo@example.com\n---\nText.\n",
     None, "`contacts` must be a list of entries with at least a `name`"),
    ("contacts-not-a-list", "---\nheadline: x\ncontacts: Lewis Black\n---\nText.\n", None,
     "`contacts` must be a list of entries with at least a `name`"),
    ("duplicate-section-id", "---\nheadline: x\n---\nLead.\n\n## One {#ops}\n\nA.\n\n## Two {#ops}\n\nB.\n", 10,
     "two sections with the id 'ops'"),
    ("duplicate-slug", "---\nheadline: x\n---\nLead.\n\n## Outlook\n\nA.\n\n## outlook\n\nB.\n", 10,
     "two sections with the id 'outlook'"),
    ("explicit-id-clashes-with-slug", "---\nheadline: x\n---\n## About Us\n\nA.\n\n## Us {#about-us}\n\nB.\n", 8,
     "two sections with the id 'about-us'"),
    ("not-utf8", None, 2, "not UTF-8 text: byte 0xe9"),
]


@pytest.mark.parametrize(("case", "text", "line", "says"), BAD_COMMENTARY, ids=[c[0] for c in BAD_COMMENTARY])
def test_bad_commentary_is_a_data_error(tmp_path, case, text, line, says):
    path = tmp_path / "commentary.md"
    if text is None:
        path.write_bytes("---\nheadline: Résultats\n---\n".encode("latin-1"))
    else:
        path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as info:
        load_commentary(path)
    error = info.value
    assert error.line == line
    expected_place = f"{path}:{line}: " if line is not None else f"{path}: "
    assert str(error).startswith(f"data error: {expected_place}"), str(error)
    assert says in str(error)


def test_missing_commentary_file(tmp_path):
    with pytest.raises(DataError, match="commentary file not found"):
        load_commentary(tmp_path / "commentary.md")


def test_windows_line_endings(tmp_path):
    path = tmp_path / "commentary.md"
    path.write_bytes(b"---\r\nheadline: Results\r\n---\r\nLead.\r\n\r\n## Outlook {#outlook}\r\n\r\nText.\r\n")
    commentary = load_commentary(path)
    assert commentary.headline == "Results"
    assert [s.id for s in commentary.sections] == ["outlook"]


def test_byte_order_mark_is_ignored(tmp_path):
    path = tmp_path / "commentary.md"
    path.write_bytes("---\nheadline: Results\n---\nLead.\n".encode("utf-8-sig"))
    assert load_commentary(path).headline == "Results"
