"""The one table of the board's actions: key, action, short and long description, and whether
the footer shows it. ``BINDINGS`` of every screen, the footer (Textual reads those bindings), the
help screen (built from the live bindings) and the command palette are all built from it, so a key
is written once. A new screen adds its rows under its own name, names them in its
``ACTION_TABLE`` (the palette reads the rows through it) and calls ``bindings(ACTION_TABLE)``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from textual.binding import Binding, BindingType

#: A command palette entry: its text, what it runs, its help (the key, or what it does).
Command = tuple[str, Callable[[], object], str]


@dataclass(frozen=True)
class Action:
    key: str  # Textual key name ("c", "N", "right_square_bracket", "f1")
    action: str  # Textual action string, run on the screen (or app) that owns the row
    short: str  # footer label: a word
    long: str  # help and palette: the whole sentence
    footer: bool = False
    priority: bool = False  # answer before the focused widget (e.g. enter over a table's own)
    display: str | None = None  # how the footer and help write the key ("␣" for space)


#: screen name -> its actions, in the order help lists them. "app": every screen.
ACTIONS: dict[str, tuple[Action, ...]] = {
    "app": (
        Action("f1", "help", "Help", "Show every key", footer=True),
        Action("q", "quit", "Quit", "Quit the board (tags are already saved)", footer=True),
        Action("f5", "reload", "Reload", "Reload everything from the database"),
    ),
    "topics": (
        Action("enter", "open", "Open", "Open the topic's board", footer=True, priority=True),
        Action("g", "app.team", "Team", "Team: progress per analyst and agreement", footer=True),
        Action(
            "p",
            "propositions",
            "Props",
            "Propositions of the topic: who supports, who refutes",
            footer=True,
        ),
    ),
    "board": (
        Action("c", "tag('contradiction')", "Contra", "Tag the pair: contradiction", footer=True),
        Action("a", "tag('agreement')", "Agree", "Tag the pair: agreement", footer=True),
        Action("n", "tag('neutral')", "Neutral", "Tag the pair: neutral", footer=True),
        Action("u", "tag('unrelated')", "Unrel", "Tag the pair: unrelated", footer=True),
        Action(
            "space", "skip", "Skip", "Skip: on to the next pair without a tag", True, display="␣"
        ),
        Action("N", "note", "Note", "Add a note to my tag on this pair"),
        Action("z", "undo", "Undo", "Undo my latest tag (kept, marked retracted)", footer=True),
        Action("s", "settle", "Settle", "Settle the analysts' disagreement (reviewers only)"),
        Action("right_square_bracket", "next_untagged", "Next", "Next untagged pair"),
        Action(
            "question_mark",
            "next_uncertain",
            "Uncertain",
            "Most uncertain untagged pair (p(contradiction) nearest 0.5), again: next",
        ),
        Action(
            "1",
            "quick('contradiction')",
            "Contras",
            "Quick filter: only pairs the model calls contradiction (again: off)",
        ),
        Action(
            "2", "quick('untagged')", "Untagged", "Quick filter: only untagged pairs (again: off)"
        ),
        Action(
            "3",
            "quick('conflict')",
            "Conflicts",
            "Quick filter: only pairs the analysts disagree on (again: off)",
        ),
        Action("slash", "search", "Search", "Search claims, speakers, relays, outlets"),
        Action("f", "filters", "Filter", "Filter by side, actor, outlet, model label, tag status"),
        Action("x", "clear_filters", "Clear", "Clear the filters and the selected claim"),
        Action(
            "v",
            "read",
            "Read",
            "Read the pair full height (also enter on a row; again or esc: back)",
        ),
        Action(
            "o",
            "article",
            "Article",
            "Open the claim's source article: full text, claim highlighted, URL",
        ),
        Action(
            "E",
            "correct",
            "Correct",
            "Correct the claim: speaker, actor, side, or not a claim (kept on re-run)",
        ),
        Action("l", "toggle_sides", "Sides", "Show / hide the claim columns by side"),
        Action(
            "m",
            "cycle_advance",
            "Advance",
            "After a tag, move to: next untagged / next pair / stay (cycles)",
        ),
        Action("g", "app.team", "Team", "Team: progress per analyst and agreement"),
        Action("p", "focus_pairs", "Pairs", "Focus the pairs table"),
        Action("e", "export", "Export", "Export a report (md, html, json, csv, claimreview)"),
        Action(
            "r", "retrain", "Retrain", "Retrain the stance model on the tags, rescore every pair"
        ),
        Action(
            "P",
            "propositions",
            "Props",
            "Propositions of this topic: who supports, who refutes (tag stances there)",
        ),
        Action("escape", "back", "Back", "Close search / unselect the claim / back to the topics"),
    ),
    "propositions": (
        Action(
            "s", "tag('supports')", "Supp", "Tag the claim: supports the proposition", footer=True
        ),
        Action(
            "x", "tag('refutes')", "Refut", "Tag the claim: refutes the proposition", footer=True
        ),
        Action(
            "d",
            "tag('discusses')",
            "Disc",
            "Tag the claim: discusses it, takes no side",
            footer=True,
        ),
        Action(
            "u",
            "tag('unrelated')",
            "Unrel",
            "Tag the claim: unrelated to the proposition",
            footer=True,
        ),
        Action(
            "space",
            "skip",
            "Skip",
            "Skip: the next claim of this column, no tag",
            True,
            display="␣",
        ),
        Action("N", "note", "Note", "Add a note to my stance tag on this claim"),
        Action(
            "z", "undo", "Undo", "Undo my latest stance tag (kept, marked retracted)", footer=True
        ),
        Action(
            "right_square_bracket", "step(1)", "Next", "Next proposition", footer=True, display="]"
        ),
        Action("left_square_bracket", "step(-1)", "Prev", "Previous proposition"),
        Action("l", "column(1)", "Right", "Next column of claims (also tab)"),
        Action("h", "column(-1)", "Left", "Previous column of claims (also shift+tab)"),
        Action("P", "pin", "Pin", "Pin the selected claim as a new proposition"),
        Action("n", "new", "New", "Type a new proposition for this topic"),
        Action("w", "withdraw", "Withdraw", "Withdraw the current proposition (kept, marked)"),
        Action(
            "o",
            "article",
            "Article",
            "Open the claim's source article: full text, claim highlighted, URL",
        ),
        Action("b", "pairs", "Pairs", "Pair review of this topic (the board)"),
        Action("escape", "back", "Back", "Back to where you came from"),
    ),
    # The correction dialog (E): tab / shift+tab walk its fields in reading order.
    "correct": (
        Action(
            "ctrl+o",
            "switch",
            "Other claim",
            "Correct the other claim of the pair instead",
            priority=True,
        ),
        Action("ctrl+s", "save", "Save", "Save the correction", priority=True),
    ),
}


def key_hint(screen: str) -> str:
    """``ctrl+o: other claim · ctrl+s: save``: a screen's keys for a dialog's hint line."""
    return " · ".join(f"{a.display or a.key}: {a.short.lower()}" for a in ACTIONS[screen])


def bindings(screen: str) -> list[BindingType]:
    """A screen's ``BINDINGS``: the short form in the footer, the long form as the tooltip."""
    return [
        Binding(
            a.key,
            a.action,
            a.short,
            show=a.footer,
            key_display=a.display,
            tooltip=a.long,
            priority=a.priority,
        )
        for a in ACTIONS[screen]
    ]
