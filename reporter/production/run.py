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
import shutil
import time
import traceback
from collections import deque
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Sequence

from reporter import __version__
from reporter.errors import ReporterError
from reporter.render.interrupt import Interrupted, check
from reporter.production.manifest import (MANIFEST_NAME, Entry, folder_files, is_unchanged, load_manifest,
                                         sha256_file, write_manifest)

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

    from reporter.build.plan import PlannedDocument


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
    draft: bool = False  # a one-shot build only: TODO placeholders allowed, DRAFT on every page


def default_jobs() -> int:
    """Use the cores this process may run on that are actually free.

    On a machine where other work holds a core, a second worker only makes both wait: a run's
    default `--jobs` was measured slower than `--jobs 1` there. The load average (processes
    running or waiting, over the last minute) says how many cores are taken; at least one worker.
    """
    return free_cores(usable_cores(), os.getloadavg()[0])


def usable_cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def free_cores(cores: int, load: float) -> int:
    """Cores minus those the load average says are busy (rounded), at least one."""
    return max(1, min(cores, cores - round(load)))


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
        from reporter.build.plan import theme_names

        key = self._own(folder)
        if key not in self._names:
            self._names[key] = theme_names(folder)
        return self._names[key]

    def files(self, folder: Path, prefix: str, skip: Path | None = None) -> dict[str, str]:
        if (folder, prefix) not in self._files:
            self._files[(folder, prefix)] = folder_files(folder, prefix, skip)
        return self._files[(folder, prefix)]


def plan(folders: Iterable[Path], templates: list[str], options: RunOptions,
         themes: Themes | None = None) -> tuple[list[Job], list[Outcome]]:
    """Expand folders x templates x languages into jobs; a folder that cannot be read fails as one line."""
    from reporter.build.plan import plan_folder
    from reporter.data.report import load_report
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
            report_files = folder_files(folder, skip=options.outdir)
            # The earlier reports of `history:` are inputs too: an edit to last quarter's folder
            # changes what this one's checks say, so its documents are rebuilt. Their files are
            # hashed as a folder's are: a symlink recorded by where it points, never followed.
            for index, earlier in enumerate(settings.history, 1):
                report_files.update(folder_files(earlier, f"history{index}:{earlier.name}/", skip=options.outdir))
            documents = plan_folder(folder, settings, templates, options.lang, lambda: themes.names(folder))
            jobs.extend(folder_jobs(report, documents, options, themes, report_files))  # as far as it goes
        except ReporterError as error:
            failures.append(Outcome("failed", None, str(error)))
    return _without_collisions(jobs, failures)


def folder_jobs(report: Any, documents: Sequence[PlannedDocument], options: RunOptions, themes: Themes,
                report_files: dict[str, str] | None) -> Iterator[Job]:
    """Turn a loaded folder's planned documents into jobs, each with what the manifest will say.

    `report_files` are the folder's hashed inputs; None for a one-shot build, which writes no
    manifest and so hashes nothing.
    """
    from reporter.build.plan import document_name

    settings = report.settings
    for document in documents:
        folder, name, language = document.folder, document.template, document.language
        theme = themes.resolve(name, folder, options.theme_dir)
        theme_files: dict[str, str] = {}
        if report_files is not None:
            for member in theme.chain:
                theme_files.update(themes.files(member.folder, f"theme:{member.name}/", options.outdir))
            if options.theme_dir is not None:
                theme_files.update(themes.files(options.theme_dir, "theme-dir/", options.outdir))
        entry = Entry(
            output=f"{document_name(report, theme, language, options.draft)}.{options.output_format}",
            folder=str(folder), template=name,
            language=(language or settings.locale).replace("_", "-"),
            pdf_variant=options.pdf_variant or settings.pdf_variant,
            format=options.output_format, inputs={**(report_files or {}), **theme_files},
            reporter_version=__version__)
        yield Job(folder, name, language, entry, report)


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

    `checks` remembers, per language, the folder's report checked in it (tie-outs, commentary
    facts, placeholders) or why it failed, so a folder is checked once per language, and a
    failure is still the same one line for each of its documents.
    """
    worker = worker or _this_worker()
    checks = {} if checks is None else checks
    started = time.perf_counter()
    try:
        with bounded(job):
            written = build_one(job, options, worker, checks)
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


# --- the bounds of one document in a worker -------------------------------------------------------
#
# A one-shot build's renders run under the watchdog (reporter.render.watchdog): past
# render_seconds, template_seconds (stuck in one C call) or memory_mb, a helper process prints the
# limit's one line and kills the build. A worker is guarded by the same helper, per document: the
# line is written to a file of the run's (the worker's stderr is not the user's), named for the
# document, and the run, seeing the worker gone, reports that document as failed with that line
# and builds the folder's other documents on a fresh worker.

_stops: Path | None = None  # in a worker: the run's folder of stop lines


def start_worker(run_pid: int, stops: str) -> None:
    """Worker initializer: die with the run, and guard each document with the one-shot bounds."""
    global _stops
    die_with_parent(run_pid)
    _stops = Path(stops)


def stop_file(stops: Path, job: Job) -> Path:
    """Where the watchdog writes why it stopped this job's document (a name from its output's)."""
    import hashlib

    return stops / (hashlib.sha256(job.entry.output.encode("utf-8", "surrogateescape")).hexdigest()[:32] + ".line")


def bounded(job: Job):
    """Guard one document's renders in a worker (see above); in the run's own process, as a one-shot build."""
    from contextlib import nullcontext

    from reporter.render import watchdog

    return watchdog.report_stops(stop_file(_stops, job)) if _stops is not None else nullcontext()


def stopped(task: list[Job], stops: Path) -> tuple[Job, str] | None:
    """The job of `task` whose document the watchdog stopped, with the limit's line, or None."""
    for job in task:
        path = stop_file(stops, job)
        try:
            line = path.read_text(encoding="utf-8", errors="replace").strip()
        except OSError:
            continue
        path.unlink(missing_ok=True)
        document = f"{job.folder} ({job.template}{', ' + job.language if job.language else ''})"
        return job, f"{line or 'error: stopped at a limit'}; nothing written for {document}"
    return None


def build_one(job: Job, options: RunOptions, worker: Worker, checks: dict,
              last_in_process: bool = False) -> Path:
    """Build one document and return the file written: the per-document path of every build,
    a production run's workers and a one-shot `reporter build` alike. Raises the user's mistake.

    The folder's report is checked once per language (`checks`, see build_job), the theme comes
    from the worker's resolved themes, the file's name from the plan (Job.entry.output).
    `last_in_process`: the process exits after this document, so no garbage collection follows it.
    """
    from reporter.build.document import build_document
    from reporter.build.outputs import OutputFormat
    from reporter.data.report import check_report, load_report

    report = job.report if job.report is not None else load_report(job.folder)
    if job.language not in checks:
        try:
            checks[job.language] = check_report(report.in_language(job.language) if job.language else report,
                                                options.draft)
        except ReporterError as error:
            checks[job.language] = error
    checked = checks[job.language]
    if isinstance(checked, ReporterError):
        raise checked
    theme = worker.themes.resolve(job.template, job.folder, options.theme_dir)
    return build_document(checked, theme, output=options.outdir,
                          output_format=OutputFormat(options.output_format), renderer=worker.renderer,
                          draft=options.draft, pdf_variant=job.entry.pdf_variant, language=job.language,
                          name=Path(job.entry.output).stem, last_in_process=last_in_process)


def one_shot(documents: Sequence[PlannedDocument], options: RunOptions, report: Any) -> Iterator[Path]:
    """A one-shot `reporter build`: a production run's documents built in this process, by the
    same per-document path (build_one), yielding each file as it is written.

    What differs is only what a production run adds around it: no worker processes, no manifest
    (so no inputs hashed), no lock; the folder is read once, checked in the default language and
    those asked for (not every language it lists), and the first mistake stops the build, so
    files written before it stay as they are. `options.outdir` may name the one file to write.
    `report`: the folder loaded in those languages, by the caller (the CLI reports its rounding too).
    """
    if not documents:
        return
    worker = Worker()
    checks: dict = {}
    jobs = list(folder_jobs(report, documents, options, worker.themes, None))
    for index, job in enumerate(jobs):
        yield build_one(job, options, worker, checks, last_in_process=index == len(jobs) - 1)


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
    from reporter.production.diff import check_pdf_file, diff_pdfs, write_diff

    assert options.against is not None and outcome.output is not None  # a document built or unchanged
    approved = options.against / outcome.output.name
    if approved.is_symlink() or (approved.exists() and not approved.is_file()):
        # Only the approved folder's own files are read: a link out of it could be any file.
        outcome.changes = [f"approved copy {approved} is a symlink or not a regular file: not read"]
        return
    if not approved.is_file():
        outcome.changes = [f"no approved copy {approved}"]
        return
    check_pdf_file(approved)  # before reading it: a sparse 6 GB approved copy
    if approved.read_bytes() == outcome.output.read_bytes():
        return
    diff_dir = options.outdir / "diff" / outcome.output.stem
    result = diff_pdfs(approved, outcome.output, image_folder=diff_dir)
    if result.changed:
        outcome.diff_dir = diff_dir
        write_diff(result, outcome.diff_dir)
        outcome.changes = result.describe()


# --- the run ----------------------------------------------------------------------------------


def run(folders: list[Path], templates: list[str], options: RunOptions,
        report: Callable[[Outcome], None], planned: Callable[[int], None] = lambda total: None,
        notes: Callable[[str], None] = lambda line: None) -> list[Outcome]:
    """Plan, skip the unchanged, build the rest on `options.jobs` workers, write the manifest.

    `report` is called with each outcome as soon as it is known (progress, one line per document);
    `notes` with each line for the preparer that is no failure (a subtotal off by rounding), once
    per folder, as a one-shot build and validate say them.
    One run at a time writes an output folder (reporter.production.lock).
    """
    from reporter.production.lock import run_lock

    with run_lock(options.outdir):
        return _run(folders, templates, options, report, planned, notes)


def _run(folders: list[Path], templates: list[str], options: RunOptions,
         report: Callable[[Outcome], None], planned: Callable[[int], None],
         notes: Callable[[str], None]) -> list[Outcome]:
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
    from reporter.data.validation import rounding_lines

    for folder in by_folder(jobs):  # each folder's report was loaded and tied out once, by plan()
        for line in rounding_lines(folder[0].report):
            notes(line)
    previous = load_manifest(options.outdir)
    manifest = {name: entry for name, entry in previous.items()
                if (options.outdir / name).is_file() and not (options.outdir / name).is_symlink()}
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
    try:
        for outcome in _execute(by_folder(to_build), options, themes):
            outcomes.append(outcome)
            if outcome.entry is not None:
                manifest[outcome.entry.output] = outcome.entry
            report(outcome)
    except Interrupted as interrupted:
        # The workers are stopped (see _on_workers) and the manifest is not written; documents
        # finished before the signal stay, and the message says so rather than "nothing written".
        built = sum(outcome.status == "built" for outcome in outcomes)
        if built:
            kept = "1 document built before the signal is kept" if built == 1 else \
                f"{built} documents built before the signal are kept"
            interrupted.message = (f"interrupted: {kept}; nothing else written, {MANIFEST_NAME} unchanged "
                                   f"(the next run builds them again)")
        raise
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
    from multiprocessing import forkserver, get_context

    from reporter.render.tempdir import prepare_multiprocessing

    prepare_multiprocessing()  # its socket in the run's temporary folder, removed on the way out
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
    import tempfile
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
    from concurrent.futures.process import BrokenProcessPool

    context = _fork_server_context()
    stops = Path(tempfile.mkdtemp(prefix="stops-"))  # in the run's own temporary folder
    tasks = balanced(tasks, options.jobs)
    queue = deque(tasks)
    slots: list[ProcessPoolExecutor] = []
    running = {}  # future -> (slot index, its task)
    finished = False

    def worker_pool() -> ProcessPoolExecutor:
        return ProcessPoolExecutor(max_workers=1, mp_context=context, initializer=start_worker,
                                   initargs=(os.getpid(), str(stops)))

    try:
        for index in range(min(options.jobs, len(tasks))):
            slots.append(worker_pool())
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
                    culprit = stopped(task, stops)
                    if culprit is not None:  # stopped at a limit: that document alone fails
                        job, line = culprit
                        outcomes = [Outcome("failed", None, line)]
                        rest = [other for other in task if other is not job]
                        if rest:  # built again on a fresh worker, with what they were built from
                            queue.appendleft(rest)
                except KeyboardInterrupt:  # the worker got a SIGINT or SIGTERM of its own
                    check()  # ... and this process too (Ctrl-C reaches them all): stop the run
                    outcomes, resident = [_lost(job) for job in task], float("inf")
                yield from outcomes
                if queue:
                    if resident > RETIRE_ABOVE_MB:
                        slots[index].shutdown()
                        slots[index] = worker_pool()
                    task = queue.popleft()
                    running[slots[index].submit(build_folder, task, options)] = index, task
        finished = True
    finally:
        if not finished:  # Ctrl-C, SIGTERM, or an error here: the workers stop now, not after their folder
            stop_workers(slots, options.outdir)
        for slot in slots:
            slot.shutdown(cancel_futures=True)  # the stopped workers are gone: this returns at once
        shutil.rmtree(stops, ignore_errors=True)


# How long a worker asked to stop (SIGTERM: its render raises Interrupted, removing its temporary
# file) has before it is killed.
STOP_GRACE_SECONDS = 1.0


def stop_workers(slots: list[ProcessPoolExecutor], outdir: Path) -> None:
    """Stop every worker process now: SIGTERM, then SIGKILL after STOP_GRACE_SECONDS.

    A worker killed in the middle of a write leaves its `.NAME.PID.RANDOM.part`; those of the
    stopped workers are removed here, so an interrupted run leaves no file behind.
    """
    import signal

    processes = [process for slot in slots for process in (getattr(slot, "_processes", None) or {}).values()]
    for process in processes:
        if process.is_alive():
            process.terminate()
    deadline = time.monotonic() + STOP_GRACE_SECONDS
    for process in processes:
        process.join(max(0.0, deadline - time.monotonic()))
        if process.is_alive():
            os.kill(process.pid, signal.SIGKILL)
            process.join(5)
    for process in processes:
        for leftover in outdir.glob(f".*.{process.pid}.*.part"):
            leftover.unlink(missing_ok=True)


PR_SET_PDEATHSIG = 1  # prctl(2): the signal this process gets when its parent dies
WATCH_SECONDS = 0.5


def die_with_parent(run_pid: int) -> None:
    """Worker initializer: end this worker when the run that started it ends, even by kill -9.

    A worker's parent is the fork server, and the fork server stays while any worker lives, so
    the kernel's parent-death signal (prctl PR_SET_PDEATHSIG, set too) only covers the fork
    server being killed. A thread of the worker watches the run's process itself: through a
    pidfd, readable the moment the run ends (a zombie included), else by polling every
    WATCH_SECONDS. So no worker outlives the run and rewrites PDFs over a manifest it never updates.
    """
    import signal
    import threading

    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # pragma: no cover - not Linux: the watching thread alone
        pass
    threading.Thread(target=_watch, args=(run_pid,), name="watch-run", daemon=True).start()


def _watch(run_pid: int) -> None:
    """Leave this process at once when `run_pid` has ended."""
    import select

    from reporter.render.tempdir import process_running

    try:
        pidfd = os.pidfd_open(run_pid)
    except ProcessLookupError:
        os._exit(1)
    except (AttributeError, OSError):  # pragma: no cover - no pidfd (not Linux 5.3+)
        while process_running(run_pid):
            time.sleep(WATCH_SECONDS)
        os._exit(1)
    select.select([pidfd], [], [])  # readable when the run's process has ended
    os._exit(1)


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
