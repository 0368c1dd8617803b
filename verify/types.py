"""Plain records passed between pipeline stages. Stages share these and nothing else."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime

from verify.printable import printable


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def now() -> str:
    """The stamp of every stored row: UTC, to the second."""
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Article:
    """One article as ingested. ``source`` names the file (and row) it came from."""

    text: str
    source: str
    title: str = ""
    outlet: str = ""
    date: str = ""  # ISO 8601 where known
    url: str = ""
    author: str = ""

    @property
    def hash(self) -> str:
        # Metadata is part of identity: the same text re-labelled with another outlet is new.
        key = "\x1f".join([self.text, self.title, self.outlet, self.date, self.url, self.author])
        return sha256(key)


@dataclass(frozen=True)
class Refusal:
    """An input that could not be ingested: reported on one line, never fatal to the run."""

    source: str
    reason: str

    def __str__(self) -> str:
        # Names and reasons quote the input: escaped, so the refusal stays one inert line.
        return f"{printable(self.source)}: {printable(self.reason)}"


@dataclass
class Claim:
    """A claim and who made it. Offsets are character offsets into the article text."""

    sentence: str  # verbatim sentence(s) from the article
    text: str  # content with the attribution phrase removed
    start: int
    end: int
    speaker: str = ""  # as written in the article ("the Kremlin leader", "Putin")
    cue: str = ""  # "said", "announced", "writes on Twitter", "according to"
    relay: list[str] = field(default_factory=list)  # nearest first: ["TASS"], ["Kremlin", "TASS"]
    # Where the speaker and cue are written (character offsets, end exclusive), possibly in an
    # earlier sentence for a claim carried over; None when not in the text (the outlet's own
    # claims, or a carried-over claim's cue). ``speaker`` may be a resolved name ("he" ->
    # "Putin"): these keep the span as written.
    speaker_start: int | None = None
    speaker_end: int | None = None
    cue_start: int | None = None
    cue_end: int | None = None
    language: str = ""  # verify.language code; "" lets the store detect it from the sentence
