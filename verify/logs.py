"""Where the engine's log records go: the CLI's route to stderr, one printable line each.

Library code logs through ``logging.getLogger(__name__)`` (every logger under ``verify``) and
never prints; the ``log`` callbacks that carry a job's progress default to such a logger's
``info``. An entry point picks the destination: ``to_stderr()`` for the command line, a handler
of its own for the board (``tui``). Unrouted, the standard library's last-resort handler still
shows warnings on stderr, so a library user is not left blind.
"""

from __future__ import annotations

import contextlib
import logging
import sys
from collections.abc import Iterator

from verify.printable import printable

ROOT = "verify"
#: Warnings and errors name their origin, as the CLI's own error lines do.
PREFIX = "counterclaim: "


def line(record: logging.LogRecord) -> str:
    """The record as one terminal-safe line: control characters in quoted input escaped."""
    text = record.getMessage()
    return printable(PREFIX + text if record.levelno >= logging.WARNING else text)


class StderrLines(logging.Handler):
    """Writes to ``sys.stderr`` as it is at each record (pytest's capture, a redirect)."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            print(line(record), file=sys.stderr, flush=True)
        except Exception:  # logging must not end the run
            self.handleError(record)


@contextlib.contextmanager
def to_stderr(level: int = logging.INFO) -> Iterator[None]:
    """Route the ``verify`` loggers' records at ``level`` and above to stderr while inside."""
    logger = logging.getLogger(ROOT)
    handler, previous = StderrLines(level), logger.level
    logger.addHandler(handler)
    logger.setLevel(level)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(previous)
