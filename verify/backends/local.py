"""The default backend: every stage runs in this process (spaCy, MiniLM, the stance model)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from verify.backends.processes import ProcessExtractor
    from verify.claims.languages import ByLanguage
    from verify.settings import Settings
    from verify.stages.embed import CachedEmbedder, Encoder
    from verify.stance.base import StanceModel
    from verify.store.database import Store


class LocalBackend:
    """``processes``: worker processes extracting claims (``backends.processes``; 1: this
    process only)."""

    batch_articles, batch_pairs = 32, 1024  # bounded work between commits

    def __init__(self, processes: int = 1) -> None:
        self.processes = processes

    def extractor(self) -> ByLanguage | ProcessExtractor:
        from verify.claims.languages import ByLanguage

        if self.processes < 2:
            return ByLanguage()
        from verify.backends.processes import ProcessExtractor

        return ProcessExtractor(ByLanguage, self.processes)

    def embedder(self) -> Encoder:
        """MiniLM on ONNX Runtime (``stages.embed_onnx``: ~2x the torch path on 2 cores, cosine
        with it >= 0.999; the torch path where the graph cannot be built), loaded on first use."""
        from verify.stages.embed_onnx import OnnxEmbedder

        return OnnxEmbedder()

    def stance(
        self,
        store: Store,
        encoder: CachedEmbedder,
        log: Callable[[str], None],
        settings: Settings | None = None,
    ) -> StanceModel:
        from verify.stages.engine_models import stance_model

        return stance_model(store, encoder, log, settings)
