"""A claim in another language read through its English rendering in the same corpus.

The multilingual reader is a head over sentence vectors: it sees that TASS's "Отвод войск от
украинской границы начался" and CNN's "the massing of Russian troops ... is continuing" are about
troops at the border, and reads them as agreement. A corpus about one event often holds the same
statement in English too (Reuters quoting TASS, the ministry's English release): when it does,
the English stance model reads the pair with that English claim standing in for the foreign one.

The rendering of a claim is the English claim among its stored nearest neighbours
(``verify.stages.neighbours``) whose USE-m vector is closest to its own, if the cosine reaches
``RENDER_COSINE``. Chosen on XNLI validation (3,320 Russian sentences against a pool of every
English premise and hypothesis, the contradicting hypotheses of the same premise among them):
the nearest English sentence is the sentence's own translation 96.6% of the time; at cosine 0.70
it is found for 67% of sentences with 98.6% precision (0.65: 80%, 98.5%; 0.80: 30%, 99.4%).
A claim with no rendering is read by the multilingual reader, as before.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

import numpy as np

from verify.language import ENGLISH

RENDER_COSINE = 0.70
USE_DIM = 512


def use_part(space: np.ndarray) -> np.ndarray:
    """The USE-m part of joint-space vectors (``multilingual.space.ClaimSpace``), unit length."""
    tail = np.asarray(space, dtype=np.float32)[:, -USE_DIM:]
    return tail / np.maximum(np.linalg.norm(tail, axis=1, keepdims=True), 1e-12)


def renderings(
    foreign: Iterable[int],
    neighbours: Mapping[int, Sequence[int]],
    claims: Mapping[int, tuple[str, str]],
    encode: Callable[[list[str]], np.ndarray],
) -> dict[int, int]:
    """Each claim of ``foreign`` with an English rendering -> that English claim's id.
    ``neighbours``: each claim's stored nearest neighbours; ``claims``: (text, language) of every
    claim named; ``encode``: joint-space vectors of texts (the store's cached claim space)."""
    todo = {
        int(c): [
            int(n) for n in neighbours.get(c, ()) if claims.get(int(n), ("", ""))[1] == ENGLISH
        ]
        for c in foreign
    }
    todo = {c: ns for c, ns in todo.items() if ns and c in claims}
    if not todo:
        return {}
    ids = sorted(set(todo) | {n for ns in todo.values() for n in ns})
    at = {c: i for i, c in enumerate(ids)}
    vecs = use_part(encode([claims[c][0] for c in ids]))
    out: dict[int, int] = {}
    for c, ns in todo.items():
        sims = vecs[[at[n] for n in ns]] @ vecs[at[c]]
        best = int(np.argmax(sims))
        if sims[best] >= RENDER_COSINE:
            out[c] = ns[best]
    return out
