"""A hard stop for a render stuck in one long C call, which no Python-level check can interrupt.

The sandbox sizes the calls it knows before they run, and SIGALRM stops slow Python code; but a
C call holds the GIL until it returns (`sum` over lists, a regex, a Pango layout), so neither the
deadline alarm nor Ctrl-C's handler runs, and no thread of this process can act either. So a
small helper process (a fresh interpreter, its own session, so Ctrl-C at the terminal does not
reach it) watches this one while a render is `guarded`:

- past the guard's deadline, it prints the guard's one line and kills this process;
- past the memory ceiling (resident size grown since the guard began, read from /proc every
  50 ms), the same;
- when SIGINT or SIGTERM arrives (the C-level signal handler writes its number to the helper's
  pipe through `signal.set_wakeup_fd`, GIL or not) and the render has not stopped 2 s later,
  it prints `interrupted: nothing written` and kills this process.

Nothing is written while a render runs (writes come after, atomically), so a kill leaves the
earlier outputs intact; the shell sees exit status 137 (killed) for these hard stops. The helper
exits as soon as this process does (its command pipe reaches end of file). Only the main thread
is guarded, and a multiprocessing worker only once it says where its stops are reported
(`report_stops`): a production run's worker is killed by the same bounds, and the run reads the
document's one line from that file (see reporter.production.run), since its stderr is not the
user's.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from typing import Iterator

INTERRUPT_GRACE_SECONDS = 2.0  # the build's own handler usually stops it in milliseconds
POLL_SECONDS = 0.05

HELPER = r"""
import json, os, select, signal, sys, time
parent, commands, signals, grace, poll = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5])
page = os.sysconf("SC_PAGE_SIZE")
armed, interrupted_at, pending = None, None, b""

def resident():
    try:
        with open(f"/proc/{parent}/statm", "rb") as statm:
            return int(statm.read().split()[1]) * page
    except (OSError, ValueError, IndexError):
        return 0

def stop(message):
    data = message.encode("utf-8", "replace") + b"\n"
    try:  # a production run's worker: the line goes where the run reads it
        fd = os.open(armed["report"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
        os.write(fd, data)
        os.close(fd)
    except (KeyError, TypeError, OSError):
        os.write(2, data)
    try:
        os.kill(parent, signal.SIGKILL)
    finally:
        os._exit(0)

while True:
    ready = select.select([commands, signals], [], [], poll)[0]
    if os.getppid() != parent:  # the build is gone (a process it forked may still hold the pipe)
        os._exit(0)
    if commands in ready:
        data = os.read(commands, 65536)
        if not data:
            os._exit(0)
        pending += data
        while b"\n" in pending:
            line, pending = pending.split(b"\n", 1)
            armed = json.loads(line) or None
            if armed:
                armed["until"] = time.monotonic() + armed["seconds"]
                armed["base"] = resident()  # what the process held before: preview and tests live long
            interrupted_at = None
    if signals in ready:
        for signum in os.read(signals, 4096):
            if signum in (signal.SIGINT, signal.SIGTERM) and armed and interrupted_at is None:
                interrupted_at = time.monotonic()
    if armed:
        if interrupted_at is not None and time.monotonic() > interrupted_at + grace:
            stop("interrupted: nothing written")
        if time.monotonic() > armed["until"]:
            stop(armed["late"])
        if resident() - armed["base"] > armed["memory"]:
            stop(armed["heavy"])
"""


class _Helper:
    """The helper process and the two pipes to it: commands, and signal numbers."""

    def __init__(self) -> None:
        command_read, self.commands = os.pipe()
        signal_read, self.signals = os.pipe()
        os.set_blocking(self.signals, False)  # set_wakeup_fd needs it: a full pipe drops a byte
        self.process = subprocess.Popen(
            [sys.executable, "-I", "-S", "-c", HELPER, str(os.getpid()), str(command_read), str(signal_read),
             str(INTERRUPT_GRACE_SECONDS), str(POLL_SECONDS)],
            pass_fds=(command_read, signal_read), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            start_new_session=True)
        os.close(command_read)
        os.close(signal_read)
        for fd in (self.commands, self.signals):
            os.set_inheritable(fd, False)
        self.stack: list[dict] = []

    def send(self, watch: dict | None) -> None:
        """Arm the helper with `watch` (its time left counted from now), or disarm it with None."""
        command = None if watch is None else {**watch, "seconds": max(watch["until"] - time.monotonic(), 0)}
        os.write(self.commands, json.dumps(command).encode() + b"\n")


_helper: _Helper | None = None
_helper_pid: int | None = None
_report: str | None = None  # where a worker's stop line is written (report_stops), None: stderr


@contextmanager
def report_stops(path: os.PathLike | str) -> Iterator[None]:
    """Guard the renders in the body in this worker process too, a stop's line written to `path`
    (created then, for the production run to read once the worker is gone) instead of stderr."""
    global _report
    previous, _report = _report, os.fspath(path)
    try:
        yield
    finally:
        _report = previous


def _watching() -> _Helper | None:
    global _helper, _helper_pid
    if threading.current_thread() is not threading.main_thread():
        return None
    if multiprocessing.parent_process() is not None and _report is None:
        return None
    if not sys.platform.startswith("linux"):
        return None
    if _helper is None or _helper_pid != os.getpid() or _helper.process.poll() is not None:
        _helper, _helper_pid = _Helper(), os.getpid()
    return _helper


@contextmanager
def guarded(seconds: float, memory_bytes: int, late: str, heavy: str) -> Iterator[None]:
    """Run the body under the helper's watch: `late` is printed past `seconds`, `heavy` once the
    resident size has grown `memory_bytes` since the guard began, each before this process is killed."""
    helper = _watching()
    if helper is None:
        yield
        return
    watch = {"until": time.monotonic() + seconds, "memory": memory_bytes, "late": late, "heavy": heavy,
             "report": _report}
    helper.stack.append(watch)
    helper.send(watch)
    previous_fd = signal.set_wakeup_fd(helper.signals, warn_on_full_buffer=False)
    try:
        yield
    finally:
        signal.set_wakeup_fd(previous_fd)
        helper.stack.pop()
        helper.send(helper.stack[-1] if helper.stack else None)  # an outer guard, as it was
