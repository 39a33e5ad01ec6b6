"""Stale temporary folders: a name whose process id no process can have (0, or past pid_max) is
stale, never taken for a running build (os.kill(0, 0) signals our own process group and succeeds;
a number past a C int overflows it)."""

from __future__ import annotations

import os

import pytest

from reporter.render.tempdir import PREFIX, process_running, remove_stale


@pytest.mark.parametrize("pid", [0, -1, 2**22 + 1, 99999999999999999999])
def test_no_process_has_an_impossible_id(pid):
    assert process_running(pid) is False


def test_our_own_process_runs():
    assert process_running(os.getpid()) is True


def test_folders_named_after_impossible_processes_are_removed(tmp_path):
    stale = [tmp_path / f"{PREFIX}0-abc", tmp_path / f"{PREFIX}99999999999999999999-abc"]
    live = tmp_path / f"{PREFIX}{os.getpid()}-abc"
    for folder in [*stale, live]:
        folder.mkdir()
    assert sorted(remove_stale(tmp_path)) == sorted(stale)
    assert live.is_dir()
