"""The production run: a matrix of folders x templates, one broken folder, the manifest, reruns."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from helpers import Cli, complaints, pdf_pages, table_row, FIXTURES
from reporter import __version__
from reporter.production.manifest import sha256_file
from reporter.theme.resolve import available_themes

# A production run starts a fork server and worker processes (all but test_balanced_...).
pytestmark = pytest.mark.slow

LAYOUTS = FIXTURES / "layouts"
TEMPLATES = sorted(t.name for t in available_themes() if t.name != "base")


def ingest(cli, source: Path, out: Path, company: str) -> Path:
    result = cli("ingest", source, "--out", out, "--company-name", company, "--fiscal-year-end", "12-31")
    assert result.exit_code == 0, result.output
    # The writer's part: a production run builds finished documents, never drafts with placeholders.
    commentary = out / "commentary.md"
    commentary.write_text(commentary.read_text(encoding="utf-8").replace("TODO: ", "").replace("TODO", ""),
                          encoding="utf-8")
    return out


@pytest.fixture(scope="module")
def matrix(tmp_path_factory, example_dir):
    """Build Los Santos, two ingested folders and a broken one with every template, on 2 workers."""
    cli = Cli()
    root = tmp_path_factory.mktemp("matrix")
    folders = [example_dir,
               ingest(cli, LAYOUTS / "losses-more-subtotals.tsv", root / "losses", "Loss Mining Corp."),
               ingest(cli, LAYOUTS / "prior-quarter.tsv", root / "prior", "Prior Quarter Mines Ltd.")]
    broken = root / "broken"
    shutil.copytree(example_dir, broken)
    text = (broken / "figures.csv").read_text(encoding="utf-8")
    (broken / "figures.csv").write_text(text.replace("$4,421", "$44x1", 1), encoding="utf-8")
    settings = (broken / "report.yaml").read_text(encoding="utf-8")
    (broken / "report.yaml").write_text(settings.replace("subject: Los Santos Mine", "subject: Broken Mine"),
                                        encoding="utf-8")
    out = root / "out"
    first = cli("build", *folders, broken, "-t", "all", "--jobs", "2", "-o", out)
    second = cli("build", *folders, broken, "-t", "all", "--jobs", "2", "-o", out)
    return {"folders": folders, "broken": broken, "out": out, "first": first, "second": second}


def test_matrix_builds_every_folder_and_template_and_reports_the_broken_one(matrix):
    first = matrix["first"]
    assert first.exit_code == 1
    pdfs = sorted(p.name for p in matrix["out"].glob("*.pdf"))
    assert len(pdfs) == 3 * len(TEMPLATES)
    for prefix in ("almonty-los-santos-mine-q3-2011", "loss-mining-corp-", "prior-quarter-mines-ltd-"):
        assert sum(name.startswith(prefix) for name in pdfs) == len(TEMPLATES), pdfs
    # the broken folder: one line, naming the file, row and column
    errors = complaints(first.stderr)
    assert len(errors) == 1, first.stderr
    assert errors[0].startswith(f"data error: {matrix['broken']}/figures.csv, row 2, "), errors
    assert 'column "value"' in errors[0] and "44x1" in errors[0]
    assert "Traceback" not in first.output
    assert first.stdout.strip().splitlines()[-1].startswith(f"{3 * len(TEMPLATES)} built, 0 unchanged, "
                                                            "1 failed in ")


def test_each_document_reads_back(matrix):
    out = matrix["out"]
    summary = pdf_pages(out / "almonty-los-santos-mine-q3-2011-investor-summary.pdf")
    assert table_row(summary[0], "Revenue") == ["$4,421", "$0", "$10,186", "$0"]
    losses = "\n".join(pdf_pages(next(out.glob("loss-mining-corp-*-investor-summary.pdf"))))
    assert "Loss Mining Corp." in losses and "(US$2,049)" in losses


def test_manifest_records_inputs_outputs_and_version(matrix):
    out = matrix["out"]
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    documents = {d["output"]: d for d in manifest["documents"]}
    assert set(documents) == {p.name for p in out.glob("*.pdf")}
    entry = documents["almonty-los-santos-mine-q3-2011-quarterly-briefing.pdf"]
    example = matrix["folders"][0]
    assert entry["template"] == "quarterly-briefing"
    assert entry["language"] == "en-CA"
    assert entry["reporter_version"] == __version__
    assert entry["inputs"]["figures.csv"] == sha256_file(example / "figures.csv")
    assert entry["inputs"]["commentary.md"] == sha256_file(example / "commentary.md")
    assert any(name.startswith("theme:quarterly-briefing/") for name in entry["inputs"])
    assert entry["sha256"] == sha256_file(out / entry["output"])
    assert entry["pages"] == len(pdf_pages(out / entry["output"]))


def test_second_run_rebuilds_nothing(matrix):
    second = matrix["second"]
    assert second.exit_code == 1  # the broken folder still fails
    lines = second.stdout.splitlines()
    assert sum(line.startswith("unchanged ") for line in lines) == 3 * len(TEMPLATES)
    assert not any(line.startswith("built ") for line in lines)
    assert lines[-1].startswith(f"0 built, {3 * len(TEMPLATES)} unchanged, 1 failed")


def test_force_and_a_changed_input_rebuild(matrix, tmp_path):
    cli = Cli()
    out = matrix["out"]
    los_santos = matrix["folders"][0]
    before = (out / "manifest.json").read_bytes()
    forced = cli("build", los_santos, "-o", out, "--force", "--jobs", "1")
    assert forced.exit_code == 0, forced.output
    assert forced.stdout.splitlines()[-1].startswith("1 built, 0 unchanged, 0 failed")
    # same inputs, same bytes: the manifest (no clock in it) is unchanged, other documents kept
    assert (out / "manifest.json").read_bytes() == before
    # an output edited by hand is rebuilt
    edited = out / "almonty-los-santos-mine-q3-2011-investor-summary.pdf"
    edited.write_bytes(edited.read_bytes() + b"\n")
    again = cli("build", los_santos, "-o", out, "--jobs", "1")
    assert again.stdout.splitlines()[-1].startswith("1 built, 0 unchanged"), again.output
    assert (out / "manifest.json").read_bytes() == before


def test_changed_input_rebuilds_only_that_folder(tmp_path, report_dir):
    cli = Cli()
    out = tmp_path / "out"
    assert cli("build", report_dir, "-o", out, "--jobs", "1").exit_code == 0
    commentary = report_dir / "commentary.md"
    commentary.write_text(commentary.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")
    result = cli("build", report_dir, "-o", out, "--jobs", "1")
    assert result.stdout.splitlines()[-1].startswith("1 built, 0 unchanged, 0 failed"), result.output
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["documents"][0]["inputs"]["commentary.md"] == sha256_file(commentary)


def test_production_run_refuses_an_output_file(cli, example_dir, tmp_path):
    result = cli("build", example_dir, example_dir, "-o", tmp_path / "x.pdf")
    assert result.exit_code == 1
    assert result.stderr.strip() == "error: a production run needs an output folder (-o DIR), not a file name"


def numbered_copies(example_dir: Path, root: Path, count: int) -> list[Path]:
    """Copies of Los Santos, each its own subject so their documents have their own names."""
    folders = []
    for index in range(1, count + 1):
        folder = root / f"mine-{index}"
        shutil.copytree(example_dir, folder)
        settings = folder / "report.yaml"
        text = settings.read_text(encoding="utf-8")
        numbered = text.replace("Los Santos Mine", f"Los Santos Mine {index}").replace(
            "Mine Los Santos", f"Mine Los Santos {index}")
        assert numbered != text
        settings.write_text(numbered, encoding="utf-8")
        folders.append(folder)
    return folders


def test_a_worker_that_grew_is_replaced_without_losing_a_document(monkeypatch, example_dir, tmp_path):
    """Past RETIRE_ABOVE_MB after a folder, the worker is replaced: every folder then has its own."""
    from reporter.production import run as batch

    folders = numbered_copies(example_dir, tmp_path, 3)
    monkeypatch.setattr(batch, "RETIRE_ABOVE_MB", 0.0)
    seen = []
    options = batch.RunOptions(outdir=tmp_path / "out", jobs=1)
    outcomes = batch.run(folders, ["investor-summary", "press-release"], options, seen.append)
    assert [o.status for o in outcomes] == ["built"] * 6
    assert len(seen) == 6
    assert {o.output.name for o in outcomes} == {p.name for p in (tmp_path / "out").glob("*.pdf")}
    assert all(0 < o.peak_rss_mb < 1000 for o in outcomes)
    by_folder = {}
    for outcome in outcomes:
        by_folder.setdefault(outcome.entry.folder, set()).add(outcome.worker)
    assert all(len(workers) == 1 for workers in by_folder.values())  # a folder stays on one worker
    assert len(set().union(*by_folder.values())) == 3


def test_one_worker_builds_every_folder_while_it_stays_small(example_dir, tmp_path):
    from reporter.production import run as batch

    folders = numbered_copies(example_dir, tmp_path, 3)
    outcomes = batch.run(folders, ["press-release"], batch.RunOptions(outdir=tmp_path / "out", jobs=1),
                         lambda outcome: None)
    assert [o.status for o in outcomes] == ["built"] * 3
    assert len({o.worker for o in outcomes}) == 1
    assert max(o.peak_rss_mb for o in outcomes) < batch.RETIRE_ABOVE_MB


def test_one_folder_is_shared_between_workers(report_dir, tmp_path):
    """One folder and every template on two workers: both work, each document once."""
    from reporter.production import run as batch

    outcomes = batch.run([report_dir], ["all"], batch.RunOptions(outdir=tmp_path / "out", jobs=2),
                         lambda outcome: None)
    assert sorted(o.status for o in outcomes) == ["built"] * len(TEMPLATES)
    assert len({o.output.name for o in outcomes}) == len(TEMPLATES)
    assert len({o.worker for o in outcomes}) == 2


def test_balanced_splits_folders_only_while_a_worker_would_idle():
    from reporter.production.run import balanced

    assert [len(t) for t in balanced([[1, 2, 3]], 2)] == [2, 1]
    assert [len(t) for t in balanced([[1, 2, 3], [4, 5, 6]], 2)] == [3, 3]
    assert [len(t) for t in balanced([[1], [2, 3, 4, 5]], 4)] == [1, 1, 1, 2]
    assert [len(t) for t in balanced([[1]], 4)] == [1]


def test_each_folder_is_read_once_for_all_its_documents(monkeypatch, example_dir, tmp_path):
    """Two folders x three templates x two languages on one worker: figures.csv is read twice."""
    from reporter.data import report
    from reporter.production import run as batch
    from reporter.data.load import load_figures

    folders = numbered_copies(example_dir, tmp_path, 2)
    reads = []

    def counting(path, *args, **kwargs):
        reads.append(Path(path).parent.name)
        return load_figures(path, *args, **kwargs)

    monkeypatch.setattr(report, "load_figures", counting)
    checked = []
    check_report = report.check_report
    monkeypatch.setattr(report, "check_report",
                        lambda report, *args: checked.append(report.language.tag) or check_report(report, *args))
    batch_worker = batch.Worker()
    jobs, failures = batch.plan(folders, ["all"], batch.RunOptions(outdir=tmp_path / "out", lang="all"))
    assert not failures and len(jobs) == 2 * len(TEMPLATES) * 2
    assert sorted(reads) == ["mine-1", "mine-2"]
    outcomes = []
    for task in batch.by_folder(jobs):
        outcomes += batch.build_folder(task, batch.RunOptions(outdir=tmp_path / "out", lang="all"),
                                       batch_worker)[0]
    assert [o.status for o in outcomes] == ["built"] * len(jobs), [o.message for o in outcomes]
    assert sorted(reads) == ["mine-1", "mine-2"]  # the workers built from the planned reports
    assert sorted(checked) == ["en_CA", "en_CA", "fr_CA", "fr_CA"]  # once per folder and language


def test_a_production_run_writes_the_same_bytes_as_one_shot_builds(cli, example_dir, tmp_path):
    """Reused renderer, themes, compiled templates and checked reports change no byte of any template."""
    folders = numbered_copies(example_dir, tmp_path, 2)
    batch_out = tmp_path / "batch"
    result = cli("build", *folders, "-t", "all", "--lang", "all", "--jobs", "1", "-o", batch_out)
    assert result.exit_code == 0, result.output
    built = sorted(batch_out.glob("*.pdf"))
    assert len(built) == 2 * len(TEMPLATES) * 2
    for folder in folders:
        for template in TEMPLATES:
            for lang in ("en_CA", "fr_CA"):
                single = tmp_path / "single" / f"{folder.name}-{template}-{lang}"
                one = cli("build", folder, "-t", template, "--lang", lang, "-o", single)
                assert one.exit_code == 0, one.output
                [pdf] = single.glob("*.pdf")
                assert sha256_file(pdf) == sha256_file(batch_out / pdf.name), pdf.name


def test_production_run_builds_every_language(cli, example_dir, tmp_path):
    out = tmp_path / "out"
    result = cli("build", example_dir, "-t", "investor-summary", "--lang", "all", "--jobs", "1", "-o", out)
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in out.glob("*.pdf"))
    assert names == ["almonty-los-santos-mine-q3-2011-investor-summary-en-ca.pdf",
                     "almonty-los-santos-mine-q3-2011-investor-summary-fr-ca.pdf"]
    french = " ".join(pdf_pages(out / names[1]))
    assert "Sommaire pour les investisseurs" in french and "Investor Summary" not in french
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    entries = manifest["documents"] if isinstance(manifest, dict) and "documents" in manifest else manifest
    assert sorted(e["language"] for e in entries) == ["en-CA", "fr-CA"]
    assert sorted(e["output"] for e in entries) == names
    again = cli("build", example_dir, "-t", "investor-summary", "--lang", "all", "--jobs", "1", "-o", out)
    assert again.exit_code == 0 and "2 unchanged" in again.output, again.output


def test_a_production_run_lists_each_folders_rounding_differences_as_validate_does(cli, example_dir, tmp_path):
    """Each folder's rounding differences, in validate's words, once per folder (not per document),
    on stderr: stdout keeps the documents' lines, and a rerun that builds nothing still says them."""
    folders = numbered_copies(example_dir, tmp_path, 2)
    validated = []
    for folder in folders:
        lines = [line for line in cli("validate", folder).output.splitlines() if line.startswith("rounding: ")]
        assert len(lines) == 2 and str(folder / "figures.csv") in lines[0]  # Los Santos: 1,415 against 1,416
        validated += lines
    out = tmp_path / "out"
    for attempt in ("built", "unchanged"):
        result = cli("build", *folders, "-t", "all", "--lang", "all", "-f", "html", "--jobs", "1", "-o", out)
        assert result.exit_code == 0, result.output
        said = [line for line in result.stderr.splitlines() if line.startswith("rounding: ")]
        assert said == validated, attempt
        assert "rounding: " not in result.stdout
        assert f"{2 * len(TEMPLATES) * 2} {attempt}" in result.stdout, result.stdout


# An RNS half-year highlights table (made-up figures, pounds, losses in brackets): 12,406 - 8,113
# is 4,293, published 4,294. The second issuer's gross profit ties.
RNS_HALF_YEAR = ("\tSix months ended 30 June 2024\tSix months ended 30 June 2023\n\t\u00a3000\t\u00a3000\n"
                 "Revenue\t12,406\t11,020\nCost of sales\t(8,113)\t(7,402)\nGross profit\t{gross}\t3,618\n"
                 "Administrative expenses\t(1,950)\t(1,870)\nOperating profit\t{operating}\t1,748\n")


def test_a_production_run_says_rounding_only_for_the_folder_that_has_it(cli, tmp_path):
    folders = []
    for company, gross, operating in (("Harbour Copper plc", "4,294", "2,344"), ("Harbour Zinc plc", "4,293", "2,343")):
        table = tmp_path / f"{company}.tsv"
        table.write_text(RNS_HALF_YEAR.format(gross=gross, operating=operating), encoding="utf-8")
        folders.append(ingest(cli, table, tmp_path / company.split()[1].lower(), company))
    result = cli("build", *folders, "-t", "all", "-f", "html", "--jobs", "1", "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    said = [line for line in result.stderr.splitlines() if line.startswith("rounding: ")]
    assert said == [f"rounding: {folders[0] / 'figures.csv'}, row 6: Gross profit (gross_profit), the six months "
                    f"ended June 30, 2024: lines give 4,293, published 4,294 (difference +1)"], result.stderr
    assert complaints(result.stderr) == []


def test_a_rounding_note_escapes_what_a_terminal_would_act_on(cli, example_dir, tmp_path):
    """A label is the user's text: in a production run's rounding note an OSC 52 sequence (write to
    the clipboard) reaches the terminal escaped, as every other message does."""
    folder = tmp_path / "hostile"
    shutil.copytree(example_dir, folder)
    statement = folder / "statement.yaml"
    text = statement.read_text(encoding="utf-8")
    hostile = text.replace("{en: Income From Mining Operations,", '{en: "Income \\e]52;c;aGk=\\a From Mining Operations",', 1)
    assert hostile != text
    statement.write_text(hostile, encoding="utf-8")
    result = cli("build", folder, "-t", "investor-summary", "-f", "html", "--jobs", "1", "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    [note] = [line for line in result.stderr.splitlines() if "row 10" in line]
    assert note.startswith("rounding: ") and "Income \\x1b]52;c;aGk=\\x07 From Mining Operations" in note
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr


def test_an_archival_production_run_writes_the_same_bytes_as_a_one_shot_build(cli, example_dir, tmp_path):
    """PDF/A-3b carries the report's sources and normalised figures: the planned report gives the same."""
    folders = numbered_copies(example_dir, tmp_path, 2)
    out = tmp_path / "batch"
    result = cli("build", *folders, "-t", "quarterly-briefing", "--lang", "fr_CA", "--pdf-variant", "pdf/a-3b",
                 "--jobs", "1", "-o", out)
    assert result.exit_code == 0, result.output
    one = cli("build", folders[1], "-t", "quarterly-briefing", "--lang", "fr_CA", "--pdf-variant", "pdf/a-3b",
              "-o", tmp_path / "single")
    assert one.exit_code == 0, one.output
    [pdf] = (tmp_path / "single").glob("*.pdf")
    assert pdf.name.endswith("-fr-ca.pdf")
    assert sha256_file(pdf) == sha256_file(out / pdf.name)


def test_a_folder_that_fails_its_checks_is_one_line_per_document(example_dir, tmp_path):
    """Checked once per language in the worker, but reported as before: each document its line."""
    from reporter.production import run as batch

    good, bad = numbered_copies(example_dir, tmp_path, 2)
    commentary = bad / "commentary.md"
    commentary.write_text(commentary.read_text(encoding="utf-8") + "\nTODO: the outlook paragraph\n",
                          encoding="utf-8")
    outcomes = batch.run([good, bad], ["all"], batch.RunOptions(outdir=tmp_path / "out", jobs=1),
                         lambda outcome: None)
    failed = [o for o in outcomes if o.status == "failed"]
    assert sorted(o.status for o in outcomes) == ["built"] * len(TEMPLATES) + ["failed"] * len(TEMPLATES)
    assert len({o.message for o in failed}) == 1
    assert "placeholder left" in failed[0].message and "commentary.md" in failed[0].message
    assert len(failed[0].message.splitlines()) == 1
    assert {p.name.split("-q3-")[0] for p in (tmp_path / "out").glob("*.pdf")} == {"almonty-los-santos-mine-1"}


class _DiesWhenUnpickled:
    """Stands in for a planned report: the worker process exits as it receives it."""

    def __reduce__(self):
        import os

        return os._exit, (3,)


def test_a_worker_that_dies_costs_its_folder_one_line_per_document_and_no_other(example_dir, tmp_path):
    from dataclasses import replace

    from reporter.production import run as batch

    first, second = numbered_copies(example_dir, tmp_path, 2)
    options = batch.RunOptions(outdir=tmp_path / "out", jobs=1)
    jobs, failures = batch.plan([first, second], ["investor-summary", "press-release"], options)
    assert not failures
    doomed = [replace(job, report=_DiesWhenUnpickled()) if job.folder == first else job for job in jobs]
    outcomes = list(batch._execute(batch.by_folder(doomed), options))
    lost = [o for o in outcomes if o.status == "failed"]
    assert [o.status for o in outcomes] == ["failed", "failed", "built", "built"]
    assert all("the worker process building it stopped" in o.message and str(first) in o.message
               and len(o.message.splitlines()) == 1 for o in lost)
    assert sorted(p.name for p in (tmp_path / "out").glob("*.pdf")) == sorted(o.output.name for o in outcomes
                                                                               if o.status == "built")



def test_a_theme_resolved_once_serves_each_folder_with_its_own_assets(example_dir, tmp_path):
    from reporter.production.run import Themes

    first, second = numbered_copies(example_dir, tmp_path, 2)
    themes = Themes()
    one, two = (themes.resolve("investor-summary", folder, None) for folder in (first, second))
    assert one.theme is two.theme  # read once
    assert (one.report_dir, two.report_dir) == (first, second)
    assert second.resolve() / "assets" in two.readable_folders
    assert first.resolve() / "assets" not in two.readable_folders
    (second / "templates").mkdir()
    assert themes.resolve("investor-summary", second, None).theme is not one.theme  # its own templates/


# --- adversarial: a hostile folder in the same run as a good one ------------------------------------

SECRET = "TOPSECRET-batch-never-in-b"


def hostile_and_good(example_dir: Path, root: Path) -> tuple[Path, Path, Path]:
    """mine-1: a templates/ override that includes a file of mine-2 through a symlink, and a secret
    asset; mine-2: a plain folder. Returns (hostile, good, good built alone)."""
    hostile, good = numbered_copies(example_dir, root, 2)
    (hostile / "assets" / "secret.png").write_text(SECRET + "\n", encoding="utf-8")
    (hostile / "templates").mkdir()
    (hostile / "templates" / "leak.html").symlink_to(good / "report.yaml")
    (hostile / "templates" / "report.html").write_text(
        '{% include "leak.html" %}{{ "".__class__ }}\n',
        encoding="utf-8")
    alone = root / "alone"
    result = Cli()("build", good, "-t", "all", "-o", alone)
    assert result.exit_code == 0, result.output
    return hostile, good, alone


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize("order", ["hostile-first", "hostile-last"])
def test_a_hostile_override_in_one_folder_changes_no_byte_of_another(cli, example_dir, tmp_path, jobs, order):
    hostile, good, alone = hostile_and_good(example_dir, tmp_path)
    out = tmp_path / "out"
    folders = [hostile, good] if order == "hostile-first" else [good, hostile]
    result = cli("build", *folders, "-t", "all", "--jobs", jobs, "-o", out)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output + result.stderr
    errors = complaints(result.stderr)
    assert len(errors) == len(TEMPLATES), result.stderr  # one line per document of the hostile folder
    for line in errors:
        assert "leak.html" in line and "outside the theme and report folders" in line, line
    built = sorted(p.name for p in out.glob("*.pdf"))
    assert built == sorted(p.name for p in alone.glob("*.pdf"))  # nothing of the hostile folder
    for name in built:
        assert sha256_file(out / name) == sha256_file(alone / name), name
    for path in out.rglob("*"):
        if path.is_file():
            assert SECRET.encode() not in path.read_bytes()


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_folder_cannot_read_the_other_folders_files_in_one_run(cli, example_dir, tmp_path, jobs):
    """mine-2's commentary points at mine-1's asset (and mine-1's at mine-2's): each is refused as one
    line, though the other folder's assets are readable in the same process a moment before or after."""
    first, second = numbered_copies(example_dir, tmp_path, 2)
    for folder, other in ((first, second), (second, first)):
        (folder / "assets" / "secret.png").write_text(SECRET + "\n", encoding="utf-8")
        with (folder / "commentary.md").open("a", encoding="utf-8") as stream:
            stream.write(f"\n![chart](../{other.name}/assets/secret.png)\n")
    out = tmp_path / "out"
    result = cli("build", first, second, "-t", "investor-summary", "--jobs", jobs, "-o", out)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output + result.stderr
    errors = complaints(result.stderr)
    assert len(errors) == 2, result.stderr
    for line in errors:
        assert "commentary.md:" in line and "outside the report and theme folders" in line, line
    assert not list(out.glob("*.pdf")) if out.exists() else True


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_an_assets_folder_linked_to_the_other_folder_reads_nothing_of_it(cli, example_dir, tmp_path, jobs):
    """mine-1's assets/ is a link to mine-2's: mine-1 is refused as one line, mine-2 builds as alone."""
    hostile, good = numbered_copies(example_dir, tmp_path, 2)
    (good / "assets" / "secret.svg").write_text(
        f'<svg xmlns="http://www.w3.org/2000/svg" width="200" height="20"><text y="15">{SECRET}</text></svg>\n',
        encoding="utf-8")
    settings = hostile / "report.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("  logo: assets/almonty-wordmark.svg\n", ""),
                        encoding="utf-8")
    shutil.rmtree(hostile / "assets")
    (hostile / "assets").symlink_to(good / "assets")
    with (hostile / "commentary.md").open("a", encoding="utf-8") as stream:
        stream.write("\n![chart](assets/secret.svg)\n")
    alone = tmp_path / "alone"
    assert cli("build", good, "-t", "investor-summary", "-o", alone).exit_code == 0
    out = tmp_path / "out"
    result = cli("build", hostile, good, "-t", "investor-summary", "--jobs", jobs, "-o", out)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output + result.stderr
    errors = complaints(result.stderr)
    assert len(errors) == 1 and "commentary.md:" in errors[0] and "outside the report" in errors[0], errors
    [pdf] = alone.glob("*.pdf")
    assert sorted(p.name for p in out.glob("*.pdf")) == [pdf.name]
    assert sha256_file(out / pdf.name) == sha256_file(pdf)


@pytest.mark.parametrize("cores, load, expected", [(2, 0.0, 2), (2, 0.4, 2), (2, 0.6, 1), (2, 1.0, 1),
                                                   (2, 5.2, 1), (8, 3.4, 5), (1, 0.0, 1), (4, -1.0, 4)])
def test_the_default_jobs_are_the_cores_that_are_free(cores, load, expected):
    """On a machine where other work holds a core, a second worker would only slow the run."""
    from reporter.production.run import free_cores

    assert free_cores(cores, load) == expected


def slow_to_draw(folder: Path, shapes: int = 60_000) -> None:
    """A logo WeasyPrint needs many seconds to draw (tests/hostile has the same one)."""
    body = "".join(f'<rect x="{i % 120}" y="{i % 24}" width="1" height="1"/>' for i in range(shapes))
    (folder / "assets" / "almonty-wordmark.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="24">' + body + "</svg>")


def test_a_document_stopped_at_a_limit_fails_alone_and_the_rest_of_its_task_is_built(example_dir, tmp_path):
    """A worker is bounded as a one-shot build is: the document past limits.render_seconds is
    stopped with that limit's one line, and the document queued after it on the same worker is
    built on a fresh one."""
    from reporter.production import run as batch

    slow, quick = numbered_copies(example_dir, tmp_path, 2)
    slow_to_draw(slow)
    with (slow / "report.yaml").open("a", encoding="utf-8") as settings:
        settings.write("\nlimits:\n  render_seconds: 2\n")
    options = batch.RunOptions(outdir=tmp_path / "out", jobs=1)
    jobs, failures = batch.plan([slow, quick], ["investor-summary"], options)
    assert not failures and [job.folder for job in jobs] == [slow, quick]

    outcomes = list(batch._on_workers([jobs], options))  # one task: the slow document first

    assert [o.status for o in outcomes] == ["failed", "built"]
    line = outcomes[0].message
    assert "\n" not in line and "Traceback" not in line
    assert "the PDF took more than 2 s to render (limits.render_seconds in report.yaml, now 2)" in line
    assert line.endswith(f"nothing written for {slow} (investor-summary)"), line
    assert outcomes[1].output.is_file() and pdf_pages(outcomes[1].output)
    assert sorted(p.name for p in options.outdir.iterdir()) == [outcomes[1].output.name]
