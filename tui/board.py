"""The board for one topic: claims in side columns, the pairs table, the pair pane."""

from __future__ import annotations

from functools import partial

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, OptionList, Static

from tui.actions import Command, bindings
from tui.board_actions import ReviewActions
from tui.context import WRITE_ERRORS, BoardContext
from tui.messages import OpenPropositions, PairsRetagged, StartExport, StartRetrain
from tui.modals import ConfirmScreen, ExportScreen, FilterScreen, SettleScreen
from tui.records import BoardData, Filters, PairItem, mine
from tui.records import next_uncertain as rank_uncertain
from tui.records import next_untagged as find_untagged
from tui.team import agreement_line
from tui.text import literal, one_line
from tui.widgets import ClaimColumn, PairPane, PairTable
from verify.analysts.review import CONFLICT, SETTLED, STATUSES
from verify.analysts.settle import SettleError, check_settle
from verify.labels import STANCE_LABELS


class BoardScreen(ReviewActions, Screen):
    # Every key comes from tui/actions.py: the footer, help and the palette read the same rows.
    ACTION_TABLE = "board"
    BINDINGS = bindings(ACTION_TABLE)

    filters: reactive[Filters] = reactive(Filters, init=False)
    selected_claim: reactive[int | None] = reactive(None, init=False)

    def __init__(self, ctx: BoardContext, topic: int | None) -> None:
        super().__init__()
        self.ctx = ctx
        self.topic = topic
        self._uncertain_last: int | None = None  # the pair `?` chose last, to go on from it

    @property
    def data(self) -> BoardData:
        assert self.ctx.data is not None  # the board opens only once data has loaded
        return self.ctx.data

    @property
    def table(self) -> PairTable:
        return self.query_one("#pairs", PairTable)

    def compose(self) -> ComposeResult:
        yield Static(id="board-title", classes="title-bar")
        yield Horizontal(id="sides")
        yield PairTable(id="pairs")
        yield PairPane(id="pane")
        yield Input(
            placeholder="search claims, speakers, relays, outlets · enter: apply · esc: cancel",
            id="search",
        )
        yield Static(id="status", classes="status-bar")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.table.focus()
        self.watch(self.app, "data", self._data_changed)
        self.watch(self.app, "job", self._show_job)

    def on_resize(self) -> None:
        self.table.fit(self.size.width)

    # -- filling -----------------------------------------------------------------------------
    def _data_changed(self, data: BoardData | None) -> None:
        if data is not None:
            self.call_later(self._rebuild)

    async def _rebuild(self) -> None:
        """Side columns and pairs from the data and the filters."""
        data, filters = self.data, self.filters
        box = self.query_one("#sides", Horizontal)
        await box.remove_children()
        claims = [c for c in data.topic_claims(self.topic) if filters.claim_visible(c)]
        heat = {
            c.id: max((p.confidence for p in data.by_claim.get(c.id, ())), default=0.0)
            for c in claims
        }
        claims.sort(key=lambda c: (-heat[c.id], c.id))  # most contested claims first
        await box.mount_all(
            ClaimColumn(side, [c for c in claims if c.side == side])
            for side in data.sides(self.topic)
        )
        self._fill_pairs()

    def _fill_pairs(self) -> None:
        data, table = self.data, self.table
        current = table.current
        base = (
            data.by_claim.get(self.selected_claim, [])
            if self.selected_claim is not None
            else data.topic_pairs(self.topic)
        )
        table.show(
            (p for p in base if self.filters.pair_matches(p)),
            self.selected_claim,
            keep=current.id if current else None,
            cells=data.claim_cells,
        )
        self._show_current()
        self._show_title()

    def _show_current(self) -> None:
        pair = self.table.current
        pane = self.query_one(PairPane)
        if pair is None:
            pane.show(None, None, self.data.model)
            return
        left, right = pair.oriented(self.selected_claim)
        text = self.ctx.article_text
        pane.show(
            pair,
            self.selected_claim,
            self.data.model,
            text(left.article_id),
            text(right.article_id),
        )

    def _show_title(self) -> None:
        data, s = self.data, self.data.summary(self.topic)
        out = Text(end="", no_wrap=True, overflow="ellipsis")
        out.append(literal(s.title, style="bold", width=60))
        out.append(
            f"   {s.claims} claims · {s.sources} sources · {s.sides} sides · "
            f"{s.contradictions} contradictions"
        )
        out.append("\n")
        out.append(s.progress(), style="bold magenta" if s.conflicts else "bold")
        pairs = data.topic_pairs(self.topic)
        out.append(" · ")
        out.append(literal(self.ctx.analyst, width=20))
        out.append(f" {mine(pairs, self.ctx.analyst)}")
        agree = agreement_line(data, self.topic)
        if agree:
            out.append(f" · {agree}")
        out.append(f" · {len(self.table.rows_)} pairs shown", style="dim")
        if data.more_coming:
            out.append(" · loading the most likely contradictions…", style="yellow")
        if self.selected_claim is not None and self.selected_claim in data.claims:
            claim = data.claims[self.selected_claim]
            out.append(f" · counterclaims of #{claim.id} ", style="dim")
            out.append(literal(claim.who, style="bold", width=40))
        hidden = self.filters.hidden_count(data.topic_claims(self.topic))
        if hidden:  # never silently dropped: say how many claims the threshold hides
            out.append(f" · {hidden} claims hidden as not check-worthy", style="yellow")
        if self.filters.active:
            out.append(" · filters: ", style="dim")
            out.append(literal(self.filters.describe(), style="yellow", width=80))
        if self.selected_claim is not None or self.filters.active:
            out.append("   x: clear", style="dim")
        self.query_one("#board-title", Static).update(out)

    def _show_job(self, job: str) -> None:
        self.query_one("#status", Static).set_class(not job, "-idle")
        out = Text(end="")
        out.append("analyst ", style="dim")
        out.append(literal(self.ctx.analyst, style="bold"))
        if job:
            out.append("   ")
            out.append(literal(job, width=120))
        self.query_one("#status", Static).update(out)

    def _after_tag(self, pair: PairItem) -> None:
        self.table.refresh_pair(pair)
        self._reread_beside(pair.id)
        self._show_current()
        self._show_title()

    def _reread_beside(self, pair_id: int) -> None:
        """A verdict reaches the pairs beside it: redraw their numbers where they stand."""
        for near in self.ctx.reread_beside(pair_id):
            self.table.refresh_pair(near)

    def watch_filters(self) -> None:
        self.call_later(self._rebuild)

    def watch_selected_claim(self) -> None:
        self._fill_pairs()

    # -- events ------------------------------------------------------------------------------
    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table is self.table:
            self._show_current()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table is self.table:
            event.stop()
            self.action_read()

    def on_pairs_retagged(self, message: PairsRetagged) -> None:
        """Tags from other analysts or the CLI, merged by the app's poll: redraw those rows and
        the rows their verdicts reach."""
        for pair in message.pairs:
            self.table.refresh_pair(pair)
            self._reread_beside(pair.id)
        self._show_current()
        self._show_title()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.selected_claim = int(event.option.id)
            self.table.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "search":
            event.stop()
            self._hide_search()
            self.filters = self.filters.with_(text=event.value.strip())

    def _hide_search(self) -> None:
        self.query_one("#search", Input).remove_class("-shown")
        self.table.focus()

    # -- actions -----------------------------------------------------------------------------
    def action_tag(self, label: str, note: str = "") -> None:
        pair = self.table.current
        if pair is None:
            self.app.bell()
            return
        if not self._tag(pair, label, note):
            return
        self._after_tag(pair)
        moved = self._advance()
        s = self.data.summary(self.topic)
        where = f"; now pair #{self.table.current.id}" if moved and self.table.current else ""
        self.notify(
            f"pair #{pair.id} tagged {label}{where} · {s.progress()}", markup=False, timeout=3
        )

    def action_undo(self) -> None:
        try:
            undone = self.ctx.undo()
        except WRITE_ERRORS as exc:
            self.notify(f"undo failed: {exc}", severity="error", markup=False)
            return
        if undone is None:
            self.notify(
                "nothing to undo: no tag of yours is left", severity="warning", markup=False
            )
            return
        tag, pair = undone
        self.notify(f"undid {tag.label} on pair #{tag.pair_id}", markup=False)
        if pair is not None:
            self.table.refresh_pair(pair)
            index = self.table.index_of(pair.id)
            if index is not None:
                self.table.move_cursor(row=index)
        self._reread_beside(tag.pair_id)  # loaded or not, its neighbours may be
        self._show_current()
        self._show_title()

    def action_settle(self) -> None:
        pair = self.table.current
        if pair is None or pair.status not in (CONFLICT, SETTLED):
            self.notify("no disagreement between analysts on this pair", severity="warning")
            return
        try:  # refused before the dialog: a non-reviewer or a party to the conflict
            check_settle(pair.tags, self.ctx.analyst, self.ctx.reviewers)
        except SettleError as exc:
            self.notify(f"cannot settle: {exc}", severity="error", markup=False)
            return

        def settle(label: str | None) -> None:
            if not label:
                return
            try:
                self.ctx.settle(pair, label)
            except WRITE_ERRORS as exc:
                self.notify(f"not settled: {exc}", severity="error", markup=False)
                return
            self._after_tag(pair)
            self.notify(f"pair #{pair.id} settled as {label}", markup=False)

        self.app.push_screen(SettleScreen(pair, self.ctx.analyst), settle)

    def _go(self, index: int | None, what: str) -> None:
        if index is None:
            self.notify(f"no {what} pair in this view", severity="warning")
        else:
            self.table.move_cursor(row=index)

    def action_next_untagged(self) -> None:
        self._go(find_untagged(self.table.rows_, self.table.cursor_row), "untagged")

    def action_next_uncertain(self) -> None:
        current = self.table.current
        chained = current is not None and current.id == self._uncertain_last
        index = rank_uncertain(self.table.rows_, self.table.cursor_row if chained else None)
        self._go(index, "untagged")
        if index is not None:
            self._uncertain_last = self.table.rows_[index].id

    def action_search(self) -> None:
        search = self.query_one("#search", Input)
        search.value = self.filters.text
        search.add_class("-shown")
        search.focus()

    def action_filters(self) -> None:
        choices = {name: self.data.values(name) for name in ("side", "actor", "outlet")}

        def apply(filters: Filters | None) -> None:
            if filters is not None:
                self.filters = filters

        self.app.push_screen(FilterScreen(self.filters, choices), apply)

    def action_clear_filters(self) -> None:
        self.selected_claim = None
        self.filters = Filters()

    def action_focus_pairs(self) -> None:
        self.table.focus()

    def action_export(self) -> None:
        def export(choice: tuple[str, str] | None) -> None:
            if choice:
                self.post_message(StartExport(*choice))

        self.app.push_screen(ExportScreen(self.data.db_path), export)

    def action_retrain(self) -> None:
        def retrain(yes: bool | None) -> None:
            if yes:
                self.post_message(StartRetrain())

        question = (
            "Retrain the stance model on the analysts' tags and rescore every pair? "
            "It runs in the background; the board reloads when it is done."
        )
        self.app.push_screen(ConfirmScreen(question), retrain)

    def action_propositions(self) -> None:
        self.post_message(OpenPropositions(self.topic))

    def action_back(self) -> None:
        search = self.query_one("#search", Input)
        if search.has_class("-shown"):
            self._hide_search()
        elif self.has_class("-reading"):
            self.action_read()
        elif self.selected_claim is not None:
            self.selected_claim = None
        else:
            self.app.pop_screen()

    # -- the command palette -----------------------------------------------------------------
    def palette_commands(self) -> list[Command]:
        """Commands that take a value, beside the action table's rows: filter to a side, a tag
        status or a model label."""
        cmds: list[Command] = []
        for side in self.data.sides(self.topic):
            cmds.append(
                (f"Show only side {one_line(side, 40)}", partial(self._only, side=side), "filter")
            )
        for status in STATUSES:
            cmds.append((f"Show only {status} pairs", partial(self._only, status=status), "filter"))
        for label in STANCE_LABELS:
            cmds.append(
                (
                    f"Show only pairs the model calls {label}",
                    partial(self._only, label=label),
                    "filter",
                )
            )
        return cmds

    def _only(self, **change: str) -> None:
        self.filters = self.filters.with_(**change)
