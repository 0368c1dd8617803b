"""The first screen: every topic with its counts, most disputed first."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from tui.actions import bindings
from tui.context import BoardContext
from tui.messages import OpenBoard, OpenPropositions
from tui.records import BoardData
from tui.text import literal
from tui.widgets import VimTable


class TopicsScreen(Screen):
    """Enter opens a topic's board; counts refresh whenever the board is left."""

    # From tui/actions.py; enter has priority: the table's own enter binding would answer first.
    ACTION_TABLE = "topics"
    BINDINGS = bindings(ACTION_TABLE)

    COLUMNS = (
        "topic",
        "claims",
        "sources",
        "sides",
        "pairs",
        "contradictions",
        "reviewed",
        "conflicts",
    )

    def __init__(self, ctx: BoardContext) -> None:
        super().__init__()
        self.ctx = ctx

    def compose(self) -> ComposeResult:
        yield Static(id="topics-title", classes="title-bar")
        yield VimTable(id="topics")
        yield Static(id="status", classes="status-bar")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        table = self.query_one("#topics", VimTable)
        table.add_columns(*self.COLUMNS)
        table.loading = True
        self.watch(self.app, "data", self.populate)
        self.watch(self.app, "job", self._show_job)

    def on_resize(self) -> None:
        self.populate(self.ctx.data)

    def on_screen_resume(self) -> None:
        self.populate(self.ctx.data)

    def populate(self, data: BoardData | None) -> None:
        table = self.query_one("#topics", VimTable)
        title = self.query_one("#topics-title", Static)
        if data is None:
            return
        keep = table.cursor_row
        table.loading = False
        table.clear()
        width = min(max(self.size.width - 72, 20), 80)  # the title takes what the counts leave
        for s in data.summaries():
            table.add_row(
                literal(s.title, style="bold" if s.id is None else "", width=width),
                *(Text(str(n), justify="right") for n in (s.claims, s.sources, s.sides, s.pairs)),
                Text(
                    str(s.contradictions),
                    style="bold red" if s.contradictions else "",
                    justify="right",
                ),
                Text(f"{s.reviewed}/{s.pairs}", justify="right"),
                Text(
                    str(s.conflicts), style="bold magenta" if s.conflicts else "", justify="right"
                ),
                key="all" if s.id is None else str(s.id),
            )
        table.move_cursor(row=min(keep, table.row_count - 1), animate=False)
        out = Text(end="")
        out.append("Counterclaim", style="bold")
        every = data.summary(None)  # counts over the whole store, also when not all is loaded
        loaded = (
            " (loading the most likely…)"
            if data.more_coming
            else f" ({len(data.pairs)} most likely loaded)"
            if data.totals is not None
            else ""
        )
        out.append(
            f"  {len(data.topic_titles)} topics · {every.claims} claims · "
            f"{every.pairs} pairs{loaded} under model "
        )
        out.append(literal(data.model or "(none)"))
        out.append("   enter: open a topic's board", style="dim")
        title.update(out)
        table.focus()

    def _show_job(self, job: str) -> None:
        out = Text(end="")
        out.append("analyst ", style="dim")
        out.append(literal(self.ctx.analyst, style="bold"))
        if job:
            out.append("   ")
            out.append(literal(job, width=120))
        self.query_one("#status", Static).update(out)

    def _chosen(self) -> tuple[int | None] | None:
        """The topic under the cursor (``(None,)``: every topic); ``None`` before the load."""
        table = self.query_one("#topics", VimTable)
        if self.ctx.data is None or not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return (None if key == "all" else int(str(key)),)

    def action_open(self) -> None:
        chosen = self._chosen()
        if chosen is not None:
            self.post_message(OpenBoard(*chosen))

    def action_propositions(self) -> None:
        chosen = self._chosen()
        if chosen is not None:
            self.post_message(OpenPropositions(*chosen))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_open()  # a mouse click on a row
