"""Compile each template once: Jinja's bytecode cache, in memory and on disk, keyed by content.

Jinja compiles a template to Python code every time a new environment loads it, and a build
makes a new environment per document (its filters, translations and sandbox budget belong to
that render). In a production run the same dozen templates were compiled again for every
document: about a tenth of a document's time. The compiled code does not depend on any of the
per-render parts (it looks up filters, globals and the budget in the environment it runs in),
only on the template's source, its name and file, and the environment's syntax and compiler
options, which are all in the key. An edited template has another checksum and compiles afresh.

A one-shot build starts a new process, so the compiled code is also kept on disk, beside the
font subsets (`cache_root()/templates`, see reporter.cache: `REPORTER_CACHE_DIR`,
else `$XDG_CACHE_HOME/reporter`; off with `REPORTER_FONT_CACHE=off`): compiling the investor
summary's 22 templates took 0.075 s of every build. An entry's name is a SHA-256 of the key (it
holds a digest of the code generator's source), the source's checksum and the versions of
reporter, Jinja and Python (marshal's format is Python's own), so it is never read by another
version; it carries a digest of its content, checked on
read; it is written atomically; the folder is pruned, oldest first, above DISK_ENTRIES.
"""

from __future__ import annotations

import functools
import hashlib
import marshal
import os
import re
import sys
from collections import OrderedDict
from pathlib import Path
from types import CodeType
from typing import Callable

import jinja2
from jinja2.bccache import Bucket, BytecodeCache

MAX_ENTRIES = 256  # a theme chain has about 20 templates; a run rarely uses more than a few chains
DISK_ENTRIES = 2048  # a few KB each; edited templates add entries, the oldest go first
ENTRY_NAME = re.compile(r"[0-9a-f]{64}\.code")  # disk_name's shape


def environment_fingerprint(environment: jinja2.Environment) -> str:
    """Everything about an environment that changes how a template parses or compiles."""
    options = (type(environment).__module__, type(environment).__qualname__,
               environment.code_generator_class.__qualname__, environment.block_start_string,
               environment.block_end_string, environment.variable_start_string,
               environment.variable_end_string, environment.comment_start_string,
               environment.comment_end_string, environment.line_statement_prefix,
               environment.line_comment_prefix, environment.trim_blocks, environment.lstrip_blocks,
               environment.newline_sequence, environment.keep_trailing_newline,
               repr(environment.autoescape), environment.optimized, environment.is_async,
               tuple(sorted(environment.extensions)),
               tuple(sorted(getattr(environment, "intercepted_binops", ()))),
               tuple(sorted(getattr(environment, "intercepted_unops", ()))),
               # The i18n extension reads these while parsing; finalize shapes the output code.
               getattr(environment, "newstyle_gettext", None), repr(environment.finalize),
               repr(environment.policies.get("ext.i18n.trimmed")),
               repr(environment.policies.get("compiler.ascii_str")),
               # The sandbox's size checks run in built-in filters that Jinja folds while compiling.
               repr(getattr(environment, "limits", None)),
               # What the code generator writes (reporter.theme.sandbox: the budget's checks in every
               # template) changes with its source, while reporter's version number does not: code
               # on disk from before a `git pull` would run without a check added since.
               _module_digest(type(environment).__module__),
               _module_digest(environment.code_generator_class.__module__))
    return hashlib.sha256(repr(options).encode("utf-8")).hexdigest()


@functools.cache
def _module_digest(name: str) -> str:
    """A digest of a loaded module's source file ("" when it has none)."""
    path = getattr(sys.modules.get(name), "__file__", None)
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest() if path else ""
    except OSError:
        return ""


class CompiledTemplates(BytecodeCache):
    """Keep compiled template code in memory, shared by every environment of this process."""

    def __init__(self, max_entries: int = MAX_ENTRIES):
        self.max_entries = max_entries
        self._code: OrderedDict[tuple[str, str], CodeType] = OrderedDict()

    def get_bucket(self, environment: jinja2.Environment, name: str, filename: str | None,
                   source: str) -> Bucket:
        key = self.get_cache_key(name, filename) + "|" + environment_fingerprint(environment)
        bucket = Bucket(environment, key, self.get_source_checksum(source))
        self.load_bytecode(bucket)
        return bucket

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self._code.get((bucket.key, bucket.checksum))
        if code is None:
            code = read_disk(bucket.key, bucket.checksum)
            if code is not None:
                self._remember(bucket.key, bucket.checksum, code)
        if code is not None:
            self._code.move_to_end((bucket.key, bucket.checksum))
            bucket.code = code  # code objects are immutable: sharing one is safe

    def dump_bytecode(self, bucket: Bucket) -> None:
        if bucket.code is None:
            return
        self._remember(bucket.key, bucket.checksum, bucket.code)
        write_disk(bucket.key, bucket.checksum, bucket.code)

    def _remember(self, key: str, checksum: str, code: CodeType) -> None:
        self._code[(key, checksum)] = code
        self._code.move_to_end((key, checksum))
        while len(self._code) > self.max_entries:
            self._code.popitem(last=False)

    def clear(self) -> None:
        self._code.clear()

    def __len__(self) -> int:
        return len(self._code)


COMPILED = CompiledTemplates()


def disk_folder() -> Path | None:
    """The folder of compiled templates on disk, or None when reporter's disk cache is off."""
    from reporter.cache import cache_root  # the one rule for where reporter caches

    root = cache_root()
    return None if root is None else root / "templates"


def disk_name(key: str, checksum: str) -> str:
    """The entry's file name: its key, the source's checksum and every version the code depends on."""
    from reporter import __version__

    versions = f"{__version__}|{jinja2.__version__}|{sys.version}|{sys.implementation.cache_tag}"
    return hashlib.sha256(f"{key}\0{checksum}\0{versions}".encode("utf-8")).hexdigest() + ".code"


def read_disk(key: str, checksum: str) -> CodeType | None:
    """The compiled code stored for `key` and `checksum`; None when absent, damaged or not code."""
    folder = disk_folder()
    if folder is None:
        return None
    from reporter.cache import read_entry

    payload = read_entry(folder / disk_name(key, checksum))
    if payload is None:
        return None
    try:
        code = marshal.loads(payload)
    except (ValueError, EOFError, TypeError):
        return None
    return code if isinstance(code, CodeType) else None


def write_disk(key: str, checksum: str, code: CodeType) -> None:
    """Store compiled code atomically; a cache that cannot be written costs speed, never the build."""
    folder = disk_folder()
    if folder is None:
        return
    from reporter.cache import prune_due, write_entry

    try:
        write_entry(folder / disk_name(key, checksum), marshal.dumps(code))
        if prune_due(folder):
            prune_disk(folder, DISK_ENTRIES)
    except OSError:
        pass


def prune_disk(folder: Path, keep: int) -> None:
    """Delete the oldest entries until at most `keep` are left."""
    entries = []
    with os.scandir(folder) as scan:
        for entry in scan:
            if ENTRY_NAME.fullmatch(entry.name):  # ours only: the folder may be a link elsewhere
                try:
                    entries.append((entry.stat().st_mtime, entry.path))
                except OSError:
                    continue
    for _, path in sorted(entries)[:max(0, len(entries) - keep)]:
        Path(path).unlink(missing_ok=True)


def unfoldable(function: Callable) -> Callable:
    """Mark a filter so Jinja never calls it while compiling: `{{ 1234|amount }}` stays a call.

    Jinja folds a filter of constants into the compiled code (`Filter.as_const`), which would
    bake one report's locale or currency into code shared with the next report. It never folds a
    filter that takes the render context, so the filter is wrapped as one.
    """
    if getattr(function, "jinja_pass_arg", None) is not None:
        raise TypeError(f"filter {function.__name__!r}: pass_context/pass_environment filters are not expected here")

    @jinja2.pass_context
    @functools.wraps(function)
    def at_render_time(_context, *args, **kwargs):
        return function(*args, **kwargs)

    return at_render_time
