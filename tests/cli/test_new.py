"""`reporter new DIR`: a report folder to start from, that validates and builds as a draft at once."""

from __future__ import annotations

from pathlib import Path

from helpers import pdf_pages, table_row


def test_new_skeleton_validates_and_builds_as_a_draft(cli, tmp_path, monkeypatch):
    result = cli("new", tmp_path / "q1")
    assert result.exit_code == 0, result.output
    folder = tmp_path / "q1"
    assert sorted(p.name for p in folder.iterdir()) == ["commentary.md", "figures.csv", "report.yaml", "statement.yaml"]
    settings = (folder / "report.yaml").read_text(encoding="utf-8")
    assert settings.count("\n#") >= 5 and "reporter new" in settings and "reporter ingest" not in settings
    monkeypatch.chdir(folder)  # the folder you are in
    checked = cli("validate")
    assert checked.exit_code == 0, checked.output
    assert "4 checks: 4 tie, 0 within rounding (tolerance 1), 0 fail." in checked.stdout
    assert "placeholders: " in checked.stdout and "TODO left in" in checked.stdout
    draft = cli("build", "--draft", "-o", tmp_path / "out")
    assert draft.exit_code == 0, draft.output
    pages = pdf_pages(Path(draft.stdout.strip()))
    assert "DRAFT" in pages[0]
    assert table_row(pages[0], "Revenue") == ["$1,000", "$900"]
    refused = cli("build", "-o", tmp_path / "final")
    assert refused.exit_code == 1
    assert refused.stderr.strip().splitlines() == [refused.stderr.strip()]
    assert f"{folder.resolve() / 'commentary.md'}:2: placeholder left" in refused.stderr
    assert not (tmp_path / "final").exists()


def test_new_example_is_the_los_santos_report(cli, tmp_path, example_dir):
    result = cli("new", tmp_path / "ls", "--example")
    assert result.exit_code == 0, result.output
    copied = sorted(p.relative_to(tmp_path / "ls") for p in (tmp_path / "ls").rglob("*") if p.is_file())
    original = sorted(p.relative_to(example_dir) for p in example_dir.rglob("*")
                      if p.is_file() and "__pycache__" not in p.parts)
    assert copied == original and len(copied) >= 5
    assert all((tmp_path / "ls" / name).read_bytes() == (example_dir / name).read_bytes() for name in copied)
    built = cli("build", tmp_path / "ls", "-o", tmp_path / "out")
    assert built.exit_code == 0, built.output
    assert table_row(pdf_pages(Path(built.stdout.strip()))[0], "Revenue") == ["$4,421", "$0", "$10,186", "$0"]


def test_new_into_an_empty_folder_works_and_into_a_full_one_is_one_line(cli, tmp_path):
    (tmp_path / "empty").mkdir()
    assert cli("new", tmp_path / "empty").exit_code == 0
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "notes.txt").write_text("mine")
    for args in (["new", tmp_path / "full"], ["new", tmp_path / "full", "--example"]):
        result = cli(*args)
        assert result.exit_code == 1
        assert result.stderr.strip() == f"data error: {tmp_path / 'full'}: already exists and is not empty; choose a new folder"
    assert [p.name for p in (tmp_path / "full").iterdir()] == ["notes.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty", "full"]  # no staging folder left
