"""Honest dependencies: every package reporter imports is declared in pyproject.toml, and nothing else.

The declared minimums are checked by .ci/run, which installs the lowest of each
(`make test-lowest`) and runs the fast tests on them.
"""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions

from helpers import REPO


def normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def declared() -> set[str]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return {normalized(re.match(r"[A-Za-z0-9._-]+", spec).group()) for spec in project["dependencies"]}


def imported_modules() -> dict[str, str]:
    """Top-level modules that reporter's code imports, outside the standard library, with one file each."""
    found = {}
    files = sorted((REPO / "reporter").rglob("*.py"))
    assert files
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([alias.name for alias in node.names] if isinstance(node, ast.Import) else
                     [node.module] if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module else [])
            for name in names:
                top = name.split(".")[0]
                if top != "reporter" and top not in sys.stdlib_module_names and top != "__future__":
                    found.setdefault(top, str(path.relative_to(REPO)))
    return found


def test_every_imported_package_is_declared():
    distributions = packages_distributions()
    modules = imported_modules()
    assert {"pandas", "weasyprint", "PIL", "numpy", "fontTools", "markupsafe"} <= set(modules)
    undeclared = {module: where for module, where in modules.items()
                  if not {normalized(d) for d in distributions.get(module, [module])} & declared()}
    assert undeclared == {}


def test_every_declared_package_is_imported():
    distributions = packages_distributions()
    used = {normalized(d) for module in imported_modules() for d in distributions.get(module, [module])}
    assert declared() - used == set()


def test_the_distribution_name_is_our_own_and_the_command_stays_reporter():
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["name"] != "reporter"  # that name on PyPI is another project's
    assert project["scripts"] == {"reporter": "reporter.cli.app:run"}
