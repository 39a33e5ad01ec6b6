"""Where reporter keeps what it may compute again: one folder, one rule, for every cache.

`cache_root()` is the folder the caller chose for the current context (`use_cache_root`, as
`reporter.build(cache_dir=...)` does), else `$REPORTER_CACHE_DIR`, else `$XDG_CACHE_HOME/reporter`,
else `~/.cache/reporter`; None when the disk cache is off (`REPORTER_FONT_CACHE=off`, or
`use_cache_root(False)`). Font subsets (reporter.render.fontsubset) and compiled templates
(reporter.theme.compiled) live in folders of their own under it, each entry a file holding the
SHA-256 of its payload and then the payload (`write_entry`, `read_entry`), so a torn or tampered
entry is seen and dropped; `prune_due` says when a folder is due for pruning.
"""

from __future__ import annotations

import hashlib
import os
import stat
import tempfile
from collections import Counter
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Iterator, Literal

# The cache root a caller chose for its own renders (None: the environment decides; False: off).
_cache_root: ContextVar[Path | Literal[False] | None] = ContextVar("reporter_cache_root", default=None)


def cache_root() -> Path | None:
    """reporter's cache folder, or None when the disk cache is off."""
    chosen = _cache_root.get()
    if chosen is False or os.environ.get("REPORTER_FONT_CACHE", "").lower() in ("off", "0", "no", "false"):
        return None
    if chosen is not None:
        return Path(chosen)
    if os.environ.get("REPORTER_CACHE_DIR"):
        return Path(os.environ["REPORTER_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "reporter"


@contextmanager
def use_cache_root(folder: Path | Literal[False] | None) -> Iterator[None]:
    """Use `folder` as the cache root (False: no disk cache) for the renders of this context only."""
    token = _cache_root.set(folder)
    try:
        yield
    finally:
        _cache_root.reset(token)


DIGEST_SIZE = hashlib.sha256().digest_size


def _ours(info: os.stat_result) -> bool:
    """Owned by this user and writable by no one else."""
    return info.st_uid == os.getuid() and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def read_entry(path: Path) -> bytes | None:
    """An entry's payload; None when it is absent, or torn or tampered (then it is deleted)."""
    try:
        # Ours only, in a folder writable by us alone: the digest is no signature, and a compiled
        # template is code run outside the sandbox, so an entry another user wrote or could have
        # rewritten (a shared REPORTER_CACHE_DIR) is never read, nor one of ours they could have
        # renamed over another's name (another template's code) or replaced by a link. The entry
        # is opened in the folder that was checked (dir_fd), not by its path again.
        folder = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
        try:
            if not _ours(os.fstat(folder)):
                return None  # not ours to tidy either
            # Non-blocking, no symlink, and regular files only: a FIFO or a link to /dev/zero in
            # the folder would hang the build or fill the memory. Such a name is dropped like a
            # torn entry.
            handle = os.open(path.name, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW, dir_fd=folder)
        finally:
            os.close(folder)
        with os.fdopen(handle, "rb") as stream:
            info = os.fstat(handle)
            stored = stream.read() if stat.S_ISREG(info.st_mode) and _ours(info) else b""
    except OSError:
        return None
    payload = stored[DIGEST_SIZE:]
    if len(stored) <= DIGEST_SIZE or hashlib.sha256(payload).digest() != stored[:DIGEST_SIZE]:
        try:
            path.unlink(missing_ok=True)  # compute it again
        except OSError:
            pass  # a read-only cache folder: the entry stays, and is never trusted
        return None
    return payload


def write_entry(path: Path, payload: bytes) -> None:
    """Write an entry atomically (readers see the old entry or the whole new one); OSError when
    the folder cannot be written, which costs the caller speed, never the build."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(hashlib.sha256(payload).digest() + payload)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


# Pruning scans a whole cache folder (a full one: 4 ms of compiled templates, 19 ms of font
# subsets): on a process's first write to it, then every 64th, not on each of the ~20 entries a
# cold build writes (89 ms and 227 ms when done on each).
PRUNE_EVERY = 64
_writes: Counter[Path] = Counter()


def prune_due(folder: Path) -> bool:
    """Count a write to `folder`; True when it is time to prune it."""
    due = _writes[folder] % PRUNE_EVERY == 0
    _writes[folder] += 1
    return due
