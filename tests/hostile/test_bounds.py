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
ADDRESS_SPACE = 1_600_000_000  # bytes: a build runs in 1.2 GB of address space; a bug fails, never eats the machine
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


def big_image_named_as_a_font_in_a_theme(folder: Path) -> None:
    # reporter skips the pixel check for its own built-in fonts and stylesheets only: a theme's
    # file with a font's name is the user's, and drawn as an image it is still measured first.
    (folder / "templates" / "fonts").mkdir(parents=True)
    (folder / "templates" / "fonts" / "SourceSansPro-Regular.ttf").write_bytes(png(13_000, 13_000))
    override(folder, '<img alt="x" src="templates/fonts/SourceSansPro-Regular.ttf">')


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
    ("theme-font-named-image-13000px", big_image_named_as_a_font_in_a_theme, "report.html:2", "13,000 x 13,000 pixels"),
    ("logo-svg-use-bomb", svg_bomb_logo, "almonty-wordmark.svg", "limits.svg_uses"),
    ("logo-svg-use-depth", svg_deep_logo, "almonty-wordmark.svg", "nest more than 10 deep"),
    ("logo-svg-use-itself", svg_self_use_logo, "almonty-wordmark.svg", "refer to themselves"),
    ("template-pages", many_pages, "report.html", "more than 12 pages"),
    ("template-inline-svg-use-bomb", sandbox(use_bomb(9).replace("\n", "")), "report.html", "inline SVG whose <use>"),
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


@pytest.mark.slow  # starts a process of its own
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


@pytest.mark.slow  # starts a process of its own
@pytest.mark.parametrize(("table_cells", "code"), [(100, 1), (200, 0)])
def test_table_cells_is_a_limit_report_yaml_sets(report_dir, tmp_path, table_cells, code):
    """A 10-column table of 11 rows (110 cells) is refused under 100 and builds under 200."""
    append(report_dir, "commentary.md", wide_table(10, 10))
    limit(report_dir, "table_cells", table_cells)
    result, _ = run("build", report_dir, "-o", tmp_path)
    assert result.returncode == code, result.stderr
    if code:
        assert "commentary.md:" in one_line(result) and "more than 100 cells" in result.stderr
    else:
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


@pytest.mark.slow  # starts a process of its own
def test_a_render_stuck_in_one_c_call_is_stopped_at_its_deadline():
    started = time.monotonic()
    process = watched(STUCK, seconds=1.5)
    stdout, stderr = process.communicate(timeout=SECONDS)
    assert process.returncode == -signal.SIGKILL
    assert stdout.strip() == "armed"
    assert stderr.strip().splitlines() == ["error: report.html: too late"]
    assert 1.4 < time.monotonic() - started < 15


@pytest.mark.slow  # starts a process of its own
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


@pytest.mark.slow  # starts a process of its own
def test_memory_past_the_ceiling_is_stopped():
    process = watched("chunks = []\n            import time\n"
                      "            while True: chunks.append(bytearray(20_000_000)); time.sleep(0.01)",
                      memory=300_000_000)
    _, stderr = process.communicate(timeout=SECONDS)
    assert process.returncode == -signal.SIGKILL
    assert stderr.strip().splitlines() == ["error: report.html: too heavy"]


@pytest.mark.slow  # starts a process of its own
def test_a_quick_render_is_left_alone_and_the_helper_goes_with_its_process():
    process = watched("x = sum(range(1000))", seconds=30)
    stdout, stderr = process.communicate(timeout=SECONDS)
    assert process.returncode == 0, stderr
    assert stdout.split() == ["armed", "finished"]
    assert stderr == ""


# --- references the file system cannot name ---------------------------------------------------

@pytest.mark.slow  # starts a process of its own
@pytest.mark.parametrize("fmt", ["pdf", "html"])
@pytest.mark.parametrize(("name", "says"), [("a%00b.png", "NUL character"), ("a" * 300 + ".png", "File name too long")],
                         ids=["nul", "300-characters"])
def test_an_image_name_the_system_refuses_is_one_located_line(report_dir, tmp_path, fmt, name, says):
    append(report_dir, "commentary.md", f"\n![The mill](assets/{name})\n")
    result, _ = run("build", report_dir, "-f", fmt, "-o", tmp_path / "out")
    assert result.returncode == 1, result.stderr
    line = one_line(result)
    assert "commentary.md:" in line and says in line, line
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


def test_a_served_file_swapped_for_a_device_or_a_huge_file_is_changed_unread(tmp_path):
    """preview's renderer checks the files it served before each rebuild: never read /dev/zero."""
    from reporter.render.pdf import Renderer

    assets = tmp_path / "assets"
    assets.mkdir()
    for name in ("a.png", "b.png"):
        (assets / name).write_bytes(png(10, 10))
    renderer = Renderer()
    html = '<img src="assets/a.png"><img src="assets/b.png">'
    renderer.render(html, base_url=tmp_path, allowed_roots=[tmp_path], source="report.html")
    assert renderer.forget_changed_files() == []
    (assets / "a.png").unlink()
    (assets / "a.png").symlink_to("/dev/zero")
    with (assets / "b.png").open("r+b") as stream:
        stream.truncate(6_000_000_000)  # sparse: reading it would take minutes and gigabytes
    started = time.monotonic()
    assert sorted(renderer.forget_changed_files()) == [(assets / "a.png"), (assets / "b.png")]
    assert time.monotonic() - started < 1


# --- diff and --against ------------------------------------------------------------------------

def pdf_of(pages: list[tuple[float, float, bytes]]) -> bytes:
    """A PDF whose pages are (width, height in points, content stream), written by hand."""
    count = len(pages)
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % (3 + 2 * i) for i in range(count))
               + b"] /Count %d >>" % count]
    for index, (width, height, content) in enumerate(pages):
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Contents %d 0 R >>"
                       % (width, height, 4 + 2 * index))
        objects.append(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
    return _assemble(objects)


def _assemble(objects: list[bytes]) -> bytes:
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


BOX = b"0 0 1 rg 100 100 400 400 re f"


@pytest.mark.slow  # starts a process of its own
def test_diff_of_a_giant_page_is_refused_before_rasterising(tmp_path):
    old, new = tmp_path / "old.pdf", tmp_path / "new.pdf"
    old.write_bytes(pdf_of([(14_400, 14_400, b"")]))
    new.write_bytes(pdf_of([(14_400, 14_400, BOX)]))
    assert old.stat().st_size < 1000
    result, seconds = run("diff", old, new, "-o", tmp_path / "d")
    assert result.returncode == 1, result.stderr
    line = one_line(result)
    assert "old.pdf" in line and "page 1 is 200 x 200 in" in line and "25,000,000" in line, line
    assert seconds < 20
    assert not (tmp_path / "d").exists()


@pytest.mark.slow  # starts a process of its own
def test_diff_of_a_sparse_huge_pdf_is_refused_unread(tmp_path):
    old, new = tmp_path / "old.pdf", tmp_path / "new.pdf"
    new.write_bytes(pdf_of([(612, 792, BOX)]))
    old.write_bytes(new.read_bytes())
    with old.open("r+b") as stream:
        stream.truncate(6_000_000_000)
    result, seconds = run("diff", old, new)
    assert result.returncode == 1, result.stderr
    line = one_line(result)
    assert "old.pdf" in line and "6,000,000,000 bytes" in line, line
    assert seconds < 20


@pytest.mark.slow  # starts a process of its own
def test_diff_writes_changed_pages_as_it_goes_never_holding_them(tmp_path):
    """40 changed pages of 25.5 x 33 in: 25 MB each as an image, 1 GB if they were all kept."""
    old, new = tmp_path / "old.pdf", tmp_path / "new.pdf"
    old.write_bytes(pdf_of([(1836, 2376, b"")] * 40))
    new.write_bytes(pdf_of([(1836, 2376, BOX)] * 40))
    process = subprocess.Popen([sys.executable, "-m", "reporter", "diff", str(old), str(new), "-o", str(tmp_path / "d")],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, preexec_fn=limited)
    stdout = process.stdout.read().decode()
    process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)  # the child's own peak memory
    assert os.waitstatus_to_exitcode(status) == 1  # something changed
    assert len(list((tmp_path / "d").glob("page-*.png"))) == 40
    assert "pages 1, 2, 3" in stdout and stdout.count("wrote ") == 41  # 40 pages and changes.txt
    # One page's images at a time (old, new and outlined: about 100 MB on top of the libraries), not
    # 40 pages' (2 GB): measured 490-505 MB here, so the bound leaves room without hiding a leak.
    assert usage.ru_maxrss * 1024 < 750_000_000, usage.ru_maxrss


# --- ingest --------------------------------------------------------------------------------------

def flate_bomb(megabytes: int) -> bytes:
    """A one-page PDF whose content stream unpacks to `megabytes` MB of spaces: one compressed
    megabyte repeated (full flushes make the blocks identical), then the real adler32."""
    import struct
    import zlib

    chunk = b" " * (1 << 20)
    packer = zlib.compressobj(9)
    head = packer.compress(chunk) + packer.flush(zlib.Z_FULL_FLUSH)
    block = packer.compress(chunk) + packer.flush(zlib.Z_FULL_FLUSH)
    text = b"BT /F1 12 Tf 72 700 Td (Revenue 4,421) Tj ET"
    tail = packer.compress(text) + packer.flush()
    checksum = 1
    for _ in range(megabytes):
        checksum = zlib.adler32(chunk, checksum)
    body = head + block * (megabytes - 1) + tail[:-4] + struct.pack(">I", zlib.adler32(text, checksum))
    return _text_pdf(body)


def many_characters(count: int) -> bytes:
    import zlib

    return _text_pdf(zlib.compress(b"BT /F1 1 Tf 10 400 Td (" + b"4" * count + b") Tj ET", 9))


def _text_pdf(flate_content: bytes) -> bytes:
    return _assemble([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> "
        b"/Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(flate_content) + flate_content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"])


def far_cell_workbook() -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["", "Three months ended June 30, 2011"])
    sheet.append(["Revenue", 4421])
    sheet["XFD1048576"] = "x"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.mark.slow  # starts a process of its own
@pytest.mark.parametrize(("name", "make", "says"), [
    ("bomb.pdf", lambda: flate_bomb(2_100), "more than 2,000,000 bytes of drawing instructions"),
    ("characters.pdf", lambda: many_characters(3_000_000), "more than 2,000,000 bytes of drawing instructions"),
    ("far-cell.xlsx", far_cell_workbook, "1,048,576 rows x 16,384 columns (to cell XFD1048576)"),
], ids=["pdf-flate-bomb", "pdf-3-million-characters", "xlsx-cell-at-XFD1048576"])
def test_ingest_of_a_small_file_that_unpacks_huge_is_one_line(tmp_path, name, make, says):
    source = tmp_path / name
    source.write_bytes(make())
    assert source.stat().st_size < 3_000_000
    result, seconds = run("ingest", source, "--out", tmp_path / "report")
    assert result.returncode == 1, result.stderr
    line = one_line(result)
    assert name in line and says in line, line
    assert seconds < 30, seconds
    assert not (tmp_path / "report").exists()


def test_a_pdf_the_reader_cannot_bound_in_advance_stops_at_its_memory_limit(tmp_path, monkeypatch):
    """A bomb behind two filters is not unpacked in advance: the child's address-space limit stops it."""
    import zlib

    from reporter.errors import DataError
    from reporter.ingest.sources import pdf

    inner = zlib.compress(b" " * 400_000_000, 9)  # 400 MB of spaces, 400 KB packed
    content = zlib.compress(inner, 9)
    data = _assemble([
        b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        b"<< /Length %d /Filter [/FlateDecode /FlateDecode] >>\nstream\n" % len(content) + content + b"\nendstream"])
    monkeypatch.setattr(pdf, "MAX_PDF_MEMORY", 600_000_000)
    with pytest.raises(DataError, match="memory|more than 60 s") as caught:
        pdf._pages_bounded(data, tmp_path / "double.pdf")
    assert caught.value.file == tmp_path / "double.pdf"


@pytest.mark.slow  # starts a process of its own
def test_a_catalog_translation_with_a_huge_width_is_refused_before_it_is_formatted():
    """New-style gettext formats the translation, not the message: the catalog's text is sized."""
    script = textwrap.dedent("""
        from jinja2.sandbox import SecurityError
        from reporter.theme.resolve import build_environment

        class Catalog:
            def gettext(self, message):
                return "%(a)2000000000s" if message == "Revenue" else message
            def ngettext(self, singular, plural, n):
                return self.gettext(singular if n == 1 else plural)

        env = build_environment([], filters={}, globals_={}, translations=Catalog())
        assert env.from_string("{{ _('Net income %(a)s', a=1) }}").render() == "Net income 1"
        try:
            env.from_string("{{ _('Revenue', a=1)|length }}").render()
        except SecurityError as refusal:
            print(refusal)
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=SECONDS,
                            preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_AS, (1_000_000_000,) * 2))
    assert result.returncode == 0, result.stderr
    assert "an expression built 2,000,000,015 characters" in result.stdout, result.stdout
