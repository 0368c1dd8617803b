"""`counterclaim watch FOLDER`: one long-lived process that keeps the models loaded and ingests
each article file as it lands (``verify.stages.watcher``); every batch is a recorded run, so a
stop mid-batch (Ctrl-C, SIGTERM) marks that run interrupted, and a stop between batches leaves
every run finished. One watcher per store: a second one is refused with one line."""

from __future__ import annotations

import argparse
from pathlib import Path

from verify.cli.faults import EXIT_BUSY, EXIT_USAGE, exit_code
from verify.printable import emit, printable


def cmd_watch(args: argparse.Namespace) -> int:
    from verify.cli.run import _settings, _store
    from verify.registry.actors import Registry, RegistryError
    from verify.stages.pipeline import Pipeline
    from verify.stages.watcher import WatcherBusy, warm, watch, watch_lock

    folder = Path(args.folder)
    if not folder.is_dir():
        emit(f"counterclaim: {printable(args.folder)}: not a folder", err=True)
        return EXIT_USAGE
    try:
        registry = Registry.load(args.registry)
    except RegistryError as exc:
        emit(f"counterclaim: {exc}", err=True)
        return EXIT_USAGE
    try:
        with watch_lock(args.db):
            store = _store(args, create=True)
            pipeline = Pipeline(store, registry, settings=_settings(args))
            warm(pipeline)  # the first article that lands pays only for itself
            emit(f"watching {printable(args.folder)} (Ctrl-C stops)", err=True)
            try:
                watch(pipeline, folder, lambda line: emit(line, err=True), args.interval)
            except KeyboardInterrupt as stop:  # Ctrl-C, or SIGTERM (``cli_faults.Terminated``)
                if store.interrupt_own():  # stopped mid-batch: what it stored is kept
                    emit(
                        "counterclaim: watch stopped during a run; it is marked interrupted "
                        "and the next run or watch finishes it",
                        err=True,
                    )
                    return exit_code(stop)
                emit("watch stopped; every run finished", err=True)
                return 0
            return 0
    except WatcherBusy as exc:
        emit(f"counterclaim: {printable(args.db)}: {exc}", err=True)
        return EXIT_BUSY


def add_parser(add) -> None:
    """The `watch` subcommand (``add`` is ``verify.cli.parser.parser``'s helper)."""
    sp = add(
        "watch", cmd_watch, "ingest each article file as it lands in FOLDER (models stay loaded)"
    )
    sp.add_argument("folder", help="the folder to watch (sub-folders too)")
    sp.add_argument("--registry", help="actor registry (TOML or YAML); default: the shipped one")
    sp.add_argument(
        "--interval",
        type=float,
        default=1.0,
        metavar="S",
        help="seconds between polls; a file is read once unchanged for one (default 1)",
    )
