"""Stage 6: render HTML to PDF with WeasyPrint, reading only what the report may read.

The main document is rendered from a string, so it never goes through the fetcher; everything
it references does. The fetcher serves `data:` URLs and files whose real path (symlinks
resolved) lies under an allowed folder, the theme's and the report's, and stops the render for
anything else: other files, `file:///etc/passwd`, devices, and every network address.
"""

from __future__ import annotations

import hashlib
import logging
import mimetypes
import os
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable
from urllib.parse import unquote, urlsplit

from reporter.render.native import import_weasyprint

import_weasyprint()  # before any WeasyPrint name: skips ldconfig/gcc probing on Linux

from weasyprint import DEFAULT_OPTIONS, HTML  # noqa: E402
from weasyprint.text.fonts import FontConfiguration  # noqa: E402
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse  # noqa: E402

from reporter.render import fontsubset  # noqa: E402
from reporter.errors import RenderError  # noqa: E402
from reporter.inputs.filegate import FileGate, Refused  # noqa: E402
from reporter.render.interrupt import check, interrupts  # noqa: E402
from reporter.inputs.limits import DEFAULT_LIMITS, Limits, ceiling  # noqa: E402
from reporter.render import pages, watchdog  # noqa: E402
from reporter.render.imagebounds import check_image, check_inline_svgs  # noqa: E402
from reporter.theme.resolve import builtin_assets, is_builtin_asset  # noqa: E402


class ForbiddenReference(FatalURLFetchingError):
    """A document referenced something outside its allowed folders."""

    def __init__(self, url: str, reason: str):
        shown = url if len(url) <= 200 else url[:80] + "..."  # a data: URL may be megabytes long
        super().__init__(f"reference to {shown} refused: {reason}")
        self.url = url


class FolderFetcher(URLFetcher):
    """Serve `data:` URLs and regular files under `roots`; refuse everything else."""

    def __init__(self, roots: list[Path], max_file_bytes: int = DEFAULT_LIMITS.asset_bytes,
                 limits: Limits = DEFAULT_LIMITS):
        super().__init__(timeout=5, allowed_protocols={"data", "file"}, allow_redirects=False,
                         fail_on_errors=True)
        self.gate = FileGate(roots, max_file_bytes)
        self.limits = limits
        # The built-in themes' assets (reporter's fonts and stylesheets, part of the installed
        # package) skip the pixel and figure checks (reporter.theme.resolve.is_builtin_asset): asking
        # Pillow whether each of a document's 12 fonts and stylesheets is an image loads all of its
        # ~40 format plugins and tries them, 0.1 s of CPU of every one-shot build (bench/README.md).
        self.own_assets = builtin_assets()
        # WeasyPrint swallows exceptions raised while an SVG is drawn (its `<image href>`), so
        # every refusal is also kept here and raised again once the render returns.
        self.refused: list[ForbiddenReference] = []
        self.served: dict[Path, str] = {}  # every file handed to WeasyPrint, with its content digest

    def fetch(self, url, headers=None):
        try:
            return self._fetch(url, headers)
        except ForbiddenReference as refusal:
            self.refused.append(refusal)
            raise

    def _fetch(self, url, headers=None):
        scheme = urlsplit(url).scheme.lower()
        if scheme == "data":
            response = super().fetch(url, headers)
            data = response.read()
            self._check_image(url, data)
            _check_font(url[:40] + "...", data)
            return URLFetcherResponse(response.url, data, response.headers)
        if scheme != "file":
            raise ForbiddenReference(url, "only files inside the report and theme folders may be "
                                          "used, never the network")
        try:
            path, data = self.gate.read(url)
        except Refused as refusal:
            raise ForbiddenReference(url, refusal.reason) from None
        if not self.is_own_file(path):
            self._check_image(url, data)
            _check_font(url, data)
        mime_type, _ = mimetypes.guess_type(path.name)
        self.served[path] = content_digest(data)
        return URLFetcherResponse(path.as_uri(), data,
                                  {"Content-Type": mime_type or "application/octet-stream"})

    def is_own_file(self, path: Path) -> bool:
        """A file of a built-in theme's assets (a real path, as the gate returns it)."""
        return is_builtin_asset(path, self.own_assets)

    def _check_image(self, url: str, data: bytes) -> None:
        """Refuse an image too large to decode (pixels, SVG `<use>` expansion), from its header."""
        try:
            check_image(data, self.limits)
        except Refused as refusal:
            raise ForbiddenReference(url, refusal.reason) from None


class UnloadedFonts(logging.Handler):
    """Collect the @font-face families WeasyPrint could not load, while the block runs.

    WeasyPrint only logs such a font and falls back to a system font: a theme's brand font
    silently replaced, digits and all.
    """

    MESSAGE = "Font-face %r cannot be loaded"

    def __init__(self):
        super().__init__(logging.WARNING)
        self.families: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.msg == self.MESSAGE and isinstance(record.args, tuple) and record.args:
            self.families.append(str(record.args[0]))

    def __enter__(self) -> "UnloadedFonts":
        logging.getLogger("weasyprint").addHandler(self)
        return self

    def __exit__(self, *exc) -> None:
        logging.getLogger("weasyprint").removeHandler(self)


def _check_font(url: str, data: bytes) -> None:
    """Refuse a font that draws a figure character as another (reporter.render.fontcheck)."""
    from reporter.render.fontcheck import font_problem, looks_like_font

    if not looks_like_font(data):
        return
    problem = font_problem(data)
    if problem:
        raise ForbiddenReference(url, f"the font cannot show figures truthfully: {problem}")


def content_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def changed_files(digests: dict[Path, str]) -> list[Path]:
    """Return the files whose content is no longer what was read (or that are gone, or are no
    longer regular files: a served file swapped for /dev/zero or a huge one is changed, unread)."""
    return [path for path, digest in digests.items() if file_digest(path) != digest]


def file_digest(path: Path, max_bytes: int = ceiling("asset_bytes")) -> str | None:
    """The SHA-256 of a regular file of at most `max_bytes`, read in chunks; None for anything else."""
    import stat

    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as stream:
        info = os.fstat(stream.fileno())
        if not stat.S_ISREG(info.st_mode) or info.st_size > max_bytes:
            return None
        digest, read = hashlib.sha256(), 0
        while chunk := stream.read(1 << 20):
            read += len(chunk)
            if read > max_bytes:  # grew since fstat
                return None
            digest.update(chunk)
    return digest.hexdigest()


@contextmanager
def reproducible_fonts():
    """Keep the clock out of embedded fonts.

    Without HarfBuzz-Subset, WeasyPrint subsets fonts with fontTools, which stamps the current
    time into each font's `head` table; fontTools reads SOURCE_DATE_EPOCH instead when it is set.
    A value the user set wins.
    """
    if "SOURCE_DATE_EPOCH" in os.environ:
        yield
        return
    os.environ["SOURCE_DATE_EPOCH"] = "0"
    try:
        yield
    finally:
        os.environ.pop("SOURCE_DATE_EPOCH", None)


@dataclass
class Renderer:
    """Render many documents in one process with one font configuration and image cache.

    WeasyPrint keys its image cache by URL and loads @font-face files into the font
    configuration once, so an edited logo or font would survive into the next render of
    `reporter preview`. The renderer remembers the content of every file it served and starts
    both afresh when any of them changed.
    """

    font_config: FontConfiguration = field(default_factory=FontConfiguration)
    cache: dict = field(default_factory=dict)
    served: dict[Path, str] = field(default_factory=dict)

    def forget_changed_files(self) -> list[Path]:
        """Drop the caches when a file read by an earlier render has changed; return those files."""
        changed = changed_files(self.served)
        if changed:
            self.font_config, self.cache, self.served = FontConfiguration(), {}, {}
        return changed


    def render(self, html: str, *, base_url: Path, allowed_roots: list[Path], source: str,
               user_files: Callable[[], list[Path]] = list, options: dict | None = None,
               max_file_bytes: int | None = None, limits: Limits = DEFAULT_LIMITS) -> bytes:
        """Render `html` to PDF bytes.

        A refused reference raises RenderError naming the user file and line that wrote it
        (searched in the files `user_files()` lists), or `source` when no file has it literally.
        `options` go to `write_pdf` as they are (a PDF variant, attachments: see reporter.render.archive).
        """
        self.forget_changed_files()
        fetcher = FolderFetcher(allowed_roots, max_file_bytes or limits.asset_bytes, limits)
        unloaded = UnloadedFonts()
        try:
            with interrupts(), unloaded, pages.at_most(limits.pages, limits.describe("pages")), quiet_pillow(limits), \
                    watchdog.guarded(limits.render_seconds, limits.memory_mb * 1_000_000,
                                     late=str(RenderError(f"the PDF took more than {limits.render_seconds} s to "
                                                          f"render ({limits.describe('render_seconds')})",
                                                          file=source)),
                                     heavy=str(RenderError(f"the PDF render took more than {limits.memory_mb:,} MB "
                                                           f"of memory ({limits.describe('memory_mb')})",
                                                           file=source))):
                document = HTML(string=html, base_url=base_url.resolve().as_uri() + "/",
                                url_fetcher=fetcher)
                check_inline_svgs(document.etree_element, limits)
                # Lean fontTools subsetting and the subset cache, for this render only (see fontsubset.py).
                with reproducible_fonts(), fontsubset.scoped():
                    # What HTML.write_pdf does, with the links checked between layout and writing.
                    # Tagged PDF: structure, reading order and alternative text for screen readers.
                    written = finishing(options)
                    finisher = written.pop("finisher")
                    written = {**DEFAULT_OPTIONS, "cache": self.cache, "pdf_tags": True, **written}
                    rendered = document.render(self.font_config, **written)
                    unlink_local_targets(rendered)
                    pdf = rendered.write_pdf(None, 1, finisher,
                                             **{key: written[key] for key in DEFAULT_OPTIONS})
                check()  # a Ctrl-C that WeasyPrint swallowed while drawing an SVG
            self.served.update(fetcher.served)
        except ForbiddenReference as exc:
            raise self._refusal(exc, user_files, base_url, source) from None
        except pages.TooManyPages as exc:
            raise RenderError(str(exc), file=source) from None
        except Refused as refusal:  # an inline <svg> of the document itself
            raise RenderError(f"inline {refusal.reason.removeprefix('an ')}", file=source) from None
        except MemoryError:
            raise RenderError(f"the PDF render ran out of memory ({limits.describe('memory_mb')})",
                              file=source) from None
        except FatalURLFetchingError as exc:
            if fetcher.refused:
                raise self._refusal(fetcher.refused[0], user_files, base_url, source) from None
            raise RenderError(str(exc).splitlines()[0], file=source) from None
        if fetcher.refused:  # refused inside an SVG: WeasyPrint drew a blank and went on
            raise self._refusal(fetcher.refused[0], user_files, base_url, source)
        if unloaded.families:  # WeasyPrint would have set the text in a system font instead
            family = unloaded.families[0]
            file, line = find_reference(family, user_files()) or (source, None)
            raise RenderError(f"font-face {family!r} cannot be loaded: no file of it is a font that can "
                              "be read (the PDF would silently use another font)", file=file, line=line)
        # Images that cannot be found or read are logged and left out by WeasyPrint; an
        # image the fetcher served but that is broken is not a safety matter, so it stays so.
        return pdf

    @staticmethod
    def _refusal(exc: ForbiddenReference, user_files: Callable[[], list[Path]], base_url: Path,
                 source: str) -> RenderError:
        file, line = find_reference(exc.url, user_files(), base_url) or (source, None)
        return RenderError(str(exc).splitlines()[0], file=file, line=line)


@contextmanager
def quiet_pillow(limits: Limits):
    """Let Pillow decode what the fetcher let through (sized from its header against
    `image_pixels`) without its decompression-bomb warning on stderr or its own lower limit."""
    import warnings

    from PIL import Image

    previous = Image.MAX_IMAGE_PIXELS
    Image.MAX_IMAGE_PIXELS = max(previous or 0, limits.image_pixels)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            yield
    finally:
        Image.MAX_IMAGE_PIXELS = previous


# A link in the PDF stays clickable only to these schemes (and to places in the document): a
# `file:///etc/passwd` or a relative path would open a reader's own files from the document.
CLICKABLE_SCHEMES = ("http", "https", "mailto")


def unlink_local_targets(document) -> None:
    """Drop every external link whose target is not on the web or an e-mail: its text stays, unlinked."""
    for page in document.pages:
        page.links = [link for link in page.links
                      if link[0] != "external" or urlsplit(link[1]).scheme.lower() in CLICKABLE_SCHEMES]


def finishing(options: dict | None) -> dict:
    """Return the write_pdf options with our finisher first, then any finisher the options bring."""
    options = dict(options or {})
    extra = options.pop("finisher", None)

    def finisher(document, pdf) -> None:
        open_bookmarks_panel(document, pdf)
        if extra is not None:
            extra(document, pdf)

    return {**options, "finisher": finisher}


def open_bookmarks_panel(document, pdf) -> None:
    """Ask viewers to open the bookmarks panel: the outline is how readers move through a report."""
    if document.make_bookmark_tree():
        pdf.catalog["PageMode"] = "/UseOutlines"


def _line_as_decoded(file: Path, needle: str) -> int | None:
    """The first line of `file` that holds `needle` once its entities and %-escapes are decoded."""
    import html

    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    for number, line in enumerate(text.splitlines(), start=1):
        decoded = unquote(html.unescape(line.replace("\\", "")))
        if needle in decoded:
            return number
    return None


def find_reference(url: str, files: list[Path], base: Path | None = None) -> tuple[Path, int] | None:
    """Find the file and line where a user wrote `url`: as written, as a path, or relative to `base`."""
    parsed = urlsplit(url)
    needles = [url, unquote(parsed.path)] if parsed.scheme == "file" else [url]
    if parsed.scheme == "file" and base is not None:
        local = Path(unquote(parsed.path))
        if local.is_relative_to(base.resolve()):
            needles.append(str(local.relative_to(base.resolve())))
        else:  # written as `../other-folder/assets/x.png`: named by the path that leads out
            needles.append(os.path.relpath(local, base.resolve()))
        needles.append(url.removeprefix(base.resolve().as_uri() + "/"))  # as written: `assets/%2e%2e/...`
    if parsed.scheme in ("http", "https"):
        needles.append(parsed.netloc)
    for needle in needles:
        if not needle or needle == "/":
            continue
        for file in files:
            try:
                text = file.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue
            position = text.find(needle)
            if position >= 0:
                return file, text.count("\n", 0, position) + 1
    for needle in needles:  # written with entities or escapes (`&#47;etc`, `p%61sswd`): as Markdown reads it
        if not needle or needle == "/":
            continue
        for file in files:
            found = _line_as_decoded(file, unquote(needle))
            if found:
                return file, found
    if parsed.scheme == "file":  # written relative to the file that holds it (an SVG's `pixel.png`)
        local = Path(unquote(parsed.path))
        for file in files:
            if local.is_relative_to(file.parent.resolve()):
                nested = find_reference(str(local.relative_to(file.parent.resolve())), [file])
                if nested:
                    return nested
    return None

