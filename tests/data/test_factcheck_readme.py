"""Every example message of the docs' commentary-check section (docs/checks.md) is what reporter prints, verbatim."""

from __future__ import annotations

import re
from pathlib import Path

from helpers import REPO

ADDED = ("Interest fell 98% to $42 thousand in Q3 2011, while cost of sales fell to $3.0 million.\n"
         "Revenue was US$4.4 million for the quarter (Q3 2010: nil) and $10.2 million year to date.\n\n")


def readme_examples() -> list[str]:
    """The lines of the code blocks of the section "The commentary check"."""
    text = (REPO / "docs" / "checks.md").read_text(encoding="utf-8")
    section = text.split("## The commentary check\n", 1)[1].split("\n## ", 1)[0]
    return [line for block in re.findall(r"```\n(.*?)```", section, re.DOTALL) for line in block.splitlines()]


def printed(result) -> list[str]:
    return (result.stdout + result.stderr).splitlines()


def test_every_readme_example_is_printed_verbatim(cli, report_dir, tmp_path):
    examples = readme_examples()
    assert len(examples) == 7
    folder = report_dir
    assert folder.name == "los-santos"
    seed = cli("validate", folder)
    assert seed.exit_code == 0, seed.output

    path = folder / "commentary.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("## Exploration {#exploration}\n", ADDED + "## Exploration {#exploration}\n", 1)
                    .replace("Almonty announces $1.4 million", "Almonty announces $1.9 million", 1), encoding="utf-8")
    altered = cli("validate", folder)
    assert altered.exit_code == 1
    path.write_text(text.replace("Almonty announces $1.4 million", "Almonty announces $1.9 million", 1),
                    encoding="utf-8")
    built = cli("build", folder, "-o", tmp_path / "out", "-t", "investor-summary")
    assert built.exit_code == 1

    lines = {line.replace(str(folder), "los-santos") for line in printed(seed) + printed(altered) + printed(built)}
    missing = [example for example in examples if example not in lines]
    assert missing == []
