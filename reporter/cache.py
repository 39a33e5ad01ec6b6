"""Where reporter keeps what it may compute again: one folder, one rule, for every cache.

`cache_root()` is the folder the caller chose for the current context (`use_cache_root`, as
`reporter.build(cache_dir=...)` does), else `$REPORTER_CACHE_DIR`, else `$XDG_CACHE_HOME/reporter`,
else `~/.cache/reporter`; None when the disk cache is off (`REPORTER_FONT_CACHE=off`, or
`use_cache_root(False)`). Font subsets (reporter.render.fontsubset) and compiled templates
(reporter.theme.compiled) live in folders of their own under it.
"""

from __future__ import annotations

import os
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
