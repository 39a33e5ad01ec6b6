"""Size an image from its header before WeasyPrint decodes it.

A 0.5 MB PNG of 13000 x 13000 pixels decodes to 1.4 GB, and a 2 KB SVG of nested `<use>`
references (each a group of ten uses of the group before) expands without end. Both are small
files, so the file-size limit does not catch them: the pixels are read from the image header
(Pillow opens lazily: it decodes nothing until asked) and the `<use>` references are counted,
nested ones multiplied, before the image goes to WeasyPrint.
"""

from __future__ import annotations

import io
import warnings
import xml.parsers.expat
from typing import Any

from PIL import Image

from reporter.inputs.filegate import Refused
from reporter.inputs.limits import MAX_SVG_USE_DEPTH, Limits

def check_image(data: bytes, limits: Limits) -> None:
    """Refuse an image whose pixels or `<use>` expansion pass the limits; anything that is not
    an image Pillow or the SVG check recognises is left to WeasyPrint."""
    if _looks_like_svg(data):
        check_svg_uses(data, limits)
    else:
        check_pixels(data, limits)


def check_pixels(data: bytes, limits: Limits) -> None:
    too_many = (f"an image of more than {limits.image_pixels:,} pixels "
                f"({limits.describe('image_pixels')})")
    with warnings.catch_warnings():  # Pillow warns of large images on stderr; we refuse them ourselves
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data)) as image:  # reads the header only
                width, height = image.size
                frames = getattr(image, "n_frames", 1)
        except Image.DecompressionBombError:
            raise Refused(too_many) from None
        except Exception:  # not an image Pillow knows: WeasyPrint reports it, or skips it
            return
    if width * height * max(frames, 1) > limits.image_pixels:
        raise Refused(f"an image of {width:,} x {height:,} pixels"
                      + (f" in {frames:,} frames" if frames > 1 else "")
                      + f", more than {limits.image_pixels:,} ({limits.describe('image_pixels')})")


def _looks_like_svg(data: bytes) -> bool:
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith(b"<") and b"<svg" in data[:65536].lower()


def check_svg_uses(data: bytes, limits: Limits) -> None:
    """Refuse an SVG whose `<use>` references expand to more than `svg_uses` elements, or nest
    deeper than MAX_SVG_USE_DEPTH, or refer to themselves."""
    elements = _parse(data)
    if elements is not None:
        check_use_expansion(elements, limits)


def check_inline_svgs(root: Any, limits: Limits) -> None:
    """Check every `<svg>` written inline in the HTML (WeasyPrint draws those from the document
    itself, not through the fetcher), from the tree WeasyPrint parsed."""
    for svg in root.iter("{http://www.w3.org/2000/svg}svg"):
        check_use_expansion(_tree_elements(svg), limits)


def _tree_elements(top: Any) -> list[tuple[str, dict[str, Any], int]]:
    """The elements under `top` in document order, as `_parse` lists them."""
    elements: list[tuple[str, dict[str, Any], int]] = []
    stack: list[tuple[Any, int | None]] = [(top, None)]  # (element, or None: close this index)
    while stack:
        element, closing = stack.pop()
        if element is None:
            assert closing is not None  # a close marker always carries the index it closes
            local, attributes, _ = elements[closing]
            elements[closing] = (local, attributes, len(elements))
            continue
        if not isinstance(element.tag, str):  # comments, processing instructions
            continue
        index = len(elements)
        elements.append((element.tag.rsplit("}", 1)[-1],
                         {key.rsplit("}", 1)[-1]: value for key, value in element.attrib.items()}, 0))
        stack.append((None, index))
        stack.extend((child, None) for child in reversed(list(element)))
    return elements


def check_use_expansion(elements: list[tuple[str, dict[str, Any], int]], limits: Limits) -> None:
    """Refuse `<use>` references that expand past `svg_uses`, nest past MAX_SVG_USE_DEPTH, or loop."""
    ids = {attrs["id"]: index for index, (_, attrs, _) in enumerate(elements) if attrs.get("id")}
    expanded: dict[int, tuple[int, int]] = {}  # element index -> (uses its subtree expands to, nesting)
    in_progress: set[int] = set()

    def expand(index: int) -> tuple[int, int]:
        if index in expanded:
            return expanded[index]
        if index in in_progress:
            raise Refused("an SVG whose <use> references refer to themselves")
        if len(in_progress) > MAX_SVG_USE_DEPTH:  # checked on the way down: 100,000 nested uses recurse
            raise Refused(f"an SVG whose <use> references nest more than {MAX_SVG_USE_DEPTH} deep")
        in_progress.add(index)
        total, depth = 0, 0
        for member in range(index, elements[index][2]):  # the element and its descendants
            name, attrs, _ = elements[member]
            if name != "use":
                continue
            href = attrs.get("href") or ""
            target = ids.get(href[1:]) if href.startswith("#") else None
            count, nesting = expand(target) if target is not None else (0, 0)
            total, depth = total + 1 + count, max(depth, nesting + 1)
            if depth > MAX_SVG_USE_DEPTH:
                raise Refused(f"an SVG whose <use> references nest more than {MAX_SVG_USE_DEPTH} deep")
            if total > limits.svg_uses:
                raise Refused(f"an SVG whose <use> references expand to more than {limits.svg_uses:,} "
                              f"elements ({limits.describe('svg_uses')})")
        in_progress.discard(index)
        expanded[index] = total, depth
        return expanded[index]

    if elements:
        expand(0)


def _parse(data: bytes) -> list[tuple[str, dict[str, Any], int]] | None:
    """List the elements in document order: (local name, attributes, end), where `end` is the
    index after the element's last descendant. None when the SVG is not well-formed XML (WeasyPrint
    refuses it too). Expat stops entity bombs itself (billion laughs protection, expat 2.4)."""
    elements: list[tuple[str, dict[str, Any], int]] = []
    open_ = []
    parser = xml.parsers.expat.ParserCreate(namespace_separator="}")

    def start(name: str, attrs: dict) -> None:
        local = name.rsplit("}", 1)[-1]
        # `href` and `xlink:href` alike: only the local names matter here
        attributes = {key.rsplit("}", 1)[-1]: value for key, value in attrs.items()}
        open_.append(len(elements))
        elements.append((local, attributes, 0))

    def end(name: str) -> None:
        index = open_.pop()
        local, attributes, _ = elements[index]
        elements[index] = (local, attributes, len(elements))

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    try:
        parser.Parse(data, True)
    except xml.parsers.expat.ExpatError:
        return None
    return elements
