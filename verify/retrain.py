"""Retrain the stance head with the analysts' verdicts and rescore every pair. Shared by
`counterclaim train` and the board's retrain worker."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from .store import Store

Log = Callable[[str], None]


def retrain(store: Store, log: Log) -> dict:
    """Train a new head (public data + settled/undisputed tags), make it this store's model,
    rescore every pair under it; returns the training metrics (cross-validated)."""
    from .pipeline import Pipeline
    from .stance.train import train_stance

    extra = store.training_examples()
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    out = Path(f"{store.path}.models") / f"stance-sklearn-{stamp}"
    log(f"training with {len(extra)} analyst verdicts -> {out}")
    metrics = train_stance(out, extra=extra, log=log)
    store.set_meta("stance_model_dir", str(out.resolve()))
    n = Pipeline(store, log=log).rescore()
    log(f"rescored {n} pairs")
    return metrics
