"""The correction dialog: fix a claim's speaker, actor or side, or mark it as not a claim.

What the analyst types is stored as typed (``verify.store.corrections``) and shown literally."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Checkbox, Input, Label, Static

from tui.actions import bindings, key_hint
from tui.modals import CLOSE, _Modal
from tui.records import ClaimItem
from tui.text import one_line

FIELDS = ("speaker", "actor", "side")


class CorrectScreen(_Modal):
    """Dismisses with ``(claim id, changes)`` (only what changed), or ``None``."""

    # Keys from tui/actions.py ("correct"); tab and shift+tab keep their usual meaning: the next
    # and the previous field, in reading order.
    ACTION_TABLE = "correct"
    BINDINGS = [*CLOSE, *bindings(ACTION_TABLE)]

    def __init__(self, claims: list[ClaimItem]) -> None:
        super().__init__()
        self.claims, self.shown = claims, 0

    def compose(self) -> ComposeResult:
        with Vertical(id="correct-box", classes="modal-box"):
            yield Static(id="correct-title", classes="modal-title")
            for name in FIELDS:
                with Horizontal(classes="field"):
                    yield Label(name)
                    yield Input(id=f"correct-{name}", compact=True, select_on_focus=False)
            yield Checkbox(
                "not a claim (it leaves every pair; kept on re-run)",
                id="correct-not-claim",
                compact=True,
            )
            with Horizontal(classes="buttons"):
                yield Button("Save", variant="primary", id="save")
                yield Button("Cancel", id="cancel")
            yield Static(
                "tab / shift+tab: next / previous field · space: tick the box · "
                f"enter: save · {key_hint(self.ACTION_TABLE)} · esc: cancel",
                classes="modal-hint",
            )

    def on_mount(self) -> None:
        self._show()

    @property
    def claim(self) -> ClaimItem:
        return self.claims[self.shown]

    def _show(self) -> None:
        claim = self.claim
        title = Text(end="")
        title.append(f"Correct claim #{claim.id}", style="bold")
        title.append(f" ({'claim' if self.shown == 0 else 'counterclaim'})\n", style="dim")
        title.append(one_line(claim.text, 200))
        self.query_one("#correct-title", Static).update(title)
        for name in FIELDS:
            self.query_one(f"#correct-{name}", Input).value = getattr(claim, name)
        self.query_one("#correct-not-claim", Checkbox).value = False
        self.query_one("#correct-speaker", Input).focus()

    def action_switch(self) -> None:
        if len(self.claims) > 1:
            self.shown = 1 - self.shown
            self._show()

    def action_save(self) -> None:
        self._save()

    def changes(self) -> dict[str, object]:
        out: dict[str, object] = {}
        for name in FIELDS:
            value = self.query_one(f"#correct-{name}", Input).value
            if " ".join(value.split()) != getattr(self.claim, name):
                out[name] = value
        if self.query_one("#correct-not-claim", Checkbox).value:
            out["not_claim"] = True
        return out

    def _save(self) -> None:
        changes = self.changes()
        self.dismiss((self.claim.id, changes) if changes else None)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "save":
            self._save()
        else:
            self.dismiss(None)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._save()
