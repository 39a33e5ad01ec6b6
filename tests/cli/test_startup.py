"""Start-up: what a command imports and starts before it does its work, and the GC policy.

Each probe runs in a fresh interpreter, because this test process has long imported everything.
"""

from __future__ import annotations

import gc
import json
import subprocess
import sys

import pytest

from reporter.render.gcpolicy import paused_collection

HELP_COMMANDS = [[], ["build"], ["validate"], ["preview"], ["ingest"], ["templates"],
                 ["templates", "list"], ["templates", "init"], ["templates", "context"]]


def probe(code: str) -> dict:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.slow
@pytest.mark.parametrize("command", HELP_COMMANDS, ids=lambda c: " ".join(c) or "reporter")
def test_help_imports_no_heavy_library(command):
    result = probe(f"""
import json, sys, io, contextlib
sys.argv = ["reporter", *{command!r}, "--help"]
from reporter.cli.app import app
out = io.StringIO()
with contextlib.redirect_stdout(out):
    try:
        app()
    except SystemExit:
        pass
heavy = [m for m in ("pydantic", "pandas", "weasyprint", "fontTools", "jinja2", "rich") if m in sys.modules]
print(json.dumps({{"heavy": heavy, "help": out.getvalue()}}))
""")
    assert result["heavy"] == []
    assert "Usage: reporter" in result["help"] and "--help" in result["help"]
    assert "default: False" not in result["help"]  # the lean help flag does not show


@pytest.mark.slow
@pytest.mark.parametrize("command", [["validate", "{example}", "--json"],
                                     ["build", "{example}", "-t", "press-release", "--lang", "fr_CA", "-f", "html",
                                      "-o", "{out}"],
                                     ["build", "{example}", "--jobs", "1", "--theme", "{theme}",
                                      "-f", "html", "-o", "{out}/run"]],
                         ids=["validate", "build", "production-run"])
def test_a_command_reads_its_options_without_pydantic(command, example_dir, tmp_path):
    """Typer coerces option values through pydantic (0.13 s of CPU before any work): reporter's
    commands take str, int, bool and Path values, coerced without it (reporter.cli.coercion)."""
    from reporter.theme.resolve import available_themes

    theme = next(t.folder for t in available_themes() if t.name == "investor-summary")
    words = [w.format(example=example_dir, out=tmp_path, theme=theme) for w in command]
    result = probe(f"""
import json, sys, io, contextlib
from reporter.cli.app import app
out, err = io.StringIO(), io.StringIO()
with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
    try:
        app({words!r})
        code = 0
    except SystemExit as exit:
        code = exit.code
print(json.dumps({{"code": code, "pydantic": "pydantic" in sys.modules, "out": out.getvalue(), "err": err.getvalue()}}))
""")
    assert result["code"] in (0, None), result
    assert result["pydantic"] is False
    if command[0] == "validate":
        assert json.loads(result["out"])["tie_outs"]
    else:
        assert list(tmp_path.rglob("*.html")), result


@pytest.mark.parametrize(("words", "says"), [
    (["build", "--jobs", "0"], "Invalid value for '--jobs' / '-j': Input should be greater than or equal to 1"),
    (["build", "--jobs", "two"], "Invalid value for '--jobs' / '-j': Input should be a valid integer"),
    (["build", "--jobs", "\uff12"], "Invalid value for '--jobs' / '-j': Input should be a valid integer"),
    (["build", "--jobs", "9" * 5000], "Invalid value for '--jobs' / '-j': Unable to parse input string as an "
                                       "integer, exceeded maximum size"),
    # Whitespace to Python's regular expressions, not to int(): a traceback, before Typer had it.
    (["build", "--jobs", "\x1c2"], "Invalid value for '--jobs' / '-j': Input should be a valid integer"),
    (["preview", "--port", "8000\x1f"], "Invalid value for '--port': Input should be a valid integer"),
    # No command line holds a NUL, but the Python API's app([...]) may: os.stat refuses it.
    (["build", "--theme", "a\x00b"], "Invalid value for '--theme': Value error, embedded null byte"),
    (["preview", "--port", "70000"], "Invalid value for '--port': Input should be less than or equal to 65535"),
    (["build", "--theme", "/no/such/theme"], "Invalid value for '--theme': dir '/no/such/theme' does not exist."),
    (["diff", "{example}", "{example}"], "Invalid value for 'old': file '{example}' is a directory."),
])
def test_a_value_typer_refuses_gets_typers_own_message(cli, example_dir, words, says):
    """The lean coercion hands a value it does not take to typer, whose message the user gets."""
    result = cli(*[w.format(example=example_dir) for w in words])
    assert result.exit_code == 2
    assert says.format(example=example_dir) in " ".join(result.output.split())


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the short cut is for Linux only")
def test_importing_weasyprint_starts_no_process():
    result = probe("""
import json, subprocess
started = []
real = subprocess.Popen.__init__
def spy(self, args, *a, **k):
    started.append(str(args))
    return real(self, args, *a, **k)
subprocess.Popen.__init__ = spy
import reporter.render.pdf
import weasyprint.text.ffi as ffi
print(json.dumps({"started": started, "pango": bool(ffi.pango), "harfbuzz": bool(ffi.harfbuzz)}))
""")
    assert result == {"started": [], "pango": True, "harfbuzz": True}


@pytest.mark.slow
def test_weasyprint_import_falls_back_to_the_real_lookup():
    """Where a library loads only through find_library, the import is retried the slow way."""
    result = probe("""
import json, ctypes.util, cffi
real_find = ctypes.util.find_library
real_dlopen = cffi.FFI.dlopen
def dlopen(self, name, *args):
    if ctypes.util.find_library is not real_find:
        raise OSError("pretend this machine needs find_library")
    return real_dlopen(self, name, *args)
cffi.FFI.dlopen = dlopen
from reporter.render.native import import_weasyprint
import_weasyprint()
import weasyprint, weasyprint.text.ffi as ffi
print(json.dumps({"pango": bool(ffi.pango), "html": hasattr(weasyprint, "HTML"),
                  "restored": ctypes.util.find_library is real_find}))
""")
    assert result == {"pango": True, "html": True, "restored": True}


def test_render_runs_with_collection_paused_and_collects_after(monkeypatch, example_dir, tmp_path):
    from reporter.build.document import build_report
    from reporter.render.pdf import Renderer
    from reporter.build.outputs import OutputFormat

    states, collections = [], []
    real_render = Renderer.render

    def render(self, *args, **kwargs):
        states.append(gc.isenabled())
        return real_render(self, *args, **kwargs)

    monkeypatch.setattr(Renderer, "render", render)
    monkeypatch.setattr(gc, "collect", lambda *a: collections.append(a) or 0)
    build_report(example_dir, template="investor-summary", theme_dir=None, output=tmp_path,
                 output_format=OutputFormat.pdf)
    assert states == [False] and collections == [()] and gc.isenabled()


def test_paused_collection_restores_state_on_error():
    assert gc.isenabled()
    with pytest.raises(ValueError):
        with paused_collection():
            assert not gc.isenabled()
            raise ValueError
    assert gc.isenabled()
    gc.disable()
    try:
        with paused_collection():
            pass
        assert not gc.isenabled()  # a caller that had turned it off keeps it off
    finally:
        gc.enable()


def test_the_cli_collects_after_every_document_but_the_last(monkeypatch, cli, example_dir, tmp_path):
    """`reporter build` exits after its last document (run() calls os._exit), so collecting the
    render's cycles then only costs time; every earlier document is still collected after."""
    from reporter.render.pdf import Renderer

    events = []
    real_render = Renderer.render

    def render(self, *args, **kwargs):
        events.append("render")
        return real_render(self, *args, **kwargs)

    monkeypatch.setattr(Renderer, "render", render)
    monkeypatch.setattr(gc, "collect", lambda *a: events.append("collect") or 0)
    result = cli("build", example_dir, "--lang", "all", "-o", tmp_path)
    assert result.exit_code == 0, result.output
    assert events == ["render", "collect", "render"] and gc.isenabled()
    assert len(list(tmp_path.glob("*.pdf"))) == 2
