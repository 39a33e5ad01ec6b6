"""Templates are code from other people: run them in Jinja's sandbox, on a budget, from allowed folders.

- `BoundedSandbox` is `jinja2.sandbox.ImmutableSandboxedEnvironment` (no `__class__`, `__globals__`,
  no mutating lists or dicts) plus a budget: every loop iteration and every call is a step, and
  the render stops past `template_steps` steps or `template_seconds` seconds. Strings and lists
  built by `*`, `~` and the built-in filters are capped at `template_text` items, and `**` at
  numbers of a thousand digits, so no single expression can take the machine's memory.
- `GatedLoader` is Jinja's FileSystemLoader, but a template whose real path (symlinks resolved)
  lies outside the allowed folders is refused, like the PDF renderer's URL fetcher refuses files.

Each refusal raises `jinja2.sandbox.SecurityError`, which `themes.template_error` turns into one
line naming the template file and line.
"""

from __future__ import annotations

import functools
import math
import stat
import time
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

import jinja2
from jinja2 import nodes
from jinja2.compiler import CodeGenerator
from jinja2.loaders import split_template_path
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError, safe_range

from reporter.limits import DEFAULT_LIMITS, Limits

MAX_POWER_DIGITS = 1000


class RenderBudget:
    """Count steps and watch the clock while templates render."""

    def __init__(self, limits: Limits):
        self.limits = limits
        self.steps = 0
        self.deadline = time.monotonic() + limits.template_seconds

    def tick(self) -> None:
        self.steps += 1
        if self.steps > self.limits.template_steps:
            raise SecurityError(f"the templates took more than {self.limits.template_steps:,} steps "
                                f"(loop iterations and calls; {self.limits.describe('template_steps')})")
        if time.monotonic() > self.deadline:
            raise SecurityError(f"the templates took more than {self.limits.template_seconds} s to render "
                                f"({self.limits.describe('template_seconds')})")


class _BoundedCodeGenerator(CodeGenerator):
    """Compile every `for` loop through the budget, and check the size of every `~` result."""

    def visit_For(self, node: nodes.For, frame) -> None:
        if not getattr(node, "_bounded", False):
            node.iter = nodes.Call(nodes.EnvironmentAttribute("bounded_iter"), [node.iter], [], None, None,
                                   lineno=node.lineno)
            node._bounded = True
        super().visit_For(node, frame)

    def visit_Concat(self, node: nodes.Concat, frame) -> None:
        self.write("environment.checked_size(")
        super().visit_Concat(node, frame)
        self.write(")")


class BoundedSandbox(ImmutableSandboxedEnvironment):
    """The sandboxed, budgeted environment every template of a build renders in."""

    code_generator_class = _BoundedCodeGenerator
    intercepted_binops = frozenset({"*", "**", "+"})

    def __init__(self, *args: Any, limits: Limits = DEFAULT_LIMITS, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.limits = limits
        self.budget = RenderBudget(limits)
        self.globals["range"] = self.bounded_range
        for name, function in list(self.filters.items()):  # the built-ins only: ours come later
            self.filters[name] = self._sized(function)

    def call(__self, __context, __obj, *args: Any, **kwargs: Any) -> Any:  # noqa: N805 (Jinja's own signature)
        __self.budget.tick()
        __self._check_arguments(args, kwargs)
        return super().call(__context, __obj, *args, **kwargs)

    def bounded_iter(self, iterable: Iterable) -> Iterator:
        """Iterate a `for` loop's sequence, one step per item."""
        if isinstance(iterable, jinja2.Undefined):
            iterable._fail_with_undefined_error()
        for item in iterable:
            self.budget.tick()
            yield item

    def bounded_range(self, *args: int) -> range:
        """`range` as the sandbox has it: at most 100,000 items (loops over it count steps)."""
        return safe_range(*args)

    def checked_size(self, value: Any) -> Any:
        """Refuse a string or list longer than `template_text`."""
        if hasattr(value, "__len__"):
            self._check_length(len(value))
        return value

    def _check_length(self, length: int) -> None:
        if length > self.limits.template_text:
            raise SecurityError(f"an expression built {length:,} characters or items, more than "
                                f"{self.limits.template_text:,} ({self.limits.describe('template_text')})")

    def call_binop(self, context, operator: str, left: Any, right: Any) -> Any:
        if operator == "**":
            if _power_digits(left, right) > MAX_POWER_DIGITS:
                raise SecurityError(f"{left!r} ** {right!r} is too large a number for a template")
            return left ** right
        if operator == "*":
            for sequence, count in ((left, right), (right, left)):
                if isinstance(sequence, (str, list, tuple)) and isinstance(count, int):
                    self._check_length(len(sequence) * max(count, 0))  # before building it
            return left * right
        if operator == "+":
            if isinstance(left, (str, list, tuple)) and isinstance(right, (str, list, tuple)):
                self._check_length(len(left) + len(right))
            return left + right
        return super().call_binop(context, operator, left, right)

    def _check_arguments(self, args: tuple, kwargs: dict) -> None:
        """Refuse a whole-number argument that would make a string or list too long (`center(10**9)`)."""
        for value in (*args, *kwargs.values()):
            if isinstance(value, int) and not isinstance(value, bool) and abs(value) > self.limits.template_text:
                raise SecurityError(f"the number {value:,} is too large an argument for a template "
                                    f"({self.limits.describe('template_text')})")

    def _sized(self, function: Callable) -> Callable:
        # Filters marked pass_context/pass_environment get that first, then the value filtered.
        skip = 2 if getattr(function, "jinja_pass_arg", None) is not None else 1

        @functools.wraps(function)
        def sized(*args: Any, **kwargs: Any) -> Any:
            self._check_arguments(args[skip:], kwargs)
            result = function(*args, **kwargs)
            return self.checked_size(result) if isinstance(result, (str, list, tuple)) else result
        return sized


def _power_digits(left: Any, right: Any) -> float:
    """Estimate the digits of `left ** right` without computing it."""
    try:
        magnitude = abs(float(left))
        exponent = float(right)
    except (TypeError, ValueError, OverflowError):
        return math.inf
    if magnitude <= 1 or exponent <= 0:
        return 0
    return exponent * math.log10(magnitude)


class GatedLoader(jinja2.FileSystemLoader):
    """Load templates from `searchpath`, refusing any whose real path lies outside `roots`."""

    def __init__(self, searchpath: list[Path], roots: list[Path]):
        super().__init__([str(folder) for folder in searchpath])
        self.roots = [Path(root).resolve() for root in roots]

    def get_source(self, environment, template):
        # Checked before Jinja reads the file: a template linked to /dev/zero must never be read.
        pieces = split_template_path(template)
        for folder in self.searchpath:
            candidate = Path(folder, *pieces)
            if candidate.is_file():
                real = candidate.resolve()
                if not any(real.is_relative_to(root) for root in self.roots):
                    raise SecurityError(f"template {template!r} refused: it resolves to {real}, "
                                        f"outside the theme and report folders")
                if not stat.S_ISREG(real.stat().st_mode):
                    raise SecurityError(f"template {template!r} refused: not a regular file")
                break
        return super().get_source(environment, template)
