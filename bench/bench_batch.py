#!/usr/bin/env python
"""Benchmark the production run: one `reporter build` of many documents vs one-shot builds.

Run from the repository root:  python bench/bench_batch.py

    --folders N   report folders (copies of Los Santos, each its own subject; default 20)
    --oneshots N  one-shot builds to time for the baseline (default: folders x 3, all of them)
    --rounds N    interleaved rounds (default 2): each round times its share of the one-shot
                  builds and one production run with --jobs 1 and one with --jobs 2, the order
                  of the two production runs flipped every round
    --json FILE   also save the figures as JSON

Measured, in the same run so that load from other work hits them alike:
  1. one-shot builds: `reporter build FOLDER -t TEMPLATE -o DIR`, one fresh process each;
  2. production runs of every folder x the 3 templates with `--jobs 1` and with `--jobs 2`;
  3. the floor, in one warm process: every document built by `batch.build_folder` as a worker
     builds it, then the same documents' HTML only rendered (WeasyPrint layout and PDF writing
     through reporter's renderer, with its font subset cache warm): what no reuse can remove.
Each figure is given in wall time and in CPU time (user + system of the whole process tree:
this script makes itself the subreaper of its children, so the workers a production run forks
from its fork server are counted too). On a loaded machine read the CPU figures; `--jobs 2`
against `--jobs 1` can only be read in wall time, and only on a quiet machine. Peak memory per
worker is the max RSS a worker reports (shared library pages included, so an upper bound).
Nothing is asserted; the goals are printed with a mark.
"""

from __future__ import annotations

import argparse
import ctypes
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
REPORTER = [sys.executable, "-m", "reporter"]
TEMPLATES = ["investor-summary", "quarterly-briefing", "press-release"]
TARGET_BATCH_SPEEDUP = 3.0
TARGET_JOBS_SPEEDUP = 1.7
TARGET_WORKER_MB = 200
PR_SET_CHILD_SUBREAPER = 36


def make_folders(root: Path, count: int) -> list[Path]:
    """Copy Los Santos `count` times, each with its own subject so output names differ."""
    example = REPO / "reporter" / "examples" / "los-santos"
    folders = []
    for index in range(1, count + 1):
        folder = root / f"report-{index:02d}"
        shutil.copytree(example, folder)
        settings = folder / "report.yaml"
        text = settings.read_text(encoding="utf-8")
        # The subject is one string or one per language ({en: Los Santos Mine, fr: Mine Los Santos});
        # number every spelling of it, and stop if none was found (the names would collide).
        lines = text.splitlines(keepends=True)
        for number, line in enumerate(lines):
            if line.startswith("subject:"):
                lines[number] = (line.replace("Los Santos Mine", f"Los Santos Mine {index:02d}")
                                 .replace("Mine Los Santos", f"Mine Los Santos {index:02d}"))
        changed = "".join(lines)
        if changed == text:
            sys.exit(f"bench_batch: no subject to number in {settings}")
        settings.write_text(changed, encoding="utf-8")
        folders.append(folder)
    return folders


def become_subreaper() -> bool:
    """Adopt orphaned descendants (a fork server outlives its parent), so their CPU is counted."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):  # pragma: no cover - not Linux
        return False


def reap_all() -> None:
    """Wait for every adopted descendant, so getrusage(RUSAGE_CHILDREN) includes it."""
    while True:
        try:
            pid, _ = os.waitpid(-1, 0)
        except ChildProcessError:
            return
        if pid == 0:  # pragma: no cover
            return


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(command: list[str]) -> tuple[float, float, str]:
    """Run a command; return its wall seconds, the CPU seconds of its whole process tree, stdout."""
    cpu_before = children_cpu()
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, cwd=REPO,
                            env={**os.environ, "PYTHONPATH": str(REPO)})
    reap_all()
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"failed: {' '.join(command)}\n{result.stderr}")
    return seconds, children_cpu() - cpu_before, result.stdout


FLOOR = r"""
import gc, json, resource, sys, time
from pathlib import Path
from reporter.production import run as batch
from reporter.production.run import RunOptions, Worker, build_folder, by_folder, plan
from reporter.build.pipeline import render_report_html

folders = [Path(p) for p in json.loads(sys.argv[1])]
out = Path(sys.argv[2])
gc.freeze()
def cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime
options = RunOptions(outdir=out)
jobs, _ = plan(folders, ["all"], options)
worker = Worker()
build_folder(by_folder(jobs)[0], options, worker)  # warm-up: fonts, subsets, compiled templates
documents = []
for job in jobs:
    theme = worker.themes.resolve(job.template, job.folder, None)
    documents.append(render_report_html(job.report, theme))
started, cpu_started = time.perf_counter(), cpu()
for task in by_folder(jobs):
    build_folder(task, options, worker)
whole = {"seconds": time.perf_counter() - started, "cpu": cpu() - cpu_started}
renderer = worker.renderer
started, cpu_started = time.perf_counter(), cpu()
for document in documents:
    renderer.cache.clear()
    renderer.render(document.html, base_url=document.base_url, allowed_roots=document.allowed_roots,
                    source=document.template_path)
render = {"seconds": time.perf_counter() - started, "cpu": cpu() - cpu_started}
print(json.dumps({"documents": len(documents), "whole": whole, "render": render}))
"""


def floors(folders: list[Path], root: Path) -> dict:
    """In one warm process: a production run's documents built whole, and their HTML only rendered.

    The render is WeasyPrint's layout and PDF writing with reporter's renderer (the fetcher, the
    font subset cache), the part of a document no reuse between documents can take away.
    """
    _, _, stdout = timed([sys.executable, "-c", FLOOR, json.dumps([str(f) for f in folders]),
                          str(root / "floor")])
    return json.loads(stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folders", type=int, default=20)
    parser.add_argument("--oneshots", type=int, default=None)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    documents = args.folders * len(TEMPLATES)
    oneshots = args.oneshots or documents
    counted = become_subreaper()
    with tempfile.TemporaryDirectory(prefix="bench-batch-") as scratch:
        root = Path(scratch)
        folders = make_folders(root, args.folders)
        print(f"{args.folders} folders x {len(TEMPLATES)} templates = {documents} documents; "
              f"{os.cpu_count()} cores; load average {', '.join(f'{x:.2f}' for x in os.getloadavg())}"
              + ("" if counted else "; CPU of the production runs' workers NOT counted (no subreaper)"))
        timed(REPORTER + ["build", str(folders[0]), "-o", str(root / "warmup")])  # .pyc, page cache

        pairs = [(folder, template) for folder in folders for template in TEMPLATES][:oneshots]
        share = -(-len(pairs) // args.rounds)
        oneshot = {"seconds": 0.0, "cpu": 0.0, "documents": 0}
        runs: dict[int, list[dict]] = {1: [], 2: []}
        for number in range(args.rounds):
            for folder, template in pairs[number * share:(number + 1) * share]:
                seconds, cpu, _ = timed(REPORTER + ["build", str(folder), "-t", template,
                                                    "-o", str(root / "oneshot")])
                oneshot["seconds"] += seconds
                oneshot["cpu"] += cpu
                oneshot["documents"] += 1
            for jobs in ((1, 2) if number % 2 == 0 else (2, 1)):
                out = root / f"batch-{number}-{jobs}"
                seconds, cpu, stdout = timed(REPORTER + ["build", *map(str, folders), "-t", "all",
                                                         "--jobs", str(jobs), "-o", str(out)])
                summary = stdout.strip().splitlines()[-1]
                built = int(summary.split()[0])
                if built != documents:
                    sys.exit(f"--jobs {jobs} built {built} documents, expected {documents}: {summary}")
                memory = float(re.search(r"peak memory per worker (\d+) MB", summary).group(1))
                runs[jobs].append({"seconds": seconds, "cpu": cpu, "worker_mb": memory})
                print(f"round {number + 1}, production run --jobs {jobs}: {documents} in {seconds:.1f} s "
                      f"(CPU {cpu:.1f} s), peak memory per worker {memory:.0f} MB", flush=True)
                shutil.rmtree(out)
        floor = floors(folders, root)
        load_after = os.getloadavg()
        print(f"load average at the end {', '.join(f'{x:.2f}' for x in load_after)}")

    per_doc = {"oneshot": {"wall": oneshot["seconds"] / oneshot["documents"],
                           "cpu": oneshot["cpu"] / oneshot["documents"]}}
    for jobs in (1, 2):
        per_doc[f"jobs{jobs}"] = {key: statistics.median(run[name] for run in runs[jobs]) / documents
                                  for key, name in (("wall", "seconds"), ("cpu", "cpu"))}
    for name in ("whole", "render"):
        per_doc[name] = {"wall": floor[name]["seconds"] / floor["documents"],
                         "cpu": floor[name]["cpu"] / floor["documents"]}
    batch_wall = per_doc["oneshot"]["wall"] / per_doc["jobs1"]["wall"]
    batch_cpu = per_doc["oneshot"]["cpu"] / per_doc["jobs1"]["cpu"]
    jobs_wall = per_doc["jobs1"]["wall"] / per_doc["jobs2"]["wall"]
    worker_mb = max(run["worker_mb"] for jobs in runs for run in runs[jobs])
    worker_mb_by_jobs = {jobs: max(run["worker_mb"] for run in runs[jobs]) for jobs in runs}
    print()
    print(f"{'seconds per document':40} {'wall':>7} {'CPU':>7}")
    for name, label in (("oneshot", "one-shot build"), ("jobs1", "production run, --jobs 1"),
                        ("jobs2", "production run, --jobs 2"), ("whole", "warm process: build_folder"),
                        ("render", "warm process: WeasyPrint render only")):
        print(f"{label:40} {per_doc[name]['wall']:7.3f} {per_doc[name]['cpu']:7.3f}")
    print(f"ceiling if only the render were left: one-shot / render = "
          f"{per_doc['oneshot']['cpu'] / per_doc['render']['cpu']:.2f}x (CPU); one third of a one-shot "
          f"build is {per_doc['oneshot']['cpu'] / 3:.3f} s")
    print()
    print(f"{'figure':45} {'value':>8} {'target':>8}  met")
    for name, value, target, met in (
            ("production run (--jobs 1) / one-shot, CPU", batch_cpu, f">= {TARGET_BATCH_SPEEDUP}",
             batch_cpu >= TARGET_BATCH_SPEEDUP),
            ("production run (--jobs 1) / one-shot, wall", batch_wall, f">= {TARGET_BATCH_SPEEDUP}",
             batch_wall >= TARGET_BATCH_SPEEDUP),
            ("--jobs 2 / --jobs 1, wall", jobs_wall, f">= {TARGET_JOBS_SPEEDUP}", jobs_wall >= TARGET_JOBS_SPEEDUP),
            ("peak memory per worker, MB", worker_mb, f"< {TARGET_WORKER_MB}", worker_mb < TARGET_WORKER_MB)):
        print(f"{name:45} {value:8.2f} {target:>8}  {'yes' if met else 'NO'}")
    print(f"(peak memory per worker: {worker_mb_by_jobs[1]:.0f} MB with --jobs 1, "
          f"{worker_mb_by_jobs[2]:.0f} MB with --jobs 2)")
    if args.json:
        args.json.write_text(json.dumps({
            "documents": documents, "oneshots": oneshot["documents"], "rounds": args.rounds,
            "oneshot": oneshot, "runs": runs, "warm_process": floor, "per_document": per_doc,
            "batch_speedup_cpu": batch_cpu, "batch_speedup_wall": batch_wall, "jobs_speedup_wall": jobs_wall,
            "worker_mb": worker_mb_by_jobs, "load_average_end": load_after}, indent=2) + "\n")


if __name__ == "__main__":
    main()
