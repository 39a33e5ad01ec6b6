"""Read the YAML files of report folders and themes, with errors that name the file and line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from reporter.errors import DataError, ReporterError


def read_yaml(path: Path, *, error: type[ReporterError] = DataError) -> dict[str, Any]:
    """Load a YAML mapping; a syntax error becomes one line with the file and line number."""
    try:
        text = path.read_text(encoding="utf-8-sig")  # a byte-order mark is no reason to fail
    except FileNotFoundError:
        raise error("file not found", file=path) from None
    except UnicodeDecodeError as exc:
        raise error(f"not UTF-8 text ({exc.reason})", file=path) from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise error(f"invalid YAML: {problem}", file=path,
                    line=mark.line + 1 if mark else None) from None
    except ValueError as exc:  # PyYAML builds dates itself: 2011-06-31 fails here
        raise error(f"invalid value: {exc}", file=path) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise error("expected a mapping of settings at the top level", file=path)
    return data
