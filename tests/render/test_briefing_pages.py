"""The quarterly briefing's pages, read back from the PDF: the contents point at the page where
each part starts, the highlight sentences follow the headline on the Highlights page, every
chart sits on the page of its title with a value on every bar, and no chart pushed to the next
page leaves the page before it emptier than 30%. For Los Santos and a five-column table with
losses, in English and French (issue 19)."""

from __future__ import annotations

import html as html_lib
import re
from pathlib import Path

import pdfplumber
import pytest

from helpers import FIXTURES, Cli, pdf_pages

CONTENTS_TITLES = {"en": "Contents", "fr": "Table des matières"}
FRENCH_LABELS = {
    "Summary Financial Information": "Sommaire des informations financières",
    "Revenue": "Produits", "Cost of sales": "Coût des ventes",
    "Gross profit (loss)": "Bénéfice brut (perte brute)",
    "Depreciation and depletion": "Amortissement et épuisement",
    "General and administrative": "Frais généraux et administratifs",
    "Impairment of mineral properties": "Dépréciation des propriétés minières",
    "Other (income) expense": "Autres (produits) charges",
    "Net earnings (loss) before tax": "Bénéfice net (perte nette) avant impôts",
}


def build_both(cli: Cli, folder: Path | None, out: Path, *extra: str) -> dict[str, dict[str, Path]]:
    """Build the briefing in every language as PDF and HTML: {lang: {"pdf": path, "html": path}}."""
    built: dict[str, dict[str, Path]] = {}
    for fmt in ("pdf", "html"):
        args = ([folder] if folder else []) + ["-t", "quarterly-briefing", "--lang", "all", "-f", fmt,
                                               "-o", out / fmt, *extra]
        result = cli("build", *args)
        assert result.exit_code == 0, result.output
        for line in result.stdout.split():
            lang = "fr" if "-fr-ca" in line else "en"
            built.setdefault(lang, {})[fmt] = Path(line)
    assert set(built) == {"en", "fr"}, built
    return built


@pytest.fixture(scope="module")
def los_santos(tmp_path_factory) -> dict[str, dict[str, Path]]:
    return build_both(Cli(), None, tmp_path_factory.mktemp("ls"))


@pytest.fixture(scope="module")
def five_columns(tmp_path_factory) -> dict[str, dict[str, Path]]:
    """A five-column table with losses, ingested, given French labels and commentary."""
    cli, tmp = Cli(), tmp_path_factory.mktemp("five")
    folder = tmp / "report"
    result = cli("ingest", FIXTURES / "layouts" / "five-columns-losses.tsv", "--out", folder,
                 "--company-name", "Test Mining Corp.", "--fiscal-year-end", "12-31")
    assert result.exit_code == 0, result.output
    settings = folder / "report.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace(
        'fiscal_year_end:', "languages: [en_CA, fr_CA]\nfiscal_year_end:", 1), encoding="utf-8")
    statement = folder / "statement.yaml"
    text = statement.read_text(encoding="utf-8")
    for english, french in FRENCH_LABELS.items():
        assert f": {english}\n" in text, english
        text = text.replace(f": {english}\n", f': {{en: "{english}", fr: "{french}"}}\n')
    statement.write_text(text, encoding="utf-8")
    (folder / "commentary.fr.md").write_text((folder / "commentary.md").read_text(encoding="utf-8"),
                                             encoding="utf-8")
    return build_both(cli, folder, tmp / "out", "--draft")


CASES = [("los_santos", "en"), ("los_santos", "fr"), ("five_columns", "en"), ("five_columns", "fr")]


@pytest.fixture(params=CASES, ids=["-".join(case) for case in CASES])
def briefing(request) -> tuple[str, Path, str]:
    """(language, PDF, HTML text) of one built briefing."""
    name, lang = request.param
    built = request.getfixturevalue(name)[lang]
    return lang, built["pdf"], built["html"].read_text(encoding="utf-8")


def squeeze(text: str) -> str:
    """Text without any space, for comparing a sentence with the lines it was set in."""
    return re.sub(r"\s+", "", text)


def contents(pages: list[str], lang: str) -> tuple[int, list[tuple[str, int]]]:
    """The contents page's number and its entries (title, page number printed)."""
    title = CONTENTS_TITLES[lang]
    number = next(n for n, text in enumerate(pages, 1) if title in text.splitlines())
    lines = pages[number - 1].splitlines()
    entries = []
    for line in lines[lines.index(title) + 1:]:
        match = re.fullmatch(r"(.+?)\s+(\d+)", line.strip())
        if match is None:
            break
        entries.append((match[1], int(match[2])))
    return number, entries


def spaced(text: str) -> str:
    """A pattern for `text` whatever its spaces (a no-break space reads back as a space)."""
    return r"\s+".join(map(re.escape, text.split()))


def heading_page(pages: list[str], title: str, after: int) -> int:
    """The first page after `after` with a line that is `title` (any case, a footnote mark)."""
    wanted = re.compile(spaced(title) + r"[1¹]?", re.IGNORECASE)
    for number, text in enumerate(pages, 1):
        if number > after and any(wanted.fullmatch(line.strip()) for line in text.splitlines()):
            return number
    raise AssertionError(f"no page after {after} has the heading {title!r}")


def test_contents_point_at_the_page_where_each_part_starts(briefing):
    lang, pdf, _ = briefing
    pages = pdf_pages(pdf)
    number, entries = contents(pages, lang)
    assert len(entries) >= 8, entries
    # Looked for from the page of the entry before: a chart label may repeat a title earlier.
    # "At a glance" shares the contents page: its heading is looked for from that page on.
    found = number
    for title, printed in entries:
        found = heading_page(pages, title, found - 1)
        assert found == printed, f"{title!r}: the contents say page {printed}, it starts on {found}"


def chart_figures(html: str) -> list[dict]:
    """Each chart of the HTML: its title, the start of its caption, its bars and value labels."""
    figures = []
    for figure in re.findall(r'<figure class="chart".*?</figure>', html, flags=re.S):
        title = html_lib.unescape(re.search(r'<h3 class="chart-title">(.*?)</h3>', figure)[1])
        caption = html_lib.unescape(re.search(r'<span class="chart-caption">(.*?)</span>', figure)[1])
        values = [html_lib.unescape(v) for v in re.findall(r'<text class="value"[^>]*>([^<]*)</text>', figure)]
        bars = re.findall(r'<rect class="bar\b', figure)
        figures.append({"title": title, "caption": caption, "values": values, "bars": len(bars)})
    return figures


def test_every_bar_has_its_value_printed_on_the_page_of_its_chart(briefing):
    lang, pdf, html = briefing
    figures = chart_figures(html)
    assert len(figures) >= 2
    pages = pdf_pages(pdf)
    contents_page, _ = contents(pages, lang)
    with pdfplumber.open(pdf) as document:
        for figure in figures:
            # A nil bar draws no rectangle but still has its value.
            assert figure["bars"] and len(figure["values"]) >= figure["bars"], figure
            number = heading_page(pages, figure["title"], contents_page)
            page = document.pages[number - 1]
            title = page.search(spaced(figure["title"]))
            caption = [match for match in page.search(spaced(" ".join(figure["caption"].split()[:6])))
                       if title and match["top"] > title[0]["top"]]
            assert title and caption, (figure["title"], number)
            # The title, then the drawing, then its caption: on one page, in that order.
            top, bottom = title[0]["top"], caption[0]["bottom"]
            assert top < caption[0]["top"]
            drawn = squeeze(page.crop((0, top, page.width, bottom)).extract_text())
            for value in figure["values"]:
                assert squeeze(value) in drawn, (figure["title"], value)


def test_highlight_sentences_follow_the_headline_on_the_highlights_page(briefing):
    lang, pdf, html = briefing
    pages = pdf_pages(pdf)
    contents_page, entries = contents(pages, lang)
    highlights = entries[1]  # at a glance, then highlights
    sentences = [html_lib.unescape(re.sub(r"<[^>]+>", "", s)) for s in
                 re.findall(r"<li>(.*?)</li>", re.search(r'<section class="narrative">.*?</section>',
                                                         html, flags=re.S)[0], flags=re.S)]
    assert sentences
    headline = html_lib.unescape(re.search(r'<h1 class="headline"[^>]*>(.*?)</h1>', html, flags=re.S)[1])
    page_text = squeeze(pages[highlights[1] - 1])
    assert squeeze(highlights[0]).casefold() in page_text.casefold()
    for sentence in sentences:
        assert squeeze(sentence) in page_text, sentence
    assert page_text.index(squeeze(headline)[:30]) < page_text.index(squeeze(sentences[0])[:30])
    # And nowhere else: not under the charts' title.
    for number, text in enumerate(pages, 1):
        if number != highlights[1]:
            assert squeeze(sentences[0]) not in squeeze(text), number


def lowest_content(page, top_margin: float, bottom_margin: float) -> float:
    """Share of the page's text area used, down to the lowest text or drawing inside it."""
    # Leaving out a draft's watermark: letters far larger than any heading.
    objects = [c for c in page.chars if c["size"] < 30] + page.rects + page.lines + page.curves + page.images
    inside = [o["bottom"] for o in objects
              if o["top"] >= top_margin - 1 and o["bottom"] <= page.height - bottom_margin + 1]
    area = page.height - top_margin - bottom_margin
    return (max(inside, default=top_margin) - top_margin) / area


def test_a_chart_pushed_to_the_next_page_leaves_the_page_before_full(briefing):
    lang, pdf, html = briefing
    pages = pdf_pages(pdf)
    contents_page, _ = contents(pages, lang)
    margin_top, margin_bottom = 21 * 72 / 25.4, 22 * 72 / 25.4  # theme.yaml's page.margin
    figures = chart_figures(html)
    assert figures
    with pdfplumber.open(pdf) as document:
        for figure in figures:
            number = heading_page(pages, figure["title"], contents_page)
            page = document.pages[number - 1]
            first = min((w for w in page.extract_words() if w["top"] > margin_top - 1), key=lambda w: w["top"])
            if not squeeze(figure["title"]).startswith(squeeze(first["text"])):
                continue  # the chart follows something on its page
            before = document.pages[number - 2]
            # A page starting with a section's title breaks on purpose; a chart alone at the top
            # was pushed over: the page before must be at least 70% full.
            fill = lowest_content(before, margin_top, margin_bottom)
            assert fill >= 0.7, (figure["title"], number, round(fill, 2))


def contrast_with_white(colour: str) -> float:
    """WCAG contrast ratio of a #rrggbb colour against the white page."""
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    luminance = 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
    return 1.05 / (luminance + 0.05)


def test_the_palest_bars_stand_out_from_the_page(briefing):
    """Three periods: the earliest's bars were the brand's muted tint, 1.7:1 on white, barely seen."""
    _, _, html = briefing
    fills = set(re.findall(r'<rect class="bar\b[^>]*\bfill="(#[0-9a-fA-F]{6})"', html))
    assert len(fills) >= 3, fills
    palest = min(fills, key=contrast_with_white)
    assert contrast_with_white(palest) >= 2.0, palest
    assert contrast_with_white("#b9c6d3") < 2.0  # the tint that was barely visible fails this


LONG_HEADING = ("Operations at the Los Santos Mine in western Spain, the tungsten project wholly owned "
                "by the subsidiary Daytal Resources Spain")


def test_a_long_contents_title_wraps_with_its_number_on_its_last_line(cli, report_dir, tmp_path):
    commentary = report_dir / "commentary.md"
    text = commentary.read_text(encoding="utf-8")
    assert "## Operations {#operations}" in text
    commentary.write_text(text.replace("## Operations {#operations}", f"## {LONG_HEADING} {{#operations}}"),
                          encoding="utf-8")
    result = cli("build", report_dir, "-t", "quarterly-briefing", "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    with pdfplumber.open(Path(result.stdout.strip())) as document:
        page = document.pages[1]
        words = page.extract_words()
        first = next(w for w in words if w["text"] == "Operations")
        last = next(w for w in words if w["text"] == "Spain" and w["top"] > first["top"])
        number = next(w for w in words if re.fullmatch(r"\d+", w["text"]) and abs(w["bottom"] - last["bottom"]) < 2)
        assert last["top"] > first["bottom"]  # wrapped, not run off the page
        assert number["x1"] <= page.width - 20 * 72 / 25.4 + 1 and number["x0"] > last["x1"]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_at_a_glance_panels_keep_to_the_page_margins(los_santos, lang):
    """The key figure panels under At a glance line up with the title and the margins table: the
    table that sets them is shifted once (base.css), not once more by the briefing's own margins."""
    with pdfplumber.open(los_santos[lang]["pdf"]) as pdf:
        page = next(p for p in pdf.pages if "Margins" in (p.extract_text() or "") or "Marges" in (p.extract_text() or ""))
        title = next(w for w in page.extract_words() if w["text"] in ("At", "En", "Aperçu"))
        glance = [r for r in page.rects if r["height"] > 60 and r["top"] > title["top"]]
        assert glance, "no key figure panels found"
        assert min(r["x0"] for r in glance) == pytest.approx(title["x0"], abs=1.0)
        assert max(r["x1"] for r in glance) == pytest.approx(page.width - title["x0"], abs=1.0)
