"""`counterclaim board`: the Textual app. Slow work runs in thread workers that only post
messages; the UI thread renders, and writes tags (one autocommitted INSERT each)."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

from textual import work
from textual.app import App
from textual.binding import Binding
from textual.reactive import reactive
from textual.worker import get_current_worker

from .board import BoardScreen
from .commands import BoardCommands
from .data import Writer, load_board
from .engine import export_report, retrain
from .messages import DataLoaded, JobDone, JobFailed, JobLog
from .modals import HelpScreen, binding_rows
from .model import BoardData, PairItem, TagItem
from .text import one_line
from .topics import TopicsScreen


def _summary(metrics: dict) -> str:
    overall = metrics.get("heldout", {}).get("all", {})
    f1 = f", held-out macro-F1 {overall['macro_f1']:.3f}" if "macro_f1" in overall else ""
    cv = metrics.get("analyst_cv", {})
    if "macro_f1" in cv:
        f1 += f", {cv['folds']}-fold CV on {cv['n']} analyst verdicts: macro-F1 {cv['macro_f1']:.3f}"
    elif "skipped" in cv:
        f1 += f" (no CV: {cv['skipped']})"
    return f"retrained {metrics.get('version', 'stance model')}{f1}; every pair rescored"


class BoardApp(App[None]):
    CSS_PATH = "board.tcss"
    TITLE = "Counterclaim"
    COMMANDS = App.COMMANDS | {BoardCommands}
    BINDINGS = [
        Binding("f1", "help", "Help", tooltip="Show every key"),
        Binding("q", "quit", "Quit"),
        Binding("f5", "reload", "Reload", show=False,
                tooltip="Reload from the database (tags made with the CLI meanwhile)"),
    ]

    #: Everything the screens show; replaced whole by each load (screens watch it).
    data: reactive[BoardData | None] = reactive(None, always_update=True, init=False)
    #: The latest progress line of a running job, "" when idle.
    job: reactive[str] = reactive("")

    def __init__(self, db_path: str | Path, analyst: str) -> None:
        super().__init__()
        self.db_path = str(db_path)
        self.analyst = analyst
        self.writer: Writer | None = None

    def on_mount(self) -> None:
        self.writer = Writer(self.db_path)
        self.push_screen(TopicsScreen())
        self.load()

    def on_unmount(self) -> None:
        if self.writer is not None:
            self.writer.close()

    # -- reading -------------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def load(self) -> None:
        worker = get_current_worker()
        try:
            data = load_board(self.db_path)
        except Exception as exc:  # noqa: BLE001 - shown to the analyst, never a crash
            self.post_message(JobFailed("load", f"{self.db_path}: {exc}"))
            return
        if not worker.is_cancelled:
            self.post_message(DataLoaded(data))

    def on_data_loaded(self, message: DataLoaded) -> None:
        self.data = message.data

    def article_text(self, article_id: int) -> str:
        return self.writer.article_text(article_id) if self.writer else ""

    # -- writing -------------------------------------------------------------------------------
    def tag(self, pair: PairItem, label: str, note: str = "") -> TagItem | None:
        """Store the tag (committed before this returns), then show it."""
        assert self.writer is not None
        try:
            tag = self.writer.tag(pair.id, label, self.analyst, note)
        except (sqlite3.Error, KeyError, ValueError) as exc:
            self.notify(f"tag NOT saved: {exc}", severity="error", markup=False)
            return None
        pair.tags.append(tag)
        return tag

    def undo(self) -> tuple[TagItem, PairItem | None] | None:
        """Retract this analyst's latest tag; returns it and its pair (if loaded)."""
        assert self.writer is not None
        try:
            tag = self.writer.undo(self.analyst)
        except sqlite3.Error as exc:
            self.notify(f"undo failed: {exc}", severity="error", markup=False)
            return None
        if tag is None:
            self.notify("nothing to undo: no tag of yours is left", severity="warning", markup=False)
            return None
        pair = self.data.by_id.get(tag.pair_id) if self.data else None
        if pair is not None:
            pair.tags[:] = [t for t in pair.tags if t.id != tag.id]
        self.notify(f"undid {tag.label} on pair #{tag.pair_id}", markup=False)
        return tag, pair

    # -- slow jobs -------------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="export", exit_on_error=False)
    def export(self, fmt: str, path: str) -> None:
        self.post_message(JobLog("export", f"writing {path}"))
        try:
            target = export_report(self.db_path, fmt, path)
        except Exception as exc:  # noqa: BLE001
            self.post_message(JobFailed("export", f"{path}: {exc}"))
            return
        self.post_message(JobDone("export", f"wrote {target}"))

    def start_retrain(self) -> None:
        if any(w.group == "retrain" and w.is_running for w in self.workers):
            self.notify("a retrain is already running", severity="warning")
            return
        self._retrain_worker()

    @work(thread=True, group="retrain", exit_on_error=False)
    def _retrain_worker(self) -> None:
        def log(line: str) -> None:
            self.post_message(JobLog("retrain", line))

        try:
            metrics = retrain(self.db_path, log)
        except Exception as exc:  # noqa: BLE001 - e.g. no public data or no base model
            self.post_message(JobFailed("retrain", str(exc)))
            return
        self.post_message(JobDone("retrain", _summary(metrics)))

    def on_job_log(self, message: JobLog) -> None:
        self.job = f"{message.job}: {one_line(message.line, 160)}"

    def on_job_done(self, message: JobDone) -> None:
        self.job = ""
        self.notify(message.summary, title=message.job, markup=False)
        if message.job == "retrain":
            self.load()

    def on_job_failed(self, message: JobFailed) -> None:
        self.job = ""
        self.notify(message.error, title=f"{message.job} failed", severity="error", markup=False,
                    timeout=12)

    # -- navigation ------------------------------------------------------------------------------
    def open_topic(self, topic: int | None) -> None:
        while len(self.screen_stack) > 2:
            self.pop_screen()
        self.push_screen(BoardScreen(topic))

    def action_reload(self) -> None:
        self.load()

    def action_help(self) -> None:
        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen(binding_rows(self.screen, self.screen.active_bindings)))


def run_board(db_path: str, analyst: str) -> int:
    """Entry point of `counterclaim board`."""
    if not Path(db_path).is_file():
        print(f"counterclaim: {db_path}: no such database; build one with `counterclaim run`",
              file=sys.stderr)
        return 2
    BoardApp(db_path, analyst).run()
    return 0
