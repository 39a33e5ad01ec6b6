"""The folder you are in: with no folder argument, commands work on the report folder you stand in."""

from __future__ import annotations

from pathlib import Path

import pytest

from reporter.inputs.discover import find_report_folder


def test_the_report_folder_is_found_from_a_subfolder_like_git(report_dir):
    notes = report_dir / "notes" / "q3"
    notes.mkdir(parents=True)
    assert find_report_folder(notes) == report_dir.resolve()
    assert find_report_folder(report_dir) == report_dir.resolve()


def test_no_report_folder_above_an_unrelated_folder(tmp_path):
    assert find_report_folder(tmp_path) is None


def test_validate_with_no_argument_checks_the_folder_you_are_in(cli, report_dir, monkeypatch):
    figures = report_dir / "figures.csv"
    figures.write_text(figures.read_text().replace(",9,$837", ",9,$850"))
    (report_dir / "notes").mkdir()
    monkeypatch.chdir(report_dir / "notes")
    result = cli("validate")
    assert result.exit_code == 1, result.output
    assert f"{report_dir.resolve() / 'figures.csv'}, row 29" in result.stderr
    assert "embedded Los Santos example" not in result.output


def test_build_with_no_argument_builds_the_folder_you_are_in(cli, report_dir, tmp_path, monkeypatch):
    settings = report_dir / "report.yaml"
    text = settings.read_text()
    assert "Almonty" in text
    settings.write_text(text.replace("Almonty Industries", "Zephyr Tungsten", 1))
    monkeypatch.chdir(report_dir)
    result = cli("build", "-f", "html", "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    written = Path(result.stdout.strip())
    assert written.parent == tmp_path / "out" and "Zephyr Tungsten" in written.read_text(encoding="utf-8")
    # No note about the embedded example: stderr holds only the folder's rounding differences.
    assert [line.split(":")[0] for line in result.stderr.splitlines()] == ["rounding", "rounding"]


def test_outside_any_report_folder_build_says_it_builds_the_example(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = cli("build", "-f", "html", "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert Path(result.stdout.strip()).name == "almonty-los-santos-mine-q3-2011-investor-summary.html"
    note = [line for line in result.stderr.splitlines() if not line.startswith("rounding: ")]
    assert len(note) == 1 and "embedded Los Santos example" in note[0] and str(tmp_path) in note[0]
    assert result.stderr.splitlines()[-1] == note[0]  # the last line, after the rounding differences


@pytest.mark.parametrize("command", [["validate"], ["templates", "list"]])
def test_a_report_folder_named_on_the_command_line_wins(cli, report_dir, tmp_path, monkeypatch, command):
    monkeypatch.chdir(tmp_path)
    result = cli(*command, report_dir)
    assert result.exit_code == 0, result.output
    assert "embedded Los Santos example" not in result.output


def test_templates_list_shows_the_themes_of_the_folder_you_are_in(cli, report_dir, monkeypatch):
    theme = report_dir / "templates" / "house"
    theme.mkdir(parents=True)
    (theme / "theme.yaml").write_text("name: house\ndescription: Our house style\nextends: investor-summary\n")
    monkeypatch.chdir(theme)
    result = cli("templates", "list")
    assert result.exit_code == 0, result.output
    assert "Our house style" in result.output


def test_templates_messages_finds_a_theme_of_the_folder_you_are_in(cli, report_dir, tmp_path, monkeypatch):
    theme = report_dir / "templates" / "house"
    theme.mkdir(parents=True)
    (theme / "theme.yaml").write_text("name: house\ndescription: Our house style\nextends: investor-summary\n")
    monkeypatch.chdir(report_dir)
    result = cli("templates", "messages", "house", "-o", tmp_path / "house.pot")
    assert result.exit_code == 0, result.output
    assert "messages of house and its parents" in result.stdout
    assert 'msgid "' in (tmp_path / "house.pot").read_text(encoding="utf-8")
