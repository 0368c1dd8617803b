"""Messages that thread workers post to the app (``post_message`` is thread-safe)."""

from __future__ import annotations

from textual.message import Message

from .model import BoardData


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

    def __init__(self, changes: object) -> None:
        super().__init__()
        self.changes = changes  # tui.poll.Changes


class PairsRetagged(Message):
    """The app merged new tags into these pairs: the board redraws their rows."""

    def __init__(self, pairs: list) -> None:
        super().__init__()
        self.pairs = pairs  # list[PairItem]
