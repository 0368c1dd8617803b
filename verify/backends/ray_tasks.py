"""What runs on a Ray worker: one batch of a stage, on models built from the worker's own files.

Each function takes and returns a Ray Data batch (a dict of numpy columns) carrying the row index
``i``, so the driver can put the rows back in input order. Models are cached per worker process:
Ray keeps its task workers alive between jobs, so each process loads spaCy, MiniLM and the stance
model once per run, not once per job.
"""

from __future__ import annotations

import json
import socket
import tempfile
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from verify.backends import extract_each

if TYPE_CHECKING:
    from verify.stance.base import StanceModel

Batch = dict[str, Any]


@dataclass(frozen=True)
class StanceSpec:
    """Which stance model a worker builds: the one the driver would load.

    ``path`` None: the worker's own shipped model (``stance.loading.default_model_path``), since the
    machines have the same models installed, not necessarily at the same path. A retrained head
    lives on the driver only: its (small) files travel in ``files``. ``version`` is what the
    driver stores scores under; a worker whose model differs refuses to score."""

    version: str
    symmetric: bool | None
    path: str | None = None
    files: tuple[tuple[str, bytes], ...] = ()


class ModelMismatch(RuntimeError):
    pass


def _texts(column: Any) -> list[str]:
    return [str(x) for x in column]


def extract(batch: Batch) -> Batch:
    """Claims of each (text, outlet) as JSON: ``{"claims": [...]}`` or ``{"error": [type, msg]}``.

    As in ``Pipeline._extract_batch`` (``backends.extract_each``): the article the parser chokes
    on is refused alone."""
    from verify.claims.languages import ByLanguage

    items = list(zip(_texts(batch["text"]), _texts(batch["outlet"]), strict=True))
    found = extract_each(ByLanguage(), items)  # each article by its language's extractor
    out = [
        {"error": [type(c).__name__, str(c)]}
        if isinstance(c, Exception)
        else {"claims": [asdict(claim) for claim in c]}
        for c in found
    ]
    return {"i": batch["i"], "out": np.array([json.dumps(o) for o in out], dtype=object)}


def embed(batch: Batch) -> Batch:
    from verify.stages.embed import Embedder

    return {"i": batch["i"], "vec": Embedder().encode(_texts(batch["text"]))}


def score(batch: Batch, spec: StanceSpec) -> Batch:
    """Stance probabilities, (n, 4) in ``STANCE_LABELS`` order, of pairs (a, b)."""
    from verify.stance.base import StancePairs

    camps = _texts(batch["camp"]) if "camp" in batch else None
    probs = stance_model(spec).predict_pairs(
        StancePairs(_texts(batch["a"]), _texts(batch["b"]), camps)
    )
    return {"i": batch["i"], "p": np.asarray(probs, dtype=np.float64)}


@lru_cache(maxsize=2)
def stance_model(spec: StanceSpec) -> StanceModel:
    from verify.stance.loading import default_model_path, load_model_dir

    if spec.files:  # a head sent by the driver: read from a temporary copy, once per process
        with tempfile.TemporaryDirectory(prefix="counterclaim-stance-") as tmp:
            for name, data in spec.files:
                (Path(tmp) / name).write_bytes(data)
            model = load_model_dir(Path(tmp), symmetric=spec.symmetric)
        where = "the head the driver sent"
    else:
        path = Path(spec.path) if spec.path else default_model_path()
        model, where = load_model_dir(path, symmetric=spec.symmetric), str(path)
    if model.version != spec.version:
        raise ModelMismatch(
            f"stance model {model.version} on {socket.gethostname()} ({where}), {spec.version} "
            "on the driver: every machine needs the same counterclaim models"
        )
    return model
