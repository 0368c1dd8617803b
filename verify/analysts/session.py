"""One analyst's session on a store, for the board: the writes an analyst makes (pair tags and
settlements, undo, claim corrections, stance tags, propositions), each committed before it
returns, and the few one-row reads the screens make meanwhile (an article, a tag). Every value
is a plain dict. The slow jobs (retrain, export, scoring a new proposition) run in worker threads,
each on a connection of its own.

The TUI reaches the store through this module and ``verify.views.listings`` only (an import-linter
contract in pyproject.toml). Undo is append-only: a tag is never deleted, a retraction row lists
it, and every engine reader (board, export, train) leaves retracted tags out."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from verify.analysts.settle import SettleError, settle
from verify.propositions import edit
from verify.propositions.edit import PropositionError, check_text
from verify.propositions.views import proposition_views
from verify.store.corrections import CorrectionError
from verify.store.database import Store
from verify.store.propositions import PropositionTables
from verify.views.board import tag_record
from verify.views.listings import claims as claim_views

#: What a failed read or write of the database file raises (busy, locked, gone, not a database).
DatabaseError = sqlite3.Error
__all__ = [
    "AnalystSession",
    "CorrectionError",
    "DatabaseError",
    "PropositionError",
    "SettleError",
    "check_text",
]

Log = Callable[[str], None]


class AnalystSession:
    """The UI thread's connection: a write is one short transaction (a few ms)."""

    def __init__(self, db_path: str | Path) -> None:
        self.db_path = str(db_path)
        self._store = Store(db_path)
        self._texts: dict[int, str] = {}

    def close(self) -> None:
        self._store.close()

    # -- pair tags -------------------------------------------------------------------------------
    def tag(self, pair_id: int, label: str, analyst: str, note: str = "") -> dict[str, Any]:
        """Committed (and fsynced) when this returns; ``KeyError`` / ``ValueError`` for a pair
        or label that does not exist."""
        return self._tag(self._store.add_tag(pair_id, label, analyst, note))

    def settle(
        self, pair_id: int, label: str, reviewer: str, reviewers: tuple[str, ...], note: str = ""
    ) -> dict[str, Any]:
        """A reviewer's settling tag; ``SettleError`` says why one is refused."""
        return self._tag(settle(self._store, pair_id, label, reviewer, reviewers, note))

    def readings_beside(self, pair_id: int) -> dict[int, dict[str, float]]:
        """The one value (probabilities by label) of every scored pair that shares a claim with
        ``pair_id``, as the ranking reads them now: a verdict on a pair reaches its neighbours
        (``verify.stages.tag_reach``), and the board shows what `disputes --pairs` would."""
        from verify.labels import STANCE_LABELS
        from verify.stages.ranking import compute

        row = self._store.pair(pair_id)
        if row is None:
            return {}
        ranked, _ = compute(self._store, {int(row["a_id"]), int(row["b_id"])})
        return {
            pid: dict(zip(STANCE_LABELS, map(float, probs), strict=True))
            for _a, _b, pid, probs in ranked
            if pid is not None
        }

    def _tag(self, tag_id: int) -> dict[str, Any]:
        row = self._store.tag(tag_id)
        assert row is not None  # written by this connection a moment ago
        return tag_record(row)

    def undo(self, analyst: str) -> dict[str, Any] | None:
        """Retract ``analyst``'s latest active tag (across sessions); ``None`` if none is left."""
        row = self._store.retract_latest(analyst)
        return None if row is None else tag_record(row)

    def correct(self, claim_id: int, analyst: str, **changes: object) -> int:
        """Committed when it returns; ``CorrectionError`` says why one is refused."""
        return self._store.correct_claim(claim_id, analyst, **changes)

    # -- articles --------------------------------------------------------------------------------
    def article(self, article_id: int) -> dict[str, Any] | None:
        """The whole source article (text, url, title, outlet, date, source)."""
        row = self._store.article(article_id)
        return None if row is None else dict(row)

    def article_text(self, article_id: int) -> str:
        """The article's text, read once per session (the pair pane asks at every move)."""
        if article_id not in self._texts:
            row = self._store.article(article_id)
            self._texts[article_id] = row["text"] if row else ""
        return self._texts[article_id]

    # -- propositions ----------------------------------------------------------------------------
    def claims(self) -> list[dict[str, Any]]:
        """Every claim (``verify.views.claim.claim_view``), corrections laid over."""
        return claim_views(self._store)

    def propositions(
        self, claims_by_id: dict[int, dict[str, Any]], topic: int | None
    ) -> list[dict[str, Any]]:
        """``verify.propositions.views.proposition_views``: most contested first."""
        return proposition_views(self._store, claims_by_id, topic)

    def tag_stance(
        self, prop_id: int, claim_id: int, label: str, analyst: str, note: str = ""
    ) -> int:
        return edit.tag_stance(self._store, prop_id, claim_id, label, analyst, note)

    def undo_stance(self, analyst: str) -> dict[str, Any] | None:
        """Retract ``analyst``'s latest stance tag; ``None`` if none is left."""
        row = PropositionTables(self._store).retract_latest_tag(analyst)
        return None if row is None else dict(row)

    def pin(self, claim_id: int, analyst: str) -> int:
        return edit.pin_claim(self._store, claim_id, analyst)

    def unpropose(self, prop_id: int, analyst: str) -> None:
        edit.unpropose(self._store, prop_id, analyst)


# -- slow jobs: each in a worker thread, on a connection of its own ------------------------------
def retrain(db_path: str | Path, log: Log) -> dict:
    """``counterclaim train`` from the board (``verify.analysts.retrain.retrain``)."""
    from verify.analysts.retrain import retrain as engine_retrain

    store = Store(db_path)
    try:
        return engine_retrain(store, log)
    finally:
        store.close()


def default_export_path(db_path: str | Path, fmt: str) -> Path:
    db = Path(db_path)
    return db.with_name(f"{db.stem}-report.{fmt}")


def export_report(db_path: str | Path, fmt: str, path: str | Path) -> Path:
    """``counterclaim export`` from the board: the report (and, for md, its pictures) at ``path``."""
    from verify.report import write_report

    store = Store(db_path)
    try:
        return write_report(store, fmt, Path(path).expanduser())[0]
    finally:
        store.close()


def add_and_score(
    db_path: str | Path, text: str | None, topic_id: int | None, analyst: str, prop_id: int | None
) -> tuple[int | None, int]:
    """Add a typed proposition if ``text`` is given, then score every unscored (proposition,
    claim) with the stance model. Returns (the proposition's id, how many reads)."""
    from verify.propositions.scoring import score_propositions
    from verify.stages.engine_models import cached_embedder, claim_space, stance_model

    store = Store(db_path)
    try:
        embedder = cached_embedder(store)
        if text is not None:
            assert topic_id is not None
            prop_id = edit.propose_text(store, text, topic_id, analyst, embedder.encode)
        model = stance_model(store, embedder, log=lambda _line: None)
        key = store.meta.stance_model or ""
        space = claim_space(store, embedder).encode
        n = score_propositions(PropositionTables(store), model, key, lambda _line: None, space)
        return prop_id, n
    finally:
        store.close()
