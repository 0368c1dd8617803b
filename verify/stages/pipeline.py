"""The main job: articles -> claims -> actors -> embeddings -> topics -> pairs -> stance scores.

Incremental: an unchanged article is never re-extracted, a known text never re-embedded, a
scored pair never re-scored by the same model. A run with nothing new recomputes nothing."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from verify.backends import Backend
from verify.backends.local import LocalBackend
from verify.language import language_notice
from verify.multilingual.space import ClaimSpace
from verify.printable import printable
from verify.progress import progress
from verify.registry.actors import Registry, source_key
from verify.settings import Settings, resolve
from verify.stages.engine_models import cached_embedder, stance_version
from verify.stages.pairs import neighbour_lists, pairs_of
from verify.stages.topics import TopicClusterer
from verify.stance.base import StanceModel, StancePairs
from verify.stance.camps import camp_relation
from verify.store.database import Store
from verify.store.meta import FULL
from verify.types import Refusal

Log = Callable[[str], None]
#: The default ``log``: stage lines as INFO records (``verify.logs`` routes them).
info = logging.getLogger(__name__).info

__all__ = ["Pipeline", "RunReport", "info"]


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
        self.backend = backend or LocalBackend()
        self._extractor = extractor  # spaCy loads on the first article that needs parsing
        self.encoder = cached_embedder(store, self.backend.embedder(), self.settings)
        # Topics, neighbours and propositions: one space for every language (MiniLM + USE-m).
        self.space = cached_embedder(store, ClaimSpace(english=self.encoder), self.settings)
        self._stance = stance
        # The retrained head this pipeline's model comes from: a `train` that switches the
        # store's model meanwhile makes this run's switch refuse (``verify.analysts.model_switch``).
        self._model_dir = None if stance is not None else store.meta.stance_model_dir
        self.topics = topics or TopicClusterer()
        self.log = log
        self.k = k_neighbours
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
        report.pairs_scored = getattr(self, "_scored", 0)
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

    def switch_model(self, rank: Callable[[], object]) -> None:
        """This pipeline's key becomes the store's, with ``rank``'s rebuild, in one transaction."""
        from verify.analysts.model_switch import switch

        switch(self.store, self.score_key(), rank, expect_dir=self._model_dir)

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

    def refresh(self, incremental: bool = False) -> None:
        """Recompute what depends on the whole corpus; reuse every cached embedding and score.
        ``incremental``: only what the new claims change, when ``verify.stages.incremental.plan``
        finds that enough (a full refresh otherwise)."""
        from verify.stages import incremental as inc
        from verify.stages import neighbours, ranking
        from verify.store import totals

        if incremental:
            todo = inc.plan(self)
            if not todo.full:
                return inc.run(self, todo)
            self.log(f"full refresh: {todo.reason}")
        state = ranking.stamp(self.store)  # the analysts' state this refresh reads
        self.store.meta.refresh_work = FULL  # killed from here on: the next run is full
        ranking.invalidate(self.store)
        rows = self.store.claim_rows()
        resolved = [(r["id"], *self.actor_of(r["speaker"])) for r in rows]
        self.store.set_actors(resolved)
        self.store.meta.registry = self.registry.fingerprint()
        if not rows:
            return inc.finish(self, state)
        texts = [r["text"] for r in rows]
        t = time.perf_counter()
        vecs = self.encoder.encode(texts)
        self.log(
            f"embedded {self.encoder.computed} new of {len(texts)} claims ({time.perf_counter() - t:.1f}s)"
        )

        ids = [r["id"] for r in rows]
        checkworthy = self.score_checkworthy(ids, vecs)
        vecs = self.space.encode(texts)  # from here on, the space every language shares
        self._topics(rows, vecs, texts)
        topic_of = {r["id"]: r["topic_id"] for r in self.store.claim_rows()}

        sources = [
            source_key(actor or r["speaker"], r["outlet"] or "")
            for r, (_, actor, _s) in zip(rows, resolved, strict=True)
        ]
        graph = neighbour_lists(vecs, sources, k=self.k) if len(ids) > 1 else None
        cands = pairs_of(*graph, len(ids)) if graph else []
        with self.store.transaction():
            self.store.replace_knn(neighbours.graph_rows(ids, *graph, self.k) if graph else [])
        self.store.upsert_pairs((ids[i], ids[j], s) for i, j, s in cands)
        from verify.propositions.refresh import refresh_propositions

        implied = refresh_propositions(self.store, self.stance, self.score_key(), ids, vecs, texts,
                                       [topic_of[i] for i in ids], checkworthy, sources, self.log,
                                       sides=[side or "unknown" for _, _a, side in resolved])  # fmt: skip
        self.store.upsert_pairs(implied)
        current = [(ids[i], ids[j]) for i, j, _ in cands] + [(a, b) for a, b, _ in implied]
        pruned = self.store.prune_pairs(current)
        if pruned:
            self.log(f"{pruned} pairs no longer candidates removed (tagged pairs are kept)")
        self.rescore()

        def rank() -> None:  # with the key, in one transaction (``verify.analysts.model_switch``)
            ranking.rebuild(self.store, state)
            totals.rebuild(self.store)
            inc.finish(self, state)

        self.switch_model(rank)
        n = len(rows)
        # The count the board and `disputes --pairs` show: every candidate, from both stages.
        candidates = len({(min(a, b), max(a, b)) for a, b in current})
        self.log(
            f"{candidates} candidate pairs of {n * (n - 1) // 2} possible "
            f"({len(cands)} nearest neighbours, {len(implied)} from propositions)"
        )

    def _complete_scores(self) -> int:
        """What is missing under the stored model key: propositions an analyst made since the
        last run, and anything a killed run left unscored. Returns how many reads it made."""
        from verify.propositions.scoring import score_propositions
        from verify.stages import ranking
        from verify.store.propositions import PropositionTables

        tables = PropositionTables(self.store)
        key = self.store.meta.stance_model
        if not key:
            return 0
        if self.store.meta.refresh_model == key and ranking.fresh(self.store):
            return 0  # nothing changed since the last refresh scored everything: no query needed
        n = self.rescore() if self.store.unscored_pairs(key) else 0
        if tables.unscored(key):
            n += score_propositions(tables, self.stance, key, self.log)
        ranking.catch_up(self.store)  # the analysts' tags and propositions since, ranked
        return n

    def _topics(
        self, rows: list, vecs: np.ndarray, texts: list[str], recluster: bool = False
    ) -> None:
        """New claims join the stored topics; the corpus is clustered afresh only when asked, when
        it has no topics yet, or when new claims outnumber the rest. Topic ids stay put either way
        (``Store.sync_topics``)."""
        stored = np.array([-1 if r["topic_id"] is None else r["topic_id"] for r in rows])
        known = np.unique(stored[stored >= 0])
        labels = np.searchsorted(known, stored)
        labels[stored < 0] = -1
        new = int((stored < 0).sum())
        if recluster or not len(known) or new > len(rows) - new:
            self.topics.fit(vecs, texts)
            how = "clustered"
        else:
            self.topics.assign(vecs, texts, labels)
            how = f"{new} new claims assigned"
        ids = [r["id"] for r in rows]
        self.store.sync_topics(
            self.topics.titles_, dict(zip(ids, map(int, self.topics.labels_), strict=True))
        )
        self.log(f"{len(self.topics.titles_)} topics ({how})")

    def recluster(self) -> int:
        """Cluster every claim afresh (``counterclaim recluster``); returns the number of topics."""
        rows = self.store.claim_rows()
        if rows:
            texts = [r["text"] for r in rows]
            self._topics(rows, self.space.encode(texts), texts, recluster=True)
        return len(self.store.topics())

    def score_checkworthy(self, ids: list[int], vecs: np.ndarray) -> Sequence[float | None]:
        """Score every claim from the embeddings just computed (a dot product: no re-embedding)."""
        from verify.checkworthy.model import WEIGHTS_FILE, CheckWorthiness, default_model_dir

        folder = default_model_dir(self.settings)
        if not (folder / WEIGHTS_FILE).exists():
            self.log("no check-worthiness model: claims left unscored")
            return [None] * len(ids)
        scores = [float(x) for x in CheckWorthiness.load(folder).score_vectors(vecs)]
        self.store.set_checkworthy(zip(ids, scores, strict=True))
        out: list[float | None] = list(scores)
        return out

    def actor_of(self, speaker: str) -> tuple[str, str]:
        actor = self.registry.resolve(speaker)
        return actor.name or speaker, actor.side

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
        model, key = self.stance, self.score_key()
        todo = self.store.unscored_pairs(key, pair_ids)
        self._scored = len(todo)
        if not todo:  # the key becomes the store's only with its rankings (``_switch``)
            return 0
        t = time.perf_counter()
        pairs = StancePairs([r["a_text"] for r in todo], [r["b_text"] for r in todo],
                            [camp_relation(r["a_side"], r["b_side"]) for r in todo],
                            [(r["a_lang"], r["b_lang"]) for r in todo])  # fmt: skip
        with progress("score", total=len(todo), unit="pair", enabled=self.settings.progress) as bar:
            # Bounded batches, each committed: memory stays flat and a killed run resumes here.
            for lo in range(0, len(todo), self.batch_pairs):
                part = slice(lo, lo + self.batch_pairs)
                probs = model.predict_pairs(pairs[part])
                ids = [r["id"] for r in todo[part]]
                readers = getattr(model, "readers", None)  # which reader read each pair
                self.store.save_suggestions(key, zip(ids, probs, strict=True),
                                            readers(pairs[part]) if readers else None)  # fmt: skip
                bar.update(len(ids))
        self.log(f"scored {len(todo)} pairs with {key} ({time.perf_counter() - t:.1f}s)")
        return len(todo)
