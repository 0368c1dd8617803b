"""The store's ``meta`` table, typed: one attribute per key, so a key is spelled once and read as
what it holds (``store.meta.stance_model``, ``store.meta.refresh_pending = True``).

Values are stored as text, as they always were: a flag as ``"1"`` or ``""``, a number as its
digits, absent as ``""``. The schema's version is not here: it is ``PRAGMA user_version``
(``verify.store.migrations``)."""

from __future__ import annotations

import sqlite3
from typing import Any, Generic, TypeVar

T = TypeVar("T")

#: ``Meta.refresh_work`` when the next refresh must be a full one.
FULL = "full"


class _Key(Generic[T]):
    """One ``meta`` key, read and written as ``T`` (text by default)."""

    def __init__(self, key: str, doc: str) -> None:
        self.key, self.__doc__ = key, doc

    def decode(self, text: str) -> T:
        return text  # type: ignore[return-value]

    def encode(self, value: T) -> str:
        return str(value)

    def __get__(self, meta: Meta, _owner: Any = None) -> T:
        return self.decode(meta._get(self.key))

    def __set__(self, meta: Meta, value: T) -> None:
        meta._set(self.key, self.encode(value))


class _Flag(_Key[bool]):
    def decode(self, text: str) -> bool:
        return bool(text)

    def encode(self, value: bool) -> str:
        return "1" if value else ""


class _Count(_Key["int | None"]):
    def decode(self, text: str) -> int | None:
        return int(text) if text else None

    def encode(self, value: int | None) -> str:
        return "" if value is None else str(value)


class Meta:
    """The keys an engine run and its readers leave for each other in the store."""

    stance_model = _Key[str]("stance_model", "The key the current scores are stored under.")
    stance_model_dir = _Key[str](
        "stance_model_dir", "A retrained model's folder ('' : the shipped model)."
    )
    registry = _Key[str]("registry", "Fingerprint of the actor registry the sides came from.")
    refresh_pending = _Flag("refresh_pending", "A refresh is due (a run was killed before it).")
    refresh_work = _Key[str](
        "refresh_work", "'full', or the JSON of the claims an incremental refresh takes in."
    )
    refresh_model = _Key[str]("refresh_model", "The score key the last refresh ran under.")
    refresh_corrections = _Count(
        "refresh_corrections", "The latest correction the last refresh had seen."
    )
    refresh_state = _Key[str]("refresh_state", "The analysts' state the last refresh read.")
    graph_k = _Count("graph_k", "Neighbours per claim in the stored k-NN graph.")
    graph_space = _Key[str]("graph_space", "The claim space the stored k-NN graph was made in.")
    rank_stamp = _Key[str]("rank_stamp", "The state the stored rankings are valid for ('': none).")
    totals_key = _Key[str]("totals_key", "The state the stored topic totals are valid for.")

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def _get(self, key: str) -> str:
        row = self._db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else ""

    def _set(self, key: str, value: str) -> None:
        self._db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value))
