"""Pieces of the proposition screen: a claim's entry in a column, the proposition's header, the
column widget and the modal to type a proposition. Proposition and claim text are hostile: every
value goes into a rich ``Text`` through ``one_line``/``safe``, never into markup."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from tui.modals import CLOSE, _Modal
from tui.text import literal, one_line
from tui.widgets import vim_keys
from verify.registry.actors import UNKNOWN_SIDE

STANCE_STYLE = {
    "supports": "bold green",
    "refutes": "bold red",
    "discusses": "yellow",
    "unrelated": "dim",
}
#: Which probability a column shows as the claim's confidence.
COLUMN_LABEL = {"supporters": "supports", "refuters": "refutes"}
COLUMN_TITLE = {"supporters": "supports", "refuters": "refutes", "others": "discusses · unrelated"}
TAG_MARK = "✎"


def confidence(view: dict[str, Any], column: str) -> tuple[str, float]:
    """The label the column is about (the claim's own for "others") and its probability."""
    label = COLUMN_LABEL.get(column, view["stance"])
    return label, float(view["probs"].get(label, 0.0))


def stance_option(view: dict[str, Any], column: str, width: int) -> Text:
    """Who said it (with the analysts' mark), the confidence; relay and outlet; the claim."""
    claim = view["claim"]
    label, p = confidence(view, column)
    out = Text(end="")
    if view["tags"]:
        who = ",".join(sorted({t["analyst"] for t in view["tags"]}))
        out.append(f"{TAG_MARK} ", style="bold magenta")
        out.append(one_line(who, 16), style="magenta")
        out.append(" ")
    out.append(one_line(claim["actor"] or claim["speaker"] or "?", 32), style="bold")
    out.append(f"  {p:4.2f} ", style=STANCE_STYLE.get(label, ""))
    out.append("tagged " if view["tagged"] else "", style="italic")
    out.append(label, style=STANCE_STYLE.get(label, ""))
    out.append("\n")
    via = [str(r) for r in claim.get("relay") or ()]
    speaker = claim.get("speaker") or ""
    if speaker and speaker != claim["actor"]:
        via.insert(0, speaker)
    line = ("via " + " → ".join(via) + " · ") if via else ""
    out.append(one_line(line + (claim["outlet"] or "no outlet"), width), style="dim")
    out.append("\n")
    out.append(one_line(claim["text"], width * 2))
    return out


def column_options(views: list[dict[str, Any]], column: str, width: int) -> list[Option]:
    """The column's claims grouped by side (a dim header per side), ids as option ids."""
    by_side: dict[str, list[dict[str, Any]]] = {}
    for v in views:
        by_side.setdefault(v["claim"]["side"] or UNKNOWN_SIDE, []).append(v)
    options: list[Option] = []
    for side in sorted(by_side, key=lambda s: (s == UNKNOWN_SIDE, s)):
        n = len(by_side[side])
        options.append(Option(literal(f"── {side} · {n} ──", style="bold italic"), disabled=True))
        options.extend(
            Option(stance_option(v, column, width), id=str(v["claim"]["id"])) for v in by_side[side]
        )
    if not options:
        options.append(Option(Text("no claim here", style="dim italic"), disabled=True))
    return options


def header(view: dict[str, Any] | None, index: int, total: int, analyst: str) -> Text:
    """Which proposition of how many, whose, its topic; the text itself; the counts."""
    out = Text(end="", overflow="ellipsis")
    if view is None:
        out.append("No live proposition here", style="bold")
        out.append("   n: type one · b: pair review · esc: back", style="dim")
        return out
    out.append(f"proposition {index + 1}/{total} #{view['id']} ", style="bold")
    out.append(f"{view['origin']} ", style="italic")
    out.append("topic ", style="dim")
    out.append(one_line(view["topic"]["title"] or view["topic"]["id"], 50))
    out.append("  analyst ", style="dim")
    out.append(one_line(analyst, 20), style="bold")
    out.append("\n")
    out.append(one_line(view["text"], 400), style="bold reverse")  # literal: never markup
    out.append("\n")
    out.append(f"{len(view['supporters'])} support", style=STANCE_STYLE["supports"])
    out.append(" · ")
    out.append(f"{len(view['refuters'])} refute", style=STANCE_STYLE["refutes"])
    out.append(f" · {len(view['others'])} other")
    if view["is_dispute"]:
        out.append(f" · disputed ({view['contested']:.2f})", style="bold magenta")
    claims = [s for group in ("supporters", "refuters", "others") for s in view[group]]
    mine = sum(any(t["analyst"] == analyst for t in s["tags"]) for s in claims)
    tagged = sum(bool(s["tags"]) for s in claims)
    out.append(f"   {tagged} of {len(claims)} tagged", style="bold")
    out.append(f" ({mine} by you)", style="dim")
    return out


class StanceColumn(OptionList):
    """One column of claims (supporters, refuters, the rest); j / k move, tags act on the
    highlighted claim."""

    BINDINGS: ClassVar[list[BindingType]] = [*vim_keys("Down", "Up")]

    def __init__(self, column: str, **kwargs: Any) -> None:
        super().__init__(id=column, **kwargs)
        self.column = column

    def fill(
        self, views: list[dict[str, Any]], width: int, keep: int | None, stay: bool = True
    ) -> None:
        """Replace the claims; highlight ``keep`` if listed here, else (``stay``) the claim
        highlighted before, else the first claim."""
        before = self.claim_id if stay else None
        self.clear_options()
        self.add_options(column_options(views, self.column, width))
        self.border_title = Text(f"{COLUMN_TITLE[self.column]} · {len(views)}")  # type: ignore[assignment]
        index = next(
            (
                i
                for i in (self.index_of(c) for c in (keep, before) if c is not None)
                if i is not None
            ),
            None,
        )
        first = next(
            (i for i in range(self.option_count) if not self.get_option_at_index(i).disabled), None
        )
        self.highlighted = index if index is not None else first

    def next_claim(self, claim_id: int | None) -> int | None:
        """The id of the claim listed after ``claim_id`` here (None: it is the last)."""
        here = self.index_of(claim_id) if claim_id is not None else None
        if here is None:
            return None
        for i in range(here + 1, self.option_count):
            option = self.get_option_at_index(i)
            if not option.disabled and option.id is not None:
                return int(option.id)
        return None

    def go_to(self, claim_id: int | None, fallback: int | None) -> None:
        """Highlight ``claim_id``, else ``fallback``, else the last claim listed."""
        for c in (claim_id, fallback):
            index = self.index_of(c) if c is not None else None
            if index is not None:
                self.highlighted = index
                return
        enabled = [i for i in range(self.option_count) if not self.get_option_at_index(i).disabled]
        if enabled:
            self.highlighted = enabled[-1]

    def index_of(self, claim_id: int) -> int | None:
        try:
            return self.get_option_index(str(claim_id))
        except Exception:  # OptionDoesNotExist: not in this column
            return None

    @property
    def claim_id(self) -> int | None:
        i = self.highlighted
        if i is None or not 0 <= i < self.option_count:
            return None
        option = self.get_option_at_index(i)
        return int(option.id) if option.id is not None else None


class ProposeScreen(_Modal):
    """One line of analyst text (a new proposition, or a note on a stance tag); enter submits
    it as typed (the engine checks it). The title and the text are shown literally."""

    BINDINGS: ClassVar[list[BindingType]] = [*CLOSE]

    def __init__(
        self,
        title: Text,
        value: str = "",
        placeholder: str = "",
        hint: str = "enter: add it (scored in the background) · esc: cancel",
    ) -> None:
        super().__init__()
        self.title_text, self.value, self.placeholder, self.hint = title, value, placeholder, hint

    def compose(self) -> ComposeResult:
        with Vertical(id="propose-box", classes="modal-box"):
            yield Static(self.title_text, classes="modal-title")
            yield Input(
                value=self.value, placeholder=self.placeholder, id="propose-text", compact=True
            )
            yield Static(self.hint, classes="modal-hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value)
