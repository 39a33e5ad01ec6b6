"""Round trip: every highlight sentence the narrative writes passes the commentary check when
pasted into the commentary, for every test table, every line as a key figure, and random figures,
in English and (where the table has French labels: the seed's statement) in French.

Re-run after a change to the sentences (reporter/context/narrative.py, sentences.py) or to the
check: `.venv/bin/python -m pytest -q tests/data/test_factcheck_roundtrip.py`.
"""

from __future__ import annotations

import dataclasses
import random
import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from reporter.context.narrative import highlight_sentences
from reporter.data.factcheck import CheckStatus, check_commentary
from reporter.inputs.commentary import parse_commentary
from reporter.data.report import load_report
from helpers import FIXTURES, REPO

LOS_SANTOS = REPO / "reporter" / "examples" / "los-santos"
FOLDERS = [LOS_SANTOS] + sorted(p for p in (FIXTURES / "factcheck").iterdir() if p.is_dir())
LAYOUTS = sorted(p for p in (FIXTURES / "layouts").iterdir() if p.suffix in (".tsv", ".csv"))


def round_trip(report, language: str | None = None) -> list[tuple[str, list]]:
    """Write a sentence for every line of the statement and check each; return the ones that do not tie."""
    settings = dataclasses.replace(report.settings, key_figures=tuple(report.statement.ids))
    if language:
        translated = report.in_language(language)
        sentences = highlight_sentences(translated.figures, translated.statement,
                                        dataclasses.replace(translated.settings, key_figures=settings.key_figures),
                                        translated.language)
    else:
        sentences = highlight_sentences(report.figures, report.statement, settings)
    assert sentences
    wrong = []
    for sentence in sentences:
        text = "---\nheadline: Results\n---\n" + sentence + "\n"
        findings = check_commentary(parse_commentary(text, Path("commentary.md")), report.figures, report.statement, settings,
                              language.split("_")[0] if language else None)
        # Every amount written is read ("nil" is not an amount), and every one agrees.
        written = len(re.findall(r"[$£€%]", sentence))
        if len(findings) != written or any(f.status is not CheckStatus.TIES for f in findings):
            wrong.append((sentence, [(f.status.value, f.text, f.detail) for f in findings]))
    return wrong


@pytest.mark.parametrize("folder", FOLDERS, ids=[p.name for p in FOLDERS])
def test_report_folders(folder):
    assert round_trip(load_report(folder)) == []


def test_los_santos_in_french():
    assert round_trip(load_report(LOS_SANTOS), "fr_CA") == []


@pytest.mark.parametrize("table", LAYOUTS, ids=[p.name for p in LAYOUTS])
def test_ingested_layouts(cli, tmp_path, table):
    folder = tmp_path / "report"
    result = cli("ingest", table, "--out", folder, "--company-name", "Test Mining Corp.",
                 *(["--fiscal-year-end", "09-30", "--currency", "CAD"] if "fiscal" in table.name else []))
    assert result.exit_code == 0, result.output
    assert round_trip(load_report(folder)) == []


def random_figure(rng: random.Random) -> str:
    """A figure as a release prints it: mostly thousands, some small, some nil, some losses."""
    size = rng.choice([0, 5, 40, 400, 4_000, 40_000, 400_000])
    value = rng.randint(-size, size * 3) if size else 0
    return f"({abs(value):,})" if value < 0 else f"{value:,}"


@pytest.mark.parametrize("seed", range(25))
def test_random_figures(tmp_path, seed):
    """The seed's statement with random figures of either sign and any size, nil included."""
    rng = random.Random(seed)
    folder = tmp_path / "report"
    shutil.copytree(LOS_SANTOS, folder)
    lines = (folder / "figures.csv").read_text(encoding="utf-8").splitlines()
    rows = [lines[0]] + [",".join(line.split(",")[:3]) + f',"{random_figure(rng)}"' for line in lines[1:]]
    (folder / "figures.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    report = load_report(folder)
    assert round_trip(report) == []
    assert round_trip(report, "fr_CA") == []
