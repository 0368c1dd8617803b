"""The engine's warnings as the board's notifications, from any thread.

Engine code logs through ``logging`` under the ``verify`` logger (``verify.logs``) and never
prints: on the board stderr is captured by Textual and a printed line would vanish. While the
app runs, ``attach`` hangs a handler on that logger that turns each WARNING or worse (a broken
config file, the stance model falling back to torch, a retrained head that no longer loads)
into a notification. ``App.notify`` is thread-safe, so records from the thread workers that run
the engine are shown as they come. Progress lines keep their own path (the jobs' ``log``).
"""

from __future__ import annotations

import logging

from textual.app import App
from textual.notifications import SeverityLevel

from tui.text import one_line

ENGINE_LOGGER = "verify"


class NotifyHandler(logging.Handler):
    def __init__(self, app: App, level: int = logging.WARNING) -> None:
        super().__init__(level)
        self.app = app

    def emit(self, record: logging.LogRecord) -> None:
        try:
            severity: SeverityLevel = "error" if record.levelno >= logging.ERROR else "warning"
            self.app.notify(
                one_line(record.getMessage(), 300), title="engine", severity=severity, markup=False
            )
        except Exception:  # a log record must never break the engine's thread
            self.handleError(record)


def attach(app: App) -> NotifyHandler:
    handler = NotifyHandler(app)
    logging.getLogger(ENGINE_LOGGER).addHandler(handler)
    return handler


def detach(handler: NotifyHandler) -> None:
    logging.getLogger(ENGINE_LOGGER).removeHandler(handler)
