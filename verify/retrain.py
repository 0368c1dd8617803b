"""Retrain the stance head with the analysts' verdicts and rescore every pair. Shared by
`counterclaim train` and the board's retrain worker.

Over the shipped cross-encoder the head is the stacked regression (cross-encoder probabilities +
lexical cues), which refits in seconds; without it, the linear head. Either way the analysts'
verdicts (undisputed or settled tags) join the public training data, and the returned metrics
include a 5-fold cross-validation on those verdicts: how well the retrained head agrees with
this team's own calls on pairs it did not see."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from .labels import STANCE_LABELS
from .stance.camps import reads_camps
from .store import Store

Log = Callable[[str], None]
Example = tuple[str, ...]  # (a, b, label) or (a, b, label, camp relation)
MIN_CV_EXAMPLES = 10


def cross_validate(
    examples: Sequence[Example], fit: Callable[[list[Example]], object], k: int = 5
) -> dict:
    """k-fold CV over analyst verdicts; ``fit(train) -> model`` adds them to the public data."""
    n = len(examples)
    if n < MIN_CV_EXAMPLES:
        return {"n": n, "skipped": f"fewer than {MIN_CV_EXAMPLES} analyst verdicts"}
    from sklearn.metrics import accuracy_score, f1_score
    from sklearn.model_selection import KFold

    gold, pred = [], []
    for train_idx, test_idx in KFold(n_splits=min(k, n), shuffle=True, random_state=0).split(
        examples
    ):
        model = fit([examples[i] for i in train_idx])
        test = [examples[i] for i in test_idx]
        kw = {"camps": [e[3] for e in test]} if reads_camps(model) else {}
        proba = model.predict_proba([e[0] for e in test], [e[1] for e in test], **kw)  # type: ignore[attr-defined]
        pred += [STANCE_LABELS[j] for j in np.argmax(proba, axis=1)]
        gold += [e[2] for e in test]
    return {
        "n": n,
        "folds": min(k, n),
        "accuracy": float(accuracy_score(gold, pred)),
        "macro_f1": float(
            f1_score(gold, pred, labels=sorted(set(gold)), average="macro", zero_division=0)
        ),
    }


def retrain(store: Store, log: Log) -> dict:
    """Train a new head (public data + verdicts), make it this store's model, rescore every pair."""
    from .pipeline import Pipeline
    from .stance.base import default_kind

    kind = default_kind()
    extra = store.training_examples(with_camps=kind == "cross")
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    out = (
        Path(f"{store.path}.models")
        / f"stance-{'stacked' if kind == 'cross' else 'sklearn'}-{stamp}"
    )
    log(f"training with {len(extra)} analyst verdicts -> {out}")
    if kind == "cross":
        from .stance.cross_encoder import CrossEncoderStanceModel
        from .stance.stacked import train_stacked

        cross = CrossEncoderStanceModel.load(symmetric=True)
        model = train_stacked(out, extra=extra, cross=cross)
        metrics: dict = {"version": model.version, "base": cross.version}
        metrics["analyst_cv"] = cross_validate(
            extra, lambda tr: train_stacked(None, extra=tr, cross=cross)
        )
    else:
        from .stance.train import train_stance

        metrics = train_stance(out, extra=extra, log=log)
        metrics["analyst_cv"] = cross_validate(
            extra,
            lambda tr: train_stance(
                Path(f"{out}.cv"), extra=tr, seed_check=False, log=lambda _m: None
            ),
        )
    metrics["analyst_verdicts"] = len(extra)
    store.set_meta("stance_model_dir", str(out.resolve()))
    n = Pipeline(store, log=log).rescore()
    log(f"rescored {n} pairs")
    return metrics
