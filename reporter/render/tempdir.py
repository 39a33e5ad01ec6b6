"""A temporary folder of the process's own, removed when it ends, so no build leaves one behind.

WeasyPrint puts the fonts of every @font-face in a `weasyprint-*` folder it removes only when
its font configuration is collected, which never happens: the CLI leaves with `os._exit` (see
reporter.cli.app.run), workers leave the same way, and a killed process cleans nothing. So the
console entry point makes one folder, `$TMPDIR/reporter-PID-RANDOM/`, points `tempfile` (and,
through TMPDIR, the fork server and the workers it starts) into it, and removes it on the way
out. The folder of a process that was killed is removed by the next run, once that process no
longer runs.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path

PREFIX = "reporter-"
_NAME = re.compile(rf"^{PREFIX}(\d+)-[A-Za-z0-9_]+$")
_folder: Path | None = None
_also: list[Path] = []  # folders made outside it, removed with it
# A Unix socket's path is at most 107 bytes; the fork server's is `TEMPDIR/listener-XXXXXXXX`.
SOCKET_FOLDER_MAX = 80


def use_private_tempdir() -> Path:
    """Make this process's temporary folder (once) and point tempfile and TMPDIR at it."""
    global _folder
    if _folder is None:
        base = Path(tempfile.gettempdir())
        remove_stale(base)
        _folder = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-", dir=base))
        tempfile.tempdir = str(_folder)
        os.environ["TMPDIR"] = str(_folder)
    return _folder


def remove_private_tempdir() -> None:
    """Remove this process's temporary folder and everything in it."""
    global _folder
    for folder in [_folder, *_also]:
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)
    _folder = None
    _also.clear()


def prepare_multiprocessing() -> None:
    """Put multiprocessing's own temporary folder (the fork server's socket) in ours, or beside it
    when our path is too long for a socket, and remove it with ours: os._exit skips its clean-up."""
    from multiprocessing import process

    config = process.current_process()._config  # type: ignore[attr-defined]  # get_temp_dir's cache
    if _folder is None or "tempdir" in config:
        return
    if len(os.fsencode(_folder)) <= SOCKET_FOLDER_MAX:
        config["tempdir"] = str(_folder)
    else:
        short = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-", dir="/tmp"))
        _also.append(short)
        config["tempdir"] = str(short)


def remove_stale(base: Path) -> list[Path]:
    """Remove the temporary folders of reporter processes that no longer run; return them."""
    removed: list[Path] = []
    try:
        candidates = list(os.scandir(base))
    except OSError:
        return removed
    for entry in candidates:
        match = _NAME.match(entry.name)
        if not match or not entry.is_dir(follow_symlinks=False):
            continue
        try:
            if entry.stat(follow_symlinks=False).st_uid != os.getuid() or process_running(int(match.group(1))):
                continue
        except OSError:
            continue
        shutil.rmtree(entry.path, ignore_errors=True)
        removed.append(Path(entry.path))
    return removed


# No process id is larger (Linux's pid_max is at most 2**22; os.kill overflows past a C int).
MAX_PID = 2**22


def process_running(pid: int) -> bool:
    """Say whether `pid` runs: exists and is no zombie (a parent that did not reap it yet)."""
    # A name such as `.x.approve-99999999999999999999-y`: no process has it. Nor has 0, which
    # os.kill takes for our own process group (and so says it runs).
    if not 0 < pid <= MAX_PID:
        return False
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        return state not in ("Z", "X")
    except (OSError, IndexError):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True
