"""Stage 6: render HTML to PDF with WeasyPrint, reading only what the report may read.

The main document is rendered from a string, so it never goes through the fetcher; everything
it references does. The fetcher serves `data:` URLs and files whose real path (symlinks
resolved) lies under an allowed folder, the theme's and the report's, and stops the render for
anything else: other files, `file:///etc/passwd`, devices, and every network address.
"""

from __future__ import annotations

import mimetypes
import os
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from reporter.errors import RenderError


class ForbiddenReference(FatalURLFetchingError):
    """A document referenced something outside its allowed folders."""


class FolderFetcher(URLFetcher):
    """Serve `data:` URLs and regular files under `roots`; refuse everything else."""

    def __init__(self, roots: list[Path]):
        super().__init__(timeout=5, allowed_protocols={"data", "file"}, allow_redirects=False,
                         fail_on_errors=True)
        self.roots = [Path(root).resolve() for root in roots]

    def fetch(self, url, headers=None):
        scheme = urlsplit(url).scheme.lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme != "file":
            raise ForbiddenReference(f"reference to {url} refused: only files inside the report "
                                     "and theme folders may be used, never the network")
        path = Path(unquote(urlsplit(url).path)).resolve()
        if not any(path.is_relative_to(root) for root in self.roots):
            raise ForbiddenReference(f"reference to {url} refused: it is outside the report and "
                                     "theme folders")
        if not path.is_file():
            raise ForbiddenReference(f"reference to {url}: no such file")
        mime_type, _ = mimetypes.guess_type(path.name)
        return URLFetcherResponse(path.as_uri(), path.read_bytes(),
                                  {"Content-Type": mime_type or "application/octet-stream"})


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
    """Render many documents in one process with one font configuration and image cache."""

    font_config: FontConfiguration = field(default_factory=FontConfiguration)
    cache: dict = field(default_factory=dict)

    def render(self, html: str, *, base_url: Path, allowed_roots: list[Path], source: str) -> bytes:
        """Render `html` to PDF bytes; a refused reference raises RenderError naming `source`."""
        fetcher = FolderFetcher(allowed_roots)
        try:
            document = HTML(string=html, base_url=base_url.resolve().as_uri() + "/",
                            url_fetcher=fetcher)
            with reproducible_fonts():
                return document.write_pdf(font_config=self.font_config, cache=self.cache)
        except FatalURLFetchingError as exc:
            raise RenderError(str(exc).splitlines()[0], file=source) from None

