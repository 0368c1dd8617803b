"""Imported first by ``verify.cli.main``: when this process is the command itself (``counterclaim`` or
``python -m verify.cli``, not a program importing the CLI), a Ctrl-C or SIGTERM during the start-up
imports ends at once with one line and the exit code: nothing is open or written yet. ``main``
then installs the handlers that let a command clean up (``verify.cli.faults.while_running``)."""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path
from types import FrameType

_CODES: dict[int, int] = {
    signal.SIGINT: 130,
    signal.SIGTERM: 143,
}  # cli_faults' EXIT_INTERRUPTED, EXIT_TERMINATED


def _leave_now(signum: int, _frame: FrameType | None) -> None:
    os.write(2, b"counterclaim: stopped while starting; nothing was written\n")
    os._exit(_CODES.get(signum, 130))


def _is_the_command() -> bool:
    arg0 = sys.argv[0] if sys.argv else ""
    # ``counterclaim``, or ``python -m verify.cli`` (argv[0] is verify/cli/__main__.py or main.py)
    return os.path.basename(arg0) == "counterclaim" or Path(arg0).parent.parts[-2:] == (
        "verify",
        "cli",
    )


if _is_the_command():
    for _sig in _CODES:
        signal.signal(_sig, _leave_now)


def finished() -> None:
    """The command is done and has said so: a signal from here on (Python resets its handlers
    while it shuts down, and the default action would kill it without a word) is ignored."""
    if _is_the_command():
        for sig in _CODES:
            signal.signal(sig, signal.SIG_IGN)
