"""The main job: articles -> claims -> actors -> embeddings -> topics -> pairs -> stance scores.

Incremental: an unchanged article is never re-extracted, a known text never re-embedded, a
scored pair never re-scored by the same model. A run with nothing new recomputes nothing."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from verify.backends import Backend
from verify.backends.local import LocalBackend
from verify.language import language_notice
from verify.multilingual.space import ClaimSpace
from verify.printable import printable
from verify.progress import progress
from verify.registry.actors import Registry
from verify.settings import Settings, resolve
from verify.stages import incremental as inc
from verify.stages.embed import CachedEmbedder
from verify.stages.engine_models import cached_embedder, claim_space, stance_version
from verify.stages.record import RunClaims, Stage, StageContext
from verify.stages.steps.actors import Actors
from verify.stages.steps.candidates import Candidates
from verify.stages.steps.checkworthiness import CheckWorthiness
from verify.stages.steps.dedup import Dedup
from verify.stages.steps.embedding import Embedding
from verify.stages.steps.propositions import Propositions
from verify.stages.steps.rankings import Rankings
from verify.stages.steps.scoring import Scoring, rescore
from verify.stages.steps.topic_groups import Topics, cluster
from verify.stages.topics import TopicClusterer
from verify.stance.base import StanceModel
from verify.store.database import Store
from verify.types import Refusal

Log = Callable[[str], None]
#: The default ``log``: stage lines as INFO records (``verify.logs`` routes them).
info = logging.getLogger(__name__).info

__all__ = ["STAGES", "Pipeline", "RunReport", "info"]

#: The stages a refresh runs, in order: each reads what the ones before it added to the run's
#: claims (``verify.stages.record.RunClaims``). A new stage is one module, one line here and,
#: when it keeps something, one schema step (``verify.store.migrations``).
STAGES: tuple[Stage, ...] = (
    Dedup(),
    Actors(),
    Embedding(),
    CheckWorthiness(),
    Topics(),
    Propositions(),
    Candidates(),
    Scoring(),
    Rankings(),
)


@dataclass
class RunReport:
    articles_added: int = 0
    articles_skipped: int = 0
    claims_added: int = 0
    embedded: int = 0
    pairs_total: int = 0
    pairs_scored: int = 0
    refused: list[Refusal] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)


def _one_line(err: BaseException, width: int = 160) -> str:
    """``Type: message`` on one line, cut to ``width``: a reason, not a traceback."""
    text = printable(f"{type(err).__name__}: {err}")
    return text if len(text) <= width else text[: width - 1] + "…"


class Pipeline:
    """Each stage is a swappable object; ``run`` wires them to the store. ``settings``: where
    models live and whether to draw progress bars (default: the environment, read once here)."""

    def __init__(
        self,
        store: Store,
        registry: Registry | None = None,
        extractor=None,  # anything with extract(text, outlet) -> list[Claim]
        stance: StanceModel | None = None,
        topics: TopicClusterer | None = None,
        log: Log = info,
        k_neighbours: int = 8,
        settings: Settings | None = None,
        backend: Backend | None = None,
    ) -> None:
        self.settings = resolve(settings)
        self.store = store
        self.registry = registry or Registry.load()
        # Where extraction, embedding and scoring run (this process, or a Ray cluster's workers).
        self.backend = backend or LocalBackend(self.settings.extract_processes)
        self._extractor = extractor  # spaCy loads on the first article that needs parsing
        self.encoder = cached_embedder(store, self.backend.embedder(), self.settings)
        # Topics, neighbours and propositions: one space for every language (MiniLM + USE-m)
        # once the corpus holds another language (``context``).
        self.space = cached_embedder(store, ClaimSpace(english=self.encoder), self.settings)
        self._stance = stance
        # The retrained head this pipeline's model comes from: a `train` that switches the
        # store's model meanwhile makes this run's switch refuse (``verify.analysts.model_switch``).
        self._model_dir = None if stance is not None else store.meta.stance_model_dir
        self.topics = topics or TopicClusterer()
        self.log = log
        self.k = k_neighbours
        self._scored = 0  # pairs the last refresh or rescore scored
        self.seconds: dict[str, float] = {}  # per stage, over this pipeline's refreshes
        # Bounded work between commits.
        self.batch_articles, self.batch_pairs = (
            self.backend.batch_articles,
            self.backend.batch_pairs,
        )

    @property
    def extractor(self):
        if self._extractor is None:
            self._extractor = self.backend.extractor()
        return self._extractor

    @property
    def stance(self) -> StanceModel:
        if self._stance is None:
            self._stance = self.backend.stance(self.store, self.encoder, self.log, self.settings)
        return self._stance

    def run(self, paths: Iterable[str | Path]) -> RunReport:
        report = RunReport()
        run_id = self.store.start_run()
        t0 = time.perf_counter()
        self._ingest(paths, report)
        report.seconds["ingest+extract"] = time.perf_counter() - t0

        changed = report.articles_added > 0
        if self.store.meta.registry != self.registry.fingerprint():
            changed = True
        if self.store.meta.stance_model != self.score_key():
            changed = True
        if changed or self.store.meta.refresh_pending:  # pending: a run killed mid-refresh
            self.store.meta.refresh_pending = True
            self.refresh_with_the_stores_model()
            self.store.meta.refresh_pending = False
        elif self._complete_scores() == 0:
            self.log("nothing new: every article, embedding and score is already stored")
        report.embedded = self.encoder.computed
        report.pairs_scored = self._scored
        report.seconds.update(self.seconds)
        report.pairs_total = self.store.pair_count()
        report.seconds["total"] = time.perf_counter() - t0
        self.store.finish_run(
            run_id,
            articles_added=report.articles_added,
            claims_added=report.claims_added,
            embedded=report.embedded,
            pairs_scored=report.pairs_scored,
            refused=len(report.refused),
        )
        return report

    def refresh_with_the_stores_model(self, incremental: bool = True, tries: int = 3) -> None:
        """``refresh``; when a `train` beside switched the store's model meanwhile, again with
        that model (this run's scores under the old one never become the store's ranking)."""
        from verify.analysts.model_switch import ModelChanged

        for attempt in range(tries):
            try:
                return self.refresh(incremental=incremental)
            except ModelChanged as exc:
                if attempt == tries - 1:
                    raise
                self.log(f"{exc}: refreshing again with it")
                self._stance, self._model_dir = None, self.store.meta.stance_model_dir

    def _ingest(self, paths: Iterable[str | Path], report: RunReport) -> None:
        from verify.ingest import iter_articles

        batch: list = []
        seen: set[str] = set()
        with progress("extract", unit="article", enabled=self.settings.progress) as bar:
            for item in iter_articles(paths):
                if isinstance(item, Refusal):
                    report.refused.append(item)
                    self.log(f"refused {item}")
                    continue
                if item.hash in seen or self.store.has_article(item):
                    report.articles_skipped += 1
                    continue
                seen.add(item.hash)
                batch.append(item)
                if len(batch) >= self.batch_articles:
                    self._extract_batch(batch, report, bar)
            self._extract_batch(batch, report, bar)
        # Extraction workers (``backends.processes``) hold a parser each: not through the
        # later stages. The next ingest starts them again if it has enough articles.
        close = getattr(self._extractor, "close", None)
        if close is not None:
            close()

    def _extract_batch(self, batch: list, report: RunReport, bar) -> None:
        """Parse a batch together (spaCy ``nlp.pipe``); each article is committed with its claims."""
        if not batch:
            return
        # One article the parser chokes on is found and refused alone; repeated sentences are
        # read once, long articles piece by piece, claims capped per article. Imported here: the
        # claims package brings spaCy, which a run with nothing new never needs.
        from verify.stages.long_articles import extract_articles

        items = [(a.text, a.outlet) for a in batch]
        found = extract_articles(self.extractor, items, self.settings.progress)
        self.store.meta.refresh_pending = True  # until refresh ends: a killed run resumes
        for item, got in zip(batch, found, strict=True):
            claims = got.claims
            if isinstance(claims, Exception):
                refusal = Refusal(item.source, f"claims not extracted ({_one_line(claims)})")
                report.refused.append(refusal)
                self.log(f"refused {refusal}")
                continue
            self.store.add_article(item, claims)
            report.articles_added += 1
            report.claims_added += len(claims)
            said = f"ingested {printable(item.source)}: {len(claims)} claims{got.notice()}"
            self.log(said + language_notice(item.text))
        bar.update(len(batch))
        batch.clear()

    def ingest(self, paths: Iterable[str | Path]) -> RunReport:
        """Only read and extract, recorded as a run: no embedder or stance model is loaded."""
        report = RunReport()
        run_id = self.store.start_run()
        t0 = time.perf_counter()
        self._ingest(paths, report)
        report.seconds["ingest+extract"] = report.seconds["total"] = time.perf_counter() - t0
        self.store.finish_run(
            run_id,
            articles_added=report.articles_added,
            claims_added=report.claims_added,
            refused=len(report.refused),
        )
        return report

    def context(self) -> StageContext:
        """What the stages get of this pipeline: never the pipeline itself. The claims' space is
        ``claim_space``'s choice; the first claim in another language moves the store to the
        joint space (a full refresh: ``incremental.plan``'s "another claim space")."""
        return StageContext(
            store=self.store,
            registry=self.registry,
            encoder=self.encoder,
            space=self.claim_space(),
            clusterer=self.topics,
            settings=self.settings,
            log=self.log,
            k=self.k,
            batch_pairs=self.batch_pairs,
            stance=lambda: self.stance,
            score_key=self.score_key,
            model_dir=self._model_dir,
        )

    def claim_space(self) -> CachedEmbedder:
        """``engine_models.claim_space`` with this pipeline's embedders (their vectors kept)."""
        return claim_space(self.store, self.encoder, self.settings, joint=self.space)

    def keep_vectors(self) -> None:
        """Keep every claim vector read or made in memory (``CachedEmbedder.memo``), the
        store's read now: a long-lived process (``watch``) then reads them once, not per run."""
        self.encoder.memo, self.space.memo = {}, {}
        for encoder in {id(e): e for e in (self.encoder, self.claim_space())}.values():
            assert encoder.memo is not None
            encoder.memo.update(self.store.claim_vectors_by_hash(encoder.name))

    def refresh(self, incremental: bool = False) -> None:
        """Recompute what depends on the whole corpus; reuse every cached embedding and score.
        ``incremental``: only what the new claims change, when ``incremental.plan`` finds that
        enough (a full refresh otherwise)."""
        ctx = self.context()
        try:
            if incremental:
                todo = inc.plan(ctx)
                if not todo.full:
                    if todo.idle:
                        return inc.idle(ctx)
                    return run_stages(ctx, inc.begin(ctx, todo))
                self.log(f"full refresh: {todo.reason}")
            claims = inc.begin_full(ctx)
            if not claims.rows:
                Actors().full(ctx, claims)
                return inc.finish(ctx, claims.state)
            run_stages(ctx, claims)
        finally:
            self._scored = ctx.scored
            self.seconds.update(ctx.seconds)

    def _complete_scores(self) -> int:
        """What is missing under the stored model key: propositions an analyst made since the
        last run, and anything a killed run left unscored. Returns how many reads it made."""
        from verify.propositions.scoring import score_propositions
        from verify.stages import ranking
        from verify.store import totals
        from verify.store.propositions import PropositionTables

        tables = PropositionTables(self.store)
        key = self.store.meta.stance_model
        if not key:
            return 0
        if (
            self.store.meta.refresh_model == key
            and ranking.fresh(self.store)
            and totals.read(self.store) is not None
        ):
            return 0  # nothing changed since the last refresh scored everything: no query needed
        n = self.rescore() if self.store.unscored_pairs(key) else 0
        if tables.unscored(key):
            n += score_propositions(tables, self.stance, key, self.log, self.claim_space().encode)
        totals.catch_up(self.store)  # the analysts' tags and propositions since, ranked, counted
        return n

    def recluster(self) -> int:
        """Cluster every claim afresh (``counterclaim recluster``); returns the number of topics."""
        rows = self.store.claim_rows()
        if rows:
            texts = [r["text"] for r in rows]
            ctx = self.context()
            cluster(ctx, rows, ctx.space.encode(texts), texts, recluster=True)
        return len(self.store.topics())

    def score_key(self) -> str:
        """What suggestions are stored under: the model version, and for a model that reads
        camps, the registry the stored sides came from too (new sides, new scores)."""
        if self._stance is not None:
            version, camps = self._stance.version, self._stance.uses_camps
        else:
            version, camps = stance_version(self.store, self.log, self.settings)
        if camps:
            registry = self.store.meta.registry or self.registry.fingerprint()
            return f"{version}+registry-{registry[:8]}"
        return version

    def rescore(self, pair_ids: Collection[int] | None = None) -> int:
        """Score every pair (of ``pair_ids``) the current stance model has not scored yet, under
        its key, without making it the store's model; returns how many."""
        ctx = self.context()
        n = rescore(ctx, pair_ids)
        self._scored = ctx.scored
        return n


def run_stages(ctx: StageContext, claims: RunClaims) -> None:
    """Each stage in order, fully or incrementally as ``claims`` says, timed."""
    for stage in STAGES:
        t = time.perf_counter()
        (stage.full if claims.full else stage.incremental)(ctx, claims)
        ctx.seconds[stage.name] = ctx.seconds.get(stage.name, 0.0) + time.perf_counter() - t
