"""Compiled templates kept on disk: a new process compiles nothing it compiled before, never
trusts a damaged entry or one written by another version, and writes nothing when the cache is off."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

from reporter.theme.compiled import CompiledTemplates
from reporter.theme.resolve import build_environment

PAGE = "{% for x in items %}{{ x }};{% endfor %}"


@pytest.fixture
def cache_dir(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("REPORTER_CACHE_DIR", str(folder))
    monkeypatch.delenv("REPORTER_FONT_CACHE", raising=False)
    return folder


@pytest.fixture
def templates(tmp_path) -> Path:
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "page.html").write_text(PAGE, encoding="utf-8")
    return folder


def render(folder: Path, cache: CompiledTemplates, monkeypatch) -> tuple[str, list[str]]:
    """Render page.html in a fresh environment with `cache`; return the text and what was compiled."""
    env: jinja2.Environment = build_environment([folder], filters={}, globals_={})
    env.bytecode_cache = cache
    compiled: list[str] = []
    original = env.compile
    monkeypatch.setattr(env, "compile", lambda *a, **k: compiled.append(a[1]) or original(*a, **k))
    return env.get_template("page.html").render(items=[1, 2]), compiled


def entries(cache_dir: Path) -> list[Path]:
    return sorted((cache_dir / "templates").glob("*.code"))


def test_a_new_process_reads_the_compiled_code_from_disk(cache_dir, templates, monkeypatch):
    assert render(templates, CompiledTemplates(), monkeypatch) == ("1;2;", ["page.html"])
    assert len(entries(cache_dir)) == 1
    # A new CompiledTemplates has an empty memory, as a new process does: nothing is compiled.
    assert render(templates, CompiledTemplates(), monkeypatch) == ("1;2;", [])


def test_an_edited_template_is_compiled_again(cache_dir, templates, monkeypatch):
    render(templates, CompiledTemplates(), monkeypatch)
    (templates / "page.html").write_text(PAGE + "!", encoding="utf-8")
    assert render(templates, CompiledTemplates(), monkeypatch) == ("1;2;!", ["page.html"])
    assert len(entries(cache_dir)) == 2


def test_a_damaged_entry_is_never_run(cache_dir, templates, monkeypatch):
    render(templates, CompiledTemplates(), monkeypatch)
    [entry] = entries(cache_dir)
    stored = bytearray(entry.read_bytes())
    stored[-1] ^= 0xFF  # one byte of the code changed: the digest no longer matches
    entry.write_bytes(bytes(stored))
    assert render(templates, CompiledTemplates(), monkeypatch) == ("1;2;", ["page.html"])
    assert render(templates, CompiledTemplates(), monkeypatch) == ("1;2;", [])  # written anew


def test_another_version_of_reporter_never_reads_the_entry(cache_dir, templates, monkeypatch):
    import reporter

    render(templates, CompiledTemplates(), monkeypatch)
    monkeypatch.setattr(reporter, "__version__", reporter.__version__ + ".other")
    assert render(templates, CompiledTemplates(), monkeypatch) == ("1;2;", ["page.html"])
    assert len(entries(cache_dir)) == 2


def test_nothing_is_written_when_the_cache_is_off(cache_dir, templates, monkeypatch):
    monkeypatch.setenv("REPORTER_FONT_CACHE", "off")
    for _ in range(2):
        assert render(templates, CompiledTemplates(), monkeypatch) == ("1;2;", ["page.html"])
    assert not (cache_dir / "templates").exists()


def test_a_damaged_entry_in_a_read_only_cache_costs_speed_never_the_build(cache_dir, templates, monkeypatch):
    render(templates, CompiledTemplates(), monkeypatch)
    [entry] = entries(cache_dir)
    entry.write_bytes(b"torn")

    def read_only(self, missing_ok=False):
        raise PermissionError(13, "Read-only file system", str(self))

    # As root, chmod would not stop a delete or a write: the read-only folder is imitated.
    monkeypatch.setattr(Path, "unlink", read_only)
    monkeypatch.setattr("reporter.cache.write_entry", lambda path, payload: read_only(path))
    assert render(templates, CompiledTemplates(), monkeypatch) == ("1;2;", ["page.html"])
    assert entry.read_bytes() == b"torn"  # still there, never run


@pytest.fixture
def deadline():
    """Fail, rather than hang, when the test takes more than 3 seconds."""
    import signal

    def expired(signum, frame):
        pytest.fail("the build hung on the cache entry")  # no OSError: read_entry would swallow it

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(3)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


@pytest.mark.parametrize("kind", ["fifo", "/dev/zero", "/etc/passwd"])
def test_an_entry_that_is_no_file_of_ours_is_dropped_without_hanging(cache_dir, templates, monkeypatch,
                                                                     deadline, kind):
    import os

    render(templates, CompiledTemplates(), monkeypatch)
    [entry] = entries(cache_dir)
    entry.unlink()
    if kind == "fifo":
        os.mkfifo(entry)  # reading it would wait for a writer forever
    else:
        entry.symlink_to(kind)  # /dev/zero never ends; /etc/passwd is no entry
    assert render(templates, CompiledTemplates(), monkeypatch) == ("1;2;", ["page.html"])
    assert entry.is_file() and not entry.is_symlink()  # written anew, in place of the intruder
    assert Path("/etc/passwd").exists()


def test_a_cache_folder_that_is_a_file_costs_speed_never_the_build(tmp_path, templates, monkeypatch):
    not_a_folder = tmp_path / "cache"
    not_a_folder.write_text("a file", encoding="utf-8")
    monkeypatch.setenv("REPORTER_CACHE_DIR", str(not_a_folder))
    monkeypatch.delenv("REPORTER_FONT_CACHE", raising=False)
    for _ in range(2):
        assert render(templates, CompiledTemplates(), monkeypatch) == ("1;2;", ["page.html"])
    assert not_a_folder.read_text(encoding="utf-8") == "a file"


def give_away(path: Path, change: str, private_mode: int) -> None:
    """Make `path` another user's (as root only), or writable by its group or by everyone."""
    import os

    if change == "another user's":
        if os.getuid() != 0:
            pytest.skip("only root can give a file or folder to another user")
        os.chown(path, 54321, -1)
    else:
        path.chmod(private_mode | (0o020 if change == "group-writable" else 0o002))


@pytest.mark.parametrize("change", ["another user's", "group-writable", "world-writable"])
def test_an_entry_someone_else_could_write_is_never_run(cache_dir, templates, monkeypatch, change):
    """The digest is no signature and compiled code runs outside the sandbox: in a shared cache
    folder, an entry another user owns or may rewrite is compiled afresh, never loaded."""
    render(templates, CompiledTemplates(), monkeypatch)
    [entry] = entries(cache_dir)
    give_away(entry, change, 0o600)
    assert render(templates, CompiledTemplates(), monkeypatch) == ("1;2;", ["page.html"])


@pytest.mark.parametrize("change", ["another user's", "group-writable", "world-writable"])
def test_an_entry_in_a_folder_someone_else_could_write_is_never_run(cache_dir, templates, monkeypatch, change):
    """In a folder others may write, one of our entries renamed over another's name (both ours,
    owner-only and intact) would run another template's code: the folder is checked too."""
    import os

    (templates / "other.html").write_text("other", encoding="utf-8")
    render(templates, CompiledTemplates(), monkeypatch)
    [page_entry] = entries(cache_dir)
    env = build_environment([templates], filters={}, globals_={})
    env.bytecode_cache = CompiledTemplates()
    env.get_template("other.html")
    [other_entry] = set(entries(cache_dir)) - {page_entry}
    folder = cache_dir / "templates"
    give_away(folder, change, 0o700)
    os.replace(other_entry, page_entry)  # what the other user could do in that folder
    assert render(templates, CompiledTemplates(), monkeypatch) == ("1;2;", ["page.html"])


GENERATOR = '''
import jinja2
from jinja2.compiler import CodeGenerator
from jinja2.sandbox import ImmutableSandboxedEnvironment


class Generator(CodeGenerator):
    def visit_Output(self, node, frame):
        self.writeline("yield {mark!r}")
        super().visit_Output(node, frame)


class Sandbox(ImmutableSandboxedEnvironment):
    code_generator_class = Generator
'''


def test_code_compiled_by_an_earlier_code_generator_is_never_run(cache_dir, tmp_path, monkeypatch):
    """reporter's version number stays the same through edits of its code generator
    (reporter.theme.sandbox writes the budget's checks into every template): after a `git pull`
    that changes it, code the earlier generator compiled, lacking a new check, must not be loaded."""
    import importlib
    import sys

    from reporter.theme import compiled

    module = tmp_path / "edited_generator.py"
    module.write_text(GENERATOR.format(mark="old;"), encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "edited_generator", raising=False)
    loader = jinja2.DictLoader({"page.html": "x={{ x }}"})

    def rendered() -> str:
        generator = importlib.import_module("edited_generator")
        env = generator.Sandbox(loader=loader, bytecode_cache=CompiledTemplates())
        return env.get_template("page.html").render(x=1)

    assert rendered() == "old;x=1"
    module.write_text(GENERATOR.format(mark="new;"), encoding="utf-8")
    del sys.modules["edited_generator"]
    compiled._module_digest.cache_clear()  # as a new process starts
    assert rendered() == "new;x=1"


def test_the_folder_is_pruned_oldest_first_and_not_on_every_write(cache_dir, monkeypatch):
    """A cold build writes about 20 entries: scanning a full folder (2,048 entries) for each took
    89 ms, more than the 75 ms of compiling the cache saves."""
    import os
    from collections import Counter

    from reporter.cache import PRUNE_EVERY
    from reporter.theme import compiled

    folder = cache_dir / "templates"
    folder.mkdir(parents=True)
    for age in range(5):
        os.utime(_touch(folder / f"{age:064x}.code"), (1000 + age, 1000 + age))
    compiled.prune_disk(folder, 3)
    assert sorted(p.name for p in folder.iterdir()) == [f"{age:064x}.code" for age in (2, 3, 4)]

    scans: list[Path] = []
    monkeypatch.setattr(compiled, "prune_disk", lambda folder, keep: scans.append(folder))
    monkeypatch.setattr("reporter.cache._writes", Counter())
    code = compile("x = 1", "page.html", "exec")
    for n in range(PRUNE_EVERY + 1):
        compiled.write_disk(f"key{n}", "checksum", code)
    assert scans == [folder, folder]  # the first write, and the PRUNE_EVERY-th after it


def _touch(path: Path) -> Path:
    path.write_bytes(b"")
    return path


def test_pruning_deletes_nothing_but_entries_when_the_folder_is_a_link_elsewhere(cache_dir, tmp_path):
    """`templates` planted as a link to someone's folder in a shared cache folder: their
    files, even named .code, are not entries."""
    from reporter.theme import compiled

    work = tmp_path / "work"
    work.mkdir()
    for name in ("opcodes.code", "notes.txt"):
        (work / name).write_text("theirs", encoding="utf-8")
    cache_dir.mkdir()
    (cache_dir / "templates").symlink_to(work, target_is_directory=True)
    compiled.prune_disk(cache_dir / "templates", 0)
    assert sorted(p.name for p in work.iterdir()) == ["notes.txt", "opcodes.code"]
