"""reporter: quarterly financials and commentary in, branded investor PDFs out.

The Python API (documented in reporter.api):

    >>> import reporter
    >>> pdf_bytes = reporter.build("reports/q3")             # doctest: +SKIP
    >>> reporter.validate("reports/q3").ok                   # doctest: +SKIP
    >>> reporter.production_run(["q3/a", "q3/b"], output="out")  # doctest: +SKIP

Mistakes in the user's files raise the ReporterError family. Importing reporter loads nothing
heavy: pandas and WeasyPrint load on the first build.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from reporter.errors import DataError, RenderError, ReporterError, StatementError, TemplateError, ThemeError

__version__ = "0.1.0"
__all__ = ["build", "validate", "production_run", "Validation", "ReporterError", "DataError",
           "StatementError", "ThemeError", "TemplateError", "RenderError", "__version__"]

if TYPE_CHECKING:
    from reporter.api import build, production_run, validate
    from reporter.data.validation import Validation
else:
    # `reporter.build` is also the pipeline stage package (reporter/build/); that module is
    # callable and calls reporter.api.build, so `reporter.build(...)` works whichever of the two
    # the import system left under the name.
    from reporter import build


def __getattr__(name: str) -> Any:
    """Load the API on first use, so that `import reporter` (and `reporter --help`) stays light."""
    if name in ("validate", "production_run"):
        from reporter import api

        return getattr(api, name)
    if name == "Validation":
        from reporter.data.validation import Validation

        return Validation
    raise AttributeError(f"module 'reporter' has no attribute {name!r}")
