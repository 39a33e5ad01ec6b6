"""Lower layers never import higher ones: what a user's files are (inputs/) and what they hold
(data/) know nothing of themes, templates, PDFs or commands."""

from __future__ import annotations

import ast

import pytest

from helpers import REPO

PACKAGE = REPO / "reporter"
# What each low layer may import from reporter: itself and the layers below it.
ALLOWED = {
    "inputs": {"errors", "formatting", "inputs"},
    "data": {"errors", "formatting", "inputs", "data"},
}


def reporter_imports(package: str) -> list[tuple[str, int, str]]:
    """Every `from reporter.X import ...` in a package, also those inside functions or TYPE_CHECKING."""
    found = []
    for path in sorted((PACKAGE / package).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("reporter."):
                found.append((path.relative_to(REPO).as_posix(), node.lineno, node.module.split(".")[1]))
    return found


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_low_layers_import_only_lower_ones(package):
    imports = reporter_imports(package)
    assert imports, package
    higher = [f"{path}:{line} imports reporter.{layer}" for path, line, layer in imports
              if layer not in ALLOWED[package]]
    assert higher == []


def test_the_settings_model_does_not_import_the_pdf_writer():
    assert not [i for i in reporter_imports("inputs") if i[0].endswith("settings.py") and i[2] == "render"]
    from reporter.inputs.settings import PDF_VARIANTS
    from reporter.render import archive

    assert PDF_VARIANTS == ("pdf/a-3b", "pdf/ua-1")
    assert "PDF_VARIANTS" not in vars(archive)
