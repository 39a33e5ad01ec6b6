"""Typer's value coercion without pydantic, for the plain types reporter's commands take.

Typer (from 0.23) coerces every parameter value that is not already a bool through a pydantic
TypeAdapter: importing pydantic and building the adapters costs about 0.13 s of CPU before any
command runs ("typer: option parsing" in bench/README.md), a tenth of a one-shot build.
reporter's parameters are text, whole numbers with bounds, flags, paths with click's checks and
lists of those. `lean_command` gives those parameters a coercion that does what typer's adapters
do for them, with typer's own path checks (so the same messages), and hands anything else to
typer: another annotation, or a value it does not take as it is (a number that is not a whole
number or out of its bounds gets typer's own message, pydantic and all, only then).

Typer's coercion layer is not public: every name used here is looked up, and where one is
missing (typer 0.22 has no such layer; a later typer may rename it) nothing is installed and
typer coerces as it always does.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any, get_args, get_origin

# ASCII digits only, and few enough for a machine integer: "１" (a full-width one) or a number of
# thousands of digits (past Python's int conversion limit) goes to typer, which refuses it in one line.
WHOLE_NUMBER = re.compile(r"\s*[+-]?[0-9]{1,18}\s*")


def lean_command(command: Any) -> Any:
    """Install the lean coercion on a click command's typer parameters; return the command."""
    runtime_param = _runtime_param_class()
    if runtime_param is None:
        return command
    for param in getattr(command, "params", ()):
        descriptor = getattr(param, "type_descriptor", None)
        if descriptor is None or getattr(param, "_runtime_param", "absent") is not None:
            continue  # not a typer parameter of this typer, or its coercion is already built
        if _leaf(descriptor) is not None:
            param._runtime_param = runtime_param(parameter_info=descriptor.parameter_info,
                                                 annotation=descriptor.annotation, descriptor=descriptor)
    return command


def _leaf(descriptor: Any) -> type | None:
    """The type a parameter's values are (str, int, bool, Path), or None for what only typer coerces."""
    info = descriptor.parameter_info
    if descriptor.file_annotation is not None or info.parser is not None or info.path_type is not None:
        return None
    annotation = descriptor.annotation
    if get_origin(annotation) is list:
        (annotation,) = get_args(annotation) or (None,)
    if annotation in (str, int, bool, Path):
        return annotation
    return None


@functools.cache
def _runtime_param_class() -> Any:
    """Typer's RuntimeParam subclassed once, or None where this typer has no such layer."""
    try:
        from dataclasses import dataclass

        from typer._coercion import RuntimeParam, build_runtime_param
        from typer._param_types import coerce_cli_path
    except ImportError:
        return None

    @dataclass(frozen=True)
    class LeanRuntimeParam(RuntimeParam):
        """Coerce a str, int, bool or Path value (or a list of them) as typer would, without pydantic."""

        descriptor: Any = None

        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            try:
                if get_origin(self.annotation) is list:
                    items = value if isinstance(value, (list, tuple)) else [value]
                    coerced = [self._one(item, param, ctx) for item in items]
                    if all(item is not NotImplemented for item in coerced):
                        return coerced
                else:
                    coerced_value = self._one(value, param, ctx)
                    if coerced_value is not NotImplemented:
                        return coerced_value
            except ValueError:  # int() of "\x1c2" (whitespace to `\s`, not to int()), os.stat of a NUL
                pass
            # Anything unusual (a bad number, bytes): typer's own coercion and its own message.
            return build_runtime_param(self.descriptor)._coerce_value(value, param=param, ctx=ctx)

        def _one(self, value: Any, param: Any, ctx: Any) -> Any:
            kind = _leaf(self.descriptor)
            if kind is bool:  # a flag's value is a bool; a None never gets here (RuntimeParam.coerce)
                return value if isinstance(value, bool) else NotImplemented
            if kind is str:
                return value if isinstance(value, str) else NotImplemented
            if kind is int:
                if isinstance(value, bool) or not isinstance(value, (int, str)):
                    return NotImplemented
                if isinstance(value, str) and not WHOLE_NUMBER.fullmatch(value):
                    return NotImplemented
                number = int(value)
                info = self.parameter_info
                if info.clamp or (info.min is not None and number < info.min) or (
                        info.max is not None and number > info.max):
                    return NotImplemented
                return number
            if isinstance(value, str):
                value = Path(value)
            if not isinstance(value, Path):
                return NotImplemented
            return coerce_cli_path(value, self.parameter_info, path_type=Path, param=param, ctx=ctx)

    return LeanRuntimeParam
