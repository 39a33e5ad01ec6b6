"""Shared fixtures: the embedded Los Santos report, copies to break, and PDF read-back helpers."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from helpers import Cli
from reporter.data.report import default_report_dir, load_report


@pytest.fixture(scope="session", autouse=True)
def private_cache(tmp_path_factory):
    """Keep reporter's caches (font subsets) out of the user's ~/.cache during tests."""
    folder = tmp_path_factory.mktemp("xdg-cache")
    previous = os.environ.get("XDG_CACHE_HOME")
    chosen = os.environ.pop("REPORTER_CACHE_DIR", None)  # it would win over XDG_CACHE_HOME
    os.environ["XDG_CACHE_HOME"] = str(folder)
    yield folder
    if chosen is not None:
        os.environ["REPORTER_CACHE_DIR"] = chosen
    if previous is None:
        os.environ.pop("XDG_CACHE_HOME", None)
    else:
        os.environ["XDG_CACHE_HOME"] = previous


@pytest.fixture(scope="session")
def example_dir() -> Path:
    return default_report_dir()


@pytest.fixture(scope="session")
def loaded_report(example_dir):
    """The embedded Los Santos report through the data stages (load_report), shared: do not change it."""
    return load_report(example_dir)


@pytest.fixture
def report_dir(tmp_path: Path, example_dir: Path) -> Path:
    """A writable copy of the Los Santos report folder, for tests that change it."""
    target = tmp_path / "los-santos"
    shutil.copytree(example_dir, target)
    return target


@pytest.fixture
def cli() -> Cli:
    return Cli()


@pytest.fixture(scope="session")
def built_pdfs(tmp_path_factory) -> dict[str, Path]:
    """Build the Los Santos report once per template for the whole session."""
    from reporter.build.document import build_report
    from reporter.render.pdf import Renderer
    from reporter.build.outputs import OutputFormat
    from reporter.theme.resolve import available_themes

    out = tmp_path_factory.mktemp("built")
    renderer = Renderer()
    names = [t.name for t in available_themes() if t.name != "base"]
    return {name: build_report(default_report_dir(), template=name, theme_dir=None, output=out,
                               output_format=OutputFormat.pdf, renderer=renderer)
            for name in names}
