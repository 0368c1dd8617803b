"""The board's slow jobs, run in thread workers: retrain + rescore, and export.

Each opens its own ``Store`` (a SQLite connection belongs to its thread) and reports progress
through a ``log`` callback, never by printing: stdout belongs to the terminal UI."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from verify.store import Store

from .data import active_tags

Log = Callable[[str], None]


def analyst_examples(store: Store) -> list[tuple[str, str, str]]:
    """(a text, b text, label) for training: ``Store.tagged_texts`` minus retracted tags.

    Same rule as ``counterclaim train`` (each analyst's latest tag per pair), so the board and
    the CLI train on the same examples once verify honours retractions too."""
    latest: dict[tuple[int, str], tuple[int, str]] = {}
    for tag in active_tags(store):
        latest[(tag.pair_id, tag.analyst)] = (tag.id, tag.label)
    texts = {
        r[0]: (r[1], r[2])
        for r in store.db.execute(
            "SELECT p.id, ca.text, cb.text FROM pairs p"
            " JOIN claims ca ON ca.id=p.a_id JOIN claims cb ON cb.id=p.b_id"
        )
    }
    ordered = sorted(((tag_id, pair_id, label) for (pair_id, _), (tag_id, label) in latest.items()))
    return [(*texts[pair_id], label) for _, pair_id, label in ordered if pair_id in texts]


def retrain(db_path: str | Path, log: Log) -> dict:
    """What ``counterclaim train`` does (verify/cli.py ``cmd_train``): train a new stance head on
    the public data plus the analysts' tags, make it the store's model, rescore every pair."""
    from verify.pipeline import cached_embedder, stance_model, symmetric_proba
    from verify.stance.train import train_stance

    store = Store(db_path)
    try:
        extra = analyst_examples(store)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        out = Path(f"{store.path}.models") / f"stance-sklearn-{stamp}"
        log(f"training with {len(extra)} analyst tags -> {out}")
        metrics = train_stance(out, extra=extra, log=log)
        store.set_meta("stance_model_dir", str(out.resolve()))
        model = stance_model(store, cached_embedder(store))
        todo = store.unscored_pairs(model.version)
        log(f"rescoring {len(todo)} pairs with {model.version}")
        if todo:
            probs = symmetric_proba(model, [r["a_text"] for r in todo], [r["b_text"] for r in todo])
            store.save_suggestions(model.version, zip([r["id"] for r in todo], probs, strict=True))
        store.set_meta("stance_model", model.version)
        return metrics
    finally:
        store.close()


def default_export_path(db_path: str | Path, fmt: str) -> Path:
    db = Path(db_path)
    return db.with_name(f"{db.stem}-report.{fmt}")


def export_report(db_path: str | Path, fmt: str, path: str | Path) -> Path:
    """``counterclaim export`` from the board: ``verify.export.render`` written to ``path``."""
    from verify.export import render

    store = Store(db_path)
    try:
        text = render(store, fmt)
    finally:
        store.close()
    target = Path(path).expanduser()
    target.write_text(text, encoding="utf-8")
    return target
