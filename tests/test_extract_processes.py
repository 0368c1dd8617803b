"""Extraction over worker processes (``verify.backends.processes``): real spawned workers running
the real extractor give exactly the claims this process finds; a worker that dies costs only
that batch's speed (it is read here), and the next batch gets new workers."""

from __future__ import annotations

import multiprocessing
import os

from verify.backends.processes import MIN_PARALLEL, ProcessExtractor
from verify.claims.languages import ByLanguage

ARTICLES = [
    (
        f"Officials in region {n} said the bridge had reopened on Monday. "
        f'"The road is closed," a police spokesman told reporters on day {n}.',
        f"Outlet {n % 3}",
    )
    for n in range(MIN_PARALLEL + 4)
] + [("Моряки заявили, что мост закрыт.", "ТАСС")]


def _spans(found: list) -> list[list[tuple]]:
    return [[(c.text, c.speaker, c.start, c.end, c.language) for c in claims] for claims in found]


def test_workers_find_what_this_process_finds() -> None:
    extractor = ProcessExtractor(ByLanguage, processes=2)
    try:
        found = extractor.extract_batch(ARTICLES)
        assert extractor._pool is not None  # the batch went to the workers
    finally:
        extractor.close()
    assert _spans(found) == _spans(ByLanguage().extract_batch(ARTICLES))
    assert any(c.speaker for claims in found for c in claims)


def test_small_batches_stay_in_this_process() -> None:
    extractor = ProcessExtractor(ByLanguage, processes=2)
    extractor.extract_batch(ARTICLES[: MIN_PARALLEL - 1])
    assert extractor._pool is None


class DiesInWorkers(ByLanguage):
    """Kills the worker process it runs in (a parser crash, the OOM killer); fine here."""

    def extract_batch(self, items):
        if multiprocessing.parent_process() is not None:
            os._exit(1)
        return super().extract_batch(items)


def test_a_dead_worker_costs_only_speed() -> None:
    extractor = ProcessExtractor(DiesInWorkers, processes=2)
    try:
        found = extractor.extract_batch(ARTICLES)
        assert extractor._pool is None  # the broken workers are gone; the next batch starts anew
        again = extractor.extract_batch(ARTICLES)
    finally:
        extractor.close()
    want = _spans(ByLanguage().extract_batch(ARTICLES))
    assert _spans(found) == want and _spans(again) == want
