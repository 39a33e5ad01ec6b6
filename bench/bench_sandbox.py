"""What the template sandbox costs: templates rendered sandboxed vs unsandboxed, against a whole build.

Run: .venv/bin/python bench/bench_sandbox.py [REPEATS]

In one process, for each built-in template: the median time to fill the templates in the
sandbox (reporter.theme.sandbox.BoundedSandbox: ImmutableSandboxedEnvironment with the step, time and
size budget and the gated loader) and in a plain jinja2.Environment with the same loader,
filters and settings, and the median time of the whole build of that template (load, check,
templates, PDF, write). The sandbox's cost is the difference, as a share of the build.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path
from unittest import mock

import jinja2

from reporter.render import html as html_stage
from reporter.build.document import build_report
from reporter.inputs.limits import DEFAULT_LIMITS
from reporter.render.pdf import Renderer
from reporter.theme.sandbox import RenderBudget
from reporter.build.outputs import OutputFormat
from reporter.data.report import default_report_dir, load_report
from reporter.build.pipeline import render_report_html
from reporter.theme.resolve import BASE_THEME, available_themes, build_environment, resolve_theme


def plain_environment(folders, *, filters, globals_, roots=None, limits=None, translations=None):
    """The environment as it was before the sandbox: same loader order, filters and options."""
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader([
            jinja2.FileSystemLoader([str(f) for f in folders]),
            jinja2.PrefixLoader({"builtin": jinja2.FileSystemLoader(
                str(build_environment.__globals__["BUILTIN_ROOT"]))}, delimiter=":")]),
        undefined=jinja2.StrictUndefined, autoescape=True, trim_blocks=True, lstrip_blocks=True,
        keep_trailing_newline=True, extensions=["jinja2.ext.i18n"])
    if translations is None:  # the theme's gettext catalogs, as build_environment installs them
        env.install_null_translations(newstyle=True)
    else:
        env.install_gettext_callables(translations.gettext, translations.ngettext, newstyle=True)
    env.filters.update(filters)
    env.globals.update(globals_)
    # render_html sets a deadline alarm from env.budget: give the plain one a budget it never ticks
    # (the alarm, two system calls, is then counted on both sides, not as the sandbox's cost)
    env.budget = RenderBudget(limits if limits is not None else DEFAULT_LIMITS)
    return env


def median_seconds(action, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main(repeats: int = 15) -> None:
    folder = default_report_dir()
    report = load_report(folder)
    renderer = Renderer()
    out = Path(tempfile.mkdtemp(prefix="bench-sandbox-"))
    names = [t.name for t in available_themes(folder) if t.name != BASE_THEME]
    print(f"{'template':<22}{'sandboxed':>12}{'plain':>12}{'build':>10}{'sandbox cost':>15}")
    shares = []
    for name in names:
        theme = resolve_theme(name, folder, None)
        build = lambda: build_report(folder, template=name, theme_dir=None, output=out,  # noqa: E731
                                     output_format=OutputFormat.pdf, renderer=renderer)
        build()  # warm: fonts, imports, caches
        sandboxed = median_seconds(lambda: render_report_html(report, theme), repeats)
        with mock.patch.object(html_stage, "build_environment", plain_environment):
            plain = median_seconds(lambda: render_report_html(report, theme), repeats)
        whole = median_seconds(build, max(3, repeats // 3))
        share = (sandboxed - plain) / whole
        shares.append(share)
        print(f"{name:<22}{sandboxed * 1000:>10.1f}ms{plain * 1000:>10.1f}ms{whole:>9.2f}s{share:>14.1%}")
    print(f"largest sandbox cost: {max(shares):.1%} of a build (limit: 5%)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 15)
