"""Which models the engine uses on a store: the embedder behind the store's cache of vectors,
and the stance model (the analysts' retrained head if there is one, else the shipped model),
known from its files alone when nothing needs scoring."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from verify.settings import Settings, resolve
from verify.stages.embed import CachedEmbedder, Embedder, Encoder
from verify.stance.base import StanceModel
from verify.store.database import Store

Log = Callable[[str], None]
info = logging.getLogger("verify.stages.pipeline").info  # the pipeline's stage lines

#: How the engine reads a pair: once, in the mode the model's stance.json chose on dev (stance
#: model 2 is trained on both orders). ``stance_model`` and ``stance_version`` both follow it.
ENGINE_READING: bool | None = None


def stance_source(
    store: Store, log: Log = info, settings: Settings | None = None
) -> tuple[Path, bool | None, str, bool]:
    """(directory, reading mode, version, reads camps) of the model ``stance_model`` would load,
    from its files alone: a warm run learns that nothing needs scoring without loading a model,
    and a remote backend loads the same model on its workers."""
    from verify.stance.loading import default_model_path
    from verify.stance.versions import model_version

    s = resolve(settings)
    custom = store.meta.stance_model_dir
    if custom and Path(custom).is_dir():
        try:
            return (Path(custom), True, *model_version(Path(custom), settings=s))
        except (ValueError, OSError, KeyError) as e:
            log(f"retrained head {custom} not used ({e}); run `counterclaim train` again")
    path = default_model_path(s)
    return (path, ENGINE_READING, *model_version(path, ENGINE_READING, s))


def stance_version(
    store: Store, log: Log = info, settings: Settings | None = None
) -> tuple[str, bool]:
    """(version, reads camps) of the model ``stance_model`` would load (``stance_source``)."""
    from verify.multilingual.reader import reader_version

    _path, _mode, version, camps = stance_source(store, log, settings)
    return f"{version}+{reader_version()}", camps


def claim_space(
    store: Store,
    english: CachedEmbedder | None = None,
    settings: Settings | None = None,
    joint: CachedEmbedder | None = None,
) -> CachedEmbedder:
    """The space the store's claims are clustered, paired and matched to propositions in (the
    one rule; ``Pipeline.context`` reads it too): MiniLM (``english``) for an English-only store,
    the joint space (``multilingual.space.ClaimSpace``; ``joint`` when the caller keeps one) once
    it holds another language. An English-only corpus pays for no USE-m encoding (the English
    disputes dev bench gives 0.321 AP in either space, stop 28)."""
    english = english or cached_embedder(store, settings=settings)
    if not store.has_other_languages():
        return english
    if joint is not None:
        return joint
    from verify.multilingual.space import ClaimSpace

    return cached_embedder(store, ClaimSpace(english=english), settings)


def cached_embedder(
    store: Store, inner: Encoder | None = None, settings: Settings | None = None
) -> CachedEmbedder:
    """``inner`` (default: MiniLM here) behind the store's cache of embeddings."""
    progress_bar = None if settings is None else settings.progress
    return CachedEmbedder(
        inner or Embedder(), store.load_embeddings, store.save_embeddings, progress_bar
    )


def stance_model(
    store: Store, encoder: CachedEmbedder, log: Log = info, settings: Settings | None = None
) -> StanceModel:
    """The analysts' retrained head if `counterclaim train` made one, else the shipped model,
    behind the language router (English pairs to it, the others to the multilingual reader)."""
    from verify.multilingual.router import LanguageRouter
    from verify.stance.loading import load_default_model, load_model_dir

    s = resolve(settings)
    custom = store.meta.stance_model_dir
    if custom and Path(custom).is_dir():
        try:
            return LanguageRouter(load_model_dir(Path(custom), encoder=encoder, settings=s))
        except (ValueError, OSError) as e:  # e.g. a head fitted on an earlier shipped model
            log(f"retrained head {custom} not used ({e}); run `counterclaim train` again")
    # Pairs that are not both English go to the multilingual reader (verify.multilingual.router).
    return LanguageRouter(load_default_model(encoder=encoder, symmetric=ENGINE_READING, settings=s))
