"""The team view: how far each analyst has got and how often they agree (``verify.analysts.agreement``),
for the open topic and for all topics."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from tui.modals import CLOSE, _Modal
from tui.records import BoardData, agreement_units
from tui.text import one_line
from verify.analysts.agreement import describe, summarize


def team_text(data: BoardData, topic: int | None) -> Text:
    summary = data.summary(topic)
    pairs = data.topic_pairs(topic)
    result = summarize(agreement_units(pairs))
    out = Text(end="")
    out.append(one_line(summary.title, 70), style="bold")
    out.append(f"\n{summary.progress()}\n\n")
    for line in describe(result):
        out.append(one_line(line, 200) + "\n")  # analyst names are data: shown literally
    return out


def agreement_line(data: BoardData, topic: int | None) -> str:
    """The headline figure for the board's title, "" while fewer than two analysts share pairs."""
    result = summarize(agreement_units(data.topic_pairs(topic)))
    if result["overall"] is None:
        return ""
    symbol = "κ" if result["method"] == "cohen_kappa" else "α"
    return f"agreement {symbol} {result['overall']:.2f}"


class TeamScreen(_Modal):
    BINDINGS = [*CLOSE]

    def __init__(self, data: BoardData, topic: int | None) -> None:
        super().__init__()
        self.data, self.topic = data, topic

    def compose(self) -> ComposeResult:
        with Vertical(id="team-box", classes="modal-box"):
            yield Static("Team: progress and agreement", classes="modal-title")
            with VerticalScroll(id="team-body"):
                yield Static(team_text(self.data, self.topic), id="team-topic")
                if self.topic is not None:
                    yield Static(team_text(self.data, None), id="team-all")
            yield Static(
                "Cohen's kappa for two analysts, Krippendorff's alpha for more; per label: that "
                "label against the rest · esc: close",
                classes="modal-hint",
            )
