"""The board's widgets: a virtualised pair table, side columns of claims, and the pair pane."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import DataTable, OptionList, Static
from textual.widgets.data_table import ColumnKey
from textual.widgets.option_list import Option

from tui.records import ClaimItem, PairItem
from tui.render import (
    CONTEXT_CHARS,
    PAIR_HEADER,
    claim_card,
    claim_cell,
    claim_option,
    pair_cell,
    verdict_text,
)
from tui.text import literal


def vim_keys(down: str, up: str) -> list[BindingType]:
    """j / k beside the arrows, with the arrows' descriptions so the help lists them together."""
    return [
        Binding("j", "cursor_down", down, show=False),
        Binding("k", "cursor_up", up, show=False),
    ]


class VimTable(DataTable):
    """A row-cursor table that also moves with j / k; Home / End go to the first / last row
    (DataTable's own go to the first / last column, which a row cursor never shows)."""

    BINDINGS = [
        *vim_keys("Cursor down", "Cursor up"),
        Binding("home", "scroll_top", "First row", show=False),
        Binding("end", "scroll_bottom", "Last row", show=False),
    ]

    def __init__(self, **kwargs: object) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)  # type: ignore[arg-type]


class PairTable(VimTable):
    """One row per pair; DataTable renders only the visible rows, so 10,000 rows stay cheap."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.rows_: list[PairItem] = []

    #: The first column: id, p(contradiction), the model's label, the analysts' status.
    META_WIDTH = len(PAIR_HEADER) + 6

    def on_mount(self) -> None:
        self.add_column(PAIR_HEADER, key="pair", width=self.META_WIDTH)
        self.add_column("claim", key="claim", width=30)
        self.add_column("counterclaim", key="counter", width=30)
        self.fit(self.app.size.width)

    def fit(self, width: int) -> None:
        """Claim and counterclaim share what the first column leaves: they grow with the
        terminal. Cells are built wide (render.CLAIM_CELL_WIDTH) and cut here, with an ellipsis."""
        spare = width - self.META_WIDTH - 6 * self.cell_padding - 2  # padding, scrollbar
        claim = max(spare // 2, 12)
        changed = False
        for key in ("claim", "counter"):
            column = self.columns.get(ColumnKey(key))
            if column is not None and column.width != claim:
                column.width, changed = claim, True
        if changed:
            self._require_update_dimensions = True  # DataTable has no setter
            self.refresh(layout=True)

    def show(
        self,
        pairs: Iterable[PairItem],
        focus_claim: int | None,
        keep: int | None = None,
        cells: Mapping[int, tuple[Text, Text]] | None = None,
    ) -> None:
        """Replace the rows; the cursor goes back to pair ``keep`` when it is still listed.

        ``cells``: claim cells built ahead (in the load worker) for the a | b orientation."""
        self.rows_ = list(pairs)
        self.clear()
        ready = cells or {}
        for p in self.rows_:
            left, right = p.oriented(focus_claim)
            pre = ready.get(p.id) if left is p.a else None
            claim, counter = pre or (claim_cell(left), claim_cell(right))
            self.add_row(pair_cell(p), claim, counter, key=str(p.id))
        if keep is not None:
            index = self.index_of(keep)
            if index is not None:
                self.move_cursor(row=index, animate=False)

    def refresh_pair(self, pair: PairItem) -> None:
        """Redraw one row after a tag: no rebuild of the other rows."""
        if str(pair.id) in self.rows:
            self.update_cell(str(pair.id), "pair", pair_cell(pair))

    @property
    def current(self) -> PairItem | None:
        if not self.rows_ or not 0 <= self.cursor_row < len(self.rows_):
            return None
        return self.rows_[self.cursor_row]

    def index_of(self, pair_id: int) -> int | None:
        return next((i for i, p in enumerate(self.rows_) if p.id == pair_id), None)


class ClaimColumn(OptionList):
    """The claims of one side, most contested first; Enter lists the claim's counterclaims.

    At most ``LIMIT`` are listed: OptionList wraps every option it holds, and no one scrolls
    past hundreds of claims; search and filters narrow the column instead."""

    BINDINGS = vim_keys("Down", "Up")
    LIMIT = 300

    def __init__(self, side: str, claims: list[ClaimItem], **kwargs: object) -> None:
        options = [Option(claim_option(c), id=str(c.id)) for c in claims[: self.LIMIT]]
        if len(claims) > self.LIMIT:
            more = f"… {len(claims) - self.LIMIT} more: search (/) or filter (f) to narrow"
            options.append(Option(Text(more, style="dim italic"), disabled=True))
        super().__init__(*options, **kwargs)  # type: ignore[arg-type]
        self.side = side
        self.border_title = literal(f"{side} · {len(claims)}")  # type: ignore[assignment]


class ClaimCard(VerticalScroll, can_focus=True):
    """Focusable so the arrows scroll it when the pair is read full height (v)."""

    def compose(self) -> ComposeResult:
        yield Static(classes="card-body")

    def show(self, text: Text) -> None:
        self.query_one(Static).update(text)
        self.scroll_home(animate=False)


class PairPane(Vertical):
    """Claim and counterclaim side by side, then the model's view and the analysts' tags."""

    def compose(self) -> ComposeResult:
        with Horizontal(id="cards"):
            yield ClaimCard(id="left")
            yield ClaimCard(id="right")
        yield Static(id="verdict")

    def show(
        self,
        pair: PairItem | None,
        focus_claim: int | None,
        model: str,
        left_article: str = "",
        right_article: str = "",
    ) -> None:
        left, right = self.query_one("#left", ClaimCard), self.query_one("#right", ClaimCard)
        verdict = self.query_one("#verdict", Static)
        if pair is None:
            left.show(Text("no pair selected", style="dim"))
            right.show(Text(""))
            verdict.update(Text(""))
            return
        a, b = pair.oriented(focus_claim)
        # As much of the paragraph as the card can hold (the card scrolls for the rest).
        limit = max(CONTEXT_CHARS, int(left.size.width * max(left.size.height - 4, 0) * 0.8))
        left.show(claim_card("CLAIM", a, left_article, limit))
        right.show(claim_card("COUNTERCLAIM", b, right_article, limit))
        verdict.update(verdict_text(pair, model, 6 if self.size.width >= 100 else 2))
