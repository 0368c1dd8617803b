"""The default backend: every stage runs in this process (spaCy, MiniLM, the stance model)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from verify.claims.languages import ByLanguage
    from verify.settings import Settings
    from verify.stages.embed import CachedEmbedder, Embedder
    from verify.stance.base import StanceModel
    from verify.store.database import Store


class LocalBackend:
    batch_articles, batch_pairs = 32, 1024  # bounded work between commits

    def extractor(self) -> ByLanguage:
        from verify.claims.languages import ByLanguage

        return ByLanguage()

    def embedder(self) -> Embedder:
        from verify.stages.embed import Embedder

        return Embedder()

    def stance(
        self,
        store: Store,
        encoder: CachedEmbedder,
        log: Callable[[str], None],
        settings: Settings | None = None,
    ) -> StanceModel:
        from verify.stages.engine_models import stance_model

        return stance_model(store, encoder, log, settings)
