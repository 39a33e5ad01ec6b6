"""No temporary folder is left by a one-shot build stopped at any moment, by any signal.

Each build runs as `python -m reporter build` with a TMPDIR of its own, over a report whose slow
SVG logo keeps the render busy long enough to signal it. The moments: while Python starts and
imports, as soon as the build's own temporary folder exists (options, data), and once WeasyPrint
has copied the fonts into its folder (the render). SIGTERM and SIGINT must leave nothing; kill -9
cannot be caught, so its folder must be removed by the next reporter command.
(Production runs: tests/hostile/test_hostile_production.py.)
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from test_hostile_processes import slow_logo

MOMENTS = ("starting", "loading", "rendering")
SIGNALS = {"sigterm": signal.SIGTERM, "sigint": signal.SIGINT, "sigkill": signal.SIGKILL}


def start_build(report: Path, out: Path, tmp: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "reporter", "build", str(report), "-o", str(out)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "TMPDIR": str(tmp)})


def wait_for(process: subprocess.Popen, found, seconds: float = 60.0) -> None:
    """Wait until `found()` says the build reached the moment; fail if it ended first."""
    deadline = time.monotonic() + seconds
    while not found():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the build never reached the moment"
        time.sleep(0.005)


def fonts_copied(tmp: Path) -> bool:
    """WeasyPrint has made its font folder inside the build's own temporary folder."""
    return any(inner.name.startswith("weasyprint-") for own in tmp.glob("reporter-*") if own.is_dir()
               for inner in own.iterdir())


@pytest.fixture(scope="module")
def slow_folder(tmp_path_factory, example_dir) -> Path:
    import shutil

    folder = tmp_path_factory.mktemp("slow") / "los-santos"
    shutil.copytree(example_dir, folder)
    slow_logo(folder)
    return folder


@pytest.mark.slow
@pytest.mark.parametrize("moment", MOMENTS)
@pytest.mark.parametrize("name", list(SIGNALS))
def test_a_build_stopped_at_any_moment_leaves_no_temporary_folder(slow_folder, tmp_path, moment, name):
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    process = start_build(slow_folder, tmp_path / "out", tmp)
    if moment == "starting":
        time.sleep(0.15)
    elif moment == "loading":
        wait_for(process, lambda: any(tmp.glob("reporter-*")))
    else:
        wait_for(process, lambda: fonts_copied(tmp))
    assert process.poll() is None, process.communicate()
    if moment == "rendering":
        assert fonts_copied(tmp)  # the folder this test is about exists when the signal arrives
    process.send_signal(SIGNALS[name])
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode != 0, (stdout, stderr)
    assert "Traceback" not in stderr, stderr
    assert not (tmp_path / "out").exists() or list((tmp_path / "out").iterdir()) == []
    left = [path.name for path in tmp.iterdir()]
    if SIGNALS[name] is signal.SIGKILL:
        # Nothing runs on kill -9: what it leaves is the build's own folder, named by its pid...
        assert all(entry.startswith(f"reporter-{process.pid}-") for entry in left), left
        # ... which the next reporter command removes, that process being gone.
        after = subprocess.run([sys.executable, "-m", "reporter", "templates", "context"], capture_output=True,
                               env={**os.environ, "TMPDIR": str(tmp)}, timeout=60)
        assert after.returncode == 0, after.stderr
        left = [path.name for path in tmp.iterdir()]
    assert left == []
