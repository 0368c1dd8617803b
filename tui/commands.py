"""The board's commands for Textual's command palette (ctrl+p): every row of the action table
(tui/actions.py) for the current screen and the app, with its key, plus commands that take a
value: open a topic, export as a format, and the screen's own (``palette_commands``: the board's
filters). Commands that open a screen or start a job post the screen's message to the app."""

from __future__ import annotations

from functools import partial

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Matcher, Provider
from textual.content import Content
from textual.markup import escape

from tui.actions import ACTIONS, Command
from tui.context import BoardContext
from tui.messages import OpenBoard, StartExport
from tui.text import one_line
from verify.analysts.session import default_export_path
from verify.report import FORMATS


def literal_hit(matcher: Matcher, text: str) -> Content:
    """``matcher.highlight`` parses markup; topic titles come from articles, so match literally."""
    content = Content(text)
    _score, offsets = matcher.fuzzy_search.match(matcher.query, text)
    for offset in offsets:
        content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


class BoardCommands(Provider):
    def _commands(self) -> list[Command]:
        screen = self.screen
        cmds = self._table_commands()
        own = getattr(screen, "palette_commands", None)
        ctx = getattr(screen, "ctx", None)
        if not isinstance(ctx, BoardContext) or ctx.data is None:
            return cmds  # before the first load: only the keys
        if own is not None:
            cmds += own()
        for fmt in FORMATS:
            path = str(default_export_path(ctx.db_path, fmt))
            cmds.append(
                (
                    f"Export report as {fmt}",
                    partial(screen.post_message, StartExport(fmt, path)),
                    f"writes {path}",
                )
            )
        for s in ctx.data.summaries():
            cmds.append(
                (
                    f"Open topic: {one_line(s.title, 80)}",
                    partial(screen.post_message, OpenBoard(s.id, fresh=True)),
                    f"{s.contradictions} contradictions · {s.untagged} untagged",
                )
            )
        return cmds

    def _table_commands(self) -> list[Command]:
        """The action table's rows for this screen and the app, each run as its key would."""
        screen = self.screen
        name = getattr(screen, "ACTION_TABLE", None)  # the screen's rows in tui/actions.py
        rows = [*ACTIONS.get(name, ()), *ACTIONS["app"]] if name else [*ACTIONS["app"]]
        cmds: list[Command] = []
        for a in rows:
            if a.key == "escape":
                continue  # "back" means nothing from the palette, which esc itself closes
            key = self.app.get_key_display(Binding(a.key, a.action))
            cmds.append((a.long, partial(screen.run_action, a.action), f"key {key}"))
        return cmds

    async def discover(self) -> Hits:
        for text, callback, help_text in self._commands():
            yield DiscoveryHit(Content(text), callback, text=text, help=escape(help_text))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for text, callback, help_text in self._commands():
            score = matcher.match(text)
            if score > 0:
                yield Hit(
                    score, literal_hit(matcher, text), callback, text=text, help=escape(help_text)
                )
