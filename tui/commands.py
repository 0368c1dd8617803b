"""The board's commands for Textual's command palette (ctrl+p): every row of the action table
(tui/actions.py) for the current screen, with its key, plus commands that take a value (open a
topic, filter to a side, export as a format)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, cast

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Matcher, Provider
from textual.content import Content
from textual.markup import escape

from verify.labels import STANCE_LABELS
from verify.report import FORMATS

from .actions import ACTIONS
from .board import BoardScreen
from .engine import default_export_path
from .model import STATUSES
from .text import one_line

if TYPE_CHECKING:
    from .app import BoardApp

Command = tuple[str, Callable[[], object], str]


def literal_hit(matcher: Matcher, text: str) -> Content:
    """``matcher.highlight`` parses markup; topic titles come from articles, so match literally."""
    content = Content(text)
    _score, offsets = matcher.fuzzy_search.match(matcher.query, text)
    for offset in offsets:
        content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


class BoardCommands(Provider):
    def _commands(self) -> list[Command]:
        app = cast("BoardApp", self.app)
        cmds: list[Command] = []
        screen = self.screen
        cmds += self._table_commands()
        if isinstance(screen, BoardScreen) and app.data is not None:
            cmds += self._board_commands(screen)
        if app.data is not None:
            for fmt in FORMATS:
                path = default_export_path(app.db_path, fmt)
                cmds.append((f"Export report as {fmt}", partial(app.export, fmt, str(path)),
                             f"writes {path}"))
            for s in app.data.summaries():
                cmds.append((f"Open topic: {one_line(s.title, 80)}", partial(app.open_topic, s.id),
                             f"{s.contradictions} contradictions · {s.untagged} untagged"))
        return cmds

    def _table_commands(self) -> list[Command]:
        """The action table's rows for this screen and the app, each run as its key would."""
        screen = self.screen
        name = {"BoardScreen": "board", "TopicsScreen": "topics",
                "PropositionScreen": "propositions"}.get(type(screen).__name__)
        rows = [*(ACTIONS.get(name, ()) if name else ()), *ACTIONS["app"]]
        cmds: list[Command] = []
        for a in rows:
            if a.key == "escape":
                continue  # "back" means nothing from the palette, which esc itself closes
            key = self.app.get_key_display(Binding(a.key, a.action))
            cmds.append((a.long, partial(screen.run_action, a.action), f"key {key}"))
        return cmds

    def _board_commands(self, board: BoardScreen) -> list[Command]:
        data = board.data
        cmds: list[Command] = []

        def only(**change: str) -> Callable[[], None]:
            def apply() -> None:
                board.filters = board.filters.with_(**change)

            return apply

        for side in data.sides(board.topic):
            cmds.append((f"Show only side {one_line(side, 40)}", only(side=side), "filter"))
        for status in STATUSES:
            cmds.append((f"Show only {status} pairs", only(status=status), "filter"))
        for label in STANCE_LABELS:
            cmds.append((f"Show only pairs the model calls {label}", only(label=label), "filter"))
        return cmds

    async def discover(self) -> Hits:
        for text, callback, help_text in self._commands():
            yield DiscoveryHit(Content(text), callback, text=text, help=escape(help_text))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for text, callback, help_text in self._commands():
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, literal_hit(matcher, text), callback, text=text,
                          help=escape(help_text))
