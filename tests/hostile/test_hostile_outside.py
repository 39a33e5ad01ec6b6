"""Hostile folders, round 2: nothing read outside the allowed folders, tracebacks made one line,
control characters kept off the terminal, no temporary folder left behind.

Each probe builds (in process, with the CLI) a copy of Los Santos changed one way, beside an
`outside` folder holding a theme and a secret no build may read, and checks the one line, the
exit code, the time, and that the earlier output is intact.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pypdf
import pytest

SECRET = "SECRET-7d1c"
PDF_NAME = "almonty-los-santos-mine-q3-2011-investor-summary.pdf"


@pytest.fixture
def outside(tmp_path) -> Path:
    """A folder no build may read: a theme with its own theme.yaml and catalog, and a secret file."""
    folder = tmp_path / "outside"
    (folder / "evil-theme" / "locale" / "fr" / "LC_MESSAGES").mkdir(parents=True)
    (folder / "evil-theme" / "theme.yaml").write_text(f"name: evil\nextends: investor-summary\ntitle: {SECRET}\n")
    (folder / "secret.yaml").write_text(f"company:\n  name: {SECRET}\n")
    (folder / "secret.md").write_text(f"# {SECRET}\n")
    return folder


@pytest.fixture
def earlier(tmp_path, cli, example_dir) -> Path:
    out = tmp_path / "out"
    out.mkdir()
    (out / PDF_NAME).write_bytes(b"%PDF earlier")
    return out


def one_line(result, *parts: str) -> str:
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.output + result.stderr
    assert SECRET not in result.output + result.stderr
    for part in parts:
        assert part in lines[0], lines[0]
    return lines[0]


def build(cli, folder: Path, out: Path, *options: str):
    started = time.monotonic()
    result = cli("build", folder, "-o", out, *options)
    assert time.monotonic() - started < 60
    return result


def report_theme(folder: Path, theme_yaml: str) -> None:
    (folder / "templates" / "mine").mkdir(parents=True)
    (folder / "templates" / "mine" / "theme.yaml").write_text(theme_yaml)


# --- extends names a template, never a path ---------------------------------------------------

@pytest.mark.parametrize("extends", ["{outside}/evil-theme", "../../outside/evil-theme", "../../../..", "a/b", ".."],
                         ids=["absolute", "dotdot", "far-dotdot", "nested", "parent"])
def test_extends_names_a_template_not_a_path(cli, report_dir, outside, earlier, extends):
    report_theme(report_dir, f"name: mine\nextends: {extends.format(outside=outside)}\n")
    result = build(cli, report_dir, earlier, "-t", "mine")
    assert result.exit_code == 1
    one_line(result, str(report_dir / "templates" / "mine" / "theme.yaml"), "extends must name a template")
    assert sorted(p.name for p in earlier.iterdir()) == [PDF_NAME]
    assert (earlier / PDF_NAME).read_bytes() == b"%PDF earlier"


def test_a_theme_folder_linked_out_of_the_report_folder_is_refused(cli, report_dir, outside, earlier):
    (report_dir / "templates").mkdir()
    (report_dir / "templates" / "evil").symlink_to(outside / "evil-theme")
    result = build(cli, report_dir, earlier, "-t", "evil")
    assert result.exit_code == 1
    one_line(result, str(report_dir / "templates" / "evil"), "linked out of the report folder")
    assert (earlier / PDF_NAME).read_bytes() == b"%PDF earlier"


def test_a_template_option_that_is_a_path_is_refused(cli, report_dir, outside, earlier):
    result = build(cli, report_dir, earlier, "-t", str(outside / "evil-theme"))
    assert result.exit_code == 1
    one_line(result, "a template is named, not given as a path")


# --- report files and theme.yaml read confined to their folder --------------------------------

@pytest.mark.parametrize(("name", "target"), [("report.yaml", "secret.yaml"), ("commentary.md", "secret.md"),
                                              ("statement.yaml", "secret.yaml"), ("figures.csv", "secret.md")])
def test_a_report_file_linked_outside_is_not_read(cli, report_dir, outside, earlier, name, target):
    (report_dir / name).unlink()
    (report_dir / name).symlink_to(outside / target)
    result = build(cli, report_dir, earlier)
    assert result.exit_code == 1
    one_line(result, str(report_dir / name), "a symlink to a file outside its folder")
    assert (earlier / PDF_NAME).read_bytes() == b"%PDF earlier"


def test_a_theme_yaml_linked_outside_is_not_read(cli, tmp_path, report_dir, outside, earlier):
    theme = tmp_path / "agency"
    theme.mkdir()
    (theme / "theme.yaml").symlink_to(outside / "evil-theme" / "theme.yaml")
    result = build(cli, report_dir, earlier, "--theme", theme)
    assert result.exit_code == 1
    one_line(result, str(theme / "theme.yaml"), "a symlink to a file outside its folder")


def test_a_report_file_linked_inside_its_folder_still_builds(cli, report_dir, tmp_path):
    (report_dir / "notes.md").write_text((report_dir / "commentary.md").read_text())
    (report_dir / "commentary.md").unlink()
    (report_dir / "commentary.md").symlink_to("notes.md")
    result = build(cli, report_dir, tmp_path / "fresh")
    assert result.exit_code == 0, result.output


def test_pdfa_attaches_the_bytes_that_were_checked(report_dir, tmp_path, monkeypatch):
    """statement.yaml swapped for a symlink to a secret after loading: the attachment is the checked file."""
    from reporter.build.document import build_document
    from reporter.build.outputs import OutputFormat
    from reporter.data.report import load_report
    from reporter.theme.resolve import resolve_theme

    checked = (report_dir / "statement.yaml").read_bytes()
    report = load_report(report_dir)
    secret = tmp_path / "secret.yaml"
    secret.write_text(f"# {SECRET}\n")
    (report_dir / "statement.yaml").unlink()
    (report_dir / "statement.yaml").symlink_to(secret)
    written = build_document(report, resolve_theme("investor-summary", report_dir), output=tmp_path / "pdfa",
                             output_format=OutputFormat.pdf, pdf_variant="pdf/a-3b")
    attachments = pypdf.PdfReader(written).attachments
    assert sorted(attachments) == ["commentary.md", "figures.csv", "normalised-figures.csv", "statement.yaml"]
    assert attachments["statement.yaml"] == [checked]
    assert all(SECRET.encode() not in data for values in attachments.values() for data in values)


# --- asset(): the same answer for missing and refused ------------------------------------------

@pytest.mark.parametrize("name", ["nope.css", "../../../../etc/passwd", "/etc/passwd", "out.css", "loop.css"],
                         ids=["missing", "dotdot", "absolute", "symlink-out", "loop"])
def test_asset_answers_the_same_for_missing_and_refused(cli, report_dir, outside, earlier, name):
    (report_dir / "assets" / "out.css").symlink_to(outside / "secret.md")
    (report_dir / "assets" / "loop.css").symlink_to(report_dir / "assets" / "loop.css")
    (report_dir / "templates").mkdir()
    (report_dir / "templates" / "report.html").write_text(
        '{% extends "builtin:investor-summary/report.html" %}\n'
        '{% block extrahead %}<link rel="stylesheet" href="{{ asset(' + repr(name) + ') }}">{% endblock %}\n')
    result = build(cli, report_dir, earlier)
    assert result.exit_code == 1
    line = one_line(result, "report.html:2", f"missing asset {name!r}: no such file in the assets/ folder of ")
    assert line.split("assets/ folder of ", 1)[1] == "templates, investor-summary, base"
    assert "/etc" not in line.split(f"{name!r}", 1)[1] and str(report_dir) not in line.split("missing asset")[1]


# --- tracebacks become one line ----------------------------------------------------------------

def test_a_subject_making_a_file_name_over_255_bytes_is_one_line(cli, report_dir, earlier):
    text = (report_dir / "report.yaml").read_text()
    long = "Mine " * 60
    (report_dir / "report.yaml").write_text(text.replace("subject: {en: Los Santos Mine, fr: Mine Los Santos}",
                                                         f"subject: {{en: {long}, fr: {long}}}"))
    for options in ([], ["-j", "1"]):
        result = build(cli, report_dir, earlier, *options)
        assert result.exit_code == 1
        line = result.stderr.strip().splitlines()[0]
        assert line.startswith(f"error: {report_dir / 'report.yaml'}: the output file name made of "), line
        assert "more than 250; shorten subject" in line
        assert "Traceback" not in result.output
    assert sorted(p.name for p in earlier.iterdir()) == [PDF_NAME]


@pytest.mark.parametrize("name", ["o" * 300 + ".pdf", "o" * 300, "x/" + "o" * 256 + "/y"], ids=["file", "folder", "inner"])
def test_an_output_name_over_255_bytes_is_one_line(cli, example_dir, tmp_path, name):
    result = build(cli, example_dir, tmp_path / name)
    assert result.exit_code == 1
    one_line(result, "--output: the name 'ooooo", "a file or folder name may be at most 255")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("how", ["logo-loop", "assets-loop"])
def test_a_symlink_loop_for_the_logo_or_assets_is_one_line(cli, report_dir, earlier, how):
    logo = report_dir / "assets" / "almonty-wordmark.svg"
    if how == "logo-loop":
        logo.unlink()
        logo.symlink_to(logo)
    else:
        for file in (report_dir / "assets").iterdir():
            file.unlink()
        (report_dir / "assets").rmdir()
        (report_dir / "assets").symlink_to(report_dir / "assets")
    result = build(cli, report_dir, earlier)
    assert result.exit_code == 1
    one_line(result, str(report_dir / "report.yaml"), "company.logo", "cannot be resolved (a symlink loop")
    assert (earlier / PDF_NAME).read_bytes() == b"%PDF earlier"


def test_a_commentary_reference_written_with_escapes_names_the_commentary_line(cli, report_dir, earlier):
    with (report_dir / "commentary.md").open("a") as stream:
        stream.write("\n\nSee ![chart](&#47;etc/p%61sswd) here.\n")
    lines = (report_dir / "commentary.md").read_text().splitlines()
    result = build(cli, report_dir, earlier)
    assert result.exit_code == 1
    one_line(result, f"{report_dir / 'commentary.md'}:{len(lines)}: reference to file:///etc/p%61sswd refused")


# --- the terminal ------------------------------------------------------------------------------

def test_control_characters_in_a_report_key_never_reach_the_terminal(cli, report_dir, earlier):
    with (report_dir / "report.yaml").open("a") as stream:
        stream.write('"tie_out_tolerence\\e]52;c;b3duZWQ=\\a": 1\n')
    result = build(cli, report_dir, earlier)
    assert result.exit_code == 1
    line = one_line(result, "unknown setting `tie_out_tolerence\\x1b]52;c;b3duZWQ=\\x07`")
    assert not any(ch in line for ch in "\x1b\x07")


def test_a_bidi_control_in_a_report_key_is_refused_and_never_printed_raw(cli, report_dir, earlier):
    with (report_dir / "report.yaml").open("a") as stream:
        stream.write('"tie_out_tolerance\\u202e": 1\n')
    result = build(cli, report_dir, earlier)
    assert result.exit_code == 1
    line = one_line(result, "U+202E (RIGHT-TO-LEFT OVERRIDE), is not allowed")
    assert "\u202e" not in line


def test_printable_escapes_what_a_terminal_acts_on():
    from reporter.cli.terminal import printable

    cases = [("plain line", "plain line"), ("tab\tand\nnewline", "tab\tand\nnewline"),
             ("\x1b[31mred\x1b[0m", "\\x1b[31mred\\x1b[0m"), ("bell\x07", "bell\\x07"),
             ("c1 \x9b2J", "c1 \\x9b2J"), ("del\x7f", "del\\x7f"), ("\u202e1,416", "\\u202e1,416"),
             ("\u2066iso\u2069", "\\u2066iso\\u2069"), ("Mine Los Santos, 4 421 $", "Mine Los Santos, 4 421 $")]
    for text, shown in cases:
        assert printable(text) == shown


@pytest.mark.slow  # starts a process of its own
def test_ingest_writes_a_file_name_as_data_never_yaml(tmp_path):
    import shutil

    import yaml

    from reporter.ingest.write import comment_text

    name = "q3\nlimits:\n  figures_rows: 1000000\n\u2028x\x85y.md"
    source = tmp_path / name
    shutil.copy(Path(__file__).parent.parent / "fixtures" / "releases" / "los-santos-q3-2011-press-release.md", source)
    out = tmp_path / "folder"
    result = subprocess.run([sys.executable, "-m", "reporter", "ingest", str(source), "--out", str(out)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    for file in ("report.yaml", "statement.yaml"):
        text = (out / file).read_text()
        assert comment_text(name) in text
        assert "\nlimits:" not in text
        assert "limits" not in (yaml.safe_load(text) or {})
    assert comment_text(name) == '"q3\\nlimits:\\n  figures_rows: 1000000\\n\\u2028x\\u0085y.md"'


# --- no temporary folder left -------------------------------------------------------------------

@pytest.mark.slow  # starts a process of its own
@pytest.mark.parametrize("args", [["-t", "all"], ["--pdf-variant", "pdf/a-3b"]], ids=["one-shot", "pdfa"])
def test_no_temporary_folder_is_left_by_a_build(example_dir, tmp_path, args):
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    result = subprocess.run([sys.executable, "-m", "reporter", "build", str(example_dir), "-o", str(tmp_path / "o"),
                             *args], capture_output=True, text=True, timeout=300,
                            env={**os.environ, "TMPDIR": str(temporary)})
    assert result.returncode == 0, result.stderr
    assert list(temporary.iterdir()) == []


@pytest.mark.slow  # starts a process of its own
def test_a_failed_build_leaves_no_temporary_folder_either(report_dir, tmp_path):
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    with (report_dir / "commentary.md").open("a") as stream:
        stream.write("\n\n![x](/etc/passwd)\n")
    result = subprocess.run([sys.executable, "-m", "reporter", "build", str(report_dir), "-o", str(tmp_path / "o")],
                            capture_output=True, text=True, timeout=300, env={**os.environ, "TMPDIR": str(temporary)})
    assert result.returncode == 1
    assert list(temporary.iterdir()) == []
