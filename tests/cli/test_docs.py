"""The documentation tells the truth: examples run, options exist, the reference is the code's.

- every `console` block of README.md and docs/ is run (in a folder holding the Los Santos example
  as `los-santos/` and a broken copy as `broken/`) and its output compared line for line;
- every `reporter ...` line of a `sh` block names a real command and only options it has;
- docs/reference/ is what `python -m reporter.cli.reference` writes from the code;
- the site builds with `mkdocs build --strict`.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import typer

from helpers import REPO
from reporter.cli.app import app
from reporter.cli.reference import reference_pages
from reporter.data.report import default_report_dir

DOCS = REPO / "docs"
PAGES = [REPO / "README.md", *sorted(p for p in DOCS.rglob("*.md") if "reference" not in p.parts)]
FENCE = re.compile(r"^```(\w+)\n(.*?)^```", re.M | re.S)


def blocks(kind: str) -> list[tuple[Path, str]]:
    return [(page, body) for page in PAGES for lang, body in FENCE.findall(page.read_text(encoding="utf-8"))
            if lang == kind]


def console_examples() -> list[tuple[str, str, list[str]]]:
    """(page, command, expected output lines) for each `$ ` line of the console blocks."""
    examples = []
    for page, body in blocks("console"):
        for chunk in re.split(r"^(?=\$ )", body, flags=re.M):
            if chunk.startswith("$ "):
                command, *output = chunk.rstrip("\n").split("\n")
                examples.append((page.relative_to(REPO).as_posix(), command[2:], output))
    return examples


def shell_lines() -> list[tuple[str, str]]:
    """(page, command line) for each `reporter ...` line of the sh blocks that is not a synopsis."""
    found = []
    for page, body in blocks("sh"):
        for line in body.replace("\\\n", " ").splitlines():  # continued lines as one
            line = line.split("  #")[0].strip()
            line = re.sub(r"^.*&&\s*", "", line)  # `cd q3-2024 && reporter validate`
            if line.startswith("reporter ") and "[" not in line and "..." not in line:
                found.append((page.relative_to(REPO).as_posix(), line))
    return found


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("docs")
    shutil.copytree(default_report_dir(), folder / "los-santos")
    shutil.copytree(default_report_dir(), folder / "broken")
    figures = folder / "broken" / "figures.csv"
    figures.write_text(figures.read_text(encoding="utf-8").replace('"$4,421"', '"$44x1"', 1), encoding="utf-8")
    return folder


def test_the_docs_have_runnable_examples():
    assert len(console_examples()) >= 3 and len(shell_lines()) >= 10


@pytest.mark.slow
@pytest.mark.parametrize("page, command, expected", console_examples(), ids=lambda v: v if isinstance(v, str) else "")
def test_console_example_prints_what_the_docs_say(workdir, page, command, expected):
    argv = shlex.split(command)
    assert argv[0] == "reporter", f"{page}: {command}"
    result = subprocess.run([sys.executable, "-m", "reporter", *argv[1:]], cwd=workdir, capture_output=True,
                            text=True, timeout=300, env={**os.environ, "COLUMNS": "100"})
    printed = (result.stdout + result.stderr).replace(f"{workdir}/", "").rstrip("\n").split("\n")
    assert printed == expected, f"{page}: `{command}` printed:\n" + "\n".join(printed)


@pytest.mark.parametrize("page, line", shell_lines(), ids=lambda v: v if isinstance(v, str) else "")
def test_every_shell_example_names_real_commands_and_options(page, line):
    words = shlex.split(line.replace("$EDITOR", "editor"))[1:]
    command = typer.main.get_command(app)
    while hasattr(command, "commands") and words and not words[0].startswith("-"):
        name = words.pop(0)
        assert name in command.commands, f"{page}: `{line}`: no command {name!r}"
        command = command.commands[name]
    known = {opt for param in command.params for opt in (*param.opts, *param.secondary_opts)} | {"--help", "-h"}
    for word in words:
        if word.startswith("-") and word != "-":
            assert word.split("=")[0] in known, f"{page}: `{line}`: {command.name} has no option {word!r}"


def test_the_reference_is_generated_from_the_code():
    for name, text in reference_pages().items():
        committed = (DOCS / "reference" / name).read_text(encoding="utf-8")
        assert committed == text, f"docs/reference/{name} is stale: run make docs"


@pytest.mark.slow
def test_the_site_builds_strictly(tmp_path):
    pytest.importorskip("mkdocs", reason="NOT RUN: mkdocs is a test dependency; pip install -e .[test]")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-d", str(tmp_path)],
                            cwd=REPO, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "tutorial" / "index.html").is_file()


def test_the_readme_is_short_and_points_at_the_docs():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 150
    for link in re.findall(r"\]\((docs/[^)#]+)\)", readme):
        assert (REPO / link).is_file(), link
