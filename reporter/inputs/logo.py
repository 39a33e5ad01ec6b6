"""The company logo of report.yaml: a file inside the report folder, given to templates as a URL.

Takes `company.logo` and the report folder; gives the logo's `file://` URL, or one located line when
it is missing, outside the folder or unresolvable. Here, below the context, which puts it in
`report.company.logo_url`.
"""

from __future__ import annotations

from pathlib import Path

from reporter.errors import DataError


def logo_url(logo: Path | None, report_dir: Path, settings_file: Path) -> str | None:
    """Check that the company logo exists inside the report folder, and return its URL."""
    if logo is None:
        return None
    from reporter.inputs.filegate import real_path

    resolved = real_path(logo)
    if resolved is None:
        raise DataError(f"company.logo {logo} cannot be resolved (a symlink loop, or a name too long)",
                        file=settings_file)
    if not resolved.is_relative_to(report_dir.resolve()):
        raise DataError(f"company.logo {logo} is outside the report folder", file=settings_file)
    if not resolved.is_file():
        raise DataError(f"company.logo {logo} does not exist", file=settings_file)
    return resolved.as_uri()
