"""The commands that read the store: `claims` and `disputes` listings, `export` (a report
file) and `board` (the Textual UI, started on demand)."""

from __future__ import annotations

import argparse
import textwrap

from verify.cli.analyst import _analyst
from verify.cli.faults import EXIT_USAGE
from verify.cli.run import _store
from verify.printable import emit, emit_json, printable


def _short(text: str, width: int) -> str:
    text = printable(" ".join(text.split()))  # article text: no escape codes to the terminal
    return text if len(text) <= width else text[: width - 1] + "…"


def print_disputes(items: list[dict]) -> None:
    for d in items:
        a, b = d["a"], d["b"]
        pid = f"#{d['id']}" if d["id"] is not None else "#-"  # implied only: no pair row yet
        within = "  (within one side)" if d.get("sides") == "within" else ""
        how = d.get("reader") or ""  # english, multilingual, "english via #28", propositions
        reader = (
            "  [multilingual reader]"
            if how == "multilingual"
            else f"  [read in English {how.removeprefix('english ')}]"
            if how.startswith("english via ")
            else ""
        )
        title = _short(d["topic"]["title"], 50)
        emit(f"{pid:<5} {d['label']:<13} {d['confidence']:.2f}   topic: {title}{within}{reader}")
        for tag, c in (("  A", a), ("  B", b)):
            via = f" via {', '.join(c['relay'])}" if c["relay"] else ""
            lang = f" ({c['language']})" if c.get("language", "en") != "en" else ""
            who = f"{c['actor'] or c['speaker']} [{c['side']}]{via}{lang}"
            for line in textwrap.wrap(
                f"{printable(who)}: {_short(c['text'], 200)}",
                width=100,
                initial_indent=f"{tag} ",
                subsequent_indent="      ",
            ):
                emit(line)
        for t in d["tags"]:
            emit(f"     tagged {t['label']} by {t['analyst']} {t['note']}".rstrip())
        emit()


def cmd_claims(args: argparse.Namespace) -> int:
    from verify.views import listings as views

    items = views.claims(_store(args))
    if args.json:
        emit_json(items)
        return 0
    for c in items:
        via = f" via {', '.join(c['relay'])}" if c["relay"] else ""
        emit(
            f"{c['id']:>4} {c['actor'] or '?'} [{c['side']}]{via} {c['cue']}: {_short(c['text'], 120)}"
        )
    return 0


def cmd_disputes(args: argparse.Namespace) -> int:
    from verify.views import listings as views

    if not args.pairs:  # disputes by proposition, most contested first
        from verify.cli.propositions import cmd_propositions

        args.topic, args.disputes_only = None, True
        return cmd_propositions(args, _store(args))
    items = views.disputes(_store(args), top=args.top or None)
    if args.json:
        emit_json(items)
    else:
        print_disputes(items)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    import dataclasses

    from verify.registry.actors import Registry, RegistryError
    from verify.report import Filters, ReportError, format_of, write_report

    filters = Filters(
        args.topic, args.min_confidence, args.label, args.tagged_only, args.min_checkworthy
    )
    if args.all:  # list every pair and every claim of a proposition (the default caps both)
        filters = dataclasses.replace(filters, per_topic=None, per_side=None)
    from verify.report.fmt_claimreview import DEFAULT_PUBLISHER, DEFAULT_REVIEW_URL, Publisher

    publisher = Publisher(
        args.publisher or DEFAULT_PUBLISHER,
        args.review_url or DEFAULT_REVIEW_URL,
        args.include_model,
    )
    args.format = format_of(args.output, args.format)
    if args.format == "claimreview" and not args.review_url:
        emit(
            f"counterclaim: review urls point at the placeholder {DEFAULT_REVIEW_URL}; "
            "pass --review-url with the page that will publish them",
            err=True,
        )
    if not args.output.strip():  # "" would resolve to the current folder
        emit("counterclaim: -o needs a file name", err=True)
        return EXIT_USAGE
    try:
        registry = Registry.load(args.registry) if args.registry else None
        written = write_report(_store(args), args.format, args.output, filters, registry, publisher)
    except (ReportError, RegistryError) as exc:  # a write that fails: ``cli_faults`` (EXIT_IO)
        emit(f"counterclaim: {exc}", err=True)
        return EXIT_USAGE
    for path in written:
        emit(f"wrote {path}", err=True)
    return 0


def cmd_board(args: argparse.Namespace) -> int:
    _store(args).close()  # a path that is not a store: one line here, before the UI starts
    try:
        from tui.app import run_board
    except ImportError as exc:
        emit(f"counterclaim: the board is not available ({exc})", err=True)
        return EXIT_USAGE
    return run_board(args.db, _analyst(args))
