"""`counterclaim` command line: a thin client of the engine (the TUI is another).

``main`` is the entry point: it sets the hub's offline flags, reads the environment once into a
``Settings`` (``args.settings``, passed to the engine), and routes the engine's log records to
stderr, one printable line each (``verify.logs``)."""

from __future__ import annotations

import argparse
import sys
import textwrap

from verify.cli import start as cli_start  # first: a Ctrl-C while starting is one line
from verify.cli.faults import (
    EXIT_BACKEND,
    EXIT_INTERRUPTED,
    EXIT_IO,
    EXIT_REFUSED,
    EXIT_TERMINATED,
    EXIT_USAGE,
    exit_code,
    guarded,
    while_running,
)
from verify.cli.run import _settings, _store, cmd_recluster, cmd_run
from verify.cli.watch import add_parser as watch_parser
from verify.config import ConfigError
from verify.labels import STANCE_LABELS
from verify.printable import emit, emit_json, printable
from verify.settings import Settings
from verify.store.opening import StoreError

__all__ = [
    "EXIT_BACKEND",
    "EXIT_INTERRUPTED",
    "EXIT_IO",
    "EXIT_REFUSED",
    "EXIT_TERMINATED",
    "EXIT_USAGE",
    "main",
    "parser",
]


def _short(text: str, width: int) -> str:
    text = printable(" ".join(text.split()))  # article text: no escape codes to the terminal
    return text if len(text) <= width else text[: width - 1] + "…"


def print_disputes(items: list[dict]) -> None:
    for d in items:
        a, b = d["a"], d["b"]
        pid = f"#{d['id']}" if d["id"] is not None else "#-"  # implied only: no pair row yet
        within = "  (within one side)" if d.get("sides") == "within" else ""
        reader = "  [multilingual reader]" if d.get("reader") == "multilingual" else ""
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


def _config_analyst(settings: Settings) -> str:
    """`analyst = "name"` in ~/.config/counterclaim/config.toml; a broken file: ``ConfigError``."""
    from verify.config import load_config

    return str(load_config(settings=settings, strict=True).get("analyst") or "")


class NoAnalyst(Exception):
    """A command that records who did it was given no analyst name."""


def _analyst(args: argparse.Namespace) -> str:
    """Flag, then $COUNTERCLAIM_ANALYST, then the config file; never a made-up name (it would
    count as an analyst in the agreement figures)."""
    settings = _settings(args)
    name = utf8(args.analyst or settings.analyst or _config_analyst(settings)).strip()
    if not name:
        raise NoAnalyst(
            "who is this? pass --analyst NAME, set $COUNTERCLAIM_ANALYST, or put "
            'analyst = "NAME" in ~/.config/counterclaim/config.toml'
        )
    return name


def cmd_tag(args: argparse.Namespace) -> int:
    store = _store(args)
    try:
        tag_id = store.add_tag(args.pair_id, args.label, _analyst(args), args.note or "")
    except KeyError as exc:
        emit(f"counterclaim: {exc.args[0]}", err=True)
        return EXIT_USAGE
    emit(f"tag {tag_id}: pair {args.pair_id} = {args.label} ({_analyst(args)})")
    return 0


def cmd_settle(args: argparse.Namespace) -> int:
    from verify.analysts.settle import SettleError, settle
    from verify.config import load_config, reviewers

    who = _analyst(args)
    try:
        tag_id = settle(
            _store(args),
            args.pair_id,
            args.label,
            who,
            reviewers(load_config(settings=_settings(args), strict=True)),
            args.note or "",
        )
    except (KeyError, SettleError) as exc:
        emit(f"counterclaim: pair {args.pair_id}: {exc.args[0]}", err=True)
        return EXIT_USAGE
    emit(f"settlement {tag_id}: pair {args.pair_id} = {args.label} ({who})")
    return 0


def cmd_correct(args: argparse.Namespace) -> int:
    from verify.store.corrections import CorrectionError

    not_claim = True if args.not_a_claim else (False if args.restore else None)
    try:
        n = _store(args).correct_claim(
            args.claim_id,
            _analyst(args),
            speaker=args.speaker,
            actor=args.actor,
            side=args.side,
            language=args.language,
            not_claim=not_claim,
        )
    except CorrectionError as exc:
        emit(f"counterclaim: {exc}", err=True)
        return EXIT_USAGE
    emit(f"claim {args.claim_id}: {n} correction(s) stored ({_analyst(args)})")
    return 0


def cmd_agreement(args: argparse.Namespace) -> int:
    from verify.analysts.agreement import agreement, describe

    result = agreement(_store(args).tags())
    if args.json:
        emit_json(result)
    else:
        for line in describe(result):
            emit(line)
    return 0


def cmd_train(args: argparse.Namespace) -> int:
    from verify.analysts.retrain import retrain
    from verify.stages.pipeline import info

    try:  # stages and their elapsed time go to stderr; Ctrl-C stops before the model switches
        metrics = retrain(_store(args), info, settings=_settings(args))
    except KeyboardInterrupt as stop:  # Ctrl-C or SIGTERM: the switch is one transaction
        emit("counterclaim: retrain cancelled; the store still uses its previous model", err=True)
        return exit_code(stop)
    emit_json(metrics)
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
        args.publisher or DEFAULT_PUBLISHER, args.review_url or DEFAULT_REVIEW_URL,
        args.include_model,
    )  # fmt: skip
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


JSON_HELP = "print JSON (the contract in the README) instead of text"
PAIR_HELP = "the pair's id (`disputes --pairs`)"
ANALYST_HELP = "your name (default: $COUNTERCLAIM_ANALYST, else analyst in the config file)"


def parser(settings: Settings | None = None) -> argparse.ArgumentParser:
    from verify.report import FORMATS as REPORT_FORMATS
    from verify.store.database import default_db_path

    db_default = default_db_path(settings)
    p = argparse.ArgumentParser(
        prog="counterclaim", description="Find who contradicts whom across news articles."
    )
    sub = p.add_subparsers(dest="command", required=True)

    def add(name: str, func, help: str) -> argparse.ArgumentParser:
        sp = sub.add_parser(name, help=help, description=help)
        sp.add_argument(
            "--db",
            default=db_default,
            help="SQLite file (default: $COUNTERCLAIM_DB or ./counterclaim.db)",
        )
        sp.set_defaults(func=func)
        return sp

    sp = add("run", cmd_run, "ingest articles and find disputes")
    sp.add_argument("paths", nargs="+", help="files or folders (.txt .md .html .jsonl .csv)")
    sp.add_argument("--registry", help="actor registry (TOML or YAML); default: the shipped one")
    sp.add_argument(
        "--ray",
        metavar="ADDRESS",
        help="extract, embed and score on the Ray cluster at ADDRESS (HEAD:6379, or auto: the "
        "one running on this machine, or local: that one, else a throwaway one for this run); "
        "the database stays here",
    )
    watch_parser(add)
    add("recluster", cmd_recluster, "cluster every claim into topics afresh (ids kept by overlap)")
    sp = add("claims", cmd_claims, "list extracted claims")
    sp.add_argument("--json", action="store_true", help=JSON_HELP)
    sp = add("disputes", cmd_disputes,
             "disputes by proposition, most contested first (--pairs: claim pairs ranked by "
             "contradiction confidence)")  # fmt: skip
    sp.add_argument("--pairs", action="store_true", help="list claim pairs instead")
    sp.add_argument("--top", type=int, default=20, metavar="N",
                    help="only the N highest-ranked (default 20; 0: all)")  # fmt: skip
    sp.add_argument("--json", action="store_true", help=JSON_HELP)
    sp = add("tag", cmd_tag, "tag a pair as an analyst")
    sp.add_argument("pair_id", type=int, help=PAIR_HELP)
    sp.add_argument("label", choices=STANCE_LABELS, help="your label for the pair")
    sp.add_argument("--analyst", help=ANALYST_HELP)
    sp.add_argument("--note", help="why (kept with the tag)")
    sp = add("settle", cmd_settle, "settle the analysts' conflict on a pair (reviewers only)")
    sp.add_argument("pair_id", type=int, help=PAIR_HELP)
    sp.add_argument("label", choices=STANCE_LABELS, help="the settled label")
    sp.add_argument("--analyst", help=ANALYST_HELP)
    sp.add_argument("--note", help="why (kept with the settlement)")
    sp = add("correct", cmd_correct, "correct a claim the extractor got wrong (kept on re-run)")
    sp.add_argument("claim_id", type=int, help="the claim's id (`counterclaim claims`)")
    sp.add_argument("--speaker", help="who said it, as the article names them")
    sp.add_argument("--actor", help="the canonical actor the speaker is")
    sp.add_argument("--side", help="the actor's side in the dispute")
    sp.add_argument("--language", help="the claim's language code (en, ru, uk, ru-Latn, und, ...)")
    mark = sp.add_mutually_exclusive_group()
    mark.add_argument("--not-a-claim", action="store_true", help="it leaves every pair")
    mark.add_argument("--restore", action="store_true", help="undo --not-a-claim")
    sp.add_argument("--analyst", help=ANALYST_HELP)
    sp = add("agreement", cmd_agreement, "inter-annotator agreement on the tags, per label")
    sp.add_argument("--json", action="store_true", help=JSON_HELP)
    add("train", cmd_train, "retrain the stance head with the analysts' tags")
    sp = add("export", cmd_export, "write a contradiction report")
    sp.add_argument("--format", choices=REPORT_FORMATS,
                    help="report format (default: from the output's extension, else md)")  # fmt: skip
    sp.add_argument("-o", "--output", required=True, metavar="FILE",
                    help="where to write the report (.md .html .json .csv .jsonld)")  # fmt: skip
    sp.add_argument("--topic", type=int, metavar="ID", help="only this topic's pairs and claims")
    sp.add_argument("--min-confidence", type=float, default=0.0, metavar="X",
                    help="only pairs whose P(contradiction) is at least X")  # fmt: skip
    sp.add_argument("--label", choices=STANCE_LABELS, help="only pairs whose verdict is LABEL")
    sp.add_argument("--tagged-only", action="store_true", help="only pairs an analyst tagged")
    sp.add_argument(
        "--min-checkworthy",
        type=float,
        metavar="X",
        help="hide claims whose check-worthiness is below X (the report says how many)",
    )
    sp.add_argument(
        "--registry", help="actor registry, to tell people from organisations (ClaimReview)"
    )
    sp.add_argument(
        "--publisher",
        metavar="NAME",
        help="the team publishing the fact checks (ClaimReview author; default: "
        "Counterclaim analysts)",
    )
    sp.add_argument(
        "--review-url",
        metavar="URL",
        help="page that will host the fact checks (ClaimReview url; default: a placeholder)",
    )
    sp.add_argument(
        "--include-model",
        action="store_true",
        help="ClaimReview: also review claims no analyst decided on, from the model's reading "
        "(marked as such; default: only what analysts tagged or settled)",
    )
    sp.add_argument(
        "--all",
        action="store_true",
        help="list every pair and every claim of each proposition (default: the 15 "
        "highest-ranked pairs per topic, 8 claims per side; the report says how many it left out)",
    )
    sp = add("board", cmd_board, "open the claim-versus-counterclaim board")
    sp.add_argument("--analyst", help=ANALYST_HELP)
    from verify.cli.propositions import add_parsers as add_proposition_parsers

    add_proposition_parsers(add, _store, _analyst)
    add_eval_parsers(sub)
    return p


def add_eval_parsers(sub) -> None:  # argparse subparsers action
    """`counterclaim eval attribution|checkworthy|fnc1|sick|emergent ... [--json]`."""
    from verify.evaluation import attribution as eval_attribution
    from verify.evaluation import checkworthy as eval_checkworthy
    from verify.evaluation import multilingual as eval_multilingual
    from verify.evaluation import pairs as eval_pairs
    from verify.evaluation import russian as eval_russian
    from verify.evaluation import seeds as eval_seeds
    from verify.evaluation import stance as eval_stance

    sp = sub.add_parser("eval", help="measure the extractor and models against public gold data")
    what = sp.add_subparsers(dest="eval_what", required=True)
    eval_attribution.add_parser(what)  # each sets func= its own command
    eval_checkworthy.add_parser(what)
    eval_stance.add_parsers(what)
    eval_seeds.add_parser(what)
    eval_pairs.add_parser(what)
    eval_russian.add_parser(what)
    eval_multilingual.add_parser(what)


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


def utf8(text: str) -> str:
    """``text`` with the bytes that were not UTF-8 in argv or the environment (which Python
    keeps as lone surrogates, unstorable in SQLite) written as U+FFFD, as a terminal shows them."""
    if text.isascii():
        return text
    try:
        raw = text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a surrogate no decoder made (U+D800-DC7F)
        raw = text.encode("utf-8", "surrogatepass")
    return raw.decode("utf-8", "replace")


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
