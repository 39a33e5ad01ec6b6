"""Ctrl-C and SIGTERM stop a build without writing anything.

WeasyPrint catches every exception while it draws an SVG, KeyboardInterrupt included, and goes
on to write a half-drawn PDF. So the signal is also remembered here, and `check()`, called when
the renderer returns, raises it again: an interrupted render never reaches the write stage.
"""

from __future__ import annotations

import signal
import threading
from contextlib import contextmanager
from typing import Iterator

HANDLED = (signal.SIGINT, signal.SIGTERM)
_received: list[int] = []


class Interrupted(KeyboardInterrupt):
    """The build was stopped by a signal; nothing was written."""

    def __init__(self, signum: int):
        super().__init__(signal.Signals(signum).name)
        self.signum = signum
        self.message = "interrupted: nothing written"  # what the CLI prints; a production run may say more

    def __reduce__(self):  # raised in a worker process, it is pickled back to the run
        return Interrupted, (self.signum,)

    @property
    def exit_code(self) -> int:
        return 128 + self.signum  # the shell's convention: 130 for SIGINT, 143 for SIGTERM


def _handle(signum: int, frame) -> None:
    _received.append(signum)
    raise Interrupted(signum)


@contextmanager
def interrupts() -> Iterator[None]:
    """Turn SIGINT and SIGTERM into Interrupted for the duration (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    _received.clear()
    previous = {signum: signal.signal(signum, _handle) for signum in HANDLED}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        _received.clear()


def check() -> None:
    """Raise Interrupted if a signal arrived and something swallowed its exception."""
    if _received:
        raise Interrupted(_received[0])
