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

from verify.store.database import Store


class ModelChanged(Exception):
    """Another process (``counterclaim train``) switched the store's model while this one was
    scoring with the previous model: its scores must not become the store's ranking."""


def switch(
    store: Store,
    key: str,
    rank: Callable[[], object],
    *,
    model_dir: str | None = None,
    expect_dir: str | None = None,
    complete: Callable[[], bool] | None = None,
) -> bool:
    """Make ``key`` (and ``model_dir``) the store's model and run ``rank`` (which rebuilds what is
    read under it), all in one transaction. ``expect_dir``: the retrained-head folder the caller's
    model came from; another one now raises ``ModelChanged`` and nothing is written.
    ``complete``: checked inside the transaction; False (something is still unscored, e.g. a run
    beside added pairs) leaves the store as it was and returns False, for the caller to score
    the rest and try again."""
    with store.transaction():
        if expect_dir is not None and store.meta.stance_model_dir != expect_dir:
            raise ModelChanged(
                "the store's stance model changed while this run scored (counterclaim train)"
            )
        if complete is not None and not complete():
            return False
        store.meta.stance_model = key
        if model_dir is not None:
            store.meta.stance_model_dir = model_dir
        rank()  # reads see the new key: the same connection, inside this transaction
    return True
