"""The manifest of an output folder: what each document was built from, so unchanged ones are skipped.

`OUTDIR/manifest.json` holds one entry per document: its inputs (every file of the report folder
and of the theme chain, with sha256), template, language, PDF variant, output file with its
sha256 and page count, and the reporter version. A document whose entry would be the same again
(same inputs, options and version) and whose output file still has the recorded sha256 is not
rebuilt. The file has no clock in it, so two runs over the same inputs write the same manifest.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from reporter.write import write_atomic

MANIFEST_NAME = "manifest.json"
FORMAT_VERSION = 1


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def folder_files(folder: Path, prefix: str = "", confined: bool = False) -> dict[str, str]:
    """Hash every file under `folder` (hidden files and caches left out), keyed `prefix + relative path`.

    `confined` leaves out a symlink that leads out of the folder (an earlier report of `history:`
    is read only inside its folder, and so hashed only there).
    """
    files = {}
    inside = folder.resolve()
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if any(part.startswith(".") or part == "__pycache__" for part in relative.parts) or not path.is_file():
            continue
        if confined and not path.resolve().is_relative_to(inside):
            continue
        files[prefix + relative.as_posix()] = sha256_file(path)
    return files


@dataclass
class Entry:
    """One document of the manifest."""

    output: str  # file name inside the output folder
    folder: str
    template: str
    language: str
    pdf_variant: str | None
    format: str
    inputs: dict[str, str]
    reporter_version: str
    sha256: str = ""
    pages: int | None = None
    extra: dict = field(default_factory=dict)  # room for later axes without a format change

    def same_build(self, other: "Entry") -> bool:
        """Say whether `other` was built from the same inputs with the same options and version."""
        keys = ("output", "folder", "template", "language", "pdf_variant", "format", "inputs",
                "reporter_version", "extra")
        return all(getattr(self, key) == getattr(other, key) for key in keys)


def load_manifest(outdir: Path) -> dict[str, Entry]:
    """Read the manifest of `outdir`; a missing or unreadable one means nothing is known to be built."""
    path = outdir / MANIFEST_NAME
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return {item["output"]: Entry(**item) for item in data["documents"]}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def is_unchanged(previous: Entry | None, planned: Entry, outdir: Path) -> bool:
    """A document is unchanged when it was built the same way and its file is still the one built."""
    if previous is None or not previous.same_build(planned):
        return False
    path = outdir / planned.output
    return path.is_file() and sha256_file(path) == previous.sha256


def write_manifest(outdir: Path, entries: dict[str, Entry]) -> Path:
    """Write the manifest atomically, documents in name order."""
    documents = [asdict(entries[name]) for name in sorted(entries)]
    text = json.dumps({"manifest_version": FORMAT_VERSION, "documents": documents}, indent=2,
                      sort_keys=True, ensure_ascii=False)
    return write_atomic(outdir / MANIFEST_NAME, (text + "\n").encode("utf-8"))


def approve(outdir: Path, approved: Path) -> list[Path]:
    """Copy the documents of `outdir`'s manifest and the manifest itself into `approved`.

    Each file is checked against the sha256 the manifest recorded, so what is approved is what
    was built; every copy is atomic.
    """
    from reporter.errors import ReporterError

    entries = load_manifest(outdir)
    if not entries:
        raise ReporterError(f"no {MANIFEST_NAME} with documents (build with several folders or --jobs first)",
                            file=outdir)
    copied = []
    for name in sorted(entries):
        source = outdir / name
        if not source.is_file() or sha256_file(source) != entries[name].sha256:
            raise ReporterError(f"{name} is missing or differs from what {MANIFEST_NAME} records; "
                                "build again before approving", file=outdir)
    for name in sorted(entries):
        copied.append(write_atomic(approved / name, (outdir / name).read_bytes()))
    copied.append(write_atomic(approved / MANIFEST_NAME, (outdir / MANIFEST_NAME).read_bytes()))
    return copied
