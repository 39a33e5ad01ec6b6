"""One build. Takes what was asked (folders, templates, languages, format); gives the files
written: `plan` names the documents, `pipeline` strings the template stages, `document` renders
and writes each atomically, `outputs` holds the formats and the `-o` rule.

This package is also `reporter.build`, the Python API's build function: calling it calls
`reporter.api.build` (see there), so `reporter.build("reports/q3")` returns the PDF bytes.
"""


import sys
import types


class _CallableStage(types.ModuleType):
    """The stage package, callable as the API's build (the two share the name `reporter.build`)."""

    def __call__(self, *args, **kwargs):
        from reporter.api import build

        return build(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableStage
