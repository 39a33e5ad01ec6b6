"""One commentary: read once, with its lines; the fact check, the placeholder check and validate take it."""

from __future__ import annotations

from pathlib import Path

import pytest

from reporter.data.factcheck import CheckStatus, check_commentary
from reporter.data.report import check_report, load_report
from reporter.errors import DataError
from reporter.inputs.commentary import parse_commentary


def test_a_build_reads_the_commentary_from_disk_once(monkeypatch, report_dir, tmp_path):
    from reporter.build.document import build_report
    from reporter.build.outputs import OutputFormat
    from reporter.inputs import commentary as commentary_module

    reads = []
    real = commentary_module.read_text
    monkeypatch.setattr(commentary_module, "read_text", lambda path, **kw: reads.append(path.name) or real(path, **kw))
    opened = []
    real_read_text = Path.read_text
    monkeypatch.setattr(Path, "read_text", lambda self, *a, **kw: opened.append(self.name) or real_read_text(self, *a, **kw))
    build_report(report_dir, template="investor-summary", theme_dir=None, output=tmp_path,
                 output_format=OutputFormat.html)
    assert reads == ["commentary.md"]
    assert "commentary.md" not in opened  # neither the fact check nor the placeholder check reads it again


def test_amounts_in_front_matter_keep_the_lines_the_yaml_parser_gives(example_dir):
    report = load_report(example_dir)
    text = ("---\n"
            "headline: >-\n"
            "  Results for the quarter\n"
            "  with $9.9 million revenue\n"
            "quote:\n"
            "  speaker: Someone\n"
            "  text: 'Revenue was $4.4 million in the three months ended June 30, 2011.'\n"
            "footnote: \"Cost of sales was\n"
            "  $3.0 million.\"\n"
            "---\n"
            "Body.\n")
    findings = check_commentary(parse_commentary(text, Path("commentary.md")), report.figures,
                                report.statement, report.settings)
    assert [(f.line, f.status) for f in findings] == [
        (4, CheckStatus.FAILS), (7, CheckStatus.TIES), (9, CheckStatus.TIES)]


def test_a_placeholder_in_the_translation_stops_the_translated_build(report_dir):
    french = report_dir / "commentary.fr.md"
    lines = french.read_text(encoding="utf-8").splitlines(keepends=True)
    todo_line = len(lines) + 2  # after a blank line
    french.write_text("".join(lines) + "\nTODO: traduire le dernier paragraphe.\n", encoding="utf-8")
    report = load_report(report_dir)
    check_report(report)  # the English document has none
    with pytest.raises(DataError) as error:
        check_report(report.in_language("fr_CA"))
    assert str(error.value).startswith(f"data error: {french}:{todo_line}: placeholder left")
    assert check_report(report.in_language("fr_CA"), draft=True).draft


def test_validate_lists_placeholders_of_every_language(cli, report_dir):
    french = report_dir / "commentary.fr.md"
    french.write_text(french.read_text(encoding="utf-8") + "\nTODO: traduire.\n", encoding="utf-8")
    result = cli("validate", report_dir)
    assert result.exit_code == 0, result.output
    assert f"placeholders: 1 TODO left in {french}" in result.stdout


def test_a_checked_report_is_checked_in_its_own_language_only(example_dir):
    from reporter.data.report import CheckedReport

    checked = check_report(load_report(example_dir))
    assert isinstance(checked, CheckedReport)
    assert checked.in_language(checked.language.tag) is checked
    assert not isinstance(checked.in_language("fr_CA"), CheckedReport)
