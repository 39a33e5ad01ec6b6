"""Font subsetting for the PDF stage: fast on every fontTools, and cached by font and glyph set.

WeasyPrint 70 subsets each embedded font when it writes a PDF, with HarfBuzz when
`libharfbuzz-subset` loads and with fontTools otherwise. Two costs are removed here, without
changing a byte of the fonts it embeds:

- fontTools >= 4.68 wraps `Subsetter.subset()` in `_compact_layout_tables()`, which decompiles
  GSUB and GPOS (about 66 KB of GPOS in each Source font) although WeasyPrint asks for both to be
  dropped: subsetting got 5-8x slower. We delete the two tables before subsetting, which is what
  the subsetter does with them anyway; `tests/test_fontsubset.py` checks the bytes are the same.
- The same font with the same glyphs is subset again on every preview rebuild and in every
  document of a batch. Subsets are kept in memory and under `$XDG_CACHE_HOME/reporter/font-subsets`
  (default `~/.cache`), keyed by a SHA-256 of everything the subset depends on: the font file, the
  face index, the glyph ids, hinting, the `.notdef` outline switch, the subsetter and its version,
  and SOURCE_DATE_EPOCH (fontTools stamps it into the `head` table). Entries carry a digest of
  their content and are checked on read; files are written atomically; the folder is pruned,
  oldest first, above `REPORTER_FONT_CACHE_MB` (default 64). `REPORTER_FONT_CACHE=off` turns the
  disk cache off.

`scoped()` routes `weasyprint.pdf.fonts.Font.subset` through this module for the duration of one
of reporter's renders and puts the host's back afterwards, so a program that imports reporter and
also renders with WeasyPrint itself keeps WeasyPrint as it was; only on the WeasyPrint versions
whose subsetting this module reproduces (on any other, WeasyPrint is left as it is: correct, only
slower). `install()` makes the replacement permanent (tests and benchmarks).

The disk cache lives in `cache_root()/font-subsets`: the folder the caller gives for the current
context (`use_cache_root`, as `reporter.build(cache_dir=...)` does), else `$REPORTER_CACHE_DIR`,
else `$XDG_CACHE_HOME/reporter`, else `~/.cache/reporter`.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import threading
from collections import OrderedDict
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from reporter.cache import cache_root, prune_due, read_entry, use_cache_root, write_entry  # noqa: F401  (use_cache_root: reporter.api, tests)

# The WeasyPrint versions whose Font.subset / _fonttools_subset this module was checked against.
SUPPORTED_WEASYPRINT_MAJORS = ("70",)
DEFAULT_CACHE_MB = 64
MEMORY_ENTRIES = 64  # a few documents' worth of fonts; each subset is 10-60 KB
ENTRY_NAME = re.compile(r"[0-9a-f]{64}|\.\w+\.part")  # a key (subset_key), or write_entry's temporary

_installed = False
_memory: OrderedDict[str, bytes] = OrderedDict()
_scope_lock = threading.Lock()
_scope_depth = 0
_host_subset = None  # the Font.subset that was there before the outermost scoped() render
_scoped_subset = None


def cache_dir() -> Path | None:
    """The disk cache folder of font subsets, or None when the disk cache is off."""
    root = cache_root()
    return None if root is None else root / "font-subsets"


def cache_limit_bytes() -> int:
    """The size above which the disk cache is pruned, from REPORTER_FONT_CACHE_MB."""
    try:
        return max(0, int(float(os.environ.get("REPORTER_FONT_CACHE_MB", DEFAULT_CACHE_MB)) * 1024 * 1024))
    except ValueError:
        return DEFAULT_CACHE_MB * 1024 * 1024


def subset_key(font_bytes: bytes, index: int, glyph_ids, *, hinting: bool, notdef_outline: bool,
               subsetter: str) -> str:
    """A hex SHA-256 of everything a subset depends on."""
    digest = hashlib.sha256()
    digest.update(hashlib.sha256(font_bytes).digest())
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    header = f"{index}|{int(hinting)}|{int(notdef_outline)}|{subsetter}|{epoch}|"
    digest.update(header.encode())
    digest.update(",".join(str(gid) for gid in sorted(glyph_ids)).encode())
    return digest.hexdigest()


def read_cached(key: str) -> bytes | None:
    """The subset stored under `key`, from memory or disk; None when absent or damaged."""
    if key in _memory:
        _memory.move_to_end(key)
        return _memory[key]
    folder = cache_dir()
    if folder is None:
        return None
    path = folder / key[:2] / key
    payload = read_entry(path)
    if payload is None:
        return None
    try:
        os.utime(path)  # recently used entries survive pruning
    except OSError:
        pass
    _remember(key, payload)
    return payload


def write_cached(key: str, payload: bytes) -> None:
    """Store a subset in memory and, atomically, on disk; a cache that cannot be written is skipped."""
    _remember(key, payload)
    folder = cache_dir()
    if folder is None:
        return
    try:
        write_entry(folder / key[:2] / key, payload)
        if prune_due(folder):
            prune(folder, cache_limit_bytes())
    except OSError:
        pass  # a read-only or full disk costs speed, never the build


def prune(folder: Path, limit: int) -> None:
    """Delete the least recently used entries until the folder holds at most `limit` bytes."""
    entries = []
    for path in folder.glob("*/*"):
        # Only what this cache writes (a key in the folder of its first two digits, or a torn
        # write's .part), never through a link: `font-subsets` or a subfolder planted as a link
        # elsewhere (a shared cache folder) would have the files there deleted as subsets.
        name = path.name
        if not (ENTRY_NAME.fullmatch(name) and (name[0] == "." or name[:2] == path.parent.name)) \
                or path.parent.is_symlink():
            continue
        try:
            stat = path.lstat()
        except OSError:
            continue
        entries.append((stat.st_mtime, stat.st_size, path))
    total = sum(size for _, size, _ in entries)
    for _, size, path in sorted(entries, key=lambda entry: entry[0]):
        if total <= limit:
            break
        path.unlink(missing_ok=True)
        total -= size


def _remember(key: str, payload: bytes) -> None:
    _memory[key] = payload
    _memory.move_to_end(key)
    while len(_memory) > MEMORY_ENTRIES:
        _memory.popitem(last=False)


def subset_with_fonttools(font_bytes: bytes, index: int, glyph_ids, *, hinting: bool,
                          notdef_outline: bool) -> bytes | None:
    """WeasyPrint 70's fontTools subsetting, minus the layout tables it drops anyway.

    Same options as `weasyprint.pdf.fonts.Font._fonttools_subset`; None when fontTools fails
    (WeasyPrint then embeds the whole font, as it does itself).
    """
    from fontTools import subset
    from fontTools.ttLib import TTFont, TTLibError

    options = subset.Options(retain_gids=True, passthrough_tables=True, ignore_missing_glyphs=True,
                             hinting=hinting, desubroutinize=True, notdef_outline=notdef_outline)
    options.drop_tables += ["GSUB", "GPOS", "SVG"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(gids=glyph_ids)
    try:
        ttfont = TTFont(io.BytesIO(font_bytes), fontNumber=index)
        # Why: fontTools >= 4.68 decompiles GSUB/GPOS before dropping them (_compact_layout_tables).
        for tag in ("GSUB", "GPOS"):
            if tag in ttfont:
                del ttfont[tag]
        subsetter.subset(ttfont)
        out = io.BytesIO()
        ttfont.save(out)
    except TTLibError:
        return None
    return out.getvalue()


def harfbuzz_version() -> str:
    """The loaded HarfBuzz's version, found with hb_version_atleast (WeasyPrint's cffi declares no other)."""
    from weasyprint.text.ffi import harfbuzz

    def highest(prefix: tuple[int, ...]) -> int:
        part = 0
        while part < 1000 and harfbuzz.hb_version_atleast(*prefix, part + 1, *[0] * (2 - len(prefix))):
            part += 1
        return part

    major = highest(())
    minor = highest((major,))
    return f"{major}.{minor}.{highest((major, minor))}"


def subsetter_name() -> str:
    """Which subsetter WeasyPrint uses here, with its version (part of every cache key)."""
    from weasyprint.text.ffi import harfbuzz, harfbuzz_subset

    if harfbuzz_subset and harfbuzz.hb_version_atleast(4, 1, 0):
        return "harfbuzz-" + harfbuzz_version()
    import fontTools

    return "fonttools-" + fontTools.version


def supported() -> bool:
    """Whether this WeasyPrint's font subsetting is the one this module reproduces."""
    import weasyprint
    from weasyprint.pdf.fonts import Font

    return (weasyprint.__version__.split(".")[0] in SUPPORTED_WEASYPRINT_MAJORS
            and all(hasattr(Font, name) for name in ("subset", "_fonttools_subset", "_harfbuzz_subset")))


def install() -> bool:
    """Route WeasyPrint's font subsetting through the cache and the lean fontTools path for good."""
    global _installed
    if _installed:
        return True
    if not supported():
        return False
    from weasyprint.pdf.fonts import Font

    Font.subset = make_subset()
    _installed = True
    return True


@contextmanager
def scoped() -> Iterator[None]:
    """Use this module's Font.subset during one of reporter's renders; restore the host's after.

    Renders may nest or run on several threads: the outermost one installs, the last one out restores.
    """
    global _scope_depth, _host_subset, _scoped_subset
    if _installed or not supported():
        yield
        return
    from weasyprint.pdf.fonts import Font

    with _scope_lock:
        if _scope_depth == 0:
            _host_subset = Font.__dict__["subset"]
            _scoped_subset = _scoped_subset or make_subset()
            Font.subset = _scoped_subset
        _scope_depth += 1
    try:
        yield
    finally:
        with _scope_lock:
            _scope_depth -= 1
            if _scope_depth == 0:
                Font.subset = _host_subset
                _host_subset = None


def make_subset():
    """Build the replacement of WeasyPrint's Font.subset: cached, and lean on the fontTools path."""
    from weasyprint.pdf.fonts import Font

    name = subsetter_name()
    use_harfbuzz = name.startswith("harfbuzz-")
    harfbuzz_subset = Font._harfbuzz_subset

    def subset(font, to_unicode, hinting):
        """Font.subset, cached; see the module docstring."""
        if not to_unicode:
            return
        notdef_outline = bool(font.missing)
        # fontTools stamps the clock into `head` unless SOURCE_DATE_EPOCH is set: never cache that.
        cacheable = use_harfbuzz or "SOURCE_DATE_EPOCH" in os.environ
        key = subset_key(font.file_content, font.index, to_unicode, hinting=hinting,
                         notdef_outline=notdef_outline, subsetter=name)
        if cacheable and (cached := read_cached(key)) is not None:
            font.file_content = cached
            return
        if use_harfbuzz:
            before = font.file_content
            harfbuzz_subset(font, to_unicode, hinting)
            result = font.file_content if font.file_content is not before else None
        else:
            result = subset_with_fonttools(font.file_content, font.index, to_unicode,
                                           hinting=hinting, notdef_outline=notdef_outline)
            if result is not None:
                font.file_content = result
        if cacheable and result is not None:
            write_cached(key, result)

    return subset
