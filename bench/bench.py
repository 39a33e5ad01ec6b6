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

TARGET_BUILD_RATIO = 1.3   # reporter build / bare WeasyPrint, fresh processes (median)
TARGET_HELP_SECONDS = 0.15  # `reporter --help`, fresh process (median)
TARGET_WARM_RATIO = 1.10   # "close to 1": warm rebuild / warm bare render (median)
HEAVY_MODULES = ("pandas", "numpy", "weasyprint", "fontTools", "pydyf", "jinja2", "pydantic",
                 "markdown_it", "babel", "yaml", "rich")

# The baseline: a fresh process that imports WeasyPrint and renders the HTML `reporter build -f
# html` wrote, with the default URL fetcher and no font configuration of its own.
BARE_RENDER = """\
import sys, weasyprint
html = open(sys.argv[1], encoding="utf-8").read()
weasyprint.HTML(string=html, base_url=sys.argv[2]).write_pdf(sys.argv[3])
"""

# Prints which top-level modules the `--help` path imported (atexit runs after typer's exit).
HELP_PROBE = """\
import atexit, json, runpy, sys
def _report():
    names = sorted({name.split(".")[0] for name in sys.modules})
    sys.stderr.write("BENCH_MODULES " + json.dumps(names) + "\\n")
atexit.register(_report)
sys.argv = ["reporter", "--help"]
runpy.run_module("reporter", run_name="__main__", alter_sys=True)
"""

# One fresh build, timed stage by stage in-process (the stages `reporter build` runs).
STAGES = """\
import json, resource, sys, time
from pathlib import Path
marks = [("start", time.perf_counter(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)]
def mark(name):
    marks.append((name, time.perf_counter(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))
import reporter.cli
mark("import reporter.cli (typer)")
import reporter.pipeline as P
mark("import reporter.pipeline (pandas, jinja2, ...)")
import reporter.build, reporter.pdf
mark("import reporter.build (weasyprint)")
folder = P.default_report_dir()
report = P.load_report(folder)
mark("load_report")
theme = P.resolve_theme("investor-summary", folder, None)
mark("resolve_theme")
doc = P.render_report_html(report, theme, None)
mark("render_report_html (incl. lazy imports)")
renderer = reporter.pdf.Renderer()
pdf = renderer.render(doc.html, base_url=doc.base_url, allowed_roots=doc.allowed_roots,
                      source=doc.template_path)
mark("Renderer().render (layout + PDF)")
Path(sys.argv[1]).write_bytes(pdf)
mark("write file")
out = []
for (_, t0, _), (name, t1, rss) in zip(marks, marks[1:]):
    out.append({"stage": name, "seconds": t1 - t0, "maxrss_kb": rss})
print(json.dumps(out))
"""

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
from reporter.pipeline import default_report_dir
print(default_report_dir().resolve().as_uri() + "/")
"""


class ToolError(Exception):
    """A child process failed; carries what it printed."""

    def __init__(self, what: str, argv: list[str], code: int, stdout: str, stderr: str):
        super().__init__(f"{what} failed with exit status {code}")
        self.what, self.argv, self.code, self.stdout, self.stderr = what, argv, code, stdout, stderr


@dataclass
class Run:
    wall: float
    maxrss_kb: int
    stdout: str
    stderr: str


@dataclass
class Series:
    """Samples of one measurement."""

    walls: list[float] = field(default_factory=list)
    rss_kb: list[int] = field(default_factory=list)

    def add(self, run: Run) -> None:
        self.walls.append(run.wall)
        self.rss_kb.append(run.maxrss_kb)

    @property
    def median(self) -> float:
        return statistics.median(self.walls)

    @property
    def min(self) -> float:
        return min(self.walls)

    @property
    def rss_mb(self) -> float:
        return statistics.median(self.rss_kb) / 1024

    def as_json(self) -> dict:
        return {"median_s": self.median, "min_s": self.min, "samples_s": self.walls,
                "maxrss_mb_median": self.rss_mb, "maxrss_kb_samples": self.rss_kb}


def child_env() -> dict[str, str]:
    """The environment of every child: ours, with the repository importable first."""
    env = os.environ.copy()
    paths = [str(REPO)] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else [])
    env["PYTHONPATH"] = os.pathsep.join(paths)
    return env


ENV = child_env()


def run_child(argv: list[str], what: str) -> Run:
    """Run `argv` in a fresh process from the repo root; return wall time and its own max RSS."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, cwd=REPO, env=ENV, stdin=subprocess.DEVNULL, stdout=out,
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
            time.sleep(0.002)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        stderr = err.read().decode("utf-8", "replace")
    if proc.returncode != 0:
        raise ToolError(what, argv, proc.returncode, stdout, stderr)
    return Run(wall, usage.ru_maxrss, stdout, stderr)


def progress(message: str) -> None:
    print(f"  .. {message}", file=sys.stderr, flush=True)


def measure(argv: list[str], what: str, runs: int, warmup: bool = True) -> Series:
    series = Series()
    if warmup:
        run_child(argv, what)
    for i in range(runs):
        progress(f"{what} {i + 1}/{runs}")
        series.add(run_child(argv, what))
    return series


def measure_pair(a: tuple[list[str], str], b: tuple[list[str], str], runs: int) -> tuple[Series, Series]:
    """Measure two commands interleaved (a b, b a, a b, ...) after one warm-up run of each."""
    sa, sb = Series(), Series()
    run_child(*a)
    run_child(*b)
    for i in range(runs):
        order = [(a, sa), (b, sb)] if i % 2 == 0 else [(b, sb), (a, sa)]
        for (argv, what), series in order:
            progress(f"{what} {i + 1}/{runs}")
            series.add(run_child(argv, what))
    return sa, sb


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


def machine_info() -> dict:
    info = json.loads(run_child([PY, "-c", MACHINE_PROBE], "version probe").stdout)
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    info.update({"cpu": cpu_model(), "cores": os.cpu_count(), "usable_cores": usable,
                 "memory_gb": mem_total_gb(), "os": platform.platform(), "date": date.today().isoformat()})
    return info


# ---------------------------------------------------------------------------------------------
# import time


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
# Warm process (what `reporter preview` does on each change)


def warm_worker(iterations: int) -> None:
    """Run in a child: alternate full rebuilds and bare renders in one process; print JSON."""
    import resource

    import weasyprint
    from weasyprint.text.fonts import FontConfiguration

    import reporter.pdf
    import reporter.pipeline as P

    folder = P.default_report_dir()
    renderer = reporter.pdf.Renderer()
    font_config = FontConfiguration()
    uri = folder.resolve().as_uri() + "/"
    rebuild: dict[str, list[float]] = {"total": [], "pipeline": [], "render": []}
    bare: dict[str, list[float]] = {"total": [], "layout": [], "write": []}
    sizes = {}

    def one_rebuild():
        t0 = time.perf_counter()
        report = P.load_report(folder)
        theme = P.resolve_theme("investor-summary", folder, None)
        doc = P.render_report_html(report, theme, None)
        t1 = time.perf_counter()
        pdf = renderer.render(doc.html, base_url=doc.base_url, allowed_roots=doc.allowed_roots,
                              source=doc.template_path)
        t2 = time.perf_counter()
        rebuild["total"].append(t2 - t0)
        rebuild["pipeline"].append(t1 - t0)
        rebuild["render"].append(t2 - t1)
        sizes["reporter"] = len(pdf)
        return doc

    html = one_rebuild().html  # the document every bare render below renders
    for key in rebuild:
        rebuild[key].clear()

    def one_bare():
        # HTML.write_pdf(font_config=...) is exactly render(font_config=...).write_pdf(); split
        # so that layout and PDF writing (font subsetting included) show separately.
        t0 = time.perf_counter()
        document = weasyprint.HTML(string=html, base_url=uri).render(font_config=font_config)
        t1 = time.perf_counter()
        pdf = document.write_pdf()
        t2 = time.perf_counter()
        bare["total"].append(t2 - t0)
        bare["layout"].append(t1 - t0)
        bare["write"].append(t2 - t1)
        sizes["bare"] = len(pdf)

    for i in range(iterations):
        for step in ((one_rebuild, one_bare) if i % 2 == 0 else (one_bare, one_rebuild)):
            step()
    print(json.dumps({"rebuild": rebuild, "bare": bare, "sizes": sizes,
                      "maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))


def summarise_warm(raw: dict) -> dict:
    """Discard the first (warm-up) iteration of each; medians of the rest."""
    out = {}
    for side in ("rebuild", "bare"):
        out[side] = {}
        for key, values in raw[side].items():
            kept = values[1:] or values
            out[side][key] = {"first_s": values[0], "median_s": statistics.median(kept),
                              "min_s": min(kept), "samples_s": values}
    out["ratio_median"] = out["rebuild"]["total"]["median_s"] / out["bare"]["total"]["median_s"]
    out["ratio_min"] = out["rebuild"]["total"]["min_s"] / out["bare"]["total"]["min_s"]
    out["sizes"] = raw["sizes"]
    out["maxrss_mb"] = raw["maxrss_kb"] / 1024
    return out


# ---------------------------------------------------------------------------------------------
# Templates


def builtin_templates() -> list[str]:
    return sorted(path.parent.name for path in (REPO / "templates").glob("*/theme.yaml")
                  if path.parent.name != "base")


# ---------------------------------------------------------------------------------------------
# Output


def table(headers: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows)]
    line = lambda cells: "| " + " | ".join(str(c).ljust(w) for c, w in zip(cells, widths)) + " |"
    return "\n".join([line(headers), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
                     + [line(row) for row in rows])


def s(seconds: float) -> str:
    return f"{seconds:.3f}"


def ok(flag: bool) -> str:
    return "yes" if flag else "NO"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=None, help="timed repetitions (default 7, --quick 3)")
    parser.add_argument("--quick", action="store_true", help="3 runs, no per-template table")
    parser.add_argument("--json", type=Path, help="save all results to this JSON file")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder")
    parser.add_argument("--_warm-worker", dest="warm_worker", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.warm_worker:
        warm_worker(args.warm_worker)
        return 0
    runs = args.runs or (3 if args.quick else 7)
    if runs < 1:
        parser.error("--runs must be at least 1")

    scratch = Path(tempfile.mkdtemp(prefix="reporter-bench-"))
    failures: list[ToolError] = []
    try:
        results = run_all(runs, args.quick, scratch, failures)
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
        print(f"\nresults saved to {args.json}")
    for error in failures:
        report_failure(error)
    return 1 if failures else 0


def report_failure(error: ToolError) -> None:
    print(f"\nERROR: {error}\n  command: {' '.join(error.argv)}", file=sys.stderr)
    if error.stdout.strip():
        print("  stdout:\n" + error.stdout.rstrip(), file=sys.stderr)
    print("  stderr:\n" + (error.stderr.rstrip() or "(empty)"), file=sys.stderr)


def run_all(runs: int, quick: bool, scratch: Path, failures: list[ToolError]) -> dict:
    progress("machine and versions")
    machine = machine_info()
    results: dict = {"machine": machine, "runs": runs, "targets": {
        "build_ratio": TARGET_BUILD_RATIO, "help_seconds": TARGET_HELP_SECONDS,
        "warm_ratio": TARGET_WARM_RATIO}}

    # 1-3. Fresh-process build vs bare WeasyPrint rendering the same HTML.
    progress("writing the HTML the PDF is rendered from")
    html_path, reporter_pdf, bare_pdf = scratch / "x.html", scratch / "x.pdf", scratch / "bare.pdf"
    run_child([PY, "-m", "reporter", "build", "-f", "html", "-o", str(html_path)], "reporter build -f html")
    report_uri = run_child([PY, "-c", REPORT_URI], "report folder").stdout.strip()
    build_cmd = ([PY, "-m", "reporter", "build", "-o", str(reporter_pdf)], "reporter build")
    bare_cmd = ([PY, "-c", BARE_RENDER, str(html_path), report_uri, str(bare_pdf)], "bare weasyprint")
    build, bare = measure_pair(build_cmd, bare_cmd, runs)
    sizes = {"reporter": reporter_pdf.stat().st_size, "bare": bare_pdf.stat().st_size,
             "html": html_path.stat().st_size}
    results["build"] = build.as_json()
    results["bare"] = bare.as_json()
    results["pdf_bytes"] = sizes
    ratio = build.median / bare.median
    ratio_min = build.min / bare.min
    rss_ratio = build.rss_mb / bare.rss_mb
    results["build_ratio"] = {"median": ratio, "min": ratio_min, "maxrss": rss_ratio}

    # Where the cold time goes: fresh-process import costs and an in-process stage timing.
    imports = {}
    for label, code in (("python -c pass (interpreter start)", "pass"),
                        ("import weasyprint", "import weasyprint"),
                        ("import pandas", "import pandas"),
                        ("import reporter.cli (typer)", "import reporter.cli"),
                        ("import all `reporter build` needs",
                         "import reporter.cli, reporter.pipeline, reporter.build, "
                         "reporter.charts_context, reporter.narrative")):
        imports[label] = measure([PY, "-c", code], label, runs).as_json()
    results["imports"] = imports
    stage_samples: dict[str, list[float]] = {}
    stage_rss: dict[str, list[int]] = {}
    run_child([PY, "-c", STAGES, str(scratch / "stages.pdf")], "stage timing")
    for i in range(runs):
        progress(f"stage timing {i + 1}/{runs}")
        for row in json.loads(run_child([PY, "-c", STAGES, str(scratch / "stages.pdf")],
                                        "stage timing").stdout):
            stage_samples.setdefault(row["stage"], []).append(row["seconds"])
            stage_rss.setdefault(row["stage"], []).append(row["maxrss_kb"])
    results["stages"] = {name: {"median_s": statistics.median(v), "min_s": min(v),
                                "maxrss_mb_after": statistics.median(stage_rss[name]) / 1024}
                         for name, v in stage_samples.items()}
    build_imports = importtime_profile(["-m", "reporter", "build", "-o", str(scratch / "it.pdf")],
                                       "importtime reporter build", min(runs, 3))
    results["build_importtime"] = build_imports

    # 4. --help.
    help_series = measure([PY, "-m", "reporter", "--help"], "reporter --help", runs)
    probe = run_child([PY, "-c", HELP_PROBE], "reporter --help (module probe)")
    loaded = set(json.loads(probe.stderr.split("BENCH_MODULES ", 1)[1].splitlines()[0]))
    heavy_loaded = [name for name in HEAVY_MODULES if name in loaded]
    help_imports = importtime_profile(["-m", "reporter", "--help"], "importtime reporter --help",
                                      min(runs, 3))
    results["help"] = {**help_series.as_json(), "heavy_modules_imported": heavy_loaded,
                       "pandas_imported": "pandas" in loaded, "weasyprint_imported": "weasyprint" in loaded,
                       "importtime": help_imports}

    # 5. Warm process.
    progress(f"warm process: {runs + 1} rebuilds and {runs + 1} bare renders")
    warm_raw = json.loads(run_child([PY, str(Path(__file__).resolve()), "--_warm-worker", str(runs + 1)],
                                    "warm rebuild worker").stdout)
    warm = summarise_warm(warm_raw)
    results["warm"] = warm

    # 6. Other built-in templates (optional).
    templates = {}
    if not quick:
        for name in builtin_templates():
            if name == "investor-summary":
                templates[name] = {**build.as_json(), "pdf_bytes": sizes["reporter"]}
                continue
            target = scratch / f"{name}.pdf"
            try:
                series = measure([PY, "-m", "reporter", "build", "-t", name, "-o", str(target)],
                                 f"reporter build -t {name}", runs)
                templates[name] = {**series.as_json(), "pdf_bytes": target.stat().st_size}
            except ToolError as error:
                failures.append(error)
                templates[name] = {"error": str(error), "stderr": error.stderr}
    results["templates"] = templates

    targets = {
        "build_ratio": ratio <= TARGET_BUILD_RATIO,
        "help_seconds": help_series.median < TARGET_HELP_SECONDS,
        "help_no_heavy_imports": not ({"pandas", "weasyprint"} & loaded),
        "warm_ratio": warm["ratio_median"] <= TARGET_WARM_RATIO,
    }
    results["targets_met"] = targets
    print_report(results, build, bare, help_series, heavy_loaded, warm, templates, targets)
    return results


def print_report(r: dict, build: Series, bare: Series, help_series: Series, heavy_loaded: list[str],
                 warm: dict, templates: dict, targets: dict) -> None:
    m = r["machine"]
    mem = f", {m['memory_gb']:.0f} GB RAM" if m.get("memory_gb") else ""
    print(f"\n# reporter benchmark, {m['date']}, {r['runs']} runs per figure (median / min)\n")
    print(f"Machine: {m['cpu']}, {m['cores']} cores ({m['usable_cores']} usable){mem}; {m['os']}")
    print(f"Python {m['python']}, WeasyPrint {m['weasyprint']}, Pango {m['pango']}, "
          f"HarfBuzz {m['harfbuzz']} (hb-subset {'available' if m['harfbuzz_subset'] else 'MISSING: fonts subset with fontTools'}), "
          f"fontTools {m['fonttools']}, pydyf {m['pydyf']}, pandas {m['pandas']}, typer {m['typer']}\n")

    ratio = r["build_ratio"]
    sizes = r["pdf_bytes"]
    print("## Fresh process: `reporter build` vs bare WeasyPrint on the same HTML\n")
    print(table(["figure", "reporter build", "bare weasyprint", "reporter / bare", "target", "met"], [
        ["wall, median (s)", s(build.median), s(bare.median), f"{ratio['median']:.2f}",
         f"<= {TARGET_BUILD_RATIO}", ok(targets["build_ratio"])],
        ["wall, min (s)", s(build.min), s(bare.min), f"{ratio['min']:.2f}", "", ""],
        ["peak RSS, median (MB)", f"{build.rss_mb:.1f}", f"{bare.rss_mb:.1f}", f"{ratio['maxrss']:.2f}", "", ""],
        ["PDF size (bytes)", str(sizes["reporter"]), str(sizes["bare"]),
         f"{sizes['reporter'] / sizes['bare']:.3f}", "", ""],
    ]))

    print("\n## `reporter --help`, fresh process\n")
    help_r = r["help"]
    print(table(["figure", "value", "target", "met"], [
        ["wall, median (s)", s(help_series.median), f"< {TARGET_HELP_SECONDS}", ok(targets["help_seconds"])],
        ["wall, min (s)", s(help_series.min), "", ""],
        ["peak RSS, median (MB)", f"{help_series.rss_mb:.1f}", "", ""],
        ["pandas imported", "yes" if help_r["pandas_imported"] else "no", "no", ok(not help_r["pandas_imported"])],
        ["weasyprint imported", "yes" if help_r["weasyprint_imported"] else "no", "no",
         ok(not help_r["weasyprint_imported"])],
        ["heavy modules imported", ", ".join(heavy_loaded) or "none", "", ""],
        ["imports (-X importtime, s)", s(help_r["importtime"]["total_s"]), "", ""],
    ]))
    top = sorted(((name, cum) for name, cum in help_r["importtime"]["modules"].items()
                  if name in ("typer", "typer.main", "typer.rich_utils", "typer._adapters", "rich",
                              "rich.console", "rich.markdown", "markdown_it", "pydantic", "click",
                              "reporter.cli", "reporter.errors")), key=lambda item: -item[1])
    if top:
        print("\nBiggest imports on the --help path (cumulative, -X importtime, median):\n")
        print(table(["module", "seconds"], [[name, s(cum)] for name, cum in top]))

    print("\n## Warm process: one Renderer, repeated full rebuilds (first iteration discarded)\n")
    rb, bw = warm["rebuild"], warm["bare"]
    print(table(["figure", "median (s)", "min (s)", "first (s)"], [
        ["reporter rebuild, total", s(rb["total"]["median_s"]), s(rb["total"]["min_s"]), s(rb["total"]["first_s"])],
        ["  load + theme + HTML", s(rb["pipeline"]["median_s"]), s(rb["pipeline"]["min_s"]), s(rb["pipeline"]["first_s"])],
        ["  Renderer.render", s(rb["render"]["median_s"]), s(rb["render"]["min_s"]), s(rb["render"]["first_s"])],
        ["bare weasyprint, total", s(bw["total"]["median_s"]), s(bw["total"]["min_s"]), s(bw["total"]["first_s"])],
        ["  HTML.render (parse, style, layout)", s(bw["layout"]["median_s"]), s(bw["layout"]["min_s"]), s(bw["layout"]["first_s"])],
        ["  Document.write_pdf (incl. font subsetting)", s(bw["write"]["median_s"]), s(bw["write"]["min_s"]), s(bw["write"]["first_s"])],
        [f"ratio rebuild / bare (target <= {TARGET_WARM_RATIO}: {ok(targets['warm_ratio'])})",
         f"{warm['ratio_median']:.2f}", f"{warm['ratio_min']:.2f}", ""],
        ["peak RSS of the warm process (MB)", f"{warm['maxrss_mb']:.1f}", "", ""],
    ]))

    print("\n## Where the cold time goes\n")
    print("Fresh processes, one import each:\n")
    print(table(["command", "wall median (s)", "wall min (s)", "peak RSS (MB)"],
                [[label, s(v["median_s"]), s(v["min_s"]), f"{v['maxrss_mb_median']:.1f}"]
                 for label, v in r["imports"].items()]))
    print("\nOne fresh build, timed stage by stage in-process (after interpreter start):\n")
    stages = r["stages"]
    print(table(["stage", "median (s)", "min (s)", "peak RSS after (MB)"],
                [[name, s(v["median_s"]), s(v["min_s"]), f"{v['maxrss_mb_after']:.1f}"]
                 for name, v in stages.items()]
                + [["sum of medians", s(sum(v["median_s"] for v in stages.values())), "", ""]]))
    modules = r["build_importtime"]["modules"]
    wanted = ["reporter.cli", "typer", "typer._adapters", "pydantic", "reporter.pipeline", "pandas",
              "numpy", "reporter.commentary", "markdown_it", "reporter.context", "reporter.html", "jinja2",
              "reporter.build", "reporter.pdf", "weasyprint", "weasyprint.text.ffi", "weasyprint.html",
              "fontTools.subset", "reporter.charts_context", "reporter.narrative"]
    print("\n`python -X importtime -m reporter build` (cumulative, includes children, median):\n")
    print(table(["module", "seconds"], [[name, s(modules[name])] for name in wanted if name in modules]
                + [["all imports", s(r["build_importtime"]["total_s"])]]))

    if templates:
        print("\n## Built-in templates, `reporter build -t NAME`, fresh process\n")
        rows = []
        for name, v in templates.items():
            if "error" in v:
                rows.append([name, "error", "", "", ""])
            else:
                rows.append([name, s(v["median_s"]), s(v["min_s"]), f"{v['maxrss_mb_median']:.1f}",
                             str(v["pdf_bytes"])])
        print(table(["template", "wall median (s)", "wall min (s)", "peak RSS (MB)", "PDF bytes"], rows))

    print("\n## Targets\n")
    print(table(["target", "met"], [
        [f"reporter build / bare <= {TARGET_BUILD_RATIO} (median {ratio['median']:.2f})", ok(targets["build_ratio"])],
        [f"reporter --help < {TARGET_HELP_SECONDS} s (median {help_series.median:.3f})", ok(targets["help_seconds"])],
        ["--help imports neither pandas nor weasyprint", ok(targets["help_no_heavy_imports"])],
        [f"warm rebuild / bare <= {TARGET_WARM_RATIO} (median {warm['ratio_median']:.2f})", ok(targets["warm_ratio"])],
    ]))


if __name__ == "__main__":
    sys.exit(main())
