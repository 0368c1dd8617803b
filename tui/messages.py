"""Messages: what thread workers post to the app (``post_message`` is thread-safe), and what
screens post to it (they bubble up) to open another screen, reload or start a slow job, so that
no screen calls into the app."""

from __future__ import annotations

from textual.message import Message

from tui.records import BoardData, PairItem
from verify.views.poll import Changes


class DataLoaded(Message):
    def __init__(self, data: BoardData) -> None:
        super().__init__()
        self.data = data


class JobLog(Message):
    """A progress line from a slow job (retrain, export)."""

    def __init__(self, job: str, line: str) -> None:
        super().__init__()
        self.job, self.line = job, line


class JobDone(Message):
    def __init__(self, job: str, summary: str) -> None:
        super().__init__()
        self.job, self.summary = job, summary


class JobFailed(Message):
    def __init__(self, job: str, error: str) -> None:
        super().__init__()
        self.job, self.error = job, error


class TagsChanged(Message):
    """Tags or undos made meanwhile by anyone (another board, the CLI), from the poll worker."""

    def __init__(self, changes: Changes) -> None:
        super().__init__()
        self.changes = changes


class PairsRetagged(Message):
    """The app merged new tags into these pairs: the board redraws their rows."""

    def __init__(self, pairs: list[PairItem]) -> None:
        super().__init__()
        self.pairs = pairs


# -- from the screens ----------------------------------------------------------------------------
class OpenBoard(Message):
    """Open the board of ``topic`` (``None``: every topic); ``fresh``: over the topics screen,
    closing whatever was open above it (the palette), else over the current screen."""

    def __init__(self, topic: int | None, fresh: bool = False) -> None:
        super().__init__()
        self.topic, self.fresh = topic, fresh


class OpenPropositions(Message):
    """Open the propositions of ``topic`` (``None``: every topic) over the current screen."""

    def __init__(self, topic: int | None) -> None:
        super().__init__()
        self.topic = topic


class Reload(Message):
    """Read everything again (a claim was corrected: what the board lists changed)."""


class StartExport(Message):
    def __init__(self, fmt: str, path: str) -> None:
        super().__init__()
        self.fmt, self.path = fmt, path


class StartRetrain(Message):
    """Retrain the stance model on the tags and rescore every pair, in the background."""
