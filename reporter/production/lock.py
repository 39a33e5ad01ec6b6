"""One production run (or approve) at a time per output folder.

Two runs into one folder would each write the manifest from what they saw, and the last one
would drop the other's documents. A run holds an exclusive `flock` on `OUTDIR/.reporter.lock`
for its whole length and writes who holds it into the file, so a second run is refused in one
line naming the first. The kernel releases the lock when the holder dies, even by kill -9: a
lock file left behind never blocks a later run (and the run that ends normally removes it).
"""

from __future__ import annotations

import fcntl
import os
import socket
import stat
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from reporter.errors import ReporterError

LOCK_NAME = ".reporter.lock"
HOLDER_MAX_BYTES = 1_000


@contextmanager
def run_lock(outdir: Path) -> Iterator[Path]:
    """Hold the output folder's lock for the duration; refuse in one line when another process has it.

    The lock file is removed when the run ends, so the folder holds only what the run wrote. A
    process that locked a file another one removed just then sees it is no longer the folder's
    lock file and tries again.
    """
    path = outdir / LOCK_NAME
    created = not outdir.exists()
    try:
        outdir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ReporterError(f"cannot create the output folder: {exc.strerror}", file=outdir) from None
    for _ in range(100):
        fd = _locked(path, outdir)
        try:
            if os.path.samestat(os.fstat(fd), os.lstat(path)):
                break
        except FileNotFoundError:
            pass
        os.close(fd)
    else:  # pragma: no cover - another process removing the lock file a hundred times in a row
        raise ReporterError("cannot take the output folder's lock: it keeps being replaced", file=path)
    try:
        os.ftruncate(fd, 0)
        started = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())
        os.pwrite(fd, f"pid {os.getpid()} on {socket.gethostname()}, since {started}\n".encode(), 0)
        yield path
    finally:
        try:
            os.unlink(path)  # still holding the lock: nobody else has it
        except OSError:
            pass
        os.close(fd)
        if created:  # a run that wrote nothing leaves no empty output folder behind
            try:
                outdir.rmdir()
            except OSError:
                pass


def _locked(path: Path, outdir: Path) -> int:
    """Open the lock file and take its lock; refuse in one line when another process holds it."""
    try:
        # O_NOFOLLOW: a lock file swapped for a symlink is never opened (nor written through).
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, 0o644)
    except OSError as exc:
        raise ReporterError(f"cannot take the output folder's lock: {exc.strerror}", file=path) from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise ReporterError("not a regular file (a device or pipe); remove it", file=path)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ReporterError(f"another run is writing this folder ({holder(fd)}); wait for it to finish, "
                                f"or give another output folder", file=outdir) from None
        except OSError as exc:
            raise ReporterError(f"cannot take the output folder's lock: {exc.strerror}", file=path) from None
    except BaseException:
        os.close(fd)
        raise
    return fd


def holder(fd: int) -> str:
    """What the lock file says about the process holding it."""
    try:
        text = os.pread(fd, HOLDER_MAX_BYTES, 0).decode("utf-8", "replace").strip()
    except OSError:
        text = ""
    return text if text.isprintable() and text else "its holder did not say who it is"
