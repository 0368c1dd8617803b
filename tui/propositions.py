"""The proposition screen: one proposition on top, the claims that support it and the claims that
refute it in two columns grouped by side, the rest under them. Keys tag a claim's stance toward
the proposition (committed at once through ``verify.propositions.edit``), undo, pin a claim or type
a proposition, withdraw one, and move between propositions. A new proposition is scored by the
stance model in a thread worker that only posts messages."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Static

from tui.actions import bindings
from tui.context import BoardContext
from tui.messages import OpenBoard, Reload
from tui.modals import ArticleScreen, ConfirmScreen
from tui.prop_parts import ProposeScreen, StanceColumn, header
from tui.text import literal, one_line
from verify.analysts.session import DatabaseError, PropositionError, add_and_score, check_text

COLUMNS = ("supporters", "refuters", "others")


class Scored(Message):
    """The scoring worker finished: ``summary`` for the analyst, ``prop_id`` to show."""

    def __init__(self, summary: str, prop_id: int | None) -> None:
        super().__init__()
        self.summary, self.prop_id = summary, prop_id


class ScoreFailed(Message):
    def __init__(self, error: str) -> None:
        super().__init__()
        self.error = error


class PropositionScreen(Screen):
    # Every key comes from tui/actions.py: the footer, help and the palette read the same rows.
    ACTION_TABLE = "propositions"
    BINDINGS: ClassVar[list[BindingType]] = [*bindings(ACTION_TABLE)]

    def __init__(self, ctx: BoardContext, topic: int | None) -> None:
        super().__init__()
        self.ctx = ctx
        self.topic = topic
        self.views: list[dict[str, Any]] = []
        self.index = 0
        self._live = False  # mounted and not yet closed: reads and writes may go on
        self._job = ""  # the scoring worker's line while it runs
        self._claims: dict[int, dict[str, Any]] | None = None
        #: A stance tag or a proposition changed pair values (verify.stages.pair_value): the board's
        #: data is read again when this screen is left.
        self._changed = False

    @property
    def current(self) -> dict[str, Any] | None:
        return self.views[self.index] if 0 <= self.index < len(self.views) else None

    def compose(self) -> ComposeResult:
        yield Static(id="prop-title", classes="title-bar")
        with Horizontal(id="prop-columns"):
            yield StanceColumn("supporters")
            yield StanceColumn("refuters")
        yield StanceColumn("others")
        yield Static(id="status", classes="status-bar -idle")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        # The context's connection, on the UI thread: a tag is one autocommitted INSERT (ms).
        self._live = True
        self.reload()
        self.query_one("#supporters", StanceColumn).focus()
        # f5, a retrain or a correction reloads the app's data: read the propositions again too.
        self.watch(self.app, "data", self._data_changed, init=False)

    def _data_changed(self, _data: object) -> None:
        self._claims = None  # corrected claims, a re-run: read them again
        self.reload()

    def on_unmount(self) -> None:
        self._live = False
        self._left()

    def on_screen_suspend(self) -> None:
        self._left()  # the board opened over this screen (b)

    def _left(self) -> None:
        if self._changed:  # the pairs' values moved with the stances: the board reads them anew
            self._changed = False
            self.app.post_message(Reload())

    def on_resize(self) -> None:
        self._fill()

    # -- filling -----------------------------------------------------------------------------
    def reload(
        self, keep_prop: int | None = None, keep_claim: int | None = None, follow: bool = True
    ) -> None:
        """Read the propositions again (after any change) and keep the place; ``follow``: the
        cursor follows the selected claim into its new column (not after a tag)."""
        if not self._live:
            return  # the screen has been closed
        current = self.current
        keep_prop = keep_prop if keep_prop is not None else (current["id"] if current else None)
        if keep_claim is None and follow:
            keep_claim = self.claim_id
        if self._claims is None:  # claims change on a load, not on a tag: read them once
            self._claims = self.ctx.claim_views()
        self.views = self.ctx.propositions(self._claims, self.topic)
        ids = [v["id"] for v in self.views]
        if keep_prop in ids:
            self.index = ids.index(keep_prop)
        self.index = min(self.index, max(len(self.views) - 1, 0))
        self._fill(keep_claim)

    def _columns(self) -> list[StanceColumn]:
        return [self.query_one(f"#{c}", StanceColumn) for c in COLUMNS]

    def _fill(self, keep_claim: int | None = None, stay: bool = True) -> None:
        if not self._live:
            return
        focused = self.focused if isinstance(self.focused, StanceColumn) else None
        view = self.current
        width = max(self.size.width // 2 - 6, 20)
        landed = None
        for column in self._columns():
            column.fill(view[column.column] if view else [], width, keep_claim, stay)
            if keep_claim is not None and column.index_of(keep_claim) is not None:
                landed = column
        self.query_one("#prop-title", Static).update(
            header(view, self.index, len(self.views), self.ctx.analyst)
        )
        target = landed or focused
        if target is not None:
            target.focus()  # after an undo, the cursor follows the claim into its column
        if not self._job:
            self._show_job("")

    @property
    def column(self) -> StanceColumn | None:
        focused = self.focused
        return focused if isinstance(focused, StanceColumn) else None

    @property
    def claim_id(self) -> int | None:
        column = self.column
        return column.claim_id if column is not None else None

    def _topic_id(self) -> int | None:
        view = self.current
        return view["topic"]["id"] if view else self.topic

    # -- actions -----------------------------------------------------------------------------
    def _fail(self, what: str, exc: Exception) -> None:
        self.notify(f"{what}: {one_line(exc, 160)}", severity="error", markup=False)

    def action_tag(self, label: str, note: str = "") -> None:
        view, claim, column = self.current, self.claim_id, self.column
        if view is None or claim is None or column is None or not self._live:
            self.app.bell()
            return
        try:
            self.ctx.tag_stance(view["id"], claim, label, note)
        except (PropositionError, DatabaseError) as exc:
            self._fail("tag NOT saved", exc)
            return
        self._changed = True
        self.notify(f"claim #{claim} {label} proposition #{view['id']}", markup=False, timeout=3)
        if note:  # a note on a tag: stay on the claim
            self.reload(keep_claim=claim)
            return
        # Work down the list: the next claim of this column, wherever the tagged one went.
        after = column.next_claim(claim)
        self.reload(follow=False)
        column.focus()
        column.go_to(after, claim)

    def action_skip(self) -> None:
        column = self.column
        after = column.next_claim(column.claim_id) if column is not None else None
        if column is None or after is None:
            self.notify("no further claim in this column", severity="warning")
            return
        column.go_to(after, None)

    def action_undo(self) -> None:
        try:
            row = self.ctx.undo_stance()
        except DatabaseError as exc:
            self._fail("undo failed", exc)
            return
        if row is None:
            self.notify("nothing to undo: no stance tag of yours is left", severity="warning")
            return
        self._changed = True
        self.notify(
            f"undid {row['label']} on claim #{row['claim_id']} "
            f"(proposition #{row['proposition_id']})",
            markup=False,
        )
        self.reload(keep_prop=row["proposition_id"], keep_claim=row["claim_id"])

    def action_step(self, delta: int) -> None:
        if not self.views:
            self.app.bell()
            return
        self.index = (self.index + delta) % len(self.views)
        self._fill(stay=False)  # another proposition: each column from its top
        if self.column is None:
            self.query_one("#supporters", StanceColumn).focus()

    def action_column(self, delta: int) -> None:
        columns = self._columns()
        here = columns.index(self.column) if self.column in columns else -1
        columns[(here + delta) % len(columns)].focus()

    def action_pin(self) -> None:
        claim = self.claim_id
        if claim is None or not self._live:
            self.app.bell()
            return
        try:
            prop = self.ctx.pin(claim)
        except (PropositionError, DatabaseError) as exc:
            self._fail("not pinned", exc)
            return
        self.notify(f"claim #{claim} pinned as proposition #{prop}; scoring it", markup=False)
        self.reload(keep_prop=prop)
        self._score(None, None, prop)

    def action_new(self) -> None:
        topic = self._topic_id()
        if topic is None:
            self.notify(
                "open one topic first: a proposition belongs to a topic", severity="warning"
            )
            return
        title = self.current["topic"]["title"] if self.current else str(topic)

        def add(text: str | None) -> None:
            if text is None:
                return
            try:  # the quick checks here, at once; the embedding and the scoring in the worker
                clean = check_text(text)
            except PropositionError as exc:
                self._fail("not added", exc)
                return
            self.notify("adding the proposition and scoring it…", markup=False, timeout=3)
            self._score(clean, topic, None)

        heading = Text("New proposition for topic ")
        heading.append(one_line(title, 60), style="bold")
        self.app.push_screen(
            ProposeScreen(heading, placeholder="e.g. the troop withdrawal has begun"), add
        )

    def action_note(self) -> None:
        view, claim = self.current, self.claim_id
        stance = next(
            (s for c in COLUMNS for s in (view[c] if view else []) if s["claim"]["id"] == claim),
            None,
        )
        mine = [t for t in (stance["tags"] if stance else []) if t["analyst"] == self.ctx.analyst]
        if view is None or claim is None or not mine:
            self.notify("tag the claim first (s / x / d / u), then add a note", severity="warning")
            return
        label = mine[-1]["label"]

        def save(note: str | None) -> None:
            if note is not None:
                self.action_tag(label, note)

        heading = Text(f"Note on your tag of claim #{claim}: {label}")
        self.app.push_screen(
            ProposeScreen(
                heading,
                mine[-1]["note"],
                "why (shown as typed)",
                "enter: save (a new tag, same label) · esc: cancel",
            ),
            save,
        )

    def action_withdraw(self) -> None:
        view = self.current
        if view is None:
            self.app.bell()
            return

        def withdraw(yes: bool | None) -> None:
            if not yes or not self._live:
                return
            try:
                self.ctx.unpropose(view["id"])
            except (PropositionError, DatabaseError) as exc:
                self._fail("not withdrawn", exc)
                return
            self._changed = True
            self.notify(f"proposition #{view['id']} withdrawn", markup=False)
            self.reload()

        question = literal(view["text"], width=200).plain
        self.app.push_screen(
            ConfirmScreen(f"Withdraw proposition #{view['id']}: {question}?"), withdraw
        )

    def action_article(self) -> None:
        claim_id, data = self.claim_id, self.ctx.data
        claim = data.claims.get(claim_id) if data is not None and claim_id is not None else None
        if claim is None:
            self.app.bell()
            return
        self.app.push_screen(ArticleScreen([claim], [self.ctx.article(claim)]))

    def action_pairs(self) -> None:
        self.post_message(OpenBoard(self._topic_id() if self.topic is not None else None))

    def action_back(self) -> None:
        self.app.pop_screen()

    def on_option_list_option_highlighted(self, event: StanceColumn.OptionHighlighted) -> None:
        if not self._job:
            self._show_job("")

    def on_descendant_focus(self) -> None:
        if not self._job:  # another column: its highlighted claim is the selected one now
            self._show_job("")

    def _selected_tags(self) -> Text:
        """Who tagged the selected claim's stance, and how (each analyst's latest tag)."""
        view, claim = self.current, self.claim_id
        out = Text(end="", no_wrap=True, overflow="ellipsis")
        out.append("analyst ", style="dim")
        out.append(literal(self.ctx.analyst, style="bold", width=20))
        if view is None or claim is None:
            return out
        stance = next((s for c in COLUMNS for s in view[c] if s["claim"]["id"] == claim), None)
        # Each analyst's latest tag counts (as on pairs); older ones stay stored.
        tags = list({t["analyst"]: t for t in (stance["tags"] if stance else [])}.values())
        out.append(f"   claim #{claim}: ", style="dim")
        if not tags:
            out.append("no stance tag yet", style="dim")
        for i, tag in enumerate(tags):
            out.append(" · " if i else "")
            out.append(literal(tag["analyst"], style="bold", width=20))
            out.append(f" {tag['label']}")
            if tag["note"]:
                out.append(f" ({one_line(tag['note'], 40)})", style="italic")
        return out

    # -- scoring in the background -------------------------------------------------------------
    def _show_job(self, line: str) -> None:
        self._job = line
        status = self.query_one("#status", Static)
        status.set_class(not line, "-idle")
        status.update(literal(line, width=160) if line else self._selected_tags())

    @work(thread=True, group="propositions", exit_on_error=False)
    def _score(self, text: str | None, topic: int | None, prop_id: int | None) -> None:
        self.app.call_from_thread(self._show_job, "propositions: loading the stance model…")
        try:
            prop, n = add_and_score(self.ctx.db_path, text, topic, self.ctx.analyst, prop_id)
        except PropositionError as exc:
            self.post_message(ScoreFailed(f"not added: {exc}"))
            return
        except Exception as exc:  # e.g. no model: shown, never a crash
            self.post_message(ScoreFailed(f"scoring failed: {one_line(exc, 160)}"))
            return
        self.post_message(Scored(f"proposition #{prop}: {n} claim stances scored", prop))

    def on_scored(self, message: Scored) -> None:
        self._changed = True  # a new proposition: new implied readings
        self._show_job("")
        self.notify(message.summary, markup=False)
        self.reload(keep_prop=message.prop_id)

    def on_score_failed(self, message: ScoreFailed) -> None:
        self._show_job("")
        self.notify(message.error, severity="error", markup=False, timeout=12)
        self.reload()
