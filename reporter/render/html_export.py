"""`-f html`: the document the PDF is rendered from, made self-contained.

The HTML handed to WeasyPrint refers to stylesheets, fonts and images by `file:` URL, which only
works on the machine that built it and gives away where the folders lie. For the HTML output,
every stylesheet is inlined as a `<style>` and every file it or the document refers to (fonts,
logos, commentary images) becomes a `data:` URL, so the file opens, travels and can be hosted
anywhere, and is the same bytes wherever the report folder lies.

Only files the renderer may read are inlined: those under the document's allowed folders, the
same rule as the PDF's fetcher, which also refuses the network. Links (`<a href>` to `#ids`,
`mailto:`, `https:`) stay as written.
"""

from __future__ import annotations

import base64
import html as html_lib
import mimetypes
import re
from pathlib import Path
from typing import NoReturn
from urllib.parse import urljoin, urlsplit

from reporter.errors import RenderError
from reporter.inputs.filegate import FileGate, Refused
from reporter.render.html import HtmlDocument

# Attributes whose value is a URL; `src`-like ones are always resources the page loads.
URL_ATTRIBUTE = re.compile(r"""(?P<name>\b(?:src|href|xlink:href|poster))\s*=\s*(?P<quote>["'])(?P<url>.*?)(?P=quote)""",
                           re.IGNORECASE | re.DOTALL)
STYLESHEET_LINK = re.compile(r"<link\b[^>]*\brel\s*=\s*[\"']?stylesheet[\"']?[^>]*>", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"(<style\b[^>]*>)(.*?)(</style>)", re.IGNORECASE | re.DOTALL)
STYLE_ATTRIBUTE = re.compile(r"""(\bstyle\s*=\s*)(["'])(.*?)\2""", re.IGNORECASE | re.DOTALL)

# Types browsers need to be told; mimetypes does not know every font format on every system.
MEDIA_TYPES = {".ttf": "font/ttf", ".otf": "font/otf", ".woff": "font/woff", ".woff2": "font/woff2",
               ".svg": "image/svg+xml", ".css": "text/css"}
# A link (`<a href>`) may lead anywhere; what the page loads itself may only be inlined or data:.
LINK_SCHEMES = ("http", "https", "mailto", "tel")


class _Inliner:
    """Read and inline the files of one document, each checked against the allowed folders."""

    def __init__(self, document: HtmlDocument):
        self.document = document
        self.gate = FileGate(document.allowed_roots, document.limits.asset_bytes)
        self.importing: list[Path] = []  # stylesheets being inlined, outermost first
        self.base = document.base_url.resolve().as_uri() + "/"

    def _read(self, url: str, written: str) -> tuple[Path, bytes]:
        """Read a file through the same gate as the PDF's fetcher: folders, regular file, size."""
        try:
            return self.gate.read(url)
        except Refused as refusal:
            self._refuse(url, refusal.reason, written)

    def _refuse(self, url: str, reason: str, written: str | None = None) -> NoReturn:
        """Stop with the user's file and line that wrote the reference, as the PDF's fetcher does."""
        from reporter.render.pdf import find_reference  # only on a mistake: it imports WeasyPrint

        files = self.document.user_files
        found = (find_reference(written, files) if written and written != url else None) \
            or find_reference(url, files, self.document.base_url)
        file, line = found or (self.document.template_path, None)
        raise RenderError(f"reference to {url} refused: {reason}", file=file, line=line)

    def resolve(self, url: str, base: str, *, link: bool = False) -> str | None:
        """Return the absolute `file:` URL a reference stands for, or None when it stays as written.

        Like the PDF's fetcher, a resource from the network is refused (the document would not be
        self-contained, and the PDF build refuses it too); a link (`link=True`) may point there.
        """
        url = url.strip()
        if not url or url.startswith("#"):
            return None
        scheme = urlsplit(url).scheme.lower()
        if scheme == "data" or (link and scheme in LINK_SCHEMES):
            return None
        absolute = urljoin(base, url)
        if urlsplit(absolute).scheme.lower() != "file":
            self._refuse(url, "only files inside the report and theme folders may be used, never "
                              "the network", url)
        return absolute.split("#")[0]

    def data_url(self, url: str, written: str) -> str:
        path, data = self._read(url, written)
        media_type = MEDIA_TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0] \
            or "application/octet-stream"
        if path.suffix.lower() == ".css":
            data = self.css(path, data, url, written).encode("utf-8")
        return f"data:{media_type};base64,{base64.b64encode(data).decode('ascii')}"

    def css_text(self, text: str, base: str) -> str:
        """Replace every url() and string @import of CSS text with a data: URL (parsed by tinycss2).

        Parsing, rather than searching for `url(`, leaves commented-out references alone.
        """
        import tinycss2

        tokens = tinycss2.parse_component_value_list(text)
        self._inline_tokens(tokens, base)
        return tinycss2.serialize(tokens)

    def _inline_tokens(self, tokens: list, base: str) -> None:
        previous = None
        for index, token in enumerate(tokens):
            written = _reference(token, previous)
            if written is not None:
                tokens[index] = self._url_token(token, written, base)
            else:
                for nested in (getattr(token, "content", None), getattr(token, "arguments", None)):
                    if isinstance(nested, list):
                        self._inline_tokens(nested, base)
            if token.type not in ("whitespace", "comment"):
                previous = token

    def _url_token(self, token, written: str, base: str):
        from tinycss2.ast import URLToken

        target = self.resolve(written, base)
        if target is None:
            return token
        data = self.data_url(target, written)  # base64: nothing in it needs quoting
        return URLToken(token.source_line, token.source_column, data, f"url({data})")

    def css(self, path: Path, data: bytes, url: str, written: str) -> str:
        if path in self.importing:  # a.css imports b.css imports a.css: inlining would never end
            self._refuse(url, "the stylesheet imports itself", written)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            self._refuse(url, f"not UTF-8 text: byte {data[exc.start]:#04x} at byte offset {exc.start}",
                         written)
        self.importing.append(path)
        try:
            return self.css_text(text, path.as_uri())
        finally:
            self.importing.pop()

    def stylesheet_link(self, match: re.Match) -> str:
        href = URL_ATTRIBUTE.search(match[0])
        written = html_lib.unescape(href["url"]) if href else ""
        target = self.resolve(written, self.base) if href else None
        if target is None:
            return match[0]
        # Escaping keeps a `</style>` inside a stylesheet from ending the element early.
        path, data = self._read(target, written)
        css = self.css(path, data, target, written).replace("</", "<\\/")
        return f"<style>\n{css}</style>"

    def attribute(self, match: re.Match) -> str:
        written = html_lib.unescape(match["url"])
        target = self.resolve(written, self.base, link=match["name"].lower() == "href")
        if target is None:
            return match[0]
        return f'{match["name"]}="{self.data_url(target, written)}"'

    def document_html(self) -> str:
        # Stylesheets go in last, through placeholders: scanning the megabytes of inlined fonts
        # with the other patterns would cost most of a second.
        stylesheets: dict[str, str] = {}

        def placeholder(match: re.Match) -> str:
            key = f"\x00stylesheet-{len(stylesheets)}\x00"
            stylesheets[key] = self.stylesheet_link(match)
            return key

        text = STYLESHEET_LINK.sub(placeholder, self.document.html.replace("\x00", ""))
        text = STYLE_ELEMENT.sub(lambda m: m[1] + self.css_text(m[2], self.base) + m[3], text)
        text = STYLE_ATTRIBUTE.sub(lambda m: m[1] + m[2] + self.css_text(m[3], self.base) + m[2], text)
        text = URL_ATTRIBUTE.sub(self.attribute, text)
        for key, stylesheet in stylesheets.items():
            text = text.replace(key, stylesheet)
        return text


def _reference(token, previous) -> str | None:
    """Return the URL a CSS token refers to: url(x), url("x"), or the string of @import "x"."""
    if token.type == "url":
        return token.value
    if token.type == "function" and token.lower_name == "url":
        strings = [t for t in token.arguments if t.type == "string"]
        return strings[0].value if strings else None
    if token.type == "string" and previous is not None and previous.type == "at-keyword" \
            and previous.lower_value == "import":
        return token.value
    return None


def self_contained_html(document: HtmlDocument) -> str:
    """Return the document with its stylesheets inlined and every file it uses as a data: URL.

    >>> self_contained_html(render_report_html(report, theme))   # doctest: +SKIP
    '<!DOCTYPE html>...<style>\\n@font-face { ...src: url("data:font/ttf;base64,AAEAAA...
    """
    return _Inliner(document).document_html()
