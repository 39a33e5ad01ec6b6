"""The commands. Takes the command line; gives exit codes and one line per file written or per
mistake. `app` wires options to the stages and holds no logic; `progress` shows a production
run, `preview` rebuilds on every change, `validation` lays out `reporter validate`."""

import os
import signal
import sys


def _stopped_while_starting(signum: int, frame) -> None:
    """Leave at once, quietly: nothing has been made or written before run() starts."""
    os.write(2, b"interrupted: nothing written\n")
    os._exit(128 + signum)


# Started as the program (`reporter`, `python -m reporter`), a Ctrl-C or SIGTERM while Python
# imports the command line would print a traceback, or end the process before run() has made its
# temporary folder's clean-up sure; run() puts its own handlers in place. Imported by a program of
# its own (tests, the Python API), nothing changes.
if os.path.basename(sys.argv[0] if sys.argv else "") == "reporter" or \
        (sys.argv and sys.argv[0].endswith(os.path.join("reporter", "__main__.py"))):
    for _signum in (signal.SIGINT, signal.SIGTERM):
        if signal.getsignal(_signum) is not signal.SIG_IGN:  # ignored by who started us: stays so
            signal.signal(_signum, _stopped_while_starting)
