"""`reporter diff`, `approve` and `build --against`: what changed between two builds, for sign-off."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from PIL import Image

from reporter.production.diff import SCALE, diff_pdfs

SUMMARY = "almonty-los-santos-mine-q3-2011-investor-summary.pdf"


def change_fx_rate(folder: Path) -> None:
    """Change one published figure that no subtotal depends on: the Q3 2011 average rate."""
    settings = folder / "report.yaml"
    text = settings.read_text(encoding="utf-8")
    assert 'rate: "1.3934"' in text
    settings.write_text(text.replace('rate: "1.3934"', 'rate: "1.3935"'), encoding="utf-8")


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory, example_dir):
    """The investor summary built from Los Santos as it is, and from a copy with one figure changed."""
    from helpers import Cli

    cli = Cli()
    root = tmp_path_factory.mktemp("diff")
    changed = root / "changed"
    shutil.copytree(example_dir, changed)
    change_fx_rate(changed)
    for folder, out in ((example_dir, root / "old"), (example_dir, root / "same"), (changed, root / "new")):
        result = cli("build", folder, "-o", out)
        assert result.exit_code == 0, result.output
    return root


def text_box(path: Path, page: int, needle: str) -> tuple[float, float, float, float]:
    """Find where `needle` is printed: (left, top, right, bottom) in points from the top left."""
    document = pdfium.PdfDocument(str(path))
    try:
        height = document[page - 1].get_height()
        textpage = document[page - 1].get_textpage()
        searcher = textpage.search(needle)
        index, count = searcher.get_next()
        boxes = [textpage.get_charbox(i) for i in range(index, index + count)]
    finally:
        document.close()
    left, bottom = min(b[0] for b in boxes), min(b[1] for b in boxes)
    right, top = max(b[2] for b in boxes), max(b[3] for b in boxes)
    return left, height - top, right, height - bottom


def test_one_changed_figure_is_named_and_outlined(cli, two_builds, tmp_path):
    old, new = two_builds / "old" / SUMMARY, two_builds / "new" / SUMMARY
    result = cli("diff", old, new, "-o", tmp_path / "d")
    assert result.exit_code == 1, result.output
    changes = [line for line in result.stdout.splitlines() if not line.startswith("wrote ")]
    # The rate row's label wraps; the diff names its last line, the column's period, old and new.
    assert changes == ["page 1: EUR=CAD per Bank of Canada, Three Months Ended June 30, 2011: 1.3934 -> 1.3935"]
    assert sorted(p.name for p in (tmp_path / "d").iterdir()) == ["changes.txt", "page-1.png"]
    assert (tmp_path / "d" / "changes.txt").read_text().splitlines() == changes

    diff = diff_pdfs(old, new)
    assert [page.page for page in diff.pages] == [1]
    (pixels,) = diff.pages[0].boxes  # one region, around the changed digit
    box = [v / SCALE for v in pixels]  # in PDF points from the top left
    left, top, right, bottom = text_box(new, 1, "1.3935")
    assert left - 2 <= box[0] and box[2] <= right + 2 and top - 2 <= box[1] and box[3] <= bottom + 2
    # the PNG shows the new page with that region outlined in red, and nothing else in red
    image = Image.open(tmp_path / "d" / "page-1.png").convert("RGB")
    red = [(x, y) for x in range(image.width) for y in range(image.height)
           if image.getpixel((x, y))[0] > 180 and max(image.getpixel((x, y))[1:]) < 60]
    assert red
    xs, ys = [x for x, _ in red], [y for _, y in red]
    assert (left - 8) * SCALE <= min(xs) and max(xs) <= (right + 8) * SCALE
    assert (top - 8) * SCALE <= min(ys) and max(ys) <= (bottom + 8) * SCALE


def test_identical_builds_have_no_diff(cli, two_builds, tmp_path):
    result = cli("diff", two_builds / "old" / SUMMARY, two_builds / "same" / SUMMARY, "-o", tmp_path / "d")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "no visible change"
    assert not (tmp_path / "d").exists()


def test_pages_added_are_listed(cli, built_pdfs):
    result = cli("diff", built_pdfs["investor-summary"], built_pdfs["quarterly-briefing"])
    assert result.exit_code == 1
    pages = len(pdfium.PdfDocument(str(built_pdfs["quarterly-briefing"])))
    assert [line for line in result.stdout.splitlines() if line.endswith(": added")] == [
        f"page {n}: added" for n in range(3, pages + 1)]


def test_a_file_that_is_not_a_pdf_is_one_line(cli, tmp_path, built_pdfs):
    bogus = tmp_path / "bogus.pdf"
    bogus.write_text("not a pdf")
    result = cli("diff", bogus, built_pdfs["investor-summary"])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {bogus}: not a readable PDF")
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.slow
def test_approve_then_build_against_the_approved_copies(cli, report_dir, tmp_path):
    out, approved = tmp_path / "out", tmp_path / "approved"
    first = cli("build", report_dir, "-t", "investor-summary", "-t", "press-release", "-o", out, "--jobs", "2")
    assert first.exit_code == 0, first.output
    result = cli("approve", out, approved)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"approved 2 documents into {approved}"
    assert sorted(p.name for p in approved.iterdir()) == sorted(p.name for p in out.iterdir())
    assert (approved / "manifest.json").read_bytes() == (out / "manifest.json").read_bytes()

    same = cli("build", report_dir, "-t", "investor-summary", "-t", "press-release", "-o", out,
               "--against", approved)
    assert same.exit_code == 0 and "differs" not in same.stdout, same.output

    change_fx_rate(report_dir)
    changed = cli("build", report_dir, "-t", "investor-summary", "-t", "press-release", "-o", out,
                  "--against", approved, "--jobs", "1")
    assert changed.exit_code == 0, changed.output
    lines = changed.stdout.splitlines()
    # both documents print the FX table: each names the one figure that changed
    named = [line for line in lines if "EUR=CAD" in line and line.strip().endswith(": 1.3934 -> 1.3935")]
    assert len(named) == 2, lines
    assert lines[-1].endswith("; 2 differ from the approved copies")
    for name in (SUMMARY, SUMMARY.replace("investor-summary", "press-release")):
        assert (out / "diff" / name.removesuffix(".pdf") / "page-1.png").is_file()
    manifest = json.loads((out / "manifest.json").read_text())
    assert all(not d["output"].startswith("diff") for d in manifest["documents"])


def test_approve_refuses_a_folder_without_manifest(cli, tmp_path):
    result = cli("approve", tmp_path, tmp_path / "approved")
    assert result.exit_code == 1
    assert result.stderr.strip().startswith(f"error: {tmp_path}: no manifest.json")
    assert not (tmp_path / "approved").exists()
