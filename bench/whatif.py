#!/usr/bin/env python
"""What would candidate fixes save on a fresh `reporter build`? Measured without editing reporter/.

Run from the repository root:  python bench/whatif.py [--runs N]

Each variant runs the real CLI (`reporter.cli.app.app(["build", ...])`) in a fresh process, wrapped
by a few lines that apply one candidate fix from the outside; all variants and the bare WeasyPrint
baseline are interleaved, `--runs` rounds (default 7), after one warm-up each:

    as is            python -m reporter build, unchanged
    gc.freeze        gc.freeze() once the modules are imported, before the command runs: the
                     collector stops re-scanning the ~100k objects that pandas, numpy, typer and
                     WeasyPrint leave alive, so every full collection during layout is cheaper
    os._exit         flush and os._exit() after the command: skip interpreter teardown
    freeze + exit    both
    + no find_library  also make ctypes.util.find_library return None while importing (cffi calls
                     it, and it spawns ldconfig and gcc, for every library name WeasyPrint tries
                     that does not load directly; the names that do load are unaffected)
    bare             the baseline of bench.py: import weasyprint, HTML(string=...).write_pdf()
    bare, no find_library  the same baseline with the same find_library short cut

Environment-level variants need no code: run this script with PYTHONPATH pointing at another
fontTools, or LD_LIBRARY_PATH at a libharfbuzz-subset, and compare (see bench/README.md).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench  # noqa: E402  (the measuring helpers)

VARIANT = r'''
import gc, os, sys
out, mode = sys.argv[1], sys.argv[2]
if "nofind" in mode:
    import ctypes.util
    _find_library = ctypes.util.find_library
    ctypes.util.find_library = lambda name: None
import reporter.cli.app, reporter.build.pipeline, reporter.build.document
if "nofind" in mode:
    ctypes.util.find_library = _find_library
if "freeze" in mode:
    gc.freeze()
code = 0
try:
    reporter.cli.app.app(["build", "-o", out], prog_name="reporter")
except SystemExit as exit:
    code = exit.code or 0
if "exit" in mode:
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
sys.exit(code)
'''

BARE_NOFIND = r'''
import ctypes.util, sys
_find_library = ctypes.util.find_library
ctypes.util.find_library = lambda name: None
import weasyprint
ctypes.util.find_library = _find_library
html = open(sys.argv[1], encoding="utf-8").read()
weasyprint.HTML(string=html, base_url=sys.argv[2]).write_pdf(sys.argv[3])
'''


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="reporter-whatif-"))
    try:
        info = bench.machine_info()
        html = scratch / "x.html"
        bench.run_child([bench.PY, "-m", "reporter", "build", "-f", "html", "-o", str(html)],
                        "reporter build -f html")
        uri = bench.run_child([bench.PY, "-c", bench.REPORT_URI], "report folder").stdout.strip()
        variants = [("as is", [bench.PY, "-m", "reporter", "build", "-o", str(scratch / "a.pdf")])]
        for label, mode in (("gc.freeze", "freeze"), ("os._exit", "exit"),
                            ("freeze + exit", "freeze-exit"),
                            ("freeze + exit + no find_library", "freeze-exit-nofind")):
            variants.append((label, [bench.PY, "-c", VARIANT, str(scratch / f"{mode}.pdf"), mode]))
        variants.append(("bare", [bench.PY, "-c", bench.BARE_RENDER, str(html), uri,
                                  str(scratch / "bare.pdf")]))
        variants.append(("bare, no find_library", [bench.PY, "-c", BARE_NOFIND, str(html), uri,
                                                   str(scratch / "bare-nofind.pdf")]))
        samples = bench.interleaved([(argv, label) for label, argv in variants], args.runs)
    except bench.ToolError as error:
        bench.report_failure(error)
        return 1
    finally:
        for path in scratch.iterdir():
            path.unlink()
        scratch.rmdir()

    medians = {label: statistics.median(r.wall for r in runs) for (label, _), runs in zip(variants, samples)}
    bare = medians["bare"]
    print(f"\n# What-if, fresh `reporter build`, {args.runs} interleaved runs, {info['date']}\n")
    print(f"{info['cpu']}, {info['usable_cores']} cores; Python {info['python']}, WeasyPrint "
          f"{info['weasyprint']}, fontTools {info['fonttools']}, libharfbuzz-subset "
          f"{'found' if info['harfbuzz_subset'] else 'not found'}; load before {info['load_before']}, "
          f"after {bench.load_average()}\n")
    rows = []
    for (label, _), runs in zip(variants, samples):
        walls, cpus = [r.wall for r in runs], [r.cpu for r in runs]
        rows.append([label, bench.s(statistics.median(walls)), bench.s(min(walls)),
                     bench.s(statistics.median(cpus)), f"{statistics.median(r.maxrss_kb for r in runs) / 1024:.0f}",
                     f"{medians[label] - medians['as is']:+.3f}", f"{medians[label] / bare:.2f}"])
    print(bench.table(["variant", "wall median (s)", "wall min (s)", "CPU (s)", "peak RSS (MB)",
                       "vs as is (s)", "/ bare"], rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
