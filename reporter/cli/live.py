"""The live page of `reporter preview`: the document's pages as the PDF renders them, on 127.0.0.1.

After each rebuild the PDF's pages are rasterised with pdfium (what a reader of the PDF sees,
print CSS and all, not a screen rendering of the HTML) and held in memory with the PDF itself;
the server answers only from that memory, so nothing on disk is ever served. The page asks for
`/state` several times a second and swaps in the new pages when the build's number changes;
a failed build shows its one-line error over the last good pages, which stay.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

# Pixels per PDF point for the pages: 1.5 draws an A4 page 893 px wide, sharp on most screens.
PAGE_SCALE = 1.5
# The page asks for news this often; a rebuild shows within a second of being written.
POLL_MILLISECONDS = 250
HOST = "127.0.0.1"  # never another interface: the preview is for the person at this machine


@dataclass
class LiveDocument:
    """What the page shows: the last good build's pages and PDF, and the last error, if any."""

    version: int = 0
    pages: list[bytes] = field(default_factory=list)  # PNG per page
    pdf: bytes = b""
    pdf_name: str = "document.pdf"
    error: str | None = None
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def built(self, pdf: Path) -> None:
        """Take a new build: rasterise its pages and keep its bytes."""
        data = pdf.read_bytes()
        pages = rasterise(data)
        with self.lock:
            self.pages, self.pdf, self.pdf_name, self.error = pages, data, pdf.name, None
            self.version += 1

    def failed(self, error: str) -> None:
        """Show a build's error over the last good pages."""
        with self.lock:
            self.error = error
            self.version += 1

    def state(self) -> dict:
        with self.lock:
            return {"version": self.version, "pages": len(self.pages), "error": self.error,
                    "pdf": self.pdf_name}


def rasterise(pdf: bytes, scale: float = PAGE_SCALE) -> list[bytes]:
    """Draw each page of a PDF as PNG bytes."""
    import io

    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    try:
        pages = []
        for page in document:
            buffer = io.BytesIO()
            page.render(scale=scale).to_pil().save(buffer, format="PNG", optimize=False)
            pages.append(buffer.getvalue())
        return pages
    finally:
        document.close()


PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>reporter preview</title>
<style>
  body { margin: 0; background: #e8eaed; font: 14px/1.4 system-ui, sans-serif; color: #222; }
  header { position: sticky; top: 0; background: #fff; border-bottom: 1px solid #ccc; padding: 8px 16px;
           display: flex; gap: 16px; align-items: center; z-index: 2; }
  header .status { color: #666; }
  main { display: flex; flex-direction: column; align-items: center; gap: 16px; padding: 16px; }
  main img { max-width: 100%; background: #fff; box-shadow: 0 1px 4px rgba(0,0,0,.25); }
  #error { display: none; position: fixed; left: 16px; right: 16px; bottom: 16px; z-index: 3;
           background: #fff4f4; border: 2px solid #c62828; color: #8e0000; padding: 12px 16px;
           font: 13px/1.4 ui-monospace, monospace; white-space: pre-wrap; box-shadow: 0 2px 8px rgba(0,0,0,.3); }
</style></head>
<body>
<header><strong>reporter preview</strong><a id="pdf" href="/document.pdf">PDF</a>
<span class="status" id="status">waiting for the first build</span></header>
<div id="error" role="alert"></div>
<main id="pages"></main>
<script>
let shown = -1;
async function poll() {
  try {
    const state = await (await fetch("/state", {cache: "no-store"})).json();
    if (state.version !== shown) {
      shown = state.version;
      const error = document.getElementById("error");
      error.textContent = state.error || "";
      error.style.display = state.error ? "block" : "none";
      if (!state.error) {
        const pages = document.getElementById("pages");
        pages.replaceChildren(...Array.from({length: state.pages}, (_, i) => {
          const img = document.createElement("img");
          img.src = `/page/${i + 1}.png?v=${state.version}`;
          img.alt = `Page ${i + 1}`;
          return img;
        }));
        document.getElementById("pdf").textContent = state.pdf;
      }
      document.body.dataset.version = state.version;
      document.getElementById("status").textContent =
        (state.error ? "build failed; showing the last good pages" : `${state.pages} pages`) + ` (build ${state.version})`;
    }
  } catch (e) {
    document.getElementById("status").textContent = "preview stopped";
  }
  setTimeout(poll, POLL);
}
poll();
</script>
</body></html>
""".replace("POLL", str(POLL_MILLISECONDS))


def make_handler(document: LiveDocument) -> type[BaseHTTPRequestHandler]:
    """A request handler that answers from `document` alone."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
            path = self.path.split("?", 1)[0]
            if path == "/":
                self.send(PAGE.encode("utf-8"), "text/html; charset=utf-8")
            elif path == "/state":
                self.send(json.dumps(document.state()).encode("utf-8"), "application/json")
            elif path == "/document.pdf":
                with document.lock:
                    pdf = document.pdf
                self.send(pdf, "application/pdf") if pdf else self.send_error(HTTPStatus.NOT_FOUND)
            elif path.startswith("/page/") and path.endswith(".png") and path[6:-4].isdigit():
                number = int(path[6:-4])
                with document.lock:
                    pages = document.pages
                if 1 <= number <= len(pages):
                    self.send(pages[number - 1], "image/png")
                else:
                    self.send_error(HTTPStatus.NOT_FOUND)
            else:
                self.send_error(HTTPStatus.NOT_FOUND)

        def send(self, body: bytes, content_type: str) -> None:
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass  # the terminal shows rebuilds, not every poll

    return Handler


def serve(document: LiveDocument, port: int = 0) -> ThreadingHTTPServer:
    """Start the server on 127.0.0.1 in a daemon thread; port 0 takes a free one."""
    server = ThreadingHTTPServer((HOST, port), make_handler(document))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, name="reporter-preview", daemon=True).start()
    return server
