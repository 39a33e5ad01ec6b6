"""`-f html`: one self-contained file, the same bytes wherever the folders lie."""

from __future__ import annotations

import base64
import re
import shutil
from pathlib import Path

import pytest

from helpers import pdf_pages, REPO
from reporter.render.pdf import Renderer

TEMPLATES = ("investor-summary", "quarterly-briefing", "press-release")


def build_html(cli, report_dir: Path, out: Path, *options) -> Path:
    result = cli("build", report_dir, "-f", "html", "-o", out, *options)
    assert result.exit_code == 0, result.output
    return Path(result.stdout.strip())


def add_commentary_image(report_dir: Path) -> None:
    (report_dir / "assets" / "site.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="40" height="20"/></svg>')
    commentary = report_dir / "commentary.md"
    commentary.write_text(commentary.read_text().replace(
        "## Operations", "![Site plan](assets/site.svg)\n\n## Operations", 1))


@pytest.mark.parametrize("template", TEMPLATES)
def test_html_is_the_same_bytes_from_two_locations(cli, example_dir, tmp_path, template):
    copies = [tmp_path / "a" / "los-santos", tmp_path / "much" / "deeper" / "place" / "los-santos"]
    written = []
    for copy in copies:
        shutil.copytree(example_dir, copy)
        add_commentary_image(copy)
        written.append(build_html(cli, copy, copy.parent / "out", "-t", template))
    first, second = (path.read_bytes() for path in written)
    assert first == second
    text = first.decode("utf-8")
    for leak in ("file:", str(tmp_path), str(REPO)):
        assert leak not in text
    assert text.count("data:font/ttf;base64,") >= 5  # the theme's fonts travel with it
    assert 'class="logo" src="data:image/svg+xml;base64,' in text
    assert '<p><img src="data:image/svg+xml;base64,' in text and 'alt="Site plan"' in text
    assert "<link" not in text  # every stylesheet inlined


def test_html_renders_alone_to_the_same_text_as_the_pdf(cli, example_dir, tmp_path):
    """Rendered with no file access at all, the HTML still gives the PDF's pages."""
    html = build_html(cli, example_dir, tmp_path / "html", "-t", "quarterly-briefing")
    result = cli("build", example_dir, "-t", "quarterly-briefing", "-o", tmp_path / "pdf")
    assert result.exit_code == 0, result.output
    nowhere = tmp_path / "empty"
    nowhere.mkdir()
    alone = Renderer().render(html.read_text(encoding="utf-8"), base_url=nowhere, allowed_roots=[],
                              source=str(html))
    (tmp_path / "alone.pdf").write_bytes(alone)
    assert pdf_pages(tmp_path / "alone.pdf") == pdf_pages(Path(result.stdout.strip()))


def test_html_refuses_a_file_outside_the_folders(cli, report_dir, tmp_path):
    commentary = report_dir / "commentary.md"
    text = commentary.read_text()
    commentary.write_text(text.replace("## About Almonty", "![x](../secret.png)\n\n## About Almonty", 1))
    (tmp_path / "secret.png").write_bytes(b"\x89PNG")
    result = cli("build", report_dir, "-f", "html", "-o", tmp_path / "out")
    assert result.exit_code == 1
    line = text[:text.index("## About Almonty")].count("\n") + 1
    assert result.stderr.strip().splitlines() == [
        f"render error: {commentary}:{line}: reference to {(tmp_path / 'secret.png').as_uri()} refused: "
        "it is outside the report and theme folders"]
    assert not (tmp_path / "out").exists()


def test_css_references_are_parsed_not_searched(tmp_path):
    """Commented-out url()s stay as they are; @import, url() and style attributes are inlined."""
    from reporter.render.html import HtmlDocument
    from reporter.render.html_export import self_contained_html

    assets = tmp_path / "assets"
    assets.mkdir()
    (assets / "x.png").write_bytes(b"PNG")
    (assets / "b.css").write_text('/* url(gone.png) */ .b { background: url("x.png") }')
    (assets / "a.css").write_text('@import "b.css"; .a { background: url(x.png) }')
    html = (f'<link rel="stylesheet" href="{(assets / "a.css").as_uri()}">'
            "<style>.c { background: url(assets/x.png) }</style>"
            "<p style=\"background: url('assets/x.png')\"><img src=\"assets/x.png\"></p>")
    document = HtmlDocument(html=html, base_url=tmp_path, allowed_roots=[assets], template_path="t",
                            template_folders=[])
    text = self_contained_html(document)
    png = "data:image/png;base64,UE5H"
    assert text.count(png) == 4  # a.css, the <style>, the style attribute and the img
    imported = re.search(r"@import url\(data:text/css;base64,([^)]*)\)", text)
    assert base64.b64decode(imported[1]).decode() == f"/* url(gone.png) */ .b {{ background: url({png}) }}"
    assert str(tmp_path) not in text and "file:" not in text


def test_html_refuses_an_image_from_the_network_and_keeps_links(cli, report_dir, tmp_path):
    commentary = report_dir / "commentary.md"
    text = commentary.read_text()
    linked = text.replace("## Operations", "See [our site](https://almonty.com).\n\n## Operations", 1)
    commentary.write_text(linked)
    html = build_html(cli, report_dir, tmp_path / "ok").read_text()
    assert '<a href="https://almonty.com" rel="noopener">our site</a>' in html
    commentary.write_text(text.replace("## Operations", "![x](https://example.com/x.png)\n\n## Operations", 1))
    result = cli("build", report_dir, "-f", "html", "-o", tmp_path / "out")
    assert result.exit_code == 1
    line = text[:text.index("## Operations")].count("\n") + 1
    assert result.stderr.strip().splitlines() == [
        f"render error: {commentary}:{line}: reference to https://example.com/x.png refused: only files "
        "inside the report and theme folders may be used, never the network"]
