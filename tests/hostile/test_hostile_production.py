"""Hostile production runs and approvals: paths out of their folders, signals, kill -9, two runs at once.

Approvals work on an output folder made here (documents and a manifest written directly), so
they cost no build; the signal tests run `python -m reporter build A B -j 2` on two folders with
a logo slow to draw, and look at every process the run started.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reporter.errors import ReporterError
from reporter.production.lock import LOCK_NAME, run_lock
from reporter.production.manifest import (INPUT_MAX_BYTES, MANIFEST_MAX_BYTES, MANIFEST_NAME, Entry,
                                          folder_files, load_manifest, write_manifest)

from helpers import complaints
from test_hostile_processes import slow_logo


# --- an output folder made by hand ------------------------------------------------------------

def entry(name: str, data: bytes) -> Entry:
    return Entry(output=name, folder="/r", template="investor-summary", language="en-CA", pdf_variant=None,
                 format="pdf", inputs={"report.yaml": "0" * 64}, reporter_version="1",
                 sha256=hashlib.sha256(data).hexdigest(), pages=2)


def run_output(outdir: Path, documents: dict[str, bytes]) -> Path:
    """Write documents and their manifest, as a production run leaves them."""
    outdir.mkdir(parents=True, exist_ok=True)
    for name, data in documents.items():
        (outdir / name).write_bytes(data)
    write_manifest(outdir, {name: entry(name, data) for name, data in documents.items()})
    return outdir


def manifest_with(outdir: Path, documents: list[dict]) -> None:
    (outdir / MANIFEST_NAME).write_text(json.dumps({"manifest_version": 1, "documents": documents}))


def snapshot(folder: Path) -> dict[str, bytes | str]:
    """Every entry under `folder`: file bytes, or where a link points."""
    seen = {}
    for path in sorted(folder.rglob("*")):
        key = str(path.relative_to(folder))
        seen[key] = os.readlink(path) if path.is_symlink() else (path.read_bytes() if path.is_file() else "dir")
    return seen


def one_line(result, *parts: str) -> str:
    lines = complaints(result.stderr)
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.output + result.stderr
    for part in parts:
        assert part in lines[0], lines[0]
    return lines[0]


@pytest.fixture
def approval(tmp_path):
    """A run's output folder with two documents, an approved folder from an earlier approval, and a
    home folder beside them whose files must never change."""
    out = run_output(tmp_path / "out", {"a.pdf": b"%PDF new a", "b.pdf": b"%PDF new b"})
    approved = run_output(tmp_path / "approved", {"a.pdf": b"%PDF old a", "old-only.pdf": b"%PDF kept"})
    home = tmp_path / "home"
    (home / ".ssh").mkdir(parents=True)
    (home / ".ssh" / "authorized_keys").write_text("ssh-ed25519 AAAA mine\n")
    return out, approved, home


def test_approve_copies_every_document_in_one_step(cli, approval, tmp_path):
    out, approved, home = approval
    result = cli("approve", out, approved)
    assert result.exit_code == 0, result.output
    assert (approved / "a.pdf").read_bytes() == b"%PDF new a"
    assert (approved / "b.pdf").read_bytes() == b"%PDF new b"
    assert (approved / "old-only.pdf").read_bytes() == b"%PDF kept"  # an earlier approval's document stays
    assert (approved / MANIFEST_NAME).read_bytes() == (out / MANIFEST_NAME).read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["approved", "home", "out"]  # no staging left


@pytest.mark.parametrize("name", ["../payload.sh", "x/../../payload.sh", "/tmp/payload.sh", "sub/a.pdf", "..",
                                  ".hidden.pdf", "a\x00b.pdf", MANIFEST_NAME, "x" * 300],
                         ids=["dotdot", "nested-dotdot", "absolute", "subfolder", "parent", "hidden", "nul",
                              "manifest", "long"])
def test_approve_refuses_a_manifest_name_outside_the_folders(cli, approval, tmp_path, name):
    out, approved, home = approval
    data = b"#!/bin/sh\necho owned\n"
    manifest_with(out, [vars(entry("a.pdf", b"%PDF new a")), vars(entry(name, data))])
    before = snapshot(tmp_path)
    started = time.monotonic()
    result = cli("approve", out, approved)
    assert time.monotonic() - started < 10
    assert result.exit_code == 1
    line = one_line(result, str(out / MANIFEST_NAME), "document 2", "'output' must be a file name inside the folder")
    assert "\x00" not in line
    assert snapshot(tmp_path) == before
    assert not Path("/tmp/payload.sh").exists()


def test_approve_refuses_a_document_that_is_a_symlink_out_of_the_output_folder(cli, approval, tmp_path):
    out, approved, home = approval
    secret = home / ".ssh" / "authorized_keys"
    (out / "b.pdf").unlink()
    (out / "b.pdf").symlink_to(secret)
    manifest_with(out, [vars(entry("a.pdf", b"%PDF new a")), vars(entry("b.pdf", secret.read_bytes()))])
    before = snapshot(tmp_path)
    result = cli("approve", out, approved)
    assert result.exit_code == 1
    one_line(result, str(out / "b.pdf"), "symlink")
    assert snapshot(tmp_path) == before


def test_approve_never_writes_through_a_symlink_in_the_approved_folder(cli, approval, tmp_path):
    out, approved, home = approval
    keys = home / ".ssh" / "authorized_keys"
    (approved / "b.pdf").symlink_to(keys)
    before = snapshot(tmp_path)
    result = cli("approve", out, approved)
    assert result.exit_code == 1
    one_line(result, str(approved / "b.pdf"), "symlink")
    assert snapshot(tmp_path) == before
    assert keys.read_text() == "ssh-ed25519 AAAA mine\n"


def test_approve_is_all_or_nothing(cli, approval, tmp_path):
    """The second document differs from the manifest: the approved folder keeps every earlier byte."""
    out, approved, home = approval
    (out / "b.pdf").write_bytes(b"%PDF edited after the run")
    before = snapshot(approved)
    result = cli("approve", out, approved)
    assert result.exit_code == 1
    one_line(result, str(out / "b.pdf"), "differs from what manifest.json records")
    assert snapshot(approved) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["approved", "home", "out"]


def test_approve_waits_for_no_run_it_refuses_while_one_writes(cli, approval):
    out, approved, home = approval
    before = snapshot(approved)
    with run_lock(out):
        result = cli("approve", out, approved)
    assert result.exit_code == 1
    one_line(result, str(out), "another run is writing this folder", f"pid {os.getpid()}")
    assert snapshot(approved) == before


def test_approved_inside_the_output_folder_is_refused(cli, approval):
    out, approved, home = approval
    result = cli("approve", out, out / "approved")
    assert result.exit_code == 1
    one_line(result, "outside the output folder")
    assert not (out / "approved").exists()


# --- manifest.json read bounded ----------------------------------------------------------------

def manifest_symlink_to_zero(out: Path) -> None:
    (out / MANIFEST_NAME).unlink()
    (out / MANIFEST_NAME).symlink_to("/dev/zero")


def manifest_deep(out: Path) -> None:
    (out / MANIFEST_NAME).write_text("[" * 100_000 + "]" * 100_000)


def manifest_huge(out: Path) -> None:
    with open(out / MANIFEST_NAME, "wb") as stream:
        stream.truncate(MANIFEST_MAX_BYTES + 1)  # sparse: nothing on disk, too large all the same


def manifest_malformed(out: Path) -> None:
    (out / MANIFEST_NAME).write_text('{"documents": [\n  {"output": "a.pdf",\n  oops}\n]}')


def manifest_fifo(out: Path) -> None:
    (out / MANIFEST_NAME).unlink()
    os.mkfifo(out / MANIFEST_NAME)


def manifest_wrong_types(out: Path) -> None:
    manifest_with(out, [dict(vars(entry("a.pdf", b"%PDF new a")), pages="two\x1b]52;c;owned\x07")])


def manifest_not_documents(out: Path) -> None:
    (out / MANIFEST_NAME).write_text('["a.pdf"]')


MANIFEST_CASES = [
    ("symlink-dev-zero", manifest_symlink_to_zero, "cannot be read: it is a symlink"),
    ("nesting", manifest_deep, "nested too deeply"),
    ("huge", manifest_huge, f"{MANIFEST_MAX_BYTES + 1:,} bytes, more than the {MANIFEST_MAX_BYTES:,}"),
    ("malformed", manifest_malformed, f"{MANIFEST_NAME}:3: not valid JSON"),
    ("fifo", manifest_fifo, "not a regular file"),
    ("wrong-type", manifest_wrong_types, "document 1: 'pages' has the wrong type: 'two\\x1b]52;c;owned\\x07'"),
    ("not-documents", manifest_not_documents, "not a manifest"),
]


@pytest.mark.parametrize(("make", "says"), [case[1:] for case in MANIFEST_CASES], ids=[c[0] for c in MANIFEST_CASES])
def test_a_hostile_manifest_is_one_line_for_approve(cli, approval, make, says):
    out, approved, home = approval
    make(out)
    before = snapshot(approved)
    started = time.monotonic()
    result = cli("approve", out, approved)
    assert time.monotonic() - started < 10
    assert result.exit_code == 1
    line = one_line(result, str(out / MANIFEST_NAME), says)
    assert "\x1b" not in line and "\x07" not in line
    assert snapshot(approved) == before


def test_a_hostile_manifest_is_one_line_for_a_production_run(cli, example_dir, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / MANIFEST_NAME).symlink_to("/dev/zero")
    started = time.monotonic()
    result = cli("build", example_dir, "-j", "1", "-o", out)
    assert time.monotonic() - started < 60
    assert result.exit_code == 1
    one_line(result, str(out / MANIFEST_NAME), "symlink", "delete it to build every document again")
    assert sorted(p.name for p in out.iterdir()) == [MANIFEST_NAME]


def test_a_missing_manifest_means_nothing_built(tmp_path):
    assert load_manifest(tmp_path) == {}


# --- the inputs a manifest counts -----------------------------------------------------------------

def test_every_file_of_a_folder_is_counted_hidden_ones_and_caches_included(tmp_path):
    folder = tmp_path / "report"
    (folder / ".hidden").mkdir(parents=True)
    (folder / "__pycache__").mkdir()
    (folder / "report.yaml").write_text("a")
    (folder / ".hidden" / "labels.yaml").write_text("b")
    (folder / "__pycache__" / "x.pyc").write_bytes(b"c")
    (folder / ".env").write_text("d")
    files = folder_files(folder)
    assert sorted(files) == [".env", ".hidden/labels.yaml", "__pycache__/x.pyc", "report.yaml"]
    assert files[".hidden/labels.yaml"] == hashlib.sha256(b"b").hexdigest()
    (folder / ".hidden" / "labels.yaml").write_text("B")
    assert folder_files(folder)[".hidden/labels.yaml"] != files[".hidden/labels.yaml"]


def test_symlinks_devices_and_pipes_are_recorded_never_read(tmp_path):
    folder = tmp_path / "report"
    folder.mkdir()
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("secret")
    (folder / "zero").symlink_to("/dev/zero")
    (folder / "secret").symlink_to(outside / "secret.txt")
    (folder / "linked-folder").symlink_to(outside)
    (folder / "loop").symlink_to(folder / "loop")
    os.mkfifo(folder / "pipe")
    started = time.monotonic()
    files = folder_files(folder)
    assert time.monotonic() - started < 5
    assert files == {"linked-folder": f"symlink to {outside}", "loop": f"symlink to {folder / 'loop'}",
                     "pipe": "not a regular file", "secret": f"symlink to {outside / 'secret.txt'}",
                     "zero": "symlink to /dev/zero"}
    assert hashlib.sha256(b"secret").hexdigest() not in files.values()


def test_a_huge_input_file_is_one_line_not_hashed(tmp_path):
    folder = tmp_path / "report"
    folder.mkdir()
    with open(folder / "huge.bin", "wb") as stream:
        stream.truncate(30 * 10**9)  # sparse: 30 GB that take nothing on disk
    started = time.monotonic()
    with pytest.raises(ReporterError) as info:
        folder_files(folder)
    assert time.monotonic() - started < 5
    assert str(info.value) == (f"error: {folder / 'huge.bin'}: 30,000,000,000 bytes, more than the "
                               f"{INPUT_MAX_BYTES:,} read here; a production run hashes every file of a "
                               f"report or theme folder: move it out")


def test_an_output_folder_inside_the_report_folder_is_no_input(tmp_path):
    folder = tmp_path / "report"
    (folder / "output").mkdir(parents=True)
    (folder / "report.yaml").write_text("a")
    (folder / "output" / "x.pdf").write_text("built")
    assert sorted(folder_files(folder, skip=folder / "output")) == ["report.yaml"]


def test_a_file_name_that_is_not_utf8_is_written_as_text(tmp_path):
    folder = tmp_path / "report"
    folder.mkdir()
    (folder / os.fsdecode(b"caf\xe9.txt")).write_text("x")
    files = folder_files(folder)
    assert list(files) == ["caf\\xe9.txt"]
    out = tmp_path / "out"
    write_manifest(out, {"a.pdf": Entry("a.pdf", "/r", "t", "en", None, "pdf", files, "1", "0" * 64)})
    assert load_manifest(out)["a.pdf"].inputs == files


# --- production runs under signals ----------------------------------------------------------------

def process_tree(root: int) -> set[int]:
    """The pids of `root`'s descendants, from /proc."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            parents.setdefault(int(fields[1]), []).append(int(entry.name))
    found, todo = set(), [root]
    while todo:
        for child in parents.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def alive(pids: set[int]) -> set[int]:
    living = set()
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            living.add(pid)
    return living


@pytest.fixture
def two_slow_folders(tmp_path, example_dir) -> list[Path]:
    folders = []
    for name, subject in (("a", "{en: Los Santos Mine, fr: Mine Los Santos}"), ("b", "{en: Other Mine, fr: Autre mine}")):
        folder = tmp_path / name
        shutil.copytree(example_dir, folder)
        text = (folder / "report.yaml").read_text()
        (folder / "report.yaml").write_text(text.replace("subject: {en: Los Santos Mine, fr: Mine Los Santos}",
                                                         f"subject: {subject}"))
        slow_logo(folder)
        folders.append(folder)
    return folders


def start_run(folders: list[Path], out: Path, tmp: Path) -> subprocess.Popen:
    tmp.mkdir(exist_ok=True)
    return subprocess.Popen([sys.executable, "-m", "reporter", "build", *map(str, folders), "-j", "2", "-o", str(out)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
                            env={**os.environ, "TMPDIR": str(tmp)})


def wait_for_workers(process: subprocess.Popen, seconds: float = 60) -> set[int]:
    """Wait until the run has its fork server and two workers; return its process tree."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError("\n".join(process.communicate()))
        tree = process_tree(process.pid)
        if len(tree) >= 4:  # resource tracker, fork server, two workers
            time.sleep(1.0)  # into the render
            return process_tree(process.pid)
        time.sleep(0.2)
    raise AssertionError("the run never started its workers")


def earlier_outputs(out: Path) -> dict:
    out.mkdir()
    (out / "almonty-los-santos-mine-q3-2011-investor-summary.pdf").write_bytes(b"%PDF earlier a")
    (out / MANIFEST_NAME).write_text('{"documents": [], "manifest_version": 1}\n')
    return snapshot(out)


SIGNALS = [("sigterm", signal.SIGTERM, 143, False), ("sigint", signal.SIGINT, 130, False),
           ("ctrl-c-to-the-group", signal.SIGINT, 130, True)]


@pytest.mark.slow  # starts a process of its own
@pytest.mark.parametrize(("signum", "code", "group"), [s[1:] for s in SIGNALS], ids=[s[0] for s in SIGNALS])
def test_a_signal_stops_a_production_run_at_once_and_writes_nothing(two_slow_folders, tmp_path, signum, code, group):
    out = tmp_path / "out"
    before = earlier_outputs(out)
    process = start_run(two_slow_folders, out, tmp_path / "tmp")
    tree = wait_for_workers(process)
    started = time.monotonic()
    if group:
        os.killpg(process.pid, signum)
    else:
        process.send_signal(signum)
    stdout, stderr = process.communicate(timeout=60)
    assert time.monotonic() - started < 10, stderr
    assert process.returncode == code, (stdout, stderr)
    assert complaints(stderr) == ["interrupted: nothing written"], stderr
    deadline = time.monotonic() + 5
    while alive(tree) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not alive(tree), "a worker or the fork server outlived the run"
    time.sleep(2)  # a worker left behind would write now
    assert snapshot(out) == before
    assert list((tmp_path / "tmp").iterdir()) == []


@pytest.mark.slow  # starts a process of its own
def test_kill_9_of_the_run_ends_its_workers_and_the_next_run_removes_its_temporary_folder(two_slow_folders, tmp_path):
    out = tmp_path / "out"
    before = earlier_outputs(out)
    process = start_run(two_slow_folders, out, tmp_path / "tmp")
    tree = wait_for_workers(process)
    process.kill()
    process.communicate(timeout=30)
    deadline = time.monotonic() + 10
    while alive(tree) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not alive(tree), "workers outlived a run killed with kill -9"
    time.sleep(2)
    assert {k: v for k, v in snapshot(out).items() if k != LOCK_NAME} == before
    left = [p.name for p in (tmp_path / "tmp").iterdir()]  # what kill -9 leaves: the run's own folder
    assert len(left) == 1 and left[0].startswith(f"reporter-{process.pid}-"), left
    quick = subprocess.run([sys.executable, "-m", "reporter", "templates", "context"], capture_output=True,
                           env={**os.environ, "TMPDIR": str(tmp_path / "tmp")}, timeout=60)
    assert quick.returncode == 0
    assert list((tmp_path / "tmp").iterdir()) == []


@pytest.mark.slow  # starts a process of its own
def test_a_second_run_into_the_same_folder_is_refused_in_one_line(two_slow_folders, tmp_path):
    out = tmp_path / "out"
    earlier_outputs(out)
    first = start_run(two_slow_folders, out, tmp_path / "tmp")
    try:
        wait_for_workers(first)
        started = time.monotonic()
        second = subprocess.run([sys.executable, "-m", "reporter", "build", *map(str, two_slow_folders), "-j", "2",
                                 "-o", str(out)], capture_output=True, text=True, timeout=120)
        assert time.monotonic() - started < 30
        assert second.returncode == 1
        assert second.stderr.strip().splitlines() == [
            f"error: {out}: another run is writing this folder (pid {first.pid} on {os.uname().nodename}, since "
            + second.stderr.split("since ", 1)[1].split(")")[0] + "); wait for it to finish, or give another output folder"]
    finally:
        first.send_signal(signal.SIGTERM)
        first.communicate(timeout=60)


@pytest.mark.slow  # starts a process of its own
def test_a_signal_after_a_document_was_built_says_so(two_slow_folders, example_dir, tmp_path):
    """One folder builds quickly, the other slowly: SIGTERM after the first is written keeps it,
    writes nothing else (no manifest), and the message says exactly that."""
    fast = two_slow_folders[0]
    shutil.copy(example_dir / "assets" / "almonty-wordmark.svg", fast / "assets" / "almonty-wordmark.svg")
    out = tmp_path / "out"
    process = start_run(two_slow_folders, out, tmp_path / "tmp")
    first = process.stdout.readline()  # the fast folder's `built` line
    assert first.startswith("built "), first + process.stderr.read()
    process.send_signal(signal.SIGTERM)
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 143, stderr
    assert complaints(stderr) == [
        "interrupted: 1 document built before the signal is kept; nothing else written, manifest.json unchanged "
        "(the next run builds them again)"], stderr
    assert sorted(p.name for p in out.iterdir()) == ["almonty-los-santos-mine-q3-2011-investor-summary.pdf"]
    assert list((tmp_path / "tmp").iterdir()) == []


def test_a_run_that_writes_nothing_leaves_no_output_folder_or_lock(cli, report_dir, tmp_path):
    (report_dir / "report.yaml").write_text("company: [unclosed\n")
    out = tmp_path / "new" / "out"
    result = cli("build", report_dir, "-j", "1", "-o", out)
    assert result.exit_code == 1
    assert str(report_dir / "report.yaml") in result.stderr
    assert not out.exists()


# --- the bounds of one document in a production run --------------------------------------------

def heavy(folder: Path) -> None:
    """A render that takes more memory than the folder allows (1 MB: any render does)."""
    with (folder / "report.yaml").open("a", encoding="utf-8") as settings:
        settings.write("\nlimits:\n  memory_mb: 1\n")


def slow(folder: Path) -> None:
    """A render that takes longer than the folder allows: a logo of many seconds, 2 s allowed."""
    slow_logo(folder)
    with (folder / "report.yaml").open("a", encoding="utf-8") as settings:
        settings.write("\nlimits:\n  render_seconds: 2\n")


@pytest.mark.parametrize(("make", "says"), [
    # 1 MB is passed while the templates render or while the PDF does, as the watchdog first sees it.
    (heavy, ("took more than 1 MB of memory", "(limits.memory_mb in report.yaml, now 1)")),
    (slow, ("the PDF took more than 2 s to render (limits.render_seconds in report.yaml, now 2)",)),
], ids=["memory", "render-seconds"])
def test_a_document_past_its_bounds_in_a_production_run_fails_alone_and_the_run_goes_on(
        two_slow_folders, example_dir, tmp_path, make, says):
    """Workers were not watched: a hostile folder's render could take the machine's memory or run
    for ever. Now it is stopped at its folder's limits with one line, as a one-shot build is, and
    the other folder's document is built and recorded."""
    hostile, fine = two_slow_folders
    for folder in (hostile, fine):
        shutil.copy(example_dir / "assets" / "almonty-wordmark.svg", folder / "assets" / "almonty-wordmark.svg")
    make(hostile)
    out = tmp_path / "out"
    process = start_run([hostile, fine], out, tmp_path / "tmp")
    stdout, stderr = process.communicate(timeout=180)

    assert process.returncode == 1, (stdout, stderr)
    lines = complaints(stderr)
    assert len(lines) == 1 and "Traceback" not in stderr, stderr
    assert all(part in lines[0] for part in says), lines[0]
    assert lines[0].endswith(f"nothing written for {hostile} (investor-summary)"), lines[0]
    built = "almonty-other-mine-q3-2011-investor-summary.pdf"
    assert stdout.splitlines()[0].startswith(f"built     {out / built}"), stdout
    assert stdout.splitlines()[-1].startswith("1 built, 0 unchanged, 1 failed"), stdout
    assert sorted(p.name for p in out.iterdir() if p.name != LOCK_NAME) == sorted([MANIFEST_NAME, built])
    assert list(load_manifest(out)) == [built]
    assert list((tmp_path / "tmp").iterdir()) == []  # the run's stop lines went with its temporary folder


# --- what a killed approve leaves ---------------------------------------------------------------

def dead_pid() -> int:
    """The pid of a process that has ended (and been reaped)."""
    process = subprocess.Popen([sys.executable, "-c", ""])
    process.wait()
    return process.pid


def staging(beside: Path, name: str, pid: int, tail: str = "", files: dict[str, bytes] | None = None) -> Path:
    folder = beside / f".{name}.approve-{pid}-k1ll3d{tail}"
    folder.mkdir()
    for file, data in (files or {"a.pdf": b"%PDF half copied"}).items():
        (folder / file).write_bytes(data)
    return folder


@pytest.mark.slow  # starts a process of its own
def test_approve_removes_what_a_killed_approve_left_and_nothing_else(cli, approval, tmp_path):
    out, approved, home = approval
    dead = dead_pid()
    stale = [staging(tmp_path, "approved", dead), staging(tmp_path, "approved", dead, ".old")]
    running = staging(tmp_path, "approved", os.getpid())  # an approve that still runs
    other = staging(tmp_path, "elsewhere", dead)  # another approved folder's: its own approve cleans it
    link = tmp_path / f".approved.approve-{dead}-l1nk3d"
    link.symlink_to(home)  # never followed, never removed
    before = snapshot(home)

    result = cli("approve", out, approved)

    assert result.exit_code == 0, result.output
    assert not any(os.path.lexists(folder) for folder in stale)
    assert running.is_dir() and other.is_dir() and link.is_symlink()
    assert snapshot(home) == before
    assert (approved / "a.pdf").read_bytes() == b"%PDF new a"


@pytest.mark.slow  # starts a process of its own
def test_approve_stopped_between_its_renames_keeps_the_only_approved_copy_and_says_where(cli, approval, tmp_path):
    """Without renameat2 the swap is two renames; killed between them, the approved folder is
    missing and its documents are in the `.old` folder: never removed, approve says how to restore."""
    out, approved, _ = approval
    earlier = snapshot(approved)
    old = tmp_path / f".approved.approve-{dead_pid()}-k1ll3d.old"
    approved.rename(old)

    result = cli("approve", out, approved)

    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [
        f"error: {approved}: an earlier approve was stopped between two renames: the approved documents are in "
        f"{old}; rename that folder to approved and approve again"]
    assert snapshot(old) == earlier and not os.path.lexists(approved)


@pytest.mark.slow  # starts a process of its own
def test_approve_keeps_other_users_staging_and_never_follows_a_link_inside_one(cli, approval, tmp_path):
    """A stale staging folder is removed without following the links in it (a link to home stays a
    link, home untouched); a pid no process can have (the name overflowed os.kill: a traceback) is
    stale; another user's folder of the same name is theirs and stays."""
    out, approved, home = approval
    before = snapshot(home)
    dead = staging(tmp_path, "approved", dead_pid())
    (dead / "home").symlink_to(home)
    (dead / "keys").symlink_to(home / ".ssh" / "authorized_keys")
    overflowing = staging(tmp_path, "approved", 99999999999999999999)
    theirs = None
    if os.getuid() == 0:  # only root can give a folder to another user
        theirs = staging(tmp_path, "approved", dead_pid(), ".old")
        os.chown(theirs, 54321, 54321)

    result = cli("approve", out, approved)

    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    assert not os.path.lexists(dead) and not os.path.lexists(overflowing)
    assert snapshot(home) == before
    assert theirs is None or theirs.is_dir()
    assert (approved / "a.pdf").read_bytes() == b"%PDF new a"
