"""Claim extraction over every core: a batch's articles split among worker processes.

Parsing is most of extraction and spaCy's parser holds the GIL, so threads do not help. spaCy's
own ``nlp.pipe(n_process=...)`` starts its workers again on every call (the pipeline parses in
batches of 32 articles, committed one by one) and sends whole ``Doc`` objects back for the
attribution rules to run in this process; here the workers live as long as the extractor and do
the whole extraction (parse and rules), sending back only the claims.

A batch smaller than ``MIN_PARALLEL`` (a few articles dropped under ``watch``, the seeds) is read
in this process: starting the workers (each loads spaCy, seconds) costs more than it saves. A
worker that dies (killed, out of memory) fails only its batch, which is then read here, and the
next batch starts new workers.
"""

from __future__ import annotations

import math
import multiprocessing
import signal
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from verify.backends import Extractor, extract_each

#: Fewer articles than this are extracted in this process (the local backend's full batch).
MIN_PARALLEL = 32
#: Pieces per worker and batch: smaller pieces even out articles of unequal length.
PIECES_PER_WORKER = 4

_worker_extractor: Extractor | None = None


def _start_worker(make: Callable[[], Extractor]) -> None:
    global _worker_extractor
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    _worker_extractor = make()


def _extract_piece(items: list[tuple[str, str]]) -> list:
    assert _worker_extractor is not None, "worker started without its extractor"
    return extract_each(_worker_extractor, items)


class ProcessExtractor:
    """``Extractor`` over ``processes`` worker processes, each with its own ``make()``.

    ``make`` must be picklable (a class or a module-level function): the workers are spawned,
    never forked, so a process that already runs ONNX or torch threads (``watch``) forks none."""

    def __init__(self, make: Callable[[], Extractor], processes: int) -> None:
        self.make, self.processes = make, max(1, processes)
        self._local: Extractor | None = None
        self._pool: ProcessPoolExecutor | None = None

    @property
    def local(self) -> Extractor:
        if self._local is None:
            self._local = self.make()
        return self._local

    def extract(self, text: str, outlet: str = "") -> list[Any]:
        return self.local.extract(text, outlet)

    def extract_batch(self, items: list[tuple[str, str]]) -> list:
        if self.processes < 2 or len(items) < MIN_PARALLEL:
            return extract_each(self.local, items)
        size = math.ceil(len(items) / (self.processes * PIECES_PER_WORKER))
        pieces = [items[s : s + size] for s in range(0, len(items), size)]
        try:
            done = list(self._workers().map(_extract_piece, pieces))
        except Exception:  # a worker died (BrokenProcessPool), a result did not unpickle
            self.close()  # new workers for the next batch; this one is read here
            return extract_each(self.local, items)
        return [claims for piece in done for claims in piece]

    def _workers(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                self.processes,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_start_worker,
                initargs=(self.make,),
            )
        return self._pool

    def close(self) -> None:
        """Stop the workers (also done at exit by ``concurrent.futures``)."""
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
