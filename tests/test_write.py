"""Outputs are written atomically: an error or a kill mid-build never leaves a partial file."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reporter.errors import ReporterError
from reporter.write import write_atomic


def test_write_atomic_replaces_the_file(tmp_path):
    target = tmp_path / "out" / "a.pdf"
    write_atomic(target, b"first")
    write_atomic(target, b"second")
    assert target.read_bytes() == b"second"
    assert oct(target.stat().st_mode & 0o777) == "0o644"
    assert [p.name for p in target.parent.iterdir()] == ["a.pdf"]


def test_failure_while_writing_keeps_the_old_file(tmp_path, monkeypatch):
    target = tmp_path / "a.pdf"
    write_atomic(target, b"good")

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(ReporterError, match="cannot write: disk full; the earlier file is unchanged"):
        write_atomic(target, b"partial")
    assert target.read_bytes() == b"good"
    assert [p.name for p in tmp_path.iterdir()] == ["a.pdf"]


def test_failed_build_leaves_the_earlier_pdf_intact(cli, report_dir, tmp_path):
    out = tmp_path / "out"
    result = cli("build", report_dir, "-o", out)
    assert result.exit_code == 0, result.output
    pdf = Path(result.stdout.strip())
    before = pdf.read_bytes()
    figures = report_dir / "figures.csv"
    figures.write_text(figures.read_text().replace("3,006", "3,0x6"))
    assert cli("build", report_dir, "-o", out).exit_code == 1
    assert pdf.read_bytes() == before
    assert [p.name for p in out.iterdir()] == [pdf.name]


# A build whose write stops at fsync: the whole PDF is in its temporary file, not yet renamed.
# It says so through a marker file and waits there to be killed.
KILLED_WHILE_WRITING = """
import os, sys, time
from pathlib import Path
marker = Path(sys.argv[2])
real_fsync = os.fsync
def fsync(fd):
    real_fsync(fd)
    if os.readlink(f"/proc/self/fd/{fd}").endswith(".part"):
        marker.write_text(os.readlink(f"/proc/self/fd/{fd}"))
        time.sleep(600)
os.fsync = fsync
from reporter.cli.app import app
app(["build", "-o", sys.argv[1]], prog_name="reporter")
"""


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/fd")
def test_killed_build_leaves_no_partial_file(cli, tmp_path):
    """Kill a build while it writes: the earlier PDF stays whole, and the next build clears the remains."""
    out = tmp_path / "out"
    first = cli("build", "-o", out)
    assert first.exit_code == 0, first.output
    target = Path(first.stdout.strip())  # stderr may say the example was used
    earlier = target.read_bytes()
    marker = tmp_path / "writing"
    process = subprocess.Popen([sys.executable, "-c", KILLED_WHILE_WRITING, str(out), str(marker)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               env={**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")})
    deadline = time.monotonic() + 120
    while not marker.exists() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert marker.exists(), process.communicate(timeout=5)[1][-2000:]
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    temporary = Path(marker.read_text())
    # Killed after the whole document reached its temporary file, before the rename.
    assert temporary.parent == out and temporary.name.startswith(f".{target.name}.{process.pid}.")
    assert temporary.read_bytes() == earlier
    assert sorted(p.name for p in out.iterdir()) == sorted([target.name, temporary.name])
    assert target.read_bytes() == earlier  # never a fragment under the real name
    again = cli("build", "-o", out)
    assert again.exit_code == 0, again.output
    assert sorted(p.name for p in out.iterdir()) == [target.name]  # the dead build's file is gone
    assert target.read_bytes() == earlier


@pytest.mark.parametrize("make", ["fifo", "symlink"])
def test_a_target_that_is_no_regular_file_is_refused_and_left_alone(tmp_path, make):
    """Renaming over a device, pipe or link would replace the node itself (as root, /dev/full)."""
    target = tmp_path / "out.pot"
    if make == "fifo":
        os.mkfifo(target)
    else:
        (tmp_path / "elsewhere").write_text("keep")
        target.symlink_to(tmp_path / "elsewhere")
    with pytest.raises(ReporterError, match="not a regular file"):
        write_atomic(target, b"data")
    assert target.is_symlink() if make == "symlink" else stat.S_ISFIFO(os.lstat(target).st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["out.pot"] + (["elsewhere"] if make == "symlink" else []))


def test_templates_messages_into_a_pipe_is_one_line(cli, tmp_path):
    # A pipe stands in for a device: the same refusal, without risking a real /dev node.
    target = tmp_path / "messages.pot"
    os.mkfifo(target)
    result = cli("templates", "messages", "investor-summary", "-o", target)
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        f"error: {target}: is not a regular file (a device, pipe, socket or symlink); give another file name"]
    assert stat.S_ISFIFO(os.lstat(target).st_mode)
