"""The part of the hostile corpus that needs real processes: signals, kill -9, concurrent builds.

Each build is a `python -m reporter build` subprocess over an output folder that already holds
a good PDF. A slow SVG logo (thousands of shapes) keeps the render busy long enough to signal it.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from reporter.write import remove_stale_temporaries, write_atomic

PDF_NAME = "almonty-los-santos-mine-q3-2011-investor-summary.pdf"


def slow_logo(folder: Path, shapes: int = 60_000) -> None:
    """Replace the logo with an SVG WeasyPrint needs many seconds to draw."""
    body = "".join(f'<rect x="{i % 120}" y="{i % 24}" width="1" height="1" fill="#{i % 4096:03x}"/>'
                   for i in range(shapes))
    (folder / "assets" / "almonty-wordmark.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="24">' + body + "</svg>")


def start_build(report: Path, out: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "reporter", "build", str(report), "-o", str(out)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.fixture(scope="module")
def earlier(tmp_path_factory, example_dir) -> bytes:
    from reporter.build.document import build_report
    from reporter.build.outputs import OutputFormat

    out = tmp_path_factory.mktemp("earlier-processes")
    return build_report(example_dir, template="investor-summary", theme_dir=None, output=out,
                        output_format=OutputFormat.pdf).read_bytes()


@pytest.fixture
def slow_report(report_dir) -> Path:
    slow_logo(report_dir)
    return report_dir


def wait_until_rendering(process: subprocess.Popen, seconds: float) -> None:
    """Give the build time to import and start drawing; fail if it ended first."""
    time.sleep(seconds)
    assert process.poll() is None, process.communicate()


@pytest.mark.slow
@pytest.mark.parametrize(("signum", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)], ids=["sigint", "sigterm"])
def test_signal_during_render_writes_nothing(slow_report, tmp_path, earlier, signum, code):
    out = tmp_path / "out"
    out.mkdir()
    (out / PDF_NAME).write_bytes(earlier)
    process = start_build(slow_report, out)
    wait_until_rendering(process, 4.0)
    process.send_signal(signum)
    stdout, stderr = process.communicate(timeout=120)
    assert process.returncode == code, (stdout, stderr)
    assert stderr.strip().splitlines() == ["interrupted: nothing written"], stderr
    assert "Traceback" not in stderr
    assert (out / PDF_NAME).read_bytes() == earlier
    assert sorted(p.name for p in out.iterdir()) == [PDF_NAME]


@pytest.mark.slow
def test_kill_9_leaves_the_earlier_pdf_and_the_next_build_cleans_up(slow_report, tmp_path, earlier, example_dir):
    out = tmp_path / "out"
    out.mkdir()
    (out / PDF_NAME).write_bytes(earlier)
    process = start_build(slow_report, out)
    wait_until_rendering(process, 4.0)
    process.kill()
    process.communicate(timeout=30)
    assert (out / PDF_NAME).read_bytes() == earlier
    # What a build killed while writing leaves: a temporary file named after its (dead) process.
    leftover = out / f".{PDF_NAME}.{process.pid}.abcd1234.part"
    leftover.write_bytes(b"%PDF-1.7 half")
    result = subprocess.run([sys.executable, "-m", "reporter", "build", str(example_dir), "-o", str(out)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == [PDF_NAME]
    assert (out / PDF_NAME).read_bytes() == earlier  # same input, same bytes


@pytest.mark.slow
def test_a_running_builds_temporary_file_is_never_removed(tmp_path):
    target = tmp_path / "report.pdf"
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        live = tmp_path / f".report.pdf.{sleeper.pid}.live0001.part"
        live.write_bytes(b"being written")
        dead = tmp_path / ".report.pdf.999999999.dead0001.part"
        dead.write_bytes(b"left by a killed build")
        other = tmp_path / ".other.pdf.999999999.dead0001.part"
        other.write_bytes(b"another target's")
        removed = remove_stale_temporaries(target)
        assert removed == [dead]
        assert live.exists() and other.exists()
        write_atomic(target, b"%PDF new")
        assert live.exists() and target.read_bytes() == b"%PDF new"
    finally:
        sleeper.kill()
        sleeper.wait()


def test_old_temporary_file_of_a_reused_pid_is_removed(tmp_path):
    old = tmp_path / f".report.pdf.{os.getppid()}.old00001.part"
    old.write_bytes(b"a day old")
    day_ago = time.time() - 25 * 3600
    os.utime(old, (day_ago, day_ago))
    assert remove_stale_temporaries(tmp_path / "report.pdf") == [old]


@pytest.mark.slow
def test_concurrent_builds_to_one_file_all_succeed(tmp_path, example_dir, earlier):
    """Eight builds to the same -o file at once: every one succeeds, the file is a complete PDF."""
    target = tmp_path / "out" / "same.pdf"
    processes = [subprocess.Popen([sys.executable, "-m", "reporter", "build", str(example_dir), "-o", str(target)],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(8)]
    results = [(p.wait(timeout=300), p.stderr.read()) for p in processes]
    for process in processes:
        process.stdout.close()
        process.stderr.close()
    assert all(code == 0 for code, _ in results), results
    assert target.read_bytes() == earlier
    assert sorted(p.name for p in target.parent.iterdir()) == ["same.pdf"]
    document = pdfium.PdfDocument(str(target))
    assert len(document) >= 1
    document.close()


def test_concurrent_writes_in_one_process_never_collide(tmp_path):
    import threading

    target = tmp_path / "same.pdf"
    payloads = [bytes([i]) * 100_000 for i in range(16)]
    errors = []

    def write(data: bytes) -> None:
        try:
            write_atomic(target, data)
        except BaseException as exc:  # noqa: BLE001 - the test reports any failure
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(p,)) for p in payloads]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert target.read_bytes() in payloads  # one whole payload, never a mix
    assert [p.name for p in tmp_path.iterdir()] == ["same.pdf"]


def test_a_failed_write_is_one_line_and_keeps_the_earlier_file(tmp_path, monkeypatch):
    """A full disk while writing (ENOSPC) leaves the earlier file and no temporary file."""
    import errno

    from reporter.errors import ReporterError

    target = tmp_path / "report.pdf"
    target.write_bytes(b"%PDF earlier")

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(ReporterError) as info:
        write_atomic(target, b"%PDF new")
    assert "No space left on device" in str(info.value) and str(target) in str(info.value)
    assert target.read_bytes() == b"%PDF earlier"
    assert [p.name for p in tmp_path.iterdir()] == ["report.pdf"]


def test_read_only_output_folder_is_one_line(tmp_path, cli, example_dir):
    if os.geteuid() == 0:
        pytest.skip("root writes into read-only folders")
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        result = cli("build", example_dir, "-o", folder)
        assert result.exit_code == 1
        assert result.stderr.strip().splitlines() == [
            f"error: {folder / PDF_NAME}: cannot write: Permission denied"]
    finally:
        folder.chmod(0o755)


def test_preview_reports_a_bad_figure_and_watches_on(report_dir, tmp_path):
    """A mistake in the first build is one line; the loop goes on and the fixed folder builds."""
    from reporter.cli.preview import preview

    figures = report_dir / "figures.csv"
    good = figures.read_text()
    figures.write_text(good.replace('"$4,421"', "1" * 40, 1))
    lines: list[str] = []

    def changes():
        figures.write_text(good)
        yield {("modified", str(figures))}

    preview(report_dir, template="investor-summary", theme_dir=None, output=tmp_path / "out",
            echo=lines.append, changes=changes())
    assert "40 digits, more than the limit of 18" in lines[0] and "figures.csv, row 2" in lines[0]
    assert lines[-1].startswith("rebuilt ")
