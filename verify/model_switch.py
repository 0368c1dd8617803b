"""The one place a store changes the stance model it answers with.

What a store ranks by is three things that must agree: the model key (meta ``stance_model``, and
``stance_model_dir`` for an analysts' retrained head), the scores stored under that key, and the
materialised rankings and counts read from them. Scoring is slow and is done first, under the new
key, while readers keep the old key and its rankings; then ``switch`` names the new key (and
folder) and rebuilds what is read from it in one SQLite transaction. A kill, Ctrl-C or SIGTERM at
any point before the commit leaves the store answering with the previous model, whole; after it,
with the new one, whole."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .settings import Settings
from .stance.base import StanceModel
from .store import Store


class ModelChanged(Exception):
    """Another process (``counterclaim train``) switched the store's model while this one was
    scoring with the previous model: its scores must not become the store's ranking."""


def switch(store: Store, key: str, rank: Callable[[], object], *, model_dir: str | None = None,
           expect_dir: str | None = None, complete: Callable[[], bool] | None = None) -> bool:  # fmt: skip
    """Make ``key`` (and ``model_dir``) the store's model and run ``rank`` (which rebuilds what is
    read under it), all in one transaction. ``expect_dir``: the retrained-head folder the caller's
    model came from; another one now raises ``ModelChanged`` and nothing is written.
    ``complete``: checked inside the transaction; False (something is still unscored, e.g. a run
    beside added pairs) leaves the store as it was and returns False, for the caller to score
    the rest and try again."""
    with store.transaction():
        if expect_dir is not None and store.get_meta("stance_model_dir") != expect_dir:
            raise ModelChanged(
                "the store's stance model changed while this run scored (counterclaim train)"
            )
        if complete is not None and not complete():
            return False
        store.set_meta("stance_model", key)
        if model_dir is not None:
            store.set_meta("stance_model_dir", model_dir)
        rank()  # reads see the new key: the same connection, inside this transaction
    return True


def adopt(
    store: Store,
    model: StanceModel,
    folder: Path,
    log: Callable[[str], None],
    stage: Callable[[str], None] | None = None,
    settings: Settings | None = None,
    tries: int = 3,
) -> tuple[int, int]:
    """Score every pair and proposition stance under ``model``'s key (the store still answers
    with its previous model meanwhile), then make ``model`` (from ``folder``) the store's model
    with its rankings in one transaction (``verify.model_switch``). A run beside that added
    pairs meanwhile: those are scored too before the switch. Returns (pairs, stances) scored."""
    from . import ranking, totals
    from .pipeline import Pipeline
    from .propositions.scoring import score_propositions
    from .propositions.tables import PropositionTables

    pipe = Pipeline(store, log=log, stance=model, settings=settings)
    key, tables = pipe.score_key(), PropositionTables(store)

    def complete() -> bool:
        return not store.unscored_pairs(key) and not tables.unscored(key)

    def rank() -> None:
        ranking.rebuild(store)
        totals.rebuild(store)

    n = m = 0
    for attempt in range(tries):
        n += pipe.rescore()
        m += score_propositions(tables, pipe.stance, key, log)
        if stage is not None and attempt == 0:
            stage("switching the store's model")  # the last point a cancel takes effect
        if switch(store, key, rank, model_dir=str(folder.resolve()), complete=complete):
            return n, m
    raise ModelChanged(f"pairs kept arriving while switching to {key}; run train again")
