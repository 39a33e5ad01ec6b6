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
import re
import signal
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

import jinja2
from jinja2 import nodes
from jinja2.compiler import CodeGenerator
from jinja2.loaders import split_template_path
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError, safe_range

from reporter.inputs.limits import DEFAULT_LIMITS, Limits

MAX_POWER_DIGITS = 1000


class RenderBudget:
    """Count steps and watch the clock while templates render."""

    def __init__(self, limits: Limits):
        self.limits = limits
        self.steps = 0
        self.built = 0  # characters and items the render's calls have built, in all
        self.deadline = time.monotonic() + limits.template_seconds

    def tick(self) -> None:
        self.steps += 1
        if self.steps > self.limits.template_steps:
            raise SecurityError(f"the templates took more than {self.limits.template_steps:,} steps "
                                f"(loop iterations and calls; {self.limits.describe('template_steps')})")
        if time.monotonic() > self.deadline:
            raise self.too_slow()

    def too_slow(self) -> SecurityError:
        return SecurityError(f"the templates took more than {self.limits.template_seconds} s to render "
                             f"({self.limits.describe('template_seconds')})")


@contextmanager
def deadline_alarm(budget: RenderBudget) -> Iterator[None]:
    """Stop the render at its deadline even inside one slow call (`wordwrap` of megabytes),
    which the clock check between steps cannot: SIGALRM raises in whatever Python code runs.

    Signals reach only the main thread; elsewhere the check between steps is the bound.
    """
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def expire(signum, frame):
        raise budget.too_slow()

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, max(budget.deadline - time.monotonic(), 0.001))
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class _BoundedCodeGenerator(CodeGenerator):
    """Compile every `for` loop through the budget, and check the size of every `~` result."""

    def visit_For(self, node: nodes.For, frame) -> None:
        if not getattr(node, "_bounded", False):
            node.iter = nodes.Call(nodes.EnvironmentAttribute("bounded_iter"), [node.iter], [], None, None,
                                   lineno=node.lineno)
            node._bounded = True  # type: ignore[attr-defined]
        super().visit_For(node, frame)

    def visit_Concat(self, node: nodes.Concat, frame) -> None:
        self.write("environment.checked_size(")
        super().visit_Concat(node, frame)
        self.write(")")


class BoundedSandbox(ImmutableSandboxedEnvironment):
    """The sandboxed, budgeted environment every template of a build renders in."""

    code_generator_class = _BoundedCodeGenerator
    intercepted_binops = frozenset({"*", "**", "+", "%"})

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
        # A method of a string (`s.replace(a, b)`, `'{:>9999}'.format(x)`) is one C call: its
        # result is sized before it is built, or one call could take the machine's memory.
        # Jinja wraps `str.format` in a function of its own (`__wrapped__` is the bound method).
        target = getattr(getattr(__obj, "__wrapped__", __obj), "__self__", None)
        name = getattr(__obj, "__name__", "")
        if isinstance(target, str):
            args = __self._predict(name, target, args, kwargs)
        elif name == "generate_lorem_ipsum":  # lipsum(n): n paragraphs of up to 100 words
            n = kwargs.get("n", args[0] if args else 5)
            if isinstance(n, int):
                __self._check_length(n * 100 * 12)
        result = super().call(__context, __obj, *args, **kwargs)
        return __self._built(result)

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
        if operator == "%" and isinstance(left, str):  # '%999999999d' % 1
            values = right if isinstance(right, tuple) else (right,)
            self._check_length(_formatted_length(left, values, {}))
            return self.checked_size(super().call_binop(context, operator, left, right))
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
        name = function.__name__.removeprefix("sync_").removeprefix("do_")

        @functools.wraps(function)
        def sized(*args: Any, **kwargs: Any) -> Any:
            self._check_arguments(args[skip:], kwargs)
            if len(args) > skip - 1 and name in PREDICTED_FILTERS:
                value, rest = args[skip - 1], args[skip:]
                args = (*args[:skip - 1], *self._predict(name, value, (value, *rest), kwargs, filter_=True))
            return self._built(function(*args, **kwargs))
        return sized

    def _built(self, result: Any) -> Any:
        """Check a string or list a call built, and count it toward all the text of the render."""
        if isinstance(result, (str, list, tuple)):
            self.checked_size(result)
            self.budget.built += len(result)
            if self.budget.built > TOTAL_TEXT_FACTOR * self.limits.template_text:
                raise SecurityError(f"the template calls built {self.budget.built:,} characters or items "
                                    f"in all, more than {TOTAL_TEXT_FACTOR} times "
                                    f"{self.limits.describe('template_text')}")
        return result

    def _predict(self, name: str, target: Any, args: tuple, kwargs: dict, *, filter_: bool = False) -> tuple:
        """Refuse a call whose result would be longer than `template_text`, before it is built.

        `args` are the call's arguments (for a filter, the value filtered first); they come back,
        with an iterable to join made a list so it can be measured and still be joined.
        """
        rest = args[1:] if filter_ else args
        text = target if isinstance(target, str) else None
        if name == "join":
            items = target if filter_ else (rest[0] if rest else [])
            items = list(self.bounded_iter(items)) if not isinstance(items, (list, tuple)) else items
            self._check_length(len(items))
            sep = (rest[0] if rest else kwargs.get("d", "")) if filter_ else target
            length = sum(len(x) if isinstance(x, str) else 8 for x in items) \
                + max(len(items) - 1, 0) * len(str(sep))
            self._check_length(length)
            return (items, *rest) if filter_ else (items, *rest[1:])
        if text is None:
            return args
        if name == "indent":
            width = rest[0] if rest else kwargs.get("width", 4)
            width = len(width) if isinstance(width, str) else width if isinstance(width, int) else 0
            self._check_length(len(text) + (text.count("\n") + 1) * max(width, 0))
        elif name == "replace" and len(rest) >= 2 and isinstance(rest[0], str) and isinstance(rest[1], str):
            count = text.count(rest[0]) if rest[0] else len(text) + 1
            if len(rest) > 2 and isinstance(rest[2], int) and rest[2] >= 0:
                count = min(count, rest[2])
            self._check_length(len(text) + count * max(len(rest[1]) - len(rest[0]), 0))
        elif name == "expandtabs":
            size = rest[0] if rest else kwargs.get("tabsize", 8)
            self._check_length(len(text) + text.count("\t") * max(size if isinstance(size, int) else 8, 0))
        elif name in ("format", "format_map"):
            self._check_length(_formatted_length(text, rest, kwargs))
        return args


# Filters whose result can be far longer than their arguments suggest: sized before they run.
PREDICTED_FILTERS = frozenset({"indent", "replace", "join", "format"})
# All the strings and lists template calls build in one render: at most 10 times template_text.
TOTAL_TEXT_FACTOR = 10


def _formatted_length(template: str, args: Any, kwargs: dict) -> int:
    """Bound the length of `template % args` or `template.format(...)`: the text, every number
    in it taken as a width or precision (`%999999d`, `{:>999999}`), and the values given."""
    # A run of more than 12 digits counts as 10**12: int() of a long run is itself refused by Python.
    widths = sum(int(d) if len(d) <= 12 else 10**12 for d in re.findall(r"\d+", template))
    values = [*args, *kwargs.values()] if not isinstance(args, dict) else list(args.values())
    return len(template) + widths + sum(len(v) if isinstance(v, str) else 32 for v in values)


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
