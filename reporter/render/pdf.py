"""Stage 6: render HTML to PDF with WeasyPrint, reading only what the report may read.

The main document is rendered from a string, so it never goes through the fetcher; everything
it references does. The fetcher serves `data:` URLs and files whose real path (symlinks
resolved) lies under an allowed folder, the theme's and the report's, and stops the render for
anything else: other files, `file:///etc/passwd`, devices, and every network address.
"""

from __future__ import annotations

import hashlib
import mimetypes
import os
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable
from urllib.parse import unquote, urlsplit

from reporter.render.native import import_weasyprint

import_weasyprint()  # before any WeasyPrint name: skips ldconfig/gcc probing on Linux

from weasyprint import HTML  # noqa: E402
from weasyprint.text.fonts import FontConfiguration  # noqa: E402
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse  # noqa: E402

from reporter.render import fontsubset  # noqa: E402
from reporter.errors import RenderError  # noqa: E402
from reporter.inputs.filegate import FileGate, Refused  # noqa: E402
from reporter.render.interrupt import check, interrupts  # noqa: E402
from reporter.inputs.limits import DEFAULT_LIMITS  # noqa: E402


class ForbiddenReference(FatalURLFetchingError):
    """A document referenced something outside its allowed folders."""

    def __init__(self, url: str, reason: str):
        super().__init__(f"reference to {url} refused: {reason}")
        self.url = url


class FolderFetcher(URLFetcher):
    """Serve `data:` URLs and regular files under `roots`; refuse everything else."""

    def __init__(self, roots: list[Path], max_file_bytes: int = DEFAULT_LIMITS.asset_bytes):
        super().__init__(timeout=5, allowed_protocols={"data", "file"}, allow_redirects=False,
                         fail_on_errors=True)
        self.gate = FileGate(roots, max_file_bytes)
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
            return super().fetch(url, headers)
        if scheme != "file":
            raise ForbiddenReference(url, "only files inside the report and theme folders may be "
                                          "used, never the network")
        try:
            path, data = self.gate.read(url)
        except Refused as refusal:
            raise ForbiddenReference(url, refusal.reason) from None
        mime_type, _ = mimetypes.guess_type(path.name)
        self.served[path] = content_digest(data)
        return URLFetcherResponse(path.as_uri(), data,
                                  {"Content-Type": mime_type or "application/octet-stream"})


def content_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def changed_files(digests: dict[Path, str]) -> list[Path]:
    """Return the files whose content is no longer what was read (or that are gone)."""
    changed = []
    for path, digest in digests.items():
        try:
            if content_digest(path.read_bytes()) != digest:
                changed.append(path)
        except OSError:
            changed.append(path)
    return changed


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
               max_file_bytes: int = DEFAULT_LIMITS.asset_bytes) -> bytes:
        """Render `html` to PDF bytes.

        A refused reference raises RenderError naming the user file and line that wrote it
        (searched in the files `user_files()` lists), or `source` when no file has it literally.
        `options` go to `write_pdf` as they are (a PDF variant, attachments: see reporter.render.archive).
        """
        self.forget_changed_files()
        fetcher = FolderFetcher(allowed_roots, max_file_bytes)
        try:
            with interrupts():
                document = HTML(string=html, base_url=base_url.resolve().as_uri() + "/",
                                url_fetcher=fetcher)
                # Lean fontTools subsetting and the subset cache, for this render only (see fontsubset.py).
                with reproducible_fonts(), fontsubset.scoped():
                    # Tagged PDF: structure, reading order and alternative text for screen readers.
                    pdf = document.write_pdf(font_config=self.font_config, cache=self.cache,
                                             pdf_tags=True, **finishing(options))
                check()  # a Ctrl-C that WeasyPrint swallowed while drawing an SVG
            self.served.update(fetcher.served)
        except ForbiddenReference as exc:
            raise self._refusal(exc, user_files, base_url, source) from None
        except FatalURLFetchingError as exc:
            if fetcher.refused:
                raise self._refusal(fetcher.refused[0], user_files, base_url, source) from None
            raise RenderError(str(exc).splitlines()[0], file=source) from None
        if fetcher.refused:  # refused inside an SVG: WeasyPrint drew a blank and went on
            raise self._refusal(fetcher.refused[0], user_files, base_url, source)
        # Images that cannot be found or read are logged and left out by WeasyPrint; an
        # image the fetcher served but that is broken is not a safety matter, so it stays so.
        return pdf

    @staticmethod
    def _refusal(exc: ForbiddenReference, user_files: Callable[[], list[Path]], base_url: Path,
                 source: str) -> RenderError:
        file, line = find_reference(exc.url, user_files(), base_url) or (source, None)
        return RenderError(str(exc).splitlines()[0], file=file, line=line)


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
    if parsed.scheme == "file":  # written relative to the file that holds it (an SVG's `pixel.png`)
        local = Path(unquote(parsed.path))
        for file in files:
            if local.is_relative_to(file.parent.resolve()):
                found = find_reference(str(local.relative_to(file.parent.resolve())), [file])
                if found:
                    return found
    return None

