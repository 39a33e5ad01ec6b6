"""`-f html`: the document the PDF is rendered from, made self-contained.

The HTML handed to WeasyPrint refers to stylesheets, fonts and images by `file:` URL, which only
works on the machine that built it and gives away where the folders lie. For the HTML output,
every stylesheet is inlined as a `<style>` and every file it or the document refers to (fonts,
logos, commentary images) becomes a `data:` URL, so the file opens, travels and can be hosted
anywhere, and is the same bytes wherever the report folder lies.

The document is parsed (html.parser for the markup, tinycss2 for every stylesheet, `<style>` and
`style` attribute) and written out again from what was parsed, so a reference is found however it
is written: quoted or not, in `src`, `srcset`, `<object data>`, SVG `href`, CSS `url()`,
`image-set()` or `@import`. Every such reference is inlined from the allowed folders (the same
rule as the PDF's fetcher, which also refuses the network) or refused. What would make a browser
load or run something else is refused: `<script>`, event handlers (`onload=`), `<base>`,
`<meta http-equiv=refresh>`, frames and plugins. A link (`<a href>`) stays clickable only to
`#ids`, `https:`, `http:`, `mailto:` and `tel:`, as in the PDF; any other link keeps its text and
loses its target.
"""

from __future__ import annotations

import base64
import html as html_lib
import mimetypes
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import NoReturn
from urllib.parse import urljoin, urlsplit

from reporter.errors import RenderError
from reporter.inputs.filegate import FileGate, Refused
from reporter.render.html import HtmlDocument

# Types browsers need to be told; mimetypes does not know every font format on every system.
MEDIA_TYPES = {".ttf": "font/ttf", ".otf": "font/otf", ".woff": "font/woff", ".woff2": "font/woff2",
               ".svg": "image/svg+xml", ".css": "text/css"}
# A link (`<a href>`) may lead anywhere; what the page loads itself may only be inlined or data:.
LINK_SCHEMES = ("http", "https", "mailto", "tel")
# Attributes that navigate when the reader acts (a click, a form): kept only to LINK_SCHEMES or #ids.
NAVIGATION_ATTRIBUTES = {"action", "formaction", "cite", "longdesc", "ping"}
# Attributes the page loads by itself: each becomes a data: URL from the allowed folders, or is refused.
RESOURCE_ATTRIBUTES = {"src", "href", "xlink:href", "poster", "background", "data", "lowsrc", "dynsrc",
                       "codebase", "archive", "manifest", "profile", "icon", "usemap", "imagesrcset"}
SRCSET_ATTRIBUTES = {"srcset", "imagesrcset"}
# Elements whose `href` is a link, not a resource.
LINK_ELEMENTS = {"a", "area"}
# Elements a self-contained, script-free page never needs: each runs code, loads another document
# or changes where every other reference points.
REFUSED_ELEMENTS = {
    "script": "scripts are not allowed", "base": "<base> would change every reference",
    "iframe": "frames are not allowed", "frame": "frames are not allowed",
    "frameset": "frames are not allowed", "embed": "plugins are not allowed",
    "applet": "plugins are not allowed", "portal": "frames are not allowed",
}
# `<object data>` shows an image in the PDF; in a browser an SVG or HTML object would run as a page.
OBJECT_MEDIA = ("image/png", "image/jpeg", "image/gif", "image/webp")
# What a data: URL may carry: images, fonts and stylesheets, never a page or a script.
INLINED_MEDIA = ("image/", "font/", "text/css", "application/font", "application/x-font",
                 "application/vnd.ms-fontobject")
# CSS functions whose string arguments are URLs, as url() is.
IMAGE_SET_FUNCTIONS = {"image-set", "-webkit-image-set"}


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
        except (OSError, ValueError) as exc:  # a name too long, a NUL byte: refused, not a traceback
            self._refuse(url, f"it cannot be read ({type(exc).__name__})", written)

    def _refuse(self, url: str, reason: str, written: str | None = None) -> NoReturn:
        """Stop with the user's file and line that wrote the reference, as the PDF's fetcher does."""
        from reporter.render.pdf import find_reference  # only on a mistake: it imports WeasyPrint

        files = self.document.user_files
        found = (find_reference(written, files) if written and written != url else None) \
            or find_reference(url, files, self.document.base_url)
        file, line = found or (self.document.template_path, None)
        raise RenderError(f"reference to {url} refused: {reason}", file=file, line=line)

    def refuse_markup(self, what: str, needle: str, reason: str) -> None:
        """Stop on markup that would run or load something, naming the user's file and line.

        `needle` is a pattern for where it was written (`<script`, `onclick\\s*=`), found in the
        user's files whatever its case.
        """
        for file in self.document.user_files:
            try:
                text = file.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue
            found = re.search(needle, text, re.IGNORECASE)
            if found:
                raise RenderError(f"{what} refused: {reason}", file=file,
                                  line=text.count("\n", 0, found.start()) + 1)
        raise RenderError(f"{what} refused: {reason}", file=self.document.template_path)

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

    def data_url(self, url: str, written: str, media: tuple[str, ...] = INLINED_MEDIA) -> str:
        path, data = self._read(url, written)
        media_type = MEDIA_TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0] \
            or "application/octet-stream"
        if not media_type.startswith(media):
            self._refuse(url, f"{media_type} cannot be part of the page here (only images, fonts "
                              "and stylesheets are inlined; an object only as a raster image)", written)
        self._check_font(url, data, path, written)
        if path.suffix.lower() == ".css":
            data = self.css(path, data, url, written).encode("utf-8")
        return f"data:{media_type};base64,{base64.b64encode(data).decode('ascii')}"

    def _check_font(self, url: str, data: bytes, path: Path, written: str) -> None:
        """A font travels with the page: it must draw figures as the PDF's check requires."""
        from reporter.render.fontcheck import font_problem, looks_like_font
        from reporter.theme.resolve import is_builtin_asset

        if looks_like_font(data) and not is_builtin_asset(path):
            problem = font_problem(data)
            if problem:
                self._refuse(url, f"the font cannot show figures truthfully: {problem}", written)

    def resource(self, written: str, media: tuple[str, ...] = INLINED_MEDIA) -> str:
        """Return what a resource attribute holds in the page: data: as written, else inlined."""
        target = self.resolve(written, self.base)
        if target is None:
            if written.strip()[:5].lower() == "data:" and not written.strip()[5:].lower().startswith(media):
                self._refuse(written[:60], "a data: URL of this type cannot be part of the page", written)
            return written
        return self.data_url(target, written, media)

    def srcset(self, value: str) -> str:
        """Inline each candidate of `srcset="a.png 1x, b.png 2x"` (URL, then optional descriptor)."""
        candidates = []
        for candidate in value.split(","):
            parts = candidate.split()
            if not parts:
                continue
            if parts[0].lower().startswith("data:"):  # a data: URL may itself hold a comma: refuse
                self._refuse(parts[0][:60], "data: URLs in srcset are not allowed", parts[0])
            candidates.append(" ".join([self.resource(parts[0]), *parts[1:]]))
        return ", ".join(candidates)

    def css_text(self, text: str, base: str) -> str:
        """Replace every url(), image-set() string and string @import of CSS text with a data: URL.

        Parsing with tinycss2, rather than searching for `url(`, leaves commented-out references
        alone and finds escaped ones (`u\\72l(`).
        """
        import tinycss2

        tokens = tinycss2.parse_component_value_list(text)
        self._inline_tokens(tokens, base)
        return tinycss2.serialize(tokens)

    def _inline_tokens(self, tokens: list, base: str, *, strings_are_urls: bool = False) -> None:
        previous = None
        for index, token in enumerate(tokens):
            written = _reference(token, previous)
            if written is None and strings_are_urls and token.type == "string":
                written = token.value
            if written is not None:
                tokens[index] = self._url_token(token, written, base)
            else:
                image_set = token.type == "function" and token.lower_name in IMAGE_SET_FUNCTIONS
                for nested in (getattr(token, "content", None), getattr(token, "arguments", None)):
                    if isinstance(nested, list):
                        self._inline_tokens(nested, base, strings_are_urls=image_set)
            if token.type not in ("whitespace", "comment"):
                previous = token

    def _url_token(self, token, written: str, base: str):
        from tinycss2.ast import URLToken

        target = self.resolve(written, base)
        if target is None:  # a #fragment or a data: URL stays as written
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

    def stylesheet(self, written: str) -> str:
        """Return the `<style>` element that stands for `<link rel=stylesheet href=written>`."""
        target = self.resolve(written, self.base)
        if target is None:
            self._refuse(written[:60] or "(empty)", "a stylesheet must be a file inside the report "
                                                     "and theme folders", written)
        path, data = self._read(target, written)
        if path.suffix.lower() != ".css":
            self._refuse(target, "a stylesheet must be a .css file", written)
        return f"<style>\n{_style_text(self.css(path, data, target, written))}</style>"

    def document_html(self) -> str:
        writer = _Rewriter(self)
        writer.feed(self.document.html.replace("\x00", ""))
        writer.close()
        return "".join(writer.out)


def _style_text(css: str) -> str:
    # Escaping keeps a `</style>` inside a stylesheet from ending the element early.
    return css.replace("</", "<\\/")


def _attribute(name: str, value: str | None) -> str:
    return f" {name}" if value is None else f' {name}="{html_lib.escape(value, quote=True)}"'


class _Rewriter(HTMLParser):
    """Write the document out again from its parsed tokens, each reference inlined or refused.

    Every tag is written from its parsed name and attributes (always double-quoted and escaped),
    so what a browser reads is what was checked, however the original was spelled.
    """

    def __init__(self, inliner: _Inliner):
        super().__init__(convert_charrefs=True)
        self.inliner = inliner
        self.out: list[str] = []
        self.style: list[str] | None = None  # the text of the <style> being read, if any

    def _tag(self, tag: str, attrs: list[tuple[str, str | None]], closing: str) -> None:
        if tag in REFUSED_ELEMENTS:
            self.inliner.refuse_markup(f"<{tag}>", rf"<{re.escape(tag)}\b", REFUSED_ELEMENTS[tag])
        attributes = dict(attrs)
        if tag == "meta" and (attributes.get("http-equiv") or "").strip().lower() == "refresh":
            self.inliner.refuse_markup("<meta http-equiv=refresh>", r"http-equiv\s*=\s*[\"']?refresh",
                                       "it would load another page")
        if tag == "link" and "stylesheet" in (attributes.get("rel") or "").lower().split():
            self.out.append(self.inliner.stylesheet(attributes.get("href") or ""))
            return
        written = []
        for name, given in attrs:
            value = self._value(tag, name, given)
            if value is not False and value is not True:  # False: the attribute is left out
                written.append(_attribute(name, value))
        self.out.append(f"<{tag}{''.join(written)}{closing}>")
        if tag == "style" and not closing:
            self.style = []

    def _value(self, tag: str, name: str, value: str | None) -> str | None | bool:
        """Return the attribute's value as written out, or False to leave the attribute out."""
        if name.startswith("on"):
            self.inliner.refuse_markup(f"{name}=", rf"\b{re.escape(name)}\s*=", "event handlers run scripts")
        if value is None:
            return value
        if name == "style":
            return self.inliner.css_text(value, self.inliner.base)
        if name in SRCSET_ATTRIBUTES:
            return self.inliner.srcset(value)
        if name in NAVIGATION_ATTRIBUTES or (tag in LINK_ELEMENTS and name in ("href", "xlink:href")):
            return value if _kept_link(value) else False
        if name in RESOURCE_ATTRIBUTES:
            media = OBJECT_MEDIA if tag == "object" else INLINED_MEDIA
            return self.inliner.resource(value, media)
        return value

    def handle_starttag(self, tag, attrs):
        self._tag(tag, attrs, "")

    def handle_startendtag(self, tag, attrs):
        self._tag(tag, attrs, " /")

    def handle_endtag(self, tag):
        if tag in REFUSED_ELEMENTS:
            self.inliner.refuse_markup(f"<{tag}>", rf"</{re.escape(tag)}\b", REFUSED_ELEMENTS[tag])
        if tag == "link":
            return
        if self.style is not None:
            css = self.inliner.css_text("".join(self.style), self.inliner.base)
            self.out.append(_style_text(css))
            self.style = None
        self.out.append(f"</{tag}>")

    def handle_data(self, data):
        if self.style is not None:
            self.style.append(data)
        else:
            # Written from the parsed text: a `<` the parser took for text stays text in a browser.
            self.out.append(html_lib.escape(data, quote=False))

    def close(self):
        super().close()
        if self.style is not None:  # a <style> never closed: its text is still CSS to check
            self.out.append(_style_text(self.inliner.css_text("".join(self.style), self.inliner.base)))
            self.style = None

    def handle_comment(self, data):
        # `--` and `>` could end the comment early in a browser's reading and start markup.
        self.out.append(f"<!--{data.replace('--', '- -').replace('>', '&gt;')}-->")

    def handle_decl(self, decl):
        if decl.lower().startswith("doctype"):
            self.out.append(f"<!{decl}>")

    def unknown_decl(self, data):
        if data.upper().startswith("CDATA["):  # SVG text: written as escaped text instead
            self.out.append(html_lib.escape(data[len("CDATA["):], quote=False))

    def handle_pi(self, data):
        pass  # `<?xml ...?>` processing instructions do nothing in HTML


def _kept_link(url: str) -> bool:
    """Whether a link stays clickable: #ids and the schemes LINK_SCHEMES, as in the PDF."""
    url = url.strip()
    return url.startswith("#") or urlsplit(url).scheme.lower() in LINK_SCHEMES


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
