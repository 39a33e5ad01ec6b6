"""Font subsetting: the lean fontTools path embeds the same bytes, and the subset cache is safe.

Speed itself is measured by bench/bench.py, never asserted here.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from helpers import REPO, pdf_pages
from reporter.render import fontsubset
from reporter.build.document import build_report
from reporter.render.pdf import Renderer
from reporter.build.outputs import OutputFormat

FONTS = sorted((REPO / "templates" / "base" / "assets" / "fonts").glob("*.ttf"))
# Glyph ids a short English paragraph with figures uses in these fonts, and a wider set.
GLYPH_SETS = [set(range(1, 120)), {3, 17, 36, 68, 69, 70, 1200, 1201}]


@pytest.fixture
def fresh_cache(tmp_path, monkeypatch):
    """An empty disk cache, an empty memory cache, and the clock kept out of the fonts."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    monkeypatch.delenv("REPORTER_FONT_CACHE", raising=False)
    monkeypatch.delenv("REPORTER_FONT_CACHE_MB", raising=False)
    fontsubset._memory.clear()
    yield tmp_path / "cache" / "reporter" / "font-subsets"
    fontsubset._memory.clear()


@pytest.mark.parametrize("font_path", FONTS, ids=lambda p: p.stem)
@pytest.mark.parametrize("glyphs", GLYPH_SETS, ids=["first-120", "sparse"])
def test_lean_fonttools_subset_is_byte_identical_to_weasyprints(font_path, glyphs, monkeypatch):
    from weasyprint.pdf.fonts import Font

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    data = font_path.read_bytes()
    for missing in ({}, {0x2603: 1}):
        plain = SimpleNamespace(file_content=data, index=0, missing=missing, family=font_path.stem)
        Font._fonttools_subset(plain, glyphs, False)  # WeasyPrint's own method, untouched
        lean = fontsubset.subset_with_fonttools(data, 0, glyphs, hinting=False,
                                                notdef_outline=bool(missing))
        assert plain.file_content != data, "WeasyPrint did not subset: the comparison means nothing"
        assert lean == plain.file_content


def test_lean_subset_never_decompiles_the_layout_tables_it_drops(monkeypatch):
    """fontTools >= 4.68 decompiles GSUB/GPOS inside subset(); the lean path must not reach it."""
    from fontTools.ttLib import TTFont

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    font = REPO / "templates" / "base" / "assets" / "fonts" / "SourceSansPro-Regular.ttf"
    assert {"GSUB", "GPOS"} <= set(TTFont(font).keys())  # else the test proves nothing
    loaded = []
    real = TTFont.__getitem__

    def spy(self, tag):
        loaded.append(tag)
        return real(self, tag)

    monkeypatch.setattr(TTFont, "__getitem__", spy)
    out = fontsubset.subset_with_fonttools(font.read_bytes(), 0, set(range(1, 80)), hinting=False,
                                           notdef_outline=False)
    assert out and not {"GSUB", "GPOS"} & set(loaded)
    monkeypatch.setattr(TTFont, "__getitem__", real)
    assert not {"GSUB", "GPOS"} & set(TTFont(__import__("io").BytesIO(out)).keys())


def test_installed_on_this_weasyprint():
    """A WeasyPrint upgrade that changes Font's subsetting fails here: re-check fontsubset.py."""
    from weasyprint.pdf.fonts import Font

    assert fontsubset.supported()
    assert fontsubset.install()
    Renderer()
    assert Font.subset.__module__ == "reporter.render.fontsubset"


def test_harfbuzz_version_is_the_loaded_one():
    from weasyprint.text.ffi import harfbuzz

    version = fontsubset.harfbuzz_version()
    major, minor, micro = (int(part) for part in version.split("."))
    assert major >= 2 and harfbuzz.hb_version_atleast(major, minor, micro)
    assert not harfbuzz.hb_version_atleast(major, minor, micro + 1)
    assert not harfbuzz.hb_version_atleast(major, minor + 1, 0)
    assert fontsubset.subsetter_name() in (f"harfbuzz-{version}", f"fonttools-{__import__('fontTools').version}")


@pytest.mark.slow
def test_build_is_byte_identical_to_a_plain_weasyprint_render(tmp_path, example_dir):
    """The same HTML and options through unpatched WeasyPrint, in its own process, gives the same PDF."""
    html = tmp_path / "x.html"
    pdf = tmp_path / "x.pdf"
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    env.pop("SOURCE_DATE_EPOCH", None)
    for args in (["-f", "html", "-o", str(html)], ["-o", str(pdf)]):
        subprocess.run([sys.executable, "-m", "reporter", "build", *args], check=True, env=env,
                       cwd=tmp_path, capture_output=True)
    plain = tmp_path / "plain.pdf"
    code = ("import os, sys, weasyprint; os.environ['SOURCE_DATE_EPOCH'] = '0'; "
            "weasyprint.HTML(string=open(sys.argv[1]).read(), base_url=sys.argv[2])"
            ".write_pdf(sys.argv[3], pdf_tags=True, finisher=lambda d, p: d.make_bookmark_tree() "
            "and p.catalog.__setitem__('PageMode', '/UseOutlines'))")  # reporter opens the bookmarks panel
    subprocess.run([sys.executable, "-c", code, str(html), example_dir.resolve().as_uri() + "/",
                    str(plain)], check=True, env=env, capture_output=True)
    assert pdf.read_bytes() == plain.read_bytes()


def test_cached_subset_is_served_without_subsetting_again(fresh_cache, monkeypatch):
    calls = []
    real = fontsubset.subset_with_fonttools

    def counting(*args, **kwargs):
        calls.append(args[2])
        return real(*args, **kwargs)

    monkeypatch.setattr(fontsubset, "subset_with_fonttools", counting)
    data = FONTS[0].read_bytes()
    fonts = [SimpleNamespace(file_content=data, index=0, missing={}, family="x") for _ in range(3)]
    subset = _patched_subset(monkeypatch)
    subset(fonts[0], {1: "a", 2: "b", 40: "c"}, False)
    assert len(calls) == 1 and len(list(fresh_cache.glob("*/*"))) == 1
    fontsubset._memory.clear()  # a new process: only the disk cache is left
    subset(fonts[1], {1: "a", 2: "b", 40: "c"}, False)
    assert len(calls) == 1 and fonts[1].file_content == fonts[0].file_content
    subset(fonts[2], {1: "a", 2: "b", 41: "d"}, False)  # another glyph set: subset again
    assert len(calls) == 2 and fonts[2].file_content != fonts[0].file_content


def test_damaged_cache_entry_is_detected_and_replaced(fresh_cache, monkeypatch):
    subset = _patched_subset(monkeypatch)
    data = FONTS[0].read_bytes()
    first = SimpleNamespace(file_content=data, index=0, missing={}, family="x")
    subset(first, {1: "a", 5: "e"}, False)
    (entry,) = fresh_cache.glob("*/*")
    stored = bytearray(entry.read_bytes())
    stored[-10] ^= 0xFF  # one flipped bit of font data
    entry.write_bytes(bytes(stored))
    fontsubset._memory.clear()
    second = SimpleNamespace(file_content=data, index=0, missing={}, family="x")
    subset(second, {1: "a", 5: "e"}, False)
    assert second.file_content == first.file_content
    assert entry.read_bytes()[32:] == first.file_content  # rewritten whole


def test_cache_is_pruned_oldest_first(tmp_path):
    folder = tmp_path / "subsets"
    for age, name in enumerate(["aa" * 32, "bb" * 32, "cc" * 32]):
        path = folder / name[:2] / name
        path.parent.mkdir(parents=True)
        path.write_bytes(b"x" * 1000)
        os.utime(path, (1000 + age, 1000 + age))
    fontsubset.prune(folder, 2500)
    assert sorted(p.name[:2] for p in folder.glob("*/*")) == ["bb", "cc"]


def test_no_disk_cache_when_turned_off_or_when_fonts_would_carry_the_clock(fresh_cache, monkeypatch):
    subset = _patched_subset(monkeypatch)
    data = FONTS[0].read_bytes()
    monkeypatch.setenv("REPORTER_FONT_CACHE", "off")
    subset(SimpleNamespace(file_content=data, index=0, missing={}, family="x"), {1: "a"}, False)
    assert not fresh_cache.exists()
    monkeypatch.delenv("REPORTER_FONT_CACHE")
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    subset(SimpleNamespace(file_content=data, index=0, missing={}, family="x"), {1: "a", 2: "b"}, False)
    assert not fresh_cache.exists()


def test_key_depends_on_everything_the_subset_depends_on(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    base = dict(font_bytes=b"font", index=0, glyph_ids={1, 2}, hinting=False, notdef_outline=False,
                subsetter="fonttools-4.68.0")
    key = lambda **change: fontsubset.subset_key(**{**base, **change})  # noqa: E731
    variants = [key(font_bytes=b"font2"), key(index=1), key(glyph_ids={1, 3}), key(hinting=True),
                key(notdef_outline=True), key(subsetter="harfbuzz-6.0.0")]
    assert len({key(), *variants}) == 1 + len(variants)
    assert key(glyph_ids={2, 1}) == key()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1")  # fontTools stamps it into the font
    stamped_one = key()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    assert stamped_one != key()


def test_every_edit_shows_and_matches_an_uncached_build(report_dir, tmp_path, monkeypatch, fresh_cache):
    """Preview reuses subsets; an edit with new letters still shows, and equals a cache-less build."""
    renderer = Renderer()
    build = lambda out: build_report(report_dir, template="investor-summary", theme_dir=None,  # noqa: E731
                                     output=out, output_format=OutputFormat.pdf, renderer=renderer)
    first = build(tmp_path / "a").read_bytes()
    commentary = report_dir / "commentary.md"
    text = commentary.read_text()
    commentary.write_text(text.replace("dateline: October 3, 2011", "dateline: Quixotic Zephyr Jinx, 2011"))
    second_path = build(tmp_path / "b")
    second = second_path.read_bytes()
    assert second != first
    assert "QUIXOTIC ZEPHYR JINX, 2011" in pdf_pages(second_path)[0]
    monkeypatch.setenv("REPORTER_FONT_CACHE", "off")
    fontsubset._memory.clear()
    uncached = build_report(report_dir, template="investor-summary", theme_dir=None,
                            output=tmp_path / "c", output_format=OutputFormat.pdf,
                            renderer=Renderer()).read_bytes()
    assert hashlib.sha256(uncached).digest() == hashlib.sha256(second).digest()


def _patched_subset(monkeypatch):
    """Font.subset as install() makes it, on a fresh install (the fontTools path)."""
    from weasyprint.pdf.fonts import Font

    original = Font.subset
    monkeypatch.setattr(Font, "subset", original)  # restored after the test
    monkeypatch.setattr(fontsubset, "_installed", False)
    monkeypatch.setattr(fontsubset, "subsetter_name", lambda: "fonttools-test")
    assert fontsubset.install()
    patched = Font.subset
    Font.subset = original
    return patched


def test_pruning_never_follows_a_link_out_of_the_cache(tmp_path):
    """A subfolder (or entry) of the cache that is a symlink, planted in a shared cache folder,
    would have pruning delete the files it points at, oldest first, as if they were subsets."""
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "thesis.docx").write_bytes(b"x" * 5000)
    (precious / "single.pdf").write_bytes(b"x" * 5000)
    folder = tmp_path / "subsets"
    folder.mkdir()
    (folder / "zz").symlink_to(precious, target_is_directory=True)
    (folder / "aa").mkdir()
    (folder / "aa" / ("aa" * 32)).symlink_to(precious / "single.pdf")
    fontsubset.prune(folder, 0)
    assert sorted(p.name for p in precious.iterdir()) == ["single.pdf", "thesis.docx"]
    assert not (folder / "aa" / ("aa" * 32)).is_symlink()  # a link of ours is only a link: dropped


def test_the_disk_cache_is_pruned_on_the_first_write_and_every_64th(fresh_cache, monkeypatch):
    """Scanning a full cache (64 MB of subsets) takes 19 ms: not for each subset a build writes."""
    from collections import Counter

    from reporter.cache import PRUNE_EVERY

    scans: list[Path] = []
    monkeypatch.setattr(fontsubset, "prune", lambda folder, limit: scans.append(folder))
    monkeypatch.setattr("reporter.cache._writes", Counter())
    for n in range(PRUNE_EVERY + 1):
        fontsubset.write_cached(f"{n:064x}", b"subset")
    assert scans == [fresh_cache] * 2


def test_pruning_deletes_nothing_but_subsets_when_the_folder_is_a_link_elsewhere(fresh_cache, tmp_path,
                                                                                    monkeypatch):
    """`font-subsets` planted as a link to someone's home in a shared cache folder: pruning must
    not take their files for subsets, even when they are too many."""
    home = tmp_path / "home"
    (home / "thesis").mkdir(parents=True)
    (home / "thesis" / "chapter1.tex").write_bytes(b"x" * 5000)
    fresh_cache.parent.mkdir(parents=True, exist_ok=True)
    fresh_cache.symlink_to(home, target_is_directory=True)
    monkeypatch.setenv("REPORTER_FONT_CACHE_MB", "0")
    fontsubset.write_cached("ab" * 32, b"subset")
    assert (home / "thesis" / "chapter1.tex").exists()
