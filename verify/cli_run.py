"""`counterclaim run` and `counterclaim recluster`: the commands that run the pipeline, with the
exit codes, the SIGTERM handling and the Ray backend's one-line refusal they need."""

from __future__ import annotations

import argparse
import contextlib
import signal
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING

from .printable import printable
from .settings import Settings, resolve

if TYPE_CHECKING:
    from .backends.ray_backend import RayBackend

EXIT_REFUSED = 1  # the run finished, but some input was refused (each named on stderr)
EXIT_USAGE = 2
EXIT_BACKEND = 3  # the Ray cluster could not be reached, or failed mid-run
EXIT_INTERRUPTED = 130  # as a shell reports Ctrl-C


@contextlib.contextmanager
def _stop_on_sigterm() -> Iterator[None]:
    """SIGTERM raises SystemExit, as Ctrl-C raises KeyboardInterrupt, so the run is marked."""

    def stop(_signum: int, _frame: object) -> None:
        raise SystemExit(EXIT_INTERRUPTED)

    try:
        previous = signal.signal(signal.SIGTERM, stop)
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _store(args: argparse.Namespace, create: bool = False):
    """The store at ``--db``; only ``run`` makes one where none is (a typo must not make an empty
    store). A file that is not a store raises ``StoreError`` (``main`` prints its one line)."""
    from .store import Store

    return Store(args.db, create=create)


def _settings(args: argparse.Namespace) -> Settings:
    """What ``main`` resolved; the environment now for a caller that built ``args`` itself."""
    return resolve(vars(args).get("settings"))


def _ray_backend(address: str, settings: Settings) -> RayBackend | None:
    """The cluster at ``address`` joined, or None with one line on stderr saying why not."""
    from .backends.ray_backend import RayUnreachable, connect

    try:
        return connect(address, settings)
    except RayUnreachable as exc:
        print(printable(f"counterclaim: cannot reach Ray at {address}: {exc}"), file=sys.stderr)
        return None


def cmd_run(args: argparse.Namespace) -> int:
    from .actors import Registry, RegistryError
    from .backends import BackendError
    from .pipeline import Pipeline

    try:
        registry = Registry.load(args.registry)
    except RegistryError as exc:
        print(f"counterclaim: {exc}", file=sys.stderr)
        return EXIT_USAGE
    backend = None
    if args.ray:  # reached before the store is opened: an unreachable cluster writes nothing
        backend = _ray_backend(args.ray, _settings(args))
        if backend is None:
            return EXIT_BACKEND
    store = _store(args, create=True)
    try:
        with _stop_on_sigterm():
            report = Pipeline(store, registry, settings=_settings(args), backend=backend).run(
                args.paths
            )
    except (KeyboardInterrupt, SystemExit):
        store.interrupt_own()  # each stored article is whole; the next run reads the rest
        print("counterclaim: run interrupted; what it stored is kept", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BackendError as exc:
        store.interrupt_own()
        print(printable(f"counterclaim: {exc}; what the run stored is kept"), file=sys.stderr)
        return EXIT_BACKEND
    finally:
        if backend is not None:
            backend.close()
    print(
        f"{report.articles_added} articles added ({report.articles_skipped} unchanged), "
        f"{report.claims_added} claims, {report.embedded} embedded, "
        f"{report.pairs_scored} pairs scored ({report.pairs_total} in store), "
        f"{len(report.refused)} refused, {report.seconds['total']:.1f}s",
        file=sys.stderr,
    )
    return EXIT_REFUSED if report.refused else 0


def cmd_recluster(args: argparse.Namespace) -> int:
    from .pipeline import Pipeline

    pipe = Pipeline(_store(args), settings=_settings(args))
    n = pipe.recluster()
    pipe.refresh()  # propositions, their scopes and the pairs follow the new topics
    print(f"{n} topics (ids kept where a topic keeps most of its claims)", file=sys.stderr)
    return 0
