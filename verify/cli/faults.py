"""How a command ends when something outside it fails: the exit codes, the signals, and the one
place that turns a runtime fault (a SQLite error, a closed pipe, an unreadable file) into one line
naming the file. Standard library only, so that ``main`` can install the signal handlers before
the engine's heavy imports: a Ctrl-C in the first moments of a command is one line too."""

from __future__ import annotations

import contextlib
import os
import signal
import sqlite3
import sys
from collections.abc import Callable, Iterator
from types import FrameType

EXIT_REFUSED = 1  # the run finished, but some input was refused (each named on stderr)
EXIT_USAGE = 2
EXIT_BACKEND = 3  # the Ray cluster could not be reached, or failed mid-run
EXIT_IO = 4  # the database or a file could not be read or written (one line names it)
EXIT_BUSY = 5  # another `run` is going on the same store: this one did not start
EXIT_INTERRUPTED = 130  # Ctrl-C (SIGINT), as a shell reports it
EXIT_PIPE = 141  # stdout closed by the reader (`| head`): ends quietly, as SIGPIPE would
EXIT_TERMINATED = 143  # SIGTERM
EXIT_INTERNAL = 70  # a fault of the program itself (BSD's EX_SOFTWARE): one line, please report it


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised like Ctrl-C so that every ``except KeyboardInterrupt`` that cleans up
    (marking a run interrupted, rolling a transaction back) does so for both."""


def exit_code(stop: BaseException) -> int:
    return EXIT_TERMINATED if isinstance(stop, Terminated) else EXIT_INTERRUPTED


def _raise(signum: int, _frame: FrameType | None) -> None:
    raise Terminated() if signum == signal.SIGTERM else KeyboardInterrupt()


@contextlib.contextmanager
def while_running() -> Iterator[None]:
    """The first thing ``main`` does (the CLI module imports nothing heavy before it): inside,
    SIGINT raises KeyboardInterrupt and SIGTERM ``Terminated``; the previous handlers after."""
    try:
        before = signal.signal(signal.SIGINT, _raise), signal.signal(signal.SIGTERM, _raise)
    except ValueError:  # not the main thread (a caller embedding ``main``): leave signals be
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, before[0])
        signal.signal(signal.SIGTERM, before[1])


# -- SQLite errors in our words ---------------------------------------------------------------
_REASONS = {
    "SQLITE_BUSY": "locked by another process for longer than the 30 s wait; try again later",
    "SQLITE_LOCKED": "locked by another process for longer than the 30 s wait; try again later",
    "SQLITE_READONLY": "cannot be written (a read-only file or folder)",
    "SQLITE_FULL": "the disk is full; what was stored before is kept",
    "SQLITE_IOERR": "an I/O error while reading or writing it",
    "SQLITE_CORRUPT": "the database file is corrupt",
    "SQLITE_NOTADB": "not a SQLite database",
    "SQLITE_CANTOPEN": "cannot be opened (a folder, or a folder that does not exist?)",
    "SQLITE_PERM": "permission denied",
}


def sqlite_reason(exc: sqlite3.Error) -> str:
    """One reason for a SQLite error, from its code (``SQLITE_READONLY_DIRECTORY`` reads as
    ``SQLITE_READONLY``), else its message."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    for prefix, reason in _REASONS.items():
        if name == prefix or name.startswith(prefix + "_"):
            return reason
    text = " ".join(str(exc).split())
    if "readonly" in text or "read-only" in text:
        return _REASONS["SQLITE_READONLY"]
    if "disk is full" in text:  # raised by Python's sqlite3 without a code on some paths
        return _REASONS["SQLITE_FULL"]
    return text or type(exc).__name__


def _quiet_stdout() -> None:
    """The reader went away: later writes (and the flush at exit) go nowhere, silently."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def _line(text: str) -> None:
    from verify.printable import printable

    try:
        print(printable(f"counterclaim: {text}"), file=sys.stderr)
    except OSError:  # stderr gone as well: the exit code says it
        pass


def guarded(body: Callable[[], int], db: Callable[[], str | None]) -> int:
    """``body``'s exit code, or the code and one line for a fault it did not handle itself;
    ``db``: the database the command named (None before its arguments are read)."""
    try:
        return body()
    except KeyboardInterrupt as stop:
        _line("terminated" if isinstance(stop, Terminated) else "interrupted")
        return exit_code(stop)
    except BrokenPipeError:
        _quiet_stdout()
        return EXIT_PIPE
    except sqlite3.Error as exc:
        _line(f"{db() or 'the database'}: {sqlite_reason(exc)}")
        return EXIT_IO
    except MemoryError:
        _line("out of memory")
        return EXIT_IO
    except OSError as exc:  # a file the command reads or writes; one line naming it
        where = exc.filename or db() or "a file"
        _line(f"{where}: {exc.strerror or exc}")
        return EXIT_IO
    except Exception as exc:  # a bug: still one line (its type and message), never a traceback
        text = " ".join(f"{type(exc).__name__}: {exc}".split())
        _line(f"internal error, please report it: {text[:300]}")
        return EXIT_INTERNAL
