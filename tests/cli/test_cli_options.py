"""Options that contradict each other are errors; --help shows choices, in full, and stays fast."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest


def theme_folder(tmp_path: Path, name: str = "northwind") -> Path:
    folder = tmp_path / name
    folder.mkdir()
    (folder / "theme.yaml").write_text(f"name: {name}\nextends: investor-summary\n")
    return folder


def one_line_error(result) -> str:
    assert result.exit_code == 1, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_template_and_theme_together_is_an_error(cli, tmp_path):
    theme = theme_folder(tmp_path)
    line = one_line_error(cli("build", "-t", "quarterly-briefing", "--theme", theme, "-o", tmp_path / "out"))
    assert line.startswith(f"error: -t quarterly-briefing and --theme {theme} both say what to build")
    assert not (tmp_path / "out").exists()


def test_theme_given_twice_is_an_error(cli, tmp_path):
    first, second = theme_folder(tmp_path, "a"), theme_folder(tmp_path, "b")
    line = one_line_error(cli("build", "--theme", first, "--theme", second, "-o", tmp_path / "out"))
    assert line == f"error: --theme given 2 times ({first}, {second}); give one theme folder"


def test_preview_refuses_the_same_conflicts(cli, tmp_path):
    theme = theme_folder(tmp_path)
    line = one_line_error(cli("preview", "-t", "press-release", "--theme", theme, "-o", tmp_path / "out"))
    assert "both say what to build" in line


def test_a_theme_folder_given_to_t_hints_at_theme(cli, tmp_path, monkeypatch):
    theme_folder(tmp_path)
    monkeypatch.chdir(tmp_path)
    line = one_line_error(cli("build", "-t", "northwind", "-o", tmp_path / "out"))
    assert line.startswith("theme error: unknown template 'northwind'; the available templates are: ")
    assert line.endswith("'northwind' is a theme folder: build it with --theme northwind")


def test_an_unknown_template_name_has_no_folder_hint(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    line = one_line_error(cli("build", "-t", "northwind", "-o", tmp_path / "out"))
    assert "--theme" not in line


@pytest.mark.parametrize("folder", ["q3.2021dir", "q3.2021", "v1.pdfs"])
def test_an_output_folder_may_have_a_dot(cli, tmp_path, folder):
    out = tmp_path / "out" / folder
    result = cli("build", "-t", "all", "-o", out)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        f"almonty-los-santos-mine-q3-2011-{name}.pdf"
        for name in ("investor-summary", "press-release", "quarterly-briefing")]


def test_an_existing_folder_named_like_a_file_is_a_folder(cli, tmp_path):
    out = tmp_path / "review.pdf"
    out.mkdir()
    result = cli("build", "-o", out)
    assert result.exit_code == 0, result.output
    assert Path(result.stdout.strip()).parent == out


def test_a_file_name_still_names_the_file(cli, tmp_path):
    result = cli("build", "-o", tmp_path / "q3.summary.pdf")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "q3.summary.pdf").is_file()


@pytest.mark.parametrize("command", [["build"], ["preview"], ["ingest"], ["validate"], ["templates", "init"],
                                     ["templates", "list"], ["templates", "context"], []])
def test_help_shows_choices_not_python_types(cli, command):
    result = cli(*command, "--help")
    assert result.exit_code == 0, result.output
    options = result.output[result.output.index("Options:"):]  # arguments keep Typer's <dir>, <file>
    for python_type in ("<str>", "<list[str]>", "<int>", "<bool>", "<path>"):
        assert python_type not in options


def test_build_help_names_the_choices(cli):
    output = " ".join(cli("build", "--help").output.split())
    assert "-t, --template NAME" in output
    assert "-f, --format [pdf|html]" in output
    assert "--theme DIR" in output
    assert "investor-summary (the default), quarterly-briefing, press-release" in output


@pytest.mark.parametrize("command", [[], ["templates"]])
def test_command_summaries_are_not_cut(cli, command):
    output = cli(*command, "--help").output
    assert "..." not in output[output.index("Commands:"):]
    from reporter.cli.app import app

    typer_app = app if not command else next(g.typer_instance for g in app.registered_groups
                                              if g.name == command[0])
    assert typer_app.registered_commands
    for registered in typer_app.registered_commands:
        summary = registered.callback.__doc__.strip().splitlines()[0]
        assert summary in " ".join(output.split())


@pytest.mark.slow
def test_help_imports_neither_pandas_nor_weasyprint():
    code = ("import sys\nfrom typer.testing import CliRunner\nfrom reporter.cli.app import app\n"
            "for args in (['--help'], ['build', '--help'], ['preview', '--help']):\n"
            "    assert CliRunner().invoke(app, args).exit_code == 0\n"
            "print(sorted(m for m in ('pandas', 'weasyprint', 'jinja2') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
