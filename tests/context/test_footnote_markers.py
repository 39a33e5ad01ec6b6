"""Footnote markers pasted with statement labels become footnotes, not parts of labels, cards or sentences."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import pdf_pages
from reporter.context.narrative import highlight_sentences
from reporter.data.report import load_report
from reporter.inputs.statement import split_notes


@pytest.mark.parametrize(("label", "clean", "notes"), [
    ("Revenue (1)", "Revenue", ("1",)), ("Revenue¹", "Revenue", ("1",)), ("Revenue*", "Revenue", ("*",)),
    ("Cost of Sales² **", "Cost of Sales", ("2", "**")), ("Interest (a)", "Interest", ("a",)),
    ("Other (income) expense", "Other (income) expense", ()), ("Net loss", "Net loss", ()),
    ("Depreciation †", "Depreciation", ("†",)),
])
def test_split_notes(label, clean, notes):
    assert split_notes(label) == (clean, notes)


def mark_labels(folder: Path, footnotes: str | None) -> None:
    path = folder / "statement.yaml"
    text = path.read_text(encoding="utf-8")
    # The example gives labels in English and French; the markers go on the English ones.
    text = text.replace("label: {en: Revenue, ", "label: {en: Revenue (2), ")
    text = text.replace("label: {en: Income From Mining Operations, ", "label: {en: Income From Mining Operations*, ")
    if footnotes:
        text += footnotes
    path.write_text(text, encoding="utf-8")


FOOTNOTES = ('footnotes:\n  "2": Revenue is recognised on delivery to the off-taker.\n'
             '  "*": Before depreciation.\n')


def test_markers_stay_out_of_labels_cards_and_sentences(cli, report_dir, tmp_path):
    mark_labels(report_dir, FOOTNOTES)
    report = load_report(report_dir)
    assert report.statement.line("revenue").label == "Revenue"
    assert report.statement.line("revenue").notes == ("2",)
    sentences = highlight_sentences(report.figures, report.statement, report.settings)
    assert sentences[0].startswith("Revenue was $4.4 million")
    assert sentences[1].startswith("Income from mining operations was $1.4 million")
    result = cli("build", report_dir, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    pages = pdf_pages(Path(result.stdout.strip()))
    first, text = pages[0], " ".join(" ".join(pages).split())
    assert "REVENUE\n$4,421\nCAD thousands" in first
    assert "INCOME FROM MINING OPERATIONS\n$1,416\nCAD thousands" in first
    assert "2 Revenue is recognised on delivery to the off-taker." in text
    assert "* Before depreciation." in text
    row = next(line for line in first.splitlines() if line.startswith("Revenue"))
    assert row.split()[:2] == ["Revenue2", "$4,421"]


def test_a_marker_without_its_footnote_is_an_error(cli, report_dir):
    mark_labels(report_dir, None)
    result = cli("validate", report_dir)
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"statement error: {report_dir / 'statement.yaml'}: line 'revenue': label has footnote marker '2' "
        "but `footnotes:` has no text for it")


@pytest.mark.parametrize("template", ["investor-summary", "quarterly-briefing", "press-release"])
def test_every_built_in_prints_the_notes_its_markers_point_to(cli, report_dir, tmp_path, template):
    """The press release printed "Revenue²" and never the note ² stands for (its statement block
    left out the notes and the restated column's explanation)."""
    mark_labels(report_dir, FOOTNOTES)
    result = cli("build", report_dir, "-t", template, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    text = " ".join(" ".join(pdf_pages(Path(result.stdout.strip()))).split())
    assert "2 Revenue is recognised on delivery to the off-taker." in text
    assert "* Before depreciation." in text
