"""The board's review actions that need no more than the pair under the cursor: moving on after a
tag, notes, quick filters, reading a pair, the source article, corrections. A mixin of
``BoardScreen``; a screen for another kind of item (propositions) can reuse it by offering the
same few members: ``table`` (with ``current``, ``rows_``, ``cursor_row``), ``board``, ``filters``,
``selected_claim`` and ``_after_tag``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from verify.config import ADVANCE_CHOICES

from .correct import CorrectScreen
from .modals import ArticleScreen, NoteScreen
from .model import CONFLICT, UNTAGGED
from .model import next_untagged as find_untagged

if TYPE_CHECKING:
    from .app import BoardApp

#: Quick filters on one key: name -> (the Filters field it sets, the value).
QUICK = {"contradiction": ("label", "contradiction"), "untagged": ("status", UNTAGGED),
         "conflict": ("status", CONFLICT)}
ADVANCE_WORDS = {"untagged": "next untagged pair", "next": "next pair", "stay": "stay"}


class ReviewActions:
    board: BoardApp
    table: Any
    filters: Any
    selected_claim: int | None

    def _advance(self) -> bool:
        """Move on after a tag, as the analyst chose (config `advance`, key m)."""
        rows, here = self.table.rows_, self.table.cursor_row
        if self.board.advance == "stay" or not rows:
            return False
        if self.board.advance == "next":
            index = here + 1 if here + 1 < len(rows) else None
        else:
            index = find_untagged(rows, here)
        if index is None or index == here:
            return False
        self.table.move_cursor(row=index, animate=False)
        return True

    def action_cycle_advance(self) -> None:
        i = ADVANCE_CHOICES.index(self.board.advance)
        self.board.advance = ADVANCE_CHOICES[(i + 1) % len(ADVANCE_CHOICES)]
        self.notify(f"after a tag: {ADVANCE_WORDS[self.board.advance]}", markup=False)

    def action_note(self) -> None:
        pair = self.table.current
        mine_now = pair.latest().get(self.board.analyst) if pair is not None else None
        if pair is None or mine_now is None:
            self.notify("tag the pair first (c / a / n / u), then add a note", severity="warning")
            return

        def save(note: str | None) -> None:
            if note is not None and self.board.tag(pair, mine_now.label, note) is not None:
                self._after_tag(pair)
                self.notify(f"note saved on pair #{pair.id}", markup=False)

        self.app.push_screen(NoteScreen(pair, mine_now.label, mine_now.note), save)

    def action_quick(self, name: str) -> None:
        """One key per common filter; the same key again turns it off."""
        field, value = QUICK[name]
        on = getattr(self.filters, field) == value
        self.filters = self.filters.with_(**{field: None if on else value})

    def action_read(self) -> None:
        """The pair pane full height (the table and the side columns out of the way)."""
        reading = not self.has_class("-reading")
        self.set_class(reading, "-reading")
        if reading:
            self.query_one("#left").focus()
        else:
            self.table.focus()

    def action_toggle_sides(self) -> None:
        # -short hides the side columns by default; this flips whatever the layout chose.
        shown = self.query_one("#sides").display
        self.set_class(not shown, "-sides-on")
        self.set_class(shown, "-sides-off")

    def action_correct(self) -> None:
        pair = self.table.current
        if pair is None:
            self.app.bell()
            return

        def save(result: tuple[int, dict[str, object]] | None) -> None:
            if result is not None:
                self.board.correct(*result)

        self.app.push_screen(CorrectScreen(list(pair.oriented(self.selected_claim))), save)

    def action_article(self) -> None:
        pair = self.table.current
        writer = self.board.writer
        if pair is None or writer is None:
            self.app.bell()
            return
        claims = list(pair.oriented(self.selected_claim))
        articles = []
        for claim in claims:
            row = writer.article(claim.article_id)
            articles.append(dict(row) if row is not None else {"source": claim.article})
        self.app.push_screen(ArticleScreen(claims, articles))
