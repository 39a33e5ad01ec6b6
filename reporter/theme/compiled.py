"""Compile each template once per process: Jinja's bytecode cache, in memory, keyed by content.

Jinja compiles a template to Python code every time a new environment loads it, and a build
makes a new environment per document (its filters, translations and sandbox budget belong to
that render). In a production run the same dozen templates were compiled again for every
document: about a tenth of a document's time. The compiled code does not depend on any of the
per-render parts (it looks up filters, globals and the budget in the environment it runs in),
only on the template's source, its name and file, and the environment's syntax and compiler
options, which are all in the key. An edited template has another checksum and compiles afresh.
"""

from __future__ import annotations

import functools
import hashlib
from collections import OrderedDict
from types import CodeType
from typing import Callable

import jinja2
from jinja2.bccache import Bucket, BytecodeCache

MAX_ENTRIES = 256  # a theme chain has about 20 templates; a run rarely uses more than a few chains


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
               repr(getattr(environment, "limits", None)))
    return hashlib.sha256(repr(options).encode("utf-8")).hexdigest()


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
        if code is not None:
            self._code.move_to_end((bucket.key, bucket.checksum))
            bucket.code = code  # code objects are immutable: sharing one is safe

    def dump_bytecode(self, bucket: Bucket) -> None:
        if bucket.code is None:
            return
        self._code[(bucket.key, bucket.checksum)] = bucket.code
        self._code.move_to_end((bucket.key, bucket.checksum))
        while len(self._code) > self.max_entries:
            self._code.popitem(last=False)

    def clear(self) -> None:
        self._code.clear()

    def __len__(self) -> int:
        return len(self._code)


COMPILED = CompiledTemplates()


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
