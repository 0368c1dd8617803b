"""Where the pipeline's three batch maps run: claim extraction, embedding, stance scoring.

A backend hands the pipeline its stage objects, each behind the interface the local stage already
has, so the pipeline's call sites stay as they are and only the driver writes the store:

- ``extractor()``: ``extract_batch([(text, outlet)]) -> [claims | Exception]`` and ``extract``;
- ``embedder()``: ``name`` and ``encode(texts) -> (n, 384) float32`` (the store caches around it);
- ``stance(store, encoder, log, settings)``: a ``StanceModel`` whose ``version`` is the model's own, so a
  score is stored under the same key whichever backend computed it.

``local.LocalBackend`` runs them in this process (the default); ``ray_backend.RayBackend`` runs
them as Ray Data jobs on a cluster (``counterclaim run --ray ADDRESS``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from verify.settings import Settings
    from verify.stages.embed import CachedEmbedder, Encoder
    from verify.stance.base import StanceModel
    from verify.store.database import Store
    from verify.types import Claim


class Extractor(Protocol):
    def extract(self, text: str, outlet: str = "") -> list[Claim]: ...

    def extract_batch(self, items: list[tuple[str, str]]) -> list: ...  # list[Claim] | Exception


class Backend(Protocol):
    #: Articles and pairs per committed batch: a remote backend wants more per round trip.
    batch_articles: int
    batch_pairs: int

    def extractor(self) -> Extractor: ...

    def embedder(self) -> Encoder: ...

    def stance(
        self,
        store: Store,
        encoder: CachedEmbedder,
        log: Callable[[str], None],
        settings: Settings | None = None,
    ) -> StanceModel: ...


class BackendError(BaseException):
    """The backend itself failed (a cluster lost, a worker with other models): the run stops.

    A BaseException, like KeyboardInterrupt, so that the pipeline's per-article ``except
    Exception`` (one article the parser chokes on is refused alone) does not refuse every article
    of a batch for a cluster's fault; ``counterclaim run`` marks the run interrupted instead."""


def extract_each(extractor: Extractor, items: list[tuple[str, str]]) -> list:
    """``extractor`` over (text, outlet) items, parsed together; if the batch fails, one by one,
    so the article the parser chokes on comes back as its exception and the rest as claims. An
    extractor with only ``extract`` is read one by one."""
    many = getattr(extractor, "extract_batch", None)
    if many is not None:
        try:
            return many(items)
        except Exception:  # find the article that failed, below
            pass
    found: list = []
    for text, outlet in items:
        try:
            found.append(extractor.extract(text, outlet))
        except Exception as err:  # one article must not end the batch
            found.append(err)
    return found
