"""reporter as a library: build, validate and run production from Python, without the shell.

    >>> import reporter
    >>> pdf = reporter.build("reports/q3")                      # doctest: +SKIP
    >>> pdf[:5]                                                  # doctest: +SKIP
    b'%PDF-'
    >>> reporter.build("reports/q3", lang="fr_CA", output="out/")  # doctest: +SKIP
    PosixPath('out/almonty-los-santos-mine-q3-2011-investor-summary-fr-ca.pdf')
    >>> reporter.validate("reports/q3").ok                      # doctest: +SKIP
    True

Every mistake in the user's files raises one of the `reporter.ReporterError` family, whose
`str()` is the one line the CLI prints (file and place). Nothing here changes the host process
for good: WeasyPrint's font subsetting is replaced only while reporter renders, signal handlers
and garbage collection are restored after each render, and the font cache goes where
`cache_dir` (or `$REPORTER_CACHE_DIR`) says.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING, Literal, Sequence, overload

from reporter.errors import ReporterError

if TYPE_CHECKING:
    from reporter.data.validation import Validation
    from reporter.production.run import Outcome

PathLike = str | os.PathLike[str]
DEFAULT_TEMPLATE = "investor-summary"
CacheDir = PathLike | Literal[False] | None
log = logging.getLogger("reporter")


def report_folder(folder: PathLike | None) -> Path:
    """The folder named, else the report folder of the current directory (or above), else the example."""
    if folder is not None:
        path = Path(folder).resolve()
        if not path.is_dir():
            raise ReporterError("no such report folder" if not path.exists() else
                                "not a folder; give the report folder (report.yaml, figures.csv, ...)", file=path)
        return path
    from reporter.inputs.discover import example_note, find_report_folder

    found = find_report_folder(Path.cwd())
    if found is not None:
        return found
    from reporter.data.report import default_report_dir

    log.info(example_note(Path.cwd()))
    return default_report_dir()


@overload
def build(folder: PathLike | None = None, *, template: str = DEFAULT_TEMPLATE, theme: PathLike | None = None,
          lang: str | None = None, draft: bool = False, pdf_variant: str | None = None,
          output: None = None, cache_dir: CacheDir = None) -> bytes: ...


@overload
def build(folder: PathLike | None = None, *, template: str = DEFAULT_TEMPLATE, theme: PathLike | None = None,
          lang: str | None = None, draft: bool = False, pdf_variant: str | None = None,
          output: PathLike, cache_dir: CacheDir = None) -> Path: ...


def build(folder: PathLike | None = None, *, template: str = DEFAULT_TEMPLATE, theme: PathLike | None = None,
          lang: str | None = None, draft: bool = False, pdf_variant: str | None = None,
          output: PathLike | None = None, cache_dir: CacheDir = None) -> bytes | Path:
    """Build one PDF of a report folder: its bytes when `output` is None, else the path written.

    folder: the report folder (report.yaml, statement.yaml, figures.csv, commentary.md); None is
        the one the current directory is in, else the embedded Los Santos example.
    template: investor-summary, quarterly-briefing, press-release, or a theme of the folder's templates/.
    theme: a theme folder of your own (its theme.yaml's `extends` names the template it builds on).
    lang: one of report.yaml's `languages` (`fr_CA`); None is the first.
    draft: build although TODO placeholders are left: DRAFT on every page, -draft in the name.
    pdf_variant: `pdf/a-3b` or `pdf/ua-1`; None is report.yaml's `pdf_variant`, else a plain PDF.
    output: a file ending in .pdf, or a folder (the file is named as `reporter build` names it).
    cache_dir: where the font subset cache goes; False for none; None is `$REPORTER_CACHE_DIR`,
        else `$XDG_CACHE_HOME/reporter`, else `~/.cache/reporter`.

    >>> reporter.build(template="press-release")[:5]   # doctest: +SKIP
    b'%PDF-'

    Raises ReporterError (DataError, StatementError, ThemeError, TemplateError, RenderError) for
    a mistake in the folder or the theme; nothing is written then.
    """
    from reporter.inputs.settings import PDF_VARIANTS
    from reporter.render.fontsubset import use_cache_root

    if pdf_variant is not None and pdf_variant not in PDF_VARIANTS:
        raise ReporterError(f"pdf_variant must be one of {', '.join(PDF_VARIANTS)}, got {pdf_variant!r}")
    path = report_folder(folder)
    theme_dir = _theme_folder(theme)
    with use_cache_root(None if cache_dir is None else False if cache_dir is False else Path(cache_dir)):
        if output is not None:
            from reporter.build.document import build_report
            from reporter.build.outputs import OutputFormat

            target = Path(output)
            if target.suffix.lower() == ".html":
                raise ReporterError("reporter.build writes PDF; give a file ending in .pdf or a folder",
                                    file=target)
            return build_report(path, template=template, theme_dir=theme_dir, output=target,
                                output_format=OutputFormat.pdf, draft=draft, pdf_variant=pdf_variant,
                                language=lang)
        from reporter.build.document import document_pdf
        from reporter.data.report import load_report
        from reporter.theme.resolve import resolve_theme

        report = load_report(path, [lang] if lang else [])
        return document_pdf(report, resolve_theme(template, path, theme_dir), draft=draft,
                            pdf_variant=pdf_variant, language=lang)


def validate(folder: PathLike | None = None) -> Validation:
    """Check a report folder's subtotals, its commentary's amounts and its placeholders.

    Returns a `Validation`: `tie_outs` (each subtotal per period: computed, published, status),
    `commentary` (each amount of the commentary against the figures), `unchecked_translations`,
    `placeholders`, and `ok` (nothing fails). Disagreeing figures are findings, not exceptions;
    a folder that cannot be read raises the ReporterError naming the file and place.

    >>> [t.status.value for t in reporter.validate().tie_outs][:2]   # doctest: +SKIP
    ['rounding', 'ties']
    """
    from reporter.data.report import load_report
    from reporter.data.validation import validate_report

    return validate_report(load_report(report_folder(folder)))


def production_run(folders: Sequence[PathLike], *, templates: Sequence[str] = (DEFAULT_TEMPLATE,),
                   theme: PathLike | None = None, output: PathLike = "output",
                   output_format: Literal["pdf", "html"] = "pdf", pdf_variant: str | None = None,
                   lang: str | None = None, jobs: int | None = None, force: bool = False,
                   against: PathLike | None = None) -> list[Outcome]:
    """Build every folder x template into `output` on worker processes, with manifest.json.

    Documents whose inputs did not change since the manifest are not rebuilt (unless `force`);
    `against` diffs each document against the approved copy of the same name there. Returns one
    `Outcome` per document (`status` built, unchanged or failed; `output`; `message` of a
    failure): a document that fails does not stop the others. The workers' font cache follows
    `$REPORTER_CACHE_DIR`.

    >>> [o.status for o in reporter.production_run(["q3/aii", "q3/abc"], output="out")]  # doctest: +SKIP
    ['built', 'built']
    """
    from reporter.production.run import RunOptions, default_jobs, run

    if not folders:
        raise ReporterError("production_run needs at least one report folder")
    options = RunOptions(outdir=Path(output), theme_dir=_theme_folder(theme), output_format=output_format,
                         pdf_variant=pdf_variant, force=force, jobs=jobs or default_jobs(),
                         against=Path(against).resolve() if against is not None else None, lang=lang)
    return run([report_folder(f) for f in folders], list(templates), options, lambda outcome: None)


def _theme_folder(theme: PathLike | None) -> Path | None:
    if theme is None:
        return None
    path = Path(theme).resolve()
    if not path.is_dir():
        raise ReporterError("no such theme folder", file=path)
    return path
