"""Slow engine calls that a quit must not wait for.

A Textual thread worker runs in asyncio's default executor, whose threads are joined when the
app's loop closes: a worker stuck in a ten-minute retrain would keep `q` from quitting. So the
engine call runs in a daemon thread and the worker only waits on it, checking cancellation; on
quit the worker returns at once, and the engine stops at its next progress line (``log`` raises)
or with the process. What it leaves half-written is never made current: the retrain switches
the store's model only after the model is saved."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

from textual.worker import Worker

T = TypeVar("T")


class Cancelled(Exception):
    """Raised inside an abandoned job at its next progress line."""


def run_abandonable(
    worker: Worker, job: Callable[[Callable[[str], None]], T], log: Callable[[str], None], name: str
) -> T | None:
    """``job(log)`` in a daemon thread; ``None`` as soon as ``worker`` is cancelled."""
    done = threading.Event()
    result: dict[str, object] = {}

    def checked_log(line: str) -> None:
        if worker.is_cancelled:
            raise Cancelled(name)
        log(line)

    def target() -> None:
        try:
            result["value"] = job(checked_log)
        except BaseException as exc:  # handed to the worker below
            result["error"] = exc
        finally:
            done.set()

    threading.Thread(target=target, name=f"counterclaim-{name}", daemon=True).start()
    while not done.wait(0.05):
        if worker.is_cancelled:
            return None
    if "error" in result:
        raise result["error"]  # type: ignore[misc]
    return result.get("value")  # type: ignore[return-value]
