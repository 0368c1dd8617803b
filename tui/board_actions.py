"""The board's review actions that need no more than the pair under the cursor: moving on after a
tag, notes, quick filters, reading a pair, the source article, corrections. The base screen of
``BoardScreen``; a screen for another kind of item (propositions) can reuse it by offering the
same few members: ``table`` (with ``current``, ``rows_``, ``cursor_row``), ``ctx``, ``filters``,
``selected_claim`` and ``_after_tag``. Engine work goes through the board's context (``ctx``)."""

from __future__ import annotations

from typing import Any

from textual.screen import Screen

from tui.context import WRITE_ERRORS, BoardContext
from tui.correct import CorrectScreen
from tui.messages import Reload
from tui.modals import ArticleScreen, NoteScreen
from tui.records import PairItem
from tui.records import next_untagged as find_untagged
from verify.analysts.review import CONFLICT, UNTAGGED
from verify.config import ADVANCE_CHOICES

#: Quick filters on one key: name -> (the Filters field it sets, the value).
QUICK = {
    "contradiction": ("label", "contradiction"),
    "untagged": ("status", UNTAGGED),
    "conflict": ("status", CONFLICT),
}
ADVANCE_WORDS = {"untagged": "next untagged pair", "next": "next pair", "stay": "stay"}


class ReviewActions(Screen):
    ctx: BoardContext
    table: Any
    filters: Any
    selected_claim: int | None

    def _after_tag(self, pair: PairItem) -> None:
        raise NotImplementedError  # the screen redraws what a tag changed

    def _tag(self, pair: PairItem, label: str, note: str = "") -> bool:
        """Store the tag (committed before this returns); False, and said why, if it was not."""
        try:
            self.ctx.tag(pair, label, note)
        except WRITE_ERRORS as exc:
            self.notify(f"tag NOT saved: {exc}", severity="error", markup=False)
            return False
        return True

    def _advance(self, skip: bool = False) -> bool:
        """Move on after a tag, as the analyst chose (config `advance`, key m); ``skip``: on
        without a tag (space), to the next untagged pair or, when the analyst stays, the next."""
        rows, here = self.table.rows_, self.table.cursor_row
        mode = "next" if skip and self.ctx.advance == "stay" else self.ctx.advance
        if mode == "stay" or not rows:
            return False
        if mode == "next":
            index = here + 1 if here + 1 < len(rows) else None
        else:
            index = find_untagged(rows, here)
        if index is None or index == here:
            return False
        self.table.move_cursor(row=index, animate=False)
        return True

    def action_skip(self) -> None:
        if not self._advance(skip=True):
            self.notify("no further pair to skip to in this view", severity="warning")

    def action_cycle_advance(self) -> None:
        i = ADVANCE_CHOICES.index(self.ctx.advance)
        self.ctx.advance = ADVANCE_CHOICES[(i + 1) % len(ADVANCE_CHOICES)]
        self.notify(f"after a tag: {ADVANCE_WORDS[self.ctx.advance]}", markup=False)

    def action_note(self) -> None:
        pair = self.table.current
        mine_now = pair.latest().get(self.ctx.analyst) if pair is not None else None
        if pair is None or mine_now is None:
            self.notify("tag the pair first (c / a / n / u), then add a note", severity="warning")
            return

        def save(note: str | None) -> None:
            if note is not None and self._tag(pair, mine_now.label, note):
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
            if result is None:
                return
            claim_id, changes = result
            try:
                self.ctx.correct(claim_id, changes)
            except WRITE_ERRORS as exc:
                self.notify(f"correction NOT saved: {exc}", severity="error", markup=False)
                return
            what = ", ".join("not a claim" if k == "not_claim" else k for k in changes)
            self.notify(f"claim #{claim_id} corrected: {what}", markup=False)
            self.post_message(Reload())  # what the board lists changed

        self.app.push_screen(CorrectScreen(list(pair.oriented(self.selected_claim))), save)

    def action_article(self) -> None:
        pair = self.table.current
        if pair is None:
            self.app.bell()
            return
        claims = list(pair.oriented(self.selected_claim))
        self.app.push_screen(ArticleScreen(claims, [self.ctx.article(c) for c in claims]))
