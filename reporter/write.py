"""Stage 7: write output files atomically, so a failed, interrupted or killed build leaves the old file intact.

Each build writes to its own temporary file beside the target, `.NAME.PID.RANDOM.part`, and
renames it over the target: concurrent builds to the same file all succeed and the last rename
wins, every result a complete file. A build killed outright (SIGKILL) cannot clean up; the next
build to write there removes the leftovers of processes that no longer run (or, since process
ids are reused, that are a day old), never the file of a build still running.
"""

from __future__ import annotations

import errno
import os
import re
import tempfile
import time
from pathlib import Path

from reporter.errors import ReporterError

STALE_AFTER_SECONDS = 24 * 3600  # no build runs this long; a live pid this old was reused


def write_atomic(path: Path, data: bytes) -> Path:
    """Write `data` to a temporary file beside `path`, flush it to disk, then rename it over `path`."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ReporterError(f"cannot create the output folder: {_reason(exc)}", file=path.parent) from None
    if path.is_dir():
        raise ReporterError("is a folder; give a file name ending in the format's suffix, or the folder", file=path)
    if path.is_symlink() or (path.exists() and not path.is_file()):
        # Renaming over a device (/dev/full), a pipe or a link would replace that node itself.
        raise ReporterError("is not a regular file (a device, pipe, socket or symlink); "
                            "give another file name", file=path)
    remove_stale_temporaries(path)
    try:
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.{os.getpid()}.",
                                             suffix=".part")
    except OSError as exc:
        raise ReporterError(f"cannot write: {_reason(exc)}", file=path) from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o644)  # mkstemp makes files private; outputs are for sharing
        os.replace(temporary, path)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise ReporterError(f"cannot write: {_reason(exc)}; the earlier file is unchanged", file=path) from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc) or errno.errorcode.get(exc.errno or 0, type(exc).__name__)


def remove_stale_temporaries(path: Path) -> list[Path]:
    """Remove temporary files of `path` left by builds that died; return what was removed."""
    pattern = re.compile(rf"^\.{re.escape(path.name)}\.(\d+)\.[^.]+\.part$")
    removed = []
    for candidate in path.parent.glob(f".{path.name}.*.part"):
        match = pattern.match(candidate.name)
        if not match:
            continue
        try:
            age = time.time() - candidate.stat().st_mtime
        except FileNotFoundError:
            continue  # its build finished meanwhile
        if _process_alive(int(match.group(1))) and age < STALE_AFTER_SECONDS:
            continue
        candidate.unlink(missing_ok=True)
        removed.append(candidate)
    return removed


def _process_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's live process
    return True
