"""`reporter preview`: rebuild the HTML and PDF whenever the report folder or the theme changes.

One process, one WeasyPrint font configuration and image cache across rebuilds, so a rebuild
costs about what WeasyPrint's own layout of the page costs; the imports are paid once. Each
rebuild is also shown on a live page in the browser (reporter.cli.live): the PDF's own pages,
reloaded by themselves, with a failed build's error over the last good ones.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from reporter.cli.live import LiveDocument
from reporter.errors import ReporterError
from reporter.build.document import build_report
from reporter.render.pdf import Renderer
from reporter.build.outputs import OutputFormat
from reporter.theme.resolve import resolve_theme


@dataclass
class Rebuild:
    pdf: Path | None
    seconds: float
    error: str | None = None


def rebuild(report_dir: Path, *, template: str, theme_dir: Path | None, output: Path | None,
            renderer: Renderer, language: str | None = None, draft: bool = False) -> Rebuild:
    """Write the HTML and the PDF once; a mistake in the user's files is reported, not raised."""
    started = time.perf_counter()
    try:
        pdf = build_report(report_dir, template=template, theme_dir=theme_dir, output=output,
                           output_format=(OutputFormat.html, OutputFormat.pdf), renderer=renderer,
                           language=language, draft=draft)
    except ReporterError as error:
        return Rebuild(None, time.perf_counter() - started, str(error))
    return Rebuild(pdf, time.perf_counter() - started)


def watched_folders(report_dir: Path, template: str, theme_dir: Path | None) -> list[Path]:
    """Watch the report folder, the --theme folder and every folder of the theme chain."""
    try:
        return resolve_theme(template, report_dir, theme_dir).watched_folders
    except ReporterError:  # the first rebuild reports the problem
        folders = [report_dir] + ([theme_dir] if theme_dir is not None else [])
        return list(dict.fromkeys(f.resolve() for f in folders))


def preview(report_dir: Path, *, template: str, theme_dir: Path | None, output: Path | None,
            echo: Callable[[str], None], changes: Iterable | None = None, language: str | None = None,
            draft: bool = False, live: LiveDocument | None = None) -> None:
    """Build once, then again after every change, printing what each rebuild took.

    With `live`, each good build's pages (and each failure) are handed to the live page.
    """
    from watchfiles import watch

    renderer = Renderer()

    def build() -> None:
        result = rebuild(report_dir, template=template, theme_dir=theme_dir, output=output, renderer=renderer,
                         language=language, draft=draft)
        if result.error or result.pdf is None:
            echo(f"{result.error}  ({result.seconds:.2f} s)")
            if live is not None:
                live.failed(result.error or "no PDF was written")
            return
        echo(f"rebuilt {result.pdf} in {result.seconds:.2f} s")
        if live is not None:
            live.built(result.pdf)

    build()
    folders = watched_folders(report_dir, template, theme_dir)
    echo("watching " + ", ".join(str(f) for f in folders) + " (Ctrl+C to stop)")
    out = (output or Path("output")).resolve()
    for batch in changes if changes is not None else watch(*folders):
        # Ignore what we write ourselves when the output folder sits inside a watched folder.
        if all(Path(path).resolve().is_relative_to(out) for _, path in batch):
            continue
        build()
