"""TODO placeholders stop a build; --draft builds anyway, with DRAFT on every page and in the name."""

from __future__ import annotations

from pathlib import Path

from helpers import pdf_pages, FIXTURES

SEED_TABLE = FIXTURES / "ingest" / "los-santos-seed-table.tsv"


def ingested(cli, tmp_path: Path) -> Path:
    out = tmp_path / "q3"
    result = cli("ingest", SEED_TABLE, "--out", out, "--fiscal-year-end", "09-30")
    assert result.exit_code == 0, result.output
    return out


def test_ingested_placeholders_refuse_a_build_with_file_and_line(cli, tmp_path):
    folder = ingested(cli, tmp_path)
    result = cli("build", folder, "-o", tmp_path / "out")
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"data error: {folder / 'commentary.md'}:2: placeholder left: \"headline: 'TODO: one-sentence "
        "headline naming the period and its key figure'\" (15 placeholders in all); fill it in, or "
        "build a draft with --draft")
    assert not (tmp_path / "out").exists()


def test_one_placeholder_in_the_seed_commentary(cli, report_dir, tmp_path):
    path = report_dir / "commentary.md"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    number = next(i for i, line in enumerate(lines, 1) if line.startswith("## Exploration")) + 2
    lines[number - 1] = "TODO: say what exploration found.\n"
    path.write_text("".join(lines), encoding="utf-8")
    result = cli("build", report_dir, "-o", tmp_path / "out")
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"data error: {path}:{number}: placeholder left: 'TODO: say what exploration found.'; "
        "fill it in, or build a draft with --draft")
    assert not (tmp_path / "out").exists()


def test_draft_marks_every_page_and_the_file_name(cli, tmp_path):
    folder = ingested(cli, tmp_path)
    result = cli("build", folder, "-o", tmp_path / "out", "-t", "quarterly-briefing", "--draft")
    assert result.exit_code == 0, result.output
    written = Path(result.stdout.strip())
    assert written.name == "company-name-q3-2011-quarterly-briefing-draft.pdf"
    pages = pdf_pages(written)
    assert len(pages) > 2
    assert all(page.count("DRAFT") == 1 for page in pages), [p[:80] for p in pages]


def test_draft_html_carries_the_mark(cli, tmp_path):
    folder = ingested(cli, tmp_path)
    result = cli("build", folder, "-o", tmp_path / "out", "-f", "html", "--draft")
    assert result.exit_code == 0, result.output
    html = Path(result.stdout.strip()).read_text(encoding="utf-8")
    assert Path(result.stdout.strip()).name.endswith("-investor-summary-draft.html")
    assert html.count('<div class="reporter-draft-mark" aria-hidden="true">DRAFT</div>') == 1


def test_a_finished_report_is_not_marked(built_pdfs):
    assert built_pdfs
    for path in built_pdfs.values():
        assert "draft" not in path.name
        assert not any("DRAFT" in page for page in pdf_pages(path))


def test_validate_lists_placeholders_without_failing(cli, tmp_path):
    folder = ingested(cli, tmp_path)
    result = cli("validate", folder)
    assert result.exit_code == 0, result.output
    assert (f"placeholders: 15 TODO left in {folder / 'commentary.md'} (first on line 2); build refuses "
            "them without --draft") in result.stdout


def test_validate_says_nothing_of_placeholders_when_there_are_none(cli, example_dir):
    result = cli("validate", example_dir)
    assert result.exit_code == 0 and "placeholders:" not in result.stdout


def test_two_draft_builds_are_byte_identical(cli, tmp_path):
    folder = ingested(cli, tmp_path)
    first = cli("build", folder, "-o", tmp_path / "a", "--draft")
    second = cli("build", folder, "-o", tmp_path / "b", "--draft")
    assert first.exit_code == second.exit_code == 0
    assert Path(first.stdout.strip()).read_bytes() == Path(second.stdout.strip()).read_bytes()
