"""A theme font must draw each figure character as that character.

The PDF's text layer says what the cmap says ("$4,421"), but the reader sees the glyphs: a font
whose 4 and 9 glyphs are swapped prints $9,921 over a text layer of $4,421, and every check of
the figures passes. So every font a build loads from a theme or report folder (the built-in
fonts are ours and skipped) is checked before it is used:

1. it can be read as a font (fontTools), else the build stops rather than fall back silently;
2. each figure character it maps (0-9 , . ( ) $ % and the spaces) is drawn as that character:
   the glyph's outline is rasterised on a small grid, scaled to its own height and centred,
   and compared with the same characters of the reference fonts (the built-in Source Sans Pro
   and Source Serif Pro, upright and italic, regular and bold). The nearest reference shape must
   be the character itself; spaces must draw nothing; no two digits may share an outline;
3. what substitutions (GSUB) can put in a digit's place is checked the same way: a single or
   alternate substitution's result must still look like that digit, and a ligature or
   multiple substitution involving a figure character is refused (nothing to compare it with).

Fonts with unusual figures (oldstyle figures, decorative faces) may be refused by rule 2; the
message names the character and what it looks like, and a theme can set its figures in a font
that passes (`fonts.figures` in theme.yaml).
"""

from __future__ import annotations

import functools
import hashlib
import io
from pathlib import Path

import numpy as np

FIGURE_CHARACTERS = "0123456789,.()$%"
SPACES = " \u00a0\u202f\u2009"  # French figures use the no-break and narrow no-break spaces
# A substituted digit may be nearer another digit's reference by this share of samples (small
# caps, numerators and oldstyle figures are drawn unlike the references) but not by more.
SUBSTITUTE_MARGIN = 0.08
GRID = 24
# Bounds on what one font may make the check do: a hostile font could list a million alternates
# for a digit or draw one with a million points (each raster holds points x samples).
MAX_SUBSTITUTES = 5_000
MAX_OUTLINE_POINTS = 20_000  # samples per side: enough to tell a 4 from a 9 in every reference, cheap to compute
REFERENCE_FONTS = ("SourceSansPro-Regular.ttf", "SourceSansPro-Bold.ttf", "SourceSansPro-It.ttf",
                   "SourceSerifPro-Regular.ttf", "SourceSerifPro-Bold.ttf", "SourceSerifPro-It.ttf")


class FontRefused(ValueError):
    """A font that cannot be read, or that draws a figure character as something else."""


def _outline(glyph_set, name: str) -> list[np.ndarray]:
    """The glyph's contours as polygons (curves flattened), in font units."""
    from fontTools.pens.basePen import BasePen

    class Flatten(BasePen):
        def __init__(self, glyphs):
            super().__init__(glyphs)
            self.contours: list[list[tuple[float, float]]] = []

        def _moveTo(self, pt):
            self.contours.append([pt])

        def _lineTo(self, pt):
            self.contours[-1].append(pt)

        def _curveToOne(self, p1, p2, p3):
            p0 = self.contours[-1][-1]
            for t in np.linspace(0.25, 1, 4):
                u = 1 - t
                self.contours[-1].append(
                    (u ** 3 * p0[0] + 3 * u * u * t * p1[0] + 3 * u * t * t * p2[0] + t ** 3 * p3[0],
                     u ** 3 * p0[1] + 3 * u * u * t * p1[1] + 3 * u * t * t * p2[1] + t ** 3 * p3[1]))

        def _qCurveToOne(self, p1, p2):
            p0 = self.contours[-1][-1]
            for t in np.linspace(0.25, 1, 4):
                u = 1 - t
                self.contours[-1].append((u * u * p0[0] + 2 * u * t * p1[0] + t * t * p2[0],
                                          u * u * p0[1] + 2 * u * t * p1[1] + t * t * p2[1]))

    pen = Flatten(glyph_set)
    glyph_set[name].draw(pen)
    if sum(len(contour) for contour in pen.contours) > MAX_OUTLINE_POINTS:
        raise FontRefused(f"glyph {name} has more than {MAX_OUTLINE_POINTS:,} outline points")
    return [np.array(contour, dtype=float) for contour in pen.contours if len(contour) > 2]


def _raster(contours: list[np.ndarray]) -> np.ndarray | None:
    """Sample the filled outline (non-zero winding) on a GRID x GRID square around its own box."""
    if not contours:
        return None
    points = np.concatenate(contours)
    low, high = points.min(axis=0), points.max(axis=0)
    size = max(high - low)
    if size <= 0:
        return None
    centre = (low + high) / 2
    steps = (np.arange(GRID) + 0.5) / GRID - 0.5
    px, py = np.meshgrid(centre[0] + steps * size, centre[1] + steps * size)
    edges = np.concatenate([np.stack([c[:, 0], c[:, 1], np.roll(c[:, 0], -1), np.roll(c[:, 1], -1)], axis=1)
                            for c in contours])
    edges = edges[edges[:, 1] != edges[:, 3]]  # horizontal edges cross no sample row
    a, b, c, d = (edges[:, i][:, None] for i in range(4))
    x, y = px.ravel()[None, :], py.ravel()[None, :]
    crosses = (b <= y) != (d <= y)
    x_at = a + (y - b) * (c - a) / (d - b)
    direction = np.where(d > b, 1, -1)
    winding = np.sum(np.where(crosses & (x < x_at), direction, 0), axis=0).reshape(px.shape)
    return winding != 0


def _glyph_shapes(data: bytes) -> tuple[dict[str, np.ndarray | None], dict[str, str], object, object]:
    """Read a font: the raster of each figure character it maps, the glyph names, and the font."""
    from fontTools.ttLib import TTFont

    try:
        font = TTFont(io.BytesIO(data), fontNumber=0)
        cmap = font.getBestCmap() or {}
        glyph_set = font.getGlyphSet()
        names = {ch: cmap[ord(ch)] for ch in FIGURE_CHARACTERS + SPACES if ord(ch) in cmap}
        shapes = {ch: _raster(_outline(glyph_set, name)) for ch, name in names.items()}
    except FontRefused:
        raise
    except Exception as exc:  # fontTools raises many kinds on a broken file
        raise FontRefused(f"not a font that can be read ({type(exc).__name__}: "
                          f"{str(exc).splitlines()[0] if str(exc) else 'no detail'})") from None
    return shapes, names, font, glyph_set


@functools.lru_cache(maxsize=1)
def _references() -> dict[str, list[np.ndarray]]:
    """The reference shapes of each figure character, from the built-in fonts."""
    from reporter.theme.resolve import BUILTIN_ROOT

    folder = Path(BUILTIN_ROOT) / "base" / "assets" / "fonts"
    references: dict[str, list[np.ndarray]] = {ch: [] for ch in FIGURE_CHARACTERS}
    for name in REFERENCE_FONTS:
        shapes = _glyph_shapes((folder / name).read_bytes())[0]
        for ch in FIGURE_CHARACTERS:
            if shapes.get(ch) is not None:
                references[ch].append(shapes[ch])
    return references


@functools.lru_cache(maxsize=1)
def _reference_stacks() -> dict[str, np.ndarray]:
    return {ch: np.stack(refs) for ch, refs in _references().items() if refs}


def _row(shape: np.ndarray, chars: list[str]) -> np.ndarray:
    """How unlike `shape` is the nearest reference of each character of `chars`."""
    stacks = _reference_stacks()
    return np.array([float(np.min(np.mean(shape[None] != stacks[ch], axis=(1, 2)))) for ch in chars])


def _misdrawn(chars: list[str], table: np.ndarray) -> tuple[str, str] | None:
    """Return (character, the one it is drawn like) when the glyphs are not the characters they map.

    table[i][j] says how unlike glyph i is the nearest reference of character j. The glyphs must
    match the references best as they are mapped: no exchange of labels among them (4 for 9 and
    9 for 4, or a longer cycle) may fit the references better. That is the identity being the
    optimal assignment, i.e. no negative cycle in the costs of relabelling (Floyd-Warshall on at
    most 16 characters). Comparing the glyphs with each other is what makes it fair to any
    design: a font's '1' may look like the references' ')', as long as its own ')' looks more so.
    """
    if len(chars) < 2:
        return None
    cost = table - np.diag(table)[:, None]  # cost[i][j]: glyph i read as character j instead of its own
    best = cost.copy()
    for k in range(len(chars)):
        best = np.minimum(best, best[:, k:k + 1] + best[k:k + 1, :])
    if not (np.diag(best) < -1e-9).any():
        return None
    # Name the exchange: the first pair that fits better swapped, else the label that fits best.
    swapped = cost + cost.T
    for i in range(len(chars)):
        j = int(np.argmin(swapped[i]))
        if swapped[i, j] < -1e-9:
            return chars[i], chars[j]
    i, j = np.unravel_index(int(np.argmin(cost)), cost.shape)
    return chars[int(i)], chars[int(j)]


def _name(ch: str) -> str:
    return f"'{ch}'" if ch.strip() else f"U+{ord(ch):04X}"


def check_font(data: bytes) -> None:
    """Raise FontRefused when the font cannot be read or draws a figure character as another."""
    shapes, names, font, glyph_set = _glyph_shapes(data)
    for ch in SPACES:
        if ch in shapes and shapes[ch] is not None:
            raise FontRefused(f"the space {_name(ch)} draws a glyph ({names[ch]}): spaces in figures must be blank")
    seen: dict[bytes, str] = {}
    for ch in FIGURE_CHARACTERS:
        if ch not in shapes:
            continue  # not in the font: the next font of the family list draws it
        if shapes[ch] is None:
            raise FontRefused(f"the character {_name(ch)} draws nothing (glyph {names[ch]})")
        key = shapes[ch].tobytes()
        if key in seen:
            raise FontRefused(f"the characters {_name(seen[key])} and {_name(ch)} are drawn alike")
        seen[key] = ch
    chars = [ch for ch in FIGURE_CHARACTERS if shapes.get(ch) is not None and ch in _reference_stacks()]
    table = np.array([_row(shapes[ch], chars) for ch in chars])
    wrong = _misdrawn(chars, table)
    if wrong:
        raise FontRefused(f"the character {_name(wrong[0])} is drawn like {_name(wrong[1])} "
                          f"(glyph {names[wrong[0]]})")
    try:
        _check_substitutions(font, glyph_set, names, shapes, chars, table)
    except FontRefused:
        raise
    except Exception as exc:  # a GSUB table fontTools cannot read
        raise FontRefused(f"not a font that can be read ({type(exc).__name__} in its substitutions)") from None


def _check_substitutions(font, glyph_set, names: dict[str, str], shapes: dict[str, np.ndarray | None],
                         chars: list[str], distances: np.ndarray) -> None:
    """What GSUB can put in place of a figure glyph must still look like it (see the module doc)."""
    if "GSUB" not in font or font["GSUB"].table.LookupList is None:
        return
    figure_of = {name: ch for ch, name in names.items() if ch in FIGURE_CHARACTERS}
    checked: set[tuple[str, str]] = set()
    for lookup in font["GSUB"].table.LookupList.Lookup:
        for table in lookup.SubTable:
            kind = lookup.LookupType
            if kind == 7:  # extension: the real subtable inside
                kind, table = table.ExtensionLookupType, table.ExtSubTable
            if kind == 1:
                pairs = [(source, [target]) for source, target in table.mapping.items()]
            elif kind == 3:
                pairs = list(table.alternates.items())
            elif kind == 2:
                for source in table.mapping:
                    if source in figure_of:
                        raise FontRefused(f"a substitution replaces {_name(figure_of[source])} with "
                                          "several glyphs")
                continue
            elif kind == 4:
                for first, ligatures in table.ligatures.items():
                    for ligature in ligatures:
                        glyphs = [first, *ligature.Component]
                        if all(g in figure_of for g in glyphs):
                            raise FontRefused("a ligature joins " + " and ".join(_name(figure_of[g]) for g in glyphs)
                                              + " into one glyph (figures must stay characters)")
                continue
            else:
                continue  # contextual lookups only call the lookups checked here
            for source, targets in pairs:
                ch = figure_of.get(source)
                if ch is None or ch not in FIGURE_CHARACTERS:
                    continue
                for target in targets:
                    if (ch, target) in checked:
                        continue
                    checked.add((ch, target))
                    if len(checked) > MAX_SUBSTITUTES:
                        raise FontRefused(f"more than {MAX_SUBSTITUTES:,} glyphs can stand for figure "
                                          "characters")
                    shape = _raster(_outline(glyph_set, target)) if target in glyph_set else None
                    if shape is None:
                        raise FontRefused(f"a substitution draws {_name(ch)} as glyph {target}, "
                                          "which draws nothing")
                    if ch not in chars:
                        continue
                    # The same drawing as another figure of this font (nine's outline for four).
                    same = next((c for c in chars if c != ch and np.array_equal(shape, shapes[c])), None)
                    if same is not None:
                        raise FontRefused(f"a substitution draws {_name(ch)} as glyph {target}, "
                                          f"which is drawn like {_name(same)}")
                    if ch.isdigit():
                        # Nearest among the font's own digits: a small-caps or superscript 1 is
                        # still more like this font's 1 than its 7.
                        digits = [c for c in chars if c.isdigit()]
                        row = _row(shape, digits)
                        own = digits[int(np.argmin(row))]
                        if own != ch and row[digits.index(ch)] - row.min() > SUBSTITUTE_MARGIN:
                            raise FontRefused(f"a substitution draws {_name(ch)} as glyph {target}, "
                                              f"which is drawn like {_name(own)}")
                    replaced = distances.copy()
                    replaced[chars.index(ch)] = _row(shape, chars)
                    wrong = _misdrawn(chars, replaced)
                    if wrong:
                        raise FontRefused(f"a substitution draws {_name(ch)} as glyph {target}, "
                                          f"which is drawn like {_name(wrong[1])}")


_CHECKED: dict[str, str | None] = {}  # SHA-256 of a font's bytes -> why it is refused, or None


def font_problem(data: bytes) -> str | None:
    """Return why a font is refused, or None; each font's bytes are checked once per process."""
    digest = hashlib.sha256(data).hexdigest()
    if digest not in _CHECKED:
        try:
            check_font(data)
            _CHECKED[digest] = None
        except FontRefused as refusal:
            _CHECKED[digest] = str(refusal)
    return _CHECKED[digest]


def looks_like_font(data: bytes) -> bool:
    """Say whether bytes are a font file by their signature (TrueType, OpenType, WOFF, WOFF2, collection)."""
    return data[:4] in (b"\x00\x01\x00\x00", b"OTTO", b"true", b"typ1", b"wOFF", b"wOF2", b"ttcf")
