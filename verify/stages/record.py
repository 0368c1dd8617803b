"""What the pipeline hands its stages: the run's claims as one record, and a small context.

Like a spaCy ``Doc``, ``RunClaims`` is filled in stage by stage (actors, vectors, topics…): each
stage reads what the ones before it wrote and adds its own. ``StageContext`` is what every stage
may use and nothing more: the store, the models, the settings, the log. Neither knows the
pipeline, so a stage never calls back into it."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

if TYPE_CHECKING:
    from verify.registry.actors import Registry
    from verify.settings import Settings
    from verify.stages.embed import CachedEmbedder
    from verify.stages.topics import TopicClusterer
    from verify.stance.base import StanceModel
    from verify.store.database import Store

Log = Callable[[str], None]
Pair = tuple[int, int]


@dataclass
class Touched:
    """What an incremental proposition stage changed, for the pairs, pruning and ranking after."""

    implied: dict[Pair, float] = field(default_factory=dict)  # (a, b) -> cosine
    implied_rows: list[tuple[int, int, int]] = field(default_factory=list)  # for replace_implied
    props: set[int] = field(default_factory=set)  # propositions whose readings changed
    claims: set[int] = field(default_factory=set)  # claims whose stances changed


@dataclass
class StageContext:
    store: Store
    registry: Registry
    encoder: CachedEmbedder  # MiniLM: stance and check-worthiness read these vectors
    space: CachedEmbedder  # every language in one space: topics, neighbours, propositions
    clusterer: TopicClusterer
    settings: Settings
    log: Log
    k: int  # nearest neighbours per claim
    batch_pairs: int  # pairs scored between commits
    stance: Callable[[], StanceModel]  # loaded on first use: a run with nothing new never loads it
    score_key: Callable[[], str]  # what suggestions are stored under
    model_dir: str | None  # the retrained head this run's model comes from (model switch)
    seconds: dict[str, float] = field(default_factory=dict)  # per stage, for the run's report
    scored: int = 0  # pairs this refresh scored


@dataclass
class RunClaims:
    """Every live claim of the store, in id order, and what the stages find out about them.
    ``new``: positions of the claims this run takes in (every position on a full refresh)."""

    rows: Sequence[Any]  # the store's claim rows, the analysts' corrections laid over
    full: bool
    new: list[int]
    state: str = ""  # the analysts' state this refresh reads (``ranking.stamp``)
    since: str = ""  # an incremental run: when its first (perhaps interrupted) attempt began
    redone: bool = False  # an incremental run redoing an interrupted attempt
    extra_claims: set[int] = field(default_factory=set)  # readings the analysts changed
    extra_props: set[int] = field(default_factory=set)
    ids: list[int] = field(init=False)
    texts: list[str] = field(init=False)
    # Filled in by the stages, in order.
    actors: list[tuple[str, str]] = field(default_factory=list)  # (actor, side) per claim
    vecs: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype=np.float32))
    # The same claims in the space every language shares (``verify.multilingual.space``).
    space: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype=np.float32))
    checkworthy: list[float | None] = field(default_factory=list)
    topics: list[int] = field(default_factory=list)
    implied: dict[Pair, float] = field(default_factory=dict)  # pairs propositions imply -> cosine
    touched: Touched | None = None  # an incremental run: what the proposition stage changed
    made: set[Pair] = field(default_factory=set)  # candidate pairs stored by this run
    pruned: set[Pair] = field(default_factory=set)  # pairs no longer candidates, removed

    def __post_init__(self) -> None:
        self.ids = [int(r["id"]) for r in self.rows]
        self.texts = [r["text"] for r in self.rows]

    def drop(self, positions: Collection[int]) -> None:
        """Take claims out of the run (``steps.dedup``'s copies) before any stage fills a field."""
        if not positions:
            return
        if self.actors or self.topics:
            raise RuntimeError("claims leave a run before the stages that describe them")
        gone = set(positions)
        keep = [n for n in range(len(self.rows)) if n not in gone]
        moved = {old: new for new, old in enumerate(keep)}
        self.rows = [self.rows[n] for n in keep]
        self.new = [moved[n] for n in self.new if n in moved]
        self.__post_init__()

    @property
    def sources(self) -> list[str]:
        """Who said each claim, as the pairs stage keeps sources apart (``source_key``)."""
        from verify.registry.actors import source_key

        return [
            source_key(actor or r["speaker"], r["outlet"] or "")
            for r, (actor, _) in zip(self.rows, self.actors, strict=True)
        ]

    @property
    def sides(self) -> list[str]:
        return [side or "unknown" for _, side in self.actors]


class Stage(Protocol):
    """One step of the pipeline: ``full`` over the whole corpus, ``incremental`` for the claims
    in ``claims.new``. A stage whose work is the same either way runs one method for both."""

    name: str

    def full(self, ctx: StageContext, claims: RunClaims) -> None: ...

    def incremental(self, ctx: StageContext, claims: RunClaims) -> None: ...


class SameBothWays:
    """A stage whose full run is its incremental run over every claim (``claims.new`` holds
    every position then)."""

    name = ""

    def run(self, ctx: StageContext, claims: RunClaims) -> None:
        raise NotImplementedError

    def full(self, ctx: StageContext, claims: RunClaims) -> None:
        self.run(ctx, claims)

    def incremental(self, ctx: StageContext, claims: RunClaims) -> None:
        self.run(ctx, claims)
