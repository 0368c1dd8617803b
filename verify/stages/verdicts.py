"""What ``verify.stages.tag_reach`` reads from the store for the ranking: the analysts' verdict
on each tagged pair, and the pair model's readings of the pairs beside the ranked ones."""

from __future__ import annotations

import numpy as np

from verify.labels import STANCE_LABELS
from verify.stages.tag_reach import links_needed
from verify.store.database import Store


def verdicts_of(store: Store) -> dict[tuple[int, int], str]:
    """The analysts' verdict on each tagged pair, by its claim ids (smaller first)."""
    from verify.analysts.review import verdicts_by

    return verdicts_by(
        store.tags_with_claims(),
        lambda t: (min(int(t["a_id"]), int(t["b_id"])), max(int(t["a_id"]), int(t["b_id"]))),
    )


def links_for(
    store: Store,
    model: str,
    partial: bool,
    targets: list[tuple[int, int]],
    scored: tuple[np.ndarray, np.ndarray],
    verdicts: dict[tuple[int, int], str],
) -> dict[tuple[int, int], np.ndarray]:
    """The pair model's readings of the pairs ``tag_reach`` reads for ``targets``: from
    ``scored`` (the keys ``a << 32 | b`` and direct readings of the pairs at hand), and with
    ``partial`` (a ranking for a few claims) the rest from the store, so that the few are read
    as in the full ranking."""
    needed = links_needed(targets, verdicts) if verdicts else set()
    if not needed:
        return {}
    keys, direct = scored
    order = np.argsort(keys)
    want = sorted(needed)
    at = np.searchsorted(keys[order], [(a << 32) | b for a, b in want])
    out = {
        p: direct[order[i]]
        for p, i in zip(want, at.tolist(), strict=True)
        if i < len(keys) and keys[order[i]] == ((p[0] << 32) | p[1])
    }
    missing = needed - out.keys()
    if partial and missing:
        for r in store.disputes_of(model, {c for p in missing for c in p}):
            key = (min(r["a_id"], r["b_id"]), max(r["a_id"], r["b_id"]))
            if key in missing:
                out[key] = np.array([r[f"p_{lab}"] for lab in STANCE_LABELS], dtype=float)
    return out
