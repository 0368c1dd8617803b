"""`counterclaim board`: the Textual app. It builds the board's context (``tui.context``) on the
store at start-up and hands it to each screen it opens; screens post messages for navigation and
slow jobs. Slow work runs in thread workers that only post messages; the UI thread renders, and
writes tags (one autocommitted INSERT each)."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from pathlib import Path

from textual import events, work
from textual.app import App
from textual.reactive import reactive
from textual.worker import get_current_worker

from tui.actions import bindings
from tui.board import BoardScreen
from tui.commands import BoardCommands
from tui.context import BoardContext
from tui.data import load_board
from tui.engine_log import NotifyHandler, attach, detach
from tui.jobs import run_abandonable
from tui.messages import (
    DataLoaded,
    JobDone,
    JobFailed,
    JobLog,
    OpenBoard,
    OpenPropositions,
    PairsRetagged,
    Reload,
    StartExport,
    StartRetrain,
    TagsChanged,
)
from tui.modals import HelpScreen, binding_rows
from tui.propositions import PropositionScreen
from tui.records import BoardData, PairItem, tag_item
from tui.team import TeamScreen
from tui.text import one_line
from tui.topics import TopicsScreen
from verify.analysts.session import DatabaseError, export_report, retrain
from verify.config import ADVANCE_CHOICES
from verify.views.board import BOARD_PAIRS
from verify.views.poll import Poller


def _summary(metrics: dict) -> str:
    if metrics.get("switched") is False:
        return f"model unchanged: {metrics.get('reason', 'the tags did not improve it')}"
    fit = metrics.get("tag_fit")
    if fit:
        held, public = fit["held_back_nll"], fit["public_nll"]
        return (
            f"retrained {metrics.get('version', 'stance model')} from {fit['verdicts']} verdicts"
            f" (tag weight {fit['weight']:g}; held-back NLL {held['shipped']:.3f} -> "
            f"{held['retrained']:.3f}, public {public['shipped']:.3f} -> "
            f"{public['retrained']:.3f}); every pair rescored"
        )
    overall = metrics.get("heldout", {}).get("all", {})
    f1 = f", held-out macro-F1 {overall['macro_f1']:.3f}" if "macro_f1" in overall else ""
    cv = metrics.get("analyst_cv", {})
    if "macro_f1" in cv:
        f1 += (
            f", {cv['folds']}-fold CV on {cv['n']} analyst verdicts: macro-F1 {cv['macro_f1']:.3f}"
        )
    elif "skipped" in cv:
        f1 += f" (no CV: {cv['skipped']})"
    return f"retrained {metrics.get('version', 'stance model')}{f1}; every pair rescored"


class BoardApp(App[None]):
    CSS_PATH = "board.tcss"
    TITLE = "Counterclaim"
    COMMANDS = App.COMMANDS | {BoardCommands}
    BINDINGS = bindings("app")
    # Classes every screen gets, which board.tcss keys on: -narrow/-wide and -short/-tall.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (120, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (36, "-tall")]
    #: Seconds between two looks for other analysts' tags (one PRAGMA when nothing changed).
    POLL_SECONDS = 2.0

    #: Everything the screens show; replaced whole by each load (screens watch it).
    data: reactive[BoardData | None] = reactive(None, always_update=True, init=False)
    #: The latest progress line of a running job, "" when idle.
    job: reactive[str] = reactive("")

    def __init__(
        self,
        db_path: str | Path,
        analyst: str,
        *,
        reviewers: tuple[str, ...] = (),
        advance: str = ADVANCE_CHOICES[0],
        poll_seconds: float | None = None,
        cursor_blink: bool = True,
        board_pairs: int = BOARD_PAIRS,
    ) -> None:
        super().__init__()
        #: Scored pairs a large store's board loads at most (``verify.views.board.BOARD_PAIRS``).
        self.board_pairs = board_pairs
        #: False: text cursors never blink (snapshot tests: a cursor mid-blink is a race).
        self.cursor_blink = cursor_blink
        self.db_path = str(db_path)
        self.analyst = analyst
        self._reviewers, self._advance = reviewers, advance
        self.poll_seconds = poll_seconds or self.POLL_SECONDS
        self._ctx: BoardContext | None = None
        self.poller: Poller | None = None
        self._poll_lock = threading.Lock()
        self._engine_log: NotifyHandler | None = None

    @property
    def ctx(self) -> BoardContext:
        """What the screens get: built on mount, on the UI thread (its connection's thread)."""
        assert self._ctx is not None, "the board's context is built when the app mounts"
        return self._ctx

    def on_mount(self) -> None:
        self._engine_log = attach(self)  # the engine's warnings, as notifications
        self._ctx = BoardContext.open(self.db_path, self.analyst, self._reviewers, self._advance)
        self.poller = Poller(self.db_path)
        self.push_screen(TopicsScreen(self.ctx))
        self.load()
        self.set_interval(self.poll_seconds, self.poll)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        if not self.cursor_blink and hasattr(event.widget, "cursor_blink"):
            event.widget.cursor_blink = False  # an Input or TextArea: a steady cursor

    def on_unmount(self) -> None:
        if self._engine_log is not None:
            detach(self._engine_log)
        if self._ctx is not None:
            self._ctx.close()
        with self._poll_lock:
            if self.poller is not None:
                self.poller.close()
                self.poller = None

    # -- other analysts' tags, without a manual reload ------------------------------------------
    @work(thread=True, group="poll", exit_on_error=False)
    def poll(self) -> None:
        if self.data is None or not self._poll_lock.acquire(blocking=False):
            return  # still loading, or the previous poll is still reading
        try:
            data = self.data
            if self.poller is None or not self.poller.changed():
                return
            changes = self.poller.read(data.max_tag_id, data.retracted)
        except DatabaseError:
            return  # e.g. the file is busy: the next tick tries again
        finally:
            self._poll_lock.release()
        if (
            changes.tags
            or changes.retracted
            or changes.model != data.model
            or changes.max_correction != data.max_correction
        ):
            self.post_message(TagsChanged(changes))

    def on_tags_changed(self, message: TagsChanged) -> None:
        data, changes = self.data, message.changes
        if data is None:
            return
        if changes.model != data.model or changes.max_correction != data.max_correction:
            self.load()  # retrained or a claim corrected elsewhere: what is listed changed
            return
        touched: dict[int, PairItem] = {}
        others: set[str] = set()
        for tag in map(tag_item, changes.tags):
            pair = data.by_id.get(tag.pair_id)
            if pair is not None and all(t.id != tag.id for t in pair.tags):
                pair.tags.append(tag)
                touched[pair.id] = pair
                if tag.analyst != self.analyst:
                    others.add(tag.analyst)
        gone = set(changes.retracted)
        for pair in data.pairs if gone else ():
            if any(t.id in gone for t in pair.tags):
                pair.tags[:] = [t for t in pair.tags if t.id not in gone]
                touched[pair.id] = pair
        data.max_tag_id = max(data.max_tag_id, changes.max_tag_id)
        data.retracted = data.retracted | gone
        if touched:
            for screen in self.screen_stack:
                if isinstance(screen, BoardScreen):
                    screen.post_message(PairsRetagged(list(touched.values())))
            if others:
                who = ", ".join(sorted(one_line(o, 20) for o in others))
                self.notify(f"{len(touched)} pair(s) tagged meanwhile by {who}", markup=False)

    # -- reading -------------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def load(self) -> None:
        worker = get_current_worker()
        # A large store opens in two reads: the topics screen's counts and the tagged pairs first
        # (a fraction of a second), then the most likely contradictions. A reload keeps what is
        # shown until the whole board is read.
        for first_screen in (True, False) if self.data is None else (False,):
            try:  # abandonable: `q` while a large board loads quits at once (tui/jobs.py)
                data = run_abandonable(
                    worker, partial(self._read, first_screen), lambda _line: None, "load"
                )
            except Exception as exc:  # shown to the analyst, never a crash
                if not worker.is_cancelled:  # a newer load is on its way
                    self.post_message(JobFailed("load", f"{self.db_path}: {exc}"))
                return
            if data is None or worker.is_cancelled:
                return
            self.post_message(DataLoaded(data))
            if not data.more_coming:
                return

    def _read(self, first_screen: bool, _log: Callable[[str], None]) -> BoardData:
        return load_board(self.db_path, self.board_pairs, first_screen)

    def on_data_loaded(self, message: DataLoaded) -> None:
        self.ctx.data = message.data  # what the screens read; setting ``data`` tells them
        self.data = message.data
        # The next poll reads from this data's marks: a tag the poller applied to the data this
        # replaces, committed after this data was read, would otherwise be lost to it. Under the
        # lock: a poll in progress would write its version over the reset.
        with self._poll_lock:
            if self.poller is not None:
                self.poller.version = None

    def on_reload(self, _message: Reload) -> None:
        self.load()

    # -- slow jobs -------------------------------------------------------------------------------
    def on_start_export(self, message: StartExport) -> None:
        self.export(message.fmt, message.path)

    @work(thread=True, exclusive=True, group="export", exit_on_error=False)
    def export(self, fmt: str, path: str) -> None:
        self.post_message(JobLog("export", f"writing {path}"))
        worker = get_current_worker()
        try:
            target = run_abandonable(
                worker,
                lambda _log: export_report(self.db_path, fmt, path),
                lambda _line: None,
                "export",
            )
        except Exception as exc:
            self.post_message(JobFailed("export", f"{path}: {exc}"))
            return
        if target is not None:
            self.post_message(JobDone("export", f"wrote {target}"))

    def on_start_retrain(self, _message: StartRetrain) -> None:
        if any(w.group == "retrain" and w.is_running for w in self.workers):
            self.notify("a retrain is already running", severity="warning")
            return
        self._retrain_worker()

    @work(thread=True, group="retrain", exit_on_error=False)
    def _retrain_worker(self) -> None:
        def log(line: str) -> None:
            self.post_message(JobLog("retrain", line))

        worker = get_current_worker()
        try:  # abandonable: `q` during a retrain quits at once (tui/jobs.py)
            metrics = run_abandonable(worker, lambda lg: retrain(self.db_path, lg), log, "retrain")
        except Exception as exc:  # e.g. no public data or no base model
            self.post_message(JobFailed("retrain", str(exc)))
            return
        if metrics is not None:
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
        if message.job == "load" and self.data is not None and self.data.more_coming:
            # The first screen stays, no longer "loading" what will not come.
            self.ctx.data = replace(self.data, more_coming=False)  # what the screens read first
            self.data = self.ctx.data
        self.notify(
            message.error, title=f"{message.job} failed", severity="error", markup=False, timeout=12
        )

    # -- navigation ------------------------------------------------------------------------------
    def on_open_board(self, message: OpenBoard) -> None:
        if message.fresh:
            while len(self.screen_stack) > 2:  # the default screen and the topics stay
                self.pop_screen()
        self.push_screen(BoardScreen(self.ctx, message.topic))

    def on_open_propositions(self, message: OpenPropositions) -> None:
        self.push_screen(PropositionScreen(self.ctx, message.topic))

    def action_reload(self) -> None:
        self.load()

    def action_team(self) -> None:
        if self.data is None or isinstance(self.screen, TeamScreen):
            return
        topic = self.screen.topic if isinstance(self.screen, BoardScreen) else None
        self.push_screen(TeamScreen(self.data, topic))

    def action_help(self) -> None:
        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen(binding_rows(self.screen, self.screen.active_bindings)))


def run_board(db_path: str, analyst: str) -> int:
    """Entry point of `counterclaim board`."""
    if not Path(db_path).is_file():
        print(
            f"counterclaim: {db_path}: no such database; build one with `counterclaim run`",
            file=sys.stderr,
        )
        return 2
    from verify.config import advance, load_config, reviewers

    config = load_config()
    BoardApp(db_path, analyst, reviewers=reviewers(config), advance=advance(config)).run()
    return 0
