"""`counterclaim run` and `counterclaim recluster`: the commands that run the pipeline, with the
marking of an interrupted run and the Ray backend's one-line refusal they need."""

from __future__ import annotations

import argparse
import contextlib
from typing import TYPE_CHECKING

# The exit codes live with the rest of the fault handling (``verify.cli.faults``).
from verify.cli.faults import EXIT_BACKEND, EXIT_BUSY, EXIT_REFUSED, EXIT_USAGE, exit_code
from verify.printable import emit
from verify.settings import Settings, resolve

if TYPE_CHECKING:
    from verify.backends.ray_backend import RayBackend


def _store(args: argparse.Namespace, create: bool = False):
    """The store at ``--db``; only ``run`` makes one where none is (a typo must not make an empty
    store). A file that is not a store raises ``StoreError`` (``main`` prints its one line)."""
    from verify.store.database import Store

    return Store(args.db, create=create)


def _settings(args: argparse.Namespace) -> Settings:
    """What ``main`` resolved; the environment now for a caller that built ``args`` itself."""
    return resolve(vars(args).get("settings"))


def _ray_backend(address: str, settings: Settings) -> RayBackend | None:
    """The cluster at ``address`` joined, or None with one line on stderr saying why not."""
    from verify.backends.ray_backend import RayUnreachable, connect

    try:
        return connect(address, settings)
    except RayUnreachable as exc:
        emit(f"counterclaim: cannot reach Ray at {address}: {exc}", err=True)
        return None


def cmd_run(args: argparse.Namespace) -> int:
    from verify.backends import BackendError
    from verify.registry.actors import Registry, RegistryError
    from verify.stages.pipeline import Pipeline
    from verify.store.runlog import RunInProgress

    try:
        registry = Registry.load(args.registry)
    except RegistryError as exc:
        emit(f"counterclaim: {exc}", err=True)
        return EXIT_USAGE
    backend = None
    if args.ray:  # reached before the store is opened: an unreachable cluster writes nothing
        backend = _ray_backend(args.ray, _settings(args))
        if backend is None:
            return EXIT_BACKEND
    store = _store(args, create=True)
    try:
        report = Pipeline(store, registry, settings=_settings(args), backend=backend).run(
            args.paths
        )
    except KeyboardInterrupt as stop:  # Ctrl-C, or SIGTERM (``cli_faults.Terminated``)
        store.interrupt_own()  # each stored article is whole; the next run reads the rest
        emit("counterclaim: run interrupted; what it stored is kept", err=True)
        return exit_code(stop)
    except BackendError as exc:
        store.interrupt_own()
        emit(f"counterclaim: {exc}; what the run stored is kept", err=True)
        return EXIT_BACKEND
    except RunInProgress as exc:
        emit(f"counterclaim: {args.db}: {exc}", err=True)
        return EXIT_BUSY
    except BaseException:  # any other fault (``cli_faults`` says which): the row is not left open
        with contextlib.suppress(Exception):
            store.interrupt_own()
        raise
    finally:
        if backend is not None:
            backend.close()
    emit(
        f"{report.articles_added} articles added ({report.articles_skipped} unchanged), "
        f"{report.claims_added} claims, {report.embedded} embedded, "
        f"{report.pairs_scored} pairs scored ({report.pairs_total} in store), "
        f"{len(report.refused)} refused, {report.seconds['total']:.1f}s",
        err=True,
    )
    return EXIT_REFUSED if report.refused else 0


def cmd_recluster(args: argparse.Namespace) -> int:
    from verify.stages.pipeline import Pipeline

    pipe = Pipeline(_store(args), settings=_settings(args))
    n = pipe.recluster()
    pipe.refresh_with_the_stores_model(incremental=False)  # propositions and pairs follow
    emit(f"{n} topics (ids kept where a topic keeps most of its claims)", err=True)
    return 0
