"""The Python API: reporter.build, reporter.validate, reporter.production_run, used as a pipeline would."""

from __future__ import annotations

import json
import subprocess
import sys
from importlib.resources import files
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from pypdf import PdfReader

import reporter
from helpers import table_row


def page_texts(pdf: bytes) -> list[str]:
    document = pdfium.PdfDocument(pdf)
    try:
        return [page.get_textpage().get_text_range().replace("\r\n", "\n") for page in document]
    finally:
        document.close()


def test_build_returns_the_pdf_bytes_the_cli_writes(cli, example_dir, tmp_path):
    pdf = reporter.build(example_dir)
    assert isinstance(pdf, bytes) and pdf.startswith(b"%PDF-")
    result = cli("build", example_dir, "-o", tmp_path / "cli.pdf")
    assert result.exit_code == 0, result.output
    assert pdf == (tmp_path / "cli.pdf").read_bytes()
    assert table_row(page_texts(pdf)[0], "Revenue") == ["$4,421", "$0", "$10,186", "$0"]
    assert list(tmp_path.iterdir()) == [tmp_path / "cli.pdf"]  # the API wrote nothing


def test_build_in_french_as_a_press_release(example_dir):
    text = "\n".join(page_texts(reporter.build(example_dir, template="press-release", lang="fr_CA")))
    assert "4 421" in text.replace("\u202f", " ").replace("\u00a0", " ")


def test_build_to_a_folder_or_a_file_returns_the_path(example_dir, tmp_path):
    written = reporter.build(str(example_dir), output=tmp_path / "out")
    assert written == tmp_path / "out" / "almonty-los-santos-mine-q3-2011-investor-summary.pdf"
    named = reporter.build(example_dir, output=tmp_path / "q3.pdf", pdf_variant="pdf/a-3b")
    assert named == tmp_path / "q3.pdf"
    assert "figures.csv" in PdfReader(named).attachments  # PDF/A-3b carries the figures


def test_build_of_the_folder_you_are_in(report_dir, monkeypatch):
    settings = report_dir / "report.yaml"
    settings.write_text(settings.read_text().replace("Almonty Industries", "Zephyr Tungsten", 1))
    monkeypatch.chdir(report_dir)
    assert "Zephyr Tungsten" in "\n".join(page_texts(reporter.build(draft=True)))


def test_mistakes_raise_the_reporter_error_family_and_write_nothing(report_dir, tmp_path):
    figures = report_dir / "figures.csv"
    figures.write_text(figures.read_text().replace(",9,$837", ",9,$850"))
    with pytest.raises(reporter.StatementError) as caught:
        reporter.build(report_dir, output=tmp_path / "out")
    assert isinstance(caught.value, reporter.ReporterError)
    assert "figures.csv" in str(caught.value) and "\n" not in str(caught.value)
    assert not (tmp_path / "out").exists()
    with pytest.raises(reporter.ReporterError, match="no such report folder"):
        reporter.build(tmp_path / "nowhere")
    with pytest.raises(reporter.ReporterError, match="pdf_variant must be one of"):
        reporter.build(report_dir, pdf_variant="pdf/x")
    with pytest.raises(reporter.ThemeError):
        reporter.build(report_dir, template="northwind")


def test_validate_returns_objects(report_dir):
    found = reporter.validate(report_dir)
    assert isinstance(found, reporter.Validation) and found.ok
    assert len(found.tie_outs) == 8 and all(t.status.value in ("ties", "rounding") for t in found.tie_outs)
    assert [f.line for f in found.commentary if f.status.value == "not checked"] == [59, 62]  # en, fr
    figures = report_dir / "figures.csv"
    figures.write_text(figures.read_text().replace(",9,$837", ",9,$850"))
    found = reporter.validate(report_dir)
    assert not found.ok and [(t.source_row, str(t.published)) for t in found.failed_tie_outs] == [(29, "850")]


def test_validate_of_an_unreadable_folder_raises(report_dir):
    (report_dir / "report.yaml").write_text("company: [\n")
    with pytest.raises(reporter.DataError) as caught:
        reporter.validate(report_dir)
    assert caught.value.file is not None and Path(caught.value.file).name == "report.yaml"


def test_production_run_returns_one_outcome_per_document(report_dir, tmp_path):
    outcomes = reporter.production_run([report_dir], templates=["investor-summary", "press-release"],
                                       output=tmp_path / "run", jobs=1)
    assert [o.status for o in outcomes] == ["built", "built"]
    assert all(o.output.is_file() and o.output.parent == tmp_path / "run" for o in outcomes)
    again = reporter.production_run([report_dir], templates=["investor-summary", "press-release"],
                                    output=tmp_path / "run", jobs=1)
    assert [o.status for o in again] == ["unchanged", "unchanged"]


@pytest.mark.slow  # starts a process of its own
def test_py_typed_is_shipped_and_import_is_light():
    assert files("reporter").joinpath("py.typed").is_file()
    code = "import sys, reporter; print(','.join(m for m in ('pandas', 'weasyprint', 'jinja2') if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == ""


@pytest.mark.slow  # starts a process of its own
def test_a_build_leaves_the_host_process_as_it_was(example_dir, tmp_path):
    """A notebook that also renders with WeasyPrint keeps WeasyPrint's own font subsetting;
    signal handlers, garbage collection and the environment are as before; the cache goes
    where the caller said, nothing into the home folder."""
    code = f"""
import gc, json, os, signal, sys
from pathlib import Path
import weasyprint
from weasyprint.pdf.fonts import Font
host_subset = Font.subset
seen = []
import reporter.render.fontsubset as fs
real_key = fs.subset_key
def spy(*a, **k):
    seen.append(Font.subset is not host_subset)
    return real_key(*a, **k)
fs.subset_key = spy
handlers = [signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)]
environment = dict(os.environ)
import reporter
pdf = reporter.build({str(example_dir)!r}, cache_dir={str(tmp_path / 'cache')!r})
print(json.dumps({{
    "pdf": pdf[:5].decode(), "ours_during_render": bool(seen) and all(seen),
    "host_subset_back": Font.subset is host_subset,
    "handlers_back": handlers == [signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)],
    "gc_enabled": gc.isenabled(), "environment_back": dict(os.environ) == environment,
    "cached": sorted(p.name for p in Path({str(tmp_path / 'cache')!r}).iterdir()),
    "home": sorted(str(p) for p in Path(os.environ["HOME"]).rglob("*")),
}}))
"""
    home = tmp_path / "home"
    home.mkdir()
    environment = {"PATH": "/usr/bin:/bin", "HOME": str(home)}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=environment)
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found == {"pdf": "%PDF-", "ours_during_render": True, "host_subset_back": True,
                     "handlers_back": True, "gc_enabled": True, "environment_back": True,
                     "cached": ["font-subsets", "templates"], "home": []}


def test_the_cache_folder_is_the_callers_then_the_environments(monkeypatch, tmp_path):
    from reporter.render.fontsubset import cache_dir, use_cache_root

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("REPORTER_CACHE_DIR", raising=False)
    assert cache_dir() == tmp_path / "xdg" / "reporter" / "font-subsets"
    monkeypatch.setenv("REPORTER_CACHE_DIR", str(tmp_path / "env"))
    assert cache_dir() == tmp_path / "env" / "font-subsets"
    with use_cache_root(tmp_path / "mine"):
        assert cache_dir() == tmp_path / "mine" / "font-subsets"
        with use_cache_root(False):
            assert cache_dir() is None
    assert cache_dir() == tmp_path / "env" / "font-subsets"
