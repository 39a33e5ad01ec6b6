"""The one gate every file the renderer uses goes through, for the PDF and for `-f html`.

A reference becomes bytes only if its real path (symlinks resolved) lies under an allowed
folder, it is a regular file (never a device, pipe or folder), and it is at most
`limits.asset_bytes` long. The size is checked on the open file before reading, and the read
stops one byte past the limit, so a huge or growing file is never read whole.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from urllib.parse import unquote, urlsplit


class Refused(Exception):
    """A reference the renderer may not read; `reason` says why in words for the user."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def real_path(path: Path) -> Path | None:
    """Return `path` with every symlink resolved, or None when that cannot be done (a symlink
    loop, a name too long, a NUL byte): such a path is never inside anything."""
    try:
        return path.resolve()
    except (OSError, RuntimeError, ValueError):  # RuntimeError: Python 3.11's "Symlink loop from ..."
        return None


def allowed_path(url: str, roots: list[Path]) -> Path:
    """Return the real path a `file:` URL stands for, or raise Refused when it is outside `roots`."""
    name = unquote(urlsplit(url).path)
    if "\0" in name:  # `%00`: no file has it in its name, and os calls refuse it with ValueError
        raise Refused("a file name cannot hold a NUL character (%00)")
    path = real_path(Path(name))
    if path is None:
        raise Refused("it cannot be resolved (a symlink loop, or a name too long)")
    if not any(path.is_relative_to(root) for root in roots):
        raise Refused("it is outside the report and theme folders")
    try:
        if not path.is_file():
            raise Refused("no such file")
    except OSError as exc:  # a name longer than the system allows (ENAMETOOLONG)
        raise Refused(f"cannot be used ({exc.strerror})") from None
    return path


def read_bounded(path: Path, max_bytes: int) -> bytes:
    """Read a regular file of at most `max_bytes`; raise Refused otherwise, having read little.

    O_NOFOLLOW and O_NONBLOCK: a file swapped for a symlink or a pipe after `allowed_path`
    looked at it is refused, not followed or waited on.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as exc:
        raise Refused(f"cannot be read ({exc.strerror})") from None
    with os.fdopen(fd, "rb") as stream:
        info = os.fstat(stream.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise Refused("not a regular file")
        too_large = f"larger than {max_bytes:,} bytes (limits.asset_bytes in report.yaml)"
        if info.st_size > max_bytes:
            raise Refused(f"{info.st_size:,} bytes, " + too_large)
        data = stream.read(max_bytes + 1)  # a file that grew since fstat stops here
    if len(data) > max_bytes:
        raise Refused(too_large)
    return data


TOTAL_FACTOR = 5  # all the files of one document together: at most 5 times limits.asset_bytes


class FileGate:
    """Read the files of one document: each through `allowed_path` and `read_bounded`, and all
    of them together (a stylesheet imported many times counts each time) at most
    TOTAL_FACTOR times the one-file limit, so nested imports cannot multiply a file."""

    def __init__(self, roots: list[Path], max_file_bytes: int):
        self.roots = [Path(root).resolve() for root in roots]
        self.max_file_bytes = max_file_bytes
        self.total = 0

    def read(self, url: str) -> tuple[Path, bytes]:
        path = allowed_path(url, self.roots)
        data = read_bounded(path, self.max_file_bytes)
        self.total += len(data)
        if self.total > TOTAL_FACTOR * self.max_file_bytes:
            raise Refused(f"the files of this document together are larger than "
                          f"{TOTAL_FACTOR * self.max_file_bytes:,} bytes "
                          f"({TOTAL_FACTOR} times limits.asset_bytes in report.yaml)")
        return path, data
