"""Small modal screens: help (built from the live bindings), filters, export, confirm, settle,
a note on a tag, and the source article."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import ActiveBinding, Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, DataTable, Input, Label, Select, Static

from tui.records import ClaimItem, Filters, PairItem
from tui.render import LABEL_STYLE
from tui.text import literal, one_line, safe
from verify.analysts.review import STATUSES
from verify.analysts.session import default_export_path
from verify.labels import STANCE_LABELS
from verify.report import FORMATS

CLOSE: list[BindingType] = [Binding("escape", "dismiss_none", "Close")]


class _Modal(ModalScreen):
    def action_dismiss_none(self) -> None:
        self.dismiss(None)


def _own(node: object) -> set[tuple[str, str]]:
    """(key, action) pairs declared by the node's own class, not inherited from Textual's."""
    found: set[tuple[str, str]] = set()
    for cls in type(node).__mro__:
        if not cls.__module__.startswith("tui."):
            continue
        for b in cls.__dict__.get("BINDINGS", []):
            if isinstance(b, Binding):
                found.update((key.strip(), b.action) for key in b.key.split(","))
    return found


SECTIONS = ("this screen", "the focused list", "everywhere", "Textual")


def binding_rows(screen: Screen, active: dict[str, ActiveBinding]) -> list[tuple[str, str, str]]:
    """(section, keys, description) for every described binding (its tooltip, the long form,
    when it has one); keys that share a description are listed together ("j / ↓  Cursor down").
    """
    grouped: dict[tuple[int, str], list[str]] = {}
    for key, (node, binding, _enabled, _tip) in active.items():
        description = binding.tooltip or binding.description
        if not description:
            continue
        if node is screen:
            tier = 0 if (key, binding.action) in _own(node) else 3
        else:
            tier = 2 if node is screen.app and (key, binding.action) in _own(node) else 1
            tier = 3 if node is screen.app and tier == 1 else tier
        keys = grouped.setdefault((tier, description), [])
        display = screen.app.get_key_display(binding)
        if display not in keys:
            keys.append(display)
    return [
        (SECTIONS[tier], " / ".join(keys), description)
        for (tier, description), keys in sorted(grouped.items(), key=lambda kv: kv[0][0])
    ]


class HelpScreen(_Modal):
    """Every key the board answers to, read from the bindings when it opened."""

    BINDINGS = [*CLOSE, Binding("f1", "dismiss_none", "Close", show=False)]

    def __init__(self, rows: list[tuple[str, str, str]]) -> None:
        super().__init__()
        self.rows = rows

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box", classes="modal-box"):
            yield Static("Keys", classes="modal-title")
            yield DataTable(id="help-table", cursor_type="row", zebra_stripes=True)
            yield Static("ctrl+p: command palette · esc: close", classes="modal-hint")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        keys_width = max((len(k) for _, k, _ in self.rows), default=4)
        # The descriptions wrap in what the box leaves them (border, padding, cell padding).
        box = min(110, self.app.size.width) - 4 - 4 - 4 - 2
        table.add_column("key", width=keys_width)
        table.add_column("action", width=max(box - keys_width, 20))
        section = ""
        for where, keys, description in self.rows:
            if where != section:
                section = where
                table.add_row(Text(""), Text(f"— {where} —", style="bold italic"))
            table.add_row(Text(keys, style="bold"), Text(description), height=None)
        table.focus()


def _select(choices: list[str], value: str | None, widget_id: str, blank: str) -> Select[str]:
    options = [(literal(v or blank), v) for v in choices]
    current = value if value in choices else Select.NULL
    return Select(
        options,
        value=current,
        prompt="any",
        id=widget_id,  # type: ignore[arg-type]
        compact=True,
    )


class FilterScreen(_Modal):
    """Side, actor, outlet (of either claim), model label, tag status and search text."""

    BINDINGS = CLOSE
    FIELDS = ("side", "actor", "outlet", "label", "status")

    def __init__(self, filters: Filters, choices: dict[str, list[str]]) -> None:
        super().__init__()
        self.filters = filters
        self.choices = {**choices, "label": list(STANCE_LABELS), "status": list(STATUSES)}

    def compose(self) -> ComposeResult:
        with Vertical(id="filter-box", classes="modal-box"):
            yield Static("Filters", classes="modal-title")
            for name in self.FIELDS:
                with Horizontal(classes="field"):
                    yield Label(name)
                    yield _select(
                        self.choices[name], getattr(self.filters, name), f"filter-{name}", "(none)"
                    )
            with Horizontal(classes="field"):
                yield Label("search")
                yield Input(
                    value=self.filters.text,
                    placeholder="text in either claim",
                    id="filter-text",
                    compact=True,
                )
            with Horizontal(classes="field"):
                yield Label("check-worthy ≥")
                current = self.filters.min_checkworthy
                yield Input(
                    value="" if current is None else f"{current:g}",
                    placeholder="0 to 1",
                    type="number",
                    id="filter-checkworthy",
                    compact=True,
                )
            with Horizontal(classes="buttons"):
                yield Button("Apply", variant="primary", id="apply")
                yield Button("Clear all", id="clear")
                yield Button("Cancel", id="cancel")

    def chosen(self) -> Filters:
        values: dict[str, str | None] = {}
        for name in self.FIELDS:
            value = self.query_one(f"#filter-{name}", Select).value
            values[name] = None if value is Select.NULL else str(value)
        raw = self.query_one("#filter-checkworthy", Input).value.strip()
        try:
            threshold: float | None = min(max(float(raw), 0.0), 1.0) if raw else None
        except ValueError:
            threshold = None
        return Filters(
            **values,
            text=self.query_one("#filter-text", Input).value.strip(),
            min_checkworthy=threshold,
        )

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "apply":
            self.dismiss(self.chosen())
        elif event.button.id == "clear":
            self.dismiss(Filters())
        else:
            self.dismiss(None)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(self.chosen())


class ExportScreen(_Modal):
    """Pick a format and a file; the export itself runs in a worker."""

    BINDINGS = CLOSE

    def __init__(self, db_path: str) -> None:
        super().__init__()
        self.db_path = db_path

    def compose(self) -> ComposeResult:
        with Vertical(id="export-box", classes="modal-box"):
            yield Static("Export a contradiction report", classes="modal-title")
            with Horizontal(classes="field"):
                yield Label("format")
                yield Select(
                    [(f, f) for f in FORMATS],
                    value=FORMATS[0],
                    allow_blank=False,
                    id="export-format",
                    compact=True,
                )
            with Horizontal(classes="field"):
                yield Label("file")
                yield Input(
                    str(default_export_path(self.db_path, FORMATS[0])),
                    id="export-path",
                    compact=True,
                )
            with Horizontal(classes="buttons"):
                yield Button("Export", variant="primary", id="export")
                yield Button("Cancel", id="cancel")

    def on_select_changed(self, event: Select.Changed) -> None:
        path = self.query_one("#export-path", Input)
        if Path(path.value).suffix.lstrip(".") in FORMATS:
            path.value = str(Path(path.value).with_suffix(f".{event.value}"))

    def _submit(self) -> None:
        fmt = str(self.query_one("#export-format", Select).value)
        self.dismiss((fmt, self.query_one("#export-path", Input).value.strip()))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "export":
            self._submit()
        else:
            self.dismiss(None)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._submit()


class ConfirmScreen(_Modal):
    BINDINGS = [*CLOSE, Binding("y", "answer(True)", "Yes"), Binding("n", "answer(False)", "No")]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box", classes="modal-box"):
            yield Static(Text(self.question), classes="modal-title")
            with Horizontal(classes="buttons"):
                yield Button("Yes (y)", variant="primary", id="yes")
                yield Button("No (n)", id="no")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "yes")


class SettleScreen(_Modal):
    """Analysts disagree on a pair: the reviewer picks the label that settles it."""

    BINDINGS = [
        *CLOSE,
        Binding("c", "pick('contradiction')", "Contradiction"),
        Binding("a", "pick('agreement')", "Agreement"),
        Binding("n", "pick('neutral')", "Neutral"),
        Binding("u", "pick('unrelated')", "Unrelated"),
    ]

    def __init__(self, pair: PairItem, analyst: str) -> None:
        super().__init__()
        self.pair, self.analyst = pair, analyst

    def compose(self) -> ComposeResult:
        with Vertical(id="settle-box", classes="modal-box"):
            yield Static(f"Settle pair #{self.pair.id}", classes="modal-title")
            yield Static(self._tags(), id="settle-tags")
            yield Static(
                "c contradiction · a agreement · n neutral · u unrelated · esc cancel",
                classes="modal-hint",
            )

    def _tags(self) -> Text:
        out = Text(end="")
        for tag in self.pair.latest().values():
            out.append(one_line(tag.analyst, 30), style="bold")
            out.append(": ")
            out.append(f"{tag.label}\n", style=LABEL_STYLE[tag.label])
        out.append("\nStored as a settlement by reviewer ", style="dim")
        out.append(one_line(self.analyst, 30), style="bold")
        out.append(" (a reviewer who is not part of the conflict).", style="dim")
        return out

    def action_pick(self, label: str) -> None:
        self.dismiss(label)


class NoteScreen(_Modal):
    """A note on the analyst's tag of one pair. The text is stored and shown literally."""

    BINDINGS = CLOSE

    def __init__(self, pair: PairItem, label: str, note: str) -> None:
        super().__init__()
        self.pair, self.label, self.note = pair, label, note

    def compose(self) -> ComposeResult:
        with Vertical(id="note-box", classes="modal-box"):
            yield Static(
                Text(f"Note on your tag of pair #{self.pair.id}: {self.label}"),
                classes="modal-title",
            )
            yield Input(
                value=self.note, placeholder="why (shown as typed)", id="note-text", compact=True
            )
            yield Static(
                "enter: save (a new tag, same label, with this note) · esc: cancel",
                classes="modal-hint",
            )

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value)


def article_text(text: str, start: int, end: int) -> Text:
    """The whole article, the claim reversed; every piece escaped, newlines kept."""
    out = Text(end="")
    if not 0 <= start <= end <= len(text):
        start = end = 0
    out.append(safe(text[:start], keep_newlines=True))
    out.append(safe(text[start:end], keep_newlines=True), style="bold reverse")
    out.append(safe(text[end:], keep_newlines=True))
    return out


class ArticleScreen(_Modal):
    """The source article of the claim, then (tab) of the counterclaim: full text, URL."""

    BINDINGS = [
        *CLOSE,
        Binding("tab", "switch", "Other claim's article"),
        Binding("o", "dismiss_none", "Close", show=False),
    ]

    def __init__(self, claims: list[ClaimItem], articles: list[dict[str, object]]) -> None:
        super().__init__()
        self.claims, self.articles, self.shown = claims, articles, 0

    def compose(self) -> ComposeResult:
        with Vertical(id="article-box", classes="modal-box"):
            yield Static(id="article-head", classes="modal-title")
            with VerticalScroll(id="article-scroll"):
                yield Static(id="article-body")
            yield Static(
                "tab: the other claim's article · ↑ ↓ pgup pgdn: scroll · esc: close",
                classes="modal-hint",
            )

    def on_mount(self) -> None:
        self._show()

    def _show(self) -> None:
        claim, article = self.claims[self.shown], self.articles[self.shown]
        head = Text(end="")
        head.append(("CLAIM" if self.shown == 0 else "COUNTERCLAIM") + " ", style="bold reverse")
        head.append(" ")
        head.append(one_line(article.get("title") or article.get("source"), 70), style="bold")
        head.append("\n")
        head.append(one_line(article.get("outlet") or "outlet unknown", 30), style="dim")
        head.append(" · ", style="dim")
        head.append(one_line(article.get("date") or "date unknown", 20), style="dim")
        head.append(" · ", style="dim")
        head.append(one_line(article.get("source"), 60), style="dim")
        head.append("\nURL ", style="dim")
        head.append(one_line(article.get("url") or "(none recorded)", 120))
        self.query_one("#article-head", Static).update(head)
        text = str(article.get("text") or "")
        self.query_one("#article-body", Static).update(article_text(text, claim.start, claim.end))
        scroll = self.query_one("#article-scroll", VerticalScroll)
        scroll.focus()
        self.call_after_refresh(self._scroll_to_claim, text, claim.start)

    def _scroll_to_claim(self, text: str, start: int) -> None:
        scroll = self.query_one("#article-scroll", VerticalScroll)
        width = max(scroll.content_region.width, 20)
        before = Text(safe(text[:start], keep_newlines=True))
        lines = len(before.wrap(self.app.console, width)) if start else 0
        scroll.scroll_to(y=max(lines - 2, 0), animate=False)

    def action_switch(self) -> None:
        self.shown = 1 - self.shown if len(self.claims) > 1 else 0
        self._show()
