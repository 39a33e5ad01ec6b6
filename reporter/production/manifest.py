"""The manifest of an output folder: what each document was built from, so unchanged ones are skipped.

`OUTDIR/manifest.json` holds one entry per document: its inputs (every file of the report folder
and of the theme chain, with sha256), template, language, PDF variant, output file with its
sha256 and page count, and the reporter version. A document whose entry would be the same again
(same inputs, options and version) and whose output file still has the recorded sha256 is not
rebuilt. The file has no clock in it, so two runs over the same inputs write the same manifest.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import shutil
import stat
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

from reporter.errors import ReporterError
from reporter.write import write_atomic

MANIFEST_NAME = "manifest.json"
FORMAT_VERSION = 1

# Bounds on what a run reads (README, Safety). A manifest of 1,000 documents is ~2 MB.
MANIFEST_MAX_BYTES = 50_000_000
MANIFEST_MAX_DOCUMENTS = 100_000
INPUT_MAX_BYTES = 200_000_000  # one file of a report or theme folder, hashed into the manifest
INPUT_MAX_FILES = 20_000  # files of one report or theme folder
DOCUMENT_MAX_BYTES = 2_000_000_000  # one document approve copies


def _open_regular(path: Path, max_bytes: int, hint: str = "") -> int:
    """Open a regular file that is no symlink for reading, at most `max_bytes`; return the descriptor.

    O_NOFOLLOW and O_NONBLOCK: a symlink (to /dev/zero, to ~/.ssh) or a pipe put in its place is
    refused, never followed or waited on.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as exc:
        reason = "it is a symlink" if exc.errno == errno.ELOOP else exc.strerror  # O_NOFOLLOW met a link
        raise ReporterError(f"cannot be read: {reason}" + (f"; {hint}" if hint else ""), file=path) from None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        raise ReporterError("not a regular file (a device, pipe or folder)" + (f"; {hint}" if hint else ""),
                            file=path)
    if info.st_size > max_bytes:
        os.close(fd)
        raise ReporterError(f"{info.st_size:,} bytes, more than the {max_bytes:,} read here"
                            + (f"; {hint}" if hint else ""), file=path)
    return fd


def _hash_stream(fd: int, max_bytes: int, path: Path, copy_to=None) -> str:
    """Hash what `fd` holds (at most `max_bytes`: a file that grows is refused), copying it to `copy_to`."""
    digest = hashlib.sha256()
    read = 0
    with os.fdopen(fd, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            read += len(block)
            if read > max_bytes:
                raise ReporterError(f"grew past {max_bytes:,} bytes while it was read", file=path)
            digest.update(block)
            if copy_to is not None:
                copy_to.write(block)
    return digest.hexdigest()


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _key(relative: str) -> str:
    """A file name as manifest text: bytes that are not UTF-8 written as escapes, never refused by JSON."""
    return relative.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def folder_files(folder: Path, prefix: str = "", skip: Path | None = None) -> dict[str, str]:
    """Hash every file under `folder`, keyed `prefix + relative path`; dot-folders and caches included.

    Any edit under the folder makes its documents rebuild, so a file a template reads from
    `.hidden/` or `__pycache__/` is never "unchanged" while it changed. Only regular files inside
    the folder are read, each at most INPUT_MAX_BYTES: a symlink is recorded by where it points
    (never followed, so a link to /dev/zero or a huge file outside costs nothing), a device or pipe
    by its kind. `skip` is the output folder when it lies inside (its PDFs are no input).
    """
    files: dict[str, str] = {}
    skip = skip.resolve() if skip is not None else None

    def refuse(error: OSError) -> None:
        raise ReporterError(f"cannot list the folder: {error.strerror}", file=error.filename)

    for root, folders, names in os.walk(folder, onerror=refuse):
        here = Path(root)
        entries = sorted(folders + names)  # a symlink to a folder is among `folders`: recorded, not walked
        folders[:] = sorted(name for name in folders
                            if not (here / name).is_symlink() and (skip is None or (here / name).resolve() != skip))
        for name in entries:
            path = here / name
            try:
                info = path.lstat()
            except FileNotFoundError:  # removed while the folder was listed
                continue
            if stat.S_ISDIR(info.st_mode):
                continue  # walked, or the output folder
            if len(files) >= INPUT_MAX_FILES:
                raise ReporterError(f"holds more than {INPUT_MAX_FILES:,} files; a run hashes every file of "
                                    f"a report or theme folder: move the others out", file=folder)
            key = prefix + _key(path.relative_to(folder).as_posix())
            if stat.S_ISLNK(info.st_mode):
                files[key] = "symlink to " + _key(os.readlink(path))
            elif not stat.S_ISREG(info.st_mode):
                files[key] = "not a regular file"
            else:
                hint = "a production run hashes every file of a report or theme folder: move it out"
                files[key] = _hash_stream(_open_regular(path, INPUT_MAX_BYTES, hint), INPUT_MAX_BYTES, path)
    return dict(sorted(files.items()))


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


def is_plain_name(name: object) -> bool:
    """Say whether `name` is a file name of the folder itself: no folder part, no `..`, no dot file."""
    return (isinstance(name, str) and 0 < len(name.encode("utf-8", "surrogatepass")) <= 255
            and not name.startswith(".") and "/" not in name and "\\" not in name and "\0" not in name
            and name != MANIFEST_NAME)


def _shown(value: object) -> str:
    text = repr(value)  # repr escapes control characters
    return text if len(text) <= 80 else text[:77] + "..."


# The fields of an entry and the types manifest.json may give them.
_FIELD_TYPES: dict[str, type | tuple[type, ...]] = {"output": str, "folder": str, "template": str, "language": str, "pdf_variant": (str, type(None)),
                "format": str, "inputs": dict, "reporter_version": str, "sha256": str, "pages": (int, type(None)),
                "extra": dict}


def _entry(item: object, index: int, path: Path) -> Entry:
    """Check one document of manifest.json into an Entry; a wrong one is one line with its number."""
    def wrong(says: str) -> ReporterError:
        return ReporterError(f"document {index + 1}: {says}; delete {MANIFEST_NAME} to build every document "
                             f"again", file=path)

    if not isinstance(item, dict):
        raise wrong(f"must be a mapping, got {_shown(item)}")
    unknown = sorted(set(item) - set(_FIELD_TYPES))
    if unknown:
        raise wrong(f"unknown field {_shown(unknown[0])}")
    for key in ("output", "folder", "template", "language", "pdf_variant", "format", "inputs", "reporter_version"):
        if key not in item:
            raise wrong(f"no {key!r}")
    for key, value in item.items():
        if not isinstance(value, _FIELD_TYPES[key]) or isinstance(value, bool):
            raise wrong(f"{key!r} has the wrong type: {_shown(value)}")
    if not is_plain_name(item["output"]):
        raise wrong(f"'output' must be a file name inside the folder (no folder part, no '..', not hidden), "
                    f"got {_shown(item['output'])}")
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in item["inputs"].items()):
        raise wrong("'inputs' must map file names to sha256 text")
    sha = item.get("sha256", "")
    if sha and (len(sha) != 64 or any(c not in "0123456789abcdef" for c in sha)):
        raise wrong(f"'sha256' must be 64 hexadecimal digits, got {_shown(sha)}")
    return Entry(**item)


def load_manifest(outdir: Path) -> dict[str, Entry]:
    """Read the manifest of `outdir`: none means nothing is known to be built.

    It is read as it was written: a regular file (never a symlink: one to /dev/zero would be
    read for ever), at most MANIFEST_MAX_BYTES, JSON of our shape. Anything else is one line
    naming the file and the place, and says how to start afresh.
    """
    path = outdir / MANIFEST_NAME
    if not os.path.lexists(path):
        return {}
    fd = _open_regular(path, MANIFEST_MAX_BYTES, hint="delete it to build every document again")
    with os.fdopen(fd, "rb") as stream:
        data = stream.read(MANIFEST_MAX_BYTES + 1)
    if len(data) > MANIFEST_MAX_BYTES:
        raise ReporterError(f"grew past {MANIFEST_MAX_BYTES:,} bytes while it was read", file=path)
    try:
        parsed = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ReporterError(f"not UTF-8 (byte {exc.start}); delete it to build every document again",
                            file=path) from None
    except json.JSONDecodeError as exc:
        raise ReporterError(f"not valid JSON ({exc.msg}); delete it to build every document again",
                            file=path, line=exc.lineno) from None
    except RecursionError:
        raise ReporterError("nested too deeply to be a manifest; delete it to build every document again",
                            file=path) from None
    if not isinstance(parsed, dict) or not isinstance(parsed.get("documents"), list):
        raise ReporterError("not a manifest (no list of documents); delete it to build every document again",
                            file=path)
    if len(parsed["documents"]) > MANIFEST_MAX_DOCUMENTS:
        raise ReporterError(f"lists {len(parsed['documents']):,} documents, more than {MANIFEST_MAX_DOCUMENTS:,}; "
                            f"delete it to build every document again", file=path)
    entries = {}
    for index, item in enumerate(parsed["documents"]):
        entry = _entry(item, index, path)
        entries[entry.output] = entry
    return entries


def output_is(outdir: Path, entry: Entry) -> bool:
    """Say whether the output folder holds the file `entry` recorded: regular, no symlink, same sha256."""
    try:
        fd = _open_regular(outdir / entry.output, DOCUMENT_MAX_BYTES)
        return _hash_stream(fd, DOCUMENT_MAX_BYTES, outdir / entry.output) == entry.sha256
    except ReporterError:
        return False


def is_unchanged(previous: Entry | None, planned: Entry, outdir: Path) -> bool:
    """A document is unchanged when it was built the same way and its file is still the one built."""
    if previous is None or not previous.same_build(planned):
        return False
    return output_is(outdir, previous)


def write_manifest(outdir: Path, entries: dict[str, Entry]) -> Path:
    """Write the manifest atomically, documents in name order."""
    documents = [asdict(entries[name]) for name in sorted(entries)]
    text = json.dumps({"manifest_version": FORMAT_VERSION, "documents": documents}, indent=2,
                      sort_keys=True, ensure_ascii=False)
    return write_atomic(outdir / MANIFEST_NAME, (text + "\n").encode("utf-8"))


def approve(outdir: Path, approved: Path) -> list[Path]:
    """Copy the documents of `outdir`'s manifest and the manifest itself into `approved`, all or nothing.

    Every name the manifest gives is a plain file name of the folder (never `../x` or `/x`), and
    every file is read without following symlinks, in either folder. Each document is copied
    into a new folder beside `approved` while its sha256 is checked against the manifest's, so
    what is approved is exactly what was built and checked; the earlier approved files the run
    did not rebuild are carried over; then the new folder takes the place of `approved` in one
    rename. A failure at any point leaves `approved` as it was.
    """
    from reporter.production.lock import run_lock

    outdir, approved = Path(outdir).resolve(), Path(approved).resolve()
    with run_lock(outdir):  # no production run rewrites the documents while they are approved
        entries = load_manifest(outdir)
        if not entries:
            raise ReporterError(f"no {MANIFEST_NAME} with documents (build with several folders or --jobs first)",
                                file=outdir)
        if approved == outdir or approved.is_relative_to(outdir) or outdir.is_relative_to(approved):
            raise ReporterError("the approved folder must be outside the output folder and not contain it",
                                file=approved)
        remove_stale_approvals(approved)
        earlier = _approved_files(approved)
        try:
            approved.parent.mkdir(parents=True, exist_ok=True)
            staging = Path(tempfile.mkdtemp(prefix=f".{approved.name}.approve-{os.getpid()}-", dir=approved.parent))
        except OSError as exc:
            raise ReporterError(f"cannot create a folder beside it: {exc.strerror}", file=approved) from None
        try:
            for name in sorted(entries):
                _copy_checked(outdir / name, staging / name, entries[name].sha256)
            manifest = outdir / MANIFEST_NAME
            _copy_checked(manifest, staging / MANIFEST_NAME, None)
            for name in earlier:
                if name not in entries and name != MANIFEST_NAME:
                    _copy_checked(approved / name, staging / name, None)
            os.chmod(staging, 0o755)
            _swap_in(staging, approved)
        finally:
            shutil.rmtree(staging, ignore_errors=True)  # after the swap: the earlier approved folder
    return [approved / name for name in sorted(entries)] + [approved / MANIFEST_NAME]


# The folders approve stages beside the approved folder: `.NAME.approve-PID-RANDOM`, and
# `.NAME.approve-PID-RANDOM.old` while two plain renames swap it in (no renameat2).
_STAGING = re.compile(r"^\.(?P<name>.+)\.approve-(?P<pid>\d+)-[A-Za-z0-9_]+(?P<old>\.old)?$")


def remove_stale_approvals(approved: Path) -> list[Path]:
    """Remove what a killed approve left beside `approved`; return the folders removed.

    Only real folders (never a symlink) named for this approved folder, owned by this user, whose
    approve process no longer runs, are removed: a staging folder holds copies (a new approval
    half made, or the earlier approved folder after the swap). A `.old` folder while `approved`
    itself is missing is the earlier approved folder, caught between two renames: it is the only
    copy, so approve stops and says how to put it back.
    """
    from reporter.render.tempdir import process_running

    removed: list[Path] = []
    try:
        entries = list(os.scandir(approved.parent))
    except OSError:  # no parent folder yet: nothing left over
        return removed
    for entry in sorted(entries, key=lambda e: e.name):
        match = _STAGING.match(entry.name)
        if match is None or match.group("name") != approved.name or not entry.is_dir(follow_symlinks=False):
            continue
        try:
            if entry.stat(follow_symlinks=False).st_uid != os.getuid() or process_running(int(match.group("pid"))):
                continue
        except OSError:
            continue
        if match.group("old") and not os.path.lexists(approved):
            raise ReporterError(f"an earlier approve was stopped between two renames: the approved documents "
                                f"are in {entry.path}; rename that folder to {approved.name} and approve again",
                                file=approved)
        shutil.rmtree(entry.path, ignore_errors=True)
        removed.append(Path(entry.path))
    return removed


def _approved_files(approved: Path) -> list[str]:
    """List the approved folder's files; a symlink, a subfolder or a device in it is refused."""
    if not os.path.lexists(approved):
        return []
    if approved.is_symlink() or not approved.is_dir():
        raise ReporterError("not a folder", file=approved)
    names = []
    for entry in sorted(os.scandir(approved), key=lambda e: e.name):
        if not entry.is_file(follow_symlinks=False):
            raise ReporterError("is a symlink, folder or device; an approved folder holds only the files "
                                "approve wrote: move it out", file=Path(entry.path))
        names.append(entry.name)
    return names


def _copy_checked(source: Path, target: Path, sha256: str | None) -> None:
    """Copy one regular file (no symlink followed) into the staging folder, checking its sha256."""
    fd = _open_regular(source, DOCUMENT_MAX_BYTES, hint="approve copies regular files only")
    try:
        with open(target, "xb") as copy:
            digest = _hash_stream(fd, DOCUMENT_MAX_BYTES, source, copy_to=copy)
            copy.flush()
            os.fsync(copy.fileno())
    except OSError as exc:
        raise ReporterError(f"cannot write: {exc.strerror}; the approved folder is unchanged", file=target) from None
    os.chmod(target, 0o644)
    if sha256 is not None and digest != sha256:
        raise ReporterError(f"differs from what {MANIFEST_NAME} records; build again before approving",
                            file=source)


RENAME_EXCHANGE = 2  # renameat2(2): swap two paths in one step


def _swap_in(staging: Path, approved: Path) -> None:
    """Put `staging` in the place of `approved`; the earlier folder ends up at `staging`'s name."""
    if not os.path.lexists(approved):
        os.rename(staging, approved)
        staging.mkdir()  # so the caller's clean-up has a folder to remove
        return
    if _exchange(staging, approved):
        return
    # No renameat2 (not Linux, or an old kernel): two renames, the folder missing in between.
    aside = staging.with_name(staging.name + ".old")
    os.rename(approved, aside)
    try:
        os.rename(staging, approved)
    except OSError:
        os.rename(aside, approved)
        raise
    os.rename(aside, staging)


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths atomically with Linux's renameat2; False where it is not available."""
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd = -100
    result = renameat2(at_fdcwd, os.fsencode(first), at_fdcwd, os.fsencode(second), RENAME_EXCHANGE)
    return result == 0
