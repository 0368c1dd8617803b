"""`counterclaim watch`'s engine side: which files of a folder are ready to ingest, the one-watcher
lock on a store, and the loop that feeds a long-lived ``Pipeline`` (models loaded once).

A file is *ready* once its size and modification time are the same on two polls in a row and
differ from what was last ingested: a file still being written (a copy in progress) waits until
it stops changing, and a file edited later is ingested again. Polling needs no dependency and
works on every file system (inotify misses network mounts)."""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from verify.ingest import READERS
from verify.ingest.walker import walk
from verify.store.runlog import RunInProgress
from verify.types import Refusal

Signature = tuple[int, int]  # (size, mtime in ns)
#: The lock file beside the store: ``DB`` + this suffix.
LOCK_SUFFIX = ".watch.lock"


class WatcherBusy(Exception):
    """Another watcher holds this store's lock."""


@contextlib.contextmanager
def watch_lock(db_path: str | os.PathLike[str]) -> Iterator[Path]:
    """Hold ``DB.watch.lock`` while inside, or raise ``WatcherBusy``. An ``flock`` dies with its
    process, so a killed watcher never leaves the store locked (a stale file is harmless)."""
    path = Path(f"{os.fspath(db_path)}{LOCK_SUFFIX}")
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)  # nothing is written to it: no content
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise WatcherBusy(f"another `counterclaim watch` holds {path}") from None
        yield path
    finally:
        os.close(fd)  # releases the lock


@dataclass
class FolderPoll:
    """Which article files under ``folder`` are ready (``ready``), and the folders or files that
    could not be listed (``refused``, each reported once until it changes)."""

    folder: Path
    _last: dict[Path, Signature] = field(default_factory=dict)  # seen on the previous poll
    _done: dict[Path, Signature] = field(default_factory=dict)  # as it was when ingested
    _said: set[str] = field(default_factory=set)

    def poll(self) -> tuple[list[Path], list[Refusal]]:
        now: dict[Path, Signature] = {}
        refused: list[Refusal] = []
        for item in walk(self.folder, READERS.keys()):
            if isinstance(item, Refusal):
                if str(item) not in self._said:  # an unreadable folder: said once
                    self._said.add(str(item))
                    refused.append(item)
                continue
            try:
                st = item.stat()
            except OSError:
                continue  # gone between listing and stat: the next poll decides
            now[item] = (st.st_size, st.st_mtime_ns)
        ready = [
            p for p, sig in now.items() if self._last.get(p) == sig and self._done.get(p) != sig
        ]
        self._last = now
        for p in list(self._done):
            if p not in now:
                del self._done[p]  # removed: if it comes back it is read again
        return ready, refused

    def done(self, paths: list[Path]) -> None:
        """``paths`` were ingested (or refused) as they were on the last poll."""
        for p in paths:
            if p in self._last:
                self._done[p] = self._last[p]


def warm(pipeline) -> None:  # a verify.stages.pipeline.Pipeline
    """Load every model now, and keep the claims' vectors once read, so each article that lands
    costs only its own work."""
    pipeline.keep_vectors()
    pipeline.extractor.extract("The minister said the talks had failed.", "")
    pipeline.encoder.inner.encode(["warm up"])
    pipeline.claim_space().inner.encode(["warm up"])  # the joint space's USE-m, if it is in use
    _ = pipeline.stance


def watch(
    pipeline,  # a verify.stages.pipeline.Pipeline, kept (with its models) for the whole watch
    folder: Path,
    say: Callable[[str], None],
    interval: float = 1.0,
    should_stop: Callable[[], bool] = lambda: False,
) -> int:
    """Ingest what lands in ``folder`` until interrupted (KeyboardInterrupt, as SIGTERM raises
    it too) or ``should_stop``; each batch of ready files is one recorded run. Returns how many
    runs it made."""
    poll, runs, waiting = FolderPoll(folder), 0, False
    while not should_stop():
        ready, refused = poll.poll()
        for r in refused:
            say(f"refused {r}")
        if ready:
            pipeline.encoder.computed = 0  # per run, not per watch
            t = time.perf_counter()
            try:
                report = pipeline.run(ready)
            except RunInProgress as exc:  # a `run` beside: these files wait for the next poll
                if not waiting:
                    say(f"waiting: {exc}")
                waiting = True
                time.sleep(interval)
                continue
            waiting = False
            poll.done(ready)
            runs += 1
            say(
                f"{len(ready)} files: {report.articles_added} articles added "
                f"({report.articles_skipped} unchanged, {len(report.refused)} refused), "
                f"{report.claims_added} claims, {report.pairs_total} pairs in store "
                f"({time.perf_counter() - t:.1f}s)"
            )
            continue  # poll again at once: more may have landed meanwhile
        time.sleep(interval)
    return runs
