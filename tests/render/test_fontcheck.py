"""The figure-glyph check of theme fonts (reporter.render.fontcheck), on the built-in fonts and edits of them."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from helpers import REPO

from reporter.render import fontcheck
from reporter.render.fontcheck import FontRefused, check_font, font_problem, looks_like_font

FONTS = sorted((REPO / "templates" / "base" / "assets" / "fonts").glob("*.ttf"))


def edited(path: Path, edit) -> bytes:
    from fontTools.ttLib import TTFont

    font = TTFont(path, lazy=False)
    font.ensureDecompiled()
    edit(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def swap(a: str, b: str):
    def edit(font) -> None:
        done = set()
        for table in font["cmap"].tables:
            if id(table.cmap) not in done and ord(a) in table.cmap:
                table.cmap[ord(a)], table.cmap[ord(b)] = table.cmap[ord(b)], table.cmap[ord(a)]
                done.add(id(table.cmap))
    return edit


def test_the_built_in_fonts_pass():
    assert FONTS
    for path in FONTS:
        assert looks_like_font(path.read_bytes())
        check_font(path.read_bytes())


def misdrawn_after_exchange(font: str, a: str, b: str):
    """What the assignment test says when the glyphs of `a` and `b` are exchanged (no font rewrite)."""
    shapes = fontcheck._glyph_shapes((REPO / "templates" / "base" / "assets" / "fonts" / font).read_bytes())[0]
    shapes[a], shapes[b] = shapes[b], shapes[a]
    chars = [ch for ch in fontcheck.FIGURE_CHARACTERS if shapes.get(ch) is not None]
    return fontcheck._misdrawn(chars, __import__("numpy").array([fontcheck._row(shapes[ch], chars) for ch in chars]))


@pytest.mark.parametrize("font", ["SourceSansPro-Regular.ttf", "SourceSerifPro-Bold.ttf", "SourceSansPro-It.ttf"])
def test_every_exchange_of_two_figure_characters_is_refused(font):
    """All 120 exchanges of two of the 16 figure characters, in three faces."""
    pairs = [(a, b) for i, a in enumerate(fontcheck.FIGURE_CHARACTERS) for b in fontcheck.FIGURE_CHARACTERS[i + 1:]]
    assert len(pairs) == 120
    missed = [(a, b) for a, b in pairs if misdrawn_after_exchange(font, a, b) is None]
    assert missed == []


def test_an_exchange_written_into_the_font_is_refused():
    regular = REPO / "templates" / "base" / "assets" / "fonts" / "SourceSansPro-Regular.ttf"
    with pytest.raises(FontRefused, match="the character '6' is drawn like '9'"):
        check_font(edited(regular, swap("6", "9")))


def test_the_work_a_font_can_ask_for_is_bounded(monkeypatch):
    regular = (REPO / "templates" / "base" / "assets" / "fonts" / "SourceSansPro-Regular.ttf").read_bytes()
    monkeypatch.setattr(fontcheck, "MAX_SUBSTITUTES", 3)
    with pytest.raises(FontRefused, match="more than 3 glyphs can stand for figure characters"):
        check_font(regular)
    monkeypatch.setattr(fontcheck, "MAX_SUBSTITUTES", 5_000)
    monkeypatch.setattr(fontcheck, "MAX_OUTLINE_POINTS", 10)
    with pytest.raises(FontRefused, match="more than 10 outline points"):
        check_font(regular)


@pytest.mark.parametrize("data", [b"", b"OTTO" + b"\0" * 40, b"wOF2" + b"\xff" * 100, b"\0\1\0\0garbage"])
def test_a_broken_font_is_refused_not_a_traceback(data):
    with pytest.raises(FontRefused, match="not a font that can be read"):
        check_font(data)
