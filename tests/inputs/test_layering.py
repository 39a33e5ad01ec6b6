"""Lower layers never import higher ones: every package imports only the layers below it (LAYERS,
documented in docs/code.md), so what a user's files are (inputs/) and what they hold (data/) know
nothing of themes, templates, PDFs or commands."""

from __future__ import annotations

import ast

import pytest

from helpers import REPO

PACKAGE = REPO / "reporter"
# The layers, lowest first, in the order of the pipeline (docs/code.md, "Layers"): a package may
# import itself and the layers below it, never one above or beside it.
LAYERS = [
    {"errors"},                          # one line per mistake, with its place
    {"formatting", "write", "cache"},    # numbers, atomic writes, the cache folder
    {"inputs"},                          # the user's files, checked into typed objects
    {"data"},                            # figures loaded, normalised, tied out, fact-checked
    {"theme"},                           # theme lookup, the one Jinja environment, filters
    {"charts"},                          # SVG charts from plain numbers
    {"context"},                         # what templates see
    {"render"},                          # HTML, PDF, fonts, PDF variants
    {"build", "ingest"},                 # one build; a release turned into a report folder
    {"production"},                      # many builds, manifest, diff
    {"cli", "api"},                      # the commands and the Python API
]
LAYER_OF = {package: index for index, layer in enumerate(LAYERS) for package in layer}
# Upward imports on purpose, each with its reason.
EXCEPTIONS = {
    # `reporter.build` is also the API's build function: the package is callable (see its docstring).
    ("reporter/build/__init__.py", "api"),
}
def reporter_imports(package: str) -> list[tuple[str, int, str]]:
    """Every `from reporter.X import ...` in a package, also those inside functions or TYPE_CHECKING."""
    found = []
    folder = PACKAGE / package
    for path in sorted(folder.rglob("*.py") if folder.is_dir() else [PACKAGE / f"{package}.py"]):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("reporter."):
                found.append((path.relative_to(REPO).as_posix(), node.lineno, node.module.split(".")[1]))
    return found


def test_the_settings_model_does_not_import_the_pdf_writer():
    assert not [i for i in reporter_imports("inputs") if i[0].endswith("settings.py") and i[2] == "render"]
    from reporter.inputs.settings import PDF_VARIANTS
    from reporter.render import archive

    assert PDF_VARIANTS == ("pdf/a-3b", "pdf/ua-1")
    assert "PDF_VARIANTS" not in vars(archive)


def test_every_package_has_a_layer():
    packages = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    modules = {p.stem for p in PACKAGE.glob("*.py") if not p.stem.startswith("__")}
    assert packages and modules
    assert packages | modules == set(LAYER_OF)
    assert reporter_imports("context") and reporter_imports("cli")  # the check reads imports at all


@pytest.mark.parametrize("package", sorted(LAYER_OF))
def test_every_package_imports_only_lower_layers(package):
    imports = reporter_imports(package)
    higher = [f"{path}:{line} imports reporter.{layer}" for path, line, layer in imports
              if layer != package and LAYER_OF[layer] >= LAYER_OF[package] and (path, layer) not in EXCEPTIONS]
    assert higher == []
