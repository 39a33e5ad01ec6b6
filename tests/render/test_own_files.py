"""The fetcher skips Pillow's image sniffing for reporter's own built-in theme files only.

Asking Pillow whether a font or a stylesheet is an image loads every one of its format plugins
(0.1 s of CPU a one-shot build, measured with bench/); a file of a report or theme folder is
input and is always measured before WeasyPrint may decode it (tests/hostile/test_bounds.py has
a 13,000 x 13,000 PNG named as a font in a theme, refused).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from reporter.render.pdf import FolderFetcher
from reporter.theme.resolve import BUILTIN_ROOT, builtin_assets as own_assets


def test_only_the_built_in_themes_assets_are_own(tmp_path):
    report = tmp_path / "report"
    (report / "templates" / "base" / "assets").mkdir(parents=True)
    fetcher = FolderFetcher([BUILTIN_ROOT, report])
    font = (BUILTIN_ROOT / "base" / "assets" / "fonts" / "SourceSansPro-Regular.ttf").resolve()
    assert font.is_file()
    assert fetcher.is_own_file(font)
    assert fetcher.is_own_file((BUILTIN_ROOT / "investor-summary" / "assets" / "investor-summary.css").resolve())
    # A report's own theme of the same name, laid out like the built-in one, is input.
    assert not fetcher.is_own_file((report / "templates" / "base" / "assets" / "base.css").resolve())
    assert not fetcher.is_own_file(report.resolve() / "assets" / "logo.png")


def test_a_report_folder_unpacked_among_the_built_in_themes_is_input(tmp_path):
    # A checkout's templates/ holding a received report folder: only the themes' assets are own.
    root = tmp_path / "templates"
    for name in ("base", "investor-summary"):
        (root / name / "assets").mkdir(parents=True)
        (root / name / "theme.yaml").write_text("{}\n", encoding="utf-8")
    (root / "q3-received" / "assets").mkdir(parents=True)
    (root / "q3-received" / "report.yaml").write_text("{}\n", encoding="utf-8")
    owned = own_assets(root)
    assert owned == (root.resolve() / "base" / "assets", root.resolve() / "investor-summary" / "assets")
    fetcher = FolderFetcher([root])
    fetcher.own_assets = owned
    assert fetcher.is_own_file(root.resolve() / "base" / "assets" / "fonts" / "x.ttf")
    assert not fetcher.is_own_file(root.resolve() / "q3-received" / "assets" / "mill.png")
    assert not fetcher.is_own_file(root.resolve() / "base" / "theme.yaml")


@pytest.mark.slow  # starts a process of its own
def test_a_build_on_the_built_in_themes_loads_no_pillow_plugin(tmp_path):
    # The Los Santos PDFs reference no raster image: nothing should make Pillow look for a format.
    code = ("from PIL import Image\n"
            "import reporter.cli.app as app\n"
            "try:\n"
            f"    app.app(['build', '-o', {str(tmp_path / 'x.pdf')!r}], prog_name='reporter')\n"
            "except SystemExit as exit:\n"
            "    assert not exit.code, exit.code\n"
            "print('PILLOW', Image._initialized)\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "PILLOW 0" in result.stdout, result.stdout
    assert Path(tmp_path / "x.pdf").stat().st_size > 10_000


def one_drawn_as_seven() -> bytes:
    """The built-in Source Sans Pro with the glyphs of 1 and 7 swapped."""
    import io

    from fontTools.ttLib import TTFont

    font = TTFont(BUILTIN_ROOT / "base" / "assets" / "fonts" / "SourceSansPro-Regular.ttf")
    swapped_maps: set[int] = set()  # subtables may share one map: swap it once
    for table in font["cmap"].tables:
        if id(table.cmap) not in swapped_maps and ord("1") in table.cmap and ord("7") in table.cmap:
            table.cmap[ord("1")], table.cmap[ord("7")] = table.cmap[ord("7")], table.cmap[ord("1")]
            swapped_maps.add(id(table.cmap))
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def templates_with_a_received_folder(tmp_path: Path) -> Path:
    """A checkout's templates/ with a built-in theme and a received report folder beside it."""
    import shutil

    root = tmp_path / "templates"
    (root / "base" / "assets").mkdir(parents=True)
    (root / "base" / "theme.yaml").write_text("{}\n", encoding="utf-8")
    # The figure check compares with the built-in fonts, found under BUILTIN_ROOT.
    shutil.copytree(BUILTIN_ROOT / "base" / "assets" / "fonts", root / "base" / "assets" / "fonts")
    (root / "q3-received" / "assets").mkdir(parents=True)
    return root


def test_a_font_of_a_report_folder_among_the_built_in_themes_is_checked(tmp_path, monkeypatch):
    # The figure check of fonts follows the same rule as the pixel check: a received report folder
    # in a checkout's templates/ is input, and its font drawing 1 as 7 is refused.
    from reporter.render.pdf import ForbiddenReference
    from reporter.theme import resolve

    root = templates_with_a_received_folder(tmp_path)
    swapped = root / "q3-received" / "assets" / "brand.ttf"
    swapped.write_bytes(one_drawn_as_seven())
    monkeypatch.setattr(resolve, "BUILTIN_ROOT", root)
    fetcher = FolderFetcher([root])
    fetcher.own_assets = own_assets(root)
    with pytest.raises(ForbiddenReference, match="cannot show figures truthfully"):
        fetcher.fetch(swapped.resolve().as_uri())
    # The built-in theme's own assets are still trusted.
    (root / "base" / "assets" / "brand.ttf").write_bytes(one_drawn_as_seven())
    fetcher.fetch((root / "base" / "assets" / "brand.ttf").resolve().as_uri())


def test_html_export_checks_the_same_fonts(tmp_path, monkeypatch):
    # `-f html` inlines fonts by the same rule: a received folder's font among the built-in themes
    # is checked (it was spared as anything under the built-in root).
    from reporter.errors import RenderError
    from reporter.render.html import HtmlDocument
    from reporter.render.html_export import self_contained_html
    from reporter.theme import resolve

    root = templates_with_a_received_folder(tmp_path)
    received = root / "q3-received"
    (received / "assets" / "brand.ttf").write_bytes(one_drawn_as_seven())
    (received / "assets" / "brand.css").write_text(
        '@font-face { font-family: Brand; src: url("brand.ttf"); }', encoding="utf-8")
    monkeypatch.setattr(resolve, "BUILTIN_ROOT", root)
    monkeypatch.setattr(resolve, "builtin_assets", lambda root_=None: own_assets(root))
    html = f'<link rel="stylesheet" href="{(received / "assets" / "brand.css").resolve().as_uri()}"><p>17</p>'
    document = HtmlDocument(html=html, base_url=received, allowed_roots=[root], template_path="t",
                            template_folders=[])
    with pytest.raises(RenderError, match="cannot show figures truthfully"):
        self_contained_html(document)
