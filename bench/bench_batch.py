#!/usr/bin/env python
"""Benchmark the production run: one `reporter build` of many documents vs one-shot builds.

Run from the repository root:  python bench/bench_batch.py

    --folders N   report folders (copies of Los Santos, each its own subject; default 20)
    --oneshots N  one-shot builds to time for the baseline (default: folders x 3, all of them)
    --json FILE   also save the figures as JSON

Three measurements, in the same run so that load from other work hits them alike:
  1. N one-shot builds: `reporter build FOLDER -t TEMPLATE -o DIR`, one fresh process each;
  2. one production run of every folder x the 3 templates with `--jobs 1`;
  3. the same with `--jobs 2`.
Throughput is documents per second of wall time. Each production run uses a fresh output
folder, so every document is built. Peak memory per worker is the max RSS a worker reports
(shared library pages included, so an upper bound). Nothing is asserted; targets are printed.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
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


def timed(command: list[str]) -> tuple[float, str]:
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, cwd=REPO,
                            env={**os.environ, "PYTHONPATH": str(REPO)})
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"failed: {' '.join(command)}\n{result.stderr}")
    return seconds, result.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folders", type=int, default=20)
    parser.add_argument("--oneshots", type=int, default=None)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    documents = args.folders * len(TEMPLATES)
    oneshots = args.oneshots or documents
    with tempfile.TemporaryDirectory(prefix="bench-batch-") as scratch:
        root = Path(scratch)
        folders = make_folders(root, args.folders)
        print(f"{args.folders} folders x {len(TEMPLATES)} templates = {documents} documents; "
              f"{os.cpu_count()} cores; load average {os.getloadavg()[0]:.2f}")
        timed(REPORTER + ["build", str(folders[0]), "-o", str(root / "warmup")])  # .pyc, page cache

        pairs = [(folder, template) for folder in folders for template in TEMPLATES][:oneshots]
        started = time.perf_counter()
        for index, (folder, template) in enumerate(pairs):
            timed(REPORTER + ["build", str(folder), "-t", template, "-o", str(root / "oneshot")])
        oneshot_seconds = time.perf_counter() - started
        oneshot_rate = len(pairs) / oneshot_seconds
        print(f"one-shot builds: {len(pairs)} in {oneshot_seconds:.1f} s = {oneshot_rate:.2f} documents/s")

        runs = {}
        for jobs in (1, 2):
            seconds, stdout = timed(REPORTER + ["build", *map(str, folders), "-t", "all", "--jobs", str(jobs),
                                                "-o", str(root / f"batch-{jobs}")])
            summary = stdout.strip().splitlines()[-1]
            built = int(summary.split()[0])
            if built != documents:
                sys.exit(f"--jobs {jobs} built {built} documents, expected {documents}: {summary}")
            memory = float(re.search(r"peak memory per worker (\d+) MB", summary).group(1))
            runs[jobs] = {"seconds": seconds, "rate": documents / seconds, "worker_mb": memory}
            print(f"production run --jobs {jobs}: {documents} in {seconds:.1f} s = "
                  f"{documents / seconds:.2f} documents/s, peak memory per worker {memory:.0f} MB")
        print(f"load average at the end {os.getloadavg()[0]:.2f}")

    batch_speedup = runs[1]["rate"] / oneshot_rate
    jobs_speedup = runs[2]["rate"] / runs[1]["rate"]
    worker_mb = max(run["worker_mb"] for run in runs.values())
    print()
    print(f"{'figure':45} {'value':>8} {'target':>8}  met")
    for name, value, target, met in (
            ("one production run (--jobs 1) / one-shot", batch_speedup, f">= {TARGET_BATCH_SPEEDUP}",
             batch_speedup >= TARGET_BATCH_SPEEDUP),
            ("--jobs 2 / --jobs 1", jobs_speedup, f">= {TARGET_JOBS_SPEEDUP}", jobs_speedup >= TARGET_JOBS_SPEEDUP),
            ("peak memory per worker, MB", worker_mb, f"< {TARGET_WORKER_MB}", worker_mb < TARGET_WORKER_MB)):
        print(f"{name:45} {value:8.2f} {target:>8}  {'yes' if met else 'NO'}")
    if args.json:
        args.json.write_text(json.dumps({"documents": documents, "oneshots": len(pairs),
                                         "oneshot_seconds": oneshot_seconds, "runs": runs,
                                         "batch_speedup": batch_speedup, "jobs_speedup": jobs_speedup,
                                         "worker_mb": worker_mb}, indent=2) + "\n")


if __name__ == "__main__":
    main()
