"""The command line as a user meets it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from helpers import figure_rows, pdf_pages, table_row


def test_version(cli):
    from reporter import __version__

    result = cli("--version")
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"reporter {__version__}"


@pytest.mark.slow
def test_help_does_not_import_pandas_or_weasyprint():
    code = ("import sys; from typer.testing import CliRunner; from reporter.cli.app import app; "
            "r = CliRunner().invoke(app, ['--help']); assert r.exit_code == 0, r.output; "
            "heavy = [m for m in ('pandas', 'weasyprint', 'babel.numbers', 'nh3') if m in sys.modules]; "
            "print(','.join(heavy))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""


def test_build_without_arguments_makes_the_los_santos_summary(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = cli("build")
    assert result.exit_code == 0, result.output
    assert "using the embedded Los Santos example" in result.stderr  # one line says so
    written = Path(result.stdout.strip())
    assert written == Path("output/almonty-los-santos-mine-q3-2011-investor-summary.pdf")
    assert table_row(pdf_pages(tmp_path / written)[0], "Revenue") == ["$4,421", "$0", "$10,186", "$0"]


def test_build_to_a_named_file_and_html(cli, tmp_path):
    pdf = tmp_path / "briefing.pdf"
    assert cli("build", "-o", pdf).exit_code == 0
    assert pdf.read_bytes().startswith(b"%PDF-")
    html = tmp_path / "briefing.html"
    result = cli("build", "-o", html, "-f", "html")
    assert result.exit_code == 0, result.output
    text = html.read_text()
    assert text.startswith("<!DOCTYPE html>") and "<td class=\"num hanging-close current\">$4,421</td>" in text


def test_html_is_the_document_the_pdf_is_rendered_from(example_dir, tmp_path):
    """Rendering the written HTML with the same renderer gives the very same PDF bytes."""
    from reporter.build.document import build_report
    from reporter.render.pdf import Renderer
    from reporter.build.outputs import OutputFormat

    html = build_report(example_dir, template="investor-summary", theme_dir=None,
                        output=tmp_path / "x.html", output_format=OutputFormat.html)
    pdf = build_report(example_dir, template="investor-summary", theme_dir=None,
                       output=tmp_path / "x.pdf", output_format=OutputFormat.pdf)
    again = Renderer().render(html.read_text(), base_url=example_dir, allowed_roots=[Path("/")],
                              source=str(html))
    assert again == pdf.read_bytes()


def test_bad_format_is_one_line(cli, tmp_path):
    result = cli("build", "-f", "docx", "-o", tmp_path)
    assert result.exit_code == 1
    assert result.stderr.strip() == "error: --format must be pdf or html, got 'docx'"


def test_missing_report_folder_is_one_line(cli, tmp_path):
    result = cli("build", tmp_path / "nowhere")
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [f"error: {tmp_path / 'nowhere'}: no such report folder"]
    assert "Traceback" not in result.output


def test_validate_prints_the_tie_outs(cli):
    result = cli("validate")
    assert result.exit_code == 0, result.output
    assert "8 checks: 6 tie, 2 within rounding (tolerance 1), 0 fail." in result.output
    assert "Income From Mining Operations" in result.output and "1,415" in result.output


def test_validate_fails_on_a_subtotal_off_by_more_than_the_tolerance(cli, report_dir):
    figures = report_dir / "figures.csv"
    figures.write_text(figures.read_text().replace(",9,$837", ",9,$850"))
    result = cli("validate", report_dir)
    assert result.exit_code == 1
    assert "8 checks: 6 tie, 1 within rounding (tolerance 1), 1 fail." in result.stdout
    assert "row 29: Net Income Before Tax and One Time Items" in result.stderr
    assert "lines give 838, published 850" in result.stderr


def test_templates_context_lists_documented_variables(cli):
    result = cli("templates", "context")
    assert result.exit_code == 0
    assert "statement.rows[].cells[].text" in result.output
    assert "The figure formatted" in result.output


def test_templates_list_shows_builtins_and_report_themes(cli, report_dir):
    theme = report_dir / "templates" / "house"
    theme.mkdir(parents=True)
    (theme / "theme.yaml").write_text("name: house\ndescription: Our house style\nextends: investor-summary\n")
    result = cli("templates", "list", report_dir)
    assert result.exit_code == 0, result.output
    assert "investor-summary" in result.output and "built-in" in result.output
    assert "house" in result.output and "Our house style" in result.output and "report folder" in result.output


def test_output_name_must_match_the_format(cli, tmp_path):
    result = cli("build", "-o", tmp_path / "briefing.pdf", "-f", "html")
    assert result.exit_code == 1
    assert result.stderr.strip().endswith("ends in .pdf, but the format is html")
    assert list(tmp_path.iterdir()) == []


def test_build_all_templates_in_one_run(cli, tmp_path):
    result = cli("build", "-t", "all", "-o", tmp_path)
    assert result.exit_code == 0, result.output
    written = sorted(Path(line).name for line in result.stdout.split())
    assert written == [f"almonty-los-santos-mine-q3-2011-{name}.pdf"
                       for name in ("investor-summary", "press-release", "quarterly-briefing")]
    for name in written:
        assert ["$4,421", "$0", "$10,186", "$0"] in figure_rows("\n".join(pdf_pages(tmp_path / name)), "Revenue")


def test_several_templates_need_a_folder(cli, tmp_path):
    result = cli("build", "-t", "all", "-o", tmp_path / "x.pdf")
    assert result.exit_code == 1
    assert result.stderr.strip() == "error: several templates need an output folder, and no --theme"
