"""The production run: every folder x template x language of a quarter in one command.

Planning happens in the main process (cheap: settings and theme lookup, file hashes); each
document that is not unchanged since the manifest was written goes to a worker process. Each
worker keeps one `Renderer` (font configuration, image cache) for all the documents it builds,
so WeasyPrint and pandas are imported and fonts are loaded once per worker, not per document.
A failing document is reported as its one line; the others are still written.
"""

from __future__ import annotations

import os
import resource
import time
import traceback
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field, replace
from multiprocessing import get_context
from pathlib import Path
from typing import Callable, Iterable

from reporter import __version__
from reporter.errors import ReporterError
from reporter.manifest import Entry, folder_files, is_unchanged, load_manifest, sha256_file, write_manifest


@dataclass(frozen=True)
class Job:
    """One document to build: a folder, a template and a language (None: the report's own locale)."""

    folder: Path
    template: str
    language: str | None
    entry: Entry  # what the manifest will say about it, output sha and pages still empty


@dataclass
class Outcome:
    """What happened to one document (or to a folder that could not be planned)."""

    status: str  # "built", "unchanged" or "failed"
    output: Path | None
    message: str = ""  # the one line of a failure
    seconds: float = 0.0
    peak_rss_mb: float = 0.0
    entry: Entry | None = None
    changes: list[str] = field(default_factory=list)  # against the approved copy (--against)
    diff_dir: Path | None = None


@dataclass
class RunOptions:
    outdir: Path
    theme_dir: Path | None = None
    output_format: str = "pdf"
    pdf_variant: str | None = None
    force: bool = False
    jobs: int = 1
    against: Path | None = None
    lang: str | None = None  # --lang: one language of report.yaml, "all", or None for the default


def default_jobs() -> int:
    """Use every core this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def languages(settings, lang: str | None) -> list[str | None]:
    """Return the languages to build a folder in, the language axis of the matrix.

    None is the report's default language under the name without a suffix (no `--lang`);
    `--lang all` is every language report.yaml lists, `--lang fr_CA` that one.
    """
    if lang is None:
        return [None]
    if lang == "all":
        return list(settings.languages) or [None]
    return [lang]


def plan(folders: Iterable[Path], templates: list[str], options: RunOptions) -> tuple[list[Job], list[Outcome]]:
    """Expand folders x templates x languages into jobs; a folder that cannot be read fails as one line."""
    from reporter.pipeline import load_report, output_name
    from reporter.validate import require_tie_outs
    from reporter.themes import BASE_THEME, available_themes, resolve_theme

    jobs: list[Job] = []
    failures: list[Outcome] = []
    for folder in folders:
        try:
            # Read and check the data once per folder, so a broken folder is one line, not one per template.
            report = load_report(folder)
            require_tie_outs(report.tie_outs, report.settings)
            settings = report.settings
            names = list(dict.fromkeys(
                name for requested in templates
                for name in ([t.name for t in available_themes(folder) if t.name != BASE_THEME]
                             if requested == "all" else [requested])))
            report_files = folder_files(folder)
            for name in names:
                theme = resolve_theme(name, folder, options.theme_dir)
                theme_files = {}
                for member in theme.chain:
                    theme_files.update(folder_files(member.folder, f"theme:{member.name}/"))
                if options.theme_dir is not None:
                    theme_files.update(folder_files(options.theme_dir, "theme-dir/"))
                for language in languages(settings, options.lang):
                    # Named as build_report names it: the report's own Language for the tag or code.
                    named = report.in_language(language).language if language else None
                    entry = Entry(
                        output=f"{output_name(settings, theme, named)}.{options.output_format}",
                        folder=str(folder), template=name,
                        language=(language or settings.locale).replace("_", "-"),
                        pdf_variant=options.pdf_variant or settings.pdf_variant,
                        format=options.output_format, inputs={**report_files, **theme_files},
                        reporter_version=__version__)
                    jobs.append(Job(folder, name, language, entry))
        except ReporterError as error:
            failures.append(Outcome("failed", None, str(error)))
    return _without_collisions(jobs, failures)


def _without_collisions(jobs: list[Job], failures: list[Outcome]) -> tuple[list[Job], list[Outcome]]:
    """Refuse two documents that would be written to the same file, naming both folders."""
    first: dict[str, Job] = {}
    kept = []
    for job in jobs:
        other = first.setdefault(job.entry.output, job)
        if other is job:
            kept.append(job)
        else:
            failures.append(Outcome("failed", None,
                                    f"error: {job.folder}: would write {job.entry.output}, as "
                                    f"{other.folder} does (same company, subject, period and template)"))
    return kept, failures


# --- in a worker ------------------------------------------------------------------------------

_renderer = None


def _worker_renderer():
    """Return this process's renderer, made on first use and kept for every later document."""
    global _renderer
    if _renderer is None:
        from reporter.pdf import Renderer
        _renderer = Renderer()
    return _renderer


def build_job(job: Job, options: RunOptions) -> Outcome:
    """Build one document; turn a mistake in the user's files into its one line."""
    from reporter.build import build_report
    from reporter.pipeline import OutputFormat

    started = time.perf_counter()
    try:
        written = build_report(job.folder, template=job.template, theme_dir=options.theme_dir,
                               output=options.outdir, output_format=OutputFormat(options.output_format),
                               renderer=_worker_renderer(), pdf_variant=job.entry.pdf_variant,
                               language=job.language)
        entry = replace(job.entry, sha256=sha256_file(written), pages=page_count(written))
        outcome = Outcome("built", written, entry=entry)
    except ReporterError as error:
        outcome = Outcome("failed", None, str(error))
    except Exception:  # a bug in reporter: keep its traceback, and let the other documents go on
        outcome = Outcome("failed", None, f"internal error: {job.folder} ({job.template}):\n"
                                          + traceback.format_exc().rstrip())
    if outcome.status == "built" and options.against is not None:
        compare_with_approved(outcome, options)
    outcome.seconds = time.perf_counter() - started
    outcome.peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return outcome


def page_count(path: Path) -> int | None:
    """Count the pages of a PDF as a reader would (None for HTML)."""
    if path.suffix.lower() != ".pdf":
        return None
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(path))
    try:
        return len(document)
    finally:
        document.close()


def compare_with_approved(outcome: Outcome, options: RunOptions) -> None:
    """Diff a document against the approved copy of the same name, writing the diff beside the output."""
    from reporter.diff import diff_pdfs, write_diff

    approved = options.against / outcome.output.name
    if not approved.is_file():
        outcome.changes = [f"no approved copy {approved}"]
        return
    if approved.read_bytes() == outcome.output.read_bytes():
        return
    result = diff_pdfs(approved, outcome.output)
    if result.changed:
        outcome.diff_dir = options.outdir / "diff" / outcome.output.stem
        write_diff(result, outcome.diff_dir)
        outcome.changes = result.describe()


# --- the run ----------------------------------------------------------------------------------


def run(folders: list[Path], templates: list[str], options: RunOptions,
        report: Callable[[Outcome], None], planned: Callable[[int], None] = lambda total: None) -> list[Outcome]:
    """Plan, skip the unchanged, build the rest on `options.jobs` workers, write the manifest.

    `report` is called with each outcome as soon as it is known (progress, one line per document).
    """
    jobs, outcomes = plan(folders, templates, options)
    planned(len(jobs) + len(outcomes))
    for failure in outcomes:
        report(failure)
    previous = load_manifest(options.outdir)
    manifest = {name: entry for name, entry in previous.items() if (options.outdir / name).is_file()}
    to_build = []
    for job in jobs:
        old = previous.get(job.entry.output)
        if not options.force and is_unchanged(old, job.entry, options.outdir):
            outcome = Outcome("unchanged", options.outdir / job.entry.output, entry=old)
            if options.against is not None:
                compare_with_approved(outcome, options)
            outcomes.append(outcome)
            report(outcome)
        else:
            manifest.pop(job.entry.output, None)  # rebuilt below, or failed: no stale entry either way
            to_build.append(job)
    for outcome in _execute(to_build, options):
        outcomes.append(outcome)
        if outcome.entry is not None:
            manifest[outcome.entry.output] = outcome.entry
        report(outcome)
    if jobs:
        write_manifest(options.outdir, manifest)
    return outcomes


# Workers are replaced after this many documents each: one process that rendered all 60
# documents of the benchmark peaked at 241 MB, against 139 MB for one document, and a fresh
# worker costs only a fork from the preloaded server and loading the fonts again.
DOCUMENTS_PER_WORKER = 12


def _execute(jobs: list[Job], options: RunOptions) -> Iterable[Outcome]:
    """Build one document in this process, several on pools of worker processes."""
    if len(jobs) <= 1:
        for job in jobs:
            yield build_job(job, options)
        return
    # Workers are forked from a fork server that imported the heavy libraries once: each starts
    # warm without a copy of this process's threads and locks (the progress bar, the pool's own
    # manager thread), which a plain fork would inherit. Each worker keeps its own renderer; one
    # document per task, so no worker sits idle at the end with a chunk left elsewhere.
    # A fresh pool per round of documents replaces the workers: Python 3.11's own
    # `max_tasks_per_child` deadlocks when a worker retires with tasks still queued.
    context = get_context("forkserver")
    context.set_forkserver_preload(["reporter.batch", "reporter.build", "reporter.pdf", "reporter.diff"])
    workers = min(options.jobs, len(jobs))
    size = workers * DOCUMENTS_PER_WORKER
    for start in range(0, len(jobs), size):
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            futures = [pool.submit(build_job, job, options) for job in jobs[start:start + size]]
            for future in as_completed(futures):
                yield future.result()


def summary(outcomes: list[Outcome], seconds: float) -> str:
    """Say in one line what the run did."""
    counts = {status: sum(o.status == status for o in outcomes) for status in ("built", "unchanged", "failed")}
    line = (f"{counts['built']} built, {counts['unchanged']} unchanged, {counts['failed']} failed "
            f"in {seconds:.1f} s")
    built = [o for o in outcomes if o.status == "built"]
    if built:  # max RSS of a worker process, shared library pages included
        line += f"; peak memory per worker {max(o.peak_rss_mb for o in built):.0f} MB"
    changed = [o for o in outcomes if o.changes]
    if any(o.status != "failed" for o in outcomes) and changed:
        line += f"; {len(changed)} differ from the approved copies"
    return line
