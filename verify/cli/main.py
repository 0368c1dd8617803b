"""`counterclaim` command line: a thin client of the engine (the TUI is another).

``main`` is the entry point: it sets the hub's offline flags, reads the environment once into a
``Settings`` (``args.settings``, passed to the engine), and routes the engine's log records to
stderr, one printable line each (``verify.logs``). The parser is ``verify.cli.parser``; the
handlers live by job in ``run``, ``watch``, ``reading``, ``analyst`` and ``propositions``."""

from __future__ import annotations

import sys

from verify.cli import start as cli_start  # first: a Ctrl-C while starting is one line
from verify.cli.analyst import NoAnalyst, utf8
from verify.cli.faults import EXIT_USAGE, guarded, while_running
from verify.cli.parser import parser
from verify.config import ConfigError
from verify.printable import emit
from verify.settings import Settings
from verify.store.opening import StoreError

#: Arguments that are analyst text to store (not paths: a path's bytes are kept as they are).
TEXT_ARGUMENTS = (
    "analyst",
    "note",
    "text",
    "speaker",
    "actor",
    "side",
    "language",
    "publisher",
    "review_url",
)


def main(argv: list[str] | None = None) -> int:
    """Run one command; any fault it does not handle itself ends in one line and an exit code
    (``verify.cli.faults.guarded``: signals, SQLite errors, a closed pipe, unreadable files)."""
    db: list[str] = []

    def body() -> int:
        from verify.logs import to_stderr
        from verify.offline import go_offline

        go_offline()  # before any hub library is imported: they read the flags once
        settings = Settings.from_env()
        args = parser(settings).parse_args(argv)
        for key in TEXT_ARGUMENTS:  # stored as typed, except bytes that are not UTF-8
            if isinstance(getattr(args, key, None), str):
                setattr(args, key, utf8(getattr(args, key)))
        args.settings = settings
        db.append(str(args.db) if getattr(args, "db", None) else "")
        with to_stderr():
            try:
                return int(args.func(args) or 0)
            except NoAnalyst as exc:
                emit(f"counterclaim: {exc}", err=True)
                return EXIT_USAGE
            except StoreError as exc:  # the file is not a store (or not one this code reads)
                emit(f"counterclaim: {exc}", err=True)
                return EXIT_USAGE
            except ConfigError as exc:  # a bad config.toml: one line, as for a bad registry
                emit(f"counterclaim: {exc}", err=True)
                return EXIT_USAGE

    with while_running():  # first: the heavy imports in ``body`` answer Ctrl-C with one line
        code = guarded(body, lambda: db[0] if db else None)
    cli_start.finished()  # a signal during the interpreter's shutdown no longer kills silently
    return code


if __name__ == "__main__":
    sys.exit(main())
