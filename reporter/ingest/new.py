"""`reporter new DIR`: start a report folder, as `mkdocs new` starts a site.

Without `--example` the folder is what `reporter ingest` writes for a small illustrative table
(templates/new-report.csv): report.yaml and statement.yaml with every setting commented, figures
that tie out, and a commentary of TODO placeholders. So it validates at once and builds as a
draft, and the same code keeps it true as ingest evolves. With `--example` it is a copy of the
embedded Los Santos report, a finished report to learn from.
"""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path

from reporter.ingest.types import IngestOptions
from reporter.ingest.write import check_out_dir

SKELETON_TABLE = Path(__file__).parent / "templates" / "new-report.csv"
# ingest's header lines say where the folder came from; a new folder came from no release.
PROVENANCE = {
    "report.yaml": ("# Written by `reporter ingest` from ",
                    "# Written by `reporter new`: every value is an example; replace them with your own."),
    "statement.yaml": ("# Inferred by `reporter ingest` from ",
                       "# Written by `reporter new` for an example table: replace the lines with your statement's."),
}


def new_report(folder: Path, example: bool = False) -> list[str]:
    """Create a report folder at `folder` (new, or empty); return what to tell the user."""
    folder = Path(folder)
    check_out_dir(folder)
    if example:
        from reporter.data.report import default_report_dir

        _copy_into_place(default_report_dir(), folder)
        return [f"wrote {folder}: the Los Santos example (English and French)",
                f"next: cd {folder} && reporter validate && reporter build"]
    from reporter.ingest import ingest_table

    ingest_table(SKELETON_TABLE, folder, IngestOptions(currency="CAD"))
    for name, (written, replacement) in PROVENANCE.items():
        path = folder / name
        lines = path.read_text(encoding="utf-8").split("\n")
        lines = [replacement if line.startswith(written) else line for line in lines]
        path.write_text("\n".join(lines), encoding="utf-8")
    return [f"wrote {folder}: report.yaml, statement.yaml, figures.csv (example figures) and commentary.md",
            "next: put your statement in statement.yaml and figures.csv, your settings in report.yaml, "
            "and your words in place of each TODO of commentary.md;",
            f"      cd {folder} && reporter validate && reporter build --draft  (reporter build once no TODO is left)"]


def _copy_into_place(source: Path, folder: Path) -> None:
    """Copy a folder beside its target, then rename it into place: never half a folder."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = folder.parent / f".{folder.name}.new-{uuid.uuid4().hex[:12]}"
    try:
        shutil.copytree(source, staging, ignore=shutil.ignore_patterns("__pycache__"))
        if folder.exists():
            folder.rmdir()  # empty: check_out_dir said so
        staging.rename(folder)
    finally:
        if staging.exists():
            shutil.rmtree(staging)
