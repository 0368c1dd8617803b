"""The one exception readers raise; the walker turns it into a ``Refusal``."""

from __future__ import annotations


class IngestError(Exception):
    """An input that cannot become an article. ``reason`` is short and meant for a person."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
