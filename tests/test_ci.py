"""CI runs what it says: every make target .ci/run calls has a recipe (a lost one passes silently)."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from helpers import REPO


def ci_targets() -> list[str]:
    return re.findall(r"^make (\S+)", (REPO / ".ci" / "run").read_text(encoding="utf-8"), re.M)


def test_ci_runs_the_type_check_the_tests_and_the_lowest_versions():
    assert ci_targets() == ["typecheck", "test", "test-lowest"]


@pytest.mark.slow  # starts a process of its own
@pytest.mark.skipif(shutil.which("make") is None, reason="NOT RUN: no make on this machine")
@pytest.mark.parametrize("target, command", [("typecheck", "-m mypy"), ("test", "-m pytest"),
                                             ("test-lowest", "--resolution lowest-direct"),
                                             ("docs", "mkdocs build --strict"), ("run", "reporter build")])
def test_every_make_target_has_its_recipe(target, command):
    """`make -n` prints what a target would run: "Nothing to be done" would mean no recipe at all."""
    shown = subprocess.run(["make", "-n", "-C", str(REPO), target, "STAMP=/dev/null"], capture_output=True,
                           text=True, timeout=60)
    assert shown.returncode == 0, shown.stderr
    assert command in shown.stdout and "Nothing to be done" not in shown.stdout + shown.stderr, shown.stdout
