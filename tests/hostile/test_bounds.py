"""Hostile inputs, round 2 (issue 24, part C): every construct bounded in time and memory.

Each case is a `python -m reporter build` subprocess under an address-space limit (RLIMIT_AS),
so a regression fails the test with a MemoryError instead of taking the shared machine's
memory; each asserts one located line, exit code 1, the earlier PDF intact and the time taken.
"""

from __future__ import annotations

import io
import os
import resource
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Callable

import pytest

PDF_NAME = "almonty-los-santos-mine-q3-2011-investor-summary.pdf"
EXTENDS = '{% extends "builtin:investor-summary/report.html" %}\n'
ADDRESS_SPACE = 3_000_000_000  # bytes: a build needs ~1.2 GB of address space, a bug would need far more
SECONDS = 60  # a case that takes longer has lost its bound (they take 2-5 s)


def limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))


def run(*args: str | Path, timeout: float = SECONDS) -> tuple[subprocess.CompletedProcess, float]:
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "reporter", *map(str, args)], capture_output=True,
                            text=True, timeout=timeout, preexec_fn=limited)
    return result, time.monotonic() - started


def one_line(result: subprocess.CompletedProcess) -> str:
    assert "Traceback" not in result.stdout + result.stderr, result.stderr
    assert "DecompressionBomb" not in result.stderr, result.stderr  # Pillow's warnings never reach the user
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def override(folder: Path, body: str) -> None:
    """An investor-summary override whose `headline` block (line 2) holds `body`."""
    (folder / "templates").mkdir(exist_ok=True)
    (folder / "templates" / "report.html").write_text(EXTENDS + "{% block headline %}" + body
                                                      + "{% endblock %}\n", encoding="utf-8")


def append(folder: Path, name: str, text: str) -> None:
    with (folder / name).open("a", encoding="utf-8") as stream:
        stream.write(text)


def limit(folder: Path, name: str, value: int) -> None:
    append(folder, "report.yaml", f"\nlimits:\n  {name}: {value}\n")


def png(width: int, height: int) -> bytes:
    """A PNG of width x height one-bit pixels: a few kilobytes on disk, width x height in memory."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("1", (width, height)).save(buffer, "PNG")
    return buffer.getvalue()


def use_bomb(levels: int, fan: int = 10) -> str:
    """An SVG whose group of level n holds `fan` uses of level n - 1: fan ** levels rectangles."""
    groups = "".join(f'<g id="l{n}">' + f'<use xlink:href="#l{n - 1}"/>' * fan + "</g>" for n in range(1, levels + 1))
    return ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="120" '
            f'height="24">\n<defs><rect id="l0" width="1" height="1"/>{groups}</defs><use href="#l{levels}"/>\n</svg>\n')


def wide_table(columns: int, rows: int) -> str:
    header = "| " + " | ".join(f"Q{c}" for c in range(columns)) + " |\n"
    rule = "|" + "---:|" * columns + "\n"
    return "\n\n" + header + rule + ("| " + " | ".join(f"{r:,}" for r in range(columns)) + " |\n") * rows


def big_image_in_commentary(folder: Path) -> None:
    (folder / "assets" / "mill-photo.png").write_bytes(png(13_000, 13_000))
    append(folder, "commentary.md", "\n![The mill](assets/mill-photo.png)\n")


def big_image_as_data_url(folder: Path) -> None:
    import base64

    data = base64.b64encode(png(13_000, 13_000)).decode()
    override(folder, f'<img alt="x" src="data:image/png;base64,{data}">')


def svg_bomb_logo(folder: Path) -> None:
    (folder / "assets" / "almonty-wordmark.svg").write_text(use_bomb(9), encoding="utf-8")


def svg_deep_logo(folder: Path) -> None:
    (folder / "assets" / "almonty-wordmark.svg").write_text(use_bomb(12, fan=1), encoding="utf-8")


def svg_self_use_logo(folder: Path) -> None:
    (folder / "assets" / "almonty-wordmark.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="24">\n'
        '<g id="loop"><rect width="1" height="1"/><use href="#loop"/></g>\n</svg>\n', encoding="utf-8")


def table_of_many_cells(folder: Path) -> None:
    append(folder, "commentary.md", wide_table(20, 600))  # 12,020 cells, under the 20-column limit


def many_pages(folder: Path) -> None:
    limit(folder, "pages", 12)
    override(folder, '{% for i in range(40) %}<p style="break-after: page">page {{ i }}</p>{% endfor %}')


def sandbox(body: str) -> Callable[[Path], None]:
    return lambda folder: override(folder, body)


# (id, make the folder hostile, the file named, what the line says)
CASES = [
    ("commentary-table-cells", table_of_many_cells, "commentary.md:", "table_cells"),
    ("commentary-image-13000px", big_image_in_commentary, "commentary.md:", "13,000 x 13,000 pixels"),
    ("template-data-url-13000px", big_image_as_data_url, "report.html:2", "image_pixels"),
    ("logo-svg-use-bomb", svg_bomb_logo, "almonty-wordmark.svg", "limits.svg_uses"),
    ("logo-svg-use-depth", svg_deep_logo, "almonty-wordmark.svg", "nest more than 10 deep"),
    ("logo-svg-use-itself", svg_self_use_logo, "almonty-wordmark.svg", "refer to themselves"),
    ("template-pages", many_pages, "report.html", "more than 12 pages"),
    ("sandbox-bytes-times", sandbox("{{ ('x'.encode() * 2900000000)|length }}"), "report.html:2", "2,900,000,000"),
    ("sandbox-bytes-percent", sandbox("{{ ('%2000000000d'.encode() % 1)|length }}"), "report.html:2", "template_text"),
    ("sandbox-percent-star", sandbox("{{ ('%*d' % (2000000000, 1))|length }}"), "report.html:2", "template_text"),
    ("sandbox-percent-star-dict", sandbox("{{ ('%-*.*f' % (9999999, 9999999, 1.5))|length }}"), "report.html:2", "template_text"),
    ("sandbox-format-nested-width", sandbox("{{ '{0:{1}}'.format('x', '>2000000000')|length }}"), "report.html:2", "template_text"),
    ("sandbox-format-nested-auto", sandbox("{{ '{:{}}'.format('x', 9999999)|length }}{{ '{:{}}'.format('x', 9999999)|length }}"), "report.html:2", "template_text"),
    ("sandbox-gettext-width", sandbox("{{ _('%(a)2000000000s', a=1)|length }}"), "report.html:2", "template_text"),
    ("sandbox-translate", sandbox("{{ ('x' * 5000000).translate({120: 'y' * 5000000})|length }}"), "report.html:2", "template_text"),
    ("sandbox-tojson-indent", sandbox("{% set d = [[[[[[1] * 10] * 10] * 10] * 10] * 10] %}{{ d|tojson(indent=9000000)|length }}"), "report.html:2", "template_text"),
    ("sandbox-sum-start-list", sandbox("{{ ([[1]] * 60000)|sum(start=[])|length }}"), "report.html:2", "template_text"),
    ("sandbox-join-attribute", sandbox("{% set d = {'a': 'x' * 9000000} %}{{ ([d] * 1000000)|join(attribute='a')|length }}"), "report.html:2", "template_text"),
    ("sandbox-join-nested", sandbox("{% set d = ['x' * 9000000] %}{{ ([d] * 1000)|join|length }}"), "report.html:2", "template_text"),
]


@pytest.fixture(scope="module")
def earlier_pdf(tmp_path_factory, example_dir) -> bytes:
    out = tmp_path_factory.mktemp("earlier")
    result, _ = run("build", example_dir, "-o", out)
    assert result.returncode == 0, result.stderr
    return (out / PDF_NAME).read_bytes()


@pytest.mark.parametrize(("case", "make", "file", "says"), CASES, ids=[c[0] for c in CASES])
def test_bounded_in_time_and_memory(report_dir, tmp_path, earlier_pdf, case, make, file, says):
    out = tmp_path / "out"
    out.mkdir()
    (out / PDF_NAME).write_bytes(earlier_pdf)
    make(report_dir)

    result, seconds = run("build", report_dir, "-o", out)

    assert result.returncode == 1, (result.returncode, result.stderr)
    line = one_line(result)
    assert file in line and says in line, line
    assert len(line) < 400, line  # a data: URL is shown shortened
    assert seconds < 30, seconds
    assert sorted(p.name for p in out.iterdir()) == [PDF_NAME]
    assert (out / PDF_NAME).read_bytes() == earlier_pdf


def test_the_limits_can_be_raised_for_a_real_report(report_dir, tmp_path):
    """A report with 12,000 table cells builds once limits.table_cells allows them."""
    append(report_dir, "commentary.md", wide_table(10, 1200))
    limit(report_dir, "table_cells", 20_000)
    result, _ = run("build", report_dir, "-o", tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / PDF_NAME).stat().st_size > 0


def test_a_table_in_a_code_block_is_not_counted(report_dir, tmp_path):
    from reporter.inputs.commentary import load_commentary

    path = report_dir / "commentary.md"
    append(report_dir, "commentary.md", "\n\n```\n" + wide_table(20, 600) + "\n```\n")
    assert load_commentary(path).sections  # no error: the fence holds text, not a table


# --- the watchdog: a render stuck in one C call, Ctrl-C during it, memory ---------------------

def watched(body: str, seconds: float = 60, memory: int = 1_500_000_000) -> subprocess.Popen:
    """A process that runs `body` (a C call that ignores signals for minutes) under the watchdog."""
    script = textwrap.dedent(f"""
        import sys
        from reporter.render import watchdog
        from reporter.render.interrupt import interrupts
        with interrupts(), watchdog.guarded({seconds}, {memory}, late="error: report.html: too late",
                                            heavy="error: report.html: too heavy"):
            print("armed", flush=True)
            {body}
        print("finished", flush=True)
    """)
    return subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, preexec_fn=limited)


STUCK = "sum([[1]] * 200000, [])"  # one C call of minutes; SIGALRM and SIGINT wait for it


def test_a_render_stuck_in_one_c_call_is_stopped_at_its_deadline():
    started = time.monotonic()
    process = watched(STUCK, seconds=1.5)
    stdout, stderr = process.communicate(timeout=SECONDS)
    assert process.returncode == -signal.SIGKILL
    assert stdout.strip() == "armed"
    assert stderr.strip().splitlines() == ["error: report.html: too late"]
    assert 1.4 < time.monotonic() - started < 15


def test_ctrl_c_during_one_long_c_call_is_honoured():
    process = watched(STUCK)
    assert process.stdout.readline().strip() == "armed"
    time.sleep(0.3)
    process.send_signal(signal.SIGINT)
    interrupted = time.monotonic()
    _, stderr = process.communicate(timeout=SECONDS)
    assert process.returncode == -signal.SIGKILL
    assert stderr.strip().splitlines() == ["interrupted: nothing written"]
    assert time.monotonic() - interrupted < 10  # the grace is 1 s; the machine is shared


def test_memory_past_the_ceiling_is_stopped():
    process = watched("chunks = []\n            import time\n"
                      "            while True: chunks.append(bytearray(20_000_000)); time.sleep(0.01)",
                      memory=300_000_000)
    _, stderr = process.communicate(timeout=SECONDS)
    assert process.returncode == -signal.SIGKILL
    assert stderr.strip().splitlines() == ["error: report.html: too heavy"]


def test_a_quick_render_is_left_alone_and_the_helper_goes_with_its_process():
    process = watched("x = sum(range(1000))", seconds=30)
    stdout, stderr = process.communicate(timeout=SECONDS)
    assert process.returncode == 0, stderr
    assert stdout.split() == ["armed", "finished"]
    assert stderr == ""
