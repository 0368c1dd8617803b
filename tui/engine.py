"""The board's slow jobs, run in thread workers: retrain + rescore, and export.

Each opens its own ``Store`` (a SQLite connection belongs to its thread) and reports progress
through a ``log`` callback, never by printing: stdout belongs to the terminal UI."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from verify.store import Store

Log = Callable[[str], None]


def retrain(db_path: str | Path, log: Log) -> dict:
    """``counterclaim train`` from the board: ``verify.retrain.retrain`` on its own connection."""
    from verify.retrain import retrain as engine_retrain

    store = Store(db_path)
    try:
        return engine_retrain(store, log)
    finally:
        store.close()


def default_export_path(db_path: str | Path, fmt: str) -> Path:
    db = Path(db_path)
    return db.with_name(f"{db.stem}-report.{fmt}")


def export_report(db_path: str | Path, fmt: str, path: str | Path) -> Path:
    """``counterclaim export`` from the board: the report (and, for md, its pictures) at ``path``."""
    from verify.report import write_report

    store = Store(db_path)
    try:
        return write_report(store, fmt, Path(path).expanduser())[0]
    finally:
        store.close()
