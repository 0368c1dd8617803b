"""The board's context: the engine calls a screen may make (tags, settle, undo, corrections, the
source article, propositions and their stance tags), who is working (the analyst, the reviewers,
where the cursor goes after a tag) and the latest load. Built once at start-up on one analyst's
session (``verify.analysts.session``) and handed to each screen through its constructor.

Screens never reach into the app: they ask the context for engine work, and post messages
(``tui.messages``) to open another screen, reload or start a slow job. A write raises what the
engine raises (``WRITE_ERRORS``); the screen that asked says so to the analyst."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tui.records import BoardData, ClaimItem, PairItem, TagItem, tag_item
from verify.analysts.session import AnalystSession, DatabaseError
from verify.config import ADVANCE_CHOICES

#: What a refused or failed write raises: the file (busy, gone), or the engine's one-line reason
#: (an unknown pair or label, ``SettleError``, ``CorrectionError``, ``PropositionError``).
WRITE_ERRORS: tuple[type[Exception], ...] = (DatabaseError, KeyError, ValueError)


class BoardContext:
    def __init__(
        self,
        session: AnalystSession,
        analyst: str,
        reviewers: tuple[str, ...] = (),
        advance: str = ADVANCE_CHOICES[0],
    ) -> None:
        self.session = session
        self.analyst = analyst
        self.reviewers = reviewers  # who may settle (verify.config)
        self.advance = advance if advance in ADVANCE_CHOICES else ADVANCE_CHOICES[0]
        #: The latest load (the app replaces it whole; screens hear of it through ``App.data``).
        self.data: BoardData | None = None

    @classmethod
    def open(
        cls,
        db_path: str | Path,
        analyst: str,
        reviewers: tuple[str, ...] = (),
        advance: str = ADVANCE_CHOICES[0],
    ) -> BoardContext:
        """The context of a board on ``db_path``: one connection, for the UI thread."""
        return cls(AnalystSession(db_path), analyst, reviewers, advance)

    @property
    def db_path(self) -> str:
        return self.session.db_path

    def close(self) -> None:
        self.session.close()

    # -- pair review -----------------------------------------------------------------------------
    def tag(self, pair: PairItem, label: str, note: str = "") -> TagItem:
        """Store the tag (committed before this returns), then add it to the pair."""
        tag = tag_item(self.session.tag(pair.id, label, self.analyst, note))
        pair.tags.append(tag)
        return tag

    def reread_beside(self, pair_id: int) -> list[PairItem]:
        """The loaded pairs sharing a claim with pair ``pair_id`` whose value a verdict on it
        changed (``verify.stages.tag_reach``), their values read again; the pair itself among
        them if another verdict reaches it. The board keeps their places and redraws their
        numbers."""
        if self.data is None:
            return []
        changed = []
        for pid, probs in self.session.readings_beside(pair_id).items():
            item = self.data.by_id.get(pid)
            if item is not None and item.probs != probs:
                item.probs = probs
                changed.append(item)
        return changed

    def settle(self, pair: PairItem, label: str) -> TagItem:
        """A settlement by this analyst as reviewer; ``SettleError`` says why it is refused."""
        tag = tag_item(self.session.settle(pair.id, label, self.analyst, self.reviewers))
        pair.tags.append(tag)
        return tag

    def undo(self) -> tuple[TagItem, PairItem | None] | None:
        """Retract this analyst's latest tag; it and its pair (if loaded), ``None`` if none."""
        record = self.session.undo(self.analyst)
        if record is None:
            return None
        tag = tag_item(record)
        pair = self.data.by_id.get(tag.pair_id) if self.data else None
        if pair is not None:
            pair.tags[:] = [t for t in pair.tags if t.id != tag.id]
        return tag, pair

    def correct(self, claim_id: int, changes: dict[str, object]) -> None:
        """An analyst's correction of a claim; ``CorrectionError`` says why it is refused."""
        self.session.correct(claim_id, self.analyst, **changes)

    # -- source articles -------------------------------------------------------------------------
    def article(self, claim: ClaimItem) -> dict[str, Any]:
        """The claim's whole source article (just its source when it is gone)."""
        return self.session.article(claim.article_id) or {"source": claim.article}

    def article_text(self, article_id: int) -> str:
        return self.session.article_text(article_id)

    # -- propositions ----------------------------------------------------------------------------
    def claim_views(self) -> dict[int, dict[str, Any]]:
        return {c["id"]: c for c in self.session.claims()}

    def propositions(
        self, claims: dict[int, dict[str, Any]], topic: int | None
    ) -> list[dict[str, Any]]:
        return self.session.propositions(claims, topic)

    def tag_stance(self, prop_id: int, claim_id: int, label: str, note: str = "") -> None:
        self.session.tag_stance(prop_id, claim_id, label, self.analyst, note)

    def undo_stance(self) -> dict[str, Any] | None:
        return self.session.undo_stance(self.analyst)

    def pin(self, claim_id: int) -> int:
        return self.session.pin(claim_id, self.analyst)

    def unpropose(self, prop_id: int) -> None:
        self.session.unpropose(prop_id, self.analyst)
