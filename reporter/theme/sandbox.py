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
import json
import math
import stat
import re
import signal
import string
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

import jinja2
from jinja2 import nodes
from jinja2.compiler import CodeGenerator
from jinja2.filters import make_attrgetter
from jinja2.filters import make_attrgetter
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
        self.filters["sum"] = self._sized(self.sum_filter)

    def call(__self, __context, __obj, *args: Any, **kwargs: Any) -> Any:  # noqa: N805 (Jinja's own signature)
        __self.budget.tick()
        __self._check_arguments(args, kwargs)
        # A method of a string (`s.replace(a, b)`, `'{:>9999}'.format(x)`) is one C call: its
        # result is sized before it is built, or one call could take the machine's memory.
        # Jinja wraps `str.format` in a function of its own (`__wrapped__` is the bound method).
        target = getattr(getattr(__obj, "__wrapped__", __obj), "__self__", None)
        name = getattr(__obj, "__name__", "")
        if isinstance(target, (str, bytes)):
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
                if isinstance(sequence, SEQUENCES) and isinstance(count, int):
                    self._check_length(len(sequence) * max(count, 0))  # before building it
            return left * right
        if operator == "+":
            if isinstance(left, SEQUENCES) and isinstance(right, SEQUENCES):
                self._check_length(len(left) + len(right))
            return left + right
        if operator == "%" and isinstance(left, (str, bytes)):  # '%999999999d' % 1, '%*d' % (n, 1)
            values = right if isinstance(right, (tuple, dict)) else (right,)
            self._check_length(_percent_length(left, values))
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
        if isinstance(result, SEQUENCES):
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
        text = target if isinstance(target, (str, bytes)) else None
        if name == "join":
            items = target if filter_ else (rest[0] if rest else [])
            items = list(self.bounded_iter(items)) if not isinstance(items, (list, tuple)) else items
            self._check_length(len(items))
            if filter_:  # join(d, attribute): the attributes are what gets joined
                attribute = rest[1] if len(rest) > 1 else kwargs.pop("attribute", None)
                if attribute is not None:
                    items = list(map(make_attrgetter(self, attribute), items))
                rest = rest[:1]
            sep = (rest[0] if rest else kwargs.get("d", "")) if filter_ else target
            length = max(len(items) - 1, 0) * len(str(sep))
            for item in items:  # stops at the first item past the limit, whatever the rest holds
                length += _text_size(item, self.limits.template_text - length)
                self._check_length(length)
            return (items, *rest) if filter_ else (items, *rest[1:])
        if name == "tojson":
            indent = rest[0] if rest else kwargs.get("indent")
            width = len(indent) if isinstance(indent, str) else indent if isinstance(indent, int) else 0
            if width > 1:
                self._check_length(_json_length(target, width))
            return args
        if text is None:
            return args
        if name == "indent":
            width = rest[0] if rest else kwargs.get("width", 4)
            width = len(width) if isinstance(width, str) else width if isinstance(width, int) else 0
            self._check_length(len(text) + (text.count("\n") + 1) * max(width, 0))
        elif name == "replace" and len(rest) >= 2 and isinstance(rest[0], type(text)) \
                and isinstance(rest[1], type(text)):
            count = text.count(rest[0]) if rest[0] else len(text) + 1
            if len(rest) > 2 and isinstance(rest[2], int) and rest[2] >= 0:
                count = min(count, rest[2])
            self._check_length(len(text) + count * max(len(rest[1]) - len(rest[0]), 0))
        elif name == "expandtabs":
            size = rest[0] if rest else kwargs.get("tabsize", 8)
            tab = "\t" if isinstance(text, str) else b"\t"
            self._check_length(len(text) + text.count(tab) * max(size if isinstance(size, int) else 8, 0))
        elif name in ("format", "format_map") and isinstance(text, str):
            if filter_:  # the `format` filter is printf-style: `"%*d"|format(n, 1)`
                self._check_length(_percent_length(text, kwargs or rest))
            else:
                values = rest[0] if name == "format_map" and rest else rest
                self._check_length(_format_length(text, values, kwargs))
        elif name == "translate" and rest:  # every character may become the longest replacement
            self._check_length(len(text) * max(_longest_replacement(rest[0]), 1))
        return args

    def sum_filter(self, iterable: Iterable, attribute: Any = None, start: Any = 0) -> Any:
        """`sum`, with strings, lists or tuples added one at a time: each addition copies the
        total so far, so 60,000 one-item lists build 1.8 billion items in one C call."""
        if attribute is not None:
            iterable = map(make_attrgetter(self, attribute), iterable)
        total = start
        for item in self.bounded_iter(iterable):
            if isinstance(total, SEQUENCES) and isinstance(item, SEQUENCES):
                self._check_length(len(total) + len(item))
                total = self._built(total + item)
            else:
                total = total + item
        return total

    def sized_message(self, function: Callable[..., str]) -> Callable[..., str]:
        """Wrap a gettext callable: new-style gettext formats every message with `%`, so a
        message (or its translation in a theme's catalog) with `%(a)2000000000s` is refused."""

        @functools.wraps(function)
        def sized(*args: Any) -> str:
            message = function(*args)
            if isinstance(message, str):
                self._check_length(_percent_length(message, {}))
            return message
        return sized


# Filters whose result can be far longer than their arguments suggest: sized before they run.
PREDICTED_FILTERS = frozenset({"indent", "replace", "join", "format", "tojson"})
# All the strings and lists template calls build in one render: at most 10 times template_text.
TOTAL_TEXT_FACTOR = 10
SEQUENCES = (str, bytes, bytearray, list, tuple)
# A run of more than 12 digits counts as 10**12: int() of a long run is itself refused by Python.
HUGE = 10**12

# One `%` conversion: `%(name)-*.*d`; its width and precision are digits or `*` (taken from the values).
PERCENT_SPEC = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d*))?[hlL]?([a-zA-Z%])")


def _number(digits: str) -> int:
    return int(digits) if len(digits) <= 12 else HUGE


def _value_size(value: Any) -> int:
    return len(value) if isinstance(value, (str, bytes)) else 32


def _percent_length(template: str | bytes, values: Any) -> int:
    """Bound the length of `template % values`: its text, every width and precision
    (`%999999d`; a `*` takes the next value as one), and the values given."""
    if isinstance(template, bytes):
        template = template.decode("latin-1")
    given = list(values.values()) if isinstance(values, dict) else list(values)
    length = len(template) + sum(_value_size(v) for v in given)
    numbers = iter(given)
    for width, precision, _ in PERCENT_SPEC.findall(template):
        for part in (width, precision):
            if part == "*":
                star = next(numbers, 0)
                length += min(abs(star), HUGE) if isinstance(star, int) else 0
            elif part:
                length += _number(part)
        if not isinstance(values, dict):
            next(numbers, None)
    return length


def _format_length(template: str, args: Any, kwargs: Any) -> int:
    """Bound the length of `template.format(...)`: its text, every number in a field's spec
    (`{:>999999}`), and the values; a spec with a nested field (`{0:{1}}`) takes its width
    from a value, so every number in the values counts as a width."""
    values = list(args.values()) if isinstance(args, dict) else [*args, *kwargs.values()]
    length = len(template) + sum(_value_size(v) for v in values)
    nested = False
    for _, _, spec, _ in _format_fields(template):
        if spec:
            length += sum(_number(d) for d in re.findall(r"\d+", spec))
            nested = nested or "{" in spec
    if nested:
        for value in values:
            if isinstance(value, int) and not isinstance(value, bool):
                length += min(abs(value), HUGE)
            elif isinstance(value, str):
                length += sum(_number(d) for d in re.findall(r"\d+", value))
    return length


def _format_fields(template: str) -> list:
    try:
        return list(string.Formatter().parse(template))
    except ValueError:  # not a valid format string: str.format raises too, building nothing
        return []


def _longest_replacement(table: Any) -> int:
    """The longest text one character may become under `str.translate(table)`."""
    if isinstance(table, dict):
        return max((len(v) if isinstance(v, (str, bytes)) else 1 for v in table.values()), default=1)
    return 1 if isinstance(table, (str, bytes)) else HUGE  # any other mapping: cannot be sized


def _text_size(value: Any, cap: int) -> int:
    """The length of `str(value)`, counted without building it; stops once past `cap`."""
    if isinstance(value, (str, bytes)):
        return len(value)
    if isinstance(value, dict):
        value = [*value.keys(), *value.values()]
    if isinstance(value, (list, tuple, set, frozenset)):
        size = 2
        for item in value:
            size += _text_size(item, cap - size) + 2
            if size > cap:
                break
        return size
    return 32


def _json_length(value: Any, width: int) -> int:
    """Bound the length of `tojson(indent=width)`: the JSON with one space of indent per level,
    plus `width - 1` more for each of those spaces."""
    try:
        compact = json.dumps(value, indent=1, default=str)
    except (TypeError, ValueError, RecursionError):
        return 0  # tojson itself refuses it, building nothing
    depth = sum(len(line) - len(line.lstrip(" ")) for line in compact.splitlines())
    return len(compact) + depth * (width - 1)


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
