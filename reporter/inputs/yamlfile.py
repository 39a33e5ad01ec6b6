"""Read the YAML files of report folders and themes, with errors that name the file and line.

Aliases (`*name`) are refused: ten anchors of ten aliases each expand to ten billion nodes (an
"alias bomb"), and settings files never need them. Files over MAX_YAML_BYTES are refused before
they are parsed.
"""

from __future__ import annotations

import os
import stat
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any, Iterator

import yaml

from reporter.errors import DataError, ReporterError
from reporter.inputs.limits import MAX_YAML_BYTES


class _NoAliasLoader(yaml.SafeLoader):
    """PyYAML's safe loader, refusing aliases where they are composed (before any expansion)."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(None, None, f"aliases (*{event.anchor}) are not allowed",
                                              event.start_mark)
        return super().compose_node(parent, index)

    def construct_scalar(self, node):
        # `"\ud800"` is a lone surrogate, text no file can hold: it failed later, in the PDF
        # writer, with a traceback. (libyaml refuses the escape itself, so only PyYAML gets here.)
        value = super().construct_scalar(node)
        if isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError as exc:
                raise yaml.constructor.ConstructorError(
                    None, None, f"character #x{ord(value[exc.start]):04x} is a lone surrogate, not text",
                    node.start_mark) from None
        return value


def _parse_fast(text: str) -> Any:
    """Parse with libyaml (about 4x faster: a 10,000-line statement.yaml takes 0.3 s, not 1.3 s).

    libyaml composes in C, where no alias can be refused, so its events are scanned for one
    first (an alias bomb is small as text). Raises yaml.YAMLError for anything amiss.
    """
    for event in yaml.parse(text, Loader=yaml.CSafeLoader):
        if isinstance(event, yaml.AliasEvent):
            raise yaml.composer.ComposerError(None, None, "alias", event.start_mark)  # type: ignore[arg-type]
    return yaml.load(text, Loader=yaml.CSafeLoader)  # noqa: S506 - libyaml's SafeLoader


def parse_yaml(text: str, path: Path, *, error: type[ReporterError] = DataError, first_line: int = 1,
               what: str = "invalid YAML") -> Any:
    """Parse YAML text safely; a mistake is one line with the file and line (`first_line` offsets it).

    A mistake is reported by PyYAML's own parser, whichever parsed first, so messages do not
    depend on whether libyaml is installed.
    """
    # libyaml takes a tab as a separator (`a:\tb`, `[1,\t2]`, `b\t# note`) where PyYAML refuses it:
    # text with a tab is read by PyYAML alone, so one file never reads two ways.
    data = _parse(text, path, error=error, first_line=first_line, what=what)
    _refuse_hidden(data, text, path, error=error, first_line=first_line)
    return data


def _refuse_hidden(data: Any, text: str, path: Path, *, error: type[ReporterError], first_line: int,
                   where: str = "") -> None:
    """Refuse a bidi control or invisible character in any string, however it was written.

    Walked on the parsed values, so `"\\u202e"` in double quotes is caught like the character itself.
    """
    from reporter.inputs.hidden import first_hidden, refusal

    if isinstance(data, dict):
        for key, value in data.items():
            _refuse_hidden(key, text, path, error=error, first_line=first_line, where=where)
            _refuse_hidden(value, text, path, error=error, first_line=first_line,
                           where=f"{where}.{key}" if where else str(key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            _refuse_hidden(value, text, path, error=error, first_line=first_line, where=f"{where}[{index}]")
    elif isinstance(data, str):
        hidden = first_hidden(data)
        if hidden is None:
            return
        index = hidden
        character = data[index]
        # The line that holds it, as typed or as a \u escape; a key has no other place to give.
        spellings = [character, f"\\u{ord(character):04x}", f"\\U{ord(character):08x}", f"\\x{ord(character):02x}"]
        found = next((at for at in (text.lower().find(s.lower()) for s in spellings) if at >= 0), -1)
        line = text.count("\n", 0, found) + first_line if found >= 0 else None
        prefix = f"{where}: " if where else ""
        raise error(f"{prefix}{refusal(character)}", file=path, line=line)


def _parse(text: str, path: Path, *, error: type[ReporterError], first_line: int, what: str) -> Any:
    if getattr(yaml, "__with_libyaml__", False) and "\t" not in text:
        try:
            return _parse_fast(text)
        except (yaml.YAMLError, ValueError, RecursionError):
            pass  # parsed again below, for PyYAML's message
    try:
        return yaml.load(text, Loader=_NoAliasLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.reader.ReaderError as exc:  # no mark: the position is a character offset
        line = text.count("\n", 0, exc.position) + first_line if isinstance(exc.position, int) else None
        character = exc.character if isinstance(exc.character, int) else ord(exc.character)
        raise error(f"{what}: character #x{character:04x} is not allowed ({exc.reason})", file=path,
                    line=line) from None
    except RecursionError:  # PyYAML composes nested collections recursively; libyaml stops at 1,000
        raise error(f"{what}: lists or mappings nested too deeply", file=path) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise error(f"{what}: {problem}", file=path,
                    line=mark.line + first_line if mark else None) from None
    except ValueError as exc:  # PyYAML builds dates itself: 2011-06-31 fails here
        raise error(f"invalid value: {exc}", file=path) from None


# The files read while `recording()` is active, by the path they were asked for: what a PDF/A
# attaches is what was read and checked, never the file read again (it may have changed since).
_recorded: ContextVar[dict[Path, bytes] | None] = ContextVar("recorded", default=None)


@contextmanager
def recording() -> Iterator[dict[Path, bytes]]:
    """Keep the bytes of every file `read_bytes` returns meanwhile, keyed by the path asked for."""
    seen: dict[Path, bytes] = {}
    token = _recorded.set(seen)
    try:
        yield seen
    finally:
        _recorded.reset(token)


def read_bytes(path: Path, *, error: type[ReporterError] = DataError, max_bytes: int = MAX_YAML_BYTES,
               limit_name: str | None = None, confined: bool = True) -> bytes:
    """Read a regular file of at most `max_bytes`: never a device (/dev/zero), a pipe or a folder.

    `confined` (every file of a report or theme folder): the file's real path must lie inside
    its own folder's, so a report.yaml or theme.yaml linked to a file elsewhere is refused
    before it is read (and none of its keys reach a message). The real path is opened without
    following a symlink, so a file swapped for one after the check is refused too.
    """
    how = f" ({limit_name} in report.yaml)" if limit_name else ""
    asked, flags = path, 0
    if confined:
        from reporter.inputs.filegate import real_path

        real, folder = real_path(path), real_path(path.parent)
        if real is None or folder is None or not real.is_relative_to(folder):
            raise error("a symlink to a file outside its folder (or a symlink loop); only files inside "
                        "the report and theme folders are read", file=path)
        path, flags = real, os.O_NOFOLLOW
    try:
        if path.is_dir():
            raise IsADirectoryError
        if path.exists() and not path.is_dir() and not stat.S_ISREG(path.stat().st_mode):
            # Checked before opening too: opening a pipe waits for a writer that never comes.
            raise error("not a regular file (a device, pipe or socket cannot be read)", file=asked)
        with os.fdopen(os.open(path, os.O_RDONLY | os.O_NONBLOCK | flags), "rb") as stream:
            if not stat.S_ISREG(os.fstat(stream.fileno()).st_mode):
                raise error("not a regular file (a device, pipe or socket cannot be read)", file=asked)
            data = stream.read(max_bytes + 1)  # the size a file claims is not trusted
    except FileNotFoundError:
        raise error("file not found", file=asked) from None
    except IsADirectoryError:
        raise error("expected a file, found a folder", file=asked) from None
    except OSError as exc:
        raise error(f"cannot read the file: {exc.strerror}", file=asked) from None
    if len(data) > max_bytes:
        raise error(f"the file has more than {max_bytes:,} bytes, the limit{how}", file=asked)
    seen = _recorded.get()
    if seen is not None:
        seen[asked] = data
    return data


def read_text(path: Path, *, error: type[ReporterError] = DataError, max_bytes: int = MAX_YAML_BYTES,
              limit_name: str | None = None) -> str:
    """Read a UTF-8 text file of at most `max_bytes`; a bad byte is named with its line and offset."""
    data = read_bytes(path, error=error, max_bytes=max_bytes, limit_name=limit_name)
    # Newlines as text mode reads them: a file saved on Windows reads like any other.
    return decode_utf8(data, path, error=error).replace("\r\n", "\n").replace("\r", "\n")


def decode_utf8(data: bytes, path: Path, *, error: type[ReporterError] = DataError,
                place: str = "line") -> str:
    """Decode UTF-8 (a byte-order mark is no reason to fail), naming the line and byte of a bad one.

    `place` is what the error calls a line: `line` for YAML and Markdown, `row` for a table.
    """
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise error(f"not UTF-8 text: byte 0x{data[exc.start]:02x} at byte offset {exc.start} "
                    f"({exc.reason}); save the file as UTF-8", file=path, **{place: line}) from None  # type: ignore[arg-type]


def read_yaml(path: Path, *, error: type[ReporterError] = DataError) -> dict[str, Any]:
    """Load a YAML mapping; a syntax error becomes one line with the file and line number."""
    data = parse_yaml(read_text(path, error=error), path, error=error)
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise error("expected a mapping of settings at the top level", file=path)
    return data
