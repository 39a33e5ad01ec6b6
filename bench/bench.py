#!/usr/bin/env python
"""Benchmark `reporter build` against bare WeasyPrint rendering the same HTML.

Run from the repository root:  python bench/bench.py   (or `make bench`)

    --runs N     timed repetitions per measurement (default 7; --quick uses 3)
    --quick      3 runs and no per-template table
    --json FILE  also save every figure (raw samples included) as JSON
    --keep       keep the scratch folder with the PDFs and HTML

Every cold figure comes from a fresh Python process started with subprocess; its wall time is
measured around the child and its peak memory is the child's own max RSS, read with os.wait4.
Each measurement gets one untimed warm-up run first (bytecode caches, page cache), and the
reporter and bare runs are interleaved so that drift on a noisy machine hits both alike.
The script asserts nothing about time: it prints figures and whether the targets are met.
If a command fails, its stderr is printed and the script exits with status 1.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PY = sys.executable
TIMEOUT = 600  # seconds for any one child process

# Goals of issues 13 and 22. "bare" is the WeasyPrint command line as a user installs it
# (`pip install weasyprint` in its own virtualenv) rendering the same HTML with the same options:
# the HTML reporter itself renders, stylesheets and fonts linked as files (not the `-f html`
# output, whose 2.4 MB of `data:` fonts cost bare WeasyPrint a third more to parse).
TARGET_BUILD_RATIO = 0.75     # one-shot `reporter build` / bare, caches empty, no libharfbuzz-subset
TARGET_BUILD_RATIO_HB = 1.0   # the same with libharfbuzz-subset loaded on both sides
TARGET_PRODUCTION_DOC = 0.25  # a production-run document (60, every template) / a bare one-shot render
                              # of the same HTML, fontTools subsetting (see production_figures)
TARGET_JOBS_DEFAULT = 1.0     # production run, default --jobs / --jobs 1 (wall): never slower
TARGET_HELP_SECONDS = 0.1     # `reporter --help` and every `reporter COMMAND --help`
TARGET_WARM_RATIO = 0.6       # warm preview rebuild after a commentary edit / warm bare render
TARGET_LARGE_COST = 1.0       # 1,000-line statement: CPU now / CPU at LARGE_BASELINE_COMMIT
TARGET_LARGE_RSS = 1.10       # ... with peak memory at most 10% higher
TARGET_LINEAR = 1.15          # time per line at 10,000 lines / at 1,000 lines
TARGET_RSS_MB = 150           # peak RSS of the default build
LARGE_BASELINE_COMMIT = "0ec637b"  # the code before issue 22's start-up work ("today")
PRODUCTION_FOLDERS = 20       # folders of the production-run figures (x 3 templates)
HELP_COMMANDS = ([], ["build"], ["validate"], ["preview"], ["ingest"], ["templates"],
                 ["templates", "list"], ["templates", "init"], ["templates", "context"])
HEAVY_MODULES = ("pandas", "numpy", "weasyprint", "fontTools", "pydyf", "jinja2", "pydantic",
                 "markdown_it", "babel", "yaml", "rich")

# The baseline: a fresh process that imports WeasyPrint and renders the HTML `reporter build -f
# html` wrote, with the default URL fetcher and no font configuration of its own.
BARE_RENDER = """\
import sys, weasyprint
html = open(sys.argv[1], encoding="utf-8").read()
weasyprint.HTML(string=html, base_url=sys.argv[2]).write_pdf(sys.argv[3])
"""

# Prints which top-level modules the `--help` path imported. The console entry point leaves with
# os._exit (no interpreter teardown, so no atexit), so the probe reports from os._exit itself.
HELP_PROBE = """\
import json, os, runpy, sys
_real_exit = os._exit
def _report_and_exit(code):
    names = sorted({name.split(".")[0] for name in sys.modules})
    sys.stderr.write("BENCH_MODULES " + json.dumps(names) + "\\n")
    sys.stderr.flush()
    _real_exit(code)
os._exit = _report_and_exit
sys.argv = ["reporter", "--help"]
runpy.run_module("reporter", run_name="__main__", alter_sys=True)
"""

# Instrumentation shared by the two stage-timing children, recorded at each mark: wall; CPU
# (this process and the subprocesses it has waited for); CPU spent in the cyclic garbage
# collector; CPU spent subsetting fonts (Font.subset); wall spent in ctypes.util.find_library
# (cffi falls back to it, and it runs ldconfig and gcc, for every library name that fails to
# load); and max RSS. The wrappers only measure: they call the original functions.
STAGE_PRELUDE = """\
import ctypes.util, gc, json, resource, sys, time
_findlib = [0.0]
_find_library = ctypes.util.find_library
def _timed_find_library(name):
    start = time.perf_counter()
    try:
        return _find_library(name)
    finally:
        _findlib[0] += time.perf_counter() - start
ctypes.util.find_library = _timed_find_library
def _cpu():
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime
_gc = [0.0, None]
def _gc_callback(phase, info):
    if phase == "start":
        _gc[1] = time.process_time()
    elif _gc[1] is not None:
        _gc[0] += time.process_time() - _gc[1]
gc.callbacks.append(_gc_callback)
_subset = [0.0]
def patch_subset():
    from weasyprint.pdf.fonts import Font
    original = Font.subset
    def subset(self, *args, **kwargs):
        start = time.process_time()
        try:
            return original(self, *args, **kwargs)
        finally:
            _subset[0] += time.process_time() - start
    Font.subset = subset
marks = []
def mark(name):
    marks.append((name, time.perf_counter(), _cpu(), _gc[0], _subset[0], _findlib[0],
                  resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))
mark("start")
"""

# Prints the stages; the parent adds interpreter start and exit from its own clock
# (perf_counter is CLOCK_MONOTONIC, the same clock in every process on Linux).
STAGE_EPILOGUE = """\
rows = []
for before, after in zip(marks, marks[1:]):
    rows.append({"stage": after[0], "wall": after[1] - before[1], "cpu": after[2] - before[2],
                 "gc": after[3] - before[3], "subset": after[4] - before[4],
                 "findlib": after[5] - before[5], "maxrss_kb": after[6]})
print("BENCH_STAGES " + json.dumps({"rows": rows, "t_first": marks[0][1], "cpu_first": marks[0][2],
                                     "t_last": marks[-1][1], "cpu_last": marks[-1][2],
                                     "rss_first": marks[0][6]}), flush=True)
"""

# One fresh `reporter build` through the real CLI, stage by stage: reporter.build.document.build_report
# is replaced by a copy of itself with marks between the calls it makes (the command imports it
# when it runs, so it gets the copy). The heavy modules are imported up front to time them apart.
REPORTER_STAGES = STAGE_PRELUDE + """\
import os
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # as reporter.cli.app.run does
import reporter.cli.app
mark("import reporter.cli.app (typer)")
gc.disable()  # as the build command imports the libraries (reporter.cli.app.imports_uncollected)
import reporter.build.pipeline, reporter.data.report, reporter.build.outputs
mark("import reporter.build.pipeline (pandas, jinja2, ...)")
import reporter.build.document, reporter.render.pdf, reporter.render.fontsubset, reporter.theme.resolve, reporter.production.run
import reporter.render.gcpolicy, reporter.write, reporter.render.archive, reporter.data.draft
gc.freeze()
gc.enable()
mark("import reporter.build.document (weasyprint)")
reporter.render.fontsubset.install()  # what Renderer() does, before the timing wrapper goes around it
patch_subset()
import reporter.build.document as D
# The one-shot path (reporter.production.run.one_shot -> build_one -> build_document) looks these
# up in their modules when it calls them: each is wrapped to mark the end of its stage.
def marked(module, name, stage, before=None):
    original = getattr(module, name)
    def wrapper(*args, **kwargs):
        if before:
            mark(before)
        result = original(*args, **kwargs)
        mark(stage)
        return result
    setattr(module, name, wrapper)
marked(reporter.data.report, "load_report", "load_report", before="typer: parse options, call the command")
marked(reporter.theme.resolve, "resolve_theme", "resolve_theme")
marked(D, "render_report_html", "render_report_html (+ lazy imports)")
marked(D, "render_pdf", "Renderer().render (layout + PDF)")
marked(D, "write_atomic", "write file")
try:
    reporter.cli.app.app(["build", "-o", sys.argv[1]], prog_name="reporter")
except SystemExit as exit:
    if exit.code:
        raise
""" + STAGE_EPILOGUE

# The bare baseline, stage by stage: HTML.write_pdf() is exactly render() then write_pdf().
BARE_STAGES = STAGE_PRELUDE + """\
import weasyprint
mark("import weasyprint")
patch_subset()
html = open(sys.argv[1], encoding="utf-8").read()
document = weasyprint.HTML(string=html, base_url=sys.argv[2]).render()
mark("HTML.render (parse, style, layout)")
document.write_pdf(sys.argv[3])
mark("Document.write_pdf (PDF + font subsetting)")
""" + STAGE_EPILOGUE

MACHINE_PROBE = """\
import ctypes, ctypes.util, importlib.metadata as md, json, platform, sys
import weasyprint
from weasyprint.text import ffi
v = ffi.pango.pango_version()
info = {"python": platform.python_version(), "weasyprint": weasyprint.__version__,
        "pango": f"{v // 10000}.{v // 100 % 100}.{v % 100}",
        "harfbuzz_subset": ffi.harfbuzz_subset is not None}
try:
    hb = ctypes.CDLL(ctypes.util.find_library("harfbuzz") or "libharfbuzz.so.0")
    hb.hb_version_string.restype = ctypes.c_char_p
    info["harfbuzz"] = hb.hb_version_string().decode()
except (OSError, AttributeError):
    info["harfbuzz"] = "?"
for name in ("pandas", "fonttools", "pydyf", "typer", "jinja2"):
    try:
        info[name] = md.version(name)
    except md.PackageNotFoundError:
        info[name] = "-"
print(json.dumps(info))
"""

REPORT_URI = """\
from reporter.data.report import default_report_dir
print(default_report_dir().resolve().as_uri() + "/")
"""


# The HTML each built-in document is rendered from, as reporter hands it to WeasyPrint (stylesheets,
# fonts and images linked by `file:` URL), into the folder argv[1] as TEMPLATE.html; prints
# "TEMPLATE base-URL" lines. The code of LARGE_BASELINE_COMMIT has the same functions, so it runs there too.
LINKED_HTML_ALL = """\
import sys
from pathlib import Path
from reporter.build.pipeline import render_report_html
from reporter.build.plan import document_name
from reporter.data.report import default_report_dir, load_report
from reporter.theme.resolve import resolve_theme
folder = default_report_dir()
report = load_report(folder)
for name in ("investor-summary", "quarterly-briefing", "press-release"):
    theme = resolve_theme(name, folder, None)
    document = render_report_html(report, theme, output_name=document_name(report, theme, None))
    Path(sys.argv[1], name + ".html").write_text(document.html, encoding="utf-8")
    print(name, document.base_url.resolve().as_uri() + "/")
"""


class ToolError(Exception):
    """A child process failed; carries what it printed."""

    def __init__(self, what: str, argv: list[str], code: int, stdout: str, stderr: str):
        super().__init__(f"{what} failed with exit status {code}")
        self.what, self.argv, self.code, self.stdout, self.stderr = what, argv, code, stdout, stderr


@dataclass
class Run:
    wall: float  # seconds, around the child process
    cpu: float  # user + system seconds of the child
    maxrss_kb: int  # the child's own peak resident set size
    stdout: str
    stderr: str
    started: float = 0.0  # perf_counter just before the child was started
    ended: float = 0.0  # perf_counter when it had been reaped


@dataclass
class Series:
    """Samples of one measurement."""

    walls: list[float] = field(default_factory=list)
    cpus: list[float] = field(default_factory=list)
    rss_kb: list[int] = field(default_factory=list)

    def add(self, run: Run) -> None:
        self.walls.append(run.wall)
        self.cpus.append(run.cpu)
        self.rss_kb.append(run.maxrss_kb)

    @property
    def median(self) -> float:
        return statistics.median(self.walls)

    @property
    def min(self) -> float:
        return min(self.walls)

    @property
    def cpu(self) -> float:
        return statistics.median(self.cpus)

    @property
    def rss_mb(self) -> float:
        return statistics.median(self.rss_kb) / 1024

    def as_json(self) -> dict:
        return {"median_s": self.median, "min_s": self.min, "cpu_median_s": self.cpu,
                "maxrss_mb_median": self.rss_mb, "samples_s": self.walls, "cpu_samples_s": self.cpus,
                "maxrss_kb_samples": self.rss_kb}


def child_env() -> dict[str, str]:
    """The environment of every child: ours, with the repository importable first."""
    env = os.environ.copy()
    paths = [str(REPO)] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else [])
    env["PYTHONPATH"] = os.pathsep.join(paths)
    return env


ENV = child_env()


SCRATCH: Path | None = None  # the run's scratch folder (set by main), removed at the end


def fresh_cache_env(base: dict[str, str] | None = None) -> dict[str, str]:
    """The environment with an empty XDG_CACHE_HOME (in the scratch folder): reporter's caches are empty."""
    return {**(base or ENV), "XDG_CACHE_HOME": tempfile.mkdtemp(prefix="reporter-bench-xdg-", dir=SCRATCH)}


def run_child(argv: list[str], what: str, env: dict[str, str] | None = None, cwd: Path = REPO) -> Run:
    """Run `argv` in a fresh process from the repo root; return its wall time, CPU time, max RSS.

    `env` may be a function: it is called just before the child starts (a fresh cache each run).
    """
    env = env() if callable(env) else env
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, cwd=cwd, env=env or ENV, stdin=subprocess.DEVNULL, stdout=out,
                                stderr=err)
        deadline = start + TIMEOUT
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                proc.kill()
                os.wait4(proc.pid, 0)
                proc.returncode = -9
                raise ToolError(what + " (timed out)", argv, -9, "", f"killed after {TIMEOUT} s")
            time.sleep(0.001)
        ended = time.perf_counter()
        wall = ended - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        stderr = err.read().decode("utf-8", "replace")
    if proc.returncode != 0:
        raise ToolError(what, argv, proc.returncode, stdout, stderr)
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, stdout, stderr, start, ended)


def progress(message: str) -> None:
    print(f"  .. {message}", file=sys.stderr, flush=True)


def measure(argv: list[str], what: str, runs: int) -> Series:
    """One untimed warm-up run, then `runs` timed ones."""
    series = Series()
    run_child(argv, what)
    for i in range(runs):
        progress(f"{what} {i + 1}/{runs}")
        series.add(run_child(argv, what))
    return series


def interleaved(commands: list[tuple], runs: int) -> list[list[Run]]:
    """Run each command once untimed, then `runs` rounds, alternating the order every round.

    A command is (argv, what) or (argv, what, env) with env as run_child takes it.
    """
    for argv, what, *env in commands:
        run_child(argv, what, *env)
    samples: list[list[Run]] = [[] for _ in commands]
    for i in range(runs):
        order = list(range(len(commands)))
        if i % 2:
            order.reverse()
        for index in order:
            argv, what, *env = commands[index]
            progress(f"{what} {i + 1}/{runs}")
            samples[index].append(run_child(argv, what, *env))
    return samples


def as_series_json(data: dict) -> Series:
    return Series(list(data["samples_s"]), list(data["cpu_samples_s"]), list(data["maxrss_kb_samples"]))


def as_series(runs: list[Run]) -> Series:
    series = Series()
    for run in runs:
        series.add(run)
    return series


# ---------------------------------------------------------------------------------------------
# Machine


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "?"


def mem_total_gb() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    return None


def load_average() -> list[float] | None:
    try:
        return [round(value, 2) for value in os.getloadavg()]
    except OSError:
        return None


def machine_info() -> dict:
    info = json.loads(run_child([PY, "-c", MACHINE_PROBE], "version probe").stdout)
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    info.update({"cpu": cpu_model(), "cores": os.cpu_count(), "usable_cores": usable,
                 "memory_gb": mem_total_gb(), "os": platform.platform(),
                 "date": date.today().isoformat(), "load_before": load_average()})
    return info


# ---------------------------------------------------------------------------------------------
# Import time


IMPORTTIME = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)")


def parse_importtime(stderr: str) -> tuple[dict[str, float], list[tuple[str, float]]]:
    """Return {module: cumulative seconds} and the top-level imports, biggest first."""
    cumulative: dict[str, float] = {}
    rows = []
    for match in IMPORTTIME.finditer(stderr):
        cum, indent, name = int(match.group(2)) / 1e6, len(match.group(3)), match.group(4)
        cumulative.setdefault(name, cum)
        rows.append((indent, name, cum))
    if not rows:
        return cumulative, []
    top = min(indent for indent, _, _ in rows)
    toplevel = sorted(((name, cum) for indent, name, cum in rows if indent == top),
                      key=lambda item: -item[1])
    return cumulative, toplevel


def importtime_profile(argv_tail: list[str], what: str, repeats: int) -> dict:
    """Median cumulative import time per module over `repeats` runs of `python -X importtime ...`."""
    samples: dict[str, list[float]] = {}
    totals = []
    for i in range(repeats):
        progress(f"{what} {i + 1}/{repeats}")
        run = run_child([PY, "-X", "importtime", *argv_tail], what)
        cumulative, toplevel = parse_importtime(run.stderr)
        totals.append(sum(cum for _, cum in toplevel))
        for name, cum in cumulative.items():
            samples.setdefault(name, []).append(cum)
    medians = {name: statistics.median(values) for name, values in samples.items()}
    return {"total_s": statistics.median(totals), "modules": medians}


# ---------------------------------------------------------------------------------------------
# Stage timing in fresh processes


def stage_rows(run: Run) -> list[dict]:
    """The stages a stage-timing child printed, between its measured start and exit."""
    data = json.loads(run.stdout.split("BENCH_STAGES ", 1)[1].splitlines()[0])
    start = {"stage": "interpreter start", "wall": data["t_first"] - run.started,
             "cpu": data["cpu_first"], "gc": 0.0, "subset": 0.0, "findlib": 0.0,
             "maxrss_kb": data["rss_first"]}
    end = {"stage": "interpreter exit (teardown)", "wall": run.ended - data["t_last"],
           "cpu": max(run.cpu - data["cpu_last"], 0.0), "gc": 0.0, "subset": 0.0, "findlib": 0.0,
           "maxrss_kb": run.maxrss_kb}
    return [start, *data["rows"], end]


def stage_timing(commands: list[tuple[list[str], str]], runs: int) -> list[dict]:
    """Run the stage-timing children interleaved; median every figure of every stage."""
    results = []
    for runs_of_one in interleaved(commands, runs):
        per_stage: dict[str, dict[str, list[float]]] = {}
        for run in runs_of_one:
            for row in stage_rows(run):
                figures = per_stage.setdefault(row["stage"], {})
                for key in ("wall", "cpu", "gc", "subset", "findlib", "maxrss_kb"):
                    figures.setdefault(key, []).append(row[key])
        results.append({stage: {"wall_s": statistics.median(f["wall"]), "wall_min_s": min(f["wall"]),
                                "cpu_s": statistics.median(f["cpu"]), "gc_s": statistics.median(f["gc"]),
                                "subset_s": statistics.median(f["subset"]),
                                "findlib_s": statistics.median(f["findlib"]),
                                "maxrss_mb_after": statistics.median(f["maxrss_kb"]) / 1024}
                        for stage, f in per_stage.items()})
    return results


GROUPS = ("interpreter start", "imports", "typer: option parsing (no pydantic: reporter.cli.coercion)",
          "data + HTML pipeline (load, theme, templates)", "render: layout + PDF + write",
          "interpreter exit (teardown)")


def group_of(stage: str) -> str:
    if stage.startswith("interpreter"):
        return stage
    if stage.startswith("import"):
        return GROUPS[1]
    if stage.startswith("typer"):
        return GROUPS[2]
    if stage.startswith(("load_report", "resolve_theme", "render_report_html")):
        return GROUPS[3]
    return GROUPS[4]


def stage_groups(stages: dict) -> dict[str, dict[str, float]]:
    """Fold the stages into GROUPS, plus the CPU spent subsetting fonts and in the GC."""
    groups = {}
    for name in GROUPS:
        picked = [v for stage, v in stages.items() if group_of(stage) == name]
        groups[name] = {"wall_s": sum(v["wall_s"] for v in picked), "cpu_s": sum(v["cpu_s"] for v in picked)}
    groups["  of which font subsetting"] = {"cpu_s": sum(v["subset_s"] for v in stages.values())}
    groups["  garbage collection (before teardown)"] = {"cpu_s": sum(v["gc_s"] for v in stages.values())}
    groups["  ctypes find_library in imports (ldconfig, gcc)"] = {
        "wall_s": sum(v["findlib_s"] for v in stages.values())}
    return groups


# ---------------------------------------------------------------------------------------------
# Warm process (what `reporter preview` does on each change)


def summarise_warm_runs(rounds: dict) -> dict:
    """Drop the first document of every worker (imports, first fonts); medians of the rest."""
    out = {}
    for side, raws in rounds.items():
        kept = {key: [v for raw in raws for v in (raw[key][1:] or raw[key])] for key in ("total", "cpu")}
        out[side] = {key: {"median_s": statistics.median(v), "min_s": min(v),
                           "first_s": statistics.median(raw[key][0] for raw in raws), "samples_s": v}
                     for key, v in kept.items()}
    out["ratio_median"] = out["rebuild"]["total"]["median_s"] / out["bare"]["total"]["median_s"]
    out["ratio_min"] = out["rebuild"]["total"]["min_s"] / out["bare"]["total"]["min_s"]
    out["ratio_cpu"] = out["rebuild"]["cpu"]["median_s"] / out["bare"]["cpu"]["median_s"]
    return out


# ---------------------------------------------------------------------------------------------
# The baseline as a user installs it, HarfBuzz subsetting, large statements


def weasyprint_cli(venv: Path) -> Path:
    """The `weasyprint` command of a virtualenv of its own, created with `pip install weasyprint`."""
    command = venv / "bin" / "weasyprint"
    if not command.exists():
        progress(f"creating {venv} with `pip install weasyprint` (once)")
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "--quiet", "weasyprint"], check=True)
    return command


def venv_versions(venv: Path) -> dict:
    code = ("import importlib.metadata as m, json; "
            "print(json.dumps({n: m.version(n) for n in ('weasyprint', 'fonttools')}))")
    return json.loads(run_child([str(venv / "bin" / "python"), "-c", code], "bare venv versions").stdout)


def with_harfbuzz_subset(env: dict[str, str], folder: Path) -> dict[str, str]:
    """`env` with `folder` (holding libharfbuzz-subset.so.0) first on LD_LIBRARY_PATH."""
    paths = [str(folder)] + ([env["LD_LIBRARY_PATH"]] if env.get("LD_LIBRARY_PATH") else [])
    return {**env, "LD_LIBRARY_PATH": os.pathsep.join(paths)}


def no_harfbuzz_subset_dir(scratch: Path) -> Path:
    """A folder whose libharfbuzz-subset.so.0 is an empty file: first on LD_LIBRARY_PATH, it makes
    the dynamic loader fail on that name, so WeasyPrint finds no HarfBuzz subsetter (it loads
    it with allow_fail) and subsets with fontTools, as where the library is not installed."""
    folder = scratch / "no-harfbuzz-subset"
    folder.mkdir(exist_ok=True)
    (folder / "libharfbuzz-subset.so.0").write_bytes(b"")
    return folder


def bare_env(env: dict[str, str]) -> dict[str, str]:
    """The bare command's environment: its own TMPDIR, so its leftovers are not counted as ours."""
    return {**env, "TMPDIR": BARE_TMPDIR} if BARE_TMPDIR else env


BARE_TMPDIR = ""  # set by run_all
OTHER_TMPDIR = ""  # ... for the benchmark's own instrumented children, which are not reporter commands


def instrumented_env(base: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of a child that runs reporter's code without its console entry point (the
    stage timing, the warm preview worker, the linked HTML): what it leaves is not counted as a build's."""
    base = ENV if base is None else base
    return {**base, "TMPDIR": OTHER_TMPDIR} if OTHER_TMPDIR else base


def linked_html(root: Path, env: dict[str, str], folder: Path) -> dict[str, tuple[Path, str]]:
    """Write every built-in document's linked HTML with the code at `root` (LINKED_HTML_ALL) into
    `folder`; return template -> (HTML file, base URL)."""
    folder.mkdir()
    listed = run_child([PY, "-c", LINKED_HTML_ALL, str(folder)], f"linked HTML ({root.name})",
                       instrumented_env(env), cwd=root).stdout
    return {name: (folder / f"{name}.html", uri) for name, uri in
            (line.split(" ", 1) for line in listed.splitlines() if line.strip())}


def production_figures(scratch: Path, runs: int, cli: Path, envs: dict[str, dict[str, str]],
                       baseline: Path, html_now: dict[str, tuple[Path, str]]) -> dict:
    """A production-run document as the issue measured it ("today 0.32x"): one production run of
    PRODUCTION_FOLDERS copies of Los Santos x every built-in template (`-t all`, 60 documents,
    fresh caches, `--jobs 1`), CPU of the whole process tree / documents, against the mean of the
    bare `weasyprint` command on each template's linked HTML. The code of LARGE_BASELINE_COMMIT
    (0ec637b, "today") is measured in the same rounds, against the bare command on its own HTML.
    `envs`: label -> environment (fontTools subsetting, the issue's; HarfBuzz, when available);
    `html_now`: this code's linked HTML (linked_html).
    The default --jobs against --jobs 1 is measured on the first environment."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    # The subreaper, reaping and process-tree CPU of the production-run benchmark, shared.
    from bench_batch import become_subreaper, children_cpu, make_folders, reap_all

    folders = make_folders(scratch / "production", PRODUCTION_FOLDERS)
    counted = become_subreaper()
    codes = {"now": (REPO, ENV), LARGE_BASELINE_COMMIT: (baseline, {**ENV, "PYTHONPATH": str(baseline)})}
    html = {"now": html_now, LARGE_BASELINE_COMMIT: linked_html(baseline, codes[LARGE_BASELINE_COMMIT][1],
                                                              scratch / "html-baseline")}
    rounds = max(1, min(runs, 3))
    results: dict = {"folders": PRODUCTION_FOLDERS, "templates": sorted(html["now"]), "tree_cpu_counted": counted,
                     "environments": {}}

    def tree(argv: list[str], what: str, env: dict[str, str], cwd: Path = REPO) -> dict:
        load = load_average()
        before = children_cpu()
        run = run_child(argv, what, env, cwd)
        reap_all()
        return {"wall": run.wall, "cpu": children_cpu() - before, "load_before": load}

    for label, env in envs.items():
        samples: dict[str, list[dict]] = {}
        kinds = [("now", "jobs1"), (LARGE_BASELINE_COMMIT, "jobs1")]
        if not results["environments"]:
            kinds.append(("now", "default"))
        for number in range(rounds):
            order = kinds + [(code, "bare") for code in codes]
            for code, kind in (order if number % 2 == 0 else order[::-1]):
                root, code_env = codes[code]
                progress(f"production, {label}: {code} {kind} {number + 1}/{rounds}")
                if kind == "bare":
                    for name, (page, uri) in html[code].items():
                        sample = tree([str(cli), "--pdf-tags", "-u", uri, str(page), str(scratch / "production-bare.pdf")],
                                      f"weasyprint CLI on the {name} HTML of {code} ({label})", bare_env(env))
                        samples.setdefault(f"{code} bare {name}", []).append(sample)
                    continue
                out = scratch / f"production-out-{label}-{code}-{kind}-{number}"
                argv = [PY, "-m", "reporter", "build", *map(str, folders), "-t", "all", "-o", str(out)]
                argv += ["--jobs", "1"] if kind == "jobs1" else []
                run_env = fresh_cache_env({**env, "PYTHONPATH": code_env["PYTHONPATH"]})
                sample = tree(argv, f"production run ({code}, {kind}, {label})", run_env, root)
                sample["documents"] = sum(1 for _ in out.glob("*.pdf"))
                samples.setdefault(f"{code} {kind}", []).append(sample)
        median = lambda key, field: statistics.median(sample[field] for sample in samples[key])
        figures: dict = {"samples": samples}
        for code in codes:
            documents = samples[f"{code} jobs1"][0]["documents"]
            per_doc = median(f"{code} jobs1", "cpu") / documents
            bare = {name: median(f"{code} bare {name}", "cpu") for name in html[code]}
            figures[code] = {"documents": documents, "per_document_cpu": per_doc, "bare_cpu": bare,
                             "bare_mean_cpu": statistics.mean(bare.values()),
                             "ratio_cpu": per_doc / statistics.mean(bare.values())}
        if ("now", "default") in kinds:
            from reporter.production.run import free_cores, usable_cores

            figures["jobs_default_over_1"] = median("now default", "wall") / median("now jobs1", "wall")
            figures["default_jobs_chosen"] = [free_cores(usable_cores(), s["load_before"][0])
                                              for s in samples["now default"] if s["load_before"]]
        results["environments"][label] = figures
    first = next(iter(results["environments"].values()))
    results["ratio_cpu"] = first["now"]["ratio_cpu"]
    results["jobs_default_over_1"] = first["jobs_default_over_1"]
    results["default_jobs_chosen"] = first["default_jobs_chosen"]
    return results


JOBS_NOISE = 0.03  # run-to-run spread of a 60-document production run on a quiet machine


def jobs_default_met(production: dict) -> bool:
    """Default --jobs is never slower than --jobs 1. Where the default chose one worker every time
    (no core free beyond the benchmark's own), both are the same run, and the ratio is noise: met
    within JOBS_NOISE. Otherwise the default must be faster or equal."""
    same_run = production["default_jobs_chosen"] and set(production["default_jobs_chosen"]) == {1}
    return production["jobs_default_over_1"] <= TARGET_JOBS_DEFAULT + (JOBS_NOISE if same_run else 0.0)


def leftover_temporaries(folder: Path) -> list[str]:
    """What the builds left in the TMPDIR they were given (reporter's and WeasyPrint's folders)."""
    return sorted(entry.name for entry in folder.iterdir()) if folder.is_dir() else []


def make_large_report(source: Path, target: Path, lines: int) -> Path:
    """Copy a report folder and append detail lines (no formula) up to `lines` statement lines."""
    import csv
    import random

    import yaml

    shutil.copytree(source, target)
    statement = yaml.safe_load((target / "statement.yaml").read_text())
    with (target / "figures.csv").open(newline="") as stream:
        rows = list(csv.DictReader(stream))
    periods = sorted({(row["period_end"], row["months"]) for row in rows})
    rng = random.Random(lines)  # the same figures every run
    for i in range(lines - len(statement["lines"])):
        statement["lines"].append({"id": f"detail_{i:05d}", "label": f"Detail line {i + 1}"})
        rows += [{"line_item": f"detail_{i:05d}", "period_end": end, "months": months,
                  "value": f"{rng.randint(-5000, 90000):,}"} for end, months in periods]
    (target / "statement.yaml").write_text(yaml.safe_dump(statement, sort_keys=False))
    with (target / "figures.csv").open("w", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=["line_item", "period_end", "months", "value"])
        writer.writeheader()
        writer.writerows(rows)
    if len(rows) > 10_000:  # above the default input limits (reporter/inputs/limits.py): raise them
        settings = target / "report.yaml"
        settings.write_text(settings.read_text() + f"\nlimits:\n  figures_rows: {len(rows)}\n"
                            "  template_steps: 100000000\n  template_seconds: 3000\n")
    return target


def checkout(commit: str, target: Path) -> Path:
    """The repository's files at `commit`, extracted into `target` (for the baseline code)."""
    target.mkdir(parents=True)
    archive = subprocess.run(["git", "archive", commit], cwd=REPO, check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    return target


# The warm bare side: WeasyPrint from the user's virtualenv, one process, one FontConfiguration,
# the same HTML rendered again and again with the same options as reporter (tags).
WARM_BARE = """import json, sys, time
import weasyprint
from weasyprint.text.fonts import FontConfiguration
html = open(sys.argv[1], encoding="utf-8").read()
font_config = FontConfiguration()
walls, cpus = [], []
for _ in range(int(sys.argv[3])):
    c0, t0 = time.process_time(), time.perf_counter()
    weasyprint.HTML(string=html, base_url=sys.argv[2]).write_pdf(font_config=font_config, pdf_tags=True)
    walls.append(time.perf_counter() - t0)
    cpus.append(time.process_time() - c0)
print(json.dumps({"total": walls, "cpu": cpus}))
"""


def warm_preview_worker(folder: Path, iterations: int) -> None:
    """In a child: what `reporter preview` does after each commentary edit; print JSON.

    Every iteration changes the dateline in commentary.md (new words, new letters), rebuilds
    HTML and PDF through the same code as the preview loop, and checks the PDF shows the edit.
    """
    import gc

    import pypdfium2

    import reporter.cli.preview as preview

    gc.freeze()  # as the preview command does after its imports
    renderer = preview.Renderer()
    commentary = folder / "commentary.md"
    original = commentary.read_text()
    out = folder.parent / "preview-out"
    walls, cpus = [], []
    words = ["Quixotic", "Zephyr", "Jinx", "Vexed", "Blimp", "Frowzy", "Gawk", "Kvetch"]

    def rebuilds() -> None:
        for i in range(iterations):
            dateline = f"{words[i % len(words)]} {i + 1}, 2011"
            commentary.write_text(original.replace("dateline: October 3, 2011", f"dateline: {dateline}"))
            c0, t0 = time.process_time(), time.perf_counter()
            result = preview.rebuild(folder, template="investor-summary", theme_dir=None, output=out,
                                     renderer=renderer)
            walls.append(time.perf_counter() - t0)
            cpus.append(time.process_time() - c0)
            if result.error:
                raise SystemExit(result.error)
            pdf = pypdfium2.PdfDocument(str(result.pdf))
            if dateline.upper() not in pdf[0].get_textpage().get_text_range():
                raise SystemExit(f"the edit {dateline!r} does not show in {result.pdf}")
            pdf.close()

    try:
        rebuilds()
    finally:
        commentary.write_text(original)  # the next worker starts from the same text
    print(json.dumps({"total": walls, "cpu": cpus}))


# ---------------------------------------------------------------------------------------------
# Templates


def builtin_templates() -> list[str]:
    return sorted(path.parent.name for path in (REPO / "templates").glob("*/theme.yaml")
                  if path.parent.name != "base")


# ---------------------------------------------------------------------------------------------
# Main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=None, help="timed repetitions (default 7, --quick 3)")
    parser.add_argument("--quick", action="store_true", help="3 runs, no per-template table")
    parser.add_argument("--json", type=Path, help="save all results to this JSON file")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder")
    parser.add_argument("--weasyprint-venv", type=Path, default=Path("/tmp/reporter-bench-weasyprint"),
                        help="virtualenv with `pip install weasyprint` (created when missing)")
    parser.add_argument("--harfbuzz-subset-dir", type=Path,
                        help="a folder holding libharfbuzz-subset.so.0, to measure HarfBuzz subsetting")
    parser.add_argument("--large", default=None,
                        help="statement sizes, comma-separated (default 1000,10000; --quick 1000,3000)")
    parser.add_argument("--report", type=Path, help="print the report of a saved --json file, measure nothing")
    parser.add_argument("--_warm-worker", dest="warm_worker", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--_warm-folder", dest="warm_folder", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.warm_worker:
        warm_preview_worker(args.warm_folder, args.warm_worker)
        return 0
    if args.report:
        print_report(json.loads(args.report.read_text()))
        return 0
    runs = args.runs or (3 if args.quick else 7)
    if runs < 1:
        parser.error("--runs must be at least 1")

    global SCRATCH
    scratch = SCRATCH = Path(tempfile.mkdtemp(prefix="reporter-bench-"))
    failures: list[ToolError] = []
    try:
        results = run_all(runs, args.quick, scratch, failures, args)
    except ToolError as error:
        report_failure(error)
        return 1
    finally:
        if args.keep:
            print(f"scratch folder kept: {scratch}", file=sys.stderr)
        else:
            shutil.rmtree(scratch, ignore_errors=True)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2) + "\n")
        print(f"results saved to {args.json}", file=sys.stderr)
    print_report(results)
    for error in failures:
        report_failure(error)
    return 1 if failures else 0


def report_failure(error: ToolError) -> None:
    print(f"\nERROR: {error}\n  command: {' '.join(error.argv)}", file=sys.stderr)
    if error.stdout.strip():
        print("  stdout:\n" + error.stdout.rstrip(), file=sys.stderr)
    print("  stderr:\n" + (error.stderr.rstrip() or "(empty)"), file=sys.stderr)


def run_all(runs: int, quick: bool, scratch: Path, failures: list[ToolError], args) -> dict:
    global BARE_TMPDIR, OTHER_TMPDIR
    # Every reporter command gets a TMPDIR of its own, so what builds leave behind can be counted.
    for name in ("tmp-reporter", "tmp-bare", "tmp-other"):
        (scratch / name).mkdir()
    ENV["TMPDIR"] = str(scratch / "tmp-reporter")
    BARE_TMPDIR, OTHER_TMPDIR = str(scratch / "tmp-bare"), str(scratch / "tmp-other")
    progress("machine and versions")
    machine = machine_info()
    venv = args.weasyprint_venv
    cli = weasyprint_cli(venv)
    machine["bare_venv"] = {"path": str(venv), **venv_versions(venv)}
    results: dict = {"machine": machine, "runs": runs, "targets": {
        "build_ratio": TARGET_BUILD_RATIO, "build_ratio_harfbuzz": TARGET_BUILD_RATIO_HB,
        "help_seconds": TARGET_HELP_SECONDS, "warm_ratio": TARGET_WARM_RATIO,
        "production_doc": TARGET_PRODUCTION_DOC, "jobs_default": TARGET_JOBS_DEFAULT,
        "large_cost": TARGET_LARGE_COST, "large_rss": TARGET_LARGE_RSS,
        "linear": TARGET_LINEAR, "rss_mb": TARGET_RSS_MB}}

    # 1-3. One-shot `reporter build` vs the WeasyPrint command line on the same linked HTML,
    # without and with HarfBuzz subsetting; reporter with empty caches (a first build) and warm.
    progress("writing the HTML the PDF is rendered from (fonts and stylesheets linked as files)")
    reporter_pdf, bare_pdf = scratch / "x.pdf", scratch / "bare.pdf"
    html_now = linked_html(REPO, ENV, scratch / "html-now")
    html_path, report_uri = html_now["investor-summary"]
    reporter_argv = [PY, "-m", "reporter", "build", "-o", str(reporter_pdf)]
    bare_argv = [str(cli), "--pdf-tags", "-u", report_uri, str(html_path), str(bare_pdf)]
    warm_cache = {"XDG_CACHE_HOME": str(scratch / "warm-cache")}

    def compare(env_of_both: dict[str, str], label: str) -> dict:
        build_runs, warm_runs, bare_runs = interleaved([
            (reporter_argv, f"reporter build, caches empty ({label})", lambda: fresh_cache_env(env_of_both)),
            (reporter_argv, f"reporter build, caches warm ({label})", {**env_of_both, **warm_cache}),
            (bare_argv, f"weasyprint CLI ({label})", bare_env(env_of_both)),
        ], runs)
        build, warm, bare = as_series(build_runs), as_series(warm_runs), as_series(bare_runs)
        return {"build": build.as_json(), "warm": warm.as_json(), "bare": bare.as_json(),
                "ratio": {"median": build.median / bare.median, "min": build.min / bare.min,
                          "cpu": build.cpu / bare.cpu, "maxrss": build.rss_mb / bare.rss_mb},
                "ratio_warm": {"median": warm.median / bare.median, "min": warm.min / bare.min,
                               "cpu": warm.cpu / bare.cpu},
                "pdf_bytes": {"reporter": reporter_pdf.stat().st_size, "bare": bare_pdf.stat().st_size}}

    # Without HarfBuzz: an empty file named libharfbuzz-subset.so.0 first on LD_LIBRARY_PATH, so
    # the library WeasyPrint looks for fails to load (as where it is not installed) and both
    # sides subset with fontTools. With: the system's library, or --harfbuzz-subset-dir's.
    no_hb = with_harfbuzz_subset(ENV, no_harfbuzz_subset_dir(scratch))
    results["fresh"] = compare(no_hb, "fontTools")
    build = as_series_json(results["fresh"]["build"])
    ratio = results["fresh"]["ratio"]
    hb_dir = args.harfbuzz_subset_dir
    hb_env = with_harfbuzz_subset(ENV, hb_dir) if hb_dir else (ENV if machine["harfbuzz_subset"] else None)
    results["fresh_harfbuzz"] = compare(hb_env, "HarfBuzz") if hb_env is not None else None
    twice = [run_child(reporter_argv, "reporter build (rebuild)", fresh_cache_env).wall for _ in range(1)]
    first = reporter_pdf.read_bytes()
    run_child(reporter_argv, "reporter build (again, warm cache)")
    results["byte_identical_rebuilds"] = first == reporter_pdf.read_bytes() and bool(twice)

    # A production-run document against a bare one-shot render of its HTML (fontTools subsetting,
    # as the issue measured it; HarfBuzz too when available), and --jobs; the baseline code too.
    baseline = checkout(LARGE_BASELINE_COMMIT, scratch / "baseline")
    production_envs = {"fontTools": no_hb, **({"HarfBuzz": hb_env} if hb_env is not None else {})}
    # Each round is about 3 minutes (two 60-document runs and the baseline's per environment).
    results["production"] = production_figures(scratch, 2 if quick else runs, cli, production_envs, baseline,
                                                html_now)

    # Where the cold time goes: import costs, then one build stage by stage, next to bare.
    imports = {}
    for label, code in (("python -c pass (interpreter start)", "pass"),
                        ("import weasyprint", "import weasyprint"),
                        ("import reporter.render.native; import_weasyprint() (no library probing)",
                         "from reporter.render.native import import_weasyprint; import_weasyprint()"),
                        ("import pandas", "import pandas"),
                        ("import pydantic (typer loads it to coerce options; reporter does not)", "import pydantic"),
                        ("import reporter.cli.app (typer)", "import reporter.cli.app"),
                        ("import all that `reporter build` imports",
                         "import reporter.cli.app, reporter.build.pipeline, reporter.build.document, "
                         "reporter.context.chart_data, reporter.context.narrative, pydantic")):
        imports[label] = measure([PY, "-c", code], label, runs).as_json()
    results["imports"] = imports
    reporter_stages, bare_stages = stage_timing([
        ([PY, "-c", REPORTER_STAGES, str(scratch / "stages.pdf")], "stage timing, reporter",
         lambda: fresh_cache_env(instrumented_env())),
        ([PY, "-c", BARE_STAGES, str(html_path), report_uri, str(scratch / "stages-bare.pdf")],
         "stage timing, bare", instrumented_env()),
    ], runs)
    results["stages"] = {"reporter": reporter_stages, "bare": bare_stages,
                         "groups": {"reporter": stage_groups(reporter_stages),
                                    "bare": stage_groups(bare_stages)}}
    results["build_importtime"] = importtime_profile(
        ["-m", "reporter", "build", "-o", str(scratch / "it.pdf")], "importtime reporter build", min(runs, 3))

    # 4. --help of every command.
    helps = {}
    for command in HELP_COMMANDS:
        name = " ".join(["reporter", *command, "--help"])
        helps[name] = measure([PY, "-m", "reporter", *command, "--help"], name, runs).as_json()
    help_series = as_series_json(helps["reporter --help"])
    probe = run_child([PY, "-c", HELP_PROBE], "reporter --help (module probe)")
    loaded = set(json.loads(probe.stderr.split("BENCH_MODULES ", 1)[1].splitlines()[0]))
    heavy_loaded = [name for name in HEAVY_MODULES if name in loaded]
    help_imports = importtime_profile(["-m", "reporter", "--help"], "importtime reporter --help",
                                      min(runs, 3))
    results["help"] = {**help_series.as_json(), "heavy_modules_imported": heavy_loaded,
                       "pandas_imported": "pandas" in loaded, "weasyprint_imported": "weasyprint" in loaded,
                       "importtime": help_imports, "commands": helps}

    # 5. Warm: preview rebuilds after commentary edits, against warm bare renders of the same HTML.
    # The goal (issue 13) was set where WeasyPrint subsets with fontTools: measured so, with the
    # bare render in its own environment; with HarfBuzz too when available (shown, not judged).
    iterations = runs + 1
    warm_folder = scratch / "warm" / "los-santos"
    shutil.copytree(REPO / "reporter" / "examples" / "los-santos", warm_folder)

    def warm_figures(env: dict[str, str], label: str) -> dict:
        warm_runs: dict[str, list] = {"rebuild": [], "bare": []}
        for i in range(2):  # two rounds, the order flipped, so drift hits both alike
            for side in (("rebuild", "bare") if i == 0 else ("bare", "rebuild")):
                progress(f"warm {side} ({label}), round {i + 1}/2, {iterations} documents")
                if side == "rebuild":
                    argv = [PY, str(Path(__file__).resolve()), "--_warm-worker", str(iterations),
                            "--_warm-folder", str(warm_folder)]
                    raw = json.loads(run_child(argv, "warm preview worker",
                                               fresh_cache_env(instrumented_env(env))).stdout)
                else:
                    argv = [str(venv / "bin" / "python"), "-c", WARM_BARE, str(html_path), report_uri,
                            str(iterations)]
                    raw = json.loads(run_child(argv, "warm bare worker", bare_env(env)).stdout)
                warm_runs[side].append(raw)
        return summarise_warm_runs(warm_runs)

    results["warm"] = warm_figures(no_hb, "fontTools")
    results["warm_harfbuzz"] = warm_figures(hb_env, "HarfBuzz") if hb_env is not None else None

    # Large statements: this code against the code before issue 13, and linearity.
    sizes = [int(n) for n in (args.large or ("1000,3000" if quick else "1000,10000")).split(",")]
    large = {}
    for n in sizes:
        folder = make_large_report(REPO / "reporter" / "examples" / "los-santos", scratch / f"large-{n}", n)
        now_argv = [PY, "-m", "reporter", "build", str(folder), "-o", str(scratch / f"large-{n}.pdf")]
        if n == sizes[0]:
            before_argv = [PY, "-m", "reporter", "build", str(folder), "-o", str(scratch / f"large-{n}-before.pdf")]
            before_env = {**ENV, "PYTHONPATH": str(baseline)}
            now_runs, before_runs = interleaved([
                (now_argv, f"{n}-line statement", fresh_cache_env),
                (before_argv, f"{n}-line statement at {LARGE_BASELINE_COMMIT}", before_env, baseline),
            ], max(1, min(runs, 3)))
            now, before = as_series(now_runs), as_series(before_runs)
            large[n] = {"now": now.as_json(), "before": before.as_json(),
                        "cost_wall": now.median / before.median, "cost_cpu": now.cpu / before.cpu,
                        "rss_ratio": now.rss_mb / before.rss_mb}
        else:
            now = measure(now_argv, f"{n}-line statement", 1) if n > 3000 else \
                measure(now_argv, f"{n}-line statement", max(1, min(runs, 3)))
            large[n] = {"now": now.as_json()}
    first_n = sizes[0]
    for n in sizes[1:]:
        per_line = large[n]["now"]["cpu_median_s"] / n
        large[n]["per_line_ratio"] = per_line / (large[first_n]["now"]["cpu_median_s"] / first_n)
    results["large"] = {str(n): v for n, v in large.items()}

    # 6. Other built-in templates (optional).
    templates = {}
    if not quick:
        for name in builtin_templates():
            target = scratch / f"{name}.pdf"
            try:
                series = measure([PY, "-m", "reporter", "build", "-t", name, "-o", str(target)],
                                 f"reporter build -t {name}", runs)
                templates[name] = {**series.as_json(), "pdf_bytes": target.stat().st_size}
            except ToolError as error:
                failures.append(error)
                templates[name] = {"error": str(error), "stderr": error.stderr}
    results["templates"] = templates

    machine["load_after"] = load_average()
    linear = [v["per_line_ratio"] for v in large.values() if "per_line_ratio" in v]
    results["temporaries_left"] = {"reporter": leftover_temporaries(scratch / "tmp-reporter"),
                                   "bare": leftover_temporaries(scratch / "tmp-bare")}
    production = results["production"]
    # The build ratios are judged on CPU (user + system): the issue's measure, and on a shared
    # machine the steadier one; the wall figures are printed beside them.
    results["targets_met"] = {
        "build_ratio": ratio["cpu"] <= TARGET_BUILD_RATIO,
        "build_ratio_harfbuzz": (results["fresh_harfbuzz"]["ratio"]["cpu"] <= TARGET_BUILD_RATIO_HB
                                 if results["fresh_harfbuzz"] else None),
        "production_doc": production["ratio_cpu"] <= TARGET_PRODUCTION_DOC,
        "jobs_default": jobs_default_met(production),
        "no_temporaries_left": not results["temporaries_left"]["reporter"],
        "byte_identical_rebuilds": results["byte_identical_rebuilds"],
        "help_seconds": all(v["median_s"] < TARGET_HELP_SECONDS for v in helps.values()),
        "help_no_heavy_imports": not ({"pandas", "weasyprint"} & loaded),
        "warm_ratio": results["warm"]["ratio_median"] <= TARGET_WARM_RATIO,
        "large_cost": large[first_n].get("cost_cpu", 9) <= TARGET_LARGE_COST,
        "large_rss": large[first_n].get("rss_ratio", 9) <= TARGET_LARGE_RSS,
        "linear": all(r <= TARGET_LINEAR for r in linear) if linear else None,
        "rss_mb": build.rss_mb <= TARGET_RSS_MB,
    }
    return results


# ---------------------------------------------------------------------------------------------
# Output


def table(headers: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows)]
    line = lambda cells: "| " + " | ".join(str(c).ljust(w) for c, w in zip(cells, widths)) + " |"
    return "\n".join([line(headers), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
                     + [line(row) for row in rows])


def s(seconds: float | None) -> str:
    return "" if seconds is None else f"{seconds:.3f}"


def ok(flag: bool) -> str:
    return "yes" if flag else "NO"


def legacy_production(p: dict | None) -> dict | None:
    """A results file from before the fourth session of issue 22 measured the production-run
    document on 10 folders x the investor summary against one bare render: shown as it was."""
    if not p or "environments" in p:
        return p
    figures = {"documents": p["documents"], "per_document_cpu": p["per_document"]["cpu"],
               "bare_cpu": {"investor-summary": p["bare"]["cpu"]}, "bare_mean_cpu": p["bare"]["cpu"],
               "ratio_cpu": p["ratio"]["cpu"]}
    return {"folders": p["documents"], "templates": ["investor-summary"], "tree_cpu_counted": p["tree_cpu_counted"],
            "environments": {"as then measured": {"now": figures}}, "ratio_cpu": p["ratio"]["cpu"],
            "jobs_default_over_1": p["jobs_default_over_1"], "default_jobs_chosen": p["default_jobs_chosen"]}


def print_report(r: dict) -> None:
    r = {**r, "production": legacy_production(r.get("production"))}
    m = r["machine"]
    targets = r["targets_met"]
    build = as_series_json(r["fresh"]["build"])
    mem = f", {m['memory_gb']:.0f} GB RAM" if m.get("memory_gb") else ""
    print(f"\n# reporter benchmark, {m['date']}, {r['runs']} timed runs per figure\n")
    print(f"Machine: {m['cpu']}, {m['cores']} cores ({m['usable_cores']} usable){mem}; {m['os']}")
    print(f"Python {m['python']}, WeasyPrint {m['weasyprint']}, Pango {m['pango']}, HarfBuzz {m['harfbuzz']} "
          f"(libharfbuzz-subset {'found' if m['harfbuzz_subset'] else 'NOT found: fonts are subset with fontTools'}), "
          f"fontTools {m['fonttools']}, pydyf {m['pydyf']}, pandas {m['pandas']}, typer {m['typer']}")
    b = m["bare_venv"]
    print(f"Bare: the `weasyprint` command of {b['path']} (pip install weasyprint): WeasyPrint "
          f"{b['weasyprint']}, fontTools {b['fonttools']}")
    print(f"Load average (1, 5, 15 min) before: {m['load_before']}, after: {m.get('load_after')}")
    cores = m["usable_cores"] or 1
    if ((m["load_before"] or [0])[0] > 0.5 * cores
            or (m.get("load_after") or [0])[0] > 1 + 0.5 * cores):
        print("NOTE: other processes were using the CPU; wall times are noisy, CPU times less so.")

    for key, label, target, met in (
            ("fresh", "no libharfbuzz-subset: fontTools subsetting", TARGET_BUILD_RATIO, targets["build_ratio"]),
            ("fresh_harfbuzz", "HarfBuzz subsetting", TARGET_BUILD_RATIO_HB, targets["build_ratio_harfbuzz"])):
        f = r[key]
        if f is None:
            print(f"\n## One-shot build, {label}: not measured (no libharfbuzz-subset here; "
                  f"give --harfbuzz-subset-dir)\n")
            continue
        a, c, ratio = f["build"], f["bare"], f["ratio"]
        w, rw = f.get("warm"), f.get("ratio_warm")
        print(f"\n## One-shot `reporter build` vs the WeasyPrint CLI, the same linked HTML and options, {label}\n")
        print(table(["figure", "reporter build (caches empty)", "(caches warm)", "weasyprint CLI",
                     "reporter / bare (empty; warm)", "target (CPU, caches empty)", "met"], [
            ["wall, median (s)", s(a["median_s"]), s(w["median_s"]) if w else "", s(c["median_s"]),
             f"{ratio['median']:.2f}" + (f"; {rw['median']:.2f}" if rw else ""), "", ""],
            ["wall, min (s)", s(a["min_s"]), s(w["min_s"]) if w else "", s(c["min_s"]),
             f"{ratio['min']:.2f}" + (f"; {rw['min']:.2f}" if rw else ""), "", ""],
            ["CPU user+sys, median (s)", s(a["cpu_median_s"]), s(w["cpu_median_s"]) if w else "",
             s(c["cpu_median_s"]), f"{ratio['cpu']:.2f}" + (f"; {rw['cpu']:.2f}" if rw else ""),
             f"<= {target}", ok(met)],
            ["peak RSS, median (MB)", f"{a['maxrss_mb_median']:.1f}", "", f"{c['maxrss_mb_median']:.1f}",
             f"{ratio['maxrss']:.2f}", f"reporter <= {TARGET_RSS_MB}" if key == "fresh" else "",
             ok(targets["rss_mb"]) if key == "fresh" else ""],
            ["PDF size (bytes)", str(f["pdf_bytes"]["reporter"]), "", str(f["pdf_bytes"]["bare"]), "", "", ""],
        ]))
    p = r.get("production")
    if p:
        print(f"\n## Production run: {p['folders']} folders x {len(p['templates'])} templates "
              f"(`-t all`), `--jobs 1`, fresh caches, CPU of the whole process tree"
              f"{'' if p['tree_cpu_counted'] else ' (NOT counted: no subreaper)'}; the bare command "
              f"on each template's HTML; the code of {LARGE_BASELINE_COMMIT} in the same rounds\n")
        rows = []
        for label, e in p["environments"].items():
            for code in [c for c in ("now", LARGE_BASELINE_COMMIT) if c in e]:
                f = e[code]
                rows.append([f"{label}, {code}", str(f["documents"]), s(f["per_document_cpu"]),
                             ", ".join(f"{name} {s(v)}" for name, v in f["bare_cpu"].items()),
                             s(f["bare_mean_cpu"]), f"{f['ratio_cpu']:.2f}"])
        print(table(["subsetting, code", "documents", "CPU a document (s)", "bare CLI CPU (s)",
                     "bare mean (s)", f"document / bare (goal <= {TARGET_PRODUCTION_DOC})"], rows))
        same = set(p["default_jobs_chosen"]) == {1}
        print(f"\nDefault --jobs chose {p['default_jobs_chosen']} worker(s) (cores less the load average); "
              f"default / --jobs 1, wall: {p['jobs_default_over_1']:.2f} (target <= {TARGET_JOBS_DEFAULT}"
              f"{f', within {JOBS_NOISE} of noise: one worker each time, the same run as --jobs 1' if same else ''}: "
              f"{ok(targets['jobs_default'])})")
    left = r.get("temporaries_left")
    if left is not None:
        print(f"\nTemporary folders left in the TMPDIR of every reporter child: "
              f"{', '.join(left['reporter']) or 'none'}; by the bare WeasyPrint command: {len(left['bare'])}")
    print(f"\nTwo builds (empty cache, then warm cache) byte-identical: {ok(r['byte_identical_rebuilds'])}")

    print("\n## `--help` of every command, fresh process\n")
    h = r["help"]
    print(table(["command", "wall median (s)", "wall min (s)", "peak RSS (MB)", "target", "met"],
                [[name, s(v["median_s"]), s(v["min_s"]), f"{v['maxrss_mb_median']:.1f}",
                  f"< {TARGET_HELP_SECONDS}", ok(v["median_s"] < TARGET_HELP_SECONDS)]
                 for name, v in h["commands"].items()]))
    print(f"\n`reporter --help` imports pandas: {'yes' if h['pandas_imported'] else 'no'}, weasyprint: "
          f"{'yes' if h['weasyprint_imported'] else 'no'}, other heavy modules: "
          f"{', '.join(h['heavy_modules_imported']) or 'none'}")

    print("\n## Warm: `reporter preview` rebuild after a commentary edit vs a warm bare render, "
          "fontTools subsetting (the goal's measure)\n")
    w = r["warm"]
    rb, bw = w["rebuild"], w["bare"]
    print(table(["figure", "median (s)", "min (s)", "first document, not counted (s)"], [
        ["preview rebuild (edit, HTML + PDF written)", s(rb["total"]["median_s"]), s(rb["total"]["min_s"]),
         s(rb["total"]["first_s"])],
        ["  CPU", s(rb["cpu"]["median_s"]), s(rb["cpu"]["min_s"]), ""],
        ["bare render, one FontConfiguration (user's venv)", s(bw["total"]["median_s"]), s(bw["total"]["min_s"]),
         s(bw["total"]["first_s"])],
        ["  CPU", s(bw["cpu"]["median_s"]), s(bw["cpu"]["min_s"]), ""],
        [f"rebuild / bare, wall (target <= {TARGET_WARM_RATIO}: {ok(targets['warm_ratio'])})",
         f"{w['ratio_median']:.2f}", f"{w['ratio_min']:.2f}", ""],
        ["rebuild / bare, CPU", f"{w['ratio_cpu']:.2f}", "", ""],
    ]))
    wh = r.get("warm_harfbuzz")
    if wh:
        print(f"\nWith HarfBuzz subsetting on both sides: rebuild {s(wh['rebuild']['total']['median_s'])} s, "
              f"bare {s(wh['bare']['total']['median_s'])} s (medians), rebuild / bare {wh['ratio_median']:.2f} wall, "
              f"{wh['ratio_cpu']:.2f} CPU. Subsetting then costs the bare render little, so the ratio is what "
              f"reporter's load, checks and HTML add to a render (not judged).")

    print(f"\n## Large statements (fresh processes; before = the code at {LARGE_BASELINE_COMMIT})\n")
    rows = []
    for n, v in r["large"].items():
        now = v["now"]
        rows.append([f"{n} lines", s(now["median_s"]), s(now["cpu_median_s"]), f"{now['maxrss_mb_median']:.1f}",
                     s(v["before"]["median_s"]) if "before" in v else "",
                     f"{v['cost_wall']:.2f} (CPU {v['cost_cpu']:.2f})" if "cost_cpu" in v else "",
                     f"{v['rss_ratio']:.2f}" if "before" in v else "",
                     f"{v['per_line_ratio']:.2f}" if "per_line_ratio" in v else ""])
    print(table(["statement", "wall (s)", "CPU (s)", "peak RSS (MB)", "before, wall (s)", "now / before",
                 "RSS now / before", "CPU per line / at the first size"], rows))

    print("\n## Where the cold time goes\n")
    print("Fresh processes that only import (median):\n")
    print(table(["command", "wall (s)", "wall min (s)", "CPU (s)", "peak RSS (MB)"],
                [[label, s(v["median_s"]), s(v["min_s"]), s(v["cpu_median_s"]), f"{v['maxrss_mb_median']:.1f}"]
                 for label, v in r["imports"].items()]))
    groups = r["stages"]["groups"]
    print("\nOne fresh build, stage by stage (marks in the child; interpreter start and exit from the parent's clock), reporter next to bare, medians in seconds:\n")
    rows = []
    diff = lambda a, b: "" if a is None or b is None else f"{a - b:+.3f}"
    for name in groups["reporter"]:
        a, b = groups["reporter"][name], groups["bare"][name]
        rows.append([name, s(a.get("wall_s")), s(b.get("wall_s")), diff(a.get("wall_s"), b.get("wall_s")),
                     s(a.get("cpu_s")), s(b.get("cpu_s")), diff(a.get("cpu_s"), b.get("cpu_s"))])
    totals = {side: {key: sum(v[key] for k, v in groups[side].items() if not k.startswith("  "))
                     for key in ("wall_s", "cpu_s")} for side in ("reporter", "bare")}
    a, b = totals["reporter"], totals["bare"]
    rows.append(["total", s(a["wall_s"]), s(b["wall_s"]), diff(a["wall_s"], b["wall_s"]),
                 s(a["cpu_s"]), s(b["cpu_s"]), diff(a["cpu_s"], b["cpu_s"])])
    print(table(["stage", "reporter wall", "bare wall", "difference", "reporter CPU", "bare CPU",
                 "difference"], rows))
    for side in ("reporter", "bare"):
        stages = r["stages"][side]
        print(f"\nStages of the {side} process (medians):\n")
        print(table(["stage", "wall (s)", "wall min (s)", "CPU (s)", "GC CPU (s)", "font subsetting CPU (s)",
                     "find_library wall (s)", "peak RSS after (MB)"],
                    [[name, s(v["wall_s"]), s(v["wall_min_s"]), s(v["cpu_s"]), s(v["gc_s"]), s(v["subset_s"]),
                      s(v["findlib_s"]), f"{v['maxrss_mb_after']:.1f}"] for name, v in stages.items()]))
    modules = r["build_importtime"]["modules"]
    wanted = ("reporter.cli.app", "typer", "typer._adapters", "pydantic", "reporter.build.pipeline", "pandas", "numpy",
              "reporter.inputs.commentary", "markdown_it", "reporter.context.figures", "babel", "reporter.render.html", "jinja2",
              "reporter.build.document", "weasyprint", "weasyprint.text.ffi", "weasyprint.html", "fontTools.subset",
              "reporter.context.chart_data", "reporter.context.narrative")
    print("\n`python -X importtime -m reporter build` (cumulative incl. children, median):\n")
    print(table(["module", "seconds"], [[name, s(modules[name])] for name in wanted if name in modules]
                + [["all imports", s(r["build_importtime"]["total_s"])]]))

    if r["templates"]:
        print("\n## 6. Built-in templates, `reporter build -t NAME`, fresh process\n")
        rows = []
        for name, v in r["templates"].items():
            if "error" in v:
                rows.append([name, "error (see below)", "", "", "", ""])
            else:
                rows.append([name, s(v["median_s"]), s(v["min_s"]), s(v["cpu_median_s"]),
                             f"{v['maxrss_mb_median']:.1f}", str(v["pdf_bytes"])])
        print(table(["template", "wall median (s)", "wall min (s)", "CPU (s)", "peak RSS (MB)", "PDF bytes"], rows))

    print("\n## Goals\n")
    fresh, hb = r["fresh"], r["fresh_harfbuzz"]
    first = next(iter(r["large"].values()))
    linear = [v["per_line_ratio"] for v in r["large"].values() if "per_line_ratio" in v]
    p = r.get("production")
    left = r.get("temporaries_left")
    both = lambda f: (f"{f['ratio']['cpu']:.2f} CPU, {f['ratio']['median']:.2f} wall; caches warm "
                      f"{f['ratio_warm']['cpu']:.2f} CPU" if "ratio_warm" in f else
                      f"{f['ratio']['cpu']:.2f} CPU, {f['ratio']['median']:.2f} wall")
    rows = [
        [f"one-shot build / WeasyPrint CLI, same linked HTML, HarfBuzz subsetting, <= {TARGET_BUILD_RATIO_HB} (CPU)",
         both(hb) if hb else "not measured", ok(targets["build_ratio_harfbuzz"]) if hb else "-"],
        [f"the same without libharfbuzz-subset (fontTools), <= {TARGET_BUILD_RATIO} (CPU)", both(fresh),
         ok(targets["build_ratio"])],
    ]
    if p:
        others = "; ".join(f"{label} {e['now']['ratio_cpu']:.2f}" for label, e in p["environments"].items()
                           if e["now"]["ratio_cpu"] != p["ratio_cpu"])
        rows += [[f"production-run document ({p['folders'] * len(p['templates'])} documents, "
                  f"{next(iter(p['environments']))}) / bare one-shot render, <= {TARGET_PRODUCTION_DOC} (CPU)",
                  f"{p['ratio_cpu']:.2f} CPU" + (f" ({others})" if others else ""), ok(targets["production_doc"])],
                 [f"default --jobs / --jobs 1 (wall) <= {TARGET_JOBS_DEFAULT}",
                  f"{p['jobs_default_over_1']:.2f} (chose {p['default_jobs_chosen']})", ok(targets["jobs_default"])]]
    if left is not None:
        rows.append(["no temporary folder left by any build", ", ".join(left["reporter"]) or "none",
                     ok(targets["no_temporaries_left"])])
    rows += [
        ["two builds byte-identical", "yes" if r["byte_identical_rebuilds"] else "no",
         ok(targets["byte_identical_rebuilds"])],
        [f"every `--help` < {TARGET_HELP_SECONDS} s (wall median)",
         s(max(v["median_s"] for v in r["help"]["commands"].values())) + " (slowest)", ok(targets["help_seconds"])],
        ["--help imports neither pandas nor weasyprint", ", ".join(
            n for n in ("pandas", "weasyprint") if r["help"][f"{n}_imported"]) or "neither",
         ok(targets["help_no_heavy_imports"])],
        [f"warm preview rebuild / warm bare <= {TARGET_WARM_RATIO} (wall median)",
         f"{r['warm']['ratio_median']:.2f} (CPU {r['warm']['ratio_cpu']:.2f})", ok(targets["warm_ratio"])],
        [f"{next(iter(r['large']))}-line statement: CPU now / at {LARGE_BASELINE_COMMIT} <= {TARGET_LARGE_COST}",
         f"{first['cost_cpu']:.2f} (wall {first['cost_wall']:.2f})" if "cost_cpu" in first
         else "not measured (a file from before issue 22)", ok(targets.get("large_cost", False))],
        [f"... peak RSS <= {TARGET_LARGE_RSS}x", f"{first['rss_ratio']:.2f}", ok(targets["large_rss"])],
        [f"linear: CPU per line at the larger sizes <= {TARGET_LINEAR}x the first",
         ", ".join(f"{x:.2f}" for x in linear) or "not measured", ok(targets["linear"]) if linear else "-"],
        [f"peak RSS of the default build <= {TARGET_RSS_MB} MB", f"{build.rss_mb:.1f}", ok(targets["rss_mb"])],
    ]
    print(table(["goal", "measured", "met"], rows))

if __name__ == "__main__":
    sys.exit(main())
