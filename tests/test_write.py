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
    pdf = Path(result.output.strip())
    before = pdf.read_bytes()
    figures = report_dir / "figures.csv"
    figures.write_text(figures.read_text().replace("3,006", "3,0x6"))
    assert cli("build", report_dir, "-o", out).exit_code == 1
    assert pdf.read_bytes() == before
    assert [p.name for p in out.iterdir()] == [pdf.name]


def test_killed_build_leaves_no_partial_file(tmp_path):
    """Kill builds at different moments: the output is absent or a whole PDF, never a fragment."""
    out = tmp_path / "out"
    for delay in (0.3, 0.8, 1.2):
        process = subprocess.Popen([sys.executable, "-m", "reporter", "build", "-o", str(out)],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        if out.exists():
            for path in out.iterdir():
                assert not path.name.startswith(".") or path.suffix == ".part"
                if path.suffix == ".pdf":
                    data = path.read_bytes()
                    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")


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
