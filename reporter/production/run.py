"""The production run: every folder x template x language of a quarter in one command.

Planning happens in the main process: each folder is read, normalised and tied out once there,
its themes are resolved (once per run for the folders that share them), and its files hashed.
Each folder whose documents are not all unchanged since the manifest was written goes, with its
loaded report, to a worker process as one task: the worker fact-checks it once per language and
builds all its documents with one `Renderer` (font configuration, image cache), the themes it
resolved before, and templates compiled once per process (reporter.theme.compiled). A failing
document is reported as its one line; the others are still written.
"""

from __future__ import annotations

import gc
import os
import resource
import time
import traceback
from collections import deque
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from multiprocessing import get_context
from pathlib import Path
from typing import Any, Callable, Iterable

from reporter import __version__
from reporter.errors import ReporterError
from reporter.production.manifest import (MANIFEST_NAME, Entry, folder_files, is_unchanged, load_manifest, sha256_file,
                               write_manifest)


@dataclass(frozen=True)
class Job:
    """One document to build: a folder, a template and a language (None: the report's own locale)."""

    folder: Path
    template: str
    language: str | None
    entry: Entry  # what the manifest will say about it, output sha and pages still empty
    # The folder read and tied out by plan(), shared by the folder's jobs (pickled once per task).
    report: Any = field(default=None, compare=False, repr=False)


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
    worker: int = 0  # the id of the process that built it


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


class Themes:
    """Resolve themes once per run: twenty folders on the built-in templates share three themes.

    A theme depends on the report folder only through its `templates/` folder (themes and
    overrides of its own), so folders without one share the built-ins' resolution, bound to each
    folder (`ResolvedTheme.report_dir`: its assets, its labels); a folder with one has its own.
    Reading a theme costs its theme.yaml files and its stylesheets' @font-face checks, about
    40 ms; the hashes of its files are kept too. The files are read once per run, like the
    manifest's hashes of them.
    """

    def __init__(self) -> None:
        self._themes: dict[tuple, Any] = {}
        self._names: dict[Path | None, list[str]] = {}
        self._files: dict[tuple[Path, str], dict[str, str]] = {}

    @staticmethod
    def _own(folder: Path) -> Path | None:
        return folder if (folder / "templates").is_dir() else None

    def resolve(self, name: str, folder: Path, theme_dir: Path | None):
        from reporter.theme.resolve import resolve_theme

        key = (name, theme_dir, self._own(folder))
        if key not in self._themes:
            self._themes[key] = resolve_theme(name, folder, theme_dir)
        # The same theme and search path; the report folder is this one (its assets, its labels).
        return replace(self._themes[key], report_dir=folder)

    def names(self, folder: Path) -> list[str]:
        """The templates `-t all` builds for this folder."""
        from reporter.theme.resolve import BASE_THEME, available_themes

        key = self._own(folder)
        if key not in self._names:
            self._names[key] = [t.name for t in available_themes(folder) if t.name != BASE_THEME]
        return self._names[key]

    def files(self, folder: Path, prefix: str) -> dict[str, str]:
        if (folder, prefix) not in self._files:
            self._files[(folder, prefix)] = folder_files(folder, prefix)
        return self._files[(folder, prefix)]


def plan(folders: Iterable[Path], templates: list[str], options: RunOptions,
         themes: Themes | None = None) -> tuple[list[Job], list[Outcome]]:
    """Expand folders x templates x languages into jobs; a folder that cannot be read fails as one line."""
    from reporter.data.report import load_report
    from reporter.build.outputs import output_name
    from reporter.data.validate import require_tie_outs

    themes = themes or Themes()
    jobs: list[Job] = []
    failures: list[Outcome] = []
    for folder in folders:
        try:
            # Read and check the data once per folder, so a broken folder is one line, not one per
            # template; the workers build from this very report (Job.report), never read it again.
            report = load_report(folder)
            require_tie_outs(report.tie_outs, report.settings)
            settings = report.settings
            names = list(dict.fromkeys(
                name for requested in templates
                for name in (themes.names(folder) if requested == "all" else [requested])))
            report_files = folder_files(folder)
            # The earlier reports of `history:` are inputs too: an edit to last year's folder
            # changes what this one's checks say, so its documents are rebuilt.
            for index, earlier in enumerate(settings.history, 1):
                report_files.update(folder_files(earlier, f"history{index}:{earlier.name}/", confined=True))
            for name in names:
                theme = themes.resolve(name, folder, options.theme_dir)
                theme_files = {}
                for member in theme.chain:
                    theme_files.update(themes.files(member.folder, f"theme:{member.name}/"))
                if options.theme_dir is not None:
                    theme_files.update(themes.files(options.theme_dir, "theme-dir/"))
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
                    jobs.append(Job(folder, name, language, entry, report))
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

class Worker:
    """What a worker process keeps from one document to the next: renderer and resolved themes."""

    def __init__(self) -> None:
        from reporter.render.pdf import Renderer

        self.renderer = Renderer()
        self.themes = Themes()
        self.folders = 0  # folders built so far


_worker: Worker | None = None


def _this_worker() -> Worker:
    """Return this process's worker state, made on first use."""
    global _worker
    if _worker is None:
        _worker = Worker()
    return _worker


def build_folder(jobs: list[Job], options: RunOptions, worker: Worker | None = None) -> tuple[list[Outcome], float]:
    """Build the documents of one folder (all its templates and languages); return them with this
    process's resident memory in MB afterwards, by which the run decides to replace the worker.

    The report was loaded by plan(); it is fact-checked once per language here.
    """
    worker = worker or _this_worker()
    # WeasyPrint's image cache keeps each image with the layout of the document that first drew
    # it (an SVG holds its LayoutContext): a logo per folder kept one whole quarterly briefing
    # alive, 5 MB per folder. Images are shared within a folder; the next folder starts afresh.
    worker.renderer.cache.clear()
    checks: dict[str | None, ReporterError | None] = {}
    outcomes = [build_job(job, options, worker, checks) for job in jobs]
    worker.folders += 1
    if worker.folders == 1 and worker is _worker:  # a worker process, not the caller's own
        # What the first folder left is what every later one uses: the fonts, the compiled
        # templates, the themes, the subset cache. Freeze it, as the CLI freezes the imports, so
        # the collection after each render no longer walks it: 54 -> 30 ms a document.
        worker.renderer.cache.clear()
        gc.collect()
        gc.freeze()
    return outcomes, resident_mb()


def build_job(job: Job, options: RunOptions, worker: Worker | None = None,
              checks: dict | None = None) -> Outcome:
    """Build one document; turn a mistake in the user's files into its one line.

    `checks` remembers, per language, whether the folder's report passed its checks (tie-outs,
    commentary facts, placeholders), so a folder is checked once per language, and a failure is
    still the same one line for each of its documents.
    """
    from reporter.build.document import build_document
    from reporter.build.outputs import OutputFormat
    from reporter.data.report import check_report, load_report

    worker = worker or _this_worker()
    checks = {} if checks is None else checks
    started = time.perf_counter()
    try:
        report = job.report if job.report is not None else load_report(job.folder)
        if job.language not in checks:
            try:
                check_report(report.in_language(job.language) if job.language else report)
                checks[job.language] = None
            except ReporterError as error:
                checks[job.language] = error
        if checks[job.language] is not None:
            raise checks[job.language]
        theme = worker.themes.resolve(job.template, job.folder, options.theme_dir)
        written = build_document(report, theme, output=options.outdir,
                                 output_format=OutputFormat(options.output_format), renderer=worker.renderer,
                                 pdf_variant=job.entry.pdf_variant, language=job.language, checked=True)
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
    outcome.worker = os.getpid()
    return outcome


def resident_mb() -> float:
    """This process's resident memory now, in MB (ru_maxrss is only the peak)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):  # pragma: no cover - not Linux
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


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
    from reporter.production.diff import diff_pdfs, write_diff

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
    several = len(folders) * len(templates) > 1 or "all" in templates or options.lang == "all"
    if several and (options.force or not (options.outdir / MANIFEST_NAME).is_file()):
        # Every document will be built on workers: let the fork server import the libraries
        # while this process plans (0.7 s of imports off the critical path).
        _fork_server_context()
    themes = Themes()
    jobs, outcomes = plan(folders, templates, options, themes)
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
    for outcome in _execute(by_folder(to_build), options, themes):
        outcomes.append(outcome)
        if outcome.entry is not None:
            manifest[outcome.entry.output] = outcome.entry
        report(outcome)
    if jobs:
        write_manifest(options.outdir, manifest)
    return outcomes


def by_folder(jobs: list[Job]) -> list[list[Job]]:
    """Group the jobs into one task per folder, in the order the folders were given."""
    groups: dict[Path, list[Job]] = {}
    for job in jobs:
        groups.setdefault(job.folder, []).append(job)
    return list(groups.values())


def balanced(tasks: list[list[Job]], workers: int) -> list[list[Job]]:
    """Split the largest folders' tasks until every worker has one (one folder, -t all, --jobs 2).

    Each part is built from the same planned report; only the per-language check runs once per part.
    """
    tasks = list(tasks)
    while len(tasks) < workers:
        largest = max(range(len(tasks)), key=lambda index: len(tasks[index]))
        task = tasks[largest]
        if len(task) < 2:
            break
        half = (len(task) + 1) // 2
        tasks[largest:largest + 1] = [task[:half], task[half:]]
    return tasks


# A worker whose resident memory is above this after a folder is replaced by a fresh one before
# the next folder. A worker building the benchmark's 60 documents stays under 150 MB (once
# WeasyPrint's image cache is dropped between folders, see build_folder), so this only stops an
# unusual folder (a very long statement) from raising the memory of every later one.
RETIRE_ABOVE_MB = 180.0


def _execute(tasks: list[list[Job]], options: RunOptions, themes: Themes | None = None) -> Iterable[Outcome]:
    """Build the folders' documents: one document in this process, more on worker processes."""
    if sum(len(task) for task in tasks) <= 1:
        worker = None
        for task in tasks:
            worker = worker or Worker()
            worker.themes = themes or worker.themes  # resolved while planning
            yield from build_folder(task, options, worker)[0]
        return
    yield from _on_workers(tasks, options)


def _fork_server_context():
    """Return the fork server's context, the server started and importing the heavy libraries."""
    from multiprocessing import forkserver

    context = get_context("forkserver")
    context.set_forkserver_preload(["reporter.production.run", "reporter.build.document", "reporter.render.pdf", "reporter.production.diff"])
    forkserver.ensure_running()  # returns at once; the server imports in the background
    return context


def _on_workers(tasks: list[list[Job]], options: RunOptions) -> Iterable[Outcome]:
    """Run one folder at a time on each of `options.jobs` workers, replacing a worker that grew.

    Workers are forked from a fork server that imported the heavy libraries once: each starts
    warm without a copy of this process's threads and locks (the progress bar, the pool's own
    manager thread), which a plain fork would inherit. Each worker is a pool of one process, so
    it can be replaced on its own after the folder that made it grow (RETIRE_ABOVE_MB): Python
    3.11's own `max_tasks_per_child` deadlocks when a worker retires with tasks still queued.
    A worker gets its next folder when it returns the last, so none sits idle while another
    has a queue.
    """
    context = _fork_server_context()
    tasks = balanced(tasks, options.jobs)
    queue = deque(tasks)
    slots: list[ProcessPoolExecutor] = []
    running = {}  # future -> (slot index, its task)
    try:
        for index in range(min(options.jobs, len(tasks))):
            slots.append(ProcessPoolExecutor(max_workers=1, mp_context=context))
            task = queue.popleft()
            running[slots[index].submit(build_folder, task, options)] = index, task
        while running:
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                index, task = running.pop(future)
                try:
                    outcomes, resident = future.result()
                except BrokenProcessPool:  # the worker died (killed, out of memory): say so per document
                    outcomes, resident = [_lost(job) for job in task], float("inf")
                yield from outcomes
                if queue:
                    if resident > RETIRE_ABOVE_MB:
                        slots[index].shutdown()
                        slots[index] = ProcessPoolExecutor(max_workers=1, mp_context=context)
                    task = queue.popleft()
                    running[slots[index].submit(build_folder, task, options)] = index, task
    finally:
        for slot in slots:
            slot.shutdown(cancel_futures=True)


def _lost(job: Job) -> Outcome:
    return Outcome("failed", None, f"error: {job.folder} ({job.template}): the worker process building it "
                                   f"stopped (killed, or out of memory); nothing was written for it")


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
