"""Shared fixtures: the embedded Los Santos report, copies to break, and PDF read-back helpers."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from typer.testing import CliRunner

from reporter.cli.app import app
from reporter.data.report import default_report_dir


# The seed's summary table as numbers (thousands of CAD, published sign), by line id, in the
# columns 3 months 2011, 3 months 2010, 9 months 2011, 9 months 2010.
LOS_SANTOS_PUBLISHED = {
    "revenue": [4421, 0, 10186, 0],
    "cost_of_sales": [3006, 407, 8412, 1147],
    "income_from_mining_operations": [1416, -407, 1774, -1147],
    "depreciation_and_amortization": [931, 14, 5794, 67],
    "interest": [42, 387, 441, 491],
    "other_sga": [-247, -847, -1074, -2543],
    "net_income_before_tax_and_one_time_items": [690, 39, -3387, 837],
}


@pytest.fixture(scope="session", autouse=True)
def private_cache(tmp_path_factory):
    """Keep reporter's caches (font subsets) out of the user's ~/.cache during tests."""
    folder = tmp_path_factory.mktemp("xdg-cache")
    previous = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(folder)
    yield folder
    if previous is None:
        os.environ.pop("XDG_CACHE_HOME", None)
    else:
        os.environ["XDG_CACHE_HOME"] = previous


@pytest.fixture(scope="session")
def example_dir() -> Path:
    return default_report_dir()


@pytest.fixture
def report_dir(tmp_path: Path, example_dir: Path) -> Path:
    """A writable copy of the Los Santos report folder, for tests that change it."""
    target = tmp_path / "los-santos"
    shutil.copytree(example_dir, target)
    return target


def pdf_pages(path: Path) -> list[str]:
    """Read the text of each page back, as a reader's copy-and-paste would give it."""
    document = pdfium.PdfDocument(str(path))
    try:
        return [page.get_textpage().get_text_range().replace("\r\n", "\n") for page in document]
    finally:
        document.close()


def table_row(text: str, label: str) -> list[str]:
    """Return the figures printed after `label` on the line that starts with it."""
    for line in text.splitlines():
        if line.startswith(label + " "):
            return line[len(label):].split()
    raise AssertionError(f"no line starting with {label!r} in:\n{text}")


def figure_rows(text: str, label: str) -> list[list[str]]:
    """Return the figures after `label` on every line that starts with it (tables may repeat)."""
    return [line[len(label):].split() for line in text.splitlines() if line.startswith(label + " ")]


class Cli:
    def __init__(self) -> None:
        self.runner = CliRunner()

    def __call__(self, *args: str):
        return self.runner.invoke(app, [str(a) for a in args], catch_exceptions=False)


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
