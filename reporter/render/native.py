"""Import WeasyPrint without probing for its native libraries on every start.

WeasyPrint 70 loads Pango, HarfBuzz, fontconfig and GObject through cffi, trying a list of names
per library, Windows and macOS spellings first. cffi hands every name that does not load to
`ctypes.util.find_library`, which on Linux runs `ldconfig -p`, then `gcc` and `ld` (about 110
processes, 0.25-0.35 s of every start here) only to answer "not found" for names like
`libgobject-2.0-0`. The same lists also hold the Linux sonames (`libgobject-2.0.so.0`), which
the dynamic loader finds directly, exactly as it would after a successful probe.

So, on Linux only, `find_library` answers "not found" while WeasyPrint is imported, and the
sonames load as they always do. If that fails (a library reachable only through `gcc`'s search
path, say), the import is retried once with the real `find_library`: slower, never broken.
"""

from __future__ import annotations

import io
import sys
from contextlib import contextmanager, redirect_stdout
from typing import Iterator


@contextmanager
def no_library_probing() -> Iterator[None]:
    """Make ctypes.util.find_library answer None, without running ldconfig or gcc, for a while."""
    import ctypes.util

    real = ctypes.util.find_library
    ctypes.util.find_library = lambda name: None
    try:
        yield
    finally:
        ctypes.util.find_library = real


def import_weasyprint() -> None:
    """Import WeasyPrint (and its native libraries) once, the fast way where that is safe."""
    if "weasyprint.text.ffi" in sys.modules:
        return
    if not sys.platform.startswith("linux"):
        import weasyprint  # noqa: F401  (macOS and Windows resolve names without spawning tools)
        return
    try:
        # On failure WeasyPrint prints advice to stdout before raising; it is retried below.
        with no_library_probing(), redirect_stdout(io.StringIO()):
            import weasyprint.text.ffi  # noqa: F401
    except OSError:
        for name in [name for name in sys.modules if name == "weasyprint" or name.startswith("weasyprint.")]:
            del sys.modules[name]
        import weasyprint.text.ffi  # noqa: F401
    import weasyprint  # noqa: F401
