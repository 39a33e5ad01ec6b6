"""A one-shot `reporter build` is a production run's per-document path run in the command's own
process: the same function builds each document, under the names the production run gives."""

from __future__ import annotations

import pypdfium2 as pdfium

import reporter.production.run as production
from helpers import Cli


def test_every_document_of_a_one_shot_build_goes_through_the_production_runs_build_one(report_dir, tmp_path,
                                                                                      monkeypatch):
    built = []
    original = production.build_one

    def recording(job, options, worker, checks, last_in_process=False):
        built.append((job.template, job.language, in_process(worker), last_in_process))
        return original(job, options, worker, checks, last_in_process)

    monkeypatch.setattr(production, "build_one", recording)
    out = tmp_path / "one-shot"
    result = Cli()("build", report_dir, "-t", "investor-summary", "-t", "press-release", "--lang", "all", "-o", out)
    assert result.exit_code == 0, result.output
    assert built, "build_one was never called"
    assert [(template, language) for template, language, _, _ in built] == [
        ("investor-summary", "en_CA"), ("investor-summary", "fr_CA"),
        ("press-release", "en_CA"), ("press-release", "fr_CA")]
    assert all(in_process for _, _, in_process, _ in built)
    assert [last for *_, last in built] == [False, False, False, True]  # no collection before the exit
    # The production run names the same documents the same way.
    written = sorted(path.name for path in out.iterdir())
    assert written == sorted(line.rsplit("/", 1)[-1] for line in result.output.split() if line.endswith(".pdf"))
    run_out = tmp_path / "production"
    run = Cli()("build", report_dir, "-t", "investor-summary", "-t", "press-release", "--lang", "all",
                "--jobs", "1", "-o", run_out)
    assert run.exit_code == 0, run.output
    assert sorted(p.name for p in run_out.iterdir() if p.suffix == ".pdf") == written
    for name in written:
        document = pdfium.PdfDocument(str(out / name))
        assert len(document) >= 1
        document.close()


def in_process(worker) -> bool:
    """The one-shot's worker is this process's own, not a pool's (whose state is module-global)."""
    return isinstance(worker, production.Worker) and worker is not production._worker


def test_a_one_shot_build_writes_no_manifest_and_a_mistake_is_its_one_line(report_dir, tmp_path):
    (report_dir / "templates").mkdir()
    out = tmp_path / "out"
    result = Cli()("build", report_dir, "-t", "investor-summary", "-t", "no-such-template", "-o", out)
    assert result.exit_code == 1
    assert len(result.output.strip().splitlines()) == 1 and "no-such-template" in result.output, result.output
    assert not (out / "manifest.json").exists()
